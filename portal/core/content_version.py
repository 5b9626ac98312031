"""One token in the shared cache that changes whenever published content changes.

What every page shows around its content (the menu, the footer, the home page of each
language, the site settings) is cached under this token, so one change of content makes
every worker build it again at once, and nothing has to know which pages showed what.
If the cache cannot be reached, everything is built from the database as before.
"""

from __future__ import annotations

import logging
import os
import threading
import time as pytime
import uuid
from collections.abc import Callable
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime, time, timedelta
from typing import TypeVar

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

logger = logging.getLogger(__name__)

KEY = "content-version"
# Entries of an old version are never read again; they expire after this long.
ENTRY_TIMEOUT = 24 * 60 * 60
_MISSING = object()
T = TypeVar("T")


# The version read once per request (see ``request_scope``): every fragment of one page
# comes from the same version, at the cost of one read of the shared store.
_request_memo: ContextVar[dict | None] = ContextVar("content_version_memo", default=None)


@contextmanager
def request_scope(version: str | None = None):
    """Within a request: the content version is read at most once (or is ``version``,
    already read by the caller)."""
    token = _request_memo.set({} if version is None else {"version": version})
    try:
        yield
    finally:
        _request_memo.reset(token)


def _read_version() -> str | None:
    try:
        version = cache.get(KEY)
        if version is None:
            cache.add(KEY, uuid.uuid4().hex, timeout=None)
            version = cache.get(KEY)
    except Exception:  # any cache failure: build from the database
        logger.warning("Content version unavailable: the cache is unreachable.", exc_info=True)
        version = None
    return version


class _Listener:
    """This process's copy of the version, kept current by Redis's notifications, so a
    page needs no round trip to learn it.

    A thread per process subscribes to the version's channel, then reads the version;
    every notification makes it read the version again (not trust the message: two
    changes may be notified out of order). While it is not subscribed — before it starts,
    when Redis is down — it knows nothing and every request reads the store itself.
    """

    def __init__(self):
        self.version: str | None = None
        self.started: tuple | None = None
        self.lock = threading.Lock()
        # Bumped by every change made here (``changing``): a read of the store that the
        # thread began before a change is not kept.
        self.generation = 0
        self.version_lock = threading.Lock()

    @contextmanager
    def changing(self):
        """Around this process's change of the stored version: until notified of it again,
        every request reads the store. No read of the thread starts during the change,
        and one begun before it is dropped (it may have read the old version); the
        change's own notification, which the thread reads after, brings the copy back."""
        with self.version_lock:
            self.version = None
            self.generation += 1
            yield

    def _refresh(self) -> None:
        with self.version_lock:
            generation = self.generation
        version = _read_version()
        with self.version_lock:
            if self.generation == generation:
                self.version = version

    def current(self) -> str | None:
        channel_of = getattr(_backend(), "notification_channel", None)
        if channel_of is None:
            return None  # a store without notifications: read it each time
        identity = (os.getpid(), channel_of(KEY))
        if self.started != identity:
            with self.lock:
                if self.started != identity:
                    self.version = None
                    self.started = identity
                    threading.Thread(
                        target=self._listen, args=(identity,), daemon=True, name="content-version"
                    ).start()
        return self.version

    def _listen(self, identity: tuple) -> None:
        channel = identity[1]
        interrupted = False
        while self.started == identity:
            try:
                with _backend().subscribe(channel) as subscription:
                    self._refresh()
                    if interrupted:
                        logger.warning("Content version notifications resumed.")
                        interrupted = False
                    while self.started == identity:
                        if subscription.get_message(timeout=1.0) is not None:
                            self._refresh()
            except Exception as error:
                self.version = None
                if not interrupted:
                    logger.warning("Content version notifications interrupted: %s", error)
                    interrupted = True
                pytime.sleep(1.0)
        self.version = None


def _backend():
    from django.core.cache import caches

    return caches["default"]


_listener = _Listener()


