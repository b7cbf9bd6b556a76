"""The import of past assignments and their execution reports, one call per object
(`POST /api/v1/imports/assignments`, `POST /api/v1/imports/execution-reports`): given on a
past date, with a past deadline that needs no reason (it is the record of what was decided),
extended on the dates it was, and done, still open or withdrawn as it ended up; a report
written and reviewed on its own dates.

The normal services stamp every step with the server's now, so 2020's records would come out
as done in 2026, and every on-time figure of 2020 wrong. These services take the dates, check
that they tell a possible story (nothing done before it was given, extensions in order and
each later than the deadline it moves, nothing in the future), and save through
`save_in_scope` like `assignment_save` (the model's checks, the caller's scope). Every history
row they write says "Imported" (kense.core.imports). Each endpoint answers the normal
schema of what it created.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Field, Router, Schema, Status

from kense.accounts.auth import current_user
from kense.accounts.models import User
from kense.assignments.api import (
    AssignmentDetailOut,
    ExecutionReportOut,
    _assignment_detail,
    _assignment_references,
    _from_decision,
)
from kense.assignments.models import (
    Assignment,
    DeadlineKind,
    ExecutionReport,
    Extension,
    ExtensionStatus,
    Priority,
    ReportOutcome,
    SourceKind,
)
from kense.assignments.models import (
    Status as AssignmentStatus,
)
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
from kense.core.permissions import Action, can, get_visible
from kense.core.services import save_in_scope
from kense.registry.models import Organization

router = Router(tags=["imports"])

GIVEN_BEFORE_MEETING = _("An assignment cannot be given before the meeting that gave it.")
GIVEN_WHEN = _("Give the date the assignment was given.")
DONE_WHEN = _("Give the date the assignment was accepted as done.")
ONLY_DONE = _("Only a done assignment has a date it was done.")
DONE_BEFORE_GIVEN = _("An assignment cannot be done before it was given.")
WITHDRAWN_WHY = _("Give the reason for the withdrawal.")
IMPORTED_STATUSES = (
    AssignmentStatus.UNDER_CONTROL,
    AssignmentStatus.DONE,
    AssignmentStatus.WITHDRAWN,
)
REQUESTED_BEFORE_GIVEN = _("An extension cannot be asked for before the assignment was given.")
REQUESTED_OUT_OF_ORDER = _("List the extensions in the order they were asked for.")
REQUESTED_AFTER_DONE = _("An extension cannot be asked for after the assignment was done.")
NOT_LATER = _("The new deadline must be later than the current one.")
DECIDED_WHEN = _("Give the date the extension was decided.")
DECIDED_BEFORE = _("An extension cannot be decided before it was asked for.")
STILL_REQUESTED = _(
    "Only the last extension of an assignment under control may still await a decision."
)
REFUSED_WHY = _("Say why the extension was refused.")
REPORTED_BEFORE_GIVEN = _("A report cannot be written before the assignment was given.")
REVIEWED_WHEN = _("Give the date the report was reviewed.")
REVIEWED_BEFORE = _("A report cannot be reviewed before it was written.")
NOT_REVIEWED = _("A report awaiting the controller has no review date.")
RETURNED_WHY = _("Say why the report was returned.")
ALREADY_DONE = _("The assignment is already recorded as done on another date.")
NOT_UNDER_CONTROL = _("The assignment is no longer under control: a report cannot be added.")
REPORT_EMPTY = _("The report is empty.")


# ---------------------------------------------------------------------------------------------
# The services
# ---------------------------------------------------------------------------------------------


@dataclass
class ImportedExtension:
    requested_at: datetime.datetime
    new_deadline: datetime.date
    reason: str
    status: str
    decided_at: datetime.datetime | None
    answer: str


def _add(errors: dict[str, Any], name: str, message: Any) -> None:
    errors.setdefault(name, []).append(message)


def _check_assignment(
    assignment: Assignment,
    *,
    status: str,
    done_at: datetime.datetime | None,
    extensions: list[ImportedExtension],
) -> None:
    errors: dict[str, Any] = {}
    given = assignment.created_at
    past(given, "created_at", errors)
    past(done_at, "done_at", errors)
    meeting = assignment.meeting
    if meeting is not None and given < meeting.start:
        _add(errors, "created_at", GIVEN_BEFORE_MEETING)
    if status not in IMPORTED_STATUSES:
        _add(errors, "status", INVALID_CHOICE)
    if status == AssignmentStatus.DONE:
        if done_at is None:
            _add(errors, "done_at", DONE_WHEN)
        elif done_at < given:
            _add(errors, "done_at", DONE_BEFORE_GIVEN)
    elif done_at is not None:
        _add(errors, "done_at", ONLY_DONE)
    if status == AssignmentStatus.WITHDRAWN and not assignment.withdrawn_reason.strip():
        _add(errors, "withdrawn_reason", WITHDRAWN_WHY)
    deadline = assignment.deadline
    previous = given
    for index, extension in enumerate(extensions):
        prefix = f"extensions.{index}"
        past(extension.requested_at, f"{prefix}.requested_at", errors)
        past(extension.decided_at, f"{prefix}.decided_at", errors)
        if extension.requested_at < given:
            _add(errors, f"{prefix}.requested_at", REQUESTED_BEFORE_GIVEN)
        elif extension.requested_at < previous:
            _add(errors, f"{prefix}.requested_at", REQUESTED_OUT_OF_ORDER)
        if done_at is not None and extension.requested_at > done_at:
            _add(errors, f"{prefix}.requested_at", REQUESTED_AFTER_DONE)
        previous = extension.requested_at
        if deadline is not None and extension.new_deadline <= deadline:
            _add(errors, f"{prefix}.new_deadline", NOT_LATER)
        if not extension.reason.strip():
            _add(errors, f"{prefix}.reason", _("Give the reason for the extension."))
        if extension.status == ExtensionStatus.REQUESTED:
            last = index == len(extensions) - 1
            if not last or status != AssignmentStatus.UNDER_CONTROL:
                _add(errors, f"{prefix}.status", STILL_REQUESTED)
            if extension.decided_at is not None:
                _add(errors, f"{prefix}.decided_at", NOT_REVIEWED)
            continue
        if extension.decided_at is None:
            _add(errors, f"{prefix}.decided_at", DECIDED_WHEN)
        elif extension.decided_at < extension.requested_at:
            _add(errors, f"{prefix}.decided_at", DECIDED_BEFORE)
        if extension.status == ExtensionStatus.REFUSED and not extension.answer.strip():
            _add(errors, f"{prefix}.answer", REFUSED_WHY)
        if extension.status == ExtensionStatus.GRANTED:
            deadline = extension.new_deadline
    if errors:
        raise ValidationError(errors)


def assignment_import(
    assignment: Assignment,
    *,
    user: User,
    co_executors: Iterable[Organization] | None = None,
    status: str = AssignmentStatus.UNDER_CONTROL,
    done_at: datetime.datetime | None = None,
    extensions: list[ImportedExtension] = (),  # type: ignore[assignment]
) -> Assignment:
    """Record a past assignment as it went, in one transaction: given on its `created_at`
    (by default when its meeting started) with its first deadline (a past one needs no
    reason), each extension asked for and decided on its dates (a granted one moves the
    deadline, as `extension_decide` does), and its end: done on `done_at`, withdrawn, or
    still under control (overdue, if its deadline has passed). 403 for anybody but the
    administrator and the project office, and outside the office's scope."""
    require_import(user)
    if assignment.created_at is None and assignment.meeting is not None:
        assignment.created_at = assignment.meeting.start
    if assignment.created_at is None:
        raise ValidationError({"created_at": GIVEN_WHEN})
    if assignment.deadline_kind == DeadlineKind.RECURRING:
        # A rule whose instances the worker makes from today on: not a record of the past.
        raise ValidationError({"deadline_kind": INVALID_CHOICE})
    _check_assignment(assignment, status=status, done_at=done_at, extensions=extensions)
    with importing():
        assignment.created_by = user
        if not assignment.territory_id and assignment.lead_organization_id:
            assignment.territory = assignment.lead_organization.territory
        withdrawn_reason, assignment.withdrawn_reason = assignment.withdrawn_reason, ""
        m2m = {"co_executors": co_executors} if co_executors is not None else None
        save_in_scope(assignment, user=user, m2m=m2m)
        for index, given in enumerate(extensions):
            extension = Extension(
                assignment=assignment,
                requested_by=user,
                requested_at=given.requested_at,
                old_deadline=assignment.deadline,
                new_deadline=given.new_deadline,
                reason=given.reason.strip(),
                status=given.status,
                answer=given.answer.strip(),
            )
            if given.status != ExtensionStatus.REQUESTED:
                extension.decided_by, extension.decided_at = user, given.decided_at
            with under(f"extensions.{index}", Extension):
                extension.full_clean()
            audit_as(extension, user)
            extension.save()
            if given.status == ExtensionStatus.GRANTED:
                assignment.deadline = given.new_deadline
                audit_as(assignment, user)
                assignment.save(update_fields=["deadline"])
        if status != AssignmentStatus.UNDER_CONTROL:
            assignment.status, assignment.done_at = status, done_at
            assignment.withdrawn_reason = withdrawn_reason
            audit_as(assignment, user)
            assignment.save(update_fields=["status", "done_at", "withdrawn_reason"])
    return assignment


