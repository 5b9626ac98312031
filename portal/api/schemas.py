"""The shapes of the API's answers and of its query parameters, as the OpenAPI document
describes them."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import BeforeValidator

Kind = Literal["policy", "news", "archive", "programme"]
Language = Literal["ko", "en"]
SLUG_PATTERN = r"^[-a-zA-Z0-9_]+$"
MAX_PER_PAGE = 100
MAX_PAGE = 10_000
_ISO_DATE_TIME = re.compile(
    r"\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?"
)


def _iso_only(value: object) -> object:
    """Refuse what pydantic would otherwise read as a Unix time (``0.5``): the document
    promises ISO 8601."""
    if isinstance(value, str) and not _ISO_DATE_TIME.fullmatch(value.strip()):
        raise ValueError("Give an ISO 8601 date and time, e.g. 2026-01-31T09:00:00Z.")
    return value


IsoDateTime = Annotated[dt.datetime, BeforeValidator(_iso_only)]


class Error(Schema):
    detail: str = Field(description="What went wrong, in the client's language.")


class ParameterError(Schema):
    loc: list[str | int] = Field(description='Where: e.g. ["query", "year"].')
    msg: str
    type: str


class InvalidRequest(Error):
    errors: list[ParameterError]


class Sector(Schema):
    slug: str
    name_ko: str
    name_en: str


class Attachment(Schema):
    title: str
    url: str = Field(description="Absolute download URL.")
    size: int | None = Field(description="Size in bytes; null when the file is missing.")
    content_type: str


class ItemVersion(Schema):
    """One language version of an item."""

    id: str = Field(description="The item's id, shared by its language versions.")
    page_id: int
    kind: Kind
    language: Language
    title: str
    summary: str
    date: dt.date | None
    creator: str = Field(description="Department, author or organiser.")
    sector: Sector | None
    tags: list[str]
    url: str = Field(description="Absolute URL of the page.")
    last_modified: dt.datetime | None
    translations: dict[str, str] = Field(
        description="The item's other language versions: language code to absolute URL."
    )


class ItemDetailVersion(ItemVersion):
    body: str = Field(description="The text of the page, without markup.")
    attachments: list[Attachment]
    details: dict[str, str | int | None] = Field(
        description="What only this kind has (an archive item's kind, a programme's dates)."
    )


class Item(Schema):
    id: str
    kind: Kind
    versions: list[ItemDetailVersion]


class ItemPage(Schema):
    count: int
    page: int
    pages: int
    per_page: int
    next: str | None
    previous: str | None
    results: list[ItemVersion]


class ItemFilters(Schema):
    kind: Kind | None = Field(None, description="Only items of this kind.")
    sector: str | None = Field(
        None, max_length=60, pattern=SLUG_PATTERN, description="A sector's slug (see /sectors)."
    )
    lang: Language | None = Field(None, description="Only versions in this language.")
    year: int | None = Field(None, ge=1900, le=2100, description="Only items dated this year.")
    updated_since: IsoDateTime | None = Field(
        None, description="Only versions published or changed at or after this time (ISO 8601)."
    )
    page: int = Field(1, ge=1, le=MAX_PAGE)
    per_page: int = Field(20, ge=1, le=MAX_PER_PAGE)


class SearchFilters(Schema):
    q: str = Field("", max_length=1000, description="What to look for, in Korean or English.")
    language: Language = Field(
        "ko", description="The reader's language: titles, labels and links in it when they exist."
    )
    sector: str | None = Field(None, max_length=60, pattern=SLUG_PATTERN)
    kind: Kind | None = None
    year: int | None = Field(None, ge=1900, le=2100)
    lang: Language | None = Field(None, description="Only items that exist in this language.")
    page: int = Field(1, ge=1, le=1000)
    per_page: int = Field(10, ge=1, le=50)


class SearchHit(Schema):
    id: str
    page_id: int
    language: Language
    languages: list[Language]
    kind: Kind
    kind_label: str
    title: str
    url: str
    snippet: str = Field(description="Text around the matched words, without markup.")
    snippet_html: str = Field(description="The same, escaped, with <mark> around matches.")
    date: dt.date | None
    sector: str | None = Field(description="The sector's slug.")
    sector_name: str
    score: float


class FacetValue(Schema):
    value: str
    label: str
    count: int
    selected: bool


class SearchResults(Schema):
    query: str = Field(description="The query as used: trimmed, cut to 200 characters.")
    truncated: bool
    language: Language
    total: int
    page: int
    pages: int
    per_page: int
    expansions: list[str] = Field(description="Glossary terms added to the query.")
    hits: list[SearchHit]
    facets: dict[str, list[FacetValue]]


class Partner(Schema):
    slug: str
    name_ko: str
    name_en: str
    kind: str
    url: str
    logo_url: str | None


class Programme(ItemVersion):
    application_opens: dt.date
    application_closes: dt.date
    recruitment_start: dt.date
    recruitment_end: dt.date
    capacity: int | None
    places_left: int | None
