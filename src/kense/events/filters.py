"""The lists of events, work plans and states of emergency and their filters, each declared once
for the page, its Excel export and the API (kense.core.filters)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from kense.core.filters import (
    ChoiceFilter,
    DateFilter,
    ListFilters,
    NumberFilter,
    ReferenceFilter,
    SearchFilter,
    YesNoFilter,
    in_subtree,
)
from kense.core.lists import kazakh_order
from kense.core.permissions import Actor
from kense.events.models import Emergency, Event, EventFormat, EventStatus, PlanStatus
from kense.programs.filters import visible_programs
from kense.programs.models import Project
from kense.registry.filters import visible_organizations, visible_territories


def visible_projects(user: Actor) -> QuerySet[Project]:
    return Project.objects.restrict(user).order_by(kazakh_order(), "pk")


def _organized_by(events: QuerySet[Any], organization: Any) -> QuerySet[Any]:
    co_organized = Event.co_organizers.through.objects.filter(organization=organization)
    return events.filter(Q(organizer=organization) | Q(pk__in=co_organized.values("event_id")))


class EventFilters(ListFilters):
    q = SearchFilter(label=_("Title"))
    program = ReferenceFilter(label=_("Program"), choices=visible_programs, lookup="program")
    project = ReferenceFilter(
        label=_("Project"), choices=visible_projects, search="projects", lookup="project"
    )
    territory = ReferenceFilter(
        label=_("Territory"),
        choices=visible_territories,
        search="territories",
        lookup=in_subtree("territory"),
        description="Events in this territory or any inside it.",
    )
    organizer = ReferenceFilter(
        label=_("Organizer"),
        choices=visible_organizations,
        search="organizations",
        lookup=_organized_by,
        description="Events this organization organizes or co-organizes.",
    )
    status = ChoiceFilter(EventStatus, label=_("Status"), lookup="status")
    format = ChoiceFilter(EventFormat, label=_("Format"), lookup="format")
    date_from = DateFilter(
        label=_("From"), lookup="end__gte", description="Events ending on or after this date."
    )
    date_to = DateFilter(
        label=_("To"), lookup="start__lte", description="Events starting on or before this date."
    )
    beyond_plan = YesNoFilter(label=_("Beyond the plan"), lookup="beyond_plan")


class PlanFilters(ListFilters):
    status = ChoiceFilter(PlanStatus, label=_("Status"), lookup="status")
    year = NumberFilter(label=_("Year"), lookup="year", min_value=1991, max_value=2100)
    territory = ReferenceFilter(
        label=_("Territory"),
        choices=visible_territories,
        search="territories",
        lookup=in_subtree("territory"),
        description="Plans of this territory or any inside it.",
    )


class EmergencyFilters(ListFilters):
    kind = ChoiceFilter(Emergency.Kind, label=_("Kind"), lookup="kind")
    territory = ReferenceFilter(
        label=_("Territory"),
        choices=visible_territories,
        search="territories",
        lookup="territories",
        description="States of emergency declared over this territory.",
    )
