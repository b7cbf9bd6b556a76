"""territory_map: a territory's direct units as the tree stood on a day, drawn with the
boundaries in force that day, those the user may see."""

from __future__ import annotations

import datetime

import pytest

from geo.conftest import A_AREA, B_AREA, REGION_AREA, ULYTAU_AREA
from kense.accounts.models import User
from kense.geo.selectors import outline_area, territory_map
from kense.geo.services import boundaries_by_territory, boundary_set
from kense.registry.models import Territory
from kense.registry.services import territory_save

pytestmark = pytest.mark.django_db

MOVED_ON = datetime.date(2022, 6, 8)
BEFORE = datetime.date(2021, 3, 1)
AFTER = datetime.date(2023, 3, 1)
SINCE = datetime.date(2020, 1, 1)


@pytest.fixture
def moved(
    administrator: User,
    region: Territory,
    district_a: Territory,
    district_b: Territory,
    ulytau: Territory,
) -> Territory:
    """B moved from region R to Ulytau region on MOVED_ON; every area given since 2020."""
    boundaries_by_territory(
        {region: REGION_AREA, district_a: A_AREA, district_b: B_AREA, ulytau: ULYTAU_AREA},
        user=administrator,
        valid_from=SINCE,
        source="test",
    )
    district_b.parent = ulytau
    territory_save(district_b, user=administrator, moved_on=MOVED_ON)
    return district_b


def keys(drawn: object) -> list[str]:
    return [area.key for area in drawn.areas()]  # type: ignore[attr-defined]


def test_the_map_of_a_day_has_the_units_of_that_day(
    administrator: User,
    region: Territory,
    district_a: Territory,
    moved: Territory,
    ulytau: Territory,
) -> None:
    before = territory_map(administrator, region, BEFORE)
    after = territory_map(administrator, region, AFTER)
    ulytau_after = territory_map(administrator, ulytau, AFTER)
    ulytau_before = territory_map(administrator, ulytau, BEFORE)

    assert {unit.pk for unit in before.units} == {district_a.pk, moved.pk}
    assert sorted(keys(before)) == sorted([str(district_a.pk), str(moved.pk)])
    assert [unit.pk for unit in after.units] == [district_a.pk]
    assert keys(after) == [str(district_a.pk)]
    assert [unit.pk for unit in ulytau_after.units] == [moved.pk]
    assert ulytau_before.units == []
    # The region's own boundary is its outline, not one of its units.
    assert before.own is not None and before.own.territory_id == region.pk
    assert before.bounds == (72, 47, 76, 50)
    assert [area.key for area in outline_area(before)] == [f"outline-{region.pk}"]
    assert before.detail == "region"


def test_the_map_of_a_day_before_any_boundary_lists_the_units_without_one(
    administrator: User, region: Territory, district_a: Territory, moved: Territory
) -> None:
    drawn = territory_map(administrator, region, datetime.date(2019, 6, 1))

    assert drawn.boundaries == {}
    assert drawn.own is None
    assert {unit.pk for unit in drawn.without_boundary} == {district_a.pk, moved.pk}
    assert drawn.areas() == []


def test_a_boundary_whose_period_ended_is_not_drawn_after_its_end(
    administrator: User, region: Territory, district_a: Territory, district_b: Territory
) -> None:
    boundaries_by_territory(
        {district_a: A_AREA, district_b: B_AREA},
        user=administrator,
        valid_from=SINCE,
        source="test",
    )
    boundaries_by_territory(
        {district_b: B_AREA},
        user=administrator,
        valid_from=SINCE,
        valid_to=datetime.date(2021, 12, 31),
        source="test",
    )

    on_its_last_day = territory_map(administrator, region, datetime.date(2021, 12, 31))
    after_it = territory_map(administrator, region, datetime.date(2022, 1, 1))

    assert set(on_its_last_day.boundaries) == {district_a.pk, district_b.pk}
    assert set(after_it.boundaries) == {district_a.pk}
    assert [unit.pk for unit in after_it.without_boundary] == [district_b.pk]


def test_a_newer_period_replaces_the_older_on_the_map(
    administrator: User, region: Territory, district_a: Territory
) -> None:
    boundary_set(district_a, REGION_AREA, user=administrator, valid_from=SINCE)
    boundary_set(district_a, A_AREA, user=administrator, valid_from=MOVED_ON)

    before = territory_map(administrator, region, BEFORE).boundaries[district_a.pk]
    after = territory_map(administrator, region, AFTER).boundaries[district_a.pk]

    assert before.west == 72
    assert after.west == 74


def test_a_coordinator_sees_the_map_of_their_district_by_default(
    coordinator: User,
    administrator: User,
    region: Territory,
    district_a: Territory,
    district_b: Territory,
) -> None:
    village = territory_save(
        Territory(
            name_kk="Қарқаралы", name_ru="Каркаралинск", kind="settlement", parent=district_a
        ),
        user=administrator,
    )
    boundaries_by_territory(
        {district_a: A_AREA, district_b: B_AREA, village: A_AREA.buffer(-0.5)},
        user=administrator,
        valid_from=None,
        source="test",
    )

    drawn = territory_map(coordinator, None, AFTER)

    assert drawn.territory == district_a
    assert [unit.pk for unit in drawn.units] == [village.pk]
    assert drawn.own is not None and drawn.own.territory_id == district_a.pk
    assert drawn.detail == "district"


def test_a_user_sees_on_the_map_only_the_units_of_their_scope(
    project_office: User,
    region: Territory,
    district_a: Territory,
    ulytau: Territory,
    administrator: User,
) -> None:
    boundaries_by_territory(
        {region: REGION_AREA, ulytau: ULYTAU_AREA},
        user=administrator,
        valid_from=None,
        source="test",
    )

    office = territory_map(project_office, None, AFTER)
    country = territory_map(administrator, None, AFTER)

    assert office.territory == region
    assert ulytau.pk not in office.boundaries
    # Two regions at the top of the tree: the administrator's map is the country's.
    assert country.territory is None
    assert {unit.pk for unit in country.units} == {region.pk, ulytau.pk}
    assert set(country.boundaries) == {region.pk, ulytau.pk}
    assert country.detail == "country"
