"""The work plans API: the same life of a plan, scopes and plan against fact as the pages."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook

from factories import EventFactory, PlanItemFactory, UserFactory, WorkPlanFactory
from kense.accounts.models import User
from kense.core.excel import XLSX
from kense.core.permissions import Role
from kense.events.models import WorkPlan
from kense.events.services import plans as plan_services
from kense.registry.models import Organization, Territory

pytestmark = pytest.mark.django_db

JSON = "application/json"
AsUser = Callable[..., Client]


def post(client: Client, url: str, data: Any = None) -> Any:
    return client.post(url, json.dumps(data or {}), content_type=JSON)


def test_a_plan_is_created_submitted_returned_approved_and_amended(
    as_user: AsUser,
    district_a: Territory,
    organization_a: Organization,
    coordinator_a: User,
    project_office: User,
) -> None:
    client = as_user(coordinator_a)
    response = post(
        client,
        "/api/v1/plans",
        {"title_kk": "Жоспар", "title_ru": "План", "territory": district_a.pk, "year": 2020},
    )
    assert response.status_code == 201, response.json()
    plan_id = response.json()["id"]
    assert response.json()["status"] == "draft" and response.json()["items"] == []

    item = {
        "title_kk": "Форум",
        "title_ru": "Форум",
        "responsible": organization_a.pk,
        "start": "2020-04-10",
        "end": "2020-04-11",
    }
    response = post(client, f"/api/v1/plans/{plan_id}/items", item)
    assert response.status_code == 201
    item_id = response.json()["id"]
    assert response.json()["responsible"]["id"] == organization_a.pk
    bad = post(client, f"/api/v1/plans/{plan_id}/items", {**item, "end": "2020-04-01"})
    assert bad.status_code == 422
    assert {e["field"] for e in bad.json()["detail"]} == {"end"}

    assert post(client, f"/api/v1/plans/{plan_id}/submit").json()["status"] == "submitted"
    assert post(client, f"/api/v1/plans/{plan_id}/approve").status_code == 403

    office = as_user(project_office)
    assert post(office, f"/api/v1/plans/{plan_id}/return", {"comment": ""}).status_code == 422
    returned = post(office, f"/api/v1/plans/{plan_id}/return", {"comment": "Dates?"})
    assert returned.json()["status"] == "returned" and returned.json()["comment"] == "Dates?"

    response = client.patch(
        f"/api/v1/plans/{plan_id}/items/{item_id}", json.dumps({"end": "2020-04-12"}), JSON
    )
    assert response.status_code == 200 and response.json()["end"] == "2020-04-12"
    post(client, f"/api/v1/plans/{plan_id}/submit")
    approved = post(office, f"/api/v1/plans/{plan_id}/approve").json()
    assert approved["status"] == "approved" and approved["approved_at"]

    amended = post(client, f"/api/v1/plans/{plan_id}/amend").json()
    assert (amended["status"], amended["version"]) == ("draft", 2)
    assert client.delete(f"/api/v1/plans/{plan_id}/items/{item_id}").status_code == 204
    diff = client.get(f"/api/v1/plans/{plan_id}/diff", {"old": 1}).json()
    assert [i["title_kk"] for i in diff["removed"]] == ["Форум"]
    assert diff["added"] == [] and diff["changed"] == []


def test_plans_are_scoped(
    as_user: AsUser, district_a: Territory, district_b: Territory, coordinator_a: User
) -> None:
    own = WorkPlanFactory(territory=district_a)
    other = WorkPlanFactory(territory=district_b)
    client = as_user(coordinator_a)
    assert [p["id"] for p in client.get("/api/v1/plans").json()["items"]] == [own.pk]
    assert client.get(f"/api/v1/plans/{other.pk}").status_code == 404
    assert post(client, f"/api/v1/plans/{other.pk}/submit").status_code == 404
    response = post(
        client,
        "/api/v1/plans",
        {"title_kk": "x", "title_ru": "x", "territory": district_b.pk, "year": 2020},
    )
    # Another district is not among the territories the coordinator may name.
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["detail"]] == ["territory"]
    assert WorkPlan.objects.count() == 2


def test_an_observer_may_not_create_plans(as_user: AsUser, district_a: Territory) -> None:
    observer = UserFactory(role=Role.OBSERVER, territory=district_a)
    response = post(
        as_user(observer),
        "/api/v1/plans",
        {"title_kk": "x", "title_ru": "x", "territory": district_a.pk, "year": 2020},
    )
    assert response.status_code == 403


def test_plan_against_fact(
    as_user: AsUser, district_a: Territory, organization_a: Organization, project_office: User
) -> None:
    plan = WorkPlanFactory(territory=district_a)
    item = PlanItemFactory(plan=plan)
    EventFactory(organizer=organization_a, plan_item=item, status="held")
    EventFactory(organizer=organization_a, plan_item=item, status="cancelled", reason="Rain")
    beyond = EventFactory(organizer=organization_a, status="held", beyond_plan=True)
    fact = as_user(project_office).get(f"/api/v1/plans/{plan.pk}/fact").json()
    assert (fact["total"], fact["held"], fact["cancelled"]) == (2, 1, 1)
    assert fact["shares"]["held"] == 50.0
    assert [e["id"] for e in fact["beyond_plan"]] == [beyond.pk]


def test_a_plans_versions_and_its_excel_template(
    as_user: AsUser,
    district_a: Territory,
    district_b: Territory,
    organization_a: Organization,
    coordinator_a: User,
    project_office: User,
) -> None:
    plan = WorkPlanFactory(territory=district_a, organization=organization_a)
    PlanItemFactory(plan=plan, responsible=organization_a, title_kk="Форум")
    other = WorkPlanFactory(territory=district_b)
    client = as_user(coordinator_a)

    assert client.get(f"/api/v1/plans/{plan.pk}/versions").json() == []
    plan_services.plan_submit(plan, user=project_office)
    versions = client.get(f"/api/v1/plans/{plan.pk}/versions").json()
    assert [version["number"] for version in versions] == [1]
    assert [item["title_kk"] for item in versions[0]["items"]] == ["Форум"]

    template = client.get(f"/api/v1/plans/{plan.pk}/template")
    assert template.status_code == 200
    assert template["Content-Type"] == XLSX
    assert template["Content-Disposition"] == (
        f'attachment; filename="work-plan-{plan.pk}-template.xlsx"'
    )
    sheet = load_workbook(io.BytesIO(template.content)).active
    assert sheet is not None
    assert "Форум" in {value for row in sheet.iter_rows(values_only=True) for value in row}

    for url in (f"/api/v1/plans/{other.pk}/versions", f"/api/v1/plans/{other.pk}/template"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert response.json()["detail"]
