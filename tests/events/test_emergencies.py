"""Emergencies: the March 2020 quarantine over the region postpones the spring events in bulk,
its lifting in summer gives deadlines to the assignments waiting for it, and the rescheduling
assistant proposes new dates that the organizers confirm."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation

from factories import (
    AssignmentFactory,
    EmergencyFactory,
    EventFactory,
    OrganizationFactory,
    ProgramFactory,
    TerritoryFactory,
    UserFactory,
)
from kense.accounts.models import User
from kense.core.permissions import Role
from kense.events.models import Emergency, Event, EventStatus
from kense.events.selectors import emergencies as emergency_selectors
from kense.events.services import emergencies as emergency_services
from kense.programs.models import Program
from kense.registry.models import Organization, Territory, TerritoryKind

pytestmark = pytest.mark.django_db

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
D = datetime.date


@pytest.fixture(autouse=True)
def _in_kazakh_pages() -> Any:
    with translation.override("kk"):
        yield


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user, backend=MODEL_BACKEND)
    return client


@pytest.fixture
def region() -> Territory:
    return TerritoryFactory(
        name_kk="Қарағанды облысы", name_ru="Карагандинская область", kind=TerritoryKind.REGION
    )


@pytest.fixture
def district_a(region: Territory) -> Territory:
    return TerritoryFactory(name_kk="Нұра ауданы", name_ru="Нуринский район", parent=region)


@pytest.fixture
def district_b(region: Territory) -> Territory:
    return TerritoryFactory(name_kk="Шет ауданы", name_ru="Шетский район", parent=region)


@pytest.fixture
def other_district() -> Territory:
    other_region = TerritoryFactory(name_kk="Павлодар облысы", kind=TerritoryKind.REGION)
    return TerritoryFactory(name_kk="Ертіс ауданы", parent=other_region)


@pytest.fixture
def organizer_a(district_a: Territory) -> Organization:
    return OrganizationFactory(name_kk="Нұра мәдениет үйі", territory=district_a)


@pytest.fixture
def organizer_b(district_b: Territory) -> Organization:
    return OrganizationFactory(name_kk="Шет мәдениет үйі", territory=district_b)


@pytest.fixture
def office(region: Territory) -> User:
    return UserFactory(role=Role.PROJECT_OFFICE, territory=region)


@pytest.fixture
def coordinator_a(district_a: Territory) -> User:
    return UserFactory(role=Role.COORDINATOR, territory=district_a)


@pytest.fixture
def program() -> Program:
    return ProgramFactory(name_kk="Рухани жаңғыру")


@pytest.fixture
def quarantine(office: User, region: Territory) -> Emergency:
    """Declared by the project office: from 16 March 2020 until lifted, in-person only."""
    return emergency_services.emergency_declare(
        Emergency(
            kind=Emergency.Kind.QUARANTINE,
            title_kk="Карантин",
            title_ru="Карантин",
            start=D(2020, 3, 16),
            act_number="1",
            act_date=D(2020, 3, 15),
            restricts=Emergency.Restricts.IN_PERSON,
        ),
        user=office,
        territories=[region],
    )


@pytest.fixture
def spring(
    program: Program,
    organizer_a: Organization,
    organizer_b: Organization,
    other_district: Territory,
) -> dict[str, Event]:
    """Spring 2020 events in the region's districts (and one in another region)."""
    other = OrganizationFactory(territory=other_district)
    return {
        "a1": EventFactory(program=program, organizer=organizer_a, start=D(2020, 4, 10)),
        "b": EventFactory(program=program, organizer=organizer_b, start=D(2020, 4, 15)),
        "a2": EventFactory(
            program=program, organizer=organizer_a, start=D(2020, 4, 20), format="hybrid"
        ),
        "online": EventFactory(
            program=program, organizer=organizer_a, start=D(2020, 4, 12), format="online"
        ),
        "media": EventFactory(
            program=program, organizer=organizer_b, start=D(2020, 4, 14), format="media_campaign"
        ),
        "winter": EventFactory(program=program, organizer=organizer_a, start=D(2020, 2, 10)),
        "elsewhere": EventFactory(program=program, organizer=other, start=D(2020, 4, 10)),
    }


