"""Who is told (kense.notifications) when a meeting concerns them: its invited participants'
accounts, of an invitation (the invitation letter with its calendar file is sent by
kense.meetings.invitations, so the notification adds no second letter), a change of time or
place, and a cancellation. Called by the services inside their transactions."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import translation

from kense.accounts.models import User
from kense.meetings.invitations import meeting_when
from kense.meetings.models import Meeting, Participant
from kense.notifications.models import NotificationKind
from kense.notifications.services import notify


def _users(participants: Iterable[Participant]) -> list[User]:
    found = []
    for participant in participants:
        user = getattr(participant.person, "user", None)
        if user is not None:
            found.append(user)
    return found


def _label(meeting: Meeting) -> str:
    return f"{meeting.title} — {meeting_when(meeting, translation.get_language() or 'kk')}"


def participants_of(meeting: Meeting) -> list[Participant]:
    return list(meeting.participants.select_related("person__user").order_by("pk"))


def invited(
    meeting: Meeting, participants: Iterable[Participant], *, actor: User, letter_sent: bool
) -> None:
    """An invitation; `letter_sent` when the invitation letter went already."""
    notify(
        NotificationKind.MEETING_INVITATION,
        recipients=_users(participants),
        target=meeting,
        actor=actor,
        label=lambda: _label(meeting),
        email=not letter_sent,
    )


def changed(meeting: Meeting, *, actor: User, moved: bool) -> None:
    notify(
        NotificationKind.MEETING_CHANGED,
        recipients=_users(participants_of(meeting)),
        target=meeting,
        actor=actor,
        variant="moved" if moved else "",
        label=lambda: _label(meeting),
    )


def cancelled(meeting: Meeting, *, actor: User) -> None:
    notify(
        NotificationKind.MEETING_CANCELLED,
        recipients=_users(participants_of(meeting)),
        target=meeting,
        actor=actor,
        label=lambda: _label(meeting),
    )
