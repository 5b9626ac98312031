"""Reads shared by the boards: their items, the years they span, neighbours of an item."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Q, QuerySet

if TYPE_CHECKING:
    from portal.core.models.pages import BoardIndexPage, BoardItemPage


def board_items(*, index: BoardIndexPage) -> QuerySet:
    """Live items of a board, newest first, with what listings show already joined."""
    model = index.item_model
    return (
        model.objects.child_of(index)
        .live()
        .select_related("sector")
        .order_by(*model.board_ordering())
    )


def _is_date(model: type[models.Model], field: str) -> bool:
    return isinstance(model._meta.get_field(field), models.DateField)


def board_years(*, items: QuerySet, field: str) -> list[int]:
    """The years that a board's items span, newest first."""
    if _is_date(items.model, field):
        return [day.year for day in items.dates(field, "year", order="DESC")]
    years = items.exclude(**{f"{field}__isnull": True}).values_list(field, flat=True).distinct()
    return sorted(set(years), reverse=True)


def year_lookup(*, model: type[models.Model], field: str, year: int) -> dict:
    """Filter arguments that select items of ``year``."""
    return {f"{field}__year": year} if _is_date(model, field) else {field: year}


def board_neighbours(*, item: BoardItemPage) -> dict[str, BoardItemPage | None]:
    """The next newer and next older live siblings of the same type, by the board's order."""
    field = item.ordering_field
    value = getattr(item, field)
    if value is None or item.pk is None:  # no date yet, or the preview of a new page
        return {"newer": None, "older": None}
    from portal.core.content_version import cached_content

    return cached_content(f"neighbours:{item.pk}", lambda: _neighbours(item, field, value))


def _neighbours(item: BoardItemPage, field: str, value) -> dict[str, BoardItemPage | None]:
    siblings = type(item).objects.sibling_of(item, inclusive=False).live()
    newer = (
        siblings.filter(Q(**{f"{field}__gt": value}) | Q(**{field: value, "pk__gt": item.pk}))
        .order_by(field, "pk")
        .first()
    )
    older = (
        siblings.filter(Q(**{f"{field}__lt": value}) | Q(**{field: value, "pk__lt": item.pk}))
        .order_by(f"-{field}", "-pk")
        .first()
    )
    return {"newer": newer, "older": older}


def sectors_by_id() -> dict:
    """Every sector by id, kept until content next changes (sectors are shown on pages)."""
    from portal.core.content_version import cached_content
    from portal.core.models.sectors import Sector

    return cached_content("sectors", lambda: {sector.pk: sector for sector in Sector.objects.all()})


def sectors_in_order() -> list:
    """Every sector in the order shown (``sort_order``, then slug), from the same cache."""
    return sorted(sectors_by_id().values(), key=lambda sector: (sector.sort_order, sector.slug))


def page_use_cached_relations(page) -> None:
    """Give a page its locale, sector and parent from the shared cache: all are read
    through rendering and describing it, and would otherwise cost a query each."""
    from portal.core.content_version import cached_content
    from portal.core.i18n import locales_by_id

    if page.pk is not None and page.depth > 1 and not hasattr(page, "_cached_parent_obj"):
        page._cached_parent_obj = cached_content(f"parent:{page.pk}", page.get_parent)

    if (locale := locales_by_id().get(page.locale_id)) is not None:
        page.locale = locale
    sector_id = getattr(page, "sector_id", None)
    if sector_id is not None and (sector := sectors_by_id().get(sector_id)) is not None:
        page.sector = sector
