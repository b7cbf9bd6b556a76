"""The open pages: read without a login, showing what is published and nothing else."""

from __future__ import annotations

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from factories import (
    AgendaItemFactory,
    AssignmentFactory,
    DecisionFactory,
    DocumentFactory,
    EventFactory,
    MeetingFactory,
    OrganizationFactory,
    ProjectFactory,
    PublicationFactory,
    TerritoryFactory,
    UserFactory,
)
from kense.core.permissions import Role
from kense.public.services import publication_set

pytestmark = pytest.mark.django_db

SECRET = "ІШКІ-ҚҰПИЯ"  # written into every field the public must never read


@pytest.fixture
def region():
    return TerritoryFactory(
        kind="region", name_kk="Қарағанды облысы", name_ru="Карагандинская область"
    )


@pytest.fixture
def district(region):
    return TerritoryFactory(
        kind="district", parent=region, name_kk="Шет ауданы", name_ru="Шетский район"
    )


@pytest.fixture
def office(region):
    return UserFactory(role=Role.PROJECT_OFFICE, territory=region)


@pytest.fixture
def organizer(district):
    return OrganizationFactory(territory=district, name_kk="Шет ауданының әкімдігі")


def publish(office, *objects):
    for obj in objects:
        publication_set(obj, user=office, published=True)


def world(office, district, organizer, *, published: bool, tag: str):
    """One of each publishable kind, with the secret in every internal field."""
    project = ProjectFactory(
        territory=district, name_kk=f"Жоба {tag}", name_ru=f"Проект {tag}", budget=123456789
    )
    event = EventFactory(
        organizer=organizer,
        project=project,
        title_kk=f"Іс-шара {tag}",
        budget=987654321,
        sponsor_money=55555,
        status="held",
        outcome=f"Нәтиже {tag}",
        participants=120,
    )
    meeting = MeetingFactory(
        organizer=organizer,
        title_kk=f"Кеңес {tag}",
        video_passcode=SECRET,
        video_meeting_id=SECRET,
        state="approved",
    )
    item = AgendaItemFactory(
        meeting=meeting, title_kk=f"Мәселе {tag}", heard=SECRET, discussion=SECRET
    )
    item.projects.add(project)
    decision = DecisionFactory(item=item, text_kk=f"Шешім {tag}")
    AssignmentFactory(
        decision=decision,
        text_kk=SECRET,
        text_ru=SECRET,
        lead_organization=organizer,
        deadline=timezone.localdate() - datetime.timedelta(days=3),
    )
    document = DocumentFactory(title_kk=f"Нұсқаулық {tag}", created_by=office)
    news = PublicationFactory(
        title=f"Мақала {tag}",
        text=SECRET,
        outlet=OrganizationFactory(territory=district, kind="media"),
    )
    news.projects.add(project)
    objects = [project, event, meeting, document, news]
    if published:
        publish(office, *objects)
    return {
        "project": project,
        "event": event,
        "meeting": meeting,
        "document": document,
        "news": news,
    }


def public_urls(things, district, region):
    return [
        reverse("public:home"),
        reverse("public:territory", args=[region.pk]),
        reverse("public:territory", args=[district.pk]),
        reverse("public:project", args=[things["project"].pk]),
        reverse("public:event", args=[things["event"].pk]),
        reverse("public:meeting", args=[things["meeting"].pk]),
        reverse("public:guideline", args=[things["document"].pk]),
        reverse("public:news", args=[things["news"].pk]),
    ]


def test_a_visitor_reads_what_is_published_and_nothing_inside(
    client, office, district, region, organizer
):
    shown = world(office, district, organizer, published=True, tag="АШЫҚ")
    hidden = world(office, district, organizer, published=False, tag="ЖАБЫҚ")

    for url in public_urls(shown, district, region)[:3]:
        page = client.get(url)
        assert page.status_code == 200, url
        text = page.content.decode()
        assert "Жоба АШЫҚ" in text and "Іс-шара АШЫҚ" in text and "Кеңес АШЫҚ" in text, url
        assert "ЖАБЫҚ" not in text, url
        assert SECRET not in text, url

    for url in public_urls(shown, district, region)[3:]:
        page = client.get(url)
        assert page.status_code == 200, url
        text = page.content.decode()
        assert SECRET not in text and "ЖАБЫҚ" not in text, url

    for url in public_urls(hidden, district, region)[3:]:
        assert client.get(url).status_code == 404, url


