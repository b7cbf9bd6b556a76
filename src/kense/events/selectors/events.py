"""Reads of events through the user's scope: the filtered list and the calendar views.

Every function here runs a fixed number of queries, however many events it returns.
"""

from __future__ import annotations

import calendar
import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from kense.accounts.models import User
from kense.core.filters import FilterValues
from kense.core.permissions import Actor
from kense.events.filters import EventFilters
from kense.events.models import Event

AGENDA_DAYS = 31


def event_list(user: Actor, filters: FilterValues | None = None) -> QuerySet[Event]:
    """The events the user may see, newest first, narrowed by EventFilters."""
    events: QuerySet[Event] = Event.objects.restrict(user).select_related(
        "program", "project", "organizer", "territory"
    )
    return EventFilters.narrow(events, filters).order_by("-start", "-pk")


@dataclass
class Day:
    date: datetime.date
    in_range: bool = True
    events: list[Event] = field(default_factory=list)

    @property
    def is_today(self) -> bool:
        return self.date == timezone.localdate()


def _days(
    user: User, first: datetime.date, last: datetime.date, filters: dict[str, Any] | None
) -> dict[datetime.date, list[Event]]:
    """Each day from `first` to `last` with the events on it (a multi-day event on each of its
    days), in one query."""
    filters = dict(filters or {})
    filters.pop("date_from", None)
    filters.pop("date_to", None)
    events = (
        event_list(user, filters).filter(start__lte=last, end__gte=first).order_by("start", "pk")
    )
    by_day: dict[datetime.date, list[Event]] = defaultdict(list)
    for event in events:
        day = max(event.start, first)
        while day <= min(event.end, last):
            by_day[day].append(event)
            day += datetime.timedelta(days=1)
    return by_day


@dataclass
class CalendarMonth:
    year: int
    month: int
    weeks: list[list[Day]]

    @property
    def first(self) -> datetime.date:
        return datetime.date(self.year, self.month, 1)

    @property
    def previous(self) -> datetime.date:
        return (self.first - datetime.timedelta(days=1)).replace(day=1)

    @property
    def next(self) -> datetime.date:
        return (self.first + datetime.timedelta(days=31)).replace(day=1)


def calendar_month(
    user: User, year: int, month: int, filters: dict[str, Any] | None = None
) -> CalendarMonth:
    """The month as weeks from Monday to Sunday, each day with its events."""
    weeks_dates = calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    by_day = _days(user, weeks_dates[0][0], weeks_dates[-1][-1], filters)
    weeks = [
        [Day(date, date.month == month, by_day.get(date, [])) for date in week]
        for week in weeks_dates
    ]
    return CalendarMonth(year, month, weeks)


def calendar_week(
    user: User, day: datetime.date, filters: dict[str, Any] | None = None
) -> list[Day]:
    """The week (Monday to Sunday) holding `day`, each day with its events."""
    monday = day - datetime.timedelta(days=day.weekday())
    dates = [monday + datetime.timedelta(days=n) for n in range(7)]
    by_day = _days(user, dates[0], dates[-1], filters)
    return [Day(date, True, by_day.get(date, [])) for date in dates]


def agenda(
    user: User, start: datetime.date, filters: dict[str, Any] | None = None, days: int = AGENDA_DAYS
) -> list[Day]:
    """The days from `start` on (`days` of them) that have events, each with its events."""
    last = start + datetime.timedelta(days=days - 1)
    by_day = _days(user, start, last, filters)
    return [Day(date, True, by_day[date]) for date in sorted(by_day)]
