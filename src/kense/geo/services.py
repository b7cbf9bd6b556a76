"""Writes of boundaries: an import of a GeoJSON file, all or nothing, each saved with history."""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from shapely.geometry.base import BaseGeometry

from kense.core.history import audit_as
from kense.core.permissions import Action, can_add, restrict
from kense.geo import geometry
from kense.geo.models import Boundary
from kense.registry.models import Territory
from kense.text.kazakh import fold

if TYPE_CHECKING:
    from kense.accounts.models import User

KATO_KEYS = ("kato", "KATO", "kato_code", "KATO_CODE", "code")
NAME_KEYS = ("name", "name_kk", "name_ru", "name_en", "NAME", "ADM2_EN", "ADM1_EN")


class BoundaryFileRefused(Exception):
    """The file cannot be imported; nothing was saved. `errors` name the features."""

    def __init__(self, errors: Sequence[str]) -> None:
        super().__init__("; ".join(errors))
        self.errors = list(errors)


@dataclass
class BoundaryImport:
    """What an import did: the features matched to territories, and those left out."""

    saved: list[tuple[str, Territory]] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)


def geojson_limit() -> int:
    return int(getattr(settings, "KENSE_GEOJSON_LIMIT", 50_000_000))


def _names(territory: Territory) -> set[str]:
    spellings = [
        territory.name_kk,  # type: ignore[attr-defined]
        territory.name_ru,  # type: ignore[attr-defined]
        territory.name_en,  # type: ignore[attr-defined]
        *territory.aliases,
    ]
    return {fold(name) for name in spellings if name}


def _matches(
    features: Sequence[geometry.Feature], territories: Sequence[Territory]
) -> tuple[dict[int, Territory], list[str], list[str]]:
    """(feature number → territory, features that match none, errors)."""
    by_kato = {territory.kato: territory for territory in territories if territory.kato}
    by_name: dict[str, list[Territory]] = {}
    for known in territories:
        for name in _names(known):
            by_name.setdefault(name, []).append(known)
    found: dict[int, Territory] = {}
    unmatched: list[str] = []
    errors: list[str] = []
    taken: dict[int, str] = {}
    for feature in features:
        territory: Territory | None = None
        codes = [
            str(feature.properties[key]).strip() for key in KATO_KEYS if feature.properties.get(key)
        ]
        for code in codes:
            territory = by_kato.get(code)
            if territory:
                break
        if territory is None:
            candidates: dict[int, Territory] = {}
            for key in NAME_KEYS:
                value = feature.properties.get(key)
                if isinstance(value, str) and value.strip():
                    for candidate in by_name.get(fold(value.strip()), []):
                        candidates[candidate.pk] = candidate
            if len(candidates) > 1:
                names = ", ".join(sorted(str(t) for t in candidates.values()))
                errors.append(
                    str(
                        _(
                            "%(feature)s: the name fits several territories (%(names)s): "
                            "give its KATO code."
                        )
                        % {"feature": feature.label, "names": names}
                    )
                )
                continue
            territory = next(iter(candidates.values()), None)
        if territory is None:
            unmatched.append(feature.label)
            continue
        if territory.pk in taken:
            errors.append(
                str(
                    _("%(feature)s: «%(territory)s» already has the area of %(other)s.")
                    % {
                        "feature": feature.label,
                        "territory": territory,
                        "other": taken[territory.pk],
                    }
                )
            )
            continue
        taken[territory.pk] = feature.label
        found[feature.number] = territory
    return found, unmatched, errors


@transaction.atomic
def boundaries_import(
    data: bytes,
    *,
    user: User,
    valid_from: datetime.date | None,
    source: str = "",
    schematic: bool = False,
    leave_out_unmatched: bool = False,
) -> BoundaryImport:
    """Import the areas of a GeoJSON file as the boundaries of the territories its features
    name (by KATO code, else by a name in any language), from `valid_from` on: the boundary in
    force then is closed the day before, a later one is kept and ends the new one. A file with
    any error saves nothing; so does one with features that match no territory, unless the
    user chose to leave those out."""
    if not can_add(user, Boundary):
        raise PermissionDenied
    reading = geometry.read_boundaries(data, limit=geojson_limit())
    if reading.errors:
        raise BoundaryFileRefused(reading.errors)
    territories = list(restrict(Territory.objects.all(), user, Action.CHANGE))
    found, unmatched, errors = _matches(reading.features, territories)
    if unmatched and not leave_out_unmatched:
        errors += [
            str(_("%(feature)s matches no territory you may change.") % {"feature": label})
            for label in unmatched
        ]
    if errors:
        raise BoundaryFileRefused(errors)
    result = BoundaryImport(left_out=unmatched)
    for feature in reading.features:
        territory = found.get(feature.number)
        if territory is not None:
            boundary_set(
                territory,
                feature.area,
                user=user,
                valid_from=valid_from,
                source=source,
                schematic=schematic,
            )
            result.saved.append((feature.label, territory))
    return result


