"""PostgreSQL: a postings table (entry, term, weighted frequency) instead of the tsvector.

Filled from the vectors of the entries already indexed, so that an installation keeps
its index without a rebuild; the SQL is written out here rather than imported, so that
this step stays what it was whatever the backend becomes.
"""

from itertools import groupby

from django.db import migrations

ENTRIES = "portal_search_searchentry"
POSTINGS = "portal_search_posting"

CREATE_SQL = f"""
    CREATE TABLE {POSTINGS} (
        term text COLLATE "C" NOT NULL,
        entry_id bigint NOT NULL,
        frequency real NOT NULL,
        length integer NOT NULL
    )
"""
# A lexeme's frequency is the sum of its positions' weights (A title 3, B summary 2,
# C body 1, D parts 0.5): what the backend computed from the vector at every search.
FILL_SQL = f"""
    INSERT INTO {POSTINGS} (term, entry_id, frequency, length)
    SELECT lexeme.lexeme, entry.id,
           (SELECT coalesce(sum(CASE weight WHEN 'A' THEN 3 WHEN 'B' THEN 2
                                            WHEN 'C' THEN 1 ELSE 0.5 END), 0)
            FROM unnest(lexeme.weights) AS weight),
           entry.length
    FROM {ENTRIES} entry, unnest(entry.lexemes) AS lexeme
    WHERE entry.lexemes IS NOT NULL
"""
# The keys once the table is filled: building an index at once is faster than growing it.
INDEX_SQL = [
    f"ALTER TABLE {POSTINGS} ADD CONSTRAINT {POSTINGS}_pkey "
    "PRIMARY KEY (term, entry_id) INCLUDE (frequency, length)",
    f"CREATE INDEX {POSTINGS}_entry ON {POSTINGS} (entry_id)",
    # Statistics at once, for the planner not to guess the size of the table it just got.
    f"ANALYZE {POSTINGS}",
]
DROP_VECTOR_SQL = [
    "DROP INDEX IF EXISTS portal_search_lexemes_gin",
    f"ALTER TABLE {ENTRIES} DROP COLUMN IF EXISTS lexemes",
]
ADD_VECTOR_SQL = [
    f"ALTER TABLE {ENTRIES} ADD COLUMN IF NOT EXISTS lexemes tsvector",
    f"CREATE INDEX IF NOT EXISTS portal_search_lexemes_gin ON {ENTRIES} USING gin (lexemes)",
]
DROP_POSTINGS_SQL = f"DROP TABLE IF EXISTS {POSTINGS}"


def to_postings(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(CREATE_SQL)
    schema_editor.execute(FILL_SQL)
    for statement in INDEX_SQL + DROP_VECTOR_SQL:
        schema_editor.execute(statement)


def _marks(frequency: float) -> list[str]:
    """Weight letters whose weights sum to ``frequency``, the heaviest first: the
    positions are gone, but BM25 only ever read the sum of their weights."""
    letters = ["A"] * int(frequency // 3)
    rest = frequency - 3 * len(letters)
    for letter, weight in (("B", 2.0), ("C", 1.0), ("D", 0.5)):
        if rest >= weight:
            letters.append(letter)
            rest -= weight
    return [f"{position}{letter}" for position, letter in enumerate(letters, start=1)]


def _vector_entry(term: str, frequency: float) -> str:
    """One lexeme of a tsvector literal, quoted, with its positions."""
    quoted = "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"
    marks = _marks(frequency)
    return f"{quoted}:{','.join(marks)}" if marks else quoted


def to_vectors(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in ADD_VECTOR_SQL:
        schema_editor.execute(statement)
    with schema_editor.connection.cursor() as cursor:
        # Every entry had a vector, if only an empty one.
        cursor.execute(f"UPDATE {ENTRIES} SET lexemes = ''::tsvector")
        cursor.execute(f"SELECT entry_id, term, frequency FROM {POSTINGS} ORDER BY entry_id")
        vectors = [
            (
                " ".join(_vector_entry(term, frequency) for _, term, frequency in rows),
                entry_id,
            )
            for entry_id, rows in groupby(cursor.fetchall(), key=lambda row: row[0])
        ]
        cursor.executemany(f"UPDATE {ENTRIES} SET lexemes = %s::tsvector WHERE id = %s", vectors)
    schema_editor.execute(DROP_POSTINGS_SQL)


class Migration(migrations.Migration):
    dependencies = [("portal_search", "0003_spelling_terms")]

    operations = [migrations.RunPython(to_postings, to_vectors)]
