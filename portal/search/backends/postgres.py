"""PostgreSQL: a postings table, one row per entry and term, ranked by BM25.

Each row holds the term's frequency in the entry, weighted by column (see
``term_frequencies``), and the entry's length, under a primary key that starts with the
term: a query reads the postings of its own terms and nothing else, in key order, and
PostgreSQL sums BM25 over them and keeps the best entries in the same statement. The
weighted ``tsvector`` column this table replaced had to unnest the whole vector of every
row that matched any term, which grew with the size of the pages as well as their number.

The ranking is BM25 computed from the postings (PostgreSQL's own ``ts_rank`` knows no
document frequencies), the same formula as SQLite's FTS5.
"""

from __future__ import annotations

from django.db import connection

from portal.search.backends.base import (
    BM25_B,
    BM25_K1,
    FIELD_WEIGHTS,
    FIELDS,
    CorpusStats,
    IndexBackend,
    LexicalFields,
)

ENTRIES = "portal_search_searchentry"
TABLE = "portal_search_posting"
# The frequencies are those of the weighted tsvector the postings replaced, so that no
# score changed with them: a tsvector keeps at most 255 positions of a lexeme, and every
# position past 16,383 is 16,383, which it keeps once (with the first, and so heaviest,
# column's weight: the columns come in the order of their weights).
MAX_OCCURRENCES = 255
MAX_POSITION = 16383
# Longer terms are left out: a tsvector refused them (the page could not be indexed at
# all) and a B-tree key holds about 2,700 bytes. No query term comes near (queries are cut
# to 200 characters).
MAX_TERM_BYTES = 2046

# The table (created by migration 0004):
#
#     term text COLLATE "C", entry_id bigint, frequency real, length integer,
#     PRIMARY KEY (term, entry_id) INCLUDE (frequency, length), an index on entry_id
#
# Keyed by term first, so that the postings of a term are one range of the index, with
# frequency and length in the index too: a search reads the index alone (once vacuum has
# marked the pages all-visible). "C" collation: terms are only ever compared for equality,
# and bytewise comparison is the cheapest. The index on entry_id serves deletions.
#
# No foreign key to the entries: Django's ``flush`` (run between transactional tests)
# truncates the entries' table, which PostgreSQL refuses while another table references
# it. The post_delete signal of every entry calls ``delete`` instead, as it does for
# SQLite's FTS table.

# One statement: for each query term, its document frequency and IDF (BM25's, floored
# above 0 as ``bm25_idf`` does: a ratio of 1 or less is an IDF of 0 or less), then BM25
# summed over the postings of the terms, the best ``limit`` entries first, ties in entry
# order. The arithmetic is ``bm25_idf``'s and ``bm25_term``'s, operation for operation, in
# double precision, so that the scores are Python's to the last bit or two.
#
# Term by term, each term's count and postings read from its range of the primary key,
# whatever the planner believes. Two plans it preferred read the whole table instead: one
# GROUP BY over all the terms, whose number of groups it guessed in thousands (0.3 s
# instead of 6 ms at 17,000 entries), and, on a table without statistics yet (filled
# since its last ANALYZE), a hash join of the terms with a sequential scan (30 ms instead
# of 2 at 1,700 entries). LATERAL subqueries that it cannot merge into the join (an
# aggregate; OFFSET 0) leave it only the per-term scans.
MATCH_SQL = f"""
    SELECT p.entry_id,
           sum(
               idf.idf * p.frequency * %(k1_plus_1)s::float8
               / (
                   p.frequency
                   + %(k1)s::float8
                     * (%(one_minus_b)s::float8 + %(b)s::float8 * p.length / %(average)s::float8)
               )
           ) AS score
    FROM unnest(%(terms)s::text[]) AS query(term)
    CROSS JOIN LATERAL (
        SELECT CASE WHEN ratio > 1 THEN ln(ratio) ELSE 1e-6::float8 END AS idf
        FROM (
            SELECT (%(documents)s::float8 - count(*) + 0.5::float8) / (count(*) + 0.5::float8)
                   AS ratio
            FROM {TABLE}
            WHERE term = query.term
        ) matching
    ) idf
    CROSS JOIN LATERAL (
        SELECT entry_id, frequency, length FROM {TABLE} WHERE term = query.term OFFSET 0
    ) p
    GROUP BY p.entry_id
    ORDER BY score DESC, p.entry_id
    LIMIT %(limit)s
"""


