"""Semantic scoring at scale: the in-memory float32 product against the shared, clustered
int8 store of ``portal/search/vectors.py``.

``scale`` needs no database. It embeds a few thousand texts of the generated 100,000-document
corpus (cached after the first run), makes ``--entries`` rows of them (each a real embedding
moved by noise, items in one or two languages as in the corpus), and reports

- the semantic part of ``engine.rank`` (both products, the feedback centroid) for every
  judged development query, before (one float32 matrix) and after (``vectors.load``): p50
  and p95; what the approximation loses against the exact cosines (items reaching the
  ``keep`` cosine, the ten best items, the largest cosine error of a scored row);
- the time to write the store of a first version (k-means, assignment, file), of the next
  version (a few hundred entries changed and added: the clustering reused), to open it in
  another process, and to build the snapshot's other arrays;
- the PSS of two processes forked from one that loaded the analyser and the encoder (as
  gunicorn's workers are), each with the snapshot and every query run: float32 in each
  process, then the shared file.

    .venv/bin/python bench/vector_scale.py scale --entries 170000

``database`` times ``engine.snapshot()`` itself against a scratch SQLite database of
``--entries`` synthetic entries (made once in ``--data``, about a minute and 700 MB at
170,000), each in a new process: embeddings in memory, the process that writes the
shared store, a process that maps it.

    .venv/bin/python bench/vector_scale.py database --data /tmp/vector-db

``evaluate`` measures nDCG@10 on the judged queries against a site built with
``bench/search_profile.py build --data DIR`` (the evaluation corpus by default), exact and
with the shared store forced on (``SEARCH_SHARED_VECTORS_FROM = 0``): every cluster
scored (int8 rounding only), and a tenth of the rows scored as at 170,000 entries (int8,
and float32 to see the clustering alone); it counts the queries whose results differ.

    .venv/bin/python bench/search_profile.py build --data var/vector-eval
    .venv/bin/python bench/vector_scale.py evaluate --data var/vector-eval
"""

from __future__ import annotations

import argparse
import atexit
import datetime as dt
import gc
import json
import multiprocessing
import os
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from functools import partial
from pathlib import Path

from search_latency import CORPUS, ROOT, percentile  # this folder is on the path
from search_profile import setup

GENERATED = ROOT / "var" / "bench" / "corpus-100000-1.jsonl"


def scratch(prefix: str) -> str:
    """A temporary folder for stores, removed when the run ends."""
    path = tempfile.mkdtemp(prefix=prefix)
    atexit.register(shutil.rmtree, path, True)
    return path


