"""The import of a region's past through the API (`POST /api/v1/imports/…`): the 2020 story
of the «Рухани жаңғыру» project office — the 21 April 2020 online meeting with its minutes,
its assignments done on time, late, extended or left open, their execution reports, the
guideline sent to institutions and acknowledged — each object in one call with its own dates,
checked, recorded as imported, and counted in 2020's on-time figures."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from factories import (
    AppointmentFactory,
    DocumentFactory,
    IndicatorFactory,
    OrganizationFactory,
    PersonFactory,
    PositionFactory,
    ReportFormFactory,
    UserFactory,
)
from kense.accounts.models import User
from kense.assignments.models import Assignment, ExecutionReport, Extension, Review
from kense.assignments.selectors import discipline_total
from kense.core.history import history_entries
from kense.core.permissions import Role
from kense.documents.models import Distribution, Recipient
from kense.indicators.compute import compute_many
from kense.indicators.models import Report
from kense.meetings.models import Meeting, Participant
from kense.registry.models import Organization, OrganizationKind, Territory

pytestmark = pytest.mark.django_db

JSON = "application/json"
AsUser = Callable[..., Client]
ALMATY = datetime.timezone(datetime.timedelta(hours=6))


def at(day: str, hour: int = 10) -> str:
    """A moment of 2020 in Almaty time, as the API takes it."""
    return (
        datetime.datetime.fromisoformat(f"{day}T{hour:02d}:00:00")
        .replace(tzinfo=ALMATY)
        .isoformat()
    )


def moment(value: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))


def post(client: Client, path: str, body: dict[str, Any]) -> Any:
    return client.post(f"/api/v1/imports/{path}", body, content_type=JSON)


def fields(response: Any) -> set[str | None]:
    return {error["field"] for error in response.json()["detail"]}


@pytest.fixture
def office_client(as_user: AsUser, project_office: User) -> Client:
    return as_user(project_office)


@pytest.fixture
def secretary(organization_a: Organization) -> Any:
    """The project office's secretary, on her post since 2019."""
    person = PersonFactory(surname_kk="Ахметова", surname_ru="Ахметова")
    position = PositionFactory(code="secretary", name_kk="Хатшы", name_ru="Секретарь")
    AppointmentFactory(
        person=person,
        organization=organization_a,
        position=position,
        start=datetime.date(2019, 1, 1),
    )
    return person


def zoom_meeting(organization: Organization, district: Territory, **changes: Any) -> dict[str, Any]:
    """The 21 April 2020 online meeting of the project office, minutes approved on 23 April."""
    return {
        "title_kk": "«Рухани жаңғыру» жобалық кеңсесінің онлайн отырысы",
        "title_ru": "Онлайн-заседание проектного офиса «Рухани жаңғыру»",
        "format": "online",
        "video_url": "https://zoom.us/j/123456789",
        "start": at("2020-04-21", 10),
        "end": at("2020-04-21", 12),
        "organizer": organization.pk,
        "territory": district.pk,
        "state": "approved",
        "invitations_sent_at": at("2020-04-18", 9),
        "approved_at": at("2020-04-23", 15),
        **changes,
    }


# ---------------------------------------------------------------------------------------------
# Meetings
# ---------------------------------------------------------------------------------------------


