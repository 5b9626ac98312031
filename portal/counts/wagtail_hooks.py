"""Count a document's downloads as Wagtail serves it."""

from wagtail import hooks

from portal.counts.models import CountKind
from portal.counts.services import count_event, is_bot


@hooks.register("before_serve_document")
def count_download(document, request):
    # A range request is the rest of a download already counted (a PDF reader fetching
    # the pages it shows); a HEAD request downloads nothing.
    if request.method == "GET" and "HTTP_RANGE" not in request.META and not is_bot(request):
        count_event(kind=CountKind.DOWNLOAD, object_id=document.pk)
