"""A small world for places and maps: Karaganda region (R) with districts A (Karkaraly) and B
(Shet) side by side, Ulytau region (U) apart, a user per role, and helpers that write GeoJSON.

The territories are saved through registry.services.territory_save, as the pages and the demo
save them, so that each has its membership under its parent recorded: the map of a day reads
the tree as it stood that day from those periods.

The areas, in degrees (longitude, latitude): R is the box 72–76 × 47–50, A its eastern half
(74–76), B its western half (72–74); U is the box 66–70 × 46–49.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone, translation
from shapely.geometry import box
from shapely.geometry.base import BaseGeometry

from factories import OrganizationFactory, UserFactory
from kense.accounts.models import ApiToken, User
from kense.core.permissions import Role
from kense.registry.models import Organization, OrganizationKind, Territory, TerritoryKind
from kense.registry.services import territory_save

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"

REGION_AREA = box(72, 47, 76, 50)
A_AREA = box(74, 47, 76, 50)
B_AREA = box(72, 47, 74, 50)
ULYTAU_AREA = box(66, 46, 70, 49)
# A bow-tie: its ring crosses itself.
BROKEN_POLYGON = {
    "type": "Polygon",
    "coordinates": [[[74, 48], [75, 49], [75, 48], [74, 49], [74, 48]]],
}


def ring(area: BaseGeometry) -> list[list[float]]:
    """The outer ring of a polygon as GeoJSON coordinates."""
    return [[x, y] for x, y in area.exterior.coords]


def polygon(area: BaseGeometry) -> dict[str, Any]:
    return {"type": "Polygon", "coordinates": [ring(area)]}


def feature(geometry: dict[str, Any] | None, **properties: Any) -> dict[str, Any]:
    return {"type": "Feature", "properties": properties, "geometry": geometry}


def collection(*features: dict[str, Any], **members: Any) -> bytes:
    """A FeatureCollection of these features, as a file's bytes."""
    document = {"type": "FeatureCollection", "features": list(features), **members}
    return json.dumps(document, ensure_ascii=False).encode()


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user, backend=MODEL_BACKEND)
    return client


def with_token(user: User) -> Client:
    """A client that sends a fresh bearer token of the user (counted as just used, so that a
    request writes nothing)."""
    token, key = ApiToken.issue(user=user, name="tests")
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}")


@pytest.fixture(autouse=True)
def _in_english() -> Any:
    with translation.override("en"):
        yield


@pytest.fixture
def administrator(db: Any) -> User:
    return UserFactory(role=Role.ADMINISTRATOR)


def _territory(admin: User, **fields: Any) -> Territory:
    fields.setdefault("kind", TerritoryKind.DISTRICT)
    return territory_save(Territory(**fields), user=admin)


@pytest.fixture
def region(administrator: User) -> Territory:
    return _territory(
        administrator,
        name_kk="Қарағанды облысы",
        name_ru="Карагандинская область",
        name_en="Karaganda Region",
        kind=TerritoryKind.REGION,
        kato="350000000",
    )


@pytest.fixture
def district_a(administrator: User, region: Territory) -> Territory:
    return _territory(
        administrator,
        name_kk="Қарқаралы ауданы",
        name_ru="Каркаралинский район",
        name_en="Karkaraly District",
        parent=region,
        kato="354400000",
    )


@pytest.fixture
def district_b(administrator: User, region: Territory) -> Territory:
    return _territory(
        administrator,
        name_kk="Шет ауданы",
        name_ru="Шетский район",
        name_en="Shet District",
        parent=region,
        kato="355600000",
    )


@pytest.fixture
def ulytau(administrator: User) -> Territory:
    return _territory(
        administrator,
        name_kk="Ұлытау облысы",
        name_ru="Улытауская область",
        name_en="Ulytau Region",
        kind=TerritoryKind.REGION,
        kato="620000000",
    )


@pytest.fixture
def school_a(district_a: Territory) -> Organization:
    return OrganizationFactory(
        name_kk="Қарқаралы мектебі", kind=OrganizationKind.SCHOOL, territory=district_a
    )


@pytest.fixture
def project_office(region: Territory) -> User:
    return UserFactory(role=Role.PROJECT_OFFICE, territory=region)


@pytest.fixture
def executive(region: Territory) -> User:
    return UserFactory(role=Role.EXECUTIVE, territory=region)


@pytest.fixture
def observer(region: Territory) -> User:
    return UserFactory(role=Role.OBSERVER, territory=region)


@pytest.fixture
def coordinator(district_a: Territory) -> User:
    return UserFactory(role=Role.COORDINATOR, territory=district_a)


@pytest.fixture
def department(school_a: Organization) -> User:
    return UserFactory(role=Role.DEPARTMENT, organization=school_a)


@pytest.fixture
def institution(school_a: Organization) -> User:
    return UserFactory(role=Role.INSTITUTION, organization=school_a)


@pytest.fixture
def users(
    administrator: User,
    project_office: User,
    executive: User,
    department: User,
    coordinator: User,
    institution: User,
    observer: User,
) -> dict[str, User]:
    """Every role that can sign in, by name."""
    return {
        "administrator": administrator,
        "project_office": project_office,
        "executive": executive,
        "department": department,
        "coordinator": coordinator,
        "institution": institution,
        "observer": observer,
    }


@pytest.fixture
def as_user() -> Callable[[User], Client]:
    return with_token
