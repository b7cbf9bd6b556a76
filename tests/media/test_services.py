"""Recording a name variant found in a text as an alias of what it names: every kind of
named thing, through its app's own save service, in the user's scope."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from factories import DirectionFactory, TerritoryFactory, UserFactory
from kense.accounts.models import User
from kense.core.permissions import Role
from kense.media.services import alias_record
from kense.programs.models import Direction
from kense.registry.models import Territory, TerritoryKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def region() -> Territory:
    return TerritoryFactory(
        name_kk="Қарағанды облысы", name_ru="Карагандинская область", kind=TerritoryKind.REGION
    )


@pytest.fixture
def district_a(region: Territory) -> Territory:
    return TerritoryFactory(name_kk="Жаңаарқа ауданы", name_ru="Жанааркинский район", parent=region)


@pytest.fixture
def district_b(region: Territory) -> Territory:
    return TerritoryFactory(name_kk="Ұлытау ауданы", name_ru="Улытауский район", parent=region)


@pytest.fixture
def coordinator_a(district_a: Territory) -> User:
    return UserFactory(role=Role.COORDINATOR, territory=district_a)


@pytest.fixture
def office(region: Territory) -> User:
    return UserFactory(role=Role.PROJECT_OFFICE, territory=region)


def test_a_territory_gets_the_alias_through_its_service(
    coordinator_a: User, district_a: Territory
) -> None:
    saved = alias_record(
        kind="territory", pk=district_a.pk, spelling=" Zhanaarka ", user=coordinator_a
    )

    district_a.refresh_from_db()
    assert saved == district_a
    assert district_a.aliases == ["Zhanaarka"]
    assert " zhanaarka " in district_a.search_text
    latest = district_a.history.first()  # type: ignore[attr-defined]
    assert (latest.aliases, latest.history_user) == (["Zhanaarka"], coordinator_a)

    # A spelling already known, whatever its case, is not added twice (nor audited again).
    alias_record(kind="territory", pk=district_a.pk, spelling="ZHANAARKA", user=coordinator_a)
    district_a.refresh_from_db()
    assert district_a.aliases == ["Zhanaarka"]
    assert district_a.history.count() == 2  # type: ignore[attr-defined]


def test_a_territory_the_user_may_not_change_keeps_its_aliases(
    region: Territory, district_a: Territory, district_b: Territory, coordinator_a: User
) -> None:
    observer = UserFactory(role=Role.OBSERVER, territory=region)

    with pytest.raises(PermissionDenied):
        alias_record(kind="territory", pk=district_a.pk, spelling="Zhanaarka", user=observer)
    with pytest.raises(Http404):  # another district: not even seen
        alias_record(kind="territory", pk=district_b.pk, spelling="Ulytau", user=coordinator_a)

    district_a.refresh_from_db()
    district_b.refresh_from_db()
    assert (district_a.aliases, district_b.aliases) == ([], [])
    assert district_a.history.count() == 1  # type: ignore[attr-defined]


def test_a_direction_gets_the_alias_from_the_project_office(office: User) -> None:
    direction = DirectionFactory(name_kk="Туған жерге тағзым", aliases=["Тағзым"])

    alias_record(kind="direction", pk=direction.pk, spelling="Tugan zherge tagzym", user=office)

    direction.refresh_from_db()
    assert direction.aliases == ["Тағзым", "Tugan zherge tagzym"]
    assert " tagzym " in direction.search_text
    assert direction.history.first().history_user == office  # type: ignore[attr-defined]


def test_a_coordinator_may_not_give_a_direction_an_alias(coordinator_a: User) -> None:
    # Directions are region-wide: everyone sees them, only the project office changes them.
    direction = DirectionFactory(aliases=["Тағзым"])

    with pytest.raises(PermissionDenied):
        alias_record(kind="direction", pk=direction.pk, spelling="Tagzym", user=coordinator_a)

    assert Direction.objects.get(pk=direction.pk).aliases == ["Тағзым"]
    assert direction.history.count() == 1  # type: ignore[attr-defined]


def test_an_unknown_kind_is_refused(office: User, district_a: Territory) -> None:
    with pytest.raises(ValueError, match="event"):
        alias_record(kind="event", pk=district_a.pk, spelling="Той", user=office)
