"""The annual analysis for the akim: the results table and the ranking as a PDF (WeasyPrint,
DejaVu Sans found by fontconfig and embedded, nothing fetched), and the results as Excel."""

from __future__ import annotations

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from kense.accounts.models import User
from kense.core.exports import xlsx_response
from kense.core.http import download
from kense.indicators.selectors import results as result_selectors
from kense.indicators.selectors.results import Ranking, ResultsTable


def results_pdf_download(user: User, year: int) -> HttpResponse:
    """The year's results for the akim as a PDF to save: the table the user's scope gives, and
    the ranking by the year's latest methodology when there is one (its page and the API)."""
    table = result_selectors.results_table(user, year)
    methodology = result_selectors.latest_methodology(year)
    ranked = result_selectors.ranking(user, methodology, year) if methodology else None
    return download(results_pdf(table, ranked), "application/pdf", f"results-{year}.pdf")


def results_pdf(table: ResultsTable, ranked: Ranking | None) -> bytes:
    """The results table of the year, and the ranking by the year's latest methodology."""
    # Imported here: loading WeasyPrint (Pango, fontconfig) is costly for other requests.
    from weasyprint import HTML

    html = render_to_string(
        "indicators/results_pdf.html",
        {
            "table": table,
            "ranking": ranked,
            "groups": ranked.groups() if ranked else [],
        },
    )
    pdf: bytes = HTML(string=html).write_pdf()
    return pdf


def results_xlsx(table: ResultsTable) -> HttpResponse:
    """One row per territory and indicator, numbers typed."""
    headers = [
        _("Territory"),
        _("Indicator"),
        _("Unit"),
        _("Value"),
        _("Target"),
        _("Per cent of target"),
        _("Change from the previous year"),
        _("Approved"),
    ]
    rows = [
        [
            row.territory.name,
            cell.indicator.name,
            cell.indicator.unit,
            cell.value,
            cell.target,
            cell.percent,
            cell.change,
            _("Yes") if cell.approved else _("No"),
        ]
        for row in table.rows
        for cell in row.cells
    ]
    return xlsx_response(
        filename=f"results-{table.year}",
        title=_("Results %(year)s") % {"year": table.year},
        headers=headers,
        rows=rows,
    )
