"""Where a snapshot's embeddings live, and how a query vector is compared with them.

A small index (fewer entries than ``SEARCH_SHARED_VECTORS_FROM``, 20,000 by default) keeps
its embeddings as one float32 matrix in each process and compares a query with every entry
in one matrix-vector product: exact, and well under a millisecond at the development size.

A large index cannot afford either. At 170,000 entries (100,000 documents) the matrix is
350 MB in every worker and one product takes about 40 ms on one core. There, the vectors

- are stored once per machine, in a file that every process maps (``SharedVectors``): the
  kernel keeps one copy in the page cache and PSS divides it between the processes;
- as int8 with one scale per row (a quarter of float32's size; a cosine moves by less
  than 0.002, by 0.0003 typically): converting int8 blocks to float32 for BLAS costs
  little, while numpy converts float16 ten times slower than the product itself;
- grouped by cluster (an inverted file: spherical k-means centroids, rows of a cluster
  contiguous in the file), so that a query compares itself with the centroids, then
  scores exactly only the rows of the clusters nearest to it (``PROBED_SHARE`` of the
  rows, at least ``MIN_PROBED_ROWS``) plus the rows it asks for (the entries that matched
  by words). Every other row gets ``UNSCORED``, the lowest cosine there is: a row can lose
  its score, never gain one, and a cosine below the ranking's floor adds nothing anyway.

The first process that needs the vectors of an index version writes them, in a folder
of that version that every other process maps (see ``versioned``). The clustering of
the previous version is reused: its centroids, and the cluster of every entry whose vector
did not change, so that publishing a page costs reading the vectors and assigning the
changed ones, not a new k-means.
"""

from __future__ import annotations

import ctypes
import logging
import math
from collections.abc import Callable, Iterable, Iterator
from contextlib import suppress
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

import numpy as np
from django.conf import settings

from portal.search import versioned
from portal.search.embeddings import EMBEDDING_DIMENSIONS

logger = logging.getLogger(__name__)

# From this many entries a snapshot's vectors are shared and searched by cluster.
SHARED_FROM = 20_000
# How the shared copy is stored: "int8" (a scale per row) or "float32" (exact, four
# times the size; what the tests compare the clustering with).
STORED = "int8"
# A query scores the rows of its nearest clusters until this share of the rows, and at
# least this many, are scored (bench/vector_scale.py measures what is lost).
PROBED_SHARE = 0.1
MIN_PROBED_ROWS = 20_000
# The score of a row that was not compared with the query: below any cosine.
UNSCORED = -1.0
# k-means: clusters ≈ √rows, trained on a sample of this many rows per cluster, and
# trained again only when the index has doubled or halved since.
SAMPLE_PER_CLUSTER = 64
KMEANS_ITERATIONS = 10
RETRAIN_RATIO = 2.0
# Rows converted to float32 at a time: the block stays in the CPU's cache.
BLOCK_ROWS = 2048
# Embeddings read from the database at a time while building.
READ_BATCH = 2000

_CODES = "codes.npy"
_INDEX = "index.npz"


def shared_from() -> int:
    return int(getattr(settings, "SEARCH_SHARED_VECTORS_FROM", SHARED_FROM))


def directory() -> Path:
    """Where the shared vectors of this machine live (one folder per index version)."""
    configured = getattr(settings, "SEARCH_VECTORS_DIR", None)
    return Path(configured) if configured else Path(settings.DATA_DIR) / "search-vectors"


class InMemoryVectors:
    """Every embedding as float32 in this process; every product exact."""

    exact = True

    def __init__(self, matrix: np.ndarray) -> None:
        self.matrix = matrix

    def __len__(self) -> int:
        return len(self.matrix)

    def similarities(self, vector: np.ndarray, rows: Callable[[], np.ndarray] | None = None):
        """Each row's cosine with ``vector`` (``rows`` is for the clustered store)."""
        return self.matrix @ vector

    def mean(self, rows: np.ndarray) -> np.ndarray:
        return self.matrix[rows].mean(axis=0)


