"""Every list page and list endpoint runs a fixed number of queries, however many rows it shows.

One table, `ROWS`: a row names a page (its URL name) or an API endpoint (its path as the OpenAPI
document writes it), with the query string it is asked with, says how to grow its data by n
rows (`grow`, which answers the URL's arguments) and pins its number of queries. The test grows
each row to 3 rows and counts, grows it to 12 and requires the same count: a count that grows
with the rows is an N+1 query. It also requires the answer to grow, so that a row cannot pin
an empty list. A known N+1 that cannot be fixed at once is a strict xfail row (`n_plus_one`,
with the reason) until it is. Pages are seen under /kk/ by a project-office user linked to a
person, so that the header, the history and the comments print people as they do in
production; the API is asked by the same user with a bearer token. The counts are the same on
SQLite and PostgreSQL.

What must have a row (the completeness tests below fail naming what has none):

* An endpoint: every GET operation of `kense.api.api` whose 200 answer, in the OpenAPI
  document, is an array, a page (`{items, count}`) or an object with an array among its
  top-level properties (`/results`, `/rankings`, `/report-forms/{form_id}/rates`, tracking,
  plan fact and diff), unless it is a detail: its path ends in its object's `{…_id}`, or
  its array has a fixed length no data grows (`NOT_GROWING_ENDPOINTS`, with why).
  `/me/calendar` answers the feed's address, not a list: the feed itself (`calendar:
  calendar_feed`) is a page row. POST /disruptions/{disruption_id}/postpone answers an array
  but is a write, with a write's budget.
* A page: every named URL outside `admin:` and `api:` is a row or is in `NOT_LIST_PAGES` with
  why it is not a list page (a form, an action, a download, one object's page…). Every URL
  is classified on purpose: a view built with `render_list` can be recognised, but a list
  built by hand (the calendar, the inboxes, the results) cannot be told from a form by any
  rule read off the code, so a new page fails the test until someone decides which it is.
  And a view whose own code calls `render_list` or `paginate` cannot be said not to be a list.

Besides the lists, the registry's and the programs' detail pages keep the rows they had, grown
by what they list and by their history.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.utils import timezone, translation
from shapely.geometry import box

from factories import (
    AgendaItemFactory,
    AppointmentFactory,
    AssignmentFactory,
    DecisionFactory,
    DirectionFactory,
    DocumentFactory,
    EmergencyFactory,
    EventFactory,
    IdeaFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    MeetingFactory,
    MethodologyFactory,
    OrganizationFactory,
    ParticipantFactory,
    PersonFactory,
    PlanItemFactory,
    PositionFactory,
    ProgramFactory,
    ProjectFactory,
    PublicationFactory,
    ReportFactory,
    ReportFormFactory,
    StaffPostFactory,
    TargetFactory,
    TerritoryFactory,
    UserFactory,
    WorkPlanFactory,
)
from kense.accounts.models import ApiToken, TokenKind, User
from kense.api import api
from kense.assignments.models import (
    ExecutionReport,
    Extension,
    ExtensionStatus,
    Reminder,
    ReminderKind,
    Review,
)
from kense.core.models import Attachment, Comment
from kense.core.permissions import Role
from kense.documents import services as document_services
from kense.documents.models import DocumentVersion, Recipient
from kense.geo import services as geo_services
from kense.ideas.models import CitizenAddress, Idea, IdeaSupport
from kense.ideas.views.public import CONFIRMED
from kense.indicators.models import Indicator, Methodology, ReportForm
from kense.meetings import feeds as meeting_feeds
from kense.meetings.models import (
    AgendaItem,
    InvitationGroup,
    Meeting,
    MeetingSeries,
    MinutesAmendment,
)
from kense.notifications.models import Notification, Send
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
from kense.sites.models import Site

pytestmark = pytest.mark.django_db

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
PAST = datetime.date(2020, 1, 1)


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


def _attached(
    scene: Scene, target: Any, n: int, uploaded_by: Callable[[], User] | None = None
) -> None:
    """n more files attached to the target, uploaded by the scene's user unless told: rows
    only, the lists read no file."""
    content_type = ContentType.objects.get_for_model(target)
    for i in scene.counter("attachment", n):
        Attachment.objects.create(
            content_type=content_type,
            object_id=target.pk,
            file=f"attachments/{i}.pdf",
            name=f"Файл {i}.pdf",
            mime_type="application/pdf",
            size=1000,
            uploaded_by=uploaded_by() if uploaded_by else scene.user,
        )


def _someone() -> User:
    """A user named by their person, as the lists name users."""
    return UserFactory(person=PersonFactory())


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
        # Every other kind the search box looks in, found by an inflected form too.
        meeting = MeetingFactory(title_kk=f"Сарыарқаның кеңесі {i}", organizer=scene.organization)
        AgendaItemFactory(meeting=meeting, title_kk=f"Сарыарқадағы жұмыс {i}")
        AssignmentFactory(text_kk=f"Сарыарқаға {i}", lead_organization=scene.organization)
        EventFactory(title_kk=f"Сарыарқа күні {i}", organizer=scene.organization)
        IdeaFactory(title=f"Сарыарқа саябағы {i}", territory=scene.district)
        DocumentFactory(title_kk=f"Сарыарқа туралы {i}")
        PublicationFactory(title=f"Сарыарқадан хабар {i}", outlet__territory=scene.district)
    _projects(scene, n)
    return None


def home(scene: Scene, n: int) -> Args:
    """Overdue assignments in n more districts, each led by an organization of its own: the
    home's counts and its breakdowns by district and by organization grow."""
    for i in range(n):
        district = TerritoryFactory(parent=scene.region)
        AssignmentFactory(
            lead_organization=OrganizationFactory(territory=district),
            deadline=timezone.localdate() - datetime.timedelta(days=i + 1),
            controller=scene.user,
        )
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


def api_territories_on(scene: Scene, n: int) -> Args:
    """Territories moved under the district, each with its periods: the parent on the date."""
    for i in scene.counter("territory", n):
        moved = TerritoryFactory(parent=scene.district, kind=TerritoryKind.SETTLEMENT)
        TerritoryParentPeriod.objects.create(
            territory=moved, parent=scene.region, end=datetime.date(2000 + i, 1, 1)
        )
        TerritoryParentPeriod.objects.create(
            territory=moved, parent=scene.district, start=datetime.date(2000 + i, 1, 1)
        )
    return None


def api_organizations_on(scene: Scene, n: int) -> Args:
    for i in scene.counter("organization", n):
        moved = OrganizationFactory(territory=scene.district, parent=scene.parent_organization)
        OrganizationParentPeriod.objects.create(
            organization=moved,
            parent=scene.parent_organization,
            start=datetime.date(2000 + i, 1, 1),
        )
    return None


def api_territory_moves(scene: Scene, n: int) -> Args:
    for i in scene.counter("territory", n):
        TerritoryParentPeriod.objects.create(
            territory=scene.district, parent=scene.region, start=datetime.date(2000 + i, 1, 1)
        )
    return {"territory_id": scene.district.pk}


def api_organization_moves(scene: Scene, n: int) -> Args:
    for i in scene.counter("organization", n):
        OrganizationParentPeriod.objects.create(
            organization=scene.organization,
            parent=scene.parent_organization,
            start=datetime.date(2000 + i, 1, 1),
        )
    return {"organization_id": scene.organization.pk}


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


# Meetings and assignments' endpoints


def _in_days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def api_meetings(scene: Scene, n: int) -> Args:
    chair = scene.once("chair", PersonFactory)
    for _ in range(n):
        meeting = MeetingFactory(
            organizer=scene.organization, chair=chair, secretary=PersonFactory()
        )
        meeting.programs.set([scene.program])
    return None


def _meeting(scene: Scene) -> Meeting:
    return scene.once("meeting", lambda: MeetingFactory(organizer=scene.organization))


def api_agenda_items(scene: Scene, n: int) -> Args:
    meeting = _meeting(scene)
    for _ in range(n):
        item = AgendaItemFactory(meeting=meeting)
        item.speakers.set([PersonFactory()])
        item.projects.set([scene.project])
        DecisionFactory(item=item)
    return {"meeting_id": meeting.pk}


def api_agenda_attachments(scene: Scene, n: int) -> Args:
    """Files of one agenda item, each uploaded by someone else."""
    meeting = _meeting(scene)
    item: AgendaItem = scene.once("item", lambda: AgendaItemFactory(meeting=meeting))
    _attached(scene, item, n, uploaded_by=_someone)
    return {"meeting_id": meeting.pk, "item_id": item.pk}


