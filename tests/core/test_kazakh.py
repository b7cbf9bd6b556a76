"""Tests of kense.text.kazakh: collation, search folding, human formatting, template filters.

Most tests need no Django settings and run with ``pytest -p no:django``; the few that need
settings (time zones, the active language, template rendering) are skipped without them.
"""

from __future__ import annotations

import os
import random
import sqlite3
from collections import Counter
from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from itertools import pairwise
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kense.core.templatetags.kense_format import human_date, human_datetime, human_number
from kense.text import kazakh
from kense.text.kazakh import (
    COLLATION_NAME,
    NBSP,
    collation_key,
    collator,
    fold,
    format_date,
    format_datetime,
    format_month,
    format_number,
    install_sqlite_collation,
    search_terms,
    sorted_kazakh,
)

ALPHABET = list("АӘБВГҒДЕЁЖЗИЙКҚЛМНҢОӨПРСТУҰҮФХҺЦЧШЩЪЫІЬЭЮЯ")
LOWER = [letter.lower() for letter in ALPHABET]

# Karaganda region's cities and districts in 2020, in Kazakh alphabetical order.
PLACES = [
    "Абай",
    "Ақтоғай",
    "Балқаш",
    "Бұқар жырау",
    "Жаңаарқа",
    "Жезқазған",
    "Қарағанды",
    "Қаражал",
    "Қарқаралы",
    "Нұра",
    "Осакаров",
    "Приозерск",
    "Саран",
    "Сәтбаев",
    "Теміртау",
    "Ұлытау",
    "Шахтинск",
    "Шет",
]

# Sets the active Django language as kazakh.py sees it (the active_language fixture).
SetLanguage = Callable[[str | None], None]

needs_settings = pytest.mark.skipif(
    not os.environ.get("DJANGO_SETTINGS_MODULE"), reason="needs Django settings"
)


@pytest.fixture
def active_language(monkeypatch: pytest.MonkeyPatch) -> SetLanguage:
    """Set what kazakh.py sees as the active Django language, without needing settings."""

    def activate(code: str | None) -> None:
        monkeypatch.setattr(kazakh, "get_language", lambda: code)

    return activate


# --- collation ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("before", "after"), list(pairwise(LOWER)))
def test_each_letter_sorts_after_the_previous_one_as_a_letter_of_its_own(
    before: str, after: str
) -> None:
    # "<after>а" must still follow "<before>я": the letters differ at the primary level, so ә
    # is not sorted as an accented а (which would interleave ә-words with а-words).
    for b, a in ((before, after), (before.upper(), after.upper())):
        assert collator().compare(b, a) < 0
        assert collation_key(b + "я") < collation_key(a + "а")


def test_the_whole_alphabet_sorts_in_kazakh_order() -> None:
    shuffled = random.Random(2020).sample(ALPHABET + LOWER, k=2 * len(ALPHABET))
    # Lower case before upper case of the same letter, letters in alphabet order.
    expected = [letter for pair in zip(LOWER, ALPHABET, strict=True) for letter in pair]
    assert sorted_kazakh(shuffled) == expected


def test_place_names_sort_by_the_kazakh_alphabet_not_by_code_point() -> None:
    shuffled = random.Random(7).sample(PLACES, k=len(PLACES))
    assert sorted_kazakh(shuffled) == PLACES
    assert sorted(PLACES) != PLACES  # code point order puts Қ, Ұ after Я
    assert sorted_kazakh(shuffled, reverse=True) == PLACES[::-1]


def test_collation_key_is_bytes_ordering_by_the_alphabet() -> None:
    keys = [collation_key(word) for word in ["қала", "Қала", "кала", "ғалым"]]
    assert all(isinstance(key, bytes) for key in keys)
    assert collation_key("кала") < collation_key("қала") < collation_key("Қала")
    assert collation_key("ғалым") < collation_key("кала")


def test_sorted_kazakh_with_key_sorts_objects_and_keeps_equal_keys_in_input_order() -> None:
    rows = [(1, "Ұлытау"), (2, "Абай"), (3, "Ұлытау"), (4, "Әбішева")]
    result = sorted_kazakh(rows, key=lambda row: row[1])
    assert [row_id for row_id, _ in result] == [2, 4, 1, 3]


def test_strings_icu_finds_equal_are_still_ordered() -> None:
    # A control character is ignorable for ICU: the code point tie-break decides.
    assert collation_key("аб") == collation_key("а\x01б")
    assert sorted_kazakh(["а\x01б", "аб"]) == sorted_kazakh(["аб", "а\x01б"]) == ["а\x01б", "аб"]


