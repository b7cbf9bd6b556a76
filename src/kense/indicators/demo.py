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

import datetime
import random
from decimal import Decimal
from typing import Any

from kense.accounts.models import User
from kense.indicators.compute import refresh
from kense.indicators.defaults import ensure_standard_indicators
from kense.indicators.models import (
    Indicator,
    IndicatorValue,
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
from kense.registry.demo import story_moment

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
        self.clock = loader.clock
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

        with self.clock.at(story_moment(datetime.date(2020, 1, 13))):
            self.load_definitions()

    def load_definitions(self) -> None:
        from kense.registry.demo import PLACES

        indicators = {i.code: i for i in ensure_standard_indicators(self.loader.admin)}
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
            # Each year's report is due in January of the next; the targets are set with it.
            with self.clock.at(story_moment(datetime.date(year + 1, 1, 12))):
                refresh(year)
                for place in PLACES:
                    self.report(form, place.key, year, reported)
                    self.targets(place.key, year, indicators)
                # The values are written in bulk, which sends no signal.
                self.clock.restamp(IndicatorValue.objects.filter(year=year), "updated_at")
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
            with self.clock.at(story_moment(datetime.date(year + 1, 1, 20))):
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


# The quarterly report of the current year: cities and districts that have submitted theirs
# (awaiting the office's approval), that have it approved, and that are still filling it in.
QUARTER_SUBMITTED = ("saran", "abai", "temirtau")
QUARTER_APPROVED = ("karaganda", "balkhash")
QUARTER_DRAFT = ("shet", "nura")


def last_quarter(today: datetime.date) -> tuple[int, int]:
    """The year and number of the quarter before the one `today` is in."""
    quarter = (today.month - 1) // 3 + 1
    return (today.year, quarter - 1) if quarter > 1 else (today.year - 1, 4)


def load_current_indicators(loader: Any, today: datetime.date) -> None:
    """The quarterly «Туған жер» report for the last quarter, reported by the cities and
    districts in the current period: some approved, some submitted and awaiting approval,
    some drafts (once: skipped when the form exists)."""
    if ReportForm.objects.filter(code="quarterly-tugan-zher").exists():
        return
    demo = IndicatorsDemo(loader)
    reported = list(Indicator.objects.filter(source=Source.REPORTED).order_by("pk")[:3])
    if not reported:
        return
    from kense.registry.demo import PLACES

    year, quarter = last_quarter(today)
    demo.random = random.Random(today.toordinal())
    with loader.clock.at(story_moment(today - datetime.timedelta(days=40))):
        form = ReportForm(
            code="quarterly-tugan-zher",
            name_kk="«Туған жер» жобасы бойынша тоқсандық есеп",
            name_ru="Квартальный отчёт по проекту «Туған жер»",
            name_en="Quarterly report on the Tugan Zher project",
            period_kind=PeriodKind.QUARTER,
            due_days=10,
            rules=[{"rule": "min", "indicator": i.code, "value": 0} for i in reported],
        )
        report_form_save(
            form,
            user=demo.office,
            indicators=reported,
            territories=[loader.territories[place.key] for place in PLACES if not place.to_ulytau],
        )
    for offset, key in enumerate((*QUARTER_APPROVED, *QUARTER_SUBMITTED, *QUARTER_DRAFT)):
        actor = demo.actor(key)
        with loader.clock.at(story_moment(today - datetime.timedelta(days=8 - offset % 5), 11)):
            report = report_open(form, loader.territories[key], year, quarter, user=actor)
            values = {
                indicator.pk: (Decimal(demo.random.randint(150, 900)), "") for indicator in reported
            }
            report_save_values(report, user=actor, values=values)
            if key not in QUARTER_DRAFT:
                report_submit(report, user=actor)
            loader.clock.restamp(IndicatorValue.objects.filter(report=report), "updated_at")
        if key in QUARTER_APPROVED:
            with loader.clock.at(story_moment(today - datetime.timedelta(days=2), 15)):
                report_approve(report, user=demo.office)
                loader.clock.restamp(IndicatorValue.objects.filter(report=report), "updated_at")
