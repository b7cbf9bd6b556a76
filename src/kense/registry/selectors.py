"""Reads of the registry, always through the user's scope."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypedDict

from django.db import models
from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery

from kense.core.filters import FilterValues
from kense.core.generations import Generation
from kense.core.lists import kazakh_order, localized_name
from kense.core.permissions import Actor, scope_of
from kense.registry.filters import (
    AppointmentFilters,
    OrganizationFilters,
    PersonFilters,
    PositionFilters,
    StaffPostFilters,
    TerritoryFilters,
)
from kense.registry.models import (
    Appointment,
    Organization,
    OrganizationParentPeriod,
    Person,
    Position,
    StaffPost,
    Territory,
    TerritoryParentPeriod,
    current_q,
)

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    from kense.accounts.models import User


class Holders(TypedDict):
    """What staffing_table adds to each post: the appointments holding it now."""

    holders: list[Appointment]


# The shape of the trees a user's scope is read from: a user's scope is kept until one of
# these changes (kense.accounts.models.User.scope; connected in RegistryConfig.ready).
TREES = Generation(
    "trees", ("registry.Territory", "registry.Organization", "registry.TerritoryParentPeriod")
)


def former_subtree_paths(path: str) -> tuple[str, ...]:
    """Current paths of territories that once stood under `path` and stand elsewhere now
    (Zhezkazgan left Karaganda region in 2022): a user of the region still reads them."""
    moved = (
        TerritoryParentPeriod.objects.filter(parent__path__startswith=path)
        .exclude(territory__path__startswith=path)
        .values_list("territory__path", flat=True)
        .distinct()
    )
    return tuple(sorted(set(moved)))


def territory_list(user: Actor, filters: FilterValues | None = None) -> QuerySet[Territory]:
    """The territories the user may see, narrowed by TerritoryFilters, in Kazakh order."""
    territories = Territory.objects.restrict(user).select_related("parent")
    return TerritoryFilters.narrow(territories, filters).order_by(kazakh_order(), "pk")


def territory_roots(user: User) -> list[Territory]:
    """Where the tree page starts: the user's own territory, or the top of the tree."""
    scope = scope_of(user)
    path = (
        scope.organization_territory_path if scope.is_organization_bound else scope.territory_path
    )
    queryset = Territory.objects.restrict(user)
    queryset = queryset.filter(path=path) if path else queryset.filter(parent__isnull=True)
    return list(queryset.order_by(kazakh_order(), "pk"))


def territory_children(
    user: User, territory: Territory, on: datetime.date | None = None
) -> list[Territory]:
    """The units directly inside `territory` now, or on a past date (as the tree stood then:
    Zhezkazgan under Karaganda region in 2020, under Ulytau region since 2022)."""
    queryset = Territory.objects.restrict(user)
    if on is None:
        queryset = queryset.filter(parent=territory)
    else:
        members = TerritoryParentPeriod.objects.filter(
            Q(start__isnull=True) | Q(start__lte=on),
            Q(end__isnull=True) | Q(end__gt=on),
            parent=territory,
        )
        queryset = queryset.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=on),
            Q(valid_to__isnull=True) | Q(valid_to__gte=on),
            pk__in=members.values("territory_id"),
        )
    return list(
        queryset.annotate(child_count=models.Count("children")).order_by(kazakh_order(), "pk")
    )


def organization_list(user: Actor, filters: FilterValues | None = None) -> QuerySet[Organization]:
    """The organizations the user may see, narrowed by OrganizationFilters, in Kazakh order."""
    organizations = Organization.objects.restrict(user).select_related("territory", "parent")
    return OrganizationFilters.narrow(organizations, filters).order_by(kazakh_order(), "pk")


def person_list(
    user: Actor, filters: FilterValues | None = None, *, with_current_posts: bool = False
) -> QuerySet[Person]:
    """The people the user may see, narrowed by PersonFilters, in Kazakh order of surname and
    given name; `with_current_posts` loads each one's current appointments
    (`current_appointments`) for the list page."""
    people = Person.objects.restrict(user).select_related("territory")
    if with_current_posts:
        current = (
            Appointment.objects.filter(current_q())
            .select_related("organization", "position")
            .order_by("-start")
        )
        people = people.prefetch_related(
            Prefetch("appointments", queryset=current, to_attr="current_appointments")
        )
    return PersonFilters.narrow(people, filters).order_by(
        kazakh_order("surname"), kazakh_order("given_name"), "pk"
    )


