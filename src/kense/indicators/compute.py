"""Computed indicators: what Kense's own data say about a territory in a year.

Every computation counts a year's data for a territory's subtree *as it stood on 31 December
of that year*, so comparisons survive territorial changes: Zhezkazgan's 2020 events count for
Karaganda region in 2020 even after it moved to Ulytau region in 2022.

`compute_many` answers many indicators × territories in a fixed number of queries (two for the
tree as it stood, at most one aggregate per data source: events, assignments, projects): the
data are grouped by their own territory and rolled up in Python to every territory asked for.
The ranking reads 200 territories × 50 indicators × 10 years this way.

Publications, publication views, guideline acknowledgments and ideas have no data source in
Kense yet: their indicators are defined and shown as "no data" (None) until those apps land.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Q, Sum
from django.utils import timezone

from kense.assignments.models import Assignment, DeadlineKind
from kense.assignments.models import Status as AssignmentStatus
from kense.assignments.selectors import _counts as assignment_counts
from kense.events.models import Event, EventStatus
from kense.indicators.models import (
    Computation,
    Indicator,
    IndicatorValue,
    PeriodKind,
    Source,
    ValueStatus,
)
from kense.programs.models import ProgramStatus as ProjectStatus
from kense.programs.models import Project
from kense.registry.models import Territory, TerritoryKind, TerritoryParentPeriod

Key = tuple[int, int]

# Computations whose data Kense does not hold: none any more (kept for new computations).
NO_SOURCE: frozenset[str] = frozenset()
MEDIA_COMPUTATIONS = frozenset({Computation.PUBLICATIONS, Computation.PUBLICATION_VIEWS})
EVENT_COMPUTATIONS = frozenset(
    {
        Computation.EVENTS_HELD,
        Computation.EVENTS_HELD_SHARE,
        Computation.PARTICIPANTS,
        Computation.EVENTS_BEYOND_PLAN,
        Computation.SPONSOR_MONEY,
    }
)
ASSIGNMENT_COMPUTATIONS = frozenset(
    {Computation.ASSIGNMENTS_ON_TIME, Computation.ASSIGNMENTS_OVERDUE}
)
PROJECT_COMPUTATIONS = frozenset({Computation.PROJECTS_IMPLEMENTED, Computation.PROJECTS_COST})
# Projects that are (or were) being implemented, not merely planned or suspended.
IMPLEMENTED = (ProjectStatus.ACTIVE, ProjectStatus.COMPLETED)
HUNDREDTH = Decimal("0.01")


def parents_on(day: datetime.date) -> dict[int, int | None]:
    """Every territory's parent as the tree stood on `day`, in two queries (the same rule as
    `registry.selectors.subtree_on`: no recorded membership means the current parent)."""
    covering = TerritoryParentPeriod.objects.filter(
        Q(start__isnull=True) | Q(start__lte=day), Q(end__isnull=True) | Q(end__gt=day)
    ).values_list("territory_id", "parent_id")
    parent_of: dict[int, int | None] = dict(covering)
    for pk, parent_id in Territory.objects.exclude(pk__in=list(parent_of)).values_list(
        "pk", "parent_id"
    ):
        parent_of[pk] = parent_id
    return parent_of


def _roll_up(
    rows: Iterable[Mapping[str, Any]], roots: set[int], parent_of: dict[int, int | None]
) -> dict[int, dict[str, Any]]:
    """Sum the rows (grouped by their own `territory_id`) into every root that contains
    their territory on the day `parent_of` describes."""
    totals: dict[int, dict[str, Any]] = {}
    for row in rows:
        node: int | None = row["territory_id"]
        seen: set[int] = set()
        while node is not None and node not in seen:  # a cycle in bad data must not hang
            seen.add(node)
            if node in roots:
                total = totals.setdefault(node, {})
                for name, value in row.items():
                    if name != "territory_id" and value is not None:
                        total[name] = total.get(name, 0) + value
            node = parent_of.get(node)
    return totals


def _year_range(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def _event_rows(year: int) -> list[Mapping[str, Any]]:
    """Events starting in the year, per territory. Planned means "in the approved plan":
    events held beyond the plan are counted apart, not in the share of the plan held."""
    planned = Q(beyond_plan=False)
    held = Q(status=EventStatus.HELD)
    justified = Q(status=EventStatus.POSTPONED, emergency__isnull=False)
    return list(
        Event.objects.filter(start__range=_year_range(year))
        .order_by()
        .values("territory_id")
        .annotate(
            held=Count("pk", filter=held),
            planned=Count("pk", filter=planned),
            planned_held=Count("pk", filter=planned & held),
            excused=Count("pk", filter=planned & justified),
            beyond_plan=Count("pk", filter=held & Q(beyond_plan=True)),
            participants=Sum("participants", filter=held),
            online_views=Sum("online_views", filter=held),
            sponsor_money=Sum("sponsor_money", filter=held),
        )
    )


def _assignment_rows(year: int, today: datetime.date) -> list[Mapping[str, Any]]:
    """The work due in the year (as in the discipline page: dated assignments and instances
    of recurring ones, not withdrawn), per territory, with the discipline's counts."""
    return list(
        Assignment.objects.filter(deadline__range=_year_range(year))
        .exclude(deadline_kind=DeadlineKind.RECURRING)
        .exclude(status=AssignmentStatus.WITHDRAWN)
        .order_by()
        .values("territory_id")
        .annotate(**assignment_counts(today))
    )


