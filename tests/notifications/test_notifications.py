"""Notifications: each hooked service tells the right people (those responsible, in scope,
not the one who acted), in their language, as each chose (immediately: in Kense, by e-mail
and Telegram; in the daily digest; off: nothing); and the pages and the API show them."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from factories import (
    AssignmentFactory,
    DocumentFactory,
    IdeaFactory,
    MeetingFactory,
    ParticipantFactory,
    PersonFactory,
    UserFactory,
)
from kense.accounts.models import User
from kense.assignments import services as assignments
from kense.assignments.models import Assignment, ExecutionReport, Extension
from kense.core.daily import daily_steps
from kense.core.models import Letter
from kense.core.permissions import Role
from kense.documents import services as documents
from kense.ideas import services as ideas
from kense.meetings import services as meetings
from kense.meetings.models import Meeting, MeetingState
from kense.notifications import services
from kense.notifications.digest import send_digests
from kense.notifications.models import (
    Channel,
    Digest,
    Notification,
    NotificationKind,
    Preference,
    Reason,
    Send,
    SendStatus,
    Timing,
)
from kense.registry.models import Organization, OrganizationKind

Run = Callable[..., Any]


def issue(
    office: User, lead: Organization, *, person: Any = None, number: str = "7-15"
) -> Assignment:
    assignment = Assignment(
        text_kk="Кітапханада оқу клубын ашу",
        text_ru="Открыть читательский клуб в библиотеке",
        number=number,
        source_kind="order",
        order_reference="№ 15",
        lead_organization=lead,
        lead_person=person,
        deadline=timezone.localdate() + datetime.timedelta(days=30),
        controller=office,
    )
    return assignments.assignment_save(assignment, user=office)


def kinds_of(user: User) -> list[str]:
    return list(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


def letters_to(user: User) -> list[Any]:
    return [message for message in mail.outbox if user.email in message.to]


# --- a new assignment -------------------------------------------------------------------------


def test_a_new_assignment_tells_its_responsible_each_in_their_language(
    committed: Run, office: User, division: Organization, department: User, deputy: User
) -> None:
    assignment = committed(issue, office, division, person=deputy.person)

    assert kinds_of(department) == [NotificationKind.ASSIGNMENT_NEW]
    assert kinds_of(deputy) == [NotificationKind.ASSIGNMENT_NEW]
    assert kinds_of(office) == []  # who issued it is not told
    (kk,) = letters_to(department)
    assert kk.subject == "Жаңа тапсырма: № 7-15 Кітапханада оқу клубын ашу"
    assert f"https://kense.example.kz/kk/assignments/{assignment.pk}/" in kk.body
    (ru,) = letters_to(deputy)
    assert ru.subject == "Новое поручение: № 7-15 Открыть читательский клуб в библиотеке"
    assert f"/ru/assignments/{assignment.pk}/" in ru.body
    sends = Send.objects.filter(notification__recipient=deputy)
    assert {(s.channel, s.status, s.reason) for s in sends} == {
        (Channel.EMAIL, SendStatus.QUEUED, ""),
        (Channel.TELEGRAM, SendStatus.SKIPPED, Reason.CHANNEL_OFF),  # no bot configured
    }
    assert Letter.objects.get(pk=sends.get(channel=Channel.EMAIL).letter_id).sent_at is not None


def test_co_executors_are_told_and_someone_without_an_address_is_logged(
    co_executed: Callable[[], Assignment], office: User, institution: User
) -> None:
    co_executed()

    assert kinds_of(institution) == [NotificationKind.CO_EXECUTION]
    assert letters_to(institution) == []
    send = Send.objects.get(notification__recipient=institution, channel=Channel.EMAIL)
    assert (send.status, send.reason) == (SendStatus.SKIPPED, Reason.NO_EMAIL)


def test_nobody_outside_the_scope_of_the_target_is_told(
    committed: Run, office: User, division: Organization, other_district: Any
) -> None:
    stranger_org = Organization.objects.create(
        name_kk="Басқа бөлім",
        name_ru="Другой отдел",
        territory=other_district,
        kind=OrganizationKind.OTHER,
    )
    stranger = UserFactory(role=Role.DEPARTMENT, organization=stranger_org)
    assignment = AssignmentFactory(lead_organization=division, controller=office)

    created = committed(
        services.notify, NotificationKind.ASSIGNMENT_NEW, recipients=[stranger], target=assignment
    )

    assert created == [] and kinds_of(stranger) == []


# --- preferences ------------------------------------------------------------------------------


def test_off_means_nothing_at_all(
    committed: Run, office: User, division: Organization, department: User
) -> None:
    services.preferences_save(department, {NotificationKind.ASSIGNMENT_NEW: Timing.OFF})

    committed(issue, office, division)

    assert kinds_of(department) == [] and letters_to(department) == []


def test_the_digest_gathers_the_days_notifications_into_one_letter_once(
    committed: Run, office: User, division: Organization, department: User
) -> None:
    services.preferences_save(department, {NotificationKind.ASSIGNMENT_NEW: Timing.DIGEST})
    committed(issue, office, division)
    committed(issue, office, division, number="7-16")

    assert kinds_of(department) == [NotificationKind.ASSIGNMENT_NEW] * 2  # in Kense at once
    assert letters_to(department) == []  # but no letter yet
    assert not Send.objects.filter(notification__recipient=department).exists()

    today = timezone.localdate()
    assert committed(send_digests, today) == 1
    assert committed(send_digests, today) == 0  # a second run sends nothing twice
    (letter,) = letters_to(department)
    assert "№ 7-15" in letter.body and "№ 7-16" in letter.body
    assert letter.subject.startswith("Kense:")
    assert Digest.objects.filter(recipient=department, day=today).count() == 1
    assert not Notification.objects.filter(recipient=department, digest__isnull=True).exists()
    assert "notification_digests" in [step.name for step in daily_steps()]


def test_the_preferences_page_saves_each_kinds_choice(department: User) -> None:
    client = Client()
    client.force_login(department)
    page = client.get("/kk/notifications/settings/")
    assert page.status_code == 200
    assert "Telegram арнасы өшірулі" in page.content.decode() or "Telegram" in page.content.decode()

    data = {kind: Timing.IMMEDIATELY for kind in NotificationKind.values}
    data[NotificationKind.MEETING_CHANGED] = Timing.DIGEST
    data[NotificationKind.IDEA_ANSWERED] = Timing.OFF
    assert client.post("/kk/notifications/settings/", data).status_code == 302

    assert (
        dict(Preference.objects.filter(user=department).values_list("kind", "timing"))[
            NotificationKind.IDEA_ANSWERED
        ]
        == Timing.OFF
    )
    assert services.timings_of([department], NotificationKind.MEETING_CHANGED) == {
        department.pk: Timing.DIGEST
    }


# --- the other kinds --------------------------------------------------------------------------


@pytest.fixture
def reported(office: User, division: Organization, department: User) -> ExecutionReport:
    assignment = AssignmentFactory(lead_organization=division, controller=office, status="reported")
    return ExecutionReport.objects.create(assignment=assignment, text="Жасалды.", author=department)


def test_a_returned_report_tells_its_author_with_the_comment(
    committed: Run, office: User, department: User, reported: ExecutionReport
) -> None:
    committed(assignments.report_review, reported, user=office, accept=False, comment="Фото жоқ.")

    notification = Notification.objects.get(recipient=department)
    assert notification.kind == NotificationKind.REPORT_RETURNED
    assert notification.context["note"] == "Фото жоқ."
    (letter,) = letters_to(department)
    assert letter.subject.startswith("Есеп қайтарылды:") and "Фото жоқ." in letter.body


def test_an_accepted_report_tells_its_author(
    committed: Run, office: User, department: User, reported: ExecutionReport
) -> None:
    committed(assignments.report_review, reported, user=office, accept=True)

    assert kinds_of(department) == [NotificationKind.REPORT_ACCEPTED]


def test_an_extension_decided_tells_who_asked(
    committed: Run, office: User, division: Organization, department: User
) -> None:
    assignment = AssignmentFactory(lead_organization=division, controller=office)
    extension = Extension.objects.create(
        assignment=assignment,
        requested_by=department,
        old_deadline=assignment.deadline,
        new_deadline=assignment.deadline + datetime.timedelta(days=20),
        reason="Су тасқыны.",
    )
    committed(assignments.extension_decide, extension, user=office, grant=True)

    notification = Notification.objects.get(recipient=department)
    assert (notification.kind, notification.context["variant"]) == (
        NotificationKind.EXTENSION_DECIDED,
        "granted",
    )
    assert notification.context["note"] == f"{extension.new_deadline:%d.%m.%Y}"


def test_a_document_sent_tells_the_recipient_organizations(
    committed: Run, office: User, school: Organization, institution: User
) -> None:
    school.kind = OrganizationKind.SCHOOL
    school.save()
    document = DocumentFactory(created_by=office)

    committed(
        documents.distribution_send,
        document,
        user=office,
        organization_kinds=[OrganizationKind.SCHOOL],
        mode="information",
        message="Танысып шығыңыз.",
    )

    notification = Notification.objects.get(recipient=institution)
    assert notification.kind == NotificationKind.DOCUMENT_RECEIVED
    assert notification.context["object"] == document.title_ru
    assert notification.target.get_absolute_url().startswith("/")


def test_a_meeting_invitation_changes_and_cancellation_tell_the_invited(
    committed: Run, office: User, division: Organization, deputy: User
) -> None:
    meeting = MeetingFactory(organizer=division, state=MeetingState.DRAFT)
    ParticipantFactory(meeting=meeting, person=deputy.person)
    ParticipantFactory(meeting=meeting, person=PersonFactory())  # no account, no address

    committed(meetings.meeting_transition, meeting, user=office, to=MeetingState.SCHEDULED)
    assert kinds_of(deputy) == [NotificationKind.MEETING_INVITATION]
    # One letter: the invitation with its calendar file, not a second one of the notification.
    assert len(letters_to(deputy)) == 1
    assert letters_to(deputy)[0].attachments

    meeting = Meeting.objects.get(pk=meeting.pk)
    meeting.start += datetime.timedelta(days=1)
    meeting.end += datetime.timedelta(days=1)
    committed(meetings.meeting_save, meeting, user=office)
    moved = Notification.objects.get(recipient=deputy, kind=NotificationKind.MEETING_CHANGED)
    assert moved.context["variant"] == "moved"
    assert str(moved).startswith("Совещание перенесено:") or str(moved)

    committed(meetings.meeting_transition, meeting, user=office, to=MeetingState.DRAFT)
    assert NotificationKind.MEETING_CANCELLED in kinds_of(deputy)


def test_the_meeting_page_says_who_the_invitation_did_not_reach(
    committed: Run, office: User, division: Organization, deputy: User
) -> None:
    meeting = MeetingFactory(organizer=division, state=MeetingState.DRAFT)
    ParticipantFactory(meeting=meeting, person=deputy.person)
    nobody = PersonFactory(surname_kk="Хатсыз", surname_ru="Беспочтовый")
    ParticipantFactory(meeting=meeting, person=nobody)
    committed(meetings.meeting_transition, meeting, user=office, to=MeetingState.SCHEDULED)

    client = Client()
    client.force_login(office)
    page = client.get(f"/ru/meetings/{meeting.pk}/").content.decode()

    assert 'id="not-notified"' in page
    assert "Беспочтовый" in page
    assert deputy.person.surname_ru not in page.split('id="not-notified"')[1].split("</div>")[0]


def test_an_answered_idea_tells_its_proposer(
    committed: Run, office: User, district: Any, deputy: User
) -> None:
    idea = IdeaFactory(territory=district, proposer=deputy)

    committed(ideas.idea_reject, idea, user=office, answer="Қаржы жоқ.")

    notification = Notification.objects.get(recipient=deputy)
    assert (notification.kind, notification.context["note"]) == (
        NotificationKind.IDEA_ANSWERED,
        "Қаржы жоқ.",
    )


def test_a_rolled_back_change_notifies_nobody(
    immediate: None, office: User, division: Organization, department: User
) -> None:
    with pytest.raises(RuntimeError):
        from django.db import transaction

        with transaction.atomic():
            issue(office, division)
            raise RuntimeError
    assert kinds_of(department) == [] and not Letter.objects.exists()


# --- the pages and the API --------------------------------------------------------------------


def test_the_bell_the_list_and_opening_a_notification(
    committed: Run, office: User, division: Organization, department: User
) -> None:
    assignment = committed(issue, office, division)
    client = Client()
    client.force_login(department)

    bell = client.get("/kk/notifications/bell/").content.decode()
    assert 'data-testid="bell-count">1<' in bell
    listed = client.get("/kk/notifications/").content.decode()
    assert "Жаңа тапсырма: № 7-15" in listed
    notification = Notification.objects.get(recipient=department)

    opened = client.get(f"/kk/notifications/{notification.pk}/")
    assert opened.status_code == 302
    assert opened["Location"] == f"/kk/assignments/{assignment.pk}/"
    assert "bell-count" not in client.get("/kk/notifications/bell/").content.decode()

    other = UserFactory(role=Role.OBSERVER)
    client.force_login(other)
    assert client.get(f"/kk/notifications/{notification.pk}/").status_code == 404
    assert client.post(f"/kk/notifications/{notification.pk}/read/").status_code == 404


def test_mark_all_read_and_the_api(
    committed: Run, office: User, division: Organization, department: User
) -> None:
    committed(issue, office, division)
    committed(issue, office, division, number="7-16")
    client = Client()
    client.force_login(department)

    listed = client.get("/api/v1/notifications", HTTP_ACCEPT_LANGUAGE="ru").json()
    assert listed["count"] == 2
    newest = listed["items"][0]
    assert newest["kind"] == "assignment_new" and newest["read_at"] is None
    assert newest["target_type"] == "assignments.assignment"
    assert client.get("/api/v1/notifications/unread").json() == {"unread": 2}

    marked = client.post(f"/api/v1/notifications/{newest['id']}/read")
    assert marked.json() == {"marked": 1}
    assert client.get("/api/v1/notifications?unread=true").json()["count"] == 1
    assert client.post("/kk/notifications/read/").status_code == 302
    assert client.get("/api/v1/notifications/unread").json() == {"unread": 0}


def test_the_log_shows_the_office_who_was_not_notified_and_why(
    co_executed: Callable[[], Assignment], office: User, institution: User
) -> None:
    co_executed()
    client = Client()
    client.force_login(office)

    page = client.get("/ru/notifications/log/?reason=no_email").content.decode()
    assert str(institution) in page
    client.force_login(institution)
    assert client.get("/ru/notifications/log/").status_code == 403


def test_the_log_says_and_filters_what_came_of_each_letter(
    committed: Run, office: User, division: Organization, department: User, deputy: User
) -> None:
    # The department's letter goes; the deputy's is refused by the mail server at every
    # attempt, and given up once its last claim has expired.
    committed(issue, office, division, person=deputy.person)
    given_up = Send.objects.get(notification__recipient=deputy, channel=Channel.EMAIL).letter
    assert given_up is not None
    given_up.sent_at, given_up.attempts = None, 10
    given_up.claimed_at = timezone.now() - datetime.timedelta(hours=1)
    given_up.save()
    client = Client()
    client.force_login(office)

    def logged(query: str) -> set[str]:
        page = client.get(f"/en/notifications/log/?channel=email&{query}")
        return {str(send.notification.recipient) for send in page.context["page"].object_list}

    assert logged("status=sent") == {str(department)}
    assert logged("status=queued") == set()
    assert logged("status=failed") == logged("reason=failed") == {str(deputy)}
    page = client.get("/en/notifications/log/?channel=email&status=failed").content.decode()
    assert "Failed after every attempt" in page and "Not yet sent" not in page

    # While its last attempt may still be under way, it is not given up yet.
    given_up.claimed_at = timezone.now()
    given_up.save()
    assert logged("status=queued") == {str(deputy)}
    assert "Not yet sent (10 attempts)" in client.get("/en/notifications/log/").content.decode()
