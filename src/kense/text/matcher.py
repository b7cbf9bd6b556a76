"""Kense's own lexicon-anchored matcher: find known people, organizations, territories,
projects and programs in Kazakh and Russian text.

A word matches a lexicon spelling when it *starts with* the spelling's base form and the rest
of the word is a valid chain of endings for that base form. Nothing is ever stripped from a
word the lexicon does not know, and only endings from a closed, precompiled set are accepted,
so «аудан» stays «аудан» and «облыстық» is not «облыс» (-тық is a derivational suffix, not an
ending).

How a spelling is compiled (all in ``__init__``):

- Words are the runs of letters and digits (see :func:`kense.text.kazakh.search_terms`): a
  hyphen, a dot, quotes or a dash separate words, so «аудан-қалалар» is two words and
  «А.Нүкенов» is an initial and a surname. Comparison is on :func:`~kense.text.kazakh.fold`
  forms, so case and Kazakh/Russian letter variants do not matter (НҮКЕНОВ = Нүкенов =
  Нукенов). Kazakh endings stay distinct after folding (-тің → тин, -тың → тын), so vowel
  harmony is still checked.
- Kazakh: the LAST word of a spelling may take a chain of endings: plural (-лар/-лер/-дар/
  -дер/-тар/-тер), then a possessive (3rd person -ы/-і/-сы/-сі; -м/-ым, -ң/-ың, -мыз/-ымыз,
  -ңыз/-ыңыз), then a case (genitive, accusative, dative, locative, ablative, instrumental,
  or locative + -ғы/-гі: -дағы/-дегі/-тағы/-тегі/-ндағы/-ндегі). Every ending takes the form
  required by the sound before it (vowel, р/й/у, л/з/ж, м/н/ң or voiceless) and by vowel
  harmony: the last back vowel (а о ұ ы) or front vowel (ә ө ү і е) of the base form; for
  surnames in -ов/-ев the root decides (Нүкенов → Нүкеновтің, Жұмағұлов → Жұмағұловтың).
  A multiword spelling whose last word ends in -ы/-і («Қарағанды облысы») already carries the
  3rd-person possessive: it takes the endings that follow a possessive (-ның, -на, -нда,
  -нан, -н, -мен, -ндағы). Other words of a Kazakh spelling must appear exactly.
- Russian: every Cyrillic word of a spelling may also take the Russian endings of its
  paradigm, guessed from how the word ends: surnames in -ов/-ев/-ин/-ын and -ова/-ева/-ина/
  -ына (Нукенова, Нукеновым, Нукенову, Нукеновой, Нукеновых), adjectives in -ая/-ий/-ый/-ой/
  -ое (Карагандинской), nouns in -ь, -а/-я, -й, -ие and a consonant (области, Караганде).
  This is a deliberately small, documented approximation, applied word by word.
- Words of a multiword spelling must be consecutive words of the text, separated by at most
  :data:`MAX_GAP` characters of punctuation or space (not crossing a paragraph).
- An ending written after a hyphen («Saryarqa Aqparat-тың») is taken into the match when the
  word before it matched without an ending.
- Initials: a person's spelling «Абзал Нүкенов» also matches «А.Нүкенов» and «А. Нүкенов»
  (an upper-case letter followed by a dot, standing for the first word).
- Split words: when a word does not match but it and the next word, separated by a single
  space, together match, and the next word is at most three letters long (a stray ending),
  the two are joined: «облыс ы» reads as «облысы». Joining never happens otherwise.
- Overlaps: the match covering the most words wins (then the one not needing the tolerance,
  then the longest in characters, then the leftmost); overlapping shorter matches are dropped.
- Tolerance (``find(text, tolerance=True)``): in entries marked ``long_surname``, a word of at
  least seven letters may differ by one substitution, insertion or deletion (once per
  match): «Бейсенбекова» matches «Бейсембекова». The match's ``variant`` is then the spelling
  with that word as written in the text, ready to be recorded as an alias. Only a word the
  text capitalises is looked at so, as names are written.
- Entries written alike (the same words: a surname many people share) are one group, tried
  once; the first entry added answers for it.

Speed: ``find`` is one pass over the words. A word is read letter by letter while its
beginning is the beginning of some root; the roots it begins with, alone or paired with the
next word's, are looked up in exact indexes (see :class:`Matcher`), so the work per word does
not grow with the lexicon; an ending is checked by one set membership test. Building is one
pass over the spellings.
"""

from __future__ import annotations

import bisect
import functools
import gc
import re
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import accumulate
from typing import Any

from kense.text.kazakh import fold, search_terms

__all__ = [
    "CLOSE_CALL",
    "MAX_GAP",
    "MIN_STEM",
    "Candidate",
    "Context",
    "LexiconEntry",
    "Match",
    "MatchTimeout",
    "Matcher",
    "paused_collector",
    "readings",
    "stems",
]

#: Most characters allowed between two words of one multiword spelling.
MAX_GAP = 4

# Runs of letters and digits, combining marks included (fold() drops them afterwards).
# A soft hyphen or a zero-width space inside a word (copied from a web page) keeps it whole.
_TOKEN = re.compile(r"(?:[^\W_]|[\u0300-\u036f\u0483-\u0489\u00ad\u200b-\u200d\u2060])+")
_SPLIT = re.compile(r"((?:[^\W_]|[\u0300-\u036f\u0483-\u0489\u00ad\u200b-\u200d\u2060])+)")
_MARKS = re.compile(
    r"[\u0300-\u036f\u0483-\u0489\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
    r"\u00ad\u200b-\u200d\u2060]"
)

_BACK_VOWELS = frozenset("аоұыяaouı")
_FRONT_VOWELS = frozenset("әөүіеэёeäöüi")
_VOWELS = frozenset("аәеёиоөұүыіэюяaeiouäöüı")
_SONORANTS = frozenset("руйrwy")  # у behaves as a consonant before endings (жаңғыруды)
_VOICED = frozenset("лзжlzj")
_NASALS = frozenset("мнңmnñ")
_TOLERANCE_MIN = 7


#: Candidates whose scores differ by less than this are a close call, for the reader to pick.
CLOSE_CALL = 2


@dataclass(frozen=True)
class LexiconEntry:
    """A known entity and the ways it is written."""

    kind: str  # "person" | "organization" | "territory" | "project" | "program" | "direction"
    pk: int
    spellings: tuple[str, ...]  # base forms and aliases
    long_surname: bool = False  # allow the one-letter tolerance for this entry when asked
    # The territories the entity belongs to, its own first (a territory: itself, then its
    # parents); what ranks it among others of the same name.
    places: tuple[int, ...] = ()
    type: str = ""  # a territory's or an organization's type (settlement, school…)
    # The entries it belongs with (a project's program, direction and parent project; an
    # organization's parent): named in the same sentence, they rank it higher.
    related: tuple[tuple[str, int], ...] = ()
    # Spellings that are a name only where the text says a place («Сарандағы», «Абайда»)
    # or is about the entry itself: a town's bare name, which a person may share («Абай»).
    weak: tuple[str, ...] = ()


@dataclass(frozen=True)
class Candidate:
    """One entity a name found may stand for, with its score and why."""

    kind: str
    pk: int
    score: int
    # "chosen" (the office picked it before for this name), "territory" (it is in the
    # text's territory), "sentence" / "text" (its place, or an entity it belongs with, is
    # named in the same sentence / the text), "type_word" (the word next to the name says
    # its kind).
    reasons: tuple[str, ...] = ()


@dataclass(frozen=True)
class Match:
    """One mention found in a text.

    A name several entries share («Көшім» a village and a rural district, «Туған жер» a
    project and a fund) lists them in ``candidates``, most likely first (``kind`` and ``pk``
    are the first's); a single entry leaves it empty. ``close`` says the first two are too
    near to choose without the reader."""

    kind: str
    pk: int
    start: int  # character offsets in the original text
    end: int
    surface: str  # the text matched, as written
    spelling: str  # the lexicon spelling it matched
    variant: str | None = None  # the new spelling seen, when matched through the tolerance
    candidates: tuple[Candidate, ...] = ()
    # The folded name the candidates share: what the office's choices are kept under.
    name: str = ""

    @property
    def close(self) -> bool:
        return len(self.candidates) > 1 and (
            self.candidates[0].score - self.candidates[1].score < CLOSE_CALL
        )


@dataclass(frozen=True)
class Context:
    """What is known of a text before it is read: the territories it is about (where the
    reader works: an entity in one of them, or under one, ranks higher) and the office's
    earlier choices, by folded spelling."""

    places: frozenset[int] = frozenset()
    chosen: Mapping[str, tuple[str, int]] = field(default_factory=dict)


# ---------------------------------------------------------------------------------------------
# Endings
# ---------------------------------------------------------------------------------------------


def _sound(letter: str) -> str:
    if letter in _VOWELS:
        return "V"
    if letter in _SONORANTS:
        return "S"
    if letter in _VOICED:
        return "L"
    if letter in _NASALS:
        return "N"
    return "T"


def _is_back(word: str) -> bool:
    """Vowel harmony of a (lower-case, unfolded) base form: True for back, False for front."""
    if len(word) > 4 and word[-2:] in ("ов", "ев", "ёв"):
        word = word[:-2]  # Russian surname suffix: the Kazakh root decides
    for letter in reversed(word):
        if letter in _BACK_VOWELS:
            return True
        if letter in _FRONT_VOWELS:
            return False
    return True


