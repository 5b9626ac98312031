"""Reads of the search: a page of results with facets, and title suggestions."""

from __future__ import annotations

import math
from collections import Counter

from django.utils.translation import gettext

from portal.core.models import Sector
from portal.search.documents import KINDS
from portal.search.engine import DEFAULT_PARAMS, RankingParams, browse, clean_query, rank
from portal.search.models import SearchEntry
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


def _item_facts(snap, key: str) -> dict:
    rows = snap.rows_of_key[key]
    first = rows[0]
    return {
        "kind": snap.kinds[first],
        "sector_id": next((snap.sector_ids[r] for r in rows if snap.sector_ids[r]), None),
        "year": next((snap.years[r] for r in rows if snap.years[r]), None),
        "languages": tuple(sorted({snap.languages[r] for r in rows})),
    }


def _passes(
    facts: dict, filters: SearchFilters, sector_ids: dict[str, int], *, ignore: str = ""
) -> bool:
    """Whether an item passes the filters, leaving out the facet named ``ignore``."""
    if filters.kind and ignore != "kind" and facts["kind"] != filters.kind:
        return False
    sector = sector_ids.get(filters.sector, -1)
    if filters.sector and ignore != "sector" and facts["sector_id"] != sector:
        return False
    if filters.year and ignore != "year" and facts["year"] != filters.year:
        return False
    return not (
        filters.language and ignore != "language" and filters.language not in facts["languages"]
    )


def _facets(
    facts: list[dict], filters: SearchFilters, sectors: list[Sector], language: str
) -> dict[str, list[FacetValue]]:
    """Counts of each facet's values among the items that pass the *other* filters, so
    that choosing one kind still shows how many items the other kinds would give."""
    by_id = {sector.pk: sector for sector in sectors}
    sector_ids = {sector.slug: sector.pk for sector in sectors}

    def passing(facet: str) -> list[dict]:
        return [f for f in facts if _passes(f, filters, sector_ids, ignore=facet)]

    sector_counts = Counter(f["sector_id"] for f in passing("sector") if f["sector_id"] in by_id)
    kind_counts = Counter(f["kind"] for f in passing("kind"))
    year_counts = Counter(f["year"] for f in passing("year") if f["year"])
    language_counts = Counter(code for f in passing("language") for code in f["languages"])
    name = "name_ko" if language == "ko" else "name_en"
    labels = kind_labels()
    return {
        "sector": [
            FacetValue(s.slug, getattr(s, name), sector_counts[s.pk], s.slug == filters.sector)
            for s in sectors
            if sector_counts[s.pk]
        ],
        "kind": [
            FacetValue(k, labels[k], kind_counts[k], k == filters.kind)
            for k in KINDS
            if kind_counts[k]
        ],
        "year": [
            FacetValue(str(y), str(y), c, y == filters.year)
            for y, c in sorted(year_counts.items(), reverse=True)
        ],
        "language": [
            FacetValue(code, LANGUAGE_LABELS[code], language_counts[code], code == filters.language)
            for code in ("ko", "en")
            if language_counts[code]
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
    the whole result set, each facet under the other facets' filters.
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
    sectors = list(Sector.objects.order_by("sort_order", "slug"))
    sector_ids = {sector.slug: sector.pk for sector in sectors}
    facts = {key: _item_facts(snap, key) for key in ranking.keys}
    kept = [key for key in ranking.keys if _passes(facts[key], filters, sector_ids)]
    result.facets = _facets(list(facts.values()), filters, sectors, language)
    result.expansions = ranking.expansions
    result.total = len(kept)
    result.pages = max(1, math.ceil(len(kept) / per_page))
    result.page = min(max(1, page), result.pages)
    window = kept[(result.page - 1) * per_page : result.page * per_page]
    result.hits = _hits(window, ranking, facts, sectors, language)
    return result


def _hits(keys, ranking, facts, sectors, language) -> list[Hit]:
    snap = ranking.snapshot
    wanted = []
    for key in keys:
        rows = snap.rows_of_key[key]
        chosen = next((r for r in rows if snap.languages[r] == language), rows[0])
        wanted.append(int(snap.entry_ids[chosen]))
    entries = SearchEntry.objects.in_bulk(wanted)
    names = {s.pk: (s.name_ko if language == "ko" else s.name_en) for s in sectors}
    slugs = {s.pk: s.slug for s in sectors}
    labels = kind_labels()
    terms = set(ranking.terms)
    hits = []
    for key, entry_id in zip(keys, wanted, strict=True):
        entry = entries.get(entry_id)
        if entry is None:
            continue
        item = facts[key]
        text = entry.summary if entry.summary else entry.body
        snippet = highlight(text, terms)
        if "<mark>" not in snippet and entry.body:
            body_snippet = highlight(entry.body, terms)
            snippet = body_snippet if "<mark>" in body_snippet else snippet
        hits.append(
            Hit(
                page_id=entry.page_id,
                translation_key=key,
                language=entry.language,
                languages=item["languages"],
                kind=entry.kind,
                kind_label=labels.get(entry.kind, entry.kind),
                title=entry.title,
                url=entry.url,
                snippet_html=snippet,
                date=entry.date.isoformat() if entry.date else "",
                year=item["year"],
                sector_slug=slugs.get(item["sector_id"], ""),
                sector_name=names.get(item["sector_id"], ""),
                score=ranking.scores[key],
                other_language_only=language not in item["languages"],
            )
        )
    return hits


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
