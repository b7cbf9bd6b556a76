"""boundaries_import and boundary_set: matched by KATO code or name, all or nothing, scoped,
each period closed by the next with its history; location_warning."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from shapely.geometry import Point

from factories import OrganizationFactory, TerritoryFactory
from geo.conftest import (
    A_AREA,
    B_AREA,
    BROKEN_POLYGON,
    REGION_AREA,
    ULYTAU_AREA,
    collection,
    feature,
    polygon,
)
from kense.accounts.models import User
from kense.geo.models import Boundary
from kense.geo.services import (
    BoundaryFileRefused,
    boundaries_import,
    boundary_set,
    location_warning,
)
from kense.registry.models import Territory

pytestmark = pytest.mark.django_db

SPRING_2022 = datetime.date(2022, 6, 8)


def refusal(data: bytes, user: User, **options: Any) -> list[str]:
    options.setdefault("valid_from", None)
    with pytest.raises(BoundaryFileRefused) as refused:
        boundaries_import(data, user=user, **options)
    return refused.value.errors


def boundary_of(territory: Territory, day: datetime.date | None = None) -> Boundary:
    """The territory's one boundary (in force on `day`): fails if there are two."""
    rows = Boundary.objects.filter(territory=territory)
    if day is not None:
        rows = rows.on(day)
    return rows.get()


def test_features_are_matched_by_kato_code(
    project_office: User, district_a: Territory, district_b: Territory
) -> None:
    data = collection(
        feature(polygon(A_AREA), kato="354400000", name="whatever the file calls it"),
        feature(polygon(B_AREA), KATO_CODE=355600000),
    )

    result = boundaries_import(data, user=project_office, valid_from=None, source="akimat.kz")

    assert [territory for _label, territory in result.saved] == [district_a, district_b]
    assert result.left_out == []
    boundary = boundary_of(district_a)
    assert (boundary.west, boundary.south, boundary.east, boundary.north) == (74, 47, 76, 50)
    assert boundary.source == "akimat.kz"
    assert boundary.geometry["type"] == "MultiPolygon"
    assert set(boundary.outlines) == {"country", "region", "district"}
    assert boundary_of(district_b).west == 72


@pytest.mark.parametrize(
    "properties",
    [
        {"name": "Қарқаралы ауданы"},
        {"name_ru": "КАРКАРАЛИНСКИЙ РАЙОН"},
        {"name": "karkaraly district"},
        {"ADM2_EN": "Karkaraly District"},
        {"name": "Каркаралы ауданы"},  # typed without the Kazakh letter
    ],
    ids=["kk", "ru upper case", "en lower case", "ADM2_EN", "folded"],
)
def test_features_are_matched_by_a_name_in_any_language_whatever_the_case(
    project_office: User, district_a: Territory, district_b: Territory, properties: Any
) -> None:
    result = boundaries_import(
        collection(feature(polygon(A_AREA), **properties)), user=project_office, valid_from=None
    )

    assert [territory for _label, territory in result.saved] == [district_a]
    assert Boundary.objects.get().territory == district_a


def test_a_name_that_fits_two_territories_is_refused(
    administrator: User, district_a: Territory, ulytau: Territory
) -> None:
    TerritoryFactory(name_kk="Қарқаралы ауданы", name_ru="Каркаралинский район", parent=ulytau)

    errors = refusal(collection(feature(polygon(A_AREA), name="Қарқаралы ауданы")), administrator)

    assert len(errors) == 1
    assert errors[0].startswith("№1 «Қарқаралы ауданы»: the name fits several territories (")
    assert errors[0].endswith("): give its KATO code.")
    assert not Boundary.objects.exists()


def test_two_features_for_one_territory_are_refused(
    project_office: User, district_a: Territory
) -> None:
    data = collection(
        feature(polygon(A_AREA), kato="354400000", name="Қарқаралы"),
        feature(polygon(B_AREA), name="Қарқаралы ауданы"),
    )

    errors = refusal(data, project_office)

    assert errors == [
        "№2 «Қарқаралы ауданы»: «Karkaraly District» already has the area of №1 «Қарқаралы»."
    ]
    assert not Boundary.objects.exists()


def test_an_unmatched_feature_is_refused_and_nothing_is_saved(
    project_office: User, district_a: Territory
) -> None:
    data = collection(
        feature(polygon(A_AREA), kato="354400000"),
        feature(polygon(B_AREA), name="Атлантида"),
    )

    errors = refusal(data, project_office)

    assert errors == ["№2 «Атлантида» matches no territory you may change."]
    assert not Boundary.objects.exists()


