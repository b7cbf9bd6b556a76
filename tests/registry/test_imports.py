"""Importing organizations and people from Excel: all rows or none, every error by row and
column, files refused for what they are, and only where the user may write."""

from __future__ import annotations

import datetime
import io
from collections.abc import Sequence
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook, load_workbook
from tests.bombs import xlsx_bomb

from factories import OrganizationFactory, PositionFactory, TerritoryFactory, UserFactory
from kense.accounts.models import User
from kense.core.exports import XLSX
from kense.core.permissions import Role
from kense.registry.imports import KINDS, RowError
from kense.registry.models import (
    Appointment,
    Employment,
    Organization,
    OrganizationKind,
    Person,
    Position,
    Territory,
    TerritoryKind,
)

pytestmark = pytest.mark.django_db

ORGANIZATION_KEYS = [column.key for column in KINDS["organizations"].columns]
PERSON_KEYS = [column.key for column in KINDS["people"].columns]


@pytest.fixture
def region() -> Territory:
    return TerritoryFactory.create(
        name_kk="Қарағанды облысы",
        name_ru="Карагандинская область",
        kind=TerritoryKind.REGION,
        kato="350000000",
    )


@pytest.fixture
def nura(region: Territory) -> Territory:
    return TerritoryFactory.create(
        name_kk="Нұра ауданы", name_ru="Нуринский район", parent=region, kato="354400000"
    )


@pytest.fixture
def shet(region: Territory) -> Territory:
    return TerritoryFactory.create(
        name_kk="Шет ауданы", name_ru="Шетский район", parent=region, kato="355600000"
    )


@pytest.fixture
def project_office(region: Territory) -> User:
    return UserFactory.create(role=Role.PROJECT_OFFICE, territory=region)


@pytest.fixture
def coordinator(nura: Territory) -> User:
    return UserFactory.create(role=Role.COORDINATOR, territory=nura)


def url(kind: str) -> str:
    with translation.override("en"):
        return reverse("registry:import", args=[kind])


