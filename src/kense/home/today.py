"""The home page: what needs the user now, by role.

Each number on the home is counted by the very list it links to: the figure names a list
page, its selector and its filters, and the count is that selector narrowed by the filters
read from the same query string the link carries (`_figure`), so a click shows as many rows
as the home said. Breakdowns (by city and district, by organization) are counted in one
aggregate and link to the assignment list with the same filters (tests/home follow every
link and compare). What the whole scope adds up to (counts, breakdowns, acknowledgment rates,
the ranking) is kept a minute per scope; what is the user's own to do (reports awaiting them,
returned reports, documents to acknowledge) and the short lists of items are read each time.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.cache import cache
from django.db.models import Count, F, Max, Q, QuerySet
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from kense.assignments import selectors as assignment_selectors
from kense.assignments.filters import AssignmentFilters, StatusFilter
from kense.assignments.models import (
    OPEN_STATUSES,
    Assignment,
    ExecutionReport,
    ReportOutcome,
    Status,
)
from kense.core.filters import ListFilters
from kense.core.pagination import first_rows
from kense.core.permissions import Role, Scope, restrict, scope_of
from kense.documents import selectors as document_selectors
from kense.documents.models import Document, Recipient
from kense.events.filters import EventFilters, PlanFilters
from kense.events.models import PlanStatus
from kense.events.selectors import events as event_selectors
from kense.events.selectors import plans as plan_selectors
from kense.ideas import selectors as idea_selectors
from kense.ideas.filters import IdeaFilters
from kense.ideas.models import IdeaStatus
from kense.indicators.filters import ReportFilters
from kense.indicators.models import Methodology, ReportStatus
from kense.indicators.selectors import reports as indicator_report_selectors
from kense.indicators.selectors import results as result_selectors
from kense.media import selectors as media_selectors
from kense.media.filters import PublicationFilters
from kense.media.models import Publication
from kense.meetings import selectors as meeting_selectors
from kense.meetings.filters import MeetingFilters
from kense.meetings.models import Meeting, MeetingState
from kense.registry.models import Organization, Territory, TerritoryKind

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from kense.accounts.models import User

#: "Due this week": an open assignment due today or in the six days after.
WEEK_DAYS = 7
#: Meetings coming in the next two weeks.
MEETING_DAYS = 14
#: Publications of the last month, offered to the office for linking.
PUBLICATION_DAYS = 30
#: At most this many items in a short list, and rows in a breakdown.
TOP = 5
BREAKDOWN_ROWS = 8
#: What the scope adds up to is kept this long.
HOME_SECONDS = 60

OFFICE_ROLES = {Role.ADMINISTRATOR, Role.PROJECT_OFFICE}
OWN_WORK_ROLES = {Role.COORDINATOR, Role.DEPARTMENT, Role.INSTITUTION}


@dataclass
class Figure:
    """A number and the list behind it; `alert` draws it as something late."""

    label: StrOrPromise
    count: int
    url: str
    alert: bool = False


@dataclass
class Tally:
    """One city, district or organization: its overdue assignments and those due this week."""

    name: str
    overdue: int
    overdue_url: str
    week: int
    week_url: str


@dataclass
class MeetingPrep:
    """An upcoming meeting and how far it is prepared."""

    meeting: Meeting
    items: int
    participants: int
    invited: int

    @property
    def ready(self) -> bool:
        return bool(self.items and self.participants and self.invited == self.participants)


@dataclass
class AcknowledgmentRate:
    document: Document
    acknowledged: int
    total: int
    url: str

    @property
    def percent(self) -> int:
        return round(100 * self.acknowledged / self.total) if self.total else 0


@dataclass
class Placing:
    """A city or district in the current ranking, and how it moved since the year before
    (positive: up so many places)."""

    territory: Territory
    rank: int | None
    score: float | None
    movement: int | None
    low: bool

    @property
    def up(self) -> int:
        return max(self.movement or 0, 0)

    @property
    def down(self) -> int:
        return max(-(self.movement or 0), 0)


@dataclass
class RankingSummary:
    methodology: Methodology
    year: int
    url: str
    groups: list[tuple[str, list[Placing]]]

    @property
    def low(self) -> list[Placing]:
        return [p for _label, placings in self.groups for p in placings if p.low]


@dataclass
class Summary:
    """What the user's scope adds up to (cached per scope)."""

    figures: list[Figure] = field(default_factory=list)
    by_territory: list[Tally] = field(default_factory=list)
    by_organization: list[Tally] = field(default_factory=list)
    approvals: list[Figure] = field(default_factory=list)
    acknowledgments: list[AcknowledgmentRate] = field(default_factory=list)
    ranking: RankingSummary | None = None
    meetings: Figure | None = None
    events: Figure | None = None
    ideas: Figure | None = None
    publications: Figure | None = None
    unlinked_publications: Figure | None = None


