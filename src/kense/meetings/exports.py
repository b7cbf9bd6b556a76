"""The minutes of a meeting as officials expect them: DOCX to edit, PDF to sign, and an extract
of the decisions for one responsible organization.

The document's language is chosen for the document, independently of the reader's interface:
the fixed words (ХАТТАМА / ПРОТОКОЛ, ТЫҢДАЛДЫ / СЛУШАЛИ…) are document text, kept in
:data:`WORDS` rather than in the gettext catalogues, and every translated field is read from
its explicit ``_kk`` / ``_ru`` column, falling back to the other language when it is empty.

Both renderers draw from one :class:`MinutesContent` built by :func:`minutes_content`, so the
DOCX and the PDF always say the same thing; the extract is the same content, filtered.
"""

from __future__ import annotations

import dataclasses
import datetime
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.db.models import Prefetch, Q
from django.template.loader import render_to_string
from django.utils import translation
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.text.paragraph import Paragraph

from kense.assignments.models import Assignment, DeadlineKind, Recurrence, Review, ReviewChoice
from kense.meetings.models import (
    AgendaItem,
    Attendance,
    Decision,
    ItemKind,
    Meeting,
    MeetingFormat,
    MinutesAmendment,
    Participant,
)
from kense.registry.models import Appointment, Organization, Person, Territory
from kense.text.kazakh import format_date

__all__ = [
    "WORDS",
    "MinutesContent",
    "assignments_extract_docx",
    "minutes_content",
    "minutes_docx",
    "minutes_pdf",
]

#: The fixed words of the minutes, per document language.
WORDS: dict[str, dict[str, str]] = {
    "kk": {
        "minutes": "ХАТТАМА",
        "extract": "ХАТТАМАДАН ҮЗІНДІ",
        "chair": "Төрағалық еткен:",
        "present": "Қатысқандар:",
        "agenda": "Күн тәртібі:",
        "heard": "ТЫҢДАЛДЫ:",
        "discussion": "СӨЙЛЕГЕНДЕР:",
        "decided": "ШЕШІЛДІ:",
        "noted": "Ақпарат назарға алынсын.",
        "responsible": "Жауаптылар:",
        "deadline": "Мерзімі:",
        "instead_of": "орнына",
        "online": "онлайн",
        "online_place": "онлайн",
        "amendments": "Хаттамаға енгізілген өзгерістер:",
        "chair_signature": "Төраға",
        "secretary_signature": "Хатшы",
        "extract_certified": "Үзінді дұрыс.",
        # A later meeting's decisions on earlier assignments (Review), after the assignment.
        "review_item": "Бұрын берілген тапсырмалардың орындалу барысы туралы",
        "review_accept": "орындалды деп есептелсін, бақылаудан алынсын",
        "review_extend": "орындау мерзімі {deadline} ұзартылсын",
        "review_extend_after_lifting": "орындау мерзімі ұзартылсын: {deadline}",
        "review_reassign": "жауапты орындаушы ауыстырылсын: {organization}",
        "review_keep": "бақылауда қалдырылсын",
    },
    "ru": {
        "minutes": "ПРОТОКОЛ",
        "extract": "ВЫПИСКА ИЗ ПРОТОКОЛА",
        "chair": "Председательствовал:",
        "present": "Присутствовали:",
        "agenda": "Повестка дня:",
        "heard": "СЛУШАЛИ:",
        "discussion": "ВЫСТУПИЛИ:",
        "decided": "РЕШИЛИ:",
        "noted": "Информацию принять к сведению.",
        "responsible": "Ответственные:",
        "deadline": "Срок:",
        "instead_of": "вместо",
        "online": "онлайн",
        "online_place": "онлайн-формат",
        "amendments": "Изменения, внесённые в протокол:",
        "chair_signature": "Председатель",
        "secretary_signature": "Секретарь",
        "extract_certified": "Выписка верна.",
        "review_item": "О ходе исполнения ранее данных поручений",
        "review_accept": "снять с контроля как исполненное",
        "review_extend": "продлить срок исполнения {deadline}",
        "review_extend_after_lifting": "продлить срок исполнения: {deadline}",
        "review_reassign": "сменить ответственного исполнителя: {organization}",
        "review_keep": "оставить на контроле",
    },
}

