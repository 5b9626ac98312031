"""Writes of the OAI-PMH repository: the tombstones that keep deletions persistent."""

from __future__ import annotations

from django.utils import timezone
from wagtail.models import Page

from portal.core.catalogue import kind_of
from portal.oai.models import DeletedRecord
from portal.oai.selectors import ITEM_KINDS, oai_identifier, record_sets


def tombstone_record(page: Page) -> DeletedRecord | None:
    """Mark the page's record deleted now, with the sets it was in."""
    kind = kind_of(page)
    if kind not in ITEM_KINDS:
        return None
    sector = getattr(page, "sector", None)
    slug = sector.slug if sector is not None else ""
    row, _ = DeletedRecord.objects.update_or_create(
        page_id=page.pk,
        defaults={
            "identifier": oai_identifier(kind, page.pk),
            "kind": kind,
            "language": page.locale.language_code,
            "sector": slug,
            "sets": list(record_sets(kind, slug or None)),
            "deleted_at": timezone.now(),
        },
    )
    return row


def tombstone_remove(page: Page) -> None:
    """The page is harvestable again: its record is no longer deleted."""
    DeletedRecord.objects.filter(page_id=page.pk).delete()
