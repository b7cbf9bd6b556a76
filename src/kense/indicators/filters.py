"""The lists of indicators, targets, values and reports and their filters, each declared once
for the page, its Excel export and the API (kense.core.filters)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from kense.core.filters import (
    ChoiceFilter,
    ListFilters,
    NumberFilter,
    ReferenceFilter,
    SearchFilter,
    in_subtree,
)
from kense.core.lists import kazakh_order
from kense.core.permissions import Actor, can_add
from kense.indicators.models import (
    Computation,
    Indicator,
    PeriodKind,
    ReportForm,
    ReportStatus,
    Source,
    ValueStatus,
)
from kense.indicators.services.definitions import FIRST_YEAR, LAST_YEAR
from kense.programs.filters import visible_directions
from kense.registry.filters import visible_territories

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from kense.core.permissions import Account


def visible_indicators(user: Actor) -> QuerySet[Indicator]:
    return Indicator.objects.restrict(user).order_by("order", "code", "pk")


def report_forms(user: Actor) -> QuerySet[ReportForm]:
    return ReportForm.objects.restrict(user).order_by(kazakh_order(), "pk")


def _year(label: StrOrPromise) -> NumberFilter:
    return NumberFilter(label=label, lookup="year", min_value=FIRST_YEAR, max_value=LAST_YEAR)


class IndicatorFilters(ListFilters):
    q = SearchFilter(label=_("Name or code"))
    source = ChoiceFilter(Source, label=_("How it is obtained"), lookup="source")
    computation = ChoiceFilter(Computation, label=_("Computed as"), lookup="computation")
    direction = ReferenceFilter(
        label=_("Program direction"), choices=visible_directions, lookup="direction"
    )

    def __init__(self, data: Any = None, *, user: Account) -> None:
        super().__init__(data, user=user)
        # The code is internal: only who defines indicators is shown it (the list's column,
        # kense.indicators.views.definitions), so only they are told to search by it.
        if not can_add(user, Indicator):
            self.fields["q"].label = _("Name")


class TargetFilters(ListFilters):
    indicator = ReferenceFilter(
        label=_("Indicator"), choices=visible_indicators, lookup="indicator"
    )
    territory = ReferenceFilter(
        label=_("Territory"),
        choices=visible_territories,
        search="territories",
        lookup=in_subtree("territory"),
        description="Only this territory and the territories inside it.",
    )
    year = _year(_("Year"))


class ValueFilters(ListFilters):
    indicator = ReferenceFilter(
        label=_("Indicator"), choices=visible_indicators, lookup="indicator"
    )
    territory = ReferenceFilter(
        label=_("Territory"),
        choices=visible_territories,
        search="territories",
        lookup=in_subtree("territory"),
        description="Only this territory and the territories inside it.",
    )
    year = _year(_("Year"))
    period = ChoiceFilter(PeriodKind, label=_("Period"), lookup="period_kind")
    status = ChoiceFilter(ValueStatus, label=_("Status"), lookup="status")


class ReportFilters(ListFilters):
    form = ReferenceFilter(label=_("Report form"), choices=report_forms, lookup="form")
    year = _year(_("Year"))
    status = ChoiceFilter(ReportStatus, label=_("Status"), lookup="status")
    territory = ReferenceFilter(
        label=_("Territory"),
        choices=visible_territories,
        search="territories",
        lookup="territory",
        description="Reports of this territory (not of those inside it).",
    )
