"""Load a synthetic dataset for benchmarks and load tests.

manage.py generate --scale small       # ~1/1000 of a country, for tests (seconds)
manage.py generate --scale regional    # one region, ~1/20 of a country
manage.py generate --scale national    # 20 regions, 1,000,000 events… (minutes)

Everything generated hangs under the territory root «Генерацияланған ел»; a second run
refuses while that root exists (drop the database, or migrate a fresh one, to start again).
The rows are written with bulk_create and no history: generated data is not audited.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from benchmarks.generator.build import MARKER_NAME, SCALES, Generator, generated_data_exists


class Command(BaseCommand):
    help = "Generate a realistic synthetic dataset (Kazakh and Russian names, 2016–2025)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", choices=sorted(SCALES), default="small")
        parser.add_argument("--seed", type=int, default=1, help="the same seed, the same data")

    def handle(self, *args: Any, **options: Any) -> None:
        if generated_data_exists():
            raise CommandError(
                f"Generated data is already here (the territory «{MARKER_NAME}»). "
                "Generate into a fresh database instead."
            )
        scale = options["scale"]
        self.stdout.write(f"generating the {scale} dataset (seed {options['seed']})")
        Generator(SCALES[scale], seed=options["seed"], write=self.stdout.write).run()
