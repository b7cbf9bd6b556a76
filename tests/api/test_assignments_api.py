"""The assignments API: the list and its filters, creation from a decision or an order, the
lifecycle (reports, with files or without, acceptance, extensions, withdrawal) and the review
by a later meeting."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from factories import (
    AgendaItemFactory,
    AssignmentFactory,
    DecisionFactory,
    MeetingFactory,
    OrganizationFactory,
    PersonFactory,
    UserFactory,
)
from kense.accounts.models import User
from kense.assignments.models import (
    Assignment,
    ExecutionReport,
    Extension,
    Reminder,
    ReminderKind,
    Review,
    Status,
)
from kense.core.attachments import attachments_of
from kense.core.models import Attachment
from kense.core.permissions import Role
from kense.meetings.models import Meeting
from kense.registry.models import Organization, Territory

pytestmark = pytest.mark.django_db

JSON = "application/json"
AsUser = Callable[..., Client]


def fields(response: Any) -> set[str | None]:
    """The fields a 422 answer names."""
    return {error["field"] for error in response.json()["detail"]}


def ids(response: Any) -> list[int]:
    return [item["id"] for item in response.json()["items"]]


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


@pytest.fixture
def coordinator_b(district_b: Territory) -> User:
    return UserFactory(role=Role.COORDINATOR, territory=district_b)


@pytest.fixture
def responsible(organization_a: Organization) -> User:
    """The account of the lead organization, which reports on its assignments."""
    return UserFactory(role=Role.DEPARTMENT, organization=organization_a)


@pytest.fixture
def assignment(organization_a: Organization, project_office: User) -> Assignment:
    """Under control, led by organization A, controlled by the project office, due in 30 days."""
    return AssignmentFactory(
        lead_organization=organization_a, controller=project_office, deadline=days(30)
    )


# ---------------------------------------------------------------------------------------------
# List and detail
# ---------------------------------------------------------------------------------------------


def test_assignment_list_filters(
    as_user: AsUser,
    project_office: User,
    organization_a: Organization,
    organization_b: Organization,
) -> None:
    meeting = MeetingFactory(organizer=organization_a)
    overdue = AssignmentFactory(
        lead_organization=organization_a, deadline=days(-3), text_kk="Жол жөндеу"
    )
    reported = AssignmentFactory(
        lead_organization=organization_a,
        deadline=days(10),
        status=Status.REPORTED,
        meeting=meeting,
        source_kind="meeting",
    )
    done = AssignmentFactory(lead_organization=organization_b, deadline=days(20), status="done")
    client = as_user(project_office)

    def listed(**params: Any) -> list[int]:
        return ids(client.get("/api/v1/assignments", params))

    assert listed() == [overdue.pk, reported.pk, done.pk]
    assert listed(status="overdue") == [overdue.pk]
    assert listed(status="reported") == [reported.pk]
    assert listed(status="open") == [overdue.pk, reported.pk]
    assert listed(lead_organization=organization_b.pk) == [done.pk]
    assert listed(meeting=meeting.pk) == [reported.pk]
    assert listed(territory=organization_b.territory_id) == [done.pk]
    assert listed(deadline_from=days(0).isoformat(), deadline_to=days(15).isoformat()) == [
        reported.pk
    ]
    assert listed(controller=done.controller_id) == [done.pk]
    assert listed(q="жөндеу") == [overdue.pk]
    assert client.get("/api/v1/assignments", {"status": "lost"}).status_code == 422


def test_a_reference_outside_the_scope_matches_nothing(
    as_user: AsUser,
    coordinator_a: User,
    organization_a: Organization,
    organization_b: Organization,
) -> None:
    # Visible to district A's coordinator because its organization co-executes it; led by
    # district B's, which the coordinator may not see: the filter by it finds nothing, as the
    # page's would.
    shared = AssignmentFactory(lead_organization=organization_b, deadline=days(5))
    shared.co_executors.add(organization_a)
    ours = AssignmentFactory(lead_organization=organization_a, deadline=days(6))
    client = as_user(coordinator_a)

    def listed(**params: Any) -> list[int]:
        return ids(client.get("/api/v1/assignments", params))

    assert listed() == [shared.pk, ours.pk]
    assert listed(lead_organization=organization_a.pk) == [ours.pk]
    assert listed(lead_organization=organization_b.pk) == []
    assert listed(controller=shared.controller_id) == [shared.pk]


def test_assignment_detail_has_reports_and_extensions(
    as_user: AsUser, coordinator_a: User, assignment: Assignment, responsible: User
) -> None:
    report = ExecutionReport.objects.create(
        assignment=assignment, text="Жасалды", author=responsible
    )
    extension = assignment.extensions.create(
        requested_by=responsible, new_deadline=days(60), reason="Су тасқыны"
    )

    response = as_user(coordinator_a).get(f"/api/v1/assignments/{assignment.pk}")

    assert response.status_code == 200
    body = response.json()
    assert body["overdue"] is False
    assert body["controller"]["id"] == assignment.controller_id
    assert body["territory"]["id"] == assignment.territory_id
    assert [r["id"] for r in body["reports"]] == [report.pk]
    assert body["reports"][0]["outcome"] == "pending"
    assert [e["id"] for e in body["extensions"]] == [extension.pk]


def test_coordinator_of_another_district_gets_404(
    as_user: AsUser, coordinator_b: User, assignment: Assignment
) -> None:
    client = as_user(coordinator_b)
    url = f"/api/v1/assignments/{assignment.pk}"

    assert ids(client.get("/api/v1/assignments")) == []
    assert client.get(url).status_code == 404
    assert client.patch(url, {"priority": "high"}, content_type=JSON).status_code == 404
    assert client.post(f"{url}/reports", {"text": "Жасалды"}, content_type=JSON).status_code == 404
    assert client.post(f"{url}/withdraw", {"reason": "—"}, content_type=JSON).status_code == 404


# ---------------------------------------------------------------------------------------------
# Create and update
# ---------------------------------------------------------------------------------------------


def test_create_an_assignment_from_a_decision(
    as_user: AsUser, project_office: User, organization_a: Organization
) -> None:
    meeting = MeetingFactory(organizer=organization_a)
    decision = DecisionFactory(
        item=AgendaItemFactory(meeting=meeting), text_kk="Жобаны бекіту", text_ru="Утвердить"
    )
    co_executor = OrganizationFactory(territory=organization_a.territory)
    lead = PersonFactory(territory=organization_a.territory)

    response = as_user(project_office).post(
        "/api/v1/assignments",
        {
            "decision": decision.pk,
            "lead_organization": organization_a.pk,
            "lead_person": lead.pk,
            "co_executors": [co_executor.pk],
            "deadline": days(30).isoformat(),
            "priority": "high",
        },
        content_type=JSON,
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["text_kk"] == "Жобаны бекіту"
    assert body["meeting"]["id"] == meeting.pk
    assert body["decision"] == decision.pk
    assert body["source_kind"] == "meeting"
    assert body["territory"]["id"] == organization_a.territory_id
    assert body["controller"]["id"] == project_office.pk  # by default the author
    assert body["lead_person"]["id"] == lead.pk
    assert [c["id"] for c in body["co_executors"]] == [co_executor.pk]
    assert body["status"] == "under_control"
    assert body["recurrence"] is None
    assert body["reports"] == body["extensions"] == []


def test_create_an_assignment_from_an_order(
    as_user: AsUser, coordinator_a: User, project_office: User, organization_a: Organization
) -> None:
    client = as_user(project_office)
    order = {
        "source_kind": "order",
        "order_reference": "№ 12, 2020-02-14",
        "text_kk": "Есеп беру",
        "text_ru": "Отчитаться",
        "lead_organization": organization_a.pk,
        "controller": project_office.pk,
    }

    past = client.post(
        "/api/v1/assignments", {**order, "deadline": "2020-03-01"}, content_type=JSON
    )
    explained = client.post(
        "/api/v1/assignments",
        {**order, "deadline": "2020-03-01", "deadline_reason": "Енгізу кешікті"},
        content_type=JSON,
    )
    recurring = client.post(
        "/api/v1/assignments",
        {
            **order,
            "deadline_kind": "recurring",
            "recurrence": "monthly",
            "recurrence_day": 5,
            "recurrence_until": f"{days(200).year}-12-31",
        },
        content_type=JSON,
    )

    assert past.status_code == 422
    assert fields(past) == {"deadline_reason"}
    assert explained.status_code == 201, explained.json()
    assert explained.json()["overdue"] is True
    assert recurring.status_code == 201, recurring.json()
    assert recurring.json()["recurrence"] == "monthly"
    assert recurring.json()["deadline"] is not None
    assert Assignment.objects.count() == 2


def test_assignment_rejects_bad_input(
    as_user: AsUser,
    coordinator_a: User,
    project_office: User,
    organization_a: Organization,
    organization_b: Organization,
) -> None:
    client = as_user(project_office)
    base = {
        "source_kind": "order",
        "order_reference": "№ 1",
        "text_kk": "Тапсырма",
        "text_ru": "Поручение",
        "lead_organization": organization_a.pk,
        "controller": project_office.pk,
        "deadline": days(10).isoformat(),
    }

    # Coordinators report on assignments; they do not give them.
    by_coordinator = as_user(coordinator_a).post(
        "/api/v1/assignments", {**base, "controller": None}, content_type=JSON
    )
    no_order = client.post(
        "/api/v1/assignments", {**base, "order_reference": ""}, content_type=JSON
    )
    no_deadline = client.post("/api/v1/assignments", {**base, "deadline": None}, content_type=JSON)
    # A coordinator does not accept execution: naming one as the controller is refused.
    bad_controller = client.post(
        "/api/v1/assignments", {**base, "controller": coordinator_a.pk}, content_type=JSON
    )
    unknown_decision = client.post(
        "/api/v1/assignments", {**base, "decision": 999999}, content_type=JSON
    )

    assert by_coordinator.status_code == 403
    assert fields(no_order) == {"order_reference"}
    assert fields(no_deadline) == {"deadline"}
    assert fields(bad_controller) == {"controller"}
    assert fields(unknown_decision) == {"decision"}
    assert not Assignment.objects.exists()


def test_update_an_assignment(
    as_user: AsUser, project_office: User, observer: User, assignment: Assignment
) -> None:
    url = f"/api/v1/assignments/{assignment.pk}"

    updated = as_user(project_office).patch(
        url, {"priority": "urgent", "number": "12/3"}, content_type=JSON
    )
    by_observer = as_user(observer).patch(url, {"priority": "normal"}, content_type=JSON)

    assert updated.status_code == 200, updated.json()
    assert updated.json()["priority"] == "urgent"
    assert by_observer.status_code == 403
    assignment.refresh_from_db()
    assert (assignment.priority, assignment.number) == ("urgent", "12/3")


def test_observer_gets_403_on_writes(
    as_user: AsUser, observer: User, organization_a: Organization, assignment: Assignment
) -> None:
    client = as_user(observer)
    url = f"/api/v1/assignments/{assignment.pk}"

    created = client.post(
        "/api/v1/assignments",
        {
            "source_kind": "order",
            "order_reference": "№ 1",
            "text_kk": "Тапсырма",
            "text_ru": "Поручение",
            "lead_organization": organization_a.pk,
            "deadline": days(10).isoformat(),
        },
        content_type=JSON,
    )
    withdrawn = client.post(f"{url}/withdraw", {"reason": "Қажет емес"}, content_type=JSON)
    extension = client.post(
        f"{url}/extensions",
        {"new_deadline": days(60).isoformat(), "reason": "Су тасқыны"},
        content_type=JSON,
    )

    assert client.get(url).status_code == 200
    assert [r.status_code for r in (created, withdrawn, extension)] == [403, 403, 403]
    assert Assignment.objects.get().status == Status.UNDER_CONTROL


# ---------------------------------------------------------------------------------------------
# The lifecycle
# ---------------------------------------------------------------------------------------------


def test_the_whole_lifecycle(
    as_user: AsUser,
    project_office: User,
    responsible: User,
    observer: User,
    organization_a: Organization,
) -> None:
    controller = as_user(project_office)
    executor = as_user(responsible)
    meeting = MeetingFactory(organizer=organization_a)
    decision = DecisionFactory(item=AgendaItemFactory(meeting=meeting))

    created = controller.post(
        "/api/v1/assignments",
        {
            "decision": decision.pk,
            "lead_organization": organization_a.pk,
            "deadline": days(30).isoformat(),
        },
        content_type=JSON,
    )
    assert created.status_code == 201, created.json()
    url = f"/api/v1/assignments/{created.json()['id']}"

    # Only the responsible reports.
    by_someone_else = as_user(observer).post(
        f"{url}/reports", {"text": "Мен жасадым"}, content_type=JSON
    )
    assert by_someone_else.status_code == 403
    empty = executor.post(f"{url}/reports", {"text": "  "}, content_type=JSON)
    assert fields(empty) == {"text"}
    first = executor.post(f"{url}/reports", {"text": "Жоба әзірленді"}, content_type=JSON)
    assert first.status_code == 201, first.json()
    assert executor.get(url).json()["status"] == "reported"

    # Only the controller accepts or returns.
    by_executor = executor.post(
        f"{url}/reports/{first.json()['id']}/review", {"accept": True}, content_type=JSON
    )
    assert by_executor.status_code == 403
    silent = controller.post(
        f"{url}/reports/{first.json()['id']}/review", {"accept": False}, content_type=JSON
    )
    assert fields(silent) == {"comment"}
    returned = controller.post(
        f"{url}/reports/{first.json()['id']}/review",
        {"accept": False, "comment": "Құжаттар жоқ"},
        content_type=JSON,
    )
    assert returned.status_code == 200, returned.json()
    assert returned.json()["outcome"] == "returned"
    assert returned.json()["reviewed_by"]["id"] == project_office.pk
    assert controller.get(url).json()["status"] == "under_control"

    second = executor.post(f"{url}/reports", {"text": "Құжаттар қоса берілді"}, content_type=JSON)
    accepted = controller.post(
        f"{url}/reports/{second.json()['id']}/review", {"accept": True}, content_type=JSON
    )
    assert accepted.status_code == 200, accepted.json()
    late = executor.post(f"{url}/reports", {"text": "Тағы бір есеп"}, content_type=JSON)
    assert late.status_code == 422

    detail = controller.get(url).json()
    assert detail["status"] == "done"
    assert detail["done_at"] is not None
    assert [r["outcome"] for r in detail["reports"]] == ["returned", "accepted"]


# Files with a report: the multipart variant of the same operation


PDF = b"%PDF-1.4\n% a report\n" + b"0" * 100
PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 100


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT  # type: ignore[no-any-return]


def stored(media: Path) -> list[Path]:
    return [path for path in media.rglob("*") if path.is_file()]


def test_a_report_with_two_files(
    as_user: AsUser, responsible: User, assignment: Assignment, media: Path
) -> None:
    response = as_user(responsible).post(
        f"/api/v1/assignments/{assignment.pk}/reports/files",
        {
            "text": "Тізім қоса берілді",
            "files": [
                SimpleUploadedFile("тізім.pdf", PDF, "application/pdf"),
                SimpleUploadedFile("сурет.png", PNG, "image/png"),
            ],
        },
    )

    assert response.status_code == 201, response.content
    report = ExecutionReport.objects.get(pk=response.json()["id"])
    assert (report.text, report.author) == ("Тізім қоса берілді", responsible)
    assert response.json()["outcome"] == "pending"
    assert [(a.name, a.mime_type) for a in attachments_of([report])[report]] == [
        ("тізім.pdf", "application/pdf"),
        ("сурет.png", "image/png"),
    ]
    assert sorted(path.read_bytes() for path in stored(media)) == sorted([PDF, PNG])
    assignment.refresh_from_db()
    assert assignment.status == Status.REPORTED


def test_a_renamed_executable_refuses_the_report_in_the_users_language(
    as_user: AsUser, responsible: User, assignment: Assignment, media: Path
) -> None:
    exe = b"MZ\x90\x00\x03\x00\x00\x00 This program cannot be run in DOS mode."

    response = as_user(responsible).post(
        f"/api/v1/assignments/{assignment.pk}/reports/files",
        {
            "text": "Есеп",
            "files": [
                SimpleUploadedFile("тізім.pdf", PDF, "application/pdf"),
                SimpleUploadedFile("есеп.pdf", exe, "application/pdf"),
            ],
        },
        HTTP_ACCEPT_LANGUAGE="ru",
    )

    assert response.status_code == 422
    with translation.override("ru"):
        expected = translation.gettext(
            "The file %(name)s is not really a .%(extension)s file: its content says otherwise."
        ) % {"name": "есеп.pdf", "extension": "pdf"}
    assert response.json()["detail"] == [{"field": "attachments", "message": expected}]
    assert not ExecutionReport.objects.exists()
    assert not Attachment.objects.exists()
    assert stored(media) == []
    assignment.refresh_from_db()
    assert assignment.status == Status.UNDER_CONTROL


def test_the_report_with_files_needs_the_same_as_the_json_report(
    as_user: AsUser, observer: User, responsible: User, assignment: Assignment, media: Path
) -> None:
    url = f"/api/v1/assignments/{assignment.pk}/reports/files"
    pdf = SimpleUploadedFile("тізім.pdf", PDF, "application/pdf")

    assert as_user(observer).post(url, {"text": "Есеп", "files": [pdf]}).status_code == 403
    assert fields(as_user(responsible).post(url, {"files": [pdf]})) == {"text"}
    without_files = as_user(responsible).post(url, {"text": "Файлсыз"})
    assert without_files.status_code == 201, without_files.content
    assert stored(media) == []


def test_the_openapi_document_has_both_ways_to_report(client: Client) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]

    as_json = paths["/api/v1/assignments/{assignment_id}/reports"]["post"]
    with_files = paths["/api/v1/assignments/{assignment_id}/reports/files"]["post"]
    assert list(as_json["requestBody"]["content"]) == ["application/json"]
    assert list(with_files["requestBody"]["content"]) == ["multipart/form-data"]
    assert with_files["operationId"] == "submit_report_with_files"


def test_extensions(
    as_user: AsUser, project_office: User, responsible: User, assignment: Assignment
) -> None:
    controller = as_user(project_office)
    executor = as_user(responsible)
    url = f"/api/v1/assignments/{assignment.pk}/extensions"

    earlier = executor.post(
        url, {"new_deadline": days(10).isoformat(), "reason": "Су тасқыны"}, content_type=JSON
    )
    requested = executor.post(
        url, {"new_deadline": days(60).isoformat(), "reason": "Су тасқыны"}, content_type=JSON
    )
    twice = executor.post(
        url, {"new_deadline": days(90).isoformat(), "reason": "Тағы"}, content_type=JSON
    )
    assert fields(earlier) == {"new_deadline"}
    assert requested.status_code == 201, requested.json()
    assert twice.status_code == 422
    decision_url = f"{url}/{requested.json()['id']}/decision"

    by_executor = executor.post(decision_url, {"grant": True}, content_type=JSON)
    unexplained = controller.post(decision_url, {"grant": False}, content_type=JSON)
    granted = controller.post(decision_url, {"grant": True}, content_type=JSON)

    assert by_executor.status_code == 403
    assert fields(unexplained) == {"answer"}
    assert granted.status_code == 200, granted.json()
    assert granted.json()["status"] == "granted"
    assignment.refresh_from_db()
    assert assignment.deadline == days(60)


def test_withdraw(as_user: AsUser, project_office: User, assignment: Assignment) -> None:
    client = as_user(project_office)
    url = f"/api/v1/assignments/{assignment.pk}/withdraw"

    unexplained = client.post(url, {"reason": ""}, content_type=JSON)
    withdrawn = client.post(url, {"reason": "Өзектілігін жойды"}, content_type=JSON)
    again = client.post(url, {"reason": "Тағы"}, content_type=JSON)

    assert fields(unexplained) == {"reason"}
    assert withdrawn.status_code == 200, withdrawn.json()
    assert withdrawn.json()["status"] == "withdrawn"
    assert withdrawn.json()["withdrawn_reason"] == "Өзектілігін жойды"
    assert again.status_code == 422


# ---------------------------------------------------------------------------------------------
# The review loop
# ---------------------------------------------------------------------------------------------


def test_a_later_meeting_reviews_earlier_assignments(
    as_user: AsUser,
    project_office: User,
    observer: User,
    organization_a: Organization,
    organization_b: Organization,
    assignment: Assignment,
) -> None:
    start = timezone.now() + datetime.timedelta(days=7)
    meeting = MeetingFactory(
        organizer=organization_a,
        state="draft",
        start=start,
        end=start + datetime.timedelta(hours=2),
    )
    elsewhere = AssignmentFactory(lead_organization=organization_b, deadline=days(5))
    client = as_user(project_office)
    candidates_url = f"/api/v1/meetings/{meeting.pk}/review-candidates"
    reviews_url = f"/api/v1/meetings/{meeting.pk}/reviews"

    before = client.get(candidates_url)
    assert ids(before) == [assignment.pk]
    assert before.json()["items"][0]["review"] is None

    extend = {"assignment": assignment.pk, "choice": "extend", "new_deadline": days(90).isoformat()}
    by_observer = as_user(observer).post(reviews_url, extend, content_type=JSON)
    not_a_candidate = client.post(
        reviews_url, {"assignment": elsewhere.pk, "choice": "keep"}, content_type=JSON
    )
    recorded = client.post(reviews_url, extend, content_type=JSON)
    twice = client.post(reviews_url, extend, content_type=JSON)

    assert by_observer.status_code == 403
    assert fields(not_a_candidate) == {"assignment"}
    assert recorded.status_code == 201, recorded.json()
    assert recorded.json()["choice"] == "extend"
    assert twice.status_code == 422
    assert client.get(candidates_url).json()["items"][0]["review"] == "extend"
    assignment.refresh_from_db()
    assert assignment.deadline == days(90)
    assert Review.objects.count() == 1
    assert Meeting.objects.get(pk=meeting.pk).reviews.count() == 1


def _review_meeting(organization: Organization) -> Meeting:
    """A meeting next week of the organization's district: it reviews the open assignments."""
    start = timezone.now() + datetime.timedelta(days=7)
    return MeetingFactory(
        organizer=organization, state="draft", start=start, end=start + datetime.timedelta(hours=2)
    )