# «до 31 декабря» needs the dative in Kazakh («31 желтоқсанға дейін»), which format_date, made
# for plain dates, does not give; the suffix follows the month name's vowels and last sound.
_MONTHS_KK_DATIVE = (
    "қаңтарға",
    "ақпанға",
    "наурызға",
    "сәуірге",
    "мамырға",
    "маусымға",
    "шілдеге",
    "тамызға",
    "қыркүйекке",
    "қазанға",
    "қарашаға",
    "желтоқсанға",
)
# «5-іне дейін», «10-ына дейін», «20-сына дейін»: the possessive-dative ending of a day number
# follows the spoken last word of the number (бес → -іне, он → -ына, жиырма → -сына).
_KK_UNITS_ENDING = {
    1: "іне",
    2: "сіне",
    3: "іне",
    4: "іне",
    5: "іне",
    6: "сына",
    7: "сіне",
    8: "іне",
    9: "ына",
}
_KK_TENS_ENDING = {1: "ына", 2: "сына", 3: "ына"}

_PLATFORMS = (
    ("zoom.us", "Zoom"),
    ("teams.microsoft.com", "Microsoft Teams"),
    ("teams.live.com", "Microsoft Teams"),
    ("meet.google.com", "Google Meet"),
)


# ---------------------------------------------------------------------------------------------
# The content, built once for both renderers
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Responsibility:
    """Who answers for one assignment of a decision, and by when."""

    organizations: tuple[str, ...]
    organization_ids: frozenset[int]
    deadline: str


@dataclass(frozen=True)
class DecisionEntry:
    number: int
    paragraphs: tuple[str, ...]
    responsibilities: tuple[Responsibility, ...]


@dataclass(frozen=True)
class ItemEntry:
    number: int
    numeral: str
    title: str
    speakers: tuple[str, ...]
    heard: tuple[str, ...]
    discussion: tuple[str, ...]
    decisions: tuple[DecisionEntry, ...]
    # The meeting's decisions on earlier assignments, numbered after its own decisions.
    reviews: tuple[str, ...] = ()


@dataclass(frozen=True)
class Signature:
    role: str
    name: str


@dataclass(frozen=True)
class MinutesContent:
    """What the minutes say, in one language, ready to be laid out as DOCX or HTML."""

    language: str
    words: Mapping[str, str]
    heading: str
    title: str
    place: str
    date: str
    chair: str
    participants: tuple[str, ...]
    agenda: tuple[str, ...]
    items: tuple[ItemEntry, ...]
    amendments: tuple[str, ...]
    signatures: tuple[Signature, ...]
    addressee: str = ""
    certification: str = ""
    # «№ 3»: empty until the minutes are numbered (typed, or given at approval).
    number: str = ""
    # The organizer: the author of the document's properties (DOCX core properties, PDF).
    author: str = ""

    @property
    def full_heading(self) -> str:
        """«ХАТТАМА № 3»."""
        return f"{self.heading} {self.number}" if self.number else self.heading

    @property
    def document_title(self) -> str:
        return f"{self.full_heading} — {self.title}"


def _check_language(language: str) -> str:
    if language not in WORDS:
        raise ValueError(f"minutes are written in kk or ru, not {language!r}")
    return language


def _other(language: str) -> str:
    return "ru" if language == "kk" else "kk"


def _field(obj: Any, name: str, language: str) -> str:
    """The field in the document's language, else in the other one (kk ↔ ru), else in en."""
    for code in (language, _other(language), "en"):
        value = getattr(obj, f"{name}_{code}", None)
        if value and value.strip():
            return str(value).strip()
    return ""


def _paragraphs(text: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in text.splitlines() if line.strip())


def _formal_name(person: Person | None, language: str) -> str:
    if person is None:
        return ""
    parts = (_field(person, name, language) for name in ("surname", "given_name", "patronymic"))
    return " ".join(part for part in parts if part)


def _signature_name(person: Person | None, language: str) -> str:
    """«А. Нүкенов»: initials, then the surname, as under an official signature."""
    if person is None:
        return ""
    initials = "".join(
        f"{part[0]}."
        for name in ("given_name", "patronymic")
        if (part := _field(person, name, language))
    )
    surname = _field(person, "surname", language)
    return " ".join(part for part in (initials, surname) if part)


def _roman(number: int) -> str:
    numerals = (
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    )
    text = ""
    for value, numeral in numerals:
        while number >= value:
            text += numeral
            number -= value
    return text


def video_platform(url: str) -> str:
    """The platform a video link belongs to («Zoom», «Microsoft Teams»), else the link's host."""
    host = (urlsplit(url).hostname or "").lower()
    for domain, name in _PLATFORMS:
        if host == domain or host.endswith(f".{domain}"):
            return name
    return host.removeprefix("www.")


def _town(meeting: Meeting, language: str) -> str:
    """The place of the minutes' making, which an official document names first: the
    meeting's city or district by its name as stored, in the document's language («Қарағанды
    қаласы», «г. Караганда»); nothing when the venue already names it («г. Сарань, ул. …»)."""
    territory = meeting.territory
    venue = meeting.venue.casefold()
    names = (getattr(territory, f"name_{code}", "") for code in ("kk", "ru"))
    if venue and any(name and name.strip().casefold() in venue for name in names):
        return ""
    return _field(territory, "name", language)