def _cases(last: str, back: bool, state: str) -> list[str]:
    def h(back_form: str, front_form: str) -> str:
        return back_form if back else front_form

    if state == "p3":  # after a 3rd-person possessive
        return [
            "",
            h("ның", "нің"),
            "н",
            h("на", "не"),
            h("нда", "нде"),
            h("нан", "нен"),
            "мен",
            h("ндағы", "ндегі"),
        ]
    sound = _sound(last)
    genitive = {"V": h("ның", "нің"), "N": h("ның", "нің"), "T": h("тың", "тің")}.get(
        sound, h("дың", "дің")
    )
    accusative = {"V": h("ны", "ні"), "T": h("ты", "ті")}.get(sound, h("ды", "ді"))
    dative = h("қа", "ке") if sound == "T" else h("ға", "ге")
    if state == "p12":  # after a 1st or 2nd person singular possessive (-м, -ң)
        dative = h("а", "е")
    locative = h("та", "те") if sound == "T" else h("да", "де")
    ablative = {"T": h("тан", "тен"), "N": h("нан", "нен")}.get(sound, h("дан", "ден"))
    if sound == "T":
        instrumental = "пен"
    elif last in "зжzj":
        instrumental = "бен"
    else:
        instrumental = "мен"
    return [
        "",
        genitive,
        accusative,
        dative,
        locative,
        ablative,
        instrumental,
        locative + h("ғы", "гі"),
    ]


def _possessives(last: str, back: bool) -> list[tuple[str, str, str]]:
    def h(back_form: str, front_form: str) -> str:
        return back_form if back else front_form

    vowel = _sound(last) == "V"
    return [
        ("", last, "plain"),
        (h("сы", "сі") if vowel else h("ы", "і"), h("ы", "і"), "p3"),
        ("м" if vowel else h("ым", "ім"), "м", "p12"),
        ("ң" if vowel else h("ың", "ің"), "ң", "p12"),
        (h("мыз", "міз") if vowel else h("ымыз", "іміз"), "з", "plain"),
        (h("ңыз", "ңіз") if vowel else h("ыңыз", "іңіз"), "з", "plain"),
    ]


def kazakh_endings(word: str, *, possessed: bool = False, personal: bool = True) -> frozenset[str]:
    """The folded Kazakh ending chains a (lower-case) base form ``word`` may take.

    ``possessed``: the word already ends in a 3rd-person possessive («облысы»).
    ``personal=False`` leaves out the 1st and 2nd person possessives (-м, -ң, -мыз, -ңыз and
    the cases after them), which names in official texts do not take; folded, «-ң» is «-н»,
    and the search (:func:`stems`) would otherwise read «аудан» as «ауда» + «-ң».
    """
    back = _is_back(word)
    if possessed:
        chains = _cases("", back, "p3")
    else:
        last = word[-1:]
        chains = []
        plural = {"V": "лар", "S": "лар", "T": "тар"}.get(_sound(last), "дар")
        if not back:
            plural = plural[:-2] + "ер"
        for plural_form, after_plural in (("", last), (plural, "р")):
            possessives = _possessives(after_plural, back)
            if not personal:
                possessives = possessives[:2]  # none, or the 3rd person
            for possessive, after_possessive, state in possessives:
                for case in _cases(after_possessive, back, state):
                    chains.append(plural_form + possessive + case)
    return frozenset(fold(chain) for chain in chains)


_RU_SURNAME = frozenset(["", "а", "у", "ым", "ом", "е", "ой", "ою", "ы", "ых", "ыми"])


def _endings(spaced: str) -> frozenset[str]:
    return frozenset(spaced.split())


_RU_ADJECTIVE = _endings(
    "ая ой ую ое ого ому ым ом ые ых ыми ий ый его ему им ем ие их ими яя юю ей ее ою"
)
_RU_SOFT = frozenset(["ь", "и", "ью", "ей", "ям", "ями", "ях", "я", "ю", "ем", "е"])
_RU_A = frozenset(
    ["а", "я", "ы", "и", "е", "у", "ю", "ой", "ей", "ою", "ам", "ами", "ах", "ям", "ями", "ях"]
)
_RU_I = frozenset(["й", "я", "ю", "ем", "е", "и", "ев", "ям"])
_RU_IE = frozenset(["е", "я", "ю", "ем", "и", "й", "ям", "ями", "ях"])
_RU_O = frozenset(["о", "а", "у", "ом", "е"])
_RU_HARD = frozenset(["", "а", "у", "ом", "ем", "е", "ы", "и", "ов", "ам", "ами", "ах"])
_CYRILLIC_CONSONANT = re.compile(r"[бвгджзклмнпрстфхцчшщ]$")


def russian_forms(folded: str) -> list[tuple[str, frozenset[str]]]:
    """(root, endings) pairs of the Russian paradigm guessed for a folded Cyrillic word."""
    if len(folded) < 3 or not re.search(r"[а-я]", folded):
        return []
    if folded[-2:] in ("ов", "ев", "ин", "ын") and len(folded) >= 4:
        return [(folded, _RU_SURNAME)]
    if folded[-3:] in ("ова", "ева", "ина", "ына") and len(folded) >= 5:
        return [(folded[:-1], _RU_SURNAME)]
    if folded[-2:] in ("ая", "яя", "ий", "ый", "ой", "ое", "ее"):
        return [(folded[:-2], _RU_ADJECTIVE)]
    if folded[-2:] == "ие":
        return [(folded[:-1], _RU_IE)]
    if folded[-1] == "ь":
        return [(folded[:-1], _RU_SOFT)]
    if folded[-1] in "ая":
        return [(folded[:-1], _RU_A)]
    if folded[-1] == "й":
        return [(folded[:-1], _RU_I)]
    if folded[-1] == "о" and len(folded) >= 4:  # a neuter noun: село → селе, села
        return [(folded[:-1], _RU_O)]
    if _CYRILLIC_CONSONANT.search(folded):
        return [(folded, _RU_HARD)]
    return []


# ---------------------------------------------------------------------------------------------
# Stems, for the search
# ---------------------------------------------------------------------------------------------

#: The shortest stem :func:`stems` gives: «ел» of «елдің» is too short to search by.
MIN_STEM = 3

# How a Russian base form may end after its stem (russian_forms cuts these off): a stem is
# tried with each to find the paradigm it belongs to.
_RU_BASE_ENDINGS = ("", "а", "я", "ь", "й", "е", "ая", "яя", "ий", "ый", "ой", "ое", "ее")
_UNVOICED = {"б": "п", "г": "к"}  # folded: ғ is г, қ is к
_RU_SURNAME_SUFFIXES = frozenset(["ов", "ев", "ин", "ын"])
_HAS_VOWEL = re.compile(r"[аеиоуыэюяaeiouy]")


@functools.lru_cache(maxsize=8192)
def _kazakh_search_endings(base: str) -> frozenset[str]:
    return kazakh_endings(base, personal=False)


@functools.lru_cache(maxsize=8192)
def _russian_endings_of(stem: str) -> frozenset[str]:
    endings: set[str] = set()
    for tail in _RU_BASE_ENDINGS:
        for root, allowed in russian_forms(stem + tail):
            if root == stem:
                endings |= allowed
    return frozenset(endings)


def stems(word: str) -> list[str]:
    """The folded stems ``word`` may be an inflected form of, by the matcher's morphology.

    A stem is a beginning of the folded word, at least :data:`MIN_STEM` letters long and
    holding a vowel, such that the rest is an ending the stem takes: a Kazakh chain of
    plural, 3rd-person possessive and case (:func:`kazakh_endings`, vowel harmony read from
    the word as written), or an ending of the Russian paradigm the stem belongs to
    (:func:`russian_forms`). Only the stems that no other stem begins are kept, shortest
    first: «НҮКЕНОВТІҢ» → ``["нукенов"]``, «Нукеновым» → ``["нукенов"]``, «аудандарының»
    → ``["аудан"]``, «области» → ``["област"]``. A Kazakh stem voiced before a vowel ending
    gives its unvoiced form too: «мектебінің» → ``["мектеб", "мектеп"]``. A word with no
    ending gives ``[]``.

    Like the matcher, this never strips what is not an ending of that stem, so a word a search
    stores (folded by :func:`~kense.text.kazakh.fold`) begins with the stem of each of its
    inflected forms: searching for the stem as a word's beginning finds them all.
    """
    lower = word.casefold()
    folded = fold(word)
    # Harmony needs the Kazakh letters, which folding maps away; when folding kept the
    # length (Cyrillic always does), the word as written gives each stem's letters.
    written = lower if len(lower) == len(folded) else folded
    found: list[str] = []
    for cut in range(MIN_STEM, len(folded)):
        stem, ending = folded[:cut], folded[cut:]
        if not _HAS_VOWEL.search(stem):
            continue
        if any(stem.startswith(shorter) for shorter in found):
            continue
        if ending in _kazakh_search_endings(written[:cut]) or (
            # A word in -ов/-ев/-ин/-ын is a surname to the matcher (russian_forms), not the
            # genitive plural of a shorter noun: «Нүкенов» is not «нүкен» + «-ов».
            ending not in _RU_SURNAME_SUFFIXES and ending in _russian_endings_of(stem)
        ):
            found.append(stem)
            # Kazakh voices a final п, к, қ before a vowel: «мектеп» → «мектебі», «жүрек» →
            # «жүрегі», «ақ» → «ағы»; the stem of «мектебінің» is also «мектеп».
            if ending[:1] in _VOWELS and stem[-1] in _UNVOICED:
                found.append(stem[:-1] + _UNVOICED[stem[-1]])
    return found


# ---------------------------------------------------------------------------------------------
# Compiled lexicon
# ---------------------------------------------------------------------------------------------

_Alt = tuple[str, frozenset[str]]
_EXACT: frozenset[str] = frozenset([""])


# Words and patterns are compiled once each (Matcher._word, Matcher._spelling): they compare
# and hash by identity, which a country's half a million patterns make worth it.
@dataclass(frozen=True, slots=True, eq=False)
class _Word:
    alts: tuple[_Alt, ...]  # (folded root, allowed folded endings)
    initial: bool = False  # an upper-case initial followed by a dot
    tolerant: bool = False  # may differ by one letter when tolerance is asked