def test_the_reviews_are_read_back(
    as_user: AsUser,
    project_office: User,
    coordinator_b: User,
    organization_a: Organization,
    assignment: Assignment,
) -> None:
    meeting = _review_meeting(organization_a)
    kept = AssignmentFactory(lead_organization=organization_a, deadline=days(10))
    client = as_user(project_office)
    url = f"/api/v1/meetings/{meeting.pk}/reviews"
    extend = {"assignment": assignment.pk, "choice": "extend", "new_deadline": days(60).isoformat()}
    extended = client.post(url, {**extend, "note": "Карантинге байланысты."}, content_type=JSON)
    keep = client.post(url, {"assignment": kept.pk, "choice": "keep"}, content_type=JSON)
    assert extended.status_code == keep.status_code == 201

    listed = client.get(url)
    one = client.get(f"{url}/{extended.json()['id']}")
    other_meeting = _review_meeting(organization_a)
    elsewhere = client.get(f"/api/v1/meetings/{other_meeting.pk}/reviews/{keep.json()['id']}")
    outside = as_user(coordinator_b).get(url)

    assert listed.status_code == 200
    assert [(r["assignment"], r["choice"]) for r in listed.json()["items"]] == [
        (assignment.pk, "extend"),
        (kept.pk, "keep"),
    ]
    assert one.status_code == 200
    assert one.json()["new_deadline"] == days(60).isoformat()
    assert one.json()["note"] == "Карантинге байланысты."
    assert one.json()["decided_by"]["id"] == project_office.pk
    assert elsewhere.status_code == 404  # a review of another meeting
    assert outside.status_code == 404  # a meeting of another district
    assert "detail" in outside.json()