def _place(meeting: Meeting, language: str) -> str:
    """The line of place beside the date: the city or district, then the venue of a meeting
    in person, the video platform of one online, both of a hybrid one («Саран, Қалалық
    әкімдік, 305 кабинет, онлайн (Zoom)»)."""
    words = WORDS[language]
    online = words["online_place"]
    if meeting.video_url:
        platform = video_platform(meeting.video_url)
        online = f"{online} ({platform})" if platform else online
    parts = [_town(meeting, language)]
    if meeting.format != MeetingFormat.ONLINE:
        parts.append(meeting.venue.strip())
    if meeting.format != MeetingFormat.IN_PERSON:
        parts.append(online)
    parts = [part for part in parts if part]
    if parts and parts[0] == online:
        # «Онлайн (Zoom)» may open the line; a name keeps its case as stored or typed
        # («г. Караганда» stays so).
        parts[0] = online[:1].upper() + online[1:]
    return ", ".join(parts)


def _kk_until(day: datetime.date) -> str:
    return f"{day.year} ж. {day.day} {_MONTHS_KK_DATIVE[day.month - 1]} дейін"


def _kk_day_ending(day: int) -> str:
    units, tens = day % 10, day // 10 % 10
    ending = _KK_UNITS_ENDING[units] if units else _KK_TENS_ENDING.get(tens, "ына")
    return f"{day}-{ending}"


def deadline_text(assignment: Assignment, language: str) -> str:
    """The deadline in words: a date, a recurrence («ай сайын 5-іне дейін, …»), or a number of
    days after the state of emergency is lifted."""
    kk = language == "kk"
    if assignment.deadline_kind == DeadlineKind.RECURRING:
        day = assignment.recurrence_day
        if assignment.recurrence == Recurrence.QUARTERLY:
            period = "тоқсан сайын" if kk else "ежеквартально"
        else:
            period = "ай сайын" if kk else "ежемесячно"
        if day:
            period = f"{period} {_kk_day_ending(day)} дейін" if kk else f"{period} до {day} числа"
        until = assignment.recurrence_until
        if until is None:
            return period
        return f"{period}, {_kk_until(until) if kk else 'до ' + format_date(until, 'ru')}"
    if assignment.deadline_kind == DeadlineKind.AFTER_LIFTING:
        return _after_lifting(assignment.days_after_lifting or 0, language)
    return format_date(assignment.deadline, language)


def _after_lifting(days: int, language: str) -> str:
    if language == "kk":
        return f"төтенше жағдай алынғаннан кейін {days} күн ішінде"
    noun = "дня" if days % 10 == 1 and days % 100 != 11 else "дней"
    return f"в течение {days} {noun} после снятия чрезвычайного положения"


def _review_line(review: Review, number: int, language: str, words: Mapping[str, str]) -> str:
    """«3. № 12 «…»: орындау мерзімі ұзартылсын: төтенше жағдай алынғаннан кейін 30 күн
    ішінде. Note.» — the assignment, what the meeting decided, its note. Not the lead
    organization: today's may be the one a review gave, not the one the meeting reviewed."""
    assignment = review.assignment
    # The quotes close the sentence: «Представить медиаплан», not «Представить медиаплан.»
    text = " ".join(_field(assignment, "text", language).split()).rstrip(".")
    if len(text) > 200:
        text = text[:199].rstrip() + "…"
    # Quotes inside quotes are „…“: «„Ұлы даланың ұлы есімдері“ жобасы…», never ««…».
    text = text.replace("«", "„").replace("»", "“")
    subject = f"№ {assignment.number} «{text}»" if assignment.number else f"«{text}»"
    choice = review.choice
    if choice == ReviewChoice.EXTEND and review.new_deadline is not None:
        deadline = (
            _kk_until(review.new_deadline)
            if language == "kk"
            else f"до {format_date(review.new_deadline, language)}"
        )
        decided = words["review_extend"].format(deadline=deadline)
    elif choice == ReviewChoice.EXTEND_AFTER_LIFTING:
        deadline = _after_lifting(review.days_after_lifting or 0, language)
        decided = words["review_extend_after_lifting"].format(deadline=deadline)
    elif choice == ReviewChoice.REASSIGN and review.new_lead_organization is not None:
        organization = _organization_name(review.new_lead_organization, language)
        decided = words["review_reassign"].format(organization=organization)
    elif choice == ReviewChoice.ACCEPT:
        decided = words["review_accept"]
    else:
        decided = words["review_keep"]
    line = f"{number}. {subject}: {decided}"
    line = line if line.endswith(".") else f"{line}."  # «до 1 июня 2020 г.» has its stop
    note = " ".join(review.note.split())
    return f"{line} {note}" if note else line


