"""The project office's moderation of residents' ideas: its queue (a selector) and its acts
(services): hide and show again, edit personal data out, block an address. Merging is the
evaluation's own (`services.idea_merge`). Each act needs the right to change the idea
(`IdeaQuerySet`: the project office of its territory) and keeps its reason.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kense.accounts.models import User
from kense.core.permissions import Action, Actor, Role, can, restrict, scope_of
from kense.ideas.models import CitizenAddress, Idea
from kense.ideas.public import TEXT_MAX, TITLE_MAX, plain_text, tell_citizen

# simple-history keeps a change's reason in a column of 100 characters.
REASON_MAX = 100
REASON_REQUIRED = _("Give the reason.")


# Who moderates at all (where: IdeaQuerySet's CHANGE scope). The others get 403 at the queue.
MODERATING_ROLES = {Role.PROJECT_OFFICE, Role.ADMINISTRATOR}


def may_moderate(user: Actor) -> bool:
    """Whether the user moderates residents' ideas somewhere (the queue is theirs)."""
    return scope_of(user).role in MODERATING_ROLES


def moderation_queue(
    user: Actor, *, status: str = "", hidden: bool | None = None
) -> QuerySet[Idea]:
    """The residents' ideas the user may moderate, in `status` when given, hidden or shown
    when `hidden` is given, oldest waiting first, with their supports counted."""
    ideas = restrict(Idea.objects.all(), user, Action.CHANGE).filter(proposer__isnull=True)
    if status:
        ideas = ideas.filter(status=status)
    if hidden is not None:
        ideas = ideas.filter(hidden_at__isnull=not hidden)
    return (
        ideas.select_related("territory", "citizen", "hidden_by__person")
        .annotate(supports_count=Count("supports"))
        .order_by("created_at", "pk")
    )


def _reason(reason: str) -> str:
    reason = plain_text(reason)
    if not reason:
        raise ValidationError({"reason": REASON_REQUIRED})
    if len(reason) > REASON_MAX:
        raise ValidationError(
            {"reason": _("At most %(count)d characters.") % {"count": REASON_MAX}}
        )
    return reason


def require_moderator(user: User, idea: Idea) -> None:
    if not can(user, Action.CHANGE, idea) or idea.proposer_id is not None:
        raise PermissionDenied


@transaction.atomic
def idea_hide(idea: Idea, *, user: User, reason: str) -> Idea:
    """Take a resident's idea off the open pages, with the reason its resident reads."""
    require_moderator(user, idea)
    idea.hidden_reason = _reason(reason)
    idea.hidden_at = timezone.now()
    idea.hidden_by = user
    idea._history_user = user
    idea._change_reason = idea.hidden_reason  # type: ignore[attr-defined]
    idea.save(update_fields=["hidden_at", "hidden_reason", "hidden_by"])
    tell_citizen(idea, event="hidden")
    return idea


@transaction.atomic
def idea_unhide(idea: Idea, *, user: User, reason: str) -> Idea:
    """Show a hidden idea again; the reason stays in its history."""
    require_moderator(user, idea)
    reason = _reason(reason)
    idea.hidden_at = None
    idea.hidden_reason = ""
    idea.hidden_by = None
    idea._history_user = user
    idea._change_reason = reason  # type: ignore[attr-defined]
    idea.save(update_fields=["hidden_at", "hidden_reason", "hidden_by"])
    return idea


@transaction.atomic
def idea_redact(idea: Idea, *, user: User, title: str, description: str, reason: str) -> Idea:
    """Edit personal data out of a resident's idea: its title and text become the edited ones,
    in the idea and in every earlier version of its history (which would otherwise keep what
    was edited out); the new version records who did it and why."""
    require_moderator(user, idea)
    reason = _reason(reason)
    title, description = plain_text(title), plain_text(description)
    errors: dict[str, Any] = {}
    for field, value, limit in (
        ("title", title, TITLE_MAX),
        ("description", description, TEXT_MAX),
    ):
        if not value:
            errors[field] = _("This field is required.")
        elif len(value) > limit:
            errors[field] = _("At most %(count)d characters.") % {"count": limit}
    if errors:
        raise ValidationError(errors)
    idea.history.update(title=title, description=description)  # type: ignore[attr-defined]
    idea.title, idea.description = title, description
    idea._history_user = user
    idea._change_reason = reason  # type: ignore[attr-defined]
    idea.save(update_fields=["title", "description"])
    return idea


@transaction.atomic
def address_block(idea: Idea, *, user: User, reason: str) -> CitizenAddress:
    """Block the address that proposed `idea` (an idea the user moderates): it may no longer
    ask for codes, propose nor support. Its ideas stay as they are."""
    require_moderator(user, idea)
    address = idea.citizen
    if address is None:
        raise ValidationError(_("This idea's proposer has deleted their address."))
    address.block_reason = plain_text(reason)[:500]
    if not address.block_reason:
        raise ValidationError({"reason": REASON_REQUIRED})
    address.blocked_at = timezone.now()
    address.blocked_by = user
    address.save(update_fields=["blocked_at", "block_reason", "blocked_by"])
    return address
