"""Sacred sites pages: the list with its filters and Excel export, a site's page, the form with
the map picker after the coordinates, photos."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from core.test_filters import assert_page_filters_are_the_api_parameters
from factories import EventFactory, OrganizationFactory, PublicationFactory, TerritoryFactory
from kense.accounts.models import User
from kense.core.attachments import attachments_of
from kense.registry.models import Territory
from kense.sites.models import Protection, SacredList, Site, SiteKind
from sites.conftest import logged_in, make_site, png

pytestmark = pytest.mark.django_db


@pytest.fixture
def sites(office: User, karkaraly: Territory, shet: Territory) -> dict[str, Site]:
    village = TerritoryFactory(name_kk="Егіндібұлақ", name_ru="Егиндыбулак", parent=karkaraly)
    return {
        "mountains": make_site(
            office,
            karkaraly,
            "Қарқаралы таулары",
            name_ru="Каркаралинские горы",
            kind=SiteKind.NATURAL,
            latitude=49.4,
            longitude=75.45,
        ),
        "mazar": make_site(
            office,
            village,
            "Ақ мазар",
            kind=SiteKind.MAUSOLEUM,
            protection=Protection.LOCAL,
        ),
        "begazy": make_site(
            office,
            shet,
            "Беғазы қорымы",
            kind=SiteKind.ARCHAEOLOGICAL,
            sacred_list=SacredList.NATIONAL,
            protection=Protection.NATIONAL,
        ),
    }


def names(response: Any) -> list[str]:
    return [obj.name_kk for obj, _cells in response.context["rows"]]


def test_the_list_filters_by_kind_list_protection_territory_subtree_and_name(
    office: User, karkaraly: Territory, sites: dict[str, Site]
) -> None:
    client = logged_in(office)
    url = reverse("sites:site_list")

    assert names(client.get(url)) == ["Ақ мазар", "Беғазы қорымы", "Қарқаралы таулары"]
    assert names(client.get(url, {"kind": "natural"})) == ["Қарқаралы таулары"]
    assert names(client.get(url, {"sacred_list": "national"})) == ["Беғазы қорымы"]
    assert names(client.get(url, {"protection": "local"})) == ["Ақ мазар"]
    # The district's subtree: the site of its village too.
    by_district = client.get(url, {"territory": karkaraly.pk})
    assert names(by_district) == ["Ақ мазар", "Қарқаралы таулары"]
    assert names(client.get(url, {"q": "бегазы"})) == ["Беғазы қорымы"]


def test_a_coordinator_lists_only_the_sites_of_the_district(
    coordinator: User, sites: dict[str, Site]
) -> None:
    response = logged_in(coordinator).get(reverse("sites:site_list"))

    assert names(response) == ["Ақ мазар", "Қарқаралы таулары"]


def test_the_page_filters_are_the_api_parameters(office: User) -> None:
    assert_page_filters_are_the_api_parameters(
        logged_in(office), "sites:site_list", "/api/v1/sites"
    )


def test_the_excel_export_has_the_filtered_rows(office: User, sites: dict[str, Site]) -> None:
    response = logged_in(office).get(
        reverse("sites:site_list"), {"export": "xlsx", "kind": "natural"}
    )

    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Name", "Kind", "List", "Territory", "Protection status", "Coordinates")
    assert rows[1:] == [
        (
            "Каркаралинские горы",  # in English pages, the Russian name (the fallback)
            "Natural site",
            "Regional list of sacred sites",
            "Каркаралинский район",
            "Not protected",
            "49.40000, 75.45000",
        )
    ]


def test_the_site_page_shows_its_facts_links_photos_history_and_the_map(
    office: User, karkaraly: Territory, media_root: Any
) -> None:
    event = EventFactory(
        territory=karkaraly,
        title_kk="Қасиетті жерлерге экспедиция",
        title_ru="Экспедиция по сакральным местам",
    )
    publication = PublicationFactory(
        outlet=OrganizationFactory(territory=karkaraly), title="Киелі таулар туралы"
    )
    site = make_site(
        office,
        karkaraly,
        "Қарқаралы таулары",
        sources="Кітап бірінші\nМақала екінші",
        latitude=49.4,
        longitude=75.45,
        links={"events": [event], "publications": [publication]},
    )
    from kense.sites.services import site_photos_add

    photo = site_photos_add(site, user=office, photos=[png("view.png")])[0]

    response = logged_in(office).get(site.get_absolute_url())

    html = response.content.decode()
    assert response.status_code == 200
    assert "Экспедиция по сакральным местам" in html and "Киелі таулар туралы" in html
    assert "<li>Кітап бірінші</li>" in html and "<li>Мақала екінші</li>" in html
    assert "49.40000, 75.45000" in html
    assert reverse("sites:photo_download", args=[site.pk, photo.pk]) in html
    assert 'id="history"' in html
    assert "geo/_site_map.html" in [template.name for template in response.templates]
    assert reverse("sites:site_edit", args=[site.pk]) in html


def test_the_form_puts_the_map_picker_right_after_the_coordinates(office: User) -> None:
    response = logged_in(office).get(reverse("sites:site_add"))

    assert response.status_code == 200
    templates = [template.name for template in response.templates]
    assert "geo/_picker.html" in templates
    html = response.content.decode()
    assert html.index('name="latitude"') < html.index('name="longitude"')
    assert html.index('name="longitude"') < html.index('name="description_kk"')


def test_the_form_creates_a_site_with_photos(
    office: User, karkaraly: Territory, media_root: Any
) -> None:
    response = logged_in(office).post(
        reverse("sites:site_add"),
        {
            "name_kk": "Кент тауы",
            "name_ru": "Горы Кент",
            "kind": "natural",
            "sacred_list": "regional",
            "protection": "none",
            "territory": karkaraly.pk,
            "latitude": "49.2",
            "longitude": "75.9",
            "photos": [png("kent.png")],
        },
    )

    site = Site.objects.get()
    assert response.status_code == 302 and response["Location"] == site.get_absolute_url()
    assert site.location == (49.2, 75.9)
    assert [photo.name for photo in attachments_of([site])[site]] == ["kent.png"]


def test_the_form_shows_the_coordinates_error_and_saves_nothing(
    office: User, karkaraly: Territory
) -> None:
    response = logged_in(office).post(
        reverse("sites:site_add"),
        {
            "name_kk": "Кент тауы",
            "name_ru": "Горы Кент",
            "kind": "natural",
            "sacred_list": "regional",
            "protection": "none",
            "territory": karkaraly.pk,
            "latitude": "49.2",
        },
    )

    assert response.status_code == 400
    assert response.context["form"].errors["longitude"] == [
        "Give both the latitude and the longitude, or neither."
    ]
    assert not Site.objects.exists()


def test_a_photo_is_sent_only_to_those_who_see_the_site(
    office: User, coordinator: User, shet: Territory, media_root: Any
) -> None:
    from kense.sites.services import site_photos_add

    site = make_site(office, shet, "Беғазы қорымы")
    photo = site_photos_add(site, user=office, photos=[png()])[0]
    url = reverse("sites:photo_download", args=[site.pk, photo.pk])

    seen = logged_in(office).get(url)
    assert seen.status_code == 200 and b"".join(seen.streaming_content).startswith(b"\x89PNG")
    assert logged_in(coordinator).get(url).status_code == 404
