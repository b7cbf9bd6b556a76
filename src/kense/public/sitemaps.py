"""The sitemap of the open pages for search engines: every published thing's page in kk, ru
and en, each naming the other two (hreflang). Django's sitemap framework splits it into
files of at most `limit` addresses under one index."""

from __future__ import annotations

from typing import Any

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from kense.public import selectors
from kense.registry.models import Territory


class _Public(Sitemap):  # type: ignore[type-arg]
    i18n = True
    alternates = True
    x_default = False
    limit = 10_000
    url_name = ""

    def location(self, item: Any) -> str:
        return reverse(self.url_name, args=[item])


class Places(_Public):
    url_name = "public:territory"
    changefreq = "daily"

    def items(self) -> Any:
        return (
            Territory.objects.filter(kind__in=selectors.PLACE_KINDS, valid_to__isnull=True)
            .order_by("pk")
            .values_list("pk", flat=True)
        )


def _keys(rows: Any) -> Any:
    return rows.order_by("pk").values_list("pk", flat=True)


class Projects(_Public):
    url_name = "public:project"

    def items(self) -> Any:
        return _keys(selectors.published_projects())


class Events(_Public):
    url_name = "public:event"

    def items(self) -> Any:
        return _keys(selectors.published_events())


class Meetings(_Public):
    url_name = "public:meeting"

    def items(self) -> Any:
        return _keys(selectors.published_meetings())


class Guidelines(_Public):
    url_name = "public:guideline"

    def items(self) -> Any:
        return _keys(selectors.published_documents())


class News(_Public):
    url_name = "public:news"

    def items(self) -> Any:
        return _keys(selectors.published_news())


class Ideas(_Public):
    url_name = "public:idea_detail"

    def items(self) -> Any:
        from kense.ideas.public import public_ideas

        return _keys(public_ideas())


class Pages(_Public):
    def items(self) -> list[str]:
        return ["public:home", "public:data", "public:idea_list", "public:privacy"]

    def location(self, item: Any) -> str:
        return reverse(item)


SITEMAPS = {
    "pages": Pages,
    "places": Places,
    "projects": Projects,
    "events": Events,
    "meetings": Meetings,
    "guidelines": Guidelines,
    "news": News,
    "ideas": Ideas,
}