def _query(**params: Any) -> str:
    return urlencode(
        {
            key: value.isoformat() if hasattr(value, "isoformat") else value
            for key, value in params.items()
        }
    )


def _figure(
    label: StrOrPromise,
    url_name: str,
    selector: Callable[..., QuerySet[Any]],
    filters: type[ListFilters],
    user: User,
    *,
    alert: bool = False,
    **params: Any,
) -> Figure:
    """The count of the list at `url_name` with these query parameters, counted as the list
    counts it: its selector, narrowed by its filters read from the same query string."""
    query = _query(**params)
    form = filters(QueryDict(query), user=user)
    count = selector(user, form.values()).count()
    url = reverse(url_name) + (f"?{query}" if query else "")
    return Figure(label, count, url, alert=alert and count > 0)


def _week(today: datetime.date) -> dict[str, Any]:
    return {
        "status": StatusFilter.OPEN.value,
        "deadline_from": today,
        "deadline_to": today + datetime.timedelta(days=WEEK_DAYS - 1),
    }


def _assignment_figures(user: User, today: datetime.date, scope: Scope) -> list[Figure]:
    name, rows = "assignments:assignment_list", assignment_selectors.assignment_list
    figures = [
        _figure(_("Overdue"), name, rows, AssignmentFilters, user, alert=True, status="overdue"),
        _figure(_("Due in the next 7 days"), name, rows, AssignmentFilters, user, **_week(today)),
        _figure(
            _("Reported, awaiting acceptance"),
            name,
            rows,
            AssignmentFilters,
            user,
            status=Status.REPORTED.value,
        ),
    ]
    if scope.role in OFFICE_ROLES | {Role.EXECUTIVE, Role.OBSERVER}:
        figures.append(
            _figure(_("Open"), name, rows, AssignmentFilters, user, status=StatusFilter.OPEN.value)
        )
    return figures


def _tally_counts(today: datetime.date) -> dict[str, Count]:
    week = _week(today)
    overdue = Q(status__in=OPEN_STATUSES, deadline__lt=today) & ~Q(
        deadline_kind="recurring", parent__isnull=True
    )
    due = Q(
        status__in=OPEN_STATUSES,
        deadline__gte=week["deadline_from"],
        deadline__lte=week["deadline_to"],
    )
    return {"overdue": Count("pk", filter=overdue), "week": Count("pk", filter=due)}


def _list_url(**params: Any) -> str:
    return reverse("assignments:assignment_list") + "?" + _query(**params)


def _worst(rows: list[Tally]) -> list[Tally]:
    rows = [row for row in rows if row.overdue or row.week]
    rows.sort(key=lambda row: (-row.overdue, -row.week, row.name))
    return rows[:BREAKDOWN_ROWS]


