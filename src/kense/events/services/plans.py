"""Writes of work plans (draft → submitted → approved or returned → amended), and who may
make them. The workflow is the one of `kense.core.approval`; what is a plan's own is here.

A plan's items are edited only while it is a draft or has been returned. Each submission
freezes the items into a `PlanVersion` (one per version number: a resubmission after a return
replaces the frozen copy of the same number, since nothing was approved in between). An
approved plan is changed only by amendment, which reopens it as a draft of the next version and
leaves the approved copy in place, so the differences stay visible
(`kense.events.selectors.plans` reads them).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import cast

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kense.accounts.models import User
from kense.core.approval import Workflow
from kense.core.permissions import Actor
from kense.core.revisions import check_revision
from kense.core.services import save_in_scope
from kense.events.models import PlanItem, PlanStatus, PlanVersion, WorkPlan
from kense.events.selectors.plans import plan_snapshot

NOT_EDITABLE = _("The plan is no longer a draft: amend it to change it.")


# The workflow's hooks: core's Workflow calls them back with the user our services gave it
# (always a User), which it knows only as an Actor.


def _freeze_items(plan: WorkPlan, user: Actor) -> None:
    """The items frozen as the version of the plan's number; a plan without items is not
    submitted."""
    items = plan_snapshot(plan)
    if not items:
        raise ValidationError(_("Add at least one item before submitting the plan."))
    PlanVersion.objects.update_or_create(
        plan=plan,
        number=plan.version,
        defaults={"items": items, "created_by": cast(User, user), "created_at": timezone.now()},
    )


def _open_next_version(plan: WorkPlan, user: Actor) -> Iterable[str]:
    plan.version += 1
    return ["version"]


APPROVAL: Workflow[WorkPlan] = Workflow(
    WorkPlan,
    not_editable=NOT_EDITABLE,
    not_submitted=_("Only a submitted plan can be approved or returned."),
    before_submit=_freeze_items,
    on_amend=_open_next_version,
    not_approved=_("Only an approved plan is amended."),
)


def is_editable(plan: WorkPlan) -> bool:
    return APPROVAL.is_editable(plan)


def may_approve(user: User, plan: WorkPlan) -> bool:
    """Only the project office (or an administrator) approves or returns, within its scope."""
    return APPROVAL.may_approve(user, plan)


@transaction.atomic
def plan_save(plan: WorkPlan, *, user: User) -> WorkPlan:
    """Create a draft plan, or change a draft or returned one, inside the user's scope."""
    if plan.pk is not None:
        stored = WorkPlan.objects.select_for_update().get(pk=plan.pk)
        APPROVAL.require_editable(stored)
        plan.status = stored.status
        plan.version = stored.version
    else:
        plan.status = PlanStatus.DRAFT
        plan.version = 1
    return save_in_scope(plan, user=user)


@transaction.atomic
def plan_item_save(item: PlanItem, *, user: User) -> PlanItem:
    """Add or change an item of a draft or returned plan the user may change."""
    plan = WorkPlan.objects.select_for_update().get(pk=item.plan_id)
    APPROVAL.require_change(user, plan)
    APPROVAL.require_editable(plan)
    if item.pk is None and not item.order:
        item.order = (plan.items.count() or 0) + 1
    # Saved without save_in_scope (the plan's workflow decides who may): the same revision check.
    check_revision(item)
    item._history_user = user  # type: ignore[attr-defined]  # read by simple_history
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def plan_item_delete(item: PlanItem, *, user: User) -> None:
    """Remove an item of a draft or returned plan the user may change."""
    plan = WorkPlan.objects.select_for_update().get(pk=item.plan_id)
    APPROVAL.require_change(user, plan)
    APPROVAL.require_editable(plan)
    item._history_user = user  # type: ignore[attr-defined]  # read by simple_history
    item.delete()


def plan_submit(plan: WorkPlan, *, user: User) -> WorkPlan:
    """Send a draft or returned plan to the project office, freezing its items as the
    version of its number."""
    return APPROVAL.submit(plan, user=user)


def plan_approve(plan: WorkPlan, *, user: User) -> WorkPlan:
    """Approve a submitted plan (the project office only)."""
    return APPROVAL.approve(plan, user=user)


def plan_return(plan: WorkPlan, *, user: User, comment: str) -> WorkPlan:
    """Return a submitted plan with the project office's comments (which are required)."""
    return APPROVAL.return_(plan, user=user, comment=comment)


def plan_amend(plan: WorkPlan, *, user: User) -> WorkPlan:
    """Reopen an approved plan as a draft of the next version; the approved version stays
    frozen in PlanVersion to be compared with."""
    return APPROVAL.amend(plan, user=user)
