"""Pages and helpers every app shares: an object page's audit context, the add check, comments,
restoring an earlier version, and the health check."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, models, transaction
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from kense.core.forms import Linked
from kense.core.history import audited_object, history_entries
from kense.core.http import AuthenticatedRequest
from kense.core.models import Comment
from kense.core.permissions import Action, can, require, scope_of
from kense.core.services import comment_add, version_restore


def audit_context(request: HttpRequest, obj: models.Model) -> dict[str, Any]:
    """What every object page shows: may the user edit it, and its history."""
    return {
        "obj": obj,
        "can_change": can(request.user, Action.CHANGE, obj),
        "history": history_entries(obj),
        "content_type_id": ContentType.objects.get_for_model(obj).pk,
    }


def healthz(request: HttpRequest) -> HttpResponse:
    """200 when the database answers and takes writes; 503 when it does not answer, or answers
    read-only (a replica, a full disk, a file without write permission): Kense cannot work then.
    The write is an update that changes nothing, rolled back."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any database failure means unhealthy; the message is not leaked
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "UPDATE django_migrations SET app = app"
                " WHERE id = (SELECT MIN(id) FROM django_migrations)"
            )
            transaction.set_rollback(True)
    except Exception:
        return JsonResponse({"status": "error", "database": "read-only"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def _audited_object(request: AuthenticatedRequest, content_type_id: int, pk: int) -> models.Model:
    content_type = get_object_or_404(ContentType, pk=content_type_id)
    return audited_object(content_type.model_class(), request.user, pk)


def page_of(obj: models.Model) -> str:
    """The object's page, which comments and restores are made on and go back to; 404 for
    an object with history but no page of its own (a target, an appointment): it has neither
    comments nor restores (its changes are seen on its parent's page)."""
    if not hasattr(obj, "get_absolute_url"):
        raise Http404
    return cast(Linked, obj).get_absolute_url()


@login_required
@require_POST
def restore_version(
    request: AuthenticatedRequest, content_type_id: int, pk: int, history_id: int
) -> HttpResponse:
    obj = _audited_object(request, content_type_id, pk)
    if not scope_of(request.user).is_admin:
        raise PermissionDenied
    page = page_of(obj)
    try:
        version_restore(obj, history_id=history_id, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(page)
    messages.success(
        request, _("The earlier version is restored; the restore is itself kept in the history.")
    )
    return redirect(page)


@login_required
@require_POST
def add_comment(request: AuthenticatedRequest, content_type_id: int, pk: int) -> HttpResponse:
    obj = _audited_object(request, content_type_id, pk)
    require(request.user, Action.COMMENT, obj)
    page = page_of(obj)
    text = request.POST.get("text", "").strip()
    if not text:
        messages.error(request, _("The comment is empty."))
    elif len(text) > Comment.TEXT_MAX_LENGTH:
        messages.error(request, _("The comment is too long (at most 5000 characters)."))
    else:
        comment_add(obj, text=text, user=request.user)
        messages.success(request, _("Comment added."))
    return redirect(page + "#comments")