def _by_territory(user: User, today: datetime.date) -> list[Tally]:
    """Overdue and due this week per city and district of the scope (each with its subtree):
    one aggregate by the assignments' own territory, rolled up by path."""
    territories = list(
        Territory.objects.restrict(user)
        .filter(kind__in=[TerritoryKind.CITY, TerritoryKind.DISTRICT])
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=today))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
        .only("pk", "path", "name_kk", "name_ru", "name_en")
    )
    groups = list(
        Assignment.objects.restrict(user)
        .filter(status__in=OPEN_STATUSES)
        .order_by()
        .values("territory__path")
        .annotate(**_tally_counts(today))
    )
    week = _week(today)
    rows = []
    for territory in territories:
        inside = [g for g in groups if g["territory__path"].startswith(territory.path)]
        overdue = sum(g["overdue"] for g in inside)
        due = sum(g["week"] for g in inside)
        rows.append(
            Tally(
                territory.name,
                overdue,
                _list_url(status="overdue", territory=territory.pk),
                due,
                _list_url(**week, territory=territory.pk),
            )
        )
    return _worst(rows)


def _by_organization(user: User, today: datetime.date) -> list[Tally]:
    """Overdue and due this week per lead organization, the worst first: who is responsible."""
    counts = _tally_counts(today)
    groups = list(
        Assignment.objects.restrict(user)
        .filter(status__in=OPEN_STATUSES)
        .order_by()
        .values("lead_organization")
        .annotate(**counts)
        .filter(Q(overdue__gt=0) | Q(week__gt=0))
        .order_by("-overdue", "-week", "lead_organization")[:BREAKDOWN_ROWS]
    )
    names = {
        o.pk: o.short_name or o.name
        for o in Organization.objects.filter(pk__in=[g["lead_organization"] for g in groups])
    }
    week = _week(today)
    return _worst(
        [
            Tally(
                names.get(g["lead_organization"], ""),
                g["overdue"],
                _list_url(status="overdue", lead_organization=g["lead_organization"]),
                g["week"],
                _list_url(**week, lead_organization=g["lead_organization"]),
            )
            for g in groups
        ]
    )


def _acknowledgments(user: User) -> list[AcknowledgmentRate]:
    """The documents most recently sent, with how many of their recipients (those the user
    sees, as the tracking page counts them) have acknowledged."""
    groups = list(
        Recipient.objects.restrict(user)
        .order_by()
        .values("distribution__document")
        .annotate(
            total=Count("pk"),
            acknowledged=Count("pk", filter=Q(acknowledged_at__isnull=False)),
            last=Max("distribution__sent_at"),
        )
        .order_by("-last", "-distribution__document")[:TOP]
    )
    documents = Document.objects.in_bulk([g["distribution__document"] for g in groups])
    return [
        AcknowledgmentRate(
            documents[g["distribution__document"]],
            g["acknowledged"],
            g["total"],
            reverse("documents:tracking", args=[g["distribution__document"]]),
        )
        for g in groups
        if g["distribution__document"] in documents
    ]


def _ranking(user: User) -> RankingSummary | None:
    """The latest methodology's ranking (what the ranking page opens on), each visible city
    and district with its movement since the year before."""
    methodology = Methodology.objects.restrict(user).order_by("-year", "name").first()
    if methodology is None:
        return None
    year = methodology.year
    current = result_selectors.ranking(user, methodology, year)
    before = result_selectors.ranking(user, methodology, year - 1)
    previous = {
        score.territory: score.rank for score in before.result.scores.values() if score.score
    }
    groups = []
    for label, scores in current.groups():
        placings = []
        for score in scores:
            was = previous.get(score.territory)
            movement = was - score.rank if was is not None and score.rank is not None else None
            placings.append(
                Placing(
                    current.territories[int(str(score.territory))],
                    score.rank,
                    score.score,
                    movement,
                    score.low,
                )
            )
        if placings:
            groups.append((label, placings))
    if not groups:
        return None
    return RankingSummary(methodology, year, reverse("indicators:ranking"), groups)


