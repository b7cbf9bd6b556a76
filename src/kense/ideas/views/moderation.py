"""The project office's moderation of residents' ideas, inside Kense: the queue and its acts.
Parse, call kense.ideas.moderation or services, render."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from kense.accounts.auth import AuthenticatedRequest
from kense.core.forms import attach_errors
from kense.core.permissions import get_visible
from kense.ideas import moderation, selectors, services
from kense.ideas.forms.moderation import QueueFilterForm, ReasonForm, RedactForm
from kense.ideas.models import Idea

PER_PAGE = 50


def _idea(request: AuthenticatedRequest, pk: int) -> Idea:
    return get_visible(Idea.objects.select_related(*selectors.RELATED), request.user, pk=pk)


def _back(request: AuthenticatedRequest) -> HttpResponse:
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("ideas:moderation")
    return redirect(target)


@login_required
def queue(request: AuthenticatedRequest) -> HttpResponse:
    """The residents' ideas of the office's territory, oldest waiting first, with the acts."""
    if not moderation.may_moderate(request.user):
        raise PermissionDenied
    form = QueueFilterForm(request.GET or None)
    status, shown = "", ""
    if form.is_valid():
        status, shown = form.cleaned_data["status"], form.cleaned_data["shown"]
    ideas = moderation.moderation_queue(
        request.user, status=status, hidden={"hidden": True, "shown": False}.get(shown)
    )
    page = Paginator(ideas, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "ideas/moderation.html",
        {"filter_form": form, "page": page, "query": request.GET.urlencode()},
    )


def _act(
    request: AuthenticatedRequest, pk: int, act: Callable[[Idea, str], Any], done: Any
) -> HttpResponse:
    idea = _idea(request, pk)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        act(idea, reason)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return _back(request)


@login_required
@require_POST
def idea_hide(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        lambda idea, reason: moderation.idea_hide(idea, user=request.user, reason=reason),
        _("The idea is hidden from the open pages."),
    )


@login_required
@require_POST
def idea_unhide(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        lambda idea, reason: moderation.idea_unhide(idea, user=request.user, reason=reason),
        _("The idea is shown on the open pages again."),
    )


@login_required
@require_POST
def address_block(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        lambda idea, reason: moderation.address_block(idea, user=request.user, reason=reason),
        _("The address is blocked."),
    )


@login_required
@require_POST
def idea_review(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    idea = _idea(request, pk)
    try:
        services.idea_review(idea, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The idea is taken into review."))
    return _back(request)


@login_required
def idea_redact(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Edit personal data out of a resident's idea (its title and text, history included)."""
    idea = _idea(request, pk)
    moderation.require_moderator(request.user, idea)
    form = RedactForm(
        request.POST or None, initial={"title": idea.title, "description": idea.description}
    )
    if request.method == "POST" and form.is_valid():
        try:
            moderation.idea_redact(idea, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("The personal data is edited out."))
            return redirect("ideas:moderation")
    return render(
        request,
        "ideas/redact.html",
        {"form": form, "idea": idea},
        status=400 if form.errors else 200,
    )
