"""Meetings: the meeting itself, its participants, its agenda with minutes and decisions, and
the caller's calendar feed.

Reads go through `restrict(user, "view")` (404 outside the scope); writes through
`kense.meetings.services`, which refuse a change outside the user's scope (403) and any edit of
approved minutes (422). Minutes carry the revision they were read at: a save over somebody
else's newer one is refused with 409, and nothing is written.
"""

import datetime
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Field, File, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from kense.accounts.auth import current_user
from kense.accounts.models import User
from kense.core.api import (
    INVALID_CHOICE,
    READ_ERRORS,
    WRITE_ERRORS,
    AttachmentOut,
    LocatedIn,
    LocatedOut,
    Message,
    Ref,
    Text,
    assign,
    attachment_out,
    file_download,
    referenced,
    referenced_many,
    write,
)
from kense.core.attachments import attachment_of, attachment_response, attachments_of
from kense.core.filters import FilterValues, filtered
from kense.core.http import download
from kense.core.models import Attachment
from kense.core.pagination import Pagination
from kense.core.patch import Patch
from kense.core.permissions import (
    Action,
    get_changeable,
    get_visible,
    require,
    require_add,
)
from kense.meetings import selectors, services
from kense.meetings.filters import MeetingFilters
from kense.meetings.models import (
    AgendaItem,
    Attendance,
    Decision,
    InvitationGroup,
    ItemKind,
    Meeting,
    MeetingFormat,
    MeetingKind,
    MeetingSeries,
    MeetingState,
    MinutesAmendment,
    Participant,
    ParticipantRole,
)
from kense.programs.models import Program, Project
from kense.registry.models import (
    Appointment,
    Organization,
    OrganizationKind,
    Person,
    Position,
    Territory,
    TerritoryKind,
)

router = Router()


def person_ref(person: Person | None) -> dict[str, Any] | None:
    """A person as a Ref: people have no single `name`, their full name stands for it."""
    if person is None:
        return None
    return {"id": person.pk, "name": person.full_name}


def user_ref(user: User | None) -> dict[str, Any] | None:
    """A user account as a Ref, named as everywhere else (its person, else its own name)."""
    if user is None:
        return None
    return {"id": user.pk, "name": str(user)}


# ---------------------------------------------------------------------------------------------
# Schemas
# ---------------------------------------------------------------------------------------------


class DecisionOut(Schema):
    id: int
    number: int
    text: Text
    text_kk: Text
    text_ru: Text
    text_en: Text


class DecisionIn(Schema):
    number: int = Field(0, description="By default the next number of the item.")
    text_kk: Text
    text_ru: Text
    text_en: Text = ""


class AgendaItemOut(Schema):
    id: int
    order: int
    title: Text
    title_kk: Text
    title_ru: Text
    title_en: Text
    kind: ItemKind
    duration_minutes: int
    speakers: list[Ref]
    projects: list[Ref]
    carried_from: int | None = Field(None, description="The earlier meeting's item it continues.")
    heard: Text
    heard_kk: Text
    heard_ru: Text
    heard_en: Text
    discussion: Text
    discussion_kk: Text
    discussion_ru: Text
    discussion_en: Text
    closed: bool
    decisions: list[DecisionOut]

    @staticmethod
    def resolve_speakers(obj: AgendaItem) -> list[dict[str, Any] | None]:
        return [person_ref(person) for person in obj.speakers.all()]

    @staticmethod
    def resolve_carried_from(obj: AgendaItem) -> int | None:
        return obj.carried_from_id


class AgendaItemIn(Schema):
    title_kk: Text
    title_ru: Text
    title_en: Text = ""
    order: int = Field(0, description="By default after the last item.")
    duration_minutes: int = 10
    speakers: list[int] = Field(default_factory=list, description="Ids of the speakers.")
    projects: list[int] = Field(default_factory=list, description="Ids of the projects.")
    closed: bool = False


class MinutesIn(Schema):
    revision: int = Field(
        description="The meeting's minutes_revision the text was read at; a save over a newer "
        "one is refused with 409."
    )
    heard_kk: str | None = None
    heard_ru: str | None = None
    heard_en: str | None = None
    discussion_kk: str | None = None
    discussion_ru: str | None = None
    discussion_en: str | None = None


class MinutesOut(AgendaItemOut):
    revision: int = Field(description="The minutes revision to send with the next save.")

    @staticmethod
    def resolve_revision(obj: AgendaItem) -> int:
        return obj.meeting.minutes_revision


class ParticipantOut(Schema):
    id: int
    person: Ref
    organization: Ref | None
    position_title: str
    group: Ref | None = Field(None, description="The group the person was invited with.")
    role: ParticipantRole
    attendance: Attendance
    replaced_by: Ref | None
    online: bool
    invited_at: datetime.datetime | None

    @staticmethod
    def resolve_person(obj: Participant) -> dict[str, Any] | None:
        return person_ref(obj.person)

    @staticmethod
    def resolve_replaced_by(obj: Participant) -> dict[str, Any] | None:
        return person_ref(obj.replaced_by)


