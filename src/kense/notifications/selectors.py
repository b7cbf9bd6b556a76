"""Reads of the notifications: a person's own (nobody reads another's), and the log of sends
for those who run the office (the administrator, the project office of its territory)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from kense.core.permissions import Role, scope_of
from kense.notifications.filters import SendFilters
from kense.notifications.models import Notification, Send

if TYPE_CHECKING:
    from kense.core.permissions import Account, Actor


def notifications_of(user: Account, *, unread: bool = False) -> QuerySet[Notification]:
    """The user's notifications, newest first, with their targets (one query per kind of
    target)."""
    rows = Notification.objects.filter(recipient=user)
    if unread:
        rows = rows.filter(read_at__isnull=True)
    return (
        rows.select_related("target_type").prefetch_related("target").order_by("-created_at", "-pk")
    )


def unread_count(user: Account) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


LOG_ROLES = {Role.ADMINISTRATOR, Role.PROJECT_OFFICE}


def may_read_log(user: Actor) -> bool:
    return scope_of(user).role in LOG_ROLES


def send_log(user: Account, filters: Mapping[str, Any]) -> QuerySet[Send]:
    """Every send of a notification to the accounts the caller manages: the administrator
    all, the project office those placed in its territory. 403 for anyone else."""
    scope = scope_of(user)
    if scope.role not in LOG_ROLES:
        raise PermissionDenied
    rows = Send.objects.all()
    if not scope.is_admin:
        path = scope.territory_path
        recipient = Q(notification__recipient__role=Role.ADMINISTRATOR)
        rows = rows.exclude(recipient)
        if path is not None:
            rows = rows.filter(
                Q(notification__recipient__territory__path__startswith=path)
                | Q(notification__recipient__organization__territory__path__startswith=path)
            )
    rows = SendFilters.narrow(rows, filters)
    return rows.select_related("notification__recipient__person", "letter").order_by(
        "-created_at", "-pk"
    )