def test_a_held_meeting_with_approved_minutes_is_imported_in_one_call(
    office_client: Client,
    project_office: User,
    organization_a: Organization,
    district_a: Territory,
    secretary: Any,
) -> None:
    absent = PersonFactory(territory=district_a)
    body = zoom_meeting(
        organization_a,
        district_a,
        participants=[
            {"person": secretary.pk, "role": "secretary"},
            {"person": absent.pk, "attendance": "excused"},
        ],
        items=[
            {
                "title_kk": "Бұрын берілген тапсырмалардың орындалуы",
                "title_ru": "Об исполнении ранее данных поручений",
                "kind": "review",
                "heard_kk": "Хатшы баяндады.",
                "decisions": [{"text_kk": "Есепке алынсын.", "text_ru": "Принять к сведению."}],
            }
        ],
    )
    response = post(office_client, "meetings", body)
    assert response.status_code == 201, response.json()
    meeting_id = response.json()["id"]

    # Read back through the normal endpoint: every date is 2020's, none is the server's now.
    shown = office_client.get(f"/api/v1/meetings/{meeting_id}").json()
    assert shown["state"] == "approved"
    assert moment(shown["start"]) == moment(body["start"])
    assert moment(shown["invitations_sent_at"]) == moment(body["invitations_sent_at"])
    assert moment(shown["approved_at"]) == moment(body["approved_at"])
    attendance = {p["person"]["id"]: p for p in shown["participants"]}
    assert attendance[secretary.pk]["attendance"] == "present"
    assert attendance[secretary.pk]["role"] == "secretary"
    # The post she held on the meeting's day, frozen with the invitation.
    assert attendance[secretary.pk]["organization"]["id"] == organization_a.pk
    assert attendance[secretary.pk]["position_title"] == "Хатшы"
    assert attendance[absent.pk]["attendance"] == "excused"
    assert {moment(p["invited_at"]) for p in shown["participants"]} == {
        moment(body["invitations_sent_at"])
    }
    (item,) = shown["items"]
    assert item["kind"] == "review" and item["heard_kk"] == "Хатшы баяндады."
    assert [d["text_kk"] for d in item["decisions"]] == ["Есепке алынсын."]

    # Recorded as imported, by the office's user, on every history row it wrote.
    meeting = Meeting.objects.get(pk=meeting_id)
    entries = history_entries(meeting)
    assert entries and {entry.reason for entry in entries} == {"Импортталды"}  # read in Kazakh
    assert {entry.user for entry in entries} == {project_office}
    participant = Participant.objects.get(meeting=meeting, person=secretary)
    assert participant.history.get().history_change_reason == "Imported"  # type: ignore[attr-defined]
    # The meeting's page shows it in its history.
    page = Client()
    page.force_login(project_office)
    html = page.get(meeting.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "(Импортталды)" in html


def test_the_meetings_dates_must_tell_a_possible_story(
    office_client: Client, organization_a: Organization, district_a: Territory
) -> None:
    cases = {
        "invitations_sent_at": {"invitations_sent_at": at("2020-04-21", 11)},
        "approved_at": {"approved_at": at("2020-04-20", 9)},
        "end": {"start": "2099-01-01T10:00:00+06:00", "end": "2099-01-01T12:00:00+06:00"},
    }
    for field, changes in cases.items():
        response = post(
            office_client, "meetings", zoom_meeting(organization_a, district_a, **changes)
        )
        assert response.status_code == 422, field
        assert field in fields(response)
    held_with_approval = zoom_meeting(organization_a, district_a, state="held")
    response = post(office_client, "meetings", held_with_approval)
    assert response.status_code == 422 and fields(response) == {"approved_at"}
    approved_without_date = zoom_meeting(organization_a, district_a, approved_at=None)
    response = post(office_client, "meetings", approved_without_date)
    assert response.status_code == 422 and fields(response) == {"approved_at"}
    assert not Meeting.objects.exists()


def test_a_participant_out_of_sight_is_refused_by_its_path_and_nothing_is_saved(
    office_client: Client,
    organization_a: Organization,
    district_a: Territory,
    secretary: Any,
) -> None:
    elsewhere = OrganizationFactory()  # another region's
    stranger = PersonFactory()
    AppointmentFactory(person=stranger, organization=elsewhere)
    stranger.territory = elsewhere.territory
    stranger.save()
    body = zoom_meeting(
        organization_a,
        district_a,
        participants=[
            {"person": secretary.pk},
            {"person": secretary.pk},
            {"person": 999_999},
            {"person": secretary.pk, "organization": elsewhere.pk},
        ],
    )
    response = post(office_client, "meetings", body)
    assert response.status_code == 422
    assert fields(response) == {
        "participants.1.person",
        "participants.2.person",
        "participants.3.person",
        "participants.3.organization",
    }
    assert not Meeting.objects.exists() and not Participant.objects.exists()


# Bodies of the right shape, naming objects that need not exist: the role is refused first.
SHAPES: dict[str, dict[str, Any]] = {
    "meetings": {
        "title_kk": "Кеңес",
        "title_ru": "Совещание",
        "venue": "Зал",
        "start": "2020-04-21T10:00:00+06:00",
        "end": "2020-04-21T12:00:00+06:00",
        "organizer": 1,
        "territory": 1,
        "state": "held",
    },
    "assignments": {"lead_organization": 1, "deadline": "2020-04-01"},
    "execution-reports": {"assignment": 1, "text": "Done.", "created_at": "2020-03-01T10:00"},
    "reports": {"form": 1, "territory": 1, "year": 2020, "submitted_at": "2020-04-08T10:00"},
    "distributions": {
        "document": 1,
        "organization_kinds": ["school"],
        "sent_at": "2020-03-01T10:00:00+06:00",
    },
}


def test_the_errors_of_a_nested_object_are_named_by_its_path(
    office_client: Client, organization_a: Organization, district_a: Territory, secretary: Any
) -> None:
    body = zoom_meeting(
        organization_a,
        district_a,
        participants=[
            {"person": secretary.pk},
            {"person": PersonFactory(territory=district_a).pk, "attendance": "replaced"},
        ],
        items=[
            {"title_kk": "Бірінші", "title_ru": "Первый"},
            {"title_kk": "", "title_ru": "", "decisions": [{"text_kk": "", "text_ru": ""}]},
        ],
    )
    response = post(office_client, "meetings", body)
    assert response.status_code == 422
    # The first failing object stops the transaction: the participant, named by its path.
    assert fields(response) == {"participants.1.replaced_by"}
    body["participants"] = body["participants"][:1]
    response = post(office_client, "meetings", body)
    assert response.status_code == 422
    assert fields(response) == {"items.1.title_kk", "items.1.title_ru"}
    assert not Meeting.objects.exists()


def test_a_moment_without_its_offset_is_local_time_and_a_year_out_of_range_is_refused(
    office_client: Client, organization_a: Organization, district_a: Territory
) -> None:
    body = zoom_meeting(
        organization_a,
        district_a,
        start="2020-04-21T10:00:00",
        end="2020-04-21T12:00:00",
        invitations_sent_at="2020-04-18T09:00:00",
        approved_at="0001-01-01T00:00:00",
    )
    response = post(office_client, "meetings", body)
    assert response.status_code == 422 and fields(response) == {"approved_at"}
    body["approved_at"] = "2020-04-23T15:00:00"
    response = post(office_client, "meetings", body)
    assert response.status_code == 201, response.json()
    assert moment(response.json()["start"]) == moment(at("2020-04-21", 10))


@pytest.mark.parametrize("path", list(SHAPES))
def test_only_the_administrator_and_the_project_office_import(
    as_user: AsUser, region: Territory, district_a: Territory, path: str
) -> None:
    for role, where in (
        (Role.EXECUTIVE, region),
        (Role.COORDINATOR, district_a),
        (Role.OBSERVER, region),
    ):
        response = post(as_user(UserFactory(role=role, territory=where)), path, SHAPES[path])
        assert response.status_code == 403, (role, response.json())
        assert response.json()["detail"]


def test_the_office_imports_only_within_its_territory(
    office_client: Client, organization_b: Organization
) -> None:
    elsewhere = OrganizationFactory()
    body = zoom_meeting(elsewhere, elsewhere.territory)
    response = post(office_client, "meetings", body)
    assert response.status_code == 422
    assert fields(response) == {"organizer", "territory"}
    assert not Meeting.objects.exists()


# ---------------------------------------------------------------------------------------------
# Assignments, and 2020's on-time figures
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def february_meeting(
    office_client: Client, organization_a: Organization, district_a: Territory
) -> dict[str, Any]:
    """The February 2020 meeting that gave the assignments, imported, with one decision."""
    body = zoom_meeting(
        organization_a,
        district_a,
        format="in_person",
        venue="Облыс әкімдігі, 3-зал",
        video_url="",
        start=at("2020-02-12", 10),
        end=at("2020-02-12", 12),
        invitations_sent_at=at("2020-02-07", 9),
        approved_at=at("2020-02-14", 9),
        items=[
            {
                "title_kk": "Жоспар туралы",
                "title_ru": "О плане",
                "decisions": [{"text_kk": "Орындалсын.", "text_ru": "Исполнить."}],
            }
        ],
    )
    response = post(office_client, "meetings", body)
    assert response.status_code == 201, response.json()
    return response.json()


def given(meeting: dict[str, Any], organization: Organization, **changes: Any) -> dict[str, Any]:
    return {
        "decision": meeting["items"][0]["decisions"][0]["id"],
        "lead_organization": organization.pk,
        "deadline": "2020-04-01",
        "created_at": at("2020-02-12", 12),
        **changes,
    }


def test_2020_assignments_imported_give_2020s_on_time_figures(
    office_client: Client,
    project_office: User,
    organization_a: Organization,
    district_a: Territory,
    february_meeting: dict[str, Any],
) -> None:
    plans = {
        # done a week before the deadline: on time
        "early": given(february_meeting, organization_a, status="done", done_at=at("2020-03-25")),
        # done on the very day: on time
        "on the day": given(
            february_meeting, organization_a, status="done", done_at=at("2020-04-01", 17)
        ),
        # done a month late
        "late": given(february_meeting, organization_a, status="done", done_at=at("2020-05-04")),
        # extended (state of emergency) to 1 June, done on 20 May: on time against the new date
        "extended": given(
            february_meeting,
            organization_a,
            status="done",
            done_at=at("2020-05-20"),
            extensions=[
                {
                    "requested_at": at("2020-03-20"),
                    "new_deadline": "2020-06-01",
                    "reason": "Төтенше жағдай.",
                    "decided_at": at("2020-03-23"),
                }
            ],
        ),
        # never done: still under control, overdue since April 2020
        "open": given(february_meeting, organization_a),
    }
    created = {}
    for name, body in plans.items():
        response = post(office_client, "assignments", body)
        assert response.status_code == 201, (name, response.json())
        created[name] = response.json()["id"]

    # Every date read back through the normal endpoint is 2020's.
    for name, pk in created.items():
        shown = office_client.get(f"/api/v1/assignments/{pk}").json()
        assert moment(shown["created_at"]) == moment(plans[name]["created_at"]), name
        assert shown["deadline_reason"] == ""
        if plans[name].get("done_at"):
            assert shown["status"] == "done"
            assert moment(shown["done_at"]) == moment(plans[name]["done_at"]), name
    extended = office_client.get(f"/api/v1/assignments/{created['extended']}").json()
    assert extended["deadline"] == "2020-06-01"
    (extension,) = extended["extensions"]
    assert extension["status"] == "granted" and extension["old_deadline"] == "2020-04-01"
    assert moment(extension["requested_at"]) == moment(at("2020-03-20"))
    assert moment(extension["decided_at"]) == moment(at("2020-03-23"))
    still_open = office_client.get(f"/api/v1/assignments/{created['open']}").json()
    assert still_open["status"] == "under_control" and still_open["overdue"] is True

    # The discipline page's figures for 2020: 5 due, 3 on time, 1 late, 1 overdue.
    total = discipline_total(project_office, 2020)
    assert (total.due, total.on_time, total.late, total.overdue) == (5, 3, 1, 1)
    assert total.on_time_share == 60.0
    # And the computed indicator "share of assignments done on time" for the district.
    on_time = IndicatorFactory(code="on-time", computation="assignments_on_time")
    values = compute_many([on_time], [district_a], 2020)
    assert values[(on_time.pk, district_a.pk)] == 60

    # History: each assignment imported by the office.
    assignment = Assignment.objects.get(pk=created["extended"])
    assert {entry.reason for entry in history_entries(assignment)} == {"Импортталды"}
    assert {entry.user for entry in history_entries(assignment)} == {project_office}
    assert Extension.objects.get(assignment=assignment).history.get().history_change_reason == (  # type: ignore[attr-defined]
        "Imported"
    )


def test_the_normal_api_still_wants_a_reason_for_a_past_deadline(
    office_client: Client, organization_a: Organization
) -> None:
    response = office_client.post(
        "/api/v1/assignments",
        {
            "source_kind": "order",
            "order_reference": "№ 5",
            "text_kk": "Тапсырма",
            "text_ru": "Поручение",
            "lead_organization": organization_a.pk,
            "deadline": "2020-04-01",
        },
        content_type=JSON,
    )
    assert response.status_code == 422 and fields(response) == {"deadline_reason"}


def test_the_assignments_dates_must_tell_a_possible_story(
    office_client: Client, organization_a: Organization, february_meeting: dict[str, Any]
) -> None:
    def refused(**changes: Any) -> set[str | None]:
        response = post(
            office_client, "assignments", given(february_meeting, organization_a, **changes)
        )
        assert response.status_code == 422, response.json()
        return fields(response)

    extension = {
        "requested_at": at("2020-03-20"),
        "new_deadline": "2020-06-01",
        "reason": "Карантин.",
        "decided_at": at("2020-03-23"),
    }
    assert refused(status="done", done_at=at("2020-02-01")) == {"done_at"}
    assert refused(status="done") == {"done_at"}
    assert refused(done_at=at("2020-03-01")) == {"done_at"}
    assert refused(created_at=at("2020-02-11")) == {"created_at"}
    assert refused(created_at="2099-01-01T10:00:00+06:00") == {"created_at"}
    assert refused(extensions=[{**extension, "new_deadline": "2020-03-01"}]) == {
        "extensions.0.new_deadline"
    }
    assert refused(extensions=[{**extension, "decided_at": at("2020-03-19")}]) == {
        "extensions.0.decided_at"
    }
    assert refused(
        extensions=[
            extension,
            {**extension, "requested_at": at("2020-03-01"), "new_deadline": "2020-07-01"},
        ]
    ) == {"extensions.1.requested_at"}
    assert refused(
        status="done",
        done_at=at("2020-03-10"),
        extensions=[extension],
    ) == {"extensions.0.requested_at"}
    assert not Assignment.objects.exists()


def test_the_april_meeting_reviews_the_february_assignments_on_its_own_day(
    office_client: Client,
    project_office: User,
    organization_a: Organization,
    district_a: Territory,
    february_meeting: dict[str, Any],
) -> None:
    ids = []
    for deadline in ("2020-04-01", "2020-05-01"):
        response = post(
            office_client, "assignments", given(february_meeting, organization_a, deadline=deadline)
        )
        ids.append(response.json()["id"])
    reviews = [
        {"assignment": ids[0], "choice": "accept", "note": "Орындалды."},
        {"assignment": ids[1], "choice": "extend", "new_deadline": "2020-06-01"},
    ]
    response = post(
        office_client, "meetings", zoom_meeting(organization_a, district_a, reviews=reviews)
    )
    assert response.status_code == 201, response.json()
    april = Meeting.objects.get(pk=response.json()["id"])
    assert april.state == "approved"

    accepted = office_client.get(f"/api/v1/assignments/{ids[0]}").json()
    assert accepted["status"] == "done"
    assert moment(accepted["done_at"]) == moment(at("2020-04-21", 10))
    extended = office_client.get(f"/api/v1/assignments/{ids[1]}").json()
    assert extended["deadline"] == "2020-06-01"
    (extension,) = extended["extensions"]
    assert moment(extension["requested_at"]) == moment(at("2020-04-21", 10))
    assert moment(extension["decided_at"]) == moment(at("2020-04-21", 10))
    assert {review.decided_at for review in Review.objects.filter(meeting=april)} == {april.start}
    # Done on 21 April against 1 April: late; the other, due in June, was never done.
    total = discipline_total(project_office, 2020)
    assert (total.due, total.on_time, total.late, total.overdue) == (2, 0, 1, 1)

    # A meeting cannot review what it had not seen, nor what is closed: by its path, nothing saved.
    later = zoom_meeting(
        organization_a,
        district_a,
        start=at("2020-02-10", 10),
        end=at("2020-02-10", 12),
        invitations_sent_at=None,
        approved_at=at("2020-02-11"),
        reviews=[{"assignment": ids[1], "choice": "keep"}],
    )
    response = post(office_client, "meetings", later)
    assert response.status_code == 422 and fields(response) == {"reviews.0.assignment"}
    closed = zoom_meeting(
        organization_a, district_a, reviews=[{"assignment": ids[0], "choice": "keep"}]
    )
    response = post(office_client, "meetings", closed)
    assert response.status_code == 422 and fields(response) == {"reviews.0.assignment"}
    assert Meeting.objects.count() == 2


def test_the_april_meeting_puts_an_assignment_off_until_after_the_lifting(
    office_client: Client,
    organization_a: Organization,
    district_a: Territory,
    february_meeting: dict[str, Any],
) -> None:
    response = post(office_client, "assignments", given(february_meeting, organization_a))
    assignment_id = response.json()["id"]
    without_days = zoom_meeting(
        organization_a,
        district_a,
        reviews=[{"assignment": assignment_id, "choice": "extend_after_lifting"}],
    )
    refused = post(office_client, "meetings", without_days)
    assert refused.status_code == 422
    assert Meeting.objects.count() == 1
    reviews = [
        {"assignment": assignment_id, "choice": "extend_after_lifting", "days_after_lifting": 30}
    ]

    response = post(
        office_client, "meetings", zoom_meeting(organization_a, district_a, reviews=reviews)
    )

    assert response.status_code == 201, response.json()
    put_off = office_client.get(f"/api/v1/assignments/{assignment_id}").json()
    assert (put_off["deadline_kind"], put_off["days_after_lifting"], put_off["deadline"]) == (
        "after_lifting",
        30,
        None,
    )
    (extension,) = put_off["extensions"]
    assert (extension["old_deadline"], extension["new_deadline"]) == ("2020-04-01", None)
    assert extension["days_after_lifting"] == 30
    assert moment(extension["decided_at"]) == moment(at("2020-04-21", 10))


# ---------------------------------------------------------------------------------------------
# Execution reports
# ---------------------------------------------------------------------------------------------


def test_an_execution_report_reviewed_in_2020_makes_the_assignment_done_then(
    office_client: Client,
    project_office: User,
    organization_a: Organization,
    february_meeting: dict[str, Any],
) -> None:
    response = post(office_client, "assignments", given(february_meeting, organization_a))
    assignment_id = response.json()["id"]
    returned = {
        "assignment": assignment_id,
        "text": "Жоспар дайындалды.",
        "created_at": at("2020-03-10"),
        "outcome": "returned",
        "reviewed_at": at("2020-03-12"),
        "review_comment": "Қосымша керек.",
    }
    response = post(office_client, "execution-reports", returned)
    assert response.status_code == 201, response.json()
    accepted = {
        "assignment": assignment_id,
        "text": "Жоспар бекітілді.",
        "created_at": at("2020-03-27"),
        "reviewed_at": at("2020-03-30"),
    }
    response = post(office_client, "execution-reports", accepted)
    assert response.status_code == 201, response.json()
    assert moment(response.json()["reviewed_at"]) == moment(accepted["reviewed_at"])

    shown = office_client.get(f"/api/v1/assignments/{assignment_id}").json()
    assert shown["status"] == "done"
    assert moment(shown["done_at"]) == moment(accepted["reviewed_at"])
    assert [r["outcome"] for r in shown["reports"]] == ["returned", "accepted"]
    assert [moment(r["created_at"]) for r in shown["reports"]] == [
        moment(returned["created_at"]),
        moment(accepted["created_at"]),
    ]
    report = ExecutionReport.objects.get(outcome="accepted")
    assert report.history.get().history_change_reason == "Imported"  # type: ignore[attr-defined]
    assert discipline_total(project_office, 2020).on_time == 1


def test_an_execution_reports_dates_are_checked(
    office_client: Client, organization_a: Organization, february_meeting: dict[str, Any]
) -> None:
    response = post(office_client, "assignments", given(february_meeting, organization_a))
    assignment_id = response.json()["id"]
    base = {"assignment": assignment_id, "text": "Орындалды.", "created_at": at("2020-03-10")}
    cases = [
        ({"reviewed_at": at("2020-03-09")}, {"reviewed_at"}),
        ({"created_at": at("2020-02-01"), "reviewed_at": at("2020-03-12")}, {"created_at"}),
        ({}, {"reviewed_at"}),
        ({"outcome": "returned", "reviewed_at": at("2020-03-12")}, {"review_comment"}),
        ({"assignment": 999_999}, {"assignment"}),
    ]
    for changes, expected in cases:
        response = post(office_client, "execution-reports", {**base, **changes})
        assert response.status_code == 422, changes
        assert fields(response) == expected, changes
    assert not ExecutionReport.objects.exists()


# ---------------------------------------------------------------------------------------------
# Documents
# ---------------------------------------------------------------------------------------------


def test_a_guideline_sent_in_2020_is_imported_with_its_acknowledgments(
    office_client: Client, project_office: User, district_a: Territory
) -> None:
    document = DocumentFactory(created_by=project_office)
    schools = [
        OrganizationFactory(kind=OrganizationKind.SCHOOL, territory=district_a) for _ in range(2)
    ]
    body = {
        "document": document.pk,
        "organization_kinds": ["school"],
        "mode": "mandatory",
        "deadline": "2020-03-15",
        "sent_at": at("2020-03-02"),
        "recipients": [
            {"organization": schools[0].pk, "acknowledged_at": at("2020-03-05")},
            {"organization": schools[1].pk},
        ],
    }
    response = post(office_client, "distributions", body)
    assert response.status_code == 201, response.json()
    answered = response.json()
    assert moment(answered["sent_at"]) == moment(body["sent_at"])
    assert (answered["recipient_count"], answered["acknowledged_count"]) == (2, 1)

    tracking = office_client.get(f"/api/v1/documents/{document.pk}/tracking").json()
    acknowledged = {r["organization"]["id"]: r["acknowledged_at"] for r in tracking["recipients"]}
    assert moment(acknowledged[schools[0].pk]) == moment(at("2020-03-05"))
    assert acknowledged[schools[1].pk] is None
    distribution = Distribution.objects.get()
    record = distribution.history.get()  # type: ignore[attr-defined]
    assert (record.history_change_reason, record.history_user) == ("Imported", project_office)


def test_an_acknowledgment_before_the_sending_is_refused(
    office_client: Client, project_office: User, district_a: Territory
) -> None:
    document = DocumentFactory(created_by=project_office)
    school = OrganizationFactory(kind=OrganizationKind.SCHOOL, territory=district_a)
    body = {
        "document": document.pk,
        "organization_kinds": ["school"],
        "mode": "information",
        "sent_at": at("2020-03-02"),
        "recipients": [
            {"organization": school.pk, "acknowledged_at": at("2020-03-05")},
            {"organization": school.pk, "acknowledged_at": at("2020-03-01")},
        ],
    }
    response = post(office_client, "distributions", body)
    assert response.status_code == 422
    assert fields(response) == {"recipients.1.organization"}
    body["recipients"] = [{"organization": school.pk, "acknowledged_at": at("2020-03-01")}]
    response = post(office_client, "distributions", body)
    assert response.status_code == 422
    assert fields(response) == {"recipients.0.acknowledged_at"}
    assert not Distribution.objects.exists() and not Recipient.objects.exists()


# ---------------------------------------------------------------------------------------------
# Indicator reports
# ---------------------------------------------------------------------------------------------


def test_2020_reports_imported_give_2020s_reporting_rates(
    office_client: Client, project_office: User, district_a: Territory
) -> None:
    visitors = IndicatorFactory(code="visitors", source="reported")
    form = ReportFormFactory(indicators=[visitors], territories=[district_a])  # due 10 days after

    def report(period: int, submitted: str, approved: str) -> Any:
        body = {
            "form": form.pk,
            "territory": district_a.pk,
            "year": 2020,
            "period_number": period,
            "values": [{"indicator": visitors.pk, "value": "120"}],
            "submitted_at": at(submitted),
            "approved_at": at(approved),
        }
        return post(office_client, "reports", body)

    on_time = report(1, "2020-04-08", "2020-04-10")  # Q1 due on 10 April
    assert on_time.status_code == 201, on_time.json()
    late = report(2, "2020-07-20", "2020-07-22")  # Q2 due on 10 July
    assert late.status_code == 201, late.json()

    shown = office_client.get(f"/api/v1/reports/{on_time.json()['id']}").json()
    assert shown["status"] == "approved"
    assert moment(shown["submitted_at"]) == moment(at("2020-04-08"))
    assert moment(shown["approved_at"]) == moment(at("2020-04-10"))
    assert [value["value"] for value in shown["values"]] == ["120"] or [
        float(value["value"]) for value in shown["values"]
    ] == [120.0]
    rates = office_client.get(f"/api/v1/report-forms/{form.pk}/rates", {"year": 2020}).json()
    assert (rates["totals"]["on_time"], rates["totals"]["late"]) == (1, 1)
    imported = Report.objects.get(pk=on_time.json()["id"])
    assert {entry.reason for entry in history_entries(imported)} == {"Импортталды"}

    # Checked: not submitted before its period began, not approved before it was submitted,
    # and a period reported already is not imported twice.
    refused = report(3, "2020-06-30", "2020-10-02")
    assert refused.status_code == 422 and fields(refused) == {"submitted_at"}
    refused = report(3, "2020-10-05", "2020-10-02")
    assert refused.status_code == 422 and fields(refused) == {"approved_at"}
    refused = report(1, "2020-04-08", "2020-04-10")
    assert refused.status_code == 422 and fields(refused) == {"period_number"}
    assert Report.objects.count() == 2
