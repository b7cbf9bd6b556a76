"""The programs API: programs, directions and special projects."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from factories import (
    DirectionFactory,
    OrganizationFactory,
    ProgramFactory,
    ProjectFactory,
    TerritoryFactory,
)
from kense.accounts.models import User
from kense.programs.models import Direction, Program, Project
from kense.registry.models import Organization, Territory

pytestmark = pytest.mark.django_db

JSON = "application/json"
AsUser = Callable[..., Client]


def fields(response: Any) -> set[str | None]:
    """The fields a 422 answer names."""
    return {error["field"] for error in response.json()["detail"]}


def ids(response: Any) -> list[int]:
    return [item["id"] for item in response.json()["items"]]


# ---------------------------------------------------------------------------------------------
# Programs
# ---------------------------------------------------------------------------------------------


def test_programs_are_listed_in_kazakh_order_for_everyone(
    as_user: AsUser, coordinator_a: User
) -> None:
    second = ProgramFactory(name_kk="Әдебиет")
    third = ProgramFactory(name_kk="Білім", status="planned")
    first = ProgramFactory(name_kk="Архив")
    client = as_user(coordinator_a)

    assert ids(client.get("/api/v1/programs")) == [first.pk, second.pk, third.pk]
    assert ids(client.get("/api/v1/programs?status=planned")) == [third.pk]
    assert ids(client.get("/api/v1/programs", {"q": "адебиет"})) == [second.pk]
    assert client.get(f"/api/v1/programs/{first.pk}").json()["name"] == "Архив"


def test_create_and_update_program(
    as_user: AsUser, project_office: User, organization_a: Organization
) -> None:
    co_executor = OrganizationFactory(territory=organization_a.territory)
    client = as_user(project_office)

    created = client.post(
        "/api/v1/programs",
        {
            "code": "ulytau-2030",
            "name_kk": "Ұлытау — 2030",
            "name_ru": "Улытау — 2030",
            "start": "2024-01-01",
            "end": "2030-12-31",
            "lead_organization": organization_a.pk,
            "co_executors": [co_executor.pk],
        },
        content_type=JSON,
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["lead_organization"]["id"] == organization_a.pk
    assert [item["id"] for item in body["co_executors"]] == [co_executor.pk]

    updated = client.patch(
        f"/api/v1/programs/{body['id']}",
        {"status": "active", "co_executors": []},
        content_type=JSON,
    )
    assert updated.status_code == 200, updated.json()
    assert updated.json()["co_executors"] == []
    program = Program.objects.get(pk=body["id"])
    assert program.status == "active"
    assert program.lead_organization_id == organization_a.pk


def test_program_rejects_bad_input(as_user: AsUser, project_office: User) -> None:
    ProgramFactory(code="taken")
    client = as_user(project_office)

    duplicate = client.post(
        "/api/v1/programs",
        {"code": "taken", "name_kk": "Бағдарлама", "name_ru": "Атауы"},
        content_type=JSON,
    )
    backwards = client.post(
        "/api/v1/programs",
        {
            "code": "new",
            "name_kk": "Жаңа",
            "name_ru": "Атауы",
            "start": "2025-01-01",
            "end": "2024-01-01",
        },
        content_type=JSON,
    )
    unnamed = client.post(
        "/api/v1/programs", {"code": "x", "name_kk": "", "name_ru": "Атауы"}, content_type=JSON
    )
    unknown_co_executor = client.post(
        "/api/v1/programs",
        {"code": "y", "name_kk": "Бағдарлама", "name_ru": "Атауы", "co_executors": [999999]},
        content_type=JSON,
    )

    assert fields(duplicate) == {"code"}
    assert fields(backwards) == {"end"}
    assert fields(unnamed) == {"name_kk"}
    assert fields(unknown_co_executor) == {"co_executors"}
    assert {r.status_code for r in (duplicate, backwards, unnamed, unknown_co_executor)} == {422}
    assert Program.objects.count() == 1


def test_only_the_project_office_writes_programs(
    as_user: AsUser, coordinator_a: User, executive: User, observer: User
) -> None:
    program = ProgramFactory()

    created = as_user(coordinator_a).post(
        "/api/v1/programs",
        {"code": "c", "name_kk": "Бағдарлама", "name_ru": "Атауы"},
        content_type=JSON,
    )
    by_observer = as_user(observer).post(
        "/api/v1/programs",
        {"code": "o", "name_kk": "Бағдарлама", "name_ru": "Атауы"},
        content_type=JSON,
    )
    updated = as_user(executive).patch(
        f"/api/v1/programs/{program.pk}",
        {"name_kk": "Басқа", "name_ru": "Атауы"},
        content_type=JSON,
    )

    assert created.status_code == 403
    assert by_observer.status_code == 403
    assert updated.status_code == 403
    assert Program.objects.count() == 1


# ---------------------------------------------------------------------------------------------
# Directions
# ---------------------------------------------------------------------------------------------


def test_directions(as_user: AsUser, project_office: User) -> None:
    program = ProgramFactory()
    other = DirectionFactory()
    client = as_user(project_office)

    created = client.post(
        "/api/v1/directions",
        {"program": program.pk, "name_kk": "Мәдениет", "name_ru": "Атауы", "order": 2},
        content_type=JSON,
    )
    assert created.status_code == 201, created.json()
    direction_id = created.json()["id"]
    first = DirectionFactory(program=program, order=1)

    updated = client.patch(
        f"/api/v1/directions/{direction_id}", {"name_ru": "Культура"}, content_type=JSON
    )
    listed = client.get(f"/api/v1/directions?program={program.pk}")
    detail = client.get(f"/api/v1/directions/{direction_id}", HTTP_ACCEPT_LANGUAGE="ru")

    assert updated.status_code == 200
    assert ids(listed) == [first.pk, direction_id]
    assert other.pk not in ids(listed)
    assert detail.json()["name"] == "Культура"
    assert detail.json()["program"]["id"] == program.pk
    assert Direction.objects.get(pk=direction_id).order == 2


def test_programs_directions_and_projects_take_aliases(
    as_user: AsUser, project_office: User, region: Territory
) -> None:
    client = as_user(project_office)

    program = client.post(
        "/api/v1/programs",
        {
            "code": "ruhani",
            "name_kk": "Рухани жаңғыру",
            "name_ru": "Рухани жангыру",
            "aliases": ["Рухани жаңғыру бағдарламасы", " ", "Ruhani Janghyru "],
        },
        content_type=JSON,
    )
    assert program.status_code == 201, program.json()
    assert program.json()["aliases"] == ["Рухани жаңғыру бағдарламасы", "Ruhani Janghyru"]
    program_id = program.json()["id"]
    direction = client.post(
        "/api/v1/directions",
        {"program": program_id, "name_kk": "Туған жер", "name_ru": "Туған жер", "aliases": ["TZh"]},
        content_type=JSON,
    )
    assert direction.status_code == 201, direction.json()
    direction_id = direction.json()["id"]
    project = client.post(
        "/api/v1/projects",
        {
            "program": program_id,
            "direction": direction_id,
            "territory": region.pk,
            "name_kk": "Ұлытау — Алтын Орда бесігі",
            "name_ru": "Улытау — колыбель Золотой Орды",
            "aliases": ["Алтын Орда бесігі"],
        },
        content_type=JSON,
    )
    assert project.status_code == 201, project.json()
    assert project.json()["aliases"] == ["Алтын Орда бесігі"]

    renamed = client.patch(
        f"/api/v1/directions/{direction_id}", {"aliases": ["Tugan Zher"]}, content_type=JSON
    )
    kept = client.patch(f"/api/v1/programs/{program_id}", {"status": "active"}, content_type=JSON)

    assert renamed.status_code == 200, renamed.json()
    assert client.get(f"/api/v1/directions/{direction_id}").json()["aliases"] == ["Tugan Zher"]
    assert Direction.objects.get(pk=direction_id).aliases == ["Tugan Zher"]
    assert kept.json()["aliases"] == ["Рухани жаңғыру бағдарламасы", "Ruhani Janghyru"]
    assert ids(client.get("/api/v1/programs", {"q": "janghyru"})) == [program_id]
    assert ids(client.get("/api/v1/directions", {"q": "tugan zher"})) == [direction_id]
    assert Program.objects.get(pk=program_id).history.first().aliases == [
        "Рухани жаңғыру бағдарламасы",
        "Ruhani Janghyru",
    ]


def test_an_alias_that_is_not_a_name_is_refused(as_user: AsUser, project_office: User) -> None:
    direction = DirectionFactory(aliases=["Тағзым"])
    client = as_user(project_office)

    too_long = client.patch(
        f"/api/v1/directions/{direction.pk}", {"aliases": ["Т" * 201]}, content_type=JSON
    )
    not_text = client.patch(
        f"/api/v1/directions/{direction.pk}", {"aliases": [{"name": "Т"}]}, content_type=JSON
    )

    assert too_long.status_code == 422
    assert not_text.status_code == 422
    assert fields(not_text) == {"aliases.0"}
    direction.refresh_from_db()
    assert direction.aliases == ["Тағзым"]


def test_direction_needs_a_program(as_user: AsUser, project_office: User) -> None:
    response = as_user(project_office).post(
        "/api/v1/directions",
        {"program": 999999, "name_kk": "Бағыт", "name_ru": "Атауы"},
        content_type=JSON,
    )

    assert response.status_code == 422
    assert fields(response) == {"program"}


# ---------------------------------------------------------------------------------------------
# Projects
# ---------------------------------------------------------------------------------------------


def test_coordinator_sees_projects_of_own_district_only(
    as_user: AsUser, coordinator_a: User, district_a: Territory, district_b: Territory
) -> None:
    ours = ProjectFactory(territory=district_a)
    theirs = ProjectFactory(territory=district_b)
    client = as_user(coordinator_a)

    assert ids(client.get("/api/v1/projects")) == [ours.pk]
    assert client.get(f"/api/v1/projects/{theirs.pk}").status_code == 404
    assert client.get(f"/api/v1/projects/{ours.pk}").status_code == 200


def test_project_list_filters(
    as_user: AsUser,
    project_office: User,
    district_a: Territory,
    district_b: Territory,
    organization_a: Organization,
) -> None:
    direction = DirectionFactory()
    village = TerritoryFactory(parent=district_a, kind="settlement")
    in_village = ProjectFactory(
        name_kk="Ауыл мектебі",
        program=direction.program,
        direction=direction,
        territory=village,
        lead_organization=organization_a,
        status="planned",
    )
    elsewhere = ProjectFactory(territory=district_b)
    client = as_user(project_office)

    assert ids(client.get(f"/api/v1/projects?territory={district_a.pk}")) == [in_village.pk]
    assert ids(client.get(f"/api/v1/projects?program={direction.program_id}")) == [in_village.pk]
    assert ids(client.get(f"/api/v1/projects?direction={direction.pk}")) == [in_village.pk]
    assert ids(client.get("/api/v1/projects?status=planned")) == [in_village.pk]
    assert ids(client.get(f"/api/v1/projects?program={elsewhere.program_id}")) == [elsewhere.pk]
    assert ids(client.get(f"/api/v1/projects?lead_organization={organization_a.pk}")) == [
        in_village.pk
    ]
    assert ids(client.get("/api/v1/projects", {"q": "мектеб"})) == [in_village.pk]


def test_coordinator_creates_and_updates_a_project_in_own_district(
    as_user: AsUser,
    coordinator_a: User,
    district_a: Territory,
    organization_a: Organization,
) -> None:
    direction = DirectionFactory()
    client = as_user(coordinator_a)

    created = client.post(
        "/api/v1/projects",
        {
            "program": direction.program_id,
            "direction": direction.pk,
            "territory": district_a.pk,
            "name_kk": "Жаңаарқа жастары",
            "name_ru": "Атауы",
            "lead_organization": organization_a.pk,
            "co_executors": [organization_a.pk],
            "budget": "1500000.50",
        },
        content_type=JSON,
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["territory"] == {"id": district_a.pk, "name": "Жаңаарқа ауданы"}
    assert Decimal(body["budget"]) == Decimal("1500000.50")

    updated = client.patch(
        f"/api/v1/projects/{body['id']}", {"status": "active"}, content_type=JSON
    )
    assert updated.status_code == 200, updated.json()
    project = Project.objects.get(pk=body["id"])
    assert project.status == "active"
    assert list(project.co_executors.all()) == [organization_a]


def test_project_rejects_bad_input(
    as_user: AsUser, project_office: User, district_a: Territory
) -> None:
    program = ProgramFactory()
    foreign_direction = DirectionFactory()
    client = as_user(project_office)
    base = {
        "program": program.pk,
        "territory": district_a.pk,
        "name_kk": "Жоба",
        "name_ru": "Атауы",
    }

    wrong_direction = client.post(
        "/api/v1/projects", {**base, "direction": foreign_direction.pk}, content_type=JSON
    )
    negative = client.post("/api/v1/projects", {**base, "budget": "-1"}, content_type=JSON)
    backwards = client.post(
        "/api/v1/projects",
        {**base, "start": "2025-01-01", "end": "2024-01-01"},
        content_type=JSON,
    )
    not_a_number = client.post("/api/v1/projects", {**base, "budget": "много"}, content_type=JSON)

    assert fields(wrong_direction) == {"direction"}
    assert fields(negative) == {"budget"}
    assert fields(backwards) == {"end"}
    assert fields(not_a_number) == {"budget"}
    assert {r.status_code for r in (wrong_direction, negative, backwards, not_a_number)} == {422}
    assert not Project.objects.exists()


def test_project_scope_is_enforced_on_writes(
    as_user: AsUser,
    coordinator_a: User,
    executive: User,
    observer: User,
    district_a: Territory,
    district_b: Territory,
) -> None:
    program = ProgramFactory()
    theirs = ProjectFactory(territory=district_b)
    ours = ProjectFactory(territory=district_a)

    elsewhere = as_user(coordinator_a).post(
        "/api/v1/projects",
        {"program": program.pk, "territory": district_b.pk, "name_kk": "Жоба", "name_ru": "Атауы"},
        content_type=JSON,
    )
    hidden = as_user(coordinator_a).patch(
        f"/api/v1/projects/{theirs.pk}", {"name_kk": "Басқа", "name_ru": "Атауы"}, content_type=JSON
    )
    by_observer = as_user(observer).post(
        "/api/v1/projects",
        {"program": program.pk, "territory": district_a.pk, "name_kk": "Жоба", "name_ru": "Атауы"},
        content_type=JSON,
    )
    by_executive = as_user(executive).patch(
        f"/api/v1/projects/{ours.pk}", {"name_kk": "Басқа", "name_ru": "Атауы"}, content_type=JSON
    )

    assert elsewhere.status_code == 422
    assert fields(elsewhere) == {"territory"}
    assert hidden.status_code == 404
    assert by_observer.status_code == 403
    assert by_executive.status_code == 403
    assert Project.objects.count() == 2


def test_a_coordinators_patch_keeps_the_co_executors_of_other_districts(
    as_user: AsUser,
    coordinator_a: User,
    district_a: Territory,
    organization_a: Organization,
    organization_b: Organization,
) -> None:
    project = ProjectFactory(territory=district_a, lead_organization=organization_a)
    project.co_executors.add(organization_a, organization_b)

    response = as_user(coordinator_a).patch(
        f"/api/v1/projects/{project.pk}", {"co_executors": []}, content_type=JSON
    )

    assert response.status_code == 200, response.json()
    assert list(project.co_executors.all()) == [organization_b]
