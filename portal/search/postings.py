"""The lexical match of a large index: BM25 over postings in a file of each index version.

At 100,000 documents the database's own match is most of a search's time (FTS5's
``bm25()`` and the PostgreSQL postings both score every entry holding any query term:
p95 about 400 ms at 170,000 entries). From ``SEARCH_POSTINGS_FROM`` entries (20,000 by
default) the engine sums BM25 itself, with numpy, over postings held in a file of each
index version (``Postings``); below it, the database matches.

- The postings are grouped by term (compressed rows): for each term, the rows of the
  entries holding it and its frequency there, weighted by column as
  ``backends.postgres.term_frequencies`` weighs them, so that the scores are the
  database's (FTS5's ``bm25()`` with the column weights, the same formula on PostgreSQL).
  A frequency is a sum of column weights (3, 2, 1, ½), counted as the database in use
  counts it, stored exactly as twice its value in 16 bits. Terms are found by a 64-bit
  hash, sorted: no vocabulary in any process.
- The file is written once per machine and version (``versioned``, as the embeddings'):
  the kernel keeps one copy in its page cache, and a search reads the postings of its
  terms from there.
- A new version is written from the newest file there is: the postings of the entries
  that did not change (same id, same ``updated_at``) are kept, those of changed and new
  entries read from the database and inserted, those of deleted ones dropped. Publishing
  a page at 170,000 entries costs about two seconds in the one process that writes it;
  the others wait for its file.
- Only when there is no file to start from, or too much has changed since (a bulk import),
  must every entry be read: that takes minutes at 100,000 documents, longer than a
  request may last. A web process then reads them in a thread of its own, holding no
  lock that another worker waits for, and searches through the database meanwhile;
  ``rebuild_search_index`` and ``import_corpus`` write the file at their end.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import logging
import os
import threading
import time
import weakref
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from django.conf import settings

from portal.search import versioned
from portal.search.backends.base import BM25_B, BM25_K1, LexicalFields, bm25_idf
from portal.search.backends.postgres import term_frequencies

logger = logging.getLogger(__name__)

POSTINGS_FROM = 20_000
# A new version is merged from the newest file when at most this many entries changed
# since (read from the database in the request, about half a millisecond each);
# beyond, every entry is read again, apart.
MERGE_LIMIT = 20_000
# Entries read from the database at a time.
READ_BATCH = 500

_ARRAYS = ("hashes", "starts", "rows", "frequencies")
_ENTRIES = "entries.npz"
_LOCK_NAME = ".lock"
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)

# (entry id, updated_at, length, title terms, summary terms, body terms, parts)
EntryRow = tuple[int, dt.datetime, int, str, str, str, str]
ReadEntries = Callable[[np.ndarray | None], Iterable[EntryRow]]
ReadStamps = Callable[[], Iterable[tuple[int, dt.datetime]]]


def postings_from() -> int:
    return int(getattr(settings, "SEARCH_POSTINGS_FROM", POSTINGS_FROM))


def directory() -> Path:
    """Where this machine's postings live (one folder per index version)."""
    configured = getattr(settings, "SEARCH_POSTINGS_DIR", None)
    return Path(configured) if configured else Path(settings.DATA_DIR) / "search-postings"


def build_apart() -> bool:
    """Whether a file of every entry is written in a thread, the database matching
    meanwhile (web processes), or in the call that needs it."""
    return bool(getattr(settings, "SEARCH_POSTINGS_BUILD_APART", True))


def folder(version: int, entry_ids: np.ndarray) -> Path:
    """Where the postings of this version are, once written."""
    return directory() / versioned.folder_name(version, entry_ids)


def term_hash(term: str) -> int:
    # A query's lone surrogate is hashed too (it matches nothing) rather than refused.
    data = term.encode("utf-8", "surrogatepass")
    return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "little")


def stamp(moment: dt.datetime | None) -> int:
    """An ``updated_at`` as whole microseconds (-1: none)."""
    if moment is None:
        return -1
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return (moment - _EPOCH) // dt.timedelta(microseconds=1)