def content_version() -> str | None:
    """The current token, or ``None`` when the cache is unreachable."""
    memo = _request_memo.get()
    if memo is not None and "version" in memo:
        return memo["version"]
    version = _listener.current() or _read_version()
    if memo is not None and version is not None:
        memo["version"] = version
    return version


def seconds_until_midnight() -> int:
    """Seconds until the date changes in the site's time zone (Seoul), when dated states
    (an application window opening or closing) change without any edit."""
    now = timezone.localtime()
    midnight = datetime.combine(now.date() + timedelta(days=1), time(), tzinfo=now.tzinfo)
    return max(1, int((midnight - now).total_seconds()))


def _new_version() -> None:
    memo = _request_memo.get()
    if memo is not None:
        memo.pop("version", None)
    _fragments.entries.clear()
    _pages.entries.clear()
    with _listener.changing():
        try:
            cache.set(KEY, uuid.uuid4().hex, timeout=None)
            if notify := getattr(_backend(), "notify", None):
                notify(KEY)
        except Exception:
            logger.warning("Content version not changed: the cache is unreachable.", exc_info=True)


def content_changed() -> None:
    """Published content changed: every cached piece of it is stale from now on.

    The version changes at once and again when the transaction commits: a page built
    from the database between the two still showed the old content, and is dropped.
    Inside ``changes_coalesced``, further changes in the same transaction change nothing
    more.
    """
    if _coalesced.get():
        pending = transaction.get_connection().run_on_commit
        if any(callback is _new_version for _sids, callback, _robust in pending):
            return
    _new_version()
    transaction.on_commit(_new_version)


_coalesced: ContextVar[bool] = ContextVar("content_changes_coalesced", default=False)


@contextmanager
def changes_coalesced():
    """For bulk writes (an import publishing thousands of pages): the version changes
    twice per transaction, not twice per change. No other process sees a change before
    its commit, which changes the version again; only this process, reading its own
    writes before the commit, could read a stale cached piece, so it is not for a block
    that renders pages."""
    token = _coalesced.set(True)
    try:
        yield
    finally:
        _coalesced.reset(token)


class _Local:
    """What this process has already read or built, by version, up to ``size`` entries:
    an entry of the current version is taken from here without asking the shared store
    (or unpickling it) again. Entries of older versions are never asked for again."""

    def __init__(self, size: int):
        self.size = size
        self.entries: dict[str, tuple[float, object]] = {}

    def get(self, key: str):
        found = self.entries.get(key)
        if found is not None and found[0] > pytime.time():
            return found[1]
        return _MISSING

    def put(self, key: str, value, timeout: int) -> None:
        if len(self.entries) >= self.size:
            self.entries.clear()
        self.entries[key] = (pytime.time() + timeout, value)


_fragments = _Local(5_000)
_pages = _Local(300)  # whole pages, up to ~100 KB each


def versioned_get(key: str, version: str, *, pages: bool = False):
    """The entry ``key`` of ``version``: from this process, else the shared store (then kept
    here). A private sentinel when neither has it: test with ``isinstance`` or build."""
    local = _pages if pages else _fragments
    full_key = f"content:{version}:{key}"
    value = local.get(full_key)
    if value is not _MISSING:
        return value
    try:
        value = cache.get(full_key, _MISSING)
    except Exception:
        return _MISSING
    if value is not _MISSING:
        local.put(full_key, value, seconds_until_midnight())
    return value


def versioned_set(key: str, version: str, value, *, timeout: int = ENTRY_TIMEOUT, pages=False):
    timeout = min(timeout, seconds_until_midnight())
    full_key = f"content:{version}:{key}"
    try:
        cache.set(full_key, value, timeout=timeout)
    except Exception:
        logger.warning("Not cached: %s", key, exc_info=True)
    (_pages if pages else _fragments).put(full_key, value, timeout)


def cached_content(key: str, build: Callable[[], T]) -> T:
    """``build()``, cached until published content next changes (or the date changes)."""
    version = content_version()
    if version is None:
        return build()
    value = versioned_get(key, version)
    if value is _MISSING:
        value = build()
        versioned_set(key, version, value)
    return value
