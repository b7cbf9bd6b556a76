"""Reads that span apps: the one search box (the home's are in kense.home.today).

The search looks in every kind a user may open — the registry, programs and projects,
meetings and their agenda items, assignments, events, documents, ideas and publications —
through each kind's folded `search_text` (kense.core.models.Searchable) and the query's
words and stems (kense.core.selectors), always inside the user's scope (`restrict`).

Each kind costs one query, whatever the data (on SQLite one query first asks the word indexes
which kinds hold the query's words at all, and only those are searched; see
kense.core.selectors.index_hits): the keys of at most SEARCH_CANDIDATES rows
whose words begin with the query's words, and as many found by the stems only, are taken
by capped subqueries (from the trigram indexes of migration home.0001 on PostgreSQL, the
FTS5 indexes of kense.core.search_index on SQLite), one
pair for each reason the user may see a row (RestrictedQuerySet.restrict_parts: a meeting
in the territory, one the user is invited to), and only those are ranked and sorted. So a
word found in half a million events costs as much as a rare one; the group then says there
are more, and a longer query narrows it. docs/performance.md has the measurements.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import connection
from django.db.models import F, Model, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.functions import Collate
from django.utils.translation import gettext_lazy as _

from kense.assignments.models import Assignment
from kense.core.lists import KAZAKH, kazakh_order
from kense.core.permissions import correlated
from kense.core.selectors import (
    INDEX_MANY,
    SearchWord,
    beginnings_q,
    index_hits,
    scope_driven,
    search_rank,
    search_words,
    stems_q,
)
from kense.documents.models import Document
from kense.events.models import Event
from kense.ideas.models import Idea
from kense.media.models import Publication
from kense.meetings.models import AgendaItem, Meeting
from kense.programs.models import Program, Project
from kense.registry.models import Organization, Person, Territory
from kense.text.kazakh import format_date

if TYPE_CHECKING:
    from django.db.models.expressions import Combinable
    from django_stubs_ext import StrOrPromise

    from kense.accounts.models import User

#: Results shown per kind.
SEARCH_LIMIT = 20
#: Rows of a kind ranked and sorted, at most, for each of the two ways of finding them.
SEARCH_CANDIDATES = 500


@dataclass(frozen=True)
class SearchResult:
    id: int
    name: str
    url: str
    context: str  # where, when, in what state: a short line under the name
    rank: int  # kense.core.selectors.RANK_*


@dataclass
class SearchGroup:
    type: str  # `<app>.<model>`
    label: StrOrPromise
    results: list[SearchResult]
    more: bool

    @property
    def anchor(self) -> str:
        """The group's id on the page: `found-meetings-agendaitem`."""
        return "found-" + self.type.replace(".", "-")


@dataclass(frozen=True)
class SearchKind:
    label: StrOrPromise
    model: type[Model]
    # What the user may see, as the rows of each reason to see them (RestrictedQuerySet.
    # restrict_parts), which together are all of it.
    # ``correlate``: each part asked row by row (SQLite, where the word index's rows are few).
    rows: Callable[[User, bool], list[QuerySet[Any]]]
    related: tuple[str, ...]  # select_related for the name, the context and the link
    order: Callable[[], Combinable]
    name: Callable[[Any], str]
    context: Callable[[Any], list[object]]
    url: Callable[[Any], str]


def _text(value: object) -> str:
    return "" if value is None else str(value)


