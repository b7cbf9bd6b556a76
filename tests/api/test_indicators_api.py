"""The indicators API: indicators, targets and values, scoped, paginated, with fixed query
counts; bad input answered with 422 and nothing saved."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from factories import (
    EventFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    TargetFactory,
    TerritoryFactory,
)
from kense.accounts.models import User
from kense.indicators.models import Indicator, IndicatorValue, Target
from kense.registry.models import Territory

pytestmark = pytest.mark.django_db

JSON = "application/json"
AsUser = Callable[..., Client]


def fields(response: Any) -> set[str | None]:
    return {error["field"] for error in response.json()["detail"]}


def ids(response: Any) -> list[int]:
    return [item["id"] for item in response.json()["items"]]


def post(client: Client, url: str, data: dict[str, Any]) -> Any:
    return client.post(url, json.dumps(data), content_type=JSON)


def patch(client: Client, url: str, data: dict[str, Any]) -> Any:
    return client.patch(url, json.dumps(data), content_type=JSON)


INDICATOR = {
    "code": "events_held",
    "name_kk": "Өткізілген іс-шаралар",
    "name_ru": "Проведённые мероприятия",
    "source": "computed",
    "computation": "events_held",
}


# Indicators


def test_everyone_lists_the_indicators_with_filters(as_user: AsUser, coordinator_a: User) -> None:
    held = IndicatorFactory(code="held", order=1)
    reported = IndicatorFactory(code="readers", source="reported", order=2)
    client = as_user(coordinator_a)

    assert ids(client.get("/api/v1/indicators")) == [held.pk, reported.pk]
    assert ids(client.get("/api/v1/indicators?source=reported")) == [reported.pk]
    assert ids(client.get("/api/v1/indicators?computation=events_held")) == [held.pk]
    detail = client.get(f"/api/v1/indicators/{held.pk}").json()
    assert (detail["code"], detail["computation"], detail["direction"]) == (
        "held",
        "events_held",
        None,
    )
    assert client.get("/api/v1/indicators/999999").status_code == 404


def test_the_project_office_creates_and_updates_an_indicator(
    as_user: AsUser, project_office: User
) -> None:
    client = as_user(project_office)

    created = post(client, "/api/v1/indicators", INDICATOR)

    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    updated = patch(client, f"/api/v1/indicators/{pk}", {"higher_is_better": False})
    assert updated.status_code == 200
    assert Indicator.objects.get(pk=pk).higher_is_better is False


@pytest.mark.parametrize(
    ("bad", "field"),
    [
        ({"computation": ""}, "computation"),
        ({"computation": "weather"}, "computation"),
        ({"source": "reported"}, "computation"),
        ({"name_kk": ""}, "name_kk"),
    ],
)
def test_a_bad_indicator_is_refused(
    as_user: AsUser, project_office: User, bad: dict[str, str], field: str
) -> None:
    response = post(as_user(project_office), "/api/v1/indicators", {**INDICATOR, **bad})

    assert response.status_code == 422
    assert field in fields(response)
    assert not Indicator.objects.exists()


def test_others_may_not_write_indicators(as_user: AsUser, coordinator_a: User) -> None:
    indicator = IndicatorFactory()
    client = as_user(coordinator_a)

    assert post(client, "/api/v1/indicators", INDICATOR).status_code == 403
    assert patch(client, f"/api/v1/indicators/{indicator.pk}", {"order": 5}).status_code == 403


# Targets


def test_targets_are_scoped_and_filtered(
    as_user: AsUser, coordinator_a: User, district_a: Territory, district_b: Territory
) -> None:
    indicator = IndicatorFactory()
    mine = TargetFactory(indicator=indicator, territory=district_a, year=2020)
    later = TargetFactory(indicator=indicator, territory=district_a, year=2021)
    theirs = TargetFactory(indicator=indicator, territory=district_b, year=2020)
    client = as_user(coordinator_a)

    assert ids(client.get("/api/v1/targets")) == [mine.pk, later.pk]
    assert ids(client.get("/api/v1/targets?year=2021")) == [later.pk]
    assert ids(client.get(f"/api/v1/targets?territory={district_b.pk}")) == []
    assert client.get(f"/api/v1/targets/{theirs.pk}").status_code == 404


def test_a_coordinator_sets_targets_for_its_district_only(
    as_user: AsUser, coordinator_a: User, district_a: Territory, region: Territory
) -> None:
    indicator = IndicatorFactory()
    client = as_user(coordinator_a)
    target = {"indicator": indicator.pk, "territory": district_a.pk, "year": 2020, "value": "40"}

    created = post(client, "/api/v1/targets", target)
    assert created.status_code == 201, created.json()
    assert created.json()["territory"]["id"] == district_a.pk
    pk = created.json()["id"]
    assert patch(client, f"/api/v1/targets/{pk}", {"value": "45.5"}).status_code == 200
    assert Target.objects.get().value == Decimal("45.5")

    outside = post(client, "/api/v1/targets", {**target, "territory": region.pk})
    assert outside.status_code == 422
    assert fields(outside) == {"territory"}


@pytest.mark.parametrize(
    ("bad", "field"),
    [({"value": "-3"}, "value"), ({"year": 1700}, "year"), ({"value": "many"}, "value")],
)
def test_a_bad_target_is_refused(
    as_user: AsUser,
    project_office: User,
    district_a: Territory,
    bad: dict[str, Any],
    field: str,
) -> None:
    indicator = IndicatorFactory()
    target = {"indicator": indicator.pk, "territory": district_a.pk, "year": 2020, "value": "1"}

    response = post(as_user(project_office), "/api/v1/targets", {**target, **bad})

    assert response.status_code == 422
    assert field in fields(response)
    assert not Target.objects.exists()


def test_a_second_target_for_the_same_year_is_refused(
    as_user: AsUser, project_office: User, district_a: Territory
) -> None:
    existing = TargetFactory(territory=district_a, year=2020)
    target = {
        "indicator": existing.indicator_id,
        "territory": district_a.pk,
        "year": 2020,
        "value": "1",
    }

    assert post(as_user(project_office), "/api/v1/targets", target).status_code == 422
    assert Target.objects.count() == 1


# Values


def test_values_are_scoped_and_filtered(
    as_user: AsUser,
    coordinator_a: User,
    observer: User,
    district_a: Territory,
    district_b: Territory,
) -> None:
    indicator = IndicatorFactory()
    village = TerritoryFactory(parent=district_a)
    computed = IndicatorValueFactory(indicator=indicator, territory=district_a, value=None)
    submitted = IndicatorValueFactory(
        indicator=indicator, territory=village, year=2021, status="submitted"
    )
    quarterly = IndicatorValueFactory(
        indicator=indicator, territory=district_a, period_kind="quarter", period_number=2
    )
    theirs = IndicatorValueFactory(indicator=indicator, territory=district_b)
    client = as_user(coordinator_a)

    every = client.get("/api/v1/indicator-values")
    assert set(ids(every)) == {computed.pk, submitted.pk, quarterly.pk}
    by_id = {item["id"]: item for item in every.json()["items"]}
    assert by_id[computed.pk]["value"] is None
    assert by_id[computed.pk]["approved"] is True
    assert by_id[submitted.pk]["approved"] is False
    assert ids(client.get("/api/v1/indicator-values?year=2021")) == [submitted.pk]
    assert ids(client.get("/api/v1/indicator-values?status=submitted")) == [submitted.pk]
    assert ids(client.get("/api/v1/indicator-values?period=quarter")) == [quarterly.pk]
    assert set(ids(client.get(f"/api/v1/indicator-values?territory={village.pk}"))) == {
        submitted.pk
    }
    assert ids(client.get(f"/api/v1/indicator-values?territory={district_b.pk}")) == []
    everyone = as_user(observer).get(f"/api/v1/indicator-values?indicator={indicator.pk}")
    assert theirs.pk in ids(everyone)


def test_the_project_office_recomputes_a_years_values(
    as_user: AsUser, project_office: User, coordinator_a: User, organization_a: Any
) -> None:
    indicator = post(as_user(project_office), "/api/v1/indicators", INDICATOR).json()
    EventFactory.create_batch(2, organizer=organization_a, status="held")
    url = "/api/v1/indicator-values/recompute"

    refused = post(as_user(coordinator_a), url, {"year": 2020})
    assert refused.status_code == 403
    assert not IndicatorValue.objects.exists()
    beyond = post(as_user(project_office), url, {"year": 1900})
    assert beyond.status_code == 422
    assert fields(beyond) == {"year"}

    response = post(as_user(project_office), url, {"year": 2020})
    assert response.status_code == 200, response.content
    assert response.json()["year"] == 2020
    assert response.json()["count"] == IndicatorValue.objects.filter(year=2020).count() > 0
    value = IndicatorValue.objects.get(
        indicator_id=indicator["id"], territory=organization_a.territory, year=2020
    )
    assert value.value == 2
