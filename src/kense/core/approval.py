"""One approval workflow for what a territory or an organization drafts and the project office
approves: a work plan (`kense.events`), a periodic report (`kense.indicators`).

    draft, returned  ──submit──▶  submitted
    submitted        ──approve──▶ approved
    submitted        ──return───▶ returned (with comments)
    approved         ──amend────▶ draft (only where the workflow amends)

The rules are the same for everything that declares a `Workflow`:

- It is changed (and submitted) only while it is a draft or has been returned, by whoever may
  change it (its `Action.CHANGE` scope).
- A submitted one is approved or returned by a role among the workflow's approver roles (the
  project office and the administrator) that may change it: within its own scope. The
  submitter is not barred from approving: the project office enters and approves plans and
  reports of territories that have no coordinator, and its approval is what the role
  separation is for (see docs/decisions.md).
- It is returned only with comments, which stay on it until the next return or amendment.
- An approved one is final, unless the workflow amends: then whoever may change it reopens it
  as a draft (a plan's next version) and the hook says what else changes.

Every step runs in one transaction, reads the row again under a lock (SELECT … FOR UPDATE)
and checks the state there: of two reviewers clicking at once, the second waits for the first
and is then refused with the state's message, instead of approving twice. Each step records
who and when (submitted_at; approved_at and approved_by; the comments) and saves with the
acting user on its history row (django-simple-history). A step the state does not allow raises
ValidationError with a translated message; a user who may not take it, PermissionDenied.

What is specific stays with the thing, as hooks: a plan freezes its items as a version when it
is submitted and opens the next version when amended; a report checks its values are complete
before it is submitted and its values' statuses follow its own.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from enum import StrEnum
from typing import TYPE_CHECKING, Generic, Protocol, TypeVar, cast

from django.core.exceptions import (
    FieldDoesNotExist,
    ImproperlyConfigured,
    PermissionDenied,
    ValidationError,
)
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kense.core.history import audit_as
from kense.core.permissions import Action, Actor, Role, can, scope_of

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from kense.core.permissions import Account

M = TypeVar("M", bound=models.Model)


class State(StrEnum):
    """The statuses a model in the workflow stores (its own TextChoices name them for people
    and for the API)."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    RETURNED = "returned"


EDITABLE = frozenset({State.DRAFT, State.RETURNED})
APPROVER_ROLES = frozenset({Role.PROJECT_OFFICE, Role.ADMINISTRATOR})
# The fields every model in the workflow has, with these names.
FIELDS = ("status", "comment", "submitted_at", "approved_at", "approved_by")
COMMENT_MAX_LENGTH = 5000

COMMENTS_REQUIRED = _("Say what to correct: the comments are required.")
COMMENTS_TOO_LONG = _("The comments are too long: 5000 characters at most.")


class Reviewed(Protocol):
    """The FIELDS of a model in the workflow, as the steps read and write them (a Workflow
    refuses to be declared for a model that lacks one)."""

    status: str
    comment: str
    submitted_at: datetime.datetime | None
    approved_at: datetime.datetime | None
    approved_by: Account | None


def _reviewed(record: models.Model) -> Reviewed:
    return cast(Reviewed, record)


