"""Creating many registry objects in one call: POST /api/v1/<entity>/bulk, all or none."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from factories import OrganizationFactory, PersonFactory, PositionFactory
from kense.accounts.models import User
from kense.programs.models import Program, Project
from kense.registry.api import BULK_LIMIT
from kense.registry.models import (
    Appointment,
    Organization,
    OrganizationParentPeriod,
    Person,
    Position,
    StaffPost,
    Territory,
    TerritoryParentPeriod,
)

pytestmark = pytest.mark.django_db

JSON = "application/json"
AsUser = Callable[..., Client]


def post(client: Client, path: str, items: Any, **headers: Any) -> Any:
    return client.post(f"/api/v1/{path}", json.dumps(items), content_type=JSON, **headers)


def errors(response: Any) -> dict[str | None, str]:
    return {error["field"]: error["message"] for error in response.json()["detail"]}


def territory(name: str, **fields: Any) -> dict[str, Any]:
    return {"name_kk": name, "name_ru": name, "kind": "rural_district", **fields}


def test_territories_are_created_with_parents_named_by_ref(
    as_user: AsUser, project_office: User, district_a: Territory
) -> None:
    items = [
        territory("Ақтау ауылдық округі", parent=district_a.pk, ref="aktau", act="№ 12"),
        {**territory("Ақтау ауылы", parent_ref="aktau"), "kind": "settlement"},
        {**territory("Қызыл ауылы", parent_ref="aktau"), "kind": "settlement"},
    ]

    response = post(as_user(project_office), "territories/bulk", items)

    assert response.status_code == 201, response.json()
    body = response.json()
    assert [item["name_kk"] for item in body] == [item["name_kk"] for item in items]
    okrug = Territory.objects.get(name_kk="Ақтау ауылдық округі")
    assert body[0]["id"] == okrug.pk
    assert body[0]["parent"]["id"] == district_a.pk
    assert [item["parent"]["id"] for item in body[1:]] == [okrug.pk, okrug.pk]
    assert set(okrug.children.values_list("name_kk", flat=True)) == {"Ақтау ауылы", "Қызыл ауылы"}
    # The single create's service ran for each: the membership under the parent, with its act.
    assert TerritoryParentPeriod.objects.get(territory=okrug).act == "№ 12"


def test_one_bad_item_saves_nothing_and_each_error_names_its_item(
    as_user: AsUser, project_office: User, district_a: Territory
) -> None:
    items = [
        territory("Жақсы округ", parent=district_a.pk, ref="good"),
        territory("", parent=district_a.pk),
        territory("Кодсыз", parent=district_a.pk, kato="12"),
        territory("Жетім", parent_ref="nowhere"),
    ]
    before = Territory.objects.count()

    response = post(as_user(project_office), "territories/bulk", items, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 422
    found = errors(response)
    assert {"1.name_kk", "2.kato", "3.parent_ref"} <= set(found)
    assert not any(field and field.startswith("0.") for field in found)
    assert found["2.kato"] == "A KATO code is nine digits."
    assert Territory.objects.count() == before
    assert not Territory.objects.filter(name_kk="Жақсы округ").exists()


def test_errors_are_in_the_callers_language(
    as_user: AsUser, project_office: User, district_a: Territory
) -> None:
    items = [territory("Округ", parent=district_a.pk, kato="12")]

    client = as_user(project_office)

    russian = post(client, "territories/bulk", items, HTTP_ACCEPT_LANGUAGE="ru")
    english = post(client, "territories/bulk", items, HTTP_ACCEPT_LANGUAGE="en")

    assert russian.status_code == english.status_code == 422
    assert errors(english)["0.kato"] == "A KATO code is nine digits."
    assert errors(russian)["0.kato"] != errors(english)["0.kato"]


def test_an_unparsable_item_is_named_by_its_index(
    as_user: AsUser, project_office: User, district_a: Territory
) -> None:
    items = [territory("Округ", parent=district_a.pk), {"name_kk": "Жоқ", "kind": "rural_district"}]

    response = post(as_user(project_office), "territories/bulk", items)

    assert response.status_code == 422
    assert "1.name_ru" in errors(response)


def test_more_items_than_the_limit_are_refused(
    as_user: AsUser, project_office: User, district_a: Territory
) -> None:
    items = [territory(f"Округ {n}", parent=district_a.pk) for n in range(BULK_LIMIT + 1)]

    response = post(as_user(project_office), "territories/bulk", items)

    assert response.status_code == 422
    assert "1000" in response.json()["detail"][0]["message"]
    assert not Territory.objects.filter(name_kk="Округ 0").exists()


def test_bulk_has_the_permissions_of_the_single_create(
    as_user: AsUser,
    executive: User,
    coordinator_a: User,
    district_a: Territory,
    district_b: Territory,
) -> None:
    refused = post(
        as_user(executive), "territories/bulk", [territory("Округ", parent=district_a.pk)]
    )
    # The coordinator of A adds inside A, not inside B: B's district is no parent they see.
    outside = post(
        as_user(coordinator_a),
        "territories/bulk",
        [territory("Ішінде", parent=district_a.pk), territory("Сыртта", parent=district_b.pk)],
    )

    assert refused.status_code == 403
    assert outside.status_code == 422
    assert set(errors(outside)) == {"1.parent"}
    assert not Territory.objects.filter(name_kk__in=["Округ", "Ішінде", "Сыртта"]).exists()


def test_organizations_refer_to_an_earlier_one_as_parent(
    as_user: AsUser, project_office: User, district_a: Territory
) -> None:
    items = [
        {"name_kk": "Білім бөлімі", "name_ru": "Отдел образования", "kind": "division",
         "territory": district_a.pk, "ref": "edu"},
        {"name_kk": "№1 мектеп", "name_ru": "Школа №1", "kind": "school",
         "territory": district_a.pk, "parent_ref": "edu"},
    ]  # fmt: skip

    response = post(as_user(project_office), "organizations/bulk", items)

    assert response.status_code == 201, response.json()
    division, school = response.json()
    assert school["parent"] == {"id": division["id"], "name": "Білім бөлімі"}
    school_period = OrganizationParentPeriod.objects.get(organization_id=school["id"])
    assert school_period.parent_id == division["id"]


def test_a_ref_used_twice_is_an_error(
    as_user: AsUser, project_office: User, district_a: Territory
) -> None:
    items = [
        territory("Бір", parent=district_a.pk, ref="x"),
        territory("Екі", parent=district_a.pk, ref="x"),
    ]

    response = post(as_user(project_office), "territories/bulk", items)

    assert response.status_code == 422
    assert set(errors(response)) == {"1.ref"}


def test_people_posts_and_appointments_in_bulk(
    as_user: AsUser, project_office: User, district_a: Territory, organization_a: Organization
) -> None:
    client = as_user(project_office)
    teacher = PositionFactory()
    people = post(
        client,
        "people/bulk",
        [
            {"surname_kk": "Ахметов", "surname_ru": "Ахметов", "given_name_kk": "Ерлан",
             "given_name_ru": "Ерлан", "territory": district_a.pk},
            {"surname_kk": "Сейітова", "surname_ru": "Сеитова", "given_name_kk": "Әлия",
             "given_name_ru": "Алия", "territory": district_a.pk},
        ],
    )  # fmt: skip
    posts = post(
        client,
        "staff-posts/bulk",
        [{"organization": organization_a.pk, "position": teacher.pk, "order": n} for n in (1, 2)],
    )
    assert people.status_code == 201, people.json()
    assert posts.status_code == 201, posts.json()
    first, second = (person["id"] for person in people.json())
    appointments = post(
        client,
        "appointments/bulk",
        [
            {"person": first, "organization": organization_a.pk, "position": teacher.pk,
             "post": posts.json()[0]["id"], "start": "2024-09-01"},
            {"person": second, "organization": organization_a.pk, "position": teacher.pk,
             "start": "2024-09-01", "end": "2024-01-01"},
        ],
    )  # fmt: skip

    assert Person.objects.filter(pk__in=[first, second]).count() == 2
    assert StaffPost.objects.filter(organization=organization_a).count() == 2
    assert appointments.status_code == 422
    assert set(errors(appointments)) == {"1.end"}
    assert not Appointment.objects.exists()


def test_positions_in_bulk_are_for_administrators(
    as_user: AsUser, administrator: User, project_office: User
) -> None:
    items = [
        {"code": "teacher", "name_kk": "Мұғалім", "name_ru": "Учитель"},
        {"code": "nurse", "name_kk": "Мейірбике", "name_ru": "Медсестра"},
    ]

    refused = post(as_user(project_office), "positions/bulk", items)
    created = post(as_user(administrator), "positions/bulk", items)

    assert refused.status_code == 403
    assert created.status_code == 201
    assert set(Position.objects.values_list("code", flat=True)) == {"teacher", "nurse"}


def test_queries_grow_with_the_items_as_the_single_create_does(
    as_user: AsUser, project_office: User, district_a: Territory
) -> None:
    client = as_user(project_office)
    OrganizationFactory(territory=district_a)  # warm up sequences
    PersonFactory()

    def count(n: int) -> int:
        items = [
            {"surname_kk": f"Ат{n}{i}", "surname_ru": "А", "given_name_kk": "Б",
             "given_name_ru": "Б", "territory": district_a.pk}
            for i in range(n)
        ]  # fmt: skip
        with CaptureQueriesContext(connection) as queries:
            response = post(client, "people/bulk", items)
        assert response.status_code == 201
        return len(queries)

    one, three = count(1), count(3)
    per_item = (three - one) // 2
    with CaptureQueriesContext(connection) as single:
        post(
            client,
            "people",
            {"surname_kk": "Жалғыз", "surname_ru": "А", "given_name_kk": "Б",
             "given_name_ru": "Б", "territory": district_a.pk},
        )  # fmt: skip
    # Each item costs what a single create costs, and no more (plus its savepoint).
    assert per_item <= len(single.captured_queries) + 2


def test_programs_directions_and_projects_in_bulk(
    as_user: AsUser,
    project_office: User,
    coordinator_a: User,
    district_a: Territory,
    organization_a: Organization,
) -> None:
    office = as_user(project_office)
    programs = post(
        office,
        "programs/bulk",
        [{"code": "youth", "name_kk": "Жастар", "name_ru": "Молодёжь",
          "co_executors": [organization_a.pk]}],
    )  # fmt: skip
    assert programs.status_code == 201, programs.json()
    [program] = programs.json()
    assert program["co_executors"] == [{"id": organization_a.pk, "name": organization_a.name_kk}]
    directions = post(
        office,
        "directions/bulk",
        [{"name_kk": "Спорт", "name_ru": "Спорт", "program": program["id"]}],
    )
    assert directions.status_code == 201, directions.json()
    project = {"program": program["id"], "territory": district_a.pk, "name_ru": "Проект"}

    projects = post(
        as_user(coordinator_a),
        "projects/bulk",
        [
            {**project, "name_kk": "Бас жоба", "ref": "main"},
            {**project, "name_kk": "Бөлігі", "parent_ref": "main"},
        ],
    )
    refused = post(
        as_user(coordinator_a), "programs/bulk", [{"code": "x", "name_kk": "X", "name_ru": "X"}]
    )

    assert projects.status_code == 201, projects.json()
    main, part = projects.json()
    assert part["parent"] == {"id": main["id"], "name": "Бас жоба"}
    assert Project.objects.get(pk=part["id"]).parent_id == main["id"]
    assert refused.status_code == 403
    assert not Program.objects.filter(code="x").exists()
