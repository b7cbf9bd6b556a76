"""An assignment's traffic light: on track, due soon, overdue, done or withdrawn, decided in
one place and drawn as one badge (text and a coloured dot, never colour alone) on the home
page, the inbox, the list of assignments and the assignment's own page.

The lists call `light_badge` (a `Cell`: plain text in an Excel export, the badge on the
page); templates draw the same badge with `{% load assignment_light %}{% light assignment %}`.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from kense.assignments.models import OPEN_STATUSES, DeadlineKind, Status

if TYPE_CHECKING:
    from kense.assignments.models import Assignment

#: An open assignment is "due soon" when its deadline is at most this many days away
#: (today included); settings.KENSE_DUE_SOON_DAYS overrides it.
DUE_SOON_DAYS = 3


def due_soon_days() -> int:
    return int(getattr(settings, "KENSE_DUE_SOON_DAYS", DUE_SOON_DAYS))


class Light(models.TextChoices):
    ON_TRACK = "on_track", _("On track")
    DUE_SOON = "due_soon", _("Due soon")
    OVERDUE = "overdue", _("Overdue")
    DONE = "done", _("Done")
    WITHDRAWN = "withdrawn", _("Withdrawn")


def light_of(assignment: Assignment, today: datetime.date | None = None) -> Light:
    """The assignment's light on `today` (the local day by default). Overdue means what
    Assignment.is_overdue means (a recurring assignment's rule never is: its instances carry
    the dates); an open assignment without a date (after an emergency is lifted) is on track."""
    day = today or timezone.localdate()
    if assignment.status == Status.DONE:
        return Light.DONE
    if assignment.status == Status.WITHDRAWN:
        return Light.WITHDRAWN
    if assignment.is_overdue(day):
        return Light.OVERDUE
    if assignment.deadline is not None and day <= assignment.deadline <= day + datetime.timedelta(
        days=due_soon_days()
    ):
        return Light.DUE_SOON
    return Light.ON_TRACK


def due_soon_q(today: datetime.date | None = None) -> Q:
    """The open assignments whose light is DUE_SOON on `today`, as a filter (for counts)."""
    day = today or timezone.localdate()
    return Q(
        status__in=OPEN_STATUSES,
        deadline__gte=day,
        deadline__lte=day + datetime.timedelta(days=due_soon_days()),
    ) & ~Q(deadline_kind=DeadlineKind.RECURRING, parent__isnull=True)


class Cell(str):
    """Plain text in an Excel export, HTML on a page (Django's templates call __html__)."""

    html: str

    def __new__(cls, text: str, html: str) -> Cell:
        cell = super().__new__(cls, text)
        cell.html = html
        return cell

    def __html__(self) -> str:
        return self.html


def light_badge(
    assignment: Assignment, today: datetime.date | None = None, *, status: bool = False
) -> Cell:
    """The light as a badge. A report awaiting acceptance says so beside it (it is the step
    the assignment is at); with `status`, the status is always said (the assignment's page)."""
    light = light_of(assignment, today)
    html = format_html(
        '<span class="light light-{}"><span class="light-dot" aria-hidden="true"></span>{}</span>',
        light.value,
        light.label,
    )
    text = str(light.label)
    shows_status = status and light not in (Light.DONE, Light.WITHDRAWN)
    if shows_status or assignment.status == Status.REPORTED:
        label = assignment.get_status_display()
        html = format_html('{} <span class="badge">{}</span>', html, label)
        text = f"{text}; {label}"
    return Cell(text, html)
