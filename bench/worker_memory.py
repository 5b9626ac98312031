"""Memory of the site's gunicorn workers on a large index, every search file in use.

Serves a site kept by ``bench/search_latency.py --site`` (or made from one by
``bench/replicate_index.py``) under ``deploy/gunicorn.conf.py`` with the production
settings and the page cache off, sends every judged development query to the search page
from two clients at once, ``--rounds`` times, and prints each worker's PSS (shared pages
counted by share), the part of it that is the mapped search files (postings, vectors),
and the search page's latency over HTTP.

    .venv/bin/python bench/worker_memory.py --site /tmp/sites/10000x10-sqlite
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote

from http_bench import (  # this folder is on the path
    GUNICORN,
    PY,
    ROOT,
    production_env,
    redis_url,
    wait_for,
)
from search_latency import CORPUS, percentile

PORT = 8093


def pss_of(pid: int, parts: tuple[str, ...]) -> tuple[int, dict[str, int]]:
    """A process's PSS and that of its mappings whose path holds each of ``parts`` (MB)."""
    total = 0
    mapped = dict.fromkeys(parts, 0)
    current = None
    for line in Path(f"/proc/{pid}/smaps").read_text().splitlines():
        fields = line.split()
        if fields and "-" in fields[0] and len(fields) >= 5:
            path = fields[-1] if len(fields) >= 6 else ""
            current = next((part for part in parts if part in path), None)
        elif line.startswith("Pss:"):
            total += int(fields[1])
            if current:
                mapped[current] += int(fields[1])
    return round(total / 1024), {part: round(kb / 1024) for part, kb in mapped.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, required=True)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--queries", type=Path, default=CORPUS / "queries_dev.jsonl")
    args = parser.parse_args()
    site = args.site.resolve()
    state = json.loads((site / "site.json").read_text())
    static = Path(tempfile.mkdtemp(prefix="worker-memory-static-"))
    env = {
        **production_env(site, args.workers),
        "STATIC_ROOT": str(static),
        "GUNICORN_BIND": f"127.0.0.1:{PORT}",
        "GUNICORN_TIMEOUT": "300",
        "PAGE_CACHE_SECONDS": "0",
    }
    if state.get("database_url"):
        env["DATABASE_URL"] = state["database_url"]
    if url := redis_url():
        env["REDIS_URL"] = url
        subprocess.run(["redis-cli", "-n", "15", "flushdb"], capture_output=True)
    subprocess.run(
        [PY, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )
    # The search files of the index's version, as an import leaves them.
    started = time.perf_counter()
    subprocess.run(
        [
            PY,
            "-c",
            "import django; django.setup(); "
            "from portal.search import engine; engine.snapshot(wait=True)",
        ],
        cwd=ROOT,
        env=env,
        check=True,
    )
    print(f"search files of the index's version ready in {time.perf_counter() - started:.1f} s")

    queries = [json.loads(line) for line in args.queries.read_text().splitlines() if line]
    paths = [f"/{query['lang']}/search/?q={quote(query['query'])}" for query in queries]
    master = subprocess.Popen(
        [GUNICORN, "-c", str(ROOT / "deploy" / "gunicorn.conf.py"), "portal.wsgi"],
        cwd=ROOT,
        env=env,
    )
    try:
        wait_for(PORT, "/ko/", seconds=300)

        def get(path: str) -> float:
            begun = time.perf_counter()
            with urllib.request.urlopen(f"http://127.0.0.1:{PORT}{path}", timeout=300) as page:
                page.read()
            return (time.perf_counter() - begun) * 1000

        with ThreadPoolExecutor(2) as pool:
            list(pool.map(get, paths * 2))  # every worker's snapshot built, warmed
            times = list(pool.map(get, paths * args.rounds))
        workers = Path(f"/proc/{master.pid}/task/{master.pid}/children").read_text().split()
        print(
            f"{len(times)} searches over HTTP, two at a time: p50 "
            f"{percentile(times, 0.5):.0f} ms, p95 {percentile(times, 0.95):.0f} ms"
        )
        for pid in workers:
            total, mapped = pss_of(int(pid), ("search-postings", "search-vectors"))
            print(
                f"worker {pid}: PSS {total} MB, of which postings {mapped['search-postings']} "
                f"MB and vectors {mapped['search-vectors']} MB"
            )
    finally:
        master.terminate()
        master.wait(30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
