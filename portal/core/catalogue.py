"""The published items (policies, news, archive items, programmes) as the open interfaces
describe them: the JSON API, OAI-PMH, feeds, the sitemap and structured data.

One description for every interface, so an item has the same id, dates, creator and
language links wherever it is harvested from.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.apps import apps
from django.db.models import Q, QuerySet, prefetch_related_objects
from django.http import HttpRequest
from wagtail.models import Page

from portal.core.text import field_text

# The public name of each kind and its page model, in the order listings use.
KIND_MODELS: dict[str, str] = {
    "policy": "policies.PolicyPage",
    "news": "news.NewsPage",
    "archive": "archives.ArchivePage",
    "programme": "programmes.ProgrammePage",
}
KINDS = tuple(KIND_MODELS)
LANGUAGES = ("ko", "en")
# The field holding each kind's date (a programme is dated by its application window).
DATE_FIELDS = {
    "policy": "date",
    "news": "date",
    "archive": "date",
    "programme": "application_opens",
}
# Who is named as the item's creator.
CREATOR_FIELDS = {
    "policy": "department",
    "news": "author",
    "archive": "author",
    "programme": "organiser",
}
BODY_FIELDS = {
    "policy": ("background", "implementation", "obstacles", "results"),
    "news": ("body",),
    "archive": ("body",),
    "programme": ("description",),
}


def kind_model(kind: str):
    return apps.get_model(KIND_MODELS[kind])


def _accessor(kind: str) -> str:
    """The name of the join from ``Page`` to the kind's table (``policypage``)."""
    return kind_model(kind)._meta.model_name


def kind_of(page: Page) -> str | None:
    """The kind of a page, or ``None`` for pages that are not items."""
    model = page.specific_class
    if model is None:
        return None
    label = model._meta.label
    for kind, model_label in KIND_MODELS.items():
        if model_label.lower() == label.lower():
            return kind
    return None


def catalogue_pages(
    *,
    kinds: tuple[str, ...] | list[str] | None = None,
    language: str | None = None,
    sector: str | None = None,
    year: int | None = None,
    updated_since: dt.datetime | None = None,
    updated_until: dt.datetime | None = None,
) -> QuerySet[Page]:
    """The live, public items (no view restriction) matching the filters as plain ``Page``
    rows, in a stable order (by id), for pagination; call ``.specific()`` on a slice to
    read their fields.

    ``updated_since`` / ``updated_until`` compare with the last publication
    (``last_published_at``), the date harvesters select on.
    """
    kinds = tuple(kinds or KINDS)
    models = [kind_model(kind) for kind in kinds]
    pages = Page.objects.live().public().type(*models).filter(depth__gt=1)
    if language:
        pages = pages.filter(locale__language_code=language)
    if sector:
        pages = pages.filter(
            _any_kind(kinds, lambda kind: Q(**{f"{_accessor(kind)}__sector__slug": sector}))
        )
    if year:
        pages = pages.filter(
            _any_kind(
                kinds,
                lambda kind: Q(**{f"{_accessor(kind)}__{DATE_FIELDS[kind]}__year": year}),
            )
        )
    if updated_since:
        pages = pages.filter(last_published_at__gte=updated_since)
    if updated_until:
        pages = pages.filter(last_published_at__lte=updated_until)
    return pages.order_by("pk")


def _any_kind(kinds, condition) -> Q:
    query = Q()
    for kind in kinds:
        query |= condition(kind)
    return query


@dataclass(frozen=True)
class Attachment:
    title: str
    url: str
    size: int | None
    content_type: str


@dataclass(frozen=True)
class SectorRef:
    slug: str
    name_ko: str
    name_en: str


@dataclass(frozen=True)
class ItemRecord:
    """One language version of an item, with links to its other versions."""

    id: str  # the translation key: the same for every language version
    page_id: int
    kind: str
    language: str
    title: str
    summary: str
    body: str
    date: dt.date | None
    creator: str
    sector: SectorRef | None
    tags: list[str]
    url: str  # absolute
    first_published: dt.datetime | None
    last_modified: dt.datetime | None
    translations: dict[str, str] = field(default_factory=dict)  # language -> absolute URL
    attachments: list[Attachment] = field(default_factory=list)
    extra: dict = field(default_factory=dict)


