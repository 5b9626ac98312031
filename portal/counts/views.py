"""The counting beacon: a page shown in a browser asks for it, and that is one view.

A picture rather than a script, so that it works without JavaScript; outside the page
cache and never cached itself, so that a view of a cached page counts too. It sets no
cookie and keeps nothing of who asked.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST
from wagtail.models import Page

from portal.counts.models import CountKind
from portal.counts.services import count_event, is_bot, search_click, search_logged
from portal.search.engine import clean_query

# Larger counts are stored as this: no search finds more items than the site has.
MAX_RESULTS = 10_000_000

# A transparent GIF of one pixel.
PIXEL = (
    b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00"
    b"\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
)


@require_GET
@never_cache
def page_view(request: HttpRequest, page_id: int) -> HttpResponse:
    """Count one view of a live page (not from a bot); always answer with the pixel, so
    that nothing on the page depends on it."""
    if not is_bot(request) and Page.objects.live().filter(pk=page_id).exists():
        count_event(kind=CountKind.PAGE_VIEW, object_id=page_id)
    return _pixel()


def _pixel() -> HttpResponse:
    response = HttpResponse(PIXEL, content_type="image/gif")
    response["X-Robots-Tag"] = "noindex"
    return response


def _search_params(request: HttpRequest) -> tuple[str, str] | None:
    """The query and language of a search beacon or ping, or ``None`` when either is
    missing or unknown."""
    query, _cut = clean_query(request.GET.get("q", ""))
    language = request.GET.get("lang", "")
    if not query or language not in dict(settings.LANGUAGES):
        return None
    return query, language


@require_GET
@never_cache
def search_made(request: HttpRequest) -> HttpResponse:
    """Log one search from its results page (``n`` items found): a picture on the page,
    so that a search answered from the page cache is logged too."""
    params = _search_params(request)
    try:
        results = min(max(int(request.GET.get("n", "")), 0), MAX_RESULTS)
    except ValueError:
        params = None
    if params is not None and not is_bot(request):
        search_logged(query=params[0], language=params[1], results=results)
    return _pixel()


@csrf_exempt  # a browser's ping carries no token; it can only record a click
@require_POST
@never_cache
def result_opened(request: HttpRequest, page_id: int) -> HttpResponse:
    """A result link's ``ping``: the visitor opened this result of this search."""
    params = _search_params(request)
    if params is not None and not is_bot(request) and Page.objects.filter(pk=page_id).exists():
        search_click(query=params[0], language=params[1], page_id=page_id)
    return HttpResponse(status=204)
