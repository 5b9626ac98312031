"""Writes to the search index: a page in, a page out, everything again."""

from __future__ import annotations

import multiprocessing
import secrets
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
from django.db import transaction
from wagtail.models import Page, PageViewRestriction

from portal.search.analysis import analyse, is_spellable
from portal.search.backends import LexicalFields, get_backend
from portal.search.documents import SEARCHABLE, SearchDocument, is_searchable, page_document
from portal.search.embeddings import embed
from portal.search.models import DocumentPageTerm, IndexState, SearchEntry, SearchTerm

# Longer terms are not kept for finding the page of a match (the column's length).
MAX_PAGE_TERM = 100

# A page of a PDF and the distinct terms on it.
PageTerms = tuple[int, list[str]]


def _lexical_fields(document: SearchDocument) -> tuple[LexicalFields, list[PageTerms]]:
    """The entry's terms by column, the text of its PDF in the body; and the terms of each
    page of the PDF, to show on which page a match is."""
    title = analyse(document.title, names=True)
    summary = analyse(document.summary)
    tags = analyse(" ".join(document.tags), names=True)
    body = analyse(document.body)
    pages = [(number, analyse(text)) for number, text in document.document_pages]
    fields = LexicalFields(
        title=title.terms,
        summary=summary.terms + tags.terms,
        body=body.terms + [term for _number, page in pages for term in page.terms],
        parts=title.parts
        + summary.parts
        + tags.parts
        + body.parts
        + [part for _number, page in pages for part in page.parts],
    )
    page_terms = [
        (number, sorted(term for term in {*page.terms, *page.parts} if len(term) <= MAX_PAGE_TERM))
        for number, page in pages
    ]
    return fields, page_terms


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


def _entry_values(page: Page, document: SearchDocument) -> dict:
    """The entry's columns that come from the page, not from the analysis of its text."""
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
        "document_id": document.document_id,
    }


@dataclass(frozen=True)
class _Prepared:
    """A page read for indexing, without the page itself: what the entry needs of it."""

    page_id: int
    document: SearchDocument
    values: dict


def _prepare(pages: list[Page]) -> list[_Prepared]:
    """The documents of ``pages`` (live, specific) that are indexed."""
    prepared = []
    for page in pages:
        document = page_document(page)
        if document is not None:
            prepared.append(_Prepared(page.pk, document, _entry_values(page, document)))
    return prepared


def analyse_documents(
    documents: list[SearchDocument],
) -> tuple[list[LexicalFields], np.ndarray, list[list[PageTerms]]]:
    """The analysed terms, the embedding and the PDF's page terms of each document, in
    one batch of embeddings.

    The CPU-heavy half of indexing, without the database: a parallel batch runs it in
    worker processes (see ``search_index_batch``).
    """
    analysed = [_lexical_fields(document) for document in documents]
    fields = [entry_fields for entry_fields, _pages in analysed]
    vectors = embed([embedding_text(document) for document in documents])
    return fields, vectors, [pages for _fields, pages in analysed]


def _store(
    prepared: list[_Prepared],
    fields: list[LexicalFields],
    vectors: np.ndarray,
    page_terms: list[list[PageTerms]],
) -> int:
    """Write the analysed entries in one transaction; how many were written."""
    if not prepared:
        return 0
    backend = get_backend()
    spellable = {
        term
        for entry_fields in fields
        for term in (*entry_fields.title, *entry_fields.summary, *entry_fields.body)
        if is_spellable(term)
    }
    with transaction.atomic():
        SearchTerm.objects.bulk_create(
            [SearchTerm(term=term) for term in sorted(spellable)], ignore_conflicts=True
        )
        for item, entry_fields, vector, pages in zip(
            prepared, fields, vectors, page_terms, strict=True
        ):
            values = {
                **item.values,
                "title_terms": " ".join(entry_fields.title),
                "summary_terms": " ".join(entry_fields.summary),
                "body_terms": " ".join(entry_fields.body),
                "parts": " ".join(entry_fields.parts),
                "length": entry_fields.length(),
                "embedding": vector.astype("float32").tobytes(),
            }
            entry, created = SearchEntry.objects.update_or_create(
                page_id=item.page_id, defaults=values
            )
            backend.upsert(entry_id=entry.pk, fields=entry_fields)
            if not created:
                DocumentPageTerm.objects.filter(entry=entry).delete()
            DocumentPageTerm.objects.bulk_create(
                [
                    DocumentPageTerm(entry=entry, page=number, term=term)
                    for number, terms in pages
                    for term in terms
                ]
            )
        index_version_bump()
    return len(prepared)


