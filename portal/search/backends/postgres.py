"""PostgreSQL: a weighted ``tsvector`` column with a GIN index, ranked by BM25.

The vector is written from the analysed tokens directly (no text search configuration
re-parses them), each column with its own weight letter. PostgreSQL's ``ts_rank`` knows
no document frequencies, so the ranking is BM25 computed from the matching rows' term
frequencies, the same formula as SQLite's FTS5.
"""

from __future__ import annotations

from collections import defaultdict

from django.db import connection

from portal.search.backends.base import (
    FIELD_WEIGHTS,
    FIELDS,
    CorpusStats,
    IndexBackend,
    LexicalFields,
    bm25_idf,
    bm25_term,
)

TABLE = "portal_search_searchentry"
# tsvector weight letters by column, from the most to the least important.
LETTERS = dict(zip(FIELDS, "ABCD", strict=True))
WEIGHT_OF_LETTER = {LETTERS[name]: weight for name, weight in FIELD_WEIGHTS.items()}
MAX_POSITION = 16383  # PostgreSQL's limit

ADD_SQL = [
    f"ALTER TABLE {TABLE} ADD COLUMN IF NOT EXISTS lexemes tsvector",
    f"CREATE INDEX IF NOT EXISTS portal_search_lexemes_gin ON {TABLE} USING gin (lexemes)",
]
DROP_SQL = [
    "DROP INDEX IF EXISTS portal_search_lexemes_gin",
    f"ALTER TABLE {TABLE} DROP COLUMN IF EXISTS lexemes",
]


def lexeme(term: str) -> str:
    """A token as a quoted tsvector/tsquery lexeme."""
    return "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"


def tsvector_literal(fields: LexicalFields) -> str:
    positions: dict[str, list[str]] = defaultdict(list)
    position = 0
    for name in FIELDS:
        for term in getattr(fields, name):
            position = min(position + 1, MAX_POSITION)
            if len(positions[term]) < 255:
                positions[term].append(f"{position}{LETTERS[name]}")
    return " ".join(f"{lexeme(term)}:{','.join(marks)}" for term, marks in positions.items())


class PostgresBackend(IndexBackend):
    def upsert(self, *, entry_id: int, fields: LexicalFields) -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {TABLE} SET lexemes = %s::tsvector WHERE id = %s",
                [tsvector_literal(fields), entry_id],
            )

    def delete(self, *, entry_ids: list[int]) -> None:
        # The vector lives on the entry's row and goes with it.
        return None

    def clear(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"UPDATE {TABLE} SET lexemes = NULL")

    def match(
        self, *, terms: list[str], limit: int = 1000, stats: CorpusStats | None = None
    ) -> dict[int, float]:
        unique = list(dict.fromkeys(term for term in terms if term))
        if not unique:
            return {}
        query = " | ".join(lexeme(term) for term in unique)
        with connection.cursor() as cursor:
            cursor.execute(
                f"""
                SELECT e.id, e.length, u.lexeme, u.weights
                FROM {TABLE} e, unnest(e.lexemes) u
                WHERE e.lexemes @@ %s::tsquery AND u.lexeme = ANY(%s)
                """,
                [query, unique],
            )
            rows = cursor.fetchall()
            if not rows:
                return {}
            if stats is None:
                cursor.execute(
                    f"SELECT count(*), coalesce(avg(length), 0) FROM {TABLE} "
                    "WHERE lexemes IS NOT NULL"
                )
                documents, average = cursor.fetchone()
                stats = CorpusStats(documents=documents, average_length=float(average))
        documents, average = stats.documents, stats.average_length
        matching: dict[str, int] = defaultdict(int)
        for row in rows:
            matching[row[2]] += 1
        scores: dict[int, float] = defaultdict(float)
        for entry_id, length, term, weights in rows:
            frequency = sum(WEIGHT_OF_LETTER[letter] for letter in weights)
            idf = bm25_idf(documents=documents, matching=matching[term])
            scores[entry_id] += bm25_term(
                idf=idf, frequency=frequency, length=length, average_length=average
            )
        best = sorted(scores.items(), key=lambda item: item[1], reverse=True)[:limit]
        return dict(best)
