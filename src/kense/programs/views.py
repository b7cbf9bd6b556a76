"""Program pages: parse, call a selector or a service, render."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kense.accounts.auth import AuthenticatedRequest
from kense.core.forms import handle_form, object_for_edit
from kense.core.lists import Column, ListSpec, kazakh_order, render_list
from kense.core.models import Comment
from kense.core.permissions import Action, can, can_add, get_visible
from kense.core.views import audit_context
from kense.programs import selectors, services
from kense.programs.filters import ProgramFilters, ProjectFilters
from kense.programs.forms import DirectionForm, ProgramForm, ProjectForm
from kense.programs.models import Direction, Program, Project
from kense.public.selectors import project_trail


def comments_context(request: HttpRequest, obj: models.Model) -> dict[str, Any]:
    content_type = ContentType.objects.get_for_model(obj)
    return {
        "comments": list(
            Comment.objects.filter(content_type=content_type, object_id=obj.pk).select_related(
                "author__person"
            )
        ),
        "can_comment": can(request.user, Action.COMMENT, obj),
    }


@login_required
def program_list(request: AuthenticatedRequest) -> HttpResponse:
    spec = ListSpec(
        title=_("Programs"),
        columns=[
            Column(_("Name"), lambda p: p.name, link=True),
            Column(_("Status"), lambda p: p.get_status_display()),
            Column(_("Start"), lambda p: p.start),
            Column(_("End"), lambda p: p.end),
            Column(_("Lead responsible organization"), lambda p: p.lead_organization),
            Column(_("Projects"), lambda p: p.project_count, numeric=True),
        ],
        rows=selectors.program_list,
        filters=ProgramFilters,
        export_name="programs",
        add_url=reverse("programs:program_add") if can_add(request.user, Program) else None,
    )
    return render_list(request, spec)


@login_required
def program_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    program = get_visible(Program.objects.select_related("lead_organization"), request.user, pk=pk)
    projects = list(selectors.project_list(request.user).filter(program=program))
    context = {
        "program": program,
        "directions": selectors.directions_of(program),
        "projects": projects,
        "co_executors": list(program.co_executors.order_by(kazakh_order())),
        "can_add_project": can_add(request.user, Project),
        **comments_context(request, program),
        **audit_context(request, program),
    }
    return render(request, "programs/program_detail.html", context)


@login_required
def program_edit(request: AuthenticatedRequest, pk: int | None = None) -> HttpResponse:
    program = object_for_edit(request, Program, pk)
    form = ProgramForm(request.POST or None, instance=program, user=request.user)
    return handle_form(
        request,
        form,
        lambda form: services.program_save(
            form.instance, user=request.user, co_executors=form.cleaned_data["co_executors"]
        ),
        title=_("Edit program") if pk else _("New program"),
        cancel_url=program.get_absolute_url() if pk else reverse("programs:program_list"),
    )


@login_required
def direction_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    direction = get_visible(
        Direction.objects.select_related("program", "lead_organization"), request.user, pk=pk
    )
    context = {
        "direction": direction,
        "projects": list(selectors.project_list(request.user).filter(direction=direction)),
        **audit_context(request, direction),
    }
    return render(request, "programs/direction_detail.html", context)


@login_required
def direction_edit(request: AuthenticatedRequest, pk: int | None = None) -> HttpResponse:
    direction = object_for_edit(request, Direction, pk, prefill={"program": Program.objects})
    form = DirectionForm(request.POST or None, instance=direction, user=request.user)
    return handle_form(
        request,
        form,
        lambda form: services.direction_save(
            form.instance, user=request.user, co_executors=form.cleaned_data["co_executors"]
        ),
        title=_("Edit direction") if pk else _("New direction"),
        cancel_url=direction.get_absolute_url() if pk else reverse("programs:program_list"),
    )


def _origin_year(request: HttpRequest) -> int:
    """The year "new or continued" is told for: the filtered year, else this year."""
    year = request.GET.get("year", "")
    return int(year) if year.isdigit() and 1991 <= int(year) <= 2100 else timezone.localdate().year


ORIGIN_LABELS = {"new": _("new"), "continued": _("continued from earlier years")}


@login_required
def project_list(request: AuthenticatedRequest) -> HttpResponse:
    year = _origin_year(request)
    spec = ListSpec(
        title=_("Special projects"),
        columns=[
            Column(_("Name"), lambda p: p.name, link=True),
            Column(_("Program"), lambda p: p.program),
            Column(_("Direction"), lambda p: p.direction),
            Column(_("Status"), lambda p: p.get_status_display()),
            Column(_("Territory"), lambda p: p.territory),
            Column(_("Lead responsible organization"), lambda p: p.lead_organization),
            Column(_("Start"), lambda p: p.start),
            Column(_("End"), lambda p: p.end),
            Column(_("Budget, tenge"), lambda p: p.budget, numeric=True),
            Column(
                _("In %(year)s") % {"year": year},
                lambda p: ORIGIN_LABELS.get(p.origin_in(year) or "", "—"),
            ),
        ],
        rows=selectors.project_list,
        filters=ProjectFilters,
        export_name="projects",
        add_url=reverse("programs:project_add") if can_add(request.user, Project) else None,
    )
    return render_list(request, spec)


@login_required
def project_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    project = get_visible(
        Project.objects.select_related(
            "program", "direction", "parent", "territory", "lead_organization"
        ),
        request.user,
        pk=pk,
    )
    context = {
        "project": project,
        "parts": list(selectors.project_list(request.user).filter(parent=project)),
        "co_executors": list(project.co_executors.order_by(kazakh_order())),
        "trail": project_trail(project, today=timezone.localdate(), user=request.user),
        **comments_context(request, project),
        **audit_context(request, project),
    }
    return render(request, "programs/project_detail.html", context)


@login_required
def project_edit(request: AuthenticatedRequest, pk: int | None = None) -> HttpResponse:
    project = object_for_edit(
        request, Project, pk, prefill={"program": Program.objects}, territory=request.user.territory
    )
    form = ProjectForm(request.POST or None, instance=project, user=request.user)
    return handle_form(
        request,
        form,
        lambda form: services.project_save(
            form.instance, user=request.user, co_executors=form.cleaned_data["co_executors"]
        ),
        title=_("Edit project") if pk else _("New project"),
        cancel_url=project.get_absolute_url() if pk else reverse("programs:project_list"),
    )
