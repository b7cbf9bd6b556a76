"""Reading boundary files (every refusal naming its feature), joining, dividing and simplifying
areas: kense.geo.geometry, without the database."""

from __future__ import annotations

import json
import math

import pytest
from shapely.geometry import MultiPolygon, Point, Polygon, box, shape

from geo.conftest import collection, feature, polygon
from kense.geo import geometry
from kense.geo.geometry import read_boundaries

LIMIT = 1_000_000
SQUARE = box(70, 48, 71, 49)


def errors_of(data: bytes, *, limit: int = LIMIT) -> list[str]:
    reading = read_boundaries(data, limit=limit)
    assert not reading.features, "a refused file gives no features"
    return reading.errors


def one_feature(coordinates: list[list[list[float]]], kind: str = "Polygon") -> bytes:
    return collection(
        feature({"type": "Polygon", "coordinates": []}, name="Бірінші"),
        feature({"type": kind, "coordinates": coordinates}, name="Қарқаралы ауданы"),
    )


def test_a_valid_feature_collection_is_read_with_its_properties_and_areas() -> None:
    data = collection(
        feature(polygon(SQUARE), name="Шет ауданы", kato="355600000"),
        feature(
            {
                "type": "MultiPolygon",
                "coordinates": [
                    [[[72, 48], [73, 48], [73, 49], [72, 49], [72, 48]]],
                    [[[74, 48], [75, 48], [75, 49], [74, 48]]],
                ],
            },
            name_ru="Каркаралинский район",
        ),
    )

    reading = read_boundaries(data, limit=LIMIT)

    assert reading.errors == []
    assert [item.number for item in reading.features] == [1, 2]
    assert reading.features[0].properties == {"name": "Шет ауданы", "kato": "355600000"}
    assert reading.features[0].label == "№1 «Шет ауданы»"
    assert reading.features[1].label == "№2 «Каркаралинский район»"
    assert reading.features[0].area.equals(SQUARE)
    assert reading.features[1].area.area == pytest.approx(1.5)


def test_a_single_feature_is_read_as_a_file_of_one() -> None:
    data = json.dumps(feature(polygon(SQUARE), name="Шет")).encode()

    reading = read_boundaries(data, limit=LIMIT)

    assert reading.errors == []
    assert len(reading.features) == 1


def test_a_file_that_is_not_json_is_refused() -> None:
    assert errors_of(b'{"type": "FeatureCollection", ') == [
        "The file is not GeoJSON: it cannot be read as JSON."
    ]
    assert errors_of("Шет ауданы".encode("utf-16")) == [
        "The file is not GeoJSON: it cannot be read as JSON."
    ]


@pytest.mark.parametrize(
    "document",
    [[], {"type": "Polygon", "coordinates": []}, {"type": "FeatureCollection"}, "text"],
    ids=["a list", "a bare geometry", "no features", "a string"],
)
def test_json_that_is_not_a_feature_collection_is_refused(document: object) -> None:
    assert errors_of(json.dumps(document).encode()) == [
        "The file is not GeoJSON: it holds no FeatureCollection."
    ]


def test_an_empty_collection_is_refused() -> None:
    assert errors_of(collection()) == ["The file has no features."]


def test_a_point_instead_of_a_polygon_is_refused_naming_the_feature() -> None:
    data = collection(
        feature(polygon(SQUARE), name="Шет ауданы"),
        feature({"type": "Point", "coordinates": [75.47, 49.41]}, name="Қарқаралы"),
    )

    reading = read_boundaries(data, limit=LIMIT)

    assert reading.errors == ["№2 «Қарқаралы»: it is a Point, not a polygon."]


def test_a_feature_without_a_name_is_named_by_its_number() -> None:
    data = collection(feature(None))

    assert errors_of(data) == ["№1: it is a —, not a polygon."]


def test_a_ring_not_closed_is_refused() -> None:
    data = one_feature([[[70, 48], [71, 48], [71, 49], [70, 49], [70, 48.5]]])

    assert "№2 «Қарқаралы ауданы»: a ring is not closed: its last point is not its first." in (
        errors_of(data)
    )


def test_a_ring_of_fewer_than_four_points_is_refused() -> None:
    data = one_feature([[[70, 48], [71, 48], [70, 48]]])

    assert "№2 «Қарқаралы ауданы»: a ring has fewer than four points." in errors_of(data)


def test_every_feature_s_error_is_listed() -> None:
    # The first feature has no ring at all; the second's ring is not closed: both are named.
    data = one_feature([[[70, 48], [71, 48], [71, 49], [70, 49], [70, 48.5]]])

    errors = errors_of(data)

    assert [error.split(":")[0] for error in errors] == ["№1 «Бірінші»", "№2 «Қарқаралы ауданы»"]


def test_a_self_intersecting_polygon_is_refused_not_repaired() -> None:
    bow_tie = [[[70, 48], [71, 49], [71, 48], [70, 49], [70, 48]]]

    errors = errors_of(collection(feature({"type": "Polygon", "coordinates": bow_tie}, name="X")))

    assert len(errors) == 1
    assert errors[0].startswith("№1 «X»: the polygon is not valid (Self-intersection")


def test_coordinates_in_metres_are_refused_with_the_wgs84_message() -> None:
    metres = [[[500000, 5400000], [510000, 5400000], [510000, 5410000], [500000, 5400000]]]

    errors = errors_of(one_feature(metres))

    assert errors[-1] == (
        "№2 «Қарқаралы ауданы»: the point 500000, 5400000 is not a longitude and latitude in "
        "degrees: save the file in WGS84 (EPSG:4326)."
    )


