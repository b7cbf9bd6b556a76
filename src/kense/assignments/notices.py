"""Who is told, in Kense, by e-mail and Telegram (kense.notifications), when an assignment
concerns them: a new assignment (its responsible), a co-execution (the co-executing
organizations' accounts), a report accepted or returned and an extension decided (the
author of the report or the request, and the responsible). Called by the services inside
their transactions; the notifications leave on commit."""

from __future__ import annotations

from collections.abc import Iterable

from kense.accounts.models import User
from kense.assignments.models import (
    Assignment,
    ExecutionReport,
    Extension,
    ExtensionStatus,
    ReportOutcome,
)
from kense.assignments.reminders import responsible_users
from kense.core.permissions import ORGANIZATION_ROLES
from kense.notifications.models import NotificationKind
from kense.notifications.services import notify
from kense.registry.models import Organization


def label_of(assignment: Assignment) -> str:
    """«№ 12 Ensure …» in the current language (the number, then the text's beginning)."""
    text = " ".join(assignment.text.split())
    if len(text) > 120:
        text = text[:119] + "…"
    return f"№ {assignment.number} {text}" if assignment.number else text


def responsible(assignment: Assignment) -> list[User]:
    return responsible_users([assignment], mailable=False).get(assignment.pk, [])


def organization_users(organizations: Iterable[Organization]) -> list[User]:
    """The active department and institution accounts of the organizations."""
    return list(
        User.objects.filter(
            organization__in=list(organizations), role__in=ORGANIZATION_ROLES, is_active=True
        ).order_by("pk")
    )


def assignment_issued(assignment: Assignment, *, actor: User, co_executors: bool = True) -> None:
    """A new assignment: its responsible, and the accounts of its co-executors."""
    label = lambda: label_of(assignment)  # noqa: E731 (evaluated in each recipient's language)
    notify(
        NotificationKind.ASSIGNMENT_NEW,
        recipients=responsible(assignment),
        target=assignment,
        actor=actor,
        label=label,
    )
    if not co_executors:
        return
    notify(
        NotificationKind.CO_EXECUTION,
        recipients=organization_users(assignment.co_executors.all()),
        target=assignment,
        actor=actor,
        label=label,
    )


def report_reviewed(report: ExecutionReport, *, actor: User) -> None:
    assignment = report.assignment
    notify(
        NotificationKind.REPORT_ACCEPTED
        if report.outcome == ReportOutcome.ACCEPTED
        else NotificationKind.REPORT_RETURNED,
        recipients=[report.author, *responsible(assignment)],
        target=assignment,
        actor=actor,
        note=report.review_comment,
        label=lambda: label_of(assignment),
    )


def extension_decided(extension: Extension, *, actor: User) -> None:
    assignment = extension.assignment
    granted = extension.status == ExtensionStatus.GRANTED
    notify(
        NotificationKind.EXTENSION_DECIDED,
        recipients=[extension.requested_by, *responsible(assignment)],
        target=assignment,
        actor=actor,
        variant="granted" if granted else "refused",
        note=(
            f"{extension.new_deadline:%d.%m.%Y}"
            if granted and extension.new_deadline
            else extension.answer
        ),
        label=lambda: label_of(assignment),
    )
