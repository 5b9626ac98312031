"""App configuration for the counts of page views and document downloads."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CountsConfig(AppConfig):
    name = "portal.counts"
    label = "counts"
    verbose_name = _("Counts")
