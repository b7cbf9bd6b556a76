"""Indicator pages: the list, defining an indicator, its values per district and year, the
targets table edited in place, and the "recompute" button; scope and bad input."""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from factories import (
    EventFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    OrganizationFactory,
    TargetFactory,
    TerritoryFactory,
    UserFactory,
)
from kense.accounts.models import User
from kense.core.permissions import Role
from kense.indicators.defaults import ensure_standard_indicators
from kense.indicators.models import Computation, Indicator, IndicatorValue, Target
from kense.registry.models import Territory, TerritoryKind

pytestmark = pytest.mark.django_db

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


@pytest.fixture(autouse=True)
def _in_english_pages() -> Iterator[None]:
    with translation.override("en"):
        yield


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user, backend=MODEL_BACKEND)
    return client


@pytest.fixture
def region() -> Territory:
    return TerritoryFactory(name_kk="Қарағанды облысы", kind=TerritoryKind.REGION)


@pytest.fixture
def district_a(region: Territory) -> Territory:
    return TerritoryFactory(name_kk="Абай ауданы", name_ru="Абайский район", parent=region)


@pytest.fixture
def district_b(region: Territory) -> Territory:
    return TerritoryFactory(name_kk="Шет ауданы", name_ru="Шетский район", parent=region)


@pytest.fixture
def project_office(region: Territory) -> User:
    return UserFactory(role=Role.PROJECT_OFFICE, territory=region)


@pytest.fixture
def coordinator_a(district_a: Territory) -> User:
    return UserFactory(role=Role.COORDINATOR, territory=district_a)


@pytest.fixture
def observer(region: Territory) -> User:
    return UserFactory(role=Role.OBSERVER, territory=region)


def indicator_data(**overrides: Any) -> dict[str, Any]:
    data = {
        "code": "events_held",
        "name_kk": "Өткізілген іс-шаралар",
        "name_ru": "Проведённые мероприятия",
        "name_en": "Events held",
        "unit_kk": "бірлік",
        "unit_ru": "ед.",
        "unit_en": "units",
        "higher_is_better": "on",
        "source": "computed",
        "computation": "events_held",
        "order": "1",
    }
    return {**data, **overrides}


# Indicators


def test_everyone_reads_the_list_but_only_the_project_office_may_add(
    observer: User, project_office: User
) -> None:
    IndicatorFactory(name_en="Events held", code="events_held")
    url = reverse("indicators:indicator_list")

    seen = logged_in(observer).get(url)
    assert seen.status_code == 200
    assert "Events held" in seen.content.decode()
    assert reverse("indicators:indicator_add") not in seen.content.decode()
    assert (
        reverse("indicators:indicator_add") in logged_in(project_office).get(url).content.decode()
    )
    assert logged_in(observer).get(reverse("indicators:indicator_add")).status_code == 403


def test_the_internal_code_is_shown_only_to_who_defines_indicators(
    observer: User, coordinator_a: User, project_office: User
) -> None:
    indicator = IndicatorFactory(name_en="Money from sponsors", code="sponsor_money")
    url = reverse("indicators:indicator_list")

    for reader in (observer, coordinator_a):
        client = logged_in(reader)
        page = client.get(url)
        assert "Money from sponsors" in page.content.decode()
        assert ">sponsor_money<" not in page.content.decode()  # (a filter's values name it)
        assert "Code" not in [str(column.label) for column in page.context["spec"].columns]
        sheet = load_workbook(io.BytesIO(client.get(url, {"export": "xlsx"}).content)).active
        assert sheet is not None
        cells = [str(cell.value) for row in sheet.iter_rows() for cell in row]
        assert "Money from sponsors" in cells and "sponsor_money" not in cells
        assert ">sponsor_money<" not in client.get(indicator.get_absolute_url()).content.decode()

    office = logged_in(project_office)
    assert ">sponsor_money<" in office.get(url).content.decode()
    sheet = load_workbook(io.BytesIO(office.get(url, {"export": "xlsx"}).content)).active
    assert sheet is not None
    assert sheet["A1"].value == "Code"
    assert "sponsor_money" in [str(cell.value) for cell in sheet["A"]]
    assert ">sponsor_money<" in office.get(indicator.get_absolute_url()).content.decode()


