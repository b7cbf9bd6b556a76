"""Reads of work plans: the plan's period, its items as a version keeps them, the differences
between versions, and plan against fact. Nothing here saves (`kense.events.services.plans`
writes)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet

from kense.accounts.models import User
from kense.core.filters import FilterValues
from kense.core.permissions import Action, Actor
from kense.events.filters import PlanFilters
from kense.events.models import Event, EventStatus, PlanItem, PlanVersion, WorkPlan
from kense.text.kazakh import fold


def plan_list(user: Actor, filters: FilterValues | None = None) -> QuerySet[WorkPlan]:
    """The work plans the user may see, the latest year first."""
    plans: QuerySet[WorkPlan] = WorkPlan.objects.restrict(user).select_related(
        "territory", "organization"
    )
    return PlanFilters.narrow(plans, filters).order_by("-year", "quarter", "pk")


def plan_period(plan: WorkPlan) -> tuple[datetime.date, datetime.date]:
    """The first and last day of the plan's year or quarter."""
    if plan.quarter:
        first_month = 3 * (plan.quarter - 1) + 1
        start = datetime.date(plan.year, first_month, 1)
        if plan.quarter == 4:
            return start, datetime.date(plan.year, 12, 31)
        return start, datetime.date(plan.year, first_month + 3, 1) - datetime.timedelta(days=1)
    return datetime.date(plan.year, 1, 1), datetime.date(plan.year, 12, 31)


def plan_snapshot(plan: WorkPlan) -> list[dict[str, Any]]:
    """The plan's items as the JSON a version keeps (ids of related objects, ISO dates)."""
    return [
        {
            "id": item.pk,
            "order": item.order,
            # modeltranslation's fields, invisible to the stubs
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


@dataclass
class ItemChange:
    before: dict[str, Any]
    after: dict[str, Any]
    fields: list[str]  # keys of PlanItem.CONTENT that differ


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
        differing = [name for name in PlanItem.CONTENT if before.get(name) != after.get(name)]
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


def plan_against_fact(plan: WorkPlan, *, user: User | None = None) -> PlanFact:
    """How the plan's events went (held, postponed with or without a declared emergency,
    cancelled, still planned), and the events held beyond the plan in its territory's subtree
    and period (only those the user may see, when a user is given). Two queries."""
    postponed = Q(status=EventStatus.POSTPONED)
    counts = Event.objects.filter(plan_item__plan=plan).aggregate(
        total=Count("pk"),
        held=Count("pk", filter=Q(status=EventStatus.HELD)),
        justified=Count("pk", filter=postponed & Q(emergency__isnull=False)),
        unjustified=Count("pk", filter=postponed & Q(emergency__isnull=True)),
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
