"""Ranking: lexical BM25 and cross-language embeddings, fused per item.

An item is a page with all its language versions (one translation key). For a query the
engine

1. analyses it and adds the glossary's synonyms of the concepts it names;
2. scores every language version lexically (BM25: the database's, or for a large index
   the shared ``postings``') and by meaning (cosine of USE embeddings, with numpy; see
   ``vectors`` for how a large index does it), and keeps each item's best version;
3. fuses the two, each scaled to the query's best (``RankingParams``);
4. feeds back the best items: their versions in the other language are searched again
   lexically, and their embeddings pull the query vector towards the topic — so a question
   in English reaches a page that exists only in Korean, and the reverse;
5. keeps the items matched by words or close enough in meaning.

The parameters were tuned on the development queries (see docs/search.md).
"""

from __future__ import annotations

import re
import threading
import unicodedata
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from django.db.models import BinaryField, Value
from threadpoolctl import ThreadpoolController

from portal.search import postings as postings_store
from portal.search import vectors as vector_store
from portal.search.analysis import (
    MIN_CORRECTED_LENGTH,
    analyse,
    is_spellable,
    spelling_variants,
)
from portal.search.backends import CorpusStats, get_backend
from portal.search.embeddings import EMBEDDING_DIMENSIONS, embed_one
from portal.search.models import IndexState, SearchEntry, SearchTerm
from portal.search.results import MAX_QUERY_LENGTH


@dataclass(frozen=True)
class RankingParams:
    alpha: float = 0.4  # share of the lexical score in the fused score
    floor: float = 0.3  # cosine below which meaning adds nothing
    keep: float = 0.42  # cosine from which an item without a matching word is a result
    feedback_items: int = 2  # best items fed back
    feedback_vector: float = 1.0  # weight of their embeddings added to the query vector
    feedback_lexical: float = 0.6  # weight of the other-language search on their titles
    lexical_limit: int = 1000
    # An item is a result when its fused score reaches this share of the best one: a word
    # that every page has ("Seoul", "서울시") does not make every page a result.
    min_share: float = 0.15


DEFAULT_PARAMS = RankingParams()
_HANGUL = re.compile(r"[\uac00-\ud7a3]")


@dataclass
class Snapshot:
    """Every entry's item, language and embedding, and every item's facets, as of one
    index version.

    Rows are entries in primary-key order; items are translation keys in the order of
    their first row. Everything a search needs per entry or per item is an array here, so
    that a search does its work over the whole index in numpy and Python only touches the
    matches it keeps.
    """

    version: int
    entry_ids: np.ndarray  # row → entry id, ascending
    languages: list[str]  # row → language
    vectors: vector_store.Vectors  # row → embedding
    item_keys: ItemKeys  # item → translation key
    item_of_row: np.ndarray  # row → item
    item_rows: np.ndarray  # rows grouped by item, each item's in row order …
    item_starts: np.ndarray  # … item's rows start here in ``item_rows``
    item_key_rank: np.ndarray  # item → position of its key in sorted order (ties)
    kind_names: list[str]  # the kinds, indexed by ``item_kind``
    item_kind: np.ndarray  # item → kind (of its first row)
    item_sector: np.ndarray  # item → sector id of its first version that has one, 0: none
    item_year: np.ndarray  # item → year of its first version that has one, 0: none
    item_languages: list[tuple[str, ...]]  # item → its languages, sorted
    item_in_language: dict[str, np.ndarray]  # language → whether each item exists in it
    newest_first: np.ndarray  # items by their newest version's date, then key, descending
    stats: CorpusStats | None = None
    # A large index's lexical match (``postings``); None: the database matches. While
    # they are written apart, where they will be.
    postings: postings_store.Postings | None = None
    postings_folder: Path | None = None

    @property
    def item_count(self) -> int:
        return len(self.item_keys)

    @property
    def matrix(self) -> np.ndarray:
        """The float32 embeddings of a snapshot held in memory (a small index)."""
        return self.vectors.matrix

    def rows_of(self, item: int) -> np.ndarray:
        """The item's rows, ascending."""
        start = self.item_starts[item]
        end = self.item_starts[item + 1] if item + 1 < self.item_count else len(self.item_rows)
        return self.item_rows[start:end]


