"""The sector taxonomy shared by policies, news, archives and programmes."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel

from portal.core.i18n import bilingual


class Sector(models.Model):
    """One policy sector, named in both languages on one row.

    A page and its translation point at the same sector, so filters by sector work the
    same in Korean and English and a sector's slug is a stable public identifier.
    """

    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    name_ko = models.CharField(_("name in Korean"), max_length=100)
    name_en = models.CharField(_("name in English"), max_length=100)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    panels = [
        FieldPanel("name_ko"),
        FieldPanel("name_en"),
        FieldPanel("slug"),
        FieldPanel("sort_order"),
    ]

    class Meta:
        ordering = ["sort_order", "slug"]
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """The name in the active language."""
        return bilingual(self, "name")
