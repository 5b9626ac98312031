"""Ranking: lexical BM25 and cross-language embeddings, fused per item.

An item is a page with all its language versions (one translation key). For a query the
engine

1. analyses it and adds the glossary's synonyms of the concepts it names;
2. scores every language version lexically (the backend's BM25) and by meaning (cosine
   of USE embeddings, in memory with numpy), and keeps each item's best version;
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
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

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
    """Every entry's item, language, facets and embedding, as of one index version."""

    version: int
    entry_ids: np.ndarray
    keys: list[str]
    languages: list[str]
    kinds: list[str]
    sector_ids: list[int | None]
    years: list[int | None]
    dates: list[str]
    matrix: np.ndarray
    row_of_entry: dict[int, int] = field(default_factory=dict)
    rows_of_key: dict[str, list[int]] = field(default_factory=dict)
    item_keys: list[str] = field(default_factory=list)  # each item once, in row order
    item_of_row: np.ndarray | None = None  # row → index in ``item_keys``
    stats: CorpusStats | None = None


_snapshot_lock = threading.Lock()
_snapshot: Snapshot | None = None


def current_version() -> int:
    return IndexState.objects.filter(pk=1).values_list("version", flat=True).first() or 0


def snapshot() -> Snapshot:
    """The in-memory view of the index, reloaded when another process changed it."""
    global _snapshot
    version = current_version()
    held = _snapshot
    if held is not None and held.version == version:
        return held
    with _snapshot_lock:
        rows = list(
            SearchEntry.objects.order_by("pk").values_list(
                "pk",
                "translation_key",
                "language",
                "kind",
                "sector_id",
                "year",
                "embedding",
                "length",
                "date",
            )
        )
        matrix = np.zeros((len(rows), EMBEDDING_DIMENSIONS), dtype=np.float32)
        for index, row in enumerate(rows):
            matrix[index] = np.frombuffer(bytes(row[6]), dtype=np.float32)
        keys = [str(row[1]) for row in rows]
        rows_of_key: dict[str, list[int]] = {}
        for index, key in enumerate(keys):
            rows_of_key.setdefault(key, []).append(index)
        position = {key: index for index, key in enumerate(rows_of_key)}
        _snapshot = Snapshot(
            version=version,
            entry_ids=np.array([row[0] for row in rows], dtype=np.int64),
            keys=keys,
            languages=[row[2] for row in rows],
            kinds=[row[3] for row in rows],
            sector_ids=[row[4] for row in rows],
            years=[row[5] for row in rows],
            dates=[row[8].isoformat() if row[8] else "" for row in rows],
            matrix=matrix,
            row_of_entry={row[0]: index for index, row in enumerate(rows)},
            rows_of_key=rows_of_key,
            item_keys=list(rows_of_key),
            item_of_row=np.array([position[key] for key in keys], dtype=np.int64),
            stats=CorpusStats(
                documents=len(rows),
                average_length=sum(row[7] for row in rows) / len(rows) if rows else 0.0,
            ),
        )
        return _snapshot


def clean_query(text: str | None) -> tuple[str, bool]:
    """The query as typed, made safe to search and show: control characters (NUL
    included) become spaces, runs of spaces one space, the ends trimmed, the text cut to
    ``MAX_QUERY_LENGTH``; and whether it was cut."""
    text = "".join(" " if unicodedata.category(char) == "Cc" else char for char in (text or ""))
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
    """Items in order, with the facts the page needs about each."""

    keys: list[str]
    scores: dict[str, float]
    terms: list[str]  # every term searched, for highlighting
    expansions: list[str]
    snapshot: Snapshot


def _best_per_item(snap: Snapshot, scores_by_row: dict[int, float]) -> dict[str, float]:
    best: dict[str, float] = {}
    for row, score in scores_by_row.items():
        key = snap.keys[row]
        if score > best.get(key, float("-inf")):
            best[key] = score
    return best


def _lexical(snap: Snapshot, terms: list[str], limit: int) -> dict[str, float]:
    matches = get_backend().match(terms=terms, limit=limit, stats=snap.stats)
    by_row = {snap.row_of_entry[e]: s for e, s in matches.items() if e in snap.row_of_entry}
    return _best_per_item(snap, by_row)


