"""The audit trail as a person reads it: who changed what, when, from what to what."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

CHANGE_LABELS = {"+": _("created"), "~": _("changed"), "-": _("deleted")}


@dataclass
class FieldChange:
    label: str
    old: Any
    new: Any


@dataclass
class HistoryEntry:
    history_id: int
    date: Any
    user: Any
    kind: str
    reason: str
    changes: list[FieldChange]


def _display(model: type[models.Model], field_name: str, value: Any) -> Any:
    try:
        field = model._meta.get_field(field_name)
    except Exception:  # m2m history rows and unknown fields are shown as they are
        return value
    choices = getattr(field, "flatchoices", None)
    if choices:
        return dict(choices).get(value, value)
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return value


def history_entries(obj: Any, limit: int = 50) -> list[HistoryEntry]:
    """The object's versions, newest first, each with its differences from the one before.

    Two queries: the versions (with their users) and nothing else; differences are computed
    in Python between neighbouring versions.
    """
    records = list(
        obj.history.select_related("history_user").order_by("-history_date", "-history_id")[
            : limit + 1
        ]
    )  # type: ignore[attr-defined]
    model = type(obj)
    entries = []
    for index, record in enumerate(records[:limit]):
        previous = records[index + 1] if index + 1 < len(records) else None
        changes: list[FieldChange] = []
        if previous is not None:
            delta = record.diff_against(previous, foreign_keys_are_objs=False)
            for change in delta.changes:
                try:
                    field = model._meta.get_field(change.field)
                    label = str(getattr(field, "verbose_name", change.field))
                except Exception:  # a field removed since: show its name
                    label = change.field
                changes.append(
                    FieldChange(
                        label=label,
                        old=_display(model, change.field, change.old),
                        new=_display(model, change.field, change.new),
                    )
                )
        entries.append(
            HistoryEntry(
                history_id=record.history_id,
                date=record.history_date,
                user=record.history_user,
                kind=str(CHANGE_LABELS.get(record.history_type, record.history_type)),
                reason=record.history_change_reason or "",
                changes=changes,
            )
        )
    return entries
