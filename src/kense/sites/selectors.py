"""Reads of sacred sites, through the user's scope."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from kense.core.filters import FilterValues
from kense.core.lists import kazakh_order
from kense.core.permissions import Actor
from kense.sites.filters import SiteFilters
from kense.sites.models import LINKS, Site

RELATED = ("territory", "project")


def site_list(user: Actor, filters: FilterValues | None = None) -> QuerySet[Site]:
    """The sites the user may see, narrowed by SiteFilters, in Kazakh order of their names."""
    sites = Site.objects.restrict(user).select_related(*RELATED)
    return SiteFilters.narrow(sites, filters).order_by(kazakh_order(), "pk")


def sites_on_map(user: Actor, **filters: Any) -> QuerySet[Site]:
    """The sites the user may see that have a point (both latitude and longitude), narrowed
    by SiteFilters given by name (`kind=…`, `territory=<Territory>`, `q=…`), for a map."""
    return site_list(user, filters).filter(latitude__isnull=False, longitude__isnull=False)


def site_detail_queryset() -> QuerySet[Site]:
    """Sites with what their page shows loaded (restrict it to the user with get_visible)."""
    return Site.objects.select_related(*RELATED).prefetch_related(*LINKS)
