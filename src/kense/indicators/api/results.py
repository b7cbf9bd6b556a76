"""The annual analysis in the API: the results table of a year, the ranking by a methodology
with its explanations, and the methodologies (list, one, create), with the pages' scopes and
the same fixed numbers of queries (the reads are `kense.indicators.selectors.results`)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Field, Router, Schema, Status

from kense.accounts.auth import current_user
from kense.core.api import (
    READ_ERRORS,
    WRITE_ERRORS,
    Message,
    Ref,
    Text,
    assign,
    file_download,
    write,
)
from kense.core.excel import XLSX
from kense.core.patch import Patch
from kense.core.permissions import get_changeable, get_visible, require_add
from kense.indicators import exports
from kense.indicators.api.definitions import Year
from kense.indicators.models import Indicator, LowRule, Methodology, Normalization
from kense.indicators.selectors import results as result_selectors
from kense.indicators.services import methodologies as methodology_services
from kense.registry.models import Territory

router = Router(tags=["indicators"])


class ResultCellOut(Schema):
    indicator: str = Field(description="The indicator's code.")
    value: Decimal | None
    target: Decimal | None
    percent_of_target: float | None
    change: Decimal | None = Field(description="Change from the previous year.")
    approved: bool
    source_url: str = Field(description="The events, assignments or report behind the value.")


class ResultRowOut(Schema):
    territory: Ref
    kind: str
    cells: list[ResultCellOut]


class ResultsOut(Schema):
    year: int
    region: Ref | None
    rows: list[ResultRowOut]


class TrendSeriesOut(Schema):
    territory: Ref
    kind: str
    values: list[float | None] = Field(description="By year, as `years`; null: no value.")


class TrendsOut(Schema):
    indicator: int
    years: list[int]
    series: list[TrendSeriesOut]


class PassportIndicatorOut(Schema):
    id: int
    code: str
    name: Text
    unit: Text


class PassportYearOut(Schema):
    year: int
    cells: list[ResultCellOut]
    rank: int | None = Field(description="In its peer group, by the year's latest methodology.")
    peers: int
    low: bool
    score: float | None
    methodology: int | None
    plan: dict[str, int] = Field(description="Plan against fact of its annual work plans.")
    events: dict[str, int]
    discipline: dict[str, int] = Field(description="Its assignments due that year.")


class PassportOut(Schema):
    territory: Ref
    kind: str
    indicators: list[PassportIndicatorOut]
    years: list[PassportYearOut]


class ContributionOut(Schema):
    indicator: str
    weight: float = Field(description="The effective weight, shared over available indicators.")
    normalized: float
    contribution: float
    peer_contribution: float
    difference: float = Field(description="Above zero pulled the territory up, below down.")


class ScoreOut(Schema):
    territory: Ref
    score: float | None
    rank: int | None
    low: bool
    contributions: list[ContributionOut] = Field(description="Most pulling down first.")
    missing: list[str] = Field(description="Indicators without a value (not counted as zero).")
    skipped: list[str] = Field(description="Indicators without a usable target.")


class GroupOut(Schema):
    peer_group: str
    territories: list[ScoreOut]


class RankingOut(Schema):
    year: int
    methodology: int
    region: Ref | None
    groups: list[GroupOut]


class MethodologyOut(Schema):
    id: int
    name: Text
    name_kk: Text
    name_ru: Text
    name_en: Text
    version: int
    year: int
    normalization: Normalization
    weights: dict[str, float]
    low_rule: LowRule
    threshold: Decimal | None
    description: Text
    created_at: datetime.datetime


class MethodologyIn(Schema):
    name_kk: Text
    name_ru: Text
    name_en: Text = ""
    year: int
    normalization: Normalization
    weights: dict[str, float] = Field(description="Indicator code → weight (zero or more).")
    low_rule: LowRule
    threshold: Decimal | None = None
    description_kk: Text = ""
    description_ru: Text = ""


def _ref(obj: Any) -> dict[str, Any] | None:
    return None if obj is None else {"id": obj.pk, "name": obj.name}


def _cell(cell: result_selectors.Cell) -> dict[str, Any]:
    return {
        "indicator": cell.indicator.code,
        "value": cell.value,
        "target": cell.target,
        "percent_of_target": cell.percent,
        "change": cell.change,
        "approved": cell.approved,
        "source_url": cell.url,
    }


def _results_year(year: int | None) -> int:
    return year or timezone.localdate().year - 1


@router.get("/results", response=ResultsOut)
def get_results(request: HttpRequest, year: Year | None = None) -> dict[str, Any]:
    """Each city and district of the user's region (as on 31 December) × each indicator."""
    user = current_user(request)
    year = _results_year(year)
    table = result_selectors.results_table(user, year)
    return {
        "year": year,
        "region": _ref(table.region),
        "rows": [
            {
                "territory": _ref(row.territory),
                "kind": row.territory.kind,
                "cells": [_cell(cell) for cell in row.cells],
            }
            for row in table.rows
        ],
    }


@router.get(
    "/results/pdf",
    response={401: Message},
    openapi_extra=file_download(
        "The results table of the year and its ranking by the year's latest methodology, "
        "for the akim (the page's PDF).",
        "application/pdf",
    ),
)
def get_results_pdf(request: HttpRequest, year: Year | None = None) -> HttpResponse:
    """The results of the year as a PDF: the table, and the ranking by the year's latest
    methodology when there is one. The year defaults to the last one."""
    user = current_user(request)
    year = _results_year(year)
    return exports.results_pdf_download(user, year)


