"""Enqueue the day's control (kense.core.daily) once a local day; the worker (kense_worker) runs it.

django-tasks has no periodic scheduler, so this small loop stands in for cron. It keeps no
state of its own: whether today's run was already enqueued is read from the task queue's
table (django_tasks_db's DBTaskResult rows for the task), so a restart, or a second
scheduler started by mistake, does not enqueue it again. Even if that happened, the day's
control is idempotent and sends nothing twice.

    manage.py kense_scheduler                  # check every 300 s, forever
    manage.py kense_scheduler --once           # one check, then exit (cron, tests)
"""

from __future__ import annotations

import datetime
import signal
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from kense.core.daily import daily_control


def clock_time(value: str) -> datetime.time:
    try:
        return datetime.time.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"Give a time as HH:MM, not {value!r}.") from error


class Command(BaseCommand):
    help = (
        "Enqueue the day's control (recurring instances, reminders, digests) once a local "
        "day, at or after --not-before; the worker (kense_worker) runs it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--interval", type=float, default=300, help="Seconds between checks (300)."
        )
        parser.add_argument("--once", action="store_true", help="Check once and exit.")
        parser.add_argument(
            "--not-before",
            type=clock_time,
            default=None,
            help="The local time of day from which the day's run may be enqueued "
            "(KENSE_DAILY_CONTROL_AT, default 07:00), so letters do not go out at night.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        not_before = options["not_before"] or clock_time(
            getattr(settings, "KENSE_DAILY_CONTROL_AT", "07:00")
        )
        self.verbosity = int(options["verbosity"])
        self.last_day: datetime.date | None = None  # for backends that keep no rows
        if options["once"]:
            self.tick(not_before, loud=True)
            return
        self.say(
            f"Scheduler: enqueues {daily_control.module_path} once a day from "
            f"{not_before:%H:%M} ({settings.TIME_ZONE}); checks every {options['interval']:g} s."
        )
        # Stopped by its supervisor (make demo, systemd) as by Ctrl-C: nothing to clean up.
        signal.signal(signal.SIGTERM, signal.default_int_handler)
        try:
            while True:
                try:
                    self.tick(not_before, loud=self.verbosity >= 2)
                except DatabaseError as error:  # a locked or restarting database: next tick
                    self.stderr.write(f"{timezone.localtime():%Y-%m-%d %H:%M} error: {error}")
                    self.stderr.flush()
                time.sleep(options["interval"])
        except KeyboardInterrupt:
            self.say("Scheduler stopped.")

    def say(self, message: str) -> None:
        # Flushed at once: under a supervisor stdout is a pipe, and a buffered line would
        # show up late or be lost when the scheduler is stopped.
        self.stdout.write(message)
        self.stdout.flush()

    def tick(self, not_before: datetime.time, *, loud: bool) -> None:
        now = timezone.localtime()
        today = now.date()
        stamp = f"{now:%Y-%m-%d %H:%M}"
        if now.time() < not_before:
            if loud:
                self.say(f"{stamp} waiting: the day's control starts at {not_before}.")
            return
        if self.last_day == today or self.enqueued_today(today):
            if loud:
                self.say(f"{stamp} the control of {today} is already enqueued.")
            return
        result = daily_control.enqueue(today.isoformat())
        self.last_day = today
        self.say(f"{stamp} enqueued the control of {today} (task {result.id}).")

    @staticmethod
    def enqueued_today(today: datetime.date) -> bool:
        midnight = timezone.make_aware(datetime.datetime.combine(today, datetime.time.min))
        return DBTaskResult.objects.filter(
            task_path=daily_control.module_path, enqueued_at__gte=midnight
        ).exists()
