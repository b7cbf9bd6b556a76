"""The fault test's work, run in its own processes under tests.faults.settings:

    python -m tests.faults.scenario setup    # migrate, LETTERS people, enqueue remind_everyone
    python -m tests.faults.scenario report   # the outbox and the task queue, as JSON

The worker runs `tests.faults.jobs.remind_everyone`, the letters' producer.
"""

from __future__ import annotations

import json
import sys

LETTERS = 50


def setup() -> None:
    from django.core.management import call_command

    from kense.accounts.models import User

    for app in ("django_tasks_database", "core", "accounts", "assignments"):
        call_command("migrate", app, verbosity=0)
    User.objects.bulk_create(
        User(username=f"fault-{n:02}", email=f"fault-{n:02}@example.kz", language="kk")
        for n in range(LETTERS)
    )
    from tests.faults.jobs import remind_everyone

    remind_everyone.enqueue()


def report() -> None:
    from django.db.models import Count
    from django_tasks_db.models import DBTaskResult

    from kense.assignments.models import Reminder
    from kense.core.models import Letter

    tasks = (
        DBTaskResult.objects.order_by().values_list("task_path", "status").annotate(n=Count("id"))
    )
    json.dump(
        {
            "reminders": Reminder.objects.count(),
            "letters": Letter.objects.count(),
            "unsent": Letter.objects.filter(sent_at=None).count(),
            "tasks": {f"{path.rsplit('.', 1)[-1]} {status}": n for path, status, n in tasks},
        },
        sys.stdout,
    )


if __name__ == "__main__":
    import django

    django.setup()
    {"setup": setup, "report": report}[sys.argv[1]]()
