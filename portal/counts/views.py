"""The counting beacon: a page shown in a browser asks for it, and that is one view.

A picture rather than a script, so that it works without JavaScript; outside the page
cache and never cached itself, so that a view of a cached page counts too. It sets no
cookie and keeps nothing of who asked.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from wagtail.models import Page

from portal.counts.models import CountKind
from portal.counts.services import count_event, is_bot

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
    response = HttpResponse(PIXEL, content_type="image/gif")
    response["X-Robots-Tag"] = "noindex"
    return response
