"""Boundaries as GeoJSON: reading a file, checking it, simplifying it, joining and dividing areas.

Geometry is kept as GeoJSON (WGS84 longitude, latitude, RFC 7946) in JSON fields, the same on
SQLite and PostgreSQL; Shapely (GEOS) does what must be right rather than quick to write: validity,
union, simplification that keeps polygons valid, and the Voronoi cells of the schematic areas.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import shapely
from django.utils.translation import gettext_lazy as _
from shapely.geometry import MultiPolygon, Point, Polygon, mapping, shape
from shapely.geometry.base import BaseGeometry
from shapely.validation import explain_validity

from kense.text.kazakh import format_number

# Degrees of tolerance per level of display: what the map of the country, of a region and of a
# district draws (Boundary.outlines). A degree of latitude is about 111 km; 0.02° is 2 km, below
# a pixel of the country's map at 1,000 px across.
DETAIL = {"country": 0.02, "region": 0.004, "district": 0.0008}
# Six decimals is 11 cm: more than any boundary file means, and a third of the text.
DIGITS = 6
MAX_FEATURES = 5000
WGS84_NAMES = {
    "urn:ogc:def:crs:OGC:1.3:CRS84",
    "urn:ogc:def:crs:OGC::CRS84",
    "urn:ogc:def:crs:EPSG::4326",
    "EPSG:4326",
    "CRS84",
}


@dataclass
class Feature:
    """One feature of a boundary file: its place in the file, its properties and its area."""

    number: int  # from 1, as a person counts
    properties: dict[str, Any]
    area: BaseGeometry

    @property
    def label(self) -> str:
        name = feature_name(self.properties)
        return f"№{self.number} «{name}»" if name else f"№{self.number}"


@dataclass
class Reading:
    features: list[Feature] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def feature_name(properties: Mapping[str, Any]) -> str:
    for key in ("name", "name_kk", "name_ru", "name_en", "NAME", "ADM2_EN", "ADM1_EN"):
        value = properties.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return ""


def read_boundaries(data: bytes, *, limit: int) -> Reading:
    """The polygons of a GeoJSON file, or every reason it cannot be taken, each naming its
    feature. Nothing is repaired: a self-intersecting ring is the file's error to mend."""
    reading = Reading()
    if len(data) > limit:
        reading.errors.append(
            str(
                _("The file is larger than %(limit)s MB.")
                % {"limit": format_number(round(limit / 1_000_000, 1))}
            )
        )
        return reading
    try:
        document = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError):
        reading.errors.append(str(_("The file is not GeoJSON: it cannot be read as JSON.")))
        return reading
    if not isinstance(document, dict):
        reading.errors.append(str(_("The file is not GeoJSON: it holds no FeatureCollection.")))
        return reading
    crs = document.get("crs")
    if crs is not None:
        # Any shape a file gives: a crs whose properties are no object names no system.
        properties = crs.get("properties") if isinstance(crs, dict) else None
        name = properties.get("name") if isinstance(properties, dict) else None
        if name not in WGS84_NAMES:
            reading.errors.append(
                str(
                    _(
                        "The file is in the coordinate system %(crs)s: save it in WGS84 "
                        "(EPSG:4326, longitude and latitude in degrees)."
                    )
                    % {"crs": name or "?"}
                )
            )
            return reading
    if document.get("type") == "Feature":
        features = [document]
    elif document.get("type") == "FeatureCollection" and isinstance(document.get("features"), list):
        features = document["features"]
    else:
        reading.errors.append(str(_("The file is not GeoJSON: it holds no FeatureCollection.")))
        return reading
    if not features:
        reading.errors.append(str(_("The file has no features.")))
    if len(features) > MAX_FEATURES:
        reading.errors.append(
            str(_("The file has more than %(count)s features.") % {"count": MAX_FEATURES})
        )
        return reading
    for number, raw in enumerate(features, start=1):
        properties = raw.get("properties") if isinstance(raw, dict) else None
        properties = properties if isinstance(properties, dict) else {}
        label = Feature(number, properties, Polygon()).label
        problem, area = _area_of(raw.get("geometry") if isinstance(raw, dict) else None)
        if problem:
            reading.errors.append(f"{label}: {problem}")
        else:
            assert area is not None
            reading.features.append(Feature(number, properties, area))
    return reading


def _area_of(geometry: Any) -> tuple[str, BaseGeometry | None]:
    """(a reason it cannot be an area, or "", the area)."""
    if not isinstance(geometry, dict) or geometry.get("type") not in ("Polygon", "MultiPolygon"):
        kind = geometry.get("type") if isinstance(geometry, dict) else None
        return str(_("it is a %(kind)s, not a polygon.") % {"kind": kind or "—"}), None
    polygons = geometry.get("coordinates")
    if geometry["type"] == "Polygon":
        polygons = [polygons]
    if not isinstance(polygons, list) or not polygons:
        return str(_("its coordinates cannot be read.")), None
    for polygon in polygons:
        if not isinstance(polygon, list) or not polygon:
            return str(_("its coordinates cannot be read.")), None
        for ring in polygon:
            problem = _ring_problem(ring)
            if problem:
                return problem, None
    try:
        area = shape(geometry)
    except (ValueError, TypeError, shapely.errors.GEOSException):
        return str(_("its coordinates cannot be read.")), None
    if not area.is_valid:
        return (
            str(_("the polygon is not valid (%(reason)s).") % {"reason": explain_validity(area)}),
            None,
        )
    return "", area