def _short(text: str, size: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= size else text[: size - 1].rstrip() + "…"


def _sqlite() -> bool:
    # SQLite computes an IN's whole list first: the scope's parts are asked row by row there
    # (kense.core.permissions.correlated).
    return connection.vendor == "sqlite"


def _visible(model: Any) -> Callable[[User, bool], list[QuerySet[Any]]]:
    return lambda user, correlate: model.objects.restrict_parts(user, correlate=correlate)


def _items_of_visible_meetings(user: User, correlate: bool) -> list[QuerySet[Any]]:
    # An agenda item is seen with its meeting.
    seen = Q(meeting__in=Meeting.objects.restrict(user).values("pk"))
    return [AgendaItem.objects.filter(correlated(seen) if correlate else seen)]


def _title_order() -> Combinable:
    return Collate(F("title"), KAZAKH)


def _kinds() -> list[SearchKind]:
    """Every kind searched, in the order the groups are shown: the registry, the work, then
    what is written about it."""
    return [
        SearchKind(
            _("People"),
            Person,
            _visible(Person),
            ("territory",),
            lambda: kazakh_order("surname"),
            str,
            lambda person: [person.territory],
            lambda person: person.get_absolute_url(),
        ),
        SearchKind(
            _("Organizations"),
            Organization,
            _visible(Organization),
            ("territory",),
            kazakh_order,
            str,
            lambda organization: [organization.territory],
            lambda organization: organization.get_absolute_url(),
        ),
        SearchKind(
            _("Territories"),
            Territory,
            _visible(Territory),
            ("parent",),
            kazakh_order,
            str,
            lambda territory: [territory.parent],
            lambda territory: territory.get_absolute_url(),
        ),
        SearchKind(
            _("Programs"),
            Program,
            _visible(Program),
            (),
            kazakh_order,
            str,
            lambda program: [program.get_status_display()],
            lambda program: program.get_absolute_url(),
        ),
        SearchKind(
            _("Projects"),
            Project,
            _visible(Project),
            ("territory",),
            kazakh_order,
            str,
            lambda project: [project.territory, project.get_status_display()],
            lambda project: project.get_absolute_url(),
        ),
        SearchKind(
            _("Meetings"),
            Meeting,
            _visible(Meeting),
            ("territory",),
            lambda: kazakh_order("title"),
            str,
            lambda meeting: [format_date(meeting.start), meeting.territory],
            lambda meeting: meeting.get_absolute_url(),
        ),
        SearchKind(
            _("Agenda items"),
            AgendaItem,
            _items_of_visible_meetings,
            ("meeting",),
            lambda: kazakh_order("title"),
            lambda item: _short(str(item)),
            lambda item: [format_date(item.meeting.start), item.meeting],
            lambda item: f"{item.meeting.get_absolute_url()}#item-{item.pk}",
        ),
        SearchKind(
            _("Assignments"),
            Assignment,
            _visible(Assignment),
            ("territory",),
            lambda: kazakh_order("text"),
            lambda assignment: _short(assignment.text),
            lambda assignment: [
                assignment.number,
                format_date(assignment.deadline),
                assignment.get_status_display(),
            ],
            lambda assignment: assignment.get_absolute_url(),
        ),
        SearchKind(
            _("Events"),
            Event,
            _visible(Event),
            ("territory",),
            lambda: kazakh_order("title"),
            str,
            lambda event: [format_date(event.start), event.territory, event.get_status_display()],
            lambda event: event.get_absolute_url(),
        ),
        SearchKind(
            _("Documents"),
            Document,
            _visible(Document),
            (),
            lambda: kazakh_order("title"),
            str,
            lambda document: [document.get_kind_display(), format_date(document.created_at)],
            lambda document: document.get_absolute_url(),
        ),
        SearchKind(
            _("Ideas"),
            Idea,
            _visible(Idea),
            ("territory",),
            _title_order,
            str,
            lambda idea: [idea.territory, idea.get_status_display()],
            lambda idea: idea.get_absolute_url(),
        ),
        SearchKind(
            _("Publications"),
            Publication,
            _visible(Publication),
            ("outlet",),
            _title_order,
            str,
            lambda publication: [publication.outlet, format_date(publication.date)],
            lambda publication: publication.get_absolute_url(),
        ),
    ]


def _union_all(querysets: list[QuerySet[Any]]) -> RawSQL:
    """The rows of every one of ``querysets`` (each a column, each perhaps limited), as one
    subquery: `SELECT * FROM (…) UNION ALL SELECT * FROM (…)`."""
    parts: list[str] = []
    params: list[Any] = []
    for queryset in querysets:
        sql, part_params = queryset.query.get_compiler(queryset.db).as_sql()
        parts.append(f"SELECT * FROM ({sql})")
        params.extend(part_params)
    return RawSQL(" UNION ALL ".join(parts), params)


def _found(kind: SearchKind, user: User, words: list[SearchWord], many: bool) -> SearchGroup | None:
    # Any SEARCH_CANDIDATES rows of each part, in no order: a sorted cap would read every
    # row found first. On SQLite the scope's parts are asked row by row of what the word
    # index finds (kense.core.permissions.correlated), unless it finds ``many``: then the
    # scope finds its rows by its own indexes and each is looked up in the index's list
    # (kense.core.selectors.scope_driven).
    sqlite = _sqlite()
    parts = [part.order_by() for part in kind.rows(user, sqlite and not many)]
    field = "pk"
    if sqlite and many:
        parts = [scope_driven(part) for part in parts]
        field = "search_row"
    stemmed = any(word.beginnings != (word.word,) for word in words)
    conditions = [beginnings_q(kind.model, words, field)] + (
        [stems_q(kind.model, words, field)] if stemmed else []
    )
    capped = [
        part.filter(condition).values("pk")[:SEARCH_CANDIDATES]
        for part in parts
        for condition in conditions
    ]
    if len(capped) == 1:
        candidates = Q(pk__in=capped[0])
    elif connection.features.supports_slicing_ordering_in_compound:
        # One IN over a UNION of the capped lists: PostgreSQL joins it by the key. (INs
        # joined by OR would be tested against every row of the table.)
        candidates = Q(pk__in=capped[0].union(*capped[1:], all=True))
    else:
        # SQLite cannot limit the parts of a UNION, and INs joined by OR it makes each list
        # twice (once to find the rows, again to test them): each capped list is a table of
        # its own in one UNION ALL.
        candidates = Q(pk__in=_union_all(capped))
    rows = list(
        kind.model._default_manager.filter(candidates)
        .select_related(*kind.related)
        .annotate(search_rank=search_rank(words))
        .order_by("search_rank", kind.order(), "pk")[: SEARCH_LIMIT + 1]
    )
    if not rows:
        return None
    results = [
        SearchResult(
            id=obj.pk,
            name=kind.name(obj),
            url=kind.url(obj),
            context=" · ".join(text for part in kind.context(obj) if (text := _text(part))),
            rank=obj.search_rank,
        )
        for obj in rows[:SEARCH_LIMIT]
    ]
    return SearchGroup(kind.model._meta.label_lower, kind.label, results, len(rows) > SEARCH_LIMIT)


def search(user: User, query: str) -> list[SearchGroup]:
    """What the user may see that the query finds, grouped by kind (one query each): in each
    group whole words first, then beginnings of words, then inflected forms found by their
    stems (НҮКЕНОВТІҢ, Нукеновым, аудандарының), each rank in Kazakh alphabetical order."""
    words = search_words(query)
    if not words:
        return []
    kinds = _kinds()
    # On SQLite the word indexes say first which kinds hold the words, and how many rows.
    hits = index_hits([kind.model for kind in kinds], words)
    return [
        group
        for kind in kinds
        if hits[kind.model]
        and (group := _found(kind, user, words, hits[kind.model] >= INDEX_MANY)) is not None
    ]
