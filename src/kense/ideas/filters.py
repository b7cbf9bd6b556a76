"""The idea lists' filters, declared once for the pages, their Excel export and the API
(kense.core.filters)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from kense.core.filters import (
    ChoiceFilter,
    ListFilters,
    MineFilter,
    ReferenceFilter,
    SearchFilter,
    in_subtree,
)
from kense.core.lists import kazakh_order
from kense.core.permissions import Actor
from kense.ideas.models import IdeaStatus
from kense.programs.models import Direction
from kense.registry.filters import visible_territories


def directions(user: Actor) -> QuerySet[Direction]:
    # An idea may name any direction, as it may any territory: it is about the program, not
    # about the proposer's scope.
    return Direction.objects.order_by(kazakh_order(), "pk")


class IdeaFilters(ListFilters):
    q = SearchFilter(label=_("Title"), description="Every word must begin a word of the title.")
    status = ChoiceFilter(IdeaStatus, label=_("Status"), lookup="status")
    territory = ReferenceFilter(
        label=_("Territory"),
        choices=visible_territories,
        search="territories",
        lookup=in_subtree("territory"),
        description="Ideas in this territory or any inside it.",
    )
    direction = ReferenceFilter(
        label=_("Program direction"),
        choices=directions,
        lookup="direction",
        description="Ideas for this direction of a program.",
    )
    mine = MineFilter(
        "proposer", label=_("Only my ideas"), description="Only the ideas I proposed."
    )


class MyIdeaFilters(IdeaFilters):
    """ "My ideas" are the user's own already."""

    # None takes the inherited field out (Django's declarative forms); the stubs want a Field.
    mine = None  # type: ignore[assignment]
