"""Outputs an official signs without edits (issue 13, item 5), and the rules behind them.

- A meeting is marked held before its day only with the override "held earlier than planned"
  and its reason (kept in the history); approving the minutes needs the attendance marked, and
  gives the minutes the organizer's next number of the year unless one was typed.
- The minutes, converted by LibreOffice from the DOCX and read back with pdftotext, carry the
  number, the place, those present with their organizations, the review decisions and page
  numbers, in Kazakh and in Russian; the document's properties name the organizer.
- The results PDF fits every indicator on landscape pages, by name, with decimal commas.
"""

from __future__ import annotations

import datetime
import io
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from docx import Document
from tests.printed import libreoffice_pdf, pdf_text, poppler

from factories import (
    AppointmentFactory,
    AssignmentFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    MeetingFactory,
    MethodologyFactory,
    OrganizationFactory,
    ParticipantFactory,
    PersonFactory,
    PositionFactory,
    TargetFactory,
    TerritoryFactory,
    UserFactory,
)
from kense.accounts.models import ApiToken
from kense.assignments.models import ReviewChoice
from kense.assignments.services import review_record
from kense.core.permissions import Role
from kense.indicators.exports import results_pdf
from kense.indicators.selectors.results import latest_methodology, ranking, results_table
from kense.meetings.exports import minutes_content, minutes_docx, minutes_pdf
from kense.meetings.models import Attendance, Meeting, MeetingFormat, MeetingState
from kense.meetings.services import meeting_save, meeting_transition, review_item_propose
from kense.registry.models import TerritoryKind

pytestmark = pytest.mark.django_db

D = datetime.date
JSON = "application/json"


def flat(text: str) -> str:
    """pdftotext's lines joined: a phrase may wrap anywhere, a word where it is hyphenated
    (WeasyPrint's hyphen, U+2010, at the end of a line)."""
    return " ".join(re.sub(r"\u2010\s*\n\s*", "", text).split())


