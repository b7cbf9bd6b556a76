"""Writes of the notifications: `notify` (what the domain apps call inside their services'
transactions), reading, the preferences and the Telegram link.

`notify(kind, recipients=…, target=…)` keeps, for each recipient who may see the target and
has not turned the kind off, a notification for the bell and the notifications page; for those
who want it immediately it also queues the e-mail (through the outbox, kense.core.mail) and the
Telegram message, each recorded once as a `Send`, or recorded as not sent and why. Everything
leaves when the caller's transaction commits; a rolled-back change notifies nobody.
"""

from __future__ import annotations

import functools
import secrets
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone, translation

from kense.core.mail import send_templated_email
from kense.core.permissions import Action, can
from kense.core.reminders import base_url, language_of
from kense.notifications import telegram
from kense.notifications.kinds import title_of
from kense.notifications.models import (
    DEFAULT_TIMING,
    Channel,
    Notification,
    NotificationKind,
    Preference,
    Reason,
    Send,
    SendStatus,
    TelegramLink,
    Timing,
)

if TYPE_CHECKING:
    from kense.accounts.models import User

EMAIL_TEMPLATES = "notifications/email/"
# Django's own words (translated in kk and ru), as a form's choice field refuses a value.
INVALID_CHOICE = forms.ChoiceField.default_error_messages["invalid_choice"]


def timings_of(users: Iterable[User], kind: str) -> dict[int, str]:
    """Each user's choice for `kind` (DEFAULT_TIMING where they made none)."""
    users = list(users)
    chosen = dict(
        Preference.objects.filter(user__in=users, kind=kind).values_list("user_id", "timing")
    )
    return {user.pk: chosen.get(user.pk, DEFAULT_TIMING) for user in users}


def target_url(target: models.Model | None, language: str) -> str:
    """The absolute address of the target's page in `language` ("" without one)."""
    if target is None or not hasattr(target, "get_absolute_url"):
        return ""
    with translation.override(language):
        return base_url() + str(target.get_absolute_url())


def notify(
    kind: str,
    *,
    recipients: Iterable[User],
    target: models.Model | None,
    actor: User | None = None,
    variant: str = "",
    note: str = "",
    label: Callable[[], str] | None = None,
    email: bool = True,
) -> list[Notification]:
    """Notify `recipients` of `kind` about `target`, in the caller's transaction.

    Only active users who may see the target are notified, and not `actor` (who did it). The
    target's name is `label()` (default `str(target)`) in each recipient's language; `variant`
    chooses the kind's sentence and `note` is quoted (a comment, an answer). `email=False`
    when the domain app sends its own letter (a meeting's invitation, with its calendar file).
    """
    users: dict[int, User] = {}
    for user in recipients:
        if user is None or not user.is_active or (actor is not None and user.pk == actor.pk):
            continue
        users.setdefault(user.pk, user)
    if target is not None:
        users = {pk: user for pk, user in users.items() if can(user, Action.VIEW, target)}
    if not users:
        return []
    timings = timings_of(users.values(), kind)
    content_type = ContentType.objects.get_for_model(target) if target is not None else None
    links = {
        link.user_id: link
        for link in TelegramLink.objects.filter(user__in=list(users), chat_id__isnull=False)
    }
    created: list[Notification] = []
    for user in users.values():
        timing = timings[user.pk]
        if timing == Timing.OFF:
            continue
        language = language_of(user)
        with translation.override(language):
            name = label() if label is not None else str(target or "")
        notification = Notification.objects.create(
            recipient=user,
            kind=kind,
            target_type=content_type,
            target_id=target.pk if target is not None else None,
            context={"object": name, "variant": variant, "note": note},
            timing=timing,
        )
        created.append(notification)
        if timing == Timing.IMMEDIATELY:
            if email:
                _email(notification, user, target)
            _telegram(notification, user, target, links.get(user.pk))
    return created


def _skipped(notification: Notification, channel: str, reason: str) -> Send:
    """The send log's line for a channel that was not used, and why."""
    return Send.objects.create(
        notification=notification, channel=channel, status=SendStatus.SKIPPED, reason=reason
    )


