"""The caller's notifications in the API: the list (newest first), marking one or all read,
the unread count (the bell's), the caller's choice per kind (the settings page's), and what
was sent to the caller by e-mail and Telegram (their own part of the log of sends). Everything
here is the caller's own, but for the log of sends to everyone, which the administrator and the
project office read as on its page."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Body, Field, Router, Schema
from ninja.pagination import paginate

from kense.accounts.auth import current_user
from kense.core.api import LARGEST_ID, SMALLEST_ID, WRITE_ERRORS, Message
from kense.core.filters import FilterValues, filtered
from kense.core.pagination import Pagination
from kense.notifications import selectors, services
from kense.notifications.filters import SendFilters
from kense.notifications.kinds import title_of
from kense.notifications.models import (
    Channel,
    Notification,
    NotificationKind,
    Reason,
    Send,
    SendStatus,
    Timing,
)
from kense.notifications.views import target_link

router = Router(tags=["notifications"])


class NotificationOut(Schema):
    id: int
    kind: NotificationKind
    title: str = Field(description="The notification's sentence in the request's language.")
    note: str = Field(description="A comment or answer it quotes; empty if none.")
    target_type: str | None = Field(
        description="What it is about, as `<app>.<model>` (e.g. `assignments.assignment`)."
    )
    target_id: int | None
    url: str = Field(description="The page of what it is about; empty when it is gone.")
    created_at: datetime.datetime
    read_at: datetime.datetime | None

    @staticmethod
    def resolve_title(obj: Notification) -> str:
        return title_of(obj)

    @staticmethod
    def resolve_note(obj: Notification) -> str:
        return str(obj.context.get("note", ""))

    @staticmethod
    def resolve_target_type(obj: Notification) -> str | None:
        kind = obj.target_type
        return f"{kind.app_label}.{kind.model}" if kind is not None else None

    @staticmethod
    def resolve_url(obj: Notification) -> str:
        return target_link(obj)


class UnreadOut(Schema):
    unread: int


class ReadOut(Schema):
    marked: int = Field(description="How many notifications were unread and are now read.")


@router.get("/notifications", response=list[NotificationOut])
@paginate(Pagination)
def list_notifications(request: HttpRequest, unread: bool = False) -> QuerySet[Notification]:
    """The caller's notifications, newest first (`unread=true`: only those not read)."""
    return selectors.notifications_of(current_user(request), unread=unread)


@router.get("/notifications/unread", response={200: UnreadOut, 401: Message})
def unread_notifications(request: HttpRequest) -> UnreadOut:
    """How many of the caller's notifications are unread (the bell's number)."""
    return UnreadOut(unread=selectors.unread_count(current_user(request)))


@router.post("/notifications/read", response={200: ReadOut, 401: Message})
def read_all_notifications(request: HttpRequest) -> ReadOut:
    """Mark all of the caller's notifications read."""
    return ReadOut(marked=services.mark_read(current_user(request)))


@router.post("/notifications/{notification_id}/read", response={200: ReadOut, **WRITE_ERRORS})
def read_notification(request: HttpRequest, notification_id: int) -> ReadOut:
    """Mark one of the caller's notifications read (404 for another's)."""
    user = current_user(request)
    if (
        not (SMALLEST_ID <= notification_id <= LARGEST_ID)
        or not Notification.objects.filter(recipient=user, pk=notification_id).exists()
    ):
        raise Http404
    return ReadOut(marked=services.mark_read(user, [notification_id]))


# --- the caller's choice per kind (the settings page) -----------------------------------------

TIMING_DESCRIPTION = (
    "immediately: under the bell, and at once by e-mail and Telegram; digest: under the bell "
    "at once, by e-mail in the daily digest letter; off: not at all."
)
GIVEN_TWICE = _("This kind is given more than once.")


class PreferenceOut(Schema):
    kind: NotificationKind
    label: str = Field(description="The kind in the request's language.")
    timing: Timing = Field(description=TIMING_DESCRIPTION)
    timing_label: str = Field(description="The choice in the request's language.")


class PreferenceIn(Schema):
    kind: NotificationKind
    timing: Timing = Field(description=TIMING_DESCRIPTION)


def _preferences(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {
            "kind": kind,
            "label": str(NotificationKind(kind).label),
            "timing": timing,
            "timing_label": str(Timing(timing).label),
        }
        for kind, timing in selectors.preferences_of(current_user(request)).items()
    ]


