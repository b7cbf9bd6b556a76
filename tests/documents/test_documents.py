"""The document library as people use it: versions checked by content and searched by their
words, distribution to an audience, acknowledgment, tracking and reminders."""

from __future__ import annotations

import datetime
import io
import shutil
from pathlib import Path
from typing import Any
from unittest import mock

import docx
import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook
from tests.bombs import docx_bomb

from core.test_filters import assert_page_filters_are_the_api_parameters
from factories import DocumentFactory, OrganizationFactory, TerritoryFactory, UserFactory
from kense.accounts.models import User
from kense.core.daily import daily_control
from kense.core.permissions import Action, Role
from kense.documents import selectors, services
from kense.documents.models import (
    Distribution,
    Document,
    DocumentReminder,
    DocumentVersion,
    Recipient,
)
from kense.documents.reminders import send_reminders
from kense.registry.models import Organization, OrganizationKind, Territory, TerritoryKind

pytestmark = pytest.mark.django_db

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture(autouse=True)
def _in_kazakh_pages(settings: Any, tmp_path: Any) -> Any:
    """Pages under /kk/, files in a temporary folder."""
    settings.MEDIA_ROOT = tmp_path
    with translation.override("kk"):
        yield


def docx_file(text: str, name: str = "guide.docx") -> SimpleUploadedFile:
    document = docx.Document()
    for paragraph in text.split("\n"):
        document.add_paragraph(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=DOCX)


def pdf_file(text: str) -> SimpleUploadedFile:
    """A one-page PDF showing `text` (ASCII) in Helvetica, written by hand."""
    stream = b"BT /F1 12 Tf 10 50 Td (" + text.encode("ascii") + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 100] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    content, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, 1):
        offsets.append(len(content))
        content += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(content)
    content += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    content += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    content += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return SimpleUploadedFile("guide.pdf", content, content_type="application/pdf")


@pytest.fixture
def region(db: Any) -> Territory:
    return TerritoryFactory(name_kk="Қарағанды облысы", kind=TerritoryKind.REGION)


@pytest.fixture
def district_a(region: Territory) -> Territory:
    return TerritoryFactory(name_kk="Абай ауданы", parent=region, kind=TerritoryKind.DISTRICT)


@pytest.fixture
def district_b(region: Territory) -> Territory:
    return TerritoryFactory(name_kk="Бұқар жырау ауданы", parent=region)


@pytest.fixture
def office(region: Territory) -> User:
    return UserFactory(role=Role.PROJECT_OFFICE, territory=region)


@pytest.fixture
def school_a(district_a: Territory) -> Organization:
    return OrganizationFactory(name_kk="№1 мектеп", kind="school", territory=district_a)


@pytest.fixture
def others(region: Territory, district_a: Territory, district_b: Territory) -> dict[str, Any]:
    """Organizations that a "schools and colleges of district A" audience must not reach."""
    return {
        "school_b": OrganizationFactory(kind="school", territory=district_b),
        "college_b": OrganizationFactory(kind="college", territory=district_b),
        "culture_a": OrganizationFactory(kind="culture", territory=district_a),
        "akimat_a": OrganizationFactory(kind="akimat", territory=district_a),
        "department": OrganizationFactory(kind="department", territory=region),
    }


@pytest.fixture
def college_a(district_a: Territory) -> Organization:
    return OrganizationFactory(name_kk="Абай колледжі", kind="college", territory=district_a)


@pytest.fixture
def document(office: User) -> Document:
    return DocumentFactory(created_by=office, title_kk="Тұлғатану әдістемесі")


def send_to_schools_and_colleges(
    document: Document, office: User, district: Territory, **kwargs: Any
) -> Distribution:
    return services.distribution_send(
        document,
        user=office,
        organization_kinds=["school", "college"],
        territory=district,
        mode=kwargs.pop("mode", "mandatory"),
        deadline=kwargs.pop("deadline", datetime.date(2020, 4, 21)),
        **kwargs,
    )


