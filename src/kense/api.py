"""The JSON API under /api/v1/: one NinjaAPI, routers per app.

Errors have one shape whatever raised them: `{"detail": "...", "code": "..."}` (400, 401,
403, 404, 405, 409, 413, 429, 500), `{"detail": [{"field": ..., "message": ...}], "code":
...}` for 422, and the revision's answer for 412; `detail` in the request's language
(Accept-Language, read by LocaleMiddleware), `code` a stable snake_case word for programs
(kense.core.api). Every operation refuses query parameters it does not declare (422,
`unknown_parameter`) rather than ignoring a misspelt filter.
"""

import copy
import datetime
import json
import logging
import typing
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import (
    NON_FIELD_ERRORS,
    PermissionDenied,
    RequestDataTooBig,
    ValidationError,
)
from django.db import IntegrityError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views import defaults
from ninja import Field, NinjaAPI, Schema, Swagger
from ninja.conf import settings as ninja_settings
from ninja.constants import NOT_SET
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as RequestValidationError
from ninja.openapi.schema import OpenAPISchema
from ninja.operation import Operation
from ninja.renderers import JSONRenderer
from ninja.responses import NinjaJSONEncoder
from pydantic import BaseModel
from pydantic import ValidationError as PydanticValidationError

from kense.accounts.auth import CSRF_FAILED, session_auth, token_auth, token_permissions
from kense.core import api as codes
from kense.core.api import UNSAFE, Unchecked, error_code, etag, revisions
from kense.core.pagination import LAST_PAGE
from kense.core.revisions import StaleRevision

logger = logging.getLogger(__name__)

NOT_AUTHENTICATED = _("Authentication credentials were not provided or are not valid.")
FORBIDDEN = _("You do not have permission to perform this action.")
NOT_FOUND = _("Not found.")
UNREADABLE_BODY = _("The request body could not be read: send JSON.")
SERVER_ERROR = _("The server failed to answer; the fault is logged. Try again later.")
METHOD_NOT_ALLOWED = _("This address does not take this method.")
UNCHECKED = _("This operation does not compare revisions: send it without If-Match.")
CONFLICT = _("The request conflicts with the data saved meanwhile: read it again and retry.")
REQUEST_TOO_LARGE = _("The request is too large.")
THROTTLED = _("Too many requests: wait a while and try again.")
UNKNOWN_PARAMETER = _("Unknown parameter.")
# Query parameters every operation takes without declaring them: `_`, the cache buster some
# HTTP clients add on their own (jQuery's cache: false), which changes nothing.
IGNORED_PARAMETERS = frozenset({"_"})

# Request parsing errors come from pydantic, in English; the common ones are said again with
# Django's own wording, which already has kk and ru translations.
PARSING_MESSAGES = {
    "missing": _("This field is required."),
    "int_type": _("Enter a whole number."),
    "int_parsing": _("Enter a whole number."),
    "int_from_float": _("Enter a whole number."),
    "decimal_type": _("Enter a number."),
    "decimal_parsing": _("Enter a number."),
    "float_parsing": _("Enter a number."),
    "date_type": _("Enter a valid date."),
    "date_parsing": _("Enter a valid date."),
    "date_from_datetime_parsing": _("Enter a valid date."),
    "date_from_datetime_inexact": _("Enter a valid date."),
    "enum": _("Select a valid choice. That choice is not one of the available choices."),
    "literal_error": _("Select a valid choice. That choice is not one of the available choices."),
    "list_type": _("Enter a list of values."),
    "json_invalid": UNREADABLE_BODY,
}
INVALID_VALUE = _("Enter a valid value.")


