"""The one attachment mechanism (core/attachments.py): attach checks every file and stores
them all or none, a rollback leaves no file on disk, attachments are listed in one query and
found only through their target, and a download carries safe headers."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from unittest import mock
from urllib.parse import quote

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.http import Http404
from django.utils import translation

from factories import OrganizationFactory, TerritoryFactory, UserFactory
from kense.accounts.models import User
from kense.core.attachments import (
    attach,
    attachment_of,
    attachment_response,
    attachments_of,
)
from kense.core.files import atomic_with_files, original_name, store
from kense.core.models import Attachment
from kense.registry.models import Organization, Territory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% a report\n" + b"0" * 100
PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 100
EXE = b"MZ\x90\x00\x03\x00\x00\x00 this program cannot be run in DOS mode"


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT  # type: ignore[no-any-return]


@pytest.fixture
def user(db: Any) -> User:
    return UserFactory()  # type: ignore[no-any-return]


@pytest.fixture
def territory(db: Any) -> Territory:
    return TerritoryFactory()  # type: ignore[no-any-return]


def pdf(name: str = "report.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def stored(media: Path) -> list[Path]:
    return sorted(path for path in media.rglob("*") if path.is_file())


# attach


def test_attach_stores_each_file_with_its_original_name_and_checked_type(
    media: Path, user: User, territory: Territory
) -> None:
    png = SimpleUploadedFile("схема.png", PNG, content_type="application/octet-stream")

    first, second = attach(territory, [pdf("есеп.pdf"), png], user=user)

    assert [(a.name, a.mime_type, a.size) for a in (first, second)] == [
        ("есеп.pdf", "application/pdf", len(PDF)),
        ("схема.png", "image/png", len(PNG)),
    ]
    assert {a.target for a in Attachment.objects.all()} == {territory}
    assert first.uploaded_by == user
    assert [path.read_bytes() for path in stored(media)] == sorted([PDF, PNG])


def test_every_refused_file_is_named_at_once_and_nothing_is_stored(
    media: Path, user: User, territory: Territory
) -> None:
    renamed_exe = SimpleUploadedFile("setup.pdf", EXE)
    text = SimpleUploadedFile("notes.txt", b"some notes")

    with pytest.raises(ValidationError) as refused:
        attach(territory, [pdf(), renamed_exe, text], user=user, field="files")

    with translation.override("kk"):  # the messages are said in the language of the moment
        messages = refused.value.message_dict["files"]
        assert len(messages) == 2
        assert messages[0] == translation.gettext(
            "The file %(name)s is not really a .%(extension)s file: its content says otherwise."
        ) % {"name": "setup.pdf", "extension": "pdf"}
    assert not Attachment.objects.exists()
    assert stored(media) == []


def test_more_files_than_allowed_are_refused(media: Path, user: User, territory: Territory) -> None:
    with pytest.raises(ValidationError) as refused:
        attach(territory, [pdf(), pdf(), pdf()], user=user, max_files=2)

    with translation.override("en"):
        assert refused.value.message_dict == {"attachments": ["Attach at most 2 files."]}
    assert stored(media) == []


def test_no_uploads_attach_nothing(media: Path, user: User, territory: Territory) -> None:
    assert attach(territory, [], user=user) == []
    assert not Attachment.objects.exists()


# A rollback leaves no file on disk


def test_a_failing_second_file_leaves_neither_the_first_file_nor_its_row(
    media: Path, user: User, territory: Territory
) -> None:
    save = Attachment.save
    calls = 0

    def failing_second(self: Attachment, *args: Any, **kwargs: Any) -> None:
        nonlocal calls
        calls += 1
        if calls == 2:
            raise OSError("the disk is full")
        save(self, *args, **kwargs)

    with (
        mock.patch.object(Attachment, "save", failing_second),
        pytest.raises(OSError, match="disk is full"),
    ):
        attach(territory, [pdf("one.pdf"), pdf("two.pdf")], user=user)

    assert not Attachment.objects.exists()
    assert stored(media) == []


def test_a_later_error_in_the_callers_transaction_deletes_the_stored_files(
    media: Path, user: User, territory: Territory
) -> None:
    with pytest.raises(ValidationError), atomic_with_files():
        attach(territory, [pdf(), pdf()], user=user)
        assert len(stored(media)) == 2  # written before the commit
        raise ValidationError("A later check refuses the whole change.")

    assert not Attachment.objects.exists()
    assert stored(media) == []


def test_a_transaction_marked_for_rollback_deletes_the_stored_files(
    media: Path, user: User, territory: Territory
) -> None:
    with atomic_with_files():
        attach(territory, [pdf()], user=user)
        transaction.set_rollback(True)

    assert not Attachment.objects.exists()
    assert stored(media) == []


def test_files_of_an_inner_block_go_when_the_outer_block_rolls_back(
    media: Path, user: User, territory: Territory
) -> None:
    with pytest.raises(ZeroDivisionError), atomic_with_files():
        with atomic_with_files():
            attach(territory, [pdf()], user=user)
        assert len(stored(media)) == 1
        1 / 0  # noqa: B018

    assert stored(media) == []


def test_files_of_a_rolled_back_inner_block_go_while_the_outer_block_keeps_its_own(
    media: Path, user: User, territory: Territory
) -> None:
    with atomic_with_files():
        kept = attach(territory, [pdf("kept.pdf")], user=user)[0]
        try:
            with atomic_with_files():
                attach(territory, [pdf("dropped.pdf")], user=user)
                raise ValidationError("refused")
        except ValidationError:
            pass

    assert list(Attachment.objects.all()) == [kept]
    assert stored(media) == [media / kept.file.name]


def test_a_committed_file_stays(media: Path, user: User, territory: Territory) -> None:
    with atomic_with_files():
        attachment = attach(territory, [pdf()], user=user)[0]

    assert stored(media) == [media / attachment.file.name]


def test_a_file_is_stored_only_where_a_rollback_would_delete_it(
    media: Path, user: User, territory: Territory
) -> None:
    attachment = Attachment(content_type_id=1, object_id=1)

    with pytest.raises(RuntimeError):
        store(attachment.file, "report.pdf", pdf())
    assert stored(media) == []


# Listing and finding


def test_attachments_of_many_targets_of_two_models_in_one_query(
    media: Path, user: User, territory: Territory, django_assert_num_queries: Any
) -> None:
    other = TerritoryFactory()
    empty = TerritoryFactory()
    organization = OrganizationFactory()
    first = attach(territory, [pdf("1.pdf")], user=user)[0]
    second = attach(territory, [pdf("2.pdf")], user=user)[0]
    of_other = attach(other, [pdf("3.pdf")], user=user)[0]
    of_organization = attach(organization, [pdf("4.pdf")], user=user)[0]
    targets: list[Territory | Organization] = [territory, other, empty, organization]

    with django_assert_num_queries(1):
        found = attachments_of(targets)

    assert found == {
        territory: [first, second],
        other: [of_other],
        empty: [],
        organization: [of_organization],
    }
    with django_assert_num_queries(0):
        assert attachments_of([]) == {}


def test_an_attachment_is_found_only_through_its_target(
    media: Path, user: User, territory: Territory
) -> None:
    other = TerritoryFactory()
    mine = attach(territory, [pdf()], user=user)[0]
    theirs = attach(other, [pdf()], user=user)[0]
    # The same object id, of another model: not an attachment of the territory.
    of_organization = Attachment.objects.create(
        content_type=ContentType.objects.get_for_model(Organization),
        object_id=territory.pk,
        file="attachments/x.pdf",
        name="x.pdf",
        mime_type="application/pdf",
        size=1,
        uploaded_by=user,
    )

    assert attachment_of(territory, mine.pk) == mine
    assert attachment_of(Territory.objects.filter(pk=territory.pk), mine.pk) == mine
    for target, pk in [
        (territory, theirs.pk),
        (territory, of_organization.pk),
        (Territory.objects.filter(pk=territory.pk), theirs.pk),
        (Territory.objects.none(), mine.pk),
        (territory, 10**9),
    ]:
        with pytest.raises(Http404):
            attachment_of(target, pk)


# The download


def test_the_download_has_the_original_name_the_checked_type_and_safe_headers(
    media: Path, user: User, territory: Territory
) -> None:
    name = "Жоба «Туған жер».pdf"
    attachment = attach(territory, [pdf(name)], user=user)[0]

    response = attachment_response(attachment)

    assert b"".join(response.streaming_content) == PDF  # type: ignore[arg-type]
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == "attachment; filename*=utf-8''" + quote(name)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response["Cache-Control"] == "private"


def test_a_name_with_quotes_or_line_breaks_cannot_break_the_header(
    media: Path, user: User, territory: Territory
) -> None:
    attachment = attach(territory, [pdf("a.pdf")], user=user)[0]
    attachment.name = 'bad"\r\nSet-Cookie: x=1.pdf'

    response = attachment_response(attachment)

    assert response["Content-Disposition"] == ('attachment; filename="bad\\"Set-Cookie: x=1.pdf"')


def test_original_name_drops_folders_and_control_characters_and_keeps_the_extension() -> None:
    assert original_name("C:\\Users\\me\\есеп.pdf") == "есеп.pdf"
    assert original_name("../../etc/x\x00y.pdf") == "xy.pdf"
    assert original_name("") == "file"
    long = original_name("ұ" * 300 + ".docx")
    assert (len(long), long[-5:]) == (200, ".docx")
