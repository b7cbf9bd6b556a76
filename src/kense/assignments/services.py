"""The control of assignments: every change of state is one of these services.

Only the responsible reports (a user whose scope may change the lead organization, or the
lead person); only the controller (or an administrator) accepts, returns and decides
extensions; the project office (or the controller) withdraws. Each service runs in a
transaction, validates before writing, and is audited by django-simple-history.
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kense.accounts.models import User
from kense.assignments import notices
from kense.assignments.models import (
    OPEN_STATUSES,
    Assignment,
    DeadlineKind,
    ExecutionReport,
    Extension,
    ExtensionStatus,
    Recurrence,
    ReportOutcome,
    Review,
    ReviewChoice,
    Status,
)
from kense.core.attachments import attach
from kense.core.files import atomic_with_files
from kense.core.permissions import Action, Role, can, scope_of
from kense.core.services import save_in_scope
from kense.registry.models import Organization

if TYPE_CHECKING:
    from kense.meetings.models import Meeting

MAX_REPORT_FILES = 10


def is_responsible(user: User, assignment: Assignment) -> bool:
    """The lead person, or someone who may change the lead organization (its own people,
    the coordinator of its territory, the project office)."""
    if user.person_id and user.person_id == assignment.lead_person_id:
        return True
    scope = scope_of(user)
    if scope.role in (Role.EXECUTIVE, Role.OBSERVER) or not scope.authenticated:
        return False
    return can(user, Action.CHANGE, assignment.lead_organization)


def is_controller(user: User, assignment: Assignment) -> bool:
    return scope_of(user).is_admin or user.pk == assignment.controller_id


@transaction.atomic
def assignment_save(
    assignment: Assignment,
    *,
    user: User,
    co_executors: Iterable[Organization] | None = None,
) -> Assignment:
    """Create or edit an assignment. A deadline already in the past at creation is allowed
    only with a reason (deadline_reason), so nobody sets one by mistake."""
    creating = assignment.pk is None
    if creating:
        assignment.created_by = user
        if not assignment.territory_id and assignment.lead_organization_id:
            assignment.territory = assignment.lead_organization.territory
        if (
            assignment.deadline_kind == DeadlineKind.DATE
            and assignment.deadline is not None
            and assignment.deadline < timezone.localdate()
            and not assignment.deadline_reason.strip()
        ):
            raise ValidationError(
                {
                    "deadline_reason": _(
                        "The deadline is already past. Give the reason to keep it, or choose "
                        "a later date."
                    )
                }
            )
        if assignment.deadline_kind == DeadlineKind.RECURRING and assignment.deadline is None:
            assignment.deadline = next_recurrence(assignment, after=timezone.localdate())
    m2m = {"co_executors": co_executors} if co_executors is not None else None
    saved = save_in_scope(assignment, user=user, m2m=m2m)
    if creating:
        notices.assignment_issued(saved, actor=user)
    return saved


def _month_day(year: int, month: int, day: int) -> datetime.date:
    return datetime.date(year, month, min(day, calendar.monthrange(year, month)[1]))


def next_recurrence(assignment: Assignment, *, after: datetime.date) -> datetime.date | None:
    """The first due date of a recurring assignment on or after `after` (None past its end).

    "Monthly by the 5th until 31 December": the 5th of each month; quarterly: the day in the
    month after each quarter (April, July, October, January), as quarterly reports are due.
    """
    day = assignment.recurrence_day or 1
    step = 3 if assignment.recurrence == Recurrence.QUARTERLY else 1
    year, month = after.year, after.month
    if step == 3:
        month = ((month - 1) // 3) * 3 + 1  # the first month of the quarter
    for _step in range(30):
        candidate = _month_day(year, month, day)
        if candidate >= after:
            if assignment.recurrence_until and candidate > assignment.recurrence_until:
                return None
            return candidate
        month += step
        if month > 12:
            month -= 12
            year += 1
    return None


@transaction.atomic
def recurring_instances_create(*, on: datetime.date | None = None) -> int:
    """Create the instance of every recurring assignment whose next due date has come within
    its lead time (the instance appears a month before it is due). Idempotent: an instance for
    a given due date is created once. Returns how many were created."""
    day = on or timezone.localdate()
    created = 0
    templates = Assignment.objects.filter(
        deadline_kind=DeadlineKind.RECURRING, parent__isnull=True
    ).exclude(status=Status.WITHDRAWN)
    for template in templates:
        due = next_recurrence(template, after=day)
        if due is None or (due - day).days > 31:
            continue
        if template.instances.filter(deadline=due).exists():
            continue
        instance = Assignment(
            # modeltranslation adds the text_kk/_ru/_en fields at run time, unseen by the stubs.
            text_kk=template.text_kk,  # type: ignore[attr-defined]
            text_ru=template.text_ru,  # type: ignore[attr-defined]
            text_en=template.text_en,  # type: ignore[attr-defined]
            number=f"{template.number}/{due:%m.%Y}" if template.number else "",
            source_kind=template.source_kind,
            meeting=template.meeting,
            decision=template.decision,
            order_reference=template.order_reference,
            lead_organization=template.lead_organization,
            lead_person=template.lead_person,
            territory=template.territory,
            deadline_kind=DeadlineKind.DATE,
            deadline=due,
            priority=template.priority,
            controller=template.controller,
            parent=template,
            created_by=template.created_by,
        )
        instance._history_user = None  # made by the worker
        instance.full_clean()
        instance.save()
        instance.co_executors.set(template.co_executors.all())
        created += 1
    return created


@atomic_with_files()
def report_submit(
    assignment: Assignment, *, user: User, text: str, uploads: Iterable[Any] = ()
) -> ExecutionReport:
    """The responsible reports what was done, with up to MAX_REPORT_FILES files checked by
    their content; the controller then accepts or returns it. A refused file (under
    "attachments") saves nothing: neither the report nor any file."""
    if not is_responsible(user, assignment):
        raise PermissionDenied
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.status not in OPEN_STATUSES:
        raise ValidationError(
            _("The assignment is no longer under control: a report cannot be added.")
        )
    if not text.strip():
        raise ValidationError({"text": _("The report is empty.")})
    report = ExecutionReport(assignment=assignment, text=text.strip(), author=user)
    report.full_clean()
    report._history_user = user
    report.save()
    assignment.status = Status.REPORTED
    assignment._history_user = user
    assignment.save(update_fields=["status"])
    attach(report, uploads, user=user, max_files=MAX_REPORT_FILES)
    return report


@transaction.atomic
def report_review(
    report: ExecutionReport, *, user: User, accept: bool, comment: str = ""
) -> ExecutionReport:
    """The controller accepts the report (the assignment is done) or returns it with a
    comment (the assignment is back under control)."""
    assignment = Assignment.objects.select_for_update().get(pk=report.assignment_id)
    if not is_controller(user, assignment):
        raise PermissionDenied
    if report.outcome != ReportOutcome.PENDING:
        raise ValidationError(_("This report has already been reviewed."))
    if not accept and not comment.strip():
        raise ValidationError({"comment": _("Say why the report is returned.")})
    now = timezone.now()
    report.outcome = ReportOutcome.ACCEPTED if accept else ReportOutcome.RETURNED
    report.reviewed_by, report.reviewed_at, report.review_comment = user, now, comment.strip()
    report._history_user = user
    report.save()
    assignment.status = Status.DONE if accept else Status.UNDER_CONTROL
    assignment.done_at = now if accept else None
    assignment._history_user = user
    assignment.save(update_fields=["status", "done_at"])
    report.assignment = assignment
    notices.report_reviewed(report, actor=user)
    return report


@transaction.atomic
def assignment_withdraw(assignment: Assignment, *, user: User, reason: str) -> Assignment:
    """Withdraw from control, with a reason (the project office or the controller)."""
    if not (is_controller(user, assignment) or can(user, Action.CHANGE, assignment)):
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the withdrawal.")})
    if assignment.status not in OPEN_STATUSES:
        raise ValidationError(_("Only an assignment under control can be withdrawn."))
    assignment.status = Status.WITHDRAWN
    assignment.withdrawn_reason = reason.strip()
    assignment._history_user = user
    assignment.save(update_fields=["status", "withdrawn_reason"])
    return assignment


@transaction.atomic
def extension_request(
    assignment: Assignment, *, user: User, new_deadline: datetime.date, reason: str
) -> Extension:
    if not is_responsible(user, assignment):
        raise PermissionDenied
    if assignment.status not in OPEN_STATUSES:
        raise ValidationError(_("Only an assignment under control can be extended."))
    if assignment.deadline and new_deadline <= assignment.deadline:
        raise ValidationError(
            {"new_deadline": _("The new deadline must be later than the current one.")}
        )
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the extension.")})
    if assignment.extensions.filter(status=ExtensionStatus.REQUESTED).exists():
        raise ValidationError(_("An extension is already awaiting the controller's decision."))
    extension = Extension(
        assignment=assignment,
        requested_by=user,
        old_deadline=assignment.deadline,
        new_deadline=new_deadline,
        reason=reason.strip(),
    )
    extension.full_clean()
    extension._history_user = user
    extension.save()
    return extension


@transaction.atomic
def extension_decide(
    extension: Extension, *, user: User, grant: bool, answer: str = ""
) -> Extension:
    """The controller grants (the deadline moves) or refuses (with a reason)."""
    assignment = Assignment.objects.select_for_update().get(pk=extension.assignment_id)
    if not is_controller(user, assignment):
        raise PermissionDenied
    if extension.status != ExtensionStatus.REQUESTED:
        raise ValidationError(_("This request has already been decided."))
    if not grant and not answer.strip():
        raise ValidationError({"answer": _("Say why the extension is refused.")})
    extension.status = ExtensionStatus.GRANTED if grant else ExtensionStatus.REFUSED
    extension.decided_by, extension.decided_at = user, timezone.now()
    extension.answer = answer.strip()
    extension._history_user = user
    extension.save()
    if grant:
        assignment.deadline = extension.new_deadline
        assignment._history_user = user
        assignment.save(update_fields=["deadline"])
    extension.assignment = assignment
    notices.extension_decided(extension, actor=user)
    return extension


@transaction.atomic
def review_record(
    *,
    meeting: Meeting,
    assignment: Assignment,
    user: User,
    choice: str,
    note: str = "",
    new_deadline: datetime.date | None = None,
    new_lead_organization: Organization | None = None,
    days_after_lifting: int | None = None,
) -> Review:
    """A later meeting's decision on an earlier assignment, recorded in the meeting and
    applied to the assignment: accept (done), extend (new deadline, recorded among the
    assignment's extensions as granted), extend until N days after the emergency is lifted
    (the deadline becomes that rule and waits for the lifting to give its date; also recorded
    as a granted extension), reassign (new lead), keep (stays under control).
    The page, the API and the history import all record it here."""
    if not can(user, Action.CHANGE, meeting):
        raise PermissionDenied
    if meeting.is_locked:
        raise ValidationError(
            _("The minutes are approved and locked: record the change as an amendment.")
        )
    if Review.objects.filter(meeting=meeting, assignment=assignment).exists():
        raise ValidationError(_("This meeting has already decided on this assignment."))
    locked = Assignment.objects.select_for_update().get(pk=assignment.pk)
    old_deadline = locked.deadline
    if choice == ReviewChoice.EXTEND:
        # A missing date is its own mistake: "must be later" would name a date not given.
        if new_deadline is None:
            raise ValidationError({"new_deadline": _("Give the new deadline.")})
        if locked.deadline and new_deadline <= locked.deadline:
            raise ValidationError(
                {"new_deadline": _("The new deadline must be later than the current one.")}
            )
        locked.deadline = new_deadline
    elif choice == ReviewChoice.EXTEND_AFTER_LIFTING:
        if not days_after_lifting:
            raise ValidationError(
                {"days_after_lifting": _("Say how many days after the lifting it is due.")}
            )
        if locked.deadline_kind == DeadlineKind.RECURRING and locked.parent_id is None:
            # Its rule makes the instances: moving the rule would stop them for good.
            raise ValidationError(
                _(
                    "A recurring assignment is not put off until the lifting: decide on its "
                    "current instance."
                )
            )
        # No date until the lifting: emergency_lift (kense.events) gives every open assignment
        # of this kind without a date its deadline, the lifting plus the days.
        locked.deadline_kind = DeadlineKind.AFTER_LIFTING
        locked.days_after_lifting = days_after_lifting
        locked.deadline = None
    elif choice == ReviewChoice.REASSIGN:
        if new_lead_organization is None:
            raise ValidationError({"new_lead_organization": _("Name the new lead organization.")})
        locked.lead_organization = new_lead_organization
        locked.lead_person = None
    elif choice == ReviewChoice.ACCEPT:
        locked.status, locked.done_at = Status.DONE, timezone.now()
    review = Review(
        meeting=meeting,
        assignment=locked,
        choice=choice,
        note=note.strip(),
        new_deadline=new_deadline if choice == ReviewChoice.EXTEND else None,
        new_lead_organization=new_lead_organization if choice == ReviewChoice.REASSIGN else None,
        days_after_lifting=(
            days_after_lifting if choice == ReviewChoice.EXTEND_AFTER_LIFTING else None
        ),
        decided_by=user,
    )
    review.full_clean()
    review.save()
    if choice in (ReviewChoice.EXTEND, ReviewChoice.EXTEND_AFTER_LIFTING):
        _meeting_extension(review, old_deadline=old_deadline)
    locked._history_user = user
    locked._change_reason = f"⟲ {meeting.pk}"  # "reviewed at meeting N"
    locked.save()
    if choice == ReviewChoice.REASSIGN:
        notices.assignment_issued(locked, actor=user, co_executors=False)  # the new lead's
    return review


@transaction.atomic
def reviews_record(
    *, meeting: Meeting, user: User, decisions: Iterable[dict[str, Any]]
) -> list[Review]:
    """Several decisions of one meeting on earlier assignments at once (the meeting page's
    review form): each is the keyword arguments of review_record (assignment, choice, note,
    new_deadline, …), recorded by it, all or none. A refusal names the assignment it is about."""
    recorded = []
    for decision in decisions:
        try:
            recorded.append(review_record(meeting=meeting, user=user, **decision))
        except ValidationError as error:
            raise ValidationError(
                [
                    _("%(assignment)s: %(error)s")
                    % {"assignment": decision["assignment"], "error": message}
                    for message in error.messages
                ]
            ) from error
    return recorded


def _meeting_extension(review: Review, *, old_deadline: datetime.date | None) -> Extension:
    """A deadline the meeting moved is an extension of the assignment like one the controller
    grants: it appears among the assignment's extensions (page and API), granted by whoever
    recorded the meeting's decision, with the meeting named as its reason. A request still
    waiting for the controller stays as it is: the controller answers it. An extension until
    the lifting has no new date, only its days: the lifting dates the assignment, not the
    extension, which stays as the meeting decided it."""
    meeting = review.meeting
    decided = _("Extended by the meeting “%(meeting)s”.") % {"meeting": meeting.title}
    # An extension's review has its date or its days (checked by review_record).
    assert review.new_deadline is not None or review.days_after_lifting
    extension = Extension(
        assignment=review.assignment,
        requested_by=review.decided_by,
        requested_at=review.decided_at,
        old_deadline=old_deadline,
        new_deadline=review.new_deadline,
        days_after_lifting=review.days_after_lifting,
        reason=f"{decided} {review.note}".strip(),
        status=ExtensionStatus.GRANTED,
        decided_by=review.decided_by,
        decided_at=review.decided_at,
    )
    extension.full_clean()
    extension._history_user = review.decided_by
    extension.save()
    return extension