def api_participants(scene: Scene, n: int) -> Args:
    """Participants of a meeting, each of an organization, invited with a group, replaced by
    a deputy."""
    meeting = _meeting(scene)
    group = scene.once(
        "participant group",
        lambda: InvitationGroup.objects.create(name="Орынбасарлар", position=scene.position),
    )
    for _ in range(n):
        ParticipantFactory(
            meeting=meeting,
            organization=OrganizationFactory(territory=scene.district),
            group=group,
            attendance="replaced",
            replaced_by=PersonFactory(),
        )
    return {"meeting_id": meeting.pk}


def api_amendments(scene: Scene, n: int) -> Args:
    """Amendments to a meeting's approved minutes, each by someone else."""
    meeting = scene.once(
        "approved meeting",
        lambda: MeetingFactory(organizer=scene.organization, state="approved"),
    )
    for i in scene.counter("amendment", n):
        MinutesAmendment.objects.create(meeting=meeting, text=f"Түзету {i}", author=_someone())
    return {"meeting_id": meeting.pk}


def api_meeting_series(scene: Scene, n: int) -> Args:
    for i in scene.counter("series", n):
        MeetingSeries.objects.create(
            title_kk=f"Апталық кеңес {i}",
            title_ru=f"Еженедельное совещание {i}",
            recurrence="weekly",
        )
    return None


def api_group_members(scene: Scene, n: int) -> Args:
    """The holders of a group's post today: people of the district's organizations."""
    group = scene.once(
        "group",
        lambda: InvitationGroup.objects.create(
            name="Мектеп директорлары", position=PositionFactory()
        ),
    )
    for _ in range(n):
        organization = OrganizationFactory(territory=scene.district)
        AppointmentFactory(
            person=PersonFactory(territory=scene.district),
            organization=organization,
            position=group.position,
            post=StaffPostFactory(organization=organization, position=group.position),
            start=PAST,
        )
    return {"group_id": group.pk}


def _assignments(scene: Scene, n: int) -> None:
    """Assignments of an earlier meeting, each with its lead person, controller and two
    co-executors."""
    meeting = scene.once(
        "approved meeting",
        lambda: MeetingFactory(organizer=scene.organization, state="approved"),
    )
    for _ in range(n):
        assignment = AssignmentFactory(
            lead_organization=scene.organization,
            lead_person=PersonFactory(),
            meeting=meeting,
            source_kind="meeting",
            deadline=_in_days(30),
            controller=UserFactory(person=PersonFactory()),
        )
        assignment.co_executors.set([scene.organization, scene.office])


def api_assignments(scene: Scene, n: int) -> Args:
    _assignments(scene, n)
    return None


def api_review_candidates(scene: Scene, n: int) -> Args:
    start = timezone.now() + datetime.timedelta(days=7)
    meeting = scene.once(
        "later meeting",
        lambda: MeetingFactory(
            organizer=scene.organization,
            state="draft",
            start=start,
            end=start + datetime.timedelta(hours=2),
        ),
    )
    _assignments(scene, n)
    return {"meeting_id": meeting.pk}


def api_extract_organizations(scene: Scene, n: int) -> Args:
    """The organizations leading the meeting's assignments, n more of them."""
    meeting = scene.once(
        "approved meeting",
        lambda: MeetingFactory(organizer=scene.organization, state="approved"),
    )
    for _ in range(n):
        AssignmentFactory(
            lead_organization=OrganizationFactory(territory=scene.district),
            meeting=meeting,
            source_kind="meeting",
        )
    return {"meeting_id": meeting.pk}


def api_reviews(scene: Scene, n: int) -> Args:
    """A later meeting's decisions on earlier assignments: each handed to a new lead, decided
    by someone else."""
    meeting = _meeting(scene)
    for _ in range(n):
        Review.objects.create(
            meeting=meeting,
            assignment=AssignmentFactory(lead_organization=scene.organization),
            choice="reassign",
            new_lead_organization=OrganizationFactory(territory=scene.district),
            decided_by=_someone(),
        )
    return {"meeting_id": meeting.pk}


def _assignment(scene: Scene) -> Any:
    return scene.once("assignment", lambda: AssignmentFactory(lead_organization=scene.organization))


def api_extensions(scene: Scene, n: int) -> Args:
    """An assignment's extensions, each asked by one user and decided by another."""
    assignment = _assignment(scene)
    for _ in range(n):
        Extension.objects.create(
            assignment=assignment,
            requested_by=_someone(),
            new_deadline=_in_days(60),
            reason="Уақыт керек.",
            status=ExtensionStatus.GRANTED,
            decided_by=_someone(),
            decided_at=timezone.now(),
        )
    return {"assignment_id": assignment.pk}


def api_report_files(scene: Scene, n: int) -> Args:
    assignment = _assignment(scene)
    report = scene.once(
        "execution report",
        lambda: ExecutionReport.objects.create(
            assignment=assignment, text="Орындалды.", author=_someone()
        ),
    )
    _attached(scene, report, n)
    return {"assignment_id": assignment.pk, "report_id": report.pk}


def api_tokens(scene: Scene, n: int) -> Args:
    for i in scene.counter("token", n):
        ApiToken.issue(user=scene.user, name=f"script {i}")
    return None


def api_users(scene: Scene, n: int) -> Args:
    for i in scene.counter("account", n):
        UserFactory(
            role=Role.COORDINATOR,
            territory=scene.district,
            person=PersonFactory(surname_kk=f"Сарыарқаев{i}"),
        )
    return None


def api_user_history(scene: Scene, n: int) -> Args:
    account = scene.once(
        "account", lambda: UserFactory(role=Role.COORDINATOR, territory=scene.district)
    )
    for i in scene.counter("account version", n):
        account.first_name = f"Атауы {i}"
        account._history_user = scene.user
        account.save()
    return {"user_id": account.pk}


def api_service_tokens(scene: Scene, n: int) -> Args:
    for i in scene.counter("service token", n):
        ApiToken.issue(
            user=scene.user,
            name=f"integration {i}",
            kind=TokenKind.SERVICE,
            permissions=["reports:read"],
            expires_at=timezone.now() + datetime.timedelta(days=30),
            created_by=scene.user,
        )
    return None


# Events, plans and emergencies' endpoints


def _events(scene: Scene, n: int, **values: Any) -> None:
    for i in scene.counter("event", n):
        event = EventFactory(
            program=scene.program,
            project=scene.project,
            organizer=scene.organization,
            start=datetime.date(2020, 4, 1 + i % 28),
            end=datetime.date(2020, 4, 1 + i % 28),
            **values,
        )
        event.co_organizers.add(OrganizationFactory(territory=scene.district))


def api_events(scene: Scene, n: int) -> Args:
    _events(scene, n)
    return None


def api_plans(scene: Scene, n: int) -> Args:
    for _ in range(n):
        PlanItemFactory(
            plan=WorkPlanFactory(territory=scene.district, organization=scene.organization)
        )
    return None


def _emergency(scene: Scene, **values: Any) -> Any:
    return scene.once(
        "disruption",
        lambda: EmergencyFactory(territories=[scene.region], declared_by=scene.user, **values),
    )


def api_disruptions(scene: Scene, n: int) -> Args:
    for i in scene.counter("disruption", n):
        EmergencyFactory(
            start=datetime.date(2021, 1, 1 + i),
            territories=[scene.region, scene.district],
            declared_by=scene.user,
        )
    return None


def api_affected_events(scene: Scene, n: int) -> Args:
    emergency = _emergency(scene)
    _events(scene, n)
    return {"disruption_id": emergency.pk}


def api_proposals(scene: Scene, n: int) -> Args:
    emergency = _emergency(scene, lifted_on=datetime.date(2020, 6, 1))
    _events(scene, n, status="postponed", emergency=emergency, reason="Карантин")
    return {"disruption_id": emergency.pk}


def _plan_versions(scene: Scene, n: int) -> Any:
    """A plan of the district, approved and amended n more times, an item added each time."""
    plan = scene.once(
        "plan", lambda: WorkPlanFactory(territory=scene.district, organization=scene.organization)
    )
    for _ in range(n):
        PlanItemFactory(plan=plan, responsible=scene.organization)
        # Through the plan's own buttons (kense.events' modules are being moved).
        for step in ("events:plan_submit", "events:plan_approve", "events:plan_amend"):
            assert scene.client.post(reverse(step, args=[plan.pk])).status_code == 302
    PlanItemFactory(plan=plan, responsible=scene.organization)
    return plan


def api_plan_diff(scene: Scene, n: int) -> Args:
    return {"plan_id": _plan_versions(scene, n).pk}