def execution_report_import(
    report: ExecutionReport,
    *,
    user: User,
) -> ExecutionReport:
    """Record a past execution report: written on its `created_at`, awaiting the controller,
    or accepted or returned on its `reviewed_at`. An accepted report makes an assignment
    under control done on that date (as `report_review` does); one already imported as done
    must have been done on that date. 403 for anybody but the administrator and the project
    office, and for an assignment the office may not change."""
    require_import(user)
    assignment = Assignment.objects.select_for_update().get(pk=report.assignment_id)
    if not can(user, Action.CHANGE, assignment):
        raise PermissionDenied
    errors: dict[str, Any] = {}
    past(report.created_at, "created_at", errors)
    past(report.reviewed_at, "reviewed_at", errors)
    if not report.text.strip():
        _add(errors, "text", REPORT_EMPTY)
    if report.created_at < assignment.created_at:
        _add(errors, "created_at", REPORTED_BEFORE_GIVEN)
    if assignment.status == AssignmentStatus.WITHDRAWN:
        _add(errors, "assignment", NOT_UNDER_CONTROL)
    if report.outcome == ReportOutcome.PENDING:
        if report.reviewed_at is not None:
            _add(errors, "reviewed_at", NOT_REVIEWED)
        if assignment.status == AssignmentStatus.DONE:
            _add(errors, "assignment", NOT_UNDER_CONTROL)
    elif report.reviewed_at is None:
        _add(errors, "reviewed_at", REVIEWED_WHEN)
    else:
        if report.reviewed_at < report.created_at:
            _add(errors, "reviewed_at", REVIEWED_BEFORE)
        if report.outcome == ReportOutcome.RETURNED and not report.review_comment.strip():
            _add(errors, "review_comment", RETURNED_WHY)
        if (
            report.outcome == ReportOutcome.ACCEPTED
            and assignment.status == AssignmentStatus.DONE
            and assignment.done_at != report.reviewed_at
        ):
            _add(errors, "reviewed_at", ALREADY_DONE)
    if errors:
        raise ValidationError(errors)
    with importing():
        report.author = user
        report.text = report.text.strip()
        report.review_comment = report.review_comment.strip()
        if report.outcome != ReportOutcome.PENDING:
            report.reviewed_by = user
        report.full_clean()
        audit_as(report, user)
        report.save()
        changed: list[str] = []
        if assignment.status == AssignmentStatus.UNDER_CONTROL:
            if report.outcome == ReportOutcome.PENDING:
                assignment.status = AssignmentStatus.REPORTED
                changed = ["status"]
            elif report.outcome == ReportOutcome.ACCEPTED:
                assignment.status, assignment.done_at = AssignmentStatus.DONE, report.reviewed_at
                changed = ["status", "done_at"]
        if changed:
            audit_as(assignment, user)
            assignment.save(update_fields=changed)
    return report


