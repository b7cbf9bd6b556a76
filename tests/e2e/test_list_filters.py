"""A long choice in a list's filters, in a real browser: the project office finds an organizer
by typing part of its name, picks it, and the event list narrows to that organizer's events."""

from __future__ import annotations

from typing import Any

import pytest

from e2e.conftest import login, screenshot
from kense.core.forms import SearchSelect

pytestmark = pytest.mark.e2e

# Saran's culture division organizes the city's events in the demo.
SARAN_CULTURE = "мәдениет және тілдерді дамыту"


def test_an_organizer_is_found_by_typing_and_filters_the_events(
    demo: Any, page: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The demo region has about a hundred organizations; a country has twenty thousand. Past
    # this many, the filter searches instead of listing (the live server runs in this process).
    monkeypatch.setattr(SearchSelect, "SHOWN_AT_MOST", 20)
    login(page, "office")
    page.goto("/kk/events/")
    organizer = page.locator("#id_organizer")
    assert organizer.locator("option").count() == 1  # only "—": nothing listed up front
    search = page.locator("label:has(#id_organizer) input[name=choice_search]")
    search.fill("саран мәдениет")
    found = organizer.locator("option", has_text=SARAN_CULTURE)
    found.first.wait_for(state="attached")
    labels = organizer.locator("option").all_inner_texts()
    assert all("Саран" in label and "мәдениет" in label for label in labels[1:]), labels
    chosen = found.first.inner_text()
    screenshot(page, "event-filter-organizer-search")

    with page.expect_response(lambda response: "organizer=" in response.url):
        organizer.select_option(label=chosen)
    page.wait_for_url("**organizer=*")
    organizers = page.locator("#results tbody tr td:nth-child(7)").all_inner_texts()
    assert organizers and set(organizers) == {chosen}
    # The search text was not sent with the filters.
    assert "choice_search" not in page.url
    # Reloaded from the address, the chosen organizer is still the one shown.
    page.reload()
    assert organizer.locator("option:checked").inner_text() == chosen
    screenshot(page, "event-list-filtered-by-organizer")
    assert page.javascript_errors == []


def test_on_a_phone_the_filters_fold_behind_one_button_that_counts_those_set(
    demo: Any, browser: Any
) -> None:
    """At 390 px the list comes first: the filter form opens from «Сүзгілер»; at 1366 px it
    is shown as it was, without the button."""
    context = browser.new_context(base_url=demo.url, viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        login(page, "saran")
        page.goto("/kk/assignments/")
        toggle = page.locator("button.filters-toggle")
        form = page.locator("form#filters")
        assert toggle.inner_text().strip() == "Сүзгілер"
        assert toggle.get_attribute("aria-expanded") == "false"
        assert not form.is_visible()
        first_card = page.locator("#results tbody tr").first
        assert first_card.bounding_box()["y"] < 844  # the list is on the first screen
        screenshot(page, "phone-filters-folded")
        toggle.click()
        assert form.is_visible() and toggle.get_attribute("aria-expanded") == "true"
        assert page.locator("#id_status").is_visible()
        # Filters already set (from the address) are counted on the button.
        page.goto("/kk/assignments/?status=open&q=мектеп")
        assert page.locator("button.filters-toggle").inner_text().strip() == "Сүзгілер (2)"
        page.goto("/ru/assignments/")
        assert page.locator("button.filters-toggle").inner_text().strip() == "Фильтры"
        screenshot(page, "phone-filters-folded-ru")
        page.set_viewport_size({"width": 1366, "height": 768})
        page.goto("/kk/assignments/")
        assert page.locator("form#filters").is_visible()
        assert not page.locator("button.filters-toggle").is_visible()
    finally:
        context.close()