def postponed(quarantine: Emergency, office: User) -> list[Event]:
    return emergency_services.postpone_in_bulk(quarantine, user=office, reason="Карантин")


# ---------------------------------------------------------------------------------------------
# Declaring and the events it affects
# ---------------------------------------------------------------------------------------------


def test_affected_events_are_in_person_spring_events_of_the_region(
    quarantine: Emergency, spring: dict[str, Event]
) -> None:
    affected = list(emergency_selectors.affected_events(quarantine))
    assert affected == [spring["a1"], spring["b"], spring["a2"]]


def test_an_emergency_of_all_events_affects_online_ones_too(
    quarantine: Emergency, spring: dict[str, Event]
) -> None:
    quarantine.restricts = Emergency.Restricts.ALL
    affected = set(emergency_selectors.affected_events(quarantine))
    assert {spring["online"], spring["media"]} <= affected
    assert spring["elsewhere"] not in affected


def test_a_coordinator_cannot_declare(coordinator_a: User, district_a: Territory) -> None:
    emergency = Emergency(kind="quarantine", title_kk="К", title_ru="К", start=D(2020, 3, 16))
    with pytest.raises(PermissionDenied):
        emergency_services.emergency_declare(
            emergency, user=coordinator_a, territories=[district_a]
        )
    assert logged_in(coordinator_a).get(reverse("events:emergency_add")).status_code == 403


def test_the_office_cannot_declare_over_another_region(
    office: User, other_district: Territory
) -> None:
    emergency = Emergency(kind="quarantine", title_kk="К", title_ru="К", start=D(2020, 3, 16))
    with pytest.raises(PermissionDenied):
        emergency_services.emergency_declare(emergency, user=office, territories=[other_district])
    assert not Emergency.objects.exists()


def test_declaring_on_the_page(office: User, region: Territory) -> None:
    response = logged_in(office).post(
        reverse("events:emergency_add"),
        {
            "kind": "quarantine",
            "title_kk": "Карантин",
            "title_ru": "Карантин",
            "territories": [region.pk],
            "start": "2020-03-16",
            "act_number": "12",
            "restricts": "in_person",
        },
    )
    emergency = Emergency.objects.get()
    assert response.status_code == 302
    assert response["Location"] == emergency.get_absolute_url()
    assert emergency.declared_by == office
    assert list(emergency.territories.all()) == [region]


def test_a_district_sees_the_regional_quarantine_another_region_does_not(
    quarantine: Emergency, coordinator_a: User, other_district: Territory
) -> None:
    stranger = UserFactory(role=Role.COORDINATOR, territory=other_district)
    assert list(emergency_selectors.emergency_list(coordinator_a)) == [quarantine]
    assert list(emergency_selectors.emergency_list(stranger)) == []
    assert logged_in(stranger).get(quarantine.get_absolute_url()).status_code == 404


# ---------------------------------------------------------------------------------------------
# Postponing in bulk
# ---------------------------------------------------------------------------------------------


def test_preview_leaves_online_events_unticked(
    quarantine: Emergency, spring: dict[str, Event]
) -> None:
    rows = {row.event: row for row in emergency_selectors.postpone_preview(quarantine)}
    assert set(rows) == {spring[key] for key in ("a1", "b", "a2", "online", "media")}
    assert rows[spring["a1"]].selected and rows[spring["a2"]].selected
    assert not rows[spring["online"]].selected and not rows[spring["online"]].restricted
    assert not rows[spring["media"]].selected