class InviteIn(Schema):
    people: list[int] = Field(default_factory=list, description="Ids of people to invite.")
    groups: list[int] = Field(
        default_factory=list,
        description="Ids of invitation groups: each stands for the holders of its post on the "
        "meeting's day, frozen now.",
    )
    role: ParticipantRole = ParticipantRole.MEMBER


class AttendanceIn(Schema):
    attendance: Attendance
    online: bool = False
    replaced_by: int | None = Field(None, description="The deputy who came instead.")


class MeetingOut(LocatedOut):
    id: int
    title: Text
    title_kk: Text
    title_ru: Text
    title_en: Text
    kind: MeetingKind
    format: MeetingFormat
    venue: str
    video_url: str
    video_meeting_id: str
    video_passcode: str
    start: datetime.datetime
    end: datetime.datetime
    chair: Ref | None
    secretary: Ref | None
    organizer: Ref
    territory: Ref
    programs: list[Ref]
    projects: list[Ref]
    series: Ref | None
    state: MeetingState
    protocol_number: int | None = Field(
        description="The minutes' number, per organizer and year; given at approval if empty."
    )
    held_early_reason: str = Field(
        description="Why the meeting was marked held before its day (empty otherwise)."
    )
    invitations_sent_at: datetime.datetime | None
    approved_at: datetime.datetime | None
    minutes_revision: int = Field(description="Send it back with the next save of the minutes.")

    @staticmethod
    def resolve_chair(obj: Meeting) -> dict[str, Any] | None:
        return person_ref(obj.chair)

    @staticmethod
    def resolve_secretary(obj: Meeting) -> dict[str, Any] | None:
        return person_ref(obj.secretary)

    @staticmethod
    def resolve_series(obj: Meeting) -> dict[str, Any] | None:
        series: MeetingSeries | None = obj.series
        return None if series is None else {"id": series.pk, "name": series.title}


class MeetingDetailOut(MeetingOut):
    participants: list[ParticipantOut]
    items: list[AgendaItemOut]


class MeetingIn(LocatedIn):
    title_kk: Text
    title_ru: Text
    title_en: Text = ""
    kind: MeetingKind = MeetingKind.REGULAR
    format: MeetingFormat = MeetingFormat.IN_PERSON
    venue: str = ""
    video_url: str = ""
    video_meeting_id: str = ""
    video_passcode: str = ""
    start: datetime.datetime
    end: datetime.datetime
    chair: int | None = None
    secretary: int | None = None
    organizer: int
    territory: int = Field(description="Whose meeting it is: the region, or a city or district.")
    programs: list[int] = Field(default_factory=list)
    projects: list[int] = Field(default_factory=list)
    series: int | None = None
    protocol_number: int | None = Field(
        None,
        ge=1,
        description="The minutes' number; left empty, the next one is given at approval.",
    )


class TransitionIn(Schema):
    to: MeetingState
    held_early: bool = Field(
        False,
        description="To mark the meeting held before its day: it really took place earlier.",
    )
    held_early_reason: str = Field(
        "", max_length=500, description="Why it was held earlier (required with held_early)."
    )


class CalendarOut(Schema):
    url: str = Field(description="The secret address of the caller's meetings as iCalendar.")


# ---------------------------------------------------------------------------------------------
# Querysets
# ---------------------------------------------------------------------------------------------


def with_related(meetings: QuerySet[Meeting]) -> QuerySet[Meeting]:
    """What MeetingOut shows, fetched with the meetings."""
    return meetings.select_related(
        "chair", "secretary", "organizer", "territory", "series"
    ).prefetch_related("programs", "projects")


def _meetings(user: User) -> QuerySet[Meeting]:
    return with_related(Meeting.objects.restrict(user, Action.VIEW))


def _items() -> QuerySet[AgendaItem]:
    return AgendaItem.objects.prefetch_related("speakers", "projects", "decisions").order_by(
        "order", "pk"
    )


def _meeting_detail(user: User) -> QuerySet[Meeting]:
    return _meetings(user).prefetch_related(
        Prefetch("participants", queryset=_participants()), Prefetch("items", queryset=_items())
    )


def _meeting_references(user: User) -> dict[str, QuerySet[Any]]:
    people = selectors.people_for(user)
    return {
        "chair": people,
        "secretary": people,
        "organizer": Organization.objects.restrict(user, Action.VIEW),
        "territory": Territory.objects.restrict(user, Action.VIEW),
        "series": MeetingSeries.objects.all(),
    }


def _visible_meeting(user: User, meeting_id: int) -> Meeting:
    return get_visible(Meeting.objects.all(), user, pk=meeting_id)


# ---------------------------------------------------------------------------------------------
# Meetings
# ---------------------------------------------------------------------------------------------


