"""One way to read and write Excel workbooks: list exports, import templates and uploads.

Writing. `table_workbook` writes a list export (core/exports.py serves it); `template_workbook`
writes an import template: the data sheet (titles in the user's language, a hidden row of
column keys, drop-down lists, rows already filled in), an instructions sheet, and, for a
template made for one object, a hidden sheet with a version mark. Both style their header the
same way: bold, frozen, columns wide enough to read.

Reading. `read_upload` opens an uploaded template and returns its non-empty rows, or raises
ImportFileError with every reason the file as a whole cannot be read, in the user's language:
empty, too large, not an .xlsx (a text file or an .xls renamed), damaged, made from another
template version or for another object, columns missing or unknown, no rows or too many. Each
`ImportRow` reads its cells as typed values (text, code, whole number, decimal, date, yes/no, a
choice or a reference found in an `Index`) and keeps the errors found by column key;
`collect_errors` lists them by row and column as the import pages show them ("row 7, column
«БСН»: …").

How columns are recognised: the template carries a hidden second row of machine keys (name_kk,
territory…) and the import reads the keys, not the titles. Titles are translated, so matching
them would break a file downloaded in Kazakh and uploaded from the Russian interface, or any file
filled in before a translation was corrected; a fixed column order would break when somebody
moves or deletes an optional column. Keys survive both.

An import declares an `ImportSpec` (its columns, titles and mark) and keeps only what is its
own: what a row means and how it is saved. Every import saves all rows or none.
"""

from __future__ import annotations

import datetime
import functools
import io
import re
import zipfile
import zlib
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, Generic, TypeVar
from xml.parsers import expat

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.template.defaultfilters import filesizeformat
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from kense.core.files import check_archive, is_xml
from kense.text.kazakh import fold, format_number

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ZIP_MAGIC = b"PK\x03\x04"  # every .xlsx is a zip archive; .xls, .csv and text are not

DATE_FORMAT = "DD.MM.YYYY"
CODE_FORMAT = "@"  # text: keeps the leading zeros of codes typed in the cell

TITLE_ROW = 1
KEY_ROW = 2  # hidden in the template
FIRST_DATA_ROW = 3
LISTS_SHEET = "lists"  # hidden; holds the drop-down values; never shown, not translated
META_SHEET = "kense"  # hidden; holds a template's version mark and the object it was made for

MAX_WIDTH = 60


# Writing sheets


def cell_value(value: Any) -> Any:
    """A value as Excel can type it: numbers, dates and booleans as they are, an aware datetime
    in local time (Excel knows no time zones), anything else as text without the control
    characters an .xlsx file cannot hold (all but tab and line breaks)."""
    if value is None or isinstance(value, (int, float, Decimal, datetime.date, bool)):
        if isinstance(value, datetime.datetime) and timezone.is_aware(value):
            return timezone.localtime(value).replace(tzinfo=None)
        return value
    return ILLEGAL_CHARACTERS_RE.sub("", str(value))


def _typed(cell: Any, value: Any) -> None:
    """Format a written cell by its value: a date as dd.mm.yyyy; a text that starts with "="
    stays text, never a formula (a name typed as "=HYPERLINK(…)" must not run in Excel)."""
    if isinstance(value, datetime.date):
        cell.number_format = DATE_FORMAT
    elif isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"


def write_cell(sheet: Any, row: int, column: int, value: Any) -> None:
    """Write one value (see `cell_value`) into a cell."""
    written = cell_value(value)
    _typed(sheet.cell(row=row, column=column, value=written), written)


def append_row(sheet: Any, values: Iterable[Any]) -> list[Any]:
    """Append a row of values (see `cell_value`); the values as written."""
    written = [cell_value(value) for value in values]
    sheet.append(written)
    for cell, value in zip(sheet[sheet.max_row], written, strict=False):
        _typed(cell, value)
    return written


