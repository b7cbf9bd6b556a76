"""Measure the key pages and endpoints against a raw SQL baseline: median and p95 latency, the
number of queries, and the same answer from one hand-written query with the ratio (issue 7).

    .venv/bin/python benchmarks/national.py [--runs 20] [--import-runs 1] [--json out.json]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kense_national \\
        .venv/bin/python benchmarks/national.py --user office

Without DATABASE_URL it loads the demo into a scratch SQLite database (a new KENSE_VAR_DIR);
with it, it measures the database as it is (no migrate, no demo). Pages are requested through
Django's test client as one logged-in user. The Excel import of 10,000 organizations runs inside
a transaction that is rolled back, so the database is left as it was. The raw SQL baselines are
hand-written approximations of each page's main answer, run through `connection.cursor()`. It
measures and prints; it asserts nothing.
"""

from __future__ import annotations

import argparse
import io
import json
import math
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

IMPORT_ROWS = 10_000


class Rollback(Exception):
    """Raised to undo the measured import."""


def percentile(timings: list[float], share: float) -> float:
    """The nearest-rank percentile: with few runs, p95 is the slowest."""
    ordered = sorted(timings)
    return round(ordered[math.ceil(share * len(ordered)) - 1], 1)


def timed(call: Callable[[], Any], runs: int) -> list[float]:
    timings = []
    for _run in range(runs):
        start = time.perf_counter()
        call()
        timings.append((time.perf_counter() - start) * 1000)
    return timings


def setup_django() -> None:
    if not os.environ.get("DATABASE_URL") and "KENSE_VAR_DIR" not in os.environ:
        os.environ["KENSE_VAR_DIR"] = tempfile.mkdtemp(prefix="kense-bench-national-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kense.settings")
    os.environ["AXES_ENABLED"] = "0"
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    import django

    django.setup()


