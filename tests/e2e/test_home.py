"""The akim's morning, in a real browser: the home says how many assignments are overdue; a
click on the number opens the list of exactly those, each with its traffic light; back home,
the ranking's card leads to the ranking. On a phone the home fits the screen's width."""

from __future__ import annotations

import re
from typing import Any

import pytest

from e2e.conftest import login, screenshot

pytestmark = pytest.mark.e2e


def test_the_akim_opens_the_overdue_and_the_ranking_from_the_home(demo: Any, page: Any) -> None:
    login(page, "akim")
    figure = page.locator("a.home-figure").first  # the first figure: overdue
    overdue = int(re.sub(r"\D", "", figure.locator(".home-number").inner_text()))
    screenshot(page, "home-akim")
    figure.click()
    page.wait_for_url("**status=overdue*")
    rows = page.locator("#results tbody tr:has(.light)")
    assert rows.count() == overdue
    assert page.locator("#results .light-overdue").count() == overdue

    page.goto("/kk/")
    ranking = page.locator("section.home-card:has(table.home-ranking)")
    assert ranking.count() == 1
    assert ranking.locator("table.home-ranking tbody tr").count() > 0
    ranking.locator("a[href$='/indicators/ranking/']").click()
    page.wait_for_url("**/indicators/ranking/")
    assert page.javascript_errors == []


def test_the_home_fits_a_phone(demo: Any, page: Any) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    for username in ("office", "saran", "school", "observer"):
        login(page, username)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, (username, width)
        screenshot(page, f"home-{username}-phone")
        page.context.clear_cookies()