def _style_header(sheet: Any, row: int, *, wrap: bool = False) -> None:
    for cell in sheet[row]:
        cell.font = Font(bold=True)
        if wrap:
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def _width(sheet: Any, index: int, width: int) -> None:
    sheet.column_dimensions[get_column_letter(index)].width = width


def sheet_title(title: str | Promise) -> str:
    """A title Excel accepts for a sheet: none of []:*?/\\ and at most 31 characters."""
    text = str(title)
    for character in "[]:*?/\\":
        text = text.replace(character, " ")
    return text[:31].strip() or "Sheet"


def _bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def table_workbook(title: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """A list export: one sheet of headers and rows, columns as wide as their content."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title(title)
    sheet.append(list(headers))
    _style_header(sheet, TITLE_ROW)
    widths = [len(header) for header in headers]
    for row in rows:
        for index, value in enumerate(append_row(sheet, row)):
            widths[index] = min(MAX_WIDTH, max(widths[index], len(str(value or ""))))
    for index, width in enumerate(widths, start=1):
        _width(sheet, index, width + 2)
    sheet.freeze_panes = f"A{TITLE_ROW + 1}"
    return _bytes(workbook)


# What an import declares


@dataclass(frozen=True)
class ImportColumn:
    key: str  # the machine key in the template's hidden row; often the model field it fills
    title: str | Promise
    help: str | Promise = ""
    required: bool = False
    number_format: str = "General"  # CODE_FORMAT for codes, DATE_FORMAT for dates
    width: int = 24


@dataclass(frozen=True)
class Mark:
    """A version mark on a hidden sheet of a template made for one object (a plan, a report):
    a file of an older template, or made for another object, is refused rather than misread.
    The messages say what to do, in the user's language."""

    prefix: str  # "kense-plan-template v"
    version: int
    missing: str | Promise
    outdated: str | Promise  # may name %(found)s and %(expected)s
    other: str | Promise  # made for another object

    @property
    def text(self) -> str:
        return f"{self.prefix}{self.version}"

    def check(self, workbook: Any, pk: Any) -> None:
        """Raise ImportFileError unless `workbook` carries this mark and was made for `pk`."""
        if META_SHEET not in workbook.sheetnames:
            raise ImportFileError(str(self.missing))
        values = [
            row[0] if row else None
            for row in workbook[META_SHEET].iter_rows(max_row=2, values_only=True)
        ]
        values += [None] * (2 - len(values))
        mark = read_text(values[0])
        if mark != self.text:
            found = mark.removeprefix(self.prefix) if mark.startswith(self.prefix) else "?"
            raise ImportFileError(str(self.outdated) % {"found": found, "expected": self.version})
        if read_text(values[1]) != str(pk):
            raise ImportFileError(str(self.other))


@dataclass(frozen=True, kw_only=True)
class ImportSpec:
    """One Excel import: its template's columns and titles, and what its page says."""

    title: str | Promise  # the page's and the instructions' heading
    sheet_title: str | Promise  # the data sheet's name
    columns: Sequence[ImportColumn]
    success: str | Promise = ""  # said when a file is saved
    # Model fields whose errors belong to a column of another name: modeltranslation validates
    # the untranslated field too (name → name_kk), and some fields are no column of their own.
    field_columns: Mapping[str, str] = field(default_factory=dict)
    mark: Mark | None = None

    @functools.cached_property
    def column_fields(self) -> dict[str, set[str]]:
        """The fields whose errors land on each column (the inverse of field_columns)."""
        fields: dict[str, set[str]] = defaultdict(set)
        for name, column in self.field_columns.items():
            fields[column].add(name)
        return dict(fields)


# Writing templates


def limits_text() -> str:
    message = gettext("A file may hold up to %(rows)s rows and weigh up to %(size)s.")
    return message % {
        "rows": format_number(settings.KENSE_IMPORT_MAX_ROWS),
        "size": filesizeformat(settings.KENSE_IMPORT_MAX_BYTES),
    }


def template_workbook(
    spec: ImportSpec,
    *,
    rows: Iterable[Sequence[Any]] = (),
    lists: Mapping[str, Sequence[str]] | None = None,
    notes: Sequence[str] = (),
    marked: Sequence[Any] = (),
) -> bytes:
    """The .xlsx template of `spec`: titles in the active language (required ones marked *),
    the hidden key row, `rows` already filled in, drop-down `lists` of values by column key, an
    instructions sheet ending with `notes`, and, when the spec has a mark, the hidden mark sheet
    followed by the `marked` values (the object's id first)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title(spec.sheet_title)
    sheet.append([f"{column.title}{' *' if column.required else ''}" for column in spec.columns])
    sheet.append([column.key for column in spec.columns])
    sheet.row_dimensions[KEY_ROW].hidden = True
    _style_header(sheet, TITLE_ROW, wrap=True)
    sheet.freeze_panes = f"A{FIRST_DATA_ROW}"
    for row in rows:
        append_row(sheet, row)

    lists = lists or {}
    last_row = FIRST_DATA_ROW + settings.KENSE_IMPORT_MAX_ROWS
    list_sheet = None
    list_column = 0
    for index, column in enumerate(spec.columns, start=1):
        letter = get_column_letter(index)
        dimension = sheet.column_dimensions[letter]
        dimension.width = column.width
        dimension.number_format = column.number_format
        values = lists.get(column.key)
        if not values:
            continue
        if list_sheet is None:
            list_sheet = workbook.create_sheet(LISTS_SHEET)
            list_sheet.sheet_state = "hidden"
        list_column += 1
        list_letter = get_column_letter(list_column)
        for row_number, value in enumerate(values, start=1):
            write_cell(list_sheet, row_number, list_column, value)
        # A suggestion, not a rule: codes, KATO codes and other languages are accepted too.
        validation = DataValidation(
            type="list",
            formula1=f"{LISTS_SHEET}!${list_letter}$1:${list_letter}${len(values)}",
            allow_blank=True,
            showErrorMessage=False,
        )
        validation.add(f"{letter}{FIRST_DATA_ROW}:{letter}{last_row}")
        sheet.add_data_validation(validation)

    _write_instructions(workbook.create_sheet(sheet_title(_("Instructions")), 1), spec, notes)
    if spec.mark is not None:
        meta = workbook.create_sheet(META_SHEET)
        meta.sheet_state = "hidden"
        for number, value in enumerate([spec.mark.text, *marked], start=1):
            write_cell(meta, number, 1, value)
    return _bytes(workbook)


def _write_instructions(sheet: Any, spec: ImportSpec, notes: Sequence[str]) -> None:
    lines = [
        gettext(
            "Enter one record per row on the first sheet, from row %(row)s on. Row 1 holds the "
            "column titles."
        )
        % {"row": FIRST_DATA_ROW},
        gettext(
            "Row 2 is hidden: it tells Kense which column is which. Do not change or delete it. "
            "You may move columns and delete those not marked *."
        ),
        gettext("Columns marked * are required. Empty rows are skipped."),
        gettext("Dates: a date cell, or text written as dd.mm.yyyy."),
        gettext(
            "All or nothing: if any row has an error, nothing is saved and every error is "
            "listed with its row and column. Correct the file and upload it again."
        ),
        limits_text(),
    ]
    append_row(sheet, [str(spec.title)])
    sheet["A1"].font = Font(bold=True, size=14)
    append_row(sheet, [])
    for line in lines:
        append_row(sheet, [line])
    append_row(sheet, [])
    append_row(sheet, [gettext("Column"), gettext("Required"), gettext("What to enter")])
    _style_header(sheet, sheet.max_row)
    for column in spec.columns:
        append_row(
            sheet, [str(column.title), gettext("yes") if column.required else "", str(column.help)]
        )
    if notes:
        append_row(sheet, [])
        for note in notes:
            append_row(sheet, [note])
    for index, width in enumerate((36, 12, 90), start=1):
        _width(sheet, index, width)
    for row in sheet.iter_rows(min_row=3):
        for cell in row:
            cell.alignment = Alignment(wrap_text=cell.column == 3, vertical="top")


# Reading cells


class CellError(ValueError):
    """A cell that cannot be read as asked; the message says why, in the user's language."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def read_text(value: Any) -> str:
    """A cell as trimmed text with single spaces; a whole number typed as a number loses its
    ".0", a date reads dd.mm.yyyy."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.strftime("%d.%m.%Y")
    return " ".join(str(value).split())


def read_code(value: Any, width: int) -> str:
    """A numeric code (BIN, KATO). Typed as a number, Excel drops its leading zeros (a BIN
    begins with the year: 05…), so a numeric cell is padded back to the code's width."""
    text = read_text(value)
    if isinstance(value, (int, float)) and text.isdigit():
        return text.zfill(width)
    return text


def _not_a_number(value: Any) -> CellError:
    return CellError(gettext("«%(value)s» is not a number.") % {"value": read_text(value)})


WHOLE_NUMBER = re.compile(r"[+-]?[0-9]+")


def read_whole_number(value: Any, *, minimum: int | None = None, maximum: int | None = None) -> int:
    """A whole number, typed as a number or as text (spaces between thousands allowed), within
    the bounds given; CellError otherwise."""
    if isinstance(value, bool):
        raise _not_a_number(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        number = value
    else:
        text = read_text(value).replace(" ", "")
        if not WHOLE_NUMBER.fullmatch(text):
            raise _not_a_number(value)
        number = int(text)
    if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
        raise _not_a_number(value)
    return number


def read_decimal(value: Any) -> Decimal:
    """A number typed as a number or as text, a dot or a comma before the decimals and spaces
    between thousands allowed; CellError otherwise."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        number = Decimal(str(value))
    else:
        text = read_text(value).replace(" ", "").replace(",", ".")
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise _not_a_number(value) from None
    if not number.is_finite():
        raise _not_a_number(value)
    return number


def read_date(value: Any) -> datetime.date:
    """A date cell, or text written dd.mm.yyyy; CellError otherwise."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.datetime.strptime(read_text(value), "%d.%m.%Y").date()
    except ValueError:
        message = gettext("«%(value)s» is not a date: write it as dd.mm.yyyy.")
        raise CellError(message % {"value": read_text(value)}) from None


@functools.cache
def _answers() -> tuple[frozenset[str], frozenset[str]]:
    """«yes» and «no» in every language of the site."""
    # The words themselves too, so that a file is read the same before the translations exist.
    yes = {"1", "true", "+", "yes", "иә", "ия", "да"}
    no = {"0", "false", "-", "no", "жоқ", "нет"}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            yes.add(gettext("yes").casefold())
            no.add(gettext("no").casefold())
    return frozenset(yes), frozenset(no)


def read_yes_no(value: Any) -> bool:
    """«yes» or «no» in any of the site's languages (or 1/0, +/-, a boolean cell)."""
    if isinstance(value, bool):
        return value
    answer = read_text(value).casefold()
    yes, no = _answers()
    if answer in yes:
        return True
    if answer in no:
        return False
    raise CellError(gettext("«%(value)s»: write «yes» or «no».") % {"value": read_text(value)})


def exact_key(text: str) -> str:
    return " ".join(text.casefold().split())


def folded_key(text: str) -> str:
    """A name as compared when spelled loosely: Нүкенов = Нукенов = НҮКЕНОВ."""
    return " ".join(fold(text).split())


K = TypeVar("K", bound=Hashable)


class Index(Generic[K]):
    """Finds things by a code or by a name. A name matches as written (ignoring case and
    spacing) first; only when nothing does, folded (Нүкенов = Нукенов = НҮКЕНОВ), so a Kazakh
    name typed without Kazakh letters is still found, yet an exact spelling is never ambiguous
    with a merely similar one."""

    def __init__(self, code_width: int = 0) -> None:
        self.code_width = code_width
        self.codes: dict[str, set[K]] = defaultdict(set)
        self.exact: dict[str, set[K]] = defaultdict(set)
        self.folded: dict[str, set[K]] = defaultdict(set)

    def add(self, item: K, names: Iterable[Any], codes: Iterable[Any] = ()) -> None:
        for code in codes:
            if code:
                self.codes[str(code)].add(item)
        for name in names:
            if name:
                self.exact[exact_key(str(name))].add(item)
                self.folded[folded_key(str(name))].add(item)

    def find(self, text: str) -> set[K]:
        if text.isdigit() and self.code_width:
            # A code typed as a number has lost its leading zeros (see read_code).
            found = self.codes.get(text.zfill(self.code_width))
            if found:
                return found
        return (
            self.codes.get(text)
            or self.exact.get(exact_key(text))
            or self.folded.get(folded_key(text))
            or set()
        )

    def find_one(self, text: str, *, missing: str | Promise, ambiguous: str | Promise) -> K:
        """The one thing `text` names; CellError with `missing` or `ambiguous` (which may name
        %(value)s) otherwise."""
        found = self.find(text)
        if len(found) == 1:
            return next(iter(found))
        raise CellError(str(ambiguous if found else missing) % {"value": text})


def choice_index(choices: type[models.TextChoices]) -> Index[str]:
    """A choice by its value or its label in any of the site's languages."""
    index: Index[str] = Index()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            for value, label in choices.choices:
                index.add(value, [value, str(label)])
    return index


# Rows and their errors


@dataclass(frozen=True)
class RowError:
    row: int  # as Excel numbers it; 0 when the error is of no row of the file
    column: str  # the column's title in the user's language; "" for the row as a whole
    message: str
    key: str = field(default="", compare=False)  # the column's key, to find its cell


T = TypeVar("T")


@dataclass(eq=False)  # rows are told apart by identity: an import keys its work by row
class ImportRow:
    """One row of an upload: its cells by column key (absent optional columns are absent) and
    the errors found in them, by column key. Each typed reader returns None for an empty cell,
    and None after noting the error for a cell that cannot be read."""

    number: int  # as Excel shows it
    cells: dict[str, Any]
    spec: ImportSpec
    errors: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))

    def text(self, key: str) -> str:
        return read_text(self.cells.get(key))

    def error(self, key: str, message: str) -> None:
        self.errors[key].append(message)

    def _read(self, key: str, reader: Callable[[Any], T]) -> T | None:
        value = self.cells.get(key)
        if not read_text(value):
            return None
        try:
            return reader(value)
        except CellError as error:
            self.error(key, error.message)
            return None

    def code(self, key: str, width: int) -> str:
        return read_code(self.cells.get(key), width)

    def whole_number(
        self, key: str, *, minimum: int | None = None, maximum: int | None = None
    ) -> int | None:
        return self._read(
            key, lambda value: read_whole_number(value, minimum=minimum, maximum=maximum)
        )

    def decimal(self, key: str) -> Decimal | None:
        return self._read(key, read_decimal)

    def date(self, key: str) -> datetime.date | None:
        return self._read(key, read_date)

    def yes_no(self, key: str) -> bool | None:
        return self._read(key, read_yes_no)

    def lookup(
        self, key: str, index: Index[K], *, missing: str | Promise, ambiguous: str | Promise
    ) -> K | None:
        """A choice or a reference found in `index` by the cell's text."""
        text = self.text(key)
        if not text:
            return None
        try:
            return index.find_one(text, missing=missing, ambiguous=ambiguous)
        except CellError as error:
            self.error(key, error.message)
            return None

    def required(self) -> None:
        """Note every required column left empty."""
        for column in self.spec.columns:
            if column.required and not self.text(column.key):
                self.error(column.key, gettext("A value is required."))

    def validation_error(self, error: ValidationError) -> None:
        """Put a model's errors on the columns of the fields they name."""
        by_field = error.message_dict if hasattr(error, "error_dict") else {"": error.messages}
        for field_name, field_messages in by_field.items():
            key = self.spec.field_columns.get(field_name, field_name)
            for message in field_messages:
                if message not in self.errors[key]:
                    self.errors[key].append(message)

    def check(
        self, instance: models.Model, exclude: Iterable[str] = (), *, validate_unique: bool = True
    ) -> None:
        """Collect the model's own errors, leaving out fields whose cells already failed."""
        skipped = set(exclude)
        for key in self.errors:
            skipped |= {key, *self.spec.column_fields.get(key, ())}
        try:
            instance.full_clean(exclude=sorted(skipped), validate_unique=validate_unique)
        except ValidationError as error:
            self.validation_error(error)


