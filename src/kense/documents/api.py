"""The document library: documents, their versions, distributions, acknowledgments and the
tracking of who has acknowledged. Everyone reads the library; the project office writes it;
a recipient organization sees and acknowledges what was sent to it."""

import datetime
from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest
from django.urls import reverse
from django.utils import timezone
from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from kense.accounts.auth import current_user
from kense.accounts.models import User
from kense.core.api import (
    READ_ERRORS,
    WRITE_ERRORS,
    AttachmentOut,
    Ref,
    Text,
    assign,
    attachment_out,
    file_download,
    referenced,
    write,
)
from kense.core.attachments import attachment_of, attachment_response, attachments_of, file_response
from kense.core.files import CONTENT_TYPES
from kense.core.filters import FilterValues, filtered
from kense.core.pagination import Pagination
from kense.core.patch import Patch
from kense.core.permissions import Action, get_changeable, get_visible, require_add
from kense.documents import selectors, services
from kense.documents.filters import DocumentFilters
from kense.documents.models import (
    DistributionMode,
    Document,
    DocumentKind,
    DocumentVersion,
    Language,
    Recipient,
)
from kense.registry.models import Organization, Person, Territory

router = Router(tags=["documents"])

# How many organizations a distribution's preview lists; the rest is counted (as on the page).
PREVIEW_LIMIT = 200


class DocumentOut(Schema):
    id: int
    title: Text
    title_kk: Text
    title_ru: Text
    title_en: Text
    description_kk: Text
    description_ru: Text
    description_en: Text
    kind: DocumentKind
    author_person: int | None = Field(None, alias="author_person_id")
    author_organization: Ref | None
    created_at: datetime.datetime


class DocumentIn(Schema):
    title_kk: Text
    title_ru: Text
    title_en: Text = ""
    description_kk: Text = ""
    description_ru: Text = ""
    description_en: Text = ""
    kind: DocumentKind
    author_person: int | None = None
    author_organization: int | None = None


class VersionOut(Schema):
    id: int
    number: int
    language: Language
    file_name: str
    mime_type: str
    size: int
    change_note: str
    uploaded_at: datetime.datetime
    download_url: str = Field(description="The page's download address (for a browser).")
    file_url: str = Field(description="GET it (with the same credentials) for the bytes.")

    @staticmethod
    def resolve_download_url(version: DocumentVersion) -> str:
        return version.get_absolute_url()

    @staticmethod
    def resolve_file_url(version: DocumentVersion) -> str:
        return reverse(
            "api:download_version",
            kwargs={"document_id": version.document_id, "version_id": version.pk},
        )


class VersionIn(Schema):
    language: Language
    change_note: str = ""


class DistributionOut(Schema):
    id: int
    organization_kinds: list[str]
    territory: Ref | None
    mode: DistributionMode
    deadline: datetime.date | None
    report_requested: bool
    message: str
    sent_at: datetime.datetime
    recipient_count: int
    acknowledged_count: int


class DistributionIn(Schema):
    organization_kinds: list[str] = Field(
        description="akimat (of districts and cities), department, division, school, "
        "college, university, culture."
    )
    territory: int | None = Field(None, description="Within this territory's subtree.")
    mode: DistributionMode = DistributionMode.MANDATORY
    deadline: datetime.date | None = None
    report_requested: bool = False
    message: str = ""


class DistributionPreviewIn(Schema):
    organization_kinds: list[str] = Field(description="As a distribution's.")
    territory: int | None = Field(None, description="Within this territory's subtree.")


class DistributionPreviewOut(Schema):
    count: int = Field(description="How many organizations the distribution would reach.")
    organizations: list[Ref] = Field(description="The first of them (at most 200).")


class RecipientOut(Schema):
    id: int
    document: Ref
    organization: Ref
    mode: DistributionMode
    deadline: datetime.date | None
    state: str
    acknowledged_at: datetime.datetime | None
    acknowledged_by: int | None
    report: str


class AcknowledgeIn(Schema):
    report: str = ""


class TallyOut(Schema):
    label: str
    acknowledged: int
    pending: int
    overdue: int
    total: int


class TrackingOut(Schema):
    total: TallyOut
    by_territory: list[TallyOut]
    by_kind: list[TallyOut]
    recipients: list[RecipientOut]


def _documents(user: User) -> QuerySet[Document]:
    return Document.objects.restrict(user, Action.VIEW).select_related(
        "author_person", "author_organization"
    )


