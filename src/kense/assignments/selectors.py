"""Reads of assignments, always through the user's scope, each in a fixed number of queries."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import Case, Count, F, Q, QuerySet, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kense.accounts.models import User
from kense.assignments.filters import AssignmentFilters, InboxFilters, ReminderFilters
from kense.assignments.models import (
    OPEN_STATUSES,
    Assignment,
    DeadlineKind,
    ExecutionReport,
    Extension,
    ExtensionStatus,
    Recurrence,
    Reminder,
    ReportOutcome,
    Status,
)
from kense.assignments.reminders import reminders_visible_to
from kense.core.filters import FilterValues
from kense.core.lists import kazakh_order
from kense.core.permissions import Actor, Role, scope_of
from kense.registry.models import Appointment, Organization, Territory, TerritoryKind
from kense.text.kazakh import format_date

LIST_RELATED = ("lead_organization", "controller__person")


def deadline_words(assignment: Assignment) -> str:
    """The deadline of a recurring or after-lifting assignment as a rule in words (its date,
    when it has one, is shown beside it); empty for a plain date."""
    if assignment.deadline_kind == DeadlineKind.RECURRING:
        until = format_date(assignment.recurrence_until) if assignment.recurrence_until else "…"
        if assignment.recurrence == Recurrence.QUARTERLY:
            return _(
                "quarterly, by day %(day)s of the month after the quarter, until %(until)s"
            ) % {"day": assignment.recurrence_day, "until": until}
        return _("monthly, by day %(day)s of the month, until %(until)s") % {
            "day": assignment.recurrence_day,
            "until": until,
        }
    if assignment.deadline_kind == DeadlineKind.AFTER_LIFTING:
        days = assignment.days_after_lifting or 0
        return ngettext(
            "%(days)s day after the emergency is lifted",
            "%(days)s days after the emergency is lifted",
            days,
        ) % {"days": days}
    return ""


def assignment_list(user: Actor, filters: FilterValues | None = None) -> QuerySet[Assignment]:
    """The assignments the user may see, narrowed by AssignmentFilters, by deadline (those
    without one last)."""
    assignments: QuerySet[Assignment] = Assignment.objects.restrict(user).select_related(
        *LIST_RELATED
    )
    return AssignmentFilters.narrow(assignments, filters).order_by(
        F("deadline").asc(nulls_last=True), "pk"
    )


def inbox(user: User, filters: FilterValues | None = None) -> QuerySet[Assignment]:
    """The assignments of the user's organization: those it leads or co-executes (for a
    territory coordinator, those of the organizations of its territory; for an account
    without an organization, those of its person's posts), those the user leads in person
    and, for the wide roles, those the user controls, narrowed by InboxFilters (only the open
    ones unless asked for all); open ones first, then by deadline."""
    scope = scope_of(user)
    organizations: Q
    if scope.is_organization_bound:
        organizations = scope.organization_q("")
    elif scope.role == Role.COORDINATOR and scope.territory_path:
        organizations = Q(territory__path__startswith=scope.territory_path)
    elif user.organization_id:
        organizations = Q(pk=user.organization_id)
    elif scope.person_id:
        # An account of the region (the project office, an akim) names no organization: its
        # person's posts today say which it works for.
        today = timezone.localdate()
        organizations = Q(
            pk__in=Appointment.objects.filter(
                Q(end__isnull=True) | Q(end__gte=today), person_id=scope.person_id, start__lte=today
            ).values("organization_id")
        )
    else:
        organizations = Q(pk__in=[])
    ours = Organization.objects.filter(organizations).values("pk")
    executing = Assignment.co_executors.through.objects.filter(organization_id__in=ours).values(
        "assignment_id"
    )
    leading = Q(lead_organization_id__in=ours)
    in_person = Q(lead_person_id=scope.person_id) if scope.person_id else Q(pk__in=[])
    # Those who control assignments (the project office, an akim) find them here too: what
    # they must accept is as much their work as what they lead.
    controlled = Q(controller_id=user.pk) if scope.is_wide else Q(pk__in=[])
    assignments: QuerySet[Assignment] = (
        Assignment.objects.restrict(user)
        .filter(leading | in_person | Q(pk__in=executing) | controlled)
        .select_related(*LIST_RELATED)
    )
    return (
        InboxFilters.narrow(assignments, filters)
        .annotate(
            closed=Case(When(status__in=OPEN_STATUSES, then=Value(0)), default=Value(1)),
            # The organization's part in it: "lead", "person" (the user leads it) or "co".
            part=Case(
                When(leading, then=Value("lead")),
                When(in_person, then=Value("person")),
                When(Q(pk__in=executing), then=Value("co")),
                default=Value("control"),
            ),
        )
        .order_by("closed", F("deadline").asc(nulls_last=True), "pk")
    )


def pending_reports(user: User) -> models.QuerySet[ExecutionReport]:
    """Reports awaiting the user's acceptance (every pending report, for an administrator)."""
    queryset = ExecutionReport.objects.filter(
        outcome=ReportOutcome.PENDING,
        assignment__in=Assignment.objects.restrict(user).filter(status__in=OPEN_STATUSES),
    )
    if not scope_of(user).is_admin:
        queryset = queryset.filter(assignment__controller=user)
    return queryset.select_related("assignment__lead_organization", "author__person").order_by(
        "created_at", "pk"
    )


