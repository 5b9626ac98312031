"""The inquiries app: cooperation requests from cities abroad and their staff workflow."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InquiriesConfig(AppConfig):
    name = "portal.inquiries"
    label = "inquiries"
    verbose_name = _("Cooperation requests")
    default_auto_field = "django.db.models.BigAutoField"