# ---------------------------------------------------------------------------------------------
# A meeting of the region's project office, 21 April 2020, with its review of assignments
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def world(db: Any) -> dict[str, Any]:
    region = TerritoryFactory(
        kind=TerritoryKind.REGION, name_kk="Қарағанды облысы", name_ru="Карагандинская область"
    )
    saran = TerritoryFactory(
        parent=region, kind=TerritoryKind.CITY, name_kk="Саран", name_ru="Сарань"
    )
    office_org = OrganizationFactory(
        territory=region,
        name_kk="Облыстық жобалық кеңсе",
        short_name_kk="Жобалық кеңсе",
        name_ru="Областной проектный офис",
        short_name_ru="Проектный офис",
    )
    akimat = OrganizationFactory(
        territory=saran,
        name_kk="Саран қаласы әкімдігі",
        short_name_kk="Саран қаласы әкімдігі",
        name_ru="Акимат города Сарани",
        short_name_ru="Акимат города Сарани",
    )
    culture = OrganizationFactory(
        territory=region,
        name_kk="Мәдениет басқармасы",
        short_name_kk="Мәдениет басқармасы",
        name_ru="Управление культуры",
        short_name_ru="Управление культуры",
    )
    office = UserFactory(role=Role.PROJECT_OFFICE, territory=region)
    head = PositionFactory(code="head", name_kk="Басшы", name_ru="Руководитель")
    deputy = PositionFactory(
        code="deputy-akim", name_kk="Әкімнің орынбасары", name_ru="Заместитель акима"
    )
    start = datetime.datetime(2020, 4, 21, 4, 0, tzinfo=datetime.UTC)

    def person(
        surname: tuple[str, str],
        given: tuple[str, str],
        org: Any,
        position: Any,
        title: tuple[str, str] = ("", ""),
    ) -> Any:
        someone = PersonFactory(
            surname_kk=surname[0],
            surname_ru=surname[1],
            given_name_kk=given[0],
            given_name_ru=given[1],
        )
        AppointmentFactory(
            person=someone,
            organization=org,
            position=position,
            start=D(2019, 1, 1),
            title_kk=title[0],
            title_ru=title[1],
        )
        return someone

    chair = person(("Нүкенов", "Нукенов"), ("Абзал", "Абзал"), office_org, head)
    secretary = person(("Қалиева", "Калиева"), ("Айгүл", "Айгуль"), office_org, head)
    meeting = MeetingFactory(
        title_kk="Жобалық кеңсенің кеңесі",
        title_ru="Совещание проектного офиса",
        organizer=office_org,
        territory=region,
        format=MeetingFormat.IN_PERSON,
        venue="Облыс әкімдігі, 305 кабинет",
        start=start,
        end=start + datetime.timedelta(hours=2),
        state=MeetingState.HELD,
        chair=chair,
        secretary=secretary,
    )
    invitees = {
        "zhumagulov": person(("Жұмағұлов", "Жумагулов"), ("Айтбай", "Айтбай"), akimat, head),
        "abdrakhmanov": person(
            ("Әбдірахманов", "Абдрахманов"),
            ("Нұрлан", "Нурлан"),
            akimat,
            deputy,
            ("Саран қаласы әкімінің орынбасары", "Заместитель акима города Сарани"),
        ),
        "kusain": person(("Құсайын", "Кусаин"), ("Ерлан", "Ерлан"), culture, head),
    }
    for key, organization in (
        ("zhumagulov", akimat),
        ("abdrakhmanov", akimat),
        ("kusain", culture),
    ):
        ParticipantFactory(meeting=meeting, person=invitees[key], organization=organization)
    # Enough people for the minutes to run over a page, so that page numbers show.
    for n in range(40):
        ParticipantFactory(
            meeting=meeting,
            person=person((f"Тегі{n}", f"Фамилия{n}"), ("Аты", "Имя"), culture, head),
            organization=culture,
        )

    def given(number: str, kk: str, ru: str) -> Any:
        return AssignmentFactory(
            number=number,
            text_kk=kk,
            text_ru=ru,
            lead_organization=culture,
            controller=office,
            deadline=D(2020, 4, 1),
        )

    review_item_propose(meeting, user=office)
    for assignment, choice, fields in (
        (given("3", "Фестиваль өткізілсін", "Провести фестиваль"), ReviewChoice.ACCEPT, {}),
        (
            given("4", "Байқау өткізілсін", "Провести конкурс"),
            ReviewChoice.EXTEND,
            {"new_deadline": D(2020, 6, 1), "note": "Карантин"},
        ),
        (given("5", "Есеп берілсін", "Представить отчёт"), ReviewChoice.KEEP, {}),
        (
            given("6", "Кездесу өткізілсін", "Провести встречу"),
            ReviewChoice.EXTEND_AFTER_LIFTING,
            {"days_after_lifting": 30},
        ),
    ):
        review_record(meeting=meeting, assignment=assignment, user=office, choice=choice, **fields)
    return {"office": office, "meeting": meeting, "office_org": office_org, **invitees}


def mark_present(meeting: Meeting, *names: str, world: dict[str, Any]) -> None:
    people = [world[name].pk for name in names] if names else None
    participants = meeting.participants.all()
    if people is not None:
        participants = participants.filter(person_id__in=people)
    participants.update(attendance=Attendance.PRESENT)


def client_of(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def api_of(user: Any) -> Client:
    _token, key = ApiToken.issue(user=user, name="tests")
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}")


# ---------------------------------------------------------------------------------------------
# Held before its day
# ---------------------------------------------------------------------------------------------


def tomorrows_meeting(world: dict[str, Any]) -> Meeting:
    start = timezone.now() + datetime.timedelta(days=2)
    return MeetingFactory(
        organizer=world["office_org"],
        territory=world["meeting"].territory,
        start=start,
        end=start + datetime.timedelta(hours=1),
        state=MeetingState.IN_PROGRESS,
    )


def test_a_meeting_is_not_marked_held_before_its_day(world: dict[str, Any]) -> None:
    meeting = tomorrows_meeting(world)

    with pytest.raises(ValidationError) as refused:
        meeting_transition(meeting, user=world["office"], to=MeetingState.HELD)

    assert "held_early" in refused.value.message_dict
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.IN_PROGRESS


