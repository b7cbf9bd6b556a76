"""The sacred sites API: the list's filters are the page's, create and update through the
service (If-Match revisions), photos, and the Excel import."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from openpyxl import Workbook

from factories import EventFactory
from kense.accounts.models import ApiToken, User
from kense.core.excel import XLSX
from kense.registry.models import Territory
from kense.sites.imports import SITE_COLUMNS
from kense.sites.models import Site
from sites.conftest import make_site, png

pytestmark = pytest.mark.django_db
JSON = "application/json"


def api(user: User) -> Client:
    token, key = ApiToken.issue(user=user, name="tests")
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}", HTTP_ACCEPT_LANGUAGE="en")


def send(client: Client, method: str, path: str, body: Any, **headers: Any) -> Any:
    return client.generic(method, path, json.dumps(body), content_type=JSON, **headers)


NEW = {
    "name_kk": "Кент тауы",
    "name_ru": "Горы Кент",
    "kind": "natural",
    "latitude": 49.2,
    "longitude": 75.9,
    "sources": ["Бірінші кітап", " ", "Екінші кітап"],
}


def test_the_list_takes_the_page_filters_and_answers_a_page(
    office: User, coordinator: User, karkaraly: Territory, shet: Territory
) -> None:
    make_site(office, karkaraly, "Кент тауы", kind="natural", latitude=49.2, longitude=75.9)
    make_site(office, shet, "Беғазы қорымы", kind="archaeological")

    everything = api(office).get("/api/v1/sites").json()
    natural = api(office).get("/api/v1/sites", {"kind": "natural"}).json()
    shet_only = api(office).get("/api/v1/sites", {"territory": shet.pk}).json()
    district = api(coordinator).get("/api/v1/sites").json()

    assert everything["count"] == 2
    assert [item["name_kk"] for item in natural["items"]] == ["Кент тауы"]
    assert natural["items"][0]["latitude"] == 49.2
    assert [item["name_kk"] for item in shet_only["items"]] == ["Беғазы қорымы"]
    assert [item["name_kk"] for item in district["items"]] == ["Кент тауы"]


def test_create_then_update_with_the_revision_read(office: User, karkaraly: Territory) -> None:
    event = EventFactory(territory=karkaraly)
    client = api(office)

    created = send(
        client, "POST", "/api/v1/sites", {**NEW, "territory": karkaraly.pk, "events": [event.pk]}
    )

    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["sources"] == ["Бірінші кітап", "Екінші кітап"]
    assert [link["id"] for link in body["events"]] == [event.pk]
    path = f"/api/v1/sites/{body['id']}"
    etag = client.get(path)["ETag"]
    changed = send(client, "PATCH", path, {"protection": "local"}, HTTP_IF_MATCH=etag)
    assert changed.status_code == 200 and changed.json()["protection"] == "local"
    # The revision read before that change is stale now: nothing is overwritten.
    stale = send(client, "PATCH", path, {"protection": "national"}, HTTP_IF_MATCH=etag)
    assert stale.status_code == 412
    assert Site.objects.get().protection == "local"


def test_refusals_name_the_field(office: User, coordinator: User, shet: Territory) -> None:
    one_coordinate = send(
        api(office), "POST", "/api/v1/sites", {**NEW, "territory": shet.pk, "longitude": None}
    )
    outside = send(api(coordinator), "POST", "/api/v1/sites", {**NEW, "territory": shet.pk})
    too_far_north = send(
        api(office), "POST", "/api/v1/sites", {**NEW, "territory": shet.pk, "latitude": 90.5}
    )

    assert one_coordinate.status_code == 422
    assert [error["field"] for error in one_coordinate.json()["detail"]] == ["longitude"]
    assert outside.status_code == 422  # a territory the coordinator does not see
    assert too_far_north.status_code == 422
    assert not Site.objects.exists()


def test_photos_are_added_listed_and_downloaded(
    office: User, observer: User, karkaraly: Territory, media_root: Any
) -> None:
    site = make_site(office, karkaraly, "Кент тауы")
    path = f"/api/v1/sites/{site.pk}/photos"

    refused = api(observer).post(path, {"photos": [png()]})
    added = api(office).post(path, {"photos": [png("kent.png")]})
    listed = api(observer).get(path).json()

    assert refused.status_code == 403
    assert added.status_code == 201 and added.json()[0]["name"] == "kent.png"
    assert [photo["name"] for photo in listed] == ["kent.png"]
    download = api(observer).get(listed[0]["download_url"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"\x89PNG")


def _workbook(rows: list[dict[str, Any]]) -> bytes:
    keys = [column.key for column in SITE_COLUMNS]
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(keys)
    sheet.append(keys)
    for row in rows:
        sheet.append([row.get(key) for key in keys])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_the_excel_import_saves_all_rows_or_answers_every_error(
    office: User, shet: Territory
) -> None:
    good = {
        "name_kk": "Беғазы",
        "name_ru": "Бегазы",
        "kind": "archaeological",
        "territory": "Шет ауданы",
    }
    bad = {"name_kk": "Жошы", "kind": "mausoleum", "territory": "Шет ауданы"}

    def post(rows: list[dict[str, Any]]) -> Any:
        upload = SimpleUploadedFile("sites.xlsx", _workbook(rows), content_type=XLSX)
        return api(office).post("/api/v1/imports/excel/sites", {"file": upload})

    refused = post([good, bad])
    assert refused.status_code == 422
    assert [error["field"] for error in refused.json()["detail"]] == ["4.name_ru"]
    assert not Site.objects.exists()

    saved = post([good])
    assert saved.status_code == 201 and saved.json() == {"count": 1}
    assert Site.objects.get().name_kk == "Беғазы"
