"""A small region for the API tests: a region with districts A and B, and a user per role."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from factories import OrganizationFactory, TerritoryFactory, UserFactory
from kense.accounts.models import ApiToken, User
from kense.core.permissions import Role
from kense.registry.models import Organization, Territory, TerritoryKind


@pytest.fixture
def region(db: Any) -> Territory:
    return TerritoryFactory(
        name_kk="Ұлытау облысы", name_ru="Улытауская область", kind=TerritoryKind.REGION
    )


@pytest.fixture
def district_a(region: Territory) -> Territory:
    return TerritoryFactory(name_kk="Жаңаарқа ауданы", name_ru="Жанааркинский район", parent=region)


@pytest.fixture
def district_b(region: Territory) -> Territory:
    return TerritoryFactory(name_kk="Ұлытау ауданы", name_ru="Улытауский район", parent=region)


@pytest.fixture
def organization_a(district_a: Territory) -> Organization:
    return OrganizationFactory(name_kk="Жаңаарқа аудандық әкімдігі", territory=district_a)


@pytest.fixture
def organization_b(district_b: Territory) -> Organization:
    return OrganizationFactory(name_kk="Ұлытау аудандық әкімдігі", territory=district_b)


@pytest.fixture
def administrator(db: Any) -> User:
    return UserFactory(role=Role.ADMINISTRATOR)


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
def coordinator_a(district_a: Territory) -> User:
    return UserFactory(role=Role.COORDINATOR, territory=district_a)


@pytest.fixture
def as_user() -> Callable[..., Client]:
    """A test client that sends `Authorization: Bearer <key>` of a fresh token of the user.

    The token counts as just used, so that requests do not write last_used_at and query
    counts stay those of the endpoint.
    """

    def make(user: User, **defaults: Any) -> Client:
        token, key = ApiToken.issue(user=user, name="tests")
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
        return Client(HTTP_AUTHORIZATION=f"Bearer {key}", **defaults)

    return make
