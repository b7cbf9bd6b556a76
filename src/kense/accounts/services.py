from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext_lazy as _

from kense.accounts.auth import grantable_areas
from kense.accounts.forms import QueuedPasswordResetForm
from kense.accounts.models import (
    ApiToken,
    PasswordResetRequest,
    TokenKind,
    User,
    new_feed_key,
)
from kense.accounts.selectors import personal_tokens, rank, require_user_manager, users_for
from kense.core.api import INVALID_CHOICE
from kense.core.history import audit_as
from kense.core.permissions import ORGANIZATION_ROLES, Role, scope_of
from kense.core.revisions import check_revision

RESET_WINDOW = datetime.timedelta(hours=1)
# The longest a service token may live: an integration is renewed at least once a year, so
# that a forgotten one stops by itself.
SERVICE_TOKEN_LIFETIME = datetime.timedelta(days=366)

NAME_REQUIRED = _("Give the token a name, such as the program that will use it.")
NAME_TOO_LONG = _("A token name is at most 100 characters long.")
EXPIRY_IN_THE_PAST = _("The expiry date must be in the future.")
EXPIRY_REQUIRED = _("A service token needs an expiry date.")
EXPIRY_TOO_FAR = _("A service token expires within a year at the latest.")
PERMISSIONS_REQUIRED = _("Give the token at least one permission.")
PERMISSION_UNKNOWN = _(
    "“%(permission)s” is not a permission: give “<area>:read” or “<area>:write”, where the "
    "area is the tag of the operations in the API documentation."
)
TOKEN_USER_INACTIVE = _("This account is deactivated: it cannot have tokens.")
ROLE_TOO_HIGH = _("You may not give a role above your own.")
TERRITORY_REQUIRED = _("A territory coordinator needs a territory.")
TERRITORY_WITHIN_YOURS = _(
    "Give the territory where this role applies: without one it would apply everywhere."
)
ORGANIZATION_REQUIRED = _("A department or institution account needs its organization.")
NO_TERRITORY_FOR_ORGANIZATION_ROLES = _(
    "A department or institution account is placed by its organization: leave the territory empty."
)
EMAIL_FOR_INVITATION = _("Give an e-mail address to send the invitation to, or set a password.")
OWN_DEACTIVATION = _("You cannot deactivate your own account.")


@dataclass(frozen=True)
class Site:
    """Where a letter's link points: the address the request came to."""

    domain: str
    protocol: str = "https"


# ---------------------------------------------------------------------------------------------
# Tokens
# ---------------------------------------------------------------------------------------------


PERSONAL_TOKENS_MAX = 20
TOO_MANY_TOKENS = _(
    "You have %(count)s personal tokens, the most one account may have: revoke one you no "
    "longer use, or keep using the token your program already has."
)


