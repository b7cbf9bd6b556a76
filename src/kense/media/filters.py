"""The publication list's filters, declared once for the page, its Excel export and the API
(kense.core.filters)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from kense.core.filters import (
    CheckFilter,
    ChoiceFilter,
    DateFilter,
    ListFilters,
    ReferenceFilter,
    SearchFilter,
)
from kense.core.lists import kazakh_order
from kense.core.permissions import Actor
from kense.media.models import Publication, PublicationKind, PublicationLanguage
from kense.registry.filters import visible_territories
from kense.registry.models import Organization, OrganizationKind, Territory


def outlets(user: Actor) -> QuerySet[Organization]:
    """Media organizations the user may see, outlets of publications."""
    return (
        Organization.objects.restrict(user)
        .filter(kind=OrganizationKind.MEDIA)
        .order_by(kazakh_order(), "pk")
    )


def _about(publications: QuerySet[Publication], territory: Territory) -> QuerySet[Publication]:
    """Publications about the territory or any place inside it (a publication may name
    several: by their ids, so that none is listed twice)."""
    about = Publication.objects.filter(territories__path__startswith=territory.path)
    return publications.filter(pk__in=about.values("pk"))


def _unlinked(publications: QuerySet[Publication], _yes: bool) -> QuerySet[Publication]:
    """Publications linked to no event, project or meeting yet (the office links them)."""
    return publications.filter(events__isnull=True, projects__isnull=True, meetings__isnull=True)


class PublicationFilters(ListFilters):
    q = SearchFilter(label=_("Title"), description="Every word must begin a word of the title.")
    outlet = ReferenceFilter(
        label=_("Outlet"),
        choices=outlets,
        lookup="outlet",
        description="Publications of this media organization.",
    )
    territory = ReferenceFilter(
        label=_("Territory"),
        choices=visible_territories,
        search="territories",
        lookup=_about,
        description="Publications about this territory or any inside it.",
    )
    date_from = DateFilter(
        label=_("From"), lookup="date__gte", description="Published on or after this day."
    )
    date_to = DateFilter(
        label=_("To"), lookup="date__lte", description="Published on or before this day."
    )
    kind = ChoiceFilter(PublicationKind, label=_("Kind"), lookup="kind")
    language = ChoiceFilter(PublicationLanguage, label=_("Language"), lookup="language")
    unlinked = CheckFilter(
        label=_("Not linked yet"),
        lookup=_unlinked,
        description="Publications linked to no event, project or meeting yet.",
    )
