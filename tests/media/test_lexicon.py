"""The registry as the matcher reads it (kense.media.lexicon): the spellings a text uses that
the registry does not hold, one matcher per process kept up to date from the history, and the
reader's scope applied before overlaps."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from factories import OrganizationFactory, PersonFactory, TerritoryFactory, UserFactory
from kense.core.permissions import Role
from kense.media import ingest, lexicon
from kense.registry.models import TerritoryKind
from kense.registry.services import person_save
from kense.text import entries


def test_a_person_by_given_name_and_patronymic() -> None:
    spellings = entries.person_spellings(
        ["Нүкенов", "Нукенов", ""], ["Абзал", "Абзал", ""], ["", "Сейткалиевич", ""], []
    )
    assert "Абзал Сейткалиұлы" in spellings  # the Kazakh form made from the Russian one
    assert "Абзал Сейткалиевич" in spellings
    assert entries.kazakh_patronymic("Аскаровна") == "Аскарқызы"
    assert entries.kazakh_patronymic("Иванов") == ""


def test_towns_without_their_type_word_are_weak_spellings() -> None:
    strong, weak = entries.territory_spellings(
        "city", ["Саран қаласы", "город Сарань", "Saran City"], []
    )
    assert {"Саран қаласы", "Саран қ.", "г. Сарань"} <= set(strong)
    assert set(weak) == {"Саран", "Сарань"}
    strong, weak = entries.territory_spellings("rural_district", ["Көшім ауылдық округі"], [])
    assert {"Көшім ауыл округі", "Көшім округі"} <= set(strong) and weak == ()
    strong, weak = entries.territory_spellings("district", ["Абай ауданы", "Абайский район"], [])
    assert weak == ()  # «Абай» alone is the poet as often as the district


def test_a_two_letter_surname_is_kept_only_capitalised() -> None:
    assert entries.spellings(["Ли", "ли", "«Мәжіліс»"]) == ("Ли", "«Мәжіліс»", "Мәжіліс")


@pytest.mark.django_db
def test_one_matcher_per_process_follows_the_registry(django_assert_max_num_queries: Any) -> None:
    region = TerritoryFactory(name_kk="Қарағанды облысы", kind=TerritoryKind.REGION)
    office = UserFactory(role=Role.PROJECT_OFFICE, territory=region)
    person: Any = PersonFactory(
        surname_kk="Бейсембекова", given_name_kk="Нұрсахан", territory=region
    )
    text = "Кеңесте Ботагөз Әлиханова сөйледі."
    first = lexicon.matcher()
    assert not ingest.read_article(text=text, user=office).suggestions

    # Renamed through the service (so the history has it): the next ingest finds the new name
    # with the same matcher, changed in place, and no longer the old one.
    person.surname_kk, person.given_name_kk = "Әлиханова", "Ботагөз"
    person_save(person, user=office)
    with django_assert_max_num_queries(12):
        article = ingest.read_article(text=text, user=office)
    assert lexicon.matcher() is first
    assert article.suggestion_keys() == {f"person:{person.pk}"}
    assert not ingest.read_article(text="Нұрсахан Бейсембекова", user=office).suggestions

    person.delete()  # simple-history records the deletion: the entry goes too
    assert not ingest.read_article(text=text, user=office).suggestions


@pytest.mark.django_db
def test_what_the_reader_may_not_see_hides_nothing_they_may() -> None:
    region = TerritoryFactory(name_kk="Қарағанды облысы", kind=TerritoryKind.REGION)
    saran = TerritoryFactory(name_kk="Саран қаласы", kind=TerritoryKind.CITY, parent=region)
    shet = TerritoryFactory(name_kk="Шет ауданы", kind=TerritoryKind.DISTRICT, parent=region)
    division: Any = OrganizationFactory(
        name_kk="Саран қаласының ішкі саясат бөлімі", territory=saran
    )
    text = "Саран қаласының ішкі саясат бөлімі хабарлады."
    office = UserFactory(role=Role.PROJECT_OFFICE, territory=region)
    assert ingest.read_article(text=text, user=office).suggestion_keys() == {
        f"organization:{division.pk}"
    }
    # A coordinator of another district is suggested nothing of the city's, and the matcher
    # (over the whole registry) leaks nothing of it.
    coordinator = UserFactory(role=Role.COORDINATOR, territory=shet)
    article = ingest.read_article(text=text, user=coordinator)
    assert (article.suggestions, article.matches, article.choices) == ([], [], [])

    # The division hidden, the city is still found for one who sees the city alone.
    def only_the_city(keys: set[tuple[str, int]]) -> set[tuple[str, int]]:
        return {key for key in keys if key == ("territory", saran.pk)}

    [match] = lexicon.matcher().find(text, visible=only_the_city)
    assert (match.kind, match.pk, match.surface) == ("territory", saran.pk, "Саран қаласының")


@pytest.mark.django_db
def test_a_close_call_is_the_readers_choice_and_is_remembered(client: Any) -> None:
    from kense.media.models import LinkChoice

    region = TerritoryFactory(name_kk="Қарағанды облысы", kind=TerritoryKind.REGION)
    shet = TerritoryFactory(name_kk="Шет ауданы", kind=TerritoryKind.DISTRICT, parent=region)
    abai = TerritoryFactory(name_kk="Абай ауданы", kind=TerritoryKind.DISTRICT, parent=region)
    first = TerritoryFactory(name_kk="Көшім ауылы", kind=TerritoryKind.SETTLEMENT, parent=shet)
    second = TerritoryFactory(name_kk="Көшім ауылы", kind=TerritoryKind.SETTLEMENT, parent=abai)
    outlet = OrganizationFactory(name_kk="Орталық Қазақстан", kind="media", territory=region)
    office = UserFactory(role=Role.PROJECT_OFFICE, territory=region)
    text = "Көшімде жаңа мектеп ашылды."

    article = ingest.read_article(text=text, user=office)
    [choice] = article.choices
    assert {option.key for option in choice.options} == {
        f"territory:{first.pk}",
        f"territory:{second.pk}",
    }
    assert article.suggestions == []  # a close call is not suggested as settled

    client.force_login(office)
    page = client.post(reverse("media:ingest"), {"text": text})
    body = page.content.decode()
    assert page.status_code == 200 and "choice" in body and "Көшім" in body
    confirmed = client.post(
        reverse("media:ingest_confirm"),
        {
            "text": text,
            "outlet": outlet.pk,
            "title": "Көшімде мектеп",
            "language": "kk",
            "kind": "article",
            "links": [f"territory:{second.pk}"],
        },
    )
    assert confirmed.status_code == 302, confirmed.content.decode()[:2000]
    [remembered] = LinkChoice.objects.all()
    assert (remembered.territory, remembered.kind, remembered.object_id) == (
        region,
        "territory",
        second.pk,
    )
    assert remembered.chosen_by == office

    # The next text of the region: the office's choice ranks first, and says why.
    [match] = ingest.read_article(text=text, user=office).matches
    assert match.pk == second.pk and "chosen" in match.candidates[0].reasons
    assert not match.close