class _Pattern:
    """One spelling of one entry (half a million in a country: a plain class with slots is
    made faster than a frozen dataclass, and nothing changes it after it is made)."""

    __slots__ = ("capital", "entry", "spelling", "weak", "words")

    def __init__(
        self,
        entry: LexiconEntry,
        spelling: str,
        words: tuple[_Word, ...],
        capital: bool = False,  # one capitalised word: a name only where the text capitalises it
        weak: bool = False,  # a name only in a place's case or in the text's territory
    ) -> None:
        self.entry, self.spelling, self.words = entry, spelling, words
        self.capital, self.weak = capital, weak


def _possessed(written: str) -> bool:
    """A spelling's last word that already ends in a 3rd-person possessive: a common noun
    («облысы», «басқармасы», «бөлімі») or a patronymic («Сейітқалиұлы», «Берікқызы»); a
    capitalised name ending in -ы/-і («Ақсу-Аюлы», «Қарқаралы») takes the plain endings."""
    word = written.casefold()
    if len(word) <= 2 or word[-1] not in "ыі":
        return False
    return not written[:1].isupper() or word.endswith(("ұлы", "қызы", "улы", "кызы"))


def _unpossessed(word: str) -> list[str]:
    """What a word ending in a 3rd-person possessive stands on: «басқармасы» → «басқарма»,
    «бөлімі» → «бөлім»; both readings where either could be («облысы»: «облыс» + -ы)."""
    roots = []
    if len(word) > 3 and word[-2] == "с" and word[-3] in _VOWELS:
        roots.append(word[:-2])
    if len(word) > 2 and word[-2] not in _VOWELS:
        roots.append(word[:-1])
    return roots


def _plural(word: str) -> str:
    """The Kazakh plural ending a (lower-case) base form takes."""
    plural = {"V": "лар", "S": "лар", "T": "тар"}.get(_sound(word[-1:]), "дар")
    return plural if _is_back(word) else plural[:-2] + "ер"


def _one_edit(a: str, b: str) -> bool:
    """True when ``a`` and ``b`` differ by exactly one substitution, insertion or deletion."""
    la, lb = len(a), len(b)
    if abs(la - lb) > 1 or a == b:
        return False
    if la == lb:
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    if la > lb:
        a, b, la, lb = b, a, lb, la
    i = 0
    while i < la and a[i] == b[i]:
        i += 1
    return a[i:] == b[i + 1 :]


@contextmanager
def paused_collector() -> Iterator[None]:
    """No garbage collection inside: building a country's lexicon makes millions of objects
    and no garbage, and the collector, woken by every few hundred new objects, would walk
    the growing heap again and again (more than half of the build's time)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class MatchTimeout(TimeoutError):
    """Building the matcher or finding the entries went past the caller's deadline."""


def _check(deadline: float | None) -> None:
    if deadline is not None and time.monotonic() >= deadline:
        raise MatchTimeout


@dataclass(slots=True)
class _Group:
    """The patterns of one sequence of words: entries written alike (a surname five hundred
    people share, an entry's kk and ru names) are tried once."""

    words: tuple[_Word, ...]
    spelling: str
    patterns: list[_Pattern]
    # The patterns by each territory they are in (made when first needed, for a large group).
    by_place: dict[int, list[_Pattern]] | None = None
    # Whether any pattern needs its capital or is weak (worked out when first needed).
    needs_check: bool | None = None
    initial_filed: bool = False  # filed under its first word's initial (Matcher._file_initial)

    def checked(self) -> bool:
        if self.needs_check is None:
            self.needs_check = any(p.capital or p.weak for p in self.patterns)
        return self.needs_check

    def changed(self) -> None:
        self.by_place = None
        self.needs_check = None

    def pool(self, places: frozenset[int]) -> list[_Pattern]:
        """The patterns a match of this group weighs: all of a small group; of a large one
        (a surname a country shares), the first POOL and those in the reader's territories,
        so that finding a name never costs as much as its namesakes."""
        if len(self.patterns) <= POOL:
            return self.patterns
        if self.by_place is None:
            self.by_place = {}
            for pattern in self.patterns:
                for place in pattern.entry.places:
                    self.by_place.setdefault(place, []).append(pattern)
        chosen = self.patterns[:POOL]
        for place in places:
            chosen += self.by_place.get(place, ())
        return list(dict.fromkeys(chosen))


#: Groups sharing their first two words beyond which they are told apart by their third.
_WIDE = 16

#: Words whose roots and misspelling keys a matcher remembers (see Matcher._roots_memo).
_MEMO = 200_000

# A spelling compiled: its words, whether it needs its capital, its forms with an initial
# inside, whether its first word may be an initial, whether its last word is a common noun
# (a type word a coordination may share: «аудандары», «районов»; not a surname).
_Compiled = tuple[tuple[_Word, ...], bool, tuple[tuple[_Word, ...], ...], bool, bool]

# Kinds whose capitalised names of several words need their capital in the text too.
_CAPITAL_KINDS = frozenset(["project", "program", "direction"])

#: The patterns of a large group a match weighs (see _Group.pool).
POOL = 8