def collect_errors(spec: ImportSpec, rows: Iterable[ImportRow]) -> list[RowError]:
    """Every error of every row, by row and then in column order (those of no column first)."""
    titles = {column.key: str(column.title) for column in spec.columns}
    order = {key: index for index, key in enumerate(titles)}
    errors: list[RowError] = []
    for row in rows:
        for key in sorted(row.errors, key=lambda key: order.get(key, -1)):
            column = key if key in titles else ""
            for message in row.errors[key]:
                errors.append(RowError(row.number, titles.get(key, ""), message, key=column))
    return errors


# Reading uploads


class ImportFileError(Exception):
    """The upload as a whole cannot be read; each message says why, in the user's language."""

    def __init__(self, *problems: str) -> None:
        super().__init__(*problems)
        self.problems = list(problems)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Excel file (.xlsx)"),
        widget=forms.FileInput(attrs={"accept": f".xlsx,{XLSX}"}),
    )


def _not_xlsx() -> ImportFileError:
    return ImportFileError(
        gettext(
            "The file is not an Excel workbook (.xlsx). Save it in Excel as «Excel Workbook» "
            "and upload it again."
        )
    )


@contextmanager
def open_upload(upload: Any) -> Iterator[Any]:
    """The uploaded workbook, read-only, closed on leaving; ImportFileError when the file is
    empty, too large, not an .xlsx or damaged, also when the damage shows only while reading."""
    limit = settings.KENSE_IMPORT_MAX_BYTES
    if not upload.size:
        raise ImportFileError(gettext("The file is empty."))
    if upload.size > limit:
        message = gettext("The file is too large (%(size)s); the limit is %(limit)s.")
        raise ImportFileError(
            message % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
        )
    content = upload.read()
    # The content decides, not the name: a text file or an old .xls renamed .xlsx is refused
    # here with a clear message instead of a parser's.
    if not content.startswith(ZIP_MAGIC):
        raise _not_xlsx()
    _check_unpacked(upload, content)
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl fails in many ways on a zip that is not a workbook
        raise _not_xlsx() from error
    try:
        yield workbook
    except (zipfile.BadZipFile, SyntaxError, EOFError) as error:  # a damaged sheet, read lazily
        raise _not_xlsx() from error
    finally:
        workbook.close()


