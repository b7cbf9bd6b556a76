"""Uploaded files are stored, size-limited and checked by their content, not their name.

A file is accepted only when its first bytes say it is what its extension claims: a PDF starts
with %PDF, an Office document is a ZIP holding the parts of that kind of document, an image has
its format's signature. A renamed executable or a text file called report.pdf is refused.

A file is stored inside `atomic_with_files()` with `store()`: if that transaction rolls back,
the file is deleted again, so that no file outlives its row.
"""

from __future__ import annotations

import logging
import unicodedata
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import Storage
from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

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
    head: bytes = upload.read(8)
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
    name, extension = name_of(upload)
    check_size(upload)
    check_type(upload, allowed)
    if not _content_matches(extension, upload):
        raise not_really(name)
    return CONTENT_TYPES[extension]


def name_of(upload: Any) -> tuple[str, str]:
    """An upload's file name (without any folder) and its extension in lower case."""
    name = PurePath(upload.name or "").name
    return name, PurePath(name).suffix.lower().lstrip(".")


def check_size(upload: Any) -> None:
    """Refuse an empty file and one larger than the limit."""
    name, _extension = name_of(upload)
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


def check_type(upload: Any, allowed: tuple[str, ...]) -> None:
    """Refuse a file whose extension is not one of `allowed`."""
    _name, extension = name_of(upload)
    if extension not in allowed:
        raise ValidationError(
            _("Files of type .%(extension)s are not accepted; send one of: %(allowed)s."),
            params={"extension": extension or "?", "allowed": ", ".join(allowed)},
        )


def not_really(name: str) -> ValidationError:
    """The error for a file whose content is not what its extension claims."""
    extension = PurePath(name).suffix.lower().lstrip(".")
    return ValidationError(
        _("The file %(name)s is not really a .%(extension)s file: its content says otherwise."),
        params={"name": name, "extension": extension},
    )


def original_name(name: str | None, *, max_length: int = 200) -> str:
    """The name the sender gave a file, without folders or control characters, cut to
    `max_length` with its extension kept: safe to store and to send back in a header."""
    name = str(name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(char for char in name if unicodedata.category(char)[0] != "C").strip()
    if len(name) > max_length:
        suffix = PurePath(name).suffix[:20]
        name = name[: max_length - len(suffix)] + suffix
    return name or "file"


# The files stored inside the innermost atomic_with_files() block of this thread (or task).
_written: ContextVar[list[tuple[Storage, str]] | None] = ContextVar("kense_files", default=None)


@contextmanager
def atomic_with_files(using: str | None = None) -> Iterator[None]:
    """`transaction.atomic()` that also deletes the files `store()` wrote inside it when it
    rolls back. A service that stores files runs in it instead of `transaction.atomic`
    (`@atomic_with_files()`), so that a refusal after the file is written (a later validation
    error, a second upload failing) leaves neither the row nor the file."""
    # Why: storage is not transactional and Django has no on_rollback to pair on_commit. The
    # block that rolls back knows it: an exception leaving it, or transaction.set_rollback()
    # inside it. So each block keeps the names written inside it and deletes them then. A block
    # that succeeds hands its names to the enclosing block, which may still roll back (a
    # savepoint released is not yet committed). A rollback by a plain transaction.atomic around
    # this block is not seen: what wraps a service that stores files uses this block too.
    parent = _written.get()
    written: list[tuple[Storage, str]] = []
    token = _written.set(written)
    try:
        with transaction.atomic(using=using):
            yield
            rolled_back = transaction.get_rollback(using=using)
    except BaseException:
        _delete(written)
        raise
    finally:
        _written.reset(token)
    if rolled_back:
        _delete(written)
    elif parent is not None:
        parent.extend(written)


def store(field_file: FieldFile, name: str, content: Any) -> str:
    """Write `content` to the field's storage (the storage may change the name; the name it
    used is returned), to be deleted if the enclosing atomic_with_files() rolls back."""
    written = _written.get()
    if written is None:
        raise RuntimeError("store() writes a file only inside atomic_with_files().")
    field_file.save(name, content, save=False)
    written.append((field_file.storage, field_file.name or ""))
    return field_file.name or ""


def _delete(written: list[tuple[Storage, str]]) -> None:
    for storage, name in written:
        try:
            storage.delete(name)
        except OSError:
            # The rollback itself must not fail for this: the file is only left behind.
            logger.exception("A file of a rolled-back transaction could not be deleted: %s", name)
