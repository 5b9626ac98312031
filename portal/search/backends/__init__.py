"""Full-text backends of the search index, one per database engine.

Both rank with BM25 over four weighted columns (title, summary with tags, body, parts of
compound words and romanisation keys) and answer the same calls, so the engine above
never asks which database it runs on.
"""

from __future__ import annotations

from django.db import connection

from portal.search.backends.base import FIELD_WEIGHTS, CorpusStats, IndexBackend, LexicalFields


def get_backend() -> IndexBackend:
    """The backend of the database in use."""
    if connection.vendor == "postgresql":
        from portal.search.backends.postgres import PostgresBackend

        return PostgresBackend()
    from portal.search.backends.sqlite import SqliteBackend

    return SqliteBackend()


__all__ = ["FIELD_WEIGHTS", "CorpusStats", "IndexBackend", "LexicalFields", "get_backend"]
