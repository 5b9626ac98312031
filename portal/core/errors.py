"""The server-error handler: a database that cannot be reached is a 503, not a 500.

While PostgreSQL restarts (or SQLite's file is locked past its timeout) every request
that needs the database fails with an ``OperationalError`` or ``InterfaceError``. Such a
request gets the "temporarily unavailable" page with status 503 and ``Retry-After``, so
that visitors, crawlers and the proxy know to come back, and a visitor who was sending a
form is told that it was not received. Nothing of the page needs the database. Every
other failure keeps Django's own 500 page. Either way the error is logged with its
traceback by Django before this runs; the visitor never sees it.
"""

from __future__ import annotations

import sys

from django.db.utils import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.utils.cache import add_never_cache_headers
from django.views import defaults

DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)
# Seconds a client is asked to wait: a restart of the database takes a few.
RETRY_AFTER_SECONDS = 5


def database_unavailable(error: BaseException | None) -> bool:
    """Whether ``error`` (or what caused it) is the database failing to answer."""
    seen = set()
    while error is not None and id(error) not in seen:
        if isinstance(error, DATABASE_UNAVAILABLE):
            return True
        seen.add(id(error))
        error = error.__cause__ or error.__context__
    return False


def server_error(request: HttpRequest, template_name: str = "500.html") -> HttpResponse:
    if not database_unavailable(sys.exc_info()[1]):
        return defaults.server_error(request, template_name)
    html = loader.get_template("503.html").render({"sent_form": request.method == "POST"})
    response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    return response
