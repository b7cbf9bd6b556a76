"""GET /api/v1/geo/territories and /api/v1/geo/points: GeoJSON FeatureCollections, scoped as
the pages are."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from shapely.geometry import shape

from factories import EventFactory, MeetingFactory, OrganizationFactory, ProjectFactory
from geo.conftest import A_AREA, B_AREA, REGION_AREA, ULYTAU_AREA, with_token
from kense.accounts.models import User
from kense.geo.services import boundaries_by_territory, boundary_set
from kense.registry.models import Organization, Territory
from kense.registry.services import territory_save

pytestmark = pytest.mark.django_db

TERRITORIES = "/api/v1/geo/territories"
POINTS = "/api/v1/geo/points"
SINCE = datetime.date(2020, 1, 1)
MOVED_ON = datetime.date(2022, 6, 8)


@pytest.fixture
def mapped(
    administrator: User,
    region: Territory,
    district_a: Territory,
    district_b: Territory,
    ulytau: Territory,
) -> None:
    boundaries_by_territory(
        {region: REGION_AREA, district_a: A_AREA, district_b: B_AREA, ulytau: ULYTAU_AREA},
        user=administrator,
        valid_from=SINCE,
        source="akimat",
    )


def get(user: User, url: str, **params: Any) -> Any:
    response = with_token(user).get(url, params)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["type"] == "FeatureCollection"
    return body


def territories_of(body: Any) -> list[int]:
    return [item["properties"]["territory"] for item in body["features"]]


@pytest.mark.usefixtures("mapped")
def test_the_territories_are_a_feature_collection_of_today_s_boundaries(
    administrator: User,
    region: Territory,
    district_a: Territory,
    district_b: Territory,
    ulytau: Territory,
) -> None:
    body = get(administrator, TERRITORIES)

    assert sorted(territories_of(body)) == sorted(
        [region.pk, district_a.pk, district_b.pk, ulytau.pk]
    )
    first = next(item for item in body["features"] if item["properties"]["territory"] == region.pk)
    assert first["type"] == "Feature"
    assert first["geometry"]["type"] == "MultiPolygon"
    assert first["properties"] == {
        "territory": region.pk,
        "name": "Қарағанды облысы",  # the API speaks Kazakh unless asked
        "kind": "region",
        "kato": "350000000",
        "valid_from": "2020-01-01",
        "valid_to": None,
        "schematic": False,
        "source": "akimat",
    }
    assert shape(first["geometry"]).equals(REGION_AREA)


def test_on_chooses_the_boundaries_of_that_day(administrator: User, district_a: Territory) -> None:
    boundary_set(district_a, REGION_AREA, user=administrator, valid_from=SINCE)
    boundary_set(district_a, A_AREA, user=administrator, valid_from=MOVED_ON)

    before = get(administrator, TERRITORIES, on="2021-01-01")
    after = get(administrator, TERRITORIES, on="2023-01-01")
    too_early = get(administrator, TERRITORIES, on="2019-01-01")

    assert [item["properties"]["valid_to"] for item in before["features"]] == ["2022-06-07"]
    assert shape(before["features"][0]["geometry"]).bounds == (72, 47, 76, 50)
    assert [item["properties"]["valid_from"] for item in after["features"]] == ["2022-06-08"]
    assert shape(after["features"][0]["geometry"]).bounds == (74, 47, 76, 50)
    assert too_early["features"] == []


@pytest.mark.usefixtures("mapped")
def test_within_narrows_to_a_subtree_as_it_stood_that_day(
    administrator: User,
    region: Territory,
    district_a: Territory,
    district_b: Territory,
    ulytau: Territory,
) -> None:
    district_b.parent = ulytau
    territory_save(district_b, user=administrator, moved_on=MOVED_ON)

    before = get(administrator, TERRITORIES, within=region.pk, on="2021-01-01")
    after = get(administrator, TERRITORIES, within=region.pk, on="2023-01-01")
    districts = get(administrator, TERRITORIES, within=region.pk, on="2021-01-01", kind="district")

    assert sorted(territories_of(before)) == sorted([region.pk, district_a.pk, district_b.pk])
    assert sorted(territories_of(after)) == sorted([region.pk, district_a.pk])
    assert sorted(territories_of(districts)) == sorted([district_a.pk, district_b.pk])


def test_detail_full_returns_the_geometry_as_imported(
    administrator: User, district_a: Territory
) -> None:
    # A ragged edge of 400 points 800 m apart, zigzagging by 50 m: simplified for any level of
    # display, it is a straight line.
    ragged = [(76 - 0.0005 * (n % 2), 47 + 3 * n / 400) for n in range(401)]
    area = type(A_AREA)([(74, 47), *ragged, (74, 50)])
    boundary_set(district_a, area, user=administrator, valid_from=None)

    def points(detail: str) -> int:
        body = get(administrator, TERRITORIES, detail=detail)
        return sum(
            len(ring) for part in body["features"][0]["geometry"]["coordinates"] for ring in part
        )

    assert points("full") == 404
    assert points("district") < 10
    assert points("country") <= points("region") <= points("district")
    full = get(administrator, TERRITORIES, detail="full")["features"][0]["geometry"]
    assert shape(full).symmetric_difference(area).area < 1e-9


@pytest.mark.usefixtures("mapped")
def test_a_coordinator_gets_only_the_territories_of_their_scope(
    coordinator: User, district_a: Territory, region: Territory, district_b: Territory
) -> None:
    assert territories_of(get(coordinator, TERRITORIES)) == [district_a.pk]
    assert territories_of(get(coordinator, TERRITORIES, within=district_a.pk)) == [district_a.pk]
    assert with_token(coordinator).get(TERRITORIES, {"within": district_b.pk}).status_code == 404
    assert with_token(coordinator).get(TERRITORIES, {"within": region.pk}).status_code == 404


@pytest.mark.usefixtures("mapped")
def test_a_project_office_does_not_get_another_region(
    project_office: User, ulytau: Territory
) -> None:
    assert ulytau.pk not in territories_of(get(project_office, TERRITORIES))


@pytest.fixture
def located(district_a: Territory, district_b: Territory) -> dict[str, Any]:
    district_a.latitude, district_a.longitude = 49.41, 75.47
    district_a.save(update_fields=["latitude", "longitude"])
    placed = OrganizationFactory(
        name_kk="Қарқаралы мектебі", territory=district_a, latitude=49.40, longitude=75.48
    )
    inherits = OrganizationFactory(name_kk="Қарқаралы кітапханасы", territory=district_a)
    nowhere = OrganizationFactory(name_kk="Шет мектебі", territory=district_b)
    event = EventFactory(organizer=placed, latitude=49.39, longitude=75.40)
    return {"placed": placed, "inherits": inherits, "nowhere": nowhere, "event": event}


def test_points_are_their_own_place_or_their_territory_s_centre(
    administrator: User, located: dict[str, Any]
) -> None:
    body = get(administrator, POINTS)

    by_id = {item["id"]: item for item in body["features"]}
    placed: Organization = located["placed"]
    inherits: Organization = located["inherits"]
    assert by_id[f"organization-{placed.pk}"]["geometry"] == {
        "type": "Point",
        "coordinates": [75.48, 49.40],
    }
    assert by_id[f"organization-{placed.pk}"]["properties"]["inherited"] is False
    inherited = by_id[f"organization-{inherits.pk}"]
    assert inherited["geometry"]["coordinates"] == [75.47, 49.41]
    assert inherited["properties"]["inherited"] is True
    assert inherited["properties"]["territory"] == inherits.territory_id
    assert f"organization-{located['nowhere'].pk}" not in by_id
    event = by_id[f"event-{located['event'].pk}"]
    assert event["properties"]["kind"] == "event"
    assert event["geometry"]["coordinates"] == [75.40, 49.39]


def test_points_are_narrowed_by_kind_year_and_territory(
    administrator: User, located: dict[str, Any], district_a: Territory, district_b: Territory
) -> None:
    district_b.latitude, district_b.longitude = 48.77, 73.67
    district_b.save(update_fields=["latitude", "longitude"])
    MeetingFactory(organizer=located["placed"])
    ProjectFactory(territory=district_a)

    kinds = {item["properties"]["kind"] for item in get(administrator, POINTS)["features"]}
    events = get(administrator, POINTS, kind="event")["features"]
    of_2021 = get(administrator, POINTS, kind="event", year=2021)["features"]
    in_b = get(administrator, POINTS, within=district_b.pk)["features"]

    assert kinds == {"event", "organization", "meeting", "project"}
    assert [item["id"] for item in events] == [f"event-{located['event'].pk}"]
    assert of_2021 == []
    assert [item["id"] for item in in_b] == [f"organization-{located['nowhere'].pk}"]


def test_points_are_scoped(
    coordinator: User, located: dict[str, Any], district_b: Territory
) -> None:
    district_b.latitude, district_b.longitude = 48.77, 73.67
    district_b.save(update_fields=["latitude", "longitude"])

    ids = {item["id"] for item in get(coordinator, POINTS)["features"]}

    assert f"organization-{located['placed'].pk}" in ids
    assert f"organization-{located['nowhere'].pk}" not in ids
    assert with_token(coordinator).get(POINTS, {"within": district_b.pk}).status_code == 404


@pytest.mark.parametrize(
    ("url", "query"),
    [
        (TERRITORIES, {"day": "2021-01-01"}),
        (TERRITORIES, {"detail": "full", "parent": "1"}),
        (POINTS, {"kinds": "event"}),
    ],
)
def test_unknown_parameters_are_refused(administrator: User, url: str, query: Any) -> None:
    response = with_token(administrator).get(url, query)

    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "unknown_parameter"
    known = {"on", "within", "kind", "detail", "year"}
    assert {item["field"] for item in body["detail"]} == set(query) - known


def test_a_wrong_value_is_refused(administrator: User) -> None:
    assert with_token(administrator).get(TERRITORIES, {"detail": "fine"}).status_code == 422
    assert with_token(administrator).get(TERRITORIES, {"on": "yesterday"}).status_code == 422
    assert with_token(administrator).get(POINTS, {"kind": "site"}).status_code == 422


def test_anonymous_callers_get_401(db: Any) -> None:
    from django.test import Client

    assert Client().get(TERRITORIES).status_code == 401
    assert Client().get(POINTS).status_code == 401


def test_a_boundary_file_is_imported_whole_or_refused_with_every_feature_named(
    project_office: User, district_a: Territory, district_b: Territory
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from geo.conftest import BROKEN_POLYGON, collection, feature, polygon
    from kense.geo.models import Boundary

    client = with_token(project_office)
    bad = collection(
        feature(polygon(A_AREA), name=district_a.name), feature(BROKEN_POLYGON, name="Бұзық")
    )
    refused = client.post("/api/v1/geo/boundaries", {"file": SimpleUploadedFile("b.geojson", bad)})
    assert refused.status_code == 422, refused.content
    messages = [item["message"] for item in refused.json()["detail"] if item["field"] == "file"]
    assert any("№2 «Бұзық»" in message for message in messages)
    assert not Boundary.objects.exists()

    good = collection(
        feature(polygon(A_AREA), name=district_a.name),
        feature(polygon(B_AREA), name=district_b.name),
    )
    taken = client.post(
        "/api/v1/geo/boundaries",
        {"file": SimpleUploadedFile("b.geojson", good), "valid_from": "2020-01-01"},
    )
    assert taken.status_code == 201, taken.content
    assert len(taken.json()["saved"]) == 2
    assert Boundary.objects.filter(valid_from=SINCE).count() == 2


def test_the_sites_are_points_the_caller_may_see(
    administrator: User, coordinator: User, district_a: Territory, district_b: Territory
) -> None:
    from kense.sites.models import Site

    seen = Site.objects.create(
        name="Бегазы", territory=district_a, kind="archaeological", latitude=48.27, longitude=75.34
    )
    Site.objects.create(
        name="Басқа", territory=district_b, kind="archaeological", latitude=48.1, longitude=73.1
    )
    Site.objects.create(name="Нүктесіз", territory=district_a, kind="archaeological")
    body = get(coordinator, "/api/v1/geo/sites")
    assert [item["id"] for item in body["features"]] == [seen.pk]
    assert body["features"][0]["geometry"] == {"type": "Point", "coordinates": [75.34, 48.27]}


def test_an_organization_s_point_is_written_and_read_through_its_own_endpoint(
    project_office: User, school_a: Organization
) -> None:
    client = with_token(project_office)
    url = f"/api/v1/organizations/{school_a.pk}"

    only_one = client.patch(url, {"latitude": 49.5}, content_type="application/json")
    assert only_one.status_code == 422, only_one.content
    assert Organization.objects.get(pk=school_a.pk).latitude is None

    out_of_range = client.patch(
        url, {"latitude": 95, "longitude": 75.4}, content_type="application/json"
    )
    assert out_of_range.status_code == 422

    placed = client.patch(
        url, {"latitude": 49.5, "longitude": 75.4}, content_type="application/json"
    )
    assert placed.status_code == 200, placed.content
    assert (placed.json()["latitude"], placed.json()["longitude"]) == (49.5, 75.4)
    assert Organization.objects.get(pk=school_a.pk).location == (49.5, 75.4)


def test_more_points_of_a_kind_than_an_answer_holds_are_refused_with_a_way_to_narrow(
    administrator: User, district_a: Territory, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kense.geo import api

    monkeypatch.setattr(api, "MAX_POINTS", 1)
    for number in range(2):
        OrganizationFactory(territory=district_a, latitude=48 + number / 10, longitude=73)
    response = with_token(administrator).get(POINTS, {"kind": "organization"})
    assert response.status_code == 422, response.content
    assert "within" in {item["field"] for item in response.json()["detail"]}
    assert with_token(administrator).get(POINTS, {"kind": "event"}).status_code == 200
