"""What every API module shares: the schemas of a reference, a text and an error; the read
and write error responses; and the helpers that turn input ids into visible objects, call a
write service with the input's field names on its errors, and filter by a subtree.

Endpoints only parse, call and render: reads go through `restrict(user, "view")` (404 outside
the scope), writes through the app's services (422 for bad input, 403 outside the user's write
scope).

The operations core itself answers, on any audited object (its history, restore, comments),
are in `kense.core.api.audit`.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from modeltranslation.translator import NotRegistered, translator
from ninja import Field, Schema, Status
from pydantic import BeforeValidator

from kense.core.permissions import get_visible
from kense.core.revisions import Expectation, expect_revision, is_audited, revision_of
from kense.core.selectors import search_filter

if TYPE_CHECKING:
    from kense.core.models import Attachment
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


# Every error answer says what went wrong twice: `detail` for people (in the request's
# language) and `code` for programs (stable, snake_case, never translated). A code names the
# kind of failure; a status may have several (422: invalid, unknown_parameter).
NOT_AUTHENTICATED = "not_authenticated"
PERMISSION_DENIED = "permission_denied"
CSRF_FAILED = "csrf_failed"
NOT_FOUND = "not_found"
METHOD_NOT_ALLOWED = "method_not_allowed"
CONFLICT = "conflict"
STALE_REVISION = "stale_revision"
REVISION_NOT_COMPARED = "revision_not_compared"
REQUEST_TOO_LARGE = "request_too_large"
INVALID = "invalid"
UNKNOWN_PARAMETER = "unknown_parameter"
UNREADABLE_BODY = "unreadable_body"
BAD_REQUEST = "bad_request"
THROTTLED = "throttled"
SERVER_ERROR = "server_error"

# The code of an error answered without one of its own (an endpoint's `Status(409, {...})`,
# a response made outside the API's handlers).
STATUS_CODES = {
    400: BAD_REQUEST,
    401: NOT_AUTHENTICATED,
    403: PERMISSION_DENIED,
    404: NOT_FOUND,
    405: METHOD_NOT_ALLOWED,
    409: CONFLICT,
    412: STALE_REVISION,
    413: REQUEST_TOO_LARGE,
    422: INVALID,
    429: THROTTLED,
    500: SERVER_ERROR,
}


def error_code(status: int) -> str:
    return STATUS_CODES.get(status, SERVER_ERROR if status >= 500 else BAD_REQUEST)


CODE_DESCRIPTION = (
    "What went wrong, for programs: a stable snake_case code, never translated ("
    + ", ".join(
        sorted(
            {
                *STATUS_CODES.values(),
                CSRF_FAILED,
                REVISION_NOT_COMPARED,
                UNKNOWN_PARAMETER,
                UNREADABLE_BODY,
            }
        )
    )
    + "). New codes may be added; a client should treat an unknown one by its status."
)


def _code(obj: Any, context: Any) -> str:
    """The code an error body gives, or the one of its status (from ninja's validation
    context) when the endpoint gave none."""
    given = obj.get("code") if isinstance(obj, dict) else getattr(obj, "code", None)
    if given:
        return str(given)
    status = (context or {}).get("response_status")
    return error_code(status) if isinstance(status, int) else BAD_REQUEST


class Message(Schema):
    """An error: `detail` for people, in the request's language; `code` for programs."""

    detail: str
    code: str = Field(description=CODE_DESCRIPTION, examples=[NOT_FOUND])

    @staticmethod
    def resolve_code(obj: Any, context: Any) -> str:
        return _code(obj, context)


class FieldError(Schema):
    field: str | None
    message: str


class ValidationErrors(Schema):
    """Input the API does not take: one item per field (`field` null for the input as a
    whole), and the code (`invalid`, or `unknown_parameter` for query parameters the
    operation does not declare)."""

    detail: list[FieldError]
    code: str = Field(description=CODE_DESCRIPTION, examples=[INVALID])

    @staticmethod
    def resolve_code(obj: Any, context: Any) -> str:
        return _code(obj, context)


class RevisionChange(Schema):
    field: str
    label: str
    old: str | None
    new: str | None


class StaleRevisionError(Schema):
    """The answer to a write whose If-Match does not name the object's current revision."""

    detail: str
    code: str = Field(
        description=CODE_DESCRIPTION + " Here: stale_revision (someone saved the object since), "
        "or revision_not_compared (If-Match sent to an operation that compares none).",
        examples=[STALE_REVISION],
    )
    revision: int | None
    changes: list[RevisionChange]

    @staticmethod
    def resolve_code(obj: Any, context: Any) -> str:
        return _code(obj, context)


class AttachmentOut(Schema):
    """A stored file of an object (kense.core.attachments), as every list of files answers
    it: what it is, and the API address of its bytes."""

    id: int
    name: str
    mime_type: str
    size: int = Field(description="In bytes.")
    uploaded_at: datetime.datetime
    download_url: str = Field(description="GET it, with the same credentials, for the bytes.")


def attachment_out(attachment: Attachment, download: str, **address: int) -> dict[str, Any]:
    """A file as AttachmentOut; `download` names the operation that answers its bytes, and
    `address` its path parameters."""
    return {
        "id": attachment.pk,
        "name": attachment.name,
        "mime_type": attachment.mime_type,
        "size": attachment.size,
        "uploaded_at": attachment.uploaded_at,
        "download_url": reverse(f"api:{download}", kwargs=address),
    }


class LocatedOut(Schema):
    """The point of an object that may have one (core.models.Located)."""

    latitude: float | None = Field(None, description="Degrees north (WGS84); null: none given.")
    longitude: float | None = Field(None, description="Degrees east (WGS84); null: none given.")


