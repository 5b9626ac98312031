"""Reads of the counts: an object's total, and the most read pages of a period."""

from __future__ import annotations

import datetime as dt

from django.db.models import Sum
from wagtail.models import Page

from portal.core.models import BoardItemPage
from portal.counts.models import CountKind, DailyCount
from portal.programmes.selectors import seoul_today


def total(*, kind: CountKind, object_id: int) -> int:
    rows = DailyCount.objects.filter(kind=kind, object_id=object_id)
    return rows.aggregate(total=Sum("count"))["total"] or 0


def most_read_pages(*, language: str, days: int = 30, limit: int = 5) -> list[tuple[Page, int]]:
    """The items (policies, news, archive items, programmes) of the language read most
    over the last ``days`` days, with their views, most first."""
    since = seoul_today() - dt.timedelta(days=days - 1)
    ranked = (
        DailyCount.objects.filter(kind=CountKind.PAGE_VIEW, day__gte=since)
        .values("object_id")
        .annotate(views=Sum("count"))
        .order_by("-views", "object_id")
    )
    # More candidates than needed: some are the other language's pages or not live.
    candidates = list(ranked[: limit * 8])
    pages = (
        Page.objects.live()
        .public()
        .filter(pk__in=[row["object_id"] for row in candidates], locale__language_code=language)
        .in_bulk()
    )
    found = []
    for row in candidates:
        page = pages.get(row["object_id"])
        if page is not None and issubclass(page.specific_class or Page, BoardItemPage):
            found.append((page, row["views"]))
        if len(found) == limit:
            break
    return found
