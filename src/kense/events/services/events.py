"""Writes to events: saving, and the three ways a planned event ends (held, postponed,
cancelled). Each runs in one transaction through `save_in_scope`, so it is validated, audited
(django-simple-history) and refused with 403 when the result lies outside the user's scope."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kense.accounts.models import User
from kense.core.attachments import MAX_PHOTOS_AT_ONCE, PHOTOS, attach, check_photos, photos_add
from kense.core.files import atomic_with_files
from kense.core.models import Attachment
from kense.core.services import save_in_scope
from kense.events.models import Emergency, Event, EventStatus
from kense.events.selectors.emergencies import clashing_emergency, emergencies_for
from kense.registry.models import Organization

NUMBER_FIELDS = ("planned_reach", "participants", "online_views")
# Statuses an event may leave: a held or cancelled event is final (edit it to correct it).
OPEN_STATUSES = (EventStatus.PLANNED, EventStatus.POSTPONED)


def participants_warning() -> int:
    """Above this many people a number is most likely a typo (an extra zero) and is saved
    only when confirmed."""
    return int(getattr(settings, "KENSE_PARTICIPANTS_WARNING", 100000))


def number_warnings(values: dict[str, Any], *, confirmed: bool) -> dict[str, ValidationError]:
    """An error for each number of people above the warning limit, unless confirmed."""
    limit = participants_warning()
    return {
        name: ValidationError(
            _(
                "%(value)s is more than %(limit)s people: check the number, and if it is "
                "right, tick “I confirm this number”."
            ),
            code="confirm",
            params={"value": value, "limit": limit},
        )
        for name, value in values.items()
        if value is not None and value > limit and not confirmed
    }


def check_numbers(event: Event, *, confirmed: bool) -> None:
    """Refuse an absurd number of people unless the user confirmed it."""
    errors = number_warnings(
        {name: getattr(event, name) for name in NUMBER_FIELDS}, confirmed=confirmed
    )
    if errors:
        raise ValidationError(errors)


def _check_project(event: Event) -> None:
    project = event.project if event.project_id else None
    if project is not None and event.program_id and project.program_id != event.program_id:
        raise ValidationError({"project": _("The project belongs to another program.")})


def event_save(
    event: Event,
    *,
    user: User,
    co_organizers: Iterable[Organization] | None = None,
    confirmed: bool = False,
) -> Event:
    """Create or update an event; it must end up inside the user's scope. A number of people
    above KENSE_PARTICIPANTS_WARNING needs `confirmed`."""
    check_numbers(event, confirmed=confirmed)
    _check_project(event)
    m2m = {"co_organizers": co_organizers} if co_organizers is not None else None
    return save_in_scope(event, user=user, m2m=m2m)


def _require_open(event: Event) -> None:
    if event.status not in OPEN_STATUSES:
        raise ValidationError(
            _("This event is already %(status)s.") % {"status": event.get_status_display()}
        )


@atomic_with_files()
def event_hold(
    event: Event,
    *,
    user: User,
    outcome: str,
    participants: int | None = None,
    online_views: int | None = None,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    confirmed: bool = False,
    photos: Iterable[Any] = (),
) -> Event:
    """Mark a planned (or postponed) event as held, with its outcome, the people it reached
    and its photos; `start`/`end` record the dates it was actually held on (by default the
    planned ones). An event cannot be held in the future."""
    _require_open(event)
    photos = check_photos(photos)
    errors: dict[str, Any] = {}
    if not outcome.strip():
        errors["outcome"] = _("Describe the outcome.")
    start = start or event.start
    end = end or (start + (event.end - event.start) if start and event.end else start)
    if start and start > timezone.localdate():
        errors["start"] = _("An event cannot be held in the future.")
    if errors:
        raise ValidationError(errors)
    event.status = EventStatus.HELD
    event.outcome = outcome.strip()
    event.participants = participants
    event.online_views = online_views
    event.start, event.end = start, end
    event.after_lifting = False
    saved = event_save(event, user=user, confirmed=confirmed)
    if photos:
        attach(event, photos, user=user, field=PHOTOS, max_files=MAX_PHOTOS_AT_ONCE)
    return saved


@atomic_with_files()
def event_photos_add(event: Event, *, user: User, photos: Iterable[Any]) -> list[Attachment]:
    """Add photos to an event the user may change (kense.core.attachments.photos_add)."""
    return photos_add(event, user=user, photos=photos)


@transaction.atomic
def event_postpone(
    event: Event,
    *,
    user: User,
    reason: str,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    after_lifting: bool = False,
    emergency: Emergency | None = None,
) -> Event:
    """Postpone a planned event, with a reason, either to new dates (`start`, and `end`, by
    default keeping the event's length) or "until the restrictions are lifted". Naming the
    `emergency` makes it a justified postponement; new dates inside an emergency that forbids
    the event are refused."""
    _require_open(event)
    errors: dict[str, Any] = {}
    if not reason.strip():
        errors["reason"] = _("Give the reason.")
    if after_lifting and start:
        errors["start"] = _("Give either a new date or “after the restrictions are lifted”.")
    elif not after_lifting and not start:
        errors["start"] = _("Give a new date, or tick “after the restrictions are lifted”.")
    if emergency is not None and not emergencies_for(event).filter(pk=emergency.pk).exists():
        errors["emergency"] = _("This disruption does not cover the event's territory.")
    if errors:
        raise ValidationError(errors)
    if start:
        end = end or start + (event.end - event.start)
        event.start, event.end = start, end
        clash = clashing_emergency(event)
        if clash is not None:
            raise ValidationError(
                {"start": _("These dates fall within “%(title)s”.") % {"title": clash.title}}
            )
    event.status = EventStatus.POSTPONED
    event.reason = reason.strip()
    event.after_lifting = after_lifting
    event.emergency = emergency
    event._change_reason = event.reason[:100]  # type: ignore[attr-defined]  # read by simple_history
    return event_save(event, user=user, confirmed=True)


@transaction.atomic
def event_cancel(event: Event, *, user: User, reason: str) -> Event:
    """Cancel a planned or postponed event; the reason is required."""
    _require_open(event)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason.")})
    event.status = EventStatus.CANCELLED
    event.reason = reason.strip()
    event.after_lifting = False
    event._change_reason = event.reason[:100]  # type: ignore[attr-defined]  # read by simple_history
    return event_save(event, user=user, confirmed=True)
