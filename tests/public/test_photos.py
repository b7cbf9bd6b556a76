"""An event's photos: added by whoever may change it (when marking it held, or later), shown on
its open page small and large, always re-drawn without the camera's EXIF."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from factories import EventFactory, OrganizationFactory, TerritoryFactory, UserFactory
from kense.core.models import Attachment
from kense.core.permissions import Role
from kense.public.services import publication_set

pytestmark = pytest.mark.django_db


def jpeg_with_gps(name: str = "kesene.jpg") -> SimpleUploadedFile:
    image = Image.new("RGB", (1200, 800), (180, 120, 60))
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (49.0, 48.0, 0.0), 3: "E", 4: (73.0, 6.0, 0.0)}  # GPS
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


@pytest.fixture
def district():
    return TerritoryFactory(kind="district", parent=TerritoryFactory(kind="region"))


@pytest.fixture
def office(district):
    return UserFactory(role=Role.PROJECT_OFFICE, territory=district.parent)


@pytest.fixture
def event(district):
    return EventFactory(organizer=OrganizationFactory(territory=district))


def test_photos_come_with_the_event_held_and_later(client, office, event):
    client.force_login(office)
    answer = client.post(
        reverse("events:event_hold", args=[event.pk]),
        {
            "start": event.start.isoformat(),
            "end": event.end.isoformat(),
            "outcome": "Өтті.",
            "participants": 40,
            "photos": [jpeg_with_gps("one.jpg")],
        },
    )
    assert answer.status_code == 302, answer.content.decode()[:2000]
    client.post(
        reverse("events:event_photos_add", args=[event.pk]), {"photos": [jpeg_with_gps("two.jpg")]}
    )
    page = client.get(event.get_absolute_url()).content.decode()
    assert "one.jpg" in page and "two.jpg" in page


def test_a_file_that_is_no_picture_is_refused_and_nothing_is_stored(client, office, event):
    client.force_login(office)
    fake = SimpleUploadedFile("photo.jpg", b"%PDF-1.4 not a picture", content_type="image/jpeg")
    answer = client.post(
        reverse("events:event_photos_add", args=[event.pk]), {"photos": [fake]}, follow=True
    )
    assert "photo.jpg" in answer.content.decode()  # named in the refusal
    assert not Attachment.objects.exists()


def test_a_coordinator_of_another_district_cannot_add_photos(client, event):
    other = UserFactory(role=Role.COORDINATOR, territory=TerritoryFactory(kind="district"))
    client.force_login(other)
    answer = client.post(
        reverse("events:event_photos_add", args=[event.pk]), {"photos": [jpeg_with_gps()]}
    )
    assert answer.status_code == 404


def test_the_open_page_shows_them_without_the_camera_place(client, office, event):
    from kense.events.services.events import event_photos_add

    (photo,) = event_photos_add(event, user=office, photos=[jpeg_with_gps()])
    small = reverse("public:event_photo", args=[event.pk, photo.pk, "small"])
    assert client.get(small).status_code == 404  # not published yet
    publication_set(event, user=office, published=True)
    page = client.get(reverse("public:event", args=[event.pk])).content.decode()
    assert small in page
    for size, longest in (("small", 480), ("large", 1600)):
        answer = client.get(reverse("public:event_photo", args=[event.pk, photo.pk, size]))
        assert answer["Content-Type"] == "image/jpeg"
        image = Image.open(io.BytesIO(answer.content))
        assert max(image.size) <= longest
        assert 0x8825 not in image.getexif()
    assert (
        client.get(reverse("public:event_photo", args=[event.pk, photo.pk, "huge"])).status_code
        == 404
    )
    other = EventFactory(organizer=event.organizer, start=datetime.date(2020, 5, 1))
    publication_set(other, user=office, published=True)
    assert (
        client.get(reverse("public:event_photo", args=[other.pk, photo.pk, "small"])).status_code
        == 404
    )
