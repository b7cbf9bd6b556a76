"""Kazakh text handling for Kense: collation, search folding and human formatting.

Everything language-specific about sorting, matching and printing text lives here, so the rest
of the project never hard-codes an alphabet, a month name or a thousands separator.

- Collation: :func:`collation_key` and :func:`sorted_kazakh` sort in Python by the Kazakh
  alphabet; :data:`COLLATION_NAME` (``"kk"``) is the database collation that does the same in
  SQL (``Collate(F("name"), COLLATION_NAME)``), created on PostgreSQL by the migration
  ``core.0001_kazakh_collation`` and on SQLite by :func:`install_sqlite_collation`.
- Search: :func:`fold` and :func:`search_terms` make Kazakh, Russian and Latin spellings of the
  same name match (Нүкенов, НУКЕНОВ, Nükenov).
- Formatting: :func:`format_date`, :func:`format_datetime`, :func:`format_month` and
  :func:`format_number` print for people in kk, ru and en.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Iterable
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Context, Decimal
from typing import Any, Literal, TypeVar, overload

import icu
from django.utils import timezone
from django.utils.translation import get_language

__all__ = [
    "COLLATION_NAME",
    "LANGUAGES",
    "collation_key",
    "collator",
    "fold",
    "format_date",
    "format_datetime",
    "format_month",
    "format_number",
    "install_sqlite_collation",
    "search_terms",
    "sorted_kazakh",
]

T = TypeVar("T")
Language = Literal["kk", "ru", "en"]

#: The languages this module formats for, the first being the fallback.
LANGUAGES: tuple[Language, ...] = ("kk", "ru", "en")

#: Name of the Kazakh collation in every database Kense uses (``ORDER BY name COLLATE kk``).
COLLATION_NAME = "kk"

# ---------------------------------------------------------------------------------------------
# Collation
# ---------------------------------------------------------------------------------------------


@functools.cache
def collator() -> Any:
    """Return the process-wide ICU collator for Kazakh (``kk_KZ``), created on first use.

    ICU's own kk rules already give the full Kazakh alphabet order (А Ә Б … Ы І Ь Э Ю Я, with
    Ё a letter of its own after Е); the test suite checks this letter by letter, so no
    tailoring is applied. Cyrillic sorts before Latin, as the kk rules reorder it first.

    The collator is never modified after creation: ICU documents its const methods (compare,
    sort keys) as safe to call from several threads at once, so one shared instance suffices.
    """
    # Created lazily: building a collator loads ICU data, which imports should not pay for.
    # The locale matters: ICU's root and ru orders put і right after и and ү before ұ; the kk
    # rules (ICU 72 in PostgreSQL and 77 in PyICU alike) move them to their Kazakh places.
    return icu.Collator.createInstance(icu.Locale("kk_KZ"))


def collation_key(text: str) -> bytes:
    """Return the ICU sort key of ``text``: comparing keys as bytes orders by the Kazakh alphabet.

    Keys are only comparable with keys made by the same ICU version; never store them.
    """
    key: bytes = collator().getSortKey(text)
    return key


def _total_key(text: str) -> tuple[bytes, str]:
    # ICU ranks some distinct strings as equal (e.g. those differing only by ignorable control
    # characters). Breaking such ties by code point makes the order total, as PostgreSQL's
    # deterministic collations do, so the result never depends on the input order.
    return collation_key(text), text


@overload
def sorted_kazakh(
    items: Iterable[str], *, key: None = None, reverse: bool = False
) -> list[str]: ...


@overload
def sorted_kazakh(
    items: Iterable[T], *, key: Callable[[T], str], reverse: bool = False
) -> list[T]: ...


def sorted_kazakh(
    items: Iterable[Any], *, key: Callable[[Any], str] | None = None, reverse: bool = False
) -> list[Any]:
    """Return a new list of ``items`` sorted by the Kazakh alphabet.

    Without ``key`` the items must be strings; with ``key`` each item is sorted by the string
    ``key(item)``. Strings ICU considers equal are ordered by code point, so for distinct
    strings the result is the same whatever the input order; items whose keys are the very
    same string keep their input order (the sort is stable, as :func:`sorted` is).
    """
    if key is None:
        return sorted(items, key=_total_key, reverse=reverse)
    get = key
    return sorted(items, key=lambda item: _total_key(get(item)), reverse=reverse)


def _sqlite_compare(left: str, right: str) -> int:
    # ICU guarantees compare() agrees with comparing sort keys, and it is much cheaper than
    # building two keys for every comparison SQLite asks for.
    result: int = collator().compare(left, right)
    if result == 0 and left != right:
        # Same tie-break as _total_key and PostgreSQL: only identical strings are equal, so
        # "=", DISTINCT and GROUP BY under COLLATE kk behave the same on both databases.
        return -1 if left < right else 1
    return result


def install_sqlite_collation(sender: object, connection: Any, **kwargs: object) -> None:
    """Register the ``kk`` collation on a new SQLite connection (a ``connection_created`` receiver).

    After this, ``ORDER BY name COLLATE kk`` on that connection sorts by the Kazakh alphabet,
    the same order as the PostgreSQL ICU collation of that name. Other databases are left
    alone: PostgreSQL gets its collation from the ``core.0001_kazakh_collation`` migration.
    """
    if connection.vendor == "sqlite":
        connection.connection.create_collation(COLLATION_NAME, _sqlite_compare)


# ---------------------------------------------------------------------------------------------
# Search normalization
# ---------------------------------------------------------------------------------------------

# Kazakh Cyrillic letters have no Unicode decomposition, so NFKD cannot strip them to a Russian
# letter: each is mapped to the Russian letter it is written as in Russian-language documents
# (Нүкенов in kk is Нукенов in ru). The Turkic dotless ı has no decomposition either.
# ё, and the Kazakh Latin letters ä ğ ñ ö ū ü ş, decompose under NFKD into a base letter and a
# combining mark, and lose the mark below. q is a letter of its own in Kazakh Latin: kept.
_LETTERS = str.maketrans(
    {
        "ә": "а",
        "ғ": "г",
        "қ": "к",
        "ң": "н",
        "ө": "о",
        "ұ": "у",
        "ү": "у",
        "һ": "х",
        "і": "и",
        "ё": "е",
        "ı": "i",
    }
)

# The combining diacritics of Latin, Greek and Cyrillic. Marks of other scripts (Indic vowel
# signs and the like) are part of their letters, not accents, and are kept.
_MARK_RANGES = (
    (0x0300, 0x036F),  # Combining Diacritical Marks
    (0x0483, 0x0489),  # Cyrillic combining marks (titlo and others)
    (0x1AB0, 0x1AFF),  # Combining Diacritical Marks Extended
    (0x1DC0, 0x1DFF),  # Combining Diacritical Marks Supplement
    (0x20D0, 0x20FF),  # Combining Diacritical Marks for Symbols
    (0xFE20, 0xFE2F),  # Combining Half Marks
)
_FOLD_TABLE: dict[int, str | int | None] = {
    **_LETTERS,
    **{code: None for start, end in _MARK_RANGES for code in range(start, end + 1)},
}

# NFKD splits й into и + breve, and the breve would then be dropped as an accent; but й is a
# letter of its own (мой is not мои), so it is put back together before marks are stripped.
_SHORT_I_SPLIT = ("и\u0306", "И\u0306")

# Runs of letters and digits: \w without the underscore.
_WORD = re.compile(r"[^\W_]+")


def fold(text: str) -> str:
    """Return ``text`` in the form used to match search input against stored names.

    Folding is case-insensitive (``casefold``), maps ё to е, maps the Kazakh letters
    ә ғ қ ң ө ұ ү һ і to а г к н о у у х и, drops accents (ä → a, ş → s, ı → i, é → e), and
    applies compatibility decomposition (NFKD: ligatures, full-width forms, superscripts), so
    «НҮКЕНОВ», «Нүкенов», «Нукенов» all fold to «нукенов». Kazakh Latin q stays q, and й stays
    й. Folding is idempotent: ``fold(fold(s)) == fold(s)``.
    """
    if text.isascii():
        # Fast path for the common Latin-only case: no accents, no Kazakh letters to map.
        return text.casefold()
    text = unicodedata.normalize("NFKD", text)
    if "\u0306" in text:
        for split in _SHORT_I_SPLIT:
            text = text.replace(split, unicodedata.normalize("NFC", split))
    # Casefold after NFKD: compatibility characters may decompose to capitals (ℌ → H).
    return text.casefold().translate(_FOLD_TABLE)


def search_terms(text: str) -> list[str]:
    """Split ``text`` into folded words for searching.

    Words are the runs of letters and digits: every other character (space, hyphen, dot,
    apostrophe, underscore…) separates words, and empty words are dropped, so «А.Нүкенов»
    gives ``["а", "нукенов"]`` and «аудан-қалалар» gives ``["аудан", "калалар"]``.
    """
    # Fold first: folding removes combining marks, which would otherwise split words.
    return _WORD.findall(fold(text))


# ---------------------------------------------------------------------------------------------
# Human formatting
# ---------------------------------------------------------------------------------------------

_MONTHS_KK = (
    "қаңтар",
    "ақпан",
    "наурыз",
    "сәуір",
    "мамыр",
    "маусым",
    "шілде",
    "тамыз",
    "қыркүйек",
    "қазан",
    "қараша",
    "желтоқсан",
)
# Russian dates put the month in the genitive («21 апреля»), a month alone in the nominative.
_MONTHS_RU_GENITIVE = (
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
)
_MONTHS_RU_NOMINATIVE = (
    "январь",
    "февраль",
    "март",
    "апрель",
    "май",
    "июнь",
    "июль",
    "август",
    "сентябрь",
    "октябрь",
    "ноябрь",
    "декабрь",
)
_MONTHS_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

NBSP = "\u00a0"
# (thousands separator, decimal separator). Kazakh and Russian group with a no-break space so
# a number never wraps across lines.
_NUMBER_SEPARATORS: dict[Language, tuple[str, str]] = {
    "kk": (NBSP, ","),
    "ru": (NBSP, ","),
    "en": (",", "."),
}


def _language(language: str | None) -> Language:
    """Resolve ``language`` (or the active Django language) to one of :data:`LANGUAGES`."""
    code = language if language is not None else get_language()
    if code:
        # "kk-kz", "ru_RU", "en-GB" count as their base language.
        base = code.replace("_", "-").split("-", 1)[0].lower()
        for known in LANGUAGES:
            if base == known:
                return known
    return LANGUAGES[0]


def _local_date(value: date) -> date:
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            # Show the date people saw on their calendar, not the UTC one.
            value = timezone.localtime(value)
        return value.date()
    return value


def _date_text(day: date, language: Language) -> str:
    month = day.month - 1
    if language == "kk":
        return f"{day.year} ж. {day.day} {_MONTHS_KK[month]}"
    if language == "ru":
        return f"{day.day} {_MONTHS_RU_GENITIVE[month]} {day.year} г."
    return f"{day.day} {_MONTHS_EN[month]} {day.year}"


def format_date(value: date | datetime | None, language: str | None = None) -> str:
    """Format a date for people: kk «2020 ж. 21 сәуір», ru «21 апреля 2020 г.», en «21 April 2020».

    ``language`` defaults to the active Django language; anything other than kk, ru or en
    (or their regional variants such as kk-KZ) falls back to kk. An aware datetime is first
    converted to the current time zone; a naive one is taken as it is. ``None`` gives "".
    """
    if value is None:
        return ""
    return _date_text(_local_date(value), _language(language))


def format_datetime(value: datetime | date | None, language: str | None = None) -> str:
    """Format a datetime as :func:`format_date` followed by the 24-hour time: «… 14:30».

    Aware datetimes are converted to the current time zone first. A plain date (no time) is
    formatted as by :func:`format_date`. ``None`` gives "".
    """
    if value is None:
        return ""
    if not isinstance(value, datetime):
        return format_date(value, language)
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return f"{_date_text(value.date(), _language(language))} {value:%H:%M}"


def format_month(year: int, month: int, language: str | None = None) -> str:
    """Format a month of a year: kk «2020 ж. сәуір», ru «апрель 2020 г.», en «April 2020».

    ``month`` is 1–12 (else ValueError); ``language`` is resolved as in :func:`format_date`.
    """
    if not 1 <= month <= 12:
        raise ValueError(f"month must be in 1..12, not {month!r}")
    lang = _language(language)
    if lang == "kk":
        return f"{year} ж. {_MONTHS_KK[month - 1]}"
    if lang == "ru":
        return f"{_MONTHS_RU_NOMINATIVE[month - 1]} {year} г."
    return f"{_MONTHS_EN[month - 1]} {year}"


def _group(digits: str, separator: str) -> str:
    head = len(digits) % 3 or 3
    return separator.join(
        [digits[:head], *(digits[i : i + 3] for i in range(head, len(digits), 3))]
    )


def format_number(
    value: int | float | Decimal | None,
    decimals: int | None = None,
    language: str | None = None,
) -> str:
    """Format a number for people: kk and ru «1 234 567,89», en «1,234,567.89».

    Thousands are grouped by three, separated in kk and ru by a no-break space (U+00A0) and in
    en by a comma; the decimal separator is a comma in kk and ru, a point in en. Negative
    numbers get a leading "-" (never "-0").

    With ``decimals`` given, exactly that many decimals are printed, rounded half up. With
    ``decimals=None``, integers print without decimals, and floats and Decimals are rounded
    half up to 2 decimals with trailing zeros dropped (2.50 → «2,5», 2.00 → «2»). A float is
    rounded as its shortest repr reads (2.675 → «2,68»). ``None`` gives "". Infinities and NaN
    raise ValueError. ``language`` is resolved as in :func:`format_date`.
    """
    if value is None:
        return ""
    if decimals is not None and decimals < 0:
        raise ValueError(f"decimals must not be negative, not {decimals!r}")
    thousands, point = _NUMBER_SEPARATORS[_language(language)]

    if isinstance(value, int) and decimals is None:
        # Exact, and free of Decimal's 28-digit default precision.
        negative, digits = value < 0, str(abs(value))
        fraction = ""
    else:
        # repr, not the binary value: people expect 2.675 to round like the 2.675 they see.
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        if not number.is_finite():
            raise ValueError(f"cannot format {value!r} as a number")
        places = 2 if decimals is None else decimals
        # Enough precision for every digit of the integer part plus the decimals.
        precision = max(number.adjusted(), 0) + places + 2
        rounded = number.quantize(
            Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP, context=Context(prec=precision)
        )
        negative = rounded.is_signed() and not rounded.is_zero()
        # copy_abs, not abs(): abs() would round to the default 28-digit context again.
        digits, _, fraction = format(rounded.copy_abs(), "f").partition(".")
        if decimals is None:
            fraction = fraction.rstrip("0")

    text = _group(digits, thousands)
    if fraction:
        text = f"{text}{point}{fraction}"
    return f"-{text}" if negative else text
