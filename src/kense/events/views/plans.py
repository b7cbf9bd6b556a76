"""Work plan pages: parse, call a selector or a service, render."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from kense.accounts.auth import AuthenticatedRequest
from kense.core.excel import ImportFileError, ImportForm, RowError
from kense.core.forms import (
    ReturnForm,
    apply_transition,
    attach_errors,
    handle_form,
    return_with_comments,
)
from kense.core.lists import Column, ListSpec, localized_name, render_list
from kense.core.permissions import Action, can, can_add, get_visible, require, require_add
from kense.core.views import audit_context
from kense.events import imports
from kense.events.filters import PlanFilters
from kense.events.forms.plans import PlanForm, PlanItemForm
from kense.events.models import PlanItem, PlanVersion, WorkPlan
from kense.events.selectors import plans as plan_selectors
from kense.events.services import plans as plan_services
from kense.programs.models import Project
from kense.registry.models import Organization

# Helpers


def _plan(request: AuthenticatedRequest, pk: int) -> WorkPlan:
    return get_visible(
        WorkPlan.objects.select_related("territory", "organization", "approved_by"),
        request.user,
        pk=pk,
    )


def _editable_plan(request: AuthenticatedRequest, pk: int) -> WorkPlan:
    plan = _plan(request, pk)
    require(request.user, Action.CHANGE, plan)
    return plan


def _period(plan: WorkPlan) -> str:
    if plan.quarter:
        return str(
            _("%(year)s, quarter %(quarter)s") % {"year": plan.year, "quarter": plan.quarter}
        )
    return str(plan.year)


# Pages


@login_required
def plan_list(request: AuthenticatedRequest) -> HttpResponse:
    spec = ListSpec(
        title=_("Work plans"),
        columns=[
            Column(_("Title"), lambda p: p.title, link=True),
            Column(_("Territory"), lambda p: p.territory),
            Column(_("Organization"), lambda p: p.organization),
            Column(_("Period"), _period),
            Column(_("Status"), lambda p: p.get_status_display()),
            Column(_("Version"), lambda p: p.version, numeric=True),
        ],
        rows=plan_selectors.plan_list,
        filters=PlanFilters,
        export_name="work-plans",
        add_url=reverse("events:plan_add") if can_add(request.user, WorkPlan) else None,
    )
    return render_list(request, spec)


@login_required
def plan_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    context = audit_context(request, plan)
    may_change = context["can_change"]
    items = list(plan.items.select_related("responsible", "project").order_by("order", "pk"))
    versions = list(plan.versions.only("pk", "number", "created_at", "plan_id"))
    context.update(
        {
            "plan": plan,
            "period": _period(plan),
            "items": items,
            "versions": versions,
            "fact": plan_selectors.plan_against_fact(plan, user=request.user),
            "can_edit_items": may_change and plan_services.is_editable(plan),
            "can_submit": may_change and plan_services.is_editable(plan),
            "can_review": plan_services.APPROVAL.may_review(request.user, plan),
            "can_amend": may_change and plan_services.APPROVAL.is_amendable(plan),
            "return_form": ReturnForm(),
        }
    )
    return render(request, "events/plan_detail.html", context)


@login_required
def plan_edit(request: AuthenticatedRequest, pk: int | None = None) -> HttpResponse:
    if pk is None:
        require_add(request.user, WorkPlan)
        plan = WorkPlan(territory=request.user.territory)
    else:
        plan = _editable_plan(request, pk)
    form = PlanForm(request.POST or None, instance=plan, user=request.user)
    return handle_form(
        request,
        form,
        lambda form: plan_services.plan_save(form.instance, user=request.user),
        title=_("Edit work plan") if pk else _("New work plan"),
        cancel_url=plan.get_absolute_url() if pk else reverse("events:plan_list"),
        template="events/plan_form.html",
        extra={"plan": plan if pk else None},
    )


@login_required
def plan_item_edit(
    request: AuthenticatedRequest, pk: int, item_pk: int | None = None
) -> HttpResponse:
    plan = _editable_plan(request, pk)
    item = PlanItem(plan=plan) if item_pk is None else get_item(plan, item_pk)
    form = PlanItemForm(request.POST or None, instance=item, user=request.user)

    def save(form: PlanItemForm) -> WorkPlan:
        plan_services.plan_item_save(form.instance, user=request.user)
        return plan

    return handle_form(
        request,
        form,
        save,
        title=_("Edit plan item") if item_pk else _("New plan item"),
        cancel_url=plan.get_absolute_url(),
        template="events/plan_form.html",
        extra={"plan": plan},
    )


def get_item(plan: WorkPlan, item_pk: int) -> PlanItem:
    """An item of a plan already reached through the user's scope, or 404."""
    return get_object_or_404(PlanItem, plan=plan, pk=item_pk)


