"""What the OAI-PMH endpoint exposes: the harvestable records, their tombstones and sets.

A record is one language version of a live, public policy or archive item, dated by its
last publication. Live records and tombstones form one list ordered by
``(datestamp, page id)``, so that a harvest can resume after the last record it saw
(a keyset cursor) and a record republished meanwhile moves to the end instead of
shifting every page of the list.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Min, Q, QuerySet
from django.http import HttpRequest
from wagtail.models import Page

from portal.core.catalogue import ItemRecord, catalogue_pages, item_records, kind_model
from portal.core.models import Sector
from portal.oai.models import DeletedRecord

ITEM_KINDS: tuple[str, ...] = ("policy", "archive")
# The lower bound of every datestamp when there is no record yet.
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
KIND_SET_NAMES = {"policy": "Policies / 정책 사례", "archive": "Archive items / 아카이브"}
KIND_ROOT_NAME = "Kinds of item / 자료 유형"
SECTOR_ROOT_NAME = "Sectors / 분야"

Cursor = tuple[dt.datetime, int]


def repository_identifier() -> str:
    """The ``repositoryIdentifier`` of the ``oai`` identifier scheme (a domain name)."""
    return settings.OAI_REPOSITORY_IDENTIFIER


def oai_identifier(kind: str, page_id: int) -> str:
    """``oai:seoulsolution.kr:policy/123``: stable as long as the page exists."""
    return f"oai:{repository_identifier()}:{kind}/{page_id}"


def parse_identifier(identifier: str) -> tuple[str, int] | None:
    """The kind and page id an identifier names, or ``None`` if it is not one of ours."""
    pattern = (
        rf"oai:{re.escape(repository_identifier())}:({'|'.join(ITEM_KINDS)})/([1-9]\d{{0,17}})"
    )
    match = re.fullmatch(pattern, identifier)
    if match is None:
        return None
    return match[1], int(match[2])


def record_sets(kind: str, sector_slug: str | None) -> tuple[str, ...]:
    """The leaf sets a record belongs to (membership of their parents is implied)."""
    specs = [f"kind:{kind}"]
    if sector_slug:
        specs.append(f"sector:{sector_slug}")
    return tuple(specs)


@dataclass(frozen=True)
class Selection:
    """Which records a list request asks for; ``start`` is inclusive, ``end`` exclusive."""

    kinds: tuple[str, ...] = ITEM_KINDS
    sector: str | None = None
    any_sector: bool = False
    start: dt.datetime | None = None
    end: dt.datetime | None = None
    nothing: bool = False  # a set that does not exist: an empty list, not an error

    def between(self, start: dt.datetime | None, end: dt.datetime | None) -> Selection:
        return dataclasses.replace(self, start=start, end=end)


def selection_for_set(spec: str | None) -> Selection:
    """The records of a set and of its subsets (``kind`` holds ``kind:policy``)."""
    if spec is None or spec == "kind":
        return Selection()
    if spec == "sector":
        return Selection(any_sector=True)
    prefix, _, value = spec.partition(":")
    if prefix == "kind" and value in ITEM_KINDS:
        return Selection(kinds=(value,))
    if prefix == "sector" and re.fullmatch(r"[-\w]+", value, flags=re.ASCII):
        return Selection(sector=value)
    return Selection(nothing=True)


@dataclass(frozen=True)
class SetInfo:
    spec: str
    name: str


def all_sets() -> list[SetInfo]:
    """Every set: the kinds and the sectors, each under its root set."""
    found = [SetInfo("kind", KIND_ROOT_NAME)]
    found += [SetInfo(f"kind:{kind}", KIND_SET_NAMES[kind]) for kind in ITEM_KINDS]
    found.append(SetInfo("sector", SECTOR_ROOT_NAME))
    for sector in Sector.objects.order_by("sort_order", "slug"):
        found.append(SetInfo(f"sector:{sector.slug}", f"{sector.name_en} / {sector.name_ko}"))
    return found


@dataclass(frozen=True)
class Header:
    identifier: str
    datestamp: dt.datetime
    sets: tuple[str, ...]
    deleted: bool = False


@dataclass(frozen=True)
class Record:
    """A header, and the item to describe unless the record is deleted."""

    header: Header
    item: ItemRecord | None = None


@dataclass(frozen=True)
class Batch:
    """One page of a list; ``last`` is where the next page starts, ``None`` at the end."""

    records: list[Record]
    total: int
    last: Cursor | None


def harvestable_pages(selection: Selection = Selection()) -> QuerySet[Page]:
    """Live, public items of the selection in datestamp order.

    A page never published through Wagtail has no ``last_published_at`` and so no
    datestamp; it is left out rather than dated arbitrarily.
    """
    pages = catalogue_pages(kinds=selection.kinds, sector=selection.sector)
    pages = pages.filter(last_published_at__isnull=False)
    if selection.any_sector:
        pages = pages.filter(_has_sector(selection.kinds))
    if selection.start:
        pages = pages.filter(last_published_at__gte=selection.start)
    if selection.end:
        pages = pages.filter(last_published_at__lt=selection.end)
    return pages.order_by("last_published_at", "pk")


def _has_sector(kinds: tuple[str, ...]) -> Q:
    query = Q()
    for kind in kinds:
        query |= Q(**{f"{kind_model(kind)._meta.model_name}__sector__isnull": False})
    return query


def tombstones(selection: Selection = Selection()) -> QuerySet[DeletedRecord]:
    """Tombstones of the selection in datestamp order, except for pages harvestable again
    (republished while the signal that removes the tombstone did not run)."""
    rows = DeletedRecord.objects.filter(kind__in=selection.kinds).exclude(
        page_id__in=Page.objects.live().public().values("pk")
    )
    if selection.sector:
        rows = rows.filter(sector=selection.sector)
    if selection.any_sector:
        rows = rows.exclude(sector="")
    if selection.start:
        rows = rows.filter(deleted_at__gte=selection.start)
    if selection.end:
        rows = rows.filter(deleted_at__lt=selection.end)
    return rows.order_by("deleted_at", "page_id")


def _after(date_field: str, id_field: str, cursor: Cursor) -> Q:
    """Rows strictly after ``cursor`` in ``(date, id)`` order."""
    datestamp, page_id = cursor
    return Q(**{f"{date_field}__gt": datestamp}) | Q(
        **{date_field: datestamp, f"{id_field}__gt": page_id}
    )


def harvest(
    selection: Selection, *, after: Cursor | None, size: int, request: HttpRequest | None
) -> Batch:
    """The ``size`` records following ``after``, live and deleted merged in one order."""
    if selection.nothing:
        return Batch(records=[], total=0, last=None)
    pages, dead = harvestable_pages(selection), tombstones(selection)
    total = pages.count() + dead.count()
    if after is not None:
        pages = pages.filter(_after("last_published_at", "pk", after))
        dead = dead.filter(_after("deleted_at", "page_id", after))
    entries: list[tuple[dt.datetime, int, DeletedRecord | None]] = [
        (datestamp, pk, None)
        for pk, datestamp in pages.values_list("pk", "last_published_at")[: size + 1]
    ]
    entries += [(row.deleted_at, row.page_id, row) for row in dead[: size + 1]]
    entries.sort(key=lambda entry: (entry[0], entry[1]))
    chosen = entries[:size]
    items = _items([pk for _, pk, row in chosen if row is None], request)
    records = [
        _deleted_record(row) if row is not None else _live_record(items[pk], datestamp)
        for datestamp, pk, row in chosen
    ]
    last = (chosen[-1][0], chosen[-1][1]) if len(entries) > size else None
    return Batch(records=records, total=total, last=last)


def _items(page_ids: list[int], request: HttpRequest | None) -> dict[int, ItemRecord]:
    """Describe the pages: each kind in one query with its sector and locale, and one for
    its tags (the catalogue would otherwise read them page by page)."""
    pages: list[Page] = []
    for kind in ITEM_KINDS:
        model = kind_model(kind)
        pages += (
            model.objects.filter(pk__in=page_ids)
            .select_related("locale", "sector")
            .prefetch_related("tags")
        )
    return {item.page_id: item for item in item_records(pages, request=request)}


def _live_record(item: ItemRecord, datestamp: dt.datetime) -> Record:
    sets = record_sets(item.kind, item.sector.slug if item.sector else None)
    header = Header(oai_identifier(item.kind, item.page_id), datestamp, sets)
    return Record(header=header, item=item)


def _deleted_record(row: DeletedRecord) -> Record:
    header = Header(
        identifier=oai_identifier(row.kind, row.page_id),
        datestamp=row.deleted_at,
        sets=tuple(row.sets),
        deleted=True,
    )
    return Record(header=header)


def find_record(kind: str, page_id: int, *, request: HttpRequest | None) -> Record | None:
    """The record of one page, live or deleted; ``None`` if it was never harvestable."""
    page = harvestable_pages(Selection(kinds=(kind,))).filter(pk=page_id).first()
    if page is not None:
        return _live_record(_items([page.pk], request)[page.pk], page.last_published_at)
    row = tombstones(Selection(kinds=(kind,))).filter(page_id=page_id).first()
    return _deleted_record(row) if row is not None else None


def earliest_datestamp() -> dt.datetime:
    """The earliest datestamp over every record, deletions included."""
    candidates = [
        harvestable_pages().aggregate(first=Min("last_published_at"))["first"],
        tombstones().aggregate(first=Min("deleted_at"))["first"],
    ]
    found = [value for value in candidates if value is not None]
    return min(found) if found else EPOCH


def was_harvestable(page: Page) -> bool:
    """Whether a live page had a record: dated by a publication, and public."""
    return page.last_published_at is not None and is_public(page)


def has_tombstone(page: Page) -> bool:
    """Whether the page's record is reported as deleted."""
    return DeletedRecord.objects.filter(page_id=page.pk).exists()


def is_public(page: Page) -> bool:
    """Whether no view restriction covers the page (it or an ancestor)."""
    return Page.objects.filter(pk=page.pk).public().exists()
