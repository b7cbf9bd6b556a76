"""A report's Excel round trip: download the template of one territory and period, fill it
offline, upload it.

The template is the registry import's (`kense.registry.imports`): titles in the user's
language, a hidden row of column keys, an instructions sheet; one row per indicator of the form
with the previous period's value beside the cell to fill. A hidden sheet carries a version mark
("kense-report-template v1") and the report it belongs to, so that a file of another report or
of an older template is refused with a message saying so.

An upload is all or nothing: every row is read and checked against the form's rules, and every
error is reported by row and column; only a file without errors changes the report's values.
"""

from __future__ import annotations

import datetime
import io
from collections import defaultdict
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from openpyxl import load_workbook

from kense.indicators import periods
from kense.indicators.models import IndicatorValue, Report
from kense.indicators.selectors import reports as report_selectors
from kense.indicators.services import reports as report_services
from kense.registry.imports import (
    ZIP_MAGIC,
    ImportColumn,
    ImportFileError,
    ImportKind,
    RowError,
    SheetRow,
    read_workbook,
    template_workbook,
)

TEMPLATE_VERSION = 1
MARK_PREFIX = "kense-report-template v"
MARK = f"{MARK_PREFIX}{TEMPLATE_VERSION}"
META_SHEET = "kense"  # hidden; holds the mark and the report's id

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
COLUMN_TITLES = {column.key: column.title for column in REPORT_COLUMNS}


def _no_importer(user: Any) -> Any:
    raise NotImplementedError  # reports are imported here, not by the registry's importer


REPORT_KIND = ImportKind(
    slug="report",
    model=Report,
    title=_("Report from Excel"),
    sheet_title=_("Report"),
    columns=REPORT_COLUMNS,
    importer=_no_importer,
    list_url="indicators:report_list",
    success=_("The report's values were replaced by the file's."),
)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return " ".join(str(value).split())


def _decimal(value: Any) -> Decimal:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return Decimal(str(value))
    text = _text(value).replace(" ", "").replace("\u00a0", "").replace(",", ".")
    number = Decimal(text)
    if not number.is_finite():
        raise InvalidOperation
    return number


def _plain(value: Decimal | None) -> Any:
    if value is None:
        return None
    normal = value.normalize()
    return int(normal) if normal == normal.to_integral_value() else float(normal)


def template_bytes(report: Report, *, user: Any) -> bytes:
    """The report's template, one row per indicator, with the values entered so far and the
    previous period's values."""
    workbook = load_workbook(io.BytesIO(template_workbook(REPORT_KIND, user)))
    sheet = workbook.worksheets[0]
    previous = report_selectors.previous_values(report)
    for value in report_selectors.report_values(report):
        before = previous.get(value.indicator_id)
        sheet.append(
            [
                value.indicator.code,
                value.indicator.name,
                value.indicator.unit,
                _plain(before.value) if before else None,
                _plain(value.value),
                value.comment,
            ]
        )
    meta = workbook.create_sheet(META_SHEET)
    meta.sheet_state = "hidden"
    meta["A1"] = MARK
    meta["A2"] = report.pk
    instructions = workbook.worksheets[1]
    instructions.append([])
    instructions.append(
        [
            gettext("This template belongs to the report «%(form)s» of %(territory)s, %(period)s.")
            % {
                "form": report.form,
                "territory": report.territory,
                "period": periods.period_label(
                    report.form.period_kind, report.year, report.period_number
                ),
            }
        ]
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _check_mark(content: bytes, report: Report) -> None:
    """Refuse a file made from another version of the template, or for another report."""
    if not content.startswith(ZIP_MAGIC):
        return  # read_workbook says what is wrong with it
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl fails in many ways on a zip that is not a workbook
        return
    try:
        if META_SHEET not in workbook.sheetnames:
            raise ImportFileError(
                gettext(
                    "This is not a Kense report template: its version mark is missing. "
                    "Download the report's template and copy your values into it."
                )
            )
        cells = [
            row[0] if row else None
            for row in workbook[META_SHEET].iter_rows(max_row=2, values_only=True)
        ]
    finally:
        workbook.close()
    cells += [None] * (2 - len(cells))
    if _text(cells[0]) != MARK:
        raise ImportFileError(
            gettext(
                "The file was made from another version of the report template. Download the "
                "template again and copy your values into it."
            )
        )
    if _text(cells[1]) != str(report.pk):
        raise ImportFileError(
            gettext(
                "This file is the template of another report. Download this report's template "
                "and copy your values into it."
            )
        )


def read_report_file(upload: Any, report: Report) -> list[SheetRow]:
    """The rows of an uploaded report template; ImportFileError when the file as a whole is
    wrong, of another template version, or of another report."""
    if upload.size and upload.size <= settings.KENSE_IMPORT_MAX_BYTES:
        content = upload.read()
        upload.seek(0)
        _check_mark(content, report)
    return read_workbook(upload, REPORT_KIND)


def report_import(report: Report, rows: list[SheetRow], *, user: Any) -> list[RowError]:
    """Save the file's values and comments into the report, or change nothing and return
    every error by row (as Excel numbers them) and column (its title in the user's language).
    Raises ValidationError or PermissionDenied as `report_save_values` does for the report as a
    whole (not editable, not the user's)."""
    codes = {
        value.indicator.code: value.indicator_id
        for value in IndicatorValue.objects.filter(report=report).select_related("indicator")
    }
    errors: list[RowError] = []
    entered: dict[int, report_services.Entered] = {}
    row_of: dict[str, int] = {}
    for row in rows:
        code = _text(row.cells.get("code"))
        if code not in codes:
            message = gettext("«%(code)s» is not an indicator of this report.") % {"code": code}
            errors.append(RowError(row.number, str(COLUMN_TITLES["code"]), message))
            continue
        if code in row_of:
            message = gettext("The indicator «%(code)s» appears twice.") % {"code": code}
            errors.append(RowError(row.number, str(COLUMN_TITLES["code"]), message))
            continue
        row_of[code] = row.number
        value: Decimal | None = None
        if _text(row.cells.get("value")):
            try:
                value = _decimal(row.cells.get("value"))
            except (InvalidOperation, ValueError):
                message = gettext("«%(value)s» is not a number.") % {
                    "value": _text(row.cells.get("value"))
                }
                errors.append(RowError(row.number, str(COLUMN_TITLES["value"]), message))
                continue
        entered[codes[code]] = (value, _text(row.cells.get("comment")))
    if errors:
        return sorted(errors, key=lambda error: error.row)
    try:
        report_services.report_save_values(report, user=user, values=entered)
    except ValidationError as error:
        if not hasattr(error, "error_dict"):
            raise
        by_row: dict[int, list[str]] = defaultdict(list)
        for code, messages in error.message_dict.items():
            for message in messages:
                by_row[row_of.get(code, 0)].append(message)
        return [
            RowError(number, str(COLUMN_TITLES["value"]), message)
            for number in sorted(by_row)
            for message in by_row[number]
        ]
    return []
