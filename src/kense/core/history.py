"""The audit trail as a person reads it: who changed what, when, from what to what."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

CHANGE_LABELS = {"+": _("created"), "~": _("changed"), "-": _("deleted")}


@dataclass
class FieldChange:
    label: str
    old: Any
    new: Any
    # For relations: (model, ids) to resolve into names once for the whole page.
    related: type[models.Model] | None = None


@dataclass
class HistoryEntry:
    history_id: int
    date: Any
    user: Any
    kind: str
    reason: str
    changes: list[FieldChange] = field(default_factory=list)
    created: bool = False


def _related_ids(model: type[models.Model], name: str, value: Any) -> Any:
    """A foreign key's id, or the target ids of an m2m history value ([{"project": 1,
    "organization": 3}, …] → [3, …])."""
    if isinstance(value, list):
        source = model._meta.model_name
        return sorted(
            next((v for k, v in row.items() if k != source), None)
            for row in value
            if isinstance(row, dict)
        )
    return value


def _describe(model: type[models.Model], change: Any) -> FieldChange:
    try:
        model_field = model._meta.get_field(change.field)
    except Exception:  # a field removed since: show its name and raw values
        return FieldChange(label=change.field, old=change.old, new=change.new)
    label = str(getattr(model_field, "verbose_name", change.field))
    if model_field.is_relation and model_field.related_model is not None:
        return FieldChange(
            label=label,
            old=_related_ids(model, change.field, change.old),
            new=_related_ids(model, change.field, change.new),
            related=model_field.related_model,  # type: ignore[arg-type]
        )
    choices = getattr(model_field, "flatchoices", None)
    if choices:
        names = dict(choices)
        return FieldChange(
            label, names.get(change.old, change.old), names.get(change.new, change.new)
        )
    if isinstance(change.new, list) or isinstance(change.old, list):
        return FieldChange(
            label, ", ".join(map(str, change.old or [])), ", ".join(map(str, change.new or []))
        )
    return FieldChange(label, change.old, change.new)


def _resolve_names(entries: list[HistoryEntry]) -> None:
    """Replace related ids by names, one query per related model for the whole history."""
    wanted: dict[type[models.Model], set[Any]] = defaultdict(set)
    for entry in entries:
        for change in entry.changes:
            if change.related is not None:
                for value in (change.old, change.new):
                    ids = value if isinstance(value, list) else [value]
                    wanted[change.related].update(i for i in ids if i is not None)
    names = {
        related: {obj.pk: str(obj) for obj in related._default_manager.filter(pk__in=ids)}
        for related, ids in wanted.items()
    }
    for entry in entries:
        for change in entry.changes:
            if change.related is None:
                continue
            table = names.get(change.related, {})
            for attr in ("old", "new"):
                value = getattr(change, attr)
                if isinstance(value, list):
                    setattr(change, attr, ", ".join(table.get(i, f"#{i}") for i in value))
                elif value is not None:
                    setattr(change, attr, table.get(value, f"#{value}"))


def history_entries(obj: Any, limit: int = 50) -> list[HistoryEntry]:
    """The object's versions, newest first, each with its differences from the one before,
    related objects named (a deleted one as #id)."""
    records = list(
        obj.history.select_related("history_user").order_by("-history_date", "-history_id")[
            : limit + 1
        ]
    )
    model = type(obj)
    entries = []
    for index, record in enumerate(records[:limit]):
        previous = records[index + 1] if index + 1 < len(records) else None
        entry = HistoryEntry(
            history_id=record.history_id,
            date=record.history_date,
            user=record.history_user,
            kind=str(CHANGE_LABELS.get(record.history_type, record.history_type)),
            reason=record.history_change_reason or "",
            created=record.history_type == "+",
        )
        if previous is not None:
            delta = record.diff_against(previous, foreign_keys_are_objs=False)
            entry.changes = [_describe(model, change) for change in delta.changes]
        entries.append(entry)
    _resolve_names(entries)
    return entries
