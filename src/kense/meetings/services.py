"""Meetings from draft to approved minutes. Every write is one of these services.

States: draft → scheduled (invitations sent) → in progress → held (minutes being written) →
approved (locked: later changes only as amendments kept beside the minutes).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kense.accounts.models import User
from kense.core.attachments import attach
from kense.core.files import atomic_with_files
from kense.core.history import audit_as
from kense.core.models import Attachment
from kense.core.permissions import Action, can, can_add
from kense.core.revisions import check_revision
from kense.core.services import save_in_scope
from kense.meetings import notices
from kense.meetings.models import (
    AgendaItem,
    Attendance,
    Decision,
    InvitationGroup,
    ItemKind,
    Meeting,
    MeetingSeries,
    MeetingState,
    MinutesAmendment,
    Participant,
    ParticipantRole,
)
from kense.registry.models import Appointment, Organization, Person
from kense.registry.selectors import subtree_on
from kense.text.kazakh import format_date

if TYPE_CHECKING:
    from kense.assignments.models import Assignment

TRANSITIONS = {
    MeetingState.DRAFT: {MeetingState.SCHEDULED},
    MeetingState.SCHEDULED: {MeetingState.IN_PROGRESS, MeetingState.DRAFT},
    MeetingState.IN_PROGRESS: {MeetingState.HELD},
    MeetingState.HELD: {MeetingState.APPROVED},
    MeetingState.APPROVED: set(),
}

LOCKED = _("The minutes are approved and locked: record the change as an amendment.")


def require_editable(meeting: Meeting, user: User) -> None:
    """403 unless the user may change the meeting; a ValidationError once it is locked."""
    if not can(user, Action.CHANGE, meeting):
        raise PermissionDenied
    if meeting.is_locked:
        raise ValidationError(LOCKED)


@transaction.atomic
def meeting_save(
    meeting: Meeting,
    *,
    user: User,
    programs: Iterable[Any] | None = None,
    projects: Iterable[Any] | None = None,
) -> Meeting:
    """Create or edit a meeting (its time, place, link, chair…) while it is not approved."""
    before = None
    if meeting.pk is not None:
        # Checked on the row as it stands under the lock: an approval committed while this
        # form was being filled in is seen, and none can slip in before the save.
        before = Meeting.objects.select_for_update().get(pk=meeting.pk)
        require_editable(before, user)
        if meeting.state != MeetingState.DRAFT:
            meeting.ics_sequence += 1  # calendars update the event they already have
    m2m: dict[str, Iterable[Any]] = {}
    if programs is not None:
        m2m["programs"] = programs
    if projects is not None:
        m2m["projects"] = projects
    check_protocol_number(meeting)
    saved = save_in_scope(meeting, user=user, m2m=m2m)
    if before is not None and saved.state in (MeetingState.SCHEDULED, MeetingState.IN_PROGRESS):
        moved = (before.start, before.end) != (saved.start, saved.end)
        if moved or (before.venue, before.video_url) != (saved.venue, saved.video_url):
            notices.changed(saved, actor=user, moved=moved)
    return saved


def group_members(group: InvitationGroup, on: datetime.date, *, user: User) -> list[Appointment]:
    """The appointments through which people held the group's post on that date, of the
    people the user may see: a group is region-wide, what it shows and invites is not."""
    appointments = Appointment.objects.filter(
        Q(end__isnull=True) | Q(end__gte=on),
        position=group.position,
        start__lte=on,
        person__in=Person.objects.restrict(user),
    ).select_related("person", "organization", "position")
    if group.organization_kinds:
        appointments = appointments.filter(organization__kind__in=group.organization_kinds)
    if group.territory is not None:
        # The subtree as it stood on that day: a 2020 meeting of Karaganda region invites
        # Zhezkazgan's deputy akim, although the city is in Ulytau region since 2022.
        appointments = appointments.filter(
            organization__territory_id__in=subtree_on(group.territory, on)
        )
    if group.territory_kinds:
        appointments = appointments.filter(organization__territory__kind__in=group.territory_kinds)
    return list(appointments.order_by("organization__territory__path", "pk"))


def _participant_from(
    meeting: Meeting, appointment: Appointment | None, person: Person
) -> Participant:
    """A participant with the post they hold on the meeting's day, in every language."""
    titles = {}
    if appointment is not None:
        for language in ("kk", "ru", "en"):
            titles[f"position_title_{language}"] = getattr(
                appointment, f"title_{language}"
            ) or getattr(appointment.position, f"name_{language}")
    return Participant(
        meeting=meeting,
        person=person,
        organization=appointment.organization if appointment else None,
        **titles,
    )


