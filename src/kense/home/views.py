"""The pages every user starts from: the home (what needs the user now), the one search box,
and the choices a searchable select offers (`kense.core.forms.SearchSelect`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import F, QuerySet
from django.db.models.expressions import Combinable
from django.http import Http404, HttpResponse
from django.shortcuts import render

from kense.accounts.auth import AuthenticatedRequest
from kense.assignments.filters import controllers_seen
from kense.core.lists import kazakh_order
from kense.core.permissions import restrict
from kense.core.replica import read_from_replica
from kense.core.selectors import search_filter
from kense.home import selectors, today
from kense.meetings.models import Meeting
from kense.programs.models import Project
from kense.registry.models import Organization, Person, Territory


@login_required
def dashboard(request: AuthenticatedRequest) -> HttpResponse:
    """What needs the user now, by role (kense.home.today)."""
    return render(request, "home/dashboard.html", today.home(request.user))


@dataclass(frozen=True)
class ChoiceSource:
    """What a SearchSelect widget searches: the rows the user may pick, in order, and how the
    typed text narrows them (the one search box's matching by default)."""

    rows: Callable[[Any], QuerySet[Any]]
    narrowed: Callable[[QuerySet[Any], str], QuerySet[Any]] = search_filter


def _restricted(model: Any, order: Combinable) -> Callable[[Any], QuerySet[Any]]:
    return lambda user: restrict(model.objects.all(), user).order_by(order, "pk")


def _by_person(queryset: QuerySet[Any], text: str) -> QuerySet[Any]:
    # Accounts have no words of their own: found by their person's names.
    return queryset.filter(person__in=search_filter(Person.objects.all(), text))


def _choice_sources() -> dict[str, ChoiceSource]:
    return {
        "organizations": ChoiceSource(_restricted(Organization, kazakh_order())),
        "people": ChoiceSource(_restricted(Person, kazakh_order("surname"))),
        "meetings": ChoiceSource(_restricted(Meeting, F("start").desc())),
        "projects": ChoiceSource(_restricted(Project, kazakh_order())),
        "territories": ChoiceSource(_restricted(Territory, F("path"))),
        # Accounts have no scope of their own: the controllers of the assignments the user
        # sees, as the assignment list's filter offers them.
        "controllers": ChoiceSource(controllers_seen, _by_person),
    }


CHOICES_SHOWN = 30


@login_required
def choices(request: AuthenticatedRequest, source: str) -> HttpResponse:
    """The <option>s of a SearchSelect: the user's matches for ?choice_search=, at most
    CHOICES_SHOWN, in order; with no text, the first ones."""
    choice = _choice_sources().get(source)
    if choice is None:
        raise Http404
    queryset = choice.rows(request.user)
    text = request.GET.get("choice_search", "").strip()[:200]
    if text:
        queryset = choice.narrowed(queryset, text)
    found = list(queryset[: CHOICES_SHOWN + 1])
    context = {"found": found[:CHOICES_SHOWN], "more": len(found) > CHOICES_SHOWN}
    return render(request, "home/choices.html", context)


@login_required
@read_from_replica
def search(request: AuthenticatedRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:200]
    groups = selectors.search(request.user, query) if query else []
    return render(request, "home/search.html", {"search_query": query, "groups": groups})