def docs_access(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The docs and the OpenAPI document: for anyone where KENSE_PUBLIC_API_DOCS is on
    (development), otherwise for a logged-in user only."""

    @wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if settings.KENSE_PUBLIC_API_DOCS or request.user.is_authenticated:
            return view(request, *args, **kwargs)
        return redirect_to_login(request.get_full_path())

    return guarded


def _document(responses: dict[Any, Any], status: int, description: str, component: str) -> None:
    if status in responses or str(status) in responses:
        return
    reference = {"$ref": f"#/components/schemas/{component}"}
    responses[status] = {
        "description": description,
        "content": {"application/json": {"schema": reference}},
    }


def _region_time(value: datetime.datetime) -> datetime.datetime:
    """A date-time as the API says it: in the region's time zone (settings.TIME_ZONE), with
    its offset. A naive one (in input, or a defect in output) is read in that time zone."""
    region = timezone.get_default_timezone()
    if timezone.is_naive(value):
        return timezone.make_aware(value, region)
    return value.astimezone(region)


class KenseJSONEncoder(NinjaJSONEncoder):
    """Every date-time of every answer in one form: ISO 8601 in the region's time zone with
    its offset (2026-12-06T15:20:00+05:00), whether it was read from the database (UTC) or
    given in a request with another offset."""

    def default(self, o: Any) -> Any:
        if isinstance(o, datetime.datetime):
            o = _region_time(o)
            offset = o.utcoffset()
            if offset is not None and offset.seconds % 60:
                # Before standard time the zone's offset was local mean time (+05:07:48),
                # which ISO 8601 and RFC 3339 cannot write: such a date-time is said in UTC.
                o = o.astimezone(datetime.UTC)
        return super().default(o)


class KenseRenderer(JSONRenderer):
    encoder_class = KenseJSONEncoder


def _aware(value: Any) -> Any:
    """Input with every naive date-time made aware in the region's time zone (the API's
    documented reading of a date-time without offset), so services compare and save aware
    ones only. Walks the parsed schemas, lists and dicts of an operation's arguments."""
    if isinstance(value, datetime.datetime):
        return _region_time(value) if timezone.is_naive(value) else value
    if isinstance(value, BaseModel):
        for name in value.model_fields_set:
            current = getattr(value, name, None)
            changed = _aware(current)
            if changed is not current:
                # Set on the instance's dict: assignment would mark nothing new (the field is
                # already set) but may run validators the schema has for input only.
                value.__dict__[name] = changed
        return value
    if isinstance(value, list):
        changed_items = [_aware(item) for item in value]
        if any(new is not old for new, old in zip(changed_items, value, strict=True)):
            return changed_items
        return value
    if isinstance(value, dict):
        changed_values = {key: _aware(item) for key, item in value.items()}
        if any(changed_values[key] is not value[key] for key in value):
            return changed_values
        return value
    return value


def _declared_query(operation: Operation) -> frozenset[str]:
    """The query parameters an operation declares (its filters, `page` and `page_size`…),
    by the names the client sends."""
    names: set[str] = set()
    for model in operation.models:
        if getattr(model, "__ninja_param_source__", None) != "query":
            continue
        flat = getattr(model, "__ninja_flatten_map__", None) or {}
        names.update(flat)
        for name, field in model.model_fields.items():
            if name not in {path[0] for path in flat.values()}:
                names.add(field.alias or name)
    return frozenset(names)


def strict_operation(operation: Operation) -> None:
    """Wrap an operation's function (after authentication and the parsing of its declared
    parameters, inside ninja's error handling): a query parameter it does not declare is
    refused (422, `unknown_parameter`, one item per parameter) rather than silently ignored
    (a misspelt filter would answer the whole list), and naive input date-times are read in
    the region's time zone."""
    allowed = _declared_query(operation) | IGNORED_PARAMETERS
    plain_list = is_plain_list(operation)
    if plain_list:
        allowed |= PAGE_PARAMETERS
    view = operation.view_func

    @wraps(view)
    def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        unknown = [name for name in request.GET if name not in allowed]
        if unknown:
            raise UnknownParameters(unknown)
        page = _list_page(request) if plain_list else None
        result = view(request, *args, **{name: _aware(value) for name, value in kwargs.items()})
        return _page_of(request, result, page) if plain_list else result

    checked.kense_strict = True  # type: ignore[attr-defined]
    operation.view_func = checked


PAGE_PARAMETERS = frozenset({"page", "page_size"})


class ListPage(Schema):
    """`page` and `page_size` of a list that answers a plain array (see `is_plain_list`),
    with the bounds of the paginated lists (kense.core.pagination.Pagination)."""

    page: int = Field(1, ge=1, le=LAST_PAGE)
    page_size: int | None = Field(None, ge=1)


def is_plain_list(operation: Operation) -> bool:
    """A GET that answers a JSON array (v1's lists of one object's parts: versions,
    distributions, tokens…), not a `{items, count}` page."""
    model = operation.response_models.get(200) if operation.methods == ["GET"] else None
    if not model or model is NOT_SET:
        return False
    annotation = model.model_fields["response"].annotation
    return typing.get_origin(annotation) is list