def term_frequencies(fields: LexicalFields, *, capped: bool = True) -> dict[str, float]:
    """Each term of the entry with the sum of its occurrences' column weights.

    ``capped``: as this table counts them (a tsvector's limits, above); not capped: as
    SQLite's FTS5 counts them, every occurrence.
    """
    frequencies: dict[str, float] = {}
    if not capped:
        for name in FIELDS:
            weight = FIELD_WEIGHTS[name]
            for term in getattr(fields, name):
                frequencies[term] = frequencies.get(term, 0.0) + weight
        frequencies.pop("", None)
        return frequencies
    occurrences: dict[str, int] = {}
    at_last_position: set[str] = set()
    position = 0
    for name in FIELDS:
        weight = FIELD_WEIGHTS[name]
        for term in getattr(fields, name):
            position = min(position + 1, MAX_POSITION)
            if occurrences.get(term, 0) >= MAX_OCCURRENCES:
                continue
            occurrences[term] = occurrences.get(term, 0) + 1
            if position == MAX_POSITION:
                if term in at_last_position:
                    continue
                at_last_position.add(term)
            frequencies[term] = frequencies.get(term, 0.0) + weight
    return {
        term: frequency
        for term, frequency in frequencies.items()
        if term and len(term.encode()) <= MAX_TERM_BYTES
    }


class PostgresBackend(IndexBackend):
    def upsert(self, *, entry_id: int, fields: LexicalFields) -> None:
        frequencies = term_frequencies(fields)
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {TABLE} WHERE entry_id = %s", [entry_id])
            if not frequencies:
                return
            # One statement for all the entry's terms, whatever their number.
            cursor.execute(
                f"INSERT INTO {TABLE} (term, entry_id, frequency, length) "
                "SELECT term, %s, frequency, %s "
                "FROM unnest(%s::text[], %s::real[]) AS posting(term, frequency)",
                [entry_id, fields.length(), list(frequencies), list(frequencies.values())],
            )

    def delete(self, *, entry_ids: list[int]) -> None:
        if not entry_ids:
            return
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {TABLE} WHERE entry_id = ANY(%s)", [list(entry_ids)])

    def clear(self) -> None:
        # DELETE rather than TRUNCATE: searches go on reading the old postings until the
        # rebuild's transaction commits, instead of waiting for its lock.
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {TABLE}")

    def refresh_statistics(self) -> None:
        # Without statistics (autovacuum off, or not yet come by after an import of
        # millions of postings) the planner overestimates every term's postings and
        # switches on JIT compilation: p95 189 ms instead of 17 at 16,741 entries.
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {TABLE}")

    def match(
        self, *, terms: list[str], limit: int = 1000, stats: CorpusStats | None = None
    ) -> dict[int, float]:
        unique = list(dict.fromkeys(term for term in terms if term))
        if not unique:
            return {}
        with connection.cursor() as cursor:
            if stats is None:
                cursor.execute(f"SELECT count(*), coalesce(avg(length), 0) FROM {ENTRIES}")
                documents, average = cursor.fetchone()
                stats = CorpusStats(documents=documents, average_length=float(average))
            cursor.execute(
                MATCH_SQL,
                {
                    "terms": unique,
                    "documents": float(stats.documents),
                    "average": stats.average_length or 1.0,
                    "k1": BM25_K1,
                    "k1_plus_1": BM25_K1 + 1,
                    "b": BM25_B,
                    "one_minus_b": 1 - BM25_B,
                    "limit": limit,
                },
            )
            return {entry_id: score for entry_id, score in cursor.fetchall()}