def test_the_api_offers_every_decision_the_page_offers(
    as_user: AsUser, project_office: User, organization_a: Organization
) -> None:
    # The page's choices, as its form offers them: each is recorded through the API too.
    from kense.meetings.forms import ReviewForm

    choices = [value for value, _label in ReviewForm(user=project_office).fields["choice"].choices]
    assert set(choices) == {"accept", "extend", "extend_after_lifting", "reassign", "keep"}
    meeting = _review_meeting(organization_a)
    new_lead = OrganizationFactory(territory=organization_a.territory)
    extra = {
        "extend": {"new_deadline": days(45).isoformat()},
        "extend_after_lifting": {"days_after_lifting": 30},
        "reassign": {"new_lead_organization": new_lead.pk},
    }
    client = as_user(project_office)
    for choice in choices:
        candidate = AssignmentFactory(lead_organization=organization_a, deadline=days(20))
        response = client.post(
            f"/api/v1/meetings/{meeting.pk}/reviews",
            {"assignment": candidate.pk, "choice": choice, **extra.get(choice, {})},
            content_type=JSON,
        )
        assert response.status_code == 201, (choice, response.json())
        assert response.json()["choice"] == choice
    assert sorted(meeting.reviews.values_list("choice", flat=True)) == sorted(choices)


