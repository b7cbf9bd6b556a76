"""The history, restore and comments of any audited object through the API, as on its page."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from factories import ProgramFactory, ProjectFactory
from kense.accounts.models import User
from kense.programs.models import Project
from kense.registry.models import Territory

pytestmark = pytest.mark.django_db

JSON = "application/json"
AsUser = Callable[..., Client]


@pytest.fixture
def project(district_a: Territory) -> Project:
    return ProjectFactory(program=ProgramFactory(), name_kk="Туған жер", territory=district_a)


def test_the_history_says_who_changed_which_field_from_what_to_what(
    as_user: AsUser, project_office: User, project: Project
) -> None:
    client = as_user(project_office, HTTP_ACCEPT_LANGUAGE="en")
    changed = client.patch(
        f"/api/v1/projects/{project.pk}", {"name_kk": "Рухани қазына"}, content_type=JSON
    )
    assert changed.status_code == 200, changed.content

    response = client.get(f"/api/v1/history/programs.project/{project.pk}")

    assert response.status_code == 200
    newest, *earlier = response.json()
    assert newest["user"] == str(project_office)
    assert newest["kind"] == "changed"
    assert {"field": "name_kk", "old": "Туған жер", "new": "Рухани қазына"}.items() <= next(
        change for change in newest["changes"] if change["field"] == "name_kk"
    ).items()
    # The newest entry is the object's revision, as the ETag of its read says.
    assert changed["ETag"] == f'"{newest["history_id"]}"'
    assert earlier[-1]["kind"] == "created"


def test_the_administrator_restores_an_earlier_version(
    as_user: AsUser, administrator: User, project_office: User, project: Project
) -> None:
    first = project.history.order_by("history_id").first().history_id
    as_user(project_office).patch(
        f"/api/v1/projects/{project.pk}", {"name_kk": "Рухани қазына"}, content_type=JSON
    )
    url = f"/api/v1/history/programs.project/{project.pk}/{first}/restore"

    refused = as_user(project_office).post(url)
    restored = as_user(administrator).post(url)

    assert refused.status_code == 403
    assert restored.status_code == 200
    project.refresh_from_db()
    assert project.name_kk == "Туған жер"
    assert restored.json()[0]["changes"][0]["new"] == "Туған жер"
    assert (
        as_user(administrator)
        .post(f"/api/v1/history/programs.project/{project.pk}/999999999/restore")
        .status_code
        == 404
    )


def test_comments_are_added_and_read_back(
    as_user: AsUser, executive: User, project_office: User, project: Project
) -> None:
    url = f"/api/v1/comments/programs.project/{project.pk}"

    added = as_user(executive).post(url, {"text": "  Мерзімі қашан?  "}, content_type=JSON)
    empty = as_user(executive).post(url, {"text": "   "}, content_type=JSON)
    listed = as_user(project_office).get(url)

    assert added.status_code == 201
    assert added.json()["text"] == "Мерзімі қашан?"
    assert empty.status_code == 422
    assert [error["field"] for error in empty.json()["detail"]] == ["text"]
    assert [(c["author"], c["text"]) for c in listed.json()] == [(str(executive), "Мерзімі қашан?")]


@pytest.mark.parametrize(
    "object_type", ["programs.nothing", "nothing.project", "core.comment", "accounts.apitoken"]
)
def test_a_type_without_history_or_scope_is_not_found(
    as_user: AsUser, administrator: User, project: Project, object_type: str
) -> None:
    response = as_user(administrator).get(f"/api/v1/history/{object_type}/{project.pk}")
    assert response.status_code == 404
    assert response.json()["detail"]


def test_an_object_outside_the_scope_is_not_found(
    as_user: AsUser, coordinator_a: User, district_b: Territory
) -> None:
    hidden = ProjectFactory(program=ProgramFactory(), territory=district_b)
    response = as_user(coordinator_a).get(f"/api/v1/history/programs.project/{hidden.pk}")
    assert response.status_code == 404