@transaction.atomic
def participants_invite(
    meeting: Meeting,
    *,
    user: User,
    people: Iterable[Person] = (),
    groups: Iterable[InvitationGroup] = (),
    role: str = ParticipantRole.MEMBER,
) -> list[Participant]:
    """Invite individuals and whole groups in one step. A group expands to the holders of its
    post on the meeting's date; the expansion is stored, so the list no longer follows later
    appointments. Inviting someone already invited is refused, naming them."""
    require_editable(meeting, user)
    day = meeting.day
    invited = set(meeting.participants.values_list("person_id", flat=True))
    people = list(people)
    twice = [person for person in people if person.pk in invited]
    if twice:
        raise ValidationError(
            {
                "people": _("Already invited: %(names)s.")
                % {"names": ", ".join(person.formal_name for person in twice)}
            }
        )
    added: list[Participant] = []
    current = {
        appointment.person_id: appointment
        for appointment in Appointment.objects.filter(
            Q(end__isnull=True) | Q(end__gte=day), person__in=people, start__lte=day
        ).select_related("organization", "position")
    }
    for person in people:
        participant = _participant_from(meeting, current.get(person.pk), person)
        participant.role = role
        added.append(participant)
        invited.add(person.pk)
    for group in groups:
        for appointment in group_members(group, day, user=user):
            if appointment.person_id in invited:
                continue  # invited already, alone or through another group
            participant = _participant_from(meeting, appointment, appointment.person)
            participant.group = group
            added.append(participant)
            invited.add(appointment.person_id)
    now = timezone.now() if meeting.invitations_sent_at else None
    for participant in added:
        participant.invited_at = now
        participant.full_clean(validate_constraints=False)
        participant._history_user = user
        participant.save()
    if meeting.invitations_sent_at:  # invited after the letters went: told here
        notices.invited(meeting, added, actor=user, letter_sent=False)
    return added


@transaction.atomic
def series_save(series: MeetingSeries, *, user: User) -> MeetingSeries:
    """Create or rename a series of recurring meetings (those who organize meetings)."""
    if not can_add(user, Meeting):
        raise PermissionDenied
    series.full_clean()
    series.save()
    return series


@transaction.atomic
def invitation_group_save(group: InvitationGroup, *, user: User) -> InvitationGroup:
    """Define or change a group invited in one step: the project office's to define, every
    organizer's to invite with; each change is kept in the group's history."""
    if not can_add(user, InvitationGroup):
        raise PermissionDenied
    audit_as(group, user)
    check_revision(group)
    group.full_clean()
    group.save()
    return group


@transaction.atomic
def attendance_record(
    participant: Participant,
    *,
    user: User,
    attendance: str,
    online: bool = False,
    replaced_by: Person | None = None,
) -> Participant:
    require_editable(participant.meeting, user)
    participant.attendance = attendance
    participant.online = online
    participant.replaced_by = replaced_by if attendance == Attendance.REPLACED else None
    participant.full_clean()
    participant._history_user = user
    participant.save()
    return participant


