"""The one way a registry write happens: validate fully, save atomically, stay in scope."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from kense.core.history import audit_as
from kense.core.models import Comment
from kense.core.permissions import Action, can, can_add, restrict
from kense.core.revisions import check_revision

if TYPE_CHECKING:
    from kense.core.permissions import Account

M = TypeVar("M", bound=models.Model)


@transaction.atomic
def save_in_scope(
    instance: M,
    *,
    user: Account,
    m2m: dict[str, Iterable[Any]] | None = None,
    after_save: Callable[[M], None] | None = None,
) -> M:
    """Validate, save and audit `instance` as `user`; refuse (and roll back) a result outside
    the user's change scope, so nobody can create or move an object where they may not write.

    `m2m` sets many-to-many links to what the user chose among what they can see; the links
    to objects they cannot see are kept. Raises ValidationError for bad input (nothing is
    saved), StaleRevision (a ValidationError) when the save started from an older revision
    than the object's (`kense.core.revisions.expect_revision`) and PermissionDenied for scope.
    """
    creating = instance.pk is None
    if creating and not can_add(user, type(instance)):
        raise PermissionDenied
    check_revision(instance)
    audit_as(instance, user)
    instance.full_clean()
    instance.save()
    for name, values in (m2m or {}).items():
        related = getattr(instance, name)
        # The form and the API offer only what the user can see; links to what they cannot
        # (a co-executor in another district) were not shown, so they stay as they were.
        unseen = (
            [] if creating else list(related.exclude(pk__in=restrict(related, user).values("pk")))
        )
        related.set([*values, *unseen])
    if after_save is not None:
        after_save(instance)
    if not can(user, Action.CHANGE, instance):
        raise PermissionDenied
    return instance


@transaction.atomic
def version_restore(obj: models.Model, *, history_id: int, user: Account) -> models.Model:
    """Bring back an earlier version of `obj` as a new change (the past is never rewritten).

    Only administrators restore; derived fields (tree paths, search text) are recomputed.
    """
    if getattr(obj, "is_locked", False):
        raise ValidationError(_("It is locked: an approved record is changed only by amendment."))
    # simple-history adds `history` to the models it audits at run time: unknown to the type.
    record = obj.history.get(history_id=history_id)  # type: ignore[attr-defined]
    restored: models.Model = record.instance
    restored._state.adding = False  # the same row, not a new object with a taken id
    for name in ("path", "depth"):
        if hasattr(obj, name):
            setattr(restored, name, getattr(obj, name))
    # Language-neutral: "restored from version N".
    audit_as(restored, user, reason=f"↺ #{history_id}")
    return save_in_scope(restored, user=user)


@transaction.atomic
def comment_add(obj: models.Model, *, text: str, user: Account) -> Comment:
    """Add a comment to a registry object (the caller checked the COMMENT permission)."""
    comment = Comment(target=obj, text=text, author=user)
    comment.full_clean()
    comment.save()
    return comment