def _organization_name(organization: Organization, language: str, *, short: bool = True) -> str:
    """The short name, else the full one (the full one first with `short=False`), in the
    document's language before any other."""
    names = ("short_name", "name") if short else ("name", "short_name")
    for code in (language, _other(language), "en"):
        for name in names:
            value = getattr(organization, f"{name}_{code}", None)
            if value and value.strip():
                return str(value).strip()
    return ""


def _load(meeting: Meeting) -> Meeting:
    """The meeting with everything the minutes print, in a fixed number of queries."""
    assignments = (
        # Instances of a recurring assignment repeat their parent: the minutes show the parent.
        Assignment.objects.filter(parent__isnull=True)
        .select_related("lead_organization")
        .prefetch_related(Prefetch("co_executors", queryset=Organization.objects.order_by("pk")))
        .order_by("pk")
    )
    decisions = Decision.objects.order_by("number", "pk").prefetch_related(
        Prefetch("assignments", queryset=assignments)
    )
    items = AgendaItem.objects.order_by("order", "pk").prefetch_related(
        Prefetch("speakers", queryset=Person.objects.order_by("pk")),
        Prefetch("decisions", queryset=decisions),
    )
    return (
        Meeting.objects.select_related("chair", "secretary", "organizer", "territory")
        .prefetch_related(
            Prefetch(
                "participants",
                queryset=Participant.objects.select_related(
                    "person", "replaced_by", "organization"
                ).order_by("pk"),
            ),
            Prefetch("items", queryset=items),
            Prefetch("amendments", queryset=MinutesAmendment.objects.order_by("created_at", "pk")),
            Prefetch(
                "reviews",
                queryset=Review.objects.select_related(
                    "assignment", "new_lead_organization"
                ).order_by("pk"),
            ),
        )
        .get(pk=meeting.pk)
    )


class _Positions:
    """Each person's post on the meeting day, worded in the document's language.

    A participant's post is frozen with the invitation, but in one language only; an
    appointment's own wording in the document's language is preferred when there is one.
    """

    def __init__(
        self, person_ids: Iterable[int], day: datetime.date, participants: Iterable[Participant]
    ) -> None:
        self._frozen = {p.person_id: p for p in participants}
        self.places = _Places()
        self._appointments: dict[int, list[Appointment]] = {}
        current = (
            Appointment.objects.filter(person_id__in=set(person_ids), start__lte=day)
            .filter(Q(end__isnull=True) | Q(end__gte=day))
            .select_related("position", "organization")
            .order_by("-start", "pk")
        )
        for appointment in current:
            self._appointments.setdefault(appointment.person_id, []).append(appointment)

    def _appointment(self, person_id: int) -> Appointment | None:
        held = self._appointments.get(person_id, [])
        participant = self._frozen.get(person_id)
        if participant is not None and participant.organization_id is not None:
            for appointment in held:
                if appointment.organization_id == participant.organization_id:
                    return appointment
        return held[0] if held else None

    def of(self, person_id: int | None, language: str, *, organization: bool = True) -> str:
        """The post in the document's language; without `organization`, the post alone where
        it is worded from the position (the caller names the organization itself)."""
        if person_id is None:
            return ""
        appointment = self._appointment(person_id)
        if appointment is not None:
            own = getattr(appointment, f"title_{language}", "") or ""
            if own.strip():
                return own.strip()
        participant = self._frozen.get(person_id)
        frozen = _field(participant, "position_title", language) if participant else ""
        if frozen:
            return frozen
        if appointment is not None:
            title = _field(appointment, "title", language)
            if title:
                return title
            position = _field(appointment.position, "name", language)
            if not organization:
                return position
            where = _organization_name(appointment.organization, language)
            return ", ".join(part for part in (position, where) if part)
        return ""

    def organization(self, person_id: int | None) -> Organization | None:
        """Where the person sat for the meeting: the participant's organization, else that of
        the post held that day."""
        if person_id is None:
            return None
        participant = self._frozen.get(person_id)
        if participant is not None and participant.organization is not None:
            return participant.organization
        appointment = self._appointment(person_id)
        return appointment.organization if appointment is not None else None

    def post(self, person_id: int | None, language: str) -> str:
        """The organization and the post, as the list of those present names them:
        «Жобалық кеңсе, басшы», «Управление культуры, руководитель управления»; the
        organization left out when the post already names it («Саран қаласы әкімінің
        орынбасары»)."""
        position = self.places.mid_line(self.of(person_id, language, organization=False))
        organization = self.organization(person_id)
        if organization is None:
            return position
        short = _organization_name(organization, language)
        full = _organization_name(organization, language, short=False)
        if any(self.places.names_organization(position, name) for name in (short, full)):
            return position
        # The short name unless it is only letters of an abbreviation («ІСБ»): a reader of
        # the minutes knows «Жобалық кеңсе», not every office's initials.
        name = short if any(letter.islower() for letter in short) else full
        return f"{name}, {position}" if position else name