@login_required
@require_POST
def plan_item_delete(request: AuthenticatedRequest, pk: int, item_pk: int) -> HttpResponse:
    plan = _editable_plan(request, pk)
    item = get_item(plan, item_pk)
    try:
        plan_services.plan_item_delete(item, user=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The item was removed."))
    return redirect(plan.get_absolute_url())


@login_required
@require_POST
def plan_submit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return apply_transition(
        request,
        _plan(request, pk),
        plan_services.plan_submit,
        _("The plan was submitted to the project office."),
    )


@login_required
@require_POST
def plan_approve(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return apply_transition(
        request, _plan(request, pk), plan_services.plan_approve, _("The plan was approved.")
    )


@login_required
@require_POST
def plan_amend(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return apply_transition(
        request,
        _plan(request, pk),
        plan_services.plan_amend,
        _("The plan is a draft again: a new version was opened."),
    )


@login_required
def plan_return(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    return return_with_comments(
        request,
        plan,
        plan_services.plan_return,
        may=plan_services.may_approve,
        title=_("Return the plan with comments"),
        done=_("The plan was returned with comments."),
        template="events/plan_form.html",
        context={"plan": plan},
    )


@login_required
def plan_template(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    return imports.template_download(plan, user=request.user)


@login_required
def plan_upload(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    plan = _editable_plan(request, pk)
    if not plan_services.is_editable(plan) and request.method != "POST":
        # Nothing to upload into: say why on the plan's page (an unbound form takes no error).
        messages.error(request, plan_services.NOT_EDITABLE)
        return redirect(plan.get_absolute_url())
    posted = request.method == "POST"
    form = ImportForm(request.POST if posted else None, request.FILES if posted else None)
    row_errors: list[RowError] = []
    if not plan_services.is_editable(plan):
        form.add_error(None, plan_services.NOT_EDITABLE)
    elif posted and form.is_valid():
        try:
            rows = imports.read_plan_file(form.cleaned_data["file"], plan)
        except ImportFileError as error:
            form.add_error("file", error.problems)
        else:
            try:
                row_errors = imports.plan_import(plan, rows, user=request.user)
            except ValidationError as error:
                attach_errors(form, error)
            else:
                if not row_errors:
                    messages.success(request, str(imports.PLAN_KIND.success))
                    return redirect(plan.get_absolute_url())
    context = {
        "plan": plan,
        "form": form,
        "row_errors": row_errors,
        "columns": imports.PLAN_COLUMNS,
        "first_data_row": imports.FIRST_DATA_ROW,
        "title": _("Upload the plan from Excel"),
    }
    status = 400 if form.errors or row_errors else 200
    return render(request, "events/plan_upload.html", context, status=status)


def _localized_title(item: dict[str, Any]) -> str:
    """The item's title in the active language, falling back as the content does."""
    language = (get_language() or "kk")[:2]
    order = {"en": ["en", "ru", "kk"], "ru": ["ru", "kk"]}.get(language, ["kk", "ru"])
    return next((item[f"title_{code}"] for code in order if item.get(f"title_{code}")), "")


def _day(value: Any) -> Any:
    try:
        return datetime.date.fromisoformat(value)
    except (TypeError, ValueError):
        return value


def _diff_rows(diff: plan_selectors.PlanDiff) -> dict[str, Any]:
    """The diff with organizations and projects named: one query per kind."""
    items = [*diff.added, *diff.removed]
    for change in diff.changed:
        items += [change.before, change.after]
    organizations = dict(
        Organization.objects.filter(pk__in={i.get("responsible") for i in items})
        .annotate(label=localized_name())
        .values_list("pk", "label")
    )
    projects = dict(
        Project.objects.filter(pk__in={i.get("project") for i in items})
        .annotate(label=localized_name())
        .values_list("pk", "label")
    )

    def named(item: dict[str, Any]) -> dict[str, Any]:
        """The item as people read it: names, dates, the title in the active language."""
        return {
            **item,
            "title": _localized_title(item),
            "is_event": _("event") if item.get("is_event") else _("action"),
            "responsible": organizations.get(item.get("responsible") or 0, "—"),
            "project": projects.get(item.get("project") or 0, "—"),
            "start": _day(item.get("start")),
            "end": _day(item.get("end")),
        }

    labels = {
        "order": _("No."),
        "title_kk": _("Title in Kazakh"),
        "title_ru": _("Title in Russian"),
        "title_en": _("Title in English"),
        "is_event": _("An event"),
        "responsible": _("Responsible"),
        "start": _("From"),
        "end": _("To"),
        "project": _("Special project"),
    }
    changed = []
    for change in diff.changed:
        before, after = named(change.before), named(change.after)
        changed.append(
            {
                "title": after["title"],
                "fields": [
                    (labels[name], before.get(name), after.get(name)) for name in change.fields
                ],
            }
        )
    return {
        "added": [named(item) for item in diff.added],
        "removed": [named(item) for item in diff.removed],
        "changed": changed,
    }


@login_required
def plan_versions(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Two versions side by side: by default the last frozen one against the current items
    (a draft being amended) or the one before it."""
    plan = _plan(request, pk)
    versions = list(plan.versions.order_by("number"))
    by_number = {str(version.number): version for version in versions}
    current = "current"
    choices = [*by_number, current]
    new_key = request.GET.get("new") or (current if plan_services.is_editable(plan) else "")
    if new_key not in choices:
        new_key = str(versions[-1].number) if versions else current
    old_key = request.GET.get("old") or ""
    if old_key not in by_number:
        older = [v for v in versions if new_key == current or v.number < int(new_key)]
        old_key = str(older[-1].number) if older else ""
    diff = None
    if old_key:
        new: PlanVersion | list[dict[str, Any]]
        new = plan_selectors.plan_snapshot(plan) if new_key == current else by_number[new_key]
        diff = _diff_rows(plan_selectors.plan_diff(by_number[old_key], new))
    context = {
        "plan": plan,
        "versions": versions,
        "choices": choices,
        "old": old_key,
        "new": new_key,
        "diff": diff,
        "can_change": can(request.user, Action.CHANGE, plan),
    }
    return render(request, "events/plan_versions.html", context)
