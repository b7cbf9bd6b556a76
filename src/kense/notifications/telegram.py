"""The Telegram channel: a small client of the Bot API (the standard library's urllib), the
delivery of a message once, and the poller that links a person's chat by the one-time code.

The bot's token is KENSE_TELEGRAM_TOKEN; without it the channel is off. The API's address is
KENSE_TELEGRAM_API (https://api.telegram.org; the tests point it at a stand-in on loopback).
Kense polls `getUpdates` rather than taking a webhook: an office's server is often not
reachable from the internet (docs/decisions.md).

A message is sent as the outbox sends a letter (kense.core.mail): one conditional UPDATE
claims its `Send` (unsent, fewer than MAX_ATTEMPTS claims, and unclaimed or claimed longer ago
than the lease), then `sendMessage`, then the mark. A failure keeps the error and leaves the
claim to lapse, so the worker's sweep (`deliver_due_messages`, every minute) tries it again;
after MAX_ATTEMPTS it is failed, and the log says so with the last error.
"""

from __future__ import annotations

import datetime
import json
import logging
import urllib.error
import urllib.request
from typing import Any

from django.conf import settings
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks import task

from kense.notifications.models import (
    Channel,
    Reason,
    Send,
    SendStatus,
    TelegramLink,
    TelegramState,
)

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
# How long a claim keeps other deliveries away: well above the request's timeout.
LEASE = datetime.timedelta(seconds=60)
TIMEOUT = 15
# How long a linking code is good for.
CODE_LIFETIME = datetime.timedelta(days=1)


UNKNOWN_CODE = gettext_lazy(
    "This code is unknown or expired. Take a new one from your notification settings in Kense."
)
NO_CODE = gettext_lazy("Send the code from your notification settings in Kense: /start <code>.")


class TelegramError(Exception):
    """The Bot API refused the call, or could not be reached."""


def token() -> str:
    return str(getattr(settings, "KENSE_TELEGRAM_TOKEN", "") or "")


def enabled() -> bool:
    return bool(token())


def api_url(method: str) -> str:
    base = str(getattr(settings, "KENSE_TELEGRAM_API", "https://api.telegram.org")).rstrip("/")
    return f"{base}/bot{token()}/{method}"


