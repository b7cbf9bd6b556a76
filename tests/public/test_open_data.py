"""Subscriptions, open data, the public API, the sitemap and the page cache."""

from __future__ import annotations

import csv
import datetime
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from factories import (
    AgendaItemFactory,
    DecisionFactory,
    EventFactory,
    MeetingFactory,
    OrganizationFactory,
    ProjectFactory,
    PublicationFactory,
    TerritoryFactory,
    UserFactory,
)
from kense.core.permissions import Role
from kense.public.opendata import DATASETS
from kense.public.services import publication_set

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _own_generation(settings, tmp_path):
    # Not the generation of another test run on this machine (CI runs two at once).
    settings.KENSE_GENERATIONS_DIR = tmp_path


@pytest.fixture
def region():
    return TerritoryFactory(kind="region", name_kk="Қарағанды облысы")


@pytest.fixture
def district(region):
    return TerritoryFactory(kind="district", parent=region, name_kk="Шет ауданы")


@pytest.fixture
def office(region):
    return UserFactory(role=Role.PROJECT_OFFICE, territory=region)


@pytest.fixture
def things(office, district):
    organizer = OrganizationFactory(territory=district)
    project = ProjectFactory(territory=district, name_kk="Туған жерге тағзым")
    event = EventFactory(
        organizer=organizer,
        project=project,
        title_kk="Тарихи экспедиция",
        start=datetime.date.today(),
    )
    hidden_event = EventFactory(organizer=organizer, title_kk="Жабық жиын")
    meeting = MeetingFactory(organizer=organizer, state="approved", title_kk="Онлайн кеңес")
    DecisionFactory(item=AgendaItemFactory(meeting=meeting), text_kk="Экспедицияны өткізу")
    news = PublicationFactory(
        title="Шетте экспедиция басталды",
        outlet=OrganizationFactory(territory=district, kind="media"),
    )
    for obj in (project, event, meeting, news):
        publication_set(obj, user=office, published=True)
    return {
        "project": project,
        "event": event,
        "hidden": hidden_event,
        "meeting": meeting,
        "news": news,
    }


def test_the_calendar_holds_the_published_events_of_the_place(client, things, district, region):
    for url in (
        reverse("public:events_ics"),
        reverse("public:place_events_ics", args=[district.pk]),
    ):
        answer = client.get(url)
        assert answer["Content-Type"].startswith("text/calendar")
        body = answer.content.decode()
        assert body.startswith("BEGIN:VCALENDAR") and "Тарихи экспедиция" in body
        assert "Жабық жиын" not in body
        assert f"UID:public-event-{things['event'].pk}@kense" in body
        assert "DTSTART;VALUE=DATE:" in body
    other = TerritoryFactory(kind="district", parent=region)
    body = client.get(reverse("public:place_events_ics", args=[other.pk])).content.decode()
    assert "Тарихи экспедиция" not in body


@pytest.mark.parametrize(
    ("name", "expected"),
    [("news_atom", "Шетте экспедиция басталды"), ("decisions_atom", "Экспедицияны өткізу")],
)
def test_the_atom_feeds(client, things, district, name, expected):
    answer = client.get(reverse(f"public:place_{name}", args=[district.pk]))
    assert answer["Content-Type"].startswith("application/atom+xml")
    body = answer.content.decode()
    assert 'xmlns="http://www.w3.org/2005/Atom"' in body and expected in body
    assert client.get(reverse(f"public:{name}")).status_code == 200


def test_the_ideas_feed_answers(client, things, district):
    answer = client.get(reverse("public:place_ideas_atom", args=[district.pk]))
    assert answer.status_code == 200 and b"<feed" in answer.content


@pytest.mark.parametrize("key", sorted(DATASETS))
def test_each_dataset_downloads_alike_in_three_formats(client, things, key):
    names = [column.name for column in DATASETS[key].columns]
    url = reverse("public:data_download", args=[key, "csv"])
    rows = list(csv.reader(io.StringIO(b"".join(client.get(url).streaming_content).decode())))
    assert rows[0] == names
    records = json.loads(b"".join(client.get(url.replace(".csv", ".json")).streaming_content))
    assert [list(record) for record in records] == [names] * len(records)
    assert len(records) == len(rows) - 1
    sheet = load_workbook(io.BytesIO(client.get(url.replace(".csv", ".xlsx")).content)).active
    assert [cell.value for cell in sheet[1]] == names
    assert sheet.max_row == len(rows)


