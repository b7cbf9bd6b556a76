"""Emergency pages: the list of emergencies, declaring one, the bulk postponement (a preview,
then one confirmation), the lifting and the rescheduling assistant. Views parse, call a selector
or a service, and render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from kense.accounts.auth import AuthenticatedRequest
from kense.core.forms import attach_errors, handle_form
from kense.core.history import history_entries
from kense.core.lists import Column, ListSpec, render_list
from kense.core.permissions import Action, get_visible
from kense.events.filters import EmergencyFilters
from kense.events.forms.emergencies import EmergencyForm, LiftForm, RescheduleForm
from kense.events.models import Emergency, Event
from kense.events.selectors import emergencies as emergency_selectors
from kense.events.services import emergencies as emergency_services


def _emergency(request: AuthenticatedRequest, pk: int) -> Emergency:
    """The emergency, if the user may see it (404 otherwise)."""
    found = (
        emergency_selectors.emergency_list(request.user)
        .filter(pk=pk)
        .prefetch_related("territories")
    )
    emergency = found.first()
    if emergency is None:
        raise Http404
    return emergency


def _require_manage(request: AuthenticatedRequest, emergency: Emergency) -> None:
    if not emergency_services.may_manage(request.user, emergency):
        raise PermissionDenied


@login_required
def emergency_list(request: AuthenticatedRequest) -> HttpResponse:
    spec = ListSpec(
        title=_("Emergencies and restrictions"),
        columns=[
            Column(_("Title"), lambda e: e.title, link=True),
            Column(_("Kind"), lambda e: e.get_kind_display()),
            Column(_("Territories"), lambda e: ", ".join(str(t) for t in e.territories.all())),
            Column(_("From"), lambda e: e.start),
            Column(_("To"), lambda e: e.end),
            Column(_("Lifted on"), lambda e: e.lifted_on),
            Column(_("Restricts"), lambda e: e.get_restricts_display()),
            Column(_("Events postponed"), lambda e: e.event_count, numeric=True),
        ],
        rows=lambda user, values: (
            emergency_selectors.emergency_list(user, values)
            .prefetch_related("territories")
            .annotate(event_count=Count("events"))
            .order_by("-start", "pk")
        ),
        filters=EmergencyFilters,
        export_name="emergencies",
        add_url=reverse("events:emergency_add")
        if emergency_services.may_declare(request.user)
        else None,
    )
    return render_list(request, spec)


@login_required
def emergency_add(request: AuthenticatedRequest) -> HttpResponse:
    if not emergency_services.may_declare(request.user):
        raise PermissionDenied
    form = EmergencyForm(request.POST or None, instance=Emergency(), user=request.user)
    return handle_form(
        request,
        form,
        lambda form: emergency_services.emergency_declare(
            form.instance, user=request.user, territories=form.cleaned_data["territories"]
        ),
        title=_("Declare an emergency"),
        cancel_url=reverse("events:emergency_list"),
        success_message=_("The emergency is declared. Postpone the events it affects."),
    )


@login_required
def emergency_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    emergency = _emergency(request, pk)
    events = list(
        Event.objects.restrict(request.user)
        .filter(emergency=emergency)
        .select_related("territory", "organizer")
        .order_by("start", "pk")
    )
    context = {
        "emergency": emergency,
        "territories": list(emergency.territories.all()),
        "events": events,
        "can_manage": emergency_services.may_manage(request.user, emergency),
        "obj": emergency,
        "history": history_entries(emergency),
        "content_type_id": ContentType.objects.get_for_model(emergency).pk,
    }
    return render(request, "events/emergency_detail.html", context)


def _chosen_ids(request: HttpRequest) -> list[int]:
    return [int(value) for value in request.POST.getlist("events") if value.isdigit()]


@login_required
def emergency_postpone(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """GET: the events the emergency would postpone, to tick; POST: postpone them with one
    reason."""
    emergency = _emergency(request, pk)
    _require_manage(request, emergency)
    errors: list[str] = []
    reason = ""
    chosen: list[int] | None = None
    if request.method == "POST":
        chosen = _chosen_ids(request)
        reason = request.POST.get("reason", "")
        try:
            # What is ticked is what is postponed: online events too, if someone ticked them.
            postponed = emergency_services.postpone_in_bulk(
                emergency, user=request.user, reason=reason, event_ids=chosen, keep_online=False
            )
        except ValidationError as error:
            errors = list(error.messages)
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)d event postponed.", "%(count)d events postponed.", len(postponed)
                )
                % {"count": len(postponed)},
            )
            return redirect(emergency.get_absolute_url())
    context = {
        "emergency": emergency,
        "rows": emergency_selectors.postpone_preview(emergency, chosen),
        "reason": reason,
        "errors": errors,
    }
    return render(request, "events/emergency_postpone.html", context, status=400 if errors else 200)


@login_required
def emergency_lift(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    emergency = _emergency(request, pk)
    _require_manage(request, emergency)
    form = LiftForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            updated = emergency_services.emergency_lift(
                emergency, user=request.user, lifted_on=form.cleaned_data["lifted_on"]
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(
                request,
                ngettext(
                    "Lifted. %(count)d assignment got its deadline.",
                    "Lifted. %(count)d assignments got their deadlines.",
                    len(updated),
                )
                % {"count": len(updated)},
            )
            return redirect("events:emergency_reschedule", pk=emergency.pk)
    context = {
        "form": form,
        "title": _("Lift: %(title)s") % {"title": emergency.title},
        "cancel_url": emergency.get_absolute_url(),
    }
    return render(request, "core/form.html", context, status=400 if form.errors else 200)


@login_required
def emergency_reschedule(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The assistant's proposals; each organizer (or the project office) confirms or changes
    the dates of its own events."""
    emergency = _emergency(request, pk)
    failed: dict[int, RescheduleForm] = {}
    if request.method == "POST":
        event = get_visible(
            Event.objects.filter(emergency=emergency).select_related("emergency", "territory"),
            request.user,
            pk=request.POST.get("event"),
        )
        form = RescheduleForm(request.POST)
        if form.is_valid():
            try:
                emergency_services.reschedule(
                    event,
                    user=request.user,
                    start=form.cleaned_data["start"],
                    end=form.cleaned_data["end"],
                )
            except ValidationError as error:
                attach_errors(form, error)
            else:
                messages.success(
                    request,
                    _("%(event)s is planned again from %(date)s.")
                    % {"event": event.title, "date": form.cleaned_data["start"].isoformat()},
                )
                return redirect("events:emergency_reschedule", pk=emergency.pk)
        failed[event.pk] = form
    proposals = emergency_selectors.propose_new_dates(emergency) if emergency.lifted_on else []
    ids = [proposal.event.pk for proposal in proposals]
    visible = set(
        Event.objects.restrict(request.user).filter(pk__in=ids).values_list("pk", flat=True)
    )
    changeable = set(
        Event.objects.restrict(request.user, Action.CHANGE)
        .filter(pk__in=ids)
        .values_list("pk", flat=True)
    )
    rows = [
        {
            "proposal": proposal,
            "can_change": proposal.event.pk in changeable,
            "form": failed.get(proposal.event.pk)
            or RescheduleForm(initial={"start": proposal.start, "end": proposal.end}),
        }
        for proposal in proposals
        if proposal.event.pk in visible
    ]
    context = {"emergency": emergency, "rows": rows}
    return render(
        request, "events/emergency_reschedule.html", context, status=400 if failed else 200
    )