@router.get("/notifications/preferences", response={200: list[PreferenceOut], 401: Message})
def list_notification_preferences(request: HttpRequest) -> list[dict[str, Any]]:
    """The caller's choice for every kind of notification, in the settings page's order (a
    kind never chosen is `immediately`)."""
    return _preferences(request)


@router.patch("/notifications/preferences", response={200: list[PreferenceOut], **WRITE_ERRORS})
def update_notification_preferences(
    request: HttpRequest, payload: Body[list[PreferenceIn]]
) -> list[dict[str, Any]]:
    """Change the caller's choice for the kinds sent (the others keep theirs), as the settings
    page saves it; answers every kind's choice. An unknown kind or choice, or a kind sent
    twice, is refused (422, under `<index>.kind` or `<index>.timing`) and nothing is saved."""
    seen: set[str] = set()
    for index, item in enumerate(payload):
        if item.kind in seen:
            raise ValidationError({f"{index}.kind": GIVEN_TWICE})
        seen.add(item.kind)
    services.preferences_save(
        current_user(request), {str(item.kind): str(item.timing) for item in payload}
    )
    return _preferences(request)


# --- what was sent to the caller (their part of the log of sends) -----------------------------


class SendOut(Schema):
    id: int
    notification: int = Field(description="The notification sent (`GET /notifications`).")
    kind: NotificationKind
    title: str = Field(description="The notification's sentence in the request's language.")
    channel: Channel
    status: SendStatus = Field(
        description="What came of it: queued (not gone yet), sent (the mail server or Telegram "
        "took it), skipped (not sent, see `reason`), failed (given up after every attempt)."
    )
    status_label: str = Field(description="The status in the request's language.")
    reason: Reason | None = Field(description="Why it was not sent or failed; null otherwise.")
    reason_label: str = Field(description="The reason in the request's language; empty if none.")
    attempts: int = Field(description="How many times its delivery was tried.")
    created_at: datetime.datetime
    sent_at: datetime.datetime | None

    @staticmethod
    def resolve_notification(obj: Send) -> int:
        return obj.notification_id

    @staticmethod
    def resolve_kind(obj: Send) -> str:
        return obj.notification.kind

    @staticmethod
    def resolve_title(obj: Send) -> str:
        return title_of(obj.notification)

    @staticmethod
    def resolve_status(obj: Send) -> str:
        return selectors.outcome_of(obj).status

    @staticmethod
    def resolve_status_label(obj: Send) -> str:
        return str(SendStatus(selectors.outcome_of(obj).status).label)

    @staticmethod
    def resolve_reason(obj: Send) -> str | None:
        return selectors.outcome_of(obj).reason or None

    @staticmethod
    def resolve_reason_label(obj: Send) -> str:
        reason = selectors.outcome_of(obj).reason
        return str(Reason(reason).label) if reason else ""

    @staticmethod
    def resolve_attempts(obj: Send) -> int:
        return selectors.outcome_of(obj).attempts

    @staticmethod
    def resolve_sent_at(obj: Send) -> datetime.datetime | None:
        return selectors.outcome_of(obj).sent_at


@router.get("/notifications/sends", response=list[SendOut])
@paginate(Pagination)
@filtered(SendFilters)
def list_notification_sends(request: HttpRequest, filters: FilterValues) -> QuerySet[Send]:
    """What was sent to the caller by e-mail and Telegram, and what was not and why, newest
    first (the caller's own rows of the office's log of sends, with its filters). A kind
    chosen `digest` goes in the daily letter, not here; `off`, nowhere."""
    return selectors.sends_to(current_user(request), filters)


class LoggedSendOut(SendOut):
    recipient: int = Field(description="The account notified (`GET /users/{user_id}`).")
    recipient_name: str = Field(description="The account's person, name or username.")

    @staticmethod
    def resolve_recipient(obj: Send) -> int:
        return obj.notification.recipient_id

    @staticmethod
    def resolve_recipient_name(obj: Send) -> str:
        return str(obj.notification.recipient)


@router.get("/notifications/log", response=list[LoggedSendOut])
@paginate(Pagination)
@filtered(SendFilters)
def list_notification_log(request: HttpRequest, filters: FilterValues) -> QuerySet[Send]:
    """The log of sends of the notification log page: every send by e-mail and Telegram to the
    accounts the caller manages (administrator: all; project office: those placed in its
    territory's subtree), who was not notified and why, newest first, with the page's filters.
    403 for any other role."""
    return selectors.send_log(current_user(request), filters)
