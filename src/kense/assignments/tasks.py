"""Background jobs of the assignments: the daily control run by the worker (db_worker).

django-tasks has no periodic scheduler: `manage.py kense_scheduler` enqueues `daily_control`
once a local day, and the worker runs it. Everything it calls is idempotent, so a second run
on the same day (a restart, a second scheduler) creates and sends nothing twice.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from kense.assignments.reminders import controller_digests, deadline_reminders, executive_digests
from kense.assignments.services import recurring_instances_create
from kense.documents.reminders import send_reminders as document_reminders

logger = logging.getLogger(__name__)


class DailyControlFailed(Exception):
    """Some steps of the day's control failed; the others were done (and committed)."""


def weekly_digest_weekday() -> int:
    """The weekday (0 = Monday) the executives' weekly digest goes out on."""
    return int(getattr(settings, "KENSE_WEEKLY_DIGEST_WEEKDAY", 0))


@task()
def daily_control(today_iso: str | None = None) -> dict[str, int]:
    """The day's control of assignments, for `today_iso` (default: today, local time):
    create the due instances of recurring assignments, then send the deadline reminders,
    the controllers' daily digests and, from the configured weekday on, the executives'
    weekly digest. Returns how many of each were created or queued.

    Each step runs even when an earlier one fails (a broken recurring assignment must not
    stop everybody's reminders); the task then fails, naming the failed steps, so the
    failure shows in the task log.
    """
    today = datetime.date.fromisoformat(today_iso) if today_iso else timezone.localdate()
    steps: dict[str, Callable[[datetime.date], int]] = {
        "recurring_instances": lambda day: recurring_instances_create(on=day),
        "deadline_reminders": deadline_reminders,
        "controller_digests": controller_digests,
        # "From the weekday on" rather than "on the weekday": the digest is keyed by the ISO
        # week, so it still goes out (once) later in the week when the day's run was missed.
        "executive_digests": lambda day: (
            executive_digests(day) if day.weekday() >= weekly_digest_weekday() else 0
        ),
        # Guidelines not yet acknowledged by their recipient organizations.
        "document_reminders": document_reminders,
    }
    counts: dict[str, int] = {}
    failed: list[str] = []
    for name, step in steps.items():
        try:
            counts[name] = step(today)
        except Exception:
            logger.exception("The daily control of %s: %s failed.", today, name)
            failed.append(name)
    if failed:
        raise DailyControlFailed(f"{today}: {', '.join(failed)} failed; done: {counts}")
    return counts
