"""Reads of ideas, through the user's scope."""

from __future__ import annotations

from typing import Any

from django.db import models

from kense.core.selectors import search_filter
from kense.ideas.models import Idea, IdeaStatus

RELATED = (
    "territory",
    "direction__program",
    "proposer__person",
    "accepted_project",
    "accepted_event",
    "merged_into",
    "evaluated_by__person",
)


def idea_list(user: Any, filters: dict[str, Any] | None = None) -> models.QuerySet[Idea]:
    """The ideas the user may see (their own, or their territory's for the project office,
    executives and coordinators), newest first, filtered by status, territory (with
    everything inside it), direction, proposer ("mine") and words of the title."""
    filters = filters or {}
    queryset = Idea.objects.restrict(user).select_related(*RELATED)
    if filters.get("q"):
        queryset = search_filter(queryset, filters["q"])
    if filters.get("status"):
        queryset = queryset.filter(status=filters["status"])
    if filters.get("territory"):
        queryset = queryset.filter(territory__path__startswith=filters["territory"].path)
    if filters.get("direction"):
        queryset = queryset.filter(direction=filters["direction"])
    if filters.get("mine"):
        queryset = queryset.filter(proposer_id=user.pk)
    return queryset.order_by("-created_at", "-pk")


def my_ideas(user: Any) -> models.QuerySet[Idea]:
    """The ideas the user proposed, newest first."""
    return idea_list(user, {"mine": True})


def counts_by_territory(year: int) -> dict[int, dict[str, int]]:
    """Ideas proposed in `year` per territory id (the territory the idea names, not its
    ancestors): {"proposed": n, "evaluating": n, "accepted": n, "rejected": n, "merged": n}.

    Not scoped by a user: indicators are computed for the whole region.
    """
    rows = (
        Idea.objects.filter(created_at__year=year)
        .values("territory_id", "status")
        .annotate(count=models.Count("pk"))
        .order_by()
    )
    counts: dict[int, dict[str, int]] = {}
    for row in rows:
        entry = counts.setdefault(
            row["territory_id"], {"proposed": 0, **dict.fromkeys(IdeaStatus.values, 0)}
        )
        entry[row["status"]] += row["count"]
        entry["proposed"] += row["count"]
    return counts
