from __future__ import annotations

import datetime
from typing import Literal

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from kense.accounts.models import ApiToken, PasswordResetRequest, User, new_feed_key

RESET_WINDOW = datetime.timedelta(hours=1)


@transaction.atomic
def api_token_issue(*, user: User, name: str) -> tuple[ApiToken, str]:
    """A new personal API token; the key is returned once and only its hash is kept."""
    return ApiToken.issue(user=user, name=name)


@transaction.atomic
def api_token_revoke(*, token: ApiToken) -> None:
    token.delete()


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
