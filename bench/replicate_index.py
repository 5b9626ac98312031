"""A search index N times larger, made from a kept benchmark site, to measure search at a
size whose import takes longer than a working day allows here.

An import of 100,000 documents takes hours on this machine; the search's cost depends on
the index, not on the pages. This copies a site kept by ``bench/search_latency.py --site``
(its SQLite file, or its PostgreSQL database as a template) and repeats every search
entry ``--times`` times in the copy: each copy of an entry gets a new id and a new
translation key (so it is an item of its own), the same text, terms, embedding, sector,
year and page, and the same full-text rows (FTS5 on SQLite, postings on PostgreSQL). Only
the copy is changed, and the entries' one-per-page constraint is dropped there, since the
copies share their pages. Then the usual measurement runs on it:

    .venv/bin/python bench/replicate_index.py --site /tmp/sites/10000-sqlite \\
        --times 10 --out /tmp/sites/10000x10-sqlite
    .venv/bin/python bench/search_latency.py --site /tmp/sites/10000x10-sqlite --json

What this cannot show: the index of 100,000 different documents has more distinct terms
and more spread embeddings than ten copies of 10,000; each query's matching entries and
candidate neighbours are ten times as many, which is what costs time.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sqlite3
import sys
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ENTRIES = "portal_search_searchentry"
COLUMNS = (
    "language, kind, sector_id, date, year, url, title, summary, body, title_terms, "
    "summary_terms, body_terms, parts, length, embedding, updated_at, page_id"
)


def replicate_sqlite(source: Path, target: Path, times: int) -> int:
    shutil.copy(source / "db.sqlite3", target / "db.sqlite3")
    db = sqlite3.connect(target / "db.sqlite3")
    db.execute("PRAGMA journal_mode=OFF")
    db.execute("PRAGMA synchronous=OFF")
    # The same table without the one-entry-per-page constraint (SQLite cannot drop it).
    (create,) = db.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", [ENTRIES]
    ).fetchone()
    if '"page_id" integer NOT NULL UNIQUE' not in create:
        raise SystemExit(f"unexpected schema of {ENTRIES}: {create}")
    indexes = [
        sql
        for (sql,) in db.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? "
            "AND sql IS NOT NULL",
            [ENTRIES],
        )
    ]
    db.execute(f"ALTER TABLE {ENTRIES} RENAME TO old_entries")
    db.execute(create.replace('"page_id" integer NOT NULL UNIQUE', '"page_id" integer NOT NULL'))
    db.execute(f"INSERT INTO {ENTRIES} SELECT * FROM old_entries")
    db.execute("DROP TABLE old_entries")
    for sql in indexes:
        db.execute(sql)
    (top,) = db.execute(f"SELECT max(id) FROM {ENTRIES}").fetchone()
    rows = db.execute(f"SELECT id, translation_key FROM {ENTRIES} ORDER BY id").fetchall()
    for copy in range(1, times):
        offset = copy * top
        keys = [(entry_id + offset, _key(key, copy), entry_id) for entry_id, key in rows]
        db.executemany(
            f"INSERT INTO {ENTRIES} (id, translation_key, {COLUMNS}) "
            f"SELECT ?, ?, {COLUMNS} FROM {ENTRIES} WHERE id = ?",
            keys,
        )
        db.execute(
            "INSERT INTO portal_search_fts (rowid, title, summary, body, parts) "
            "SELECT rowid + ?, title, summary, body, parts FROM portal_search_fts "
            "WHERE rowid <= ?",
            [offset, top],
        )
    db.execute("UPDATE portal_search_indexstate SET version = version + 1")
    db.commit()
    (count,) = db.execute(f"SELECT count(*) FROM {ENTRIES}").fetchone()
    db.close()
    return count


def replicate_postgres(url: str, times: int) -> tuple[str, int]:
    import psycopg

    name = f"{urlsplit(url).path.lstrip('/')}_x{times}"
    admin = urlunsplit(urlsplit(url)._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        # A template must have no other connection.
        connection.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
            [urlsplit(url).path.lstrip("/")],
        )
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}" TEMPLATE "{urlsplit(url).path.lstrip("/")}"')
    target = urlunsplit(urlsplit(url)._replace(path=f"/{name}"))
    with psycopg.connect(target) as connection:
        (constraint,) = connection.execute(
            "SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass AND contype = 'u'",
            [ENTRIES],
        ).fetchone()
        connection.execute(f'ALTER TABLE {ENTRIES} DROP CONSTRAINT "{constraint}"')
        (top,) = connection.execute(f"SELECT max(id) FROM {ENTRIES}").fetchone()
        for copy in range(1, times):
            offset = copy * top
            connection.execute(
                f"INSERT INTO {ENTRIES} (id, translation_key, {COLUMNS}) "
                f"SELECT id + %s, md5(translation_key::text || %s)::uuid, {COLUMNS} "
                f"FROM {ENTRIES} WHERE id <= %s",
                [offset, str(copy), top],
            )
            connection.execute(
                "INSERT INTO portal_search_posting (term, entry_id, frequency, length) "
                "SELECT term, entry_id + %s, frequency, length FROM portal_search_posting "
                "WHERE entry_id <= %s",
                [offset, top],
            )
        connection.execute(
            f"SELECT setval(pg_get_serial_sequence('{ENTRIES}', 'id'), "
            f"(SELECT max(id) FROM {ENTRIES}))"
        )
        connection.execute("UPDATE portal_search_indexstate SET version = version + 1")
        (count,) = connection.execute(f"SELECT count(*) FROM {ENTRIES}").fetchone()
        connection.commit()
    with psycopg.connect(target, autocommit=True) as connection:
        connection.execute("VACUUM ANALYZE")
    return target, count


def _key(key: str, copy: int) -> str:
    """SQLite stores a UUID as 32 hex digits."""
    return uuid.uuid5(uuid.UUID(key), str(copy)).hex


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, required=True, help="a site kept by --site")
    parser.add_argument("--times", type=int, default=10)
    parser.add_argument("--out", type=Path, required=True, help="where the copy is kept")
    args = parser.parse_args()

    state = json.loads((args.site / "site.json").read_text())
    args.out.mkdir(parents=True, exist_ok=False)
    if state.get("database_url"):
        state["database_url"], count = replicate_postgres(state["database_url"], args.times)
    else:
        count = replicate_sqlite(args.site, args.out, args.times)
    state["replicated"] = {"from": str(args.site), "times": args.times}
    (args.out / "site.json").write_text(json.dumps(state))
    print(f"{count:,} entries in {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
