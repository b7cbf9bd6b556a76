"""The JSON API under /api/v1/: one NinjaAPI, routers per app.

Errors have one shape whatever raised them: `{"detail": "..."}` for 401/403/404 and
`{"detail": [{"field": ..., "message": ...}]}` for 422, in the request's language
(Accept-Language, read by LocaleMiddleware).
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext_lazy as _
from django.views import defaults
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as RequestValidationError
from ninja.openapi.schema import OpenAPISchema
from ninja.operation import Operation

from kense.accounts.auth import session_auth, token_auth
from kense.core.api import Unchecked, etag, revisions
from kense.core.revisions import StaleRevision

NOT_AUTHENTICATED = _("Authentication credentials were not provided or are not valid.")
FORBIDDEN = _("You do not have permission to perform this action.")
NOT_FOUND = _("Not found.")
UNREADABLE_BODY = _("The request body could not be read: send JSON.")
SERVER_ERROR = _("The server failed to answer; the fault is logged. Try again later.")
METHOD_NOT_ALLOWED = _("This address does not take this method.")
UNCHECKED = _("This operation does not compare revisions: send it without If-Match.")

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


class KenseAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation: Operation) -> str:
        # Function names are unique across the API; the module prefix only adds noise.
        return operation.view_func.__name__

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        # ninja documents the answers an endpoint declares; any operation that needs
        # credentials may also answer 401, and any that takes input 422 (a page, a year, an
        # id out of range…). A client generated from the document must expect them.
        for methods in schema["paths"].values():
            for operation in methods.values():
                responses = operation["responses"]
                if operation.get("security"):
                    _document(responses, 401, "Unauthorized", "Message")
                if operation.get("parameters") or operation.get("requestBody"):
                    _document(responses, 422, "Unprocessable Entity", "ValidationErrors")
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
        return response


api = KenseAPI(
    title="Kense API",
    version="1",
    description=(
        "The registry and programs of the regional project office. Authenticate with "
        "`Authorization: Bearer <token>` (tokens are created from a logged-in browser: the "
        "profile page, or POST /api/v1/me/tokens) or with the browser session. Lists are "
        "paginated (`page`, `page_size`) and ordered by the Kazakh alphabet; messages follow "
        "Accept-Language (kk, ru, en).\n\n"
        'Lost updates: reading or writing one object answers its revision as `ETag` ("123"). '
        "Send it back as `If-Match` with a PATCH (or any write to that object): if someone saved "
        "the object since, nothing is changed and the answer is 412 with the current revision "
        "and what changed since yours; read it again, merge, and resend. A write without "
        "If-Match is applied as before, over whatever is saved; a write with If-Match to an "
        "operation that compares no revision is refused (412) rather than done unchecked."
    ),
    urls_namespace="api",
    auth=[token_auth, session_auth],
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


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Django's 404 (handler404): an address under /api/ that nothing answers gets the API's
    JSON, any other the site's page."""
    if _is_api(request):
        return JsonResponse({"detail": str(NOT_FOUND)}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    """Django's 500 (handler500), after it has logged the exception: JSON under /api/."""
    if _is_api(request):
        return JsonResponse({"detail": str(SERVER_ERROR)}, status=500)
    return defaults.server_error(request)


class JsonErrors:
    """Middleware: under /api/, an error answered outside the API's handlers (ninja's 405 for
    a method a path does not take, Django's 400 for a request it cannot read) is said in the
    API's shape, `{"detail": ...}`, rather than as text or an HTML page."""

    KEPT_HEADERS = ("Allow", "WWW-Authenticate", "Retry-After")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        content_type = response.get("Content-Type", "")
        if response.status_code < 400 or not _is_api(request) or "json" in content_type:
            return response
        message = METHOD_NOT_ALLOWED if response.status_code == 405 else response.reason_phrase
        answer = JsonResponse({"detail": str(message)}, status=response.status_code)
        for header in self.KEPT_HEADERS:
            if header in response:
                answer[header] = response[header]
        return answer


def _detail(request: HttpRequest, message: object, status: int) -> HttpResponse:
    return api.create_response(request, {"detail": str(message)}, status=status)


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
    return api.create_response(request, {"detail": errors}, status=422)


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
    return api.create_response(request, {"detail": errors}, status=422)


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    # ninja's only 400 is a body it cannot parse; its text is English and not for people.
    return _detail(request, UNREADABLE_BODY if exc.status_code == 400 else exc, exc.status_code)


# ninja's "operation" mode wraps the endpoint function (its "view" mode wraps the whole run):
# `revisions` needs the object the endpoint answers, before it becomes JSON.
api.add_decorator(revisions, mode="operation")


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
    body = {"detail": " ".join(exc.messages), "revision": exc.revision, "changes": changes}
    response = api.create_response(request, body, status=412)
    response["ETag"] = etag(exc.revision)
    return response


@api.exception_handler(Unchecked)
def unchecked(request: HttpRequest, exc: Unchecked) -> HttpResponse:
    body: dict[str, Any] = {"detail": str(UNCHECKED), "revision": None, "changes": []}
    return api.create_response(request, body, status=412)


api.add_router("", "kense.accounts.api.router")
api.add_router("", "kense.registry.api.router")
api.add_router("", "kense.programs.api.router")
api.add_router("", "kense.meetings.api.router")
api.add_router("", "kense.assignments.api.router")
api.add_router("", "kense.events.api.router")
api.add_router("", "kense.indicators.api.router")
api.add_router("", "kense.documents.api.router")
api.add_router("", "kense.ideas.api.router")
api.add_router("", "kense.media.api.router")
api.add_router("", "kense.meetings.imports.router")
api.add_router("", "kense.assignments.imports.router")
api.add_router("", "kense.documents.imports.router")
