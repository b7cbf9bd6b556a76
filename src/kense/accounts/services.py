from __future__ import annotations

from django.db import transaction

from kense.accounts.models import ApiToken, User


@transaction.atomic
def api_token_issue(*, user: User, name: str) -> tuple[ApiToken, str]:
    """A new personal API token; the key is returned once and only its hash is kept."""
    return ApiToken.issue(user=user, name=name)


@transaction.atomic
def api_token_revoke(*, token: ApiToken) -> None:
    token.delete()
