"""Lost updates: two people edit the same object; the later save, started from an older
revision, is refused with who and when, keeps its values in the form and loses nothing of
the earlier one; saved again from the fresh revision it goes through. Pages and API alike."""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from factories import (
    AgendaItemFactory,
    AssignmentFactory,
    DecisionFactory,
    EventFactory,
    IndicatorFactory,
    InvitationGroupFactory,
    MeetingFactory,
    MethodologyFactory,
    OrganizationFactory,
    PlanItemFactory,
    UserFactory,
)
from kense.accounts.models import ApiToken, User
from kense.core.permissions import Role

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"

# The Kazakh message (kk is the default language): "<who> saved this on <date>, while you were
# editing it…"
SAVED_MEANWHILE_KK = "сіз өңдеп отырғанда сақтады"

# (factory, its API address, the text field both people change)
OBJECTS: dict[str, tuple[Callable[[], Any], str, str]] = {
    "organization": (OrganizationFactory, "organizations", "name_kk"),
    "event": (EventFactory, "events", "title_kk"),
    "assignment": (AssignmentFactory, "assignments", "text_kk"),
}
# (factory, its edit page's address, the text field both people change)
PAGES: dict[str, tuple[Callable[[], Any], Callable[[Any], str], str]] = {
    "organization": (
        OrganizationFactory,
        lambda obj: reverse("registry:organization_edit", args=[obj.pk]),
        "name_kk",
    ),
    "event": (EventFactory, lambda obj: reverse("events:event_edit", args=[obj.pk]), "title_kk"),
    "assignment": (
        AssignmentFactory,
        lambda obj: reverse("assignments:assignment_edit", args=[obj.pk]),
        "text_kk",
    ),
    "meeting": (
        MeetingFactory,
        lambda obj: reverse("meetings:meeting_edit", args=[obj.pk]),
        "title_kk",
    ),
    "agenda item": (
        AgendaItemFactory,
        lambda obj: reverse("meetings:item_edit", args=[obj.meeting_id, obj.pk]),
        "title_kk",
    ),
    "decision": (
        DecisionFactory,
        lambda obj: reverse("meetings:decision_edit", args=[obj.item.meeting_id, obj.pk]),
        "text_kk",
    ),
    "plan item": (
        PlanItemFactory,
        lambda obj: reverse("events:plan_item_edit", args=[obj.plan_id, obj.pk]),
        "title_kk",
    ),
    "invitation group": (
        InvitationGroupFactory,
        lambda obj: reverse("meetings:group_edit", args=[obj.pk]),
        "name_kk",
    ),
    "methodology": (
        lambda: MethodologyFactory(
            created_by=UserFactory(role=Role.PROJECT_OFFICE), weights={IndicatorFactory().code: 1}
        ),
        lambda obj: reverse("indicators:methodology_edit", args=[obj.pk]),
        "name_kk",
    ),
}


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user, backend=MODEL_BACKEND)
    return client


def form_values(response: HttpResponse) -> dict[str, Any]:
    """What the page's form would post back as shown: its values, hidden revision included."""
    form = response.context["form"]  # type: ignore[attr-defined]
    data: dict[str, Any] = {}
    for bound in form:
        value = bound.value()
        if value is None or value is False:
            continue
        if value is True:
            data[bound.html_name] = "on"
        elif isinstance(value, list | tuple):
            data[bound.html_name] = [str(item) for item in value]
        elif isinstance(value, datetime.datetime | datetime.date):
            data[bound.html_name] = value.isoformat()
        else:
            data[bound.html_name] = str(value)
    return data


@pytest.fixture
def as_user() -> Callable[..., Client]:
    """A client sending a fresh bearer token of the user (as tests/api/conftest.py)."""

    def make(user: User) -> Client:
        token, key = ApiToken.issue(user=user, name="tests")
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
        return Client(HTTP_AUTHORIZATION=f"Bearer {key}")

    return make


@pytest.fixture
def first_editor(db: Any) -> User:
    return UserFactory(role=Role.ADMINISTRATOR, first_name="Айгүл", last_name="Серікова")


@pytest.fixture
def second_editor(db: Any) -> User:
    return UserFactory(role=Role.ADMINISTRATOR)


