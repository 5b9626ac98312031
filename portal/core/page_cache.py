"""The page cache: what an anonymous visitor is sent is kept in the shared cache and sent
again to the next visitor, until published content changes.

- Only anonymous ``GET``/``HEAD`` requests for pages in a language (``/ko/…``, ``/en/…``)
  are looked up. A request with a session or messages cookie (a signed-in editor, a
  visitor who just sent a form) bypasses the cache, and so does every ``POST`` and all of
  ``/admin/`` (previews included).
- Only a ``200`` that sets no cookie, does not vary by cookie and does not forbid caching
  is stored (forms carry a CSRF token and so are never stored).
- Each entry is stored under the content version (``content_version``) read before the
  page was built, so it is served only while that version is current. Publishing, unpublishing,
  moving or deleting a page, or changing anything shown on other pages, changes the
  version, so every worker rebuilds every page at once. Entries also end at midnight in
  Seoul, when dated states (an application window) may change.
- Responses carry an ``ETag`` and ``Last-Modified`` and answer a matching conditional
  request with ``304``; browsers must revalidate (``max-age=0``).
- When the cache store cannot be reached the page is built and served as usual.

Two doors lead to the same entries: ``PageCacheMiddleware``, first in Django's
middleware, looks pages up and stores them; ``PageCacheApp`` wraps the WSGI application
(``portal/wsgi.py``) and sends a stored page for a plain ``GET`` before Django builds a
request at all, which is what makes a cached page nearly as cheap as a static file.
"""

from __future__ import annotations

import hashlib
import logging
import re
import time
from dataclasses import dataclass
from functools import lru_cache
from http import HTTPStatus

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, get_max_age, patch_cache_control
from django.utils.http import http_date, parse_etags

from portal.core import content_version as cv
from portal.core import request_log

logger = logging.getLogger(__name__)

HEADER = "X-Page-Cache"
PUBLIC = "public, max-age=0, must-revalidate"
# Headers recomputed per response, or by the server.
_NOT_STORED = {
    "set-cookie",
    "date",
    "content-length",
    "etag",
    "last-modified",
    HEADER.lower(),
    request_log.HEADER.lower(),
}


@dataclass(frozen=True)
class Entry:
    status: int
    headers: tuple[tuple[str, str], ...]  # as sent on a hit, validators included
    content: bytes
    etag: str
    last_modified: float

    @property
    def status_line(self) -> str:
        return f"{self.status} {HTTPStatus(self.status).phrase}"


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern, tuple[str, ...]]:
    """The cookies that make a request private, and the page prefixes (``/ko/``, ``/en/``)."""
    names = "|".join(re.escape(n) for n in (settings.SESSION_COOKIE_NAME, "messages"))
    prefixes = tuple(f"/{code}/" for code, _name in settings.LANGUAGES)
    return re.compile(rf"(?:^|;)\s*(?:{names})="), prefixes


def is_page(environ: dict) -> bool:
    return environ.get("PATH_INFO", "").startswith(_patterns()[1])


def looked_up(environ: dict) -> bool:
    """Whether this request may be answered from the page cache: an anonymous GET or HEAD
    of a page in a language, the page cache on."""
    private, _prefixes = _patterns()
    return (
        settings.PAGE_CACHE_SECONDS > 0
        and environ.get("REQUEST_METHOD") in ("GET", "HEAD")
        and is_page(environ)
        and not private.search(environ.get("HTTP_COOKIE", ""))
    )


def _scheme(environ: dict) -> str:
    header = settings.SECURE_PROXY_SSL_HEADER
    if header and environ.get(header[0]) == header[1]:
        return "https"
    return environ.get("wsgi.url_scheme", "http")


def cache_key(environ: dict) -> str:
    """The same key from the WSGI environ and from Django's ``request.META``."""
    host = environ.get("HTTP_HOST") or f"{environ.get('SERVER_NAME')}:{environ.get('SERVER_PORT')}"
    address = "{}://{}{}{}?{}".format(
        _scheme(environ),
        host,
        environ.get("SCRIPT_NAME", ""),
        environ.get("PATH_INFO", ""),
        environ.get("QUERY_STRING", ""),
    )
    return "page:" + hashlib.sha256(address.encode("utf-8", "surrogateescape")).hexdigest()