def test_held_earlier_needs_a_reason_and_is_kept_in_the_history(world: dict[str, Any]) -> None:
    meeting = tomorrows_meeting(world)

    with pytest.raises(ValidationError) as no_reason:
        meeting_transition(meeting, user=world["office"], to=MeetingState.HELD, held_early=True)
    meeting_transition(
        meeting,
        user=world["office"],
        to=MeetingState.HELD,
        held_early=True,
        held_early_reason="Аким іссапарға кетеді",
    )

    assert "held_early_reason" in no_reason.value.message_dict
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.HELD
    assert meeting.held_early_reason == "Аким іссапарға кетеді"
    latest = meeting.history.latest()  # type: ignore[attr-defined]
    assert latest.held_early_reason == "Аким іссапарға кетеді"
    assert latest.history_user == world["office"]


def test_the_page_refuses_held_before_its_day_then_takes_the_override(
    world: dict[str, Any],
) -> None:
    meeting = tomorrows_meeting(world)
    client = client_of(world["office"])
    target = reverse("meetings:meeting_transition", args=[meeting.pk])

    page = client.get(meeting.get_absolute_url())
    refused = client.post(target, {"to": "held"}, follow=True)
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.IN_PROGRESS
    assert 'name="held_early"' in page.content.decode()
    said = [str(message) for message in refused.context["messages"]]
    assert len(said) == 1 and str(meeting.day.year) in said[0]

    client.post(target, {"to": "held", "held_early": "on", "held_early_reason": "Іссапар"})
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.HELD and meeting.held_early_reason == "Іссапар"


def test_the_api_refuses_held_before_its_day_then_takes_the_override(
    world: dict[str, Any],
) -> None:
    meeting = tomorrows_meeting(world)
    api = api_of(world["office"])
    target = f"/api/v1/meetings/{meeting.pk}/transition"

    refused = api.post(target, {"to": "held"}, content_type=JSON)
    no_reason = api.post(target, {"to": "held", "held_early": True}, content_type=JSON)
    done = api.post(
        target,
        {"to": "held", "held_early": True, "held_early_reason": "Trip"},
        content_type=JSON,
    )

    assert refused.status_code == 422, refused.content
    assert "held_early" in refused.content.decode()
    assert no_reason.status_code == 422
    assert done.status_code == 200, done.content
    assert done.json()["state"] == "held"
    assert done.json()["held_early_reason"] == "Trip"


def test_a_meeting_on_its_day_or_later_is_marked_held_without_override(
    world: dict[str, Any],
) -> None:
    meeting = tomorrows_meeting(world)
    Meeting.objects.filter(pk=meeting.pk).update(start=timezone.now() - datetime.timedelta(hours=1))

    meeting_transition(meeting, user=world["office"], to=MeetingState.HELD)

    meeting.refresh_from_db()
    assert meeting.state == MeetingState.HELD and meeting.held_early_reason == ""


# ---------------------------------------------------------------------------------------------
# Attendance before approval; the minutes' number
# ---------------------------------------------------------------------------------------------


def test_minutes_are_not_approved_before_the_attendance_is_marked(world: dict[str, Any]) -> None:
    meeting = world["meeting"]

    with pytest.raises(ValidationError):
        meeting_transition(meeting, user=world["office"], to=MeetingState.APPROVED)
    content = minutes_content(meeting, "kk")

    meeting.refresh_from_db()
    assert meeting.state == MeetingState.HELD
    # Nobody marked: nobody listed as present (never the invitation list).
    assert content.participants == ()


def test_the_page_and_the_api_refuse_approval_without_attendance(world: dict[str, Any]) -> None:
    meeting = world["meeting"]
    page = client_of(world["office"]).post(
        reverse("meetings:meeting_transition", args=[meeting.pk]), {"to": "approved"}, follow=True
    )
    api = api_of(world["office"]).post(
        f"/api/v1/meetings/{meeting.pk}/transition", {"to": "approved"}, content_type=JSON
    )

    assert api.status_code == 422
    # In the caller's language (Kazakh by default).
    assert api.json()["detail"][0]["message"].startswith("Хаттаманы бекітпес бұрын")
    assert page.status_code == 200
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.HELD