class _Places:
    """The stems of the place names (territories in kk and ru), to tell a proper name that
    opens a post («Саран қаласы әкімінің…», «Карагандинской области») from a common noun
    («Руководитель», «Басқарма басшысы») that takes a small letter inside a line."""

    def __init__(self) -> None:
        self._stems: set[str] = set()
        for names in Territory.objects.values_list("name_kk", "name_ru"):
            for name in names:
                for word in (name or "").replace("-", " ").split():
                    word = word.strip('«»"().,')
                    if len(word) >= 3 and word[:1].isupper():
                        word = word.casefold()
                        # The stem of its inflected forms: «Сарань» → «саран» (Сарани),
                        # «Актогайский» → «актогай» (Актогайского района).
                        cut = 3 if len(word) >= 8 else 1 if len(word) > 4 else 0
                        self._stems.add(word[: len(word) - cut])

    def is_place(self, word: str) -> bool:
        word = word.strip('«»"().,').casefold()
        return any(word[:length] in self._stems for length in range(3, len(word) + 1))

    def mid_line(self, text: str) -> str:
        """A post written as a title («Руководитель», «Басқарма басшысы», «Тәрбие жұмысы
        жөніндегі проректор») put after a dash or a comma: its first letter lower-cased,
        unless its first word is an abbreviation («ГУ»), a name in Latin letters, or a place
        («Саран қаласы…», «Шет ауданы…», «Карагандинской области…»)."""
        if not text:
            return text
        first = text.split()[0].strip('«»"')
        if not first or not first[:1].isupper() or not first[1:].islower():
            return text  # already small, an abbreviation, or a mixed-case name
        if first.isascii() or self.is_place(first):
            return text
        return text[0].lower() + text[1:]

    def names_organization(self, position: str, organization: str) -> bool:
        """Whether a post's wording already says where it is held: it contains the
        organization's name, or a place the name has («Шет ауданы әкімінің орынбасары» of
        «Шет ауданының әкімдігі», «заместитель акима города Сарани» of «Акимат города
        Сарани»)."""
        folded = position.casefold()
        if not folded or organization.casefold() in folded:
            return True

        # «ішкі саясат басқармасының басшысы» names «Ішкі саясат басқармасы»: each word of
        # the name is there, inflected.
        def stem(word: str) -> str:
            return word.strip('«»"().,').casefold()[:5]

        named = {stem(word) for word in organization.split() if len(stem(word)) >= 4}
        if named and named <= {stem(word) for word in position.split()}:
            return True
        places = [word for word in organization.split() if self.is_place(word)]
        stems = {word.strip('«»"().,').casefold()[:4] for word in places}
        return any(word.strip('«»"().,').casefold()[:4] in stems for word in position.split())


def _with_position(name: str, position: str) -> str:
    return f"{name} – {position}" if position else name


def _participant_line(
    participant: Participant,
    positions: _Positions,
    language: str,
    words: Mapping[str, str],
    *,
    online_marked: bool = True,
) -> str:
    """«Name – organization, post», the deputy who came instead, and «(онлайн)» for those
    who joined online when the meeting was not online for everybody."""
    name = _formal_name(participant.person, language)
    position = positions.post(participant.person_id, language)
    if participant.attendance == Attendance.REPLACED and participant.replaced_by is not None:
        deputy = _with_position(
            _formal_name(participant.replaced_by, language),
            positions.post(participant.replaced_by_id, language),
        )
        original = f"{name}, {position}" if position else name
        line = f"{deputy} ({words['instead_of']}: {original})"
    else:
        line = _with_position(name, position)
    if participant.online and online_marked:
        line = f"{line} ({words['online']})"
    return line


def _responsibility(assignment: Assignment, language: str) -> Responsibility:
    # The lead organization first, then the co-executors, as the minutes name them.
    bodies = (assignment.lead_organization, *assignment.co_executors.all())
    return Responsibility(
        organizations=tuple(_organization_name(body, language) for body in bodies),
        organization_ids=frozenset(body.pk for body in bodies),
        deadline=deadline_text(assignment, language),
    )


