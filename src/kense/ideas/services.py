"""Writes to ideas: proposing one, and the project office's evaluation of it (of a user's idea
and of a resident's alike; the resident is told by e-mail, see notices)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kense.accounts.models import User
from kense.core.attachments import attach
from kense.core.files import atomic_with_files
from kense.core.permissions import Action, can, can_add
from kense.events.models import Event
from kense.ideas import notices
from kense.ideas.models import OPEN_STATUSES, Idea, IdeaStatus
from kense.programs.models import Direction, Program, Project
from kense.programs.services import project_save
from kense.registry.models import Territory

MAX_IDEA_FILES = 5
NOT_EVALUATING = _("This idea has already been evaluated.")


@atomic_with_files()
def idea_propose(
    *,
    user: User,
    title: str,
    description: str,
    territory: Territory,
    direction: Direction | None = None,
    uploads: Iterable[Any] = (),
) -> Idea:
    """Record an idea proposed by `user` (any account), with its files checked by content.

    Raises ValidationError for bad input or a file that is not what it claims; nothing,
    neither the idea nor any file, is saved then.
    """
    if not can_add(user, Idea):
        raise PermissionDenied
    idea = Idea(
        title=title.strip(),
        description=description.strip(),
        territory=territory,
        direction=direction,
        proposer=user,
    )
    idea._history_user = user  # read by simple_history
    idea.full_clean()
    idea.save()
    attach(idea, uploads, user=user, max_files=MAX_IDEA_FILES)
    return idea


def _evaluate(idea: Idea, *, user: User, status: str, answer: str, **links: Any) -> Idea:
    """Move an idea out of evaluation (the project office of its territory only)."""
    if not can(user, Action.CHANGE, idea):
        raise PermissionDenied
    if idea.status not in OPEN_STATUSES:
        raise ValidationError(NOT_EVALUATING)
    idea.status = status
    idea.answer = answer.strip()
    for name, value in links.items():
        setattr(idea, name, value)
    idea.evaluated_by = user
    idea.evaluated_at = timezone.now()
    idea._history_user = user
    idea.full_clean()
    idea.save(
        update_fields=[
            "status",
            "answer",
            *links,
            "evaluated_by",
            "evaluated_at",
        ]
    )
    notices.idea_answered(idea, actor=user)
    return idea


@transaction.atomic
def idea_review(idea: Idea, *, user: User) -> Idea:
    """Take a received idea into evaluation (the project office of its territory); its
    resident is told. Raises ValidationError unless the idea is RECEIVED."""
    if not can(user, Action.CHANGE, idea):
        raise PermissionDenied
    if idea.status != IdeaStatus.RECEIVED:
        raise ValidationError(_("Only a received idea is taken into review."))
    idea.status = IdeaStatus.EVALUATING
    idea._history_user = user
    idea.save(update_fields=["status"])
    notices.idea_status_changed(idea)
    return idea


def _project_from(idea: Idea, program: Program) -> Project:
    direction = idea.direction
    if direction is not None and direction.program_id != program.pk:
        direction = None
    return Project(
        name_kk=idea.title,
        name_ru=idea.title,
        description_kk=idea.description,
        program=program,
        direction=direction,
        territory=idea.territory,
    )


@transaction.atomic
def idea_accept(
    idea: Idea,
    *,
    user: User,
    project: Project | None = None,
    event: Event | None = None,
    new_project_of: Program | None = None,
    answer: str = "",
) -> Idea:
    """Accept an idea: it becomes an existing project or event the user can see, or a new
    special project of the program `new_project_of`, created here from the idea (its title,
    description, territory, and its direction when that is the program's).

    Raises PermissionDenied unless the user is the project office of the idea's territory,
    ValidationError unless exactly one project or event is given and the idea is still
    being evaluated.
    """
    if not can(user, Action.CHANGE, idea):
        raise PermissionDenied
    if idea.status not in OPEN_STATUSES:
        raise ValidationError(NOT_EVALUATING)
    if new_project_of is not None:
        if project is not None:
            raise ValidationError(
                _("An accepted idea becomes one project or one event: choose exactly one.")
            )
        project = project_save(_project_from(idea, new_project_of), user=user)
    for name, target, model in (("project", project, Project), ("event", event, Event)):
        if target is not None and not model.objects.restrict(user).filter(pk=target.pk).exists():
            raise ValidationError({name: _("Select a valid choice.")})
    return _evaluate(
        idea,
        user=user,
        status=IdeaStatus.ACCEPTED,
        answer=answer,
        accepted_project=project,
        accepted_event=event,
    )


@transaction.atomic
def idea_reject(idea: Idea, *, user: User, answer: str) -> Idea:
    """Reject an idea with an answer the proposer reads (required)."""
    if not answer.strip():
        raise ValidationError({"answer": _("Give the proposer an answer: why not.")})
    return _evaluate(idea, user=user, status=IdeaStatus.REJECTED, answer=answer)


@transaction.atomic
def idea_merge(idea: Idea, *, user: User, into: Idea, answer: str = "") -> Idea:
    """Merge an idea into another one the user may evaluate; the proposer sees which.

    The other idea must not itself be merged (merges do not chain) nor be this idea. Raises
    PermissionDenied, before looking at the other idea, unless the user may evaluate this one.
    """
    if not can(user, Action.CHANGE, idea):
        raise PermissionDenied
    if into.pk == idea.pk:
        raise ValidationError({"merged_into": _("An idea cannot be merged into itself.")})
    if into.status == IdeaStatus.MERGED:
        raise ValidationError(
            {"merged_into": _("That idea is itself merged: merge into the idea it joined.")}
        )
    if not can(user, Action.CHANGE, into):
        raise ValidationError({"merged_into": _("Select a valid choice.")})
    return _evaluate(idea, user=user, status=IdeaStatus.MERGED, answer=answer, merged_into=into)
