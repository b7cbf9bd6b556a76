"""Reads of the notifications: a person's own (nobody reads another's), their choice per kind,
the sends of their own notifications, and the log of sends for those who run the office (the
administrator, the project office of its territory)."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db.models import Case, CharField, F, Q, QuerySet, Value, When
from django.utils import timezone

from kense.core import mail
from kense.core.permissions import Role, scope_of
from kense.notifications.filters import SendFilters
from kense.notifications.models import (
    DEFAULT_TIMING,
    Notification,
    NotificationKind,
    Preference,
    Reason,
    Send,
    SendStatus,
)

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


def preferences_of(user: Account) -> dict[str, str]:
    """The user's choice for every kind, in the kinds' order (DEFAULT_TIMING where they made
    none)."""
    chosen = dict(Preference.objects.filter(user=user).values_list("kind", "timing"))
    return {kind: chosen.get(kind, DEFAULT_TIMING) for kind in NotificationKind.values}


# --- what came of a send ----------------------------------------------------------------------


def _with_outcome(rows: QuerySet[Send]) -> QuerySet[Send]:
    """The sends with `outcome` and `outcome_reason`: what came of each, which the log shows
    and its filters choose by.

    An e-mail's send stays `queued` once its letter is in the outbox (kense.core.mail, which
    knows nothing of notifications): what came of it is the letter's. A letter marked sent is
    sent; one unsent after the outbox's last claim, whose lease has passed, is given up:
    failed, after every attempt. A Telegram message's send is marked by its own delivery."""
    queued_letter = Q(status=SendStatus.QUEUED, letter__isnull=False)
    given_up = Q(
        letter__sent_at__isnull=True,
        letter__attempts__gte=mail.MAX_ATTEMPTS,
        letter__claimed_at__lt=timezone.now() - mail.letter_lease(),
    )
    return rows.annotate(
        outcome=Case(
            When(queued_letter & Q(letter__sent_at__isnull=False), then=Value(SendStatus.SENT)),
            When(queued_letter & given_up, then=Value(SendStatus.FAILED)),
            default=F("status"),
            output_field=CharField(),
        ),
        outcome_reason=Case(
            When(queued_letter & given_up, then=Value(Reason.FAILED)),
            default=F("reason"),
            output_field=CharField(),
        ),
    )


@dataclass(frozen=True)
class Outcome:
    """What came of a send, as the log says it."""

    status: str
    reason: str
    attempts: int
    sent_at: datetime.datetime | None


def outcome_of(send: Send) -> Outcome:
    """The outcome of a send read by `send_log` or `sends_to` (their annotations), its
    attempts and when it went (the letter's, for an e-mail)."""
    letter = send.letter
    return Outcome(
        status=getattr(send, "outcome", send.status),
        reason=getattr(send, "outcome_reason", send.reason),
        attempts=letter.attempts if letter is not None else send.attempts,
        sent_at=letter.sent_at if letter is not None else send.sent_at,
    )


def _logged(rows: QuerySet[Send], filters: Mapping[str, Any] | None) -> QuerySet[Send]:
    """Sends as the logs list them: with their outcome, narrowed by SendFilters (its status
    and reason are the outcome's), newest first."""
    rows = SendFilters.narrow(_with_outcome(rows), filters)
    return (
        rows.select_related("notification__recipient__person", "letter")
        # A letter's text and files (an invitation's calendar file) are not the log's.
        .defer("letter__body", "letter__attachments")
        .order_by("-created_at", "-pk")
    )


def sends_to(user: Account, filters: Mapping[str, Any] | None = None) -> QuerySet[Send]:
    """The sends of the user's own notifications: what went to them by e-mail and Telegram,
    and what did not and why, newest first, narrowed by SendFilters. Everyone reads their
    own; nobody another's (that is the office's log, `send_log`)."""
    return _logged(Send.objects.filter(notification__recipient=user), filters)


# --- the log of sends -------------------------------------------------------------------------


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
    return _logged(rows, filters)
