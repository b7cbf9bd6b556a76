"""The documents API: the library, versions, distributions, acknowledgments and tracking."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from factories import DocumentFactory, OrganizationFactory, UserFactory
from kense.accounts.models import User
from kense.core.attachments import attachments_of
from kense.core.permissions import Role
from kense.documents.models import DocumentVersion, Recipient
from kense.registry.models import Territory

pytestmark = pytest.mark.django_db

JSON = "application/json"
AsUser = Callable[..., Client]


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path


def docx_bytes(text: str) -> bytes:
    document = docx.Document()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def ids(response: Any) -> list[int]:
    return [item["id"] for item in response.json()["items"]]


def test_create_a_document_and_upload_versions(
    as_user: AsUser, project_office: User, coordinator_a: User
) -> None:
    payload = {"title_kk": "Әдістеме", "title_ru": "Методика", "kind": "guideline"}

    assert as_user(coordinator_a).post("/api/v1/documents", payload, JSON).status_code == 403
    response = as_user(project_office).post("/api/v1/documents", payload, JSON)
    assert response.status_code == 201, response.content
    document_id = response.json()["id"]
    client = as_user(project_office)

    liar = SimpleUploadedFile("guide.pdf", b"<html>not a pdf</html>")
    refused = client.post(
        f"/api/v1/documents/{document_id}/versions", {"language": "kk", "file": liar}
    )
    assert refused.status_code == 422
    assert not DocumentVersion.objects.exists()

    upload = SimpleUploadedFile("guide.docx", docx_bytes("Рухани жаңғыру мектептерде"))
    added = client.post(
        f"/api/v1/documents/{document_id}/versions",
        {"language": "kk", "file": upload, "change_note": "v1"},
    )
    assert added.status_code == 201, added.content
    assert added.json()["number"] == 1
    versions = client.get(f"/api/v1/documents/{document_id}/versions").json()
    assert [version["language"] for version in versions] == ["kk"]
    reader = as_user(coordinator_a)
    assert ids(reader.get("/api/v1/documents", {"q": "жангыру"})) == [document_id]
    assert ids(reader.get("/api/v1/documents", {"q": "жоқсөз"})) == []
    assert reader.get(f"/api/v1/documents/{document_id}").json()["title_ru"] == "Методика"


def test_send_acknowledge_and_track(
    as_user: AsUser,
    project_office: User,
    district_a: Territory,
    district_b: Territory,
) -> None:
    document = DocumentFactory(created_by=project_office)
    school = OrganizationFactory(kind="school", territory=district_a)
    college = OrganizationFactory(kind="college", territory=district_a)
    OrganizationFactory(kind="school", territory=district_b)
    OrganizationFactory(kind="culture", territory=district_a)
    office = as_user(project_office)

    sent = office.post(
        f"/api/v1/documents/{document.pk}/distributions",
        {
            "organization_kinds": ["school", "college"],
            "territory": district_a.pk,
            "mode": "mandatory",
            "deadline": "2099-01-01",
        },
        JSON,
    )
    assert sent.status_code == 201, sent.content
    assert sent.json()["recipient_count"] == 2
    assert {r.organization for r in Recipient.objects.all()} == {school, college}

    director = as_user(UserFactory(role=Role.INSTITUTION, organization=school))
    stranger = as_user(UserFactory(role=Role.INSTITUTION, organization=college))
    mine = director.get("/api/v1/acknowledgments").json()["items"]
    assert [item["organization"]["id"] for item in mine] == [school.pk]
    recipient_id = mine[0]["id"]

    assert stranger.post(f"/api/v1/acknowledgments/{recipient_id}", {}).status_code == 404
    done = director.post(f"/api/v1/acknowledgments/{recipient_id}", {"report": "Қолданамыз"})
    assert done.status_code == 200, done.content
    assert done.json()["state"] == "acknowledged"

    tracking = office.get(f"/api/v1/documents/{document.pk}/tracking")
    total = tracking.json()["total"]
    assert (total["acknowledged"], total["pending"], total["overdue"], total["total"]) == (
        1,
        1,
        0,
        2,
    )
    assert len(tracking.json()["by_kind"]) == 2
    distributions = office.get(f"/api/v1/documents/{document.pk}/distributions").json()
    assert distributions[0]["acknowledged_count"] == 1


def test_an_acknowledgment_sends_its_report_files(
    as_user: AsUser, project_office: User, district_a: Territory
) -> None:
    document = DocumentFactory(created_by=project_office)
    school = OrganizationFactory(kind="school", territory=district_a)
    sent = as_user(project_office).post(
        f"/api/v1/documents/{document.pk}/distributions",
        {
            "organization_kinds": ["school"],
            "territory": district_a.pk,
            "mode": "mandatory",
            "deadline": "2099-01-01",
        },
        JSON,
    )
    assert sent.status_code == 201, sent.content
    recipient = Recipient.objects.get(organization=school)
    director = as_user(UserFactory(role=Role.INSTITUTION, organization=school))
    url = f"/api/v1/acknowledgments/{recipient.pk}"

    liar = SimpleUploadedFile("есеп.docx", b"plain text, not a document")
    refused = director.post(url, {"report": "Қолданамыз", "files": [liar]})
    assert refused.status_code == 422
    assert {error["field"] for error in refused.json()["detail"]} == {"attachments"}
    recipient.refresh_from_db()
    assert recipient.acknowledged_at is None

    report = SimpleUploadedFile("есеп.docx", docx_bytes("Сынып сағаттарында"))
    done = director.post(url, {"report": "Қолданамыз", "files": [report]})
    assert done.status_code == 200, done.content
    assert [a.name for a in attachments_of([recipient])[recipient]] == ["есеп.docx"]


def test_a_coordinator_sees_the_counts_of_their_district_only(
    as_user: AsUser,
    project_office: User,
    coordinator_a: User,
    region: Territory,
    district_a: Territory,
    district_b: Territory,
) -> None:
    document = DocumentFactory(created_by=project_office)
    OrganizationFactory(kind="school", territory=district_a)
    OrganizationFactory(kind="school", territory=district_b)
    OrganizationFactory(kind="school", territory=district_b)
    sent = as_user(project_office).post(
        f"/api/v1/documents/{document.pk}/distributions",
        {
            "organization_kinds": ["school"],
            "territory": region.pk,
            "mode": "mandatory",
            "deadline": "2099-01-01",
        },
        JSON,
    )
    assert sent.status_code == 201, sent.content

    office = as_user(project_office).get(f"/api/v1/documents/{document.pk}/distributions")
    mine = as_user(coordinator_a).get(f"/api/v1/documents/{document.pk}/distributions")

    assert office.json()[0]["recipient_count"] == 3
    assert mine.json()[0]["recipient_count"] == 1


def test_a_document_is_edited_by_its_office_only(
    as_user: AsUser, project_office: User, coordinator_a: User
) -> None:
    document = DocumentFactory(created_by=project_office, title_kk="Ескі", title_ru="Старое")
    url = f"/api/v1/documents/{document.pk}"

    refused = as_user(coordinator_a).patch(url, {"title_kk": "Жаңа"}, JSON)
    assert refused.status_code == 403
    assert refused.json()["detail"]
    changed = as_user(project_office).patch(url, {"title_kk": "Жаңа", "kind": "order"}, JSON)
    assert changed.status_code == 200, changed.content
    assert (changed.json()["title_kk"], changed.json()["title_ru"]) == ("Жаңа", "Старое")
    document.refresh_from_db()
    assert (document.title_kk, document.kind) == ("Жаңа", "order")


def test_a_version_is_downloaded_with_its_name_and_type(
    as_user: AsUser, project_office: User, coordinator_a: User
) -> None:
    document = DocumentFactory(created_by=project_office)
    other = DocumentFactory(created_by=project_office)
    content = docx_bytes("Нұсқаулық")
    upload = SimpleUploadedFile("нұсқаулық.docx", content)
    added = as_user(project_office).post(
        f"/api/v1/documents/{document.pk}/versions", {"language": "kk", "file": upload}
    )
    version_id = added.json()["id"]
    reader = as_user(coordinator_a)
    (listed,) = reader.get(f"/api/v1/documents/{document.pk}/versions").json()
    assert listed["file_url"] == f"/api/v1/documents/{document.pk}/versions/{version_id}/file"

    response = reader.get(f"/api/v1/documents/{document.pk}/versions/{version_id}/file")
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    assert response["Content-Disposition"].startswith("attachment;")
    assert "docx" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == content
    # A version is found through its own document only.
    wrong = reader.get(f"/api/v1/documents/{other.pk}/versions/{version_id}/file")
    assert wrong.status_code == 404
    assert wrong.json()["detail"]
    assert (
        as_user(coordinator_a)
        .get(f"/api/v1/documents/{document.pk}/versions/{version_id + 1}/file")
        .status_code
        == 404
    )


def test_the_files_of_an_acknowledgment_are_listed_and_downloaded_by_those_who_see_it(
    as_user: AsUser, project_office: User, district_a: Territory, district_b: Territory
) -> None:
    document = DocumentFactory(created_by=project_office)
    school = OrganizationFactory(kind="school", territory=district_a)
    OrganizationFactory(kind="school", territory=district_b)
    as_user(project_office).post(
        f"/api/v1/documents/{document.pk}/distributions",
        {"organization_kinds": ["school"], "mode": "information"},
        JSON,
    )
    recipient = Recipient.objects.get(organization=school)
    director = as_user(UserFactory(role=Role.INSTITUTION, organization=school))
    content = docx_bytes("Сынып сағаттарында")
    director.post(
        f"/api/v1/acknowledgments/{recipient.pk}",
        {"report": "Қолданамыз", "files": [SimpleUploadedFile("есеп.docx", content)]},
    )
    coordinator_b = as_user(UserFactory(role=Role.COORDINATOR, territory=district_b))

    listed = as_user(project_office).get(f"/api/v1/acknowledgments/{recipient.pk}/files")
    assert listed.status_code == 200
    [file] = listed.json()
    assert file["name"] == "есеп.docx"
    download = as_user(project_office).get(file["download_url"])
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    assert b"".join(download.streaming_content) == content
    assert director.get(file["download_url"]).status_code == 200

    # Another district's coordinator does not see the recipient, nor its files.
    assert coordinator_b.get(f"/api/v1/acknowledgments/{recipient.pk}/files").status_code == 404
    assert coordinator_b.get(file["download_url"]).status_code == 404


def test_a_distribution_is_previewed_without_sending(
    as_user: AsUser,
    project_office: User,
    coordinator_a: User,
    district_a: Territory,
    district_b: Territory,
) -> None:
    document = DocumentFactory(created_by=project_office)
    school = OrganizationFactory(kind="school", territory=district_a)
    OrganizationFactory(kind="school", territory=district_b)
    OrganizationFactory(kind="college", territory=district_a)
    url = f"/api/v1/documents/{document.pk}/distributions/preview"

    response = as_user(project_office).post(
        url, {"organization_kinds": ["school"], "territory": district_a.pk}, JSON
    )
    assert response.status_code == 200, response.content
    assert response.json() == {
        "count": 1,
        "organizations": [{"id": school.pk, "name": school.name}],
    }
    everywhere = as_user(project_office).post(url, {"organization_kinds": ["school"]}, JSON)
    assert everywhere.json()["count"] == 2
    assert not Recipient.objects.exists()
    refused = as_user(coordinator_a).post(url, {"organization_kinds": ["school"]}, JSON)
    assert refused.status_code == 403
    assert refused.json()["detail"]