class Matcher:
    """Find lexicon entries in text; build once, keep up to date with :meth:`update`, call
    :meth:`find` many times.

    ``deadline`` (a ``time.monotonic()`` value), to the constructor, :meth:`update` or
    :meth:`find`, bounds the work: past it they raise :class:`MatchTimeout` instead of running
    on (a request must not run for minutes when the lexicon or the text is very large).

    The index is exact, so that neither building nor finding grows with how many names share
    their first letters or their first word (a country's registry has thousands of surnames
    beginning «нұр» and hundreds of people named Айгүл): a one-word pattern is filed under
    each root of its word, a longer one under each pair of roots of its first two words, an
    initial with the roots of the word after it. A word of the text looks up only those of
    its beginnings that are roots (of the lengths some root has), alone and with the next
    word's. A word that may be misspelt is also filed under each form of its root with one
    letter deleted, which is what a misspelling (one letter changed, added or dropped)
    shares with it; a text's word is looked up so only when it is capitalised, as names are.
    Equal words, ending sets and word sequences are stored once.

    :meth:`update` replaces or removes entries in place (a renamed person, a new alias), so
    one matcher over a whole registry lives as long as the process."""

    def __init__(self, entries: Iterable[LexiconEntry], *, deadline: float | None = None) -> None:
        self._single: dict[str, list[_Group]] = {}
        self._pair: dict[tuple[str, str], list[_Group]] = {}
        # A wide pair's groups by the roots of their third word (see _by_third).
        self._thirds: dict[tuple[str, str], dict[str, list[_Group]]] = {}
        self._initial: dict[tuple[str, str], list[_Group]] = {}
        # Each misspelling key (a tolerant root, or one with a letter deleted) and the roots
        # it comes from: a misspelt word is looked up by the roots it may stand for.
        self._near_roots: dict[str, set[str]] = {}
        # Coordination: a group under (root of its first word, root of its last word).
        self._coordinated: dict[tuple[str, str], list[_Group]] = {}
        # Groups of more than one word, by the roots of their first word.
        self._starts: dict[str, list[_Group]] = {}
        self._doubt: dict[int, bool] = {}
        # What the words of texts gave, kept for the next texts (words repeat): emptied by an
        # update that adds a root or a misspelling key (what they are looked up in), and at
        # most _MEMO words each.
        self._roots_memo: dict[str, list[str]] = {}
        self._near_memo: dict[str, list[str]] = {}
        self._roots: set[str] = set()
        # The roots a name can begin with (the others are of later words only: «Саран қ.»).
        self._starting: set[str] = set()
        # Every beginning of a root, with the roots among its own beginnings, shortest first.
        self._beginnings: dict[str, tuple[str, ...]] = {}
        self._longest_root = 0
        self._new_roots: list[str] = []
        self._near_lengths: list[int] = []
        self._near_beginnings: set[str] = set()  # every beginning of every key
        self._tolerant_endings: set[str] = set()
        self._endings: dict[tuple[bool, str, str], frozenset[str]] = {}
        # Names repeat (a country has fewer given names and surnames than people): each word
        # is compiled once for each way it stands in a spelling.
        self._compiled: dict[tuple[str, bool, bool, bool], _Word] = {}
        self._groups: dict[tuple[_Word, ...], _Group] = {}
        self._spellings: dict[tuple[bool, str], dict[str, _Compiled | None]] = {}
        # Groups whose first word may be written as an initial, by (letter, root of the next).
        self._initial_first: dict[tuple[str, str], list[_Group]] = {}
        self._initials: dict[str, _Word] = {}
        self._near_done: set[_Word] = set()
        self._of: dict[tuple[str, int], list[tuple[_Group, _Pattern]]] = {}
        self.update(entries, deadline=deadline)

    def __len__(self) -> int:
        return len(self._of)

    # -- building ------------------------------------------------------------------------------

    def update(
        self,
        entries: Iterable[LexiconEntry],
        *,
        removed: Iterable[tuple[str, int]] = (),
        deadline: float | None = None,
    ) -> None:
        """Add ``entries``, replacing any earlier entry of the same kind and pk, and drop the
        ``removed`` (kind, pk) keys. The work is that of the entries given, not of the
        lexicon."""
        self._doubt.clear()
        near = (len(self._near_roots), len(self._tolerant_endings))
        for key in removed:
            self._remove(key)
        with paused_collector():
            for count, entry in enumerate(entries):
                if count % 256 == 0:
                    _check(deadline)
                self._remove((entry.kind, entry.pk))
                self._add_entry(entry)
        if (len(self._near_roots), len(self._tolerant_endings)) != near:
            self._near_memo.clear()
        if self._new_roots:
            self._roots_memo.clear()
            beginnings, roots = self._beginnings, self._roots
            for root in self._new_roots:
                self._longest_root = max(self._longest_root, len(root))
                for length in range(1, len(root) + 1):
                    beginning = root[:length]
                    if beginning not in beginnings:
                        shorter = beginnings.get(beginning[:-1], ())
                        beginnings[beginning] = (
                            (*shorter, beginning) if beginning in roots else shorter
                        )
                    elif length == len(root) and root not in beginnings[root]:
                        beginnings[root] = (*beginnings[root], root)
                        self._extend_roots_below(root)
            self._new_roots = []

    def forget_words(self) -> None:
        """Forget what the words of earlier texts gave (a matcher as if it had read none)."""
        self._roots_memo.clear()
        self._near_memo.clear()

    def _extend_roots_below(self, root: str) -> None:
        """A beginning that became a root: the longer beginnings under it list it too."""
        for beginning, found in self._beginnings.items():
            if len(beginning) > len(root) and beginning.startswith(root) and root not in found:
                self._beginnings[beginning] = tuple(sorted((*found, root), key=len))

    def _remove(self, key: tuple[str, int]) -> None:
        for group, pattern in self._of.pop(key, ()):
            group.patterns.remove(pattern)
            group.changed()

    def _word(self, word: str, *, last: bool, possessed: bool, tolerant: bool) -> _Word:
        key = (word, last, possessed, tolerant)
        made = self._compiled.get(key)
        if made is not None:
            return made
        folded = _clean(fold(word))
        alts: list[_Alt] = []
        if last:
            alts.append((folded, self._kazakh(word, "possessed" if possessed else "plain")))
            if possessed:
                # The plural of a possessed word: «басқармасы» → «басқармаларының».
                for root in _unpossessed(word):
                    alts.append((_clean(fold(root)), self._kazakh(root, "plural")))
        else:
            alts.append((folded, _EXACT))
        alts.extend(russian_forms(folded))
        tolerant = tolerant and len(folded) >= _TOLERANCE_MIN
        made = self._compiled[key] = _Word(tuple(alts), tolerant=tolerant)
        return made

    def _kazakh(self, word: str, state: str) -> frozenset[str]:
        # The endings depend only on harmony, the last letter and the state.
        key = (_is_back(word), word[-1:], state)
        known = self._endings.get(key)
        if known is None:
            if state == "plural":
                plural = fold(_plural(word))
                known = frozenset(
                    chain
                    for chain in kazakh_endings(word, personal=False)
                    if chain.startswith(plural)
                )
            else:
                known = kazakh_endings(word, possessed=state == "possessed")
            self._endings[key] = known
        return known

    def _add_entry(self, entry: LexiconEntry) -> None:
        record = self._of.setdefault((entry.kind, entry.pk), [])
        weak = entry.weak
        seen: set[tuple[_Word, ...]] = set()
        kind = entry.kind
        compiled_of = self._spellings_of(entry.long_surname, kind)
        key = (kind, entry.pk)
        groups = self._groups
        for spelling in (*entry.spellings, *weak) if weak else entry.spellings:
            if spelling in compiled_of:
                compiled = compiled_of[spelling]
            else:
                compiled = compiled_of[spelling] = self._spelling(
                    spelling, entry.long_surname, kind
                )
            if compiled is None:
                continue
            words, capital, initials, initial_first, common_last = compiled
            # kk and ru spellings that fold alike (Тоқтарова, Токтарова) are one pattern.
            if words in seen:
                continue
            seen.add(words)
            pattern = _Pattern(entry, spelling, words, capital, bool(weak) and spelling in weak)
            group = groups.get(words)
            if group is None or (initial_first and not group.initial_filed):
                self._add(pattern, record, initial_first=initial_first, coordinated=common_last)
            else:  # the common case: a name others already have (a surname)
                patterns = group.patterns
                # An entry's spellings come one after another: only the last can be the same.
                if patterns:
                    last = patterns[-1].entry
                    if (last.kind, last.pk) == key:
                        continue
                patterns.append(pattern)
                group.by_place = group.needs_check = None
                record.append((group, pattern))
            for changed in initials:
                self._add(_Pattern(entry, spelling, changed), record)

    def _spellings_of(self, tolerant: bool, kind: str) -> dict[str, _Compiled | None]:
        """The compiled spellings of entries of this tolerance and kind (see _spelling)."""
        key = (tolerant, kind if kind in _CAPITAL_KINDS or kind == "person" else "")
        table = self._spellings.get(key)
        if table is None:
            table = self._spellings[key] = {}
        return table

    def _spelling(self, spelling: str, tolerant: bool, kind: str) -> _Compiled | None:
        """A spelling's words, whether it needs its capital, and its forms with an initial;
        worked out once per spelling (a country's people share their names: see
        _spellings_of)."""
        person = kind == "person"
        written = _TOKEN.findall(spelling)
        raw = [w.casefold() for w in written]
        if not raw:
            return None
        last_position = len(raw) - 1
        words = tuple(
            self._word(
                word,
                last=position == last_position,
                possessed=position == last_position
                and position > 0
                and _possessed(written[position]),
                tolerant=tolerant,
            )
            for position, word in enumerate(raw)
        )
        # One capitalised word (a surname, «Мәжіліс», «Саран») is a name only where the
        # text capitalises it too; so is a project's, a program's or a direction's name
        # («Туған жер» is a project, «туған жеріне» a native land).
        capital = written[0][:1].isupper() and (len(written) == 1 or kind in _CAPITAL_KINDS)
        # Initials: «А.Нүкенов» for «Абзал Нүкенов», «А.Байтұрсынұлы атындағы мектеп»
        # for «Ахмет Байтұрсынұлы атындағы мектеп»: a capitalised word before another.
        # An initial in first place is not a pattern of its own: the group is filed under the
        # letter and the next word's roots (_add), and matched with an initial (_collect).
        initial_first = False
        initials = []
        for position in range(len(words) - 1):
            if (
                written[position][:1].isupper()
                and written[position + 1][:1].isupper()
                and len(written[position]) > 1
                and (person or position + 1 < last_position)
            ):
                if position == 0:
                    initial_first = True
                    continue
                initial = self._initial_word(fold(raw[position][0]))
                initials.append((*words[:position], initial, *words[position + 1 :]))
        return (words, capital, tuple(initials), initial_first, not written[-1][:1].isupper())

    def _initial_word(self, letter: str) -> _Word:
        made = self._initials.get(letter)
        if made is None:
            made = self._initials[letter] = _Word(((letter, _EXACT),), initial=True)
        return made

    def _add(
        self,
        pattern: _Pattern,
        record: list[tuple[_Group, _Pattern]],
        *,
        initial_first: bool = False,
        coordinated: bool = False,
    ) -> None:
        """File a pattern in its group, and a new group in the indexes; ``coordinated``: under
        its first and last words' roots too, for the names a plural type word shares."""
        group = self._groups.get(pattern.words)
        if group is not None:
            if initial_first:
                self._file_initial(group)
            # An entry's spellings come one after another: only the last can be the same.
            if group.patterns:
                last = group.patterns[-1].entry
                if (last.kind, last.pk) == (pattern.entry.kind, pattern.entry.pk):
                    return
            group.patterns.append(pattern)
            group.changed()
            record.append((group, pattern))
            return
        group = self._groups[pattern.words] = _Group(pattern.words, pattern.spelling, [pattern])
        record.append((group, pattern))
        if initial_first:
            self._file_initial(group)
        first = pattern.words[0]
        firsts = {root for root, _allowed in first.alts}
        seconds = (
            {root for root, _allowed in pattern.words[1].alts} if len(pattern.words) > 1 else set()
        )
        self._add_roots(seconds)
        if first.initial:  # an initial is looked up as the word it is, not as a root
            letter = first.alts[0][0]
            for second in seconds:
                self._initial.setdefault((letter, second), []).append(group)
            return
        self._add_roots(firsts)
        self._starting.update(firsts)
        if len(pattern.words) > 1:
            for root in firsts:
                self._starts.setdefault(root, []).append(group)
        if (
            coordinated
            and len(pattern.words) > 1
            and not any(word.initial for word in pattern.words)
        ):
            heads = {root for root, _allowed in pattern.words[-1].alts}
            for root in firsts:
                for head in heads:
                    self._coordinated.setdefault((root, head), []).append(group)
        self._near(first)
        if not seconds:
            for root in firsts:
                self._single.setdefault(root, []).append(group)
        else:
            self._near(pattern.words[1])
            for root in firsts:
                for second in seconds:
                    self._pair.setdefault((root, second), []).append(group)
                    self._thirds.pop((root, second), None)

    def _file_initial(self, group: _Group) -> None:
        """File a group under its first word's initial and the roots of its second word: «А.
        Нүкенов» is «Абзал Нүкенов» without a pattern of its own."""
        if group.initial_filed:
            return
        group.initial_filed = True
        letter = group.words[0].alts[0][0][:1]
        seconds = {root for root, _allowed in group.words[1].alts}
        self._add_roots(seconds)
        for second in seconds:
            self._initial_first.setdefault((letter, second), []).append(group)

    def _add_roots(self, roots: set[str]) -> None:
        for root in roots:
            if root not in self._roots:
                self._roots.add(root)
                self._new_roots.append(root)

    def _near(self, word: _Word) -> None:
        """File the keys a misspelling of a tolerant word is found by: each root, and each
        root with one letter deleted, under the root (once per word: names repeat)."""
        if not word.tolerant or word in self._near_done:
            return
        self._near_done.add(word)
        near_roots = self._near_roots
        for root, allowed in word.alts:
            if len(root) >= _TOLERANCE_MIN:
                for key in (root, *(root[:cut] + root[cut + 1 :] for cut in range(len(root)))):
                    roots = near_roots.get(key)
                    if roots is None:
                        near_roots[key] = {root}
                        for size in range(len(key), 0, -1):
                            if key[:size] in self._near_beginnings:
                                break
                            self._near_beginnings.add(key[:size])
                        if len(key) not in self._near_lengths:
                            bisect.insort(self._near_lengths, len(key))
                    else:
                        roots.add(root)
                self._tolerant_endings.update(allowed)

    def _doubtful(self, pattern: _Pattern) -> bool:
        """Whether a weak spelling («Абай», a town's bare name) also names something else:
        it begins another entry's name («Абай ауданы», «Абай атындағы мектеп») or is another
        entry's one word (a surname), not counting the entries placed in that town («Саран
        қаласының ішкі саясат бөлімі»). Only then is it a place in a place's case alone."""
        known = self._doubt.get(id(pattern))
        if known is not None:
            return known
        own = pattern.entry.places[:1]
        doubtful = False
        for root, _allowed in pattern.words[0].alts[:1]:
            for group in (*self._single.get(root, ()), *self._starts.get(root, ())):
                for other in group.patterns:
                    if other.entry is pattern.entry or other.weak:
                        continue
                    if own and own[0] in other.entry.places:
                        continue
                    doubtful = True
                    break
        self._doubt[id(pattern)] = doubtful
        return doubtful

    # -- finding -------------------------------------------------------------------------------

    def _roots_of(self, word: str) -> list[str]:
        """The beginnings of a folded word that are roots of the lexicon. The beginnings of
        roots are closed under shortening, so the longest one the word begins with is found
        by halving (a few set lookups), and it knows the roots among its own beginnings."""
        known = self._roots_memo.get(word)
        if known is not None:
            return known
        beginnings = self._beginnings
        low, high = 0, len(word)
        if high > self._longest_root:
            high = self._longest_root
        while low < high:
            middle = (low + high + 1) // 2
            if word[:middle] in beginnings:
                low = middle
            else:
                high = middle - 1
        found = list(beginnings[word[:low]]) if low else []
        if len(self._roots_memo) < _MEMO:
            self._roots_memo[word] = found
        return found

    def _near_of(self, word: str) -> list[str]:
        """The keys a misspelt root could share with a beginning of ``word`` that is followed
        by an ending tolerant words take."""
        if len(word) < _TOLERANCE_MIN - 1 or not self._near_lengths:
            return []
        known = self._near_memo.get(word)
        if known is not None:
            return known
        shortest, longest = self._near_lengths[0], self._near_lengths[-1] + 1
        # A stem with a letter deleted after its longest beginning that begins a key begins
        # no key: only the letters up to there need deleting (two or three, mostly). A key's
        # beginnings all begin keys too, so each deletion is followed only as far as it stays
        # one, and a word near no name (most words) ends here, before its endings are read.
        beginnings = self._near_beginnings
        last = min(len(word), longest)
        reach = 0
        while reach < last and word[: reach + 1] in beginnings:
            reach += 1
        deletions: list[tuple[int, str, int]] = []  # (letter deleted, the word so, how far)
        for gap in range(min(reach + 1, last)):
            deleted = word[:gap] + word[gap + 1 :]
            size = gap
            while size < last - 1 and deleted[: size + 1] in beginnings:
                size += 1
            if size >= shortest:
                deletions.append((gap, deleted, size))
        keys: set[str] = set()
        if reach >= shortest or deletions:
            endings = self._tolerant_endings
            for cut in range(max(shortest, _TOLERANCE_MIN - 1), last + 1):
                if word[cut:] not in endings:
                    continue
                if reach >= cut:
                    keys.add(word[:cut])
                keys.update(
                    deleted[: cut - 1]
                    for gap, deleted, size in deletions
                    if gap < cut and size >= cut - 1
                )
        near_roots = self._near_roots
        found = [key for key in keys if key in near_roots]
        if len(self._near_memo) < _MEMO:
            self._near_memo[word] = found
        return found

    def _by_third(
        self, root: str, second: str, at: _Words, i: int, tolerance: bool
    ) -> list[_Group]:
        """Of the many groups whose first two words are these (a region's thousands of
        organizations named «Қарағанды облысының …»), those of two words and those whose
        third word the text's third word may be (an exact root, or anything for a third word
        that is an initial, or, with the tolerance, a long word one edit away).

        A word one edit away from a root shares the root's first three letters (an edit
        after them) or its fourth and fifth letters, moved by at most one place (an edit
        before them): the long third words are filed under both."""
        index = self._thirds.get((root, second))
        if index is None:
            index = {}
            for group in self._pair[root, second]:
                if len(group.words) < 3 or group.words[2].initial:
                    index.setdefault("", []).append(group)
                    continue
                for third, _allowed in group.words[2].alts:
                    index.setdefault(third, []).append(group)
                    if len(third) >= 6:  # may be misspelt: with tolerance
                        index.setdefault("~" + third[:3], []).append(group)
                        index.setdefault("≈" + third[3:5], []).append(group)
            self._thirds[root, second] = index
        found = list(index.get("", ()))
        if tolerance and i + 2 < len(at.words):
            token = at.words[i + 2]
            found += index.get("~" + token[:3], ())
            for shift in (2, 3, 4):
                found += index.get("≈" + token[shift : shift + 2], ())
        for third in at.roots(i + 2):
            found += index.get(third, ())
        if at.split(i + 2):  # «облыс ы»: the third word with a split-off ending
            joined = at.words[i + 2] + at.words[i + 3]
            for third in self._roots_of(joined):
                found += index.get(third, ())
        return found

    def _paired(
        self, root: str, second: str, at: _Words, i: int, tolerance: bool
    ) -> Sequence[_Group]:
        """The groups whose first two words have these roots (of a wide pair, those the
        text's third word may end: _by_third)."""
        pair = self._pair.get((root, second))
        if pair is None:
            return ()
        return pair if len(pair) <= _WIDE else self._by_third(root, second, at, i, tolerance)

    def _candidates(
        self,
        i: int,
        at: _Words,
        tolerance: bool,
        roots: list[list[str]],
        splits: list[bool],
        capitals: list[bool],
    ) -> list[_Group]:
        """The groups that may begin at word ``i``: by its roots alone and with the next
        word's (or with an ending split off either, «облыс ы»), by an initial and the word
        after it, or, with ``tolerance``, by the one-letter neighbours of capitalised words.
        ``roots``, ``splits`` and ``capitals``: those of every word of the text (``capitals``
        empty without the tolerance)."""
        found: list[_Group] = []
        words = at.words
        word = words[i]
        last = len(words) - 1
        firsts = roots[i]
        seconds = roots[i + 1] if i < last else []
        single, pair_of = self._single, self._pair
        for root in firsts:
            found += single.get(root, ())
            for second in seconds:
                found += self._paired(root, second, at, i, tolerance)
        if splits[i]:  # the word with a split-off ending, then the word after that
            joined = word + words[i + 1]
            after = at.roots(i + 2)
            for root in self._roots_of(joined):
                if len(root) > len(word):
                    found += single.get(root, ())
                    for second in after:
                        found += pair_of.get((root, second), ())
        if i < last and splits[i + 1]:  # the next word with a split-off ending
            joined_roots = [
                r for r in self._roots_of(words[i + 1] + words[i + 2]) if len(r) > len(words[i + 1])
            ]
            for root in firsts:
                for second in joined_roots:
                    found += pair_of.get((root, second), ())
        if len(word) == 1:
            for second in seconds:
                found += self._initial.get((word, second), ())
        if capitals:
            # A capitalised word, or the one after it, misspelt: looked up by the roots it
            # may stand for.
            near_roots = self._near_roots
            if capitals[i]:
                for key in self._near_of(word):
                    for root in near_roots[key]:
                        found += single.get(root, ())
                        for second in seconds:
                            found += self._paired(root, second, at, i, tolerance)
            if i < last and capitals[i + 1] and firsts:
                for key in self._near_of(words[i + 1]):
                    for second in near_roots[key]:
                        for root in firsts:
                            found += self._paired(root, second, at, i, tolerance)
        return found

    def _collect(self, at: _Words, tolerance: bool, deadline: float | None) -> list[_Found]:
        found: list[_Found] = []
        words, starts, ends, text = at.words, at.starts, at.ends, at.text
        roots = at.all_roots()
        splits = at.all_splits()
        near = tolerance and bool(self._near_roots)
        capitals = at.capitals() if near else []
        starting = self._starting
        # Most words begin no name: nothing to look up from them. The others: a word that
        # begins with a root a name begins with, may be split («облыс ы»), is an initial,
        # or (with the tolerance) is capitalised and may be a misspelt name.
        near_of = self._near_of
        beginning = [
            i
            for i, (word, found_roots) in enumerate(zip(words, roots, strict=True))
            if not starting.isdisjoint(found_roots)
            or splits[i]
            or len(word) == 1
            or (near and capitals[i] and near_of(word))
        ]
        for count, i in enumerate(beginning):
            if deadline is not None and count % 256 == 0:
                _check(deadline)
            if len(words[i]) == 1:
                for second in at.roots(i + 1):
                    for group in self._initial_first.get((words[i], second), ()):
                        if group.patterns:
                            result = _match_at(
                                group, i, words, starts, ends, text, tolerance, at.aligned, True
                            )
                            if result is not None:
                                found.append(_Found(i, result[0], group, result[1]))
            candidates = self._candidates(i, at, tolerance, roots, splits, capitals)
            if not candidates:
                continue
            seen: set[int] = set()
            for group in candidates:
                if id(group) in seen or not group.patterns:
                    continue
                seen.add(id(group))
                result = _match_at(group, i, words, starts, ends, text, tolerance, at.aligned)
                if result is not None:
                    found.append(_Found(i, result[0], group, result[1]))
        return found

    def _coordination(self, at: _Words, ordinary: list[_Found]) -> list[_Found]:
        """The names a shared plural type word stands for: «Шет, Абай аудандары», «ішкі
        саясат, білім және мәдениет басқармалары», «Абайского и Шетского районов» (the type
        word after them), «управлений образования, культуры и спорта» (before them).

        From each ordinary match whose type word is plural («Абай аудандары», «управлений
        образования»), the runs of words before it (after it) separated by commas and
        «және», «мен», «и» are each read as a name with that type word."""
        found: list[_Found] = []
        for item in ordinary:
            words = at.words
            group = item.group
            if len(group.words) < 2:
                continue
            last = words[item.stop - 1]
            heads = [
                root
                for root, _allowed in group.words[-1].alts
                if last.startswith(root) and _is_plural(last[len(root) :])
            ]
            if heads:
                found += self._conjuncts_before(at, item.first, heads)
            first = words[item.first]
            leads = [
                root
                for root, _allowed in group.words[0].alts
                if first.startswith(root) and last != first and _is_plural(first[len(root) :])
            ]
            if leads:
                found += self._conjuncts_after(at, item.stop, leads)
        return found

    def _conjuncts_before(self, at: _Words, first: int, heads: list[str]) -> list[_Found]:
        words, starts, ends, text = at.words, at.starts, at.ends, at.text
        found: list[_Found] = []
        skipped = False
        k = _before_separator(at, first)
        while k is not None and len(found) < 8:
            a = k  # the run: words back to a separator or at most four words
            while (
                a > 0
                and k - a < 3
                and _joined(text, ends[a - 1], starts[a])
                and words[a - 1] not in _CONJUNCTIONS
            ):
                a -= 1
            best: _Found | None = None
            for j in range(a, k + 1):
                for root in at.roots(j):
                    for head in heads:
                        for group in self._coordinated.get((root, head), ()):
                            size = len(group.words) - 1
                            if (
                                group.patterns
                                and j + size == k + 1
                                and (best is None or j < best.first)
                                and all(
                                    _match_word(group.words[m], words[j + m]) is not None
                                    for m in range(size)
                                )
                            ):
                                best = _Found(j, k + 1, group, None)
            if best is None:
                # One run that names nothing known («дене шынықтыру және спорт» before
                # «спорт басқармалары» when only the short name is registered) is passed.
                if skipped:
                    break
                skipped = True
            else:
                found.append(best)
                if best.first != a:
                    break
            k = _before_separator(at, a)
        return found

    def _conjuncts_after(self, at: _Words, stop: int, leads: list[str]) -> list[_Found]:
        words = at.words
        found: list[_Found] = []
        j = _after_separator(at, stop - 1)
        while j is not None and len(found) < 8:
            best: _Found | None = None
            for root in at.roots(j):
                for lead in leads:
                    for group in self._pair.get((lead, root), ()):
                        size = len(group.words) - 1
                        if (
                            group.patterns
                            and j + size <= len(words)
                            and (best is None or size > best.stop - best.first)
                            and all(
                                _match_word(group.words[m + 1], words[j + m]) is not None
                                for m in range(size)
                            )
                        ):
                            best = _Found(j, j + size, group, None)
            if best is None:
                break
            found.append(best)
            j = _after_separator(at, best.stop - 1)
        return found

    def find(
        self,
        text: str,
        *,
        tolerance: bool = False,
        deadline: float | None = None,
        visible: Callable[[set[tuple[str, int]]], set[tuple[str, int]]] | None = None,
        context: Context | None = None,
    ) -> list[Match]:
        """Every mention of a lexicon entry in ``text``, in text order, never overlapping.

        ``visible`` is given the (kind, pk) of every entry found and returns those the reader
        may see: the others are dropped before overlaps are decided, so what a reader may not
        see never hides what they may. ``context`` (the text's places, the office's earlier
        choices) ranks the candidates of a name several entries share (see :class:`Match`).
        """
        _check(deadline)
        at = _Words.of(self, text)
        if at is None:
            return []
        found = self._collect(at, tolerance, deadline)
        found += self._coordination(at, found)
        latin = at.latin()
        if latin is not None:  # a Kazakh text in the Latin alphabet, read in Cyrillic too
            in_latin = self._collect(latin, tolerance, deadline)
            found += in_latin + self._coordination(latin, in_latin)
        if not found:
            return []
        return _resolve(found, at, visible, context or Context(), self._doubtful)


