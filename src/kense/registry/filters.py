"""The registry's lists and their filters, each declared once for the page, its Excel export and
the API (kense.core.filters)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from kense.core.filters import (
    CheckFilter,
    ChoiceFilter,
    DateFilter,
    ListFilters,
    ReferenceFilter,
    SearchFilter,
    YesNoFilter,
    in_subtree,
)
from kense.core.lists import kazakh_order
from kense.core.permissions import Actor
from kense.registry.models import (
    Appointment,
    Organization,
    OrganizationKind,
    Person,
    Position,
    Territory,
    TerritoryKind,
    current_q,
)


def visible_territories(user: Actor) -> QuerySet[Territory]:
    return Territory.objects.restrict(user).order_by("path")


def visible_organizations(user: Actor) -> QuerySet[Organization]:
    return Organization.objects.restrict(user).order_by(kazakh_order(), "pk")


def visible_people(user: Actor) -> QuerySet[Person]:
    return Person.objects.restrict(user).order_by(kazakh_order("surname"), "pk")


def positions(user: Actor) -> QuerySet[Position]:
    return Position.objects.order_by(kazakh_order(), "pk")


def _valid_on(queryset: QuerySet[Any], day: Any) -> QuerySet[Any]:
    return queryset.filter(
        Q(valid_from__isnull=True) | Q(valid_from__lte=day),
        Q(valid_to__isnull=True) | Q(valid_to__gte=day),
    )


class TerritoryFilters(ListFilters):
    q = SearchFilter(label=_("Name"))
    kind = ChoiceFilter(TerritoryKind, label=_("Type"), lookup="kind")
    parent = ReferenceFilter(
        label=_("Parent territory"),
        choices=visible_territories,
        search="territories",
        lookup="parent",
        description="Territories directly inside this one.",
    )
    valid_on = DateFilter(
        label=_("Valid on"), lookup=_valid_on, description="Only territories valid on this date."
    )


class OrganizationFilters(ListFilters):
    q = SearchFilter(label=_("Name"))
    kind = ChoiceFilter(OrganizationKind, label=_("Type"), lookup="kind")
    territory = ReferenceFilter(
        label=_("Territory"),
        choices=visible_territories,
        search="territories",
        lookup=in_subtree("territory"),
        description="Organizations in this territory or any inside it.",
    )
    parent = ReferenceFilter(
        label=_("Parent organization"),
        choices=visible_organizations,
        search="organizations",
        lookup="parent",
        description="Organizations directly under this one.",
    )


def _current_appointments() -> QuerySet[Appointment]:
    return Appointment.objects.filter(current_q())


def _holding(position: Position) -> Q:
    return Q(pk__in=_current_appointments().filter(position=position).values("person_id"))


def _appointed_in(organization: Organization) -> Q:
    return Q(pk__in=_current_appointments().filter(organization=organization).values("person_id"))


def _of_territory(territory: Territory) -> Q:
    appointed = _current_appointments().filter(
        organization__territory__path__startswith=territory.path
    )
    return Q(territory__path__startswith=territory.path) | Q(pk__in=appointed.values("person_id"))


class PersonFilters(ListFilters):
    q = SearchFilter(label=_("Name"))
    position = ReferenceFilter(
        label=_("Position"),
        choices=positions,
        lookup=lambda people, position: people.filter(_holding(position)),
        description="People currently holding this position.",
    )
    organization = ReferenceFilter(
        label=_("Organization"),
        choices=visible_organizations,
        search="organizations",
        lookup=lambda people, organization: people.filter(_appointed_in(organization)),
        description="People currently appointed in this organization.",
    )
    territory = ReferenceFilter(
        label=_("Territory"),
        choices=visible_territories,
        search="territories",
        lookup=lambda people, territory: people.filter(_of_territory(territory)),
        description="People registered in this territory (or inside it), or currently "
        "appointed in one of its organizations.",
    )
    current = CheckFilter(
        label=_("Holding a post now"),
        lookup=lambda people, _yes: people.filter(
            pk__in=_current_appointments().values("person_id")
        ),
        description="Only people holding a post today.",
    )


class PositionFilters(ListFilters):
    q = SearchFilter(label=_("Name"))


class StaffPostFilters(ListFilters):
    organization = ReferenceFilter(
        label=_("Organization"),
        choices=visible_organizations,
        search="organizations",
        lookup="organization",
    )
    position = ReferenceFilter(label=_("Position"), choices=positions, lookup="position")


def _current_or_not(appointments: QuerySet[Appointment], current: bool) -> QuerySet[Appointment]:
    today = current_q()
    return appointments.filter(today) if current else appointments.exclude(today)


class AppointmentFilters(ListFilters):
    person = ReferenceFilter(label=_("Person"), choices=visible_people, lookup="person")
    organization = ReferenceFilter(
        label=_("Organization"),
        choices=visible_organizations,
        search="organizations",
        lookup="organization",
    )
    current = YesNoFilter(
        label=_("Held today"),
        lookup=_current_or_not,
        description="true: held today; false: ended or not yet started.",
    )
