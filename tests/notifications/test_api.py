"""The notification settings and the caller's own sends in the API: every kind with its choice,
changed through the settings page's service (all or nothing, refusals in the caller's
language), and what was sent to the caller by e-mail and Telegram, with what came of it."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from factories import TerritoryFactory, UserFactory
from kense.accounts.models import Role, User
from kense.assignments.models import Assignment
from kense.notifications import services
from kense.notifications.models import (
    Channel,
    Notification,
    NotificationKind,
    Preference,
    Reason,
    Send,
    SendStatus,
    Timing,
)
from kense.registry.models import Territory

Run = Callable[..., Any]
JSON = "application/json"
PREFERENCES = "/api/v1/notifications/preferences"
SENDS = "/api/v1/notifications/sends"
LOG = "/api/v1/notifications/log"


def client_of(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def patch(client: Client, body: Any, language: str = "en") -> Any:
    return client.patch(
        PREFERENCES, json.dumps(body), content_type=JSON, HTTP_ACCEPT_LANGUAGE=language
    )


def chosen(user: User) -> dict[str, str]:
    return dict(Preference.objects.filter(user=user).values_list("kind", "timing"))


def test_every_kind_is_listed_with_its_label_and_the_callers_choice(department: User) -> None:
    services.preferences_save(department, {NotificationKind.IDEA_ANSWERED: Timing.OFF})

    answer = client_of(department).get(PREFERENCES, HTTP_ACCEPT_LANGUAGE="kk")

    assert answer.status_code == 200
    rows = answer.json()
    assert [row["kind"] for row in rows] == NotificationKind.values  # the page's order
    first = rows[0]
    assert first == {
        "kind": "assignment_new",
        "label": "Жаңа тапсырма",
        "timing": "immediately",  # never chosen
        "timing_label": "Бірден",
    }
    idea = next(row for row in rows if row["kind"] == "idea_answered")
    assert (idea["timing"], idea["timing_label"]) == ("off", "Өшірулі")


def test_a_patch_changes_the_kinds_sent_as_the_settings_page_does(
    department: User, office: User
) -> None:
    services.preferences_save(department, {NotificationKind.MEETING_CHANGED: Timing.OFF})
    services.preferences_save(office, {NotificationKind.ASSIGNMENT_NEW: Timing.OFF})

    answer = patch(
        client_of(department),
        [
            {"kind": "assignment_new", "timing": "digest"},
            {"kind": "report_returned", "timing": "off"},
        ],
    )

    assert answer.status_code == 200, answer.json()
    timings = {row["kind"]: row["timing"] for row in answer.json()}
    assert timings["assignment_new"] == "digest" and timings["report_returned"] == "off"
    assert timings["meeting_changed"] == "off"  # not sent: kept
    assert chosen(department) == {
        "assignment_new": "digest",
        "report_returned": "off",
        "meeting_changed": "off",
    }
    # What notify reads, and the page shows, is what the API saved; nobody else's changed.
    assert services.timings_of([department], NotificationKind.ASSIGNMENT_NEW) == {
        department.pk: Timing.DIGEST
    }
    page = client_of(department).get("/en/notifications/settings/")
    assert page.context["form"]["report_returned"].initial == "off"
    assert chosen(office) == {"assignment_new": "off"}


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        (
            [{"kind": "assignment_new", "timing": "off"}, {"kind": "birthday", "timing": "off"}],
            "1.kind",
            "Дұрыс нұсқаны таңдаңыз.",
        ),
        (
            [{"kind": "assignment_new", "timing": "off"}, {"kind": "idea_answered", "timing": "x"}],
            "1.timing",
            "Дұрыс нұсқаны таңдаңыз.",
        ),
        (
            [
                {"kind": "assignment_new", "timing": "off"},
                {"kind": "assignment_new", "timing": "digest"},
            ],
            "1.kind",
            "Бұл түр бірнеше рет берілген.",
        ),
        ([{"kind": "assignment_new", "timing": None}], "0.timing", "Дұрыс нұсқаны таңдаңыз."),
    ],
    ids=["unknown kind", "unknown choice", "kind twice", "null choice"],
)
def test_a_bad_item_is_refused_in_the_callers_language_and_nothing_is_saved(
    department: User, body: list[dict[str, Any]], field: str, message: str
) -> None:
    answer = patch(client_of(department), body, language="kk")

    assert answer.status_code == 422
    (error,) = answer.json()["detail"]
    assert error["field"] == field and error["message"].startswith(message), error
    assert chosen(department) == {}  # not even the first, valid item


def test_the_service_refuses_an_unknown_kind_or_choice_and_saves_nothing(
    department: User,
) -> None:
    with pytest.raises(ValidationError) as refused:
        services.preferences_save(
            department,
            {"assignment_new": "off", "birthday": "off", "idea_answered": "sometimes"},
        )

    assert set(refused.value.message_dict) == {"birthday", "idea_answered"}
    assert "sometimes" in refused.value.message_dict["idea_answered"][0]
    assert chosen(department) == {}


def test_the_preferences_are_the_callers_own_and_need_a_login(department: User) -> None:
    anonymous = Client()
    assert anonymous.get(PREFERENCES).status_code == 401
    assert patch(anonymous, [{"kind": "assignment_new", "timing": "off"}]).status_code == 401
    assert chosen(department) == {}


def test_the_caller_reads_what_was_sent_to_them_and_why_not(
    co_executed: Callable[[], Assignment], department: User, institution: User
) -> None:
    # The department's letter goes; the school's account has no address.
    co_executed()

    answer = client_of(department).get(SENDS, HTTP_ACCEPT_LANGUAGE="ru")

    assert answer.status_code == 200
    page = answer.json()
    assert page["count"] == 2 and answer["X-Total-Count"] == "2"
    by_channel = {row["channel"]: row for row in page["items"]}
    email, telegram = by_channel[Channel.EMAIL], by_channel[Channel.TELEGRAM]
    assert email["status"] == SendStatus.SENT  # its own row still says queued: the letter went
    assert (email["status_label"], email["reason"], email["reason_label"]) == (
        "Отправлено",
        None,
        "",
    )
    assert email["sent_at"] is not None and email["attempts"] == 1
    assert email["kind"] == "assignment_new" and email["title"].startswith(
        "Новое поручение: № 7-15"
    )
    assert (telegram["status"], telegram["reason"]) == ("skipped", Reason.CHANNEL_OFF)
    assert telegram["reason_label"] == "Канал отключён"

    # The school's account sees its own, not the department's; filtered as the log filters.
    school_client = client_of(institution)
    own = school_client.get(SENDS).json()["items"]
    assert {row["notification"] for row in own} == set(
        Send.objects.filter(notification__recipient=institution).values_list(
            "notification_id", flat=True
        )
    )
    assert {row["notification"] for row in own}.isdisjoint(
        {row["notification"] for row in page["items"]}
    )
    no_email = school_client.get(SENDS, {"reason": "no_email"}).json()
    assert [(row["channel"], row["status"]) for row in no_email["items"]] == [("email", "skipped")]
    assert school_client.get(SENDS, {"status": "sent"}).json()["count"] == 0
    assert school_client.get(SENDS, {"status": "nonsense"}).status_code == 422
    assert school_client.get(SENDS, {"page_size": 1}).json()["count"] == 2
    assert Client().get(SENDS).status_code == 401


def test_the_office_reads_the_log_of_sends_to_those_it_manages_and_nobody_else_does(
    co_executed: Callable[[], Assignment],
    office: User,
    department: User,
    institution: User,
    region: Territory,
) -> None:
    co_executed()
    elsewhere = UserFactory(
        username="elsewhere", role=Role.PROJECT_OFFICE, territory=TerritoryFactory()
    )
    Send.objects.create(
        notification=Notification.objects.create(
            recipient=elsewhere, kind=NotificationKind.ASSIGNMENT_NEW
        ),
        channel=Channel.EMAIL,
        status=SendStatus.SKIPPED,
        reason=Reason.NO_EMAIL,
    )

    answer = client_of(office).get(LOG, HTTP_ACCEPT_LANGUAGE="kk")

    assert answer.status_code == 200
    rows = answer.json()["items"]
    managed = Send.objects.filter(notification__recipient__in=[department, institution])
    assert {row["id"] for row in rows} == set(managed.values_list("pk", flat=True))
    assert {(row["recipient"], row["recipient_name"]) for row in rows} == {
        (department.pk, str(department)),
        (institution.pk, str(institution)),
    }
    school_email = next(
        row for row in rows if row["recipient"] == institution.pk and row["channel"] == "email"
    )
    assert (school_email["status"], school_email["reason"]) == ("skipped", "no_email")
    assert school_email["reason_label"] == "Электрондық пошта мекенжайы жоқ"
    # The page's filters; the administrator reads every send, others none of them.
    assert client_of(office).get(LOG, {"reason": "no_email"}).json()["count"] == 1
    administrator = UserFactory(username="root", role=Role.ADMINISTRATOR)
    assert client_of(administrator).get(LOG).json()["count"] == Send.objects.count()
    for user in (department, institution):
        assert client_of(user).get(LOG).status_code == 403
    assert Client().get(LOG).status_code == 401


def test_the_preferences_are_read_in_one_query_whatever_was_chosen(
    department: User, django_assert_num_queries: Any
) -> None:
    client = client_of(department)
    client.get(PREFERENCES)  # the session's first use
    for kind in NotificationKind.values[:5]:
        services.preferences_save(department, {kind: Timing.OFF})

    # The session and its user, then the choices.
    with django_assert_num_queries(3):
        assert len(client.get(PREFERENCES).json()) == len(NotificationKind.values)
