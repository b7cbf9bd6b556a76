"""Reads every app shares: the folded search behind every search box.

A search query is read word by word (:func:`search_words`): each folded word, and the stems
it may be an inflected form of by the matcher's morphology (:func:`kense.text.matcher.stems`).
A row matches when every word, or one of its stems, begins a word of the row's `search_text`
(see `kense.core.models.Searchable`), asked of a trigram index on PostgreSQL and of an FTS5
index on SQLite (kense.core.search_index); :func:`search_rank` then puts whole words first, then
beginnings, then what only a stem found.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import connections
from django.db.models import Case, IntegerField, Model, Q, QuerySet, Value, When
from django.db.models.expressions import RawSQL

from kense.core.search_index import index_table, match_expression
from kense.text.matcher import readings, stems

QS = TypeVar("QS", bound=QuerySet[Any])

#: Words of a query looked at; the rest are ignored (a pasted paragraph is not a query).
SEARCH_WORDS = 8

#: The ranks of :func:`search_rank`.
RANK_WHOLE, RANK_BEGINNING, RANK_STEM = 0, 1, 2


@dataclass(frozen=True)
class SearchWord:
    word: str  # folded
    beginnings: tuple[str, ...]  # what a stored word must begin with: its stems, or itself


def search_words(query: str) -> list[SearchWord]:
    """The folded words of a query (at most SEARCH_WORDS, each once), with their stems: read
    as the matcher reads a text (:func:`kense.text.matcher.readings`: a soft hyphen or a Latin
    look-alike inside a word, a word in the Latin alphabet also read in Cyrillic)."""
    words: list[SearchWord] = []
    seen: set[str] = set()
    for forms in readings(query):
        if len(words) == SEARCH_WORDS:
            break
        if forms[0] in seen:
            continue
        seen.add(forms[0])
        beginnings = [stem for form in forms for stem in (stems(form) or [form])]
        words.append(SearchWord(forms[0], tuple(dict.fromkeys(beginnings))))
    return words


def _all(conditions: list[Q]) -> Q:
    combined = Q()
    for condition in conditions:
        combined &= condition
    return combined


def _any(conditions: list[Q]) -> Q:
    combined = Q()
    for condition in conditions:
        combined |= condition
    return combined


def _begin(model: type[Model], alternatives: list[tuple[str, ...]]) -> Q:
    """For each tuple, one of its beginnings begins a word of the row: on PostgreSQL
    `LIKE '% beginning%'` (a trigram index answers it), on SQLite a prefix query of the
    table's FTS5 index (kense.core.search_index)."""
    if connections[model._default_manager.db].vendor == "sqlite":
        index = index_table(model)
        found = RawSQL(
            f'SELECT rowid FROM "{index}" WHERE "{index}" MATCH %s',
            [match_expression(alternatives)],
        )
        return Q(pk__in=found)
    return _all(
        [_any([Q(search_text__contains=" " + part) for part in parts]) for parts in alternatives]
    )


def beginnings_q(model: type[Model], words: list[SearchWord]) -> Q:
    """Every word of the query begins a word of the row (no stems)."""
    return _begin(model, [(word.word,) for word in words])


def stems_q(model: type[Model], words: list[SearchWord]) -> Q:
    """Every word of the query, or one of its stems, begins a word of the row."""
    return _begin(model, [word.beginnings for word in words])


def search_rank(words: list[SearchWord]) -> Case:
    """RANK_WHOLE when every word of the query is a whole word of the row, RANK_BEGINNING
    when every one begins a word, RANK_STEM when only stems found it (read from the found
    rows themselves, no index needed)."""
    whole = _all([Q(search_text__contains=f" {word.word} ") for word in words])
    beginnings = _all([Q(search_text__contains=f" {word.word}") for word in words])
    return Case(
        When(whole, then=Value(RANK_WHOLE)),
        When(beginnings, then=Value(RANK_BEGINNING)),
        default=Value(RANK_STEM),
        output_field=IntegerField(),
    )


def search_filter(queryset: QS, query: str) -> QS:
    """Every word of the query must begin a word of the object's names or aliases, whatever
    the case and the kk/ru spelling (Нүкенов, НҮКЕНОВ, Нукенов; prefix «нүк»), or be an
    inflected form of one (НҮКЕНОВТІҢ, Нукеновым, аудандарының)."""
    words = search_words(query)
    if not words:
        return queryset.none()
    return queryset.filter(stems_q(queryset.model, words))
