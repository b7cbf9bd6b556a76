"""Indicators, their targets and values.

Indicators are region-wide (everyone reads, the project office writes); targets and values are
scoped by territory. Reads go through `restrict`, writes through
`kense.indicators.services.definitions` (422 for bad input, 403 outside the user's write scope).
Lists are paginated, each in a fixed number of queries.
"""

import datetime
from decimal import Decimal
from typing import Annotated, Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, PatchDict, Query, Router, Schema
from ninja.pagination import paginate

from kense.accounts.auth import current_user
from kense.core.api import READ_ERRORS, WRITE_ERRORS, Ref, Text, assign, subtree, write
from kense.core.pagination import Pagination
from kense.core.permissions import Action, get_visible, require, require_add
from kense.indicators.models import (
    Computation,
    Indicator,
    IndicatorValue,
    PeriodKind,
    Source,
    Target,
    ValueStatus,
)
from kense.indicators.services import definitions as definition_services
from kense.programs.models import Direction
from kense.registry.models import Territory

router = Router(tags=["indicators"])

TerritoryFilter = Annotated[
    int | None, Query(description="Only this territory and the territories inside it.")
]

# ---------------------------------------------------------------------------------------------
# Indicators
# ---------------------------------------------------------------------------------------------


class IndicatorOut(Schema):
    id: int
    code: str
    name: Text
    name_kk: Text
    name_ru: Text
    name_en: Text
    unit: Text
    unit_kk: Text
    unit_ru: Text
    unit_en: Text
    higher_is_better: bool
    direction: Ref | None
    source: Source
    computation: str = Field(description="What a computed indicator counts; empty if reported.")
    order: int


class IndicatorIn(Schema):
    code: str
    name_kk: Text
    name_ru: Text
    name_en: Text = ""
    unit_kk: Text = ""
    unit_ru: Text = ""
    unit_en: Text = ""
    higher_is_better: bool = True
    direction: int | None = None
    source: Source
    computation: str = Field(
        "", description=f"For a computed indicator, one of: {', '.join(Computation.values)}."
    )
    order: int = 0


def _indicators(user: Any) -> QuerySet[Indicator]:
    return Indicator.objects.restrict(user, Action.VIEW).select_related("direction")


def _indicator_references(user: Any) -> dict[str, QuerySet[Any]]:
    return {"direction": Direction.objects.restrict(user, Action.VIEW)}


@router.get("/indicators", response=list[IndicatorOut])
@paginate(Pagination)
def list_indicators(
    request: HttpRequest,
    source: Source | None = None,
    computation: Computation | None = None,
    direction: int | None = None,
) -> QuerySet[Indicator]:
    indicators = _indicators(current_user(request))
    if source:
        indicators = indicators.filter(source=source)
    if computation:
        indicators = indicators.filter(computation=computation)
    if direction is not None:
        indicators = indicators.filter(direction_id=direction)
    return indicators.order_by("order", "code", "pk")


@router.get("/indicators/{indicator_id}", response={200: IndicatorOut, **READ_ERRORS})
def get_indicator(request: HttpRequest, indicator_id: int) -> Indicator:
    user = current_user(request)
    return get_visible(_indicators(user), user, pk=indicator_id)


@router.post("/indicators", response={201: IndicatorOut, **WRITE_ERRORS})
def create_indicator(request: HttpRequest, payload: IndicatorIn) -> tuple[int, Indicator]:
    user = current_user(request)
    require_add(user, Indicator)
    indicator = Indicator()
    assign(indicator, payload.dict(), _indicator_references(user))
    return 201, write(definition_services.indicator_save, indicator, user=user)


@router.patch("/indicators/{indicator_id}", response={200: IndicatorOut, **WRITE_ERRORS})
def update_indicator(
    request: HttpRequest, indicator_id: int, payload: PatchDict[IndicatorIn]
) -> Indicator:
    user = current_user(request)
    indicator = get_visible(_indicators(user), user, pk=indicator_id)
    require(user, Action.CHANGE, indicator)
    assign(indicator, payload, _indicator_references(user))
    return write(definition_services.indicator_save, indicator, user=user)


