"""Backup and restore: the database and the stored files together, in one folder.

A backup folder holds `database.dump` (PostgreSQL, pg_dump's custom format) or
`database.sqlite3` (SQLite, a consistent copy made by SQLite's online backup), `media.tar.gz`
(every uploaded file under MEDIA_ROOT) and `manifest.json` (what the folder is, from which
database, and the last migration of each app). Both are taken while Kense runs: pg_dump reads
one snapshot, SQLite's backup copies a consistent state; files uploaded during the backup may
be missing from it, never half-written into the database.

Restore replaces the whole database and the stored files with the backup's, history included,
without adding anything of its own (`dumpdata`/`loaddata` is not a backup: it leaves out the
migration state and the stored files).
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

FORMAT = 1
MANIFEST = "manifest.json"
MEDIA = "media.tar.gz"


class BackupError(Exception):
    """A backup or restore that cannot be done, said in a sentence for the operator."""


def _database_file(vendor: str) -> str:
    return "database.dump" if vendor == "postgresql" else "database.sqlite3"


def _postgres(program: str, *arguments: str) -> None:
    database = connection.settings_dict
    command = [program, "--no-owner", "--no-privileges", "--dbname", database["NAME"]]
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if database.get(key):
            command += [option, str(database[key])]
    environment = {**os.environ}
    if database.get("PASSWORD"):
        environment["PGPASSWORD"] = str(database["PASSWORD"])
    result = subprocess.run(
        [*command, *arguments], env=environment, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BackupError(f"{program} failed: {result.stderr.strip()}")


def _sqlite() -> sqlite3.Connection:
    connection.ensure_connection()
    raw = connection.connection
    if not isinstance(raw, sqlite3.Connection):
        raise BackupError("The database connection is not SQLite's.")
    return raw


def backup(target: Path) -> Path:
    """Write a new backup folder under `target`; return it."""
    vendor = connection.vendor
    if vendor not in ("postgresql", "sqlite"):
        raise BackupError(f"Backups of {vendor} databases are not supported.")
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S-%f")
    folder = Path(target) / f"kense-{stamp}"
    folder.mkdir(parents=True)
    database = folder / _database_file(vendor)
    if vendor == "postgresql":
        _postgres("pg_dump", "--format=custom", "--file", str(database))
    else:
        copy = sqlite3.connect(database)
        try:
            _sqlite().backup(copy)
        finally:
            copy.close()
    media = Path(settings.MEDIA_ROOT)
    with tarfile.open(folder / MEDIA, "w:gz") as archive:
        if media.exists():
            archive.add(media, arcname="media")
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "vendor": vendor,
        "created": timezone.now().isoformat(),
        "migrations": _latest_migrations(),
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return folder


def _latest_migrations() -> dict[str, str]:
    latest: dict[str, str] = {}
    for app, name in MigrationRecorder.Migration.objects.order_by("app", "name").values_list(
        "app", "name"
    ):
        latest[app] = name
    return latest


def read_manifest(folder: Path) -> dict[str, Any]:
    try:
        manifest: dict[str, Any] = json.loads((Path(folder) / MANIFEST).read_text("utf-8"))
    except (OSError, ValueError) as error:
        raise BackupError(f"{folder} is not a Kense backup folder: {error}") from error
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{folder} is a backup of another format ({manifest.get('format')}).")
    return manifest


def restore(folder: Path) -> None:
    """Replace the database and the stored files by the backup's in `folder`."""
    folder = Path(folder)
    manifest = read_manifest(folder)
    vendor = connection.vendor
    if manifest["vendor"] != vendor:
        raise BackupError(
            f"The backup is of a {manifest['vendor']} database; this Kense uses {vendor}."
        )
    database = folder / _database_file(vendor)
    if not database.exists() or not (folder / MEDIA).exists():
        raise BackupError(f"{folder} misses {database.name} or {MEDIA}.")
    if vendor == "postgresql":
        connection.close()
        _postgres("pg_restore", "--clean", "--if-exists", "--single-transaction", str(database))
    else:
        source = sqlite3.connect(database)
        try:
            source.backup(_sqlite())
        finally:
            source.close()
    _restore_media(folder / MEDIA)


def _restore_media(archive_path: Path) -> None:
    media = Path(settings.MEDIA_ROOT)
    staging = media.with_name(f"{media.name}.restoring")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    with tarfile.open(archive_path, "r:gz") as archive:
        archive.extractall(staging, filter="data")  # no paths outside, no devices, no links out
    restored = staging / "media"
    # Only once the archive is read whole are the current files replaced.
    shutil.rmtree(media, ignore_errors=True)
    if restored.exists():
        restored.rename(media)
    else:
        media.mkdir(parents=True)
    shutil.rmtree(staging, ignore_errors=True)