@dataclass
class Postings:
    """The postings of the entries ``entry_ids`` (ascending; rows are their positions).

    The postings of the term whose hash is ``hashes[t]`` are ``starts[t]`` to
    ``starts[t + 1]`` of ``rows`` and ``frequencies`` (twice the weighted frequency).
    """

    entry_ids: np.ndarray  # row → entry id
    stamps: np.ndarray  # row → its ``updated_at`` when read, in microseconds; -1: not read
    lengths: np.ndarray  # row → the entry's length in terms
    hashes: np.ndarray  # term → its hash, ascending
    starts: np.ndarray
    rows: np.ndarray
    frequencies: np.ndarray
    path: Path | None = None
    # Where a written file's rows and frequencies are read from by a search: (file
    # descriptor, offset of the data), see ``_postings_of``.
    readers: dict[str, tuple[int, int]] | None = None

    def __post_init__(self) -> None:
        self.documents = len(self.entry_ids)
        self.average_length = (float(self.lengths.mean()) if self.documents else 0.0) or 1.0
        # BM25's length normalisation of each row, k1 (1 - b + b · length / average),
        # once per process rather than per posting and query.
        self.row_norms = BM25_K1 * (
            (1 - BM25_B) + BM25_B * self.lengths.astype(np.float64) / self.average_length
        )

    @property
    def nbytes(self) -> int:
        return sum(getattr(self, name).nbytes for name in _ARRAYS)

    def span(self, term: str) -> tuple[int, int]:
        """Where the term's postings are (an empty span when no entry holds it)."""
        key = np.uint64(term_hash(term))
        at = int(np.searchsorted(self.hashes, key))
        if at < len(self.hashes) and self.hashes[at] == key:
            return int(self.starts[at]), int(self.starts[at + 1])
        return 0, 0

    def _postings_of(self, start: int, end: int) -> tuple[np.ndarray, np.ndarray]:
        """Rows and frequencies ``start`` to ``end``.

        From a written file they are read (``pread``) rather than taken from its mapping:
        the file stays in the kernel's page cache, one copy for the machine, and in no
        process's memory. Mapped, every page a search touches, and the 64 KB the kernel
        maps around each, counts in the process: 99 MB in each of two workers at
        170,000 entries after the judged queries, nearly the whole file.
        """
        if self.readers is None:
            return self.rows[start:end], self.frequencies[start:end]
        return (
            _read(self.readers["rows"], np.int32, start, end),
            _read(self.readers["frequencies"], np.uint16, start, end),
        )

    def match(self, terms: list[str], limit: int) -> tuple[np.ndarray, np.ndarray]:
        """The best ``limit`` rows by BM25 summed over ``terms``, best first (ties in row
        order, as the database orders them by entry id), and their scores."""
        scores = np.zeros(self.documents, dtype=np.float64)
        for term in dict.fromkeys(term for term in terms if term):
            start, end = self.span(term)
            if start == end:
                continue
            rows, frequencies = self._postings_of(start, end)
            frequency = frequencies * 0.5
            idf = bm25_idf(documents=self.documents, matching=end - start)
            weight = frequency * (idf * (BM25_K1 + 1))
            weight /= frequency + self.row_norms[rows]
            scores[rows] += weight
        # Every row holding a term scores above 0: the IDF is floored above 0.
        found = np.flatnonzero(scores)
        if len(found) > limit:
            # As the database's ORDER BY score, id LIMIT: of the rows tied at the last
            # place, the first ones.
            last = -np.partition(-scores[found], limit - 1)[limit - 1]
            above = found[scores[found] > last]
            tied = found[scores[found] == last]
            found = np.concatenate([above, tied[: limit - len(above)]])
        found = found[np.lexsort((found, -scores[found]))]
        return found, scores[found]


