"""What every response says about caching, who may read the API's docs, and the health check."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client

from factories import UserFactory
from kense.core.permissions import Role

pytestmark = pytest.mark.django_db


def test_pages_api_answers_and_exports_are_not_kept_by_caches(client: Client) -> None:
    client.force_login(UserFactory(role=Role.OBSERVER))

    for url in (
        "/kk/",
        "/kk/registry/organizations/",
        "/kk/registry/organizations/?export=xlsx",
        "/api/v1/organizations",
        "/kk/accounts/login/",
    ):
        response = client.get(url)
        assert response.status_code in (200, 302), url
        directives = {part.strip() for part in response["Cache-Control"].split(",")}
        assert {"private", "no-store"} <= directives, url


@pytest.mark.parametrize("url", ["/api/v1/docs", "/api/v1/openapi.json"])
def test_the_api_docs_are_behind_login_unless_opened(client: Client, settings: Any, url: str):
    settings.KENSE_PUBLIC_API_DOCS = False
    assert client.get(url).status_code == 302
    assert client.get(url)["Location"].startswith("/kk/accounts/login/")

    client.force_login(UserFactory(role=Role.INSTITUTION))
    assert client.get(url).status_code == 200

    settings.KENSE_PUBLIC_API_DOCS = True
    assert Client().get(url).status_code == 200


def test_healthz_is_green_while_the_database_takes_writes(client: Client) -> None:
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


@pytest.mark.django_db(transaction=True)
def test_healthz_is_red_when_the_database_answers_read_only(client: Client) -> None:
    read_only, read_write = (
        ("PRAGMA query_only = ON", "PRAGMA query_only = OFF")
        if connection.vendor == "sqlite"
        else (
            "SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY",
            "SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE",
        )
    )
    with connection.cursor() as cursor:
        cursor.execute(read_only)
    try:
        response = client.get("/healthz")
    finally:
        with connection.cursor() as cursor:
            cursor.execute(read_write)

    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "read-only"}
