"""App configuration for the shared foundations."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "portal.core"
    label = "core"
    verbose_name = _("Portal foundations")

    def ready(self) -> None:
        from portal.core import security, signals

        signals.connect()
        security.nonce_chooser_scripts()