def test_every_open_address_and_public_operation_holds_no_secret(
    client, office, district, region, organizer
):
    """The feeds, the open data in each format, the sitemap and every public API operation,
    with one of each kind published and one of each not: only the published, no secret."""
    from kense.api import api

    world(office, district, organizer, published=True, tag="АШЫҚ")
    world(office, district, organizer, published=False, tag="ЖАБЫҚ")
    addresses = [
        reverse(f"public:{name}")
        for name in ("events_ics", "news_atom", "ideas_atom", "decisions_atom", "data")
    ]
    addresses += [
        reverse(f"public:place_{name}", args=[district.pk])
        for name in ("events_ics", "news_atom", "ideas_atom", "decisions_atom")
    ]
    addresses += [
        reverse("public:data_download", args=[key, form])
        for key in ("projects", "events", "decisions", "ideas")
        for form in ("csv", "json")
    ]
    addresses += [f"/sitemap-{section}.xml" for section in ("projects", "events", "meetings")]
    operations = [
        path
        for path, methods in api.get_openapi_schema()["paths"].items()
        if "/public/" in path and "get" in methods
    ]
    assert len(operations) == 6
    shown = set()
    for address in addresses + operations:
        answer = client.get(address)
        assert answer.status_code == 200, address
        body = b"".join(answer.streaming_content) if answer.streaming else answer.content
        text = body.decode()
        assert SECRET not in text and "ЖАБЫҚ" not in text, address
        shown |= {tag for tag in ("Іс-шара АШЫҚ", "Шешім АШЫҚ", "Жоба АШЫҚ") if tag in text}
    assert shown == {"Іс-шара АШЫҚ", "Шешім АШЫҚ", "Жоба АШЫҚ"}


def test_the_money_and_the_minutes_notes_stay_inside(client, office, district, organizer):
    things = world(office, district, organizer, published=True, tag="А")
    event = client.get(reverse("public:event", args=[things["event"].pk])).content.decode()
    for money in ("987654321", "987 654 321", "987\xa0654\xa0321", "55555", "55 555", "55\xa0555"):
        assert money not in event
    assert "Нәтиже А" in event
    project = client.get(reverse("public:project", args=[things["project"].pk])).content.decode()
    for money in ("123456789", "123 456 789", "123\xa0456\xa0789"):
        assert money not in project
    meeting = client.get(reverse("public:meeting", args=[things["meeting"].pk])).content.decode()
    assert "Мәселе А" in meeting and "Шешім А" in meeting and SECRET not in meeting


def test_decisions_wait_for_the_approved_minutes(client, office, district, organizer):
    meeting = MeetingFactory(organizer=organizer, state="held")
    DecisionFactory(
        item=AgendaItemFactory(meeting=meeting, title_kk="Күн тәртібі"), text_kk="Жоба шешімі"
    )
    publish(office, meeting)
    text = client.get(reverse("public:meeting", args=[meeting.pk])).content.decode()
    assert "Күн тәртібі" in text and "Жоба шешімі" not in text


def test_a_meeting_put_back_to_draft_leaves_the_open_pages(client, office, organizer):
    meeting = MeetingFactory(organizer=organizer)
    publish(office, meeting)
    type(meeting).objects.filter(pk=meeting.pk).update(state="draft")
    assert client.get(reverse("public:meeting", args=[meeting.pk])).status_code == 404


def test_the_trail_runs_from_the_decision_to_the_media(client, office, district, organizer):
    things = world(office, district, organizer, published=True, tag="Т")
    text = client.get(reverse("public:project", args=[things["project"].pk])).content.decode()
    trail = text.split('class="trail"', 1)[1]
    positions = [trail.index(mark) for mark in ("Шешім Т", "Іс-шара Т", "Мақала Т")]
    assert positions == sorted(positions)
    # The assignment by its deadline and state, never its text.
    assert "trail-tasks" in trail and "task-overdue" in trail and SECRET not in trail


