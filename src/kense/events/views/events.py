"""Event pages: parse, call a selector or a service, render."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import QuerySet, Value
from django.db.models.functions import Coalesce, NullIf
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from kense.accounts.auth import AuthenticatedRequest
from kense.accounts.models import User
from kense.core.attachments import attachment_of, attachment_response, attachments_of
from kense.core.filters import FilterValues
from kense.core.forms import handle_form
from kense.core.lists import Column, ListSpec, kazakh_order, render_list
from kense.core.permissions import Action, can_add, get_visible, require, require_add
from kense.core.views import audit_context
from kense.events import feeds
from kense.events.filters import EventFilters
from kense.events.forms.events import CancelForm, EventForm, HoldForm, PostponeForm
from kense.events.models import Audience, Event
from kense.events.selectors import events as event_selectors
from kense.events.services import events as event_services
from kense.geo import selectors as geo_selectors
from kense.meetings.ics import calendar as ics_calendar
from kense.text.kazakh import format_month


@login_required
def event_list(request: AuthenticatedRequest) -> HttpResponse:
    spec = ListSpec(
        title=_("Events"),
        # Kept to what fits a screen; the event page and the API have the rest.
        columns=[
            Column(_("Title"), lambda e: e.title, link=True),
            Column(_("Start"), lambda e: e.start),
            Column(_("End"), lambda e: e.end),
            Column(_("Status"), lambda e: e.get_status_display()),
            Column(_("Format"), lambda e: e.get_format_display()),
            Column(_("Territory"), lambda e: e.territory),
            Column(_("Organizer"), lambda e: e.organizer),
            Column(_("Program"), lambda e: e.program),
            Column(_("Planned reach"), lambda e: e.planned_reach, numeric=True),
            Column(_("Participants"), lambda e: e.participants, numeric=True),
            Column(_("Budget, tenge"), lambda e: e.budget, numeric=True),
        ],
        rows=event_selectors.event_list,
        filters=EventFilters,
        export_name="events",
        add_url=reverse("events:event_add") if can_add(request.user, Event) else None,
        links=[(_("Calendar"), reverse("events:event_calendar"))],
    )
    return render_list(request, spec)


def _events(user: User) -> QuerySet[Event]:
    return Event.objects.select_related(
        "program", "project", "organizer", "territory", "emergency", "plan_item"
    )


@login_required
def event_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    event = get_visible(_events(request.user), request.user, pk=pk)
    context = {
        "event": event,
        "co_organizers": list(event.co_organizers.order_by(kazakh_order())),
        "is_open": event.status in event_services.OPEN_STATUSES,
        "audience": [Audience(value).label for value in event.audience if value in Audience],
        "photos": attachments_of([event])[event],
        **audit_context(request, event),
    }
    return render(request, "events/event_detail.html", context)


@login_required
@require_POST
def event_photos_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    event = _changeable(request, pk)
    try:
        event_services.event_photos_add(
            event, user=request.user, photos=request.FILES.getlist("photos")
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The photos are added."))
    return redirect(event.get_absolute_url())


@login_required
def event_photo(request: AuthenticatedRequest, pk: int, attachment_pk: int) -> FileResponse:
    """An event's photo, to those who see the event."""
    event = get_visible(Event.objects.all(), request.user, pk=pk)
    return attachment_response(attachment_of(event, attachment_pk))


@login_required
def event_edit(request: AuthenticatedRequest, pk: int | None = None) -> HttpResponse:
    user = request.user
    if pk is None:
        require_add(request.user, Event)
        organization = user.organization
        event = Event(
            territory=user.territory or (organization.territory if organization else None),
            organizer=organization,
        )
    else:
        event = get_visible(Event.objects, user, pk=pk)
        require(user, Action.CHANGE, event)
    form = EventForm(request.POST or None, instance=event, user=user)
    return handle_form(
        request,
        form,
        lambda form: event_services.event_save(
            form.instance,
            user=user,
            co_organizers=form.cleaned_data["co_organizers"],
            confirmed=form.cleaned_data.get("confirm_numbers", False),
        ),
        title=_("Edit event") if pk else _("New event"),
        cancel_url=event.get_absolute_url() if pk else reverse("events:event_list"),
    )


def _changeable(request: AuthenticatedRequest, pk: int) -> Event:
    event = get_visible(_events(request.user), request.user, pk=pk)
    require(request.user, Action.CHANGE, event)
    return event


