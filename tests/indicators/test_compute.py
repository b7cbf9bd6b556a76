"""Computed indicators on hand-built data: each computation, justified postponements excused,
a territory that moved region, the fixed number of queries, the refresh and the worker."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from factories import (
    AssignmentFactory,
    EmergencyFactory,
    EventFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    OrganizationFactory,
    ProjectFactory,
    TerritoryFactory,
    UserFactory,
)
from kense.core.permissions import Role
from kense.indicators import compute
from kense.indicators.models import Computation, Indicator, IndicatorValue, ValueStatus
from kense.indicators.signals import connect_signals, disconnect_signals
from kense.registry.models import Organization, Territory, TerritoryKind
from kense.registry.services import territory_save

TODAY = datetime.date(2021, 3, 1)


@pytest.fixture
def region(db: Any) -> Territory:
    return TerritoryFactory(name_kk="Қарағанды облысы", kind=TerritoryKind.REGION)


@pytest.fixture
def district_a(region: Territory) -> Territory:
    return TerritoryFactory(name_kk="Абай ауданы", parent=region)


@pytest.fixture
def district_b(region: Territory) -> Territory:
    return TerritoryFactory(name_kk="Бұқар жырау ауданы", parent=region)


@pytest.fixture
def organizer_a(district_a: Territory) -> Organization:
    # A village inside the district: data count for the district's whole subtree.
    village = TerritoryFactory(parent=district_a, kind=TerritoryKind.RURAL_DISTRICT)
    return OrganizationFactory(territory=village)


@pytest.fixture
def organizer_b(district_b: Territory) -> Organization:
    return OrganizationFactory(territory=district_b)


def indicator(computation: str) -> Indicator:
    found = Indicator.objects.filter(code=computation).first()
    return found or IndicatorFactory(code=computation, computation=computation)


def value(computation: str, territory: Territory, year: int = 2020) -> Decimal | None:
    return compute.compute(indicator(computation), territory, year, today=TODAY)


def held(organizer: Organization, **fields: Any) -> Any:
    return EventFactory(organizer=organizer, status="held", **fields)


def test_events_held_participants_beyond_plan_and_sponsors_money(
    organizer_a: Organization, organizer_b: Organization, district_a: Territory, region: Territory
) -> None:
    held(organizer_a, participants=10, online_views=5, sponsor_money=Decimal("1000.50"))
    held(organizer_a, participants=3, beyond_plan=True)
    held(organizer_b, participants=7)
    EventFactory(organizer=organizer_a, status="cancelled", reason="—", participants=99)
    held(organizer_a, participants=100, start=datetime.date(2019, 5, 1))  # another year

    assert value(Computation.EVENTS_HELD, district_a) == 2
    assert value(Computation.EVENTS_HELD, region) == 3
    assert value(Computation.PARTICIPANTS, district_a) == 18  # in person and online views
    assert value(Computation.PARTICIPANTS, region) == 25
    assert value(Computation.EVENTS_BEYOND_PLAN, district_a) == 1
    assert value(Computation.SPONSOR_MONEY, district_a) == Decimal("1000.50")
    assert value(Computation.EVENTS_HELD, district_a, 2019) == 1


def test_share_of_planned_events_held_excuses_justified_postponements_only(
    organizer_a: Organization, district_a: Territory
) -> None:
    quarantine = EmergencyFactory()
    held(organizer_a)
    EventFactory(organizer=organizer_a, status="postponed", reason="Q", emergency=quarantine)
    EventFactory(organizer=organizer_a, status="postponed", reason="no hall")  # unjustified
    EventFactory(organizer=organizer_a, status="cancelled", reason="—")  # counts against
    EventFactory(organizer=organizer_a, status="planned")
    held(organizer_a, beyond_plan=True)  # not part of the plan: neither side of the share

    # 1 held of 5 planned, less the one excused: 1 / 4.
    assert value(Computation.EVENTS_HELD_SHARE, district_a) == Decimal("25.00")


def test_share_with_nothing_planned_is_no_data(district_a: Territory) -> None:
    assert value(Computation.EVENTS_HELD_SHARE, district_a) is None
    assert value(Computation.EVENTS_HELD, district_a) == 0


def test_assignments_on_time_and_overdue(organizer_a: Organization, district_a: Territory) -> None:
    due = datetime.date(2020, 6, 1)
    on_time = datetime.datetime(2020, 5, 30, 6, 0, tzinfo=datetime.UTC)
    late = datetime.datetime(2020, 6, 20, 6, 0, tzinfo=datetime.UTC)
    AssignmentFactory(lead_organization=organizer_a, deadline=due, status="done", done_at=on_time)
    AssignmentFactory(lead_organization=organizer_a, deadline=due, status="done", done_at=late)
    AssignmentFactory(lead_organization=organizer_a, deadline=due)  # open: overdue
    AssignmentFactory(lead_organization=organizer_a, deadline=due, status="withdrawn")
    AssignmentFactory(lead_organization=organizer_a, deadline=datetime.date(2021, 6, 1))

    assert value(Computation.ASSIGNMENTS_ON_TIME, district_a) == Decimal("33.33")
    assert value(Computation.ASSIGNMENTS_OVERDUE, district_a) == 1
    assert value(Computation.ASSIGNMENTS_ON_TIME, district_a, 2019) is None


def test_projects_implemented_and_their_cost(district_a: Territory, region: Territory) -> None:
    ProjectFactory(
        territory=district_a,
        status="active",
        start=datetime.date(2019, 1, 1),
        end=datetime.date(2020, 12, 31),
        budget=Decimal("500"),
    )
    ProjectFactory(
        territory=district_a, status="completed", start=datetime.date(2020, 3, 1), budget=None
    )
    ProjectFactory(territory=district_a, status="planned", start=datetime.date(2020, 1, 1))
    ProjectFactory(territory=district_a, status="active", start=datetime.date(2021, 1, 1))
    ProjectFactory(territory=region, status="active", start=datetime.date(2020, 1, 1), budget=7)

    assert value(Computation.PROJECTS_IMPLEMENTED, district_a) == 2
    assert value(Computation.PROJECTS_COST, district_a) == 500
    assert value(Computation.PROJECTS_IMPLEMENTED, region) == 3
    assert value(Computation.PROJECTS_COST, region) == 507


def test_publications_views_ideas_and_acknowledgments_are_counted(
    organizer_a: Organization, district_a: Territory, district_b: Territory, region: Territory
) -> None:
    from factories import DocumentFactory, IdeaFactory, PublicationFactory
    from kense.documents.models import Distribution, Recipient

    PublicationFactory(reach=437, territories=[district_a])
    PublicationFactory(reach=63, territories=[district_a], date=datetime.date(2019, 5, 1))
    proposed = timezone.make_aware(datetime.datetime(2020, 4, 25, 12))
    IdeaFactory(territory=district_a, created_at=proposed)
    IdeaFactory(territory=district_b, created_at=proposed)
    distribution = Distribution.objects.create(
        document=DocumentFactory(),
        organization_kinds=[organizer_a.kind],
        mode="mandatory",
        sent_by=UserFactory(),
    )
    Recipient.objects.create(
        distribution=distribution,
        organization=organizer_a,
        acknowledged_at=timezone.make_aware(datetime.datetime(2020, 5, 2, 10)),
    )

    assert value(Computation.PUBLICATIONS, district_a) == 1  # the 2019 one is another year
    assert value(Computation.PUBLICATION_VIEWS, district_a) == 437
    assert value(Computation.IDEAS, district_a) == 1
    assert value(Computation.IDEAS, region) == 2
    assert value(Computation.ACKNOWLEDGMENTS, district_a) == 1
    assert value(Computation.ACKNOWLEDGMENTS, district_b) == 0


def test_a_reported_indicator_is_not_computed(district_a: Territory) -> None:
    reported = IndicatorFactory(source="reported")
    assert compute.compute(reported, district_a, 2020) is None


def test_a_territory_that_moved_region_keeps_its_2020_values_under_the_old_region(db: Any) -> None:
    admin = UserFactory(role=Role.ADMINISTRATOR)
    karaganda = TerritoryFactory(name_kk="Қарағанды облысы", kind=TerritoryKind.REGION)
    ulytau = TerritoryFactory(name_kk="Ұлытау облысы", kind=TerritoryKind.REGION)
    zhezkazgan = territory_save(
        Territory(name_kk="Жезқазған", name_ru="Жезказган", kind="city", parent=karaganda),
        user=admin,
    )
    organizer = OrganizationFactory(territory=zhezkazgan)
    held(organizer, start=datetime.date(2020, 9, 1))
    held(organizer, start=datetime.date(2023, 9, 1))
    zhezkazgan.parent = ulytau
    territory_save(zhezkazgan, user=admin, moved_on=datetime.date(2022, 6, 8))

    events_held = indicator(Computation.EVENTS_HELD)
    values_2020 = compute.compute_many([events_held], [karaganda, ulytau, zhezkazgan], 2020)
    values_2023 = compute.compute_many([events_held], [karaganda, ulytau, zhezkazgan], 2023)

    key = events_held.pk
    assert values_2020[(key, karaganda.pk)] == 1
    assert values_2020[(key, ulytau.pk)] == 0
    assert values_2020[(key, zhezkazgan.pk)] == 1
    assert values_2023[(key, karaganda.pk)] == 0
    assert values_2023[(key, ulytau.pk)] == 1


def _queries_for(territories: list[Territory], indicators: list[Indicator]) -> int:
    with CaptureQueriesContext(connection) as captured:
        compute.compute_many(indicators, territories, 2020, today=TODAY)
    return len(captured)


def test_compute_many_uses_a_fixed_number_of_queries(region: Territory) -> None:
    indicators = [indicator(computation) for computation in Computation.values]
    territories = [region]
    for number in range(11):
        district = TerritoryFactory(parent=region)
        organizer = OrganizationFactory(territory=district)
        held(organizer, participants=number)
        AssignmentFactory(lead_organization=organizer)
        ProjectFactory(territory=district, start=datetime.date(2020, 1, 1))
        territories.append(district)

    few = _queries_for(territories[:3], indicators)
    many = _queries_for(territories, indicators)

    assert few == many == 8  # the tree (2), events, assignments, projects, media, ideas, acks


def test_refresh_writes_computed_values_and_updates_them(
    organizer_a: Organization, district_a: Territory, district_b: Territory, region: Territory
) -> None:
    events_held = indicator(Computation.EVENTS_HELD)
    ideas = indicator(Computation.IDEAS)
    IndicatorFactory(source="reported")  # left alone
    held(organizer_a)

    written = compute.refresh(2020)

    assert written == 2 * 3  # two computed indicators × region and two districts
    values = {
        (v.indicator_id, v.territory_id): v
        for v in IndicatorValue.objects.filter(year=2020, period_kind="year")
    }
    assert values[(events_held.pk, district_a.pk)].value == 1
    assert values[(events_held.pk, district_b.pk)].value == 0
    assert values[(events_held.pk, region.pk)].value == 1
    assert values[(ideas.pk, district_a.pk)].value == 0  # no ideas there that year
    assert {v.status for v in values.values()} == {ValueStatus.COMPUTED}

    held(organizer_a)
    compute.refresh(2020, territories=[district_a], indicators=[events_held])

    assert IndicatorValue.objects.count() == 6
    assert IndicatorValue.objects.get(indicator=events_held, territory=district_a).value == 2


def test_refresh_overwrites_an_old_value_in_its_place(district_a: Territory) -> None:
    events_held = indicator(Computation.EVENTS_HELD)
    IndicatorValueFactory(indicator=events_held, territory=district_a, value=42)

    compute.refresh(2020, territories=[district_a])

    assert IndicatorValue.objects.get(indicator=events_held, territory=district_a).value == 0


@pytest.fixture
def refreshing() -> Iterator[None]:
    connect_signals()
    yield
    disconnect_signals()


def test_saves_in_one_transaction_enqueue_one_refresh_per_year(
    refreshing: None, organizer_a: Organization, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        held(organizer_a)
        held(organizer_a)
        AssignmentFactory(lead_organization=organizer_a, deadline=datetime.date(2021, 2, 1))

    enqueued = sorted(
        result.args_kwargs["args"][0]
        for result in DBTaskResult.objects.filter(task_path__endswith="refresh_indicators")
    )
    assert enqueued == [2020, 2021]


def test_nothing_is_enqueued_when_the_transaction_rolls_back(
    refreshing: None, organizer_a: Organization, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                held(organizer_a)
                raise RuntimeError
        except RuntimeError:
            pass

    assert callbacks == []
    assert not DBTaskResult.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_worker_refreshes_the_values_after_an_event_is_saved(refreshing: None) -> None:
    region = TerritoryFactory(kind=TerritoryKind.REGION)
    district = TerritoryFactory(parent=region)
    events_held = indicator(Computation.EVENTS_HELD)
    held(OrganizationFactory(territory=district), start=datetime.date(2020, 5, 5))

    assert not IndicatorValue.objects.exists()  # nothing computed in the request itself

    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)

    assert IndicatorValue.objects.get(indicator=events_held, territory=district).value == 1
    assert IndicatorValue.objects.get(indicator=events_held, territory=region).value == 1
