"""Ideas as people use them: proposing (with files checked by content), following one's own,
and the project office's evaluation: accept into a project, reject with an answer, merge."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from core.test_filters import assert_page_filters_are_the_api_parameters
from factories import (
    DirectionFactory,
    IdeaFactory,
    ProgramFactory,
    ProjectFactory,
    TerritoryFactory,
    UserFactory,
)
from kense.accounts.models import User
from kense.core.models import Attachment
from kense.core.permissions import Role
from kense.ideas import selectors, services
from kense.ideas.models import Idea, IdeaStatus
from kense.programs.models import Project
from kense.registry.models import Territory, TerritoryKind

pytestmark = pytest.mark.django_db

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _in_kazakh_pages(settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path
    with translation.override("kk"):
        yield


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user, backend=MODEL_BACKEND)
    return client


@pytest.fixture
def region() -> Territory:
    return TerritoryFactory(name_kk="Қарағанды облысы", kind=TerritoryKind.REGION)


@pytest.fixture
def saran(region: Territory) -> Territory:
    return TerritoryFactory(name_kk="Саран", kind=TerritoryKind.CITY, parent=region)


@pytest.fixture
def shet(region: Territory) -> Territory:
    return TerritoryFactory(name_kk="Шет ауданы", parent=region)


@pytest.fixture
def office(region: Territory) -> User:
    return UserFactory(role=Role.PROJECT_OFFICE, territory=region)


@pytest.fixture
def observer(region: Territory) -> User:
    return UserFactory(role=Role.OBSERVER, territory=region)


@pytest.fixture
def coordinator(saran: Territory) -> User:
    return UserFactory(role=Role.COORDINATOR, territory=saran)


def propose(client: Client, territory: Territory, **extra: Any) -> Any:
    data = {
        "title": "Мұражай түні",
        "description": "Жастарға арналған кешкі экскурсиялар.",
        "territory": territory.pk,
        **extra,
    }
    return client.post(reverse("ideas:idea_propose"), data)


def test_an_observer_proposes_an_idea_with_a_file(observer: User, saran: Territory) -> None:
    direction = DirectionFactory()
    upload = SimpleUploadedFile("жоспар.pdf", PDF, content_type="application/pdf")

    response = propose(logged_in(observer), saran, direction=direction.pk, attachments=[upload])

    idea = Idea.objects.get()
    assert response.status_code == 302
    assert response["Location"] == idea.get_absolute_url()
    assert (idea.proposer, idea.territory, idea.direction) == (observer, saran, direction)
    assert idea.status == IdeaStatus.EVALUATING
    attachment = Attachment.objects.get()
    assert (attachment.object_id, attachment.name) == (idea.pk, "жоспар.pdf")
    assert attachment.mime_type == "application/pdf"
    page = logged_in(observer).get(idea.get_absolute_url())
    assert "жоспар.pdf" in page.content.decode()
    download = logged_in(observer).get(
        reverse("ideas:attachment_download", args=[idea.pk, attachment.pk])
    )
    assert b"".join(download.streaming_content) == PDF  # type: ignore[attr-defined]


def test_a_file_lying_about_its_type_is_refused_and_nothing_saved(
    observer: User, saran: Territory
) -> None:
    liar = SimpleUploadedFile("report.pdf", b"MZ\x90\x00 not a pdf at all", "application/pdf")

    response = propose(logged_in(observer), saran, attachments=[liar])

    assert response.status_code == 400
    assert "report.pdf" in response.content.decode()
    assert not Idea.objects.exists()
    assert not Attachment.objects.exists()


def test_the_form_shows_what_is_missing(observer: User, saran: Territory) -> None:
    response = propose(logged_in(observer), saran, title="")

    assert response.status_code == 400
    assert not Idea.objects.exists()


def test_the_proposer_sees_only_their_own_ideas(
    observer: User, saran: Territory, region: Territory
) -> None:
    mine = IdeaFactory(proposer=observer, territory=saran)
    someone_elses = IdeaFactory(territory=saran)
    client = logged_in(observer)

    assert list(selectors.idea_list(observer)) == [mine]
    assert client.get(someone_elses.get_absolute_url()).status_code == 404
    for name in ("ideas:my_ideas", "ideas:idea_list"):
        page = client.get(reverse(name)).content.decode()
        assert mine.title in page
        assert someone_elses.title not in page


def test_the_office_and_the_coordinator_see_their_territorys_ideas(
    office: User, coordinator: User, saran: Territory, shet: Territory
) -> None:
    in_saran = IdeaFactory(territory=saran)
    in_shet = IdeaFactory(territory=shet)

    assert set(selectors.idea_list(office)) == {in_saran, in_shet}
    assert list(selectors.idea_list(coordinator)) == [in_saran]
    filtered = selectors.idea_list(office, {"territory": shet, "status": IdeaStatus.EVALUATING})
    assert list(filtered) == [in_shet]


def test_the_office_accepts_an_idea_into_a_project_and_the_proposer_reads_the_answer(
    office: User, observer: User, saran: Territory
) -> None:
    idea = IdeaFactory(proposer=observer, territory=saran)
    project = ProjectFactory(territory=saran)

    response = logged_in(office).post(
        reverse("ideas:idea_accept", args=[idea.pk]),
        {"project": project.pk, "answer": "«Саран шежіресі» жобасына қосылды."},
    )

    assert response.status_code == 302
    idea.refresh_from_db()
    assert (idea.status, idea.accepted_project, idea.evaluated_by) == ("accepted", project, office)
    assert idea.evaluated_at is not None
    page = logged_in(observer).get(idea.get_absolute_url()).content.decode()
    assert "«Саран шежіресі» жобасына қосылды." in page
    assert str(project.name) in page
    assert 'id="evaluation"' not in page


def test_accepting_into_a_new_project_creates_it(office: User, saran: Territory) -> None:
    program = ProgramFactory()
    direction = DirectionFactory(program=program)
    idea = IdeaFactory(territory=saran, direction=direction, title="Мұражай түні")

    services.idea_accept(idea, user=office, new_project_of=program)

    project = Project.objects.get()
    assert idea.accepted_project == project
    assert (project.territory, project.direction) == (saran, direction)


def test_accepting_needs_exactly_one_project_or_event(office: User, saran: Territory) -> None:
    idea = IdeaFactory(territory=saran)

    response = logged_in(office).post(reverse("ideas:idea_accept", args=[idea.pk]), {})

    assert response.status_code == 400
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.EVALUATING


def test_rejecting_needs_an_answer(office: User, observer: User, saran: Territory) -> None:
    idea = IdeaFactory(proposer=observer, territory=saran)
    url = reverse("ideas:idea_reject", args=[idea.pk])
    client = logged_in(office)

    assert client.post(url, {"answer": "  "}).status_code == 400
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.EVALUATING

    assert client.post(url, {"answer": "Бюджет жоқ."}).status_code == 302
    idea.refresh_from_db()
    assert (idea.status, idea.answer) == ("rejected", "Бюджет жоқ.")
    assert "Бюджет жоқ." in logged_in(observer).get(reverse("ideas:my_ideas")).content.decode()
    with translation.override("en"), pytest.raises(ValidationError, match="already been evaluated"):
        services.idea_reject(idea, user=office, answer="Again")


def test_a_merged_idea_tells_its_proposer_where_it_went(
    office: User, observer: User, saran: Territory
) -> None:
    other = IdeaFactory(territory=saran, title="Қабырғадағы суреттер")
    idea = IdeaFactory(proposer=observer, territory=saran)

    response = logged_in(office).post(
        reverse("ideas:idea_merge", args=[idea.pk]), {"merged_into": other.pk}
    )

    assert response.status_code == 302
    idea.refresh_from_db()
    assert (idea.status, idea.merged_into) == ("merged", other)
    page = logged_in(observer).get(idea.get_absolute_url()).content.decode()
    assert "Қабырғадағы суреттер" in page
    assert other.get_absolute_url() not in page  # named, not opened: it is not theirs
    with pytest.raises(ValidationError):  # merges do not chain
        services.idea_merge(other, user=office, into=idea)


def test_an_idea_cannot_be_merged_into_itself(office: User, saran: Territory) -> None:
    idea = IdeaFactory(territory=saran)

    response = logged_in(office).post(
        reverse("ideas:idea_merge", args=[idea.pk]), {"merged_into": idea.pk}
    )

    assert response.status_code == 400


def test_a_coordinator_cannot_evaluate(coordinator: User, saran: Territory) -> None:
    idea = IdeaFactory(territory=saran)
    client = logged_in(coordinator)

    page = client.get(idea.get_absolute_url())
    assert page.status_code == 200
    assert 'id="evaluation"' not in page.content.decode()
    response = client.post(reverse("ideas:idea_reject", args=[idea.pk]), {"answer": "Жоқ."})
    assert response.status_code == 403
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.EVALUATING


def test_the_office_of_another_territory_does_not_see_the_idea(saran: Territory) -> None:
    idea = IdeaFactory(territory=saran)
    elsewhere = UserFactory(role=Role.PROJECT_OFFICE, territory=TerritoryFactory())

    response = logged_in(elsewhere).post(
        reverse("ideas:idea_reject", args=[idea.pk]), {"answer": "Жоқ."}
    )

    assert response.status_code == 404


def test_the_idea_page_shows_the_history(office: User, observer: User, saran: Territory) -> None:
    idea = services.idea_propose(
        user=observer, title="Домбыра", description="Сабақтар.", territory=saran
    )
    services.idea_reject(idea, user=office, answer="Кейін.")

    page = logged_in(office).get(idea.get_absolute_url()).content.decode()

    assert 'id="history"' in page
    assert idea.history.count() == 2


def test_counts_by_territory(office: User, saran: Territory, shet: Territory) -> None:
    in_2020 = timezone.make_aware(datetime.datetime(2020, 5, 1, 10))
    IdeaFactory.create_batch(2, territory=saran, created_at=in_2020)
    IdeaFactory(territory=saran, created_at=in_2020, status="rejected", answer="Жоқ.")
    IdeaFactory(territory=shet, created_at=in_2020, status="evaluating")
    IdeaFactory(territory=shet, created_at=in_2020.replace(year=2021))

    counts = selectors.counts_by_territory(2020)

    assert counts[saran.pk] == {
        "proposed": 3,
        "evaluating": 2,
        "accepted": 0,
        "rejected": 1,
        "merged": 0,
    }
    assert counts[shet.pk]["proposed"] == 1
    assert selectors.counts_by_territory(2019) == {}


def test_the_list_offers_the_filters_the_api_takes(office: User) -> None:
    assert_page_filters_are_the_api_parameters(
        logged_in(office), "ideas:idea_list", "/api/v1/ideas"
    )


def test_the_apis_only_mine_filters_the_list_and_its_export(office: User, saran: Territory) -> None:
    mine = IdeaFactory(proposer=office, territory=saran, title="Менің идеям")
    IdeaFactory(territory=saran, title="Басқа идея")
    client = logged_in(office)
    url = reverse("ideas:idea_list")

    page = client.get(url, {"mine": "on"})
    export = client.get(url, {"mine": "on", "export": "xlsx"})

    assert [obj for obj, _cells in page.context["rows"]] == [mine]
    sheet = load_workbook(io.BytesIO(export.content)).active
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["Менің идеям"]
    assert len(client.get(url).context["rows"]) == 2


def test_my_ideas_offer_the_other_filters(observer: User, saran: Territory) -> None:
    accepted = IdeaFactory(proposer=observer, territory=saran, status="accepted")
    IdeaFactory(proposer=observer, territory=saran)
    IdeaFactory(territory=saran, status="accepted")

    page = logged_in(observer).get(reverse("ideas:my_ideas"), {"status": "accepted"})

    assert "mine" not in page.context["form"].fields
    assert [obj for obj, _cells in page.context["rows"]] == [accepted]


def test_the_list_exports_to_excel(office: User, saran: Territory) -> None:
    IdeaFactory(territory=saran)

    response = logged_in(office).get(reverse("ideas:idea_list"), {"export": "xlsx"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