def test_unmatched_features_may_be_left_out(project_office: User, district_a: Territory) -> None:
    data = collection(
        feature(polygon(A_AREA), kato="354400000"),
        feature(polygon(B_AREA), name="Атлантида"),
    )

    result = boundaries_import(data, user=project_office, valid_from=None, leave_out_unmatched=True)

    assert [territory for _label, territory in result.saved] == [district_a]
    assert result.left_out == ["№2 «Атлантида»"]
    assert list(Boundary.objects.values_list("territory", flat=True)) == [district_a.pk]


@pytest.mark.parametrize("bad", ["a broken polygon", "a second area of A", "an unknown name"])
def test_any_error_saves_nothing_at_all(
    project_office: User, district_a: Territory, district_b: Territory, bad: str
) -> None:
    boundary_set(district_b, B_AREA, user=project_office, valid_from=None)
    before = list(Boundary.objects.values_list("pk", "valid_from", "valid_to", "west"))
    wrong = {
        "a broken polygon": feature(BROKEN_POLYGON, kato="355600000"),
        "a second area of A": feature(polygon(B_AREA), name="Karkaraly District"),
        "an unknown name": feature(polygon(B_AREA), name="Атлантида"),
    }[bad]
    data = collection(feature(polygon(A_AREA), kato="354400000"), wrong)

    with pytest.raises(BoundaryFileRefused):
        boundaries_import(data, user=project_office, valid_from=SPRING_2022)

    assert list(Boundary.objects.values_list("pk", "valid_from", "valid_to", "west")) == before
    district_a.refresh_from_db()
    assert district_a.location is None


def test_a_new_period_closes_the_earlier_one_the_day_before_and_keeps_it(
    project_office: User, district_a: Territory
) -> None:
    data = collection(feature(polygon(REGION_AREA), kato="354400000"))
    boundaries_import(data, user=project_office, valid_from=datetime.date(2020, 1, 1))
    earlier = Boundary.objects.get()

    boundaries_import(
        collection(feature(polygon(A_AREA), kato="354400000")),
        user=project_office,
        valid_from=SPRING_2022,
    )

    earlier.refresh_from_db()
    assert earlier.valid_to == datetime.date(2022, 6, 7)
    later = Boundary.objects.exclude(pk=earlier.pk).get()
    assert (later.valid_from, later.valid_to) == (SPRING_2022, None)
    assert boundary_of(district_a, datetime.date(2022, 6, 7)) == earlier
    assert boundary_of(district_a, SPRING_2022) == later
    # The closing is in the earlier one's history, as done by the importer.
    records = list(earlier.history.all())  # type: ignore[attr-defined]  # latest first
    assert [record.valid_to for record in records] == [datetime.date(2022, 6, 7), None]
    assert {record.history_user for record in records} == {project_office}


def test_a_period_imported_before_a_later_one_ends_the_day_before_it(
    project_office: User, district_a: Territory
) -> None:
    boundary_set(district_a, A_AREA, user=project_office, valid_from=SPRING_2022)

    older = boundary_set(
        district_a, REGION_AREA, user=project_office, valid_from=datetime.date(2020, 1, 1)
    )

    assert older.valid_to == datetime.date(2022, 6, 7)
    assert boundary_of(district_a, datetime.date(2021, 1, 1)) == older


def test_a_period_since_always_imported_after_a_dated_one_ends_before_it(
    project_office: User, district_a: Territory
) -> None:
    dated = boundary_set(district_a, A_AREA, user=project_office, valid_from=SPRING_2022)

    always = boundary_set(district_a, REGION_AREA, user=project_office, valid_from=None)

    # One boundary in force on each day, never two.
    assert always.valid_to == datetime.date(2022, 6, 7)
    assert boundary_of(district_a, datetime.date(2000, 1, 1)) == always
    assert boundary_of(district_a, datetime.date(2024, 1, 1)) == dated


def test_a_reimport_on_the_same_day_replaces_the_area(
    project_office: User, district_a: Territory
) -> None:
    boundaries_import(
        collection(feature(polygon(REGION_AREA), kato="354400000")),
        user=project_office,
        valid_from=SPRING_2022,
    )
    first = Boundary.objects.get()

    boundaries_import(
        collection(feature(polygon(A_AREA), kato="354400000")),
        user=project_office,
        valid_from=SPRING_2022,
        source="second",
    )

    replaced = Boundary.objects.get()
    assert replaced.pk == first.pk
    assert (replaced.west, replaced.source, replaced.valid_to) == (74, "second", None)
    assert replaced.history.count() == 2  # type: ignore[attr-defined]


