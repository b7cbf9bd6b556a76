"""The world of the notification tests: a region with a district, its culture division and
its people, and a stand-in of Telegram's Bot API on loopback that the real client talks to."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from factories import OrganizationFactory, PersonFactory, TerritoryFactory, UserFactory
from kense.accounts.models import User
from kense.core.permissions import Role
from kense.registry.models import Organization, Territory, TerritoryKind
from notifications.standin import TOKEN, BotApi, serve

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def bot_api(settings: Any) -> Iterator[BotApi]:
    """The Bot API's stand-in on 127.0.0.1; Kense is pointed at it."""
    with serve() as api:
        settings.KENSE_TELEGRAM_TOKEN = TOKEN
        settings.KENSE_TELEGRAM_API = api.url
        yield api


@pytest.fixture
def immediate(settings: Any) -> None:
    settings.TASKS = IMMEDIATE
    settings.KENSE_BASE_URL = "https://kense.example.kz"


@pytest.fixture
def committed(immediate: None, django_capture_on_commit_callbacks: Any) -> Callable[..., Any]:
    """Run a service as a request would: what it queues on commit runs."""

    def run(function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            return function(*args, **kwargs)

    return run


@pytest.fixture
def region(db: None) -> Territory:
    return TerritoryFactory(
        name_kk="Қарағанды облысы", name_ru="Карагандинская область", kind=TerritoryKind.REGION
    )


@pytest.fixture
def district(region: Territory) -> Territory:
    return TerritoryFactory(name_kk="Абай ауданы", name_ru="Абайский район", parent=region)


@pytest.fixture
def other_district(region: Territory) -> Territory:
    return TerritoryFactory(
        name_kk="Бұқар жырау ауданы", name_ru="Бухар-Жырауский район", parent=region
    )


@pytest.fixture
def division(district: Territory) -> Organization:
    return OrganizationFactory(
        name_kk="Абай ауданының мәдениет бөлімі",
        name_ru="Отдел культуры Абайского района",
        territory=district,
    )


@pytest.fixture
def school(district: Territory, division: Organization) -> Organization:
    return OrganizationFactory(
        name_kk="№ 1 мектеп", name_ru="Школа № 1", territory=district, parent=division
    )


@pytest.fixture
def office(region: Territory) -> User:
    return UserFactory(username="office", role=Role.PROJECT_OFFICE, territory=region, language="kk")


@pytest.fixture
def department(division: Organization) -> User:
    return UserFactory(
        username="culture", role=Role.DEPARTMENT, organization=division, language="kk"
    )


@pytest.fixture
def deputy(region: Territory) -> User:
    """A deputy akim: an executive of the region with a person, who reads Russian."""
    return UserFactory(
        username="deputy",
        role=Role.EXECUTIVE,
        territory=region,
        person=PersonFactory(),
        language="ru",
    )


@pytest.fixture
def institution(school: Organization) -> User:
    return UserFactory(
        username="school", role=Role.INSTITUTION, organization=school, language="ru", email=""
    )


@pytest.fixture
def co_executed(
    committed: Callable[..., Any], office: User, division: Organization, school: Organization
) -> Callable[[], Any]:
    """Saves, as the office, an assignment the division leads and the school co-executes (its
    notifications delivered as on commit); answers the assignment."""
    from django.utils import timezone

    from kense.assignments import services as assignments
    from kense.assignments.models import Assignment

    def save() -> Any:
        assignment = Assignment(
            text_kk="Бірлесіп орындау",
            text_ru="Совместно исполнить",
            source_kind="order",
            order_reference="№ 2",
            number="7-15",
            lead_organization=division,
            deadline=timezone.localdate() + datetime.timedelta(days=10),
            controller=office,
        )
        committed(assignments.assignment_save, assignment, user=office, co_executors=[school])
        return assignment

    return save
