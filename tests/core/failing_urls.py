"""The project's addresses and one that fails, for the error pages' tests."""

from django.conf.urls.i18n import i18n_patterns
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import path

from kense.urls import handler404, handler500
from kense.urls import urlpatterns as kense_urlpatterns

__all__ = ["handler404", "handler500", "urlpatterns"]


def fails(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a failure the error page must not show")


def refuses(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied


def hides(request: HttpRequest) -> HttpResponse:
    raise Http404("a detail the error page must not show")


urlpatterns = [
    *i18n_patterns(
        path("fails/", fails),
        path("refuses/", refuses),
        path("hides/", hides),
        prefix_default_language=True,
    ),
    *kense_urlpatterns,
]
