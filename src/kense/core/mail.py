"""One way to send mail: render in the recipient's language now, deliver from the job queue.

Rendering happens in the request (under `translation.override`) so the worker needs no
request context; delivery is a django-tasks job enqueued on commit, so a rolled-back change
sends nothing and a slow mail server never slows a page.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django_tasks import task


@task()
def deliver_email(
    subject: str,
    body: str,
    recipients: list[str],
    attachments: Sequence[Sequence[str]] | None = None,
) -> int:
    """The job: hand one rendered message to the mail backend.

    `attachments` are (filename, base64 content, mimetype) triples: job arguments are stored
    as JSON, which holds no bytes.
    """
    message = EmailMultiAlternatives(
        subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=recipients
    )
    for filename, content, mimetype in attachments or ():
        message.attach(filename, base64.b64decode(content), mimetype)
    return message.send()


def send_templated_email(
    *,
    to: list[str],
    template: str,
    context: dict[str, Any],
    language: str,
    attachments: list[tuple[str, bytes, str]] | None = None,
) -> None:
    """Render `<template>_subject.txt` and `<template>_body.txt` in `language`; queue delivery
    on commit, with the (filename, content, mimetype) `attachments` if any."""
    with translation.override(language):
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        body = render_to_string(f"{template}_body.txt", context)
    if not attachments:
        transaction.on_commit(lambda: deliver_email.enqueue(subject, body, to))
        return
    encoded = [
        (filename, base64.b64encode(content).decode("ascii"), mimetype)
        for filename, content, mimetype in attachments
    ]
    transaction.on_commit(lambda: deliver_email.enqueue(subject, body, to, attachments=encoded))
