"""Periodic reports in the API: the same scopes, selectors and services as the pages
(`kense.indicators.selectors.reports`, `kense.indicators.services.reports`)."""

import datetime
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from kense.accounts.auth import current_user
from kense.accounts.models import User
from kense.core.api import READ_ERRORS, WRITE_ERRORS, Ref, Text, referenced, take_step
from kense.core.filters import FilterValues, filtered
from kense.core.pagination import Pagination
from kense.core.permissions import Action, get_visible, require_add
from kense.indicators.api.definitions import Year
from kense.indicators.filters import ReportFilters
from kense.indicators.models import Report, ReportForm, ReportStatus
from kense.indicators.selectors import reports as report_selectors
from kense.indicators.services import reports as report_services
from kense.registry.models import Territory

router = Router(tags=["reports"])


class IndicatorRef(Schema):
    id: int
    code: str
    name: Text
    unit: Text


class ReportFormOut(Schema):
    id: int
    code: str
    name: Text
    period_kind: str
    due_days: int
    rules: list[dict[str, Any]]
    indicators: list[IndicatorRef]
    territories: list[Ref]

    @staticmethod
    def resolve_indicators(obj: ReportForm) -> list[Any]:
        return list(obj.indicators.all())

    @staticmethod
    def resolve_territories(obj: ReportForm) -> list[Any]:
        return list(obj.territories.all())


class ReportValueOut(Schema):
    indicator: IndicatorRef
    value: Decimal | None
    comment: str
    status: str
    approved: bool
    previous: Decimal | None = None
    previous_approved: bool | None = None


class PeriodicReportOut(Schema):
    id: int
    form: Ref
    territory: Ref
    year: int
    period_number: int
    status: ReportStatus
    comment: str
    submitted_at: datetime.datetime | None
    approved_at: datetime.datetime | None


class ReportDetailOut(PeriodicReportOut):
    values: list[ReportValueOut]

    @staticmethod
    def resolve_values(obj: Report) -> list[dict[str, Any]]:
        return getattr(obj, "values_out", [])


class OpenIn(Schema):
    form: int
    territory: int
    year: int
    period_number: int = 1


class ValueIn(Schema):
    indicator: int
    value: Decimal | None = None
    comment: str = ""


class ValuesIn(Schema):
    values: list[ValueIn]


class ReportReturnIn(Schema):
    comment: str = ""


class CountsOut(Schema):
    expected: int
    submitted: int
    on_time: int
    late: int
    missing: int
    percent: float


class RateCellOut(Schema):
    period_number: int
    due: datetime.date
    state: str
    report: int | None


class RateRowOut(Schema):
    territory: Ref
    cells: list[RateCellOut]
    counts: CountsOut


class RatesOut(Schema):
    form: int
    year: int
    periods: list[int]
    rows: list[RateRowOut]
    by_period: list[CountsOut]
    totals: CountsOut


def _with_territories(forms: QuerySet[ReportForm], user: User) -> QuerySet[ReportForm]:
    """The forms with their indicators and the territories that submit them, of those the
    user may see (a form of the whole region names no district to a coordinator but theirs)."""
    return forms.prefetch_related(
        Prefetch("indicators"),
        Prefetch("territories", queryset=Territory.objects.restrict(user).order_by("path")),
    )


def _reports(user: User) -> QuerySet[Report]:
    return Report.objects.restrict(user, Action.VIEW).select_related("form", "territory")


def _report(user: User, report_id: int) -> Report:
    return get_visible(_reports(user), user, pk=report_id)


def _detail(report: Report) -> Report:
    previous = report_selectors.previous_values(report)
    rows = report_selectors.report_values(report)
    # Read back by ReportDetailOut.resolve_values.
    report.values_out = [  # type: ignore[attr-defined]
        {
            "indicator": row.indicator,
            "value": row.value,
            "comment": row.comment,
            "status": row.status,
            "approved": row.is_approved,
            "previous": before.value if (before := previous.get(row.indicator_id)) else None,
            "previous_approved": before.is_approved if before else None,
        }
        for row in rows
    ]
    return report


def _counts(counts: report_selectors.RateCounts) -> dict[str, Any]:
    return {
        "expected": counts.expected,
        "submitted": counts.submitted,
        "on_time": counts.on_time,
        "late": counts.late,
        "missing": counts.missing,
        "percent": counts.percent,
    }


