"""Meeting pages: parse, call a selector or a service, render.

Every page reaches the meeting through the user's scope (404 outside it); every write checks
the change permission first (403) and then goes through a service in `meetings.services` or
`assignments.services`, whose ValidationErrors land on the form fields they name.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from kense.accounts.auth import AuthenticatedRequest
from kense.accounts.models import User
from kense.assignments import services as assignment_services
from kense.assignments.models import OPEN_STATUSES, Assignment, SourceKind
from kense.core.attachments import attachment_of, attachment_response
from kense.core.forms import attach_errors, handle_form, save_edit
from kense.core.http import download
from kense.core.lists import Column, ListSpec, render_list
from kense.core.permissions import Action, can_add, get_visible, require, require_add
from kense.core.views import audit_context
from kense.meetings import invitations, selectors, services
from kense.meetings.filters import MeetingFilters
from kense.meetings.forms import (
    MINUTES_FIELDS,
    SHEET_CHOICES,
    AgendaItemForm,
    AmendmentForm,
    AssignmentForm,
    AttachmentForm,
    AttendanceSheetForm,
    DecisionForm,
    InvitationGroupForm,
    InviteForm,
    MeetingForm,
    MinutesForm,
    NextMeetingForm,
    PreviewDateForm,
    ReviewForm,
    ReviewSheetForm,
    SeriesForm,
)
from kense.meetings.models import (
    AgendaItem,
    Attendance,
    Decision,
    InvitationGroup,
    Meeting,
    MeetingState,
)

MINUTES_LANGUAGES = ("kk", "ru")
DOWNLOAD_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}
# The buttons of the transitions, in the order they are shown.
TRANSITION_BUTTONS = [
    (MeetingState.SCHEDULED, _("Schedule and send the invitations")),
    (MeetingState.IN_PROGRESS, _("Start the meeting")),
    (MeetingState.HELD, _("The meeting is over: write the minutes")),
    (MeetingState.APPROVED, _("Approve the minutes")),
    (MeetingState.DRAFT, _("Back to draft")),
]
# States in which the secretary writes what was heard and discussed.
MINUTES_STATES = (MeetingState.IN_PROGRESS, MeetingState.HELD)


@dataclass
class _Back:
    """Where a form goes after saving: handle_form redirects to get_absolute_url()."""

    url: str

    def get_absolute_url(self) -> str:
        return self.url


def calendar_path(meeting: Meeting) -> str:
    """The meeting's .ics, outside the language prefix (calendar programs fetch it as is)."""
    return f"/calendar/meeting/{meeting.pk}.ics"


def _meeting(request: AuthenticatedRequest, pk: int, *, change: bool = False) -> Meeting:
    """The meeting if the user sees it (else 404); with `change`, 403 unless they may edit."""
    meeting = get_visible(
        Meeting.objects.select_related("territory", "organizer"), request.user, pk=pk
    )
    if change:
        require(request.user, Action.CHANGE, meeting)
    return meeting


def _anchor(meeting: Meeting, anchor: str) -> str:
    return f"{meeting.get_absolute_url()}#{anchor}"


def _form_page(
    request: HttpRequest,
    form: forms.BaseForm,
    *,
    title: Any,
    cancel_url: str,
    template: str = "core/form.html",
    extra: dict[str, Any] | None = None,
    status: int | None = None,
) -> HttpResponse:
    context = {"form": form, "title": title, "cancel_url": cancel_url, **(extra or {})}
    return render(request, template, context, status=status or (400 if form.errors else 200))


def _refuse_if_locked(request: HttpRequest, meeting: Meeting) -> HttpResponse | None:
    """Opening an edit form of approved minutes sends the user back with the reason."""
    if request.method == "GET" and meeting.is_locked:
        messages.error(request, services.LOCKED)
        return redirect(meeting)
    return None


# ---------------------------------------------------------------------------------------------
# The list and the meeting's own fields
# ---------------------------------------------------------------------------------------------


