"""The map page, the import page and the GeoJSON export, for each role."""

from __future__ import annotations

import datetime
import html
import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from factories import EventFactory
from geo.conftest import (
    A_AREA,
    B_AREA,
    BROKEN_POLYGON,
    REGION_AREA,
    collection,
    feature,
    logged_in,
    polygon,
)
from kense.accounts.models import User
from kense.geo.geometry import read_boundaries
from kense.geo.models import Boundary
from kense.geo.render import Projection
from kense.geo.services import boundaries_by_territory, boundaries_import
from kense.registry.models import Territory

pytestmark = pytest.mark.django_db

MAP = "/kk/map/"
IMPORT = "/kk/map/boundaries/import/"
EXPORT = "/kk/map/boundaries.geojson"
SINCE = datetime.date(2020, 1, 1)
ALL_ROLES = (
    "administrator",
    "project_office",
    "executive",
    "department",
    "coordinator",
    "institution",
    "observer",
)


@pytest.fixture
def mapped(
    administrator: User, region: Territory, district_a: Territory, district_b: Territory
) -> None:
    boundaries_by_territory(
        {region: REGION_AREA, district_a: A_AREA, district_b: B_AREA},
        user=administrator,
        valid_from=SINCE,
        source="akimat",
    )


def upload(data: bytes, **fields: Any) -> dict[str, Any]:
    """The import form's fields as a browser sends them, with the file."""
    return {
        "file": SimpleUploadedFile("boundaries.geojson", data, content_type="application/json"),
        "valid_from": "",
        "source": "",
        **fields,
    }


@pytest.mark.usefixtures("mapped")
@pytest.mark.parametrize("role", ALL_ROLES)
def test_the_map_page_draws_a_map_for_every_role(users: dict[str, User], role: str) -> None:
    response = logged_in(users[role]).get(MAP)

    assert response.status_code == 200
    content = response.content.decode()
    assert "<svg" in content
    assert 'class="map-area"' in content


def test_the_map_page_asks_to_sign_in(db: Any) -> None:
    response = Client().get(MAP)

    assert response.status_code == 302
    assert "/login/" in response["Location"]


@pytest.mark.usefixtures("mapped")
def test_the_map_of_the_region_draws_its_districts_with_links(
    project_office: User, district_a: Territory, district_b: Territory
) -> None:
    content = logged_in(project_office).get(MAP).content.decode()

    for district in (district_a, district_b):
        assert f'data-key="{district.pk}"' in content
        assert f"/kk/registry/territories/{district.pk}/" in content
    assert "Қарқаралы ауданы" in content


@pytest.mark.usefixtures("mapped")
def test_the_map_page_shows_events_as_points(
    project_office: User, district_a: Territory, school_a: Any
) -> None:
    this_year = datetime.date.today().year
    EventFactory(
        title_kk="Наурыз тойы",
        organizer=school_a,
        start=datetime.date(this_year, 3, 22),
        latitude=49.41,
        longitude=75.47,
    )

    content = logged_in(project_office).get(MAP, {"events": "on"}).content.decode()

    assert 'class="map-spot"' in content
    assert "Наурыз тойы" in content


def test_the_numbers_map_js_reads_are_numbers_in_every_language(
    project_office: User,
    region: Territory,
    district_a: Territory,
    district_b: Territory,
    administrator: User,
) -> None:
    boundaries_by_territory(
        {region: REGION_AREA, district_a: A_AREA, district_b: B_AREA},
        user=administrator,
        valid_from=SINCE,
        source="akimat",
    )
    projection = Projection((72.0, 47.0, 76.0, 50.0))

    content = logged_in(project_office).get(MAP).content.decode()

    figure = re.search(r"<figure[^>]*data-map[^>]*>", content)
    assert figure is not None
    data = dict(re.findall(r'data-(west|north|scale|cos)="([^"]*)"', figure.group(0)))
    # map.js reads them with parseFloat, which stops at a decimal comma.
    assert float(data["west"]) == pytest.approx(72)
    assert float(data["north"]) == pytest.approx(50)
    assert float(data["scale"]) == pytest.approx(projection.scale, rel=1e-6)
    assert float(data["cos"]) == pytest.approx(projection.cos, rel=1e-6)


