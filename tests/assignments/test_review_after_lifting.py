"""A meeting's review puts an assignment off "until N days after the state of emergency is
lifted" (issue 18, item 4): the service, the meeting's page, the API, and the lifting that
gives the date afterwards."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from factories import (
    AssignmentFactory,
    EmergencyFactory,
    MeetingFactory,
    OrganizationFactory,
    TerritoryFactory,
    UserFactory,
)
from kense.accounts.models import User
from kense.assignments import services
from kense.assignments.models import (
    Assignment,
    DeadlineKind,
    Extension,
    ExtensionStatus,
    Recurrence,
    Review,
    ReviewChoice,
)
from kense.core.permissions import Role
from kense.events.services import emergencies as emergency_services
from kense.meetings.models import Meeting
from kense.registry.models import Organization, Territory, TerritoryKind

JSON = "application/json"


@dataclass
class World:
    region: Territory
    district: Territory
    akimat: Organization
    office: User
    observer: User


@pytest.fixture
def world(db: Any) -> World:
    region = TerritoryFactory(kind=TerritoryKind.REGION)
    district = TerritoryFactory(parent=region)
    return World(
        region=region,
        district=district,
        akimat=OrganizationFactory(territory=district),
        office=UserFactory(role=Role.PROJECT_OFFICE, territory=region),
        observer=UserFactory(role=Role.OBSERVER, territory=region),
    )


def earlier(world: World, **fields: Any) -> Assignment:
    """An assignment given a month ago, due in ten days."""
    fields.setdefault("deadline", timezone.localdate() + datetime.timedelta(days=10))
    return AssignmentFactory(
        lead_organization=world.akimat,
        controller=world.office,
        created_at=timezone.now() - datetime.timedelta(days=30),
        **fields,
    )


def later_meeting(world: World) -> Meeting:
    start = timezone.now() + datetime.timedelta(days=7)
    return MeetingFactory(
        organizer=world.akimat,
        state="draft",
        start=start,
        end=start + datetime.timedelta(hours=2),
    )


def put_off(world: World, assignment: Assignment, meeting: Meeting, **fields: Any) -> Review:
    fields.setdefault("days_after_lifting", 30)
    return services.review_record(
        meeting=meeting,
        assignment=assignment,
        user=world.office,
        choice=ReviewChoice.EXTEND_AFTER_LIFTING,
        **fields,
    )


# ---------------------------------------------------------------------------------------------
# The service
# ---------------------------------------------------------------------------------------------


def test_the_deadline_becomes_days_after_the_lifting_and_an_extension_is_granted(
    world: World,
) -> None:
    assignment = earlier(world)
    old_deadline = assignment.deadline
    meeting = later_meeting(world)

    review = put_off(world, assignment, meeting, note="Карантин.")

    assignment.refresh_from_db()
    assert (review.choice, review.days_after_lifting, review.new_deadline) == (
        ReviewChoice.EXTEND_AFTER_LIFTING,
        30,
        None,
    )
    assert assignment.deadline_kind == DeadlineKind.AFTER_LIFTING
    assert assignment.days_after_lifting == 30
    # No date until the lifting gives it (and so never overdue meanwhile).
    assert assignment.deadline is None
    assert not assignment.is_overdue()
    [extension] = Extension.objects.filter(assignment=assignment)
    assert extension.status == ExtensionStatus.GRANTED
    assert (extension.old_deadline, extension.new_deadline) == (old_deadline, None)
    assert extension.days_after_lifting == 30
    assert meeting.title in extension.reason and "Карантин." in extension.reason
    assert extension.decided_by == world.office
    # The assignment's history says who changed it, and at which meeting.
    latest = assignment.history.first()  # type: ignore[attr-defined]
    assert latest.history_user == world.office
    assert latest.history_change_reason == f"⟲ {meeting.pk}"
    assert latest.deadline_kind == DeadlineKind.AFTER_LIFTING
    assert extension.history.first().history_user == world.office  # type: ignore[attr-defined]


def test_lifting_the_emergency_afterwards_dates_the_assignment(world: World) -> None:
    quarantine = EmergencyFactory(territories=[world.region], declared_by=world.office)
    assignment = earlier(world)
    put_off(world, assignment, later_meeting(world), days_after_lifting=21)
    lifted_on = timezone.localdate() + datetime.timedelta(days=40)

    dated = emergency_services.emergency_lift(quarantine, user=world.office, lifted_on=lifted_on)

    assignment.refresh_from_db()
    assert dated == [assignment]
    assert assignment.deadline == lifted_on + datetime.timedelta(days=21)
    # The extension keeps what the meeting decided.
    extension = Extension.objects.get(assignment=assignment)
    assert (extension.new_deadline, extension.days_after_lifting) == (None, 21)


@pytest.mark.parametrize("days", [None, 0])
def test_the_days_are_required(world: World, days: int | None) -> None:
    assignment = earlier(world)

    with pytest.raises(ValidationError) as error:
        put_off(world, assignment, later_meeting(world), days_after_lifting=days)

    assert set(error.value.message_dict) == {"days_after_lifting"}
    assignment.refresh_from_db()
    assert assignment.deadline_kind == DeadlineKind.DATE and assignment.deadline is not None
    assert not Review.objects.exists() and not Extension.objects.exists()


def test_more_than_a_year_after_the_lifting_is_refused(world: World) -> None:
    assignment = earlier(world)

    with pytest.raises(ValidationError) as error:
        put_off(world, assignment, later_meeting(world), days_after_lifting=366)

    assert set(error.value.message_dict) == {"days_after_lifting"}
    assert not Review.objects.exists() and not Extension.objects.exists()


def test_only_who_may_change_the_meeting_decides(world: World) -> None:
    assignment = earlier(world)

    with pytest.raises(PermissionDenied):
        services.review_record(
            meeting=later_meeting(world),
            assignment=assignment,
            user=world.observer,
            choice=ReviewChoice.EXTEND_AFTER_LIFTING,
            days_after_lifting=30,
        )
    assert not Review.objects.exists()


def test_a_recurring_assignments_rule_is_not_put_off(world: World) -> None:
    template = earlier(
        world,
        deadline_kind=DeadlineKind.RECURRING,
        recurrence=Recurrence.MONTHLY,
        recurrence_day=5,
        recurrence_until=timezone.localdate() + datetime.timedelta(days=365),
    )

    with pytest.raises(ValidationError):
        put_off(world, template, later_meeting(world))

    template.refresh_from_db()
    assert template.deadline_kind == DeadlineKind.RECURRING


def test_other_decisions_leave_the_days_empty(world: World) -> None:
    review = services.review_record(
        meeting=later_meeting(world),
        assignment=earlier(world),
        user=world.office,
        choice=ReviewChoice.KEEP,
        days_after_lifting=30,
    )

    assert review.days_after_lifting is None
    assert not Extension.objects.exists()


# ---------------------------------------------------------------------------------------------
# The meeting's page
# ---------------------------------------------------------------------------------------------


def test_the_meeting_page_offers_the_decision_and_records_it(world: World, client: Client) -> None:
    assignment = earlier(world)
    meeting = later_meeting(world)
    client.force_login(world.office)
    client.post(reverse("meetings:review_propose", args=[meeting.pk]))

    # The meeting page's compact form links each row to the full decision form, which offers it.
    decide_url = reverse("meetings:review_decide", args=[meeting.pk, assignment.pk])
    assert f'href="{decide_url}"' in client.get(meeting.get_absolute_url()).content.decode()
    page = client.get(decide_url).content.decode()
    assert 'value="extend_after_lifting"' in page
    assert 'name="days_after_lifting"' in page

    posted = client.post(
        reverse("meetings:review_decide", args=[meeting.pk, assignment.pk]),
        {"choice": "extend_after_lifting", "days_after_lifting": "45", "note": ""},
    )

    assert posted.status_code == 302
    assignment.refresh_from_db()
    assert (assignment.deadline_kind, assignment.days_after_lifting, assignment.deadline) == (
        DeadlineKind.AFTER_LIFTING,
        45,
        None,
    )
    assert Review.objects.get().days_after_lifting == 45
    # The decision is shown on the meeting's page with its days.
    with translation.override("en"):
        english = meeting.get_absolute_url()
    with_decision = client.get(english).content.decode()
    assert "45 days after the emergency is lifted" in with_decision
    assert Extension.objects.get(assignment=assignment).days_after_lifting == 45
    # The assignment's page lists the extension with its days, not an empty date.
    with translation.override("en"):
        detail = client.get(assignment.get_absolute_url()).content.decode()
    extension_row = detail[detail.index('id="extension-') :]
    assert "45 days after the emergency is lifted" in extension_row[: extension_row.index("</tr>")]


def test_the_page_refuses_the_decision_without_days(world: World, client: Client) -> None:
    assignment = earlier(world)
    meeting = later_meeting(world)
    client.force_login(world.office)

    posted = client.post(
        reverse("meetings:review_decide", args=[meeting.pk, assignment.pk]),
        {"choice": "extend_after_lifting"},
    )

    assert posted.status_code == 400
    assert "days_after_lifting" in posted.context["form"].errors
    assert not Review.objects.exists()


def test_the_page_refuses_days_out_of_bounds(world: World, client: Client) -> None:
    assignment = earlier(world)
    meeting = later_meeting(world)
    client.force_login(world.office)

    posted = client.post(
        reverse("meetings:review_decide", args=[meeting.pk, assignment.pk]),
        {"choice": "extend_after_lifting", "days_after_lifting": "400"},
    )

    assert posted.status_code == 400
    assert "days_after_lifting" in posted.context["form"].errors
    assert not Review.objects.exists()


# ---------------------------------------------------------------------------------------------
# The API
# ---------------------------------------------------------------------------------------------


def test_the_api_records_and_reads_back_the_decision(world: World, client: Client) -> None:
    assignment = earlier(world)
    old_deadline = assignment.deadline
    meeting = later_meeting(world)
    client.force_login(world.office)
    url = f"/api/v1/meetings/{meeting.pk}/reviews"

    recorded = client.post(
        url,
        {"assignment": assignment.pk, "choice": "extend_after_lifting", "days_after_lifting": 30},
        content_type=JSON,
    )

    assert recorded.status_code == 201, recorded.json()
    body = recorded.json()
    assert (body["choice"], body["days_after_lifting"], body["new_deadline"]) == (
        "extend_after_lifting",
        30,
        None,
    )
    listed = client.get(url).json()["items"]
    assert [(r["choice"], r["days_after_lifting"]) for r in listed] == [
        ("extend_after_lifting", 30)
    ]
    one = client.get(f"{url}/{body['id']}").json()
    assert one["days_after_lifting"] == 30
    candidates = client.get(f"/api/v1/meetings/{meeting.pk}/review-candidates").json()
    assert candidates["items"][0]["review"] == "extend_after_lifting"

    detail = client.get(f"/api/v1/assignments/{assignment.pk}").json()
    assert (detail["deadline_kind"], detail["days_after_lifting"], detail["deadline"]) == (
        "after_lifting",
        30,
        None,
    )
    extensions = client.get(f"/api/v1/assignments/{assignment.pk}/extensions")
    assert extensions.status_code == 200
    [extension] = extensions.json()
    assert extension["status"] == "granted"
    assert extension["old_deadline"] == old_deadline.isoformat()
    assert extension["new_deadline"] is None
    assert extension["days_after_lifting"] == 30
    assert detail["extensions"] == [extension]


def test_the_api_refuses_the_decision_without_days(world: World, client: Client) -> None:
    assignment = earlier(world)
    client.force_login(world.office)

    response = client.post(
        f"/api/v1/meetings/{later_meeting(world).pk}/reviews",
        {"assignment": assignment.pk, "choice": "extend_after_lifting"},
        content_type=JSON,
    )

    assert response.status_code == 422
    assert "detail" in response.json()
    assert "days_after_lifting" in str(response.json()["detail"])
    assert not Review.objects.exists()


@pytest.mark.parametrize("days", [0, 366])
def test_the_api_refuses_days_out_of_bounds(world: World, client: Client, days: int) -> None:
    assignment = earlier(world)
    client.force_login(world.office)

    response = client.post(
        f"/api/v1/meetings/{later_meeting(world).pk}/reviews",
        {"assignment": assignment.pk, "choice": "extend_after_lifting", "days_after_lifting": days},
        content_type=JSON,
    )

    assert response.status_code == 422
    assert "days_after_lifting" in str(response.json()["detail"])
    assert not Review.objects.exists()


def test_an_observer_is_refused_through_the_api(world: World, client: Client) -> None:
    assignment = earlier(world)
    meeting = later_meeting(world)
    client.force_login(world.observer)

    response = client.post(
        f"/api/v1/meetings/{meeting.pk}/reviews",
        {"assignment": assignment.pk, "choice": "extend_after_lifting", "days_after_lifting": 30},
        content_type=JSON,
    )

    assert response.status_code in (403, 404)
    assert "detail" in response.json()
    assert not Review.objects.exists()
