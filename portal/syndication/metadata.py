"""What a page tells search engines and link previews in its <head>: canonical URL,
language versions, feeds, OpenGraph and JSON-LD, computed once so templates stay thin."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Page as PaginatorPage
from django.db import models
from django.http import HttpRequest
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext
from wagtail.models import Page

from portal.core.catalogue import absolute_url
from portal.core.i18n import active_language, page_versions
from portal.core.models import BoardIndexPage, BoardItemPage
from portal.core.text import field_text
from portal.syndication.boards import (
    FEED_MIME_TYPES,
    FORMAT_LABELS,
    FORMATS,
    board_of,
    feed_path,
    feed_title,
)
from portal.syndication.structured_data import (
    IMAGE_FILTER,
    rendition_url,
    structured_data,
    to_json,
)

OG_LOCALES = {"ko": "ko_KR", "en": "en_US"}
# x-default: where a visitor whose language the site does not have is sent.
DEFAULT_LANGUAGE = settings.LANGUAGE_CODE
DESCRIPTION_CHARS = 200
DESCRIPTION_FIELDS = ("summary", "intro", "description", "body")


@dataclass(frozen=True)
class Link:
    """A ``<link rel="alternate">``: a language version (hreflang) or a feed (type)."""

    url: str
    hreflang: str = ""
    type: str = ""
    title: str = ""


@dataclass(frozen=True)
class PageMeta:
    title: str
    description: str
    site_name: str
    language: str
    canonical: str | None = None
    alternates: list[Link] = field(default_factory=list)
    feeds: list[Link] = field(default_factory=list)
    og_type: str = "website"
    other_locales: list[str] = field(default_factory=list)
    image: str | None = None
    published: str | None = None
    modified: str | None = None
    json_ld: SafeString | None = None

    @property
    def og_locale(self) -> str:
        return OG_LOCALES.get(self.language, self.language)


def page_meta(
    request: HttpRequest, page: Page, items_page: PaginatorPage | None = None
) -> PageMeta:
    """The metadata of a Wagtail page; ``items_page`` is a listing's current page."""
    language = page.locale.language_code
    number = items_page.number if isinstance(page, BoardIndexPage) and items_page else 1
    versions = language_versions(request, page, number)
    data = structured_data(page, request)
    is_article = isinstance(page, BoardItemPage)
    return PageMeta(
        title=page.seo_title or page.title,
        description=page_description(page),
        site_name=gettext("Seoul Solution"),
        language=language,
        canonical=versions.get(language) or _with_page_number(absolute_url(request, page), number),
        alternates=hreflang_links(versions),
        feeds=feed_links(page, language),
        og_type="article" if is_article else "website",
        other_locales=[OG_LOCALES.get(code, code) for code in versions if code != language],
        image=rendition_url(getattr(page, "image", None), IMAGE_FILTER, request),
        published=_iso(page.first_published_at) if is_article else None,
        modified=_iso(page.last_published_at) if is_article else None,
        json_ld=mark_safe(to_json(data)) if data else None,  # escaped by to_json
    )


def view_meta(
    request: HttpRequest, title: str | None = None, language_links: list[dict] | None = None
) -> PageMeta:
    """The metadata of a page that is not a Wagtail page (search, the request form).

    Without language links (an error page), nothing claims a canonical address."""
    language = active_language()
    versions = {
        link["code"]: request.build_absolute_uri(_without_query(link["url"]))
        for link in language_links or []
        if link.get("is_translation", True)
    }
    canonical = request.build_absolute_uri(request.path) if language_links else None
    return PageMeta(
        title=str(title or gettext("Seoul Solution")),
        description="",
        site_name=gettext("Seoul Solution"),
        language=language,
        canonical=canonical,
        alternates=hreflang_links(versions),
        other_locales=[OG_LOCALES.get(code, code) for code in versions if code != language],
    )


def language_versions(request: HttpRequest, page: Page, number: int = 1) -> dict[str, str]:
    """Absolute URLs of the page's live, public versions by language (itself included);
    on a listing's later pages, the same page number in each language."""
    return {
        code: _with_page_number(absolute_url(request, version), number)
        for code, version in sorted(page_versions(page).items())
    }


def hreflang_links(versions: dict[str, str]) -> list[Link]:
    """One link per language, and x-default pointing at the Korean version if live."""
    links = [Link(url=url, hreflang=code) for code, url in versions.items()]
    if DEFAULT_LANGUAGE in versions:
        links.append(Link(url=versions[DEFAULT_LANGUAGE], hreflang="x-default"))
    return links


def feed_links(page: Page, language: str) -> list[Link]:
    """The RSS and Atom feeds of the page's board (the news board on the home page)."""
    board = board_of(page)
    if board is None:
        return []
    title = feed_title(board, language)
    return [
        Link(
            url=feed_path(board, fmt, language),
            type=FEED_MIME_TYPES[fmt],
            title=f"{title} ({FORMAT_LABELS[fmt]})",
        )
        for fmt in FORMATS
    ]


def page_description(page: Page) -> str:
    """The editor's search description, else the first text field with something in it
    (summary, introduction, description, body), cut to a preview's length."""
    if page.search_description:
        return page.search_description
    for name in DESCRIPTION_FIELDS:
        if _is_text_field(page, name) and (text := field_text(page, name)):
            return Truncator(" ".join(text.split())).chars(DESCRIPTION_CHARS)
    return ""


def _is_text_field(page: Page, name: str) -> bool:
    """Text and rich text only: a stream field would have to be rendered first."""
    try:
        return isinstance(page._meta.get_field(name), models.TextField)
    except FieldDoesNotExist:
        return False


def _with_page_number(url: str, number: int) -> str:
    return f"{url}?page={number}" if number > 1 else url


def _without_query(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


def _iso(value) -> str | None:
    return timezone.localtime(value).isoformat() if value else None
