"""Search latency on the evaluation corpus, for each database backend.

Builds a fresh site in a temporary directory (migrate, demo content, the corpus, the
starter glossary), warms it up, then runs every judged query several times through the
search page's own code (``search_page``) and through the whole page (Django's test
client rendering /<lang>/search/?q=...), and prints p50 / p95 / p99 / max in ms.

    .venv/bin/python bench/search_latency.py                       # SQLite
    .venv/bin/python bench/search_latency.py --postgres postgres://postgres@127.0.0.1:5432/test

With --postgres, a scratch database is created next to the given one and dropped after.

With --site DIR, the site (data directory and, with --postgres, the scratch database) is
kept in DIR with the import time; a later run with the same --site measures the search
again without importing (after ``migrate``), e.g. with newer search code:

    .venv/bin/python bench/search_latency.py --documents var/bench/corpus-100000-1.jsonl \
        --site /tmp/site-100000 --json
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def pss_kb() -> int:
    for line in Path("/proc/self/smaps_rollup").read_text().splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1])
    return 0


def scratch_postgres(url: str, prefix: str = "bench_search") -> tuple[str, callable]:
    """A new database beside the one at ``url``, its URL, and a function that drops it
    (also used by ``http_bench.py``)."""
    import psycopg

    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    parts = urlsplit(url)

    def drop() -> None:
        from django.conf import settings

        if settings.configured:
            from django.db import connections

            connections.close_all()
        with psycopg.connect(url, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return urlunsplit(parts._replace(path=f"/{name}")), drop


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", metavar="URL", help="measure on PostgreSQL at URL")
    parser.add_argument("--documents", type=Path, default=CORPUS / "documents.jsonl")
    parser.add_argument("--queries", type=Path, default=CORPUS / "queries_dev.jsonl")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--site", type=Path, help="keep the site here, or reuse the one kept")
    args = parser.parse_args()

    state_file = args.site / "site.json" if args.site else None
    state = json.loads(state_file.read_text()) if state_file and state_file.exists() else None
    if args.site:
        args.site.mkdir(parents=True, exist_ok=True)
        workdir = str(args.site.resolve())
    else:
        workdir = tempfile.mkdtemp(prefix="bench-search-")
    os.environ["PORTAL_DATA_DIR"] = workdir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")
    drop = None
    if state and state.get("database_url"):
        os.environ["DATABASE_URL"] = state["database_url"]
    elif args.postgres:
        os.environ["DATABASE_URL"], drop = scratch_postgres(args.postgres)
        if args.site:
            drop = None  # kept with the site
    else:
        os.environ.pop("DATABASE_URL", None)
    sys.path.insert(0, str(ROOT))
    import logging

    import django

    django.setup()
    logging.getLogger("wagtail").setLevel(logging.WARNING)
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from portal.search import engine as search_engine
    from portal.search.embeddings import embed_one
    from portal.search.selectors import search_page

    try:
        quiet = open(os.devnull, "w")  # noqa: SIM115
        call_command("migrate", verbosity=0)
        if state:
            import_seconds = state["import_seconds"]
        else:
            call_command("load_seed", stdout=quiet)
            start = time.perf_counter()
            call_command("import_corpus", str(args.documents), stdout=quiet)
            import_seconds = time.perf_counter() - start
            call_command("load_glossary", stdout=quiet)
            if state_file:
                state = {
                    "database_url": os.environ.get("DATABASE_URL"),
                    "documents": str(args.documents),
                    "import_seconds": import_seconds,
                }
                state_file.write_text(json.dumps(state))
        queries = [json.loads(line) for line in args.queries.read_text().splitlines() if line]
        client = Client(HTTP_HOST="localhost")
        # The search's files of this index version (vectors, postings), as the import
        # commands write them at their end: timed apart, not in the first search.
        start = time.perf_counter()
        search_engine.snapshot(wait=True)
        files_seconds = time.perf_counter() - start
        for query in queries:  # warm-up: models loaded, snapshot in memory
            search_page(query=query["query"], language=query["lang"])
        engine, page = [], []
        for _ in range(args.rounds):
            for query in queries:
                # Every query as if it were new: no cached query embedding.
                embed_one.cache_clear()
                start = time.perf_counter()
                search_page(query=query["query"], language=query["lang"])
                engine.append((time.perf_counter() - start) * 1000)
                embed_one.cache_clear()
                start = time.perf_counter()
                response = client.get(f"/{query['lang']}/search/?q={quote(query['query'])}")
                page.append((time.perf_counter() - start) * 1000)
                if response.status_code != 200:
                    raise SystemExit(f"search page answered {response.status_code}")
        from portal.search.models import SearchEntry

        result = {
            "backend": connection.vendor,
            "queries": len(queries),
            "runs": len(engine),
            "import_seconds": round(import_seconds, 1),
            "search_files_seconds": round(files_seconds, 1),
            "lexical": "postings" if search_engine.snapshot().postings is not None else "database",
            "entries": SearchEntry.objects.count(),
            "replicated": (state or {}).get("replicated"),
            # Proportional set size: memory shared with other processes counted by share.
            "pss_mb": round(pss_kb() / 1024),
        }
        for name, values in (("engine", engine), ("page", page)):
            result[name] = {
                "p50": round(statistics.median(values), 1),
                "p95": round(percentile(values, 0.95), 1),
                "p99": round(percentile(values, 0.99), 1),
                "max": round(max(values), 1),
            }
    finally:
        if drop:
            drop()
    if args.json:
        print(json.dumps(result))
    else:
        print(f"backend {result['backend']}: {result['queries']} queries x {args.rounds} rounds")
        print(
            f"import and index: {result['import_seconds']} s, {result['entries']} entries; "
            f"PSS with everything loaded: {result['pss_mb']} MB"
        )
        print("| measured | p50 ms | p95 ms | p99 ms | max ms |")
        print("|---|---|---|---|---|")
        for name, label in (
            ("engine", "search (ranking, facets, snippets)"),
            ("page", "whole page"),
        ):
            f = result[name]
            print(f"| {label} | {f['p50']} | {f['p95']} | {f['p99']} | {f['max']} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
