"""Import organizations and people from an Excel workbook: every row, or none.

The page offers a template to download (column titles in the user's language, an instructions
sheet, drop-down lists). An upload is first checked as a file by core/excel.py (size, format,
columns, number of rows); then every row is parsed, validated and saved through the registry
services inside one transaction that is rolled back if any row fails. The user thus sees every
error of every row at once, by row and column as Excel shows them, and nothing partial is ever
saved. What is the registry's own: its columns, where a territory, an organization or a
position is looked up, and the bulk path that saves 10,000 organizations in a few queries.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext, ngettext_lazy
from django.utils.translation import gettext_lazy as _

from kense.accounts.auth import AuthenticatedRequest
from kense.core.excel import (
    CODE_FORMAT,
    DATE_FORMAT,
    FIRST_DATA_ROW,
    XLSX,
    ImportColumn,
    ImportFileError,
    ImportForm,
    ImportRow,
    ImportSpec,
    Index,
    RowError,
    choice_index,
    collect_errors,
    folded_key,
    limits_text,
    read_upload,
    template_workbook,
)
from kense.core.http import download
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
from kense.text.kazakh import sorted_kazakh

if TYPE_CHECKING:
    from kense.accounts.models import User

# Columns

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
    ),
    ImportColumn("territory", _("Territory"), TERRITORY_HELP, required=True),
    ImportColumn(
        "parent",
        _("Parent organization"),
        _(
            "The name in Kazakh or the BIN of an organization you may see, or of one in an "
            "earlier row of this file. Leave empty when there is none."
        ),
    ),
    ImportColumn("bin", _("BIN"), _("Twelve digits, unique."), number_format=CODE_FORMAT, width=16),
    ImportColumn("aliases", _("Aliases"), ALIASES_HELP),
    ImportColumn("email", _("E-mail")),
    ImportColumn("phone", _("Phone"), number_format=CODE_FORMAT),
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
    ),
    ImportColumn("email", _("E-mail")),
    ImportColumn("phone", _("Phone"), number_format=CODE_FORMAT),
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
    ),
    ImportColumn(
        "start",
        _("Start of the post"),
        _("A date: dd.mm.yyyy."),
        number_format=DATE_FORMAT,
        width=14,
    ),
    ImportColumn(
        "employment",
        _("Employment"),
        _("Staff or non-staff; staff when empty."),
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


# Where rows look things up


def _territory_index(user: User) -> Index[int]:
    index: Index[int] = Index(code_width=9)
    visible = Territory.objects.restrict(user, Action.VIEW)
    for pk, name_kk, name_ru, name_en, kato in visible.values_list(
        "pk", "name_kk", "name_ru", "name_en", "kato"
    ):
        index.add(pk, [name_kk, name_ru, name_en], codes=[kato])
    return index


def _organization_index(queryset: models.QuerySet[Organization]) -> Index[Any]:
    index: Index[Any] = Index(code_width=12)
    for pk, name_kk, name_ru, bin_ in queryset.values_list("pk", "name_kk", "name_ru", "bin"):
        index.add(pk, [name_kk, name_ru], codes=[bin_])
    return index


def _position_index() -> Index[int]:
    index: Index[int] = Index()
    for pk, code, *names in Position.objects.values_list(
        "pk", "code", "name_kk", "name_ru", "name_en"
    ):
        index.add(pk, [code, *names])
    return index


# Rows


TERRITORY_MISSING = _("There is no territory «%(value)s» among those you may see.")
TERRITORY_AMBIGUOUS = _("Several territories are named «%(value)s»: give the KATO code.")
ORGANIZATION_AMBIGUOUS = _("Several organizations are named «%(value)s»: give the BIN.")
ORGANIZATION_MISSING = _(
    "There is no organization «%(value)s» among those you may see or in the rows above."
)


class _Importer:
    """Parses, validates and saves rows of one kind for one user."""

    def __init__(self, user: User) -> None:
        self.user = user

    def import_rows(self, rows: Sequence[ImportRow]) -> None:
        """Parse, validate and save the rows, or leave their errors on them."""
        raise NotImplementedError

    def aliases(self, row: ImportRow) -> list[str]:
        try:
            return clean_aliases(row.text("aliases").split(";"))
        except ValidationError as error:
            row.validation_error(ValidationError({"aliases": error.messages}))
            return []


class OrganizationImporter(_Importer):
    """Checks every row first, then saves the good ones in bulk: a few queries a thousand rows
    instead of a dozen a row, with the same errors as organization_save row by row."""

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

    def __init__(self, user: User) -> None:
        super().__init__(user)
        self.kinds = choice_index(OrganizationKind)
        self.territories = _territory_index(user)
        # Existing organizations by pk, and the good rows above by their row.
        self.organizations: Index[int | ImportRow] = _organization_index(
            Organization.objects.restrict(user)
        )
        self.bins: dict[str, int] = {}
        self.names: dict[tuple[str, int], int] = {}
        self.organization_of: dict[ImportRow, Organization] = {}
        self.parent_row: dict[ImportRow, ImportRow] = {}

    def import_rows(self, rows: Sequence[ImportRow]) -> None:
        for row in rows:
            self.organization_of[row] = self.parse(row)
        taken = self.taken_bins(self.organization_of.values())
        good = [row for row in rows if self.validate(row, taken)]
        try:
            organizations_create([self.organization_of[row] for row in good], user=self.user)
        except NotAllowedHere as refusal:
            self.refuse(good, {organization.pk for organization in refusal.refused})

    def parse(self, row: ImportRow) -> Organization:
        """The organization a row describes, as far as it can be read without the rows above."""
        row.required()
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
        organization.bin = row.code("bin", 12) or None
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

    def validate(self, row: ImportRow, taken_bins: set[str | None]) -> bool:
        """Find the row's parent and validate it as organization_save would; True when good,
        and then later rows may name it as their parent."""
        organization = self.organization_of[row]
        parent = row.lookup(
            "parent",
            self.organizations,
            missing=ORGANIZATION_MISSING,
            ambiguous=ORGANIZATION_AMBIGUOUS,
        )
        if isinstance(parent, ImportRow):
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
        # name_kk, name_ru: added by modeltranslation at run time, unknown to the type.
        names = [organization.name_kk, organization.name_ru]  # type: ignore[attr-defined]
        self.organizations.add(row, names, codes=[organization.bin])
        return True

    def refuse(self, rows: Sequence[ImportRow], refused: set[int]) -> None:
        """Report the rows the user may not add, as organization_save would have refused them
        one by one: a row below one of them no longer finds it as its parent."""
        lost: set[ImportRow] = set()
        for row in rows:
            if self.parent_row.get(row) in lost:
                row.error("parent", str(ORGANIZATION_MISSING) % {"value": row.text("parent")})
                lost.add(row)
            elif self.organization_of[row].pk in refused:
                row.error("territory", gettext("You may not add an organization here."))
                lost.add(row)

    def check_duplicates(self, row: ImportRow, organization: Organization) -> None:
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
            key = (folded_key(name), organization.territory_id)
            if key in self.names:
                message = gettext("The same name in Kazakh and territory as in row %(row)s.")
                row.error("name_kk", message % {"row": self.names[key]})
            else:
                self.names[key] = row.number


class PersonImporter(_Importer):
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

    def __init__(self, user: User) -> None:
        super().__init__(user)
        self.territories = _territory_index(user)
        # Only organizations where the user may appoint, as on the appointment form.
        self.organizations = _organization_index(Organization.objects.restrict(user, Action.CHANGE))
        self.positions = _position_index()
        self.employment = choice_index(Employment)

    def import_rows(self, rows: Sequence[ImportRow]) -> None:
        for row in rows:
            self.import_row(row)

    def import_row(self, row: ImportRow) -> None:
        row.required()
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

    def appointment(self, row: ImportRow) -> Appointment | None:
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
            start = row.date("start")
            if start is not None:
                appointment.start = start
        employment = row.lookup(
            "employment",
            self.employment,
            missing=_("There is no employment «%(value)s»: staff or non-staff."),
            ambiguous=_("«%(value)s» names several kinds of employment."),
        )
        appointment.employment = employment or Employment.STAFF
        return appointment


# What can be imported


@dataclass(frozen=True, kw_only=True)
class ImportKind(ImportSpec):
    slug: str
    model: type[models.Model]
    importer: Callable[[User], _Importer]
    list_url: str
    # success is an ngettext_lazy keyed by "count"


KINDS = {
    "organizations": ImportKind(
        slug="organizations",
        model=Organization,
        title=_("Import organizations from Excel"),
        sheet_title=_("Organizations"),
        columns=ORGANIZATION_COLUMNS,
        field_columns=FIELD_COLUMNS,
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
        field_columns=FIELD_COLUMNS,
        importer=PersonImporter,
        list_url="registry:person_list",
        success=ngettext_lazy("%(count)d person imported.", "%(count)d people imported.", "count"),
    ),
}


# The import


@transaction.atomic
def import_rows(kind: ImportKind, rows: Sequence[ImportRow], *, user: User) -> list[RowError]:
    """Save every row through the registry services as `user`, or none of them.

    Every row is tried, so that the errors of all rows are collected; if any row has one, the
    whole transaction is rolled back and the errors are returned (by row, in column order). An
    empty list means every row was saved.
    """
    kind.importer(user).import_rows(rows)
    errors = collect_errors(kind, rows)
    if errors:
        transaction.set_rollback(True)
    return errors


# The template


def _drop_down(key: str, user: User) -> list[str]:
    """The values a column's drop-down list offers, in the user's language and Kazakh order;
    none for a column without a list."""
    if key == "kind":
        return [str(label) for label in OrganizationKind.labels]
    if key == "employment":
        return [str(label) for label in Employment.labels]
    if key == "territory":
        queryset: models.QuerySet[Any] = Territory.objects.restrict(user, Action.VIEW)
    elif key == "position":
        queryset = Position.objects.all()
    else:
        return []
    names = queryset.annotate(label=localized_name()).values_list("label", flat=True)
    return sorted_kazakh({label for label in names if label})


def template_response(kind: ImportKind, user: User) -> HttpResponse:
    """The .xlsx template of `kind`, with drop-down lists of what the user may choose."""
    lists = {column.key: _drop_down(column.key, user) for column in kind.columns}
    content = template_workbook(kind, lists=lists)
    return download(content, XLSX, f"{kind.slug}-template.xlsx")


# The page


@login_required
def import_view(request: AuthenticatedRequest, kind: str) -> HttpResponse:
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
            rows = read_upload(form.cleaned_data["file"], spec)
        except ImportFileError as error:
            form.add_error("file", error.problems)
        else:
            row_errors = import_rows(spec, rows, user=request.user)
            if not row_errors:
                messages.success(request, spec.success % {"count": len(rows)})
                return redirect(spec.list_url)
    context = {
        "spec": spec,
        "title": spec.title,
        "form": form,
        "row_errors": row_errors,
        "limits": limits_text(),
        "list_url": reverse(spec.list_url),
        "first_data_row": FIRST_DATA_ROW,
    }
    status = 400 if form.errors or row_errors else 200
    return render(request, "registry/import.html", context, status=status)