@pytest.mark.parametrize(
    ("language", "name", "name_or_code"),
    [("kk", "Атауы", "Атауы немесе коды"), ("ru", "Название", "Название или код")],
)
def test_the_search_box_offers_the_code_only_to_who_is_shown_codes(
    coordinator_a: User, project_office: User, language: str, name: str, name_or_code: str
) -> None:
    url = f"/{language}/indicators/"

    def search_label(user: User) -> str:
        page = logged_in(user).get(url)
        assert page.status_code == 200
        return str(page.context["form"]["q"].label)

    def labelled(user: User) -> str:
        return logged_in(user).get(url).content.decode()

    assert search_label(coordinator_a) == name
    assert f"<label>{name} <input" in labelled(coordinator_a)
    assert name_or_code not in labelled(coordinator_a)
    assert search_label(project_office) == name_or_code
    assert f"<label>{name_or_code} <input" in labelled(project_office)


def test_the_nav_leads_to_the_indicators(observer: User) -> None:
    page = logged_in(observer).get(reverse("indicators:indicator_list")).content.decode()
    assert f'href="{reverse("indicators:indicator_list")}"' in page


def test_project_office_defines_and_edits_an_indicator(project_office: User) -> None:
    client = logged_in(project_office)

    response = client.post(reverse("indicators:indicator_add"), indicator_data())

    indicator = Indicator.objects.get(code="events_held")
    assert response.status_code == 302
    assert response["Location"] == indicator.get_absolute_url()
    assert indicator.name_ru == "Проведённые мероприятия"

    edit = reverse("indicators:indicator_edit", args=[indicator.pk])
    client.post(edit, indicator_data(higher_is_better="", name_en="Held"))
    indicator.refresh_from_db()
    assert (indicator.name_en, indicator.higher_is_better) == ("Held", False)


@pytest.mark.parametrize(
    "bad",
    [
        {"computation": ""},  # computed, but says not what
        {"source": "reported"},  # reported, yet computed
        {"code": "not a slug!"},
        {"name_kk": ""},
    ],
)
def test_a_bad_indicator_is_refused_and_nothing_saved(
    project_office: User, bad: dict[str, str]
) -> None:
    response = logged_in(project_office).post(
        reverse("indicators:indicator_add"), indicator_data(**bad)
    )

    assert response.status_code == 400
    assert not Indicator.objects.exists()


def test_a_coordinator_may_not_edit_an_indicator(coordinator_a: User) -> None:
    indicator = IndicatorFactory()
    edit = reverse("indicators:indicator_edit", args=[indicator.pk])

    assert logged_in(coordinator_a).post(edit, indicator_data()).status_code == 403


def test_the_indicator_page_shows_values_per_district_and_year(
    observer: User, district_a: Territory, district_b: Territory
) -> None:
    indicator = IndicatorFactory(source="reported")
    IndicatorValueFactory(
        indicator=indicator, territory=district_a, year=2019, value=12, status="approved"
    )
    IndicatorValueFactory(
        indicator=indicator, territory=district_a, year=2020, value=345, status="submitted"
    )
    IndicatorValueFactory(indicator=indicator, territory=district_b, year=2020, value=None)
    TargetFactory(indicator=indicator, territory=district_b, year=2020, value=50)

    page = logged_in(observer).get(indicator.get_absolute_url())

    assert page.status_code == 200
    years, rows = page.context["years"], page.context["rows"]
    assert years == [2019, 2020]
    table = {row.territory.pk: row.cells for row in rows}
    assert table[district_a.pk][0].value.value == 12
    assert not table[district_a.pk][1].value.is_approved
    assert table[district_b.pk][0].no_data  # no value at all
    assert table[district_b.pk][1].no_data  # a value of "no data"
    assert table[district_b.pk][1].target == 50
    content = page.content.decode()
    assert "345" in content
    assert "not approved" in content
    assert "no data" in content


def test_a_coordinator_sees_only_the_values_of_its_district(
    coordinator_a: User, district_a: Territory, district_b: Territory
) -> None:
    indicator = IndicatorFactory()
    IndicatorValueFactory(indicator=indicator, territory=district_a, value=1)
    IndicatorValueFactory(indicator=indicator, territory=district_b, value=2)

    rows = logged_in(coordinator_a).get(indicator.get_absolute_url()).context["rows"]

    assert [row.territory for row in rows] == [district_a]


def test_the_indicator_page_has_a_fixed_number_of_queries(
    observer: User, region: Territory
) -> None:
    indicator = IndicatorFactory()
    client = logged_in(observer)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(indicator.get_absolute_url()).status_code == 200
        return len(captured)

    for year in (2019, 2020):
        IndicatorValueFactory(indicator=indicator, territory=region, year=year)
    few = queries()
    for _ in range(5):
        district = TerritoryFactory(parent=region)
        IndicatorValueFactory(indicator=indicator, territory=district, status="submitted")
        TargetFactory(indicator=indicator, territory=district)
    assert queries() == few


