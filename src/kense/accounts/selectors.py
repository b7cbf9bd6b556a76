"""Reads of accounts and tokens, always through the caller's reach."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from kense.accounts.models import ApiToken, TokenKind, User
from kense.core.api import LARGEST_ID, SMALLEST_ID
from kense.core.permissions import NOTHING, Actor, Role, scope_of

# Who may manage accounts at all: the administrator everyone, the project office those inside
# its territory's subtree. Anyone else is refused (403) before anything is read.
USER_MANAGERS = {Role.ADMINISTRATOR, Role.PROJECT_OFFICE}

# A role's rank: nobody gives a role above their own, nor changes an account above it.
RANKS = {Role.ADMINISTRATOR: 0, Role.PROJECT_OFFICE: 1}
LOWEST_RANK = 2


def rank(role: str) -> int:
    return RANKS.get(Role(role), LOWEST_RANK) if role in Role.values else LOWEST_RANK


def require_user_manager(actor: Actor) -> None:
    """403 unless the caller manages accounts (the administrator, the project office)."""
    if scope_of(actor).role not in USER_MANAGERS:
        raise PermissionDenied


def _reach_q(actor: Actor) -> Q:
    scope = scope_of(actor)
    if not scope.authenticated or scope.role not in USER_MANAGERS:
        return NOTHING
    if scope.is_admin:
        return Q()
    # An account is placed by its territory or, for a department or an institution, by its
    # organization's territory; one placed nowhere (the administrator, a region-wide role
    # without a territory) is beyond any territory's project office.
    below = ~Q(role=Role.ADMINISTRATOR)
    path = scope.territory_path
    if path is None:
        return below
    placed = Q(territory__path__startswith=path) | Q(organization__territory__path__startswith=path)
    return below & placed


def users_for(actor: Actor) -> QuerySet[User]:
    """The accounts the caller manages (and so sees in the user list): 403 for a role that
    manages none."""
    require_user_manager(actor)
    return (
        User.objects.filter(_reach_q(actor))
        .select_related("territory", "organization", "person")
        .order_by("username")
    )


def user_for(actor: Actor, pk: int) -> User:
    """An account the caller manages: 403 for a role that manages none, 404 for one beyond
    its reach (its existence is not revealed)."""
    user = users_for(actor).filter(pk=pk).first() if SMALLEST_ID <= pk <= LARGEST_ID else None
    if user is None:
        raise Http404
    return user


def service_tokens_for(actor: Actor) -> QuerySet[ApiToken]:
    """The service tokens of the accounts the caller manages, and those it issued itself."""
    require_user_manager(actor)
    reach = User.objects.filter(_reach_q(actor)).values("pk")
    user_id = scope_of(actor).user_id
    return (
        ApiToken.objects.filter(kind=TokenKind.SERVICE)
        .filter(Q(user__in=reach) | Q(created_by_id=user_id))
        .select_related("user__person", "created_by__person")
        .order_by("-created_at", "-pk")
    )


def personal_tokens(user: User) -> QuerySet[ApiToken]:
    """The user's own personal tokens, newest first (service tokens are listed apart)."""
    return ApiToken.objects.filter(user=user, kind=TokenKind.PERSONAL).order_by(
        "-created_at", "-pk"
    )
