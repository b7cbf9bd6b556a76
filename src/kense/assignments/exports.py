"""Excel exports of the assignment pages that are not ListSpec lists."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.translation import gettext as _

from kense.assignments.selectors import DisciplineRow
from kense.core.exports import xlsx_response


def discipline_xlsx(
    rows: list[DisciplineRow], total: DisciplineRow, *, year: int, by: str
) -> HttpResponse:
    """The discipline table as on the page, with its total row last."""
    first = _("Organization") if by == "organization" else _("City or district")
    headers = [
        first,
        _("Due"),
        _("Done on time"),
        _("Done late"),
        _("Overdue now"),
        _("On time, %"),
    ]
    return xlsx_response(
        filename=f"discipline-{year}-{by}",
        title=_("Discipline %(year)s") % {"year": year},
        headers=headers,
        rows=(
            [row.name, row.due, row.on_time, row.late, row.overdue, row.on_time_share]
            for row in [*rows, total]
        ),
    )