class _Found:
    """A group matched from word ``first`` to before word ``stop``."""

    __slots__ = ("first", "group", "stop", "variant")

    def __init__(self, first: int, stop: int, group: _Group, variant: str | None) -> None:
        self.first, self.stop, self.group, self.variant = first, stop, group, variant


_CONJUNCTIONS = frozenset(["жане", "мен", "пен", "бен", "и", "hам", "хам", "а", "также"])
_PLURAL_STARTS = ("лар", "лер", "дар", "дер", "тар", "тер")
_RU_PLURAL = frozenset(
    ["ы", "и", "ов", "ев", "ей", "ий", "й", "ам", "ами", "ах", "ям", "ях", "ями"]
)


def _is_plural(ending: str) -> bool:
    return ending.startswith(_PLURAL_STARTS) or ending in _RU_PLURAL


def _before_separator(at: _Words, first: int) -> int | None:
    """The last word of the run before word ``first``, when a comma or a conjunction
    separates them; None otherwise."""
    words, starts, ends, text = at.words, at.starts, at.ends, at.text
    k = first - 1
    if k < 0:
        return None
    if words[k] in _CONJUNCTIONS and _separated(text, ends[k], starts[first], comma=False):
        k -= 1
        if k >= 0 and _separated(text, ends[k], starts[k + 1], comma=False):
            return k
        return None
    if _separated(text, ends[k], starts[first], comma=True):
        return k
    return None


