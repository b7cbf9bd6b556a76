"""The registry as the matcher reads it: one matcher per process over every name Kense knows,
kept up to date from the registry's history, and read through each reader's scope.

- **Entries** (:func:`entries`): people, organizations, territories, programs, directions and
  projects, with every way the registry writes them (names in kk/ru/en, short names,
  aliases) and the ways a text writes them that the registry does not: a person by given
  name and patronymic («Абзал Сейітқалиұлы», «Абзал Сейткалиевич»), a city or a village
  without its type word («Саран», «г. Сарань», «Көшім») and a rural district with its other
  type words («Көшім ауыл округі», «Көшім округі»). Each entry carries the territories it
  belongs to, its own first, which rank it among entries of the same name.
- **One matcher per process** (:func:`matcher`): built once from the whole registry (a
  country's 70,000 names in about three seconds), then refreshed before each use from the
  history the registry keeps of every change: the rows changed since the last look (and a
  few minutes before, for transactions that committed late) are read again and replaced in
  the matcher, deleted ones dropped. A change in another process is seen by the next ingest
  here; the matcher is never rebuilt per request.
- **Scope** (:func:`visible_to`): the matcher finds over everything, and what the reader may
  not see is dropped before overlaps are decided (a query per kind found).
"""

from __future__ import annotations

import datetime
import re
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.db.models import Model
from django.utils import timezone

from kense.accounts.models import User
from kense.text.matcher import Context, LexiconEntry, Matcher

__all__ = ["KINDS", "context_for", "entries", "matcher", "reset", "visible_to"]

#: A spelling shorter than this is too ambiguous to anchor a match (initials, codes); a
#: capitalised two-letter surname («Ли») is kept: the matcher finds it only capitalised.
MIN_SPELLING = 3
LONG_SURNAME = 7
LANGUAGES = ("kk", "ru", "en")
#: How far before the last look the history is read again: a change saved in a transaction
#: that committed later than it was dated, or on a machine whose clock is a little behind.
LAG = datetime.timedelta(minutes=5)


def _models() -> dict[str, type[Model]]:
    from kense.programs.models import Direction, Program, Project
    from kense.registry.models import Organization, Person, Territory

    return {
        "person": Person,
        "organization": Organization,
        "territory": Territory,
        "program": Program,
        "direction": Direction,
        "project": Project,
    }


KINDS = ("person", "organization", "territory", "program", "direction", "project")

# ---------------------------------------------------------------------------------------------
# Spellings
# ---------------------------------------------------------------------------------------------

_QUOTES = re.compile(r"[«»\"“”„]")


def spellings(values: Iterable[str | None]) -> tuple[str, ...]:
    """Each name as written and without its quotes («Рухани жаңғыру» and Рухани жаңғыру),
    each once; at least MIN_SPELLING letters, or two beginning with a capital («Ли»)."""
    seen: dict[str, None] = {}

    def keep(spelling: str) -> None:
        if len(spelling) >= MIN_SPELLING or (len(spelling) == 2 and spelling[0].isupper()):
            seen.setdefault(spelling, None)

    for value in values:
        if not value:
            continue
        keep(value.strip())
        if _QUOTES.search(value):
            keep(" ".join(_QUOTES.sub(" ", value).split()))
    return tuple(seen)


_RU_PATRONYMIC = re.compile(r"^(?P<father>\w{3,}?)(?:ович|евич|ич|овна|евна|ична|инична)$")


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


def _places(path: str) -> tuple[int, ...]:
    """A territory's path («/1/5/23/») as its pk and its parents', its own first."""
    return tuple(int(part) for part in reversed(path.strip("/").split("/")) if part)


def territory_places() -> dict[int, tuple[int, ...]]:
    """Every territory's places (itself, then its parents): one query."""
    from kense.registry.models import Territory

    return {pk: _places(path) for pk, path in Territory.objects.values_list("pk", "path")}


def _fields(kind: str) -> list[str]:
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


def _in(row: Mapping[str, Any], field: str) -> list[Any]:
    return [row.get(f"{field}_{code}") for code in LANGUAGES]


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
            places=_places(row.get("path") or ""),
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


def entries(
    kind: str,
    pks: Iterable[int] | None = None,
    *,
    places: Mapping[int, tuple[int, ...]],
    on_time: Callable[[int], None] = lambda count: None,
) -> list[LexiconEntry]:
    """The matcher's entries of ``kind`` (all of them, or the rows ``pks``), read as values: a
    country's 70,000 names would cost seconds as model objects. ``places``: every territory's
    places (:func:`territory_places`)."""
    fields = _fields(kind)
    queryset = _models()[kind]._default_manager.all()
    if pks is not None:
        queryset = queryset.filter(pk__in=list(pks))
    made: list[LexiconEntry] = []
    rows = queryset.values_list("pk", *fields).iterator(chunk_size=5000)
    for count, (pk, *values) in enumerate(rows):
        on_time(count)
        entry = make_entry(kind, pk, dict(zip(fields, values, strict=True)), places)
        if entry.spellings:
            made.append(entry)
    return made


