"""The worker and the outbox (issue 12, item 9): each letter goes once, even when a delivery
runs twice, its worker is killed, its job is lost, or the database goes away under the worker.

The tests that run the worker (`manage.py kense_worker --batch`) commit for real
(transaction=True): the worker closes connections between tasks, as it must in production.
"""

from __future__ import annotations

import datetime
import os
import smtplib
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.core.management import call_command
from django.db import OperationalError, connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from tests.factories import UserFactory

from kense.assignments.models import Reminder, ReminderKind
from kense.core import worker
from kense.core.daily import daily_control
from kense.core.mail import deliver, deliver_due_letters, deliver_letter, send_templated_email
from kense.core.models import Letter, WorkerHeartbeat
from kense.core.reminders import send_once

TEMPLATES = {
    "letters/note_subject.txt": "A note",
    "letters/note_body.txt": "For {{ name }}.",
}
LONG_AGO = datetime.timedelta(hours=2)


@pytest.fixture(autouse=True)
def _letters(settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.TEMPLATES = [
        {
            "BACKEND": "django.template.backends.django.DjangoTemplates",
            "OPTIONS": {"loaders": [("django.template.loaders.locmem.Loader", TEMPLATES)]},
        }
    ]


def write(name: str, *, enqueue: bool, on_commit: Any) -> Letter:
    """Save a letter to `name`@example.kz; its job is enqueued only if `enqueue` (else the
    process died between the commit and the enqueue)."""
    with on_commit(execute=enqueue):
        send_templated_email(
            to=[f"{name}@example.kz"],
            template="letters/note",
            context={"name": name},
            language="kk",
        )
    return Letter.objects.latest("pk")


def run_worker() -> None:
    call_command("kense_worker", "--batch", "--no-startup-delay", verbosity=0)


def letters_to(name: str) -> list[Any]:
    return [letter for letter in mail.outbox if letter.to == [f"{name}@example.kz"]]


# --- a delivery -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_delivery_run_twice_sends_one_letter(
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    letter = write("aigul", enqueue=False, on_commit=django_capture_on_commit_callbacks)

    assert deliver_letter.call(letter.pk) == 1
    assert deliver_letter.call(letter.pk) == 0

    (sent,) = mail.outbox
    assert (sent.to, sent.subject, sent.body) == (["aigul@example.kz"], "A note", "For aigul.")
    assert sent.extra_headers["Message-ID"].startswith(f"<letter-{letter.pk}.")
    letter.refresh_from_db()
    assert letter.sent_at is not None
    assert letter.attempts == 1


@pytest.mark.django_db
def test_a_letter_another_delivery_holds_is_left_to_it(
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    letter = write("aigul", enqueue=False, on_commit=django_capture_on_commit_callbacks)
    Letter.objects.filter(pk=letter.pk).update(claimed_at=timezone.now(), attempts=1)

    assert deliver(letter.pk) == 0  # the other delivery is sending it right now
    assert mail.outbox == []

    Letter.objects.filter(pk=letter.pk).update(claimed_at=timezone.now() - LONG_AGO)
    assert deliver(letter.pk) == 1  # that delivery died: its claim has expired
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_letter_the_mail_server_refused_goes_after_the_lease(
    django_capture_on_commit_callbacks: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    letter = write("aigul", enqueue=False, on_commit=django_capture_on_commit_callbacks)
    send = EmailMultiAlternatives.send

    def refused(message: EmailMultiAlternatives, fail_silently: bool = False) -> int:
        raise smtplib.SMTPServerDisconnected("the mail server went away")

    monkeypatch.setattr(EmailMultiAlternatives, "send", refused)
    with pytest.raises(smtplib.SMTPServerDisconnected):
        deliver_letter.call(letter.pk)
    monkeypatch.setattr(EmailMultiAlternatives, "send", send)

    assert deliver_due_letters() == 0  # claimed a moment ago: not yet
    Letter.objects.filter(pk=letter.pk).update(
        created_at=timezone.now() - LONG_AGO, claimed_at=timezone.now() - LONG_AGO
    )
    assert deliver_due_letters() == 1
    assert deliver_due_letters() == 0
    assert len(letters_to("aigul")) == 1


# --- the worker -------------------------------------------------------------------------------


def kill_the_worker_in(result: DBTaskResult[Any, Any], *, mid_send: Letter | None) -> None:
    """What a SIGKILL leaves behind: the task RUNNING under a worker that is gone (long ago),
    and, killed mid-send, its letter claimed but unsent."""
    result.claim("killed-worker")
    DBTaskResult.objects.filter(pk=result.pk).update(started_at=timezone.now() - LONG_AGO)
    if mid_send is not None:
        Letter.objects.filter(pk=mid_send.pk).update(
            claimed_at=timezone.now() - LONG_AGO, attempts=1
        )


@pytest.mark.django_db(transaction=True)
def test_a_stuck_task_of_a_killed_worker_is_retried_and_its_letter_sent_once(
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    letter = write("aigul", enqueue=True, on_commit=django_capture_on_commit_callbacks)
    waiting = write("bolat", enqueue=True, on_commit=django_capture_on_commit_callbacks)
    stuck = DBTaskResult.objects.get(args_kwargs__args=[letter.pk])
    kill_the_worker_in(stuck, mid_send=letter)

    run_worker()
    run_worker()

    assert len(letters_to("aigul")) == 1
    assert len(letters_to("bolat")) == 1
    stuck.refresh_from_db()
    assert stuck.status == "SUCCESSFUL"
    assert stuck.worker_ids[0] == "killed-worker" and len(stuck.worker_ids) == 2
    assert not Letter.objects.filter(sent_at=None).exists()
    assert DBTaskResult.objects.get(args_kwargs__args=[waiting.pk]).status == "SUCCESSFUL"


@pytest.mark.django_db(transaction=True)
def test_a_task_that_killed_its_worker_three_times_fails_and_a_live_one_is_left(
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    doomed = daily_control.enqueue("2020-04-21").db_result
    DBTaskResult.objects.filter(pk=doomed.pk).update(worker_ids=["first", "second"])
    doomed.refresh_from_db()
    kill_the_worker_in(doomed, mid_send=None)
    live = daily_control.enqueue("2020-04-22").db_result
    live.claim("a-live-worker")  # started a moment ago: still running somewhere

    assert worker.retry_stuck_tasks(stuck_after=datetime.timedelta(minutes=30)) == (0, 1)

    doomed.refresh_from_db()
    assert doomed.status == "FAILED"
    assert doomed.exception_class_path == "kense.core.worker.WorkerLost"
    assert DBTaskResult.objects.get(pk=live.pk).status == "RUNNING"


@pytest.mark.django_db(transaction=True)
def test_a_logged_letter_whose_job_was_lost_is_sent_once() -> None:
    user = UserFactory(language="kk", email="aigul@example.kz")
    key = {"kind": ReminderKind.DAILY_DIGEST, "assignment": None, "recipient": user, "key": "k"}

    def remind() -> bool:
        return send_once(
            Reminder, key=key, to=user, template="letters/note", context={"name": "aigul"}
        )

    assert remind() is True
    DBTaskResult.objects.all().delete()  # the process died between the commit and the enqueue
    assert Reminder.objects.count() == Letter.objects.count() == 1

    run_worker()
    assert mail.outbox == []  # a fresh letter's job may still be on its way: not yet

    Letter.objects.update(created_at=timezone.now() - LONG_AGO)
    run_worker()
    assert remind() is False
    run_worker()

    assert len(letters_to("aigul")) == 1
    assert Letter.objects.get().sent_at is not None


@pytest.mark.django_db(transaction=True)
def test_the_worker_outlives_a_lost_database_and_runs_the_next_task(
    django_capture_on_commit_callbacks: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    write("aigul", enqueue=True, on_commit=django_capture_on_commit_callbacks)
    write("bolat", enqueue=True, on_commit=django_capture_on_commit_callbacks)
    monkeypatch.setattr(worker, "LONGEST_WAIT", 0.0)
    lost: list[str] = []

    def database_restarts_once(execute: Any, sql: str, *args: Any) -> Any:
        if "dbtaskresult" in sql and len(lost) < 2:  # the upkeep's query, then a claim's
            lost.append(sql)
            raise OperationalError("server closed the connection unexpectedly")
        return execute(sql, *args)

    with connection.execute_wrapper(database_restarts_once):
        run_worker()

    assert len(lost) == 2
    assert sorted(letter.to[0] for letter in mail.outbox) == [
        "aigul@example.kz",
        "bolat@example.kz",
    ]
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}


# --- heartbeats (issue 17) --------------------------------------------------------------------


def a_worker(*, dead_after: float = 60) -> worker.Worker:
    return worker.Worker(
        queue_names=["default"],
        excluded_queue_names=[],
        interval=0,
        batch=False,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="upkeeper",
        stuck_after=1800,
        upkeep_interval=60,
        dead_after=dead_after,
    )


def heartbeat_ago(worker_id: str, ago: datetime.timedelta) -> None:
    worker.beat(worker_id)
    WorkerHeartbeat.objects.filter(pk=worker_id).update(last_seen=timezone.now() - ago)


@pytest.mark.django_db
def test_a_task_of_a_worker_whose_heartbeat_stopped_is_retried_at_once() -> None:
    orphan = daily_control.enqueue("2020-04-21").db_result
    orphan.claim("dead-worker")  # started a moment ago: far from the 30 minutes' bound
    busy = daily_control.enqueue("2020-04-22").db_result
    busy.claim("live-worker")
    unknown = daily_control.enqueue("2020-04-23").db_result
    unknown.claim("batch-worker")  # a --batch worker writes no heartbeat
    heartbeat_ago("dead-worker", datetime.timedelta(seconds=61))
    heartbeat_ago("live-worker", datetime.timedelta(seconds=5))

    minute = datetime.timedelta(seconds=60)
    assert worker.retry_tasks_of_dead_workers(dead_after=minute) == (1, 0)
    assert worker.retry_tasks_of_dead_workers(dead_after=minute) == (0, 0)

    statuses = dict(DBTaskResult.objects.values_list("pk", "status"))
    assert statuses == {orphan.pk: "READY", busy.pk: "RUNNING", unknown.pk: "RUNNING"}


@pytest.mark.django_db
def test_a_task_whose_workers_died_three_times_by_heartbeat_fails() -> None:
    doomed = daily_control.enqueue("2020-04-21").db_result
    DBTaskResult.objects.filter(pk=doomed.pk).update(worker_ids=["first", "second"])
    doomed.refresh_from_db()
    doomed.claim("third")
    heartbeat_ago("third", datetime.timedelta(minutes=5))

    assert worker.retry_tasks_of_dead_workers(dead_after=datetime.timedelta(minutes=1)) == (0, 1)
    doomed.refresh_from_db()
    assert doomed.status == "FAILED"
    assert doomed.exception_class_path == "kense.core.worker.WorkerLost"


@pytest.fixture
def _no_wait(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(worker, "LONGEST_WAIT", 0.0)


@pytest.mark.django_db(transaction=True)  # the lost database closes the connection
@pytest.mark.usefixtures("_no_wait")
def test_a_worker_judges_heartbeats_only_after_its_own_had_time() -> None:
    """After its start (or a lost database, which stops every heartbeat at once) a worker
    waits --dead-after before it takes a silent worker for dead."""
    orphan = daily_control.enqueue("2020-04-21").db_result
    orphan.claim("dead-worker")
    heartbeat_ago("dead-worker", datetime.timedelta(minutes=5))
    upkeeper = a_worker(dead_after=60)

    upkeeper.upkeep()
    assert DBTaskResult.objects.get(pk=orphan.pk).status == "RUNNING"

    upkeeper.judge_heartbeats_from = 0
    upkeeper.upkeep()
    assert DBTaskResult.objects.get(pk=orphan.pk).status == "READY"

    upkeeper.wait_for_database(OperationalError("gone"))  # LONGEST_WAIT=0 below: no sleep
    orphan.refresh_from_db()
    orphan.claim("dead-worker")
    upkeeper.upkeep()
    assert DBTaskResult.objects.get(pk=orphan.pk).status == "RUNNING"


@pytest.mark.django_db(transaction=True)
def test_the_heartbeat_thread_beats_until_stopped() -> None:
    heartbeat = worker.Heartbeat("beating", every=0.05)
    heartbeat.start()
    time.sleep(0.5)
    heartbeat.stop()

    assert not heartbeat.is_alive()
    beat = WorkerHeartbeat.objects.get()
    assert (beat.worker_id, beat.pid) == ("beating", os.getpid())
    assert beat.last_seen > beat.started_at  # beaten again after it was first written
