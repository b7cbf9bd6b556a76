"""manage.py kense_backup: the database and the stored files, in one new folder."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from kense.core.backup import BackupError, backup


class Command(BaseCommand):
    help = "Back up the database and the uploaded files into a new folder (see core/backup.py)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--to",
            default=str(settings.VAR_DIR / "backups"),
            help="The folder to write the backup folder into (default: var/backups).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            folder = backup(Path(options["to"]))
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(str(folder))
