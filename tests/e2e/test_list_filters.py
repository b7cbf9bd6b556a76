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
