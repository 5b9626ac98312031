"""Partner organisations (a snippet with both names) and the page that lists them."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.search import index

from portal.core.i18n import bilingual
from portal.core.models import PortalPage


class PartnerKind(models.TextChoices):
    INTERNATIONAL = "international", _("International organisation")
    CITY_NETWORK = "city-network", _("City network")
    GOVERNMENT = "government", _("Government")
    PUBLIC = "public", _("Public institution")
    RESEARCH = "research", _("Research institute")
    ACADEMIC = "academic", _("University")
    BUSINESS = "business", _("Business association")
    OTHER = "other", _("Other")


class Partner(index.Indexed, models.Model):
    """An organisation Seoul works with. One row carries both names, so the Korean and
    English sites show the same partners in the same order."""

    slug = models.SlugField(
        _("slug"),
        max_length=80,
        unique=True,
        help_text=_("A stable identifier, used in links and data files."),
    )
    name_ko = models.CharField(_("name in Korean"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200)
    kind = models.CharField(_("kind of organisation"), max_length=20, choices=PartnerKind.choices)
    url = models.URLField(_("website"), blank=True)
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Without a logo, the partner's name is shown in its tile."),
    )
    show_on_home = models.BooleanField(_("show in the home page's partner strip"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    panels = [
        FieldPanel("name_ko"),
        FieldPanel("name_en"),
        FieldPanel("slug"),
        FieldPanel("kind"),
        FieldPanel("url"),
        FieldPanel("logo"),
        FieldPanel("show_on_home"),
        FieldPanel("sort_order"),
    ]
    search_fields = [
        index.SearchField("name_ko"),
        index.SearchField("name_en"),
        index.AutocompleteField("name_ko"),
        index.AutocompleteField("name_en"),
        index.FilterField("kind"),
    ]

    class Meta:
        ordering = ["sort_order", "name_en"]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return bilingual(self, "name")


class PartnerIndexPage(PortalPage):
    """The directory of partners, grouped by kind of organisation."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = PortalPage.content_panels + [FieldPanel("intro")]
    search_fields = PortalPage.search_fields + [index.SearchField("intro")]

    parent_page_types = ["home.HomePage"]
    subpage_types: list[str] = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("partner directory")
        verbose_name_plural = _("partner directories")

    def get_context(self, request, *args, **kwargs):
        from portal.partners.selectors import partners_by_kind

        context = super().get_context(request, *args, **kwargs)
        context["partner_groups"] = partners_by_kind()
        return context
