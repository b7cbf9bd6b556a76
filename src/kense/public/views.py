"""The open pages: read without a login, showing only what the office has published. Each
view reads through kense.public.selectors, whose querysets hold published rows only; an
unpublished thing answers 404 exactly like one that does not exist."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kense.core.attachments import attachment_of, attachments_of, file_response
from kense.core.http import AuthenticatedRequest
from kense.core.permissions import get_visible
from kense.core.replica import read_from_replica
from kense.events.models import EventStatus
from kense.meetings.models import MeetingState
from kense.public import opendata, selectors
from kense.public.cache import public_page
from kense.public.publishable import PUBLISHABLE
from kense.public.services import PUBLISHED, UNPUBLISHED, publication_set


def _render(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    return TemplateResponse(request, template, context)


@public_page
def home(request: HttpRequest) -> HttpResponse:
    page = selectors.place_page(None, timezone.localdate())
    return _render(
        request,
        "public/place.html",
        {"page": page, "trail_of_places": selectors.places_above(None)[:0]},
    )


@public_page
def territory(request: HttpRequest, pk: int) -> HttpResponse:
    place = selectors.place(pk)
    page = selectors.place_page(place, timezone.localdate())
    crumbs = selectors.places_above(place)
    crumbs[-1]["url"] = None
    return _render(
        request,
        "public/place.html",
        {"page": page, "place": place, "trail_of_places": crumbs},
    )


@public_page
def project(request: HttpRequest, pk: int) -> HttpResponse:
    today = timezone.localdate()
    found = get_object_or_404(selectors.project_progress(selectors.published_projects()), pk=pk)
    context = {
        "project": found,
        "parts": list(
            selectors.project_progress(selectors.published_projects().filter(parent=found))
        ),
        "trail": selectors.project_trail(found, today=today),
        "trail_of_places": [
            *selectors.places_above(found.territory),
            {"name": found.name, "url": None},
        ],
    }
    return _render(request, "public/project.html", context)


@public_page
def event(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(
        selectors.published_events().select_related("territory", "organizer", "project"), pk=pk
    )
    context = {
        "event": found,
        "photos": attachments_of([found])[found][:PHOTOS_SHOWN],
        "held": found.status == EventStatus.HELD,
        "project_public": found.project is not None and found.project.is_published,
        "trail_of_places": [
            *selectors.places_above(found.territory),
            {"name": found.title, "url": None},
        ],
    }
    return _render(request, "public/event.html", context)


# An open page shows an event's first photos small, each linking to a larger copy; both are
# drawn anew from the stored file, without its EXIF (no camera's place leaves Kense).
PHOTO_SIZES = {"small": 480, "large": 1600}
PHOTOS_SHOWN = 3


def event_photo(request: HttpRequest, pk: int, attachment_pk: int, size: str) -> HttpResponse:
    if size not in PHOTO_SIZES:
        raise Http404
    found = get_object_or_404(selectors.published_events(), pk=pk)
    attachment = attachment_of(found, attachment_pk)
    key = f"public:photo:{attachment.pk}:{size}"
    content = cache.get(key)
    if content is None:
        content = selectors.picture(attachment, PHOTO_SIZES[size])
        cache.set(key, content, 3600)
    response = HttpResponse(content, content_type="image/jpeg")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "public, max-age=3600"
    return response


@public_page
def meeting(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(selectors.published_meetings().select_related("territory"), pk=pk)
    approved = found.state == MeetingState.APPROVED
    context = {
        "meeting": found,
        "items": selectors.meeting_extract(found),
        "approved": approved,
        "trail_of_places": [
            *selectors.places_above(found.territory),
            {"name": found.title, "url": None},
        ],
    }
    return _render(request, "public/meeting.html", context)


@public_page
def guideline(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(
        selectors.published_documents().select_related("author_organization"), pk=pk
    )
    context = {
        "document": found,
        "versions": selectors.current_versions(found),
        "trail_of_places": [
            *selectors.places_above(None),
            {"name": found.title, "url": None},
        ],
    }
    return _render(request, "public/guideline.html", context)


def guideline_file(request: HttpRequest, pk: int, version_pk: int) -> FileResponse:
    found = get_object_or_404(selectors.published_documents(), pk=pk)
    version = next((v for v in selectors.current_versions(found) if v.pk == version_pk), None)
    if version is None:
        raise Http404
    return file_response(version.file, name=version.file_name, content_type=version.mime_type)


@public_page
def news(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(selectors.published_news().select_related("outlet"), pk=pk)
    context = {
        "publication": found,
        "projects": list(
            selectors.published_projects().filter(Q(pk__in=found.projects.values("pk")))
        ),
        "events": list(selectors.published_events().filter(Q(pk__in=found.events.values("pk")))),
        "trail_of_places": [
            *selectors.places_above(None),
            {"name": found.title, "url": None},
        ],
    }
    return _render(request, "public/news.html", context)


@public_page
def ranking(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(selectors.published_rankings(), pk=pk)
    shown = selectors.public_ranking(found)
    if shown is None:
        raise Http404
    context = {
        "methodology": found,
        **shown,
        "trail_of_places": [
            *selectors.places_above(shown["ranking"].region),
            {"name": found.name, "url": None},
        ],
    }
    return _render(request, "public/ranking.html", context)


@public_page
def privacy(request: HttpRequest) -> HttpResponse:
    return _render(
        request,
        "public/privacy.html",
        {
            "trail_of_places": [
                *selectors.places_above(None),
                {"name": _("Personal data"), "url": None},
            ]
        },
    )


@login_required
@require_POST
def publish(request: AuthenticatedRequest, kind: str, pk: int) -> HttpResponse:
    """The office's publish and unpublish button (kense.public's publish_control)."""
    if kind not in PUBLISHABLE:
        raise Http404
    model = PUBLISHABLE[kind][0]
    obj = get_visible(model._default_manager.all(), request.user, pk=pk)
    published = request.POST.get("published") == "1"
    try:
        publication_set(obj, user=request.user, published=published)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _(PUBLISHED) if published else _(UNPUBLISHED),
        )
    return redirect(obj.get_absolute_url())  # type: ignore[attr-defined]


@public_page
def data(request: HttpRequest) -> HttpResponse:
    """The open data: each dataset's downloads and the meaning of each column."""
    place = _place_of_query(request)
    context = {
        "datasets": list(opendata.DATASETS.values()),
        "formats": opendata.FORMATS,
        "place": place,
        "xlsx_rows": opendata.XLSX_ROWS,
        "trail_of_places": [
            *selectors.places_above(None),
            {"name": _("Open data"), "url": None},
        ],
    }
    return _render(request, "public/data.html", context)


@read_from_replica
def data_download(request: HttpRequest, key: str, form: str) -> HttpResponse:
    return opendata.response(request, opendata.dataset_or_404(key), _place_of_query(request), form)


def _place_of_query(request: HttpRequest) -> Any:
    raw = request.GET.get("place", "")
    return selectors.place(int(raw)) if raw.isdigit() else None


def robots_txt(request: HttpRequest) -> HttpResponse:
    """Search engines may read the open pages in every language and nothing else."""
    lines = ["User-agent: *", "Disallow: /"]
    lines += [f"Allow: /{code}/public/" for code, _name in settings.LANGUAGES]
    lines.append(f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
