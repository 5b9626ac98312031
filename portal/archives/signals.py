"""Store the facts of a document's file when a checked file is saved, and bring the search
entries of the pages that offer it up to date."""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_delete
from wagtail.documents import get_document_model

from portal.archives.models import ArchivePage, DocumentFacts
from portal.archives.services import store_document_facts
from portal.search.services import search_index_page


def _reindex_pages(page_ids) -> None:
    for page in ArchivePage.objects.filter(pk__in=list(page_ids), live=True):
        search_index_page(page=page)


def on_document_saved(sender, instance, **kwargs) -> None:
    facts = getattr(instance, "_checked_pdf", None)
    if facts is None:
        return
    store_document_facts(document=instance, facts=facts)
    instance._checked_pdf = None
    # A new file: its text is searched at once, on every live page that offers it.
    _reindex_pages(ArchivePage.objects.filter(document=instance).values_list("pk", flat=True))


def on_document_deleting(sender, instance, **kwargs) -> None:
    instance._offered_by = list(
        ArchivePage.objects.filter(document=instance).values_list("pk", flat=True)
    )


def on_document_deleted(sender, instance, **kwargs) -> None:
    # The pages no longer offer it (their link is now empty): their entries lose its text.
    _reindex_pages(getattr(instance, "_offered_by", []))


def on_facts_deleted(sender, instance, **kwargs) -> None:
    """The thumbnail file goes with its document (once the deletion is committed)."""
    if instance.thumbnail:
        storage, name = instance.thumbnail.storage, instance.thumbnail.name
        transaction.on_commit(lambda: storage.delete(name))


def connect() -> None:
    model = get_document_model()
    post_save.connect(on_document_saved, sender=model, dispatch_uid="archives-document-facts")
    pre_delete.connect(on_document_deleting, sender=model, dispatch_uid="archives-doc-deleting")
    post_delete.connect(on_document_deleted, sender=model, dispatch_uid="archives-doc-deleted")
    post_delete.connect(
        on_facts_deleted, sender=DocumentFacts, dispatch_uid="archives-facts-deleted"
    )