def position_list(filters: FilterValues | None = None) -> QuerySet[Position]:
    """Every position (one shared list), narrowed by PositionFilters, in Kazakh order."""
    return PositionFilters.narrow(Position.objects.all(), filters).order_by(kazakh_order(), "pk")


def staff_post_list(user: Actor, filters: FilterValues | None = None) -> QuerySet[StaffPost]:
    """The staff posts the user may see, by organization (Kazakh order) and their order."""
    posts = StaffPost.objects.restrict(user).select_related("organization", "position")
    return StaffPostFilters.narrow(posts, filters).order_by(
        kazakh_order("name", "organization__"), "order", "pk"
    )


def appointment_list(user: Actor, filters: FilterValues | None = None) -> QuerySet[Appointment]:
    """The appointments the user may see, newest first."""
    appointments = Appointment.objects.restrict(user).select_related(
        "person", "organization", "position", "post__position"
    )
    return AppointmentFilters.narrow(appointments, filters).order_by("-start", "pk")


def appointments_of_organization(user: User, organization: Organization) -> list[Appointment]:
    return list(
        Appointment.objects.restrict(user)
        .filter(organization=organization)
        .select_related("person", "position", "post")
        .order_by("end", "-start", "pk")
    )


def people_of_territory(user: User, territory: Territory) -> list[Appointment]:
    """Current appointments in the organizations of this territory."""
    return list(
        Appointment.objects.restrict(user)
        .filter(current_q(), organization__territory=territory)
        .select_related("person", "position", "organization")
        .order_by(kazakh_order("surname", "person__"), "pk")
    )


def staffing_table(
    user: User, organization: Organization
) -> list[WithAnnotations[StaffPost, Holders]]:
    """The organization's posts, each with `holders`: the appointments holding it now."""
    current = Appointment.objects.filter(current_q()).select_related("person")
    return list(
        StaffPost.objects.restrict(user)
        .filter(organization=organization)
        .select_related("position")
        .prefetch_related(Prefetch("appointments", queryset=current, to_attr="holders"))
        .order_by("order", "pk")
    )


def subtree_on(territory: Territory, day: datetime.date) -> set[int]:
    """The ids of the territories inside `territory` (itself included) as the tree stood on
    `day`: Zhezkazgan is inside Karaganda region in 2020 and inside Ulytau region in 2023.
    Two queries; a territory with no recorded membership counts under its current parent."""
    covering = TerritoryParentPeriod.objects.filter(
        Q(start__isnull=True) | Q(start__lte=day), Q(end__isnull=True) | Q(end__gt=day)
    ).values_list("territory_id", "parent_id", "territory__path")
    parent_then: dict[int, int | None] = {}
    # Only the territory's subtree today and the subtrees of those with a recorded membership
    # can lie inside it on `day`: the rest of the country is not read.
    candidates = Q(path__startswith=territory.path)
    for moved, parent, path in covering:
        parent_then[moved] = parent
        candidates |= Q(path__startswith=path)
    parent_of: dict[int, int | None] = dict(
        Territory.objects.filter(candidates).values_list("pk", "parent_id")
    )
    parent_of.update((pk, parent) for pk, parent in parent_then.items() if pk in parent_of)
    children: dict[int | None, list[int]] = {}
    for pk, parent_id in parent_of.items():
        children.setdefault(parent_id, []).append(pk)
    found, frontier = {territory.pk}, [territory.pk]
    while frontier:
        frontier = [child for pk in frontier for child in children.get(pk, [])]
        found.update(frontier)
    return found


# ---------------------------------------------------------------------------------------------
# The tree as it stood on a date, and its moves
# ---------------------------------------------------------------------------------------------

ParentPeriodModel = type[TerritoryParentPeriod] | type[OrganizationParentPeriod]


def _covering(day: datetime.date) -> Q:
    # As territory_children reads a period: it holds from its start to the day before its end.
    return (Q(start__isnull=True) | Q(start__lte=day)) & (Q(end__isnull=True) | Q(end__gt=day))