def _summary(user: User, scope: Scope, today: datetime.date) -> Summary:
    summary = Summary(figures=_assignment_figures(user, today, scope))
    role = scope.role
    wide = role in OFFICE_ROLES | {Role.EXECUTIVE, Role.OBSERVER}
    if wide:
        summary.by_territory = _by_territory(user, today)
    if role in OFFICE_ROLES | {Role.EXECUTIVE}:
        summary.by_organization = _by_organization(user, today)
    if role in OFFICE_ROLES:
        summary.approvals = [
            _figure(
                _("Work plans awaiting approval"),
                "events:plan_list",
                plan_selectors.plan_list,
                PlanFilters,
                user,
                status=PlanStatus.SUBMITTED.value,
            ),
            _figure(
                _("Indicator reports awaiting approval"),
                "indicators:report_list",
                indicator_report_selectors.report_list,
                ReportFilters,
                user,
                status=ReportStatus.SUBMITTED.value,
            ),
        ]
    if role in OFFICE_ROLES | {Role.EXECUTIVE}:
        summary.approvals.append(
            _figure(
                _("Minutes awaiting approval"),
                "meetings:meeting_list",
                meeting_selectors.meeting_list,
                MeetingFilters,
                user,
                state=MeetingState.HELD.value,
            )
        )
    if role in OFFICE_ROLES:
        summary.acknowledgments = _acknowledgments(user)
        summary.ideas = _figure(
            _("Ideas to evaluate"),
            "ideas:idea_list",
            idea_selectors.idea_list,
            IdeaFilters,
            user,
            status=IdeaStatus.EVALUATING.value,
        )
        summary.publications = _figure(
            _("Publications in the last 30 days"),
            "media:publication_list",
            media_selectors.publication_list,
            PublicationFilters,
            user,
            date_from=today - datetime.timedelta(days=PUBLICATION_DAYS),
        )
        summary.unlinked_publications = _figure(
            _("Not linked yet"),
            "media:publication_list",
            media_selectors.publication_list,
            PublicationFilters,
            user,
            date_from=today - datetime.timedelta(days=PUBLICATION_DAYS),
            unlinked="on",
        )
    if wide:
        summary.ranking = _ranking(user)
    # "from" is a Python keyword: the period is passed as a dict.
    period: dict[str, Any] = {
        "from": today,
        "to": today + datetime.timedelta(days=MEETING_DAYS - 1),
    }
    summary.meetings = _figure(
        _("Meetings in the next 14 days"),
        "meetings:meeting_list",
        meeting_selectors.meeting_list,
        MeetingFilters,
        user,
        **period,
    )
    if role in OWN_WORK_ROLES:
        summary.events = _figure(
            _("Events this week"),
            "events:event_list",
            event_selectors.event_list,
            EventFilters,
            user,
            date_from=today,
            date_to=today + datetime.timedelta(days=WEEK_DAYS - 1),
        )
    return summary


def _cached_summary(user: User, scope: Scope, today: datetime.date) -> Summary:
    # The breakdowns carry names, said in the page's language: one entry per language.
    language = translation.get_language()
    key = "home:" + hashlib.sha256(f"{scope!r}|{today}|{language}".encode()).hexdigest()
    summary: Summary | None = cache.get(key)
    if summary is None:
        summary = _summary(user, scope, today)
        cache.set(key, summary, HOME_SECONDS)
    return summary


# What is read each time: the user's own queue and the short lists.


def _top_assignments(user: User, scope: Scope) -> list[Assignment]:
    """The open assignments most in need of attention: the longest overdue first, then by
    deadline. Those the user's organization works on, for the roles that work on them."""
    rows: QuerySet[Assignment]
    if scope.role in OWN_WORK_ROLES:
        rows = assignment_selectors.inbox(user).filter(status__in=OPEN_STATUSES)
    else:
        rows = assignment_selectors.assignment_list(user, {"status": StatusFilter.OPEN.value})
    return first_rows(
        rows.select_related("lead_person", "territory").order_by(
            F("deadline").asc(nulls_last=True), "pk"
        ),
        TOP,
    )


