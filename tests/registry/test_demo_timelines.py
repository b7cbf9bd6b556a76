"""The demo's two timelines: the 2020 story stays history (dated in 2020, closed as the story
ends), and the current year lives around the day the demo is loaded, whatever that day is."""

from __future__ import annotations

import datetime
import functools
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps
from django.db import connection, transaction
from django.db.models import DateTimeField
from django.test import override_settings
from django.utils import timezone

from kense.assignments.models import (
    OPEN_STATUSES,
    Assignment,
    ExecutionReport,
    Extension,
    ExtensionStatus,
    ReportOutcome,
    Status,
)
from kense.core.mail import deliver_letter
from kense.core.models import Letter
from kense.documents.models import Recipient
from kense.events.models import Event, EventStatus, PlanStatus, WorkPlan
from kense.ideas.models import Idea
from kense.indicators.models import Report
from kense.media.models import Publication
from kense.meetings.models import Meeting, MeetingState
from kense.registry.demo import load_demo

ALMATY = ZoneInfo("Asia/Almaty")
# A Wednesday morning in spring; the other days try the edges of a week, a month and a year.
DAY = datetime.datetime(2027, 3, 17, 9, 30, tzinfo=ALMATY)
OTHER_DAYS = [
    datetime.datetime(2028, 12, 31, 8, 0, tzinfo=ALMATY),  # a Sunday, the year's last day
    datetime.datetime(2029, 1, 1, 23, 0, tzinfo=ALMATY),  # the first day of a year, late
]

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="class")
def living_demo(django_db_setup: Any, django_db_blocker: Any) -> Iterator[list[Any]]:
    """The demo loaded on DAY, read on DAY by the class's tests; yields what the load left to
    run when its transaction commits (it never does: the load is rolled back at the end)."""
    with (
        override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]),
        time_machine.travel(DAY, tick=False),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        load_demo()
        yield [callback for _, callback, _ in connection.run_on_commit]
        transaction.set_rollback(True)


def today() -> datetime.date:
    return timezone.localdate()


def story_assignments() -> Any:
    return Assignment.objects.filter(meeting__start__year=2020)


