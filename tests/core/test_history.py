"""The history a user reads: what changed, not which language the last save was made in."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.utils import translation
from django.utils.functional import Promise

from factories import OrganizationFactory
from kense.core.history import changes_since, fields_not_compared, history_entries

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


def test_every_field_a_history_shows_has_a_name_in_the_readers_language() -> None:
    # A field without verbose_name is labelled by Django from its name ("Created at"): English
    # on a Kazakh page. Every field a history diff can show must be named for translation.
    unnamed = []
    for model in apps.get_models():
        if not hasattr(model, "history") or model.__name__.startswith("Historical"):
            continue
        kept = {field.name for field in model.history.model._meta.fields}
        shown = set(kept) - set(fields_not_compared(model, []))
        for field in model._meta.concrete_fields:
            if (
                field.name in shown
                and not field.primary_key
                and not isinstance(field.verbose_name, Promise)
            ):
                unnamed.append(f"{model._meta.label}.{field.name}")
    assert unnamed == []
