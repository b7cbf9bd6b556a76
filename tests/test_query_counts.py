"""Every list page and list endpoint runs a fixed number of queries, however many rows it shows.

One table, `ROWS`: each row names a page (by its URL name) or an API endpoint (by its path in
the OpenAPI document), says how to grow its data by n rows, and pins its query count. The test
grows every row's data to 3 rows, pins the count, grows it to 12 and requires the same count (a
count that grows with the rows is an N+1 query). Pages are seen under /kk/ by a project-office
user linked to a person, so that the header, the history and the comments print people as they
do in production; the API is asked by the same user with a bearer token.

What must have a row, checked by the completeness tests below (each fails naming what lacks
one):

* API: every GET operation of `kense.api.api` whose 200 response, in the OpenAPI document, is an
  array, a page (`{items, count}`), or an object with an array among its top-level properties
  (`/results`, `/rankings`, `/report-forms/{id}/rates`, tracking, plan fact and diff), except a
  detail, whose path ends in its object's `{…_id}`. A POST that answers an array (postponing the
  events of an emergency) is a write, with a write's budget, not a list.
* Pages: every named URL outside `admin:` and `api:` is either a row of the table or in
  `NOT_LIST_PAGES` with why it is not a list page (a form, an action, a download, a detail…).
  Classifying every URL is deliberate: no rule read off a view can tell a new list page built
  by hand (the calendar, the inbox) from a form, so a new page fails the test until someone
  decides which it is. A view that calls `render_list` or `paginate` cannot be classified as
  not a list.

Detail pages with rows of their own (the registry's and the programs' details and histories)
stay in the table. Counts differ between SQLite and PostgreSQL where a row says so (`postgresql`).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone, translation

from factories import (
    AgendaItemFactory,
    AppointmentFactory,
    AssignmentFactory,
    DecisionFactory,
    DirectionFactory,
    DisruptionFactory,
    DocumentFactory,
    EventFactory,
    IdeaFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    MeetingFactory,
    MethodologyFactory,
    OrganizationFactory,
    PersonFactory,
    PlanItemFactory,
    PositionFactory,
    ProgramFactory,
    ProjectFactory,
    PublicationFactory,
    ReportFormFactory,
    StaffPostFactory,
    TargetFactory,
    TerritoryFactory,
    UserFactory,
    WorkPlanFactory,
)
from kense.accounts.models import ApiToken, User
from kense.core.models import Comment
from kense.core.permissions import Role
from kense.indicators import reports as indicator_reports
from kense.indicators.models import Indicator, Methodology, ReportForm
from kense.meetings.models import Meeting
from kense.programs import services as program_services
from kense.programs.models import Program, Project
from kense.registry import services as registry_services
from kense.registry.models import (
    Organization,
    OrganizationKind,
    OrganizationParentPeriod,
    Person,
    Position,
    Territory,
    TerritoryKind,
    TerritoryParentPeriod,
)

pytestmark = pytest.mark.django_db

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
PAST = datetime.date(2020, 1, 1)
API = "/api/v1"


@pytest.fixture(autouse=True)
def _in_kazakh_pages() -> Any:
    """Pages under /kk/, whatever language an earlier test left active."""
    with translation.override("kk"):
        yield


@dataclass
class Scene:
    """The region, the user who looks at it, and the objects the detail pages show."""

    region: Territory
    district: Territory
    user: User
    client: Client
    api: Client
    position: Position
    program: Program
    parent_organization: Organization
    office: Organization
    organization: Organization
    person: Person
    project: Project
    created: dict[str, int] = field(default_factory=dict)
    made: dict[str, Any] = field(default_factory=dict)

    def counter(self, name: str, n: int) -> range:
        """Numbers for the next n objects of a kind, so that names stay unique."""
        start = self.created.get(name, 0)
        self.created[name] = start + n
        return range(start, start + n)

    def once(self, name: str, make: Callable[[], Any]) -> Any:
        """The object a row grows under (a meeting for its items), made on the first call."""
        if name not in self.made:
            self.made[name] = make()
        return self.made[name]


@pytest.fixture
def scene() -> Scene:
    region = TerritoryFactory(name_kk="Ұлытау облысы", kind=TerritoryKind.REGION)
    district = TerritoryFactory(name_kk="Жаңаарқа ауданы", parent=region)
    user = UserFactory(
        role=Role.PROJECT_OFFICE,
        territory=region,
        person=PersonFactory(surname_kk="Сейітова", given_name_kk="Айгерім"),
    )
    client = Client()
    client.force_login(user, backend=MODEL_BACKEND)
    # A token used just now: requests do not write last_used_at, the count is the endpoint's.
    token, key = ApiToken.issue(user=user, name="query counts")
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    program = ProgramFactory(name_kk="Сарыарқа мұрасы")
    parent_organization = OrganizationFactory(name_kk="Облыс әкімдігі", territory=region)
    return Scene(
        region=region,
        district=district,
        user=user,
        client=client,
        api=Client(HTTP_AUTHORIZATION=f"Bearer {key}", HTTP_ACCEPT_LANGUAGE="kk"),
        position=PositionFactory(code="specialist", name_kk="Маман"),
        program=program,
        parent_organization=parent_organization,
        office=OrganizationFactory(
            name_kk="Жобалық кеңсе", kind=OrganizationKind.PROJECT_OFFICE, territory=region
        ),
        organization=OrganizationFactory(
            name_kk="Сарыарқа ақпарат", territory=district, parent=parent_organization
        ),
        person=PersonFactory(surname_kk="Нүкенов", given_name_kk="Серік", territory=district),
        project=ProjectFactory(
            name_kk="Сарыарқа жобасы",
            program=program,
            territory=region,
            lead_organization=parent_organization,
        ),
    )


# Growing a row: add n more of everything it shows, and answer its URL's arguments.

Args = dict[str, Any] | None


def _appointed(scene: Scene, organization: Organization, n: int, **values: Any) -> None:
    for i in scene.counter("person", n):
        post = StaffPostFactory(organization=organization, position=scene.position)
        AppointmentFactory(
            person=PersonFactory(surname_kk=f"Сарыарқаев{i}"),
            organization=organization,
            position=scene.position,
            post=post,
            title_kk=f"Маман {i}",
            **values,
        )


def _co_executed(scene: Scene, work: Program | Project, n: int) -> None:
    # Through the table, so that the audit trail (m2m history) stays as it is: the history's
    # own growth is measured apart.
    through = type(work).co_executors.through
    key = f"{type(work).__name__.lower()}_id"
    through.objects.bulk_create(
        through(
            **{key: work.pk, "organization_id": OrganizationFactory(territory=scene.district).pk}
        )
        for _ in range(n)
    )


def _commented(scene: Scene, obj: Any, n: int) -> None:
    for i in range(n):
        Comment.objects.create(target=obj, author=scene.user, text=f"Пікір {i}")


# The registry


def territory_list(scene: Scene, n: int) -> Args:
    for i in scene.counter("territory", n):
        TerritoryFactory(name_kk=f"Ауыл {i}", parent=scene.district, valid_from=PAST)
    return None


def territory_tree(scene: Scene, n: int) -> Args:
    for i in scene.counter("territory", n):
        child = TerritoryFactory(name_kk=f"Аудан {i}", parent=scene.region, valid_to=PAST)
        TerritoryFactory(name_kk=f"Ауыл {i}", parent=child)
    return None


def territory_tree_on_a_date(scene: Scene, n: int) -> Args:
    for i in scene.counter("territory", n):
        child = TerritoryFactory(name_kk=f"Аудан {i}", parent=scene.region)
        TerritoryParentPeriod.objects.create(territory=child, parent=scene.region, start=PAST)
        TerritoryFactory(name_kk=f"Ауыл {i}", parent=child)
    return None


def territory_detail(scene: Scene, n: int) -> Args:
    district = scene.district
    for i in scene.counter("territory", n):
        TerritoryFactory(name_kk=f"Ауыл {i}", parent=district)
        TerritoryParentPeriod.objects.create(
            territory=district, parent=scene.region, start=datetime.date(2000 + i, 1, 1)
        )
    for i in scene.counter("organization", n):
        organization = OrganizationFactory(name_kk=f"Мектеп {i}", territory=district)
        _appointed(scene, organization, 1)
    return {"pk": district.pk}


def organization_list(scene: Scene, n: int) -> Args:
    for i in scene.counter("organization", n):
        OrganizationFactory(
            name_kk=f"Мектеп {i}", territory=scene.district, parent=scene.parent_organization
        )
    return None


def organization_detail(scene: Scene, n: int) -> Args:
    organization = scene.organization
    _appointed(scene, organization, n)
    _appointed(scene, organization, n, start=PAST, end=datetime.date(2021, 1, 1))
    for i in scene.counter("organization", n):
        OrganizationFactory(name_kk=f"Бөлім {i}", territory=scene.district, parent=organization)
        OrganizationParentPeriod.objects.create(
            organization=organization,
            parent=scene.parent_organization,
            start=datetime.date(2000 + i, 1, 1),
        )
    return {"pk": organization.pk}


def person_list(scene: Scene, n: int) -> Args:
    _appointed(scene, scene.organization, n)
    return None


def person_detail(scene: Scene, n: int) -> Args:
    for i in scene.counter("organization", n):
        organization = OrganizationFactory(name_kk=f"Мектеп {i}", territory=scene.district)
        AppointmentFactory(
            person=scene.person,
            organization=organization,
            position=scene.position,
            post=StaffPostFactory(organization=organization, position=scene.position),
        )
    return {"pk": scene.person.pk}


def staffing(scene: Scene, n: int) -> Args:
    _appointed(scene, scene.office, n)
    for _ in range(n):  # and as many vacant posts
        StaffPostFactory(organization=scene.office, position=scene.position)
    return None


# Programs and projects


def program_list(scene: Scene, n: int) -> Args:
    for i in scene.counter("program", n):
        program = ProgramFactory(name_kk=f"Бағдарлама {i}", lead_organization=scene.office)
        ProjectFactory.create_batch(2, program=program, territory=scene.region)
    return None


def _projects(scene: Scene, n: int, **values: Any) -> None:
    direction = DirectionFactory(program=scene.program)
    for i in scene.counter("project", n):
        ProjectFactory(
            name_kk=f"Сарыарқа жобасы {i}",
            program=scene.program,
            direction=direction,
            territory=scene.district,
            lead_organization=OrganizationFactory(territory=scene.district),
            **values,
        )


def project_list(scene: Scene, n: int) -> Args:
    _projects(scene, n)
    return None


def program_detail(scene: Scene, n: int) -> Args:
    program = scene.program
    for i in scene.counter("direction", n):
        DirectionFactory(program=program, order=i, lead_organization=scene.office)
    _projects(scene, n)
    _co_executed(scene, program, n)
    _commented(scene, program, n)
    return {"pk": program.pk}


def project_detail(scene: Scene, n: int) -> Args:
    project = scene.project
    _projects(scene, n, parent=project)
    _co_executed(scene, project, n)
    _commented(scene, project, n)
    return {"pk": project.pk}


def search(scene: Scene, n: int) -> Args:
    for i in scene.counter("search", n):
        TerritoryFactory(name_kk=f"Сарыарқа {i}", parent=scene.district)
        OrganizationFactory(name_kk=f"Сарыарқа мектебі {i}", territory=scene.district)
        PersonFactory(surname_kk=f"Сарыарқаев{i}", territory=scene.district)
        ProgramFactory(name_kk=f"Сарыарқа бағдарламасы {i}")
    _projects(scene, n)
    return None


# The history of a detail page: n more versions, each saved by the scene's user.


def _edited(scene: Scene, obj: Any, n: int, save: Callable[..., Any], field: str) -> Args:
    for i in scene.counter(f"edit-{type(obj).__name__}", n):
        obj = type(obj)._default_manager.get(pk=obj.pk)
        setattr(obj, field, f"v{i}@example.kz" if field == "email" else f"Version {i}")
        save(obj, user=scene.user)
    return {"pk": obj.pk}


def territory_history(scene: Scene, n: int) -> Args:
    return _edited(scene, scene.district, n, registry_services.territory_save, "name_en")


def organization_history(scene: Scene, n: int) -> Args:
    return _edited(scene, scene.organization, n, registry_services.organization_save, "name_en")


def person_history(scene: Scene, n: int) -> Args:
    return _edited(scene, scene.person, n, registry_services.person_save, "email")


def program_history(scene: Scene, n: int) -> Args:
    return _edited(scene, scene.program, n, program_services.program_save, "name_en")


def project_history(scene: Scene, n: int) -> Args:
    return _edited(scene, scene.project, n, program_services.project_save, "name_en")


# The registry's endpoints


def api_territories(scene: Scene, n: int) -> Args:
    for _ in range(n):
        TerritoryFactory(parent=scene.district, kind=TerritoryKind.SETTLEMENT)
    return None


def api_organizations(scene: Scene, n: int) -> Args:
    for _ in range(n):
        OrganizationFactory(territory=scene.district, parent=scene.parent_organization)
    return None


def api_people(scene: Scene, n: int) -> Args:
    for _ in range(n):
        AppointmentFactory(organization=scene.organization, person__territory=scene.district)
    return None


def api_positions(scene: Scene, n: int) -> Args:
    PositionFactory.create_batch(n)
    return None


def api_staff_posts(scene: Scene, n: int) -> Args:
    StaffPostFactory.create_batch(n, organization=scene.organization)
    return None


def api_appointments(scene: Scene, n: int) -> Args:
    for _ in range(n):
        post = StaffPostFactory(organization=scene.organization)
        AppointmentFactory(organization=scene.organization, post=post, position=post.position)
    return None


# Programs' endpoints


def api_programs(scene: Scene, n: int) -> Args:
    for _ in range(n):
        program = ProgramFactory(lead_organization=scene.organization)
        program.co_executors.set([scene.organization, scene.office])
    return None


def api_directions(scene: Scene, n: int) -> Args:
    for _ in range(n):
        direction = DirectionFactory(program=scene.program, lead_organization=scene.organization)
        direction.co_executors.set([scene.organization])
    return None


def api_projects(scene: Scene, n: int) -> Args:
    direction = scene.once("direction", lambda: DirectionFactory(program=scene.program))
    for _ in range(n):
        project = ProjectFactory(
            program=scene.program,
            direction=direction,
            parent=scene.project,
            territory=scene.district,
            lead_organization=scene.organization,
        )
        project.co_executors.set([scene.organization])
    return None


@dataclass(frozen=True)
class Row:
    url: str  # a page's URL name, or an API path as the OpenAPI document writes it
    grow: Callable[[Scene, int], Args]
    queries: int  # as counted with 3 rows (with an N+1, for information only)
    query: str = ""  # the query string, for a page or endpoint shown with filters
    n_plus_one: str = ""  # why the count grows with the rows (an xfail until fixed)
    postgresql: int | None = None  # the count on PostgreSQL, where it differs
    label: str = ""  # told apart from another row of the same URL by what it grows

    @property
    def id(self) -> str:
        named = f"{self.url}?{self.query}" if self.query else self.url
        return f"{named} ({self.label})" if self.label else named

    def pinned(self) -> int:
        if self.postgresql is not None and connection.vendor == "postgresql":
            return self.postgresql
        return self.queries

    def address(self, args: Args) -> str:
        if self.url.startswith("/"):
            path = self.url.format(**(args or {}))
        else:
            path = reverse(self.url, kwargs=args)
        return f"{path}?{self.query}" if self.query else path


# fmt: off
ROWS: list[Row] = [
    # The registry
    Row("registry:territory_tree",      territory_tree,           7),
    Row("registry:territory_tree",      territory_tree_on_a_date, 7, "on=2021-01-01"),
    Row("registry:territory_list",      territory_list,           7),
    Row("registry:organization_list",   organization_list,        9),
    Row("registry:person_list",         person_list,              9),
    Row("registry:staffing",            staffing,                 9),
    Row(f"{API}/territories",           api_territories,          4),
    Row(f"{API}/organizations",         api_organizations,        4),
    Row(f"{API}/people",                api_people,               4),
    Row(f"{API}/positions",             api_positions,            3),
    Row(f"{API}/staff-posts",           api_staff_posts,          4),
    Row(f"{API}/appointments",          api_appointments,         4),
    # Programs and projects
    Row("programs:program_list",        program_list,             7),
    Row("programs:project_list",        project_list,            10),
    Row(f"{API}/programs",              api_programs,             5),
    Row(f"{API}/directions",            api_directions,           5),
    Row(f"{API}/projects",              api_projects,             5),
    # Search and the dashboard
    Row("home:search",                  search,                  10, "q=сарыарқа"),
    Row("home:dashboard",               search,                  10),
    # Detail pages, growing everything they list but their history…
    Row("registry:territory_detail",    territory_detail,        14),
    Row("registry:organization_detail", organization_detail,     13),
    Row("registry:person_detail",       person_detail,            9),
    Row("programs:program_detail",      program_detail,          14),
    Row("programs:project_detail",      project_detail,          13),
    # … and growing their history, version by version.
    Row("registry:territory_detail",    territory_history,       14, label="history"),
    Row("registry:organization_detail", organization_history,    12, label="history"),
    Row("registry:person_detail",       person_history,           9, label="history"),
    Row("programs:program_detail",      program_history,         14, label="history"),
    Row("programs:project_detail",      project_history,         13, label="history"),
]
# fmt: on


def _cases() -> list[Any]:
    return [
        pytest.param(
            row,
            id=row.id,
            marks=[pytest.mark.xfail(strict=True, reason=row.n_plus_one)] if row.n_plus_one else [],
        )
        for row in ROWS
    ]


@pytest.mark.parametrize("row", _cases())
def test_the_number_of_queries_does_not_grow_with_the_rows(row: Row, scene: Scene) -> None:
    client = scene.api if row.url.startswith("/") else scene.client
    url = row.address(row.grow(scene, 3))
    assert client.get(url).status_code == 200  # warm the caches (content types)

    # Cached values (the dashboard's counts) are computed anew: the work of a cold page is
    # what is pinned.
    small, few = count_queries(client, url)
    url = row.address(row.grow(scene, 9))
    large, many = count_queries(client, url)
    # The rows grown are the rows shown: a row that grows what its page does not show pins
    # nothing.
    assert len(many) > len(few), "the page did not grow with its rows"

    if row.n_plus_one:
        # Compared, not pinned: once fixed, this passes (an XPASS, which strict turns into a
        # failure) and the new count is pinned here.
        assert len(large) == len(small)
        return
    assert (len(small), len(large)) == (row.pinned(), row.pinned()), _listed(large)


def count_queries(client: Client, url: str) -> tuple[list[dict[str, Any]], bytes]:
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return queries.captured_queries, response.content


def _listed(queries: list[dict[str, Any]]) -> str:
    return "the queries with 12 rows:\n" + "\n".join(
        f"{i}. {query['sql']}" for i, query in enumerate(queries, 1)
    )
