"""Reads every app shares: the folded search behind every search box."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import QuerySet

from kense.text.kazakh import search_terms

Q = TypeVar("Q", bound=QuerySet[Any])


def search_filter(queryset: Q, query: str) -> Q:
    """Every word of the query must begin a word of the object's names or aliases, whatever
    the case and the kk/ru spelling (Нүкенов, НҮКЕНОВ, Нукенов; prefix «нүк»)."""
    terms = search_terms(query)
    if not terms:
        return queryset.none()
    for term in terms:
        queryset = queryset.filter(search_text__contains=" " + term)
    return queryset
