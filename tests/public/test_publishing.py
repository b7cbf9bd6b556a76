"""Publishing: only the office publishes, only what it may change; each publish and unpublish
is kept in the history; nothing reaches the open pages before it is published."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from factories import (
    DocumentFactory,
    EventFactory,
    MeetingFactory,
    ProjectFactory,
    PublicationFactory,
    TerritoryFactory,
    UserFactory,
)
from kense.core.permissions import Role
from kense.public.services import PUBLISHED, UNPUBLISHED, can_publish, publication_set

pytestmark = pytest.mark.django_db


@pytest.fixture
def region():
    return TerritoryFactory(kind="region")


@pytest.fixture
def district(region):
    return TerritoryFactory(kind="district", parent=region)


@pytest.fixture
def office(region):
    return UserFactory(role=Role.PROJECT_OFFICE, territory=region)


def test_the_office_publishes_and_unpublishes_and_the_history_keeps_both(office, district):
    project = ProjectFactory(territory=district)
    assert not project.is_published

    publication_set(project, user=office, published=True)
    project.refresh_from_db()
    assert project.is_published and project.published_by == office
    first = project.published_at

    publication_set(project, user=office, published=True)  # again: nothing changes
    project.refresh_from_db()
    assert project.published_at == first

    publication_set(project, user=office, published=False)
    project.refresh_from_db()
    assert project.published_at is None and project.published_by is None

    rows = list(project.history.order_by("history_id"))
    assert [row.history_change_reason for row in rows[-2:]] == [PUBLISHED, UNPUBLISHED]
    assert rows[-2].history_user == office and rows[-2].published_by_id == office.pk
    assert len(rows) == 3  # created, published, unpublished: the repeat wrote nothing


def test_only_the_office_of_the_place_publishes(office, district, region):
    project = ProjectFactory(territory=district)
    coordinator = UserFactory(role=Role.COORDINATOR, territory=district)
    other_office = UserFactory(role=Role.PROJECT_OFFICE, territory=TerritoryFactory(kind="region"))
    assert can_publish(office, project)
    for user in (coordinator, other_office, UserFactory(role=Role.OBSERVER, territory=region)):
        assert not can_publish(user, project)
        with pytest.raises(PermissionDenied):
            publication_set(project, user=user, published=True)
    project.refresh_from_db()
    assert not project.is_published


def test_a_draft_meeting_is_not_published(office, district):
    organizer = district.organizations.create(name_kk="Әкімдік", name_ru="Акимат", kind="other")
    meeting = MeetingFactory(organizer=organizer, state="draft")
    with pytest.raises(ValidationError):
        publication_set(meeting, user=office, published=True)
    meeting.refresh_from_db()
    assert not meeting.is_published


@pytest.mark.parametrize("kind", ["project", "event", "meeting", "document", "publication"])
def test_the_button_publishes_each_kind_and_the_page_says_so(client, office, district, kind):
    from factories import OrganizationFactory

    organization = OrganizationFactory(territory=district)
    obj = {
        "project": lambda: ProjectFactory(territory=district),
        "event": lambda: EventFactory(organizer=organization),
        "meeting": lambda: MeetingFactory(organizer=organization),
        "document": lambda: DocumentFactory(created_by=office),
        "publication": lambda: PublicationFactory(
            outlet=OrganizationFactory(territory=district, kind="media")
        ),
    }[kind]()
    client.force_login(office)
    publish_url = reverse("public:publish", args=[kind, obj.pk])
    page = client.get(obj.get_absolute_url()).content.decode()
    assert publish_url in page and 'name="published" value="1"' in page

    answer = client.post(reverse("public:publish", args=[kind, obj.pk]), {"published": "1"})
    assert answer.status_code == 302 and answer["Location"] == obj.get_absolute_url()
    obj.refresh_from_db()
    assert obj.is_published
    page = client.get(obj.get_absolute_url()).content.decode()
    assert 'name="published" value="0"' in page
    public_name = {"document": "guideline", "publication": "news"}.get(kind, kind)
    assert reverse(f"public:{public_name}", args=[obj.pk]) in page

    client.post(reverse("public:publish", args=[kind, obj.pk]), {"published": "0"})
    obj.refresh_from_db()
    assert not obj.is_published


def test_the_button_answers_only_a_post_by_someone_signed_in(client, office, district):
    project = ProjectFactory(territory=district)
    url = reverse("public:publish", args=["project", project.pk])
    assert client.post(url, {"published": "1"}).status_code == 302  # to the login
    client.force_login(office)
    assert client.get(url).status_code == 405
    assert client.post(reverse("public:publish", args=["nothing", project.pk])).status_code == 404
    coordinator = UserFactory(role=Role.COORDINATOR, territory=district)
    client.force_login(coordinator)
    assert client.post(url, {"published": "1"}).status_code == 403
    project.refresh_from_db()
    assert not project.is_published


def test_a_coordinator_sees_the_state_but_no_button(client, office, district):
    project = ProjectFactory(territory=district)
    publication_set(project, user=office, published=True)
    client.force_login(UserFactory(role=Role.COORDINATOR, territory=district))
    page = client.get(project.get_absolute_url()).content.decode()
    assert 'class="badge active"' in page
    assert reverse("public:publish", args=["project", project.pk]) not in page
    assert reverse("public:project", args=[project.pk]) in page


def test_dates_do_not_matter_to_publishing(office, district):
    event = EventFactory(
        territory=district, organizer__territory=district, start=datetime.date(2030, 1, 1)
    )
    publication_set(event, user=office, published=True)
    event.refresh_from_db()
    assert event.is_published


def test_the_history_says_who_published_in_the_readers_language(client, office, district):
    project = ProjectFactory(territory=district)
    publication_set(project, user=office, published=True)
    client.force_login(office)
    page = client.get(f"/ru/programs/projects/{project.pk}/").content.decode()
    assert "Опубликовано на открытых страницах." in page
    page = client.get(f"/kk/programs/projects/{project.pk}/").content.decode()
    assert "Ашық беттерде жарияланды." in page


def test_the_api_publishes_as_the_button_does(client, office, district):
    from kense.accounts.models import ApiToken

    project = ProjectFactory(territory=district)
    _token, key = ApiToken.issue(user=office, name="publishing")
    api = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    answer = client.post(
        "/api/v1/public/publishing",
        {"kind": "project", "id": project.pk, "published": True},
        content_type="application/json",
        **api,
    )
    assert answer.status_code == 200, answer.content
    assert answer.json()["published"] is True and answer.json()["published_by"] == office.pk
    project.refresh_from_db()
    assert project.is_published
    assert project.history.latest("history_id").history_change_reason == PUBLISHED
    answer = client.post(
        "/api/v1/public/publishing",
        {"kind": "project", "id": project.pk, "published": False},
        content_type="application/json",
        **api,
    )
    assert answer.json()["published"] is False and answer.json()["published_at"] is None
    refused = client.post(
        "/api/v1/public/publishing",
        {"kind": "budget", "id": project.pk, "published": True},
        content_type="application/json",
        **api,
    )
    assert refused.status_code == 422
    draft = MeetingFactory(
        organizer=district.organizations.create(name_kk="Ә", kind="other"), state="draft"
    )
    refused = client.post(
        "/api/v1/public/publishing",
        {"kind": "meeting", "id": draft.pk, "published": True},
        content_type="application/json",
        **api,
    )
    assert refused.status_code == 422
