"""Kense's own error pages (templates/403.html, 404.html, 500.html): in the user's language,
with a way back, and with DEBUG on too (the demo runs with it), where Django would show its
English technical pages; those stay for a developer who sets KENSE_DEBUG_PAGES."""

from __future__ import annotations

import pytest
from django.test import Client
from django.test.utils import override_settings

from factories import UserFactory
from kense.core.permissions import Role

pytestmark = [pytest.mark.django_db, pytest.mark.urls("core.failing_urls")]

TITLES = {
    404: {"kk": "Табылмады", "ru": "Не найдено"},
    403: {"kk": "Рұқсат жоқ", "ru": "Доступ запрещён"},
    500: {"kk": "Қате орын алды", "ru": "Произошла ошибка"},
}
HOME = {"kk": "Басты бетке", "ru": "На главную"}
BACK = {"kk": "Алдыңғы бетке оралу", "ru": "Вернуться на предыдущую страницу"}
ADDRESSES = {404: ["/{}/no-such-page/", "/{}/hides/"], 403: ["/{}/refuses/"], 500: ["/{}/fails/"]}


def signed_in() -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(UserFactory(role=Role.INSTITUTION))
    return client


def in_parts(status: int) -> list[tuple[int, str, str]]:
    return [
        (status, language, address.format(language))
        for address in ADDRESSES[status]
        for language in ("kk", "ru")
    ]


CASES = [case for status in (404, 403, 500) for case in in_parts(status)]


@pytest.mark.parametrize("debug", [False, True], ids=["production", "debug"])
@pytest.mark.parametrize(("status", "language", "address"), CASES)
def test_an_error_is_kenses_own_page_in_the_users_language(
    debug: bool, status: int, language: str, address: str
) -> None:
    with override_settings(DEBUG=debug):
        response = signed_in().get(address, HTTP_REFERER=f"http://testserver/{language}/")
    assert response.status_code == status
    page = response.content.decode()
    assert TITLES[status][language] in page
    assert HOME[language] in page
    assert f'href="/{language}/"' in page  # the way home
    assert f'lang="{language}"' in page
    # Nothing of Django's technical pages, nor of what failed.
    assert "DEBUG = True" not in page
    assert "Traceback" not in page
    assert "must not show" not in page
    if status != 500:
        # The signed-in user keeps the site's menu, and is offered the page they came from.
        assert 'class="menu"' in page
        assert BACK[language] in page


def test_the_way_back_is_only_to_a_page_of_kense() -> None:
    client = signed_in()
    response = client.get("/ru/hides/", HTTP_REFERER="https://elsewhere.example/ru/phish/")
    assert response.status_code == 404
    assert BACK["ru"] not in response.content.decode()
    response = client.get("/ru/hides/", HTTP_REFERER="http://testserver/ru/registry/people/?q=a")
    assert 'href="/ru/registry/people/?q=a"' in response.content.decode()


def test_a_visitor_gets_the_own_page_too() -> None:
    with override_settings(DEBUG=True):
        response = Client().get("/kk/no-such-page/")
    assert response.status_code == 404
    assert TITLES[404]["kk"] in response.content.decode()


def test_a_developer_can_ask_for_djangos_technical_pages() -> None:
    with override_settings(DEBUG=True, KENSE_DEBUG_PAGES=True):
        response = signed_in().get("/kk/no-such-page/")
    assert response.status_code == 404
    assert "DEBUG = True" in response.content.decode()


def test_the_api_keeps_its_json_errors_with_debug_on() -> None:
    with override_settings(DEBUG=True):
        response = signed_in().get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