# Drawing is slow only when the machine is busy (two databases' suites at once): not a defect.
@settings(suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.text(max_size=8), max_size=20), st.data())
def test_sorted_kazakh_is_a_permutation_independent_of_input_order(
    items: list[str], data: st.DataObject
) -> None:
    result = sorted_kazakh(items)
    assert Counter(result) == Counter(items)
    keys = [collation_key(item) for item in result]
    assert keys == sorted(keys)
    assert sorted_kazakh(data.draw(st.permutations(items))) == result


def _sqlite_wrapper() -> SimpleNamespace:
    """A stand-in for Django's connection wrapper around a fresh SQLite connection."""
    return SimpleNamespace(vendor="sqlite", connection=sqlite3.connect(":memory:"))


def test_install_sqlite_collation_registers_kk_on_sqlite() -> None:
    wrapper = _sqlite_wrapper()
    install_sqlite_collation(sender=None, connection=wrapper)
    shuffled = random.Random(1).sample(PLACES, k=len(PLACES))
    rows = wrapper.connection.execute(
        f"SELECT column1 FROM (VALUES {', '.join(['(?)'] * len(shuffled))}) "
        f"ORDER BY column1 COLLATE {COLLATION_NAME}",
        shuffled,
    ).fetchall()
    assert [row[0] for row in rows] == PLACES
    # Equal only when identical, as on PostgreSQL: ignorable characters do not make a match.
    (same,) = wrapper.connection.execute("SELECT 'аб' = ('а' || char(1) || 'б') COLLATE kk")
    assert same == (0,)
    wrapper.connection.close()


def test_install_sqlite_collation_ignores_other_databases() -> None:
    # No .connection attribute at all: touching it would raise.
    install_sqlite_collation(sender=None, connection=SimpleNamespace(vendor="postgresql"))


@given(st.text(max_size=6), st.text(max_size=6))
def test_sqlite_comparison_agrees_with_sort_keys(left: str, right: str) -> None:
    result = kazakh._sqlite_compare(left, right)
    assert result in (-1, 0, 1)
    left_key, right_key = kazakh._total_key(left), kazakh._total_key(right)
    assert result == (left_key > right_key) - (left_key < right_key)


# --- search normalization ----------------------------------------------------------------------


def test_kazakh_and_russian_spellings_fold_equal() -> None:
    assert fold("Нүкенов") == fold("НҮКЕНОВ") == fold("Нукенов") == fold("нукенов") == "нукенов"
    assert fold("Құсайын") == fold("КУСАЙЫН") == "кусайын"
    assert fold("Жұмағұлов") == fold("Жумагулов")
    assert fold("Бейсембекова") == "бейсембекова"


def test_fold_maps_each_kazakh_letter_to_its_russian_one() -> None:
    assert fold("ӘҒҚҢӨҰҮҺІ әғқңөұүһі") == "агкноуухи агкноуухи"
    assert fold("Ёлка ёлка") == "елка елка"
    assert fold("мой Й") == "мой й"


def test_fold_strips_latin_diacritics_but_keeps_q() -> None:
    assert fold("Äñğöūüış") == "angouuis"
    assert fold("Saryarqa Aqparat") == "saryarqa aqparat"
    assert fold("Qazaqstan") != fold("Kazakstan")
    assert fold("Café ﬁle") == "cafe file"


def test_fold_recomposes_a_decomposed_short_i() -> None:
    assert fold("мои\u0306") == "мой"


@given(st.text())
def test_fold_is_idempotent(text: str) -> None:
    assert fold(fold(text)) == fold(text)


def test_search_terms_split_on_punctuation_and_fold() -> None:
    assert search_terms("А.Нүкенов") == ["а", "нукенов"]
    assert search_terms("аудан-қалалар") == ["аудан", "калалар"]
    assert search_terms("  «Ұлы дала», 2020 ж.!  ") == ["улы", "дала", "2020", "ж"]
    assert search_terms("snake_case") == ["snake", "case"]
    assert search_terms("") == []
    assert search_terms("-- . --") == []


@given(st.text())
def test_search_terms_are_folded_and_non_empty(text: str) -> None:
    for term in search_terms(text):
        assert term
        assert fold(term) == term
        assert all(char.isalnum() for char in term)


# --- formatting --------------------------------------------------------------------------------

APRIL_21 = date(2020, 4, 21)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("kk", "2020 ж. 21 сәуір"),
        ("ru", "21 апреля 2020 г."),
        ("en", "21 April 2020"),
        ("kk-kz", "2020 ж. 21 сәуір"),
        ("ru-RU", "21 апреля 2020 г."),
        ("de", "2020 ж. 21 сәуір"),
    ],
)
def test_format_date(language: str, expected: str) -> None:
    assert format_date(APRIL_21, language) == expected


