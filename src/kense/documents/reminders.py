"""Reminders to acknowledge a document: to the users of each recipient organization that has
not acknowledged it, logged in `DocumentReminder`.

Each is sent exactly once by the engine in `kense.core.reminders` (which explains how); a
letter's unique key is (kind, recipient, user, key). Keys start with the deadline: a letter
N days before it is keyed «deadline:N», the overdue letter «deadline», so each goes once
however often the day's control runs.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from typing import Any

from django.db.models import Q

from kense.accounts.models import User
from kense.core.permissions import ORGANIZATION_ROLES
from kense.core.reminders import (
    already_sent,
    days_before,
    deadline_letter,
    language_of,
    page_url,
    send_once,
)
from kense.documents.models import DocumentReminder, Recipient

TEMPLATES = "documents/email/"


def acknowledge_url(pk: int, language: str) -> str:
    """The absolute address of a recipient's acknowledgment page under the language's prefix."""
    return page_url("documents:acknowledge", [pk], language)


def _send_once(
    *, kind: str, recipient: Recipient, user: User, key: str, context: dict[str, Any]
) -> bool:
    """Log the letter in `DocumentReminder` and queue it; False when it was already sent."""
    return send_once(
        DocumentReminder,
        key={"kind": kind, "recipient": recipient, "user": user, "key": key},
        to=user,
        template=f"{TEMPLATES}reminder_{kind}",
        context={**context, "user": user},
    )


def send_reminders(today: datetime.date) -> int:
    """Remind the users of each recipient organization that has not acknowledged: N days
    before the deadline (N in KENSE_REMINDER_DAYS_BEFORE), on the day, and once when it is
    overdue, each in their own language. May run any number of times a day. Returns how many
    letters were queued now."""
    watched = [today + datetime.timedelta(days=days) for days in (*days_before(), 0)]
    recipients = list(
        Recipient.objects.filter(
            Q(distribution__deadline__lt=today) | Q(distribution__deadline__in=watched),
            acknowledged_at__isnull=True,
            distribution__deadline__isnull=False,
        )
        .select_related("distribution__document", "organization")
        .order_by("distribution__deadline", "pk")
    )
    if not recipients:
        return 0
    users_of: dict[int | None, list[User]] = defaultdict(list)
    for user in (
        User.objects.filter(
            is_active=True,
            role__in=ORGANIZATION_ROLES,
            organization_id__in={recipient.organization_id for recipient in recipients},
        )
        .exclude(email="")
        .order_by("pk")
    ):
        users_of[user.organization_id].append(user)
    sent = already_sent(
        DocumentReminder.objects.filter(recipient__in=recipients),
        ("kind", "recipient_id", "user_id", "key"),
    )
    queued = 0
    for recipient in recipients:
        letter = deadline_letter(recipient.distribution.deadline, today, on_the_day="before")
        if letter is None:
            continue
        kind, key, days = letter
        for user in users_of.get(recipient.organization_id, []):
            if (kind, recipient.pk, user.pk, key) in sent:
                continue
            queued += _send_once(
                kind=kind,
                recipient=recipient,
                user=user,
                key=key,
                context={
                    "document": recipient.distribution.document,
                    "distribution": recipient.distribution,
                    "organization": recipient.organization,
                    "days": days,
                    "url": acknowledge_url(recipient.pk, language_of(user)),
                },
            )
    return queued
