"""A deputy akim's phone tells them of a new assignment: the project office issues it, and the
deputy (390×844) sees the bell say 1, finds it on the notifications page and opens the
assignment from there; the same notification went by e-mail and to their Telegram chat (a
stand-in of the Bot API on loopback, linked with the one-time code)."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.core import mail
from django.test import override_settings
from django.utils import timezone

from e2e.conftest import login, screenshot
from kense.accounts.models import User
from kense.assignments import services as assignments
from kense.assignments.models import Assignment
from kense.core.mail import deliver
from kense.core.models import Letter
from kense.notifications import services, telegram
from kense.notifications.models import Channel, Send
from kense.registry.models import Organization
from notifications.standin import TOKEN, serve

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}


def test_a_deputy_akim_is_told_of_a_new_assignment_on_a_phone(
    demo: Any, browser: Any, live_server: Any
) -> None:
    office = User.objects.get(username="office")
    deputy = User.objects.filter(username__startswith="deputy-", person__isnull=False).order_by(
        "username"
    )[0]
    services.mark_read(deputy)  # what the demo's own story told them is read
    lead = Organization.objects.filter(territory=deputy.territory).order_by("pk")[0]

    with serve() as bot, override_settings(KENSE_TELEGRAM_TOKEN=TOKEN, KENSE_TELEGRAM_API=bot.url):
        code = services.telegram_code(deputy).code
        bot.start(5150, f"/start {code}")
        assert telegram.poll() == 1

        assignment = assignments.assignment_save(
            Assignment(
                text_kk="Аудандағы кітапханаларда оқу марафонын өткізу",
                text_ru="Провести читательский марафон в библиотеках района",
                number="E2E-1",
                source_kind="order",
                order_reference="№ 42",
                lead_organization=lead,
                lead_person=deputy.person,
                deadline=timezone.localdate() + datetime.timedelta(days=14),
                controller=office,
            ),
            user=office,
        )
        # The worker's part: the Telegram sweep and the letter's delivery.
        assert telegram.deliver_due_messages() == 1
        letter = Send.objects.get(notification__recipient=deputy, channel=Channel.EMAIL).letter
        assert letter is not None and deliver(letter.pk) == 1

    (message,) = [m for m in bot.sent() if m["chat_id"] == 5150 and "E2E-1" in m["text"]]
    assert f"/assignments/{assignment.pk}/" in message["text"]
    assert any("E2E-1" in m.subject and deputy.email in m.to for m in mail.outbox)
    assert Letter.objects.get(pk=letter.pk).sent_at is not None

    context = browser.new_context(base_url=live_server.url, viewport=PHONE, locale="kk-KZ")
    page = context.new_page()
    try:
        login(page, deputy.username)
        count = page.locator("header.top [data-testid=bell-count]")
        count.wait_for()
        assert count.inner_text().strip() == "1"
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1
        screenshot(page, "notifications-bell-phone")

        page.locator("header.top a.bell").click()
        page.wait_for_url("**/kk/notifications/")
        item = page.locator("ul.notifications li.unread")
        assert item.count() == 1
        assert "Жаңа тапсырма: № E2E-1" in item.inner_text()
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1
        screenshot(page, "notifications-list-phone")

        item.locator("a").first.click()
        page.wait_for_url(re.compile(rf".*/kk/assignments/{assignment.pk}/$"))
        assert "оқу марафонын" in page.content()
        assert page.locator("header.top [data-testid=bell-count]").count() == 0
    finally:
        context.close()