def token_name_clean(name: str) -> str:
    """The token's name as it is kept, or a field error."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": NAME_REQUIRED})
    if len(name) > ApiToken.NAME_MAX_LENGTH:
        raise ValidationError({"name": NAME_TOO_LONG})
    return name


def _expiry_clean(
    expires_at: datetime.datetime | None, *, longest: datetime.timedelta | None
) -> datetime.datetime | None:
    if expires_at is None:
        if longest is not None:
            raise ValidationError({"expires_at": EXPIRY_REQUIRED})
        return None
    now = timezone.now()
    if timezone.is_naive(expires_at):
        expires_at = timezone.make_aware(expires_at)
    if expires_at <= now:
        raise ValidationError({"expires_at": EXPIRY_IN_THE_PAST})
    if longest is not None and expires_at > now + longest:
        raise ValidationError({"expires_at": EXPIRY_TOO_FAR})
    return expires_at


def permissions_clean(permissions: Iterable[str]) -> list[str]:
    """A service token's grants, each `<area>:read` or `<area>:write` of an area a service
    token may be given (kense.accounts.auth.grantable_areas); sorted, without repeats."""
    areas = grantable_areas()
    cleaned = set()
    for permission in permissions:
        area, _colon, access = permission.strip().rpartition(":")
        if area not in areas or access not in ("read", "write"):
            raise ValidationError(
                {
                    "permissions": ValidationError(
                        PERMISSION_UNKNOWN, params={"permission": permission}
                    )
                }
            )
        cleaned.add(f"{area}:{access}")
    if not cleaned:
        raise ValidationError({"permissions": PERMISSIONS_REQUIRED})
    return sorted(cleaned)


@transaction.atomic
def api_token_issue(
    *, user: User, name: str, expires_at: datetime.datetime | None = None
) -> tuple[ApiToken, str]:
    """A new personal API token of the user, valid until `expires_at` if given (in the
    future) or until revoked; the key is returned once and only its hash is kept."""
    name = token_name_clean(name)
    expires_at = _expiry_clean(expires_at, longest=None)
    # Every login through POST /auth/token makes a token: an app that logs in at each start
    # instead of keeping its token would pile up rows without end (and the profile page's list).
    now = timezone.now()
    live = personal_tokens(user).filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
    if live.count() >= PERSONAL_TOKENS_MAX:
        raise ValidationError(TOO_MANY_TOKENS % {"count": PERSONAL_TOKENS_MAX})
    return ApiToken.issue(
        user=user, name=name, kind=TokenKind.PERSONAL, expires_at=expires_at, created_by=user
    )


UNCHANGED = object()


@transaction.atomic
def api_token_change(
    token: ApiToken, *, name: str | None = None, expires_at: object = UNCHANGED
) -> ApiToken:
    """Rename a token, or give a personal token another expiry (None: none)."""
    fields = []
    if name is not None:
        token.name = token_name_clean(name)
        fields.append("name")
    if expires_at is not UNCHANGED:
        assert expires_at is None or isinstance(expires_at, datetime.datetime)
        token.expires_at = _expiry_clean(expires_at, longest=None)
        fields.append("expires_at")
    if fields:
        token.save(update_fields=fields)
    return token


@transaction.atomic
def api_token_rotate(token: ApiToken) -> str:
    """A new key for the token: the old one stops working at once. The new key is returned
    once; name, kind, permissions and expiry stay."""
    key = ApiToken.new_key()
    token.prefix = key[6:14]
    token.key_hash = ApiToken.hash_key(key)
    token.last_used_at = None
    token.save(update_fields=["prefix", "key_hash", "last_used_at"])
    return key


@transaction.atomic
def api_token_revoke(*, token: ApiToken) -> None:
    token.delete()


@transaction.atomic
def service_token_issue(
    *,
    actor: User,
    user: User | None,
    name: str,
    permissions: Iterable[str],
    expires_at: datetime.datetime | None,
) -> tuple[ApiToken, str]:
    """A service token for an integration, issued by the administrator or the project office:
    it acts as `user` (an account the caller manages, or the caller itself when None) but
    only within `permissions`, and until `expires_at` (required, within a year). The key is
    returned once."""
    require_user_manager(actor)
    owner = actor if user is None else user
    if owner.pk != actor.pk and not users_for(actor).filter(pk=owner.pk).exists():
        raise ValidationError({"user": INVALID_CHOICE})
    if not owner.is_active:
        raise ValidationError({"user": TOKEN_USER_INACTIVE})
    errors: dict[str, list[str]] = {}
    cleaned_name = cleaned_permissions = cleaned_expiry = None
    try:
        cleaned_name = token_name_clean(name)
    except ValidationError as error:
        errors.update(error.message_dict)
    try:
        cleaned_permissions = permissions_clean(permissions)
    except ValidationError as error:
        errors.update(error.message_dict)
    try:
        cleaned_expiry = _expiry_clean(expires_at, longest=SERVICE_TOKEN_LIFETIME)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    assert cleaned_name is not None
    return ApiToken.issue(
        user=owner,
        name=cleaned_name,
        kind=TokenKind.SERVICE,
        permissions=cleaned_permissions,
        expires_at=cleaned_expiry,
        created_by=actor,
    )


# ---------------------------------------------------------------------------------------------
# Users
# ---------------------------------------------------------------------------------------------


def _placement_errors(user: User, actor: User) -> dict[str, list[str]]:
    """What the role needs to apply somewhere (kense.core.permissions reads a coordinator's
    territory and a department's or institution's organization), and for a project office,
    that it applies inside its own subtree."""
    errors: dict[str, list[str]] = {}
    role = user.role
    if role in ORGANIZATION_ROLES:
        if user.organization_id is None:
            errors["organization"] = [str(ORGANIZATION_REQUIRED)]
        if user.territory_id is not None:
            errors["territory"] = [str(NO_TERRITORY_FOR_ORGANIZATION_ROLES)]
    elif role == Role.COORDINATOR:
        if user.territory_id is None:
            errors["territory"] = [str(TERRITORY_REQUIRED)]
    elif role != Role.ADMINISTRATOR and user.territory_id is None and not scope_of(actor).is_admin:
        # A region-wide role without a territory sees the whole database: only the
        # administrator may give that.
        errors["territory"] = [str(TERRITORY_WITHIN_YOURS)]
    return errors


@transaction.atomic
def user_save(
    user: User, *, actor: User, password: str | None = None, site: Site | None = None
) -> User:
    """Create or change an account as the administrator or the project office (403 for anyone
    else), recorded in its history as `actor`'s change.

    The role may not rank above the caller's; it must have what it needs (see
    `_placement_errors`); the referenced person, territory and organization are the caller's
    to see (the endpoint checks them). A new account gets `password` (Django's password
    validators apply) or, without one, an unusable password and an invitation: a password
    reset letter sent to its e-mail address through the outbox. Deactivating an account
    revokes its tokens. Raises ValidationError naming the fields."""
    require_user_manager(actor)
    creating = user.pk is None
    was_active = (
        True
        if creating
        else User.objects.filter(pk=user.pk).values_list("is_active", flat=True).first()
    )
    errors = _placement_errors(user, actor)
    if rank(user.role) < rank(actor.role):
        errors["role"] = [str(ROLE_TOO_HIGH)]
    if not creating and user.pk == actor.pk and not user.is_active:
        errors["is_active"] = [str(OWN_DEACTIVATION)]
    if password:
        try:
            validate_password(password, user)
        except ValidationError as error:
            errors["password"] = list(error.messages)
    elif creating and not user.email:
        errors["email"] = [str(EMAIL_FOR_INVITATION)]
    if password:
        user.set_password(password)
    elif creating:
        user.set_unusable_password()
    try:
        user.full_clean()  # the user name's form and uniqueness, the e-mail address's form
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    check_revision(user)
    audit_as(user, actor)
    user.save()
    if was_active and not user.is_active:
        # Whoever held the account's tokens must not keep acting as it.
        user.api_tokens.all().delete()
    if creating and not password:
        user_invite(user, site=site or Site(domain="localhost"))
    if not users_for(actor).filter(pk=user.pk).exists() and user.pk != actor.pk:
        raise PermissionDenied  # placed where the caller does not reach: undone
    return user


def user_invite(user: User, *, site: Site) -> None:
    """Queue the account's invitation: the password reset letter (in the user's language,
    through the outbox), whose link lets them choose their password."""
    context = {
        "user": user,
        "email": user.email,
        "domain": site.domain,
        "site_name": site.domain,
        "protocol": site.protocol,
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
    }
    QueuedPasswordResetForm().send_mail(
        "registration/password_reset_subject.txt",
        "registration/password_reset_email.html",
        context,
        None,
        user.email,
    )


@transaction.atomic
def calendar_address_renew(*, user: User) -> None:
    """A new calendar address for the user; the old one stops working at once."""
    user.feed_key = new_feed_key()
    user.save(update_fields=["feed_key"])


@transaction.atomic
def password_reset_allowed(
    *, email: str, address: str | None
) -> Literal["send", "quiet", "refuse"]:
    """Count a password reset request and say what to do with it: "send" the letter; stay
    "quiet" (answer as if sent, send nothing) when this address has had its letters for the
    hour, so that nobody can flood a mailbox nor learn whether an account exists; "refuse"
    when this client has asked too often (KENSE_PASSWORD_RESET_LIMITS: per e-mail address and
    per client address, an hour)."""
    now = timezone.now()
    PasswordResetRequest.objects.filter(requested_at__lt=now - datetime.timedelta(days=1)).delete()
    since = now - RESET_WINDOW
    per_email, per_client = settings.KENSE_PASSWORD_RESET_LIMITS
    recent = PasswordResetRequest.objects.filter(requested_at__gte=since)
    if address and recent.filter(address=address).count() >= per_client:
        return "refuse"
    letters = recent.filter(email__iexact=email).count()
    PasswordResetRequest.objects.create(email=email, address=address or None, requested_at=now)
    return "quiet" if letters >= per_email else "send"
