"""Maps drawn on the server as SVG: areas filled by a value, points clustered, a legend.

One picture serves the page (with map.js for zoom, pan, tap and picking a point), the PDF
report (WeasyPrint draws the same SVG), the SVG and PNG exports and print; its table is the
same content for screen readers (docs/decisions.md, "Maps drawn on the server").
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

from kense.text.kazakh import format_number

WIDTH = 1000
MARGIN = 8
# ColorBrewer YlGnBu, five classes: its lightness falls step by step, so the classes stay apart
# in black-and-white print, and it is safe for the common forms of colour blindness.
SCALE = ("#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494")
NO_DATA = "#f2f2f2"
PLAIN = "#e8eef3"
OUTLINE = "#4a4a4a"
SPOT = "#b2182b"
# The map's table names this many points at most; the page's own list names them all.
LISTED_PLACES = 200
# A point closer than this (in the picture's units) to a cluster's first point is drawn in that
# cluster, with the count; no two clusters' first points are closer than this.
CLUSTER_CELL = 36


@dataclass
class Area:
    """A territory's area on the map, with what it shows and what a tap on it explains."""

    key: str
    name: str
    coordinates: Any  # GeoJSON MultiPolygon coordinates
    value: float | None = None
    value_text: str = ""
    explanation: str = ""
    url: str = ""
    marked: bool = False  # a low performer: hatched and outlined, not only coloured
    schematic: bool = False
    labelled: bool = True
    fill: str = PLAIN
    path: str = ""
    label_x: float = 0
    label_y: float = 0


@dataclass
class Spot:
    """A point (an event, a site, an organization), or a cluster of `count` of them."""

    latitude: float
    longitude: float
    name: str
    url: str = ""
    kind: str = ""
    count: int = 1
    x: float = 0
    y: float = 0
    radius: float = 5
    zoom: str = ""  # a cluster's bounds "west,south,east,north", to look closer


@dataclass
class LegendEntry:
    fill: str
    label: str
    pattern: bool = False


@dataclass
class Picture:
    """What the template draws."""

    title: str
    width: int
    height: int
    west: float
    north: float
    scale: float  # picture units per degree of longitude (times the cosine) and of latitude
    cos: float
    areas: list[Area] = field(default_factory=list)
    spots: list[Spot] = field(default_factory=list)
    legend: list[LegendEntry] = field(default_factory=list)
    schematic: bool = False
    pick: bool = False
    bounds: tuple[float, float, float, float] = (0, 0, 0, 0)
    # Every point inside the picture, not clustered: the table lists each one, up to
    # LISTED_PLACES (beyond, the page's own list is the way to read them).
    places: list[Spot] = field(default_factory=list)
    marked_label: str = ""
    filename: str = "kense-map"

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width} {self.height}"

    @property
    def listed_places(self) -> list[Spot]:
        return self.places[:LISTED_PLACES]

    @property
    def unlisted_places(self) -> int:
        return max(0, len(self.places) - LISTED_PLACES)

    @property
    def value_column(self) -> bool:
        return any(area.value_text for area in self.areas)


class Projection:
    """Longitude and latitude to the picture, equirectangular at the middle latitude: for a
    region or a country this size the shapes read right, and map.js inverts it exactly to pick
    a point."""

    def __init__(self, bounds: tuple[float, float, float, float], width: int = WIDTH) -> None:
        west, south, east, north = bounds
        if east - west < 1e-6:
            west, east = west - 0.05, east + 0.05
        if north - south < 1e-6:
            south, north = south - 0.05, north + 0.05
        self.cos = math.cos(math.radians((south + north) / 2))
        inner = width - 2 * MARGIN
        self.scale = inner / ((east - west) * self.cos)
        self.west, self.north, self.south, self.east = west, north, south, east
        self.width = width
        self.height = max(1, round((north - south) * self.scale + 2 * MARGIN))

    def x(self, longitude: float) -> float:
        return MARGIN + (longitude - self.west) * self.cos * self.scale

    def y(self, latitude: float) -> float:
        return MARGIN + (self.north - latitude) * self.scale

    def path(self, coordinates: Any) -> str:
        """An SVG path of MultiPolygon coordinates: one sub-path per ring, points a tenth of a
        unit apart at least (what a screen or a printer can show), even-odd filled."""
        parts: list[str] = []
        for polygon in coordinates:
            for ring in polygon:
                last = None
                points: list[str] = []
                for longitude, latitude, *_rest in ring:
                    point = (round(self.x(longitude), 1), round(self.y(latitude), 1))
                    if point != last:
                        points.append(f"{point[0]:g} {point[1]:g}")
                        last = point
                if len(points) >= 3:
                    parts.append("M" + " ".join(points) + "Z")
        return "".join(parts)


