"""Events: the list with the same filters as the page, one event, and its writes (create,
update, held, postponed, cancelled), all through `kense.events.services.events` with the page's
scopes: 404 outside the view scope, 403 for a forbidden write, 422 for bad input.
"""

import datetime
from decimal import Decimal
from typing import Any, Literal, Self

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import model_validator

from kense.accounts.auth import current_user
from kense.accounts.models import User
from kense.core.api import (
    READ_ERRORS,
    WRITE_ERRORS,
    LocatedIn,
    LocatedOut,
    Ref,
    Text,
    assign,
    referenced,
    referenced_many,
    write,
)
from kense.core.filters import FilterValues, filtered
from kense.core.pagination import Pagination
from kense.core.patch import Patch
from kense.core.permissions import Action, get_changeable, get_visible, require_add
from kense.events import feeds
from kense.events.filters import EventFilters
from kense.events.models import Audience, Emergency, Event, EventFormat, EventStatus
from kense.events.selectors import events as event_selectors
from kense.events.selectors.emergencies import emergencies_for
from kense.events.services import events as event_services
from kense.programs.models import Program, Project
from kense.registry.models import Organization, Territory

router = Router(tags=["events"])

CONFIRM = "Confirms a number of people above the warning limit (KENSE_PARTICIPANTS_WARNING)."


class EventOut(LocatedOut):
    id: int
    title: Text
    title_kk: Text
    title_ru: Text
    title_en: Text
    program: Ref
    project: Ref | None
    organizer: Ref
    co_organizers: list[Ref]
    territory: Ref
    format: EventFormat
    venue: str
    link: str
    start: datetime.date
    end: datetime.date
    starts_at: datetime.datetime = Field(
        description="The start as a date-time, the form meetings take: the first day at 00:00 "
        "in the region's time zone (an event's dates are whole days)."
    )
    audience: list[Audience]
    planned_reach: int | None
    participants: int | None
    online_views: int | None
    budget: Decimal | None
    sponsor_money: Decimal | None
    status: EventStatus
    outcome: str
    reason: str
    after_lifting: bool
    # "disruption": the v1 name of Event.emergency, kept on the wire.
    disruption: int | None = Field(
        None, description="The state of emergency it was postponed for (a disruption, in v1)."
    )
    justified: bool
    beyond_plan: bool

    @staticmethod
    def resolve_disruption(event: Event) -> int | None:
        return event.emergency_id

    @staticmethod
    def resolve_starts_at(event: Event) -> datetime.datetime:
        midnight = datetime.datetime.combine(event.start, datetime.time())
        return timezone.make_aware(midnight, timezone.get_default_timezone())


class EventIn(LocatedIn):
    title_kk: Text
    title_ru: Text
    title_en: Text = ""
    program: int
    project: int | None = None
    organizer: int
    co_organizers: list[int] = Field(
        default_factory=list, description="Ids of the co-organizing organizations."
    )
    territory: int
    format: EventFormat = EventFormat.IN_PERSON
    venue: str = ""
    link: str = ""
    start: datetime.date | None = Field(None, description="The first day (or give starts_at).")
    starts_at: datetime.datetime | None = Field(
        None,
        description="Instead of start, the form meetings take: a date-time, whose day in the "
        "region's time zone is the first day (without an offset it is read in that time zone).",
    )
    end: datetime.date
    audience: list[Audience] = Field(default_factory=list)
    planned_reach: int | None = None
    participants: int | None = None
    online_views: int | None = None
    budget: Decimal | None = Field(None, description="Budget in tenge.")
    sponsor_money: Decimal | None = Field(None, description="Sponsors' money in tenge.")
    outcome: str = ""
    beyond_plan: bool = False
    confirm_numbers: bool = Field(False, description=CONFIRM)

    @model_validator(mode="after")
    def _start_from_starts_at(self) -> Self:
        # Events count whole days; a date-time given for the start names its day.
        if self.starts_at is not None:
            region = timezone.get_default_timezone()
            moment = self.starts_at
            if timezone.is_naive(moment):
                moment = timezone.make_aware(moment, region)
            day = timezone.localdate(moment, region)
            if self.start is not None and self.start != day:
                raise ValueError("start and starts_at name different days")
            self.start = day
        return self


class HoldIn(Schema):
    outcome: str
    participants: int | None = None
    online_views: int | None = None
    start: datetime.date | None = Field(None, description="Held from (by default as planned).")
    end: datetime.date | None = Field(None, description="Held to (by default as planned).")
    confirm_numbers: bool = Field(False, description=CONFIRM)


class EventPostponeIn(Schema):
    reason: str
    start: datetime.date | None = Field(None, description="The new start.")
    end: datetime.date | None = Field(None, description="The new end (by default, same length).")
    after_lifting: bool = Field(False, description="No new date: after the restrictions end.")
    # "disruption": the v1 name of the state of emergency, kept on the wire.
    disruption: int | None = Field(
        None, description="The declared state of emergency that caused it (a disruption, in v1)."
    )


class CancelIn(Schema):
    reason: str


def _events(user: User) -> QuerySet[Event]:
    return (
        Event.objects.restrict(user, Action.VIEW)
        .select_related("program", "project", "organizer", "territory")
        .prefetch_related("co_organizers")
    )


