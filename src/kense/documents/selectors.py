"""Reads of the document library, through the user's scope."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.db.models import Count, Q, QuerySet

from kense.accounts.models import User
from kense.core.filters import FilterValues
from kense.core.lists import kazakh_order
from kense.core.permissions import Action, Actor
from kense.documents.filters import DocumentFilters
from kense.documents.models import Distribution, Document, DocumentVersion, Recipient
from kense.registry.models import OrganizationKind


def document_list(user: Actor, filters: FilterValues | None = None) -> QuerySet[Document]:
    """The documents the user may read, narrowed by DocumentFilters, in Kazakh order of the
    title."""
    documents: QuerySet[Document] = Document.objects.restrict(user).select_related(
        "author_person", "author_organization"
    )
    return DocumentFilters.narrow(documents, filters).order_by(kazakh_order("title"), "pk")


def versions_of(document: Document) -> list[DocumentVersion]:
    return list(document.versions.select_related("uploaded_by").order_by("language", "-number"))


def distributions_of(document: Document, user: User) -> list[Distribution]:
    """The document's distributions, newest first, each with the counts of its recipients
    the user may see (a coordinator, their district's; never the region's totals)."""
    seen = Q(recipients__in=Recipient.objects.restrict(user).values("pk"))
    return list(
        document.distributions.select_related("territory", "sent_by")
        .annotate(
            recipient_count=Count("recipients", filter=seen),
            acknowledged_count=Count(
                "recipients", filter=seen & Q(recipients__acknowledged_at__isnull=False)
            ),
        )
        .order_by("-sent_at", "pk")
    )


def inbox(user: User) -> models.QuerySet[Recipient]:
    """The documents sent to the organizations the user acknowledges for, open ones first."""
    return (
        Recipient.objects.restrict(user, Action.CHANGE)
        .select_related("distribution__document", "organization", "acknowledged_by")
        .order_by(
            models.F("acknowledged_at").desc(nulls_first=True),
            models.F("distribution__deadline").asc(nulls_last=True),
            "pk",
        )
    )


PENDING = "pending"
OVERDUE = "overdue"
ACKNOWLEDGED = "acknowledged"


@dataclass
class Tally:
    label: Any
    acknowledged: int = 0
    pending: int = 0
    overdue: int = 0

    @property
    def total(self) -> int:
        return self.acknowledged + self.pending + self.overdue


@dataclass
class Tracking:
    total: Tally
    by_territory: list[Tally] = field(default_factory=list)
    by_kind: list[Tally] = field(default_factory=list)
    rows: list[tuple[Recipient, str]] = field(default_factory=list)


def recipient_state(recipient: Recipient, today: datetime.date) -> str:
    if recipient.acknowledged_at is not None:
        return ACKNOWLEDGED
    return OVERDUE if recipient.is_overdue(today) else PENDING


def tracking(document: Document, user: User, today: datetime.date) -> Tracking:
    """Who has acknowledged the document, who not yet and who is overdue, in total, by
    territory and by type of organization, among the recipients the user may see. One query."""
    recipients = list(
        Recipient.objects.restrict(user)
        .filter(distribution__document=document)
        # The document too: the API prints it on every recipient.
        .select_related("distribution__document", "organization__territory", "acknowledged_by")
        .order_by("organization__territory__path", "organization__path", "distribution_id", "pk")
    )
    kinds = dict(OrganizationKind.choices)
    total = Tally(label=None)
    by_territory: dict[int, Tally] = {}
    by_kind: dict[str, Tally] = defaultdict(lambda: Tally(label=None))
    rows = []
    for recipient in recipients:
        state = recipient_state(recipient, today)
        territory = recipient.organization.territory
        territory_tally = by_territory.setdefault(territory.pk, Tally(label=territory))
        kind = recipient.organization.kind
        kind_tally = by_kind[kind]
        kind_tally.label = kinds.get(kind, kind)
        for tally in (total, territory_tally, kind_tally):
            setattr(tally, state, getattr(tally, state) + 1)
        rows.append((recipient, state))
    return Tracking(
        total=total,
        by_territory=list(by_territory.values()),
        by_kind=sorted(by_kind.values(), key=lambda tally: str(tally.label)),
        rows=rows,
    )
