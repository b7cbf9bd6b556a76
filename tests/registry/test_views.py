"""Registry pages as people use them: territories and their history, organizations, people,
appointments, staffing; the search box, Kazakh order, Excel export, HTMX partials, languages,
and the account pages around them."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django import forms
from django.test import Client
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from factories import (
    AppointmentFactory,
    OrganizationFactory,
    PersonFactory,
    PositionFactory,
    StaffPostFactory,
    TerritoryFactory,
    UserFactory,
)
from kense.accounts.models import User
from kense.core.exports import XLSX
from kense.core.permissions import Role
from kense.registry.models import (
    Appointment,
    Organization,
    OrganizationKind,
    OrganizationParentPeriod,
    Person,
    Territory,
    TerritoryKind,
    TerritoryParentPeriod,
)
from kense.text.kazakh import format_date

pytestmark = pytest.mark.django_db

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
PERIOD_ENDS_BEFORE_START = "The period ends before it starts."
INVALID_CHOICE = forms.ModelChoiceField.default_error_messages["invalid_choice"]


def kk(message: Any) -> str:
    """A message as the Kazakh page shows it (the pages are under /kk/)."""
    with translation.override("kk"):
        return str(translation.gettext(message) if isinstance(message, str) else message)


def errors(response: Any) -> dict[str, list[str]]:
    """The form's errors, by field, in Kazakh."""
    with translation.override("kk"):
        return {
            field: [str(message) for message in messages]
            for field, messages in response.context["form"].errors.items()
        }


@pytest.fixture(autouse=True)
def _in_kazakh_pages() -> Any:
    """Pages under /kk/, whatever language an earlier test left active."""
    with translation.override("kk"):
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
def district(region: Territory) -> Territory:
    return TerritoryFactory(name_kk="Жаңаарқа ауданы", name_ru="Жанааркинский район", parent=region)


@pytest.fixture
def administrator() -> User:
    return UserFactory(role=Role.ADMINISTRATOR)


@pytest.fixture
def admin(administrator: User) -> Client:
    return logged_in(administrator)


# ---------------------------------------------------------------------------------------------
# Territories
# ---------------------------------------------------------------------------------------------


def territory_data(**values: Any) -> dict[str, Any]:
    return {"name_kk": "Атасу", "name_ru": "Атасу", "kind": TerritoryKind.RURAL_DISTRICT} | values


def test_create_a_territory(admin: Client, district: Territory) -> None:
    response = admin.post(
        reverse("registry:territory_add"),
        territory_data(parent=district.pk, kato="354430100", valid_from="1997-05-01"),
    )

    territory = Territory.objects.get(kato="354430100")
    assert response.status_code == 302
    assert response["Location"] == territory.get_absolute_url()
    assert territory.parent == district
    assert territory.path == f"{district.path}{territory.pk}/"
    assert list(territory.parentage.values_list("parent", "start", "end")) == [
        (district.pk, datetime.date(1997, 5, 1), None)
    ]
    page = admin.get(territory.get_absolute_url())
    assert page.status_code == 200
    assert "Атасу" in page.content.decode()


def test_create_and_edit_a_territory_with_aliases(admin: Client, district: Territory) -> None:
    response = admin.post(
        reverse("registry:territory_add"),
        territory_data(parent=district.pk, aliases="Atasu\n  \nАтасуский сельский округ  \n"),
    )

    territory = Territory.objects.get(name_kk="Атасу")
    assert response.status_code == 302
    assert territory.aliases == ["Atasu", "Атасуский сельский округ"]
    assert " atasu " in territory.search_text
    page = admin.get(territory.get_absolute_url())
    assert f"<dt>{kk('Aliases')}</dt><dd>Atasu, Атасуский сельский округ</dd>" in page.text

    response = admin.post(
        reverse("registry:territory_edit", args=[territory.pk]),
        territory_data(parent=district.pk, aliases="Atasu\nAtasy"),
    )

    assert response.status_code == 302
    territory.refresh_from_db()
    assert territory.aliases == ["Atasu", "Atasy"]
    assert territory.history.first().aliases == ["Atasu", "Atasy"]
    edit_page = admin.get(reverse("registry:territory_edit", args=[territory.pk]))
    assert "Atasu\nAtasy</textarea>" in edit_page.content.decode()
    assert search(admin, "Atasy") == {kk("Territories"): ["Атасу"]}


