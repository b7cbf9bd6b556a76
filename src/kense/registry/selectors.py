"""Reads of the registry, always through the user's scope."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import models
from django.db.models import Prefetch, Q

from kense.core.lists import kazakh_order
from kense.core.permissions import scope_of
from kense.core.selectors import search_filter
from kense.registry.models import (
    Appointment,
    Organization,
    Person,
    StaffPost,
    Territory,
    TerritoryParentPeriod,
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


def current_q(on: datetime.date | None = None, prefix: str = "") -> Q:
    """Appointments in force on a date (today by default)."""
    day = on or datetime.date.today()
    return Q(**{f"{prefix}start__lte": day}) & (
        Q(**{f"{prefix}end__isnull": True}) | Q(**{f"{prefix}end__gte": day})
    )


def territory_list(user: Any, filters: dict[str, Any] | None = None) -> models.QuerySet[Territory]:
    filters = filters or {}
    queryset = Territory.objects.restrict(user).select_related("parent")
    if filters.get("q"):
        queryset = search_filter(queryset, filters["q"])
    if filters.get("kind"):
        queryset = queryset.filter(kind=filters["kind"])
    if filters.get("valid_on"):
        day = filters["valid_on"]
        queryset = queryset.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=day),
            Q(valid_to__isnull=True) | Q(valid_to__gte=day),
        )
    return queryset.order_by(kazakh_order(), "pk")


def territory_roots(user: Any) -> list[Territory]:
    """Where the tree page starts: the user's own territory, or the top of the tree."""
    scope = scope_of(user)
    path = (
        scope.organization_territory_path if scope.is_organization_bound else scope.territory_path
    )
    queryset = Territory.objects.restrict(user)
    queryset = queryset.filter(path=path) if path else queryset.filter(parent__isnull=True)
    return list(queryset.order_by(kazakh_order(), "pk"))


def territory_children(
    user: Any, territory: Territory, on: datetime.date | None = None
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


def organization_list(
    user: Any, filters: dict[str, Any] | None = None
) -> models.QuerySet[Organization]:
    filters = filters or {}
    queryset = Organization.objects.restrict(user).select_related("territory", "parent")
    if filters.get("q"):
        queryset = search_filter(queryset, filters["q"])
    if filters.get("kind"):
        queryset = queryset.filter(kind=filters["kind"])
    if filters.get("territory"):
        queryset = queryset.filter(territory__path__startswith=filters["territory"].path)
    return queryset.order_by(kazakh_order(), "pk")


def person_list(user: Any, filters: dict[str, Any] | None = None) -> models.QuerySet[Person]:
    filters = filters or {}
    current = (
        Appointment.objects.filter(current_q())
        .select_related("organization", "position")
        .order_by("-start")
    )
    queryset = Person.objects.restrict(user).prefetch_related(
        Prefetch("appointments", queryset=current, to_attr="current_appointments")
    )
    if filters.get("q"):
        queryset = search_filter(queryset, filters["q"])
    if filters.get("position"):
        queryset = queryset.filter(
            pk__in=Appointment.objects.filter(current_q(), position=filters["position"]).values(
                "person_id"
            )
        )
    if filters.get("current"):
        queryset = queryset.filter(
            pk__in=Appointment.objects.filter(current_q()).values("person_id")
        )
    return queryset.order_by(kazakh_order("surname"), kazakh_order("given_name"), "pk")


def appointments_of_organization(user: Any, organization: Organization) -> list[Appointment]:
    return list(
        Appointment.objects.restrict(user)
        .filter(organization=organization)
        .select_related("person", "position", "post")
        .order_by("end", "-start", "pk")
    )


def people_of_territory(user: Any, territory: Territory) -> list[Appointment]:
    """Current appointments in the organizations of this territory."""
    return list(
        Appointment.objects.restrict(user)
        .filter(current_q(), organization__territory=territory)
        .select_related("person", "position", "organization")
        .order_by(kazakh_order("surname", "person__"), "pk")
    )


def staffing_table(user: Any, organization: Organization) -> list[StaffPost]:
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
