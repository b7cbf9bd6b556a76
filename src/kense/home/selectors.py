"""Reads that span apps: the dashboard's counts and the one search box."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.cache import cache
from django.db import models
from django.utils.translation import gettext_lazy as _

from kense.core.lists import kazakh_order
from kense.core.permissions import RestrictedQuerySet, Role, scope_of
from kense.core.selectors import search_filter
from kense.programs.models import Program, ProgramStatus, Project
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


DASHBOARD_SECONDS = 60


def dashboard(user: User) -> dict[str, Any]:
    """What the home page counts: the registry as the user's scope sees it. The counts are
    kept a minute for each user's scope, so the page everyone opens first does not count a
    country's registry on every visit."""
    scope = scope_of(user)
    territory = user.territory or (user.organization.territory if user.organization else None)
    key = "dashboard:" + hashlib.sha256(repr(scope).encode()).hexdigest()
    numbers: list[int] | None = cache.get(key)
    if numbers is None:
        numbers = _dashboard_counts(user)
        cache.set(key, numbers, DASHBOARD_SECONDS)
    return {
        "scope_territory": territory,
        "scope_organization": user.organization,
        "counts": [
            (_("Territories"), numbers[0], "registry:territory_tree"),
            (_("Organizations"), numbers[1], "registry:organization_list"),
            (_("People"), numbers[2], "registry:person_list"),
            (_("Programs"), numbers[3], "programs:program_list"),
            (_("Active projects"), numbers[4], "programs:project_list"),
        ],
        "role_label": dict(scope_role_choices()).get(scope.role, ""),
    }


def _dashboard_counts(user: User) -> list[int]:
    return [
        Territory.objects.restrict(user).count(),
        Organization.objects.restrict(user).count(),
        Person.objects.restrict(user).count(),
        Program.objects.restrict(user).count(),
        Project.objects.restrict(user).filter(status=ProgramStatus.ACTIVE).count(),
    ]


def scope_role_choices() -> list[tuple[str, StrOrPromise]]:
    return list(Role.choices)
