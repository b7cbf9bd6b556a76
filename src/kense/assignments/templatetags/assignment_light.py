"""`{% light assignment %}`: an assignment's traffic light, drawn as everywhere else
(kense.assignments.light)."""

from __future__ import annotations

import datetime

from django import template

from kense.assignments.light import Cell, light_badge
from kense.assignments.models import Assignment

register = template.Library()


@register.simple_tag
def light(assignment: Assignment, today: datetime.date | None = None) -> Cell:
    return light_badge(assignment, today)
