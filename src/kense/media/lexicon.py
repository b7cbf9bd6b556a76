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
  country's 70,000 names in under three seconds), then refreshed before each use from the
  history the registry keeps of every change: the rows changed since the last look (and a
  few minutes before, for transactions that committed late) are read again and replaced in
  the matcher, deleted ones dropped. A change in another process is seen by the next ingest
  here; the matcher is never rebuilt per request.
- **Scope** (:func:`visible_to`): the matcher finds over everything, and what the reader may
  not see is dropped before overlaps are decided (a query per kind found).
"""

from __future__ import annotations

import datetime
import gc
import json
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

from django.db import connections
from django.db.models import Model, QuerySet
from django.utils import timezone

from kense.accounts.models import User
from kense.text.entries import fields, make_entry, places_of
from kense.text.matcher import Context, LexiconEntry, Matcher, paused_collector

__all__ = [
    "KINDS",
    "all_entries",
    "build",
    "context_for",
    "entries",
    "matcher",
    "models_by_kind",
    "reset",
    "visible_to",
]

#: A matcher of this many entries or more is frozen out of the garbage collector's way.
FREEZE_ENTRIES = 10_000
#: How far before the last look the history is read again: a change saved in a transaction
#: that committed later than it was dated, or on a machine whose clock is a little behind.
LAG = datetime.timedelta(minutes=5)


def models_by_kind() -> dict[str, type[Model]]:
    """The model of each kind of entry (person, organization, territory, program, direction,
    project): what the ingest loads names and places from."""
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
# Entries
# ---------------------------------------------------------------------------------------------


def territory_places() -> dict[int, tuple[int, ...]]:
    """Every territory's places (itself, then its parents): one query."""
    from kense.registry.models import Territory

    return {pk: places_of(path) for pk, path in Territory.objects.values_list("pk", "path")}


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
    names = fields(kind)
    queryset = models_by_kind()[kind]._default_manager.all()
    if pks is not None:
        queryset = queryset.filter(pk__in=list(pks))
    made: list[LexiconEntry] = []
    key = queryset.model._meta.pk.attname
    for count, row in enumerate(_rows(queryset.values_list(key, *names))):
        on_time(count)
        aliases = row.get("aliases")
        if isinstance(aliases, str):  # JSON, as the database gives it
            row["aliases"] = json.loads(aliases) if aliases != "[]" else []
        entry = make_entry(kind, row[key], row, places)
        if entry.spellings:
            made.append(entry)
    return made


def _rows(queryset: QuerySet[Any]) -> Iterator[dict[str, Any]]:
    """The rows of a values_list query of plain columns straight from the database cursor,
    by column name: a country's 70,000 rows through the ORM's iterator (its per-row
    converters, modeltranslation's wrapper) would cost half a second more. The values are
    as the database gives them: text, numbers, JSON as text."""
    sql, params = queryset.query.get_compiler(using=queryset.db).as_sql()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        columns = [column[0] for column in cursor.description]
        while chunk := cursor.fetchmany(5000):
            for values in chunk:
                yield dict(zip(columns, values, strict=True))


def all_entries(*, deadline: float | None = None) -> list[LexiconEntry]:
    """Every entry of the registry, whoever reads it (the matcher is filtered per reader)."""
    from kense.text.matcher import MatchTimeout

    def on_time(count: int) -> None:
        if deadline is not None and count % 500 == 0 and time.monotonic() >= deadline:
            raise MatchTimeout

    with paused_collector():  # a country's entries are objects, not garbage
        places = territory_places()
        found: list[LexiconEntry] = []
        for kind in KINDS:
            found += entries(kind, places=places, on_time=on_time)
    return found


# ---------------------------------------------------------------------------------------------
# The process's matcher
# ---------------------------------------------------------------------------------------------


def build(found: list[LexiconEntry], *, deadline: float | None = None) -> Matcher:
    """The matcher of these entries as a process keeps it. A country's matcher is millions of
    objects that live as long as the process: frozen out of the collector's way (a full
    collection would walk them all, half a second each time), as kense/wsgi.py does with the
    loaded code, before the collector wakes again; a small one is left to the collector."""
    with paused_collector():
        made = Matcher(found, deadline=deadline)
        if len(made) >= FREEZE_ENTRIES:
            gc.freeze()
    return made


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
                self.matcher = build(all_entries(deadline=deadline), deadline=deadline)
                self.since, self.applied = now, {}
            else:
                self._refresh(now, deadline)
            return self.matcher

    def _refresh(self, now: datetime.datetime, deadline: float | None) -> None:
        """Replace in the matcher the rows changed since the last look (LAG before it)."""
        assert self.matcher is not None and self.since is not None
        window = self.since - LAG
        models = models_by_kind()
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
    models = models_by_kind()

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
    """Where the user works (their territory, their organization's) and the choices the office
    made there, or above it, for names several entries share (media.LinkChoice)."""
    places: set[int] = set()
    paths: list[str] = []
    if user.territory is not None:
        places.add(user.territory.pk)
        paths.append(user.territory.path)
    organization = getattr(user, "organization", None)
    if organization is not None and organization.territory_id:
        places.add(organization.territory_id)
        paths.append(organization.territory.path)
    above = {place for path in paths for place in places_of(path)}
    return Context(places=frozenset(places), chosen=chosen_for(above))


def chosen_for(places: set[int]) -> dict[str, tuple[str, int]]:
    """The latest choice made for each name in texts of these territories."""
    from kense.media.models import LinkChoice

    chosen: dict[str, tuple[str, int]] = {}
    if not places:
        return chosen
    rows = (
        LinkChoice.objects.filter(territory_id__in=places)
        .order_by("chosen_at", "pk")
        .values_list("spelling", "kind", "object_id")
    )
    for spelling, kind, object_id in rows:
        chosen[spelling] = (kind, object_id)
    return chosen
