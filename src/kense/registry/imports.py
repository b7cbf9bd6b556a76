"""Import organizations and people from an Excel workbook: every row, or none.

The page offers a template to download (column titles in the user's language, an instructions
sheet, drop-down lists). An upload is first checked as a file (size, format, columns, number of
rows); then every row is parsed, validated and saved through the registry services inside one
transaction that is rolled back if any row fails. The user thus sees every error of every row at
once, by row and column as Excel shows them, and nothing partial is ever saved.

How columns are recognised: the template carries a hidden second row of machine keys (name_kk,
territory…) and the import reads the keys, not the titles. Titles are translated, so matching
them would break a file downloaded in Kazakh and uploaded from the Russian interface, or any file
filled in before a translation was corrected; a fixed column order would break when somebody
moves or deletes an optional column. Keys survive both.
"""

from __future__ import annotations

import datetime
import io
import zipfile
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext, ngettext_lazy
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from kense.core.exports import XLSX
from kense.core.lists import localized_name
from kense.core.models import clean_aliases
from kense.core.permissions import Action, can_add
from kense.core.services import save_in_scope
from kense.registry.models import (
    Appointment,
    Employment,
    Organization,
    OrganizationKind,
    Person,
    Position,
    Territory,
)
from kense.registry.services import (
    BATCH_SIZE,
    NotAllowedHere,
    appointment_save,
    organizations_create,
)
from kense.text.kazakh import fold, sorted_kazakh

TITLE_ROW = 1
KEY_ROW = 2  # hidden in the template
FIRST_DATA_ROW = 3
ZIP_MAGIC = b"PK\x03\x04"  # every .xlsx is a zip archive; .xls, .csv and text are not
LISTS_SHEET = "lists"  # hidden sheet holding the drop-down values; never shown, not translated

# Columns


@dataclass(frozen=True)
class ImportColumn:
    key: str  # the machine key in the template's hidden row; also the model field it fills
    title: str | Promise
    help: str | Promise = ""
    required: bool = False
    number_format: str = "General"  # "@" keeps the leading zeros of codes typed in the cell
    width: int = 24
    choices: str = ""  # name of a drop-down list, see DROP_DOWNS


CODE = "@"
DATE = "DD.MM.YYYY"

ALIASES_HELP = _("Other spellings of the name, separated by «;».")
TERRITORY_HELP = _(
    "The territory's name in Kazakh or Russian, or its KATO code, among the territories you may "
    "see. When several territories share a name, give the KATO code."
)

ORGANIZATION_COLUMNS = (
    ImportColumn("name_kk", _("Name in Kazakh"), _("The full name in Kazakh."), required=True),
    ImportColumn("name_ru", _("Name in Russian"), _("The full name in Russian."), required=True),
    ImportColumn("name_en", _("Name in English")),
    ImportColumn("short_name_kk", _("Short name in Kazakh")),
    ImportColumn("short_name_ru", _("Short name in Russian")),
    ImportColumn(
        "kind",
        _("Type"),
        _("Choose from the list; a type's code or its name in any language is accepted."),
        required=True,
        choices="organization_kinds",
    ),
    ImportColumn("territory", _("Territory"), TERRITORY_HELP, required=True, choices="territories"),
    ImportColumn(
        "parent",
        _("Parent organization"),
        _(
            "The name in Kazakh or the BIN of an organization you may see, or of one in an "
            "earlier row of this file. Leave empty when there is none."
        ),
    ),
    ImportColumn("bin", _("BIN"), _("Twelve digits, unique."), number_format=CODE, width=16),
    ImportColumn("aliases", _("Aliases"), ALIASES_HELP),
    ImportColumn("email", _("E-mail")),
    ImportColumn("phone", _("Phone"), number_format=CODE),
    ImportColumn("address", _("Address")),
    ImportColumn("website", _("Website"), _("A full address beginning with https://.")),
)

