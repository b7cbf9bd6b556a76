"""Reads of the registry, always through the user's scope."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, TypedDict

from django.db import models
from django.db.models import Prefetch, Q, QuerySet

from kense.core.filters import FilterValues
from kense.core.lists import kazakh_order
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
