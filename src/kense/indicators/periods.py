"""The periods of reports (months, quarters, half-years, years): when one ends, when its
report is due, the one before it and how people say it. Pure functions, in a module of their
own so that the reads, the pages and the Excel round trip of reports share them without
importing one another."""

from __future__ import annotations

import calendar
import datetime

from django.utils.translation import gettext_lazy as _

from kense.indicators.models import PERIODS_IN_YEAR, PeriodKind, ReportForm


def period_end(kind: str, year: int, number: int) -> datetime.date:
    """The last day of the `number`-th month, quarter or half of `year` (or of the year)."""
    months = 12 // PERIODS_IN_YEAR[kind]
    last_month = months * number
    return datetime.date(year, last_month, calendar.monthrange(year, last_month)[1])


def period_label(kind: str, year: int, number: int) -> str:
    """The period as people say it: «2020, quarter 2»."""
    if kind == PeriodKind.YEAR:
        return str(year)
    labels = {
        PeriodKind.MONTH: _("%(year)s, month %(number)s"),
        PeriodKind.QUARTER: _("%(year)s, quarter %(number)s"),
        PeriodKind.HALF_YEAR: _("%(year)s, half-year %(number)s"),
    }
    return str(labels[PeriodKind(kind)]) % {"year": year, "number": number}


def due_date(form: ReportForm, year: int, number: int) -> datetime.date:
    """The last day on which a report counts as on time: the period's end plus the due days."""
    return period_end(form.period_kind, year, number) + datetime.timedelta(days=form.due_days)


def previous_period(kind: str, year: int, number: int) -> tuple[int, int]:
    """The period before: the previous number, or the last period of the previous year."""
    if number > 1:
        return year, number - 1
    return year - 1, PERIODS_IN_YEAR[kind]
