"""The day's control: one task runs, in a fixed order, the daily steps the apps register.

django-tasks has no periodic scheduler: `manage.py kense_scheduler` enqueues `daily_control`
once a local day, and the worker runs it. Every step is idempotent, so a second run on the
same day (a restart, a second scheduler) creates and sends nothing twice.

Each app registers its steps in its `AppConfig.ready()`, so no app imports another to be
scheduled and core imports none of them. Steps run by their `order`, a number no two steps
share; a step that creates something runs before the steps that remind about it (recurring
instances due today are reminded of today). The order today, pinned by tests/core/test_daily.py:

    10  recurring_instances   assignments: the due instances of recurring assignments
    20  deadline_reminders    assignments: before, on and after an assignment's deadline
    30  controller_digests    assignments: the controllers' daily digest
    40  executive_digests     assignments: the executives' weekly digest, from its weekday on
    50  document_reminders    documents: guidelines not yet acknowledged
    60  notification_digests  notifications: each person's daily digest of notifications
    70  residents_purge       ideas: residents' addresses never confirmed, and old codes
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from django_tasks import task

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class DailyStep:
    """One step of the day's control: `run(today)` returns how many things it created or
    queued, and may run any number of times a day."""

    name: str
    order: int
    run: Callable[[datetime.date], int]


_steps: dict[str, DailyStep] = {}


def register_daily_step(name: str, run: Callable[[datetime.date], int], *, order: int) -> None:
    """Add a step to the day's control (from an `AppConfig.ready()`); registering a name again
    replaces its step. Two steps may not share an order: the order must not depend on which
    app happened to register first."""
    for step in _steps.values():
        if step.order == order and step.name != name:
            raise ImproperlyConfigured(
                f"The daily steps {step.name} and {name} both have the order {order}."
            )
    _steps[name] = DailyStep(name=name, order=order, run=run)


def daily_steps() -> list[DailyStep]:
    """The registered steps in the order they run."""
    return sorted(_steps.values(), key=lambda step: step.order)


class DailyControlFailed(Exception):
    """Some steps of the day's control failed; the others were done (and committed)."""


@task()
def daily_control(today_iso: str | None = None) -> dict[str, int]:
    """The day's control for `today_iso` (default: today, local time): every registered step
    in order. Returns how many things each step created or queued, by the step's name.

    Each step runs even when an earlier one fails (a broken recurring assignment must not
    stop everybody's reminders); the task then fails, naming the failed steps, so the
    failure shows in the task log.
    """
    today = datetime.date.fromisoformat(today_iso) if today_iso else timezone.localdate()
    counts: dict[str, int] = {}
    failed: list[str] = []
    for step in daily_steps():
        try:
            counts[step.name] = step.run(today)
        except Exception:
            logger.exception("The daily control of %s: %s failed.", today, step.name)
            failed.append(step.name)
    if failed:
        raise DailyControlFailed(f"{today}: {', '.join(failed)} failed; done: {counts}")
    return counts
