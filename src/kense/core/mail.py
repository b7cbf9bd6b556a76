"""One way to send mail: render in the recipient's language now, keep the letter in the outbox,
deliver it from the job queue, each letter once, even when the worker is killed or the
database restarts.

Rendering happens in the request (under `translation.override`) so the worker needs no
request context. The rendered letter is a row of the outbox (`core.Letter`) saved in the
caller's transaction: a rolled-back change leaves no letter, and a letter cannot get out of
step with what decided to send it (a reminder's log row and its letter commit together, see
`kense.core.reminders`). Its delivery job (`deliver_letter`) is enqueued on commit, so a slow
mail server never slows a page.

A delivery is a claim, a send and a mark (`deliver`):

1. one conditional UPDATE claims the letter (`claimed_at`, `attempts` + 1) only if it is unsent
   and unclaimed, or its claim is older than the lease (KENSE_LETTER_LEASE, 300 s: well above
   the send's timeout of 60 s, so a live delivery is never taken over). A job run twice, a
   job retried after its worker died, and the sweep below never both pass it;
2. the letter goes out with a Message-ID made from the letter, the same at every attempt;
3. `sent_at` is written, retried for about a minute while the database is away, so a
   database restart during the send does not make a delivered letter look unsent.

The worker (`kense.core.worker`) also runs the sweep, `deliver_due_letters`, every minute: it
delivers the letters the queue lost, those whose job was never enqueued (the process died
between the commit and the enqueue), died with its worker, or failed on the mail server; each
once its lease has passed, up to MAX_ATTEMPTS claims.

What no database can close: a worker killed after the mail server accepted a letter and
before `sent_at` is written (a few milliseconds) leaves the letter unmarked, and it goes again
after the lease, with the same Message-ID, by which mail servers and clients that deduplicate
drop the copy. Everything else (killed before or during the send, the job stuck RUNNING, the
enqueue lost, the database gone) ends with the letter sent exactly once.
"""

from __future__ import annotations

import base64
import datetime
import functools
import logging
import time
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import InterfaceError, OperationalError, connection, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django_tasks import task

from kense.core.models import Letter

logger = logging.getLogger(__name__)

# Claims of one letter before it is given up (it stays in the outbox, unsent).
MAX_ATTEMPTS = 10
# Seconds a send may take: the SMTP backend waits forever unless told (EMAIL_TIMEOUT).
SEND_TIMEOUT = 60
# Pauses between the tries to record a delivery while the database is away (about a minute).
MARK_PAUSES = (0.5, 1, 2, 4, 8, 15, 30)


def letter_lease() -> datetime.timedelta:
    """How long a delivery's claim keeps others away (KENSE_LETTER_LEASE, seconds)."""
    return datetime.timedelta(seconds=float(getattr(settings, "KENSE_LETTER_LEASE", 300)))


def send_templated_email(
    *,
    to: list[str],
    template: str,
    context: dict[str, Any],
    language: str,
    attachments: list[tuple[str, bytes, str]] | None = None,
) -> Letter:
    """Render `<template>_subject.txt` and `<template>_body.txt` in `language`, save the letter
    in the outbox in the current transaction, with the (filename, content, mimetype)
    `attachments` if any, and queue its delivery on commit. Returns the letter (a caller may
    keep it, as the notifications' delivery log does, to tell later whether it went)."""
    with translation.override(language):
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        body = render_to_string(f"{template}_body.txt", context)
    letter = Letter.objects.create(
        subject=subject,
        body=body,
        recipients=list(to),
        attachments=[
            [filename, base64.b64encode(content).decode("ascii"), mimetype]
            for filename, content, mimetype in attachments or ()
        ],
    )
    # robust: the change is committed whatever happens to the enqueue, and the sweep
    # delivers a letter whose job was never queued.
    transaction.on_commit(functools.partial(deliver_letter.enqueue, letter.pk), robust=True)
    return letter


@task()
def deliver_letter(letter_id: int) -> int:
    """The job: deliver one letter of the outbox, unless it went already or another delivery
    holds it. Returns how many messages went (0 or 1)."""
    return deliver(letter_id)


@task()
def deliver_email(
    subject: str,
    body: str,
    recipients: list[str],
    attachments: Sequence[Sequence[str]] | None = None,
) -> int:
    """The job of the letters queued before the outbox: kept so that an upgrade delivers
    them. Nothing enqueues it any more."""
    letter = Letter.objects.create(
        subject=subject,
        body=body,
        recipients=recipients,
        attachments=[list(attachment) for attachment in attachments or ()],
    )
    return deliver(letter.pk)


def _deliverable(now: datetime.datetime) -> Q:
    """Letters a delivery may claim at `now`: unsent, not given up, and unclaimed or with a
    claim older than the lease."""
    return Q(sent_at=None, attempts__lt=MAX_ATTEMPTS) & (
        Q(claimed_at=None) | Q(claimed_at__lt=now - letter_lease())
    )


def deliver(letter_id: int) -> int:
    """Claim, send and mark the letter (see the module's docstring); 0 when it is not ours to
    send. An error of the mail server propagates and leaves the letter claimed, so it is
    tried again after the lease."""
    now = timezone.now()
    claimed = Letter.objects.filter(_deliverable(now), pk=letter_id).update(
        claimed_at=now, attempts=F("attempts") + 1
    )
    if not claimed:
        return 0
    letter = Letter.objects.get(pk=letter_id)
    sent = message_of(letter).send()
    _mark_sent(letter_id)
    return sent


def message_of(letter: Letter) -> EmailMultiAlternatives:
    """The letter as a message, with its Message-ID, the same at every attempt."""
    host = urlsplit(str(getattr(settings, "KENSE_BASE_URL", ""))).hostname or "kense.localhost"
    message = EmailMultiAlternatives(
        subject=letter.subject,
        body=letter.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=letter.recipients,
        headers={"Message-ID": f"<letter-{letter.pk}.{letter.created_at:%Y%m%d%H%M%S}@{host}>"},
        connection=get_connection(timeout=getattr(settings, "EMAIL_TIMEOUT", None) or SEND_TIMEOUT),
    )
    for filename, content, mimetype in letter.attachments:
        message.attach(filename, base64.b64decode(content), mimetype)
    return message


def _mark_sent(letter_id: int) -> None:
    for pause in (*MARK_PAUSES, None):
        try:
            Letter.objects.filter(pk=letter_id).update(sent_at=timezone.now())
            return
        except (OperationalError, InterfaceError):
            if pause is None:
                raise
            logger.warning("The letter %s went; recording it waits for the database.", letter_id)
            if not connection.in_atomic_block:
                connection.close()  # reconnect at the next try
            time.sleep(pause)


def deliver_due_letters(*, limit: int = 50) -> int:
    """Deliver up to `limit` letters the queue lost (their lease passed, oldest first); run by
    the worker. Returns how many messages went. A letter the mail server refuses is logged
    and tried again after the lease; a database error propagates (the worker waits for the
    database)."""
    now = timezone.now()
    due = list(
        Letter.objects.filter(_deliverable(now), created_at__lt=now - letter_lease())
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    sent = 0
    for letter_id in due:
        try:
            sent += deliver(letter_id)
        except (OperationalError, InterfaceError):
            raise
        except Exception:
            logger.exception("The letter %s was not delivered; it is tried again later.", letter_id)
    return sent
