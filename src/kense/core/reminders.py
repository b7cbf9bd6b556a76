"""Reminders and digests by e-mail, each sent exactly once and kept in a log: the engine.

The domain apps say what to remind about, to whom, with which template, and in which log
(`assignments.Reminder`, `documents.DocumentReminder`); this module sends. The worker runs
their reminders every day (`kense.core.daily`); each takes `today` so tests (and a late run)
can say which day it is for, and each may run any number of times.

Exactly once: every letter is a row of its log whose unique key (for instance kind,
assignment, recipient, key) names it. The row is inserted *first*, in the same transaction
that saves the letter in the outbox (`send_templated_email`; its delivery is enqueued on
commit, and `kense.core.mail` delivers each saved letter once, even when the worker is killed
in the middle, so a logged letter is never left unsent). A second
run — or a second worker at the same moment — fails that insert on the unique constraint and
skips the letter: on PostgreSQL the second insert waits for the first transaction and then
fails; on SQLite the transactions are serialized (BEGIN IMMEDIATE). A rolled-back letter
leaves no row, so the next run tries again. The savepoint around the insert keeps the
surrounding transaction usable after the IntegrityError.

Reading the log first (`already_sent`) only spares a failing insert per letter and day; the
unique constraint alone decides a race.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.urls import reverse
from django.utils import translation

from kense.core.mail import send_templated_email

logger = logging.getLogger(__name__)


class Addressee(Protocol):
    """Whom a letter goes to, as the engine needs to know them (kense.accounts' User is one)."""

    @property
    def email(self) -> str: ...

    @property
    def language(self) -> str: ...


# --- settings -------------------------------------------------------------------------------


def days_before() -> tuple[int, ...]:
    """How many days before a deadline people are reminded, largest first
    (KENSE_REMINDER_DAYS_BEFORE)."""
    configured = getattr(settings, "KENSE_REMINDER_DAYS_BEFORE", (3, 1))
    return tuple(sorted({int(day) for day in configured if int(day) > 0}, reverse=True))


def deadline_letter(
    deadline: datetime.date | None, today: datetime.date, *, on_the_day: str = "due"
) -> tuple[str, str, int] | None:
    """(kind, key, days) of the letter due today about a deadline, if any: "before" N days
    before it (N in `days_before()`), `on_the_day` on the day itself ("due", or "before" for
    a log that has no day-of letter), and "overdue" once it has passed.

    Every key starts with the deadline: after an extension the new deadline has its own
    letters, and "overdue" goes once per deadline however long it stays overdue.
    """
    if deadline is None:
        return None
    days = (deadline - today).days
    if days < 0:
        return "overdue", deadline.isoformat(), -days
    if days == 0 and on_the_day == "due":
        return "due", deadline.isoformat(), 0
    if days in days_before() or days == 0:
        return "before", f"{deadline.isoformat()}:{days}", days
    return None


def base_url() -> str:
    """Where Kense is served (KENSE_BASE_URL), without a trailing slash: letters carry
    absolute links, and the worker has no request to build them from."""
    return str(getattr(settings, "KENSE_BASE_URL", "http://127.0.0.1:8000")).rstrip("/")


def language_of(user: Addressee) -> str:
    """The language a user's letters and links are in: their own, else the site's."""
    return user.language or settings.LANGUAGE_CODE


def page_url(name: str, args: Sequence[Any], language: str) -> str:
    """The absolute address of the page `name` (a URL name such as
    "assignments:assignment_detail") under the language's prefix: "…/kk/assignments/7/"."""
    with translation.override(language):
        return base_url() + reverse(name, args=list(args))


# --- sending once ---------------------------------------------------------------------------


def send_once(
    log: type[models.Model],
    *,
    key: Mapping[str, Any],
    to: Addressee,
    template: str,
    context: dict[str, Any],
) -> bool:
    """Insert the letter's row into `log` and queue the letter, in one transaction; False
    when it was already sent (or failed).

    `key` gives the values of the log's unique key (field names as on the model, objects or
    None for foreign keys); the row also stores the address, so `log` has an `email` field.
    The letter is `template` (`<template>_subject.txt` and `_body.txt`) rendered with
    `context` in the recipient's language, to their address.

    A letter that fails to render or queue is logged and skipped (its row rolls back, so the
    next run tries again): one bad letter must not stop everybody else's.
    """
    try:
        with transaction.atomic():
            try:
                with transaction.atomic():  # a savepoint: the IntegrityError is recoverable
                    log._default_manager.create(**key, email=to.email)
            except IntegrityError:
                return False
            send_templated_email(
                to=[to.email], template=template, context=context, language=language_of(to)
            )
    except Exception:
        logger.exception("The letter %s %s to %s was not sent.", template, dict(key), to.email)
        return False
    return True


def already_sent(rows: models.QuerySet[Any], fields: Sequence[str]) -> set[tuple[Any, ...]]:
    """The keys (`fields`, e.g. "kind", "assignment_id", …) of the letters among `rows` of a
    log, to skip them without a failing insert each day; the unique constraint still
    decides a race."""
    return set(rows.values_list(*fields))