@transaction.atomic
def attendance_record_all(
    meeting: Meeting,
    *,
    user: User,
    marks: Iterable[tuple[Participant, str, bool, Person | None]],
) -> int:
    """The attendance of several participants of the meeting at once (the page's one form:
    each row, or everyone present): (participant, attendance, online, replaced_by) each
    recorded by attendance_record, all or none. Answers how many rows changed."""
    changed = 0
    for participant, attendance, online, replaced_by in marks:
        if participant.meeting_id != meeting.pk:
            raise ValidationError(_("The participant is not invited to this meeting."))
        replaced = replaced_by if attendance == Attendance.REPLACED else None
        if (participant.attendance, participant.online, participant.replaced_by_id) == (
            attendance,
            online,
            replaced.pk if replaced else None,
        ):
            continue  # unchanged rows leave no history
        try:
            attendance_record(
                participant,
                user=user,
                attendance=attendance,
                online=online,
                replaced_by=replaced_by,
            )
        except ValidationError as error:
            # The sheet has a row per participant: the refusal says whose row it is.
            name = participant.person.formal_name
            raise ValidationError(
                [ROW_REFUSED % {"row": name, "error": message} for message in error.messages]
            ) from error
        changed += 1
    return changed


ROW_REFUSED = _("%(row)s: %(error)s")


HELD_EARLY = _(
    "The meeting is planned for %(day)s: it cannot be marked held before its day. If it "
    "really took place earlier, tick “held earlier than planned” and give the reason."
)
HELD_EARLY_REASON = _("Say why the meeting was held earlier than planned.")
NO_ATTENDANCE = _(
    "Mark who attended before approving the minutes: the minutes list those present from "
    "the attendance, not from the invitations."
)
PROTOCOL_NUMBER_TAKEN = _(
    "Minutes № %(number)s of %(year)s are already taken by this organizer's meeting “%(meeting)s”."
)


def _same_series_of_numbers(meeting: Meeting) -> models.QuerySet[Meeting]:
    """The organizer's meetings of the same calendar year (one series of minutes numbers)."""
    year = timezone.localtime(meeting.start).year
    first = timezone.make_aware(datetime.datetime(year, 1, 1))
    following = timezone.make_aware(datetime.datetime(year + 1, 1, 1))
    return Meeting.objects.filter(
        organizer_id=meeting.organizer_id, start__gte=first, start__lt=following
    ).exclude(pk=meeting.pk)


def check_protocol_number(meeting: Meeting) -> None:
    """A typed minutes number is free among the organizer's meetings of the year."""
    if meeting.protocol_number is None:
        return
    taken = _same_series_of_numbers(meeting).filter(protocol_number=meeting.protocol_number).first()
    if taken is not None:
        raise ValidationError(
            {
                "protocol_number": PROTOCOL_NUMBER_TAKEN
                % {
                    "number": meeting.protocol_number,
                    "year": timezone.localtime(meeting.start).year,
                    "meeting": taken.title,
                }
            }
        )


def next_protocol_number(meeting: Meeting) -> int:
    """The next number of the organizer's minutes in the meeting's year."""
    last = _same_series_of_numbers(meeting).aggregate(models.Max("protocol_number"))
    return (last["protocol_number__max"] or 0) + 1


