"""App configuration for the archive."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArchivesConfig(AppConfig):
    name = "portal.archives"
    label = "archives"
    verbose_name = _("Archives")

    def ready(self) -> None:
        from portal.archives import signals

        signals.connect()
