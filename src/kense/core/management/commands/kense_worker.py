"""Run the job worker: django-tasks-db's `db_worker`, with its options, that survives a lost
database, retries the tasks of a killed worker and delivers lost letters (kense.core.worker).

    manage.py kense_worker                       # as a service (make worker, make demo)
    manage.py kense_worker --batch               # run what is ready, then exit (tests)
    manage.py kense_worker --stuck-after 600     # a task RUNNING 10 min is from a dead worker
    manage.py kense_worker --dead-after 30       # a worker unseen for 30 s is dead
"""

from __future__ import annotations

import os
from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import CommandError
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands import db_worker

from kense.core.worker import Worker


class Command(db_worker.Command):
    help = (
        "Run the job worker (db_worker's options): it waits for a lost database, retries the "
        "tasks of a worker that died, and delivers letters whose job was lost."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--stuck-after",
            type=db_worker.valid_interval,
            default=float(getattr(settings, "KENSE_TASK_STUCK_AFTER", 1800)),
            help="Seconds after which a RUNNING task is taken to be from a dead worker and "
            "retried; longer than any task runs (KENSE_TASK_STUCK_AFTER, default 1800).",
        )
        parser.add_argument(
            "--dead-after",
            type=db_worker.valid_interval,
            default=float(settings.KENSE_WORKER_DEAD_AFTER),
            help="Seconds without a heartbeat after which a worker is dead and its RUNNING "
            "tasks are retried (KENSE_WORKER_DEAD_AFTER, default 60).",
        )
        parser.add_argument(
            "--upkeep-interval",
            type=db_worker.valid_interval,
            default=60.0,
            help="Seconds between two looks for stuck tasks and lost letters (default 60).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # db_worker's handle builds its own Worker; this one builds ours, the rest the same.
        self.configure_logging(options["verbosity"])
        reload = options["reload"] and not options["batch"]
        excluded = options["exclude_queues"].split(",") if options["exclude_queues"] else []
        queue_names = options["queue_name"].split(",")
        if excluded and "*" not in queue_names:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = Worker(
            queue_names=queue_names,
            excluded_queue_names=excluded,
            interval=options["interval"],
            batch=options["batch"],
            backend_name=options["backend_name"],
            startup_delay=options["startup_delay"],
            max_tasks=options["max_tasks"],
            worker_id=options["worker_id"],
            stuck_after=options["stuck_after"],
            upkeep_interval=options["upkeep_interval"],
            dead_after=options["dead_after"],
        )
        if reload:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()  # only in the reloaded child, as db_worker does
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
