"""Measure the key pages on the demo data: median and p95 latency and the number of queries.

    .venv/bin/python benchmarks/pages.py [--runs 30] [--json benchmarks/results.json]

It loads the demo into a scratch database (SQLite unless DATABASE_URL says otherwise), logs in
as the project office, requests each page repeatedly through Django's test client and prints a
table. It measures; it asserts nothing. Speed goals and results live in docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

PAGES = [
    ("home", "/kk/"),
    ("territory tree", "/kk/registry/territories/"),
    ("territory tree in 2020", "/kk/registry/territories/?on=2020-04-21"),
    ("organization list", "/kk/registry/organizations/"),
    ("people list", "/kk/registry/people/"),
    ("project list", "/kk/programs/projects/"),
    ("search «нүкенов»", "/kk/search/?q=нүкенов"),
    ("meeting list", "/kk/meetings/"),
    ("assignment list", "/kk/assignments/"),
    ("assignment inbox", "/kk/assignments/inbox/"),
    ("discipline 2020", "/kk/assignments/discipline/?year=2020"),
    ("API organizations", "/api/v1/organizations"),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--json", type=Path, default=None)
    options = parser.parse_args()

    scratch = tempfile.mkdtemp(prefix="kense-bench-")
    os.environ.setdefault("KENSE_VAR_DIR", scratch)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kense.settings")
    os.environ["AXES_ENABLED"] = "0"
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    call_command("migrate", verbosity=0)
    call_command("kense_demo", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    from kense.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username="office"))

    results = []
    for name, url in PAGES:
        response = client.get(url)  # warm up (and check it answers)
        if response.status_code != 200:
            print(f"{name}: {url} answered {response.status_code}; skipped")
            continue
        counted: list[str] = []

        def count(execute, sql, params, many, context, counted=counted):  # type: ignore[no-untyped-def]
            counted.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            client.get(url)
        timings = []
        for _run in range(options.runs):
            start = time.perf_counter()
            client.get(url)
            timings.append((time.perf_counter() - start) * 1000)
        timings.sort()
        results.append(
            {
                "page": name,
                "url": url,
                "median_ms": round(statistics.median(timings), 1),
                "p95_ms": round(timings[int(0.95 * (len(timings) - 1))], 1),
                "queries": len(counted),
            }
        )

    print(f"{'page':28} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
    for row in results:
        print(f"{row['page']:28} {row['median_ms']:10} {row['p95_ms']:8} {row['queries']:8}")
    if options.json:
        options.json.write_text(json.dumps(results, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
