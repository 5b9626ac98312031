"""The interface of a full-text backend and the ranking both share."""

from __future__ import annotations

import math
from dataclasses import dataclass

# Column weights of the BM25 ranking: a word in the title counts three times one in the
# body, a word of the summary or a tag twice; parts of compounds and romanisation keys
# widen recall without outranking whole words.
FIELD_WEIGHTS: dict[str, float] = {"title": 3.0, "summary": 2.0, "body": 1.0, "parts": 0.5}
FIELDS = tuple(FIELD_WEIGHTS)
BM25_K1 = 1.2
BM25_B = 0.75


@dataclass(frozen=True)
class LexicalFields:
    """The analysed tokens of one entry, by column."""

    title: list[str]
    summary: list[str]
    body: list[str]
    parts: list[str]

    def length(self) -> int:
        return sum(len(getattr(self, name)) for name in FIELDS)


def bm25_idf(*, documents: int, matching: int) -> float:
    """BM25's inverse document frequency as SQLite's FTS5 computes it (floored above 0)."""
    idf = math.log((documents - matching + 0.5) / (matching + 0.5))
    return idf if idf > 0 else 1e-6


def bm25_term(*, idf: float, frequency: float, length: int, average_length: float) -> float:
    norm = 1 - BM25_B + BM25_B * length / (average_length or 1.0)
    return idf * frequency * (BM25_K1 + 1) / (frequency + BM25_K1 * norm)


@dataclass(frozen=True)
class CorpusStats:
    """What BM25 needs to know of the whole index: its size and its entries' mean length."""

    documents: int
    average_length: float


class IndexBackend:
    """Writes and reads the database's full-text structure for ``SearchEntry`` rows."""

    def upsert(self, *, entry_id: int, fields: LexicalFields) -> None:
        raise NotImplementedError

    def delete(self, *, entry_ids: list[int]) -> None:
        raise NotImplementedError

    def clear(self) -> None:
        raise NotImplementedError

    def refresh_statistics(self) -> None:
        """After a bulk write: bring the database's planner statistics of the structure
        up to date, where the database needs them and may not do it soon itself."""

    def match(
        self, *, terms: list[str], limit: int = 1000, stats: CorpusStats | None = None
    ) -> dict[int, float]:
        """BM25 scores (higher is better) of the entries matching any of ``terms``.

        ``stats``, when the caller knows them, spare a backend that computes BM25 itself
        a pass over the whole index.
        """
        raise NotImplementedError