PERSON_COLUMNS = (
    ImportColumn("surname_kk", _("Surname in Kazakh"), required=True),
    ImportColumn("given_name_kk", _("Given name in Kazakh"), required=True),
    ImportColumn("patronymic_kk", _("Patronymic in Kazakh")),
    ImportColumn("surname_ru", _("Surname in Russian"), required=True),
    ImportColumn("given_name_ru", _("Given name in Russian"), required=True),
    ImportColumn("patronymic_ru", _("Patronymic in Russian")),
    ImportColumn("academic_degree_kk", _("Academic degree in Kazakh")),
    ImportColumn("academic_degree_ru", _("Academic degree in Russian")),
    ImportColumn("aliases", _("Aliases"), ALIASES_HELP),
    ImportColumn(
        "territory",
        _("Territory"),
        _(
            "Where the person is registered: the territory's name in Kazakh or Russian, or its "
            "KATO code. Your own territory when empty."
        ),
        choices="territories",
    ),
    ImportColumn("email", _("E-mail")),
    ImportColumn("phone", _("Phone"), number_format=CODE),
    ImportColumn(
        "organization",
        _("Organization of the current post"),
        _(
            "The name or the BIN of an organization you may change. Leave this column and the "
            "next three empty when the person holds no post."
        ),
    ),
    ImportColumn(
        "position",
        _("Position"),
        _("The position's code or name, from the list."),
        choices="positions",
    ),
    ImportColumn(
        "start",
        _("Start of the post"),
        _("A date: dd.mm.yyyy."),
        number_format=DATE,
        width=14,
    ),
    ImportColumn(
        "employment",
        _("Employment"),
        _("Staff or non-staff; staff when empty."),
        choices="employment",
        width=16,
    ),
)

# Model fields whose errors belong to a column of another name: modeltranslation validates the
# original field too, and an appointment's end is not a column.
FIELD_COLUMNS = {
    "name": "name_kk",
    "short_name": "short_name_kk",
    "surname": "surname_kk",
    "given_name": "given_name_kk",
    "patronymic": "patronymic_kk",
    "academic_degree": "academic_degree_kk",
    "end": "start",
}
COLUMN_FIELDS = {
    column: {name for name, target in FIELD_COLUMNS.items() if target == column}
    for column in set(FIELD_COLUMNS.values())
}


# Reading cells


def _text(value: Any) -> str:
    """A cell as trimmed text with single spaces; numbers typed as numbers lose their ".0"."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.strftime("%d.%m.%Y")
    return " ".join(str(value).split())


def _date(value: Any) -> datetime.date:
    """A real date cell, or text "dd.mm.yyyy"; ValueError otherwise."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    return datetime.datetime.strptime(_text(value), "%d.%m.%Y").date()


def _code(value: Any, width: int) -> str:
    """A numeric code (BIN, KATO). Typed as a number, Excel drops its leading zeros (a BIN
    begins with the year: 05…), so a numeric cell is padded back to the code's width."""
    text = _text(value)
    if isinstance(value, (int, float)) and text.isdigit():
        return text.zfill(width)
    return text


def _exact_key(text: str) -> str:
    return " ".join(text.casefold().split())


def _folded_key(text: str) -> str:
    return " ".join(fold(text).split())


K = TypeVar("K", bound=Hashable)


class _Index(Generic[K]):
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
                self.exact[_exact_key(str(name))].add(item)
                self.folded[_folded_key(str(name))].add(item)

    def find(self, text: str) -> set[K]:
        if text.isdigit() and self.code_width:
            # A code typed as a number has lost its leading zeros (see _code).
            found = self.codes.get(text.zfill(self.code_width))
            if found:
                return found
        return (
            self.codes.get(text)
            or self.exact.get(_exact_key(text))
            or self.folded.get(_folded_key(text))
            or set()
        )


def _choice_index(choices: type[models.TextChoices]) -> _Index[str]:
    """A choice by its code or its label in any of the site's languages."""
    index: _Index[str] = _Index()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            for value, label in choices.choices:
                index.add(value, [value, str(label)])
    return index


