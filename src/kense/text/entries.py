"""A registry row as the matcher's entry: the spellings a text uses that the registry does not
hold (a person by given name and patronymic, a town without its type word, a rural district
with the type words texts use), the territories an entry stands in, and the entries it belongs
with. Pure: the rows come from the database (:mod:`kense.media.lexicon`) or from the labelled
news set's registry (:mod:`kense.text.news`), the one way a row becomes an entry.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from typing import Any

from kense.text.matcher import LexiconEntry

__all__ = [
    "LANGUAGES",
    "fields",
    "kazakh_patronymic",
    "make_entry",
    "person_spellings",
    "places_of",
    "spellings",
    "territory_spellings",
]

#: A spelling shorter than this is too ambiguous to anchor a match (initials, codes); a
#: capitalised two-letter surname («Ли») is kept: the matcher finds it only capitalised.
MIN_SPELLING = 3
LONG_SURNAME = 7
LANGUAGES = ("kk", "ru", "en")


# ---------------------------------------------------------------------------------------------
# Spellings
# ---------------------------------------------------------------------------------------------

_QUOTES = re.compile(r"[«»\"“”„]")


def spellings(values: Iterable[str | None]) -> tuple[str, ...]:
    """Each name as written and without its quotes («Рухани жаңғыру» and Рухани жаңғыру),
    each once; at least MIN_SPELLING letters, or two beginning with a capital («Ли»)."""
    seen: dict[str, None] = {}
    for value in values:
        if not value:
            continue
        found = [value.strip()]
        if _QUOTES.search(value):
            found.append(" ".join(_QUOTES.sub(" ", value).split()))
        for spelling in found:
            if len(spelling) >= MIN_SPELLING or (len(spelling) == 2 and spelling[0].isupper()):
                seen[spelling] = None
    return tuple(seen)


_RU_PATRONYMIC = re.compile(r"^(?P<father>\w{3,}?)(?:ович|евич|ич|овна|евна|ична|инична)$")


@functools.lru_cache(maxsize=4096)  # a country's fathers' names repeat
def kazakh_patronymic(ru: str) -> str:
    """The Kazakh form of a Russian patronymic: «Сейткалиевич» → «Сейткалиұлы», «Аскаровна»
    → «Аскарқызы»; "" when it is not one."""
    found = _RU_PATRONYMIC.match(ru.strip())
    if not found:
        return ""
    female = ru.strip().endswith("на")
    return found["father"] + ("қызы" if female else "ұлы")


def person_spellings(
    surnames: list[str | None],
    given: list[str | None],
    patronymics: list[str | None],
    aliases: list[str],
) -> tuple[str, ...]:
    """Surnames; given name and surname; given name and patronymic, as Kazakh and Russian
    texts name people («Абзал Сейітқалиұлы», «Абзал Сейткалиевич»); aliases."""
    full = [
        f"{given_name or ''} {surname}".strip()
        for surname, given_name in zip(surnames, given, strict=True)
        if surname
    ]
    kk_patronymic = patronymics[0] or kazakh_patronymic(patronymics[1] or "")
    by_patronymic = [
        f"{given_name} {patronymic}"
        for given_name, patronymic in ((given[0], kk_patronymic), (given[1], patronymics[1]))
        if given_name and patronymic
    ]
    return spellings([*surnames, *full, *by_patronymic, *aliases])


# A territory's type word, by kind and language: (kk suffix, ru prefix or suffix).
_CITY = re.compile(r"^(?:(?P<ru>город)\s+(?P<a>.+)|(?P<b>.+?)\s+(?P<kk>қаласы))$", re.I)
_SETTLEMENT = re.compile(
    r"^(?:(?P<ru>село|посёлок|поселок|аул)\s+(?P<a>.+)|(?P<b>.+?)\s+(?P<kk>ауылы|кенті))$", re.I
)
_RURAL = re.compile(r"^(?P<b>.+?)\s+(?P<kk>ауылдық округі|сельский округ)$", re.I)


def territory_spellings(
    kind: str, names: list[str | None], aliases: list[str]
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The spellings of a territory and its weak ones (:attr:`LexiconEntry.weak`).

    The names and aliases; a city or a settlement also with its short type word («г. Сарань»,
    «Саран қ.», «с. Көшім») and, weak, without any («Саран», «Сарань», «Көшім»: a place only in
    a place's case or in a text about it, as «Абай» is also the poet); a rural district also
    with the type words texts use («Көшім ауыл округі», «Көшім округі», «Кошимский с/о»).
    Regions and districts keep their type word: on the news set, a district's bare name
    found more that was not it than that was."""
    derived: list[str] = []
    bare: list[str] = []
    for name in names:
        if not name:
            continue
        name = " ".join(name.split())
        if kind == "city" and (found := _CITY.match(name)):
            short = found["a"] or found["b"]
            bare.append(short)
            derived.append(f"г. {short}" if found["ru"] else f"{short} қ.")
        elif kind == "settlement" and (found := _SETTLEMENT.match(name)):
            short = found["a"] or found["b"]
            bare.append(short)
            if not found["ru"]:
                derived.append(f"{short} а.")
            else:  # посёлок → в посёлке: the vowel drops out
                derived += [f"с. {short}", f"п. {short}", f"пос. {short}", f"поселк {short}"]
        elif kind == "rural_district" and (found := _RURAL.match(name)):
            short = found["b"]
            if found["kk"].lower().startswith("ауыл"):
                derived += [f"{short} ауыл округі", f"{short} округі", f"{short} а/о"]
            else:
                derived += [f"{short} с/о", f"{short} с. о."]
    strong = spellings([*names, *aliases, *derived])
    return strong, tuple(s for s in spellings(bare) if s not in strong)


