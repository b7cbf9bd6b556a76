"""What every API module shares: the schemas of a reference, a text and an error; the read
and write error responses; and the helpers that turn input ids into visible objects, call a
write service with the input's field names on its errors, and filter by a subtree.

Endpoints only parse, call and render: reads go through `restrict(user, "view")` (404 outside
the scope), writes through the app's services (422 for bad input, 403 outside the user's write
scope).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from modeltranslation.translator import NotRegistered, translator
from ninja import Schema
from pydantic import BeforeValidator

from kense.core.permissions import get_visible
from kense.core.selectors import search_filter

if TYPE_CHECKING:
    from kense.core.permissions import Account

M = TypeVar("M", bound=models.Model)

INVALID_CHOICE = _("Select a valid choice. That choice is not one of the available choices.")

# Translated columns are nullable; the API says "" for a missing translation, both ways.
Text = Annotated[str, BeforeValidator(lambda value: "" if value is None else value)]
# Unique codes (KATO, BIN) are NULL when absent, so that many objects may lack one.
Code = Annotated[str | None, BeforeValidator(lambda value: value or None)]


class Ref(Schema):
    """A related object: its id and its name in the request's language."""

    id: int
    name: Text


class Message(Schema):
    detail: str


class FieldError(Schema):
    field: str | None
    message: str


class ValidationErrors(Schema):
    detail: list[FieldError]


READ_ERRORS: dict[int, Any] = {401: Message, 404: Message}
WRITE_ERRORS: dict[int, Any] = {401: Message, 403: Message, 404: Message, 422: ValidationErrors}


def search(queryset: QuerySet[M], q: str) -> QuerySet[M]:
    """The shared search box (kense.core.selectors.search_filter); an empty q filters nothing."""
    return search_filter(queryset, q) if q.strip() else queryset


NO_SUBTREE = "/-/"  # no node has this path: a subtree filter by it matches nothing


def subtree(visible: QuerySet[Any], pk: int) -> str:
    """The path of a visible tree node, for a subtree filter, or a path that matches nothing
    when the node is outside the user's scope. Read first (one small query) rather than
    nested: the planner estimates a subtree by a known path well, by a subquery badly."""
    return visible.filter(pk=pk).values_list("path", flat=True).first() or NO_SUBTREE


def referenced(queryset: QuerySet[M], pk: int | None, field: str) -> M | None:
    """The object an input id names, if the user may see it; otherwise a field error."""
    if pk is None:
        return None
    obj = queryset.filter(pk=pk).first()
    if obj is None:
        raise ValidationError({field: INVALID_CHOICE})
    return obj


def assign(obj: models.Model, data: dict[str, Any], references: dict[str, QuerySet[Any]]) -> None:
    """Set the given input fields on `obj`, turning related ids into visible objects."""
    errors: dict[str, Any] = {}
    for name, value in data.items():
        if name in references:
            try:
                value = referenced(references[name], value, name)
            except ValidationError as error:
                errors.update(error.message_dict)
                continue
        setattr(obj, name, value)
    if errors:
        raise ValidationError(errors)


@contextmanager
def input_names(model: type[models.Model]) -> Iterator[None]:
    """Report a translated field's error under the input field the client sends.

    The model validates `name` (the value in the active language, with fallbacks); the API
    only has name_kk, name_ru, name_en, and the Kazakh one is the one to fill in.
    """
    try:
        yield
    except ValidationError as error:
        if not hasattr(error, "error_dict"):
            raise
        try:
            translated = set(translator.get_options_for_model(model).all_fields)
        except NotRegistered:
            raise error from None
        language = settings.MODELTRANSLATION_DEFAULT_LANGUAGE
        renamed: dict[str, list[ValidationError]] = {}
        for field, field_errors in error.error_dict.items():
            key = f"{field}_{language}" if field in translated else field
            renamed.setdefault(key, []).extend(field_errors)
        raise ValidationError(renamed) from error


def write(service: Callable[..., M], obj: M, **kwargs: Any) -> M:
    """Call a write service with the endpoint's input names on its errors."""
    with input_names(type(obj)):
        return service(obj, **kwargs)


def take_step(
    queryset: QuerySet[M], user: Account, pk: int, step: Callable[..., object], **arguments: Any
) -> M:
    """Take a step of an approval workflow (`kense.core.approval`) through the API: the object
    as the user sees it (404 outside the scope), the step by its service (403 for a user who
    may not take it, 422 with the message when the state does not allow it, both answered by
    the API's handlers), and the object read again as the user sees it now. The pages' twin is
    `kense.core.forms.apply_transition` (and `return_with_comments`)."""
    obj = get_visible(queryset, user, pk=pk)
    step(obj, user=user, **arguments)
    return get_visible(queryset, user, pk=pk)


def split(data: dict[str, Any], *names: str) -> dict[str, Any]:
    """Take the service's own arguments (moved_on, act…) out of the input fields; a null
    leaves the service's default."""
    taken = {name: data.pop(name) for name in names if name in data}
    return {name: value for name, value in taken.items() if value is not None}
