"""The minutes come out as officials expect them, in Kazakh or Russian whatever the interface
language, as a DOCX that Word (here LibreOffice) opens and a PDF that carries Kazakh letters as
text in an embedded font; an extract for one organization holds only its decisions."""

from __future__ import annotations

import datetime
import io
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from docx import Document
from tests.printed import libreoffice_pdf, pdf_text, poppler

from factories import (
    AgendaItemFactory,
    AppointmentFactory,
    AssignmentFactory,
    DecisionFactory,
    MeetingFactory,
    OrganizationFactory,
    ParticipantFactory,
    PersonFactory,
    TerritoryFactory,
    UserFactory,
)
from kense.assignments.models import DeadlineKind, Recurrence
from kense.meetings.exports import (
    assignments_extract_docx,
    deadline_text,
    minutes_content,
    minutes_docx,
    minutes_pdf,
    video_platform,
)
from kense.meetings.models import Attendance, MeetingFormat, MinutesAmendment, ParticipantRole
from kense.registry.models import TerritoryKind

pytestmark = pytest.mark.django_db

KAZAKH_LETTERS = "әғқңөұүі"
# 21 April 2020, 10:00 in Almaty.
START = datetime.datetime(2020, 4, 21, 4, 0, tzinfo=datetime.UTC)


def person(surname: tuple[str, str], given: tuple[str, str]) -> Any:
    return PersonFactory(
        surname_kk=surname[0], surname_ru=surname[1], given_name_kk=given[0], given_name_ru=given[1]
    )


def organization(name: tuple[str, str], short: tuple[str, str]) -> Any:
    return OrganizationFactory(
        name_kk=name[0], name_ru=name[1], short_name_kk=short[0], short_name_ru=short[1]
    )


def assign(decision: Any, lead: Any, *co_executors: Any, **fields: Any) -> Any:
    assignment: Any = AssignmentFactory(decision=decision, lead_organization=lead, **fields)
    assignment.co_executors.add(*co_executors)
    return assignment


@pytest.fixture
def orgs() -> dict[str, Any]:
    return {
        "culture": organization(
            ("Мәдениет, архивтер және құжаттама басқармасы", "Управление культуры и архивов"),
            ("МАҚБ", "УКА"),
        ),
        "policy": organization(
            ("Ішкі саясат басқармасы", "Управление внутренней политики"), ("ІСБ", "УВП")
        ),
        "media": organization(
            ("«Saryarqa Aqparat» ЖШС", "ТОО «Saryarqa Aqparat»"), ("Saryarqa Aqparat", "")
        ),
        "outsider": organization(("Басқа ұйым", "Другая организация"), ("", "")),
    }