@router.get("/report-forms", response=list[ReportFormOut])
@paginate(Pagination)
def list_forms(request: HttpRequest) -> QuerySet[ReportForm]:
    user = current_user(request)
    return _with_territories(report_selectors.report_form_list(user), user)


@router.get("/report-forms/{form_id}", response={200: ReportFormOut, **READ_ERRORS})
def get_form(request: HttpRequest, form_id: int) -> ReportForm:
    user = current_user(request)
    return get_visible(
        _with_territories(ReportForm.objects.order_by("code"), user), user, pk=form_id
    )


@router.get("/report-forms/{form_id}/rates", response={200: RatesOut, **READ_ERRORS})
def form_rates(request: HttpRequest, form_id: int, year: Year) -> dict[str, Any]:
    """Expected, submitted, on time and late reports per territory and period of the year."""
    user = current_user(request)
    form = get_visible(ReportForm.objects.all(), user, pk=form_id)
    rates = report_selectors.reporting_rates(user, form, year)
    return {
        "form": form.pk,
        "year": year,
        "periods": rates.periods,
        "rows": [
            {
                "territory": row.territory,
                "cells": [
                    {
                        "period_number": cell.period_number,
                        "due": cell.due,
                        "state": cell.state,
                        "report": cell.report.pk if cell.report else None,
                    }
                    for cell in row.cells
                ],
                "counts": _counts(row.counts),
            }
            for row in rates.rows
        ],
        "by_period": [_counts(counts) for counts in rates.by_period],
        "totals": _counts(rates.totals),
    }


@router.get("/reports", response=list[PeriodicReportOut])
@paginate(Pagination)
@filtered(ReportFilters)
def list_reports(request: HttpRequest, filters: FilterValues) -> QuerySet[Report]:
    return report_selectors.report_list(current_user(request), filters)


@router.get("/reports/{report_id}", response={200: ReportDetailOut, **READ_ERRORS})
def get_report(request: HttpRequest, report_id: int) -> Report:
    return _detail(_report(current_user(request), report_id))


@router.post("/reports", response={201: ReportDetailOut, **WRITE_ERRORS})
def open_report(request: HttpRequest, payload: OpenIn) -> Status[Report]:
    """Open (or find) a territory's report on a form for a period."""
    user = current_user(request)
    require_add(user, Report)
    form = referenced(ReportForm.objects.all(), payload.form, "form")
    territory = referenced(
        Territory.objects.restrict(user, Action.VIEW), payload.territory, "territory"
    )
    assert form is not None and territory is not None  # the ids are required
    report = report_services.report_open(
        form, territory, payload.year, payload.period_number, user=user
    )
    return Status(201, _detail(_report(user, report.pk)))


@router.put("/reports/{report_id}/values", response={200: ReportDetailOut, **WRITE_ERRORS})
def save_values(request: HttpRequest, report_id: int, payload: ValuesIn) -> Report:
    """Set values and comments; every breach of the form's rules is returned at once (422,
    `field` is the indicator code) and nothing is saved."""
    user = current_user(request)
    report = _report(user, report_id)
    values = {item.indicator: (item.value, item.comment) for item in payload.values}
    report_services.report_save_values(report, user=user, values=values)
    return _detail(report)


@router.post("/reports/{report_id}/submit", response={200: PeriodicReportOut, **WRITE_ERRORS})
def submit_periodic_report(request: HttpRequest, report_id: int) -> Report:
    user = current_user(request)
    return take_step(_reports(user), user, report_id, report_services.report_submit)


@router.post("/reports/{report_id}/approve", response={200: PeriodicReportOut, **WRITE_ERRORS})
def approve_report(request: HttpRequest, report_id: int) -> Report:
    user = current_user(request)
    return take_step(_reports(user), user, report_id, report_services.report_approve)


@router.post("/reports/{report_id}/return", response={200: PeriodicReportOut, **WRITE_ERRORS})
def return_report(request: HttpRequest, report_id: int, payload: ReportReturnIn) -> Report:
    user = current_user(request)
    return take_step(
        _reports(user), user, report_id, report_services.report_return, comment=payload.comment
    )
