"""Who is told when an idea is answered or changes status: its proposer, a user through
kense.notifications, a resident by e-mail in their language. Called by the services inside
their transactions."""

from __future__ import annotations

from kense.accounts.models import User
from kense.ideas.models import Idea
from kense.ideas.public import tell_citizen
from kense.notifications.models import NotificationKind
from kense.notifications.services import notify


def idea_status_changed(idea: Idea) -> None:
    """A resident's idea moved (under review, accepted, rejected, merged): its resident reads
    the new status and the office's answer."""
    tell_citizen(idea, event=idea.status)


def idea_answered(idea: Idea, *, actor: User) -> None:
    idea_status_changed(idea)
    notify(
        NotificationKind.IDEA_ANSWERED,
        recipients=[idea.proposer] if idea.proposer is not None else [],
        target=idea,
        actor=actor,
        note=idea.answer,
        label=lambda: idea.title,
    )
