"""The annual analysis in the API: results, rankings with explanations, methodologies."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook

from factories import (
    IndicatorFactory,
    IndicatorValueFactory,
    MethodologyFactory,
    TargetFactory,
)
from kense.accounts.models import User
from kense.core.excel import XLSX
from kense.indicators.models import Indicator, Methodology
from kense.registry.models import Territory, TerritoryKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def indicators(db: Any) -> list[Indicator]:
    return [
        IndicatorFactory(code="events"),
        IndicatorFactory(code="overdue", higher_is_better=False),
    ]


def values(territory: Territory, indicators: list[Indicator], events: int, overdue: int) -> None:
    for indicator, value in zip(indicators, (events, overdue), strict=True):
        IndicatorValueFactory(indicator=indicator, territory=territory, year=2019, value=value)
        TargetFactory(indicator=indicator, territory=territory, year=2019, value=10)


@pytest.fixture
def methodology(indicators: list[Indicator]) -> Methodology:
    return MethodologyFactory(year=2019, weights={"events": 2, "overdue": 1})


def test_results(
    as_user: Callable[..., Client],
    project_office: User,
    district_a: Territory,
    district_b: Territory,
    indicators: list[Indicator],
) -> None:
    values(district_a, indicators, 8, 5)
    body = as_user(project_office).get("/api/v1/results?year=2019").json()
    rows = {row["territory"]["id"]: row for row in body["rows"]}
    assert set(rows) == {district_a.pk, district_b.pk}
    cell = rows[district_a.pk]["cells"][0]
    assert (cell["indicator"], float(cell["value"]), cell["percent_of_target"]) == ("events", 8, 80)
    assert rows[district_b.pk]["cells"][0]["value"] is None


def test_ranking_with_explanations(
    as_user: Callable[..., Client],
    project_office: User,
    district_a: Territory,
    district_b: Territory,
    indicators: list[Indicator],
    methodology: Methodology,
) -> None:
    values(district_a, indicators, 8, 5)  # 80 % and 10/5 = 200 % → 150: (160 + 150) / 3
    values(district_b, indicators, 10, 10)  # 100 and 100
    response = as_user(project_office).get(f"/api/v1/rankings?methodology={methodology.pk}")
    assert response.status_code == 200
    (group,) = response.json()["groups"]
    assert group["peer_group"] == TerritoryKind.DISTRICT
    first, second = group["territories"]
    assert first["territory"]["id"] == district_a.pk and first["rank"] == 1
    assert first["score"] == pytest.approx(310 / 3)
    assert first["contributions"][0]["indicator"] == "events"  # the one that pulled it down
    assert second["rank"] == 2


def test_ranking_is_scoped(
    as_user: Callable[..., Client],
    coordinator_a: User,
    district_a: Territory,
    district_b: Territory,
    indicators: list[Indicator],
    methodology: Methodology,
) -> None:
    values(district_a, indicators, 8, 5)
    values(district_b, indicators, 10, 10)
    body = as_user(coordinator_a).get(f"/api/v1/rankings?methodology={methodology.pk}").json()
    (group,) = body["groups"]
    # Ranked among all the districts, shown only where the coordinator may look.
    assert [t["territory"]["id"] for t in group["territories"]] == [district_a.pk]
    assert group["territories"][0]["rank"] == 1


def test_methodologies(
    as_user: Callable[..., Client],
    project_office: User,
    observer: User,
    indicators: list[Indicator],
    methodology: Methodology,
) -> None:
    client = as_user(project_office)
    listed = client.get("/api/v1/methodologies").json()
    assert [m["id"] for m in listed] == [methodology.pk]
    one = client.get(f"/api/v1/methodologies/{methodology.pk}").json()
    assert one["weights"] == {"events": 2, "overdue": 1}
    payload = {
        "name_kk": "Жаңа әдістеме",
        "name_ru": "Новая методика",
        "year": 2020,
        "normalization": "min_max",
        "weights": {"events": 1},
        "low_rule": "threshold",
        "threshold": "60",
    }
    created = client.post("/api/v1/methodologies", payload, content_type="application/json")
    assert created.status_code == 201, created.content
    assert created.json()["version"] == 1
    bad = client.post(
        "/api/v1/methodologies",
        {**payload, "weights": {"nonexistent": 1}},
        content_type="application/json",
    )
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["field"] == "weights"
    forbidden = as_user(observer).post(
        "/api/v1/methodologies", payload, content_type="application/json"
    )
    assert forbidden.status_code == 403
    assert client.get("/api/v1/methodologies/999999").status_code == 404


@pytest.mark.parametrize("year", [-179848726552, 0, 1990, 2101, 10**12])
def test_a_year_beyond_the_indicators_is_a_field_error(
    as_user: Callable[..., Client], project_office: User, methodology: Methodology, year: int
) -> None:
    # Out-of-range years failed in date arithmetic or in the database (500).
    client = as_user(project_office)

    for url in (
        f"/api/v1/results?year={year}",
        f"/api/v1/rankings?methodology={methodology.pk}&year={year}",
        f"/api/v1/methodologies?year={year}",
    ):
        response = client.get(url)
        assert response.status_code == 422, url
        assert [error["field"] for error in response.json()["detail"]] == ["year"], url


def test_the_results_are_downloaded_as_pdf_and_excel_of_the_callers_scope(
    as_user: Callable[..., Client],
    project_office: User,
    coordinator_a: User,
    district_a: Territory,
    district_b: Territory,
    indicators: list[Indicator],
    methodology: Methodology,
) -> None:
    values(district_a, indicators, 8, 5)
    values(district_b, indicators, 10, 10)

    pdf = as_user(project_office).get("/api/v1/results/pdf?year=2019")
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"] == 'attachment; filename="results-2019.pdf"'
    assert pdf.content.startswith(b"%PDF")

    xlsx = as_user(coordinator_a).get("/api/v1/results/xlsx?year=2019")
    assert xlsx.status_code == 200
    assert xlsx["Content-Type"] == XLSX
    assert xlsx["Content-Disposition"].startswith('attachment; filename="results-2019-')
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))[1:]
    # The coordinator's district only: one row per indicator.
    assert {row[0] for row in rows} == {district_a.name}
    assert sorted(row[3] for row in rows) == [5, 8]

    assert as_user(project_office).get("/api/v1/results/xlsx?year=1900").status_code == 422
    assert Client().get("/api/v1/results/pdf").status_code == 401


def test_trends_give_an_indicator_by_year_for_each_visible_territory(
    as_user: Callable[..., Client],
    project_office: User,
    coordinator_a: User,
    district_a: Territory,
    district_b: Territory,
    indicators: list[Indicator],
) -> None:
    events = indicators[0]
    for year, value in ((2018, 3), (2019, 8)):
        IndicatorValueFactory(indicator=events, territory=district_a, year=year, value=value)
    IndicatorValueFactory(indicator=events, territory=district_b, year=2019, value=10)

    body = as_user(project_office).get(f"/api/v1/trends?indicator={events.pk}").json()
    assert (body["indicator"], body["years"]) == (events.pk, [2018, 2019])
    series = {line["territory"]["id"]: line["values"] for line in body["series"]}
    assert series == {district_a.pk: [3, 8], district_b.pk: [None, 10]}

    mine = as_user(coordinator_a).get(
        "/api/v1/trends", {"indicator": events.pk, "year_from": 2019, "year_to": 2019}
    )
    assert mine.json()["years"] == [2019]
    assert [line["territory"]["id"] for line in mine.json()["series"]] == [district_a.pk]
    missing = as_user(project_office).get("/api/v1/trends?indicator=999999")
    assert missing.status_code == 404
    assert missing.json()["detail"]


def test_the_passport_of_a_district_in_sight(
    as_user: Callable[..., Client],
    project_office: User,
    coordinator_a: User,
    district_a: Territory,
    district_b: Territory,
    indicators: list[Indicator],
    methodology: Methodology,
) -> None:
    values(district_a, indicators, 8, 5)
    values(district_b, indicators, 10, 10)

    response = as_user(project_office).get(f"/api/v1/passports/{district_a.pk}")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["territory"]["id"] == district_a.pk
    assert [i["code"] for i in body["indicators"]] == ["events", "overdue"]
    (year,) = body["years"]
    assert (year["year"], year["rank"], year["peers"], year["methodology"]) == (
        2019,
        1,
        2,
        methodology.pk,
    )
    assert [float(cell["value"]) for cell in year["cells"]] == [8, 5]

    assert as_user(coordinator_a).get(f"/api/v1/passports/{district_b.pk}").status_code == 404


def test_a_methodology_is_changed_in_place_until_used_then_as_a_new_version(
    as_user: Callable[..., Client],
    project_office: User,
    observer: User,
    district_a: Territory,
    indicators: list[Indicator],
    methodology: Methodology,
) -> None:
    url = f"/api/v1/methodologies/{methodology.pk}"
    client = as_user(project_office)

    forbidden = as_user(observer).patch(url, {"weights": {"events": 1}}, "application/json")
    assert forbidden.status_code == 403
    bad = client.patch(url, {"weights": {"nonexistent": 1}}, "application/json")
    assert bad.status_code == 422
    assert [error["field"] for error in bad.json()["detail"]] == ["weights"]

    unused = client.patch(url, {"weights": {"events": 3}}, "application/json")
    assert unused.status_code == 200, unused.content
    assert (unused.json()["id"], unused.json()["version"]) == (methodology.pk, 1)
    assert unused.json()["weights"] == {"events": 3}

    values(district_a, indicators, 8, 5)  # its year has values now: a ranking may be seen
    used = client.patch(url, {"weights": {"overdue": 1}}, "application/json")
    assert used.status_code == 200, used.content
    assert used.json()["id"] != methodology.pk
    assert used.json()["version"] == 2
    methodology.refresh_from_db()
    assert methodology.weights == {"events": 3}
