"""The import of a past distribution of a document in one call
(`POST /api/v1/imports/distributions`): the guideline sent on its date to its recipients, each
with the date it acknowledged it (or none yet), instead of the server's now.

The service checks that the dates tell a possible story (nothing acknowledged before it was
sent, nothing in the future) and that the distribution is one the normal `distribution_send`
would accept (the model's checks, a document the caller may change). Its history row says
"Imported" (kense.core.imports). It answers the normal DistributionOut.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Field, Router, Schema, Status

from kense.accounts.auth import current_user
from kense.accounts.models import User
from kense.core.api import INVALID_CHOICE, WRITE_ERRORS, referenced
from kense.core.history import audit_as
from kense.core.imports import Day, Moment, importing, past, require_import
from kense.core.permissions import Action, require
from kense.documents import selectors
from kense.documents.api import DistributionOut
from kense.documents.models import Distribution, DistributionMode, Document, Recipient
from kense.documents.services import audience
from kense.registry.models import Organization, Territory

router = Router(tags=["imports"])

ACKNOWLEDGED_BEFORE_SENT = _("A document cannot be acknowledged before it was sent.")
NO_RECIPIENTS = _("No organization matches this audience: nothing was sent.")
LISTED_TWICE = _("This organization is already listed.")


@dataclass
class ImportedRecipient:
    organization: Organization
    acknowledged_at: datetime.datetime | None
    report: str = ""


def distribution_import(
    distribution: Distribution,
    *,
    user: User,
    recipients: list[ImportedRecipient] | None = None,
) -> Distribution:
    """Record a past distribution, sent on `distribution.sent_at`, to the given recipients
    with their acknowledgments (without recipients: the audience as the registry stands now,
    as `distribution_send` expands it, none acknowledged). 403 for anybody but the
    administrator and the project office; 422 for dates that cannot be."""
    require_import(user)
    require(user, Action.CHANGE, distribution.document)
    errors: dict[str, Any] = {}
    past(distribution.sent_at, "sent_at", errors)
    for index, recipient in enumerate(recipients or []):
        name = f"recipients.{index}.acknowledged_at"
        past(recipient.acknowledged_at, name, errors)
        acknowledged = recipient.acknowledged_at
        if acknowledged is not None and acknowledged < distribution.sent_at:
            errors.setdefault(name, []).append(ACKNOWLEDGED_BEFORE_SENT)
    if errors:
        raise ValidationError(errors)
    distribution.sent_by = user
    distribution.full_clean()
    if recipients is None:
        organizations = audience(distribution.organization_kinds, distribution.territory, user=user)
        recipients = [ImportedRecipient(organization, None) for organization in organizations]
    if not recipients:
        raise ValidationError(NO_RECIPIENTS)
    with importing():
        audit_as(distribution, user)
        distribution.save()
        # The acknowledging person of then has no account here; the date is what counts.
        Recipient.objects.bulk_create(
            Recipient(
                distribution=distribution,
                organization=recipient.organization,
                acknowledged_at=recipient.acknowledged_at,
                report=recipient.report.strip(),
            )
            for recipient in recipients
        )
    return distribution


class DistributionImportRecipientIn(Schema):
    organization: int
    acknowledged_at: Moment | None = Field(
        None, description="When it acknowledged the document; null: not yet."
    )
    report: str = Field("", description="How it applies the document.")


class DistributionImportIn(Schema):
    document: int
    organization_kinds: list[str] = Field(
        description="akimat (of districts and cities), department, division, school, "
        "college, university, culture."
    )
    territory: int | None = Field(None, description="Within this territory's subtree.")
    mode: DistributionMode = DistributionMode.MANDATORY
    deadline: Day | None = None
    report_requested: bool = False
    message: str = ""
    sent_at: Moment = Field(description="When the document was sent.")
    recipients: list[DistributionImportRecipientIn] | None = Field(
        None,
        description="The organizations it was sent to, with their acknowledgments; by default "
        "the audience as the registry stands now, none acknowledged.",
    )


def _recipients(
    user: User, given: list[DistributionImportRecipientIn] | None
) -> list[ImportedRecipient] | None:
    if given is None:
        return None
    organizations = Organization.objects.restrict(user, Action.VIEW)
    errors: dict[str, Any] = {}
    recipients = []
    seen: set[int] = set()
    for index, entry in enumerate(given):
        name = f"recipients.{index}.organization"
        try:
            organization = referenced(organizations, entry.organization, name)
        except ValidationError as error:
            errors.update(error.message_dict)
            continue
        assert organization is not None
        if organization.pk in seen:
            errors[name] = [LISTED_TWICE]
        seen.add(organization.pk)
        recipients.append(ImportedRecipient(organization, entry.acknowledged_at, entry.report))
    if errors:
        raise ValidationError(errors)
    return recipients


@router.post(
    "/imports/distributions",
    response={201: DistributionOut, **WRITE_ERRORS},
    tags=["imports"],
)
def import_distribution(request: HttpRequest, payload: DistributionImportIn) -> Status[Any]:
    """Import a past distribution of a document in one call: sent on `sent_at` to its
    recipients, each acknowledged on its `acknowledged_at`. The administrator and the project
    office only (403 for anybody else); an acknowledgment before the sending, or a date in
    the future, is refused under its path (`recipients.2.acknowledged_at`), and nothing is
    saved unless all of it is. Answers the distribution as
    `GET /documents/{id}/distributions` lists it."""
    user = current_user(request)
    require_import(user)
    document = referenced(
        Document.objects.restrict(user, Action.VIEW), payload.document, "document"
    )
    assert document is not None
    territory = referenced(
        Territory.objects.restrict(user, Action.VIEW), payload.territory, "territory"
    )
    kinds = payload.organization_kinds
    if not isinstance(kinds, list):
        raise ValidationError({"organization_kinds": INVALID_CHOICE})
    distribution = Distribution(
        document=document,
        organization_kinds=list(kinds),
        territory=territory,
        mode=payload.mode,
        deadline=payload.deadline,
        report_requested=payload.report_requested,
        message=payload.message,
        sent_at=payload.sent_at,
    )
    recipients = _recipients(user, payload.recipients)
    distribution_import(distribution, user=user, recipients=recipients)
    found = [d for d in selectors.distributions_of(document, user) if d.pk == distribution.pk]
    return Status(201, found[0])
