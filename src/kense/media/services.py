"""Writes to publications: saving one, and confirming an ingested article."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction

from kense.accounts.models import User
from kense.core.models import clean_aliases
from kense.core.permissions import Action, get_visible, require
from kense.core.services import save_in_scope
from kense.media.models import Publication
from kense.registry.models import Organization, Person
from kense.registry.services import organization_save, person_save


def publication_save(
    publication: Publication, *, user: User, links: Mapping[str, Iterable[Any]] | None = None
) -> Publication:
    """Create or update a publication with its links (each given link field is replaced);
    it must end up in the user's change scope, or nothing is saved."""
    if publication.pk is None and user.pk:
        publication.created_by = user
    return save_in_scope(publication, user=user, m2m=dict(links) if links is not None else None)


@transaction.atomic
def alias_record(*, kind: str, pk: int, spelling: str, user: User) -> Person | Organization:
    """Add a spelling to a person's or organization's aliases (through the registry services,
    so the change is scoped and audited); a spelling already known is not added twice."""
    obj: Person | Organization = (
        get_visible(Person.objects.all(), user, pk=pk)
        if kind == "person"
        else get_visible(Organization.objects.all(), user, pk=pk)
    )
    require(user, Action.CHANGE, obj)
    if spelling.strip().casefold() in {alias.casefold() for alias in obj.aliases}:
        return obj
    obj.aliases = clean_aliases([*obj.aliases, spelling])
    if isinstance(obj, Person):
        return person_save(obj, user=user)
    return organization_save(obj, user=user)


@transaction.atomic
def publication_ingest_confirm(
    publication: Publication,
    *,
    user: User,
    links: Mapping[str, Iterable[Any]],
    aliases: Iterable[tuple[str, int, str]] = (),
) -> Publication:
    """Create the publication of an ingested article with the links the user confirmed, and
    record the name variants they chose as aliases; all of it or nothing."""
    saved = publication_save(publication, user=user, links=links)
    for kind, pk, spelling in aliases:
        alias_record(kind=kind, pk=pk, spelling=spelling, user=user)
    return saved