def _references(user: User) -> dict[str, QuerySet[Any]]:
    return {
        "author_person": Person.objects.restrict(user, Action.VIEW),
        "author_organization": Organization.objects.restrict(user, Action.VIEW),
    }


def _recipient_out(recipient: Recipient, today: datetime.date) -> dict[str, Any]:
    document = recipient.distribution.document
    return {
        "id": recipient.pk,
        "document": {"id": document.pk, "name": document.title},
        "organization": {"id": recipient.organization_id, "name": recipient.organization.name},
        "mode": recipient.distribution.mode,
        "deadline": recipient.distribution.deadline,
        "state": selectors.recipient_state(recipient, today),
        "acknowledged_at": recipient.acknowledged_at,
        "acknowledged_by": recipient.acknowledged_by_id,
        "report": recipient.report,
    }


def _tally_out(tally: selectors.Tally) -> dict[str, Any]:
    return {
        "label": str(tally.label or ""),
        "acknowledged": tally.acknowledged,
        "pending": tally.pending,
        "overdue": tally.overdue,
        "total": tally.total,
    }


@router.get("/documents", response=list[DocumentOut])
@paginate(Pagination)
@filtered(DocumentFilters)
def list_documents(request: HttpRequest, filters: FilterValues) -> QuerySet[Document]:
    return selectors.document_list(current_user(request), filters)


@router.get("/documents/{document_id}", response={200: DocumentOut, **READ_ERRORS})
def get_document(request: HttpRequest, document_id: int) -> Document:
    user = current_user(request)
    return get_visible(_documents(user), user, pk=document_id)


@router.post("/documents", response={201: DocumentOut, **WRITE_ERRORS})
def create_document(request: HttpRequest, payload: DocumentIn) -> Status[Document]:
    user = current_user(request)
    require_add(user, Document)
    document = Document(created_by=user)
    assign(document, payload.dict(), _references(user))
    return Status(201, write(services.document_save, document, user=user))


@router.patch("/documents/{document_id}", response={200: DocumentOut, **WRITE_ERRORS})
def update_document(request: HttpRequest, document_id: int, payload: Patch[DocumentIn]) -> Document:
    """Change the document's card (title, description, kind, author): the page's "Edit"."""
    user = current_user(request)
    document = get_changeable(_documents(user), user, pk=document_id)
    assign(document, payload, _references(user))
    return write(services.document_save, document, user=user)


@router.get("/documents/{document_id}/versions", response={200: list[VersionOut], **READ_ERRORS})
def list_versions(request: HttpRequest, document_id: int) -> list[DocumentVersion]:
    user = current_user(request)
    document = get_visible(_documents(user), user, pk=document_id)
    return selectors.versions_of(document)


@router.post(
    "/documents/{document_id}/versions",
    response={201: VersionOut, **WRITE_ERRORS},
    description="Multipart form: `language`, `change_note` and the `file` (PDF, DOCX or PPTX, "
    "checked by its content).",
)
def add_version(
    request: HttpRequest, document_id: int, payload: Form[VersionIn], file: File[UploadedFile]
) -> Status[DocumentVersion]:
    user = current_user(request)
    document = get_changeable(_documents(user), user, pk=document_id)
    version = services.version_add(
        document,
        user=user,
        upload=file,
        language=payload.language,
        change_note=payload.change_note,
    )
    return Status(201, version)


@router.get(
    "/documents/{document_id}/versions/{version_id}/file",
    response=READ_ERRORS,
    openapi_extra=file_download(
        "The version's file, as uploaded (PDF, DOCX or PPTX).",
        "application/pdf",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ),
)
def download_version(request: HttpRequest, document_id: int, version_id: int) -> FileResponse:
    """The file of a version of a document the user sees (the page's download link)."""
    user = current_user(request)
    document = get_visible(_documents(user), user, pk=document_id)
    version = document.versions.filter(pk=version_id).first()
    if version is None:
        raise Http404
    return file_response(version.file, name=version.file_name, content_type=version.mime_type)


@router.get(
    "/documents/{document_id}/distributions",
    response={200: list[DistributionOut], **READ_ERRORS},
)
def list_distributions(request: HttpRequest, document_id: int) -> list[Any]:
    user = current_user(request)
    document = get_visible(_documents(user), user, pk=document_id)
    return selectors.distributions_of(document, user)


