"""`manage.py kense_demo`: load the Karaganda region demo (idempotent) and print its logins."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from kense.registry.demo import LOGINS, PASSWORD, DemoError, load_demo


class Command(BaseCommand):
    help = (
        "Load the demo: Karaganda region's 2020 story (territories, organizations, people, "
        "programs, meetings, assignments, events and one login per role), dated in 2020, and "
        "a current year around today (meetings coming, assignments due and overdue, reports "
        "awaiting acceptance). Sends no letters. Running it again creates nothing new."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = load_demo()
        except DemoError as error:
            raise CommandError(str(error)) from error
        if result.already_loaded:
            self.stdout.write("The demo is already loaded; nothing was created.")
        else:
            self.stdout.write(self.style.SUCCESS("Demo loaded:"))
            for kind, count in result.created.items():
                self.stdout.write(f"  {count:4d}  {kind}")
        self.stdout.write("")
        self.stdout.write("Demo logins (people other than the named officials are fictional):")
        rows = [("username", "role", "password", "sees")]
        rows += [(login.username, str(login.role), PASSWORD, login.sees) for login in LOGINS]
        widths = [max(len(row[column]) for row in rows) for column in range(3)]
        for row in rows:
            cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
            self.stdout.write("  " + "  ".join([*cells, row[3]]))
        self.stdout.write(
            "  and one coordinator per city and district, deputy-<place> (deputy-abai, "
            "deputy-temirtau, …), for its deputy akim; same password."
        )
