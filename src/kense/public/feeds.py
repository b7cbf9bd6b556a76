"""Subscriptions to the open pages: an iCalendar of a place's published events, and Atom
feeds of its news, its residents' ideas and its meetings' decisions. The same selectors as
the pages: only what is published."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from kense.events.models import Event
from kense.meetings.ics import calendar, escape_text, utc
from kense.meetings.models import Decision, MeetingState
from kense.public import selectors
from kense.registry.models import Territory

# How far back and how many items a feed holds: a reader polls, it does not archive.
FEED_ITEMS = 50
CALENDAR_PAST_DAYS = 90
CALENDAR_EVENTS = 1000


def _place_or_none(pk: int | None) -> Territory | None:
    return selectors.place(pk) if pk is not None else None


def _place_name(place: Territory | None) -> str:
    return place.name if place is not None else _("Open pages of the program")


def event_lines(event: Event, url: str, stamp: datetime.datetime) -> list[str]:
    """The VEVENT of a published event: a whole-day event from its start to its end."""
    lines = [
        "BEGIN:VEVENT",
        f"UID:public-event-{event.pk}@kense",
        f"DTSTAMP:{utc(stamp)}",
        f"DTSTART;VALUE=DATE:{event.start:%Y%m%d}",
        f"DTEND;VALUE=DATE:{event.end + datetime.timedelta(days=1):%Y%m%d}",
        f"SUMMARY:{escape_text(event.title)}",
    ]
    location = ", ".join(part for part in (event.territory.name, event.venue) if part)
    lines.append(f"LOCATION:{escape_text(location)}")
    lines.append(f"URL:{url}")
    status = {"cancelled": "CANCELLED", "postponed": "TENTATIVE"}.get(event.status, "CONFIRMED")
    lines.append(f"STATUS:{status}")
    lines.append("END:VEVENT")
    return lines


def events_ics(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    place = _place_or_none(pk)
    since = timezone.localdate() - datetime.timedelta(days=CALENDAR_PAST_DAYS)
    events = (
        selectors.published_events()
        .filter(selectors._in_place(place), end__gte=since)
        .select_related("territory")
        .order_by("start", "pk")[:CALENDAR_EVENTS]
    )
    stamp = timezone.now()
    body = calendar(
        (
            event_lines(
                event, request.build_absolute_uri(reverse("public:event", args=[event.pk])), stamp
            )
            for event in events
        ),
        _place_name(place),
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="events.ics"'
    return response


def _atom(
    request: HttpRequest,
    *,
    title: str,
    link: str,
    items: Iterable[dict[str, Any]],
) -> HttpResponse:
    feed = Atom1Feed(
        title=title,
        link=request.build_absolute_uri(link),
        description="",
        language=get_language(),
        feed_url=request.build_absolute_uri(),
    )
    for item in items:
        feed.add_item(
            title=item["title"],
            link=request.build_absolute_uri(item["link"]),
            description=item.get("text", ""),
            pubdate=item["when"],
            unique_id=request.build_absolute_uri(item["link"]) + item.get("fragment", ""),
        )
    response = HttpResponse(content_type="application/atom+xml; charset=utf-8")
    feed.write(response, "utf-8")
    return response


def _moment(day: datetime.date | datetime.datetime | None) -> datetime.datetime:
    if isinstance(day, datetime.datetime):
        return day
    day = day or timezone.localdate()
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def news_atom(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    place = _place_or_none(pk)
    news = selectors.place_news(place).select_related("outlet").order_by("-date", "-pk")
    return _atom(
        request,
        title=f"{_place_name(place)} · {_('In the media')}",
        link=_page(place),
        items=(
            {
                "title": publication.title,
                "link": reverse("public:news", args=[publication.pk]),
                "text": str(publication.outlet),
                "when": _moment(publication.date or publication.published_at),
            }
            for publication in news[:FEED_ITEMS]
        ),
    )


def ideas_atom(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    from kense.ideas.public import public_ideas

    place = _place_or_none(pk)
    ideas = public_ideas(territory=place)
    return _atom(
        request,
        title=" · ".join([_place_name(place), _("Residents' ideas")]),
        link=_page(place),
        items=(
            {
                "title": idea.title,
                "link": reverse("public:idea_detail", args=[idea.pk]),
                "text": f"{idea.get_status_display()}. {idea.description[:500]}",
                "when": idea.created_at,
            }
            for idea in ideas[:FEED_ITEMS]
        ),
    )


def decisions_atom(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    place = _place_or_none(pk)
    meetings = (
        selectors.published_meetings()
        .filter(selectors._in_place(place), state=MeetingState.APPROVED)
        .values("pk")
    )
    decisions = (
        Decision.objects.filter(item__meeting__in=meetings)
        .select_related("item__meeting")
        .order_by("-item__meeting__start", "-number", "-pk")[:FEED_ITEMS]
    )
    return _atom(
        request,
        title=f"{_place_name(place)} · {_('Meetings and their decisions')}",
        link=_page(place),
        items=(
            {
                "title": f"{decision.item.meeting.title}: {decision.number}",
                "link": reverse("public:meeting", args=[decision.item.meeting_id]),
                "fragment": f"#decision-{decision.pk}",
                "text": decision.text,
                "when": decision.item.meeting.start,
            }
            for decision in decisions
        ),
    )


def _page(place: Territory | None) -> str:
    return reverse("public:territory", args=[place.pk]) if place else reverse("public:home")
