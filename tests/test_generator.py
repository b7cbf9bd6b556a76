"""manage.py generate: the small dataset has the right shape, derived fields and names."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from benchmarks.generator.build import MARKER_NAME, SCALES
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.models import Model

from kense.accounts.models import User
from kense.assignments.models import Assignment, ExecutionReport
from kense.core.selectors import search_filter
from kense.documents.models import Document, Recipient
from kense.events.models import Event
from kense.ideas.models import Idea
from kense.indicators.models import IndicatorValue
from kense.media.models import Publication
from kense.meetings.models import AgendaItem, Meeting
from kense.programs.models import Project
from kense.registry.models import Organization, Person, Territory

pytestmark = pytest.mark.django_db

KAZAKH_LETTERS = set("әғқңөұүһіӘҒҚҢӨҰҮҺІ")


@pytest.fixture
def generated(db: None) -> str:
    """A small load for each test (about a second), rolled back with the test."""
    out = StringIO()
    call_command("generate", "--scale", "small", stdout=out)
    return out.getvalue()


def test_small_scale_creates_each_model_in_its_order_of_magnitude(generated: str) -> None:
    small = SCALES["small"]
    expected: dict[type[Model], int] = {
        Organization: small.organizations,
        # Besides the generated people's accounts: the country's project office, and each
        # region's project office and akim.
        User: small.users + 1 + 2 * small.regions,
        Person: small.users,
        Event: small.events,
        Meeting: small.meetings,
        AgendaItem: small.meetings * small.items_per_meeting,
        Assignment: small.assignments,
        IndicatorValue: small.indicator_values,
        Publication: small.publications,
        Document: small.documents,
        Project: small.projects,
        Idea: small.ideas,
    }
    for model, count in expected.items():
        assert model._default_manager.count() == count, model
    assert small.assignments / 2 < ExecutionReport.objects.count() <= small.assignments
    assert 50 <= Recipient.objects.count() <= 500
    assert Territory.objects.count() > 5
    # The progress report names each step with its timing.
    assert "events (1000)" in generated and "done in" in generated


def test_the_planner_has_statistics_of_the_generated_tables(generated: str) -> None:
    assert "planner statistics" in generated
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT reltuples FROM pg_class WHERE relname = %s", [Assignment._meta.db_table]
            )
            assert cursor.fetchone()[0] > 0  # -1 until the table is first analyzed
        else:
            cursor.execute(
                "SELECT COUNT(*) FROM sqlite_stat1 WHERE tbl = %s", [Assignment._meta.db_table]
            )
            assert cursor.fetchone()[0] > 0


def test_trees_have_valid_paths_and_depths(generated: str) -> None:
    for model in (Territory, Organization):
        nodes = {node.pk: node for node in model._default_manager.all()}
        for node in nodes.values():
            parent_path = nodes[node.parent_id].path if node.parent_id else "/"
            assert node.path.startswith(parent_path)
            assert node.path == f"{parent_path}{node.pk}/"
            assert node.depth == node.path.count("/") - 2
    root = Territory.objects.get(parent__isnull=True, name_kk=MARKER_NAME)
    assert Territory.objects.filter(path__startswith=root.path).count() == Territory.objects.count()


def test_names_are_kazakh_with_russian_spellings(generated: str) -> None:
    # Any: the translation fields (surname_kk…) are added at run time by modeltranslation.
    people: list[Any] = list(Person.objects.all())
    for person in people:
        assert person.surname_kk.endswith(("ов", "ова", "ев", "ева", "ұлы", "қызы"))
        assert person.surname_ru and person.given_name_ru
        assert not KAZAKH_LETTERS & set(person.surname_ru + person.given_name_ru)
    assert sum(bool(KAZAKH_LETTERS & set(p.surname_kk + p.given_name_kk)) for p in people) > 10
    territories: list[Any] = list(Territory.objects.exclude(kind="country"))
    for territory in territories:
        assert territory.name_kk.endswith(("облысы", "қаласы", "ауданы", "ауылдық округі"))
        assert territory.name_ru.startswith(("область", "город", "район", "сельский округ"))
    assert Organization.objects.filter(name_kk__endswith="әкімдігі").exists()
    assert Organization.objects.filter(name_ru__startswith="Акимат").exists()


def test_search_text_matches_what_save_would_store(generated: str) -> None:
    for model in (
        Territory,
        Organization,
        Person,
        Event,
        Meeting,
        Assignment,
        Document,
        Idea,
        Publication,
    ):
        for obj in model._default_manager.all()[:20]:
            stored = obj.search_text
            obj.refresh_search_text()
            assert obj.search_text == stored, model


def test_search_finds_a_generated_person_by_a_folded_prefix(generated: str) -> None:
    person: Any = (
        Person.objects.filter(surname_kk__regex="[әғқңөұүһі]").first() or Person.objects.first()
    )
    assert person is not None
    # The Russian spelling, upper-cased and cut short, finds the Kazakh name.
    prefix = person.surname_ru[:4].upper()
    assert person in search_filter(Person.objects.all(), prefix)


def test_a_second_run_is_refused(generated: str) -> None:
    with pytest.raises(CommandError, match=MARKER_NAME):
        call_command("generate", "--scale", "small", stdout=StringIO())


def test_each_region_has_an_office_that_sees_a_ranking_by_its_methodology(
    generated: str, client: Any
) -> None:
    from kense.indicators.models import Methodology, Target

    office = User.objects.get(username="gen-office-01")
    assert office.role == "project_office" and office.territory.kind == "region"
    assert User.objects.get(username="gen-akim-01").role == "executive"
    assert User.objects.get(username="gen-office-00").territory.parent_id is None
    methodology = Methodology.objects.get(year=2025)
    assert methodology.weights and Target.objects.filter(year=2025).exists()
    client.force_login(office)
    response = client.get(f"/kk/indicators/ranking/?methodology={methodology.pk}")
    assert response.status_code == 200
    ranked = response.context["ranking"].result.scores.values()
    peers = Territory.objects.filter(parent=office.territory, kind__in=["city", "district"])
    assert {score.territory for score in ranked} == set(peers.values_list("pk", flat=True))
    assert all(score.score is not None for score in ranked)
