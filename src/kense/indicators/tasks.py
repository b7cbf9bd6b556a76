"""Background jobs of the indicators: the computed values are refreshed by the worker
(db_worker) when their data change (see `kense.indicators.signals`) and on demand."""

from __future__ import annotations

from django_tasks import task

from kense.indicators import compute
from kense.registry.models import Territory


@task()
def refresh_indicators(year: int, territory_ids: list[int] | None = None) -> int:
    """Recompute the year's computed values, for the given territories or (None) for every
    region, city and district of the year. Idempotent; returns the number of values written."""
    territories = None
    if territory_ids is not None:
        territories = list(Territory.objects.filter(pk__in=territory_ids).order_by("pk"))
    return compute.refresh(year, territories=territories)
