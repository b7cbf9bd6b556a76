"""The caller's notifications in the API: the list (newest first), marking one or all read,
and the unread count (the bell's)."""

from __future__ import annotations

import datetime

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from kense.accounts.auth import current_user
from kense.core.api import LARGEST_ID, SMALLEST_ID, WRITE_ERRORS, Message
from kense.core.pagination import Pagination
from kense.notifications import selectors, services
from kense.notifications.kinds import title_of
from kense.notifications.models import Notification, NotificationKind
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