class ItemKeys:
    """The items' translation keys, 16 bytes each in one array.

    As a list of strings they took 10 MB in every worker at 170,000 entries (an 85-byte
    object per key); the array takes 2.7 MB. A key becomes a string only when it is read,
    for the few items a page shows.
    """

    def __init__(self, keys: list) -> None:
        raw = b"".join(
            (key if isinstance(key, uuid.UUID) else uuid.UUID(str(key))).bytes for key in keys
        )
        # Big-endian halves: the order of the numbers is that of the keys as text.
        self.words = np.frombuffer(raw, dtype=">u8").reshape(-1, 2)

    def __len__(self) -> int:
        return len(self.words)

    def __getitem__(self, item: int) -> str:
        return str(uuid.UUID(bytes=self.words[item].tobytes()))

    def __iter__(self) -> Iterator[str]:
        return (self[item] for item in range(len(self)))

    def ranks(self) -> np.ndarray:
        """Each item's position when the keys are sorted."""
        order = np.lexsort((self.words[:, 1], self.words[:, 0]))
        ranks = np.empty(len(order), dtype=np.int32)
        ranks[order] = np.arange(len(order), dtype=np.int32)
        return ranks


_snapshot_lock = threading.Lock()
_snapshot: Snapshot | None = None


def current_version() -> int:
    return IndexState.objects.filter(pk=1).values_list("version", flat=True).first() or 0


# Each entry's facts, in the order of ``_build_snapshot``'s rows; the embeddings are read
# apart (``vectors.load``), and only when no other process has stored them already.
_FACTS = ("pk", "translation_key", "language", "kind", "sector_id", "year")
_MORE_FACTS = ("length", "date")


def snapshot(*, wait: bool = False) -> Snapshot:
    """The in-memory view of the index, reloaded when another process changed it.

    ``wait``: a large index's postings are written in this call even when every entry
    must be read (a command after a bulk write), not apart while the database matches.
    """
    global _snapshot
    version = current_version()
    held = _snapshot
    if held is not None and held.version == version and not _postings_missing(held, wait):
        return held
    with _snapshot_lock:
        held = _snapshot
        if held is not None and held.version == version:
            if _postings_missing(held, wait):
                held.postings = _load_postings(version, held.entry_ids, wait)
            return held
        rows = list(
            SearchEntry.objects.order_by("pk").values_list(
                *_FACTS, Value(None, output_field=BinaryField()), *_MORE_FACTS
            )
        )
        entry_ids = np.array([row[0] for row in rows], dtype=np.int64)
        vectors = vector_store.load(
            version,
            entry_ids,
            _stored_embeddings,
            previous=held.vectors if held is not None else None,
            is_current=lambda: current_version() == version,
        )
        _snapshot = _build_snapshot(version, rows, vectors)
        del rows
        _snapshot.postings = _load_postings(version, entry_ids, wait)
        # The rows and the build's lists are gone, but glibc keeps the heap they took:
        # about 30 MB at 170,000 entries that each worker would hold for nothing.
        vector_store.release_freed_memory()
        return _snapshot


def _uses_postings(entry_ids: np.ndarray) -> bool:
    return len(entry_ids) > 0 and len(entry_ids) >= postings_store.postings_from()


def _postings_missing(held: Snapshot, wait: bool) -> bool:
    """Whether the postings of a large index are still being written apart: ready now
    (a look at the folder), or to be written in this call."""
    if held.postings is not None or not _uses_postings(held.entry_ids):
        return False
    if wait:
        return True
    if held.postings_folder is None:
        held.postings_folder = postings_store.folder(held.version, held.entry_ids)
    return held.postings_folder.is_dir()


