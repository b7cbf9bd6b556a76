"""Calendars: a personal feed of one's meetings, and a single meeting as an .ics download.

The feed is read by calendar applications, which cannot log in, so it is reached by a secret
address instead. The token is derived, not stored: the user's pk signed with SECRET_KEY under
a salt of its own, so it can be checked without a table, cannot be forged, and stops working
for everybody when SECRET_KEY changes. One user's feed cannot yet be revoked on its own.
"""

from __future__ import annotations

import datetime

from django.contrib.auth.decorators import login_required
from django.core import signing
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.views.decorators.http import require_GET

from kense.accounts.auth import AuthenticatedRequest
from kense.accounts.models import User
from kense.core.permissions import get_visible
from kense.meetings import ics
from kense.meetings.models import Meeting, MeetingState, Participant

CALENDAR_SALT = "kense-calendar"
# How far back the feed reaches: enough for last quarter's meetings, small enough to stay fast.
FEED_PAST = datetime.timedelta(days=90)
CONTENT_TYPE = "text/calendar; charset=utf-8"


def calendar_token(user: User) -> str:
    """The secret part of the user's feed address ("12.key:…", safe in a URL path); a new
    `feed_key` (a new password, or renewed from the account page) makes a new one."""
    return signing.Signer(salt=CALENDAR_SALT).sign(f"{user.pk}.{user.feed_key}")


def user_for_calendar_token(token: str) -> User | None:
    """The active user the token was made for, or None for a forged, renewed or stale one."""
    try:
        pk, _dot, key = signing.Signer(salt=CALENDAR_SALT).unsign(token).partition(".")
    except signing.BadSignature:
        return None
    if not pk.isdigit() or not key:
        return None
    return User.objects.filter(pk=pk, feed_key=key, is_active=True).first()


def calendar_meetings(user: User, *, now: datetime.datetime | None = None) -> QuerySet[Meeting]:
    """The user's own meetings from 90 days ago on: invited to, chairing or taking minutes
    of; drafts are left out, their invitations not being sent yet. Oldest first."""
    if user.person_id is None:
        return Meeting.objects.none()
    person = user.person_id
    mine = (
        Q(pk__in=Participant.objects.filter(person_id=person).values("meeting"))
        | Q(chair_id=person)
        | Q(secretary_id=person)
    )
    since = (now or timezone.now()) - FEED_PAST
    return (
        Meeting.objects.filter(mine, start__gte=since)
        .exclude(state=MeetingState.DRAFT)
        .prefetch_related("items")
        .order_by("start", "pk")
    )


def _ics_response(body: bytes, filename: str, *, disposition: str) -> HttpResponse:
    response = HttpResponse(body, content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    # The answer is personal: no shared cache may keep it.
    response["Cache-Control"] = "private, max-age=0"
    return response


@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The user's meetings as a calendar to subscribe to; 404 for a bad token."""
    user = user_for_calendar_token(token)
    if user is None:
        raise Http404
    language = user.language or "kk"
    events = []
    with translation.override(language):
        for meeting in calendar_meetings(user):
            url = request.build_absolute_uri(meeting.get_absolute_url())
            events.append(ics.meeting_event(meeting, language, url=url))
        name = gettext("Kense: my meetings")
    return _ics_response(ics.calendar(events, name), "kense.ics", disposition="inline")


@login_required
@require_GET
def meeting_ics(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """One meeting the user may see, to add to their calendar by hand."""
    meeting = get_visible(Meeting.objects.prefetch_related("items"), request.user, pk=pk)
    language = request.user.language or "kk"
    with translation.override(language):
        url = request.build_absolute_uri(meeting.get_absolute_url())
        title = meeting.title
    body = ics.calendar([ics.meeting_event(meeting, language, url=url)], title)
    return _ics_response(body, f"meeting-{meeting.pk}.ics", disposition="attachment")
