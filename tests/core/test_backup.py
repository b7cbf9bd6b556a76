"""kense_backup and kense_restore: a round trip gives back the data, its history and the files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from factories import OrganizationFactory
from kense.registry.models import Organization

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def media(tmp_path: Path, settings: Any) -> Path:
    root = tmp_path / "media"
    (root / "attachments").mkdir(parents=True)
    settings.MEDIA_ROOT = root
    return root


def test_a_restored_backup_gives_back_the_rows_their_history_and_the_files(
    tmp_path: Path, media: Path, capsys: Any
) -> None:
    kept = OrganizationFactory(name_kk="Қарағанды жастар ресурстық орталығы")
    kept.name_ru = "Молодёжный ресурсный центр"
    kept.save()
    (media / "attachments" / "report.pdf").write_bytes(b"%PDF-1.4 the report")
    history_before = kept.history.count()

    call_command("kense_backup", "--to", str(tmp_path / "backups"))
    folder = Path(capsys.readouterr().out.strip())
    # After the backup: a row added, one deleted, a file replaced, one added.
    OrganizationFactory(name_kk="Кейін қосылған")
    Organization.objects.filter(pk=kept.pk).delete()
    (media / "attachments" / "report.pdf").write_bytes(b"changed")
    (media / "attachments" / "later.pdf").write_bytes(b"later")

    with pytest.raises(CommandError, match="--yes"):
        call_command("kense_restore", str(folder))
    call_command("kense_restore", str(folder), "--yes")

    names = list(Organization.objects.values_list("name_kk", flat=True))
    assert names == ["Қарағанды жастар ресурстық орталығы"]
    restored = Organization.objects.get()
    assert restored.name_ru == "Молодёжный ресурсный центр"  # type: ignore[attr-defined]
    assert restored.history.count() == history_before
    assert (media / "attachments" / "report.pdf").read_bytes() == b"%PDF-1.4 the report"
    assert not (media / "attachments" / "later.pdf").exists()
    assert sorted(path.name for path in folder.iterdir()) == sorted(
        [
            "manifest.json",
            "media.tar.gz",
            "database.dump" if connection.vendor == "postgresql" else "database.sqlite3",
        ]
    )


def test_a_folder_that_is_not_a_backup_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="not a Kense backup"):
        call_command("kense_restore", str(tmp_path), "--yes")
