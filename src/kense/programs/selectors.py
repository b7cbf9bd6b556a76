"""Reads of programs and projects, through the user's scope."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q

from kense.core.lists import kazakh_order
from kense.core.selectors import search_filter
from kense.programs.models import Direction, Program, Project


def program_list(user: Any) -> models.QuerySet[Program]:
    return (
        Program.objects.restrict(user)
        .select_related("lead_organization")
        .annotate(project_count=models.Count("projects", distinct=True))
        .order_by(kazakh_order(), "pk")
    )


def project_list(user: Any, filters: dict[str, Any] | None = None) -> models.QuerySet[Project]:
    filters = filters or {}
    queryset = Project.objects.restrict(user).select_related(
        "program", "direction", "territory", "lead_organization"
    )
    if filters.get("q"):
        queryset = search_filter(queryset, filters["q"])
    for name in ("program", "direction"):
        if filters.get(name):
            queryset = queryset.filter(**{name: filters[name]})
    if filters.get("status"):
        queryset = queryset.filter(status=filters["status"])
    if filters.get("territory"):
        queryset = queryset.filter(territory__path__startswith=filters["territory"].path)
    if filters.get("year"):
        year = filters["year"]
        queryset = queryset.filter(
            Q(start__isnull=True) | Q(start__year__lte=year),
            Q(end__isnull=True) | Q(end__year__gte=year),
        )
    return queryset.order_by(kazakh_order(), "pk")


def directions_of(program: Program) -> list[Direction]:
    return list(
        program.directions.select_related("lead_organization").order_by("order", kazakh_order())
    )
