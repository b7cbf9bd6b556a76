"""What every import of past records shares (`POST /api/v1/imports/…`): who may record the
past, the reason written on every history row the import makes, and the checks of the dates
it gives.

A region that starts using Kense loads its earlier years: meetings already held, assignments
given and done in 2020, guidelines acknowledged then. The normal services stamp their dates
with the server's now; an import gives them. Every object it writes is recorded in history as
imported, by the user who imported it, so an imported record is never mistaken for one typed
at the time.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Annotated, Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import models, transaction
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from pydantic import AfterValidator
from simple_history.signals import pre_create_historical_record

from kense.core.api import input_names
from kense.core.permissions import Actor, Role, scope_of

# Stored untranslated on the history row (the row outlives the importer's language) and
# translated where the history is read (kense.core.history.history_entries).
IMPORTED = gettext_noop("Imported")

# Only they may write the past: an import bypasses the workflow's own dates and steps.
IMPORT_ROLES = {Role.ADMINISTRATOR, Role.PROJECT_OFFICE}

IN_THE_FUTURE = _("This date is in the future: an import records what has already happened.")

# The years a record of the past can be dated in: a year out of them is a typing error, and
# one at the edge of the calendar cannot even be moved to local time.
FIRST_YEAR, LAST_YEAR = 1900, 2999


def _moment(value: datetime.datetime) -> datetime.datetime:
    """A moment given without its offset is one of the region's local time (as the pages
    read it); a year out of FIRST_YEAR…LAST_YEAR is no date to import."""
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValueError("year out of range")
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value


# A moment of an import's input: compared with others, so always with its offset.
Moment = Annotated[datetime.datetime, AfterValidator(_moment)]


def _day(value: datetime.date) -> datetime.date:
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValueError("year out of range")
    return value


Day = Annotated[datetime.date, AfterValidator(_day)]

_REASON: ContextVar[str | None] = ContextVar("history_reason", default=None)


def require_import(user: Actor) -> None:
    """403 unless the user may import past records (the administrator and the project office;
    the office only within its scope, which each write checks as usual)."""
    if scope_of(user).role not in IMPORT_ROLES:
        raise PermissionDenied


@contextmanager
def importing() -> Iterator[None]:
    """One transaction in which every history row written is marked as imported (unless the
    save gives a reason of its own): all of an import or nothing of it."""
    token = _REASON.set(IMPORTED)
    try:
        with transaction.atomic():
            yield
    finally:
        _REASON.reset(token)


@receiver(pre_create_historical_record)
def _mark_imported(sender: Any, history_instance: Any, **kwargs: Any) -> None:
    reason = _REASON.get()
    if reason is not None and not history_instance.history_change_reason:
        history_instance.history_change_reason = reason


def past(value: datetime.datetime | None, field: str, errors: dict[str, Any]) -> None:
    """Note under `field` a date later than now (nothing imported has happened yet)."""
    if value is not None and value > timezone.now():
        errors.setdefault(field, []).append(IN_THE_FUTURE)


@contextmanager
def under(path: str, model: type[models.Model]) -> Iterator[None]:
    """A nested object's errors under its path in the input (`items.2.title_kk`)."""
    try:
        with input_names(model):
            yield
    except ValidationError as error:
        if not hasattr(error, "error_dict"):
            raise ValidationError({path: error.messages}) from error
        raise ValidationError(
            {
                path if field == NON_FIELD_ERRORS else f"{path}.{field}": messages
                for field, messages in error.message_dict.items()
            }
        ) from error
