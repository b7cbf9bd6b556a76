from __future__ import annotations

import datetime
import hashlib
import secrets
from functools import cached_property
from typing import Any

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kense.core.permissions import Role, Scope
from kense.registry.selectors import TREES, former_subtree_paths


def new_feed_key() -> str:
    """A fresh secret for the user's calendar address."""
    return secrets.token_urlsafe(16)


UNAUDITED_FIELDS = {"last_login", "feed_key"}
# Bounds what a change of the trees made without signals could cost a user's scope.
SCOPE_SECONDS = 600


class User(AbstractUser):
    """A Kense account. Its role says what it may do; its territory or organization, where."""

    role = models.CharField(_("role"), max_length=32, choices=Role.choices, default=Role.OBSERVER)
    person = models.OneToOneField(
        "registry.Person",
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="user",
    )
    territory = models.ForeignKey(
        "registry.Territory",
        verbose_name=_("territory"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The territory whose subtree a coordinator (or a regional role) works in."),
    )
    organization = models.ForeignKey(
        "registry.Organization",
        verbose_name=_("organization"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The organization a department or institution account belongs to."),
    )
    language = models.CharField(
        _("language"),
        max_length=2,
        choices=[("kk", "Қазақша"), ("ru", "Русский"), ("en", "English")],
        default="kk",
    )
    # Part of the calendar address: a new one (from the account page, or with a new
    # password) makes every earlier address stop working.
    feed_key = models.CharField(max_length=32, default=new_feed_key, editable=False)

    # Who changed a role, a scope or an account's activity, and when. The secrets (the
    # password's hash, the calendar key) are not copied into the history at all: a history
    # table is one more place for them to leak from, and their change says nothing to a
    # reader. last_login changes at every login and is no change of the account.
    history = HistoricalRecords(excluded_fields=["password", "feed_key", "last_login"])

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @cached_property
    def scope(self) -> Scope:
        """Where this user may look; computed once per request (kense.core.permissions.scope_of)
        and kept between requests until the account or the trees change (three queries on
        every page otherwise)."""
        what = f"{self.pk}|{self.role}|{self.territory_id}|{self.organization_id}|{self.person_id}"
        return TREES.kept(what, self._read_scope, SCOPE_SECONDS)

    def _read_scope(self) -> Scope:
        territory = self.territory
        organization = self.organization
        return Scope(
            role=self.role,
            territory_path=territory.path if territory else None,
            organization_path=organization.path if organization else None,
            organization_territory_path=organization.territory.path if organization else None,
            former_territory_paths=former_subtree_paths(territory.path) if territory else (),
            person_id=self.person_id,
            user_id=self.pk,
        )

    def set_password(self, raw_password: str | None) -> None:
        """A new password also gives a new calendar address and, once saved, revokes the API
        tokens: whoever had the old password may have taken them."""
        super().set_password(raw_password)
        if self.pk is not None:
            self.feed_key = new_feed_key()
            self._revoke_tokens = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        update_fields = kwargs.get("update_fields")
        # A login (last_login) or a new calendar address (feed_key) saves only fields the
        # history does not keep: a version for each would be an empty line in it.
        quiet = update_fields is not None and set(update_fields) <= UNAUDITED_FIELDS
        if quiet:
            self.skip_history_when_saving = True
        try:
            super().save(*args, **kwargs)
        finally:
            if quiet:
                del self.skip_history_when_saving
        if getattr(self, "_revoke_tokens", False):
            self.api_tokens.all().delete()
            self._revoke_tokens = False

    def __str__(self) -> str:
        if self.person_id:
            return str(self.person)
        return self.get_full_name() or self.username


class TokenKind(models.TextChoices):
    PERSONAL = "personal", _("Personal")
    SERVICE = "service", _("Service")


class ApiToken(models.Model):
    """An API token. Only its SHA-256 is stored; the key is shown once, at creation (and at
    each rotation).

    A personal token acts as its user with all of the user's rights. A service token (for an
    integration) also acts as its user, but only in the parts of the API its `permissions`
    name (`<tag>:read`, `<tag>:write`; see kense.accounts.auth.token_permissions), and only
    until it expires. See docs/decisions.md, "API tokens".
    """

    NAME_MAX_LENGTH = 100

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    kind = models.CharField(
        _("kind"), max_length=16, choices=TokenKind.choices, default=TokenKind.PERSONAL
    )
    name = models.CharField(_("name"), max_length=NAME_MAX_LENGTH)
    prefix = models.CharField(max_length=8, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    # A service token's grants, e.g. ["reports:write", "registry:read"]; empty for personal.
    permissions = models.JSONField(_("permissions"), default=list, blank=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    # Who issued it: the user themselves for a personal token, the administrator or project
    # office for a service token.
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @staticmethod
    def new_key() -> str:
        return "kense_" + secrets.token_urlsafe(32)

    @classmethod
    def issue(cls, *, user: User, name: str, **fields: Any) -> tuple[ApiToken, str]:
        key = cls.new_key()
        token = cls.objects.create(
            user=user, name=name, prefix=key[6:14], key_hash=cls.hash_key(key), **fields
        )
        return token, key

    def is_expired(self, now: datetime.datetime | None = None) -> bool:
        return self.expires_at is not None and self.expires_at <= (now or timezone.now())


class PasswordResetRequest(models.Model):
    """A request for a password reset letter, kept a day to limit letters per address and per
    client (kense.accounts.services.password_reset_allowed)."""

    email = models.EmailField(_("e-mail"))
    address = models.GenericIPAddressField(null=True, blank=True)
    requested_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("password reset request")
        verbose_name_plural = _("password reset requests")
        indexes = [
            models.Index(fields=["email", "requested_at"]),
            models.Index(fields=["address", "requested_at"]),
        ]

    def __str__(self) -> str:
        return self.email