def _semantic(snap: Snapshot, vector: np.ndarray) -> dict[str, float]:
    if not len(snap.keys):
        return {}
    # Each item's best version, in numpy: this runs on every search over every entry.
    best = np.full(len(snap.item_keys), -2.0, dtype=np.float32)
    np.maximum.at(best, snap.item_of_row, snap.matrix @ vector)
    return dict(zip(snap.item_keys, best.tolist(), strict=True))


def _fuse(
    lexical: dict[str, float], semantic: dict[str, float], params: RankingParams
) -> dict[str, float]:
    top = max(lexical.values(), default=0.0) or 1.0
    span = 1.0 - params.floor
    return {
        key: params.alpha * lexical.get(key, 0.0) / top
        + (1 - params.alpha) * max(0.0, similarity - params.floor) / span
        for key, similarity in semantic.items()
    }


def rank(*, query: str, language: str, params: RankingParams = DEFAULT_PARAMS) -> Ranking:
    """Every item the query finds, best first."""
    snap = snapshot()
    analysis = analyse(query, for_query=True)
    terms = analysis.terms + analysis.parts
    expansion_terms, expansions = glossary_expansion(analysis.terms)
    corrections = spelling_corrections(analysis.terms)
    terms = list(dict.fromkeys(terms + expansion_terms + corrections))
    if not terms and not query.strip():
        return Ranking([], {}, [], [], snap)
    lexical = _lexical(snap, terms, params.lexical_limit)
    vector = embed_one(" ".join([query, *expansions]))
    semantic = _semantic(snap, vector)
    fused = _fuse(lexical, semantic, params)

    feedback = sorted(fused, key=fused.__getitem__, reverse=True)[: params.feedback_items]
    feedback = [key for key in feedback if key in lexical or semantic[key] >= params.keep]
    if feedback and params.feedback_vector:
        rows = [row for key in feedback for row in snap.rows_of_key[key]]
        centroid = snap.matrix[rows].mean(axis=0)
        moved = vector + params.feedback_vector * centroid
        vector = moved / (np.linalg.norm(moved) or 1.0)
        semantic = _semantic(snap, vector)
    if feedback and params.feedback_lexical:
        other_titles = _other_language_titles(snap, feedback, query_language(query, language))
        if other_titles:
            again = _lexical(snap, other_titles, params.lexical_limit)
            top, top_again = max(lexical.values(), default=1.0), max(again.values(), default=1.0)
            lexical = {
                key: lexical.get(key, 0.0) / top
                + params.feedback_lexical * again.get(key, 0) / top_again
                for key in set(lexical) | set(again)
            }
    fused = _fuse(lexical, semantic, params)
    cutoff = params.min_share * max(fused.values(), default=0.0)
    found = [
        key
        for key in fused
        if (key in lexical or semantic[key] >= params.keep) and fused[key] >= cutoff
    ]
    found.sort(key=lambda key: (-fused[key], key))
    return Ranking(found, {key: fused[key] for key in found}, terms, expansions, snap)


def query_language(query: str, default: str) -> str:
    """The language a query is written in: Korean when it has Hangul, else English."""
    if _HANGUL.search(query):
        return "ko"
    return "en" if any(ch.isalpha() for ch in query) else default


def browse() -> Ranking:
    """Every item, newest first: what a filter chooses from when there is no query."""
    snap = snapshot()
    newest: dict[str, str] = {}
    for row, key in enumerate(snap.keys):
        newest[key] = max(newest.get(key, ""), snap.dates[row])
    keys = sorted(newest, key=lambda key: (newest[key], key), reverse=True)
    return Ranking(keys, dict.fromkeys(keys, 0.0), [], [], snap)


def _other_language_titles(snap: Snapshot, keys: list[str], language: str) -> list[str]:
    """Title terms of the items' versions in languages other than the query's."""
    entry_ids = [
        int(snap.entry_ids[row])
        for key in keys
        for row in snap.rows_of_key[key]
        if snap.languages[row] != language
    ]
    terms: list[str] = []
    for text in SearchEntry.objects.filter(pk__in=entry_ids).values_list("title_terms", flat=True):
        terms.extend(text.split())
    return list(dict.fromkeys(terms))
