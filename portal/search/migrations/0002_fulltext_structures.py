"""The database's own full-text structure: an FTS5 table on SQLite, a tsvector on PostgreSQL."""

from django.db import migrations

# The PostgreSQL structure of this step, written out: the backend has since moved to a
# postings table (0004), and this step must create what 0004 expects to find.
POSTGRES_ADD_SQL = [
    "ALTER TABLE portal_search_searchentry ADD COLUMN IF NOT EXISTS lexemes tsvector",
    "CREATE INDEX IF NOT EXISTS portal_search_lexemes_gin "
    "ON portal_search_searchentry USING gin (lexemes)",
]
POSTGRES_DROP_SQL = [
    "DROP INDEX IF EXISTS portal_search_lexemes_gin",
    "ALTER TABLE portal_search_searchentry DROP COLUMN IF EXISTS lexemes",
]


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        from portal.search.backends.sqlite import CREATE_SQL

        schema_editor.execute(CREATE_SQL)
    elif vendor == "postgresql":
        for statement in POSTGRES_ADD_SQL:
            schema_editor.execute(statement)


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        from portal.search.backends.sqlite import DROP_SQL

        schema_editor.execute(DROP_SQL)
    elif vendor == "postgresql":
        for statement in POSTGRES_DROP_SQL:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("portal_search", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
