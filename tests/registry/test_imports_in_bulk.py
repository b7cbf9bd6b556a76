"""The organization import saves in bulk: a fixed number of queries whatever the number of rows,
with the same paths, history, memberships, errors and scope as organization_save row by row."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from factories import OrganizationFactory, TerritoryFactory, UserFactory
from kense.accounts.models import User
from kense.core.permissions import Role
from kense.registry.imports import RowError
from kense.registry.models import (
    Organization,
    OrganizationParentPeriod,
    Territory,
    TerritoryKind,
    TerritoryParentPeriod,
)
from kense.registry.services import organization_save
from registry.test_imports import (
    ORGANIZATION_KEYS,
    as_user,
    errors_of,
    organization_row,
    upload,
    workbook_bytes,
)

pytestmark = pytest.mark.django_db

HistoricalOrganization: Any = Organization.history.model  # type: ignore[attr-defined]


@pytest.fixture
def region() -> Territory:
    return TerritoryFactory.create(
        name_kk="Қарағанды облысы", kind=TerritoryKind.REGION, kato="350000000"
    )


@pytest.fixture
def nura(region: Territory) -> Territory:
    return TerritoryFactory.create(name_kk="Нұра ауданы", parent=region, kato="354400000")


@pytest.fixture
def shet(region: Territory) -> Territory:
    return TerritoryFactory.create(name_kk="Шет ауданы", parent=region, kato="355600000")


@pytest.fixture
def project_office(region: Territory) -> User:
    return UserFactory.create(role=Role.PROJECT_OFFICE, territory=region)


def school(n: int, **values: Any) -> list[Any]:
    return organization_row(
        **{
            "name_kk": f"№{n} мектеп",
            "name_ru": f"Школа №{n}",
            "kind": "school",
            "territory": "Нұра ауданы",
            "bin": f"{n:012d}",
            **values,
        }
    )


def import_schools(user: User, count: int, first: int = 1) -> tuple[Any, int]:
    """Import `count` schools, every fifth under the row above; the response and its queries."""
    rows = [
        school(n, parent=f"№{n - 1} мектеп" if n % 5 == 0 else None)
        for n in range(first, first + count)
    ]
    content = workbook_bytes(ORGANIZATION_KEYS, rows)
    cache.clear()  # counted cold: what is kept between requests is read afresh
    with CaptureQueriesContext(connection) as queries:
        response = upload(as_user(user), "organizations", content)
    return response, len(queries)


def test_the_number_of_queries_does_not_grow_with_the_rows(
    project_office: User, nura: Territory
) -> None:
    few, few_queries = import_schools(project_office, 5)
    # SQLite takes at most 999 parameters a query, so Django splits the INSERT of organizations
    # every 49 rows and that of their history every 45: the count grows by batch, not by row.
    # 40 rows stay within one batch on every database.
    many, many_queries = import_schools(project_office, 40, first=101)

    assert few.status_code == many.status_code == 302, errors_of(few) + errors_of(many)
    assert Organization.objects.count() == 45
    assert Organization.objects.exclude(parent=None).count() == 1 + 8
    assert many_queries == few_queries


def test_each_organization_has_one_history_row_by_the_importer_and_its_membership(
    project_office: User, nura: Territory
) -> None:
    response, _ = import_schools(project_office, 10)

    assert response.status_code == 302, errors_of(response)
    history = HistoricalOrganization.objects.all()
    assert sorted(history.values_list("id", flat=True)) == sorted(
        Organization.objects.values_list("pk", flat=True)
    )
    assert {(record.history_type, record.history_user) for record in history} == {
        ("+", project_office)
    }
    fifth = Organization.objects.get(name_kk="№5 мектеп")  # type: ignore[misc]
    assert history.get(id=fifth.pk).parent_id == fifth.parent_id
    period = OrganizationParentPeriod.objects.get(organization=fifth)
    assert (period.organization, period.parent_id, period.start) == (fifth, fifth.parent_id, None)
    assert period.history.get().history_user == project_office  # type: ignore[attr-defined]
    stored = fifth.search_text
    fifth.refresh_search_text()
    assert stored == fifth.search_text and "мектеп" in stored


def test_history_and_membership_are_those_organization_save_writes(
    project_office: User, nura: Territory
) -> None:
    parent = OrganizationFactory.create(name_kk="Білім бөлімі", territory=nura)
    by_hand = organization_save(
        Organization(
            name_kk="Қолмен", name_ru="Вручную", kind="school", territory=nura, parent=parent
        ),
        user=project_office,
    )
    response = upload(
        as_user(project_office),
        "organizations",
        workbook_bytes(ORGANIZATION_KEYS, [school(1, parent="Білім бөлімі")]),
    )

    assert response.status_code == 302, errors_of(response)
    imported = Organization.objects.get(name_kk="№1 мектеп")  # type: ignore[misc]
    fields = ["history_type", "history_change_reason", "history_user", "parent_id"]
    assert HistoricalOrganization.objects.filter(id=imported.pk).values(*fields).get() == (
        HistoricalOrganization.objects.filter(id=by_hand.pk).values(*fields).get()
    )
    memberships = OrganizationParentPeriod.objects.values("parent", "start", "end", "act")
    assert memberships.get(organization=imported) == memberships.get(organization=by_hand)


def test_paths_under_a_saved_parent_and_under_a_parent_in_a_row_above(
    project_office: User, nura: Territory
) -> None:
    department = OrganizationFactory.create(name_kk="Білім бөлімі", territory=nura)
    rows = [
        school(1, parent="Білім бөлімі"),
        school(2),
        school(3, parent="№1 мектеп"),  # a row above
        school(4, parent="000000000003"),  # the BIN of a row above, itself under a row above
    ]

    response = upload(
        as_user(project_office), "organizations", workbook_bytes(ORGANIZATION_KEYS, rows)
    )

    assert response.status_code == 302, errors_of(response)
    first, second, third, fourth = Organization.objects.exclude(pk=department.pk).order_by("bin")
    assert (first.parent, first.path, first.depth) == (
        department,
        f"{department.path}{first.pk}/",
        department.depth + 1,
    )
    assert (second.parent, second.path, second.depth) == (None, f"/{second.pk}/", 0)
    assert (third.parent, third.path, third.depth) == (first, f"{first.path}{third.pk}/", 2)
    assert (fourth.parent, fourth.path, fourth.depth) == (third, f"{third.path}{fourth.pk}/", 3)
    assert [first.pk, second.pk, third.pk, fourth.pk] == sorted(
        [first.pk, second.pk, third.pk, fourth.pk]
    )
    assert list(department.children.all()) == [first]


def test_an_error_in_the_last_of_many_rows_saves_nothing_and_names_that_row(
    project_office: User, nura: Territory
) -> None:
    rows = [school(n) for n in range(1, 60)] + [school(60, email="not-mail")]

    response = upload(
        as_user(project_office), "organizations", workbook_bytes(ORGANIZATION_KEYS, rows)
    )

    assert response.status_code == 400
    assert errors_of(response) == [RowError(62, "E-mail", "Enter a valid email address.")]
    assert not Organization.objects.exists()
    assert not HistoricalOrganization.objects.exists()


def test_a_row_where_the_coordinator_may_look_but_not_write_is_refused_alone(
    nura: Territory, shet: Territory
) -> None:
    # Moved from Nura district to Shet: Nura's coordinator still reads its past, adds nothing.
    moved = TerritoryFactory.create(name_kk="Ақтоғай", parent=shet, kato="355601000")
    TerritoryParentPeriod.objects.create(
        territory=moved, parent=nura, end=datetime.date(2022, 6, 8)
    )
    coordinator = UserFactory.create(role=Role.COORDINATOR, territory=nura)
    rows = [
        school(1),
        school(2, territory="Ақтоғай"),
        school(3, parent="№2 мектеп"),  # under the refused row: it is not there to be named
        school(4, parent="№1 мектеп"),
    ]

    response = upload(
        as_user(coordinator), "organizations", workbook_bytes(ORGANIZATION_KEYS, rows)
    )

    assert response.status_code == 400
    assert errors_of(response) == [
        RowError(4, "Territory", "You may not add an organization here."),
        RowError(
            5,
            "Parent organization",
            "There is no organization «№2 мектеп» among those you may see or in the rows above.",
        ),
    ]
    assert not Organization.objects.exists()


def test_bins_already_in_the_registry_are_errors_of_their_rows(
    project_office: User, nura: Territory
) -> None:
    elsewhere = TerritoryFactory.create(name_kk="Алматы", kind=TerritoryKind.CITY)
    OrganizationFactory.create(territory=nura, bin="000000000002")
    OrganizationFactory.create(territory=elsewhere, bin="000000000004")  # not visible: still taken
    rows = [school(n) for n in range(1, 6)]

    response = upload(
        as_user(project_office), "organizations", workbook_bytes(ORGANIZATION_KEYS, rows)
    )

    assert response.status_code == 400
    assert errors_of(response) == [
        RowError(4, "BIN", "Organization with this BIN already exists."),
        RowError(6, "BIN", "Organization with this BIN already exists."),
    ]
    assert Organization.objects.count() == 2