@router.get("/meetings", response=list[MeetingOut], tags=["meetings"])
@paginate(Pagination)
@filtered(MeetingFilters)
def list_meetings(request: HttpRequest, filters: FilterValues) -> QuerySet[Meeting]:
    return with_related(selectors.meeting_list(current_user(request), filters))


@router.get(
    "/meetings/{meeting_id}", response={200: MeetingDetailOut, **READ_ERRORS}, tags=["meetings"]
)
def get_meeting(request: HttpRequest, meeting_id: int) -> Meeting:
    user = current_user(request)
    return get_visible(_meeting_detail(user), user, pk=meeting_id)


@router.post("/meetings", response={201: MeetingDetailOut, **WRITE_ERRORS}, tags=["meetings"])
def create_meeting(request: HttpRequest, payload: MeetingIn) -> Status[Meeting]:
    user = current_user(request)
    require_add(user, Meeting)
    data = payload.dict()
    programs = referenced_many(Program.objects.restrict(user, Action.VIEW), data, "programs")
    projects = referenced_many(Project.objects.restrict(user, Action.VIEW), data, "projects")
    meeting = Meeting()
    assign(meeting, data, _meeting_references(user))
    write(services.meeting_save, meeting, user=user, programs=programs, projects=projects)
    return Status(201, get_visible(_meeting_detail(user), user, pk=meeting.pk))


@router.patch(
    "/meetings/{meeting_id}", response={200: MeetingDetailOut, **WRITE_ERRORS}, tags=["meetings"]
)
def update_meeting(request: HttpRequest, meeting_id: int, payload: Patch[MeetingIn]) -> Meeting:
    user = current_user(request)
    meeting = get_changeable(_meetings(user), user, pk=meeting_id)
    programs = referenced_many(Program.objects.restrict(user, Action.VIEW), payload, "programs")
    projects = referenced_many(Project.objects.restrict(user, Action.VIEW), payload, "projects")
    assign(meeting, payload, _meeting_references(user))
    write(services.meeting_save, meeting, user=user, programs=programs, projects=projects)
    return get_visible(_meeting_detail(user), user, pk=meeting.pk)


@router.post(
    "/meetings/{meeting_id}/transition",
    response={200: MeetingOut, **WRITE_ERRORS},
    tags=["meetings"],
)
def transition_meeting(request: HttpRequest, meeting_id: int, payload: TransitionIn) -> Meeting:
    """Move the meeting on: scheduling sends the invitations, approving locks the minutes."""
    user = current_user(request)
    meeting = _visible_meeting(user, meeting_id)
    services.meeting_transition(
        meeting,
        user=user,
        to=payload.to,
        held_early=payload.held_early,
        held_early_reason=payload.held_early_reason,
    )
    return get_visible(_meetings(user), user, pk=meeting.pk)


# ---------------------------------------------------------------------------------------------
# Participants
# ---------------------------------------------------------------------------------------------


def _participants() -> QuerySet[Participant]:
    return Participant.objects.select_related(
        "person", "organization", "group", "replaced_by"
    ).order_by("pk")


@router.get(
    "/meetings/{meeting_id}/participants",
    response={200: list[ParticipantOut], **READ_ERRORS},
    tags=["meetings"],
)
@paginate(Pagination)
def list_participants(request: HttpRequest, meeting_id: int) -> QuerySet[Participant]:
    """Who is invited, in the order of the invitations, with their attendance: to whoever
    sees the meeting, as its page shows them."""
    user = current_user(request)
    meeting = _visible_meeting(user, meeting_id)
    return _participants().filter(meeting=meeting)


@router.get(
    "/meetings/{meeting_id}/participants/{participant_id}",
    response={200: ParticipantOut, **READ_ERRORS},
    tags=["meetings"],
)
def get_participant(request: HttpRequest, meeting_id: int, participant_id: int) -> Participant:
    user = current_user(request)
    meeting = _visible_meeting(user, meeting_id)
    return selectors.participant_of(meeting, participant_id)


@router.post(
    "/meetings/{meeting_id}/participants",
    response={201: list[ParticipantOut], **WRITE_ERRORS},
    tags=["meetings"],
)
def invite_participants(
    request: HttpRequest, meeting_id: int, payload: InviteIn
) -> Status[list[Participant]]:
    """Invite people and whole groups; someone invited already is refused by name."""
    user = current_user(request)
    meeting = _visible_meeting(user, meeting_id)
    require(user, Action.CHANGE, meeting)
    data = payload.dict()
    people = referenced_many(selectors.people_for(user), data, "people")
    groups = referenced_many(selectors.invitation_groups(), data, "groups")
    added = services.participants_invite(
        meeting, user=user, people=people or (), groups=groups or (), role=payload.role
    )
    return Status(201, added)


