"""Invitations to a meeting: one letter per participant, in their language, with the .ics."""

from __future__ import annotations

from email.utils import parseaddr

from django.conf import settings
from django.db.models import prefetch_related_objects
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from kense.core.mail import send_templated_email
from kense.meetings import ics
from kense.meetings.models import Meeting, Participant
from kense.registry.models import Person
from kense.text.kazakh import format_datetime

DEFAULT_LANGUAGE = "kk"


def recipient(person: Person) -> tuple[str, str] | None:
    """Where and in which language to write to a person: their active account's address and
    language, else the address in the registry (in Kazakh); None when there is no address."""
    user = getattr(person, "user", None)  # the reverse one-to-one raises when there is none
    language = (user.language if user is not None else "") or DEFAULT_LANGUAGE
    if user is not None and user.is_active and user.email:
        return user.email, language
    if person.email:
        return person.email, language
    return None


NO_ADDRESS = _("No e-mail address: neither their account nor the registry has one")
NO_ACCOUNT = _("No account in Kense: the letter went to the registry's address only")


def not_notified(meeting: Meeting) -> list[tuple[Participant, str]]:
    """The participants the invitation did not reach, or reached only by letter, and why:
    no address at all (no letter), or no account (no notification in Kense, no Telegram)."""
    found: list[tuple[Participant, str]] = []
    for participant in meeting.participants.select_related("person__user").order_by("pk"):
        if recipient(participant.person) is None:
            found.append((participant, str(NO_ADDRESS)))
        elif getattr(participant.person, "user", None) is None:
            found.append((participant, str(NO_ACCOUNT)))
    return found


def meeting_when(meeting: Meeting, language: str) -> str:
    """«2021 ж. 15 ақпан 10:00–12:00» (the end's date is repeated only when it differs)."""
    start, end = timezone.localtime(meeting.start), timezone.localtime(meeting.end)
    if start.date() == end.date():
        return f"{format_datetime(start, language)}–{end:%H:%M}"
    return f"{format_datetime(start, language)} – {format_datetime(end, language)}"


def send_invitations(meeting: Meeting, *, base_url: str | None = None) -> int:
    """Queue an invitation letter, with the meeting attached as `invitation.ics`
    (METHOD:REQUEST), to every participant who has an e-mail address; return how many.

    Each letter is in its recipient's language (see `recipient`). The letters leave when the
    surrounding transaction commits. `base_url` ("https://kense.example.kz") makes the links
    absolute; it defaults to the KENSE_BASE_URL setting.
    """
    base_url = (settings.KENSE_BASE_URL if base_url is None else base_url).rstrip("/")
    prefetch_related_objects([meeting], "items")
    items = list(meeting.items.all())
    participants = meeting.participants.select_related("person__user").order_by("pk")
    sender = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    queued = 0
    for participant in participants:
        found = recipient(participant.person)
        if found is None:
            continue
        address, language = found
        with translation.override(language):
            url = base_url + meeting.get_absolute_url()
            organizer = str(meeting.organizer)
            title = meeting.title
        event = ics.meeting_event(
            meeting, language, url=url, organizer=(organizer, sender), attendee=address
        )
        send_templated_email(
            to=[address],
            template="meetings/email/invitation",
            context={
                "meeting": meeting,
                "person": participant.person,
                "when": meeting_when(meeting, language),
                "items": items,
                "url": url,
            },
            language=language,
            attachments=[
                (
                    "invitation.ics",
                    ics.calendar([event], title, method="REQUEST"),
                    "text/calendar",
                )
            ],
        )
        queued += 1
    return queued
