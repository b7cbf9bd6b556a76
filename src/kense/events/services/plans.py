"""Writes of work plans (draft → submitted → approved or returned → amended), and who may
make them.

A plan's items are edited only while it is a draft or has been returned. Each submission
freezes the items into a `PlanVersion` (one per version number: a resubmission after a return
replaces the frozen copy of the same number, since nothing was approved in between). An
approved plan is changed only by amendment, which reopens it as a draft of the next version and
leaves the approved copy in place, so the differences stay visible
(`kense.events.selectors.plans` reads them).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kense.core.permissions import Action, Role, can, scope_of
from kense.core.services import save_in_scope
from kense.events.models import PlanItem, PlanStatus, PlanVersion, WorkPlan
from kense.events.selectors.plans import plan_snapshot

EDITABLE = (PlanStatus.DRAFT, PlanStatus.RETURNED)
APPROVER_ROLES = (Role.PROJECT_OFFICE, Role.ADMINISTRATOR)

NOT_EDITABLE = _("The plan is no longer a draft: amend it to change it.")


def is_editable(plan: WorkPlan) -> bool:
    return plan.status in EDITABLE


def may_approve(user: Any, plan: WorkPlan) -> bool:
    """Only the project office (or an administrator) approves or returns, within its scope."""
    return scope_of(user).role in APPROVER_ROLES and can(user, Action.CHANGE, plan)


def _require_change(user: Any, plan: WorkPlan) -> None:
    if not can(user, Action.CHANGE, plan):
        raise PermissionDenied


def _require_editable(plan: WorkPlan) -> None:
    if not is_editable(plan):
        raise ValidationError(NOT_EDITABLE)


def _save_state(plan: WorkPlan, user: Any, fields: list[str]) -> None:
    plan._history_user = user  # type: ignore[attr-defined]  # read by simple_history
    plan.save(update_fields=fields)


@transaction.atomic
def plan_save(plan: WorkPlan, *, user: Any) -> WorkPlan:
    """Create a draft plan, or change a draft or returned one, inside the user's scope."""
    if plan.pk is not None:
        stored = WorkPlan.objects.select_for_update().get(pk=plan.pk)
        _require_editable(stored)
        plan.status = stored.status
        plan.version = stored.version
    else:
        plan.status = PlanStatus.DRAFT
        plan.version = 1
    return save_in_scope(plan, user=user)


@transaction.atomic
def plan_item_save(item: PlanItem, *, user: Any) -> PlanItem:
    """Add or change an item of a draft or returned plan the user may change."""
    plan = WorkPlan.objects.select_for_update().get(pk=item.plan_id)
    _require_change(user, plan)
    _require_editable(plan)
    if item.pk is None and not item.order:
        item.order = (plan.items.count() or 0) + 1
    item._history_user = user  # type: ignore[attr-defined]
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def plan_item_delete(item: PlanItem, *, user: Any) -> None:
    """Remove an item of a draft or returned plan the user may change."""
    plan = WorkPlan.objects.select_for_update().get(pk=item.plan_id)
    _require_change(user, plan)
    _require_editable(plan)
    item._history_user = user  # type: ignore[attr-defined]
    item.delete()


@transaction.atomic
def plan_submit(plan: WorkPlan, *, user: Any) -> WorkPlan:
    """Send a draft or returned plan to the project office, freezing its items as the
    version of its number."""
    plan = WorkPlan.objects.select_for_update().get(pk=plan.pk)
    _require_change(user, plan)
    _require_editable(plan)
    items = plan_snapshot(plan)
    if not items:
        raise ValidationError(_("Add at least one item before submitting the plan."))
    PlanVersion.objects.update_or_create(
        plan=plan,
        number=plan.version,
        defaults={"items": items, "created_by": user, "created_at": timezone.now()},
    )
    plan.status = PlanStatus.SUBMITTED
    plan.submitted_at = timezone.now()
    _save_state(plan, user, ["status", "submitted_at"])
    return plan


def _require_submitted_and_approver(user: Any, plan: WorkPlan) -> None:
    if not may_approve(user, plan):
        raise PermissionDenied
    if plan.status != PlanStatus.SUBMITTED:
        raise ValidationError(_("Only a submitted plan can be approved or returned."))


@transaction.atomic
def plan_approve(plan: WorkPlan, *, user: Any) -> WorkPlan:
    """Approve a submitted plan (the project office only)."""
    plan = WorkPlan.objects.select_for_update().get(pk=plan.pk)
    _require_submitted_and_approver(user, plan)
    plan.status = PlanStatus.APPROVED
    plan.approved_at = timezone.now()
    plan.approved_by = user
    _save_state(plan, user, ["status", "approved_at", "approved_by"])
    return plan


@transaction.atomic
def plan_return(plan: WorkPlan, *, user: Any, comment: str) -> WorkPlan:
    """Return a submitted plan with the project office's comments (which are required)."""
    plan = WorkPlan.objects.select_for_update().get(pk=plan.pk)
    _require_submitted_and_approver(user, plan)
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": _("Say what to correct: the comments are required.")})
    plan.status = PlanStatus.RETURNED
    plan.comment = comment
    if len(comment) > 5000:
        raise ValidationError({"comment": _("The comments are too long: 5000 characters at most.")})
    _save_state(plan, user, ["status", "comment"])
    return plan


@transaction.atomic
def plan_amend(plan: WorkPlan, *, user: Any) -> WorkPlan:
    """Reopen an approved plan as a draft of the next version; the approved version stays
    frozen in PlanVersion to be compared with."""
    plan = WorkPlan.objects.select_for_update().get(pk=plan.pk)
    _require_change(user, plan)
    if plan.status != PlanStatus.APPROVED:
        raise ValidationError(_("Only an approved plan is amended."))
    plan.status = PlanStatus.DRAFT
    plan.version += 1
    plan.comment = ""
    _save_state(plan, user, ["status", "version", "comment"])
    return plan