@router.patch(
    "/meetings/{meeting_id}/participants/{participant_id}",
    response={200: ParticipantOut, **WRITE_ERRORS},
    tags=["meetings"],
)
def record_attendance(
    request: HttpRequest,
    meeting_id: int,
    participant_id: int,
    payload: Patch[AttendanceIn],
) -> Participant:
    user = current_user(request)
    meeting = _visible_meeting(user, meeting_id)
    participant = selectors.participant_of(meeting, participant_id)
    require(user, Action.CHANGE, meeting)
    replaced_by = participant.replaced_by
    if "replaced_by" in payload:
        people = selectors.people_for(user)
        replaced_by = referenced(people, payload["replaced_by"], "replaced_by")
    return services.attendance_record(
        participant,
        user=user,
        attendance=payload.get("attendance", participant.attendance),
        online=payload.get("online", participant.online),
        replaced_by=replaced_by,
    )


# ---------------------------------------------------------------------------------------------
# Agenda items, minutes and decisions
# ---------------------------------------------------------------------------------------------


def _item_references(user: User, data: dict[str, Any]) -> dict[str, list[Any] | None]:
    return {
        "speakers": referenced_many(selectors.people_for(user), data, "speakers"),
        "projects": referenced_many(Project.objects.restrict(user, Action.VIEW), data, "projects"),
    }


@router.get(
    "/meetings/{meeting_id}/items",
    response={200: list[AgendaItemOut], **READ_ERRORS},
    tags=["meetings"],
)
@paginate(Pagination)
def list_agenda_items(request: HttpRequest, meeting_id: int) -> QuerySet[AgendaItem]:
    user = current_user(request)
    meeting = _visible_meeting(user, meeting_id)
    return _items().filter(meeting=meeting)


@router.get(
    "/meetings/{meeting_id}/items/{item_id}",
    response={200: AgendaItemOut, **READ_ERRORS},
    tags=["meetings"],
)
def get_agenda_item(request: HttpRequest, meeting_id: int, item_id: int) -> AgendaItem:
    """One agenda item with its minutes and decisions, to whoever sees the meeting."""
    user = current_user(request)
    meeting = _visible_meeting(user, meeting_id)
    item = selectors.item_of(meeting, item_id)  # 404 for an item of another meeting
    return _items().get(pk=item.pk)


@router.post(
    "/meetings/{meeting_id}/items",
    response={201: AgendaItemOut, **WRITE_ERRORS},
    tags=["meetings"],
)
def create_agenda_item(
    request: HttpRequest, meeting_id: int, payload: AgendaItemIn
) -> Status[AgendaItem]:
    user = current_user(request)
    meeting = _visible_meeting(user, meeting_id)
    require(user, Action.CHANGE, meeting)
    data = payload.dict()
    many = _item_references(user, data)
    item = AgendaItem(meeting=meeting)
    assign(item, data, {})
    write(services.agenda_item_save, item, user=user, **many)
    return Status(201, _items().get(pk=item.pk))


@router.post(
    "/meetings/{meeting_id}/review-item",
    response={201: AgendaItemOut, **WRITE_ERRORS},
    tags=["meetings"],
)
def propose_review_item(request: HttpRequest, meeting_id: int) -> Status[AgendaItem]:
    """Put "review of earlier assignments" at the top of the agenda (once); its candidates are
    at /meetings/{id}/review-candidates."""
    user = current_user(request)
    meeting = _visible_meeting(user, meeting_id)
    item = services.review_item_propose(meeting, user=user)
    return Status(201, _items().get(pk=item.pk))


@router.patch(
    "/meetings/{meeting_id}/items/{item_id}",
    response={200: AgendaItemOut, **WRITE_ERRORS},
    tags=["meetings"],
)
def update_agenda_item(
    request: HttpRequest, meeting_id: int, item_id: int, payload: Patch[AgendaItemIn]
) -> AgendaItem:
    user = current_user(request)
    meeting = _visible_meeting(user, meeting_id)
    item = selectors.item_of(meeting, item_id)
    require(user, Action.CHANGE, meeting)
    many = _item_references(user, payload)
    assign(item, payload, {})
    write(services.agenda_item_save, item, user=user, **many)
    return _items().get(pk=item.pk)


@router.patch(
    "/meetings/{meeting_id}/items/{item_id}/minutes",
    response={200: MinutesOut, 409: Message, **WRITE_ERRORS},
    tags=["meetings"],
)
def save_minutes(
    request: HttpRequest, meeting_id: int, item_id: int, payload: MinutesIn
) -> AgendaItem | Status[dict[str, str]]:
    """What was heard and discussed. A save started from an older revision than the meeting's
    is refused with 409 and changes nothing: read the newer text, merge, and save again."""
    user = current_user(request)
    meeting = _visible_meeting(user, meeting_id)
    item = selectors.item_of(meeting, item_id)
    values = payload.dict(exclude_unset=True)
    revision = values.pop("revision")
    texts = {name: value or "" for name, value in values.items()}
    try:
        write(services.minutes_save, item, user=user, revision=revision, values=texts)
    except services.StaleMinutes as stale:
        return Status(409, {"detail": " ".join(stale.messages)})
    return _items().select_related("meeting").get(pk=item.pk)


