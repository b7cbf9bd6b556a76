"""iCalendar (RFC 5545) for meetings: one VEVENT per meeting, wrapped in a VCALENDAR.

Written here rather than taken from a library: Kense needs one component with a dozen
properties, and the only subtle parts, text escaping and line folding, are a few lines each.

`meeting_event` gives the event's content lines unfolded; `calendar` folds them and joins them
with CRLF, so folding happens in exactly one place.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable

from django.utils import timezone, translation
from django.utils.translation import gettext

from kense.meetings.models import Meeting

PRODID = "-//Kense//Kense//KK"
# RFC 5545 §3.1: lines SHOULD NOT be longer than 75 octets, excluding the line break.
LINE_OCTETS = 75

# TEXT may not hold control characters other than the tab (§3.3.11); line breaks are escaped
# before this is applied, so what it removes is noise (form feeds, NULs pasted from Word).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def escape_text(value: str) -> str:
    """A TEXT value as RFC 5545 §3.3.11 writes it: \\ ; , escaped and line breaks as \\n."""
    value = value.replace("\\", "\\\\")  # first, so the backslashes added below stay single
    value = value.replace(";", "\\;").replace(",", "\\,")
    value = value.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")
    return _CONTROL.sub("", value)


def _param_value(value: str) -> str:
    # A parameter value is quoted so that ":", ";" and "," need no escaping; DQUOTE itself
    # cannot appear inside it at all (§3.1).
    return '"' + _CONTROL.sub("", value.replace('"', "").replace("\n", " ")) + '"'


def fold(line: str) -> list[str]:
    """Split one content line into physical lines of at most 75 octets of UTF-8 each.

    Every line after the first starts with the space that marks a continuation (the space
    counts towards the 75). A character is never split across lines, so each line is valid
    UTF-8 on its own.
    """
    lines: list[str] = []
    current: list[str] = []
    size = 0
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > LINE_OCTETS:
            lines.append("".join(current))
            current, size = [" "], 1
        current.append(char)
        size += width
    lines.append("".join(current))
    return lines


def utc(value: datetime.datetime) -> str:
    """A DATE-TIME in UTC form (§3.3.5, form #2): 20210215T040000Z."""
    if timezone.is_naive(value):
        raise ValueError("An iCalendar time needs an aware datetime.")
    return value.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def meeting_event(
    meeting: Meeting,
    language: str,
    *,
    url: str = "",
    stamp: datetime.datetime | None = None,
    cancelled: bool = False,
    organizer: tuple[str, str] | None = None,
    attendee: str | None = None,
) -> list[str]:
    """The unfolded content lines of the meeting's VEVENT, with its text in `language`.

    `url` is the meeting page's absolute address (left out when empty: the property must be
    an absolute URI). An invitation (METHOD:REQUEST) also needs `organizer` (name, address)
    and the `attendee`'s address; a published feed needs neither. The agenda comes from
    `meeting.items`, so prefetch it when writing many events.
    """
    with translation.override(language):
        title = meeting.title
        agenda = [item.title for item in meeting.items.all()]
        details: list[str] = []
        # The same labels as the invitation letter's, so they are translated once.
        for label, value in (
            (gettext("Video conference:"), meeting.video_url),
            (gettext("Meeting ID:"), meeting.video_meeting_id),
            (gettext("Passcode:"), meeting.video_passcode),
        ):
            if value:
                details.append(f"{label} {value}")
        if agenda:
            if details:
                details.append("")
            details.append(gettext("Agenda:"))
            details.extend(f"{number}. {text}" for number, text in enumerate(agenda, start=1))
        if url:
            details.extend(["", url])

    lines = [
        "BEGIN:VEVENT",
        f"UID:{meeting.uid}@kense",
        f"SEQUENCE:{meeting.ics_sequence}",
        f"DTSTAMP:{utc(stamp or timezone.now())}",
        f"DTSTART:{utc(meeting.start)}",
        f"DTEND:{utc(meeting.end)}",
        f"SUMMARY:{escape_text(title)}",
    ]
    location = meeting.venue or meeting.video_url
    if location:
        lines.append(f"LOCATION:{escape_text(location)}")
    if details:
        lines.append(f"DESCRIPTION:{escape_text(chr(10).join(details))}")
    if url:
        lines.append(f"URL:{url}")
    if organizer is not None:
        name, address = organizer
        lines.append(f"ORGANIZER;CN={_param_value(name)}:mailto:{address}")
    if attendee:
        # RSVP=FALSE: answers would go to the sending mailbox, which nobody reads; attendance
        # is marked in Kense itself.
        lines.append(f"ATTENDEE;ROLE=REQ-PARTICIPANT;RSVP=FALSE:mailto:{attendee}")
    lines.append(f"STATUS:{'CANCELLED' if cancelled else 'CONFIRMED'}")
    lines.append("END:VEVENT")
    return lines


def calendar(events: Iterable[list[str]], name: str, method: str | None = None) -> bytes:
    """A whole iCalendar object: the events inside a VCALENDAR, folded, CRLF-ended, UTF-8.

    `method` is "REQUEST" for an invitation sent by e-mail (RFC 5546), None for a feed.
    """
    lines = ["BEGIN:VCALENDAR", f"PRODID:{PRODID}", "VERSION:2.0", "CALSCALE:GREGORIAN"]
    if method:
        lines.append(f"METHOD:{method}")
    lines.append(f"X-WR-CALNAME:{escape_text(name)}")
    for event in events:
        lines.extend(event)
    lines.append("END:VCALENDAR")
    return "".join(piece + "\r\n" for line in lines for piece in fold(line)).encode("utf-8")