def minutes_content(meeting: Meeting, language: str) -> MinutesContent:
    """Everything the minutes of ``meeting`` say, in ``language`` ("kk" or "ru").

    Reads the meeting afresh with its participants, items, decisions, assignments and
    amendments in a number of queries that does not grow with their count.
    """
    language = _check_language(language)
    words = WORDS[language]
    meeting = _load(meeting)
    day = meeting.day
    participants = list(meeting.participants.all())
    items = list(meeting.items.all())

    person_ids = {p.person_id for p in participants}
    person_ids |= {p.replaced_by_id for p in participants if p.replaced_by_id}
    person_ids |= {s.pk for item in items for s in item.speakers.all()}
    if meeting.chair_id:
        person_ids.add(meeting.chair_id)
    positions = _Positions(person_ids, day, participants)

    chair = ""
    if meeting.chair is not None:
        chair_position = positions.places.mid_line(positions.of(meeting.chair_id, language))
        chair_name = _formal_name(meeting.chair, language)
        chair = f"{chair_position} {chair_name}" if chair_position else chair_name

    # Those present come from the attendance, never from the invitations: until it is taken
    # the list is empty (and the minutes cannot be approved, see services.meeting_transition).
    attending = [
        p
        for p in participants
        if p.person_id != meeting.chair_id
        and p.attendance in (Attendance.PRESENT, Attendance.REPLACED)
    ]

    reviews = list(meeting.reviews.all())
    # The reviews are printed under the review item; without one (recorded through the API),
    # under an item of their own at the end, so that no decision of the meeting is left out.
    review_item = next((item for item in items if item.kind == ItemKind.REVIEW), None)

    def review_lines(after: int) -> tuple[str, ...]:
        return tuple(
            _review_line(review, number, language, words)
            for number, review in enumerate(reviews, start=after + 1)
        )

    entries = []
    for number, item in enumerate(items, start=1):
        decisions = tuple(
            DecisionEntry(
                number=decision.number,
                paragraphs=_paragraphs(_field(decision, "text", language)),
                responsibilities=tuple(
                    _responsibility(assignment, language)
                    for assignment in decision.assignments.all()
                ),
            )
            for decision in item.decisions.all()
        )
        entries.append(
            ItemEntry(
                number=number,
                numeral=_roman(number),
                title=_field(item, "title", language),
                speakers=tuple(
                    _with_position(
                        _formal_name(speaker, language), positions.post(speaker.pk, language)
                    )
                    for speaker in item.speakers.all()
                ),
                heard=_paragraphs(_field(item, "heard", language)),
                discussion=_paragraphs(_field(item, "discussion", language)),
                decisions=decisions,
                reviews=(
                    review_lines(max((d.number for d in decisions), default=0))
                    if item is review_item
                    else ()
                ),
            )
        )
    if reviews and review_item is None:
        number = len(entries) + 1
        entries.append(
            ItemEntry(
                number=number,
                numeral=_roman(number),
                title=words["review_item"],
                speakers=(),
                heard=(),
                discussion=(),
                decisions=(),
                reviews=review_lines(0),
            )
        )

    return MinutesContent(
        language=language,
        words=words,
        heading=words["minutes"],
        number=f"№ {meeting.protocol_number}" if meeting.protocol_number else "",
        author=_organization_name(meeting.organizer, language, short=False),
        title=_field(meeting, "title", language),
        place=_place(meeting, language),
        date=format_date(meeting.start, language),
        chair=chair,
        participants=tuple(
            _participant_line(
                p,
                positions,
                language,
                words,
                online_marked=meeting.format != MeetingFormat.ONLINE,
            )
            for p in attending
        ),
        agenda=tuple(f"{entry.number}. {entry.title}" for entry in entries),
        items=tuple(entries),
        amendments=tuple(
            f"{format_date(amendment.created_at, language)}: {amendment.text.strip()}"
            for amendment in meeting.amendments.all()
        ),
        signatures=(
            Signature(words["chair_signature"], _signature_name(meeting.chair, language)),
            Signature(words["secretary_signature"], _signature_name(meeting.secretary, language)),
        ),
    )


def extract_content(content: MinutesContent, organization: Organization) -> MinutesContent:
    """The minutes cut down to the decisions ``organization`` leads or co-executes."""
    items = []
    for item in content.items:
        decisions = []
        for decision in item.decisions:
            concerned = tuple(
                r for r in decision.responsibilities if organization.pk in r.organization_ids
            )
            if concerned:
                decisions.append(dataclasses.replace(decision, responsibilities=concerned))
        if decisions:
            items.append(
                dataclasses.replace(
                    item,
                    speakers=(),
                    heard=(),
                    discussion=(),
                    decisions=tuple(decisions),
                    reviews=(),
                )
            )
    words = content.words
    heading = words["extract"]
    if content.number:
        # «№ 3 хаттамадан үзінді», «Выписка из протокола № 3».
        heading = (
            f"{content.number} {heading}"
            if content.language == "kk"
            else f"{heading} {content.number}"
        )
    return dataclasses.replace(
        content,
        heading=heading,
        number="",
        participants=(),
        agenda=(),
        items=tuple(items),
        amendments=(),
        # An extract is certified by the secretary alone.
        signatures=content.signatures[1:],
        addressee=_field(organization, "name", content.language),
        certification=words["extract_certified"],
    )


