"""Emergencies: declaring a disruption, postponing the events it affects in bulk, lifting it,
and the rescheduling assistant that proposes new dates afterwards.

Writes are services in one transaction; every changed event and assignment is saved with the
acting user, so each keeps its own history row. A postponement caused by a declared disruption
keeps `Event.disruption` for good (also once rescheduled): reports and the ranking tell such a
*justified* postponement from non-performance.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from kense.assignments.models import OPEN_STATUSES, Assignment, DeadlineKind
from kense.core.permissions import Action, Role, can, scope_of
from kense.events.models import Disruption, Event, EventFormat, EventStatus
from kense.registry.models import Territory
from kense.registry.selectors import subtree_on

# Formats that gather nobody in one room: kept when only in-person gatherings are restricted.
REMOTE_FORMATS = (EventFormat.ONLINE, EventFormat.MEDIA_CAMPAIGN)
DECLARING_ROLES = {Role.ADMINISTRATOR, Role.PROJECT_OFFICE}
ONE_DAY = datetime.timedelta(days=1)


# ---------------------------------------------------------------------------------------------
# Reads
# ---------------------------------------------------------------------------------------------


def disruption_list(user: Any) -> QuerySet[Disruption]:
    """The disruptions the user may see: those touching the user's territory subtree, and
    those declared over a territory that contains it (a district sees the regional quarantine).
    """
    scope = scope_of(user)
    queryset = Disruption.objects.all()
    if not scope.authenticated:
        return queryset.none()
    path = (
        scope.organization_territory_path if scope.is_organization_bound else scope.territory_path
    )
    if scope.is_admin or (path is None and scope.is_wide):
        return queryset
    if path is None:
        return queryset.none()
    ancestors = [int(part) for part in path.strip("/").split("/") if part]
    touching = Disruption.territories.through.objects.filter(
        Q(territory__path__startswith=path) | Q(territory_id__in=ancestors)
    ).values("disruption_id")
    return queryset.filter(pk__in=touching)


def may_declare(user: Any) -> bool:
    """Only the project office (and administrators) declare, postpone in bulk and lift."""
    return scope_of(user).role in DECLARING_ROLES


def may_manage(user: Any, disruption: Disruption) -> bool:
    """May the user postpone for and lift this disruption: the project office whose territory
    holds every territory the disruption covers, or an administrator."""
    scope = scope_of(user)
    if scope.is_admin:
        return True
    if scope.role != Role.PROJECT_OFFICE:
        return False
    if scope.territory_path is None:
        return True
    return all(
        territory.path.startswith(scope.territory_path)
        for territory in disruption.territories.all()
    )


def _require_manage(user: Any, disruption: Disruption) -> None:
    if not may_manage(user, disruption):
        raise PermissionDenied


def covered_territory_ids(disruption: Disruption) -> set[int]:
    """Every territory the disruption covers: each declared one with its subtree, as the tree
    stood when the disruption began."""
    found: set[int] = set()
    for territory in disruption.territories.all():
        found |= subtree_on(territory, disruption.start)
    return found


def _period_q(disruption: Disruption) -> Q:
    """Events whose dates meet the restricted period."""
    q = Q(end__gte=disruption.start)
    if disruption.last_day is not None:
        q &= Q(start__lte=disruption.last_day)
    return q


def candidate_events(disruption: Disruption) -> QuerySet[Event]:
    """Planned events of every format in the covered territories whose dates meet the period."""
    return (
        Event.objects.filter(
            _period_q(disruption),
            status=EventStatus.PLANNED,
            territory_id__in=covered_territory_ids(disruption),
        )
        .select_related("territory", "organizer")
        .order_by("start", "pk")
    )


def is_restricted(disruption: Disruption, event: Event) -> bool:
    """Does the disruption stop this event (online ones go on when only gatherings stop)?"""
    return disruption.restricts == Disruption.Restricts.ALL or event.format not in REMOTE_FORMATS


def affected_events(disruption: Disruption) -> QuerySet[Event]:
    """The planned events the disruption stops: in its territories' subtrees, with dates in the
    restricted period; online events and media campaigns go on when it restricts only in-person
    gatherings."""
    events = candidate_events(disruption)
    if disruption.restricts == Disruption.Restricts.IN_PERSON:
        events = events.exclude(format__in=REMOTE_FORMATS)
    return events


@dataclass
class PreviewRow:
    event: Event
    restricted: bool
    selected: bool


def postpone_preview(
    disruption: Disruption, event_ids: Iterable[int] | None = None
) -> list[PreviewRow]:
    """What a bulk postponement would touch: every planned event in the period and territories,
    the ones the disruption stops selected (or the given ones), online ones left unselected
    when only in-person gatherings are restricted. One query for the territories' tree, one for
    the events."""
    chosen = set(event_ids) if event_ids is not None else None
    rows = []
    for event in candidate_events(disruption):
        restricted = is_restricted(disruption, event)
        selected = restricted if chosen is None else event.pk in chosen
        rows.append(PreviewRow(event=event, restricted=restricted, selected=selected))
    return rows


def postponement_counts(territory: Territory, year: int) -> dict[str, int]:
    """Events of the year in the territory's subtree: justified postponements (a declared
    disruption, also once rescheduled), unjustified ones (postponed without one), cancelled.
    One query."""
    counts = Event.objects.filter(
        territory__path__startswith=territory.path, start__year=year
    ).aggregate(
        justified=Count(
            "pk", filter=Q(disruption__isnull=False) & ~Q(status=EventStatus.CANCELLED)
        ),
        unjustified=Count("pk", filter=Q(status=EventStatus.POSTPONED, disruption__isnull=True)),
        cancelled=Count("pk", filter=Q(status=EventStatus.CANCELLED)),
    )
    return {name: counts[name] or 0 for name in ("justified", "unjustified", "cancelled")}


# ---------------------------------------------------------------------------------------------
# Writes
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def disruption_declare(
    disruption: Disruption, *, user: Any, territories: Iterable[Territory]
) -> Disruption:
    """Declare a disruption over territories (each with its subtree). Only the project office
    (inside its own territory) and administrators declare."""
    territories = list(territories)
    if not may_declare(user):
        raise PermissionDenied
    if not territories:
        raise ValidationError({"territories": _("Name at least one territory.")})
    scope = scope_of(user)
    path = scope.territory_path
    if not scope.is_admin and path and any(not t.path.startswith(path) for t in territories):
        raise PermissionDenied
    disruption.declared_by = user
    disruption._history_user = user  # type: ignore[attr-defined]  # read by simple_history
    disruption.full_clean(exclude=["declared_by"])
    disruption.save()
    disruption.territories.set(territories)
    return disruption


@transaction.atomic
def postpone_in_bulk(
    disruption: Disruption,
    *,
    user: Any,
    reason: str,
    event_ids: Iterable[int] | None = None,
    keep_online: bool = True,
) -> list[Event]:
    """Postpone the chosen planned events (all those the disruption stops by default) with one
    reason: each becomes postponed "until the lifting", linked to the disruption (a justified
    postponement), and gets its own history row. All or nothing."""
    _require_manage(user, disruption)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason.")})
    rows = postpone_preview(disruption, event_ids)
    if event_ids is not None:
        known = {row.event.pk for row in rows}
        if set(event_ids) - known:
            raise ValidationError(
                {"event_ids": _("Some of the chosen events are not affected by this disruption.")}
            )
    # Online events go on unless the caller says otherwise (keep_online=False).
    chosen = [
        row.event
        for row in rows
        if (row.selected or event_ids is None) and (row.restricted or not keep_online)
    ]
    if not chosen:
        raise ValidationError({"event_ids": _("Choose at least one event to postpone.")})
    changeable = set(
        Event.objects.filter(pk__in=[event.pk for event in chosen])
        .restrict(user, Action.CHANGE)
        .values_list("pk", flat=True)
    )
    if len(changeable) != len(chosen):
        raise PermissionDenied
    for event in chosen:
        event.status = EventStatus.POSTPONED
        event.reason = reason.strip()
        event.disruption = disruption
        event.after_lifting = True
        event._history_user = user  # type: ignore[attr-defined]  # one history row per event
        event.save(update_fields=["status", "reason", "disruption", "after_lifting"])
    return chosen


@transaction.atomic
def disruption_lift(
    disruption: Disruption, *, user: Any, lifted_on: datetime.date
) -> list[Assignment]:
    """Lift the disruption on a date (the first day without restrictions). Every open
    assignment due "N days after the lifting" in a covered territory, with no deadline yet,
    gets its deadline: the lifting plus N days. Returns those assignments."""
    _require_manage(user, disruption)
    if disruption.lifted_on is not None:
        raise ValidationError({"lifted_on": _("It has already been lifted.")})
    disruption.lifted_on = lifted_on
    disruption._history_user = user  # type: ignore[attr-defined]
    disruption.full_clean(exclude=["declared_by"])
    disruption.save(update_fields=["lifted_on"])
    waiting = Assignment.objects.filter(
        status__in=OPEN_STATUSES,
        deadline_kind=DeadlineKind.AFTER_LIFTING,
        deadline__isnull=True,
        territory_id__in=covered_territory_ids(disruption),
    ).order_by("pk")
    updated = list(waiting)
    for assignment in updated:
        assignment.deadline = lifted_on + datetime.timedelta(
            days=assignment.days_after_lifting or 0
        )
        assignment._history_user = user  # type: ignore[attr-defined]
        assignment.save(update_fields=["deadline"])
    return updated


# ---------------------------------------------------------------------------------------------
# The rescheduling assistant
# ---------------------------------------------------------------------------------------------


@dataclass
class Proposal:
    event: Event
    start: datetime.date
    end: datetime.date
    # Pushed later than the plain shift: a clash or another disruption was in the way.
    pushed: bool = False


def _days(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    return [start + ONE_DAY * n for n in range((end - start).days + 1)]


def _other_disruptions(disruption: Disruption) -> list[Disruption]:
    return list(Disruption.objects.exclude(pk=disruption.pk).prefetch_related("territories"))


def _blocked_by(
    others: list[Disruption], territory: Territory, days: list[datetime.date]
) -> Disruption | None:
    """The first other disruption covering the territory on one of these days."""
    for other in others:
        if not any(territory.path.startswith(t.path) for t in other.territories.all()):
            continue
        if any(other.covers(day) for day in days):
            return other
    return None


def propose_new_dates(disruption: Disruption) -> list[Proposal]:
    """New dates for the events this disruption postponed (and that wait for a date): from the
    lifting on, in their original order and with their original gaps between start dates;
    pushed later, a day at a time, past a day on which another event of the same territory
    already takes place (or is proposed) and past days another disruption of that territory
    covers. Nothing is saved: each organizer confirms or changes the proposal."""
    if disruption.lifted_on is None:
        raise ValidationError(_("New dates are proposed once the disruption is lifted."))
    events = list(
        disruption.events.filter(status=EventStatus.POSTPONED)
        .select_related("territory", "organizer")
        .order_by("start", "pk")
    )
    if not events:
        return []
    lifted_on = disruption.lifted_on
    taken: set[tuple[int, datetime.date]] = set()
    for territory_id, start, end in Event.objects.filter(
        territory_id__in={event.territory_id for event in events},
        status=EventStatus.PLANNED,
        end__gte=lifted_on,
    ).values_list("territory_id", "start", "end"):
        taken.update((territory_id, day) for day in _days(start, end))
    others = _other_disruptions(disruption)
    first = events[0].start
    proposals: list[Proposal] = []
    previous = lifted_on
    for event in events:
        length = event.end - event.start
        shifted = lifted_on + (event.start - first)
        start = max(shifted, previous)
        # A year of pushing is far beyond any real clash; it stops an open-ended disruption
        # from running the loop for ever (the organizer then picks a date by hand).
        for _attempt in range(366):
            days = _days(start, start + length)
            clash = any((event.territory_id, day) in taken for day in days)
            if not clash and _blocked_by(others, event.territory, days) is None:
                break
            start += ONE_DAY
        end = start + length
        taken.update((event.territory_id, day) for day in _days(start, end))
        proposals.append(Proposal(event=event, start=start, end=end, pushed=start != shifted))
        previous = start
    return proposals


@transaction.atomic
def reschedule(event: Event, *, user: Any, start: datetime.date, end: datetime.date) -> Event:
    """The organizer (or the territory's coordinator, or the project office) sets the new dates
    of an event postponed by a disruption. Refused before the lifting and inside another
    disruption covering the event's territory. The event is planned again and keeps its
    disruption, so its postponement stays recorded as justified."""
    if not can(user, Action.CHANGE, event):
        raise PermissionDenied
    disruption = event.disruption
    if event.status != EventStatus.POSTPONED or disruption is None:
        raise ValidationError(_("Only an event postponed by a disruption is rescheduled here."))
    if end < start:
        raise ValidationError({"end": _("The event ends before it starts.")})
    if disruption.lifted_on is None:
        raise ValidationError(_("The disruption has not been lifted yet."))
    if start < disruption.lifted_on:
        raise ValidationError(
            {
                "start": _("The new dates fall before the lifting (%(date)s).")
                % {"date": disruption.lifted_on.isoformat()}
            }
        )
    other = _blocked_by(_other_disruptions(disruption), event.territory, _days(start, end))
    if other is not None:
        raise ValidationError(
            {
                "start": _("The new dates fall inside another disruption: %(title)s.")
                % {"title": other.title}
            }
        )
    event.start = start
    event.end = end
    event.status = EventStatus.PLANNED
    event.after_lifting = False
    event._history_user = user  # type: ignore[attr-defined]
    event.full_clean()
    event.save(update_fields=["start", "end", "status", "after_lifting"])
    return event
