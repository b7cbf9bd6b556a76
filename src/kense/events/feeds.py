"""iCalendar feeds of events per territory, project or organization.

Events are all-day (they have dates, not times), so each VEVENT uses DTSTART;VALUE=DATE and an
exclusive DTEND (RFC 5545 §3.6.1). The calendar itself is written by `meetings.ics.calendar`,
which escapes and folds in one place.

Calendar applications cannot log in, so a feed is reached by a secret address, as the
personal meeting feed is (`meetings/feeds.py`): the subscribing user's pk signed with
SECRET_KEY under a salt that names the feed, so a token opens that one feed only, with the
subscriber's own scope, and stops working when the user is deactivated.
"""

from __future__ import annotations

import datetime
from typing import cast

from django.core import signing
from django.db.models import Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext

from kense.accounts.models import User
from kense.core.permissions import Action
from kense.events.models import Event, EventStatus
from kense.meetings.ics import escape_text, utc
from kense.programs.models import Project
from kense.registry.models import Organization, Territory

FEED_KINDS = ("territory", "project", "organization")
# How far back a feed reaches: last year's events, enough for reports, small enough to stay fast.
FEED_PAST = datetime.timedelta(days=366)


def _signer(kind: str, pk: int) -> signing.Signer:
    return signing.Signer(salt=f"kense-events-feed:{kind}:{pk}")


def feed_token(user: User, kind: str, pk: int) -> str:
    """The secret part of the feed's address for this user ("12:…", safe in a URL path)."""
    return _signer(kind, pk).sign(str(user.pk))


def user_for_feed_token(kind: str, pk: int, token: str) -> User | None:
    """The active user the token was made for (for this very feed), or None."""
    try:
        user_pk = _signer(kind, pk).unsign(token)
    except signing.BadSignature:
        return None
    return User.objects.filter(pk=user_pk, is_active=True).first()


def feed_subject(user: User, kind: str, pk: int) -> Territory | Project | Organization | None:
    """The territory, project or organization the feed is of, if the user may see it."""
    models: dict[str, type[Territory | Project | Organization]] = {
        "territory": Territory,
        "project": Project,
        "organization": Organization,
    }
    model = models.get(kind)
    if model is None:
        return None
    return model.objects.restrict(user, Action.VIEW).filter(pk=pk).first()


def feed_events(
    user: User, kind: str, subject: Territory | Project | Organization
) -> QuerySet[Event]:
    """The user's visible events of the subject from a year ago on, oldest first."""
    events: QuerySet[Event] = Event.objects.restrict(user, Action.VIEW)
    # The subject is of the kind's model (feed_subject found it so).
    if kind == "territory":
        events = events.filter(territory__path__startswith=cast(Territory, subject).path)
    elif kind == "project":
        events = events.filter(project=cast(Project, subject))
    else:
        co_organized = Event.co_organizers.through.objects.filter(organization_id=subject.pk)
        events = events.filter(Q(organizer=subject) | Q(pk__in=co_organized.values("event_id")))
    since = timezone.localdate() - FEED_PAST
    return events.filter(end__gte=since).select_related("organizer").order_by("start", "pk")


def _date(value: datetime.date) -> str:
    return value.strftime("%Y%m%d")


ICS_STATUS: dict[str, str] = {
    EventStatus.CANCELLED: "CANCELLED",
    EventStatus.POSTPONED: "TENTATIVE",
}


def event_vevent(
    event: Event, language: str, *, url: str = "", stamp: datetime.datetime | None = None
) -> list[str]:
    """The unfolded content lines of the event's all-day VEVENT, its text in `language`.
    Needs `organizer` selected with the event."""
    with translation.override(language):
        title = event.title
        details = [f"{gettext('Organizer:')} {event.organizer.name}"]
        details.append(f"{gettext('Format:')} {event.get_format_display()}")
        if event.status != EventStatus.PLANNED:
            details.append(f"{gettext('Status:')} {event.get_status_display()}")
        if event.status == EventStatus.POSTPONED and event.after_lifting:
            details.append(gettext("Postponed until the restrictions are lifted."))
        if event.link:
            details.append(event.link)
        if url:
            details.extend(["", url])
    lines = [
        "BEGIN:VEVENT",
        f"UID:event-{event.pk}@kense",
        f"DTSTAMP:{utc(stamp or timezone.now())}",
        f"DTSTART;VALUE=DATE:{_date(event.start)}",
        f"DTEND;VALUE=DATE:{_date(event.end + datetime.timedelta(days=1))}",
        f"SUMMARY:{escape_text(title)}",
    ]
    location = event.venue or event.link
    if location:
        lines.append(f"LOCATION:{escape_text(location)}")
    lines.append(f"DESCRIPTION:{escape_text(chr(10).join(details))}")
    if url:
        lines.append(f"URL:{url}")
    lines.append(f"STATUS:{ICS_STATUS.get(event.status, 'CONFIRMED')}")
    lines.append("TRANSP:TRANSPARENT")
    lines.append("END:VEVENT")
    return lines
