"""A per-address rate limit kept in the cache, shared by the public forms and the API."""

from __future__ import annotations

import hashlib
import ipaddress
import logging
import math
import time
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

logger = logging.getLogger(__name__)


def client_address(request: HttpRequest) -> str:
    """The visitor's address.

    A request from a trusted proxy (``TRUSTED_PROXIES``, nginx on this machine as shipped)
    is counted by the address that proxy names in ``X-Forwarded-For``: the last one not
    itself a trusted proxy, read from the right, as each proxy appends the address it saw
    (the shipped nginx replaces the header with it). What a visitor writes there
    itself is further left and never read. Any other request, or one whose header holds
    no address, is counted by the address it came from.
    """
    remote = request.META.get("REMOTE_ADDR", "") or "unknown"
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if not forwarded or not _trusted(_address(remote)):
        return remote
    for hop in reversed(forwarded.split(",")):
        address = _address(hop.strip())
        if address is None:
            return remote
        if not _trusted(address):
            return str(address)
    return remote


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


@lru_cache(maxsize=16)
def _networks(proxies: tuple[str, ...]) -> tuple:
    networks = []
    for proxy in proxies:
        try:
            networks.append(ipaddress.ip_network(proxy, strict=False))
        except ValueError:
            logger.warning("TRUSTED_PROXIES: %r is not an address or a network; ignored.", proxy)
    return tuple(networks)


def _trusted(address: ipaddress.IPv4Address | ipaddress.IPv6Address | None) -> bool:
    if address is None:
        return False
    return any(address in network for network in _networks(tuple(settings.TRUSTED_PROXIES)))


@dataclass(frozen=True)
class RateLimit:
    exceeded: bool
    retry_after: int  # seconds until the address's window ends (0 when not exceeded)


def _key(scope: str, identity: str) -> str:
    return f"ratelimit:{scope}:{hashlib.sha256(identity.encode()).hexdigest()[:32]}"


def rate_limit_count(*, request: HttpRequest, scope: str, limit: int, window: int) -> RateLimit:
    """Count one attempt of ``scope`` from the visitor's address; whether the address has
    now made more than ``limit`` attempts in its window of ``window`` seconds, which
    starts with its first attempt.

    The address is stored only as a hash in the cache, for ``window`` seconds. If the
    cache is unreachable the attempt is allowed: a page must not fail because its guard
    does.
    """
    key = _key(scope, client_address(request))
    now = time.time()
    try:
        if _count(key, window) <= limit:
            return RateLimit(False, 0)
        started = cache.get(f"{key}:start", now)
    except Exception:  # any cache failure means "no limit"
        logger.warning("Rate limit not checked: the cache is unreachable.", exc_info=True)
        return RateLimit(False, 0)
    return RateLimit(True, max(1, math.ceil(started + window - now)))


def _count(key: str, window: int) -> int:
    """One more for ``key``, whose window of ``window`` seconds starts with its first
    count (kept under ``<key>:start``); the new count."""
    if not cache.add(key, 1, timeout=window):
        try:
            return cache.incr(key)
        except ValueError:  # the window ended between the two calls
            cache.set(key, 1, timeout=window)
    cache.set(f"{key}:start", time.time(), timeout=window)
    return 1


@dataclass(frozen=True)
class FailureLimit:
    """At most ``limit`` failures (wrong passwords) of one identity (an address, an
    account) in a window of ``window`` seconds, which starts with its first failure.

    Unlike ``rate_limit_count``, only failures count, and a success clears the count.
    Identities are stored only as hashes. If the cache is unreachable nothing is blocked.
    """

    scope: str
    limit: int
    window: int

    def blocked_for(self, identity: str) -> int:
        """Seconds until ``identity`` may try again; 0 when it may now."""
        key = _key(self.scope, identity)
        try:
            count = cache.get(key, 0)
            if count < self.limit:
                return 0
            started = cache.get(f"{key}:start", time.time())
        except Exception:
            logger.warning("Failures not checked: the cache is unreachable.", exc_info=True)
            return 0
        return max(1, math.ceil(started + self.window - time.time()))

    def fail(self, identity: str) -> None:
        try:
            _count(_key(self.scope, identity), self.window)
        except Exception:
            logger.warning("Failure not counted: the cache is unreachable.", exc_info=True)

    def clear(self, identity: str) -> None:
        key = _key(self.scope, identity)
        try:
            cache.delete_many([key, f"{key}:start"])
        except Exception:
            logger.warning("Failures not cleared: the cache is unreachable.", exc_info=True)
