"""The demo for tests that need it whole in a committed database (the browser tests).

Loading the demo costs 8-20 s; a suite of browser tests loading it for each test spent minutes
on it. The first test loads it and the database's rows are kept; each later test gets them
back in well under a second: SQLite copies its in-memory database page by page (the backup
API), PostgreSQL streams every table back with COPY and sets its sequences where they were.
The tests between flush the database as they always did (pytest-django's transactional_db),
so each starts from the demo exactly as loaded, on the same day, with the same keys.

Files the demo writes (its documents' DOCX) stay where the first load put them, under
MEDIA_ROOT, which the suite keeps for its whole run.

Tests that read the demo inside a transaction rolled back after them (a class's or a module's
block, or the test's own) call `demo_in_transaction()`: the demo is loaded in it the first
time, its rows are read back before the rollback, and every later time they are put back in
the transaction instead of loading again (a load costs 25-60 s in CI; four modules loaded it).
Those tests must not read the demo's files: a later one gets the rows, not the files.
"""

from __future__ import annotations

import datetime
import sqlite3
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone

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


@dataclass
class Rows:
    """The demo's rows, read inside the transaction that loaded it, and what the load said."""

    result: Any
    day: datetime.date
    sqlite: dict[str, tuple[list[str], list[tuple[Any, ...]]]] = field(default_factory=dict)
    postgresql: Snapshot | None = None


_rows: dict[str, Rows] = {}


def demo_in_transaction() -> Any:
    """The demo in the current transaction, which is rolled back after its tests; returns what
    load_demo answered the first time. Loaded the first time in the run (and on each new day:
    the demo's current year follows the day), its rows put back every later time."""
    assert connection.in_atomic_block, "the demo's rows are put back inside a transaction"
    key = f"{connection.vendor}:{connection.settings_dict['NAME']}"
    today = timezone.localdate()
    rows = _rows.get(key)
    if rows is None or rows.day != today:
        result = load_demo()
        rows = _rows[key] = Rows(result=result, day=today)
        if connection.vendor == "sqlite":
            rows.sqlite = _read_sqlite_rows()
        else:
            rows.postgresql = _take()
    elif rows.postgresql is not None:
        _restore(rows.postgresql)
    else:
        _write_sqlite_rows(rows.sqlite)
    ContentType.objects.clear_cache()
    return rows.result


def _read_sqlite_rows() -> dict[str, tuple[list[str], list[tuple[Any, ...]]]]:
    """Each table's rows, but for the full-text tables (FTS5: the search words) and their own
    index tables: triggers on the tables they index write them as the rows are put back."""
    tables: dict[str, tuple[list[str], list[tuple[Any, ...]]]] = {}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL%'"
        )
        virtual = [name for (name,) in cursor.fetchall()]
        for table in _tables():
            if table in virtual or any(table.startswith(f"{name}_") for name in virtual):
                continue
            cursor.execute(f'SELECT * FROM "{table}"')
            columns = [column[0] for column in cursor.description]
            tables[table] = (columns, [tuple(row) for row in cursor.fetchall()])
    return tables


def _write_sqlite_rows(tables: dict[str, tuple[list[str], list[tuple[Any, ...]]]]) -> None:
    # Foreign keys are checked when the transaction ends (Django makes them deferrable), so
    # the tables are emptied and filled in any order.
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f'DELETE FROM "{table}"')
        for table, (columns, values) in tables.items():
            if values:
                names = ", ".join(f'"{column}"' for column in columns)
                marks = ", ".join(["%s"] * len(columns))
                cursor.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', values)


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
