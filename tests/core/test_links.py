"""`{% link obj %}` and `may_open`: a link only to what the user may open, its name otherwise,
at one query per model and page however many links it draws."""

from __future__ import annotations

import pytest
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext

from factories import OrganizationFactory, ProgramFactory, TerritoryFactory, UserFactory
from kense.core.permissions import Role, may_open, scope_of

pytestmark = pytest.mark.django_db


def named(name: str) -> dict[str, str]:
    return {f"name_{code}": name for code in ("kk", "ru", "en")}


def render(source: str, **context: object) -> str:
    return Template(source).render(Context(context))


def test_a_link_is_drawn_only_to_what_the_user_may_open() -> None:
    district = TerritoryFactory()
    other = TerritoryFactory()
    mine = OrganizationFactory(territory=district, **named("Ours"))
    theirs = OrganizationFactory(territory=other, **named("Theirs"))
    user = UserFactory(role=Role.COORDINATOR, territory=district)

    assert render("{% link obj %}", obj=mine, user=user) == (
        f'<a href="{mine.get_absolute_url()}">Ours</a>'
    )
    assert render("{% link obj %}", obj=theirs, user=user) == "Theirs"
    assert render("{% link obj obj.pk %}", obj=theirs, user=user) == str(theirs.pk)
    assert render("{% if obj|may_open:user %}yes{% endif %}", obj=theirs, user=user) == ""
    assert render("{% link obj %}", obj=None, user=user) == ""


def test_the_name_is_escaped_either_way() -> None:
    district = TerritoryFactory()
    organization = OrganizationFactory(territory=district, **named("<b>A & B</b>"))
    user = UserFactory(role=Role.COORDINATOR, territory=district)
    drawn = render("{% link obj %}", obj=organization, user=user)
    assert "&lt;b&gt;A &amp; B&lt;/b&gt;" in drawn
    assert "<b>" not in drawn


def test_many_links_cost_one_query_per_model() -> None:
    district = TerritoryFactory()
    organizations = [OrganizationFactory(territory=district) for _ in range(5)]
    outside = OrganizationFactory()
    user = UserFactory(role=Role.INSTITUTION, organization=organizations[0])
    with CaptureQueriesContext(connection) as queries:
        seen = [may_open(user, organization) for organization in [*organizations, outside]]
        assert may_open(user, district)
    assert seen == [True, False, False, False, False, False]
    # One for the organizations, one for the territories.
    assert len(queries) == 2


def test_an_administrator_opens_everything_without_a_query() -> None:
    user = UserFactory(role=Role.ADMINISTRATOR)
    organization = OrganizationFactory()
    with CaptureQueriesContext(connection) as queries:
        assert may_open(user, organization)
    assert len(queries) == 0


def test_what_lies_in_the_territory_a_user_sees_whole_costs_one_query_in_all() -> None:
    district = TerritoryFactory()
    village = TerritoryFactory(parent=district)
    inside = [OrganizationFactory(territory=place) for place in (district, village, village)]
    elsewhere = TerritoryFactory()
    outside = OrganizationFactory(territory=elsewhere)
    user = UserFactory(role=Role.COORDINATOR, territory=district)
    scope_of(user)  # the scope is computed once per request, before any link
    with CaptureQueriesContext(connection) as queries:
        seen = [may_open(user, organization) for organization in inside]
        assert may_open(user, village)
    # The district's subtree, listed once, answers for territories and organizations alike.
    assert seen == [True, True, True]
    assert len(queries) == 1
    # What lies outside is asked of each model's own rule (a query per model), and refused.
    with CaptureQueriesContext(connection) as queries:
        assert not may_open(user, outside)
        assert not may_open(user, elsewhere)
    assert len(queries) == 2


def test_what_everyone_reads_and_a_wide_role_without_a_territory_cost_no_query() -> None:
    coordinator = UserFactory(role=Role.COORDINATOR, territory=TerritoryFactory())
    observer = UserFactory(role=Role.OBSERVER, territory=None)
    program = ProgramFactory()
    organization = OrganizationFactory()
    scope_of(coordinator), scope_of(observer)
    with CaptureQueriesContext(connection) as queries:
        assert may_open(coordinator, program)
        assert may_open(observer, organization)
    assert len(queries) == 0
