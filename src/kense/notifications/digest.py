"""The daily digest: one letter a day to each person with the notifications they chose to
get in it, sent once (kense.core.reminders.send_once, logged in `Digest`). A daily step
(kense.core.daily, registered in the app's ready())."""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db import transaction
from django.urls import reverse
from django.utils import translation

from kense.accounts.models import User
from kense.core.reminders import base_url, language_of, send_once
from kense.notifications.kinds import title_of
from kense.notifications.models import Digest, Notification, Timing

TEMPLATE = "notifications/email/digest"


def send_digests(today: datetime.date) -> int:
    """Send each person the digest of their notifications not yet in one; returns how many
    letters were queued. Runs any number of times a day: a person gets one letter a day."""
    pending = (
        Notification.objects.filter(timing=Timing.DIGEST, digest__isnull=True)
        .select_related("recipient")
        .order_by("recipient_id", "created_at", "pk")
    )
    by_user: dict[int, list[Notification]] = defaultdict(list)
    users: dict[int, User] = {}
    for notification in pending:
        by_user[notification.recipient_id].append(notification)
        users[notification.recipient_id] = notification.recipient
    queued = 0
    for user_id, notifications in by_user.items():
        user = users[user_id]
        if not user.is_active or not user.email:
            continue
        language = language_of(user)
        with translation.override(language):
            items = [(title_of(n), n.context.get("note", "")) for n in notifications]
            url = base_url() + reverse("notifications:notification_list")
        with transaction.atomic():
            if send_once(
                Digest,
                key={"recipient": user, "day": today},
                to=user,
                template=TEMPLATE,
                context={"recipient": user, "items": items, "url": url, "day": today},
            ):
                digest = Digest.objects.get(recipient=user, day=today)
                Notification.objects.filter(pk__in=[n.pk for n in notifications]).update(
                    digest=digest
                )
                queued += 1
    return queued
