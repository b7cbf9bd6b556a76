"""The registry as of a date (?on=) and the moves of territories and organizations."""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from factories import OrganizationFactory, TerritoryFactory
from kense.accounts.models import User
from kense.registry.models import Organization, Territory, TerritoryKind

pytestmark = pytest.mark.django_db

JSON = "application/json"
AsUser = Callable[..., Client]


def patch(client: Client, path: str, data: dict[str, Any]) -> Any:
    return client.patch(f"/api/v1/{path}", json.dumps(data), content_type=JSON)


@pytest.fixture
def karaganda(db: Any) -> Territory:
    return TerritoryFactory(name_kk="Қарағанды облысы", kind=TerritoryKind.REGION)


def test_territory_moves_and_the_tree_on_a_date(
    as_user: AsUser, administrator: User, region: Territory, karaganda: Territory
) -> None:
    client = as_user(administrator)
    created = client.post(
        "/api/v1/territories",
        json.dumps(
            {"name_kk": "Жезқазған", "name_ru": "Жезказган", "kind": "city",
             "parent": karaganda.pk, "valid_from": "1997-01-01", "act": "Указ № 1"}
        ),
        content_type=JSON,
    )  # fmt: skip
    assert created.status_code == 201
    city = created.json()["id"]
    moved = patch(
        client,
        f"territories/{city}",
        {"parent": region.pk, "moved_on": "2022-06-08", "act": "Указ № 887"},
    )
    assert moved.status_code == 200
    gone = TerritoryFactory(
        name_kk="Ескі аудан",
        parent=karaganda,
        valid_from=datetime.date(1997, 1, 1),
        valid_to=datetime.date(2020, 12, 31),
    )

    moves = client.get(f"/api/v1/territories/{city}/moves")
    in_2020 = client.get(f"/api/v1/territories/{city}?on=2020-01-01")
    in_2023 = client.get(f"/api/v1/territories/{city}?on=2023-01-01")
    now = client.get(f"/api/v1/territories/{city}")
    listed_2020 = client.get("/api/v1/territories?on=2020-01-01&q=Жезқазған")
    gone_2023 = client.get(f"/api/v1/territories/{gone.pk}?on=2023-01-01")
    gone_listed = client.get("/api/v1/territories?on=2023-01-01&q=Ескі")

    assert moves.status_code == 200
    first, second = moves.json()
    assert first["date"] == "1997-01-01"
    assert first["act"] == "Указ № 1"
    assert first["former_parent"] is None
    assert first["parent"]["id"] == karaganda.pk
    assert second["date"] == "2022-06-08"
    assert second["act"] == "Указ № 887"
    assert second["former_parent"] == {"id": karaganda.pk, "name": "Қарағанды облысы"}
    assert second["parent"]["id"] == region.pk
    assert second["recorded_by"] == str(administrator)
    assert second["recorded_at"] is not None
    assert in_2020.json()["parent"] == {"id": karaganda.pk, "name": "Қарағанды облысы"}
    assert in_2023.json()["parent"]["id"] == region.pk
    assert now.json()["parent"]["id"] == region.pk
    assert [item["parent"]["id"] for item in listed_2020.json()["items"]] == [karaganda.pk]
    assert gone_2023.status_code == 404
    assert gone_listed.json()["count"] == 0


def test_a_territory_moved_to_the_top_shows_the_move_out(
    as_user: AsUser, administrator: User, region: Territory, district_a: Territory
) -> None:
    client = as_user(administrator)
    response = patch(
        client, f"territories/{district_a.pk}", {"parent": None, "moved_on": "2024-01-01"}
    )
    assert response.status_code == 200

    moves = client.get(f"/api/v1/territories/{district_a.pk}/moves").json()
    before = client.get(f"/api/v1/territories/{district_a.pk}?on=2023-01-01").json()
    after = client.get(f"/api/v1/territories/{district_a.pk}?on=2024-06-01").json()

    assert moves[-1]["date"] == "2024-01-01"
    assert moves[-1]["former_parent"]["id"] == region.pk
    assert moves[-1]["parent"] is None
    assert moves[-1]["recorded_by"] == str(administrator)
    assert before["parent"]["id"] == region.pk
    assert after["parent"] is None


def test_organization_moves_are_recorded_with_date_act_and_who(
    as_user: AsUser, project_office: User, district_a: Territory
) -> None:
    client = as_user(project_office)
    office = OrganizationFactory(name_kk="Жобалық кеңсе", territory=district_a)
    holding = OrganizationFactory(name_kk="Медиахолдинг", territory=district_a)
    moved = patch(
        client,
        f"organizations/{office.pk}",
        {"parent": holding.pk, "moved_on": "2025-03-01", "act": "Бұйрық № 5"},
    )
    assert moved.status_code == 200

    moves = client.get(f"/api/v1/organizations/{office.pk}/moves")
    before = client.get(f"/api/v1/organizations/{office.pk}?on=2025-01-01")
    after = client.get(f"/api/v1/organizations/{office.pk}?on=2025-03-01")
    listed = client.get("/api/v1/organizations?on=2025-01-01&q=Жобалық")

    assert moves.status_code == 200
    [move] = moves.json()
    assert move == {
        "date": "2025-03-01",
        "act": "Бұйрық № 5",
        "former_parent": None,
        "parent": {"id": holding.pk, "name": "Медиахолдинг"},
        "recorded_by": str(project_office),
        "recorded_at": move["recorded_at"],
    }
    assert before.json()["parent"] is None
    assert after.json()["parent"] == {"id": holding.pk, "name": "Медиахолдинг"}
    assert listed.json()["items"][0]["parent"] is None


def test_moves_are_read_in_the_users_scope(
    as_user: AsUser, coordinator_a: User, organization_b: Organization, district_b: Territory
) -> None:
    client = as_user(coordinator_a)

    assert client.get(f"/api/v1/organizations/{organization_b.pk}/moves").status_code == 404
    assert client.get(f"/api/v1/territories/{district_b.pk}/moves").status_code == 404
