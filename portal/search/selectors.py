"""Reads of the search: a page of results with facets, and title suggestions."""

from __future__ import annotations

import math

import numpy as np
from django.db import connection
from django.utils.translation import gettext

from portal.archives.models import DocumentPageText
from portal.core.models import Sector
from portal.core.selectors import sectors_in_order
from portal.search.documents import KINDS
from portal.search.engine import (
    DEFAULT_PARAMS,
    RankingParams,
    Snapshot,
    browse,
    clean_query,
    rank,
)
from portal.search.models import DocumentPageTerm, SearchEntry
from portal.search.results import FacetValue, Hit, SearchFilters, SearchPage
from portal.search.snippets import highlight

LANGUAGE_LABELS = {"ko": "한국어", "en": "English"}


def kind_labels() -> dict[str, str]:
    return {
        "policy": gettext("Policy"),
        "news": gettext("News"),
        "archive": gettext("Archive"),
        "programme": gettext("Programme"),
    }


def _filter_masks(
    snap: Snapshot, items: np.ndarray, filters: SearchFilters, sector_ids: dict[str, int]
) -> dict[str, np.ndarray]:
    """For each facet with a filter, which of ``items`` pass it."""
    masks: dict[str, np.ndarray] = {}
    if filters.kind:
        known = filters.kind in snap.kind_names
        code = snap.kind_names.index(filters.kind) if known else -1
        masks["kind"] = snap.item_kind[items] == code
    if filters.sector:
        masks["sector"] = snap.item_sector[items] == sector_ids.get(filters.sector, -1)
    if filters.year:
        masks["year"] = snap.item_year[items] == filters.year
    if filters.language:
        in_language = snap.item_in_language.get(filters.language)
        masks["language"] = (
            in_language[items] if in_language is not None else np.zeros(len(items), dtype=bool)
        )
    return masks


def _passing(masks: dict[str, np.ndarray], count: int, *, ignore: str = "") -> np.ndarray:
    """Which items pass every filter, leaving out the facet named ``ignore``."""
    passing = np.ones(count, dtype=bool)
    for facet, mask in masks.items():
        if facet != ignore:
            passing &= mask
    return passing


def _counts(values: np.ndarray) -> dict[int, int]:
    found, counts = np.unique(values, return_counts=True)
    return dict(zip(found.tolist(), counts.tolist(), strict=True))


def _facets(
    snap: Snapshot,
    items: np.ndarray,
    masks: dict[str, np.ndarray],
    filters: SearchFilters,
    sectors: list[Sector],
    language: str,
) -> dict[str, list[FacetValue]]:
    """Counts of each facet's values among the items that pass the *other* filters, so
    that choosing one kind still shows how many items the other kinds would give."""

    def passing(facet: str) -> np.ndarray:
        return items[_passing(masks, len(items), ignore=facet)]

    sector_counts = _counts(snap.item_sector[passing("sector")])
    kind_counts = {
        snap.kind_names[code]: count
        for code, count in _counts(snap.item_kind[passing("kind")]).items()
    }
    year_counts = _counts(snap.item_year[passing("year")])
    year_counts.pop(0, None)
    in_language = passing("language")
    language_counts = {
        code: int(np.count_nonzero(mask[in_language]))
        for code, mask in snap.item_in_language.items()
    }
    name = "name_ko" if language == "ko" else "name_en"
    labels = kind_labels()
    return {
        "sector": [
            FacetValue(s.slug, getattr(s, name), sector_counts[s.pk], s.slug == filters.sector)
            for s in sectors
            if sector_counts.get(s.pk)
        ],
        "kind": [
            FacetValue(k, labels[k], kind_counts[k], k == filters.kind)
            for k in KINDS
            if kind_counts.get(k)
        ],
        "year": [
            FacetValue(str(y), str(y), c, y == filters.year)
            for y, c in sorted(year_counts.items(), reverse=True)
        ],
        "language": [
            FacetValue(code, LANGUAGE_LABELS[code], language_counts[code], code == filters.language)
            for code in ("ko", "en")
            if language_counts.get(code)
        ],
    }


def search_page(
    *,
    query: str,
    language: str,
    filters: SearchFilters | None = None,
    page: int = 1,
    per_page: int = 10,
    params: RankingParams = DEFAULT_PARAMS,
) -> SearchPage:
    """One page of the results of ``query`` for a visitor reading ``language``.

    Without a query but with a filter, every item that passes the filters, newest first
    (browsing a sector, a kind or a year); without either, nothing. Facet counts cover
    the whole result set, each facet under the other facets' filters; they are counted
    over the snapshot's arrays, and only the page shown is read from the database.
    """
    filters = filters or SearchFilters()
    text, truncated = clean_query(query)
    result = SearchPage(
        query=text, truncated=truncated, language=language, total=0, page=1, pages=0,
        per_page=per_page,
    )  # fmt: skip
    if text:
        ranking = rank(query=text, language=language, params=params)
    elif filters != SearchFilters():
        ranking = browse()
    else:
        return result
    snap = ranking.snapshot
    sectors = sectors_in_order()
    sector_ids = {sector.slug: sector.pk for sector in sectors}
    masks = _filter_masks(snap, ranking.items, filters, sector_ids)
    kept = np.flatnonzero(_passing(masks, len(ranking.items)))
    result.facets = _facets(snap, ranking.items, masks, filters, sectors, language)
    result.expansions = ranking.expansions
    result.total = len(kept)
    result.pages = max(1, math.ceil(len(kept) / per_page))
    result.page = min(max(1, page), result.pages)
    window = kept[(result.page - 1) * per_page : result.page * per_page]
    result.hits = _hits(
        ranking.items[window].tolist(), ranking.scores[window].tolist(), ranking, sectors, language
    )
    return result


