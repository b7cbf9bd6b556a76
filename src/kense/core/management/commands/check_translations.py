"""Fail when any translatable string lacks a Kazakh or Russian translation.

The catalogs are regenerated from the code in a scratch copy (so the check sees strings added
since the last `make messages`) and every entry must have a non-fuzzy translation.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

REQUIRED = ("kk", "ru")


def untranslated_entries(po_text: str) -> list[str]:
    """The msgids of a .po file's entries that are empty or fuzzy (the header excluded)."""
    problems: list[str] = []
    for block in po_text.split("\n\n"):
        lines = [line for line in block.strip().splitlines() if not line.startswith("#~")]
        if not any(line.startswith("msgid ") for line in lines):
            continue
        fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in lines)
        msgid, msgstrs, current = "", [], None
        for line in lines:
            if line.startswith("msgid "):
                current, msgid = "id", line[6:].strip('"')
            elif line.startswith("msgid_plural"):
                current = "plural"
            elif line.startswith("msgstr"):
                current = "str"
                msgstrs.append(line.split(" ", 1)[1].strip('"'))
            elif line.startswith('"'):
                if current == "id":
                    msgid += line.strip('"')
                elif current == "str":
                    msgstrs[-1] += line.strip('"')
        if msgid == "":
            continue  # the header
        if fuzzy or not msgstrs or any(value == "" for value in msgstrs):
            problems.append(msgid)
    return problems


class Command(BaseCommand):
    help = "Check that every translatable string has kk and ru translations."

    def handle(self, *args: Any, **options: Any) -> None:
        source = Path(settings.BASE_DIR)
        failures: list[str] = []
        with tempfile.TemporaryDirectory() as scratch:
            # The copy must be the imported package too: makemessages writes into the
            # LOCALE_PATHS of the settings it loads, and those follow the package.
            copy = Path(scratch) / "src" / "kense"
            shutil.copytree(source, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
            command = [
                sys.executable,
                "-m",
                "django",
                "makemessages",
                "--no-obsolete",
                "--no-location",
                "--ignore",
                "static/*",
                "-v",
                "0",
            ]
            for language in REQUIRED:
                command += ["-l", language]
            result = subprocess.run(
                command,
                cwd=copy,
                capture_output=True,
                text=True,
                env={
                    "DJANGO_SETTINGS_MODULE": "kense.settings",
                    "PATH": "/usr/bin:/bin",
                    "PYTHONPATH": str(copy.parent),
                },
            )
            if result.returncode != 0:
                raise CommandError(f"makemessages failed: {result.stderr.strip()}")
            for language in REQUIRED:
                po = copy / "locale" / language / "LC_MESSAGES" / "django.po"
                if not po.exists():
                    failures.append(f"{language}: no catalog at locale/{language}")
                    continue
                missing = untranslated_entries(po.read_text(encoding="utf-8"))
                failures += [f"{language}: {msgid!r}" for msgid in missing]
        if failures:
            shown = "\n".join(failures[:60])
            more = f"\n… and {len(failures) - 60} more" if len(failures) > 60 else ""
            raise CommandError(
                f"{len(failures)} strings lack a translation (run `make messages`, then "
                f"translate src/kense/locale/*/LC_MESSAGES/django.po):\n{shown}{more}"
            )
        self.stdout.write(self.style.SUCCESS("Every string has kk and ru translations."))
