"""The events API: the filtered list, one event, and its writes, with the pages' scopes."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from factories import EmergencyFactory, EventFactory, OrganizationFactory, ProgramFactory
from kense.accounts.models import User
from kense.events.models import Event, EventStatus
from kense.programs.models import Program
from kense.registry.models import Organization, Territory

pytestmark = pytest.mark.django_db

JSON = "application/json"
AsUser = Callable[..., Client]


def fields(response: Any) -> set[str | None]:
    """The fields a 422 answer names."""
    return {error["field"] for error in response.json()["detail"]}


def ids(response: Any) -> list[int]:
    return [item["id"] for item in response.json()["items"]]


@pytest.fixture
def program() -> Program:
    return ProgramFactory(name_kk="Рухани жаңғыру")


@pytest.fixture
def event(program: Program, organization_a: Organization) -> Event:
    return EventFactory(title_kk="Ұлытау тарихы", program=program, organizer=organization_a)


def payload(program: Program, organizer: Organization, **overrides: Any) -> dict[str, Any]:
    data = {
        "title_kk": "Жастар форумы",
        "title_ru": "Молодёжный форум",
        "program": program.pk,
        "organizer": organizer.pk,
        "territory": organizer.territory_id,
        "start": "2020-05-12",
        "end": "2020-05-13",
        "audience": ["youth"],
        "planned_reach": 300,
        "budget": "150000.50",
    }
    data.update(overrides)
    return data


def test_the_list_filters_like_the_page(
    as_user: AsUser,
    project_office: User,
    event: Event,
    program: Program,
    organization_b: Organization,
    district_a: Territory,
) -> None:
    other = EventFactory(
        program=program,
        organizer=organization_b,
        start=datetime.date(2019, 6, 1),
        format="online",
        beyond_plan=True,
    )
    co_organized = EventFactory(program=program, organizer=organization_b)
    co_organized.co_organizers.add(event.organizer)
    client = as_user(project_office)

    assert set(ids(client.get("/api/v1/events"))) == {event.pk, other.pk, co_organized.pk}
    assert ids(client.get("/api/v1/events", {"territory": district_a.pk})) == [event.pk]
    assert ids(client.get("/api/v1/events", {"format": "online"})) == [other.pk]
    assert ids(client.get("/api/v1/events", {"beyond_plan": "true"})) == [other.pk]
    assert ids(client.get("/api/v1/events", {"date_to": "2019-12-31"})) == [other.pk]
    assert set(ids(client.get("/api/v1/events", {"organizer": event.organizer_id}))) == {
        event.pk,
        co_organized.pk,
    }
    assert ids(client.get("/api/v1/events", {"q": "улытау тарих"})) == [event.pk]
    detail = client.get(f"/api/v1/events/{event.pk}").json()
    assert detail["organizer"]["id"] == event.organizer_id
    assert detail["status"] == "planned"


def test_create_and_update(
    as_user: AsUser, project_office: User, program: Program, organization_a: Organization
) -> None:
    co_organizer = OrganizationFactory(territory=organization_a.territory)
    client = as_user(project_office)

    created = client.post(
        "/api/v1/events",
        payload(program, organization_a, co_organizers=[co_organizer.pk]),
        content_type=JSON,
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["co_organizers"] == [{"id": co_organizer.pk, "name": co_organizer.name}]
    updated = client.patch(
        f"/api/v1/events/{body['id']}", {"venue": "Мәдениет үйі"}, content_type=JSON
    )
    assert updated.status_code == 200
    assert updated.json()["venue"] == "Мәдениет үйі"
    assert updated.json()["co_organizers"][0]["id"] == co_organizer.pk


def test_bad_input_is_refused_and_absurd_numbers_need_confirmation(
    as_user: AsUser,
    project_office: User,
    program: Program,
    organization_a: Organization,
    settings: Any,
) -> None:
    settings.KENSE_PARTICIPANTS_WARNING = 1000
    client = as_user(project_office)

    def post(**overrides: Any) -> Any:
        return client.post(
            "/api/v1/events", payload(program, organization_a, **overrides), content_type=JSON
        )

    backwards = post(end="2020-05-01")
    negative = post(planned_reach=-5)
    not_a_number = post(budget="сто тысяч")
    absurd = post(planned_reach=5_000_000)

    assert fields(backwards) == {"end"}
    assert fields(negative) == {"planned_reach"}
    assert fields(not_a_number) == {"budget"}
    assert fields(absurd) == {"planned_reach"}
    assert {r.status_code for r in (backwards, negative, not_a_number, absurd)} == {422}
    assert not Event.objects.exists()
    assert post(planned_reach=5_000_000, confirm_numbers=True).status_code == 201


def test_hold_postpone_and_cancel(
    as_user: AsUser, project_office: User, program: Program, organization_a: Organization
) -> None:
    held, postponed, cancelled = (
        EventFactory(program=program, organizer=organization_a) for _ in range(3)
    )
    quarantine = EmergencyFactory(territories=[organization_a.territory])
    client = as_user(project_office)

    no_outcome = client.post(f"/api/v1/events/{held.pk}/hold", {"outcome": ""}, content_type=JSON)
    hold = client.post(
        f"/api/v1/events/{held.pk}/hold",
        {"outcome": "Өтті", "participants": 80, "online_views": 1200},
        content_type=JSON,
    )
    postpone = client.post(
        f"/api/v1/events/{postponed.pk}/postpone",
        # "disruption": the v1 name of the state of emergency on the wire.
        {"reason": "Карантин", "after_lifting": True, "disruption": quarantine.pk},
        content_type=JSON,
    )
    no_reason = client.post(
        f"/api/v1/events/{cancelled.pk}/cancel", {"reason": ""}, content_type=JSON
    )
    cancel = client.post(
        f"/api/v1/events/{cancelled.pk}/cancel", {"reason": "Қаржы жоқ"}, content_type=JSON
    )
    again = client.post(
        f"/api/v1/events/{cancelled.pk}/postpone",
        {"reason": "x", "start": "2020-10-01"},
        content_type=JSON,
    )

    assert fields(no_outcome) == {"outcome"}
    assert hold.json()["status"] == EventStatus.HELD and hold.json()["participants"] == 80
    assert postpone.status_code == 200
    assert postpone.json()["justified"] and postpone.json()["disruption"] == quarantine.pk
    assert fields(no_reason) == {"reason"}
    assert cancel.json()["status"] == EventStatus.CANCELLED
    assert again.status_code == 422


def test_scopes(
    as_user: AsUser,
    coordinator_a: User,
    observer: User,
    program: Program,
    event: Event,
    organization_b: Organization,
) -> None:
    theirs = EventFactory(program=program, organizer=organization_b)
    coordinator = as_user(coordinator_a)
    watcher = as_user(observer)

    assert ids(coordinator.get("/api/v1/events")) == [event.pk]
    assert coordinator.get(f"/api/v1/events/{theirs.pk}").status_code == 404
    assert (
        coordinator.post(
            f"/api/v1/events/{theirs.pk}/cancel", {"reason": "x"}, content_type=JSON
        ).status_code
        == 404
    )
    elsewhere = coordinator.post(
        "/api/v1/events", payload(program, organization_b), content_type=JSON
    )
    assert elsewhere.status_code in (403, 422)
    assert watcher.get(f"/api/v1/events/{theirs.pk}").status_code == 200
    assert (
        watcher.post(f"/api/v1/events/{theirs.pk}/cancel", {"reason": "x"}, content_type=JSON)
    ).status_code == 403
    assert (
        watcher.post("/api/v1/events", payload(program, organization_b), content_type=JSON)
    ).status_code == 403


def test_an_id_beyond_64_bits_is_a_field_error(
    as_user: AsUser, project_office: User, program: Program, organization_a: Organization
) -> None:
    # SQLite cannot hold it in a query (OverflowError, 500); no object has it anyway.
    client = as_user(project_office)

    created = client.post(
        "/api/v1/events",
        payload(program, organization_a, co_organizers=[organization_a.pk, 2**70]),
        content_type=JSON,
    )
    organizer = client.post(
        "/api/v1/events",
        {**payload(program, organization_a), "organizer": -(2**70)},
        content_type=JSON,
    )
    detail = client.get(f"/api/v1/events/{2**70}")

    assert created.status_code == 422 and fields(created) == {"co_organizers"}
    assert organizer.status_code == 422 and fields(organizer) == {"organizer"}
    assert detail.status_code == 404 and "detail" in detail.json()
    assert not Event.objects.exists()


@pytest.mark.parametrize("page", [10**6 + 1, 2**64, 10**30])
def test_a_page_beyond_any_list_is_a_field_error(
    as_user: AsUser, project_office: User, event: Event, page: int
) -> None:
    # Its offset overflowed the database's integers (500); a page past the last is empty.
    client = as_user(project_office)

    past_the_last = client.get("/api/v1/events", {"page": 1000, "page_size": 100})
    huge = client.get("/api/v1/events", {"page": page, "page_size": 300})

    assert past_the_last.status_code == 200 and past_the_last.json()["items"] == []
    assert huge.status_code == 422 and fields(huge) == {"page"}


def test_the_calendar_feed_of_a_territory_in_sight(
    as_user: AsUser,
    coordinator_a: User,
    event: Event,
    district_a: Territory,
    district_b: Territory,
    organization_b: Organization,
) -> None:
    client = as_user(coordinator_a)
    # The feed reaches a year back: the event of 2020 is not in it, this one is; B's is not.
    today = datetime.date.today()
    EventFactory(program=event.program, organizer=event.organizer, start=today)
    EventFactory(program=event.program, organizer=organization_b, start=today)

    response = client.get("/api/v1/event-feed", {"kind": "territory", "subject": district_a.pk})
    assert response.status_code == 200, response.content
    url = response.json()["url"]
    assert url.startswith("http://testserver/") and url.endswith(".ics")
    # The feed opens without logging in, with the caller's events of the territory.
    feed = Client().get(url.removeprefix("http://testserver"))
    assert feed.status_code == 200
    assert feed.content.count(b"BEGIN:VEVENT") == 1

    for kind, pk in (("territory", district_b.pk), ("organization", organization_b.pk)):
        hidden = client.get("/api/v1/event-feed", {"kind": kind, "subject": pk})
        assert hidden.status_code == 404, kind
        assert hidden.json()["detail"]
    wrong = client.get("/api/v1/event-feed", {"kind": "meeting", "subject": district_a.pk})
    assert wrong.status_code == 422
