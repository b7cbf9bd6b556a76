"""The one search box in the API: what the search page finds, grouped by kind."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from kense.accounts.auth import current_user
from kense.core.api import READ_ERRORS, Ref
from kense.home import selectors

router = Router(tags=["search"])


class SearchFilters(Schema):
    q: str = Field(
        min_length=1,
        max_length=200,
        description="Every word must begin a word of a name (kk/ru spelling and case ignored).",
    )


class SearchGroupOut(Schema):
    type: str = Field(description="The kind found, as `<app>.<model>` (`registry.person`).")
    label: str = Field(description="The kind's name in the request's language.")
    results: list[Ref] = Field(description="At most 20, in Kazakh alphabetical order.")
    more: bool = Field(description="More were found than shown: narrow the query.")


@router.get("/search", response={200: list[SearchGroupOut], **READ_ERRORS})
def search_everything(request: HttpRequest, filters: Query[SearchFilters]) -> list[dict[str, Any]]:
    """Territories, organizations, people, programs and projects the caller may see whose
    names match, as the search page shows them."""
    groups = selectors.search(current_user(request), filters.q.strip())
    return [
        {
            "type": group.results[0]._meta.label_lower,
            "label": str(group.label),
            "results": [{"id": obj.pk, "name": str(obj)} for obj in group.results],
            "more": group.more,
        }
        for group in groups
    ]
