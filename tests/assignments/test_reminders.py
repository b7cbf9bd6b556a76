"""Reminders and digests: who gets which letter, on which day, in which language, exactly
once; the log that shows them; and the worker and scheduler that send them."""

from __future__ import annotations

import datetime
import io
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from factories import (
    AssignmentFactory,
    OrganizationFactory,
    PersonFactory,
    TerritoryFactory,
    UserFactory,
)
from kense.accounts.models import User
from kense.assignments import reminders
from kense.assignments.models import (
    Assignment,
    ExecutionReport,
    Reminder,
    ReminderKind,
    Status,
)
from kense.core import reminders as engine
from kense.core.daily import DailyControlFailed, daily_control
from kense.core.permissions import Role
from kense.registry.models import Organization, Territory, TerritoryKind

LOG_URL = "/kk/assignments/reminders/"

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"

DEADLINE = datetime.date(2020, 4, 21)  # a Tuesday
KK_DEADLINE = "2020 ж. 21 сәуір"
RU_DEADLINE = "21 апреля 2020 г."


def day(offset: int) -> datetime.date:
    return DEADLINE + datetime.timedelta(days=offset)


@pytest.fixture
def immediate_tasks(settings: Any) -> None:
    settings.TASKS = IMMEDIATE
    settings.KENSE_REMINDER_DAYS_BEFORE = (3, 1)
    settings.KENSE_BASE_URL = "https://kense.example.kz"


@pytest.fixture
def run(
    immediate_tasks: None, django_capture_on_commit_callbacks: Any
) -> Callable[[Callable[[datetime.date], int], datetime.date], int]:
    """Run a reminder function for a day as the worker would: the letters leave on commit."""

    def run_for(function: Callable[[datetime.date], int], today: datetime.date) -> int:
        with django_capture_on_commit_callbacks(execute=True):
            return function(today)

    return run_for


@pytest.fixture
def region(db: None) -> Territory:
    return TerritoryFactory(
        name_kk="Қарағанды облысы", name_ru="Карагандинская область", kind=TerritoryKind.REGION
    )


@pytest.fixture
def district(region: Territory) -> Territory:
    return TerritoryFactory(name_kk="Абай ауданы", name_ru="Абайский район", parent=region)


@pytest.fixture
def division(district: Territory) -> Organization:
    return OrganizationFactory(
        name_kk="Абай ауданының мәдениет бөлімі",
        name_ru="Отдел культуры Абайского района",
        territory=district,
    )


@pytest.fixture
def department_user(division: Organization) -> User:
    return UserFactory(
        username="abai-culture", role=Role.DEPARTMENT, organization=division, language="kk"
    )


@pytest.fixture
def lead_person_user(db: None) -> User:
    return UserFactory(
        username="deputy-akim", role=Role.OBSERVER, person=PersonFactory(), language="ru"
    )


@pytest.fixture
def coordinator(region: Territory) -> User:
    return UserFactory(
        username="region-coordinator", role=Role.COORDINATOR, territory=region, language="kk"
    )


@pytest.fixture
def controller(region: Territory) -> User:
    return UserFactory(
        username="project-office", role=Role.PROJECT_OFFICE, territory=region, language="en"
    )


@pytest.fixture
def assignment(
    division: Organization,
    department_user: User,
    lead_person_user: User,
    coordinator: User,
    controller: User,
) -> Assignment:
    return AssignmentFactory(
        number="12",
        text_kk="Мәдениет үйін жөндеу",
        text_ru="Отремонтировать дом культуры",
        lead_organization=division,
        lead_person=lead_person_user.person,
        controller=controller,
        deadline=DEADLINE,
    )


def letters_to(user: User) -> list[mail.EmailMessage]:
    return [letter for letter in mail.outbox if letter.to == [user.email]]


def logged_letters(user: User) -> list[tuple[str, str]]:
    return list(Reminder.objects.filter(recipient=user).order_by("pk").values_list("kind", "key"))


RESPONSIBLE = 3  # the division's account, the lead person's, the region's coordinator


@pytest.mark.parametrize(
    ("offset", "kind", "key"),
    [
        (-3, ReminderKind.BEFORE, "2020-04-21:3"),
        (-1, ReminderKind.BEFORE, "2020-04-21:1"),
        (0, ReminderKind.DUE, "2020-04-21"),
        (1, ReminderKind.OVERDUE, "2020-04-21"),
    ],
)
def test_a_reminder_goes_to_each_responsible_once_on_its_day(
    run: Any, assignment: Assignment, offset: int, kind: str, key: str
) -> None:
    assert run(reminders.deadline_reminders, day(offset)) == RESPONSIBLE
    assert run(reminders.deadline_reminders, day(offset)) == 0

    assert len(mail.outbox) == RESPONSIBLE
    rows = Reminder.objects.filter(assignment=assignment)
    assert {(row.kind, row.key) for row in rows} == {(kind, key)}
    assert rows.count() == RESPONSIBLE


