"""The periodic reports API: the same life of a report, rules, scopes and reporting rates as
the pages."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from factories import ReportFormFactory, UserFactory
from kense.accounts.models import User
from kense.core.excel import XLSX
from kense.core.permissions import Role
from kense.indicators.models import Indicator, IndicatorValue, ReportForm
from kense.indicators.services import reports as report_services
from kense.registry.models import Territory

pytestmark = pytest.mark.django_db

JSON = "application/json"
AsUser = Callable[..., Client]


def post(client: Client, url: str, data: Any = None) -> Any:
    return client.post(url, json.dumps(data or {}), content_type=JSON)


def put(client: Client, url: str, data: Any) -> Any:
    return client.put(url, json.dumps(data), content_type=JSON)


@pytest.fixture
def form(district_a: Territory, district_b: Territory) -> ReportForm:
    indicators = [
        Indicator.objects.create(
            code=code, name_kk=code, name_ru=code, source="reported", order=order
        )
        for order, code in enumerate(["pupils", "girls"])
    ]
    return ReportFormFactory(
        indicators=indicators,
        territories=[district_a, district_b],
        rules=[
            {"rule": "min", "indicator": "pupils", "value": 0},
            {"rule": "lte", "a": "girls", "b": "pupils"},
        ],
    )


def codes(form: ReportForm) -> dict[str, int]:
    return dict(form.indicators.values_list("code", "pk"))


def test_a_report_is_opened_filled_returned_resubmitted_and_approved(
    as_user: AsUser,
    form: ReportForm,
    district_a: Territory,
    coordinator_a: User,
    project_office: User,
) -> None:
    client = as_user(coordinator_a)
    opened = post(
        client,
        "/api/v1/reports",
        {"form": form.pk, "territory": district_a.pk, "year": 2020, "period_number": 1},
    )
    assert opened.status_code == 201, opened.json()
    report_id = opened.json()["id"]
    assert [v["indicator"]["code"] for v in opened.json()["values"]] == ["pupils", "girls"]
    assert {v["approved"] for v in opened.json()["values"]} == {False}

    ids = codes(form)
    values_url = f"/api/v1/reports/{report_id}/values"
    bad = put(
        client,
        values_url,
        {
            "values": [
                {"indicator": ids["pupils"], "value": -1},
                {"indicator": ids["girls"], "value": 5},
            ]
        },
    )
    assert bad.status_code == 422
    assert {e["field"] for e in bad.json()["detail"]} == {"pupils", "girls"}
    assert set(IndicatorValue.objects.values_list("value", flat=True)) == {None}

    good = put(
        client,
        values_url,
        {
            "values": [
                {"indicator": ids["pupils"], "value": 10},
                {"indicator": ids["girls"], "value": 5},
            ]
        },
    )
    assert good.status_code == 200
    assert [float(v["value"]) for v in good.json()["values"]] == [10.0, 5.0]

    assert post(client, f"/api/v1/reports/{report_id}/submit").json()["status"] == "submitted"
    assert post(client, f"/api/v1/reports/{report_id}/approve").status_code == 403
    assert post(client, f"/api/v1/reports/{report_id}/return", {"comment": "x"}).status_code == 403

    office = as_user(project_office)
    assert post(office, f"/api/v1/reports/{report_id}/return", {"comment": ""}).status_code == 422
    returned = post(office, f"/api/v1/reports/{report_id}/return", {"comment": "Girls?"})
    assert returned.json()["status"] == "returned" and returned.json()["comment"] == "Girls?"

    response = put(client, values_url, {"values": [{"indicator": ids["girls"], "value": 4}]})
    assert response.status_code == 200
    post(client, f"/api/v1/reports/{report_id}/submit")
    approved = post(office, f"/api/v1/reports/{report_id}/approve").json()
    assert approved["status"] == "approved" and approved["approved_at"]
    detail = client.get(f"/api/v1/reports/{report_id}").json()
    assert {v["approved"] for v in detail["values"]} == {True}
    locked = put(office, values_url, {"values": [{"indicator": ids["girls"], "value": 3}]})
    assert locked.status_code == 422


def test_reports_are_scoped(
    as_user: AsUser,
    form: ReportForm,
    district_a: Territory,
    district_b: Territory,
    coordinator_a: User,
) -> None:
    own = report_services.report_open(form, district_a, 2020, 1, user=coordinator_a)
    office = UserFactory(role=Role.PROJECT_OFFICE, territory=district_b.parent)
    other = report_services.report_open(form, district_b, 2020, 1, user=office)
    client = as_user(coordinator_a)
    assert [r["id"] for r in client.get("/api/v1/reports").json()["items"]] == [own.pk]
    assert client.get(f"/api/v1/reports/{other.pk}").status_code == 404
    assert post(client, f"/api/v1/reports/{other.pk}/submit").status_code == 404
    opened = post(
        client,
        "/api/v1/reports",
        {"form": form.pk, "territory": district_b.pk, "year": 2020, "period_number": 2},
    )
    assert opened.status_code == 422
    assert [e["field"] for e in opened.json()["detail"]] == ["territory"]


def test_forms_and_reporting_rates(
    as_user: AsUser,
    form: ReportForm,
    district_a: Territory,
    coordinator_a: User,
    project_office: User,
) -> None:
    report = report_services.report_open(form, district_a, 2020, 1, user=coordinator_a)
    ids = codes(form)
    report_services.report_save_values(
        report, user=coordinator_a, values={ids["pupils"]: (10, ""), ids["girls"]: (5, "")}
    )
    report_services.report_submit(report, user=coordinator_a)
    client = as_user(project_office)
    listed = client.get("/api/v1/report-forms").json()
    assert [f["code"] for f in listed["items"]] == [form.code]
    detail = client.get(f"/api/v1/report-forms/{form.pk}").json()
    assert [i["code"] for i in detail["indicators"]] == ["pupils", "girls"]
    assert len(detail["territories"]) == 2

    rates = client.get(f"/api/v1/report-forms/{form.pk}/rates", {"year": 2020}).json()
    assert rates["periods"] == [1, 2, 3, 4]
    first = rates["rows"][0]
    assert first["territory"]["id"] == district_a.pk
    # Submitted now, years after the due date of 2020's first quarter.
    assert first["cells"][0]["state"] == "late" and first["cells"][0]["report"] == report.pk
    assert rates["totals"]["expected"] == 8 and rates["totals"]["submitted"] == 1
    assert rates["totals"]["late"] == 1 and rates["totals"]["on_time"] == 0


def _count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_a_report_runs_a_fixed_number_of_queries(
    as_user: AsUser,
    form: ReportForm,
    district_a: Territory,
    district_b: Territory,
    project_office: User,
) -> None:
    # The lists (reports, forms, rates) are pinned in tests/test_query_counts.py.
    client = as_user(project_office)
    first = report_services.report_open(form, district_a, 2020, 1, user=project_office)
    urls = [f"/api/v1/reports/{first.pk}"]
    before = [_count(client, url) for url in urls]
    for number in (2, 3, 4):
        report_services.report_open(form, district_b, 2020, number, user=project_office)
    ReportFormFactory(indicators=list(form.indicators.all()), territories=[district_a])
    after = [_count(client, url) for url in urls]
    assert after == before


@pytest.mark.parametrize("year", [-2321, 0, 1990, 2101, 10**12])
def test_rates_of_a_year_beyond_the_indicators_are_a_field_error(
    as_user: AsUser, form: ReportForm, project_office: User, year: int
) -> None:
    # The period's due date of year -2321 failed (ValueError, 500).
    response = as_user(project_office).get(f"/api/v1/report-forms/{form.pk}/rates?year={year}")

    assert response.status_code == 422
    assert [error["field"] for error in response.json()["detail"]] == ["year"]


def test_the_project_office_creates_and_changes_a_report_form(
    as_user: AsUser,
    form: ReportForm,
    district_a: Territory,
    district_b: Territory,
    project_office: User,
    coordinator_a: User,
) -> None:
    ids = codes(form)
    payload = {
        "code": "pupils-monthly",
        "name_kk": "Оқушылар",
        "name_ru": "Ученики",
        "period_kind": "month",
        "due_days": 5,
        "rules": [{"rule": "min", "indicator": "pupils", "value": 0}],
        "indicators": [ids["pupils"]],
        "territories": [district_a.pk, district_b.pk],
    }
    client = as_user(project_office)

    forbidden = post(as_user(coordinator_a), "/api/v1/report-forms", payload)
    assert forbidden.status_code == 403
    # A rule naming an indicator the form does not report is refused, nothing saved.
    foreign = post(
        client,
        "/api/v1/report-forms",
        {**payload, "rules": [{"rule": "lte", "a": "girls", "b": "pupils"}]},
    )
    assert foreign.status_code == 422
    assert foreign.json()["detail"]
    assert not ReportForm.objects.filter(code="pupils-monthly").exists()

    created = post(client, "/api/v1/report-forms", payload)
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["code"], body["period_kind"], body["due_days"]) == ("pupils-monthly", "month", 5)
    assert [i["code"] for i in body["indicators"]] == ["pupils"]
    assert {t["id"] for t in body["territories"]} == {district_a.pk, district_b.pk}

    url = f"/api/v1/report-forms/{body['id']}"
    changed = client.patch(
        url, json.dumps({"due_days": 7, "indicators": list(ids.values())}), content_type=JSON
    )
    assert changed.status_code == 200, changed.content
    assert changed.json()["due_days"] == 7
    assert {i["code"] for i in changed.json()["indicators"]} == {"pupils", "girls"}
    # Territories left out stay as they were.
    assert len(changed.json()["territories"]) == 2
    unknown = client.patch(url, json.dumps({"territories": [999999]}), content_type=JSON)
    assert [e["field"] for e in unknown.json()["detail"]] == ["territories"]
    refused = as_user(coordinator_a).patch(url, json.dumps({"due_days": 1}), content_type=JSON)
    assert refused.status_code == 403

    # Once a report was opened on it, its period stays.
    report_services.report_open(
        ReportForm.objects.get(pk=body["id"]), district_a, 2020, 1, user=project_office
    )
    period = client.patch(url, json.dumps({"period_kind": "quarter"}), content_type=JSON)
    assert period.status_code == 422
    assert [e["field"] for e in period.json()["detail"]] == ["period_kind"]


def test_a_report_template_is_downloaded_as_excel(
    as_user: AsUser,
    form: ReportForm,
    district_a: Territory,
    district_b: Territory,
    coordinator_a: User,
    project_office: User,
) -> None:
    own = report_services.report_open(form, district_a, 2020, 1, user=coordinator_a)
    other = report_services.report_open(form, district_b, 2020, 1, user=project_office)
    client = as_user(coordinator_a)

    response = client.get(f"/api/v1/reports/{own.pk}/template")
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"] == (
        f'attachment; filename="report-{own.pk}-template.xlsx"'
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    cells = {value for row in sheet.iter_rows(values_only=True) for value in row}
    assert {"pupils", "girls"} <= cells
    assert client.get(f"/api/v1/reports/{other.pk}/template").status_code == 404