def _territory_index(user: Any) -> _Index[int]:
    index: _Index[int] = _Index(code_width=9)
    visible = Territory.objects.restrict(user, Action.VIEW)
    for pk, name_kk, name_ru, name_en, kato in visible.values_list(
        "pk", "name_kk", "name_ru", "name_en", "kato"
    ):
        index.add(pk, [name_kk, name_ru, name_en], codes=[kato])
    return index


def _organization_index(queryset: models.QuerySet[Organization]) -> _Index[Any]:
    index: _Index[Any] = _Index(code_width=12)
    for pk, name_kk, name_ru, bin_ in queryset.values_list("pk", "name_kk", "name_ru", "bin"):
        index.add(pk, [name_kk, name_ru], codes=[bin_])
    return index


def _position_index() -> _Index[int]:
    index: _Index[int] = _Index()
    for pk, code, *names in Position.objects.values_list(
        "pk", "code", "name_kk", "name_ru", "name_en"
    ):
        index.add(pk, [code, *names])
    return index


# Rows


@dataclass(frozen=True)
class SheetRow:
    number: int  # as Excel shows it
    cells: dict[str, Any]  # by column key; absent optional columns are absent here


@dataclass(frozen=True)
class RowError:
    row: int
    column: str  # the column's title in the user's language; "" for the row as a whole
    message: str


class _Row:
    """One row being imported: its cells and the errors found in them, by column key."""

    def __init__(self, sheet_row: SheetRow) -> None:
        self.number = sheet_row.number
        self.cells = sheet_row.cells
        self.errors: dict[str, list[str]] = defaultdict(list)

    def text(self, key: str) -> str:
        return _text(self.cells.get(key))

    def error(self, key: str, message: str) -> None:
        self.errors[key].append(message)

    def validation_error(self, error: ValidationError) -> None:
        """Put a model's errors on the columns of the fields they name."""
        by_field = error.message_dict if hasattr(error, "error_dict") else {"": error.messages}
        for field_name, field_messages in by_field.items():
            key = FIELD_COLUMNS.get(field_name, field_name)
            for message in field_messages:
                if message not in self.errors[key]:
                    self.errors[key].append(message)

    def check(
        self, instance: models.Model, exclude: Iterable[str] = (), *, validate_unique: bool = True
    ) -> None:
        """Collect the model's own errors, leaving out fields whose cells already failed."""
        skipped = set(exclude)
        for key in self.errors:
            skipped |= {key, *COLUMN_FIELDS.get(key, ())}
        try:
            instance.full_clean(exclude=sorted(skipped), validate_unique=validate_unique)
        except ValidationError as error:
            self.validation_error(error)

    def lookup(
        self,
        key: str,
        index: _Index[K],
        *,
        missing: str | Promise,
        ambiguous: str | Promise,
    ) -> K | None:
        text = self.text(key)
        if not text:
            return None
        found = index.find(text)
        if len(found) == 1:
            return next(iter(found))
        self.error(key, str(ambiguous if found else missing) % {"value": text})
        return None


TERRITORY_MISSING = _("There is no territory «%(value)s» among those you may see.")
TERRITORY_AMBIGUOUS = _("Several territories are named «%(value)s»: give the KATO code.")
ORGANIZATION_AMBIGUOUS = _("Several organizations are named «%(value)s»: give the BIN.")
ORGANIZATION_MISSING = _(
    "There is no organization «%(value)s» among those you may see or in the rows above."
)


class _Importer:
    """Parses, validates and saves rows of one kind for one user."""

    columns: Sequence[ImportColumn] = ()

    def __init__(self, user: Any) -> None:
        self.user = user

    def import_rows(self, rows: Sequence[_Row]) -> None:
        """Parse, validate and save the rows, or leave their errors on them."""
        raise NotImplementedError

    def required(self, row: _Row) -> None:
        for column in self.columns:
            if column.required and not row.text(column.key):
                row.error(column.key, gettext("A value is required."))

    def aliases(self, row: _Row) -> list[str]:
        try:
            return clean_aliases(row.text("aliases").split(";"))
        except ValidationError as error:
            row.validation_error(ValidationError({"aliases": error.messages}))
            return []


