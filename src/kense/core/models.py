"""Building blocks shared by every app: validity periods, aliases, comments."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kense.text.kazakh import search_terms

# Control characters but tab, line feed and carriage return: nothing a person means to type, and
# what PostgreSQL (NUL) and the XML inside .xlsx and .docx files cannot hold.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
CONTROL_CHARACTERS_FOUND = _("Remove the invisible control characters from this text.")


def refuse_control_characters(sender: type[models.Model], instance: Any, **kwargs: Any) -> None:
    """Before any Kense object is saved (by a page, the API or an import), refuse text with
    control characters, named by the field that holds them; nothing is saved."""
    if kwargs.get("raw") or not sender.__module__.startswith("kense."):
        return
    errors = {
        field.name: [CONTROL_CHARACTERS_FOUND]
        for field in sender._meta.concrete_fields
        if field.editable
        and isinstance(field, (models.CharField, models.TextField))
        and isinstance(value := getattr(instance, field.attname), str)
        and CONTROL_CHARACTERS.search(value)
    }
    if errors:
        raise ValidationError(errors)


def validate_period(
    start: datetime.date | None, end: datetime.date | None, *, start_field: str, end_field: str
) -> None:
    """A period may be open at either end, but never end before it starts."""
    if start is not None and end is not None and end < start:
        raise ValidationError({end_field: _("The period ends before it starts.")})


class ValidityPeriod(models.Model):
    """Valid from one date to another; an empty end means 'still valid'."""

    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    class Meta:
        abstract = True

    def clean(self) -> None:
        super().clean()
        validate_period(
            self.valid_from, self.valid_to, start_field="valid_from", end_field="valid_to"
        )

    def is_valid_on(self, day: datetime.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )


def clean_aliases(value: object) -> list[str]:
    """Aliases are a list of distinct, non-empty, trimmed spellings."""
    if value in (None, ""):
        return []
    if isinstance(value, str):
        value = value.splitlines()
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValidationError(_("Aliases must be a list of names."))
    seen: list[str] = []
    for item in value:
        item = item.strip()
        if len(item) > 200:
            raise ValidationError(_("An alias is longer than 200 characters."))
        if item and item not in seen:
            seen.append(item)
    return seen


class Comment(models.Model):
    """A remark on a registry object (executives read everything and comment)."""

    TEXT_MAX_LENGTH = 5000

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT
    )
    text = models.TextField(_("comment"), max_length=TEXT_MAX_LENGTH)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return self.text[:60]


class Searchable(models.Model):
    """Keeps a folded copy of every spelling of the object's name, for one search box.

    search_text is " word word … " (folded by kazakh.fold), so a prefix search of any word is a
    plain LIKE '% prefix%' that behaves the same on SQLite and PostgreSQL, whatever the case
    or the kk/ru spelling.
    """

    search_text = models.TextField(editable=False, default="")

    class Meta:
        abstract = True

    def search_spellings(self) -> list[str]:
        raise NotImplementedError

    def refresh_search_text(self) -> None:
        self.search_text = search_text_of(self.search_spellings())

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.refresh_search_text()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)


def search_text_of(spellings: Iterable[str | None]) -> str:
    """The folded words of every spelling, once each, between spaces (see Searchable); also
    what the migrations that add a search_text fill existing rows with."""
    terms: list[str] = []
    for spelling in spellings:
        for term in search_terms(spelling or ""):
            if term not in terms:
                terms.append(term)
    return " " + " ".join(terms) + " "


def attachment_path(instance: Attachment, filename: str) -> str:
    stamp = timezone.now()
    return f"attachments/{stamp:%Y/%m}/{instance.content_type_id}-{instance.object_id}/{filename}"


class Attachment(models.Model):
    """A stored file attached to something (an agenda item, an execution report…).

    The file is checked by content at upload (core/files.py); its original name is kept.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=300)
    name = models.CharField(_("name"), max_length=200)
    mime_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return self.name


class Letter(models.Model):
    """One rendered e-mail in the outbox (kense.core.mail): saved in the transaction that
    decides to send it, delivered by the worker, marked `sent_at` once the mail server took it.

    Nobody reads this table through a page, so its fields carry no translated labels.
    `claimed_at` is when a delivery last started: a claim younger than the lease keeps a second
    delivery away, an older one is from a delivery that died (a killed worker, a mail server
    that failed) and may be taken over. `attempts` counts the claims, so a letter the mail
    server always refuses is given up after a few.
    """

    subject = models.TextField()
    body = models.TextField()
    recipients = models.JSONField()
    # (filename, base64 content, mimetype) triples, as JSON holds no bytes.
    attachments = models.JSONField(default=list)
    created_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    sent_at = models.DateTimeField(null=True)

    class Meta:
        # The sweep of kense.core.mail.deliver_due_letters reads only the unsent letters.
        indexes = [
            models.Index(
                fields=["created_at"], name="core_letter_unsent", condition=models.Q(sent_at=None)
            )
        ]

    def __str__(self) -> str:
        return self.subject[:60]


class WorkerHeartbeat(models.Model):
    """A job worker that is alive, or was (kense.core.worker): `last_seen` is written every few
    seconds by a thread of the worker's process, whatever its task is doing; a worker not seen
    for KENSE_WORKER_DEAD_AFTER seconds is dead, and its RUNNING tasks are made READY again.

    Nobody reads this table through a page, so its fields carry no translated labels.
    """

    worker_id = models.CharField(max_length=64, primary_key=True)
    host = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField(default=timezone.now)
    last_seen = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.worker_id} ({self.host}, {self.pid})"


class Located(models.Model):
    """An optional point on the map, in WGS84 degrees (what a GPS or a map gives).

    Two plain numbers rather than a spatial column: the same on SQLite and PostgreSQL, and all a
    point needs (docs/decisions.md, "Geometry without PostGIS")."""

    latitude = models.FloatField(
        _("latitude"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
        help_text=_("Degrees north, for example 49.8047."),
    )
    longitude = models.FloatField(
        _("longitude"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
        help_text=_("Degrees east, for example 73.1094."),
    )

    class Meta:
        abstract = True

    @property
    def location(self) -> tuple[float, float] | None:
        """(latitude, longitude), or None when the place is not given."""
        if self.latitude is None or self.longitude is None:
            return None
        return (self.latitude, self.longitude)

    def clean(self) -> None:
        super().clean()
        if (self.latitude is None) != (self.longitude is None):
            field = "longitude" if self.longitude is None else "latitude"
            raise ValidationError(
                {field: _("Give both the latitude and the longitude, or neither.")}
            )


class Publishable(models.Model):
    """A thing the project office may show on the program's open pages (kense.public). Nothing
    is public until the office publishes it; who published it and when are kept in the row and,
    with every publish and unpublish, in its history."""

    published_at = models.DateTimeField(_("published on the open pages"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        abstract = True

    @property
    def is_published(self) -> bool:
        return self.published_at is not None
