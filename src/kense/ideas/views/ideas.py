"""Idea pages: parse, call a selector or a service, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from kense.accounts.auth import AuthenticatedRequest
from kense.core.attachments import attachment_of, attachment_response, attachments_of
from kense.core.forms import attach_errors, handle_form
from kense.core.lists import Column, ListSpec, render_list
from kense.core.permissions import Action, can, get_visible, require
from kense.core.views import audit_context
from kense.ideas import moderation, selectors, services
from kense.ideas.filters import IdeaFilters, MyIdeaFilters
from kense.ideas.forms.ideas import AcceptForm, IdeaForm, MergeForm, RejectForm
from kense.ideas.models import OPEN_STATUSES, Idea
from kense.programs.models import Project


def _columns(*, proposer: bool) -> list[Column]:
    columns = [
        Column(_("Title"), lambda i: i.title, link=True),
        Column(_("Status"), lambda i: i.get_status_display()),
        Column(_("Territory"), lambda i: i.territory),
        Column(_("Program direction"), lambda i: i.direction),
        Column(_("Proposed"), lambda i: i.created_at),
    ]
    if proposer:
        columns.append(Column(_("Proposed by"), lambda i: i.proposed_by))
    columns.append(Column(_("Answer"), lambda i: i.answer))
    return columns


@login_required
def idea_list(request: AuthenticatedRequest) -> HttpResponse:
    """The ideas the user sees (the project office: all of its territory), with filters."""
    links = [(_("My ideas"), reverse("ideas:my_ideas"))]
    if moderation.may_moderate(request.user):
        links.append((_("Moderation of residents' ideas"), reverse("ideas:moderation")))
    spec = ListSpec(
        title=_("Ideas"),
        columns=_columns(proposer=True),
        rows=selectors.idea_list,
        filters=IdeaFilters,
        export_name="ideas",
        add_url=reverse("ideas:idea_propose"),
        links=links,
    )
    return render_list(request, spec)


@login_required
def my_ideas(request: AuthenticatedRequest) -> HttpResponse:
    spec = ListSpec(
        title=_("My ideas"),
        columns=_columns(proposer=False),
        rows=selectors.my_ideas,
        filters=MyIdeaFilters,
        export_name="my-ideas",
        add_url=reverse("ideas:idea_propose"),
    )
    return render_list(request, spec)


@login_required
def idea_propose(request: AuthenticatedRequest) -> HttpResponse:
    form = IdeaForm(request.POST or None, request.FILES or None, user=request.user)
    return handle_form(
        request,
        form,
        lambda form: services.idea_propose(
            user=request.user,
            title=form.cleaned_data["title"],
            description=form.cleaned_data["description"],
            territory=form.cleaned_data["territory"],
            direction=form.cleaned_data["direction"],
            uploads=form.cleaned_data["attachments"],
        ),
        title=_("Propose an idea"),
        cancel_url=reverse("ideas:my_ideas"),
        success_message=_("Thank you: the project office will evaluate your idea."),
    )


def _idea(request: AuthenticatedRequest, pk: int) -> Idea:
    return get_visible(Idea.objects.select_related(*selectors.RELATED), request.user, pk=pk)


def _detail(request: AuthenticatedRequest, idea: Idea, **forms: Any) -> HttpResponse:
    user = request.user
    evaluating = idea.status in OPEN_STATUSES and can(user, Action.CHANGE, idea)
    merged_into = idea.merged_into
    context = {
        "idea": idea,
        "attachments": attachments_of([idea])[idea],
        "evaluating": evaluating,
        # The proposer sees which idea theirs joined, even one they may not open.
        "merged_into_visible": merged_into is not None
        and Idea.objects.restrict(user).filter(pk=merged_into.pk).exists(),
        "project_visible": idea.accepted_project is not None
        and Project.objects.restrict(user).filter(pk=idea.accepted_project.pk).exists(),
        **audit_context(request, idea),
    }
    if evaluating:
        context["accept_form"] = forms.get("accept_form") or AcceptForm(user=user)
        context["reject_form"] = forms.get("reject_form") or RejectForm()
        context["merge_form"] = forms.get("merge_form") or MergeForm(user=user, idea=idea)
    status = 400 if any(form.errors for form in forms.values()) else 200
    return render(request, "ideas/idea_detail.html", context, status=status)


@login_required
def idea_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _detail(request, _idea(request, pk))


def _evaluate(
    request: AuthenticatedRequest, idea: Idea, form: Any, form_name: str, save: Any
) -> HttpResponse:
    if form.is_valid():
        try:
            save(form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("The idea is evaluated."))
            return redirect(idea.get_absolute_url())
    return _detail(request, idea, **{form_name: form})


@login_required
@require_POST
def idea_accept(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    idea = _idea(request, pk)
    form = AcceptForm(request.POST, user=request.user)
    return _evaluate(
        request,
        idea,
        form,
        "accept_form",
        lambda data: services.idea_accept(
            idea,
            user=request.user,
            project=data["project"],
            event=data["event"],
            new_project_of=data["new_project_program"],
            answer=data["answer"],
        ),
    )


@login_required
@require_POST
def idea_reject(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    idea = _idea(request, pk)
    form = RejectForm(request.POST)
    return _evaluate(
        request,
        idea,
        form,
        "reject_form",
        lambda data: services.idea_reject(idea, user=request.user, answer=data["answer"]),
    )


@login_required
@require_POST
def idea_merge(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    idea = _idea(request, pk)
    require(request.user, Action.CHANGE, idea)  # who may not evaluate learns nothing more
    form = MergeForm(request.POST, user=request.user, idea=idea)
    return _evaluate(
        request,
        idea,
        form,
        "merge_form",
        lambda data: services.idea_merge(
            idea, user=request.user, into=data["merged_into"], answer=data["answer"]
        ),
    )


@login_required
def idea_photo(request: AuthenticatedRequest, pk: int) -> FileResponse:
    """A resident's photo of an idea, to those who see the idea (hidden ones too)."""
    idea = _idea(request, pk)
    if not idea.photo:
        raise Http404
    response = FileResponse(idea.photo.open("rb"))
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def attachment_download(request: AuthenticatedRequest, pk: int, attachment_pk: int) -> FileResponse:
    """An idea's file, to those who see the idea."""
    idea = _idea(request, pk)
    return attachment_response(attachment_of(idea, attachment_pk))
