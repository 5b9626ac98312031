"""Writes of the archive: the facts and the page texts of a checked document."""

from __future__ import annotations

from django.db import transaction

from portal.archives.models import DocumentFacts, DocumentPageText
from portal.archives.pdf import PdfFacts


def store_document_facts(*, document, facts: PdfFacts) -> DocumentFacts:
    """Replace what is stored of the document's file by ``facts``."""
    with transaction.atomic():
        row, _ = DocumentFacts.objects.update_or_create(
            document=document,
            defaults={"pages": facts.pages, "text_readable": facts.text_readable},
        )
        DocumentPageText.objects.filter(document=document).delete()
        DocumentPageText.objects.bulk_create(
            [
                DocumentPageText(document=document, number=number, text=text)
                for number, text in enumerate(facts.texts, 1)
                if text.strip()
            ]
        )
    return row