def absolute_url(request: HttpRequest | None, page: Page) -> str:
    """The page's URL as the visitor's host names it (or the site's, without a request)."""
    url = page.get_url(request)
    if request is not None:
        return request.build_absolute_uri(url)
    return page.get_full_url()


def live_translations(pages: list[Page]) -> dict[object, dict[str, Page]]:
    """For each translation key of ``pages``, its live versions by language (one query)."""
    keys = {page.translation_key for page in pages}
    found: dict[object, dict[str, Page]] = {key: {} for key in keys}
    for page in Page.objects.live().filter(translation_key__in=keys).select_related("locale"):
        found[page.translation_key][page.locale.language_code] = page
    return found


def item_record(
    page: Page, *, request: HttpRequest | None = None, versions: dict[str, Page] | None = None
) -> ItemRecord:
    """Describe a live item; ``versions`` (from ``live_translations``) saves a query."""
    specific = page.specific
    kind = kind_of(specific)
    if kind is None:
        raise ValueError(f"{page!r} is not a catalogue item")
    if versions is None:
        versions = live_translations([specific])[specific.translation_key]
    language = specific.locale.language_code
    sector = getattr(specific, "sector", None)
    tags_manager = getattr(specific, "tags", None)
    body = "\n".join(text for name in BODY_FIELDS[kind] if (text := field_text(specific, name)))
    return ItemRecord(
        id=str(specific.translation_key),
        page_id=specific.pk,
        kind=kind,
        language=language,
        title=specific.title,
        summary=field_text(specific, "summary"),
        body=body,
        date=getattr(specific, DATE_FIELDS[kind], None),
        creator=str(getattr(specific, CREATOR_FIELDS[kind], "") or ""),
        sector=SectorRef(sector.slug, sector.name_ko, sector.name_en) if sector else None,
        tags=sorted(tag.name for tag in tags_manager.all()) if tags_manager is not None else [],
        url=absolute_url(request, specific),
        first_published=specific.first_published_at,
        last_modified=specific.last_published_at,
        translations={
            code: absolute_url(request, version)
            for code, version in sorted(versions.items())
            if code != language
        },
        attachments=_attachments(specific, request),
        extra=_extra(kind, specific),
    )


def item_records(pages, *, request: HttpRequest | None = None) -> list[ItemRecord]:
    """Describe several items in a fixed number of queries, whatever their number."""
    pages = list(pages)
    _read_related(pages)
    versions = live_translations(pages)
    return [
        item_record(page, request=request, versions=versions[page.translation_key])
        for page in pages
    ]


def _attachments(page: Page, request: HttpRequest | None) -> list[Attachment]:
    document = getattr(page, "document", None)
    if document is None:
        return []
    url = document.url
    if request is not None:
        url = request.build_absolute_uri(url)
    try:
        size = document.get_file_size()
    except OSError:  # the file is missing from storage: still list the document
        size = None
    content_type = getattr(document, "content_type", "") or "application/octet-stream"
    return [Attachment(title=document.title, url=url, size=size, content_type=content_type)]


def _extra(kind: str, page: Page) -> dict:
    """What only one kind has."""
    if kind == "archive":
        return {
            "archive_kind": page.kind,
            "publication_year": page.publication_year,
            "external_url": page.external_url,
            "video_url": page.video_url,
        }
    if kind == "programme":
        return {
            "recruitment_start": page.recruitment_start,
            "recruitment_end": page.recruitment_end,
            "application_opens": page.application_opens,
            "application_closes": page.application_closes,
            "capacity": page.capacity,
            "contact_email": page.contact_email,
        }
    if kind == "policy":
        return {"department_contact": page.department_contact}
    return {}


def _read_related(pages: list[Page]) -> None:
    """Locale and sector from the shared cache, tags in one query per page type, instead
    of queries per page."""
    from portal.core.selectors import page_use_cached_relations

    by_model: dict[type, list[Page]] = {}
    for page in pages:
        page_use_cached_relations(page)
        by_model.setdefault(type(page), []).append(page)
    for model, group in by_model.items():
        if hasattr(model, "tags"):
            prefetch_related_objects(group, "tags")
