"""The ideas API: proposing (multipart, files checked by content), scopes, evaluation."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from factories import IdeaFactory, ProgramFactory, ProjectFactory
from kense.accounts.models import User
from kense.core.models import Attachment
from kense.ideas.models import Idea
from kense.registry.models import Territory

pytestmark = pytest.mark.django_db

JSON = "application/json"
AsUser = Callable[..., Client]
PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path


def ids(response: Any) -> list[int]:
    return [item["id"] for item in response.json()["items"]]


def fields(response: Any) -> set[str | None]:
    return {error["field"] for error in response.json()["detail"]}


def test_an_observer_proposes_with_a_file(
    as_user: AsUser, observer: User, district_a: Territory
) -> None:
    response = as_user(observer).post(
        "/api/v1/ideas",
        {
            "title": "Домбыра сабақтары",
            "description": "Онлайн сабақтар.",
            "territory": district_a.pk,
            "files": [SimpleUploadedFile("plan.pdf", PDF, "application/pdf")],
        },
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["status"], body["territory"]["id"]) == ("evaluating", district_a.pk)
    assert Attachment.objects.get().object_id == body["id"]


def test_a_file_lying_about_its_type_is_refused(
    as_user: AsUser, observer: User, district_a: Territory
) -> None:
    response = as_user(observer).post(
        "/api/v1/ideas",
        {
            "title": "Домбыра",
            "description": "Сабақтар.",
            "territory": district_a.pk,
            "files": [SimpleUploadedFile("plan.docx", b"plain text", "application/msword")],
        },
    )

    assert response.status_code == 422
    assert fields(response) == {"attachments"}
    assert not Idea.objects.exists()


def test_the_proposer_sees_only_their_own(
    as_user: AsUser, observer: User, project_office: User, district_a: Territory
) -> None:
    mine = IdeaFactory(proposer=observer, territory=district_a)
    other = IdeaFactory(territory=district_a)
    client = as_user(observer)

    assert ids(client.get("/api/v1/ideas")) == [mine.pk]
    assert client.get(f"/api/v1/ideas/{other.pk}").status_code == 404
    assert set(ids(as_user(project_office).get("/api/v1/ideas"))) == {mine.pk, other.pk}
    assert ids(as_user(project_office).get("/api/v1/ideas?mine=true")) == []


def test_the_office_accepts_rejects_and_merges(
    as_user: AsUser, project_office: User, observer: User, district_a: Territory
) -> None:
    first, second, third, fourth = IdeaFactory.create_batch(
        4, territory=district_a, proposer=observer
    )
    project = ProjectFactory(territory=district_a)
    client = as_user(project_office)

    accepted = client.post(
        f"/api/v1/ideas/{first.pk}/accept", {"project": project.pk}, content_type=JSON
    )
    assert accepted.status_code == 200
    assert accepted.json()["accepted_project"]["id"] == project.pk

    no_answer = client.post(f"/api/v1/ideas/{second.pk}/reject", {"answer": ""}, content_type=JSON)
    assert no_answer.status_code == 422
    assert fields(no_answer) == {"answer"}
    rejected = client.post(
        f"/api/v1/ideas/{second.pk}/reject", {"answer": "Бюджет жоқ."}, content_type=JSON
    )
    assert rejected.json()["answer"] == "Бюджет жоқ."

    merged = client.post(f"/api/v1/ideas/{third.pk}/merge", {"into": first.pk}, content_type=JSON)
    assert merged.json()["merged_into"] == {"id": first.pk, "title": first.title}
    to_itself = client.post(
        f"/api/v1/ideas/{fourth.pk}/merge", {"into": fourth.pk}, content_type=JSON
    )
    assert fields(to_itself) == {"into"}

    program = ProgramFactory()
    created = client.post(
        f"/api/v1/ideas/{fourth.pk}/accept", {"new_project_program": program.pk}, content_type=JSON
    )
    assert created.json()["accepted_project"]["name"] == fourth.title
    seen = as_user(observer).get(f"/api/v1/ideas/{third.pk}").json()
    assert seen["status"] == "merged"
    assert seen["merged_into"]["id"] == first.pk


def test_a_coordinator_cannot_evaluate(
    as_user: AsUser, coordinator_a: User, district_a: Territory
) -> None:
    idea = IdeaFactory(territory=district_a)
    client = as_user(coordinator_a)

    assert client.get(f"/api/v1/ideas/{idea.pk}").status_code == 200
    response = client.post(f"/api/v1/ideas/{idea.pk}/reject", {"answer": "Жоқ."}, content_type=JSON)
    assert response.status_code == 403


def test_the_files_of_an_idea_are_listed_and_downloaded_by_those_who_see_it(
    as_user: AsUser, observer: User, project_office: User, district_a: Territory
) -> None:
    proposed = as_user(observer).post(
        "/api/v1/ideas",
        {
            "title": "Домбыра сабақтары",
            "description": "Онлайн сабақтар.",
            "territory": district_a.pk,
            "files": [SimpleUploadedFile("жоспар.pdf", PDF, "application/pdf")],
        },
    )
    idea_id = proposed.json()["id"]
    other = IdeaFactory(territory=district_a)  # not the observer's: they do not see it
    office = as_user(project_office)

    listed = office.get(f"/api/v1/ideas/{idea_id}/files")
    assert listed.status_code == 200
    [file] = listed.json()
    assert (file["name"], file["mime_type"], file["size"]) == ("жоспар.pdf", "application/pdf", 15)

    download = office.get(file["download_url"])
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment;")
    assert b"".join(download.streaming_content) == PDF

    # Out of sight: the idea of someone else, and a file through an idea it is not of.
    assert as_user(observer).get(f"/api/v1/ideas/{other.pk}/files").status_code == 404
    assert office.get(f"/api/v1/ideas/{other.pk}/files/{file['id']}").status_code == 404
    assert as_user(observer).get(file["download_url"]).status_code == 200