def all_entries(*, deadline: float | None = None) -> list[LexiconEntry]:
    """Every entry of the registry, whoever reads it (the matcher is filtered per reader)."""
    from kense.text.matcher import MatchTimeout

    def on_time(count: int) -> None:
        if deadline is not None and count % 500 == 0 and time.monotonic() >= deadline:
            raise MatchTimeout

    places = territory_places()
    found: list[LexiconEntry] = []
    for kind in KINDS:
        found += entries(kind, places=places, on_time=on_time)
    return found


# ---------------------------------------------------------------------------------------------
# The process's matcher
# ---------------------------------------------------------------------------------------------


class _Lexicon:
    """The matcher of this process and how far it has read the registry's history."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.matcher: Matcher | None = None
        self.since: datetime.datetime | None = None
        self.applied: dict[str, dict[int, datetime.datetime]] = {}

    def current(self, deadline: float | None = None) -> Matcher:
        with self.lock:
            now = timezone.now()
            if self.matcher is None:
                self.matcher = Matcher(all_entries(deadline=deadline), deadline=deadline)
                self.since, self.applied = now, {}
            else:
                self._refresh(now, deadline)
            return self.matcher

    def _refresh(self, now: datetime.datetime, deadline: float | None) -> None:
        """Replace in the matcher the rows changed since the last look (LAG before it)."""
        assert self.matcher is not None and self.since is not None
        window = self.since - LAG
        models = _models()
        changed: dict[str, set[int]] = {}
        for kind in KINDS:
            history = models[kind].history  # type: ignore[attr-defined]  # simple-history's
            applied = self.applied.setdefault(kind, {})
            rows = history.filter(history_date__gte=window).values_list(
                "history_id", "id", "history_date"
            )
            for history_id, pk, dated in rows:
                if history_id not in applied:
                    applied[history_id] = dated
                    changed.setdefault(kind, set()).add(pk)
            # What is older than the next window is never read again.
            for history_id in [h for h, dated in applied.items() if dated < now - LAG]:
                del applied[history_id]
        if changed:
            places = territory_places()
            for kind, pks in changed.items():
                found = entries(kind, pks, places=places)
                present = {entry.pk for entry in found}
                gone = [(kind, pk) for pk in pks if pk not in present]
                self.matcher.update(found, removed=gone, deadline=deadline)
        self.since = now


_lexicon = _Lexicon()


def matcher(*, deadline: float | None = None) -> Matcher:
    """This process's matcher over the whole registry, brought up to date (see the module)."""
    return _lexicon.current(deadline)


def reset() -> None:
    """Forget this process's matcher (the tests' fresh databases)."""
    global _lexicon
    _lexicon = _Lexicon()


# ---------------------------------------------------------------------------------------------
# The reader
# ---------------------------------------------------------------------------------------------


def visible_to(user: User) -> Callable[[set[tuple[str, int]]], set[tuple[str, int]]]:
    """Of the (kind, pk) found, those ``user`` may see: a query per kind found."""
    models = _models()

    def visible(keys: set[tuple[str, int]]) -> set[tuple[str, int]]:
        wanted: dict[str, list[int]] = {}
        for kind, pk in keys:
            wanted.setdefault(kind, []).append(pk)
        seen: set[tuple[str, int]] = set()
        for kind, pks in wanted.items():
            rows = models[kind].objects.restrict(user).filter(pk__in=pks)  # type: ignore[attr-defined]
            seen.update((kind, pk) for pk in rows.values_list("pk", flat=True))
        return seen

    return visible


def context_for(user: User) -> Context:
    """Where the user works (their territory, their organization's), and the office's
    choices for names of those territories (:mod:`kense.media.models` LinkChoice)."""
    places: set[int] = set()
    if user.territory_id:
        places.add(user.territory_id)
    organization = getattr(user, "organization", None)
    if organization is not None and organization.territory_id:
        places.add(organization.territory_id)
    return Context(places=frozenset(places), chosen=chosen_for(places))


def chosen_for(places: set[int]) -> dict[str, tuple[str, int]]:
    """The latest choice the office made for each name in texts of these territories."""
    from kense.media.models import LinkChoice

    chosen: dict[str, tuple[str, int]] = {}
    if not places:
        return chosen
    rows = (
        LinkChoice.objects.filter(territory_id__in=places)
        .order_by("chosen_at")
        .values_list("spelling", "kind", "object_id")
    )
    for spelling, kind, object_id in rows:
        chosen[spelling] = (kind, object_id)
    return chosen
