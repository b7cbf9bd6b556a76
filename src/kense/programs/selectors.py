"""Reads of programs and projects, through the user's scope."""

from __future__ import annotations

from django.db import models
from django.db.models import QuerySet

from kense.core.filters import FilterValues
from kense.core.lists import kazakh_order
from kense.core.permissions import Actor
from kense.programs.filters import DirectionFilters, ProgramFilters, ProjectFilters
from kense.programs.models import Direction, Program, Project


def program_list(user: Actor, filters: FilterValues | None = None) -> QuerySet[Program]:
    """The programs the user may see, each with its number of projects, in Kazakh order."""
    programs = (
        Program.objects.restrict(user)
        .select_related("lead_organization")
        .annotate(project_count=models.Count("projects", distinct=True))
    )
    return ProgramFilters.narrow(programs, filters).order_by(kazakh_order(), "pk")


def direction_list(user: Actor, filters: FilterValues | None = None) -> QuerySet[Direction]:
    """The directions the user may see: by program (Kazakh order), then in the order the
    program gives them."""
    directions = Direction.objects.restrict(user).select_related("program", "lead_organization")
    return DirectionFilters.narrow(directions, filters).order_by(
        kazakh_order("name", "program__"), "program_id", "order", "pk"
    )


def project_list(user: Actor, filters: FilterValues | None = None) -> QuerySet[Project]:
    """The special projects the user may see, narrowed by ProjectFilters, in Kazakh order."""
    projects = Project.objects.restrict(user).select_related(
        "program", "direction", "parent", "territory", "lead_organization"
    )
    return ProjectFilters.narrow(projects, filters).order_by(kazakh_order(), "pk")


def directions_of(program: Program) -> list[Direction]:
    return list(
        program.directions.select_related("lead_organization").order_by("order", kazakh_order())
    )