@login_required
def meeting_list(request: AuthenticatedRequest) -> HttpResponse:
    spec = ListSpec(
        title=_("Meetings"),
        columns=[
            Column(_("Title"), lambda m: m.title, link=True),
            Column(_("Kind"), lambda m: m.get_kind_display()),
            Column(_("Format"), lambda m: m.get_format_display()),
            Column(_("Date"), lambda m: m.day),
            Column(_("State"), lambda m: m.get_state_display()),
            Column(_("Organizer"), lambda m: m.organizer),
            Column(_("Territory"), lambda m: m.territory),
        ],
        rows=selectors.meeting_list,
        filters=MeetingFilters,
        export_name="meetings",
        add_url=reverse("meetings:meeting_add") if can_add(request.user, Meeting) else None,
        links=[
            (_("Invitation groups"), reverse("meetings:group_list")),
            *(
                [(_("New series of meetings"), reverse("meetings:series_add"))]
                if can_add(request.user, Meeting)
                else []
            ),
        ],
    )
    return render_list(request, spec)


@login_required
def series_add(request: AuthenticatedRequest) -> HttpResponse:
    """A series of recurring meetings (weekly, monthly, quarterly); meetings join it from
    their form, and each next one carries over the open agenda items."""
    require_add(request.user, Meeting)
    form = SeriesForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.series_save(form.instance, user=request.user)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("The series is created: choose it in a meeting's form."))
            return redirect("meetings:meeting_add")
    return render(
        request,
        "core/form.html",
        {
            "form": form,
            "title": _("New series of meetings"),
            "cancel_url": reverse("meetings:meeting_list"),
        },
        status=400 if form.errors else 200,
    )


@login_required
def meeting_edit(request: AuthenticatedRequest, pk: int | None = None) -> HttpResponse:
    if pk is None:
        require_add(request.user, Meeting)
        user = request.user
        meeting = Meeting()
        organization = user.organization
        if user.territory is not None:
            meeting.territory = user.territory
        elif organization is not None:
            meeting.territory = organization.territory
        if organization is not None:
            meeting.organizer = organization
    else:
        meeting = _meeting(request, pk, change=True)
        if refused := _refuse_if_locked(request, meeting):
            return refused
    form = MeetingForm(request.POST or None, instance=meeting, user=request.user)
    return handle_form(
        request,
        form,
        lambda form: services.meeting_save(
            form.instance,
            user=request.user,
            programs=form.cleaned_data["programs"],
            projects=form.cleaned_data["projects"],
        ),
        title=_("Edit meeting") if pk else _("New meeting"),
        cancel_url=meeting.get_absolute_url() if pk else reverse("meetings:meeting_list"),
    )


@login_required
def meeting_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_for_page(request.user, pk)
    return render(request, "meetings/meeting_detail.html", _page_context(request, meeting))


