"""The demo's open pages: what the project office of the story would have published."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.utils.translation import gettext

from kense.accounts.models import User
from kense.core.permissions import Action, restrict
from kense.documents.models import Document, DocumentKind
from kense.events.models import Event, EventStatus
from kense.indicators.models import Methodology
from kense.media.models import Publication
from kense.meetings.models import Meeting, MeetingKind, MeetingState
from kense.programs.models import Project
from kense.public.services import publication_set

if TYPE_CHECKING:
    from kense.registry.demo import _Loader


def _natural_moment(obj: Any) -> datetime.datetime:
    from kense.registry.demo import REGISTRY_ENTERED, story_moment

    if isinstance(obj, Event):
        return story_moment(obj.start - datetime.timedelta(days=7))
    if isinstance(obj, Meeting):
        return obj.start
    if isinstance(obj, Project):
        return story_moment(obj.start) if obj.start else REGISTRY_ENTERED
    if isinstance(obj, Publication) and obj.date:
        return story_moment(obj.date, 18)
    return obj.created_at


def load_publishing(loader: _Loader) -> None:
    """Publish, as the demo's project office, its projects, its events but the cancelled,
    its meetings but drafts and working groups, its guidelines, the media's articles and
    its rankings; the rest stays inside, so that the publish button has something to do. Publishing twice
    changes nothing, so a second load adds no history."""
    office = User.objects.get(username="office")
    chosen: list[QuerySet[Any]] = [
        restrict(Project.objects.all(), office, Action.CHANGE),
        restrict(Event.objects.exclude(status=EventStatus.CANCELLED), office, Action.CHANGE),
        restrict(
            Meeting.objects.exclude(state=MeetingState.DRAFT).exclude(
                kind=MeetingKind.WORKING_GROUP
            ),
            office,
            Action.CHANGE,
        ),
        restrict(Document.objects.filter(kind=DocumentKind.GUIDELINE), office, Action.CHANGE),
        restrict(Publication.objects.all(), office, Action.CHANGE),
        restrict(Methodology.objects.all(), office, Action.CHANGE),
    ]
    latest = loader.clock.started - datetime.timedelta(hours=1)
    for rows in chosen:
        for obj in rows.filter(published_at__isnull=True).order_by("pk"):
            # Published in the story's time, as the other stamps are: when the thing came to be
            # (a week before an event), never after the load began.
            with loader.clock.at(min(_natural_moment(obj), latest)):
                publication_set(obj, user=office, published=True)
            loader.created[
                gettext("%(things)s published on the open pages")
                % {"things": obj._meta.verbose_name_plural}
            ] += 1
