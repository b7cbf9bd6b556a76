"""A report's Excel round trip: download the template of one territory and period, fill it
offline, upload it.

The template is written and read by core/excel.py, as every import's: titles in the user's
language, a hidden row of column keys, an instructions sheet; one row per indicator of the form
with the previous period's value beside the cell to fill. A hidden sheet carries a version mark
("kense-report-template v1") and the report it belongs to, so that a file of another report or
of an older template is refused with a message saying so.

An upload is all or nothing: every row is read and checked against the form's rules, and every
error is reported by row and column; only a file without errors changes the report's values.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kense.accounts.models import User
from kense.core.api import INVALID_CHOICE
from kense.core.excel import (
    ImportColumn,
    ImportRow,
    ImportSpec,
    Mark,
    RowError,
    collect_errors,
    read_upload,
    template_workbook,
)
from kense.core.exports import XLSX
from kense.core.http import download
from kense.core.imports import importing, past, require_import
from kense.indicators import periods
from kense.indicators.models import (
    PERIODS_IN_YEAR,
    IndicatorValue,
    Report,
    ReportForm,
    ReportStatus,
)
from kense.indicators.selectors import reports as report_selectors
from kense.indicators.services import reports as report_services
from kense.registry.models import Territory

REPORT_COLUMNS = (
    ImportColumn(
        "code", _("Indicator code"), _("Leave as it is: it tells the indicators apart."), True
    ),
    ImportColumn("indicator", _("Indicator"), _("For reading only."), width=48),
    ImportColumn("unit", _("Unit"), _("For reading only."), width=12),
    ImportColumn(
        "previous", _("Previous period"), _("The value of the previous period, for reading only.")
    ),
    ImportColumn("value", _("Value"), _("A number; a dot or a comma before the decimals.")),
    ImportColumn(
        "comment",
        _("Comment"),
        _("Required when the value is missing or changes much from the previous period."),
        width=48,
    ),
)

REPORT_KIND = ImportSpec(
    title=_("Report from Excel"),
    sheet_title=_("Report"),
    columns=REPORT_COLUMNS,
    success=_("The report's values were replaced by the file's."),
    mark=Mark(
        prefix="kense-report-template v",
        version=1,
        missing=_(
            "This is not a Kense report template: its version mark is missing. "
            "Download the report's template and copy your values into it."
        ),
        outdated=_(
            "The file was made from another version of the report template. Download the "
            "template again and copy your values into it."
        ),
        other=_(
            "This file is the template of another report. Download this report's template "
            "and copy your values into it."
        ),
    ),
)


def _plain(value: Decimal | None) -> Any:
    if value is None:
        return None
    normal = value.normalize()
    return int(normal) if normal == normal.to_integral_value() else float(normal)


def template_download(report: Report, *, user: User) -> HttpResponse:
    """The template as a file to save (its page and the API give the same)."""
    return download(template_bytes(report, user=user), XLSX, f"report-{report.pk}-template.xlsx")


def template_bytes(report: Report, *, user: User) -> bytes:
    """The report's template, one row per indicator, with the values entered so far and the
    previous period's values."""
    previous = report_selectors.previous_values(report)
    rows = []
    for value in report_selectors.report_values(report):
        before = previous.get(value.indicator_id)
        rows.append(
            [
                value.indicator.code,
                value.indicator.name,
                value.indicator.unit,
                _plain(before.value) if before else None,
                _plain(value.value),
                value.comment,
            ]
        )
    period = periods.period_label(report.form.period_kind, report.year, report.period_number)
    note = gettext("This template belongs to the report «%(form)s» of %(territory)s, %(period)s.")
    return template_workbook(
        REPORT_KIND,
        rows=rows,
        notes=[note % {"form": report.form, "territory": report.territory, "period": period}],
        marked=[report.pk],
    )


def read_report_file(upload: Any, report: Report) -> list[ImportRow]:
    """The rows of an uploaded report template; ImportFileError when the file as a whole is
    wrong, of another template version, or of another report."""
    return read_upload(upload, REPORT_KIND, pk=report.pk)