def _project_rows(year: int) -> list[Mapping[str, Any]]:
    """Projects being implemented (active or completed) at some time in the year."""
    first, last = _year_range(year)
    return list(
        Project.objects.filter(status__in=IMPLEMENTED, start__lte=last)
        .filter(Q(end__isnull=True) | Q(end__gte=first))
        .order_by()
        .values("territory_id")
        .annotate(projects=Count("pk"), cost=Sum("budget"))
    )


def _publication_rows(year: int) -> list[Mapping[str, Any]]:
    """Publications dated in the year, counted for every territory they are about."""
    from kense.media.models import Publication

    return list(
        Publication.objects.filter(date__year=year, territories__isnull=False)
        .order_by()
        .values(territory_id=F("territories__id"))
        .annotate(publications=Count("pk"), views=Sum("reach"))
    )


def _idea_rows(year: int) -> list[Mapping[str, Any]]:
    from kense.ideas.models import Idea

    return list(
        Idea.objects.filter(created_at__year=year)
        .order_by()
        .values("territory_id")
        .annotate(ideas=Count("pk"))
    )


def _acknowledgment_rows(year: int) -> list[Mapping[str, Any]]:
    """Guidelines acknowledged in the year, by the recipient organization's territory."""
    from kense.documents.models import Recipient

    return list(
        Recipient.objects.filter(acknowledged_at__year=year)
        .order_by()
        .values(territory_id=F("organization__territory_id"))
        .annotate(acknowledgments=Count("pk"))
    )


def _share(part: int, whole: int) -> Decimal | None:
    """Per cent, to a hundredth; None when there was nothing to count."""
    if whole <= 0:
        return None
    return (Decimal(100) * part / whole).quantize(HUNDREDTH)


def _value(computation: str, data: dict[str, dict[str, Any]]) -> Decimal | None:
    events = data.get("events", {})
    assignments = data.get("assignments", {})
    projects = data.get("projects", {})
    match computation:
        case Computation.EVENTS_HELD:
            return Decimal(events.get("held", 0))
        case Computation.EVENTS_HELD_SHARE:
            # Cancelled and unjustified postponements count against; postponements justified
            # by a declared emergency are excused (taken out of the plan).
            expected = events.get("planned", 0) - events.get("excused", 0)
            return _share(events.get("planned_held", 0), expected)
        case Computation.PARTICIPANTS:
            return Decimal(events.get("participants", 0) + events.get("online_views", 0))
        case Computation.EVENTS_BEYOND_PLAN:
            return Decimal(events.get("beyond_plan", 0))
        case Computation.SPONSOR_MONEY:
            return Decimal(events.get("sponsor_money", 0))
        case Computation.ASSIGNMENTS_ON_TIME:
            return _share(assignments.get("on_time", 0), assignments.get("due", 0))
        case Computation.ASSIGNMENTS_OVERDUE:
            return Decimal(assignments.get("overdue", 0))
        case Computation.PROJECTS_IMPLEMENTED:
            return Decimal(projects.get("projects", 0))
        case Computation.PROJECTS_COST:
            return Decimal(projects.get("cost", 0))
        case Computation.PUBLICATIONS:
            return Decimal(data.get("media", {}).get("publications", 0))
        case Computation.PUBLICATION_VIEWS:
            return Decimal(data.get("media", {}).get("views", 0) or 0)
        case Computation.IDEAS:
            return Decimal(data.get("ideas", {}).get("ideas", 0))
        case Computation.ACKNOWLEDGMENTS:
            return Decimal(data.get("acknowledgments", {}).get("acknowledgments", 0))
    return None