@router.post(
    "/meetings/{meeting_id}/items/{item_id}/decisions",
    response={201: DecisionOut, **WRITE_ERRORS},
    tags=["meetings"],
)
def create_decision(
    request: HttpRequest, meeting_id: int, item_id: int, payload: DecisionIn
) -> Status[Decision]:
    user = current_user(request)
    meeting = _visible_meeting(user, meeting_id)
    item = selectors.item_of(meeting, item_id)
    require(user, Action.CHANGE, meeting)
    decision = Decision(item=item)
    assign(decision, payload.dict(), {})
    return Status(201, write(services.decision_save, decision, user=user))


@router.patch(
    "/meetings/{meeting_id}/items/{item_id}/decisions/{decision_id}",
    response={200: DecisionOut, **WRITE_ERRORS},
    tags=["meetings"],
)
def update_decision(
    request: HttpRequest,
    meeting_id: int,
    item_id: int,
    decision_id: int,
    payload: Patch[DecisionIn],
) -> Decision:
    user = current_user(request)
    meeting = _visible_meeting(user, meeting_id)
    decision = selectors.decision_of(meeting, decision_id)
    if decision.item_id != item_id:
        raise Http404  # a decision of another item of the same meeting
    require(user, Action.CHANGE, meeting)
    assign(decision, payload, {})
    return write(services.decision_save, decision, user=user)


# ---------------------------------------------------------------------------------------------
# Files of agenda items
# ---------------------------------------------------------------------------------------------


class AgendaAttachmentOut(AttachmentOut):
    """An agenda item's file, with who brought it (a speaker's presentation, a report)."""

    uploaded_by: Ref


def _attachment_out(attachment: Attachment, item: AgendaItem) -> dict[str, Any]:
    """An agenda item's file as AgendaAttachmentOut: its address names the item's meeting."""
    return {
        **attachment_out(
            attachment,
            "download_agenda_attachment",
            meeting_id=item.meeting_id,
            item_id=item.pk,
            attachment_id=attachment.pk,
        ),
        "uploaded_by": user_ref(attachment.uploaded_by),
    }


@router.get(
    "/meetings/{meeting_id}/items/{item_id}/attachments",
    response={200: list[AgendaAttachmentOut], **READ_ERRORS},
    tags=["meetings"],
)
def list_agenda_attachments(
    request: HttpRequest, meeting_id: int, item_id: int
) -> list[dict[str, Any]]:
    """The files of an agenda item (reports, presentations…), oldest first, to whoever sees
    the meeting."""
    user = current_user(request)
    item = selectors.item_of(_visible_meeting(user, meeting_id), item_id)
    attachments = attachments_of([item])[item]
    # The uploaders in one query, with their people (each is named by their person).
    uploaders = User.objects.select_related("person").in_bulk(
        {attachment.uploaded_by_id for attachment in attachments}
    )
    for attachment in attachments:
        attachment.uploaded_by = uploaders[attachment.uploaded_by_id]
    return [_attachment_out(attachment, item) for attachment in attachments]


@router.post(
    "/meetings/{meeting_id}/items/{item_id}/attachments",
    response={201: AgendaAttachmentOut, **WRITE_ERRORS},
    tags=["meetings"],
    description="Multipart form: the `file` (checked by its size and content, as the page "
    "checks it; a refusal is reported under `file` and nothing is stored). Those who may "
    "change the meeting, until its minutes are approved.",
)
def upload_agenda_attachment(
    request: HttpRequest, meeting_id: int, item_id: int, file: File[UploadedFile]
) -> Status[dict[str, Any]]:
    user = current_user(request)
    meeting = _visible_meeting(user, meeting_id)
    item = selectors.item_of(meeting, item_id)
    require(user, Action.CHANGE, meeting)
    attachment = services.attachment_add(item, user=user, upload=file)
    return Status(201, _attachment_out(attachment, item))


@router.get(
    "/meetings/{meeting_id}/items/{item_id}/attachments/{attachment_id}",
    response=READ_ERRORS,
    tags=["meetings"],
    openapi_extra=file_download("The file, as a download under its name."),
)
def download_agenda_attachment(
    request: HttpRequest, meeting_id: int, item_id: int, attachment_id: int
) -> FileResponse:
    """The file as it was uploaded, with its checked type (Content-Type) and name
    (Content-Disposition), to whoever sees the meeting."""
    user = current_user(request)
    item = selectors.item_of(_visible_meeting(user, meeting_id), item_id)
    return attachment_response(attachment_of(item, attachment_id))


# ---------------------------------------------------------------------------------------------
# The minutes and extracts as documents
# ---------------------------------------------------------------------------------------------

DOCUMENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}
# The minutes are official documents, written in Kazakh or Russian (kense.meetings.exports).
DocumentLanguage = Literal["kk", "ru"]


class MinutesQuery(Schema):
    format: Literal["docx", "pdf"] = Field("docx", description="docx to edit in Word, pdf to sign.")
    language: DocumentLanguage = Field(
        "kk", description="The document's language: minutes are written in Kazakh or Russian."
    )


class ExtractQuery(Schema):
    organization: int = Field(
        description="The organization the extract is for: one of "
        "/meetings/{meeting_id}/extract-organizations."
    )
    language: DocumentLanguage = Field(
        "kk", description="The document's language: minutes are written in Kazakh or Russian."
    )


@router.get(
    "/meetings/{meeting_id}/minutes",
    response=READ_ERRORS,
    tags=["meetings"],
    openapi_extra=file_download(
        "The minutes as a file (Content-Disposition: attachment).", *DOCUMENT_TYPES.values()
    ),
)
def download_minutes(
    request: HttpRequest, meeting_id: int, query: Query[MinutesQuery]
) -> HttpResponse:
    """The minutes (ХАТТАМА / ПРОТОКОЛ) as the meeting's page gives them: DOCX to edit or PDF
    to sign, in Kazakh or Russian, to whoever sees the meeting, in any of its states."""
    meeting = _visible_meeting(current_user(request), meeting_id)
    # Imported here, as by the page: the renderers are not needed by any other operation.
    from kense.meetings import exports

    render = exports.minutes_docx if query.format == "docx" else exports.minutes_pdf
    return download(
        render(meeting, query.language),
        DOCUMENT_TYPES[query.format],
        f"minutes-{meeting.day:%Y-%m-%d}-{query.language}.{query.format}",
    )


@router.get(
    "/meetings/{meeting_id}/extract-organizations",
    response={200: list[Ref], **READ_ERRORS},
    tags=["meetings"],
)
def list_extract_organizations(request: HttpRequest, meeting_id: int) -> list[Organization]:
    """The organizations that lead an assignment given by the meeting: each may be sent an
    extract of the minutes."""
    meeting = _visible_meeting(current_user(request), meeting_id)
    return selectors.extract_organizations(meeting)


@router.get(
    "/meetings/{meeting_id}/extract",
    response=READ_ERRORS,
    tags=["meetings"],
    openapi_extra=file_download(
        "The extract as a Word file (Content-Disposition: attachment).", DOCUMENT_TYPES["docx"]
    ),
)
def download_extract(
    request: HttpRequest, meeting_id: int, query: Query[ExtractQuery]
) -> HttpResponse:
    """The extract of the minutes (ХАТТАМАДАН ҮЗІНДІ / ВЫПИСКА ИЗ ПРОТОКОЛА) for one
    organization: the decisions whose assignments it leads or co-executes, as DOCX (the page
    gives no PDF of it), to whoever sees the meeting. An organization that leads none of the
    meeting's assignments is refused under `organization` (422)."""
    meeting = _visible_meeting(current_user(request), meeting_id)
    organization = next(
        (o for o in selectors.extract_organizations(meeting) if o.pk == query.organization), None
    )
    if organization is None:
        raise ValidationError({"organization": INVALID_CHOICE})
    from kense.meetings import exports

    return download(
        exports.assignments_extract_docx(meeting, organization, query.language),
        DOCUMENT_TYPES["docx"],
        f"extract-{meeting.day:%Y-%m-%d}-{organization.pk}-{query.language}.docx",
    )


# ---------------------------------------------------------------------------------------------
# Approved minutes: amendments; the series and its next meeting
# ---------------------------------------------------------------------------------------------


class AmendmentOut(Schema):
    id: int
    text: str
    author: Ref
    created_at: datetime.datetime

    @staticmethod
    def resolve_author(obj: MinutesAmendment) -> dict[str, Any] | None:
        return user_ref(obj.author)


class AmendmentIn(Schema):
    text: str


@router.get(
    "/meetings/{meeting_id}/amendments",
    response={200: list[AmendmentOut], **READ_ERRORS},
    tags=["meetings"],
)
def list_amendments(request: HttpRequest, meeting_id: int) -> QuerySet[MinutesAmendment]:
    """The amendments kept beside the approved minutes, oldest first."""
    meeting = _visible_meeting(current_user(request), meeting_id)
    return meeting.amendments.select_related("author__person").order_by("created_at", "pk")


@router.post(
    "/meetings/{meeting_id}/amendments",
    response={201: AmendmentOut, **WRITE_ERRORS},
    tags=["meetings"],
)
def add_amendment(
    request: HttpRequest, meeting_id: int, payload: AmendmentIn
) -> Status[MinutesAmendment]:
    """Approved minutes are never rewritten: a change is kept beside them (422 while they are
    not approved yet: edit them directly)."""
    user = current_user(request)
    meeting = _visible_meeting(user, meeting_id)
    require(user, Action.CHANGE, meeting)
    return Status(201, services.amendment_add(meeting, user=user, text=payload.text))


