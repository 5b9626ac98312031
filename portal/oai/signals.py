"""Keep the tombstones of harvested records as pages are unpublished, deleted and published.

The repository promises persistent deletions, so a record that stops being harvestable
must be reported as deleted rather than vanish. Only records that were harvestable get a
tombstone: live, published pages outside any private section.
"""

from __future__ import annotations

from django.db.models.signals import pre_delete
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished

from portal.core.catalogue import kind_model
from portal.oai.selectors import ITEM_KINDS, has_tombstone, is_public, was_harvestable
from portal.oai.services import tombstone_record, tombstone_remove


def connect() -> None:
    """Listen to the item models only: other pages are never OAI records."""
    for kind in ITEM_KINDS:
        model = kind_model(kind)
        page_unpublished.connect(on_unpublished, sender=model, dispatch_uid=f"oai-unpub-{kind}")
        page_published.connect(on_published, sender=model, dispatch_uid=f"oai-pub-{kind}")
        # Before the delete, while the page's locale, sector and privacy can still be read.
        pre_delete.connect(on_deleted, sender=model, dispatch_uid=f"oai-delete-{kind}")


def on_unpublished(sender: type[Page], instance: Page, **kwargs: object) -> None:
    """An unpublished page was live just before (Wagtail only signals those)."""
    if was_harvestable(instance):
        tombstone_record(instance)


def on_deleted(sender: type[Page], instance: Page, **kwargs: object) -> None:
    """A deleted live page gets a tombstone; an unpublished one keeps the one it has."""
    if instance.live and was_harvestable(instance):
        tombstone_record(instance)


def on_published(sender: type[Page], instance: Page, **kwargs: object) -> None:
    """A republished page is harvestable again, unless it is now in a private section.

    Most pages published have no tombstone (every new one): one lookup settles them.
    """
    if has_tombstone(instance) and is_public(instance):
        tombstone_remove(instance)
