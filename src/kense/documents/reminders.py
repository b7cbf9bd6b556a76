"""Reminders to acknowledge a document, each sent exactly once and kept in a log.

The same approach as `kense.assignments.reminders`: every letter is a `DocumentReminder` row
whose unique key (kind, recipient, user, key) names it, inserted first in the transaction that
queues the letter (delivery is enqueued on commit). A second run fails that insert and skips
the letter; a rolled-back letter leaves no row, so the next run tries again.

Keys start with the deadline: a letter N days before it is keyed «deadline:N», the overdue
letter «deadline», so each goes once however often the day's control runs.
"""

from __future__ import annotations

import datetime
import logging
from collections import defaultdict
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from kense.accounts.models import User
from kense.assignments.reminders import base_url, days_before, language_of
from kense.core.mail import send_templated_email
from kense.core.permissions import ORGANIZATION_ROLES
from kense.documents.models import DocumentReminder, Recipient, ReminderKind

logger = logging.getLogger(__name__)

TEMPLATES = "documents/email/"


def acknowledge_url(pk: int, language: str) -> str:
    with translation.override(language):
        try:
            path = reverse("documents:acknowledge", args=[pk])
        except NoReverseMatch:  # pragma: no cover - the page is always routed
            path = f"/{language}/documents/inbox/{pk}/"
    return base_url() + path


def _letter_for(recipient: Recipient, today: datetime.date) -> tuple[str, str, int] | None:
    deadline = recipient.distribution.deadline
    if deadline is None:
        return None
    days = (deadline - today).days
    if days < 0:
        return ReminderKind.OVERDUE, deadline.isoformat(), -days
    if days in days_before() or days == 0:
        return ReminderKind.BEFORE, f"{deadline.isoformat()}:{days}", days
    return None


def _send_once(*, kind: str, recipient: Recipient, user: User, key: str, context: Any) -> bool:
    try:
        with transaction.atomic():
            try:
                with transaction.atomic():  # a savepoint: the IntegrityError is recoverable
                    DocumentReminder.objects.create(
                        kind=kind, recipient=recipient, user=user, key=key, email=user.email
                    )
            except IntegrityError:
                return False
            send_templated_email(
                to=[user.email],
                template=f"{TEMPLATES}reminder_{kind}",
                context={**context, "user": user},
                language=language_of(user),
            )
    except Exception:
        logger.exception("The document reminder %s to %s was not sent.", key, user.email)
        return False
    return True


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
    users_of: dict[int, list[User]] = defaultdict(list)
    for user in (
        User.objects.filter(
            is_active=True,
            role__in=ORGANIZATION_ROLES,
            organization_id__in={recipient.organization_id for recipient in recipients},
        )
        .exclude(email="")
        .order_by("pk")
    ):
        users_of[user.organization_id].append(user)  # type: ignore[index]
    sent = set(
        DocumentReminder.objects.filter(recipient__in=recipients).values_list(
            "kind", "recipient_id", "user_id", "key"
        )
    )
    queued = 0
    for recipient in recipients:
        letter = _letter_for(recipient, today)
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
