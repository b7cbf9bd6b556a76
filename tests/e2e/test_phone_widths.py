"""Every page fits its screen: on a phone (390×844) and on a laptop (1366×768) no page of the
demo scrolls sideways, for the project office, a territory's coordinator and an institution.

The sweep visits the home page, every page the user's menu links to and the object pages of one
of each kind the user may see (a meeting, an assignment, an event, a plan and its versions, a
report with its form and its reporting rates, a territory and its passport, an emergency, an
indicator, a methodology, an organization, a person, a project, an idea, a publication, a
document, an invitation group where the user may define them), the profile, the ranking, the
discipline, the targets, the methodologies and the invitation groups, and measures the
document's width against the window's. It also checks the header on a
phone: one line, the navigation folded under a "Menu" button that opens it, its links tall
enough for a finger.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db.models import Count
from django.urls import reverse
from django.utils import translation

from e2e.conftest import TIMEOUT_MS, login, screenshot
from kense.accounts.models import User
from kense.assignments.models import Assignment
from kense.core.permissions import can_add, restrict
from kense.documents.models import Document
from kense.events.models import Event, WorkPlan
from kense.events.selectors.emergencies import emergency_list
from kense.ideas.models import Idea
from kense.indicators.models import Indicator, Methodology, Report, ReportForm
from kense.media.models import Publication
from kense.meetings.models import InvitationGroup, Meeting
from kense.programs.models import Project
from kense.registry.models import Organization, Person, Territory

pytestmark = pytest.mark.e2e

ROLES = ("office", "saran", "school")
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 768}
# Pages every role may open that the menu does not link to directly.
PAGES = (
    "accounts:profile",
    "indicators:ranking",
    "indicators:results",
    "events:event_calendar",
    "assignments:assignment_list",
    "assignments:discipline",
    "indicators:target_list",
    "indicators:methodology_list",
    "meetings:group_list",
)
# A finger needs about this many CSS pixels of height to hit a link or a button.
TAP_HEIGHT = 40


def object_pages(username: str) -> list[str]:
    """One page of each kind of object the user may see: the fullest one where fullness is
    what makes a page wide (a meeting's participants and agenda, a plan's items, an
    emergency's postponed events), and the pages of tables around them (a plan's versions, a
    report's rates, a city's passport)."""
    user = User.objects.get(username=username)
    with translation.override("kk"):
        plan = (
            restrict(WorkPlan.objects, user).annotate(size=Count("items")).order_by("-size", "pk")
        ).first()
        report = restrict(Report.objects, user).order_by("pk").first()
        chosen: list[Any] = [
            restrict(Meeting.objects, user)
            .annotate(size=Count("participants", distinct=True) + Count("items", distinct=True))
            .order_by("-size", "pk")
            .first(),
            plan,
            emergency_list(user).annotate(size=Count("events")).order_by("-size", "pk").first(),
        ]
        chosen += [
            restrict(model.objects, user).order_by("pk").first()
            for model in (
                Assignment,
                Event,
                Report,
                ReportForm,
                Territory,
                Indicator,
                Methodology,
                Organization,
                Person,
                Project,
                Idea,
                Publication,
                Document,
            )
        ]
        pages = [obj.get_absolute_url() for obj in chosen if obj is not None]
        if plan is not None:
            pages.append(reverse("events:plan_versions", args=[plan.pk]))
        if report is not None:
            rates = reverse("indicators:rates")
            pages.append(f"{rates}?form={report.form_id}&year={report.year}")
            pages.append(reverse("indicators:passport", args=[report.territory_id]))
        group = restrict(InvitationGroup.objects, user).order_by("pk").first()
        if group is not None and can_add(user, InvitationGroup):
            pages.append(reverse("meetings:group_edit", args=[group.pk]))
        return [*pages, *(reverse(name) for name in PAGES)]


def too_wide(page: Any, width: int) -> list[str]:
    """The outermost elements that reach past the window's right edge, for the failure's
    message: a tag, its classes and the start of its text."""
    found: list[str] = page.evaluate(
        """width => {
          const found = [];
          for (const element of document.querySelectorAll('body *')) {
            const right = element.getBoundingClientRect().right;
            const parent = element.parentElement.getBoundingClientRect().right;
            if (right > width + 1 && parent <= width + 1) {
              const text = (element.textContent || '').trim().slice(0, 40);
              const name = `${element.tagName.toLowerCase()}.${element.className}`;
              found.push(`${name} → ${Math.round(right)} px «${text}»`);
            }
          }
          return found.slice(0, 3);
        }""",
        width,
    )
    return found


def sweep(page: Any, urls: list[str], width: int) -> list[str]:
    offenders = []
    for url in urls:
        response = page.goto(url, wait_until="load")
        assert response is not None and response.status < 400, (url, response and response.status)
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        inner_width = page.evaluate("window.innerWidth")
        if scroll_width > inner_width + 1:
            offenders.append(f"{url}: {scroll_width} px ({'; '.join(too_wide(page, inner_width))})")
    return offenders


def check_phone_header(page: Any, username: str) -> None:
    """On a phone the header is one line (brand, bell, account, Menu); the menu opens and
    closes with the button, which says whether it is open."""
    page.goto("/kk/")
    header = page.locator("header.top")
    button = header.locator("button.menu-toggle")
    navigation = header.locator("nav")
    assert button.is_visible() and button.get_attribute("aria-expanded") == "false"
    assert button.get_attribute("aria-controls") == "top-menu"
    assert not navigation.is_visible()
    assert header.bounding_box()["height"] < 64, "the folded header takes more than one line"
    assert button.bounding_box()["height"] >= TAP_HEIGHT
    button.click()
    assert button.get_attribute("aria-expanded") == "true"
    assert navigation.is_visible()
    links = navigation.locator("a")
    assert links.count() > 3
    short = [
        (link.inner_text(), box["height"])
        for link in links.all()
        if (box := link.bounding_box()) is not None and box["height"] < TAP_HEIGHT
    ]
    assert short == [], short
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1
    screenshot(page, f"phone-menu-open-{username}")
    page.keyboard.press("Escape")
    assert button.get_attribute("aria-expanded") == "false"
    assert not navigation.is_visible()


def test_no_page_scrolls_sideways_on_a_phone_or_a_laptop(demo: Any, browser: Any) -> None:
    offenders: list[str] = []
    for username in ROLES:
        objects = object_pages(username)
        for viewport in (PHONE, LAPTOP):
            context = browser.new_context(
                base_url=demo.url, viewport=viewport, locale="kk-KZ", is_mobile=False
            )
            context.set_default_timeout(TIMEOUT_MS)
            page = context.new_page()
            try:
                login(page, username)
                menu = page.eval_on_selector_all(
                    "header.top nav a", "links => links.map(link => link.getAttribute('href'))"
                )
                assert menu, f"{username} has no menu"
                if viewport is PHONE:
                    check_phone_header(page, username)
                else:
                    assert not page.locator("header.top button.menu-toggle").is_visible()
                    assert page.locator("header.top nav").is_visible()
                urls = list(dict.fromkeys(["/kk/", *menu, *objects]))
                found = sweep(page, urls, viewport["width"])
                offenders += [f"{username} at {viewport['width']}: {line}" for line in found]
            finally:
                context.close()
    assert offenders == [], "pages wider than the screen:\n" + "\n".join(offenders)
