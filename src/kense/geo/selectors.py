"""Reads of places: the areas of a territory's units on a day, and points to draw over them."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Q
from django.urls import reverse

from kense.core.lists import kazakh_order
from kense.core.permissions import Actor
from kense.geo import render
from kense.geo.models import Boundary
from kense.registry.models import Territory, TerritoryKind
from kense.registry.selectors import subtree_on, territory_children, territory_roots

if TYPE_CHECKING:
    from kense.accounts.models import User

# Which outline a map draws: the country's map is coarse, a district's fine.
DETAIL_OF = {
    TerritoryKind.COUNTRY: "country",
    TerritoryKind.REGION: "region",
}


def detail_for(territory: Territory | None) -> str:
    if territory is None:
        return "country"
    return DETAIL_OF.get(TerritoryKind(territory.kind), "district")


def boundaries_on(
    user: Actor, territory_ids: Iterable[int], day: datetime.date
) -> dict[int, Boundary]:
    """The boundary in force on `day` of each of these territories the user may see (one
    query; the full geometry is not read, only the outlines)."""
    rows = (
        Boundary.objects.restrict(user)
        .on(day)
        .filter(territory_id__in=list(territory_ids))
        .defer("geometry")
    )
    return {boundary.territory_id: boundary for boundary in rows}


@dataclass
class TerritoryMap:
    """A territory on a day: its own boundary and its units' (drawn), those without one."""

    territory: Territory | None
    day: datetime.date
    units: list[Territory]
    boundaries: dict[int, Boundary]
    own: Boundary | None
    detail: str

    @property
    def without_boundary(self) -> list[Territory]:
        return [unit for unit in self.units if unit.pk not in self.boundaries]

    def areas(self, link: Any = None) -> list[render.Area]:
        """An Area per unit with a boundary, in the units' order (Kazakh alphabetical)."""
        areas = []
        for unit in self.units:
            boundary = self.boundaries.get(unit.pk)
            if boundary is None:
                continue
            coordinates = boundary.outlines.get(self.detail) or boundary.outlines.get("district")
            areas.append(
                render.Area(
                    key=str(unit.pk),
                    name=unit.name,
                    coordinates=coordinates,
                    schematic=boundary.schematic,
                    url=link(unit) if link else "",
                )
            )
        return areas

    @property
    def bounds(self) -> tuple[float, float, float, float] | None:
        if self.own is not None:
            return (self.own.west, self.own.south, self.own.east, self.own.north)
        return render.bounds_of(self.boundaries.values())


PEER_KINDS = (TerritoryKind.CITY, TerritoryKind.DISTRICT)


def territory_map(
    user: User, territory: Territory | None, day: datetime.date, *, districts: bool = False
) -> TerritoryMap:
    """The map of `territory` on `day` (by default the user's own territory, or the country):
    its direct units as the tree stood that day, or with `districts` every city and district
    inside it; those the user may see. Four or five queries."""
    if territory is None:
        roots = territory_roots(user)
        territory = roots[0] if len(roots) == 1 else None
    if districts and territory is not None:
        units = list(
            Territory.objects.restrict(user)
            .filter(pk__in=subtree_on(territory, day), kind__in=PEER_KINDS)
            .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day))
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
            .order_by(kazakh_order(), "pk")
        )
    elif territory is None:
        units = list(
            Territory.objects.restrict(user)
            .filter(parent__isnull=True)
            .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day))
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        )
    else:
        units = territory_children(user, territory, on=day)
    ids = [unit.pk for unit in units] + ([territory.pk] if territory else [])
    boundaries = boundaries_on(user, ids, day)
    own = boundaries.pop(territory.pk, None) if territory else None
    return TerritoryMap(
        territory=territory,
        day=day,
        units=units,
        boundaries=boundaries,
        own=own,
        # A country's cities and districts are drawn at the country's scale: 220 areas.
        detail=detail_for(territory),
    )


def counts_by_unit(units: Sequence[Territory], rows: Iterable[tuple[str, int]]) -> dict[int, int]:
    """Per unit, the sum of counts of rows (territory path, count) inside it: one pass, each
    path's ancestors read from the path itself."""
    by_pk = {unit.pk: unit.pk for unit in units}
    totals = dict.fromkeys(by_pk, 0)
    for path, count in rows:
        for part in path.strip("/").split("/"):
            if part and int(part) in by_pk:
                totals[int(part)] += count
                break
    return totals


def outline_area(territory_map: TerritoryMap) -> list[render.Area]:
    """The territory's own outline, drawn under its units where they leave gaps."""
    own = territory_map.own
    if own is None or territory_map.territory is None:
        return []
    return [
        render.Area(
            key=f"outline-{territory_map.territory.pk}",
            name=territory_map.territory.name,
            coordinates=own.outlines.get(territory_map.detail) or own.outlines.get("district"),
            schematic=own.schematic,
            fill="#f7f7f7",
            labelled=False,
        )
    ]


def territory_url(unit: Territory) -> str:
    return reverse("registry:territory_detail", args=[unit.pk])


def spots_of(rows: Iterable[Any], *, kind: str, url_name: str = "") -> list[render.Spot]:
    """Points of located objects (their own place, or the centre of their territory when
    they have none: a school stands in its town)."""
    located = []
    for row in rows:
        territory = getattr(row, "territory", None)
        own = territory.location if territory is not None else None
        located.append((row.pk, str(row), row.latitude, row.longitude, *(own or (None, None))))
    return spots_of_values(located, kind=kind, url_name=url_name)


def spots_of_values(
    rows: Iterable[tuple[int, str, float | None, float | None, float | None, float | None]],
    *,
    kind: str,
    url_name: str = "",
) -> list[render.Spot]:
    """spots_of for rows read as values (pk, name, latitude, longitude, the territory's
    latitude and longitude): a country's month is thousands of events, too many to make
    into model objects for a map."""
    spots = []
    # One reverse() for all the rows.
    marker = 987654321
    pattern = reverse(url_name, args=[marker]) if url_name else ""
    for pk, name, latitude, longitude, centre_latitude, centre_longitude in rows:
        if latitude is None or longitude is None:
            latitude, longitude = centre_latitude, centre_longitude
        if latitude is None or longitude is None:
            continue
        spots.append(
            render.Spot(
                latitude=latitude,
                longitude=longitude,
                name=name,
                url=pattern.replace(str(marker), str(pk)) if pattern else "",
                kind=kind,
            )
        )
    return spots


def points_picture(
    user: User,
    spots: list[render.Spot],
    *,
    title: str,
    day: datetime.date,
    territory: Territory | None = None,
) -> render.Picture:
    """Points over the map of a territory (by default the user's own) on a day, clustered
    where they crowd; the view fits the points when they lie outside the territory."""
    drawn = territory_map(user, territory, day)
    areas = outline_area(drawn) + drawn.areas()
    bounds = drawn.bounds
    if bounds is not None and spots:
        west, south, east, north = bounds
        bounds = (
            min(west, *(spot.longitude for spot in spots)),
            min(south, *(spot.latitude for spot in spots)),
            max(east, *(spot.longitude for spot in spots)),
            max(north, *(spot.latitude for spot in spots)),
        )
    return render.draw(areas, spots, title=title, bounds=bounds)