# The series' own recurrence; not an enum schema, which would share the name `Recurrence`
# with the assignments' one (kense.assignments.models.Recurrence) in the OpenAPI document.
SeriesRecurrence = Literal["weekly", "monthly", "quarterly"]


class SeriesOut(Schema):
    id: int
    title: Text
    title_kk: Text
    title_ru: Text
    title_en: Text
    recurrence: SeriesRecurrence


class SeriesIn(Schema):
    title_kk: Text
    title_ru: Text
    title_en: Text = ""
    recurrence: SeriesRecurrence


@router.get("/meeting-series", response=list[SeriesOut], tags=["meetings"])
@paginate(Pagination)
def list_meeting_series(request: HttpRequest) -> QuerySet[MeetingSeries]:
    """Series of recurring meetings, shared by every organizer (as the meeting form offers
    them)."""
    return MeetingSeries.objects.order_by("pk")


@router.post("/meeting-series", response={201: SeriesOut, **WRITE_ERRORS}, tags=["meetings"])
def create_meeting_series(request: HttpRequest, payload: SeriesIn) -> Status[MeetingSeries]:
    """A series of recurring meetings (those who organize meetings); a meeting joins it by its
    `series`, and each next one carries over the open agenda items."""
    user = current_user(request)
    require_add(user, Meeting)
    series = MeetingSeries()
    assign(series, payload.dict(), {})
    return Status(201, write(services.series_save, series, user=user))


INVALID_DATE_TIME = _("Enter a valid date/time.")  # Django's words, translated by Django
NEXT_MEETING_TOO_EARLY = _("The next meeting starts after the one it follows.")


class NextMeetingIn(Schema):
    start: datetime.datetime
    end: datetime.datetime


# Meetings are not planned further ahead; a later year is a typing mistake (and one near the
# calendar's end cannot be said in the region's time zone).
LAST_YEAR = 2100


def _check_next_times(meeting: Meeting, times: NextMeetingIn) -> None:
    """The next meeting of a series comes after the meeting it follows."""
    for name in ("start", "end"):
        if getattr(times, name).year > LAST_YEAR:
            raise ValidationError({name: INVALID_DATE_TIME})
    if times.start <= meeting.start:
        raise ValidationError({"start": NEXT_MEETING_TOO_EARLY})


@router.post(
    "/meetings/{meeting_id}/next",
    response={201: MeetingDetailOut, **WRITE_ERRORS},
    tags=["meetings"],
)
def create_next_meeting(
    request: HttpRequest, meeting_id: int, payload: NextMeetingIn
) -> Status[Meeting]:
    """The series' next meeting: the same title, place and organizer, with the open agenda
    items carried over (a meeting outside a series has none: 404)."""
    user = current_user(request)
    meeting = _visible_meeting(user, meeting_id)
    require(user, Action.CHANGE, meeting)
    if meeting.series_id is None:
        raise Http404
    _check_next_times(meeting, payload)
    following = services.next_meeting_create(
        meeting, user=user, start=payload.start, end=payload.end
    )
    return Status(201, get_visible(_meeting_detail(user), user, pk=following.pk))


# ---------------------------------------------------------------------------------------------
# Invitation groups
# ---------------------------------------------------------------------------------------------


class InvitationGroupOut(Schema):
    id: int
    name: Text
    name_kk: Text
    name_ru: Text
    name_en: Text
    position: Ref
    organization_kinds: list[OrganizationKind] = Field(description="Empty: every type.")
    territory: Ref | None = Field(description="Null: everywhere.")
    territory_kinds: list[TerritoryKind] = Field(description="Empty: every type.")


class InvitationGroupIn(Schema):
    name_kk: Text
    name_ru: Text
    name_en: Text = ""
    position: int = Field(description="The post whose holders the group stands for.")
    organization_kinds: list[OrganizationKind] = Field(default_factory=list)
    territory: int | None = Field(None, description="Within this territory's subtree.")
    territory_kinds: list[TerritoryKind] = Field(default_factory=list)


class InvitationGroupPreviewIn(Schema):
    position: int
    organization_kinds: list[OrganizationKind] = Field(default_factory=list)
    territory: int | None = None
    territory_kinds: list[TerritoryKind] = Field(default_factory=list)
    on: datetime.date | None = Field(None, description="By default today.")


class InvitationGroupMemberOut(Schema):
    appointment: int
    person: Ref
    position: str = Field(description="The post's title as the appointment gives it.")
    organization: Ref
    since: datetime.date

    @staticmethod
    def resolve_appointment(obj: Appointment) -> int:
        return obj.pk

    @staticmethod
    def resolve_person(obj: Appointment) -> dict[str, Any] | None:
        return person_ref(obj.person)

    @staticmethod
    def resolve_position(obj: Appointment) -> str:
        return obj.title or obj.position.name

    @staticmethod
    def resolve_since(obj: Appointment) -> datetime.date:
        return obj.start


