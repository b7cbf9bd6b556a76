"""The menu (kense.core.menu): one declaration the apps contribute to, shown by role, grouped,
each entry a page the role opens."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from factories import OrganizationFactory, TerritoryFactory, UserFactory
from kense.core.menu import menu_for, menu_items
from kense.core.permissions import Role

pytestmark = pytest.mark.django_db

EVERYTHING = {item.url_name for item in menu_items()}
NOT_FOR_INSTITUTION = {"registry:territory_tree", "registry:staffing", "indicators:report_list"}
NOT_FOR_DEPARTMENT = {"registry:territory_tree"}


def user_of(role: str) -> object:
    if role in (Role.DEPARTMENT, Role.INSTITUTION):
        return UserFactory(role=role, organization=OrganizationFactory())
    if role == Role.COORDINATOR:
        return UserFactory(role=role, territory=TerritoryFactory())
    return UserFactory(role=role)


def shown(user: object) -> list[str]:
    return [item["url_name"] for group in menu_for(user) for item in group["items"]]


def test_every_page_of_the_old_menu_is_declared_once() -> None:
    # The old menu's 17, and the map and the sacred sites (issue 15).
    assert len(EVERYTHING) == len(menu_items()) == 19
    assert {"geo:map", "sites:site_list"} <= EVERYTHING


@pytest.mark.parametrize(
    ("role", "hidden"),
    [
        (Role.ADMINISTRATOR, set()),
        (Role.PROJECT_OFFICE, set()),
        (Role.EXECUTIVE, set()),
        (Role.OBSERVER, set()),
        (Role.COORDINATOR, set()),
        (Role.DEPARTMENT, NOT_FOR_DEPARTMENT),
        (Role.INSTITUTION, NOT_FOR_INSTITUTION),
    ],
)
def test_each_role_sees_the_entries_it_has_something_to_do_in(role: str, hidden: set[str]) -> None:
    user = user_of(role)
    assert set(shown(user)) == EVERYTHING - hidden
    # Every entry it sees opens for it.
    client = Client()
    client.force_login(user)
    for url_name in shown(user):
        assert client.get(reverse(url_name)).status_code == 200, url_name


def test_the_menu_is_grouped_work_first() -> None:
    with translation.override("en"):
        groups = menu_for(user_of(Role.OBSERVER))
    assert [group["key"] for group in groups] == ["work", "registry", "program"]
    work = [item["url_name"] for item in groups[0]["items"]]
    assert work[:2] == ["assignments:inbox", "meetings:meeting_list"]


def test_a_visitor_has_no_menu() -> None:
    from django.contrib.auth.models import AnonymousUser

    assert menu_for(AnonymousUser()) == []


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_the_page_draws_the_menu_in_the_users_language_and_marks_where_they_are(
    language: str,
) -> None:
    client = Client()
    client.force_login(user_of(Role.INSTITUTION))
    with translation.override(language):
        plans = reverse("events:plan_list")
        staffing = reverse("registry:staffing")
    page = client.get(plans).content.decode()
    labels = {"kk": ("Ағымдағы жұмыс", "Мәзір"), "ru": ("Текущая работа", "Меню")}[language]
    for label in labels:
        assert label in page
    assert f'<a href="{plans}" class="active" aria-current="page">' in page
    assert f'href="{staffing}"' not in page
    # One entry is current: the plans, not the events above them.
    assert page.count('aria-current="page"') == 1
