"""What every response of Kense carries."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control
from django.views import defaults

logger = logging.getLogger("django.request")


class PrivateResponses:
    """Nothing Kense answers is kept by a browser's or a proxy's cache: pages, API answers and
    exports hold what one user may see (static files, served before this by WhiteNoise, are
    cached as usual). A view that sets its own Cache-Control keeps it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not response.has_header("Cache-Control"):
            patch_cache_control(response, private=True, no_store=True)
        return response


class OwnErrorPages:
    """Kense's own error pages also when DEBUG is on, as in the demo (`make demo`): a page
    that is not there or that a view refuses with Http404 answers templates/404.html in the
    user's language, with the menu and a way back, not Django's English technical page; a
    failure answers templates/500.html (its traceback still goes to the log). The technical
    pages stay for a developer who asks for them with KENSE_DEBUG_PAGES=1. Without DEBUG,
    Django answers the own pages itself (handler404, handler500) and this does nothing. The
    API's addresses keep their JSON errors (kense.api.JsonErrors)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    @staticmethod
    def active(request: HttpRequest) -> bool:
        return (
            settings.DEBUG
            and not getattr(settings, "KENSE_DEBUG_PAGES", False)
            and not request.path.startswith("/api/")
        )

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # An address nothing answers: Django's technical 404 was made before any view ran.
        if (
            response.status_code == 404
            and getattr(request, "resolver_match", None) is None
            and self.active(request)
        ):
            return defaults.page_not_found(request, Http404())
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not self.active(request) or isinstance(exception, PermissionDenied):
            return None  # a 403 is Kense's own page with DEBUG on as well (handler403)
        if isinstance(exception, Http404):
            return defaults.page_not_found(request, exception)
        logger.error(
            "Internal Server Error: %s",
            request.path,
            exc_info=exception,
            extra={"request": request},
        )
        return defaults.server_error(request)
