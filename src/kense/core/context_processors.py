from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import translate_url
from django.utils.translation import get_language

LANGUAGE_LABELS = {"kk": "Қазақша", "ru": "Русский", "en": "English"}


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The language switcher keeps the page: each link is this URL in another language."""
    path = request.get_full_path()
    return {
        "language_links": [
            {"code": code, "label": LANGUAGE_LABELS[code], "url": in_language(path, code)}
            for code, _name in settings.LANGUAGES
        ]
    }


def in_language(path: str, code: str) -> str:
    """`path` in the language `code`. Kense's own pages are under a language prefix and their
    addresses are not translated (kense.urls), so swapping the prefix is what translate_url
    answers, without resolving the address and reversing it for each language (1.6 ms of
    every page, docs/performance.md "Speed under load"); any other address goes through
    translate_url."""
    prefix = f"/{get_language()}/"
    if path.startswith(prefix):
        return f"/{code}/{path.removeprefix(prefix)}"
    return translate_url(path, code)
