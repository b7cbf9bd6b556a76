"""Reads of publications, through the user's scope."""

from __future__ import annotations

from typing import Any

from django.db import models

from kense.media.models import Publication
from kense.registry.models import Organization, OrganizationKind


def publication_list(
    user: Any, filters: dict[str, Any] | None = None
) -> models.QuerySet[Publication]:
    """Publications the user may see, newest first, filtered by outlet, territory (its
    subtree), period, kind and language."""
    filters = filters or {}
    queryset = Publication.objects.restrict(user).select_related("outlet")
    if filters.get("outlet"):
        queryset = queryset.filter(outlet=filters["outlet"])
    if filters.get("territory"):
        about = Publication.objects.filter(
            territories__path__startswith=filters["territory"].path
        ).values("pk")
        queryset = queryset.filter(pk__in=about)
    if filters.get("date_from"):
        queryset = queryset.filter(date__gte=filters["date_from"])
    if filters.get("date_to"):
        queryset = queryset.filter(date__lte=filters["date_to"])
    for name in ("kind", "language"):
        if filters.get(name):
            queryset = queryset.filter(**{name: filters[name]})
    if filters.get("q"):
        queryset = queryset.filter(title__icontains=filters["q"])
    return queryset.order_by(models.F("date").desc(nulls_last=True), "-pk")


def publication_detail_queryset() -> models.QuerySet[Publication]:
    return Publication.objects.select_related("outlet", "created_by").prefetch_related(
        "people", "organizations", "territories", "programs", "projects", "events", "meetings"
    )


def outlets(user: Any) -> models.QuerySet[Organization]:
    """Media organizations the user may see, outlets of publications."""
    from kense.core.lists import kazakh_order

    return (
        Organization.objects.restrict(user)
        .filter(kind=OrganizationKind.MEDIA)
        .order_by(kazakh_order(), "pk")
    )