def _after_separator(at: _Words, last: int) -> int | None:
    """The first word of the run after word ``last``, when a comma or a conjunction
    separates them; None otherwise."""
    words, starts, ends, text = at.words, at.starts, at.ends, at.text
    j = last + 1
    if j >= len(words):
        return None
    if words[j] in _CONJUNCTIONS and _separated(text, ends[last], starts[j], comma=False):
        if j + 1 < len(words) and _separated(text, ends[j], starts[j + 1], comma=False):
            return j + 1
        return None
    if _separated(text, ends[last], starts[j], comma=True):
        return j
    return None


def _joined(text: str, end: int, start: int) -> bool:
    """Two words with only spaces between them."""
    return start - end <= 2 and not text[end:start].strip()


def _separated(text: str, end: int, start: int, *, comma: bool) -> bool:
    """Two words separated by a comma (``comma``) or by spaces only."""
    between = text[end:start]
    if len(between) > 4:
        return False
    return between.strip() == ("," if comma else "")


def _sentences(text: str) -> list[int]:
    """Where each sentence of ``text`` starts (a full stop, ! or ? and a space, or a line)."""
    return [0, *(m.end() for m in _SENTENCE_END.finditer(text))]


_SENTENCE_END = re.compile(r"[.!?…]+[»\"”)]*\s+|\n+")
_OPENING = frozenset("«\"“„'(")


# Kazakh genitive and accusative endings, folded: «Абайдың», «Абайды» name a person as often
# as a place; the other cases of a bare town name say a place («Абайда», «Сараннан»).
_NOT_A_PLACE = ("нын", "нин", "дын", "дин", "тын", "тин", "ны", "ни", "ды", "ди", "ты", "ти")


def _in_a_place(at: _Words, item: _Found) -> int:
    """1 when the last word of a match has a case ending other than the genitive or the
    accusative («Сарандағы», «Сарани»), 0 when it stands bare or in those two cases."""
    ending = _ending(at, item)
    return int(bool(ending) and ending not in _NOT_A_PLACE)


def _ending(at: _Words, item: _Found) -> str | None:
    """The ending of the last word of a match; None when it is not read as one of its
    forms. A word written with Kazakh letters is read by the Kazakh endings alone: «Қарағанды»
    is not the Russian genitive «(из) Караганды» of a bare «Караганда»."""
    k = item.stop - 1
    token = at.words[k]
    alts = item.group.words[-1].alts
    kazakh = not _KAZAKH_LETTERS.isdisjoint(at.text[at.starts[k] : at.ends[k]].lower())
    for index, (root, allowed) in enumerate(alts):
        if kazakh and index and len(root) < len(alts[0][0]):
            continue
        if token.startswith(root) and token[len(root) :] in allowed:
            return token[len(root) :]
    return None


_KAZAKH_LETTERS = frozenset("әғқңөұүһі")


# How a one-word name stands in the text (see _capitalised).
_LOWER, _OPENS_SENTENCE, _CAPITALISED = 0, 1, 2


def _capitalised(at: _Words, first: int, group: _Group) -> int:
    """How the text writes the word a one-word capitalised name matched: in lower case (not a
    name), capitalised at the start of a sentence and bare (a name only for a person or a
    territory: «Мәжіліс өтті» is a sitting), or otherwise capitalised (a name: inside a
    sentence, quoted, or inflected, «Тұлғатанудың ғалымдары»)."""
    start = at.starts[first]
    if not at.text[start].isupper():
        return _LOWER
    before = at.text[max(0, start - 3) : start].rstrip(" ")
    if before[-1:] in _OPENING or not (before == "" or before[-1] in ".!?…\n"):
        return _CAPITALISED
    token = at.words[first]
    if any(token.startswith(root) and token != root for root, _ in group.words[0].alts):
        return _CAPITALISED
    return _OPENS_SENTENCE


def _admitted(
    pool: list[_Pattern],
    at: _Words,
    item: _Found,
    context: Context,
    doubtful: Callable[[_Pattern], bool],
) -> list[_Pattern]:
    """The patterns of a match that its capital and, for a weak spelling, its case admit."""
    state = -1
    placed = -1
    patterns = []
    read = -1
    for pattern in pool:
        if pattern.weak and read < 0:
            read = int(_ending(at, item) is not None)
        if pattern.weak and not read:
            continue
        if pattern.weak and doubtful(pattern):
            if placed < 0:
                placed = _in_a_place(at, item)
            if not placed and context.places.isdisjoint(pattern.entry.places[:1]):
                continue
        if pattern.capital:
            if state < 0:
                state = _capitalised(at, item.first, item.group)
            if state == _LOWER or (
                state == _OPENS_SENTENCE
                and len(pattern.words) == 1
                and pattern.entry.kind not in ("person", "territory")
            ):
                continue
        patterns.append(pattern)
    return patterns


