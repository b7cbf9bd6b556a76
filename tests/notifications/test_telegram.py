"""The Telegram channel, driven through the real client against a stand-in of the Bot API on
loopback (conftest.BotApi): linking a chat with the one-time code, a notification arriving,
a failure retried, each message sent exactly once, and the log of what never went."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.test import Client
from django.utils import timezone

from kense.accounts.models import User
from kense.assignments import services as assignments
from kense.assignments.models import Assignment
from kense.core.worker import _upkeep_steps
from kense.notifications import services, telegram
from kense.notifications.models import Channel, Reason, Send, SendStatus, TelegramLink
from kense.registry.models import Organization
from notifications.standin import BotApi

Run = Callable[..., Any]


def link(user: User, bot_api: BotApi, chat_id: int) -> TelegramLink:
    code = services.telegram_code(user).code
    bot_api.start(chat_id, f"/start {code}")
    assert telegram.poll() == 1
    return TelegramLink.objects.get(user=user)


def issue(office: User, lead: Organization, person: Any = None) -> Assignment:
    return assignments.assignment_save(
        Assignment(
            text_kk="Кітапханада оқу клубын ашу",
            text_ru="Открыть читательский клуб в библиотеке",
            number="7-15",
            source_kind="order",
            order_reference="№ 15",
            lead_organization=lead,
            lead_person=person,
            deadline=timezone.localdate() + datetime.timedelta(days=30),
            controller=office,
        ),
        user=office,
    )


def test_a_person_links_their_chat_with_the_one_time_code(
    bot_api: BotApi, settings: Any, deputy: User
) -> None:
    client = Client()
    client.force_login(deputy)
    page = client.get("/ru/notifications/settings/").content.decode()
    code = TelegramLink.objects.get(user=deputy).code
    assert code and f"/start {code}" in page

    bot_api.start(4242, f"/start {code}")
    assert telegram.poll() == 1

    linked = TelegramLink.objects.get(user=deputy)
    assert (linked.chat_id, linked.code) == (4242, None)
    assert bot_api.tokens == {settings.KENSE_TELEGRAM_TOKEN}
    (answer,) = bot_api.sent()
    assert answer["chat_id"] == 4242
    assert answer["text"].startswith(f"{deputy}, Kense будет присылать")  # their language
    assert telegram.bot_username() == "kense_office_bot"
    assert "@kense_office_bot" not in client.get("/ru/notifications/settings/").content.decode()
    assert "Telegram привязан" in client.get("/ru/notifications/settings/").content.decode()

    # The update is confirmed (the offset moves on): polling again links nobody twice.
    assert telegram.poll() == 0
    assert len(bot_api.sent()) == 1
    # The code was for one use: sent again from another chat, it is refused.
    bot_api.start(777, f"/start {code}")
    assert telegram.poll() == 0
    assert TelegramLink.objects.get(user=deputy).chat_id == 4242
    assert bot_api.sent()[-1]["chat_id"] == 777
    assert "неизвестен или устарел" in bot_api.sent()[-1]["text"]


def test_a_notification_arrives_in_the_chat_in_the_persons_language_once(
    bot_api: BotApi, committed: Run, office: User, division: Organization, deputy: User
) -> None:
    link(deputy, bot_api, 4242)
    bot_api.calls.clear()

    assignment = committed(issue, office, division, deputy.person)

    (message,) = bot_api.sent()
    assert message["chat_id"] == 4242
    assert message["text"].startswith(
        "Новое поручение: № 7-15 Открыть читательский клуб в библиотеке"
    )
    assert f"https://kense.example.kz/ru/assignments/{assignment.pk}/" in message["text"]
    send = Send.objects.get(notification__recipient=deputy, channel=Channel.TELEGRAM)
    assert (send.status, send.attempts) == (SendStatus.SENT, 1)

    # Delivered again (a retried job, the sweep): nothing more goes.
    assert telegram.deliver(send.pk) == 0
    later = timezone.now() + datetime.timedelta(hours=1)
    assert telegram.deliver_due_messages(now=later) == 0
    assert len(bot_api.sent()) == 1


def test_a_failed_message_is_retried_after_the_lease_and_then_goes_once(
    bot_api: BotApi, committed: Run, office: User, division: Organization, deputy: User
) -> None:
    link(deputy, bot_api, 4242)
    bot_api.calls.clear()
    bot_api.failures = 1

    committed(issue, office, division, deputy.person)

    send = Send.objects.get(notification__recipient=deputy, channel=Channel.TELEGRAM)
    assert (send.status, send.attempts, send.error) == (SendStatus.QUEUED, 1, "Bad Gateway")
    # Not before its claim lapses (another delivery may still hold it).
    assert telegram.deliver_due_messages() == 0
    later = timezone.now() + telegram.LEASE + datetime.timedelta(seconds=1)
    assert telegram.deliver_due_messages(now=later) == 1
    assert telegram.deliver_due_messages(now=later + telegram.LEASE * 2) == 0
    send.refresh_from_db()
    assert (send.status, send.attempts) == (SendStatus.SENT, 2)
    assert len(bot_api.sent()) == 2  # the failed try and the one that went


def test_a_message_that_keeps_failing_is_given_up_and_the_log_says_why(
    bot_api: BotApi, committed: Run, office: User, division: Organization, deputy: User
) -> None:
    link(deputy, bot_api, 4242)
    bot_api.failures = 100

    committed(issue, office, division, deputy.person)
    now = timezone.now()
    for attempt in range(1, telegram.MAX_ATTEMPTS + 2):
        telegram.deliver_due_messages(now=now + telegram.LEASE * 2 * attempt)

    send = Send.objects.get(notification__recipient=deputy, channel=Channel.TELEGRAM)
    assert (send.status, send.reason, send.attempts) == (
        SendStatus.FAILED,
        Reason.FAILED,
        telegram.MAX_ATTEMPTS,
    )
    client = Client()
    client.force_login(office)
    page = client.get("/ru/notifications/log/?channel=telegram").content.decode()
    assert str(deputy) in page and "Bad Gateway" in page


def test_without_a_token_the_channel_is_off_and_the_settings_say_so(
    committed: Run, settings: Any, office: User, division: Organization, deputy: User
) -> None:
    settings.KENSE_TELEGRAM_TOKEN = ""
    committed(issue, office, division, deputy.person)

    send = Send.objects.get(notification__recipient=deputy, channel=Channel.TELEGRAM)
    assert (send.status, send.reason) == (SendStatus.SKIPPED, Reason.CHANNEL_OFF)
    client = Client()
    client.force_login(deputy)
    assert "Канал Telegram отключён" in client.get("/ru/notifications/settings/").content.decode()
    assert telegram.poll() == 0


def test_someone_who_never_linked_is_logged_as_such(
    bot_api: BotApi, committed: Run, office: User, division: Organization, deputy: User
) -> None:
    committed(issue, office, division, deputy.person)

    send = Send.objects.get(notification__recipient=deputy, channel=Channel.TELEGRAM)
    assert (send.status, send.reason) == (SendStatus.SKIPPED, Reason.NO_TELEGRAM)
    assert bot_api.sent() == []


def test_the_worker_polls_and_sends_every_minute(bot_api: BotApi, deputy: User) -> None:
    code = services.telegram_code(deputy).code
    bot_api.start(99, f"/start {code}")

    _upkeep_steps["telegram"]()  # what the worker's upkeep runs

    assert TelegramLink.objects.get(user=deputy).chat_id == 99