def test_the_whole_run_up_to_the_deadline_and_after_sends_four_rounds(
    run: Any, assignment: Assignment, department_user: User
) -> None:
    for offset in range(-5, 6):  # every day from 16 to 26 April, each run twice
        run(reminders.deadline_reminders, day(offset))
        run(reminders.deadline_reminders, day(offset))

    assert logged_letters(department_user) == [
        (ReminderKind.BEFORE, "2020-04-21:3"),
        (ReminderKind.BEFORE, "2020-04-21:1"),
        (ReminderKind.DUE, "2020-04-21"),
        (ReminderKind.OVERDUE, "2020-04-21"),
    ]
    assert len(letters_to(department_user)) == 4
    assert Reminder.objects.count() == 4 * RESPONSIBLE


def test_only_the_responsible_are_reminded(
    run: Any, assignment: Assignment, region: Territory, division: Organization
) -> None:
    elsewhere = TerritoryFactory(parent=region)
    UserFactory(role=Role.COORDINATOR, territory=elsewhere)  # another district's coordinator
    UserFactory(role=Role.DEPARTMENT, organization=OrganizationFactory(territory=elsewhere))
    UserFactory(role=Role.EXECUTIVE, organization=division)  # not an organization role
    UserFactory(role=Role.DEPARTMENT, organization=division, email="")  # no address
    UserFactory(role=Role.DEPARTMENT, organization=division, is_active=False)

    assert run(reminders.deadline_reminders, day(0)) == RESPONSIBLE


def test_an_extended_deadline_gets_its_own_letters(
    run: Any, assignment: Assignment, department_user: User
) -> None:
    run(reminders.deadline_reminders, day(1))  # overdue on 22 April
    assignment.deadline = day(10)  # extended to 1 May
    assignment.save(update_fields=["deadline"])

    run(reminders.deadline_reminders, day(7))
    run(reminders.deadline_reminders, day(11))

    assert logged_letters(department_user) == [
        (ReminderKind.OVERDUE, "2020-04-21"),
        (ReminderKind.BEFORE, "2020-05-01:3"),
        (ReminderKind.OVERDUE, "2020-05-01"),
    ]


def test_letters_are_in_the_recipients_language_with_its_dates(
    run: Any, assignment: Assignment, department_user: User, lead_person_user: User
) -> None:
    run(reminders.deadline_reminders, day(-3))

    (kazakh,) = letters_to(department_user)
    assert KK_DEADLINE in kazakh.body
    assert "Мәдениет үйін жөндеу" in kazakh.body
    assert f"https://kense.example.kz/kk/assignments/{assignment.pk}/" in kazakh.body
    (russian,) = letters_to(lead_person_user)
    assert RU_DEADLINE in russian.body
    assert "Отремонтировать дом культуры" in russian.body
    assert f"https://kense.example.kz/ru/assignments/{assignment.pk}/" in russian.body


@pytest.mark.parametrize("status", [Status.DONE, Status.WITHDRAWN])
def test_nothing_is_sent_about_a_closed_assignment(
    run: Any, assignment: Assignment, status: str
) -> None:
    Assignment.objects.filter(pk=assignment.pk).update(status=status)

    for offset in (-3, -1, 0, 1):
        assert run(reminders.deadline_reminders, day(offset)) == 0
    assert mail.outbox == []


def test_the_template_of_a_recurring_assignment_is_not_reminded_of(
    run: Any, assignment: Assignment
) -> None:
    Assignment.objects.filter(pk=assignment.pk).update(
        deadline_kind="recurring", recurrence="monthly", recurrence_day=21
    )

    assert run(reminders.deadline_reminders, day(0)) == 0