@transaction.atomic
def boundary_set(
    territory: Territory,
    area: BaseGeometry,
    *,
    user: User,
    valid_from: datetime.date | None,
    source: str = "",
    schematic: bool = False,
) -> Boundary:
    """Give the territory this area from `valid_from` on (see boundaries_import). A territory
    with no centre of its own gets a point inside the area as its centre."""
    periods = Boundary.objects.filter(territory=territory).select_for_update()
    same = periods.filter(valid_from=valid_from).first()
    # A period "since always" (no valid_from) comes before every dated one: it too ends the
    # day before the first of them, or two boundaries would be in force on the same day.
    later = (
        (
            periods.filter(valid_from__gt=valid_from)
            if valid_from
            else periods.filter(valid_from__isnull=False)
        )
        .order_by("valid_from")
        .first()
    )
    # Read before the boundary (which may be `same`) is given its new end.
    kept_end = same.valid_to if same else None
    if valid_from is not None:
        for earlier in periods.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lt=valid_from),
            Q(valid_to__isnull=True) | Q(valid_to__gte=valid_from),
        ):
            earlier.valid_to = valid_from - datetime.timedelta(days=1)
            audit_as(earlier, user)
            earlier.save(update_fields=["valid_to"])
    boundary = same or Boundary(territory=territory, valid_from=valid_from)
    boundary.valid_to = (
        later.valid_from - datetime.timedelta(days=1) if later and later.valid_from else None
    )
    if kept_end and not later:
        boundary.valid_to = kept_end
    _fill(boundary, area)
    boundary.source = source
    boundary.schematic = schematic
    audit_as(boundary, user)
    boundary.save()
    if territory.location is None:
        territory.latitude, territory.longitude = geometry.centre(area)
        audit_as(territory, user)
        territory.save(update_fields=["latitude", "longitude"])
    return boundary


def _fill(boundary: Boundary, area: BaseGeometry) -> None:
    boundary.geometry = geometry.to_geojson(area)
    boundary.outlines = geometry.outlines(area)
    boundary.west, boundary.south, boundary.east, boundary.north = geometry.bounds(area)


def location_warning(located: object, territory: Territory | None, day: datetime.date) -> str:
    """A warning when the point lies outside the territory's boundary on `day` (a typing
    slip, or the wrong territory); empty when it lies inside or cannot be checked."""
    point = getattr(located, "location", None)
    if point is None or territory is None:
        return ""
    boundary = Boundary.objects.on(day).filter(territory=territory).first()
    if boundary is None or geometry.contains(boundary.geometry, *point):
        return ""
    return str(
        _("The point %(lat)s, %(lon)s lies outside the boundary of %(territory)s: check it.")
        % {"lat": point[0], "lon": point[1], "territory": territory}
    )


def located_warning(saved: object) -> str:
    """location_warning for what a form saved: its own point against its territory's
    boundary today (a territory's centre against its own boundary)."""
    from django.utils import timezone

    if not hasattr(saved, "latitude"):
        return ""
    territory = saved if isinstance(saved, Territory) else getattr(saved, "territory", None)
    return location_warning(saved, territory, timezone.localdate())


def boundaries_by_territory(
    areas: Mapping[Territory, BaseGeometry],
    *,
    user: User,
    valid_from: datetime.date | None,
    valid_to: datetime.date | None = None,
    source: str,
    schematic: bool = False,
) -> list[Boundary]:
    """Boundaries of a loader that knows its territories (the demo, the generator): the same
    checks and history as an import."""
    saved = []
    for territory, area in areas.items():
        boundary = boundary_set(
            territory, area, user=user, valid_from=valid_from, source=source, schematic=schematic
        )
        if valid_to is not None:
            boundary.valid_to = valid_to
            audit_as(boundary, user)
            boundary.save(update_fields=["valid_to"])
        saved.append(boundary)
    return saved