def test_a_deadline_extended_by_a_meeting_through_the_api_is_among_the_extensions(
    as_user: AsUser, project_office: User, organization_a: Organization, assignment: Assignment
) -> None:
    meeting = _review_meeting(organization_a)
    client = as_user(project_office)
    old_deadline = assignment.deadline

    recorded = client.post(
        f"/api/v1/meetings/{meeting.pk}/reviews",
        {
            "assignment": assignment.pk,
            "choice": "extend",
            "new_deadline": days(90).isoformat(),
            "note": "Төтенше жағдай.",
        },
        content_type=JSON,
    )
    extensions = client.get(f"/api/v1/assignments/{assignment.pk}/extensions")
    detail = client.get(f"/api/v1/assignments/{assignment.pk}")

    assert recorded.status_code == 201, recorded.json()
    assert extensions.status_code == 200
    [extension] = extensions.json()
    assert extension["status"] == "granted"
    assert extension["old_deadline"] == old_deadline.isoformat()
    assert extension["new_deadline"] == days(90).isoformat()
    assert extension["decided_by"]["id"] == project_office.pk
    assert meeting.title in extension["reason"]
    assert "Төтенше жағдай." in extension["reason"]
    assert detail.json()["extensions"] == [extension]
    assert detail.json()["deadline"] == days(90).isoformat()
    one = client.get(f"/api/v1/assignments/{assignment.pk}/extensions/{extension['id']}")
    assert one.json() == extension


