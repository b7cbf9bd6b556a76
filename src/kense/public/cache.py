"""Whole-page cache of the open pages for anonymous visitors.

A page is kept under its host, its full address (language and query included) and the
current *generation* of what the open pages show (kense.core.generations); any save or delete
of such a thing moves it on, so every page is read afresh after a change (published,
unpublished or edited). PAGE_SECONDS bounds what a missed change could cost.

Only a request with neither a session nor a message cookie is served from or stored in the
cache: such a visitor is nobody signed in, has no confirmed address, no message waiting,
nothing of their own on the page. The pages hold no form and so no CSRF token."""

from __future__ import annotations

import contextlib
import functools
import re
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse

from kense.core.generations import Generation
from kense.core.replica import replica_reads

# The open pages' addresses, in every language (kense.urls puts them under /<lang>/public/).
PUBLIC_PATH = re.compile(r"^/[a-z]{2}/public/")

PAGE_SECONDS = 60

# What the open pages read: a change to any of these may change a page.
SHOWN_MODELS = (
    "programs.Program",
    "programs.Project",
    "events.Event",
    "meetings.Meeting",
    "meetings.AgendaItem",
    "meetings.Decision",
    "assignments.Assignment",
    "documents.Document",
    "documents.DocumentVersion",
    "media.Publication",
    "indicators.Methodology",
    "indicators.IndicatorValue",
    "indicators.Target",
    "ideas.Idea",
    "ideas.IdeaSupport",
    "registry.Territory",
    "registry.Organization",
    "core.Attachment",
)


# Moved on by any change to what an open page shows (connected in PublicConfig.ready).
SHOWN = Generation("public", SHOWN_MODELS)


def _cacheable(request: HttpRequest) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
    )


def public_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Mark the view's page as one PublicPageCache may keep for anonymous visitors."""

    @functools.wraps(view)
    def marked(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        # A page to be kept is read from the primary: read from a replica a moment behind a
        # commit, it would be kept under the generation that commit moved on to, stale for
        # PAGE_SECONDS. Readers the cache never serves (signed in, or with a confirmed
        # address) read from the replica (kense.core.replica).
        reads = contextlib.nullcontext() if _cacheable(request) else replica_reads(request)
        with reads:
            response = view(request, *args, **kwargs)
        response.public_page = True  # type: ignore[attr-defined]
        return response

    return marked


class PublicPageCache:
    """Serves a kept open page before the rest of the middleware runs (sessions, users,
    CSRF, messages, history: nothing an anonymous reader of a kept page needs), with the
    headers the whole chain gave it the first time (CSP, frame options…); keeps a page a
    view marked with @public_page when the answer is a plain 200 that sets no cookie."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not (PUBLIC_PATH.match(request.path_info) and _cacheable(request)):
            return self.get_response(request)
        key = f"public:page:{SHOWN.current()}:{request.get_host()}{request.get_full_path()}"
        kept = cache.get(key)
        if kept is not None:
            headers, content = kept
            response = HttpResponse(content)
            for name, value in headers:
                response[name] = value
            response["X-Kense-Cache"] = "hit"
            return response
        response = self.get_response(request)
        if (
            getattr(response, "public_page", False)
            and response.status_code == 200
            and not response.streaming
            and not response.cookies
        ):
            cache.set(key, (list(response.items()), response.content), PAGE_SECONDS)
        return response
