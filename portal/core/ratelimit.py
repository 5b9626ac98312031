"""A per-address rate limit kept in the cache, shared by the public forms and the API."""

from __future__ import annotations

import hashlib
import logging
import math
import time
from dataclasses import dataclass

from django.core.cache import cache
from django.http import HttpRequest

logger = logging.getLogger(__name__)


def client_address(request: HttpRequest) -> str:
    """The visitor's address as the server sees it (the proxy in front sets REMOTE_ADDR)."""
    return request.META.get("REMOTE_ADDR", "") or "unknown"


@dataclass(frozen=True)
class RateLimit:
    exceeded: bool
    retry_after: int  # seconds until the address's window ends (0 when not exceeded)


def rate_limit_count(*, request: HttpRequest, scope: str, limit: int, window: int) -> RateLimit:
    """Count one attempt of ``scope`` from the visitor's address; whether the address has
    now made more than ``limit`` attempts in its window of ``window`` seconds, which
    starts with its first attempt.

    The address is stored only as a hash in the cache, for ``window`` seconds. If the
    cache is unreachable the attempt is allowed: a page must not fail because its guard
    does.
    """
    digest = hashlib.sha256(client_address(request).encode()).hexdigest()[:32]
    key = f"ratelimit:{scope}:{digest}"
    now = time.time()
    try:
        if cache.add(key, 1, timeout=window):
            cache.set(f"{key}:start", now, timeout=window)
            count = 1
        else:
            count = cache.incr(key)
        if count <= limit:
            return RateLimit(False, 0)
        started = cache.get(f"{key}:start", now)
    except Exception:  # any cache failure means "no limit"
        logger.warning("Rate limit not checked: the cache is unreachable.", exc_info=True)
        return RateLimit(False, 0)
    return RateLimit(True, max(1, math.ceil(started + window - now)))
