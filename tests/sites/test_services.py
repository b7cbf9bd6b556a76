"""site_save and site_photos_add: validated, scoped, audited, all or nothing with the files."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from factories import EventFactory, OrganizationFactory, PublicationFactory
from kense.accounts.models import User
from kense.core.attachments import attachments_of
from kense.core.models import Attachment
from kense.registry.models import Territory
from kense.sites.models import Protection, SacredList, Site, SiteKind
from kense.sites.selectors import site_list, sites_on_map
from kense.sites.services import site_photos_add, site_save
from sites.conftest import jpeg, make_site, png

pytestmark = pytest.mark.django_db


def test_a_site_is_saved_with_its_links_and_its_history_names_who(
    office: User, karkaraly: Territory
) -> None:
    event = EventFactory(territory=karkaraly)
    publication = PublicationFactory(outlet=OrganizationFactory(territory=karkaraly))

    site = make_site(
        office,
        karkaraly,
        "Қарқаралы таулары",
        name_ru="Каркаралинские горы",
        kind=SiteKind.NATURAL,
        sacred_list=SacredList.REGIONAL,
        protection=Protection.NONE,
        latitude=49.40,
        longitude=75.45,
        sources="Бірінші дерек\n\n  Екінші дерек  ",
        links={"events": [event], "publications": [publication]},
    )

    site.refresh_from_db()
    assert list(site.events.all()) == [event]
    assert list(site.publications.all()) == [publication]
    assert site.location == (49.40, 75.45)
    assert site.source_lines == ["Бірінші дерек", "Екінші дерек"]
    # Found by a word of either name, however its Kazakh letters are typed.
    assert list(site_list(office, {"q": "қарқар"})) == [site]
    assert list(site_list(office, {"q": "КАРКАРАЛИНСК"})) == [site]
    records = list(site.history.all())  # type: ignore[attr-defined]  # latest first
    assert {record.history_user for record in records} == {office}
    record = records[0]
    assert [row.event_id for row in record.events.all()] == [event.pk]


def test_one_coordinate_without_the_other_is_refused_and_nothing_is_saved(
    office: User, karkaraly: Territory
) -> None:
    with pytest.raises(ValidationError) as refused:
        make_site(office, karkaraly, "Кент тауы", latitude=49.2)

    assert "longitude" in refused.value.message_dict
    assert not Site.objects.exists()


def test_a_latitude_out_of_range_is_refused(office: User, karkaraly: Territory) -> None:
    with pytest.raises(ValidationError) as refused:
        make_site(office, karkaraly, "Кент тауы", latitude=91, longitude=75)

    assert "latitude" in refused.value.message_dict


def test_a_coordinator_may_not_add_a_site_outside_the_district(
    coordinator: User, shet: Territory
) -> None:
    with pytest.raises(PermissionDenied):
        make_site(coordinator, shet, "Беғазы қорымы")

    assert not Site.objects.exists()


def test_an_observer_may_add_no_site(observer: User, karkaraly: Territory) -> None:
    with pytest.raises(PermissionDenied):
        make_site(observer, karkaraly, "Кент тауы")


def test_photos_are_stored_with_the_site(
    office: User, karkaraly: Territory, media_root: Any
) -> None:
    site = site_save(
        Site(name_kk="Кент тауы", name_ru="Горы Кент", kind=SiteKind.NATURAL, territory=karkaraly),
        user=office,
        photos=[png("kent.png"), jpeg("kent.jpg")],
    )

    photos = attachments_of([site])[site]
    assert [photo.name for photo in photos] == ["kent.png", "kent.jpg"]
    assert [photo.mime_type for photo in photos] == ["image/png", "image/jpeg"]
    assert all((media_root / photo.file.name).exists() for photo in photos)
    assert photos[0].uploaded_by == office


def test_a_file_that_is_no_picture_refuses_the_whole_save_and_stores_nothing(
    office: User, karkaraly: Territory, media_root: Any
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("kent.png", b"%PDF-1.4 not a picture", content_type="image/png")
    pdf = SimpleUploadedFile("note.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")

    with pytest.raises(ValidationError) as refused:
        site_save(
            Site(name_kk="Кент тауы", name_ru="Горы Кент", kind="natural", territory=karkaraly),
            user=office,
            photos=[png(), fake, pdf],
        )

    assert len(refused.value.message_dict["photos"]) == 2
    assert not Site.objects.exists()
    assert not Attachment.objects.exists()
    assert not any(media_root.rglob("*.*"))


def test_adding_photos_needs_the_right_to_change_the_site(
    office: User, observer: User, karkaraly: Territory, media_root: Any
) -> None:
    site = make_site(office, karkaraly, "Кент тауы")
    revisions = site.history.count()  # type: ignore[attr-defined]

    with pytest.raises(PermissionDenied):
        site_photos_add(site, user=observer, photos=[png()])
    added = site_photos_add(site, user=office, photos=[png()])

    assert [photo.name for photo in added] == ["photo.png"]
    assert site.history.count() == revisions  # type: ignore[attr-defined]


def test_the_map_gets_only_visible_sites_with_a_point(
    office: User, coordinator: User, karkaraly: Territory, shet: Territory
) -> None:
    kent = make_site(office, karkaraly, "Кент тауы", latitude=49.2, longitude=75.9)
    make_site(office, karkaraly, "Нұрлы мазар")  # no point
    begazy = make_site(office, shet, "Беғазы", latitude=48.27, longitude=75.34)

    assert set(sites_on_map(office)) == {kent, begazy}
    assert list(sites_on_map(coordinator)) == [kent]
    assert list(sites_on_map(office, territory=shet)) == [begazy]
    assert list(sites_on_map(office, kind=SiteKind.NATURAL)) == []


def test_the_list_is_in_kazakh_order(office: User, karkaraly: Territory) -> None:
    for name in ("Ұлытау", "Әулие тас", "Бегазы", "Аяқ", "Үйтас"):
        make_site(office, karkaraly, name)

    names = [site.name for site in site_list(office)]

    assert names == ["Аяқ", "Әулие тас", "Бегазы", "Ұлытау", "Үйтас"]