def _email(notification: Notification, user: User, target: models.Model | None) -> Send:
    if not user.email:
        return _skipped(notification, Channel.EMAIL, Reason.NO_EMAIL)
    language = language_of(user)
    with translation.override(language):
        title = title_of(notification)
    letter = send_templated_email(
        to=[user.email],
        template=EMAIL_TEMPLATES + notification.kind,
        context={
            "recipient": user,
            "title": title,
            "object": notification.context.get("object", ""),
            "note": notification.context.get("note", ""),
            "variant": notification.context.get("variant", ""),
            "url": target_url(target, language),
        },
        language=language,
    )
    return Send.objects.create(
        notification=notification, channel=Channel.EMAIL, status=SendStatus.QUEUED, letter=letter
    )


def telegram_message(notification: Notification, url: str) -> str:
    """The Telegram text of a notification, in the current language."""
    lines = [title_of(notification)]
    note = notification.context.get("note", "")
    if note:
        lines.append(note)
    if url:
        lines.append(url)
    return "\n".join(lines)


def _telegram(
    notification: Notification,
    user: User,
    target: models.Model | None,
    link: TelegramLink | None,
) -> Send:
    if not telegram.enabled():
        return _skipped(notification, Channel.TELEGRAM, Reason.CHANNEL_OFF)
    if link is None:
        return _skipped(notification, Channel.TELEGRAM, Reason.NO_TELEGRAM)
    language = language_of(user)
    with translation.override(language):
        text = telegram_message(notification, target_url(target, language))
    send = Send.objects.create(
        notification=notification,
        channel=Channel.TELEGRAM,
        status=SendStatus.QUEUED,
        chat_id=link.chat_id,
        text=text,
    )
    transaction.on_commit(functools.partial(telegram.deliver_message.enqueue, send.pk), robust=True)
    return send


# --- reading ----------------------------------------------------------------------------------


def mark_read(user: User, notification_ids: Iterable[int] | None = None) -> int:
    """Mark the user's notifications read (those named, or all); returns how many changed."""
    rows = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_ids is not None:
        rows = rows.filter(pk__in=list(notification_ids))
    return rows.update(read_at=timezone.now())


# --- preferences ------------------------------------------------------------------------------


def _invalid_choice(value: str) -> ValidationError:
    return ValidationError(INVALID_CHOICE, code="invalid_choice", params={"value": value})


@transaction.atomic
def preferences_save(user: User, timings: Mapping[str, str]) -> None:
    """Keep the user's choice for each kind named (a kind left out keeps its choice). An
    unknown kind or choice is refused (ValidationError under the kind) and nothing is saved.
    No history is kept: a person's choices concern nobody else."""
    errors = {}
    for kind, timing in timings.items():
        if kind not in NotificationKind.values:
            errors[kind] = _invalid_choice(kind)
        elif timing not in Timing.values:
            errors[kind] = _invalid_choice(timing)
    if errors:
        raise ValidationError(errors)
    for kind, timing in timings.items():
        Preference.objects.update_or_create(user=user, kind=kind, defaults={"timing": timing})


# --- the Telegram link ------------------------------------------------------------------------


def new_code() -> str:
    return secrets.token_hex(5)


@transaction.atomic
def telegram_code(user: User, *, renew: bool = False) -> TelegramLink:
    """The user's link, with a one-time code to send to the bot while it is not linked (a
    new one when `renew`, or when the old one expired)."""
    link, _created = TelegramLink.objects.select_for_update().get_or_create(user=user)
    if link.chat_id is not None and not renew:
        return link
    if renew or not link.code or telegram.code_expired(link):
        link.code, link.code_created_at = new_code(), timezone.now()
        link.chat_id = link.linked_at = None
        link.save()
    return link


@transaction.atomic
def telegram_unlink(user: User) -> None:
    """Stop sending to the user's Telegram chat."""
    TelegramLink.objects.filter(user=user).update(
        chat_id=None, linked_at=None, code=None, code_created_at=None
    )


def telegram_settings() -> dict[str, Any]:
    """What the settings page says of the channel: on or off, and the bot's name."""
    return {"enabled": telegram.enabled(), "bot": telegram.bot_username()}
