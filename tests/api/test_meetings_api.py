"""The meetings API: meetings, participants, the agenda with minutes and decisions, the
calendar address."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import translation

from factories import (
    AgendaItemFactory,
    AppointmentFactory,
    DecisionFactory,
    MeetingFactory,
    ParticipantFactory,
    PersonFactory,
    PositionFactory,
    ProgramFactory,
    ProjectFactory,
    UserFactory,
)
from kense.accounts.models import User
from kense.core.permissions import Role
from kense.meetings import feeds, services
from kense.meetings.models import (
    AgendaItem,
    Attendance,
    InvitationGroup,
    Meeting,
    MeetingState,
    Participant,
)
from kense.registry.models import Organization, Territory

pytestmark = pytest.mark.django_db

JSON = "application/json"
AsUser = Callable[..., Client]
UTC = datetime.UTC


def fields(response: Any) -> set[str | None]:
    """The fields a 422 answer names."""
    return {error["field"] for error in response.json()["detail"]}


def messages(response: Any) -> list[str]:
    return [error["message"] for error in response.json()["detail"]]


def ids(response: Any) -> list[int]:
    return [item["id"] for item in response.json()["items"]]


@pytest.fixture
def coordinator_b(district_b: Territory) -> User:
    return UserFactory(role=Role.COORDINATOR, territory=district_b)


def meeting_in(organization: Organization, **kwargs: Any) -> Meeting:
    return MeetingFactory(organizer=organization, **kwargs)


def local_person(organization: Organization, **kwargs: Any) -> Any:
    """Somebody registered in the organization's territory, so its coordinator sees them."""
    return PersonFactory(territory=organization.territory, **kwargs)


def new_meeting(organization: Organization, **extra: Any) -> dict[str, Any]:
    return {
        "title_kk": "Жобалық кеңсенің кеңесі",
        "title_ru": "Совещание проектного офиса",
        "format": "in_person",
        "venue": "Әкімдік, 1-зал",
        "start": "2021-04-21T10:00:00+06:00",
        "end": "2021-04-21T12:00:00+06:00",
        "organizer": organization.pk,
        "territory": organization.territory_id,
        **extra,
    }


# ---------------------------------------------------------------------------------------------
# Meetings
# ---------------------------------------------------------------------------------------------


def test_meeting_list_filters(
    as_user: AsUser,
    project_office: User,
    organization_a: Organization,
    organization_b: Organization,
) -> None:
    spring = meeting_in(
        organization_a,
        title_kk="Көктемгі кеңес",
        start=datetime.datetime(2020, 4, 21, 4, tzinfo=UTC),
        end=datetime.datetime(2020, 4, 21, 6, tzinfo=UTC),
        kind="extraordinary",
    )
    february = meeting_in(
        organization_a,
        start=datetime.datetime(2020, 2, 14, 4, tzinfo=UTC),
        end=datetime.datetime(2020, 2, 14, 6, tzinfo=UTC),
        state="approved",
    )
    elsewhere = meeting_in(organization_b)
    client = as_user(project_office)

    # Latest first.
    assert ids(client.get("/api/v1/meetings")) == [elsewhere.pk, spring.pk, february.pk]
    assert ids(client.get("/api/v1/meetings?state=approved")) == [february.pk]
    assert ids(client.get("/api/v1/meetings?kind=extraordinary")) == [spring.pk]
    assert ids(client.get(f"/api/v1/meetings?territory={organization_a.territory_id}")) == [
        spring.pk,
        february.pk,
    ]
    assert ids(client.get("/api/v1/meetings", {"from": "2020-03-01", "to": "2020-12-31"})) == [
        spring.pk
    ]
    assert ids(client.get("/api/v1/meetings", {"q": "көктем"})) == [spring.pk]


