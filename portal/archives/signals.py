"""Store the facts of a document's file when a checked file is saved."""

from __future__ import annotations

from django.db.models.signals import post_save
from wagtail.documents import get_document_model

from portal.archives.services import store_document_facts


def on_document_saved(sender, instance, **kwargs) -> None:
    facts = getattr(instance, "_checked_pdf", None)
    if facts is not None:
        store_document_facts(document=instance, facts=facts)
        instance._checked_pdf = None


def connect() -> None:
    post_save.connect(
        on_document_saved, sender=get_document_model(), dispatch_uid="archives-document-facts"
    )
