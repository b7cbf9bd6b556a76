"""Import sacred sites from an Excel workbook: every row, or none.

The page offers a template (column titles in the user's language, a hidden row of column keys,
drop-down lists, an instructions sheet: kense.core.excel, as every import's). An upload is
checked as a file first; then every row is parsed, validated and saved through `site_save`
inside one transaction that is rolled back if any row fails, so the user sees every error of
every row at once, by row and column, and nothing partial is ever saved. A site already in the
registry (the same name in Kazakh in the same territory), or twice in the file, is an error:
importing the same file twice adds nothing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext, ngettext_lazy
from django.utils.translation import gettext_lazy as _

from kense.accounts.auth import AuthenticatedRequest
from kense.accounts.models import User
from kense.core.excel import (
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
from kense.core.permissions import Action, can_add
from kense.programs.models import Project
from kense.registry.models import Territory
from kense.sites.models import Protection, SacredList, Site, SiteKind
from kense.sites.services import site_save
from kense.text.kazakh import sorted_kazakh

CHOICE_HELP = _("Choose from the list; a code or a name in any language is accepted.")

SITE_COLUMNS = (
    ImportColumn("name_kk", _("Name in Kazakh"), required=True, width=36),
    ImportColumn("name_ru", _("Name in Russian"), required=True, width=36),
    ImportColumn("name_en", _("Name in English")),
    ImportColumn("kind", _("Kind"), CHOICE_HELP, required=True),
    ImportColumn(
        "sacred_list",
        _("List"),
        _("The national or the regional list of sacred sites; regional when empty."),
    ),
    ImportColumn(
        "protection", _("Protection status"), _("Choose from the list; not protected when empty.")
    ),
    ImportColumn(
        "territory",
        _("Territory"),
        _(
            "The territory's name in Kazakh or Russian, or its KATO code, among the territories "
            "you may see. When several territories share a name, give the KATO code."
        ),
        required=True,
    ),
    ImportColumn(
        "latitude",
        _("Latitude"),
        _("Degrees north, for example 48.1553; give both coordinates or neither."),
        width=12,
    ),
    ImportColumn(
        "longitude",
        _("Longitude"),
        _("Degrees east, for example 67.8175; give both coordinates or neither."),
        width=12,
    ),
    ImportColumn("description_kk", _("Description in Kazakh"), width=40),
    ImportColumn("description_ru", _("Description in Russian"), width=40),
    ImportColumn(
        "sources",
        _("Sources"),
        _("Books, articles, archive documents: one per line in the cell, or separated by «;»."),
        width=40,
    ),
    ImportColumn(
        "project",
        _("Special project"),
        _("The name of a special project you may see; empty when there is none."),
        width=30,
    ),
)

SITE_IMPORT = ImportSpec(
    title=_("Import sacred sites from Excel"),
    sheet_title=_("Sacred sites"),
    columns=SITE_COLUMNS,
    # modeltranslation validates the untranslated fields too
    field_columns={"name": "name_kk", "description": "description_kk"},
    success=ngettext_lazy("%(count)d site imported.", "%(count)d sites imported.", "count"),
)

TEXT = ("name_kk", "name_ru", "name_en", "description_kk", "description_ru")
# Found among what the user may see, so full_clean need not ask the database again.
LOOKED_UP = ["territory", "project"]
DUPLICATE_IN_REGISTRY = _("The registry already has a site of this name in this territory.")
KIND_MISSING = _("There is no kind of site «%(value)s».")
KIND_AMBIGUOUS = _("«%(value)s» names several kinds of site.")
LIST_MISSING = _("There is no list «%(value)s»: the national or the regional one.")
LIST_AMBIGUOUS = _("«%(value)s» names several lists.")
PROTECTION_MISSING = _("There is no protection status «%(value)s».")
PROTECTION_AMBIGUOUS = _("«%(value)s» names several protection statuses.")
SOURCE_SEPARATORS = re.compile(r"[\r\n;]+")


def _territory_index(user: User) -> Index[int]:
    index: Index[int] = Index(code_width=9)
    visible = Territory.objects.restrict(user, Action.VIEW)
    for pk, name_kk, name_ru, name_en, kato in visible.values_list(
        "pk", "name_kk", "name_ru", "name_en", "kato"
    ):
        index.add(pk, [name_kk, name_ru, name_en], codes=[kato])
    return index


def _project_index(user: User) -> Index[int]:
    index: Index[int] = Index()
    for pk, name_kk, name_ru in Project.objects.restrict(user).values_list(
        "pk", "name_kk", "name_ru"
    ):
        index.add(pk, [name_kk, name_ru])
    return index


def _sources(value: Any) -> str:
    """A cell's sources, one a line: the cell's own lines, or its parts between «;»."""
    if value is None:
        return ""
    parts = (" ".join(part.split()) for part in SOURCE_SEPARATORS.split(str(value)))
    return "\n".join(part for part in parts if part)


class SiteImporter:
    """Turns the rows into sites and saves them as one user, leaving errors on the rows."""

    def __init__(self, user: User) -> None:
        self.user = user
        self.kinds = choice_index(SiteKind)
        self.lists = choice_index(SacredList)
        self.protections = choice_index(Protection)
        self.territories = _territory_index(user)
        self.projects = _project_index(user)
        # (folded Kazakh name, territory) of the sites already in the registry and the rows
        # above: the same site twice is an error, not a second site.
        self.seen: dict[tuple[str, int], int] = {
            (folded_key(name or ""), territory_id): 0
            for name, territory_id in Site.objects.values_list("name_kk", "territory_id")
        }

    def site(self, row: ImportRow) -> Site:
        """The site a row describes, checked as the model checks it (errors on the row)."""
        row.required()
        site = Site(**{key: value for key in TEXT if (value := row.text(key))})
        site.sources = _sources(row.cells.get("sources"))
        for key, index, missing, ambiguous in (
            ("kind", self.kinds, KIND_MISSING, KIND_AMBIGUOUS),
            ("sacred_list", self.lists, LIST_MISSING, LIST_AMBIGUOUS),
            ("protection", self.protections, PROTECTION_MISSING, PROTECTION_AMBIGUOUS),
        ):
            choice = row.lookup(key, index, missing=missing, ambiguous=ambiguous)
            if choice is not None:
                setattr(site, key, choice)
        territory_id = row.lookup(
            "territory",
            self.territories,
            missing=_("There is no territory «%(value)s» among those you may see."),
            ambiguous=_("Several territories are named «%(value)s»: give the KATO code."),
        )
        if territory_id is not None:
            site.territory_id = territory_id
        no_single_project = _(
            "There is no single special project «%(value)s» among those you may see."
        )
        project_id = row.lookup(
            "project", self.projects, missing=no_single_project, ambiguous=no_single_project
        )
        if project_id is not None:
            site.project_id = project_id
        for key in ("latitude", "longitude"):
            number = row.decimal(key)
            if number is not None:
                setattr(site, key, float(number))
            elif key in row.errors:
                # Unreadable, so already an error of its own: a stand-in keeps the model from
                # adding "give both coordinates" to it. The row is never saved.
                setattr(site, key, 0.0)
        row.check(site, exclude=LOOKED_UP)
        self.check_duplicate(row, site)
        return site

    def check_duplicate(self, row: ImportRow, site: Site) -> None:
        name = row.text("name_kk")
        if not name or site.territory_id is None:
            return
        key = (folded_key(name), site.territory_id)
        if key not in self.seen:
            self.seen[key] = row.number
        elif self.seen[key] == 0:
            row.error("name_kk", str(DUPLICATE_IN_REGISTRY))
        else:
            message = gettext("The same name in Kazakh and territory as in row %(row)s.")
            row.error("name_kk", message % {"row": self.seen[key]})

    def save(self, row: ImportRow, site: Site) -> None:
        try:
            with transaction.atomic():
                site_save(site, user=self.user)
        except ValidationError as error:
            row.validation_error(error)
        except PermissionDenied:
            row.error("territory", gettext("You may not add a site here."))


@transaction.atomic
def import_sites(rows: Sequence[ImportRow], *, user: User) -> list[RowError]:
    """Create a site of every row as `user` through `site_save`, or none of them.

    Every row is read and checked, so that the errors of all rows are collected; if any row
    has one, the whole transaction is rolled back and the errors are returned (by row, in
    column order). An empty list means every row was saved. PermissionDenied unless the
    user's role may add sites at all.
    """
    if not can_add(user, Site):
        raise PermissionDenied
    importer = SiteImporter(user)
    sites = [(row, importer.site(row)) for row in rows]
    if not any(row.errors for row in rows):
        for row, site in sites:
            importer.save(row, site)
    errors = collect_errors(SITE_IMPORT, rows)
    if errors:
        transaction.set_rollback(True)
    return errors


def _drop_down(key: str, user: User) -> list[str]:
    """The values a column's drop-down list offers, in the user's language."""
    choices = {"kind": SiteKind, "sacred_list": SacredList, "protection": Protection}
    if key in choices:
        return [str(label) for label in choices[key].labels]
    if key == "territory":
        queryset: Any = Territory.objects.restrict(user, Action.VIEW)
    elif key == "project":
        queryset = Project.objects.restrict(user)
    else:
        return []
    names = queryset.annotate(label=localized_name()).values_list("label", flat=True)
    return sorted_kazakh({label for label in names if label})


def template_response(user: User) -> HttpResponse:
    """The .xlsx template, with drop-down lists of what the user may choose."""
    lists = {column.key: _drop_down(column.key, user) for column in SITE_COLUMNS}
    return download(template_workbook(SITE_IMPORT, lists=lists), XLSX, "sites-template.xlsx")


@login_required
def import_view(request: AuthenticatedRequest) -> HttpResponse:
    if not can_add(request.user, Site):
        raise PermissionDenied
    if request.method == "GET" and request.GET.get("template"):
        return template_response(request.user)
    form = ImportForm(request.POST or None, request.FILES or None)
    row_errors: list[RowError] = []
    if request.method == "POST" and form.is_valid():
        try:
            rows = read_upload(form.cleaned_data["file"], SITE_IMPORT)
        except ImportFileError as error:
            form.add_error("file", error.problems)
        else:
            row_errors = import_sites(rows, user=request.user)
            if not row_errors:
                messages.success(request, SITE_IMPORT.success % {"count": len(rows)})
                return redirect("sites:site_list")
    context = {
        "spec": SITE_IMPORT,
        "title": SITE_IMPORT.title,
        "form": form,
        "row_errors": row_errors,
        "limits": limits_text(),
        "list_url": reverse("sites:site_list"),
        "first_data_row": FIRST_DATA_ROW,
    }
    status = 400 if form.errors or row_errors else 200
    return render(request, "sites/import.html", context, status=status)
