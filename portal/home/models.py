"""The home page: the seed page's sections, each chosen by editors."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, PageChooserPanel
from wagtail.fields import StreamField
from wagtail.search import index

from portal.core.blocks import FeatureBlock
from portal.core.models import PortalPage


class HomePage(PortalPage):
    """Latest news and archives, the partner strip and featured pages (MITI, Sharing City).

    The boards and features are chosen here, not found by the templates, so an editor can
    rearrange the home page without a developer.
    """

    intro = models.TextField(_("introduction"), blank=True)
    news_index = models.ForeignKey(
        "news.NewsIndexPage",
        verbose_name=_("news board"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    news_count = models.PositiveSmallIntegerField(
        _("number of news posts"),
        default=4,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    archive_index = models.ForeignKey(
        "archives.ArchiveIndexPage",
        verbose_name=_("archive board"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    archive_count = models.PositiveSmallIntegerField(
        _("number of archive items"),
        default=4,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    partner_index = models.ForeignKey(
        "partners.PartnerIndexPage",
        verbose_name=_("partner directory"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    features = StreamField(
        [("feature", FeatureBlock())],
        verbose_name=_("featured pages"),
        blank=True,
        help_text=_("Pages shown below the boards, such as MITI and Sharing City."),
    )

    content_panels = PortalPage.content_panels + [
        FieldPanel("intro"),
        MultiFieldPanel(
            [
                PageChooserPanel("news_index", "news.NewsIndexPage"),
                FieldPanel("news_count"),
                PageChooserPanel("archive_index", "archives.ArchiveIndexPage"),
                FieldPanel("archive_count"),
                PageChooserPanel("partner_index", "partners.PartnerIndexPage"),
            ],
            heading=_("Boards"),
        ),
        FieldPanel("features"),
    ]
    search_fields = PortalPage.search_fields + [index.SearchField("intro")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "news.NewsIndexPage",
        "archives.ArchiveIndexPage",
        "policies.PolicyIndexPage",
        "partners.PartnerIndexPage",
        "programmes.ProgrammeIndexPage",
        "core.StandardPage",
    ]

    class Meta:
        verbose_name = _("home page")
        verbose_name_plural = _("home pages")

    def get_context(self, request, *args, **kwargs):
        from portal.core.content_version import cached_content
        from portal.counts.selectors import most_read_pages
        from portal.home.selectors import home_sections

        context = super().get_context(request, *args, **kwargs)
        if getattr(request, "is_preview", False):  # the revision being edited, not the cache
            sections = home_sections(home=self)
        else:
            sections = cached_content(f"home:{self.pk}", lambda: home_sections(home=self))
        context.update(sections)
        # Not kept with the sections: it changes with reading, not with publishing.
        context["most_read"] = most_read_pages(language=self.locale.language_code)
        return context
