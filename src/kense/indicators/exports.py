"""The annual analysis for the akim: the results table and the ranking as a PDF (WeasyPrint,
DejaVu Sans found by fontconfig and embedded, nothing fetched), and the results as Excel."""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from kense.accounts.models import User
from kense.core.exports import xlsx_response
from kense.core.http import download
from kense.geo.render import Picture
from kense.indicators import maps
from kense.indicators.models import Indicator
from kense.indicators.selectors import results as result_selectors
from kense.indicators.selectors.results import Cell, Ranking, ResultsTable
from kense.registry.models import Territory


def results_pdf_download(user: User, year: int) -> HttpResponse:
    """The year's results for the akim as a PDF to save: the table the user's scope gives, and
    the ranking by the year's latest methodology when there is one (its page and the API)."""
    table = result_selectors.results_table(user, year)
    methodology = result_selectors.latest_methodology(year)
    ranked = result_selectors.ranking(user, methodology, year) if methodology else None
    picture = maps.ranking_picture(user, ranked) if ranked else None
    return download(results_pdf(table, ranked, picture), "application/pdf", f"results-{year}.pdf")


#: Indicators per table on a landscape A4 page: with the territory's column, each indicator
#: gets about 3 cm, enough for its name to wrap between words without a word cut in two.
COLUMNS_PER_PAGE = 7


@dataclass(frozen=True)
class ResultsPart:
    """One table of the results: the territories against a run of the indicators."""

    indicators: list[Indicator]
    rows: list[tuple[Territory, list[Cell]]]


@dataclass(frozen=True)
class RankedRow:
    rank: int | None
    territory: str
    low: bool
    score: float | None
    # «Демеушілік қаражат (−1,1)»: the indicator's name, never its code.
    pulled_down: list[tuple[str, float]]


def results_parts(table: ResultsTable, per_page: int = COLUMNS_PER_PAGE) -> list[ResultsPart]:
    """The results table cut into runs of indicators that fit the page's width, as even as
    can be (17 indicators: 6, 6 and 5, not 7, 7 and 3)."""
    count = len(table.indicators)
    runs = max(1, -(-count // per_page))
    size, extra = divmod(count, runs)
    parts, start = [], 0
    for run in range(runs):
        end = start + size + (1 if run < extra else 0)
        rows = [(row.territory, row.cells[start:end]) for row in table.rows]
        parts.append(ResultsPart(table.indicators[start:end], rows))
        start = end
    return parts


def ranked_groups(ranked: Ranking) -> list[tuple[str, list[RankedRow]]]:
    """Per peer group, the ranked territories with the names of the indicators that pulled
    each one down."""

    def name(code: str) -> str:
        indicator = ranked.indicators.get(code)
        return indicator.name if indicator is not None else code

    groups = []
    for label, scores in ranked.groups():
        rows = []
        for score in scores:
            territory = ranked.territories.get(cast(int, score.territory))
            rows.append(
                RankedRow(
                    rank=score.rank,
                    territory=territory.name if territory is not None else "",
                    low=score.low,
                    score=score.score,
                    pulled_down=[(name(c.indicator), c.difference) for c in score.pulled_down],
                )
            )
        groups.append((label, rows))
    return groups


def results_pdf(
    table: ResultsTable, ranked: Ranking | None, picture: Picture | None = None
) -> bytes:
    """The results table of the year, and the ranking by the year's latest methodology, on
    landscape A4 pages: the indicators in runs that fit the width, named, never coded."""
    # Imported here: loading WeasyPrint (Pango, fontconfig) is costly for other requests.
    from weasyprint import HTML

    html = render_to_string(
        "indicators/results_pdf.html",
        {
            "table": table,
            "parts": results_parts(table),
            "ranking": ranked,
            "groups": ranked_groups(ranked) if ranked else [],
            "picture": picture,
            "language": translation.get_language() or "kk",
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