@pytest.fixture
def meeting(orgs: dict[str, Any]) -> Any:
    chair = person(("Нүкенов", "Нукенов"), ("Абзал", "Абзал"))
    secretary = person(("Жұмағұлов", "Жумагулов"), ("Айтбай", "Айтбай"))
    policy_head = person(("Құсайын", "Кусаин"), ("Ерлан", "Ерлан"))
    culture_head = person(("Жұмекенов", "Жумекенов"), ("Еркебұлан", "Еркебулан"))
    deputy = person(("Әбішева", "Абишева"), ("Гүлмира", "Гульмира"))
    absent = person(("Болмаған", "Отсутствующий"), ("Адам", "Человек"))
    meeting = MeetingFactory(
        title_kk="«Рухани жаңғыру» бағдарламасын іске асыру жөніндегі кеңес",
        title_ru="Совещание по реализации программы «Рухани жаңғыру»",
        format=MeetingFormat.ONLINE,
        venue="",
        video_url="https://us02web.zoom.us/j/123456789",
        territory=TerritoryFactory(
            kind=TerritoryKind.CITY, name_kk="Қарағанды қаласы", name_ru="г. Караганда"
        ),
        start=START,
        end=START + datetime.timedelta(hours=2),
        chair=chair,
        secretary=secretary,
        state="held",
    )
    ParticipantFactory(
        meeting=meeting,
        person=chair,
        role=ParticipantRole.CHAIR,
        attendance=Attendance.PRESENT,
        position_title="облыс әкімінің орынбасары",
    )
    ParticipantFactory(
        meeting=meeting,
        person=policy_head,
        organization=orgs["policy"],
        attendance=Attendance.PRESENT,
        online=True,
        position_title="ішкі саясат басқармасының басшысы",
    )
    # The Russian minutes word his post from his appointment, the Kazakh ones have it frozen.
    AppointmentFactory(
        person=policy_head,
        organization=orgs["policy"],
        title_kk="",
        title_ru="руководитель управления внутренней политики",
        start=datetime.date(2019, 1, 1),
    )
    ParticipantFactory(
        meeting=meeting,
        person=culture_head,
        attendance=Attendance.REPLACED,
        replaced_by=deputy,
        position_title="мәдениет басқармасының басшысы",
    )
    ParticipantFactory(meeting=meeting, person=absent, attendance=Attendance.ABSENT)

    results: Any = AgendaItemFactory(
        meeting=meeting,
        order=1,
        title_kk="2019 жылғы жұмыс нәтижелері туралы",
        title_ru="Об итогах работы за 2019 год",
        heard_kk="Өткен жылғы көрсеткіштер бойынша ақпарат берілді.",
        heard_ru="Представлена информация о показателях прошлого года.",
        discussion_kk="Аудандар өкілдері сөз сөйледі.",
        discussion_ru="Выступили представители районов.",
    )
    results.speakers.add(policy_head)
    first = DecisionFactory(
        item=results,
        number=1,
        text_kk="Мәдени іс-шаралар жоспары жаңартылсын.",
        text_ru="Обновить план культурных мероприятий.",
    )
    assign(first, orgs["culture"], orgs["policy"], deadline=datetime.date(2020, 5, 1))
    second = DecisionFactory(
        item=results,
        number=2,
        text_kk="Аудандардағы жұмыс туралы ақпарат ұсынылсын.",
        text_ru="Представлять информацию о работе в районах.",
    )
    assign(
        second,
        orgs["policy"],
        deadline_kind=DeadlineKind.RECURRING,
        deadline=None,
        recurrence=Recurrence.MONTHLY,
        recurrence_day=5,
        recurrence_until=datetime.date(2020, 12, 31),
    )

    projects: Any = AgendaItemFactory(
        meeting=meeting,
        order=2,
        title_kk="Арнайы жобалардың барысы туралы",
        title_ru="О ходе специальных проектов",
        heard_kk="Жобалардың орындалуы баяндалды.",
        heard_ru="Доложено о ходе проектов.",
    )
    projects.speakers.add(culture_head)
    third = DecisionFactory(
        item=projects,
        number=1,
        text_kk="Жоспарланған іс-шаралар карантиннен кейін өткізілсін.",
        text_ru="Провести запланированные мероприятия после карантина.",
    )
    AssignmentFactory(
        decision=third,
        lead_organization=orgs["media"],
        deadline_kind=DeadlineKind.AFTER_LIFTING,
        deadline=None,
        days_after_lifting=10,
    )

    AgendaItemFactory(
        meeting=meeting,
        order=3,
        title_kk="Келесі кезеңнің жұмыс жоспары туралы",
        title_ru="О плане работы на следующий период",
    )
    return meeting