def _list_page(request: HttpRequest) -> tuple[int, int] | None:
    """The page a plain list is asked for: None (the whole list, as in v1) without `page`
    and `page_size`; their errors as the API's 422."""
    given = {name: request.GET[name] for name in PAGE_PARAMETERS if name in request.GET}
    if not given:
        return None
    try:
        page = ListPage.model_validate(given)
    except PydanticValidationError as error:
        raise RequestValidationError(
            [{**item, "loc": ("query", *item["loc"])} for item in error.errors()]
        ) from error
    size = min(
        page.page_size or ninja_settings.PAGINATION_PER_PAGE,
        ninja_settings.PAGINATION_MAX_PER_PAGE_SIZE,
    )
    return (page.page - 1) * size, size


def _page_of(request: HttpRequest, result: Any, page: tuple[int, int] | None) -> Any:
    """A plain list's rows, or the page asked for; its length in `X-Total-Count`, as every
    list says it (KenseAPI.create_response)."""
    if isinstance(result, QuerySet):
        rows: Any = result
        total = result.count() if page is not None else None
    elif isinstance(result, list | tuple):
        rows, total = result, len(result)
    else:
        return result
    if page is not None:
        offset, size = page
        rows = rows[offset : offset + size]
    else:
        rows = list(rows)
        total = len(rows)
    request.list_total = total  # type: ignore[attr-defined]
    return rows


class UnknownParameters(Exception):
    def __init__(self, names: list[str]) -> None:
        super().__init__(names)
        self.names = names


TOTAL_COUNT = "X-Total-Count"


def _is_list_answer(ok: dict[str, Any]) -> bool:
    schema = ok.get("content", {}).get("application/json", {}).get("schema", {})
    return schema.get("type") == "array" or schema.get("$ref", "").split("/")[-1].startswith(
        "Paged"
    )


def _document_page_parameters(operation: dict[str, Any]) -> None:
    parameters = operation.setdefault("parameters", [])
    names = {parameter["name"] for parameter in parameters if parameter.get("in") == "query"}
    bounds = {
        # No default: without page (and page_size) the list is whole, and a generated client
        # sends a documented default (page=1 would cut the list to its first page).
        "page": {"type": "integer", "minimum": 1, "maximum": LAST_PAGE},
        "page_size": {"type": "integer", "minimum": 1},
    }
    for name, schema in bounds.items():
        if name not in names:
            parameters.append(
                {
                    "in": "query",
                    "name": name,
                    "required": False,
                    "schema": {"title": name.replace("_", " ").capitalize(), **schema},
                    "description": "Without page nor page_size, the whole list (as in v1).",
                }
            )


class KenseAPI(NinjaAPI):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._built_schemas: dict[tuple[str, str], OpenAPISchema] = {}

    def get_openapi_operation_id(self, operation: Operation) -> str:
        # Function names are unique across the API; the module prefix only adds noise.
        return operation.view_func.__name__

    def _get_bound_routers(self) -> Any:
        # Every operation of every router, whoever adds it, gets the API's own checks once,
        # when ninja binds the routers to the API (the first time it needs its operations).
        first = self._bound_routers_cache is None
        routers = super()._get_bound_routers()
        if first:
            for router in routers:
                for path_view in router.path_operations.values():
                    for operation in path_view.operations:
                        strict_operation(operation)
        return routers

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        """The OpenAPI document, built once per process (and address prefix and language):
        building it took a second of CPU on every request of /api/v1/openapi.json, and the
        operations do not change while the process runs. Each caller gets its own copy."""
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        key = (path_prefix, get_language())
        built = self._built_schemas.get(key)
        if built is None:
            built = self._built_schemas[key] = self._build_openapi_schema(path_prefix)
        return copy.deepcopy(built)

    def _build_openapi_schema(self, path_prefix: str) -> OpenAPISchema:
        schema = super().get_openapi_schema(path_prefix=path_prefix)
        # ninja documents the answers an endpoint declares; any operation that needs
        # credentials may also answer 401, and any that takes input 422 (a page, a year, an
        # id out of range…). A client generated from the document must expect them.
        for methods in schema["paths"].values():
            for method, operation in methods.items():
                responses = operation["responses"]
                if operation.get("security"):
                    _document(responses, 401, "Unauthorized", "Message")
                # Any operation: a query parameter it does not declare.
                _document(responses, 422, "Unprocessable Entity", "ValidationErrors")
                ok = responses.get(200) or responses.get("200")
                # Lists are read with GET; a write answering an array (a bulk create, the
                # events a postponement moved) is no list: no pages, no total.
                if method == "get" and ok and _is_list_answer(ok):
                    ok["headers"] = {
                        TOTAL_COUNT: {
                            "description": "The number of rows of the list, all pages.",
                            "schema": {"type": "integer"},
                        }
                    }
                    if ok["content"]["application/json"]["schema"].get("type") == "array":
                        _document_page_parameters(operation)
                if any(part.get("in") == "path" for part in operation.get("parameters", [])):
                    _document(responses, 404, "Not Found", "Message")
                if operation.get("requestBody"):
                    _document(responses, 400, "Bad Request", "Message")
                    _document(responses, 413, "Content Too Large", "Message")
                if method.upper() in UNSAFE:
                    # A session's write without its CSRF token; a unique value taken by a
                    # concurrent write; an If-Match (kense.core.api.revisions).
                    if operation.get("security"):
                        _document(responses, 403, "Forbidden", "Message")
                    _document(responses, 409, "Conflict", "Message")
                    _document(responses, 412, "Precondition Failed", "StaleRevisionError")
        return schema

    def create_response(
        self,
        request: HttpRequest,
        data: Any,
        *,
        status: int | None = None,
        temporal_response: HttpResponse | None = None,
    ) -> HttpResponse:
        response = super().create_response(
            request, data, status=status, temporal_response=temporal_response
        )
        # The revision of the object answered, set by kense.core.api.revisions.
        tag = getattr(request, "revision_etag", None)
        if tag is not None and response.status_code < 300:
            response["ETag"] = tag
        # Every list says how many rows it has in all, in the same header: the paginated
        # ones also in their body (`count`), the plain arrays only here (`_page_of`).
        if response.status_code == 200:
            total = getattr(request, "list_total", None)
            if total is None and isinstance(data, dict) and set(data) == {"items", "count"}:
                total = data["count"]
            if total is not None:
                response[TOTAL_COUNT] = str(total)
        return response


