"""Pages of long lists, for the pages (CappedPaginator) and the API (Pagination).

Two habits keep a page cheap however many rows lie behind it:

* the pages count at most COUNT_CAP + 1 rows and then say "more than";
* when the rows are more than fit on the page, the page is read in two steps — the keys of
  its rows first (which PostgreSQL can answer from an index alone, not from the scattered rows
  of a large table), then those rows with everything they show. A list that fits on one page
  is read in one query.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from django.core.paginator import Page, Paginator
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.functional import cached_property
from ninja import Field, Schema
from ninja.pagination import PageNumberPagination

COUNT_CAP = 10_000
# The last page number the API accepts: far beyond any list (a page past the last is empty),
# and small enough that its offset fits the database's integers (a larger one failed, 500).
LAST_PAGE = 1_000_000

M = TypeVar("M", bound=Model)


def page_rows(
    queryset: QuerySet[M] | Sequence[M], bottom: int, top: int, total: int
) -> QuerySet[M] | Sequence[M]:
    """Rows bottom..top of an ordered queryset (or list) of `total` rows."""
    if total <= top - bottom or not isinstance(queryset, QuerySet):
        return queryset[bottom:top]
    keys = list(queryset.values_list("pk", flat=True)[bottom:top])
    found = {row.pk: row for row in queryset.filter(pk__in=keys).order_by()}
    return [found[key] for key in keys if key in found]


def first_rows(queryset: QuerySet[M], size: int) -> list[M]:
    """The first `size` rows of an ordered queryset, read as a page is: their keys first.
    For the short lists of a page (the home's most urgent assignments): asked for whole rows
    in one query, PostgreSQL read every row of a region's 30,000 open assignments to sort
    them (88 ms); their keys come from a covering index (13 ms)."""
    return list(page_rows(queryset, 0, size, size + 1))


class CappedPaginator(Paginator[M]):
    """A paginator of a queryset that counts at most COUNT_CAP + 1 rows (one `COUNT(*)` over
    a LIMIT)."""

    object_list: QuerySet[M]

    @cached_property
    def count(self) -> int:
        rows = self.object_list
        if isinstance(rows, QuerySet):
            rows = rows.order_by()  # counting needs no order: PostgreSQL may stop early
        return rows[: COUNT_CAP + 1].count()

    @property
    def capped(self) -> bool:
        return self.count > COUNT_CAP

    @property
    def shown_count(self) -> int:
        return min(self.count, COUNT_CAP)

    def page(self, number: int | str) -> Page[M]:
        valid = self.validate_number(number)
        bottom = (valid - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        # _get_page: Django's hook for the Page class, which the stubs leave out.
        page: Page[M] = self._get_page(  # type: ignore[attr-defined]
            page_rows(self.object_list, bottom, top, self.count), valid, self
        )
        return page


def paginate(request: HttpRequest, queryset: QuerySet[M], size: int) -> Page[M]:
    return CappedPaginator(queryset, size).get_page(request.GET.get("page"))


class Pagination(PageNumberPagination):
    """The API's page-number pagination: the exact count, and the rows read as above."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=LAST_PAGE)
        page_size: int | None = Field(None, ge=1)

    def paginate_queryset(
        self,
        queryset: QuerySet[Any],
        pagination: PageNumberPagination.Input,
        request: HttpRequest,
        **params: Any,
    ) -> dict[str, Any]:
        size = self._get_page_size(pagination.page_size)
        offset = (pagination.page - 1) * size
        count = self._items_count(queryset)
        return {
            self.items_attribute: page_rows(queryset, offset, offset + size, count),
            "count": count,
        }