def test_a_deadline_extended_by_a_meeting_on_its_page_is_among_the_extensions(
    client: Client,
    as_user: AsUser,
    project_office: User,
    organization_a: Organization,
    assignment: Assignment,
) -> None:
    meeting = _review_meeting(organization_a)
    client.force_login(project_office)
    with translation.override("kk"):
        page = reverse("meetings:review_decide", args=[meeting.pk, assignment.pk])

    posted = client.post(page, {"choice": "extend", "new_deadline": days(75).isoformat()})
    kept = AssignmentFactory(lead_organization=organization_a, deadline=days(10))
    client.post(reverse("meetings:review_decide", args=[meeting.pk, kept.pk]), {"choice": "keep"})
    extensions = as_user(project_office).get(f"/api/v1/assignments/{assignment.pk}/extensions")

    assert posted.status_code == 302
    assert [(e["status"], e["new_deadline"]) for e in extensions.json()] == [
        ("granted", days(75).isoformat())
    ]
    assert not Extension.objects.filter(assignment=kept).exists()  # "keep" moves nothing


def test_a_meeting_that_does_not_extend_records_no_extension(
    as_user: AsUser, project_office: User, organization_a: Organization, assignment: Assignment
) -> None:
    meeting = _review_meeting(organization_a)
    response = as_user(project_office).post(
        f"/api/v1/meetings/{meeting.pk}/reviews",
        {"assignment": assignment.pk, "choice": "accept"},
        content_type=JSON,
    )
    refused = as_user(project_office).post(
        f"/api/v1/meetings/{_review_meeting(organization_a).pk}/reviews",
        {"assignment": AssignmentFactory(lead_organization=organization_a).pk, "choice": "extend"},
        content_type=JSON,
    )

    assert response.status_code == 201
    assert refused.status_code == 422
    assert fields(refused) == {"new_deadline"}
    assert not Extension.objects.exists()


