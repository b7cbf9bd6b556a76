"""Measure the one search box (issue 13): median and p95 of the search page and of the selector
alone, and the number of queries, for inflected Kazakh and Russian queries and several roles.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kense_bench \\
        .venv/bin/python benchmarks/search.py --users gen-office-01,gen-office-00,gen-000013
    KENSE_VAR_DIR=/tmp/national-sqlite \
        .venv/bin/python benchmarks/search.py --users gen-office-01,gen-office-00,gen-000013
    .venv/bin/python benchmarks/search.py --runs 20      # the demo, in a scratch SQLite database

With DATABASE_URL it measures the database as it is (the national dataset of
`manage.py generate --scale national`, migrated: the trigram indexes of home.0001 in place);
so it does with KENSE_VAR_DIR at a SQLite database that has users (the national dataset
generated on SQLite: its FTS5 word indexes, kense.core.search_index); otherwise it loads the
demo into a scratch SQLite database and searches as the demo's users.
Each query is asked once to warm up, then `--runs` times through Django's test client (the
whole page: session, scope, the twelve groups, the HTML) and `--runs` times through
`kense.home.selectors.search` alone. It measures and prints; it asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

QUERIES = [
    "нүкенов",  # a surname, as written
    "НҮКЕНОВТІҢ",  # its Kazakh genitive, in capitals
    "Нукеновым",  # its Russian instrumental
    "нукенова",
    "аудандарының",  # plural + possessive + genitive of «аудан»: in most titles
    "кеңес",  # a word of every other meeting's title
    "Сарань",  # a place
    "нүк",  # a beginning
    "облысының іс-шаралары",  # two inflected words
]


def percentile(timings: list[float], share: float) -> float:
    """The nearest-rank percentile: with few runs, p95 is the slowest but one or two."""
    ordered = sorted(timings)
    return round(ordered[math.ceil(share * len(ordered)) - 1], 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--users", default="", help="usernames, comma-separated")
    parser.add_argument("--queries", default="", help="queries, comma-separated")
    parser.add_argument("--json", type=Path, default=None)
    options = parser.parse_args()

    if not os.environ.get("DATABASE_URL") and "KENSE_VAR_DIR" not in os.environ:
        os.environ["KENSE_VAR_DIR"] = tempfile.mkdtemp(prefix="kense-bench-search-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kense.settings")
    os.environ["AXES_ENABLED"] = "0"
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.utils import translation

    import kense.wsgi  # noqa: F401  (the application as a server loads it: see its gc.freeze)
    from kense.accounts.models import User
    from kense.home.selectors import search

    setup_test_environment()
    if not os.environ.get("DATABASE_URL"):
        call_command("migrate", verbosity=0)
        if not User.objects.exists():  # a scratch database: the demo's
            call_command("kense_demo", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    usernames = [name for name in options.users.split(",") if name] or ["office", "school"]
    queries = [query for query in options.queries.split(",") if query] or QUERIES

    results: list[dict[str, Any]] = []
    every_page: list[float] = []  # every timed page request, of every user and query
    for username in usernames:
        user = User.objects.get(username=username)
        client = Client()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        for query in queries:
            url = "/kk/search/"
            response = client.get(url, {"q": query})  # warm up, and check it answers
            if response.status_code != 200:
                print(f"{username} {query}: answered {response.status_code}; skipped")
                continue
            counted: list[str] = []

            def count(execute, sql, params, many, context, counted=counted):  # type: ignore[no-untyped-def]
                counted.append(sql)
                return execute(sql, params, many, context)

            with connection.execute_wrapper(count):
                client.get(url, {"q": query})
            page: list[float] = []
            for _run in range(options.runs):
                start = time.perf_counter()
                client.get(url, {"q": query})
                page.append((time.perf_counter() - start) * 1000)
            every_page.extend(page)
            # The selector alone, as the page's user (their scope, computed once).
            user = User.objects.get(pk=user.pk)
            with translation.override("kk"):
                groups = search(user, query)
                alone: list[float] = []
                for _run in range(options.runs):
                    start = time.perf_counter()
                    search(user, query)
                    alone.append((time.perf_counter() - start) * 1000)
            results.append(
                {
                    "user": username,
                    "query": query,
                    "page_median_ms": round(statistics.median(page), 1),
                    "page_p95_ms": percentile(page, 0.95),
                    "selector_median_ms": round(statistics.median(alone), 1),
                    "selector_p95_ms": percentile(alone, 0.95),
                    "queries": len(counted),
                    "found": {group.type: len(group.results) for group in groups},
                    "more": [group.type for group in groups if group.more],
                }
            )
            row = results[-1]
            print(
                f"{username:14} {query:24} page {row['page_median_ms']:7} / "
                f"{row['page_p95_ms']:7} ms  selector {row['selector_median_ms']:7} / "
                f"{row['selector_p95_ms']:7} ms  {row['queries']:3} queries  "
                f"{sum(row['found'].values()):3} shown in {len(row['found'])} groups",
                flush=True,
            )
    if results:
        worst = max(row["page_p95_ms"] for row in results)
        print(f"worst page p95: {worst} ms")
        print(
            f"all {len(every_page)} page requests: median "
            f"{round(statistics.median(every_page), 1)} ms, p95 {percentile(every_page, 0.95)} ms, "
            f"p99 {percentile(every_page, 0.99)} ms"
        )
    if options.json:
        options.json.write_text(json.dumps(results, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
