"""A work plan from draft to approval, and an emergency from declaration to rescheduling, in a
browser.

Saran's coordinator drafts next year's work plan of Saran city with two items and submits it;
the project office returns it with a comment; the coordinator reads the comment, changes an
item (the versions page shows the change against the submitted version) and resubmits; the
office approves it.

The project office plans three events for next spring through the event form (two in person,
in Saran city and Abai district, and one online), declares a quarantine over Karaganda region
from a date before them, postpones the in-person ones in bulk (the online one is left
unticked), lifts the quarantine, confirms the assistant's dates for one event, is refused a
date inside the quarantine for the other and then gives it a date of its own.

Everything is dated next year, so that nothing mixes with the demo's 2019–2020 data.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.utils import timezone

from e2e.conftest import login, screenshot
from kense.events.models import Emergency, Event, EventStatus, PlanStatus, PlanVersion, WorkPlan
from kense.registry.demo import REGION

pytestmark = pytest.mark.e2e

NEXT_YEAR = timezone.localdate().year + 1
SARAN = "Саран қаласы"
ABAI = "Абай ауданы"
SARAN_AKIMAT = "Саран қаласының әкімдігі"
SARAN_CULTURE = "Саран қаласының мәдениет және тілдерді дамыту бөлімі"
ABAI_AKIMAT = "Абай ауданының әкімдігі"
PROGRAM = "Рухани жаңғыру"
PLAN_KK = f"Саран қаласының {NEXT_YEAR} жылға арналған жұмыс жоспары"
PLAN_RU = f"План работы города Сарани на {NEXT_YEAR} год"
COMMENT = "Екінші тармақтың мерзімін мамыр айына ауыстырыңыз."
REASON = "Облыста карантин жарияланды: көпшілік жиындарға тыйым салынды."


def day(month: int, day_of_month: int) -> datetime.date:
    return datetime.date(NEXT_YEAR, month, day_of_month)


# Helpers ---------------------------------------------------------------------------------------


def path_of(page: Any) -> str:
    return re.sub(r"^https?://[^/]+", "", page.url)


def submit(page: Any, button: Any, url: str | re.Pattern[str]) -> None:
    """Click a submit button and wait for the page it leads to."""
    with page.expect_navigation(url=url):
        button.click()


def success(page: Any) -> str:
    """The green message of the page a form led to (else what the page says instead)."""
    messages = page.locator("ul.messages li.success")
    assert messages.count() >= 1, f"{page.url}: {page.locator('body').inner_text()[:2000]}"
    return messages.first.inner_text()


def switch_user(page: Any, username: str) -> None:
    page.context.clear_cookies()
    login(page, username)


def badge(page: Any) -> str:
    """The status badge's class on a plan's or an event's page."""
    classes = page.locator("dl.facts .badge").first.get_attribute("class") or ""
    return classes.replace("badge", "").strip()


PLAN_PAGE = re.compile(r"/kk/events/plans/\d+/$")


# The work plan ---------------------------------------------------------------------------------


def add_plan_item(
    page: Any,
    plan_path: str,
    *,
    title_kk: str,
    title_ru: str,
    responsible: str,
    start: datetime.date,
    end: datetime.date,
) -> None:
    submit(page, page.locator("a.button[href$='/items/add/']"), re.compile(r"/items/add/$"))
    page.fill("#id_title_kk", title_kk)
    page.fill("#id_title_ru", title_ru)
    page.select_option("#id_responsible", label=responsible)
    page.fill("#id_start", start.isoformat())
    page.fill("#id_end", end.isoformat())
    submit(page, page.locator("form.edit button[type=submit]"), plan_path)
    success(page)


