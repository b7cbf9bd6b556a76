"""Meeting pages as a coordinator runs the spring 2020 meeting of DOMAIN.md with them: create it
online, invite the deputy akims of all cities and districts as one group, schedule, take
attendance, build the agenda with files, write the minutes, turn decisions into assignments,
review the February assignments, approve, amend, download; and who may do what."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from core.test_filters import assert_page_filters_are_the_api_parameters
from factories import (
    AgendaItemFactory,
    AppointmentFactory,
    AssignmentFactory,
    DecisionFactory,
    MeetingFactory,
    OrganizationFactory,
    ParticipantFactory,
    PersonFactory,
    PositionFactory,
    TerritoryFactory,
    UserFactory,
)
from kense.accounts.models import User
from kense.assignments.models import Assignment, Review, ReviewChoice, SourceKind
from kense.core.exports import XLSX
from kense.core.models import Attachment
from kense.core.permissions import Role
from kense.meetings.models import (
    AgendaItem,
    Attendance,
    Decision,
    InvitationGroup,
    ItemKind,
    Meeting,
    MeetingFormat,
    MeetingSeries,
    MeetingState,
    MinutesAmendment,
    Participant,
)
from kense.meetings.services import LOCKED
from kense.registry.models import Organization, OrganizationKind, Person, TerritoryKind

pytestmark = pytest.mark.django_db

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
# 21 April 2020, 10:00 in Almaty (UTC+6 then).
START = datetime.datetime(2020, 4, 21, 4, 0, tzinfo=datetime.UTC)
END = START + datetime.timedelta(hours=2)
ZOOM = "https://us02web.zoom.us/j/71234567890"
# Beyond this the meeting page is doing something per row: look for a missing
# select_related / prefetch_related before raising it. (The list: tests/test_query_counts.py.)
PAGE_QUERY_CEILING = 40


def kk(message: Any) -> str:
    """A message as the Kazakh pages (/kk/…) show it."""
    with translation.override("kk"):
        return translation.gettext(message) if isinstance(message, str) else str(message)


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user, backend=MODEL_BACKEND)
    return client


def url(name: str, *args: Any) -> str:
    return reverse(f"meetings:{name}", args=args)


@dataclass
class World:
    """Karaganda region with Saran city and Abai and Nura districts (a rural district inside
    Abai); an akimat in each, a deputy akim in each; the project office; the users."""

    region: Any
    saran: Any
    abai: Any
    nura: Any
    rural: Any
    akimat: dict[str, Organization]
    deputy: dict[str, Person]
    former_deputy: Person
    position: Any
    office: User
    observer: User
    nura_coordinator: User


@pytest.fixture
def world() -> World:
    region = TerritoryFactory(
        name_kk="Қарағанды облысы", name_ru="Карагандинская область", kind=TerritoryKind.REGION
    )
    saran = TerritoryFactory(
        name_kk="Саран", name_ru="Сарань", kind=TerritoryKind.CITY, parent=region
    )
    abai = TerritoryFactory(name_kk="Абай ауданы", name_ru="Абайский район", parent=region)
    nura = TerritoryFactory(name_kk="Нұра ауданы", name_ru="Нуринский район", parent=region)
    rural = TerritoryFactory(
        name_kk="Топар ауылдық округі", kind=TerritoryKind.RURAL_DISTRICT, parent=abai
    )
    position = PositionFactory(code="deputy_akim", name_kk="әкімнің орынбасары")
    akimat: dict[str, Organization] = {}
    deputy: dict[str, Person] = {}
    for key, territory, surname in (
        ("region", region, "Нүкенов"),
        ("saran", saran, "Сараниев"),
        ("abai", abai, "Абаев"),
        ("nura", nura, "Нұрин"),
        ("rural", rural, "Топаров"),
    ):
        akimat[key] = OrganizationFactory(
            name_kk=f"{territory.name_kk} әкімдігі",
            name_ru=f"Акимат {territory.name_ru}",
            kind=OrganizationKind.AKIMAT,
            territory=territory,
        )
        deputy[key] = PersonFactory(surname_kk=surname, surname_ru=surname)
        AppointmentFactory(
            person=deputy[key],
            organization=akimat[key],
            position=position,
            start=datetime.date(2020, 3, 10),
        )
    # Abai's deputy akim until March 2020: not invited to an April meeting.
    former = PersonFactory(surname_kk="Бұрынғыев", surname_ru="Бурынгыев")
    AppointmentFactory(
        person=former,
        organization=akimat["abai"],
        position=position,
        start=datetime.date(2018, 1, 1),
        end=datetime.date(2020, 3, 9),
    )
    return World(
        region=region,
        saran=saran,
        abai=abai,
        nura=nura,
        rural=rural,
        akimat=akimat,
        deputy=deputy,
        former_deputy=former,
        position=position,
        office=UserFactory(role=Role.PROJECT_OFFICE, territory=region),
        observer=UserFactory(role=Role.OBSERVER, territory=region),
        nura_coordinator=UserFactory(role=Role.COORDINATOR, territory=nura),
    )


@pytest.fixture
def office(world: World) -> Client:
    return logged_in(world.office)


@pytest.fixture
def media(settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def spring_meeting(world: World, **fields: Any) -> Meeting:
    values: dict[str, Any] = {
        "title_kk": "«Рухани жаңғыру» бағдарламасы бойынша онлайн кеңес",
        "title_ru": "Онлайн-совещание по программе «Рухани жаңғыру»",
        "format": MeetingFormat.ONLINE,
        "venue": "",
        "video_url": ZOOM,
        "video_meeting_id": "712 3456 7890",
        "video_passcode": "2020",
        "start": START,
        "end": END,
        "organizer": world.akimat["region"],
        "state": MeetingState.DRAFT,
    }
    return MeetingFactory(**(values | fields))


def meeting_data(world: World, **values: Any) -> dict[str, Any]:
    return {
        "title_kk": "«Рухани жаңғыру» бағдарламасы бойынша онлайн кеңес",
        "title_ru": "Онлайн-совещание по программе «Рухани жаңғыру»",
        "kind": "regular",
        "format": MeetingFormat.ONLINE,
        "video_url": ZOOM,
        "video_meeting_id": "712 3456 7890",
        "video_passcode": "2020",
        "start": "2020-04-21T10:00",
        "end": "2020-04-21T12:00",
        "chair": world.deputy["region"].pk,
        "organizer": world.akimat["region"].pk,
        "territory": world.region.pk,
    } | values


def form_errors(response: Any) -> dict[str, list[str]]:
    with translation.override("kk"):
        return {
            field: [str(message) for message in messages]
            for field, messages in response.context["form"].errors.items()
        }


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


# ---------------------------------------------------------------------------------------------
# Creating a meeting
# ---------------------------------------------------------------------------------------------


def test_create_an_online_meeting(world: World, office: Client) -> None:
    response = office.post(url("meeting_add"), meeting_data(world))

    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert response["Location"] == meeting.get_absolute_url()
    assert meeting.start == START and meeting.end == END
    assert meeting.state == MeetingState.DRAFT
    page = office.get(meeting.get_absolute_url()).content.decode()
    assert f'href="{ZOOM}"' in page
    assert "712 3456 7890" in page and "2020" in page
    assert f"/calendar/meeting/{meeting.pk}.ics" in page


def test_an_online_meeting_without_its_link_is_refused(world: World, office: Client) -> None:
    response = office.post(url("meeting_add"), meeting_data(world, video_url=""))

    assert response.status_code == 400
    assert form_errors(response)["video_url"] == [
        kk("An online or hybrid meeting needs its video-conference link.")
    ]
    assert not Meeting.objects.exists()


def test_a_meeting_that_ends_before_it_starts_is_refused(world: World, office: Client) -> None:
    response = office.post(url("meeting_add"), meeting_data(world, end="2020-04-21T09:00"))

    assert response.status_code == 400
    assert form_errors(response)["end"] == [kk("The meeting ends before it starts.")]
    assert not Meeting.objects.exists()


def test_edit_a_meeting_moves_its_time(world: World, office: Client) -> None:
    meeting = spring_meeting(world)

    response = office.post(
        url("meeting_edit", meeting.pk),
        meeting_data(world, start="2020-04-21T11:00", end="2020-04-21T13:00"),
    )

    meeting.refresh_from_db()
    assert response.status_code == 302
    assert meeting.start == START + datetime.timedelta(hours=1)


# ---------------------------------------------------------------------------------------------
# Invitations
# ---------------------------------------------------------------------------------------------


def test_a_group_of_the_deputy_akims_of_all_cities_and_districts_is_invited_at_once(
    world: World, office: Client
) -> None:
    meeting = spring_meeting(world)
    group_fields = {
        "name_kk": "Қалалар мен аудандар әкімдерінің орынбасарлары",
        "name_ru": "Заместители акимов городов и районов",
        "position": world.position.pk,
        "organization_kinds": [OrganizationKind.AKIMAT],
        "territory": world.region.pk,
        "territory_kinds": [TerritoryKind.CITY, TerritoryKind.DISTRICT],
    }
    # The preview names the people the group expands to on a date, before it is saved.
    preview = office.get(
        url("group_add"),
        group_fields | {"preview": "1", "on": "2020-04-21"},
        HTTP_HX_REQUEST="true",
    )
    assert preview.status_code == 200
    shown = preview.content.decode()
    assert 'id="preview"' in shown and "<html" not in shown
    for key in ("saran", "abai", "nura"):
        assert world.deputy[key].formal_name in shown
    assert world.deputy["region"].formal_name not in shown
    assert world.former_deputy.formal_name not in shown

    saved = office.post(url("group_add"), group_fields)
    group = InvitationGroup.objects.get()
    assert saved.status_code == 302
    assert group.territory_kinds == [TerritoryKind.CITY, TerritoryKind.DISTRICT]

    response = office.post(
        url("participants_invite", meeting.pk), {"groups": [group.pk], "role": "member"}
    )

    assert response.status_code == 302
    invited = {p.person_id: p for p in meeting.participants.select_related("organization")}
    assert set(invited) == {world.deputy[key].pk for key in ("saran", "abai", "nura")}
    assert invited[world.deputy["abai"].pk].organization == world.akimat["abai"]
    assert all(p.group == group for p in invited.values())


def _deputies_group(world: World) -> InvitationGroup:
    return InvitationGroup.objects.create(
        name_kk="Қалалар мен аудандар әкімдерінің орынбасарлары",
        name_ru="Заместители акимов городов и районов",
        position=world.position,
        organization_kinds=[OrganizationKind.AKIMAT],
        territory=world.region,
        territory_kinds=[TerritoryKind.CITY, TerritoryKind.DISTRICT],
    )


def test_a_coordinator_invites_with_a_group_only_the_people_of_their_district(
    world: World,
) -> None:
    group = _deputies_group(world)
    nura = world.akimat["nura"]
    meeting = spring_meeting(world, organizer=nura, territory=nura.territory)
    coordinator = logged_in(world.nura_coordinator)

    response = coordinator.post(
        url("participants_invite", meeting.pk), {"groups": [group.pk], "role": "member"}
    )

    assert response.status_code == 302
    assert set(meeting.participants.values_list("person", flat=True)) == {world.deputy["nura"].pk}
    # The group itself is the project office's: a coordinator neither edits nor previews it.
    assert coordinator.get(url("group_edit", group.pk)).status_code == 403
    assert coordinator.post(url("group_edit", group.pk), {"name_kk": "x"}).status_code == 403
    listed = coordinator.get(url("group_list")).content.decode()
    assert group.name_kk in listed and url("group_edit", group.pk) not in listed


def test_a_groups_changes_are_kept_in_its_history(world: World, office: Client) -> None:
    group = _deputies_group(world)
    fields = {
        "name_kk": "Аудан әкімдерінің орынбасарлары",
        "name_ru": "Заместители акимов районов",
        "position": world.position.pk,
        "organization_kinds": [OrganizationKind.AKIMAT],
        "territory": world.region.pk,
        "territory_kinds": [TerritoryKind.DISTRICT],
    }

    assert office.post(url("group_edit", group.pk), fields).status_code == 302

    latest = group.history.latest()
    assert latest.history_user == world.office
    assert latest.territory_kinds == [TerritoryKind.DISTRICT]
    assert group.history.count() == 2
    history = office.get(url("group_edit", group.pk)).context["history"]
    assert [entry.user for entry in history][:1] == [world.office]


def test_inviting_someone_twice_is_refused_with_their_name(world: World, office: Client) -> None:
    meeting = spring_meeting(world)
    chair = world.deputy["region"]
    office.post(url("participants_invite", meeting.pk), {"people": [chair.pk], "role": "chair"})

    response = office.post(
        url("participants_invite", meeting.pk),
        {"people": [chair.pk, world.deputy["nura"].pk], "role": "member"},
    )

    assert response.status_code == 400
    assert chair.formal_name in form_errors(response)["people"][0]
    assert chair.formal_name in response.content.decode()
    assert list(meeting.participants.values_list("person", "role")) == [(chair.pk, "chair")]


def test_scheduling_sends_the_invitations(world: World, office: Client) -> None:
    meeting = spring_meeting(world)
    refused = office.post(url("meeting_transition", meeting.pk), {"to": "scheduled"}, follow=True)
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.DRAFT
    assert kk("Invite somebody before sending the invitations.") in refused.content.decode()

    ParticipantFactory(meeting=meeting, person=world.deputy["abai"])
    response = office.post(url("meeting_transition", meeting.pk), {"to": "scheduled"})

    meeting.refresh_from_db()
    assert response.status_code == 302
    assert meeting.state == MeetingState.SCHEDULED
    assert meeting.invitations_sent_at is not None
    assert meeting.participants.get().invited_at == meeting.invitations_sent_at


def test_a_transition_not_allowed_is_shown_as_a_message(world: World, office: Client) -> None:
    meeting = spring_meeting(world)

    response = office.post(url("meeting_transition", meeting.pk), {"to": "approved"}, follow=True)

    meeting.refresh_from_db()
    assert meeting.state == MeetingState.DRAFT
    messages = [str(m) for m in response.context["messages"]]
    assert len(messages) == 1 and kk(MeetingState.APPROVED.label) in messages[0]


# ---------------------------------------------------------------------------------------------
# Attendance
# ---------------------------------------------------------------------------------------------


def test_attendance_with_a_deputy_who_came_instead(world: World, office: Client) -> None:
    meeting = spring_meeting(world, state=MeetingState.IN_PROGRESS)
    participant = ParticipantFactory(meeting=meeting, person=world.deputy["nura"])
    substitute = PersonFactory(surname_kk="Орынбасаров")
    AppointmentFactory(person=substitute, organization=world.akimat["nura"])
    target = url("attendance_all", meeting.pk)
    row = f"-{participant.pk}"

    # Replaced, but by nobody named: refused, and the message says whose row it is.
    refused = office.post(target, {f"attendance{row}": Attendance.REPLACED})
    assert refused.status_code == 302
    with translation.override("kk"):
        said = [str(message) for message in get_messages(refused.wsgi_request)]
        expected = f"{participant.person.formal_name}: {kk('Name the deputy who came instead.')}"
    assert said == [expected]
    participant.refresh_from_db()
    assert participant.attendance == Attendance.EXPECTED

    office.post(
        target,
        {
            f"attendance{row}": Attendance.REPLACED,
            f"online{row}": "on",
            f"replaced_by{row}": substitute.pk,
        },
    )

    participant.refresh_from_db()
    assert (participant.attendance, participant.online, participant.replaced_by) == (
        Attendance.REPLACED,
        True,
        substitute,
    )


# ---------------------------------------------------------------------------------------------
# The agenda and its files
# ---------------------------------------------------------------------------------------------


def test_an_agenda_item_with_a_pdf_attachment(world: World, office: Client, media: Any) -> None:
    meeting = spring_meeting(world)
    speaker = world.deputy["abai"]
    created = office.post(
        url("item_add", meeting.pk),
        {
            "title_kk": "«Туған жер» арнайы жобасының барысы",
            "title_ru": "О ходе спецпроекта «Туған жер»",
            "duration_minutes": "15",
            "speakers": [speaker.pk],
        },
    )
    item = AgendaItem.objects.get()
    assert created.status_code == 302
    assert (item.order, list(item.speakers.all())) == (1, [speaker])

    upload = SimpleUploadedFile("report.pdf", PDF, content_type="application/pdf")
    response = office.post(url("attachment_upload", meeting.pk, item.pk), {"file": upload})

    attachment = Attachment.objects.get()
    assert response.status_code == 302
    assert (attachment.name, attachment.mime_type, attachment.object_id) == (
        "report.pdf",
        "application/pdf",
        item.pk,
    )
    download = office.get(url("attachment_download", meeting.pk, attachment.pk))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content) == PDF  # type: ignore[attr-defined]
    page = office.get(meeting.get_absolute_url()).content.decode()
    assert url("attachment_download", meeting.pk, attachment.pk) in page


def test_a_text_file_named_pdf_is_refused_on_the_file_field(
    world: World, office: Client, media: Any
) -> None:
    meeting = spring_meeting(world)
    item = AgendaItemFactory(meeting=meeting)
    fake = SimpleUploadedFile("report.pdf", b"just some text", content_type="application/pdf")

    response = office.post(url("attachment_upload", meeting.pk, item.pk), {"file": fake})

    assert response.status_code == 400
    assert form_errors(response)["file"] == [
        kk("The file %(name)s is not really a .%(extension)s file: its content says otherwise.")
        % {"name": "report.pdf", "extension": "pdf"}
    ]
    assert not Attachment.objects.exists()


# ---------------------------------------------------------------------------------------------
# Minutes
# ---------------------------------------------------------------------------------------------


def test_minutes_are_saved_and_a_stale_save_is_refused_with_the_text_kept(
    world: World, office: Client
) -> None:
    meeting = spring_meeting(world, state=MeetingState.IN_PROGRESS)
    item = AgendaItemFactory(meeting=meeting, order=1)
    target = url("minutes_edit", meeting.pk, item.pk)
    opened = office.get(target)
    assert 'name="revision" value="0"' in opened.content.decode()

    first = office.post(
        target,
        {"heard_kk": "Жұмағұлов А. баяндады.", "heard_ru": "Доложил Жумагулов А.", "revision": "0"},
    )
    assert first.status_code == 302

    # A second editor opened the minutes at revision 0 too and saves later.
    stale = office.post(
        target,
        {"heard_kk": "Менің мәтінім", "heard_ru": "Мой текст", "revision": "0"},
    )

    item.refresh_from_db()
    assert stale.status_code == 409
    assert item.heard_kk == "Жұмағұлов А. баяндады."  # the first save stands
    page = stale.content.decode()
    assert "Менің мәтінім" in page and "Мой текст" in page  # the user's text is kept
    assert "Жұмағұлов А. баяндады." in page  # beside the text saved meanwhile
    assert 'name="revision" value="1"' in page  # saving again, after comparing, is accepted
    assert stale.context["form"].non_field_errors()
    again = office.post(
        target, {"heard_kk": "Менің мәтінім", "heard_ru": "Мой текст", "revision": "1"}
    )
    item.refresh_from_db()
    assert again.status_code == 302
    assert item.heard_kk == "Менің мәтінім"


# ---------------------------------------------------------------------------------------------
# Decisions become assignments
# ---------------------------------------------------------------------------------------------


def assignment_data(world: World, **values: Any) -> dict[str, Any]:
    return {
        "number": "2.1",
        "text_kk": "Іс-шаралар жоспарын ұсыну",
        "text_ru": "Представить план мероприятий",
        "lead_organization": world.akimat["abai"].pk,
        "lead_person": world.deputy["abai"].pk,
        "co_executors": [world.akimat["nura"].pk],
        "deadline_kind": "date",
        "deadline": (timezone.localdate() + datetime.timedelta(days=30)).isoformat(),
        "priority": "normal",
        "controller": world.office.pk,
    } | values


def test_a_decision_becomes_an_assignment(world: World, office: Client) -> None:
    meeting = spring_meeting(world, state=MeetingState.HELD)
    item = AgendaItemFactory(meeting=meeting, order=2)
    office.post(
        url("decision_add", meeting.pk, item.pk),
        {"text_kk": "Іс-шаралар жоспарын ұсыну", "text_ru": "Представить план мероприятий"},
    )
    decision = Decision.objects.get()
    assert decision.number == 1

    form = office.get(url("assignment_add", meeting.pk, decision.pk))
    assert form.status_code == 200
    assert form.context["form"]["controller"].value() == world.office.pk

    response = office.post(url("assignment_add", meeting.pk, decision.pk), assignment_data(world))

    assignment = Assignment.objects.get()
    assert response.status_code == 302
    assert response["Location"].endswith(f"#decision-{decision.pk}")
    assert (assignment.source_kind, assignment.meeting, assignment.decision) == (
        SourceKind.MEETING,
        meeting,
        decision,
    )
    assert assignment.territory == world.abai  # the lead organization's
    assert list(assignment.co_executors.all()) == [world.akimat["nura"]]
    assert assignment.controller == world.office


def test_an_assignment_with_a_past_deadline_needs_a_reason(world: World, office: Client) -> None:
    meeting = spring_meeting(world, state=MeetingState.HELD)
    decision = DecisionFactory(item=AgendaItemFactory(meeting=meeting))
    target = url("assignment_add", meeting.pk, decision.pk)

    refused = office.post(target, assignment_data(world, deadline="2020-05-01"))

    assert refused.status_code == 400
    assert list(form_errors(refused)) == ["deadline_reason"]
    assert not Assignment.objects.exists()
    accepted = office.post(
        target,
        assignment_data(
            world, deadline="2020-05-01", deadline_reason="Entered from the paper minutes"
        ),
    )
    assert accepted.status_code == 302
    assert Assignment.objects.get().deadline == datetime.date(2020, 5, 1)


# ---------------------------------------------------------------------------------------------
# Approval, amendments, the review loop, the series
# ---------------------------------------------------------------------------------------------


def test_approved_minutes_are_locked(world: World, office: Client) -> None:
    meeting = spring_meeting(world, state=MeetingState.HELD)
    ParticipantFactory(meeting=meeting, person=world.deputy["abai"], attendance="present")
    item = AgendaItemFactory(meeting=meeting, title_kk="Бастапқы атауы", title_ru="Исходное")
    office.post(url("meeting_transition", meeting.pk), {"to": "approved"})
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.APPROVED and meeting.approved_by == world.office

    response = office.post(
        url("item_edit", meeting.pk, item.pk),
        {
            "title_kk": "Өзгертілген",
            "title_ru": "Изменённое",
            "order": "1",
            "duration_minutes": "10",
        },
    )

    item.refresh_from_db()
    assert response.status_code == 400
    assert kk(LOCKED) in response.content.decode()
    assert item.title_kk == "Бастапқы атауы"
    # Opening the form is answered with the reason, and the page offers no editing.
    assert office.get(url("item_edit", meeting.pk, item.pk)).status_code == 302
    page = office.get(meeting.get_absolute_url()).content.decode()
    assert url("item_edit", meeting.pk, item.pk) not in page
    assert url("amendment_add", meeting.pk) in page


def test_an_amendment_is_added_to_approved_minutes(world: World, office: Client) -> None:
    meeting = spring_meeting(world, state=MeetingState.APPROVED)

    response = office.post(
        url("amendment_add", meeting.pk), {"text": "2-тармақтағы мерзім 1 маусым"}
    )

    assert response.status_code == 302
    assert list(MinutesAmendment.objects.values_list("meeting", "text", "author")) == [
        (meeting.pk, "2-тармақтағы мерзім 1 маусым", world.office.pk)
    ]
    assert "2-тармақтағы мерзім 1 маусым" in office.get(meeting.get_absolute_url()).content.decode()


def test_an_amendment_before_approval_is_refused(world: World, office: Client) -> None:
    meeting = spring_meeting(world, state=MeetingState.HELD)

    response = office.post(url("amendment_add", meeting.pk), {"text": "Түзету"})

    assert response.status_code == 400
    assert not MinutesAmendment.objects.exists()


def february_assignment(world: World) -> Assignment:
    """An assignment of the February meeting with the akim, due 1 April 2020, not yet done."""
    february = spring_meeting(
        world,
        start=datetime.datetime(2020, 2, 14, 4, 0, tzinfo=datetime.UTC),
        end=datetime.datetime(2020, 2, 14, 6, 0, tzinfo=datetime.UTC),
        state=MeetingState.APPROVED,
        format=MeetingFormat.IN_PERSON,
        venue="Облыс әкімдігі",
        video_url="",
    )
    decision = DecisionFactory(item=AgendaItemFactory(meeting=february))
    return AssignmentFactory(
        decision=decision,
        lead_organization=world.akimat["abai"],
        deadline=datetime.date(2020, 4, 1),
        controller=world.office,
        created_at=datetime.datetime(2020, 2, 15, 4, 0, tzinfo=datetime.UTC),
    )


def test_the_review_item_lists_earlier_assignments_and_records_an_extension(
    world: World, office: Client
) -> None:
    earlier = february_assignment(world)
    meeting = spring_meeting(world)

    proposed = office.post(url("review_propose", meeting.pk))

    item = meeting.items.get()
    assert proposed.status_code == 302
    assert (item.kind, item.order) == (ItemKind.REVIEW, 1)
    page = office.get(meeting.get_absolute_url()).content.decode()
    assert f'id="review-{earlier.pk}"' in page
    assert reverse("assignments:assignment_detail", args=[earlier.pk]) in page
    assert 'class="light light-overdue"' in page  # the one traffic light

    response = office.post(
        url("review_decide", meeting.pk, earlier.pk),
        {"choice": ReviewChoice.EXTEND, "new_deadline": "2020-06-01", "note": "Төтенше жағдай"},
    )

    earlier.refresh_from_db()
    assert response.status_code == 302
    assert earlier.deadline == datetime.date(2020, 6, 1)
    assert list(Review.objects.values_list("meeting", "assignment", "choice")) == [
        (meeting.pk, earlier.pk, ReviewChoice.EXTEND)
    ]


def test_an_extension_without_a_later_date_is_refused(world: World, office: Client) -> None:
    earlier = february_assignment(world)
    meeting = spring_meeting(world)
    office.post(url("review_propose", meeting.pk))

    response = office.post(
        url("review_decide", meeting.pk, earlier.pk), {"choice": ReviewChoice.EXTEND}
    )

    earlier.refresh_from_db()
    assert response.status_code == 400
    with translation.override("kk"):
        # Its own message: "must be later than the current one" named a date not given.
        assert form_errors(response)["new_deadline"] == [str(_("Give the new deadline."))]
    assert earlier.deadline == datetime.date(2020, 4, 1)
    assert not Review.objects.exists()


def test_the_next_meeting_of_a_series_carries_over_open_items(world: World, office: Client) -> None:
    from kense.meetings.models import MeetingSeries

    series = MeetingSeries.objects.create(
        title_kk="Ай сайынғы кеңес", title_ru="Ежемесячное", recurrence="monthly"
    )
    meeting = spring_meeting(world, series=series, state=MeetingState.APPROVED)
    AgendaItemFactory(meeting=meeting, title_kk="Ашық мәселе", closed=False)
    AgendaItemFactory(meeting=meeting, title_kk="Шешілген мәселе", closed=True)

    response = office.post(
        url("next_meeting", meeting.pk), {"start": "2020-05-19T10:00", "end": "2020-05-19T12:00"}
    )

    following = Meeting.objects.exclude(pk=meeting.pk).get()
    assert response.status_code == 302
    assert response["Location"] == following.get_absolute_url()
    assert following.series == series
    assert list(following.items.values_list("title_kk", flat=True)) == ["Ашық мәселе"]


# ---------------------------------------------------------------------------------------------
# Documents
# ---------------------------------------------------------------------------------------------


def test_minutes_and_extracts_download_as_documents(world: World, office: Client) -> None:
    meeting = spring_meeting(world, state=MeetingState.APPROVED)
    decision = DecisionFactory(item=AgendaItemFactory(meeting=meeting))
    AssignmentFactory(decision=decision, lead_organization=world.akimat["abai"])
    docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

    for language, fmt, content_type in (
        ("kk", "docx", docx),
        ("ru", "docx", docx),
        ("kk", "pdf", "application/pdf"),
        ("ru", "pdf", "application/pdf"),
    ):
        response = office.get(url("minutes_download", meeting.pk, language, fmt))
        assert response.status_code == 200
        assert response["Content-Type"] == content_type
        assert (
            response["Content-Disposition"]
            == f'attachment; filename="minutes-2020-04-21-{language}.{fmt}"'
        )
        assert response.content[:4] in (b"PK\x03\x04", b"%PDF")

    extract = office.get(url("extract_download", meeting.pk, world.akimat["abai"].pk, "kk"))
    assert extract.status_code == 200
    assert extract["Content-Type"] == docx
    # An organization with no assignment from this meeting has no extract.
    assert (
        office.get(url("extract_download", meeting.pk, world.akimat["nura"].pk, "kk")).status_code
        == 404
    )
    assert office.get(url("minutes_download", meeting.pk, "en", "docx")).status_code == 404


# ---------------------------------------------------------------------------------------------
# Lists
# ---------------------------------------------------------------------------------------------


def test_the_meeting_list_filters_exports_and_answers_htmx(world: World, office: Client) -> None:
    spring = spring_meeting(world)
    spring_meeting(
        world,
        title_kk="Жыл қорытындысы",
        title_ru="Итоги года",
        kind="year_end",
        start=datetime.datetime(2020, 12, 25, 4, 0, tzinfo=datetime.UTC),
        end=datetime.datetime(2020, 12, 25, 6, 0, tzinfo=datetime.UTC),
    )
    filters = {"from": "2020-04-01", "to": "2020-04-30", "state": "draft"}

    page = office.get(url("meeting_list"), filters)
    partial = office.get(url("meeting_list"), filters, HTTP_HX_REQUEST="true")
    excel = office.get(url("meeting_list"), filters | {"export": "xlsx"})

    assert [obj for obj, _cells in page.context["rows"]] == [spring]
    assert "<html" not in partial.content.decode() and spring.title_kk in partial.content.decode()
    assert excel["Content-Type"] == XLSX


def test_the_meeting_list_offers_the_filters_the_api_takes(office: Client) -> None:
    assert_page_filters_are_the_api_parameters(office, "meetings:meeting_list", "/api/v1/meetings")


# ---------------------------------------------------------------------------------------------
# Who may do what
# ---------------------------------------------------------------------------------------------


def test_a_coordinator_of_another_district_does_not_see_the_meeting(world: World) -> None:
    meeting = spring_meeting(world, organizer=world.akimat["abai"])
    nura = logged_in(world.nura_coordinator)

    assert nura.get(meeting.get_absolute_url()).status_code == 404
    assert nura.get(url("minutes_download", meeting.pk, "kk", "docx")).status_code == 404
    assert meeting.title_kk not in nura.get(url("meeting_list")).content.decode()


def test_an_observer_reads_the_meeting_and_is_refused_every_change(
    world: World, media: Any
) -> None:
    meeting = spring_meeting(world, state=MeetingState.HELD)
    item = AgendaItemFactory(meeting=meeting)
    decision = DecisionFactory(item=item)
    participant = ParticipantFactory(meeting=meeting, person=world.deputy["abai"])
    observer = logged_in(world.observer)

    page = observer.get(meeting.get_absolute_url())
    assert page.status_code == 200
    assert url("meeting_transition", meeting.pk) not in page.content.decode()
    for target, data in (
        (url("meeting_edit", meeting.pk), meeting_data(world)),
        (url("meeting_transition", meeting.pk), {"to": "approved"}),
        (url("participants_invite", meeting.pk), {"people": [world.deputy["nura"].pk]}),
        (url("attendance_all", meeting.pk), {f"attendance-{participant.pk}": "present"}),
        (url("item_add", meeting.pk), {"title_kk": "x", "title_ru": "x", "duration_minutes": "5"}),
        (url("attachment_upload", meeting.pk, item.pk), {"file": SimpleUploadedFile("a.pdf", PDF)}),
        (url("minutes_edit", meeting.pk, item.pk), {"heard_kk": "x", "revision": "0"}),
        (url("decision_add", meeting.pk, item.pk), {"text_kk": "x", "text_ru": "x"}),
        (url("assignment_add", meeting.pk, decision.pk), assignment_data(world)),
        (url("review_propose", meeting.pk), {}),
        (url("amendment_add", meeting.pk), {"text": "x"}),
        (url("group_add"), {"name_kk": "x", "name_ru": "x", "position": world.position.pk}),
    ):
        assert observer.post(target, data).status_code == 403, target
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.HELD
    assert (
        AgendaItem.objects.count(),
        Decision.objects.count(),
        Participant.objects.count(),
        Attachment.objects.count(),
        Assignment.objects.count(),
        InvitationGroup.objects.count(),
    ) == (1, 1, 1, 0, 0, 0)


# ---------------------------------------------------------------------------------------------
# Query counts
# ---------------------------------------------------------------------------------------------


def queries(client: Client, target: str) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(target).status_code == 200
    return len(context.captured_queries)


def fill_meeting(
    world: World, meeting: Meeting, *, people: int, items: int, decisions: int
) -> None:
    for _index in range(people):
        person = PersonFactory()
        AppointmentFactory(person=person, organization=world.akimat["abai"])
        ParticipantFactory(
            meeting=meeting,
            person=person,
            organization=world.akimat["abai"],
            group=None,
            replaced_by=world.deputy["nura"],
            attendance=Attendance.REPLACED,
        )
    for _index in range(items):
        item = AgendaItemFactory(meeting=meeting)
        item.speakers.add(world.deputy["abai"], world.deputy["saran"])
        Attachment.objects.create(
            target=item,
            file="attachments/report.pdf",
            name="report.pdf",
            mime_type="application/pdf",
            size=len(PDF),
            uploaded_by=world.office,
        )
        for _number in range(decisions):
            decision = DecisionFactory(item=item)
            AssignmentFactory(
                decision=decision, lead_organization=world.akimat["abai"], controller=world.office
            )


def test_the_meeting_page_runs_a_fixed_number_of_queries(
    world: World, office: Client, django_assert_num_queries: Any
) -> None:
    february_assignment(world)
    meeting = spring_meeting(world, state=MeetingState.HELD)
    fill_meeting(world, meeting, people=1, items=1, decisions=1)
    office.post(url("review_propose", meeting.pk))
    target = meeting.get_absolute_url()
    office.get(target)  # warm the process caches
    few = queries(office, target)

    fill_meeting(world, meeting, people=6, items=3, decisions=3)
    february_assignment(world)

    with django_assert_num_queries(few):
        response = office.get(target)
    assert len(response.context["participants"]) == 7
    assert few <= PAGE_QUERY_CEILING


def test_a_series_of_meetings_is_created_and_offered_in_the_meeting_form(
    world: World, office: Client
) -> None:
    response = office.post(
        url("series_add"),
        {
            "title_kk": "Апта сайынғы кеңес",
            "title_ru": "Еженедельное совещание",
            "recurrence": "weekly",
        },
    )

    assert response.status_code == 302
    series = MeetingSeries.objects.get()
    assert series.recurrence == "weekly"
    form_page = office.get(url("meeting_add"))
    assert f'value="{series.pk}"' in form_page.content.decode()


def test_an_observer_cannot_create_a_series(world: World) -> None:
    response = logged_in(world.observer).post(
        url("series_add"),
        {"title_kk": "Кеңес", "title_ru": "Совещание", "recurrence": "monthly"},
    )

    assert response.status_code == 403
    assert not MeetingSeries.objects.exists()


def test_a_stale_edit_of_a_meeting_approved_meanwhile_is_refused_under_the_lock(
    world: World,
) -> None:
    from kense.meetings.services import meeting_save

    meeting = spring_meeting(world)
    stale = Meeting.objects.get(pk=meeting.pk)  # the form was opened on the draft…
    Meeting.objects.filter(pk=meeting.pk).update(state=MeetingState.APPROVED)  # …approved since
    stale.venue = "Әкімдік, 3-қабат"

    with CaptureQueriesContext(connection) as queries, pytest.raises(ValidationError) as refused:
        meeting_save(stale, user=world.office)

    assert str(LOCKED) in refused.value.messages
    assert Meeting.objects.get(pk=meeting.pk).venue == ""
    if connection.features.has_select_for_update:
        # The state is read with the row locked, so no approval can slip in before the save.
        reads = [q["sql"] for q in queries.captured_queries if "meetings_meeting" in q["sql"]]
        assert "FOR UPDATE" in reads[0]
