"""The one search box: every kind a user may see, inflected Kazakh and Russian forms found by
the matcher's morphology, ranked, grouped by kind, scoped, in a fixed number of queries.

The world: region R with districts A and B; an akimat and a school in A, an akimat in B. In
each district a person Нүкенов, and in A one of everything else that mentions him or the
district («Нүкеновтің есебі», «Жаңаарқа ауданының …»); in B a meeting of the same name.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from factories import (
    AgendaItemFactory,
    AssignmentFactory,
    DocumentFactory,
    EventFactory,
    IdeaFactory,
    MeetingFactory,
    OrganizationFactory,
    PersonFactory,
    ProgramFactory,
    ProjectFactory,
    PublicationFactory,
    TerritoryFactory,
    UserFactory,
)
from kense.accounts.models import ApiToken, User
from kense.core.permissions import Role
from kense.core.selectors import RANK_BEGINNING, RANK_STEM, RANK_WHOLE, search_filter
from kense.home.selectors import SearchGroup, _kinds, search
from kense.meetings.models import AgendaItem, Meeting
from kense.registry.models import (
    Organization,
    OrganizationKind,
    Person,
    Territory,
    TerritoryKind,
)
from kense.text.matcher import stems

pytestmark = pytest.mark.django_db

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


@dataclass
class World:
    region: Territory
    a: Territory
    b: Territory
    akimat_a: Organization
    school_a: Organization
    akimat_b: Organization
    person_a: Person
    person_b: Person
    meeting_a: Meeting
    meeting_b: Meeting
    school_meeting: Meeting
    item_a: AgendaItem
    office: User
    school: User
    coordinator_a: User


@pytest.fixture(autouse=True)
def in_kazakh() -> Any:
    # The selector names what it finds in the active language: an earlier test of the suite may
    # leave another one active.
    with translation.override("kk"):
        yield


@pytest.fixture
def world(db: Any) -> World:
    region = TerritoryFactory(
        name_kk="Ұлытау облысы", name_ru="Улытауская область", kind=TerritoryKind.REGION
    )
    a = TerritoryFactory(name_kk="Жаңаарқа ауданы", name_ru="Жанааркинский район", parent=region)
    b = TerritoryFactory(name_kk="Ұлытау ауданы", name_ru="Улытауский район", parent=region)
    akimat_a = OrganizationFactory(name_kk="Жаңаарқа аудандық әкімдігі", territory=a)
    school_a = OrganizationFactory(
        name_kk="№ 5 мектеп", territory=a, kind=OrganizationKind.SCHOOL, parent=akimat_a
    )
    akimat_b = OrganizationFactory(name_kk="Ұлытау аудандық әкімдігі", territory=b)
    person_a = PersonFactory(surname_kk="Нүкенов", surname_ru="Нукенов", territory=a)
    person_b = PersonFactory(surname_kk="Нүкенов", surname_ru="Нукенов", territory=b)
    meeting_a = MeetingFactory(
        title_kk="Нүкеновтің есебі", title_ru="Отчёт Нукенова", organizer=akimat_a
    )
    meeting_b = MeetingFactory(
        title_kk="Нүкеновтің есебі", title_ru="Отчёт Нукенова", organizer=akimat_b
    )
    school_meeting = MeetingFactory(title_kk="Мектеп кеңесі", organizer=school_a)
    item_a = AgendaItemFactory(
        meeting=meeting_a,
        title_kk="Нүкеновтің ауылдарды аралауы туралы",
        title_ru="О поездке Нукенова по сёлам",
    )
    return World(
        region=region,
        a=a,
        b=b,
        akimat_a=akimat_a,
        school_a=school_a,
        akimat_b=akimat_b,
        person_a=person_a,
        person_b=person_b,
        meeting_a=meeting_a,
        meeting_b=meeting_b,
        school_meeting=school_meeting,
        item_a=item_a,
        office=UserFactory(role=Role.PROJECT_OFFICE, territory=region),
        school=UserFactory(role=Role.INSTITUTION, organization=school_a),
        coordinator_a=UserFactory(role=Role.COORDINATOR, territory=a),
    )


def found(groups: list[SearchGroup]) -> dict[str, list[str]]:
    return {group.type: [result.name for result in group.results] for group in groups}


def urls(groups: list[SearchGroup]) -> set[str]:
    return {result.url for group in groups for result in group.results}


# ---------------------------------------------------------------------------------------------
# The morphology


@pytest.mark.parametrize(
    ("word", "stem"),
    [
        ("НҮКЕНОВТІҢ", "нукенов"),  # Kazakh genitive, front harmony from the root
        ("Нүкеновке", "нукенов"),
        ("Нукеновым", "нукенов"),  # Russian instrumental
        ("нукенова", "нукенов"),  # Russian genitive, or the feminine surname
        ("Нукеновой", "нукенов"),
        ("аудандарының", "аудан"),  # plural + 3rd person possessive + genitive
        ("ауылдарында", "ауыл"),
        ("жобалар", "жоба"),
        ("области", "област"),
        ("Караганде", "караганд"),
        ("Карагандинской", "карагандинск"),
    ],
)
def test_an_inflected_form_gives_the_stem_of_its_base_form(word: str, stem: str) -> None:
    assert stems(word) == [stem]


def test_a_voiced_final_consonant_gives_the_stem_as_written_alone_too() -> None:
    assert stems("мектебінің") == ["мектеб", "мектеп"]
    assert stems("жүрегі") == ["журег", "журек"]


@pytest.mark.parametrize("word", ["Нүкенов", "аудан", "кеңес", "Абзал", "нүк"])
def test_a_base_form_is_not_cut(word: str) -> None:
    # «Нүкенов» is a surname, not «нүкен» + -ов; «аудан» is not «ау» + -дан (too short) nor
    # «ауда» + -ң (a personal possessive, which the search leaves out).
    assert stems(word) == []


# ---------------------------------------------------------------------------------------------
# What is found


@pytest.mark.parametrize(
    "query",
    [
        "НҮКЕНОВТІҢ",
        "Нукеновым",
        "нукенова",
        "Нүкенов",
        "нүк",
        "Nükenov",  # Kazakh in the Latin alphabet
        "Hүкеновтің",  # a Latin H typed inside the Cyrillic word
        "Нүке\u00adновке",  # a soft hyphen copied from a web page
    ],
)
def test_the_inflected_forms_of_the_issue_find_the_person(world: World, query: str) -> None:
    people = found(search(world.coordinator_a, query))["registry.person"]
    assert people == [str(world.person_a)]


def test_a_plural_possessive_genitive_finds_the_districts(world: World) -> None:
    territories = found(search(world.office, "аудандарының"))["registry.territory"]
    assert sorted(territories) == ["Жаңаарқа ауданы", "Ұлытау ауданы"]


def test_a_territory_is_found_by_an_alias(world: World) -> None:
    world.a.aliases = ["Zhanaarka", "Janaarqa audany"]
    world.a.save()

    # The alias finds the territory; the Latin word read as Kazakh («Жаңаарқа») finds the
    # district's akimat by its Cyrillic name too.
    for user, query in ((world.office, "zhanaarka"), (world.coordinator_a, "JANAARQA aud")):
        groups = found(search(user, query))
        assert groups["registry.territory"] == ["Жаңаарқа ауданы"]
        assert groups.get("registry.organization", []) == ["Жаңаарқа аудандық әкімдігі"]


def test_every_kind_is_found(world: World) -> None:
    project = ProjectFactory(name_kk="Нүкенов атындағы саябақ", territory=world.a)
    assignment = AssignmentFactory(
        text_kk="Нүкеновке есепті дайындауды тапсырсын", lead_organization=world.akimat_a
    )
    event = EventFactory(title_kk="Нүкеновпен кездесу", organizer=world.akimat_a)
    document = DocumentFactory(title_kk="Нүкеновтің әдістемесі")
    idea = IdeaFactory(title="Нүкенов көшесін көгалдандыру", territory=world.a)
    publication = PublicationFactory(title="Нүкеновтің сапары", outlet__territory=world.a)

    groups = search(world.office, "Нукенова")

    assert found(groups) == {
        "registry.person": [str(world.person_a), str(world.person_b)],
        "programs.project": [str(project)],
        "meetings.meeting": ["Нүкеновтің есебі", "Нүкеновтің есебі"],
        "meetings.agendaitem": [world.item_a.title_kk],
        "assignments.assignment": [assignment.text_kk],
        "events.event": [event.title_kk],
        "documents.document": [document.title_kk],
        "ideas.idea": [idea.title],
        "media.publication": [publication.title],
    }
    # Each result links to its page; an agenda item to its place on its meeting's page.
    assert {
        project.get_absolute_url(),
        assignment.get_absolute_url(),
        event.get_absolute_url(),
        document.get_absolute_url(),
        idea.get_absolute_url(),
        publication.get_absolute_url(),
        f"{world.meeting_a.get_absolute_url()}#item-{world.item_a.pk}",
    } <= urls(groups)


def test_the_groups_come_in_a_fixed_order_registry_first(world: World) -> None:
    IdeaFactory(title="Нүкенов көшесі", territory=world.a)
    types = [group.type for group in search(world.office, "нүкенов")]
    assert types == [
        "registry.person",
        "meetings.meeting",
        "meetings.agendaitem",
        "ideas.idea",
    ]


def test_a_result_says_where_and_when(world: World) -> None:
    groups = {group.type: group for group in search(world.coordinator_a, "нүкенов")}
    assert groups["registry.person"].results[0].context == "Жаңаарқа ауданы"
    meeting = groups["meetings.meeting"].results[0]
    assert meeting.context == "2021 ж. 15 ақпан · Жаңаарқа ауданы"
    assert groups["meetings.agendaitem"].results[0].context.startswith("2021 ж. 15 ақпан · ")


def test_an_agenda_item_is_searchable_after_every_save(world: World) -> None:
    item = AgendaItemFactory(meeting=world.meeting_a, title_kk="Бюджет")
    assert search_filter(AgendaItem.objects.all(), "бюджеттің").get() == item
    item.title_kk = "Кітапхана"
    item.save(update_fields=["title_kk"])
    item.refresh_from_db()
    assert " китапхана " in item.search_text
    assert not search_filter(AgendaItem.objects.all(), "бюджет").exists()


def test_the_list_filters_find_inflected_forms_too(world: World) -> None:
    # One search everywhere: the same search_filter narrows every list's search box.
    assert set(search_filter(Person.objects.all(), "Нүкеновтің")) == {
        world.person_a,
        world.person_b,
    }


# ---------------------------------------------------------------------------------------------
# Ranking


def test_whole_words_come_first_then_beginnings_then_stems(world: World) -> None:
    whole = PersonFactory(surname_kk="Нүкенова", territory=world.a)
    beginning = PersonFactory(surname_kk="Нүкеноваев", territory=world.a)

    (people,) = [g for g in search(world.coordinator_a, "Нүкенова") if g.type == "registry.person"]

    assert [(r.name, r.rank) for r in people.results] == [
        (str(whole), RANK_WHOLE),
        (str(beginning), RANK_BEGINNING),
        (str(world.person_a), RANK_STEM),
    ]


def test_equal_ranks_are_in_kazakh_alphabetical_order(world: World) -> None:
    for name in ("Ірі Нүкенов", "Әлем Нүкенов", "Өмір Нүкенов", "Бақыт Нүкенов"):
        IdeaFactory(title=name, territory=world.a)
    (ideas,) = [g for g in search(world.office, "нүкенов") if g.type == "ideas.idea"]
    assert [r.name for r in ideas.results] == [
        "Әлем Нүкенов",
        "Бақыт Нүкенов",
        "Өмір Нүкенов",
        "Ірі Нүкенов",
    ]


def test_a_group_shows_twenty_and_says_there_are_more(world: World) -> None:
    for n in range(21):
        IdeaFactory(title=f"Нүкенов {n}", territory=world.a)
    (ideas,) = [g for g in search(world.office, "нүкенов") if g.type == "ideas.idea"]
    assert len(ideas.results) == 20
    assert ideas.more


# ---------------------------------------------------------------------------------------------
# Scope


def test_a_school_does_not_find_another_districts_meeting(world: World) -> None:
    groups = search(world.school, "нүкеновтің")
    assert world.meeting_b.get_absolute_url() not in urls(groups)
    assert world.meeting_a.get_absolute_url() not in urls(groups)  # the akimat's, not its own
    # Its own meeting, by the Kazakh genitive with the voiced п: «мектебінің» → «мектеп».
    assert found(search(world.school, "мектебінің"))["meetings.meeting"] == ["Мектеп кеңесі"]


def test_a_coordinator_finds_only_the_own_districts(world: World) -> None:
    groups = search(world.coordinator_a, "Нукенова")
    assert found(groups)["meetings.meeting"] == ["Нүкеновтің есебі"]
    assert world.meeting_a.get_absolute_url() in urls(groups)
    assert world.meeting_b.get_absolute_url() not in urls(groups)
    assert world.person_b.get_absolute_url() not in urls(groups)


@pytest.mark.parametrize("query", ["Нукенова", "нүкеновтің", "мектебінің", "кеңес", "аудандарының"])
def test_a_kind_searched_from_its_scope_finds_the_same(
    world: World, query: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # On SQLite a kind whose index finds INDEX_MANY rows is searched from its scope's side
    # (kense.core.selectors.scope_driven): here every kind found at all is, and each user
    # finds exactly what the ordinary way finds. (On PostgreSQL both ways are one.)
    for user in (world.office, world.school, world.coordinator_a):
        ordinary = [(group.type, group.results) for group in search(user, query)]
        monkeypatch.setattr("kense.home.selectors.INDEX_MANY", 1)
        assert [(group.type, group.results) for group in search(user, query)] == ordinary
        monkeypatch.undo()


def test_every_link_found_opens(world: World) -> None:
    client = Client()
    client.force_login(world.coordinator_a, backend=MODEL_BACKEND)
    for url in urls(search(world.coordinator_a, "нүкенов")):
        assert client.get(url.split("#")[0]).status_code == 200, url


# ---------------------------------------------------------------------------------------------
# The page and the API


def test_the_page_lists_the_groups_with_links_and_context(world: World) -> None:
    client = Client()
    client.force_login(world.coordinator_a, backend=MODEL_BACKEND)
    response = client.get("/kk/search/", {"q": "НҮКЕНОВТІҢ"})
    page = response.content.decode()
    assert response.status_code == 200
    assert f'href="{world.person_a.get_absolute_url()}"' in page
    assert f'href="{world.meeting_a.get_absolute_url()}#item-{world.item_a.pk}"' in page
    assert 'id="found-meetings-agendaitem"' in page
    assert "2021 ж. 15 ақпан" in page
    assert world.meeting_b.get_absolute_url() not in page


def test_the_api_answers_what_the_page_finds(world: World) -> None:
    token, key = ApiToken.issue(user=world.coordinator_a, name="tests")
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    client = Client(HTTP_AUTHORIZATION=f"Bearer {key}", HTTP_ACCEPT_LANGUAGE="kk")
    response = client.get("/api/v1/search", {"q": "Нукеновым"})
    assert response.status_code == 200
    answer = response.json()
    assert [group["type"] for group in answer] == [
        group.type for group in search(world.coordinator_a, "Нукеновым")
    ]
    (person,) = answer[0]["results"]
    assert person == {
        "id": world.person_a.pk,
        "name": str(world.person_a),
        "context": "Жаңаарқа ауданы",
        "url": world.person_a.get_absolute_url(),
        "rank": RANK_STEM,
    }


def _queries(user: User, query: str) -> int:
    client = Client()
    client.force_login(user, backend=MODEL_BACKEND)
    client.get("/kk/search/", {"q": query})  # sessions and caches warm
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/kk/search/", {"q": query}).status_code == 200
    return len(captured)


def _found_in_every_kind(world: World, n: int) -> None:
    PersonFactory(surname_kk=f"Нүкенов{n}", territory=world.a)
    meeting = MeetingFactory(title_kk=f"Нүкеновтің кеңесі {n}", organizer=world.akimat_a)
    AgendaItemFactory(meeting=meeting, title_kk="Нүкенов туралы")
    AssignmentFactory(text_kk="Нүкеновке", lead_organization=world.akimat_a)
    EventFactory(title_kk="Нүкеновпен", organizer=world.akimat_a)
    IdeaFactory(title="Нүкенов", territory=world.a)
    DocumentFactory(title_kk="Нүкенов")
    PublicationFactory(title="Нүкенов", outlet__territory=world.a)
    ProjectFactory(name_kk="Нүкенов", territory=world.a)
    TerritoryFactory(name_kk=f"Нүкенов ауылы {n}", parent=world.a)
    OrganizationFactory(name_kk=f"Нүкенов мектебі {n}", territory=world.a)
    ProgramFactory(name_kk=f"Нүкенов бағдарламасы {n}")


def test_the_number_of_queries_does_not_grow_with_what_is_found(world: World) -> None:
    # Found in every kind once, then five times: one query a kind either way (on SQLite the
    # kinds the words are in no row of are not asked, so the count is taken with all found).
    _found_in_every_kind(world, 0)
    before = _queries(world.office, "Нукенова")
    for n in range(1, 6):
        _found_in_every_kind(world, n)
    assert _queries(world.office, "Нукенова") == before


def test_on_sqlite_only_the_kinds_holding_the_words_are_asked(world: World) -> None:
    if connection.vendor != "sqlite":
        pytest.skip("the word indexes' question is asked on SQLite only (PostgreSQL: trigrams)")
    _found_in_every_kind(world, 0)
    search(world.office, "Нукенова")  # the user's scope, read once and kept
    for query, kinds in (("Жоқсөзбайұлы", 0), ("Нукенова", len(_kinds()))):
        with CaptureQueriesContext(connection) as captured:
            groups = search(world.office, query)
        assert len(groups) == kinds
        # The one question of the indexes, then one query for each kind holding the words.
        assert len(captured) == 1 + kinds


def test_a_meeting_a_day_later_is_still_found(world: World) -> None:
    # The date in the context is the meeting's local day, not a stored string.
    world.meeting_a.start += datetime.timedelta(days=1)
    world.meeting_a.end += datetime.timedelta(days=1)
    world.meeting_a.save()
    groups = {g.type: g for g in search(world.coordinator_a, "нүкенов")}
    assert groups["meetings.meeting"].results[0].context.startswith("2021 ж. 16 ақпан")