def test_the_office_reads_the_same_trail_inside(client, office, district, organizer):
    things = world(office, district, organizer, published=False, tag="І")
    client.force_login(office)
    text = client.get(things["project"].get_absolute_url()).content.decode()
    trail = text.split('class="trail"', 1)[1]
    assert "Шешім І" in trail and "Іс-шара І" in trail and "Мақала І" in trail
    assert things["meeting"].get_absolute_url() in trail


def test_only_places_with_pages_answer(client, district):
    village = TerritoryFactory(kind="settlement", parent=district)
    assert client.get(reverse("public:territory", args=[village.pk])).status_code == 404
    assert client.get(reverse("public:territory", args=[district.pk])).status_code == 200
    assert client.get(reverse("public:territory", args=[999999])).status_code == 404


def test_the_pages_need_no_script_and_say_their_language(client, office, district, organizer):
    things = world(office, district, organizer, published=True, tag="Б")
    for language in ("kk", "ru", "en"):
        url = f"/{language}/public/projects/{things['project'].pk}/"
        text = client.get(url).content.decode()
        assert f'<html lang="{language}">' in text
        assert "<script" not in text
        assert 'hreflang="ru"' in text and '<meta name="description"' in text


@pytest.mark.parametrize("rows", [1, 6])
def test_a_place_page_asks_a_fixed_number_of_queries(client, office, district, organizer, rows):
    for n in range(rows):
        world(office, district, organizer, published=True, tag=f"Q{n}")
    url = reverse("public:territory", args=[district.pk])
    client.get(url)
    cache.clear()  # counted as read afresh, not from the page cache
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    assert len(queries) == PLACE_PAGE_QUERIES, [q["sql"][:120] for q in queries]


# The place, the breadcrumbs, the places inside, projects, the next and the latest events,
# meetings, guidelines, news and ideas.
PLACE_PAGE_QUERIES = 10


@pytest.mark.parametrize("rows", [1, 5])
def test_a_project_page_and_its_trail_ask_a_fixed_number_of_queries(
    client, office, district, organizer, rows
):
    project = ProjectFactory(territory=district)
    publish(office, project)
    for _ in range(rows):
        meeting = MeetingFactory(organizer=organizer, state="approved")
        item = AgendaItemFactory(meeting=meeting)
        item.projects.add(project)
        decision = DecisionFactory(item=item)
        AssignmentFactory(decision=decision, lead_organization=organizer)
        event = EventFactory(organizer=organizer, project=project, status="held")
        news = PublicationFactory(outlet=OrganizationFactory(territory=district, kind="media"))
        news.projects.add(project)
        publish(office, meeting, event, news)
    url = reverse("public:project", args=[project.pk])
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        text = client.get(url).content.decode()
    assert text.count('class="trail-step trail-event"') == rows
    assert len(queries) == PROJECT_PAGE_QUERIES, [q["sql"][:120] for q in queries]


# The project with its progress, its parts, the breadcrumbs, and the trail: ideas, decisions,
# their assignments, events, publications.
PROJECT_PAGE_QUERIES = 8


def test_a_long_trail_shows_the_latest_steps_of_each_stage(client, office, district, organizer):
    import datetime

    from kense.public.selectors import TRAIL_STEPS

    project = ProjectFactory(territory=district)
    publish(office, project)
    first = datetime.date(2020, 1, 1)
    for n in range(TRAIL_STEPS + 5):
        day = first + datetime.timedelta(days=n)
        publish(
            office,
            EventFactory(
                organizer=organizer, project=project, start=day, end=day, title_kk=f"Кезең {n:02d}"
            ),
        )
    text = client.get(reverse("public:project", args=[project.pk])).content.decode()
    assert text.count('class="trail-step trail-event"') == TRAIL_STEPS
    assert f"Кезең {TRAIL_STEPS + 4:02d}" in text and "Кезең 00" not in text
    assert text.index("Кезең 05") < text.index(f"Кезең {TRAIL_STEPS + 4:02d}")  # oldest first
