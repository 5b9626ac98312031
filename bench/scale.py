"""Scale: import and index time, search latency and memory at N synthetic documents, on
SQLite and on PostgreSQL.

For each size, a deterministic corpus is generated (``bench/generate_corpus.py``), then
``bench/search_latency.py`` builds a fresh site on each database, imports it (timed), runs
the judged development queries of both languages, and reports p50/p95 and the PSS of the
process with the analysers, embeddings and index loaded. The table goes into
``docs/benchmarks.md`` between the ``scale-bench`` markers.

    make bench-scale SIZES="1000 10000"
    .venv/bin/python bench/scale.py --sizes 1000 --postgres postgres://postgres@127.0.0.1:5432/test

An import of 100,000 documents takes more than an hour here: with ``--sites DIR`` the
sites are kept, and a later run with the same ``--sites`` measures the search again
without importing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
DOC = ROOT / "docs" / "benchmarks.md"
START, END = "<!-- scale-bench:start -->", "<!-- scale-bench:end -->"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000])
    parser.add_argument("--postgres", metavar="URL", help="also measure on PostgreSQL at URL")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument(
        "--sites",
        type=Path,
        help="keep each site under this directory and reuse the ones already imported "
        "(the import time is the one measured when the site was built)",
    )
    args = parser.parse_args()

    rows = []
    for size in args.sizes:
        corpus = ROOT / "var" / "bench" / f"corpus-{size}-{args.seed}.jsonl"
        corpus.parent.mkdir(parents=True, exist_ok=True)
        if not corpus.exists():
            subprocess.run(
                [PY, "bench/generate_corpus.py", str(size), "--seed", str(args.seed)]
                + ["--out", str(corpus)],
                cwd=ROOT,
                check=True,
            )
        databases = [("SQLite", [])]
        if args.postgres:
            databases.append(("PostgreSQL", ["--postgres", args.postgres]))
        for name, extra in databases:
            if args.sites:
                extra = [*extra, "--site", str(args.sites / f"{size}-{name.lower()}")]
            print(f"{size} documents on {name} …", flush=True)
            out = subprocess.run(
                [PY, "bench/search_latency.py", "--documents", str(corpus), "--json"]
                + ["--rounds", str(args.rounds), *extra],
                cwd=ROOT,
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            result = json.loads(out.strip().splitlines()[-1])
            rows.append((size, name, result))
            print(f"  {result}", flush=True)

    when = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        START,
        f"Measured {when}; `python bench/scale.py --sizes {' '.join(map(str, args.sizes))}"
        f"{' --postgres …' if args.postgres else ''}`, seed {args.seed}, "
        f"{args.rounds} rounds of the judged development queries (Korean and English).",
        "",
        "| documents | database | pages indexed | import + index s | docs/s "
        "| search p50 ms | search p95 ms | whole page p95 ms | PSS MB |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for size, name, r in rows:
        rate = size / r["import_seconds"] if r["import_seconds"] else 0
        lines.append(
            f"| {size:,} | {name} | {r['entries']:,} | {r['import_seconds']:,.0f} | {rate:.1f} "
            f"| {r['engine']['p50']} | {r['engine']['p95']} | {r['page']['p95']} "
            f"| {r['pss_mb']} |"
        )
    lines.append(END)
    report = "\n".join(lines)
    print(report)
    if not args.no_write:
        text = DOC.read_text() if DOC.exists() else "# Benchmarks\n\n"
        if START in text:
            before, rest = text.split(START, 1)
            text = before + report + rest.split(END, 1)[1]
        else:
            text = text.rstrip() + "\n\n## Scale (`make bench-scale`)\n\n" + report + "\n"
        DOC.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