def _load_postings(version: int, entry_ids: np.ndarray, wait: bool):
    if not _uses_postings(entry_ids):
        return None
    return postings_store.load(
        version,
        entry_ids,
        lambda: SearchEntry.objects.values_list("pk", "updated_at").iterator(
            chunk_size=vector_store.READ_BATCH
        ),
        _stored_terms,
        is_current=lambda: current_version() == version,
        apart=not wait and postings_store.build_apart(),
    )


_TERM_FACTS = ("pk", "updated_at", "length", "title_terms", "summary_terms", "body_terms", "parts")


def _stored_terms(ids: np.ndarray | None):
    """The analysed terms of the entries ``ids`` (all when None), in id order."""
    entries = SearchEntry.objects.order_by("pk").values_list(*_TERM_FACTS)
    if ids is None:
        yield from entries.iterator(chunk_size=postings_store.READ_BATCH)
        return
    for start in range(0, len(ids), postings_store.READ_BATCH):
        yield from entries.filter(pk__in=ids[start : start + postings_store.READ_BATCH].tolist())


def _stored_embeddings():
    return (
        SearchEntry.objects.order_by("pk")
        .values_list("pk", "embedding")
        .iterator(chunk_size=vector_store.READ_BATCH)
    )


def _build_snapshot(
    version: int, rows: list[tuple], vectors: vector_store.Vectors | None = None
) -> Snapshot:
    """The snapshot of ``rows`` (``_FACTS``, embedding, ``_MORE_FACTS``); the embeddings are
    taken from ``vectors`` when given, else from the rows."""
    if vectors is None:
        matrix = np.zeros((len(rows), EMBEDDING_DIMENSIONS), dtype=np.float32)
        for index, row in enumerate(rows):
            matrix[index] = np.frombuffer(bytes(row[6]), dtype=np.float32)
        vectors = vector_store.InMemoryVectors(matrix)
    position: dict = {}
    # Narrow integers where the values allow: these arrays are each worker's own.
    item_of_row = np.array(
        [position.setdefault(row[1], len(position)) for row in rows], dtype=np.int32
    )
    item_keys = ItemKeys(list(position))
    del position
    items = len(item_keys)
    item_rows = np.argsort(item_of_row, kind="stable").astype(np.int32)
    item_starts = np.searchsorted(item_of_row[item_rows], np.arange(items)).astype(np.int32)
    kind_names = sorted({row[3] for row in rows})
    kind_code = {kind: code for code, kind in enumerate(kind_names)}
    item_kind = np.zeros(items, dtype=np.int8)
    item_sector = np.zeros(items, dtype=np.int32)
    item_year = np.zeros(items, dtype=np.int32)
    languages_of: list[set[str]] = [set() for _ in range(items)]
    newest = np.zeros(items, dtype=np.int32)  # the newest version's date, as an ordinal
    # Backwards, so that the first row of an item (with a sector, a year) is written last.
    for index in range(len(rows) - 1, -1, -1):
        row, item = rows[index], int(item_of_row[index])
        item_kind[item] = kind_code[row[3]]
        item_sector[item] = row[4] or item_sector[item]
        item_year[item] = row[5] or item_year[item]
        languages_of[item].add(row[2])
        if row[8] and row[8].toordinal() > newest[item]:
            newest[item] = row[8].toordinal()
    # One object per distinct value, not one per row or item: at 170,000 entries the
    # copies the database driver makes of "ko" and "en" cost 15 MB in every process.
    shared: dict = {}
    item_languages = [shared.setdefault(key, key) for key in map(_sorted_tuple, languages_of)]
    codes = sorted({code for languages in item_languages for code in languages})
    item_key_rank = item_keys.ranks()
    return Snapshot(
        version=version,
        entry_ids=np.array([row[0] for row in rows], dtype=np.int64),
        languages=[shared.setdefault(row[2], row[2]) for row in rows],
        vectors=vectors,
        item_keys=item_keys,
        item_of_row=item_of_row,
        item_rows=item_rows,
        item_starts=item_starts,
        item_key_rank=item_key_rank,
        kind_names=kind_names,
        item_kind=item_kind,
        item_sector=item_sector,
        item_year=item_year,
        item_languages=item_languages,
        item_in_language={
            code: np.array([code in languages for languages in item_languages], dtype=bool)
            for code in codes
        },
        # Newest first, then by key, descending.
        newest_first=np.lexsort((item_key_rank, newest))[::-1].astype(np.int32),
        stats=CorpusStats(
            documents=len(rows),
            average_length=sum(row[7] for row in rows) / len(rows) if rows else 0.0,
        ),
    )


