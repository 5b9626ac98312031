"""Profile the search page's selector against a site built once into a fixed data dir.

``bench/search_latency.py`` builds a fresh site every run (minutes of import); this script
builds one into ``--data`` once and then only times or profiles queries against it.

    .venv/bin/python bench/search_profile.py build --data var/search-profile \\
        --documents var/bench/corpus-1000-1.jsonl
    .venv/bin/python bench/search_profile.py time --data var/search-profile --rounds 3
    .venv/bin/python bench/search_profile.py profile --data var/search-profile --top 40
    .venv/bin/python bench/search_profile.py dump --data var/search-profile --out before.json

``scale --entries 150000`` times the in-memory part of a search (snapshot arrays, both
embedding products, fusion, ordering, facets) over a synthetic snapshot of that many
entries, without a database: the part that grows with the index.

``dump`` writes every judged query's result pages (hits, scores, totals, facets; with and
without filters) as JSON, to check that a change to the engine keeps the results.

``time`` reports p50 / p95 / p99 of ``search_page`` over the judged queries, each run
with the query embedding cache cleared (as ``search_latency.py`` does). The database is
SQLite, or the one a site kept by ``search_latency.py --site`` names in its site.json.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

from search_latency import CORPUS, ROOT, percentile  # this folder is on the path


def setup(data: Path) -> None:
    os.environ["PORTAL_DATA_DIR"] = str(data.resolve())
    os.environ["DJANGO_SETTINGS_MODULE"] = "portal.settings.dev"
    # A site kept by search_latency.py --site names its database (PostgreSQL) there.
    state = data / "site.json"
    url = json.loads(state.read_text()).get("database_url") if state.is_file() else None
    if url:
        os.environ["DATABASE_URL"] = url
    else:
        os.environ.pop("DATABASE_URL", None)
    sys.path.insert(0, str(ROOT))
    import logging

    import django

    django.setup()
    logging.getLogger("wagtail").setLevel(logging.WARNING)


def build(args) -> None:
    from django.core.management import call_command

    quiet = open(os.devnull, "w")  # noqa: SIM115
    call_command("migrate", verbosity=0)
    call_command("load_seed", stdout=quiet)
    start = time.perf_counter()
    call_command("import_corpus", str(args.documents), stdout=quiet)
    print(f"imported in {time.perf_counter() - start:.0f} s")
    call_command("load_glossary", stdout=quiet)


def run_queries(queries, rounds: int) -> list[float]:
    from portal.search.embeddings import embed_one
    from portal.search.selectors import search_page

    times = []
    for _ in range(rounds):
        for query in queries:
            embed_one.cache_clear()
            start = time.perf_counter()
            search_page(query=query["query"], language=query["lang"])
            times.append((time.perf_counter() - start) * 1000)
    return times


def measure(args) -> None:
    from portal.search.models import SearchEntry
    from portal.search.selectors import search_page

    queries = [json.loads(line) for line in args.queries.read_text().splitlines() if line]
    for query in queries:  # warm-up: models loaded, snapshot in memory
        search_page(query=query["query"], language=query["lang"])
    if args.command == "profile":
        profiler = cProfile.Profile()
        profiler.enable()
        run_queries(queries, args.rounds)
        profiler.disable()
        stats = pstats.Stats(profiler).sort_stats(args.sort)
        stats.print_stats(args.top)
        return
    times = run_queries(queries, args.rounds)
    print(
        f"{SearchEntry.objects.count()} entries, {len(times)} runs: "
        f"p50 {statistics.median(times):.1f} ms, p95 {percentile(times, 0.95):.1f} ms, "
        f"p99 {percentile(times, 0.99):.1f} ms, max {max(times):.1f} ms"
    )


def dump(args) -> None:
    import dataclasses

    from portal.search.results import SearchFilters
    from portal.search.selectors import search_page

    queries = [json.loads(line) for line in args.queries.read_text().splitlines() if line]
    variants = [
        ({}, 1),
        ({}, 2),
        ({"language": "en"}, 1),
        ({"kind": "policy"}, 1),
        ({"year": 2020}, 1),
        ({"sector": "transportation"}, 1),
    ]
    out = []
    texts = [query["query"] for query in queries] + ["", "seoul", "서울시", "zzzz qqq"]
    for text in texts:
        for language in ("ko", "en"):
            for filters, page in variants:
                result = search_page(
                    query=text, language=language, filters=SearchFilters(**filters), page=page
                )
                out.append(
                    {"query": text, "language": language, "filters": filters, "page": page}
                    | dataclasses.asdict(result)
                )
    args.out.write_text(json.dumps(out, ensure_ascii=False, indent=1))
    print(f"{len(out)} result pages written to {args.out}")


def scale(args) -> None:
    import datetime as dt
    import uuid

    import numpy as np

    from portal.search import engine, selectors
    from portal.search.embeddings import EMBEDDING_DIMENSIONS
    from portal.search.results import SearchFilters

    generator = np.random.default_rng(1)
    # Vectors sharing a common direction: cosines with the query around 0.4, so that a
    # large share of the index is a result (the worst case for ordering and facets).
    common = generator.standard_normal(EMBEDDING_DIMENSIONS).astype(np.float32)
    rows, key = [], None
    for entry in range(args.entries):
        if key is None or entry % 5 not in (1, 3):  # three items in five in both languages
            key = uuid.UUID(int=int(generator.integers(1 << 62)))
        vector = common + 1.2 * generator.standard_normal(EMBEDDING_DIMENSIONS)
        vector = (vector / np.linalg.norm(vector)).astype(np.float32)
        date = dt.date(2000, 1, 1) + dt.timedelta(days=int(generator.integers(9000)))
        kind = ("policy", "news", "archive", "programme")[entry % 4]
        rows.append(
            (entry + 1, key, "ko" if entry % 2 else "en", kind, 1 + entry % 12, date.year,
             vector.tobytes(), 300, date)
        )  # fmt: skip
    start = time.perf_counter()
    snap = engine._build_snapshot(1, rows)
    print(
        f"{args.entries} entries, {snap.item_count} items; "
        f"snapshot {time.perf_counter() - start:.1f} s"
    )
    query = common + 1.2 * generator.standard_normal(EMBEDDING_DIMENSIONS)
    query = (query / np.linalg.norm(query)).astype(np.float32)
    params = engine.DEFAULT_PARAMS
    times = []
    for _ in range(args.rounds * 10):
        entry_ids = generator.choice(snap.entry_ids, 1000, replace=False)
        start = time.perf_counter()
        lexical = engine._Lexical(np.zeros(snap.item_count), np.zeros(snap.item_count, bool))
        best = np.full(snap.item_count, -np.inf)
        np.maximum.at(best, snap.item_of_row[np.searchsorted(snap.entry_ids, entry_ids)], 1.0)
        lexical = engine._Lexical(np.where(best > 0, best, 0.0), best > 0)
        semantic = engine._semantic(snap, query)
        fused = engine._fuse(lexical, semantic, params)
        feedback = engine._best(fused, params.feedback_items)
        semantic = engine._semantic(snap, snap.matrix[feedback].mean(axis=0))
        fused = engine._fuse(lexical, semantic, params)
        found = np.flatnonzero(lexical.matched | (semantic >= params.keep))
        found = found[np.lexsort((snap.item_key_rank[found], -fused[found]))]
        masks = selectors._filter_masks(snap, found, SearchFilters(kind="news"), {})
        selectors._facets(snap, found, masks, SearchFilters(kind="news"), [], "ko")
        times.append((time.perf_counter() - start) * 1000)
    print(
        f"in-memory search work, {len(found)} results: p50 {statistics.median(times):.1f} ms, "
        f"p95 {percentile(times, 0.95):.1f} ms"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["build", "time", "profile", "dump", "scale"])
    parser.add_argument("--data", type=Path, default=ROOT / "var" / "search-profile")
    parser.add_argument("--documents", type=Path, default=CORPUS / "documents.jsonl")
    parser.add_argument("--queries", type=Path, default=CORPUS / "queries_dev.jsonl")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument("--entries", type=int, default=150_000)
    parser.add_argument("--out", type=Path, default=Path("search-dump.json"))
    args = parser.parse_args()
    setup(args.data)
    if args.command == "build":
        build(args)
    elif args.command == "dump":
        dump(args)
    elif args.command == "scale":
        scale(args)
    else:
        measure(args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
