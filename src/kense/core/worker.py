"""The job worker (`manage.py kense_worker`): django-tasks-db's worker, made to outlive what
used to stop it, a lost database and a killed worker.

Its loop is the package's (`db_worker`: claim the next ready task under a lock, run it, record
the result), with three additions:

1. **A lost database does not end it.** An OperationalError or InterfaceError anywhere in a
   turn of the loop (claiming, recording a result, the upkeep below) closes the broken
   connections and waits 1, 2, 4 … up to 30 s before the next turn, which reconnects. The
   package's worker exits instead, and mail stops until someone restarts it. A task whose
   result could not be recorded stays RUNNING, and (2) retries it.
2. **A stuck task is retried.** A task RUNNING for longer than the bound (--stuck-after,
   KENSE_TASK_STUCK_AFTER, 1800 s) is taken to be from a worker that died under it (killed,
   out of memory, its machine lost): it is made READY again for the next free worker; once
   it has been claimed MAX_CLAIMS times it is marked FAILED (WorkerLost) instead, so a task
   that kills its worker every time does not do so forever. The bound must be longer than
   any task runs, since a live task taken for stuck runs twice; and every Kense task must be
   idempotent, which they are: the deliveries by the outbox's claim (`kense.core.mail`), the
   day's control by its logs, the indicators' refresh by recomputing.
   **A dead worker is found sooner by its heartbeat** (issue 17): a worker running as a
   service writes `core.WorkerHeartbeat.last_seen` every tenth of --dead-after
   (KENSE_WORKER_DEAD_AFTER, 60 s) from a thread of its own, whatever its task is doing, with
   the database's clock (the workers' machines' clocks may differ). A RUNNING task whose
   worker has not been seen for --dead-after is retried as a stuck one is, on any machine,
   about a minute after its worker died instead of 30. A worker that has just started or
   regained the database waits --dead-after before judging others by their heartbeats, so
   that a database outage, which stops every heartbeat at once, is not taken for the death of
   every worker. A `--batch` worker writes no heartbeat; its tasks are judged by the bound.
3. **Lost letters are delivered.** Every upkeep also runs the outbox's sweep
   (`kense.core.mail.deliver_due_letters`), which sends the letters whose job was lost.
4. **The apps' minute steps run.** An app registers a step of the upkeep in its
   `AppConfig.ready()` (`register_upkeep_step`, as the day's steps are registered in
   `kense.core.daily`): the notifications poll the Telegram bot and retry their sends. A
   failing step is logged and does not stop the others or the worker.

The upkeep runs when the worker starts (so `--batch` sees stuck work too) and then every
--upkeep-interval seconds (60). The loop reuses django_tasks_db 0.13's Worker (`run_task`,
the claim, the signals); `pyproject.toml` pins it below 0.14, and `tests/core/test_worker.py`
runs it.
"""

from __future__ import annotations

import datetime
import logging
import os
import random
import socket
import threading
import time
from collections.abc import Callable
from typing import Any

from django.db import DatabaseError, InterfaceError, OperationalError, close_old_connections
from django.db import connection as thread_connection
from django.db.models import DateTimeField, ExpressionWrapper, Q
from django.db.models.functions import Now
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction

from kense.core.mail import deliver_due_letters
from kense.core.models import WorkerHeartbeat

logger = logging.getLogger("django_tasks_db")

# A task is claimed at most this many times (its first run and two retries).
MAX_CLAIMS = 3
# The longest wait between two tries to reach a lost database, in seconds.
LONGEST_WAIT = 30.0
# Heartbeats of workers gone this long are deleted (their tasks are past any bound by then).
FORGET_AFTER = datetime.timedelta(days=1)


# The apps' steps of the upkeep, by name (see (4) above).
_upkeep_steps: dict[str, Callable[[], object]] = {}


def register_upkeep_step(name: str, run: Callable[[], object]) -> None:
    """Run `run()` at every upkeep of the worker (about once a minute); registering a name
    again replaces its step. A step must be quick and idempotent."""
    _upkeep_steps[name] = run


