"""The one search box through the API: grouped by kind, folded, scoped like the search page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from factories import PersonFactory
from kense.accounts.models import User
from kense.registry.models import Territory

pytestmark = pytest.mark.django_db

AsUser = Callable[..., Client]


def test_search_finds_people_and_places_whatever_the_spelling_within_the_scope(
    as_user: AsUser, coordinator_a: User, district_a: Territory, district_b: Territory
) -> None:
    seen = PersonFactory(surname_kk="Нүкенов", territory=district_a)
    PersonFactory(surname_kk="Нүкенова", territory=district_b)  # another district's

    response = as_user(coordinator_a, HTTP_ACCEPT_LANGUAGE="ru").get(
        "/api/v1/search", {"q": "НУКЕН"}
    )

    assert response.status_code == 200
    assert response.json() == [
        {
            "type": "registry.person",
            "label": "Люди",
            "results": [
                {
                    "id": seen.pk,
                    "name": str(seen),
                    "context": str(district_a),
                    "url": seen.get_absolute_url(),
                    "rank": 1,
                }
            ],
            "more": False,
        }
    ]


def test_search_needs_a_query(as_user: AsUser, coordinator_a: User) -> None:
    response = as_user(coordinator_a).get("/api/v1/search", {"q": ""})
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "q"


def test_the_search_reads_from_the_replica(
    as_user: AsUser, coordinator_a: User, district_a: Territory, reads_marked: list[Any]
) -> None:
    PersonFactory(surname_kk="Нүкенов", territory=district_a)
    client = as_user(coordinator_a)
    reads_marked.clear()

    assert client.get("/api/v1/search", {"q": "нүкенов"}).status_code == 200
    assert ("registry.Person", "replica") in reads_marked
    # The caller's token and account are read from the primary, where a new token is at once.
    assert ("accounts.ApiToken", "default") in reads_marked