def _check_unpacked(upload: Any, content: bytes) -> None:
    """Refuse a workbook that unpacks into more than Kense reads safely, before openpyxl opens
    it: the archive's limits (core.files.check_archive), then no sheet row of more cells than
    KENSE_IMPORT_MAX_ROW_CELLS."""
    try:
        check_archive(upload, parsed_whole=_parsed_whole)
    except ValidationError as error:
        raise ImportFileError(*error.messages) from error
    # openpyxl streams a sheet row by row, but holds a whole row, and a row of a million cells
    # packs small. expat counts the cells without building a tree (read_rows reads no further
    # than 2 × KENSE_IMPORT_MAX_ROWS rows, nor does this); openpyxl would take a gigabyte.
    limit = settings.KENSE_IMPORT_MAX_ROW_CELLS
    rows = KEY_ROW + 2 * settings.KENSE_IMPORT_MAX_ROWS + 1
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            sheets = [
                name
                for name in archive.namelist()
                if name.startswith("xl/worksheets/") and name.endswith(".xml")
            ]
            within = all(_rows_within(archive, name, cells=limit, rows=rows) for name in sheets)
    except (zipfile.BadZipFile, zlib.error, EOFError) as error:
        raise _not_xlsx() from error
    if not within:
        message = gettext(
            "A row of the file has more than %(limit)s cells: this is no import template. "
            "Copy your rows into the template and upload it."
        )
        raise ImportFileError(message % {"limit": limit})


