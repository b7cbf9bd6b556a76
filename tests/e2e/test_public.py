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