def import_workbook(territory: Any, prefix: str) -> bytes:
    """10,000 organizations in the registry import template's layout (titles, key row)."""
    from openpyxl import Workbook

    from kense.registry.imports import ORGANIZATION_COLUMNS
    from kense.registry.models import OrganizationKind

    workbook = Workbook()
    sheet = workbook.active
    sheet.append([str(column.title) for column in ORGANIZATION_COLUMNS])
    sheet.append([column.key for column in ORGANIZATION_COLUMNS])
    kind = OrganizationKind.values[0]
    where = territory.kato or territory.name_kk
    for n in range(IMPORT_ROWS):
        values = {
            "name_kk": f"{prefix} мекеме №{n}",
            "name_ru": f"{prefix} учреждение №{n}",
            "kind": kind,
            "territory": where,
            "bin": f"{prefix[-4:]}{n:08d}",
            "email": f"org{n}@example.kz",
            "phone": f"+7 701 {n:07d}",
            "address": f"көше {n}",
        }
        sheet.append([values.get(column.key, "") for column in ORGANIZATION_COLUMNS])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--import-runs", type=int, default=1)
    parser.add_argument("--user", default="office")
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--skip-import", action="store_true")
    parser.add_argument("--import-user", default=None, help="who imports; default: --user")
    options = parser.parse_args()

    setup_django()
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    if not os.environ.get("DATABASE_URL"):
        call_command("migrate", verbosity=0)
        call_command("kense_demo", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115

    from kense.accounts.models import User
    from kense.events.models import Event
    from kense.indicators.models import IndicatorValue, Methodology
    from kense.indicators.selectors.results import user_region
    from kense.meetings.models import AgendaItem, Meeting
    from kense.registry.models import Territory
    from kense.text.kazakh import fold

    user = User.objects.get(username=options.user)
    client = Client()
    client.force_login(user)
    scope = user.territory or (user.organization.territory if user.organization else None)
    scope = scope or Territory.objects.order_by("depth", "pk").first()
    like = scope.path + "%"
    # The passport of the district or city with the most indicator values inside the scope.
    busiest = (
        IndicatorValue.objects.filter(territory__path__startswith=scope.path)
        .values("territory")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    passport = Territory.objects.get(pk=busiest["territory"]) if busiest else scope
    last_event = Event.objects.order_by("-start").values_list("start", flat=True).first()
    year = last_event.year if last_event else 2020
    methodology = Methodology.objects.order_by("-year", "-pk").first()
    fullest = (
        AgendaItem.objects.filter(
            meeting__state="approved", meeting__territory__path__startswith=scope.path
        )
        .values("meeting")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    meeting = Meeting.objects.filter(pk=fullest["meeting"]).first() if fullest else None
    query = "нүкенов"

    def rows(sql: str, params: list[Any]) -> Callable[[], Any]:
        def run() -> Any:
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                return cursor.fetchall()

        return run

    active = ("under_control", "reported")
    # The search box's answer: each registry kind whose names have a word beginning with the
    # folded query, in Kazakh order, 21 at most (the page shows 20 and says whether more exist).
    searchable = [
        ("registry_territory", "name_kk"),
        ("registry_organization", "name_kk"),
        ("registry_person", "surname_kk"),
        ("programs_program", "name_kk"),
        ("programs_project", "name_kk"),
    ]
    search_sql = " UNION ALL ".join(
        f"SELECT * FROM (SELECT '{table}', id, {label} FROM {table} "
        f'WHERE search_text LIKE %s ORDER BY {label} COLLATE "kk" LIMIT 21) AS s{n}'
        for n, (table, label) in enumerate(searchable)
    )
    # The inbox's answer: open assignments the user's organization leads or co-executes (for a
    # coordinator, the organizations of the territory) or the user leads in person, by deadline.
    if user.role == "coordinator" and user.territory_id:
        ours_sql = (
            "SELECT o.id FROM registry_organization o JOIN registry_territory t"
            " ON t.id = o.territory_id WHERE t.path LIKE %s"
        )
        ours_params: list[Any] = [like]
    else:
        ours_sql, ours_params = (
            "SELECT id FROM registry_organization WHERE id = %s",
            [user.organization_id or 0],
        )
    inbox_sql = (
        "SELECT a.id, a.number, a.deadline, o.name_kk FROM assignments_assignment a"
        " LEFT JOIN registry_organization o ON o.id = a.lead_organization_id"
        " WHERE a.status IN (%s, %s) AND (a.lead_organization_id IN (" + ours_sql + ")"
        " OR a.lead_person_id = %s OR a.id IN (SELECT c.assignment_id FROM"
        " assignments_assignment_co_executors c WHERE c.organization_id IN (" + ours_sql + ")))"
        " ORDER BY a.deadline, a.id LIMIT 50"
    )
    inbox_params = [*active, *ours_params, user.person_id or 0, *ours_params]
    region = user_region(user)
    region_like = (region.path if region else "/-/") + "%"
    weights = (methodology.weights if methodology else None) or {"-": 0}
    weights_sql = " UNION ALL ".join(
        f"SELECT '{code}' AS code, {float(weight)} AS weight"
        for code, weight in weights.items()
        if str(code).replace("-", "").replace("_", "").isalnum()
    )
    cases: list[tuple[str, str, Callable[[], Any]]] = [
        (
            "dashboard",
            "/kk/",
            rows(
                "SELECT (SELECT count(*) FROM registry_territory WHERE path LIKE %s),"
                " (SELECT count(*) FROM registry_organization o JOIN registry_territory t"
                "  ON t.id = o.territory_id WHERE t.path LIKE %s),"
                " (SELECT count(*) FROM registry_person p JOIN registry_territory t"
                "  ON t.id = p.territory_id WHERE t.path LIKE %s),"
                " (SELECT count(*) FROM programs_program),"
                " (SELECT count(*) FROM programs_project WHERE status = 'active')",
                [like, like, like],
            ),
        ),
        (
            f"passport «{passport.name_kk[:20]}»",
            f"/kk/indicators/passport/{passport.pk}/",
            rows(
                "SELECT v.year, i.code, v.value FROM indicators_indicatorvalue v"
                " JOIN indicators_indicator i ON i.id = v.indicator_id"
                ' WHERE v.territory_id = %s ORDER BY v.year, i."order"',
                [passport.pk],
            ),
        ),
        (
            "assignment inbox",
            "/kk/assignments/inbox/",
            rows(inbox_sql, inbox_params),
        ),
        (
            f"event list, territory+{year}",
            f"/kk/events/?territory={scope.pk}&date_from={year}-01-01&date_to={year}-12-31",
            rows(
                'SELECT e.id, e.title_kk, e.start, e."end", e.status, e.format, t.name_kk,'
                " o.name_kk, p.name_kk, e.planned_reach, e.participants, e.budget"
                " FROM events_event e JOIN registry_territory t ON t.id = e.territory_id"
                " LEFT JOIN registry_organization o ON o.id = e.organizer_id"
                " LEFT JOIN programs_program p ON p.id = e.program_id"
                ' WHERE t.path LIKE %s AND e."end" >= %s AND e.start <= %s'
                " ORDER BY e.start DESC, e.id DESC LIMIT 50",
                [like, f"{year}-01-01", f"{year}-12-31"],
            ),
        ),
        (
            f"API events, territory+{year}",
            f"/api/v1/events?territory={scope.pk}&date_from={year}-01-01&date_to={year}-12-31",
            rows(
                'SELECT e.id, e.title_kk, e.start, e."end", e.status, e.format, e.territory_id,'
                " e.organizer_id, e.program_id, e.planned_reach, e.participants, e.budget"
                " FROM events_event e JOIN registry_territory t ON t.id = e.territory_id"
                ' WHERE t.path LIKE %s AND e."end" >= %s AND e.start <= %s'
                " ORDER BY e.start DESC, e.id DESC LIMIT 50",
                [like, f"{year}-01-01", f"{year}-12-31"],
            ),
        ),
        (
            "API open assignments",
            "/api/v1/assignments?status=open",
            # The page's keys from the index, then their rows: one query.
            rows(
                "SELECT a.id, a.number, a.text_kk, a.deadline, a.status, a.lead_organization_id"
                " FROM assignments_assignment a WHERE a.id IN (SELECT a2.id FROM"
                " assignments_assignment a2 JOIN registry_territory t ON t.id = a2.territory_id"
                " WHERE t.path LIKE %s AND a2.status IN (%s, %s)"
                " ORDER BY a2.deadline, a2.id LIMIT 50) ORDER BY a.deadline, a.id",
                [like, *active],
            ),
        ),
        (
            f"ranking {methodology.year if methodology else ''}",
            f"/kk/indicators/ranking/?methodology={methodology.pk if methodology else ''}",
            # The same answer for a per-cent-of-target methodology: each city's and district's
            # weighted mean of value ÷ target, capped at 150 %, highest first (peer groups
            # and explanations left to the page).
            rows(
                "SELECT v.territory_id, t.kind, SUM(w.weight * CASE WHEN v.value * 100 / g.value"
                " > 150 THEN 150 ELSE v.value * 100 / g.value END) / SUM(w.weight) AS score"
                " FROM indicators_indicatorvalue v"
                " JOIN indicators_indicator i ON i.id = v.indicator_id"
                f" JOIN ({weights_sql}) AS w ON w.code = i.code"
                " JOIN indicators_target g ON g.indicator_id = v.indicator_id"
                "  AND g.territory_id = v.territory_id AND g.year = v.year AND g.value > 0"
                " JOIN registry_territory t ON t.id = v.territory_id"
                " WHERE v.year = %s AND v.period_kind = 'year' AND t.path LIKE %s"
                " AND t.kind IN ('city', 'district')"
                " GROUP BY v.territory_id, t.kind ORDER BY t.kind, score DESC",
                [methodology.year if methodology else year, region_like],
            ),
        ),
        (
            f"search «{query}»",
            f"/kk/search/?q={query}",
            rows(search_sql, [f"% {fold(query)}%"] * len(searchable)),
        ),
        (
            "minutes DOCX",
            f"/kk/meetings/{meeting.pk}/minutes/kk/docx/" if meeting else "",
            rows(
                'SELECT m.title_kk, m.start, a."order", a.title_kk, a.heard_kk,'
                " a.discussion_kk, d.number, d.text_kk FROM meetings_meeting m"
                " JOIN meetings_agendaitem a ON a.meeting_id = m.id"
                " LEFT JOIN meetings_decision d ON d.item_id = a.id"
                ' WHERE m.id = %s ORDER BY a."order", d.number',
                [meeting.pk if meeting else 0],
            ),
        ),
    ]

    # The dashboard keeps its counts a minute per scope: measured both as people mostly meet
    # it (counted already) and cold (the cache emptied before each request).
    cases.insert(1, ("dashboard, counts not cached", "/kk/", cases[0][2]))
    results = []
    for name, url, baseline in cases:
        cold = name == "dashboard, counts not cached"
        if not url:
            print(f"{name}: nothing to measure; skipped")
            continue
        response = client.get(url)  # warm up (and check it answers)
        if response.status_code != 200:
            print(f"{name}: {url} answered {response.status_code}; skipped")
            continue
        counted: list[str] = []

        def count(execute, sql, params, many, context, counted=counted):  # type: ignore[no-untyped-def]
            counted.append(sql)
            return execute(sql, params, many, context)

        def get(url: str = url, cold: bool = cold) -> Any:
            if cold:
                cache.clear()
            return client.get(url)

        with connection.execute_wrapper(count):
            get()
        page = timed(get, options.runs)
        baseline()
        raw = timed(baseline, options.runs)
        results.append(row(name, url, page, len(counted), raw))

    if methodology is not None:
        # The year's ranking itself (values, targets, normalisation, weights, peer groups, ranks,
        # low performers, explanations), without the page's HTML and charts.
        from kense.indicators.selectors.results import ranking

        ranking_baseline = next(case[2] for case in cases if case[0].startswith("ranking"))
        counted_ranking: list[str] = []

        def count_ranking(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
            counted_ranking.append(sql)
            return execute(sql, params, many, context)

        def rank_year() -> Any:
            return ranking(user, methodology, methodology.year)

        rank_year()
        with connection.execute_wrapper(count_ranking):
            rank_year()
        results.append(
            row(
                f"ranking {methodology.year}, computed",
                "indicators.selectors.results.ranking()",
                timed(rank_year, options.runs),
                len(counted_ranking),
                timed(ranking_baseline, options.runs),
            )
        )

    if not options.skip_import:
        importer = User.objects.get(username=options.import_user or options.user)
        importer_client = Client()
        importer_client.force_login(importer)
        where = importer.territory or (
            importer.organization.territory if importer.organization else scope
        )
        results.append(
            measure_import(importer_client, where, options.import_runs, connection, transaction)
        )

    print(
        f"{'page':34} {'median ms':>10} {'p95 ms':>9} {'queries':>8} "
        f"{'raw med ms':>11} {'raw p95 ms':>11} {'ratio':>7}"
    )
    for entry in results:
        print(
            f"{entry['page']:34} {entry['median_ms']:10} {entry['p95_ms']:9} "
            f"{entry['queries']:8} {entry['raw_median_ms']:11} {entry['raw_p95_ms']:11} "
            f"{entry['ratio']:7}"
        )
    if options.json:
        report = {
            "database": connection.vendor,
            "user": options.user,
            "runs": options.runs,
            "results": results,
        }
        options.json.write_text(json.dumps(report, ensure_ascii=False, indent=2))


def row(name: str, url: str, page: list[float], queries: int, raw: list[float]) -> dict[str, Any]:
    median = statistics.median(page)
    raw_median = statistics.median(raw)
    return {
        "page": name,
        "url": url,
        "runs": len(page),
        "median_ms": round(median, 1),
        "p95_ms": percentile(page, 0.95),
        "queries": queries,
        "raw_median_ms": round(raw_median, 2),
        "raw_p95_ms": round(sorted(raw)[math.ceil(0.95 * len(raw)) - 1], 2),
        "ratio": round(median / raw_median, 1) if raw_median else None,
    }


def measure_import(client: Any, territory: Any, runs: int, connection: Any, transaction: Any):  # type: ignore[no-untyped-def]
    """Upload 10,000 organizations through the import page, rolled back after each run; the
    baseline inserts the same rows with one executemany, rolled back too."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from kense.registry.models import Organization

    page: list[float] = []
    queries = 0
    for run in range(runs):
        content = import_workbook(territory, f"Бенч{run:04d}")
        upload = SimpleUploadedFile("organizations.xlsx", content)
        counted: list[int] = []

        def count(execute, sql, params, many, context, counted=counted):  # type: ignore[no-untyped-def]
            counted.append(1)
            return execute(sql, params, many, context)

        start = time.perf_counter()
        try:
            with transaction.atomic(), connection.execute_wrapper(count):
                response = client.post("/kk/registry/import/organizations/", {"file": upload})
                elapsed = (time.perf_counter() - start) * 1000
                raise Rollback
        except Rollback:
            pass
        if response.status_code != 302:
            print(f"import answered {response.status_code} (expected a redirect); run {run}")
        page.append(elapsed)
        queries = len(counted)

    table = Organization._meta.db_table
    columns = ["search_text", "path", "depth", "name", "name_kk", "name_ru", "name_en"]
    columns += ["short_name", "short_name_kk", "short_name_ru", "short_name_en", "kind", "bin"]
    columns += ["aliases", "email", "phone", "address", "website", "territory_id", "parent_id"]
    values = [
        (
            f"бенч мекеме {n}",
            f"/x{n}/",
            0,
            f"Бенч мекеме №{n}",
            f"Бенч мекеме №{n}",
            f"Бенч учреждение №{n}",
            "",
            "",
            "",
            "",
            "",
            "school",
            f"9999{n:08d}",
            "[]",
            f"org{n}@example.kz",
            f"+7 701 {n:07d}",
            f"көше {n}",
            "",
            territory.pk,
            None,
        )
        for n in range(IMPORT_ROWS)
    ]
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})"

    def baseline() -> None:
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.executemany(sql, values)
                raise Rollback
        except Rollback:
            pass

    raw = timed(baseline, max(runs, 3))
    return row(
        f"Excel import {IMPORT_ROWS:,} rows",
        "/kk/registry/import/organizations/",
        page,
        queries,
        raw,
    )


if __name__ == "__main__":
    main()
