"""A work plan's Excel round trip: download the plan's template, fill it offline, upload it.

The template is the registry import's (`kense.registry.imports`): titles in the user's
language, a hidden row of column keys, an instructions sheet. It also carries a hidden sheet
with a version mark ("kense-plan-template v1") and the plan it belongs to, so that a file made
from an older template, or for another plan, is refused with a message saying so rather than
misread. The plan's current items are written into it, so a download, an edit and an upload
is a round trip.

An upload is all or nothing: every row is checked and every error reported by row and column;
only a file without errors replaces the draft's items. Items whose Kazakh title is found again
are updated in place (their events stay linked to them); the others are removed or added.
"""

from __future__ import annotations

import datetime
import io
from collections import defaultdict
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from kense.core.permissions import Action, can
from kense.events.models import PlanItem, WorkPlan
from kense.events.selectors.plans import plan_period
from kense.events.services.plans import NOT_EDITABLE, is_editable
from kense.programs.models import Project
from kense.registry.imports import (
    DATE,
    FIRST_DATA_ROW,
    LISTS_SHEET,
    ZIP_MAGIC,
    ImportColumn,
    ImportFileError,
    ImportKind,
    RowError,
    SheetRow,
    read_workbook,
    template_workbook,
)
from kense.registry.models import Organization
from kense.text.kazakh import fold

TEMPLATE_VERSION = 1
MARK_PREFIX = "kense-plan-template v"
MARK = f"{MARK_PREFIX}{TEMPLATE_VERSION}"
META_SHEET = "kense"  # hidden; holds the mark, the plan's id and its territory's id

PLAN_COLUMNS = (
    ImportColumn(
        "order",
        _("No."),
        _("The item's number in the plan; the row order when empty."),
        width=8,
    ),
    ImportColumn("title_kk", _("Title in Kazakh"), _("What is planned, in Kazakh."), required=True),
    ImportColumn(
        "title_ru", _("Title in Russian"), _("What is planned, in Russian."), required=True
    ),
    ImportColumn("title_en", _("Title in English"), width=20),
    ImportColumn(
        "is_event",
        _("An event"),
        _("«yes» for an event, «no» for another action; an event when empty."),
        width=12,
    ),
    ImportColumn(
        "responsible",
        _("Responsible"),
        _("The name in Kazakh or Russian, or the BIN, of an organization you may see."),
        required=True,
        width=36,
    ),
    ImportColumn("start", _("From"), _("A date: dd.mm.yyyy."), required=True, number_format=DATE),
    ImportColumn("end", _("To"), _("A date: dd.mm.yyyy."), required=True, number_format=DATE),
    ImportColumn(
        "project",
        _("Special project"),
        _("The name of a special project you may see; empty when there is none."),
        width=30,
    ),
)
# Model fields whose errors belong to a column of another name (modeltranslation validates the
# untranslated field too).
FIELD_COLUMNS = {"title": "title_kk", "plan": "", "__all__": ""}


def _no_importer(user: Any) -> Any:
    raise NotImplementedError  # plans are imported by plan_import, not by the registry's importer


PLAN_KIND = ImportKind(
    slug="plan",
    model=WorkPlan,
    title=_("Work plan from Excel"),
    sheet_title=_("Work plan"),
    columns=PLAN_COLUMNS,
    importer=_no_importer,
    list_url="events:plan_list",
    success=_("The plan's items were replaced by the file's."),
)


# Reading cells (the registry's readers are private to it; these are the same few lines)


def _text(value: Any) -> str:
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
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    return datetime.datetime.strptime(_text(value), "%d.%m.%Y").date()


def _key(text: str) -> str:
    return " ".join(fold(text).split())


class _Lookup:
    """Finds one object by a code or a name, ignoring case, spacing and Kazakh letters."""

    def __init__(self) -> None:
        self.found: dict[str, set[int]] = defaultdict(set)

    def add(self, pk: int, *names: Any) -> None:
        for name in names:
            if name:
                self.found[_key(str(name))].add(pk)

    def find(self, text: str) -> set[int]:
        return self.found.get(_key(text), set())


def _answers() -> tuple[set[str], set[str]]:
    """«yes» and «no» in every language of the site."""
    # The words themselves too, so that a file is read the same before the translations exist.
    yes = {"1", "true", "+", "yes", "иә", "ия", "да"}
    no = {"0", "false", "-", "no", "жоқ", "нет"}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            yes.add(gettext("yes").casefold())
            no.add(gettext("no").casefold())
    return yes, no


# The template


