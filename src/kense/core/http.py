"""The request as Kense's pages see it, typed: django-htmx's details on every request, and the
account behind every page that requires one."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest, HttpResponse
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


def download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    """A file made for the user to save (an export, a template, the minutes): an attachment
    under an ASCII name of our own making, never sniffed as another type. Stored files the
    users uploaded go through kense.core.attachments, which names them safely."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