def api_plan_versions(scene: Scene, n: int) -> Args:
    return api_plan_diff(scene, n)


def api_plan_fact(scene: Scene, n: int) -> Args:
    plan = scene.once("plan", lambda: WorkPlanFactory(territory=scene.district))
    for i in scene.counter("event", n):
        item = PlanItemFactory(plan=plan, responsible=scene.organization)
        EventFactory(organizer=scene.organization, plan_item=item, status="held")
        EventFactory(
            organizer=scene.organization,
            status="held",
            beyond_plan=True,
            start=datetime.date(2020, 9, 1 + i % 28),
            end=datetime.date(2020, 9, 1 + i % 28),
        )
    return {"plan_id": plan.pk}


# Indicators, reports and results' endpoints


def _indicators(scene: Scene, n: int) -> None:
    for _ in range(n):
        district = TerritoryFactory(parent=scene.region)
        indicator = IndicatorFactory()
        TargetFactory(indicator=indicator, territory=district)
        IndicatorValueFactory(indicator=indicator, territory=district)


def api_indicators(scene: Scene, n: int) -> Args:
    _indicators(scene, n)
    return None


def _form(scene: Scene) -> ReportForm:
    def make() -> ReportForm:
        indicators = [
            Indicator.objects.create(
                code=code, name_kk=code, name_ru=code, source="reported", order=order
            )
            for order, code in enumerate(["pupils", "girls"])
        ]
        return ReportFormFactory(indicators=indicators, territories=[scene.district])

    return scene.once("form", make)


def _reported(scene: Scene, n: int) -> ReportForm:
    """n more districts on the form, each with its report of the first quarter of 2020."""
    form = _form(scene)
    for _ in range(n):
        district = TerritoryFactory(parent=scene.region)
        form.territories.add(district)
        ReportFactory(form=form, territory=district, year=2020, period_number=1)
    return form


def api_report_forms(scene: Scene, n: int) -> Args:
    indicators = list(_form(scene).indicators.all())
    for _ in range(n):
        ReportFormFactory(indicators=indicators, territories=[scene.district, scene.region])
    return None


def api_reports(scene: Scene, n: int) -> Args:
    _reported(scene, n)
    return None


def api_form_rates(scene: Scene, n: int) -> Args:
    return {"form_id": _reported(scene, n).pk}


def _valued(indicator: Indicator, territory: Territory, value: int) -> None:
    for year in (2019, 2020):
        IndicatorValueFactory(indicator=indicator, territory=territory, year=year, value=value)
        TargetFactory(indicator=indicator, territory=territory, year=year, value=15)


def _results(scene: Scene, n: int) -> Methodology:
    """n more cities and districts of the region and one more indicator, with values and
    targets for 2019 and 2020; the methodology of 2020 ranks them by two of the indicators."""
    indicators: list[Indicator] = scene.once(
        "result indicators",
        lambda: [
            IndicatorFactory(code="events"),
            IndicatorFactory(code="overdue", higher_is_better=False, source="reported"),
        ],
    )
    territories: list[Territory] = scene.once("result territories", list)
    # One more indicator (a column) each time, for the territories there already are…
    added = IndicatorFactory(source="reported" if len(indicators) % 2 else "computed")
    indicators.append(added)
    for territory in territories:
        _valued(added, territory, value=12)
    # … and n more territories (rows), with values of every indicator.
    for i in scene.counter("results", n):
        kind = TerritoryKind.CITY if i % 2 else TerritoryKind.DISTRICT
        territory = TerritoryFactory(kind=kind, parent=scene.region)
        territories.append(territory)
        for indicator in indicators:
            _valued(indicator, territory, value=10 + i % 7)
    return scene.once(
        "methodology",
        lambda: MethodologyFactory(year=2020, weights={"events": 2, "overdue": 1}),
    )


def api_results(scene: Scene, n: int) -> Args:
    _results(scene, n)
    return None


def api_rankings(scene: Scene, n: int) -> Args:
    return {"methodology": _results(scene, n).pk}


def api_trends(scene: Scene, n: int) -> Args:
    """One indicator's values for 2020 and 2021 in n more districts of the region."""
    indicator = scene.once("trend indicator", lambda: IndicatorFactory(code="trend"))
    for _ in range(n):
        district = TerritoryFactory(parent=scene.region)
        for year in (2020, 2021):
            IndicatorValueFactory(indicator=indicator, territory=district, year=year)
    return {"indicator": indicator.pk}


def api_methodologies(scene: Scene, n: int) -> Args:
    MethodologyFactory.create_batch(n, created_by=scene.user)
    return None


# Documents, ideas and publications' endpoints


def _school(scene: Scene) -> Organization:
    """A school of the district where the scene's user holds a post: it acknowledges for it."""

    def make() -> Organization:
        school = OrganizationFactory(kind=OrganizationKind.SCHOOL, territory=scene.district)
        assert scene.user.person is not None
        AppointmentFactory(
            person=scene.user.person,
            organization=school,
            position=scene.position,
            start=datetime.date(2020, 1, 1),
        )
        return school

    return scene.once("school", make)


def _sent(scene: Scene, document: Any) -> Any:
    return document_services.distribution_send(
        document,
        user=scene.user,
        organization_kinds=[OrganizationKind.SCHOOL],
        territory=scene.district,
        mode="mandatory",
        deadline=datetime.date(2020, 4, 21),
    )


def _document(scene: Scene) -> Any:
    return scene.once("document", lambda: DocumentFactory(created_by=scene.user))


def api_documents(scene: Scene, n: int) -> Args:
    author = scene.once("author", lambda: OrganizationFactory(territory=scene.region))
    DocumentFactory.create_batch(n, created_by=scene.user, author_organization=author)
    return None


def api_versions(scene: Scene, n: int) -> Args:
    document = _document(scene)
    for number in scene.counter("version", n):
        DocumentVersion.objects.create(
            document=document,
            number=number + 1,
            language="kk",
            file=f"documents/{number}.pdf",
            file_name=f"{number}.pdf",
            mime_type="application/pdf",
            size=1000,
            uploaded_by=scene.user,
        )
    return {"document_id": document.pk}


def api_distributions(scene: Scene, n: int) -> Args:
    document = _document(scene)
    _school(scene)
    for _ in range(n):
        _sent(scene, document)
    return {"document_id": document.pk}


def _tracked(scene: Scene, n: int) -> Any:
    """The document sent (again) to the district's schools, n more of them."""
    document = _document(scene)
    OrganizationFactory.create_batch(n, kind=OrganizationKind.SCHOOL, territory=scene.district)
    _sent(scene, document)
    return document


def api_tracking(scene: Scene, n: int) -> Args:
    return {"document_id": _tracked(scene, n).pk}


def _to_acknowledge(scene: Scene, n: int) -> None:
    """n more documents sent to the school where the user holds a post."""
    _school(scene)
    for _ in range(n):
        _sent(scene, DocumentFactory(created_by=scene.user))


def api_acknowledgments(scene: Scene, n: int) -> Args:
    _to_acknowledge(scene, n)
    return None


def api_acknowledgment_files(scene: Scene, n: int) -> Args:
    """The files of the school's acknowledgment of the document sent to it."""

    def make() -> Recipient:
        school = _school(scene)
        return Recipient.objects.get(
            distribution=_sent(scene, _document(scene)), organization=school
        )

    recipient = scene.once("recipient", make)
    _attached(scene, recipient, n)
    return {"recipient_id": recipient.pk}


def _ideas(scene: Scene, n: int, proposer: User | None = None) -> None:
    direction = scene.once("direction", lambda: DirectionFactory(program=scene.program))
    for i in range(n):
        IdeaFactory(
            territory=scene.district,
            proposer=proposer or (scene.user if i % 2 else UserFactory(person=None)),
            direction=direction,
            status="accepted",
            accepted_project=scene.project,
            evaluated_by=scene.user,
        )


def api_ideas(scene: Scene, n: int) -> Args:
    _ideas(scene, n)
    return None


def api_idea_files(scene: Scene, n: int) -> Args:
    idea = scene.once("idea", lambda: IdeaFactory(territory=scene.district, proposer=scene.user))
    _attached(scene, idea, n)
    return {"idea_id": idea.pk}


def _publications(scene: Scene, n: int) -> None:
    outlet = scene.once(
        "outlet",
        lambda: OrganizationFactory(kind=OrganizationKind.MEDIA, territory=scene.district),
    )
    direction = scene.once("direction", lambda: DirectionFactory(program=scene.program))
    for publication in PublicationFactory.create_batch(
        n, outlet=outlet, territories=[scene.district]
    ):
        publication.people.set([scene.person])
        publication.programs.set([scene.program])
        publication.directions.set([direction])


