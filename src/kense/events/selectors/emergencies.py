"""Reads of states of emergency: which ones a user sees, which cover an event, which events
one stops, what a bulk postponement would touch, the postponement counts, and the rescheduling
assistant's proposals (nothing is saved here: `kense.events.services.emergencies` writes).

A postponement caused by a declared emergency keeps `Event.emergency` for good (also once
rescheduled): reports and the ranking tell such a *justified* postponement from
non-performance.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from kense.core.filters import FilterValues
from kense.core.permissions import Actor, scope_of
from kense.events.filters import EmergencyFilters
from kense.events.models import Emergency, EmergencyTerritory, Event, EventFormat, EventStatus
from kense.registry.models import Territory
from kense.registry.selectors import subtree_on

# Formats that gather nobody in one room: kept when only in-person gatherings are restricted.
REMOTE_FORMATS = (EventFormat.ONLINE, EventFormat.MEDIA_CAMPAIGN)
ONE_DAY = datetime.timedelta(days=1)


def emergency_list(user: Actor, filters: FilterValues | None = None) -> QuerySet[Emergency]:
    """The emergencies the user may see: those touching the user's territory subtree, and
    those declared over a territory that contains it (a district sees the regional quarantine).
    """
    scope = scope_of(user)
    queryset = Emergency.objects.all()
    if not scope.authenticated:
        return queryset.none()
    path = (
        scope.organization_territory_path if scope.is_organization_bound else scope.territory_path
    )
    if scope.is_admin or (path is None and scope.is_wide):
        return EmergencyFilters.narrow(queryset, filters)
    if path is None:
        return queryset.none()
    ancestors = [int(part) for part in path.strip("/").split("/") if part]
    touching = EmergencyTerritory.objects.filter(
        Q(territory__path__startswith=path) | Q(territory_id__in=ancestors)
    ).values("emergency_id")
    return EmergencyFilters.narrow(queryset.filter(pk__in=touching), filters)


def _ancestor_ids(path: str) -> list[int]:
    return [int(part) for part in path.strip("/").split("/") if part]


def emergencies_for(event: Event) -> QuerySet[Emergency]:
    """The declared emergencies that cover the event's territory (declared for it or for a
    territory it lies in), newest first."""
    covering = EmergencyTerritory.objects.filter(territory__in=_ancestor_ids(event.territory.path))
    return Emergency.objects.filter(pk__in=covering.values("emergency_id")).order_by("-start", "pk")


def _restricts(emergency: Emergency, event_format: str) -> bool:
    if emergency.restricts == Emergency.Restricts.ALL:
        return True
    return event_format in (EventFormat.IN_PERSON, EventFormat.HYBRID)


def clashing_emergency(event: Event) -> Emergency | None:
    """An emergency that forbids the event on its planned dates, if any."""
    for emergency in emergencies_for(event):
        last = emergency.last_day
        overlaps = emergency.start <= event.end and (last is None or event.start <= last)
        if overlaps and _restricts(emergency, event.format):
            return emergency
    return None


def covered_territory_ids(emergency: Emergency) -> set[int]:
    """Every territory the emergency covers: each declared one with its subtree, as the tree
    stood when the emergency began."""
    found: set[int] = set()
    for territory in emergency.territories.all():
        found |= subtree_on(territory, emergency.start)
    return found


def _period_q(emergency: Emergency) -> Q:
    """Events whose dates meet the restricted period."""
    q = Q(end__gte=emergency.start)
    if emergency.last_day is not None:
        q &= Q(start__lte=emergency.last_day)
    return q


def candidate_events(emergency: Emergency) -> QuerySet[Event]:
    """Planned events of every format in the covered territories whose dates meet the period."""
    return (
        Event.objects.filter(
            _period_q(emergency),
            status=EventStatus.PLANNED,
            territory_id__in=covered_territory_ids(emergency),
        )
        .select_related("territory", "organizer")
        .order_by("start", "pk")
    )


def is_restricted(emergency: Emergency, event: Event) -> bool:
    """Does the emergency stop this event (online ones go on when only gatherings stop)?"""
    return emergency.restricts == Emergency.Restricts.ALL or event.format not in REMOTE_FORMATS


def affected_events(emergency: Emergency) -> QuerySet[Event]:
    """The planned events the emergency stops: in its territories' subtrees, with dates in the
    restricted period; online events and media campaigns go on when it restricts only in-person
    gatherings."""
    events = candidate_events(emergency)
    if emergency.restricts == Emergency.Restricts.IN_PERSON:
        events = events.exclude(format__in=REMOTE_FORMATS)
    return events


@dataclass
class PreviewRow:
    event: Event
    restricted: bool
    selected: bool


def postpone_preview(
    emergency: Emergency, event_ids: Iterable[int] | None = None
) -> list[PreviewRow]:
    """What a bulk postponement would touch: every planned event in the period and territories,
    the ones the emergency stops selected (or the given ones), online ones left unselected
    when only in-person gatherings are restricted. One query for the territories' tree, one for
    the events."""
    chosen = set(event_ids) if event_ids is not None else None
    rows = []
    for event in candidate_events(emergency):
        restricted = is_restricted(emergency, event)
        selected = restricted if chosen is None else event.pk in chosen
        rows.append(PreviewRow(event=event, restricted=restricted, selected=selected))
    return rows


# ---------------------------------------------------------------------------------------------
# The rescheduling assistant
# ---------------------------------------------------------------------------------------------


@dataclass
class Proposal:
    event: Event
    start: datetime.date
    end: datetime.date
    # Pushed later than the plain shift: a clash or another emergency was in the way.
    pushed: bool = False


def days_between(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    """Every day from `start` to `end`, both included."""
    return [start + ONE_DAY * n for n in range((end - start).days + 1)]


def other_emergencies(emergency: Emergency) -> list[Emergency]:
    """Every other emergency, with its territories (two queries)."""
    return list(Emergency.objects.exclude(pk=emergency.pk).prefetch_related("territories"))


def blocked_by(
    others: list[Emergency], territory: Territory, days: list[datetime.date]
) -> Emergency | None:
    """The first other emergency covering the territory on one of these days."""
    for other in others:
        if not any(territory.path.startswith(t.path) for t in other.territories.all()):
            continue
        if any(other.covers(day) for day in days):
            return other
    return None


def propose_new_dates(emergency: Emergency) -> list[Proposal]:
    """New dates for the events this emergency postponed (and that wait for a date): from the
    lifting on, in their original order and with their original gaps between start dates;
    pushed later, a day at a time, past a day on which another event of the same territory
    already takes place (or is proposed) and past days another emergency of that territory
    covers. Nothing is saved: each organizer confirms or changes the proposal."""
    if emergency.lifted_on is None:
        raise ValidationError(_("New dates are proposed once the disruption is lifted."))
    events = list(
        emergency.events.filter(status=EventStatus.POSTPONED)
        .select_related("territory", "organizer")
        .order_by("start", "pk")
    )
    if not events:
        return []
    lifted_on = emergency.lifted_on
    taken: set[tuple[int, datetime.date]] = set()
    for territory_id, start, end in Event.objects.filter(
        territory_id__in={event.territory_id for event in events},
        status=EventStatus.PLANNED,
        end__gte=lifted_on,
    ).values_list("territory_id", "start", "end"):
        taken.update((territory_id, day) for day in days_between(start, end))
    others = other_emergencies(emergency)
    first = events[0].start
    proposals: list[Proposal] = []
    previous = lifted_on
    for event in events:
        length = event.end - event.start
        shifted = lifted_on + (event.start - first)
        start = max(shifted, previous)
        # A year of pushing is far beyond any real clash; it stops an open-ended emergency
        # from running the loop for ever (the organizer then picks a date by hand).
        for _attempt in range(366):
            days = days_between(start, start + length)
            clash = any((event.territory_id, day) in taken for day in days)
            if not clash and blocked_by(others, event.territory, days) is None:
                break
            start += ONE_DAY
        end = start + length
        taken.update((event.territory_id, day) for day in days_between(start, end))
        proposals.append(Proposal(event=event, start=start, end=end, pushed=start != shifted))
        previous = start
    return proposals
