"""What a search returns: the shapes shared by the engine, the search page and the API."""

from __future__ import annotations

from dataclasses import dataclass, field

# Queries longer than this are cut before analysis (a visitor's question fits easily).
MAX_QUERY_LENGTH = 200


@dataclass(frozen=True)
class SearchFilters:
    """Facet filters chosen by the visitor; empty values mean "any"."""

    sector: str = ""  # Sector slug
    kind: str = ""  # "policy", "news", "archive", "programme"
    year: int | None = None
    language: str = ""  # "ko" or "en": only items that exist in that language


@dataclass(frozen=True)
class Hit:
    """One item (all its language versions) as found by a search."""

    page_id: int  # the version shown: the visitor's language when it exists
    translation_key: str
    language: str  # language of the version shown
    languages: tuple[str, ...]  # every language the item exists in
    kind: str
    kind_label: str  # in the visitor's language
    title: str
    url: str
    snippet_html: str  # escaped text with <mark> around matched words
    date: str  # ISO date, "" when unknown
    year: int | None
    sector_slug: str
    sector_name: str  # in the visitor's language
    score: float
    # The item has no version in the visitor's language: the page shows a badge
    # ("English only" / "한국어만").
    other_language_only: bool = False
    # The words were found inside the attached PDF, on this page ("p. 12 of the
    # document"); ``document_url`` opens the PDF there (``#page=12``).
    document_page: int | None = None
    document_url: str = ""


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool = False


@dataclass
class SearchPage:
    """One page of results with the facets of the whole result set."""

    query: str  # the query as used (trimmed and cut to MAX_QUERY_LENGTH)
    truncated: bool  # the visitor's query was longer and was cut
    language: str
    total: int
    page: int
    pages: int
    per_page: int
    hits: list[Hit] = field(default_factory=list)
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)  # sector/kind/year/language
    expansions: list[str] = field(default_factory=list)  # glossary terms added to the query
