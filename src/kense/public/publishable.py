"""Which things can be published, under which name, and where the public reads each."""

from __future__ import annotations

from django.urls import reverse

from kense.core.models import Publishable
from kense.documents.models import Document
from kense.events.models import Event
from kense.indicators.models import Methodology
from kense.media.models import Publication
from kense.meetings.models import Meeting
from kense.programs.models import Project

# The kind in the publishing address → the model, and the open page that shows one.
PUBLISHABLE: dict[str, tuple[type[Publishable], str]] = {
    "project": (Project, "public:project"),
    "event": (Event, "public:event"),
    "meeting": (Meeting, "public:meeting"),
    "document": (Document, "public:guideline"),
    "publication": (Publication, "public:news"),
    "methodology": (Methodology, "public:ranking"),
}


def publishing_kind(obj: Publishable) -> str:
    return next(kind for kind, (model, _name) in PUBLISHABLE.items() if isinstance(obj, model))


def public_url(obj: Publishable) -> str:
    return reverse(PUBLISHABLE[publishing_kind(obj)][1], args=[obj.pk])
