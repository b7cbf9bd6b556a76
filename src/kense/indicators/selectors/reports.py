"""Reads of periodic reports: a report's values, the previous period's values, and the
reporting rates of a form and year."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any, cast

from django.db.models import QuerySet
from django.utils import timezone

from kense.accounts.models import User
from kense.core.filters import FilterValues
from kense.core.lists import kazakh_order
from kense.core.permissions import Action, Actor
from kense.indicators.filters import ReportFilters
from kense.indicators.models import (
    PERIODS_IN_YEAR,
    IndicatorValue,
    Report,
    ReportForm,
    ReportStatus,
)
from kense.indicators.periods import due_date, period_end, previous_period
from kense.registry.models import Territory, TerritoryQuerySet


def report_form_list(user: Actor) -> QuerySet[ReportForm]:
    """The report forms (one list for the region), in Kazakh order."""
    forms: QuerySet[ReportForm] = ReportForm.objects.restrict(user)
    return forms.order_by(kazakh_order(), "pk")


def report_list(user: Actor, filters: FilterValues | None = None) -> QuerySet[Report]:
    """The reports the user may see, the latest period first."""
    reports = Report.objects.restrict(user).select_related("form", "territory")
    return ReportFilters.narrow(reports, filters).order_by(
        "-year", "-period_number", "territory__path", "pk"
    )


def report_values(report: Report) -> list[IndicatorValue]:
    """The report's values, in the order of their indicators (one query)."""
    return list(
        IndicatorValue.objects.filter(report=report)
        .select_related("indicator")
        .order_by("indicator__order", "indicator__code")
    )


def previous_values(report: Report) -> dict[int, IndicatorValue]:
    """The territory's values of the period before the report's, by indicator id (one query)."""
    kind = report.form.period_kind
    year, number = previous_period(kind, report.year, report.period_number)
    return {
        value.indicator_id: value
        for value in IndicatorValue.objects.filter(
            territory_id=report.territory_id,
            year=year,
            period_kind=kind,
            period_number=number,
            indicator__forms=report.form,
        )
    }


class CellState:
    NOT_DUE = "not_due"  # the period has not ended
    PENDING = "pending"  # ended, not due yet, not submitted
    OVERDUE = "overdue"  # due date passed, not submitted
    ON_TIME = "on_time"
    LATE = "late"


@dataclass
class RateCell:
    period_number: int
    due: datetime.date
    report: Report | None
    state: str

    @property
    def expected(self) -> bool:
        return self.state != CellState.NOT_DUE

    @property
    def submitted(self) -> bool:
        return self.state in (CellState.ON_TIME, CellState.LATE)


@dataclass
class RateCounts:
    expected: int = 0
    submitted: int = 0
    on_time: int = 0
    late: int = 0

    @property
    def missing(self) -> int:
        return self.expected - self.submitted

    @property
    def percent(self) -> float:
        """The share of expected reports submitted, to one decimal; 0 when none is expected."""
        return round(100 * self.submitted / self.expected, 1) if self.expected else 0.0

    def add(self, cell: RateCell) -> None:
        self.expected += cell.expected
        self.submitted += cell.submitted
        self.on_time += cell.state == CellState.ON_TIME
        self.late += cell.state == CellState.LATE


@dataclass
class TerritoryRates:
    territory: Territory
    cells: list[RateCell]
    counts: RateCounts = field(default_factory=RateCounts)


@dataclass
class ReportingRates:
    form: ReportForm
    year: int
    periods: list[int]
    rows: list[TerritoryRates]
    by_period: list[RateCounts]
    totals: RateCounts


def _state(report: Report | None, end: datetime.date, due: datetime.date, today: Any) -> str:
    submitted = report is not None and report.status in (
        ReportStatus.SUBMITTED,
        ReportStatus.APPROVED,
    )
    if submitted and report is not None and report.submitted_at is not None:
        day = timezone.localdate(report.submitted_at)
        return CellState.ON_TIME if day <= due else CellState.LATE
    if today <= end:
        return CellState.NOT_DUE
    return CellState.OVERDUE if today > due else CellState.PENDING


def reporting_rates(
    user: User, form: ReportForm, year: int, *, today: datetime.date | None = None
) -> ReportingRates:
    """For each territory that submits the form (of those the user may see) and each period of
    the year: whether a report was expected (the period has ended), submitted (submitted or
    approved; a returned report is not), on time (submitted by the period's end plus the due
    days; a resubmission counts from its own date) or late; with totals. Two queries."""
    today = today or timezone.localdate()
    periods = list(range(1, PERIODS_IN_YEAR[form.period_kind] + 1))
    # The stubs type the related manager's QuerySet as a plain one; Django makes it of
    # Territory's own class, which restricts.
    submitting = cast(TerritoryQuerySet, form.territories.all())
    territories: list[Territory] = list(submitting.restrict(user, Action.VIEW).order_by("path"))
    reports = {
        (report.territory_id, report.period_number): report
        for report in Report.objects.restrict(user, Action.VIEW).filter(
            form=form, year=year, territory__in=[t.pk for t in territories]
        )
    }
    ends = {number: period_end(form.period_kind, year, number) for number in periods}
    dues = {number: due_date(form, year, number) for number in periods}
    by_period = [RateCounts() for _number in periods]
    totals = RateCounts()
    rows = []
    for territory in territories:
        row = TerritoryRates(territory=territory, cells=[])
        for index, number in enumerate(periods):
            report = reports.get((territory.pk, number))
            cell = RateCell(
                number, dues[number], report, _state(report, ends[number], dues[number], today)
            )
            row.cells.append(cell)
            row.counts.add(cell)
            by_period[index].add(cell)
            totals.add(cell)
        rows.append(row)
    return ReportingRates(form, year, periods, rows, by_period, totals)
