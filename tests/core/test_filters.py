"""One filter path (kense.core.filters): a list's filters declared once are its page's filter
form and its API endpoint's query parameters, in the same order and with the same names.

`assert_page_filters_are_the_api_parameters` is shared: each app's tests call it for each of
their lists that has both a page and an endpoint."""

from __future__ import annotations

import datetime
import functools
import io
from typing import Any

import pytest
from django.db import models
from django.test import Client
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from factories import OrganizationFactory, TerritoryFactory, UserFactory
from kense.accounts.models import ApiToken
from kense.api import api
from kense.core.filters import (
    NOTHING,
    ChoiceFilter,
    DateFilter,
    ListFilters,
    MineFilter,
    TextFilter,
)
from kense.core.permissions import Role

# What @paginate adds to every list endpoint: not a filter.
# Not filters: the page asked for, and `on`, the registry as it stood on a date (the API's
# reading of the past, not a filter of the rows the page lists).
PAGINATION = {"page", "page_size", "on"}


@functools.cache
def _openapi() -> dict[str, Any]:
    return api.get_openapi_schema()


def api_parameters(api_path: str) -> list[str]:
    """The query parameters of GET `api_path` but the pagination's, in the document's order."""
    operation = _openapi()["paths"][api_path]["get"]
    return [
        parameter["name"]
        for parameter in operation.get("parameters", [])
        if parameter["in"] == "query" and parameter["name"] not in PAGINATION
    ]


def page_filters(client: Client, page: str) -> list[str]:
    """The fields of the filter form the page at the URL name `page` shows, in its order."""
    response = client.get(reverse(page))
    assert response.status_code == 200, page
    form = response.context["form"]
    assert form is not None, f"{page} shows no filters"
    return list(form.fields)


def assert_page_filters_are_the_api_parameters(client: Client, page: str, api_path: str) -> None:
    """The page (a URL name, seen by the logged-in `client`) offers exactly the filters the
    API endpoint takes, by the same names and in the same order."""
    assert page_filters(client, page) == api_parameters(api_path)


# The mechanism's own rules, on a list of no model in particular.


class Colour(models.TextChoices):
    RED = "red", "Red"
    BLUE = "blue", "Blue"


class PeriodFilters(ListFilters):
    from_ = DateFilter(label="From", lookup="start__gte")
    to = DateFilter(label="To", lookup="start__lte")
    colour = ChoiceFilter(Colour, label="Colour", lookup="colour", default=Colour.RED)
    words = TextFilter(label="Words", lookup="words__contains")
    mine = MineFilter("owner", label="Mine")


class Recorded:
    """A stand-in queryset that records the filters applied to it."""

    def __init__(self) -> None:
        self.applied: list[dict[str, Any]] = []

    def filter(self, **lookups: Any) -> Recorded:
        self.applied.append(lookups)
        return self

    def none(self) -> Recorded:
        self.applied.append({"none": True})
        return self


def test_a_keyword_named_filter_is_known_by_the_keyword() -> None:
    assert list(PeriodFilters.base_fields) == ["from", "to", "colour", "words", "mine"]
    assert list(PeriodFilters.api_schema().model_fields) == [
        "from",
        "to",
        "colour",
        "words",
        "mine",
    ]


def test_a_choice_with_a_default_narrows_by_it_until_another_is_chosen() -> None:
    user = object()
    unbound = PeriodFilters({}, user=user)
    assert unbound.values() == {}
    assert PeriodFilters.narrow(Recorded(), {}).applied == [{"colour": Colour.RED}]
    assert PeriodFilters.narrow(Recorded(), None).applied == [{"colour": Colour.RED}]
    chosen = PeriodFilters({"colour": "blue"}, user=user).values()
    assert PeriodFilters.narrow(Recorded(), chosen).applied == [{"colour": "blue"}]
    # The select has no empty choice, and shows the default when the filters omit it.
    form = PeriodFilters({"words": "x"}, user=user)
    assert [value for value, _label in form.fields["colour"].choices] == ["red", "blue"]  # type: ignore[attr-defined]
    assert 'value="red" selected' in str(form["colour"])