def _sorted_tuple(values) -> tuple:
    return tuple(sorted(values))


def clean_query(text: str | None) -> tuple[str, bool]:
    """The query as typed, made safe to search and show: control characters (NUL
    included) and lone surrogates (which no encoder takes) become spaces, runs of spaces
    one space, the ends trimmed, the text cut to ``MAX_QUERY_LENGTH``; and whether it
    was cut."""
    text = "".join(
        " " if unicodedata.category(char) in ("Cc", "Cs") else char for char in (text or "")
    )
    text = " ".join(text.split())
    if len(text) > MAX_QUERY_LENGTH:
        return text[:MAX_QUERY_LENGTH].rstrip(), True
    return text, False


@lru_cache(maxsize=2048)
def _analysed_set(terms: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(analyse(term, for_query=True).terms) for term in terms)


def glossary_expansion(query_terms: list[str]) -> tuple[list[str], list[str]]:
    """Terms of the synonyms of every concept the query names, and those synonyms as written.

    A synonym set applies when all the words of one of its terms are in the query
    (``Seoul Bike`` applies to "where to rent a Seoul bike").
    """
    from portal.glossary.selectors import synonym_sets

    present = set(query_terms)
    terms: list[str] = []
    shown: list[str] = []
    for synonyms in synonym_sets():
        analysed = _analysed_set(tuple(synonyms))
        matched = [i for i, words in enumerate(analysed) if words and set(words) <= present]
        if not matched:
            continue
        for index, words in enumerate(analysed):
            if index in matched or not words:
                continue
            new = [word for word in words if word not in present]
            if new:
                terms.extend(new)
                shown.append(synonyms[index])
    return list(dict.fromkeys(terms)), shown


# At most this many corrections of one misspelt word are searched.
MAX_CORRECTIONS = 2


def spelling_corrections(terms: list[str]) -> list[str]:
    """Index terms close to the query's Latin terms that the index lacks.

    ``prevension`` (stem ``prevens``) is in no page; ``prevent`` is. One query to learn
    which terms are known, one more only when some are not.
    """
    spellable = [term for term in dict.fromkeys(terms) if is_spellable(term)]
    if not spellable:
        return []
    known = set(SearchTerm.objects.filter(term__in=spellable).values_list("term", flat=True))
    tiers = {
        term: spelling_variants(term)
        for term in spellable
        if term not in known and len(term) >= MIN_CORRECTED_LENGTH
    }
    if not tiers:
        return []
    candidates = set().union(*(first | second for first, second in tiers.values()))
    present = set(
        SearchTerm.objects.filter(term__in=sorted(candidates)).values_list("term", flat=True)
    )
    corrections: list[str] = []
    for first, second in tiers.values():
        chosen = sorted(first & present) or sorted(second & present)
        corrections.extend(chosen[:MAX_CORRECTIONS])
    return corrections


@dataclass
class Ranking:
    """Items in order (indices into the snapshot's items), with their scores."""

    items: np.ndarray
    scores: np.ndarray  # fused score of each of ``items``
    terms: list[str]  # every term searched, for highlighting
    expansions: list[str]
    snapshot: Snapshot

    @property
    def keys(self) -> list[str]:
        return [self.snapshot.item_keys[item] for item in self.items.tolist()]