def compute_many(
    indicators: Sequence[Indicator],
    territories: Sequence[Territory],
    year: int,
    *,
    today: datetime.date | None = None,
) -> dict[Key, Decimal | None]:
    """The value of each computed indicator for each territory's subtree (as it stood on
    31 December of `year`) in the year, keyed by (indicator id, territory id); None means
    "no data". Reported indicators are left out. At most eight queries (the tree, then one per
    kind of data), whatever the numbers of indicators and territories. `today` decides what is
    overdue (default: today)."""
    computed = [i for i in indicators if i.source == Source.COMPUTED and i.computation]
    if not computed or not territories:
        return {}
    wanted = {i.computation for i in computed}
    roots = {t.pk for t in territories}
    parent_of = parents_on(datetime.date(year, 12, 31))
    per_source: dict[str, dict[int, dict[str, Any]]] = {}
    if wanted & EVENT_COMPUTATIONS:
        per_source["events"] = _roll_up(_event_rows(year), roots, parent_of)
    if wanted & ASSIGNMENT_COMPUTATIONS:
        day = today or timezone.localdate()
        per_source["assignments"] = _roll_up(_assignment_rows(year, day), roots, parent_of)
    if wanted & PROJECT_COMPUTATIONS:
        per_source["projects"] = _roll_up(_project_rows(year), roots, parent_of)
    if wanted & MEDIA_COMPUTATIONS:
        per_source["media"] = _roll_up(_publication_rows(year), roots, parent_of)
    if Computation.IDEAS in wanted:
        per_source["ideas"] = _roll_up(_idea_rows(year), roots, parent_of)
    if Computation.ACKNOWLEDGMENTS in wanted:
        per_source["acknowledgments"] = _roll_up(_acknowledgment_rows(year), roots, parent_of)
    values: dict[Key, Decimal | None] = {}
    for territory in territories:
        data = {source: totals.get(territory.pk, {}) for source, totals in per_source.items()}
        for indicator in computed:
            values[(indicator.pk, territory.pk)] = (
                None if indicator.computation in NO_SOURCE else _value(indicator.computation, data)
            )
    return values


def compute(
    indicator: Indicator, territory: Territory, year: int, *, today: datetime.date | None = None
) -> Decimal | None:
    """The value of one computed indicator for a territory's subtree in a year (None: no
    data, or a reported indicator). See `compute_many`."""
    return compute_many([indicator], [territory], year, today=today).get(
        (indicator.pk, territory.pk)
    )


def default_territories(year: int) -> list[Territory]:
    """What is refreshed by default: the regions, cities and districts that existed in the
    year (the units the results and the ranking compare)."""
    return list(
        Territory.objects.filter(
            kind__in=[TerritoryKind.REGION, TerritoryKind.CITY, TerritoryKind.DISTRICT]
        )
        .filter(Q(valid_from__isnull=True) | Q(valid_from__year__lte=year))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__year__gte=year))
        .order_by("pk")
    )


def refresh(
    year: int,
    territories: Sequence[Territory] | None = None,
    indicators: Sequence[Indicator] | None = None,
) -> int:
    """Recompute the yearly values of the computed indicators (all of them by default) for
    the territories (by default the regions, cities and districts of the year) and write them
    as IndicatorValue rows with status "computed", inserting or updating in one statement.
    Idempotent. Returns the number of values written."""
    if indicators is None:
        indicators = list(Indicator.objects.filter(source=Source.COMPUTED).order_by("pk"))
    if territories is None:
        territories = default_territories(year)
    values = compute_many(indicators, territories, year)
    now = timezone.now()
    rows = [
        IndicatorValue(
            indicator_id=indicator_id,
            territory_id=territory_id,
            year=year,
            period_kind=PeriodKind.YEAR,
            period_number=1,
            value=value,
            status=ValueStatus.COMPUTED,
            updated_at=now,
        )
        for (indicator_id, territory_id), value in values.items()
    ]
    IndicatorValue.objects.bulk_create(
        rows,
        batch_size=500,
        update_conflicts=True,
        unique_fields=["indicator", "territory", "year", "period_kind", "period_number"],
        update_fields=["value", "status", "updated_at"],
    )
    return len(rows)
