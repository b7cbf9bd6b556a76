"""Who is calling the API: a personal token (scripts) or the browser session (interactive docs);
and from which address a request comes, as far as Kense may believe it.

Both authenticators answer with the `User`; endpoints read it through `current_user`, and every
query then goes through `restrict(user, action)` like the pages do.
"""

from __future__ import annotations

import datetime
import functools
import ipaddress
from collections.abc import Callable
from typing import Any

from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.signals import user_logged_in
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja.errors import AuthenticationError, HttpError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from kense.accounts.models import ApiToken, TokenKind, User

# The request of every page behind @login_required, its user a User; it lives in core, whose
# page helpers (render_list, handle_form…) take it, and is offered here beside current_user.
from kense.core.http import AuthenticatedRequest as AuthenticatedRequest

# Writing last_used_at on every request would turn every read into a write; a minute is
# precise enough to tell a live token from a forgotten one.
LAST_USED_PRECISION = datetime.timedelta(minutes=1)

CSRF_FAILED = _("CSRF verification failed. Request aborted.")
TOKEN_EXPIRED = _("This token has expired: ask for a new one.")
BAD_CREDENTIALS = _("The user name or the password is wrong, or the account is deactivated.")
LOCKED_OUT = _(
    "Too many failed logins for this user name from here: try again in an hour, or ask the "
    "administrator."
)
SERVICE_TOKEN_REFUSED = _(
    "This service token does not permit this operation: it needs the permission “%(permission)s”."
)
SERVICE_TOKEN_OUT_OF_BOUNDS = _(
    "A service token cannot use this operation: accounts and tokens are managed by people."
)

