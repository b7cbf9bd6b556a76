"""The reminder engine: a letter goes exactly once, a rolled-back one goes on the next run,
each in its recipient's language with absolute links under that language's prefix."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.conf.urls.i18n import i18n_patterns
from django.core import mail
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.utils import translation
from django.utils.formats import date_format
from tests.factories import UserFactory

from kense.accounts.models import User
from kense.assignments.models import Reminder, ReminderKind
from kense.core.reminders import already_sent, days_before, language_of, page_url, send_once

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


def letter_page(request: HttpRequest, pk: int) -> HttpResponse:
    return HttpResponse()


urlpatterns = i18n_patterns(path("letters/<int:pk>/", letter_page, name="letter"))

# A letter of its own, so that the engine is tested apart from any app's letters: the
# subject is a translated word, the body a date (formatted in the language) and a link.
TEMPLATES = {
    "letters/note_subject.txt": "{% load i18n %}{% translate 'Overdue' %}",
    "letters/note_body.txt": "{{ day }} {{ url }}",
}
DAY = datetime.date(2020, 4, 21)


@pytest.fixture(autouse=True)
def _letters(settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.KENSE_BASE_URL = "https://kense.example.kz/"
    settings.TEMPLATES = [
        {
            "BACKEND": "django.template.backends.django.DjangoTemplates",
            "OPTIONS": {"loaders": [("django.template.loaders.locmem.Loader", TEMPLATES)]},
        }
    ]


def note(user: User, *, template: str = "letters/note") -> bool:
    """Send the day's note to a user once, as a reminder step would."""
    return send_once(
        Reminder,
        key={
            "kind": ReminderKind.DAILY_DIGEST,
            "assignment": None,
            "recipient": user,
            "key": DAY.isoformat(),
        },
        to=user,
        template=template,
        context={"day": DAY, "url": page_url("letter", [7], language_of(user))},
    )


@pytest.fixture
def send(django_capture_on_commit_callbacks: Any) -> Callable[..., bool]:
    """`note` as the worker runs it: the letter leaves when its transaction commits."""

    def send_note(user: User, **kwargs: Any) -> bool:
        with django_capture_on_commit_callbacks(execute=True):
            return note(user, **kwargs)

    return send_note


def in_language(language: str, text: Callable[[], str]) -> str:
    with translation.override(language):
        return text()


def test_a_letter_goes_once_however_often_it_is_sent(send: Callable[..., bool]) -> None:
    user = UserFactory(language="kk")

    assert send(user) is True
    assert send(user) is False

    assert [letter.to for letter in mail.outbox] == [[user.email]]
    row = Reminder.objects.get()
    assert (row.recipient, row.email, row.key) == (user, user.email, "2020-04-21")
    logged = already_sent(Reminder.objects.all(), ("kind", "recipient_id", "key"))
    assert logged == {(ReminderKind.DAILY_DIGEST, user.pk, "2020-04-21")}


class RolledBack(Exception):
    """The surrounding change failed after the letter was queued."""


def test_a_rolled_back_letter_leaves_no_row_and_goes_on_the_next_run(
    send: Callable[..., bool], django_capture_on_commit_callbacks: Any
) -> None:
    user = UserFactory(language="kk")

    on_commit = django_capture_on_commit_callbacks(execute=True)
    with on_commit, pytest.raises(RolledBack), transaction.atomic():
        assert note(user) is True
        raise RolledBack

    assert not Reminder.objects.exists()
    assert mail.outbox == []
    assert send(user) is True
    assert len(mail.outbox) == 1
    assert Reminder.objects.count() == 1


def test_a_letter_that_fails_to_render_leaves_no_row(send: Callable[..., bool]) -> None:
    user = UserFactory(language="kk")

    assert send(user, template="letters/missing") is False

    assert not Reminder.objects.exists()
    assert mail.outbox == []
    assert send(user) is True


def test_each_letter_is_in_its_recipients_language(send: Callable[..., bool]) -> None:
    kazakh, russian = UserFactory(language="kk"), UserFactory(language="ru")

    send(kazakh)
    send(russian)

    to_kazakh, to_russian = mail.outbox
    assert to_kazakh.subject == "Мерзімі өткен"
    assert to_russian.subject == "Просрочено"
    assert in_language("kk", lambda: date_format(DAY)) in to_kazakh.body
    assert in_language("ru", lambda: date_format(DAY)) in to_russian.body
    assert "https://kense.example.kz/kk/letters/7/" in to_kazakh.body
    assert "https://kense.example.kz/ru/letters/7/" in to_russian.body


def test_a_page_url_is_absolute_under_the_language_prefix() -> None:
    with translation.override("en"):  # whatever language is active where it is built
        assert page_url("letter", [7], "kk") == "https://kense.example.kz/kk/letters/7/"
        assert page_url("letter", [7], "ru") == "https://kense.example.kz/ru/letters/7/"


@dataclass
class Someone:
    email: str
    language: str


def test_a_user_without_a_language_gets_the_sites(settings: Any) -> None:
    settings.LANGUAGE_CODE = "ru"

    assert language_of(Someone(email="a@example.kz", language="")) == "ru"
    assert language_of(Someone(email="a@example.kz", language="kk")) == "kk"


def test_days_before_are_positive_distinct_and_largest_first(settings: Any) -> None:
    settings.KENSE_REMINDER_DAYS_BEFORE = (1, 7, 0, 3, 7, -2)

    assert days_before() == (7, 3, 1)
