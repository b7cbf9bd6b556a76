from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path

from kense.api import api
from kense.core import views as core_views
from kense.meetings import urls as meetings_urls
from kense.public.sitemaps import SITEMAPS
from kense.public.views import robots_txt

# Under /api/ an unknown address and a failure answer the API's JSON, elsewhere the pages.
handler404 = "kense.api.page_not_found"
handler500 = "kense.api.server_error"

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    # Calendar feeds are fetched by calendar programs: no language prefix, no login.
    path("calendar/", include(meetings_urls.calendar_urlpatterns)),
    # For search engines: the open pages only.
    path("robots.txt", robots_txt, name="robots_txt"),
    path("sitemap.xml", sitemap_views.index, {"sitemaps": SITEMAPS}, name="sitemap_index"),
    path(
        "sitemap-<section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": SITEMAPS},
        name="django.contrib.sitemaps.views.sitemap",
    ),
]
urlpatterns += i18n_patterns(
    path("", include("kense.home.urls")),
    path("", include("kense.core.urls")),
    path("accounts/", include("kense.accounts.urls")),
    path("notifications/", include("kense.notifications.urls")),
    path("registry/", include("kense.registry.urls")),
    path("programs/", include("kense.programs.urls")),
    path("meetings/", include("kense.meetings.urls")),
    path("assignments/", include("kense.assignments.urls")),
    path("events/", include("kense.events.urls")),
    path("indicators/", include("kense.indicators.urls")),
    path("documents/", include("kense.documents.urls")),
    path("ideas/", include("kense.ideas.urls")),
    path("media/", include("kense.media.urls")),
    path("sites/", include("kense.sites.urls")),
    path("map/", include("kense.geo.urls")),
    path("public/", include("kense.public.urls")),
    prefix_default_language=True,
)

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
