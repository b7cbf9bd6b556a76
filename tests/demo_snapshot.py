"""The demo for tests that need it whole in a committed database (the browser tests).

Loading the demo costs 8-20 s; a suite of browser tests loading it for each test spent minutes
on it. The first test loads it and the database's rows are kept; each later test gets them
back in well under a second: SQLite copies its in-memory database page by page (the backup
API), PostgreSQL streams every table back with COPY and sets its sequences where they were.
The tests between flush the database as they always did (pytest-django's transactional_db),
so each starts from the demo exactly as loaded, on the same day, with the same keys.

Files the demo writes (its documents' DOCX) stay where the first load put them, under
MEDIA_ROOT, which the suite keeps for its whole run.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction

from kense.registry.demo import load_demo


@dataclass
class Snapshot:
    sqlite: sqlite3.Connection | None = None
    tables: dict[str, bytes] = field(default_factory=dict)
    sequences: list[tuple[str, int, bool]] = field(default_factory=list)


_taken: dict[str, Snapshot] = {}


def demo_loaded() -> None:
    """The demo in the test database: loaded the first time, put back every later time."""
    key = f"{connection.vendor}:{connection.settings_dict['NAME']}"
    snapshot = _taken.get(key)
    if snapshot is None:
        load_demo()
        _taken[key] = _take()
    else:
        _restore(snapshot)
    # Content types keep their keys in a cache; the flush before this test made new rows.
    ContentType.objects.clear_cache()


def _take() -> Snapshot:
    connection.ensure_connection()
    raw: Any = connection.connection
    if connection.vendor == "sqlite":
        copy = sqlite3.connect(":memory:", check_same_thread=False)
        raw.backup(copy)
        return Snapshot(sqlite=copy)
    snapshot = Snapshot()
    with raw.cursor() as cursor:
        for table in _tables():
            data = bytearray()
            with cursor.copy(f'COPY "{table}" TO STDOUT (FORMAT BINARY)') as rows:
                for chunk in rows:
                    data += chunk
            snapshot.tables[table] = bytes(data)
        cursor.execute(
            "SELECT sequencename, COALESCE(last_value, 1), last_value IS NOT NULL "
            "FROM pg_sequences WHERE schemaname = current_schema()"
        )
        snapshot.sequences = [(name, int(value), bool(called)) for name, value, called in cursor]
    return snapshot


def _restore(snapshot: Snapshot) -> None:
    connection.ensure_connection()
    raw: Any = connection.connection
    if snapshot.sqlite is not None:
        snapshot.sqlite.backup(raw)
        return
    with transaction.atomic(), raw.cursor() as cursor:
        tables = ", ".join(f'"{table}"' for table in snapshot.tables)
        cursor.execute(f"TRUNCATE {tables} CASCADE")
        for table, data in snapshot.tables.items():
            with cursor.copy(f'COPY "{table}" FROM STDIN (FORMAT BINARY)') as rows:
                rows.write(data)
        for name, value, called in snapshot.sequences:
            cursor.execute("SELECT setval(%s, %s, %s)", [f'"{name}"', value, called])


def _tables() -> list[str]:
    with connection.cursor() as cursor:
        return [
            table
            for table in connection.introspection.table_names(cursor)
            if table != "django_migrations"
        ]
