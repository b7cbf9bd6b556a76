"""Who is calling the API: a personal token (scripts) or the browser session (interactive docs);
and from which address a request comes, as far as Kense may believe it.

Both authenticators answer with the `User`; endpoints read it through `current_user`, and every
query then goes through `restrict(user, action)` like the pages do.
"""

from __future__ import annotations

import datetime
import ipaddress

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja.errors import AuthenticationError, HttpError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from kense.accounts.models import ApiToken, User

# The request of every page behind @login_required, its user a User; it lives in core, whose
# page helpers (render_list, handle_form…) take it, and is offered here beside current_user.
from kense.core.http import AuthenticatedRequest as AuthenticatedRequest

# Writing last_used_at on every request would turn every read into a write; a minute is
# precise enough to tell a live token from a forgotten one.
LAST_USED_PRECISION = datetime.timedelta(minutes=1)

CSRF_FAILED = _("CSRF verification failed. Request aborted.")


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <key>` with a personal ApiToken; only the key's SHA-256 is stored."""

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
        if api_token.last_used_at is None or now - api_token.last_used_at >= LAST_USED_PRECISION:
            ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=now)
        # Code further down (history, logging) reads request.user, as it does for a session.
        request.user = api_token.user
        return api_token.user


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