def bounds_of(areas: Iterable[Any]) -> tuple[float, float, float, float] | None:
    """The bounds of boundaries (objects with west, south, east, north)."""
    found = None
    for area in areas:
        box = (area.west, area.south, area.east, area.north)
        if found is None:
            found = box
        else:
            found = (
                min(found[0], box[0]),
                min(found[1], box[1]),
                max(found[2], box[2]),
                max(found[3], box[3]),
            )
    return found


def classes(values: Sequence[float]) -> list[float]:
    """Upper limits of five classes of equal width between the smallest and largest value."""
    low, high = min(values), max(values)
    if high - low < 1e-9:
        return [high] * len(SCALE)
    step = (high - low) / len(SCALE)
    return [low + step * (index + 1) for index in range(len(SCALE))]


def colour(value: float | None, limits: Sequence[float]) -> str:
    if value is None:
        return NO_DATA
    for fill, limit in zip(SCALE, limits, strict=True):
        if value <= limit + 1e-9:
            return fill
    return SCALE[-1]


def draw(
    areas: Sequence[Area],
    spots: Sequence[Spot] = (),
    *,
    title: str,
    bounds: tuple[float, float, float, float] | None = None,
    colour_by_value: bool = False,
    value_label: str = "",
    marked_label: str = "",
    pick: bool = False,
    cluster: bool = True,
) -> Picture:
    """The picture of these areas and points within `bounds` (by default, all of them)."""
    if bounds is None:
        bounds = _fit(areas, spots)
    projection = Projection(bounds)
    picture = Picture(
        title=title,
        width=projection.width,
        height=projection.height,
        west=projection.west,
        north=projection.north,
        scale=projection.scale,
        cos=projection.cos,
        pick=pick,
        bounds=bounds,
    )
    known = [area.value for area in areas if area.value is not None]
    limits = classes(known) if colour_by_value and known else []
    for area in areas:
        area.path = projection.path(area.coordinates)
        if limits:
            area.fill = colour(area.value, limits)
        label = _label_point(area.coordinates)
        area.label_x, area.label_y = projection.x(label[0]), projection.y(label[1])
        picture.schematic = picture.schematic or area.schematic
        picture.areas.append(area)
    if limits:
        low = min(known)
        picture.legend = [
            LegendEntry(fill, f"{_number(start)} – {_number(limit)}")
            for fill, start, limit in zip(SCALE, [low, *limits[:-1]], limits, strict=True)
            if limit > start or fill == SCALE[0]
        ]
        if any(area.value is None for area in areas if area.labelled):
            picture.legend.append(LegendEntry(NO_DATA, str(_("no data"))))
        if value_label:
            picture.legend.insert(0, LegendEntry("", value_label))
    if marked_label and any(area.marked for area in areas):
        picture.legend.append(LegendEntry("", marked_label, pattern=True))
        picture.marked_label = marked_label
    picture.places, picture.spots = _placed(spots, projection, cluster=cluster)
    return picture


def _number(value: float) -> str:
    return format_number(round(value, 1) if abs(value) < 100 else round(value))


