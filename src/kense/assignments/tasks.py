"""The assignments' steps of the day's control (`kense.core.daily`), registered by the app's
`ready()`: the due instances of recurring assignments, then the deadline reminders, the
controllers' daily digests and the executives' weekly digest.
"""

from __future__ import annotations

import datetime

from django.conf import settings

from kense.assignments.reminders import controller_digests, deadline_reminders, executive_digests
from kense.assignments.services import recurring_instances_create
from kense.core.daily import register_daily_step


def weekly_digest_weekday() -> int:
    """The weekday (0 = Monday) the executives' weekly digest goes out on."""
    return int(getattr(settings, "KENSE_WEEKLY_DIGEST_WEEKDAY", 0))


def recurring_instances(today: datetime.date) -> int:
    """Create the instances of recurring assignments due by `today`."""
    return recurring_instances_create(on=today)


def executive_digests_from_weekday(today: datetime.date) -> int:
    """The executives' weekly digest, from the configured weekday on.

    "From the weekday on" rather than "on the weekday": the digest is keyed by the ISO week,
    so it still goes out (once) later in the week when the day's run was missed.
    """
    return executive_digests(today) if today.weekday() >= weekly_digest_weekday() else 0


def register_daily_steps() -> None:
    # The orders are those documented in kense.core.daily: creating before reminding.
    register_daily_step("recurring_instances", recurring_instances, order=10)
    register_daily_step("deadline_reminders", deadline_reminders, order=20)
    register_daily_step("controller_digests", controller_digests, order=30)
    register_daily_step("executive_digests", executive_digests_from_weekday, order=40)