class MembersQuery(Schema):
    on: datetime.date | None = Field(None, description="Who holds the post on: by default today.")


def _group_references(user: User) -> dict[str, QuerySet[Any]]:
    return {
        "position": Position.objects.all(),
        "territory": Territory.objects.restrict(user, Action.VIEW),
    }


def _group(pk: int) -> InvitationGroup:
    # Groups are region-wide: every signed-in user sees every one (what they expand to is
    # scoped, see services.group_members).
    group = selectors.invitation_groups().filter(pk=pk).first()
    if group is None:
        raise Http404
    return group


@router.get("/invitation-groups", response=list[InvitationGroupOut], tags=["meetings"])
@paginate(Pagination)
def list_invitation_groups(request: HttpRequest) -> QuerySet[InvitationGroup]:
    """The groups every organizer invites with, in the Kazakh order of their names."""
    return selectors.invitation_groups()


# Declared before /invitation-groups/{group_id}, which would take "preview" for an id (405).
@router.post(
    "/invitation-groups/preview",
    response={200: list[InvitationGroupMemberOut], **WRITE_ERRORS},
    tags=["meetings"],
)
def preview_invitation_group(
    request: HttpRequest, payload: InvitationGroupPreviewIn
) -> list[Appointment]:
    """Who a group being defined (not saved) would expand to on a date, among the people the
    caller may see: the preview of the group's form, for those who define groups. Saves
    nothing."""
    user = current_user(request)
    require_add(user, InvitationGroup)
    data = payload.dict()
    on = data.pop("on") or timezone.localdate()
    candidate = InvitationGroup()
    assign(candidate, data, _group_references(user))
    return services.group_members(candidate, on, user=user)


@router.get(
    "/invitation-groups/{group_id}",
    response={200: InvitationGroupOut, **READ_ERRORS},
    tags=["meetings"],
)
def get_invitation_group(request: HttpRequest, group_id: int) -> InvitationGroup:
    return _group(group_id)


@router.post(
    "/invitation-groups", response={201: InvitationGroupOut, **WRITE_ERRORS}, tags=["meetings"]
)
def create_invitation_group(
    request: HttpRequest, payload: InvitationGroupIn
) -> Status[InvitationGroup]:
    """Define a group (the project office and administrators, as on the page)."""
    user = current_user(request)
    require_add(user, InvitationGroup)
    group = InvitationGroup()
    assign(group, payload.dict(), _group_references(user))
    write(services.invitation_group_save, group, user=user)
    return Status(201, _group(group.pk))


@router.patch(
    "/invitation-groups/{group_id}",
    response={200: InvitationGroupOut, **WRITE_ERRORS},
    tags=["meetings"],
)
def update_invitation_group(
    request: HttpRequest, group_id: int, payload: Patch[InvitationGroupIn]
) -> InvitationGroup:
    user = current_user(request)
    require_add(user, InvitationGroup)
    group = _group(group_id)
    assign(group, payload, _group_references(user))
    write(services.invitation_group_save, group, user=user)
    return _group(group.pk)


@router.get(
    "/invitation-groups/{group_id}/members",
    response={200: list[InvitationGroupMemberOut], **READ_ERRORS},
    tags=["meetings"],
)
def list_invitation_group_members(
    request: HttpRequest, group_id: int, query: Query[MembersQuery]
) -> list[Appointment]:
    """Who the group expands to on a date (a meeting expands it on its own date), among the
    people the caller may see, by territory."""
    user = current_user(request)
    group = _group(group_id)
    return services.group_members(group, query.on or timezone.localdate(), user=user)


# ---------------------------------------------------------------------------------------------
# The caller's calendar
# ---------------------------------------------------------------------------------------------


@router.get("/me/calendar", response={200: CalendarOut, 401: Message}, tags=["me"])
def get_my_calendar(request: HttpRequest) -> dict[str, str]:
    """The address to subscribe to in a calendar application: the caller's meetings. Keep it
    secret: whoever has it reads the caller's meetings without logging in."""
    # Imported here: the feed lives with the calendar views, which the API does not need.
    from kense.meetings.feeds import calendar_token

    user = current_user(request)
    path = reverse("calendar:calendar_feed", kwargs={"token": calendar_token(user)})
    return {"url": request.build_absolute_uri(path)}


@router.post("/me/calendar/renew", response={200: CalendarOut, **WRITE_ERRORS}, tags=["me"])
def renew_my_calendar(request: HttpRequest) -> dict[str, str]:
    """A new calendar address for the caller, as the profile page's button gives: the old one
    stops working at once (every earlier address, however it leaked)."""
    from kense.accounts.services import calendar_address_renew

    calendar_address_renew(user=current_user(request))
    return get_my_calendar(request)
