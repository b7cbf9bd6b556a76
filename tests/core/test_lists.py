"""Lists count their rows up to a cap; past it they say "more than" instead of counting all."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from tests.factories import (
    AssignmentFactory,
    EventFactory,
    OrganizationFactory,
    ProgramFactory,
    UserFactory,
)

from kense.core import pagination
from kense.core.permissions import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(db: None) -> Any:
    return UserFactory(role=Role.PROJECT_OFFICE)


def test_a_list_under_the_cap_counts_exactly(client: Any, office: Any) -> None:
    organizer = OrganizationFactory()
    EventFactory.create_batch(4, organizer=organizer)
    client.force_login(office)
    page = client.get("/en/events/").content.decode()
    assert "4 items" in page and "More than" not in page


def test_a_list_over_the_cap_says_more_than_and_counts_no_further(
    client: Any, office: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pagination, "COUNT_CAP", 60)
    organizer = OrganizationFactory()
    EventFactory.create_batch(65, organizer=organizer, program=ProgramFactory())
    client.force_login(office)
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/en/events/?page=2").content.decode()
    assert "More than 60 items: narrow the filters to see them all." in page
    # The count is one COUNT over a LIMIT of cap + 1 rows.
    counts = [q["sql"] for q in queries if "COUNT(" in q["sql"].upper()]
    assert len(counts) == 1 and "LIMIT 61" in counts[0].upper()
    # Pages go on up to the cap, numbered without a total.
    assert "Page 2" in page and "Page 2 of" not in page


def test_the_inbox_over_the_cap_says_more_than(
    client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pagination, "COUNT_CAP", 2)
    organization = OrganizationFactory()
    AssignmentFactory.create_batch(3, lead_organization=organization, status="under_control")
    user = UserFactory(role=Role.DEPARTMENT, organization=organization)
    client.force_login(user)
    page = client.get("/en/assignments/inbox/").content.decode()
    assert "More than 2 assignments: narrow the filters to see them all." in page


def test_the_inbox_counts_the_territorys_overdue_up_to_the_cap(
    client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import datetime

    from tests.factories import TerritoryFactory

    region = TerritoryFactory()
    late = datetime.date(2020, 1, 10)
    AssignmentFactory.create_batch(3, territory=region, status="under_control", deadline=late)
    office = UserFactory(role=Role.PROJECT_OFFICE, territory=region)
    client.force_login(office)
    page = client.get("/en/assignments/inbox/").content.decode()
    assert "Overdue in your territory: 3 assignments" in page
    monkeypatch.setattr(pagination, "COUNT_CAP", 2)
    page = client.get("/en/assignments/inbox/").content.decode()
    assert "Overdue in your territory: more than 2 assignments" in page


def test_filters_offer_organizations_by_search_not_as_a_full_list(
    client: Any, office: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kense.core.forms import SearchSelect

    monkeypatch.setattr(SearchSelect, "SHOWN_AT_MOST", 1)
    chosen, other = OrganizationFactory(name_kk="Таңдалған ұйым"), OrganizationFactory()
    EventFactory(organizer=chosen, title_kk="Біздің іс-шара")
    EventFactory(organizer=other, title_kk="Басқа іс-шара")
    client.force_login(office)
    page = client.get("/en/events/").content.decode()
    assert 'name="choice_search"' in page and "/en/choices/organizations/" in page
    organizer_select = page.split('id="id_organizer">', 1)[1].split("</select>", 1)[0]
    assert organizer_select == '<option value="" selected>—</option>', organizer_select
    filtered = client.get(f"/kk/events/?organizer={chosen.pk}").content.decode()
    assert f'<option value="{chosen.pk}" selected>Таңдалған ұйым</option>' in filtered
    assert "Біздің іс-шара" in filtered and "Басқа іс-шара" not in filtered


def test_choices_answers_the_users_matches_within_scope(client: Any) -> None:
    from tests.factories import TerritoryFactory

    home, away = TerritoryFactory(), TerritoryFactory()
    inside = OrganizationFactory(name_kk="Нұра мектебі", territory=home)
    OrganizationFactory(name_kk="Нұра колледжі", territory=away)
    coordinator = UserFactory(role=Role.COORDINATOR, territory=home)
    client.force_login(coordinator)
    answer = client.get("/kk/choices/organizations/", {"choice_search": "нура"}).content.decode()
    assert f'<option value="{inside.pk}">Нұра мектебі</option>' in answer
    assert "колледжі" not in answer
    assert client.get("/kk/choices/nothing/").status_code == 404
    client.logout()
    assert client.get("/kk/choices/organizations/").status_code == 302


def test_the_controller_filter_is_searched_among_the_controllers_the_user_sees(
    client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.factories import PersonFactory, TerritoryFactory

    from kense.core.forms import SearchSelect

    monkeypatch.setattr(SearchSelect, "SHOWN_AT_MOST", 1)
    home, away = TerritoryFactory(), TerritoryFactory()

    def controller(surname: str) -> Any:
        return UserFactory(
            role=Role.PROJECT_OFFICE, person=PersonFactory(surname_kk=surname, given_name_kk="Ә")
        )

    ours, also_ours, theirs = controller("Нұров"), controller("Нұрова"), controller("Нұрлы")
    AssignmentFactory(territory=home, controller=ours)
    AssignmentFactory(territory=home, controller=also_ours)
    AssignmentFactory(territory=away, controller=theirs)
    coordinator = UserFactory(role=Role.COORDINATOR, territory=home)
    client.force_login(coordinator)
    page = client.get("/en/assignments/").content.decode()
    assert "/en/choices/controllers/" in page
    answer = client.get("/kk/choices/controllers/", {"choice_search": "нұров"}).content.decode()
    assert f'value="{ours.pk}"' in answer and f'value="{also_ours.pk}"' in answer
    assert f'value="{theirs.pk}"' not in answer
    everyone = client.get("/kk/choices/controllers/").content.decode()
    assert f'value="{theirs.pk}"' not in everyone and f'value="{ours.pk}"' in everyone


def test_long_lists_read_a_page_by_its_keys_first_in_the_same_order(
    client: Any, office: Any
) -> None:
    import datetime

    program, organizer = ProgramFactory(), OrganizationFactory()
    for day in range(1, 8):
        EventFactory(
            organizer=organizer,
            program=program,
            title_kk=f"Іс-шара {day:02d}",
            start=datetime.date(2020, 5, day),
        )
    client.force_login(office)

    def keyed_queries(url: str) -> tuple[Any, list[str]]:
        with CaptureQueriesContext(connection) as queries:
            answer = client.get(url).json()
        by_keys = [
            q["sql"] for q in queries.captured_queries if '"events_event"."id" IN' in q["sql"]
        ]
        return answer, by_keys

    # All seven fit on a page: one query reads them.
    whole, by_keys = keyed_queries("/api/v1/events?page_size=10")
    assert whole["count"] == 7 and by_keys == []
    # Three of seven: their keys first, then their rows by those keys, in the same order.
    part, by_keys = keyed_queries("/api/v1/events?page_size=3&page=2")
    assert len(by_keys) == 1
    assert part["items"] == whole["items"][3:6]
    assert [item["title_kk"] for item in part["items"]] == [
        "Іс-шара 04",
        "Іс-шара 03",
        "Іс-шара 02",
    ]
    assert part["count"] == 7
    page = client.get("/kk/events/").content.decode()
    titles = [f"Іс-шара {day:02d}" for day in range(7, 0, -1)]
    assert [page.index(title) for title in titles] == sorted(page.index(t) for t in titles)


def test_filters_with_few_choices_are_plain_selects(client: Any, office: Any) -> None:
    first, second = OrganizationFactory(name_kk="Бірінші"), OrganizationFactory(name_kk="Екінші")
    client.force_login(office)
    page = client.get(f"/kk/events/?organizer={second.pk}").content.decode()
    organizer_select = page.split('id="id_organizer">', 1)[1].split("</select>", 1)[0]
    assert f'<option value="{first.pk}">Бірінші</option>' in organizer_select
    assert f'<option value="{second.pk}" selected>Екінші</option>' in organizer_select
    assert "choices/organizations" not in page