@transaction.atomic
def meeting_transition(
    meeting: Meeting,
    *,
    user: User,
    to: str,
    held_early: bool = False,
    held_early_reason: str = "",
) -> Meeting:
    """Move the meeting to its next state. Scheduling sends the invitations (with .ics);
    marking it held before its day needs `held_early` and the reason (kept in the history);
    approving needs the attendance marked, numbers the minutes when no number was typed, and
    locks them."""
    if not can(user, Action.CHANGE, meeting):
        raise PermissionDenied
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    was = meeting.state
    if to not in TRANSITIONS[MeetingState(meeting.state)]:
        raise ValidationError(
            _("A meeting cannot go from “%(from)s” to “%(to)s”.")
            % {"from": meeting.get_state_display(), "to": MeetingState(to).label}
        )
    fields = ["state"]
    if to == MeetingState.HELD and timezone.localdate() < meeting.day:
        if not held_early:
            raise ValidationError({"held_early": HELD_EARLY % {"day": format_date(meeting.day)}})
        reason = " ".join(held_early_reason.split())
        if not reason:
            raise ValidationError({"held_early_reason": HELD_EARLY_REASON})
        meeting.held_early_reason = reason[:500]
        fields.append("held_early_reason")
    if to == MeetingState.SCHEDULED:
        if not meeting.participants.exists():
            raise ValidationError(_("Invite somebody before sending the invitations."))
        now = timezone.now()
        meeting.invitations_sent_at = now
        meeting.participants.filter(invited_at__isnull=True).update(invited_at=now)
        fields.append("invitations_sent_at")
    if to == MeetingState.APPROVED:
        if not meeting.participants.exclude(attendance=Attendance.EXPECTED).exists():
            raise ValidationError(NO_ATTENDANCE)
        if meeting.protocol_number is None:
            # Serialised by the organizer's row: two approvals at once never share a number.
            Organization.objects.select_for_update().filter(pk=meeting.organizer_id).first()
            meeting.protocol_number = next_protocol_number(meeting)
            fields.append("protocol_number")
        else:
            check_protocol_number(meeting)
        meeting.approved_at, meeting.approved_by = timezone.now(), user
        fields += ["approved_at", "approved_by"]
    meeting.state = to
    meeting._history_user = user
    meeting.save(update_fields=fields)
    if to == MeetingState.SCHEDULED:
        from kense.meetings.invitations import send_invitations

        send_invitations(meeting)
        notices.invited(meeting, notices.participants_of(meeting), actor=user, letter_sent=True)
    if to == MeetingState.DRAFT and was == MeetingState.SCHEDULED:
        notices.cancelled(meeting, actor=user)
    return meeting


@transaction.atomic
def agenda_item_save(
    item: AgendaItem,
    *,
    user: User,
    speakers: Iterable[Person] | None = None,
    projects: Iterable[Any] | None = None,
) -> AgendaItem:
    require_editable(item.meeting, user)
    if item.pk is None and not item.order:
        last = item.meeting.items.aggregate(models.Max("order"))["order__max"] or 0
        item.order = last + 1
    # Saved without save_in_scope (the meeting decides who may): the same revision check.
    check_revision(item)
    item.full_clean()
    item._history_user = user
    item.save()
    if speakers is not None:
        item.speakers.set(list(speakers))
    if projects is not None:
        item.projects.set(list(projects))
    return item


@atomic_with_files()
def attachment_add(item: AgendaItem, *, user: User, upload: Any) -> Attachment:
    """Store a file on an agenda item after checking its size and content (refusals under
    "file")."""
    require_editable(item.meeting, user)
    return attach(item, [upload], user=user, field="file")[0]


class StaleMinutes(ValidationError):
    """Someone else saved the minutes since this editor opened them."""


@transaction.atomic
def minutes_save(
    item: AgendaItem, *, user: User, revision: int, values: dict[str, str]
) -> AgendaItem:
    """Save what was heard and discussed on an item. `revision` is the meeting's minutes
    revision the editor started from: if someone saved in between, the save is refused
    (StaleMinutes) and nothing of either text is lost — the caller shows the user's text
    beside the newer one."""
    require_editable(item.meeting, user)
    bumped = Meeting.objects.filter(pk=item.meeting_id, minutes_revision=revision).update(
        minutes_revision=models.F("minutes_revision") + 1
    )
    if not bumped:
        raise StaleMinutes(
            _(
                "Somebody else saved these minutes while you were editing. Your text is kept "
                "in the form: compare it with theirs below and save again."
            )
        )
    for name, value in values.items():
        setattr(item, name, value)
    item.full_clean()
    item._history_user = user
    item.save()
    return item


@transaction.atomic
def decision_save(decision: Decision, *, user: User) -> Decision:
    require_editable(decision.item.meeting, user)
    if decision.pk is None and not decision.number:
        last = Decision.objects.filter(item=decision.item).aggregate(models.Max("number"))
        decision.number = (last["number__max"] or 0) + 1
    check_revision(decision)
    decision.full_clean()
    decision._history_user = user
    decision.save()
    return decision


