"""Assignments under control: the inbox and the queue, execution reports, extensions,
withdrawal, and the review of earlier assignments by a later meeting.

Reads go through `restrict(user, "view")` (404 outside the scope); every change of state goes
through `kense.assignments.services`, which decide who may take it: only the responsible
reports and asks for more time, only the controller accepts, returns and decides (403 for
anybody else).
"""

import datetime
from typing import Annotated, Any, Literal, TypeVar

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import OuterRef, Prefetch, QuerySet, Subquery
from django.http import FileResponse, Http404, HttpRequest
from django.utils import timezone
from ninja import Field, File, Form, Query, Router, Schema
from ninja import Status as HttpStatus
from ninja.files import UploadedFile
from ninja.pagination import paginate
from pydantic import BeforeValidator

from kense.accounts.auth import current_user
from kense.accounts.models import User
from kense.assignments import selectors, services
from kense.assignments.filters import AssignmentFilters, InboxFilters, ReminderFilters
from kense.assignments.models import (
    MAX_DAYS_AFTER_LIFTING,
    Assignment,
    DeadlineKind,
    ExecutionReport,
    Extension,
    ExtensionStatus,
    Priority,
    Recurrence,
    Reminder,
    ReminderKind,
    ReportOutcome,
    Review,
    ReviewChoice,
    SourceKind,
    Status,
)
from kense.core.api import (
    INVALID_CHOICE,
    READ_ERRORS,
    WRITE_ERRORS,
    AttachmentOut,
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
from kense.core.pagination import Pagination
from kense.core.patch import Patch
from kense.core.permissions import Action, get_changeable, get_visible, require_add
from kense.meetings import selectors as meeting_selectors
from kense.meetings.api import person_ref, user_ref
from kense.meetings.models import Decision, Meeting
from kense.meetings.services import review_candidates
from kense.registry.models import Organization, Territory

M = TypeVar("M", bound=models.Model)

router = Router()

# The model keeps "" for "no recurrence"; the API says null, both ways.
OptionalRecurrence = Annotated[Recurrence | None, BeforeValidator(lambda value: value or None)]


# ---------------------------------------------------------------------------------------------
# Schemas
# ---------------------------------------------------------------------------------------------


class ExecutionReportOut(Schema):
    id: int
    text: str
    author: Ref
    created_at: datetime.datetime
    outcome: ReportOutcome
    reviewed_by: Ref | None
    reviewed_at: datetime.datetime | None
    review_comment: str

    @staticmethod
    def resolve_author(obj: ExecutionReport) -> dict[str, Any] | None:
        return user_ref(obj.author)

    @staticmethod
    def resolve_reviewed_by(obj: ExecutionReport) -> dict[str, Any] | None:
        return user_ref(obj.reviewed_by)


class ReportIn(Schema):
    text: str


class ReportReviewIn(Schema):
    accept: bool
    comment: str = Field("", description="Required when the report is returned.")


class ExtensionOut(Schema):
    id: int
    requested_by: Ref
    requested_at: datetime.datetime
    old_deadline: datetime.date | None
    new_deadline: datetime.date | None = Field(
        description="Empty for an extension until days after the emergency is lifted."
    )
    days_after_lifting: int | None = Field(
        description="An extension until this many days after the emergency is lifted "
        "(a meeting's review): the lifting gives the assignment its date."
    )
    reason: str
    status: ExtensionStatus
    decided_by: Ref | None
    decided_at: datetime.datetime | None
    answer: str

    @staticmethod
    def resolve_requested_by(obj: Extension) -> dict[str, Any] | None:
        return user_ref(obj.requested_by)

    @staticmethod
    def resolve_decided_by(obj: Extension) -> dict[str, Any] | None:
        return user_ref(obj.decided_by)


class ExtensionIn(Schema):
    new_deadline: datetime.date
    reason: str


class ExtensionDecisionIn(Schema):
    grant: bool
    answer: str = Field("", description="Required when the extension is refused.")


class WithdrawIn(Schema):
    reason: str


class AssignmentOut(Schema):
    id: int
    number: str
    text: Text
    text_kk: Text
    text_ru: Text
    text_en: Text
    source_kind: SourceKind
    meeting: Ref | None
    decision: int | None
    order_reference: str
    lead_organization: Ref
    lead_person: Ref | None
    co_executors: list[Ref]
    territory: Ref
    deadline_kind: DeadlineKind
    deadline: datetime.date | None
    recurrence: OptionalRecurrence
    recurrence_day: int | None
    recurrence_until: datetime.date | None
    days_after_lifting: int | None
    deadline_reason: str
    priority: Priority
    controller: Ref
    status: Status
    overdue: bool = Field(description="Still open and past its deadline.")
    done_at: datetime.datetime | None
    withdrawn_reason: str
    parent: int | None = Field(description="The recurring assignment this is an instance of.")
    created_at: datetime.datetime

    @staticmethod
    def resolve_meeting(obj: Assignment) -> dict[str, Any] | None:
        meeting = obj.meeting
        return None if meeting is None else {"id": meeting.pk, "name": meeting.title}

    @staticmethod
    def resolve_decision(obj: Assignment) -> int | None:
        return obj.decision_id

    @staticmethod
    def resolve_lead_person(obj: Assignment) -> dict[str, Any] | None:
        return person_ref(obj.lead_person)

    @staticmethod
    def resolve_controller(obj: Assignment) -> dict[str, Any] | None:
        return user_ref(obj.controller)

    @staticmethod
    def resolve_overdue(obj: Assignment) -> bool:
        return obj.is_overdue()

    @staticmethod
    def resolve_parent(obj: Assignment) -> int | None:
        return obj.parent_id


class AssignmentDetailOut(AssignmentOut):
    reports: list[ExecutionReportOut]
    extensions: list[ExtensionOut]


class AssignmentIn(Schema):
    number: str = ""
    text_kk: Text = Field("", description="By default the decision's text.")
    text_ru: Text = Field("", description="By default the decision's text.")
    text_en: Text = ""
    source_kind: SourceKind = SourceKind.MEETING
    decision: int | None = Field(None, description="The decision it carries out.")
    meeting: int | None = Field(None, description="By default the decision's meeting.")
    order_reference: str = Field("", description="The akim's order (source_kind 'order').")
    lead_organization: int
    lead_person: int | None = None
    co_executors: list[int] = Field(default_factory=list)
    territory: int | None = Field(None, description="By default the lead organization's.")
    deadline_kind: DeadlineKind = DeadlineKind.DATE
    deadline: datetime.date | None = None
    recurrence: Recurrence | None = None
    recurrence_day: int | None = None
    recurrence_until: datetime.date | None = None
    days_after_lifting: int | None = None
    deadline_reason: str = Field("", description="Required for a deadline already past.")
    priority: Priority = Priority.NORMAL
    controller: int | None = Field(
        None,
        description="The user who accepts the execution (the project office, an executive "
        "or an administrator); by default you.",
    )


class CandidateOut(AssignmentOut):
    review: ReviewChoice | None = Field(description="What this meeting decided on it, if yet.")

    @staticmethod
    def resolve_review(obj: Any) -> str | None:
        return obj.review_choice


class ReviewIn(Schema):
    assignment: int
    choice: ReviewChoice
    note: str = ""
    new_deadline: datetime.date | None = Field(None, description="For 'extend'.")
    new_lead_organization: int | None = Field(None, description="For 'reassign'.")
    days_after_lifting: int | None = Field(
        None,
        ge=1,
        le=MAX_DAYS_AFTER_LIFTING,
        description="For 'extend_after_lifting': due this many days after the emergency is lifted.",
    )


class ReviewOut(Schema):
    id: int
    meeting: int
    assignment: int
    choice: ReviewChoice
    note: str
    new_deadline: datetime.date | None
    new_lead_organization: Ref | None
    days_after_lifting: int | None
    decided_by: Ref
    decided_at: datetime.datetime

    @staticmethod
    def resolve_meeting(obj: Review) -> int:
        return obj.meeting_id

    @staticmethod
    def resolve_assignment(obj: Review) -> int:
        return obj.assignment_id

    @staticmethod
    def resolve_decided_by(obj: Review) -> dict[str, Any] | None:
        return user_ref(obj.decided_by)


# ---------------------------------------------------------------------------------------------
# Querysets
# ---------------------------------------------------------------------------------------------


def with_related(assignments: QuerySet[Assignment]) -> QuerySet[Assignment]:
    """What AssignmentOut shows, fetched with the assignments."""
    return assignments.select_related(
        "meeting", "lead_organization", "lead_person", "territory", "controller__person"
    ).prefetch_related("co_executors")


def _assignments(user: User) -> QuerySet[Assignment]:
    return with_related(Assignment.objects.restrict(user, Action.VIEW))


def _assignment_detail(user: User) -> QuerySet[Assignment]:
    reports = ExecutionReport.objects.select_related("author__person", "reviewed_by__person")
    return _assignments(user).prefetch_related(
        Prefetch("reports", queryset=reports.order_by("created_at", "pk")),
        Prefetch("extensions", queryset=_extensions()),
    )


def _child_or_404(queryset: QuerySet[M], pk: int) -> M:
    """A report or extension of an assignment already found visible, or 404."""
    obj = queryset.filter(pk=pk).first()
    if obj is None:
        raise Http404
    return obj


def _assignment_references(user: User) -> dict[str, QuerySet[Any]]:
    meetings = Meeting.objects.restrict(user, Action.VIEW)
    return {
        "meeting": meetings,
        "decision": Decision.objects.filter(item__meeting__in=meetings).select_related(
            "item__meeting"
        ),
        "lead_organization": Organization.objects.restrict(user, Action.VIEW),
        "lead_person": meeting_selectors.people_for(user),
        "territory": Territory.objects.restrict(user, Action.VIEW),
        "controller": meeting_selectors.controllers(),
    }


def _from_decision(assignment: Assignment) -> None:
    """An assignment made from a decision belongs to the decision's meeting and, unless told
    otherwise, says what the decision says."""
    decision = assignment.decision
    if decision is None:
        return
    meeting = decision.item.meeting
    if assignment.meeting_id is None:
        assignment.meeting = meeting
    elif assignment.meeting_id != meeting.pk:
        raise ValidationError({"decision": INVALID_CHOICE})
    for language in ("kk", "ru", "en"):
        name = f"text_{language}"
        if not getattr(assignment, name):
            setattr(assignment, name, getattr(decision, name))


def _recurrence(data: dict[str, Any]) -> None:
    if "recurrence" in data:
        data["recurrence"] = data["recurrence"] or ""


# ---------------------------------------------------------------------------------------------
# Assignments
# ---------------------------------------------------------------------------------------------


@router.get("/assignments", response=list[AssignmentOut], tags=["assignments"])
@paginate(Pagination)
@filtered(AssignmentFilters)
def list_assignments(request: HttpRequest, filters: FilterValues) -> QuerySet[Assignment]:
    return with_related(selectors.assignment_list(current_user(request), filters))


# ---------------------------------------------------------------------------------------------
# The user's own lists: the inbox, the review queue, discipline, the reminders sent
# (declared before /assignments/{assignment_id}, which would take their words for an id)
# ---------------------------------------------------------------------------------------------


InboxPart = Literal["lead", "person", "co", "control"]


class InboxAssignmentOut(AssignmentOut):
    part: InboxPart = Field(
        description="How the caller's organization takes part: it leads, its person leads in "
        "person, or it co-executes; or (a project office's, an executive's or an observer's "
        "inbox) the caller controls it."
    )


@router.get("/assignments/inbox", response=list[InboxAssignmentOut], tags=["assignments"])
@paginate(Pagination)
@filtered(InboxFilters)
def list_inbox(request: HttpRequest, filters: FilterValues) -> QuerySet[Assignment]:
    """The assignments of the caller's organization (a coordinator's: of its territory's
    organizations) and those the caller leads in person, open first, as the inbox page lists
    them."""
    return with_related(selectors.inbox(current_user(request), filters))


class QueuedReportOut(ExecutionReportOut):
    assignment: Ref

    @staticmethod
    def resolve_assignment(obj: ExecutionReport) -> dict[str, Any]:
        return {"id": obj.assignment_id, "name": str(obj.assignment)}


class QueuedExtensionOut(ExtensionOut):
    assignment: Ref

    @staticmethod
    def resolve_assignment(obj: Extension) -> dict[str, Any]:
        return {"id": obj.assignment_id, "name": str(obj.assignment)}


class ReviewQueueOut(Schema):
    reports: list[QueuedReportOut] = Field(description="Reports awaiting the caller's acceptance.")
    extensions: list[QueuedExtensionOut] = Field(
        description="Extension requests awaiting the caller's decision."
    )


@router.get(
    "/assignments/review-queue", response={200: ReviewQueueOut, 401: Message}, tags=["assignments"]
)
def get_review_queue(request: HttpRequest) -> dict[str, Any]:
    """What waits for the caller as controller (everything waiting, for an administrator):
    answer each by `POST …/reports/{report_id}/review` or `…/extensions/{extension_id}/decision`."""
    user = current_user(request)
    return {
        "reports": list(selectors.pending_reports(user)),
        "extensions": list(selectors.pending_extensions(user)),
    }


class DisciplineQuery(Schema):
    year: int | None = Field(None, ge=2000, le=2100, description="By default this year.")
    by: Literal["organization", "territory"] = Field(
        "organization",
        description="Rows per lead organization, or per city and district of the caller's scope.",
    )


class DisciplineRowOut(Schema):
    id: int | None = Field(description="The organization or territory; null for the total.")
    name: str
    due: int = Field(description="Due in the year: the deadline passed, or done.")
    on_time: int
    late: int
    overdue: int
    on_time_share: float | None = Field(description="Percent done on time; null if none due.")

    @staticmethod
    def resolve_id(obj: selectors.DisciplineRow) -> int | None:
        return None if obj.obj is None else obj.obj.pk

    @staticmethod
    def resolve_name(obj: selectors.DisciplineRow) -> str:
        return str(obj.name)


class DisciplineOut(Schema):
    year: int
    by: str
    rows: list[DisciplineRowOut]
    total: DisciplineRowOut


@router.get(
    "/assignments/discipline", response={200: DisciplineOut, **READ_ERRORS}, tags=["assignments"]
)
def get_discipline(request: HttpRequest, query: Query[DisciplineQuery]) -> dict[str, Any]:
    """Execution discipline for a year, over the assignments the caller sees, as the
    discipline page shows it (its Excel export is the page's)."""
    user = current_user(request)
    year = query.year or timezone.localdate().year
    return {
        "year": year,
        "by": query.by,
        "rows": selectors.discipline(user, year, query.by),
        "total": selectors.discipline_total(user, year),
    }


class ReminderOut(Schema):
    id: int
    kind: ReminderKind
    recipient: Ref
    email: str
    assignment: Ref | None
    key: str = Field(description="The day or week the letter is for.")
    sent_at: datetime.datetime

    @staticmethod
    def resolve_recipient(obj: Reminder) -> dict[str, Any] | None:
        return user_ref(obj.recipient)

    @staticmethod
    def resolve_assignment(obj: Reminder) -> dict[str, Any] | None:
        assignment = obj.assignment
        return None if assignment is None else {"id": assignment.pk, "name": str(assignment)}


@router.get("/reminders", response=list[ReminderOut], tags=["assignments"])
@paginate(Pagination)
@filtered(ReminderFilters)
def list_reminders(request: HttpRequest, filters: FilterValues) -> QuerySet[Reminder]:
    """The letters about assignments the caller may see in the reminder log, newest first."""
    return selectors.reminder_log(current_user(request), filters)


@router.get(
    "/assignments/{assignment_id}",
    response={200: AssignmentDetailOut, **READ_ERRORS},
    tags=["assignments"],
)
def get_assignment(request: HttpRequest, assignment_id: int) -> Assignment:
    user = current_user(request)
    return get_visible(_assignment_detail(user), user, pk=assignment_id)


@router.post(
    "/assignments", response={201: AssignmentDetailOut, **WRITE_ERRORS}, tags=["assignments"]
)
def create_assignment(request: HttpRequest, payload: AssignmentIn) -> HttpStatus[Assignment]:
    """From a meeting's decision (give `decision`) or from an akim's order (give
    `source_kind` "order" and `order_reference`)."""
    user = current_user(request)
    require_add(user, Assignment)
    data = payload.dict()
    _recurrence(data)
    if data["controller"] is None:
        data["controller"] = user.pk
    co_executors = referenced_many(
        Organization.objects.restrict(user, Action.VIEW), data, "co_executors"
    )
    assignment = Assignment()
    assign(assignment, data, _assignment_references(user))
    _from_decision(assignment)
    write(services.assignment_save, assignment, user=user, co_executors=co_executors)
    return HttpStatus(201, get_visible(_assignment_detail(user), user, pk=assignment.pk))


@router.patch(
    "/assignments/{assignment_id}",
    response={200: AssignmentDetailOut, **WRITE_ERRORS},
    tags=["assignments"],
)
def update_assignment(
    request: HttpRequest, assignment_id: int, payload: Patch[AssignmentIn]
) -> Assignment:
    user = current_user(request)
    assignment = get_changeable(_assignments(user), user, pk=assignment_id)
    _recurrence(payload)
    co_executors = referenced_many(
        Organization.objects.restrict(user, Action.VIEW), payload, "co_executors"
    )
    assign(assignment, payload, _assignment_references(user))
    if "decision" in payload:
        _from_decision(assignment)
    write(services.assignment_save, assignment, user=user, co_executors=co_executors)
    return get_visible(_assignment_detail(user), user, pk=assignment.pk)


@router.post(
    "/assignments/{assignment_id}/withdraw",
    response={200: AssignmentOut, **WRITE_ERRORS},
    tags=["assignments"],
)
def withdraw_assignment(
    request: HttpRequest, assignment_id: int, payload: WithdrawIn
) -> Assignment:
    """Take the assignment off control, with the reason (the project office or the
    controller)."""
    user = current_user(request)
    assignment = get_visible(_assignments(user), user, pk=assignment_id)
    return services.assignment_withdraw(assignment, user=user, reason=payload.reason)


# ---------------------------------------------------------------------------------------------
# Execution reports
# ---------------------------------------------------------------------------------------------


@router.post(
    "/assignments/{assignment_id}/reports",
    response={201: ExecutionReportOut, **WRITE_ERRORS},
    tags=["assignments"],
)
def submit_report(
    request: HttpRequest, assignment_id: int, payload: ReportIn
) -> HttpStatus[ExecutionReport]:
    """The responsible reports what was done (403 for anybody else). To attach files, send the
    report to `POST /assignments/{assignment_id}/reports/files` instead."""
    return HttpStatus(201, _submit_report(request, assignment_id, payload.text, []))


# One request body per operation: generated clients handle a second operation with its own
# multipart body well, and one operation taking JSON or multipart badly (most pick one of the
# two). The JSON operation above stays exactly as it was.
@router.post(
    "/assignments/{assignment_id}/reports/files",
    response={201: ExecutionReportOut, **WRITE_ERRORS},
    tags=["assignments"],
    description="The same report as `POST /assignments/{assignment_id}/reports`, as a "
    f"multipart form: the `text` and up to {services.MAX_REPORT_FILES} `files` (PDF, DOCX, XLSX, "
    "PPTX, PNG or JPEG, each checked by its content). A refused file is reported under "
    "`attachments` (as by `POST /ideas`) and nothing is saved: neither the report nor a file.",
)
def submit_report_with_files(
    request: HttpRequest,
    assignment_id: int,
    payload: Form[ReportIn],
    files: File[list[UploadedFile] | None] = None,
) -> HttpStatus[ExecutionReport]:
    return HttpStatus(201, _submit_report(request, assignment_id, payload.text, files or []))


def _submit_report(
    request: HttpRequest, assignment_id: int, text: str, files: list[UploadedFile]
) -> ExecutionReport:
    user = current_user(request)
    assignment = get_visible(
        Assignment.objects.select_related("lead_organization"), user, pk=assignment_id
    )
    return services.report_submit(assignment, user=user, text=text, uploads=files)


@router.post(
    "/assignments/{assignment_id}/reports/{report_id}/review",
    response={200: ExecutionReportOut, **WRITE_ERRORS},
    tags=["assignments"],
)
def review_report(
    request: HttpRequest, assignment_id: int, report_id: int, payload: ReportReviewIn
) -> ExecutionReport:
    """The controller accepts the report (the assignment is done) or returns it with a comment
    (403 for anybody else)."""
    user = current_user(request)
    assignment = get_visible(Assignment.objects.all(), user, pk=assignment_id)
    report = _child_or_404(assignment.reports.select_related("author__person"), report_id)
    return services.report_review(report, user=user, accept=payload.accept, comment=payload.comment)


def _report(user: User, assignment_id: int, report_id: int) -> ExecutionReport:
    """A report of an assignment the user sees, or 404."""
    assignment = get_visible(Assignment.objects.all(), user, pk=assignment_id)
    return _child_or_404(assignment.reports.all(), report_id)


@router.get(
    "/assignments/{assignment_id}/reports/{report_id}/files",
    response={200: list[AttachmentOut], **READ_ERRORS},
    tags=["assignments"],
)
def list_report_files(
    request: HttpRequest, assignment_id: int, report_id: int
) -> list[dict[str, Any]]:
    """The files sent with a report, to whoever sees the assignment."""
    report = _report(current_user(request), assignment_id, report_id)
    return [
        attachment_out(
            attachment,
            "download_report_file",
            assignment_id=report.assignment_id,
            report_id=report.pk,
            attachment_id=attachment.pk,
        )
        for attachment in attachments_of([report])[report]
    ]


@router.get(
    "/assignments/{assignment_id}/reports/{report_id}/files/{attachment_id}",
    response=READ_ERRORS,
    tags=["assignments"],
    openapi_extra=file_download("The file, as a download under its name."),
)
def download_report_file(
    request: HttpRequest, assignment_id: int, report_id: int, attachment_id: int
) -> FileResponse:
    """A file of a report, with its checked type and name, to whoever sees the assignment."""
    report = _report(current_user(request), assignment_id, report_id)
    return attachment_response(attachment_of(report, attachment_id))


# ---------------------------------------------------------------------------------------------
# Extensions
# ---------------------------------------------------------------------------------------------


def _extensions() -> QuerySet[Extension]:
    return Extension.objects.select_related("requested_by__person", "decided_by__person").order_by(
        "requested_at", "pk"
    )


@router.get(
    "/assignments/{assignment_id}/extensions",
    response={200: list[ExtensionOut], **READ_ERRORS},
    tags=["assignments"],
)
def list_extensions(request: HttpRequest, assignment_id: int) -> QuerySet[Extension]:
    """The assignment's extensions, oldest first: those asked by the responsible and decided
    by the controller, and those a later meeting granted in its review."""
    user = current_user(request)
    assignment = get_visible(Assignment.objects.all(), user, pk=assignment_id)
    return _extensions().filter(assignment=assignment)


@router.get(
    "/assignments/{assignment_id}/extensions/{extension_id}",
    response={200: ExtensionOut, **READ_ERRORS},
    tags=["assignments"],
)
def get_extension(request: HttpRequest, assignment_id: int, extension_id: int) -> Extension:
    user = current_user(request)
    assignment = get_visible(Assignment.objects.all(), user, pk=assignment_id)
    return _child_or_404(_extensions().filter(assignment=assignment), extension_id)


@router.post(
    "/assignments/{assignment_id}/extensions",
    response={201: ExtensionOut, **WRITE_ERRORS},
    tags=["assignments"],
)
def request_extension(
    request: HttpRequest, assignment_id: int, payload: ExtensionIn
) -> HttpStatus[Extension]:
    """The responsible asks for a later deadline, with the reason."""
    user = current_user(request)
    assignment = get_visible(
        Assignment.objects.select_related("lead_organization"), user, pk=assignment_id
    )
    extension = services.extension_request(
        assignment, user=user, new_deadline=payload.new_deadline, reason=payload.reason
    )
    return HttpStatus(201, extension)


@router.post(
    "/assignments/{assignment_id}/extensions/{extension_id}/decision",
    response={200: ExtensionOut, **WRITE_ERRORS},
    tags=["assignments"],
)
def decide_extension(
    request: HttpRequest, assignment_id: int, extension_id: int, payload: ExtensionDecisionIn
) -> Extension:
    """The controller grants the extension (the deadline moves) or refuses it, saying why."""
    user = current_user(request)
    assignment = get_visible(Assignment.objects.all(), user, pk=assignment_id)
    extension = _child_or_404(
        assignment.extensions.select_related("requested_by__person"), extension_id
    )
    return services.extension_decide(
        extension, user=user, grant=payload.grant, answer=payload.answer
    )


# ---------------------------------------------------------------------------------------------
# The review loop: a later meeting reviews earlier assignments
# ---------------------------------------------------------------------------------------------


@router.get(
    "/meetings/{meeting_id}/review-candidates",
    response={200: list[CandidateOut], **READ_ERRORS},
    tags=["meetings"],
)
@paginate(Pagination)
def list_review_candidates(request: HttpRequest, meeting_id: int) -> QuerySet[Assignment]:
    """The open and recently due assignments of the meeting's scope that the caller may see,
    each with what this meeting decided on it so far."""
    user = current_user(request)
    meeting = get_visible(Meeting.objects.select_related("territory"), user, pk=meeting_id)
    decided = Review.objects.filter(meeting=meeting, assignment=OuterRef("pk"))
    return (
        _candidates(user, meeting)
        .annotate(review_choice=Subquery(decided.values("choice")[:1]))
        .order_by("deadline", "pk")
    )


def _candidates(user: User, meeting: Meeting) -> QuerySet[Assignment]:
    """The meeting's review candidates (kense.meetings.services.review_candidates) that the
    user may see."""
    return _assignments(user).filter(pk__in=review_candidates(meeting).values("pk"))


def _reviews(user: User, meeting: Meeting) -> QuerySet[Review]:
    """The meeting's decisions on the assignments the user may see (as its page lists them)."""
    return (
        Review.objects.filter(
            meeting=meeting, assignment__in=Assignment.objects.restrict(user, Action.VIEW)
        )
        .select_related("new_lead_organization", "decided_by__person")
        .order_by("decided_at", "pk")
    )


@router.get(
    "/meetings/{meeting_id}/reviews",
    response={200: list[ReviewOut], **READ_ERRORS},
    tags=["meetings"],
)
@paginate(Pagination)
def list_reviews(request: HttpRequest, meeting_id: int) -> QuerySet[Review]:
    """What the meeting decided on earlier assignments, in the order decided, of the
    assignments the caller may see."""
    user = current_user(request)
    meeting = get_visible(Meeting.objects.all(), user, pk=meeting_id)
    return _reviews(user, meeting)


@router.get(
    "/meetings/{meeting_id}/reviews/{review_id}",
    response={200: ReviewOut, **READ_ERRORS},
    tags=["meetings"],
)
def get_review(request: HttpRequest, meeting_id: int, review_id: int) -> Review:
    user = current_user(request)
    meeting = get_visible(Meeting.objects.all(), user, pk=meeting_id)
    return _child_or_404(_reviews(user, meeting), review_id)


@router.post(
    "/meetings/{meeting_id}/reviews",
    response={201: ReviewOut, **WRITE_ERRORS},
    tags=["meetings"],
)
def record_review(request: HttpRequest, meeting_id: int, payload: ReviewIn) -> HttpStatus[Review]:
    """Record the meeting's decision on an earlier assignment and apply it, as the meeting's
    page does: accept (done), extend (new deadline: also recorded among the assignment's
    extensions, granted), extend_after_lifting (due `days_after_lifting` days after the state
    of emergency is lifted: the deadline is empty until the lifting gives it; also recorded
    among the extensions), reassign (new lead organization) or keep under control."""
    user = current_user(request)
    meeting = get_changeable(Meeting.objects.select_related("territory"), user, pk=meeting_id)
    # Only what the meeting has to review: open or lately due assignments of its scope.
    assignment = referenced(_candidates(user, meeting), payload.assignment, "assignment")
    new_lead = referenced(
        Organization.objects.restrict(user, Action.VIEW),
        payload.new_lead_organization,
        "new_lead_organization",
    )
    assert assignment is not None  # an id was given: referenced() found it or raised
    review = services.review_record(
        meeting=meeting,
        assignment=assignment,
        user=user,
        choice=payload.choice,
        note=payload.note,
        new_deadline=payload.new_deadline,
        new_lead_organization=new_lead,
        days_after_lifting=payload.days_after_lifting,
    )
    return HttpStatus(201, review)
