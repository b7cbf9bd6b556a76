"""The meeting's documents through the API, as its page gives them: the minutes (DOCX to edit,
PDF to sign, in Kazakh or Russian), the extract for one organization, and the files of the
agenda items (uploaded, listed and downloaded through the one attachment mechanism)."""

from __future__ import annotations

import datetime
import io
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from factories import (
    AgendaItemFactory,
    AssignmentFactory,
    DecisionFactory,
    MeetingFactory,
    OrganizationFactory,
    PersonFactory,
    UserFactory,
)
from kense.accounts.models import User
from kense.core.attachments import attach
from kense.core.models import Attachment
from kense.core.permissions import Role
from kense.meetings.models import AgendaItem, Meeting, MeetingState
from kense.registry.models import Organization, Territory

pytestmark = pytest.mark.django_db

AsUser = Callable[..., Client]
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


@pytest.fixture
def coordinator_b(district_b: Territory) -> User:
    return UserFactory(role=Role.COORDINATOR, territory=district_b)


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT  # type: ignore[no-any-return]


@pytest.fixture
def meeting(organization_a: Organization, project_office: User) -> Meeting:
    """A held meeting of district A whose decision became an assignment led by a school."""
    meeting = MeetingFactory(
        organizer=organization_a,
        state=MeetingState.HELD,
        title_kk="Рухани жаңғыру бағдарламасы бойынша кеңес",
        title_ru="Совещание по программе «Рухани жаңғыру»",
    )
    item = AgendaItemFactory(meeting=meeting, order=1)
    decision = DecisionFactory(item=item, number=1, text_kk="Жоспар әзірленсін.")
    school = OrganizationFactory(
        name_kk="№ 5 мектеп", name_ru="Школа № 5", territory=organization_a.territory
    )
    AssignmentFactory(
        decision=decision,
        meeting=meeting,
        lead_organization=school,
        controller=project_office,
        created_by=project_office,
        deadline=datetime.date(2021, 3, 1),
    )
    return meeting


