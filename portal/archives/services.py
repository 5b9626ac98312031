"""Writes of the archive: the facts, page texts and thumbnail of a checked document."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.db import transaction

from portal.archives.models import DocumentFacts, DocumentPageText
from portal.archives.pdf import PdfFacts


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
