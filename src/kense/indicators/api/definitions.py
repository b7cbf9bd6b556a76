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
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from kense.accounts.auth import current_user
from kense.accounts.models import User
from kense.core.api import READ_ERRORS, WRITE_ERRORS, Ref, Text, assign, write
from kense.core.filters import FilterValues, filtered
from kense.core.pagination import Pagination
from kense.core.patch import Patch
from kense.core.permissions import Action, get_changeable, get_visible, require_add
from kense.indicators.filters import IndicatorFilters, TargetFilters, ValueFilters
from kense.indicators.models import (
    Computation,
    Indicator,
    IndicatorValue,
    PeriodKind,
    Source,
    Target,
    ValueStatus,
)
from kense.indicators.selectors import definitions as definition_selectors
from kense.indicators.services import definitions as definition_services
from kense.programs.models import Direction
from kense.registry.models import Territory

# A year the indicators can hold (the services' bounds): a query for a year beyond them failed
# in date arithmetic or in the database (500); now it is a 422 naming the parameter.
Year = Annotated[int, Field(ge=definition_services.FIRST_YEAR, le=definition_services.LAST_YEAR)]

router = Router(tags=["indicators"])

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


def _indicators(user: User) -> QuerySet[Indicator]:
    return Indicator.objects.restrict(user, Action.VIEW).select_related("direction")


def _indicator_references(user: User) -> dict[str, QuerySet[Any]]:
    return {"direction": Direction.objects.restrict(user, Action.VIEW)}


@router.get("/indicators", response=list[IndicatorOut])
@paginate(Pagination)
@filtered(IndicatorFilters)
def list_indicators(request: HttpRequest, filters: FilterValues) -> QuerySet[Indicator]:
    return definition_selectors.indicator_list(current_user(request), filters)


@router.get("/indicators/{indicator_id}", response={200: IndicatorOut, **READ_ERRORS})
def get_indicator(request: HttpRequest, indicator_id: int) -> Indicator:
    user = current_user(request)
    return get_visible(_indicators(user), user, pk=indicator_id)


@router.post("/indicators", response={201: IndicatorOut, **WRITE_ERRORS})
def create_indicator(request: HttpRequest, payload: IndicatorIn) -> Status[Indicator]:
    user = current_user(request)
    require_add(user, Indicator)
    indicator = Indicator()
    assign(indicator, payload.dict(), _indicator_references(user))
    return Status(201, write(definition_services.indicator_save, indicator, user=user))


@router.patch("/indicators/{indicator_id}", response={200: IndicatorOut, **WRITE_ERRORS})
def update_indicator(
    request: HttpRequest, indicator_id: int, payload: Patch[IndicatorIn]
) -> Indicator:
    user = current_user(request)
    indicator = get_changeable(_indicators(user), user, pk=indicator_id)
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


def _targets(user: User) -> QuerySet[Target]:
    return Target.objects.restrict(user, Action.VIEW).select_related("indicator", "territory")


def _target_references(user: User) -> dict[str, QuerySet[Any]]:
    return {
        "indicator": Indicator.objects.restrict(user, Action.VIEW),
        "territory": Territory.objects.restrict(user, Action.VIEW),
    }


@router.get("/targets", response=list[TargetOut], tags=["targets"])
@paginate(Pagination)
@filtered(TargetFilters)
def list_targets(request: HttpRequest, filters: FilterValues) -> QuerySet[Target]:
    return definition_selectors.target_list(current_user(request), filters)


@router.get("/targets/{target_id}", response={200: TargetOut, **READ_ERRORS}, tags=["targets"])
def get_target(request: HttpRequest, target_id: int) -> Target:
    user = current_user(request)
    return get_visible(_targets(user), user, pk=target_id)


@router.post("/targets", response={201: TargetOut, **WRITE_ERRORS}, tags=["targets"])
def create_target(request: HttpRequest, payload: TargetIn) -> Status[Target]:
    user = current_user(request)
    require_add(user, Target)
    target = Target()
    assign(target, payload.dict(), _target_references(user))
    return Status(201, write(definition_services.target_save, target, user=user))


@router.patch("/targets/{target_id}", response={200: TargetOut, **WRITE_ERRORS}, tags=["targets"])
def update_target(request: HttpRequest, target_id: int, payload: Patch[TargetIn]) -> Target:
    user = current_user(request)
    target = get_changeable(_targets(user), user, pk=target_id)
    assign(target, payload, _target_references(user))
    return write(definition_services.target_save, target, user=user)


# ---------------------------------------------------------------------------------------------
# Values
# ---------------------------------------------------------------------------------------------


class IndicatorValueOut(Schema):
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


@router.get("/indicator-values", response=list[IndicatorValueOut], tags=["indicator values"])
@paginate(Pagination)
@filtered(ValueFilters)
def list_values(request: HttpRequest, filters: FilterValues) -> QuerySet[IndicatorValue]:
    return definition_selectors.value_list(current_user(request), filters)


class RecomputeIn(Schema):
    year: Year


class RecomputeOut(Schema):
    year: int
    count: int = Field(description="The values written.")


@router.post(
    "/indicator-values/recompute",
    response={200: RecomputeOut, **WRITE_ERRORS},
    tags=["indicator values"],
)
def recompute_values(request: HttpRequest, payload: RecomputeIn) -> dict[str, int]:
    """Recompute the year's computed values now, for every region, city and district (the
    indicators page's "recompute" button; otherwise they are recomputed nightly). The project
    office and administrators only."""
    count = definition_services.refresh_now(current_user(request), payload.year)
    return {"year": payload.year, "count": count}
