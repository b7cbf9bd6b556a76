"""The sitemap of the open pages for search engines: every published thing's page in kk, ru
and en (each page names the other two itself, with hreflang links in its head). Django's
sitemap framework splits it into files of at most `limit` addresses under one index.

Not the framework's own `i18n`: it lists every item in every language in memory before it
cuts a page, a million events and three languages on each request. Here a section is a lazy
sequence of (key, language) pairs that reads only the keys of the page asked for."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import translation

from kense.public import selectors
from kense.registry.models import Territory

LANGUAGES = [code for code, _name in settings.LANGUAGES]


class _Pairs:
    """Each key of `keys` once per language, read a slice at a time."""

    def __init__(self, keys: QuerySet[Any]) -> None:
        self.keys = keys

    def count(self) -> int:
        return self.keys.count() * len(LANGUAGES)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[tuple[Any, str]]:
        size = len(LANGUAGES)
        start, stop = index.start or 0, index.stop
        keys = list(self.keys[start // size : None if stop is None else -(-stop // size)])
        pairs = [(key, code) for key in keys for code in LANGUAGES]
        offset = start - (start // size) * size
        return pairs[offset : None if stop is None else offset + (stop - start)]


class _Public(Sitemap):
    limit = 9_999  # three languages a key: a page holds whole keys
    url_name = ""

    def keys(self) -> Any:
        raise NotImplementedError

    def items(self) -> Any:
        return _Pairs(self.keys())

    def location(self, item: Any) -> str:
        key, language = item
        with translation.override(language):
            return reverse(self.url_name, args=[key])


class Places(_Public):
    url_name = "public:territory"
    changefreq = "daily"

    def keys(self) -> Any:
        return (
            Territory.objects.filter(kind__in=selectors.PLACE_KINDS, valid_to__isnull=True)
            .order_by("pk")
            .values_list("pk", flat=True)
        )


def _keys(rows: Any) -> Any:
    return rows.order_by("pk").values_list("pk", flat=True)


class Projects(_Public):
    url_name = "public:project"

    def keys(self) -> Any:
        return _keys(selectors.published_projects())


class Events(_Public):
    url_name = "public:event"

    def keys(self) -> Any:
        return _keys(selectors.published_events())


class Meetings(_Public):
    url_name = "public:meeting"

    def keys(self) -> Any:
        return _keys(selectors.published_meetings())


class Guidelines(_Public):
    url_name = "public:guideline"

    def keys(self) -> Any:
        return _keys(selectors.published_documents())


class News(_Public):
    url_name = "public:news"

    def keys(self) -> Any:
        return _keys(selectors.published_news())


class Ideas(_Public):
    url_name = "public:idea_detail"

    def keys(self) -> Any:
        from kense.ideas.public import public_ideas

        return _keys(public_ideas())


class Pages(_Public):
    def items(self) -> list[tuple[str, str]]:
        names = ["public:home", "public:data", "public:idea_list", "public:privacy"]
        return [(name, code) for name in names for code in LANGUAGES]

    def location(self, item: Any) -> str:
        name, language = item
        with translation.override(language):
            return reverse(name)


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
