"""The Excel import of sacred sites: the template, errors by row and column, all or nothing."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from factories import ProgramFactory, ProjectFactory
from kense.accounts.models import User
from kense.core.excel import XLSX, RowError
from kense.registry.models import Territory
from kense.sites.imports import SITE_COLUMNS
from kense.sites.models import Protection, SacredList, Site, SiteKind
from sites.conftest import logged_in, make_site

pytestmark = pytest.mark.django_db

KEYS = [column.key for column in SITE_COLUMNS]


def workbook_bytes(rows: Sequence[dict[str, Any]]) -> bytes:
    """A workbook laid out as the template: titles, the hidden keys, then the rows."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(KEYS)
    sheet.append(KEYS)
    for row in rows:
        sheet.append([row.get(key) for key in KEYS])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(user: User, rows: Sequence[dict[str, Any]]) -> Any:
    content = workbook_bytes(rows)
    return logged_in(user).post(
        reverse("sites:site_import"),
        {"file": SimpleUploadedFile("sites.xlsx", content, content_type=XLSX)},
    )


def errors_of(response: Any) -> list[tuple[int, str, str]]:
    found: list[RowError] = response.context["row_errors"]
    return [(error.row, error.key, error.message) for error in found]


GOOD = {
    "name_kk": "Жошы хан кесенесі",
    "name_ru": "Мавзолей Джучи-хана",
    "kind": "Mausoleum",
    "sacred_list": "national",
    "protection": "Monument of national significance",
    "territory": "355600000",
    "latitude": 48.1553,
    "longitude": "67,8175",
    "sources": "Бірінші кітап\nЕкінші кітап; Үшінші мақала",
}


def test_good_rows_are_all_imported_with_their_values(office: User, shet: Territory) -> None:
    program = ProgramFactory()
    ProjectFactory(
        name_kk="Қазақстанның киелі географиясы",
        name_ru="Сакральная география",
        program=program,
        territory=shet,
    )
    rows = [
        {**GOOD, "project": "Сакральная география"},
        {
            "name_kk": "Беғазы қорымы",
            "name_ru": "Могильник Бегазы",
            "kind": "archaeological",  # a code is read as well as a label
            "territory": "Шетский район",
        },
    ]

    response = upload(office, rows)

    assert response.status_code == 302, errors_of(response)
    jochi = Site.objects.get(name_kk="Жошы хан кесенесі")
    assert (jochi.kind, jochi.sacred_list, jochi.protection) == (
        SiteKind.MAUSOLEUM,
        SacredList.NATIONAL,
        Protection.NATIONAL,
    )
    assert jochi.territory == shet
    assert jochi.location == (48.1553, 67.8175)
    assert jochi.source_lines == ["Бірінші кітап", "Екінші кітап", "Үшінші мақала"]
    assert jochi.project is not None and jochi.project.name_kk == "Қазақстанның киелі географиясы"
    begazy = Site.objects.get(name_kk="Беғазы қорымы")
    assert (begazy.sacred_list, begazy.protection, begazy.location) == (
        SacredList.REGIONAL,
        Protection.NONE,
        None,
    )
    assert jochi.history.first().history_change_reason is None  # type: ignore[attr-defined]
    assert jochi.history.first().history_user == office  # type: ignore[attr-defined]


def test_every_error_of_every_row_is_listed_and_nothing_is_saved(
    office: User, shet: Territory
) -> None:
    rows = [
        GOOD,  # a good row: not saved either
        {
            "name_kk": "Беғазы қорымы",
            "kind": "castle",
            "territory": "Атлантида",
            "latitude": 48.2,
        },
        {**GOOD, "latitude": 95, "longitude": "шығыс"},
    ]

    response = upload(office, rows)

    assert response.status_code == 400
    assert errors_of(response) == [
        (4, "name_ru", "A value is required."),
        (4, "kind", "There is no kind of site «castle»."),
        (4, "territory", "There is no territory «Атлантида» among those you may see."),
        (4, "longitude", "Give both the latitude and the longitude, or neither."),
        (5, "name_kk", "The same name in Kazakh and territory as in row 3."),
        (5, "latitude", "Ensure this value is less than or equal to 90."),
        (5, "longitude", "«шығыс» is not a number."),
    ]
    assert not Site.objects.exists()


def test_a_site_already_in_the_registry_is_not_imported_twice(
    office: User, shet: Territory
) -> None:
    make_site(office, shet, "Жошы хан кесенесі")

    response = upload(office, [GOOD])

    assert errors_of(response) == [
        (3, "name_kk", "The registry already has a site of this name in this territory.")
    ]
    assert Site.objects.count() == 1


def test_a_coordinator_imports_only_into_the_district(
    coordinator: User, karkaraly: Territory, shet: Territory
) -> None:
    rows = [
        {**GOOD, "territory": "Қарқаралы ауданы"},
        {**GOOD, "name_kk": "Беғазы", "territory": "Шет ауданы"},  # outside: not even seen
    ]

    response = upload(coordinator, rows)

    assert errors_of(response) == [
        (4, "territory", "There is no territory «Шет ауданы» among those you may see.")
    ]
    assert not Site.objects.exists()


def test_an_observer_may_not_import(observer: User) -> None:
    client = logged_in(observer)

    assert client.get(reverse("sites:site_import")).status_code == 403
    assert upload(observer, [GOOD]).status_code == 403


def test_the_template_has_the_keys_and_drop_down_lists(office: User, shet: Territory) -> None:
    response = logged_in(office).get(reverse("sites:site_import"), {"template": 1})

    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.worksheets[0]
    assert [cell.value for cell in sheet[2]] == KEYS
    assert sheet.row_dimensions[2].hidden
    listed = {cell.value for column in workbook["lists"].iter_cols() for cell in column}
    assert {"Mausoleum", "Шетский район", "National list of sacred sites"} <= listed


def test_a_file_that_is_no_workbook_is_refused_as_a_whole(office: User) -> None:
    response = logged_in(office).post(
        reverse("sites:site_import"),
        {"file": SimpleUploadedFile("sites.xlsx", b"name;kind", content_type=XLSX)},
    )

    assert response.status_code == 400
    assert (
        response.context["form"].errors["file"][0].startswith("The file is not an Excel workbook")
    )
