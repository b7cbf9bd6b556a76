from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import translate_url

LANGUAGE_LABELS = {"kk": "Қазақша", "ru": "Русский", "en": "English"}


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The language switcher keeps the page: each link is this URL in another language."""
    path = request.get_full_path()
    return {
        "language_links": [
            {"code": code, "label": LANGUAGE_LABELS[code], "url": translate_url(path, code)}
            for code, _name in settings.LANGUAGES
        ]
    }