@dataclass
class _Lexical:
    """Each item's lexical score (0 where it has none) and whether words matched it."""

    scores: np.ndarray
    matched: np.ndarray

    def best(self, default: float) -> float:
        return float(self.scores[self.matched].max()) if self.matched.any() else default


def _lexical(snap: Snapshot, terms: list[str], limit: int) -> _Lexical:
    """BM25 of each item's best matching version."""
    best = np.full(snap.item_count, -np.inf)
    if snap.postings is not None:
        rows, scores = snap.postings.match(terms, limit)
    else:
        rows, scores = _database_match(snap, terms, limit)
    np.maximum.at(best, snap.item_of_row[rows], scores)
    matched = best > -np.inf
    best[~matched] = 0.0
    return _Lexical(best, matched)


def _database_match(snap: Snapshot, terms: list[str], limit: int):
    """The backend's best entries, as the snapshot's rows, and their scores."""
    matches = get_backend().match(terms=terms, limit=limit, stats=snap.stats)
    if not matches or not snap.item_count:
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    entry_ids = np.fromiter(matches, dtype=np.int64, count=len(matches))
    scores = np.fromiter(matches.values(), dtype=np.float64, count=len(matches))
    rows = np.minimum(np.searchsorted(snap.entry_ids, entry_ids), len(snap.entry_ids) - 1)
    known = snap.entry_ids[rows] == entry_ids  # entries newer than the snapshot: none
    return rows[known], scores[known]


@lru_cache(maxsize=1)
def _blas() -> ThreadpoolController:
    return ThreadpoolController()


def _semantic(snap: Snapshot, vector: np.ndarray, matched: np.ndarray | None = None) -> np.ndarray:
    """Each item's best cosine; one matrix-vector product over every entry.

    On one BLAS thread, as the query encoder runs: the product is bound by memory, not
    arithmetic, and OpenBLAS waking a second thread right after the encoder's single one
    cost 5 to 12 ms per product (a 1,706-entry product takes 0.3 ms on one thread).

    A large index compares the query only with the entries near it and with those of the
    items in ``matched`` (the items found by words, whose fused score must be right):
    any other entry scores ``vectors.UNSCORED``, below the floor (see ``vectors``).
    """
    if not snap.item_count:
        return np.zeros(0)
    if not snap.vectors.exact:
        return _semantic_near(snap, vector, matched)
    with _blas().limit(limits=1, user_api="blas"):
        similarities = (snap.vectors.matrix @ vector)[snap.item_rows]
    # float64, as the fusion's arithmetic and thresholds are.
    return np.maximum.reduceat(similarities, snap.item_starts).astype(np.float64)


def _semantic_near(snap: Snapshot, vector: np.ndarray, matched: np.ndarray | None) -> np.ndarray:
    def rows() -> np.ndarray:
        return np.flatnonzero(matched[snap.item_of_row])

    with _blas().limit(limits=1, user_api="blas"):
        scored, values = snap.vectors.scored(vector, rows if matched is not None else None)
    best = np.full(snap.item_count, vector_store.UNSCORED, dtype=np.float32)
    # Over the scored rows only: a tenth of the index, where a reduction by item would
    # read every row.
    np.maximum.at(best, snap.item_of_row[scored], values)
    return best.astype(np.float64)


def _fuse(lexical: _Lexical, semantic: np.ndarray, params: RankingParams) -> np.ndarray:
    top = lexical.best(0.0) or 1.0
    span = 1.0 - params.floor
    return (
        params.alpha * lexical.scores / top
        + (1 - params.alpha) * np.maximum(0.0, semantic - params.floor) / span
    )