# ---------------------------------------------------------------------------------------------
# What the pages give besides: a report's files, the inbox, the review queue, discipline and
# the reminders sent
# ---------------------------------------------------------------------------------------------


def test_a_reports_files_are_listed_and_downloaded(
    as_user: AsUser,
    responsible: User,
    observer: User,
    coordinator_b: User,
    assignment: Assignment,
    media: Path,
) -> None:
    sent = as_user(responsible).post(
        f"/api/v1/assignments/{assignment.pk}/reports/files",
        {"text": "Орындалды", "files": [SimpleUploadedFile("акт.pdf", PDF, "application/pdf")]},
    )
    url = f"/api/v1/assignments/{assignment.pk}/reports/{sent.json()['id']}/files"

    listed = as_user(observer).get(url)
    [file] = listed.json()
    download = as_user(observer).get(file["download_url"])
    outside = as_user(coordinator_b).get(url)

    assert (file["name"], file["mime_type"], file["size"]) == (
        "акт.pdf",
        "application/pdf",
        len(PDF),
    )
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert "attachment" in download["Content-Disposition"]
    assert b"".join(download.streaming_content) == PDF
    assert outside.status_code == 404


def test_the_inbox_and_the_review_queue(
    as_user: AsUser,
    project_office: User,
    responsible: User,
    organization_a: Organization,
    organization_b: Organization,
    assignment: Assignment,
) -> None:
    AssignmentFactory(lead_organization=organization_b, controller=project_office)
    co_executed = AssignmentFactory(lead_organization=organization_b, deadline=days(40))
    co_executed.co_executors.add(organization_a)
    executor = as_user(responsible)
    report = executor.post(
        f"/api/v1/assignments/{assignment.pk}/reports", {"text": "Дайын."}, content_type=JSON
    )
    extension = executor.post(
        f"/api/v1/assignments/{assignment.pk}/extensions",
        {"new_deadline": days(70).isoformat(), "reason": "Карантин."},
        content_type=JSON,
    )

    inbox = executor.get("/api/v1/assignments/inbox")
    queue = as_user(project_office).get("/api/v1/assignments/review-queue")
    nothing_waits = executor.get("/api/v1/assignments/review-queue")

    assert inbox.status_code == 200
    assert [(a["id"], a["part"]) for a in inbox.json()["items"]] == [
        (assignment.pk, "lead"),
        (co_executed.pk, "co"),
    ]
    assert queue.status_code == 200
    assert [r["id"] for r in queue.json()["reports"]] == [report.json()["id"]]
    assert queue.json()["reports"][0]["assignment"]["id"] == assignment.pk
    assert extension.status_code == 201, extension.json()
    assert [e["id"] for e in queue.json()["extensions"]] == [extension.json()["id"]]
    assert nothing_waits.json() == {"reports": [], "extensions": []}