def _fit(areas: Sequence[Area], spots: Sequence[Spot]) -> tuple[float, float, float, float]:
    longitudes: list[float] = []
    latitudes: list[float] = []
    for area in areas:
        for polygon in area.coordinates:
            for longitude, latitude, *_rest in polygon[0]:
                longitudes.append(longitude)
                latitudes.append(latitude)
    for spot in spots:
        longitudes.append(spot.longitude)
        latitudes.append(spot.latitude)
    if not longitudes:
        # Kazakhstan, when there is nothing to draw yet.
        return (46.4, 40.5, 87.4, 55.5)
    return (min(longitudes), min(latitudes), max(longitudes), max(latitudes))


def _label_point(coordinates: Any) -> tuple[float, float]:
    """The middle of the largest polygon's outer ring's bounds (where a name would go)."""
    best: tuple[float, tuple[float, float]] | None = None
    for polygon in coordinates:
        ring = polygon[0]
        longitudes = [point[0] for point in ring]
        latitudes = [point[1] for point in ring]
        size = (max(longitudes) - min(longitudes)) * (max(latitudes) - min(latitudes))
        middle = ((max(longitudes) + min(longitudes)) / 2, (max(latitudes) + min(latitudes)) / 2)
        if best is None or size > best[0]:
            best = (size, middle)
    return best[1] if best else (0.0, 0.0)


def _placed(
    spots: Sequence[Spot], projection: Projection, *, cluster: bool
) -> tuple[list[Spot], list[Spot]]:
    """(the points inside the picture, what is drawn of them: each point in the cluster of the
    nearest earlier point within CLUSTER_CELL that began one, or beginning a cluster itself).

    Not a grid's cells: two points a unit apart on either side of a cell's edge would be drawn
    as two dots on top of each other. The clusters' first points are kept by the cell of the
    grid they lie in, so a point looks only in its cell and the eight around it."""
    inside: list[Spot] = []
    clusters: list[list[Spot]] = []
    firsts: dict[tuple[int, int], list[tuple[float, float, int]]] = {}
    for spot in spots:
        x, y = projection.x(spot.longitude), projection.y(spot.latitude)
        if not (0 <= x <= projection.width and 0 <= y <= projection.height):
            continue
        spot.x, spot.y = round(x, 1), round(y, 1)
        inside.append(spot)
        column, row = int(x // CLUSTER_CELL), int(y // CLUSTER_CELL)
        nearest, distance = None, float(CLUSTER_CELL)
        if cluster:
            for near in (column - 1, column, column + 1):
                for line in (row - 1, row, row + 1):
                    for first_x, first_y, index in firsts.get((near, line), ()):
                        apart = math.hypot(first_x - x, first_y - y)
                        if apart < distance:
                            nearest, distance = index, apart
        if nearest is None:
            firsts.setdefault((column, row), []).append((x, y, len(clusters)))
            clusters.append([spot])
        else:
            clusters[nearest].append(spot)
    placed: list[Spot] = []
    for members in clusters:
        if len(members) == 1:
            placed.append(members[0])
            continue
        count = sum(member.count for member in members)
        latitudes = [member.latitude for member in members]
        longitudes = [member.longitude for member in members]
        grouped = Spot(
            latitude=sum(latitudes) / len(latitudes),
            longitude=sum(longitudes) / len(longitudes),
            name=str(_("%(count)s places here: look closer") % {"count": format_number(count)}),
            count=count,
            radius=min(18, 7 + 2.5 * math.log2(count)),
            zoom=",".join(
                f"{value:.4f}"
                for value in (
                    min(longitudes) - 0.01,
                    min(latitudes) - 0.01,
                    max(longitudes) + 0.01,
                    max(latitudes) + 0.01,
                )
            ),
        )
        grouped.x = round(projection.x(grouped.longitude), 1)
        grouped.y = round(projection.y(grouped.latitude), 1)
        placed.append(grouped)
    return inside, placed