def _returned(user: User) -> list[ExecutionReport]:
    """The latest returned report of each of the user's assignments that is back under
    control: the controller wants more."""
    ours = assignment_selectors.inbox(user).filter(status=Status.UNDER_CONTROL)
    reports = (
        ExecutionReport.objects.filter(outcome=ReportOutcome.RETURNED, assignment__in=ours)
        .select_related("assignment")
        .order_by("-reviewed_at", "-pk")[: TOP * 4]
    )
    seen: set[int] = set()
    latest = []
    for report in reports:
        if report.assignment_id not in seen:
            seen.add(report.assignment_id)
            latest.append(report)
    return latest[:TOP]


def _meetings(user: User, today: datetime.date) -> list[MeetingPrep]:
    start = timezone.make_aware(datetime.datetime.combine(today, datetime.time.min))
    # Meeting's QuerySet names no model: the rows are typed by hand (annotated counts too).
    meetings: list[Any] = list(
        restrict(Meeting.objects, user)
        .filter(start__gte=start, start__lt=start + datetime.timedelta(days=MEETING_DAYS))
        .annotate(
            item_count=Count("items", distinct=True),
            participant_count=Count("participants", distinct=True),
            invited_count=Count(
                "participants", filter=Q(participants__invited_at__isnull=False), distinct=True
            ),
        )
        .select_related("territory")
        .order_by("start", "pk")[:TOP]
    )
    return [MeetingPrep(m, m.item_count, m.participant_count, m.invited_count) for m in meetings]


def _recent_unlinked(user: User, today: datetime.date) -> list[Publication]:
    """Publications of the last month linked to no event, project or meeting yet: the first
    rows of the list the home's count links to."""
    since = today - datetime.timedelta(days=PUBLICATION_DAYS)
    return first_rows(
        media_selectors.publication_list(user, {"date_from": since, "unlinked": True}), TOP
    )


def _figure_of(label: StrOrPromise, count: int, url: str, *, alert: bool = False) -> Figure:
    return Figure(label, count, url, alert=alert and count > 0)


def home(user: User) -> dict[str, Any]:
    """The home page's context for the user's role."""
    scope = scope_of(user)
    today = timezone.localdate()
    role = scope.role
    summary = _cached_summary(user, scope, today)
    context: dict[str, Any] = {
        "summary": summary,
        "role": role,
        "today": today,
        "top_assignments": _top_assignments(user, scope),
        "upcoming_meetings": _meetings(user, today),
        "scope_territory": user.territory
        or (user.organization.territory if user.organization else None),
        "scope_organization": user.organization,
        "role_label": dict(Role.choices).get(role, ""),
        "is_office": role in OFFICE_ROLES,
        "is_executive": role == Role.EXECUTIVE,
        "is_observer": role == Role.OBSERVER,
        "does_own_work": role in OWN_WORK_ROLES,
    }
    queue = reverse("assignments:review_queue")
    if role != Role.OBSERVER:
        reports = assignment_selectors.pending_reports(user).count()
        extensions = assignment_selectors.pending_extensions(user).count()
        context["my_queue"] = (
            [
                _figure_of(_("Reports awaiting my acceptance"), reports, queue, alert=True),
                _figure_of(_("Extension requests awaiting my decision"), extensions, queue),
            ]
            if reports or extensions or role in OFFICE_ROLES | {Role.EXECUTIVE}
            else []
        )
    if role in OWN_WORK_ROLES:
        inbox = assignment_selectors.inbox(user)
        context["to_report"] = _figure_of(
            _("Our open assignments"),
            inbox.count(),
            reverse("assignments:inbox"),
        )
        context["returned"] = _returned(user)
        acknowledge = document_selectors.inbox(user).filter(acknowledged_at__isnull=True)
        context["to_acknowledge"] = _figure_of(
            _("Documents to acknowledge"),
            acknowledge.count(),
            reverse("documents:inbox"),
            alert=True,
        )
        context["events_week"] = first_rows(
            event_selectors.event_list(
                user,
                {"date_from": today, "date_to": today + datetime.timedelta(days=WEEK_DAYS - 1)},
            ).order_by("start", "pk"),
            TOP,
        )
    if role in OFFICE_ROLES:
        context["unlinked_publications"] = _recent_unlinked(user, today)
    return context