def test_a_territory_without_aliases_shows_none(admin: Client, district: Territory) -> None:
    page = admin.get(district.get_absolute_url())

    assert page.status_code == 200
    assert f"<dt>{kk('Aliases')}</dt>" not in page.content.decode()


def test_moving_a_territory_under_its_own_child_is_refused(
    admin: Client, region: Territory, district: Territory
) -> None:
    child = TerritoryFactory(name_kk="Атасу", parent=district)

    response = admin.post(
        reverse("registry:territory_edit", args=[district.pk]),
        territory_data(name_kk=district.name_kk, name_ru=district.name_ru, parent=child.pk),
    )

    # The form never offers the territory's own subtree, so the cycle is an invalid choice.
    assert response.status_code == 400
    assert list(errors(response)) == ["parent"]
    assert kk(INVALID_CHOICE) in errors(response)["parent"][0]
    district.refresh_from_db()
    assert district.parent == region
    assert district.path == f"{region.path}{district.pk}/"
    assert not TerritoryParentPeriod.objects.exists()


def test_a_period_that_ends_before_it_starts_is_refused(admin: Client, district: Territory) -> None:
    response = admin.post(
        reverse("registry:territory_add"),
        territory_data(parent=district.pk, valid_from="2020-01-01", valid_to="2019-12-31"),
    )

    assert response.status_code == 400
    assert errors(response) == {"valid_to": [kk(PERIOD_ENDS_BEFORE_START)]}
    assert kk(PERIOD_ENDS_BEFORE_START) in response.content.decode()
    assert not Territory.objects.filter(name_kk="Атасу").exists()


def test_a_duplicate_kato_code_is_refused(admin: Client, district: Territory) -> None:
    TerritoryFactory(name_kk="Ақтүбек", parent=district, kato="354430100")

    response = admin.post(
        reverse("registry:territory_add"), territory_data(parent=district.pk, kato="354430100")
    )

    assert response.status_code == 400
    assert list(errors(response)) == ["kato"]
    assert not Territory.objects.filter(name_kk="Атасу").exists()


def test_a_territory_moved_to_the_top_of_the_tree_closes_its_membership(admin: Client) -> None:
    karaganda = TerritoryFactory(name_kk="Қарағанды облысы", kind=TerritoryKind.REGION)
    fields = {"name_kk": "Жезқазған", "name_ru": "Жезказган", "kind": TerritoryKind.CITY}
    admin.post(
        reverse("registry:territory_add"),
        fields | {"parent": karaganda.pk, "valid_from": "1997-01-01"},
    )
    zhezkazgan = Territory.objects.get(name_kk="Жезқазған")

    response = admin.post(
        reverse("registry:territory_edit", args=[zhezkazgan.pk]),
        fields | {"parent": "", "valid_from": "1997-01-01", "moved_on": "2022-06-08"},
    )

    assert response.status_code == 302
    zhezkazgan.refresh_from_db()
    assert zhezkazgan.parent is None
    assert list(zhezkazgan.parentage.values_list("parent", "start", "end")) == [
        (karaganda.pk, datetime.date(1997, 1, 1), datetime.date(2022, 6, 8)),
    ]


def test_a_move_with_a_date_keeps_the_membership_history(admin: Client) -> None:
    karaganda = TerritoryFactory(name_kk="Қарағанды облысы", kind=TerritoryKind.REGION)
    ulytau = TerritoryFactory(name_kk="Ұлытау облысы", kind=TerritoryKind.REGION)
    fields = {"name_kk": "Жезқазған", "name_ru": "Жезказган", "kind": TerritoryKind.CITY}
    admin.post(
        reverse("registry:territory_add"),
        fields | {"parent": karaganda.pk, "valid_from": "1997-01-01"},
    )
    zhezkazgan = Territory.objects.get(name_kk="Жезқазған")

    response = admin.post(
        reverse("registry:territory_edit", args=[zhezkazgan.pk]),
        fields
        | {
            "parent": ulytau.pk,
            "valid_from": "1997-01-01",
            "moved_on": "2022-06-08",
            "act": "Жарлық №887",
        },
    )

    assert response.status_code == 302
    assert list(zhezkazgan.parentage.order_by("start").values_list("parent", "start", "end")) == [
        (karaganda.pk, datetime.date(1997, 1, 1), datetime.date(2022, 6, 8)),
        (ulytau.pk, datetime.date(2022, 6, 8), None),
    ]

    def tree_on(day: str) -> dict[str, list[str]]:
        page = admin.get(reverse("registry:territory_tree"), {"on": day})
        assert page.status_code == 200
        return {
            root.name_kk: [child.name_kk for child in children]
            for root, children in page.context["nodes"]
        }

    assert tree_on("2020-01-01") == {"Қарағанды облысы": ["Жезқазған"], "Ұлытау облысы": []}
    assert tree_on("2022-06-08") == {"Қарағанды облысы": [], "Ұлытау облысы": ["Жезқазған"]}
    assert tree_on("2023-01-01") == {"Қарағанды облысы": [], "Ұлытау облысы": ["Жезқазған"]}
    detail = admin.get(zhezkazgan.get_absolute_url()).content.decode()
    assert format_date(datetime.date(2022, 6, 8), "kk") in detail
    assert "Жарлық №887" in detail


