"""The project office's morning, in a real browser: the home says how many assignments are
overdue and that a report awaits acceptance; the office follows the overdue assignment that has
a report waiting from the home page, returns the report with a comment through the
assignment's own form, and the page, the database and the executing side all know it."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext

from e2e.conftest import login, screenshot
from kense.accounts.models import User
from kense.assignments import selectors
from kense.assignments.models import ExecutionReport, ReportOutcome, Status
from kense.notifications.models import Notification, NotificationKind

pytestmark = pytest.mark.e2e

COMMENT = "Мұражай қорының цифрланған тізбесін қоса беріңіз"


def test_the_office_returns_an_overdue_report_from_the_home(demo: Any, page: Any) -> None:
    office = User.objects.get(username="office")
    today = timezone.localdate()
    # The demo's current year: a report waits for the office on an assignment already overdue.
    waiting = [
        report
        for report in selectors.pending_reports(office).select_related("assignment")
        if report.assignment.deadline and report.assignment.deadline < today
    ]
    assert waiting, "the demo has no overdue assignment with a report awaiting the office"
    report = waiting[0]
    assignment = report.assignment
    path = f"/kk/assignments/{assignment.pk}/"

    login(page, "office")
    overdue = page.locator("a.home-figure").first  # the first figure: overdue
    assert int(re.sub(r"\D", "", overdue.locator(".home-number").inner_text())) > 0
    queue = page.locator("ul.home-figure-list a[href$='/assignments/review/']").first
    assert int(re.sub(r"\D", "", queue.locator(".home-count").inner_text())) >= len(waiting)
    screenshot(page, "home-office-morning")

    # "Assignments needing attention" lists it, overdue and with its report waiting.
    with translation.override("kk"):
        reported = str(Status.REPORTED.label)
    item = page.locator(f"ul.home-items li:has(a[href='{path}'])")
    assert item.count() == 1
    assert item.locator(".light-overdue").count() == 1
    assert reported in item.inner_text()
    item.locator(f"a[href='{path}']").click()
    page.wait_for_url(f"**{path}")

    block = page.locator(f"#report-{report.pk}")
    form = block.locator("form[action$='/review/']")
    assert form.count() == 1
    form.locator("textarea").fill(COMMENT)
    form.locator("button[value=return]").click()
    page.wait_for_url(f"**{path}")

    with translation.override("kk"):
        returned_message = gettext("The report is returned.")
        returned_label = str(ReportOutcome.RETURNED.label)
    assert returned_message in page.locator("ul.messages").inner_text()
    block = page.locator(f"#report-{report.pk}")
    assert returned_label in block.locator(".badge").inner_text()
    assert COMMENT in block.inner_text()
    assert block.locator("form[action$='/review/']").count() == 0
    assert page.javascript_errors == []
    screenshot(page, "assignment-report-returned")

    report = ExecutionReport.objects.get(pk=report.pk)
    assert report.outcome == ReportOutcome.RETURNED
    assert report.review_comment == COMMENT
    assert report.reviewed_by == office
    assignment.refresh_from_db()
    assert assignment.status == Status.UNDER_CONTROL
    told = Notification.objects.filter(
        recipient=report.author,
        kind=NotificationKind.REPORT_RETURNED,
        target_id=assignment.pk,
        context__note=COMMENT,
    )
    assert told.count() == 1
