"""What every answer under /api/ shares: CORS for reading, ETag with 304 answers, the
per-address rate limit (429 with Retry-After), and errors as JSON, never an HTML page."""

from __future__ import annotations

import hashlib
import logging

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.translation import gettext

from portal.core.errors import RETRY_AFTER_SECONDS, database_unavailable
from portal.core.ratelimit import rate_limit_count

logger = logging.getLogger(__name__)

PREFIX = "/api/"
READ_METHODS = ("GET", "HEAD")
CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": "ETag, Retry-After, Content-Language",
}
PREFLIGHT_HEADERS = {
    "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
    "Access-Control-Allow-Headers": "Accept, Accept-Language, If-None-Match",
    "Access-Control-Max-Age": "86400",
}


def _error_messages() -> dict[int, str]:
    return {
        400: gettext("The request could not be understood."),
        403: gettext("This is not allowed."),
        404: gettext("There is nothing at this address."),
        405: gettext("The API is read-only: use GET."),
        500: gettext("Something went wrong on our side. Please try again later."),
    }


def _json_error(status: int, detail: str | None = None) -> JsonResponse:
    message = detail or _error_messages().get(status) or gettext("The request failed.")
    return JsonResponse(
        {"detail": message}, status=status, json_dumps_params={"ensure_ascii": False}
    )


class ApiMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(PREFIX):
            return self.get_response(request)
        # The API has no language prefix: its messages follow Accept-Language.
        with translation.override(translation.get_language_from_request(request)):
            return self._handle(request)

    def _handle(self, request: HttpRequest) -> HttpResponse:
        if request.method == "OPTIONS":
            response = HttpResponse(status=204)
            for name, value in PREFLIGHT_HEADERS.items():
                response[name] = value
            return self._finish(request, response)
        limit = rate_limit_count(
            request=request,
            scope="api",
            limit=settings.API_RATE_LIMIT,
            window=settings.API_RATE_WINDOW,
        )
        if limit.exceeded:
            response = _json_error(
                429,
                gettext("Too many requests from your address. Try again in %(seconds)d seconds.")
                % {"seconds": limit.retry_after},
            )
            response["Retry-After"] = str(limit.retry_after)
            return self._finish(request, response)
        response = self.get_response(request)
        if response.status_code >= 400 and not _is_json(response):
            original, response = response, _json_error(response.status_code)
            if original.has_header("Allow"):  # a 405 says which methods would work
                response["Allow"] = original["Allow"]
        if request.method in READ_METHODS and response.status_code == 200:
            response = self._conditional(request, response)
        return self._finish(request, response)

    def process_exception(self, request: HttpRequest, exception: Exception):
        if not request.path.startswith(PREFIX):
            return None
        logger.exception("API request failed: %s", request.path)
        with translation.override(translation.get_language_from_request(request)):
            if database_unavailable(exception):
                response = _json_error(
                    503,
                    gettext("The service is briefly unavailable. Try again in %(seconds)d seconds.")
                    % {"seconds": RETRY_AFTER_SECONDS},
                )
                response["Retry-After"] = str(RETRY_AFTER_SECONDS)
                return response
            return _json_error(500)

    @staticmethod
    def _conditional(request: HttpRequest, response: HttpResponse) -> HttpResponse:
        """An ETag from the body; a 304 when the client already has that body."""
        if response.streaming or response.has_header("ETag"):
            return response
        response["ETag"] = f'"{hashlib.sha256(response.content).hexdigest()[:32]}"'
        response.setdefault("Cache-Control", f"public, max-age={settings.API_MAX_AGE}")
        return get_conditional_response(request, etag=response["ETag"], response=response)

    @staticmethod
    def _finish(request: HttpRequest, response: HttpResponse) -> HttpResponse:
        for name, value in CORS_HEADERS.items():
            response[name] = value
        patch_vary_headers(response, ["Accept-Language"])
        return response


def _is_json(response: HttpResponse) -> bool:
    return response.get("Content-Type", "").startswith("application/json")