def test_work_plan_is_returned_corrected_and_approved(demo: Any, page: Any) -> None:
    # Saran's coordinator drafts next year's plan of Saran city.
    login(page, "saran")
    page.goto("/kk/events/plans/")
    submit(page, page.locator("a[href$='/plans/add/']").first, re.compile(r"/plans/add/$"))
    page.fill("#id_title_kk", PLAN_KK)
    page.fill("#id_title_ru", PLAN_RU)
    page.select_option("#id_territory", label=SARAN)
    page.select_option("#id_organization", label=SARAN_AKIMAT)
    page.fill("#id_year", str(NEXT_YEAR))
    submit(page, page.locator("form.edit button[type=submit]"), PLAN_PAGE)
    success(page)
    plan_path = path_of(page)
    plan = WorkPlan.objects.get(title_kk=PLAN_KK)
    assert (plan.territory.name_kk, plan.year, plan.status) == (SARAN, NEXT_YEAR, "draft")
    assert badge(page) == PlanStatus.DRAFT

    add_plan_item(
        page,
        plan_path,
        title_kk="«Туған жер» жобасы бойынша өлкетану конференциясы",
        title_ru="Краеведческая конференция по проекту «Туған жер»",
        responsible=SARAN_CULTURE,
        start=day(3, 12),
        end=day(3, 12),
    )
    add_plan_item(
        page,
        plan_path,
        title_kk="Саран қаласының шежіресі кітабының тұсаукесері",
        title_ru="Презентация книги «Летопись города Сарани»",
        responsible=SARAN_AKIMAT,
        start=day(4, 20),
        end=day(4, 21),
    )
    rows = page.locator("table").first.locator("tbody tr")
    assert rows.count() == 2
    assert "Саран қаласының шежіресі" in rows.nth(1).inner_text()

    submit(page, page.locator(f"form[action='{plan_path}submit/'] button"), plan_path)
    success(page)
    assert badge(page) == PlanStatus.SUBMITTED
    # A submitted plan's items are frozen: no more editing by the coordinator.
    assert page.locator("a.button[href$='/items/add/']").count() == 0

    # The project office returns it with a comment.
    switch_user(page, "office")
    page.goto(plan_path)
    page.fill("#id_comment", COMMENT)
    submit(page, page.locator(f"form[action='{plan_path}return/'] button"), plan_path)
    success(page)
    assert badge(page) == PlanStatus.RETURNED

    # The coordinator reads the comment and moves the second item to May.
    switch_user(page, "saran")
    page.goto(plan_path)
    assert badge(page) == PlanStatus.RETURNED
    assert COMMENT in page.locator("section[role=note]").inner_text()
    screenshot(page, "plan-returned")
    edit = page.locator("table").first.locator("tbody tr").nth(1).locator("td a")
    submit(page, edit, re.compile(r"/items/\d+/$"))
    assert COMMENT in page.locator("[role=note]").inner_text()
    page.fill("#id_start", day(5, 14).isoformat())
    page.fill("#id_end", day(5, 15).isoformat())
    submit(page, page.locator("form.edit button[type=submit]"), plan_path)
    success(page)

    # The versions page compares the submitted version with the corrected items.
    submit(page, page.locator(f"a.button[href='{plan_path}versions/']"), re.compile(r"/versions/"))
    changed = page.locator("section.card", has=page.locator("h2", has_text="(1)")).filter(
        has=page.locator("ins")
    )
    assert changed.count() == 1
    text = changed.inner_text()
    assert "Саран қаласының шежіресі" in text
    assert str(NEXT_YEAR) in text
    assert page.locator("tr.added").count() == 0
    assert page.locator("tr.removed").count() == 0
    assert page.locator("td ins").count() == 2  # the start and the end moved
    screenshot(page, "plan-versions")

    # Resubmitted, then approved by the office.
    page.goto(plan_path)
    submit(page, page.locator(f"form[action='{plan_path}submit/'] button"), plan_path)
    success(page)
    assert badge(page) == PlanStatus.SUBMITTED

    switch_user(page, "office")
    page.goto(plan_path)
    submit(page, page.locator(f"form[action='{plan_path}approve/'] button"), plan_path)
    success(page)
    assert badge(page) == PlanStatus.APPROVED
    assert "Жұмағұлов" in page.locator("dl.facts").inner_text()  # approved by
    screenshot(page, "plan-approved")
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED
    # The frozen copy is the corrected one (a resubmission replaces the returned version).
    frozen = PlanVersion.objects.get(plan=plan)
    assert [item["start"] for item in frozen.items] == [
        day(3, 12).isoformat(),
        day(5, 14).isoformat(),
    ]
    assert page.javascript_errors == []


# The emergency ---------------------------------------------------------------------------------