def test_format_date_covers_every_month() -> None:
    kk = [format_date(date(2020, month, 1), "kk") for month in range(1, 13)]
    assert kk[0] == "2020 ж. 1 қаңтар"
    assert kk[8] == "2020 ж. 1 қыркүйек"
    assert kk[11] == "2020 ж. 1 желтоқсан"
    assert format_date(date(2021, 5, 9), "ru") == "9 мая 2021 г."
    assert format_date(date(2021, 12, 31), "ru") == "31 декабря 2021 г."


def test_format_date_of_none_is_empty() -> None:
    assert format_date(None, "kk") == ""
    assert format_datetime(None, "ru") == ""


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("kk", "2020 ж. 21 сәуір 14:30"),
        ("ru", "21 апреля 2020 г. 14:30"),
        ("en", "21 April 2020 14:30"),
    ],
)
def test_format_datetime_of_naive_value(language: str, expected: str) -> None:
    value = datetime(2020, 4, 21, 14, 30, 59)
    assert format_datetime(value, language) == expected
    assert format_date(value, language) == expected.rsplit(" ", 1)[0]


def test_format_datetime_of_a_plain_date_has_no_time() -> None:
    assert format_datetime(APRIL_21, "en") == "21 April 2020"


def test_format_datetime_pads_hours() -> None:
    assert format_datetime(datetime(2020, 4, 21, 9, 5), "kk") == "2020 ж. 21 сәуір 09:05"


@needs_settings
def test_aware_values_are_shown_in_the_current_time_zone() -> None:
    from django.utils import timezone

    # 20:30 UTC is already the next morning in Almaty (UTC+6 in 2020).
    value = datetime(2020, 4, 21, 20, 30, tzinfo=UTC)
    with timezone.override(ZoneInfo("Asia/Almaty")):
        assert format_datetime(value, "kk") == "2020 ж. 22 сәуір 02:30"
        assert format_date(value, "en") == "22 April 2020"
    with timezone.override(ZoneInfo("UTC")):
        assert format_datetime(value, "ru") == "21 апреля 2020 г. 20:30"


@pytest.mark.parametrize(
    ("language", "expected"),
    [("kk", "2020 ж. сәуір"), ("ru", "апрель 2020 г."), ("en", "April 2020")],
)
def test_format_month(language: str, expected: str) -> None:
    assert format_month(2020, 4, language) == expected


def test_format_month_names() -> None:
    assert format_month(2021, 5, "ru") == "май 2021 г."
    assert format_month(2021, 9, "kk") == "2021 ж. қыркүйек"
    with pytest.raises(ValueError):
        format_month(2021, 13, "kk")


@pytest.mark.parametrize(
    ("value", "decimals", "language", "expected"),
    [
        (Decimal("1234567.89"), None, "kk", f"1{NBSP}234{NBSP}567,89"),
        (Decimal("1234567.89"), None, "ru", f"1{NBSP}234{NBSP}567,89"),
        (Decimal("1234567.89"), None, "en", "1,234,567.89"),
        (1234567, None, "kk", f"1{NBSP}234{NBSP}567"),
        (1234567, None, "en", "1,234,567"),
        (1234567, 2, "en", "1,234,567.00"),
        (-1234.5, None, "ru", f"-1{NBSP}234,5"),
        (-1234.5, None, "en", "-1,234.5"),
        (323, None, "kk", "323"),
        (0, None, "kk", "0"),
        (Decimal("9000000000"), None, "kk", f"9{NBSP}000{NBSP}000{NBSP}000"),
        (Decimal("10.00"), None, "kk", "10"),
        (Decimal("2.50"), None, "en", "2.5"),
        (2.0, None, "kk", "2"),
        (1234567.891, None, "kk", f"1{NBSP}234{NBSP}567,89"),
        (2.675, None, "en", "2.68"),  # rounded as written, half up
        (0.125, 2, "kk", "0,13"),
        (77.5, 0, "en", "78"),
        (1 / 3, 3, "ru", "0,333"),
        (-0.001, None, "kk", "0"),  # never "-0"
        (Decimal("-0.004"), 2, "en", "0.00"),
        (12345, 1, "kk", f"12{NBSP}345,0"),
        (10**30, None, "en", "1" + ",000" * 10),
        (Decimal("12345678901234567890123456789.125"), None, "en", None),
    ],
)
def test_format_number(
    value: int | float | Decimal, decimals: int | None, language: str, expected: str | None
) -> None:
    if expected is None:  # more digits than Decimal's default precision
        expected = "12,345,678,901,234,567,890,123,456,789.13"
    assert format_number(value, decimals, language) == expected


