"""The search page (/ko/search/, /en/search/) and the title suggestions of its search box."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe
from wagtail.models import Site

from portal.core.i18n import active_language, locale_home
from portal.core.selectors import sectors_in_order
from portal.search.engine import clean_query
from portal.search.forms import SearchForm
from portal.search.results import MAX_QUERY_LENGTH, Hit, SearchFilters, SearchPage
from portal.search.selectors import search_page, title_suggestions

PER_PAGE = 10
SUGGESTIONS = 8
LANGUAGE_NAMES = dict(settings.LANGUAGES)  # each in its own language, for the switcher
# The other language named in the visitor's language, inside a sentence.
LANGUAGE_NAMES_IN_TEXT = {"ko": _("Korean"), "en": _("English")}

# Facet groups in the order the sidebar shows them: the engine's facet key, the query
# parameter that selects a value, the group's heading.
FACETS = [
    ("sector", "sector", _("Sector")),
    ("kind", "kind", _("Kind")),
    ("year", "year", _("Year")),
    ("language", "lang", _("Language")),
]

# Searches offered on the empty search page, translated like any other interface text
# so that each language suggests words its content uses.
EXAMPLE_SEARCHES = [
    _("public transportation"),
    _("sharing city"),
    _("tap water"),
    _("COVID-19"),
]


def _params(query: str, filters: SearchFilters, **changes) -> dict[str, str]:
    """The query string of a search: the query and the filters, with ``changes`` applied
    (``None`` removes a parameter)."""
    params = {
        "q": query,
        "sector": filters.sector,
        "kind": filters.kind,
        "year": str(filters.year) if filters.year else "",
        "lang": filters.language,
    }
    params.update(changes)
    return {key: value for key, value in params.items() if value}


def _search_url(language: str | None = None, **params: str) -> str:
    if language is None:
        path = reverse("search:search")
    else:
        with translation.override(language):
            path = reverse("search:search")
    return f"{path}?{urlencode(params)}" if params else path


def _date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _row(hit: Hit, query: str = "", language: str = "", request: HttpRequest | None = None) -> dict:
    """What the template shows of one hit, and where its link pings when opened (an
    absolute address, as HTML requires of ``ping``)."""
    badge = ""
    if hit.other_language_only:
        badge = gettext("English only") if hit.language == "en" else gettext("Korean only")
    return {
        "hit": hit,
        "date": _date(hit.date),
        "sector": {"slug": hit.sector_slug, "name": hit.sector_name} if hit.sector_name else None,
        # The engine escapes the text and adds only <mark> elements.
        "snippet": mark_safe(hit.snippet_html),
        "language_badge": badge,
        "ping_url": (
            request.build_absolute_uri(
                f"{reverse('counts:opened', args=[hit.page_id])}?"
                + urlencode({"q": query, "lang": language})
            )
            if query and request is not None
            else ""
        ),
    }


def _facet_groups(results: SearchPage, query: str, filters: SearchFilters) -> list[dict]:
    """Each facet as links: "All" (clears it) and every value with its count; choosing a
    value starts again from page 1."""
    groups = []
    for key, param, label in FACETS:
        chosen = _params(query, filters).get(param, "")
        values = results.facets.get(key, [])
        if not values and not chosen:
            continue
        groups.append(
            {
                "key": key,
                "label": label,
                "chosen": chosen,
                "clear_url": _search_url(**_params(query, filters, **{param: None})),
                "values": [
                    {
                        "label": value.label,
                        "count": value.count,
                        "selected": value.selected or value.value == chosen,
                        "url": _search_url(**_params(query, filters, **{param: value.value})),
                    }
                    for value in values
                ],
            }
        )
    return groups


def _language_links(query: str, filters: SearchFilters, current: str) -> list[dict]:
    """The language switcher's links: the same search on the other language's page."""
    params = _params(query, filters)
    return [
        {
            "code": code,
            "name": name,
            "url": _search_url(code, **params),
            "is_current": code == current,
            "is_translation": True,
        }
        for code, name in settings.LANGUAGES
    ]


@require_safe
def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET)
    form.is_valid()
    language = active_language()
    query, filters = form.query, form.filters
    results = None
    # A filter without a query browses what it chooses (a sector link, say), newest first.
    if query or _params("", filters):
        results = search_page(
            query=query, language=language, filters=filters, page=form.page_number,
            per_page=PER_PAGE,
        )  # fmt: skip
    other = next(code for code, _name in settings.LANGUAGES if code != language)
    home = locale_home(site=Site.find_for_request(request), language=language)
    context = {
        "form": form,
        "query": query,
        "truncated": form.truncated or bool(results and results.truncated),
        "max_query_length": MAX_QUERY_LENGTH,
        "invalid_fields": form.invalid_fields,
        "results": results,
        "rows": [_row(hit, query, language, request) for hit in results.hits] if results else [],
        # Logs the search (page 1 only: the next pages are the same search), from the
        # page cache too; see portal/counts.
        "search_beacon_url": (
            f"{reverse('counts:search')}?"
            + urlencode({"q": query, "lang": language, "n": results.total})
            if query and results and results.page == 1
            else ""
        ),
        # A Django page over the result count, for the site's pagination include.
        "items_page": (
            Paginator(range(results.total), results.per_page).get_page(results.page)
            if results
            else None
        ),
        "facet_groups": _facet_groups(results, query, filters) if results else [],
        "has_filters": bool(_params("", filters)),
        "clear_filters_url": _search_url(q=query),
        "other_language_url": _search_url(other, q=query),
        "other_language_name": LANGUAGE_NAMES_IN_TEXT.get(other, LANGUAGE_NAMES[other]),
        "other_language": other,
        "language_links": _language_links(query, filters, language),
        "current_language_name": LANGUAGE_NAMES[language],
        "breadcrumb_ancestors": [home] if home is not None else [],
        "breadcrumb_page": {"title": gettext("Search")},
    }
    if results is None:
        context["examples"] = [
            {"text": text, "url": _search_url(q=str(text))} for text in EXAMPLE_SEARCHES
        ]
        context["sectors"] = [
            {"name": sector.name, "url": _search_url(sector=sector.slug)}
            for sector in sectors_in_order()
        ]
    return render(request, "search/search_page.html", context)


@require_safe
def suggest(request: HttpRequest) -> JsonResponse:
    """Titles that contain what has been typed so far, for the search box's suggestions."""
    raw = request.GET.get("q", "")
    query, _cut = clean_query(raw)
    suggestions = (
        title_suggestions(prefix=query, language=active_language(), limit=SUGGESTIONS)
        if query
        else []
    )
    return JsonResponse({"query": query, "suggestions": suggestions})