def _entry_postings(entries: Iterable[EntryRow], entry_ids: np.ndarray) -> Postings:
    """The postings of the rows ``entries`` gives, for the entries ``entry_ids`` (a row it
    does not give, an entry deleted since, has none and the stamp -1).

    Gathered in numpy blocks: as Python lists, 35 million postings took 840 MB. The
    frequencies are counted as the database in use counts them.
    """
    from django.db import connection

    capped = connection.vendor == "postgresql"
    vocabulary: dict[str, int] = {}
    blocks: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    terms: list[int] = []
    rows: list[int] = []
    frequencies: list[int] = []

    def flush() -> None:
        blocks.append(
            (
                np.array(terms, dtype=np.int32),
                np.array(rows, dtype=np.int32),
                np.array(frequencies, dtype=np.uint16),
            )
        )
        terms.clear()
        rows.clear()
        frequencies.clear()

    stamps = np.full(len(entry_ids), -1, dtype=np.int64)
    lengths = np.zeros(len(entry_ids), dtype=np.int32)
    for pk, updated_at, length, title, summary, body, parts in entries:
        row = int(np.searchsorted(entry_ids, pk))
        if row >= len(entry_ids) or entry_ids[row] != pk:
            continue  # added since: the version has changed, the next search reads it
        stamps[row], lengths[row] = stamp(updated_at), length
        fields = LexicalFields(title.split(), summary.split(), body.split(), parts.split())
        for term, frequency in term_frequencies(fields, capped=capped).items():
            terms.append(vocabulary.setdefault(term, len(vocabulary)))
            rows.append(row)
            frequencies.append(min(round(frequency * 2), 65535))
        if len(terms) >= 1_000_000:
            flush()
    flush()
    term_hashes = np.fromiter(
        (term_hash(term) for term in vocabulary), dtype=np.uint64, count=len(vocabulary)
    )
    del vocabulary
    hash_order = np.argsort(term_hashes)
    hash_rank = np.empty(len(hash_order), dtype=np.int32)
    hash_rank[hash_order] = np.arange(len(hash_order), dtype=np.int32)
    keys = hash_rank[np.concatenate([block[0] for block in blocks])]
    all_rows = np.concatenate([block[1] for block in blocks])
    all_frequencies = np.concatenate([block[2] for block in blocks])
    blocks.clear()
    # Stable: within a term, the rows stay in the order they came in, ascending.
    order = np.argsort(keys, kind="stable")
    counts = np.bincount(keys, minlength=len(hash_order))
    return Postings(
        entry_ids=np.asarray(entry_ids, dtype=np.int64),
        stamps=stamps,
        lengths=lengths,
        hashes=term_hashes[hash_order],
        starts=np.concatenate([[0], np.cumsum(counts)]).astype(np.int64),
        rows=all_rows[order],
        frequencies=all_frequencies[order],
    )


def build(entry_ids: np.ndarray, read: ReadEntries) -> Postings:
    """Every entry's postings, read from the database."""
    return _entry_postings(read(None), entry_ids)


def merge(
    previous: Postings, entry_ids: np.ndarray, stamps: np.ndarray, read: ReadEntries
) -> Postings:
    """The postings of ``entry_ids`` from ``previous``: the entries whose stamp is the
    same are kept, the others read with ``read(ids)``."""
    if not len(previous.entry_ids):
        return _entry_postings(read(entry_ids), entry_ids)
    old_rows, same = _unchanged(previous, entry_ids, stamps)
    # old row → new row, -1 for the entries gone or changed
    new_row_of_old = np.full(len(previous.entry_ids), -1, dtype=np.int32)
    new_row_of_old[old_rows[same]] = np.flatnonzero(same).astype(np.int32)
    changed = np.flatnonzero(~same)
    added = _entry_postings(read(entry_ids[changed]), entry_ids)

    kept_rows = new_row_of_old[previous.rows]
    keep = kept_rows >= 0
    kept_before = np.concatenate([[0], np.cumsum(keep, dtype=np.int64)])
    kept_counts = kept_before[previous.starts[1:]] - kept_before[previous.starts[:-1]]
    rows = kept_rows[keep]
    frequencies = previous.frequencies[keep]
    del kept_rows, keep, kept_before
    # Where each term's kept postings begin, one more: where they all end. An added
    # posting goes after the kept ones of its term, or where its term would be.
    kept_starts = np.concatenate([[0], np.cumsum(kept_counts)])
    added_counts = np.diff(added.starts)
    at = np.searchsorted(previous.hashes, added.hashes)
    present = np.zeros(len(at), dtype=bool)
    inside = at < len(previous.hashes)
    present[inside] = previous.hashes[at[inside]] == added.hashes[inside]
    positions = np.repeat(kept_starts[at + present], added_counts)
    rows = np.insert(rows, positions, added.rows)
    frequencies = np.insert(frequencies, positions, added.frequencies)

    hashes = np.union1d(previous.hashes, added.hashes).astype(np.uint64)
    counts = np.zeros(len(hashes), dtype=np.int64)
    counts[np.searchsorted(hashes, previous.hashes)] += kept_counts
    counts[np.searchsorted(hashes, added.hashes)] += added_counts
    used = counts > 0
    lengths = np.where(same, previous.lengths[old_rows], added.lengths).astype(np.int32)
    row_stamps = np.where(same, stamps, added.stamps)
    return Postings(
        entry_ids=np.asarray(entry_ids, dtype=np.int64),
        stamps=row_stamps.astype(np.int64),
        lengths=lengths,
        hashes=hashes[used],
        starts=np.concatenate([[0], np.cumsum(counts[used])]).astype(np.int64),
        rows=rows.astype(np.int32),
        frequencies=frequencies.astype(np.uint16),
    )


