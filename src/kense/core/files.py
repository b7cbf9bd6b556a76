"""Uploaded files are stored, size-limited and checked by their content, not their name.

A file is accepted only when its first bytes say it is what its extension claims: a PDF starts
with %PDF, an Office document is a ZIP holding the parts of that kind of document, an image has
its format's signature. A renamed executable or a text file called report.pdf is refused.

An Office file is a ZIP archive, and a small one may unpack into gigabytes (a decompression
bomb): `check_archive` reads only its ZIP directory and refuses it before any reader opens it.

A file is stored inside `atomic_with_files()` with `store()`: if that transaction rolls back,
the file is deleted again, so that no file outlives its row.
"""

from __future__ import annotations

import logging
import unicodedata
import zipfile
from collections.abc import Callable, Iterator
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
            names = {member.filename for member in archive_members(upload)}
        except zipfile.BadZipFile:
            return False
        return "[Content_Types].xml" in names and OFFICE_PARTS[extension] in names
    return False


def check_upload(upload: Any, *, allowed: tuple[str, ...] = ATTACHMENT_EXTENSIONS) -> str:
    """Validate an uploaded file; return its content type. Raises ValidationError with a
    message in the user's language naming what is wrong (size, type, content, and for an
    Office file what it unpacks to: see check_archive)."""
    name, extension = name_of(upload)
    check_size(upload)
    check_type(upload, allowed)
    if not _content_matches(extension, upload):
        raise not_really(name)
    if extension in OFFICE_PARTS:
        check_archive(upload)
    return CONTENT_TYPES[extension]


def archive_members(upload: Any) -> list[zipfile.ZipInfo]:
    """The parts of a ZIP upload as its directory lists them; nothing is unpacked. Raises
    zipfile.BadZipFile when it is no ZIP archive."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            return archive.infolist()
    finally:
        upload.seek(0)


def check_archive(upload: Any, *, parsed_whole: Callable[[str], bool] | None = None) -> None:
    """Refuse a ZIP upload (an Office file) that would unpack into more than Kense reads safely:
    more parts than KENSE_ZIP_MAX_MEMBERS, more than KENSE_ZIP_MAX_BYTES in all or
    KENSE_ZIP_MAX_MEMBER_BYTES in one part, a part larger than KENSE_ZIP_RATIO_FROM_BYTES packed
    more than KENSE_ZIP_MAX_RATIO times (a decompression bomb), or, for the parts a reader will
    parse whole (`parsed_whole` names them), more than KENSE_ZIP_MAX_XML_BYTES of them together.
    Only the ZIP directory is read. Raises ValidationError in the user's language; a file that
    is no ZIP archive passes (the content checks refuse it)."""
    # The sizes are those the directory declares, and they are enough: Python's zipfile stops
    # unpacking a part at its declared size (and fails its CRC), so a part cannot lie bigger.
    name, _extension = name_of(upload)
    try:
        members = archive_members(upload)
    except zipfile.BadZipFile:
        return
    params: dict[str, Any] = {"name": name}
    if len(members) > settings.KENSE_ZIP_MAX_MEMBERS:
        raise ValidationError(
            _("The file %(name)s holds %(count)s parts; the limit is %(limit)s."),
            params={**params, "count": len(members), "limit": settings.KENSE_ZIP_MAX_MEMBERS},
        )
    total = sum(member.file_size for member in members)
    if total > settings.KENSE_ZIP_MAX_BYTES:
        raise _unpacks_to(name, total, settings.KENSE_ZIP_MAX_BYTES)
    for member in members:
        if member.file_size > settings.KENSE_ZIP_MAX_MEMBER_BYTES:
            raise _unpacks_to(name, member.file_size, settings.KENSE_ZIP_MAX_MEMBER_BYTES)
        ratio = member.file_size / max(member.compress_size, 1)
        if (
            member.file_size > settings.KENSE_ZIP_RATIO_FROM_BYTES
            and ratio > settings.KENSE_ZIP_MAX_RATIO
        ):
            raise ValidationError(
                _(
                    "The file %(name)s unpacks to %(ratio)s times its size (an ordinary "
                    "document: at most %(limit)s times), as a «zip bomb» does: it is not "
                    "opened. Save it again in Excel or Word and upload it again."
                ),
                params={**params, "ratio": int(ratio), "limit": settings.KENSE_ZIP_MAX_RATIO},
            )
    if parsed_whole is not None:
        parsed = sum(member.file_size for member in members if parsed_whole(member.filename))
        if parsed > settings.KENSE_ZIP_MAX_XML_BYTES:
            raise _unpacks_to(name, parsed, settings.KENSE_ZIP_MAX_XML_BYTES, text=True)


def _unpacks_to(name: str, size: int, limit: int, *, text: bool = False) -> ValidationError:
    message = (
        _("The text and layout of the file %(name)s unpack to %(size)s; the limit is %(limit)s.")
        if text
        else _("The file %(name)s unpacks to %(size)s; the limit is %(limit)s.")
    )
    return ValidationError(
        message,
        params={"name": name, "size": filesizeformat(size), "limit": filesizeformat(limit)},
    )


def is_xml(name: str) -> bool:
    """An Office part a reader parses as XML (content, styles, relationships)."""
    return name.endswith((".xml", ".rels", ".vml"))


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
