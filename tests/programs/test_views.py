"""Program pages as people use them: creating and editing special projects, their history,
restoring an earlier version, and comments."""

from __future__ import annotations

import datetime
import decimal
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import translation

from factories import (
    OrganizationFactory,
    ProgramFactory,
    ProjectFactory,
    TerritoryFactory,
    UserFactory,
)
from kense.accounts.models import User
from kense.core.models import Comment
from kense.core.permissions import Role
from kense.programs.models import Direction, Program, ProgramStatus, Project
from kense.registry.models import Organization, Territory, TerritoryKind

pytestmark = pytest.mark.django_db

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


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
def program() -> Program:
    return ProgramFactory(code="ruhani", name_kk="Рухани жаңғыру", name_ru="Рухани жангыру")


@pytest.fixture
def museum(region: Territory) -> Organization:
    return OrganizationFactory(name_kk="Облыстық музей", territory=region)


@pytest.fixture
def library(region: Territory) -> Organization:
    return OrganizationFactory(name_kk="Облыстық кітапхана", territory=region)


@pytest.fixture
def theatre(region: Territory) -> Organization:
    return OrganizationFactory(name_kk="Драма театры", territory=region)


@pytest.fixture
def project_office(region: Territory) -> Client:
    return logged_in(UserFactory(role=Role.PROJECT_OFFICE, territory=region))


@pytest.fixture
def project(program: Program, region: Territory, museum: Organization) -> Project:
    return ProjectFactory(
        program=program,
        territory=region,
        name_kk="Ұлытау — Алтын Орда бесігі",
        name_ru="Улытау — колыбель Золотой Орды",
        lead_organization=museum,
    )


def project_data(program: Program, territory: Territory, **values: Any) -> dict[str, Any]:
    return {
        "program": program.pk,
        "territory": territory.pk,
        "name_kk": "Ұлытау — Алтын Орда бесігі",
        "name_ru": "Улытау — колыбель Золотой Орды",
        "status": ProgramStatus.PLANNED,
        "start": "2025-01-01",
        "end": "2025-12-31",
    } | values


def test_create_and_edit_a_project_with_co_executors(
    project_office: Client,
    program: Program,
    region: Territory,
    museum: Organization,
    library: Organization,
    theatre: Organization,
) -> None:
    response = project_office.post(
        reverse("programs:project_add"),
        project_data(
            program, region, lead_organization=museum.pk, co_executors=[library.pk, theatre.pk]
        ),
    )

    project = Project.objects.get(name_kk="Ұлытау — Алтын Орда бесігі")
    assert response.status_code == 302
    assert response["Location"] == project.get_absolute_url()
    assert project.lead_organization == museum
    assert set(project.co_executors.all()) == {library, theatre}

    response = project_office.post(
        reverse("programs:project_edit", args=[project.pk]),
        project_data(
            program,
            region,
            status=ProgramStatus.ACTIVE,
            budget="15000000",
            lead_organization=museum.pk,
            co_executors=[theatre.pk],
        ),
    )

    assert response.status_code == 302
    project.refresh_from_db()
    assert project.status == ProgramStatus.ACTIVE
    assert project.budget == decimal.Decimal("15000000")
    assert list(project.co_executors.all()) == [theatre]
    page = project_office.get(project.get_absolute_url())
    assert [o.name_kk for o in page.context["co_executors"]] == ["Драма театры"]


def test_a_program_and_its_direction_are_saved_with_aliases(project_office: Client) -> None:
    response = project_office.post(
        reverse("programs:program_add"),
        {
            "code": "tugan-zher",
            "name_kk": "Туған жер",
            "name_ru": "Туған жер",
            "status": ProgramStatus.ACTIVE,
            "aliases": "Туған жер бағдарламасы\n  \nTugan Zher  \n",
        },
    )

    program = Program.objects.get(code="tugan-zher")
    assert response.status_code == 302, response.content
    assert program.aliases == ["Туған жер бағдарламасы", "Tugan Zher"]
    page = project_office.get(program.get_absolute_url())
    assert "<dd>Туған жер бағдарламасы, Tugan Zher</dd>" in page.content.decode()

    response = project_office.post(
        reverse("programs:direction_add"),
        {
            "program": program.pk,
            "order": 1,
            "name_kk": "Туған жерге тағзым",
            "name_ru": "Поклонение родной земле",
            "status": ProgramStatus.PLANNED,
            "aliases": "Тағзым\nTagzym",
        },
    )

    direction = Direction.objects.get(program=program)
    assert response.status_code == 302, response.content
    assert direction.aliases == ["Тағзым", "Tagzym"]
    assert " tagzym " in direction.search_text
    page = project_office.get(direction.get_absolute_url())
    assert "<dd>Тағзым, Tagzym</dd>" in page.content.decode()

    response = project_office.post(
        reverse("programs:direction_edit", args=[direction.pk]),
        {
            "program": program.pk,
            "order": 1,
            "name_kk": "Туған жерге тағзым",
            "name_ru": "Поклонение родной земле",
            "status": ProgramStatus.ACTIVE,
            "aliases": "Тағзым",
        },
    )

    assert response.status_code == 302, response.content
    direction.refresh_from_db()
    assert direction.aliases == ["Тағзым"]
    edit_page = project_office.get(reverse("programs:direction_edit", args=[direction.pk]))
    assert "Тағзым</textarea>" in edit_page.content.decode()


