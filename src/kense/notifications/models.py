"""Notifications: what happened that concerns a person, kept for the bell and the
notifications page, each person's choice per kind (immediately, in the daily digest, off), the
sends by e-mail and Telegram with why one did not go, and the Telegram links.

A notification's sentence is rendered when it is shown, in the reader's language of the
moment, from its kind and context; the name of what it is about (`context["object"]`) is
taken when it is created, in the recipient's language, so that it still says what it was about
after the object is renamed or deleted (see docs/decisions.md, "Notifications").
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    ASSIGNMENT_NEW = "assignment_new", _("A new assignment")
    CO_EXECUTION = "co_execution", _("Co-execution of an assignment")
    REPORT_RETURNED = "report_returned", _("A report returned")
    REPORT_ACCEPTED = "report_accepted", _("A report accepted")
    EXTENSION_DECIDED = "extension_decided", _("An extension decided")
    DOCUMENT_RECEIVED = "document_received", _("A new document to acknowledge")
    MEETING_INVITATION = "meeting_invitation", _("An invitation to a meeting")
    MEETING_CHANGED = "meeting_changed", _("A meeting changed or moved")
    MEETING_CANCELLED = "meeting_cancelled", _("A meeting cancelled")
    IDEA_ANSWERED = "idea_answered", _("An idea answered")


class Timing(models.TextChoices):
    """When a person wants a kind of notification by e-mail and Telegram."""

    IMMEDIATELY = "immediately", _("Immediately")
    DIGEST = "digest", _("In the daily digest")
    OFF = "off", _("Off")


# What a person gets of each kind until they choose.
DEFAULT_TIMING = Timing.IMMEDIATELY


class Digest(models.Model):
    """The daily digest letter of one person and day: its row, inserted with the letter,
    makes it go once (kense.core.reminders.send_once)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField()
    email = models.EmailField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["recipient", "day"], name="one_digest_a_day"),
        ]

    def __str__(self) -> str:
        return f"{self.recipient_id} {self.day}"


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("kind"), max_length=32, choices=NotificationKind.choices)
    target_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    target_id = models.PositiveBigIntegerField(null=True, blank=True)
    target = GenericForeignKey("target_type", "target_id")
    # {"object": the target's name in the recipient's language, "variant": which sentence of
    # the kind (e.g. "granted"), "note": a comment or answer to quote}
    context = models.JSONField(default=dict, blank=True)
    timing = models.CharField(max_length=16, choices=Timing.choices, default=DEFAULT_TIMING)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    digest = models.ForeignKey(
        Digest, null=True, blank=True, on_delete=models.SET_NULL, related_name="notifications"
    )

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notification_newest"),
            models.Index(fields=["recipient", "read_at"], name="notification_unread"),
        ]

    def __str__(self) -> str:
        from kense.notifications.kinds import title_of

        return title_of(self)


class Preference(models.Model):
    """A person's choice for one kind; a kind without a row is DEFAULT_TIMING."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preferences",
    )
    kind = models.CharField(max_length=32, choices=NotificationKind.choices)
    timing = models.CharField(max_length=16, choices=Timing.choices, default=DEFAULT_TIMING)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="one_preference_a_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}: {self.timing}"


class Channel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    TELEGRAM = "telegram", _("Telegram")


class SendStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    SKIPPED = "skipped", _("Not sent")


class Reason(models.TextChoices):
    NO_EMAIL = "no_email", _("No e-mail address")
    NO_TELEGRAM = "no_telegram", _("Telegram not linked")
    CHANNEL_OFF = "channel_off", _("The channel is off")
    FAILED = "failed", _("Failed after every attempt")


class Send(models.Model):
    """One notification on one channel, recorded once (unique), whatever came of it: queued,
    sent, failed (with the error) or not sent and why. An e-mail goes through the outbox
    (kense.core.mail; its letter is kept here); a Telegram message is claimed and sent by
    kense.notifications.telegram with the outbox's claim."""

    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="sends")
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    status = models.CharField(_("status"), max_length=16, choices=SendStatus.choices)
    reason = models.CharField(_("reason"), max_length=16, choices=Reason.choices, blank=True)
    letter = models.ForeignKey(
        "core.Letter", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    chat_id = models.BigIntegerField(null=True, blank=True)
    text = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["notification", "channel"], name="one_send_a_channel"),
        ]
        indexes = [models.Index(fields=["status", "channel"], name="send_due")]

    def __str__(self) -> str:
        return f"{self.notification_id} {self.channel}: {self.status}"


class TelegramLink(models.Model):
    """A person's Telegram chat: while `chat_id` is empty, `code` is the one-time code they
    send to the office's bot ("/start <code>")."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="telegram"
    )
    code = models.CharField(max_length=32, null=True, blank=True, unique=True)
    code_created_at = models.DateTimeField(null=True, blank=True)
    chat_id = models.BigIntegerField(null=True, blank=True)
    linked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.user_id} → {self.chat_id or '—'}"


class TelegramState(models.Model):
    """The bot as the poller knows it (one row): the next update to read and its name."""

    offset = models.BigIntegerField(default=0)
    bot_username = models.CharField(max_length=64, blank=True)
    polled_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.bot_username or "bot"
