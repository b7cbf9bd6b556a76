"""Periodic reports in the API: the same scopes, selectors and services as the pages
(`kense.indicators.selectors.reports`, `kense.indicators.services.reports`)."""

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse
from ninja import Field, File, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from kense.accounts.auth import current_user
from kense.accounts.models import User
from kense.core.api import (
    READ_ERRORS,
    WRITE_ERRORS,
    Ref,
    Text,
    assign,
    file_download,
    referenced,
    referenced_many,
    take_step,
    write,
)
from kense.core.excel import IMPORT_API_DESCRIPTION, XLSX, api_import
from kense.core.filters import FilterValues, filtered
from kense.core.imports import Moment
from kense.core.pagination import Pagination
from kense.core.patch import Patch
from kense.core.permissions import Action, get_changeable, get_visible, require, require_add
from kense.indicators import imports
from kense.indicators.api.definitions import Year
from kense.indicators.filters import ReportFilters
from kense.indicators.models import Indicator, PeriodKind, Report, ReportForm, ReportStatus
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


class ReportFormIn(Schema):
    code: str
    name_kk: Text
    name_ru: Text
    name_en: Text = ""
    period_kind: PeriodKind
    due_days: int = Field(10, ge=0, le=32767, description="Days after the period ends.")
    rules: list[dict[str, Any]] = Field(
        default_factory=list,
        description='Each {"rule": "min"|"max", "indicator": code, "value": n}, '
        '{"rule": "lte", "a": code, "b": code} or {"rule": "change", "percent": n}; the codes '
        "are the form's own indicators.",
    )
    indicators: list[int] = Field(description="The indicators reported on the form (ids).")
    territories: list[int] = Field(description="The territories that submit it (ids).")


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


def _form_members(
    user: User, form: ReportForm, data: dict[str, Any]
) -> tuple[list[Indicator], list[Territory]]:
    """The indicators and territories a form's input names (visible ones, else a field
    error), or the form's own where the input leaves them out."""
    indicators = referenced_many(Indicator.objects.all(), data, "indicators")
    territories = referenced_many(
        Territory.objects.restrict(user, Action.VIEW), data, "territories"
    )
    if indicators is None:
        indicators = list(form.indicators.all()) if form.pk else []
    if territories is None:
        territories = list(form.territories.all()) if form.pk else []
    return indicators, territories


def _form_out(user: User, form: ReportForm) -> ReportForm:
    return get_visible(_with_territories(ReportForm.objects.all(), user), user, pk=form.pk)


@router.post("/report-forms", response={201: ReportFormOut, **WRITE_ERRORS})
def create_form(request: HttpRequest, payload: ReportFormIn) -> Status[ReportForm]:
    """A new report form: what territories report, how often and by when, with its rules
    (the project office and administrators)."""
    user = current_user(request)
    require_add(user, ReportForm)
    form = ReportForm()
    data = payload.dict()
    indicators, territories = _form_members(user, form, data)
    assign(form, data, {})
    saved = write(
        report_services.report_form_save,
        form,
        user=user,
        indicators=indicators,
        territories=territories,
    )
    return Status(201, _form_out(user, saved))


@router.patch("/report-forms/{form_id}", response={200: ReportFormOut, **WRITE_ERRORS})
def update_form(request: HttpRequest, form_id: int, payload: Patch[ReportFormIn]) -> ReportForm:
    """Change a report form; `indicators` and `territories`, when sent, replace the form's
    (its period stays once reports were opened on it)."""
    user = current_user(request)
    form = get_changeable(ReportForm.objects.all(), user, pk=form_id)
    indicators, territories = _form_members(user, form, payload)
    assign(form, payload, {})
    saved = write(
        report_services.report_form_save,
        form,
        user=user,
        indicators=indicators,
        territories=territories,
    )
    return _form_out(user, saved)


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


@router.get(
    "/reports/{report_id}/template",
    response=READ_ERRORS,
    openapi_extra=file_download(
        "The report's Excel template: one row per indicator, with the values entered so far "
        "(the page's 'Download the template'; the filled file is uploaded with "
        "POST /imports/excel/reports/{report_id}).",
        XLSX,
    ),
)
def report_template(request: HttpRequest, report_id: int) -> HttpResponse:
    """The Excel template of a report the user sees."""
    user = current_user(request)
    report = _report(user, report_id)
    return imports.template_download(report, user=user)


@router.post(
    "/imports/excel/reports/{report_id}",
    response={200: ReportDetailOut, **WRITE_ERRORS},
    tags=["imports"],
    description=IMPORT_API_DESCRIPTION,
)
def import_report_excel(request: HttpRequest, report_id: int, file: File[UploadedFile]) -> Report:
    """Save a draft report's values and comments from its filled template (GET
    /reports/{report_id}/template), as the page "Upload the report from Excel" does."""
    user = current_user(request)
    report = _report(user, report_id)
    require(user, Action.CHANGE, report)
    if not report_services.is_editable(report):
        raise ValidationError(report_services.NOT_EDITABLE)
    api_import(
        lambda: imports.read_report_file(file, report),
        lambda rows: imports.report_import(report, rows, user=user),
    )
    return _detail(_report(user, report_id))


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


class ReportImportValueIn(Schema):
    indicator: int
    value: Decimal | None = None
    comment: str = Field("", description="Why a value is missing, or a note on it.")


class ReportImportIn(Schema):
    form: int
    territory: int
    year: int
    period_number: int = 1
    values: list[ReportImportValueIn] = Field(default_factory=list)
    status: ReportStatus = Field(ReportStatus.APPROVED, description="'submitted' or 'approved'.")
    submitted_at: Moment = Field(description="When the report was submitted.")
    approved_at: Moment | None = Field(None, description="When it was approved.")


# The import of a past report (kense.indicators.imports.report_history_import): beside the
# normal operations, under the `imports` tag of every import of past records.
@router.post("/imports/reports", response={201: ReportDetailOut, **WRITE_ERRORS}, tags=["imports"])
def import_periodic_report(request: HttpRequest, payload: ReportImportIn) -> Status[Report]:
    """Import a territory's past report in one call: its values, submitted and approved on
    their dates. The administrator and the project office only (403 for anybody else); the
    dates are checked (not submitted before its period began, approved after it was submitted,
    nothing in the future), and nothing is saved unless all of it is. Answers the report as
    `GET /reports/{id}` does."""
    user = current_user(request)
    imports.require_import(user)
    form = referenced(ReportForm.objects.all(), payload.form, "form")
    territory = referenced(
        Territory.objects.restrict(user, Action.VIEW), payload.territory, "territory"
    )
    assert form is not None and territory is not None  # the ids are required
    report = imports.report_history_import(
        form,
        territory,
        payload.year,
        payload.period_number,
        user=user,
        values={entry.indicator: (entry.value, entry.comment) for entry in payload.values},
        status=payload.status,
        submitted_at=payload.submitted_at,
        approved_at=payload.approved_at,
    )
    return Status(201, _detail(_report(user, report.pk)))
