"""Template filters that print dates and numbers for people, in the active language.

``{{ meeting.held_at|human_datetime }}``, ``{{ plan.approved_on|human_date }}``,
``{{ project.cost|human_number }}``, ``{{ share|human_number:1 }}``. They call the formatters of
:mod:`kense.text.kazakh`; like Django's own filters, they print "" for a value they cannot
format rather than break the page.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from django import template
from django.utils.translation import gettext

from kense.text.kazakh import format_date, format_datetime, format_number

register = template.Library()


@register.filter
def human_date(value: object) -> str:
    """A date (or datetime) as kk «2020 ж. 21 сәуір», ru «21 апреля 2020 г.», en «21 April 2020»."""
    if not isinstance(value, date):
        return ""
    return format_date(value)


@register.filter
def human_datetime(value: object) -> str:
    """A datetime as :func:`human_date` plus the local time «14:30»; a plain date without it."""
    if not isinstance(value, date):
        return ""
    return format_datetime(value)


@register.filter
def human_number(value: object, decimals: int | str | None = None) -> str:
    """A number as kk/ru «1 234 567,89» or en «1,234,567.89»; the argument fixes the decimals.

    Strings holding a number (as form values do) are accepted too.
    """
    if isinstance(value, bool) or value is None:
        return ""
    number: int | float | Decimal
    if isinstance(value, int | float | Decimal):
        number = value
    elif isinstance(value, str):
        try:
            number = Decimal(value.strip())
        except InvalidOperation:
            return ""
    else:
        return ""
    try:
        places = None if decimals is None or decimals == "" else int(decimals)
        return format_number(number, places)
    except ValueError:
        return ""


@register.filter
def human(value: object) -> object:
    """Any list cell for people: dates and numbers formatted, yes or no in words (a history
    printed "True" on a Kazakh page), None as empty, the rest as is."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if isinstance(value, date):
        return format_datetime(value)
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return human_number(value)
    return value
