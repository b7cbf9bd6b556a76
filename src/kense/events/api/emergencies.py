"""States of emergency in the API: the same scopes, selectors and services as the pages.

API v1 calls them disruptions, the model's former name: its paths (/disruptions…), path
parameters (disruption_id), operation ids and fields keep that word, since the API may only
grow; everything on the Python side says emergency."""

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from kense.accounts.auth import current_user
from kense.accounts.models import User
from kense.core.api import READ_ERRORS, WRITE_ERRORS, Ref, Text, referenced_many
from kense.core.filters import FilterValues, filtered
from kense.core.pagination import Pagination
from kense.core.permissions import Action, get_visible
from kense.events.filters import EmergencyFilters
from kense.events.models import Emergency, Event, EventFormat, EventStatus
from kense.events.selectors import emergencies as emergency_selectors
from kense.events.services import emergencies as emergency_services
from kense.registry.models import Territory

router = Router(tags=["disruptions"])  # the v1 tag, described in kense.api


class EmergencyOut(Schema):
    """A state of emergency (a disruption, in API v1)."""

    id: int
    kind: Emergency.Kind
    title: Text
    title_kk: Text
    title_ru: Text
    title_en: Text
    territories: list[Ref]
    start: datetime.date
    end: datetime.date | None
    act_number: str
    act_date: datetime.date | None
    restricts: Emergency.Restricts
    lifted_on: datetime.date | None


class EmergencyIn(Schema):
    """A state of emergency to declare."""

    kind: Emergency.Kind
    title_kk: Text
    title_ru: Text
    title_en: Text = ""
    territories: list[int] = Field(description="Ids of the territories, each with its subtree.")
    start: datetime.date
    end: datetime.date | None = None
    act_number: str = ""
    act_date: datetime.date | None = None
    restricts: Emergency.Restricts = Emergency.Restricts.IN_PERSON


class EventRow(Schema):
    id: int
    title: Text
    territory: Ref
    organizer: Ref
    format: EventFormat
    start: datetime.date
    end: datetime.date
    status: EventStatus


class PreviewOut(Schema):
    event: EventRow
    restricted: bool = Field(
        description="The state of emergency stops it (online events may go on)."
    )
    selected: bool


class EventsPostponeIn(Schema):
    reason: str
    event_ids: list[int] | None = Field(
        None,
        description="The events to postpone; by default every event the state of emergency stops.",
    )
    keep_online: bool = True


class LiftIn(Schema):
    lifted_on: datetime.date


class LiftOut(Schema):
    disruption: EmergencyOut  # the v1 name of the state of emergency
    assignments: list[int] = Field(description="Ids of the assignments that got a deadline.")


class ProposalOut(Schema):
    event: EventRow
    start: datetime.date
    end: datetime.date
    pushed: bool


class RescheduleIn(Schema):
    start: datetime.date
    end: datetime.date


def _emergencies(user: User) -> QuerySet[Emergency]:
    return emergency_selectors.emergency_list(user).prefetch_related("territories")


def _emergency(user: User, pk: int) -> Emergency:
    found = _emergencies(user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


# Paths, path parameters and function names (the operation ids) keep the v1 word "disruption".


@router.get("/disruptions", response=list[EmergencyOut])
@paginate(Pagination)
@filtered(EmergencyFilters)
def list_disruptions(request: HttpRequest, filters: FilterValues) -> QuerySet[Emergency]:
    """The states of emergency the user may see, the latest first."""
    emergencies = emergency_selectors.emergency_list(current_user(request), filters)
    return emergencies.prefetch_related("territories").order_by("-start", "pk")


@router.get("/disruptions/{disruption_id}", response={200: EmergencyOut, **READ_ERRORS})
def get_disruption(request: HttpRequest, disruption_id: int) -> Emergency:
    """One state of emergency."""
    return _emergency(current_user(request), disruption_id)


@router.post("/disruptions", response={201: EmergencyOut, **WRITE_ERRORS})
def declare_disruption(request: HttpRequest, payload: EmergencyIn) -> Status[Emergency]:
    """Declare a state of emergency over territories (the project office, inside its own)."""
    user = current_user(request)
    if not emergency_services.may_declare(user):
        raise PermissionDenied
    data = payload.dict()
    visible = Territory.objects.restrict(user, Action.VIEW)
    territories = referenced_many(visible, data, "territories") or []
    emergency = Emergency(**data)
    emergency_services.emergency_declare(emergency, user=user, territories=territories)
    return Status(201, _emergency(user, emergency.pk))


@router.get(
    "/disruptions/{disruption_id}/affected",
    response={200: list[PreviewOut], **WRITE_ERRORS},
)
def affected_events(
    request: HttpRequest, disruption_id: int
) -> list[emergency_selectors.PreviewRow]:
    """The preview of a bulk postponement: planned events in the period and territories."""
    user = current_user(request)
    emergency = _emergency(user, disruption_id)
    if not emergency_services.may_manage(user, emergency):
        raise PermissionDenied
    return emergency_selectors.postpone_preview(emergency)


@router.post(
    "/disruptions/{disruption_id}/postpone",
    response={200: list[EventRow], **WRITE_ERRORS},
)
def postpone_events(
    request: HttpRequest, disruption_id: int, payload: EventsPostponeIn
) -> list[Event]:
    user = current_user(request)
    emergency = _emergency(user, disruption_id)
    return emergency_services.postpone_in_bulk(
        emergency,
        user=user,
        reason=payload.reason,
        event_ids=payload.event_ids,
        keep_online=payload.keep_online,
    )


@router.post(
    "/disruptions/{disruption_id}/lift",
    response={200: LiftOut, **WRITE_ERRORS},
)
def lift_disruption(request: HttpRequest, disruption_id: int, payload: LiftIn) -> dict[str, Any]:
    user = current_user(request)
    emergency = _emergency(user, disruption_id)
    updated = emergency_services.emergency_lift(emergency, user=user, lifted_on=payload.lifted_on)
    return {
        "disruption": _emergency(user, emergency.pk),  # the v1 field name
        "assignments": [assignment.pk for assignment in updated],
    }


@router.get(
    "/disruptions/{disruption_id}/proposals",
    response={200: list[ProposalOut], **WRITE_ERRORS},
)
def proposals(request: HttpRequest, disruption_id: int) -> list[emergency_selectors.Proposal]:
    """New dates proposed for the postponed events the user may see (after the lifting)."""
    user = current_user(request)
    emergency = _emergency(user, disruption_id)
    found = emergency_selectors.propose_new_dates(emergency)
    visible = set(
        Event.objects.restrict(user)
        .filter(pk__in=[proposal.event.pk for proposal in found])
        .values_list("pk", flat=True)
    )
    return [proposal for proposal in found if proposal.event.pk in visible]


@router.post(
    "/disruptions/{disruption_id}/events/{event_id}/reschedule",
    response={200: EventRow, **WRITE_ERRORS},
)
def reschedule_event(
    request: HttpRequest, disruption_id: int, event_id: int, payload: RescheduleIn
) -> Event:
    user = current_user(request)
    emergency = _emergency(user, disruption_id)
    event = get_visible(
        Event.objects.filter(emergency=emergency).select_related(
            "emergency", "territory", "organizer"
        ),
        user,
        pk=event_id,
    )
    return emergency_services.reschedule(event, user=user, start=payload.start, end=payload.end)