class LocatedIn(Schema):
    """An optional point: both or neither (a point outside the territory is saved, the page
    warns of it)."""

    latitude: float | None = Field(
        None, ge=-90, le=90, allow_inf_nan=False, description="Degrees north (WGS84)."
    )
    longitude: float | None = Field(
        None, ge=-180, le=180, allow_inf_nan=False, description="Degrees east (WGS84)."
    )


READ_ERRORS: dict[int, Any] = {401: Message, 404: Message}
WRITE_ERRORS: dict[int, Any] = {
    401: Message,
    403: Message,
    404: Message,
    412: StaleRevisionError,
    422: ValidationErrors,
}

# The If-Match of the write being answered, for `write` to hand to the object it saves.
IF_MATCH: ContextVar[Expectation | None] = ContextVar("if_match", default=None)
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class Unchecked(Exception):
    """A write sent with If-Match whose operation compared no revision: refused, not done."""


def etag(revision: int) -> str:
    return f'"{revision}"'


def _if_match(request: HttpRequest) -> Expectation | None:
    """The revisions an If-Match names (`"12"`, `W/"12"`, several separated by commas); None
    without the header or for `*` (any revision will do). A tag that is not a revision
    matches none."""
    header = request.headers.get("If-Match", "").strip()
    if not header or header == "*" or request.method not in UNSAFE:
        return None
    revisions = set()
    for tag in header.split(","):
        value = tag.strip().removeprefix("W/").strip('"')
        revisions.add(int(value) if value.isdigit() else -1)
    return Expectation(frozenset(revisions))


def revisions(view: Callable[..., Any]) -> Callable[..., Any]:
    """The API's optimistic concurrency, for every operation (`api.add_decorator`): an answer
    that is one audited object gets its revision as ETag; a write sent with If-Match runs in
    one transaction in which the object `write` saves must still be at a revision it names
    (412, `kense.core.revisions.StaleRevision`, otherwise), and is undone (412) when the
    operation compared no revision at all, so an If-Match is never silently ignored."""

    @wraps(view)
    def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        expected = _if_match(request)
        token = IF_MATCH.set(expected)
        try:
            if expected is None:
                result = view(request, *args, **kwargs)
            else:
                with transaction.atomic():
                    result = view(request, *args, **kwargs)
                    if not expected.checked:
                        raise Unchecked
        finally:
            IF_MATCH.reset(token)
        answered = result.value if isinstance(result, Status) else result
        if is_audited(answered):
            # Read by KenseAPI.create_response, which writes the header.
            request.revision_etag = etag(revision_of(answered))  # type: ignore[attr-defined]
        return result

    return checked


def search(queryset: QuerySet[M], q: str) -> QuerySet[M]:
    """The shared search box (kense.core.selectors.search_filter); an empty q filters nothing."""
    return search_filter(queryset, q) if q.strip() else queryset


NO_SUBTREE = "/-/"  # no node has this path: a subtree filter by it matches nothing


def subtree(visible: QuerySet[Any], pk: int) -> str:
    """The path of a visible tree node, for a subtree filter, or a path that matches nothing
    when the node is outside the user's scope. Read first (one small query) rather than
    nested: the planner estimates a subtree by a known path well, by a subquery badly."""
    return visible.filter(pk=pk).values_list("path", flat=True).first() or NO_SUBTREE


# The ids a database can hold (a 64-bit integer): a larger one names no object. SQLite fails
# on one in a query (OverflowError, 500) rather than finding nothing.
SMALLEST_ID, LARGEST_ID = -(2**63), 2**63 - 1


def referenced(queryset: QuerySet[M], pk: int | None, field: str) -> M | None:
    """The object an input id names, if the user may see it; otherwise a field error."""
    if pk is None:
        return None
    obj = queryset.filter(pk=pk).first() if SMALLEST_ID <= pk <= LARGEST_ID else None
    if obj is None:
        raise ValidationError({field: INVALID_CHOICE})
    return obj


def referenced_many(queryset: QuerySet[M], data: dict[str, Any], field: str) -> list[M] | None:
    """The objects a list of input ids names, all visible to the user, taken out of `data`;
    None when the field is not given (they stay as they are), a field error when one is
    unknown, out of sight or beyond what an id can be."""
    ids = data.pop(field, None)
    if ids is None:
        return None
    possible = [pk for pk in ids if SMALLEST_ID <= pk <= LARGEST_ID]
    found = list(queryset.filter(pk__in=possible))
    if len(found) != len(set(ids)):
        raise ValidationError({field: INVALID_CHOICE})
    return found


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
    """Call a write service with the endpoint's input names on its errors; an existing `obj`
    must still be at a revision the request's If-Match names (`revisions`)."""
    expected = IF_MATCH.get()
    if expected is not None and obj.pk is not None:
        expect_revision(obj, expected)
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


def file_download(description: str, *media_types: str) -> dict[str, Any]:
    """The `openapi_extra` of an operation that answers a file (its bytes, as an attachment):
    the 200 documented as binary content of these types, which ninja cannot say from a
    response schema. The endpoint returns the HttpResponse (or FileResponse) itself."""
    binary = {"schema": {"type": "string", "format": "binary"}}
    content = {media_type: binary for media_type in media_types or ("application/octet-stream",)}
    return {
        "responses": {
            200: {
                "description": description,
                "content": content,
                "headers": {
                    "Content-Disposition": {
                        "description": "attachment; filename=…",
                        "schema": {"type": "string"},
                    }
                },
            }
        }
    }