@router.get(
    "/results/xlsx",
    response={401: Message},
    openapi_extra=file_download(
        "One row per territory and indicator, numbers typed (the page's Excel).", XLSX
    ),
)
def get_results_xlsx(request: HttpRequest, year: Year | None = None) -> HttpResponse:
    """The results of the year as an Excel workbook. The year defaults to the last one."""
    user = current_user(request)
    return exports.results_xlsx(result_selectors.results_table(user, _results_year(year)))


@router.get("/trends", response={200: TrendsOut, **READ_ERRORS})
def get_trends(
    request: HttpRequest,
    indicator: int,
    year_from: Year | None = None,
    year_to: Year | None = None,
) -> dict[str, Any]:
    """One indicator by year for each city and district of the user's region (the trends
    chart and its small multiples). The years default to the last ten that have values; at
    most ten are given."""
    user = current_user(request)
    chosen = get_visible(Indicator.objects.all(), user, pk=indicator)
    known = sorted(result_selectors.value_years())
    first = year_from or (known[-10] if len(known) >= 10 else known[0] if known else None)
    last = year_to or (known[-1] if known else None)
    if first is None or last is None:
        first = last = timezone.localdate().year - 1
    if last < first:
        first, last = last, first
    years = list(range(max(first, last - 9), last + 1))
    data = result_selectors.trends(user, chosen, years)
    return {
        "indicator": chosen.pk,
        "years": data.years,
        "series": [
            {"territory": _ref(territory), "kind": territory.kind, "values": values}
            for territory, values in data.series
        ],
    }


@router.get("/passports/{territory_id}", response={200: PassportOut, **READ_ERRORS})
def get_passport(request: HttpRequest, territory_id: int) -> dict[str, Any]:
    """One city or district over the years: its indicators (value, target, approved), plan
    against fact, events, assignment discipline, and its rank in its peer group."""
    user = current_user(request)
    territory = get_visible(Territory.objects.all(), user, pk=territory_id)
    data = result_selectors.passport(user, territory)
    return {
        "territory": _ref(territory),
        "kind": territory.kind,
        "indicators": data.indicators,
        "years": [
            {
                "year": entry.year,
                "cells": [_cell(cell) for cell in entry.cells],
                "rank": entry.rank,
                "peers": entry.peers,
                "low": entry.low,
                "score": entry.score,
                "methodology": entry.methodology.pk if entry.methodology else None,
                "plan": entry.plan,
                "events": entry.events,
                "discipline": entry.discipline,
            }
            for entry in data.years
        ],
    }


@router.get("/rankings", response={200: RankingOut, **READ_ERRORS})
def get_ranking(request: HttpRequest, methodology: int, year: Year | None = None) -> dict[str, Any]:
    """Cities and districts ranked within their peer groups, low performers flagged, with what
    pulled each up or down. The year defaults to the methodology's."""
    user = current_user(request)
    chosen = get_visible(Methodology.objects.all(), user, pk=methodology)
    ranked = result_selectors.ranking(user, chosen, year or chosen.year)
    return {
        "year": ranked.year,
        "methodology": chosen.pk,
        "region": _ref(ranked.region),
        "groups": [
            {
                "peer_group": kind,
                "territories": [
                    {
                        "territory": _ref(ranked.territories[score.territory]),
                        "score": score.score,
                        "rank": score.rank,
                        "low": score.low,
                        "contributions": [vars(c) for c in score.contributions],
                        "missing": score.missing,
                        "skipped": score.skipped,
                    }
                    for score in scores
                    if score.territory in ranked.visible
                ],
            }
            for kind, scores in ranked.result.groups.items()
        ],
    }


@router.get("/methodologies", response=list[MethodologyOut])
def list_methodologies(request: HttpRequest, year: Year | None = None) -> list[Methodology]:
    user = current_user(request)
    methodologies = Methodology.objects.restrict(user)
    if year is not None:
        methodologies = methodologies.filter(year=year)
    return list(methodologies.order_by("-year", "name", "-version"))


@router.get("/methodologies/{methodology_id}", response={200: MethodologyOut, **READ_ERRORS})
def get_methodology(request: HttpRequest, methodology_id: int) -> Methodology:
    user = current_user(request)
    return get_visible(Methodology.objects.all(), user, pk=methodology_id)


@router.post("/methodologies", response={201: MethodologyOut, **WRITE_ERRORS})
def create_methodology(request: HttpRequest, payload: MethodologyIn) -> Status[Methodology]:
    """A new methodology (version 1). Weights name known indicator codes; one must be above
    zero. The project office and administrators only."""
    user = current_user(request)
    require_add(user, Methodology)
    methodology = Methodology(**payload.dict())
    write(methodology_services.methodology_save, methodology, user=user)
    return Status(201, methodology)


@router.patch("/methodologies/{methodology_id}", response={200: MethodologyOut, **WRITE_ERRORS})
def update_methodology(
    request: HttpRequest, methodology_id: int, payload: Patch[MethodologyIn]
) -> Methodology:
    """Change a methodology: in place while no ranking uses it; once used, the change is saved
    as the next version under the same name (the used one stays as it was), and the answer is
    that new version. The project office and administrators only."""
    user = current_user(request)
    methodology = get_changeable(Methodology.objects.all(), user, pk=methodology_id)
    assign(methodology, payload, {})
    return write(methodology_services.methodology_save, methodology, user=user)