@pytest.mark.parametrize(
    "name", ["urn:ogc:def:crs:EPSG::3857", "EPSG:3857", "urn:ogc:def:crs:EPSG::32643"]
)
def test_a_crs_other_than_wgs84_is_refused(name: str) -> None:
    data = collection(
        feature(polygon(SQUARE), name="Шет"), crs={"type": "name", "properties": {"name": name}}
    )

    assert errors_of(data) == [
        f"The file is in the coordinate system {name}: save it in WGS84 "
        "(EPSG:4326, longitude and latitude in degrees)."
    ]


@pytest.mark.parametrize("crs", [{"properties": ["EPSG:4326"]}, "EPSG:4326", {"type": "name"}])
def test_a_crs_that_names_no_system_is_refused_not_a_crash(crs: object) -> None:
    data = collection(feature(polygon(SQUARE), name="Шет"), crs=crs)

    assert errors_of(data) == [
        "The file is in the coordinate system ?: save it in WGS84 "
        "(EPSG:4326, longitude and latitude in degrees)."
    ]


def test_coordinates_that_are_not_numbers_are_refused() -> None:
    for point in ([True, 49], ["71", 49], [71], [float("nan"), 49]):
        ring = [[70, 48], [71, 48], point, [70, 49], [70, 48]]
        assert (
            errors_of(one_feature([ring]))[-1]
            == "№2 «Қарқаралы ауданы»: its coordinates cannot be read."
        ), point


def test_a_crs_naming_wgs84_is_read() -> None:
    data = collection(
        feature(polygon(SQUARE), name="Шет"),
        crs={"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}},
    )

    assert read_boundaries(data, limit=LIMIT).errors == []


def test_a_file_over_the_limit_is_refused_before_it_is_read() -> None:
    data = collection(feature(polygon(SQUARE), name="Шет"))

    assert errors_of(data, limit=len(data) - 1)[0].startswith("The file is larger than")
    assert errors_of(b"x" * 3_000_001, limit=2_000_000) == ["The file is larger than 2 MB."]
    assert read_boundaries(data, limit=len(data)).errors == []


def test_too_many_features_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(geometry, "MAX_FEATURES", 2)
    data = collection(*[feature(polygon(SQUARE), name=str(n)) for n in range(3)])

    assert errors_of(data) == ["The file has more than 2 features."]


def test_the_union_of_two_touching_squares_is_one_polygon() -> None:
    joined = geometry.union([box(70, 48, 71, 49), box(71, 48, 72, 49)])

    assert isinstance(joined, Polygon)
    assert joined.area == pytest.approx(2)
    assert joined.equals(box(70, 48, 72, 49))


def test_as_geojson_an_area_is_a_rounded_multipolygon() -> None:
    area = box(70.123456789, 48, 71, 49.987654321)

    document = geometry.to_geojson(area)

    assert document["type"] == "MultiPolygon"
    values = {value for ring in document["coordinates"][0] for point in ring for value in point}
    assert {70.123457, 49.987654} <= values
    assert shape(document).equals(geometry.as_multipolygon(shape(document)))


REGION = Polygon([(70, 47), (76, 47), (76, 50), (73, 51), (70, 50)])
CENTRES = {
    "karkaraly": (49.4, 75.5),
    "shet": (48.8, 73.7),
    "abai": (49.6, 72.9),
    "aktogay": (47.3, 75.2),
}


def test_schematic_areas_divide_the_region_one_area_per_centre() -> None:
    areas = geometry.schematic_areas(REGION, CENTRES)

    assert set(areas) == set(CENTRES)
    for key, (latitude, longitude) in CENTRES.items():
        area = areas[key]
        assert isinstance(area, MultiPolygon)
        assert area.covers(Point(longitude, latitude)), key
        assert REGION.buffer(1e-9).covers(area), key
    joined = geometry.union(areas.values())
    assert joined.symmetric_difference(REGION).area < 1e-9
    # The areas do not overlap: their areas add up to the region's.
    assert sum(area.area for area in areas.values()) == pytest.approx(REGION.area, abs=1e-9)


def test_each_place_of_a_schematic_area_is_nearest_its_own_centre() -> None:
    areas = geometry.schematic_areas(REGION, CENTRES)

    for key, area in areas.items():
        inside = area.representative_point()
        distances = {
            other: math.dist((inside.x, inside.y), (longitude, latitude))
            for other, (latitude, longitude) in CENTRES.items()
        }
        assert min(distances, key=distances.__getitem__) == key


def test_outlines_have_three_levels_coarser_for_the_country() -> None:
    # A circle of 2,049 points, about 110 km across.
    detailed = Point(71, 48).buffer(0.5, quad_segs=512)

    outlines = geometry.outlines(detailed)

    assert set(outlines) == {"country", "region", "district"}

    def points(level: str) -> int:
        return sum(len(ring) for part in outlines[level] for ring in part)

    assert points("country") < points("region") < points("district") <= 2049
    for level in outlines:
        simplified = shape({"type": "MultiPolygon", "coordinates": outlines[level]})
        assert simplified.is_valid
        assert simplified.symmetric_difference(detailed).area < 0.05 * detailed.area


def test_contains_and_centre() -> None:
    document = geometry.to_geojson(REGION)

    assert geometry.contains(document, 49.0, 73.0)
    assert geometry.contains(document, 47.0, 73.0)  # on the edge
    assert not geometry.contains(document, 46.9, 73.0)
    latitude, longitude = geometry.centre(REGION)
    assert REGION.contains(Point(longitude, latitude))
    assert geometry.points_in(document, [(49.0, 73.0), (52.0, 73.0)]) == [True, False]
