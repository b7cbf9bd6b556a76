"""Reads of publications, through the user's scope."""

from __future__ import annotations

from django.db import models
from django.db.models import QuerySet

from kense.core.filters import FilterValues
from kense.core.permissions import Actor
from kense.media.filters import PublicationFilters
from kense.media.models import LINKS, Publication


def publication_list(user: Actor, filters: FilterValues | None = None) -> QuerySet[Publication]:
    """Publications the user may see, narrowed by PublicationFilters, newest first."""
    publications = Publication.objects.restrict(user).select_related("outlet")
    return PublicationFilters.narrow(publications, filters).order_by(
        models.F("date").desc(nulls_last=True), "-pk"
    )


def publication_detail_queryset() -> models.QuerySet[Publication]:
    return Publication.objects.select_related("outlet", "created_by").prefetch_related(*LINKS)
