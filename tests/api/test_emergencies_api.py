"""Emergencies in the API: declaring (the project office only), the affected events, the bulk
postponement, the lifting, the assistant's proposals and rescheduling, with the pages' scopes.
The paths keep the v1 word: /api/v1/disruptions."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from factories import (
    AssignmentFactory,
    EmergencyFactory,
    EventFactory,
    OrganizationFactory,
    TerritoryFactory,
    UserFactory,
)
from kense.accounts.models import User
from kense.core.permissions import Role
from kense.events.models import Emergency, Event
from kense.registry.models import Organization, Territory, TerritoryKind

pytestmark = pytest.mark.django_db

JSON = "application/json"
AsUser = Callable[..., Client]
D = datetime.date


def fields(response: Any) -> set[str | None]:
    return {error["field"] for error in response.json()["detail"]}


@pytest.fixture
def declared(as_user: AsUser, project_office: User, region: Territory) -> dict[str, Any]:
    response = as_user(project_office).post(
        "/api/v1/disruptions",
        {
            "kind": "quarantine",
            "title_kk": "Карантин",
            "title_ru": "Карантин",
            "territories": [region.pk],
            "start": "2020-03-16",
            "act_number": "1",
            "act_date": "2020-03-15",
        },
        content_type=JSON,
    )
    assert response.status_code == 201, response.content
    return response.json()  # type: ignore[no-any-return]


@pytest.fixture
def events(organization_a: Organization, organization_b: Organization) -> dict[str, Event]:
    elsewhere = TerritoryFactory(parent=TerritoryFactory(kind=TerritoryKind.REGION))
    return {
        "a": EventFactory(organizer=organization_a, start=D(2020, 4, 10)),
        "b": EventFactory(organizer=organization_b, start=D(2020, 4, 13)),
        "online": EventFactory(organizer=organization_a, start=D(2020, 4, 11), format="online"),
        "elsewhere": EventFactory(
            organizer=OrganizationFactory(territory=elsewhere), start=D(2020, 4, 10)
        ),
    }


def test_declare_and_read(declared: dict[str, Any], as_user: AsUser, coordinator_a: User) -> None:
    assert declared["restricts"] == "in_person" and declared["end"] is None
    assert [t["name"] for t in declared["territories"]] == ["Ұлытау облысы"]
    client = as_user(coordinator_a, HTTP_ACCEPT_LANGUAGE="kk")
    assert client.get(f"/api/v1/disruptions/{declared['id']}").status_code == 200
    assert [item["id"] for item in client.get("/api/v1/disruptions").json()["items"]] == [
        declared["id"]
    ]


def test_a_coordinator_cannot_declare(
    as_user: AsUser, coordinator_a: User, district_a: Territory
) -> None:
    response = as_user(coordinator_a).post(
        "/api/v1/disruptions",
        {
            "kind": "quarantine",
            "title_kk": "К",
            "title_ru": "К",
            "territories": [district_a.pk],
            "start": "2020-03-16",
        },
        content_type=JSON,
    )
    assert response.status_code == 403
    assert not Emergency.objects.exists()


def test_a_period_that_ends_before_it_starts_is_refused(
    as_user: AsUser, project_office: User, region: Territory
) -> None:
    response = as_user(project_office).post(
        "/api/v1/disruptions",
        {
            "kind": "quarantine",
            "title_kk": "К",
            "title_ru": "К",
            "territories": [region.pk],
            "start": "2020-03-16",
            "end": "2020-03-01",
        },
        content_type=JSON,
    )
    assert response.status_code == 422 and fields(response) == {"end"}


def test_affected_postpone_lift_propose_reschedule(
    declared: dict[str, Any],
    events: dict[str, Event],
    as_user: AsUser,
    project_office: User,
    organization_a: Organization,
    district_b: Territory,
) -> None:
    client = as_user(project_office)
    base = f"/api/v1/disruptions/{declared['id']}"
    preview = client.get(f"{base}/affected").json()
    assert {(row["event"]["id"], row["selected"]) for row in preview} == {
        (events["a"].pk, True),
        (events["b"].pk, True),
        (events["online"].pk, False),
    }
    done = client.post(f"{base}/postpone", {"reason": "Карантин"}, content_type=JSON)
    assert done.status_code == 200
    assert {row["id"] for row in done.json()} == {events["a"].pk, events["b"].pk}
    assert Event.objects.get(pk=events["a"].pk).history.count() == 2  # type: ignore[attr-defined]

    waiting = AssignmentFactory(
        lead_organization=organization_a,
        deadline_kind="after_lifting",
        deadline=None,
        days_after_lifting=14,
    )
    lifted = client.post(f"{base}/lift", {"lifted_on": "2020-07-01"}, content_type=JSON)
    assert lifted.status_code == 200
    assert lifted.json()["assignments"] == [waiting.pk]
    waiting.refresh_from_db()
    assert waiting.deadline == D(2020, 7, 15)

    EmergencyFactory(start=D(2020, 7, 3), end=D(2020, 7, 5), territories=[district_b])
    proposals = client.get(f"{base}/proposals").json()
    assert [(p["event"]["id"], p["start"]) for p in proposals] == [
        (events["a"].pk, "2020-07-01"),
        (events["b"].pk, "2020-07-06"),
    ]
    into_flood = client.post(
        f"{base}/events/{events['b'].pk}/reschedule",
        {"start": "2020-07-04", "end": "2020-07-04"},
        content_type=JSON,
    )
    assert into_flood.status_code == 422 and fields(into_flood) == {"start"}
    confirmed = client.post(
        f"{base}/events/{events['b'].pk}/reschedule",
        {"start": "2020-07-06", "end": "2020-07-06"},
        content_type=JSON,
    )
    assert confirmed.status_code == 200 and confirmed.json()["status"] == "planned"
    assert Event.objects.get(pk=events["b"].pk).emergency_id == declared["id"]


def test_a_coordinator_cannot_postpone_or_lift(
    declared: dict[str, Any], events: dict[str, Event], as_user: AsUser, coordinator_a: User
) -> None:
    client = as_user(coordinator_a)
    base = f"/api/v1/disruptions/{declared['id']}"
    assert client.get(f"{base}/affected").status_code == 403
    assert client.post(f"{base}/postpone", {"reason": "x"}, content_type=JSON).status_code == 403
    lift = client.post(f"{base}/lift", {"lifted_on": "2020-07-01"}, content_type=JSON)
    assert lift.status_code == 403


def test_another_region_does_not_see_it(declared: dict[str, Any], as_user: AsUser) -> None:
    stranger = UserFactory(
        role=Role.PROJECT_OFFICE, territory=TerritoryFactory(kind=TerritoryKind.REGION)
    )
    assert as_user(stranger).get(f"/api/v1/disruptions/{declared['id']}").status_code == 404
