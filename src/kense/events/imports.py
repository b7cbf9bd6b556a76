"""A work plan's Excel round trip: download the plan's template, fill it offline, upload it.

The template is written and read by core/excel.py, as every import's: titles in the user's
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

from collections import defaultdict
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kense.accounts.models import User
from kense.core.excel import (
    DATE_FORMAT,
    ImportColumn,
    ImportRow,
    ImportSpec,
    Index,
    Mark,
    RowError,
    collect_errors,
    folded_key,
    read_upload,
    template_workbook,
)

# Re-exported: the plan pages and their tests find the template's layout here.
from kense.core.excel import FIRST_DATA_ROW as FIRST_DATA_ROW
from kense.core.excel import META_SHEET as META_SHEET
from kense.core.exports import XLSX
from kense.core.http import download
from kense.core.permissions import Action, can
from kense.events.models import PlanItem, WorkPlan
from kense.events.selectors.plans import plan_period
from kense.events.services.plans import NOT_EDITABLE, is_editable
from kense.programs.models import Project
from kense.registry.models import Organization
from kense.text.kazakh import sorted_kazakh

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
    ImportColumn(
        "start", _("From"), _("A date: dd.mm.yyyy."), required=True, number_format=DATE_FORMAT
    ),
    ImportColumn(
        "end", _("To"), _("A date: dd.mm.yyyy."), required=True, number_format=DATE_FORMAT
    ),
    ImportColumn(
        "project",
        _("Special project"),
        _("The name of a special project you may see; empty when there is none."),
        width=30,
    ),
)

PLAN_KIND = ImportSpec(
    title=_("Work plan from Excel"),
    sheet_title=_("Work plan"),
    columns=PLAN_COLUMNS,
    success=_("The plan's items were replaced by the file's."),
    # modeltranslation validates the untranslated title too
    field_columns={"title": "title_kk"},
    mark=Mark(
        prefix="kense-plan-template v",
        version=1,
        missing=_(
            "This is not a Kense work plan template: its version mark is missing. "
            "Download the plan's template and copy your rows into it."
        ),
        outdated=_(
            "The file was made from version %(found)s of the work plan template; Kense reads "
            "version %(expected)s. Download the template again and copy your rows into it."
        ),
        other=_(
            "This file is the template of another work plan. Download this plan's template "
            "and copy your rows into it."
        ),
    ),
)


# The template


def template_download(plan: WorkPlan, *, user: User) -> HttpResponse:
    """The template as a file to save (its page and the API give the same)."""
    return download(template_bytes(plan, user=user), XLSX, f"work-plan-{plan.pk}-template.xlsx")


def template_bytes(plan: WorkPlan, *, user: User) -> bytes:
    """The plan's template, with its current items filled in."""
    items = plan.items.select_related("responsible", "project").order_by("order", "pk")
    yes, no = gettext("yes"), gettext("no")
    # title_kk… and name_kk are modeltranslation's fields, invisible to the stubs.
    rows = [
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
        for item in items
    ]
    names = Organization.objects.restrict(user).values_list("name_kk", flat=True)
    start, end = plan_period(plan)
    notes = [
        gettext("This template belongs to the plan «%(title)s» (%(territory)s, %(start)s–%(end)s).")
        % {
            "title": plan.title,
            "territory": plan.territory,
            "start": start.strftime("%d.%m.%Y"),
            "end": end.strftime("%d.%m.%Y"),
        },
        gettext("Uploading the file replaces all the items of the plan's draft with its rows."),
    ]
    return template_workbook(
        PLAN_KIND,
        rows=rows,
        lists={"responsible": sorted_kazakh({name for name in names if name})},
        notes=notes,
        marked=[plan.pk, plan.territory_id],
    )


# The upload


def read_plan_file(upload: Any, plan: WorkPlan) -> list[ImportRow]:
    """The rows of an uploaded plan template; ImportFileError when the file as a whole is
    wrong (as for every import), of another template version, or of another plan."""
    return read_upload(upload, PLAN_KIND, pk=plan.pk)


class _PlanRows:
    """Turns sheet rows into unsaved plan items, leaving errors on the rows."""

    def __init__(self, plan: WorkPlan, user: User) -> None:
        self.plan = plan
        self.organizations: Index[int] = Index(code_width=12)
        for pk, name_kk, name_ru, bin_ in Organization.objects.restrict(user).values_list(
            "pk", "name_kk", "name_ru", "bin"
        ):
            self.organizations.add(pk, [name_kk, name_ru], codes=[bin_])
        self.projects: Index[int] = Index()
        for pk, name_kk, name_ru in Project.objects.restrict(user).values_list(
            "pk", "name_kk", "name_ru"
        ):
            self.projects.add(pk, [name_kk, name_ru])

    def item(self, row: ImportRow, index: int) -> PlanItem:
        item = PlanItem(plan=self.plan)
        row.required()
        order = row.whole_number("order", minimum=0, maximum=32767)
        if order is not None:
            item.order = order
        elif not row.text("order"):
            item.order = index
        for key in ("title_kk", "title_ru", "title_en"):
            setattr(item, key, row.text(key))
        if row.yes_no("is_event") is False:
            item.is_event = False
        responsible = row.lookup(
            "responsible",
            self.organizations,
            missing=_("There is no organization «%(value)s» among those you may see."),
            ambiguous=_("Several organizations are named «%(value)s»: give the BIN."),
        )
        if responsible is not None:
            item.responsible_id = responsible
        no_single_project = _(
            "There is no single special project «%(value)s» among those you may see."
        )
        project = row.lookup(
            "project", self.projects, missing=no_single_project, ambiguous=no_single_project
        )
        if project is not None:
            item.project_id = project
        for key in ("start", "end"):
            day = row.date(key)
            if day is not None:
                setattr(item, key, day)
        row.check(item, exclude=["plan"])
        return item


@transaction.atomic
def plan_import(plan: WorkPlan, rows: list[ImportRow], *, user: User) -> list[RowError]:
    """Replace the draft's items by the file's rows, or change nothing and return every
    error by row (as Excel numbers them) and column (its title in the user's language)."""
    plan = WorkPlan.objects.select_for_update().get(pk=plan.pk)
    if not can(user, Action.CHANGE, plan):
        raise PermissionDenied
    if not is_editable(plan):
        raise ValidationError(NOT_EDITABLE)
    reader = _PlanRows(plan, user)
    items = [reader.item(row, index) for index, row in enumerate(rows, start=1)]
    errors = collect_errors(PLAN_KIND, rows)
    if errors:
        return errors

    existing: dict[str, list[PlanItem]] = defaultdict(list)
    # title_kk is modeltranslation's field, invisible to the stubs.
    for item in plan.items.order_by("order", "pk"):
        existing[folded_key(item.title_kk or "")].append(item)  # type: ignore[attr-defined]
    for item in items:
        kept = existing.get(folded_key(item.title_kk or ""))  # type: ignore[attr-defined]
        if kept:
            item.pk = kept.pop(0).pk
        item._history_user = user  # type: ignore[attr-defined]  # read by simple_history
        item.save()
    for left in existing.values():
        for item in left:
            item._history_user = user  # type: ignore[attr-defined]  # read by simple_history
            item.delete()
    return []