def test_approval_numbers_the_minutes_per_organizer_and_year(world: dict[str, Any]) -> None:
    meeting = world["meeting"]
    earlier = MeetingFactory(
        organizer=world["office_org"],
        start=meeting.start - datetime.timedelta(days=30),
        end=meeting.start - datetime.timedelta(days=30, hours=-1),
        state=MeetingState.APPROVED,
        protocol_number=1,
    )
    # Another year's and another organizer's numbers are other series.
    MeetingFactory(organizer=world["office_org"], protocol_number=7)
    MeetingFactory(start=earlier.start, end=earlier.end, protocol_number=9)
    mark_present(meeting, "zhumagulov", world=world)

    meeting_transition(meeting, user=world["office"], to=MeetingState.APPROVED)

    meeting.refresh_from_db()
    assert meeting.state == MeetingState.APPROVED
    assert meeting.protocol_number == 2


def test_a_typed_number_is_kept_and_a_taken_one_refused(world: dict[str, Any]) -> None:
    meeting = world["meeting"]
    MeetingFactory(
        organizer=world["office_org"],
        start=meeting.start - datetime.timedelta(days=3),
        end=meeting.start - datetime.timedelta(days=3, hours=-1),
        protocol_number=4,
    )
    meeting.protocol_number = 4
    with pytest.raises(ValidationError) as taken:
        meeting_save(meeting, user=world["office"])
    meeting.protocol_number = 5
    meeting_save(meeting, user=world["office"])
    mark_present(meeting, world=world)
    meeting_transition(meeting, user=world["office"], to=MeetingState.APPROVED)

    assert "protocol_number" in taken.value.message_dict
    meeting.refresh_from_db()
    assert meeting.protocol_number == 5


# ---------------------------------------------------------------------------------------------
# The minutes as an official opens them
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def approved(world: dict[str, Any]) -> dict[str, Any]:
    meeting = world["meeting"]
    mark_present(meeting, world=world)
    meeting.participants.filter(person=world["kusain"]).update(attendance=Attendance.ABSENT)
    meeting_transition(meeting, user=world["office"], to=MeetingState.APPROVED)
    meeting.refresh_from_db()
    return world


EXPECTED = {
    "kk": [
        "ХАТТАМА № 1",
        # The place of the minutes' making: the meeting's territory, as stored, then the venue.
        "Қарағанды облысы, Облыс әкімдігі, 305 кабинет 2020 ж. 21 сәуір",
        "2020 ж. 21 сәуір",
        "Жұмағұлов Айтбай – Саран қаласы әкімдігі, басшы",
        # The post names its place: the organization is not said twice.
        "Әбдірахманов Нұрлан – Саран қаласы әкімінің орынбасары",
        "Бұрын берілген тапсырмалардың орындалу барысы туралы",
        "№ 3 «Фестиваль өткізілсін»: орындалды деп есептелсін, бақылаудан алынсын.",
        "№ 4 «Байқау өткізілсін»: орындау мерзімі 2020 ж. 1 маусымға дейін ұзартылсын. Карантин",
        "№ 5 «Есеп берілсін»: бақылауда қалдырылсын.",
        "төтенше жағдай алынғаннан кейін 30 күн ішінде",
    ],
    "ru": [
        "ПРОТОКОЛ № 1",
        "Карагандинская область, Облыс әкімдігі, 305 кабинет 21 апреля 2020 г.",
        "21 апреля 2020 г.",
        "Жумагулов Айтбай – Акимат города Сарани, руководитель",
        "Абдрахманов Нурлан – заместитель акима города Сарани",
        "О ходе исполнения ранее данных поручений",
        "№ 3 «Провести фестиваль»: снять с контроля как исполненное.",
        "№ 4 «Провести конкурс»: продлить срок исполнения до 1 июня 2020 г. Карантин",
        "№ 5 «Представить отчёт»: оставить на контроле.",
        "в течение 30 дней после снятия чрезвычайного положения",
    ],
}


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_libreoffice_shows_what_the_official_signs(
    approved: dict[str, Any], language: str, tmp_path: Path
) -> None:
    docx = minutes_docx(approved["meeting"], language)
    pages = pdf_text(libreoffice_pdf(docx, tmp_path), tmp_path, "-raw", name="converted.pdf").split(
        "\f"
    )
    text = flat(" ".join(pages))

    for expected in EXPECTED[language]:
        assert expected in text, expected
    # Absent people are not listed as present; nobody's post is capitalised mid-line.
    assert "Құсайын" not in text and "Кусаин" not in text
    assert "– Руководитель" not in text and "– Басшы" not in text
    # Page numbers: the second page carries «2», the first none.
    assert len([page for page in pages if page.strip()]) >= 2
    assert "2" in pages[1].split()


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_the_docx_names_the_organizer_and_numbers_its_pages(
    approved: dict[str, Any], language: str
) -> None:
    document = Document(io.BytesIO(minutes_docx(approved["meeting"], language)))
    properties = document.core_properties

    assert properties.author in ("Облыстық жобалық кеңсе", "Областной проектный офис")
    assert properties.author != "python-docx"
    assert properties.title.startswith("ХАТТАМА № 1" if language == "kk" else "ПРОТОКОЛ № 1")
    header = document.sections[0].header._element.xml
    assert "PAGE" in header


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_the_pdf_carries_the_same_and_its_author(
    approved: dict[str, Any], language: str, tmp_path: Path
) -> None:
    data = minutes_pdf(approved["meeting"], language)
    text = flat(pdf_text(data, tmp_path, "-raw"))
    info = subprocess.run(
        [poppler("pdfinfo"), str(tmp_path / "out.pdf")], capture_output=True, text=True, check=True
    ).stdout

    for expected in EXPECTED[language]:
        assert expected in text, expected
    assert "Облыстық жобалық кеңсе" in info or "Областной проектный офис" in info


