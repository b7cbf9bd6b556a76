"""The annual analysis in the API: the results table of a year, the ranking by a methodology
with its explanations, and the methodologies (list, one, create), with the pages' scopes and
the same fixed numbers of queries (the reads are `kense.indicators.selectors.results`)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema, Status

from kense.accounts.auth import current_user
from kense.core.api import READ_ERRORS, WRITE_ERRORS, Ref, Text, write
from kense.core.permissions import get_visible, require_add
from kense.indicators.api.definitions import Year
from kense.indicators.models import LowRule, Methodology, Normalization
from kense.indicators.selectors import results as result_selectors
from kense.indicators.services import methodologies as methodology_services

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


@router.get("/results", response=ResultsOut)
def get_results(request: HttpRequest, year: Year | None = None) -> dict[str, Any]:
    """Each city and district of the user's region (as on 31 December) × each indicator."""
    user = current_user(request)
    year = year or timezone.localdate().year - 1
    table = result_selectors.results_table(user, year)
    return {
        "year": year,
        "region": _ref(table.region),
        "rows": [
            {
                "territory": _ref(row.territory),
                "kind": row.territory.kind,
                "cells": [
                    {
                        "indicator": cell.indicator.code,
                        "value": cell.value,
                        "target": cell.target,
                        "percent_of_target": cell.percent,
                        "change": cell.change,
                        "approved": cell.approved,
                        "source_url": cell.url,
                    }
                    for cell in row.cells
                ],
            }
            for row in table.rows
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
