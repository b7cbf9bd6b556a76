"""One way to render a list: filters, Kazakh-ordered rows, pagination, HTMX and Excel export.

A `ListSpec` names the columns, the list's filters (kense.core.filters) and the selector that
reads its rows; `render_list` answers the full page, the HTMX partial (same URL) or, with
?export=xlsx, the same filtered rows as an Excel file.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

from django.db import models
from django.db.models.functions import Coalesce, Collate, NullIf
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.functional import Promise
from django.utils.html import conditional_escape, escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from kense.core.exports import xlsx_response
from kense.core.filters import FilterValues, ListFilters
from kense.core.http import AuthenticatedRequest
from kense.core.pagination import paginate
from kense.core.replica import replica_reads
from kense.core.templatetags.kense_format import human

if TYPE_CHECKING:
    from kense.core.permissions import Account

KAZAKH = "kk"
# ?export=xlsx: the list's rows as an Excel file (not "format", which lists filter by).
EXPORT = "export"


def localized_name(field_name: str = "name", prefix: str = "") -> Coalesce:
    """The field in the current language, falling back like the content does (en → ru → kk)."""
    language = (get_language() or "kk")[:2]
    order = {"kk": ["kk", "ru"], "ru": ["ru", "kk"], "en": ["en", "ru", "kk"]}.get(
        language, ["kk", "ru"]
    )
    parts = [NullIf(models.F(f"{prefix}{field_name}_{code}"), models.Value("")) for code in order]
    return Coalesce(*parts, models.Value(""), output_field=models.CharField())


def kazakh_order(field_name: str = "name", prefix: str = "") -> Collate:
    """Order by the localized name in the Kazakh alphabet (ә after а, ғ after г, і after ы…)."""
    return Collate(localized_name(field_name, prefix), KAZAKH)


@dataclass
class Column:
    label: str | Promise
    value: Callable[[Any], Any]
    link: bool = False
    numeric: bool = False


@dataclass
class ListSpec:
    title: str | Promise
    columns: list[Column]
    # The selector: the user and the filters' values → the rows, scoped, filtered and ordered.
    rows: Callable[[Account, FilterValues], models.QuerySet[Any]]
    filters: type[ListFilters] | None = None
    export_name: str = "export"
    page_size: int = 50
    add_url: str | None = None
    # Further actions shown beside "Add": (label, url) pairs, e.g. an import or a related page.
    links: Sequence[tuple[str | Promise, str]] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)


def render_list(request: AuthenticatedRequest, spec: ListSpec) -> HttpResponse:
    form = spec.filters(request.GET, user=request.user) if spec.filters else None
    queryset = spec.rows(request.user, form.values() if form is not None else {})
    if request.GET.get(EXPORT) == "xlsx":
        rows = ([column.value(obj) for column in spec.columns] for obj in queryset.iterator(2000))
        with replica_reads(request):  # a heavy read that tolerates a second's lag
            return xlsx_response(
                filename=spec.export_name,
                title=str(spec.title),
                headers=[str(column.label) for column in spec.columns],
                rows=rows,
            )
    page = paginate(request, queryset, spec.page_size)
    labels = [escape(str(column.label)) for column in spec.columns]
    query = request.GET.copy()
    query.pop("page", None)
    query.pop(EXPORT, None)
    context = {
        "spec": spec,
        "form": form,
        "page": page,
        "rows": [(obj, _cells(spec.columns, labels, obj)) for obj in page.object_list],
        "query": query.urlencode(),
        **spec.extra,
    }
    template = "core/list.html#results" if request.htmx else "core/list.html"
    return render(request, template, context)


def _cells(columns: list[Column], labels: Sequence[str], obj: Any) -> str:
    """A row's <td>s, written in Python: fifty rows of a dozen columns cost a template
    several times more. Each cell carries its column's label (escaped once for all rows): on a
    phone the rows are drawn as cards (kense.css, table.cards), each value under its label, the
    linked one as the title."""
    cells = []
    for column, label in zip(columns, labels, strict=True):
        # Any value, escaped as format_html would (one with __html__ kept as it says).
        value: Any = column.value(obj)
        if column.link:
            url = escape(obj.get_absolute_url())
            cells.append(
                f'<td class="title" data-label="{label}"><a href="{url}">'
                f"{conditional_escape(value)}</a></td>"
            )
        else:
            shown = conditional_escape(cast(Any, human(value)))
            numeric = ' class="num"' if column.numeric else ""
            cells.append(f'<td{numeric} data-label="{label}">{shown}</td>')
    return mark_safe("".join(cells))
