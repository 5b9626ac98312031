"""Reads of the counts: an object's total, the most read pages, and the editors'
dashboard (rankings, views per day, searches)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Sum
from wagtail.models import Page

from portal.core.models import BoardItemPage
from portal.counts.models import CountKind, DailyCount, SearchLog
from portal.programmes.selectors import SEOUL, seoul_today


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


def period_start(days: int) -> dt.date:
    """The first day of the last ``days`` days, today included (Seoul)."""
    return seoul_today() - dt.timedelta(days=days - 1)


def ranked_objects(*, kind: CountKind, since: dt.date, limit: int = 10) -> list[tuple[int, int]]:
    """(object id, count) of the objects counted most since ``since``, most first."""
    rows = (
        DailyCount.objects.filter(kind=kind, day__gte=since)
        .values("object_id")
        .annotate(total=Sum("count"))
        .order_by("-total", "object_id")[:limit]
    )
    return [(row["object_id"], row["total"]) for row in rows]


def views_per_day(*, since: dt.date) -> list[tuple[dt.date, int]]:
    """Page views of every day since ``since``, days without views included."""
    totals = dict(
        DailyCount.objects.filter(kind=CountKind.PAGE_VIEW, day__gte=since)
        .values_list("day")
        .annotate(total=Sum("count"))
        .values_list("day", "total")
    )
    days = (seoul_today() - since).days + 1
    return [
        (day, totals.get(day, 0)) for day in (since + dt.timedelta(days=n) for n in range(days))
    ]


def searches(*, since: dt.date, found_nothing: bool = False, limit: int = 20) -> list[dict]:
    """The queries searched most since ``since`` (each with its language, how often, and
    how often a result was opened); ``found_nothing``: only searches without results."""
    start = dt.datetime.combine(since, dt.time.min, tzinfo=SEOUL)
    rows = SearchLog.objects.filter(searched_at__gte=start)
    if found_nothing:
        rows = rows.filter(results=0)
    return list(
        rows.values("query", "language")
        .annotate(searches=Count("id"), opened=Count("clicked_page"))
        .order_by("-searches", "query", "language")[:limit]
    )
