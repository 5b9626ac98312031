"""The read-only JSON API (/api/v1/): items, search, partners, sectors, open programmes.

Every item is described by ``portal.core.catalogue``, the description the feeds, the
sitemap and OAI-PMH use too; the search runs the search page's own engine.
"""

from __future__ import annotations

import math
import uuid

from django.db.models import Q
from django.http import HttpRequest
from django.utils.html import strip_tags
from django.utils.text import normalize_newlines
from django.utils.translation import gettext
from ninja import NinjaAPI, Query
from ninja.errors import HttpError, ValidationError
from ninja.renderers import JSONRenderer

from portal.api import schemas
from portal.core.catalogue import ItemRecord, catalogue_pages, item_records, kind_model
from portal.core.models import Sector
from portal.search.results import SearchFilters

COMMON_ERRORS = {422: schemas.InvalidRequest, 429: schemas.Error}


class _Renderer(JSONRenderer):
    """UTF-8 JSON: Korean text as itself, not as \\u escapes (a third of the size)."""

    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    renderer=_Renderer(),
    title="Seoul Solution API",
    version="1",
    description=(
        "Seoul's urban policies, news, archive items and programmes, in Korean and "
        "English. Read-only; answers carry an ETag (send If-None-Match to get 304); "
        "clients over the rate limit get 429 with Retry-After."
    ),
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url="/docs",
)


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError):
    return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError):
    """A parameter that is not valid: one readable sentence, and the details by parameter."""
    errors = [
        {
            "loc": [str(part) for part in error.get("loc", ())],
            "msg": str(error.get("msg", "")),
            "type": str(error.get("type", "")),
        }
        for error in exc.errors
    ]
    names = ", ".join(error["loc"][-1] for error in errors if error["loc"]) or "?"
    detail = gettext("Invalid parameter: %(names)s.") % {"names": names}
    return api.create_response(request, {"detail": detail, "errors": errors}, status=422)


def _version(record: ItemRecord) -> dict:
    return {
        "id": record.id,
        "page_id": record.page_id,
        "kind": record.kind,
        "language": record.language,
        "title": record.title,
        "summary": record.summary,
        "date": record.date,
        "creator": record.creator,
        "sector": record.sector.__dict__ if record.sector else None,
        "tags": record.tags,
        "url": record.url,
        "last_modified": record.last_modified,
        "translations": record.translations,
    }


def _detail(record: ItemRecord) -> dict:
    return {
        **_version(record),
        "body": record.body,
        "attachments": [attachment.__dict__ for attachment in record.attachments],
        "details": {
            key: value.isoformat() if hasattr(value, "isoformat") else value
            for key, value in record.extra.items()
        },
    }


def _known_sector(slug: str | None) -> None:
    """An unknown sector is a thing that does not exist (404), not a malformed request:
    sectors are the editors' to add, so any well-formed slug may name one."""
    if slug and not Sector.objects.filter(slug=slug).exists():
        raise HttpError(404, gettext("There is no sector “%(slug)s”.") % {"slug": slug})


def _page_link(request: HttpRequest, page: int) -> str:
    params = request.GET.copy()
    params["page"] = str(page)
    return request.build_absolute_uri(f"{request.path}?{params.urlencode()}")


@api.get(
    "/items",
    response={200: schemas.ItemPage, 404: schemas.Error, **COMMON_ERRORS},
    summary="List items",
    tags=["items"],
)
def list_items(request: HttpRequest, filters: Query[schemas.ItemFilters]):
    """Every published language version of every item matching the filters, oldest page
    first (a stable order: new items are added at the end)."""
    _known_sector(filters.sector)
    pages = catalogue_pages(
        kinds=[filters.kind] if filters.kind else None,
        language=filters.lang,
        sector=filters.sector,
        year=filters.year,
        updated_since=filters.updated_since,
    )
    count = pages.count()
    total_pages = max(1, math.ceil(count / filters.per_page))
    start = (filters.page - 1) * filters.per_page
    window = pages[start : start + filters.per_page].specific()
    return {
        "count": count,
        "page": filters.page,
        "pages": total_pages,
        "per_page": filters.per_page,
        "next": _page_link(request, filters.page + 1) if filters.page < total_pages else None,
        "previous": (
            _page_link(request, min(filters.page - 1, total_pages)) if filters.page > 1 else None
        ),
        "results": [_version(record) for record in item_records(window, request=request)],
    }