def test_a_letter_that_fails_is_not_logged_and_goes_the_next_time(
    run: Any, assignment: Assignment, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(**kwargs: Any) -> None:
        raise RuntimeError("the template is broken")

    monkeypatch.setattr(engine, "send_templated_email", broken)
    assert run(reminders.deadline_reminders, day(0)) == 0
    assert not Reminder.objects.exists()

    monkeypatch.undo()
    assert run(reminders.deadline_reminders, day(0)) == RESPONSIBLE


def test_a_letter_another_worker_just_logged_is_skipped_by_the_unique_key(
    run: Any, assignment: Assignment, controller: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Two workers that both read the log before either wrote to it: only the unique
    # constraint (and the savepoint that survives its IntegrityError) stands between them.
    monkeypatch.setattr(reminders, "_already_sent", lambda logged: set())
    ExecutionReport.objects.create(assignment=assignment, text="Done.", author=controller)

    assert run(reminders.deadline_reminders, day(0)) == RESPONSIBLE
    assert run(reminders.deadline_reminders, day(0)) == 0
    assert run(reminders.controller_digests, day(0)) == 1
    assert run(reminders.controller_digests, day(0)) == 0
    assert len(mail.outbox) == RESPONSIBLE + 1


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_send_each_letter_once(
    immediate_tasks: None, assignment: Assignment
) -> None:
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        # The in-memory test database shares one cache between connections, whose table
        # locks fail at once ("database table is locked") instead of waiting as a database
        # file does; the test above covers the same race without threads.
        pytest.skip("needs a database file or PostgreSQL for concurrent connections")
    barrier = threading.Barrier(2)
    counts: list[int] = []
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            barrier.wait()
            counts.append(reminders.deadline_reminders(day(0)))
        except BaseException as error:  # reported below, in the test's thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sum(counts) == RESPONSIBLE
    assert len(mail.outbox) == RESPONSIBLE
    assert Reminder.objects.count() == RESPONSIBLE


# --- digests --------------------------------------------------------------------------------


def test_the_controllers_daily_digest_lists_a_pending_report_once_a_day(
    run: Any, assignment: Assignment, controller: User, department_user: User
) -> None:
    Assignment.objects.filter(pk=assignment.pk).update(status=Status.REPORTED)
    ExecutionReport.objects.create(
        assignment=assignment, text="The roof is repaired.", author=department_user
    )

    assert run(reminders.controller_digests, day(-5)) == 1
    assert run(reminders.controller_digests, day(-5)) == 0
    assert run(reminders.controller_digests, day(-4)) == 1

    first, _second = letters_to(controller)
    assert "1 execution report to accept or return" in first.body
    assert "12 (Отдел культуры Абайского района)" in first.body  # English falls back to Russian
    assert f"https://kense.example.kz/en/assignments/{assignment.pk}/" in first.body
    assert "16 April 2020" in first.subject
    assert logged_letters(controller) == [
        (ReminderKind.DAILY_DIGEST, "2020-04-16"),
        (ReminderKind.DAILY_DIGEST, "2020-04-17"),
    ]


def test_the_daily_digest_lists_overdue_assignments_and_is_not_sent_when_nothing_waits(
    run: Any, assignment: Assignment, controller: User
) -> None:
    assert run(reminders.controller_digests, day(0)) == 0  # due today is not overdue yet

    assert run(reminders.controller_digests, day(2)) == 1
    (letter,) = letters_to(controller)
    assert "1 assignment you control is overdue" in letter.body
    assert "2 days overdue" in letter.body


@pytest.fixture
def executive(region: Territory) -> User:
    return UserFactory(username="akim", role=Role.EXECUTIVE, territory=region, language="en")


def test_the_executives_weekly_digest_goes_once_a_week(
    run: Any, assignment: Assignment, executive: User
) -> None:
    monday, tuesday, next_monday = day(-1), day(0), day(6)

    assert run(reminders.executive_digests, monday) == 1
    assert run(reminders.executive_digests, tuesday) == 0
    assert run(reminders.executive_digests, next_monday) == 1

    first, second = letters_to(executive)
    assert "Under control: 1" in first.body
    assert "Overdue: 0" in first.body
    assert "Overdue: 1" in second.body
    assert "12 (Отдел культуры Абайского района), due 21 April 2020, 6 days overdue" in second.body
    assert "20 April 2020 – 26 April 2020" in second.subject  # the seven days before Monday
    assert logged_letters(executive) == [
        (ReminderKind.WEEKLY_DIGEST, "2020-W17"),
        (ReminderKind.WEEKLY_DIGEST, "2020-W18"),
    ]


def test_the_weekly_digest_counts_only_the_executives_scope(
    run: Any, assignment: Assignment, region: Territory
) -> None:
    other_region = TerritoryFactory(kind=TerritoryKind.REGION)
    outsider = UserFactory(role=Role.EXECUTIVE, territory=other_region)

    assert run(reminders.executive_digests, day(-1)) == 0
    assert letters_to(outsider) == []


# --- the log --------------------------------------------------------------------------------


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user, backend=MODEL_BACKEND)
    return client


def test_the_log_shows_the_project_office_its_scope_and_others_their_own_letters(
    run: Any, assignment: Assignment, controller: User, department_user: User
) -> None:
    run(reminders.deadline_reminders, day(0))
    assert Reminder.objects.count() == RESPONSIBLE

    recipients = User.objects.filter(pk__in=Reminder.objects.values("recipient"))

    office_page = logged_in(controller).get(LOG_URL).content.decode()
    assert all(user.email in office_page for user in recipients)

    own_page = logged_in(department_user).get(LOG_URL).content.decode()
    assert department_user.email in own_page
    others = recipients.exclude(pk=department_user.pk)
    assert others.count() == RESPONSIBLE - 1
    assert all(user.email not in own_page for user in others)


def test_the_log_filters_by_kind_and_exports_to_excel(
    run: Any, assignment: Assignment, controller: User
) -> None:
    run(reminders.deadline_reminders, day(-1))
    run(reminders.deadline_reminders, day(0))
    client = logged_in(controller)

    due = client.get(LOG_URL, {"kind": ReminderKind.DUE}).content.decode()
    assert "2020-04-21:1" not in due
    assert "2020-04-21" in due
    today = timezone.localdate().isoformat()
    assert "2020-04-21:1" in client.get(LOG_URL, {"date": today}).content.decode()
    assert "2020-04-21:1" not in client.get(LOG_URL, {"date": "2000-01-01"}).content.decode()
    export = client.get(LOG_URL, {"export": "xlsx"})
    assert export.status_code == 200
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_log_needs_a_login() -> None:
    # Its number of queries is pinned in tests/test_query_counts.py.
    assert Client().get(LOG_URL).status_code == 302


# --- the worker and the scheduler -----------------------------------------------------------


@pytest.fixture
def database_tasks(settings: Any) -> Iterator[None]:
    settings.TASKS = DATABASE
    settings.KENSE_REMINDER_DAYS_BEFORE = (3, 1)
    yield


@pytest.mark.django_db(transaction=True)
def test_the_worker_runs_the_daily_control_and_sends_the_letters(
    database_tasks: None, assignment: Assignment, department_user: User
) -> None:
    daily_control.enqueue(day(-3).isoformat())
    assert mail.outbox == []

    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)

    result = DBTaskResult.objects.get(task_path=daily_control.module_path)
    assert result.status == "SUCCESSFUL"
    assert result.return_value["deadline_reminders"] == RESPONSIBLE
    assert Reminder.objects.filter(kind=ReminderKind.BEFORE).count() == RESPONSIBLE
    assert len(mail.outbox) == RESPONSIBLE  # delivered by the same worker run
    assert KK_DEADLINE in letters_to(department_user)[0].body


