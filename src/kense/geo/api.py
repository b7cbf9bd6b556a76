"""Places as GeoJSON (RFC 7946): the boundaries of territories on a day, and the located
points of events, organizations, meetings and projects, each scoped as their pages are."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile

from kense.accounts.auth import current_user
from kense.core.api import READ_ERRORS, WRITE_ERRORS
from kense.core.permissions import get_visible
from kense.events.models import Event
from kense.geo import services
from kense.geo.models import Boundary
from kense.meetings.models import Meeting
from kense.programs.models import Project
from kense.registry.models import Organization, Territory, TerritoryKind
from kense.registry.selectors import subtree_on
from kense.sites.selectors import sites_on_map

router = Router(tags=["geo"])

Detail = Literal["country", "region", "district", "full"]


class Geometry(Schema):
    type: str = Field(..., description="MultiPolygon for an area, Point for a point.")
    coordinates: Any = Field(..., description="Longitude, latitude in WGS84 degrees.")


class AreaProperties(Schema):
    territory: int
    name: str
    kind: str
    kato: str | None
    valid_from: datetime.date | None
    valid_to: datetime.date | None
    schematic: bool
    source: str


class AreaFeature(Schema):
    type: Literal["Feature"] = "Feature"
    id: int
    geometry: Geometry
    properties: AreaProperties


class AreaCollection(Schema):
    type: Literal["FeatureCollection"] = "FeatureCollection"
    features: list[AreaFeature]


class PointProperties(Schema):
    kind: str = Field(..., description="event, organization, meeting or project.")
    id: int
    name: str
    territory: int | None
    inherited: bool = Field(
        ..., description="The point is its territory's centre: the object has none of its own."
    )


class PointFeature(Schema):
    type: Literal["Feature"] = "Feature"
    id: str
    geometry: Geometry
    properties: PointProperties


class PointCollection(Schema):
    type: Literal["FeatureCollection"] = "FeatureCollection"
    features: list[PointFeature]


class AreaQuery(Schema):
    on: datetime.date | None = Field(
        None, description="The day the boundaries held: by default today."
    )
    within: int | None = Field(
        None,
        description=(
            "Only the territories inside this one (itself included), as the tree stood that day."
        ),
    )
    kind: TerritoryKind | None = Field(None, description="Only territories of this level.")
    detail: Detail = Field(
        "region", description="How simplified: country (coarsest), region, district, or full."
    )


class PointQuery(Schema):
    within: int | None = Field(None, description="Only points of objects inside this territory.")
    kind: Literal["event", "organization", "meeting", "project"] | None = None
    year: int | None = Field(
        None, ge=1900, le=2999, description="Events and meetings of this year."
    )


def feature_collection(boundaries: Sequence[Boundary], *, detail: str) -> dict[str, Any]:
    """Boundaries as a GeoJSON FeatureCollection (the territory read from each boundary)."""
    features = []
    for boundary in boundaries:
        territory = boundary.territory
        geometry = (
            boundary.geometry
            if detail == "full"
            else {"type": "MultiPolygon", "coordinates": boundary.outlines.get(detail)}
        )
        features.append(
            {
                "type": "Feature",
                "id": boundary.pk,
                "geometry": geometry,
                "properties": {
                    "territory": territory.pk,
                    "name": territory.name,
                    "kind": territory.kind,
                    "kato": territory.kato,
                    "valid_from": boundary.valid_from and boundary.valid_from.isoformat(),
                    "valid_to": boundary.valid_to and boundary.valid_to.isoformat(),
                    "schematic": boundary.schematic,
                    "source": boundary.source,
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


@router.get("/geo/territories", response={200: AreaCollection, **READ_ERRORS})
def territory_areas(request: HttpRequest, query: Query[AreaQuery]) -> dict[str, Any]:
    """The boundaries in force on a day of the territories the caller may see, narrowed to a
    subtree (as it stood that day) and a level, simplified as asked."""
    user = current_user(request)
    day = query.on or timezone.localdate()
    boundaries = Boundary.objects.restrict(user).on(day).select_related("territory")
    if query.within is not None:
        within = get_visible(Territory.objects, user, pk=query.within)
        boundaries = boundaries.filter(territory_id__in=subtree_on(within, day))
    if query.kind is not None:
        boundaries = boundaries.filter(territory__kind=query.kind)
    if query.detail != "full":
        boundaries = boundaries.defer("geometry")
    return feature_collection(
        list(boundaries.order_by("territory__path", "pk")), detail=query.detail
    )


# An answer is at most this many points of a kind: a country's events of ten years are a
# million, which no map draws; the caller narrows by territory, kind or year.
MAX_POINTS = 5000
TOO_MANY_POINTS = gettext_noop(
    "More than %(count)s points of kind %(kind)s: narrow by within, kind or year."
)

POINT_MODELS: dict[str, Any] = {
    "event": Event,
    "organization": Organization,
    "meeting": Meeting,
    "project": Project,
}


@router.get("/geo/points", response={200: PointCollection, **READ_ERRORS})
def located_points(request: HttpRequest, query: Query[PointQuery]) -> dict[str, Any]:
    """Events, organizations, meetings and projects as points: their own place, or their
    territory's centre when they have none (`inherited`). Those without either are left out.
    More than 5,000 of a kind answers 422: narrow by `within`, `kind` or `year`."""
    user = current_user(request)
    features: list[dict[str, Any]] = []
    within = get_visible(Territory.objects, user, pk=query.within) if query.within else None
    for kind, model in POINT_MODELS.items():
        if query.kind and query.kind != kind:
            continue
        rows = model.objects.restrict(user).select_related("territory")
        if within is not None:
            rows = rows.filter(territory__path__startswith=within.path)
        if query.year is not None and kind == "event":
            rows = rows.filter(start__year=query.year)
        if query.year is not None and kind == "meeting":
            rows = rows.filter(start__year=query.year)
        rows = rows.filter(
            Q(latitude__isnull=False) | Q(territory__latitude__isnull=False)
        ).order_by("pk")[: MAX_POINTS + 1]
        if len(rows) > MAX_POINTS:
            raise ValidationError(
                {"within": _(TOO_MANY_POINTS) % {"count": MAX_POINTS, "kind": kind}}
            )
        for row in rows:
            point = row.location
            inherited = point is None
            if point is None:
                point = row.territory.location
            features.append(
                {
                    "type": "Feature",
                    "id": f"{kind}-{row.pk}",
                    "geometry": {"type": "Point", "coordinates": [point[1], point[0]]},
                    "properties": {
                        "kind": kind,
                        "id": row.pk,
                        "name": str(row),
                        "territory": row.territory_id,
                        "inherited": inherited,
                    },
                }
            )
    return {"type": "FeatureCollection", "features": features}


class SiteProperties(Schema):
    id: int
    name: str
    kind: str
    sacred_list: str
    protection: str
    territory: int


class SiteFeature(Schema):
    type: Literal["Feature"] = "Feature"
    id: int
    geometry: Geometry
    properties: SiteProperties


class SiteCollection(Schema):
    type: Literal["FeatureCollection"] = "FeatureCollection"
    features: list[SiteFeature]


class SiteQuery(Schema):
    within: int | None = Field(None, description="Only the sites inside this territory.")


@router.get("/geo/sites", response={200: SiteCollection, **READ_ERRORS})
def site_points(request: HttpRequest, query: Query[SiteQuery]) -> dict[str, Any]:
    """The sacred sites the caller may see that have a point, as GeoJSON points."""
    user = current_user(request)
    filters: dict[str, Any] = {}
    if query.within is not None:
        filters["territory"] = get_visible(Territory.objects, user, pk=query.within)
    sites = sites_on_map(user, **filters).order_by("pk")
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": site.pk,
                "geometry": {"type": "Point", "coordinates": [site.longitude, site.latitude]},
                "properties": {
                    "id": site.pk,
                    "name": site.name,
                    "kind": site.kind,
                    "sacred_list": site.sacred_list,
                    "protection": site.protection,
                    "territory": site.territory_id,
                },
            }
            for site in sites
        ],
    }


class BoundaryImportOut(Schema):
    saved: list[str] = Field(..., description="Each saved feature (№ and name) and its territory.")
    left_out: list[str] = Field(..., description="Features that matched no territory, left out.")


@router.post("/geo/boundaries", response={201: BoundaryImportOut, **WRITE_ERRORS})
def import_boundaries(
    request: HttpRequest,
    file: File[UploadedFile],
    valid_from: Form[datetime.date | None] = None,
    source: Form[str] = "",
    leave_out_unmatched: Form[bool] = False,
) -> Status[dict[str, Any]]:
    """Import a GeoJSON FeatureCollection of boundaries (the page "Import boundaries"): all or
    nothing; every error names its feature (422, under "file")."""
    user = current_user(request)
    try:
        result = services.boundaries_import(
            file.read(services.geojson_limit() + 1),
            user=user,
            valid_from=valid_from,
            source=source or (file.name or ""),
            leave_out_unmatched=leave_out_unmatched,
        )
    except services.BoundaryFileRefused as refused:
        raise ValidationError({"file": refused.errors}) from refused
    return Status(
        201,
        {
            "saved": [f"{label}: {territory}" for label, territory in result.saved],
            "left_out": result.left_out,
        },
    )