class OrganizationImporter(_Importer):
    """Checks every row first, then saves the good ones in bulk: a few queries a thousand rows
    instead of a dozen a row, with the same errors as organization_save row by row."""

    columns = ORGANIZATION_COLUMNS
    TEXT = (
        "name_kk",
        "name_ru",
        "name_en",
        "short_name_kk",
        "short_name_ru",
        "email",
        "phone",
        "address",
        "website",
    )
    # Looked up among the organizations and territories the user may see, so full_clean need
    # not ask the database whether they exist; a parent may be a row not saved yet.
    LOOKED_UP = ("territory", "parent")

    def __init__(self, user: Any) -> None:
        super().__init__(user)
        self.kinds = _choice_index(OrganizationKind)
        self.territories = _territory_index(user)
        # Existing organizations by pk, and the good rows above by their row.
        self.organizations: _Index[int | _Row] = _organization_index(
            Organization.objects.restrict(user)
        )
        self.bins: dict[str, int] = {}
        self.names: dict[tuple[str, int], int] = {}
        self.organization_of: dict[_Row, Organization] = {}
        self.parent_row: dict[_Row, _Row] = {}

    def import_rows(self, rows: Sequence[_Row]) -> None:
        for row in rows:
            self.organization_of[row] = self.parse(row)
        taken = self.taken_bins(self.organization_of.values())
        good = [row for row in rows if self.validate(row, taken)]
        try:
            organizations_create([self.organization_of[row] for row in good], user=self.user)
        except NotAllowedHere as refusal:
            self.refuse(good, {organization.pk for organization in refusal.refused})

    def parse(self, row: _Row) -> Organization:
        """The organization a row describes, as far as it can be read without the rows above."""
        self.required(row)
        organization = Organization(
            **{key: value for key in self.TEXT if (value := row.text(key))},
            aliases=self.aliases(row),
        )
        kind = row.lookup(
            "kind",
            self.kinds,
            missing=_("There is no organization type «%(value)s»."),
            ambiguous=_("«%(value)s» names several organization types."),
        )
        if kind is not None:
            organization.kind = kind
        territory_id = row.lookup(
            "territory",
            self.territories,
            missing=TERRITORY_MISSING,
            ambiguous=TERRITORY_AMBIGUOUS,
        )
        if territory_id is not None:
            organization.territory_id = territory_id
        organization.bin = _code(row.cells.get("bin"), 12) or None
        self.check_duplicates(row, organization)
        return organization

    @staticmethod
    def taken_bins(organizations: Iterable[Organization]) -> set[str | None]:
        """The BINs of the file that the registry already holds (all of it, as full_clean)."""
        bins = sorted({organization.bin for organization in organizations if organization.bin})
        taken: set[str | None] = set()
        for start in range(0, len(bins), BATCH_SIZE):
            batch = bins[start : start + BATCH_SIZE]
            taken.update(Organization.objects.filter(bin__in=batch).values_list("bin", flat=True))
        return taken

    def validate(self, row: _Row, taken_bins: set[str | None]) -> bool:
        """Find the row's parent and validate it as organization_save would; True when good,
        and then later rows may name it as their parent."""
        organization = self.organization_of[row]
        parent = row.lookup(
            "parent",
            self.organizations,
            missing=ORGANIZATION_MISSING,
            ambiguous=ORGANIZATION_AMBIGUOUS,
        )
        if isinstance(parent, _Row):
            self.parent_row[row] = parent
            organization.parent = self.organization_of[parent]
        else:
            organization.parent_id = parent
        row.check(organization, exclude=self.LOOKED_UP, validate_unique=False)
        if organization.bin in taken_bins and "bin" not in row.errors:
            unique_error = organization.unique_error_message(Organization, ("bin",))
            row.validation_error(ValidationError({"bin": unique_error}))
        if row.errors:
            return False
        names = [organization.name_kk, organization.name_ru]  # type: ignore[attr-defined]
        self.organizations.add(row, names, codes=[organization.bin])
        return True

    def refuse(self, rows: Sequence[_Row], refused: set[int]) -> None:
        """Report the rows the user may not add, as organization_save would have refused them
        one by one: a row below one of them no longer finds it as its parent."""
        lost: set[_Row] = set()
        for row in rows:
            if self.parent_row.get(row) in lost:
                row.error("parent", str(ORGANIZATION_MISSING) % {"value": row.text("parent")})
                lost.add(row)
            elif self.organization_of[row].pk in refused:
                row.error("territory", gettext("You may not add an organization here."))
                lost.add(row)

    def check_duplicates(self, row: _Row, organization: Organization) -> None:
        """The same BIN, or the same name in Kazakh in the same territory, as a row above."""
        bin_ = organization.bin
        if bin_:
            if bin_ in self.bins:
                message = gettext("The same BIN as in row %(row)s.")
                row.error("bin", message % {"row": self.bins[bin_]})
            else:
                self.bins[bin_] = row.number
        name = row.text("name_kk")
        if name and organization.territory_id is not None:
            key = (_folded_key(name), organization.territory_id)
            if key in self.names:
                message = gettext("The same name in Kazakh and territory as in row %(row)s.")
                row.error("name_kk", message % {"row": self.names[key]})
            else:
                self.names[key] = row.number


