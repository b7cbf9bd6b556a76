"""Keep computed indicators fresh: saving an event, an assignment or a project enqueues a
refresh of the years it touches, once per transaction and only when it commits.

`connect_signals()` is called from `IndicatorsConfig.ready`.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

# A project running for decades must not enqueue decades of refreshes.
MAX_PROJECT_YEARS = 15


class _Pending:
    """The years to refresh when the current transaction commits."""

    def __init__(self) -> None:
        self.years: set[int] = set()

    def flush(self) -> None:
        from kense.indicators.tasks import refresh_indicators

        years, self.years = sorted(self.years), set()
        for year in years:
            refresh_indicators.enqueue(year, None)


def schedule_refresh(years: Iterable[int]) -> None:
    """Enqueue, on commit, one refresh per year touched in this transaction. A rolled-back
    transaction drops its callback (and so its years); the next save starts afresh."""
    years = {year for year in years if year}
    if not years:
        return
    connection = transaction.get_connection()
    pending: _Pending | None = getattr(connection, "_kense_indicator_refresh", None)
    # Still waiting for this transaction's commit? Then add to it; otherwise register anew.
    waiting = pending is not None and any(
        entry[1] == pending.flush for entry in connection.run_on_commit
    )
    if pending is None or not waiting:
        pending = _Pending()
        connection._kense_indicator_refresh = pending
        pending.years.update(years)
        transaction.on_commit(pending.flush)
        return
    pending.years.update(years)


def _year(value: Any) -> int | None:
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).year if timezone.is_aware(value) else value.year
    if isinstance(value, datetime.date):
        return value.year
    return None


def event_years(instance: Any) -> set[int]:
    return {year for year in (_year(instance.start), _year(instance.end)) if year}


def assignment_years(instance: Any) -> set[int]:
    return {year for year in (_year(instance.deadline), _year(instance.done_at)) if year}


def project_years(instance: Any) -> set[int]:
    first = _year(instance.start)
    if first is None:
        return set()
    last = _year(instance.end) or timezone.localdate().year
    last = min(last, first + MAX_PROJECT_YEARS - 1)
    return set(range(first, last + 1))


def _receiver(years_of: Any) -> Any:
    def receive(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
        if raw:  # fixtures being loaded: the data are not final yet
            return
        schedule_refresh(years_of(instance))

    return receive


_on_event = _receiver(event_years)
_on_assignment = _receiver(assignment_years)
_on_project = _receiver(project_years)


def _watched() -> list[tuple[Any, Any]]:
    from kense.assignments.models import Assignment
    from kense.events.models import Event
    from kense.programs.models import Project

    return [(Event, _on_event), (Assignment, _on_assignment), (Project, _on_project)]


def _uid(signal: Any, model: Any) -> str:
    return f"indicators-refresh-{'save' if signal is post_save else 'delete'}-{model.__name__}"


def connect_signals() -> None:
    """Connect the receivers (idempotent: each has a dispatch uid)."""
    for model, receiver in _watched():
        for signal in (post_save, post_delete):
            signal.connect(receiver, sender=model, weak=False, dispatch_uid=_uid(signal, model))


def disconnect_signals() -> None:
    """Undo `connect_signals` (for tests that must not refresh)."""
    for model, _ in _watched():
        for signal in (post_save, post_delete):
            signal.disconnect(sender=model, dispatch_uid=_uid(signal, model))
