"""The home page for each role: what appears, that the counts are right and scoped, that
every number links to a list showing as many rows, and that the page's queries do not grow
with the data. Also the traffic light of an assignment, the same on every page.

The world: region R with districts A and B; akimats in A and B, a school in A, a regional
department. The project office of R controls every assignment: three overdue in the
districts and one of the department, one due in two days (A) and one in five (B), one far
off, one done, one reported and one whose report was returned (the school's).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from factories import (
    AgendaItemFactory,
    AssignmentFactory,
    DocumentFactory,
    EventFactory,
    MeetingFactory,
    OrganizationFactory,
    ParticipantFactory,
    PersonFactory,
    ProjectFactory,
    PublicationFactory,
    TerritoryFactory,
    UserFactory,
    WorkPlanFactory,
)
from kense.accounts.models import User
from kense.assignments.light import Light, light_badge, light_of
from kense.assignments.models import (
    Assignment,
    DeadlineKind,
    ExecutionReport,
    ReportOutcome,
    Status,
)
from kense.core.permissions import Role
from kense.documents.models import Distribution, Recipient
from kense.home.today import Figure, Tally
from kense.registry.models import Organization, OrganizationKind, Territory, TerritoryKind

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


@dataclass
class World:
    region: Territory
    a: Territory
    b: Territory
    akimat_a: Organization
    akimat_b: Organization
    school_a: Organization
    department: Organization
    office: User
    executive: User
    observer: User
    coordinator_a: User
    coordinator_b: User
    school: User
    department_user: User
    assignments: dict[str, Assignment]

    def client(self, user: User) -> Client:
        client = Client()
        client.force_login(user, backend=MODEL_BACKEND)
        return client

    def assignment(self, key: str, **fields: Any) -> Assignment:
        fields.setdefault("lead_organization", self.akimat_a)
        fields.setdefault("controller", self.office)
        assignment = AssignmentFactory(**fields)
        self.assignments[key] = assignment
        return assignment


@pytest.fixture
def world(db: Any) -> World:
    region = TerritoryFactory(kind=TerritoryKind.REGION, name_kk="Облыс", name_en="Region")
    a = TerritoryFactory(parent=region, name_kk="Алпыс ауданы", name_en="Alpha district")
    b = TerritoryFactory(parent=region, name_kk="Бета ауданы", name_en="Beta district")
    akimat_a = OrganizationFactory(territory=a, kind=OrganizationKind.AKIMAT)
    akimat_b = OrganizationFactory(territory=b, kind=OrganizationKind.AKIMAT)
    school_a = OrganizationFactory(territory=a, kind=OrganizationKind.SCHOOL)
    department = OrganizationFactory(territory=region, kind=OrganizationKind.DEPARTMENT)
    w = World(
        region,
        a,
        b,
        akimat_a,
        akimat_b,
        school_a,
        department,
        office=UserFactory(role=Role.PROJECT_OFFICE, territory=region, person=PersonFactory()),
        executive=UserFactory(role=Role.EXECUTIVE, territory=region, person=PersonFactory()),
        observer=UserFactory(role=Role.OBSERVER, territory=region),
        coordinator_a=UserFactory(role=Role.COORDINATOR, territory=a, person=PersonFactory()),
        coordinator_b=UserFactory(role=Role.COORDINATOR, territory=b),
        school=UserFactory(role=Role.INSTITUTION, organization=school_a),
        department_user=UserFactory(role=Role.DEPARTMENT, organization=department),
        assignments={},
    )
    w.assignment("overdue_a", deadline=days(-10), text_kk="Кешіккен А", text_en="Late in A")
    w.assignment("overdue_school", lead_organization=school_a, deadline=days(-3))
    w.assignment("overdue_b", lead_organization=akimat_b, deadline=days(-1), text_en="Late in B")
    w.assignment("overdue_department", lead_organization=department, deadline=days(-5))
    w.assignment("soon_a", deadline=days(2))
    w.assignment("week_b", lead_organization=akimat_b, deadline=days(5))
    w.assignment("later_a", deadline=days(30))
    w.assignment("done_a", deadline=days(-20), status=Status.DONE, done_at=timezone.now())
    reported = w.assignment("reported_a", deadline=days(10), status=Status.REPORTED)
    ExecutionReport.objects.create(assignment=reported, text="Done it", author=w.coordinator_a)
    returned = w.assignment("returned_school", lead_organization=school_a, deadline=days(20))
    ExecutionReport.objects.create(
        assignment=returned,
        text="Half done",
        author=w.school,
        outcome=ReportOutcome.RETURNED,
        reviewed_by=w.office,
        reviewed_at=timezone.now(),
        review_comment="Attach the photos",
    )
    return w


def get_home(client: Client) -> Any:
    response = client.get("/en/")
    assert response.status_code == 200
    return response


def figures_of(context: Any) -> list[Figure]:
    summary = context["summary"]
    found = [*summary.figures, *summary.approvals, *context.get("my_queue", [])]
    for figure in (
        summary.meetings,
        summary.events,
        summary.ideas,
        summary.publications,
        summary.unlinked_publications,
    ):
        if figure is not None:
            found.append(figure)
    for key in ("to_report", "to_acknowledge"):
        if context.get(key) is not None:
            found.append(context[key])
    return found


def figure(context: Any, label: str) -> Figure:
    return next(f for f in figures_of(context) if str(f.label) == label)


def listed(client: Client, url: str, label: str = "") -> int:
    """How many rows the list at `url` says it has (as its page counts them)."""
    response = client.get(url)
    assert response.status_code == 200, url
    context = response.context
    if "/review/" in url:
        return len(context["reports"] if "Reports" in label else context["extensions"])
    if "/documents/inbox/" in url:
        return sum(1 for _recipient, state in context["rows"] if state != "acknowledged")
    return int(context["page"].paginator.count)


ROLES = ["office", "executive", "observer", "coordinator_a", "coordinator_b", "school"]


@pytest.mark.parametrize("role", [*ROLES, "department_user"])
def test_every_number_on_the_home_leads_to_a_list_of_as_many(world: World, role: str) -> None:
    client = world.client(getattr(world, role))
    context = get_home(client).context
    numbers = figures_of(context)
    assert numbers
    for number in numbers:
        assert listed(client, number.url, str(number.label)) == number.count, number
    summary = context["summary"]
    for row in [*summary.by_territory, *summary.by_organization]:
        assert isinstance(row, Tally)
        assert listed(client, row.overdue_url) == row.overdue, row
        assert listed(client, row.week_url) == row.week, row


EXPECTED = {
    # role: (overdue, due in the next 7 days, reported)
    "office": (4, 2, 1),
    "executive": (4, 2, 1),
    "observer": (4, 2, 1),
    "coordinator_a": (2, 1, 1),
    "coordinator_b": (1, 1, 0),
    "school": (1, 0, 0),
    "department_user": (1, 0, 0),
}


@pytest.mark.parametrize("role", list(EXPECTED))
def test_the_counts_are_the_roles_own(world: World, role: str) -> None:
    context = get_home(world.client(getattr(world, role))).context
    overdue, week, reported = EXPECTED[role]
    assert figure(context, "Overdue").count == overdue
    assert figure(context, "Due in the next 7 days").count == week
    assert figure(context, "Reported, awaiting acceptance").count == reported


def test_a_coordinator_never_sees_another_district(world: World) -> None:
    page_b = get_home(world.client(world.coordinator_b)).content.decode()
    assert "Late in B" in page_b
    assert "Late in A" not in page_b
    assert "Alpha district" not in page_b
    page_a = get_home(world.client(world.coordinator_a)).content.decode()
    assert "Late in A" in page_a
    assert "Late in B" not in page_a
    assert "Beta district" not in page_a


def test_the_office_sees_the_districts_and_organizations_worst_first(world: World) -> None:
    context = get_home(world.client(world.office)).context
    by_territory = [(row.name, row.overdue, row.week) for row in context["summary"].by_territory]
    assert by_territory == [("Alpha district", 2, 1), ("Beta district", 1, 1)]
    by_organization = context["summary"].by_organization
    # Four organizations with one overdue each: those also due this week first (the akimats).
    assert [(row.overdue, row.week) for row in by_organization] == [(1, 1), (1, 1), (1, 0), (1, 0)]
    assert {row.name for row in by_organization[:2]} == {
        str(world.akimat_a.short_name or world.akimat_a.name),
        str(world.akimat_b.short_name or world.akimat_b.name),
    }
    # The worst first: the longest overdue opens the list.
    assert context["top_assignments"][0] == world.assignments["overdue_a"]
    queue = {str(f.label): f.count for f in context["my_queue"]}
    assert queue == {
        "Reports awaiting my acceptance": 1,
        "Extension requests awaiting my decision": 0,
    }


def test_the_coordinator_sees_its_work(world: World) -> None:
    context = get_home(world.client(world.coordinator_a)).context
    top = context["top_assignments"]
    assert world.assignments["overdue_a"] in top
    assert all(a.territory_id == world.a.pk for a in top)
    # A's open: two overdue (the akimat's, the school's), soon, later, reported, returned.
    assert context["to_report"].count == 6
    assert "by_territory" not in context or not context["summary"].by_territory
    assert [r.assignment for r in context["returned"]] == [world.assignments["returned_school"]]


def test_the_school_sees_the_report_returned_and_documents_to_acknowledge(world: World) -> None:
    document = DocumentFactory()
    distribution = Distribution.objects.create(
        document=document,
        organization_kinds=[OrganizationKind.SCHOOL],
        deadline=days(3),
        sent_by=world.office,
    )
    Recipient.objects.create(distribution=distribution, organization=world.school_a)
    client = world.client(world.school)
    response = get_home(client)
    context = response.context
    assert [r.assignment for r in context["returned"]] == [world.assignments["returned_school"]]
    assert context["to_acknowledge"].count == 1
    page = response.content.decode()
    assert "Attach the photos" in page
    # The office sees the document's rate: none of one acknowledged.
    office = get_home(world.client(world.office)).context
    rates = office["summary"].acknowledgments
    assert [(r.document, r.acknowledged, r.total) for r in rates] == [(document, 0, 1)]


def test_upcoming_meetings_say_how_far_they_are_prepared(world: World) -> None:
    start = timezone.now() + datetime.timedelta(days=3)
    meeting = MeetingFactory(
        organizer=world.akimat_a, start=start, end=start + datetime.timedelta(hours=2)
    )
    AgendaItemFactory(meeting=meeting)
    ParticipantFactory(meeting=meeting, invited_at=timezone.now())
    ParticipantFactory(meeting=meeting)
    far = timezone.now() + datetime.timedelta(days=40)
    MeetingFactory(organizer=world.akimat_a, start=far, end=far + datetime.timedelta(hours=1))
    client = world.client(world.office)
    response = get_home(client)
    context = response.context
    [prep] = context["upcoming_meetings"]
    assert (prep.meeting, prep.items, prep.participants, prep.invited) == (meeting, 1, 2, 1)
    assert not prep.ready
    assert "Invited 1 of 2" in response.content.decode()
    assert figure(context, "Meetings in the next 14 days").count == 1
    # Coordinator B's district holds no meeting: it says so.
    page_b = get_home(world.client(world.coordinator_b)).content.decode()
    assert "No meetings in the next 14 days." in page_b


def test_work_plans_awaiting_approval_are_counted_for_the_office(world: World) -> None:
    WorkPlanFactory(territory=world.a, status="submitted")
    WorkPlanFactory(territory=world.b, status="draft")
    context = get_home(world.client(world.office)).context
    assert figure(context, "Work plans awaiting approval").count == 1


@pytest.mark.parametrize("role", ["office", "executive"])
def test_minutes_awaiting_approval_are_the_held_meetings_not_yet_approved(
    world: World, role: str
) -> None:
    held = MeetingFactory(organizer=world.akimat_a, state="held")
    MeetingFactory(organizer=world.akimat_b, state="approved", approved_at=timezone.now())
    MeetingFactory(organizer=world.akimat_a, state="in_progress")  # the minutes not done yet
    client = world.client(getattr(world, role))

    number = figure(get_home(client).context, "Minutes awaiting approval")

    assert number.count == 1
    page = client.get(number.url)
    assert [obj for obj, _cells in page.context["rows"]] == [held]


def test_the_office_counts_the_recent_publications_not_linked_yet(world: World) -> None:
    outlet = OrganizationFactory(territory=world.a, kind=OrganizationKind.MEDIA)
    loose = [PublicationFactory(outlet=outlet, date=days(-n)) for n in (1, 3, 12)]
    PublicationFactory(outlet=outlet, date=days(-40))  # not linked, but older than a month
    for link in ("events", "projects", "meetings"):
        linked = PublicationFactory(outlet=outlet, date=days(-2))
        target = {"events": EventFactory, "projects": ProjectFactory, "meetings": MeetingFactory}
        getattr(linked, link).add(target[link]())
    client = world.client(world.office)
    context = get_home(client).context

    number = figure(context, "Not linked yet")
    assert number.count == 3
    assert "unlinked=on" in number.url
    page = client.get(number.url)
    assert page.context["page"].paginator.count == 3
    assert {obj for obj, _cells in page.context["rows"]} == set(loose)
    # The short list beside it is the head of the same list.
    assert context["unlinked_publications"] == sorted(loose, key=lambda p: p.date, reverse=True)


def test_the_observer_reads_a_summary_without_a_queue(world: World) -> None:
    context = get_home(world.client(world.observer)).context
    assert "my_queue" not in context
    assert context["summary"].by_territory


def test_the_home_counts_are_kept_a_minute_per_scope(world: World) -> None:
    client = world.client(world.office)
    assert figure(get_home(client).context, "Overdue").count == 4
    world.assignment("overdue_more", deadline=days(-2))
    # Within the minute: the same numbers, without counting again.
    assert figure(get_home(client).context, "Overdue").count == 4
    cache.clear()
    assert figure(get_home(client).context, "Overdue").count == 5
    # Each language has its own entry: the names of the breakdowns are said in it.
    russian = client.get("/ru/").context["summary"].by_territory
    assert [row.name for row in russian] == [world.a.name_ru, world.b.name_ru]
    # Another scope has its own numbers.
    assert figure(get_home(world.client(world.coordinator_b)).context, "Overdue").count == 1


@pytest.mark.parametrize("role", [*ROLES, "department_user"])
def test_the_homes_queries_do_not_grow_with_the_data(world: World, role: str) -> None:
    client = world.client(getattr(world, role))
    get_home(client)  # warm what is cached for the process (content types, translations)

    def count() -> int:
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            get_home(client)
        return len(queries)

    few = count()
    for n in range(6):
        world.assignment(f"more_a{n}", deadline=days(-n - 1))
        world.assignment(f"more_b{n}", lead_organization=world.akimat_b, deadline=days(n))
        world.assignment(f"more_s{n}", lead_organization=world.school_a, deadline=days(n))
        world.assignment(f"more_d{n}", lead_organization=world.department, deadline=days(-n))
        OrganizationFactory(territory=world.a)
    assert count() == few


# The traffic light


@pytest.mark.parametrize(
    ("fields", "light"),
    [
        ({"deadline": days(-1)}, Light.OVERDUE),
        ({"deadline": days(-1), "status": Status.REPORTED}, Light.OVERDUE),
        ({"deadline": days(0)}, Light.DUE_SOON),
        ({"deadline": days(3)}, Light.DUE_SOON),
        ({"deadline": days(4)}, Light.ON_TRACK),
        ({"deadline": days(-5), "status": Status.DONE}, Light.DONE),
        ({"deadline": days(-5), "status": Status.WITHDRAWN}, Light.WITHDRAWN),
        ({"deadline": None, "deadline_kind": DeadlineKind.AFTER_LIFTING}, Light.ON_TRACK),
    ],
)
def test_the_light_of_an_assignment(db: Any, fields: dict[str, Any], light: Light) -> None:
    assignment = AssignmentFactory.build(**fields)
    assert light_of(assignment) == light


def test_a_recurring_rule_is_never_overdue(db: Any) -> None:
    rule = AssignmentFactory.build(
        deadline_kind=DeadlineKind.RECURRING, deadline=days(-3), parent=None
    )
    assert light_of(rule) == Light.ON_TRACK


def test_the_due_soon_days_are_a_setting(db: Any, settings: Any) -> None:
    settings.KENSE_DUE_SOON_DAYS = 7
    assert light_of(AssignmentFactory.build(deadline=days(6))) == Light.DUE_SOON


def test_the_badge_says_the_light_in_words(db: Any) -> None:
    with translation.override("en"):
        badge = light_badge(AssignmentFactory.build(deadline=days(-1), status=Status.REPORTED))
        assert 'class="light light-overdue"' in badge.__html__()
        assert str(badge) == "Overdue; Reported, awaiting acceptance"


def test_the_light_is_drawn_the_same_on_every_page(world: World) -> None:
    """The home, the inbox, the list and the assignment's page draw one badge."""
    late = world.assignments["overdue_a"]
    client = world.client(world.coordinator_a)
    with translation.override("en"):  # the pages below are read in English
        badge = light_badge(late).__html__()
        own_page = late.get_absolute_url()
    for url in ("/en/", "/en/assignments/inbox/", "/en/assignments/", own_page):
        page = client.get(url).content.decode()
        assert badge in page, url


def test_the_inbox_of_a_wide_role_holds_what_it_controls_and_points_to_the_overdue(
    world: World,
) -> None:
    """The project office leads nothing itself but controls every assignment here: its inbox
    lists them (it opened empty before); an akim, who neither leads nor controls, is pointed
    to what is overdue in the territory, and the link leads to as many."""
    client = world.client(world.office)
    response = client.get("/en/assignments/inbox/")
    open_ones = [a for a in world.assignments.values() if a.status in ("under_control", "reported")]
    assert response.context["page"].paginator.count == len(open_ones)
    assert {row.part for row in response.context["rows"]} == {"Controller"}
    akim = world.client(world.executive)
    response = akim.get("/en/assignments/inbox/")
    assert response.context["page"].paginator.count == 0
    overdue = response.context["overdue"]
    assert overdue["count"] == 4
    assert listed(akim, overdue["url"]) == 4
    # A coordinator's inbox is its territory's, without the pointer.
    assert "overdue" not in world.client(world.coordinator_a).get("/en/assignments/inbox/").context
