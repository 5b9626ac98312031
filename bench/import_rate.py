"""Import rate: wall time, CPU time and documents per second of ``manage.py import_corpus``
on a fresh SQLite site.

    .venv/bin/python bench/import_rate.py 1000
    .venv/bin/python bench/import_rate.py 500 --seed 1 --keep

Generates ``var/bench/corpus-N-SEED.jsonl`` when missing (``bench/generate_corpus.py``),
builds a site in a temporary data dir (``migrate``, ``load_seed``), then times the import
alone. The CPU time is that of the import and every process it started: above the wall
time means more than one core was busy.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")


def _children_cpu() -> tuple[float, float]:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime, usage.ru_stime


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("documents", type=int, help="how many documents to import")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="keep the data dir and print it")
    parser.add_argument("extra", nargs="*", help="more arguments for import_corpus")
    args = parser.parse_args()

    corpus = ROOT / "var" / "bench" / f"corpus-{args.documents}-{args.seed}.jsonl"
    if not corpus.exists():
        corpus.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [PY, "bench/generate_corpus.py", str(args.documents), "--seed", str(args.seed)]
            + ["--out", str(corpus)],
            cwd=ROOT,
            check=True,
        )

    data_dir = Path(tempfile.mkdtemp(prefix="portal-import-rate-"))
    env = {**os.environ, "PORTAL_DATA_DIR": str(data_dir)}
    env["DJANGO_SETTINGS_MODULE"] = "portal.settings.dev"
    env.pop("DATABASE_URL", None)
    try:
        for command in (["migrate", "-v0"], ["load_seed"]):
            subprocess.run(
                [PY, "manage.py", *command], cwd=ROOT, env=env, check=True, capture_output=True
            )
        user0, sys0 = _children_cpu()
        start = time.perf_counter()
        done = subprocess.run(
            [PY, "manage.py", "import_corpus", str(corpus), *args.extra],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
        )
        wall = time.perf_counter() - start
        user1, sys1 = _children_cpu()
        if done.returncode:
            print(done.stdout[-2000:], done.stderr[-2000:], sep="\n", file=sys.stderr)
            return done.returncode
        summary = done.stdout.strip().splitlines()[-1]
        user, system = user1 - user0, sys1 - sys0
        print(summary)
        print(
            f"{args.documents} documents in {wall:.1f} s wall: "
            f"{args.documents / wall:.1f} documents/s, {wall / args.documents * 1000:.0f} ms each; "
            f"CPU user {user:.1f} s + sys {system:.1f} s = {(user + system) / wall:.0%} of one core"
        )
    finally:
        if args.keep:
            print(f"data dir: {data_dir}")
        else:
            shutil.rmtree(data_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