def api_publications(scene: Scene, n: int) -> Args:
    _publications(scene, n)
    return None


def _sites(scene: Scene, n: int) -> None:
    """n sites of the district, each in the scene's project and linked to an event and a
    publication (what the API's items list)."""
    event = scene.once("site_event", lambda: EventFactory(territory=scene.district))
    publication = scene.once(
        "site_publication",
        lambda: PublicationFactory(outlet=OrganizationFactory(territory=scene.district)),
    )
    for i in scene.counter("site", n):
        site = Site.objects.create(
            name_kk=f"Киелі мазар {i}",
            name_ru=f"Священный мазар {i}",
            kind="mausoleum",
            territory=scene.district,
            project=scene.project,
            latitude=48.0 + i / 100,
            longitude=67.0,
        )
        site.events.set([event])
        site.publications.set([publication])


def site_list(scene: Scene, n: int) -> Args:
    _sites(scene, n)
    return None


def api_site_photos(scene: Scene, n: int) -> Args:
    site = scene.once(
        "site",
        lambda: Site.objects.create(
            name_kk="Жошы хан кесенесі",
            name_ru="Мавзолей",
            kind="mausoleum",
            territory=scene.district,
        ),
    )
    _attached(scene, site, n)
    return {"site_id": site.pk}


# The open pages (kense.public): what the office has published.


def _published(scene: Scene, n: int) -> None:
    """n published events (upcoming), meetings with an approved decision and articles."""
    from kense.public.services import publication_set

    for i in scene.counter("published", n):
        day = _in_days(1 + i)
        event = EventFactory(
            program=scene.program,
            project=scene.project,
            organizer=scene.organization,
            start=day,
            end=day,
        )
        meeting = MeetingFactory(organizer=scene.organization, state="approved")
        DecisionFactory(item=AgendaItemFactory(meeting=meeting))
        article = PublicationFactory(
            outlet=OrganizationFactory(kind=OrganizationKind.MEDIA, territory=scene.district)
        )
        article.projects.add(scene.project)
        for obj in (event, meeting, article):
            publication_set(obj, user=scene.user, published=True)
    publication_set(scene.project, user=scene.user, published=True)


def public_home(scene: Scene, n: int) -> Args:
    _published(scene, n)
    return None


def public_place(scene: Scene, n: int) -> Args:
    _published(scene, n)
    return {"pk": scene.region.pk}


def public_places(scene: Scene, n: int) -> Args:
    for i in scene.counter("public place", n):
        TerritoryFactory(name_kk=f"Ашық аудан {i}", parent=scene.region)
    return None


def public_ideas(scene: Scene, n: int) -> Args:
    """n residents' ideas, each supported by its own proposer."""
    from kense.ideas.models import CitizenAddress, IdeaSupport

    for i in scene.counter("public idea", n):
        address = CitizenAddress.objects.create(
            email=f"resident{i}@example.kz", confirmed_at=timezone.now()
        )
        idea = IdeaFactory(proposer=None, citizen=address, territory=scene.district)
        IdeaSupport.objects.create(idea=idea, address=address)
    return None


def public_results(scene: Scene, n: int) -> Args:
    """A published ranking of 2020 and an indicator's value for n more districts."""
    from kense.public.services import publication_set

    indicator = scene.once("public indicator", lambda: IndicatorFactory(code="public-held"))
    methodology = scene.once(
        "public ranking",
        lambda: MethodologyFactory(year=2020, weights={"public-held": 1}),
    )
    publication_set(methodology, user=scene.user, published=True)
    for i in scene.counter("public result", n):
        district = TerritoryFactory(name_kk=f"Нәтиже ауданы {i}", parent=scene.region)
        IndicatorValueFactory(indicator=indicator, territory=district, year=2020, status="computed")
    return None


def public_place_ideas(scene: Scene, n: int) -> Args:
    public_ideas(scene, n)
    return {"pk": scene.region.pk}


def public_section(section: str) -> Callable[[Scene, int], Args]:
    def grow(scene: Scene, n: int) -> Args:
        _published(scene, n)
        return {"section": section}

    return grow


# Places and maps


def map_areas(scene: Scene, n: int) -> Args:
    """n districts of the region since PAST, each with its boundary (side by side)."""
    for i in scene.counter("mapped", n):
        district = TerritoryFactory(name_kk=f"Картадағы аудан {i}", parent=scene.region)
        TerritoryParentPeriod.objects.create(territory=district, parent=scene.region, start=PAST)
        geo_services.boundary_set(
            district,
            box(70 + i / 10, 47, 70.1 + i / 10, 48),
            user=scene.user,
            valid_from=PAST,
        )
    return None


def map_points(scene: Scene, n: int) -> Args:
    """n organizations with a place of their own, n in the district's centre, and n events of
    this year, meetings and projects with a place."""
    scene.district.latitude, scene.district.longitude = 47.5, 70.5
    scene.district.save(update_fields=["latitude", "longitude"])
    this_year = timezone.localdate().replace(month=1, day=15)
    for i in scene.counter("located", n):
        placed = OrganizationFactory(
            name_kk=f"Картадағы мектеп {i}",
            territory=scene.district,
            latitude=47 + i / 100,
            longitude=71,
        )
        OrganizationFactory(name_kk=f"Орталықтағы мектеп {i}", territory=scene.district)
        EventFactory(organizer=placed, start=this_year, latitude=47.2, longitude=71 + i / 100)
        MeetingFactory(organizer=placed, latitude=47.3, longitude=71 + i / 100)
        ProjectFactory(program=scene.program, territory=scene.district, latitude=47.4, longitude=71)
    return None


# Pages of meetings and assignments


def meeting_list(scene: Scene, n: int) -> Args:
    for _ in range(n):
        MeetingFactory(organizer=OrganizationFactory(territory=scene.district))
    return None


def group_list(scene: Scene, n: int) -> Args:
    for i in scene.counter("group", n):
        InvitationGroup.objects.create(
            name=f"Аудан әкімдерінің орынбасарлары {i}",
            position=scene.position,
            organization_kinds=[OrganizationKind.AKIMAT],
            territory=scene.region,
            territory_kinds=[TerritoryKind.DISTRICT, TerritoryKind.CITY],
        )
    return None


def calendar_feed(scene: Scene, n: int) -> Args:
    """The user's meetings (invited to, n more) with their agenda items."""
    assert scene.user.person is not None
    for i in scene.counter("feed meeting", n):
        start = timezone.now() + datetime.timedelta(days=1 + i)
        meeting = MeetingFactory(
            organizer=scene.organization, start=start, end=start + datetime.timedelta(hours=2)
        )
        ParticipantFactory(meeting=meeting, person=scene.user.person)
        AgendaItemFactory(meeting=meeting)
    return {"token": meeting_feeds.calendar_token(scene.user)}


def assignment_list(scene: Scene, n: int) -> Args:
    _assignments(scene, n)
    return None


def inbox(scene: Scene, n: int) -> Args:
    """Assignments the user leads in person (the project office has no organization of its
    own to lead them), open or done."""
    for i in range(n):
        assignment = AssignmentFactory(
            lead_organization=scene.organization,
            lead_person=scene.user.person,
            status="done" if i % 3 == 0 else "under_control",
            controller=scene.user,
        )
        assignment.co_executors.add(scene.office)
    return None


def review_queue(scene: Scene, n: int) -> Args:
    """Reports waiting for the controller's acceptance, extensions for their decision."""
    for _ in range(n):
        assignment = AssignmentFactory(
            lead_organization=scene.organization, status="reported", controller=scene.user
        )
        author = UserFactory(person=PersonFactory())
        ExecutionReport.objects.create(assignment=assignment, text="Орындалды.", author=author)
        Extension.objects.create(
            assignment=assignment,
            requested_by=author,
            new_deadline=assignment.deadline + datetime.timedelta(days=9),
            reason="Уақыт керек.",
        )
    return None


def discipline(scene: Scene, n: int) -> Args:
    """Assignments due in 2021 of n more organizations, each in a district of its own."""
    for i in range(n):
        district = TerritoryFactory(parent=scene.region)
        AssignmentFactory(
            lead_organization=OrganizationFactory(territory=district),
            deadline=datetime.date(2021, 3, 1),
            status="done" if i % 2 else "under_control",
            controller=scene.user,
        )
    return None