def test_an_alias_longer_than_two_hundred_characters_is_refused(
    project_office: Client, program: Program
) -> None:
    response = project_office.post(
        reverse("programs:program_edit", args=[program.pk]),
        {
            "code": program.code,
            "name_kk": "Рухани жаңғыру",
            "name_ru": "Рухани жангыру",
            "status": ProgramStatus.ACTIVE,
            "aliases": "Р" * 201,
        },
    )

    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["aliases"]
    program.refresh_from_db()
    assert program.aliases == []


def test_the_project_page_shows_the_history_of_changes(
    project_office: Client, project: Project, program: Program, region: Territory
) -> None:
    project_office.post(
        reverse("programs:project_edit", args=[project.pk]),
        project_data(program, region, name_kk="Ұлытау — Алтын Орда астанасы"),
    )

    page = project_office.get(project.get_absolute_url())

    latest = page.context["history"][0]
    changes = {(str(c.old), str(c.new)) for c in latest.changes}
    assert ("Ұлытау — Алтын Орда бесігі", "Ұлытау — Алтын Орда астанасы") in changes
    content = page.content.decode()
    assert (
        "<del>Ұлытау — Алтын Орда бесігі</del> → <ins>Ұлытау — Алтын Орда астанасы</ins>" in content
    )


def restore_url(project: Project, history_id: int) -> str:
    content_type = ContentType.objects.get_for_model(Project)
    return reverse("core:restore_version", args=[content_type.pk, project.pk, history_id])


def test_the_administrator_restores_an_earlier_version(
    project_office: Client, project: Project, program: Program, region: Territory
) -> None:
    first = project.history.earliest("history_date")
    project_office.post(
        reverse("programs:project_edit", args=[project.pk]),
        project_data(program, region, name_kk="Басқа атау"),
    )
    administrator = logged_in(UserFactory(role=Role.ADMINISTRATOR))

    response = administrator.post(restore_url(project, first.history_id))

    assert response.status_code == 302
    assert response["Location"] == project.get_absolute_url()
    shown = get_messages(response.wsgi_request)
    assert [str(m) for m in shown if m.level_tag == "error"] == []
    project.refresh_from_db()
    assert project.name_kk == "Ұлытау — Алтын Орда бесігі"
    # The restore is itself a new version; the past is not rewritten.
    assert project.history.count() == 3
    assert project.history.latest("history_date").history_change_reason == (
        f"↺ #{first.history_id}"
    )


def test_only_the_administrator_restores_versions(
    project_office: Client, project: Project, program: Program, region: Territory
) -> None:
    first = project.history.earliest("history_date")
    project_office.post(
        reverse("programs:project_edit", args=[project.pk]),
        project_data(program, region, name_kk="Басқа атау"),
    )

    response = project_office.post(restore_url(project, first.history_id))

    assert response.status_code == 403
    project.refresh_from_db()
    assert project.name_kk == "Басқа атау"
    assert project.history.count() == 2


def comment_url(obj: Any) -> str:
    content_type = ContentType.objects.get_for_model(obj)
    return reverse("core:add_comment", args=[content_type.pk, obj.pk])


def test_an_executive_comments_on_a_project(region: Territory, project: Project) -> None:
    executive = UserFactory(role=Role.EXECUTIVE, territory=region)

    response = logged_in(executive).post(comment_url(project), {"text": "Мерзімін нақтылаңыз."})

    assert response.status_code == 302
    assert response["Location"] == project.get_absolute_url() + "#comments"
    comment = Comment.objects.get()
    assert (comment.target, comment.author, comment.text) == (
        project,
        executive,
        "Мерзімін нақтылаңыз.",
    )
    page = logged_in(executive).get(project.get_absolute_url())
    assert "Мерзімін нақтылаңыз." in page.content.decode()


def test_an_observer_may_not_comment(region: Territory, project: Project) -> None:
    observer = logged_in(UserFactory(role=Role.OBSERVER, territory=region))

    response = observer.post(comment_url(project), {"text": "Менің пікірім."})

    assert response.status_code == 403
    assert not Comment.objects.exists()
    page = observer.get(project.get_absolute_url())
    assert page.context["can_comment"] is False
    assert 'name="text"' not in page.content.decode()


def test_the_project_list_tells_new_from_continued_projects_in_a_year(
    client: Any, django_user_model: Any
) -> None:
    from factories import ProjectFactory, UserFactory
    from kense.core.permissions import Role

    old = ProjectFactory(name_kk="Ескі жоба", start=datetime.date(2018, 1, 1))
    new = ProjectFactory(name_kk="Жаңа жоба", start=datetime.date(2020, 3, 1))
    client.force_login(UserFactory(role=Role.ADMINISTRATOR))

    response = client.get(reverse("programs:project_list") + "?year=2020")

    text = response.content.decode()
    assert response.status_code == 200
    rows = {
        name: text[text.index(name) : text.index("</tr>", text.index(name))]
        for name in (old.name_kk, new.name_kk)
    }
    assert "жалғасқан" in rows[old.name_kk] or "continued" in rows[old.name_kk]
    assert "жаңа" in rows[new.name_kk].replace(new.name_kk, "") or "new" in rows[new.name_kk]
