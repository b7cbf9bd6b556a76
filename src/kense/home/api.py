"""The one search box in the API: what the search page finds, grouped by kind."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from kense.accounts.auth import current_user
from kense.core.api import READ_ERRORS, Text
from kense.core.replica import replica_reads
from kense.home import selectors

router = Router(tags=["search"])


class SearchFilters(Schema):
    q: str = Field(
        min_length=1,
        max_length=200,
        description=(
            "Every word must begin a word of a name or title, or be an inflected Kazakh or "
            "Russian form of one (НҮКЕНОВТІҢ, Нукеновым, аудандарының); kk/ru spelling and "
            "case ignored."
        ),
    )


class SearchResultOut(Schema):
    id: int
    name: Text = Field(description="Its name or title in the request's language.")
    context: Text = Field(description="Where, when, in what state: «2020 ж. 21 сәуір · Сарань».")
    url: str = Field(description="Its page (an agenda item's is its meeting's, at the item).")
    rank: int = Field(
        description="0: every word is a whole word of it; 1: every word begins one; "
        "2: found through a word's stem (an inflected form)."
    )


class SearchGroupOut(Schema):
    type: str = Field(description="The kind found, as `<app>.<model>` (`registry.person`).")
    label: str = Field(description="The kind's name in the request's language.")
    results: list[SearchResultOut] = Field(
        description="At most 20: by rank, then in Kazakh alphabetical order."
    )
    more: bool = Field(description="More were found than shown: narrow the query.")


@router.get("/search", response={200: list[SearchGroupOut], **READ_ERRORS})
def search_everything(request: HttpRequest, filters: Query[SearchFilters]) -> list[dict[str, Any]]:
    """Everything the caller may see that the query finds — territories, organizations,
    people, programs, projects, meetings, agenda items, assignments, events, documents,
    ideas, publications — grouped by kind, as the search page shows it (the same selector)."""
    user = current_user(request)
    # Read from the replica when there is one, as the search page is (kense.core.replica). An
    # API client carries no cookie to pin it to the primary after its own write: what it has
    # just written may be found a second later.
    with replica_reads(request):
        groups = selectors.search(user, filters.q.strip())
    return [
        {
            "type": group.type,
            "label": str(group.label),
            "results": [
                {
                    "id": result.id,
                    "name": result.name,
                    "context": result.context,
                    "url": result.url,
                    "rank": result.rank,
                }
                for result in group.results
            ],
            "more": group.more,
        }
        for group in groups
    ]