# ---------------------------------------------------------------------------------------------
# Targets
# ---------------------------------------------------------------------------------------------


class TargetOut(Schema):
    id: int
    indicator: Ref
    territory: Ref
    year: int
    value: Decimal


class TargetIn(Schema):
    indicator: int
    territory: int
    year: int
    value: Decimal


def _targets(user: Any) -> QuerySet[Target]:
    return Target.objects.restrict(user, Action.VIEW).select_related("indicator", "territory")


def _target_references(user: Any) -> dict[str, QuerySet[Any]]:
    return {
        "indicator": Indicator.objects.restrict(user, Action.VIEW),
        "territory": Territory.objects.restrict(user, Action.VIEW),
    }


@router.get("/targets", response=list[TargetOut], tags=["targets"])
@paginate(Pagination)
def list_targets(
    request: HttpRequest,
    indicator: int | None = None,
    territory: TerritoryFilter = None,
    year: int | None = None,
) -> QuerySet[Target]:
    user = current_user(request)
    targets = _targets(user)
    if indicator is not None:
        targets = targets.filter(indicator_id=indicator)
    if territory is not None:
        visible = Territory.objects.restrict(user, Action.VIEW)
        targets = targets.filter(territory__path__startswith=subtree(visible, territory))
    if year is not None:
        targets = targets.filter(year=year)
    return targets.order_by("indicator__order", "indicator_id", "territory__path", "year", "pk")


@router.get("/targets/{target_id}", response={200: TargetOut, **READ_ERRORS}, tags=["targets"])
def get_target(request: HttpRequest, target_id: int) -> Target:
    user = current_user(request)
    return get_visible(_targets(user), user, pk=target_id)


@router.post("/targets", response={201: TargetOut, **WRITE_ERRORS}, tags=["targets"])
def create_target(request: HttpRequest, payload: TargetIn) -> tuple[int, Target]:
    user = current_user(request)
    require_add(user, Target)
    target = Target()
    assign(target, payload.dict(), _target_references(user))
    return 201, write(definition_services.target_save, target, user=user)


@router.patch("/targets/{target_id}", response={200: TargetOut, **WRITE_ERRORS}, tags=["targets"])
def update_target(request: HttpRequest, target_id: int, payload: PatchDict[TargetIn]) -> Target:
    user = current_user(request)
    target = get_visible(_targets(user), user, pk=target_id)
    require(user, Action.CHANGE, target)
    assign(target, payload, _target_references(user))
    return write(definition_services.target_save, target, user=user)


# ---------------------------------------------------------------------------------------------
# Values
# ---------------------------------------------------------------------------------------------


class ValueOut(Schema):
    id: int
    indicator: Ref
    territory: Ref
    year: int
    period_kind: PeriodKind
    period_number: int
    value: Decimal | None = Field(description="Null: no data.")
    status: ValueStatus
    approved: bool = Field(
        description="Computed, or reported and approved by the project office.",
        validation_alias="is_approved",
    )
    comment: str
    updated_at: datetime.datetime


@router.get("/indicator-values", response=list[ValueOut], tags=["indicator values"])
@paginate(Pagination)
def list_values(
    request: HttpRequest,
    indicator: int | None = None,
    territory: TerritoryFilter = None,
    year: int | None = None,
    period: PeriodKind | None = None,
    status: ValueStatus | None = None,
) -> QuerySet[IndicatorValue]:
    user = current_user(request)
    values = IndicatorValue.objects.restrict(user, Action.VIEW).select_related(
        "indicator", "territory"
    )
    if indicator is not None:
        values = values.filter(indicator_id=indicator)
    if territory is not None:
        visible = Territory.objects.restrict(user, Action.VIEW)
        values = values.filter(territory__path__startswith=subtree(visible, territory))
    if year is not None:
        values = values.filter(year=year)
    if period:
        values = values.filter(period_kind=period)
    if status:
        values = values.filter(status=status)
    return values.order_by(
        "indicator__order", "indicator_id", "territory__path", "year", "period_number", "pk"
    )