class PersonImporter(_Importer):
    columns = PERSON_COLUMNS
    TEXT = (
        "surname_kk",
        "given_name_kk",
        "patronymic_kk",
        "surname_ru",
        "given_name_ru",
        "patronymic_ru",
        "academic_degree_kk",
        "academic_degree_ru",
        "email",
        "phone",
    )
    POST = ("organization", "position", "start", "employment")

    def __init__(self, user: Any) -> None:
        super().__init__(user)
        self.territories = _territory_index(user)
        # Only organizations where the user may appoint, as on the appointment form.
        self.organizations = _organization_index(Organization.objects.restrict(user, Action.CHANGE))
        self.positions = _position_index()
        self.employment = _choice_index(Employment)

    def import_rows(self, rows: Sequence[_Row]) -> None:
        for row in rows:
            self.import_row(row)

    def import_row(self, row: _Row) -> None:
        self.required(row)
        person = Person(
            **{key: value for key in self.TEXT if (value := row.text(key))},
            aliases=self.aliases(row),
        )
        # The same default as the person form: the user's own territory.
        person.territory_id = getattr(self.user, "territory_id", None)
        if row.text("territory"):
            person.territory_id = row.lookup(
                "territory",
                self.territories,
                missing=TERRITORY_MISSING,
                ambiguous=TERRITORY_AMBIGUOUS,
            )
        appointment = self.appointment(row)
        if appointment is not None:
            row.check(appointment, exclude=["person"])
        if row.errors:
            row.check(person)
            return

        def appoint(saved: Person) -> None:
            if appointment is not None:
                appointment.person = saved
                appointment_save(appointment, user=self.user)

        try:
            with transaction.atomic():
                # Not person_save: it checks the scope before the appointment exists, and a
                # person that an institution knows only through the post would be refused.
                save_in_scope(person, user=self.user, after_save=appoint)
        except ValidationError as error:
            row.validation_error(error)
        except PermissionDenied:
            row.error(
                "territory",
                gettext("You may not add this person: they would be outside your scope."),
            )

    def appointment(self, row: _Row) -> Appointment | None:
        """The current post described by the last four columns, None when they are empty."""
        if not any(row.text(key) for key in self.POST):
            return None
        appointment = Appointment()
        for key in ("organization", "position", "start"):
            if not row.text(key):
                row.error(key, gettext("A value is required when the person holds a post."))
        organization_id = row.lookup(
            "organization",
            self.organizations,
            missing=_("There is no organization «%(value)s» among those you may change."),
            ambiguous=ORGANIZATION_AMBIGUOUS,
        )
        if organization_id is not None:
            appointment.organization_id = organization_id
        position_id = row.lookup(
            "position",
            self.positions,
            missing=_("There is no position «%(value)s»."),
            ambiguous=_("Several positions are named «%(value)s»: give the code."),
        )
        if position_id is not None:
            appointment.position_id = position_id
        if row.text("start"):
            try:
                appointment.start = _date(row.cells["start"])
            except ValueError:
                message = gettext("«%(value)s» is not a date: write it as dd.mm.yyyy.")
                row.error("start", message % {"value": row.text("start")})
        employment = row.lookup(
            "employment",
            self.employment,
            missing=_("There is no employment «%(value)s»: staff or non-staff."),
            ambiguous=_("«%(value)s» names several kinds of employment."),
        )
        appointment.employment = employment or Employment.STAFF
        return appointment


