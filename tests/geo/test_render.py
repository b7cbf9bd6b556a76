"""Maps drawn on the server: classes and colours, the projection and its inverse, areas as
paths, points clustered where they crowd (kense.geo.render, without the database)."""

from __future__ import annotations

import math

import pytest
from shapely.geometry import box

from kense.geo import render
from kense.geo.geometry import to_geojson
from kense.geo.render import CLUSTER_CELL, MARGIN, NO_DATA, SCALE, Area, Projection, Spot

BOUNDS = (72.0, 47.0, 76.0, 50.0)


def test_five_classes_of_equal_width_between_the_lowest_and_highest_value() -> None:
    assert render.classes([0, 10, 5, 2]) == pytest.approx([2, 4, 6, 8, 10])
    assert render.classes([3, 3]) == [3] * 5


def test_the_lowest_value_is_lightest_the_highest_darkest_none_has_no_data() -> None:
    values = [0, 1, 2.5, 7, 10]
    limits = render.classes(values)

    fills = [render.colour(value, limits) for value in values]

    assert fills[0] == SCALE[0] == "#ffffcc"
    assert fills[-1] == SCALE[-1] == "#253494"
    # Each fill is no lighter than the one of a smaller value.
    assert [SCALE.index(fill) for fill in fills] == sorted(SCALE.index(fill) for fill in fills)
    assert render.colour(None, limits) == NO_DATA
    assert render.colour(4.0, limits) == SCALE[1]  # 4 is the upper limit of the second class


def test_the_projection_keeps_the_margin_and_the_shape() -> None:
    projection = Projection(BOUNDS)

    assert projection.x(72) == MARGIN
    assert projection.x(76) == pytest.approx(render.WIDTH - MARGIN)
    assert projection.y(50) == MARGIN
    assert projection.y(47) == pytest.approx(projection.height - MARGIN, abs=0.5)
    # A degree of longitude is shorter than one of latitude by the cosine of the latitude.
    assert projection.x(73) - projection.x(72) == pytest.approx(
        (projection.y(48) - projection.y(49)) * math.cos(math.radians(48.5))
    )


@pytest.mark.parametrize("point", [(49.8047, 73.1094), (47.0, 72.0), (50.0, 76.0), (48.1, 75.9)])
def test_the_inverse_map_js_computes_returns_the_point(point: tuple[float, float]) -> None:
    picture = render.draw([], title="map", bounds=BOUNDS)
    latitude, longitude = point
    projection = Projection(BOUNDS)
    x, y = projection.x(longitude), projection.y(latitude)

    # As map.js's toDegrees, with what the picture gives it (data-west, -north, -scale, -cos).
    back_longitude = picture.west + (x - 8) / (picture.scale * picture.cos)
    back_latitude = picture.north - (y - 8) / picture.scale

    assert back_longitude == pytest.approx(longitude, abs=1e-9)
    assert back_latitude == pytest.approx(latitude, abs=1e-9)


def area(key: str, shape: object, value: float | None = None) -> Area:
    return Area(
        key=key,
        name=f"Area {key}",
        coordinates=to_geojson(shape)["coordinates"],  # type: ignore[arg-type]
        value=value,
    )


def test_three_areas_are_drawn_as_paths_coloured_by_their_values() -> None:
    areas = [
        area("a", box(72, 47, 73, 50), 1),
        area("b", box(73, 47, 74.5, 50), None),
        area("c", box(74.5, 47, 76, 50), 9),
    ]

    picture = render.draw(areas, title="Events", colour_by_value=True, value_label="Events")

    assert [item.key for item in picture.areas] == ["a", "b", "c"]
    for item in picture.areas:
        assert item.path.startswith("M") and item.path.endswith("Z")
        assert 0 <= item.label_x <= picture.width and 0 <= item.label_y <= picture.height
    assert " 8 8 " in picture.areas[0].path  # the north-west corner
    assert [item.fill for item in picture.areas] == [SCALE[0], NO_DATA, SCALE[-1]]
    assert picture.legend[0].label == "Events"
    assert picture.legend[-1].fill == NO_DATA
    assert picture.view_box == f"0 0 1000 {picture.height}"
    # Fitted to the areas: the picture spans them.
    assert (picture.west, picture.north) == (72, 50)


def test_without_values_areas_keep_their_plain_fill() -> None:
    picture = render.draw([area("a", box(72, 47, 73, 50), 5)], title="map")

    assert picture.areas[0].fill == render.PLAIN
    assert picture.legend == []


def spot(latitude: float, longitude: float, name: str) -> Spot:
    return Spot(latitude=latitude, longitude=longitude, name=name)


def longitude_at(x: float) -> float:
    projection = Projection(BOUNDS)
    return projection.west + (x - MARGIN) / (projection.scale * projection.cos)


def latitude_at(y: float) -> float:
    projection = Projection(BOUNDS)
    return projection.north - (y - MARGIN) / projection.scale


@pytest.mark.parametrize(
    ("first_x", "second_x"),
    [(CLUSTER_CELL * 2 + 4, CLUSTER_CELL * 2 + 14), (CLUSTER_CELL * 5 - 2, CLUSTER_CELL * 5 + 2)],
    ids=["in one cell", "across a cell's edge"],
)
def test_points_closer_than_the_cluster_cell_are_drawn_as_one(
    first_x: float, second_x: float
) -> None:
    y = CLUSTER_CELL * 3 + CLUSTER_CELL / 2
    spots = [
        spot(latitude_at(y), longitude_at(first_x), "School"),
        spot(latitude_at(y + 1), longitude_at(second_x), "Library"),
        spot(latitude_at(y), longitude_at(600), "Museum"),
    ]

    picture = render.draw([], spots, title="map", bounds=BOUNDS)

    assert sorted(item.count for item in picture.spots) == [1, 2]
    cluster = next(item for item in picture.spots if item.count == 2)
    assert cluster.x == pytest.approx((first_x + second_x) / 2, abs=0.1)
    assert cluster.zoom  # a tap looks closer
    assert cluster.radius > spots[2].radius
    # The table lists every place, the clustered ones too.
    assert [item.name for item in picture.places] == ["School", "Library", "Museum"]


def test_points_apart_are_drawn_each_and_points_outside_are_left_out() -> None:
    spots = [
        spot(latitude_at(100), longitude_at(100), "School"),
        spot(latitude_at(100), longitude_at(100 + CLUSTER_CELL + 1), "Library"),
        spot(60.0, 100.0, "Far away"),
    ]

    picture = render.draw([], spots, title="map", bounds=BOUNDS)

    assert [item.name for item in picture.spots] == ["School", "Library"]
    assert [item.name for item in picture.places] == ["School", "Library"]


def test_without_clustering_every_point_is_drawn() -> None:
    spots = [spot(48.0, 73.0, "School"), spot(48.0, 73.0, "Library")]

    picture = render.draw([], spots, title="map", bounds=BOUNDS, cluster=False)

    assert [item.count for item in picture.spots] == [1, 1]