def as_user(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def workbook_bytes(
    keys: Sequence[str], rows: Sequence[Sequence[Any]], titles: Sequence[str] | None = None
) -> bytes:
    """A workbook laid out as the template: titles, the machine keys, then the rows."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(titles if titles is not None else keys))
    sheet.append(list(keys))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def organization_row(**values: Any) -> list[Any]:
    return [values.get(key) for key in ORGANIZATION_KEYS]


def person_row(**values: Any) -> list[Any]:
    return [values.get(key) for key in PERSON_KEYS]


def upload(client: Client, kind: str, content: bytes, name: str = "import.xlsx") -> Any:
    return client.post(url(kind), {"file": SimpleUploadedFile(name, content, content_type=XLSX)})


def errors_of(response: Any) -> list[RowError]:
    return list(response.context["row_errors"])


def file_errors(response: Any) -> list[str]:
    return list(response.context["form"].errors.get("file", []))


# The page and the template


def test_page_shows_the_columns_the_template_link_and_the_upload_form(
    project_office: User,
) -> None:
    response = as_user(project_office).get(url("organizations"))

    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="?template=1"' in html
    assert 'type="file"' in html and 'enctype="multipart/form-data"' in html
    assert "Name in Kazakh" in html and "Parent organization" in html


def test_template_has_translated_titles_hidden_keys_instructions_and_lists(
    project_office: User, nura: Territory
) -> None:
    client = as_user(project_office)
    with translation.override("ru"):
        response = client.get(reverse("registry:import", args=["organizations"]), {"template": 1})

    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert "organizations-template.xlsx" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.worksheets[0]
    assert [cell.value for cell in sheet[2]] == ORGANIZATION_KEYS
    assert sheet.row_dimensions[2].hidden
    assert str(sheet["A1"].value).endswith(" *")  # name_kk is required
    assert len(workbook.sheetnames) == 3
    lists = workbook["lists"]
    assert lists.sheet_state == "hidden"
    listed = {cell.value for column in lists.iter_cols() for cell in column}
    assert "Нуринский район" in listed  # territories in the user's language
    validated = {str(validation.sqref) for validation in sheet.data_validations.dataValidation}
    assert any(ref.startswith("F3:") for ref in validated)  # kind
    assert any(ref.startswith("G3:") for ref in validated)  # territory


def test_downloaded_template_filled_in_imports_organizations(
    project_office: User, nura: Territory
) -> None:
    client = as_user(project_office)
    template = client.get(url("organizations"), {"template": 1}).content
    workbook = load_workbook(io.BytesIO(template))
    sheet = workbook.worksheets[0]
    sheet.append(
        organization_row(
            name_kk="Нұра ауданының әкімдігі",
            name_ru="Акимат Нуринского района",
            kind="Akimat",
            territory="Нуринский район",
            bin=51140000656,  # typed as a number: Excel dropped the leading zero
            aliases="Нұра әкімдігі; Акимат Нуры ;",
            website="https://nura.example.kz",
        )
    )
    sheet.append([])  # empty rows are skipped
    sheet.append(
        organization_row(
            name_kk="Нұра ауданының мәдениет бөлімі",
            name_ru="Отдел культуры Нуринского района",
            kind="division",
            territory="354400000",
            parent="Нұра ауданының әкімдігі",  # a row above
        )
    )
    buffer = io.BytesIO()
    workbook.save(buffer)

    response = upload(client, "organizations", buffer.getvalue())

    assert response.status_code == 302
    assert response["Location"].endswith(reverse("registry:organization_list"))
    akimat = Organization.objects.get(name_kk="Нұра ауданының әкімдігі")
    assert akimat.name_ru == "Акимат Нуринского района"  # type: ignore[attr-defined]
    assert akimat.kind == OrganizationKind.AKIMAT
    assert akimat.territory == nura
    assert akimat.bin == "051140000656"
    assert akimat.aliases == ["Нұра әкімдігі", "Акимат Нуры"]
    assert akimat.history.get().history_user == project_office  # type: ignore[attr-defined]
    division = Organization.objects.get(name_ru="Отдел культуры Нуринского района")
    assert division.parent == akimat
    assert division.kind == OrganizationKind.DIVISION
    assert division.path.startswith(akimat.path)
    messages = [str(message) for message in response.wsgi_request._messages]  # type: ignore[attr-defined]
    assert messages == ["2 organizations imported."]


def test_people_import_sets_both_languages_aliases_and_the_current_post(
    project_office: User, nura: Territory
) -> None:
    akimat = OrganizationFactory(
        name_kk="Нұра ауданының әкімдігі", name_ru="Акимат Нуринского района", territory=nura
    )
    deputy = PositionFactory(
        code="deputy_akim", name_kk="Әкімнің орынбасары", name_ru="Заместитель акима"
    )
    content = workbook_bytes(
        PERSON_KEYS,
        [
            person_row(
                surname_kk="Нүкенов",
                given_name_kk="Абзал",
                surname_ru="Нукенов",
                given_name_ru="Абзал",
                aliases="НҮКЕНОВ;Nükenov",
                territory="Нұра ауданы",
                organization="Акимат Нуринского района",
                position="deputy_akim",
                start=datetime.datetime(2020, 1, 15),
                employment="part-time",  # neither staff nor non-staff: refused below
            ),
            person_row(
                surname_kk="Әбішева",
                given_name_kk="Гүлмира",
                surname_ru="Абишева",
                given_name_ru="Гульмира",
                academic_degree_ru="кандидат экономических наук",
            ),
        ],
    )
    client = as_user(project_office)

    refused = upload(client, "people", content)

    assert refused.status_code == 400
    assert [(e.row, e.column) for e in errors_of(refused)] == [(3, "Employment")]
    assert not Person.objects.exists()

    workbook = load_workbook(io.BytesIO(content))
    workbook.active.cell(row=3, column=PERSON_KEYS.index("employment") + 1, value="Non-staff")
    workbook.active.cell(row=3, column=PERSON_KEYS.index("start") + 1, value="15.01.2020")
    buffer = io.BytesIO()
    workbook.save(buffer)

    response = upload(client, "people", buffer.getvalue())

    assert response.status_code == 302, errors_of(response)
    nukenov = Person.objects.get(surname_kk="Нүкенов")
    assert nukenov.surname_ru == "Нукенов"  # type: ignore[attr-defined]
    assert nukenov.aliases == ["НҮКЕНОВ", "Nükenov"]
    assert nukenov.territory == nura
    appointment = Appointment.objects.get(person=nukenov)
    assert appointment.organization == akimat
    assert appointment.position == deputy
    assert appointment.start == datetime.date(2020, 1, 15)
    assert appointment.employment == Employment.NON_STAFF
    assert appointment.history.get().history_user == project_office  # type: ignore[attr-defined]
    abisheva = Person.objects.get(surname_kk="Әбішева")
    assert abisheva.academic_degree_ru == "кандидат экономических наук"  # type: ignore[attr-defined]
    assert abisheva.territory == project_office.territory  # the person form's default
    assert not abisheva.appointments.exists()


def test_round_trip_of_a_workbook_built_elsewhere_with_columns_moved_and_some_dropped(
    project_office: User, nura: Territory
) -> None:
    keys = ["territory", "kind", "name_ru", "name_kk", "bin"]
    content = workbook_bytes(
        keys,
        [["Нұра ауданы", "School", "Школа №1", "№1 мектеп", "123456789012"]],
        titles=["whatever", "the", "titles", "say", "here"],
    )

    response = upload(as_user(project_office), "organizations", content)

    assert response.status_code == 302, errors_of(response)
    school = Organization.objects.get(bin="123456789012")
    assert school.name_kk == "№1 мектеп"  # type: ignore[attr-defined]
    assert school.kind == OrganizationKind.SCHOOL


# All or nothing


def test_one_bad_row_among_good_ones_saves_nothing_and_names_its_row_and_column(
    project_office: User, nura: Territory
) -> None:
    content = workbook_bytes(
        ORGANIZATION_KEYS,
        [
            organization_row(name_kk="Бір", name_ru="Один", kind="other", territory="Нұра ауданы"),
            organization_row(name_kk="Екі", name_ru="Два", kind="other", territory="Атлантида"),
            organization_row(name_kk="Үш", name_ru="Три", kind="other", territory="Нұра ауданы"),
        ],
    )

    response = upload(as_user(project_office), "organizations", content)

    assert response.status_code == 400
    assert not Organization.objects.exists()
    assert errors_of(response) == [
        RowError(4, "Territory", "There is no territory «Атлантида» among those you may see.")
    ]
    html = response.content.decode()
    assert "nothing was imported" in html and "Атлантида" in html


def test_every_error_of_every_row_is_reported(
    project_office: User, nura: Territory, shet: Territory
) -> None:
    OrganizationFactory(name_kk="Бар ұйым", territory=nura, bin="111111111111")
    content = workbook_bytes(
        ORGANIZATION_KEYS,
        [
            organization_row(name_kk="Бір", kind="nonsense", territory="Нұра", email="not-mail"),
            organization_row(name_ru="Два", kind="other", territory="Шет ауданы", bin="12"),
            organization_row(
                name_kk="Үш", name_ru="Три", kind="other", territory=nura.kato, bin="222222222222"
            ),
            organization_row(
                name_kk="үш", name_ru="Три", kind="other", territory=nura.kato, bin="222222222222"
            ),
            organization_row(
                name_kk="Төрт",
                name_ru="Четыре",
                kind="other",
                territory=nura.kato,
                bin=111111111111,
            ),
        ],
    )

    response = upload(as_user(project_office), "organizations", content)

    assert response.status_code == 400
    assert Organization.objects.count() == 1
    found = {(error.row, error.column) for error in errors_of(response)}
    assert found == {
        (3, "Name in Russian"),
        (3, "Type"),
        (3, "Territory"),
        (3, "E-mail"),
        (4, "Name in Kazakh"),
        (4, "BIN"),
        (6, "Name in Kazakh"),  # same name and territory as row 5
        (6, "BIN"),  # same BIN as row 5
        (7, "BIN"),  # already in the registry
    }
    by_cell = {(error.row, error.column): error.message for error in errors_of(response)}
    assert by_cell[(6, "BIN")] == "The same BIN as in row 5."
    assert by_cell[(3, "Territory")] == "There is no territory «Нұра» among those you may see."


def test_a_territory_named_twice_needs_its_kato_code(
    project_office: User, nura: Territory, shet: Territory
) -> None:
    TerritoryFactory(name_kk="Ақтоғай", name_ru="Актогай", parent=nura, kato="354401000")
    TerritoryFactory(name_kk="Ақтоғай", name_ru="Актогай", parent=shet, kato="355601000")
    rows = [organization_row(name_kk="Мектеп", name_ru="Школа", kind="school", territory="Актогай")]

    response = upload(
        as_user(project_office), "organizations", workbook_bytes(ORGANIZATION_KEYS, rows)
    )

    assert response.status_code == 400
    assert "give the KATO code" in errors_of(response)[0].message


def test_a_bad_post_date_is_an_error_of_its_cell(project_office: User, nura: Territory) -> None:
    OrganizationFactory(name_kk="Әкімдік", territory=nura)
    PositionFactory(code="akim")
    rows = [
        person_row(
            surname_kk="А",
            given_name_kk="Б",
            surname_ru="А",
            given_name_ru="Б",
            organization="Әкімдік",
            position="akim",
            start="2020-01-15",
        )
    ]

    response = upload(as_user(project_office), "people", workbook_bytes(PERSON_KEYS, rows))

    assert response.status_code == 400
    assert errors_of(response) == [
        RowError(3, "Start of the post", "«2020-01-15» is not a date: write it as dd.mm.yyyy.")
    ]
    assert not Person.objects.exists()


# Scope


def test_a_territory_outside_a_coordinators_scope_is_an_error_of_that_row(
    coordinator: User, nura: Territory, shet: Territory
) -> None:
    rows = [
        organization_row(name_kk="Бір", name_ru="Один", kind="other", territory="Нұра ауданы"),
        organization_row(name_kk="Екі", name_ru="Два", kind="other", territory="Шет ауданы"),
        organization_row(name_kk="Үш", name_ru="Три", kind="other", territory=shet.kato),
    ]

    response = upload(
        as_user(coordinator), "organizations", workbook_bytes(ORGANIZATION_KEYS, rows)
    )

    assert response.status_code == 400
    assert [(error.row, error.column) for error in errors_of(response)] == [
        (4, "Territory"),
        (5, "Territory"),
    ]
    assert not Organization.objects.exists()


def test_an_institution_imports_the_people_of_its_own_posts_only(nura: Territory) -> None:
    school = OrganizationFactory(name_kk="Нұра мектебі", territory=nura)
    PositionFactory(code="teacher")
    institution = UserFactory.create(role=Role.INSTITUTION, organization=school)
    names = {"surname_kk": "А", "given_name_kk": "Б", "surname_ru": "А", "given_name_ru": "Б"}
    with_post = person_row(
        **names, organization="Нұра мектебі", position="teacher", start="01.09.2020"
    )
    without_post = person_row(**names, territory="Нұра ауданы")
    client = as_user(institution)

    refused = upload(client, "people", workbook_bytes(PERSON_KEYS, [with_post, without_post]))

    assert refused.status_code == 400
    assert errors_of(refused) == [
        RowError(4, "Territory", "You may not add this person: they would be outside your scope.")
    ]
    assert not Person.objects.exists()

    response = upload(client, "people", workbook_bytes(PERSON_KEYS, [with_post]))

    assert response.status_code == 302, errors_of(response)
    assert Appointment.objects.get().organization == school


def test_the_coordinators_template_lists_only_their_territories(
    coordinator: User, nura: Territory, shet: Territory
) -> None:
    response = as_user(coordinator).get(url("organizations"), {"template": 1})

    lists = load_workbook(io.BytesIO(response.content))["lists"]
    listed = {cell.value for column in lists.iter_cols() for cell in column}
    assert "Нуринский район" in listed  # English falls back to Russian
    assert "Шетский район" not in listed


def test_an_observer_may_not_import(region: Territory) -> None:
    client = as_user(UserFactory.create(role=Role.OBSERVER, territory=region))

    assert client.get(url("organizations")).status_code == 403
    assert client.get(url("people"), {"template": 1}).status_code == 403
    content = workbook_bytes(ORGANIZATION_KEYS, [organization_row(name_kk="Бір")])
    assert upload(client, "organizations", content).status_code == 403


def test_anonymous_users_are_sent_to_log_in_and_unknown_kinds_are_404(
    project_office: User,
) -> None:
    response = Client().get(url("people"))
    assert response.status_code == 302
    assert "login" in response["Location"]

    assert as_user(project_office).get(url("territories")).status_code == 404


# Files refused as a whole


def test_wrong_and_missing_columns_are_named(project_office: User) -> None:
    keys = ["name_kk", "kind", "territory", "colour"]
    content = workbook_bytes(
        keys, [["Бір", "other", "Нұра", "red"]], titles=["a", "b", "c", "Colour"]
    )

    response = upload(as_user(project_office), "organizations", content)

    assert response.status_code == 400
    assert file_errors(response) == [
        "Column D «Colour» is not a column of the template.",
        "Columns missing: «Name in Russian».",
    ]


def test_a_file_without_the_key_row_is_not_the_template(project_office: User) -> None:
    workbook = Workbook()
    workbook.active.append(["Name in Kazakh", "Name in Russian"])
    workbook.active.append(["Бір", "Один"])
    buffer = io.BytesIO()
    workbook.save(buffer)

    response = upload(as_user(project_office), "organizations", buffer.getvalue())

    assert response.status_code == 400
    problems = file_errors(response)
    assert problems[0].startswith("This is not the import template")
    assert "«Name in Kazakh», «Name in Russian», «Type», «Territory»" in problems[1]


def test_a_text_file_renamed_xlsx_is_refused(project_office: User) -> None:
    response = upload(as_user(project_office), "people", "Нүкенов;Абзал\n".encode())

    assert response.status_code == 400
    assert file_errors(response) == [
        "The file is not an Excel workbook (.xlsx). Save it in Excel as «Excel Workbook» and "
        "upload it again."
    ]


def test_a_zip_that_is_not_a_workbook_is_refused(project_office: User) -> None:
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")

    response = upload(as_user(project_office), "people", buffer.getvalue())

    assert response.status_code == 400
    assert "not an Excel workbook" in file_errors(response)[0]


def test_an_oversized_file_is_refused(project_office: User, settings: Any) -> None:
    settings.KENSE_IMPORT_MAX_BYTES = 1024
    content = workbook_bytes(ORGANIZATION_KEYS, [])
    assert len(content) > 1024

    response = upload(as_user(project_office), "organizations", content)

    assert response.status_code == 400
    assert file_errors(response)[0].startswith("The file is too large (")
    assert "the limit is 1.0\xa0KB" in file_errors(response)[0]


def test_too_many_rows_are_refused(project_office: User, nura: Territory, settings: Any) -> None:
    settings.KENSE_IMPORT_MAX_ROWS = 2
    row = organization_row(name_kk="Бір", name_ru="Один", kind="other", territory="Нұра ауданы")
    content = workbook_bytes(ORGANIZATION_KEYS, [row, [], row, row])

    response = upload(as_user(project_office), "organizations", content)

    assert response.status_code == 400
    assert file_errors(response) == ["The file has more than 2 rows: split it into several files."]
    assert not Organization.objects.exists()


def test_a_template_without_rows_is_refused(project_office: User) -> None:
    content = workbook_bytes(PERSON_KEYS, [[], [None, "  "]])

    response = upload(as_user(project_office), "people", content)

    assert response.status_code == 400
    assert file_errors(response) == ["The file has no rows to import: fill them in from row 3."]


def test_an_empty_upload_is_refused(project_office: User) -> None:
    response = upload(as_user(project_office), "people", b"")

    assert response.status_code == 400
    assert file_errors(response)


def test_positions_are_found_by_name_in_any_language(project_office: User, nura: Territory) -> None:
    OrganizationFactory(name_kk="Әкімдік", territory=nura, bin="000000000001")
    position = Position.objects.create(code="akim", name_kk="Әкім", name_ru="Аким")
    rows = [
        person_row(
            surname_kk="А",
            given_name_kk="Б",
            surname_ru="А",
            given_name_ru="Б",
            organization=1,  # the BIN, typed as a number
            position="АКИМ",
            start=datetime.date(2021, 3, 1),
        )
    ]

    response = upload(as_user(project_office), "people", workbook_bytes(PERSON_KEYS, rows))

    assert response.status_code == 302, errors_of(response)
    assert Appointment.objects.get().position == position


def test_a_zip_bomb_is_refused_before_it_is_read_and_nothing_is_saved(
    project_office: User, nura: Territory
) -> None:
    row = organization_row(name_kk="Бір", name_ru="Один", kind="other", territory="Нұра ауданы")
    # One good row, then 100,000 blank rows packed 300 times: the page once read them all.
    content = xlsx_bomb(workbook_bytes(ORGANIZATION_KEYS, [row]))

    response = upload(as_user(project_office), "organizations", content)

    assert response.status_code == 400
    assert file_errors(response)[0].startswith("The file import.xlsx unpacks to ")
    assert "«zip bomb»" in file_errors(response)[0]
    assert not Organization.objects.exists()
