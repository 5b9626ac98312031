"""Policy cases, structured like the policy briefs of seoulsolution.kr."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.search import index

from portal.core.blocks import RICH_TEXT_FEATURES
from portal.core.models import BoardIndexPage, BoardItemPage


class PolicyPageTag(TaggedItemBase):
    """The link between a policy and one of its tags."""

    content_object = ParentalKey(
        "policies.PolicyPage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class PolicyPage(BoardItemPage):
    """One policy: what it is, why, how it was done, what stood in the way, what it achieved.

    The sections follow the briefs other cities read when they consider adopting a policy;
    each one is optional so that a short case can be published first and completed later.
    """

    date = models.DateField(_("publication date"))
    summary = models.TextField(_("summary"))
    background = RichTextField(_("background"), blank=True, features=RICH_TEXT_FEATURES)
    implementation = RichTextField(_("implementation"), blank=True, features=RICH_TEXT_FEATURES)
    obstacles = RichTextField(
        _("obstacles and how they were overcome"), blank=True, features=RICH_TEXT_FEATURES
    )
    results = RichTextField(_("results"), blank=True, features=RICH_TEXT_FEATURES)
    department = models.CharField(_("responsible department"), max_length=200, blank=True)
    department_contact = models.CharField(
        _("department contact"),
        max_length=200,
        blank=True,
        help_text=_("Phone number or e-mail address of the responsible department."),
    )

    tags = ClusterTaggableManager(
        verbose_name=_("tags"),
        through=PolicyPageTag,
        blank=True,
        help_text=_("Keywords in Korean or English, separated by commas."),
    )

    content_panels = BoardItemPage.content_panels + [
        MultiFieldPanel(
            [FieldPanel("date"), FieldPanel("sector"), FieldPanel("tags")],
            heading=_("About this policy"),
        ),
        FieldPanel("summary"),
        FieldPanel("background"),
        FieldPanel("implementation"),
        FieldPanel("obstacles"),
        FieldPanel("results"),
        MultiFieldPanel(
            [FieldPanel("department"), FieldPanel("department_contact")], heading=_("Contact")
        ),
    ]
    search_fields = BoardItemPage.search_fields + [
        index.SearchField("summary", boost=2),
        index.SearchField("background"),
        index.SearchField("implementation"),
        index.SearchField("obstacles"),
        index.SearchField("results"),
        index.SearchField("department"),
        index.FilterField("date"),
        index.FilterField("sector"),
        index.RelatedFields("sector", [index.SearchField("name_ko"), index.SearchField("name_en")]),
        index.RelatedFields("tags", [index.SearchField("name")]),
    ]

    parent_page_types = ["policies.PolicyIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("policy")
        verbose_name_plural = _("policies")

    def sections(self) -> list[tuple[str, str]]:
        """The brief's filled-in sections, in reading order, with their headings."""
        names = ["background", "implementation", "obstacles", "results"]
        return [
            (self._meta.get_field(name).verbose_name, getattr(self, name))
            for name in names
            if getattr(self, name)
        ]


class PolicyIndexPage(BoardIndexPage):
    """The board of policy cases."""

    item_model = PolicyPage
    parent_page_types = ["home.HomePage"]
    subpage_types = ["policies.PolicyPage"]

    class Meta:
        verbose_name = _("policy board")
        verbose_name_plural = _("policy boards")
