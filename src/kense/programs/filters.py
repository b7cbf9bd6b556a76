"""The lists of programs, directions and special projects and their filters, each declared once
for the page, its Excel export and the API (kense.core.filters)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from kense.core.filters import (
    ChoiceFilter,
    ListFilters,
    NumberFilter,
    ReferenceFilter,
    SearchFilter,
    in_subtree,
)
from kense.core.lists import kazakh_order
from kense.core.permissions import Actor
from kense.programs.models import Direction, Program, ProgramStatus
from kense.registry.filters import visible_organizations, visible_territories


def visible_programs(user: Actor) -> QuerySet[Program]:
    return Program.objects.restrict(user).order_by(kazakh_order(), "pk")


def visible_directions(user: Actor) -> QuerySet[Direction]:
    return (
        Direction.objects.restrict(user)
        .select_related("program")
        .order_by(kazakh_order("name", "program__"), "order", "pk")
    )


def _running_in(projects: QuerySet[Any], year: int) -> QuerySet[Any]:
    return projects.filter(
        Q(start__isnull=True) | Q(start__year__lte=year),
        Q(end__isnull=True) | Q(end__year__gte=year),
    )


class ProgramFilters(ListFilters):
    q = SearchFilter(label=_("Name"))
    status = ChoiceFilter(ProgramStatus, label=_("Status"), lookup="status")


class DirectionFilters(ListFilters):
    q = SearchFilter(label=_("Name"))
    program = ReferenceFilter(label=_("Program"), choices=visible_programs, lookup="program")
    status = ChoiceFilter(ProgramStatus, label=_("Status"), lookup="status")


class ProjectFilters(ListFilters):
    q = SearchFilter(label=_("Name"))
    program = ReferenceFilter(label=_("Program"), choices=visible_programs, lookup="program")
    direction = ReferenceFilter(
        label=_("Direction"), choices=visible_directions, lookup="direction"
    )
    status = ChoiceFilter(ProgramStatus, label=_("Status"), lookup="status")
    territory = ReferenceFilter(
        label=_("Territory"),
        choices=visible_territories,
        search="territories",
        lookup=in_subtree("territory"),
        description="Projects in this territory or any inside it.",
    )
    lead_organization = ReferenceFilter(
        label=_("Lead responsible organization"),
        choices=visible_organizations,
        search="organizations",
        lookup="lead_organization",
    )
    year = NumberFilter(
        label=_("Running in year"),
        lookup=_running_in,
        min_value=1991,
        max_value=2100,
        description="Projects running at some time in this year.",
    )
