"""Work plans: writes (draft → submitted → approved or returned → amended) and what is read
from them (the differences between versions, plan against fact).

A plan's items are edited only while it is a draft or has been returned. Each submission
freezes the items into a `PlanVersion` (one per version number: a resubmission after a return
replaces the frozen copy of the same number, since nothing was approved in between). An
approved plan is changed only by amendment, which reopens it as a draft of the next version and
leaves the approved copy in place, so the differences stay visible.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kense.core.permissions import Action, Role, can, scope_of
from kense.core.services import save_in_scope
from kense.events.models import (
    Event,
    EventStatus,
    PlanItem,
    PlanStatus,
    PlanVersion,
    WorkPlan,
)
from kense.text.kazakh import fold

EDITABLE = (PlanStatus.DRAFT, PlanStatus.RETURNED)
APPROVER_ROLES = (Role.PROJECT_OFFICE, Role.ADMINISTRATOR)

NOT_EDITABLE = _("The plan is no longer a draft: amend it to change it.")

# The fields compared between versions, in the order they are shown.
COMPARED = (
    "order",
    "title_kk",
    "title_ru",
    "title_en",
    "is_event",
    "responsible",
    "start",
    "end",
    "project",
)


def plan_period(plan: WorkPlan) -> tuple[datetime.date, datetime.date]:
    """The first and last day of the plan's year or quarter."""
    if plan.quarter:
        first_month = 3 * (plan.quarter - 1) + 1
        start = datetime.date(plan.year, first_month, 1)
        if plan.quarter == 4:
            return start, datetime.date(plan.year, 12, 31)
        return start, datetime.date(plan.year, first_month + 3, 1) - datetime.timedelta(days=1)
    return datetime.date(plan.year, 1, 1), datetime.date(plan.year, 12, 31)


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


# Writes


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


def plan_snapshot(plan: WorkPlan) -> list[dict[str, Any]]:
    """The plan's items as the JSON a version keeps (ids of related objects, ISO dates)."""
    return [
        {
            "id": item.pk,
            "order": item.order,
            "title_kk": item.title_kk or "",  # type: ignore[attr-defined]
            "title_ru": item.title_ru or "",  # type: ignore[attr-defined]
            "title_en": item.title_en or "",  # type: ignore[attr-defined]
            "is_event": item.is_event,
            "responsible": item.responsible_id,
            "start": item.start.isoformat(),
            "end": item.end.isoformat(),
            "project": item.project_id,
        }
        for item in plan.items.order_by("order", "pk")
    ]


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


# Reads


@dataclass
class ItemChange:
    before: dict[str, Any]
    after: dict[str, Any]
    fields: list[str]  # keys of COMPARED that differ


@dataclass
class PlanDiff:
    added: list[dict[str, Any]] = field(default_factory=list)
    removed: list[dict[str, Any]] = field(default_factory=list)
    changed: list[ItemChange] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed)


def _items(version: PlanVersion | list[dict[str, Any]]) -> list[dict[str, Any]]:
    return list(version.items if isinstance(version, PlanVersion) else version)


def _title_key(item: dict[str, Any]) -> str:
    return " ".join(fold(item.get("title_kk") or "").split())


def plan_diff(
    old_version: PlanVersion | list[dict[str, Any]],
    new_version: PlanVersion | list[dict[str, Any]],
) -> PlanDiff:
    """What the newer version added, removed and changed. Items are matched by id, then (for
    items re-created, e.g. by an Excel upload) by their Kazakh title."""
    old_items = _items(old_version)
    new_items = _items(new_version)
    old_by_id = {item["id"]: item for item in old_items}
    pairs: list[tuple[dict[str, Any], dict[str, Any]]] = []
    unmatched_new = []
    for item in new_items:
        match = old_by_id.pop(item.get("id"), None)
        if match is None:
            unmatched_new.append(item)
        else:
            pairs.append((match, item))
    old_by_title: dict[str, list[dict[str, Any]]] = {}
    for item in old_by_id.values():
        old_by_title.setdefault(_title_key(item), []).append(item)
    diff = PlanDiff()
    for item in unmatched_new:
        candidates = old_by_title.get(_title_key(item))
        if candidates:
            pairs.append((candidates.pop(0), item))
        else:
            diff.added.append(item)
    diff.removed = [item for items in old_by_title.values() for item in items]
    for before, after in sorted(pairs, key=lambda pair: pair[1].get("order", 0)):
        differing = [name for name in COMPARED if before.get(name) != after.get(name)]
        if differing:
            diff.changed.append(ItemChange(before, after, differing))
    diff.removed.sort(key=lambda item: item.get("order", 0))
    return diff


@dataclass
class PlanFact:
    total: int
    held: int
    postponed_justified: int
    postponed_unjustified: int
    cancelled: int
    planned: int
    beyond: list[Event]

    @property
    def postponed(self) -> int:
        return self.postponed_justified + self.postponed_unjustified

    def share(self, count: int) -> float:
        """Percent of the plan's events, to one decimal; 0 when the plan has none."""
        return round(100 * count / self.total, 1) if self.total else 0.0

    @property
    def shares(self) -> dict[str, float]:
        return {
            "held": self.share(self.held),
            "postponed": self.share(self.postponed),
            "postponed_justified": self.share(self.postponed_justified),
            "postponed_unjustified": self.share(self.postponed_unjustified),
            "cancelled": self.share(self.cancelled),
            "planned": self.share(self.planned),
        }


def plan_against_fact(plan: WorkPlan, *, user: Any = None) -> PlanFact:
    """How the plan's events went (held, postponed with or without a declared disruption,
    cancelled, still planned), and the events held beyond the plan in its territory's subtree
    and period (only those the user may see, when a user is given). Two queries."""
    postponed = Q(status=EventStatus.POSTPONED)
    counts = Event.objects.filter(plan_item__plan=plan).aggregate(
        total=Count("pk"),
        held=Count("pk", filter=Q(status=EventStatus.HELD)),
        justified=Count("pk", filter=postponed & Q(disruption__isnull=False)),
        unjustified=Count("pk", filter=postponed & Q(disruption__isnull=True)),
        cancelled=Count("pk", filter=Q(status=EventStatus.CANCELLED)),
        planned=Count("pk", filter=Q(status=EventStatus.PLANNED)),
    )
    start, end = plan_period(plan)
    beyond = Event.objects.filter(
        beyond_plan=True,
        territory__path__startswith=plan.territory.path,
        start__gte=start,
        start__lte=end,
    )
    if user is not None:
        beyond = beyond.restrict(user, Action.VIEW)
    return PlanFact(
        total=counts["total"],
        held=counts["held"],
        postponed_justified=counts["justified"],
        postponed_unjustified=counts["unjustified"],
        cancelled=counts["cancelled"],
        planned=counts["planned"],
        beyond=list(beyond.select_related("territory").order_by("start", "pk")),
    )