def queries(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


# evaluate ---------------------------------------------------------------------------------


def evaluate(args) -> None:
    from django.conf import settings

    from portal.search import engine, vectors
    from portal.search.evaluation import evaluate as run
    from portal.search.evaluation import read_queries
    from portal.search.models import SearchEntry

    judged = read_queries(args.queries)
    variants = [
        ("exact (in memory, float32)", {}),
        ("shared int8, every cluster", {"SHARED_FROM": 0, "MIN_PROBED_ROWS": 10**9}),
        ("shared int8, 10 % of rows", {"SHARED_FROM": 0, "MIN_PROBED_ROWS": 0}),
        (
            "shared float32, 10 % of rows",
            {"SHARED_FROM": 0, "MIN_PROBED_ROWS": 0, "STORED": "float32"},
        ),
    ]
    defaults = {name: getattr(vectors, name) for name in ("MIN_PROBED_ROWS", "STORED")}
    print(f"{SearchEntry.objects.count()} entries, {len(judged)} judged queries")
    print("| scoring | nDCG@10 | en | ko | cross | results differ | top 10 differs |")
    print("|---|---|---|---|---|---|---|")
    reference = None
    for label, changes in variants:
        settings.SEARCH_SHARED_VECTORS_FROM = changes.get("SHARED_FROM", vectors.SHARED_FROM)
        for name, value in defaults.items():
            setattr(vectors, name, changes.get(name, value))
        # Built again with these settings, into a folder of its own (the folder's name
        # says the version, not how the vectors are stored).
        settings.SEARCH_VECTORS_DIR = scratch("vector-eval-")
        engine._snapshot = None
        result = run(judged)
        rankings = {
            (query.text, query.language): engine.rank(query=query.text, language=query.language)
            for query in judged
        }
        keys = {pair: ranking.keys for pair, ranking in rankings.items()}
        reference = reference or keys
        differ = sum(keys[pair] != reference[pair] for pair in keys)
        top = sum(keys[pair][:10] != reference[pair][:10] for pair in keys)
        groups = result["groups"]
        print(
            f"| {label} | {result['overall']['ndcg@10']:.4f} | {groups['en']['ndcg@10']:.4f} "
            f"| {groups['ko']['ndcg@10']:.4f} | {groups['cross']['ndcg@10']:.4f} "
            f"| {differ} | {top} |"
        )
    for name, value in defaults.items():
        setattr(vectors, name, value)


# scale ------------------------------------------------------------------------------------


def base_embeddings(count: int, source: Path, cache: Path):
    """``count`` embeddings of texts of the generated corpus, the two language versions of
    each document in a row; and each one's document number."""
    import numpy as np

    from portal.search.embeddings import embed

    if cache.exists():
        saved = np.load(cache)
        return saved["vectors"], saved["documents"]
    lines = sum(1 for _ in source.open(encoding="utf-8"))
    step = max(1, lines // count)
    texts, documents = [], []
    with source.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle):
            if number % step or len(texts) >= count:
                continue
            document = json.loads(line)
            for language in sorted(document["title"]):
                texts.append(
                    f"{document['title'][language]}. {document['summary'].get(language, '')} "
                    f"{document['body'].get(language, '')}"
                )
                documents.append(number)
    texts, documents = texts[:count], documents[:count]
    started = time.perf_counter()
    vectors = np.concatenate([embed(texts[i : i + 32]) for i in range(0, len(texts), 32)])
    print(f"embedded {len(texts)} texts in {time.perf_counter() - started:.0f} s", flush=True)
    np.savez(cache, vectors=vectors, documents=np.array(documents))
    return vectors, np.array(documents)


class Synthetic:
    """``entries`` rows made of the base embeddings: the facts ``engine._build_snapshot``
    reads, and the embeddings as ``vectors.load`` reads them (made again on each read, so
    that no process holds them all)."""

    def __init__(self, bases, documents, entries: int, noise: float, changed: int = 0):
        import numpy as np

        self.bases, self.entries, self.noise = bases, entries, noise
        generator = np.random.default_rng(1)
        # Items in two languages where the base document has both (its rows are adjacent).
        self.base_of = np.zeros(entries, dtype=np.int64)
        self.item_of = np.zeros(entries, dtype=np.int64)
        row = item = 0
        while row < entries:
            first = int(generator.integers(len(bases)))
            pair = [first]
            if first + 1 < len(bases) and documents[first + 1] == documents[first]:
                pair.append(first + 1)
            for base in pair[: entries - row]:
                self.base_of[row], self.item_of[row] = base, item
                row += 1
            item += 1
        self.items = item
        self.ids = np.arange(1, entries + 1, dtype=np.int64)
        # A next version: ``changed`` rows with another vector.
        self.changed = set(generator.choice(entries, changed, replace=False).tolist())

    def facts(self) -> list[tuple]:
        import numpy as np

        generator = np.random.default_rng(2)
        keys = [uuid.UUID(int=int(generator.integers(1 << 62))) for _ in range(self.items)]
        days = generator.integers(9000, size=self.items)
        rows = []
        for row in range(self.entries):
            item = int(self.item_of[row])
            date = dt.date(2000, 1, 1) + dt.timedelta(days=int(days[item]))
            language = "en" if row == 0 or self.item_of[row - 1] != item else "ko"
            kind = ("policy", "news", "archive", "programme")[item % 4]
            rows.append(
                (row + 1, keys[item], language, kind, 1 + item % 12, date.year, None, 300, date)
            )
        return rows

    def block(self, start: int, end: int):
        import numpy as np

        generator = np.random.default_rng([3, start])
        block = self.bases[self.base_of[start:end]] + self.noise * generator.standard_normal(
            (end - start, self.bases.shape[1]), dtype=np.float32
        )
        for row in self.changed:
            if start <= row < end:
                block[row - start] = np.roll(block[row - start], 1)
        return block / np.linalg.norm(block, axis=1, keepdims=True)

    def read(self):
        for start in range(0, self.entries, 4096):
            block = self.block(start, min(self.entries, start + 4096))
            for offset, vector in enumerate(block):
                yield start + offset + 1, vector.tobytes()

    def matrix(self):
        import numpy as np

        return np.concatenate(
            [self.block(s, min(self.entries, s + 4096)) for s in range(0, self.entries, 4096)]
        )


def semantic_part(engine, snap, vector, matched, params):
    """What ``engine.rank`` does with embeddings, lexical scores given."""
    import numpy as np

    lexical = engine._Lexical(np.where(matched, 1.0, 0.0), matched)
    semantic = engine._semantic(snap, vector, matched)
    fused = engine._fuse(lexical, semantic, params)
    feedback = engine._best(fused, params.feedback_items)
    rows = np.concatenate([snap.rows_of(item) for item in feedback.tolist()])
    moved = vector + params.feedback_vector * snap.vectors.mean(rows)
    vector = moved / (np.linalg.norm(moved) or 1.0)
    semantic = engine._semantic(snap, vector, matched)
    return semantic, engine._fuse(lexical, semantic, params)


def lexical_matches(snap, count: int, seed: int):
    """Items of ``count`` entries drawn at random: the lexical matches of a query."""
    import numpy as np

    generator = np.random.default_rng(seed)
    matched = np.zeros(snap.item_count, dtype=bool)
    matched[snap.item_of_row[generator.choice(len(snap.entry_ids), count, replace=False)]] = True
    return matched


def pss(path_part: str | None = None) -> tuple[int, int]:
    """This process's PSS, and that of the mappings whose path contains ``path_part``
    (MB)."""
    total = int(
        next(
            line.split()[1]
            for line in Path("/proc/self/smaps_rollup").read_text().splitlines()
            if line.startswith("Pss:")
        )
    )
    mapped, inside = 0, False
    for line in Path("/proc/self/smaps").read_text().splitlines():
        fields = line.split()
        if fields and "-" in fields[0] and len(fields) >= 5:
            inside = bool(path_part) and len(fields) >= 6 and path_part in fields[-1]
        elif inside and line.startswith("Pss:"):
            mapped += int(fields[1])
    return round(total / 1024), round(mapped / 1024)


def worker(variant, synthetic, query_vectors, barrier, results) -> None:
    """One forked process: the snapshot, every query, then its PSS once both are ready."""
    from portal.search import engine, vectors

    forked = pss()
    rows = synthetic.facts()
    if variant == "shared":
        store = vectors.load(1, synthetic.ids, synthetic.read)
    else:
        store = vectors.InMemoryVectors(synthetic.matrix())
    snap = engine._build_snapshot(1, rows, store)
    del rows
    gc.collect()
    vectors.release_freed_memory()  # as ``engine.snapshot`` does after a build
    params = engine.DEFAULT_PARAMS
    for number, vector in enumerate(query_vectors):
        semantic_part(engine, snap, vector, lexical_matches(snap, 1000, number), params)
    barrier.wait()
    after_queries = pss("codes.npy")
    barrier.wait()
    if variant == "shared":
        for start in range(0, len(store.codes), 65536):  # every page of the file
            store.codes[start : start + 65536].max()
    barrier.wait()
    results.put((os.getpid(), forked[0], after_queries, pss("codes.npy")))
    barrier.wait()


def memory(synthetic, query_vectors) -> dict:
    """PSS of two forked processes, each with the snapshot: float32 in each, then the
    shared file (written by the first of them, mapped by the second)."""
    gc.collect()
    gc.freeze()  # as deploy/gunicorn.conf.py does before forking
    figures = {}
    context = multiprocessing.get_context("fork")
    for variant in ("in memory", "shared"):
        barrier, results = context.Barrier(2), context.Queue()
        children = [
            context.Process(
                target=worker, args=(variant, synthetic, query_vectors, barrier, results)
            )
            for _ in range(2)
        ]
        for child in children:
            child.start()
        figures[variant] = [results.get() for _ in children]
        for child in children:
            child.join()
    gc.unfreeze()
    return figures


def scale(args) -> None:
    import numpy as np
    from django.conf import settings

    from portal.search import engine, vectors
    from portal.search.analysis import analyse
    from portal.search.embeddings import embed_one

    vectors.STORED = args.stored
    vectors.PROBED_SHARE = args.probed_share
    vectors.MIN_PROBED_ROWS = args.min_probed
    settings.SEARCH_VECTORS_DIR = scratch("vector-scale-")
    analyse("서울 대중교통 정책", for_query=True)  # what gunicorn's master loads
    bases, documents = base_embeddings(args.bases, args.source, args.cache)
    judged = queries(args.queries)
    query_vectors = [embed_one(query["query"]) for query in judged]
    synthetic = Synthetic(bases, documents, args.entries, args.noise)
    print(
        f"{args.entries} entries ({synthetic.items} items) from {len(bases)} embedded texts, "
        f"noise {args.noise}; {len(judged)} queries; vectors {vectors.STORED}, "
        f"probing {vectors.PROBED_SHARE:.0%} / at least {vectors.MIN_PROBED_ROWS} rows",
        flush=True,
    )
    figures = memory(synthetic, query_vectors) if args.memory else {}

    # Writing: the embeddings made beforehand, so that only the store's work is timed.
    settings.SEARCH_VECTORS_DIR = scratch("vector-scale-")
    matrix = synthetic.matrix()

    def read(ids=synthetic.ids, matrix=matrix):
        return ((int(pk), row.tobytes()) for pk, row in zip(ids, matrix, strict=True))

    started = time.perf_counter()
    shared = vectors.load(1, synthetic.ids, read)
    first_build = time.perf_counter() - started
    next_version = Synthetic(bases, documents, args.entries + 150, args.noise, changed=300)
    next_matrix = next_version.matrix()
    started = time.perf_counter()
    vectors.load(2, next_version.ids, partial(read, next_version.ids, next_matrix), previous=shared)
    second_build = time.perf_counter() - started
    del next_matrix
    started = time.perf_counter()
    vectors.load(2, next_version.ids, None)
    opened = time.perf_counter() - started
    rows = synthetic.facts()
    started = time.perf_counter()
    after = engine._build_snapshot(1, rows, shared)
    arrays = time.perf_counter() - started
    before = engine._build_snapshot(1, rows, vectors.InMemoryVectors(matrix))

    params = engine.DEFAULT_PARAMS
    # Wall time, and CPU time: other work on the machine inflates the first.
    timings, cpu_times = {"before": [], "after": []}, {"before": [], "after": []}
    kept, wanted_total, top_same, found_in_top, errors = 0, 0, 0, 0, []
    for rounds in range(args.rounds):
        for number, vector in enumerate(query_vectors):
            matched = lexical_matches(before, 1000, number)
            results = {}
            for name, snap in (("before", before), ("after", after)):
                started, cpu = time.perf_counter(), time.thread_time()
                results[name] = semantic_part(engine, snap, vector, matched, params)
                timings[name].append((time.perf_counter() - started) * 1000)
                cpu_times[name].append((time.thread_time() - cpu) * 1000)
            if rounds:
                continue
            (exact_semantic, exact_fused), (semantic, fused) = results["before"], results["after"]
            wanted = exact_semantic >= params.keep
            wanted_total += int(wanted.sum())
            kept += int((wanted & (semantic >= params.keep)).sum())
            best, exact_best = engine._best(fused, 10), engine._best(exact_fused, 10)
            top_same += best.tolist() == exact_best.tolist()
            found_in_top += len(set(best.tolist()) & set(exact_best.tolist()))
            approximate = after.vectors.similarities(vector)
            scored = approximate != vectors.UNSCORED
            exact_rows = before.vectors.similarities(vector)
            errors.append(float(np.abs(approximate[scored] - exact_rows[scored]).max()))
    print()
    print("| measured | before (float32 in memory) | after (shared, clustered) |")
    print("|---|---|---|")
    for share, label in ((0.5, "semantic part of rank, p50 ms"), (0.95, "p95 ms")):
        for kind, values in (("", timings), (", CPU", cpu_times)):
            print(
                f"| {label}{kind} | {percentile(values['before'], share):.1f} "
                f"| {percentile(values['after'], share):.1f} |"
            )
    for variant, label in (("in memory", "before"), ("shared", "after")):
        print(
            f"PSS {label}: "
            + "; ".join(
                f"{forked} MB just forked, {total} MB with the snapshot after the queries "
                f"({mapped} MB of it the file), {touched[0]} MB with the whole file read"
                for _pid, forked, (total, mapped), touched in figures.get(variant, [])
            )
        )
    print(
        f"store: {len(shared.centroids)} clusters, {shared.codes.nbytes / 2**20:.0f} MB file; "
        f"first version written in {first_build:.1f} s, the next (150 added, 300 changed) "
        f"in {second_build:.1f} s, opened in {opened * 1000:.0f} ms; the snapshot's other "
        f"arrays in {arrays:.1f} s"
    )
    queries_run = len(judged)
    print(
        f"items reaching the keep cosine ({params.keep}): {kept} of {wanted_total} kept; "
        f"same ten best items in the same order: {top_same} of {queries_run} queries, "
        f"{found_in_top / queries_run:.2f} of the exact ten on average; largest cosine "
        f"error of a scored row: {max(errors):.4f} (median over queries "
        f"{statistics.median(errors):.4f})"
    )


# database ---------------------------------------------------------------------------------


def database(args) -> None:
    """``engine.snapshot()`` against a scratch SQLite database of ``--entries`` synthetic
    entries (made once in ``--data``), each figure in a new process: the embeddings in
    memory (as before), the process that writes the shared store, one that maps it."""
    import subprocess

    from django.core.management import call_command
    from django.db import connection

    from portal.search.models import IndexState, SearchEntry

    call_command("migrate", verbosity=0)
    if not SearchEntry.objects.exists():
        started = time.perf_counter()
        bases, documents = base_embeddings(args.bases, args.source, args.cache)
        synthetic = Synthetic(bases, documents, args.entries, args.noise)
        rows = synthetic.facts()
        with connection.constraint_checks_disabled():  # entries without pages
            for start in range(0, args.entries, 2000):
                block = synthetic.block(start, min(args.entries, start + 2000))
                SearchEntry.objects.bulk_create(
                    SearchEntry(
                        pk=pk, page_id=pk, translation_key=key, language=language, kind=kind,
                        year=year, date=date, url=f"/x/{pk}/", title=f"t{pk}", length=length,
                        embedding=vector.tobytes(),
                    )
                    for (pk, key, language, kind, _sector, year, _, length, date), vector
                    in zip(rows[start : start + 2000], block, strict=True)
                )  # fmt: skip
        IndexState.objects.update_or_create(pk=1, defaults={"version": 12345})
        print(f"{args.entries} entries written in {time.perf_counter() - started:.0f} s")
    command = [sys.executable, __file__, "snapshot", "--data", str(args.data)]
    vectors_dir = Path(scratch("vector-db-"))
    for label, extra in (
        ("in memory (float32 in each process)", ["--in-memory"]),
        ("shared: the process that writes the store", []),
        ("shared: a process that maps it", []),
    ):
        out = subprocess.run(
            command + extra + ["--vectors", str(vectors_dir)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        figures = json.loads(out.strip().splitlines()[-1])
        print(
            f"{label}: snapshot {figures['snapshot']:.2f} s, of which vectors "
            f"{figures['vectors']:.2f} s; PSS {figures['pss']} MB"
        )


def snapshot_time(args) -> None:
    from django.conf import settings

    from portal.search import engine, vectors

    settings.SEARCH_VECTORS_DIR = str(args.vectors)
    if args.in_memory:
        settings.SEARCH_SHARED_VECTORS_FROM = 10**12
    spent = {"vectors": 0.0}
    load = vectors.load

    def timed(*positional, **named):
        started = time.perf_counter()
        try:
            return load(*positional, **named)
        finally:
            spent["vectors"] += time.perf_counter() - started

    engine.vector_store.load = timed
    started = time.perf_counter()
    engine.snapshot()
    spent["snapshot"] = time.perf_counter() - started
    gc.collect()
    spent["pss"] = pss()[0]
    print(json.dumps(spent))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["scale", "evaluate", "database", "snapshot"])
    parser.add_argument("--data", type=Path, default=Path(tempfile.gettempdir()) / "vector-scale")
    parser.add_argument("--queries", type=Path, default=CORPUS / "queries_dev.jsonl")
    parser.add_argument("--entries", type=int, default=170_000)
    parser.add_argument("--bases", type=int, default=2000, help="texts embedded")
    parser.add_argument("--noise", type=float, default=0.02, help="per component")
    parser.add_argument("--source", type=Path, default=GENERATED)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--stored", choices=["int8", "float32"], default="int8")
    parser.add_argument("--probed-share", type=float, default=0.1)
    parser.add_argument("--min-probed", type=int, default=20_000)
    parser.add_argument("--no-memory", dest="memory", action="store_false", help="skip PSS")
    parser.add_argument("--in-memory", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--vectors", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.cache = Path(tempfile.gettempdir()) / f"vector-scale-bases-{args.bases}.npz"
    setup(args.data)
    commands = {"evaluate": evaluate, "scale": scale, "database": database}
    commands.get(args.command, snapshot_time)(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