def _streamed(name: str) -> bool:
    """A part openpyxl reads as a stream in read-only mode, row by row or string by string."""
    return name.startswith("xl/worksheets/") or name == "xl/sharedStrings.xml"


def _parsed_whole(name: str) -> bool:
    return is_xml(name) and not _streamed(name)


class _Stop(Exception):
    def __init__(self, within: bool) -> None:
        self.within = within


def _rows_within(archive: zipfile.ZipFile, name: str, *, cells: int, rows: int) -> bool:
    """False when one of the first `rows` rows of a sheet's XML has more than `cells` cells
    (or the XML declares a DTD, which no sheet does: entities are how XML bombs expand)."""
    parser = expat.ParserCreate()
    counts = [0, 0]  # rows seen, cells in the current row

    def start(tag: str, _attributes: Any) -> None:
        local = tag.rpartition(":")[2]
        if local == "c":
            counts[1] += 1
            if counts[1] > cells:
                raise _Stop(within=False)
        elif local == "row":
            counts[0] += 1
            counts[1] = 0
            if counts[0] > rows:
                raise _Stop(within=True)

    def doctype(*_args: Any) -> None:
        raise _Stop(within=False)

    parser.StartElementHandler = start
    parser.StartDoctypeDeclHandler = doctype
    try:
        with archive.open(name) as part:
            parser.ParseFile(part)
    except _Stop as stop:
        return stop.within
    except expat.ExpatError:
        pass  # damaged: openpyxl says so while reading, as for any damaged sheet
    return True


