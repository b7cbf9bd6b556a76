"""The sacred sites list's filters, declared once for the page, its Excel export and the API
(kense.core.filters)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kense.core.filters import ChoiceFilter, ListFilters, ReferenceFilter, SearchFilter, in_subtree
from kense.registry.filters import visible_territories
from kense.sites.models import Protection, SacredList, SiteKind


class SiteFilters(ListFilters):
    q = SearchFilter(label=_("Name"), description="Every word must begin a word of the name.")
    kind = ChoiceFilter(SiteKind, label=_("Kind"), lookup="kind")
    sacred_list = ChoiceFilter(
        SacredList,
        label=_("List"),
        lookup="sacred_list",
        description="The national or the regional list of sacred sites.",
    )
    territory = ReferenceFilter(
        label=_("Territory"),
        choices=visible_territories,
        search="territories",
        lookup=in_subtree("territory"),
        description="Sites in this territory or any inside it.",
    )
    protection = ChoiceFilter(Protection, label=_("Protection status"), lookup="protection")
