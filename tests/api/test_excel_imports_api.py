"""The pages' Excel imports through the API: POST /api/v1/imports/excel/<kind>, all or none."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import Workbook, load_workbook

from factories import PlanItemFactory, ReportFormFactory, WorkPlanFactory
from kense.accounts.models import User
from kense.core.excel import FIRST_DATA_ROW, XLSX
from kense.events.models import WorkPlan
from kense.events.services import plans as plan_services
from kense.indicators.models import Indicator, IndicatorValue
from kense.indicators.services import reports as report_services
from kense.registry.imports import ORGANIZATION_COLUMNS
from kense.registry.models import Organization, Territory

pytestmark = pytest.mark.django_db

AsUser = Callable[..., Client]
HOME = "Жаңаарқа ауданы"  # district_a
ORGANIZATION_KEYS = [column.key for column in ORGANIZATION_COLUMNS]


def organization_row(**values: Any) -> list[Any]:
    return [values.get(key) for key in ORGANIZATION_KEYS]


def filled(template: bytes, rows: list[list[Any]]) -> bytes:
    workbook = load_workbook(io.BytesIO(template))
    sheet = workbook.worksheets[0]
    sheet.delete_rows(FIRST_DATA_ROW, sheet.max_row)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx(content: bytes, name: str = "import.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=XLSX)


def errors(response: Any) -> dict[str | None, list[str]]:
    found: dict[str | None, list[str]] = {}
    for error in response.json()["detail"]:
        found.setdefault(error["field"], []).append(error["message"])
    return found


def test_organizations_are_imported_from_the_template(
    as_user: AsUser, project_office: User, district_a: Territory
) -> None:
    client = as_user(project_office, HTTP_ACCEPT_LANGUAGE="en")
    template = client.get("/api/v1/imports/excel/organizations/template")
    assert template.status_code == 200
    assert template["Content-Type"] == XLSX
    content = filled(
        template.content,
        [
            organization_row(
                name_kk="Жаңаарқа әкімдігі",
                name_ru="Акимат",
                kind="akimat",
                territory=HOME,
            ),
            organization_row(
                name_kk="Мәдениет бөлімі",
                name_ru="Отдел культуры",
                kind="division",
                territory=HOME,
                parent="Жаңаарқа әкімдігі",
            ),
        ],
    )

    response = client.post("/api/v1/imports/excel/organizations", {"file": xlsx(content)})

    assert response.status_code == 201, response.json()
    assert response.json() == {"count": 2}
    division = Organization.objects.get(name_kk="Мәдениет бөлімі")
    assert division.parent == Organization.objects.get(name_kk="Жаңаарқа әкімдігі")
    assert division.territory == district_a


def test_a_bad_row_saves_nothing_and_each_error_names_its_row_and_column(
    as_user: AsUser, project_office: User, district_a: Territory
) -> None:
    client = as_user(project_office, HTTP_ACCEPT_LANGUAGE="en")
    template = client.get("/api/v1/imports/excel/organizations/template").content
    first = FIRST_DATA_ROW
    content = filled(
        template,
        [
            organization_row(
                name_kk="Бір", name_ru="Один", kind="other", territory="Жаңаарқа ауданы"
            ),
            organization_row(name_kk="Екі", name_ru="Два", kind="other", territory="Атлантида"),
            organization_row(name_ru="Три", kind="other", territory=HOME, bin="12"),
        ],
    )

    response = client.post("/api/v1/imports/excel/organizations", {"file": xlsx(content)})

    assert response.status_code == 422
    found = errors(response)
    assert found[f"{first + 1}.territory"] == [
        "There is no territory «Атлантида» among those you may see."
    ]
    assert f"{first + 2}.name_kk" in found
    assert f"{first + 2}.bin" in found
    assert not any(field and field.startswith(f"{first}.") for field in found)
    assert not Organization.objects.filter(name_kk__in=["Бір", "Екі"]).exists()


def test_a_file_that_is_no_workbook_is_an_error_of_the_file(
    as_user: AsUser, project_office: User
) -> None:
    client = as_user(project_office)

    text = client.post(
        "/api/v1/imports/excel/people", {"file": xlsx(b"name;surname\n", "people.xlsx")}
    )
    missing = client.post("/api/v1/imports/excel/people", {})
    empty_workbook = io.BytesIO()
    Workbook().save(empty_workbook)
    foreign = client.post("/api/v1/imports/excel/people", {"file": xlsx(empty_workbook.getvalue())})

    for response in (text, missing, foreign):
        assert response.status_code == 422
        assert set(errors(response)) == {"file"}


def test_imports_have_the_pages_permissions(
    as_user: AsUser, executive: User, observer: User
) -> None:
    for user in (executive, observer):
        client = as_user(user)
        assert client.get("/api/v1/imports/excel/people/template").status_code == 403
        refused = client.post("/api/v1/imports/excel/organizations", {"file": xlsx(b"PK")})
        assert refused.status_code == 403
        assert refused.json()["detail"]


@pytest.fixture
def plan(district_a: Territory, organization_a: Organization) -> WorkPlan:
    return WorkPlanFactory(territory=district_a, organization=organization_a)


def test_a_plans_items_are_replaced_from_its_template(
    as_user: AsUser,
    plan: WorkPlan,
    organization_a: Organization,
    coordinator_a: User,
    project_office: User,
) -> None:
    PlanItemFactory(plan=plan, responsible=organization_a, title_kk="Ескі іс-шара")
    client = as_user(coordinator_a, HTTP_ACCEPT_LANGUAGE="en")
    template = client.get(f"/api/v1/plans/{plan.pk}/template").content
    row = ["", "Жастар форумы", "Молодёжный форум", "", "иә", organization_a.name_kk,
           "10.06.2020", "11.06.2020", ""]  # fmt: skip
    bad = ["", "Концерт", "Концерт", "", "иә", organization_a.name_kk, "күн", "", ""]
    url = f"/api/v1/imports/excel/plans/{plan.pk}"

    refused = client.post(url, {"file": xlsx(filled(template, [row, bad]))})
    assert refused.status_code == 422
    assert f"{FIRST_DATA_ROW + 1}.start" in errors(refused)
    assert [item.title_kk for item in plan.items.all()] == ["Ескі іс-шара"]  # type: ignore[attr-defined]

    response = client.post(url, {"file": xlsx(filled(template, [row]))})

    assert response.status_code == 200, response.json()
    assert [item["title_kk"] for item in response.json()["items"]] == ["Жастар форумы"]

    plan_services.plan_submit(plan, user=project_office)
    no_draft = client.post(url, {"file": xlsx(filled(template, [row]))})
    assert no_draft.status_code == 422
    assert "no longer a draft" in no_draft.json()["detail"][0]["message"]
    other = WorkPlanFactory(territory=plan.territory)
    wrong_plan = client.post(
        f"/api/v1/imports/excel/plans/{other.pk}", {"file": xlsx(filled(template, [row]))}
    )
    assert wrong_plan.status_code == 422
    assert set(errors(wrong_plan)) == {"file"}


def test_a_reports_values_are_saved_from_its_template(
    as_user: AsUser, district_a: Territory, coordinator_a: User
) -> None:
    indicators = [
        Indicator.objects.create(code=code, name_kk=code, name_ru=code, source="reported")
        for code in ("pupils", "girls")
    ]
    form = ReportFormFactory(
        indicators=indicators,
        territories=[district_a],
        rules=[{"rule": "lte", "a": "girls", "b": "pupils"}],
    )
    report = report_services.report_open(form, district_a, 2020, 1, user=coordinator_a)
    client = as_user(coordinator_a, HTTP_ACCEPT_LANGUAGE="en")
    workbook = load_workbook(
        io.BytesIO(client.get(f"/api/v1/reports/{report.pk}/template").content)
    )
    sheet = workbook.worksheets[0]
    rows = {sheet.cell(row=r, column=1).value: r for r in range(FIRST_DATA_ROW, sheet.max_row + 1)}
    url = f"/api/v1/imports/excel/reports/{report.pk}"

    def send(pupils: Any, girls: Any) -> Any:
        sheet.cell(row=rows["pupils"], column=5, value=pupils)
        sheet.cell(row=rows["girls"], column=5, value=girls)
        buffer = io.BytesIO()
        workbook.save(buffer)
        return client.post(url, {"file": xlsx(buffer.getvalue())})

    unreadable = send(10, "many")
    broken_rule = send(10, 20)
    saved = send(10, 4)

    assert unreadable.status_code == 422
    assert set(errors(unreadable)) == {f"{rows['girls']}.value"}
    assert broken_rule.status_code == 422
    assert set(errors(broken_rule)) == {f"{rows['girls']}.value"}
    assert saved.status_code == 200, saved.json()
    stored = dict(
        IndicatorValue.objects.filter(report=report).values_list("indicator__code", "value")
    )
    assert (stored["pupils"], stored["girls"]) == (10, 4)