def read_upload(upload: Any, spec: ImportSpec, *, pk: Any = None) -> list[ImportRow]:
    """The non-empty rows of an uploaded template of `spec`; ImportFileError when the file as a
    whole is wrong (see open_upload), made from another template version or for another object
    than `pk` (when the spec has a mark), its columns wrong, with no rows or too many."""
    with open_upload(upload) as workbook:
        if spec.mark is not None:
            spec.mark.check(workbook, pk)
        return read_rows(workbook, spec)


def read_rows(workbook: Any, spec: ImportSpec) -> list[ImportRow]:
    """The non-empty rows of the template's data sheet in an open workbook."""
    sheet = _data_sheet(workbook, spec)
    titles, keys = (
        next(sheet.iter_rows(min_row=row, max_row=row, values_only=True), ())
        for row in (TITLE_ROW, KEY_ROW)
    )
    positions = _column_positions(titles, keys, spec)
    limit = settings.KENSE_IMPORT_MAX_ROWS
    # Only the template's columns are read, and rows up to twice the limit (empty rows may
    # separate the filled ones): a sheet going on further is refused, not read to its end
    # (a few kilobytes may declare a million empty rows).
    last_row = KEY_ROW + 2 * limit
    width = max(positions.values()) + 1
    rows = sheet.iter_rows(min_row=FIRST_DATA_ROW, max_col=width, values_only=True)
    found: list[ImportRow] = []
    for number, values in enumerate(rows, start=FIRST_DATA_ROW):
        if number > last_row:
            message = gettext(
                "The sheet goes on past row %(row)s: a file may hold up to %(limit)s rows. "
                "Delete the rows below your data, or split it into several files."
            )
            raise ImportFileError(
                message % {"row": format_number(last_row), "limit": format_number(limit)}
            )
        cells = {
            key: values[index] if index < len(values) else None for key, index in positions.items()
        }
        if not any(read_text(value) for value in cells.values()):
            continue
        if len(found) == limit:
            message = gettext("The file has more than %(limit)s rows: split it into several files.")
            raise ImportFileError(message % {"limit": limit})
        found.append(ImportRow(number, cells, spec))
    if not found:
        message = gettext("The file has no rows to import: fill them in from row %(row)s.")
        raise ImportFileError(message % {"row": FIRST_DATA_ROW})
    return found


