"""The meeting list's filters, declared once for the page, its Excel export and the API
(kense.core.filters)."""

from __future__ import annotations

import datetime

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kense.core.filters import (
    ChoiceFilter,
    DateFilter,
    ListFilters,
    ReferenceFilter,
    SearchFilter,
    in_subtree,
)
from kense.meetings.models import Meeting, MeetingKind, MeetingState
from kense.registry.filters import visible_territories


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _on_or_after(meetings: QuerySet[Meeting], day: datetime.date) -> QuerySet[Meeting]:
    return meetings.filter(start__gte=_day_start(day))


def _on_or_before(meetings: QuerySet[Meeting], day: datetime.date) -> QuerySet[Meeting]:
    # Up to the end of the local day: the next day's first moment is excluded.
    return meetings.filter(start__lt=_day_start(day + datetime.timedelta(days=1)))


class MeetingFilters(ListFilters):
    q = SearchFilter(
        label=_("Title"),
        description="Every word must begin a word of the title, in Kazakh, Russian or English.",
    )
    state = ChoiceFilter(MeetingState, label=_("State"), lookup="state")
    kind = ChoiceFilter(MeetingKind, label=_("Kind"), lookup="kind")
    from_ = DateFilter(
        label=_("From"), lookup=_on_or_after, description="Meetings on or after this day."
    )
    to = DateFilter(
        label=_("To"), lookup=_on_or_before, description="Meetings on or before this day."
    )
    territory = ReferenceFilter(
        label=_("Territory"),
        choices=visible_territories,
        search="territories",
        lookup=in_subtree("territory"),
        description="Meetings of this territory or any inside it.",
    )
