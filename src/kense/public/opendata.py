"""Open data: the published projects, events, meeting decisions, the results behind the
published rankings and the residents' ideas as CSV, XLSX and JSON, each column named, typed and
described once here, for the downloads, their documentation page and the public API alike."""

from __future__ import annotations

import csv
import datetime
import io
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kense.core.excel import XLSX, table_workbook
from kense.core.http import download
from kense.core.replica import replica_stream
from kense.meetings.models import Decision, MeetingState
from kense.public import selectors
from kense.registry.models import Territory, TerritoryKind

# An Excel sheet holds about a million rows and a workbook is built in memory: the newest rows
# up to this many; CSV and JSON stream every row.
XLSX_ROWS = 100_000
FORMATS = ("csv", "json", "xlsx")


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # integer, number, string, date, url
    description: Promise
    value: Callable[[Any], Any]


@dataclass(frozen=True)
class Dataset:
    key: str
    title: Promise
    description: Promise
    rows: Callable[[Territory | None], QuerySet[Any]]
    columns: tuple[Column, ...]

    def values(self, obj: Any) -> list[Any]:
        return [column.value(obj) for column in self.columns]


def _url(name: str) -> Callable[[Any], str]:
    return lambda obj: reverse(name, args=[obj.pk])


def _projects(place: Territory | None) -> QuerySet[Any]:
    return selectors.project_progress(
        selectors.published_projects().filter(selectors._in_place(place))
    ).order_by("pk")


def _events(place: Territory | None) -> QuerySet[Any]:
    return (
        selectors.published_events()
        .filter(selectors._in_place(place))
        .select_related("territory")
        .order_by("pk")
    )


def _decisions(place: Territory | None) -> QuerySet[Any]:
    meetings = selectors.published_meetings().filter(
        selectors._in_place(place), state=MeetingState.APPROVED
    )
    return (
        Decision.objects.filter(item__meeting__in=meetings.values("pk"))
        .select_related("item__meeting")
        .order_by("pk")
    )


def _ideas(place: Territory | None) -> QuerySet[Any]:
    from kense.ideas.public import public_ideas

    return public_ideas(territory=place).order_by("pk")


def _results(place: Territory | None) -> QuerySet[Any]:
    """The year's values behind each published ranking: its indicators, for the cities and
    districts, final values only (approved in a report, or computed), with their targets."""
    from kense.indicators.models import APPROVED_STATUSES, IndicatorValue, PeriodKind, Target

    published = list(selectors.published_rankings().values_list("year", "weights"))
    years = {year for year, _weights in published}
    codes = {code for _year, weights in published for code in weights}
    target = Target.objects.filter(
        indicator=OuterRef("indicator"), territory=OuterRef("territory"), year=OuterRef("year")
    ).values("value")[:1]
    return (
        IndicatorValue.objects.filter(
            selectors._in_place(place),
            year__in=years,
            indicator__code__in=codes,
            period_kind=PeriodKind.YEAR,
            status__in=APPROVED_STATUSES,
            territory__kind__in=(TerritoryKind.CITY, TerritoryKind.DISTRICT),
        )
        .select_related("indicator", "territory")
        .annotate(target=Subquery(target))
        .order_by("pk")
    )


def _number(value: Any) -> float | None:
    return None if value is None else float(value)


def _held(event: Any, name: str) -> Any:
    return getattr(event, name) if event.status == "held" else None


TERRITORY_ID = _("Key of the territory (its open page: /public/places/<key>/).")