def test_discipline_for_a_year(
    as_user: AsUser, project_office: User, organization_a: Organization
) -> None:
    year = timezone.localdate().year - 1
    AssignmentFactory(
        lead_organization=organization_a,
        deadline=datetime.date(year, 3, 1),
        status=Status.DONE,
        done_at=timezone.make_aware(datetime.datetime(year, 2, 20)),
    )
    AssignmentFactory(lead_organization=organization_a, deadline=datetime.date(year, 4, 1))

    response = as_user(project_office).get("/api/v1/assignments/discipline", {"year": year})
    out_of_range = as_user(project_office).get("/api/v1/assignments/discipline", {"year": 1900})

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["year"] == year
    assert [(r["id"], r["due"], r["on_time"], r["overdue"]) for r in body["rows"]] == [
        (organization_a.pk, 2, 1, 1)
    ]
    assert body["total"]["id"] is None
    assert body["total"]["on_time_share"] == 50.0
    assert out_of_range.status_code == 422


def test_the_reminders_sent(
    as_user: AsUser, administrator: User, responsible: User, assignment: Assignment
) -> None:
    reminder = Reminder.objects.create(
        kind=ReminderKind.OVERDUE,
        assignment=assignment,
        recipient=responsible,
        key="2021-02-02",
        email="school@example.kz",
    )

    response = as_user(administrator).get("/api/v1/reminders", {"kind": "overdue"})
    other_kind = as_user(administrator).get("/api/v1/reminders", {"kind": "due"})

    assert response.status_code == 200
    [row] = response.json()["items"]
    assert (row["id"], row["kind"], row["email"]) == (reminder.pk, "overdue", "school@example.kz")
    assert row["assignment"]["id"] == assignment.pk
    assert other_kind.json()["items"] == []