def _hits(items, scores, ranking, sectors, language) -> list[Hit]:
    snap = ranking.snapshot
    wanted = []
    for item in items:
        rows = snap.rows_of(item).tolist()
        chosen = next((r for r in rows if snap.languages[r] == language), rows[0])
        wanted.append(int(snap.entry_ids[chosen]))
    entries = SearchEntry.objects.select_related("document").in_bulk(wanted)
    names = {s.pk: (s.name_ko if language == "ko" else s.name_en) for s in sectors}
    slugs = {s.pk: s.slug for s in sectors}
    labels = kind_labels()
    terms = set(ranking.terms)
    pages = _document_pages(
        [entry for entry in entries.values() if entry.document_id is not None], terms
    )
    hits = []
    for item, score, entry_id in zip(items, scores, wanted, strict=True):
        entry = entries.get(entry_id)
        if entry is None:
            continue
        sector_id = int(snap.item_sector[item]) or None
        languages = snap.item_languages[item]
        text = entry.summary if entry.summary else entry.body
        snippet = highlight(text, terms)
        if "<mark>" not in snippet and entry.body:
            body_snippet = highlight(entry.body, terms)
            snippet = body_snippet if "<mark>" in body_snippet else snippet
        document_page, page_text = pages.get(entry.pk, (None, ""))
        if document_page is not None and "<mark>" not in snippet:
            snippet = highlight(page_text, terms)
        hits.append(
            Hit(
                page_id=entry.page_id,
                translation_key=snap.item_keys[item],
                language=entry.language,
                languages=languages,
                kind=entry.kind,
                kind_label=labels.get(entry.kind, entry.kind),
                title=entry.title,
                url=entry.url,
                snippet_html=snippet,
                date=entry.date.isoformat() if entry.date else "",
                year=int(snap.item_year[item]) or None,
                sector_slug=slugs.get(sector_id, ""),
                sector_name=names.get(sector_id, ""),
                score=score,
                other_language_only=language not in languages,
                document_page=document_page,
                document_url=(
                    f"{entry.document.url}#page={document_page}"
                    if document_page is not None
                    else ""
                ),
            )
        )
    return hits


def _document_pages(entries: list[SearchEntry], terms: set[str]) -> dict[int, tuple[int, str]]:
    """For each entry with a PDF: the page of it holding most of the query's terms (the
    first of those in a tie), and its text; entries whose PDF holds none of them are left
    out. One query for the page of results."""
    if not entries or not terms:
        return {}
    entry_marks = ", ".join(["%s"] * len(entries))
    term_marks = ", ".join(["%s"] * len(terms))
    sql = f"""
        SELECT best.entry_id, best.page, text.text
        FROM (
            SELECT entry_id, page,
                   ROW_NUMBER() OVER (
                       PARTITION BY entry_id ORDER BY COUNT(*) DESC, page
                   ) AS place
            FROM {DocumentPageTerm._meta.db_table}
            WHERE entry_id IN ({entry_marks}) AND term IN ({term_marks})
            GROUP BY entry_id, page
        ) best
        JOIN {SearchEntry._meta.db_table} entry ON entry.id = best.entry_id
        LEFT JOIN {DocumentPageText._meta.db_table} text
            ON text.document_id = entry.document_id AND text.number = best.page
        WHERE best.place = 1
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [entry.pk for entry in entries] + sorted(terms))
        return {entry_id: (page, text or "") for entry_id, page, text in cursor.fetchall()}


def title_suggestions(*, prefix: str, language: str, limit: int = 8) -> list[dict]:
    """Titles of live pages that start with, or contain, what the visitor has typed.

    Titles in the visitor's language first; at most ``limit``.
    """
    text, _ = clean_query(prefix)
    if len(text) < 1:
        return []
    rows = (
        SearchEntry.objects.filter(title__icontains=text)
        .order_by("-date", "pk")
        .values_list("title", "url", "language")[:200]
    )
    folded = text.casefold()
    ordered = sorted(
        rows,
        key=lambda r: (r[2] != language, not r[0].casefold().startswith(folded), r[0]),
    )
    seen: set[str] = set()
    suggestions = []
    for title, url, code in ordered:
        if title in seen:
            continue
        seen.add(title)
        suggestions.append({"title": title, "url": url, "language": code})
        if len(suggestions) == limit:
            break
    return suggestions