def run_upkeep_steps() -> None:
    """Every registered step, in the order of their names; a step's failure is logged (a
    lost database propagates, so the worker waits for it)."""
    for name in sorted(_upkeep_steps):
        try:
            _upkeep_steps[name]()
        except (OperationalError, InterfaceError):
            raise
        except Exception:
            logger.exception("The upkeep step %s failed; it runs again at the next upkeep.", name)


class WorkerLost(Exception):
    """The worker running a task died (killed, out of memory) every time it was tried."""


def retry_stuck_tasks(
    *, stuck_after: datetime.timedelta, backend_name: str = "default"
) -> tuple[int, int]:
    """Make the tasks RUNNING for longer than `stuck_after` READY again, or FAILED once
    claimed MAX_CLAIMS times. Returns (retried, failed)."""
    stuck = DBTaskResult.objects.running().filter(
        backend_name=backend_name, started_at__lt=timezone.now() - stuck_after
    )
    return _retry(list(stuck), why="RUNNING for longer than the bound")


def retry_tasks_of_dead_workers(
    *, dead_after: datetime.timedelta, backend_name: str = "default"
) -> tuple[int, int]:
    """Make the RUNNING tasks whose worker's heartbeat is older than `dead_after` READY again,
    or FAILED once claimed MAX_CLAIMS times. Returns (retried, failed). A task whose worker
    has no heartbeat (a `--batch` worker, the package's db_worker) is left to the bound."""
    seen_before = ExpressionWrapper(Now() - dead_after, output_field=DateTimeField())
    dead = set(
        WorkerHeartbeat.objects.filter(last_seen__lt=seen_before).values_list(
            "worker_id", flat=True
        )
    )
    if not dead:
        return 0, 0
    running = DBTaskResult.objects.running().filter(backend_name=backend_name)
    lost = [result for result in running if result.worker_ids and result.worker_ids[-1] in dead]
    return _retry(lost, why="its worker's heartbeat stopped")


def _retry(results: list[DBTaskResult[Any, Any]], *, why: str) -> tuple[int, int]:
    """Each row is changed only if it is still the same run (status and start unchanged), so a
    task that finishes, or that another worker retries, at the same moment is left alone."""
    now = timezone.now()
    retried = failed = 0
    for result in results:
        same_run = DBTaskResult.objects.filter(
            Q(pk=result.pk, status=TaskResultStatus.RUNNING, started_at=result.started_at)
        )
        if len(result.worker_ids) >= MAX_CLAIMS:
            failed += same_run.update(
                status=TaskResultStatus.FAILED,
                finished_at=now,
                exception_class_path=f"{WorkerLost.__module__}.{WorkerLost.__qualname__}",
                traceback=f"{WorkerLost.__qualname__}: its workers {result.worker_ids} died "
                f"while running it ({len(result.worker_ids)} times).\n",
            )
            logger.error("Task id=%s failed: its worker died %s times.", result.pk, MAX_CLAIMS)
        else:
            retried += same_run.update(status=TaskResultStatus.READY)
            logger.warning(
                "Task id=%s was RUNNING since %s under worker %s, %s: retried.",
                result.pk,
                result.started_at,
                result.worker_ids[-1] if result.worker_ids else "?",
                why,
            )
    return retried, failed


def beat(worker_id: str) -> None:
    """Record that the worker `worker_id` is alive now (by the database's clock)."""
    if not WorkerHeartbeat.objects.filter(pk=worker_id).update(last_seen=Now()):
        WorkerHeartbeat.objects.create(
            worker_id=worker_id, host=socket.gethostname()[:255], pid=os.getpid()
        )


class Heartbeat(threading.Thread):
    """Beats for a worker every `every` seconds, from its own thread and connection, until
    stopped; a failed beat (the database away) is logged and tried again at the next."""

    def __init__(self, worker_id: str, every: float) -> None:
        super().__init__(name=f"heartbeat-{worker_id}", daemon=True)
        self.worker_id = worker_id
        self.every = every
        self.stopped = threading.Event()

    def run(self) -> None:
        try:
            while True:
                try:
                    beat(self.worker_id)
                except DatabaseError as error:
                    logger.warning("The worker's heartbeat was not recorded: %s", error)
                    thread_connection.close()
                if self.stopped.wait(self.every):
                    return
        finally:
            thread_connection.close()

    def stop(self) -> None:
        self.stopped.set()
        self.join(timeout=self.every + 30)