def _write(pages: list[Page]) -> int:
    """Index ``pages`` (live, specific) in one batch of embeddings; how many were written."""
    prepared = _prepare(pages)
    if not prepared:
        return 0
    return _store(prepared, *analyse_documents([item.document for item in prepared]))


class _Batch:
    """The pages published inside a ``search_index_batch`` block, and their analyses
    running in worker processes, if any."""

    def __init__(self, processes: int, batch_size: int) -> None:
        self.pending: set[int] = set()
        self.batch_size = batch_size
        # Forked, so that the workers have the code without setting Django up again; they
        # never touch the database, which only this process writes.
        self.pool = (
            ProcessPoolExecutor(processes, mp_context=multiprocessing.get_context("fork"))
            if processes
            else None
        )
        self.running: deque[tuple[list[_Prepared], Future]] = deque()

    def add(self, page_id: int) -> None:
        self.pending.add(page_id)
        if self.pool is not None:
            # Once the page is committed, its analysis can start while this process
            # writes the next pages. (Registered for each page: the callbacks of a
            # savepoint rolled back are dropped.)
            transaction.on_commit(self.send)

    def send(self) -> None:
        """Read the pending pages and hand their analysis to the workers (with no workers,
        analyse and store them here)."""
        self.collect(wait=False)
        page_ids, self.pending = sorted(self.pending), set()
        if not page_ids:
            return
        pages = Page.objects.filter(pk__in=page_ids).specific()
        live = _public([page for page in pages if is_searchable(page)])
        gone = set(page_ids) - {page.pk for page in live}
        if gone:
            search_remove_pages(page_ids=gone)
        for start in range(0, len(live), self.batch_size):
            if self.pool is None:
                _write(live[start : start + self.batch_size])
                continue
            prepared = _prepare(live[start : start + self.batch_size])
            if prepared:
                documents = [item.document for item in prepared]
                self.running.append((prepared, self.pool.submit(analyse_documents, documents)))

    def collect(self, *, wait: bool) -> None:
        """Store the analyses done, in the order they were sent; ``wait`` for all of them."""
        while self.running and (wait or self.running[0][1].done()):
            prepared, future = self.running.popleft()
            _store(prepared, *future.result())

    def finish(self) -> None:
        try:
            self.send()
            self.collect(wait=True)
            get_backend().refresh_statistics()
        finally:
            if self.pool is not None:
                self.pool.shutdown(cancel_futures=True)


_batch = threading.local()


@contextmanager
def search_index_batch(*, processes: int = 0, batch_size: int = 32) -> Iterator[None]:
    """Index the pages published inside the block many at a time, by the block's end.

    For bulk work (an import of thousands of pages): the index version changes once per
    batch instead of once per page. With ``processes``, the analysis and embedding of
    each page (most of the time indexing takes) run in that many worker processes, from
    the moment its transaction commits, while this process goes on writing pages, and
    this process stores the results; without, the pages are indexed at the block's end.
    Pages are indexed even when the block fails half-way, since what was published before
    the failure is live.
    """
    if getattr(_batch, "current", None) is not None:
        yield
        return
    _batch.current = _Batch(processes, batch_size)
    try:
        yield
    finally:
        batch, _batch.current = _batch.current, None
        batch.finish()


def _is_public(page: Page) -> bool:
    return page.live and not page.get_view_restrictions().exists()


def _public(pages: list[Page]) -> list[Page]:
    """The live pages of ``pages`` that no view restriction covers, in one query (a
    restriction covers its page and everything below it)."""
    restricted = tuple(PageViewRestriction.objects.values_list("page__path", flat=True))
    return [page for page in pages if page.live and not page.path.startswith(restricted)]


def search_index_page(*, page: Page) -> bool:
    """Bring the page's entry in line with its live state: indexed when live, else removed."""
    batch = getattr(_batch, "current", None)
    if batch is not None:
        batch.add(page.pk)
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
    backend.refresh_statistics()
    return done
