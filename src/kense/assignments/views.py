"""Assignment pages: parse, call a selector or a service, render.

Every page reaches assignments through the user's scope (404 outside it); every change is a
service, which refuses (403) what the user may not do. The forms on an assignment's page post
to their own URLs; a refused form comes back on the same page with its errors.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kense.accounts.auth import AuthenticatedRequest
from kense.assignments import exports, selectors, services
from kense.assignments.filters import (
    AssignmentFilters,
    InboxFilters,
    ReminderFilters,
    StatusFilter,
)
from kense.assignments.forms import (
    AssignmentForm,
    DisciplineForm,
    ExtensionDecideForm,
    ExtensionRequestForm,
    ReportForm,
    ReviewForm,
    WithdrawForm,
)
from kense.assignments.light import Cell, light_badge
from kense.assignments.models import (
    OPEN_STATUSES,
    Assignment,
    DeadlineKind,
    ExecutionReport,
    Extension,
    ExtensionStatus,
    ReportOutcome,
    SourceKind,
    Status,
)
from kense.core import pagination
from kense.core.attachments import attachment_of, attachment_response, attachments_of
from kense.core.forms import attach_errors, handle_form
from kense.core.lists import EXPORT, Column, ListSpec, kazakh_order, render_list
from kense.core.pagination import paginate
from kense.core.permissions import Action, can_add, get_visible, require, require_add, scope_of
from kense.core.views import audit_context


def deadline_value(assignment: Assignment) -> Any:
    """The date, or the rule in words for a recurring or after-lifting deadline."""
    words = selectors.deadline_words(assignment)
    if assignment.deadline_kind == DeadlineKind.AFTER_LIFTING and assignment.deadline:
        return assignment.deadline
    return words or assignment.deadline


def text_cell(assignment: Assignment) -> Cell:
    text = assignment.text or ""
    return Cell(text, format_html("{}", Truncator(text).chars(140)))


def number_of(assignment: Assignment) -> str:
    return assignment.number or f"№ {assignment.pk}"


def organization_name(organization: Any) -> str:
    return (organization.short_name or organization.name) if organization else ""


# Lists


@login_required
def assignment_list(request: AuthenticatedRequest) -> HttpResponse:
    today = timezone.localdate()
    spec = ListSpec(
        title=gettext_lazy("Assignments"),
        columns=[
            Column(gettext_lazy("Number"), number_of, link=True),
            Column(gettext_lazy("Text"), text_cell),
            Column(
                gettext_lazy("Lead responsible organization"),
                lambda a: organization_name(a.lead_organization),
            ),
            Column(gettext_lazy("Deadline"), deadline_value),
            Column(gettext_lazy("Status"), lambda a: light_badge(a, today)),
            Column(gettext_lazy("Controller"), lambda a: str(a.controller)),
        ],
        rows=selectors.assignment_list,
        filters=AssignmentFilters,
        export_name="assignments",
        add_url=(
            reverse("assignments:assignment_add") if can_add(request.user, Assignment) else None
        ),
    )
    return render_list(request, spec)


@dataclass
class InboxRow:
    assignment: Assignment
    badge: Cell
    deadline: Any
    overdue: bool
    part: str


@login_required
def inbox(request: AuthenticatedRequest) -> HttpResponse:
    """The organization's assignments (the territory's, for a coordinator), open first."""
    form = InboxFilters(request.GET, user=request.user)
    queryset = selectors.inbox(request.user, form.values())
    page = paginate(request, queryset, 50)
    today = timezone.localdate()
    parts = {
        "lead": _("Lead"),
        "person": _("Lead, in person"),
        "co": _("Co-executor"),
        "control": _("Controller"),
    }
    rows = [
        InboxRow(
            assignment,
            light_badge(assignment, today),
            deadline_value(assignment),
            assignment.is_overdue(today),
            parts[assignment.part],  # type: ignore[attr-defined]  # annotated by the inbox selector
        )
        for assignment in page.object_list
    ]
    user = request.user
    owner = user.organization if user.organization_id else user.territory
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "rows": rows, "owner": owner, "query": query.urlencode()}
    if scope_of(user).is_wide:
        # Those who oversee a whole territory (an akim, the project office) are shown what is
        # late in it, beside what is theirs: often their own inbox is short or empty.
        overdue = {"status": StatusFilter.OVERDUE.value}
        # Counted up to the lists' cap, without order (the country office's 30,000 overdue
        # took 500 ms to count exactly, 130 ms to count past the cap).
        cap = pagination.COUNT_CAP
        late = selectors.assignment_list(user, overdue).order_by()[: cap + 1].count()
        context["overdue"] = {
            "count": min(late, cap),
            "more": late > cap,
            "url": reverse("assignments:assignment_list") + "?status=overdue",
        }
    template = "assignments/inbox.html#results" if request.htmx else "assignments/inbox.html"
    return render(request, template, context)


@login_required
def review_queue(request: AuthenticatedRequest) -> HttpResponse:
    """Reports awaiting the user's acceptance and extensions awaiting their decision."""
    reports = list(selectors.pending_reports(request.user))
    extensions = list(selectors.pending_extensions(request.user))
    context = {
        "reports": [
            (report, deadline_value(report.assignment), ReviewForm(prefix=f"review-{report.pk}"))
            for report in reports
        ],
        "extensions": [
            (extension, ExtensionDecideForm(prefix=f"decide-{extension.pk}"))
            for extension in extensions
        ],
        "next": reverse("assignments:review_queue"),
    }
    return render(request, "assignments/review_queue.html", context)