# Areas (OpenAPI tags) no service token may be given: accounts and tokens are managed by
# people, so that an integration's key can never widen itself or mint another.
UNGRANTABLE_AREAS = frozenset({"me", "users", "service tokens", "auth", "notifications"})
# What every service token may do whatever its permissions: say whose it is.
ALWAYS_ALLOWED = frozenset({"get_me"})
READING_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <key>` with an ApiToken; only the key's SHA-256 is stored.

    An expired token is answered 401 with its own message (not tried as a session); a service
    token's permissions are checked once the operation is known (`token_permissions`)."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        if not token:
            return None
        api_token = (
            ApiToken.objects.select_related("user__territory", "user__organization__territory")
            .filter(key_hash=ApiToken.hash_key(token))
            .first()
        )
        if api_token is None or not api_token.user.is_active:
            return None
        now = timezone.now()
        if api_token.is_expired(now):
            raise HttpError(401, str(TOKEN_EXPIRED))
        if api_token.last_used_at is None or now - api_token.last_used_at >= LAST_USED_PRECISION:
            ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=now)
        # Code further down (history, logging) reads request.user, as it does for a session.
        request.user = api_token.user
        # Which token it was: its kind and permissions (token_permissions), and the token an
        # endpoint may act on (rotating itself).
        request.api_token = api_token  # type: ignore[attr-defined]
        return api_token.user


def request_token(request: HttpRequest) -> ApiToken | None:
    """The token that authenticated the request; None for the browser session."""
    return getattr(request, "api_token", None)


@functools.cache
def operation_areas() -> dict[str, tuple[str, ...]]:
    """Each operation's areas (its OpenAPI tags), by its operationId (the endpoint's name)."""
    from kense.api import api  # the API is assembled from the apps, this one included

    paths = api.get_openapi_schema()["paths"]
    return {
        operation["operationId"]: tuple(operation.get("tags", ()))
        for methods in paths.values()
        for operation in methods.values()
    }


def grantable_areas() -> frozenset[str]:
    """The areas a service token may be given `<area>:read` or `<area>:write` of."""
    areas = {area for tags in operation_areas().values() for area in tags}
    return frozenset(areas - UNGRANTABLE_AREAS)


def check_token_permission(token: ApiToken, operation_id: str, method: str) -> None:
    """403 (with what is missing) unless the service token's permissions cover the operation:
    a read needs `<area>:read` or `<area>:write`, a write `<area>:write`, of one of its areas.
    A personal token may do what its user may."""
    if token.kind != TokenKind.SERVICE or operation_id in ALWAYS_ALLOWED:
        return
    areas = operation_areas().get(operation_id, ())
    if not areas or set(areas) & UNGRANTABLE_AREAS:
        raise HttpError(403, str(SERVICE_TOKEN_OUT_OF_BOUNDS))
    reading = method.upper() in READING_METHODS
    granted = set(token.permissions or ())
    for area in areas:
        if f"{area}:write" in granted or (reading and f"{area}:read" in granted):
            return
    needed = f"{areas[0]}:{'read' if reading else 'write'}"
    raise HttpError(403, str(SERVICE_TOKEN_REFUSED % {"permission": needed}))


def token_permissions(view: Callable[..., Any]) -> Callable[..., Any]:
    """Every operation (`api.add_decorator`): a request authenticated by a service token runs
    only the operations its permissions cover (`check_token_permission`)."""
    operation_id = view.__name__

    @functools.wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        token = request_token(request)
        if token is not None:
            check_token_permission(token, operation_id, request.method or "GET")
        return view(request, *args, **kwargs)

    return guarded


class LockedOut(Exception):
    """Too many failed logins for this user name from this address (django-axes)."""

    def __init__(self, retry_after: datetime.timedelta | None) -> None:
        super().__init__(str(LOCKED_OUT))
        self.retry_after = retry_after


def password_login(request: HttpRequest, *, username: str, password: str) -> User:
    """The user whose credentials these are, for an API client that logs in without a browser
    (POST /auth/token). It goes through django-axes as the login page does: a failure counts,
    a locked-out user name and address is refused (LockedOut) even with the right password,
    and a success clears the failures (AXES_RESET_ON_SUCCESS). 401 for wrong credentials."""
    user = authenticate(request, username=username, password=password)
    if getattr(request, "axes_locked_out", False):
        # Answered by the API in its own shape: AxesMiddleware would otherwise replace the
        # answer with the login page's lockout page.
        request.axes_locked_out = False  # type: ignore[attr-defined]
        raise LockedOut(get_cool_off(request))
    if not isinstance(user, User):
        raise HttpError(401, str(BAD_CREDENTIALS))
    # What the login page's login() signals, without a session: axes logs the access and
    # clears the failures, Django notes the last login.
    user_logged_in.send(sender=type(user), request=request, user=user)
    return user


class SessionAuth(APIKeyCookie):
    """The Django session, so the interactive docs work in a logged-in browser.

    Unlike ninja's `django_auth`, CSRF is checked only once a session user is found: an
    anonymous POST is answered 401 (not 403), and a token request never reaches this check.
    """

    param_name = settings.SESSION_COOKIE_NAME

    def _get_key(self, request: HttpRequest) -> str | None:
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> User | None:
        user = request.user
        if not user.is_authenticated:
            return None
        csrf_exempt = getattr(request, "_ninja_csrf_exempt", False)
        if self.csrf and not csrf_exempt and check_csrf(request) is not None:
            raise HttpError(403, str(CSRF_FAILED))
        return user


token_auth = TokenAuth()
session_auth = SessionAuth(csrf=True)


def current_user(request: HttpRequest) -> User:
    """The authenticated user of an API request (the endpoint's auth has already run)."""
    # What the endpoint's authenticator (TokenAuth, SessionAuth above) answered.
    user: User | None = getattr(request, "auth", None)
    if user is None or not user.is_authenticated:
        raise AuthenticationError()
    return user


def _trusted(address: str) -> bool:
    """Is `address` one of the reverse proxies named in KENSE_TRUSTED_PROXIES (addresses or
    networks)?"""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in proxy for proxy in settings.KENSE_TRUSTED_PROXIES)


def client_address(request: HttpRequest) -> str:
    """The address of the person at the other end of the request.

    That is REMOTE_ADDR, unless REMOTE_ADDR is a trusted reverse proxy: then the nearest
    address in X-Forwarded-For that is not itself a trusted proxy (the proxy appends the
    address it saw; what a client writes into the header before that is not believed). A
    client that reaches Kense directly cannot choose its address by sending the header.
    """
    remote = str(request.META.get("REMOTE_ADDR", ""))
    if not _trusted(remote):
        return remote
    forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR", ""))
    for address in reversed([part.strip() for part in forwarded.split(",") if part.strip()]):
        if not _trusted(address):
            try:
                return str(ipaddress.ip_address(address))
            except ValueError:
                return remote  # a proxy that forwards garbage: count it as the proxy itself
    return remote
