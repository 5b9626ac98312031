"""The database's own full-text structure: an FTS5 table on SQLite, a tsvector on PostgreSQL."""

from django.db import migrations


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        from portal.search.backends.sqlite import CREATE_SQL

        schema_editor.execute(CREATE_SQL)
    elif vendor == "postgresql":
        from portal.search.backends.postgres import ADD_SQL

        for statement in ADD_SQL:
            schema_editor.execute(statement)


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        from portal.search.backends.sqlite import DROP_SQL

        schema_editor.execute(DROP_SQL)
    elif vendor == "postgresql":
        from portal.search.backends.postgres import DROP_SQL

        for statement in DROP_SQL:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("portal_search", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
