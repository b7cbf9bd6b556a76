"""Who is told (kense.notifications) when an idea is answered: its proposer. Called by the
evaluation services inside their transactions."""

from __future__ import annotations

from kense.accounts.models import User
from kense.ideas.models import Idea
from kense.notifications.models import NotificationKind
from kense.notifications.services import notify


def idea_answered(idea: Idea, *, actor: User) -> None:
    notify(
        NotificationKind.IDEA_ANSWERED,
        recipients=[idea.proposer] if idea.proposer_id else [],
        target=idea,
        actor=actor,
        note=idea.answer,
        label=lambda: idea.title,
    )