def _resolve(
    found: list[_Found],
    at: _Words,
    visible: Callable[[set[tuple[str, int]]], set[tuple[str, int]]] | None,
    context: Context,
    doubtful: Callable[[_Pattern], bool],
) -> list[Match]:
    """Overlaps decided among what the reader may see; each span's candidates ranked."""
    pools = [item.group.pool(context.places) for item in found]
    # Each span, with the entries that may be meant there (several groups may match it).
    spans: dict[tuple[int, int], _Span] = {}
    for item, pool in zip(found, pools, strict=True):
        if not item.group.checked():
            patterns = pool
        else:
            patterns = _admitted(pool, at, item, context, doubtful)
        if not patterns:
            continue
        span = spans.get((item.first, item.stop))
        if span is None:
            span = spans[item.first, item.stop] = _Span(item.first, item.stop, item.group)
            span.variant = item.variant
        elif item.variant is None:  # found as written, not only through the tolerance
            span.variant = None
        for pattern in patterns:
            span.patterns.setdefault((pattern.entry.kind, pattern.entry.pk), pattern)
    if visible is not None:
        keys = {key for span in spans.values() for key in span.patterns}
        allowed = visible(keys) if keys else set()
        for span in spans.values():
            span.patterns = {k: p for k, p in span.patterns.items() if k in allowed}
    starts, ends = at.starts, at.ends
    ordered = sorted(
        (span for span in spans.values() if span.patterns),
        key=lambda s: (
            -(s.stop - s.first),
            s.variant is not None,
            -(ends[s.stop - 1] - starts[s.first]),
            s.first,
        ),
    )
    taken = bytearray(len(at.words))
    chosen: list[_Span] = []
    for span in ordered:
        if any(taken[span.first : span.stop]):
            continue
        taken[span.first : span.stop] = b"\x01" * (span.stop - span.first)
        chosen.append(span)
    chosen.sort(key=lambda s: s.first)
    if all(len(span.patterns) == 1 for span in chosen):
        return [_match(at, span, [_only(span)]) for span in chosen]
    # Where the text first names each entry by a spelling no other entry shares.
    first_named: dict[tuple[str, int], int] = {}
    for item, pool in zip(found, pools, strict=True):
        key = None
        for pattern in pool:
            if pattern.weak:
                continue
            entry = pattern.entry
            if key is None:
                key = (entry.kind, entry.pk)
            elif key != (entry.kind, entry.pk):
                key = None
                break
        if key is not None and first_named.get(key, item.first + 1) > item.first:
            first_named[key] = item.first
    # Context: the places of the names that are not in doubt, by sentence and in the text.
    sentence_starts = _sentences(at.text)
    places_in: dict[int, set[Any]] = {}
    everywhere: set[Any] = set()
    for span in chosen:
        span.sentence = bisect.bisect_right(sentence_starts, starts[span.first]) - 1
        if len(span.patterns) == 1:
            [(key, pattern)] = span.patterns.items()
            named = {key, *pattern.entry.places[:1]}
            places_in.setdefault(span.sentence, set()).update(named)
            everywhere.update(named)
    return [
        _match(
            at,
            span,
            _ranked(
                at, span, places_in.get(span.sentence, set()), everywhere, context, first_named
            ),
        )
        for span in chosen
    ]


#: Most candidates a match lists.
CANDIDATES = 5


def _only(span: _Span) -> Candidate:
    [(kind, pk)] = span.patterns
    return Candidate(kind, pk, 1)


def _match(at: _Words, span: _Span, candidates: list[Candidate]) -> Match:
    start, end = at.starts[span.first], at.ends[span.stop - 1]
    best = span.patterns[candidates[0].kind, candidates[0].pk]
    return Match(
        kind=best.entry.kind,
        pk=best.entry.pk,
        start=start,
        end=end,
        surface=at.text[start:end],
        spelling=best.spelling,
        variant=span.variant,
        candidates=tuple(candidates[:CANDIDATES]) if len(candidates) > 1 else (),
        name=fold(span.group.spelling) if len(candidates) > 1 else "",
    )


def _ranked(
    at: _Words,
    span: _Span,
    sentence: set[Any],
    everywhere: set[Any],
    context: Context,
    first_named: dict[tuple[str, int], int],
) -> list[Candidate]:
    """The span's candidates, most likely first. Ties go to the entry the text names first by
    a spelling of its own (a text names its subject in full before it shortens it: «Көшім
    ауылында … Көшім ауылдық округінің … Көшімде»), then to the lexicon's order."""
    if len(span.patterns) == 1:
        return [_only(span)]
    chosen = context.chosen.get(fold(span.group.spelling))
    cues = _cues(at, span)
    unnamed = len(at.words)
    # Most texts give few of these: the checks of those they do not give are skipped.
    territory = context.places
    ranked = []
    for order, ((kind, pk), pattern) in enumerate(span.patterns.items()):
        entry = pattern.entry
        score, reasons = 1, []
        places = entry.places
        if chosen is not None and chosen == (kind, pk):
            score += 3
            reasons.append("chosen")
        if territory and not territory.isdisjoint(places):
            score += 2
            reasons.append("territory")
        if everywhere:
            if not sentence.isdisjoint(places) or not sentence.isdisjoint(entry.related):
                score += 2
                reasons.append("sentence")
            elif not everywhere.isdisjoint(places) or not everywhere.isdisjoint(entry.related):
                score += 1
                reasons.append("text")
        if cues and (entry.kind in cues or entry.type in cues):
            score += 2
            reasons.append("type_word")
        ranked.append((-score, first_named.get((kind, pk), unnamed), order, kind, pk, reasons))
    ranked.sort(key=lambda item: item[:3])
    # Only those a match lists are made.
    return [
        Candidate(kind, pk, -negative, tuple(reasons))
        for negative, _first, _order, kind, pk, reasons in ranked[:CANDIDATES]
    ]


class _Span:
    __slots__ = ("first", "group", "patterns", "sentence", "stop", "variant")

    def __init__(self, first: int, stop: int, group: _Group) -> None:
        self.first, self.stop, self.group = first, stop, group
        self.patterns: dict[tuple[str, int], _Pattern] = {}
        self.variant: str | None = None
        self.sentence = 0


# The words next to a name that say what kind of thing it is: «Көшім ауылында», «"Туған жер"
# жобасы», «проект "Туған жер"», «фонд "Туған жер"». Folded beginnings; kinds and types.
_TYPE_WORDS: tuple[tuple[str, str], ...] = (
    ("жоба", "project"),
    ("проект", "project"),
    ("багдарлам", "program"),
    ("программ", "program"),
    ("багыт", "direction"),
    ("направлени", "direction"),
    ("ауыл", "settlement"),
    ("село", "settlement"),
    ("сел", "settlement"),
    ("поселк", "settlement"),
    ("посел", "settlement"),
    ("кент", "settlement"),
    ("округ", "rural_district"),
    ("кала", "city"),
    ("город", "city"),
    ("аудан", "district"),
    ("район", "district"),
    ("облыс", "region"),
    ("област", "region"),
    ("кор", "organization"),
    ("фонд", "organization"),
    ("орталы", "organization"),
    ("центр", "organization"),
    ("мектеб", "organization"),
    ("мектеп", "organization"),
    ("школ", "organization"),
    ("колледж", "organization"),
    ("музей", "organization"),
    ("мураж", "organization"),
    ("китапхана", "organization"),
    ("библиотек", "organization"),
    ("клуб", "organization"),
    ("палата", "organization"),
    ("бирлестиг", "organization"),
    ("бирлестик", "organization"),
    ("басылым", "organization"),
    ("газет", "organization"),
    ("баскарма", "organization"),
    ("болим", "organization"),
    ("управлени", "organization"),
    ("отдел", "organization"),
    ("акимат", "organization"),
    ("экимдиг", "organization"),
)


def _cues(at: _Words, span: _Span) -> set[str]:
    """The kinds and types the words just before and after a span name, when only spaces or
    quotes separate them from it."""
    found: set[str] = set()
    words, starts, ends, text = at.words, at.starts, at.ends, at.text
    for k, near in ((span.stop, ends[span.stop - 1]), (span.first - 1, starts[span.first])):
        if not 0 <= k < len(words):
            continue
        between = text[ends[k] : near] if k < span.first else text[near : starts[k]]
        if len(between) > 3 or between.strip(' «»"“”„'):
            continue
        for beginning, kind in _TYPE_WORDS:
            if words[k].startswith(beginning):
                found.add(kind)
    return found