@pytest.mark.parametrize("kind", PAGES)
def test_a_save_over_someone_elses_is_refused_with_both_kept(
    kind: str, first_editor: User, second_editor: User
) -> None:
    factory, page, field = PAGES[kind]
    obj = factory()
    url = page(obj)
    first, second = logged_in(first_editor), logged_in(second_editor)
    opened_first, opened_second = first.get(url), second.get(url)
    assert opened_first.status_code == opened_second.status_code == 200

    saved = first.post(url, form_values(opened_first) | {field: "Біріншінің мәтіні"})
    refused = second.post(url, form_values(opened_second) | {field: "Екіншінің мәтіні"})

    assert saved.status_code == 302, saved.context and saved.context["form"].errors
    assert refused.status_code == 409
    content = refused.content.decode()
    assert SAVED_MEANWHILE_KK in content
    assert "Айгүл Серікова" in content  # who saved in between
    assert 'value="Екіншінің мәтіні"' in content or "Екіншінің мәтіні</textarea>" in content
    assert "<td>Біріншінің мәтіні</td>" in content  # what they saved, beside
    obj.refresh_from_db()
    assert getattr(obj, field) == "Біріншінің мәтіні"

    again = second.post(url, form_values(refused))

    assert again.status_code == 302
    obj.refresh_from_db()
    assert getattr(obj, field) == "Екіншінің мәтіні"


def test_a_post_without_a_revision_is_saved_as_before(first_editor: User) -> None:
    # Pages opened before this check (or scripts posting the form) keep working.
    organization = OrganizationFactory()
    url = reverse("registry:organization_edit", args=[organization.pk])
    client = logged_in(first_editor)
    data = form_values(client.get(url))
    del data["revision"]

    assert client.post(url, data | {"name_kk": "Жаңа атау"}).status_code == 302
    organization.refresh_from_db()
    assert organization.name_kk == "Жаңа атау"


def test_a_new_object_carries_no_revision(first_editor: User) -> None:
    response = logged_in(first_editor).get(reverse("registry:organization_add"))

    assert "revision" not in response.context["form"].fields


# API


@pytest.mark.parametrize("kind", OBJECTS)
def test_a_patch_from_a_stale_etag_is_refused(
    kind: str, first_editor: User, second_editor: User, as_user: Callable[..., Client]
) -> None:
    factory, address, field = OBJECTS[kind]
    obj = factory()
    url = f"/api/v1/{address}/{obj.pk}"
    first, second = as_user(first_editor), as_user(second_editor)
    read_first, read_second = first.get(url), second.get(url)
    tag = read_second["ETag"]
    assert tag == read_first["ETag"] and tag.startswith('"')

    patched = first.patch(
        url,
        json.dumps({field: "Біріншінің мәтіні"}),
        content_type="application/json",
        HTTP_IF_MATCH=read_first["ETag"],
    )
    refused = second.patch(
        url,
        json.dumps({field: "Екіншінің мәтіні"}),
        content_type="application/json",
        HTTP_IF_MATCH=tag,
    )

    assert patched.status_code == 200
    assert patched["ETag"] != tag
    assert refused.status_code == 412
    body = refused.json()
    assert body["revision"] == int(patched["ETag"].strip('"'))
    assert refused["ETag"] == patched["ETag"]
    assert SAVED_MEANWHILE_KK in body["detail"]
    assert {"field": field, "new": "Біріншінің мәтіні"}.items() <= next(
        change for change in body["changes"] if change["field"] == field
    ).items()
    obj.refresh_from_db()
    assert getattr(obj, field) == "Біріншінің мәтіні"

    again = second.patch(
        url,
        json.dumps({field: "Екіншінің мәтіні"}),
        content_type="application/json",
        HTTP_IF_MATCH=refused["ETag"],
    )

    assert again.status_code == 200
    assert again["ETag"] == second.get(url)["ETag"] != refused["ETag"]
    obj.refresh_from_db()
    assert getattr(obj, field) == "Екіншінің мәтіні"


def test_a_patch_without_if_match_is_applied_as_before(
    first_editor: User, as_user: Callable[..., Client]
) -> None:
    organization = OrganizationFactory()
    client = as_user(first_editor)
    url = f"/api/v1/organizations/{organization.pk}"
    client.patch(url, json.dumps({"name_kk": "Біреу"}), content_type="application/json")

    response = client.patch(url, json.dumps({"name_kk": "Жаңа"}), content_type="application/json")

    assert response.status_code == 200
    organization.refresh_from_db()
    assert organization.name_kk == "Жаңа"


def test_if_match_on_an_operation_that_compares_nothing_changes_nothing(
    first_editor: User, as_user: Callable[..., Client]
) -> None:
    # Creating compares no revision: an If-Match there would be ignored, so it is refused.
    organization = OrganizationFactory()
    client = as_user(first_editor)
    tag = client.get(f"/api/v1/organizations/{organization.pk}")["ETag"]
    count = type(organization).objects.count()

    response = client.post(
        "/api/v1/organizations",
        json.dumps(
            {
                "name_kk": "Жаңа колледж",
                "name_ru": "Новый колледж",
                "kind": "college",
                "territory": organization.territory_id,
            }
        ),
        content_type="application/json",
        HTTP_IF_MATCH=tag,
    )

    assert response.status_code == 412
    assert type(organization).objects.count() == count
