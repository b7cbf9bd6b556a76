"""The indicators of the demo: 2019 and 2020 for the region's 18 cities and districts.

The computed indicators are refreshed from the demo's events, assignments and projects. The
reported ones come from an annual report form each city and district submitted and the project
office approved. Targets are set per city and district. The methodology «Рухани жаңғыру
рейтингі» ranks cities and districts within their peer groups; in 2019 Abai and Shet districts
are flagged low and Nura is just above them (DOMAIN.md ¶4), which the spring 2020 meeting
addresses (¶8).

Numbers come from a seeded generator, so every load gives the same demo.
"""

from __future__ import annotations

import random
from decimal import Decimal
from typing import Any

from kense.accounts.models import User
from kense.indicators.compute import refresh
from kense.indicators.defaults import ensure_standard_indicators
from kense.indicators.models import (
    Indicator,
    LowRule,
    Methodology,
    Normalization,
    PeriodKind,
    ReportForm,
    Source,
    Target,
)
from kense.indicators.services.definitions import target_save
from kense.indicators.services.methodologies import methodology_save
from kense.indicators.services.reports import (
    report_approve,
    report_form_save,
    report_open,
    report_save_values,
    report_submit,
)

LOW_IN_2019 = {"abai", "nura", "shet"}
WEIGHTS = {
    "events_held_share": 3,
    "participants": 2,
    "assignments_on_time": 2,
    "sponsor_money": 1,
    "tugan_zher_reach": 2,
    "textbooks_readers": 1,
    "sacred_places_visitors": 1,
}


class IndicatorsDemo:
    def __init__(self, loader: Any) -> None:
        self.loader = loader
        self.office = User.objects.get(username="office")
        self.random = random.Random(2019)

    def actor(self, place_key: str) -> User:
        region = self.loader.territories["region"]
        territory = type(region).objects.get(pk=self.loader.territories[place_key].pk)
        inside = territory.path.startswith(type(region).objects.get(pk=region.pk).path)
        return self.office if inside else self.loader.admin

    def load(self) -> None:
        if Methodology.objects.exists():
            return  # loaded before
        from kense.registry.demo import PLACES

        indicators = {i.code: i for i in ensure_standard_indicators(self.loader.admin)}
        for year in (2019, 2020):
            refresh(year)
        reported = [i for i in indicators.values() if i.source == Source.REPORTED]
        form = ReportForm(
            code="annual-rukhani",
            name_kk="«Рухани жаңғыру» бойынша жылдық есеп",
            name_ru="Годовой отчёт по «Рухани жаңғыру»",
            name_en="Annual report on Rukhani Zhangyru",
            period_kind=PeriodKind.YEAR,
            due_days=15,
            # No number of people can be negative.
            rules=[{"rule": "min", "indicator": i.code, "value": 0} for i in reported],
        )
        report_form_save(
            form,
            user=self.office,
            indicators=reported,
            territories=[self.loader.territories[place.key] for place in PLACES],
        )
        for year in (2019, 2020):
            for place in PLACES:
                self.report(form, place.key, year, reported)
                self.targets(place.key, year, indicators)
        for year in (2019, 2020):
            methodology = Methodology(
                name_kk=f"«Рухани жаңғыру» рейтингі, {year}",
                name_ru=f"Рейтинг «Рухани жаңғыру», {year}",
                name_en=f"Rukhani Zhangyru ranking, {year}",
                year=year,
                normalization=Normalization.PERCENT_OF_TARGET,
                weights=WEIGHTS,
                low_rule=LowRule.BOTTOM_QUARTILE,
                description_kk="Әр көрсеткіш нысаналы мәннен пайызбен өлшенеді; салмақтары бойынша орташа.",
                description_ru="Каждый показатель — в процентах от целевого значения; средневзвешенное по весам.",
            )
            methodology_save(methodology, user=self.office)
            self.loader.count(Methodology)

    def report(self, form: ReportForm, key: str, year: int, reported: list[Indicator]) -> None:
        actor = self.actor(key)
        territory = self.loader.territories[key]
        report = report_open(form, territory, year, 1, user=actor)
        low = year == 2019 and key in LOW_IN_2019
        values = {}
        for indicator in reported:
            base = (
                self.random.randint(800, 3000)
                * (0.45 if low else 1.0)
                * (1.1 if year == 2020 else 1.0)
            )
            values[indicator.pk] = (Decimal(int(base)), "")
        report_save_values(report, user=actor, values=values)
        report_submit(report, user=actor)
        report_approve(report, user=actor)

    def targets(self, key: str, year: int, indicators: dict[str, Indicator]) -> None:
        actor = self.actor(key)
        territory = self.loader.territories[key]
        goals = {
            "events_held_share": Decimal(90),
            "participants": Decimal(800),
            "assignments_on_time": Decimal(85),
            "sponsor_money": Decimal(200000),
            "tugan_zher_reach": Decimal(2000),
            "textbooks_readers": Decimal(2000),
            "sacred_places_visitors": Decimal(2000),
        }
        for code, value in goals.items():
            if code in indicators:
                target_save(
                    Target(indicator=indicators[code], territory=territory, year=year, value=value),
                    user=actor,
                )


def load_indicators(loader: Any) -> None:
    """Load the indicators' demo once (skip when a methodology exists)."""
    IndicatorsDemo(loader).load()
