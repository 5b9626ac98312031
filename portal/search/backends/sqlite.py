"""SQLite: an FTS5 table beside the entries, ranked by FTS5's own ``bm25()``."""

from __future__ import annotations

from django.db import connection

from portal.search.backends.base import (
    FIELD_WEIGHTS,
    FIELDS,
    CorpusStats,
    IndexBackend,
    LexicalFields,
)

TABLE = "portal_search_fts"

CREATE_SQL = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {TABLE} USING fts5("
    + ", ".join(FIELDS)
    + ", tokenize = 'unicode61 remove_diacritics 0')"
)
DROP_SQL = f"DROP TABLE IF EXISTS {TABLE}"


def quote_term(term: str) -> str:
    """One token as an FTS5 string: whatever it holds, never read as query syntax."""
    return '"' + term.replace('"', '""') + '"'


class SqliteBackend(IndexBackend):
    def upsert(self, *, entry_id: int, fields: LexicalFields) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {TABLE} WHERE rowid = %s", [entry_id])
            cursor.execute(
                f"INSERT INTO {TABLE} (rowid, {', '.join(FIELDS)}) VALUES (%s, %s, %s, %s, %s)",
                [entry_id, *(" ".join(getattr(fields, name)) for name in FIELDS)],
            )

    def delete(self, *, entry_ids: list[int]) -> None:
        if not entry_ids:
            return
        marks = ", ".join(["%s"] * len(entry_ids))
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {TABLE} WHERE rowid IN ({marks})", entry_ids)

    def clear(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {TABLE}")

    def match(
        self, *, terms: list[str], limit: int = 1000, stats: CorpusStats | None = None
    ) -> dict[int, float]:
        # FTS5 keeps its own statistics.
        unique = list(dict.fromkeys(term for term in terms if term))
        if not unique:
            return {}
        expression = " OR ".join(quote_term(term) for term in unique)
        weights = ", ".join(str(FIELD_WEIGHTS[name]) for name in FIELDS)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT rowid, bm25({TABLE}, {weights}) AS rank FROM {TABLE} "
                f"WHERE {TABLE} MATCH %s ORDER BY rank LIMIT %s",
                [expression, limit],
            )
            return {row[0]: -row[1] for row in cursor.fetchall()}
