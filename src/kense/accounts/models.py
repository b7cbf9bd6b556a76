from __future__ import annotations

import hashlib
import secrets
from functools import cached_property

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kense.core.permissions import Role, Scope
from kense.registry.selectors import former_subtree_paths


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

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @cached_property
    def scope(self) -> Scope:
        """Where this user may look; computed once per request (kense.core.permissions.scope_of)."""
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

    def __str__(self) -> str:
        if self.person_id:
            return str(self.person)
        return self.get_full_name() or self.username


class ApiToken(models.Model):
    """A personal API token. Only its SHA-256 is stored; the key is shown once, at creation."""

    NAME_MAX_LENGTH = 100

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=NAME_MAX_LENGTH)
    prefix = models.CharField(max_length=8, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
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

    @classmethod
    def issue(cls, *, user: User, name: str) -> tuple[ApiToken, str]:
        key = "kense_" + secrets.token_urlsafe(32)
        token = cls.objects.create(
            user=user, name=name, prefix=key[6:14], key_hash=cls.hash_key(key)
        )
        return token, key
