"""Writes of the archive: the facts, page texts and thumbnail of a checked document."""

from __future__ import annotations

import hashlib

from django.core.files.base import ContentFile
from django.db import transaction
from wagtail.documents import get_document_model
from wagtail.models import Collection

from portal.archives.models import DocumentFacts, DocumentPageText
from portal.archives.pdf import PdfFacts, check_pdf


def store_document_facts(*, document, facts: PdfFacts) -> DocumentFacts:
    """Replace what is stored of the document's file by ``facts``."""
    with transaction.atomic():
        row, _ = DocumentFacts.objects.update_or_create(
            document=document,
            defaults={
                "pages": facts.pages,
                "text_readable": facts.text_readable,
                "language": facts.language,
            },
        )
        old_thumbnail = row.thumbnail.name if row.thumbnail else ""
        if facts.thumbnail_png:
            row.thumbnail.save(
                f"document-{document.pk}.png", ContentFile(facts.thumbnail_png), save=False
            )
        else:
            row.thumbnail = ""
        row.save(update_fields=["thumbnail"])
        if old_thumbnail and old_thumbnail != row.thumbnail.name:
            transaction.on_commit(lambda: row.thumbnail.storage.delete(old_thumbnail))
        DocumentPageText.objects.filter(document=document).delete()
        DocumentPageText.objects.bulk_create(
            [
                DocumentPageText(document=document, number=number, text=text)
                for number, text in enumerate(facts.texts, 1)
                if text.strip()
            ]
        )
    return row


def document_from_file(*, title: str, name: str, data: bytes):
    """The document holding exactly ``data``: the one stored already, else a new one, made
    after the same check as an upload in the admin (``ValidationError`` if refused)."""
    model = get_document_model()
    digest = hashlib.sha1(data).hexdigest()
    existing = model.objects.filter(file_hash=digest).order_by("pk").first()
    if existing is not None:
        return existing
    facts = check_pdf(data)
    document = model(
        title=title,
        file=ContentFile(data, name=name),
        collection=Collection.get_first_root_node(),
    )
    document._set_document_file_metadata()
    document._checked_pdf = facts  # stored by the post_save handler, as for an upload
    document.save()
    return document
