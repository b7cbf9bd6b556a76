"""Optimistic concurrency for every audited object: nobody's save silently overwrites another's.

An object's revision is the id of its latest history record (django-simple-history writes one
on every save, in the save's transaction), so no model carries a version field and every way of
saving (a page, the API, an import, a restore) moves it on. An edit page carries the revision it
was opened at in a hidden field (`kense.core.forms.handle_form`), an API client sends the ETag
it read as If-Match (`kense.core.api.revisions`); either becomes the instance's expectation
(`expect_revision`), which `kense.core.services.save_in_scope` checks while holding the
object's row: a save started from an older revision is refused with StaleRevision, which says
who saved in between, when, and what they changed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, TypeGuard

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kense.core.history import FieldChange, changes_since
from kense.text.kazakh import format_datetime

CHANGED_BY = _(
    "%(user)s saved this on %(date)s, while you were editing it. Your values are kept in the "
    "form: compare them with what was changed and save again."
)
CHANGED = _(
    "This was changed on %(date)s, while you were editing it. Your values are kept in the "
    "form: compare them with what was changed and save again."
)


@dataclass
class Expectation:
    """The revisions a save may start from (an If-Match may name several), and whether a save
    compared them (the API refuses an If-Match that nothing checked)."""

    revisions: frozenset[int]
    checked: bool = field(default=False)


class StaleRevision(ValidationError):
    """Someone saved the object since this editor read it. `revision` is the current one, to
    send with the next save; `changes` what changed since the revision the editor read."""

    def __init__(self, revision: int, record: Any, changes: list[FieldChange]) -> None:
        # In the Kazakh (or Russian) way of the active language: «2026 ж. 6 желтоқсан 13:24».
        date = format_datetime(timezone.localtime(record.history_date))
        if record.history_user is not None:
            user = str(record.history_user)
            super().__init__(CHANGED_BY, code="stale", params={"user": user, "date": date})
        else:
            super().__init__(CHANGED, code="stale", params={"date": date})
        self.revision = revision
        self.changes = changes


def is_audited(obj: object) -> TypeGuard[models.Model]:
    """A saved object whose model keeps a history, hence a revision."""
    return (
        isinstance(obj, models.Model)
        and obj.pk is not None
        and hasattr(type(obj), "history")
        and not obj._state.adding
    )


def _latest(obj: models.Model) -> Any:
    # simple-history adds `history` to the models it audits at run time: unknown to the type.
    return obj.history.order_by("-history_id").first()  # type: ignore[attr-defined]


def revision_of(obj: models.Model) -> int:
    """The object's current revision: its latest history record's id (0 before any)."""
    latest = _latest(obj)
    return latest.history_id if latest is not None else 0


def expect_revision(obj: models.Model, expected: Expectation | Iterable[int]) -> Expectation:
    """The next save of `obj` through save_in_scope must start from one of these revisions."""
    if not isinstance(expected, Expectation):
        expected = Expectation(frozenset(expected))
    obj._expected_revision = expected  # type: ignore[attr-defined]
    return expected


def check_revision(obj: models.Model) -> None:
    """Refuse (StaleRevision) a save of `obj` started from an older revision than its current
    one; nothing when no revision is expected. Call inside the save's transaction: the row
    stays locked until it commits, so of two editors who read the same revision the second
    waits here and then finds the first one's history record."""
    expected: Expectation | None = getattr(obj, "_expected_revision", None)
    if expected is None or not is_audited(obj):
        return
    # One expectation per save: a service saving the object twice checks the first save only.
    del obj._expected_revision  # type: ignore[attr-defined]
    list(type(obj)._base_manager.select_for_update().filter(pk=obj.pk).values_list("pk"))
    latest = _latest(obj)
    expected.checked = True
    # No history at all: loaded without auditing and never saved since, so nobody's change can
    # be lost (the first save writes the record the next editor's revision is compared with).
    if latest is None or latest.history_id in expected.revisions:
        return
    changes = changes_since(obj, max(expected.revisions), latest) if expected.revisions else []
    raise StaleRevision(latest.history_id, latest, changes)