def test_a_reimport_keeps_the_end_of_a_closed_period(
    project_office: User, district_a: Territory
) -> None:
    closed = boundary_set(
        district_a, REGION_AREA, user=project_office, valid_from=datetime.date(2020, 1, 1)
    )
    closed.valid_to = datetime.date(2021, 12, 31)  # the district was abolished then
    closed.save(update_fields=["valid_to"])

    again = boundary_set(
        district_a, A_AREA, user=project_office, valid_from=datetime.date(2020, 1, 1)
    )

    assert again.pk == closed.pk
    assert again.valid_to == datetime.date(2021, 12, 31)


def test_the_first_boundary_gives_a_territory_without_a_centre_one_inside_it(
    project_office: User, district_a: Territory, district_b: Territory
) -> None:
    district_b.latitude, district_b.longitude = 48.77, 73.67
    district_b.save(update_fields=["latitude", "longitude"])
    data = collection(
        feature(polygon(A_AREA), kato="354400000"), feature(polygon(B_AREA), kato="355600000")
    )

    boundaries_import(data, user=project_office, valid_from=None)

    district_a.refresh_from_db()
    district_b.refresh_from_db()
    assert district_a.location is not None
    latitude, longitude = district_a.location
    assert A_AREA.contains(Point(longitude, latitude))
    assert district_b.location == (48.77, 73.67)


def test_a_coordinator_imports_only_inside_their_district(
    coordinator: User, district_a: Territory, district_b: Territory
) -> None:
    ours = collection(feature(polygon(A_AREA), kato="354400000"))
    theirs = collection(
        feature(polygon(A_AREA), kato="354400000"),
        feature(polygon(B_AREA), kato="355600000", name="Шет ауданы"),
    )

    assert refusal(theirs, coordinator) == ["№2 «Шет ауданы» matches no territory you may change."]
    assert not Boundary.objects.exists()

    result = boundaries_import(ours, user=coordinator, valid_from=None)
    assert [territory for _label, territory in result.saved] == [district_a]


def test_a_project_office_cannot_import_for_another_region(
    project_office: User, district_a: Territory, ulytau: Territory
) -> None:
    data = collection(feature(polygon(ULYTAU_AREA), kato="620000000", name="Ulytau Region"))

    assert refusal(data, project_office) == [
        "№1 «Ulytau Region» matches no territory you may change."
    ]


@pytest.mark.parametrize("role", ["executive", "observer", "department", "institution"])
def test_a_role_that_may_not_add_boundaries_is_denied(
    users: dict[str, User], district_a: Territory, role: str
) -> None:
    data = collection(feature(polygon(A_AREA), kato="354400000"))

    with pytest.raises(PermissionDenied):
        boundaries_import(data, user=users[role], valid_from=None)

    assert not Boundary.objects.exists()


def test_the_administrator_imports_anywhere(
    administrator: User, district_a: Territory, ulytau: Territory
) -> None:
    data = collection(
        feature(polygon(A_AREA), kato="354400000"), feature(polygon(ULYTAU_AREA), kato="620000000")
    )

    result = boundaries_import(data, user=administrator, valid_from=None)

    assert [territory for _label, territory in result.saved] == [district_a, ulytau]


def test_location_warning_for_a_point_outside_the_territory(
    project_office: User, district_a: Territory
) -> None:
    boundary_set(district_a, A_AREA, user=project_office, valid_from=datetime.date(2020, 1, 1))
    inside = OrganizationFactory(territory=district_a, latitude=49.41, longitude=75.47)
    outside = OrganizationFactory(territory=district_a, latitude=49.41, longitude=73.0)
    nowhere = OrganizationFactory(territory=district_a)
    day = datetime.date(2024, 1, 1)

    assert location_warning(inside, district_a, day) == ""
    assert location_warning(outside, district_a, day) == (
        "The point 49.41, 73.0 lies outside the boundary of Karkaraly District: check it."
    )
    assert location_warning(nowhere, district_a, day) == ""
    # Before the boundary was in force there is nothing to check against.
    assert location_warning(outside, district_a, datetime.date(2019, 1, 1)) == ""
