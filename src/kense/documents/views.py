"""Library pages: parse, call a selector or a service, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kense.accounts.auth import AuthenticatedRequest
from kense.core.attachments import (
    attachment_of,
    attachment_response,
    attachments_of,
    file_response,
)
from kense.core.forms import OUT_OF_SCOPE, attach_errors, handle_form, object_for_edit
from kense.core.lists import Column, ListSpec, render_list
from kense.core.permissions import Action, can, can_add, get_visible, require
from kense.documents import selectors, services
from kense.documents.filters import DocumentFilters
from kense.documents.forms import (
    AcknowledgeForm,
    DistributionForm,
    DocumentForm,
    VersionForm,
)
from kense.documents.models import Document, DocumentVersion, Recipient

# How many organizations the send page lists in its preview; the rest is counted.
PREVIEW_LIMIT = 200


def _document(request: AuthenticatedRequest, pk: int, *, change: bool = False) -> Document:
    document = get_visible(
        Document.objects.select_related("author_person", "author_organization"),
        request.user,
        pk=pk,
    )
    if change:
        require(request.user, Action.CHANGE, document)
    return document


@login_required
def library(request: AuthenticatedRequest) -> HttpResponse:
    links = [(_("To acknowledge"), reverse("documents:inbox"))]
    spec = ListSpec(
        title=_("Documents"),
        columns=[
            Column(_("Title"), lambda d: d.title, link=True),
            Column(_("Type"), lambda d: d.get_kind_display()),
            Column(_("Author"), lambda d: d.author),
            Column(_("Created"), lambda d: timezone.localdate(d.created_at)),
        ],
        rows=selectors.document_list,
        filters=DocumentFilters,
        export_name="documents",
        add_url=reverse("documents:document_add") if can_add(request.user, Document) else None,
        links=links,
    )
    return render_list(request, spec)


@login_required
def document_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    document = _document(request, pk)
    context = {
        "document": document,
        "versions": selectors.versions_of(document),
        "distributions": selectors.distributions_of(document, request.user),
        "can_change": can(request.user, Action.CHANGE, document),
    }
    return render(request, "documents/document_detail.html", context)


@login_required
def document_edit(request: AuthenticatedRequest, pk: int | None = None) -> HttpResponse:
    document = object_for_edit(request, Document, pk)
    form = DocumentForm(request.POST or None, instance=document, user=request.user)
    return handle_form(
        request,
        form,
        lambda form: services.document_save(form.instance, user=request.user),
        title=_("Edit document") if pk else _("New document"),
        cancel_url=document.get_absolute_url() if pk else reverse("documents:library"),
    )


@login_required
def version_upload(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    document = _document(request, pk, change=True)
    form = VersionForm(request.POST or None, request.FILES or None)
    return handle_form(
        request,
        form,
        lambda form: (
            services.version_add(
                document,
                user=request.user,
                upload=form.cleaned_data["file"],
                language=form.cleaned_data["language"],
                change_note=form.cleaned_data["change_note"],
            ).document
        ),
        title=_("New version of “%(title)s”") % {"title": document.title},
        cancel_url=document.get_absolute_url(),
        success_message=_("The version is uploaded."),
    )


@login_required
def version_download(request: AuthenticatedRequest, pk: int, version_pk: int) -> FileResponse:
    document = _document(request, pk)
    try:
        version = document.versions.get(pk=version_pk)
    except DocumentVersion.DoesNotExist as error:
        raise Http404 from error
    return file_response(version.file, name=version.file_name, content_type=version.mime_type)


@login_required
def distribution_send(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The audience form; "Preview" lists the organizations it reaches, "Send" sends."""
    document = _document(request, pk, change=True)
    form = DistributionForm(request.POST or None, user=request.user)
    preview: list[Any] | None = None
    preview_count = 0
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if "preview" in request.POST:
            organizations = services.audience(
                data["organization_kinds"], data["territory"], user=request.user
            )
            preview = list(organizations[:PREVIEW_LIMIT])
            preview_count = organizations.count()
        else:
            try:
                distribution = services.distribution_send(
                    document,
                    user=request.user,
                    organization_kinds=data["organization_kinds"],
                    territory=data["territory"],
                    mode=data["mode"],
                    deadline=data["deadline"],
                    report_requested=data["report_requested"],
                    message=data["message"],
                )
            except ValidationError as error:
                attach_errors(form, error)
            except PermissionDenied:
                form.add_error(None, OUT_OF_SCOPE)
            else:
                messages.success(
                    request,
                    _("Sent to %(count)s organizations.")
                    % {"count": distribution.recipients.count()},
                )
                return redirect(reverse("documents:tracking", args=[document.pk]))
    context = {
        "document": document,
        "form": form,
        "preview": preview,
        "preview_count": preview_count,
        "preview_more": max(preview_count - PREVIEW_LIMIT, 0),
    }
    status = 400 if form.errors else 200
    return render(request, "documents/distribution_send.html", context, status=status)


@login_required
def inbox(request: AuthenticatedRequest) -> HttpResponse:
    recipients = list(selectors.inbox(request.user)[:500])
    today = timezone.localdate()
    rows = [(recipient, selectors.recipient_state(recipient, today)) for recipient in recipients]
    return render(request, "documents/inbox.html", {"rows": rows})


def _recipient(request: AuthenticatedRequest, pk: int) -> Recipient:
    return get_visible(
        Recipient.objects.select_related(
            "distribution__document", "organization", "acknowledged_by"
        ),
        request.user,
        pk=pk,
    )


@login_required
def acknowledge(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    recipient = _recipient(request, pk)
    may_acknowledge = recipient.acknowledged_at is None and can(
        request.user, Action.CHANGE, recipient
    )
    if request.method == "POST" and not may_acknowledge:
        raise PermissionDenied
    form = AcknowledgeForm(request.POST or None, request.FILES or None)
    document = recipient.distribution.document
    attachments = attachments_of([recipient])[recipient]
    return handle_form(
        request,
        form,
        lambda form: services.acknowledge(
            recipient,
            user=request.user,
            report=form.cleaned_data["report"],
            uploads=form.cleaned_data["attachments"],
        ),
        title=_("Acknowledge “%(title)s”") % {"title": document.title},
        cancel_url=reverse("documents:inbox"),
        success_message=_("Acknowledged."),
        template="documents/acknowledge.html",
        extra={
            "recipient": recipient,
            "document": document,
            "versions": selectors.versions_of(document),
            "attachments": attachments,
            "may_acknowledge": may_acknowledge,
        },
    )


@login_required
def report_attachment_download(
    request: AuthenticatedRequest, pk: int, attachment_pk: int
) -> FileResponse:
    """A file of an acknowledgment's report, to those who see the recipient."""
    recipient = _recipient(request, pk)
    return attachment_response(attachment_of(recipient, attachment_pk))


@login_required
def tracking(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    document = _document(request, pk)
    context = {
        "document": document,
        "tracking": selectors.tracking(document, request.user, timezone.localdate()),
    }
    return render(request, "documents/tracking.html", context)
