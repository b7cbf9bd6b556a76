"""Reads of indicator definitions: an indicator's values and targets by territory and year, and
the targets table of the targets page."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, QuerySet

from kense.accounts.models import User
from kense.core.filters import FilterValues
from kense.core.lists import kazakh_order
from kense.core.permissions import Action, Actor
from kense.indicators.filters import IndicatorFilters, TargetFilters, ValueFilters
from kense.indicators.models import Indicator, IndicatorValue, PeriodKind, Target
from kense.registry.models import Territory, TerritoryKind

COMPARED_KINDS = [TerritoryKind.REGION, TerritoryKind.CITY, TerritoryKind.DISTRICT]
# A page shows at most this many years side by side.
MAX_YEARS = 10


def indicator_list(user: Actor, filters: FilterValues | None = None) -> QuerySet[Indicator]:
    """The indicators the user may see, in their set order."""
    indicators: QuerySet[Indicator] = Indicator.objects.restrict(user).select_related("direction")
    return IndicatorFilters.narrow(indicators, filters).order_by("order", "code", "pk")


def target_list(user: Actor, filters: FilterValues | None = None) -> QuerySet[Target]:
    """The targets the user may see, by indicator, territory and year."""
    targets = Target.objects.restrict(user).select_related("indicator", "territory")
    return TargetFilters.narrow(targets, filters).order_by(
        "indicator__order", "indicator_id", "territory__path", "year", "pk"
    )


def value_list(user: Actor, filters: FilterValues | None = None) -> QuerySet[IndicatorValue]:
    """The indicator values the user may see, by indicator, territory, year and period."""
    values = IndicatorValue.objects.restrict(user).select_related("indicator", "territory")
    return ValueFilters.narrow(values, filters).order_by(
        "indicator__order", "indicator_id", "territory__path", "year", "period_number", "pk"
    )


@dataclass
class Cell:
    value: IndicatorValue | None = None
    target: Decimal | None = None
    # The column's year, which labels the cell when a phone draws its row as a card.
    year: int | None = None

    @property
    def no_data(self) -> bool:
        return self.value is None or self.value.value is None


@dataclass
class Row:
    territory: Territory
    cells: list[Cell] = field(default_factory=list)


def _compared_territories(user: User, extra_ids: set[int]) -> list[Territory]:
    """The regions, cities and districts the user sees, and any other territory named."""
    return list(
        Territory.objects.restrict(user)
        .filter(Q(kind__in=COMPARED_KINDS) | Q(pk__in=extra_ids))
        .order_by("depth", kazakh_order(), "pk")
    )


def value_table(user: User, indicator: Indicator) -> tuple[list[int], list[Row]]:
    """The indicator's yearly values and targets per region, city and district the user
    sees, for the latest years that have any (at most ten). Three queries."""
    values = list(
        IndicatorValue.objects.restrict(user).filter(
            indicator=indicator, period_kind=PeriodKind.YEAR
        )
    )
    targets = list(
        Target.objects.restrict(user)
        .filter(indicator=indicator)
        .values_list("territory_id", "year", "value")
    )
    years = sorted({v.year for v in values} | {year for _t, year, _v in targets})[-MAX_YEARS:]
    by_key = {(v.territory_id, v.year): v for v in values}
    target_of = {(territory_id, year): value for territory_id, year, value in targets}
    territories = _compared_territories(user, {v.territory_id for v in values})
    rows = [
        Row(
            territory,
            [
                Cell(by_key.get((territory.pk, year)), target_of.get((territory.pk, year)), year)
                for year in years
            ],
        )
        for territory in territories
    ]
    return years, rows


def target_table(user: User, indicator: Indicator, years: list[int]) -> tuple[list[Row], set[int]]:
    """The indicator's targets of the years per region, city and district the user sees, and
    the ids of those territories whose targets the user may change. Three queries."""
    territories = _compared_territories(user, set())
    targets = {
        (territory_id, year): value
        for territory_id, year, value in Target.objects.restrict(user)
        .filter(indicator=indicator, year__in=years)
        .values_list("territory_id", "year", "value")
    }
    rows = [
        Row(t, [Cell(target=targets.get((t.pk, year)), year=year) for year in years])
        for t in territories
    ]
    editable = set(
        Territory.objects.restrict(user, Action.CHANGE)
        .filter(pk__in=[t.pk for t in territories])
        .values_list("pk", flat=True)
    )
    return rows, editable


def target_value(
    user: User, indicator: Indicator, territory: Territory, year: int
) -> Decimal | None:
    """The target of the indicator for the territory and year, if the user sees one. One
    query."""
    target = Target.objects.restrict(user).filter(
        indicator=indicator, territory=territory, year=year
    )
    return target.values_list("value", flat=True).first()