@pytest.mark.parametrize("role", ["executive", "department", "institution", "observer"])
def test_the_import_page_is_forbidden_to_roles_that_may_not_add_boundaries(
    users: dict[str, User], role: str, district_a: Territory
) -> None:
    client = logged_in(users[role])

    assert client.get(IMPORT).status_code == 403
    data = collection(feature(polygon(A_AREA), kato="354400000"))
    assert client.post(IMPORT, upload(data)).status_code == 403
    assert not Boundary.objects.exists()


@pytest.mark.parametrize("role", ["administrator", "project_office", "coordinator"])
def test_the_import_page_opens_for_those_who_may_add_boundaries(
    users: dict[str, User], role: str
) -> None:
    response = logged_in(users[role]).get(IMPORT)

    assert response.status_code == 200
    assert 'type="file"' in response.content.decode()


def test_a_bad_file_shows_every_error_and_saves_nothing(
    project_office: User, district_a: Territory, district_b: Territory
) -> None:
    data = collection(
        feature(polygon(A_AREA), kato="354400000"),
        feature(BROKEN_POLYGON, name="Шет ауданы"),
        feature(polygon(B_AREA), name="Атлантида"),
    )

    response = logged_in(project_office).post(IMPORT, upload(data))

    assert response.status_code == 400
    content = html.unescape(response.content.decode())
    assert "№2 «Шет ауданы»" in content
    assert 'role="alert"' in content
    assert not Boundary.objects.exists()


def test_a_file_with_an_unmatched_feature_saves_nothing_unless_told_to_leave_it_out(
    project_office: User, district_a: Territory
) -> None:
    data = collection(
        feature(polygon(A_AREA), kato="354400000"), feature(polygon(B_AREA), name="Атлантида")
    )
    client = logged_in(project_office)

    refused = client.post(IMPORT, upload(data))
    assert refused.status_code == 400
    assert "№2 «Атлантида»" in html.unescape(refused.content.decode())
    assert not Boundary.objects.exists()

    taken = client.post(IMPORT, upload(data, leave_out_unmatched="on"))
    assert taken.status_code == 302
    assert list(Boundary.objects.values_list("territory", flat=True)) == [district_a.pk]


def test_a_good_file_is_saved_and_the_page_goes_to_the_map(
    project_office: User, district_a: Territory, district_b: Territory
) -> None:
    data = collection(
        feature(polygon(A_AREA), kato="354400000"), feature(polygon(B_AREA), name="Шет ауданы")
    )

    response = logged_in(project_office).post(
        IMPORT, upload(data, valid_from="2022-06-08", source="Облыс әкімдігі, 2022")
    )

    assert response.status_code == 302
    assert response["Location"] == MAP
    saved = Boundary.objects.order_by("territory_id")
    assert [boundary.territory for boundary in saved] == [district_a, district_b]
    assert {(b.valid_from, b.source) for b in saved} == {
        (datetime.date(2022, 6, 8), "Облыс әкімдігі, 2022")
    }


def test_the_file_name_is_the_source_when_none_is_given(
    project_office: User, district_a: Territory
) -> None:
    data = collection(feature(polygon(A_AREA), kato="354400000"))

    logged_in(project_office).post(IMPORT, upload(data))

    assert Boundary.objects.get().source == "boundaries.geojson"


@pytest.mark.usefixtures("mapped")
def test_the_export_is_geojson_that_the_import_reads_back(
    project_office: User, region: Territory, district_a: Territory, district_b: Territory
) -> None:
    response = logged_in(project_office).get(EXPORT, {"parent": region.pk, "on": "2023-01-01"})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    assert "kense-boundaries-2023-01-01.geojson" in response["Content-Disposition"]
    reading = read_boundaries(response.content, limit=10_000_000)
    assert reading.errors == []
    by_kato = {item.properties["kato"]: item.area for item in reading.features}
    assert set(by_kato) == {"354400000", "355600000"}
    assert by_kato["354400000"].equals(A_AREA)
    # And imported again, the same areas from a later day.
    result = boundaries_import(
        response.content, user=project_office, valid_from=datetime.date(2024, 1, 1)
    )
    assert {territory for _label, territory in result.saved} == {district_a, district_b}


@pytest.mark.usefixtures("mapped")
def test_the_export_holds_only_what_the_user_sees(
    coordinator: User, region: Territory, district_a: Territory
) -> None:
    response = logged_in(coordinator).get(EXPORT, {"parent": region.pk})

    reading = read_boundaries(response.content, limit=10_000_000)
    assert {item.properties["territory"] for item in reading.features} <= {district_a.pk}