def pending_extensions(user: User) -> models.QuerySet[Extension]:
    """Extension requests awaiting the user's decision."""
    queryset = Extension.objects.filter(
        status=ExtensionStatus.REQUESTED,
        assignment__in=Assignment.objects.restrict(user).filter(status__in=OPEN_STATUSES),
    )
    if not scope_of(user).is_admin:
        queryset = queryset.filter(assignment__controller=user)
    return queryset.select_related(
        "assignment__lead_organization", "requested_by__person"
    ).order_by("requested_at", "pk")


def reminder_log(user: User, filters: FilterValues | None = None) -> QuerySet[Reminder]:
    """The letters the user may see in the log (assignments.reminders.reminders_visible_to),
    narrowed by ReminderFilters, newest first."""
    reminders = reminders_visible_to(user).select_related("recipient__person", "assignment")
    return ReminderFilters.narrow(reminders, filters).order_by("-sent_at", "pk")


# Discipline


@dataclass
class DisciplineRow:
    """One organization or territory: of the assignments due in the period (deadline passed,
    or done), how many were done on time, done late, and are overdue now."""

    obj: Any
    name: str
    url: str
    due: int = 0
    on_time: int = 0
    late: int = 0
    overdue: int = 0

    @property
    def on_time_share(self) -> float | None:
        """Percent of the due assignments done on time; None when nothing was due."""
        return round(100 * self.on_time / self.due, 1) if self.due else None

    def add(self, counts: Mapping[str, Any]) -> None:
        self.due += counts["due"]
        self.on_time += counts["on_time"]
        self.late += counts["late"]
        self.overdue += counts["overdue"]


def _counts(today: datetime.date) -> dict[str, Count]:
    done = Q(status=Status.DONE)
    overdue = Q(status__in=OPEN_STATUSES, deadline__lt=today)
    # Done with no date to meet (after the lifting, never dated) counts as on time, like
    # Assignment.was_done_late; dates are compared in local time, as there.
    on_time = done & (Q(deadline__isnull=True) | Q(done_at__date__lte=F("deadline")))
    late = done & Q(deadline__isnull=False, done_at__date__gt=F("deadline"))
    return {
        "due": Count("pk", filter=done | overdue),
        "on_time": Count("pk", filter=on_time),
        "late": Count("pk", filter=late),
        "overdue": Count("pk", filter=overdue),
    }


def _period(user: User, year: int) -> models.QuerySet[Assignment]:
    """The work due in the year: dated assignments and the instances of recurring ones
    (a recurring assignment's own row is the rule, not a piece of work), not withdrawn."""
    assignments: QuerySet[Assignment] = Assignment.objects.restrict(user)
    return (
        assignments.filter(deadline__year=year)
        .exclude(deadline_kind=DeadlineKind.RECURRING)
        .exclude(status=Status.WITHDRAWN)
        .order_by()
    )


def discipline(
    user: User, year: int, by: str = "organization", *, today: datetime.date | None = None
) -> list[DisciplineRow]:
    """Execution discipline for the year, per lead organization (those with assignments in
    the year) or per city and district of the user's scope (each with its subtree), in Kazakh
    order. Two queries whatever the number of rows: one aggregate with conditional counts,
    one for the names."""
    today = today or timezone.localdate()
    counts = _counts(today)
    if by == "territory":
        return _by_territory(user, year, counts)
    totals = {
        row["lead_organization"]: row
        for row in _period(user, year).values("lead_organization").annotate(**counts)
    }
    organizations = Organization.objects.filter(pk__in=list(totals)).order_by(kazakh_order(), "pk")
    rows = []
    for organization in organizations:
        row = DisciplineRow(
            organization,
            organization.short_name or organization.name,
            organization.get_absolute_url(),
        )
        row.add(totals[organization.pk])
        rows.append(row)
    return rows


def _by_territory(user: User, year: int, counts: dict[str, Count]) -> list[DisciplineRow]:
    territories = list(
        Territory.objects.restrict(user)
        .filter(kind__in=[TerritoryKind.CITY, TerritoryKind.DISTRICT])
        .filter(Q(valid_from__isnull=True) | Q(valid_from__year__lte=year))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__year__gte=year))
        .order_by(kazakh_order(), "pk")
    )
    # Grouped by the assignment's own territory (a rural district, a city…), then rolled up
    # to each city or district by path: the groups are at most as many as the territories.
    per_path = list(_period(user, year).values("territory__path").annotate(**counts))
    rows = []
    for territory in territories:
        row = DisciplineRow(
            territory, territory.name, reverse("registry:territory_detail", args=[territory.pk])
        )
        for group in per_path:
            if group["territory__path"].startswith(territory.path):
                row.add(group)
        rows.append(row)
    return rows


def discipline_total(user: User, year: int, *, today: datetime.date | None = None) -> DisciplineRow:
    """The same counts over everything the user sees in the year, in one query."""
    totals = _period(user, year).aggregate(**_counts(today or timezone.localdate()))
    row = DisciplineRow(None, _("Total"), "")
    row.add(totals)
    return row