# ---------------------------------------------------------------------------------------------
# The endpoints
# ---------------------------------------------------------------------------------------------


class AssignmentImportExtensionIn(Schema):
    requested_at: Moment
    new_deadline: Day
    reason: str
    status: ExtensionStatus = Field(
        ExtensionStatus.GRANTED,
        description="granted (the deadline moved), refused, or requested (the last one only, "
        "of an assignment still under control).",
    )
    decided_at: Moment | None = Field(None, description="Unless still requested.")
    answer: str = Field("", description="Required when the extension was refused.")


class AssignmentImportIn(Schema):
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
    deadline_kind: DeadlineKind = Field(
        DeadlineKind.DATE,
        description="'date' or 'after_lifting' (a recurring rule is not imported).",
    )
    deadline: Day | None = Field(
        None,
        description="The first deadline, as given; the extensions move it. A past date "
        "needs no reason.",
    )
    days_after_lifting: int | None = None
    priority: Priority = Priority.NORMAL
    controller: int | None = Field(None, description="By default you.")
    created_at: Moment | None = Field(
        None, description="When it was given; by default when its meeting started."
    )
    status: AssignmentStatus = Field(
        AssignmentStatus.UNDER_CONTROL,
        description="How it ended up: under_control (still open, overdue if its deadline "
        "passed), done (give done_at) or withdrawn (give withdrawn_reason).",
    )
    done_at: Moment | None = Field(None, description="When it was accepted as done.")
    withdrawn_reason: str = ""
    extensions: list[AssignmentImportExtensionIn] = Field(default_factory=list)


