"""Writes of states of emergency, and who may make them: declaring one, postponing in bulk the
events it affects, lifting it, and setting an event's new dates after the lifting (the
rescheduling assistant that proposes them is in `kense.events.selectors.emergencies`).

Writes are services in one transaction; every changed event and assignment is saved with the
acting user, so each keeps its own history row.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from kense.accounts.models import User
from kense.assignments.models import OPEN_STATUSES, Assignment, DeadlineKind
from kense.core.permissions import Action, Role, can, scope_of
from kense.events.models import Emergency, Event, EventStatus
from kense.events.selectors.emergencies import (
    blocked_by,
    covered_territory_ids,
    days_between,
    other_emergencies,
    postpone_preview,
)
from kense.registry.models import Territory

DECLARING_ROLES = {Role.ADMINISTRATOR, Role.PROJECT_OFFICE}


def may_declare(user: User) -> bool:
    """Only the project office (and administrators) declare, postpone in bulk and lift."""
    return scope_of(user).role in DECLARING_ROLES


def may_manage(user: User, emergency: Emergency) -> bool:
    """May the user postpone for and lift this emergency: the project office whose territory
    holds every territory the emergency covers, or an administrator."""
    scope = scope_of(user)
    if scope.is_admin:
        return True
    if scope.role != Role.PROJECT_OFFICE:
        return False
    if scope.territory_path is None:
        return True
    return all(
        territory.path.startswith(scope.territory_path) for territory in emergency.territories.all()
    )


def _require_manage(user: User, emergency: Emergency) -> None:
    if not may_manage(user, emergency):
        raise PermissionDenied


@transaction.atomic
def emergency_declare(
    emergency: Emergency, *, user: User, territories: Iterable[Territory]
) -> Emergency:
    """Declare an emergency over territories (each with its subtree). Only the project office
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
    emergency.declared_by = user
    emergency._history_user = user  # type: ignore[attr-defined]  # read by simple_history
    emergency.full_clean(exclude=["declared_by"])
    emergency.save()
    emergency.territories.set(territories)
    return emergency


@transaction.atomic
def postpone_in_bulk(
    emergency: Emergency,
    *,
    user: User,
    reason: str,
    event_ids: Iterable[int] | None = None,
    keep_online: bool = True,
) -> list[Event]:
    """Postpone the chosen planned events (all those the emergency stops by default) with one
    reason: each becomes postponed "until the lifting", linked to the emergency (a justified
    postponement), and gets its own history row. All or nothing."""
    _require_manage(user, emergency)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason.")})
    rows = postpone_preview(emergency, event_ids)
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
        event.emergency = emergency
        event.after_lifting = True
        event._history_user = user  # type: ignore[attr-defined]  # one history row per event
        event.save(update_fields=["status", "reason", "emergency", "after_lifting"])
    return chosen


@transaction.atomic
def emergency_lift(
    emergency: Emergency, *, user: User, lifted_on: datetime.date
) -> list[Assignment]:
    """Lift the emergency on a date (the first day without restrictions). Every open
    assignment due "N days after the lifting" in a covered territory, with no deadline yet,
    gets its deadline: the lifting plus N days. Returns those assignments."""
    _require_manage(user, emergency)
    if emergency.lifted_on is not None:
        raise ValidationError({"lifted_on": _("It has already been lifted.")})
    emergency.lifted_on = lifted_on
    emergency._history_user = user  # type: ignore[attr-defined]  # read by simple_history
    emergency.full_clean(exclude=["declared_by"])
    emergency.save(update_fields=["lifted_on"])
    waiting = Assignment.objects.filter(
        status__in=OPEN_STATUSES,
        deadline_kind=DeadlineKind.AFTER_LIFTING,
        deadline__isnull=True,
        territory_id__in=covered_territory_ids(emergency),
    ).order_by("pk")
    updated = list(waiting)
    for assignment in updated:
        assignment.deadline = lifted_on + datetime.timedelta(
            days=assignment.days_after_lifting or 0
        )
        assignment._history_user = user  # read by simple_history
        assignment.save(update_fields=["deadline"])
    return updated


@transaction.atomic
def reschedule(event: Event, *, user: User, start: datetime.date, end: datetime.date) -> Event:
    """The organizer (or the territory's coordinator, or the project office) sets the new dates
    of an event postponed by an emergency. Refused before the lifting and inside another
    emergency covering the event's territory. The event is planned again and keeps its
    emergency, so its postponement stays recorded as justified."""
    if not can(user, Action.CHANGE, event):
        raise PermissionDenied
    emergency = event.emergency
    if event.status != EventStatus.POSTPONED or emergency is None:
        raise ValidationError(_("Only an event postponed by a disruption is rescheduled here."))
    if end < start:
        raise ValidationError({"end": _("The event ends before it starts.")})
    if emergency.lifted_on is None:
        raise ValidationError(_("The disruption has not been lifted yet."))
    if start < emergency.lifted_on:
        raise ValidationError(
            {
                "start": _("The new dates fall before the lifting (%(date)s).")
                % {"date": emergency.lifted_on.isoformat()}
            }
        )
    other = blocked_by(other_emergencies(emergency), event.territory, days_between(start, end))
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
    event._history_user = user  # type: ignore[attr-defined]  # read by simple_history
    event.full_clean()
    event.save(update_fields=["start", "end", "status", "after_lifting"])
    return event
