"""Pages of long lists, for the pages (CappedPaginator) and the API (Pagination).

Two habits keep a page cheap however many rows lie behind it:

* the pages count at most COUNT_CAP + 1 rows and then say "more than";
* when the rows are more than fit on the page, the page is read in two steps — the keys of
  its rows first (which PostgreSQL can answer from an index alone, not from the scattered rows
  of a large table), then those rows with everything they show. A list that fits on one page
  is read in one query.
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.functional import cached_property
from ninja.pagination import PageNumberPagination

COUNT_CAP = 10_000


def page_rows(queryset: Any, bottom: int, top: int, total: int) -> Any:
    """Rows bottom..top of an ordered queryset of `total` rows."""
    if total <= top - bottom or not isinstance(queryset, QuerySet):
        return queryset[bottom:top]
    keys = list(queryset.values_list("pk", flat=True)[bottom:top])
    found = {row.pk: row for row in queryset.filter(pk__in=keys).order_by()}
    return [found[key] for key in keys if key in found]


class CappedPaginator(Paginator):
    """A paginator that counts at most COUNT_CAP + 1 rows (one `COUNT(*)` over a LIMIT)."""

    @cached_property
    def count(self) -> int:
        rows = self.object_list
        if isinstance(rows, QuerySet):
            rows = rows.order_by()  # counting needs no order: PostgreSQL may stop early
        return rows[: COUNT_CAP + 1].count()  # type: ignore[attr-defined]

    @property
    def capped(self) -> bool:
        return self.count > COUNT_CAP

    @property
    def shown_count(self) -> int:
        return min(self.count, COUNT_CAP)

    def page(self, number: Any) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        return self._get_page(  # type: ignore[attr-defined]
            page_rows(self.object_list, bottom, top, self.count), number, self
        )


def paginate(request: HttpRequest, queryset: Any, size: int) -> Page:
    return CappedPaginator(queryset, size).get_page(request.GET.get("page"))


class Pagination(PageNumberPagination):
    """The API's page-number pagination: the exact count, and the rows read as above."""

    def paginate_queryset(
        self, queryset: QuerySet, pagination: Any, request: HttpRequest, **params: Any
    ) -> Any:
        size = self._get_page_size(pagination.page_size)
        offset = (pagination.page - 1) * size
        count = self._items_count(queryset)
        return {
            self.items_attribute: page_rows(queryset, offset, offset + size, count),
            "count": count,
        }
