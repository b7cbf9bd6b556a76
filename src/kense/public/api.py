"""The public API: the open data's datasets, read-only and without authentication, one
operation per dataset, its fields the dataset's columns (kense.public.opendata)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import translation
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from kense.core.pagination import Pagination
from kense.public import opendata, selectors
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
        )(paginate(Pagination)(_operation(_dataset)))
