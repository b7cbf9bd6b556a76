"""The demo loads the Karaganda region of 2020, keeps the 2022 reorganization as history, and
loading it again changes nothing."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import transaction
from django.db.models import Q
from django.test import override_settings
from tests.demo_snapshot import demo_in_transaction

from kense.accounts.models import User
from kense.assignments.models import Extension, Review
from kense.core.permissions import Role
from kense.meetings.models import Meeting
from kense.programs.models import Program, Project
from kense.registry.demo import (
    DIRECTIONS,
    LOGINS,
    PASSWORD,
    PROGRAMS,
    PROJECTS,
    REGION,
    ULYTAU_REGION,
)
from kense.registry.models import (
    Appointment,
    Organization,
    OrganizationKind,
    Person,
    StaffPost,
    Territory,
    TerritoryKind,
    TerritoryParentPeriod,
)
from kense.text.kazakh import search_terms

REPORT_DAY = datetime.date(2020, 4, 21)
AFTER_REORGANIZATION = datetime.date(2023, 1, 1)

SEED = Path(__file__).resolve().parents[3] / "shared" / "seed"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True, scope="module")
def fast_passwords() -> Iterator[None]:
    # Seven demo users hashed with PBKDF2 would cost two seconds a load.
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(scope="class")
def demo(django_db_setup: Any, django_db_blocker: Any) -> Iterator[Any]:
    """One load shared by a class's tests, each of which still runs in its own savepoint;
    yields what the load answered."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield demo_in_transaction()
        transaction.set_rollback(True)


def region() -> Territory:
    return Territory.objects.get(name_kk=REGION.kk, kind=TerritoryKind.REGION)


def zhezkazgan() -> Territory:
    return Territory.objects.get(name_kk="Жезқазған қаласы", kind=TerritoryKind.CITY)


def parent_on(territory: Territory, day: datetime.date) -> Territory:
    period = territory.parentage.get(
        Q(start__isnull=True) | Q(start__lte=day), Q(end__isnull=True) | Q(end__gt=day)
    )
    return period.parent


def model_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def test_the_command_loads_once_and_prints_the_logins() -> None:
    out = StringIO()
    call_command("kense_demo", stdout=out, skip_checks=True)
    before = model_counts()
    call_command("kense_demo", stdout=out, skip_checks=True)

    assert model_counts() == before  # loading twice creates nothing
    text = out.getvalue()
    assert "already loaded" in text
    for login in LOGINS:
        assert login.username in text
    assert PASSWORD in text