def call(method: str, **params: Any) -> Any:
    """Call a method of the Bot API with a JSON body; its `result`, or TelegramError."""
    request = urllib.request.Request(
        api_url(method),
        data=json.dumps(params).encode("utf-8"),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            answer = json.loads(response.read().decode("utf-8"))
    except urllib.error.HTTPError as error:
        try:
            answer = json.loads(error.read().decode("utf-8"))
        except ValueError:
            raise TelegramError(f"HTTP {error.code}") from error
    except (OSError, ValueError) as error:
        raise TelegramError(str(error) or type(error).__name__) from error
    if not isinstance(answer, dict) or not answer.get("ok"):
        description = answer.get("description", "") if isinstance(answer, dict) else ""
        raise TelegramError(description or "not ok")
    return answer.get("result")


def state() -> TelegramState:
    found = TelegramState.objects.order_by("pk").first()
    return found if found is not None else TelegramState.objects.create()


def bot_username() -> str:
    found = TelegramState.objects.order_by("pk").values_list("bot_username", flat=True).first()
    return found or ""


def code_expired(link: TelegramLink, now: datetime.datetime | None = None) -> bool:
    if link.code_created_at is None:
        return True
    return link.code_created_at < (now or timezone.now()) - CODE_LIFETIME


# --- sending ----------------------------------------------------------------------------------


def _deliverable(now: datetime.datetime) -> Q:
    return Q(channel=Channel.TELEGRAM, status=SendStatus.QUEUED, attempts__lt=MAX_ATTEMPTS) & (
        Q(claimed_at=None) | Q(claimed_at__lt=now - LEASE)
    )


def deliver(send_id: int, *, now: datetime.datetime | None = None) -> int:
    """Claim, send and mark one message; 0 when it is not ours to send (sent, held by another
    delivery, or given up) or when it failed (the error is kept, and it goes again after the
    lease until MAX_ATTEMPTS)."""
    if not enabled():
        return 0
    now = now or timezone.now()
    claimed = Send.objects.filter(_deliverable(now), pk=send_id).update(
        claimed_at=now, attempts=F("attempts") + 1
    )
    if not claimed:
        return 0
    send = Send.objects.get(pk=send_id)
    try:
        call("sendMessage", chat_id=send.chat_id, text=send.text, disable_web_page_preview=True)
    except TelegramError as error:
        given_up = send.attempts >= MAX_ATTEMPTS
        Send.objects.filter(pk=send_id).update(
            error=str(error)[:2000],
            status=SendStatus.FAILED if given_up else SendStatus.QUEUED,
            reason=Reason.FAILED if given_up else "",
        )
        logger.warning("The Telegram message %s was not sent: %s", send_id, error)
        return 0
    Send.objects.filter(pk=send_id).update(status=SendStatus.SENT, sent_at=timezone.now())
    return 1


@task()
def deliver_message(send_id: int) -> int:
    """The job: deliver one Telegram message (see `deliver`)."""
    return deliver(send_id)


def deliver_due_messages(*, now: datetime.datetime | None = None, limit: int = 50) -> int:
    """Send the messages whose job was lost or whose last try failed, once their claim has
    lapsed; run by the worker every minute. Returns how many went."""
    if not enabled():
        return 0
    now = now or timezone.now()
    due = list(
        Send.objects.filter(_deliverable(now))
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(deliver(send_id, now=now) for send_id in due)


# --- linking ----------------------------------------------------------------------------------


def _reply(chat_id: int, language: str, text: str) -> None:
    try:
        call("sendMessage", chat_id=chat_id, text=text)
    except TelegramError as error:
        logger.warning("The bot could not answer chat %s (%s): %s", chat_id, language, error)


def _link(chat_id: int, code: str, language: str) -> bool:
    now = timezone.now()
    link = (
        TelegramLink.objects.select_related("user")
        .filter(code=code, code_created_at__gte=now - CODE_LIFETIME)
        .first()
    )
    if link is None or not link.user.is_active:
        with translation.override(language):
            _reply(chat_id, language, str(UNKNOWN_CODE))
        return False
    TelegramLink.objects.filter(chat_id=chat_id).exclude(pk=link.pk).update(
        chat_id=None, linked_at=None
    )
    link.chat_id, link.linked_at, link.code, link.code_created_at = chat_id, now, None, None
    link.save()
    language = link.user.language or settings.LANGUAGE_CODE
    with translation.override(language):
        _reply(
            chat_id,
            language,
            _("Kense will send your notifications here, %(name)s.") % {"name": str(link.user)},
        )
    return True


def poll() -> int:
    """Read the bot's new messages once and link the chats that sent "/start <code>"; returns
    how many were linked. Run by the worker every minute; without a token it does nothing."""
    if not enabled():
        return 0
    bot = state()
    if not bot.bot_username:
        me = call("getMe")
        bot.bot_username = str(me.get("username", "")) if isinstance(me, dict) else ""
    updates = call("getUpdates", offset=bot.offset, timeout=0, allowed_updates=["message"])
    linked = 0
    for update in updates or []:
        bot.offset = max(bot.offset, int(update.get("update_id", 0)) + 1)
        message = update.get("message") or {}
        text = str(message.get("text") or "").strip()
        chat_id = (message.get("chat") or {}).get("id")
        if chat_id is None or not text.startswith("/start"):
            continue
        parts = text.split()
        language = str((message.get("from") or {}).get("language_code") or "")[:2]
        if language not in ("kk", "ru", "en"):
            language = settings.LANGUAGE_CODE
        if len(parts) < 2:
            with translation.override(language):
                _reply(chat_id, language, str(NO_CODE))
            continue
        linked += _link(int(chat_id), parts[1], language)
    bot.polled_at = timezone.now()
    bot.save()
    return linked


def upkeep() -> None:
    """The worker's minute step: link new chats, send the messages due."""
    if not enabled():
        return
    try:
        poll()
    except TelegramError as error:
        logger.warning("The bot's updates could not be read: %s", error)
    deliver_due_messages()
