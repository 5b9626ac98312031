"""Creating many live pages at once, for imports.

``parent.add_child(instance=page)`` then ``page.save_revision().publish()`` costs about 80
queries and 70 ms a page: the page is validated and saved three times, its parent read
again, its log entries and revision written one by one. ``LivePageCreator`` writes the
same rows — the page with its tree position, one revision, the ``wagtail.create`` and
``wagtail.publish`` log entries — and sends the same ``page_published`` signal, with the
page validated and inserted once and everything else written in bulk at the end of the
batch.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import F
from django.utils import timezone
from wagtail.models import Page, PageLogEntry, Revision
from wagtail.signals import page_published, published


class LivePageCreator:
    """New live pages under parents that already exist, written in one batch.

    Use it inside one transaction: ``create`` each page (inside ``document`` blocks, so
    that pages of a block rolled back are forgotten), then ``finish`` before the
    transaction ends. The parents' rows are locked from the first page created under them
    until the transaction ends, so that no other writer takes the same tree positions.
    """

    def __init__(self) -> None:
        self._parents: dict[int, Page] = {}
        self._next_path: dict[int, str] = {}
        self._created: list[tuple[Page, Page]] = []  # (parent, page), in creation order

    def create(self, *, parent: Page, page: Page) -> Page:
        """Validate ``page`` as a child of ``parent`` and insert it, live.

        Raises ``ValidationError`` with nothing written when the page is not valid.
        """
        parent = self.parent(parent_id=parent.pk)
        path = self._next_path[parent.pk]
        now = timezone.now()
        page.depth = parent.depth + 1
        page.path = path
        page.numchild = 0
        page._cached_parent_obj = parent
        page._is_site_root = False  # a new page under a parent never is
        page.live = True
        page.expired = False
        page.has_unpublished_changes = False
        page.first_published_at = page.last_published_at = now
        page.latest_revision_created_at = now
        page.draft_title = page.title
        page.full_clean()
        page.save(clean=False, log_action=None)
        self._next_path[parent.pk] = page._inc_path()
        self._created.append((parent, page))
        return page

    @contextmanager
    def document(self) -> Iterator[None]:
        """A block whose pages are forgotten, and their tree positions given back, when it
        raises (the caller's savepoint rolls their rows back)."""
        mark = len(self._created)
        try:
            yield
        except BaseException:
            for parent, page in reversed(self._created[mark:]):
                self._next_path[parent.pk] = page.path
            del self._created[mark:]
            raise

    def finish(self) -> list[Page]:
        """Write the revisions, log entries and parents' child counts of the pages created
        since the last call, send ``page_published`` for each, and return them."""
        created, self._created = self._created, []
        self._parents.clear()
        self._next_path.clear()
        if not created:
            return []
        pages = [page for _parent, page in created]
        base_type = ContentType.objects.get_for_model(Page)
        revisions = Revision.objects.bulk_create(
            [
                Revision(
                    content_object=page,
                    base_content_type=base_type,
                    content=page.serializable_data(),
                    object_str=str(page),
                    created_at=page.latest_revision_created_at,
                )
                for page in pages
            ]
        )
        for page, revision in zip(pages, revisions, strict=True):
            page.latest_revision = page.live_revision = revision
        Page.objects.bulk_update(pages, ["latest_revision", "live_revision"])
        entries = []
        for page, revision in zip(pages, revisions, strict=True):
            common = {
                "content_type": ContentType.objects.get_for_model(page, for_concrete_model=False),
                "label": page.get_admin_display_title(),
                "page": page,
                "data": {},
                "content_changed": True,
            }
            entries.append(
                PageLogEntry(action="wagtail.create", timestamp=page.first_published_at, **common)
            )
            entries.append(
                PageLogEntry(
                    action="wagtail.publish",
                    timestamp=page.last_published_at,
                    revision=revision,
                    **common,
                )
            )
        PageLogEntry.objects.bulk_create(entries)
        added: dict[int, int] = {}
        for parent, _page in created:
            added[parent.pk] = added.get(parent.pk, 0) + 1
        for parent_id, count in added.items():
            Page.objects.filter(pk=parent_id).update(numchild=F("numchild") + count)
        for page, revision in zip(pages, revisions, strict=True):
            page_published.send(sender=page.specific_class, instance=page, revision=revision)
            published.send(sender=type(page), instance=page, revision=revision)
        return pages

    def parent(self, *, parent_id: int) -> Page:
        """The parent as stored, locked, with the path its next child gets."""
        parent = self._parents.get(parent_id)
        if parent is None:
            rows = Page.objects.filter(pk=parent_id)
            if connection.features.has_select_for_update:
                rows = rows.select_for_update()
            parent = self._parents[parent_id] = rows.get()
            last = parent.get_last_child()
            self._next_path[parent_id] = (
                last._inc_path() if last else Page._get_path(parent.path, parent.depth + 1, 1)
            )
        return parent