api = KenseAPI(
    title="Kense API",
    version="1",
    description=(
        "The registry and programs of the regional project office. Authenticate with "
        "`Authorization: Bearer <token>` or with the browser session. A personal token acts "
        "with all of its user's rights; it is created on the profile page, by POST "
        "/api/v1/me/tokens from a logged-in browser, or, without a browser (a mobile app, a "
        "script), by POST /api/v1/auth/token with the user name and password (failed attempts "
        "count as on the login page: a locked-out name answers 429). A token may rename, "
        "rotate and revoke itself, never create another. A service token (for an "
        "integration, issued by the administrator or the project office at "
        "/api/v1/service-tokens) acts as its account but only in the areas it is given "
        "(`<tag>:read`, `<tag>:write`, the tag of the operations below): another operation "
        "answers 403 naming the permission it needs; an expired token answers 401. Lists are "
        "paginated (`page`, `page_size`) and ordered by the Kazakh alphabet; messages follow "
        "Accept-Language (kk, ru, en).\n\n"
        'Lost updates: reading or writing one object answers its revision as `ETag` ("123"). '
        "Send it back as `If-Match` with a PATCH (or any write to that object): if someone saved "
        "the object since, nothing is changed and the answer is 412 with the current revision "
        "and what changed since yours; read it again, merge, and resend. A write without "
        "If-Match is applied as before, over whatever is saved; a write with If-Match to an "
        "operation that compares no revision is refused (412) rather than done unchecked.\n\n"
        "Errors: every error answer is JSON with `detail` (a message in the request's "
        "language; for 422 a list of `{field, message}`) and `code`, a stable snake_case word "
        "for programs (not_authenticated, permission_denied, csrf_failed, not_found, "
        "method_not_allowed, conflict, stale_revision, revision_not_compared, "
        "request_too_large, invalid, unknown_parameter, unreadable_body, bad_request, "
        "throttled, server_error). A query parameter an operation does not declare is refused "
        "(422, `unknown_parameter`, naming it) rather than ignored; only `_`, a cache buster, "
        "is let through.\n\n"
        "Dates and times: a date is `YYYY-MM-DD`, a day of the region's calendar. A date-time "
        "is ISO 8601; every answer gives it in the region's time zone with its offset "
        "(`2026-12-06T15:20:00+05:00`; one before the zone's standard time, whose offset had "
        "seconds, in UTC), and a date-time sent without an offset is read in that "
        "time zone (" + settings.TIME_ZONE + ").\n\n"
        "Lists: every list takes `page` (from 1) and `page_size` (from 1, by default "
        + str(ninja_settings.PAGINATION_PER_PAGE)
        + "; a larger one than "
        + str(ninja_settings.PAGINATION_MAX_PER_PAGE_SIZE)
        + " gives that many) and answers `{items, count}`, `count` being the number of rows "
        "of all pages. "
        "Every list also says its number of rows in the `X-Total-Count` header; the lists of "
        "one object's parts that answer a plain array (as in v1) answer all of it without "
        "`page` and `page_size`, the page asked for with them. A list takes the filters of "
        "its page, by the same names (`q` where the page has a search box); no list takes an "
        "ordering parameter: each has one fixed order, its page's (names in the Kazakh "
        "alphabet, or dates).\n\n"
        "Changes to version 1 are listed in docs/api-changelog.md, each saying whether it is "
        "backward compatible."
    ),
    urls_namespace="api",
    auth=[token_auth, session_auth],
    renderer=KenseRenderer(),
    # The bundled swagger-ui from ninja's static files (ninja is in INSTALLED_APPS), so the
    # page passes the CSP; no online validator is contacted.
    docs=Swagger(settings={"validatorUrl": None}),
    docs_decorator=docs_access,
    openapi_extra={
        "tags": [
            {
                "name": "disruptions",
                # The v1 tag keeps its word (clients group operations by tag); this says what it is.
                "description": "States of emergency (named disruptions in API v1): quarantines, "
                "natural disasters and other declared restrictions that postpone events.",
            }
        ]
    },
)


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def _json(message: object, status: int, code: str | None = None) -> JsonResponse:
    """An error answered outside ninja, in the API's shape."""
    return JsonResponse({"detail": str(message), "code": code or error_code(status)}, status=status)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Django's 404 (handler404): an address under /api/ that nothing answers gets the API's
    JSON, any other the site's page."""
    if _is_api(request):
        return _json(NOT_FOUND, 404)
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    """Django's 500 (handler500), after it has logged the exception: JSON under /api/."""
    if _is_api(request):
        return _json(SERVER_ERROR, 500)
    return defaults.server_error(request)


