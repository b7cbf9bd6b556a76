"""One way to export: an Excel workbook of headers and rows, dates and numbers typed, served
as a dated download. The sheet is written by core/excel.py, as every workbook Kense writes."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.http import HttpResponse
from django.utils import timezone

from kense.core.excel import XLSX, table_workbook

__all__ = ["XLSX", "xlsx_response"]


def xlsx_response(
    *, filename: str, title: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]
) -> HttpResponse:
    response = HttpResponse(table_workbook(title, headers, rows), content_type=XLSX)
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="{filename}-{stamp}.xlsx"'
    return response
