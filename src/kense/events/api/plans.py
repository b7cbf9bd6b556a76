"""Work plans in the API: the same scopes, selectors and services as the pages."""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Field, File, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from kense.accounts.auth import current_user
from kense.accounts.models import User
from kense.core.api import (
    READ_ERRORS,
    WRITE_ERRORS,
    Ref,
    Text,
    assign,
    file_download,
    take_step,
    write,
)
from kense.core.excel import IMPORT_API_DESCRIPTION, XLSX, api_import
from kense.core.filters import FilterValues, filtered
from kense.core.pagination import Pagination
from kense.core.patch import Patch
from kense.core.permissions import Action, get_visible, require, require_add
from kense.events import imports
from kense.events.filters import PlanFilters
from kense.events.models import PlanItem, PlanStatus, PlanVersion, WorkPlan
from kense.events.selectors import plans as plan_selectors
from kense.events.services import plans as plan_services
from kense.programs.models import Project
from kense.registry.models import Organization, Territory

router = Router(tags=["work plans"])


class PlanItemOut(Schema):
    id: int
    order: int
    title: Text
    title_kk: Text
    title_ru: Text
    title_en: Text
    is_event: bool
    responsible: Ref
    start: datetime.date
    end: datetime.date
    project: Ref | None


class PlanItemIn(Schema):
    order: int = 0
    title_kk: Text
    title_ru: Text
    title_en: Text = ""
    is_event: bool = True
    responsible: int
    start: datetime.date
    end: datetime.date
    project: int | None = None


class PlanOut(Schema):
    id: int
    title: Text
    title_kk: Text
    title_ru: Text
    title_en: Text
    territory: Ref
    organization: Ref | None
    year: int
    quarter: int | None
    status: PlanStatus
    version: int
    comment: str
    submitted_at: datetime.datetime | None
    approved_at: datetime.datetime | None


class PlanDetailOut(PlanOut):
    items: list[PlanItemOut]

    @staticmethod
    def resolve_items(obj: WorkPlan) -> list[PlanItem]:
        return getattr(obj, "items_list", None) or list(obj.items.all())


class PlanIn(Schema):
    title_kk: Text
    title_ru: Text
    title_en: Text = ""
    territory: int
    organization: int | None = None
    year: int
    quarter: int | None = None


class PlanReturnIn(Schema):
    comment: str = ""


class FactOut(Schema):
    total: int
    held: int
    postponed: int
    postponed_justified: int
    postponed_unjustified: int
    cancelled: int
    planned: int
    shares: dict[str, float]
    beyond_plan: list[Ref]


class ItemChangeOut(Schema):
    before: dict[str, Any]
    after: dict[str, Any]
    fields: list[str]


class DiffOut(Schema):
    old: int
    new: int | None  # None: the current items
    added: list[dict[str, Any]]
    removed: list[dict[str, Any]]
    changed: list[ItemChangeOut]


class PlanVersionOut(Schema):
    number: int
    created_at: datetime.datetime
    items: list[dict[str, Any]] = Field(description="The plan's items as they were frozen.")


def _plans(user: User) -> QuerySet[WorkPlan]:
    return WorkPlan.objects.restrict(user, Action.VIEW).select_related("territory", "organization")


def _plan(user: User, plan_id: int) -> WorkPlan:
    return get_visible(_plans(user), user, pk=plan_id)


def _detail(plan: WorkPlan) -> WorkPlan:
    # Read back by PlanDetailOut.resolve_items: the items in their order, in one query.
    plan.items_list = list(  # type: ignore[attr-defined]
        plan.items.select_related("responsible", "project").order_by("order", "pk")
    )
    return plan


def _plan_references(user: User) -> dict[str, QuerySet[Any]]:
    return {
        "territory": Territory.objects.restrict(user, Action.VIEW),
        "organization": Organization.objects.restrict(user, Action.VIEW),
    }


def _item_references(user: User) -> dict[str, QuerySet[Any]]:
    return {
        "responsible": Organization.objects.restrict(user, Action.VIEW),
        "project": Project.objects.restrict(user, Action.VIEW),
    }


