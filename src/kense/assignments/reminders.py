"""Reminders and digests about assignments: deadline reminders to the responsible, the
controllers' daily digest and the executives' weekly digest, logged in `Reminder`.

Each is sent exactly once by the engine in `kense.core.reminders` (which explains how); a
letter's unique key is (kind, assignment, recipient, key), and a digest has no assignment.
The day's control runs them every day (`kense.assignments.tasks`).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from kense.accounts.models import User
from kense.assignments.models import (
    OPEN_STATUSES,
    Assignment,
    DeadlineKind,
    ExecutionReport,
    Extension,
    ExtensionStatus,
    Reminder,
    ReminderKind,
    ReportOutcome,
    Status,
)
from kense.core.permissions import ORGANIZATION_ROLES, Role, scope_of
from kense.core.reminders import (
    already_sent,
    days_before,
    deadline_letter,
    language_of,
    page_url,
    send_once,
)
from kense.registry.models import Organization, Territory

TEMPLATES = "assignments/email/"
# A digest lists at most this many items of each kind; the rest is counted.
DIGEST_ITEMS = 50


def assignment_url(pk: int, language: str) -> str:
    """The absolute address of an assignment's page under the language's prefix."""
    return page_url("assignments:assignment_detail", [pk], language)


def week_key(day: datetime.date) -> str:
    """The ISO week a day is in, «2020-W16»: the weekly digest's key."""
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


# --- sending once ---------------------------------------------------------------------------


def _send_once(
    *,
    kind: str,
    recipient: User,
    key: str,
    template: str,
    context: dict[str, Any],
    assignment: Assignment | None = None,
) -> bool:
    """Log the letter in `Reminder` and queue it; False when it was already sent."""
    return send_once(
        Reminder,
        key={"kind": kind, "assignment": assignment, "recipient": recipient, "key": key},
        to=recipient,
        template=TEMPLATES + template,
        context={**context, "recipient": recipient},
    )


def _already_sent(reminders: QuerySet[Reminder]) -> set[tuple[str, int | None, int, str]]:
    """The letters already in the log, as (kind, assignment id, recipient id, key)."""
    return already_sent(reminders, ("kind", "assignment_id", "recipient_id", "key"))


def _mailable(users: QuerySet[User]) -> QuerySet[User]:
    return users.filter(is_active=True).exclude(email="").select_related("person")


# --- deadline reminders ---------------------------------------------------------------------


def _path_prefixes(path: str) -> list[str]:
    """The paths of a node and its ancestors: "/1/5/23/" → ["/1/", "/1/5/", "/1/5/23/"]."""
    parts = [part for part in path.split("/") if part]
    return ["/" + "/".join(parts[: index + 1]) + "/" for index in range(len(parts))]


def responsible_users(
    assignments: Iterable[Assignment], *, mailable: bool = True
) -> dict[int, list[User]]:
    """For each assignment, the active users with an e-mail who answer for it: the lead
    person's account, the department or institution accounts of the lead organization, and
    the coordinators of a territory that contains the lead organization's territory.
    `mailable=False` also gives those without an e-mail (the notifications reach them in
    Kense, and their log says why no letter went).

    `assignments` must have `lead_organization__territory` loaded. Three lookups in one query,
    whatever the number of assignments.
    """
    assignments = list(assignments)
    if not assignments:
        return {}
    person_ids = {a.lead_person_id for a in assignments if a.lead_person_id}
    organization_ids = {a.lead_organization_id for a in assignments}
    prefixes = {
        prefix for a in assignments for prefix in _path_prefixes(a.lead_organization.territory.path)
    }
    candidates = User.objects.filter(
        Q(person_id__in=person_ids)
        | Q(organization_id__in=organization_ids, role__in=ORGANIZATION_ROLES)
        | Q(role=Role.COORDINATOR, territory__path__in=prefixes)
    )
    users = list(
        (
            _mailable(candidates)
            if mailable
            else candidates.filter(is_active=True).select_related("person")
        )
        .select_related("territory")
        .order_by("pk")
    )
    by_person = {user.person_id: user for user in users if user.person_id}
    by_organization: dict[int, list[User]] = defaultdict(list)
    coordinators: dict[str, list[User]] = defaultdict(list)
    for user in users:
        if user.role in ORGANIZATION_ROLES and user.organization_id:
            by_organization[user.organization_id].append(user)
        if user.role == Role.COORDINATOR and user.territory is not None:
            coordinators[user.territory.path].append(user)
    result: dict[int, list[User]] = {}
    for assignment in assignments:
        found: dict[int, User] = {}
        if assignment.lead_person_id in by_person:
            person_user = by_person[assignment.lead_person_id]
            found[person_user.pk] = person_user
        for user in by_organization.get(assignment.lead_organization_id, []):
            found.setdefault(user.pk, user)
        for prefix in _path_prefixes(assignment.lead_organization.territory.path):
            for user in coordinators.get(prefix, []):
                found.setdefault(user.pk, user)
        result[assignment.pk] = list(found.values())
    return result


