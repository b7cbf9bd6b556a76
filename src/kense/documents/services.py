"""Writes to the document library: documents, versions, distributions, acknowledgments."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kense.accounts.models import User
from kense.core.attachments import attach
from kense.core.files import atomic_with_files, check_upload, name_of, original_name, store
from kense.core.permissions import Action, require
from kense.core.services import save_in_scope
from kense.documents import notices
from kense.documents.models import (
    AKIMAT_TERRITORY_KINDS,
    VERSION_EXTENSIONS,
    Distribution,
    Document,
    DocumentVersion,
    Language,
    Recipient,
)
from kense.documents.text import extract_text
from kense.registry.models import Organization, OrganizationKind, Territory


def document_save(document: Document, *, user: User) -> Document:
    """Create or update a document's card (project office and administrators only)."""
    if document.pk is None and not document.created_by_id:
        document.created_by = user
    return save_in_scope(document, user=user)


@atomic_with_files()
def version_add(
    document: Document, *, user: User, upload: Any, language: str, change_note: str = ""
) -> DocumentVersion:
    """Store a new version of the document in `language` (the next number for that
    language), after checking the file's size and content (PDF, DOCX or PPTX only); its words
    join the document's search text."""
    require(user, Action.CHANGE, document)
    if language not in Language.values:
        raise ValidationError({"language": _("Choose Kazakh or Russian.")})
    try:
        mime_type = check_upload(upload, allowed=VERSION_EXTENSIONS)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from error
    _name, extension = name_of(upload)
    last = (
        DocumentVersion.objects.filter(document=document, language=language).aggregate(
            last=models.Max("number")
        )["last"]
        or 0
    )
    version = DocumentVersion(
        document=document,
        number=last + 1,
        language=language,
        file_name=original_name(upload.name),
        mime_type=mime_type,
        size=upload.size,
        change_note=change_note,
        extracted_text=extract_text(upload, extension),
        uploaded_by=user,
    )
    store(version.file, version.file_name, upload)  # deleted again if this is rolled back
    version.full_clean()
    version.save()
    document._history_user = user
    document.save(update_fields=["search_text"])
    return version


def audience(
    organization_kinds: Sequence[str], territory: Territory | None, *, user: User
) -> models.QuerySet[Organization]:
    """The organizations a distribution reaches, among those the user sees: of the kinds
    named, within the territory's subtree (everywhere without one). Akimats are those of
    districts and cities."""
    kinds = list(organization_kinds)
    q = models.Q(kind__in=[kind for kind in kinds if kind != OrganizationKind.AKIMAT])
    if OrganizationKind.AKIMAT in kinds:
        q |= models.Q(kind=OrganizationKind.AKIMAT, territory__kind__in=AKIMAT_TERRITORY_KINDS)
    organizations: models.QuerySet[Organization] = Organization.objects.restrict(
        user, Action.VIEW
    ).filter(q)
    if territory is not None:
        organizations = organizations.filter(territory__path__startswith=territory.path)
    return organizations.select_related("territory").order_by("territory__path", "path", "pk")


@transaction.atomic
def distribution_send(
    document: Document,
    *,
    user: User,
    organization_kinds: Iterable[str],
    territory: Territory | None = None,
    mode: str,
    deadline: datetime.date | None = None,
    report_requested: bool = False,
    message: str = "",
) -> Distribution:
    """Send the document to an audience: the audience is expanded now, against the registry
    as it stands, and frozen in the recipients (organizations added later are not reached).
    Refused when the audience is empty."""
    require(user, Action.CHANGE, document)
    distribution = Distribution(
        document=document,
        organization_kinds=list(organization_kinds),
        territory=territory,
        mode=mode,
        deadline=deadline,
        report_requested=report_requested,
        message=message,
        sent_by=user,
    )
    distribution.full_clean()
    organizations = list(audience(distribution.organization_kinds, territory, user=user))
    if not organizations:
        raise ValidationError(_("No organization matches this audience: nothing was sent."))
    distribution.save()
    Recipient.objects.bulk_create(
        Recipient(distribution=distribution, organization=organization)
        for organization in organizations
    )
    notices.distribution_sent(distribution, actor=user)
    return distribution


@atomic_with_files()
def acknowledge(
    recipient: Recipient, *, user: User, report: str = "", uploads: Sequence[Any] = ()
) -> Recipient:
    """Record that the recipient organization has read the document: who and when, with the
    report on how it applies it (required when the distribution asked for one) and its
    attachments. Only the organization's own users, or people holding a post there, may.
    A refused file (under "attachments") saves nothing."""
    if not Recipient.objects.filter(pk=recipient.pk).restrict(user, Action.CHANGE).exists():
        raise PermissionDenied
    if recipient.acknowledged_at is not None:
        raise ValidationError(_("This document has already been acknowledged."))
    report = report.strip()
    if recipient.distribution.report_requested and not report:
        raise ValidationError({"report": _("Describe how your organization applies it.")})
    recipient.acknowledged_by = user
    recipient.acknowledged_at = timezone.now()
    recipient.report = report
    recipient.full_clean()
    updated = Recipient.objects.filter(pk=recipient.pk, acknowledged_at__isnull=True).update(
        acknowledged_by=user, acknowledged_at=recipient.acknowledged_at, report=report
    )
    if not updated:  # acknowledged by a colleague a moment ago
        raise ValidationError(_("This document has already been acknowledged."))
    attach(recipient, uploads, user=user)
    return recipient