# Targets


def test_targets_table_shows_territories_by_years(
    observer: User, district_a: Territory, district_b: Territory
) -> None:
    indicator = IndicatorFactory()
    TargetFactory(indicator=indicator, territory=district_a, year=2020, value=Decimal("12.5"))

    page = logged_in(observer).get(
        reverse("indicators:target_list"),
        {"indicator": indicator.pk, "year_from": 2019, "year_to": 2021},
    )

    assert page.status_code == 200
    assert page.context["years"] == [2019, 2020, 2021]
    assert "12.5" in page.content.decode()
    assert 'name="value"' not in page.content.decode()  # an observer does not edit


def test_a_target_is_saved_in_place(coordinator_a: User, district_a: Territory) -> None:
    indicator = IndicatorFactory()
    client = logged_in(coordinator_a)
    entry = {"indicator": indicator.pk, "territory": district_a.pk, "year": 2020, "value": "40"}

    cell = client.post(reverse("indicators:target_list"), entry, HTTP_HX_REQUEST="true")

    assert cell.status_code == 200
    assert "Saved." in cell.content.decode()
    assert Target.objects.get().value == 40

    client.post(reverse("indicators:target_list"), {**entry, "value": "45.5"})
    assert Target.objects.get().value == Decimal("45.5")


@pytest.mark.parametrize("bad_value", ["-1", "many", ""])
def test_a_bad_target_is_refused(
    coordinator_a: User, district_a: Territory, bad_value: str
) -> None:
    indicator = IndicatorFactory()
    entry = {"indicator": indicator.pk, "territory": district_a.pk, "year": 2020}

    cell = logged_in(coordinator_a).post(
        reverse("indicators:target_list"), {**entry, "value": bad_value}, HTTP_HX_REQUEST="true"
    )
    page = logged_in(coordinator_a).post(
        reverse("indicators:target_list"), {**entry, "value": bad_value}
    )

    assert 'role="alert"' in cell.content.decode()
    assert page.status_code == 400
    assert not Target.objects.exists()


def test_a_coordinator_sets_no_target_for_another_district(
    coordinator_a: User, district_b: Territory, region: Territory
) -> None:
    indicator = IndicatorFactory()
    for territory in (district_b, region):  # neither is inside its district
        response = logged_in(coordinator_a).post(
            reverse("indicators:target_list"),
            {"indicator": indicator.pk, "territory": territory.pk, "year": 2020, "value": "1"},
        )
        assert response.status_code == 400
    assert not Target.objects.exists()


# Recompute


def test_the_project_office_recomputes_a_year(project_office: User, district_a: Territory) -> None:
    indicator = IndicatorFactory(computation=Computation.EVENTS_HELD)
    EventFactory(
        organizer=OrganizationFactory(territory=district_a),
        status="held",
        start=datetime.date(2020, 4, 1),
    )

    response = logged_in(project_office).post(
        reverse("indicators:recompute"), {"year": "2020", "next": indicator.get_absolute_url()}
    )

    assert response.status_code == 302
    assert response["Location"] == indicator.get_absolute_url()
    assert IndicatorValue.objects.get(indicator=indicator, territory=district_a).value == 1


def test_recompute_refuses_others_and_bad_years(
    observer: User, project_office: User, district_a: Territory
) -> None:
    IndicatorFactory()
    url = reverse("indicators:recompute")

    assert logged_in(observer).post(url, {"year": "2020"}).status_code == 403
    assert logged_in(project_office).get(url).status_code == 405
    logged_in(project_office).post(url, {"year": "1700"})
    logged_in(project_office).post(url, {"year": "soon", "next": "https://evil.example/"})
    assert not IndicatorValue.objects.exists()


# The standard set


def test_the_standard_indicators_are_created_once(project_office: User) -> None:
    first = ensure_standard_indicators(project_office)
    again = ensure_standard_indicators(project_office)

    computed = Indicator.objects.filter(source="computed")
    assert {i.computation for i in computed} == set(Computation.values)
    assert Indicator.objects.filter(source="reported").count() >= 2
    assert [i.pk for i in first] == [i.pk for i in again]
    assert not Indicator.objects.get(code="assignments_overdue").higher_is_better
    assert all(i.name_kk and i.name_ru and i.name_en for i in Indicator.objects.all())
