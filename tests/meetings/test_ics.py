"""Meetings in calendars: the iCalendar writer, invitations by e-mail with an .ics, the
personal feed and the single-meeting download."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from factories import (
    AgendaItemFactory,
    MeetingFactory,
    ParticipantFactory,
    PersonFactory,
    TerritoryFactory,
    UserFactory,
)
from kense.accounts.models import ApiToken
from kense.core.mail import send_templated_email
from kense.core.permissions import Role
from kense.meetings import ics
from kense.meetings.feeds import calendar_token
from kense.meetings.invitations import recipient, send_invitations
from kense.meetings.models import Meeting, MeetingFormat, MeetingState

IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
LONG_TITLE = (
    "Қарағанды облысы әкімінің орынбасарының төрағалығымен «Рухани жаңғыру» бағдарламасын "
    "іске асыру, ескі жобаларды сақтау және жаңа форматта жаңа жобаларды бастау жөніндегі кеңес"
)


# --- a tiny reader, to check what the writer wrote --------------------------------------------


def unfold(data: bytes) -> list[str]:
    """Content lines of an iCalendar object: CRLF-split, continuations joined (RFC 5545 §3.1)."""
    text = data.decode("utf-8")
    assert text.endswith("\r\n")
    return text[:-2].replace("\r\n ", "").split("\r\n")


def unescape(value: str) -> str:
    out, chars = [], iter(value)
    for char in chars:
        if char == "\\":
            following = next(chars)
            out.append("\n" if following in "nN" else following)
        else:
            out.append(char)
    return "".join(out)


def events(data: bytes) -> list[dict[str, str]]:
    """Each VEVENT as {property name: value}, parameters dropped and TEXT unescaped."""
    found: list[dict[str, str]] = []
    current: dict[str, str] | None = None
    for line in unfold(data):
        name_and_params, _, value = line.partition(":")
        name = name_and_params.split(";")[0]
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT":
            assert current is not None
            found.append(current)
            current = None
        elif current is not None:
            current[name] = unescape(value)
    return found


def header(data: bytes) -> dict[str, str]:
    lines = unfold(data)
    return dict(line.split(":", 1) for line in lines[: lines.index("BEGIN:VEVENT")])


def page(meeting: Meeting, language: str) -> str:
    with translation.override(language):
        return meeting.get_absolute_url()


# --- the writer ---------------------------------------------------------------------------


def test_text_is_escaped_backslash_first():
    assert ics.escape_text("a\\b;c,d\ne\r\nf") == "a\\\\b\\;c\\,d\\ne\\nf"
    assert unescape(ics.escape_text("a\\n;,\nb")) == "a\\n;,\nb"


def test_control_characters_are_dropped_from_text():
    assert ics.escape_text("a\x00b\x0cc\td") == "abc\td"


def test_a_long_kazakh_line_folds_into_lines_of_at_most_75_octets_and_unfolds_back():
    data = ics.calendar([["BEGIN:VEVENT", f"SUMMARY:{LONG_TITLE}", "END:VEVENT"]], "K")

    physical = data.split(b"\r\n")[:-1]
    summary = next(i for i, line in enumerate(physical) if line.startswith(b"SUMMARY:"))
    pieces = [physical[summary]]
    pieces += [line for line in physical[summary + 1 :] if line.startswith(b" ")]
    assert len(pieces) > 4  # Cyrillic takes two octets a letter: the title needs many lines
    for piece in pieces:
        assert len(piece) <= 75
        piece.decode("utf-8")  # never a character cut in two
    assert all(len(piece) >= 74 for piece in pieces[:-1])  # lines are filled, not cut short
    assert events(data)[0]["SUMMARY"] == LONG_TITLE


def test_folding_never_splits_a_multibyte_character():
    for text in ("a" + "ә" * 60, "aa" + "ә" * 60, "😀" * 40, "x" * 200):
        pieces = ics.fold(text)
        assert pieces[0] + "".join(piece[1:] for piece in pieces[1:]) == text
        assert all(len(piece.encode()) <= 75 for piece in pieces)
        assert all(piece.startswith(" ") for piece in pieces[1:])


def test_the_calendar_uses_crlf_only_and_has_its_header():
    data = ics.calendar([], "Менің кеңестерім, 2021", method="REQUEST")

    assert data.endswith(b"\r\n")
    assert data.count(b"\n") == data.count(b"\r\n")
    assert unfold(data) == [
        "BEGIN:VCALENDAR",
        "PRODID:-//Kense//Kense//KK",
        "VERSION:2.0",
        "CALSCALE:GREGORIAN",
        "METHOD:REQUEST",
        "X-WR-CALNAME:Менің кеңестерім\\, 2021",
        "END:VCALENDAR",
    ]
    assert b"METHOD" not in ics.calendar([], "Feed")


def test_a_naive_time_is_refused():
    with pytest.raises(ValueError):
        ics.utc(datetime.datetime(2021, 2, 15, 10, 0))


@pytest.mark.django_db
def test_a_meeting_parses_back_with_its_identity_times_in_utc_and_details():
    meeting = MeetingFactory(
        title_kk="Кеңес; жоба, бағдарлама",
        title_ru="Совещание",
        format=MeetingFormat.HYBRID,
        venue="Әкімдік, 1-зал",
        video_url="https://zoom.us/j/123456?pwd=a,b",
        video_meeting_id="123 456",
        video_passcode="2021",
        ics_sequence=3,
    )
    AgendaItemFactory(meeting=meeting, order=2, title_kk="Екінші мәселе")
    AgendaItemFactory(meeting=meeting, order=1, title_kk="Бірінші мәселе")
    stamp = datetime.datetime(2021, 2, 1, 9, 30, tzinfo=datetime.UTC)

    data = ics.calendar(
        [ics.meeting_event(meeting, "kk", url="https://kense.kz/kk/m/1/", stamp=stamp)], "K"
    )

    (event,) = events(data)
    assert event["UID"] == f"{meeting.uid}@kense"
    assert event["SEQUENCE"] == "3"
    # 10:00 to 12:00 in Almaty, UTC+6 in 2021.
    assert event["DTSTART"] == "20210215T040000Z"
    assert event["DTEND"] == "20210215T060000Z"
    assert event["DTSTAMP"] == "20210201T093000Z"
    assert event["SUMMARY"] == "Кеңес; жоба, бағдарлама"
    assert event["LOCATION"] == "Әкімдік, 1-зал"
    assert event["URL"] == "https://kense.kz/kk/m/1/"
    assert event["STATUS"] == "CONFIRMED"
    description = event["DESCRIPTION"]
    assert "https://zoom.us/j/123456?pwd=a,b" in description
    assert "123 456" in description
    assert "2021" in description
    assert description.index("1. Бірінші мәселе") < description.index("2. Екінші мәселе")


@pytest.mark.django_db
def test_the_event_is_written_in_the_language_asked_for():
    meeting = MeetingFactory(title_kk="Кеңес", title_ru="Совещание")
    AgendaItemFactory(meeting=meeting, title_kk="Мәселе", title_ru="Вопрос")

    (kk,) = events(ics.calendar([ics.meeting_event(meeting, "kk")], "K"))
    (ru,) = events(ics.calendar([ics.meeting_event(meeting, "ru")], "K"))

    assert (kk["SUMMARY"], ru["SUMMARY"]) == ("Кеңес", "Совещание")
    assert "Мәселе" in kk["DESCRIPTION"]
    assert "Вопрос" in ru["DESCRIPTION"]


@pytest.mark.django_db
def test_an_online_meeting_is_located_at_its_link_and_a_cancelled_one_says_so():
    meeting = MeetingFactory(format=MeetingFormat.ONLINE, venue="", video_url="https://zoom.us/j/9")

    (event,) = events(ics.calendar([ics.meeting_event(meeting, "en", cancelled=True)], "K"))

    assert event["LOCATION"] == "https://zoom.us/j/9"
    assert event["STATUS"] == "CANCELLED"
    assert "URL" not in event


# --- mail with attachments ----------------------------------------------------------------


@pytest.mark.django_db
def test_attachments_travel_through_the_job_as_base64_and_arrive_intact(
    settings: Any, django_capture_on_commit_callbacks: Any
):
    settings.TASKS = IMMEDIATE_TASKS
    binary = bytes(range(256))

    with django_capture_on_commit_callbacks(execute=True):
        send_templated_email(
            to=["a@example.kz"],
            template="accounts/email/password_reset",
            context={"user": "Әлия", "reset_url": "https://kense.kz/r"},
            language="kk",
            attachments=[("data.bin", binary, "application/octet-stream")],
        )

    (letter,) = mail.outbox
    (attachment,) = letter.attachments
    assert tuple(attachment) == ("data.bin", binary, "application/octet-stream")


# --- invitations --------------------------------------------------------------------------


@pytest.mark.django_db
def test_invitations_go_to_each_participant_with_an_address_in_their_language(
    settings: Any, django_capture_on_commit_callbacks: Any
):
    settings.TASKS = IMMEDIATE_TASKS
    meeting = MeetingFactory(
        title_kk="Жобалар кеңесі",
        title_ru="Совещание по проектам",
        format=MeetingFormat.HYBRID,
        video_url="https://zoom.us/j/777",
        video_meeting_id="777 000",
        video_passcode="qaz",
    )
    AgendaItemFactory(meeting=meeting, title_kk="Жобалардың барысы", title_ru="Ход проектов")
    kk_user = UserFactory(person=PersonFactory(), email="aliya@example.kz", language="kk")
    ru_user = UserFactory(person=PersonFactory(), email="ivan@example.kz", language="ru")
    without_account = PersonFactory(email="guest@example.kz")
    without_address = PersonFactory(email="")
    for person in (kk_user.person, ru_user.person, without_account, without_address):
        ParticipantFactory(meeting=meeting, person=person)

    with django_capture_on_commit_callbacks(execute=True):
        queued = send_invitations(meeting, base_url="https://kense.example.kz/")
        assert mail.outbox == []  # nothing leaves before the commit

    assert queued == 3
    letters = {letter.to[0]: letter for letter in mail.outbox}
    assert set(letters) == {"aliya@example.kz", "ivan@example.kz", "guest@example.kz"}

    kk, ru, guest = (
        letters["aliya@example.kz"],
        letters["ivan@example.kz"],
        letters["guest@example.kz"],
    )
    assert "Жобалар кеңесі" in kk.subject
    assert "2021 ж. 15 ақпан 10:00–12:00" in kk.subject
    assert "Совещание по проектам" in ru.subject
    assert "15 февраля 2021 г. 10:00–12:00" in ru.subject
    assert "Жобалар кеңесі" in guest.subject  # no account: Kazakh
    for letter, item in ((kk, "Жобалардың барысы"), (ru, "Ход проектов")):
        assert item in letter.body
        assert "https://zoom.us/j/777" in letter.body
        assert "777 000" in letter.body
        assert "qaz" in letter.body
        assert meeting.venue in letter.body
        assert "&amp;" not in letter.body and "&quot;" not in letter.body
    assert f"https://kense.example.kz{page(meeting, 'kk')}" in kk.body
    assert f"https://kense.example.kz{page(meeting, 'ru')}" in ru.body

    for address, letter in letters.items():
        (attachment,) = letter.attachments
        filename, content, mimetype = attachment
        assert (filename, mimetype) == ("invitation.ics", "text/calendar")
        data = content.encode() if isinstance(content, str) else content
        assert header(data)["METHOD"] == "REQUEST"
        (event,) = events(data)
        assert event["UID"] == f"{meeting.uid}@kense"
        assert event["ATTENDEE"] == f"mailto:{address}"
        assert event["ORGANIZER"] == f"mailto:{settings.DEFAULT_FROM_EMAIL}"
    assert events(letters["ivan@example.kz"].attachments[0][1].encode())[0]["SUMMARY"] == (
        "Совещание по проектам"
    )


@pytest.mark.django_db
def test_an_inactive_account_falls_back_to_the_registry_address():
    person = PersonFactory(email="registry@example.kz")
    UserFactory(person=person, email="old@example.kz", language="ru", is_active=False)

    assert recipient(person) == ("registry@example.kz", "ru")


@pytest.mark.django_db
def test_no_letter_is_queued_when_the_change_rolls_back(
    settings: Any, django_capture_on_commit_callbacks: Any
):
    settings.TASKS = IMMEDIATE_TASKS
    settings.KENSE_BASE_URL = "https://kense.example.kz"
    meeting = MeetingFactory()
    ParticipantFactory(meeting=meeting, person=PersonFactory(email="a@example.kz"))

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert send_invitations(meeting) == 1

    assert len(callbacks) == 1
    assert mail.outbox == []


# --- the personal feed --------------------------------------------------------------------


def _at(days: int) -> dict[str, datetime.datetime]:
    start = timezone.now() + datetime.timedelta(days=days)
    return {"start": start, "end": start + datetime.timedelta(hours=2)}


@pytest.fixture
def feed_world(db: None) -> dict[str, Any]:
    person = PersonFactory()
    user = UserFactory(person=person, language="ru")
    invited = MeetingFactory(title_ru="Приглашён", **_at(3))
    ParticipantFactory(meeting=invited, person=person)
    chaired = MeetingFactory(title_ru="Председатель", chair=person, **_at(-30))
    others = MeetingFactory(title_ru="Чужое", **_at(5))
    ParticipantFactory(meeting=others)
    old = MeetingFactory(title_ru="Давнее", **_at(-120))
    ParticipantFactory(meeting=old, person=person)
    draft = MeetingFactory(title_ru="Черновик", state=MeetingState.DRAFT, **_at(10))
    ParticipantFactory(meeting=draft, person=person)
    return {"user": user, "invited": invited, "chaired": chaired}


def test_the_feed_needs_no_login_nor_language_prefix_and_lists_only_the_users_meetings(
    client: Any, feed_world: dict[str, Any]
):
    url = reverse("calendar:calendar_feed", args=[calendar_token(feed_world["user"])])
    assert url.startswith("/calendar/") and url.endswith(".ics")

    response = client.get(url)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    found = events(response.content)
    assert [event["SUMMARY"] for event in found] == ["Председатель", "Приглашён"]
    assert found[1]["UID"] == f"{feed_world['invited'].uid}@kense"
    assert found[1]["URL"] == f"http://testserver{page(feed_world['invited'], 'ru')}"
    assert "METHOD" not in header(response.content)


def test_the_feed_lists_every_meeting_the_user_is_invited_to(
    client: Any, feed_world: dict[str, Any]
):
    # Its number of queries is pinned in tests/test_query_counts.py.
    url = reverse("calendar:calendar_feed", args=[calendar_token(feed_world["user"])])
    for days in (1, 2, 3):
        meeting = MeetingFactory(**_at(days))
        ParticipantFactory(meeting=meeting, person=feed_world["user"].person)
        AgendaItemFactory(meeting=meeting)

    response = client.get(url)

    assert len(events(response.content)) == 5


def test_a_forged_or_foreign_token_gets_404(client: Any, feed_world: dict[str, Any]):
    token = calendar_token(feed_world["user"])
    other = UserFactory()
    forged = f"{other.pk}:{token.split(':', 1)[1]}"

    assert client.get(f"/calendar/{forged}.ics").status_code == 404
    assert client.get("/calendar/nonsense.ics").status_code == 404
    assert client.get(f"/calendar/{token}x.ics").status_code == 404


def test_a_deactivated_users_feed_stops(client: Any, feed_world: dict[str, Any]):
    user = feed_world["user"]
    user.is_active = False
    user.save(update_fields=["is_active"])

    assert client.get(f"/calendar/{calendar_token(user)}.ics").status_code == 404


def test_a_renewed_address_replaces_the_old_one(client: Any, feed_world: dict[str, Any]):
    user = feed_world["user"]
    old = f"/calendar/{calendar_token(user)}.ics"
    client.force_login(user)

    answer = client.post(reverse("accounts:renew_calendar"))

    user.refresh_from_db()
    assert answer.status_code == 302
    assert client.get(old).status_code == 404
    assert client.get(f"/calendar/{calendar_token(user)}.ics").status_code == 200
    assert calendar_token(user) in client.get(reverse("accounts:profile")).content.decode()


def test_a_new_password_gives_a_new_address_and_revokes_the_api_tokens(
    client: Any, feed_world: dict[str, Any]
):
    user = feed_world["user"]
    user.set_password("old-password-2020")
    user.save()
    old = f"/calendar/{calendar_token(user)}.ics"
    ApiToken.issue(user=user, name="phone")
    client.force_login(user)

    answer = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": "old-password-2020",
            "new_password1": "a-new-password-2021",
            "new_password2": "a-new-password-2021",
        },
    )

    user.refresh_from_db()
    assert answer.status_code == 302
    assert client.get(old).status_code == 404
    assert client.get(f"/calendar/{calendar_token(user)}.ics").status_code == 200
    assert not ApiToken.objects.filter(user=user).exists()
    assert client.get(reverse("accounts:profile")).status_code == 200  # still logged in


@pytest.mark.django_db
def test_a_user_without_a_person_gets_an_empty_calendar(client: Any):
    response = client.get(f"/calendar/{calendar_token(UserFactory())}.ics")

    assert response.status_code == 200
    assert events(response.content) == []


# --- one meeting --------------------------------------------------------------------------


@pytest.mark.django_db
def test_one_meeting_downloads_inside_the_scope_and_is_404_outside(client: Any):
    home = TerritoryFactory()
    user = UserFactory(role=Role.OBSERVER, territory=home, language="kk")
    mine = MeetingFactory(territory=home, title_kk="Біздің кеңес")
    theirs = MeetingFactory(territory=TerritoryFactory())
    client.force_login(user)

    response = client.get(reverse("calendar:meeting_ics", args=[mine.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    (event,) = events(response.content)
    assert event["SUMMARY"] == "Біздің кеңес"
    assert client.get(reverse("calendar:meeting_ics", args=[theirs.pk])).status_code == 404
    assert client.get(f"/calendar/meeting/{Meeting.objects.count() + 99}.ics").status_code == 404


@pytest.mark.django_db
def test_one_meeting_needs_a_login(client: Any):
    meeting = MeetingFactory()

    response = client.get(reverse("calendar:meeting_ics", args=[meeting.pk]))

    assert response.status_code == 302