# ---------------------------------------------------------------------------------------------
# Query counts of the detail: the token and the user's scope, then the assignment and what it
# lists, whatever the number of rows (the lists are pinned in tests/test_query_counts.py)
# ---------------------------------------------------------------------------------------------


def _detail(n: int, organization: Organization) -> str:
    assignment = Assignment.objects.first() or AssignmentFactory(lead_organization=organization)
    for _ in range(n):
        author = UserFactory(person=PersonFactory())
        ExecutionReport.objects.create(assignment=assignment, text="Есеп", author=author)
        assignment.extensions.create(requested_by=author, new_deadline=days(60), reason="Себеп")
    return f"/api/v1/assignments/{assignment.pk}"


def _extensions(n: int, organization: Organization) -> str:
    return _detail(n, organization) + "/extensions"


def _reviews(n: int, organization: Organization) -> str:
    meeting = Meeting.objects.first() or _review_meeting(organization)
    controller = UserFactory(role=Role.PROJECT_OFFICE, person=PersonFactory())
    for _ in range(n):
        reviewed = AssignmentFactory(lead_organization=organization, deadline=days(10))
        Review.objects.create(
            meeting=meeting,
            assignment=reviewed,
            choice="reassign",
            new_lead_organization=OrganizationFactory(territory=organization.territory),
            decided_by=controller,
        )
    return f"/api/v1/meetings/{meeting.pk}/reviews"


def _inbox(n: int, organization: Organization) -> str:
    for _ in range(n):
        AssignmentFactory(lead_organization=organization, deadline=days(10)).co_executors.add(
            OrganizationFactory()
        )
    return "/api/v1/assignments/inbox"


def _reminders(n: int, organization: Organization) -> str:
    # A coordinator sees the letters sent to themselves.
    coordinator = User.objects.get(role=Role.COORDINATOR, territory=organization.territory)
    for _ in range(n):
        assignment = AssignmentFactory(lead_organization=organization, deadline=days(10))
        Reminder.objects.create(
            kind=ReminderKind.DUE,
            assignment=assignment,
            recipient=coordinator,
            key=str(assignment.pk),
            email="school@example.kz",
        )
    return "/api/v1/reminders"


@pytest.mark.parametrize(
    ("build", "queries"),
    [
        # assignment, co-executors, reports, extensions (the lists: tests/test_query_counts.py),
        # and its latest history record: the revision answered as the ETag
        (_detail, 7),
        # the assignment, its extensions with who asked and who decided
        (_extensions, 4),
        # the meeting, the count, the reviews with their new leads and who decided
        (_reviews, 5),
        # the count, the assignments with what they show, their co-executors
        (_inbox, 5),
        # the count, the letters with their recipients and assignments
        (_reminders, 4),
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
    assert len(many.content) > len(few.content)
