"""The request as Kense's pages see it, typed: django-htmx's details on every request, and the
account behind every page that requires one."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

if TYPE_CHECKING:
    from kense.core.permissions import Account


class HtmxRequest(HttpRequest):
    """Every request passes HtmxMiddleware, which sets `htmx` (falsy unless HTMX sent it)."""

    htmx: HtmxDetails


class AuthenticatedRequest(HtmxRequest):
    """A page request behind @login_required: its user is a Kense account, never anonymous.
    Views annotate their request with it; the decorator is what makes it true. (Defined in
    core, where the shared page helpers take it; kense.accounts.auth offers it too.)"""

    user: Account