# ---------------------------------------------------------------------------------------------
# Organizations
# ---------------------------------------------------------------------------------------------


def organization_data(territory: Territory, **values: Any) -> dict[str, Any]:
    return {
        "name_kk": "Сарыарқа ақпарат",
        "name_ru": "Сарыарка акпарат",
        "kind": OrganizationKind.MEDIA,
        "territory": territory.pk,
    } | values


def test_create_and_edit_an_organization_with_aliases(admin: Client, district: Territory) -> None:
    response = admin.post(
        reverse("registry:organization_add"),
        organization_data(
            district, bin="123456789012", aliases="Saryarqa aqparat\n  \nСарыарка-инфо  \n"
        ),
    )

    organization = Organization.objects.get(bin="123456789012")
    assert response.status_code == 302
    assert response["Location"] == organization.get_absolute_url()
    assert organization.aliases == ["Saryarqa aqparat", "Сарыарка-инфо"]

    response = admin.post(
        reverse("registry:organization_edit", args=[organization.pk]),
        organization_data(
            district,
            name_kk="Сарыарқа ақпарат холдингі",
            bin="123456789012",
            aliases="Saryarqa aqparat\nSaryarqa holding",
        ),
    )

    assert response.status_code == 302
    organization.refresh_from_db()
    assert organization.name_kk == "Сарыарқа ақпарат холдингі"
    assert organization.aliases == ["Saryarqa aqparat", "Saryarqa holding"]
    edit_page = admin.get(reverse("registry:organization_edit", args=[organization.pk]))
    assert "Saryarqa aqparat\nSaryarqa holding</textarea>" in edit_page.content.decode()


def test_a_duplicate_bin_is_refused(admin: Client, district: Territory) -> None:
    OrganizationFactory(territory=district, bin="123456789012")

    response = admin.post(
        reverse("registry:organization_add"), organization_data(district, bin="123456789012")
    )

    assert response.status_code == 400
    assert list(errors(response)) == ["bin"]
    assert not Organization.objects.filter(name_kk="Сарыарқа ақпарат").exists()


def test_a_name_with_control_characters_is_refused_on_its_field(
    admin: Client, district: Territory
) -> None:
    response = admin.post(
        reverse("registry:organization_add"),
        organization_data(district, name_ru="Сарыарка\x0bакпарат", address="\x07"),
    )

    assert response.status_code == 400
    assert errors(response) == {
        "name_ru": ["Мәтіннен көрінбейтін басқару таңбаларын алып тастаңыз."],
        "address": ["Мәтіннен көрінбейтін басқару таңбаларын алып тастаңыз."],
    }
    assert not Organization.objects.filter(name_kk="Сарыарқа ақпарат").exists()