def test_the_scheduler_enqueues_the_daily_control_once_a_day(
    db: None, database_tasks: None
) -> None:
    out = io.StringIO()
    call_command("kense_scheduler", "--once", "--not-before", "00:00", stdout=out)
    call_command("kense_scheduler", "--once", "--not-before", "00:00", stdout=out)

    (result,) = DBTaskResult.objects.filter(task_path=daily_control.module_path)
    assert result.args_kwargs["args"] == [timezone.localdate().isoformat()]
    assert "enqueued the control of" in out.getvalue()
    assert "already enqueued" in out.getvalue()


def test_the_daily_control_sends_the_weekly_digest_from_its_weekday_on(
    immediate_tasks: None,
    settings: Any,
    assignment: Assignment,
    executive: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.KENSE_WEEKLY_DIGEST_WEEKDAY = 2  # Wednesday
    with django_capture_on_commit_callbacks(execute=True):
        tuesday = daily_control.call(day(0).isoformat())
        wednesday = daily_control.call(day(1).isoformat())
        thursday = daily_control.call(day(2).isoformat())

    assert tuesday["executive_digests"] == 0
    assert wednesday["executive_digests"] == 1
    assert thursday["executive_digests"] == 0
    assert tuesday["deadline_reminders"] == RESPONSIBLE  # due today


def test_a_failing_step_does_not_stop_the_reminders_and_fails_the_task(
    run: Any, assignment: Assignment, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kense.assignments import tasks

    def broken(**kwargs: Any) -> int:
        raise RuntimeError("a recurring assignment is broken")

    monkeypatch.setattr(tasks, "recurring_instances_create", broken)

    with pytest.raises(DailyControlFailed, match="recurring_instances"):
        run(lambda today: daily_control.call(today.isoformat()), day(0))
    assert Reminder.objects.count() == RESPONSIBLE
    assert len(mail.outbox) == RESPONSIBLE
