"""`Patch[Schema]`: the body of a PATCH, the fields a client sends of an input schema.

ninja's PatchDict makes every field nullable, so that `{"name_kk": null}` reached the model and
failed in the database (500). Here a field may be left out, and may be null only where the
schema allows null: a null for any other field is a 422 that names it.
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from ninja import Body, Schema
from ninja.patch_dict import ModelToDict
from pydantic import create_model

S = TypeVar("S")


def _absent() -> None:
    # A default factory rather than a default: the document shows no `"default": null` for a
    # field that may be left out but not set to null; a field left out is not in the dict.
    return None


def patch_schema(schema: type[Schema]) -> type[ModelToDict]:
    """The schema with every required field made optional, its type (and so its
    nullability), validators and constraints kept."""
    fields: dict[str, Any] = {}
    for name, info in schema.model_fields.items():
        if info.is_required():
            optional = copy.copy(info)
            optional.default_factory = _absent
            fields[name] = (info.annotation, optional)
    partial = create_model(f"{schema.__name__}Patch", __base__=schema, **fields)

    class PatchDict(ModelToDict):
        _wrapped_model = partial
        _wrapped_model_dump_params = {"exclude_unset": True}

    return PatchDict


class _Patch:
    def __getitem__(self, schema: type[Schema]) -> Any:
        return Body[patch_schema(schema)]  # type: ignore[misc]


if TYPE_CHECKING:

    class Patch(dict[str, Any], Generic[S]):
        """The fields of a schema that a PATCH sends, as a dict."""

else:
    Patch = _Patch()