# The templates of recurring assignments are not reminded of: their instances carry the dates.
NOT_A_TEMPLATE = ~Q(deadline_kind=DeadlineKind.RECURRING)


def deadline_reminders(today: datetime.date) -> int:
    """Remind the responsible of each open assignment N days before its deadline (N in
    KENSE_REMINDER_DAYS_BEFORE), on the day, and once when it is overdue, each in their own
    language. Returns how many letters were queued now."""
    watched = [today + datetime.timedelta(days=days) for days in days_before()]
    candidates = Assignment.objects.filter(
        Q(deadline__lte=today) | Q(deadline__in=watched),
        NOT_A_TEMPLATE,
        status__in=OPEN_STATUSES,
        deadline__isnull=False,
    )
    assignments = list(
        candidates.select_related(
            "lead_organization__territory", "lead_person", "controller__person"
        ).order_by("deadline", "pk")
    )
    recipients = responsible_users(assignments)
    sent = _already_sent(
        Reminder.objects.filter(
            assignment__in=candidates.values("pk"),
            kind__in=[ReminderKind.BEFORE, ReminderKind.DUE, ReminderKind.OVERDUE],
        )
    )
    queued = 0
    for assignment in assignments:
        letter = deadline_letter(assignment.deadline, today)
        if letter is None:
            continue
        kind, key, days = letter
        for user in recipients.get(assignment.pk, []):
            if (kind, assignment.pk, user.pk, key) in sent:
                continue
            queued += _send_once(
                kind=kind,
                assignment=assignment,
                recipient=user,
                key=key,
                template=f"reminder_{kind}",
                context={
                    "assignment": assignment,
                    "days": days,
                    "reported": assignment.status == Status.REPORTED,
                    "url": assignment_url(assignment.pk, language_of(user)),
                },
            )
    return queued


# --- digests --------------------------------------------------------------------------------


@dataclass
class Line:
    """One line of a digest: what it is about and where to open it."""

    assignment: Assignment
    url: str
    item: Any = None  # the report or extension request, when the line is about one
    days_overdue: int = 0


def _lines(items: list[Any], language: str, today: datetime.date) -> list[Line]:
    lines = []
    for item in items[:DIGEST_ITEMS]:
        assignment = item if isinstance(item, Assignment) else item.assignment
        overdue = (today - assignment.deadline).days if assignment.deadline else 0
        lines.append(
            Line(
                assignment=assignment,
                url=assignment_url(assignment.pk, language),
                item=None if item is assignment else item,
                days_overdue=max(overdue, 0),
            )
        )
    return lines