def _data_sheet(workbook: Any, spec: ImportSpec) -> Any:
    """The first sheet whose hidden row names columns of this spec (people may move sheets)."""
    known = {column.key for column in spec.columns}
    for sheet in workbook.worksheets:
        if hasattr(sheet, "reset_dimensions"):
            # Some programs write a wrong sheet size, which would cut rows off: read them all.
            sheet.reset_dimensions()
        keys = next(sheet.iter_rows(min_row=KEY_ROW, max_row=KEY_ROW, values_only=True), ())
        if known & {read_text(key) for key in keys}:
            return sheet
    return workbook.worksheets[0]


def _quoted(columns: Iterable[ImportColumn]) -> str:
    return ", ".join(f"«{column.title}»" for column in columns)


def _column_positions(
    titles: Sequence[Any], keys: Sequence[Any], spec: ImportSpec
) -> dict[str, int]:
    by_key = {column.key: column for column in spec.columns}
    missing_message = gettext("Columns missing: %(columns)s.")
    if not {read_text(key) for key in keys} & by_key.keys():
        required = [column for column in spec.columns if column.required]
        raise ImportFileError(
            gettext(
                "This is not the import template: its hidden second row, which tells the "
                "columns apart, is missing or changed. Download the template and copy your "
                "rows into it."
            ),
            missing_message % {"columns": _quoted(required)},
        )
    positions: dict[str, int] = {}
    problems = []
    for index in range(max(len(titles), len(keys))):
        key = read_text(keys[index]) if index < len(keys) else ""
        title = read_text(titles[index]) if index < len(titles) else ""
        if not key and not title:
            continue
        if key not in by_key:
            message = gettext("Column %(letter)s «%(title)s» is not a column of the template.")
            problems.append(message % {"letter": get_column_letter(index + 1), "title": title})
        elif key in positions:
            message = gettext("Column «%(title)s» appears twice.")
            problems.append(message % {"title": by_key[key].title})
        else:
            positions[key] = index
    missing = [column for column in spec.columns if column.required and column.key not in positions]
    if missing:
        problems.append(missing_message % {"columns": _quoted(missing)})
    if problems:
        raise ImportFileError(*problems)
    return positions


