"""Uploaded files are stored, size-limited and checked by their content, not their name.

A file is accepted only when its first bytes say it is what its extension claims: a PDF starts
with %PDF, an Office document is a ZIP holding the parts of that kind of document, an image has
its format's signature. A renamed executable or a text file called report.pdf is refused.
"""

from __future__ import annotations

import zipfile
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

# extension → (content type, check of the content)
OFFICE_PARTS = {
    "docx": "word/document.xml",
    "xlsx": "xl/workbook.xml",
    "pptx": "ppt/presentation.xml",
}
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
}
ATTACHMENT_EXTENSIONS = tuple(CONTENT_TYPES)


def _content_matches(extension: str, upload: Any) -> bool:
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if extension == "pdf":
        return head.startswith(b"%PDF-")
    if extension == "png":
        return head.startswith(b"\x89PNG\r\n\x1a\n")
    if extension in ("jpg", "jpeg"):
        return head.startswith(b"\xff\xd8\xff")
    if extension in OFFICE_PARTS:
        if not head.startswith(b"PK\x03\x04"):
            return False
        try:
            with zipfile.ZipFile(upload) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            return False
        finally:
            upload.seek(0)
        return "[Content_Types].xml" in names and OFFICE_PARTS[extension] in names
    return False


def check_upload(upload: Any, *, allowed: tuple[str, ...] = ATTACHMENT_EXTENSIONS) -> str:
    """Validate an uploaded file; return its content type. Raises ValidationError with a
    message in the user's language naming what is wrong (size, type, content)."""
    name = PurePath(upload.name or "").name
    extension = PurePath(name).suffix.lower().lstrip(".")
    limit = settings.KENSE_ATTACHMENT_MAX_BYTES
    if upload.size == 0:
        raise ValidationError(_("The file %(name)s is empty."), params={"name": name})
    if upload.size > limit:
        raise ValidationError(
            _("The file %(name)s is %(size)s; the limit is %(limit)s."),
            params={
                "name": name,
                "size": filesizeformat(upload.size),
                "limit": filesizeformat(limit),
            },
        )
    if extension not in allowed:
        raise ValidationError(
            _("Files of type .%(extension)s are not accepted; send one of: %(allowed)s."),
            params={"extension": extension or "?", "allowed": ", ".join(allowed)},
        )
    if not _content_matches(extension, upload):
        raise ValidationError(
            _("The file %(name)s is not really a .%(extension)s file: its content says otherwise."),
            params={"name": name, "extension": extension},
        )
    return CONTENT_TYPES[extension]