def test_a_filter_of_ones_own_rows_receives_the_user() -> None:
    user = object()
    values = PeriodFilters({"mine": "on", "from": "2020-04-01"}, user=user).values()
    assert values == {"from": datetime.date(2020, 4, 1), "mine": user}
    assert PeriodFilters({"mine": ""}, user=user).values() == {}
    applied = PeriodFilters.narrow(Recorded(), values).applied
    assert applied == [
        {"start__gte": datetime.date(2020, 4, 1)},
        {"colour": Colour.RED},
        {"owner": user},
    ]


def test_the_api_gives_the_keyword_named_and_the_own_rows_filters_like_the_page() -> None:
    user = object()
    values = PeriodFilters.from_api(
        {"from": datetime.date(2020, 4, 1), "to": None, "mine": True, "words": " "}, user=user
    )
    assert values == {"from": datetime.date(2020, 4, 1), "mine": user}
    assert NOTHING not in values.values()


@pytest.mark.parametrize("name", ["from", "to"])
def test_an_invalid_date_is_left_out(name: str) -> None:
    assert PeriodFilters({name: "not a day"}, user=object()).values() == {}


# Every list that has both a page and an API endpoint: one declaration serves both, so the
# page's filters are the endpoint's parameters, whatever app the list is in.
LISTS = [
    ("registry:territory_list", "/api/v1/territories"),
    ("registry:organization_list", "/api/v1/organizations"),
    ("registry:person_list", "/api/v1/people"),
    ("programs:program_list", "/api/v1/programs"),
    ("programs:project_list", "/api/v1/projects"),
    ("meetings:meeting_list", "/api/v1/meetings"),
    ("assignments:assignment_list", "/api/v1/assignments"),
    ("events:event_list", "/api/v1/events"),
    ("events:plan_list", "/api/v1/plans"),
    ("events:emergency_list", "/api/v1/disruptions"),
    ("indicators:indicator_list", "/api/v1/indicators"),
    ("indicators:report_list", "/api/v1/reports"),
    ("documents:library", "/api/v1/documents"),
    ("ideas:idea_list", "/api/v1/ideas"),
    ("media:publication_list", "/api/v1/publications"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("page", "api_path"), LISTS, ids=[page for page, _path in LISTS])
def test_every_list_page_offers_the_filters_its_endpoint_takes(page: str, api_path: str) -> None:
    client = Client()
    client.force_login(UserFactory(role=Role.ADMINISTRATOR))
    with translation.override("kk"):
        assert_page_filters_are_the_api_parameters(client, page, api_path)


@pytest.mark.django_db
def test_a_territory_out_of_scope_matches_nothing_on_the_page_in_the_export_and_the_api() -> None:
    region = TerritoryFactory(name_kk="Облыс")
    mine = TerritoryFactory(name_kk="Алаш ауданы", parent=region)
    theirs = TerritoryFactory(name_kk="Бетпақ ауданы", parent=region)
    OrganizationFactory(name_kk="Алаш мектебі", territory=mine)
    OrganizationFactory(name_kk="Бетпақ мектебі", territory=theirs)
    coordinator = UserFactory(role=Role.COORDINATOR, territory=mine)
    client = Client()
    client.force_login(coordinator)
    token = ApiToken.issue(user=coordinator, name="filters")[1]
    api_client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")

    with translation.override("kk"):
        url = reverse("registry:organization_list")
        page = client.get(url, {"territory": theirs.pk})
        export = client.get(url, {"territory": theirs.pk, "export": "xlsx"})
        found = client.get(url, {"territory": mine.pk})
    listed = api_client.get("/api/v1/organizations", {"territory": theirs.pk})

    assert [obj for obj, _cells in page.context["rows"]] == []
    assert "territory" in page.context["form"].errors  # and the page says why
    sheet = load_workbook(io.BytesIO(export.content)).active
    assert sheet is not None and sheet.max_row == 1  # the headers only
    assert listed.status_code == 200 and listed.json()["items"] == []
    assert [obj.name_kk for obj, _cells in found.context["rows"]] == ["Алаш мектебі"]