def test_meeting_detail_has_participants_and_agenda_with_decisions(
    as_user: AsUser, coordinator_a: User, organization_a: Organization
) -> None:
    chair = PersonFactory(surname_kk="Әбдіров", given_name_kk="Нұрлан")
    meeting = meeting_in(organization_a, chair=chair)
    participant = ParticipantFactory(meeting=meeting, person=chair, organization=organization_a)
    second = AgendaItemFactory(meeting=meeting, order=2)
    first = AgendaItemFactory(meeting=meeting, order=1)
    first.speakers.set([chair])
    decision = DecisionFactory(item=first, number=1)

    response = as_user(coordinator_a).get(f"/api/v1/meetings/{meeting.pk}")

    assert response.status_code == 200
    body = response.json()
    assert body["chair"] == {"id": chair.pk, "name": "Нұрлан Әбдіров"}
    assert body["organizer"]["id"] == organization_a.pk
    assert [p["id"] for p in body["participants"]] == [participant.pk]
    assert body["participants"][0]["person"]["id"] == chair.pk
    assert [item["id"] for item in body["items"]] == [first.pk, second.pk]
    assert body["items"][0]["speakers"] == [{"id": chair.pk, "name": "Нұрлан Әбдіров"}]
    assert [d["id"] for d in body["items"][0]["decisions"]] == [decision.pk]
    assert body["minutes_revision"] == 0


def test_coordinator_of_another_district_gets_404(
    as_user: AsUser, coordinator_b: User, organization_a: Organization
) -> None:
    meeting = meeting_in(organization_a)
    item = AgendaItemFactory(meeting=meeting)
    client = as_user(coordinator_b)

    assert ids(client.get("/api/v1/meetings")) == []
    assert client.get(f"/api/v1/meetings/{meeting.pk}").status_code == 404
    assert client.get(f"/api/v1/meetings/{meeting.pk}/items").status_code == 404
    patched = client.patch(f"/api/v1/meetings/{meeting.pk}", {"venue": "Басқа"}, content_type=JSON)
    minutes = client.patch(
        f"/api/v1/meetings/{meeting.pk}/items/{item.pk}/minutes",
        {"revision": 0, "heard_kk": "Тыңдалды"},
        content_type=JSON,
    )
    assert patched.status_code == 404
    assert minutes.status_code == 404
    assert Meeting.objects.get(pk=meeting.pk).venue == "Akimat, hall 1"


