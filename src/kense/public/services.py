"""Publishing: the project office decides what the open pages show."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from kense.core.history import audit_as
from kense.core.models import Publishable
from kense.core.permissions import Action, Role, can, scope_of
from kense.meetings.models import Meeting, MeetingState

if TYPE_CHECKING:
    from kense.core.permissions import Account

# The reasons kept in the history, stored untranslated and read in the reader's language
# (kense.core.history), as the messages that tell the office it is done.
PUBLISHED = gettext_noop("Published on the open pages.")
UNPUBLISHED = gettext_noop("Taken off the open pages.")

P = TypeVar("P", bound=Publishable)

# Only the office publishes: a coordinator, an organizer or a department may change a thing
# without deciding that the public reads it.
PUBLISHING_ROLES = {Role.PROJECT_OFFICE}


def can_publish(user: Account, obj: Publishable) -> bool:
    """May the user publish or unpublish this object (one it may change, as the office)?"""
    return scope_of(user).role in PUBLISHING_ROLES and can(user, Action.CHANGE, obj)


@transaction.atomic
def publication_set(obj: P, *, user: Account, published: bool) -> P:
    """Publish the object on the open pages, or take it off them. The row keeps who did it
    and when; its history keeps each publish and unpublish. Publishing again changes nothing."""
    if not can_publish(user, obj):
        raise PermissionDenied
    if published and isinstance(obj, Meeting) and obj.state == MeetingState.DRAFT:
        raise ValidationError(_("A draft meeting cannot be published: schedule it first."))
    locked = type(obj)._default_manager.select_for_update().get(pk=obj.pk)
    if locked.is_published == published:
        obj.published_at, obj.published_by_id = locked.published_at, locked.published_by_id
        return obj
    locked.published_at = timezone.now() if published else None
    locked.published_by = user if published else None
    audit_as(locked, user, reason=PUBLISHED if published else UNPUBLISHED)
    locked.save(update_fields=["published_at", "published_by"])
    obj.published_at, obj.published_by_id = locked.published_at, locked.published_by_id
    return obj