@login_required
def event_hold(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    event = _changeable(request, pk)
    form = HoldForm(request.POST or None, request.FILES or None, event=event)
    return handle_form(
        request,
        form,
        lambda form: event_services.event_hold(
            event,
            user=request.user,
            photos=form.cleaned_data["photos"],
            outcome=form.cleaned_data["outcome"],
            participants=form.cleaned_data["participants"],
            online_views=form.cleaned_data["online_views"],
            start=form.cleaned_data["start"],
            end=form.cleaned_data["end"],
            confirmed=form.cleaned_data.get("confirm_numbers", False),
        ),
        title=_("Held: %(title)s") % {"title": event.title},
        cancel_url=event.get_absolute_url(),
        success_message=_("The event is marked as held."),
    )


@login_required
def event_postpone(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    event = _changeable(request, pk)
    form = PostponeForm(request.POST or None, event=event)
    return handle_form(
        request,
        form,
        lambda form: event_services.event_postpone(
            event,
            user=request.user,
            reason=form.cleaned_data["reason"],
            start=form.cleaned_data["start"],
            end=form.cleaned_data["end"],
            after_lifting=form.cleaned_data["after_lifting"],
            emergency=form.cleaned_data["emergency"],
        ),
        title=_("Postpone: %(title)s") % {"title": event.title},
        cancel_url=event.get_absolute_url(),
        success_message=_("The event is postponed."),
    )


@login_required
def event_cancel(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    event = _changeable(request, pk)
    form = CancelForm(request.POST or None)
    return handle_form(
        request,
        form,
        lambda form: event_services.event_cancel(
            event, user=request.user, reason=form.cleaned_data["reason"]
        ),
        title=_("Cancel: %(title)s") % {"title": event.title},
        cancel_url=event.get_absolute_url(),
        success_message=_("The event is cancelled."),
    )


CALENDAR_VIEWS = {
    "month": _("Month"),
    "week": _("Week"),
    "agenda": _("Agenda"),
    "map": _("Map"),
}
# Events drawn on one month's map at most (a country's month is far fewer).
MAP_EVENTS = 5000


def _calendar_day(request: HttpRequest) -> datetime.date:
    try:
        return datetime.date.fromisoformat(request.GET.get("day", ""))
    except ValueError:
        return timezone.localdate()


def _chosen(filters: FilterValues, name: str) -> models.Model | None:
    """The object a filter names, if it names one the user may see."""
    value = filters.get(name)
    return value if isinstance(value, models.Model) else None


def _feed_links(
    request: AuthenticatedRequest, filters: FilterValues
) -> list[tuple[models.Model, str]]:
    """Subscription addresses for the chosen (else the user's own) territory, project and
    organization."""
    user = request.user
    subjects = [
        ("territory", _chosen(filters, "territory") or user.territory),
        ("project", _chosen(filters, "project")),
        ("organization", _chosen(filters, "organizer") or user.organization),
    ]
    links = []
    for kind, subject in subjects:
        if subject is None:
            continue
        url = reverse(
            "events:event_ics_feed",
            args=[kind, subject.pk, feeds.feed_token(user, kind, subject.pk)],
        )
        links.append((subject, request.build_absolute_uri(url)))
    return links


@login_required
def event_calendar(request: AuthenticatedRequest) -> HttpResponse:
    """A month, a week or an agenda of the events the filters select."""
    view = request.GET.get("view", "month")
    if view not in CALENDAR_VIEWS:
        view = "month"
    day = _calendar_day(request)
    form = EventFilters(request.GET, user=request.user)
    filters = form.values()
    query = request.GET.copy()
    for name in ("day", "view"):
        query.pop(name, None)
    context: dict[str, Any] = {
        "form": form,
        "view": view,
        "views": CALENDAR_VIEWS,
        "day": day,
        "query": query.urlencode(),
        "feed_links": _feed_links(request, filters),
        "can_add": can_add(request.user, Event),
    }
    if view == "month":
        month = event_selectors.calendar_month(request.user, day.year, day.month, filters)
        context.update(month=month, previous=month.previous, next=month.next, heading=month.first)
    elif view == "week":
        days = event_selectors.calendar_week(request.user, day, filters)
        context.update(
            days=days,
            previous=day - datetime.timedelta(days=7),
            next=day + datetime.timedelta(days=7),
        )
    elif view == "map":
        context.update(_month_map(request.user, day, filters))
    else:
        days = event_selectors.agenda(request.user, day, filters)
        context.update(
            days=days,
            previous=day - datetime.timedelta(days=event_selectors.AGENDA_DAYS),
            next=day + datetime.timedelta(days=event_selectors.AGENDA_DAYS),
        )
    return render(request, "events/calendar.html", context)


def _month_map(user: User, day: datetime.date, filters: FilterValues) -> dict[str, Any]:
    """The month's events the filters select as points: their own place, or their
    territory's centre; clustered where they crowd."""
    first = day.replace(day=1)
    last = (first + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
    events = event_selectors.event_list(user, {**filters, "date_from": first, "date_to": last})
    language = translation.get_language() or settings.LANGUAGE_CODE
    rows = events.values_list(
        "pk",
        Coalesce(NullIf(f"title_{language}", Value("")), "title"),
        "latitude",
        "longitude",
        "territory__latitude",
        "territory__longitude",
    )
    spots = geo_selectors.spots_of_values(
        rows[:MAP_EVENTS], kind="event", url_name="events:event_detail"
    )
    title = _("Events of %(month)s") % {"month": format_month(first.year, first.month)}
    picture = geo_selectors.points_picture(user, spots, title=str(title), day=first)
    picture.filename = f"kense-events-{first:%Y-%m}"
    return {
        "picture": picture,
        "heading": first,
        "previous": first - datetime.timedelta(days=1),
        "next": last + datetime.timedelta(days=1),
    }


@require_GET
def event_ics_feed(request: HttpRequest, kind: str, pk: int, token: str) -> HttpResponse:
    """Events of a territory, project or organization, to subscribe to; 404 for a bad token
    or a subject the token's user may not see."""
    user = feeds.user_for_feed_token(kind, pk, token)
    if user is None:
        raise Http404
    subject = feeds.feed_subject(user, kind, pk)
    if subject is None:
        raise Http404
    language = user.language or "kk"
    with translation.override(language):
        stamp = timezone.now()
        events = [
            feeds.event_vevent(
                event,
                language,
                url=request.build_absolute_uri(event.get_absolute_url()),
                stamp=stamp,
            )
            for event in feeds.feed_events(user, kind, subject)
        ]
        name = gettext("Kense: events of %(name)s") % {"name": subject.name}
    response = HttpResponse(ics_calendar(events, name), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="events-{kind}-{pk}.ics"'
    response["Cache-Control"] = "private, max-age=0"
    return response
