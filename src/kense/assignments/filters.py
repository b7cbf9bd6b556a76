"""The assignments' lists and their filters, each declared once for the page, its Excel export
and the API (kense.core.filters): the list of assignments, the inbox and the reminder log."""

from __future__ import annotations

from typing import Any, cast

from django.db import models
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from kense.accounts.models import User
from kense.assignments.models import (
    OPEN_STATUSES,
    Assignment,
    AssignmentQuerySet,
    Priority,
    Reminder,
    ReminderKind,
    Status,
)
from kense.core.filters import (
    ChoiceFilter,
    DateFilter,
    ListFilters,
    ReferenceFilter,
    SearchFilter,
    in_subtree,
)
from kense.core.lists import kazakh_order
from kense.core.permissions import Actor
from kense.meetings.models import Meeting
from kense.programs.models import Project
from kense.registry.filters import visible_organizations, visible_people, visible_territories


class StatusFilter(models.TextChoices):
    """A status, or one of the list's pseudo-statuses: open (under control or reported) and
    overdue (open, past the deadline)."""

    OPEN = "open", _("Open (under control or reported)")
    OVERDUE = "overdue", _("Overdue")
    UNDER_CONTROL = Status.UNDER_CONTROL.value, Status.UNDER_CONTROL.label
    REPORTED = Status.REPORTED.value, Status.REPORTED.label
    DONE = Status.DONE.value, Status.DONE.label
    WITHDRAWN = Status.WITHDRAWN.value, Status.WITHDRAWN.label


def _in_status(assignments: QuerySet[Assignment], status: str) -> QuerySet[Assignment]:
    if status == StatusFilter.OVERDUE:
        # The lists narrow Assignment.objects, whose QuerySet knows what overdue means.
        return cast(AssignmentQuerySet, assignments).overdue()
    if status == StatusFilter.OPEN:
        return assignments.filter(status__in=OPEN_STATUSES)
    return assignments.filter(status=status)


def visible_meetings(user: Actor) -> QuerySet[Meeting]:
    return Meeting.objects.restrict(user).order_by("-start", "pk")


def visible_projects(user: Actor) -> QuerySet[Project]:
    return Project.objects.restrict(user).order_by(kazakh_order(), "pk")


def controllers_seen(user: Actor) -> QuerySet[User]:
    """The controllers of the assignments the user sees. Accounts have no scope of their own:
    the assignments' rows name their controllers, so these are the ones the user may know."""
    controlled = Assignment.objects.restrict(user).values("controller_id")
    return (
        User.objects.filter(pk__in=controlled)
        .select_related("person")
        .order_by("last_name", "first_name", "username", "pk")
    )


class AssignmentFilters(ListFilters):
    q = SearchFilter(label=_("Text or number"), description="Words of the text, or the number.")
    status = ChoiceFilter(
        StatusFilter,
        label=_("Status"),
        lookup=_in_status,
        description="A status, or 'open' (under control or reported), or 'overdue' (open and "
        "past the deadline).",
    )
    deadline_from = DateFilter(
        label=_("Deadline from"),
        lookup="deadline__gte",
        description="Assignments due on or after this day.",
    )
    deadline_to = DateFilter(
        label=_("Deadline to"),
        lookup="deadline__lte",
        description="Assignments due on or before this day.",
    )
    lead_organization = ReferenceFilter(
        label=_("Lead responsible organization"),
        choices=visible_organizations,
        search="organizations",
        lookup="lead_organization",
        description="Assignments this organization leads.",
    )
    lead_person = ReferenceFilter(
        label=_("Responsible person"),
        choices=visible_people,
        search="people",
        lookup="lead_person",
        description="Assignments this person leads in person.",
    )
    controller = ReferenceFilter(
        label=_("Controller"),
        choices=controllers_seen,
        # A region's assignments name thousands of controllers: searched, not listed.
        search="controllers",
        lookup="controller",
        description="The controller's user id: their review queue.",
    )
    meeting = ReferenceFilter(
        label=_("Meeting"),
        choices=visible_meetings,
        search="meetings",
        lookup="meeting",
        description="Assignments given by this meeting.",
    )
    project = ReferenceFilter(
        label=_("Project"),
        choices=visible_projects,
        search="projects",
        lookup="meeting__projects",
        description="Assignments of meetings about this project.",
    )
    territory = ReferenceFilter(
        label=_("Territory"),
        choices=visible_territories,
        search="territories",
        lookup=in_subtree("territory"),
        description="Assignments in this territory or any inside it.",
    )
    priority = ChoiceFilter(Priority, label=_("Priority"), lookup="priority")


class InboxShow(models.TextChoices):
    OPEN = "open", _("Open assignments")
    ALL = "all", _("All assignments")


def _open_unless_all(assignments: QuerySet[Assignment], show: str) -> QuerySet[Assignment]:
    if show == InboxShow.ALL:
        return assignments
    return assignments.filter(status__in=OPEN_STATUSES)


class InboxFilters(ListFilters):
    show = ChoiceFilter(
        InboxShow,
        label=_("Show"),
        lookup=_open_unless_all,
        default=InboxShow.OPEN,
        description="open (the default): only the open assignments; all: closed ones too.",
    )


def _sent_on(reminders: QuerySet[Reminder], day: Any) -> QuerySet[Reminder]:
    return reminders.filter(sent_at__date=day)  # the local day (USE_TZ)


class ReminderFilters(ListFilters):
    kind = ChoiceFilter(ReminderKind, label=_("Kind"), lookup="kind")
    date = DateFilter(label=_("Date"), lookup=_sent_on, description="Letters sent on this day.")