def create_event(
    page: Any,
    *,
    title_kk: str,
    title_ru: str,
    territory: str,
    organizer: str,
    event_format: str,
    start: datetime.date,
    end: datetime.date,
) -> Event:
    page.goto("/kk/events/add/")
    page.fill("#id_title_kk", title_kk)
    page.fill("#id_title_ru", title_ru)
    page.select_option("#id_program", label=PROGRAM)
    page.select_option("#id_organizer", label=organizer)
    page.select_option("#id_territory", label=territory)
    page.select_option("#id_format", event_format)
    if event_format == "online":
        page.fill("#id_link", "https://youtube.com/live/kense-demo")
    else:
        page.fill("#id_venue", "Мәдениет үйі")
    page.fill("#id_start", start.isoformat())
    page.fill("#id_end", end.isoformat())
    page.check("input[name=audience][value=youth]")
    page.fill("#id_planned_reach", "120")
    submit(page, page.locator("form.edit button[type=submit]"), re.compile(r"/events/\d+/$"))
    success(page)
    assert page.locator("h1").inner_text() == title_kk
    assert badge(page) == EventStatus.PLANNED
    return Event.objects.get(title_kk=title_kk)


def test_quarantine_postpones_events_and_they_are_rescheduled(demo: Any, page: Any) -> None:
    login(page, "office")
    # Three events of next spring, each through the event form.
    concert = create_event(
        page,
        title_kk="Наурыз мерекесіне арналған концерт",
        title_ru="Концерт к празднику Наурыз",
        territory=SARAN,
        organizer=SARAN_AKIMAT,
        event_format="in_person",
        start=day(4, 10),
        end=day(4, 10),
    )
    forum = create_event(
        page,
        title_kk="Абай ауданының жастар форумы",
        title_ru="Молодёжный форум Абайского района",
        territory=ABAI,
        organizer=ABAI_AKIMAT,
        event_format="in_person",
        start=day(4, 17),
        end=day(4, 18),
    )
    webinar = create_event(
        page,
        title_kk="Саран тарихы туралы онлайн-дәріс",
        title_ru="Онлайн-лекция об истории Сарани",
        territory=SARAN,
        organizer=SARAN_CULTURE,
        event_format="online",
        start=day(4, 14),
        end=day(4, 14),
    )

    # A quarantine over the whole region from before them, until lifted.
    page.goto("/kk/events/emergencies/")
    submit(page, page.locator("a[href$='/emergencies/add/']").first, re.compile(r"/add/$"))
    page.select_option("#id_kind", "quarantine")
    page.fill("#id_title_kk", f"{NEXT_YEAR} жылғы көктемгі карантин")
    page.fill("#id_title_ru", f"Весенний карантин {NEXT_YEAR} года")
    page.select_option("#id_territories", label=REGION.kk)
    page.fill("#id_start", day(3, 20).isoformat())
    page.fill("#id_act_number", "12-к")
    page.fill("#id_act_date", day(3, 19).isoformat())
    page.select_option("#id_restricts", "in_person")
    submit(
        page,
        page.locator("form.edit button[type=submit]"),
        re.compile(r"/emergencies/\d+/$"),
    )
    success(page)
    emergency_path = path_of(page)
    quarantine = Emergency.objects.get(title_kk=f"{NEXT_YEAR} жылғы көктемгі карантин")
    assert [t.name_kk for t in quarantine.territories.all()] == [REGION.kk]

    # The preview: the in-person events ticked, the online one offered but not ticked.
    submit(page, page.locator("a.button[href$='/postpone/']"), re.compile(r"/postpone/$"))
    boxes = page.locator("input[name=events]")
    ours = {concert.pk, forum.pk, webinar.pk}
    assert ours <= {int(value) for value in [b.get_attribute("value") for b in boxes.all()]}
    assert page.locator(f"#event-{concert.pk}").is_checked()
    assert page.locator(f"#event-{forum.pk}").is_checked()
    assert not page.locator(f"#event-{webinar.pk}").is_checked()
    online_row = page.locator("tbody tr", has=page.locator(f"#event-{webinar.pk}"))
    assert online_row.locator(".badge.active").count() == 1  # "may go on"
    for box in boxes.all():  # nobody else's events, should a future one exist
        if int(box.get_attribute("value")) not in ours:
            box.uncheck()
    page.fill("#id_reason", REASON)
    screenshot(page, "emergency-postpone-preview")
    submit(page, page.locator("form.card button[type=submit]"), emergency_path)
    success(page)
    postponed_rows = page.locator("section.card").first.locator("table tbody tr")
    assert postponed_rows.count() == 2
    assert postponed_rows.locator(".badge.postponed").count() == 2

    for event in (concert, forum):
        page.goto(f"/kk/events/{event.pk}/")
        assert badge(page) == EventStatus.POSTPONED
        facts = page.locator("dl.facts").inner_text()
        assert REASON in facts
        assert quarantine.title_kk in facts
    page.goto(f"/kk/events/{webinar.pk}/")
    assert badge(page) == EventStatus.PLANNED

    # Lifted on 15 May: the assistant proposes dates from then on, in the same order.
    page.goto(emergency_path)
    submit(page, page.locator("a.button[href$='/lift/']"), re.compile(r"/lift/$"))
    page.fill("#id_lifted_on", day(5, 15).isoformat())
    submit(page, page.locator("form.edit button[type=submit]"), re.compile(r"/reschedule/$"))
    success(page)
    reschedule_path = path_of(page)
    rows = page.locator("section.card table tbody tr")
    assert rows.count() == 2
    concert_row = page.locator("tbody tr", has_text="Наурыз мерекесіне арналған концерт")
    forum_row = page.locator("tbody tr", has_text="Абай ауданының жастар форумы")
    assert concert_row.locator("input[name=start]").input_value() == day(5, 15).isoformat()
    # A week after the first, as the originals were; two days long, as it was.
    assert forum_row.locator("input[name=start]").input_value() == day(5, 22).isoformat()
    assert forum_row.locator("input[name=end]").input_value() == day(5, 23).isoformat()
    screenshot(page, "emergency-reschedule")

    # The concert keeps the proposed date.
    submit(page, concert_row.locator("button[type=submit]"), reschedule_path)
    assert "Наурыз мерекесіне арналған концерт" in success(page)
    assert page.locator("tbody tr", has_text="Наурыз мерекесіне арналған концерт").count() == 0

    # The forum cannot go back into the quarantine…
    forum_row = page.locator("tbody tr", has_text="Абай ауданының жастар форумы")
    forum_row.locator("input[name=start]").fill(day(5, 8).isoformat())
    forum_row.locator("input[name=end]").fill(day(5, 9).isoformat())
    submit(page, forum_row.locator("button[type=submit]"), reschedule_path)
    forum_row = page.locator("tbody tr", has_text="Абай ауданының жастар форумы")
    refusal = forum_row.locator("ul.errorlist").inner_text()
    assert day(5, 15).isoformat() in refusal  # "…fall before the lifting (…)"
    assert page.locator("ul.messages li.success").count() == 0
    screenshot(page, "emergency-reschedule-refused")
    forum.refresh_from_db()
    assert (forum.status, forum.start) == (EventStatus.POSTPONED, day(4, 17))

    # …so the office picks 5–6 June instead.
    forum_row.locator("input[name=start]").fill(day(6, 5).isoformat())
    forum_row.locator("input[name=end]").fill(day(6, 6).isoformat())
    submit(page, forum_row.locator("button[type=submit]"), reschedule_path)
    success(page)
    assert page.locator("section.card table").count() == 0  # nothing waits any more

    for event, start, end in (
        (concert, day(5, 15), day(5, 15)),
        (forum, day(6, 5), day(6, 6)),
    ):
        event.refresh_from_db()
        assert (event.status, event.start, event.end) == (EventStatus.PLANNED, start, end)
        assert event.emergency_id == quarantine.pk  # still a justified postponement
        page.goto(f"/kk/events/{event.pk}/")
        assert badge(page) == EventStatus.PLANNED
        dates = page.locator("dl.facts dd").nth(1).inner_text()
        assert str(NEXT_YEAR) in dates
        assert str(start.day) in dates
    screenshot(page, "emergency-rescheduled-event")
    webinar.refresh_from_db()
    assert (webinar.status, webinar.start) == (EventStatus.PLANNED, day(4, 14))
    assert page.javascript_errors == []