# What can be imported


@dataclass(frozen=True)
class ImportKind:
    slug: str
    model: type[models.Model]
    title: str | Promise
    sheet_title: str | Promise
    columns: Sequence[ImportColumn]
    importer: Callable[[Any], _Importer]
    list_url: str
    success: str | Promise  # ngettext_lazy keyed by "count"


KINDS = {
    "organizations": ImportKind(
        slug="organizations",
        model=Organization,
        title=_("Import organizations from Excel"),
        sheet_title=_("Organizations"),
        columns=ORGANIZATION_COLUMNS,
        importer=OrganizationImporter,
        list_url="registry:organization_list",
        success=ngettext_lazy(
            "%(count)d organization imported.", "%(count)d organizations imported.", "count"
        ),
    ),
    "people": ImportKind(
        slug="people",
        model=Person,
        title=_("Import people from Excel"),
        sheet_title=_("People"),
        columns=PERSON_COLUMNS,
        importer=PersonImporter,
        list_url="registry:person_list",
        success=ngettext_lazy("%(count)d person imported.", "%(count)d people imported.", "count"),
    ),
}


# The file


class ImportFileError(Exception):
    """The upload as a whole cannot be read; each message says why, in the user's language."""

    def __init__(self, *problems: str) -> None:
        super().__init__(*problems)
        self.problems = list(problems)


def _not_xlsx() -> ImportFileError:
    return ImportFileError(
        gettext(
            "The file is not an Excel workbook (.xlsx). Save it in Excel as «Excel Workbook» "
            "and upload it again."
        )
    )


def read_workbook(upload: Any, kind: ImportKind) -> list[SheetRow]:
    """The non-empty rows of an uploaded template; ImportFileError when the file as a whole is
    wrong: empty, too large, not an .xlsx, wrong columns, no rows or too many."""
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
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl fails in many ways on a zip that is not a workbook
        raise _not_xlsx() from error
    try:
        return _read_rows(workbook, kind)
    except (zipfile.BadZipFile, SyntaxError, EOFError) as error:  # a damaged sheet
        raise _not_xlsx() from error
    finally:
        workbook.close()


def _read_rows(workbook: Any, kind: ImportKind) -> list[SheetRow]:
    sheet = _data_sheet(workbook, kind)
    rows = sheet.iter_rows(values_only=True)
    titles = next(rows, ())
    keys = next(rows, ())
    positions = _column_positions(titles, keys, kind)
    limit = settings.KENSE_IMPORT_MAX_ROWS
    found: list[SheetRow] = []
    for number, values in enumerate(rows, start=FIRST_DATA_ROW):
        cells = {
            key: values[index] if index < len(values) else None for key, index in positions.items()
        }
        if not any(_text(value) for value in cells.values()):
            continue
        if len(found) == limit:
            message = gettext("The file has more than %(limit)s rows: split it into several files.")
            raise ImportFileError(message % {"limit": limit})
        found.append(SheetRow(number, cells))
    if not found:
        message = gettext("The file has no rows to import: fill them in from row %(row)s.")
        raise ImportFileError(message % {"row": FIRST_DATA_ROW})
    return found


