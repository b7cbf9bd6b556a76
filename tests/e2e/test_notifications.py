"""A deputy akim's phone tells them of a new assignment: the project office issues it, and the
deputy (390×844) sees the bell say 1, finds it on the notifications page and opens the
assignment from there; the same notification went by e-mail and to their Telegram chat (a
stand-in of the Bot API on loopback, linked with the one-time code). Then, still on the phone,
they report on it with a PDF through the assignment's own form; on the whole walk no page,
no request of a page and no link on a page visited answers 403, 404 or an error."""

from __future__ import annotations

import datetime
import re
from typing import Any
from urllib.parse import urldefrag, urlsplit

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.test import override_settings
from django.utils import timezone, translation
from django.utils.translation import gettext

from e2e.conftest import login, screenshot
from kense.accounts.models import User
from kense.assignments import services as assignments
from kense.assignments.models import Assignment, ExecutionReport, ReportOutcome, Status
from kense.core.mail import deliver
from kense.core.models import Attachment, Letter
from kense.notifications import services, telegram
from kense.notifications.models import Channel, Send
from kense.registry.models import Organization
from notifications.standin import TOKEN, serve

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
# A small PDF: the upload check (kense.core.files) reads its first bytes, "%PDF-".
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
# What a link check does not fetch: leaving, and files (downloads and exports).
NOT_FETCHED = re.compile(r"/accounts/logout/|/files/|/export|/download|\.(pdf|docx|xlsx|csv|ics)$")


def links_of(page: Any, origin: str) -> set[str]:
    """The page's same-site links worth fetching (neither leaving nor a file)."""
    hrefs = page.eval_on_selector_all(
        "a[href]", "links => links.filter(a => !a.hasAttribute('download')).map(a => a.href)"
    )
    urls = set()
    for href in hrefs:
        url = urldefrag(href).url
        parts = urlsplit(url)
        if f"{parts.scheme}://{parts.netloc}" == origin and not NOT_FETCHED.search(parts.path):
            urls.add(url)
    return urls


def test_a_deputy_akim_is_told_of_a_new_assignment_on_a_phone_and_reports_on_it(
    demo: Any, browser: Any, live_server: Any, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
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
    origin = live_server.url
    # Every answer the page gets from Kense: its documents and its scripts' requests.
    answers: list[tuple[int, str, str]] = []
    page.on(
        "response",
        lambda response: answers.append(
            (response.status, response.request.resource_type, response.url)
        ),
    )
    script_errors: list[str] = []
    page.on("pageerror", lambda error: script_errors.append(str(error)))
    links: set[str] = set()  # fetched at the end: opening a notification marks it read
    try:
        login(page, deputy.username)
        count = page.locator("header.top [data-testid=bell-count]")
        count.wait_for()
        assert count.inner_text().strip() == "1"
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1
        screenshot(page, "notifications-bell-phone")
        links |= links_of(page, origin)

        page.locator("header.top a.bell").click()
        page.wait_for_url("**/kk/notifications/")
        item = page.locator("ul.notifications li.unread")
        assert item.count() == 1
        assert "Жаңа тапсырма: № E2E-1" in item.inner_text()
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1
        screenshot(page, "notifications-list-phone")
        links |= links_of(page, origin)

        item.locator("a").first.click()
        page.wait_for_url(re.compile(rf".*/kk/assignments/{assignment.pk}/$"))
        assert "оқу марафонын" in page.content()
        assert page.locator("header.top [data-testid=bell-count]").count() == 0
        links |= links_of(page, origin)

        # The report, with a PDF, through the assignment page's own form.
        path = f"/kk/assignments/{assignment.pk}/"
        form = page.locator("form[action$='/report/']")
        assert form.count() == 1
        form.locator("textarea[name=report-text]").fill("Марафон 12 кітапханада өтті")
        form.locator("input[type=file][name=report-attachments]").set_input_files(
            [{"name": "marafon.pdf", "mimeType": "application/pdf", "buffer": PDF}]
        )
        form.locator("button[type=submit]").click()
        page.wait_for_url(f"**{path}")
        with translation.override("kk"):
            sent = gettext("The report is sent to the controller.")
            pending = str(ReportOutcome.PENDING.label)
        assert sent in page.locator("ul.messages").inner_text()
        (report,) = ExecutionReport.objects.filter(assignment=assignment)
        block = page.locator(f"#report-{report.pk}")
        assert pending in block.locator(".badge").inner_text()
        file_link = block.locator("a", has_text="marafon.pdf")
        assert file_link.count() == 1
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1
        screenshot(page, "assignment-report-sent-phone")
        download = page.request.get(file_link.get_attribute("href"))
        assert download.status == 200 and download.body() == PDF
        links |= links_of(page, origin)
        assert script_errors == []
        # As the deputy (the context's cookies): what each link shown on the walk answers.
        statuses = {url: page.request.get(url).status for url in sorted(links)}
    finally:
        context.close()

    assert report.author == deputy and report.text == "Марафон 12 кітапханада өтті"
    assignment.refresh_from_db()
    assert assignment.status == Status.REPORTED
    (attachment,) = Attachment.objects.filter(
        content_type=ContentType.objects.get_for_model(ExecutionReport), object_id=report.pk
    )
    assert (attachment.name, attachment.mime_type, attachment.size) == (
        "marafon.pdf",
        "application/pdf",
        len(PDF),
    )
    assert attachment.uploaded_by == deputy
    with attachment.file.open("rb") as stored:
        assert stored.read() == PDF

    # No dead end on the walk: neither what the page asked for, nor a link it showed.
    failed = [
        (status, url)
        for status, kind, url in answers
        if url.startswith(origin) and kind in ("document", "xhr", "fetch") and status >= 400
    ]
    assert failed == []
    assert sum(kind == "document" for _, kind, _ in answers) >= 5  # login, home, list, page…
    assert len(statuses) > 10  # the menu, the notifications, the assignment's links
    dead = {url: code for url, code in statuses.items() if code in (403, 404) or code >= 500}
    assert dead == {}
