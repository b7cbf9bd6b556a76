"""What every audited object shares in the API, as on its page: its history of changes, the
administrator's restore of an earlier version, and comments.

An object is named by its type, `<app>.<model>` (`programs.project`, `assignments.assignment`),
and its id; the same checks as the pages' (kense.core.views) apply: 404 for what the caller
cannot see, 403 for a restore by anyone but the administrator or a comment without the right.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import Http404, HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Field, Router, Schema, Status

from kense.core.api import LARGEST_ID, READ_ERRORS, WRITE_ERRORS
from kense.core.history import audited_object, history_entries
from kense.core.models import Comment
from kense.core.permissions import Action, require, scope_of
from kense.core.services import comment_add, version_restore
from kense.core.views import page_of

router = Router(tags=["history"])

COMMENT_EMPTY = _("The comment is empty.")
COMMENT_TOO_LONG = _("The comment is too long (at most 5000 characters).")
HISTORY_LIMIT = 200


def _user(request: HttpRequest) -> Any:
    return request.auth  # type: ignore[attr-defined]


def _model(object_type: str) -> type[models.Model] | None:
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def _object(request: HttpRequest, object_type: str, object_id: int) -> models.Model:
    if not 0 < object_id <= LARGEST_ID:
        raise Http404
    return audited_object(_model(object_type), _user(request), object_id)


class HistoryChangeOut(Schema):
    field: str = Field(description="The field's name, as in the object's own schema.")
    label: str = Field(description="The field's name for people, in the request's language.")
    old: str | None
    new: str | None


class HistoryEntryOut(Schema):
    history_id: int = Field(description="The revision: the ETag of the object after this change.")
    date: datetime.datetime
    user: str | None = Field(description="Who made the change; null for the system (the worker).")
    kind: str = Field(description="created, changed or deleted, in the request's language.")
    reason: str = Field(description="Why, where the change says (an import, a restore…).")
    changes: list[HistoryChangeOut]


class CommentOut(Schema):
    id: int
    author: str
    text: str
    created_at: datetime.datetime


class CommentIn(Schema):
    text: str


def _text(value: Any) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return str(value)


def history_out(obj: models.Model) -> list[dict[str, Any]]:
    """An audited object's history as the API answers it (HistoryEntryOut): every reader of a
    history in the API (this one, an account's) says it the same way."""
    return [
        {
            "history_id": entry.history_id,
            "date": entry.date,
            "user": None if entry.user is None else str(entry.user),
            "kind": entry.kind,
            "reason": entry.reason,
            "changes": [
                {
                    "field": change.name,
                    "label": str(change.label),
                    "old": _text(change.old),
                    "new": _text(change.new),
                }
                for change in entry.changes
            ],
        }
        for entry in history_entries(obj, limit=HISTORY_LIMIT)
    ]


@router.get(
    "/history/{object_type}/{object_id}",
    response={200: list[HistoryEntryOut], **READ_ERRORS},
)
def get_history(request: HttpRequest, object_type: str, object_id: int) -> list[dict[str, Any]]:
    """The object's versions, newest first (at most 200), each with what it changed."""
    return history_out(_object(request, object_type, object_id))


@router.post(
    "/history/{object_type}/{object_id}/{history_id}/restore",
    response={200: list[HistoryEntryOut], **WRITE_ERRORS},
)
def restore_object_version(
    request: HttpRequest, object_type: str, object_id: int, history_id: int
) -> list[dict[str, Any]]:
    """Bring back an earlier version as a new change (administrators only; the restore is
    itself kept in the history). Answers the history after the restore."""
    obj = _object(request, object_type, object_id)
    if not scope_of(_user(request)).is_admin:
        raise PermissionDenied
    page_of(obj)  # an object without a page of its own is restored through its parent's
    if not obj.history.filter(history_id=history_id).exists():  # type: ignore[attr-defined]
        raise Http404
    version_restore(obj, history_id=history_id, user=_user(request))
    return get_history(request, object_type, object_id)


def _commented(request: HttpRequest, object_type: str, object_id: int) -> models.Model:
    obj = _object(request, object_type, object_id)
    page_of(obj)  # comments live on objects with a page
    return obj


@router.get(
    "/comments/{object_type}/{object_id}",
    response={200: list[CommentOut], **READ_ERRORS},
)
def list_comments(request: HttpRequest, object_type: str, object_id: int) -> list[dict[str, Any]]:
    obj = _commented(request, object_type, object_id)
    comments = Comment.objects.filter(
        content_type__app_label=obj._meta.app_label,
        content_type__model=obj._meta.model_name,
        object_id=obj.pk,
    ).select_related("author__person")
    return [
        {"id": c.pk, "author": str(c.author), "text": c.text, "created_at": c.created_at}
        for c in comments
    ]


@router.post(
    "/comments/{object_type}/{object_id}",
    response={201: CommentOut, **WRITE_ERRORS},
)
def add_object_comment(
    request: HttpRequest, object_type: str, object_id: int, payload: CommentIn
) -> Status[dict[str, Any]]:
    obj = _object(request, object_type, object_id)
    require(_user(request), Action.COMMENT, obj)
    page_of(obj)  # comments live on objects with a page
    text = payload.text.strip()
    if not text:
        raise ValidationError({"text": COMMENT_EMPTY})
    if len(text) > Comment.TEXT_MAX_LENGTH:
        raise ValidationError({"text": COMMENT_TOO_LONG})
    comment = comment_add(obj, text=text, user=_user(request))
    return Status(
        201,
        {
            "id": comment.pk,
            "author": str(comment.author),
            "text": comment.text,
            "created_at": comment.created_at,
        },
    )