# Loading -------------------------------------------------------------------------------

# Held (flock) by the one thread on the machine that reads every entry: the others
# neither wait for it nor start another.
_BUILDING = ".building.lock"


def load(
    version: int,
    entry_ids: np.ndarray,
    read_stamps: ReadStamps,
    read: ReadEntries,
    *,
    is_current: Callable[[], bool] = lambda: True,
    apart: bool = True,
) -> Postings | None:
    """The postings of index ``version`` (entries ``entry_ids``, ascending), or None when
    the database must match meanwhile (every entry is being read apart).

    ``read_stamps()`` gives every entry's ``(id, updated_at)``; ``read(ids)`` the rows of
    those entries (all when None), in id order. The shared lock is held for a merge (a few
    seconds), never while every entry is read: that is done apart (``apart``) or in this
    call, and only its writing is locked.
    """
    base = directory()
    name = versioned.folder_name(version, entry_ids)
    if version:
        found = _open(base / name, entry_ids)
        if found is not None:
            return found
        try:
            base.mkdir(parents=True, exist_ok=True)
            with versioned.locked(base):
                found = _open(base / name, entry_ids)
                if found is None:
                    previous = versioned.newest(base, name, _open)
                    if previous is not None:
                        stamps = _stamps_of(entry_ids, read_stamps)
                        changed = np.count_nonzero(~_unchanged(previous, entry_ids, stamps)[1])
                        if changed <= MERGE_LIMIT:
                            found = _publish(
                                merge(previous, entry_ids, stamps, read), base, name, is_current
                            )
                        del previous
                if found is not None:
                    return found
        except OSError:
            logger.exception("search postings could not be shared through %s", base)
            return None
    if apart:
        _build_apart(version, entry_ids, read, is_current)
        return None
    postings = build(entry_ids, read)
    if not version:
        # No write has been recorded: nothing tells this content from another database's.
        return postings
    try:
        with versioned.locked(base):
            return _publish(postings, base, name, is_current)
    except OSError:
        logger.exception("search postings could not be shared through %s", base)
        return postings


def _publish(postings: Postings, base: Path, name: str, is_current) -> Postings:
    """The postings written in their folder (the lock is held), mapped."""
    started = time.perf_counter()
    found = _open(base / name, postings.entry_ids)
    if found is None:
        found = _write(postings, base / name)
        logger.info("search postings %s written in %.1f s", name, time.perf_counter() - started)
    if is_current():
        versioned.remove_stale(base, keep=name)
    return found


def _build_apart(version: int, entry_ids: np.ndarray, read: ReadEntries, is_current) -> None:
    """Read every entry in a thread and write the postings; not when another thread of
    the machine is doing so already."""
    if not version:
        return
    base = directory()
    try:
        base.mkdir(parents=True, exist_ok=True)
        handle = open(base / _BUILDING, "a+b")  # noqa: SIM115 (closed by the thread)
    except OSError:
        logger.exception("search postings could not be shared through %s", base)
        return
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        handle.close()  # another thread reads every entry already
        return

    def run() -> None:
        from django.db import connection

        try:
            postings = build(entry_ids, read)
            with versioned.locked(base):
                _publish(postings, base, versioned.folder_name(version, entry_ids), is_current)
        except Exception:
            logger.exception("search postings of version %x could not be written", version)
        finally:
            connection.close()
            fcntl.flock(handle, fcntl.LOCK_UN)
            handle.close()

    logger.warning(
        "search postings of version %x: every entry is read apart; the database matches meanwhile",
        version,
    )
    try:
        threading.Thread(target=run, name="search-postings", daemon=True).start()
    except RuntimeError:
        logger.exception("search postings: no thread to read every entry in")
        fcntl.flock(handle, fcntl.LOCK_UN)
        handle.close()