@router.get("/plans", response=list[PlanOut])
@paginate(Pagination)
@filtered(PlanFilters)
def list_plans(request: HttpRequest, filters: FilterValues) -> QuerySet[WorkPlan]:
    return plan_selectors.plan_list(current_user(request), filters)


@router.get("/plans/{plan_id}", response={200: PlanDetailOut, **READ_ERRORS})
def get_plan(request: HttpRequest, plan_id: int) -> WorkPlan:
    user = current_user(request)
    return _detail(_plan(user, plan_id))


@router.post("/plans", response={201: PlanDetailOut, **WRITE_ERRORS})
def create_plan(request: HttpRequest, payload: PlanIn) -> Status[WorkPlan]:
    user = current_user(request)
    require_add(user, WorkPlan)
    plan = WorkPlan()
    assign(plan, payload.dict(), _plan_references(user))
    return Status(201, _detail(write(plan_services.plan_save, plan, user=user)))


@router.patch("/plans/{plan_id}", response={200: PlanDetailOut, **WRITE_ERRORS})
def update_plan(request: HttpRequest, plan_id: int, payload: Patch[PlanIn]) -> WorkPlan:
    user = current_user(request)
    plan = _plan(user, plan_id)
    require(user, Action.CHANGE, plan)
    assign(plan, payload, _plan_references(user))
    return _detail(write(plan_services.plan_save, plan, user=user))


@router.post("/plans/{plan_id}/items", response={201: PlanItemOut, **WRITE_ERRORS})
def create_item(request: HttpRequest, plan_id: int, payload: PlanItemIn) -> Status[PlanItem]:
    user = current_user(request)
    plan = _plan(user, plan_id)
    require(user, Action.CHANGE, plan)
    item = PlanItem(plan=plan)
    assign(item, payload.dict(), _item_references(user))
    return Status(201, write(plan_services.plan_item_save, item, user=user))


def _item(user: User, plan_id: int, item_id: int) -> PlanItem:
    plan = _plan(user, plan_id)
    require(user, Action.CHANGE, plan)
    return get_visible_item(plan, item_id)


def get_visible_item(plan: WorkPlan, item_id: int) -> PlanItem:
    return get_object_or_404(
        PlanItem.objects.select_related("responsible", "project"), plan=plan, pk=item_id
    )


@router.patch("/plans/{plan_id}/items/{item_id}", response={200: PlanItemOut, **WRITE_ERRORS})
def update_item(
    request: HttpRequest, plan_id: int, item_id: int, payload: Patch[PlanItemIn]
) -> PlanItem:
    user = current_user(request)
    item = _item(user, plan_id, item_id)
    assign(item, payload, _item_references(user))
    return write(plan_services.plan_item_save, item, user=user)


@router.delete("/plans/{plan_id}/items/{item_id}", response={204: None, **WRITE_ERRORS})
def delete_item(request: HttpRequest, plan_id: int, item_id: int) -> Status[None]:
    user = current_user(request)
    plan_services.plan_item_delete(_item(user, plan_id, item_id), user=user)
    return Status(204, None)


@router.post("/plans/{plan_id}/submit", response={200: PlanOut, **WRITE_ERRORS})
def submit_plan(request: HttpRequest, plan_id: int) -> WorkPlan:
    user = current_user(request)
    return take_step(_plans(user), user, plan_id, plan_services.plan_submit)


@router.post("/plans/{plan_id}/approve", response={200: PlanOut, **WRITE_ERRORS})
def approve_plan(request: HttpRequest, plan_id: int) -> WorkPlan:
    user = current_user(request)
    return take_step(_plans(user), user, plan_id, plan_services.plan_approve)


@router.post("/plans/{plan_id}/return", response={200: PlanOut, **WRITE_ERRORS})
def return_plan(request: HttpRequest, plan_id: int, payload: PlanReturnIn) -> WorkPlan:
    user = current_user(request)
    return take_step(
        _plans(user), user, plan_id, plan_services.plan_return, comment=payload.comment
    )