@router.post(
    "/documents/{document_id}/distributions",
    response={201: DistributionOut, **WRITE_ERRORS},
    description="Send the document: the audience is expanded to organizations now.",
)
def send_document(request: HttpRequest, document_id: int, payload: DistributionIn) -> Status[Any]:
    user = current_user(request)
    document = get_changeable(_documents(user), user, pk=document_id)
    territory = referenced(
        Territory.objects.restrict(user, Action.VIEW), payload.territory, "territory"
    )
    distribution = services.distribution_send(
        document,
        user=user,
        organization_kinds=payload.organization_kinds,
        territory=territory,
        mode=payload.mode,
        deadline=payload.deadline,
        report_requested=payload.report_requested,
        message=payload.message,
    )
    found = [d for d in selectors.distributions_of(document, user) if d.pk == distribution.pk]
    return Status(201, found[0])


@router.post(
    "/documents/{document_id}/distributions/preview",
    response={200: DistributionPreviewOut, **WRITE_ERRORS},
)
def preview_distribution(
    request: HttpRequest, document_id: int, payload: DistributionPreviewIn
) -> dict[str, Any]:
    """The organizations a distribution of the document to this audience would reach, now
    (the send page's "Preview"); nothing is sent. For those who may send the document."""
    user = current_user(request)
    get_changeable(_documents(user), user, pk=document_id)
    territory = referenced(
        Territory.objects.restrict(user, Action.VIEW), payload.territory, "territory"
    )
    organizations = services.audience(payload.organization_kinds, territory, user=user)
    return {
        "count": organizations.count(),
        "organizations": list(organizations[:PREVIEW_LIMIT]),
    }


@router.get("/documents/{document_id}/tracking", response={200: TrackingOut, **READ_ERRORS})
def get_tracking(request: HttpRequest, document_id: int) -> dict[str, Any]:
    user = current_user(request)
    document = get_visible(_documents(user), user, pk=document_id)
    today = timezone.localdate()
    result = selectors.tracking(document, user, today)
    return {
        "total": _tally_out(result.total),
        "by_territory": [_tally_out(tally) for tally in result.by_territory],
        "by_kind": [_tally_out(tally) for tally in result.by_kind],
        "recipients": [_recipient_out(recipient, today) for recipient, _state in result.rows],
    }


@router.get("/acknowledgments", response=list[RecipientOut])
@paginate(Pagination)
def list_acknowledgments(request: HttpRequest) -> list[dict[str, Any]]:
    """The documents sent to the organizations the user acknowledges for, open ones first."""
    today = timezone.localdate()
    return [_recipient_out(r, today) for r in selectors.inbox(current_user(request))[:1000]]


@router.post(
    "/acknowledgments/{recipient_id}",
    response={200: RecipientOut, **WRITE_ERRORS},
    description="Multipart form: the optional `report` and up to a few `files`.",
)
def acknowledge_document(
    request: HttpRequest,
    recipient_id: int,
    payload: Form[AcknowledgeIn],
    files: File[list[UploadedFile] | None] = None,
) -> dict[str, Any]:
    user = current_user(request)
    recipient = _recipient(user, recipient_id)
    services.acknowledge(recipient, user=user, report=payload.report, uploads=files or [])
    return _recipient_out(recipient, timezone.localdate())


def _recipient(user: User, recipient_id: int) -> Recipient:
    return get_visible(
        Recipient.objects.select_related("distribution__document", "organization"),
        user,
        pk=recipient_id,
    )


@router.get(
    "/acknowledgments/{recipient_id}/files",
    response={200: list[AttachmentOut], **READ_ERRORS},
)
def list_acknowledgment_files(request: HttpRequest, recipient_id: int) -> list[dict[str, Any]]:
    """The files sent with an acknowledgment's report, to those who see the recipient."""
    recipient = _recipient(current_user(request), recipient_id)
    return [
        attachment_out(
            attachment,
            "download_acknowledgment_file",
            recipient_id=recipient.pk,
            file_id=attachment.pk,
        )
        for attachment in attachments_of([recipient])[recipient]
    ]


@router.get(
    "/acknowledgments/{recipient_id}/files/{file_id}",
    response=READ_ERRORS,
    openapi_extra=file_download(
        "The file, as uploaded with the report.", *dict.fromkeys(CONTENT_TYPES.values())
    ),
)
def download_acknowledgment_file(
    request: HttpRequest, recipient_id: int, file_id: int
) -> FileResponse:
    """A file of an acknowledgment's report (the page's download link)."""
    recipient = _recipient(current_user(request), recipient_id)
    return attachment_response(attachment_of(recipient, file_id))