DATASETS = {
    dataset.key: dataset
    for dataset in (
        Dataset(
            "projects",
            _("Special projects"),
            _("The published special projects with their state and progress."),
            _projects,
            (
                Column("id", "integer", _("Key of the project."), lambda p: p.pk),
                Column("name", "string", _("Name."), lambda p: p.name),
                Column("program", "string", _("Program."), lambda p: p.program.name),
                Column("territory_id", "integer", TERRITORY_ID, lambda p: p.territory_id),
                Column("territory", "string", _("Territory."), lambda p: p.territory.name),
                Column(
                    "status",
                    "string",
                    _("planned, active, suspended or completed."),
                    lambda p: p.status,
                ),
                Column("start", "date", _("Start (YYYY-MM-DD)."), lambda p: p.start),
                Column("end", "date", _("End (YYYY-MM-DD)."), lambda p: p.end),
                Column(
                    "events_total", "integer", _("Its published events."), lambda p: p.events_total
                ),
                Column(
                    "events_held",
                    "integer",
                    _("Of them, held."),
                    lambda p: p.events_held,
                ),
                Column("url", "url", _("Its open page."), _url("public:project")),
            ),
        ),
        Dataset(
            "events",
            _("Events"),
            _("The published events, planned and held."),
            _events,
            (
                Column("id", "integer", _("Key of the event."), lambda e: e.pk),
                Column("title", "string", _("Title."), lambda e: e.title),
                Column("start", "date", _("First day (YYYY-MM-DD)."), lambda e: e.start),
                Column("end", "date", _("Last day (YYYY-MM-DD)."), lambda e: e.end),
                Column("territory_id", "integer", TERRITORY_ID, lambda e: e.territory_id),
                Column("territory", "string", _("Territory."), lambda e: e.territory.name),
                Column(
                    "status",
                    "string",
                    _("planned, held, postponed or cancelled."),
                    lambda e: e.status,
                ),
                Column("format", "string", _("in_person, online or hybrid."), lambda e: e.format),
                Column(
                    "project_id",
                    "integer",
                    _("Key of its special project, if any."),
                    lambda e: e.project_id,
                ),
                Column(
                    "participants",
                    "integer",
                    _("Participants in person, once held."),
                    lambda e: _held(e, "participants"),
                ),
                Column(
                    "online_views",
                    "integer",
                    _("Online views, once held."),
                    lambda e: _held(e, "online_views"),
                ),
                Column("latitude", "number", _("Latitude, WGS84."), lambda e: e.latitude),
                Column("longitude", "number", _("Longitude, WGS84."), lambda e: e.longitude),
                Column("url", "url", _("Its open page."), _url("public:event")),
            ),
        ),
        Dataset(
            "decisions",
            _("Meeting decisions"),
            _("The decisions of published meetings whose minutes are approved."),
            _decisions,
            (
                Column("id", "integer", _("Key of the decision."), lambda d: d.pk),
                Column(
                    "meeting_id", "integer", _("Key of the meeting."), lambda d: d.item.meeting_id
                ),
                Column("meeting", "string", _("Meeting."), lambda d: d.item.meeting.title),
                Column(
                    "date",
                    "date",
                    _("Day of the meeting."),
                    lambda d: timezone.localdate(d.item.meeting.start),
                ),
                Column("number", "integer", _("Number in the minutes."), lambda d: d.number),
                Column("text", "string", _("Text of the decision."), lambda d: d.text),
                Column(
                    "url",
                    "url",
                    _("The meeting's open page."),
                    lambda d: reverse("public:meeting", args=[d.item.meeting_id]),
                ),
            ),
        ),
        Dataset(
            "results",
            _("Results of the year"),
            _(
                "The values of the indicators of each published ranking, for the cities and "
                "districts, with their targets: final values only."
            ),
            _results,
            (
                Column(
                    "indicator", "string", _("Code of the indicator."), lambda v: v.indicator.code
                ),
                Column(
                    "indicator_name",
                    "string",
                    _("Name of the indicator."),
                    lambda v: v.indicator.name,
                ),
                Column("territory_id", "integer", TERRITORY_ID, lambda v: v.territory_id),
                Column("territory", "string", _("Territory."), lambda v: v.territory.name),
                Column("year", "integer", _("Year."), lambda v: v.year),
                Column("value", "number", _("Value."), lambda v: _number(v.value)),
                Column("target", "number", _("Target, if set."), lambda v: _number(v.target)),
                Column(
                    "url",
                    "url",
                    _("The territory's open page."),
                    lambda v: reverse("public:territory", args=[v.territory_id]),
                ),
            ),
        ),
        Dataset(
            "ideas",
            _("Residents' ideas"),
            _("The residents' ideas shown on the open pages, with their state and supports."),
            _ideas,
            (
                Column("id", "integer", _("Key of the idea."), lambda i: i.pk),
                Column("title", "string", _("Title."), lambda i: i.title),
                Column("territory_id", "integer", TERRITORY_ID, lambda i: i.territory_id),
                Column("territory", "string", _("Territory."), lambda i: i.territory.name),
                Column(
                    "proposed",
                    "date",
                    _("Day proposed."),
                    lambda i: timezone.localdate(i.created_at),
                ),
                Column("status", "string", _("Its state."), lambda i: i.status),
                Column("supports", "integer", _("Supports."), lambda i: i.supports_count),
                Column("answer", "string", _("The office's public answer."), lambda i: i.answer),
                Column("url", "url", _("Its open page."), _url("public:idea_detail")),
            ),
        ),
    )
}


def dataset_or_404(key: str) -> Dataset:
    if key not in DATASETS:
        raise Http404
    return DATASETS[key]


def _plain(value: Any) -> Any:
    if isinstance(value, datetime.date):
        return value.isoformat()
    if value is None:
        return None
    if isinstance(value, (int, float, str)):
        return value
    return str(value)


def records(dataset: Dataset, place: Territory | None) -> Iterator[dict[str, Any]]:
    names = [column.name for column in dataset.columns]
    for obj in dataset.rows(place).iterator(chunk_size=2000):
        yield dict(zip(names, (_plain(value) for value in dataset.values(obj)), strict=True))


def _csv_lines(dataset: Dataset, place: Territory | None) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([column.name for column in dataset.columns])
    for number, record in enumerate(records(dataset, place), start=1):
        writer.writerow(["" if value is None else value for value in record.values()])
        if number % 500 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def _json_chunks(dataset: Dataset, place: Territory | None) -> Iterable[str]:
    yield "["
    for number, record in enumerate(records(dataset, place)):
        yield ("," if number else "") + json.dumps(record, ensure_ascii=False)
    yield "]"


def response(
    request: HttpRequest, dataset: Dataset, place: Territory | None, form: str
) -> HttpResponse:
    """The dataset's download, its rows read from the replica when there is one (a second
    behind the office's edits: what open data tolerates; kense.core.replica)."""
    stamp = timezone.localdate().isoformat()
    name = f"{dataset.key}{f'-{place.pk}' if place else ''}-{stamp}"
    if form == "csv":
        streamed = StreamingHttpResponse(
            replica_stream(request, _csv_lines(dataset, place)),
            content_type="text/csv; charset=utf-8",
        )
    elif form == "json":
        streamed = StreamingHttpResponse(
            replica_stream(request, _json_chunks(dataset, place)),
            content_type="application/json; charset=utf-8",
        )
    elif form == "xlsx":
        newest = dataset.rows(place).reverse()[:XLSX_ROWS]
        rows = (dataset.values(obj) for obj in newest.iterator(chunk_size=2000))
        return download(
            table_workbook(str(dataset.title), [c.name for c in dataset.columns], rows),
            XLSX,
            f"{name}.xlsx",
        )
    else:
        raise Http404
    streamed["Content-Disposition"] = f'attachment; filename="{name}.{form}"'
    streamed["X-Content-Type-Options"] = "nosniff"
    return streamed  # type: ignore[return-value]
