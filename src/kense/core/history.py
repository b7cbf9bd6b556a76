"""The audit trail as a person reads it: who changed what, when, from what to what."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import models
from django.http import Http404
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.translator import NotRegistered, translator
from simple_history.utils import get_m2m_reverse_field_name

if TYPE_CHECKING:
    from kense.core.permissions import Account

CHANGE_LABELS = {"+": _("created"), "~": _("changed"), "-": _("deleted")}


def audit_as(instance: models.Model, user: Account | None, *, reason: str | None = None) -> None:
    """Who the next save of `instance` is recorded as on its history row (None: nobody, as for
    what the worker makes), and why when `reason` is given. These are the attributes
    django-simple-history reads, which the model's type does not declare."""
    instance._history_user = user  # type: ignore[attr-defined]
    if reason is not None:
        instance._change_reason = reason  # type: ignore[attr-defined]


def audited_object(model: type[models.Model] | None, user: Account, pk: int) -> models.Model:
    """The audited object of `model` with this pk as the user sees it (the history, comment and
    restore of pages and API take it): 404 for a model without history or without a scope,
    and for an object outside the user's scope."""
    from kense.core.permissions import get_visible

    if model is None or not hasattr(model, "history"):
        raise Http404
    rows = model._default_manager  # `objects`: a model's only manager
    if not hasattr(rows, "restrict"):
        raise Http404
    return get_visible(rows, user, pk=pk)


@dataclass
class FieldChange:
    label: str
    old: Any
    new: Any
    # For relations: (model, ids) to resolve into names once for the whole page.
    related: type[models.Model] | None = None
    name: str = ""  # the field's name, where a client needs it (the API's 412)


@dataclass
class HistoryEntry:
    history_id: int
    date: datetime.datetime
    user: Account | None  # None: made by the worker, or the account is gone
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
        return FieldChange(label=change.field, old=change.old, new=change.new, name=change.field)
    label = str(getattr(model_field, "verbose_name", change.field))
    if model_field.is_relation and model_field.related_model is not None:
        return FieldChange(
            label=label,
            old=_related_ids(model, change.field, change.old),
            new=_related_ids(model, change.field, change.new),
            related=model_field.related_model,
            name=change.field,
        )
    choices = getattr(model_field, "flatchoices", None)
    if choices:
        names = dict(choices)
        return FieldChange(
            label,
            names.get(change.old, change.old),
            names.get(change.new, change.new),
            name=change.field,
        )
    if isinstance(change.new, list) or isinstance(change.old, list):
        return FieldChange(
            label,
            ", ".join(map(str, change.old or [])),
            ", ".join(map(str, change.new or [])),
            name=change.field,
        )
    return FieldChange(label, change.old, change.new, name=change.field)


def _m2m_rows(
    history_model: Any, model: type[models.Model], names: list[str], records: list[Any]
) -> dict[tuple[str, int], list[Any]]:
    """Each version's many-to-many targets, one query per field for the whole history
    (simple-history's own diff runs two queries per field and pair of versions)."""
    rows: dict[tuple[str, int], list[Any]] = defaultdict(list)
    ids = [record.history_id for record in records]
    for name in names:
        through = getattr(history_model, name).model
        target = get_m2m_reverse_field_name(model._meta.get_field(name))
        pairs = through.objects.filter(history_id__in=ids).values_list("history_id", f"{target}_id")
        for history_id, target_id in pairs:
            rows[(name, history_id)].append(target_id)
    return rows


def _m2m_changes(
    model: type[models.Model],
    names: list[str],
    rows: dict[tuple[str, int], list[Any]],
    old: Any,
    new: Any,
) -> list[FieldChange]:
    changes = []
    for name in names:
        before = sorted(rows.get((name, old.history_id), []))
        after = sorted(rows.get((name, new.history_id), []))
        if before != after:
            field = model._meta.get_field(name)
            changes.append(
                FieldChange(
                    label=str(getattr(field, "verbose_name", name)),
                    old=before,
                    new=after,
                    related=field.related_model,
                    name=name,
                )
            )
    return changes


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


def fields_not_compared(model: type[models.Model], m2m: list[str]) -> list[str]:
    """Fields a diff leaves out: the many-to-many links (compared apart); the column behind
    each translated field (`name` beside name_kk, name_ru, name_en), which holds whichever
    language the last save was made in: a save in Russian is no change of the name; and the
    fields no one edits (editable=False: the folded search text, a calendar uid and sequence),
    Kense's own bookkeeping, which says nothing to a reader."""
    bookkeeping = [field.name for field in model._meta.concrete_fields if not field.editable]
    try:
        # `fields`: each translated field's name, with its per-language fields (untyped).
        translated = list(getattr(translator.get_options_for_model(model), "fields", {}))
    except NotRegistered:
        translated = []
    return [*m2m, *translated, *bookkeeping]


def changes_since(obj: models.Model, history_id: int, latest: Any) -> list[FieldChange]:
    """What changed in `obj` from its version `history_id` to its version `latest` (a history
    record), related objects named; nothing when `history_id` is not a version of `obj`."""
    versions = obj.history  # type: ignore[attr-defined]
    earlier = versions.filter(history_id=history_id).first()
    if earlier is None or earlier.history_id == latest.history_id:
        return []
    m2m = [field.name for field in getattr(versions.model, "_history_m2m_fields", [])]
    model = type(obj)
    rows = _m2m_rows(versions.model, model, m2m, [earlier, latest])
    delta = latest.diff_against(
        earlier, excluded_fields=fields_not_compared(model, m2m), foreign_keys_are_objs=False
    )
    entry = HistoryEntry(
        history_id=latest.history_id,
        date=latest.history_date,
        user=latest.history_user,
        kind="",
        reason="",
    )
    entry.changes += [_describe(model, change) for change in delta.changes]
    entry.changes += _m2m_changes(model, m2m, rows, earlier, latest)
    _resolve_names([entry])
    return entry.changes


def history_entries(obj: models.Model, limit: int = 50) -> list[HistoryEntry]:
    """The object's versions, newest first, each with its differences from the one before,
    related objects named (a deleted one as #id)."""
    # simple-history adds `history` to the models it audits at run time: unknown to the type.
    versions = obj.history  # type: ignore[attr-defined]
    history = versions.select_related("history_user__person")
    m2m = [field.name for field in getattr(versions.model, "_history_m2m_fields", [])]
    records = list(history.order_by("-history_date", "-history_id")[: limit + 1])
    model = type(obj)
    rows = _m2m_rows(versions.model, model, m2m, records)
    entries = []
    for index, record in enumerate(records[:limit]):
        previous = records[index + 1] if index + 1 < len(records) else None
        entry = HistoryEntry(
            history_id=record.history_id,
            date=record.history_date,
            user=record.history_user,
            kind=str(CHANGE_LABELS.get(record.history_type, record.history_type)),
            # A reason stored untranslated ("Imported", kense.core.imports) is read in the
            # reader's language; any other (a restore's "↺ #12") stays as written.
            reason=gettext(record.history_change_reason or ""),
            created=record.history_type == "+",
        )
        if previous is not None:
            delta = record.diff_against(
                previous,
                excluded_fields=fields_not_compared(model, m2m),
                foreign_keys_are_objs=False,
            )
            entry.changes = [_describe(model, change) for change in delta.changes]
            entry.changes += _m2m_changes(model, m2m, rows, previous, record)
        entries.append(entry)
    _resolve_names(entries)
    return entries
