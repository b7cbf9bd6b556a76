"""Every answer of the API is JSON in its documented shape, errors included: an address under
/api/ that nothing answers, and a failure of the server (logged, and answered as JSON rather
than Django's HTML page)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from kense.accounts.models import User

pytestmark = pytest.mark.django_db

AsUser = Callable[..., Client]


@pytest.mark.parametrize(
    "path", ["/api/v1/nothing-here", "/api/v1/programs/1/nothing", "/api/v2/programs", "/api/"]
)
def test_an_unknown_api_address_answers_json_404(
    as_user: AsUser, observer: User, path: str
) -> None:
    response = as_user(observer).get(path, HTTP_ACCEPT_LANGUAGE="ru")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Не найдено."}


def test_an_unknown_page_still_answers_the_page(client: Client) -> None:
    response = client.get("/kk/nothing-here/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_a_failure_answers_json_500_and_is_logged(
    as_user: AsUser, observer: User, monkeypatch: pytest.MonkeyPatch, caplog: Any
) -> None:
    def failing(user: User) -> Any:
        raise RuntimeError("a defect")

    monkeypatch.setattr("kense.accounts.api._tokens", failing)
    client = as_user(observer, raise_request_exception=False)

    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = client.get("/api/v1/me/tokens", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert set(response.json()) == {"detail"}
    assert any(
        record.exc_info and "a defect" in str(record.exc_info[1]) for record in caplog.records
    )


def test_a_method_a_path_does_not_take_answers_json_405(as_user: AsUser, observer: User) -> None:
    # ninja answered "Method not allowed" as text.
    response = as_user(observer).delete("/api/v1/programs", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 405
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "This address does not take this method."}
    assert set(response["Allow"].split(", ")) == {"GET", "POST"}