@pytest.mark.usefixtures("living_demo")
class TestTheStoryAndTheCurrentYear:
    def test_no_assignment_of_2020_is_overdue_they_ended_as_the_story_ends(self) -> None:
        story = story_assignments()
        assert story.count() == 11
        assert not story.overdue().exists()
        assert not story.filter(status__in=OPEN_STATUSES).exists()
        # Closed by accepted reports, by the meetings' reviews, one withdrawn in June.
        assert story.filter(status=Status.WITHDRAWN).count() == 1
        assert story.filter(reviews__choice="accept").count() == 2
        for assignment in story.filter(status=Status.DONE):
            assert assignment.done_at is not None and assignment.done_at.year == 2020

    def test_the_story_is_dated_in_2020_in_the_history(self) -> None:
        april = Meeting.objects.get(start__date=datetime.date(2020, 4, 21))
        dates = [row.history_date for row in april.history.all()]
        assert dates and {date.year for date in dates} == {2020}
        # Entered a week before, invitations three days before, approved two days after.
        assert min(dates).date() == datetime.date(2020, 4, 14)
        assert max(dates).date() == datetime.date(2020, 4, 23)
        assert april.invitations_sent_at.date() == datetime.date(2020, 4, 18)
        assignment = april.assignments.order_by("pk").first()
        assert {row.history_date.year for row in assignment.history.all()} == {2020}
        assert assignment.created_at == april.end
        # Every record of the story: no history row nor stamp of 2020 objects says "today".
        for meeting in Meeting.objects.filter(start__year=2020):
            assert meeting.state == MeetingState.APPROVED
            assert {row.history_date.year for row in meeting.history.all()} == {2020}
        for assignment in story_assignments():
            assert {row.history_date.year for row in assignment.history.all()} == {2020}
        assert not Event.history.filter(start__year__lte=2020, history_date__year__gt=2020)
        story_ideas = Idea.objects.filter(created_at__year=2020)
        assert story_ideas.count() == 12
        assert {row.history_date.year for row in Idea.history.filter(id__in=story_ideas)} == {2020}

    def test_nothing_is_stamped_at_the_moment_of_loading(self) -> None:
        # Every time the services stamped "now" is the moment of the story it belongs to:
        # at DAY itself (frozen) only what the story dates there could be.
        now = timezone.now()
        stamped = []
        for model in apps.get_models():
            for field in model._meta.concrete_fields:
                if isinstance(field, DateTimeField):
                    rows = model._default_manager.filter(**{field.attname: now})
                    if rows.exists():
                        stamped.append(f"{model._meta.label}.{field.attname}")
        assert stamped == []
        # And no history is dated after the day of the load.
        assert not Meeting.history.filter(history_date__gt=now).exists()
        assert not Assignment.history.filter(history_date__gt=now).exists()

    def test_assignments_are_due_this_week_and_overdue_from_a_recent_meeting(self) -> None:
        day = today()
        current = Assignment.objects.filter(created_at__date__gt=datetime.date(2020, 12, 31))
        due_this_week = current.filter(
            status__in=OPEN_STATUSES, deadline__gte=day, deadline__lte=day + datetime.timedelta(7)
        )
        overdue = current.overdue()
        assert due_this_week.count() >= 3
        assert overdue.count() >= 2
        assert all(day - a.deadline <= datetime.timedelta(21) for a in overdue)
        # Given at the meeting held about ten days ago, whose minutes are approved.
        recent = Meeting.objects.get(start__year__gt=2020, state=MeetingState.APPROVED)
        assert datetime.timedelta(8) <= day - timezone.localtime(recent.start).date()
        assert set(overdue.values_list("meeting", flat=True)) == {recent.pk}
        # Saran's deputy akim and its school each have one due this week.
        names = set(due_this_week.values_list("lead_organization__name_kk", flat=True))
        assert "Саран қаласының әкімдігі" in names
        assert any("мектебі" in name for name in names)

    def test_reports_await_acceptance_one_was_returned_an_extension_waits(self) -> None:
        current = ExecutionReport.objects.filter(created_at__year__gt=2020)
        assert current.filter(outcome=ReportOutcome.PENDING).count() >= 2
        returned = current.get(outcome=ReportOutcome.RETURNED)
        assert returned.review_comment
        assert returned.assignment.status == Status.UNDER_CONTROL
        assert current.filter(outcome=ReportOutcome.ACCEPTED).exists()
        pending = Extension.objects.get(status=ExtensionStatus.REQUESTED)
        assert pending.new_deadline > pending.old_deadline > today()

    def test_meetings_are_coming_with_their_agendas_and_invitations(self) -> None:
        day = today()
        soon = Meeting.objects.filter(
            start__date__gt=day, start__date__lte=day + datetime.timedelta(14)
        ).get()
        assert soon.state == MeetingState.SCHEDULED
        assert soon.invitations_sent_at < timezone.now()
        assert soon.items.count() >= 2 and soon.participants.count() >= 5
        assert not soon.participants.filter(invited_at__isnull=True).exists()
        later = Meeting.objects.get(start__date__gt=day + datetime.timedelta(14))
        assert later.state == MeetingState.DRAFT
        assert later.items.filter(kind="review").exists()
        assert later.participants.count() > 10

    def test_events_this_month_a_plan_a_guideline_an_idea_a_publication_reports(self) -> None:
        day = today()
        this_month = Event.objects.filter(start__year=day.year, start__month=day.month)
        assert this_month.filter(status=EventStatus.HELD, start__lt=day).exists()
        assert this_month.filter(status=EventStatus.PLANNED, start__gt=day).exists()
        assert WorkPlan.objects.filter(status=PlanStatus.SUBMITTED, year__gte=day.year).exists()
        recipients = Recipient.objects.filter(distribution__sent_at__year=day.year)
        assert recipients.filter(acknowledged_at__isnull=False).count() == 5
        assert recipients.filter(acknowledged_at__isnull=True).count() > 5
        week_ago = day - datetime.timedelta(7)
        assert Idea.objects.filter(status="evaluating", created_at__date__gte=week_ago).exists()
        unlinked = Publication.objects.filter(date__gte=day - datetime.timedelta(7), events=None)
        assert unlinked.filter(meetings=None, projects=None).exists()
        quarter = Report.objects.filter(form__code="quarterly-tugan-zher")
        assert set(quarter.values_list("status", flat=True)) == {"draft", "submitted", "approved"}
        # The last quarter's reports (DAY is in the first quarter of 2027).
        assert {(r.year, r.period_number) for r in quarter} == {(2026, 4)}

    def test_loading_writes_no_letter_and_queues_no_delivery(self, living_demo: list[Any]) -> None:
        assert not Letter.objects.exists()
        deliveries = [
            callback
            for callback in living_demo
            if isinstance(callback, functools.partial) and callback.func == deliver_letter.enqueue
        ]
        assert deliveries == []
        # The invitations were sent, as far as the meetings know.
        assert Meeting.objects.filter(invitations_sent_at__isnull=False).count() >= 6


@pytest.mark.parametrize("moment", OTHER_DAYS, ids=lambda moment: moment.date().isoformat())
def test_the_current_year_lives_on_any_day(moment: datetime.datetime) -> None:
    with time_machine.travel(moment, tick=False):
        load_demo()
        day = timezone.localdate()
        open_ = Assignment.objects.filter(status__in=OPEN_STATUSES)
        assert open_.overdue().exists()
        assert open_.filter(deadline__gte=day, deadline__lte=day + datetime.timedelta(7)).exists()
        assert not story_assignments().overdue().exists()
        assert Meeting.objects.filter(
            start__date__gt=day, start__date__lte=day + datetime.timedelta(14)
        ).exists()
        assert Event.objects.filter(start__year=day.year, start__month=day.month).exists()
        assert not Meeting.history.filter(history_date__gt=timezone.now()).exists()
