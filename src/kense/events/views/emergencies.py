"""Emergency pages: the list of disruptions, declaring one, the bulk postponement (a preview,
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

from kense.core.forms import attach_errors, handle_form
from kense.core.history import history_entries
from kense.core.lists import Column, ListSpec, render_list
from kense.core.permissions import Action, get_visible
from kense.events.forms.emergencies import DisruptionForm, LiftForm, RescheduleForm
from kense.events.models import Disruption, Event
from kense.events.selectors import emergencies as emergency_selectors
from kense.events.services import emergencies as emergency_services


def _disruption(request: HttpRequest, pk: int) -> Disruption:
    """The disruption, if the user may see it (404 otherwise)."""
    found = (
        emergency_selectors.disruption_list(request.user)
        .filter(pk=pk)
        .prefetch_related("territories")
    )
    disruption = found.first()
    if disruption is None:
        raise Http404
    return disruption


def _require_manage(request: HttpRequest, disruption: Disruption) -> None:
    if not emergency_services.may_manage(request.user, disruption):
        raise PermissionDenied


@login_required
def disruption_list(request: HttpRequest) -> HttpResponse:
    spec = ListSpec(
        title=_("Emergencies and restrictions"),
        columns=[
            Column(_("Title"), lambda d: d.title, link=True),
            Column(_("Kind"), lambda d: d.get_kind_display()),
            Column(_("Territories"), lambda d: ", ".join(str(t) for t in d.territories.all())),
            Column(_("From"), lambda d: d.start),
            Column(_("To"), lambda d: d.end),
            Column(_("Lifted on"), lambda d: d.lifted_on),
            Column(_("Restricts"), lambda d: d.get_restricts_display()),
            Column(_("Events postponed"), lambda d: d.event_count, numeric=True),
        ],
        queryset=lambda r: (
            emergency_selectors.disruption_list(r.user)
            .prefetch_related("territories")
            .annotate(event_count=Count("events"))
        ),
        export_name="disruptions",
        add_url=reverse("events:disruption_add")
        if emergency_services.may_declare(request.user)
        else None,
    )
    return render_list(request, spec)


@login_required
def disruption_add(request: HttpRequest) -> HttpResponse:
    if not emergency_services.may_declare(request.user):
        raise PermissionDenied
    form = DisruptionForm(request.POST or None, instance=Disruption(), user=request.user)
    return handle_form(
        request,
        form,
        lambda form: emergency_services.disruption_declare(
            form.instance, user=request.user, territories=form.cleaned_data["territories"]
        ),
        title=_("Declare an emergency"),
        cancel_url=reverse("events:disruption_list"),
        success_message=_("The emergency is declared. Postpone the events it affects."),
    )


@login_required
def disruption_detail(request: HttpRequest, pk: int) -> HttpResponse:
    disruption = _disruption(request, pk)
    events = list(
        Event.objects.restrict(request.user)
        .filter(disruption=disruption)
        .select_related("territory", "organizer")
        .order_by("start", "pk")
    )
    context = {
        "disruption": disruption,
        "territories": list(disruption.territories.all()),
        "events": events,
        "can_manage": emergency_services.may_manage(request.user, disruption),
        "obj": disruption,
        "history": history_entries(disruption),
        "content_type_id": ContentType.objects.get_for_model(disruption).pk,
    }
    return render(request, "events/disruption_detail.html", context)


def _chosen_ids(request: HttpRequest) -> list[int]:
    return [int(value) for value in request.POST.getlist("events") if value.isdigit()]


@login_required
def disruption_postpone(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the events the disruption would postpone, to tick; POST: postpone them with one
    reason."""
    disruption = _disruption(request, pk)
    _require_manage(request, disruption)
    errors: list[str] = []
    reason = ""
    chosen: list[int] | None = None
    if request.method == "POST":
        chosen = _chosen_ids(request)
        reason = request.POST.get("reason", "")
        try:
            # What is ticked is what is postponed: online events too, if someone ticked them.
            postponed = emergency_services.postpone_in_bulk(
                disruption, user=request.user, reason=reason, event_ids=chosen, keep_online=False
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
            return redirect(disruption.get_absolute_url())
    context = {
        "disruption": disruption,
        "rows": emergency_selectors.postpone_preview(disruption, chosen),
        "reason": reason,
        "errors": errors,
    }
    return render(
        request, "events/disruption_postpone.html", context, status=400 if errors else 200
    )


@login_required
def disruption_lift(request: HttpRequest, pk: int) -> HttpResponse:
    disruption = _disruption(request, pk)
    _require_manage(request, disruption)
    form = LiftForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            updated = emergency_services.disruption_lift(
                disruption, user=request.user, lifted_on=form.cleaned_data["lifted_on"]
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
            return redirect("events:disruption_reschedule", pk=disruption.pk)
    context = {
        "form": form,
        "title": _("Lift: %(title)s") % {"title": disruption.title},
        "cancel_url": disruption.get_absolute_url(),
    }
    return render(request, "core/form.html", context, status=400 if form.errors else 200)


@login_required
def disruption_reschedule(request: HttpRequest, pk: int) -> HttpResponse:
    """The assistant's proposals; each organizer (or the project office) confirms or changes
    the dates of its own events."""
    disruption = _disruption(request, pk)
    failed: dict[int, RescheduleForm] = {}
    if request.method == "POST":
        event = get_visible(
            Event.objects.filter(disruption=disruption).select_related("disruption", "territory"),
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
                return redirect("events:disruption_reschedule", pk=disruption.pk)
        failed[event.pk] = form
    proposals = emergency_selectors.propose_new_dates(disruption) if disruption.lifted_on else []
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
    context = {"disruption": disruption, "rows": rows}
    return render(
        request, "events/disruption_reschedule.html", context, status=400 if failed else 200
    )