def docx_text(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    return "\n".join(paragraph.text for paragraph in document.paragraphs)


class TestKazakhMinutes:
    def test_has_the_official_sections(self, meeting: Any) -> None:
        text = docx_text(minutes_docx(meeting, "kk"))

        for word in ("ХАТТАМА", "Төрағалық еткен:", "Қатысқандар:", "Күн тәртібі:"):
            assert word in text
        for word in ("ТЫҢДАЛДЫ:", "ШЕШІЛДІ:", "Жауаптылар:", "Мерзімі:"):
            assert word in text
        assert "2020 ж. 21 сәуір" in text
        assert "«Рухани жаңғыру» бағдарламасын іске асыру жөніндегі кеңес" in text

    def test_is_in_kazakh_whatever_the_interface_language(self, meeting: Any) -> None:
        with translation.override("ru"):
            text = docx_text(minutes_docx(meeting, "kk"))

        assert "ХАТТАМА" in text
        assert "ПРОТОКОЛ" not in text
        assert "Совещание" not in text

    def test_names_place_chair_and_who_attended(self, meeting: Any) -> None:
        text = docx_text(minutes_docx(meeting, "kk"))

        # The city the minutes are made in, then where the meeting was: online.
        assert "Қарағанды қаласы, онлайн (Zoom)\t2020 ж. 21 сәуір" in text
        assert "Төрағалық еткен: облыс әкімінің орынбасары Нүкенов Абзал" in text
        # The meeting is online: nobody is marked «(онлайн)» one by one.
        assert "Құсайын Ерлан – ішкі саясат басқармасының басшысы\n" in text
        assert "Әбішева Гүлмира (орнына: Жұмекенов Еркебұлан" in text
        assert "Болмаған" not in text

    def test_items_decisions_and_deadlines(self, meeting: Any) -> None:
        text = docx_text(minutes_docx(meeting, "kk"))

        assert "1. 2019 жылғы жұмыс нәтижелері туралы" in text  # the agenda
        assert "I. 2019 жылғы жұмыс нәтижелері туралы" in text  # the item's heading
        assert "ТЫҢДАЛДЫ: Құсайын Ерлан – ішкі саясат басқармасының басшысы" in text
        assert "Өткен жылғы көрсеткіштер бойынша ақпарат берілді." in text
        assert "СӨЙЛЕГЕНДЕР:" in text
        assert "1. Мәдени іс-шаралар жоспары жаңартылсын." in text
        assert "Жауаптылар: МАҚБ, ІСБ" in text
        assert "Мерзімі: 2020 ж. 1 мамыр" in text
        assert "Мерзімі: ай сайын 5-іне дейін, 2020 ж. 31 желтоқсанға дейін" in text
        assert "Мерзімі: төтенше жағдай алынғаннан кейін 10 күн ішінде" in text
        # An item with nothing decided is taken note of.
        assert "Ақпарат назарға алынсын." in text

    def test_ends_with_the_signatures(self, meeting: Any) -> None:
        text = docx_text(minutes_docx(meeting, "kk"))

        assert "Төраға\tА. Нүкенов" in text
        assert "Хатшы\tА. Жұмағұлов" in text

    def test_lays_out_a4_in_times_new_roman_14(self, meeting: Any) -> None:
        document = Document(io.BytesIO(minutes_docx(meeting, "kk")))

        section: Any = document.sections[0]
        assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21, 29.7)
        assert round(section.left_margin.cm, 1) == 3
        assert round(section.right_margin.cm, 1) == 2
        normal: Any = document.styles["Normal"]
        assert normal.font.name == "Times New Roman"
        assert normal.font.size.pt == 14


class TestRussianMinutes:
    def test_has_the_official_sections(self, meeting: Any) -> None:
        with translation.override("kk"):
            text = docx_text(minutes_docx(meeting, "ru"))

        for word in ("ПРОТОКОЛ", "Председательствовал:", "Присутствовали:", "Повестка дня:"):
            assert word in text
        for word in ("СЛУШАЛИ:", "РЕШИЛИ:", "Ответственные:", "Срок:"):
            assert word in text
        assert "21 апреля 2020 г." in text
        assert "ХАТТАМА" not in text

    def test_reads_the_russian_fields(self, meeting: Any) -> None:
        text = docx_text(minutes_docx(meeting, "ru"))

        assert "г. Караганда, онлайн-формат (Zoom)\t21 апреля 2020 г." in text
        assert "Совещание по реализации программы «Рухани жаңғыру»" in text
        assert "Кусаин Ерлан – руководитель управления внутренней политики\n" in text
        assert "Абишева Гульмира (вместо: Жумекенов Еркебулан" in text
        assert "Ответственные: УКА, УВП" in text
        assert "Срок: 1 мая 2020 г." in text
        assert "Срок: ежемесячно до 5 числа, до 31 декабря 2020 г." in text
        assert "Срок: в течение 10 дней после снятия чрезвычайного положения" in text
        # A media company without a Russian short name is named by its full Russian name.
        assert "Ответственные: ТОО «Saryarqa Aqparat»" in text
        assert "Информацию принять к сведению." in text
        assert "Председатель\tА. Нукенов" in text

    def test_falls_back_to_kazakh_when_russian_is_empty(self, meeting: Any) -> None:
        item = meeting.items.get(order=3)
        item.title_ru = ""
        item.save(update_fields=["title_ru"])

        text = docx_text(minutes_docx(meeting, "ru"))

        assert "3. Келесі кезеңнің жұмыс жоспары туралы" in text


def test_unknown_language_is_refused(meeting: Any) -> None:
    with pytest.raises(ValueError, match="kk or ru"):
        minutes_docx(meeting, "en")


def test_amendments_follow_the_minutes(meeting: Any) -> None:
    user: Any = UserFactory()
    MinutesAmendment.objects.create(
        meeting=meeting, text="Екінші шешімнің мерзімі нақтыланды.", author=user
    )

    text = docx_text(minutes_docx(meeting, "kk"))

    assert "Хаттамаға енгізілген өзгерістер:" in text
    assert "Екінші шешімнің мерзімі нақтыланды." in text


