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

import functools
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import accumulate

from kense.text.kazakh import fold

__all__ = ["MAX_GAP", "MIN_STEM", "LexiconEntry", "Match", "MatchTimeout", "Matcher", "stems"]

#: Most characters allowed between two words of one multiword spelling.
MAX_GAP = 4

# Runs of letters and digits, combining marks included (fold() drops them afterwards).
_TOKEN = re.compile(r"(?:[^\W_]|[\u0300-\u036f\u0483-\u0489])+")
_SPLIT = re.compile(r"((?:[^\W_]|[\u0300-\u036f\u0483-\u0489])+)")
_MARKS = re.compile(
    r"[\u0300-\u036f\u0483-\u0489\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]"
)

_BACK_VOWELS = frozenset("аоұыяaouı")
_FRONT_VOWELS = frozenset("әөүіеэёeäöüi")
_VOWELS = frozenset("аәеёиоөұүыіэюяaeiouäöüı")
_SONORANTS = frozenset("руйrwy")  # у behaves as a consonant before endings (жаңғыруды)
_VOICED = frozenset("лзжlzj")
_NASALS = frozenset("мнңmnñ")
_TOLERANCE_MIN = 7


@dataclass(frozen=True)
class LexiconEntry:
    """A known entity and the ways it is written."""

    kind: str  # "person" | "organization" | "territory" | "project" | "program"
    pk: int
    spellings: tuple[str, ...]  # base forms and aliases
    long_surname: bool = False  # allow the one-letter tolerance for this entry when asked


@dataclass(frozen=True)
class Match:
    """One mention found in a text."""

    kind: str
    pk: int
    start: int  # character offsets in the original text
    end: int
    surface: str  # the text matched, as written
    spelling: str  # the lexicon spelling it matched
    variant: str | None = None  # the new spelling seen, when matched through the tolerance


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
_RU_IE = frozenset(["е", "я", "ю", "ем", "и", "ий", "ям", "ями", "ях"])
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


@dataclass(frozen=True, slots=True)
class _Word:
    alts: tuple[_Alt, ...]  # (folded root, allowed folded endings)
    initial: bool = False  # an upper-case initial followed by a dot
    tolerant: bool = False  # may differ by one letter when tolerance is asked


@dataclass(frozen=True, slots=True)
class _Pattern:
    entry: LexiconEntry
    spelling: str
    words: tuple[_Word, ...]


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


class MatchTimeout(TimeoutError):
    """Building the matcher or finding the entries went past the caller's deadline."""


def _check(deadline: float | None) -> None:
    if deadline is not None and time.monotonic() >= deadline:
        raise MatchTimeout


@dataclass(slots=True)
class _Group:
    """The patterns of one sequence of words: entries written alike (a surname five hundred
    people share, an entry's kk and ru names) are tried once. The first added answers."""

    words: tuple[_Word, ...]
    spelling: str
    patterns: list[_Pattern]