def reminder_log(scene: Scene, n: int) -> Args:
    """Letters about assignments of the region, each to a person of its own."""
    for i in scene.counter("reminder", n):
        assignment = AssignmentFactory(lead_organization=scene.organization)
        recipient = UserFactory(person=PersonFactory(), territory=scene.district)
        Reminder.objects.create(
            kind=ReminderKind.BEFORE,
            assignment=assignment,
            recipient=recipient,
            key=f"2021-06-{1 + i % 28:02d}",
            email=recipient.email,
        )
    return None


# Pages of events, plans and emergencies


def event_list(scene: Scene, n: int) -> Args:
    _events(scene, n)
    return None


def event_ics_feed(scene: Scene, n: int) -> Args:
    """Upcoming events of the district, to subscribe to."""
    for i in scene.counter("feed event", n):
        day = _in_days(1 + i)
        EventFactory(program=scene.program, organizer=scene.organization, start=day, end=day)
    # The feed of the user's territory, at the address the calendar page offers it.
    links = scene.client.get(reverse("events:event_calendar")).context["feed_links"]
    (address,) = [url for subject, url in links if subject == scene.region]
    return resolve(urlsplit(address).path).kwargs


def plan_list(scene: Scene, n: int) -> Args:
    for _ in range(n):
        WorkPlanFactory(territory=scene.district, organization=scene.organization)
    return None


def plan_versions(scene: Scene, n: int) -> Args:
    return {"pk": _plan_versions(scene, n).pk}


def emergency_list(scene: Scene, n: int) -> Args:
    for i in scene.counter("disruption", n):
        emergency = EmergencyFactory(
            start=datetime.date(2021, 1, 1 + i),
            territories=[scene.region, scene.district],
            declared_by=scene.user,
        )
        EventFactory(
            organizer=scene.organization, status="postponed", emergency=emergency, reason="Су"
        )
    return None


# Pages of indicators, reports and results


def indicator_list(scene: Scene, n: int) -> Args:
    direction = scene.once("direction", lambda: DirectionFactory(program=scene.program))
    IndicatorFactory.create_batch(n, direction=direction)
    return None


def target_list(scene: Scene, n: int) -> Args:
    """The targets of one indicator for n more districts."""
    indicator = scene.once("indicator", lambda: IndicatorFactory(code="a-events"))
    for _ in range(n):
        district = TerritoryFactory(parent=scene.region)
        for year in (2020, 2021):
            TargetFactory(indicator=indicator, territory=district, year=year)
    return {"indicator": indicator.pk}


def form_list(scene: Scene, n: int) -> Args:
    return api_report_forms(scene, n)


def report_list(scene: Scene, n: int) -> Args:
    _reported(scene, n)
    return None


def rates(scene: Scene, n: int) -> Args:
    return {"form": _reported(scene, n).pk}


def results(scene: Scene, n: int) -> Args:
    _results(scene, n)
    return None


def passport(scene: Scene, n: int) -> Args:
    """A district's indicators (n more, with values and targets over two years) and events."""
    for i in scene.counter("passport", n):
        indicator = IndicatorFactory(source="reported" if i % 2 else "computed")
        for year in (2019, 2020):
            IndicatorValueFactory(indicator=indicator, territory=scene.district, year=year)
            TargetFactory(indicator=indicator, territory=scene.district, year=year)
    _events(scene, n, status="held")
    return {"pk": scene.district.pk}


def methodology_list(scene: Scene, n: int) -> Args:
    return api_methodologies(scene, n)


# Pages of documents, ideas and publications


def library(scene: Scene, n: int) -> Args:
    return api_documents(scene, n)


def document_inbox(scene: Scene, n: int) -> Args:
    _to_acknowledge(scene, n)
    return None


def tracking(scene: Scene, n: int) -> Args:
    return {"pk": _tracked(scene, n).pk}


def idea_list(scene: Scene, n: int) -> Args:
    _ideas(scene, n)
    return None


def my_ideas(scene: Scene, n: int) -> Args:
    _ideas(scene, n, proposer=scene.user)
    return None


def _citizen_ideas(scene: Scene, n: int) -> CitizenAddress:
    """n residents' ideas of the district, each supported by the residents' one supporter;
    answers the address that proposed them."""
    resident = scene.once(
        "resident",
        lambda: CitizenAddress.objects.create(
            email="resident@example.com", confirmed_at=timezone.now()
        ),
    )
    supporter = scene.once(
        "supporter",
        lambda: CitizenAddress.objects.create(
            email="supporter@example.com", confirmed_at=timezone.now()
        ),
    )
    for i in scene.counter("citizen_idea", n):
        idea = Idea.objects.create(
            title=f"Тұрғынның идеясы {i}",
            description="Саябаққа орындықтар қою.",
            territory=scene.district,
            citizen=resident,
            status="received",
        )
        IdeaSupport.objects.create(idea=idea, address=supporter)
    return resident


def public_idea_list(scene: Scene, n: int) -> Args:
    _citizen_ideas(scene, n)
    return None


def moderation_queue(scene: Scene, n: int) -> Args:
    _citizen_ideas(scene, n)
    return None


def citizen_own_ideas(scene: Scene, n: int) -> Args:
    resident = _citizen_ideas(scene, n)
    # The page reads the resident's confirmed address from the session.
    session = scene.client.session
    session[CONFIRMED] = resident.pk
    session.save()
    return None


def publication_list(scene: Scene, n: int) -> Args:
    _publications(scene, n)
    return None


def territory_children(scene: Scene, n: int) -> Args:
    for i in scene.counter("territory", n):
        child = TerritoryFactory(name_kk=f"Ауыл округі {i}", parent=scene.district)
        TerritoryFactory(name_kk=f"Ауыл {i}", parent=child)
    return {"pk": scene.district.pk}


def profile(scene: Scene, n: int) -> Args:
    return api_tokens(scene, n)


def _notifications(scene: Scene, n: int) -> list[Notification]:
    """n notifications of the user's, about n assignments (their targets are loaded)."""
    made = []
    for i in scene.counter("notification", n):
        assignment = AssignmentFactory(lead_organization=scene.organization, controller=scene.user)
        made.append(
            Notification.objects.create(
                recipient=scene.user,
                kind="assignment_new",
                target=assignment,
                context={"object": f"Тапсырма {i}"},
            )
        )
    return made


def notification_list(scene: Scene, n: int) -> Args:
    _notifications(scene, n)
    return None


def send_log(scene: Scene, n: int) -> Args:
    for notification in _notifications(scene, n):
        Send.objects.create(
            notification=notification, channel="email", status="skipped", reason="no_email"
        )
    return None


def emergency_postpone(scene: Scene, n: int) -> Args:
    """The preview of a bulk postponement: the planned events the emergency stops."""
    return {"pk": api_affected_events(scene, n)["disruption_id"]}  # type: ignore[index]


def emergency_reschedule(scene: Scene, n: int) -> Args:
    """The new dates proposed, after the lifting, for the events it postponed."""
    return {"pk": api_proposals(scene, n)["disruption_id"]}  # type: ignore[index]


def choices(source: str) -> Callable[[Scene, int], Args]:
    """The options of a search-select: n more of its kind, found by their name."""
    makers: dict[str, Callable[[Scene, int], Any]] = {
        "organizations": lambda scene, i: OrganizationFactory(
            name_kk=f"Сарыарқа {i}", territory=scene.district, parent=scene.parent_organization
        ),
        "meetings": lambda scene, i: MeetingFactory(
            title_kk=f"Сарыарқа кеңесі {i}", organizer=scene.organization
        ),
        "projects": lambda scene, i: ProjectFactory(
            name_kk=f"Сарыарқа {i}", program=scene.program, territory=scene.district
        ),
        "territories": lambda scene, i: TerritoryFactory(
            name_kk=f"Сарыарқа {i}", parent=scene.district
        ),
        "controllers": lambda scene, i: AssignmentFactory(
            lead_organization=scene.organization,
            controller=UserFactory(
                role=Role.PROJECT_OFFICE,
                territory=scene.region,
                person=PersonFactory(surname_kk=f"Сарыарқа {i}"),
            ),
        ),
    }

    def grow(scene: Scene, n: int) -> Args:
        for i in scene.counter(source, n):
            makers[source](scene, i)
        return {"source": source}

    grow.__name__ = f"choices_of_{source}"
    return grow