def template_bytes(plan: WorkPlan, *, user: Any) -> bytes:
    """The plan's template, with its current items filled in."""
    content = template_workbook(PLAN_KIND, user)
    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook.worksheets[0]
    items = list(plan.items.select_related("responsible", "project").order_by("order", "pk"))
    yes, no = gettext("yes"), gettext("no")
    for item in items:
        sheet.append(
            [
                item.order,
                item.title_kk,  # type: ignore[attr-defined]
                item.title_ru,  # type: ignore[attr-defined]
                item.title_en or "",  # type: ignore[attr-defined]
                yes if item.is_event else no,
                item.responsible.name_kk,  # type: ignore[attr-defined]
                item.start,
                item.end,
                item.project.name_kk if item.project else "",  # type: ignore[attr-defined]
            ]
        )
    for row in sheet.iter_rows(min_row=FIRST_DATA_ROW, min_col=7, max_col=8):
        for cell in row:
            cell.number_format = DATE

    names = sorted(
        {name for name in Organization.objects.restrict(user).values_list("name_kk", flat=True)}
    )
    lists = workbook[LISTS_SHEET]
    if names:
        list_letter = get_column_letter(lists.max_column + 1 if lists.max_row > 1 else 1)
        for number, name in enumerate(names, start=1):
            lists[f"{list_letter}{number}"] = name
        validation = DataValidation(
            type="list",
            formula1=f"{LISTS_SHEET}!${list_letter}$1:${list_letter}${len(names)}",
            allow_blank=True,
            showErrorMessage=False,
        )
        last_row = FIRST_DATA_ROW + settings.KENSE_IMPORT_MAX_ROWS
        validation.add(f"F{FIRST_DATA_ROW}:F{last_row}")
        sheet.add_data_validation(validation)

    meta = workbook.create_sheet(META_SHEET)
    meta.sheet_state = "hidden"
    meta["A1"] = MARK
    meta["A2"] = plan.pk
    meta["A3"] = plan.territory_id

    instructions = workbook.worksheets[1]
    start, end = plan_period(plan)
    instructions.append([])
    instructions.append(
        [
            gettext(
                "This template belongs to the plan «%(title)s» (%(territory)s, %(start)s–%(end)s)."
            )
            % {
                "title": plan.title,
                "territory": plan.territory,
                "start": start.strftime("%d.%m.%Y"),
                "end": end.strftime("%d.%m.%Y"),
            }
        ]
    )
    instructions.append(
        [gettext("Uploading the file replaces all the items of the plan's draft with its rows.")]
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# The upload


def _check_mark(content: bytes, plan: WorkPlan) -> None:
    """Refuse a file made from another version of the template, or for another plan."""
    if not content.startswith(ZIP_MAGIC):
        return  # read_workbook says what is wrong with it
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl fails in many ways on a zip that is not a workbook
        return
    try:
        if META_SHEET not in workbook.sheetnames:
            raise ImportFileError(
                gettext(
                    "This is not a Kense work plan template: its version mark is missing. "
                    "Download the plan's template and copy your rows into it."
                )
            )
        values = [
            row[0] if row else None
            for row in workbook[META_SHEET].iter_rows(max_row=3, values_only=True)
        ]
    finally:
        workbook.close()
    values += [None] * (3 - len(values))
    mark = _text(values[0])
    if mark != MARK:
        found = mark.removeprefix(MARK_PREFIX) if mark.startswith(MARK_PREFIX) else "?"
        raise ImportFileError(
            gettext(
                "The file was made from version %(found)s of the work plan template; Kense reads "
                "version %(expected)s. Download the template again and copy your rows into it."
            )
            % {"found": found, "expected": TEMPLATE_VERSION}
        )
    if _text(values[1]) != str(plan.pk):
        raise ImportFileError(
            gettext(
                "This file is the template of another work plan. Download this plan's template "
                "and copy your rows into it."
            )
        )


def read_plan_file(upload: Any, plan: WorkPlan) -> list[SheetRow]:
    """The rows of an uploaded plan template; ImportFileError when the file as a whole is
    wrong (as for every import), of another template version, or of another plan."""
    if upload.size and upload.size <= settings.KENSE_IMPORT_MAX_BYTES:
        content = upload.read()
        upload.seek(0)
        _check_mark(content, plan)
    return read_workbook(upload, PLAN_KIND)


class _PlanRows:
    """Turns sheet rows into unsaved plan items, collecting errors by column key."""

    def __init__(self, plan: WorkPlan, user: Any) -> None:
        self.plan = plan
        self.organizations = _Lookup()
        for pk, name_kk, name_ru, bin_ in Organization.objects.restrict(user).values_list(
            "pk", "name_kk", "name_ru", "bin"
        ):
            self.organizations.add(pk, name_kk, name_ru, bin_)
        self.projects = _Lookup()
        for pk, name_kk, name_ru in Project.objects.restrict(user).values_list(
            "pk", "name_kk", "name_ru"
        ):
            self.projects.add(pk, name_kk, name_ru)
        self.yes, self.no = _answers()

    def item(self, row: SheetRow, index: int, errors: dict[str, list[str]]) -> PlanItem:
        def text(key: str) -> str:
            return _text(row.cells.get(key))

        item = PlanItem(plan=self.plan)
        for column in PLAN_COLUMNS:
            if column.required and not text(column.key):
                errors[column.key].append(gettext("A value is required."))
        order = text("order")
        if order:
            if order.isdigit() and int(order) < 32768:
                item.order = int(order)
            else:
                errors["order"].append(gettext("«%(value)s» is not a number.") % {"value": order})
        else:
            item.order = index
        for key in ("title_kk", "title_ru", "title_en"):
            setattr(item, key, text(key))
        answer = text("is_event").casefold()
        if answer in self.no:
            item.is_event = False
        elif answer and answer not in self.yes:
            errors["is_event"].append(
                gettext("«%(value)s»: write «yes» or «no».") % {"value": text("is_event")}
            )
        responsible = text("responsible")
        if responsible:
            found = self.organizations.find(responsible)
            if len(found) == 1:
                item.responsible_id = next(iter(found))
            elif found:
                errors["responsible"].append(
                    gettext("Several organizations are named «%(value)s»: give the BIN.")
                    % {"value": responsible}
                )
            else:
                errors["responsible"].append(
                    gettext("There is no organization «%(value)s» among those you may see.")
                    % {"value": responsible}
                )
        project = text("project")
        if project:
            found = self.projects.find(project)
            if len(found) == 1:
                item.project_id = next(iter(found))
            else:
                errors["project"].append(
                    gettext(
                        "There is no single special project «%(value)s» among those you may see."
                    )
                    % {"value": project}
                )
        for key in ("start", "end"):
            if text(key):
                try:
                    setattr(item, key, _date(row.cells[key]))
                except ValueError:
                    errors[key].append(
                        gettext("«%(value)s» is not a date: write it as dd.mm.yyyy.")
                        % {"value": text(key)}
                    )
        skipped = set(errors)
        if "title_kk" in skipped:
            skipped.add("title")
        try:
            item.full_clean(exclude=sorted(skipped | {"plan"}))
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                key = FIELD_COLUMNS.get(name, name)
                for message in messages:
                    if message not in errors[key]:
                        errors[key].append(message)
        return item


@transaction.atomic
def plan_import(plan: WorkPlan, rows: list[SheetRow], *, user: Any) -> list[RowError]:
    """Replace the draft's items by the file's rows, or change nothing and return every
    error by row (as Excel numbers them) and column (its title in the user's language)."""
    plan = WorkPlan.objects.select_for_update().get(pk=plan.pk)
    if not can(user, Action.CHANGE, plan):
        raise PermissionDenied
    if not is_editable(plan):
        raise ValidationError(NOT_EDITABLE)
    reader = _PlanRows(plan, user)
    titles = {column.key: str(column.title) for column in PLAN_COLUMNS}
    order = {key: index for index, key in enumerate(titles)}
    errors: list[RowError] = []
    items: list[PlanItem] = []
    for index, row in enumerate(rows, start=1):
        row_errors: dict[str, list[str]] = defaultdict(list)
        items.append(reader.item(row, index, row_errors))
        for key in sorted(row_errors, key=lambda key: order.get(key, -1)):
            for message in row_errors[key]:
                errors.append(RowError(row.number, titles.get(key, ""), message))
    if errors:
        return errors

    existing: dict[str, list[PlanItem]] = defaultdict(list)
    for item in plan.items.order_by("order", "pk"):
        existing[_key(item.title_kk or "")].append(item)  # type: ignore[attr-defined]
    for item in items:
        kept = existing.get(_key(item.title_kk or ""))  # type: ignore[attr-defined]
        if kept:
            item.pk = kept.pop(0).pk
        item._history_user = user  # type: ignore[attr-defined]
        item.save()
    for left in existing.values():
        for item in left:
            item._history_user = user  # type: ignore[attr-defined]
            item.delete()
    return []