# ---------------------------------------------------------------------------------------------
# The results PDF
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_the_results_pdf_shows_every_indicator_by_name(language: str, tmp_path: Path) -> None:
    region = TerritoryFactory(name_kk="Облыс", name_ru="Область", kind=TerritoryKind.REGION)
    office = UserFactory(role=Role.PROJECT_OFFICE, territory=region)
    names = {
        "kk": "Демеушілік қаражат көлемі",
        "ru": "Объём спонсорских средств",
    }
    indicators = [
        IndicatorFactory(
            code="sponsor_money" if n == 0 else f"code_{n}",
            name_kk=names["kk"] if n == 0 else f"Көрсеткіш нөмірі {n} ұзын атауымен",
            name_ru=names["ru"] if n == 0 else f"Показатель номер {n} с длинным названием",
            source="reported",
        )
        for n in range(17)
    ]
    territories = [
        TerritoryFactory(
            parent=region,
            kind=TerritoryKind.CITY if n % 2 else TerritoryKind.DISTRICT,
            name_kk=f"Аумақ {n}",
            name_ru=f"Территория {n}",
        )
        for n in range(6)
    ]
    for territory in territories:
        for number, indicator in enumerate(indicators):
            for year in (2019, 2020):
                IndicatorValueFactory(
                    indicator=indicator,
                    territory=territory,
                    year=year,
                    value=f"{10 + territory.pk % 5 + number}.75",
                )
            TargetFactory(indicator=indicator, territory=territory, year=2020, value=15)
    MethodologyFactory(year=2020, weights={indicator.code: 1 for indicator in indicators})

    with translation.override(language):
        table = results_table(office, 2020)
        methodology = latest_methodology(2020)
        assert methodology is not None
        data = results_pdf(table, ranking(office, methodology, 2020))
    text = flat(pdf_text(data, tmp_path, "-raw"))

    for number in range(1, 17):
        label = (
            f"Көрсеткіш нөмірі {number} ұзын атауымен"
            if language == "kk"
            else f"Показатель номер {number} с длинным названием"
        )
        assert label in text, label
    assert names[language] in text
    assert "sponsor_money" not in text and "code_1" not in text
    # Kazakh number format: a decimal comma, never a point.
    assert "10,75" in text or "11,75" in text or "12,75" in text
    assert not any(f"{n}.75" in text for n in range(10, 40))
