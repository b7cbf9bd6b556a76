"""The word index of the search box on SQLite: an FTS5 table beside each searched table.

The search asks whether each word of a query, or one of its stems, begins a word of a row's
`search_text` (kense.core.selectors). PostgreSQL answers `LIKE '% word%'` from a trigram index
(migration home.0001). SQLite has no such index and would read every row; here each table of a
`Searchable` model gets an FTS5 table of its search_text words, `<table>_words`, kept by
triggers on insert, update and delete, so the same question is a prefix query of the index
(`"word"*`), read from a B-tree whatever the size of the table.

FTS5's `unicode61` tokenizer splits on what is not a letter or a digit, as `search_terms` does,
so the index holds exactly the words of search_text (already folded: no case, no diacritics).

The tables and triggers are made after every `migrate` (the `post_migrate` signal, as Django
makes content types), not by a migration: Django's SQLite schema editor rebuilds a table to
alter it, and the rebuilt table has lost its triggers. Whenever a searched table is missing
its triggers, they are made again and its index is refilled from the table, so the index
cannot be left behind by a migration.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.db import connections
from django.db.models import Model

#: The three triggers that keep an index; their names end with these.
_TRIGGERS = ("insert", "update", "delete")


def searched_models() -> list[type[Model]]:
    """Every concrete model with a search_text (kense.core.models.Searchable)."""
    from kense.core.models import Searchable

    return [
        model
        for model in apps.get_models()
        if issubclass(model, Searchable) and not model._meta.proxy and model._meta.managed
    ]


def index_table(model: type[Model]) -> str:
    return f"{model._meta.db_table}_words"


def match_expression(alternatives: list[tuple[str, ...]]) -> str:
    """An FTS5 query: for each tuple, one of its beginnings begins a word
    (`("a"* OR "b"*) AND ("c"*)`). The beginnings are folded words (letters and digits);
    a quote is doubled all the same."""
    return " AND ".join(
        "(" + " OR ".join('"' + part.replace('"', '""') + '"*' for part in parts) + ")"
        for parts in alternatives
    )


def _statements(model: type[Model]) -> list[str]:
    table, index, key = model._meta.db_table, index_table(model), model._meta.pk.column
    remove = f'DELETE FROM "{index}" WHERE rowid = old."{key}";'
    add = f'INSERT INTO "{index}" (rowid, words) VALUES (new."{key}", new."search_text");'
    return [
        f'CREATE VIRTUAL TABLE IF NOT EXISTS "{index}" '
        "USING fts5(words, tokenize = 'unicode61 remove_diacritics 0', prefix = '2 3')",
        f'CREATE TRIGGER IF NOT EXISTS "{index}_insert" AFTER INSERT ON "{table}" BEGIN {add} END',
        f'CREATE TRIGGER IF NOT EXISTS "{index}_update" AFTER UPDATE OF "search_text" '
        f'ON "{table}" BEGIN {remove} {add} END',
        f'CREATE TRIGGER IF NOT EXISTS "{index}_delete" AFTER DELETE ON "{table}" '
        f"BEGIN {remove} END",
        f'DELETE FROM "{index}"',
        f'INSERT INTO "{index}" (rowid, words) SELECT "{key}", "search_text" FROM "{table}"',
    ]


def ensure_indexes(using: str = "default", **kwargs: Any) -> list[str]:
    """Make (or mend) the index of every searched table on an SQLite database; the tables
    whose index was (re)made. Nothing on another database."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        return []
    made = []
    existing = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        triggers = {row[0] for row in cursor.fetchall()}
        for model in searched_models():
            if model._meta.db_table not in existing:
                continue
            index = index_table(model)
            if all(f"{index}_{name}" in triggers for name in _TRIGGERS) and index in existing:
                continue
            for statement in _statements(model):
                cursor.execute(statement)
            made.append(model._meta.db_table)
    return made