class Matcher:
    """Find lexicon entries in text; build once, call :meth:`find` many times.

    ``deadline`` (a ``time.monotonic()`` value), to the constructor or to :meth:`find`, bounds
    the work: past it they raise :class:`MatchTimeout` instead of running on (a request must
    not run for minutes when the lexicon or the text is very large).

    The index is exact, so that neither building nor finding grows with how many names share
    their first letters or their first word (a country's registry has thousands of surnames
    beginning «нұр» and hundreds of people named Айгүл): a one-word pattern is filed under
    each root of its word, a longer one under each pair of roots of its first two words, an
    initial with the roots of the word after it. A word of the text looks up only those of
    its beginnings that are roots (of the lengths some root has), alone and with the next
    word's. A word that may be misspelt is also filed under each form of its root with one
    letter deleted, which is what a misspelling (one letter changed, added or dropped)
    shares with it; a text's word is looked up so only when it is capitalised, as names are.
    Equal words, ending sets and word sequences are stored once."""

    def __init__(self, entries: Iterable[LexiconEntry], *, deadline: float | None = None) -> None:
        self._single: dict[str, list[_Group]] = {}
        self._pair: dict[tuple[str, str], list[_Group]] = {}
        self._initial: dict[tuple[str, str], list[_Group]] = {}
        self._near_single: dict[str, list[_Group]] = {}
        self._near_first: dict[tuple[str, str], list[_Group]] = {}
        self._near_second: dict[tuple[str, str], list[_Group]] = {}
        self._roots: set[str] = set()
        self._near_keys: set[str] = set()
        endings: dict[tuple[bool, str, bool], frozenset[str]] = {}
        # Names repeat (a country has fewer given names and surnames than people): each word
        # is compiled once for each way it stands in a spelling.
        compiled: dict[tuple[str, bool, bool, bool], _Word] = {}
        groups: dict[tuple[_Word, ...], _Group] = {}
        tolerant_endings: set[str] = set()
        self._near_of_word: dict[_Word, set[str]] = {}
        for count, entry in enumerate(entries):
            if count % 256 == 0:
                _check(deadline)
            for spelling in entry.spellings:
                raw = [w.casefold() for w in _TOKEN.findall(spelling)]
                if not raw:
                    continue
                words = []
                last_position = len(raw) - 1
                for position, word in enumerate(raw):
                    last = position == last_position
                    possessed = last and position > 0 and len(word) > 2 and word[-1] in "ыі"
                    key = (word, last, possessed, entry.long_surname)
                    made = compiled.get(key)
                    if made is None:
                        folded = fold(word)
                        if last:
                            # The endings depend only on harmony, the last letter, possession.
                            ending_key = (_is_back(word), word[-1:], possessed)
                            if ending_key not in endings:
                                endings[ending_key] = kazakh_endings(word, possessed=possessed)
                            kazakh = endings[ending_key]
                        else:
                            kazakh = _EXACT
                        alts = ((folded, kazakh), *russian_forms(folded))
                        tolerant = entry.long_surname and len(folded) >= _TOLERANCE_MIN
                        made = compiled[key] = _Word(alts, tolerant=tolerant)
                    words.append(made)
                pattern = _Pattern(entry, spelling, tuple(words))
                self._add(groups, pattern, tolerant_endings)
                if entry.kind == "person" and len(words) > 1:
                    initial = _Word(((fold(raw[0][0]), _EXACT),), initial=True)
                    self._add(groups, pattern_with(pattern, initial), tolerant_endings)
        self._beginnings = {
            root[:length] for root in self._roots for length in range(1, len(root) + 1)
        }
        self._tolerant_endings = frozenset(tolerant_endings)
        self._near_lengths = sorted({len(key) for key in self._near_keys})

    def _add(
        self, groups: dict[tuple[_Word, ...], _Group], pattern: _Pattern, tolerant_endings: set[str]
    ) -> None:
        group = groups.get(pattern.words)
        if group is not None:
            # An entry's spellings come one after another: only the last can be the same.
            last = group.patterns[-1].entry
            if (last.kind, last.pk) != (pattern.entry.kind, pattern.entry.pk):
                group.patterns.append(pattern)
            return
        group = groups[pattern.words] = _Group(pattern.words, pattern.spelling, [pattern])
        first = pattern.words[0]
        firsts = {root for root, _allowed in first.alts}
        seconds = (
            {root for root, _allowed in pattern.words[1].alts} if len(pattern.words) > 1 else set()
        )
        self._roots |= seconds
        if first.initial:  # an initial is looked up as the word it is, not as a root
            letter = first.alts[0][0]
            for second in seconds:
                self._initial.setdefault((letter, second), []).append(group)
            return
        self._roots |= firsts
        near_firsts = self._near(first, tolerant_endings)
        if not seconds:
            for root in firsts:
                self._single.setdefault(root, []).append(group)
            for key in near_firsts:
                self._near_single.setdefault(key, []).append(group)
        else:
            for root in firsts:
                for second in seconds:
                    self._pair.setdefault((root, second), []).append(group)
            for key in near_firsts:
                for second in seconds:
                    self._near_first.setdefault((key, second), []).append(group)
            for key in self._near(pattern.words[1], tolerant_endings):
                for root in firsts:
                    self._near_second.setdefault((root, key), []).append(group)

    def _near(self, word: _Word, tolerant_endings: set[str]) -> set[str]:
        """The keys a misspelling of a tolerant word is found by: each root, and each root
        with one letter deleted."""
        if not word.tolerant:
            return set()
        known = self._near_of_word.get(word)
        if known is not None:
            return known
        keys: set[str] = set()
        for root, allowed in word.alts:
            if len(root) >= _TOLERANCE_MIN:
                keys.add(root)
                keys.update(root[:cut] + root[cut + 1 :] for cut in range(len(root)))
                tolerant_endings.update(allowed)
        self._near_keys |= keys
        self._near_of_word[word] = keys
        return keys

    def _roots_of(self, word: str) -> list[str]:
        """The beginnings of a folded word that are roots of the lexicon: read letter by
        letter while the beginning is the beginning of some root (most words stop within
        three letters)."""
        roots, beginnings = self._roots, self._beginnings
        found = []
        for length in range(1, len(word) + 1):
            beginning = word[:length]
            if beginning not in beginnings:
                break
            if beginning in roots:
                found.append(beginning)
        return found

    def _near_of(self, word: str) -> list[str]:
        """The keys a misspelt root could share with a beginning of ``word`` that is followed
        by an ending tolerant words take."""
        if len(word) < _TOLERANCE_MIN - 1 or not self._near_lengths:
            return []
        keys: set[str] = set()
        shortest, longest = self._near_lengths[0], self._near_lengths[-1] + 1
        for cut in range(max(shortest, _TOLERANCE_MIN - 1), min(len(word), longest) + 1):
            if word[cut:] not in self._tolerant_endings:
                continue
            stem = word[:cut]
            keys.add(stem)
            keys.update(stem[:j] + stem[j + 1 :] for j in range(cut))
        return [key for key in keys if key in self._near_keys]

    def _candidates(self, i: int, at: _Words, tolerance: bool) -> list[_Group]:
        """The groups that may begin at word ``i``: by its roots alone and with the next
        word's (or with an ending split off either, «облыс ы»), by an initial and the word
        after it, or, with ``tolerance``, by the one-letter neighbours of capitalised words."""
        found: list[_Group] = []
        word = at.words[i]
        firsts = at.roots(i)
        seconds = at.roots(i + 1)
        for root in firsts:
            found += self._single.get(root, ())
            for second in seconds:
                found += self._pair.get((root, second), ())
        if at.split(i):  # the word with a split-off ending, then the word after that
            joined = word + at.words[i + 1]
            after = at.roots(i + 2)
            for root in self._roots_of(joined):
                if len(root) > len(word):
                    found += self._single.get(root, ())
                    for second in after:
                        found += self._pair.get((root, second), ())
        if at.split(i + 1):  # the next word with a split-off ending
            joined_roots = [
                r
                for r in self._roots_of(at.words[i + 1] + at.words[i + 2])
                if len(r) > len(at.words[i + 1])
            ]
            for root in firsts:
                for second in joined_roots:
                    found += self._pair.get((root, second), ())
        if len(word) == 1:
            for second in seconds:
                found += self._initial.get((word, second), ())
        if tolerance and self._near_keys:
            near = at.near(i)
            for key in near:
                found += self._near_single.get(key, ())
                for second in seconds:
                    found += self._near_first.get((key, second), ())
            near_next = at.near(i + 1)
            for root in firsts:
                for key in near_next:
                    found += self._near_second.get((root, key), ())
        return found

    def find(
        self, text: str, *, tolerance: bool = False, deadline: float | None = None
    ) -> list[Match]:
        """Every mention of a lexicon entry in ``text``, in text order, never overlapping."""
        _check(deadline)
        folded_text = fold(text)
        aligned = len(folded_text) == len(text) and not _MARKS.search(text)
        # Words and separators alternate: [separator, word, separator, word, …, separator].
        parts = _SPLIT.split(folded_text if aligned else text)
        if len(parts) < 2:
            return []
        offsets = list(accumulate(map(len, parts)))
        starts, ends = offsets[0::2], offsets[1::2]
        words = parts[1::2] if aligned else [fold(word) for word in parts[1::2]]
        at = _Words(self, words, starts, ends, text)
        found: list[tuple[int, int, _Group, str | None]] = []
        for i in range(len(words)):
            if deadline is not None and i % 1024 == 0:
                _check(deadline)
            candidates = self._candidates(i, at, tolerance)
            if not candidates:
                continue
            seen: set[int] = set()
            for group in candidates:
                if id(group) in seen:
                    continue
                seen.add(id(group))
                result = _match_at(group, i, words, starts, ends, text, tolerance, aligned)
                if result is not None:
                    found.append((i, result[0], group, result[1]))
        if not found:
            return []
        found.sort(
            key=lambda f: (
                -(f[1] - f[0]),
                f[3] is not None,
                -(ends[f[1] - 1] - starts[f[0]]),
                f[0],
            )
        )
        taken = bytearray(len(words))
        chosen = []
        for first, stop, group, variant in found:
            if any(taken[first:stop]):
                continue
            pattern = group.patterns[0]
            taken[first:stop] = b"\x01" * (stop - first)
            start, end = starts[first], ends[stop - 1]
            chosen.append(
                Match(
                    kind=pattern.entry.kind,
                    pk=pattern.entry.pk,
                    start=start,
                    end=end,
                    surface=text[start:end],
                    spelling=group.spelling,
                    variant=variant,
                )
            )
        chosen.sort(key=lambda m: m.start)
        return chosen


