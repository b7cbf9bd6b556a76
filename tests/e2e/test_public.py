"""The open pages as the public reads them: on a phone and a laptop, in Kazakh and Russian,
with no login and no script; light (each page, with everything it loads, under 200 KB),
without serious or critical accessibility faults, and usable from the keyboard alone."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from e2e.test_accessibility import describe, grave_violations
from kense.public import selectors
from kense.registry.models import Territory

pytestmark = pytest.mark.e2e

SIZES = {"laptop": (1366, 768), "phone": (390, 844)}
PAGE_BUDGET = 200 * 1024


def open_pages(language: str) -> list[str]:
    """A visitor's way down: the home page, the region, a district, and the published
    project, event, meeting, ranking and guideline of the demo; the ideas and the open data."""
    shet = Territory.objects.get(name_kk="Шет ауданы")
    project = selectors.published_projects().order_by("pk").first()
    event = selectors.published_events().filter(status="held").order_by("pk").first()
    meeting = selectors.published_meetings().filter(state="approved").order_by("pk").first()
    ranking = selectors.published_rankings().order_by("pk").first()
    document = selectors.published_documents().order_by("pk").first()
    assert project and event and meeting and ranking and document, "the demo publishes each kind"
    with translation.override(language):
        return [
            reverse("public:home"),
            reverse("public:territory", args=[shet.parent_id]),
            reverse("public:territory", args=[shet.pk]),
            reverse("public:project", args=[project.pk]),
            reverse("public:event", args=[event.pk]),
            reverse("public:meeting", args=[meeting.pk]),
            reverse("public:ranking", args=[ranking.pk]),
            reverse("public:guideline", args=[document.pk]),
            reverse("public:idea_list"),
            reverse("public:data"),
        ]


@pytest.mark.parametrize("language", ["kk", "ru"])
@pytest.mark.parametrize("size", sorted(SIZES))
def test_the_open_pages_are_light_accessible_and_need_no_script(
    page: Any, demo: Any, language: str, size: str
) -> None:
    page.set_viewport_size(dict(zip(("width", "height"), SIZES[size], strict=True)))
    faults = []
    for url in open_pages(language):
        sizes: list[int] = []

        def count(response: Any, sizes: list[int] = sizes) -> None:
            sizes.append(len(response.body()))

        page.on("response", count)
        answer = page.goto(url)
        page.wait_for_load_state("networkidle")
        page.remove_listener("response", count)
        assert answer is not None and answer.status == 200, url
        assert page.locator("script").count() == 0, f"{url} has a script"
        assert sum(sizes) <= PAGE_BUDGET, f"{url}: {sum(sizes)} bytes"
        assert page.locator("html").get_attribute("lang") == language
        # Nothing wider than the screen: a phone never scrolls sideways.
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= SIZES[size][0], f"{url} is {width}px wide on a {size}"
        assert page.locator("main").count() == 1 and page.locator("header").count() == 1
        # No control that needs a script: no map tools, nothing posing as a button.
        assert page.locator("main [role=button], main .map-tools").count() == 0, url
        violations = grave_violations(page)
        if violations:
            faults.append(describe(url, violations))
    assert not faults, "\n".join(faults)
    assert not page.javascript_errors


def test_the_keyboard_alone_reaches_the_content_and_follows_links(page: Any, demo: Any) -> None:
    page.goto(reverse("public:home"))
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    assert skip.evaluate("element => element === document.activeElement")
    page.keyboard.press("Enter")
    assert page.url.endswith("#content")
    # Tab on to the first link of the content, and Enter opens it.
    for _ in range(30):
        page.keyboard.press("Tab")
        inside = page.evaluate(
            "() => !!document.activeElement.closest('main') && document.activeElement.tagName"
        )
        if inside == "A":
            break
    target = page.evaluate("() => document.activeElement.getAttribute('href')")
    assert target
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{target}")


def test_a_resident_on_a_phone_proposes_supports_and_reads_the_answer(
    browser: Any, page: Any, demo: Any
) -> None:
    """Issue 16's whole loop: a resident on a 390-px screen opens the district's page, reads a
    project's trail, proposes an idea with a confirmed address and supports another; the office
    accepts the idea into the project with an answer; the resident reads the answer, receives
    the letter and finds the idea at the head of the project's trail."""
    from kense.core.models import Letter
    from kense.ideas.models import Idea

    email = "aigerim.resident@example.kz"
    shet = Territory.objects.get(name_kk="Шет ауданы")
    project = selectors.published_projects().filter(territory=shet).order_by("pk").first()
    assert project is not None, "the demo publishes a project of Shet district"
    page.set_viewport_size({"width": 390, "height": 844})

    # The district's page, reached from the home page as a person would.
    page.goto(reverse("public:home"))
    page.get_by_role("link", name=shet.parent.name, exact=True).first.click()
    page.get_by_role("link", name="Шет ауданы", exact=True).first.click()
    assert page.locator("h1").inner_text() == "Шет ауданы"
    page.get_by_role("link", name=project.name).first.click()
    assert page.locator("#trail-heading").is_visible()

    # Propose an idea: the address, the code from the letter, the idea.
    page.goto(reverse("public:territory", args=[shet.pk]))
    page.locator("a.button", has_text="Идея ұсыну").click()
    page.fill("input[name=email]", email)
    page.check("input[name=consent]")
    page.locator("form.idea-form button[type=submit]").click()
    letter = Letter.objects.filter(recipients=[email]).latest("pk")
    code = next(word for word in letter.subject.split() if word.isdigit() and len(word) == 6)
    page.fill("input[name=code]", code)
    page.locator("form.idea-form button[type=submit]").click()
    page.select_option("select[name=territory]", str(shet.pk))
    page.fill("input[name=title]", "Ауылдағы мектепте өлкетану мұражайы")
    page.fill(
        "textarea[name=description]", "Мектептің бос бөлмесінде ауылдың тарихы туралы мұражай ашу."
    )
    page.locator("form.idea-form button[type=submit]").click()
    idea = Idea.objects.get(title="Ауылдағы мектепте өлкетану мұражайы")
    assert idea.citizen.email == email and idea.status == "received"
    assert page.locator(".messages").is_visible()

    # Support another resident's idea: the address is confirmed already in this session.
    other = (
        Idea.objects.filter(citizen__isnull=False, hidden_at=None, withdrawn_at=None)
        .exclude(pk=idea.pk)
        .exclude(status="merged")
        .first()
    )
    assert other is not None
    before = other.supports.count()
    page.goto(reverse("public:idea_detail", args=[other.pk]))
    page.locator("form.idea-support button[type=submit]").click()
    assert other.supports.count() == before + 1
    assert page.locator("form.idea-support").inner_text().strip() != ""

    # The office, at its desk, accepts the idea into the project with an answer.
    office = browser.new_context(base_url=demo.url, viewport={"width": 1366, "height": 768})
    desk = office.new_page()
    desk.goto("/kk/accounts/login/")
    desk.fill("#id_username", "office")
    from kense.registry.demo import PASSWORD

    desk.fill("#id_password", PASSWORD)
    desk.click("form.edit button[type=submit]")
    desk.wait_for_url("**/kk/")
    desk.goto(reverse("ideas:moderation"))
    desk.get_by_role("link", name=idea.title).first.click()
    accept = desk.locator("form[action$='/accept/']")
    accept.locator("select[name=project]").evaluate(
        "(select, value) => { select.value = value; }", str(project.pk)
    )
    accept.locator("textarea[name=answer]").fill("Рахмет! Идеяңыз «Туған жер» жобасына енді.")
    accept.locator("button[type=submit]").click()
    office.close()
    idea.refresh_from_db()
    assert idea.status == "accepted" and idea.accepted_project_id == project.pk

    # The resident reads the answer, has the letter, and sees the idea on the project's trail.
    page.goto(reverse("public:idea_detail", args=[idea.pk]))
    assert "Идеяңыз «Туған жер» жобасына енді." in page.locator(".idea-answer").inner_text()
    assert Letter.objects.filter(recipients=[email]).count() >= 2
    assert (
        "Идеяңыз «Туған жер» жобасына енді."
        in Letter.objects.filter(recipients=[email]).latest("pk").body
    )
    page.goto(reverse("public:project", args=[project.pk]))
    assert idea.title in page.locator(".trail").inner_text()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    assert not page.javascript_errors
