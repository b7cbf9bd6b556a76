"""The import of a past meeting in one call (`POST /api/v1/imports/meetings`): a meeting
already held, or held and with its minutes approved, with its participants and their
attendance, its agenda and decisions, and the dates it happened on (the invitations, the
meeting itself, the approval) instead of the server's now.

The service checks that the dates tell a possible story (invitations before the meeting, the
approval after it, nothing in the future) and saves through the same services as the normal
API: the meeting through `meeting_save` (the model's checks and the caller's scope), the agenda
through `agenda_item_save` and `decision_save`, while the meeting is still "held"; approving
comes last. Every history row it writes says "Imported" (kense.core.imports). The endpoint
lives here rather than in the app's api.py: it is the app's import, the one operation that
writes the past, and it answers the normal MeetingDetailOut so that a client carries on with
the normal calls.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Field, Router, Schema, Status

from kense.accounts.auth import current_user
from kense.accounts.models import User
from kense.assignments.models import OPEN_STATUSES, Assignment, Extension, Review, ReviewChoice
from kense.assignments.services import review_record
from kense.core.api import (
    INVALID_CHOICE,
    WRITE_ERRORS,
    Text,
    assign,
    referenced,
    referenced_many,
    write,
)
from kense.core.history import audit_as
from kense.core.imports import Day, Moment, importing, past, require_import, under
from kense.core.permissions import Action, get_visible
from kense.meetings import selectors, services
from kense.meetings.api import MeetingDetailOut, _meeting_detail, _meeting_references
from kense.meetings.models import (
    AgendaItem,
    Attendance,
    Decision,
    ItemKind,
    Meeting,
    MeetingFormat,
    MeetingKind,
    MeetingState,
    Participant,
    ParticipantRole,
)
from kense.programs.models import Program, Project
from kense.registry.models import Appointment, Organization, Person

router = Router(tags=["imports"])

INVITED_AFTER = _("The invitations cannot be sent after the meeting started.")
APPROVED_BEFORE = _("The minutes cannot be approved before the meeting was held.")
APPROVAL_NEEDED = _("Give the date the minutes were approved.")
NOT_APPROVED = _("Only approved minutes have an approval date.")
NOT_HELD_YET = _("A meeting imported as held must have ended already.")
LISTED_TWICE = _("This person is already listed.")
GIVEN_AFTER = _("The assignment was given after this meeting: it cannot review it.")
NOT_OPEN = _("The assignment is no longer under control: the meeting cannot review it.")


# ---------------------------------------------------------------------------------------------
# The service
# ---------------------------------------------------------------------------------------------


@dataclass
class ImportedReview:
    """A decision of the meeting on an earlier assignment (kense.assignments Review)."""

    assignment: Assignment
    choice: str
    note: str = ""
    new_deadline: datetime.date | None = None
    new_lead_organization: Organization | None = None
    days_after_lifting: int | None = None


def _review(meeting: Meeting, given: ImportedReview, *, user: User) -> None:
    """Record the review through `review_record` (its checks, its effects on the assignment),
    then date it, and what it did, at the meeting."""
    assignment = given.assignment
    if assignment.created_at >= meeting.start:
        raise ValidationError({"assignment": GIVEN_AFTER})
    if assignment.status not in OPEN_STATUSES:
        raise ValidationError({"assignment": NOT_OPEN})
    review = review_record(
        meeting=meeting,
        assignment=assignment,
        user=user,
        choice=given.choice,
        note=given.note,
        new_deadline=given.new_deadline,
        new_lead_organization=given.new_lead_organization,
        days_after_lifting=given.days_after_lifting,
    )
    recorded_at, when = review.decided_at, meeting.start
    review.decided_at = when
    review.save(update_fields=["decided_at"])
    if given.choice in (ReviewChoice.EXTEND, ReviewChoice.EXTEND_AFTER_LIFTING):
        for extension in Extension.objects.filter(
            assignment=assignment, requested_at=recorded_at, decided_at=recorded_at
        ):
            extension.requested_at = extension.decided_at = when
            audit_as(extension, user)
            extension.save(update_fields=["requested_at", "decided_at"])
    if given.choice == ReviewChoice.ACCEPT:
        done = Assignment.objects.get(pk=assignment.pk)
        done.done_at = when
        audit_as(done, user)
        done.save(update_fields=["done_at"])


@dataclass
class ImportedItem:
    """An agenda item to import, with its speakers, projects and decisions (all unsaved)."""

    item: AgendaItem
    speakers: list[Person] = field(default_factory=list)
    projects: list[Project] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)


def _check_dates(
    meeting: Meeting,
    *,
    state: str,
    invitations_sent_at: datetime.datetime | None,
    approved_at: datetime.datetime | None,
) -> None:
    errors: dict[str, Any] = {}
    past(meeting.end, "end", errors)
    if "end" in errors:
        errors["end"] = [NOT_HELD_YET]
    past(invitations_sent_at, "invitations_sent_at", errors)
    past(approved_at, "approved_at", errors)
    if invitations_sent_at is not None and meeting.start and invitations_sent_at > meeting.start:
        errors.setdefault("invitations_sent_at", []).append(INVITED_AFTER)
    if state == MeetingState.APPROVED:
        if approved_at is None:
            errors.setdefault("approved_at", []).append(APPROVAL_NEEDED)
        elif meeting.start and approved_at < meeting.start:
            errors.setdefault("approved_at", []).append(APPROVED_BEFORE)
    elif approved_at is not None:
        errors.setdefault("approved_at", []).append(NOT_APPROVED)
    if errors:
        raise ValidationError(errors)


def _posts_on(day: datetime.date, people: list[Person]) -> dict[int, Appointment]:
    """The post each person held on the day (the one the invitation freezes)."""
    return {
        appointment.person_id: appointment
        for appointment in Appointment.objects.filter(
            Q(end__isnull=True) | Q(end__gte=day), person__in=people, start__lte=day
        ).select_related("organization", "position")
    }


def meeting_import(
    meeting: Meeting,
    *,
    user: User,
    state: str,
    invitations_sent_at: datetime.datetime | None = None,
    approved_at: datetime.datetime | None = None,
    programs: list[Program] | None = None,
    projects: list[Project] | None = None,
    participants: list[Participant] = (),  # type: ignore[assignment]
    items: list[ImportedItem] = (),  # type: ignore[assignment]
    reviews: list[ImportedReview] = (),  # type: ignore[assignment]
) -> Meeting:
    """Record a past meeting, held (`state` "held") or with approved minutes ("approved"), in
    one transaction: all of it or nothing. Participants without an organization or position
    get the post they held on the meeting's day; they count as invited when the invitations
    went out. Each review decides on an earlier assignment as `review_record` does, dated at
    the meeting (an accepted assignment is done that day). 403 for anybody but the
    administrator and the project office, and for a meeting outside the office's scope; 422
    for dates that cannot be."""
    require_import(user)
    if state not in (MeetingState.HELD, MeetingState.APPROVED):
        raise ValidationError({"state": INVALID_CHOICE})
    _check_dates(
        meeting, state=state, invitations_sent_at=invitations_sent_at, approved_at=approved_at
    )
    with importing():
        # Held first: the agenda is written through the normal services, which refuse to
        # touch approved minutes; the approval comes last, as it did.
        meeting.state = MeetingState.HELD
        meeting.invitations_sent_at = invitations_sent_at
        services.meeting_save(meeting, user=user, programs=programs, projects=projects)
        posts = _posts_on(meeting.day, [participant.person for participant in participants])
        for index, participant in enumerate(participants):
            post = posts.get(participant.person.pk)
            if post is not None and participant.organization_id is None:
                participant.organization = post.organization
            for language in ("kk", "ru", "en"):
                name = f"position_title_{language}"
                if post is not None and not getattr(participant, name, ""):
                    title = getattr(post, f"title_{language}") or getattr(
                        post.position, f"name_{language}"
                    )
                    setattr(participant, name, title)
            participant.meeting = meeting
            participant.invited_at = invitations_sent_at
            with under(f"participants.{index}", Participant):
                participant.full_clean(validate_constraints=False)
            audit_as(participant, user)
            participant.save()
        for index, imported in enumerate(items):
            imported.item.meeting = meeting
            with under(f"items.{index}", AgendaItem):
                services.agenda_item_save(
                    imported.item,
                    user=user,
                    speakers=imported.speakers,
                    projects=imported.projects,
                )
            for number, decision in enumerate(imported.decisions):
                decision.item = imported.item
                with under(f"items.{index}.decisions.{number}", Decision):
                    services.decision_save(decision, user=user)
        for index, review in enumerate(reviews):
            with under(f"reviews.{index}", Review):
                _review(meeting, review, user=user)
        if state == MeetingState.APPROVED:
            meeting.state = MeetingState.APPROVED
            meeting.approved_at = approved_at
            # Who approved the minutes then is not known; the history says who imported them.
            meeting.approved_by = None
            audit_as(meeting, user)
            meeting.save(update_fields=["state", "approved_at", "approved_by"])
    return meeting


# ---------------------------------------------------------------------------------------------
# The endpoint
# ---------------------------------------------------------------------------------------------


class MeetingImportDecisionIn(Schema):
    number: int = Field(0, description="By default the next number of the item.")
    text_kk: Text
    text_ru: Text
    text_en: Text = ""


class MeetingImportItemIn(Schema):
    title_kk: Text
    title_ru: Text
    title_en: Text = ""
    kind: ItemKind = ItemKind.REGULAR
    duration_minutes: int = 10
    speakers: list[int] = Field(default_factory=list, description="Ids of the speakers.")
    projects: list[int] = Field(default_factory=list, description="Ids of the projects.")
    heard_kk: Text = ""
    heard_ru: Text = ""
    heard_en: Text = ""
    discussion_kk: Text = ""
    discussion_ru: Text = ""
    discussion_en: Text = ""
    closed: bool = True
    decisions: list[MeetingImportDecisionIn] = Field(default_factory=list)


class MeetingImportParticipantIn(Schema):
    person: int
    organization: int | None = Field(
        None, description="By default the organization of the post held on the meeting's day."
    )
    position_title_kk: Text = Field("", description="By default the post held on the day.")
    position_title_ru: Text = ""
    role: ParticipantRole = ParticipantRole.MEMBER
    attendance: Attendance = Attendance.PRESENT
    replaced_by: int | None = Field(None, description="The deputy who came instead.")
    online: bool = False


class MeetingImportReviewIn(Schema):
    assignment: int = Field(description="An earlier assignment, still under control.")
    choice: ReviewChoice
    note: str = ""
    new_deadline: Day | None = Field(None, description="For 'extend'.")
    new_lead_organization: int | None = Field(None, description="For 'reassign'.")
    days_after_lifting: int | None = Field(
        None, description="For 'extend_after_lifting': due this many days after the lifting."
    )


class MeetingImportIn(Schema):
    title_kk: Text
    title_ru: Text
    title_en: Text = ""
    kind: MeetingKind = MeetingKind.REGULAR
    format: MeetingFormat = MeetingFormat.IN_PERSON
    venue: str = ""
    video_url: str = ""
    video_meeting_id: str = ""
    video_passcode: str = ""
    start: Moment = Field(description="When the meeting was held (its own date).")
    end: Moment
    chair: int | None = None
    secretary: int | None = None
    organizer: int
    territory: int = Field(description="Whose meeting it is: the region, or a city or district.")
    programs: list[int] = Field(default_factory=list)
    projects: list[int] = Field(default_factory=list)
    series: int | None = None
    state: MeetingState = Field(
        MeetingState.APPROVED, description="'held' or 'approved' (minutes approved)."
    )
    invitations_sent_at: Moment | None = Field(
        None, description="When the invitations went out: not after the meeting started."
    )
    approved_at: Moment | None = Field(
        None, description="When the minutes were approved (state 'approved' only)."
    )
    participants: list[MeetingImportParticipantIn] = Field(default_factory=list)
    items: list[MeetingImportItemIn] = Field(default_factory=list)
    reviews: list[MeetingImportReviewIn] = Field(
        default_factory=list,
        description="Its decisions on earlier assignments (the review of earlier assignments), "
        "dated at the meeting: accept makes the assignment done on the meeting's day, extend "
        "moves its deadline (recorded among its extensions).",
    )


def _many(rows: Any, ids: list[int], name: str, errors: dict[str, Any]) -> list[Any]:
    """The visible objects the ids name; a field error when one is not (kense.core.api's
    referenced_many, noting the error instead of raising it)."""
    try:
        return referenced_many(rows, {name: ids}, name) or []
    except ValidationError as error:
        errors.update(error.message_dict)
        return []


def _one(rows: Any, pk: int | None, name: str, errors: dict[str, Any]) -> Any:
    try:
        return referenced(rows, pk, name)
    except ValidationError as error:
        errors.update(error.message_dict)
        return None


def _participants(
    user: User, given: list[MeetingImportParticipantIn], errors: dict[str, Any]
) -> list[Participant]:
    people = selectors.people_for(user)
    organizations = Organization.objects.restrict(user, Action.VIEW)
    participants = []
    seen: set[int] = set()
    for index, entry in enumerate(given):
        prefix = f"participants.{index}"
        person = _one(people, entry.person, f"{prefix}.person", errors)
        if person is not None and person.pk in seen:
            errors[f"{prefix}.person"] = [LISTED_TWICE]
        elif person is not None:
            seen.add(person.pk)
        participant = Participant(
            person=person,
            organization=_one(organizations, entry.organization, f"{prefix}.organization", errors),
            role=entry.role,
            attendance=entry.attendance,
            replaced_by=_one(people, entry.replaced_by, f"{prefix}.replaced_by", errors),
            online=entry.online,
        )
        participant.position_title_kk = entry.position_title_kk  # type: ignore[attr-defined]
        participant.position_title_ru = entry.position_title_ru  # type: ignore[attr-defined]
        participants.append(participant)
    return participants


def _items(user: User, given: list[MeetingImportItemIn], errors: dict[str, Any]) -> list[Any]:
    people = selectors.people_for(user)
    projects = Project.objects.restrict(user, Action.VIEW)
    items = []
    for index, entry in enumerate(given):
        data = entry.dict()
        decisions = data.pop("decisions")
        speakers = _many(people, data.pop("speakers"), f"items.{index}.speakers", errors)
        linked = _many(projects, data.pop("projects"), f"items.{index}.projects", errors)
        item = AgendaItem(order=index + 1)
        assign(item, data, {})
        imported = ImportedItem(item, speakers, linked)
        for number, text in enumerate(decisions, start=1):
            decision = Decision(number=text["number"] or number)
            assign(decision, {k: v for k, v in text.items() if k != "number"}, {})
            imported.decisions.append(decision)
        items.append(imported)
    return items


def _reviews(
    user: User, given: list[MeetingImportReviewIn], errors: dict[str, Any]
) -> list[ImportedReview]:
    assignments = Assignment.objects.restrict(user, Action.VIEW)
    organizations = Organization.objects.restrict(user, Action.VIEW)
    reviews = []
    for index, entry in enumerate(given):
        prefix = f"reviews.{index}"
        assignment = _one(assignments, entry.assignment, f"{prefix}.assignment", errors)
        new_lead = _one(
            organizations, entry.new_lead_organization, f"{prefix}.new_lead_organization", errors
        )
        if assignment is not None:
            reviews.append(
                ImportedReview(
                    assignment,
                    entry.choice,
                    entry.note,
                    entry.new_deadline,
                    new_lead,
                    entry.days_after_lifting,
                )
            )
    return reviews


@router.post(
    "/imports/meetings", response={201: MeetingDetailOut, **WRITE_ERRORS}, tags=["imports"]
)
def import_meeting(request: HttpRequest, payload: MeetingImportIn) -> Status[Meeting]:
    """Import a past meeting in one call: held, or held with its minutes approved, with its
    participants and their attendance, its agenda and decisions, and its dates. The
    administrator and the project office only (403 for anybody else); the dates are checked
    (invitations not after the meeting, the approval not before it, nothing in the future), a
    reference the caller cannot see is refused under its path (`participants.3.person`), and
    nothing is saved unless all of it is. Answers the meeting as `GET /meetings/{id}` does."""
    user = current_user(request)
    require_import(user)
    data = payload.dict()
    errors: dict[str, Any] = {}
    programs = _many(
        Program.objects.restrict(user, Action.VIEW), data.pop("programs"), "programs", errors
    )
    projects = _many(
        Project.objects.restrict(user, Action.VIEW), data.pop("projects"), "projects", errors
    )
    participants = _participants(user, payload.participants, errors)
    items = _items(user, payload.items, errors)
    reviews = _reviews(user, payload.reviews, errors)
    state = data.pop("state")
    invitations_sent_at = data.pop("invitations_sent_at")
    approved_at = data.pop("approved_at")
    data.pop("participants")
    data.pop("items")
    data.pop("reviews")
    meeting = Meeting()
    try:
        assign(meeting, data, _meeting_references(user))
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    write(
        meeting_import,
        meeting,
        user=user,
        state=state,
        invitations_sent_at=invitations_sent_at,
        approved_at=approved_at,
        programs=programs,
        projects=projects,
        participants=participants,
        items=items,
        reviews=reviews,
    )
    return Status(201, get_visible(_meeting_detail(user), user, pk=meeting.pk))
