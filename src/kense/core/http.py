"""The request as Kense's pages see it, typed: django-htmx's details on every request."""

from __future__ import annotations

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails


class HtmxRequest(HttpRequest):
    """Every request passes HtmxMiddleware, which sets `htmx` (falsy unless HTMX sent it)."""

    htmx: HtmxDetails
