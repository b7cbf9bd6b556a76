"""manage.py kense_restore FOLDER --yes: put a backup back, replacing the database and files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kense.core.backup import BackupError, read_manifest, restore


class Command(BaseCommand):
    help = (
        "Replace the database and the uploaded files by a backup made with kense_backup. "
        "Stop the web server, the worker and the scheduler first."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", help="A backup folder written by kense_backup.")
        parser.add_argument(
            "--yes", action="store_true", help="Confirm: everything now stored is replaced."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        folder = Path(options["folder"])
        try:
            manifest = read_manifest(folder)
            if not options["yes"]:
                raise CommandError(
                    f"This replaces the whole database and every stored file with the backup "
                    f"of {manifest['created']}. Run again with --yes to do it."
                )
            restore(folder)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"restored the backup of {manifest['created']}")