def test_coordinator_creates_and_updates_a_meeting(
    as_user: AsUser, coordinator_a: User, organization_a: Organization
) -> None:
    program = ProgramFactory()
    project = ProjectFactory(territory=organization_a.territory)
    chair = local_person(organization_a)
    client = as_user(coordinator_a)

    created = client.post(
        "/api/v1/meetings",
        new_meeting(organization_a, chair=chair.pk, programs=[program.pk], projects=[project.pk]),
        content_type=JSON,
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["state"] == "draft"
    assert body["chair"]["id"] == chair.pk
    assert [p["id"] for p in body["programs"]] == [program.pk]
    assert [p["id"] for p in body["projects"]] == [project.pk]
    assert body["participants"] == body["items"] == []

    updated = client.patch(
        f"/api/v1/meetings/{body['id']}",
        {
            "format": "online",
            "venue": "",
            "video_url": "https://zoom.us/j/123",
            "video_meeting_id": "123",
            "programs": [],
        },
        content_type=JSON,
    )
    assert updated.status_code == 200, updated.json()
    assert updated.json()["programs"] == []
    meeting = Meeting.objects.get(pk=body["id"])
    assert meeting.format == "online"
    assert meeting.video_url == "https://zoom.us/j/123"
    assert list(meeting.projects.all()) == [project]


def test_meeting_rejects_bad_input(
    as_user: AsUser, coordinator_a: User, organization_a: Organization, organization_b: Organization
) -> None:
    client = as_user(coordinator_a)

    backwards = client.post(
        "/api/v1/meetings",
        new_meeting(organization_a, end="2021-04-21T09:00:00+06:00"),
        content_type=JSON,
    )
    no_link = client.post(
        "/api/v1/meetings", new_meeting(organization_a, format="online"), content_type=JSON
    )
    untitled = client.post(
        "/api/v1/meetings", new_meeting(organization_a, title_kk=""), content_type=JSON
    )
    # District B is out of the coordinator's sight: its organization is an unknown choice.
    foreign = client.post("/api/v1/meetings", new_meeting(organization_b), content_type=JSON)

    assert fields(backwards) == {"end"}
    assert fields(no_link) == {"video_url"}
    assert fields(untitled) == {"title_kk"}
    assert fields(foreign) == {"organizer", "territory"}
    assert {r.status_code for r in (backwards, no_link, untitled, foreign)} == {422}
    assert not Meeting.objects.exists()


def test_observer_gets_403_on_writes(
    as_user: AsUser, observer: User, organization_a: Organization
) -> None:
    meeting = meeting_in(organization_a)
    item = AgendaItemFactory(meeting=meeting)
    participant = ParticipantFactory(meeting=meeting)
    client = as_user(observer)

    responses = [
        client.post("/api/v1/meetings", new_meeting(organization_a), content_type=JSON),
        client.patch(f"/api/v1/meetings/{meeting.pk}", {"venue": "Басқа"}, content_type=JSON),
        client.post(
            f"/api/v1/meetings/{meeting.pk}/transition", {"to": "in_progress"}, content_type=JSON
        ),
        client.post(
            f"/api/v1/meetings/{meeting.pk}/participants",
            {"people": [PersonFactory().pk]},
            content_type=JSON,
        ),
        client.patch(
            f"/api/v1/meetings/{meeting.pk}/participants/{participant.pk}",
            {"attendance": "present"},
            content_type=JSON,
        ),
        client.post(
            f"/api/v1/meetings/{meeting.pk}/items",
            {"title_kk": "Мәселе", "title_ru": "Вопрос"},
            content_type=JSON,
        ),
        client.patch(
            f"/api/v1/meetings/{meeting.pk}/items/{item.pk}/minutes",
            {"revision": 0, "heard_kk": "Тыңдалды"},
            content_type=JSON,
        ),
        client.post(
            f"/api/v1/meetings/{meeting.pk}/items/{item.pk}/decisions",
            {"text_kk": "Шешім", "text_ru": "Решение"},
            content_type=JSON,
        ),
    ]

    assert client.get(f"/api/v1/meetings/{meeting.pk}").status_code == 200
    assert [r.status_code for r in responses] == [403] * len(responses)
    assert Meeting.objects.count() == 1
    assert not AgendaItem.objects.get().heard_kk  # type: ignore[attr-defined]


def test_meeting_update_after_approval_is_refused(
    as_user: AsUser, coordinator_a: User, organization_a: Organization
) -> None:
    meeting = meeting_in(organization_a, state=MeetingState.APPROVED)
    item = AgendaItemFactory(meeting=meeting)
    client = as_user(coordinator_a)

    updated = client.patch(
        f"/api/v1/meetings/{meeting.pk}",
        {"venue": "Басқа зал"},
        content_type=JSON,
        HTTP_ACCEPT_LANGUAGE="ru",
    )
    minutes = client.patch(
        f"/api/v1/meetings/{meeting.pk}/items/{item.pk}/minutes",
        {"revision": 0, "heard_kk": "Тыңдалды"},
        content_type=JSON,
    )

    with translation.override("ru"):
        locked = str(services.LOCKED)
    assert updated.status_code == 422
    assert updated.json()["detail"] == [{"field": None, "message": locked}]
    assert minutes.status_code == 422
    assert Meeting.objects.get(pk=meeting.pk).venue == "Akimat, hall 1"


def test_meeting_transitions(
    as_user: AsUser, coordinator_a: User, organization_a: Organization
) -> None:
    meeting = meeting_in(organization_a, state=MeetingState.DRAFT)
    client = as_user(coordinator_a)
    url = f"/api/v1/meetings/{meeting.pk}/transition"

    nobody = client.post(url, {"to": "scheduled"}, content_type=JSON)
    ParticipantFactory(meeting=meeting)
    scheduled = client.post(url, {"to": "scheduled"}, content_type=JSON)
    skipped = client.post(url, {"to": "approved"}, content_type=JSON)
    unknown = client.post(url, {"to": "cancelled"}, content_type=JSON)

    assert nobody.status_code == 422
    assert scheduled.status_code == 200, scheduled.json()
    assert scheduled.json()["state"] == "scheduled"
    assert scheduled.json()["invitations_sent_at"] is not None
    assert skipped.status_code == 422
    assert fields(unknown) == {"to"}
    assert Meeting.objects.get(pk=meeting.pk).state == MeetingState.SCHEDULED


# ---------------------------------------------------------------------------------------------
# Participants
# ---------------------------------------------------------------------------------------------


def test_invite_people_and_groups(
    as_user: AsUser, coordinator_a: User, organization_a: Organization
) -> None:
    meeting = meeting_in(organization_a, state=MeetingState.DRAFT)
    person = local_person(organization_a)
    deputy = PositionFactory(code="deputy-akim")
    holder = AppointmentFactory(
        position=deputy, organization=organization_a, start=datetime.date(2020, 1, 1)
    )
    group = InvitationGroup.objects.create(name_kk="Әкім орынбасарлары", position=deputy)
    client = as_user(coordinator_a)

    response = client.post(
        f"/api/v1/meetings/{meeting.pk}/participants",
        {"people": [person.pk], "groups": [group.pk], "role": "speaker"},
        content_type=JSON,
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert [p["person"]["id"] for p in body] == [person.pk, holder.person_id]
    assert body[0]["role"] == "speaker"
    assert body[1]["group"]["id"] == group.pk
    assert body[1]["organization"]["id"] == organization_a.pk


def test_invite_someone_twice_is_refused_naming_them(
    as_user: AsUser, coordinator_a: User, organization_a: Organization
) -> None:
    meeting = meeting_in(organization_a)
    person = local_person(organization_a, surname_kk="Сейтқали", given_name_kk="Айгүл")
    ParticipantFactory(meeting=meeting, person=person)
    newcomer = local_person(organization_a)

    response = as_user(coordinator_a).post(
        f"/api/v1/meetings/{meeting.pk}/participants",
        {"people": [newcomer.pk, person.pk]},
        content_type=JSON,
    )

    assert response.status_code == 422
    assert fields(response) == {"people"}
    assert "Сейтқали Айгүл" in messages(response)[0]
    assert list(meeting.participants.values_list("person_id", flat=True)) == [person.pk]


def test_invite_an_unknown_person_names_the_field(
    as_user: AsUser, coordinator_a: User, organization_a: Organization
) -> None:
    meeting = meeting_in(organization_a)

    response = as_user(coordinator_a).post(
        f"/api/v1/meetings/{meeting.pk}/participants", {"people": [999999]}, content_type=JSON
    )

    assert response.status_code == 422
    assert fields(response) == {"people"}


def test_attendance(as_user: AsUser, coordinator_a: User, organization_a: Organization) -> None:
    meeting = meeting_in(organization_a, state=MeetingState.IN_PROGRESS)
    participant = ParticipantFactory(meeting=meeting)
    deputy = local_person(organization_a)
    client = as_user(coordinator_a)
    url = f"/api/v1/meetings/{meeting.pk}/participants/{participant.pk}"

    nameless = client.patch(url, {"attendance": "replaced"}, content_type=JSON)
    replaced = client.patch(
        url, {"attendance": "replaced", "replaced_by": deputy.pk}, content_type=JSON
    )
    online = client.patch(url, {"online": True}, content_type=JSON)
    other = ParticipantFactory()  # of another meeting
    foreign = client.patch(
        f"/api/v1/meetings/{meeting.pk}/participants/{other.pk}",
        {"attendance": "present"},
        content_type=JSON,
    )

    assert fields(nameless) == {"replaced_by"}
    assert replaced.status_code == 200, replaced.json()
    assert replaced.json()["replaced_by"]["id"] == deputy.pk
    assert online.status_code == 200
    assert online.json()["attendance"] == "replaced"  # a partial update keeps the rest
    assert foreign.status_code == 404
    participant.refresh_from_db()
    assert participant.attendance == Attendance.REPLACED
    assert participant.online is True
    assert Participant.objects.get(pk=other.pk).attendance == Attendance.EXPECTED


# ---------------------------------------------------------------------------------------------
# Agenda, decisions, minutes
# ---------------------------------------------------------------------------------------------


def test_agenda_items_and_decisions(
    as_user: AsUser, coordinator_a: User, organization_a: Organization
) -> None:
    meeting = meeting_in(organization_a)
    speaker = local_person(organization_a)
    client = as_user(coordinator_a)
    items_url = f"/api/v1/meetings/{meeting.pk}/items"

    first = client.post(
        items_url,
        {"title_kk": "Туризм", "title_ru": "Туризм", "speakers": [speaker.pk]},
        content_type=JSON,
    )
    second = client.post(
        items_url, {"title_kk": "Мәдениет", "title_ru": "Культура"}, content_type=JSON
    )
    assert first.status_code == second.status_code == 201, first.json()
    assert (first.json()["order"], second.json()["order"]) == (1, 2)
    assert first.json()["speakers"][0]["id"] == speaker.pk
    item_id = first.json()["id"]

    moved = client.patch(
        f"{items_url}/{item_id}", {"order": 3, "duration_minutes": 20}, content_type=JSON
    )
    assert moved.status_code == 200, moved.json()
    assert ids(client.get(items_url)) == [second.json()["id"], item_id]

    decisions_url = f"{items_url}/{item_id}/decisions"
    one = client.post(decisions_url, {"text_kk": "Бірінші", "text_ru": "Первое"}, content_type=JSON)
    two = client.post(decisions_url, {"text_kk": "Екінші", "text_ru": "Второе"}, content_type=JSON)
    assert (one.json()["number"], two.json()["number"]) == (1, 2)
    edited = client.patch(
        f"{decisions_url}/{one.json()['id']}", {"text_ru": "Первое решение"}, content_type=JSON
    )
    assert edited.status_code == 200, edited.json()
    assert edited.json()["text_ru"] == "Первое решение"
    untitled = client.post(items_url, {"title_kk": "", "title_ru": "Вопрос"}, content_type=JSON)
    assert fields(untitled) == {"title_kk"}

    detail = client.get(f"/api/v1/meetings/{meeting.pk}").json()
    assert [d["number"] for d in detail["items"][1]["decisions"]] == [1, 2]


def test_review_item_is_proposed_once(
    as_user: AsUser, coordinator_a: User, organization_a: Organization
) -> None:
    meeting = meeting_in(organization_a)
    AgendaItemFactory(meeting=meeting, order=1)
    client = as_user(coordinator_a)

    first = client.post(f"/api/v1/meetings/{meeting.pk}/review-item")
    again = client.post(f"/api/v1/meetings/{meeting.pk}/review-item")

    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"]
    assert first.json()["kind"] == "review"
    assert first.json()["order"] == 1


def test_minutes_with_a_stale_revision_get_409(
    as_user: AsUser, coordinator_a: User, organization_a: Organization
) -> None:
    meeting = meeting_in(organization_a, state=MeetingState.HELD)
    item = AgendaItemFactory(meeting=meeting)
    client = as_user(coordinator_a)
    url = f"/api/v1/meetings/{meeting.pk}/items/{item.pk}/minutes"

    first = client.patch(url, {"revision": 0, "heard_kk": "Біріншінің мәтіні"}, content_type=JSON)
    stale = client.patch(
        url,
        {"revision": 0, "heard_kk": "Екіншінің мәтіні"},
        content_type=JSON,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    again = client.patch(
        url,
        {"revision": first.json()["revision"], "discussion_kk": "Талқылау"},
        content_type=JSON,
    )

    assert first.status_code == 200, first.json()
    assert first.json()["revision"] == 1
    assert first.json()["heard_kk"] == "Біріншінің мәтіні"
    assert stale.status_code == 409
    assert stale.json()["detail"].startswith("Somebody else saved these minutes")
    assert again.status_code == 200, again.json()
    assert again.json()["revision"] == 2
    item.refresh_from_db()
    assert item.heard_kk == "Біріншінің мәтіні"  # type: ignore[attr-defined]
    assert item.discussion_kk == "Талқылау"  # type: ignore[attr-defined]


# ---------------------------------------------------------------------------------------------
# Participants read on their own
# ---------------------------------------------------------------------------------------------


def test_participants_are_read_on_their_own(
    as_user: AsUser, observer: User, coordinator_b: User, organization_a: Organization
) -> None:
    meeting = meeting_in(organization_a)
    first = ParticipantFactory(meeting=meeting, organization=organization_a)
    second = ParticipantFactory(meeting=meeting, attendance=Attendance.EXCUSED)
    other = ParticipantFactory()  # of another meeting
    url = f"/api/v1/meetings/{meeting.pk}/participants"

    listed = as_user(observer).get(url)
    one = as_user(observer).get(f"{url}/{second.pk}")
    foreign = as_user(observer).get(f"{url}/{other.pk}")
    outside = as_user(coordinator_b).get(url)

    assert listed.status_code == 200
    assert ids(listed) == [first.pk, second.pk]
    assert listed.json()["items"][0]["organization"]["id"] == organization_a.pk
    assert one.status_code == 200
    assert one.json()["attendance"] == "excused"
    assert one.json()["person"]["id"] == second.person_id
    assert foreign.status_code == 404
    assert outside.status_code == 404
    assert "detail" in outside.json()


def test_one_agenda_item_is_read_with_its_decisions(
    as_user: AsUser, observer: User, organization_a: Organization
) -> None:
    meeting = meeting_in(organization_a)
    item = AgendaItemFactory(meeting=meeting, order=1)
    decision = DecisionFactory(item=item, number=1)
    elsewhere = AgendaItemFactory()  # of another meeting

    one = as_user(observer).get(f"/api/v1/meetings/{meeting.pk}/items/{item.pk}")
    foreign = as_user(observer).get(f"/api/v1/meetings/{meeting.pk}/items/{elsewhere.pk}")

    assert one.status_code == 200
    assert one.json()["id"] == item.pk
    assert [d["id"] for d in one.json()["decisions"]] == [decision.pk]
    assert foreign.status_code == 404


# ---------------------------------------------------------------------------------------------
# Invitation groups
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def deputies(
    region: Territory, organization_a: Organization, organization_b: Organization
) -> dict[str, Any]:
    """The deputy akims of districts A and B (A's since 2020, B's since 2021)."""
    deputy = PositionFactory(code="deputy-akim", name_kk="Әкімнің орынбасары")
    return {
        "position": deputy,
        "a": AppointmentFactory(
            position=deputy, organization=organization_a, start=datetime.date(2020, 1, 1)
        ),
        "b": AppointmentFactory(
            position=deputy, organization=organization_b, start=datetime.date(2021, 1, 1)
        ),
    }


def test_invitation_groups_are_defined_by_the_project_office(
    as_user: AsUser,
    project_office: User,
    coordinator_a: User,
    region: Territory,
    deputies: dict[str, Any],
) -> None:
    definition = {
        "name_kk": "Аудандар мен қалалар әкімдерінің орынбасарлары",
        "name_ru": "Заместители акимов районов и городов",
        "position": deputies["position"].pk,
        "territory": region.pk,
        "territory_kinds": ["district", "city"],
    }
    office = as_user(project_office)

    by_coordinator = as_user(coordinator_a).post(
        "/api/v1/invitation-groups", definition, content_type=JSON
    )
    created = office.post("/api/v1/invitation-groups", definition, content_type=JSON)
    assert created.status_code == 201, created.json()
    url = f"/api/v1/invitation-groups/{created.json()['id']}"
    renamed = office.patch(url, {"name_en": "Deputy akims"}, content_type=JSON)
    patched_by_coordinator = as_user(coordinator_a).patch(
        url, {"name_en": "Mine"}, content_type=JSON
    )
    unknown_kind = office.patch(url, {"territory_kinds": ["planet"]}, content_type=JSON)
    listed = as_user(coordinator_a).get("/api/v1/invitation-groups")

    assert by_coordinator.status_code == 403
    assert patched_by_coordinator.status_code == 403
    assert created.json()["position"]["id"] == deputies["position"].pk
    assert created.json()["territory"]["id"] == region.pk
    assert created.json()["territory_kinds"] == ["district", "city"]
    assert renamed.status_code == 200
    assert renamed.json()["name_en"] == "Deputy akims"
    assert renamed.json()["name_kk"] == definition["name_kk"]
    assert unknown_kind.status_code == 422
    assert ids(listed) == [created.json()["id"]]
    assert InvitationGroup.objects.get().name_en == "Deputy akims"


def test_a_group_expands_to_the_holders_the_caller_sees_on_a_date(
    as_user: AsUser,
    project_office: User,
    coordinator_a: User,
    deputies: dict[str, Any],
) -> None:
    group = InvitationGroup.objects.create(name_kk="Орынбасарлар", position=deputies["position"])
    url = f"/api/v1/invitation-groups/{group.pk}/members"

    region_wide = as_user(project_office).get(url, {"on": "2021-06-01"})
    in_2020 = as_user(project_office).get(url, {"on": "2020-06-01"})
    district_a = as_user(coordinator_a).get(url, {"on": "2021-06-01"})

    assert region_wide.status_code == 200
    people = [member["person"]["id"] for member in region_wide.json()]
    assert sorted(people) == sorted([deputies["a"].person_id, deputies["b"].person_id])
    assert [member["appointment"] for member in in_2020.json()] == [deputies["a"].pk]
    assert [member["appointment"] for member in district_a.json()] == [deputies["a"].pk]
    assert district_a.json()[0]["position"] == "Әкімнің орынбасары"


def test_a_group_being_defined_is_previewed_by_those_who_define_groups(
    as_user: AsUser,
    project_office: User,
    coordinator_a: User,
    organization_b: Organization,
    deputies: dict[str, Any],
) -> None:
    typed = {
        "position": deputies["position"].pk,
        "territory": organization_b.territory_id,
        "on": "2021-06-01",
    }

    preview = as_user(project_office).post(
        "/api/v1/invitation-groups/preview", typed, content_type=JSON
    )
    by_coordinator = as_user(coordinator_a).post(
        "/api/v1/invitation-groups/preview", typed, content_type=JSON
    )

    assert preview.status_code == 200, preview.json()
    assert [member["appointment"] for member in preview.json()] == [deputies["b"].pk]
    assert by_coordinator.status_code == 403
    assert not InvitationGroup.objects.exists()


# ---------------------------------------------------------------------------------------------
# Amendments, series, the next meeting
# ---------------------------------------------------------------------------------------------


def test_approved_minutes_are_amended_beside_them(
    as_user: AsUser, coordinator_a: User, observer: User, organization_a: Organization
) -> None:
    approved = meeting_in(organization_a, state=MeetingState.APPROVED)
    held = meeting_in(organization_a, state=MeetingState.HELD)
    client = as_user(coordinator_a)
    url = f"/api/v1/meetings/{approved.pk}/amendments"

    added = client.post(url, {"text": "2-шешімнің мерзімі: 1 мамыр."}, content_type=JSON)
    empty = client.post(url, {"text": "  "}, content_type=JSON)
    by_observer = as_user(observer).post(url, {"text": "Менің түзетуім."}, content_type=JSON)
    not_approved = client.post(
        f"/api/v1/meetings/{held.pk}/amendments", {"text": "Түзету."}, content_type=JSON
    )
    listed = as_user(observer).get(url)

    assert added.status_code == 201, added.json()
    assert added.json()["author"]["id"] == coordinator_a.pk
    assert fields(empty) == {"text"}
    assert by_observer.status_code == 403
    assert not_approved.status_code == 422
    assert listed.json() == [added.json()]


def test_a_series_and_its_next_meeting(
    as_user: AsUser, coordinator_a: User, observer: User, organization_a: Organization
) -> None:
    client = as_user(coordinator_a)
    series = client.post(
        "/api/v1/meeting-series",
        {"title_kk": "Апта сайынғы кеңес", "title_ru": "Еженедельное", "recurrence": "weekly"},
        content_type=JSON,
    )
    by_observer = as_user(observer).post(
        "/api/v1/meeting-series",
        {"title_kk": "Менің", "title_ru": "Моя", "recurrence": "weekly"},
        content_type=JSON,
    )
    assert series.status_code == 201, series.json()
    assert by_observer.status_code == 403
    assert [s["id"] for s in client.get("/api/v1/meeting-series").json()["items"]] == [
        series.json()["id"]
    ]
    meeting = meeting_in(organization_a, series_id=series.json()["id"])
    open_item = AgendaItemFactory(meeting=meeting, order=1, closed=False)
    AgendaItemFactory(meeting=meeting, order=2, closed=True)
    lone = meeting_in(organization_a)
    url = f"/api/v1/meetings/{meeting.pk}/next"
    times = {"start": "2021-02-22T10:00:00+06:00", "end": "2021-02-22T12:00:00+06:00"}

    following = client.post(url, times, content_type=JSON)
    backwards = client.post(url, {"start": times["end"], "end": times["start"]}, content_type=JSON)
    outside_a_series = client.post(f"/api/v1/meetings/{lone.pk}/next", times, content_type=JSON)
    earlier = client.post(
        url,
        {"start": "2021-02-01T10:00:00+06:00", "end": "2021-02-01T12:00:00+06:00"},
        content_type=JSON,
    )
    far_ahead = client.post(
        url,
        {"start": "9999-12-31T10:00:00+06:00", "end": "9999-12-31T12:00:00+06:00"},
        content_type=JSON,
    )

    assert following.status_code == 201, following.json()
    body = following.json()
    assert body["series"]["id"] == series.json()["id"]
    assert body["title_kk"] == meeting.title_kk
    assert [item["carried_from"] for item in body["items"]] == [open_item.pk]
    assert fields(backwards) == {"end"}
    assert outside_a_series.status_code == 404
    assert fields(earlier) == {"start"}
    assert fields(far_ahead) == {"start"}


# ---------------------------------------------------------------------------------------------
# The calendar address
# ---------------------------------------------------------------------------------------------


def test_my_calendar_address(as_user: AsUser, observer: User) -> None:
    path = reverse("calendar:calendar_feed", kwargs={"token": feeds.calendar_token(observer)})

    response = as_user(observer).get("/api/v1/me/calendar")

    assert response.status_code == 200
    assert response.json() == {"url": f"http://testserver{path}"}
    assert feeds.user_for_calendar_token(path.rsplit("/", 1)[1].removesuffix(".ics")) == observer


def test_a_new_calendar_address_ends_the_old_one(as_user: AsUser, observer: User) -> None:
    client = as_user(observer)
    old = client.get("/api/v1/me/calendar").json()["url"]

    response = client.post("/api/v1/me/calendar/renew")

    new = response.json()["url"]
    assert response.status_code == 200
    assert new != old
    assert client.get("/api/v1/me/calendar").json()["url"] == new
    assert feeds.user_for_calendar_token(_feed_token(new)) == observer
    assert feeds.user_for_calendar_token(_feed_token(old)) is None


def _feed_token(url: str) -> str:
    return url.rsplit("/", 1)[1].removesuffix(".ics")


# ---------------------------------------------------------------------------------------------
# Query counts of the detail: the token, the user's scope, then the meeting and what it lists,
# whatever the number of rows (the lists are pinned in tests/test_query_counts.py)
# ---------------------------------------------------------------------------------------------


def _detail(n: int, organization: Organization) -> str:
    meeting = Meeting.objects.filter(organizer=organization).first() or meeting_in(organization)
    for _ in range(n):
        ParticipantFactory(meeting=meeting, organization=organization)
        item = AgendaItemFactory(meeting=meeting)
        item.speakers.set([PersonFactory()])
        DecisionFactory(item=item)
    return f"/api/v1/meetings/{meeting.pk}"


def _participants(n: int, organization: Organization) -> str:
    meeting = Meeting.objects.filter(organizer=organization).first() or meeting_in(organization)
    for _ in range(n):
        ParticipantFactory(
            meeting=meeting,
            organization=organization,
            attendance="replaced",
            replaced_by=PersonFactory(),
        )
    return f"/api/v1/meetings/{meeting.pk}/participants"


def _groups(n: int, organization: Organization) -> str:
    for _ in range(n):
        InvitationGroup.objects.create(
            name_kk="Топ", position=PositionFactory(), territory=organization.territory
        )
    return "/api/v1/invitation-groups"


def _members(n: int, organization: Organization) -> str:
    position = PositionFactory() if not InvitationGroup.objects.exists() else None
    group = InvitationGroup.objects.first() or InvitationGroup.objects.create(
        name_kk="Орынбасарлар", position=position
    )
    for _ in range(n):
        AppointmentFactory(
            position=group.position,
            organization=organization,
            person=local_person(organization),
            start=datetime.date(2020, 1, 1),
        )
    return f"/api/v1/invitation-groups/{group.pk}/members"


@pytest.mark.parametrize(
    ("build", "queries"),
    [
        # meeting, participants, items, speakers, projects, decisions, programs, projects,
        # and its latest history record: the revision answered as the ETag
        (_detail, 11),
        # the meeting, the count, the participants with their people, groups and deputies
        (_participants, 5),
        # the count, the groups with their posts and territories
        (_groups, 3),
        # the group, the holders with their people, organizations and posts
        (_members, 4),
    ],
)
def test_query_count_does_not_grow_with_rows(
    as_user: AsUser,
    coordinator_a: User,
    organization_a: Organization,
    django_assert_num_queries: Any,
    build: Callable[[int, Organization], str],
    queries: int,
) -> None:
    client = as_user(coordinator_a)

    url = build(3, organization_a)
    cache.clear()  # counted cold: what is kept between requests is read afresh
    with django_assert_num_queries(queries):
        few = client.get(url)
    build(7, organization_a)
    cache.clear()  # counted cold: what is kept between requests is read afresh
    with django_assert_num_queries(queries):
        many = client.get(url)

    assert few.status_code == many.status_code == 200
    assert len(str(many.content)) > len(str(few.content))