@router.post("/plans/{plan_id}/amend", response={200: PlanOut, **WRITE_ERRORS})
def amend_plan(request: HttpRequest, plan_id: int) -> WorkPlan:
    user = current_user(request)
    return take_step(_plans(user), user, plan_id, plan_services.plan_amend)


@router.get("/plans/{plan_id}/fact", response={200: FactOut, **READ_ERRORS})
def plan_fact(request: HttpRequest, plan_id: int) -> dict[str, Any]:
    user = current_user(request)
    fact = plan_selectors.plan_against_fact(_plan(user, plan_id), user=user)
    return {
        "total": fact.total,
        "held": fact.held,
        "postponed": fact.postponed,
        "postponed_justified": fact.postponed_justified,
        "postponed_unjustified": fact.postponed_unjustified,
        "cancelled": fact.cancelled,
        "planned": fact.planned,
        "shares": fact.shares,
        "beyond_plan": [{"id": event.pk, "name": event.title} for event in fact.beyond],
    }


@router.get("/plans/{plan_id}/diff", response={200: DiffOut, **READ_ERRORS})
def plan_diff(
    request: HttpRequest, plan_id: int, old: int, new: int | None = None
) -> dict[str, Any]:
    """The differences between two frozen versions, or (without `new`) between a version and
    the current items."""
    user = current_user(request)
    plan = _plan(user, plan_id)
    old_version = get_visible_version(plan, old)
    newer: PlanVersion | list[dict[str, Any]]
    newer = plan_selectors.plan_snapshot(plan) if new is None else get_visible_version(plan, new)
    diff = plan_selectors.plan_diff(old_version, newer)
    return {
        "old": old,
        "new": new,
        "added": diff.added,
        "removed": diff.removed,
        "changed": [
            {"before": c.before, "after": c.after, "fields": c.fields} for c in diff.changed
        ],
    }


@router.get("/plans/{plan_id}/versions", response={200: list[PlanVersionOut], **READ_ERRORS})
def list_plan_versions(request: HttpRequest, plan_id: int) -> list[PlanVersion]:
    """The versions frozen at each submission, oldest first (the page's "Versions"; compare
    two with GET /plans/{plan_id}/diff)."""
    user = current_user(request)
    return list(_plan(user, plan_id).versions.order_by("number"))


@router.get(
    "/plans/{plan_id}/template",
    response=READ_ERRORS,
    openapi_extra=file_download(
        "The plan's Excel template with its current items (the page's 'Download the "
        "template'; the filled file is uploaded with POST /imports/excel/plans/{plan_id}).",
        XLSX,
    ),
)
def plan_template(request: HttpRequest, plan_id: int) -> HttpResponse:
    """The Excel template of a plan the user sees."""
    user = current_user(request)
    plan = _plan(user, plan_id)
    return imports.template_download(plan, user=user)


@router.post(
    "/imports/excel/plans/{plan_id}",
    response={200: PlanDetailOut, **WRITE_ERRORS},
    tags=["imports"],
    description=IMPORT_API_DESCRIPTION,
)
def import_plan_excel(request: HttpRequest, plan_id: int, file: File[UploadedFile]) -> WorkPlan:
    """Replace a draft plan's items by the rows of its filled template (GET
    /plans/{plan_id}/template), as the page "Upload the plan from Excel" does."""
    user = current_user(request)
    plan = _plan(user, plan_id)
    require(user, Action.CHANGE, plan)
    if not plan_services.is_editable(plan):
        raise ValidationError(plan_services.NOT_EDITABLE)
    api_import(
        lambda: imports.read_plan_file(file, plan),
        lambda rows: imports.plan_import(plan, rows, user=user),
    )
    return _detail(_plan(user, plan_id))


def get_visible_version(plan: WorkPlan, number: int) -> PlanVersion:
    return get_object_or_404(PlanVersion, plan=plan, number=number)