def _references(user: User) -> dict[str, QuerySet[Any]]:
    return {
        "program": Program.objects.restrict(user, Action.VIEW),
        "project": Project.objects.restrict(user, Action.VIEW),
        "organizer": Organization.objects.restrict(user, Action.VIEW),
        "territory": Territory.objects.restrict(user, Action.VIEW),
    }


def _co_organizers(user: User, data: dict[str, Any]) -> list[Organization] | None:
    """The co-organizers named in the input (None when not given: they stay as they are)."""
    return referenced_many(Organization.objects.restrict(user, Action.VIEW), data, "co_organizers")


@router.get("/events", response=list[EventOut])
@paginate(Pagination)
@filtered(EventFilters)
def list_events(request: HttpRequest, filters: FilterValues) -> QuerySet[Event]:
    events = event_selectors.event_list(current_user(request), filters)
    return events.prefetch_related("co_organizers")


@router.get("/events/{event_id}", response={200: EventOut, **READ_ERRORS})
def get_event(request: HttpRequest, event_id: int) -> Event:
    user = current_user(request)
    return get_visible(_events(user), user, pk=event_id)


def _refreshed(user: User, event: Event) -> Event:
    """The saved event as the list shows it (related objects and co-organizers loaded)."""
    return _events(user).get(pk=event.pk)


@router.post("/events", response={201: EventOut, **WRITE_ERRORS})
def create_event(request: HttpRequest, payload: EventIn) -> Status[Event]:
    user = current_user(request)
    require_add(user, Event)
    data = payload.dict()
    confirmed = data.pop("confirm_numbers")
    data.pop("starts_at")  # its day is `start` (EventIn)
    co_organizers = _co_organizers(user, data)
    event = Event()
    assign(event, data, _references(user))
    write(
        event_services.event_save,
        event,
        user=user,
        co_organizers=co_organizers,
        confirmed=confirmed,
    )
    return Status(201, _refreshed(user, event))


@router.patch("/events/{event_id}", response={200: EventOut, **WRITE_ERRORS})
def update_event(request: HttpRequest, event_id: int, payload: Patch[EventIn]) -> Event:
    user = current_user(request)
    event = get_changeable(_events(user), user, pk=event_id)
    confirmed = bool(payload.pop("confirm_numbers", False))
    payload.pop("starts_at", None)  # its day is `start` (EventIn)
    co_organizers = _co_organizers(user, payload)
    assign(event, payload, _references(user))
    write(
        event_services.event_save,
        event,
        user=user,
        co_organizers=co_organizers,
        confirmed=confirmed,
    )
    return _refreshed(user, event)


def _changeable(user: User, event_id: int) -> Event:
    return get_changeable(_events(user), user, pk=event_id)


@router.post("/events/{event_id}/hold", response={200: EventOut, **WRITE_ERRORS})
def hold_event(request: HttpRequest, event_id: int, payload: HoldIn) -> Event:
    user = current_user(request)
    event = _changeable(user, event_id)
    data = payload.dict()
    write(
        event_services.event_hold,
        event,
        user=user,
        outcome=data["outcome"],
        participants=data["participants"],
        online_views=data["online_views"],
        start=data["start"],
        end=data["end"],
        confirmed=data["confirm_numbers"],
    )
    return _refreshed(user, event)


@router.post("/events/{event_id}/postpone", response={200: EventOut, **WRITE_ERRORS})
def postpone_event(request: HttpRequest, event_id: int, payload: EventPostponeIn) -> Event:
    user = current_user(request)
    event = _changeable(user, event_id)
    emergency = referenced(
        emergencies_for(event) if payload.disruption else Emergency.objects.none(),
        payload.disruption,
        "disruption",  # the input field, for a 422 that names it
    )
    write(
        event_services.event_postpone,
        event,
        user=user,
        reason=payload.reason,
        start=payload.start,
        end=payload.end,
        after_lifting=payload.after_lifting,
        emergency=emergency,
    )
    return _refreshed(user, event)


@router.post("/events/{event_id}/cancel", response={200: EventOut, **WRITE_ERRORS})
def cancel_event(request: HttpRequest, event_id: int, payload: CancelIn) -> Event:
    user = current_user(request)
    event = _changeable(user, event_id)
    write(event_services.event_cancel, event, user=user, reason=payload.reason)
    return _refreshed(user, event)


class EventFeedOut(Schema):
    url: str = Field(description="Subscribe to it in a calendar application (iCalendar).")


@router.get("/event-feed", response={200: EventFeedOut, **READ_ERRORS})
def get_event_feed(
    request: HttpRequest,
    kind: Literal["territory", "project", "organization"],
    subject: int,
) -> dict[str, str]:
    """The address of the calendar feed of a territory's, a project's or an organization's
    events (`subject` is its id), as the events page offers it: the caller's own, opened
    without logging in with the caller's scope. Keep it secret; it stops working when the
    caller's account is closed."""
    user = current_user(request)
    if feeds.feed_subject(user, kind, subject) is None:
        raise Http404
    path = reverse(
        "events:event_ics_feed", args=[kind, subject, feeds.feed_token(user, kind, subject)]
    )
    return {"url": request.build_absolute_uri(path)}