def _page_context(request: AuthenticatedRequest, meeting: Meeting) -> dict[str, Any]:
    """What the meeting page shows; the number of queries does not depend on the number of
    participants, items or decisions (forms of the rows share one list of choices)."""
    user = request.user
    audit = audit_context(request, meeting)
    can_change = audit["can_change"]
    editable = can_change and not meeting.is_locked
    items = list(meeting.items.all())
    has_review = selectors.has_review_item(meeting)
    allowed = services.TRANSITIONS[MeetingState(meeting.state)]
    today = timezone.localdate()
    context: dict[str, Any] = {
        "meeting": meeting,
        "items": items,
        "participants": list(meeting.participants.all()),
        # Who the invitations did not reach, and why (the organizer's to follow up).
        "not_notified": invitations.not_notified(meeting)
        if can_change and meeting.invitations_sent_at
        else [],
        "amendments": list(meeting.amendments.all()),
        "editable": editable,
        "has_review": has_review,
        "review_rows": selectors.review_rows(meeting, request.user) if has_review else [],
        "transitions": [(to, label) for to, label in TRANSITION_BUTTONS if to in allowed]
        if can_change
        else [],
        "calendar_url": calendar_path(meeting),
        # Marking it held before its day asks for the override and its reason.
        "before_its_day": today < meeting.day,
        "downloads": [
            (_("Download minutes (DOCX, kk)"), "kk", "docx"),
            (_("Download minutes (DOCX, ru)"), "ru", "docx"),
            (_("Download minutes (PDF, kk)"), "kk", "pdf"),
            (_("Download minutes (PDF, ru)"), "ru", "pdf"),
        ],
        "extract_organizations": selectors.extract_organizations(meeting),
        "can_add_assignment": can_add(user, Assignment),
        "minutes_states": meeting.state in MINUTES_STATES,
        **audit,
    }
    if editable:
        if meeting.state != MeetingState.DRAFT:  # attendance is taken once invitations are out
            context["people"] = list(selectors.people_for(user))
            context["attendance_choices"] = Attendance.choices
        context["invite_form"] = InviteForm(user=user)
        if has_review:
            context["review_choices"] = cast(
                forms.ChoiceField, ReviewForm.base_fields["choice"]
            ).choices
            # The review form offers only what is still open and not yet decided here.
            context["review_sheet_choices"] = [
                ("", _("no decision now")),
                *((choice.value, choice.label) for choice in SHEET_CHOICES),
            ]
            context["open_statuses"] = [str(status) for status in OPEN_STATUSES]
        for item in items:
            # For the page only: each item's own forms, not fields of the model.
            item.decision_form = DecisionForm(auto_id=f"decision{item.pk}-%s")  # type: ignore[attr-defined]
            item.upload_form = AttachmentForm(auto_id=f"upload{item.pk}-%s")  # type: ignore[attr-defined]
            if meeting.state in MINUTES_STATES:
                item.minutes_form = MinutesForm.for_item(item, meeting.minutes_revision)  # type: ignore[attr-defined]
    if can_change and meeting.is_locked:
        context["amendment_form"] = AmendmentForm()
    if can_change and meeting.series_id:
        context["next_form"] = NextMeetingForm()
    return context


@login_required
@require_POST
def meeting_transition(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk, change=True)
    to = request.POST.get("to", "")
    if to not in MeetingState.values:
        messages.error(request, _("Choose the state to move the meeting to."))
        return redirect(meeting)
    try:
        meeting = services.meeting_transition(
            meeting,
            user=request.user,
            to=to,
            held_early=request.POST.get("held_early") == "on",
            held_early_reason=request.POST.get("held_early_reason", ""),
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("The meeting is now “%(state)s”.") % {"state": meeting.get_state_display()},
        )
    return redirect(meeting)


# ---------------------------------------------------------------------------------------------
# Participants
# ---------------------------------------------------------------------------------------------


@login_required
def participants_invite(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk, change=True)
    if refused := _refuse_if_locked(request, meeting):
        return refused
    form = InviteForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            added = services.participants_invite(
                meeting,
                user=request.user,
                people=form.cleaned_data["people"],
                groups=form.cleaned_data["groups"],
                role=form.cleaned_data["role"],
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)d participant invited.", "%(count)d participants invited.", len(added)
                )
                % {"count": len(added)},
            )
            return redirect(_anchor(meeting, "participants"))
    return _form_page(
        request,
        form,
        title=_("Invite to “%(meeting)s”") % {"meeting": meeting.title},
        cancel_url=_anchor(meeting, "participants"),
    )