def _best(scores: np.ndarray, count: int) -> np.ndarray:
    """The ``count`` best items, best first, ties in item order (a stable sort's)."""
    if count < len(scores):
        # The count-th largest, found among the negated scores: numpy's selection slows
        # down twentyfold when it must look past many equal values (the zeros of every
        # item without a match) to reach the end of the array.
        threshold = -np.partition(-scores, count - 1)[count - 1]
        candidates = np.flatnonzero(scores >= threshold)
    else:
        candidates = np.arange(len(scores))
    return candidates[np.argsort(-scores[candidates], kind="stable")][:count]


def searched_terms(query: str) -> tuple[list[str], list[str]]:
    """The terms a query searches (its words, their parts, the glossary's synonyms,
    corrections of misspelt words), and the synonyms as written."""
    analysis = analyse(query, for_query=True)
    expansion_terms, expansions = glossary_expansion(analysis.terms)
    corrections = spelling_corrections(analysis.terms)
    terms = analysis.terms + analysis.parts + expansion_terms + corrections
    return list(dict.fromkeys(terms)), expansions


def rank(*, query: str, language: str, params: RankingParams = DEFAULT_PARAMS) -> Ranking:
    """Every item the query finds, best first."""
    snap = snapshot()
    terms, expansions = searched_terms(query)
    if (not terms and not query.strip()) or not snap.item_count:
        return Ranking(np.zeros(0, dtype=np.int64), np.zeros(0), terms, expansions, snap)
    lexical = _lexical(snap, terms, params.lexical_limit)
    vector = embed_one(" ".join([query, *expansions]))
    semantic = _semantic(snap, vector, lexical.matched)
    fused = _fuse(lexical, semantic, params)

    feedback = _best(fused, params.feedback_items)
    feedback = feedback[lexical.matched[feedback] | (semantic[feedback] >= params.keep)]
    if len(feedback) and params.feedback_lexical:
        other_titles = _other_language_titles(snap, feedback, query_language(query, language))
        if other_titles:
            again = _lexical(snap, other_titles, params.lexical_limit)
            top, top_again = lexical.best(1.0), again.best(1.0)
            lexical = _Lexical(
                lexical.scores / top + params.feedback_lexical * again.scores / top_again,
                lexical.matched | again.matched,
            )
    if len(feedback) and params.feedback_vector:
        rows = np.concatenate([snap.rows_of(item) for item in feedback.tolist()])
        centroid = snap.vectors.mean(rows)
        moved = vector + params.feedback_vector * centroid
        vector = moved / (np.linalg.norm(moved) or 1.0)
        # After the other-language search, so that the items it found are scored too.
        semantic = _semantic(snap, vector, lexical.matched)
    fused = _fuse(lexical, semantic, params)
    cutoff = params.min_share * float(fused.max())
    found = np.flatnonzero((lexical.matched | (semantic >= params.keep)) & (fused >= cutoff))
    found = found[np.lexsort((snap.item_key_rank[found], -fused[found]))]
    return Ranking(found, fused[found], terms, expansions, snap)


def query_language(query: str, default: str) -> str:
    """The language a query is written in: Korean when it has Hangul, else English."""
    if _HANGUL.search(query):
        return "ko"
    return "en" if any(ch.isalpha() for ch in query) else default


def browse() -> Ranking:
    """Every item, newest first: what a filter chooses from when there is no query."""
    snap = snapshot()
    items = snap.newest_first
    return Ranking(items, np.zeros(len(items)), [], [], snap)


def _other_language_titles(snap: Snapshot, items: np.ndarray, language: str) -> list[str]:
    """Title terms of the items' versions in languages other than the query's."""
    entry_ids = [
        int(snap.entry_ids[row])
        for item in items.tolist()
        for row in snap.rows_of(item).tolist()
        if snap.languages[row] != language
    ]
    terms: list[str] = []
    for text in SearchEntry.objects.filter(pk__in=entry_ids).values_list("title_terms", flat=True):
        terms.extend(text.split())
    return list(dict.fromkeys(terms))