def _stamps_of(entry_ids: np.ndarray, read_stamps: ReadStamps) -> np.ndarray:
    """Each entry's stamp as ``read_stamps()`` gives it now, -1 for an entry it lacks."""
    pairs = [(pk, stamp(updated_at)) for pk, updated_at in read_stamps()]
    stamps = np.full(len(entry_ids), -1, dtype=np.int64)
    if pairs and len(entry_ids):
        ids = np.array([pk for pk, _ in pairs], dtype=np.int64)
        values = np.array([value for _, value in pairs], dtype=np.int64)
        rows = np.minimum(np.searchsorted(entry_ids, ids), len(entry_ids) - 1)
        known = entry_ids[rows] == ids
        stamps[rows[known]] = values[known]
    return stamps


def _unchanged(
    previous: Postings, entry_ids: np.ndarray, stamps: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Each entry's row in ``previous``, and whether it is there with the same stamp."""
    if not len(previous.entry_ids):
        return np.zeros(len(entry_ids), dtype=np.int64), np.zeros(len(entry_ids), dtype=bool)
    rows = np.minimum(np.searchsorted(previous.entry_ids, entry_ids), len(previous.entry_ids) - 1)
    same = (previous.entry_ids[rows] == entry_ids) & (previous.stamps[rows] == stamps)
    return rows, same & (stamps >= 0)


def _write(postings: Postings, folder: Path) -> Postings:
    """The postings in ``folder``, mapped."""
    temporary = versioned.aside(folder)
    for name in _ARRAYS:
        np.save(temporary / f"{name}.npy", getattr(postings, name))
    with open(temporary / _ENTRIES, "wb") as handle:
        np.savez(
            handle,
            entry_ids=postings.entry_ids,
            stamps=postings.stamps,
            lengths=postings.lengths,
        )
    versioned.publish(temporary, folder)
    found = _open(folder, postings.entry_ids)
    if found is None:
        raise OSError(f"{folder}: written but unreadable")
    return found


def _open(folder: Path, entry_ids: np.ndarray | None = None) -> Postings | None:
    """The postings written in ``folder``, mapped; None if there are none (or not whole)."""
    try:
        mapped = {name: np.load(folder / f"{name}.npy", mmap_mode="r") for name in _ARRAYS}
        offsets = {name: int(array.offset) for name, array in mapped.items()}
        arrays = {name: array.view(np.ndarray) for name, array in mapped.items()}
        with np.load(folder / _ENTRIES) as entries:
            facts = {key: entries[key] for key in ("entry_ids", "stamps", "lengths")}
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile):
        return None
    if (
        len(arrays["starts"]) != len(arrays["hashes"]) + 1
        or len(arrays["rows"]) != len(arrays["frequencies"])
        or (len(arrays["starts"]) and int(arrays["starts"][-1]) != len(arrays["rows"]))
        or not len(facts["entry_ids"]) == len(facts["stamps"]) == len(facts["lengths"])
    ):
        return None
    if entry_ids is not None and not np.array_equal(facts["entry_ids"], entry_ids):
        return None
    postings = Postings(**facts, **arrays, path=folder, readers={})
    for name in ("rows", "frequencies"):
        try:
            descriptor = os.open(folder / f"{name}.npy", os.O_RDONLY)
        except OSError:
            return None
        # Closed with the postings; a folder removed meanwhile stays readable until then.
        weakref.finalize(postings, os.close, descriptor)
        postings.readers[name] = (descriptor, offsets[name])
    return postings


def _read(reader: tuple[int, int], dtype, start: int, end: int) -> np.ndarray:
    descriptor, offset = reader
    size = np.dtype(dtype).itemsize
    data = os.pread(descriptor, (end - start) * size, offset + start * size)
    if len(data) != (end - start) * size:
        raise OSError("search postings file cut short")
    return np.frombuffer(data, dtype=dtype)
