"""App configuration for partners."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "portal.partners"
    label = "partners"
    verbose_name = _("Partners")