class ExecutionReportImportIn(Schema):
    assignment: int
    text: str
    created_at: Moment = Field(description="When the report was written.")
    outcome: ReportOutcome = ReportOutcome.ACCEPTED
    reviewed_at: Moment | None = Field(
        None, description="When the controller accepted or returned it."
    )
    review_comment: str = Field("", description="Required when the report was returned.")


@router.post(
    "/imports/assignments",
    response={201: AssignmentDetailOut, **WRITE_ERRORS},
    tags=["imports"],
)
def import_assignment(request: HttpRequest, payload: AssignmentImportIn) -> Status[Assignment]:
    """Import a past assignment in one call, with its dates: given (`created_at`), its
    extensions, and done (`done_at`), withdrawn or still under control. The administrator and
    the project office only (403 for anybody else); the dates are checked (nothing done
    before it was given, extensions in order, nothing in the future), errors are named by
    their path (`extensions.1.decided_at`), and nothing is saved unless all of it is. Answers
    the assignment as `GET /assignments/{id}` does."""
    user = current_user(request)
    require_import(user)
    data = payload.dict()
    if data["controller"] is None:
        data["controller"] = user.pk
    extensions = [ImportedExtension(**entry) for entry in data.pop("extensions")]
    status = data.pop("status")
    done_at = data.pop("done_at")
    errors: dict[str, Any] = {}
    try:
        visible = Organization.objects.restrict(user, Action.VIEW)
        co_executors = referenced_many(visible, data, "co_executors") or []
    except ValidationError as error:
        errors.update(error.message_dict)
    assignment = Assignment()
    try:
        assign(assignment, data, _assignment_references(user))
        _from_decision(assignment)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    write(
        assignment_import,
        assignment,
        user=user,
        co_executors=co_executors,
        status=status,
        done_at=done_at,
        extensions=extensions,
    )
    return Status(201, get_visible(_assignment_detail(user), user, pk=assignment.pk))


@router.post(
    "/imports/execution-reports",
    response={201: ExecutionReportOut, **WRITE_ERRORS},
    tags=["imports"],
)
def import_execution_report(
    request: HttpRequest, payload: ExecutionReportImportIn
) -> Status[ExecutionReport]:
    """Import a past execution report of an assignment, written and reviewed on its dates;
    an accepted one makes an assignment under control done on `reviewed_at`. The
    administrator and the project office only (403 for anybody else; 422 under `assignment`
    for one the caller cannot see). Answers the report as the assignment's `reports` do."""
    user = current_user(request)
    require_import(user)
    assignment = referenced(
        Assignment.objects.restrict(user, Action.VIEW), payload.assignment, "assignment"
    )
    data = payload.dict()
    data.pop("assignment")
    report = ExecutionReport(assignment=assignment)
    assign(report, data, {})
    write(execution_report_import, report, user=user)
    return Status(
        201, ExecutionReport.objects.select_related("author", "reviewed_by").get(pk=report.pk)
    )
