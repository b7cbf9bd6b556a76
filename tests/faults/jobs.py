"""The fault test's producer of letters, run by the worker under test (tests/faults)."""

from __future__ import annotations

import os
import time
from pathlib import Path

from django_tasks import task

from kense.accounts.models import User
from kense.assignments.models import Reminder, ReminderKind
from kense.core.reminders import send_once

# A moment per letter; the cluster test (tests/cluster) makes it longer to kill the job in it.
PRODUCE_SECONDS = float(os.environ.get("KENSE_FAULTS_PRODUCE_SECONDS", "0.03"))


@task()
def remind_everyone() -> int:
    """What a daily step does (kense.assignments' reminders): a letter to each fault person,
    once, through `send_once` and its log; returns how many this run queued. It notes its
    progress in `produced.log` and takes a moment per letter, so that the test can kill the
    worker in the middle of it."""
    queued = 0
    for user in User.objects.filter(username__startswith="fault-").order_by("pk"):
        queued += send_once(
            Reminder,
            key={
                "kind": ReminderKind.DAILY_DIGEST,
                "assignment": None,
                "recipient": user,
                "key": "faults",
            },
            to=user,
            template="faults/letter",
            context={"name": user.username},
        )
        with open(Path(os.environ["KENSE_FAULTS_DIR"]) / "produced.log", "a") as log:
            log.write(f"{user.username}\n")
        time.sleep(PRODUCE_SECONDS)
    return queued