def _ring_problem(ring: Any) -> str:
    if not isinstance(ring, list) or len(ring) < 4:
        return str(_("a ring has fewer than four points."))
    for point in ring:
        if (
            not isinstance(point, list)
            or len(point) < 2
            # JSON's true and false are ints to Python, not coordinates.
            or not all(
                isinstance(value, int | float) and not isinstance(value, bool)
                for value in point[:2]
            )
            or not all(math.isfinite(value) for value in point[:2])
        ):
            return str(_("its coordinates cannot be read."))
        longitude, latitude = point[0], point[1]
        if not (-180 <= longitude <= 180 and -90 <= latitude <= 90):
            return str(
                _(
                    "the point %(x)s, %(y)s is not a longitude and latitude in degrees: "
                    "save the file in WGS84 (EPSG:4326)."
                )
                % {"x": longitude, "y": latitude}
            )
    if ring[0][:2] != ring[-1][:2]:
        return str(_("a ring is not closed: its last point is not its first."))
    return ""


def as_multipolygon(area: BaseGeometry) -> MultiPolygon:
    if isinstance(area, MultiPolygon):
        return area
    if isinstance(area, Polygon):
        return MultiPolygon([area])
    polygons = [part for part in getattr(area, "geoms", []) if isinstance(part, Polygon)]
    polygons += [
        polygon
        for part in getattr(area, "geoms", [])
        if isinstance(part, MultiPolygon)
        for polygon in part.geoms
    ]
    return MultiPolygon(polygons)


def to_geojson(area: BaseGeometry) -> dict[str, Any]:
    """A GeoJSON MultiPolygon of the area, rounded to DIGITS decimals."""
    rounded = shapely.set_precision(as_multipolygon(area), 10**-DIGITS)
    return dict(mapping(as_multipolygon(rounded)))


def from_geojson(geometry: Mapping[str, Any]) -> BaseGeometry:
    return shape(geometry)


def outlines(area: BaseGeometry) -> dict[str, Any]:
    """The area simplified for each level of display, as GeoJSON coordinates."""
    return {
        level: to_geojson(area.simplify(tolerance, preserve_topology=True))["coordinates"]
        for level, tolerance in DETAIL.items()
    }


def bounds(area: BaseGeometry) -> tuple[float, float, float, float]:
    """(west, south, east, north) in degrees."""
    west, south, east, north = area.bounds
    return (west, south, east, north)


def centre(area: BaseGeometry) -> tuple[float, float]:
    """(latitude, longitude) of a point inside the area, near its middle."""
    point = area.representative_point() if not area.centroid.within(area) else area.centroid
    return (round(point.y, DIGITS), round(point.x, DIGITS))


def union(areas: Iterable[BaseGeometry]) -> BaseGeometry:
    """One area of several that touch (the 2020 region of today's two)."""
    return shapely.union_all(list(areas))


def repaired(area: BaseGeometry) -> BaseGeometry:
    """A valid area of one that is not (a ring crossing itself): for files we ship and read
    ourselves, never for an office's import, which is refused instead."""
    return as_multipolygon(shapely.make_valid(area))


def schematic_areas(
    region: BaseGeometry, centres: Mapping[str, tuple[float, float]]
) -> dict[str, BaseGeometry]:
    """Areas for places known only by their centres: each takes the part of the region nearer
    to its centre than to any other (Voronoi cells clipped to the region). Honest about being
    drawn, not surveyed: a map labels them schematic."""
    keys = list(centres)
    points = shapely.MultiPoint([(lon, lat) for lat, lon in (centres[key] for key in keys)])
    cells = shapely.voronoi_polygons(points, extend_to=region.envelope.buffer(1))
    areas: dict[str, BaseGeometry] = {}
    for cell in cells.geoms:
        for key in keys:
            latitude, longitude = centres[key]
            if key not in areas and cell.covers(Point(longitude, latitude)):
                areas[key] = as_multipolygon(cell.intersection(region))
                break
    return areas


def contains(geometry: Mapping[str, Any], latitude: float, longitude: float) -> bool:
    """Whether the point lies in (or on the edge of) the area."""
    return bool(shape(geometry).covers(Point(longitude, latitude)))


def points_in(geometry: Mapping[str, Any], points: Sequence[tuple[float, float]]) -> list[bool]:
    area = shape(geometry)
    shapely.prepare(area)
    return [bool(area.covers(Point(lon, lat))) for lat, lon in points]