@dataclass(frozen=True)
class Row:
    # A page's URL name or an API path as the OpenAPI document writes it, then the query
    # string if any; "{name}" in either is filled in from what grow answers.
    address_template: str
    grow: Callable[[Scene, int], Args]
    queries: int  # as counted with 3 rows (with an N+1, for information only)
    label: str = ""  # told apart from another row of the same URL by what it grows
    n_plus_one: str = ""  # why the count grows with the rows (an xfail until fixed)
    on_sqlite: int | None = None  # where SQLite's count differs (the row says why)

    @property
    def expected(self) -> int:
        if self.on_sqlite is not None and connection.vendor == "sqlite":
            return self.on_sqlite
        return self.queries

    @property
    def url(self) -> str:
        return self.address_template.partition("?")[0]

    @property
    def query(self) -> str:
        return self.address_template.partition("?")[2]

    @property
    def id(self) -> str:
        return f"{self.address_template} ({self.label})" if self.label else self.address_template

    def address(self, args: Args) -> str:
        args = args or {}
        if self.url.startswith("/"):
            path = self.url.format(**args)
        else:
            kwargs = {k: v for k, v in args.items() if f"{{{k}}}" not in self.query}
            path = reverse(self.url, kwargs=kwargs)
        # The query string may name an argument too: ?methodology={methodology}.
        query = self.query.format(**args)
        return f"{path}?{query}" if query else path


