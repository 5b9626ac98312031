"""Cache backends that let the site go on when the cache store fails.

A cache is an accelerator: when Redis restarts or the cache folder cannot be written,
every read becomes a miss and every write is skipped, so pages are built from the
database instead of failing. The first failure is logged; then the store is left alone
for ``RETRY_SECONDS`` (each call would otherwise wait for a connection timeout) and
tried again. ``incr`` cannot answer without the store and raises ``CacheUnavailable``.
"""

from __future__ import annotations

import logging
import threading
import time
from contextlib import contextmanager

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient

logger = logging.getLogger(__name__)

RETRY_SECONDS = 5.0


class CacheUnavailable(Exception):
    """The cache store cannot be reached (raised only where no default answer exists)."""


class ResilientCacheMixin:
    # The store's own failures: a connection refused or timed out (Redis), a folder that
    # cannot be read or written (files). A wrong argument (e.g. incr of a missing key,
    # ValueError) is not one of them and still raises.
    store_errors: tuple[type[BaseException], ...] = (OSError,)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._down_until = 0.0
        self._lock = threading.Lock()

    def _available(self) -> bool:
        return time.monotonic() >= self._down_until

    def _failed(self, operation: str, error: BaseException) -> None:
        with self._lock:
            first = self._available()
            self._down_until = time.monotonic() + RETRY_SECONDS
        if first:
            logger.error(
                "Cache store unreachable (%s: %s); serving without it for %.0f s.",
                operation,
                error,
                RETRY_SECONDS,
            )

    def _call(self, operation: str, default, *args, **kwargs):
        if not self._available():
            return default
        try:
            return getattr(super(), operation)(*args, **kwargs)
        except self.store_errors as error:
            self._failed(operation, error)
            return default

    def get(self, key, default=None, version=None):
        return self._call("get", default, key, default, version)

    def get_many(self, keys, version=None):
        return self._call("get_many", {}, keys, version)

    def has_key(self, key, version=None):
        return self._call("has_key", False, key, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._call("set", None, key, value, timeout, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", False, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", False, key, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", list(data), data, timeout, version)

    def delete(self, key, version=None):
        return self._call("delete", False, key, version)

    def delete_many(self, keys, version=None):
        self._call("delete_many", None, keys, version)

    def clear(self):
        return self._call("clear", None)

    def incr(self, key, delta=1, version=None):
        unavailable = object()
        value = self._call("incr", unavailable, key, delta, version)
        if value is unavailable:
            raise CacheUnavailable(f"incr({key!r}): the cache store is unreachable")
        return value


def _redis_errors() -> tuple[type[BaseException], ...]:
    import redis.exceptions

    return (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError, OSError)


class _ClientPerPool(RedisCacheClient):
    """Django makes a new redis-py client object for every call, and making one (its
    table of reply handlers) costs more than the round trip to Redis: keep one per pool.
    A client is safe to share; it takes a connection from the pool for each command."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            if index not in self._pools:
                self._pools[index] = self._pool_class.from_url(
                    self._servers[index], **self._pool_options
                )
            client = self._clients[index] = self._client(connection_pool=self._pools[index])
        return client


class ResilientRedisCache(ResilientCacheMixin, RedisCache):
    store_errors = _redis_errors()

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _ClientPerPool

    # Notifications of a changed key (Redis publish/subscribe), for values every process
    # keeps a copy of (the content version).

    def notification_channel(self, key: str) -> str:
        return self.make_key(f"{key}:changed")

    def notify(self, key: str) -> None:
        if not self._available():
            return
        try:
            self._cache.get_client(write=True).publish(self.notification_channel(key), b"1")
        except self.store_errors as error:
            self._failed("notify", error)

    @contextmanager
    def subscribe(self, channel: str):
        """A subscription to ``channel``; its failures are the caller's to handle."""
        subscription = self._cache.get_client(write=True).pubsub(ignore_subscribe_messages=True)
        try:
            subscription.subscribe(channel)
            yield subscription
        finally:
            subscription.close()


class ResilientFileBasedCache(ResilientCacheMixin, FileBasedCache):
    store_errors = (OSError,)
