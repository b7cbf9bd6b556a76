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

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kense.accounts.models import User
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
from kense.indicators import periods
from kense.indicators.models import IndicatorValue, Report
from kense.indicators.selectors import reports as report_selectors
from kense.indicators.services import reports as report_services

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