class JsonErrors:
    """Middleware: under /api/, an error answered outside the API's handlers (ninja's 405 for
    a method a path does not take, Django's 400 for a request it cannot read, a lockout by
    django-axes, a 429 or 413 from anywhere) is said in the API's shape, `{"detail": ...,
    "code": ...}`, rather than as text, an HTML page or another JSON shape."""

    KEPT_HEADERS = ("Allow", "WWW-Authenticate", "Retry-After")
    MESSAGES = {405: METHOD_NOT_ALLOWED, 413: REQUEST_TOO_LARGE, 429: THROTTLED}

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code < 400 or not _is_api(request) or _in_shape(response):
            return response
        status = response.status_code
        answer = _json(self.MESSAGES.get(status, response.reason_phrase), status)
        for header in self.KEPT_HEADERS:
            if header in response:
                answer[header] = response[header]
        return answer

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        # Django answers a body beyond DATA_UPLOAD_MAX_MEMORY_SIZE as 400 (it is a
        # SuspiciousOperation); the client should learn it is the size.
        if _is_api(request) and isinstance(exception, RequestDataTooBig):
            return _json(REQUEST_TOO_LARGE, 413)
        return None


def _in_shape(response: HttpResponse) -> bool:
    """Is an error answer already in the API's shape (JSON with a detail and a code)?"""
    if "json" not in response.get("Content-Type", "") or getattr(response, "streaming", False):
        return False
    try:
        body = json.loads(response.content)
    except ValueError:
        return False
    return isinstance(body, dict) and "detail" in body and isinstance(body.get("code"), str)


def _detail(
    request: HttpRequest, message: object, status: int, code: str | None = None
) -> HttpResponse:
    body = {"detail": str(message), "code": code or error_code(status)}
    return api.create_response(request, body, status=status)


@api.exception_handler(AuthenticationError)
def not_authenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = _detail(request, NOT_AUTHENTICATED, 401)
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(PermissionDenied)
def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return _detail(request, FORBIDDEN, 403)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _detail(request, NOT_FOUND, 404)