def test_moving_the_project_office_under_a_media_holding_shows_the_periods(
    admin: Client, region: Territory
) -> None:
    office = OrganizationFactory(
        name_kk="Жобалық кеңсе",
        name_ru="Проектный офис",
        kind=OrganizationKind.PROJECT_OFFICE,
        territory=region,
    )
    holding = OrganizationFactory(
        name_kk="Сарыарқа медиа холдингі", kind=OrganizationKind.MEDIA, territory=region
    )
    fields = {
        "name_kk": "Жобалық кеңсе",
        "name_ru": "Проектный офис",
        "kind": OrganizationKind.PROJECT_OFFICE,
        "territory": region.pk,
    }
    edit_url = reverse("registry:organization_edit", args=[office.pk])

    moved = admin.post(
        edit_url, fields | {"parent": holding.pk, "moved_on": "2024-03-01", "act": "Бұйрық №12"}
    )
    back = admin.post(edit_url, fields | {"parent": "", "moved_on": "2025-01-15"})

    assert (moved.status_code, back.status_code) == (302, 302)
    assert list(
        OrganizationParentPeriod.objects.filter(organization=office)
        .order_by("start")
        .values_list("parent", "start", "end", "act")
    ) == [
        (holding.pk, datetime.date(2024, 3, 1), datetime.date(2025, 1, 15), "Бұйрық №12"),
        (None, datetime.date(2025, 1, 15), None, ""),
    ]
    page = admin.get(office.get_absolute_url())
    periods = [(p.parent, p.start, p.end) for p in page.context["parentage"]]
    assert periods == [
        (holding, datetime.date(2024, 3, 1), datetime.date(2025, 1, 15)),
        (None, datetime.date(2025, 1, 15), None),
    ]
    content = page.content.decode()
    for text in ("Сарыарқа медиа холдингі", "Бұйрық №12", format_date(datetime.date(2024, 3, 1))):
        assert text in content


# ---------------------------------------------------------------------------------------------
# People, appointments, staffing
# ---------------------------------------------------------------------------------------------


def test_create_a_person_with_aliases(admin: Client, district: Territory) -> None:
    response = admin.post(
        reverse("registry:person_add"),
        {
            "surname_kk": "Нүкенов",
            "given_name_kk": "Серік",
            "surname_ru": "Нукенов",
            "given_name_ru": "Серик",
            "aliases": "Nukenov Serik\nНукенов С.",
            "territory": district.pk,
        },
    )

    person = Person.objects.get(surname_kk="Нүкенов")
    assert response.status_code == 302
    assert response["Location"] == person.get_absolute_url()
    assert person.aliases == ["Nukenov Serik", "Нукенов С."]
    assert person.territory == district
    found = admin.get(reverse("home:search"), {"q": "Nukenov"})
    assert person.pk in [result.id for result in found.context["groups"][0].results]


def test_an_appointment_that_ends_before_it_starts_is_refused(
    admin: Client, district: Territory
) -> None:
    person = PersonFactory()
    organization = OrganizationFactory(territory=district)
    position = PositionFactory()

    response = admin.post(
        reverse("registry:appointment_add"),
        {
            "person": person.pk,
            "organization": organization.pk,
            "position": position.pk,
            "employment": "staff",
            "act_kind": "appointed",
            "start": "2024-05-01",
            "end": "2024-01-31",
        },
    )

    assert response.status_code == 400
    assert errors(response) == {"end": [kk(PERIOD_ENDS_BEFORE_START)]}
    assert not Appointment.objects.exists()


def test_the_staffing_page_shows_filled_and_vacant_posts(admin: Client, region: Territory) -> None:
    office = OrganizationFactory(kind=OrganizationKind.PROJECT_OFFICE, territory=region)
    head, analyst, lawyer = (
        StaffPostFactory(organization=office, order=order, title_kk=title, title_ru=title)
        for order, title in ((1, "Жетекші"), (2, "Талдаушы"), (3, "Заңгер"))
    )
    AppointmentFactory(
        person=PersonFactory(surname_kk="Ахметов", given_name_kk="Нұрлан"),
        organization=office,
        position=head.position,
        post=head,
    )
    # Who left the post no longer fills it.
    AppointmentFactory(
        person=PersonFactory(surname_kk="Бекова"),
        organization=office,
        position=analyst.position,
        post=analyst,
        end=datetime.date(2024, 6, 30),
    )

    response = admin.get(reverse("registry:staffing"))

    assert response.status_code == 200
    assert response.context["organization"] == office
    assert (response.context["filled"], response.context["vacant"]) == (1, 2)
    assert [[a.person.surname_kk for a in post.holders] for post in response.context["posts"]] == [
        ["Ахметов"],
        [],
        [],
    ]
    content = response.content.decode()
    assert "Ахметов Нұрлан" in content
    assert "Бекова" not in content
    assert content.count('class="badge vacant"') == 2
    assert lawyer.title_kk in content


