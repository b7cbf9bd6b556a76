"""One way to send mail: render in the recipient's language now, deliver from the job queue.

Rendering happens in the request (under `translation.override`) so the worker needs no
request context; delivery is a django-tasks job enqueued on commit, so a rolled-back change
sends nothing and a slow mail server never slows a page.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django_tasks import task


@task()
def deliver_email(subject: str, body: str, recipients: list[str]) -> int:
    """The job: hand one rendered message to the mail backend."""
    message = EmailMultiAlternatives(
        subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=recipients
    )
    return message.send()


def send_templated_email(
    *, to: list[str], template: str, context: dict[str, Any], language: str
) -> None:
    """Render `<template>_subject.txt` and `<template>_body.txt` in `language`; queue delivery."""
    with translation.override(language):
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        body = render_to_string(f"{template}_body.txt", context)
    transaction.on_commit(lambda: deliver_email.enqueue(subject, body, to))
