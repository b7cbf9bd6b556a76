"""Measure one year's ranking computed from the database: 200 territories × 50 indicators ×
10 years of annual values (100,000 IndicatorValue rows and 10,000 targets a year).

    .venv/bin/python benchmarks/ranking.py [--runs 20]

It builds the rows with bulk_create in a scratch database (SQLite unless DATABASE_URL says
otherwise), then times `kense.indicators.selectors.results.ranking` for the last year, and
prints the median, the 95th percentile and the number of queries. It measures; it asserts
nothing.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

TERRITORIES = 200
INDICATORS = 50
YEARS = list(range(2011, 2021))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    options = parser.parse_args()

    scratch = tempfile.mkdtemp(prefix="kense-bench-ranking-")
    os.environ.setdefault("KENSE_VAR_DIR", scratch)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kense.settings")
    os.environ["AXES_ENABLED"] = "0"
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    call_command("migrate", verbosity=0)

    from kense.accounts.models import User
    from kense.core.permissions import Role
    from kense.indicators.models import Indicator, IndicatorValue, Methodology, Target
    from kense.indicators.selectors.results import ranking
    from kense.registry.models import Territory, TerritoryKind

    rnd = random.Random(2019)
    started = time.perf_counter()
    region = Territory(name_kk="Облыс", name_ru="Область", kind=TerritoryKind.REGION)
    region.save()
    # Saved one by one: the tree path is derived on save (200 rows, a second or two).
    territories = []
    for n in range(TERRITORIES):
        territory = Territory(
            name_kk=f"Аудан {n}",
            name_ru=f"Район {n}",
            kind=TerritoryKind.CITY if n % 4 == 0 else TerritoryKind.DISTRICT,
            parent=region,
        )
        territory.save()
        territories.append(territory)
    indicators = Indicator.objects.bulk_create(
        Indicator(
            code=f"i{n}",
            name_kk=f"Көрсеткіш {n}",
            name_ru=f"Показатель {n}",
            source="reported",
            higher_is_better=n % 5 != 0,
            order=n,
        )
        for n in range(INDICATORS)
    )
    for year in YEARS:
        IndicatorValue.objects.bulk_create(
            (
                IndicatorValue(
                    indicator=indicator,
                    territory=territory,
                    year=year,
                    value=None if rnd.random() < 0.03 else Decimal(rnd.randint(0, 1000)),
                    status="approved",
                )
                for territory in territories
                for indicator in indicators
            ),
            batch_size=2000,
        )
        Target.objects.bulk_create(
            (
                Target(
                    indicator=indicator,
                    territory=territory,
                    year=year,
                    value=Decimal(rnd.choice([0, 500, 600, 700])),
                )
                for territory in territories
                for indicator in indicators
            ),
            batch_size=2000,
        )
    office = User.objects.create_user(
        username="office", password="x", role=Role.PROJECT_OFFICE, territory=region
    )
    methodology = Methodology.objects.create(
        name_kk="Әдістеме",
        name_ru="Методика",
        year=YEARS[-1],
        normalization="percent_of_target",
        weights={indicator.code: 1 + n % 3 for n, indicator in enumerate(indicators)},
        low_rule="bottom_quartile",
        created_by=office,
    )
    built = time.perf_counter() - started
    print(
        f"built {IndicatorValue.objects.count()} values and {Target.objects.count()} targets "
        f"in {built:.1f} s ({connection.vendor})"
    )

    timings = []
    queries = 0
    for _run in range(options.runs):
        office = User.objects.get(pk=office.pk)  # a fresh request's user (scope not cached)
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            result = ranking(office, methodology, YEARS[-1])
            timings.append(time.perf_counter() - start)
        queries = len(captured)
    timings.sort()
    p95 = timings[min(len(timings) - 1, round(0.95 * (len(timings) - 1)))]
    ranked = sum(1 for s in result.result.scores.values() if s.rank is not None)
    low = len(result.result.low_performers())
    print(
        f"ranking {YEARS[-1]}: {ranked} territories × {INDICATORS} indicators, {low} flagged low; "
        f"median {statistics.median(timings) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, "
        f"{queries} queries ({options.runs} runs)"
    )


if __name__ == "__main__":
    main()
