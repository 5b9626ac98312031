"""One token in the shared cache that changes whenever published content changes.

What every page shows around its content (the menu, the footer, the home page of each
language, the site settings) is cached under this token, so one change of content makes
every worker build it again at once, and nothing has to know which pages showed what.
If the cache cannot be reached, everything is built from the database as before.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache

logger = logging.getLogger(__name__)

KEY = "content-version"
# Entries of an old version are never read again; they expire after this long.
ENTRY_TIMEOUT = 24 * 60 * 60
_MISSING = object()
T = TypeVar("T")


def content_version() -> str | None:
    """The current token, or ``None`` when the cache is unreachable."""
    try:
        version = cache.get(KEY)
        if version is None:
            cache.add(KEY, uuid.uuid4().hex, timeout=None)
            version = cache.get(KEY)
        return version
    except Exception:  # any cache failure: build from the database
        logger.warning("Content version unavailable: the cache is unreachable.", exc_info=True)
        return None


def content_changed() -> None:
    """Published content changed: every cached piece of it is stale from now on."""
    try:
        cache.set(KEY, uuid.uuid4().hex, timeout=None)
    except Exception:
        logger.warning("Content version not changed: the cache is unreachable.", exc_info=True)


def cached_content(key: str, build: Callable[[], T]) -> T:
    """``build()``, cached until published content next changes."""
    version = content_version()
    if version is None:
        return build()
    full_key = f"content:{version}:{key}"
    try:
        value = cache.get(full_key, _MISSING)
    except Exception:
        return build()
    if value is _MISSING:
        value = build()
        try:
            cache.set(full_key, value, timeout=ENTRY_TIMEOUT)
        except Exception:
            logger.warning("Not cached: %s", key, exc_info=True)
    return value