@login_required
@require_POST
def attendance_all(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The attendance of every participant from the meeting page's one form: each row as
    marked, or everyone present ("all_present"); all saved or, on a refusal, none."""
    meeting = _meeting(request, pk, change=True)
    participants = list(meeting.participants.select_related("person"))
    form = AttendanceSheetForm(
        request.POST,
        participants=participants,
        people=list(selectors.people_for(request.user)),
    )
    if not form.is_valid():
        rows = {str(participant.pk): participant.person.formal_name for participant in participants}
        _sheet_refused(request, form, rows)
        return redirect(_anchor(meeting, "participants"))
    try:
        changed = services.attendance_record_all(meeting, user=request.user, marks=form.marks())
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            ngettext(
                "Attendance saved (%(count)d change).",
                "Attendance saved (%(count)d changes).",
                changed,
            )
            % {"count": changed},
        )
    return redirect(_anchor(meeting, "participants"))


# ---------------------------------------------------------------------------------------------
# Invitation groups
# ---------------------------------------------------------------------------------------------


@transaction.atomic
@login_required
def group_list(request: AuthenticatedRequest) -> HttpResponse:
    context = {
        "groups": list(selectors.invitation_groups()),
        "can_edit": can_add(request.user, InvitationGroup),
    }
    return render(request, "meetings/group_list.html", context)


@login_required
def group_edit(request: AuthenticatedRequest, pk: int | None = None) -> HttpResponse:
    """Define a group, with a preview of the people it expands to on a date. The preview is
    this URL asked with ?preview (by HTMX as the form changes, or by the Preview button)."""
    require_add(request.user, InvitationGroup)
    group = InvitationGroup() if pk is None else _group(pk)
    previewing = request.method == "GET" and "preview" in request.GET
    date_form = PreviewDateForm(request.GET if previewing else None)
    preview: dict[str, Any] | None = None
    if previewing:
        # Validated apart, so that an unfinished form is previewed without showing errors.
        probe = InvitationGroupForm(request.GET, instance=InvitationGroup(), user=request.user)
        probe.is_valid()
        typed = getattr(probe, "cleaned_data", {})
        form = InvitationGroupForm(instance=group, user=request.user, initial=typed)
        preview = _group_preview(typed, date_form, request.user)
    else:
        form = InvitationGroupForm(request.POST or None, instance=group, user=request.user)
        if group.pk:
            preview = _group_preview(
                {
                    "position": group.position,
                    "organization_kinds": group.organization_kinds,
                    "territory": group.territory,
                    "territory_kinds": group.territory_kinds,
                },
                date_form,
                request.user,
            )
    saved, conflict = save_edit(
        request, form, lambda form: services.invitation_group_save(form.instance, user=request.user)
    )
    if saved is not None:
        messages.success(request, _("Saved."))
        return redirect("meetings:group_list")
    context = {
        "form": form,
        "conflict": conflict,
        "date_form": date_form,
        "group": group,
        "preview": preview,
        "title": _("Edit invitation group") if pk else _("New invitation group"),
        **(audit_context(request, group) if group.pk else {}),
    }
    if request.htmx and previewing:
        return render(request, "meetings/group_form.html#preview", context)
    status = 409 if conflict is not None else 400 if form.errors else 200
    return render(request, "meetings/group_form.html", context, status=status)


def _group(pk: int) -> InvitationGroup:
    # Groups are not scoped: every organizer sees and uses every group.
    group = selectors.invitation_groups().filter(pk=pk).first()
    if group is None:
        raise Http404
    return group


def _group_preview(typed: dict[str, Any], date_form: PreviewDateForm, user: User) -> dict[str, Any]:
    """Who a group as typed (saved or not) expands to on the chosen date (today if none),
    among the people the user may see."""
    day = (date_form.cleaned_data.get("on") if date_form.is_valid() else None) or (
        timezone.localdate()
    )
    if not typed.get("position"):
        return {"day": day, "members": None}
    candidate = InvitationGroup(
        position=typed["position"],
        organization_kinds=list(typed.get("organization_kinds") or []),
        territory=typed.get("territory"),
        territory_kinds=list(typed.get("territory_kinds") or []),
    )
    return {"day": day, "members": services.group_members(candidate, day, user=user)}


# ---------------------------------------------------------------------------------------------
# The agenda: items, files, minutes, decisions
# ---------------------------------------------------------------------------------------------


@login_required
def item_edit(request: AuthenticatedRequest, pk: int, item_pk: int | None = None) -> HttpResponse:
    meeting = _meeting(request, pk, change=True)
    if refused := _refuse_if_locked(request, meeting):
        return refused
    item = AgendaItem(meeting=meeting) if item_pk is None else selectors.item_of(meeting, item_pk)
    form = AgendaItemForm(request.POST or None, instance=item, user=request.user)

    def save(form: AgendaItemForm) -> _Back:
        saved = services.agenda_item_save(
            form.instance,
            user=request.user,
            speakers=form.cleaned_data["speakers"],
            projects=form.cleaned_data["projects"],
        )
        return _Back(_anchor(meeting, f"item-{saved.pk}"))

    return handle_form(
        request,
        form,
        save,
        title=_("Edit agenda item") if item_pk else _("New agenda item"),
        cancel_url=_anchor(meeting, "agenda"),
    )


@login_required
def attachment_upload(request: AuthenticatedRequest, pk: int, item_pk: int) -> HttpResponse:
    meeting = _meeting(request, pk, change=True)
    if refused := _refuse_if_locked(request, meeting):
        return refused
    item = selectors.item_of(meeting, item_pk)
    form = AttachmentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            attachment = services.attachment_add(
                item, user=request.user, upload=form.cleaned_data["file"]
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("File %(name)s attached.") % {"name": attachment.name})
            return redirect(_anchor(meeting, f"item-{item.pk}"))
    return _form_page(
        request,
        form,
        title=_("Attach a file to “%(item)s”") % {"item": item.title},
        cancel_url=_anchor(meeting, f"item-{item.pk}"),
    )


@login_required
def attachment_download(request: AuthenticatedRequest, pk: int, attachment_pk: int) -> FileResponse:
    """A file of one of the meeting's agenda items, to those who see the meeting."""
    meeting = _meeting(request, pk)
    return attachment_response(attachment_of(meeting.items.all(), attachment_pk))


@login_required
def minutes_edit(request: AuthenticatedRequest, pk: int, item_pk: int) -> HttpResponse:
    """What was heard and discussed on an item. The form carries the minutes revision it was
    opened at; when someone saved in between, the user's text stays in the form and the newer
    saved text is shown beside it."""
    meeting = _meeting(request, pk, change=True)
    if refused := _refuse_if_locked(request, meeting):
        return refused
    item = selectors.item_of(meeting, item_pk)
    theirs: AgendaItem | None = None
    status = 200
    if request.method == "POST":
        form = MinutesForm(request.POST, auto_id=f"minutes{item.pk}-%s")
        if form.is_valid():
            values = {name: form.cleaned_data[name] for name in MINUTES_FIELDS}
            try:
                services.minutes_save(
                    item, user=request.user, revision=form.cleaned_data["revision"], values=values
                )
            except services.StaleMinutes as error:
                meeting.refresh_from_db(fields=["minutes_revision"])
                item.refresh_from_db()
                theirs = item
                # Keep the user's text; carry the current revision so that saving again,
                # after comparing, is accepted.
                data = request.POST.copy()
                data["revision"] = str(meeting.minutes_revision)
                form = MinutesForm(data, auto_id=f"minutes{item.pk}-%s")
                form.is_valid()
                form.add_error(None, error)
                status = 409
            except ValidationError as error:
                attach_errors(form, error)
            else:
                messages.success(request, _("Minutes saved."))
                return redirect(_anchor(meeting, f"item-{item.pk}"))
        if form.errors and status == 200:
            status = 400
    else:
        form = MinutesForm.for_item(item, meeting.minutes_revision)
    context = {"meeting": meeting, "item": item, "form": form, "theirs": theirs}
    return render(request, "meetings/minutes_form.html", context, status=status)


@login_required
def decision_edit(
    request: AuthenticatedRequest,
    pk: int,
    item_pk: int | None = None,
    decision_pk: int | None = None,
) -> HttpResponse:
    meeting = _meeting(request, pk, change=True)
    if refused := _refuse_if_locked(request, meeting):
        return refused
    if decision_pk is not None:
        decision = selectors.decision_of(meeting, decision_pk)
    else:
        assert item_pk is not None
        decision = Decision(item=selectors.item_of(meeting, item_pk))
    form = DecisionForm(request.POST or None, instance=decision)

    def save(form: DecisionForm) -> _Back:
        saved = services.decision_save(form.instance, user=request.user)
        return _Back(_anchor(meeting, f"decision-{saved.pk}"))

    return handle_form(
        request,
        form,
        save,
        title=_("Edit decision") if decision_pk else _("New decision"),
        cancel_url=_anchor(meeting, f"item-{decision.item_id}"),
    )


@login_required
def assignment_add(request: AuthenticatedRequest, pk: int, decision_pk: int) -> HttpResponse:
    """Make a decision an assignment under control."""
    meeting = _meeting(request, pk)
    if not can_add(request.user, Assignment):
        raise PermissionDenied
    decision = selectors.decision_of(meeting, decision_pk)
    assignment = Assignment(
        source_kind=SourceKind.MEETING,
        meeting=meeting,
        decision=decision,
        # modeltranslation adds the text_kk/_ru/_en fields at run time, unseen by the stubs.
        text_kk=decision.text_kk,  # type: ignore[attr-defined]
        text_ru=decision.text_ru,  # type: ignore[attr-defined]
        number=f"{decision.item.order}.{decision.number}",
    )
    user = request.user
    initial = {"controller": user.pk} if user.role in selectors.CONTROLLER_ROLES else {}
    form = AssignmentForm(request.POST or None, instance=assignment, user=user, initial=initial)

    def save(form: AssignmentForm) -> _Back:
        assignment_services.assignment_save(
            form.instance, user=request.user, co_executors=form.cleaned_data["co_executors"]
        )
        return _Back(_anchor(meeting, f"decision-{decision.pk}"))

    return handle_form(
        request,
        form,
        save,
        title=_("Make decision %(number)s an assignment") % {"number": decision.number},
        cancel_url=_anchor(meeting, f"decision-{decision.pk}"),
        template="meetings/assignment_form.html",
        extra={"meeting": meeting, "decision": decision},
        success_message=_("The decision is now an assignment under control."),
    )


# ---------------------------------------------------------------------------------------------
# The review of earlier assignments
# ---------------------------------------------------------------------------------------------


@login_required
@require_POST
def review_propose(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk, change=True)
    try:
        item = services.review_item_propose(meeting, user=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(meeting)
    messages.success(request, _("The review of earlier assignments is on the agenda."))
    return redirect(_anchor(meeting, f"item-{item.pk}"))


@login_required
def review_decide(request: AuthenticatedRequest, pk: int, assignment_pk: int) -> HttpResponse:
    """The meeting's decision on an earlier assignment: accept, extend (to a date or until
    days after the emergency is lifted), reassign or keep."""
    meeting = _meeting(request, pk, change=True)
    if refused := _refuse_if_locked(request, meeting):
        return refused
    assignment = selectors.review_candidate(meeting, assignment_pk, request.user)
    form = ReviewForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        if meeting.is_locked:
            form.add_error(None, services.LOCKED)
        else:
            try:
                assignment_services.review_record(
                    meeting=meeting,
                    assignment=assignment,
                    user=request.user,
                    choice=form.cleaned_data["choice"],
                    note=form.cleaned_data["note"],
                    new_deadline=form.cleaned_data["new_deadline"],
                    new_lead_organization=form.cleaned_data["new_lead_organization"],
                    days_after_lifting=form.cleaned_data["days_after_lifting"],
                )
            except ValidationError as error:
                attach_errors(form, error)
            else:
                messages.success(request, _("The decision on the assignment is recorded."))
                return redirect(_anchor(meeting, f"review-{assignment.pk}"))
    return _form_page(
        request,
        form,
        title=_("Decision on the assignment “%(assignment)s”") % {"assignment": assignment},
        cancel_url=_anchor(meeting, "review"),
    )


@login_required
@require_POST
def review_decide_all(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The meeting page's review form: a decision (and a new date, a reason) on each of the
    open assignments under review not decided yet, recorded by one service, all or none."""
    meeting = _meeting(request, pk, change=True)
    if refused := _refuse_if_locked(request, meeting):
        return refused
    open_rows = [
        row.assignment
        for row in selectors.review_rows(meeting, request.user)
        if row.review is None and row.assignment.status in OPEN_STATUSES
    ]
    form = ReviewSheetForm(request.POST, assignments=open_rows)
    if not form.is_valid():
        _sheet_refused(request, form, {str(row.pk): str(row) for row in open_rows})
        return redirect(_anchor(meeting, "review"))
    try:
        recorded = assignment_services.reviews_record(
            meeting=meeting, user=request.user, decisions=form.decisions()
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            ngettext(
                "%(count)d decision on earlier assignments recorded.",
                "%(count)d decisions on earlier assignments recorded.",
                len(recorded),
            )
            % {"count": len(recorded)},
        )
    return redirect(_anchor(meeting, "review"))


def _sheet_refused(request: HttpRequest, form: forms.Form, rows: dict[str, str]) -> None:
    """The errors of a one-form sheet (fields "<name>-<row key>") as messages, each naming
    its row; `rows` names each row by its key."""
    for field, errors in form.errors.items():
        row = rows.get(field.rpartition("-")[2])
        for error in map(str, errors):
            messages.error(
                request, services.ROW_REFUSED % {"row": row, "error": error} if row else error
            )


# ---------------------------------------------------------------------------------------------
# Approved minutes: amendments, documents; the series' next meeting
# ---------------------------------------------------------------------------------------------


@login_required
def amendment_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk, change=True)
    form = AmendmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.amendment_add(meeting, user=request.user, text=form.cleaned_data["text"])
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("The amendment is kept beside the minutes."))
            return redirect(_anchor(meeting, "amendments"))
    return _form_page(
        request,
        form,
        title=_("Amend the minutes"),
        cancel_url=_anchor(meeting, "amendments"),
    )


@login_required
def next_meeting(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk, change=True)
    if meeting.series_id is None:
        raise Http404
    form = NextMeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            following = services.next_meeting_create(
                meeting,
                user=request.user,
                start=form.cleaned_data["start"],
                end=form.cleaned_data["end"],
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("The next meeting of the series is created."))
            return redirect(following)
    return _form_page(
        request,
        form,
        title=_("Create the next meeting"),
        cancel_url=meeting.get_absolute_url(),
    )


@login_required
def minutes_download(
    request: AuthenticatedRequest, pk: int, language: str, fmt: str
) -> HttpResponse:
    """The minutes as DOCX (to edit in Word) or PDF (to sign), in Kazakh or Russian."""
    if language not in MINUTES_LANGUAGES or fmt not in DOWNLOAD_TYPES:
        raise Http404
    meeting = _meeting(request, pk)
    from kense.meetings import exports  # written beside these pages; imported when used

    render_document = exports.minutes_docx if fmt == "docx" else exports.minutes_pdf
    return download(
        render_document(meeting, language),
        DOWNLOAD_TYPES[fmt],
        f"minutes-{meeting.day:%Y-%m-%d}-{language}.{fmt}",
    )


@login_required
def extract_download(
    request: AuthenticatedRequest, pk: int, organization_pk: int, language: str
) -> HttpResponse:
    """The extract of the assignments one organization leads, from these minutes."""
    if language not in MINUTES_LANGUAGES:
        raise Http404
    meeting = _meeting(request, pk)
    organization = next(
        (o for o in selectors.extract_organizations(meeting) if o.pk == organization_pk), None
    )
    if organization is None:
        raise Http404
    from kense.meetings import exports

    return download(
        exports.assignments_extract_docx(meeting, organization, language),
        DOWNLOAD_TYPES["docx"],
        f"extract-{meeting.day:%Y-%m-%d}-{organization.pk}-{language}.docx",
    )