# ---------------------------------------------------------------------------------------------
# Search
# ---------------------------------------------------------------------------------------------


def search(client: Client, query: str) -> dict[str, list[str]]:
    response = client.get(reverse("home:search"), {"q": query})
    assert response.status_code == 200
    with translation.override("kk"):
        return {
            str(group.label): [result.name for result in group.results]
            for group in response.context["groups"]
        }


@pytest.mark.parametrize("query", ["Нүкенов", "НҮКЕНОВ", "нук", "Нукенов", "нүкенов серік"])
def test_search_finds_a_person_whatever_the_case_and_spelling(admin: Client, query: str) -> None:
    PersonFactory(surname_kk="Нүкенов", given_name_kk="Серік", surname_ru="Нүкенов")
    PersonFactory(surname_kk="Нұрланов", given_name_kk="Серік")

    assert search(admin, query) == {kk("People"): ["Серік Нүкенов"]}


def test_search_finds_an_organization_by_an_alias(admin: Client, district: Territory) -> None:
    OrganizationFactory(
        name_kk="Сарыарқа ақпарат", territory=district, aliases=["Saryarqa aqparat"]
    )

    assert search(admin, "Saryarq aqparat") == {kk("Organizations"): ["Сарыарқа ақпарат"]}


def test_search_results_are_grouped_by_kind(admin: Client, region: Territory) -> None:
    sarya = TerritoryFactory(name_kk="Сарыарқа ауданы", parent=region)
    OrganizationFactory(name_kk="Сарыарқа ақпарат", territory=sarya)
    PersonFactory(surname_kk="Сарыарқаев", given_name_kk="Ерлан")

    assert search(admin, "сарыарқа") == {
        kk("Territories"): ["Сарыарқа ауданы"],
        kk("Organizations"): ["Сарыарқа ақпарат"],
        kk("People"): ["Ерлан Сарыарқаев"],
    }


def test_a_coordinators_search_does_not_reveal_another_district(region: Territory) -> None:
    district_a = TerritoryFactory(name_kk="Жаңаарқа ауданы", parent=region)
    district_b = TerritoryFactory(name_kk="Ұлытау ауданы", parent=region)
    OrganizationFactory(name_kk="Жаңаарқа мәдениет үйі", territory=district_a)
    OrganizationFactory(name_kk="Ұлытау мәдениет үйі", territory=district_b)
    coordinator = logged_in(UserFactory(role=Role.COORDINATOR, territory=district_a))

    results = search(coordinator, "мәдениет")

    assert results == {kk("Organizations"): ["Жаңаарқа мәдениет үйі"]}
    assert (
        "Ұлытау мәдениет үйі"
        not in coordinator.get(reverse("home:search"), {"q": "ұлытау"}).content.decode()
    )


# ---------------------------------------------------------------------------------------------
# Lists: Kazakh order, Excel export, HTMX partials
# ---------------------------------------------------------------------------------------------


def test_organizations_are_listed_in_kazakh_alphabetical_order(
    admin: Client, district: Territory
) -> None:
    for name in ("Бұқар мектебі", "Әбділда мектебі", "Абай мектебі", "Ясауи мектебі"):
        OrganizationFactory(name_kk=name, territory=district)

    response = admin.get(reverse("registry:organization_list"))

    names = [row.name_kk for row, _cells in response.context["rows"]]
    # Ә follows А (code point order would put it after Я).
    assert names == ["Абай мектебі", "Әбділда мектебі", "Бұқар мектебі", "Ясауи мектебі"]
    content = response.content.decode()
    assert content.index("Абай") < content.index("Әбділда") < content.index("Бұқар")


def test_people_are_listed_in_kazakh_alphabetical_order(admin: Client) -> None:
    for surname in ("Үсенов", "Ұлықбеков", "Уәлиханов", "Тұрсынов", "Фаизов"):
        PersonFactory(surname_kk=surname)

    response = admin.get(reverse("registry:person_list"))

    surnames = [row.surname_kk for row, _cells in response.context["rows"]]
    assert surnames == ["Тұрсынов", "Уәлиханов", "Ұлықбеков", "Үсенов", "Фаизов"]