# Discipline


@dataclass
class Segment:
    x: str
    width: str
    color: str
    label: str
    count: int


SEGMENT_COLORS = {"on_time": "#1e7d32", "late": "#d08a00", "overdue": "#b3261e"}
SEGMENT_LABELS = {
    "on_time": gettext_lazy("Done on time"),
    "late": gettext_lazy("Done late"),
    "overdue": gettext_lazy("Overdue now"),
}


def bar_segments(row: selectors.DisciplineRow, scale: int) -> list[Segment]:
    """The row's stacked bar in a 0–100 box, every row on the same scale (the largest due)."""
    segments, x = [], 0.0
    for key in ("on_time", "late", "overdue"):
        count = getattr(row, key)
        if not count:
            continue
        width = 100 * count / scale
        # Coordinates are written as plain decimals: a localized "12,5" is no SVG number.
        segments.append(
            Segment(
                f"{x:.2f}", f"{width:.2f}", SEGMENT_COLORS[key], str(SEGMENT_LABELS[key]), count
            )
        )
        x += width
    return segments


@login_required
def discipline(request: AuthenticatedRequest) -> HttpResponse:
    """Due, done on time, done late and overdue per organization or per city and district,
    for a year, with a bar chart drawn by the template and an Excel export of the table."""
    form = DisciplineForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    year = data.get("year") or timezone.localdate().year
    by = data.get("by") or "organization"
    rows = selectors.discipline(request.user, year, by)
    total = selectors.discipline_total(request.user, year)
    if request.GET.get(EXPORT) == "xlsx":
        return exports.discipline_xlsx(rows, total, year=year, by=by)
    scale = max([row.due for row in rows] + [1])
    query = request.GET.copy()
    query.pop(EXPORT, None)
    context = {
        "form": form,
        "year": year,
        "by": by,
        "rows": [(row, bar_segments(row, scale)) for row in rows],
        "total": total,
        "legend": [(SEGMENT_COLORS[key], SEGMENT_LABELS[key]) for key in SEGMENT_COLORS],
        "query": query.urlencode(),
    }
    template = (
        "assignments/discipline.html#results" if request.htmx else "assignments/discipline.html"
    )
    return render(request, template, context)


# One assignment


DETAIL_RELATED = (
    "lead_organization",
    "lead_person",
    "territory",
    "controller__person",
    "created_by__person",
    "meeting",
    "decision__item",
    "parent",
)


def _assignment(request: AuthenticatedRequest, pk: int) -> Assignment:
    return get_visible(Assignment.objects.select_related(*DETAIL_RELATED), request.user, pk=pk)