def docx_text(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as document:
        return document.read("word/document.xml").decode()


def filename(response: Any) -> str:
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    return disposition.split("filename=")[1].strip('"')


# ---------------------------------------------------------------------------------------------
# The minutes and the extract
# ---------------------------------------------------------------------------------------------


def test_the_minutes_as_docx_in_kazakh(as_user: AsUser, observer: User, meeting: Meeting) -> None:
    response = as_user(observer).get(
        f"/api/v1/meetings/{meeting.pk}/minutes", {"format": "docx", "language": "kk"}
    )

    assert response.status_code == 200
    assert response["Content-Type"] == DOCX
    assert filename(response) == "minutes-2021-02-15-kk.docx"
    text = docx_text(response.content)
    assert "ХАТТАМА" in text
    assert "Жоспар әзірленсін." in text


def test_the_minutes_as_pdf_in_russian(as_user: AsUser, observer: User, meeting: Meeting) -> None:
    response = as_user(observer).get(
        f"/api/v1/meetings/{meeting.pk}/minutes", {"format": "pdf", "language": "ru"}
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert filename(response) == "minutes-2021-02-15-ru.pdf"
    assert response.content.startswith(b"%PDF")


def test_the_minutes_are_written_in_kazakh_or_russian_only(
    as_user: AsUser, observer: User, meeting: Meeting
) -> None:
    english = as_user(observer).get(
        f"/api/v1/meetings/{meeting.pk}/minutes", {"format": "docx", "language": "en"}
    )
    odt = as_user(observer).get(f"/api/v1/meetings/{meeting.pk}/minutes", {"format": "odt"})

    assert english.status_code == 422
    assert [error["field"] for error in english.json()["detail"]] == ["language"]
    assert odt.status_code == 422
    assert [error["field"] for error in odt.json()["detail"]] == ["format"]


def test_the_minutes_as_the_page_gives_them_to_whoever_sees_the_meeting(
    client: Client, as_user: AsUser, coordinator_b: User, meeting: Meeting
) -> None:
    url = f"/api/v1/meetings/{meeting.pk}/minutes"

    outside = as_user(coordinator_b).get(url)
    anonymous = client.get(url)

    assert outside.status_code == 404
    assert "detail" in outside.json()
    assert anonymous.status_code == 401


def test_the_extract_for_the_organization_that_leads_an_assignment(
    as_user: AsUser, observer: User, organization_a: Organization, meeting: Meeting
) -> None:
    client = as_user(observer)
    organizations = client.get(f"/api/v1/meetings/{meeting.pk}/extract-organizations")
    [school] = organizations.json()

    russian = client.get(
        f"/api/v1/meetings/{meeting.pk}/extract",
        {"organization": school["id"], "language": "ru"},
    )
    not_concerned = client.get(
        f"/api/v1/meetings/{meeting.pk}/extract", {"organization": organization_a.pk}
    )

    assert school["name"] == "№ 5 мектеп"
    assert russian.status_code == 200
    assert russian["Content-Type"] == DOCX
    assert filename(russian) == f"extract-2021-02-15-{school['id']}-ru.docx"
    assert "ВЫПИСКА ИЗ ПРОТОКОЛА" in docx_text(russian.content)
    assert not_concerned.status_code == 422
    assert [error["field"] for error in not_concerned.json()["detail"]] == ["organization"]


def test_the_documents_are_binary_answers_in_the_openapi_document(client: Client) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    minutes = paths["/api/v1/meetings/{meeting_id}/minutes"]["get"]["responses"]["200"]
    extract = paths["/api/v1/meetings/{meeting_id}/extract"]["get"]["responses"]["200"]

    assert set(minutes["content"]) == {DOCX, "application/pdf"}
    assert minutes["content"]["application/pdf"]["schema"]["format"] == "binary"
    assert set(extract["content"]) == {DOCX}


# ---------------------------------------------------------------------------------------------
# The files of an agenda item
# ---------------------------------------------------------------------------------------------


def _item(meeting: Meeting) -> AgendaItem:
    return meeting.items.get()


def test_an_agenda_item_takes_a_file_listed_and_downloaded(
    as_user: AsUser, coordinator_a: User, observer: User, meeting: Meeting, media: Path
) -> None:
    item = _item(meeting)
    url = f"/api/v1/meetings/{meeting.pk}/items/{item.pk}/attachments"

    uploaded = as_user(coordinator_a).post(
        url, {"file": SimpleUploadedFile("баяндама.pdf", PDF, "application/pdf")}
    )
    listed = as_user(observer).get(url)

    assert uploaded.status_code == 201, uploaded.json()
    body = uploaded.json()
    assert body["name"] == "баяндама.pdf"
    assert body["mime_type"] == "application/pdf"
    assert body["uploaded_by"]["id"] == coordinator_a.pk
    assert listed.json() == [body]
    download = as_user(observer).get(body["download_url"])
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert "attachment" in download["Content-Disposition"]
    assert b"".join(download.streaming_content) == PDF


def test_a_refused_file_is_named_under_file_and_nothing_is_stored(
    as_user: AsUser, coordinator_a: User, meeting: Meeting, media: Path
) -> None:
    item = _item(meeting)
    executable = b"MZ\x90\x00\x03\x00\x00\x00 This program cannot be run in DOS mode."

    response = as_user(coordinator_a).post(
        f"/api/v1/meetings/{meeting.pk}/items/{item.pk}/attachments",
        {"file": SimpleUploadedFile("report.pdf", executable, "application/pdf")},
    )

    assert response.status_code == 422
    assert [error["field"] for error in response.json()["detail"]] == ["file"]
    assert not Attachment.objects.exists()
    assert not [path for path in media.rglob("*") if path.is_file()]


def test_files_are_attached_as_on_the_page(
    as_user: AsUser, observer: User, coordinator_a: User, meeting: Meeting, media: Path
) -> None:
    item = _item(meeting)
    url = f"/api/v1/meetings/{meeting.pk}/items/{item.pk}/attachments"
    pdf = SimpleUploadedFile("note.pdf", PDF, "application/pdf")

    by_observer = as_user(observer).post(url, {"file": pdf})
    Meeting.objects.filter(pk=meeting.pk).update(state=MeetingState.APPROVED)
    pdf.seek(0)
    approved = as_user(coordinator_a).post(url, {"file": pdf})

    assert by_observer.status_code == 403
    assert approved.status_code == 422  # approved minutes are locked
    assert "detail" in approved.json()
    assert not Attachment.objects.exists()


def test_a_file_is_found_only_through_its_item(
    as_user: AsUser, coordinator_a: User, meeting: Meeting, media: Path
) -> None:
    item = _item(meeting)
    other = AgendaItemFactory(meeting=meeting, order=2)
    client = as_user(coordinator_a)
    uploaded = client.post(
        f"/api/v1/meetings/{meeting.pk}/items/{item.pk}/attachments",
        {"file": SimpleUploadedFile("note.pdf", PDF, "application/pdf")},
    ).json()

    through_other = client.get(
        f"/api/v1/meetings/{meeting.pk}/items/{other.pk}/attachments/{uploaded['id']}"
    )

    assert through_other.status_code == 404


def test_the_files_list_does_not_grow_in_queries_with_its_files(
    as_user: AsUser,
    coordinator_a: User,
    meeting: Meeting,
    media: Path,
    django_assert_num_queries: Any,
) -> None:
    item = _item(meeting)
    url = f"/api/v1/meetings/{meeting.pk}/items/{item.pk}/attachments"
    client = as_user(coordinator_a)

    def upload(n: int) -> None:
        for _ in range(n):
            uploader = UserFactory(role=Role.COORDINATOR, person=PersonFactory())
            attach(item, [SimpleUploadedFile("a.pdf", PDF, "application/pdf")], user=uploader)

    upload(2)
    # the token, the meeting, the item, the files, their uploaders with their people (and the
    # scope's one query); the content type is cached
    cache.clear()  # counted cold: what is kept between requests is read afresh
    with django_assert_num_queries(6):
        few = client.get(url)
    upload(5)
    cache.clear()  # counted cold: what is kept between requests is read afresh
    with django_assert_num_queries(6):
        many = client.get(url)

    assert len(few.json()) == 2
    assert len(many.json()) == 7
