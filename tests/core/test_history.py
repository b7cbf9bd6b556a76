"""The history a user reads: what changed, not which language the last save was made in."""

from __future__ import annotations

import pytest
from django.utils import translation

from factories import OrganizationFactory
from kense.core.history import changes_since, history_entries

pytestmark = pytest.mark.django_db


def test_a_save_in_another_language_changes_no_name() -> None:
    organization = OrganizationFactory(name_kk="Мәдениет басқармасы", name_ru="Управление культуры")
    first = organization.history.latest()
    with translation.override("ru"):
        organization.phone = "+7 7212 11 22 33"
        organization.save()
    latest = organization.history.latest()

    with translation.override("en"):
        changed = [str(change.label) for change in history_entries(organization)[0].changes]
        since = [
            str(change.label) for change in changes_since(organization, first.history_id, latest)
        ]

    assert changed == since == ["phone"]