def test_before_attendance_is_taken_nobody_is_listed_as_present() -> None:
    # Those present come from the attendance, never from the invitations (issue 13: all 16
    # invitees were listed as present although nobody had marked the attendance).
    meeting: Any = MeetingFactory(
        start=START,
        end=START + datetime.timedelta(hours=1),
        territory=TerritoryFactory(name_kk="Саран қаласы", name_ru="г. Сарань"),
    )
    ParticipantFactory(meeting=meeting, person=person(("Бірінші", "Первый"), ("А", "А")))
    ParticipantFactory(meeting=meeting, person=person(("Екінші", "Второй"), ("Б", "Б")))

    content = minutes_content(meeting, "kk")

    assert content.participants == ()
    assert content.place == "Саран қаласы, Akimat, hall 1"


@pytest.mark.parametrize(
    ("kind", "venue", "kk", "ru"),
    [
        pytest.param(
            MeetingFormat.IN_PERSON,
            "Қалалық әкімдік, 305 кабинет",
            "Саран қаласы, Қалалық әкімдік, 305 кабинет",
            "г. Сарань, Қалалық әкімдік, 305 кабинет",
            id="in person",
        ),
        pytest.param(
            MeetingFormat.HYBRID,
            "Қалалық әкімдік",
            "Саран қаласы, Қалалық әкімдік, онлайн (Zoom)",
            "г. Сарань, Қалалық әкімдік, онлайн-формат (Zoom)",
            id="hybrid",
        ),
        pytest.param(MeetingFormat.IN_PERSON, "", "Саран қаласы", "г. Сарань", id="no venue typed"),
        # A venue that already names the city is not preceded by it again, in either language.
        pytest.param(
            MeetingFormat.IN_PERSON,
            "г. Сарань, ул. Жамбыла, 70",
            "г. Сарань, ул. Жамбыла, 70",
            "г. Сарань, ул. Жамбыла, 70",
            id="venue naming the city",
        ),
    ],
)
def test_the_place_line_names_the_city_or_district_before_the_venue(
    kind: str, venue: str, kk: str, ru: str
) -> None:
    saran = TerritoryFactory(kind=TerritoryKind.CITY, name_kk="Саран қаласы", name_ru="г. Сарань")
    meeting: Any = MeetingFactory(
        territory=saran,
        format=kind,
        venue=venue,
        video_url="https://us02web.zoom.us/j/1" if kind == MeetingFormat.HYBRID else "",
    )

    assert minutes_content(meeting, "kk").place == kk
    assert minutes_content(meeting, "ru").place == ru


@pytest.mark.parametrize(
    ("url", "platform"),
    [
        ("https://us02web.zoom.us/j/1", "Zoom"),
        ("https://zoom.us/j/1", "Zoom"),
        ("https://teams.microsoft.com/l/meetup-join/x", "Microsoft Teams"),
        ("https://www.webinar.kz/room/5", "webinar.kz"),
    ],
)
def test_the_platform_is_guessed_from_the_link(url: str, platform: str) -> None:
    assert video_platform(url) == platform


@pytest.mark.parametrize(
    ("day", "kk"),
    [(1, "1-іне"), (2, "2-сіне"), (6, "6-сына"), (9, "9-ына"), (10, "10-ына"), (20, "20-сына")],
)
def test_kazakh_recurring_day_takes_its_ending(day: int, kk: str) -> None:
    assignment = AssignmentFactory.build(
        deadline_kind=DeadlineKind.RECURRING,
        recurrence=Recurrence.QUARTERLY,
        recurrence_day=day,
        recurrence_until=None,
    )

    assert deadline_text(assignment, "kk") == f"тоқсан сайын {kk} дейін"
    assert deadline_text(assignment, "ru") == f"ежеквартально до {day} числа"


def test_one_day_after_lifting_is_singular_in_russian() -> None:
    assignment = AssignmentFactory.build(
        deadline_kind=DeadlineKind.AFTER_LIFTING, days_after_lifting=21
    )

    assert deadline_text(assignment, "ru") == (
        "в течение 21 дня после снятия чрезвычайного положения"
    )


