"""Writes to publications: saving one, and confirming an ingested article."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, cast

from django.db import transaction
from django.utils import timezone

from kense.accounts.models import User
from kense.core.models import clean_aliases
from kense.core.permissions import Action, get_visible, require
from kense.core.services import save_in_scope
from kense.media.models import LinkChoice, Publication
from kense.programs.models import Direction, Program, Project
from kense.programs.services import direction_save, program_save, project_save
from kense.registry.models import Organization, Person, Territory
from kense.registry.services import organization_save, person_save, territory_save

# Whatever a text can name and the office can give another spelling.
Aliased = Person | Organization | Territory | Program | Direction | Project

# A kind (as the matcher and the review name it) → its model and its app's save service.
ALIASED: dict[str, tuple[type[Aliased], Callable[..., Aliased]]] = {
    "person": (Person, person_save),
    "organization": (Organization, organization_save),
    "territory": (Territory, territory_save),
    "program": (Program, program_save),
    "direction": (Direction, direction_save),
    "project": (Project, project_save),
}


def publication_save(
    publication: Publication, *, user: User, links: Mapping[str, Iterable[Any]] | None = None
) -> Publication:
    """Create or update a publication with its links (each given link field is replaced);
    it must end up in the user's change scope, or nothing is saved."""
    if publication.pk is None and user.pk:
        publication.created_by = user
    return save_in_scope(publication, user=user, m2m=dict(links) if links is not None else None)


@transaction.atomic
def alias_record(*, kind: str, pk: int, spelling: str, user: User) -> Aliased:
    """Add a spelling to the aliases of a person, organization, territory, program, direction
    or project (`kind`), through its app's save service, so the change is validated, scoped
    and audited: 404 if the user cannot see it, 403 if they may not change it, and nothing is
    saved. A spelling already known is not added twice. An unknown kind is a ValueError."""
    if kind not in ALIASED:
        raise ValueError(f"No aliases for the kind {kind!r}.")
    model, save = ALIASED[kind]
    obj = cast(Aliased, get_visible(model.objects.all(), user, pk=pk))
    require(user, Action.CHANGE, obj)
    if spelling.strip().casefold() in {alias.casefold() for alias in obj.aliases}:
        return obj
    obj.aliases = clean_aliases([*obj.aliases, spelling])
    return save(obj, user=user)


@transaction.atomic
def publication_ingest_confirm(
    publication: Publication,
    *,
    user: User,
    links: Mapping[str, Iterable[Any]],
    aliases: Iterable[tuple[str, int, str]] = (),
    choices: Iterable[tuple[str, str, int]] = (),
    territory: Territory | None = None,
) -> Publication:
    """Create the publication of an ingested article with the links the user confirmed,
    record the name variants they chose as aliases, and remember which entity each shared
    name meant (``choices``: folded name, kind, pk) for the next texts of ``territory``; all
    of it or nothing."""
    saved = publication_save(publication, user=user, links=links)
    for kind, pk, spelling in aliases:
        alias_record(kind=kind, pk=pk, spelling=spelling, user=user)
    if territory is not None:
        for name, kind, pk in choices:
            link_choice_record(territory=territory, name=name, kind=kind, pk=pk, user=user)
    return saved


def link_choice_record(*, territory: Territory, name: str, kind: str, pk: int, user: User) -> None:
    """Remember that in texts of ``territory`` the shared name ``name`` (folded) means the
    entity (``kind``, ``pk``): the latest choice replaces an earlier one, which the history
    keeps."""
    choice = LinkChoice.objects.filter(territory=territory, spelling=name).first()
    if choice is None:
        choice = LinkChoice(territory=territory, spelling=name)
    elif (choice.kind, choice.object_id) == (kind, pk):
        return
    choice.kind, choice.object_id = kind, pk
    choice.chosen_by, choice.chosen_at = user, timezone.now()
    choice.save()
