"""Two people edit the same organization in two browsers: the second one's save is refused with
the first one's change shown beside their own text, and goes through when saved again."""

from __future__ import annotations

from typing import Any

import pytest

from e2e.conftest import TIMEOUT_MS, login
from kense.accounts.models import User
from kense.registry.models import Organization

pytestmark = pytest.mark.e2e


def test_the_later_editor_is_told_and_loses_nothing(demo: Any, browser: Any, page: Any) -> None:
    office = User.objects.get(username="office")
    organization = office.organization or Organization.objects.order_by("pk").first()
    assert organization is not None
    url = f"/kk/registry/organizations/{organization.pk}/edit/"
    context = browser.new_context(base_url=demo.url, locale="kk-KZ")
    context.set_default_timeout(TIMEOUT_MS)
    other = context.new_page()
    login(page, "admin")
    login(other, "office")
    page.goto(url)
    other.goto(url)

    page.fill("#id_name_kk", "Біріншінің атауы")
    page.click("form.edit button[type=submit]")
    page.wait_for_url(f"**{organization.get_absolute_url()}")
    other.fill("#id_name_kk", "Екіншінің атауы")
    other.click("form.edit button[type=submit]")

    other.wait_for_selector("table.conflict")
    assert "сіз өңдеп отырғанда сақтады" in other.locator("ul.errorlist").inner_text()
    assert "Біріншінің атауы" in other.locator("table.conflict").inner_text()
    assert other.input_value("#id_name_kk") == "Екіншінің атауы"
    organization.refresh_from_db()
    assert organization.name_kk == "Біріншінің атауы"

    other.click("form.edit button[type=submit]")
    other.wait_for_url(f"**{organization.get_absolute_url()}")
    organization.refresh_from_db()
    assert organization.name_kk == "Екіншінің атауы"
    context.close()