def test_queries_do_not_grow_with_items_and_decisions(meeting: Any, orgs: dict[str, Any]) -> None:
    with CaptureQueriesContext(connection) as full:
        minutes_content(meeting, "kk")
    for order in range(4, 8):
        item: Any = AgendaItemFactory(meeting=meeting, order=order)
        item.speakers.add(PersonFactory())
        for number in (1, 2):
            decision = DecisionFactory(item=item, number=number)
            assign(decision, orgs["outsider"], orgs["culture"], orgs["media"])

    with CaptureQueriesContext(connection) as bigger:
        minutes_content(meeting, "kk")

    # meeting, participants, items, speakers, decisions, assignments, co-executors,
    # amendments, reviews (with their assignments), appointments, the places' names (to
    # write a post in the middle of a line with the right capital letter).
    assert len(full) == 11
    assert len(bigger) == len(full)


class TestExtract:
    def test_holds_only_the_decisions_the_organization_leads(
        self, meeting: Any, orgs: dict[str, Any]
    ) -> None:
        text = docx_text(assignments_extract_docx(meeting, orgs["media"], "kk"))

        assert "ХАТТАМАДАН ҮЗІНДІ" in text
        assert "2020 ж. 21 сәуір" in text
        assert "«Saryarqa Aqparat» ЖШС" in text  # the addressee
        assert "II. Арнайы жобалардың барысы туралы" in text
        assert "1. Жоспарланған іс-шаралар карантиннен кейін өткізілсін." in text
        assert "Мерзімі: төтенше жағдай алынғаннан кейін 10 күн ішінде" in text
        assert "Мәдени іс-шаралар" not in text
        assert "Аудандардағы жұмыс" not in text
        assert "2019 жылғы жұмыс нәтижелері" not in text
        assert "ТЫҢДАЛДЫ:" not in text
        assert "Үзінді дұрыс." in text

    def test_holds_the_decisions_it_co_executes(self, meeting: Any, orgs: dict[str, Any]) -> None:
        text = docx_text(assignments_extract_docx(meeting, orgs["policy"], "ru"))

        assert "ВЫПИСКА ИЗ ПРОТОКОЛА" in text
        assert "1. Обновить план культурных мероприятий." in text  # co-executes
        assert "2. Представлять информацию о работе в районах." in text  # leads
        assert "Провести запланированные мероприятия" not in text
        assert "Выписка верна." in text

    def test_is_empty_of_decisions_for_an_organization_without_any(
        self, meeting: Any, orgs: dict[str, Any]
    ) -> None:
        text = docx_text(assignments_extract_docx(meeting, orgs["outsider"], "kk"))

        assert "ШЕШІЛДІ:" not in text


def test_libreoffice_opens_the_docx(meeting: Any, tmp_path: Path) -> None:
    converted = libreoffice_pdf(minutes_docx(meeting, "kk"), tmp_path)

    assert converted.startswith(b"%PDF")
    assert "ХАТТАМА" in pdf_text(converted, tmp_path, "-layout")


class TestPdf:
    def test_is_a_pdf(self, meeting: Any) -> None:
        assert minutes_pdf(meeting, "kk").startswith(b"%PDF")

    def test_carries_kazakh_letters_as_text(self, meeting: Any, tmp_path: Path) -> None:
        text = pdf_text(minutes_pdf(meeting, "kk"), tmp_path, "-layout")

        for letter in KAZAKH_LETTERS:
            assert letter in text, letter
        for word in ("ХАТТАМА", "ТЫҢДАЛДЫ:", "ШЕШІЛДІ:", "Мерзімі:", "2020 ж. 21 сәуір"):
            assert word in text

    def test_says_what_the_docx_says(self, meeting: Any, tmp_path: Path) -> None:
        text = " ".join(pdf_text(minutes_pdf(meeting, "ru"), tmp_path, "-layout").split())

        for line in docx_text(minutes_docx(meeting, "ru")).splitlines():
            words = " ".join(line.replace("\t", " ").split())
            assert words in text, words

    def test_embeds_a_dejavu_font(self, meeting: Any, tmp_path: Path) -> None:
        source = tmp_path / "minutes.pdf"
        source.write_bytes(minutes_pdf(meeting, "kk"))

        listing = subprocess.run(
            [poppler("pdffonts"), str(source)], check=True, capture_output=True, timeout=60
        ).stdout.decode()

        header, rule, *fonts = listing.splitlines()
        # Columns are as wide as the dashes under their headers: name, type, encoding, emb…
        spans, start = [], 0
        for dashes in rule.split(" "):
            spans.append((start, start + len(dashes)))
            start += len(dashes) + 1
        columns = [header[a:b].strip() for a, b in spans]
        embedded = [
            row[spans[0][0] : spans[0][1]].strip()
            for row in fonts
            if row[slice(*spans[columns.index("emb")])].strip() == "yes"
        ]
        assert any("DejaVu" in name for name in embedded), listing
