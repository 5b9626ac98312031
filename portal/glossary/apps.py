"""App configuration for the synonym glossary."""

from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class GlossaryConfig(AppConfig):
    name = "portal.glossary"
    label = "glossary"
    verbose_name = _("Glossary")

    def ready(self) -> None:
        from portal.glossary.models import SynonymSet
        from portal.glossary.receivers import synonym_set_changed

        post_save.connect(
            synonym_set_changed, sender=SynonymSet, dispatch_uid="glossary-synonym-set-saved"
        )
        post_delete.connect(
            synonym_set_changed, sender=SynonymSet, dispatch_uid="glossary-synonym-set-deleted"
        )
