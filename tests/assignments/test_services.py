"""The control of assignments: who may report and accept, what each step refuses, deadlines.

The world: region R with districts A and B, an akimat in each; the project office of R (the
controller), the coordinators of A and of B.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from factories import AssignmentFactory, OrganizationFactory, TerritoryFactory, UserFactory
from kense.accounts.models import User
from kense.assignments import services
from kense.assignments.models import (
    Assignment,
    DeadlineKind,
    ExtensionStatus,
    Recurrence,
    ReportOutcome,
    SourceKind,
    Status,
)
from kense.core.permissions import Role
from kense.registry.models import Organization, Territory, TerritoryKind

TODAY = datetime.date(2020, 4, 20)


@dataclass
class World:
    region: Territory
    district_a: Territory
    district_b: Territory
    akimat_a: Organization
    akimat_b: Organization
    office: User
    coordinator_a: User
    coordinator_b: User


@pytest.fixture
def world(db: Any) -> World:
    region = TerritoryFactory(kind=TerritoryKind.REGION)
    district_a = TerritoryFactory(parent=region)
    district_b = TerritoryFactory(parent=region)
    return World(
        region=region,
        district_a=district_a,
        district_b=district_b,
        akimat_a=OrganizationFactory(territory=district_a),
        akimat_b=OrganizationFactory(territory=district_b),
        office=UserFactory(role=Role.PROJECT_OFFICE, territory=region),
        coordinator_a=UserFactory(role=Role.COORDINATOR, territory=district_a),
        coordinator_b=UserFactory(role=Role.COORDINATOR, territory=district_b),
    )


def assignment_of(world: World, **fields: Any) -> Assignment:
    fields.setdefault("lead_organization", world.akimat_a)
    fields.setdefault("controller", world.office)
    fields.setdefault("deadline", timezone.localdate() + datetime.timedelta(days=30))
    return AssignmentFactory(**fields)


def test_only_the_responsible_reports(world: World) -> None:
    assignment = assignment_of(world)
    with pytest.raises(PermissionDenied):
        services.report_submit(assignment, user=world.coordinator_b, text="Done.")
    assert not assignment.reports.exists()


def test_only_the_controller_accepts(world: World) -> None:
    assignment = assignment_of(world)
    report = services.report_submit(assignment, user=world.coordinator_a, text="Done.")
    with pytest.raises(PermissionDenied):
        services.report_review(report, user=world.coordinator_a, accept=True)
    report.refresh_from_db()
    assert report.outcome == ReportOutcome.PENDING


def test_a_report_after_acceptance_is_refused(world: World) -> None:
    assignment = assignment_of(world)
    report = services.report_submit(assignment, user=world.coordinator_a, text="Done.")
    services.report_review(report, user=world.office, accept=True)
    assignment.refresh_from_db()
    assert assignment.status == Status.DONE and assignment.done_at is not None
    with translation.override("en"), pytest.raises(ValidationError, match="no longer under"):
        services.report_submit(assignment, user=world.coordinator_a, text="One more thing.")
    assert assignment.reports.count() == 1


def test_returning_a_report_needs_a_comment(world: World) -> None:
    assignment = assignment_of(world)
    report = services.report_submit(assignment, user=world.coordinator_a, text="Done.")
    with pytest.raises(ValidationError) as error:
        services.report_review(report, user=world.office, accept=False, comment="  ")
    assert "comment" in error.value.message_dict
    services.report_review(report, user=world.office, accept=False, comment="Attach the list.")
    assignment.refresh_from_db()
    report.refresh_from_db()
    assert assignment.status == Status.UNDER_CONTROL
    assert report.outcome == ReportOutcome.RETURNED
    assert report.review_comment == "Attach the list."


def test_a_granted_extension_moves_the_deadline(world: World) -> None:
    assignment = assignment_of(world)
    new_deadline = assignment.deadline + datetime.timedelta(days=60)
    extension = services.extension_request(
        assignment, user=world.coordinator_a, new_deadline=new_deadline, reason="Quarantine."
    )
    services.extension_decide(extension, user=world.office, grant=True)
    assignment.refresh_from_db()
    assert assignment.deadline == new_deadline
    assert extension.status == ExtensionStatus.GRANTED


def test_a_refused_extension_needs_a_reason_and_keeps_the_deadline(world: World) -> None:
    assignment = assignment_of(world)
    old = assignment.deadline
    extension = services.extension_request(
        assignment,
        user=world.coordinator_a,
        new_deadline=old + datetime.timedelta(days=10),
        reason="More time.",
    )
    with pytest.raises(ValidationError) as error:
        services.extension_decide(extension, user=world.office, grant=False)
    assert "answer" in error.value.message_dict
    services.extension_decide(extension, user=world.office, grant=False, answer="Not needed.")
    assignment.refresh_from_db()
    assert assignment.deadline == old
    assert extension.status == ExtensionStatus.REFUSED


def test_withdrawal_needs_a_reason(world: World) -> None:
    assignment = assignment_of(world)
    with pytest.raises(ValidationError) as error:
        services.assignment_withdraw(assignment, user=world.office, reason="")
    assert "reason" in error.value.message_dict
    assignment.refresh_from_db()
    assert assignment.status == Status.UNDER_CONTROL
    services.assignment_withdraw(assignment, user=world.office, reason="Superseded.")
    assignment.refresh_from_db()
    assert assignment.status == Status.WITHDRAWN
    assert assignment.withdrawn_reason == "Superseded."


def test_a_past_deadline_at_creation_needs_a_reason(world: World) -> None:
    def new(reason: str) -> Assignment:
        return Assignment(
            text_kk="Есеп беру",
            text_ru="Представить отчёт",
            source_kind=SourceKind.ORDER,
            order_reference="№ 12, 2020-02-14",
            lead_organization=world.akimat_a,
            deadline=timezone.localdate() - datetime.timedelta(days=3),
            deadline_reason=reason,
            controller=world.office,
        )

    with pytest.raises(ValidationError) as error:
        services.assignment_save(new(""), user=world.office)
    assert "deadline_reason" in error.value.message_dict
    assert not Assignment.objects.exists()
    saved = services.assignment_save(new("Entered after the meeting."), user=world.office)
    assert saved.pk and saved.territory == world.district_a


def test_overdue_finds_open_assignments_past_their_deadline(world: World) -> None:
    past = TODAY - datetime.timedelta(days=1)
    late_open = assignment_of(world, deadline=past)
    reported = assignment_of(world, deadline=past, status=Status.REPORTED)
    done = assignment_of(world, deadline=past, status=Status.DONE)
    assignment_of(world, deadline=past, status=Status.WITHDRAWN)
    assignment_of(world, deadline=TODAY)  # due today: not yet overdue
    found = set(Assignment.objects.overdue(on=TODAY))
    assert found == {late_open, reported}
    assert late_open.is_overdue(TODAY) and not done.is_overdue(TODAY)


def test_was_done_late_compares_the_local_day_of_acceptance(world: World) -> None:
    deadline = datetime.date(2020, 5, 1)
    # 23:30 on 1 May in Almaty is still 1 May locally, though 2 May has begun nowhere yet.
    on_time = assignment_of(
        world,
        deadline=deadline,
        status=Status.DONE,
        done_at=datetime.datetime(2020, 5, 1, 17, 30, tzinfo=datetime.UTC),
    )
    late = assignment_of(
        world,
        deadline=deadline,
        status=Status.DONE,
        done_at=datetime.datetime(2020, 5, 1, 19, 30, tzinfo=datetime.UTC),  # 2 May locally
    )
    open_past = assignment_of(world, deadline=deadline)
    assert not on_time.was_done_late()
    assert late.was_done_late()
    assert not open_past.was_done_late()


def recurring(world: World, **fields: Any) -> Assignment:
    fields = {
        "deadline_kind": DeadlineKind.RECURRING,
        "recurrence": Recurrence.MONTHLY,
        "recurrence_day": 5,
        "recurrence_until": datetime.date(2020, 12, 31),
        "deadline": datetime.date(2020, 5, 5),
        "number": "7",
        **fields,
    }
    return assignment_of(world, **fields)


def test_next_recurrence_monthly_by_the_5th_until_december(world: World) -> None:
    monthly = recurring(world)
    assert services.next_recurrence(monthly, after=datetime.date(2020, 4, 6)) == datetime.date(
        2020, 5, 5
    )
    assert services.next_recurrence(monthly, after=datetime.date(2020, 5, 5)) == datetime.date(
        2020, 5, 5
    )
    assert services.next_recurrence(monthly, after=datetime.date(2020, 12, 5)) == datetime.date(
        2020, 12, 5
    )
    assert services.next_recurrence(monthly, after=datetime.date(2020, 12, 6)) is None


def test_next_recurrence_quarterly(world: World) -> None:
    quarterly = recurring(
        world,
        recurrence=Recurrence.QUARTERLY,
        recurrence_day=10,
        recurrence_until=datetime.date(2021, 12, 31),
    )
    after = services.next_recurrence
    assert after(quarterly, after=datetime.date(2020, 2, 1)) == datetime.date(2020, 4, 10)
    assert after(quarterly, after=datetime.date(2020, 4, 11)) == datetime.date(2020, 7, 10)
    assert after(quarterly, after=datetime.date(2020, 11, 1)) == datetime.date(2021, 1, 10)
    assert after(quarterly, after=datetime.date(2021, 10, 11)) is None


def test_recurring_instances_are_created_once_per_due_date(world: World) -> None:
    template = recurring(world)
    assert services.recurring_instances_create(on=datetime.date(2020, 4, 6)) == 1
    assert services.recurring_instances_create(on=datetime.date(2020, 4, 6)) == 0
    assert services.recurring_instances_create(on=datetime.date(2020, 4, 20)) == 0
    assert services.recurring_instances_create(on=datetime.date(2020, 5, 6)) == 1
    instances = list(template.instances.order_by("deadline"))
    assert [i.deadline for i in instances] == [datetime.date(2020, 5, 5), datetime.date(2020, 6, 5)]
    first = instances[0]
    assert first.deadline_kind == DeadlineKind.DATE
    assert first.number == "7/05.2020"
    assert first.lead_organization == world.akimat_a and first.controller == world.office
