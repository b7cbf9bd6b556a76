"""One way to export: an Excel workbook of headers and rows, dates and numbers typed, served
as a dated download. The sheet is written by core/excel.py, as every workbook Kense writes."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.http import HttpResponse
from django.utils import timezone

from kense.core.excel import XLSX, table_workbook
from kense.core.http import download

__all__ = ["XLSX", "xlsx_response"]


def xlsx_response(
    *, filename: str, title: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]
) -> HttpResponse:
    stamp = timezone.localdate().isoformat()
    return download(table_workbook(title, headers, rows), XLSX, f"{filename}-{stamp}.xlsx")
