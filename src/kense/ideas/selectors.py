"""Reads of ideas, through the user's scope."""

from __future__ import annotations

from django.db import models
from django.db.models import QuerySet

from kense.core.filters import FilterValues
from kense.core.permissions import Actor
from kense.ideas.filters import IdeaFilters
from kense.ideas.models import Idea, IdeaStatus

RELATED = (
    "territory",
    "citizen",
    "direction__program",
    "proposer__person",
    "accepted_project",
    "accepted_event",
    "merged_into",
    "evaluated_by__person",
)


def idea_list(user: Actor, filters: FilterValues | None = None) -> QuerySet[Idea]:
    """The ideas the user may see (their own, or their territory's for the project office,
    executives and coordinators), narrowed by IdeaFilters, newest first."""
    ideas = Idea.objects.restrict(user).select_related(*RELATED)
    return IdeaFilters.narrow(ideas, filters).order_by("-created_at", "-pk")


def my_ideas(user: Actor, filters: FilterValues | None = None) -> QuerySet[Idea]:
    """The ideas the user proposed, narrowed by the other filters, newest first."""
    return idea_list(user, {**(filters or {}), "mine": user})


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
    statuses = [status for status in IdeaStatus.values if status != IdeaStatus.RECEIVED]
    for row in rows:
        entry = counts.setdefault(
            row["territory_id"], {"proposed": 0, **dict.fromkeys(statuses, 0)}
        )
        # A resident's idea not yet taken into review waits for the office all the same: the
        # indicators count it with those being evaluated.
        status = IdeaStatus.EVALUATING if row["status"] == IdeaStatus.RECEIVED else row["status"]
        entry[status] += row["count"]
        entry["proposed"] += row["count"]
    return counts