class _Words:
    """The words of one text as :meth:`Matcher.find` reads them, with what the index needs of
    each (its roots, its one-letter neighbours), worked out once per word."""

    __slots__ = ("_matcher", "_near", "_roots", "ends", "starts", "text", "words")

    def __init__(
        self, matcher: Matcher, words: list[str], starts: list[int], ends: list[int], text: str
    ) -> None:
        self._matcher = matcher
        self.words, self.starts, self.ends, self.text = words, starts, ends, text
        self._roots: list[list[str] | None] = [None] * len(words)
        self._near: dict[int, list[str]] = {}

    def roots(self, k: int) -> list[str]:
        if k >= len(self.words):
            return []
        roots = self._roots[k]
        if roots is None:
            roots = self._roots[k] = self._matcher._roots_of(self.words[k])
        return roots

    def near(self, k: int) -> list[str]:
        """A capitalised word's misspelling keys (names are capitalised); none otherwise."""
        if k >= len(self.words) or not self.text[self.starts[k]].isupper():
            return []
        if k not in self._near:
            self._near[k] = self._matcher._near_of(self.words[k])
        return self._near[k]

    def split(self, k: int) -> bool:
        """Word ``k`` and a short next word, one space apart: perhaps one word («облыс ы»)."""
        return (
            k + 1 < len(self.words)
            and len(self.words[k + 1]) <= 3
            and self.starts[k + 1] == self.ends[k] + 1
            and self.text[self.ends[k]] == " "
        )


def pattern_with(pattern: _Pattern, initial: _Word) -> _Pattern:
    """``pattern`` with its first word replaced by an initial."""
    return _Pattern(pattern.entry, pattern.spelling, (initial, *pattern.words[1:]))


def _match_word(word: _Word, token: str) -> frozenset[str] | None:
    for root, allowed in word.alts:
        if token.startswith(root) and token[len(root) :] in allowed:
            return allowed
    return None


def _match_tolerant(word: _Word, token: str) -> int:
    """Length of the stem of ``token`` one edit away from a root of ``word``; 0 if none."""
    for root, allowed in word.alts:
        size = len(root)
        if size < _TOLERANCE_MIN:
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
        if word.initial:
            start, end = starts[k], ends[k]
            if end - start != 1 or token != word.alts[0][0]:
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
        if tolerance and word.tolerant and variant_word is None:
            cut = _match_tolerant(word, token)
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
