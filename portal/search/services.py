"""Writes to the search index: a page in, a page out, everything again."""

from __future__ import annotations

import secrets
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

from django.db import transaction
from wagtail.models import Page

from portal.search.analysis import analyse, is_spellable
from portal.search.backends import LexicalFields, get_backend
from portal.search.documents import SEARCHABLE, SearchDocument, is_searchable, page_document
from portal.search.embeddings import embed
from portal.search.models import IndexState, SearchEntry, SearchTerm


def _lexical_fields(document: SearchDocument) -> LexicalFields:
    title = analyse(document.title, names=True)
    summary = analyse(document.summary)
    tags = analyse(" ".join(document.tags), names=True)
    body = analyse(document.body)
    return LexicalFields(
        title=title.terms,
        summary=summary.terms + tags.terms,
        body=body.terms,
        parts=title.parts + summary.parts + tags.parts + body.parts,
    )


def embedding_text(document: SearchDocument) -> str:
    """The text whose embedding stands for the page: what it is about, then its body."""
    return f"{document.title}. {document.summary} {document.body}"


def index_version_bump() -> None:
    """Tell every process that the index changed (see ``IndexState``).

    The new version is random rather than the next number: a rolled-back transaction or
    a restored backup brings an old number back with other content, a random one never
    comes back.
    """
    version = secrets.randbits(62)
    if not IndexState.objects.filter(pk=1).update(version=version):
        IndexState.objects.update_or_create(pk=1, defaults={"version": version})


def _entry_values(page: Page, document: SearchDocument, fields: LexicalFields) -> dict:
    return {
        "translation_key": page.translation_key,
        "language": page.locale.language_code,
        "kind": document.kind,
        "sector_id": document.sector_id,
        "date": document.date,
        "year": document.date.year if document.date else None,
        "url": page.get_url() or page.url_path,
        "title": document.title,
        "summary": document.summary,
        "body": document.body,
        "title_terms": " ".join(fields.title),
        "summary_terms": " ".join(fields.summary),
        "body_terms": " ".join(fields.body),
        "parts": " ".join(fields.parts),
        "length": fields.length(),
    }


def _write(pages: list[Page]) -> int:
    """Index ``pages`` (live, specific) in one batch of embeddings; how many were written."""
    prepared = []
    for page in pages:
        document = page_document(page)
        if document is not None:
            prepared.append((page, document, _lexical_fields(document)))
    if not prepared:
        return 0
    vectors = embed([embedding_text(document) for _, document, _ in prepared])
    backend = get_backend()
    spellable = {
        term
        for _, _, fields in prepared
        for term in (*fields.title, *fields.summary, *fields.body)
        if is_spellable(term)
    }
    with transaction.atomic():
        SearchTerm.objects.bulk_create(
            [SearchTerm(term=term) for term in sorted(spellable)], ignore_conflicts=True
        )
        for (page, document, fields), vector in zip(prepared, vectors, strict=True):
            values = _entry_values(page, document, fields)
            values["embedding"] = vector.astype("float32").tobytes()
            entry, _ = SearchEntry.objects.update_or_create(page_id=page.pk, defaults=values)
            backend.upsert(entry_id=entry.pk, fields=fields)
        index_version_bump()
    return len(prepared)


_batch = threading.local()


@contextmanager
def search_index_batch() -> Iterator[None]:
    """Index the pages published inside the block at its end, many at a time.

    For bulk work (an import of thousands of pages): the encoder embeds a batch of texts
    faster than the same texts one by one, and the index version changes once per batch
    instead of once per page. Pages are indexed even when the block fails half-way, since
    what was published before the failure is live.
    """
    if getattr(_batch, "pending", None) is not None:
        yield
        return
    _batch.pending = set()
    try:
        yield
    finally:
        pending, _batch.pending = _batch.pending, None
        _index_pending(sorted(pending))


def _index_pending(page_ids: list[int], batch_size: int = 32) -> None:
    pages = Page.objects.filter(pk__in=page_ids).specific()
    live = [page for page in pages if is_searchable(page) and _is_public(page)]
    gone = set(page_ids) - {page.pk for page in live}
    if gone:
        search_remove_pages(page_ids=gone)
    for start in range(0, len(live), batch_size):
        _write(live[start : start + batch_size])


def _is_public(page: Page) -> bool:
    return page.live and not page.get_view_restrictions().exists()


def search_index_page(*, page: Page) -> bool:
    """Bring the page's entry in line with its live state: indexed when live, else removed."""
    pending = getattr(_batch, "pending", None)
    if pending is not None:
        pending.add(page.pk)
        return True
    page = Page.objects.get(pk=page.pk).specific
    if not is_searchable(page):
        return False
    if not _is_public(page):
        search_remove_pages(page_ids=[page.pk])
        return False
    return _write([page]) == 1


def search_update_urls(*, page: Page) -> None:
    """After a move or a new slug: the addresses of the page and everything below it.

    Only the address changed, so nothing is analysed or embedded again.
    """
    indexed = SearchEntry.objects.values("page_id")
    for descendant in page.get_descendants(inclusive=True).filter(pk__in=indexed).specific():
        SearchEntry.objects.filter(page_id=descendant.pk).update(
            url=descendant.get_url() or descendant.url_path
        )


def search_update_privacy(*, page: Page) -> None:
    """After a view restriction was added or removed: the page and everything below it
    leave the index, or come back to it, without a new revision."""
    indexed = set(SearchEntry.objects.values_list("page_id", flat=True))
    gone, back = [], []
    for descendant in page.get_descendants(inclusive=True).live().specific():
        if not is_searchable(descendant):
            continue
        public = _is_public(descendant)
        if descendant.pk in indexed and not public:
            gone.append(descendant.pk)
        elif public and descendant.pk not in indexed:
            back.append(descendant)
    search_remove_pages(page_ids=gone)
    for start in range(0, len(back), 32):
        _write(back[start : start + 32])


def search_remove_pages(*, page_ids: Iterable[int]) -> None:
    """Take pages out of the index (the entries' deletion clears the full-text rows)."""
    with transaction.atomic():
        SearchEntry.objects.filter(page_id__in=list(page_ids)).delete()


def search_entry_forget(*, entry_id: int) -> None:
    """After an entry is gone, with its page or on its own: its full-text row goes too."""
    get_backend().delete(entry_ids=[entry_id])
    index_version_bump()


def searchable_pages():
    labels = [label.split(".") for label in SEARCHABLE]
    from django.contrib.contenttypes.models import ContentType

    types = [ContentType.objects.get_by_natural_key(app, model) for app, model in labels]
    return Page.objects.live().public().filter(content_type__in=types).order_by("path").specific()


def search_index_rebuild(
    *, batch_size: int = 32, progress: Callable[[int, int], None] | None = None
) -> int:
    """Index every live searchable page again, from nothing; how many entries it made."""
    backend = get_backend()
    with transaction.atomic():
        backend.clear()
        SearchEntry.objects.all().delete()
        SearchTerm.objects.all().delete()
        index_version_bump()
    pages = list(searchable_pages())
    done = 0
    for start in range(0, len(pages), batch_size):
        done += _write(pages[start : start + batch_size])
        if progress:
            progress(min(start + batch_size, len(pages)), len(pages))
    return done