def _parent_on(
    queryset: QuerySet[Any], period_model: ParentPeriodModel, field: str, day: datetime.date
) -> QuerySet[Any]:
    """Each row with `parent_on_id` and `parent_on_name` (in the request's language): the
    parent of the period in force on `day`; none when its recorded periods leave `day` out;
    the current parent for a row of no recorded period (as subtree_on counts it)."""
    periods = period_model.objects.filter(**{field: OuterRef("pk")})
    covering = periods.filter(_covering(day)).order_by(F("start").desc(nulls_last=True), "-pk")
    parent_id = models.Case(
        models.When(Exists(periods), then=Subquery(covering.values("parent_id")[:1])),
        default=F("parent_id"),
        output_field=models.BigIntegerField(),
    )
    names = queryset.model._default_manager.filter(pk=OuterRef("parent_on_id")).annotate(
        label=localized_name()
    )
    annotated: QuerySet[Any] = queryset.annotate(parent_on_id=parent_id).annotate(
        parent_on_name=Subquery(names.values("label")[:1])
    )
    return annotated


def territories_on(queryset: QuerySet[Territory], day: datetime.date) -> QuerySet[Territory]:
    """The territories of `queryset` that existed on `day` (their validity period), each with
    the parent it stood under then (`parent_on_id`, `parent_on_name`, see _parent_on)."""
    existing = queryset.filter(
        Q(valid_from__isnull=True) | Q(valid_from__lte=day),
        Q(valid_to__isnull=True) | Q(valid_to__gte=day),
    )
    return _parent_on(existing, TerritoryParentPeriod, "territory", day)


def organizations_on(
    queryset: QuerySet[Organization], day: datetime.date
) -> QuerySet[Organization]:
    """The organizations of `queryset`, each with the parent it stood under on `day`
    (`parent_on_id`, `parent_on_name`). Organizations have no validity period: all are kept."""
    return _parent_on(queryset, OrganizationParentPeriod, "organization", day)


@dataclass(frozen=True)
class Move:
    """A placement of a territory or organization under a parent (or out from under one)."""

    date: datetime.date | None  # None: since always (where it was first placed)
    act: str
    former_parent: Any
    parent: Any
    recorded_by: Any  # the user who recorded it, when known
    recorded_at: datetime.datetime | None


def moves(obj: Territory | Organization) -> list[Move]:
    """Where `obj` was placed, oldest first, from its recorded parent periods: each period's
    start is a move from the parent before it (none for the first) to its parent; a last
    period closed with no successor is a move out from under that parent on its end. Who
    recorded each is read from the periods' history. Three queries."""
    period_model: ParentPeriodModel = (
        TerritoryParentPeriod if isinstance(obj, Territory) else OrganizationParentPeriod
    )
    field = "territory" if isinstance(obj, Territory) else "organization"
    periods = list(
        period_model.objects.filter(**{field: obj})
        .select_related("parent")
        .order_by(F("start").asc(nulls_first=True), "pk")
    )
    # `history`: added by simple-history at run time (translation.py), unknown to the type.
    records = (
        period_model.history.filter(id__in=[period.pk for period in periods])  # type: ignore[union-attr]
        .select_related("history_user__person")
        .order_by("history_date", "history_id")
    )
    created: dict[int, Any] = {}
    latest: dict[int, Any] = {}  # the latest record of a closed period: the one that closed it
    for record in records:
        if record.history_type == "+":
            created.setdefault(record.id, record)
        latest[record.id] = record
    found: list[Move] = []
    previous: Any = None
    for period in periods:
        record = created.get(period.pk)
        parent: Any = period.parent  # type: ignore[attr-defined]  # both period models have one
        found.append(
            Move(
                date=period.start,
                act=period.act,
                former_parent=previous.parent if previous is not None else None,
                parent=parent,
                recorded_by=record.history_user if record else None,
                recorded_at=record.history_date if record else None,
            )
        )
        previous = period
    if previous is not None and previous.end is not None:
        record = latest.get(previous.pk)
        found.append(
            Move(
                date=previous.end,
                act="",
                former_parent=previous.parent,
                parent=None,
                recorded_by=record.history_user if record else None,
                recorded_at=record.history_date if record else None,
            )
        )
    return found
