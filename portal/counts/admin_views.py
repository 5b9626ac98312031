"""The editors' dashboard in the admin: what is read, downloaded and searched for."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from wagtail.documents import get_document_model
from wagtail.models import Page

from portal.counts.models import CountKind
from portal.counts.selectors import period_start, ranked_objects, searches, views_per_day

PERIODS = (7, 30, 90, 365)
DEFAULT_PERIOD = 30
# The chart's drawing area, in SVG units.
CHART_WIDTH, CHART_HEIGHT = 720, 200


def _period(request) -> int:
    raw = request.GET.get("days", "")
    if not raw:
        return DEFAULT_PERIOD
    try:
        days = int(raw)
    except ValueError:
        days = 0
    if days not in PERIODS:
        messages.warning(
            request,
            _("Unknown period “%(value)s”: showing the last %(days)s days.")
            % {"value": raw[:20], "days": DEFAULT_PERIOD},
        )
        return DEFAULT_PERIOD
    return days


def _chart(points) -> dict:
    """Bars of the views per day, scaled to the chart, with the largest value."""
    largest = max((views for _day, views in points), default=0)
    width = CHART_WIDTH / max(len(points), 1)
    bars = []
    for index, (day, views) in enumerate(points):
        height = CHART_HEIGHT * views / largest if largest else 0
        bars.append(
            {
                "x": round(index * width + width * 0.1, 2),
                "y": round(CHART_HEIGHT - height, 2),
                "width": round(width * 0.8, 2),
                "height": round(height, 2),
                "day": day,
                "views": views,
            }
        )
    return {"bars": bars, "largest": largest, "width": CHART_WIDTH, "height": CHART_HEIGHT}


@require_GET
def dashboard(request):
    days = _period(request)
    since = period_start(days)
    read = ranked_objects(kind=CountKind.PAGE_VIEW, since=since)
    pages = Page.objects.in_bulk([object_id for object_id, _count in read])
    downloaded = ranked_objects(kind=CountKind.DOWNLOAD, since=since)
    documents = get_document_model().objects.in_bulk([object_id for object_id, _c in downloaded])
    empty = searches(since=since, found_nothing=True)
    glossary_add = reverse("wagtailsnippets_glossary_synonymset:add")
    for row in empty:
        row["glossary_url"] = f"{glossary_add}?{urlencode({'term': row['query']})}"
    points = views_per_day(since=since)
    return render(
        request,
        "counts/dashboard.html",
        {
            "days": days,
            "periods": PERIODS,
            "since": since,
            "most_read": [(pages.get(pk), count) for pk, count in read if pk in pages],
            "most_downloaded": [
                (documents.get(pk), count) for pk, count in downloaded if pk in documents
            ],
            "chart": _chart(points),
            "total_views": sum(views for _day, views in points),
            "top_searches": searches(since=since),
            "empty_searches": empty,
            "pending_requests": _pending_requests(),
        },
    )


def _pending_requests() -> dict:
    from portal.inquiries.models import CooperationRequest, Status

    return {
        "count": CooperationRequest.objects.filter(status=Status.NEW).count(),
        "url": f"{reverse('cooperation_requests:index')}?status={Status.NEW}",
    }