# The imports through the API


IMPORT_API_DESCRIPTION = (
    "Upload the filled template (multipart, field `file`, .xlsx), as the page does: every row "
    "is saved or none. A file that cannot be read as a whole answers 422 with its problems "
    'under the field "file"; rows with errors answer 422 with each error\'s field as '
    "\"<row>.<column>\": the row as Excel numbers it and the column's key as the template's "
    'hidden second row names it (e.g. "5.name_kk"; "5" alone for the row as a whole). '
    "Messages follow Accept-Language."
)


def api_import(
    read: Callable[[], list[ImportRow]], save: Callable[[list[ImportRow]], list[RowError]]
) -> int:
    """Run an import for the API: `read` the upload (read_upload and its kin), `save` its rows
    (the page's import, which saves every row or none) and answer how many rows were saved.
    Raises ValidationError: the file's problems under "file", or every row's errors under
    "<row>.<column key>" (IMPORT_API_DESCRIPTION), nothing saved."""
    try:
        rows = read()
    except ImportFileError as error:
        raise ValidationError({"file": error.problems}) from error
    row_errors = save(rows)
    if row_errors:
        by_field: dict[str, list[str]] = defaultdict(list)
        for row_error in row_errors:
            if not row_error.row:
                where = "__all__"  # of no row of the file: said without a field
            elif row_error.key:
                where = f"{row_error.row}.{row_error.key}"
            else:
                where = str(row_error.row)
            by_field[where].append(row_error.message)
        raise ValidationError(dict(by_field))
    return len(rows)
