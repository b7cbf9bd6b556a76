"""The analysis pages: they render, their queries do not grow with the territories, indicators
or years, the exports open, and the passport is scoped."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from factories import (
    IndicatorFactory,
    IndicatorValueFactory,
    MethodologyFactory,
    TargetFactory,
    TerritoryFactory,
    UserFactory,
)
from kense.core.permissions import Role
from kense.indicators.models import Indicator, Methodology
from kense.indicators.selectors.results import ranking, results_table
from kense.indicators.services.methodologies import methodology_save
from kense.registry.models import Territory, TerritoryKind

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english() -> Any:
    with translation.override("en"):
        yield


class Region:
    def __init__(self) -> None:
        self.region = TerritoryFactory(name_kk="Облыс", kind=TerritoryKind.REGION)
        self.office = UserFactory(role=Role.PROJECT_OFFICE, territory=self.region)
        self.client = Client()
        self.client.force_login(self.office)
        self.indicators: list[Indicator] = []
        self.territories: list[Territory] = []

    def grow(self, territories: int, indicators: int) -> None:
        while len(self.indicators) < indicators:
            n = len(self.indicators)
            self.indicators.append(
                IndicatorFactory(code=f"i{n}", higher_is_better=n % 3 != 2)
                if n % 2
                else IndicatorFactory(code=f"i{n}", source="reported")
            )
        while len(self.territories) < territories:
            n = len(self.territories)
            kind = TerritoryKind.CITY if n % 2 else TerritoryKind.DISTRICT
            self.territories.append(TerritoryFactory(kind=kind, parent=self.region))
        for territory in self.territories:
            for indicator in self.indicators:
                for year in (2019, 2020):
                    IndicatorValueFactory._meta.model.objects.get_or_create(
                        indicator=indicator,
                        territory=territory,
                        year=year,
                        defaults={"value": 10 + territory.pk % 7 + year % 3, "status": "computed"},
                    )
                TargetFactory._meta.model.objects.get_or_create(
                    indicator=indicator, territory=territory, year=2020, defaults={"value": 15}
                )

    def methodology(self) -> Methodology:
        return MethodologyFactory(
            year=2020, weights={indicator.code: 1 for indicator in self.indicators}
        )


@pytest.fixture
def scene() -> Region:
    scene = Region()
    scene.grow(3, 2)
    return scene


PAGES = [
    ("results", lambda s: reverse("indicators:results") + "?year=2020"),
    ("ranking", lambda s: reverse("indicators:ranking") + "?year=2020"),
    ("trends", lambda s: reverse("indicators:trends")),
    ("small_multiples", lambda s: reverse("indicators:small_multiples")),
    ("passport", lambda s: reverse("indicators:passport", args=[s.territories[0].pk])),
    ("methodology_list", lambda s: reverse("indicators:methodology_list")),
]


@pytest.mark.parametrize(("name", "url"), PAGES, ids=[name for name, _url in PAGES])
def test_pages_render(scene: Region, name: str, url: Any) -> None:
    # Their numbers of queries are pinned in tests/test_query_counts.py.
    scene.methodology()
    scene.grow(9, 5)
    response = scene.client.get(url(scene))
    assert response.status_code == 200
    assert b"<svg" in response.content or name in ("results", "methodology_list")


def test_results_table_shows_value_target_percent_and_change(scene: Region) -> None:
    table = results_table(scene.office, 2020)
    assert [row.territory for row in table.rows] == sorted(
        scene.territories, key=lambda t: (t.kind, t.name)
    ) or len(table.rows) == 3
    cell = table.rows[0].cells[1]
    assert cell.value is not None and cell.target == 15
    assert cell.percent == round(float(cell.value) / 15 * 100, 1)
    assert cell.change == 1  # year % 3 grows by one from 2019 to 2020
    assert "/events/" in cell.url  # computed: down to the events of the territory and year
    assert table.rows[0].cells[0].url == ""  # reported, with no report behind it


def test_ranking_flags_and_explains(scene: Region) -> None:
    scene.grow(8, 2)
    ranked = ranking(scene.office, scene.methodology(), 2020)
    groups = dict(ranked.groups())
    assert set(groups) == {"City of regional significance", "District"}
    for scores in groups.values():
        assert [s.rank for s in scores] == sorted(s.rank for s in scores)
        assert all(s.contributions for s in scores)


def test_ranking_page_shows_low_performers(scene: Region) -> None:
    scene.grow(8, 2)
    scene.methodology()
    response = scene.client.get(reverse("indicators:ranking") + "?year=2020")
    assert b"low results" in response.content
    assert b"Pulled down by" in response.content


def test_pdf_export(scene: Region) -> None:
    scene.methodology()
    response = scene.client.get(reverse("indicators:results_pdf") + "?year=2020")
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")


def test_excel_export_opens(scene: Region) -> None:
    response = scene.client.get(reverse("indicators:results_xlsx") + "?year=2020")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Territory"
    assert len(rows) == 1 + 3 * 2


def test_passport_of_another_region_is_404(scene: Region) -> None:
    elsewhere = TerritoryFactory(
        parent=TerritoryFactory(kind=TerritoryKind.REGION), kind=TerritoryKind.DISTRICT
    )
    response = scene.client.get(reverse("indicators:passport", args=[elsewhere.pk]))
    assert response.status_code == 404


def test_results_of_another_region_are_not_shown(scene: Region) -> None:
    other = TerritoryFactory(kind=TerritoryKind.REGION)
    TerritoryFactory(parent=other, kind=TerritoryKind.DISTRICT, name_kk="Бөтен аудан")
    response = scene.client.get(reverse("indicators:results") + "?year=2020")
    assert "Бөтен аудан" not in response.content.decode()


def test_a_change_to_a_used_methodology_makes_a_new_version(scene: Region) -> None:
    methodology = scene.methodology()
    methodology.weights = {"i0": 2, "i1": 1}
    saved = methodology_save(methodology, user=scene.office)
    assert saved.pk != methodology.pk and saved.version == 2
    methodology.refresh_from_db()
    assert methodology.weights == {"i0": 1, "i1": 1}


def test_methodology_weights_are_validated(scene: Region) -> None:
    url = reverse("indicators:methodology_add")
    data = {
        "name_kk": "Әдістеме",
        "name_ru": "Методика",
        "year": 2021,
        "normalization": "min_max",
        "low_rule": "bottom_quartile",
    }
    response = scene.client.post(url, data)
    assert response.status_code == 400  # no weight above zero: the form comes back
    assert not Methodology.objects.filter(year=2021).exists()
    response = scene.client.post(url, {**data, "weight_i0": "2", "weight_i1": "1"})
    assert response.status_code == 302
    created = Methodology.objects.get(year=2021)
    assert created.weights == {"i0": 2.0, "i1": 1.0}
    edit = reverse("indicators:methodology_edit", args=[created.pk])
    # 2021 has no values yet: unused, so changed in place.
    scene.client.post(edit, {**data, "weight_i0": "3"})
    created.refresh_from_db()
    assert created.version == 1 and created.weights == {"i0": 3.0}


def test_an_observer_may_not_add_a_methodology(scene: Region) -> None:
    observer = UserFactory(role=Role.OBSERVER, territory=scene.region)
    client = Client()
    client.force_login(observer)
    assert client.get(reverse("indicators:methodology_add")).status_code == 403


def test_passport_counts_are_the_same_whoever_sees_the_whole_subtree() -> None:
    """Inside a user's own territory the passport counts without the scope's conditions; an
    organization-bound user still counts only what their organization may see."""
    import datetime

    from factories import AssignmentFactory, EventFactory, OrganizationFactory
    from kense.indicators.selectors.results import passport

    region = TerritoryFactory(kind=TerritoryKind.REGION)
    district = TerritoryFactory(kind=TerritoryKind.DISTRICT, parent=region)
    village = TerritoryFactory(kind=TerritoryKind.RURAL_DISTRICT, parent=district)
    division, school = (
        OrganizationFactory(territory=district),
        OrganizationFactory(territory=village),
    )
    for organizer, status in ((division, "held"), (division, "planned"), (school, "held")):
        EventFactory(organizer=organizer, status=status, start=datetime.date(2020, 3, 1))
    AssignmentFactory(lead_organization=school, deadline=datetime.date(2020, 6, 1))
    outside = TerritoryFactory(kind=TerritoryKind.DISTRICT, parent=region)
    AssignmentFactory(
        lead_organization=OrganizationFactory(territory=outside), deadline=datetime.date(2020, 6, 1)
    )
    office = UserFactory(role=Role.PROJECT_OFFICE, territory=region)
    coordinator = UserFactory(role=Role.COORDINATOR, territory=district)
    institution = UserFactory(role=Role.INSTITUTION, organization=school)

    def counts(user: Any) -> tuple[Any, Any]:
        year = next(y for y in passport(user, district).years if y.year == 2020)
        return year.events.get("total"), year.discipline.get("due", 0) + year.discipline.get(
            "overdue", 0
        )

    assert counts(office) == counts(coordinator) == (3, counts(office)[1])
    assert counts(office)[1] >= 1
    # The school sees its own event only.
    assert counts(institution)[0] == 1