def _detail(
    request: AuthenticatedRequest,
    assignment: Assignment,
    bound: dict[str, forms.Form] | None = None,
    status: int = 200,
) -> HttpResponse:
    """The assignment's page; `bound` holds a refused form to show with its errors."""
    bound = bound or {}
    user = request.user
    audit = audit_context(request, assignment)
    is_open = assignment.status in OPEN_STATUSES
    # A recurring assignment is the rule; its instances are what gets reported and extended.
    workable = is_open and assignment.deadline_kind != DeadlineKind.RECURRING
    responsible = services.is_responsible(user, assignment)
    controller = services.is_controller(user, assignment)

    reports = list(
        assignment.reports.select_related("author__person", "reviewed_by__person").order_by(
            "created_at", "pk"
        )
    )
    files = attachments_of(reports)
    extensions = list(
        assignment.extensions.select_related("requested_by__person", "decided_by__person")
    )
    pending_extension = any(e.status == ExtensionStatus.REQUESTED for e in extensions)

    def form_for(key: str, factory: Any, show: bool) -> forms.Form | None:
        if key in bound:
            return bound[key]
        return factory(prefix=key) if show else None

    report_rows = []
    for report in reports:
        key = f"review-{report.pk}"
        pending = report.outcome == ReportOutcome.PENDING
        report_rows.append(
            (report, files[report], form_for(key, ReviewForm, pending and controller))
        )
    extension_rows = []
    for extension in extensions:
        key = f"decide-{extension.pk}"
        pending = extension.status == ExtensionStatus.REQUESTED
        extension_rows.append(
            (extension, form_for(key, ExtensionDecideForm, pending and controller))
        )
    context = {
        "assignment": assignment,
        "badge": light_badge(assignment, status=True),
        "overdue": assignment.is_overdue(),
        "deadline_words": selectors.deadline_words(assignment),
        "co_executors": list(assignment.co_executors.order_by(kazakh_order())),
        "instances": (
            list(assignment.instances.order_by("deadline", "pk"))
            if assignment.deadline_kind == DeadlineKind.RECURRING
            else []
        ),
        "reports": report_rows,
        "extensions": extension_rows,
        "report_form": form_for(
            "report",
            ReportForm,
            responsible and workable and assignment.status == Status.UNDER_CONTROL,
        ),
        "extension_form": form_for(
            "extension", ExtensionRequestForm, responsible and workable and not pending_extension
        ),
        "withdraw_form": form_for(
            "withdraw", WithdrawForm, is_open and (controller or audit["can_change"])
        ),
        **audit,
    }
    return render(request, "assignments/assignment_detail.html", context, status=status)


@login_required
def assignment_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _detail(request, _assignment(request, pk))


@login_required
def assignment_edit(request: AuthenticatedRequest, pk: int | None = None) -> HttpResponse:
    """A new assignment from an akim's order, or an edit by those who may change it."""
    if pk is None:
        require_add(request.user, Assignment)
        assignment = Assignment(source_kind=SourceKind.ORDER)
    else:
        assignment = _assignment(request, pk)
        require(request.user, Action.CHANGE, assignment)
    form = AssignmentForm(request.POST or None, instance=assignment, user=request.user)
    return handle_form(
        request,
        form,
        lambda form: services.assignment_save(
            form.instance, user=request.user, co_executors=form.cleaned_data["co_executors"]
        ),
        title=_("Edit assignment") if pk else _("New assignment from an akim's order"),
        cancel_url=assignment.get_absolute_url() if pk else reverse("assignments:assignment_list"),
    )


def _done(request: HttpRequest, assignment: Assignment, message: str) -> HttpResponse:
    """After a change: back where the form was (the review queue posts its own address)."""
    messages.success(request, message)
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(assignment.get_absolute_url())


