"""Writes to indicators and their targets, and the on-demand refresh of computed values."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from kense.accounts.models import User
from kense.core.permissions import scope_of
from kense.core.services import save_in_scope
from kense.indicators import compute
from kense.indicators.models import Indicator, Target

FIRST_YEAR = 1991
LAST_YEAR = 2100


def validate_year(year: int | None, field: str = "year") -> None:
    if year is None or not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValidationError(
            {
                field: _("Give a year from %(first)s to %(last)s.")
                % {"first": FIRST_YEAR, "last": LAST_YEAR}
            }
        )


def indicator_save(indicator: Indicator, *, user: User) -> Indicator:
    """Create or update an indicator definition (project office and administrators only).
    A computed indicator must say what it counts; a reported one must not."""
    return save_in_scope(indicator, user=user)


@transaction.atomic
def target_save(target: Target, *, user: User) -> Target:
    """Create or update the target of an indicator for a territory and a year. Refused: a
    year out of range, a negative target, a second target for the same indicator, territory
    and year, and a territory outside the user's write scope (403, nothing saved)."""
    validate_year(target.year)
    if target.value is not None and target.value < 0:
        raise ValidationError({"value": _("A target cannot be negative.")})
    return save_in_scope(target, user=user)


def may_refresh(user: User) -> bool:
    """Recomputing is for whoever defines indicators: the project office and administrators."""
    scope = scope_of(user)
    return scope.authenticated and scope.role in Indicator.ADD_ROLES


@transaction.atomic
def refresh_now(user: User, year: int) -> int:
    """Recompute the year's computed values at once (the "recompute" button), for every
    region, city and district. Returns the number of values written."""
    if not may_refresh(user):
        raise PermissionDenied
    validate_year(year)
    return compute.refresh(year)
