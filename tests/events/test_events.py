"""Event pages as people use them: creating with bad input refused or warned, holding,
postponing and cancelling, the filtered list and its Excel export, the calendar, the iCal
feeds, the scopes, and query counts that do not grow with the rows."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from factories import (
    EmergencyFactory,
    EventFactory,
    OrganizationFactory,
    ProgramFactory,
    TerritoryFactory,
    UserFactory,
)
from kense.accounts.models import User
from kense.core.permissions import Role
from kense.events import feeds
from kense.events.models import Event, EventFormat, EventStatus
from kense.programs.models import Program
from kense.registry.models import Organization, Territory, TerritoryKind

pytestmark = pytest.mark.django_db

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


@pytest.fixture(autouse=True)
def _in_english_pages() -> Any:
    """Pages under /en/, whatever language an earlier test left active."""
    with translation.override("en"):
        yield


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user, backend=MODEL_BACKEND)
    return client


@pytest.fixture
def region() -> Territory:
    return TerritoryFactory(
        name_kk="Ұлытау облысы", name_ru="Улытауская область", kind=TerritoryKind.REGION
    )


@pytest.fixture
def district_a(region: Territory) -> Territory:
    return TerritoryFactory(name_kk="Жаңаарқа ауданы", name_ru="Жанааркинский район", parent=region)


@pytest.fixture
def district_b(region: Territory) -> Territory:
    return TerritoryFactory(name_kk="Ұлытау ауданы", name_ru="Улытауский район", parent=region)


@pytest.fixture
def organization_a(district_a: Territory) -> Organization:
    return OrganizationFactory(name_kk="Жаңаарқа мәдениет үйі", territory=district_a)


@pytest.fixture
def program() -> Program:
    return ProgramFactory(code="ruhani", name_kk="Рухани жаңғыру", name_ru="Рухани жангыру")


@pytest.fixture
def office_user(region: Territory) -> User:
    return UserFactory(role=Role.PROJECT_OFFICE, territory=region)


@pytest.fixture
def office(office_user: User) -> Client:
    return logged_in(office_user)


@pytest.fixture
def event(program: Program, organization_a: Organization) -> Event:
    return EventFactory(
        title_kk="Ұлытау тарихы",
        title_ru="История Улытау",
        program=program,
        organizer=organization_a,
        start=datetime.date(2020, 4, 10),
    )


def event_data(program: Program, organizer: Organization, **overrides: Any) -> dict[str, Any]:
    data = {
        "title_kk": "Жастар форумы",
        "title_ru": "Молодёжный форум",
        "program": program.pk,
        "organizer": organizer.pk,
        "territory": organizer.territory.pk,
        "format": EventFormat.IN_PERSON,
        "venue": "Мәдениет үйі",
        "start": "2020-05-12",
        "end": "2020-05-13",
        "audience": ["youth", "students"],
        "planned_reach": "200",
        "budget": "150000.50",
    }
    data.update(overrides)
    return data


# Creating


def test_creating_an_event_saves_it_with_its_history(
    office: Client, program: Program, organization_a: Organization
) -> None:
    response = office.post(reverse("events:event_add"), event_data(program, organization_a))

    event = Event.objects.get()
    assert response.status_code == 302
    assert response["Location"] == event.get_absolute_url()
    assert event.audience == ["youth", "students"]
    assert event.history.count() == 1
    page = office.get(event.get_absolute_url())
    assert "Жастар форумы" in page.content.decode() or "Молодёжный форум" in page.content.decode()


def test_an_event_that_ends_before_it_starts_is_refused(
    office: Client, program: Program, organization_a: Organization
) -> None:
    data = event_data(program, organization_a, start="2020-05-12", end="2020-05-01")

    response = office.post(reverse("events:event_add"), data)

    assert response.status_code == 400
    assert "The event ends before it starts." in response.content.decode()
    assert not Event.objects.exists()


def test_a_negative_number_of_people_is_refused(
    office: Client, program: Program, organization_a: Organization
) -> None:
    response = office.post(
        reverse("events:event_add"), event_data(program, organization_a, planned_reach="-5")
    )

    assert response.status_code == 400
    assert not Event.objects.exists()


def test_a_cost_that_is_not_a_number_is_refused(
    office: Client, program: Program, organization_a: Organization
) -> None:
    response = office.post(
        reverse("events:event_add"), event_data(program, organization_a, budget="сто тысяч")
    )

    assert response.status_code == 400
    assert "Enter a number." in response.content.decode()
    assert not Event.objects.exists()


def test_an_absurd_number_is_warned_then_accepted_once_confirmed(
    office: Client, program: Program, organization_a: Organization, settings: Any
) -> None:
    settings.KENSE_PARTICIPANTS_WARNING = 1000
    data = event_data(program, organization_a, planned_reach="2000000")

    first = office.post(reverse("events:event_add"), data)
    assert first.status_code == 400
    assert "I confirm this number" in first.content.decode()
    assert not Event.objects.exists()

    second = office.post(reverse("events:event_add"), {**data, "confirm_numbers": "on"})
    assert second.status_code == 302
    assert Event.objects.get().planned_reach == 2000000


def test_the_confirmation_is_not_offered_for_ordinary_numbers(
    office: Client, program: Program, organization_a: Organization
) -> None:
    response = office.post(
        reverse("events:event_add"), event_data(program, organization_a, end="2020-01-01")
    )

    assert "I confirm this number" not in response.content.decode()


# Held, postponed, cancelled


def test_holding_an_event_records_its_outcome(office: Client, event: Event) -> None:
    response = office.post(
        reverse("events:event_hold", args=[event.pk]),
        {
            "start": "2020-04-10",
            "end": "2020-04-10",
            "participants": "120",
            "online_views": "3400",
            "outcome": "Дөңгелек үстел өтті. https://example.kz/news/1",
        },
    )

    event.refresh_from_db()
    assert response.status_code == 302
    assert event.status == EventStatus.HELD
    assert (event.participants, event.online_views) == (120, 3400)
    page = office.get(event.get_absolute_url()).content.decode()
    assert "Дөңгелек үстел өтті." in page
    assert "Mark as held" not in page


def test_holding_needs_an_outcome_and_no_negative_numbers(office: Client, event: Event) -> None:
    response = office.post(
        reverse("events:event_hold", args=[event.pk]),
        {"start": "2020-04-10", "end": "2020-04-10", "participants": "-3", "outcome": ""},
    )

    event.refresh_from_db()
    assert response.status_code == 400
    assert event.status == EventStatus.PLANNED


def test_an_event_cannot_be_held_in_the_future(office: Client, event: Event) -> None:
    later = datetime.date.today() + datetime.timedelta(days=30)
    response = office.post(
        reverse("events:event_hold", args=[event.pk]),
        {"start": later.isoformat(), "end": later.isoformat(), "outcome": "Өтті."},
    )

    assert response.status_code == 400
    assert "An event cannot be held in the future." in response.content.decode()


def test_postponing_to_a_new_date_keeps_its_length_and_reason(office: Client, event: Event) -> None:
    Event.objects.filter(pk=event.pk).update(end=datetime.date(2020, 4, 11))

    response = office.post(
        reverse("events:event_postpone", args=[event.pk]),
        {"reason": "Зал жөнделуде", "start": "2020-09-01"},
    )

    event.refresh_from_db()
    assert response.status_code == 302
    assert event.status == EventStatus.POSTPONED
    assert (event.start, event.end) == (datetime.date(2020, 9, 1), datetime.date(2020, 9, 2))
    assert event.reason == "Зал жөнделуде"
    assert not event.justified


def test_postponing_until_lifting_for_an_emergency_is_justified(
    office: Client, event: Event, region: Territory
) -> None:
    quarantine = EmergencyFactory(territories=[region])

    response = office.post(
        reverse("events:event_postpone", args=[event.pk]),
        {"reason": "Карантин", "after_lifting": "on", "emergency": quarantine.pk},
    )

    event.refresh_from_db()
    assert response.status_code == 302
    assert event.after_lifting
    assert event.justified
    assert event.start == datetime.date(2020, 4, 10)


def test_postponing_needs_a_reason_and_a_date_or_lifting(office: Client, event: Event) -> None:
    response = office.post(reverse("events:event_postpone", args=[event.pk]), {"reason": ""})

    event.refresh_from_db()
    assert response.status_code == 400
    assert event.status == EventStatus.PLANNED

    response = office.post(
        reverse("events:event_postpone", args=[event.pk]), {"reason": "Себебі бар"}
    )
    assert response.status_code == 400
    assert "Give a new date" in response.content.decode()


def test_postponing_into_an_emergency_is_refused(
    office: Client, event: Event, region: Territory
) -> None:
    EmergencyFactory(territories=[region], title_en="Spring quarantine")

    response = office.post(
        reverse("events:event_postpone", args=[event.pk]),
        {"reason": "Карантин", "start": "2020-05-01"},
    )

    event.refresh_from_db()
    assert response.status_code == 400
    assert "Spring quarantine" in response.content.decode()
    assert event.status == EventStatus.PLANNED


def test_cancelling_needs_a_reason(office: Client, event: Event) -> None:
    refused = office.post(reverse("events:event_cancel", args=[event.pk]), {"reason": "  "})
    event.refresh_from_db()
    assert refused.status_code == 400
    assert event.status == EventStatus.PLANNED

    done = office.post(reverse("events:event_cancel", args=[event.pk]), {"reason": "Қаржы жоқ"})
    event.refresh_from_db()
    assert done.status_code == 302
    assert event.status == EventStatus.CANCELLED
    assert event.history.first().history_change_reason == "Қаржы жоқ"  # type: ignore[union-attr]


# The list, its export and the calendar


def test_the_list_filters_by_territory_subtree_status_and_period(
    office: Client, event: Event, district_b: Territory, program: Program
) -> None:
    other = EventFactory(
        title_kk="Басқа іс-шара",
        program=program,
        organizer=OrganizationFactory(territory=district_b),
        start=datetime.date(2019, 6, 1),
        status=EventStatus.CANCELLED,
        reason="Себеп",
    )
    url = reverse("events:event_list")

    by_territory = office.get(url, {"territory": event.territory.pk}).content.decode()
    by_status = office.get(url, {"status": "cancelled"}).content.decode()
    by_period = office.get(url, {"date_from": "2020-01-01", "date_to": "2020-12-31"})

    assert str(event) in by_territory and str(other) not in by_territory
    assert str(other) in by_status and str(event) not in by_status
    assert by_period.context["page"].paginator.count == 1


def test_the_excel_export_keeps_the_filters(
    office: Client, event: Event, district_b: Territory, program: Program
) -> None:
    EventFactory(program=program, organizer=OrganizationFactory(territory=district_b))

    response = office.get(
        reverse("events:event_list"), {"territory": event.territory.pk, "export": "xlsx"}
    )

    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))  # type: ignore[union-attr]
    assert len(rows) == 2  # the header and the one event of the district
    assert rows[1][0] == str(event)


def test_the_month_shows_the_event_on_its_day(office: Client, event: Event) -> None:
    response = office.get(reverse("events:event_calendar"), {"day": "2020-04-01"})

    weeks = response.context["month"].weeks
    days = {day.date: day.events for week in weeks for day in week}
    assert days[datetime.date(2020, 4, 10)] == [event]
    assert days[datetime.date(2020, 4, 9)] == []
    assert 'data-date="2020-04-10"' in response.content.decode()


def test_the_week_and_the_agenda_show_the_event(office: Client, event: Event) -> None:
    week = office.get(reverse("events:event_calendar"), {"view": "week", "day": "2020-04-08"})
    agenda = office.get(reverse("events:event_calendar"), {"view": "agenda", "day": "2020-04-01"})

    assert str(event) in week.content.decode()
    assert [day.date for day in agenda.context["days"]] == [datetime.date(2020, 4, 10)]


# iCal feeds


def unfolded(body: bytes) -> list[str]:
    text = body.decode("utf-8").replace("\r\n ", "")
    return text.split("\r\n")


def test_the_territory_feed_is_a_calendar_with_the_event(
    office_user: User, event: Event, district_a: Territory, program: Program
) -> None:
    day = datetime.date.today() + datetime.timedelta(days=10)
    coming = EventFactory(
        title_kk="Жастар, форумы; 2026",
        program=program,
        organizer=event.organizer,
        start=day,
        end=day + datetime.timedelta(days=1),
    )
    token = feeds.feed_token(office_user, "territory", district_a.pk)

    response = Client().get(
        reverse("events:event_ics_feed", args=["territory", district_a.pk, token])
    )

    lines = unfolded(response.content)
    assert response["Content-Type"].startswith("text/calendar")
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-2] == "END:VCALENDAR"
    assert f"UID:event-{coming.pk}@kense" in lines
    assert f"DTSTART;VALUE=DATE:{day:%Y%m%d}" in lines
    assert f"DTEND;VALUE=DATE:{day + datetime.timedelta(days=2):%Y%m%d}" in lines
    assert "SUMMARY:Жастар\\, форумы\\; 2026" in lines
    # Events from more than a year ago are left out, to keep the feed small.
    assert f"UID:event-{event.pk}@kense" not in lines
    assert all(len(line.encode()) <= 75 for line in response.content.decode().split("\r\n"))


def test_a_feed_token_opens_only_its_own_feed(
    office_user: User, event: Event, district_a: Territory, region: Territory
) -> None:
    token = feeds.feed_token(office_user, "territory", district_a.pk)

    other_feed = Client().get(
        reverse("events:event_ics_feed", args=["territory", region.pk, token])
    )
    forged = Client().get(
        reverse("events:event_ics_feed", args=["territory", district_a.pk, "1:forged"])
    )

    assert other_feed.status_code == forged.status_code == 404


# Scopes


def test_a_coordinator_of_another_district_does_not_see_the_event(
    event: Event, district_b: Territory
) -> None:
    client = logged_in(UserFactory(role=Role.COORDINATOR, territory=district_b))

    assert client.get(event.get_absolute_url()).status_code == 404
    assert client.get(reverse("events:event_hold", args=[event.pk])).status_code == 404
    assert str(event) not in client.get(reverse("events:event_list")).content.decode()


def test_an_observer_sees_but_may_not_write(event: Event, region: Territory) -> None:
    client = logged_in(UserFactory(role=Role.OBSERVER, territory=region))

    assert client.get(event.get_absolute_url()).status_code == 200
    assert client.get(reverse("events:event_edit", args=[event.pk])).status_code == 403
    assert (
        client.post(reverse("events:event_cancel", args=[event.pk]), {"reason": "x"}).status_code
        == 403
    )
    assert client.get(reverse("events:event_add")).status_code == 403


def test_a_coordinators_save_keeps_a_co_organizer_from_another_district(
    event: Event, program: Program, organization_a: Organization, district_b: Territory
) -> None:
    """The form offers only the coordinator's district; the other district's co-organizer
    is not shown, not posted back, and must not be removed by an unchanged save."""
    neighbour = OrganizationFactory(territory=district_b)
    own = OrganizationFactory(territory=organization_a.territory)
    event.co_organizers.add(neighbour, own)
    coordinator = UserFactory(role=Role.COORDINATOR, territory=organization_a.territory)
    client = logged_in(coordinator)
    form = client.get(reverse("events:event_edit", args=[event.pk])).context["form"]
    assert (
        list(form.initial["co_organizers"])
        and neighbour not in form.fields["co_organizers"].queryset
    )

    response = client.post(
        reverse("events:event_edit", args=[event.pk]),
        event_data(program, organization_a, co_organizers=[own.pk], confirm_numbers="on"),
    )

    assert response.status_code == 302, response.context["form"].errors
    assert set(event.co_organizers.all()) == {neighbour, own}

    client.post(
        reverse("events:event_edit", args=[event.pk]),
        event_data(program, organization_a, co_organizers=[], confirm_numbers="on"),
    )
    assert set(event.co_organizers.all()) == {neighbour}  # what they can see, they may remove


# Query counts


def _count(client: Client, url: str, params: dict[str, str] | None = None) -> int:
    cache.clear()  # counted cold: what is kept between requests is read afresh
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(queries)


def test_the_event_page_runs_a_fixed_number_of_queries(
    office: Client, event: Event, organization_a: Organization
) -> None:
    event.co_organizers.add(OrganizationFactory(territory=organization_a.territory))
    office.get(event.get_absolute_url())  # content types are cached from the first request on
    few = _count(office, event.get_absolute_url())
    for _ in range(5):
        event.co_organizers.add(OrganizationFactory(territory=organization_a.territory))
        event.title_ru = f"{event.title_ru}!"
        event.save()
    many = _count(office, event.get_absolute_url())

    # + its photos, whether the office may publish it (kense.public)
    assert few == many == 13
