"""The meeting page's two one-form sheets: attendance (every row, or everyone present, in one
submit) and the review of earlier assignments (a compact row per open assignment: decision,
new date, reason; one submit records several decisions through the assignments' service, all
or none)."""

# The meeting page tests' fixtures (world, office) are imported, so tests name them again.
# ruff: noqa: F811

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.utils import translation

from factories import AssignmentFactory, ParticipantFactory
from kense.assignments.models import Review, ReviewChoice, Status
from kense.meetings.models import Attendance, MeetingState
from meetings.test_views import (  # noqa: F401 (fixtures)
    World,
    february_assignment,
    office,
    spring_meeting,
    url,
    world,
)

pytestmark = pytest.mark.django_db


def messages_of(response: Any) -> list[str]:
    with translation.override("kk"):
        return [str(message) for message in get_messages(response.wsgi_request)]


def test_everyone_present_then_one_absent_in_one_form(world: World, office: Client) -> None:
    meeting = spring_meeting(world, state=MeetingState.IN_PROGRESS)
    participants = [
        ParticipantFactory(meeting=meeting, person=world.deputy[key])
        for key in ("saran", "abai", "nura")
    ]
    page = office.get(meeting.get_absolute_url()).content.decode()
    # One form for the whole table: one Save button and "everyone present", not one per row.
    assert page.count('id="attendance-form"') == 1
    assert page.count('form="attendance-form"') == 3 * len(participants)
    assert 'name="all_present"' in page

    rows = {f"attendance-{p.pk}": Attendance.EXPECTED for p in participants}
    everyone = office.post(url("attendance_all", meeting.pk), {**rows, "all_present": "1"})

    assert everyone.status_code == 302
    assert {p.attendance for p in meeting.participants.all()} == {Attendance.PRESENT}

    absent = participants[1]
    rows = {f"attendance-{p.pk}": Attendance.PRESENT for p in participants}
    rows[f"attendance-{absent.pk}"] = Attendance.ABSENT
    rows[f"online-{participants[2].pk}"] = "on"
    office.post(url("attendance_all", meeting.pk), rows)

    marks = {p.pk: (p.attendance, p.online) for p in meeting.participants.all()}
    assert marks == {
        participants[0].pk: (Attendance.PRESENT, False),
        absent.pk: (Attendance.ABSENT, False),
        participants[2].pk: (Attendance.PRESENT, True),
    }


def test_a_refused_row_saves_no_row(world: World, office: Client) -> None:
    meeting = spring_meeting(world, state=MeetingState.IN_PROGRESS)
    first, second = (
        ParticipantFactory(meeting=meeting, person=world.deputy[key]) for key in ("saran", "abai")
    )
    # The second came by a deputy, not named: the whole sheet is refused, the first row too.
    response = office.post(
        url("attendance_all", meeting.pk),
        {f"attendance-{first.pk}": Attendance.PRESENT, f"attendance-{second.pk}": "replaced"},
    )

    assert response.status_code == 302
    assert messages_of(response)
    assert {p.attendance for p in meeting.participants.all()} == {Attendance.EXPECTED}


def open_and_closed(world: World) -> tuple[Any, Any, Any]:
    """Two open assignments of the February meeting, and one accepted long ago."""
    first = february_assignment(world)
    second = AssignmentFactory(
        decision=first.decision,
        lead_organization=world.akimat["saran"],
        deadline=datetime.date(2020, 4, 10),
        controller=world.office,
        created_at=first.created_at,
    )
    done = AssignmentFactory(
        decision=first.decision,
        lead_organization=world.akimat["nura"],
        deadline=datetime.date(2020, 3, 1),
        controller=world.office,
        created_at=first.created_at,
        status=Status.DONE,
        done_at=datetime.datetime(2020, 2, 28, 4, 0, tzinfo=datetime.UTC),
    )
    return first, second, done


def test_the_review_sheet_offers_only_open_assignments_and_records_several(
    world: World, office: Client
) -> None:
    first, second, done = open_and_closed(world)
    meeting = spring_meeting(world)
    office.post(url("review_propose", meeting.pk))

    page = office.get(meeting.get_absolute_url()).content.decode()
    assert page.count('id="review-form"') == 1
    assert f'name="choice-{first.pk}"' in page and f'name="choice-{second.pk}"' in page
    # Accepted months ago: listed, but not offered for a decision.
    assert f'name="choice-{done.pk}"' not in page

    response = office.post(
        url("review_decide_all", meeting.pk),
        {
            f"choice-{first.pk}": ReviewChoice.EXTEND,
            f"new_deadline-{first.pk}": "2020-06-01",
            f"note-{first.pk}": "Төтенше жағдай",
            f"choice-{second.pk}": ReviewChoice.ACCEPT,
        },
    )

    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.deadline == datetime.date(2020, 6, 1)
    assert second.status == Status.DONE
    assert sorted(Review.objects.values_list("assignment", "choice", "note")) == sorted(
        [
            (first.pk, ReviewChoice.EXTEND, "Төтенше жағдай"),
            (second.pk, ReviewChoice.ACCEPT, ""),
        ]
    )
    # Decided: no longer offered.
    page = office.get(meeting.get_absolute_url()).content.decode()
    assert f'name="choice-{first.pk}"' not in page


def test_a_bad_row_of_the_review_sheet_records_nothing(world: World, office: Client) -> None:
    first, second, done = open_and_closed(world)
    meeting = spring_meeting(world)
    office.post(url("review_propose", meeting.pk))

    # The second row extends without a date: refused, and the first row's acceptance with it.
    response = office.post(
        url("review_decide_all", meeting.pk),
        {
            f"choice-{first.pk}": ReviewChoice.ACCEPT,
            f"choice-{second.pk}": ReviewChoice.EXTEND,
        },
    )

    assert response.status_code == 302
    assert any("Give the new deadline" in m or "мерзім" in m.lower() for m in messages_of(response))
    assert not Review.objects.exists()
    first.refresh_from_db()
    assert first.status == Status.UNDER_CONTROL

    # A closed assignment cannot be slipped in, nor a date that is no date.
    office.post(
        url("review_decide_all", meeting.pk),
        {f"choice-{done.pk}": ReviewChoice.KEEP, f"new_deadline-{first.pk}": "next week"},
    )
    assert not Review.objects.exists()
    nothing = office.post(url("review_decide_all", meeting.pk), {})
    assert messages_of(nothing)
    assert not Review.objects.exists()
