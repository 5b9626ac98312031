"""The OAI-PMH 2.0 endpoint: arguments in, XML out; the protocol is in ``protocol``."""

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from portal.oai import protocol

CONTENT_TYPE = "text/xml; charset=utf-8"


@csrf_exempt  # harvesters POST without a session: nothing here changes state
@require_http_methods(["GET", "HEAD", "POST"])
def endpoint(request: HttpRequest) -> HttpResponse:
    """Answer a harvester; errors of the protocol are answered with status 200 too."""
    params = request.POST if request.method == "POST" else request.GET
    context = protocol.Context(base_url=request.build_absolute_uri(request.path), request=request)
    return HttpResponse(protocol.respond(dict(params.lists()), context), content_type=CONTENT_TYPE)
