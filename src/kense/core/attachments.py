"""Files attached to things (an agenda item, an idea, an execution report…): the one way to
attach them, to list them, to find one and to send it.

Core knows no domain app: a target is any saved model instance. The caller decides who may
attach to a target and who sees it (through its app's scope); this module only promises that
an attachment is found through its target, never by its id alone.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, TypeVar

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q, QuerySet
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404
from django.utils.translation import gettext_lazy as _

from kense.core.files import atomic_with_files, check_upload, original_name, store
from kense.core.models import Attachment

if TYPE_CHECKING:
    from kense.core.permissions import Account

T = TypeVar("T", bound=models.Model)


def attach(
    target: models.Model,
    uploads: Iterable[Any],
    *,
    user: Account,
    field: str = "attachments",
    max_files: int | None = None,
) -> list[Attachment]:
    """Attach the uploaded files to `target`, in the order given, uploaded by `user`.

    Every file is checked by its content first (core/files.py); the refusals are raised
    together as one ValidationError under `field`, in the user's language, and nothing is
    stored. Then each file is stored with its row, all or nothing: if anything fails, or the
    caller's atomic_with_files() rolls back later, neither rows nor files remain. The caller
    has checked that the user may attach to the target.
    """
    uploads = list(uploads)
    if max_files is not None and len(uploads) > max_files:
        raise ValidationError(
            {
                field: ValidationError(
                    _("Attach at most %(count)s files."), params={"count": max_files}
                )
            }
        )
    checked, errors = [], []
    for upload in uploads:
        try:
            checked.append((upload, check_upload(upload)))
        except ValidationError as error:
            errors.extend(error.error_list)
    if errors:
        raise ValidationError({field: errors})
    if not checked:
        return []
    content_type = ContentType.objects.get_for_model(target)
    attachments = []
    with atomic_with_files():
        for upload, mime_type in checked:
            name = original_name(upload.name)
            attachment = Attachment(
                content_type=content_type,
                object_id=target.pk,
                name=name,
                mime_type=mime_type,
                size=upload.size,
                uploaded_by=user,
            )
            store(attachment.file, name, upload)
            attachment.save()
            attachments.append(attachment)
    return attachments


def attachments_of(targets: Iterable[T]) -> dict[T, list[Attachment]]:
    """The attachments of each target, oldest first, in one query (none for no targets);
    every target is a key, with an empty list when it has no files. Targets may be of
    different models."""
    targets = list(targets)
    found: dict[T, list[Attachment]] = {target: [] for target in targets}
    if not targets:
        return found
    by_model: dict[type[models.Model], list[T]] = defaultdict(list)
    for target in targets:
        by_model[type(target)].append(target)
    content_types = ContentType.objects.get_for_models(*by_model)
    where = Q()
    by_key: dict[tuple[int, Any], T] = {}
    for model, of_model in by_model.items():
        content_type = content_types[model]
        where |= Q(content_type=content_type, object_id__in=[t.pk for t in of_model])
        by_key.update({(content_type.pk, t.pk): t for t in of_model})
    for attachment in Attachment.objects.filter(where).order_by("uploaded_at", "pk"):
        target = by_key[(attachment.content_type_id, attachment.object_id)]
        found[target].append(attachment)
    return found


def attachment_of(targets: models.Model | QuerySet[Any], pk: int) -> Attachment:
    """The attachment `pk` of the target, or of one of the targets a queryset holds; 404 for an
    attachment of anything else. The caller found the target, or built the queryset, through
    the user's scope."""
    if isinstance(targets, QuerySet):
        content_type = ContentType.objects.get_for_model(targets.model)
        where = Q(content_type=content_type, object_id__in=targets.values("pk"))
    else:
        where = Q(content_type=ContentType.objects.get_for_model(targets), object_id=targets.pk)
    try:
        return Attachment.objects.get(where, pk=pk)
    except Attachment.DoesNotExist as error:
        raise Http404 from error


def file_response(file: FieldFile, *, name: str, content_type: str) -> FileResponse:
    """A stored file sent as a download under its original name.

    The headers keep the browser from treating it as a page of ours: always a download
    (Content-Disposition, with the name quoted or RFC 5987-encoded by Django), the content type
    checked at upload and no sniffing, no script or plugin should it be opened inline, and no
    copy in a shared cache (the file is only for those who see its target).
    """
    response = FileResponse(
        file.open("rb"),
        as_attachment=True,
        filename=original_name(name),
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    # Set here, the page policy of the CSP middleware is not applied over it.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private"
    return response


def attachment_response(attachment: Attachment) -> FileResponse:
    """The attachment as a download (see file_response)."""
    return file_response(attachment.file, name=attachment.name, content_type=attachment.mime_type)


# A photo is a picture: checked by its content, as every upload is (kense.core.files). The
# photos of a sacred site or of an event are its attachments under this field's name.
PHOTO_EXTENSIONS = ("jpg", "jpeg", "png")
MAX_PHOTOS_AT_ONCE = 10
PHOTOS = "photos"


def check_photos(uploads: Iterable[Any]) -> list[Any]:
    """The uploads, each checked to be a JPEG or PNG picture by its content; ValidationError
    under "photos" naming every refused file otherwise."""
    uploads = list(uploads)
    errors: list[ValidationError] = []
    for upload in uploads:
        try:
            check_upload(upload, allowed=PHOTO_EXTENSIONS)
        except ValidationError as error:
            errors.extend(error.error_list)
    if errors:
        raise ValidationError({PHOTOS: errors})
    return uploads


def photos_add(target: models.Model, *, user: Account, photos: Iterable[Any]) -> list[Attachment]:
    """Add photos (JPEG or PNG, checked by content) to a thing the user may change (a sacred
    site, an event): 403 otherwise; ValidationError under "photos" for a refused file, and then
    none is stored. The thing itself is not saved again, so its history gains no empty change."""
    from kense.core.permissions import Action, require

    require(user, Action.CHANGE, target)
    return attach(
        target, check_photos(photos), user=user, field=PHOTOS, max_files=MAX_PHOTOS_AT_ONCE
    )