def test_the_events_data_has_only_the_published(client, things):
    records = json.loads(
        b"".join(
            client.get(reverse("public:data_download", args=["events", "json"])).streaming_content
        )
    )
    assert [record["title"] for record in records] == ["Тарихи экспедиция"]
    assert records[0]["project_id"] == things["project"].pk
    assert client.get(reverse("public:data_download", args=["budgets", "csv"])).status_code == 404
    assert client.get(reverse("public:data_download", args=["events", "pdf"])).status_code == 404


def test_the_data_page_documents_every_column(client, things):
    page = client.get(reverse("public:data")).content.decode()
    for dataset in DATASETS.values():
        for column in dataset.columns:
            assert f"<code>{column.name}</code>" in page


def test_the_public_api_needs_no_token_and_shows_only_the_published(client, things, district):
    answer = client.get("/api/v1/public/events")
    assert answer.status_code == 200
    assert [item["title"] for item in answer.json()["items"]] == ["Тарихи экспедиция"]
    assert answer.json()["items"][0]["start"] == things["event"].start.isoformat()
    projects = client.get(f"/api/v1/public/projects?place={district.pk}").json()
    assert projects["count"] == 1 and projects["items"][0]["events_total"] == 1
    places = client.get("/api/v1/public/places").json()
    assert district.pk in [place["id"] for place in places["items"]]
    assert client.get("/api/v1/public/events?place=999999").status_code == 404
    # The rest of the API still asks who is calling.
    assert client.get("/api/v1/events").status_code == 401


def test_the_open_data_is_read_from_the_replica(client, things, reads_marked):
    # The streamed download: its rows are read as the response is written, after the view.
    answer = client.get(reverse("public:data_download", args=["events", "csv"]))
    reads_marked.clear()
    assert "Тарихи экспедиция" in b"".join(answer.streaming_content).decode()
    assert ("events.Event", "replica") in reads_marked
    assert {where for _model, where in reads_marked} == {"replica"}
    # The API's datasets: the page of rows and its count.
    reads_marked.clear()
    assert client.get("/api/v1/public/events").json()["count"] == 1
    assert ("events.Event", "replica") in reads_marked
    assert {where for _model, where in reads_marked} == {"replica"}


def test_the_openapi_document_describes_the_public_operations(client, office):
    client.force_login(office)
    document = client.get("/api/v1/openapi.json").json()
    for key in DATASETS:
        operation = document["paths"][f"/api/v1/public/{key}"]["get"]
        assert operation["tags"] == ["public"] and not operation.get("security")


def test_the_sitemap_lists_each_published_page_in_three_languages(client, things):
    index = client.get("/sitemap.xml").content.decode()
    assert "sitemap-projects.xml" in index
    projects = client.get("/sitemap-projects.xml").content.decode()
    for language in ("kk", "ru", "en"):
        assert f"/{language}/public/projects/{things['project'].pk}/" in projects
    events = client.get("/sitemap-events.xml").content.decode()
    assert f"/public/events/{things['hidden'].pk}/" not in events
    robots = client.get("/robots.txt").content.decode()
    assert "Allow: /kk/public/" in robots and "Sitemap:" in robots


def test_an_anonymous_page_is_served_from_the_cache_until_something_changes(
    client, things, office, district
):
    url = reverse("public:territory", args=[district.pk])
    assert client.get(url).get("X-Kense-Cache") is None
    with CaptureQueriesContext(connection) as queries:
        answer = client.get(url)
    assert answer["X-Kense-Cache"] == "hit" and len(queries) == 0
    publication_set(things["hidden"], user=office, published=True)
    answer = client.get(url)
    assert answer.get("X-Kense-Cache") is None and "Жабық жиын" in answer.content.decode()
    # A signed-in user is never served a cached page.
    client.force_login(office)
    assert client.get(url).get("X-Kense-Cache") is None
