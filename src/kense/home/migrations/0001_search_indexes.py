"""Trigram indexes for the one search box (kense.home.selectors.search), on PostgreSQL.

The search asks `search_text LIKE '% word%'` of every kind it searches (kense.core.selectors);
a B-tree cannot answer a pattern that does not start the column, a trigram GIN index can
(pg_trgm), so a search of a million events reads the index, not the table. On SQLite the
search asks an FTS5 index instead, made after every migrate (kense.core.search_index).

The indexes are here, not in the models' Meta, because they exist on PostgreSQL only, and
because the search that needs them is this app's: one migration names every searched table.
"""

from django.db import migrations

# (app, model) of every kind the search box searches.
SEARCHED = [
    ("registry", "Territory"),
    ("registry", "Organization"),
    ("registry", "Person"),
    ("programs", "Program"),
    ("programs", "Project"),
    ("meetings", "Meeting"),
    ("meetings", "AgendaItem"),
    ("assignments", "Assignment"),
    ("events", "Event"),
    ("documents", "Document"),
    ("ideas", "Idea"),
    ("media", "Publication"),
]


def _tables(apps):  # type: ignore[no-untyped-def]
    return [apps.get_model(app, model)._meta.db_table for app, model in SEARCHED]


def create_indexes(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for table in _tables(apps):
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{table}_search_trgm" '
            f'ON "{table}" USING gin ("search_text" gin_trgm_ops)'
        )


def drop_indexes(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in _tables(apps):
        schema_editor.execute(f'DROP INDEX IF EXISTS "{table}_search_trgm"')


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0001_initial"),
        ("programs", "0001_initial"),
        ("meetings", "0006_agendaitem_search_text"),
        ("assignments", "0001_initial"),
        ("events", "0001_initial"),
        ("documents", "0001_initial"),
        ("ideas", "0001_initial"),
        ("media", "0003_publication_search_text"),
    ]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