def _handle_detail_form(
    request: AuthenticatedRequest,
    assignment: Assignment,
    form_class: type[forms.Form],
    key: str,
    act: Callable[[dict[str, Any]], str],
) -> HttpResponse:
    """A form posted from the assignment's page (or the review queue), under its key there:
    `act` calls the service with the form's data and says what was done; a refusal shows the
    page again with the form and its errors (400)."""
    form = form_class(request.POST, request.FILES, prefix=key)
    if form.is_valid():
        try:
            message = act(form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            return _done(request, assignment, message)
    return _detail(request, assignment, {key: form}, status=400)


@login_required
@require_POST
def report_submit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    assignment = _assignment(request, pk)

    def submit(data: dict[str, Any]) -> str:
        services.report_submit(
            assignment, user=request.user, text=data["text"], uploads=data["attachments"]
        )
        return _("The report is sent to the controller.")

    return _handle_detail_form(request, assignment, ReportForm, "report", submit)


def _visible_reports(request: AuthenticatedRequest) -> QuerySet[ExecutionReport]:
    """The reports of the assignments the user sees."""
    return ExecutionReport.objects.filter(assignment__in=Assignment.objects.restrict(request.user))


def _visible_report(request: AuthenticatedRequest, pk: int) -> ExecutionReport:
    try:
        return _visible_reports(request).get(pk=pk)
    except ExecutionReport.DoesNotExist as error:
        raise Http404 from error


@login_required
@require_POST
def report_review(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    report = _visible_report(request, pk)

    def review(data: dict[str, Any]) -> str:
        accept = data["outcome"] == "accept"
        services.report_review(report, user=request.user, accept=accept, comment=data["comment"])
        return _("The report is accepted.") if accept else _("The report is returned.")

    assignment = _assignment(request, report.assignment_id)
    return _handle_detail_form(request, assignment, ReviewForm, f"review-{report.pk}", review)


@login_required
@require_POST
def extension_request(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    assignment = _assignment(request, pk)

    def request_extension(data: dict[str, Any]) -> str:
        services.extension_request(
            assignment,
            user=request.user,
            new_deadline=data["new_deadline"],
            reason=data["reason"],
        )
        return _("The extension is requested.")

    return _handle_detail_form(
        request, assignment, ExtensionRequestForm, "extension", request_extension
    )


@login_required
@require_POST
def extension_decide(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    visible = Assignment.objects.restrict(request.user)
    try:
        extension = Extension.objects.get(pk=pk, assignment__in=visible)
    except Extension.DoesNotExist as error:
        raise Http404 from error

    def decide(data: dict[str, Any]) -> str:
        grant = data["decision"] == "grant"
        services.extension_decide(extension, user=request.user, grant=grant, answer=data["answer"])
        return _("The extension is granted.") if grant else _("The extension is refused.")

    assignment = _assignment(request, extension.assignment_id)
    key = f"decide-{extension.pk}"
    return _handle_detail_form(request, assignment, ExtensionDecideForm, key, decide)


@login_required
@require_POST
def assignment_withdraw(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    assignment = _assignment(request, pk)

    def withdraw(data: dict[str, Any]) -> str:
        services.assignment_withdraw(assignment, user=request.user, reason=data["reason"])
        return _("The assignment is withdrawn from control.")

    return _handle_detail_form(request, assignment, WithdrawForm, "withdraw", withdraw)


@login_required
def attachment_download(request: AuthenticatedRequest, pk: int) -> FileResponse:
    """A report's file, to those who see the assignment."""
    return attachment_response(attachment_of(_visible_reports(request), pk))


@login_required
def reminder_log(request: AuthenticatedRequest) -> HttpResponse:
    spec = ListSpec(
        title=_("Reminders sent"),
        columns=[
            Column(_("Sent"), lambda r: r.sent_at),
            Column(_("Kind"), lambda r: r.get_kind_display()),
            Column(_("Recipient"), lambda r: r.recipient),
            Column(_("E-mail"), lambda r: r.email),
            Column(_("Assignment"), lambda r: r.assignment),
            Column(_("Key"), lambda r: r.key),
        ],
        rows=selectors.reminder_log,
        filters=ReminderFilters,
        export_name="reminders",
    )
    return render_list(request, spec)