@dataclass
class SharedVectors:
    """Every embedding in a file mapped by every process, grouped by cluster.

    Positions are places in the file; rows are the snapshot's rows (entries in primary-key
    order). The rows of cluster ``c`` are at positions ``starts[c]`` to ``starts[c + 1]``.
    """

    codes: np.ndarray  # position → stored vector (int8 or float32), over the mapped file
    scales: np.ndarray  # position → factor turning the stored vector into the embedding
    rows: np.ndarray  # position → row
    positions: np.ndarray  # row → position
    starts: np.ndarray  # cluster → its first position; one more: the number of rows
    centroids: np.ndarray  # cluster → unit vector
    entry_ids: np.ndarray  # row → entry id (to reuse the clustering in the next version)
    trained_rows: int  # rows in the index when the centroids were trained
    path: Path | None  # the folder, None when kept in this process only

    exact = False

    def __len__(self) -> int:
        return len(self.rows)

    @property
    def cluster_sizes(self) -> np.ndarray:
        return np.diff(self.starts)

    def probed(self, vector: np.ndarray) -> np.ndarray:
        """The clusters a query scores, in file order: the nearest first, until the
        budget of rows is reached."""
        sizes = self.cluster_sizes
        budget = max(MIN_PROBED_ROWS, math.ceil(PROBED_SHARE * len(self)))
        nearest = np.argsort(-(self.centroids @ vector), kind="stable")
        count = int(np.searchsorted(np.cumsum(sizes[nearest]), budget)) + 1
        return np.sort(nearest[:count])

    def scored(
        self, vector: np.ndarray, rows: Callable[[], np.ndarray] | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """The rows compared with ``vector`` and their cosines: the rows of the nearest
        clusters, and the ``rows()`` asked for."""
        vector = np.asarray(vector, dtype=np.float32)
        clusters = self.probed(vector)
        runs = list(_runs(self.starts, clusters))
        positions = [np.arange(start, end) for start, end in runs]
        if rows is not None:
            wanted = self.positions[rows()]
            scored = np.zeros(len(self.starts) - 1, dtype=bool)
            scored[clusters] = True
            positions.append(np.sort(wanted[~scored[self._cluster_at(wanted)]]))
        positions = np.concatenate(positions) if positions else np.zeros(0, dtype=np.int64)
        values = np.empty(len(positions), dtype=np.float32)
        done = 0
        for start, end in runs:  # contiguous: slices of the file, no copy before converting
            for block in range(start, end, BLOCK_ROWS):
                stop = min(end, block + BLOCK_ROWS)
                values[done : done + stop - block] = self._scores(slice(block, stop), vector)
                done += stop - block
        for block in range(done, len(positions), BLOCK_ROWS):
            chosen = positions[block : block + BLOCK_ROWS]
            values[block : block + len(chosen)] = self._scores(chosen, vector)
        return self.rows[positions], values

    def similarities(self, vector: np.ndarray, rows: Callable[[], np.ndarray] | None = None):
        """Each row's cosine with ``vector`` where ``scored``, ``UNSCORED`` elsewhere."""
        out = np.full(len(self), UNSCORED, dtype=np.float32)
        scored, values = self.scored(vector, rows)
        out[scored] = values
        return out

    def mean(self, rows: np.ndarray) -> np.ndarray:
        positions = self.positions[rows]
        return self.decoded(positions).mean(axis=0)

    def decoded(self, positions) -> np.ndarray:
        """The stored vectors at ``positions``, as float32 embeddings."""
        return self.codes[positions].astype(np.float32) * self.scales[positions, None]

    def _scores(self, positions, vector: np.ndarray) -> np.ndarray:
        return (self.codes[positions].astype(np.float32) @ vector) * self.scales[positions]

    def _cluster_at(self, positions: np.ndarray) -> np.ndarray:
        return np.searchsorted(self.starts, positions, side="right") - 1


def _runs(starts: np.ndarray, clusters: np.ndarray) -> Iterator[tuple[int, int]]:
    """Position ranges of the clusters (ascending), neighbours merged into one range."""
    run_start = run_end = -1
    for cluster in clusters.tolist():
        start, end = int(starts[cluster]), int(starts[cluster + 1])
        if start == run_end:
            run_end = end
            continue
        if run_end > run_start:
            yield run_start, run_end
        run_start, run_end = start, end
    if run_end > run_start:
        yield run_start, run_end


Vectors = InMemoryVectors | SharedVectors
Embeddings = Callable[[], Iterable[tuple[int, bytes]]]


def load(
    version: int,
    entry_ids: np.ndarray,
    read: Embeddings,
    *,
    previous: Vectors | None = None,
    is_current: Callable[[], bool] = lambda: True,
) -> Vectors:
    """The vectors of the entries ``entry_ids`` (ascending) as of index ``version``.

    ``read()`` gives ``(entry id, float32 bytes)`` pairs in entry id order; it is called
    only when the vectors are not on disk yet. Entries it lacks (deleted since
    ``entry_ids`` was read) get a zero vector, entries it adds are left out: either way
    the version has changed, and the next search reads the index again.
    ``previous`` is the store of the version this process held, for its clustering;
    ``is_current()`` says whether ``version`` is still the index's: only then are other
    versions' files removed (a process that read an older version must not remove the
    newer one's).
    """
    count = len(entry_ids)
    if count == 0 or count < shared_from():
        return InMemoryVectors(_read_matrix(entry_ids, read))
    if not version:
        # No write has been recorded: nothing tells this content from another database's.
        return _build(entry_ids, read, previous, folder=None)
    base = directory()
    name = versioned.folder_name(version, entry_ids)

    def write(folder: Path) -> SharedVectors:
        old = previous if isinstance(previous, SharedVectors) else None
        written = _build(entry_ids, read, old or versioned.newest(base, name, _open), folder)
        release_freed_memory()
        return written

    return versioned.shared(
        base,
        name,
        lambda folder: _open(folder, entry_ids),
        write,
        what="search vectors",
        is_current=is_current,
        # No disk to share: this process keeps its own copy.
        fallback=lambda: _build(entry_ids, read, previous, folder=None),
    )


def release_freed_memory() -> None:
    """Give the heap a build freed back to the system (glibc only): the store's here, the
    snapshot's in ``engine.snapshot``.

    Freeing its large arrays raises glibc's threshold for serving allocations from their
    own mappings, so that the build's later blocks land in the heap, which glibc keeps:
    about 25 MB at 170,000 entries would stay in the worker that wrote the store.
    """
    with suppress(AttributeError, OSError):
        ctypes.CDLL(None).malloc_trim(0)


def _open(folder: Path, entry_ids: np.ndarray | None = None) -> SharedVectors | None:
    """The store written in ``folder``, mapped; None if there is none (or not whole)."""
    try:
        # A plain array over the mapping: slicing an ``np.memmap`` costs a subclass
        # instance each time, a fifth of a block's work.
        codes = np.load(folder / _CODES, mmap_mode="r").view(np.ndarray)
        with np.load(folder / _INDEX) as index:
            arrays = {key: index[key] for key in index.files}
    except (OSError, ValueError, KeyError):
        return None
    stored_ids, rows = arrays["entry_ids"], arrays["rows"]
    if codes.shape != (len(rows), EMBEDDING_DIMENSIONS) or len(stored_ids) != len(rows):
        return None
    if entry_ids is not None and not np.array_equal(stored_ids, entry_ids):
        return None
    positions = np.empty_like(rows)
    positions[rows] = np.arange(len(rows), dtype=rows.dtype)
    return SharedVectors(
        codes=codes,
        scales=arrays["scales"],
        rows=rows,
        positions=positions,
        starts=arrays["starts"],
        centroids=arrays["centroids"],
        entry_ids=stored_ids,
        trained_rows=int(arrays["trained_rows"]),
        path=folder,
    )


def _batches(read: Embeddings) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """The embeddings ``read()`` gives, as (entry ids, float32 matrix) batches."""
    pairs = iter(read())
    while batch := list(islice(pairs, READ_BATCH)):
        ids = np.fromiter((pk for pk, _ in batch), dtype=np.int64, count=len(batch))
        matrix = np.frombuffer(b"".join(blob for _, blob in batch), dtype=np.float32)
        yield ids, matrix.reshape(len(batch), EMBEDDING_DIMENSIONS)


def _rows_of(entry_ids: np.ndarray, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The rows of ``ids`` in ``entry_ids``, and which of ``ids`` have one."""
    if not len(entry_ids):
        return np.zeros(0, dtype=np.int64), np.zeros(len(ids), dtype=bool)
    rows = np.minimum(np.searchsorted(entry_ids, ids), len(entry_ids) - 1)
    known = entry_ids[rows] == ids
    return rows[known], known


def _read_matrix(entry_ids: np.ndarray, read: Embeddings) -> np.ndarray:
    matrix = np.zeros((len(entry_ids), EMBEDDING_DIMENSIONS), dtype=np.float32)
    if len(entry_ids):
        for ids, block in _batches(read):
            rows, known = _rows_of(entry_ids, ids)
            matrix[rows] = block[known]
    return matrix


def encode(block: np.ndarray, stored: str | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Stored vectors and their scales for float32 rows.

    int8: each row scaled so that its largest component is ±127, then rounded; the scale
    kept is the least-squares one for the rounded row (the factor that brings it nearest
    to the embedding), not 1/127 of the largest component.
    """
    if (stored or STORED) == "float32":
        return block.astype(np.float32), np.ones(len(block), dtype=np.float32)
    peak = np.abs(block).max(axis=1)
    peak[peak == 0] = 1.0
    codes = np.rint(block * (127.0 / peak)[:, None]).astype(np.int8)
    wide = codes.astype(np.float32)
    norms = np.einsum("ij,ij->i", wide, wide)
    norms[norms == 0] = 1.0
    return codes, (np.einsum("ij,ij->i", wide, block) / norms).astype(np.float32)


def _build(
    entry_ids: np.ndarray,
    read: Embeddings,
    previous: Vectors | None,
    folder: Path | None,
) -> SharedVectors:
    count = len(entry_ids)
    stored = np.int8 if STORED == "int8" else np.float32
    codes = np.zeros((count, EMBEDDING_DIMENSIONS), dtype=stored)
    scales = np.zeros(count, dtype=np.float32)
    for ids, block in _batches(read):
        rows, known = _rows_of(entry_ids, ids)
        codes[rows], scales[rows] = encode(block[known])

    def decoded(rows) -> np.ndarray:
        return codes[rows].astype(np.float32) * scales[rows, None]

    reusable = isinstance(previous, SharedVectors) and (
        previous.codes.dtype == stored
        and previous.trained_rows / RETRAIN_RATIO <= count <= previous.trained_rows * RETRAIN_RATIO
    )
    cluster_of = np.full(count, -1, dtype=np.int64)
    if reusable:
        centroids, trained_rows = previous.centroids, previous.trained_rows
        _reuse_clusters(previous, entry_ids, codes, scales, cluster_of)
    else:
        clusters = max(1, min(count, round(math.sqrt(count))))
        generator = np.random.default_rng(0)
        sample = min(count, clusters * SAMPLE_PER_CLUSTER)
        chosen = np.sort(generator.choice(count, sample, replace=False))
        centroids = _kmeans(decoded(chosen), clusters, generator)
        trained_rows = count
    todo = np.flatnonzero(cluster_of < 0)
    for block in range(0, len(todo), BLOCK_ROWS):
        rows = todo[block : block + BLOCK_ROWS]
        cluster_of[rows] = _nearest(decoded(rows), centroids)

    order = np.argsort(cluster_of, kind="stable").astype(np.int64)
    starts = np.searchsorted(cluster_of[order], np.arange(len(centroids) + 1)).astype(np.int64)
    arrays = {
        "scales": scales[order],
        "rows": order,
        "starts": starts,
        "centroids": centroids.astype(np.float32),
        "entry_ids": np.asarray(entry_ids, dtype=np.int64),
        "trained_rows": np.array(trained_rows),
    }
    if folder is None:
        positions = np.empty_like(order)
        positions[order] = np.arange(count)
        return SharedVectors(
            codes=codes[order],
            scales=arrays["scales"],
            rows=order,
            positions=positions,
            starts=starts,
            centroids=arrays["centroids"],
            entry_ids=arrays["entry_ids"],
            trained_rows=trained_rows,
            path=None,
        )
    temporary = versioned.aside(folder)
    mapped = np.lib.format.open_memmap(temporary / _CODES, "w+", stored, codes.shape)
    for block in range(0, count, BLOCK_ROWS * 8):
        mapped[block : block + BLOCK_ROWS * 8] = codes[order[block : block + BLOCK_ROWS * 8]]
    mapped.flush()
    del mapped
    with open(temporary / _INDEX, "wb") as handle:
        np.savez(handle, **arrays)
    versioned.publish(temporary, folder)
    found = _open(folder, entry_ids)
    if found is None:
        raise OSError(f"{folder}: written but unreadable")
    return found


def _reuse_clusters(
    previous: SharedVectors,
    entry_ids: np.ndarray,
    codes: np.ndarray,
    scales: np.ndarray,
    cluster_of: np.ndarray,
) -> None:
    """The previous version's cluster for every entry whose stored vector is unchanged."""
    old_rows, known = _rows_of(previous.entry_ids, entry_ids)
    new_rows = np.flatnonzero(known)
    old_positions = previous.positions[old_rows]
    old_clusters = np.searchsorted(previous.starts, old_positions, side="right") - 1
    step = BLOCK_ROWS * 8
    for block in range(0, len(new_rows), step):
        rows, positions = new_rows[block : block + step], old_positions[block : block + step]
        # Ascending positions read the mapped file in order.
        ascending = np.argsort(positions)
        rows, positions = rows[ascending], positions[ascending]
        same = np.all(codes[rows] == previous.codes[positions], axis=1)
        same &= scales[rows] == previous.scales[positions]
        cluster_of[rows[same]] = old_clusters[block : block + step][ascending][same]


def _nearest(block: np.ndarray, centroids: np.ndarray) -> np.ndarray:
    return np.argmax(block @ centroids.T, axis=1)


def _kmeans(sample: np.ndarray, clusters: int, generator: np.random.Generator) -> np.ndarray:
    """Spherical k-means: unit centroids, each row to the one of largest cosine."""
    centroids = sample[generator.choice(len(sample), clusters, replace=False)].copy()
    centroids /= np.maximum(np.linalg.norm(centroids, axis=1, keepdims=True), 1e-12)
    for _ in range(KMEANS_ITERATIONS):
        labels = np.concatenate(
            [
                _nearest(sample[block : block + BLOCK_ROWS], centroids)
                for block in range(0, len(sample), BLOCK_ROWS)
            ]
        )
        order = np.argsort(labels, kind="stable")
        ordered = sample[order]
        bounds = np.searchsorted(labels[order], np.arange(clusters + 1))
        for cluster in range(clusters):
            # One sum per cluster: ``np.add.reduceat`` over rows is twenty times slower.
            start, end = bounds[cluster], bounds[cluster + 1]
            if end > start:  # a cluster that lost every row keeps its centroid
                total = ordered[start:end].sum(axis=0)
                centroids[cluster] = total / max(float(np.linalg.norm(total)), 1e-12)
    return centroids