@api.get(
    "/items/{item_id}",
    response={200: schemas.Item, 404: schemas.Error, **COMMON_ERRORS},
    summary="One item in every language",
    tags=["items"],
)
def get_item(request: HttpRequest, item_id: uuid.UUID):
    """An item's published language versions, with their text and attachments."""
    pages = list(catalogue_pages().filter(translation_key=item_id).specific())
    records = item_records(pages, request=request) if pages else []
    if not records:
        raise HttpError(404, gettext("There is no published item with this id."))
    records.sort(key=lambda record: record.language != "ko")
    return {"id": str(item_id), "kind": records[0].kind, "versions": [_detail(r) for r in records]}


@api.get(
    "/search",
    response={200: schemas.SearchResults, 404: schemas.Error, **COMMON_ERRORS},
    summary="Search",
    tags=["search"],
)
def search(request: HttpRequest, params: Query[schemas.SearchFilters]):
    """The search page's engine, ranking and facets. Without ``q`` but with a filter,
    every item that passes the filters, newest first; without either, nothing."""
    from portal.search.selectors import search_page

    _known_sector(params.sector)
    results = search_page(
        query=normalize_newlines(params.q).replace("\x00", " "),
        language=params.language,
        filters=SearchFilters(
            sector=params.sector or "",
            kind=params.kind or "",
            year=params.year,
            language=params.lang or "",
        ),
        page=params.page,
        per_page=params.per_page,
    )
    return {
        "query": results.query,
        "truncated": results.truncated,
        "language": params.language,
        "total": results.total,
        "page": results.page,
        "pages": results.pages,
        "per_page": results.per_page,
        "expansions": results.expansions,
        "hits": [
            {
                "id": hit.translation_key,
                "page_id": hit.page_id,
                "language": hit.language,
                "languages": list(hit.languages),
                "kind": hit.kind,
                "kind_label": hit.kind_label,
                "title": hit.title,
                "url": request.build_absolute_uri(hit.url),
                "snippet": strip_tags(hit.snippet_html),
                "snippet_html": hit.snippet_html,
                "date": hit.date or None,
                "sector": hit.sector_slug or None,
                "sector_name": hit.sector_name,
                "score": round(hit.score, 6),
            }
            for hit in results.hits
        ],
        "facets": {
            name: [value.__dict__ for value in values] for name, values in results.facets.items()
        },
    }


@api.get("/sectors", response={200: list[schemas.Sector], **COMMON_ERRORS}, tags=["taxonomy"])
def sectors(request: HttpRequest):
    """The policy sectors, named in both languages."""
    return list(Sector.objects.order_by("sort_order", "slug").values("slug", "name_ko", "name_en"))


@api.get("/partners", response={200: list[schemas.Partner], **COMMON_ERRORS}, tags=["partners"])
def partners(request: HttpRequest):
    """The organisations Seoul works with, in the partners page's order."""
    from portal.partners.models import Partner

    rows = Partner.objects.select_related("logo").order_by("sort_order", "name_en")
    return [
        {
            "slug": partner.slug,
            "name_ko": partner.name_ko,
            "name_en": partner.name_en,
            "kind": partner.kind,
            "url": partner.url,
            "logo_url": request.build_absolute_uri(partner.logo.file.url) if partner.logo else None,
        }
        for partner in rows
    ]


@api.get(
    "/programmes/open",
    response={200: list[schemas.Programme], **COMMON_ERRORS},
    summary="Programmes taking applications",
    tags=["programmes"],
)
def open_programmes(request: HttpRequest, lang: schemas.Language | None = None):
    """Programmes whose application window is open today on Seoul's calendar, with the
    places left (null when a programme has no capacity)."""
    from portal.programmes.selectors import programme_places_left, seoul_today

    today = seoul_today()
    open_ids = kind_model("programme").objects.filter(
        Q(application_opens__lte=today) & Q(application_closes__gte=today)
    )
    pages = catalogue_pages(kinds=["programme"], language=lang)
    pages = list(pages.filter(pk__in=open_ids.values("pk")).specific())
    answer = []
    for record, page in zip(item_records(pages, request=request), pages, strict=True):
        answer.append(
            {
                **_version(record),
                "application_opens": page.application_opens,
                "application_closes": page.application_closes,
                "recruitment_start": page.recruitment_start,
                "recruitment_end": page.recruitment_end,
                "capacity": page.capacity,
                "places_left": programme_places_left(
                    capacity=page.capacity, programme_key=page.translation_key
                ),
            }
        )
    return answer