@pytest.mark.usefixtures("demo")
class TestTheDemoData:
    def test_demo_loads_the_region_with_its_cities_districts_and_people(self, demo: Any) -> None:
        assert not demo.already_loaded
        karaganda = region()
        assert karaganda.parent.name_kk == "Қазақстан Республикасы"
        assert karaganda.name_ru == "Карагандинская область"
        assert Territory.objects.filter(kind=TerritoryKind.CITY).count() == 9
        assert Territory.objects.filter(kind=TerritoryKind.DISTRICT).count() == 9
        assert Territory.objects.filter(kind=TerritoryKind.RURAL_DISTRICT).count() >= 2
        # Every named thing has its three names.
        for model, field in ((Territory, "name"), (Organization, "name"), (Person, "surname")):
            for language in ("kk", "ru", "en"):
                assert not model.objects.filter(**{f"{field}_{language}__in": ["", None]}).exists()
        assert Organization.objects.filter(kind=OrganizationKind.UNIVERSITY).count() == 3
        # Every city and district has its own deputy akim.
        deputies = Appointment.objects.filter(
            position__code="deputy_akim", organization__kind=OrganizationKind.AKIMAT
        ).exclude(organization__territory=karaganda)
        assert deputies.values("organization__territory").distinct().count() == 18

    def test_the_region_had_18_cities_and_districts_in_2020(self) -> None:
        karaganda = region()

        members_in_2020 = TerritoryParentPeriod.objects.filter(
            Q(start__isnull=True) | Q(start__lte=REPORT_DAY),
            Q(end__isnull=True) | Q(end__gt=REPORT_DAY),
            parent=karaganda,
        )
        assert members_in_2020.count() == 18
        assert {period.territory.kind for period in members_in_2020} == {
            TerritoryKind.CITY,
            TerritoryKind.DISTRICT,
        }
        # Five of them went to Ulytau region in 2022.
        assert karaganda.children.count() == 13

    def test_zhezkazgan_moved_to_ulytau_region_in_2022_and_the_history_says_so(self) -> None:
        city = zhezkazgan()

        assert parent_on(city, REPORT_DAY) == region()
        assert parent_on(city, AFTER_REORGANIZATION).name_kk == ULYTAU_REGION.kk
        assert city.parent.name_kk == ULYTAU_REGION.kk
        assert city.parent.valid_from == datetime.date(2022, 6, 8)
        moved = TerritoryParentPeriod.objects.filter(
            start=datetime.date(2022, 6, 8), parent__name_kk=ULYTAU_REGION.kk
        )
        assert {period.territory.name_kk for period in moved} == {
            "Жезқазған қаласы",
            "Сәтбаев қаласы",
            "Қаражал қаласы",
            "Жаңаарқа ауданы",
            "Ұлытау ауданы",
        }

    def test_nukenov_is_the_deputy_akim_of_the_region(self) -> None:

        nukenov = Person.objects.get(surname_kk="Нүкенов", given_name_kk="Абзал")
        assert nukenov.surname_ru == "Нукенов"
        appointment = nukenov.appointments.get()
        assert appointment.position.code == "deputy_akim"
        assert appointment.organization.kind == OrganizationKind.AKIMAT
        assert appointment.organization.territory == region()
        assert appointment.is_current_on(REPORT_DAY)

    def test_adviser_and_office_head_have_their_acts(self) -> None:

        adviser = Appointment.objects.get(person__surname_kk="Алтынбеков")
        assert (adviser.employment, adviser.act_kind) == ("non_staff", "approved")
        assert adviser.act_number and adviser.act_date.year == 2020
        head = Appointment.objects.get(person__surname_kk="Жұмағұлов")
        assert head.act_kind == "appointed" and head.act_date.year == 2020
        assert head.post is not None and head.post.organization == head.organization
        assert Person.objects.get(surname_kk="Бейсембекова").aliases == ["Бейсенбекова"]

    def test_the_project_office_moved_into_the_media_holding(self) -> None:

        office = Organization.objects.get(kind=OrganizationKind.PROJECT_OFFICE)
        holding = Organization.objects.get(kind=OrganizationKind.MEDIA)
        assert "Saryarq aqparat" in holding.aliases
        assert office.parent == holding
        before, after = office.parentage.order_by("pk")
        assert before.parent.name_kk == "Қарағанды облысының ішкі саясат басқармасы"
        assert after.parent == holding
        assert before.end == after.start
        assert after.start.year == 2020 and after.start < REPORT_DAY

    def test_the_project_office_has_a_staffing_table_with_vacancies(self) -> None:

        posts = StaffPost.objects.filter(organization__kind=OrganizationKind.PROJECT_OFFICE)
        filled = posts.filter(appointments__isnull=False).distinct()
        assert 8 <= posts.count() <= 12
        assert 0 < filled.count() < posts.count()
        assert posts.filter(employment="non_staff").exists()

    def test_the_program_has_the_special_projects_reported_on_in_2020(self) -> None:

        program = Program.objects.get(code="rukhani-zhangyru")
        assert program.start == datetime.date(2017, 4, 12)
        # The report's spellings, and the names the projects are registered under.
        reported = {
            "Қазақстанның киелі географиясы": "Қазақстанның киелі жерлерінің географиясы",
            "Дала фольклоры мен музыкасының 1000 жылы": "Дала фольклоры мен музыкасының мың жылы",
            "Ұлы дала есімдері": "Ұлы даланың ұлы есімдері",
        }
        names = set(program.projects.values_list("name_kk", flat=True))
        assert set(reported.values()) <= names
        tugan_zher = program.projects.get(name_kk="Туған жер")
        assert set(tugan_zher.parts.values_list("name_kk", flat=True)) >= {
            "Тәрбие және білім",
            "Атамекен",
            "Рухани қазына",
            "Ақпарат толқыны",
        }
        statuses = set(Project.objects.values_list("status", flat=True))
        assert statuses == {"planned", "active", "suspended", "completed"}
        assert Program.objects.get(code="auyl-el-besigi").projects.count() >= 2

    def test_the_april_meetings_decisions_on_earlier_assignments_are_dated_at_the_meeting(
        self,
    ) -> None:
        # The demo records them through the services, which stamp the day the demo is loaded.
        april = Meeting.objects.get(start__date=datetime.date(2020, 4, 21))
        reviews = Review.objects.filter(meeting=april)
        extensions = Extension.objects.filter(assignment__reviews__meeting=april)
        assert reviews.count() == 3
        assert {review.decided_at for review in reviews} == {april.end}
        assert extensions.count() == 1
        assert {(e.requested_at, e.decided_at) for e in extensions} == {(april.end, april.end)}
        accepted = reviews.get(choice="accept").assignment
        assert accepted.done_at == april.end

    def test_there_is_one_login_per_role_with_the_demo_password(self) -> None:

        users = User.objects.filter(username__in=[login.username for login in LOGINS])
        assert {user.role for user in users} == set(Role.values)
        for user in users:
            assert user.check_password(PASSWORD)
            assert user.email.endswith("@kense.demo")
        admin = users.get(username="admin")
        assert admin.is_superuser and admin.is_staff
        assert users.get(username="office").person.surname_kk == "Жұмағұлов"
        saran = users.get(username="saran")
        assert saran.territory.name_kk == "Саран қаласы"
        assert saran.person.appointments.get().organization.territory == saran.territory

    def test_each_login_sees_its_own_part_of_the_projects(self) -> None:
        users = {user.username: user for user in User.objects.all()}

        def visible(username: str) -> set[str]:
            return set(Project.objects.restrict(users[username]).values_list("name_kk", flat=True))

        everything = set(Project.objects.values_list("name_kk", flat=True))
        assert visible("admin") == everything
        assert "Саран қаласының шежіресі" in visible("saran")
        assert "Шет ауданының ауыл мектептеріндегі өлкетану үйірмелері" not in visible("saran")
        assert "Саран қаласының шежіресі" in visible("school")
        assert "Архив-2025" in visible("culture")
        assert "Ұлы даланың ұлы есімдері" not in visible("culture")


def _shingles(text: str, size: int = 6) -> set[tuple[str, ...]]:
    words = search_terms(text)
    return {tuple(words[i : i + size]) for i in range(len(words) - size + 1)}


@pytest.mark.skipif(not SEED.is_dir(), reason="the shared seed texts are not present")
def test_the_demo_texts_are_our_own_not_the_reports() -> None:
    report: set[tuple[str, ...]] = set()
    for path in SEED.glob("*.txt"):
        report |= _shingles(path.read_text(encoding="utf-8"))
    ours = [
        text
        for spec in (*PROGRAMS, *DIRECTIONS, *PROJECTS)
        for names in (spec.name, spec.description)
        for text in (names.kk, names.ru)
    ]
    copied = [text for text in ours if _shingles(text) & report]
    assert copied == []