# ---------------------------------------------------------------------------------------------
# Entries
# ---------------------------------------------------------------------------------------------


def places_of(path: str) -> tuple[int, ...]:
    """A territory's path («/1/5/23/») as its pk and its parents', its own first."""
    return tuple(int(part) for part in reversed(path.strip("/").split("/")) if part)


def fields(kind: str) -> list[str]:
    """The fields an entry of ``kind`` is made of."""
    names = [f"name_{code}" for code in LANGUAGES]
    if kind == "person":
        return [
            *(
                f"{field}_{code}"
                for field in ("surname", "given_name", "patronymic")
                for code in LANGUAGES
            ),
            "aliases",
            "territory_id",
        ]
    if kind == "organization":
        short_names = [f"short_name_{code}" for code in LANGUAGES]
        return [*names, *short_names, "aliases", "kind", "territory_id", "parent_id"]
    if kind == "territory":
        return [*names, "aliases", "kind", "path"]
    if kind == "project":
        return [*names, "aliases", "territory_id", "program_id", "direction_id", "parent_id"]
    if kind == "direction":
        return [*names, "aliases", "program_id"]
    return [*names, "aliases"]


# The entries a row belongs with (LexiconEntry.related): its foreign keys, by kind.
_RELATED = {
    "organization": (("parent_id", "organization"),),
    "project": (("program_id", "program"), ("direction_id", "direction"), ("parent_id", "project")),
    "direction": (("program_id", "program"),),
}


def _related(kind: str, row: Mapping[str, Any]) -> tuple[tuple[str, int], ...]:
    return tuple((other, row[field]) for field, other in _RELATED.get(kind, ()) if row.get(field))


# The names of a translated field's columns, in LANGUAGES order.
_COLUMNS = {
    field: tuple(f"{field}_{code}" for code in LANGUAGES)
    for field in ("name", "short_name", "surname", "given_name", "patronymic")
}


def _in(row: Mapping[str, Any], field: str) -> list[Any]:
    return [row.get(column) for column in _COLUMNS[field]]


def make_entry(
    kind: str, pk: int, row: Mapping[str, Any], places: Mapping[int, tuple[int, ...]]
) -> LexiconEntry:
    """The matcher's entry of a registry row (``row``: the values of :func:`_fields`, by
    name; ``places``: every territory's places). The one way a row becomes an entry: the
    ingest's registry and the labelled news set (kense.text.news) both come through here."""
    aliases = row.get("aliases") or []
    if kind == "person":
        surnames = _in(row, "surname")
        surname = surnames[0] or surnames[1] or ""
        return LexiconEntry(
            kind,
            pk,
            person_spellings(surnames, _in(row, "given_name"), _in(row, "patronymic"), aliases),
            long_surname=len(surname) >= LONG_SURNAME,
            places=places.get(row.get("territory_id") or 0, ()),
        )
    if kind == "organization":
        # Outlets' names are the ones articles misspell (Saryarq aqparat): a one-letter
        # tolerance for them, as for long surnames.
        return LexiconEntry(
            kind,
            pk,
            spellings([*_in(row, "name"), *_in(row, "short_name"), *aliases]),
            long_surname=row.get("kind") == "media",
            places=places.get(row.get("territory_id") or 0, ()),
            type=row.get("kind") or "",
            related=_related(kind, row),
        )
    if kind == "territory":
        strong, weak = territory_spellings(row.get("kind") or "", _in(row, "name"), aliases)
        return LexiconEntry(
            kind,
            pk,
            strong,
            places=places_of(row.get("path") or ""),
            type=row.get("kind") or "",
            weak=weak,
        )
    return LexiconEntry(
        kind,
        pk,
        spellings([*_in(row, "name"), *aliases]),
        places=places.get(row.get("territory_id") or 0, ()),
        related=_related(kind, row),
    )
