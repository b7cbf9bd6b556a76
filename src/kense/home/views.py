"""The pages every user starts from: the home (what needs the user now), the one search box,
and the choices a searchable select offers (`kense.core.forms.SearchSelect`)."""

from __future__ import annotations

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


def _choice_sources() -> dict[str, tuple[QuerySet[Any], Combinable]]:
    """What SearchSelect widgets search: name → (queryset, order)."""
    return {
        "organizations": (Organization.objects.all(), kazakh_order()),
        "people": (Person.objects.all(), kazakh_order("surname")),
        "meetings": (Meeting.objects.all(), F("start").desc()),
        "projects": (Project.objects.all(), kazakh_order()),
        "territories": (Territory.objects.all(), F("path")),
    }


CHOICES_SHOWN = 30


@login_required
def choices(request: AuthenticatedRequest, source: str) -> HttpResponse:
    """The <option>s of a SearchSelect: the user's matches for ?choice_search=, at most
    CHOICES_SHOWN, in order; with no text, the first ones."""
    sources = _choice_sources()
    text = request.GET.get("choice_search", "").strip()[:200]
    if source == "controllers":
        # Accounts have no scope of their own: the controllers of the assignments the user
        # sees (as the filter offers them), found by their person's names.
        queryset: QuerySet[Any] = controllers_seen(request.user)
        if text:
            queryset = queryset.filter(person__in=search_filter(Person.objects.all(), text))
        found = list(queryset[: CHOICES_SHOWN + 1])
    elif source in sources:
        rows, order = sources[source]
        queryset = restrict(rows, request.user)
        if text:
            queryset = search_filter(queryset, text)
        found = list(queryset.order_by(order, "pk")[: CHOICES_SHOWN + 1])
    else:
        raise Http404
    context = {"found": found[:CHOICES_SHOWN], "more": len(found) > CHOICES_SHOWN}
    return render(request, "home/choices.html", context)


@login_required
@read_from_replica
def search(request: AuthenticatedRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:200]
    groups = selectors.search(request.user, query) if query else []
    return render(request, "home/search.html", {"search_query": query, "groups": groups})