def _data_sheet(workbook: Any, kind: ImportKind) -> Any:
    """The first sheet whose hidden row names columns of this kind (people may move sheets)."""
    known = {column.key for column in kind.columns}
    for sheet in workbook.worksheets:
        # Some programs write a wrong sheet size, which would cut rows off: read them all.
        sheet.reset_dimensions()
        keys = next(sheet.iter_rows(min_row=KEY_ROW, max_row=KEY_ROW, values_only=True), ())
        if known & {_text(key) for key in keys}:
            return sheet
    return workbook.worksheets[0]


def _quoted(columns: Iterable[ImportColumn]) -> str:
    return ", ".join(f"«{column.title}»" for column in columns)


def _column_positions(
    titles: Sequence[Any], keys: Sequence[Any], kind: ImportKind
) -> dict[str, int]:
    by_key = {column.key: column for column in kind.columns}
    missing_message = gettext("Columns missing: %(columns)s.")
    if not {_text(key) for key in keys} & by_key.keys():
        required = [column for column in kind.columns if column.required]
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
        key = _text(keys[index]) if index < len(keys) else ""
        title = _text(titles[index]) if index < len(titles) else ""
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
    missing = [column for column in kind.columns if column.required and column.key not in positions]
    if missing:
        problems.append(missing_message % {"columns": _quoted(missing)})
    if problems:
        raise ImportFileError(*problems)
    return positions


# The import


@transaction.atomic
def import_rows(kind: ImportKind, rows: Iterable[SheetRow], *, user: Any) -> list[RowError]:
    """Save every row through the registry services as `user`, or none of them.

    Every row is tried, so that the errors of all rows are collected; if any row has one, the
    whole transaction is rolled back and the errors are returned (by row, in column order). An
    empty list means every row was saved.
    """
    importer = kind.importer(user)
    titles = {column.key: str(column.title) for column in kind.columns}
    order = {key: index for index, key in enumerate(titles)}
    tried = [_Row(sheet_row) for sheet_row in rows]
    importer.import_rows(tried)
    errors: list[RowError] = []
    for row in tried:
        for key in sorted(row.errors, key=lambda key: order.get(key, -1)):
            for message in row.errors[key]:
                errors.append(RowError(row.number, titles.get(key, ""), message))
    if errors:
        transaction.set_rollback(True)
    return errors


# The template


def _list_values(name: str, user: Any) -> list[str]:
    """The values offered by a drop-down list, in the user's language and Kazakh order."""
    if name == "organization_kinds":
        return [str(label) for label in OrganizationKind.labels]
    if name == "employment":
        return [str(label) for label in Employment.labels]
    if name == "territories":
        queryset: models.QuerySet[Any] = Territory.objects.restrict(user, Action.VIEW)
    elif name == "positions":
        queryset = Position.objects.all()
    else:
        return []
    names = queryset.annotate(label=localized_name()).values_list("label", flat=True)
    return sorted_kazakh({label for label in names if label})


def _sheet_title(title: str | Promise) -> str:
    text = str(title)
    for character in "[]:*?/\\":
        text = text.replace(character, " ")
    return text[:31].strip() or "Sheet"