def report_import(report: Report, rows: list[ImportRow], *, user: User) -> list[RowError]:
    """Save the file's values and comments into the report, or change nothing and return
    every error by row (as Excel numbers them) and column (its title in the user's language).
    Raises ValidationError or PermissionDenied as `report_save_values` does for the report as a
    whole (not editable, not the user's)."""
    codes = {
        value.indicator.code: value.indicator_id
        for value in IndicatorValue.objects.filter(report=report).select_related("indicator")
    }
    entered: dict[int, report_services.Entered] = {}
    row_of: dict[str, ImportRow] = {}
    for row in rows:
        code = row.text("code")
        if code not in codes:
            row.error(
                "code", gettext("«%(code)s» is not an indicator of this report.") % {"code": code}
            )
            continue
        if code in row_of:
            row.error("code", gettext("The indicator «%(code)s» appears twice.") % {"code": code})
            continue
        row_of[code] = row
        value = row.decimal("value")
        if not row.errors:
            entered[codes[code]] = (value, row.text("comment"))
    errors = collect_errors(REPORT_KIND, rows)
    if errors:
        return errors
    try:
        report_services.report_save_values(report, user=user, values=entered)
    except ValidationError as error:
        if not hasattr(error, "error_dict"):
            raise
        # The form's rules name indicators, some perhaps not in the file: those are row 0.
        beyond = ImportRow(0, {}, REPORT_KIND)
        for code, messages in error.message_dict.items():
            for message in messages:
                row_of.get(code, beyond).error("value", message)
        return collect_errors(REPORT_KIND, [beyond, *rows])
    return []


# ---------------------------------------------------------------------------------------------
# A past report in one call (`POST /api/v1/imports/reports`)
# ---------------------------------------------------------------------------------------------
# The import of a region's earlier years (kense.core.imports): a territory's report of 2020,
# with its values, submitted and approved on the dates it was, so that 2020's reporting rates
# (on time: submitted by the period's end plus the due days) come out as they were. Opened,
# filled, submitted and approved through the normal services (the form's rules, completeness,
# the approver's right), then dated; every history row says "Imported".

NOT_BEFORE_PERIOD = _("A report cannot be submitted before its period began.")
APPROVED_BEFORE_SUBMITTED = _("A report cannot be approved before it was submitted.")
ALREADY_OPENED = _("This territory's report for this period already exists.")
IMPORTED_REPORT_STATUSES = (ReportStatus.SUBMITTED, ReportStatus.APPROVED)


def report_history_import(
    form: ReportForm,
    territory: Territory,
    year: int,
    period_number: int,
    *,
    user: User,
    values: dict[int, tuple[Decimal | None, str]],
    status: str,
    submitted_at: datetime.datetime,
    approved_at: datetime.datetime | None = None,
) -> Report:
    """Record a past report of the territory on the form for the period: its values, submitted
    on `submitted_at`, and approved on `approved_at` when `status` is "approved". 403 for
    anybody but the administrator and the project office (and outside the office's scope);
    422 for dates that cannot be, a report that exists already, or values the form refuses."""
    require_import(user)
    errors: dict[str, Any] = {}
    if status not in IMPORTED_REPORT_STATUSES:
        errors["status"] = [INVALID_CHOICE]
    past(submitted_at, "submitted_at", errors)
    past(approved_at, "approved_at", errors)
    if 1 <= period_number <= PERIODS_IN_YEAR.get(form.period_kind, 0) and 1900 <= year <= 2200:
        began = periods.period_end(
            form.period_kind, *periods.previous_period(form.period_kind, year, period_number)
        )
        if timezone.localdate(submitted_at) <= began:
            errors.setdefault("submitted_at", []).append(NOT_BEFORE_PERIOD)
    if status == ReportStatus.APPROVED and approved_at is None:
        errors.setdefault("approved_at", []).append(_("Give the date the report was approved."))
    elif status != ReportStatus.APPROVED and approved_at is not None:
        errors.setdefault("approved_at", []).append(_("Only an approved report has that date."))
    elif approved_at is not None and approved_at < submitted_at:
        errors.setdefault("approved_at", []).append(APPROVED_BEFORE_SUBMITTED)
    if Report.objects.filter(
        form=form, territory=territory, year=year, period_number=period_number
    ).exists():
        errors.setdefault("period_number", []).append(ALREADY_OPENED)
    if errors:
        raise ValidationError(errors)
    with importing():
        report = report_services.report_open(form, territory, year, period_number, user=user)
        report_services.report_save_values(report, user=user, values=values)
        report_services.report_submit(report, user=user)
        if status == ReportStatus.APPROVED:
            report_services.report_approve(report, user=user)
        report = Report.objects.get(pk=report.pk)
        report.submitted_at, report.approved_at = submitted_at, approved_at
        if approved_at is None:
            report.approved_by = None
        report._history_user = user  # type: ignore[attr-defined]  # read by simple_history
        report.save(update_fields=["submitted_at", "approved_at", "approved_by"])
    return report