def lookup(environ: dict) -> tuple[str | None, Entry | None]:
    """The current content version, and the page's entry of that version if there is one."""
    version = cv.content_version()
    if version is None:
        return None, None
    entry = cv.versioned_get(cache_key(environ), version, pages=True)
    return version, entry if isinstance(entry, Entry) else None


class PageCacheApp:
    """The WSGI door: a stored page for a plain anonymous ``GET`` (a matching
    ``If-None-Match`` gets ``304``); everything else goes to Django."""

    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        if environ.get("REQUEST_METHOD") == "GET" and looked_up(environ):
            _version, entry = lookup(environ)
            if entry is not None:
                if_none_match = environ.get("HTTP_IF_NONE_MATCH")
                marked = (request_log.HEADER, request_log.request_id(environ))
                if if_none_match and entry.etag in parse_etags(if_none_match):
                    start_response("304 Not Modified", [*_validators(entry), marked])
                    return []
                if "HTTP_IF_MODIFIED_SINCE" not in environ:
                    length = ("Content-Length", str(len(entry.content)))
                    start_response(entry.status_line, [*entry.headers, length, marked])
                    return [entry.content]
        return self.application(environ, start_response)


def _validators(entry: Entry) -> list[tuple[str, str]]:
    return [
        (name, value)
        for name, value in entry.headers
        if name in ("ETag", "Last-Modified", "Cache-Control", HEADER)
    ]


class PageCacheMiddleware:
    """The Django door: looks pages up (for servers without ``PageCacheApp``, HEAD and
    conditional requests) and stores what may be stored."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        environ = request.META
        if not looked_up(environ):
            with cv.request_scope():
                response = self.get_response(request)
            if is_page(environ) and "Cache-Control" not in response:
                # A signed-in or form-sending visitor's page, or a form: theirs alone.
                patch_cache_control(response, private=True, no_cache=True)
            return response

        version, entry = lookup(environ)
        if entry is not None:
            return self._from_entry(request, entry)

        with cv.request_scope(version):
            response = self.get_response(request)
        if version is None or request.method != "GET" or not self._storable(response):
            response.headers.setdefault(HEADER, "miss")
            if "Cache-Control" not in response:
                patch_cache_control(response, private=True, no_cache=True)
            return response
        entry = self._entry(response)
        cv.versioned_set(
            cache_key(environ), version, entry, timeout=self._timeout(response), pages=True
        )
        for name, value in _validators(entry):
            response[name] = value
        response[HEADER] = "miss"
        return get_conditional_response(
            request, etag=entry.etag, last_modified=int(entry.last_modified), response=response
        )

    @staticmethod
    def _timeout(response: HttpResponse) -> int:
        max_age = get_max_age(response)
        seconds = settings.PAGE_CACHE_SECONDS
        return seconds if max_age is None else min(seconds, max_age)

    @staticmethod
    def _storable(response: HttpResponse) -> bool:
        if response.status_code != 200 or response.streaming or response.cookies:
            return False
        if "cookie" in response.get("Vary", "").lower():
            return False
        cache_control = response.get("Cache-Control", "").lower()
        return not any(word in cache_control for word in ("private", "no-store", "no-cache"))

    @staticmethod
    def _entry(response: HttpResponse) -> Entry:
        content = response.content
        etag = '"' + hashlib.blake2b(content, digest_size=16).hexdigest() + '"'
        now = time.time()
        headers = [
            (name, value) for name, value in response.items() if name.lower() not in _NOT_STORED
        ]
        if "Cache-Control" not in response:
            headers.append(("Cache-Control", PUBLIC))
        headers += [("ETag", etag), ("Last-Modified", http_date(now)), (HEADER, "hit")]
        return Entry(response.status_code, tuple(headers), content, etag, now)

    @staticmethod
    def _from_entry(request: HttpRequest, entry: Entry) -> HttpResponse:
        response = HttpResponse(entry.content, status=entry.status)
        for name, value in entry.headers:
            response[name] = value
        return get_conditional_response(
            request, etag=entry.etag, last_modified=int(entry.last_modified), response=response
        )