# fmt: off
ROWS: list[Row] = [
    # The registry: territories, organizations, people, staffing
    Row("registry:territory_tree",               territory_tree,            7),
    Row("registry:territory_tree?on=2021-01-01", territory_tree_on_a_date,  7),
    Row("registry:territory_list",               territory_list,            9),
    Row("registry:organization_list",            organization_list,         11),
    Row("registry:person_list",                  person_list,               13),
    Row("registry:staffing",                     staffing,                 10),
    Row("registry:territory_children",           territory_children,        6),
    Row("/api/v1/territories",                   api_territories,           4),
    Row("/api/v1/organizations",                 api_organizations,         4),
    Row("/api/v1/territories?on=2021-01-01",     api_territories_on,        4, label="on"),
    Row("/api/v1/organizations?on=2021-01-01",   api_organizations_on,      4, label="on"),
    Row("/api/v1/territories/{territory_id}/moves",       api_territory_moves,     5),
    Row("/api/v1/organizations/{organization_id}/moves",  api_organization_moves,  5),
    Row("/api/v1/people",                        api_people,                4),
    Row("/api/v1/positions",                     api_positions,             3),
    Row("/api/v1/staff-posts",                   api_staff_posts,           4),
    Row("/api/v1/appointments",                  api_appointments,          4),
    # Programs, directions and projects
    Row("programs:program_list", program_list,    7),
    Row("programs:project_list", project_list,   13),
    Row("/api/v1/programs",      api_programs,    5),
    Row("/api/v1/directions",    api_directions,  5),
    Row("/api/v1/projects",      api_projects,    5),
    # Meetings, invitation groups and the calendar feed
    Row("meetings:meeting_list",               meeting_list,      9),
    Row("meetings:group_list",                 group_list,        8),
    Row("calendar:calendar_feed",              calendar_feed,     3),
    Row("/api/v1/meetings",                    api_meetings,      6),
    Row("/api/v1/meetings/{meeting_id}/items", api_agenda_items,  8),
    Row("/api/v1/meetings/{meeting_id}/items/{item_id}/attachments", api_agenda_attachments, 6),
    Row("/api/v1/meetings/{meeting_id}/participants",          api_participants,           5),
    Row("/api/v1/meetings/{meeting_id}/amendments",            api_amendments,             4),
    Row("/api/v1/meetings/{meeting_id}/extract-organizations", api_extract_organizations,  4),
    Row("/api/v1/meeting-series",                              api_meeting_series,         3),
    Row("/api/v1/invitation-groups",                           group_list,                 3),
    Row("/api/v1/invitation-groups/{group_id}/members",        api_group_members,          4),
    # Assignments, their inbox, review queue, discipline and reminders
    # 19, one more than before issue 17: the controller filter is a searchable select, which
    # reads its choices' keys, then those choices (a region's list named 7,000 controllers,
    # each an <option>: 2 s a page at national scale).
    Row("assignments:assignment_list",                     assignment_list,       19),
    Row("assignments:inbox?show=all",                      inbox,                  8),
    Row("assignments:review_queue",                        review_queue,           7),
    Row("assignments:discipline?year=2021",                discipline,             9),
    Row("assignments:discipline?year=2021&by=territory",   discipline,             9),
    Row("assignments:reminder_log",                        reminder_log,           7),
    Row("/api/v1/assignments",                             api_assignments,        5),
    Row("/api/v1/meetings/{meeting_id}/review-candidates", api_review_candidates,  6),
    Row("/api/v1/meetings/{meeting_id}/reviews",           api_reviews,            5),
    Row("/api/v1/assignments/inbox?show=all",              inbox,                  5),
    Row("/api/v1/assignments/review-queue",                review_queue,           4),
    Row("/api/v1/assignments/discipline?year=2021",        discipline,             5),
    Row("/api/v1/assignments/{assignment_id}/extensions",  api_extensions,         4),
    Row("/api/v1/assignments/{assignment_id}/reports/{report_id}/files", api_report_files, 5),
    Row("/api/v1/reminders",                               reminder_log,           4),
    # Events, work plans and states of emergency (the API keeps its word: /disruptions)
    Row("events:event_list",                                event_list,            14),
    Row("events:event_list?territory=&status=planned",      event_list,            14),
    Row("events:event_calendar?day=2020-04-01",             event_list,            13),
    Row("events:event_calendar?day=2020-04-01&view=week",   event_list,            13),
    Row("events:event_calendar?day=2020-04-01&view=agenda", event_list,            13),
    Row("events:event_ics_feed",                            event_ics_feed,         5),
    Row("events:plan_list",                                 plan_list,              9),
    Row("events:plan_versions",                             plan_versions,         10),
    Row("events:emergency_list",                           emergency_list,        10),
    Row("events:emergency_postpone",                       emergency_postpone,   10),
    Row("events:emergency_reschedule",                     emergency_reschedule, 12),
    Row("/api/v1/events",                                   api_events,             5),
    Row("/api/v1/plans",                                    api_plans,              4),
    Row("/api/v1/plans/{plan_id}/fact",                     api_plan_fact,          5),
    Row("/api/v1/plans/{plan_id}/diff?old=1",               api_plan_diff,          5),
    Row("/api/v1/plans/{plan_id}/versions",                 api_plan_versions,      4),
    Row("/api/v1/disruptions",                              api_disruptions,        5),
    Row("/api/v1/disruptions/{disruption_id}/affected",     api_affected_events,    7),
    Row("/api/v1/disruptions/{disruption_id}/proposals",    api_proposals,          8),
    # Indicators, targets, reports, results and ranking
    Row("indicators:indicator_list",                        indicator_list,     8),
    Row(
        "indicators:target_list?indicator={indicator}&year_from=2020&year_to=2021",
        target_list,
        10,
    ),
    Row("indicators:form_list",                             form_list,          7),
    Row("indicators:report_list",                           report_list,        10),
    Row("indicators:rates?form={form}&year=2020",           rates,             11),
    Row("indicators:results?year=2020",                     results,           15),
    Row("indicators:ranking?year=2020",                     results,           15),
    Row("indicators:trends",                                results,           12),
    Row("indicators:small_multiples",                       results,           12),
    Row("indicators:passport",                              passport,          18),
    Row("indicators:methodology_list",                      methodology_list,   6),
    Row("indicators:results_xlsx?year=2020",                results,           13),
    Row("indicators:results_pdf?year=2020",                 results,           22),
    Row("/api/v1/indicators",                               api_indicators,     4),
    Row("/api/v1/targets",                                  api_indicators,     4),
    Row("/api/v1/indicator-values",                         api_indicators,     4),
    Row("/api/v1/report-forms",                             api_report_forms,   6),
    Row("/api/v1/reports",                                  api_reports,        4),
    Row("/api/v1/report-forms/{form_id}/rates?year=2020",   api_form_rates,     5),
    Row("/api/v1/results?year=2020",                        api_results,       10),
    Row("/api/v1/rankings?methodology={methodology}",       api_rankings,      10),
    Row("/api/v1/methodologies",                            api_methodologies,  3),
    Row("/api/v1/trends?indicator={indicator}&year_from=2020&year_to=2021", api_trends, 9),
    # Documents: the library, the inbox, tracking
    Row("documents:library",                             library,              7),
    Row("documents:library?q=құжат&kind=guideline",      library,              7),
    Row("documents:inbox",                               document_inbox,       6),
    Row("documents:tracking",                            tracking,             7),
    Row("/api/v1/documents",                             api_documents,        4),
    Row("/api/v1/documents/{document_id}/versions",      api_versions,         4),
    Row("/api/v1/documents/{document_id}/distributions", api_distributions,    4),
    Row("/api/v1/documents/{document_id}/tracking",      api_tracking,         4),
    Row("/api/v1/acknowledgments",                       api_acknowledgments,  3),
    Row("/api/v1/acknowledgments/{recipient_id}/files",  api_acknowledgment_files, 4),
    # Ideas
    Row("ideas:idea_list", idea_list,  10),
    Row("ideas:my_ideas",  my_ideas,   10),
    Row("ideas:moderation", moderation_queue, 7),
    Row("public:idea_list", public_idea_list, 5),
    Row("public:idea_list?order=supported", public_idea_list, 5),
    Row("public:idea_mine", citizen_own_ideas, 4),
    Row("/api/v1/ideas",   api_ideas,  4),
    Row("/api/v1/ideas/{idea_id}/files", api_idea_files, 4),
    # Publications
    Row("media:publication_list", publication_list,  10),
    # 12: the prefetch of each link field is a query, directions' too (no N+1).
    Row("/api/v1/publications",   api_publications, 12),
    # Sacred sites (the API: the prefetch of events and of publications, one query each)
    Row("sites:site_list",                  site_list,        9),
    Row("sites:site_list?kind=mausoleum",   site_list,        9),
    Row("/api/v1/sites",                    site_list,        6),
    Row("/api/v1/sites/{site_id}/photos",   api_site_photos,  6),
    # Places and maps: the areas of the region's districts, points over them (a query a kind)
    # The open pages, the same for a visitor (without the page cache, counted here)
    Row("public:home",                         public_home,      13),
    Row("public:territory",                    public_place,     13),
    Row("public:events_ics",                   public_home,       1),
    Row("public:place_events_ics",             public_place,      2),
    Row("public:news_atom",                    public_home,       1),
    Row("public:place_news_atom",              public_place,      2),
    Row("public:decisions_atom",               public_home,       1),
    Row("public:place_decisions_atom",         public_place,      2),
    Row("django.contrib.sitemaps.views.sitemap", public_section("events"), 4),
    Row("/api/v1/public/events",               public_home,       2),
    Row("/api/v1/public/projects",             public_home,       2),
    Row("/api/v1/public/decisions",            public_home,       2),
    Row("/api/v1/public/places",               public_places,     2),
    Row("/api/v1/public/ideas",                public_ideas,      2),
    Row("/api/v1/public/results",              public_results,    3),
    Row("public:ideas_atom",                   public_ideas,      1),
    Row("public:place_ideas_atom",             public_place_ideas, 2),
    Row("geo:map",                             map_areas,   9),
    Row("geo:map?events=on&organizations=on",  map_points, 11),
    Row("geo:boundaries_export",               map_areas,   8),
    Row("/api/v1/geo/territories",             map_areas,   3),
    Row("/api/v1/geo/points",                  map_points,  6),
    Row("/api/v1/geo/sites",                   site_list,   3),
    # The user's tokens
    Row("accounts:profile",  profile,     5),
    Row("/api/v1/me/tokens", api_tokens,  2),
    # Notifications and the log of their sends
    Row("notifications:notification_list", notification_list, 9),
    Row("notifications:send_log",          send_log,          7),
    Row("/api/v1/notifications",           notification_list, 4),
    Row("/api/v1/notifications/sends",     send_log,          3),
    Row("/api/v1/notifications/log",       send_log,          4),
    # Accounts and service tokens (the project office's)
    Row("/api/v1/users",                   api_users,          4),
    Row("/api/v1/users/{user_id}/history", api_user_history,   4),
    Row("/api/v1/service-tokens",          api_service_tokens, 4),
    # Search, choices and the dashboard
    Row("home:choices?choice_search=сарыарқа", choices("organizations"),  5, label="organizations"),
    Row("home:choices?choice_search=сарыарқа", choices("meetings"),       5, label="meetings"),
    Row("home:choices?choice_search=сарыарқа", choices("projects"),       5, label="projects"),
    Row("home:choices?choice_search=сарыарқа", choices("territories"),    5, label="territories"),
    Row("home:choices?choice_search=сарыарқа", choices("controllers"),    5, label="controllers"),
    # A query a kind; on SQLite one more first, asking the word indexes which kinds hold the
    # words (kense.core.selectors.index_hits).
    Row("home:search?q=сарыарқа",              search,                   17, on_sqlite=18),
    # Its short lists read keys first (kense.core.pagination.first_rows): one query more for
    # the most urgent assignments, whose whole rows PostgreSQL had sorted by the thousand.
    Row("home:dashboard",                      home,                     28),
    Row("/api/v1/search?q=сарыарқа",           search,                   14, on_sqlite=15),
    # Detail pages, growing everything they list but their history… (A page that links to
    # related objects asks once per model which of them the user may open: {% link %}.)
    Row("registry:territory_detail",    territory_detail,    16),
    Row("registry:organization_detail", organization_detail, 15),
    Row("registry:person_detail",       person_detail,       10),
    Row("programs:program_detail",      program_detail,      16),
    Row("programs:project_detail",      project_detail,      20),  # + the trail, publishing
    # … and growing their history, version by version.
    Row("registry:territory_detail",    territory_history,    15, label="history"),
    Row("registry:organization_detail", organization_history, 13, label="history"),
    Row("registry:person_detail",       person_history,       10, label="history"),
    Row("programs:program_detail",      program_history,      15, label="history"),
    Row("programs:project_detail",      project_history,      19, label="history"),
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
    assert (len(small), len(large)) == (row.expected, row.expected), _listed(small, large)


def count_queries(client: Client, url: str) -> tuple[list[dict[str, Any]], bytes]:
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return queries.captured_queries, response.content


def _listed(small: list[dict[str, Any]], large: list[dict[str, Any]]) -> str:
    return f"{len(small)} queries with 3 rows, {len(large)} with 12:\n" + "\n".join(
        f"{i}. {query['sql']}" for i, query in enumerate(large, 1)
    )


# Completeness: every list page and list endpoint has a row.

FORM = "a form: GET shows it, POST saves"
ACTION = "an action: POST only"
FILE = "one file, downloaded"
DETAIL = "one object's page, not a list (some have a pin of their own in their app's tests)"
ACCOUNT = "signing in and out, passwords"

# fmt: off
NOT_LIST_PAGES: dict[str, str] = {
    "public:project": DETAIL + "; tests/public pins it with its trail",
    "public:event": DETAIL,
    "public:event_photo": "one photo, drawn anew",
    "events:event_photo": FILE,
    "events:event_photos_add": ACTION,
    "public:meeting": DETAIL,
    "public:guideline": DETAIL,
    "public:guideline_file": FILE,
    "public:news": DETAIL,
    "public:ranking": DETAIL + "; the ranking's own queries are pinned in tests/indicators",
    "public:privacy": "a notice: no rows",
    "public:data": "the open data's documentation: its columns, no rows",
    "public:data_download": "a file streamed in chunks of 2,000 rows",
    "public:publish": ACTION,
    "robots_txt": "a fixed text",
    "sitemap_index": "the sitemap's index: one count a section",
    "healthz": "the health check: a read and a write rolled back, no rows",
    "calendar:meeting_ics": "one meeting, as a calendar file",
    "core:restore_version": ACTION,
    "core:add_comment": ACTION,
    "accounts:login": ACCOUNT,
    "accounts:logout": ACCOUNT,
    "accounts:password_change": ACCOUNT,
    "accounts:password_reset": ACCOUNT,
    "accounts:password_reset_done": ACCOUNT,
    "accounts:password_reset_confirm": ACCOUNT,
    "accounts:password_reset_complete": ACCOUNT,
    "accounts:revoke_token": ACTION,
    "accounts:renew_calendar": ACTION,
    "notifications:bell": "the unread count, one number",
    "notifications:notification_open": "one notification: marks it read and goes to its target",
    "notifications:mark_read": ACTION,
    "notifications:mark_all_read": ACTION,
    "notifications:preferences": FORM,
    "notifications:telegram_code": ACTION,
    "notifications:telegram_unlink": ACTION,
    "registry:territory_add": FORM,
    "registry:territory_edit": FORM,
    "registry:organization_add": FORM,
    "registry:organization_edit": FORM,
    "registry:person_add": FORM,
    "registry:person_edit": FORM,
    "registry:appointment_add": FORM,
    "registry:appointment_edit": FORM,
    "registry:staff_post_add": FORM,
    "registry:staff_post_edit": FORM,
    "registry:import": "an import's upload form (its batch queries are pinned apart)",
    "programs:program_add": FORM,
    "programs:program_edit": FORM,
    "programs:direction_add": FORM,
    "programs:direction_detail": DETAIL,
    "programs:direction_edit": FORM,
    "programs:project_add": FORM,
    "programs:project_edit": FORM,
    "meetings:meeting_add": FORM,
    "meetings:meeting_detail": DETAIL,
    "meetings:meeting_edit": FORM,
    "meetings:meeting_transition": ACTION,
    "meetings:participants_invite": FORM,
    "meetings:attendance_all": FORM,
    "meetings:review_decide_all": FORM,
    "meetings:item_add": FORM,
    "meetings:item_edit": FORM,
    "meetings:attachment_upload": FORM,
    "meetings:attachment_download": FILE,
    "meetings:minutes_edit": FORM,
    "meetings:decision_add": FORM,
    "meetings:decision_edit": FORM,
    "meetings:assignment_add": FORM,
    "meetings:review_propose": ACTION,
    "meetings:review_decide": FORM,
    "meetings:amendment_add": FORM,
    "meetings:next_meeting": FORM,
    "meetings:minutes_download": FILE,
    "meetings:extract_download": FILE,
    "meetings:series_add": FORM,
    "meetings:group_add": FORM,
    "meetings:group_edit": FORM,
    "assignments:assignment_add": FORM,
    "assignments:assignment_detail": DETAIL,
    "assignments:assignment_edit": FORM,
    "assignments:report_submit": ACTION,
    "assignments:extension_request": ACTION,
    "assignments:assignment_withdraw": ACTION,
    "assignments:report_review": ACTION,
    "assignments:extension_decide": ACTION,
    "assignments:attachment_download": FILE,
    "events:event_add": FORM,
    "events:event_detail": DETAIL,
    "events:event_edit": FORM,
    "events:event_hold": FORM,
    "events:event_postpone": FORM,
    "events:event_cancel": FORM,
    "events:plan_add": FORM,
    "events:plan_detail": DETAIL,
    "events:plan_edit": FORM,
    "events:plan_item_add": FORM,
    "events:plan_item_edit": FORM,
    "events:plan_item_delete": ACTION,
    "events:plan_submit": ACTION,
    "events:plan_approve": ACTION,
    "events:plan_return": FORM,
    "events:plan_amend": ACTION,
    "events:plan_template": FILE,
    "events:plan_upload": FORM,
    "events:emergency_add": FORM,
    "events:emergency_detail": DETAIL,
    "events:emergency_lift": FORM,
    "indicators:indicator_add": FORM,
    "indicators:indicator_detail": DETAIL,
    "indicators:indicator_edit": FORM,
    "indicators:recompute": ACTION,
    "indicators:form_add": FORM,
    "indicators:form_detail": DETAIL,
    "indicators:form_edit": FORM,
    "indicators:report_open": FORM,
    "indicators:report_detail": DETAIL,
    "indicators:report_submit": ACTION,
    "indicators:report_approve": ACTION,
    "indicators:report_return": FORM,
    "indicators:report_template": FILE,
    "indicators:report_upload": FORM,
    "indicators:methodology_add": FORM,
    "indicators:methodology_detail": DETAIL,
    "indicators:methodology_edit": FORM,
    "documents:document_add": FORM,
    "documents:document_detail": DETAIL,
    "documents:document_edit": FORM,
    "documents:version_upload": FORM,
    "documents:version_download": FILE,
    "documents:distribution_send": FORM,
    "documents:acknowledge": FORM,
    "documents:report_attachment_download": FILE,
    "ideas:idea_propose": FORM,
    "ideas:idea_detail": DETAIL,
    "ideas:idea_accept": ACTION,
    "ideas:idea_reject": ACTION,
    "ideas:idea_merge": ACTION,
    "ideas:attachment_download": FILE,
    "ideas:idea_photo": FILE,
    "ideas:idea_review": ACTION,
    "ideas:idea_hide": ACTION,
    "ideas:idea_unhide": ACTION,
    "ideas:idea_redact": FORM,
    "ideas:address_block": ACTION,
    "public:idea_detail": DETAIL,
    "public:idea_photo": FILE,
    "public:idea_new": FORM,
    "public:idea_address": FORM,
    "public:idea_code": FORM,
    "public:idea_support": ACTION,
    "public:idea_withdraw": ACTION,
    "public:idea_forget": ACTION,
    "media:publication_add": FORM,
    "media:ingest": FORM,
    "media:ingest_confirm": ACTION,
    "media:publication_detail": DETAIL,
    "media:publication_edit": FORM,
    "geo:boundaries_import": "an import's upload form (what it saves is tested in tests/geo)",
    "sites:site_add": FORM,
    "sites:site_edit": FORM,
    "sites:site_detail": DETAIL,
    "sites:site_import": "an import's upload form",
    "sites:photo_download": FILE,
}
# fmt: on


def _named_urls(patterns: list[Any], namespace: str = "") -> Iterator[tuple[str, Any]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace in ("admin", "api"):
                continue  # Django's admin; the API is read from its OpenAPI document
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _named_urls(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", pattern.callback


def _builds_a_list(view: Any) -> bool:
    """Does the view's own code call render_list or paginate (under its decorators)?"""
    while hasattr(view, "__wrapped__"):
        view = view.__wrapped__
    code = getattr(view, "__code__", None)
    return code is not None and bool({"render_list", "paginate"} & set(code.co_names))


def test_every_page_is_a_row_or_said_not_to_be_a_list() -> None:
    pages = dict(_named_urls(get_resolver().url_patterns))
    rows = {row.url for row in ROWS if not row.url.startswith("/")}

    unplaced = sorted(set(pages) - rows - set(NOT_LIST_PAGES))
    assert not unplaced, (
        f"give these pages a row in ROWS, or a reason in NOT_LIST_PAGES: {unplaced}"
    )
    lists_said_not = sorted(name for name in NOT_LIST_PAGES if _builds_a_list(pages.get(name)))
    assert not lists_said_not, f"these pages build a list: give them a row: {lists_said_not}"
    gone = sorted((rows | set(NOT_LIST_PAGES)) - set(pages))
    assert not gone, f"no such page (renamed or removed?): {gone}"
    both = sorted(rows & set(NOT_LIST_PAGES))
    assert not both, f"a row and said not to be a list: {both}"


@functools.cache
def _list_operations() -> set[str]:
    """GET operations answering an array, a page, or an object with an array in it; details
    (a path ending in the object's id) left out."""
    schema = api.get_openapi_schema()
    components = schema["components"]["schemas"]
    found = set()
    for path, operations in schema["paths"].items():
        answer = operations.get("get", {}).get("responses", {}).get(200, {})
        body = answer.get("content", {}).get("application/json", {}).get("schema", {})
        if "$ref" in body:
            body = components[body["$ref"].rsplit("/", 1)[1]]
        properties = body.get("properties", {}).values()
        is_list = body.get("type") == "array" or any(
            value.get("type") == "array" for value in properties
        )
        if is_list and not path.endswith("_id}"):
            found.add(path)
    return found


# Endpoints that answer an array whose length no data grows: a row could pin nothing.
NOT_GROWING_ENDPOINTS: dict[str, str] = {
    "/api/v1/notifications/preferences": "one item per kind of notification, a fixed set "
    "(its one query is pinned in tests/notifications/test_api.py)",
}


def test_every_list_endpoint_has_a_row() -> None:
    operations = _list_operations()
    rows = {row.url for row in ROWS if row.url.startswith("/")}

    missing = sorted(operations - rows - set(NOT_GROWING_ENDPOINTS))
    assert not missing, f"give these endpoints a row in ROWS: {missing}"
    assert not sorted(rows - operations), "rows of no list endpoint (renamed or removed?)"
    assert not sorted(set(NOT_GROWING_ENDPOINTS) - operations), "no such list endpoint"
    assert not sorted(set(NOT_GROWING_ENDPOINTS) & rows), "a row and said not to grow"


def test_the_rule_finds_the_lists_it_should() -> None:
    # The rule itself, on what it must find: a paginated list, a bare array, a report.
    operations = _list_operations()
    assert {"/api/v1/people", "/api/v1/me/tokens", "/api/v1/results"} <= operations
    assert "/api/v1/people/{person_id}" not in operations
    pages = dict(_named_urls(get_resolver().url_patterns))
    assert _builds_a_list(pages["registry:person_list"])
    assert _builds_a_list(pages["assignments:inbox"])
    assert not _builds_a_list(pages["registry:person_edit"])