class _Words:
    """The words of one text as :meth:`Matcher.find` reads them, with what the index needs of
    each (its roots, whether it may be split, whether it is capitalised), worked out once per
    word."""

    __slots__ = (
        "_capitals",
        "_matcher",
        "_roots",
        "_splits",
        "aligned",
        "ends",
        "has_latin",
        "starts",
        "text",
        "words",
    )

    def __init__(
        self,
        matcher: Matcher,
        words: list[str],
        starts: list[int],
        ends: list[int],
        text: str,
        aligned: bool,
    ) -> None:
        self._matcher = matcher
        self.words, self.starts, self.ends, self.text = words, starts, ends, text
        self.aligned = aligned
        self.has_latin = False
        self._roots: list[list[str] | None] = [None] * len(words)
        self._splits: list[bool] | None = None
        self._capitals: list[bool] | None = None

    @classmethod
    def of(cls, matcher: Matcher, text: str) -> _Words | None:
        """The folded words of ``text`` and where each stands in it; None without words.

        Folding keeps the offsets of most texts (``aligned``): they are split once, folded.
        A soft hyphen or a zero-width space inside a word is dropped («Сар\xadан» is
        «Саран»), and in a word written mostly in Cyrillic the Latin letters that look
        Cyrillic are read as such («Hүкенов» with a Latin H is «Нүкенов»)."""
        # Folding keeps the length of nearly every text, and then each letter's place; «№»
        # (NFKD «No») is not part of a word and is folded as a sign that keeps it.
        folded_text = fold(text.replace("№", "#") if "№" in text else text)
        same_length = len(folded_text) == len(text)
        marks = same_length and _MARKS.search(text) is not None
        aligned = same_length and not marks
        # Words and separators alternate: [separator, word, separator, word, …, separator].
        parts = _SPLIT.split(folded_text if same_length else text)
        if len(parts) < 2:
            return None
        offsets = list(accumulate(map(len, parts)))
        starts = offsets[0::2]
        if aligned:
            words = parts[1::2]
        elif same_length:  # a soft hyphen or a zero-width space here and there
            words = parts[1::2]
            for found in _INVISIBLE_CHARACTER.finditer(folded_text):
                k = bisect.bisect_right(starts, found.start()) - 1
                if 0 <= k < len(words):
                    words[k] = _clean(words[k])
        else:
            words = [_clean(fold(word)) for word in parts[1::2]]
        has_latin = bool(_LATIN_LETTER.search(folded_text))
        if has_latin:
            for found in _LOOK_ALIKE.finditer(text):
                k = bisect.bisect_right(starts, found.start()) - 1
                if 0 <= k < len(words):
                    words[k] = words[k].translate(_HOMOGLYPHS)
        made = cls(matcher, words, starts, offsets[1::2], text, aligned)
        made.has_latin = has_latin
        return made

    def latin(self) -> _Words | None:
        """The text read as Kazakh in the Latin alphabet («Qarağandy oblysynda» as
        «Қарағанды облысында»), when a fifth of its words or more are Latin; else None."""
        if not self.has_latin or len(_LATIN_LETTERS.findall(self.text)) * 6 < len(self.text):
            return None
        written = [self.text[start:end] for start, end in zip(self.starts, self.ends, strict=False)]
        latin = [bool(_LATIN_WORD.fullmatch(word)) for word in written]
        if sum(latin) * 5 < len(written):
            return None
        words = [
            _cyrillic_of(word) if is_latin else folded
            for word, folded, is_latin in zip(written, self.words, latin, strict=True)
        ]
        return _Words(self._matcher, words, self.starts, self.ends, self.text, False)

    def all_roots(self) -> list[list[str]]:
        roots_of = self._matcher._roots_of
        memo = self._matcher._roots_memo
        found = [
            roots
            if roots is not None
            else known
            if (known := memo.get(word)) is not None
            else roots_of(word)
            for word, roots in zip(self.words, self._roots, strict=True)
        ]
        self._roots = list(found)
        return found

    def roots(self, k: int) -> list[str]:
        if k >= len(self.words):
            return []
        roots = self._roots[k]
        if roots is None:
            roots = self._roots[k] = self._matcher._roots_of(self.words[k])
        return roots

    def capitals(self) -> list[bool]:
        """Whether each word begins with a capital."""
        if self._capitals is None:
            text = self.text
            self._capitals = [
                text[start].isupper() for start, _word in zip(self.starts, self.words, strict=False)
            ]
        return self._capitals

    def split(self, k: int) -> bool:
        """Word ``k`` and a short next word, one space apart: perhaps one word («облыс ы»)."""
        if self._splits is None:
            self.all_splits()
        assert self._splits is not None
        return k < len(self._splits) and self._splits[k]

    def all_splits(self) -> list[bool]:
        if self._splits is None:
            words, starts, ends, text = self.words, self.starts, self.ends, self.text
            self._splits = [
                len(words[k + 1]) <= 3 and starts[k + 1] == ends[k] + 1 and text[ends[k]] == " "
                for k in range(len(words) - 1)
            ] + [False]
        return self._splits


# Inside a word but not part of it: a soft hyphen, zero-width spaces and joiners.
_INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060"
_INVISIBLE_TABLE = str.maketrans(dict.fromkeys(_INVISIBLE))
_INVISIBLE_CHARACTER = re.compile(f"[{_INVISIBLE}]")
_LATIN_LETTER = re.compile(r"[a-z]")
_CYRILLIC_LETTER = re.compile(r"[а-яё]")
_LATIN_WORD = re.compile(r"[A-Za-z\u00c0-\u024f\u0300-\u036f]+")
# Latin letters that look like Cyrillic ones, folded (H is Н, B is В).
_HOMOGLYPHS = str.maketrans("aeopcxykhmtbi", "аеорсхукнмтви")


def _clean(word: str) -> str:
    return word.translate(_INVISIBLE_TABLE)


# A word with Cyrillic and Latin letters: its Latin look-alikes are read as Cyrillic.
# A Latin letter touching a Cyrillic one inside a word: its word is read in Cyrillic.
_LOOK_ALIKE = re.compile(r"(?<=[а-яёәғқңөұүһі])[a-z]|[a-z](?=[а-яёәғқңөұүһі])", re.IGNORECASE)
_LATIN_LETTERS = re.compile(r"[A-Za-z\u00c0-\u024f]")


# Kazakh in the Latin alphabet (2021, with the 2018 acute letters and the usual English
# digraphs), to folded Cyrillic.
_LATIN_DIGRAPHS = (
    ("sh", "ш"),
    ("ch", "ч"),
    ("zh", "ж"),
    ("kh", "х"),
    ("ts", "ц"),
    ("ia", "я"),
    ("iu", "ю"),
)
_LATIN_TO_CYRILLIC = str.maketrans(
    {
        **dict(zip("abcdefghijklmnopqrstuvwxyz", "абцдефгхижклмнопкрстувухыз", strict=True)),
        **dict(zip("äáçğǵıñńöóşūüúýé", "аачггинноошууууе", strict=True)),
        "\u0307": None,
    }
)


def readings(text: str) -> list[list[str]]:
    """The folded words of a search query as the matcher reads a text's: invisible characters
    inside words dropped («Сар\xadан»), Latin look-alikes in a Cyrillic word read as Cyrillic
    («Hүкенов»), and each Latin word also read as Kazakh in the Latin alphabet («Qarağandy»
    also «караганды»). Each word gives its readings, the word as folded first."""
    words = []
    for word in search_terms(_clean(text)):
        found = [word]
        if _LATIN_LETTER.search(word) and _CYRILLIC_LETTER.search(word):
            found = [word.translate(_HOMOGLYPHS)]
        elif word.isascii() and word.isalpha():
            cyrillic = _cyrillic_of(word)
            if cyrillic != word:
                found.append(cyrillic)
        words.append(found)
    return words


def _cyrillic_of(word: str) -> str:
    """A Latin-alphabet Kazakh word as the matcher reads the Cyrillic one: «Qarağandy» →
    «караганды», «Nükenov» → «нукенов», «jañğyru» → «жангыру»."""
    lower = _clean(word).casefold()
    for latin, cyrillic in _LATIN_DIGRAPHS:
        lower = lower.replace(latin, cyrillic)
    # i after a vowel is й: «Abai» is «Абай», «Moiynty» «Мойынты», «bıregeilık» «бірегейлік».
    lower = _I_AFTER_VOWEL.sub("й", lower)
    return fold(lower.translate(_LATIN_TO_CYRILLIC))


_I_AFTER_VOWEL = re.compile(r"(?<=[aeiouyäöüūıáóúýяю])i")


def _match_word(word: _Word, token: str) -> frozenset[str] | None:
    for root, allowed in word.alts:
        if token.startswith(root) and token[len(root) :] in allowed:
            return allowed
    return None


def _match_tolerant(word: _Word, token: str, shortest: int = _TOLERANCE_MIN) -> int:
    """Length of the stem of ``token`` one edit away from a root of ``word`` (of at least
    ``shortest`` letters); 0 if none."""
    for root, allowed in word.alts:
        size = len(root)
        if size < shortest:
            continue
        for cut in (size, size - 1, size + 1):
            if 0 < cut <= len(token) and token[cut:] in allowed and _one_edit(token[:cut], root):
                return cut
    return 0


def _match_at(
    pattern: _Pattern | _Group,
    i: int,
    words: list[str],
    starts: list[int],
    ends: list[int],
    text: str,
    tolerance: bool,
    aligned: bool,
    initial_first: bool = False,
) -> tuple[int, str | None] | None:
    """Match ``pattern`` from word ``i``: (index after the last word, variant) or None."""
    n = len(words)
    k = i
    variant_word: tuple[int, str] | None = None
    last = len(pattern.words) - 1
    for position, word in enumerate(pattern.words):
        if k >= n:
            return None
        if position and starts[k] - ends[k - 1] > MAX_GAP:
            return None
        token = words[k]
        if word.initial or (initial_first and position == 0):
            start, end = starts[k], ends[k]
            if end - start != 1 or token != word.alts[0][0][:1]:
                return None
            if not text[start].isupper() or text[end : end + 1] != ".":
                return None
            k += 1
            continue
        allowed = _match_word(word, token)
        if allowed is not None:
            k += 1
            # An ending after a hyphen: «Aqparat-тың».
            if (
                position == last
                and token.endswith(word.alts[0][0])
                and k < n
                and starts[k] == ends[k - 1] + 1
                and text[ends[k - 1]] == "-"
                and words[k] in allowed
                and words[k]
            ):
                k += 1
            continue
        # A word split by a space: «облыс ы».
        if (
            k + 1 < n
            and len(words[k + 1]) <= 3
            and starts[k + 1] == ends[k] + 1
            and text[ends[k]] == " "
            and _match_word(word, token + words[k + 1]) is not None
        ):
            k += 2
            continue
        # A long word after the first two, when those matched as written: «… ауылдық
        # округнің», «… басқармсының».
        if tolerance and variant_word is None and (word.tolerant or position >= 2):
            cut = _match_tolerant(word, token, 6 if position >= 2 else _TOLERANCE_MIN)
            if cut:
                start, end = starts[k], ends[k]
                seen = text[start : start + cut] if aligned else text[start:end]
                variant_word = (position, seen)
                k += 1
                continue
        return None
    variant = None
    if variant_word is not None:
        raw = _TOKEN.findall(pattern.spelling)
        position, seen = variant_word
        if len(raw) == len(pattern.words):
            raw[position] = seen
            variant = " ".join(raw)
        else:
            variant = seen
    return k, variant
