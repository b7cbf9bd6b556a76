"""The OpenAPI document is one a client can be generated from: valid OpenAPI 3.1, each schema
under a name of its own, each operation with an id of its own.

ninja puts every schema an operation uses under components/schemas by its class name and lets
a later one overwrite an earlier one of the same name; a client generated from such a document
reads one module's answers with another module's schema.
"""

from __future__ import annotations

import enum
import json
import typing
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

import pytest
from ninja.openapi.schema import OpenAPISchema
from ninja.responses import NinjaJSONEncoder
from openapi_spec_validator import validate
from pydantic import BaseModel

from kense.api import api


def _operations() -> Iterator[tuple[str, str, Any]]:
    """(path, method, operation) of every operation of every router of the API."""
    for router in api._get_bound_routers():
        for path, path_view in router.path_operations.items():
            full_path = "/".join(part for part in (router.prefix, path) if part)
            for operation in path_view.operations:
                if operation.include_in_schema:
                    for method in operation.methods:
                        yield full_path, method, operation


def _named_types(annotation: Any, seen: set[Any]) -> Iterator[type]:
    """The models and enums a type annotation reaches, each once."""
    if annotation in seen:
        return
    if isinstance(annotation, type) and issubclass(annotation, BaseModel | enum.Enum):
        seen.add(annotation)
        yield annotation
        if issubclass(annotation, BaseModel):
            for field in annotation.model_fields.values():
                yield from _named_types(field.annotation, seen)
        return
    for argument in typing.get_args(annotation):
        yield from _named_types(argument, seen)


def test_the_document_is_valid_openapi() -> None:
    # As a client reads it: JSON, whose keys (the status codes) are strings.
    validate(json.loads(json.dumps(api.get_openapi_schema(), cls=NinjaJSONEncoder)))


def test_no_two_schemas_share_a_component_name(monkeypatch: pytest.MonkeyPatch) -> None:
    definitions: dict[str, set[str]] = defaultdict(set)
    add = OpenAPISchema.add_schema_definitions

    def recording(self: OpenAPISchema, found: dict[str, Any]) -> None:
        for name, definition in found.items():
            definitions[name].add(json.dumps(definition, sort_keys=True))
        add(self, found)

    monkeypatch.setattr(OpenAPISchema, "add_schema_definitions", recording)
    monkeypatch.setattr(api, "_built_schemas", {})  # built anew, not the process's copy
    api.get_openapi_schema()
    assert definitions, "no schema was built"
    overwritten = sorted(name for name, versions in definitions.items() if len(versions) > 1)
    assert overwritten == []

    # Two classes of one name are a clash waiting to happen even while their schemas agree.
    classes: dict[str, set[str]] = defaultdict(set)
    seen: set[Any] = set()
    for _path, _method, operation in _operations():
        models = [*operation.models, *operation.response_models.values()]
        for model in models:
            for named in _named_types(model, seen):
                classes[named.__name__].add(f"{named.__module__}.{named.__qualname__}")
    shared = {name: sorted(found) for name, found in classes.items() if len(found) > 1}
    assert shared == {}


def test_no_two_operations_share_an_id_or_a_path_and_method() -> None:
    ids: dict[str, list[str]] = defaultdict(list)
    routes: dict[tuple[str, str], list[str]] = defaultdict(list)
    for path, method, operation in _operations():
        name = f"{operation.view_func.__module__}.{operation.view_func.__name__}"
        ids[api.get_openapi_operation_id(operation)].append(name)
        routes[(path, method)].append(name)
    assert {key: names for key, names in ids.items() if len(names) > 1} == {}
    assert {key: names for key, names in routes.items() if len(names) > 1} == {}

    documented = [
        operation["operationId"]
        for methods in api.get_openapi_schema()["paths"].values()
        for operation in methods.values()
    ]
    assert len(documented) == len(set(documented)) == len(ids)


def test_every_operation_documents_its_refusals() -> None:
    # A list answers 422 for a page or a year out of range: a client generated from the
    # document must know that answer and its shape.
    document = json.loads(json.dumps(api.get_openapi_schema(), cls=NinjaJSONEncoder))
    undocumented = []
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            responses = operation["responses"]
            if operation.get("security") and "401" not in responses:
                undocumented.append((method, path, 401))
            if (operation.get("parameters") or operation.get("requestBody")) and (
                "422" not in responses
            ):
                undocumented.append((method, path, 422))
    assert undocumented == []
    events = document["paths"]["/api/v1/events"]["get"]["responses"]
    assert events["422"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ValidationErrors"
    }


def test_each_caller_gets_its_own_copy_of_the_kept_document() -> None:
    first = api.get_openapi_schema()
    first["paths"].clear()
    second = api.get_openapi_schema()
    assert second["paths"]
    assert second == api.get_openapi_schema()
