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
from django.db.models import Case, F, Func, IntegerField, Model, Q, QuerySet, Value, When
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


def _begin(model: type[Model], alternatives: list[tuple[str, ...]], field: str = "pk") -> Q:
    """For each tuple, one of its beginnings begins a word of the row: on PostgreSQL
    `LIKE '% beginning%'` (a trigram index answers it), on SQLite a prefix query of the
    table's FTS5 index (kense.core.search_index)."""
    if connections[model._default_manager.db].vendor == "sqlite":
        index = index_table(model)
        found = RawSQL(
            f'SELECT rowid FROM "{index}" WHERE "{index}" MATCH %s',
            [match_expression(alternatives)],
        )
        return Q(**{f"{field}__in": found})
    return _all(
        [_any([Q(search_text__contains=" " + part) for part in parts]) for parts in alternatives]
    )


def beginnings_q(model: type[Model], words: list[SearchWord], field: str = "pk") -> Q:
    """Every word of the query begins a word of the row (no stems). ``field``: the key the
    SQLite index's rows are matched to (see :func:`scope_driven`)."""
    return _begin(model, [(word.word,) for word in words], field)


def stems_q(model: type[Model], words: list[SearchWord], field: str = "pk") -> Q:
    """Every word of the query, or one of its stems, begins a word of the row."""
    return _begin(model, [word.beginnings for word in words], field)


#: On SQLite, a kind whose word index finds the query's words in this many rows or more is
#: searched from its scope's side (:func:`scope_driven`).
INDEX_MANY = 2000


def index_hits(models: list[type[Model]], words: list[SearchWord]) -> dict[type[Model], int]:
    """On SQLite, how many rows of each model's word index :func:`beginnings_q` or
    :func:`stems_q` would find, whoever may see them, counted up to INDEX_MANY: one query of a
    few index lookups each. A kind the query's words are in no row of is then not searched at
    all (compiling its scoped query costs more than the answer), and a kind with many is
    searched from the scope's side. On PostgreSQL nothing is asked: its trigram index would
    read a word's whole list of rows to answer even that; every model has INDEX_MANY."""
    using = models[0]._default_manager.db if models else "default"
    if not models or connections[using].vendor != "sqlite":
        return dict.fromkeys(models, INDEX_MANY)
    beginnings = match_expression([(word.word,) for word in words])
    expression = beginnings
    if any(word.beginnings != (word.word,) for word in words):
        stemmed = match_expression([word.beginnings for word in words])
        expression = f"({beginnings}) OR ({stemmed})"
    tables = [index_table(model) for model in models]
    sql = "SELECT " + ", ".join(
        f'(SELECT count(*) FROM (SELECT 1 FROM "{table}" WHERE "{table}" MATCH %s LIMIT %s))'
        for table in tables
    )
    with connections[using].cursor() as cursor:
        cursor.execute(sql, [expression, INDEX_MANY] * len(tables))
        found = cursor.fetchone()
    return dict(zip(models, found, strict=True))


class _Unindexed(Func):
    """`+column` in SQLite: the same value, but no index is used to find rows by it."""

    template = "+%(expressions)s"


def scope_driven(queryset: QS) -> QS:
    """``queryset`` with `search_row`: its key in a form SQLite finds no row by, for
    :func:`beginnings_q` and :func:`stems_q` with ``field="search_row"``.

    SQLite takes the word index's list of rows (`id IN (SELECT rowid …)`) for short and
    reaches each of its rows to test the scope: 17,000 meetings whose words begin «аудан»
    for a district coordinator who sees 80 of them (57 ms). Asked of `search_row`, the list
    can only be tested (a lookup in it, made once), and the scope's own indexes find the
    rows: 17 ms. Where the index finds few rows, reaching them is the cheaper way, and a
    scope read whole to test each against a short list the dearer (an office of the whole
    country: 5 ms against 150), so only kinds with INDEX_MANY rows found are searched so."""
    return queryset.alias(search_row=_Unindexed(F("pk"), output_field=IntegerField()))


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