# ---------------------------------------------------------------------------------------------
# DOCX
# ---------------------------------------------------------------------------------------------

_FONT = "Times New Roman"
_PAGE_WIDTH, _PAGE_HEIGHT = Cm(21), Cm(29.7)
_LEFT_MARGIN, _MARGIN = Cm(3), Cm(2)
_TEXT_WIDTH = Cm(21 - 3 - 2)
_INDENT = Cm(1.25)
_DOCX_LANGUAGES = {"kk": "kk-KZ", "ru": "ru-RU"}


class _Writer:
    """Writes paragraphs in the officials' layout: Times New Roman 14, justified, 1.25 cm
    first-line indent for running text, bold section words."""

    def __init__(self, language: str) -> None:
        self.document = Document()
        section = self.document.sections[0]
        section.page_width, section.page_height = _PAGE_WIDTH, _PAGE_HEIGHT
        section.top_margin = section.bottom_margin = section.right_margin = _MARGIN
        section.left_margin = _LEFT_MARGIN
        normal: Any = self.document.styles["Normal"]
        normal.font.name = _FONT
        normal.font.size = Pt(14)
        run_properties = normal.element.get_or_add_rPr()
        fonts = run_properties.get_or_add_rFonts()
        # Word picks the font per script: name it for every script, or Cyrillic may fall back.
        for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
            fonts.set(qn(attribute), _FONT)
        # The proofing language, so Word checks the spelling in the document's language.
        lang = OxmlElement("w:lang")
        lang.set(qn("w:val"), _DOCX_LANGUAGES[language])
        lang.set(qn("w:eastAsia"), _DOCX_LANGUAGES[language])
        run_properties.append(lang)
        paragraph_format = normal.paragraph_format
        paragraph_format.space_before = Pt(0)
        paragraph_format.space_after = Pt(0)
        paragraph_format.line_spacing = 1.0

    def paragraph(
        self,
        text: str = "",
        *,
        label: str = "",
        bold: bool = False,
        center: bool = False,
        justify: bool = True,
        indent: bool = False,
        block: bool = False,
        space_before: float = 0,
        keep_with_next: bool = False,
    ) -> Paragraph:
        paragraph = self.document.add_paragraph()
        paragraph_format = paragraph.paragraph_format
        if center:
            paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif justify:
            paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        if indent:
            paragraph_format.first_line_indent = _INDENT
        if block:
            # Lists keep their wrapped lines under their first, not back at the margin.
            paragraph_format.left_indent = _INDENT
        if space_before:
            paragraph_format.space_before = Pt(space_before)
        if keep_with_next:
            paragraph_format.keep_with_next = True
        if label:
            paragraph.add_run(label).bold = True
            if text:
                paragraph.add_run(" ")
        if text:
            paragraph.add_run(text).bold = bold
        return paragraph

    def two_sides(self, left: str, right: str, *, bold_left: bool = False) -> None:
        """A line with one text at the left margin and another flush right (place and date,
        signature and name)."""
        paragraph = self.document.add_paragraph()
        paragraph.paragraph_format.tab_stops.add_tab_stop(_TEXT_WIDTH, WD_TAB_ALIGNMENT.RIGHT)
        paragraph.add_run(left).bold = bold_left
        paragraph.add_run(f"\t{right}")

    def page_numbers(self) -> None:
        """The page number at the top centre of every page but the first (a PAGE field, so
        Word and LibreOffice count the pages themselves)."""
        section = self.document.sections[0]
        section.different_first_page_header_footer = True
        paragraph = section.header.paragraphs[0]
        paragraph.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = paragraph.add_run()
        run.font.size = Pt(12)
        begin, instruction, end = (
            OxmlElement("w:fldChar"),
            OxmlElement("w:instrText"),
            OxmlElement("w:fldChar"),
        )
        begin.set(qn("w:fldCharType"), "begin")
        instruction.set(qn("xml:space"), "preserve")
        instruction.text = " PAGE "
        end.set(qn("w:fldCharType"), "end")
        for element in (begin, instruction, end):
            run._r.append(element)

    def bytes(self, content: MinutesContent) -> bytes:
        properties = self.document.core_properties
        properties.title = content.document_title
        properties.language = _DOCX_LANGUAGES[content.language]
        # Not python-docx's own defaults: the organizer wrote these minutes.
        properties.author = properties.last_modified_by = content.author
        properties.comments = ""
        properties.subject = content.title
        buffer = io.BytesIO()
        self.document.save(buffer)
        return buffer.getvalue()


