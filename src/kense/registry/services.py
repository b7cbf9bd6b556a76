"""Writes to the registry. Each one validates, saves in a transaction and is audited."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kense.core.history import audit_as
from kense.core.permissions import Action, Role, can_add
from kense.core.services import save_in_scope
from kense.registry.models import (
    Appointment,
    Organization,
    OrganizationParentPeriod,
    Person,
    StaffPost,
    Territory,
    TerritoryKind,
    TerritoryParentPeriod,
)

if TYPE_CHECKING:
    from kense.accounts.models import User


def _record_parent(
    period_model: type[TerritoryParentPeriod] | type[OrganizationParentPeriod],
    field: str,
    obj: Territory | Organization,
    *,
    on: datetime.date | None,
    act: str,
    user: User,
    former: int | None = None,
) -> None:
    """Close the open period under the former parent and open one under the current parent,
    both recorded in their history as done by `user` (the API's moves say who recorded one).

    An object created without a parent gets no period; `on` None means "since always" for a
    new object and "today" for a move. An object moved from under `former` (its parent until
    now) without any recorded period (made by a factory, the demo or an older import) first
    gets the period it stood under `former` "since always", so that the move leaves its trace.
    """
    periods = period_model.objects.filter(**{field: obj})
    open_period = periods.filter(end__isnull=True).order_by("-pk").first()
    if open_period is None and former is not None and not periods.exists():
        open_period = period_model(**{field: obj}, parent_id=former)
    if open_period is not None:
        moved_on = on or timezone.localdate()
        if open_period.start is not None and moved_on < open_period.start:
            raise ValidationError(
                {"moved_on": _("The move date is before the current membership started.")}
            )
        open_period.end = moved_on
        audit_as(open_period, user)
        if open_period.pk is None:
            open_period.save()
        else:
            open_period.save(update_fields=["end"])
        on = moved_on
    # An organization's period may say "under no parent" (it stood alone for a while); a
    # territory's always names its parent, so a territory moved to the top of the tree only
    # closes the period it had.
    if obj.parent_id is not None or (open_period is not None and isinstance(obj, Organization)):
        period = period_model(  # type: ignore[misc]  # the two period models, one call
            **{field: obj}, parent_id=obj.parent_id, start=on, act=act
        )
        audit_as(period, user)
        period.save()


def _old_parent_id(
    model: type[Territory] | type[Organization], obj: Territory | Organization
) -> int | None:
    return model.objects.filter(pk=obj.pk).values_list("parent_id", flat=True).first()


# How high a type of territory stands in the tree; a territory inside a coordinator's one
# stands lower.
TERRITORY_RANK: dict[str, int] = {
    TerritoryKind.COUNTRY: 0,
    TerritoryKind.REGION: 1,
    TerritoryKind.CITY: 2,
    TerritoryKind.DISTRICT: 2,
    TerritoryKind.RURAL_DISTRICT: 3,
    TerritoryKind.SETTLEMENT: 4,
}


def _keep_within_the_coordinated(territory: Territory, user: User) -> None:
    """A coordinator works inside their territory, not on its place in the tree: they may
    rename it, but its period, parent and type are the project office's to change; and what
    they add inside it is of a lower type (no "region" inside a district)."""
    root = user.territory if user.role == Role.COORDINATOR else None
    if root is None:
        return
    if territory.pk == root.pk:
        fixed = {
            "valid_from": "valid_from",
            "valid_to": "valid_to",
            "parent": "parent_id",
            "kind": "kind",
        }
        changed = [
            name
            for name, attribute in fixed.items()
            if getattr(territory, attribute) != getattr(root, attribute)
        ]
        if changed:
            raise ValidationError(
                {
                    name: _("Only the project office changes this of the territory you coordinate.")
                    for name in changed
                }
            )
        return
    rank = TERRITORY_RANK.get(territory.kind)  # None for a wrong type: full_clean says so
    if rank is not None and rank <= TERRITORY_RANK[root.kind]:
        raise ValidationError(
            {
                "kind": _("Inside %(territory)s only a territory of a lower type can stand.")
                % {"territory": root}
            }
        )


@transaction.atomic
def territory_save(
    territory: Territory, *, user: User, moved_on: datetime.date | None = None, act: str = ""
) -> Territory:
    """Create or update a territory. A change of parent is recorded as a new period from
    `moved_on`: the 2022 transfer to Ulytau region stays visible as history."""
    _keep_within_the_coordinated(territory, user)
    former = _old_parent_id(Territory, territory) if territory.pk else None
    moved = territory.pk is None or former != territory.parent_id
    on = moved_on if territory.pk else (moved_on or territory.valid_from)

    def record(saved: Territory) -> None:
        if moved:
            _record_parent(
                TerritoryParentPeriod,
                "territory",
                saved,
                on=on,
                act=act,
                user=user,
                former=former,
            )

    return save_in_scope(territory, user=user, after_save=record)


@transaction.atomic
def organization_save(
    organization: Organization,
    *,
    user: User,
    moved_on: datetime.date | None = None,
    act: str = "",
) -> Organization:
    """Create or update an organization; a move under another parent is kept with its date
    (the project office moving into a media holding)."""
    former = _old_parent_id(Organization, organization) if organization.pk else None
    moved = organization.pk is None or former != organization.parent_id

    def record(saved: Organization) -> None:
        if moved:
            _record_parent(
                OrganizationParentPeriod,
                "organization",
                saved,
                on=moved_on,
                act=act,
                user=user,
                former=former,
            )

    return save_in_scope(organization, user=user, after_save=record)


class NotAllowedHere(PermissionDenied):
    """Some of the objects would stand where the user may not write; nothing was saved."""

    def __init__(self, refused: Sequence[Organization]) -> None:
        super().__init__()
        self.refused = list(refused)


BATCH_SIZE = 1000


@transaction.atomic
def organizations_create(organizations: Sequence[Organization], *, user: User) -> None:
    """Create many new organizations at once, as organization_save would one by one (search
    text, path, membership under the parent, history by `user`, the same scope rule) in a few
    queries a thousand. They must be validated already: the import checks a whole file at once.

    A parent is a saved organization or an earlier one of `organizations`. Raises
    NotAllowedHere, naming those the user may not add where they would stand, and saves none.
    """
    if not can_add(user, Organization):
        raise NotAllowedHere(organizations)
    for organization in organizations:
        organization.refresh_search_text()
    Organization.bulk_create_tree(organizations, batch_size=BATCH_SIZE)
    # The same rule as save_in_scope's can(): where the organization stands now.
    allowed: set[int] = set()
    for start in range(0, len(organizations), BATCH_SIZE):
        batch = [organization.pk for organization in organizations[start : start + BATCH_SIZE]]
        allowed.update(
            Organization.objects.filter(pk__in=batch)
            .restrict(user, Action.CHANGE)
            .values_list("pk", flat=True)
        )
    refused = [organization for organization in organizations if organization.pk not in allowed]
    if refused:
        raise NotAllowedHere(refused)
    # `history`: added by simple-history at run time (translation.py), unknown to the type.
    Organization.history.bulk_history_create(  # type: ignore[attr-defined]
        organizations, default_user=user, default_change_reason=None, batch_size=BATCH_SIZE
    )
    # What _record_parent does for a new organization: a period "since always" under its parent.
    periods = [
        OrganizationParentPeriod(organization=organization, parent_id=organization.parent_id)
        for organization in organizations
        if organization.parent_id is not None
    ]
    OrganizationParentPeriod.objects.bulk_create(periods, batch_size=BATCH_SIZE)
    OrganizationParentPeriod.history.bulk_history_create(  # type: ignore[attr-defined]  # as above
        periods, default_user=user, default_change_reason=None, batch_size=BATCH_SIZE
    )


def person_save(person: Person, *, user: User, appointment: Appointment | None = None) -> Person:
    """Create or update a person (names in kk/ru/en, aliases), with a first appointment when
    given: a department or institution registers people through their post with it."""

    def appoint(saved: Person) -> None:
        if appointment is not None:
            appointment.person = saved
            appointment_save(appointment, user=user)

    return save_in_scope(person, user=user, after_save=appoint)


def appointment_save(appointment: Appointment, *, user: User) -> Appointment:
    """Create or update an appointment; its organization must be one the user may change."""
    return save_in_scope(appointment, user=user)


def staff_post_save(post: StaffPost, *, user: User) -> StaffPost:
    """Create or update a post of a staffing table."""
    return save_in_scope(post, user=user)