def test_preview_then_confirm_postpones_each_with_its_own_history(
    quarantine: Emergency, spring: dict[str, Event], office: User
) -> None:
    client = logged_in(office)
    url = reverse("events:emergency_postpone", args=[quarantine.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert f'value="{spring["online"].pk}" id="event-{spring["online"].pk}">' in page.text
    chosen = [spring[key].pk for key in ("a1", "b", "a2")]
    response = client.post(url, {"events": chosen, "reason": "Карантин енгізілді"})
    assert response.status_code == 302
    for key in ("a1", "b", "a2"):
        event = Event.objects.get(pk=spring[key].pk)
        assert event.status == EventStatus.POSTPONED
        assert event.reason == "Карантин енгізілді"
        assert event.emergency == quarantine
        assert event.after_lifting
        assert event.justified
        latest = event.history.first()  # type: ignore[attr-defined]
        assert event.history.count() == 2  # type: ignore[attr-defined]
        assert latest.history_user == office and latest.status == "postponed"
    for key in ("online", "media", "winter", "elsewhere"):
        assert Event.objects.get(pk=spring[key].pk).status == EventStatus.PLANNED


def test_postponing_without_a_reason_saves_nothing(
    quarantine: Emergency, spring: dict[str, Event], office: User
) -> None:
    response = logged_in(office).post(
        reverse("events:emergency_postpone", args=[quarantine.pk]),
        {"events": [spring["a1"].pk], "reason": " "},
    )
    assert response.status_code == 400
    assert not Event.objects.filter(status=EventStatus.POSTPONED).exists()


def test_an_event_of_another_region_cannot_be_slipped_in(
    quarantine: Emergency, spring: dict[str, Event], office: User
) -> None:
    with pytest.raises(ValidationError):
        emergency_services.postpone_in_bulk(
            quarantine,
            user=office,
            reason="Карантин",
            event_ids=[spring["a1"].pk, spring["elsewhere"].pk],
        )
    assert not Event.objects.filter(status=EventStatus.POSTPONED).exists()


def test_a_coordinator_cannot_postpone_in_bulk(
    quarantine: Emergency, spring: dict[str, Event], coordinator_a: User
) -> None:
    url = reverse("events:emergency_postpone", args=[quarantine.pk])
    assert logged_in(coordinator_a).get(url).status_code == 403
    with pytest.raises(PermissionDenied):
        postponed(quarantine, coordinator_a)


# ---------------------------------------------------------------------------------------------
# Lifting
# ---------------------------------------------------------------------------------------------


def test_lifting_gives_after_lifting_assignments_their_deadlines(
    quarantine: Emergency, office: User, organizer_a: Organization, other_district: Territory
) -> None:
    waiting = AssignmentFactory(
        lead_organization=organizer_a,
        deadline_kind="after_lifting",
        deadline=None,
        days_after_lifting=30,
    )
    done = AssignmentFactory(
        lead_organization=organizer_a,
        deadline_kind="after_lifting",
        deadline=None,
        days_after_lifting=10,
        status="done",
    )
    elsewhere = AssignmentFactory(
        lead_organization=OrganizationFactory(territory=other_district),
        deadline_kind="after_lifting",
        deadline=None,
        days_after_lifting=30,
    )
    response = logged_in(office).post(
        reverse("events:emergency_lift", args=[quarantine.pk]), {"lifted_on": "2020-07-01"}
    )
    assert response.status_code == 302
    quarantine.refresh_from_db()
    assert quarantine.lifted_on == D(2020, 7, 1)
    waiting.refresh_from_db()
    assert waiting.deadline == D(2020, 7, 31)
    assert waiting.history.first().history_user == office  # type: ignore[attr-defined]
    done.refresh_from_db()
    elsewhere.refresh_from_db()
    assert done.deadline is None and elsewhere.deadline is None


def test_lifting_before_the_start_is_refused(quarantine: Emergency, office: User) -> None:
    with pytest.raises(ValidationError):
        emergency_services.emergency_lift(quarantine, user=office, lifted_on=D(2020, 3, 1))
    quarantine.refresh_from_db()
    assert quarantine.lifted_on is None


# ---------------------------------------------------------------------------------------------
# The rescheduling assistant
# ---------------------------------------------------------------------------------------------


def test_proposals_keep_order_and_spacing(
    quarantine: Emergency, spring: dict[str, Event], office: User
) -> None:
    postponed(quarantine, office)
    emergency_services.emergency_lift(quarantine, user=office, lifted_on=D(2020, 7, 1))
    proposals = emergency_selectors.propose_new_dates(quarantine)
    assert [(p.event, p.start) for p in proposals] == [
        (spring["a1"], D(2020, 7, 1)),
        (spring["b"], D(2020, 7, 6)),
        (spring["a2"], D(2020, 7, 11)),
    ]
    assert not any(p.pushed for p in proposals)


def test_proposals_avoid_a_clash_and_another_emergency(
    quarantine: Emergency,
    spring: dict[str, Event],
    office: User,
    program: Program,
    organizer_a: Organization,
    district_b: Territory,
) -> None:
    postponed(quarantine, office)
    emergency_services.emergency_lift(quarantine, user=office, lifted_on=D(2020, 7, 1))
    # District A already has an event on the day of the lifting…
    EventFactory(program=program, organizer=organizer_a, start=D(2020, 7, 1))
    # …and district B is flooded from 5 to 8 July.
    EmergencyFactory(
        kind="disaster",
        start=D(2020, 7, 5),
        end=D(2020, 7, 8),
        restricts="all",
        territories=[district_b],
    )
    proposals = emergency_selectors.propose_new_dates(quarantine)
    assert [(p.event, p.start, p.pushed) for p in proposals] == [
        (spring["a1"], D(2020, 7, 2), True),
        (spring["b"], D(2020, 7, 9), True),
        (spring["a2"], D(2020, 7, 11), False),
    ]


def test_rescheduling_into_another_emergency_is_refused(
    quarantine: Emergency, spring: dict[str, Event], office: User, district_b: Territory
) -> None:
    postponed(quarantine, office)
    emergency_services.emergency_lift(quarantine, user=office, lifted_on=D(2020, 7, 1))
    flood = EmergencyFactory(
        kind="disaster",
        title_kk="Су тасқыны",
        start=D(2020, 7, 5),
        end=D(2020, 7, 8),
        territories=[district_b],
    )
    event = Event.objects.get(pk=spring["b"].pk)
    with pytest.raises(ValidationError) as refused:
        emergency_services.reschedule(event, user=office, start=D(2020, 7, 6), end=D(2020, 7, 6))
    assert flood.title_kk in str(refused.value.message_dict["start"])
    with pytest.raises(ValidationError):
        emergency_services.reschedule(event, user=office, start=D(2020, 6, 20), end=D(2020, 6, 20))
    event.refresh_from_db()
    assert event.status == EventStatus.POSTPONED


def test_the_organizer_confirms_a_proposal_on_the_page(
    quarantine: Emergency, spring: dict[str, Event], office: User, organizer_a: Organization
) -> None:
    postponed(quarantine, office)
    emergency_services.emergency_lift(quarantine, user=office, lifted_on=D(2020, 7, 1))
    organizer = UserFactory(role=Role.INSTITUTION, organization=organizer_a)
    client = logged_in(organizer)
    url = reverse("events:emergency_reschedule", args=[quarantine.pk])
    page = client.get(url)
    assert page.status_code == 200
    # The organizer sees and confirms its own events only.
    assert spring["a1"].title_kk in page.text and spring["b"].title_kk not in page.text
    response = client.post(
        url, {"event": spring["a1"].pk, "start": "2020-07-03", "end": "2020-07-03"}
    )
    assert response.status_code == 302
    event = Event.objects.get(pk=spring["a1"].pk)
    assert (event.status, event.start, event.after_lifting) == ("planned", D(2020, 7, 3), False)
    assert event.emergency == quarantine
    before = client.post(
        url, {"event": spring["a2"].pk, "start": "2020-06-01", "end": "2020-06-01"}
    )
    assert before.status_code == 400
    # Another organizer's event is out of reach.
    other = client.post(url, {"event": spring["b"].pk, "start": "2020-07-03", "end": "2020-07-03"})
    assert other.status_code == 404


# ---------------------------------------------------------------------------------------------
# Reports
# ---------------------------------------------------------------------------------------------