def _render_docx(content: MinutesContent) -> bytes:
    words = content.words
    writer = _Writer(content.language)
    writer.page_numbers()
    if content.addressee:
        addressee = writer.paragraph(content.addressee, bold=True)
        addressee.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        addressee.paragraph_format.left_indent = Cm(9)
        writer.paragraph()
    writer.paragraph(content.full_heading, bold=True, center=True)
    writer.paragraph(content.title, bold=True, center=True)
    writer.paragraph()
    writer.two_sides(content.place, content.date)
    if content.chair:
        writer.paragraph(content.chair, label=words["chair"], justify=False, space_before=12)
    if content.participants:
        writer.paragraph(label=words["present"], space_before=12, keep_with_next=True)
        for line in content.participants:
            writer.paragraph(line, justify=False, block=True)
    if content.agenda:
        writer.paragraph(label=words["agenda"], space_before=12, keep_with_next=True)
        for line in content.agenda:
            writer.paragraph(line, justify=False, block=True)

    for item in content.items:
        writer.paragraph(
            f"{item.numeral}. {item.title}", bold=True, space_before=18, keep_with_next=True
        )
        if item.speakers or item.heard:
            first, *others = item.speakers or ("",)
            writer.paragraph(
                first, label=words["heard"], justify=False, space_before=6, keep_with_next=True
            )
            for speaker in others:
                writer.paragraph(speaker, justify=False, keep_with_next=True)
            for text in item.heard:
                writer.paragraph(text, indent=True)
        if item.discussion:
            writer.paragraph(label=words["discussion"], space_before=6, keep_with_next=True)
            for text in item.discussion:
                writer.paragraph(text, indent=True)
        writer.paragraph(label=words["decided"], space_before=6, keep_with_next=True)
        if not item.decisions and not item.reviews:
            writer.paragraph(words["noted"], indent=True)
        for decision in item.decisions:
            first_text, *more = decision.paragraphs or ("",)
            writer.paragraph(f"{decision.number}. {first_text}", indent=True)
            for text in more:
                writer.paragraph(text, indent=True)
            for responsibility in decision.responsibilities:
                if responsibility.organizations:
                    writer.paragraph(
                        ", ".join(responsibility.organizations),
                        label=words["responsible"],
                        indent=True,
                    )
                if responsibility.deadline:
                    writer.paragraph(responsibility.deadline, label=words["deadline"], indent=True)
        for line in item.reviews:
            writer.paragraph(line, indent=True)

    if content.amendments:
        writer.paragraph(label=words["amendments"], space_before=18, keep_with_next=True)
        for text in content.amendments:
            writer.paragraph(text, indent=True)

    writer.paragraph()
    writer.paragraph()
    if content.certification:
        writer.paragraph(content.certification, bold=True)
    for signature in content.signatures:
        writer.two_sides(signature.role, signature.name, bold_left=True)
        writer.paragraph()
    return writer.bytes(content)


def minutes_docx(meeting: Meeting, language: str) -> bytes:
    """The minutes of ``meeting`` as a Word document in ``language`` ("kk" or "ru")."""
    with translation.override(language):
        return _render_docx(minutes_content(meeting, language))


def assignments_extract_docx(meeting: Meeting, organization: Organization, language: str) -> bytes:
    """The extract of the minutes for ``organization``: the decisions whose assignments it leads
    or co-executes, with their deadlines, as a Word document in ``language``."""
    with translation.override(language):
        return _render_docx(extract_content(minutes_content(meeting, language), organization))


# ---------------------------------------------------------------------------------------------
# PDF
# ---------------------------------------------------------------------------------------------


def minutes_pdf(meeting: Meeting, language: str) -> bytes:
    """The minutes of ``meeting`` as a PDF in ``language``, for signing.

    Laid out by WeasyPrint from ``meetings/minutes_pdf.html`` in DejaVu Serif, found through
    fontconfig and embedded: a font with every Kazakh letter, and no fetch over the network.
    """
    # Imported here: loading WeasyPrint (Pango, fontconfig) costs more than every other import
    # of a request that does not render a PDF.
    from weasyprint import HTML

    with translation.override(language):
        content = minutes_content(meeting, language)
        html = render_to_string(
            "meetings/minutes_pdf.html",
            {"minutes": content},
        )
    pdf: bytes = HTML(string=html).write_pdf()
    return pdf
