"""Profile one page, or the 10,000-row Excel import, through Django's test client.

    .venv/bin/python benchmarks/profile_page.py /kk/events/ [--runs 20] [--user office]
    .venv/bin/python benchmarks/profile_page.py --import-rows 10000

Same databases as benchmarks/national.py (the demo on scratch SQLite without DATABASE_URL). Uses
pyinstrument when it is installed (`.venv/bin/pip install pyinstrument`; not a project
dependency), else cProfile, and prints the profile. The import runs inside a rolled-back
transaction.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from national import Rollback, import_workbook, setup_django


def profile(call: Callable[[], Any]) -> None:
    try:
        from pyinstrument import Profiler
    except ImportError:
        profiler = cProfile.Profile()
        profiler.runcall(call)
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)
        return
    with Profiler(interval=0.0005) as profiler:
        call()
    print(profiler.output_text(unicode=True, color=False, show_all=False))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url", nargs="?", default="/kk/events/")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--user", default="office")
    parser.add_argument("--import-rows", type=int, default=0)
    options = parser.parse_args()

    setup_django()
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from django.db import transaction
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    if not os.environ.get("DATABASE_URL"):
        call_command("migrate", verbosity=0)
        call_command("kense_demo", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    from kense.accounts.models import User

    user = User.objects.get(username=options.user)
    client = Client()
    client.force_login(user)

    if options.import_rows:
        import national

        national.IMPORT_ROWS = options.import_rows
        territory = user.territory or user.organization.territory
        content = import_workbook(territory, "Профиль0001")

        def upload() -> None:
            file = SimpleUploadedFile("organizations.xlsx", content)
            try:
                with transaction.atomic():
                    client.post("/kk/registry/import/organizations/", {"file": file})
                    raise Rollback
            except Rollback:
                pass

        client.get("/kk/")  # warm up: URL configuration, templates
        profile(upload)
        return

    client.get(options.url)

    def pages() -> None:
        for _run in range(options.runs):
            client.get(options.url)

    profile(pages)


if __name__ == "__main__":
    main()