def client_of(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- versions and search -------------------------------------------------------------------


def test_a_file_lying_about_its_type_is_refused(document: Document, office: User) -> None:
    liar = SimpleUploadedFile("guide.pdf", b"MZ\x90\x00 not a pdf at all", "application/pdf")

    with pytest.raises(ValidationError) as error:
        services.version_add(document, user=office, upload=liar, language="kk")

    assert "file" in error.value.message_dict
    assert not DocumentVersion.objects.exists()


def test_a_file_lying_about_its_type_is_refused_on_the_upload_page(
    document: Document, office: User
) -> None:
    text = SimpleUploadedFile("guide.docx", b"just text", "text/plain")
    response = client_of(office).post(
        reverse("documents:version_upload", args=[document.pk]),
        {"language": "ru", "file": text, "change_note": ""},
    )

    assert response.status_code == 400
    assert not DocumentVersion.objects.exists()


def test_a_docx_zip_bomb_is_refused_on_the_upload_page_and_by_the_api(
    document: Document, office: User
) -> None:
    client = client_of(office)
    page = client.post(
        reverse("documents:version_upload", args=[document.pk]),
        {"language": "kk", "file": SimpleUploadedFile("guide.docx", docx_bomb(), DOCX)},
    )
    api = client.post(
        f"/api/v1/documents/{document.pk}/versions",
        {"language": "kk", "file": SimpleUploadedFile("guide.docx", docx_bomb(), DOCX)},
    )

    assert page.status_code == 400
    assert "guide.docx файлы өз көлемінен " in page.content.decode()
    assert api.status_code == 422
    assert "«zip-бомба»" in str(api.json())
    assert not DocumentVersion.objects.exists()


def test_a_docx_whose_xml_is_too_large_to_parse_is_stored_but_not_searched_by_its_text(
    document: Document, office: User, settings: Any
) -> None:
    settings.KENSE_ZIP_MAX_XML_BYTES = 100_000
    upload = SimpleUploadedFile("guide.docx", docx_bomb(text="патриоттық"), DOCX)
    settings.KENSE_ZIP_MAX_RATIO = 10_000  # not a bomb by its ratio: an enormous document

    version = services.version_add(document, user=office, upload=upload, language="kk")

    assert version.file
    assert version.extracted_text == ""


def test_the_words_of_a_docx_version_are_found_by_search(
    document: Document, office: User, school_a: Organization
) -> None:
    upload = docx_file("Ұлттық құндылықтар\nЖастарды патриоттық тәрбиелеу бағдарламасы")

    version = services.version_add(
        document, user=office, upload=upload, language="kk", change_note="Бірінші нұсқа"
    )

    assert version.number == 1
    assert "патриоттық" in version.extracted_text
    other = DocumentFactory(created_by=office)
    school_user = UserFactory(role=Role.INSTITUTION, organization=school_a)
    # Whatever the case and the kk/ru spelling: «ПАТРИОТТЫК» finds «патриоттық».
    assert list(selectors.document_list(school_user, {"q": "ПАТРИОТТЫК"})) == [document]
    assert list(selectors.document_list(school_user, {"q": "тәрбие"})) == [document]
    assert list(selectors.document_list(school_user, {"language": "ru"})) == []
    assert other not in selectors.document_list(school_user, {"q": "құндылық"})
    response = client_of(school_user).get(reverse("documents:library"), {"q": "патриот"})
    assert document.title_kk in response.content.decode()


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed")
def test_the_words_of_a_pdf_version_are_found_by_search(document: Document, office: User) -> None:
    services.version_add(
        document, user=office, upload=pdf_file("Volunteer handbook"), language="ru"
    )

    assert list(selectors.document_list(office, {"q": "volunteer"})) == [document]


def test_versions_are_numbered_per_language(document: Document, office: User) -> None:
    first = services.version_add(document, user=office, upload=docx_file("a"), language="kk")
    second = services.version_add(document, user=office, upload=docx_file("b"), language="kk")
    russian = services.version_add(document, user=office, upload=docx_file("в"), language="ru")

    assert (first.number, second.number, russian.number) == (1, 2, 1)
    response = client_of(office).get(
        reverse("documents:version_download", args=[document.pk, second.pk])
    )
    assert response.status_code == 200


def test_a_version_refused_after_its_file_is_written_leaves_no_file(
    document: Document, office: User, settings: Any
) -> None:
    refusal = ValidationError({"change_note": "refused after the file was written"})

    with (
        mock.patch.object(DocumentVersion, "full_clean", side_effect=refusal),
        pytest.raises(ValidationError),
    ):
        services.version_add(document, user=office, upload=docx_file("a"), language="kk")

    assert not DocumentVersion.objects.exists()
    assert [path for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file()] == []


# --- scope ---------------------------------------------------------------------------------


def test_the_library_offers_the_filters_the_api_takes(office: User) -> None:
    assert_page_filters_are_the_api_parameters(
        client_of(office), "documents:library", "/api/v1/documents"
    )


def test_the_library_filters_by_author_and_exports_the_same_rows(
    office: User, region: Territory
) -> None:
    centre = OrganizationFactory(territory=region, name_kk="Рухани жаңғыру орталығы")
    by_centre = DocumentFactory(created_by=office, author_organization=centre)
    DocumentFactory(created_by=office, title_kk="Басқа құжат")
    client = client_of(office)
    url = reverse("documents:library")

    page = client.get(url, {"author": "руха"})
    export = client.get(url, {"author": "руха", "export": "xlsx"})

    assert [obj for obj, _cells in page.context["rows"]] == [by_centre]
    sheet = load_workbook(io.BytesIO(export.content)).active
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == [by_centre.title]


def test_everyone_reads_the_library_and_only_the_project_office_writes(
    document: Document, school_a: Organization, office: User
) -> None:
    institution = UserFactory(role=Role.INSTITUTION, organization=school_a)

    assert list(Document.objects.restrict(institution)) == [document]
    assert not Document.objects.restrict(institution, Action.CHANGE).exists()
    client = client_of(institution)
    assert client.get(reverse("documents:document_detail", args=[document.pk])).status_code == 200
    assert client.get(reverse("documents:document_add")).status_code == 403
    assert client.get(reverse("documents:distribution_send", args=[document.pk])).status_code == 403
    with pytest.raises(PermissionDenied):
        services.version_add(document, user=institution, upload=docx_file("x"), language="kk")


def test_the_project_office_adds_a_document(office: User, region: Territory) -> None:
    centre = OrganizationFactory(name_kk="«Тұлғатану» орталығы", kind="research", territory=region)
    response = client_of(office).post(
        reverse("documents:document_add"),
        {
            "title_kk": "Әдістемелік ұсыным",
            "title_ru": "Методические рекомендации",
            "kind": "guideline",
            "author_organization": centre.pk,
        },
    )

    document = Document.objects.get()
    assert response.status_code == 302
    assert document.author == centre
    assert document.created_by == office


# --- distribution --------------------------------------------------------------------------


def test_sending_to_schools_and_colleges_of_district_a_reaches_exactly_those(
    document: Document,
    office: User,
    district_a: Territory,
    school_a: Organization,
    college_a: Organization,
    others: dict[str, Any],
) -> None:
    nested = TerritoryFactory(parent=district_a, kind=TerritoryKind.RURAL_DISTRICT)
    village_school = OrganizationFactory(kind="school", territory=nested)

    distribution = send_to_schools_and_colleges(document, office, district_a)

    reached = {recipient.organization for recipient in distribution.recipients.all()}
    assert reached == {school_a, college_a, village_school}
    # Frozen at sending: a school opened afterwards is not a recipient.
    OrganizationFactory(kind="school", territory=district_a)
    assert distribution.recipients.count() == 3


def test_akimats_are_those_of_districts_and_cities(
    document: Document, office: User, region: Territory, district_a: Territory
) -> None:
    district_akimat = OrganizationFactory(kind="akimat", territory=district_a)
    OrganizationFactory(kind="akimat", territory=region)  # the region's own akimat

    distribution = services.distribution_send(
        document, user=office, organization_kinds=["akimat"], mode="information"
    )

    assert [r.organization for r in distribution.recipients.all()] == [district_akimat]


def test_an_empty_audience_or_a_mandatory_one_without_deadline_is_refused(
    document: Document, office: User, district_b: Territory, school_a: Organization
) -> None:
    with pytest.raises(ValidationError):
        services.distribution_send(
            document,
            user=office,
            organization_kinds=["university"],
            territory=district_b,
            mode="information",
        )
    with pytest.raises(ValidationError) as error:
        services.distribution_send(
            document, user=office, organization_kinds=["school"], mode="mandatory"
        )
    assert "deadline" in error.value.message_dict
    assert not Distribution.objects.exists()


def test_the_send_page_previews_then_sends(
    document: Document,
    office: User,
    district_a: Territory,
    school_a: Organization,
    college_a: Organization,
    others: dict[str, Any],
) -> None:
    url = reverse("documents:distribution_send", args=[document.pk])
    data = {
        "organization_kinds": ["school", "college"],
        "territory": district_a.pk,
        "mode": "mandatory",
        "deadline": "2020-04-21",
    }
    client = client_of(office)

    preview = client.post(url, {**data, "preview": "1"})
    assert preview.status_code == 200
    assert {o.pk for o in preview.context["preview"]} == {school_a.pk, college_a.pk}
    assert not Distribution.objects.exists()

    sent = client.post(url, {**data, "send": "1"})
    assert sent.status_code == 302
    assert Recipient.objects.count() == 2


# --- acknowledgment ------------------------------------------------------------------------


def test_the_recipient_acknowledges_and_another_organization_cannot(
    document: Document,
    office: User,
    district_a: Territory,
    school_a: Organization,
    college_a: Organization,
) -> None:
    distribution = send_to_schools_and_colleges(document, office, district_a, report_requested=True)
    recipient = distribution.recipients.get(organization=school_a)
    director = UserFactory(role=Role.INSTITUTION, organization=school_a)
    stranger = UserFactory(role=Role.INSTITUTION, organization=college_a)
    url = reverse("documents:acknowledge", args=[recipient.pk])

    assert client_of(stranger).get(url).status_code == 404
    assert client_of(stranger).post(url, {"report": "x"}).status_code == 404
    with pytest.raises(PermissionDenied):
        services.acknowledge(recipient, user=stranger, report="x")
    # A report was asked for: acknowledging without one is refused.
    assert client_of(director).post(url, {"report": ""}).status_code == 400

    report = docx_file("Сынып сағаттарында қолданылады", name="есеп.docx")
    response = client_of(director).post(
        url, {"report": "Сынып сағаттарында", "attachments": report}
    )

    assert response.status_code == 302
    recipient.refresh_from_db()
    assert recipient.acknowledged_by == director
    assert recipient.acknowledged_at is not None
    assert recipient.report == "Сынып сағаттарында"
    page = client_of(office).get(url)
    assert "есеп.docx" in page.content.decode()
    assert list(selectors.inbox(director)) == [recipient]
    with pytest.raises(ValidationError):
        services.acknowledge(recipient, user=director)


# --- tracking ------------------------------------------------------------------------------


def test_tracking_counts_acknowledged_not_yet_and_overdue(
    document: Document,
    office: User,
    region: Territory,
    district_a: Territory,
    district_b: Territory,
    school_a: Organization,
    college_a: Organization,
) -> None:
    school_b = OrganizationFactory(kind="school", territory=district_b)
    late = send_to_schools_and_colleges(
        document, office, district_a, deadline=datetime.date(2020, 4, 1)
    )
    services.distribution_send(
        document,
        user=office,
        organization_kinds=["school"],
        territory=district_b,
        mode="mandatory",
        deadline=datetime.date(2020, 5, 1),
    )
    director = UserFactory(role=Role.INSTITUTION, organization=school_a)
    services.acknowledge(late.recipients.get(organization=school_a), user=director)

    result = selectors.tracking(document, office, datetime.date(2020, 4, 15))

    total = result.total
    assert (total.acknowledged, total.pending, total.overdue, total.total) == (1, 1, 1, 3)
    by_territory = {t.label: (t.acknowledged, t.pending, t.overdue) for t in result.by_territory}
    assert by_territory == {district_a: (1, 0, 1), district_b: (0, 1, 0)}
    by_kind = {str(t.label): (t.acknowledged, t.pending, t.overdue) for t in result.by_kind}
    school, college = str(OrganizationKind.SCHOOL.label), str(OrganizationKind.COLLEGE.label)
    assert by_kind == {school: (1, 1, 0), college: (0, 0, 1)}
    # An organization sees only its own line.
    mine = selectors.tracking(document, director, datetime.date(2020, 4, 15))
    assert [recipient.organization for recipient, _state in mine.rows] == [school_a]
    assert school_b in {recipient.organization for recipient, _state in result.rows}


# --- reminders -----------------------------------------------------------------------------


def test_reminders_go_exactly_once(
    settings: Any,
    django_capture_on_commit_callbacks: Any,
    document: Document,
    office: User,
    district_a: Territory,
    school_a: Organization,
    college_a: Organization,
) -> None:
    settings.TASKS = IMMEDIATE
    settings.KENSE_REMINDER_DAYS_BEFORE = (3, 1)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    deadline = datetime.date(2020, 4, 21)
    distribution = send_to_schools_and_colleges(document, office, district_a, deadline=deadline)
    director = UserFactory(role=Role.INSTITUTION, organization=school_a, language="ru")
    UserFactory(role=Role.INSTITUTION, organization=school_a, email="")  # no address
    college_user = UserFactory(role=Role.INSTITUTION, organization=college_a)
    services.acknowledge(distribution.recipients.get(organization=college_a), user=college_user)

    def run(day: datetime.date) -> int:
        with django_capture_on_commit_callbacks(execute=True):
            return send_reminders(day)

    assert run(deadline - datetime.timedelta(days=2)) == 0  # not a reminder day
    assert run(deadline - datetime.timedelta(days=3)) == 1
    assert run(deadline - datetime.timedelta(days=3)) == 0  # twice run → one letter
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [director.email]
    assert document.title_ru in mail.outbox[0].subject  # in the director's language
    assert run(deadline + datetime.timedelta(days=1)) == 1  # overdue
    assert run(deadline + datetime.timedelta(days=5)) == 0  # overdue goes once per deadline
    assert len(mail.outbox) == 2
    assert DocumentReminder.objects.count() == 2


def test_the_daily_control_sends_the_document_reminders(
    settings: Any,
    django_capture_on_commit_callbacks: Any,
    document: Document,
    office: User,
    district_a: Territory,
    school_a: Organization,
) -> None:
    settings.TASKS = IMMEDIATE
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    deadline = datetime.date(2020, 4, 21)
    send_to_schools_and_colleges(document, office, district_a, deadline=deadline)
    director = UserFactory(role=Role.INSTITUTION, organization=school_a, language="ru")

    with django_capture_on_commit_callbacks(execute=True):
        first = daily_control.call((deadline + datetime.timedelta(days=1)).isoformat())
        again = daily_control.call((deadline + datetime.timedelta(days=1)).isoformat())

    assert (first["document_reminders"], again["document_reminders"]) == (1, 0)
    (letter,) = mail.outbox
    assert letter.to == [director.email]
    assert DocumentReminder.objects.get().kind == "overdue"