class Workflow(Generic[M]):
    """The approval workflow of one model, declared once by its services module.

    `not_editable` refuses a change or a submission that is no longer a draft;
    `not_submitted` an approval or a return of what is not submitted. `before_submit(obj,
    user)` runs under the lock once the step is allowed, and may refuse it (ValidationError)
    or freeze what is submitted; `on_status(obj, user)` runs after every status is saved.
    With `on_amend(obj, user)` (returning the names of the other fields it changed) and
    `not_approved`, an approved one may be amended back to a draft.
    """

    def __init__(
        self,
        model: type[M],
        *,
        not_editable: StrOrPromise,
        not_submitted: StrOrPromise,
        approver_roles: Iterable[str] = APPROVER_ROLES,
        before_submit: Callable[[M, Account], None] | None = None,
        on_status: Callable[[M, Account], None] | None = None,
        on_amend: Callable[[M, Account], Iterable[str]] | None = None,
        not_approved: StrOrPromise | None = None,
    ) -> None:
        missing = [name for name in FIELDS if not _has_field(model, name)]
        if missing:
            raise ImproperlyConfigured(f"{model.__name__} lacks {', '.join(missing)}")
        status = model._meta.get_field("status")
        statuses = {value for value, _label in getattr(status, "choices", None) or []}
        if statuses != set(State):
            raise ImproperlyConfigured(f"{model.__name__}.status is not {sorted(State)}")
        if (on_amend is None) != (not_approved is None):
            raise ImproperlyConfigured("An amended workflow says how and when it is refused.")
        self.model = model
        self.approver_roles = frozenset(approver_roles)
        self.not_editable = not_editable
        self.not_submitted = not_submitted
        self.not_approved = not_approved
        self.before_submit = before_submit
        self.on_status = on_status
        self.on_amend = on_amend

    # What the state allows, and who may

    def is_editable(self, obj: M) -> bool:
        return getattr(obj, "status", None) in EDITABLE

    def is_submitted(self, obj: M) -> bool:
        return getattr(obj, "status", None) == State.SUBMITTED

    def is_amendable(self, obj: M) -> bool:
        """Approved, and the workflow amends."""
        return self.on_amend is not None and getattr(obj, "status", None) == State.APPROVED

    def may_change(self, user: Actor, obj: M) -> bool:
        return can(user, Action.CHANGE, obj)

    def may_approve(self, user: Actor, obj: M) -> bool:
        """An approver role within its own scope (whatever the state)."""
        return scope_of(user).role in self.approver_roles and can(user, Action.CHANGE, obj)

    def may_review(self, user: Actor, obj: M) -> bool:
        """Submitted, and the user may approve or return it."""
        return self.is_submitted(obj) and self.may_approve(user, obj)

    def require_change(self, user: Actor, obj: M) -> None:
        if not self.may_change(user, obj):
            raise PermissionDenied

    def require_editable(self, obj: M) -> None:
        if not self.is_editable(obj):
            raise ValidationError(self.not_editable)

    # The steps

    def submit(self, obj: M, *, user: Account) -> M:
        """Send a draft or returned one to the approvers; `before_submit` may refuse."""
        with transaction.atomic():
            record = self._locked(obj)
            self.require_change(user, record)
            self.require_editable(record)
            if self.before_submit is not None:
                self.before_submit(record, user)
            _reviewed(record).submitted_at = timezone.now()
            self._save(record, user, State.SUBMITTED, ["submitted_at"])
        return record

    def approve(self, obj: M, *, user: Account) -> M:
        """Approve a submitted one (an approver only), recording who and when."""
        with transaction.atomic():
            record = self._locked(obj)
            self._require_review(user, record)
            _reviewed(record).approved_at = timezone.now()
            _reviewed(record).approved_by = user
            self._save(record, user, State.APPROVED, ["approved_at", "approved_by"])
        return record

    def return_(self, obj: M, *, user: Account, comment: str) -> M:
        """Return a submitted one with the approver's comments, which are required; it is
        editable again, and submitted again when corrected."""
        with transaction.atomic():
            record = self._locked(obj)
            self._require_review(user, record)
            comment = (comment or "").strip()
            if not comment:
                raise ValidationError({"comment": COMMENTS_REQUIRED})
            if len(comment) > COMMENT_MAX_LENGTH:
                raise ValidationError({"comment": COMMENTS_TOO_LONG})
            _reviewed(record).comment = comment
            self._save(record, user, State.RETURNED, ["comment"])
        return record

    def amend(self, obj: M, *, user: Account) -> M:
        """Reopen an approved one as a draft (whoever may change it), its comments cleared;
        the workflow's `on_amend` hook says what else changes."""
        if self.on_amend is None or self.not_approved is None:
            raise TypeError(f"{self.model.__name__} is not amended")
        with transaction.atomic():
            record = self._locked(obj)
            self.require_change(user, record)
            if _reviewed(record).status != State.APPROVED:
                raise ValidationError(self.not_approved)
            _reviewed(record).comment = ""
            fields = list(self.on_amend(record, user))
            self._save(record, user, State.DRAFT, ["comment", *fields])
        return record

    # Helpers

    def _locked(self, obj: M) -> M:
        # The row alone, without joins: FOR UPDATE locks every joined row too (a report's
        # form, say), and every report on that form would wait for this one.
        return self.model._default_manager.select_for_update().get(pk=obj.pk)

    def _require_review(self, user: Actor, record: M) -> None:
        if not self.may_approve(user, record):
            raise PermissionDenied
        if _reviewed(record).status != State.SUBMITTED:
            raise ValidationError(self.not_submitted)

    def _save(self, record: M, user: Account, state: State, fields: list[str]) -> None:
        _reviewed(record).status = state.value
        audit_as(record, user)
        record.save(update_fields=["status", *fields])
        if self.on_status is not None:
            self.on_status(record, user)


def _has_field(model: type[models.Model], name: str) -> bool:
    try:
        model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return True
