"""The year's results and ranking on the open pages, once the office publishes them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from factories import (
    IndicatorFactory,
    IndicatorValueFactory,
    MethodologyFactory,
    TargetFactory,
    TerritoryFactory,
    UserFactory,
)
from kense.core.permissions import Role
from kense.public.services import publication_set
from kense.registry.models import TerritoryKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def region():
    region = TerritoryFactory(name_kk="Қарағанды облысы", kind=TerritoryKind.REGION)
    indicator = IndicatorFactory(code="held", name_kk="Өткізілген іс-шаралар үлесі")
    for n, name in enumerate(["Саран қаласы", "Шахтинск қаласы", "Шет ауданы", "Абай ауданы"]):
        kind = TerritoryKind.CITY if "қаласы" in name else TerritoryKind.DISTRICT
        place = TerritoryFactory(name_kk=name, kind=kind, parent=region)
        IndicatorValueFactory._meta.model.objects.create(
            indicator=indicator, territory=place, year=2020, value=10 + n * 3, status="computed"
        )
        TargetFactory._meta.model.objects.create(
            indicator=indicator, territory=place, year=2020, value=15
        )
    return region


@pytest.fixture
def office(region):
    return UserFactory(role=Role.PROJECT_OFFICE, territory=region)


@pytest.fixture
def methodology(office):
    return MethodologyFactory(
        year=2020, weights={"held": 1}, description="Іс-шаралардың өткізілу үлесі бойынша."
    )


def test_the_ranking_is_public_only_once_published(client, office, methodology, region):
    url = reverse("public:ranking", args=[methodology.pk])
    assert client.get(url).status_code == 404
    assert "public:ranking" not in client.get(reverse("public:home")).content.decode()

    publication_set(methodology, user=office, published=True)
    page = client.get(url).content.decode()
    for name in ("Саран қаласы", "Шахтинск қаласы", "Шет ауданы", "Абай ауданы"):
        assert name in page
    assert "Іс-шаралардың өткізілу үлесі бойынша." in page
    assert "Өткізілген іс-шаралар үлесі" in page  # what pulled each score up or down
    # Every link of the page is one a visitor can follow: the places' open pages, never the
    # passports inside Kense.
    assert "/indicators/" not in page
    assert reverse("public:territory", args=[region.pk]) in page
    home = client.get(reverse("public:territory", args=[region.pk])).content.decode()
    assert url in home


def test_taken_off_the_open_pages_it_is_gone(client, office, methodology):
    url = reverse("public:ranking", args=[methodology.pk])
    publication_set(methodology, user=office, published=True)
    assert client.get(url).status_code == 200
    publication_set(methodology, user=office, published=False)
    assert client.get(url).status_code == 404  # the page cache is not served after a change


def test_the_results_behind_a_published_ranking_are_open_data(client, office, methodology):
    import json

    url = reverse("public:data_download", args=["results", "json"])
    assert json.loads(b"".join(client.get(url).streaming_content)) == []
    publication_set(methodology, user=office, published=True)
    records = json.loads(b"".join(client.get(url).streaming_content))
    assert sorted(record["value"] for record in records) == [10.0, 13.0, 16.0, 19.0]
    assert {record["target"] for record in records} == {15.0}
    assert {record["indicator"] for record in records} == {"held"}
    assert client.get("/api/v1/public/results").json()["count"] == 4


def test_a_place_that_is_no_more_is_named_not_linked(client, office, methodology, region):
    import datetime

    from kense.registry.models import Territory

    abai = Territory.objects.get(name_kk="Абай ауданы")
    Territory.objects.filter(pk=abai.pk).update(valid_to=datetime.date(2021, 12, 31))
    publication_set(methodology, user=office, published=True)
    page = client.get(reverse("public:ranking", args=[methodology.pk])).content.decode()
    assert "Абай ауданы" in page
    assert reverse("public:territory", args=[abai.pk]) not in page