def test_format_number_of_none_is_empty_and_bad_input_raises() -> None:
    assert format_number(None, language="kk") == ""
    with pytest.raises(ValueError):
        format_number(float("nan"), language="kk")
    with pytest.raises(ValueError):
        format_number(Decimal("Infinity"), language="en")
    with pytest.raises(ValueError):
        format_number(1, -1, "en")


def _parse_kk(text: str) -> Decimal:
    return Decimal(text.replace(NBSP, "").replace(",", "."))


@given(st.integers())
def test_format_number_round_trips_integers_in_kk(value: int) -> None:
    assert _parse_kk(format_number(value, language="kk")) == value


@given(st.decimals(allow_nan=False, allow_infinity=False, places=2))
def test_format_number_round_trips_two_place_decimals_in_kk(value: Decimal) -> None:
    assert _parse_kk(format_number(value, language="kk")) == value


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_format_number_rounds_floats_to_two_places_in_kk(value: float) -> None:
    assert abs(_parse_kk(format_number(value, language="kk")) - Decimal(repr(value))) <= Decimal(
        "0.005"
    )


@given(
    st.one_of(st.integers(), st.decimals(allow_nan=False, allow_infinity=False)),
    st.one_of(st.none(), st.integers(min_value=0, max_value=4)),
)
def test_en_and_kk_numbers_differ_only_in_separators(
    value: int | Decimal, decimals: int | None
) -> None:
    kk = format_number(value, decimals, "kk")
    en = format_number(value, decimals, "en")
    assert en.replace(",", "") == kk.replace(NBSP, "").replace(",", ".")


@pytest.mark.parametrize(
    ("active", "expected"),
    [
        (None, "2020 ж. сәуір"),
        ("", "2020 ж. сәуір"),
        ("kk", "2020 ж. сәуір"),
        ("kk-KZ", "2020 ж. сәуір"),
        ("ru", "апрель 2020 г."),
        ("en-gb", "April 2020"),
        ("de", "2020 ж. сәуір"),
    ],
)
def test_language_defaults_to_the_active_one_and_falls_back_to_kk(
    active_language: SetLanguage, active: str | None, expected: str
) -> None:
    active_language(active)
    assert format_month(2020, 4) == expected


@needs_settings
def test_language_follows_django_translation_override() -> None:
    from django.utils import translation

    with translation.override("ru"):
        assert format_date(APRIL_21) == "21 апреля 2020 г."
    with translation.override("en"):
        assert format_number(1234.5) == "1,234.5"
    with translation.override("kk"):
        assert format_month(2020, 4) == "2020 ж. сәуір"


# --- template filters --------------------------------------------------------------------------


def test_filters_format_in_the_active_language(active_language: SetLanguage) -> None:
    active_language("ru")
    assert human_date(APRIL_21) == "21 апреля 2020 г."
    assert human_datetime(datetime(2020, 4, 21, 14, 30)) == "21 апреля 2020 г. 14:30"
    assert human_number(Decimal("1234567.891")) == f"1{NBSP}234{NBSP}567,89"
    assert human_number(1234, 2) == f"1{NBSP}234,00"
    assert human_number("1234.5", "0") == f"1{NBSP}235"
    active_language("en")
    assert human_date(datetime(2020, 4, 21, 14, 30)) == "21 April 2020"


def test_filters_print_nothing_for_what_they_cannot_format(active_language: SetLanguage) -> None:
    active_language("kk")
    not_dates: tuple[object, ...] = (None, "", "not a date", 42)
    for value in not_dates:
        assert human_date(value) == ""
        assert human_datetime(value) == ""
    not_numbers: tuple[object, ...] = (None, "", "abc", "NaN", True, object())
    for value in not_numbers:
        assert human_number(value) == ""
    assert human_number(1, "x") == ""


@needs_settings
def test_filters_are_builtins_in_templates() -> None:
    from django.template import engines
    from django.utils import translation

    template = engines["django"].from_string(
        "{{ day|human_date }} | {{ cost|human_number }} | {{ share|human_number:1 }}"
    )
    with translation.override("kk"):
        rendered = template.render({"day": APRIL_21, "cost": Decimal("9000000000"), "share": 77.66})
    assert rendered == f"2020 ж. 21 сәуір | 9{NBSP}000{NBSP}000{NBSP}000 | 77,7"
