"""A request id on every response and every log line, and logs as one JSON object a line.

The id is the ``X-Request-ID`` the proxy in front sent (nginx's ``$request_id``, see
``deploy/nginx``) when it looks like one, else a new one. It is sent back in the response's
``X-Request-ID`` header, so that a visitor's report of an error page, nginx's access log,
gunicorn's and the application's lines can be matched. Stored pages sent by
``PageCacheApp`` carry it too (``request_id``).

``LOG_FORMAT=json`` (the production default) writes each record as one JSON object:
time (UTC), level, logger, message, request id, and the exception when there is one.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import json
import logging
import re
import uuid

HEADER = "X-Request-ID"
_META = "HTTP_X_REQUEST_ID"
# What is accepted from outside: letters, digits and a few marks, at most 64 of them.
# Anything else (a log line injected through the header, a megabyte) gets a new id.
_VALID = re.compile(r"[A-Za-z0-9._:-]{1,64}")

_current: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")


def request_id(environ: dict) -> str:
    """The request's id: the proxy's when valid, else a new one."""
    given = environ.get(_META, "")
    return given if _VALID.fullmatch(given) else uuid.uuid4().hex


def current_request_id() -> str:
    return _current.get()


class RequestIdMiddleware:
    """First of Django's middleware: every log line of the request carries its id."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current.set(request_id(request.META))
        try:
            response = self.get_response(request)
            response[HEADER] = _current.get()
            return response
        finally:
            _current.reset(token)


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` to every record ("-" outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = _current.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per record, on one line."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", _current.get()),
        }
        status = getattr(record, "status_code", None)
        if status is not None:
            entry["status"] = status
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)
