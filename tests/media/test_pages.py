"""Media pages as people use them: the list and its filters, a publication, editing, and
ingesting an article through review and confirmation."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation
from tests.bombs import docx_bomb

from core.test_filters import assert_page_filters_are_the_api_parameters
from factories import (
    DirectionFactory,
    OrganizationFactory,
    PersonFactory,
    ProgramFactory,
    PublicationFactory,
    TerritoryFactory,
    UserFactory,
)
from kense.accounts.models import User
from kense.core.permissions import Role
from kense.media.models import Publication
from kense.registry.models import Organization, OrganizationKind, Person, Territory, TerritoryKind

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
        name_kk="Қарағанды облысы", name_ru="Карагандинская область", kind=TerritoryKind.REGION
    )


@pytest.fixture
def district_a(region: Territory) -> Territory:
    return TerritoryFactory(name_kk="Жаңаарқа ауданы", name_ru="Жанааркинский район", parent=region)


@pytest.fixture
def district_b(region: Territory) -> Territory:
    return TerritoryFactory(name_kk="Ұлытау ауданы", name_ru="Улытауский район", parent=region)


@pytest.fixture
def outlet(region: Territory) -> Organization:
    return OrganizationFactory(
        name_kk="«Saryarqa Aqparat» ЖШС",
        short_name_kk="Saryarqa Aqparat",
        kind=OrganizationKind.MEDIA,
        territory=region,
    )


@pytest.fixture
def scholar(region: Territory) -> Person:
    return PersonFactory(surname_kk="Бейсембекова", given_name_kk="Нұрсахан", territory=region)


@pytest.fixture
def office_user(region: Territory) -> User:
    return UserFactory(role=Role.PROJECT_OFFICE, territory=region)


@pytest.fixture
def office(office_user: User) -> Client:
    return logged_in(office_user)


# ---------------------------------------------------------------------------------------------
# List, detail, edit
# ---------------------------------------------------------------------------------------------


def test_the_list_filters_and_exports(
    office: Client, outlet: Organization, district_a: Territory, district_b: Territory
) -> None:
    PublicationFactory(title="Жаңаарқадағы кеңес", outlet=outlet, territories=[district_a])
    PublicationFactory(
        title="Ұлытаудағы той",
        outlet=outlet,
        territories=[district_b],
        kind="tv",
        date=datetime.date(2021, 5, 1),
    )
    url = reverse("media:publication_list")

    page = office.get(url)
    assert page.status_code == 200
    assert "Жаңаарқадағы кеңес" in page.text and "Ұлытаудағы той" in page.text

    filtered = office.get(url, {"territory": district_a.pk})
    assert "Жаңаарқадағы кеңес" in filtered.text and "Ұлытаудағы той" not in filtered.text
    by_kind = office.get(url, {"kind": "tv"})
    assert "Ұлытаудағы той" in by_kind.text and "Жаңаарқадағы кеңес" not in by_kind.text
    by_period = office.get(url, {"date_from": "2021-01-01", "date_to": "2021-12-31"})
    assert "Ұлытаудағы той" in by_period.text and "Жаңаарқадағы кеңес" not in by_period.text

    export = office.get(url, {"export": "xlsx"})
    assert export.status_code == 200
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_list_offers_the_filters_the_api_takes(office: Client) -> None:
    assert_page_filters_are_the_api_parameters(
        office, "media:publication_list", "/api/v1/publications"
    )


def test_the_list_finds_a_title_by_the_folded_search(office: Client, outlet: Organization) -> None:
    toi = PublicationFactory(title="Ұлытаудағы той", outlet=outlet)
    PublicationFactory(title="Жаңаарқадағы кеңес", outlet=outlet)
    url = reverse("media:publication_list")

    def found(q: str) -> list[Any]:
        return [obj for obj, _cells in office.get(url, {"q": q}).context["rows"]]

    # Any case, the Kazakh or the Russian spelling of a word's beginning.
    assert found("ҰЛЫТАУ") == found("улытау") == found("той") == [toi]
    assert found("тау") == []  # the middle of a word is no word's beginning
    assert Publication.objects.get(pk=toi.pk).search_text.strip()


def test_a_publication_is_seen_only_in_its_territories_scope(
    outlet: Organization, district_a: Territory, district_b: Territory
) -> None:
    local = OrganizationFactory(kind=OrganizationKind.MEDIA, territory=district_b)
    publication = PublicationFactory(outlet=local, territories=[district_b])
    url = reverse("media:publication_detail", args=[publication.pk])

    assert (
        logged_in(UserFactory(role=Role.COORDINATOR, territory=district_b)).get(url).status_code
        == 200
    )
    coordinator_a = logged_in(UserFactory(role=Role.COORDINATOR, territory=district_a))
    assert coordinator_a.get(url).status_code == 404
    assert publication.title not in coordinator_a.get(reverse("media:publication_list")).text
    assert Client().get(url).status_code == 302


def test_the_page_shows_links_reach_and_history(
    office: Client, outlet: Organization, district_a: Territory, scholar: Person
) -> None:
    publication = PublicationFactory(outlet=outlet, territories=[district_a], reach=437)
    publication.people.set([scholar])

    page = office.get(reverse("media:publication_detail", args=[publication.pk]))

    assert page.status_code == 200
    assert scholar.full_name in page.text
    assert "437" in page.text
    assert 'id="history"' in page.text


def test_adding_and_editing_a_publication(
    office: Client, outlet: Organization, district_a: Territory
) -> None:
    response = office.post(
        reverse("media:publication_add"),
        {
            "outlet": outlet.pk,
            "title": "Кеңес өтті",
            "date": "2020-04-21",
            "language": "kk",
            "kind": "article",
            "reach": "437",
            "territories": [district_a.pk],
        },
    )
    publication = Publication.objects.get()
    assert response.status_code == 302, response.content
    assert list(publication.territories.all()) == [district_a]
    assert publication.created_by is not None

    edited = office.post(
        reverse("media:publication_edit", args=[publication.pk]),
        {"outlet": outlet.pk, "title": "Онлайн кеңес", "language": "kk", "kind": "tv"},
    )
    assert edited.status_code == 302
    publication.refresh_from_db()
    assert (publication.title, publication.kind) == ("Онлайн кеңес", "tv")


def test_the_form_offers_the_directions(office: Client) -> None:
    direction = DirectionFactory(name_kk="Туған жерге тағзым", name_en="Homage to the homeland")

    page = office.get(reverse("media:publication_add"))

    assert page.status_code == 200
    assert "directions" in page.context["form"].fields
    assert f'<option value="{direction.pk}">Homage to the homeland</option>' in page.text


def test_a_direction_linked_on_the_page_is_listed_on_the_publication(
    office: Client, outlet: Organization, district_a: Territory
) -> None:
    direction = DirectionFactory(name_kk="Туған жерге тағзым", name_en="Homage to the homeland")

    response = office.post(
        reverse("media:publication_add"),
        {
            "outlet": outlet.pk,
            "title": "Ауылға кітапхана",
            "language": "kk",
            "kind": "article",
            "territories": [district_a.pk],
            "directions": [direction.pk],
        },
    )

    assert response.status_code == 302, response.content
    publication = Publication.objects.get()
    assert list(publication.directions.all()) == [direction]
    page = office.get(publication.get_absolute_url())
    assert f'href="{direction.get_absolute_url()}"' in page.text


def test_observers_and_institutions_cannot_add(region: Territory) -> None:
    observer = logged_in(UserFactory(role=Role.OBSERVER, territory=region))
    assert observer.get(reverse("media:publication_add")).status_code == 403
    assert observer.get(reverse("media:ingest")).status_code == 403
    assert observer.post(reverse("media:ingest_confirm"), {"text": "x"}).status_code == 403


# ---------------------------------------------------------------------------------------------
# Ingesting
# ---------------------------------------------------------------------------------------------

PAGE = """<html><head><title>Жаңалық</title><script>alert("stolen cookie")</script></head>
<body><h1>Онлайн кеңес өтті</h1>
<p onclick="alert('handler')">2020 ж. 21 сәуір. Нұрсахан Бейсенбекова Қарағанды облысында
нұсқаулықпен таныстырды. «Saryarq aqparat» жазды.</p><p>Просмотров: 437</p>
<img src=x onerror="alert('img')"></body></html>"""


def test_a_saved_page_is_reviewed_without_its_scripts(office: Client) -> None:
    response = office.post(reverse("media:ingest"), {"html": PAGE})

    assert response.status_code == 200
    text = response.text
    assert "Онлайн кеңес өтті" in text
    assert "2020" in text and "437" in text
    for never in ("stolen cookie", "alert(", "onerror", "onclick"):
        assert never not in text


def test_markup_in_pasted_text_is_shown_escaped(office: Client) -> None:
    response = office.post(
        reverse("media:ingest"), {"text": "Тақырып\nМәтін <img src=x onerror=alert(1)>"}
    )
    assert response.status_code == 200
    assert "<img src=x" not in response.text
    assert "&lt;img src=x onerror=alert(1)&gt;" in response.text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"text": "   "}, "The article is empty"),
        ({"html": "<script>alert(1)</script>"}, "The article is empty"),
        ({"text": "а" * 1001}, "the limit is 1000"),
    ],
)
def test_empty_and_enormous_articles_are_refused(
    office: Client, settings: Any, data: dict[str, str], message: str
) -> None:
    settings.KENSE_ARTICLE_MAX_CHARS = 1000
    response = office.post(reverse("media:ingest"), data)
    assert response.status_code == 400
    assert message in response.text
    assert not Publication.objects.exists()


def test_a_file_lying_about_its_type_is_refused(office: Client) -> None:
    upload = SimpleUploadedFile("article.docx", "Жай мәтін".encode())
    response = office.post(reverse("media:ingest"), {"file": upload})
    assert response.status_code == 400
    assert "is not really a .docx file" in response.text


def test_a_text_file_is_read(office: Client) -> None:
    upload = SimpleUploadedFile("article.txt", "Кеңес өтті\n437 рет қаралды".encode())
    response = office.post(reverse("media:ingest"), {"file": upload})
    assert response.status_code == 200
    assert "Кеңес өтті" in response.text


def test_review_highlights_suggests_and_confirming_saves_links_and_alias(
    office: Client, outlet: Organization, region: Territory, scholar: Person
) -> None:
    program = ProgramFactory(name_kk="Рухани жаңғыру")
    text = (
        "Онлайн кеңес өтті\n«Рухани жаңғыру» бағдарламасы туралы Нұрсахан Бейсенбекова "
        "Қарағанды облысында айтты. «Saryarqa Aqparat» жазды.\n15:48\n437"
    )

    review = office.post(reverse("media:ingest"), {"text": text})

    assert review.status_code == 200
    page = review.text
    assert '<mark class="match-person"' in page
    assert f'value="person:{scholar.pk}" checked' in page
    assert f'value="territory:{region.pk}" checked' in page
    assert f'value="program:{program.pk}" checked' in page
    alias_key = f"person:{scholar.pk}:Нұрсахан Бейсенбекова"
    assert f'value="{alias_key}"' in page
    assert f'<option value="{outlet.pk}" selected>' in page

    confirmed = office.post(
        reverse("media:ingest_confirm"),
        {
            "text": review.context["form"]["text"].value(),
            "outlet": outlet.pk,
            "title": "Онлайн кеңес өтті",
            "language": "kk",
            "kind": "article",
            "reach": "437",
            "links": [f"person:{scholar.pk}", f"territory:{region.pk}", f"program:{program.pk}"],
            "aliases": [alias_key],
        },
    )

    assert confirmed.status_code == 302, confirmed.content
    publication = Publication.objects.get()
    assert confirmed["Location"] == publication.get_absolute_url()
    assert list(publication.people.all()) == [scholar]
    assert list(publication.territories.all()) == [region]
    assert list(publication.programs.all()) == [program]
    assert publication.reach == 437
    scholar.refresh_from_db()
    assert "Нұрсахан Бейсенбекова" in scholar.aliases
    assert scholar.history.count() == 2  # the alias is an audited change of the person


def test_links_outside_the_suggestions_or_scope_are_refused(
    outlet: Organization, district_a: Territory, district_b: Territory
) -> None:
    stranger = PersonFactory(surname_kk="Сейітқалиев", given_name_kk="Марат", territory=district_b)
    coordinator = logged_in(UserFactory(role=Role.COORDINATOR, territory=district_a))
    local = OrganizationFactory(kind=OrganizationKind.MEDIA, territory=district_a)

    response = coordinator.post(
        reverse("media:ingest_confirm"),
        {
            "text": "Марат Сейітқалиев Жаңаарқа ауданында болды.",
            "outlet": local.pk,
            "title": "Сапар",
            "language": "kk",
            "kind": "article",
            "links": [f"person:{stranger.pk}", f"territory:{district_a.pk}"],
        },
    )

    assert response.status_code == 400
    assert not Publication.objects.exists()


def test_the_ingest_form_is_offered_from_the_list(office: Client) -> None:
    listing = office.get(reverse("media:publication_list"))
    assert reverse("media:ingest") in listing.text
    form = office.get(reverse("media:ingest"))
    assert form.status_code == 200
    assert 'enctype="multipart/form-data"' in form.text


def test_a_docx_zip_bomb_is_refused_on_the_ingest_page(office: Client) -> None:
    upload = SimpleUploadedFile("article.docx", docx_bomb())

    response = office.post(reverse("media:ingest"), {"file": upload})

    assert response.status_code == 400
    assert "The file article.docx unpacks to " in response.text
    assert "«zip bomb»" in response.text
    assert not Publication.objects.exists()


def test_review_past_the_matchers_time_says_the_links_are_left_to_the_user(
    office: Client, scholar: Person, settings: Any
) -> None:
    settings.KENSE_ARTICLE_MATCH_SECONDS = 0

    review = office.post(reverse("media:ingest"), {"text": "Кеңес өтті\nНұрсахан Бейсембекова"})

    assert review.status_code == 200
    assert "finding the registry's names in this article took too long" in review.text
    assert f'value="person:{scholar.pk}"' not in review.text
    assert "No known names were found" not in review.text