@transaction.atomic
def amendment_add(meeting: Meeting, *, user: User, text: str) -> MinutesAmendment:
    """Approved minutes are never rewritten: a change is an amendment kept beside them."""
    if not can(user, Action.CHANGE, meeting):
        raise PermissionDenied
    if not meeting.is_locked:
        raise ValidationError(_("The minutes are not approved yet: edit them directly."))
    if not text.strip():
        raise ValidationError({"text": _("The amendment is empty.")})
    amendment = MinutesAmendment(meeting=meeting, text=text.strip(), author=user)
    amendment.full_clean()
    amendment.save()
    return amendment


@transaction.atomic
def next_meeting_create(
    meeting: Meeting, *, user: User, start: datetime.datetime, end: datetime.datetime
) -> Meeting:
    """The series' next meeting: same title, place and organizer, with the open items of the
    earlier one carried over."""
    if meeting.series_id is None:
        raise ValidationError(_("Only a meeting of a series has a next meeting."))
    following = Meeting(
        **{
            field: getattr(meeting, field)
            for field in (
                "title_kk",
                "title_ru",
                "title_en",
                "kind",
                "format",
                "venue",
                "video_url",
                "video_meeting_id",
                "video_passcode",
                "chair_id",
                "secretary_id",
                "organizer_id",
                "territory_id",
                "series_id",
            )
        },
        start=start,
        end=end,
    )
    meeting_save(following, user=user)
    for item in meeting.items.filter(closed=False, kind=ItemKind.REGULAR).order_by("order"):
        carried = AgendaItem(
            meeting=following,
            order=item.order,
            # modeltranslation adds the title_kk/_ru/_en fields at run time, unseen by the stubs.
            title_kk=item.title_kk,  # type: ignore[attr-defined]
            title_ru=item.title_ru,  # type: ignore[attr-defined]
            title_en=item.title_en,  # type: ignore[attr-defined]
            duration_minutes=item.duration_minutes,
            carried_from=item,
        )
        agenda_item_save(
            carried, user=user, speakers=item.speakers.all(), projects=item.projects.all()
        )
    return following


def review_candidates(
    meeting: Meeting, *, user: User | None = None, since_days: int = 90
) -> models.QuerySet[Assignment]:
    """Assignments the meeting should review: open ones of its scope (its territory's subtree,
    or its programs and projects), and those due or done lately — only those `user` may see,
    when a user is given."""
    from kense.assignments.models import OPEN_STATUSES, Assignment

    day = meeting.day
    recent = day - datetime.timedelta(days=since_days)
    in_scope = Q(territory__path__startswith=meeting.territory.path) | Q(
        meeting__projects__in=meeting.projects.all()
    )
    candidates: models.QuerySet[Assignment] = (
        Assignment.objects.all() if user is None else Assignment.objects.restrict(user)
    )
    return (
        candidates.filter(in_scope)
        .filter(
            Q(status__in=OPEN_STATUSES, created_at__lt=meeting.start)
            | Q(deadline__gte=recent, deadline__lte=day)
            | Q(done_at__date__gte=recent)
        )
        .exclude(meeting=meeting)
        .select_related("lead_organization", "meeting")
        .distinct()
        .order_by("deadline", "pk")
    )


@transaction.atomic
def review_item_propose(meeting: Meeting, *, user: User) -> AgendaItem:
    """Add the item "review of earlier assignments" at the top of the agenda (once)."""
    require_editable(meeting, user)
    existing = meeting.items.filter(kind=ItemKind.REVIEW).first()
    if existing is not None:
        return existing
    meeting.items.update(order=models.F("order") + 1)
    item = AgendaItem(
        meeting=meeting,
        order=1,
        kind=ItemKind.REVIEW,
        title_kk="Бұрын берілген тапсырмалардың орындалу барысы туралы",
        title_ru="О ходе исполнения ранее данных поручений",
        title_en="Review of earlier assignments",
        duration_minutes=15,
    )
    return agenda_item_save(item, user=user)