def test_the_excel_export_has_only_the_filtered_rows(admin: Client, district: Territory) -> None:
    OrganizationFactory(name_kk="Әбділда мектебі", kind=OrganizationKind.SCHOOL, territory=district)
    OrganizationFactory(name_kk="Абай мектебі", kind=OrganizationKind.SCHOOL, territory=district)
    OrganizationFactory(name_kk="Сарыарқа ақпарат", kind=OrganizationKind.MEDIA, territory=district)

    response = admin.get(
        reverse("registry:organization_list"), {"kind": OrganizationKind.SCHOOL, "export": "xlsx"}
    )

    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"].startswith('attachment; filename="organizations-')
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == kk("Name")
    assert [row[0] for row in rows[1:]] == ["Абай мектебі", "Әбділда мектебі"]


def test_an_htmx_request_gets_only_the_results(admin: Client, district: Territory) -> None:
    OrganizationFactory(name_kk="Абай мектебі", kind=OrganizationKind.SCHOOL, territory=district)
    OrganizationFactory(name_kk="Сарыарқа ақпарат", kind=OrganizationKind.MEDIA, territory=district)
    url = reverse("registry:organization_list")

    partial = admin.get(url, {"kind": OrganizationKind.SCHOOL}, HTTP_HX_REQUEST="true")
    full = admin.get(url, {"kind": OrganizationKind.SCHOOL})

    content = partial.content.decode()
    assert partial.status_code == 200
    assert content.lstrip().startswith('<div id="results">')
    assert "<html" not in content
    assert "Абай мектебі" in content
    assert "Сарыарқа ақпарат" not in content
    assert "<html" in full.content.decode()


# ---------------------------------------------------------------------------------------------
# Site-wide: languages, health, accounts
# ---------------------------------------------------------------------------------------------


def test_the_language_switcher_keeps_the_page(admin: Client, district: Territory) -> None:
    organization = OrganizationFactory(territory=district)

    response = admin.get(f"/kk/registry/organizations/{organization.pk}/")

    links = {link["code"]: link["url"] for link in response.context["language_links"]}
    assert links == {
        "kk": f"/kk/registry/organizations/{organization.pk}/",
        "ru": f"/ru/registry/organizations/{organization.pk}/",
        "en": f"/en/registry/organizations/{organization.pk}/",
    }
    content = response.content.decode()
    assert f'href="/ru/registry/organizations/{organization.pk}/" hreflang="ru"' in content
    assert f'href="/en/registry/organizations/{organization.pk}/" hreflang="en"' in content
    in_russian = admin.get(links["ru"])
    assert in_russian.status_code == 200
    assert '<html lang="ru">' in in_russian.content.decode()


def test_the_language_switcher_keeps_the_filters(admin: Client) -> None:
    response = admin.get("/kk/registry/organizations/", {"kind": "school"})

    links = {link["code"]: link["url"] for link in response.context["language_links"]}
    assert links["ru"] == "/ru/registry/organizations/?kind=school"


def test_healthz_answers_json(client: Client) -> None:
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok", "database": "ok"}


def test_login_and_logout(client: Client) -> None:
    user = UserFactory(username="aigerim", role=Role.OBSERVER)
    home = reverse("home:dashboard")

    assert client.get(home).status_code == 302
    wrong = client.post(
        reverse("accounts:login"), {"username": "aigerim", "password": "not-the-password"}
    )
    assert wrong.status_code == 200
    assert "_auth_user_id" not in client.session

    response = client.post(
        reverse("accounts:login"), {"username": "aigerim", "password": "kense-test-password"}
    )
    assert response.status_code == 302
    assert response["Location"] == home
    assert int(client.session["_auth_user_id"]) == user.pk
    assert client.get(home).status_code == 200

    assert client.get(reverse("accounts:logout")).status_code == 405  # logout is a POST
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")
    assert client.get(home).status_code == 302


def test_change_the_password(client: Client) -> None:
    user = UserFactory(username="aigerim")
    client.force_login(user, backend=MODEL_BACKEND)

    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": "kense-test-password",
            "new_password1": "Ұлытау-2022-жаңа",
            "new_password2": "Ұлытау-2022-жаңа",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:profile")
    user.refresh_from_db()
    assert user.check_password("Ұлытау-2022-жаңа")
    # The session survives its own password change.
    assert client.get(reverse("accounts:profile")).status_code == 200
