"""Reads that span apps: the one search box (the home's are in kense.home.today)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import models
from django.utils.translation import gettext_lazy as _
from kense.core.lists import kazakh_order
from kense.core.permissions import RestrictedQuerySet
from kense.core.selectors import search_filter
from kense.programs.models import Program, Project
from kense.registry.models import Organization, Person, Territory

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise
    from kense.accounts.models import User

SEARCH_LIMIT = 20


@dataclass
class SearchGroup:
    label: StrOrPromise
    results: list[models.Model]
    more: bool


def _searchables() -> list[tuple[StrOrPromise, RestrictedQuerySet[Any], str]]:
    return [
        (_("Territories"), Territory.objects.select_related("parent"), "name"),
        (_("Organizations"), Organization.objects.select_related("territory"), "name"),
        (_("People"), Person.objects.select_related("territory"), "surname"),
        (_("Programs"), Program.objects.all(), "name"),
        (_("Projects"), Project.objects.select_related("territory"), "name"),
    ]


def search(user: User, query: str) -> list[SearchGroup]:
    """Matches grouped by kind, each group in Kazakh order and scoped to the user."""
    groups = []
    for label, queryset, name_field in _searchables():
        found = list(
            search_filter(queryset.restrict(user), query).order_by(kazakh_order(name_field), "pk")[
                : SEARCH_LIMIT + 1
            ]
        )
        if found:
            groups.append(SearchGroup(label, found[:SEARCH_LIMIT], len(found) > SEARCH_LIMIT))
    return groups
