"""One permission mechanism for every page and API endpoint.

A user's role says what they may do; their territory or organization says where. Every scoped
model's QuerySet implements `scope_q(scope, action)`, and views and endpoints only ever reach
objects through `restrict(user, action)`. An object outside the view scope is answered with 404
(its existence is not revealed); an action the role may not take on a visible object with 403.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, Self, TypeAlias, TypeVar, cast, overload

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
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
            return EVERYTHING if self.is_wide or self.is_admin else NOTHING
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
# What a wide role without a territory reaches. Not Q(): `x | Q()` is `x` in Django, so
# "these, or everything" would shrink to "these"; this one stays everything when combined
# (and costs nothing: the database is sent no condition for it).
EVERYTHING = ~models.Q(pk__in=[])
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


if TYPE_CHECKING:
    from django.contrib.auth.models import _User

    # The account of a signed-in user: the configured user model (settings.AUTH_USER_MODEL),
    # which the django-stubs plugin substitutes for this stub-only alias as it does for
    # request.user, so core names it without importing the app that defines it (import it
    # under TYPE_CHECKING too). For what records who acted in a foreign key or a history row
    # (a comment's author, an approval); permission checks, which an anonymous visitor also
    # meets, take an Actor.
    Account: TypeAlias = _User


def scope_of(user: Actor) -> Scope:
    """The user's scope (computed once per request and kept on the user object), or NOBODY
    for an anonymous or inactive visitor."""
    if not user.is_authenticated or not user.is_active:
        return NOBODY
    return cast(ScopedActor, user).scope


M = TypeVar("M", bound=models.Model)


class RestrictedQuerySet(models.QuerySet[M]):
    """A QuerySet that can narrow itself to what a user may see or do.

    A model's QuerySet names its model (`class TerritoryQuerySet(RestrictedQuerySet[
    "Territory"])`; one shared by several models stays generic), so that `restrict` keeps the
    rows' type. A model translated by modeltranslation gets its manager from
    `models.Manager.from_queryset(TerritoryQuerySet)()` rather than `as_manager()`:
    modeltranslation replaces the manager's class at run time, and the django-stubs plugin
    then follows only this spelling (with `as_manager()`, `Territory.objects` is Any to it).
    """

    # The foreign key to the territory whose subtree, seen whole by a user's territory (see
    # Scope.sees_all_of), lets the user see the row; "" when the rows are territories. Declared
    # only where scope_q admits every such row: may_open then answers without a query.
    territory_field: str | None = None

    def scope_q(self, scope: Scope, action: str) -> models.Q:
        raise NotImplementedError

    def restrict(self, user: Actor, action: str = Action.VIEW) -> Self:
        scope = scope_of(user)
        if not scope.authenticated:
            return self.none()
        if scope.is_admin:
            return self
        return self.filter(self.scope_q(scope, action))

    def restrict_parts(
        self, user: Actor, action: str = Action.VIEW, *, correlate: bool = False
    ) -> list[Self]:
        """`restrict` as the rows of each reason to see them (the parts of the scope's OR: a
        meeting in the territory, one the user is invited to), which together are exactly
        `restrict`'s. A part can be searched by its own index, where the whole OR makes
        PostgreSQL read everything the search words find and test each row. ``correlate``:
        each part asked row by row (:func:`correlated`), for SQLite."""
        scope = scope_of(user)
        if not scope.authenticated or scope.is_admin:
            return [self.restrict(user, action)]
        condition = self.scope_q(scope, action)
        if condition.connector != models.Q.OR or condition.negated or len(condition) < 2:
            return [self.filter(correlated(condition) if correlate else condition)]
        # A reason nobody has (NOTHING: no person, so no invitations) is no part.
        parts = [part for part in condition.children if part not in NOTHING.children]
        return [
            self.filter(correlated(models.Q(part)) if correlate else models.Q(part))
            for part in parts
        ] or [self.none()]


def correlated(condition: models.Q) -> models.Q:
    """``condition`` with each of its terms `field__in=<one column of a query>` asked as an
    EXISTS for the row at hand. The same rows; but SQLite computes an IN's whole list before
    it looks at a row (a country office's 100,000 publications to find the three a search
    word found), and answers an EXISTS from an index per row. PostgreSQL plans both alike."""
    if condition.negated:
        return condition
    children: list[Any] = []
    for child in condition.children:
        if isinstance(child, models.Q):
            children.append(correlated(child))
            continue
        if not isinstance(child, tuple):  # an expression already
            children.append(child)
            continue
        lookup, value = child
        if (
            lookup.endswith("__in")
            and isinstance(value, models.QuerySet)
            and len(value.query.values_select) == 1
            and not value.query.combinator  # a UNION cannot be filtered
            and not value.query.is_sliced
        ):
            field = lookup[: -len("__in")]
            column = str(value.query.values_select[0])
            children.append(models.Exists(value.filter(**{column: models.OuterRef(field)})))
        else:
            children.append(child)
    return models.Q(*children, _connector=condition.connector)


@overload
def restrict(rows: models.QuerySet[M], user: Actor, action: str = ...) -> RestrictedQuerySet[M]: ...
@overload
def restrict(rows: models.Manager[M], user: Actor, action: str = ...) -> RestrictedQuerySet[M]: ...
def restrict(
    rows: models.QuerySet[M] | models.Manager[M], user: Actor, action: str = Action.VIEW
) -> RestrictedQuerySet[M]:
    """`rows.restrict(user, action)` for rows typed as a plain QuerySet or Manager (what
    selectors return, a model's `_default_manager`): at run time every scoped model's rows
    are a RestrictedQuerySet, or a manager that hands `restrict` to one. Only the type is
    asserted; rows without `restrict` fail here, as they always have."""
    return cast(RestrictedQuerySet[M], rows).restrict(user, action)


# Overloads rather than one union: mypy infers M from a QuerySet (or a Manager) alone.
@overload
def get_visible(rows: models.QuerySet[M], user: Actor, **lookup: Any) -> M: ...
@overload
def get_visible(rows: models.Manager[M], user: Actor, **lookup: Any) -> M: ...
def get_visible(rows: models.QuerySet[M] | models.Manager[M], user: Actor, **lookup: Any) -> M:
    """The object the user may see, or 404: existence outside the scope is not revealed."""
    try:
        return restrict(rows, user, Action.VIEW).get(**lookup)
    except (ObjectDoesNotExist, ValueError) as error:  # .get raises only its model's
        raise Http404 from error


def get_changeable(rows: models.QuerySet[M], user: Actor, **lookup: Any) -> M:
    """The object the user may change: 404 if they cannot see it, 403 if they may only see it."""
    obj = get_visible(rows, user, **lookup)
    require(user, Action.CHANGE, obj)
    return obj


def can(user: Actor, action: str, obj: models.Model) -> bool:
    """May the user take `action` on this (visible) object?"""
    scope = scope_of(user)
    if not scope.authenticated:
        return False
    if scope.is_admin:
        return True
    rows = type(obj)._default_manager.filter(pk=obj.pk)
    return restrict(rows, user, action).exists()


def may_open(user: Actor, obj: models.Model) -> bool:
    """May the user open this object's page (see it)? For drawing a link, not for guarding a
    view (that is get_visible). Answered without the database where the scope decides alone:
    a model everyone reads, or an object placed in a territory the user sees whole (one query
    per request lists those territories). Otherwise the first question about a model on a
    request loads the keys of its rows the user sees, once, and every later one is answered
    from them, so a page of fifty links asks the database at most once per model. A model
    without `restrict` is not scoped: its objects open for any signed-in user."""
    scope = scope_of(user)
    if not scope.authenticated:
        return False
    if scope.is_admin:
        return True
    model = cast(type[models.Model], type(obj)._meta.concrete_model)
    if not hasattr(model._default_manager, "restrict"):
        return True
    memo: _Visibility | None = getattr(user, "_visibility", None)
    if memo is None:
        memo = _Visibility()
        # Kept on the request's user object, as its scope is.
        user._visibility = memo  # type: ignore[attr-defined]
    rows = cast(RestrictedQuerySet[models.Model], model._default_manager.all())
    everyone = memo.everyone.get(model)
    if everyone is None:
        everyone = memo.everyone[model] = rows.scope_q(scope, Action.VIEW) == models.Q()
    if everyone:
        return True
    through = rows.territory_field
    if through is not None and not scope.is_organization_bound:
        territory_id = obj.pk if through == "" else getattr(obj, f"{through}_id", None)
        territory_model = model if through == "" else model._meta.get_field(through).related_model
        if territory_id is not None and memo.sees_whole(scope, territory_model, territory_id):
            return True
    keys = memo.keys.get(model)
    if keys is None:
        keys = memo.keys[model] = frozenset(
            restrict(rows, user, Action.VIEW).values_list("pk", flat=True)
        )
    return obj.pk in keys


@dataclass
class _Visibility:
    """What may_open learnt on one request."""

    everyone: dict[type[models.Model], bool] = field(default_factory=dict)
    keys: dict[type[models.Model], frozenset[Any]] = field(default_factory=dict)
    whole_territories: frozenset[Any] | None = None

    def sees_whole(self, scope: Scope, territory_model: Any, territory_id: Any) -> bool:
        """Is the territory inside the subtree the scope sees whole?"""
        if scope.territory_path is None:
            return scope.is_wide
        if self.whole_territories is None:
            self.whole_territories = frozenset(
                territory_model._default_manager.filter(
                    path__startswith=scope.territory_path
                ).values_list("pk", flat=True)
            )
        return territory_id in self.whole_territories


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