def template_workbook(kind: ImportKind, user: Any) -> bytes:
    """The .xlsx template of `kind`: titles in the active language, the hidden key row, drop-down
    lists of what the user may choose, and a sheet of instructions."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _sheet_title(kind.sheet_title)
    sheet.append([f"{column.title}{' *' if column.required else ''}" for column in kind.columns])
    sheet.append([column.key for column in kind.columns])
    sheet.row_dimensions[KEY_ROW].hidden = True
    for cell in sheet[TITLE_ROW]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = f"A{FIRST_DATA_ROW}"

    lists = workbook.create_sheet(LISTS_SHEET)
    lists.sheet_state = "hidden"
    last_row = FIRST_DATA_ROW + settings.KENSE_IMPORT_MAX_ROWS
    list_column = 0
    for index, column in enumerate(kind.columns, start=1):
        letter = get_column_letter(index)
        dimension = sheet.column_dimensions[letter]
        dimension.width = column.width
        dimension.number_format = column.number_format
        values = _list_values(column.choices, user) if column.choices else []
        if not values:
            continue
        list_column += 1
        list_letter = get_column_letter(list_column)
        for row_number, value in enumerate(values, start=1):
            lists.cell(row=row_number, column=list_column, value=value)
        # A suggestion, not a rule: codes, KATO codes and other languages are accepted too.
        validation = DataValidation(
            type="list",
            formula1=f"{LISTS_SHEET}!${list_letter}$1:${list_letter}${len(values)}",
            allow_blank=True,
            showErrorMessage=False,
        )
        validation.add(f"{letter}{FIRST_DATA_ROW}:{letter}{last_row}")
        sheet.add_data_validation(validation)

    _write_instructions(workbook.create_sheet(_sheet_title(_("Instructions")), 1), kind)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _limits_text() -> str:
    message = gettext("A file may hold up to %(rows)s rows and weigh up to %(size)s.")
    return message % {
        "rows": settings.KENSE_IMPORT_MAX_ROWS,
        "size": filesizeformat(settings.KENSE_IMPORT_MAX_BYTES),
    }


def _write_instructions(sheet: Any, kind: ImportKind) -> None:
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
        _limits_text(),
    ]
    sheet.append([str(kind.title)])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([])
    for line in lines:
        sheet.append([line])
    sheet.append([])
    sheet.append([gettext("Column"), gettext("Required"), gettext("What to enter")])
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for column in kind.columns:
        sheet.append(
            [str(column.title), gettext("yes") if column.required else "", str(column.help)]
        )
    sheet.column_dimensions["A"].width = 36
    sheet.column_dimensions["B"].width = 12
    sheet.column_dimensions["C"].width = 90
    for row in sheet.iter_rows(min_row=3):
        for cell in row:
            cell.alignment = Alignment(wrap_text=cell.column == 3, vertical="top")


def template_response(kind: ImportKind, user: Any) -> HttpResponse:
    response = HttpResponse(template_workbook(kind, user), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{kind.slug}-template.xlsx"'
    return response


# The page


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Excel file (.xlsx)"),
        widget=forms.FileInput(attrs={"accept": f".xlsx,{XLSX}"}),
    )


@login_required
def import_view(request: HttpRequest, kind: str) -> HttpResponse:
    spec = KINDS.get(kind)
    if spec is None:
        raise Http404
    if not can_add(request.user, spec.model):
        raise PermissionDenied
    if request.method == "GET" and request.GET.get("template"):
        return template_response(spec, request.user)
    form = ImportForm(request.POST or None, request.FILES or None)
    row_errors: list[RowError] = []
    if request.method == "POST" and form.is_valid():
        try:
            rows = read_workbook(form.cleaned_data["file"], spec)
        except ImportFileError as error:
            form.add_error("file", error.problems)
        else:
            row_errors = import_rows(spec, rows, user=request.user)
            if not row_errors:
                messages.success(request, spec.success % {"count": len(rows)})  # type: ignore[operator]
                return redirect(spec.list_url)
    context = {
        "spec": spec,
        "title": spec.title,
        "form": form,
        "row_errors": row_errors,
        "limits": _limits_text(),
        "list_url": reverse(spec.list_url),
        "first_data_row": FIRST_DATA_ROW,
    }
    status = 400 if form.errors or row_errors else 200
    return render(request, "registry/import.html", context, status=status)