@api.exception_handler(RequestDataTooBig)
def too_large(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return _detail(request, REQUEST_TOO_LARGE, 413)


@api.exception_handler(IntegrityError)
def conflict(request: HttpRequest, exc: IntegrityError) -> HttpResponse:
    # A unique value taken between a service's check and its save (two requests at once):
    # the client may read again and retry. Logged, since a constraint no check precedes is
    # a defect to fix in the service, not only a race.
    logger.warning("Integrity error answered as 409: %s", exc, exc_info=exc)
    return _detail(request, CONFLICT, 409)


@api.exception_handler(UnknownParameters)
def unknown_parameters(request: HttpRequest, exc: UnknownParameters) -> HttpResponse:
    errors = [{"field": name, "message": str(UNKNOWN_PARAMETER)} for name in exc.names]
    body = {"detail": errors, "code": codes.UNKNOWN_PARAMETER}
    return api.create_response(request, body, status=422)


def _field(loc: tuple[Any, ...] | list[Any]) -> str | None:
    # ninja's loc is (source, param, field, …): ("body", "payload", "name_kk") or
    # ("query", "kind"); the client only knows the field.
    parts = [str(part) for part in loc[1:]]
    if parts and parts[0] == "payload":
        parts = parts[1:]
    return ".".join(parts) or None


@api.exception_handler(RequestValidationError)
def request_invalid(request: HttpRequest, exc: RequestValidationError) -> HttpResponse:
    errors = [
        {
            "field": _field(error.get("loc", ())),
            "message": str(PARSING_MESSAGES.get(error.get("type", ""), INVALID_VALUE)),
        }
        for error in exc.errors
    ]
    return api.create_response(request, {"detail": errors, "code": codes.INVALID}, status=422)


@api.exception_handler(ValidationError)
def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    if hasattr(exc, "error_dict"):
        pairs = [
            (None if field == NON_FIELD_ERRORS else field, str(message))
            for field, messages in exc.message_dict.items()
            for message in messages
        ]
    else:
        pairs = [(None, str(message)) for message in exc.messages]
    # A translated field can fail twice the same way (name_kk itself, and the name it backs).
    unique = dict.fromkeys(pairs)
    errors = [{"field": field, "message": message} for field, message in unique]
    return api.create_response(request, {"detail": errors, "code": codes.INVALID}, status=422)


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    status = exc.status_code
    if status == 400:
        # ninja's only 400 is a body it cannot parse; its text is English and not for people.
        return _detail(request, UNREADABLE_BODY, 400, codes.UNREADABLE_BODY)
    if isinstance(exc, Throttled):
        response = _detail(request, THROTTLED, 429)
        if exc.wait:
            response["Retry-After"] = str(exc.wait)
        return response
    if status == 403 and exc.message == str(CSRF_FAILED):
        return _detail(request, exc, 403, codes.CSRF_FAILED)
    return _detail(request, exc, status)


# ninja's "operation" mode wraps the endpoint function (its "view" mode wraps the whole run):
# `revisions` needs the object the endpoint answers, before it becomes JSON.
api.add_decorator(revisions, mode="operation")
# After `revisions`, so around it: a service token is refused before anything is read.
api.add_decorator(token_permissions, mode="operation")


@api.exception_handler(StaleRevision)
def stale(request: HttpRequest, exc: StaleRevision) -> HttpResponse:
    changes = [
        {
            "field": change.name,
            "label": change.label,
            "old": None if change.old is None else str(change.old),
            "new": None if change.new is None else str(change.new),
        }
        for change in exc.changes
    ]
    body = {
        "detail": " ".join(exc.messages),
        "code": codes.STALE_REVISION,
        "revision": exc.revision,
        "changes": changes,
    }
    response = api.create_response(request, body, status=412)
    response["ETag"] = etag(exc.revision)
    return response


@api.exception_handler(Unchecked)
def unchecked(request: HttpRequest, exc: Unchecked) -> HttpResponse:
    body: dict[str, Any] = {
        "detail": str(UNCHECKED),
        "code": codes.REVISION_NOT_COMPARED,
        "revision": None,
        "changes": [],
    }
    return api.create_response(request, body, status=412)


api.add_router("", "kense.accounts.api.router")
api.add_router("", "kense.notifications.api.router")
api.add_router("", "kense.registry.api.router")
api.add_router("", "kense.programs.api.router")
api.add_router("", "kense.meetings.api.router")
api.add_router("", "kense.assignments.api.router")
api.add_router("", "kense.events.api.router")
api.add_router("", "kense.indicators.api.router")
api.add_router("", "kense.documents.api.router")
api.add_router("", "kense.ideas.api.router")
api.add_router("", "kense.media.api.router")
api.add_router("", "kense.sites.api.router")
api.add_router("", "kense.meetings.imports.router")
api.add_router("", "kense.assignments.imports.router")
api.add_router("", "kense.documents.imports.router")
api.add_router("", "kense.core.api.audit.router")
api.add_router("", "kense.home.api.router")
api.add_router("", "kense.geo.api.router")
api.add_router("", "kense.public.api.router")
