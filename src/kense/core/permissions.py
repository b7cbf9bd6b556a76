"""One permission mechanism for every page and API endpoint.

A user's role says what they may do; their territory or organization says where. Every scoped
model's QuerySet implements `scope_q(scope, action)`, and views and endpoints only ever reach
objects through `restrict(user, action)`. An object outside the view scope is answered with 404
(its existence is not revealed); an action the role may not take on a visible object with 403.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol, Self, TypeVar, cast

from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", _("Administrator")
    PROJECT_OFFICE = "project_office", _("Project office")
    EXECUTIVE = "executive", _("Executive (akim, deputy akim)")
    DEPARTMENT = "department", _("Department")
    COORDINATOR = "coordinator", _("Territory coordinator")
    INSTITUTION = "institution", _("Institution")
    OBSERVER = "observer", _("Observer")


class Action(models.TextChoices):
    VIEW = "view"
    ADD = "add"
    CHANGE = "change"
    COMMENT = "comment"


# Roles that see their whole territory (all of it when they have none), whatever the object.
WIDE_ROLES = {Role.ADMINISTRATOR, Role.PROJECT_OFFICE, Role.EXECUTIVE, Role.OBSERVER}
# Roles that may write at all; what they may write is narrowed per model.
WRITING_ROLES = {Role.ADMINISTRATOR, Role.PROJECT_OFFICE, Role.COORDINATOR}
ORGANIZATION_ROLES = {Role.DEPARTMENT, Role.INSTITUTION}
COMMENTING_ROLES = {
    Role.ADMINISTRATOR,
    Role.PROJECT_OFFICE,
    Role.EXECUTIVE,
    Role.DEPARTMENT,
    Role.COORDINATOR,
}


@dataclass(frozen=True)
class Scope:
    """Where a user may look: a territory subtree and/or an organization subtree.

    territory_path None with a wide role means the whole database.
    """

    role: str
    territory_path: str | None
    organization_path: str | None
    organization_territory_path: str | None
    authenticated: bool = True
    # Subtrees that were once inside the user's territory and moved out (Zhezkazgan left
    # Karaganda region in 2022): still readable, so the region keeps its history.
    former_territory_paths: tuple[str, ...] = ()
    # The person behind the account: what they are personally part of (a meeting they are
    # invited to, an assignment they lead) is visible whatever their role.
    person_id: int | None = None
    user_id: int | None = None

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMINISTRATOR

    @property
    def is_wide(self) -> bool:
        return self.role in WIDE_ROLES

    @property
    def is_organization_bound(self) -> bool:
        return self.role in ORGANIZATION_ROLES

    @property
    def may_write_registry(self) -> bool:
        return self.role in WRITING_ROLES or self.is_organization_bound

    def sees_all_of(self, path: str) -> bool:
        """Whether the territory subtree at `path` is visible whole by the territory alone:
        a wide role over everything, or a territory role at or above it. Then everything
        placed in that subtree (events, assignments) is visible too, whatever else the
        object's own scope would admit."""
        if self.is_admin:
            return True
        if self.is_organization_bound or not self.authenticated:
            return False
        if self.territory_path is None:
            return self.is_wide
        return path.startswith(self.territory_path)

    def territory_q(self, prefix: str, *, former: bool = False) -> models.Q:
        """Objects whose territory (reached through `prefix`) lies inside the scope; with
        `former`, also inside the subtrees that have since moved out of it (for reading)."""
        path = self.territory_path
        if self.is_organization_bound:
            path = self.organization_territory_path
        if path is None:
            return models.Q() if self.is_wide or self.is_admin else NOTHING
        q = models.Q(**{f"{prefix}path__startswith": path})
        if former and not self.is_organization_bound:
            for former_path in self.former_territory_paths:
                q |= models.Q(**{f"{prefix}path__startswith": former_path})
        return q

    def organization_q(self, prefix: str, *, former: bool = False) -> models.Q:
        """Objects whose organization (reached through `prefix`) lies inside the scope."""
        if self.is_organization_bound:
            if self.organization_path is None:
                return NOTHING
            return models.Q(**{f"{prefix}path__startswith": self.organization_path})
        return self.territory_q(f"{prefix}territory__", former=former)


NOTHING = models.Q(pk__in=[])
NOBODY = Scope("", None, None, None, authenticated=False)


class Actor(Protocol):
    """Whoever acts, as core needs to know them: signed in or not, and, when they are, where
    they may look (kense.accounts.models.User builds its scope from its territory and
    organization). An anonymous visitor is an Actor without a scope."""

    @property
    def is_authenticated(self) -> bool: ...

    @property
    def is_active(self) -> bool: ...


class ScopedActor(Actor, Protocol):
    @property
    def scope(self) -> Scope: ...


def scope_of(user: Actor) -> Scope:
    """The user's scope (computed once per request and kept on the user object), or NOBODY
    for an anonymous or inactive visitor."""
    if not user.is_authenticated or not user.is_active:
        return NOBODY
    return cast(ScopedActor, user).scope


class RestrictedQuerySet(models.QuerySet):
    """A QuerySet that can narrow itself to what a user may see or do."""

    def scope_q(self, scope: Scope, action: str) -> models.Q:
        raise NotImplementedError

    def restrict(self, user: Actor, action: str = Action.VIEW) -> Self:
        scope = scope_of(user)
        if not scope.authenticated:
            return self.none()
        if scope.is_admin:
            return self
        return self.filter(self.scope_q(scope, action))


M = TypeVar("M", bound=models.Model)


def get_visible(queryset: models.QuerySet[M], user: Actor, **lookup: Any) -> M:
    """The object the user may see, or 404: existence outside the scope is not revealed."""
    restricted = queryset.restrict(user, Action.VIEW)  # type: ignore[attr-defined]
    try:
        return restricted.get(**lookup)
    except (restricted.model.DoesNotExist, ValueError) as error:
        raise Http404 from error


def can(user: Actor, action: str, obj: models.Model) -> bool:
    """May the user take `action` on this (visible) object?"""
    scope = scope_of(user)
    if not scope.authenticated:
        return False
    if scope.is_admin:
        return True
    manager = type(obj)._default_manager
    return manager.filter(pk=obj.pk).restrict(user, action).exists()  # type: ignore[attr-defined]


def require(user: Actor, action: str, obj: models.Model) -> None:
    """403 unless the user may take `action` on the object (which they can already see)."""
    if not can(user, action, obj):
        raise PermissionDenied


def can_add(user: Actor, model: type[models.Model]) -> bool:
    """May the user create objects of this model at all (where is checked on the form)?"""
    scope = scope_of(user)
    if not scope.authenticated:
        return False
    rule = getattr(model, "ADD_ROLES", None)
    return scope.role in (rule if rule is not None else WRITING_ROLES | ORGANIZATION_ROLES)


def require_add(user: Actor, model: type[models.Model]) -> None:
    """403 unless the user's role may create objects of this model at all."""
    if not can_add(user, model):
        raise PermissionDenied
