"""Writes of the counts: one more view or download of an object today."""

from __future__ import annotations

import datetime as dt
import re

from django.db import connection, transaction
from django.utils import timezone

from portal.counts.models import CountKind, DailyCount, SearchLog
from portal.programmes.selectors import seoul_today

# User agents of crawlers, link previews, monitors and scripts: they read pages, people
# do not behind them.
_BOT = re.compile(
    r"bot\b|bot/|crawl|spider|slurp|archiver|facebookexternalhit|embedly|preview|"
    r"monitor|pingdom|uptime|lighthouse|headless|phantomjs|python-|curl/|wget/|"
    r"go-http-client|java/|okhttp|libwww|httpclient|scrapy",
    re.IGNORECASE,
)


def is_bot(request) -> bool:
    """Whether the request comes from a program rather than a person's browser: a known
    crawler or tool, no user agent at all, or a speculative prefetch."""
    agent = request.META.get("HTTP_USER_AGENT", "")
    if not agent or _BOT.search(agent):
        return True
    purpose = request.META.get("HTTP_SEC_PURPOSE", "") or request.META.get("HTTP_PURPOSE", "")
    return "prefetch" in purpose.lower()


_TABLE = DailyCount._meta.db_table
_UPSERT = (
    f"INSERT INTO {_TABLE} (kind, object_id, day, count) VALUES (%s, %s, %s, 1) "
    f"ON CONFLICT (kind, object_id, day) DO UPDATE SET count = {_TABLE}.count + 1"
)


def count_event(*, kind: CountKind, object_id: int) -> None:
    """Add one to today's count of the object; one statement, safe under concurrency."""
    with connection.cursor() as cursor:
        cursor.execute(_UPSERT, [str(kind), int(object_id), seoul_today()])


# A result opened this long after its search is no longer taken as that search's.
CLICK_WINDOW = dt.timedelta(minutes=30)


def search_logged(*, query: str, language: str, results: int) -> SearchLog:
    return SearchLog.objects.create(query=query[:200], language=language, results=results)


def search_click(*, query: str, language: str, page_id: int) -> None:
    """Record that a result of the search was opened: on the latest such search without
    an opened result yet (searches are not tied to visitors, so this is the best guess)."""
    since = timezone.now() - CLICK_WINDOW
    with transaction.atomic():
        row = (
            SearchLog.objects.select_for_update()
            .filter(query=query[:200], language=language, clicked_page__isnull=True)
            .filter(searched_at__gte=since)
            .order_by("-searched_at", "-pk")
            .first()
        )
        if row is not None:
            row.clicked_page_id = page_id
            row.save(update_fields=["clicked_page"])
