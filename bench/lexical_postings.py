"""The lexical match of a large index, the postings' (``portal.search.postings``) against
the database's own, on a kept benchmark site.

For every judged development query (the terms ``engine.rank`` searches), in one run:
the database's match (FTS5's ``bm25()`` on SQLite, the postings table on PostgreSQL)
and the postings' BM25 in numpy, timed, and whether both give the same ten best entries
with the same scores. Also the time to write the postings of every entry (what a
command writes after a bulk import), to merge a new version from them after one entry
changed (what publishing a page costs), and their size. The postings are the site's
own when it has them for its index version, else written there first.

    .venv/bin/python bench/lexical_postings.py --site /tmp/sites/10000x10-sqlite
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

from search_latency import CORPUS, percentile
from search_profile import setup  # this folder is on the path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, required=True, help="a site kept by --site")
    parser.add_argument("--queries", type=Path, default=CORPUS / "queries_dev.jsonl")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    setup(args.site)

    import numpy as np
    from django.conf import settings

    from portal.search import engine, postings, versioned
    from portal.search.backends import get_backend

    settings.SEARCH_POSTINGS_FROM = 10**12  # the snapshot without postings: loaded here
    snap = engine.snapshot()
    folder = postings.directory() / versioned.folder_name(snap.version, snap.entry_ids)
    written = postings._open(folder, snap.entry_ids)
    if written is None:
        started = time.perf_counter()
        store = postings.build(snap.entry_ids, engine._stored_terms)
        built = time.perf_counter() - started
        started = time.perf_counter()
        folder.parent.mkdir(parents=True, exist_ok=True)
        written = postings._write(store, folder)
        print(
            f"postings of every entry read in {built:.0f} s, written in "
            f"{time.perf_counter() - started:.1f} s",
            flush=True,
        )
    print(
        f"{written.documents} entries: {len(written.rows)} postings, {len(written.hashes)} "
        f"terms, {written.nbytes / 2**20:.0f} MB",
        flush=True,
    )
    settings.SEARCH_POSTINGS_DIR = tempfile.mkdtemp(prefix="lexical-postings-")
    # One entry changed: what publishing a page costs the process that writes the file.
    stamps = written.stamps.copy()
    stamps[len(stamps) // 2] += 1
    started = time.perf_counter()
    postings._write(
        postings.merge(written, snap.entry_ids, stamps, engine._stored_terms),
        Path(settings.SEARCH_POSTINGS_DIR) / "2",
    )
    print(f"one entry changed: merged and written in {time.perf_counter() - started:.1f} s")

    queries = [json.loads(line) for line in args.queries.read_text().splitlines() if line]
    searched = [engine.searched_terms(query["query"])[0] for query in queries]
    backend = get_backend()
    same, database_times, postings_times, worst = 0, [], [], 0.0
    for round_ in range(args.rounds):
        for terms in searched:
            begun = time.perf_counter()
            matches = backend.match(terms=terms, limit=1000, stats=snap.stats)
            database_times.append((time.perf_counter() - begun) * 1000)
            begun = time.perf_counter()
            rows, scores = written.match(terms, 1000)
            postings_times.append((time.perf_counter() - begun) * 1000)
            if round_ == 0:
                best = sorted(matches, key=lambda entry: (-matches[entry], entry))[:10]
                found = written.entry_ids[rows[:10]].tolist()
                same += found == best
                expected = np.array([matches[entry] for entry in best])
                if len(expected) == len(found):
                    worst = max(worst, float(np.max(np.abs(scores[:10] - expected), initial=0)))
    print(
        f"database's match: p50 {percentile(database_times, 0.5):.1f} ms, p95 "
        f"{percentile(database_times, 0.95):.1f} ms"
    )
    print(
        f"postings: p50 {percentile(postings_times, 0.5):.1f} ms, p95 "
        f"{percentile(postings_times, 0.95):.1f} ms, max {max(postings_times):.1f} ms; the same "
        f"ten best entries in {same} of {len(searched)} queries, scores apart by at most "
        f"{worst:.2g}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
