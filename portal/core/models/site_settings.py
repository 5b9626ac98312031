"""Settings editors change in the admin: how listings cut titles, the footer's contact lines."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

from portal.core.i18n import bilingual


@register_setting(icon="cog")
class PortalSettings(BaseGenericSetting):
    """Site-wide settings, one row for every site and language."""

    @classmethod
    def _get_or_create(cls):
        # Every page reads the settings: keep them until content (or they) change.
        from portal.core.content_version import cached_content

        return cached_content("portal-settings", super()._get_or_create)

    title_max_chars = models.PositiveSmallIntegerField(
        _("listing title length"),
        default=80,
        validators=[MinValueValidator(10), MaxValueValidator(300)],
        help_text=_(
            "Titles longer than this are cut and end with '..' in listings; "
            "the full title stays available as a tooltip and to screen readers."
        ),
    )
    organisation_ko = models.CharField(
        _("organisation (Korean)"), max_length=200, default="서울특별시"
    )
    organisation_en = models.CharField(
        _("organisation (English)"), max_length=200, default="Seoul Metropolitan Government"
    )
    address_ko = models.CharField(_("address (Korean)"), max_length=300, blank=True)
    address_en = models.CharField(_("address (English)"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)

    panels = [
        FieldPanel("title_max_chars"),
        MultiFieldPanel(
            [
                FieldPanel("organisation_ko"),
                FieldPanel("organisation_en"),
                FieldPanel("address_ko"),
                FieldPanel("address_en"),
                FieldPanel("phone"),
                FieldPanel("email"),
            ],
            heading=_("Footer"),
        ),
    ]

    class Meta:
        verbose_name = _("portal settings")

    @property
    def organisation(self) -> str:
        return bilingual(self, "organisation")

    @property
    def address(self) -> str:
        return bilingual(self, "address")
