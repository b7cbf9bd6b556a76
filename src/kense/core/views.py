from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from kense.core import selectors
from kense.core.models import Comment
from kense.core.permissions import Action, get_visible, require, scope_of
from kense.core.services import comment_add, version_restore


def healthz(request: HttpRequest) -> HttpResponse:
    """200 when the database answers, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any database failure means unhealthy; the message is not leaked
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html", selectors.dashboard(request.user))


def _choice_sources() -> dict[str, tuple[Any, Any]]:
    """What SearchSelect widgets search: name → (queryset, order)."""
    from kense.core.lists import kazakh_order
    from kense.meetings.models import Meeting
    from kense.programs.models import Project
    from kense.registry.models import Organization, Territory

    return {
        "organizations": (Organization.objects.all(), kazakh_order()),
        "meetings": (Meeting.objects.all(), F("start").desc()),
        "projects": (Project.objects.all(), kazakh_order()),
        "territories": (Territory.objects.all(), F("path")),
    }


CHOICES_SHOWN = 30


@login_required
def choices(request: HttpRequest, source: str) -> HttpResponse:
    """The <option>s of a SearchSelect: the user's matches for ?choice_search=, at most
    CHOICES_SHOWN, in order; with no text, the first ones."""
    sources = _choice_sources()
    if source not in sources:
        raise Http404
    queryset, order = sources[source]
    queryset = queryset.restrict(request.user)
    text = request.GET.get("choice_search", "").strip()[:200]
    if text:
        queryset = selectors.search_filter(queryset, text)
    found = list(queryset.order_by(order, "pk")[: CHOICES_SHOWN + 1])
    context = {"found": found[:CHOICES_SHOWN], "more": len(found) > CHOICES_SHOWN}
    return render(request, "core/choices.html", context)


@login_required
def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:200]
    groups = selectors.search(request.user, query) if query else []
    return render(request, "core/search.html", {"search_query": query, "groups": groups})


def _audited_object(request: HttpRequest, content_type_id: int, pk: int) -> Any:
    content_type = get_object_or_404(ContentType, pk=content_type_id)
    model: Any = content_type.model_class()
    if model is None or not hasattr(model, "history") or not hasattr(model.objects, "restrict"):
        raise Http404
    return get_visible(model.objects, request.user, pk=pk)


@login_required
@require_POST
def restore_version(
    request: HttpRequest, content_type_id: int, pk: int, history_id: int
) -> HttpResponse:
    obj = _audited_object(request, content_type_id, pk)
    if not scope_of(request.user).is_admin:
        raise PermissionDenied
    try:
        version_restore(obj, history_id=history_id, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(obj.get_absolute_url())
    messages.success(
        request, _("The earlier version is restored; the restore is itself kept in the history.")
    )
    return redirect(obj.get_absolute_url())


@login_required
@require_POST
def add_comment(request: HttpRequest, content_type_id: int, pk: int) -> HttpResponse:
    obj = _audited_object(request, content_type_id, pk)
    require(request.user, Action.COMMENT, obj)
    text = request.POST.get("text", "").strip()
    if not text:
        messages.error(request, _("The comment is empty."))
    elif len(text) > Comment._meta.get_field("text").max_length:  # type: ignore[operator]
        messages.error(request, _("The comment is too long (at most 5000 characters)."))
    else:
        comment_add(obj, text=text, user=request.user)
        messages.success(request, _("Comment added."))
    return redirect(obj.get_absolute_url() + "#comments")