def controller_digests(today: datetime.date) -> int:
    """Once a day, tell each controller what awaits them: execution reports to accept or
    return, extension requests to decide, and their assignments that are overdue. Nothing is
    sent to a controller with nothing waiting. Returns how many digests were queued now."""
    key = today.isoformat()
    reports: dict[int, list[ExecutionReport]] = defaultdict(list)
    for report in ExecutionReport.objects.filter(
        outcome=ReportOutcome.PENDING, assignment__status__in=OPEN_STATUSES
    ).select_related("assignment__lead_organization", "author__person"):
        reports[report.assignment.controller_id].append(report)
    requests: dict[int, list[Extension]] = defaultdict(list)
    for extension in Extension.objects.filter(
        status=ExtensionStatus.REQUESTED, assignment__status__in=OPEN_STATUSES
    ).select_related("assignment__lead_organization", "requested_by__person"):
        requests[extension.assignment.controller_id].append(extension)
    overdue: dict[int, list[Assignment]] = defaultdict(list)
    for assignment in (
        Assignment.objects.overdue(today)
        .filter(NOT_A_TEMPLATE)
        .select_related("lead_organization")
        .order_by("deadline", "pk")
    ):
        overdue[assignment.controller_id].append(assignment)

    controller_ids = set(reports) | set(requests) | set(overdue)
    sent = _already_sent(
        Reminder.objects.filter(kind=ReminderKind.DAILY_DIGEST, key=key, assignment=None)
    )
    queued = 0
    for controller in _mailable(User.objects.filter(pk__in=controller_ids)).order_by("pk"):
        if (ReminderKind.DAILY_DIGEST, None, controller.pk, key) in sent:
            continue
        language = language_of(controller)
        mine = reports[controller.pk], requests[controller.pk], overdue[controller.pk]
        queued += _send_once(
            kind=ReminderKind.DAILY_DIGEST,
            recipient=controller,
            key=key,
            template="digest_daily",
            context={
                "today": today,
                "reports": _lines(mine[0], language, today),
                "extensions": _lines(mine[1], language, today),
                "overdue": _lines(mine[2], language, today),
                "report_count": len(mine[0]),
                "extension_count": len(mine[1]),
                "overdue_count": len(mine[2]),
                "reports_more": max(len(mine[0]) - DIGEST_ITEMS, 0),
                "extensions_more": max(len(mine[1]) - DIGEST_ITEMS, 0),
                "overdue_more": max(len(mine[2]) - DIGEST_ITEMS, 0),
            },
        )
    return queued


def executive_digests(today: datetime.date) -> int:
    """Once a week (keyed by the ISO week), give each executive the state of the assignments
    in their scope: how many are open, how many overdue, how many were accepted in the seven
    days before `today`, and the ten most overdue. An executive whose scope has no open and
    no recently done assignments gets nothing. Returns how many digests were queued now."""
    key = week_key(today)
    since = today - datetime.timedelta(days=7)
    sent = _already_sent(
        Reminder.objects.filter(kind=ReminderKind.WEEKLY_DIGEST, key=key, assignment=None)
    )
    executives = _mailable(User.objects.filter(role=Role.EXECUTIVE)).select_related(
        "territory", "organization__territory"
    )
    queued = 0
    for executive in executives.order_by("pk"):
        if (ReminderKind.WEEKLY_DIGEST, None, executive.pk, key) in sent:
            continue
        scope = Assignment.objects.restrict(executive)
        counts = scope.filter(NOT_A_TEMPLATE).aggregate(
            open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
            overdue=Count("pk", filter=Q(status__in=OPEN_STATUSES, deadline__lt=today)),
            done=Count(
                "pk",
                filter=Q(
                    status=Status.DONE, done_at__gte=_start_of(since), done_at__lt=_start_of(today)
                ),
            ),
        )
        if not counts["open"] and not counts["done"]:
            continue
        overdue = scope.overdue(today).filter(NOT_A_TEMPLATE).select_related("lead_organization")
        most_overdue = list(overdue.order_by("deadline", "pk")[:10])
        queued += _send_once(
            kind=ReminderKind.WEEKLY_DIGEST,
            recipient=executive,
            key=key,
            template="digest_weekly",
            context={
                "today": today,
                "week": key,
                "since": since,
                "until": today - datetime.timedelta(days=1),
                "counts": counts,
                "most_overdue": _lines(most_overdue, language_of(executive), today),
            },
        )
    return queued


# --- the log --------------------------------------------------------------------------------


def reminders_visible_to(user: User) -> QuerySet[Reminder]:
    """The letters a user may see in the log: administrators all; the project office those
    about assignments in its scope and the digests sent to people of its scope; everyone
    else the letters sent to themselves."""
    scope = scope_of(user)
    if not scope.authenticated:
        return Reminder.objects.none()
    if scope.is_admin:
        return Reminder.objects.all()
    visible = Q(recipient=user)
    if scope.role == Role.PROJECT_OFFICE:
        visible |= Q(assignment__in=Assignment.objects.restrict(user).values("pk"))
        visible |= Q(
            assignment__isnull=True,
            recipient__territory__in=Territory.objects.restrict(user).values("pk"),
        )
        visible |= Q(
            assignment__isnull=True,
            recipient__organization__in=Organization.objects.restrict(user).values("pk"),
        )
    return Reminder.objects.filter(visible)
