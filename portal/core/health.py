"""``/healthz`` (the process answers) and ``/readyz`` (it can serve: database reachable,
migrations applied, cache reachable), for load balancers and monitoring.

Both are cheap (``/readyz``: one ``SELECT 1``, one cache write and read; the migration
check is done once per process, then remembered once everything is applied), never
cached, and answer before the HTTPS redirect (``SECURE_REDIRECT_EXEMPT``), so that a
probe over plain HTTP from the proxy is answered.

``/readyz`` answers ``503`` when the database cannot be reached or migrations are missing:
this server cannot serve pages. An unreachable cache is reported (``"degraded"``) but
answered with ``200``: pages are then built without the page cache (see
``core.page_cache``), and taking every server out of the load balancer because the cache
is down would turn a slower site into no site.
"""

from __future__ import annotations

import logging
import secrets

from django.core.cache import cache
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)

_migrations_applied = False


@never_cache
@require_safe
def healthz(request):
    return JsonResponse({"status": "ok"})


def _database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.warning("Readiness: the database cannot be reached.", exc_info=True)
        return "unreachable"
    return "ok"


def _migrations() -> str:
    global _migrations_applied
    if _migrations_applied:
        return "ok"
    try:
        executor = MigrationExecutor(connection)
        missing = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError:
        return "unknown"
    if missing:
        logger.warning("Readiness: %d migrations are not applied.", len(missing))
        return "pending"
    _migrations_applied = True
    return "ok"


def _cache() -> str:
    token = secrets.token_hex(8)
    try:
        cache.set("readyz", token, timeout=10)
        if cache.get("readyz") != token:
            raise OSError("the cache did not keep what was written")
    except Exception:  # any cache failure: reported, not raised
        logger.warning("Readiness: the cache cannot be reached.", exc_info=True)
        return "unreachable"
    return "ok"


@never_cache
@require_safe
def readyz(request):
    checks = {"database": _database()}
    checks["migrations"] = _migrations() if checks["database"] == "ok" else "unknown"
    checks["cache"] = _cache()
    if checks["database"] != "ok" or checks["migrations"] != "ok":
        status, code = "unavailable", 503
    elif checks["cache"] != "ok":
        status, code = "degraded", 200
    else:
        status, code = "ok", 200
    return JsonResponse({"status": status, "checks": checks}, status=code)
