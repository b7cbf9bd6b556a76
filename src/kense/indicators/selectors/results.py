"""Reads of the annual analysis: the results table, the ranking, trends and the territory
passport. Each reads the database in a fixed number of queries whatever the number of
territories, indicators or years, and only ever reads indicator values from `IndicatorValue`
(annual rows): computing them is the computation's job, which also excuses postponements
justified by a declared emergency in `events_held_share`.

Cities and districts are taken as the tree stood on 31 December of the year, so a territory
that moved to another region later (Zhezkazgan, 2022) is analysed with the region it was in.
The ranking is computed over the whole peer group of the region (a rank is relative to all the
peers) and shown for the territories the user may see.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, cast

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import ExtractYear
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from kense.accounts.models import User
from kense.assignments.models import Assignment, DeadlineKind, Status
from kense.assignments.selectors import _counts as discipline_counts
from kense.core.generations import Generation
from kense.core.lists import kazakh_order
from kense.core.permissions import scope_of
from kense.events.models import Event, EventStatus
from kense.indicators.models import (
    APPROVED_STATUSES,
    Computation,
    Indicator,
    IndicatorValue,
    Methodology,
    PeriodKind,
    Source,
    Target,
)
from kense.indicators.ranking import RankingResult, Row, TerritoryScore, rank
from kense.registry.models import Territory, TerritoryKind, TerritoryParentPeriod
from kense.registry.selectors import subtree_on

PEERS = (TerritoryKind.CITY, TerritoryKind.DISTRICT)
ASSIGNMENT_COMPUTATIONS = {Computation.ASSIGNMENTS_ON_TIME, Computation.ASSIGNMENTS_OVERDUE}


def year_end(year: int) -> datetime.date:
    return datetime.date(year, 12, 31)


def value_years() -> list[int]:
    """Years that have annual values, newest first (one query)."""
    return list(
        IndicatorValue.objects.filter(period_kind=PeriodKind.YEAR)
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )


def user_region(user: User) -> Territory | None:
    """The region the user works in (the region above their territory), or for those bound to
    no territory, the first region. One query."""
    scope = scope_of(user)
    path = (
        scope.organization_territory_path if scope.is_organization_bound else scope.territory_path
    )
    regions = Territory.objects.filter(kind=TerritoryKind.REGION)
    if path:
        ancestors = [int(part) for part in path.strip("/").split("/") if part]
        return regions.filter(pk__in=ancestors).order_by("-depth").first()
    return regions.order_by("pk").first()


def _peers_on(region: Territory | None, day: datetime.date) -> list[Territory]:
    """The region's cities and districts on `day`, cities first, in Kazakh order. Three
    queries (two of them subtree_on's)."""
    if region is None:
        return []
    ids = subtree_on(region, day)
    return list(
        Territory.objects.filter(pk__in=ids, kind__in=PEERS)
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        .order_by("kind", kazakh_order(), "pk")
    )


def _visible_ids(user: User, ids: Iterable[int]) -> set[int]:
    return set(
        Territory.objects.restrict(user).filter(pk__in=list(ids)).values_list("pk", flat=True)
    )


def _indicators(user: User) -> list[Indicator]:
    return list(Indicator.objects.restrict(user).order_by("order", "code"))


def _drill_down(indicator: Indicator, territory_id: int, year: int, report_id: int | None) -> str:
    if indicator.source == Source.REPORTED:
        if report_id is None:
            return ""
        return reverse("indicators:report_detail", args=[report_id])
    if indicator.computation in ASSIGNMENT_COMPUTATIONS:
        filters: dict[str, Any] = {
            "territory": territory_id,
            "deadline_from": f"{year}-01-01",
            "deadline_to": f"{year}-12-31",
        }
        return f"{reverse('assignments:assignment_list')}?{urlencode(filters)}"
    query: dict[str, Any] = {
        "territory": territory_id,
        "date_from": f"{year}-01-01",
        "date_to": f"{year}-12-31",
    }
    return f"{reverse('events:event_list')}?{urlencode(query)}"


# ---------------------------------------------------------------------------------------------
# The results table
# ---------------------------------------------------------------------------------------------


@dataclass
class Cell:
    indicator: Indicator
    value: Decimal | None = None
    target: Decimal | None = None
    previous: Decimal | None = None
    approved: bool = True
    url: str = ""

    @property
    def percent(self) -> float | None:
        if self.value is None or not self.target:
            return None
        return round(float(self.value) / float(self.target) * 100, 1)

    @property
    def change(self) -> Decimal | None:
        if self.value is None or self.previous is None:
            return None
        return self.value - self.previous


@dataclass
class ResultRow:
    territory: Territory
    cells: list[Cell] = field(default_factory=list)


@dataclass
class ResultsTable:
    year: int
    region: Territory | None
    indicators: list[Indicator]
    rows: list[ResultRow]


def _values(
    territory_ids: Iterable[int], years: Iterable[int] | None
) -> dict[tuple[int, int, int], tuple[Decimal | None, bool, int | None]]:
    """(indicator, territory, year) → (value, approved, report), every year when `years` is
    None. One query."""
    found: dict[tuple[int, int, int], tuple[Decimal | None, bool, int | None]] = {}
    queryset = IndicatorValue.objects.filter(
        territory_id__in=list(territory_ids), period_kind=PeriodKind.YEAR
    )
    if years is not None:
        queryset = queryset.filter(year__in=list(years))
    for indicator_id, territory_id, year, value, status, report_id in queryset.values_list(
        "indicator_id", "territory_id", "year", "value", "status", "report_id"
    ):
        found[(indicator_id, territory_id, year)] = (value, status in APPROVED_STATUSES, report_id)
    return found


def _targets(
    territory_ids: Iterable[int], years: Iterable[int]
) -> dict[tuple[int, int, int], Decimal]:
    """(indicator, territory, year) → target. One query."""
    return {
        (indicator_id, territory_id, year): value
        for indicator_id, territory_id, year, value in Target.objects.filter(
            territory_id__in=list(territory_ids), year__in=list(years)
        ).values_list("indicator_id", "territory_id", "year", "value")
    }


def results_table(user: User, year: int, region: Territory | None = None) -> ResultsTable:
    """Each city and district of the region (as on 31 December of `year`) that the user may
    see × each indicator: value, target, % of target, change from the previous year, approved
    or not, and where the number comes from. Eight queries."""
    region = region or user_region(user)
    peers = _peers_on(region, year_end(year))
    visible = _visible_ids(user, [t.pk for t in peers])
    territories = [t for t in peers if t.pk in visible]
    indicators = _indicators(user)
    ids = [t.pk for t in territories]
    values = _values(ids, [year - 1, year])
    targets = _targets(ids, [year])
    rows = []
    for territory in territories:
        row = ResultRow(territory)
        for indicator in indicators:
            value, approved, report_id = values.get(
                (indicator.pk, territory.pk, year), (None, True, None)
            )
            previous = values.get((indicator.pk, territory.pk, year - 1), (None, True, None))[0]
            row.cells.append(
                Cell(
                    indicator,
                    value=value,
                    target=targets.get((indicator.pk, territory.pk, year)),
                    previous=previous,
                    approved=approved,
                    url=_drill_down(indicator, territory.pk, year, report_id),
                )
            )
        rows.append(row)
    return ResultsTable(year, region, indicators, rows)


# ---------------------------------------------------------------------------------------------
# The ranking
# ---------------------------------------------------------------------------------------------


@dataclass
class Ranking:
    year: int
    methodology: Methodology
    region: Territory | None
    result: RankingResult
    territories: dict[int, Territory]
    indicators: dict[str, Indicator]
    visible: set[int]

    def groups(self) -> list[tuple[str, list[TerritoryScore]]]:
        """Per peer group (cities, then districts), the visible territories by rank."""
        labels = dict(TerritoryKind.choices)
        return [
            (
                str(labels[kind]),
                [s for s in self.result.groups[kind] if s.territory in self.visible],
            )
            for kind in PEERS
            if kind in self.result.groups
        ]


def _rows(
    territory_ids: Iterable[int],
    indicators: Iterable[Indicator],
    values: dict[tuple[int, int, int], Any],
    targets: dict[tuple[int, int, int], Decimal],
    year: int,
) -> list[Row]:
    rows = []
    for territory_id in territory_ids:
        for indicator in indicators:
            key = (indicator.pk, territory_id, year)
            value = values.get(key, (None,))[0]
            rows.append(Row(territory_id, indicator.code, value, targets.get(key)))
    return rows


def ranking(
    user: User, methodology: Methodology, year: int, region: Territory | None = None
) -> Ranking:
    """The region's cities and districts (as on 31 December of `year`) ranked by `methodology`
    on the year's values, each within its peer group, with explanations. Eight queries."""
    region = region or user_region(user)
    peers = _peers_on(region, year_end(year))
    ids = [t.pk for t in peers]
    # Those who work over the whole region see every peer: no query needed to know it.
    visible = (
        set(ids) if region and scope_of(user).sees_all_of(region.path) else _visible_ids(user, ids)
    )
    indicators = [i for i in _indicators(user) if i.code in methodology.weights]
    values = _values(ids, [year])
    targets = _targets(ids, [year])
    result = rank(
        _rows(ids, indicators, values, targets, year),
        indicators,
        methodology,
        {t.pk: t.kind for t in peers},
    )
    return Ranking(
        year,
        methodology,
        region,
        result,
        {t.pk: t for t in peers},
        {i.code: i for i in indicators},
        visible,
    )


# ---------------------------------------------------------------------------------------------
# Trends and the passport
# ---------------------------------------------------------------------------------------------


class _Tree:
    """The territory tree on any date, from two queries (subtree_on's, loaded once for many
    dates)."""

    def __init__(self) -> None:
        self.periods = list(
            TerritoryParentPeriod.objects.values_list("territory_id", "parent_id", "start", "end")
        )
        self.territories = {
            row[0]: row
            for row in Territory.objects.values_list(
                "pk", "parent_id", "kind", "valid_from", "valid_to"
            )
        }

    def parents_on(self, day: datetime.date) -> dict[int, int | None]:
        parent_of: dict[int, int | None] = {
            territory_id: parent_id
            for territory_id, parent_id, start, end in self.periods
            if (start is None or start <= day) and (end is None or end > day)
        }
        for pk, (_pk, parent_id, *_rest) in self.territories.items():
            parent_of.setdefault(pk, parent_id)
        return parent_of

    def valid_on(self, pk: int, day: datetime.date) -> bool:
        _pk, _parent, _kind, valid_from, valid_to = self.territories[pk]
        return (valid_from is None or valid_from <= day) and (valid_to is None or valid_to >= day)

    def region_of(self, pk: int, day: datetime.date) -> int | None:
        parent_of = self.parents_on(day)
        current: int | None = pk
        seen = set()
        while current is not None and current not in seen:
            seen.add(current)
            if self.territories[current][2] == TerritoryKind.REGION:
                return current
            current = parent_of.get(current)
        return None

    def peers_on(
        self, region_id: int, day: datetime.date, kinds: Iterable[str] = PEERS
    ) -> set[int]:
        parent_of = self.parents_on(day)
        children: dict[int | None, list[int]] = {}
        for pk, parent_id in parent_of.items():
            children.setdefault(parent_id, []).append(pk)
        found, frontier = set(), [region_id]
        while frontier:
            frontier = [child for pk in frontier for child in children.get(pk, [])]
            found.update(frontier)
        kinds = set(kinds)
        return {pk for pk in found if self.territories[pk][2] in kinds and self.valid_on(pk, day)}


@dataclass
class Trends:
    indicator: Indicator
    years: list[int]
    # Territory → its values by year (None: no value, or not in the region that year).
    series: list[tuple[Territory, list[float | None]]]


def trends(
    user: User, indicator: Indicator, years: Iterable[int], region: Territory | None = None
) -> Trends:
    """The indicator's annual values for each city and district that was in the region in
    any of the years (and is visible to the user). Six queries."""
    years = sorted(set(years))
    region = region or user_region(user)
    if region is None or not years:
        return Trends(indicator, years, [])
    tree = _Tree()
    members = {year: tree.peers_on(region.pk, year_end(year)) for year in years}
    ids = set().union(*members.values())
    territories = list(
        Territory.objects.restrict(user).filter(pk__in=ids).order_by("kind", kazakh_order(), "pk")
    )
    values = {
        (territory_id, year): value
        for territory_id, year, value in IndicatorValue.objects.filter(
            indicator=indicator,
            territory_id__in=[t.pk for t in territories],
            year__in=years,
            period_kind=PeriodKind.YEAR,
        ).values_list("territory_id", "year", "value")
    }
    series = []
    for territory in territories:
        points = []
        for year in years:
            value = values.get((territory.pk, year)) if territory.pk in members[year] else None
            points.append(None if value is None else float(value))
        series.append((territory, points))
    return Trends(indicator, years, series)


@dataclass
class PassportYear:
    year: int
    cells: list[Cell]
    rank: int | None = None
    peers: int = 0
    low: bool = False
    score: float | None = None
    methodology: Methodology | None = None
    plan: dict[str, int] = field(default_factory=dict)
    events: dict[str, int] = field(default_factory=dict)
    discipline: dict[str, int] = field(default_factory=dict)


@dataclass
class Passport:
    territory: Territory
    indicators: list[Indicator]
    years: list[PassportYear]


def _counts(row: Mapping[str, object]) -> dict[str, int]:
    """A row of the passport's yearly counts as a plain dict: every column is the year or a
    count (the stubs know only the year's type)."""
    return cast(dict[str, int], dict(row))


# What the passport's yearly counts are computed from: a save or delete of any of these moves
# the generation on (connected in IndicatorsConfig.ready), so the counts are kept between two
# changes. A country's passport counted its million events for 300 ms on every reading.
ACTIVITY = Generation(
    "activity",
    (
        "events.Event",
        "events.WorkPlan",
        "events.PlanItem",
        "events.Emergency",
        "assignments.Assignment",
        "registry.Territory",
    ),
)
# Bounds what a change made without signals could cost.
COUNTS_SECONDS = 600

YearlyCounts = dict[int, dict[str, int]]


def _yearly_counts(
    user: User, territory: Territory, today: datetime.date
) -> tuple[YearlyCounts, YearlyCounts, YearlyCounts]:
    """Plan against fact, events and discipline of the territory's subtree by year, as the user
    may see them; kept under the ACTIVITY generation."""
    # Inside the user's own territory every event and assignment of the subtree is visible:
    # the scope's conditions (an OR over joins) would only keep the database from answering
    # the counts from its indexes. Outside, the counts are the scope's.
    within = scope_of(user).sees_all_of(territory.path)
    seen_by = "all" if within else repr(scope_of(user))
    what = f"passport|{territory.pk}|{territory.path}|{today}|{seen_by}"
    return ACTIVITY.kept(
        what, lambda: _count_years(user, territory, today, within=within), COUNTS_SECONDS
    )


def _count_years(
    user: User, territory: Territory, today: datetime.date, *, within: bool
) -> tuple[YearlyCounts, YearlyCounts, YearlyCounts]:
    plan_rows = (
        Event.objects.filter(
            plan_item__plan__territory=territory, plan_item__plan__quarter__isnull=True
        )
        .values("plan_item__plan__year")
        .annotate(
            total=Count("pk"),
            held=Count("pk", filter=Q(status=EventStatus.HELD)),
            excused=Count("pk", filter=Q(status=EventStatus.POSTPONED, emergency__isnull=False)),
            unjustified=Count("pk", filter=Q(status=EventStatus.POSTPONED, emergency__isnull=True)),
            cancelled=Count("pk", filter=Q(status=EventStatus.CANCELLED)),
        )
        .order_by()
    )
    plans = {row["plan_item__plan__year"]: _counts(row) for row in plan_rows}
    events_seen: QuerySet[Event] = Event.objects.all() if within else Event.objects.restrict(user)
    assignments_seen: QuerySet[Assignment] = (
        Assignment.objects.all() if within else Assignment.objects.restrict(user)
    )
    event_rows = (
        events_seen.filter(territory__path__startswith=territory.path)
        .annotate(year=ExtractYear("start"))
        .values("year")
        .annotate(
            total=Count("pk"),
            held=Count("pk", filter=Q(status=EventStatus.HELD)),
            beyond=Count("pk", filter=Q(beyond_plan=True)),
            excused=Count(
                "pk", filter=Q(emergency__isnull=False) & ~Q(status=EventStatus.CANCELLED)
            ),
            unjustified=Count("pk", filter=Q(status=EventStatus.POSTPONED, emergency__isnull=True)),
        )
        .order_by()
    )
    events = {row["year"]: _counts(row) for row in event_rows}
    discipline_rows = (
        assignments_seen.filter(territory__path__startswith=territory.path, deadline__isnull=False)
        .exclude(deadline_kind=DeadlineKind.RECURRING)
        .exclude(status=Status.WITHDRAWN)
        .annotate(year=ExtractYear("deadline"))
        .values("year")
        .annotate(**discipline_counts(today))
        .order_by()
    )
    discipline = {row["year"]: _counts(row) for row in discipline_rows}
    return plans, events, discipline


def passport(user: User, territory: Territory, *, today: datetime.date | None = None) -> Passport:
    """One city or district over the years: its indicators (value, target, approved), plan
    against fact of its annual work plans, its events, its assignment discipline, and its rank
    in its peer group of each year's region by that year's latest methodology. The territory
    is one the user may see (the caller checks). Thirteen queries; ten while the yearly counts
    are kept (_yearly_counts)."""
    today = today or timezone.localdate()
    indicators = _indicators(user)
    own = _values([territory.pk], None)
    plans, events, discipline = _yearly_counts(user, territory, today)
    years = sorted({key[2] for key in own} | set(plans) | set(events) | set(discipline))

    # The latest methodology of each year, and the peers of each year.
    latest: dict[int, Methodology] = {}
    for methodology in Methodology.objects.filter(year__in=years).order_by("created_at", "pk"):
        latest[methodology.year] = methodology
    tree = _Tree()
    peers_by_year: dict[int, set[int]] = {}
    for year in latest:
        region_id = tree.region_of(territory.pk, year_end(year))
        if region_id is not None:
            peers_by_year[year] = tree.peers_on(region_id, year_end(year), [territory.kind])
    everyone = set().union(*peers_by_year.values()) if peers_by_year else set()
    all_values = _values(everyone, list(peers_by_year))
    all_targets = _targets(everyone | {territory.pk}, years)

    passport_years = []
    for year in years:
        cells = []
        for indicator in indicators:
            value, approved, report_id = own.get(
                (indicator.pk, territory.pk, year), (None, True, None)
            )
            cells.append(
                Cell(
                    indicator,
                    value=value,
                    target=all_targets.get((indicator.pk, territory.pk, year)),
                    previous=own.get((indicator.pk, territory.pk, year - 1), (None,))[0],
                    approved=approved,
                    url=_drill_down(indicator, territory.pk, year, report_id),
                )
            )
        entry = PassportYear(
            year,
            cells,
            plan=plans.get(year, {}),
            events=events.get(year, {}),
            discipline=discipline.get(year, {}),
        )
        if year in peers_by_year and territory.pk in peers_by_year[year]:
            methodology = latest[year]
            weighted = [i for i in indicators if i.code in methodology.weights]
            peer_ids = sorted(peers_by_year[year])
            result = rank(
                _rows(peer_ids, weighted, all_values, all_targets, year),
                weighted,
                methodology,
                dict.fromkeys(peer_ids, territory.kind),
            )
            score = result.scores[territory.pk]
            entry.methodology = methodology
            entry.rank, entry.low, entry.score = score.rank, score.low, score.score
            entry.peers = len(peer_ids)
        passport_years.append(entry)
    return Passport(territory, indicators, passport_years)


def latest_methodology(year: int) -> Methodology | None:
    return Methodology.objects.filter(year=year).order_by("-created_at", "-pk").first()
