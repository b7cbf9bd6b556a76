"""A small world for the sacred sites: Karaganda region with two districts, Ulytau region
apart, a user per role that matters, and a helper that saves a site through the service."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation

from factories import TerritoryFactory, UserFactory
from kense.accounts.models import User
from kense.core.permissions import Role
from kense.registry.models import Territory, TerritoryKind
from kense.sites.models import Site, SiteKind
from kense.sites.services import site_save

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


def png(name: str = "photo.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def jpeg(name: str = "photo.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, JPEG, content_type="image/jpeg")


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user, backend=MODEL_BACKEND)
    return client


@pytest.fixture(autouse=True)
def _in_english() -> Any:
    with translation.override("en"):
        yield


@pytest.fixture
def media_root(settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def region(db: Any) -> Territory:
    return TerritoryFactory(
        name_kk="Қарағанды облысы",
        name_ru="Карагандинская область",
        kind=TerritoryKind.REGION,
        kato="350000000",
    )


@pytest.fixture
def karkaraly(region: Territory) -> Territory:
    return TerritoryFactory(
        name_kk="Қарқаралы ауданы", name_ru="Каркаралинский район", parent=region, kato="354400000"
    )


@pytest.fixture
def shet(region: Territory) -> Territory:
    return TerritoryFactory(
        name_kk="Шет ауданы", name_ru="Шетский район", parent=region, kato="355600000"
    )


@pytest.fixture
def ulytau(db: Any) -> Territory:
    return TerritoryFactory(
        name_kk="Ұлытау облысы", name_ru="Улытауская область", kind=TerritoryKind.REGION
    )


@pytest.fixture
def administrator(db: Any) -> User:
    return UserFactory(role=Role.ADMINISTRATOR)


@pytest.fixture
def office(region: Territory) -> User:
    return UserFactory(role=Role.PROJECT_OFFICE, territory=region)


@pytest.fixture
def coordinator(karkaraly: Territory) -> User:
    return UserFactory(role=Role.COORDINATOR, territory=karkaraly)


@pytest.fixture
def observer(region: Territory) -> User:
    return UserFactory(role=Role.OBSERVER, territory=region)


def make_site(user: User, territory: Territory, name_kk: str, **fields: Any) -> Site:
    """A site saved through site_save as `user` (Russian name: the Kazakh one unless given)."""
    links = fields.pop("links", None)
    fields.setdefault("name_ru", name_kk)
    fields.setdefault("kind", SiteKind.MAUSOLEUM)
    return site_save(Site(name_kk=name_kk, territory=territory, **fields), user=user, links=links)
