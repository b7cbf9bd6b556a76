"""The public API: the open data's datasets, read-only and without authentication, one
operation per dataset, its fields the dataset's columns (kense.public.opendata); and, for the
project office with a token, publishing a thing on the open pages or taking it off."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any, Literal

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import translation
from ninja import Field, Router, Schema
from ninja.decorators import decorate_view
from ninja.pagination import paginate

from kense.accounts.auth import current_user
from kense.core.api import WRITE_ERRORS, write
from kense.core.pagination import Pagination
from kense.core.permissions import get_visible
from kense.core.replica import read_from_replica
from kense.public import opendata, selectors
from kense.public.publishable import PUBLISHABLE
from kense.public.services import publication_set
from kense.registry.models import Territory

router = Router(tags=["public"])

TYPES: dict[str, Any] = {
    "integer": int | None,
    "number": float | None,
    "string": str | None,
    "date": datetime.date | None,
    "url": str,
}


def _schema(dataset: opendata.Dataset) -> type[Schema]:
    """A response schema whose fields are the dataset's columns, each resolved by the column."""
    annotations: dict[str, Any] = {}
    namespace: dict[str, Any] = {"__annotations__": annotations}
    with translation.override("en"):
        for column in dataset.columns:
            annotations[column.name] = TYPES[column.type]
            namespace[column.name] = Field(..., description=str(column.description))
            namespace[f"resolve_{column.name}"] = staticmethod(
                lambda obj, column=column: column.value(obj)
            )
        namespace["__doc__"] = str(dataset.description)
    return type(f"Public{dataset.key.title()}", (Schema,), namespace)


class PlaceOut(Schema):
    id: int
    name: str
    kind: str = Field(..., description="country, region, city or district.")
    parent_id: int | None


@router.get("/public/places", response=list[PlaceOut], auth=None)
@paginate(Pagination)
def list_public_places(request: HttpRequest) -> QuerySet[Territory]:
    """The places with an open page (countries, regions, cities and districts in force), by
    their depth in the tree and their key. No authentication."""
    return Territory.objects.filter(kind__in=selectors.PLACE_KINDS, valid_to__isnull=True).order_by(
        "depth", "pk"
    )


def _operation(dataset: opendata.Dataset) -> Callable[..., QuerySet[Any]]:
    def operation(request: HttpRequest, place: int | None = None) -> QuerySet[Any]:
        return dataset.rows(selectors.place(place) if place is not None else None)

    operation.__name__ = f"list_public_{dataset.key}"
    operation.__doc__ = (
        f"{dataset.description} `place`: a place's key (GET /public/places); its rows and "
        "those of every place inside it. No authentication; the same rows as the open data's "
        "downloads, oldest first."
    )
    return operation


with translation.override("en"):
    for _dataset in opendata.DATASETS.values():
        router.get(
            f"/public/{_dataset.key}",
            response=list[_schema(_dataset)],  # type: ignore[misc]
            auth=None,
            operation_id=f"list_public_{_dataset.key}",
        )(decorate_view(read_from_replica)(paginate(Pagination)(_operation(_dataset))))


class PublishingIn(Schema):
    kind: Literal["project", "event", "meeting", "document", "publication", "methodology"]
    id: int
    published: bool = Field(..., description="true: on the open pages; false: taken off them.")


class PublishingOut(Schema):
    kind: str
    id: int
    published: bool
    published_at: datetime.datetime | None
    published_by: int | None


@router.post("/public/publishing", response={200: PublishingOut, **WRITE_ERRORS})
def set_publishing(request: HttpRequest, payload: PublishingIn) -> dict[str, Any]:
    """Publish a thing on the open pages or take it off, as the button on its page does: the
    project office, on what it may change (403 otherwise, 404 for what the caller does not
    see, 422 for a draft meeting). Publishing what is published changes nothing. Kept in the
    thing's history."""
    user = current_user(request)
    model = PUBLISHABLE[payload.kind][0]
    obj = get_visible(model._default_manager.all(), user, pk=payload.id)
    write(publication_set, obj, user=user, published=payload.published)
    return {
        "kind": payload.kind,
        "id": obj.pk,
        "published": obj.published_at is not None,
        "published_at": obj.published_at,
        "published_by": obj.published_by_id,
    }