class Worker(db_worker.Worker):
    """django_tasks_db's Worker with the upkeep and the patience the module's docstring
    describes."""

    def __init__(
        self, *, stuck_after: float, upkeep_interval: float, dead_after: float, **options: Any
    ) -> None:
        super().__init__(**options)
        self.stuck_after = datetime.timedelta(seconds=stuck_after)
        self.upkeep_interval = upkeep_interval
        self.dead_after = datetime.timedelta(seconds=dead_after)
        self.next_upkeep = 0.0  # at once
        self.failures = 0  # turns in a row that lost the database
        # Others are judged by their heartbeats only once ours has had time to be written.
        self.judge_heartbeats_from = time.monotonic() + dead_after

    def run(self) -> None:
        logger.info(
            "Starting worker worker_id=%s queues=%s", self.worker_id, ",".join(self.queue_names)
        )
        heartbeat = None
        if not self.batch:
            heartbeat = Heartbeat(self.worker_id, every=self.dead_after.total_seconds() / 10)
            heartbeat.start()
        try:
            if self.startup_delay and self.interval:
                time.sleep(random.random())
            while self.running:
                try:
                    finished = self.turn()
                except (OperationalError, InterfaceError) as error:
                    self.wait_for_database(error)
                    continue
                self.failures = 0
                if finished:
                    return
        finally:
            if heartbeat is not None:
                heartbeat.stop()

    def turn(self) -> bool:
        """One turn of the loop: the upkeep when due, then the next task if any; True when the
        worker is done (`--batch` found nothing, or `--max-tasks` were run)."""
        close_old_connections()  # a connection broken since the last turn is replaced
        if time.monotonic() >= self.next_upkeep:
            self.upkeep()
            self.next_upkeep = time.monotonic() + self.upkeep_interval
        result = self.claim_next()
        if result is not None:
            self.run_task(result)
        if self.batch and result is None:
            logger.info("No more tasks to run for worker_id=%s - exiting.", self.worker_id)
            return True
        if self.max_tasks is not None and self._run_tasks >= self.max_tasks:
            logger.info("Ran %d tasks on worker_id=%s - exiting.", self._run_tasks, self.worker_id)
            return True
        if self.running and result is None:
            time.sleep(self.interval)
        return False

    def upkeep(self) -> None:
        retry_stuck_tasks(stuck_after=self.stuck_after, backend_name=self.backend_name)
        if time.monotonic() >= self.judge_heartbeats_from:
            retry_tasks_of_dead_workers(dead_after=self.dead_after, backend_name=self.backend_name)
        WorkerHeartbeat.objects.filter(last_seen__lt=timezone.now() - FORGET_AFTER).delete()
        deliver_due_letters()
        run_upkeep_steps()

    def claim_next(self) -> DBTaskResult[Any, Any] | None:
        """The next ready task of our queues, claimed for this worker (as db_worker does)."""
        tasks = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
        if not self.process_all_queues:
            tasks = tasks.filter(queue_name__in=self.queue_names)
        if self.excluded_queue_names:
            tasks = tasks.exclude(queue_name__in=self.excluded_queue_names)
        with exclusive_transaction(tasks.db):
            result = tasks.get_locked()
            if result is not None:
                result.claim(self.worker_id)
        return result

    def wait_for_database(self, error: Exception) -> None:
        self.failures += 1
        wait = min(2.0 ** (self.failures - 1), LONGEST_WAIT)
        logger.warning("The database is unreachable (%s); trying again in %g s.", error, wait)
        close_old_connections()
        # Every heartbeat stopped with the database: give them time to resume.
        self.judge_heartbeats_from = time.monotonic() + self.dead_after.total_seconds()
        if self.running:
            time.sleep(wait)
