"""Who may reach what: every role × every page and API operation × objects inside and outside
its scope, with the status each must get; what each list shows; which links each page shows.

`test_every_page_and_operation_has_a_row` keeps the table complete: it reads every named URL
from the URL configuration and every operation from the API's OpenAPI document, and fails
naming a page or an operation without a row, or a row of one that no longer exists.

A row is one test: each role's request runs in a savepoint of its own, rolled back. A row's
`Bug(expected, reason)` cells document an answer the code does not give yet; each is a strict
xfail of its own (`test_not_given_yet`), so fixing the defect turns it into a failure that asks
for the Bug to be removed.

The world, built once for the module: region R with districts A and B, and another region X
with one district. Each district has an akimat, a culture division under it and a school under
the division, a person appointed at the school on a staff post, and a special project led by
the division (A's project is co-executed by A's school). One program with one direction.

What each district holds besides (the object of a row named `a`, `b` or `x` is the one of
district A, B or X):
- a meeting organized by its division, held, in a monthly series, with an agenda item that
  has a file and a decision, the district's person invited from its school, and the head of
  the division (`guest`) not invited yet; A's and B's meetings both discuss A's project;
- an assignment of that decision led by the school, controlled by the project office of the
  assignment's region, reported (the report waiting for acceptance, with a file), due on
  1 February 2021; and an assignment from an akim's order (`order`), due then too, with an
  extension waiting for the controller. A meeting (of 15 February 2021) reviews its
  district's order, and A's meeting also B's assignment, through A's project (`ab`);
- an event organized by the school, planned for 10 April 2020, inside a quarantine declared
  over the district (1–30 April 2020, not lifted), and an event postponed by an earlier
  restriction that was lifted on 11 May 2020;
- work plans of the school: a draft with one item, a submitted one and an approved one;
- a target for 2020 of the computed indicator `i`, and a draft report on the form `f` (of the
  reported indicator `r`, its value entered);
- the recipient school of two distributions of the guideline `doc`: one acknowledged with a
  file, one waiting;
- an idea with a file (A's proposed by the institution, the others by users outside the
  table) and a publication of a media outlet of the district about the district.

Region-wide: the program `p` and its direction `d`, the indicators `i` and `r`, the report
form `f` (submitted by A, B and X), the methodology `m`, the guideline `doc` with a version,
the invitation group `g` (the teachers), the series `s`.

Users: the administrator; the project office, the executive and the observer of region R; the
department (A's culture division); the coordinator of district A; the institution (A's school);
and an anonymous visitor. Outside the table: the project office of region X (controller and
declarer of X's objects, proposer of X's idea) and the coordinator of district B (who proposed
B's idea). Each user of the table has an API token (its key authenticates the API rows); the
token a row names is that role's (`institution`).

The objects a table row names besides: for organizations `a`, `b`, `x` are the school;
`division_a` and `akimat_a` are A's culture division and akimat; `p` and `d` are the program
and its direction; `kind:key` (`event:a`) the object of that kind; `null`, A's object patched
with a null text; `forged`, a token or link nobody was given.
"""

from __future__ import annotations

import copy
import datetime
import functools
import html
import io
import json
import logging
import re
import shutil
import subprocess
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pytest
from django import forms
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.test.utils import override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone, translation

from factories import (
    AgendaItemFactory,
    AppointmentFactory,
    AssignmentFactory,
    DecisionFactory,
    DirectionFactory,
    DocumentFactory,
    EmergencyFactory,
    EventFactory,
    IndicatorFactory,
    InvitationGroupFactory,
    MeetingFactory,
    MeetingSeriesFactory,
    MethodologyFactory,
    OrganizationFactory,
    ParticipantFactory,
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
from kense.accounts.models import ApiToken, TokenKind, User
from kense.api import api
from kense.assignments import services as assignment_services
from kense.assignments.forms import AssignmentForm
from kense.assignments.models import Assignment, ExecutionReport, Extension, Review
from kense.core.forms import OUT_OF_SCOPE
from kense.core.models import Attachment
from kense.core.permissions import Role
from kense.documents import services as document_services
from kense.documents.models import Document, DocumentVersion, Recipient
from kense.events.feeds import feed_token
from kense.events.forms.events import EventForm
from kense.events.forms.plans import PlanForm
from kense.events.models import Emergency, Event, PlanItem, WorkPlan
from kense.events.services import plans
from kense.ideas import public as public_ideas
from kense.ideas import services as idea_services
from kense.ideas.models import CitizenAddress, Idea
from kense.indicators.forms.definitions import IndicatorForm
from kense.indicators.forms.reports import ReportFormForm
from kense.indicators.models import (
    Indicator,
    IndicatorValue,
    Methodology,
    Report,
    ReportForm,
    Target,
)
from kense.indicators.services import reports
from kense.media.forms import PublicationForm
from kense.media.models import Publication
from kense.meetings import services as meeting_services
from kense.meetings.feeds import calendar_token
from kense.meetings.forms import MeetingForm
from kense.meetings.models import (
    AgendaItem,
    Decision,
    InvitationGroup,
    Meeting,
    MeetingSeries,
    Participant,
)
from kense.notifications.models import (
    Channel,
    Notification,
    NotificationKind,
    Reason,
    Send,
    SendStatus,
)
from kense.programs.forms import DirectionForm, ProgramForm, ProjectForm
from kense.programs.models import Direction, Program, Project
from kense.registry.forms import (
    AppointmentForm,
    OrganizationForm,
    PersonForm,
    StaffPostForm,
    TerritoryForm,
)
from kense.registry.models import (
    Appointment,
    Organization,
    OrganizationKind,
    Person,
    Position,
    StaffPost,
    Territory,
    TerritoryKind,
)
from kense.sites.forms import SiteForm
from kense.sites.models import Site
from kense.sites.services import site_photos_add, site_save

# ---------------------------------------------------------------------------------------------
# The world
# ---------------------------------------------------------------------------------------------

ROLES = (
    "administrator",
    "project_office",
    "executive",
    "department",
    "coordinator",
    "institution",
    "observer",
    "anonymous",
)
JSON = "application/json"
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def pdf(name: str = "note.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def photo(name: str = "photo.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"\x89PNG\r\n\x1a\n" + bytes(32), content_type="image/png")


@dataclass
class World:
    users: dict[str, User] = field(default_factory=dict)
    others: dict[str, User] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)
    token: dict[str, ApiToken] = field(default_factory=dict)
    # A notification of the institution's (nobody else reads it), and its e-mail not sent.
    notification: dict[str, Notification] = field(default_factory=dict)
    send: dict[str, Send] = field(default_factory=dict)
    # Accounts by district (A's and B's coordinators, X's project office) and the service
    # tokens acting as A's coordinator and as X's office.
    account: dict[str, User] = field(default_factory=dict)
    service_token: dict[str, ApiToken] = field(default_factory=dict)
    clients: dict[str, Client] = field(default_factory=dict)
    api_clients: dict[str, Client] = field(default_factory=dict)
    territory: dict[str, Territory] = field(default_factory=dict)
    organization: dict[str, Organization] = field(default_factory=dict)
    division: dict[str, Organization] = field(default_factory=dict)
    person: dict[str, Person] = field(default_factory=dict)
    post: dict[str, StaffPost] = field(default_factory=dict)
    appointment: dict[str, Appointment] = field(default_factory=dict)
    project: dict[str, Project] = field(default_factory=dict)
    program: dict[str, Program] = field(default_factory=dict)
    direction: dict[str, Direction] = field(default_factory=dict)
    position: Position | None = None
    # Meetings
    series: dict[str, MeetingSeries] = field(default_factory=dict)
    group: dict[str, InvitationGroup] = field(default_factory=dict)
    meeting: dict[str, Meeting] = field(default_factory=dict)
    participant: dict[str, Participant] = field(default_factory=dict)
    guest: dict[str, Person] = field(default_factory=dict)
    item: dict[str, AgendaItem] = field(default_factory=dict)
    decision: dict[str, Decision] = field(default_factory=dict)
    item_file: dict[str, Attachment] = field(default_factory=dict)
    # Assignments: `assignment` from the meeting's decision, `order` from an akim's order
    assignment: dict[str, Assignment] = field(default_factory=dict)
    order: dict[str, Assignment] = field(default_factory=dict)
    # The review candidates of A's meeting: A's order, and B's assignment (see build_world)
    candidate: dict[str, Assignment] = field(default_factory=dict)
    execution_report: dict[str, ExecutionReport] = field(default_factory=dict)
    report_file: dict[str, Attachment] = field(default_factory=dict)
    extension: dict[str, Extension] = field(default_factory=dict)
    # The decisions of B's and X's meetings on their district's assignment (`keep`)
    review: dict[str, Review] = field(default_factory=dict)
    # Events, plans, emergencies
    event: dict[str, Event] = field(default_factory=dict)
    postponed: dict[str, Event] = field(default_factory=dict)
    emergency: dict[str, Emergency] = field(default_factory=dict)
    lifted: dict[str, Emergency] = field(default_factory=dict)
    plan: dict[str, WorkPlan] = field(default_factory=dict)
    plan_item: dict[str, PlanItem] = field(default_factory=dict)
    submitted_plan: dict[str, WorkPlan] = field(default_factory=dict)
    approved_plan: dict[str, WorkPlan] = field(default_factory=dict)
    # Indicators
    indicator: dict[str, Indicator] = field(default_factory=dict)
    target: dict[str, Target] = field(default_factory=dict)
    report_form: dict[str, ReportForm] = field(default_factory=dict)
    report: dict[str, Report] = field(default_factory=dict)
    value: dict[str, IndicatorValue] = field(default_factory=dict)
    methodology: dict[str, Methodology] = field(default_factory=dict)
    # Documents, ideas, the media
    document: dict[str, Document] = field(default_factory=dict)
    version: dict[str, DocumentVersion] = field(default_factory=dict)
    recipient: dict[str, Recipient] = field(default_factory=dict)
    acknowledged: dict[str, Recipient] = field(default_factory=dict)
    recipient_file: dict[str, Attachment] = field(default_factory=dict)
    idea: dict[str, Idea] = field(default_factory=dict)
    idea_file: dict[str, Attachment] = field(default_factory=dict)
    citizen_idea: dict[str, Idea] = field(default_factory=dict)
    outlet: dict[str, Organization] = field(default_factory=dict)
    publication: dict[str, Publication] = field(default_factory=dict)
    # Sacred sites, each with a photo
    site: dict[str, Site] = field(default_factory=dict)
    site_photo: dict[str, Attachment] = field(default_factory=dict)


def _district(world: World, key: str, district: Territory, name: str) -> None:
    """An akimat, its culture division, a school under the division, a person on a post."""
    akimat = OrganizationFactory(
        name_kk=f"{name} әкімдігі", kind=OrganizationKind.AKIMAT, territory=district
    )
    division = OrganizationFactory(
        name_kk=f"{name} мәдениет бөлімі",
        kind=OrganizationKind.DIVISION,
        territory=district,
        parent=akimat,
    )
    school = OrganizationFactory(
        name_kk=f"{name} мектебі",
        kind=OrganizationKind.SCHOOL,
        territory=district,
        parent=division,
    )
    post = StaffPostFactory(organization=school, position=world.position)
    person = PersonFactory(surname_kk=f"{name}ов", surname_ru=f"{name}ов")
    appointment = AppointmentFactory(
        person=person, organization=school, position=world.position, post=post
    )
    project = ProjectFactory(
        name_kk=f"{name} жобасы",
        program=world.program["p"],
        direction=world.direction["d"],
        territory=district,
        lead_organization=division,
    )
    world.territory[key] = district
    world.organization[key] = school
    world.division[key] = division
    world.person[key] = person
    world.post[key] = post
    world.appointment[key] = appointment
    world.project[key] = project
    if key == "a":
        world.organization["division_a"] = division
        world.organization["akimat_a"] = akimat
        project.co_executors.add(school)


def _attach(target: Any, user: User) -> Attachment:
    """A file on an object, stored as the page that uploads it stores it."""
    upload = pdf()
    attachment = Attachment(
        content_type=ContentType.objects.get_for_model(target),
        object_id=target.pk,
        name=upload.name,
        mime_type="application/pdf",
        size=upload.size,
        uploaded_by=user,
    )
    attachment.file.save(upload.name, upload, save=False)
    attachment.save()
    return attachment


def _real_photo() -> SimpleUploadedFile:
    """A PNG that decodes (a resident's photo is re-saved from its pixels)."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (4, 4), "teal").save(out, "PNG")
    return SimpleUploadedFile("photo.png", out.getvalue(), content_type="image/png")


def _activity(world: World, key: str, office: User, proposer: User) -> None:
    """What a district holds besides its registry (see the module docstring); `office` is the
    project office of the district's region, `proposer` the author of its idea."""
    admin = world.users["administrator"]
    district = world.territory[key]
    school = world.organization[key]
    division = world.division[key]

    meeting = MeetingFactory(
        organizer=division, territory=district, state="held", series=world.series["s"]
    )
    # Marked present: minutes are approved only once the attendance is taken.
    participant = ParticipantFactory(
        meeting=meeting, person=world.person[key], organization=school, attendance="present"
    )
    # Not invited yet: the head of the division.
    guest = PersonFactory()
    head = PositionFactory(code="head", name_kk="Басшы", name_ru="Руководитель")
    AppointmentFactory(person=guest, organization=division, position=head)
    world.guest[key] = guest
    item = AgendaItemFactory(meeting=meeting, order=1)
    decision = DecisionFactory(item=item, number=1)
    item_file = meeting_services.attachment_add(item, user=admin, upload=pdf())
    world.meeting[key], world.participant[key], world.item[key] = meeting, participant, item
    world.decision[key], world.item_file[key] = decision, item_file

    assignment = AssignmentFactory(
        decision=decision,
        lead_organization=school,
        controller=office,
        created_by=office,
        deadline=datetime.date(2021, 2, 1),
    )
    report = assignment_services.report_submit(assignment, user=admin, text="Орындалды.")
    order = AssignmentFactory(
        lead_organization=school,
        controller=office,
        created_by=office,
        deadline=datetime.date(2021, 2, 1),
    )
    extension = assignment_services.extension_request(
        order, user=admin, new_deadline=datetime.date(2021, 3, 1), reason="Карантин."
    )
    world.assignment[key], world.order[key] = assignment, order
    world.execution_report[key], world.extension[key] = report, extension
    world.report_file[key] = _attach(report, admin)

    event = EventFactory(organizer=school, territory=district, program=world.program["p"])
    world.event[key] = event
    world.emergency[key] = EmergencyFactory(
        territories=[district],
        declared_by=office,
        start=datetime.date(2020, 4, 1),
        end=datetime.date(2020, 4, 30),
    )
    lifted = EmergencyFactory(
        territories=[district],
        declared_by=office,
        start=datetime.date(2020, 3, 16),
        lifted_on=datetime.date(2020, 5, 11),
    )
    world.lifted[key] = lifted
    world.postponed[key] = EventFactory(
        organizer=school,
        territory=district,
        program=world.program["p"],
        start=datetime.date(2020, 3, 20),
        status="postponed",
        emergency=lifted,
        after_lifting=True,
    )

    plan = WorkPlanFactory(territory=district, organization=school)
    world.plan[key] = plan
    world.plan_item[key] = PlanItemFactory(plan=plan, responsible=school)
    submitted = WorkPlanFactory(territory=district, organization=school)
    PlanItemFactory(plan=submitted, responsible=school)
    world.submitted_plan[key] = plans.plan_submit(submitted, user=admin)
    approved = WorkPlanFactory(territory=district, organization=school)
    PlanItemFactory(plan=approved, responsible=school)
    world.approved_plan[key] = plans.plan_approve(
        plans.plan_submit(approved, user=admin), user=admin
    )

    world.target[key] = TargetFactory(indicator=world.indicator["i"], territory=district)
    report = reports.report_open(world.report_form["f"], district, 2020, 1, user=admin)
    reports.report_save_values(
        report, user=admin, values={world.indicator["r"].pk: (Decimal(5), "")}
    )
    world.report[key] = report
    world.value[key] = IndicatorValue.objects.get(report=report)

    idea = idea_services.idea_propose(
        user=proposer,
        title=f"{district.name_kk}: кешкі оқу клубы",
        description="Кітапханада кешкі оқу клубын ашу.",
        territory=district,
        uploads=[pdf("idea.pdf")],
    )
    world.idea[key] = idea
    world.idea_file[key] = Attachment.objects.get(
        content_type=ContentType.objects.get_for_model(Idea), object_id=idea.pk
    )
    resident = CitizenAddress.objects.create(
        email=f"resident-{key}@example.com", confirmed_at=timezone.now()
    )
    world.citizen_idea[key] = public_ideas.citizen_propose(
        address=resident,
        title=f"{district.name_kk}: саябаққа орындық",
        text="Саябаққа орындықтар қою.",
        territory=district,
        language="kk",
        client_ip=f"192.0.2.{len(world.citizen_idea) + 1}",
        photo=_real_photo(),
    )
    outlet = OrganizationFactory(kind=OrganizationKind.MEDIA, territory=district)
    world.outlet[key] = outlet
    world.publication[key] = PublicationFactory(outlet=outlet, territories=[district])
    site = Site(
        name_kk=f"{district.name_kk}: киелі мазар",
        name_ru=f"{district.name_ru}: священный мазар",
        kind="mausoleum",
        territory=district,
    )
    world.site[key] = site_save(site, user=admin)
    world.site_photo[key] = site_photos_add(site, user=admin, photos=[photo()])[0]


def _library(world: World) -> None:
    """The guideline, a version of it, and two distributions to every school: the first
    acknowledged with a file, the second waiting."""
    admin = world.users["administrator"]
    document = DocumentFactory(created_by=world.users["project_office"])
    world.document["doc"] = document
    world.version["doc"] = document_services.version_add(
        document, user=admin, upload=pdf("guide.pdf"), language="kk"
    )
    for attribute in ("acknowledged", "recipient"):
        distribution = document_services.distribution_send(
            document,
            user=admin,
            organization_kinds=[OrganizationKind.SCHOOL],
            mode="information",
        )
        for key in ("a", "b", "x"):
            getattr(world, attribute)[key] = distribution.recipients.get(
                organization=world.organization[key]
            )
    for key, recipient in world.acknowledged.items():
        document_services.acknowledge(recipient, user=admin, uploads=[pdf("applied.pdf")])
        world.recipient_file[key] = Attachment.objects.get(
            content_type=ContentType.objects.get_for_model(Recipient), object_id=recipient.pk
        )


def build_world() -> World:
    world = World()
    world.position = PositionFactory(code="teacher", name_kk="Мұғалім", name_ru="Учитель")
    program = ProgramFactory(code="culture", name_kk="Мәдениет", name_ru="Культура")
    world.program["p"] = program
    world.direction["d"] = DirectionFactory(program=program, name_kk="Театр", name_ru="Театр")
    region = TerritoryFactory(name_kk="Облыс", name_ru="Область", kind=TerritoryKind.REGION)
    region_x = TerritoryFactory(name_kk="Басқа облыс", name_ru="Другая", kind=TerritoryKind.REGION)
    for key, parent, name in (
        ("a", region, "Алаш"),
        ("b", region, "Бетпак"),
        ("x", region_x, "Ықсан"),
    ):
        district = TerritoryFactory(
            name_kk=f"{name} ауданы", name_ru=f"{name} район", parent=parent
        )
        _district(world, key, district, name)
    world.users = {
        "administrator": UserFactory(role=Role.ADMINISTRATOR),
        "project_office": UserFactory(role=Role.PROJECT_OFFICE, territory=region),
        "executive": UserFactory(role=Role.EXECUTIVE, territory=region),
        "department": UserFactory(role=Role.DEPARTMENT, organization=world.division["a"]),
        "coordinator": UserFactory(role=Role.COORDINATOR, territory=world.territory["a"]),
        "institution": UserFactory(role=Role.INSTITUTION, organization=world.organization["a"]),
        "observer": UserFactory(role=Role.OBSERVER, territory=region),
    }
    world.others = {
        "office_x": UserFactory(role=Role.PROJECT_OFFICE, territory=region_x),
        "coordinator_b": UserFactory(role=Role.COORDINATOR, territory=world.territory["b"]),
    }

    world.series["s"] = MeetingSeriesFactory()
    world.group["g"] = InvitationGroupFactory(position=world.position)
    world.indicator["i"] = IndicatorFactory(code="events-held")
    world.indicator["r"] = IndicatorFactory(code="visitors", source="reported")
    world.report_form["f"] = ReportFormFactory(
        indicators=[world.indicator["r"]],
        territories=[world.territory[key] for key in ("a", "b", "x")],
    )
    world.methodology["m"] = MethodologyFactory(
        created_by=world.users["project_office"], weights={"events-held": 1}
    )
    offices = {"a": world.users["project_office"], "b": world.users["project_office"]}
    offices["x"] = world.others["office_x"]
    proposers = {"a": world.users["institution"], "b": world.others["coordinator_b"]}
    proposers["x"] = world.others["office_x"]
    for key in ("a", "b", "x"):
        _activity(world, key, offices[key], proposers[key])
    _library(world)
    # A's project is discussed at A's and at B's meeting: B's assignment is a candidate of
    # A's meeting's review.
    for key in ("a", "b"):
        world.meeting[key].projects.add(world.project["a"])
    world.candidate = {"a": world.order["a"], "b": world.assignment["b"]}
    # B's and X's meetings have decided on their district's assignment (the orders are left
    # for the rows that decide on them).
    for key in ("b", "x"):
        world.review[key] = assignment_services.review_record(
            meeting=world.meeting[key],
            assignment=world.assignment[key],
            user=world.users["administrator"],
            choice="keep",
        )

    for role, user in world.users.items():
        world.token[role], world.tokens[role] = ApiToken.issue(user=user, name="permissions")
    world.notification["institution"] = Notification.objects.create(
        recipient=world.users["institution"],
        kind=NotificationKind.DOCUMENT_RECEIVED,
        target=world.recipient["a"],
        context={"object": "doc"},
    )
    world.send["institution"] = Send.objects.create(
        notification=world.notification["institution"],
        channel=Channel.EMAIL,
        status=SendStatus.SKIPPED,
        reason=Reason.NO_EMAIL,
    )
    world.account = {
        "a": world.users["coordinator"],
        "b": world.others["coordinator_b"],
        "x": world.others["office_x"],
    }
    for key, issuer in (("a", world.users["project_office"]), ("x", world.others["office_x"])):
        world.service_token[key], _key = ApiToken.issue(
            user=world.account[key],
            name="integration",
            kind=TokenKind.SERVICE,
            permissions=["reports:read"],
            expires_at=timezone.now() + datetime.timedelta(days=30),
            created_by=issuer,
        )
    # Logged in once: the sessions belong to the module's transaction, like the rest.
    for role, user in world.users.items():
        client = Client()
        client.force_login(user, backend=MODEL_BACKEND)
        world.clients[role] = client
        world.api_clients[role] = Client(HTTP_AUTHORIZATION=f"Bearer {world.tokens[role]}")
    world.clients["anonymous"] = world.api_clients["anonymous"] = Client()
    return world


@pytest.fixture(autouse=True, scope="module")
def _quiet_refusals() -> Any:
    """Thousands of 403s and 404s are the point of this module: Django's warning for each,
    with its traceback, is not (errors are still logged)."""
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.ERROR)
    yield
    logger.setLevel(level)


@pytest.fixture(autouse=True)
def _in_kazakh_pages() -> Any:
    """Pages under /kk/, whatever language an earlier test left active."""
    with translation.override("kk"):
        yield


@contextmanager
def built_world(django_db_blocker: Any, tmp_path_factory: Any) -> Iterator[World]:
    """The world, built once inside a transaction that is rolled back at the end; its files
    in a folder of their own. Every test runs in a savepoint of it (see `answer`)."""
    media = override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media"))
    with media, django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            with override_settings(
                PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]
            ):
                built = build_world()
            yield built
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture(scope="module")
def world(django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: Any) -> Any:
    """Built once for the module; every test runs in a savepoint and rolls back."""
    with built_world(django_db_blocker, tmp_path_factory) as built:
        yield built


# ---------------------------------------------------------------------------------------------
# The table
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Bug:
    """The documented answer, which the implementation does not give yet (an xfail)."""

    expected: int
    reason: str


NEW_PERSON_OUT_OF_REACH = (
    "Departments and institutions register people with a post in their organization, which "
    "the pages ask for; the API's person create has no post yet, so the new person is out of "
    "their reach and save_in_scope refuses it."
)
FORM_OF_OTHER_REGIONS = (
    "Report forms are region-wide definitions the project office writes (RegionWide), but the "
    "edit form offers only the territories of the user's scope: an unchanged save of a form "
    "that territories of another region also submit is refused (400 'invalid choice'), and a "
    "save that went through would have to drop them."
)
RESTORE_EMERGENCY = (
    "An emergency's page shows the administrator the history's 'restore this version' "
    "buttons, but core.views._audited_object answers 404 for a model without restrict() "
    "(Emergency's scope is events.selectors.emergencies.emergency_list), so no version of an "
    "emergency can be restored, and those who see it get 404 instead of 403."
)
# Column order of every row.
#   adm = administrator, po = project office, exe = executive, dep = department,
#   crd = coordinator of district A, ins = institution, obs = observer, anon = anonymous.
# 302 for an anonymous page request is the redirect to the login page; for anyone else it is
# the redirect after a successful POST. A POST that a form refuses (a choice the user may not
# make) is 400.
# fmt: off
PAGES: dict[tuple[str, str, str | None], tuple[int | Bug, ...]] = {
    # method, url name, object               adm  po   exe  dep  crd  ins  obs  anon
    ("GET", "home:dashboard", None):               (200, 200, 200, 200, 200, 200, 200, 302),
    ("GET", "home:search", None):             (200, 200, 200, 200, 200, 200, 200, 302),
    ("GET", "accounts:profile", None):        (200, 200, 200, 200, 200, 200, 200, 302),
    # Territories
    ("GET", "registry:territory_tree", None): (200, 200, 200, 200, 200, 200, 200, 302),
    ("GET", "registry:territory_list", None): (200, 200, 200, 200, 200, 200, 200, 302),
    ("GET", "registry:territory_detail", "a"):   (200, 200, 200, 200, 200, 200, 200, 302),
    ("GET", "registry:territory_detail", "b"):   (200, 200, 200, 404, 404, 404, 200, 302),
    ("GET", "registry:territory_detail", "x"):   (200, 404, 404, 404, 404, 404, 404, 302),
    ("GET", "registry:territory_children", "a"): (200, 200, 200, 200, 200, 200, 200, 302),
    ("GET", "registry:territory_children", "b"): (200, 200, 200, 404, 404, 404, 200, 302),
    ("GET", "registry:territory_children", "x"): (200, 404, 404, 404, 404, 404, 404, 302),
    ("GET", "registry:territory_edit", "a"):     (200, 200, 403, 403, 200, 403, 403, 302),
    ("GET", "registry:territory_edit", "b"):     (200, 200, 403, 404, 404, 404, 403, 302),
    ("GET", "registry:territory_edit", "x"):     (200, 404, 404, 404, 404, 404, 404, 302),
    ("GET", "registry:territory_add", None):     (200, 200, 403, 403, 200, 403, 403, 302),
    ("GET", "registry:territory_add", "a"):      (200, 200, 403, 403, 200, 403, 403, 302),
    ("GET", "registry:territory_add", "b"):      (200, 200, 403, 403, 404, 403, 403, 302),
    ("GET", "registry:territory_add", "x"):      (200, 404, 403, 403, 404, 403, 403, 302),
    ("POST", "registry:territory_add", "a"):     (302, 302, 403, 403, 302, 403, 403, 302),
    ("POST", "registry:territory_add", "b"):     (302, 302, 403, 403, 400, 403, 403, 302),
    ("POST", "registry:territory_add", "x"):     (302, 400, 403, 403, 400, 403, 403, 302),
    ("POST", "registry:territory_edit", "a"):
        (302, 302, 403, 403, 302, 403, 403, 302),
    ("POST", "registry:territory_edit", "b"):    (302, 302, 403, 404, 404, 404, 403, 302),
    ("POST", "registry:territory_edit", "x"):    (302, 404, 404, 404, 404, 404, 404, 302),
    # Organizations
    ("GET", "registry:organization_list", None):        (200, 200, 200, 200, 200, 200, 200, 302),
    ("GET", "registry:organization_detail", "a"):       (200, 200, 200, 200, 200, 200, 200, 302),
    ("GET", "registry:organization_detail", "division_a"): (200, 200, 200, 200, 200, 404, 200, 302),
    ("GET", "registry:organization_detail", "akimat_a"):   (200, 200, 200, 404, 200, 404, 200, 302),
    ("GET", "registry:organization_detail", "b"):       (200, 200, 200, 404, 404, 404, 200, 302),
    ("GET", "registry:organization_detail", "x"):       (200, 404, 404, 404, 404, 404, 404, 302),
    ("GET", "registry:organization_edit", "a"):         (200, 200, 403, 200, 200, 200, 403, 302),
    ("GET", "registry:organization_edit", "b"):         (200, 200, 403, 404, 404, 404, 403, 302),
    ("GET", "registry:organization_edit", "x"):         (200, 404, 404, 404, 404, 404, 404, 302),
    ("GET", "registry:organization_add", None):         (200, 200, 403, 403, 200, 403, 403, 302),
    ("POST", "registry:organization_add", "a"):         (302, 302, 403, 403, 302, 403, 403, 302),
    ("POST", "registry:organization_add", "b"):         (302, 302, 403, 403, 400, 403, 403, 302),
    ("POST", "registry:organization_add", "x"):         (302, 400, 403, 403, 400, 403, 403, 302),
    ("POST", "registry:organization_edit", "a"):
        (302, 302, 403, 302, 302, 302, 403, 302),
    ("POST", "registry:organization_edit", "division_a"):
        (302, 302, 403, 302, 302, 404, 403, 302),
    ("POST", "registry:organization_edit", "b"):        (302, 302, 403, 404, 404, 404, 403, 302),
    ("POST", "registry:organization_edit", "x"):        (302, 404, 404, 404, 404, 404, 404, 302),
    # People
    ("GET", "registry:person_list", None):   (200, 200, 200, 200, 200, 200, 200, 302),
    ("GET", "registry:person_detail", "a"):  (200, 200, 200, 200, 200, 200, 200, 302),
    ("GET", "registry:person_detail", "b"):  (200, 200, 200, 404, 404, 404, 200, 302),
    ("GET", "registry:person_detail", "x"):  (200, 404, 404, 404, 404, 404, 404, 302),
    ("GET", "registry:person_edit", "a"):    (200, 200, 403, 200, 200, 200, 403, 302),
    ("GET", "registry:person_edit", "b"):    (200, 200, 403, 404, 404, 404, 403, 302),
    ("GET", "registry:person_edit", "x"):    (200, 404, 404, 404, 404, 404, 404, 302),
    ("GET", "registry:person_add", None):    (200, 200, 403, 200, 200, 200, 403, 302),
    # Departments and institutions register a person with a post in their own organization.
    ("POST", "registry:person_add", "a"):    (302, 302, 403, 302, 302, 302, 403, 302),
    ("POST", "registry:person_add", "b"):    (302, 302, 403, 400, 400, 400, 403, 302),
    ("POST", "registry:person_add", "x"):    (302, 400, 403, 400, 400, 400, 403, 302),
    ("POST", "registry:person_edit", "a"):   (302, 302, 403, 302, 302, 302, 403, 302),
    ("POST", "registry:person_edit", "b"):   (302, 302, 403, 404, 404, 404, 403, 302),
    ("POST", "registry:person_edit", "x"):   (302, 404, 404, 404, 404, 404, 404, 302),
    # Appointments (the object of an add page is the organization, ?organization=…)
    ("GET", "registry:appointment_add", None):  (200, 200, 403, 200, 200, 200, 403, 302),
    ("GET", "registry:appointment_add", "a"):   (200, 200, 403, 200, 200, 200, 403, 302),
    ("GET", "registry:appointment_add", "b"):   (200, 200, 403, 404, 404, 404, 403, 302),
    ("GET", "registry:appointment_add", "x"):   (200, 404, 403, 404, 404, 404, 403, 302),
    ("GET", "registry:appointment_edit", "a"):  (200, 200, 403, 200, 200, 200, 403, 302),
    ("GET", "registry:appointment_edit", "b"):  (200, 200, 403, 404, 404, 404, 403, 302),
    ("GET", "registry:appointment_edit", "x"):  (200, 404, 404, 404, 404, 404, 404, 302),
    ("POST", "registry:appointment_add", "a"):  (302, 302, 403, 302, 302, 302, 403, 302),
    ("POST", "registry:appointment_add", "b"):  (302, 302, 403, 400, 400, 400, 403, 302),
    ("POST", "registry:appointment_add", "x"):  (302, 400, 403, 400, 400, 400, 403, 302),
    ("POST", "registry:appointment_edit", "a"): (302, 302, 403, 302, 302, 302, 403, 302),
    ("POST", "registry:appointment_edit", "b"): (302, 302, 403, 404, 404, 404, 403, 302),
    ("POST", "registry:appointment_edit", "x"): (302, 404, 404, 404, 404, 404, 404, 302),
    # Staffing (the object is the organization, ?organization=…) and staff posts
    ("GET", "registry:staffing", None):         (200, 200, 200, 200, 200, 200, 200, 302),
    ("GET", "registry:staffing", "a"):          (200, 200, 200, 200, 200, 200, 200, 302),
    ("GET", "registry:staffing", "b"):          (200, 200, 200, 404, 404, 404, 200, 302),
    ("GET", "registry:staffing", "x"):          (200, 404, 404, 404, 404, 404, 404, 302),
    ("GET", "registry:staff_post_add", None):   (200, 200, 403, 200, 200, 200, 403, 302),
    ("GET", "registry:staff_post_add", "a"):    (200, 200, 403, 200, 200, 200, 403, 302),
    ("GET", "registry:staff_post_add", "b"):    (200, 200, 403, 404, 404, 404, 403, 302),
    ("GET", "registry:staff_post_add", "x"):    (200, 404, 403, 404, 404, 404, 403, 302),
    ("GET", "registry:staff_post_edit", "a"):   (200, 200, 403, 200, 200, 200, 403, 302),
    ("GET", "registry:staff_post_edit", "b"):   (200, 200, 403, 404, 404, 404, 403, 302),
    ("GET", "registry:staff_post_edit", "x"):   (200, 404, 404, 404, 404, 404, 404, 302),
    ("POST", "registry:staff_post_add", "a"):   (302, 302, 403, 302, 302, 302, 403, 302),
    ("POST", "registry:staff_post_add", "b"):   (302, 302, 403, 400, 400, 400, 403, 302),
    ("POST", "registry:staff_post_add", "x"):   (302, 400, 403, 400, 400, 400, 403, 302),
    ("POST", "registry:staff_post_edit", "a"):  (302, 302, 403, 302, 302, 302, 403, 302),
    ("POST", "registry:staff_post_edit", "b"):  (302, 302, 403, 404, 404, 404, 403, 302),
    ("POST", "registry:staff_post_edit", "x"):  (302, 404, 404, 404, 404, 404, 404, 302),
    # Imports (the object is the kind of import)
    ("GET", "registry:import", "organizations"): (200, 200, 403, 403, 200, 403, 403, 302),
    ("GET", "registry:import", "people"):        (200, 200, 403, 200, 200, 200, 403, 302),
    # Programs and directions: region-wide, read by everyone, written by the project office
    ("GET", "programs:program_list", None):      (200, 200, 200, 200, 200, 200, 200, 302),
    ("GET", "programs:program_detail", "p"):     (200, 200, 200, 200, 200, 200, 200, 302),
    ("GET", "programs:program_edit", "p"):       (200, 200, 403, 403, 403, 403, 403, 302),
    ("GET", "programs:program_add", None):       (200, 200, 403, 403, 403, 403, 403, 302),
    ("POST", "programs:program_add", None):      (302, 302, 403, 403, 403, 403, 403, 302),
    ("POST", "programs:program_edit", "p"):      (302, 302, 403, 403, 403, 403, 403, 302),
    ("GET", "programs:direction_detail", "d"):   (200, 200, 200, 200, 200, 200, 200, 302),
    ("GET", "programs:direction_edit", "d"):     (200, 200, 403, 403, 403, 403, 403, 302),
    ("GET", "programs:direction_add", None):     (200, 200, 403, 403, 403, 403, 403, 302),
    ("GET", "programs:direction_add", "p"):      (200, 200, 403, 403, 403, 403, 403, 302),
    ("POST", "programs:direction_add", "p"):     (302, 302, 403, 403, 403, 403, 403, 302),
    ("POST", "programs:direction_edit", "d"):    (302, 302, 403, 403, 403, 403, 403, 302),
    # Special projects (A's project is led by A's division and co-executed by A's school)
    ("GET", "programs:project_list", None):      (200, 200, 200, 200, 200, 200, 200, 302),
    ("GET", "programs:project_detail", "a"):     (200, 200, 200, 200, 200, 200, 200, 302),
    ("GET", "programs:project_detail", "b"):     (200, 200, 200, 404, 404, 404, 200, 302),
    ("GET", "programs:project_detail", "x"):     (200, 404, 404, 404, 404, 404, 404, 302),
    ("GET", "programs:project_edit", "a"):       (200, 200, 403, 200, 200, 403, 403, 302),
    ("GET", "programs:project_edit", "b"):       (200, 200, 403, 404, 404, 404, 403, 302),
    ("GET", "programs:project_edit", "x"):       (200, 404, 404, 404, 404, 404, 404, 302),
    ("GET", "programs:project_add", None):       (200, 200, 403, 200, 200, 403, 403, 302),
    ("GET", "programs:project_add", "p"):        (200, 200, 403, 200, 200, 403, 403, 302),
    ("POST", "programs:project_add", "a"):       (302, 302, 403, 302, 302, 403, 403, 302),
    ("POST", "programs:project_add", "b"):       (302, 302, 403, 400, 400, 403, 403, 302),
    ("POST", "programs:project_add", "x"):       (302, 400, 403, 400, 400, 403, 403, 302),
    ("POST", "programs:project_edit", "a"):      (302, 302, 403, 302, 302, 403, 403, 302),
    ("POST", "programs:project_edit", "b"):      (302, 302, 403, 404, 404, 404, 403, 302),
    ("POST", "programs:project_edit", "x"):      (302, 404, 404, 404, 404, 404, 404, 302),
    # Comments (on projects a/b/x and on the program p) and restoring an earlier version (that
    # the value does come back is tests/programs/test_views.py's concern)
    ("POST", "core:add_comment", "p"):           (302, 302, 302, 403, 403, 403, 403, 302),
    ("POST", "core:add_comment", "a"):           (302, 302, 302, 302, 302, 403, 403, 302),
    ("POST", "core:add_comment", "b"):           (302, 302, 302, 404, 404, 404, 403, 302),
    ("POST", "core:add_comment", "x"):           (302, 404, 404, 404, 404, 404, 404, 302),
    ("POST", "core:restore_version", "a"):       (302, 403, 403, 403, 403, 403, 403, 302),
    ("POST", "core:restore_version", "b"):       (302, 403, 403, 404, 404, 404, 403, 302),
    ("POST", "core:restore_version", "x"):       (302, 404, 404, 404, 404, 404, 404, 302),
    # The administrator restores any audited object; the others are refused what they see.
    ("POST", "core:restore_version", "event:a"): (302, 403, 403, 403, 403, 403, 403, 302),
    ("POST", "core:restore_version", "meeting:x"):   (302, 404, 404, 404, 404, 404, 404, 302),
    ("POST", "core:restore_version", "emergency:a"):
        (Bug(302, RESTORE_EMERGENCY), Bug(403, RESTORE_EMERGENCY), Bug(403, RESTORE_EMERGENCY),
         Bug(403, RESTORE_EMERGENCY), Bug(403, RESTORE_EMERGENCY), Bug(403, RESTORE_EMERGENCY),
         Bug(403, RESTORE_EMERGENCY), 302),
    # Objects without a page of their own (targets, appointments, staff posts, values) take
    # no comments and are restored through their page's object: nothing to find here.
    ("POST", "core:restore_version", "target:a"):
        (404, 403, 403, 403, 403, 403, 403, 302),
    ("POST", "core:add_comment", "target:a"):
        (404, 403, 403, 403, 403, 403, 403, 302),
    ("POST", "core:add_comment", "appointment:a"):
        (404, 403, 403, 403, 403, 403, 403, 302),
    # -----------------------------------------------------------------------------------------
    # Public and token-based pages: the same answer whoever asks
    # -----------------------------------------------------------------------------------------
    ("GET", "healthz", None):                     (200, 200, 200, 200, 200, 200, 200, 200),
    ("GET", "api:openapi-json", None):            (200, 200, 200, 200, 200, 200, 200, 200),
    ("GET", "api:openapi-view", None):            (200, 200, 200, 200, 200, 200, 200, 200),
    ("GET", "api:api-root", None):                (404, 404, 404, 404, 404, 404, 404, 404),
    ("GET", "accounts:login", None):              (200, 200, 200, 200, 200, 200, 200, 200),
    # Logging out is a POST (a link cannot log anybody out).
    ("GET", "accounts:logout", None):             (405, 405, 405, 405, 405, 405, 405, 405),
    ("POST", "accounts:logout", None):            (302, 302, 302, 302, 302, 302, 302, 302),
    ("GET", "accounts:password_reset", None):     (200, 200, 200, 200, 200, 200, 200, 200),
    ("GET", "accounts:password_reset_done", None):    (200, 200, 200, 200, 200, 200, 200, 200),
    ("GET", "accounts:password_reset_complete", None):
        (200, 200, 200, 200, 200, 200, 200, 200),
    # A forged link shows the page that says so; the institution's own link goes on to the
    # form that sets the password, whoever opens it.
    ("GET", "accounts:password_reset_confirm", "forged"):
        (200, 200, 200, 200, 200, 200, 200, 200),
    ("GET", "accounts:password_reset_confirm", "institution"):
        (302, 302, 302, 302, 302, 302, 302, 302),
    # The personal calendar: the institution's token opens its feed for anybody, a forged one
    # nothing; calendar programs only GET.
    ("GET", "calendar:calendar_feed", "institution"): (200, 200, 200, 200, 200, 200, 200, 200),
    ("GET", "calendar:calendar_feed", "forged"):  (404, 404, 404, 404, 404, 404, 404, 404),
    ("POST", "calendar:calendar_feed", "institution"):
        (405, 405, 405, 405, 405, 405, 405, 405),
    # Event feeds: the coordinator's token for district A's events; the same token does not
    # open a feed of district X, which the coordinator does not see.
    ("GET", "events:event_ics_feed", "a"):        (200, 200, 200, 200, 200, 200, 200, 200),
    ("GET", "events:event_ics_feed", "x"):        (404, 404, 404, 404, 404, 404, 404, 404),
    ("GET", "events:event_ics_feed", "forged"):   (404, 404, 404, 404, 404, 404, 404, 404),
    # -----------------------------------------------------------------------------------------
    # The account
    # -----------------------------------------------------------------------------------------
    ("GET", "accounts:password_change", None):    (200, 200, 200, 200, 200, 200, 200, 302),
    # A new token is shown once, on the page itself.
    ("POST", "accounts:profile", None):           (200, 200, 200, 200, 200, 200, 200, 302),
    # One's own tokens only: the institution's token is nobody else's to revoke.
    ("POST", "accounts:revoke_token", "institution"):
        (404, 404, 404, 404, 404, 302, 404, 302),
    ("GET", "accounts:revoke_token", "institution"):
        (405, 405, 405, 405, 405, 405, 405, 302),
    # Everyone renews their own calendar address, by POST only.
    ("POST", "accounts:renew_calendar", None):    (302, 302, 302, 302, 302, 302, 302, 302),
    ("GET", "accounts:renew_calendar", None):     (405, 405, 405, 405, 405, 405, 405, 302),
    # Notifications: everyone their own; the institution's is nobody else's to open or mark.
    ("GET", "notifications:notification_list", None): (200, 200, 200, 200, 200, 200, 200, 302),
    ("GET", "notifications:bell", None):          (200, 200, 200, 200, 200, 200, 200, 302),
    ("POST", "notifications:mark_all_read", None): (302, 302, 302, 302, 302, 302, 302, 302),
    ("GET", "notifications:mark_all_read", None): (405, 405, 405, 405, 405, 405, 405, 302),
    ("GET", "notifications:notification_open", "institution"):
        (404, 404, 404, 404, 404, 302, 404, 302),
    ("POST", "notifications:mark_read", "institution"):
        (404, 404, 404, 404, 404, 302, 404, 302),
    ("GET", "notifications:mark_read", "institution"):
        (405, 405, 405, 405, 405, 405, 405, 302),
    ("GET", "notifications:preferences", None):   (200, 200, 200, 200, 200, 200, 200, 302),
    ("POST", "notifications:preferences", None):  (302, 302, 302, 302, 302, 302, 302, 302),
    ("POST", "notifications:telegram_code", None): (302, 302, 302, 302, 302, 302, 302, 302),
    ("GET", "notifications:telegram_code", None): (405, 405, 405, 405, 405, 405, 405, 302),
    ("POST", "notifications:telegram_unlink", None): (302, 302, 302, 302, 302, 302, 302, 302),
    ("GET", "notifications:telegram_unlink", None): (405, 405, 405, 405, 405, 405, 405, 302),
    # Who was not notified and why: those who manage accounts.
    ("GET", "notifications:send_log", None):      (200, 200, 403, 403, 403, 403, 403, 302),
    # The searchable selects' choices, of the user's scope.
    ("GET", "home:choices", "organizations"):     (200, 200, 200, 200, 200, 200, 200, 302),
    ("GET", "home:choices", "unknown"):           (404, 404, 404, 404, 404, 404, 404, 302),
    ("GET", "core:add_comment", "a"):             (405, 405, 405, 405, 405, 405, 405, 302),
    # -----------------------------------------------------------------------------------------
    # Meetings: seen in their territory's scope, by the organizer's people and by the invited
    # organizations (the institution, through A's school); changed by the project office, the
    # territory's coordinator and the organizer (the department); added by those and the
    # administrator. Every meeting is held (not yet approved) and in the series `s`.
    # -----------------------------------------------------------------------------------------
    ("GET", "meetings:meeting_list", None):       (200, 200, 200, 200, 200, 200, 200, 302),
    ("GET", "meetings:meeting_add", None):        (200, 200, 403, 200, 200, 403, 403, 302),
    ("POST", "meetings:meeting_add", "a"):        (302, 302, 403, 302, 302, 403, 403, 302),
    ("POST", "meetings:meeting_add", "x"):        (302, 400, 403, 400, 400, 403, 403, 302),
    ("GET", "meetings:meeting_detail", "a"):      (200, 200, 200, 200, 200, 200, 200, 302),
    ("GET", "meetings:meeting_detail", "b"):      (200, 200, 200, 404, 404, 404, 200, 302),
    ("GET", "meetings:meeting_detail", "x"):      (200, 404, 404, 404, 404, 404, 404, 302),
    ("GET", "calendar:meeting_ics", "a"):         (200, 200, 200, 200, 200, 200, 200, 302),
    ("GET", "calendar:meeting_ics", "b"):         (200, 200, 200, 404, 404, 404, 200, 302),
    ("GET", "calendar:meeting_ics", "x"):         (200, 404, 404, 404, 404, 404, 404, 302),
    ("GET", "meetings:meeting_edit", "a"):        (200, 200, 403, 200, 200, 403, 403, 302),
    ("GET", "meetings:meeting_edit", "b"):        (200, 200, 403, 404, 404, 404, 403, 302),
    ("GET", "meetings:meeting_edit", "x"):        (200, 404, 404, 404, 404, 404, 404, 302),
    ("POST", "meetings:meeting_edit", "a"):       (302, 302, 403, 302, 302, 403, 403, 302),
    ("POST", "meetings:meeting_edit", "x"):       (302, 404, 404, 404, 404, 404, 404, 302),
    ("POST", "meetings:meeting_transition", "a"): (302, 302, 403, 302, 302, 403, 403, 302),
    ("POST", "meetings:meeting_transition", "b"): (302, 302, 403, 404, 404, 404, 403, 302),
    ("POST", "meetings:meeting_transition", "x"): (302, 404, 404, 404, 404, 404, 404, 302),
    ("GET", "meetings:meeting_transition", "a"):  (405, 405, 405, 405, 405, 405, 405, 302),
    ("GET", "meetings:participants_invite", "a"): (200, 200, 403, 200, 200, 403, 403, 302),
    ("GET", "meetings:participants_invite", "x"): (200, 404, 404, 404, 404, 404, 404, 302),
    ("POST", "meetings:attendance_all", "a"):     (302, 302, 403, 302, 302, 403, 403, 302),
    ("POST", "meetings:attendance_all", "x"):     (302, 404, 404, 404, 404, 404, 404, 302),
    ("GET", "meetings:attendance_all", "a"):      (405, 405, 405, 405, 405, 405, 405, 302),
    ("GET", "meetings:item_add", "a"):            (200, 200, 403, 200, 200, 403, 403, 302),
    ("GET", "meetings:item_add", "b"):            (200, 200, 403, 404, 404, 404, 403, 302),
    ("GET", "meetings:item_add", "x"):            (200, 404, 404, 404, 404, 404, 404, 302),
    ("POST", "meetings:item_add", "a"):           (302, 302, 403, 302, 302, 403, 403, 302),
    ("POST", "meetings:item_add", "x"):           (302, 404, 404, 404, 404, 404, 404, 302),
    ("GET", "meetings:item_edit", "a"):           (200, 200, 403, 200, 200, 403, 403, 302),
    ("GET", "meetings:item_edit", "x"):           (200, 404, 404, 404, 404, 404, 404, 302),
    ("GET", "meetings:attachment_upload", "a"):   (200, 200, 403, 200, 200, 403, 403, 302),
    ("GET", "meetings:attachment_upload", "x"):   (200, 404, 404, 404, 404, 404, 404, 302),
    ("POST", "meetings:attachment_upload", "a"):  (302, 302, 403, 302, 302, 403, 403, 302),
    ("GET", "meetings:attachment_download", "a"): (200, 200, 200, 200, 200, 200, 200, 302),
    ("GET", "meetings:attachment_download", "b"): (200, 200, 200, 404, 404, 404, 200, 302),
    ("GET", "meetings:attachment_download", "x"): (200, 404, 404, 404, 404, 404, 404, 302),
    ("GET", "meetings:minutes_edit", "a"):        (200, 200, 403, 200, 200, 403, 403, 302),
    ("GET", "meetings:minutes_edit", "x"):        (200, 404, 404, 404, 404, 404, 404, 302),
    ("POST", "meetings:minutes_edit", "a"):       (302, 302, 403, 302, 302, 403, 403, 302),
    ("GET", "meetings:decision_add", "a"):        (200, 200, 403, 200, 200, 403, 403, 302),
    ("GET", "meetings:decision_add", "x"):        (200, 404, 404, 404, 404, 404, 404, 302),
    ("POST", "meetings:decision_add", "a"):       (302, 302, 403, 302, 302, 403, 403, 302),
    ("GET", "meetings:decision_edit", "a"):       (200, 200, 403, 200, 200, 403, 403, 302),
    ("GET", "meetings:decision_edit", "x"):       (200, 404, 404, 404, 404, 404, 404, 302),
    # A decision becomes an assignment by those who add assignments (the project office).
    ("GET", "meetings:assignment_add", "a"):      (200, 200, 403, 403, 403, 403, 403, 302),
    ("GET", "meetings:assignment_add", "b"):      (200, 200, 403, 404, 404, 404, 403, 302),
    ("GET", "meetings:assignment_add", "x"):      (200, 404, 404, 404, 404, 404, 404, 302),
    ("POST", "meetings:assignment_add", "a"):     (302, 302, 403, 403, 403, 403, 403, 302),
    ("POST", "meetings:review_propose", "a"):     (302, 302, 403, 302, 302, 403, 403, 302),
    ("POST", "meetings:review_propose", "x"):     (302, 404, 404, 404, 404, 404, 404, 302),
    ("GET", "meetings:review_propose", "a"):      (405, 405, 405, 405, 405, 405, 405, 302),
    # The review of A's order (due before the meeting); and, as `ab`, of B's assignment, which
    # is a candidate of A's meeting through project A that both meetings discuss: those who do
    # not see B's assignment must not be shown it.
    ("GET", "meetings:review_decide", "a"):       (200, 200, 403, 200, 200, 403, 403, 302),
    ("GET", "meetings:review_decide", "x"):       (200, 404, 404, 404, 404, 404, 404, 302),
    ("GET", "meetings:review_decide", "ab"):
        (200, 200, 403, 404, 404, 403, 403, 302),
    ("POST", "meetings:review_decide", "a"):      (302, 302, 403, 302, 302, 403, 403, 302),
    ("POST", "meetings:review_decide_all", "a"):  (302, 302, 403, 302, 302, 403, 403, 302),
    ("POST", "meetings:review_decide_all", "x"):  (302, 404, 404, 404, 404, 404, 404, 302),
    ("GET", "meetings:review_decide_all", "a"):   (405, 405, 405, 405, 405, 405, 405, 302),
    ("GET", "meetings:amendment_add", "a"):       (200, 200, 403, 200, 200, 403, 403, 302),
    ("GET", "meetings:amendment_add", "x"):       (200, 404, 404, 404, 404, 404, 404, 302),
    ("GET", "meetings:next_meeting", "a"):        (200, 200, 403, 200, 200, 403, 403, 302),
    ("GET", "meetings:next_meeting", "x"):        (200, 404, 404, 404, 404, 404, 404, 302),
    ("POST", "meetings:next_meeting", "a"):       (302, 302, 403, 302, 302, 403, 403, 302),
    ("GET", "meetings:minutes_download", "a"):    (200, 200, 200, 200, 200, 200, 200, 302),
    ("GET", "meetings:minutes_download", "b"):    (200, 200, 200, 404, 404, 404, 200, 302),
    ("GET", "meetings:minutes_download", "x"):    (200, 404, 404, 404, 404, 404, 404, 302),
    ("GET", "meetings:extract_download", "a"):    (200, 200, 200, 200, 200, 200, 200, 302),
    ("GET", "meetings:extract_download", "x"):    (200, 404, 404, 404, 404, 404, 404, 302),
    # Series and invitation groups are shared by every organizer; those who add meetings
    # define them.
    ("GET", "meetings:series_add", None):         (200, 200, 403, 200, 200, 403, 403, 302),
    ("POST", "meetings:series_add", None):        (302, 302, 403, 302, 302, 403, 403, 302),
    ("GET", "meetings:group_list", None):         (200, 200, 200, 200, 200, 200, 200, 302),
    # Groups: the project office defines them (every organizer invites with them).
    ("GET", "meetings:group_add", None):          (200, 200, 403, 403, 403, 403, 403, 302),
    ("POST", "meetings:group_add", None):         (302, 302, 403, 403, 403, 403, 403, 302),
    ("GET", "meetings:group_edit", "g"):          (200, 200, 403, 403, 403, 403, 403, 302),
    # -----------------------------------------------------------------------------------------
    # Assignments: seen in their territory's scope and by the lead organization's people;
    # changed (edited, withdrawn) by the project office of the territory and the controller
    # (R's project office controls A's and B's); reported on and extended by the responsible
    # (those who may change the lead organization, A's school); reports and extensions are
    # decided by the controller. Added by the project office.
    # -----------------------------------------------------------------------------------------
    ("GET", "assignments:assignment_list", None): (200, 200, 200, 200, 200, 200, 200, 302),
    ("GET", "assignments:inbox", None):           (200, 200, 200, 200, 200, 200, 200, 302),
    ("GET", "assignments:review_queue", None):    (200, 200, 200, 200, 200, 200, 200, 302),
    ("GET", "assignments:discipline", None):      (200, 200, 200, 200, 200, 200, 200, 302),
    ("GET", "assignments:reminder_log", None):    (200, 200, 200, 200, 200, 200, 200, 302),
    ("GET", "assignments:assignment_add", None):  (200, 200, 403, 403, 403, 403, 403, 302),
    ("POST", "assignments:assignment_add", "a"):  (302, 302, 403, 403, 403, 403, 403, 302),
    ("POST", "assignments:assignment_add", "x"):  (302, 400, 403, 403, 403, 403, 403, 302),
    ("GET", "assignments:assignment_detail", "a"): (200, 200, 200, 200, 200, 200, 200, 302),
    ("GET", "assignments:assignment_detail", "b"): (200, 200, 200, 404, 404, 404, 200, 302),
    ("GET", "assignments:assignment_detail", "x"): (200, 404, 404, 404, 404, 404, 404, 302),
    ("GET", "assignments:assignment_edit", "a"):  (200, 200, 403, 403, 403, 403, 403, 302),
    ("GET", "assignments:assignment_edit", "b"):  (200, 200, 403, 404, 404, 404, 403, 302),
    ("GET", "assignments:assignment_edit", "x"):  (200, 404, 404, 404, 404, 404, 404, 302),
    ("POST", "assignments:assignment_edit", "a"): (302, 302, 403, 403, 403, 403, 403, 302),
    ("POST", "assignments:report_submit", "a"):   (302, 302, 403, 302, 302, 302, 403, 302),
    ("POST", "assignments:report_submit", "b"):   (302, 302, 403, 404, 404, 404, 403, 302),
    ("POST", "assignments:report_submit", "x"):   (302, 404, 404, 404, 404, 404, 404, 302),
    ("GET", "assignments:report_submit", "a"):    (405, 405, 405, 405, 405, 405, 405, 302),
    ("POST", "assignments:extension_request", "a"): (302, 302, 403, 302, 302, 302, 403, 302),
    ("POST", "assignments:extension_request", "x"): (302, 404, 404, 404, 404, 404, 404, 302),
    ("POST", "assignments:assignment_withdraw", "a"): (302, 302, 403, 403, 403, 403, 403, 302),
    ("POST", "assignments:assignment_withdraw", "b"): (302, 302, 403, 404, 404, 404, 403, 302),
    ("POST", "assignments:assignment_withdraw", "x"): (302, 404, 404, 404, 404, 404, 404, 302),
    ("POST", "assignments:report_review", "a"):   (302, 302, 403, 403, 403, 403, 403, 302),
    ("POST", "assignments:report_review", "b"):   (302, 302, 403, 404, 404, 404, 403, 302),
    ("POST", "assignments:report_review", "x"):   (302, 404, 404, 404, 404, 404, 404, 302),
    ("GET", "assignments:report_review", "a"):    (405, 405, 405, 405, 405, 405, 405, 302),
    ("POST", "assignments:extension_decide", "a"): (302, 302, 403, 403, 403, 403, 403, 302),
    ("POST", "assignments:extension_decide", "x"): (302, 404, 404, 404, 404, 404, 404, 302),
    ("GET", "assignments:attachment_download", "a"): (200, 200, 200, 200, 200, 200, 200, 302),
    ("GET", "assignments:attachment_download", "b"): (200, 200, 200, 404, 404, 404, 200, 302),
    ("GET", "assignments:attachment_download", "x"): (200, 404, 404, 404, 404, 404, 404, 302),
    # -----------------------------------------------------------------------------------------
    # Events: seen in their territory's scope and by the organizer's people (A's school, under
    # A's division); changed by the project office, the territory's coordinator and the
    # organizer's people; added by those roles and the administrator.
    # -----------------------------------------------------------------------------------------
    ("GET", "events:event_list", None):           (200, 200, 200, 200, 200, 200, 200, 302),
    ("GET", "events:event_calendar", None):       (200, 200, 200, 200, 200, 200, 200, 302),
    ("GET", "events:event_add", None):            (200, 200, 403, 200, 200, 200, 403, 302),
    ("POST", "events:event_add", "a"):            (302, 302, 403, 302, 302, 302, 403, 302),
    ("POST", "events:event_add", "x"):            (302, 400, 403, 400, 400, 400, 403, 302),
    ("GET", "events:event_detail", "a"):          (200, 200, 200, 200, 200, 200, 200, 302),
    ("GET", "events:event_detail", "b"):          (200, 200, 200, 404, 404, 404, 200, 302),
    ("GET", "events:event_detail", "x"):          (200, 404, 404, 404, 404, 404, 404, 302),
    ("GET", "events:event_edit", "a"):            (200, 200, 403, 200, 200, 200, 403, 302),
    ("GET", "events:event_edit", "b"):            (200, 200, 403, 404, 404, 404, 403, 302),
    ("GET", "events:event_edit", "x"):            (200, 404, 404, 404, 404, 404, 404, 302),
    ("POST", "events:event_edit", "a"):           (302, 302, 403, 302, 302, 302, 403, 302),
    ("POST", "events:event_edit", "x"):           (302, 404, 404, 404, 404, 404, 404, 302),
    ("GET", "events:event_hold", "a"):            (200, 200, 403, 200, 200, 200, 403, 302),
    ("GET", "events:event_hold", "x"):            (200, 404, 404, 404, 404, 404, 404, 302),
    ("POST", "events:event_hold", "a"):           (302, 302, 403, 302, 302, 302, 403, 302),
    ("POST", "events:event_photos_add", "a"):     (302, 302, 403, 302, 302, 302, 403, 302),
    ("POST", "events:event_photos_add", "x"):     (302, 404, 404, 404, 404, 404, 404, 302),
    ("GET", "events:event_photos_add", "a"):      (405, 405, 405, 405, 405, 405, 405, 302),
    # A file that is not the event's (the agenda item's) is not found through the event.
    ("GET", "events:event_photo", "a"):           (404, 404, 404, 404, 404, 404, 404, 302),
    ("GET", "events:event_postpone", "a"):        (200, 200, 403, 200, 200, 200, 403, 302),
    ("GET", "events:event_postpone", "x"):        (200, 404, 404, 404, 404, 404, 404, 302),
    ("POST", "events:event_postpone", "a"):       (302, 302, 403, 302, 302, 302, 403, 302),
    ("GET", "events:event_cancel", "a"):          (200, 200, 403, 200, 200, 200, 403, 302),
    ("GET", "events:event_cancel", "b"):          (200, 200, 403, 404, 404, 404, 403, 302),
    ("GET", "events:event_cancel", "x"):          (200, 404, 404, 404, 404, 404, 404, 302),
    ("POST", "events:event_cancel", "a"):         (302, 302, 403, 302, 302, 302, 403, 302),
    ("POST", "events:event_cancel", "x"):         (302, 404, 404, 404, 404, 404, 404, 302),
    # -----------------------------------------------------------------------------------------
    # Work plans (of A's school, in district A): seen and changed as events are; approved and
    # returned by the project office of the territory. The school's draft is the object of
    # the edits and submit; its submitted plan of approve, return and versions; its approved
    # plan of amend.
    # -----------------------------------------------------------------------------------------
    ("GET", "events:plan_list", None):            (200, 200, 200, 200, 200, 200, 200, 302),
    ("GET", "events:plan_add", None):             (200, 200, 403, 200, 200, 200, 403, 302),
    ("POST", "events:plan_add", "a"):             (302, 302, 403, 302, 302, 302, 403, 302),
    ("POST", "events:plan_add", "x"):             (302, 400, 403, 400, 400, 400, 403, 302),
    ("GET", "events:plan_detail", "a"):           (200, 200, 200, 200, 200, 200, 200, 302),
    ("GET", "events:plan_detail", "b"):           (200, 200, 200, 404, 404, 404, 200, 302),
    ("GET", "events:plan_detail", "x"):           (200, 404, 404, 404, 404, 404, 404, 302),
    ("GET", "events:plan_edit", "a"):             (200, 200, 403, 200, 200, 200, 403, 302),
    ("GET", "events:plan_edit", "b"):             (200, 200, 403, 404, 404, 404, 403, 302),
    ("GET", "events:plan_edit", "x"):             (200, 404, 404, 404, 404, 404, 404, 302),
    ("POST", "events:plan_edit", "a"):            (302, 302, 403, 302, 302, 302, 403, 302),
    ("GET", "events:plan_item_add", "a"):         (200, 200, 403, 200, 200, 200, 403, 302),
    ("GET", "events:plan_item_add", "x"):         (200, 404, 404, 404, 404, 404, 404, 302),
    ("POST", "events:plan_item_add", "a"):        (302, 302, 403, 302, 302, 302, 403, 302),
    ("GET", "events:plan_item_edit", "a"):        (200, 200, 403, 200, 200, 200, 403, 302),
    ("GET", "events:plan_item_edit", "x"):        (200, 404, 404, 404, 404, 404, 404, 302),
    ("POST", "events:plan_item_delete", "a"):     (302, 302, 403, 302, 302, 302, 403, 302),
    ("POST", "events:plan_item_delete", "x"):     (302, 404, 404, 404, 404, 404, 404, 302),
    ("GET", "events:plan_item_delete", "a"):      (405, 405, 405, 405, 405, 405, 405, 302),
    ("POST", "events:plan_submit", "a"):          (302, 302, 403, 302, 302, 302, 403, 302),
    ("POST", "events:plan_submit", "b"):          (302, 302, 403, 404, 404, 404, 403, 302),
    ("POST", "events:plan_submit", "x"):          (302, 404, 404, 404, 404, 404, 404, 302),
    ("POST", "events:plan_approve", "a"):         (302, 302, 403, 403, 403, 403, 403, 302),
    ("POST", "events:plan_approve", "b"):         (302, 302, 403, 404, 404, 404, 403, 302),
    ("POST", "events:plan_approve", "x"):         (302, 404, 404, 404, 404, 404, 404, 302),
    ("GET", "events:plan_approve", "a"):          (405, 405, 405, 405, 405, 405, 405, 302),
    ("GET", "events:plan_return", "a"):           (200, 200, 403, 403, 403, 403, 403, 302),
    ("GET", "events:plan_return", "x"):           (200, 404, 404, 404, 404, 404, 404, 302),
    ("POST", "events:plan_return", "a"):          (302, 302, 403, 403, 403, 403, 403, 302),
    ("POST", "events:plan_amend", "a"):           (302, 302, 403, 302, 302, 302, 403, 302),
    ("POST", "events:plan_amend", "x"):           (302, 404, 404, 404, 404, 404, 404, 302),
    ("GET", "events:plan_template", "a"):         (200, 200, 200, 200, 200, 200, 200, 302),
    ("GET", "events:plan_template", "x"):         (200, 404, 404, 404, 404, 404, 404, 302),
    ("GET", "events:plan_upload", "a"):           (200, 200, 403, 200, 200, 200, 403, 302),
    ("GET", "events:plan_upload", "x"):           (200, 404, 404, 404, 404, 404, 404, 302),
    ("GET", "events:plan_versions", "a"):         (200, 200, 200, 200, 200, 200, 200, 302),
    ("GET", "events:plan_versions", "x"):         (200, 404, 404, 404, 404, 404, 404, 302),
    # -----------------------------------------------------------------------------------------
    # States of emergency: seen by those whose territory they touch (or contain); declared by
    # the project office and administrators; postponed for and lifted by the project office
    # whose territory holds all they cover. `a` is the quarantine of April 2020 (not lifted);
    # the rescheduling assistant is the one of the lifted restriction.
    # -----------------------------------------------------------------------------------------
    ("GET", "events:emergency_list", None):      (200, 200, 200, 200, 200, 200, 200, 302),
    ("GET", "events:emergency_add", None):       (200, 200, 403, 403, 403, 403, 403, 302),
    ("POST", "events:emergency_add", "a"):       (302, 302, 403, 403, 403, 403, 403, 302),
    ("POST", "events:emergency_add", "x"):       (302, 400, 403, 403, 403, 403, 403, 302),
    ("GET", "events:emergency_detail", "a"):     (200, 200, 200, 200, 200, 200, 200, 302),
    ("GET", "events:emergency_detail", "b"):     (200, 200, 200, 404, 404, 404, 200, 302),
    ("GET", "events:emergency_detail", "x"):     (200, 404, 404, 404, 404, 404, 404, 302),
    ("GET", "events:emergency_postpone", "a"):   (200, 200, 403, 403, 403, 403, 403, 302),
    ("GET", "events:emergency_postpone", "b"):   (200, 200, 403, 404, 404, 404, 403, 302),
    ("GET", "events:emergency_postpone", "x"):   (200, 404, 404, 404, 404, 404, 404, 302),
    ("POST", "events:emergency_postpone", "a"):  (302, 302, 403, 403, 403, 403, 403, 302),
    ("GET", "events:emergency_lift", "a"):       (200, 200, 403, 403, 403, 403, 403, 302),
    ("GET", "events:emergency_lift", "x"):       (200, 404, 404, 404, 404, 404, 404, 302),
    ("POST", "events:emergency_lift", "a"):      (302, 302, 403, 403, 403, 403, 403, 302),
    ("POST", "events:emergency_lift", "x"):      (302, 404, 404, 404, 404, 404, 404, 302),
    ("GET", "events:emergency_reschedule", "a"): (200, 200, 200, 200, 200, 200, 200, 302),
    ("GET", "events:emergency_reschedule", "b"): (200, 200, 200, 404, 404, 404, 200, 302),
    ("GET", "events:emergency_reschedule", "x"): (200, 404, 404, 404, 404, 404, 404, 302),
    # The organizer's people, the coordinator and the project office reschedule their events.
    ("POST", "events:emergency_reschedule", "a"): (302, 302, 403, 302, 302, 302, 403, 302),
    ("POST", "events:emergency_reschedule", "x"): (302, 404, 404, 404, 404, 404, 404, 302),
    # -----------------------------------------------------------------------------------------
    # Indicators, report forms and methodologies are region-wide definitions: everyone reads,
    # the project office (and the administrator) writes and recomputes. Targets, values and
    # reports belong to a territory: seen in its scope (an organization's people see their
    # organization's territory), entered by its coordinator and the project office, approved
    # and returned by the project office.
    # -----------------------------------------------------------------------------------------
    ("GET", "indicators:indicator_list", None):   (200, 200, 200, 200, 200, 200, 200, 302),
    ("GET", "indicators:indicator_add", None):    (200, 200, 403, 403, 403, 403, 403, 302),
    ("POST", "indicators:indicator_add", None):   (302, 302, 403, 403, 403, 403, 403, 302),
    ("GET", "indicators:indicator_detail", "i"):  (200, 200, 200, 200, 200, 200, 200, 302),
    ("GET", "indicators:indicator_edit", "i"):    (200, 200, 403, 403, 403, 403, 403, 302),
    ("POST", "indicators:indicator_edit", "i"):   (302, 302, 403, 403, 403, 403, 403, 302),
    ("POST", "indicators:recompute", None):       (302, 302, 403, 403, 403, 403, 403, 302),
    ("GET", "indicators:recompute", None):        (405, 405, 405, 405, 405, 405, 405, 405),
    ("GET", "indicators:target_list", None):      (200, 200, 200, 200, 200, 200, 200, 302),
    # A target of district A (and of X) for 2021, saved in its cell.
    ("POST", "indicators:target_list", "a"):
        (302, 302, 403, 403, 302,
         403, 403, 302),
    ("POST", "indicators:target_list", "x"):
        (302, 400, 403, 403, 400,
         403, 403, 302),
    ("GET", "indicators:form_list", None):        (200, 200, 200, 200, 200, 200, 200, 302),
    ("GET", "indicators:form_add", None):         (200, 200, 403, 403, 403, 403, 403, 302),
    ("GET", "indicators:form_detail", "f"):       (200, 200, 200, 200, 200, 200, 200, 302),
    ("GET", "indicators:form_edit", "f"):         (200, 200, 403, 403, 403, 403, 403, 302),
    ("POST", "indicators:form_edit", "f"):
        (302, Bug(302, FORM_OF_OTHER_REGIONS), 403, 403, 403, 403, 403, 302),
    ("GET", "indicators:report_list", None):      (200, 200, 200, 200, 200, 200, 200, 302),
    # Only those who enter reports open one.
    ("GET", "indicators:report_open", None):
        (200, 200, 403, 403, 200, 403, 403, 302),
    ("POST", "indicators:report_open", "a"):
        (302, 302, 403, 403, 302, 403, 403, 302),
    ("POST", "indicators:report_open", "x"):
        (302, 400, 403, 403, 400, 403, 403, 302),
    ("GET", "indicators:report_detail", "a"):     (200, 200, 200, 200, 200, 200, 200, 302),
    ("GET", "indicators:report_detail", "b"):     (200, 200, 200, 404, 404, 404, 200, 302),
    ("GET", "indicators:report_detail", "x"):     (200, 404, 404, 404, 404, 404, 404, 302),
    # The values, entered on the report's own page.
    ("POST", "indicators:report_detail", "a"):    (302, 302, 403, 403, 302, 403, 403, 302),
    ("POST", "indicators:report_detail", "b"):    (302, 302, 403, 404, 404, 404, 403, 302),
    ("POST", "indicators:report_detail", "x"):    (302, 404, 404, 404, 404, 404, 404, 302),
    ("POST", "indicators:report_submit", "a"):    (302, 302, 403, 403, 302, 403, 403, 302),
    ("POST", "indicators:report_submit", "x"):    (302, 404, 404, 404, 404, 404, 404, 302),
    ("GET", "indicators:report_submit", "a"):     (405, 405, 405, 405, 405, 405, 405, 302),
    # Approving a draft is refused with a message; only the project office may try.
    ("POST", "indicators:report_approve", "a"):   (302, 302, 403, 403, 403, 403, 403, 302),
    ("POST", "indicators:report_approve", "x"):   (302, 404, 404, 404, 404, 404, 404, 302),
    ("GET", "indicators:report_return", "a"):     (200, 200, 403, 403, 403, 403, 403, 302),
    ("GET", "indicators:report_return", "x"):     (200, 404, 404, 404, 404, 404, 404, 302),
    ("GET", "indicators:report_template", "a"):   (200, 200, 200, 200, 200, 200, 200, 302),
    ("GET", "indicators:report_template", "x"):   (200, 404, 404, 404, 404, 404, 404, 302),
    ("GET", "indicators:report_upload", "a"):     (200, 200, 403, 403, 200, 403, 403, 302),
    ("GET", "indicators:report_upload", "x"):     (200, 404, 404, 404, 404, 404, 404, 302),
    ("GET", "indicators:rates", None):            (200, 200, 200, 200, 200, 200, 200, 302),
    ("GET", "indicators:results", None):          (200, 200, 200, 200, 200, 200, 200, 302),
    ("GET", "indicators:results_pdf", None):      (200, 200, 200, 200, 200, 200, 200, 302),
    ("GET", "indicators:results_xlsx", None):     (200, 200, 200, 200, 200, 200, 200, 302),
    ("GET", "indicators:ranking", None):          (200, 200, 200, 200, 200, 200, 200, 302),
    ("GET", "indicators:trends", None):           (200, 200, 200, 200, 200, 200, 200, 302),
    ("GET", "indicators:small_multiples", None):  (200, 200, 200, 200, 200, 200, 200, 302),
    ("GET", "indicators:passport", "a"):          (200, 200, 200, 200, 200, 200, 200, 302),
    ("GET", "indicators:passport", "b"):          (200, 200, 200, 404, 404, 404, 200, 302),
    ("GET", "indicators:passport", "x"):          (200, 404, 404, 404, 404, 404, 404, 302),
    ("GET", "indicators:methodology_list", None): (200, 200, 200, 200, 200, 200, 200, 302),
    ("GET", "indicators:methodology_add", None):  (200, 200, 403, 403, 403, 403, 403, 302),
    ("GET", "indicators:methodology_detail", "m"): (200, 200, 200, 200, 200, 200, 200, 302),
    ("GET", "indicators:methodology_edit", "m"):  (200, 200, 403, 403, 403, 403, 403, 302),
    # -----------------------------------------------------------------------------------------
    # The library is region-wide: everyone reads, the project office writes and sends. A
    # recipient (a school) is seen in its territory's scope and by its organization's people,
    # and acknowledged by its own organization (the institution, for A's school).
    # -----------------------------------------------------------------------------------------
    ("GET", "documents:library", None):           (200, 200, 200, 200, 200, 200, 200, 302),
    ("GET", "documents:document_add", None):      (200, 200, 403, 403, 403, 403, 403, 302),
    ("POST", "documents:document_add", None):     (302, 302, 403, 403, 403, 403, 403, 302),
    ("GET", "documents:document_detail", "doc"):  (200, 200, 200, 200, 200, 200, 200, 302),
    ("GET", "documents:document_edit", "doc"):    (200, 200, 403, 403, 403, 403, 403, 302),
    ("GET", "documents:version_upload", "doc"):   (200, 200, 403, 403, 403, 403, 403, 302),
    ("POST", "documents:version_upload", "doc"):  (302, 302, 403, 403, 403, 403, 403, 302),
    ("GET", "documents:version_download", "doc"): (200, 200, 200, 200, 200, 200, 200, 302),
    ("GET", "documents:distribution_send", "doc"): (200, 200, 403, 403, 403, 403, 403, 302),
    ("POST", "documents:distribution_send", "doc"): (302, 302, 403, 403, 403, 403, 403, 302),
    ("GET", "documents:tracking", "doc"):         (200, 200, 200, 200, 200, 200, 200, 302),
    ("GET", "documents:inbox", None):             (200, 200, 200, 200, 200, 200, 200, 302),
    ("GET", "documents:acknowledge", "a"):        (200, 200, 200, 200, 200, 200, 200, 302),
    ("GET", "documents:acknowledge", "b"):        (200, 200, 200, 404, 404, 404, 200, 302),
    ("GET", "documents:acknowledge", "x"):        (200, 404, 404, 404, 404, 404, 404, 302),
    ("POST", "documents:acknowledge", "a"):       (302, 403, 403, 403, 403, 302, 403, 302),
    ("POST", "documents:acknowledge", "x"):       (302, 404, 404, 404, 404, 404, 404, 302),
    ("GET", "documents:report_attachment_download", "a"):
        (200, 200, 200, 200, 200, 200, 200, 302),
    ("GET", "documents:report_attachment_download", "b"):
        (200, 200, 200, 404, 404, 404, 200, 302),
    ("GET", "documents:report_attachment_download", "x"):
        (200, 404, 404, 404, 404, 404, 404, 302),
    # -----------------------------------------------------------------------------------------
    # Ideas: everyone proposes and sees their own (A's idea is the institution's); the project
    # office, executives and coordinators see their territory's; the project office evaluates.
    # -----------------------------------------------------------------------------------------
    ("GET", "ideas:idea_list", None):             (200, 200, 200, 200, 200, 200, 200, 302),
    ("GET", "ideas:my_ideas", None):              (200, 200, 200, 200, 200, 200, 200, 302),
    ("GET", "ideas:idea_propose", None):          (200, 200, 200, 200, 200, 200, 200, 302),
    ("POST", "ideas:idea_propose", "a"):          (302, 302, 302, 302, 302, 302, 302, 302),
    ("GET", "ideas:idea_detail", "a"):            (200, 200, 200, 404, 200, 200, 404, 302),
    ("GET", "ideas:idea_detail", "b"):            (200, 200, 200, 404, 404, 404, 404, 302),
    ("GET", "ideas:idea_detail", "x"):            (200, 404, 404, 404, 404, 404, 404, 302),
    ("POST", "ideas:idea_accept", "a"):           (302, 302, 403, 404, 403, 403, 404, 302),
    ("POST", "ideas:idea_accept", "x"):           (302, 404, 404, 404, 404, 404, 404, 302),
    ("GET", "ideas:idea_accept", "a"):            (405, 405, 405, 405, 405, 405, 405, 302),
    ("POST", "ideas:idea_reject", "a"):           (302, 302, 403, 404, 403, 403, 404, 302),
    ("POST", "ideas:idea_reject", "b"):           (302, 302, 403, 404, 404, 404, 404, 302),
    ("POST", "ideas:idea_reject", "x"):           (302, 404, 404, 404, 404, 404, 404, 302),
    ("POST", "ideas:idea_merge", "a"):
        (302, 302, 403, 404, 403,
         403, 404, 302),
    ("GET", "ideas:attachment_download", "a"):    (200, 200, 200, 404, 200, 200, 404, 302),
    ("GET", "ideas:attachment_download", "b"):    (200, 200, 200, 404, 404, 404, 404, 302),
    ("GET", "ideas:attachment_download", "x"):    (200, 404, 404, 404, 404, 404, 404, 302),
    # Residents' ideas (`citizen_idea`, one of each district, with a photo): read where ideas
    # are read; moderated by the project office of their territory (and the administrator).
    ("GET", "ideas:idea_photo", "a"):             (200, 200, 200, 404, 200, 404, 404, 302),
    ("GET", "ideas:idea_photo", "x"):             (200, 404, 404, 404, 404, 404, 404, 302),
    ("GET", "ideas:moderation", None):            (200, 200, 403, 403, 403, 403, 403, 302),
    ("POST", "ideas:idea_review", "a"):           (302, 302, 403, 404, 403, 404, 404, 302),
    ("POST", "ideas:idea_review", "x"):           (302, 404, 404, 404, 404, 404, 404, 302),
    ("POST", "ideas:idea_hide", "a"):             (302, 302, 403, 404, 403, 404, 404, 302),
    ("POST", "ideas:idea_hide", "x"):             (302, 404, 404, 404, 404, 404, 404, 302),
    ("POST", "ideas:idea_unhide", "a"):           (302, 302, 403, 404, 403, 404, 404, 302),
    ("GET", "ideas:idea_redact", "a"):            (200, 200, 403, 404, 403, 404, 404, 302),
    ("GET", "ideas:idea_redact", "x"):            (200, 404, 404, 404, 404, 404, 404, 302),
    ("POST", "ideas:idea_redact", "a"):           (302, 302, 403, 404, 403, 404, 404, 302),
    ("POST", "ideas:address_block", "a"):         (302, 302, 403, 404, 403, 404, 404, 302),
    ("POST", "ideas:address_block", "x"):         (302, 404, 404, 404, 404, 404, 404, 302),
    # The open pages of residents' ideas: no login; what needs a confirmed address (a code
    # sent to it, kept in the session) sends everyone without one to confirm it first.
    ("GET", "public:idea_list", None):            (200, 200, 200, 200, 200, 200, 200, 200),
    ("GET", "public:idea_detail", "a"):           (200, 200, 200, 200, 200, 200, 200, 200),
    ("GET", "public:idea_photo", "a"):            (200, 200, 200, 200, 200, 200, 200, 200),
    ("GET", "public:idea_new", None):             (302, 302, 302, 302, 302, 302, 302, 302),
    ("GET", "public:idea_address", None):         (200, 200, 200, 200, 200, 200, 200, 200),
    ("GET", "public:idea_code", None):            (302, 302, 302, 302, 302, 302, 302, 302),
    ("GET", "public:idea_mine", None):            (302, 302, 302, 302, 302, 302, 302, 302),
    ("POST", "public:idea_support", "a"):         (302, 302, 302, 302, 302, 302, 302, 302),
    ("POST", "public:idea_withdraw", "a"):        (302, 302, 302, 302, 302, 302, 302, 302),
    ("GET", "public:idea_withdraw", "a"):         (405, 405, 405, 405, 405, 405, 405, 405),
    ("POST", "public:idea_forget", None):         (302, 302, 302, 302, 302, 302, 302, 302),
    # The open pages: no login, the same for everyone; nothing of the world is published, so
    # each of its things answers 404 there (tests/public reads them published).
    ("GET", "public:home", None):                 (200, 200, 200, 200, 200, 200, 200, 200),
    ("GET", "public:territory", "a"):             (200, 200, 200, 200, 200, 200, 200, 200),
    ("GET", "public:project", "a"):               (404, 404, 404, 404, 404, 404, 404, 404),
    ("GET", "public:event", "a"):                 (404, 404, 404, 404, 404, 404, 404, 404),
    ("GET", "public:event_photo", "a"):           (404, 404, 404, 404, 404, 404, 404, 404),
    ("GET", "public:meeting", "a"):               (404, 404, 404, 404, 404, 404, 404, 404),
    ("GET", "public:guideline", "doc"):           (404, 404, 404, 404, 404, 404, 404, 404),
    ("GET", "public:guideline_file", "doc"):      (404, 404, 404, 404, 404, 404, 404, 404),
    ("GET", "public:ranking", "m"):               (404, 404, 404, 404, 404, 404, 404, 404),
    ("GET", "public:news", "a"):                  (404, 404, 404, 404, 404, 404, 404, 404),
    ("GET", "public:privacy", None):              (200, 200, 200, 200, 200, 200, 200, 200),
    ("GET", "public:data", None):                 (200, 200, 200, 200, 200, 200, 200, 200),
    ("GET", "public:data_download", "a"):        (200, 200, 200, 200, 200, 200, 200, 200),
    ("GET", "public:events_ics", None):           (200, 200, 200, 200, 200, 200, 200, 200),
    ("GET", "public:place_events_ics", "a"):      (200, 200, 200, 200, 200, 200, 200, 200),
    ("GET", "public:news_atom", None):            (200, 200, 200, 200, 200, 200, 200, 200),
    ("GET", "public:place_news_atom", "a"):       (200, 200, 200, 200, 200, 200, 200, 200),
    ("GET", "public:ideas_atom", None):           (200, 200, 200, 200, 200, 200, 200, 200),
    ("GET", "public:place_ideas_atom", "a"):      (200, 200, 200, 200, 200, 200, 200, 200),
    ("GET", "public:decisions_atom", None):       (200, 200, 200, 200, 200, 200, 200, 200),
    ("GET", "public:place_decisions_atom", "a"):  (200, 200, 200, 200, 200, 200, 200, 200),
    ("GET", "sitemap_index", None):               (200, 200, 200, 200, 200, 200, 200, 200),
    ("GET", "django.contrib.sitemaps.views.sitemap", "a"): (200, 200, 200, 200, 200, 200, 200, 200),
    ("GET", "robots_txt", None):                  (200, 200, 200, 200, 200, 200, 200, 200),
    # Publishing: the office of the place, on what it may change; others who see it, 403.
    ("POST", "public:publish", "a"):              (403, 302, 403, 403, 403, 403, 403, 302),
    ("POST", "public:publish", "x"):              (403, 404, 404, 404, 404, 404, 404, 302),
    ("GET", "public:publish", "a"):               (405, 405, 405, 405, 405, 405, 405, 302),
    # -----------------------------------------------------------------------------------------
    # Publications: seen in the scope of the territories they are about (and of their outlet);
    # written by the project office and the coordinators inside their territory.
    # -----------------------------------------------------------------------------------------
    ("GET", "media:publication_list", None):      (200, 200, 200, 200, 200, 200, 200, 302),
    ("GET", "media:publication_add", None):       (200, 200, 403, 403, 200, 403, 403, 302),
    ("POST", "media:publication_add", "a"):       (302, 302, 403, 403, 302, 403, 403, 302),
    ("POST", "media:publication_add", "x"):       (302, 400, 403, 403, 400, 403, 403, 302),
    ("GET", "media:publication_detail", "a"):     (200, 200, 200, 200, 200, 200, 200, 302),
    ("GET", "media:publication_detail", "b"):     (200, 200, 200, 404, 404, 404, 200, 302),
    ("GET", "media:publication_detail", "x"):     (200, 404, 404, 404, 404, 404, 404, 302),
    ("GET", "media:publication_edit", "a"):       (200, 200, 403, 403, 200, 403, 403, 302),
    ("GET", "media:publication_edit", "b"):       (200, 200, 403, 404, 404, 404, 403, 302),
    ("GET", "media:publication_edit", "x"):       (200, 404, 404, 404, 404, 404, 404, 302),
    ("POST", "media:publication_edit", "a"):      (302, 302, 403, 403, 302, 403, 403, 302),
    ("GET", "media:ingest", None):                (200, 200, 403, 403, 200, 403, 403, 302),
    ("POST", "media:ingest", None):               (200, 200, 403, 403, 200, 403, 403, 302),
    ("POST", "media:ingest_confirm", "a"):        (302, 302, 403, 403, 302, 403, 403, 302),
    ("GET", "media:ingest_confirm", None):        (405, 405, 405, 405, 405, 405, 405, 302),
    # -----------------------------------------------------------------------------------------
    # Sacred sites: seen in their territory's scope; written (and imported) by the project
    # office and the coordinators inside their territory. Photos go with the site.
    # -----------------------------------------------------------------------------------------
    ("GET", "sites:site_list", None):             (200, 200, 200, 200, 200, 200, 200, 302),
    ("GET", "sites:site_add", None):              (200, 200, 403, 403, 200, 403, 403, 302),
    ("POST", "sites:site_add", "a"):              (302, 302, 403, 403, 302, 403, 403, 302),
    ("POST", "sites:site_add", "x"):              (302, 400, 403, 403, 400, 403, 403, 302),
    ("GET", "sites:site_detail", "a"):            (200, 200, 200, 200, 200, 200, 200, 302),
    ("GET", "sites:site_detail", "b"):            (200, 200, 200, 404, 404, 404, 200, 302),
    ("GET", "sites:site_detail", "x"):            (200, 404, 404, 404, 404, 404, 404, 302),
    ("GET", "sites:site_edit", "a"):              (200, 200, 403, 403, 200, 403, 403, 302),
    ("GET", "sites:site_edit", "b"):              (200, 200, 403, 404, 404, 404, 403, 302),
    ("GET", "sites:site_edit", "x"):              (200, 404, 404, 404, 404, 404, 404, 302),
    ("POST", "sites:site_edit", "a"):             (302, 302, 403, 403, 302, 403, 403, 302),
    ("POST", "sites:site_edit", "b"):             (302, 302, 403, 404, 404, 404, 403, 302),
    ("GET", "sites:site_import", None):           (200, 200, 403, 403, 200, 403, 403, 302),
    ("GET", "sites:photo_download", "a"):         (200, 200, 200, 200, 200, 200, 200, 302),
    ("GET", "sites:photo_download", "b"):         (200, 200, 200, 404, 404, 404, 200, 302),
    ("GET", "sites:photo_download", "x"):         (200, 404, 404, 404, 404, 404, 404, 302),
    # Places and maps: everyone's map and export, scoped; a territory out of reach is an
    # invalid choice of the map's form, which then draws the user's own. Boundaries are
    # imported by those who may change territories, each inside their own (tests/geo).
    ("GET", "geo:map", None):                     (200, 200, 200, 200, 200, 200, 200, 302),
    ("GET", "geo:map", "a"):                      (200, 200, 200, 200, 200, 200, 200, 302),
    ("GET", "geo:map", "b"):                      (200, 200, 200, 200, 200, 200, 200, 302),
    ("GET", "geo:map", "x"):                      (200, 200, 200, 200, 200, 200, 200, 302),
    ("GET", "geo:boundaries_export", None):       (200, 200, 200, 200, 200, 200, 200, 302),
    ("GET", "geo:boundaries_export", "x"):        (200, 200, 200, 200, 200, 200, 200, 302),
    ("GET", "geo:boundaries_import", None):       (200, 200, 403, 403, 200, 403, 403, 302),
    ("POST", "geo:boundaries_import", "a"):       (302, 302, 403, 403, 302, 403, 403, 302),
    ("POST", "geo:boundaries_import", "b"):       (302, 302, 403, 403, 400, 403, 403, 302),
    ("POST", "geo:boundaries_import", "x"):       (302, 400, 403, 403, 400, 403, 403, 302),
}

# A null where a text is expected is refused by name (kense.core.patch), not written; like any
# malformed body it is refused before the permission is checked, so for every signed-in role.
N = 422

# The API answers 401 to the anonymous caller, 404 outside the view scope, 403 for a forbidden
# action and 422 when a referenced object is not one the caller can see (or the object's state
# refuses the action).
API: dict[tuple[str, str, str | None], tuple[int | Bug, ...]] = {
    # method, path under /api/v1/, object  adm  po   exe  dep  crd  ins  obs  anon
    ("GET", "me", None):                   (200, 200, 200, 200, 200, 200, 200, 401),
    ("GET", "me/tokens", None):            (200, 200, 200, 200, 200, 200, 200, 401),
    ("GET", "notifications", None):        (200, 200, 200, 200, 200, 200, 200, 401),
    ("GET", "notifications/unread", None): (200, 200, 200, 200, 200, 200, 200, 401),
    ("POST", "notifications/read", None):  (200, 200, 200, 200, 200, 200, 200, 401),
    ("POST", "notifications/{notification_id}/read", "institution"):
        (404, 404, 404, 404, 404, 200, 404, 401),
    # Each their own choices and their own sends (the office's log of others' is the page's).
    ("GET", "notifications/preferences", None):   (200, 200, 200, 200, 200, 200, 200, 401),
    ("PATCH", "notifications/preferences", None): (200, 200, 200, 200, 200, 200, 200, 401),
    ("GET", "notifications/sends", None):         (200, 200, 200, 200, 200, 200, 200, 401),
    # The log of everyone's sends, as its page: the administrator's and the office's.
    ("GET", "notifications/log", None):           (200, 200, 403, 403, 403, 403, 403, 401),
    # Only the browser session issues tokens; a token cannot mint another.
    ("POST", "me/tokens", None):           (401, 401, 401, 401, 401, 401, 401, 401),
    ("GET", "territories", None):          (200, 200, 200, 200, 200, 200, 200, 401),
    ("GET", "territories/{territory_id}", "a"):      (200, 200, 200, 200, 200, 200, 200, 401),
    ("GET", "territories/{territory_id}", "b"):      (200, 200, 200, 404, 404, 404, 200, 401),
    ("GET", "territories/{territory_id}", "x"):      (200, 404, 404, 404, 404, 404, 404, 401),
    ("GET", "territories/{territory_id}/moves", "a"): (200, 200, 200, 200, 200, 200, 200, 401),
    ("GET", "territories/{territory_id}/moves", "b"): (200, 200, 200, 404, 404, 404, 200, 401),
    ("GET", "territories/{territory_id}/moves", "x"): (200, 404, 404, 404, 404, 404, 404, 401),
    ("POST", "territories", "a"):          (201, 201, 403, 403, 201, 403, 403, 401),
    ("POST", "territories", "b"):          (201, 201, 403, 403, 422, 403, 403, 401),
    ("POST", "territories", "x"):          (201, 422, 403, 403, 422, 403, 403, 401),
    # Bulk creates: the single create's answers (all or none of a one-item list)
    ("POST", "territories/bulk", "a"):     (201, 201, 403, 403, 201, 403, 403, 401),
    ("POST", "territories/bulk", "b"):     (201, 201, 403, 403, 422, 403, 403, 401),
    ("POST", "territories/bulk", "x"):     (201, 422, 403, 403, 422, 403, 403, 401),
    ("PATCH", "territories/{territory_id}", "a"):    (200, 200, 403, 403, 200, 403, 403, 401),
    ("PATCH", "territories/{territory_id}", "b"):    (200, 200, 403, 404, 404, 404, 403, 401),
    ("PATCH", "territories/{territory_id}", "x"):    (200, 404, 404, 404, 404, 404, 404, 401),
    ("GET", "organizations", None):        (200, 200, 200, 200, 200, 200, 200, 401),
    ("GET", "organizations/{organization_id}", "a"):    (200, 200, 200, 200, 200, 200, 200, 401),
    ("GET", "organizations/{organization_id}", "b"):    (200, 200, 200, 404, 404, 404, 200, 401),
    ("GET", "organizations/{organization_id}", "x"):    (200, 404, 404, 404, 404, 404, 404, 401),
    ("GET", "organizations/{organization_id}/moves", "a"):
        (200, 200, 200, 200, 200, 200, 200, 401),
    ("GET", "organizations/{organization_id}/moves", "b"):
        (200, 200, 200, 404, 404, 404, 200, 401),
    ("GET", "organizations/{organization_id}/moves", "x"):
        (200, 404, 404, 404, 404, 404, 404, 401),
    ("POST", "organizations", "a"):        (201, 201, 403, 403, 201, 403, 403, 401),
    ("POST", "organizations", "b"):        (201, 201, 403, 403, 422, 403, 403, 401),
    ("POST", "organizations", "x"):        (201, 422, 403, 403, 422, 403, 403, 401),
    ("POST", "organizations/bulk", "a"):   (201, 201, 403, 403, 201, 403, 403, 401),
    ("POST", "organizations/bulk", "b"):   (201, 201, 403, 403, 422, 403, 403, 401),
    ("POST", "organizations/bulk", "x"):   (201, 422, 403, 403, 422, 403, 403, 401),
    ("PATCH", "organizations/{organization_id}", "a"):  (200, 200, 403, 200, 200, 200, 403, 401),
    ("PATCH", "organizations/{organization_id}", "b"):  (200, 200, 403, 404, 404, 404, 403, 401),
    ("PATCH", "organizations/{organization_id}", "x"):  (200, 404, 404, 404, 404, 404, 404, 401),
    # `null`: A's object, patched with a null where a text is expected (N)
    ("PATCH", "organizations/{organization_id}", "null"):
        (N, N, N, N, N, N, N, 401),
    ("GET", "people", None):               (200, 200, 200, 200, 200, 200, 200, 401),
    ("GET", "people/{person_id}", "a"):           (200, 200, 200, 200, 200, 200, 200, 401),
    ("GET", "people/{person_id}", "b"):           (200, 200, 200, 404, 404, 404, 200, 401),
    ("GET", "people/{person_id}", "x"):           (200, 404, 404, 404, 404, 404, 404, 401),
    ("POST", "people", "a"):
        (201, 201, 403, Bug(201, NEW_PERSON_OUT_OF_REACH), 201,
         Bug(201, NEW_PERSON_OUT_OF_REACH), 403, 401),
    ("POST", "people", "b"):               (201, 201, 403, 422, 422, 422, 403, 401),
    ("POST", "people", "x"):               (201, 422, 403, 422, 422, 422, 403, 401),
    ("POST", "people/bulk", "a"):
        (201, 201, 403, Bug(201, NEW_PERSON_OUT_OF_REACH), 201,
         Bug(201, NEW_PERSON_OUT_OF_REACH), 403, 401),
    ("POST", "people/bulk", "b"):          (201, 201, 403, 422, 422, 422, 403, 401),
    ("POST", "people/bulk", "x"):          (201, 422, 403, 422, 422, 422, 403, 401),
    ("PATCH", "people/{person_id}", "a"):         (200, 200, 403, 200, 200, 200, 403, 401),
    ("PATCH", "people/{person_id}", "b"):         (200, 200, 403, 404, 404, 404, 403, 401),
    ("PATCH", "people/{person_id}", "x"):         (200, 404, 404, 404, 404, 404, 404, 401),
    ("PATCH", "people/{person_id}", "null"):      (N, N, N, N, N, N, N, 401),
    # Positions: one shared list; only administrators edit it
    ("GET", "positions", None):            (200, 200, 200, 200, 200, 200, 200, 401),
    ("GET", "positions/{position_id}", "teacher"):  (200, 200, 200, 200, 200, 200, 200, 401),
    ("POST", "positions", None):           (201, 403, 403, 403, 403, 403, 403, 401),
    ("POST", "positions/bulk", None):      (201, 403, 403, 403, 403, 403, 403, 401),
    ("PATCH", "positions/{position_id}", "teacher"): (200, 403, 403, 403, 403, 403, 403, 401),
    ("GET", "staff-posts", None):          (200, 200, 200, 200, 200, 200, 200, 401),
    ("GET", "staff-posts/{post_id}", "a"):      (200, 200, 200, 200, 200, 200, 200, 401),
    ("GET", "staff-posts/{post_id}", "b"):      (200, 200, 200, 404, 404, 404, 200, 401),
    ("GET", "staff-posts/{post_id}", "x"):      (200, 404, 404, 404, 404, 404, 404, 401),
    ("POST", "staff-posts", "a"):          (201, 201, 403, 201, 201, 201, 403, 401),
    ("POST", "staff-posts", "b"):          (201, 201, 403, 422, 422, 422, 403, 401),
    ("POST", "staff-posts", "x"):          (201, 422, 403, 422, 422, 422, 403, 401),
    ("POST", "staff-posts/bulk", "a"):     (201, 201, 403, 201, 201, 201, 403, 401),
    ("POST", "staff-posts/bulk", "b"):     (201, 201, 403, 422, 422, 422, 403, 401),
    ("POST", "staff-posts/bulk", "x"):     (201, 422, 403, 422, 422, 422, 403, 401),
    ("PATCH", "staff-posts/{post_id}", "a"):    (200, 200, 403, 200, 200, 200, 403, 401),
    ("PATCH", "staff-posts/{post_id}", "b"):    (200, 200, 403, 404, 404, 404, 403, 401),
    ("PATCH", "staff-posts/{post_id}", "x"):    (200, 404, 404, 404, 404, 404, 404, 401),
    ("GET", "appointments", None):         (200, 200, 200, 200, 200, 200, 200, 401),
    ("GET", "appointments/{appointment_id}", "a"):     (200, 200, 200, 200, 200, 200, 200, 401),
    ("GET", "appointments/{appointment_id}", "b"):     (200, 200, 200, 404, 404, 404, 200, 401),
    ("GET", "appointments/{appointment_id}", "x"):     (200, 404, 404, 404, 404, 404, 404, 401),
    ("POST", "appointments", "a"):         (201, 201, 403, 201, 201, 201, 403, 401),
    ("POST", "appointments", "b"):         (201, 201, 403, 422, 422, 422, 403, 401),
    ("POST", "appointments", "x"):         (201, 422, 403, 422, 422, 422, 403, 401),
    ("POST", "appointments/bulk", "a"):    (201, 201, 403, 201, 201, 201, 403, 401),
    ("POST", "appointments/bulk", "b"):    (201, 201, 403, 422, 422, 422, 403, 401),
    ("POST", "appointments/bulk", "x"):    (201, 422, 403, 422, 422, 422, 403, 401),
    ("PATCH", "appointments/{appointment_id}", "a"):   (200, 200, 403, 200, 200, 200, 403, 401),
    ("PATCH", "appointments/{appointment_id}", "b"):   (200, 200, 403, 404, 404, 404, 403, 401),
    ("PATCH", "appointments/{appointment_id}", "x"):   (200, 404, 404, 404, 404, 404, 404, 401),
    ("PATCH", "appointments/{appointment_id}", "null"): (N, N, N, N, N, N, N, 401),
    ("GET", "programs", None):             (200, 200, 200, 200, 200, 200, 200, 401),
    ("GET", "programs/{program_id}", "p"):         (200, 200, 200, 200, 200, 200, 200, 401),
    ("POST", "programs", None):            (201, 201, 403, 403, 403, 403, 403, 401),
    ("POST", "programs/bulk", None):       (201, 201, 403, 403, 403, 403, 403, 401),
    ("PATCH", "programs/{program_id}", "p"):       (200, 200, 403, 403, 403, 403, 403, 401),
    ("GET", "directions", None):           (200, 200, 200, 200, 200, 200, 200, 401),
    ("GET", "directions/{direction_id}", "d"):       (200, 200, 200, 200, 200, 200, 200, 401),
    ("POST", "directions", "p"):           (201, 201, 403, 403, 403, 403, 403, 401),
    ("POST", "directions/bulk", "p"):      (201, 201, 403, 403, 403, 403, 403, 401),
    ("PATCH", "directions/{direction_id}", "d"):     (200, 200, 403, 403, 403, 403, 403, 401),
    ("GET", "projects", None):             (200, 200, 200, 200, 200, 200, 200, 401),
    ("GET", "projects/{project_id}", "a"):         (200, 200, 200, 200, 200, 200, 200, 401),
    ("GET", "projects/{project_id}", "b"):         (200, 200, 200, 404, 404, 404, 200, 401),
    ("GET", "projects/{project_id}", "x"):         (200, 404, 404, 404, 404, 404, 404, 401),
    ("POST", "projects", "a"):             (201, 201, 403, 201, 201, 403, 403, 401),
    ("POST", "projects", "b"):             (201, 201, 403, 422, 422, 403, 403, 401),
    ("POST", "projects", "x"):             (201, 422, 403, 422, 422, 403, 403, 401),
    ("POST", "projects/bulk", "a"):        (201, 201, 403, 201, 201, 403, 403, 401),
    ("POST", "projects/bulk", "b"):        (201, 201, 403, 422, 422, 403, 403, 401),
    ("POST", "projects/bulk", "x"):        (201, 422, 403, 422, 422, 403, 403, 401),
    ("PATCH", "projects/{project_id}", "a"):       (200, 200, 403, 200, 200, 403, 403, 401),
    ("PATCH", "projects/{project_id}", "b"):       (200, 200, 403, 404, 404, 404, 403, 401),
    ("PATCH", "projects/{project_id}", "x"):       (200, 404, 404, 404, 404, 404, 404, 401),
    # 405: a method the path does not have (the path answers before authentication).
    ("DELETE", "territories/{territory_id}", "a"): (405, 405, 405, 405, 405, 405, 405, 405),
    ("PUT", "projects/{project_id}", "a"):          (405, 405, 405, 405, 405, 405, 405, 405),
    ("GET", "me/tokens/{token_id}", "institution"): (405, 405, 405, 405, 405, 405, 405, 405),
    # One's own tokens: the institution's is nobody else's to revoke, not even through a
    # token that could be leaked.
    ("DELETE", "me/tokens/{token_id}", "institution"):
        (404, 404, 404, 404, 404, 204, 404, 401),
    ("GET", "me/calendar", None):                  (200, 200, 200, 200, 200, 200, 200, 401),
    ("POST", "me/calendar/renew", None):           (200, 200, 200, 200, 200, 200, 200, 401),
    ("PATCH", "me/tokens/{token_id}", "institution"):
        (404, 404, 404, 404, 404, 200, 404, 401),
    # A token rotates itself only (through the institution's token, its own).
    ("POST", "me/tokens/{token_id}/rotate", "institution"):
        (404, 404, 404, 404, 404, 200, 404, 401),
    # Logging in without a browser: for anyone with the password, whatever else is sent.
    ("POST", "auth/token", "institution"):         (201, 201, 201, 201, 201, 201, 201, 201),
    ("POST", "auth/token", "wrong"):               (401, 401, 401, 401, 401, 401, 401, 401),
    # Accounts: the administrator's, and the project office's within its region.
    ("GET", "users", None):                        (200, 200, 403, 403, 403, 403, 403, 401),
    ("POST", "users", "a"):                        (201, 201, 403, 403, 403, 403, 403, 401),
    ("POST", "users", "x"):                        (201, 422, 403, 403, 403, 403, 403, 401),
    ("GET", "users/{user_id}", "a"):               (200, 200, 403, 403, 403, 403, 403, 401),
    ("GET", "users/{user_id}", "x"):               (200, 404, 403, 403, 403, 403, 403, 401),
    ("PATCH", "users/{user_id}", "a"):             (200, 200, 403, 403, 403, 403, 403, 401),
    ("PATCH", "users/{user_id}", "x"):             (200, 404, 403, 403, 403, 403, 403, 401),
    ("DELETE", "users/{user_id}", "a"):            (405, 405, 405, 405, 405, 405, 405, 405),
    ("GET", "users/{user_id}/history", "a"):       (200, 200, 403, 403, 403, 403, 403, 401),
    ("GET", "users/{user_id}/history", "x"):       (200, 404, 403, 403, 403, 403, 403, 401),
    ("GET", "service-tokens", None):               (200, 200, 403, 403, 403, 403, 403, 401),
    ("POST", "service-tokens", "a"):               (201, 201, 403, 403, 403, 403, 403, 401),
    ("POST", "service-tokens", "x"):               (201, 422, 403, 403, 403, 403, 403, 401),
    ("DELETE", "service-tokens/{token_id}", "a"):  (204, 204, 403, 403, 403, 403, 403, 401),
    ("DELETE", "service-tokens/{token_id}", "x"):  (204, 404, 403, 403, 403, 403, 403, 401),
    # -----------------------------------------------------------------------------------------
    # Meetings (as their pages)
    # -----------------------------------------------------------------------------------------
    ("GET", "meetings", None):                     (200, 200, 200, 200, 200, 200, 200, 401),
    ("POST", "meetings", "a"):                     (201, 201, 403, 201, 201, 403, 403, 401),
    ("POST", "meetings", "x"):                     (201, 422, 403, 422, 422, 403, 403, 401),
    ("GET", "meetings/{meeting_id}", "a"):         (200, 200, 200, 200, 200, 200, 200, 401),
    ("GET", "meetings/{meeting_id}", "b"):         (200, 200, 200, 404, 404, 404, 200, 401),
    ("GET", "meetings/{meeting_id}", "x"):         (200, 404, 404, 404, 404, 404, 404, 401),
    ("PATCH", "meetings/{meeting_id}", "a"):       (200, 200, 403, 200, 200, 403, 403, 401),
    ("PATCH", "meetings/{meeting_id}", "b"):       (200, 200, 403, 404, 404, 404, 403, 401),
    ("PATCH", "meetings/{meeting_id}", "x"):       (200, 404, 404, 404, 404, 404, 404, 401),
    ("PATCH", "meetings/{meeting_id}", "null"):    (N, N, N, N, N, N, N, 401),
    ("DELETE", "meetings/{meeting_id}", "a"):      (405, 405, 405, 405, 405, 405, 405, 405),
    ("POST", "meetings/{meeting_id}/transition", "a"): (200, 200, 403, 200, 200, 403, 403, 401),
    ("POST", "meetings/{meeting_id}/transition", "x"): (200, 404, 404, 404, 404, 404, 404, 401),
    ("POST", "meetings/{meeting_id}/participants", "a"):
        (201, 201, 403, 201, 201, 403, 403, 401),
    ("POST", "meetings/{meeting_id}/participants", "x"):
        (201, 404, 404, 404, 404, 404, 404, 401),
    ("PATCH", "meetings/{meeting_id}/participants/{participant_id}", "a"):
        (200, 200, 403, 200, 200, 403, 403, 401),
    ("PATCH", "meetings/{meeting_id}/participants/{participant_id}", "x"):
        (200, 404, 404, 404, 404, 404, 404, 401),
    ("GET", "meetings/{meeting_id}/items", "a"):   (200, 200, 200, 200, 200, 200, 200, 401),
    ("GET", "meetings/{meeting_id}/items", "b"):   (200, 200, 200, 404, 404, 404, 200, 401),
    ("GET", "meetings/{meeting_id}/items", "x"):   (200, 404, 404, 404, 404, 404, 404, 401),
    ("GET", "meetings/{meeting_id}/items/{item_id}", "a"):
        (200, 200, 200, 200, 200, 200, 200, 401),
    ("GET", "meetings/{meeting_id}/items/{item_id}", "b"):
        (200, 200, 200, 404, 404, 404, 200, 401),
    ("GET", "meetings/{meeting_id}/items/{item_id}", "x"):
        (200, 404, 404, 404, 404, 404, 404, 401),
    ("POST", "meetings/{meeting_id}/items", "a"):  (201, 201, 403, 201, 201, 403, 403, 401),
    ("POST", "meetings/{meeting_id}/items", "b"):  (201, 201, 403, 404, 404, 404, 403, 401),
    ("POST", "meetings/{meeting_id}/items", "x"):  (201, 404, 404, 404, 404, 404, 404, 401),
    ("POST", "meetings/{meeting_id}/review-item", "a"):
        (201, 201, 403, 201, 201, 403, 403, 401),
    ("POST", "meetings/{meeting_id}/review-item", "x"):
        (201, 404, 404, 404, 404, 404, 404, 401),
    ("PATCH", "meetings/{meeting_id}/items/{item_id}", "a"):
        (200, 200, 403, 200, 200, 403, 403, 401),
    ("PATCH", "meetings/{meeting_id}/items/{item_id}", "x"):
        (200, 404, 404, 404, 404, 404, 404, 401),
    ("PATCH", "meetings/{meeting_id}/items/{item_id}/minutes", "a"):
        (200, 200, 403, 200, 200, 403, 403, 401),
    ("PATCH", "meetings/{meeting_id}/items/{item_id}/minutes", "x"):
        (200, 404, 404, 404, 404, 404, 404, 401),
    ("POST", "meetings/{meeting_id}/items/{item_id}/decisions", "a"):
        (201, 201, 403, 201, 201, 403, 403, 401),
    ("POST", "meetings/{meeting_id}/items/{item_id}/decisions", "x"):
        (201, 404, 404, 404, 404, 404, 404, 401),
    ("PATCH", "meetings/{meeting_id}/items/{item_id}/decisions/{decision_id}", "a"):
        (200, 200, 403, 200, 200, 403, 403, 401),
    ("PATCH", "meetings/{meeting_id}/items/{item_id}/decisions/{decision_id}", "x"):
        (200, 404, 404, 404, 404, 404, 404, 401),
    ("GET", "meetings/{meeting_id}/review-candidates", "a"):
        (200, 200, 200, 200, 200, 200, 200, 401),
    ("GET", "meetings/{meeting_id}/review-candidates", "x"):
        (200, 404, 404, 404, 404, 404, 404, 401),
    # A's meeting reviews A's order; as `ab`, B's assignment, which those who do not see it
    # cannot name (422), unlike the page (see meetings:review_decide).
    ("POST", "meetings/{meeting_id}/reviews", "a"): (201, 201, 403, 201, 201, 403, 403, 401),
    ("POST", "meetings/{meeting_id}/reviews", "x"): (201, 404, 404, 404, 404, 404, 404, 401),
    ("POST", "meetings/{meeting_id}/reviews", "ab"):
        (201, 201, 403, 422, 422, 403, 403, 401),
    # What the meeting decided, read back by whoever sees the meeting (of the assignments
    # they see); B's and X's meetings have a decision each.
    ("GET", "meetings/{meeting_id}/reviews", "a"): (200, 200, 200, 200, 200, 200, 200, 401),
    ("GET", "meetings/{meeting_id}/reviews", "b"): (200, 200, 200, 404, 404, 404, 200, 401),
    ("GET", "meetings/{meeting_id}/reviews", "x"): (200, 404, 404, 404, 404, 404, 404, 401),
    ("GET", "meetings/{meeting_id}/reviews/{review_id}", "b"):
        (200, 200, 200, 404, 404, 404, 200, 401),
    ("GET", "meetings/{meeting_id}/reviews/{review_id}", "x"):
        (200, 404, 404, 404, 404, 404, 404, 401),
    # Participants, read as the meeting's page shows them.
    ("GET", "meetings/{meeting_id}/participants", "a"):
        (200, 200, 200, 200, 200, 200, 200, 401),
    ("GET", "meetings/{meeting_id}/participants", "b"):
        (200, 200, 200, 404, 404, 404, 200, 401),
    ("GET", "meetings/{meeting_id}/participants", "x"):
        (200, 404, 404, 404, 404, 404, 404, 401),
    ("GET", "meetings/{meeting_id}/participants/{participant_id}", "a"):
        (200, 200, 200, 200, 200, 200, 200, 401),
    ("GET", "meetings/{meeting_id}/participants/{participant_id}", "x"):
        (200, 404, 404, 404, 404, 404, 404, 401),
    # An agenda item's files (as meetings:attachment_upload and attachment_download).
    ("GET", "meetings/{meeting_id}/items/{item_id}/attachments", "a"):
        (200, 200, 200, 200, 200, 200, 200, 401),
    ("GET", "meetings/{meeting_id}/items/{item_id}/attachments", "b"):
        (200, 200, 200, 404, 404, 404, 200, 401),
    ("GET", "meetings/{meeting_id}/items/{item_id}/attachments", "x"):
        (200, 404, 404, 404, 404, 404, 404, 401),
    ("POST", "meetings/{meeting_id}/items/{item_id}/attachments", "a"):
        (201, 201, 403, 201, 201, 403, 403, 401),
    ("POST", "meetings/{meeting_id}/items/{item_id}/attachments", "x"):
        (201, 404, 404, 404, 404, 404, 404, 401),
    ("GET", "meetings/{meeting_id}/items/{item_id}/attachments/{attachment_id}", "a"):
        (200, 200, 200, 200, 200, 200, 200, 401),
    ("GET", "meetings/{meeting_id}/items/{item_id}/attachments/{attachment_id}", "b"):
        (200, 200, 200, 404, 404, 404, 200, 401),
    ("GET", "meetings/{meeting_id}/items/{item_id}/attachments/{attachment_id}", "x"):
        (200, 404, 404, 404, 404, 404, 404, 401),
    # The minutes and the extract as documents (as meetings:minutes_download and
    # extract_download): whoever sees the meeting, whatever its state.
    ("GET", "meetings/{meeting_id}/minutes", "a"): (200, 200, 200, 200, 200, 200, 200, 401),
    ("GET", "meetings/{meeting_id}/minutes", "b"): (200, 200, 200, 404, 404, 404, 200, 401),
    ("GET", "meetings/{meeting_id}/minutes", "x"): (200, 404, 404, 404, 404, 404, 404, 401),
    ("GET", "meetings/{meeting_id}/extract-organizations", "a"):
        (200, 200, 200, 200, 200, 200, 200, 401),
    ("GET", "meetings/{meeting_id}/extract-organizations", "x"):
        (200, 404, 404, 404, 404, 404, 404, 401),
    ("GET", "meetings/{meeting_id}/extract", "a"): (200, 200, 200, 200, 200, 200, 200, 401),
    ("GET", "meetings/{meeting_id}/extract", "b"): (200, 200, 200, 404, 404, 404, 200, 401),
    ("GET", "meetings/{meeting_id}/extract", "x"): (200, 404, 404, 404, 404, 404, 404, 401),
    # Amendments: the world's meetings are held, not approved, so those who may change the
    # meeting are told to edit the minutes directly (422).
    ("GET", "meetings/{meeting_id}/amendments", "a"): (200, 200, 200, 200, 200, 200, 200, 401),
    ("GET", "meetings/{meeting_id}/amendments", "x"): (200, 404, 404, 404, 404, 404, 404, 401),
    ("POST", "meetings/{meeting_id}/amendments", "a"):
        (422, 422, 403, 422, 422, 403, 403, 401),
    ("POST", "meetings/{meeting_id}/amendments", "x"):
        (422, 404, 404, 404, 404, 404, 404, 401),
    # The series' next meeting (as meetings:next_meeting), and the series themselves (as
    # meetings:series_add: those who add meetings).
    ("POST", "meetings/{meeting_id}/next", "a"): (201, 201, 403, 201, 201, 403, 403, 401),
    ("POST", "meetings/{meeting_id}/next", "x"): (201, 404, 404, 404, 404, 404, 404, 401),
    ("GET", "meeting-series", None):             (200, 200, 200, 200, 200, 200, 200, 401),
    ("POST", "meeting-series", None):            (201, 201, 403, 201, 201, 403, 403, 401),
    # Invitation groups: every signed-in user sees them and whom they expand to (among the
    # people the user sees); the project office defines them (as meetings:group_edit, whose
    # preview of an unsaved group is for those who define groups).
    ("GET", "invitation-groups", None):          (200, 200, 200, 200, 200, 200, 200, 401),
    ("POST", "invitation-groups", None):         (201, 201, 403, 403, 403, 403, 403, 401),
    ("GET", "invitation-groups/{group_id}", "g"): (200, 200, 200, 200, 200, 200, 200, 401),
    ("PATCH", "invitation-groups/{group_id}", "g"):
        (200, 200, 403, 403, 403, 403, 403, 401),
    ("GET", "invitation-groups/{group_id}/members", "g"):
        (200, 200, 200, 200, 200, 200, 200, 401),
    ("POST", "invitation-groups/preview", None): (200, 200, 403, 403, 403, 403, 403, 401),
    # -----------------------------------------------------------------------------------------
    # Assignments (as their pages)
    # -----------------------------------------------------------------------------------------
    ("GET", "assignments", None):                  (200, 200, 200, 200, 200, 200, 200, 401),
    ("POST", "assignments", "a"):                  (201, 201, 403, 403, 403, 403, 403, 401),
    ("POST", "assignments", "x"):                  (201, 422, 403, 403, 403, 403, 403, 401),
    ("GET", "assignments/{assignment_id}", "a"):   (200, 200, 200, 200, 200, 200, 200, 401),
    ("GET", "assignments/{assignment_id}", "b"):   (200, 200, 200, 404, 404, 404, 200, 401),
    ("GET", "assignments/{assignment_id}", "x"):   (200, 404, 404, 404, 404, 404, 404, 401),
    ("PATCH", "assignments/{assignment_id}", "a"): (200, 200, 403, 403, 403, 403, 403, 401),
    ("PATCH", "assignments/{assignment_id}", "b"): (200, 200, 403, 404, 404, 404, 403, 401),
    ("PATCH", "assignments/{assignment_id}", "x"): (200, 404, 404, 404, 404, 404, 404, 401),
    ("PATCH", "assignments/{assignment_id}", "null"): (N, N, N, N, N, N, N, 401),
    ("POST", "assignments/{assignment_id}/withdraw", "a"):
        (200, 200, 403, 403, 403, 403, 403, 401),
    ("POST", "assignments/{assignment_id}/withdraw", "x"):
        (200, 404, 404, 404, 404, 404, 404, 401),
    ("POST", "assignments/{assignment_id}/reports", "a"):
        (201, 201, 403, 201, 201, 201, 403, 401),
    ("POST", "assignments/{assignment_id}/reports", "b"):
        (201, 201, 403, 404, 404, 404, 403, 401),
    ("POST", "assignments/{assignment_id}/reports", "x"):
        (201, 404, 404, 404, 404, 404, 404, 401),
    # The same report with files (multipart): the same answers.
    ("POST", "assignments/{assignment_id}/reports/files", "a"):
        (201, 201, 403, 201, 201, 201, 403, 401),
    ("POST", "assignments/{assignment_id}/reports/files", "b"):
        (201, 201, 403, 404, 404, 404, 403, 401),
    ("POST", "assignments/{assignment_id}/reports/files", "x"):
        (201, 404, 404, 404, 404, 404, 404, 401),
    ("POST", "assignments/{assignment_id}/reports/{report_id}/review", "a"):
        (200, 200, 403, 403, 403, 403, 403, 401),
    ("POST", "assignments/{assignment_id}/reports/{report_id}/review", "x"):
        (200, 404, 404, 404, 404, 404, 404, 401),
    ("POST", "assignments/{assignment_id}/extensions", "a"):
        (201, 201, 403, 201, 201, 201, 403, 401),
    ("POST", "assignments/{assignment_id}/extensions", "x"):
        (201, 404, 404, 404, 404, 404, 404, 401),
    ("POST", "assignments/{assignment_id}/extensions/{extension_id}/decision", "a"):
        (200, 200, 403, 403, 403, 403, 403, 401),
    ("POST", "assignments/{assignment_id}/extensions/{extension_id}/decision", "x"):
        (200, 404, 404, 404, 404, 404, 404, 401),
    # The extensions, read by whoever sees the assignment (of the order: its request).
    ("GET", "assignments/{assignment_id}/extensions", "a"):
        (200, 200, 200, 200, 200, 200, 200, 401),
    ("GET", "assignments/{assignment_id}/extensions", "b"):
        (200, 200, 200, 404, 404, 404, 200, 401),
    ("GET", "assignments/{assignment_id}/extensions", "x"):
        (200, 404, 404, 404, 404, 404, 404, 401),
    ("GET", "assignments/{assignment_id}/extensions/{extension_id}", "a"):
        (200, 200, 200, 200, 200, 200, 200, 401),
    ("GET", "assignments/{assignment_id}/extensions/{extension_id}", "x"):
        (200, 404, 404, 404, 404, 404, 404, 401),
    # A report's files, read by whoever sees the assignment (as assignments:attachment_download).
    ("GET", "assignments/{assignment_id}/reports/{report_id}/files", "a"):
        (200, 200, 200, 200, 200, 200, 200, 401),
    ("GET", "assignments/{assignment_id}/reports/{report_id}/files", "b"):
        (200, 200, 200, 404, 404, 404, 200, 401),
    ("GET", "assignments/{assignment_id}/reports/{report_id}/files", "x"):
        (200, 404, 404, 404, 404, 404, 404, 401),
    ("GET", "assignments/{assignment_id}/reports/{report_id}/files/{attachment_id}", "a"):
        (200, 200, 200, 200, 200, 200, 200, 401),
    ("GET", "assignments/{assignment_id}/reports/{report_id}/files/{attachment_id}", "b"):
        (200, 200, 200, 404, 404, 404, 200, 401),
    ("GET", "assignments/{assignment_id}/reports/{report_id}/files/{attachment_id}", "x"):
        (200, 404, 404, 404, 404, 404, 404, 401),
    # The user's own lists (as assignments:inbox, review_queue, discipline, reminder_log):
    # every signed-in user has one, scoped to what they see.
    ("GET", "assignments/inbox", None):            (200, 200, 200, 200, 200, 200, 200, 401),
    ("GET", "assignments/review-queue", None):     (200, 200, 200, 200, 200, 200, 200, 401),
    ("GET", "assignments/discipline", None):       (200, 200, 200, 200, 200, 200, 200, 401),
    ("GET", "reminders", None):                    (200, 200, 200, 200, 200, 200, 200, 401),
    # -----------------------------------------------------------------------------------------
    # Events, work plans and states of emergency (as their pages)
    # -----------------------------------------------------------------------------------------
    ("GET", "events", None):                       (200, 200, 200, 200, 200, 200, 200, 401),
    ("POST", "events", "a"):                       (201, 201, 403, 201, 201, 201, 403, 401),
    ("POST", "events", "x"):                       (201, 422, 403, 422, 422, 422, 403, 401),
    ("GET", "events/{event_id}", "a"):             (200, 200, 200, 200, 200, 200, 200, 401),
    ("GET", "events/{event_id}", "b"):             (200, 200, 200, 404, 404, 404, 200, 401),
    ("GET", "events/{event_id}", "x"):             (200, 404, 404, 404, 404, 404, 404, 401),
    ("PATCH", "events/{event_id}", "a"):           (200, 200, 403, 200, 200, 200, 403, 401),
    ("PATCH", "events/{event_id}", "b"):           (200, 200, 403, 404, 404, 404, 403, 401),
    ("PATCH", "events/{event_id}", "x"):           (200, 404, 404, 404, 404, 404, 404, 401),
    ("PATCH", "events/{event_id}", "null"):        (N, N, N, N, N, N, N, 401),
    ("POST", "events/{event_id}/hold", "a"):       (200, 200, 403, 200, 200, 200, 403, 401),
    ("POST", "events/{event_id}/hold", "x"):       (200, 404, 404, 404, 404, 404, 404, 401),
    ("POST", "events/{event_id}/postpone", "a"):   (200, 200, 403, 200, 200, 200, 403, 401),
    ("POST", "events/{event_id}/postpone", "x"):   (200, 404, 404, 404, 404, 404, 404, 401),
    ("POST", "events/{event_id}/cancel", "a"):     (200, 200, 403, 200, 200, 200, 403, 401),
    ("POST", "events/{event_id}/cancel", "b"):     (200, 200, 403, 404, 404, 404, 403, 401),
    ("POST", "events/{event_id}/cancel", "x"):     (200, 404, 404, 404, 404, 404, 404, 401),
    # The calendar feed's address of the row's district.
    ("GET", "event-feed", "a"):                   (200, 200, 200, 200, 200, 200, 200, 401),
    ("GET", "event-feed", "b"):                   (200, 200, 200, 404, 404, 404, 200, 401),
    ("GET", "event-feed", "x"):                   (200, 404, 404, 404, 404, 404, 404, 401),
    ("GET", "plans", None):                        (200, 200, 200, 200, 200, 200, 200, 401),
    ("POST", "plans", "a"):                        (201, 201, 403, 201, 201, 201, 403, 401),
    ("POST", "plans", "x"):                        (201, 422, 403, 422, 422, 422, 403, 401),
    ("GET", "plans/{plan_id}", "a"):               (200, 200, 200, 200, 200, 200, 200, 401),
    ("GET", "plans/{plan_id}", "b"):               (200, 200, 200, 404, 404, 404, 200, 401),
    ("GET", "plans/{plan_id}", "x"):               (200, 404, 404, 404, 404, 404, 404, 401),
    ("PATCH", "plans/{plan_id}", "a"):             (200, 200, 403, 200, 200, 200, 403, 401),
    ("PATCH", "plans/{plan_id}", "b"):             (200, 200, 403, 404, 404, 404, 403, 401),
    ("PATCH", "plans/{plan_id}", "x"):             (200, 404, 404, 404, 404, 404, 404, 401),
    ("POST", "plans/{plan_id}/items", "a"):        (201, 201, 403, 201, 201, 201, 403, 401),
    ("POST", "plans/{plan_id}/items", "x"):        (201, 404, 404, 404, 404, 404, 404, 401),
    ("PATCH", "plans/{plan_id}/items/{item_id}", "a"): (200, 200, 403, 200, 200, 200, 403, 401),
    ("PATCH", "plans/{plan_id}/items/{item_id}", "x"): (200, 404, 404, 404, 404, 404, 404, 401),
    ("DELETE", "plans/{plan_id}/items/{item_id}", "a"):
        (204, 204, 403, 204, 204, 204, 403, 401),
    ("DELETE", "plans/{plan_id}/items/{item_id}", "x"):
        (204, 404, 404, 404, 404, 404, 404, 401),
    ("POST", "plans/{plan_id}/submit", "a"):       (200, 200, 403, 200, 200, 200, 403, 401),
    ("POST", "plans/{plan_id}/submit", "x"):       (200, 404, 404, 404, 404, 404, 404, 401),
    ("POST", "plans/{plan_id}/approve", "a"):      (200, 200, 403, 403, 403, 403, 403, 401),
    ("POST", "plans/{plan_id}/approve", "b"):      (200, 200, 403, 404, 404, 404, 403, 401),
    ("POST", "plans/{plan_id}/approve", "x"):      (200, 404, 404, 404, 404, 404, 404, 401),
    ("POST", "plans/{plan_id}/return", "a"):       (200, 200, 403, 403, 403, 403, 403, 401),
    ("POST", "plans/{plan_id}/return", "x"):       (200, 404, 404, 404, 404, 404, 404, 401),
    ("POST", "plans/{plan_id}/amend", "a"):        (200, 200, 403, 200, 200, 200, 403, 401),
    ("POST", "plans/{plan_id}/amend", "x"):        (200, 404, 404, 404, 404, 404, 404, 401),
    ("GET", "plans/{plan_id}/fact", "a"):          (200, 200, 200, 200, 200, 200, 200, 401),
    ("GET", "plans/{plan_id}/fact", "x"):          (200, 404, 404, 404, 404, 404, 404, 401),
    ("GET", "plans/{plan_id}/diff", "a"):          (200, 200, 200, 200, 200, 200, 200, 401),
    ("GET", "plans/{plan_id}/diff", "x"):          (200, 404, 404, 404, 404, 404, 404, 401),
    ("GET", "plans/{plan_id}/versions", "a"):      (200, 200, 200, 200, 200, 200, 200, 401),
    ("GET", "plans/{plan_id}/versions", "x"):      (200, 404, 404, 404, 404, 404, 404, 401),
    ("GET", "plans/{plan_id}/template", "a"):      (200, 200, 200, 200, 200, 200, 200, 401),
    ("GET", "plans/{plan_id}/template", "x"):      (200, 404, 404, 404, 404, 404, 404, 401),
    ("GET", "disruptions", None):                  (200, 200, 200, 200, 200, 200, 200, 401),
    ("POST", "disruptions", "a"):                  (201, 201, 403, 403, 403, 403, 403, 401),
    ("POST", "disruptions", "x"):                  (201, 422, 403, 403, 403, 403, 403, 401),
    ("GET", "disruptions/{disruption_id}", "a"):   (200, 200, 200, 200, 200, 200, 200, 401),
    ("GET", "disruptions/{disruption_id}", "b"):   (200, 200, 200, 404, 404, 404, 200, 401),
    ("GET", "disruptions/{disruption_id}", "x"):   (200, 404, 404, 404, 404, 404, 404, 401),
    ("GET", "disruptions/{disruption_id}/affected", "a"):
        (200, 200, 403, 403, 403, 403, 403, 401),
    ("GET", "disruptions/{disruption_id}/affected", "x"):
        (200, 404, 404, 404, 404, 404, 404, 401),
    ("POST", "disruptions/{disruption_id}/postpone", "a"):
        (200, 200, 403, 403, 403, 403, 403, 401),
    ("POST", "disruptions/{disruption_id}/postpone", "x"):
        (200, 404, 404, 404, 404, 404, 404, 401),
    ("POST", "disruptions/{disruption_id}/lift", "a"):
        (200, 200, 403, 403, 403, 403, 403, 401),
    ("POST", "disruptions/{disruption_id}/lift", "b"):
        (200, 200, 403, 404, 404, 404, 403, 401),
    ("POST", "disruptions/{disruption_id}/lift", "x"):
        (200, 404, 404, 404, 404, 404, 404, 401),
    ("GET", "disruptions/{disruption_id}/proposals", "a"):
        (200, 200, 200, 200, 200, 200, 200, 401),
    ("GET", "disruptions/{disruption_id}/proposals", "x"):
        (200, 404, 404, 404, 404, 404, 404, 401),
    ("POST", "disruptions/{disruption_id}/events/{event_id}/reschedule", "a"):
        (200, 200, 403, 200, 200, 200, 403, 401),
    ("POST", "disruptions/{disruption_id}/events/{event_id}/reschedule", "x"):
        (200, 404, 404, 404, 404, 404, 404, 401),
    # -----------------------------------------------------------------------------------------
    # Indicators, targets, reports, results and methodologies (as their pages)
    # -----------------------------------------------------------------------------------------
    ("GET", "indicators", None):                   (200, 200, 200, 200, 200, 200, 200, 401),
    ("POST", "indicators", None):                  (201, 201, 403, 403, 403, 403, 403, 401),
    ("GET", "indicators/{indicator_id}", "i"):     (200, 200, 200, 200, 200, 200, 200, 401),
    ("PATCH", "indicators/{indicator_id}", "i"):   (200, 200, 403, 403, 403, 403, 403, 401),
    ("GET", "targets", None):                      (200, 200, 200, 200, 200, 200, 200, 401),
    ("POST", "targets", "a"):                      (201, 201, 403, 403, 201, 403, 403, 401),
    ("POST", "targets", "x"):
        (201, 422, 403, 403, 422,
         403, 403, 401),
    ("GET", "targets/{target_id}", "a"):           (200, 200, 200, 200, 200, 200, 200, 401),
    ("GET", "targets/{target_id}", "b"):           (200, 200, 200, 404, 404, 404, 200, 401),
    ("GET", "targets/{target_id}", "x"):           (200, 404, 404, 404, 404, 404, 404, 401),
    ("PATCH", "targets/{target_id}", "a"):         (200, 200, 403, 403, 200, 403, 403, 401),
    ("PATCH", "targets/{target_id}", "b"):         (200, 200, 403, 404, 404, 404, 403, 401),
    ("PATCH", "targets/{target_id}", "x"):         (200, 404, 404, 404, 404, 404, 404, 401),
    ("GET", "indicator-values", None):             (200, 200, 200, 200, 200, 200, 200, 401),
    ("POST", "indicator-values/recompute", None):  (200, 200, 403, 403, 403, 403, 403, 401),
    ("GET", "report-forms", None):                 (200, 200, 200, 200, 200, 200, 200, 401),
    ("GET", "report-forms/{form_id}", "f"):        (200, 200, 200, 200, 200, 200, 200, 401),
    ("POST", "report-forms", "a"):                 (201, 201, 403, 403, 403, 403, 403, 401),
    # Territories left out of a PATCH stay, those of other regions too (unlike the page, see
    # FORM_OF_OTHER_REGIONS).
    ("PATCH", "report-forms/{form_id}", "f"):      (200, 200, 403, 403, 403, 403, 403, 401),
    ("GET", "report-forms/{form_id}/rates", "f"):  (200, 200, 200, 200, 200, 200, 200, 401),
    ("GET", "reports", None):                      (200, 200, 200, 200, 200, 200, 200, 401),
    ("POST", "reports", "a"):                      (201, 201, 403, 403, 201, 403, 403, 401),
    ("POST", "reports", "x"):
        (201, 422, 403, 403,
         422, 403, 403, 401),
    ("GET", "reports/{report_id}", "a"):           (200, 200, 200, 200, 200, 200, 200, 401),
    ("GET", "reports/{report_id}", "b"):           (200, 200, 200, 404, 404, 404, 200, 401),
    ("GET", "reports/{report_id}", "x"):           (200, 404, 404, 404, 404, 404, 404, 401),
    ("GET", "reports/{report_id}/template", "a"):  (200, 200, 200, 200, 200, 200, 200, 401),
    ("GET", "reports/{report_id}/template", "x"):  (200, 404, 404, 404, 404, 404, 404, 401),
    ("PUT", "reports/{report_id}/values", "a"):    (200, 200, 403, 403, 200, 403, 403, 401),
    ("PUT", "reports/{report_id}/values", "b"):    (200, 200, 403, 404, 404, 404, 403, 401),
    ("PUT", "reports/{report_id}/values", "x"):    (200, 404, 404, 404, 404, 404, 404, 401),
    ("POST", "reports/{report_id}/submit", "a"):   (200, 200, 403, 403, 200, 403, 403, 401),
    ("POST", "reports/{report_id}/submit", "x"):   (200, 404, 404, 404, 404, 404, 404, 401),
    # A draft is not approved or returned (422), and only the project office may try.
    ("POST", "reports/{report_id}/approve", "a"):  (422, 422, 403, 403, 403, 403, 403, 401),
    ("POST", "reports/{report_id}/approve", "x"):  (422, 404, 404, 404, 404, 404, 404, 401),
    ("POST", "reports/{report_id}/return", "a"):   (422, 422, 403, 403, 403, 403, 403, 401),
    ("POST", "reports/{report_id}/return", "x"):   (422, 404, 404, 404, 404, 404, 404, 401),
    ("GET", "results", None):                      (200, 200, 200, 200, 200, 200, 200, 401),
    ("GET", "results/pdf", None):                  (200, 200, 200, 200, 200, 200, 200, 401),
    ("GET", "results/xlsx", None):                 (200, 200, 200, 200, 200, 200, 200, 401),
    ("GET", "trends", "i"):                        (200, 200, 200, 200, 200, 200, 200, 401),
    ("GET", "passports/{territory_id}", "a"):      (200, 200, 200, 200, 200, 200, 200, 401),
    ("GET", "passports/{territory_id}", "b"):      (200, 200, 200, 404, 404, 404, 200, 401),
    ("GET", "passports/{territory_id}", "x"):      (200, 404, 404, 404, 404, 404, 404, 401),
    ("GET", "rankings", "m"):                      (200, 200, 200, 200, 200, 200, 200, 401),
    ("GET", "methodologies", None):                (200, 200, 200, 200, 200, 200, 200, 401),
    ("POST", "methodologies", None):               (201, 201, 403, 403, 403, 403, 403, 401),
    ("GET", "methodologies/{methodology_id}", "m"): (200, 200, 200, 200, 200, 200, 200, 401),
    ("PATCH", "methodologies/{methodology_id}", "m"):
        (200, 200, 403, 403, 403, 403, 403, 401),
    # -----------------------------------------------------------------------------------------
    # Documents, ideas and publications (as their pages)
    # -----------------------------------------------------------------------------------------
    ("GET", "documents", None):                    (200, 200, 200, 200, 200, 200, 200, 401),
    ("POST", "documents", None):                   (201, 201, 403, 403, 403, 403, 403, 401),
    ("GET", "documents/{document_id}", "doc"):     (200, 200, 200, 200, 200, 200, 200, 401),
    ("PATCH", "documents/{document_id}", "doc"):   (200, 200, 403, 403, 403, 403, 403, 401),
    ("GET", "documents/{document_id}/versions/{version_id}/file", "doc"):
        (200, 200, 200, 200, 200, 200, 200, 401),
    ("GET", "documents/{document_id}/versions", "doc"):
        (200, 200, 200, 200, 200, 200, 200, 401),
    ("POST", "documents/{document_id}/versions", "doc"):
        (201, 201, 403, 403, 403, 403, 403, 401),
    ("GET", "documents/{document_id}/distributions", "doc"):
        (200, 200, 200, 200, 200, 200, 200, 401),
    ("POST", "documents/{document_id}/distributions", "doc"):
        (201, 201, 403, 403, 403, 403, 403, 401),
    ("POST", "documents/{document_id}/distributions/preview", "doc"):
        (200, 200, 403, 403, 403, 403, 403, 401),
    ("GET", "documents/{document_id}/tracking", "doc"):
        (200, 200, 200, 200, 200, 200, 200, 401),
    ("GET", "acknowledgments", None):              (200, 200, 200, 200, 200, 200, 200, 401),
    ("POST", "acknowledgments/{recipient_id}", "a"): (200, 403, 403, 403, 403, 200, 403, 401),
    ("POST", "acknowledgments/{recipient_id}", "b"): (200, 403, 403, 404, 404, 404, 403, 401),
    ("POST", "acknowledgments/{recipient_id}", "x"): (200, 404, 404, 404, 404, 404, 404, 401),
    ("GET", "acknowledgments/{recipient_id}/files", "a"):
        (200, 200, 200, 200, 200, 200, 200, 401),
    ("GET", "acknowledgments/{recipient_id}/files", "b"):
        (200, 200, 200, 404, 404, 404, 200, 401),
    ("GET", "acknowledgments/{recipient_id}/files", "x"):
        (200, 404, 404, 404, 404, 404, 404, 401),
    ("GET", "acknowledgments/{recipient_id}/files/{file_id}", "a"):
        (200, 200, 200, 200, 200, 200, 200, 401),
    ("GET", "acknowledgments/{recipient_id}/files/{file_id}", "b"):
        (200, 200, 200, 404, 404, 404, 200, 401),
    ("GET", "acknowledgments/{recipient_id}/files/{file_id}", "x"):
        (200, 404, 404, 404, 404, 404, 404, 401),
    ("GET", "ideas", None):                        (200, 200, 200, 200, 200, 200, 200, 401),
    ("POST", "ideas", "a"):                        (201, 201, 201, 201, 201, 201, 201, 401),
    ("GET", "ideas/{idea_id}", "a"):               (200, 200, 200, 404, 200, 200, 404, 401),
    ("GET", "ideas/{idea_id}", "b"):               (200, 200, 200, 404, 404, 404, 404, 401),
    ("GET", "ideas/{idea_id}", "x"):               (200, 404, 404, 404, 404, 404, 404, 401),
    ("GET", "ideas/{idea_id}/files", "a"):         (200, 200, 200, 404, 200, 200, 404, 401),
    ("GET", "ideas/{idea_id}/files", "b"):         (200, 200, 200, 404, 404, 404, 404, 401),
    ("GET", "ideas/{idea_id}/files", "x"):         (200, 404, 404, 404, 404, 404, 404, 401),
    ("GET", "ideas/{idea_id}/files/{file_id}", "a"):
        (200, 200, 200, 404, 200, 200, 404, 401),
    ("GET", "ideas/{idea_id}/files/{file_id}", "b"):
        (200, 200, 200, 404, 404, 404, 404, 401),
    ("GET", "ideas/{idea_id}/files/{file_id}", "x"):
        (200, 404, 404, 404, 404, 404, 404, 401),
    ("POST", "ideas/{idea_id}/accept", "a"):       (200, 200, 403, 404, 403, 403, 404, 401),
    ("POST", "ideas/{idea_id}/accept", "x"):       (200, 404, 404, 404, 404, 404, 404, 401),
    ("POST", "ideas/{idea_id}/reject", "a"):       (200, 200, 403, 404, 403, 403, 404, 401),
    ("POST", "ideas/{idea_id}/reject", "b"):       (200, 200, 403, 404, 404, 404, 404, 401),
    ("POST", "ideas/{idea_id}/reject", "x"):       (200, 404, 404, 404, 404, 404, 404, 401),
    ("POST", "ideas/{idea_id}/merge", "a"):
        (200, 200, 403, 404, 403,
         403, 404, 401),
    ("GET", "publications", None):                 (200, 200, 200, 200, 200, 200, 200, 401),
    ("POST", "publications", "a"):                 (201, 201, 403, 403, 201, 403, 403, 401),
    ("POST", "publications", "x"):                 (201, 422, 403, 403, 422, 403, 403, 401),
    ("POST", "publications/ingest", None):         (200, 200, 403, 403, 200, 403, 403, 401),
    ("POST", "publications/ingest/file", None):    (200, 200, 403, 403, 200, 403, 403, 401),
    ("POST", "publications/ingest/confirm", "a"):  (201, 201, 403, 403, 201, 403, 403, 401),
    ("POST", "publications/ingest/confirm", "x"):  (201, 422, 403, 403, 422, 403, 403, 401),
    ("GET", "publications/{publication_id}", "a"): (200, 200, 200, 200, 200, 200, 200, 401),
    ("GET", "publications/{publication_id}", "b"): (200, 200, 200, 404, 404, 404, 200, 401),
    ("GET", "publications/{publication_id}", "x"): (200, 404, 404, 404, 404, 404, 404, 401),
    ("PATCH", "publications/{publication_id}", "a"): (200, 200, 403, 403, 200, 403, 403, 401),
    ("PATCH", "publications/{publication_id}", "b"): (200, 200, 403, 404, 404, 404, 403, 401),
    ("PATCH", "publications/{publication_id}", "x"): (200, 404, 404, 404, 404, 404, 404, 401),
    # Sacred sites (as their pages)
    ("GET", "sites", None):                          (200, 200, 200, 200, 200, 200, 200, 401),
    # The public API: no authentication, the open data's rows.
    ("GET", "public/places", None):                  (200, 200, 200, 200, 200, 200, 200, 200),
    ("GET", "public/projects", None):                (200, 200, 200, 200, 200, 200, 200, 200),
    ("GET", "public/events", None):                  (200, 200, 200, 200, 200, 200, 200, 200),
    ("GET", "public/decisions", None):               (200, 200, 200, 200, 200, 200, 200, 200),
    ("GET", "public/ideas", None):                   (200, 200, 200, 200, 200, 200, 200, 200),
    # Publishing through the API: the office of the place, as on the pages.
    ("POST", "public/publishing", "a"):              (403, 200, 403, 403, 403, 403, 403, 401),
    ("POST", "public/publishing", "x"):              (403, 404, 404, 404, 404, 404, 404, 401),
    ("GET", "public/results", None):                 (200, 200, 200, 200, 200, 200, 200, 200),
    ("POST", "sites", "a"):                          (201, 201, 403, 403, 201, 403, 403, 401),
    ("POST", "sites", "x"):                          (201, 422, 403, 403, 422, 403, 403, 401),
    ("GET", "sites/{site_id}", "a"):                 (200, 200, 200, 200, 200, 200, 200, 401),
    ("GET", "sites/{site_id}", "b"):                 (200, 200, 200, 404, 404, 404, 200, 401),
    ("GET", "sites/{site_id}", "x"):                 (200, 404, 404, 404, 404, 404, 404, 401),
    ("PATCH", "sites/{site_id}", "a"):               (200, 200, 403, 403, 200, 403, 403, 401),
    ("PATCH", "sites/{site_id}", "b"):               (200, 200, 403, 404, 404, 404, 403, 401),
    ("PATCH", "sites/{site_id}", "x"):               (200, 404, 404, 404, 404, 404, 404, 401),
    ("GET", "sites/{site_id}/photos", "a"):          (200, 200, 200, 200, 200, 200, 200, 401),
    ("GET", "sites/{site_id}/photos", "x"):          (200, 404, 404, 404, 404, 404, 404, 401),
    ("POST", "sites/{site_id}/photos", "a"):         (201, 201, 403, 403, 201, 403, 403, 401),
    ("POST", "sites/{site_id}/photos", "b"):         (201, 201, 403, 404, 404, 404, 403, 401),
    ("GET", "sites/{site_id}/photos/{photo_id}", "a"): (200, 200, 200, 200, 200, 200, 200, 401),
    ("GET", "sites/{site_id}/photos/{photo_id}", "b"): (200, 200, 200, 404, 404, 404, 200, 401),
    ("GET", "sites/{site_id}/photos/{photo_id}", "x"): (200, 404, 404, 404, 404, 404, 404, 401),
    # Places (as the map): the boundaries and located points the caller sees, inside a
    # territory they see
    ("GET", "geo/territories", None):              (200, 200, 200, 200, 200, 200, 200, 401),
    ("GET", "geo/territories", "a"):               (200, 200, 200, 200, 200, 200, 200, 401),
    ("GET", "geo/territories", "b"):               (200, 200, 200, 404, 404, 404, 200, 401),
    ("GET", "geo/territories", "x"):               (200, 404, 404, 404, 404, 404, 404, 401),
    ("GET", "geo/points", None):                   (200, 200, 200, 200, 200, 200, 200, 401),
    ("GET", "geo/points", "a"):                    (200, 200, 200, 200, 200, 200, 200, 401),
    ("GET", "geo/points", "b"):                    (200, 200, 200, 404, 404, 404, 200, 401),
    ("GET", "geo/points", "x"):                    (200, 404, 404, 404, 404, 404, 404, 401),
    ("GET", "geo/sites", None):                    (200, 200, 200, 200, 200, 200, 200, 401),
    ("GET", "geo/sites", "a"):                     (200, 200, 200, 200, 200, 200, 200, 401),
    ("GET", "geo/sites", "b"):                     (200, 200, 200, 404, 404, 404, 200, 401),
    ("GET", "geo/sites", "x"):                     (200, 404, 404, 404, 404, 404, 404, 401),
    ("POST", "geo/boundaries", "a"):               (201, 201, 403, 403, 201, 403, 403, 401),
    ("POST", "geo/boundaries", "b"):               (201, 201, 403, 403, 422, 403, 403, 401),
    ("POST", "geo/boundaries", "x"):               (201, 422, 403, 403, 422, 403, 403, 401),
    # The pages' Excel imports, sent a file that is no workbook: 422 once the page's checks pass
    ("POST", "imports/excel/organizations", None): (422, 422, 403, 403, 422, 403, 403, 401),
    ("POST", "imports/excel/sites", None):         (422, 422, 403, 403, 422, 403, 403, 401),
    ("GET", "imports/excel/sites/template", None): (200, 200, 403, 403, 200, 403, 403, 401),
    ("GET", "imports/excel/organizations/template", None):
        (200, 200, 403, 403, 200, 403, 403, 401),
    ("POST", "imports/excel/people", None):        (422, 422, 403, 422, 422, 422, 403, 401),
    ("GET", "imports/excel/people/template", None):
        (200, 200, 403, 200, 200, 200, 403, 401),
    ("POST", "imports/excel/plans/{plan_id}", "a"):  (422, 422, 403, 422, 422, 422, 403, 401),
    ("POST", "imports/excel/plans/{plan_id}", "x"):  (422, 404, 404, 404, 404, 404, 404, 401),
    ("POST", "imports/excel/reports/{report_id}", "a"):
        (422, 422, 403, 403, 422, 403, 403, 401),
    ("POST", "imports/excel/reports/{report_id}", "x"):
        (422, 404, 404, 404, 404, 404, 404, 401),
    # The import of past records, one object per call: the administrator and the project
    # office only (403 before the body's references are read); the office's `x` is a 422, the
    # references being out of its sight.
    ("POST", "imports/meetings", "a"):          (201, 201, 403, 403, 403, 403, 403, 401),
    ("POST", "imports/meetings", "x"):          (201, 422, 403, 403, 403, 403, 403, 401),
    ("POST", "imports/assignments", "a"):       (201, 201, 403, 403, 403, 403, 403, 401),
    ("POST", "imports/assignments", "x"):       (201, 422, 403, 403, 403, 403, 403, 401),
    ("POST", "imports/execution-reports", "a"): (201, 201, 403, 403, 403, 403, 403, 401),
    ("POST", "imports/execution-reports", "x"): (201, 422, 403, 403, 403, 403, 403, 401),
    ("POST", "imports/distributions", "a"):     (201, 201, 403, 403, 403, 403, 403, 401),
    ("POST", "imports/distributions", "x"):     (201, 422, 403, 403, 403, 403, 403, 401),
    ("POST", "imports/reports", "a"):           (201, 201, 403, 403, 403, 403, 403, 401),
    ("POST", "imports/reports", "x"):           (201, 422, 403, 403, 403, 403, 403, 401),
    # The one search box, scoped like the search page (what each role finds: tests/home).
    ("GET", "search", None):                  (200, 200, 200, 200, 200, 200, 200, 401),
    # The history, restore and comments of any audited object, as on its page (core:…).
    ("GET", "history/{object_type}/{object_id}", "a"):
        (200, 200, 200, 200, 200, 200, 200, 401),
    ("GET", "history/{object_type}/{object_id}", "b"):
        (200, 200, 200, 404, 404, 404, 200, 401),
    ("GET", "history/{object_type}/{object_id}", "x"):
        (200, 404, 404, 404, 404, 404, 404, 401),
    ("GET", "history/{object_type}/{object_id}", "event:a"):
        (200, 200, 200, 200, 200, 200, 200, 401),
    ("GET", "history/{object_type}/{object_id}", "target:a"):
        (200, 200, 200, 200, 200, 200, 200, 401),
    ("POST", "history/{object_type}/{object_id}/{history_id}/restore", "a"):
        (200, 403, 403, 403, 403, 403, 403, 401),
    ("POST", "history/{object_type}/{object_id}/{history_id}/restore", "b"):
        (200, 403, 403, 404, 404, 404, 403, 401),
    ("POST", "history/{object_type}/{object_id}/{history_id}/restore", "x"):
        (200, 404, 404, 404, 404, 404, 404, 401),
    ("POST", "history/{object_type}/{object_id}/{history_id}/restore", "event:a"):
        (200, 403, 403, 403, 403, 403, 403, 401),
    ("POST", "history/{object_type}/{object_id}/{history_id}/restore", "target:a"):
        (404, 403, 403, 403, 403, 403, 403, 401),
    ("GET", "comments/{object_type}/{object_id}", "p"):
        (200, 200, 200, 200, 200, 200, 200, 401),
    ("GET", "comments/{object_type}/{object_id}", "a"):
        (200, 200, 200, 200, 200, 200, 200, 401),
    ("GET", "comments/{object_type}/{object_id}", "b"):
        (200, 200, 200, 404, 404, 404, 200, 401),
    ("GET", "comments/{object_type}/{object_id}", "x"):
        (200, 404, 404, 404, 404, 404, 404, 401),
    ("GET", "comments/{object_type}/{object_id}", "target:a"):
        (404, 404, 404, 404, 404, 404, 404, 401),
    ("POST", "comments/{object_type}/{object_id}", "p"):
        (201, 201, 201, 403, 403, 403, 403, 401),
    ("POST", "comments/{object_type}/{object_id}", "a"):
        (201, 201, 201, 201, 201, 403, 403, 401),
    ("POST", "comments/{object_type}/{object_id}", "b"):
        (201, 201, 201, 404, 404, 404, 403, 401),
    ("POST", "comments/{object_type}/{object_id}", "x"):
        (201, 404, 404, 404, 404, 404, 404, 401),
    ("POST", "comments/{object_type}/{object_id}", "target:a"):
        (404, 403, 403, 403, 403, 403, 403, 401),
}
# fmt: on


# ---------------------------------------------------------------------------------------------
# Every page and every API operation, from the URL configuration and the API itself
# ---------------------------------------------------------------------------------------------

API_PREFIX = "/api/v1/"


def api_operations() -> set[tuple[str, str]]:
    """Every (method, path under /api/v1/) of the API, as its OpenAPI document lists them."""
    paths = api.get_openapi_schema()["paths"]
    return {
        (method.upper(), path.removeprefix(API_PREFIX))
        for path, operations in paths.items()
        for method in operations
    }


def _route_template(route: str) -> str:
    """A Django route as an OpenAPI path: api/v1/me/tokens/<token_id> → me/tokens/{token_id}."""
    parts = [
        "{" + part[1:-1].split(":")[-1] + "}" if part.startswith("<") else part
        for part in route.split("/")
    ]
    return "/".join(parts).removeprefix(API_PREFIX.strip("/")).strip("/")


def page_urls() -> tuple[set[str], list[str]]:
    """Every named page URL (namespaced) and the routes of the unnamed ones, which a row cannot
    name. Left out: the Django admin, Django's serving of static and media files (DEBUG only)
    and the URLs of the API's operations (the API table names those by method and path)."""
    operations = {path for _method, path in api_operations()}
    names: set[str] = set()
    unnamed: list[str] = []

    def walk(patterns: list[Any], namespace: str, prefix: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = pattern.namespace
                if inner == "admin":
                    continue
                full = f"{namespace}:{inner}" if namespace and inner else inner or namespace
                walk(pattern.url_patterns, full, prefix + str(pattern.pattern))
                continue
            assert isinstance(pattern, URLPattern)
            route = prefix + str(pattern.pattern)
            if namespace == "api" and _route_template(route) in operations:
                continue
            if pattern.name is None:
                if getattr(pattern.callback, "__name__", "") != "serve":
                    unnamed.append(route)
                continue
            names.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)

    walk(get_resolver().url_patterns, "", "")
    return names, unnamed


def test_every_page_and_operation_has_a_row() -> None:
    """A new page or operation fails here until the table says who may reach it; a row of a
    page or operation that is gone fails here too. A row of a method a path does not have
    (405) names an existing path."""
    names, unnamed = page_urls()
    operations = api_operations()
    paths = {path for _method, path in operations}
    in_pages = {name for _method, name, _key in PAGES}
    stale_api = {
        (method, path)
        for (method, path, _key), row in API.items()
        if (method, path) not in operations
        and (path not in paths or any(status != 405 for status in row))
    }
    problems = {
        "unnamed URLs (give them a name)": sorted(unnamed),
        "pages without a row": sorted(names - in_pages),
        "rows of pages that do not exist": sorted(in_pages - names),
        "operations without a row": sorted(
            operations - {(method, path) for method, path, _key in API}
        ),
        "rows of operations that do not exist": sorted(stale_api),
    }
    found = {problem: names for problem, names in problems.items() if names}
    assert not found, "\n".join(f"{problem}: {names}" for problem, names in found.items())


# ---------------------------------------------------------------------------------------------
# How a row becomes a request
# ---------------------------------------------------------------------------------------------


def _pk(attribute: str) -> Callable[[World, str], list[Any]]:
    """The URL's one argument: the pk of the row's object of that kind."""
    return lambda w, k: [getattr(w, attribute)[k].pk]


@dataclass(frozen=True)
class Query:
    """An add page given its object in the query string (?organization=…); a POST carries
    the object in its data instead."""

    attribute: str
    parameter: str


def _audited(w: World, k: str) -> Any:
    """The object commented on or restored: the program `p`, a project, or `kind:key`."""
    if ":" in k:
        attribute, key = k.split(":")
        return getattr(w, attribute)[key]
    return w.program["p"] if k == "p" else w.project[k]


def _restore_args(w: World, k: str) -> list[Any]:
    target = _audited(w, k)
    first = target.history.order_by("history_id").first()
    return [ContentType.objects.get_for_model(target).pk, target.pk, first.history_id]


# What a page's URL takes, by the row's object: the arguments of reverse(), or a query string
# (starting with "?"). A page missing here takes none.
PAGE_URLS: dict[str, Callable[[World, str], Any] | Query] = {
    "registry:territory_detail": _pk("territory"),
    "registry:territory_children": _pk("territory"),
    "registry:territory_edit": _pk("territory"),
    "registry:territory_add": Query("territory", "parent"),
    "registry:organization_detail": _pk("organization"),
    "registry:organization_edit": _pk("organization"),
    "registry:person_detail": _pk("person"),
    "registry:person_edit": _pk("person"),
    "registry:appointment_add": Query("organization", "organization"),
    "registry:appointment_edit": _pk("appointment"),
    "registry:staffing": Query("organization", "organization"),
    "registry:staff_post_add": Query("organization", "organization"),
    "registry:staff_post_edit": _pk("post"),
    "registry:import": lambda w, k: [k],
    "programs:program_detail": _pk("program"),
    "programs:program_edit": _pk("program"),
    "programs:direction_detail": _pk("direction"),
    "programs:direction_edit": _pk("direction"),
    "programs:direction_add": Query("program", "program"),
    "programs:project_detail": _pk("project"),
    "programs:project_edit": _pk("project"),
    "programs:project_add": Query("program", "program"),
    "geo:map": Query("territory", "territory"),
    "geo:boundaries_export": Query("territory", "parent"),
    "home:search": lambda w, k: "?q=алаш",
    "home:choices": lambda w, k: [k],
    "core:add_comment": lambda w, k: [
        ContentType.objects.get_for_model(_audited(w, k)).pk,
        _audited(w, k).pk,
    ],
    "core:restore_version": _restore_args,
    "accounts:revoke_token": lambda w, k: [w.token[k].pk],
    "notifications:notification_open": lambda w, k: [w.notification[k].pk],
    "notifications:mark_read": lambda w, k: [w.notification[k].pk],
    "accounts:password_reset_confirm": lambda w, k: (
        ["MQ", "forged-token"] if k == "forged" else _reset_args(w.users[k])
    ),
    "calendar:calendar_feed": lambda w, k: [
        "1:forged" if k == "forged" else calendar_token(w.users[k])
    ],
    "calendar:meeting_ics": _pk("meeting"),
    "events:event_ics_feed": lambda w, k: (
        ["territory", w.territory["a"].pk, "1:forged"]
        if k == "forged"
        else [
            "territory",
            w.territory[k].pk,
            feed_token(w.users["coordinator"], "territory", w.territory[k].pk),
        ]
    ),
    # Meetings
    "meetings:meeting_detail": _pk("meeting"),
    "meetings:meeting_edit": _pk("meeting"),
    "meetings:meeting_transition": _pk("meeting"),
    "meetings:participants_invite": _pk("meeting"),
    "meetings:attendance_all": _pk("meeting"),
    "meetings:item_add": _pk("meeting"),
    "meetings:item_edit": lambda w, k: [w.meeting[k].pk, w.item[k].pk],
    "meetings:attachment_upload": lambda w, k: [w.meeting[k].pk, w.item[k].pk],
    "meetings:attachment_download": lambda w, k: [w.meeting[k].pk, w.item_file[k].pk],
    "meetings:minutes_edit": lambda w, k: [w.meeting[k].pk, w.item[k].pk],
    "meetings:decision_add": lambda w, k: [w.meeting[k].pk, w.item[k].pk],
    "meetings:decision_edit": lambda w, k: [w.meeting[k].pk, w.decision[k].pk],
    "meetings:assignment_add": lambda w, k: [w.meeting[k].pk, w.decision[k].pk],
    "meetings:review_propose": _pk("meeting"),
    "meetings:review_decide_all": _pk("meeting"),
    "meetings:review_decide": lambda w, k: (
        [w.meeting["a"].pk, w.assignment["b"].pk] if k == "ab" else [w.meeting[k].pk, w.order[k].pk]
    ),
    "meetings:amendment_add": _pk("meeting"),
    "meetings:next_meeting": _pk("meeting"),
    "meetings:minutes_download": lambda w, k: [w.meeting[k].pk, "kk", "docx"],
    "meetings:extract_download": lambda w, k: [w.meeting[k].pk, w.organization[k].pk, "kk"],
    "meetings:group_edit": _pk("group"),
    # Assignments
    "assignments:assignment_detail": _pk("assignment"),
    "assignments:assignment_edit": _pk("assignment"),
    "assignments:report_submit": _pk("assignment"),
    "assignments:extension_request": _pk("assignment"),
    "assignments:assignment_withdraw": _pk("assignment"),
    "assignments:report_review": _pk("execution_report"),
    "assignments:extension_decide": _pk("extension"),
    "assignments:attachment_download": _pk("report_file"),
    # Events, plans, emergencies
    "events:event_detail": _pk("event"),
    "events:event_edit": _pk("event"),
    "events:event_hold": _pk("event"),
    "events:event_postpone": _pk("event"),
    "events:event_cancel": _pk("event"),
    "events:plan_detail": _pk("plan"),
    "events:plan_edit": _pk("plan"),
    "events:plan_item_add": _pk("plan"),
    "events:plan_item_edit": lambda w, k: [w.plan[k].pk, w.plan_item[k].pk],
    "events:plan_item_delete": lambda w, k: [w.plan[k].pk, w.plan_item[k].pk],
    "events:plan_submit": _pk("plan"),
    "events:plan_approve": _pk("submitted_plan"),
    "events:plan_return": _pk("submitted_plan"),
    "events:plan_amend": _pk("approved_plan"),
    "events:plan_template": _pk("plan"),
    "events:plan_upload": _pk("plan"),
    "events:plan_versions": _pk("submitted_plan"),
    "events:emergency_detail": _pk("emergency"),
    "events:emergency_postpone": _pk("emergency"),
    "events:emergency_lift": _pk("emergency"),
    "events:emergency_reschedule": _pk("lifted"),
    # Indicators
    "indicators:indicator_detail": _pk("indicator"),
    "indicators:indicator_edit": _pk("indicator"),
    "indicators:form_detail": _pk("report_form"),
    "indicators:form_edit": _pk("report_form"),
    "indicators:report_detail": _pk("report"),
    "indicators:report_submit": _pk("report"),
    "indicators:report_approve": _pk("report"),
    "indicators:report_return": _pk("report"),
    "indicators:report_template": _pk("report"),
    "indicators:report_upload": _pk("report"),
    "indicators:passport": _pk("territory"),
    "indicators:methodology_detail": _pk("methodology"),
    "indicators:methodology_edit": _pk("methodology"),
    # Documents, ideas, the media
    "documents:document_detail": _pk("document"),
    "documents:document_edit": _pk("document"),
    "documents:version_upload": _pk("document"),
    "documents:version_download": lambda w, k: [w.document[k].pk, w.version[k].pk],
    "documents:distribution_send": _pk("document"),
    "documents:tracking": _pk("document"),
    "documents:acknowledge": _pk("recipient"),
    "documents:report_attachment_download": lambda w, k: [
        w.acknowledged[k].pk,
        w.recipient_file[k].pk,
    ],
    "ideas:idea_detail": _pk("idea"),
    "ideas:idea_accept": _pk("idea"),
    "ideas:idea_reject": _pk("idea"),
    "ideas:idea_merge": _pk("idea"),
    "ideas:attachment_download": lambda w, k: [w.idea[k].pk, w.idea_file[k].pk],
    "ideas:idea_photo": _pk("citizen_idea"),
    "ideas:idea_review": _pk("citizen_idea"),
    "ideas:idea_hide": _pk("citizen_idea"),
    "ideas:idea_unhide": _pk("citizen_idea"),
    "ideas:idea_redact": _pk("citizen_idea"),
    "ideas:address_block": _pk("citizen_idea"),
    "public:territory": _pk("territory"),
    "public:project": _pk("project"),
    "public:event": _pk("event"),
    "public:meeting": _pk("meeting"),
    "public:event_photo": lambda w, k: [w.event[k].pk, w.item_file[k].pk, "small"],
    "events:event_photo": lambda w, k: [w.event[k].pk, w.item_file[k].pk],
    "events:event_photos_add": _pk("event"),
    "public:guideline": _pk("document"),
    "public:guideline_file": lambda w, k: [w.document[k].pk, w.version[k].pk],
    "public:news": _pk("publication"),
    "public:ranking": _pk("methodology"),
    "public:data_download": lambda w, k: ["events", "csv"],
    "public:place_events_ics": _pk("territory"),
    "public:place_news_atom": _pk("territory"),
    "public:place_ideas_atom": _pk("territory"),
    "public:place_decisions_atom": _pk("territory"),
    "django.contrib.sitemaps.views.sitemap": lambda w, k: ["events"],
    "public:publish": lambda w, k: ["project", w.project[k].pk],
    "public:idea_detail": _pk("citizen_idea"),
    "public:idea_photo": _pk("citizen_idea"),
    "public:idea_support": _pk("citizen_idea"),
    "public:idea_withdraw": _pk("citizen_idea"),
    "media:publication_detail": _pk("publication"),
    "media:publication_edit": _pk("publication"),
    "sites:site_detail": _pk("site"),
    "sites:site_edit": _pk("site"),
    "sites:photo_download": lambda w, k: [w.site[k].pk, w.site_photo[k].pk],
}


def _reset_args(user: User) -> list[str]:
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    return [urlsafe_base64_encode(force_bytes(user.pk)), default_token_generator.make_token(user)]


def page_url(world: World, method: str, name: str, key: str | None) -> str:
    spec = PAGE_URLS.get(name)
    if key is None or spec is None:
        return reverse(name)
    if isinstance(spec, Query):
        if method == "POST":
            return reverse(name)  # an add form takes its objects from the posted data
        return f"{reverse(name)}?{spec.parameter}={getattr(world, spec.attribute)[key].pk}"
    found = spec(world, key)
    if isinstance(found, str):
        return reverse(name) + found
    return reverse(name, args=found)


def form_data(form: forms.BaseForm) -> dict[str, Any]:
    """What a browser posts for an unchanged form: every field's current value."""
    data: dict[str, Any] = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False:
            continue
        if isinstance(value, list | tuple):
            data[name] = [str(item) for item in value]
        elif isinstance(value, datetime.date):
            data[name] = value.isoformat()
        else:
            data[name] = str(value)
    return data


def _fresh(obj: Any) -> Any:
    return type(obj)._default_manager.get(pk=obj.pk)


# The instance each add form is filled from, by the row's object.
NEW: dict[str, tuple[type[forms.ModelForm], Callable[[World, str | None], Any]]] = {
    "registry:territory_add": (
        TerritoryForm,
        lambda w, k: Territory(
            name_kk="Жаңа ауыл",
            name_ru="Новое село",
            kind=TerritoryKind.RURAL_DISTRICT,
            parent=w.territory[str(k)],
        ),
    ),
    "registry:organization_add": (
        OrganizationForm,
        lambda w, k: Organization(
            name_kk="Жаңа ұйым",
            name_ru="Новая организация",
            kind=OrganizationKind.OTHER,
            territory=w.territory[str(k)],
        ),
    ),
    "registry:person_add": (
        PersonForm,
        lambda w, k: Person(
            surname_kk="Жаңа",
            surname_ru="Новый",
            given_name_kk="Адам",
            given_name_ru="Человек",
            territory=w.territory[str(k)],
        ),
    ),
    "registry:appointment_add": (
        AppointmentForm,
        lambda w, k: Appointment(
            person=w.person[str(k)],
            organization=w.organization[str(k)],
            position=w.position,
            start=datetime.date(2025, 1, 1),
        ),
    ),
    "registry:staff_post_add": (
        StaffPostForm,
        lambda w, k: StaffPost(organization=w.organization[str(k)], position=w.position),
    ),
    "programs:program_add": (
        ProgramForm,
        lambda w, k: Program(code="new-program", name_kk="Жаңа", name_ru="Новая"),
    ),
    "programs:direction_add": (
        DirectionForm,
        lambda w, k: Direction(program=w.program["p"], name_kk="Жаңа", name_ru="Новое"),
    ),
    "sites:site_add": (
        SiteForm,
        lambda w, k: Site(
            name_kk="Жаңа киелі жер",
            name_ru="Новое священное место",
            kind="natural",
            territory=w.territory[str(k)],
            latitude=49.4,
            longitude=75.45,
        ),
    ),
    "programs:project_add": (
        ProjectForm,
        lambda w, k: Project(
            program=w.program["p"],
            territory=w.territory[str(k)],
            lead_organization=w.division[str(k)],
            name_kk="Жаңа жоба",
            name_ru="Новый проект",
        ),
    ),
}
# Edit forms post their object's current values, as a browser does.
EDIT_FORMS: dict[str, tuple[str, type[forms.ModelForm]]] = {
    "registry:territory_edit": ("territory", TerritoryForm),
    "registry:organization_edit": ("organization", OrganizationForm),
    "registry:person_edit": ("person", PersonForm),
    "registry:appointment_edit": ("appointment", AppointmentForm),
    "registry:staff_post_edit": ("post", StaffPostForm),
    "programs:program_edit": ("program", ProgramForm),
    "programs:direction_edit": ("direction", DirectionForm),
    "programs:project_edit": ("project", ProjectForm),
    "meetings:meeting_edit": ("meeting", MeetingForm),
    "assignments:assignment_edit": ("assignment", AssignmentForm),
    "events:event_edit": ("event", EventForm),
    "events:plan_edit": ("plan", PlanForm),
    "indicators:indicator_edit": ("indicator", IndicatorForm),
    "indicators:form_edit": ("report_form", ReportFormForm),
    "media:publication_edit": ("publication", PublicationForm),
    "sites:site_edit": ("site", SiteForm),
}
TITLES = {"title_kk": "Жаңа", "title_ru": "Новое"}
FUTURE = "2030-01-15"


def _new_meeting(w: World, k: str) -> dict[str, Any]:
    meeting = Meeting(
        title_kk="Жаңа кеңес",
        title_ru="Новое совещание",
        venue="Әкімдік, 2-зал",
        start=datetime.datetime(2021, 3, 1, 4, 0, tzinfo=datetime.UTC),
        end=datetime.datetime(2021, 3, 1, 6, 0, tzinfo=datetime.UTC),
        organizer=w.division[k],
        territory=w.territory[k],
    )
    return form_data(MeetingForm(instance=meeting, user=w.users["administrator"]))


def _new_event(w: World, k: str) -> dict[str, Any]:
    event = Event(
        **TITLES,
        program=w.program["p"],
        organizer=w.organization[k],
        territory=w.territory[k],
        venue="Мектеп залы",
        start=datetime.date(2021, 5, 5),
        end=datetime.date(2021, 5, 5),
    )
    return form_data(EventForm(instance=event, user=w.users["administrator"]))


def _new_plan(w: World, k: str) -> dict[str, Any]:
    plan = WorkPlan(**TITLES, territory=w.territory[k], organization=w.organization[k], year=2021)
    return form_data(PlanForm(instance=plan, user=w.users["administrator"]))


def _new_assignment(w: World, k: str) -> dict[str, Any]:
    return {
        "text_kk": "Кітапхана клубын ашу",
        "text_ru": "Открыть клуб при библиотеке",
        "order_reference": "№ 12",
        "lead_organization": w.organization[k].pk,
        "deadline_kind": "date",
        "deadline": FUTURE,
        "priority": "normal",
        "controller": w.users["project_office"].pk,
    }


def _ingested(w: World, k: str) -> dict[str, Any]:
    return {
        "text": f"{w.territory[k].name_kk} кітапхана клубы ашылды.",
        "outlet": w.outlet[k].pk,
        "title": "Клуб ашылды",
        "language": "kk",
        "kind": "article",
    }


def _within(world: World, key: str) -> dict[str, Any]:
    return {"within": world.territory[key].pk} if key in world.territory else {}


def _boundary_file(territory: Territory) -> SimpleUploadedFile:
    """A GeoJSON file of one square naming the territory by its Kazakh name."""
    square = [[70, 48], [71, 48], [71, 49], [70, 49], [70, 48]]
    document = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"name": territory.name_kk},
                "geometry": {"type": "Polygon", "coordinates": [square]},
            }
        ],
    }
    return SimpleUploadedFile("boundaries.geojson", json.dumps(document).encode())


# What a POST sends, by the row's object (the forms that need more than the registry's).
PAGE_DATA: dict[str, Callable[[World, str], dict[str, Any]]] = {
    "geo:boundaries_import": lambda w, k: {
        "file": _boundary_file(w.territory[k]),
        "valid_from": "2024-01-01",
        "source": "",
    },
    "core:add_comment": lambda w, k: {"text": "Мерзімі қашан?"},
    "accounts:profile": lambda w, k: {"name": "Кесте"},
    "notifications:preferences": lambda w, k: {kind: "digest" for kind in NotificationKind.values},
    "meetings:meeting_add": _new_meeting,
    "meetings:meeting_transition": lambda w, k: {"to": "approved"},
    "meetings:attendance_all": lambda w, k: {f"attendance-{w.participant[k].pk}": "present"},
    "meetings:item_add": lambda w, k: {**TITLES, "duration_minutes": "10"},
    "meetings:attachment_upload": lambda w, k: {"file": pdf()},
    "meetings:minutes_edit": lambda w, k: {
        "revision": str(w.meeting[k].minutes_revision),
        "heard_kk": "Тыңдалды.",
        "heard_ru": "Слушали.",
    },
    "meetings:decision_add": lambda w, k: {"text_kk": "Шешілді.", "text_ru": "Решили."},
    "meetings:assignment_add": _new_assignment,
    "meetings:review_decide": lambda w, k: {"choice": "keep"},
    "meetings:review_decide_all": lambda w, k: {f"choice-{w.order[k].pk}": "keep"},
    "meetings:next_meeting": lambda w, k: {"start": "2021-03-15T10:00", "end": "2021-03-15T12:00"},
    "meetings:series_add": lambda w, k: {
        "title_kk": "Апталық кеңес",
        "title_ru": "Еженедельное совещание",
        "recurrence": "weekly",
    },
    "meetings:group_add": lambda w, k: {
        "name_kk": "Мұғалімдер",
        "name_ru": "Учителя",
        "position": w.position.pk if w.position else "",
    },
    "assignments:assignment_add": _new_assignment,
    "assignments:report_submit": lambda w, k: {"report-text": "Орындалды."},
    "assignments:extension_request": lambda w, k: {
        "extension-new_deadline": FUTURE,
        "extension-reason": "Карантин.",
    },
    "assignments:assignment_withdraw": lambda w, k: {"withdraw-reason": "Қажет емес."},
    "assignments:report_review": lambda w, k: {
        f"review-{w.execution_report[k].pk}-outcome": "accept"
    },
    "assignments:extension_decide": lambda w, k: {f"decide-{w.extension[k].pk}-decision": "grant"},
    "events:event_add": _new_event,
    "events:event_hold": lambda w, k: {
        "start": "2020-04-10",
        "end": "2020-04-10",
        "participants": "30",
        "outcome": "Өтті.",
    },
    "events:event_postpone": lambda w, k: {
        "reason": "Зал жөнделуде.",
        "start": "2020-06-10",
        "end": "2020-06-10",
    },
    "events:event_cancel": lambda w, k: {"reason": "Қаржы жоқ."},
    "events:plan_add": _new_plan,
    "events:plan_item_add": lambda w, k: {
        **TITLES,
        "is_event": "on",
        "responsible": w.organization[k].pk,
        "start": "2020-05-01",
        "end": "2020-05-02",
    },
    "events:plan_return": lambda w, k: {"comment": "Мерзімдерін түзетіңіз."},
    "events:emergency_add": lambda w, k: {
        "kind": "quarantine",
        **TITLES,
        "territories": [w.territory[k].pk],
        "start": "2021-01-01",
        "restricts": "in_person",
    },
    "events:emergency_postpone": lambda w, k: {
        "reason": "Карантин.",
        "events": [w.event[k].pk],
    },
    "events:emergency_lift": lambda w, k: {"lifted_on": "2020-04-20"},
    "events:emergency_reschedule": lambda w, k: {
        "event": w.postponed[k].pk,
        "start": "2020-06-01",
        "end": "2020-06-01",
    },
    "indicators:indicator_add": lambda w, k: {
        "code": "new-indicator",
        "name_kk": "Жаңа",
        "name_ru": "Новый",
        "source": "reported",
        "order": "0",
        "higher_is_better": "on",
    },
    "indicators:recompute": lambda w, k: {"year": "2020"},
    "indicators:target_list": lambda w, k: {
        "indicator": w.indicator["i"].pk,
        "territory": w.territory[k].pk,
        "year": "2021",
        "value": "7",
    },
    "indicators:report_open": lambda w, k: {
        "form": w.report_form["f"].pk,
        "territory": w.territory[k].pk,
        "year": "2020",
        "period_number": "2",
    },
    "indicators:report_detail": lambda w, k: {f"value_{w.indicator['r'].pk}": "12"},
    "documents:document_add": lambda w, k: {**TITLES, "kind": "guideline"},
    "documents:version_upload": lambda w, k: {"language": "ru", "file": pdf()},
    "documents:distribution_send": lambda w, k: {
        "organization_kinds": ["school"],
        "mode": "information",
    },
    "documents:acknowledge": lambda w, k: {"report": "Қолданамыз."},
    "ideas:idea_propose": lambda w, k: {
        "title": "Оқу клубы",
        "description": "Кітапханада кешкі оқу клубын ашу.",
        "territory": w.territory[k].pk,
    },
    "ideas:idea_accept": lambda w, k: {"project": w.project[k].pk, "answer": "Қабылданды."},
    "ideas:idea_reject": lambda w, k: {"answer": "Қаржы жоқ."},
    "ideas:idea_merge": lambda w, k: {"merged_into": w.idea["b"].pk},
    "ideas:idea_hide": lambda w, k: {"reason": "Телефон нөмірі бар"},
    "ideas:idea_unhide": lambda w, k: {"reason": "Нөмір алынды"},
    "ideas:address_block": lambda w, k: {"reason": "Спам"},
    "ideas:idea_redact": lambda w, k: {
        "title": "Саябаққа орындық",
        "description": "Саябаққа орындықтар қою.",
        "reason": "Аты-жөні алынды",
    },
    "media:publication_add": lambda w, k: {
        "outlet": w.outlet[k].pk,
        "title": "Клуб ашылды",
        "language": "kk",
        "kind": "article",
        "territories": [w.territory[k].pk],
    },
    "media:ingest": lambda w, k: {"text": "Алаш ауданында кітапхана клубы ашылды."},
    "media:ingest_confirm": _ingested,
}


def page_data(world: World, name: str, key: str | None) -> dict[str, Any]:
    user = world.users["administrator"]  # the values posted do not depend on who posts them
    if name in NEW:
        form_class, make = NEW[name]
        data = form_data(form_class(instance=make(world, key), user=user))
        if name == "registry:person_add":
            # The post that comes with a person registered by a department or an institution
            # (the form asks only them; others' forms ignore these fields).
            data.update({"position": world.position.pk, "start": "2025-01-01"})
            data["employment"] = "staff"
        return data
    if name in EDIT_FORMS:
        attribute, form_class = EDIT_FORMS[name]
        obj = _fresh(getattr(world, attribute)[key])
        return form_data(form_class(instance=obj, user=user))
    if name in PAGE_DATA:
        return PAGE_DATA[name](world, str(key))
    return {}


# API collections: the world attribute of their objects, what a create sends for an object
# of district a/b/x, and a harmless change.
NAMES = {"name_kk": "Жаңа", "name_ru": "Новое"}
API_ENTITIES: dict[str, tuple[str, Callable[[World, Any], dict[str, Any]], dict[str, Any]]] = {
    "territories": (
        "territory",
        lambda w, k: {**NAMES, "kind": "rural_district", "parent": w.territory[k].pk},
        {"name_en": "Patched"},
    ),
    "organizations": (
        "organization",
        lambda w, k: {**NAMES, "kind": "other", "territory": w.territory[k].pk},
        {"name_en": "Patched"},
    ),
    "people": (
        "person",
        lambda w, k: {
            "surname_kk": "Жаңа",
            "surname_ru": "Новый",
            "given_name_kk": "Адам",
            "given_name_ru": "Человек",
            "territory": w.territory[k].pk,
        },
        {"email": "patched@example.kz"},
    ),
    "positions": ("position", lambda w, k: {**NAMES, "code": "new-position"}, {"name_en": "P"}),
    "staff-posts": (
        "post",
        lambda w, k: {"organization": w.organization[k].pk, "position": w.position.pk},
        {"order": 5},
    ),
    "appointments": (
        "appointment",
        lambda w, k: {
            "person": w.person[k].pk,
            "organization": w.organization[k].pk,
            "position": w.position.pk,
            "start": "2025-01-01",
        },
        {"act_number": "7-к"},
    ),
    "programs": ("program", lambda w, k: {**NAMES, "code": "new-program"}, {"name_en": "P"}),
    "directions": ("direction", lambda w, k: {**NAMES, "program": w.program["p"].pk}, {"order": 2}),
    "sites": (
        "site",
        lambda w, k: {**NAMES, "kind": "memorial", "territory": w.territory[k].pk},
        {"name_en": "Patched"},
    ),
    "projects": (
        "project",
        lambda w, k: {
            **NAMES,
            "program": w.program["p"].pk,
            "territory": w.territory[k].pk,
            "lead_organization": w.division[k].pk,
        },
        {"name_en": "Patched"},
    ),
}


# The object each path parameter names, by the row's object; some paths name another of the
# district's objects than the parameter's usual one.
API_OBJECTS: dict[str, str] = {
    "territory_id": "territory",
    "organization_id": "organization",
    "person_id": "person",
    "post_id": "post",
    "appointment_id": "appointment",
    "program_id": "program",
    "direction_id": "direction",
    "project_id": "project",
    "token_id": "token",
    "notification_id": "notification",
    "user_id": "account",
    "meeting_id": "meeting",
    "participant_id": "participant",
    "item_id": "item",
    "decision_id": "decision",
    "attachment_id": "item_file",
    "review_id": "review",
    "group_id": "group",
    "assignment_id": "assignment",
    "extension_id": "extension",
    "event_id": "event",
    "plan_id": "plan",
    "disruption_id": "emergency",
    "indicator_id": "indicator",
    "target_id": "target",
    "form_id": "report_form",
    "report_id": "report",
    "methodology_id": "methodology",
    "document_id": "document",
    "recipient_id": "recipient",
    "idea_id": "idea",
    "publication_id": "publication",
    "site_id": "site",
    "photo_id": "site_photo",
    "version_id": "version",
    "file_id": "idea_file",
}
API_PATH_OBJECTS: dict[str, dict[str, str]] = {
    "service-tokens/{token_id}": {"token_id": "service_token"},
    "acknowledgments/{recipient_id}/files": {"recipient_id": "acknowledged"},
    "acknowledgments/{recipient_id}/files/{file_id}": {
        "recipient_id": "acknowledged",
        "file_id": "recipient_file",
    },
    "plans/{plan_id}/items/{item_id}": {"item_id": "plan_item"},
    "plans/{plan_id}/approve": {"plan_id": "submitted_plan"},
    "plans/{plan_id}/return": {"plan_id": "submitted_plan"},
    "plans/{plan_id}/diff": {"plan_id": "submitted_plan"},
    "plans/{plan_id}/amend": {"plan_id": "approved_plan"},
    "assignments/{assignment_id}/reports/{report_id}/review": {"report_id": "execution_report"},
    "assignments/{assignment_id}/extensions/{extension_id}/decision": {"assignment_id": "order"},
    "assignments/{assignment_id}/extensions/{extension_id}": {"assignment_id": "order"},
    "assignments/{assignment_id}/reports/{report_id}/files": {"report_id": "execution_report"},
    "assignments/{assignment_id}/reports/{report_id}/files/{attachment_id}": {
        "report_id": "execution_report",
        "attachment_id": "report_file",
    },
    "disruptions/{disruption_id}/proposals": {"disruption_id": "lifted"},
    "disruptions/{disruption_id}/events/{event_id}/reschedule": {
        "disruption_id": "lifted",
        "event_id": "postponed",
    },
}
# A row's object that stands for another: `ab` is A's meeting reviewing B's assignment;
# `null` is A's object patched with a null text.
PATH_KEY = {"ab": "a", "null": "a"}
NULLS: dict[str, dict[str, Any]] = {
    "organizations/{organization_id}": {"email": None},
    "people/{person_id}": {"phone": None},
    "appointments/{appointment_id}": {"act_number": None},
    "meetings/{meeting_id}": {"video_url": None},
    "assignments/{assignment_id}": {"order_reference": None},
    "events/{event_id}": {"venue": None},
}


def _meeting_in(w: World, k: str) -> dict[str, Any]:
    return {
        **TITLES,
        "venue": "Әкімдік, 2-зал",
        "start": "2021-03-01T10:00:00+06:00",
        "end": "2021-03-01T12:00:00+06:00",
        "organizer": w.division[k].pk,
        "territory": w.territory[k].pk,
    }


def _not_a_workbook() -> SimpleUploadedFile:
    """An upload that an Excel import refuses as a whole (422), once it may be imported."""
    return SimpleUploadedFile("import.xlsx", b"not a workbook")


# What an operation sends (a JSON body; for GET, the query), by the row's object.
API_PAYLOADS: dict[tuple[str, str], Callable[[World, str], dict[str, Any]]] = {
    ("POST", "comments/{object_type}/{object_id}"): lambda w, k: {"text": "Мерзімі қашан?"},
    ("GET", "search"): lambda w, k: {"q": "алаш"},
    # The boundaries and points inside the row's territory (none asked: all the caller sees).
    ("GET", "geo/territories"): lambda w, k: _within(w, k),
    ("GET", "geo/points"): lambda w, k: _within(w, k),
    ("GET", "geo/sites"): lambda w, k: _within(w, k),
    ("POST", "geo/boundaries"): lambda w, k: {"file": _boundary_file(w.territory[k])},
    ("POST", "me/tokens"): lambda w, k: {"name": "another"},
    ("POST", "public/publishing"): lambda w, k: {
        "kind": "project",
        "id": w.project[k].pk,
        "published": True,
    },
    ("PATCH", "me/tokens/{token_id}"): lambda w, k: {"name": "renamed"},
    # A list: the kinds to change (JSON, though the table's payloads are mostly objects).
    ("PATCH", "notifications/preferences"): lambda w, k: [
        {"kind": "meeting_changed", "timing": "digest"}
    ],
    ("POST", "auth/token"): lambda w, k: {
        "username": w.users["institution"].username,
        "password": "wrong" if k == "wrong" else "kense-test-password",
        "name": "mobile app",
    },
    ("POST", "users"): lambda w, k: {
        "username": "new-account",
        "role": "coordinator",
        "territory": w.territory[k].pk,
        "password": "Qarağandy-2020-strong",
    },
    ("PATCH", "users/{user_id}"): lambda w, k: {"first_name": "Жаңа"},
    ("POST", "service-tokens"): lambda w, k: {
        "name": "integration",
        "user": w.account[k].pk,
        "permissions": ["reports:read"],
        "expires_at": (timezone.now() + datetime.timedelta(days=30)).isoformat(),
    },
    ("POST", "meetings"): _meeting_in,
    ("PATCH", "meetings/{meeting_id}"): lambda w, k: {"venue": "Әкімдік, 3-зал"},
    ("POST", "meetings/{meeting_id}/transition"): lambda w, k: {"to": "approved"},
    ("POST", "meetings/{meeting_id}/participants"): lambda w, k: {"people": [w.guest[k].pk]},
    ("PATCH", "meetings/{meeting_id}/participants/{participant_id}"): lambda w, k: {
        "attendance": "present"
    },
    ("POST", "meetings/{meeting_id}/items"): lambda w, k: dict(TITLES),
    ("PATCH", "meetings/{meeting_id}/items/{item_id}"): lambda w, k: {"duration_minutes": 15},
    ("PATCH", "meetings/{meeting_id}/items/{item_id}/minutes"): lambda w, k: {
        "revision": w.meeting[k].minutes_revision,
        "heard_kk": "Тыңдалды.",
    },
    ("POST", "meetings/{meeting_id}/items/{item_id}/decisions"): lambda w, k: {
        "text_kk": "Шешілді.",
        "text_ru": "Решили.",
    },
    ("PATCH", "meetings/{meeting_id}/items/{item_id}/decisions/{decision_id}"): lambda w, k: {
        "text_ru": "Решили иначе."
    },
    ("POST", "meetings/{meeting_id}/reviews"): lambda w, k: {
        "assignment": (w.assignment["b"] if k == "ab" else w.order[k]).pk,
        "choice": "keep",
    },
    ("POST", "meetings/{meeting_id}/items/{item_id}/attachments"): lambda w, k: {"file": pdf()},
    ("GET", "meetings/{meeting_id}/minutes"): lambda w, k: {"format": "docx", "language": "kk"},
    ("GET", "meetings/{meeting_id}/extract"): lambda w, k: {
        "organization": w.organization[k].pk,
        "language": "ru",
    },
    ("POST", "meetings/{meeting_id}/amendments"): lambda w, k: {"text": "Түзету."},
    ("POST", "meetings/{meeting_id}/next"): lambda w, k: {
        "start": "2021-04-01T10:00:00+06:00",
        "end": "2021-04-01T12:00:00+06:00",
    },
    ("POST", "meeting-series"): lambda w, k: {**TITLES, "recurrence": "monthly"},
    ("POST", "invitation-groups"): lambda w, k: {**NAMES, "position": w.position.pk},
    ("PATCH", "invitation-groups/{group_id}"): lambda w, k: {"name_en": "Teachers"},
    ("GET", "invitation-groups/{group_id}/members"): lambda w, k: {"on": "2021-02-15"},
    ("POST", "invitation-groups/preview"): lambda w, k: {"position": w.position.pk},
    ("POST", "assignments"): lambda w, k: {
        "source_kind": "order",
        "order_reference": "№ 12",
        "text_kk": "Кітапхана клубын ашу",
        "text_ru": "Открыть клуб при библиотеке",
        "lead_organization": w.organization[k].pk,
        "deadline": FUTURE,
    },
    ("PATCH", "assignments/{assignment_id}"): lambda w, k: {"priority": "high"},
    ("POST", "assignments/{assignment_id}/withdraw"): lambda w, k: {"reason": "Қажет емес."},
    ("POST", "assignments/{assignment_id}/reports"): lambda w, k: {"text": "Орындалды."},
    ("POST", "assignments/{assignment_id}/reports/files"): lambda w, k: {
        "text": "Орындалды.",
        "files": [pdf("report.pdf")],
    },
    ("POST", "assignments/{assignment_id}/reports/{report_id}/review"): lambda w, k: {
        "accept": True
    },
    ("POST", "assignments/{assignment_id}/extensions"): lambda w, k: {
        "new_deadline": FUTURE,
        "reason": "Карантин.",
    },
    ("POST", "assignments/{assignment_id}/extensions/{extension_id}/decision"): lambda w, k: {
        "grant": True
    },
    ("POST", "events"): lambda w, k: {
        **TITLES,
        "program": w.program["p"].pk,
        "organizer": w.organization[k].pk,
        "territory": w.territory[k].pk,
        "venue": "Мектеп залы",
        "start": "2021-05-05",
        "end": "2021-05-05",
    },
    ("PATCH", "events/{event_id}"): lambda w, k: {"venue": "Мәдениет үйі"},
    ("POST", "events/{event_id}/hold"): lambda w, k: {"outcome": "Өтті.", "participants": 30},
    ("POST", "events/{event_id}/postpone"): lambda w, k: {
        "reason": "Зал жөнделуде.",
        "start": "2020-06-10",
    },
    ("POST", "events/{event_id}/cancel"): lambda w, k: {"reason": "Қаржы жоқ."},
    ("GET", "event-feed"): lambda w, k: {"kind": "territory", "subject": w.territory[k].pk},
    ("POST", "plans"): lambda w, k: {
        **TITLES,
        "territory": w.territory[k].pk,
        "organization": w.organization[k].pk,
        "year": 2021,
    },
    ("PATCH", "plans/{plan_id}"): lambda w, k: {"title_en": "Plan"},
    ("POST", "plans/{plan_id}/items"): lambda w, k: {
        **TITLES,
        "responsible": w.organization[k].pk,
        "start": "2020-05-01",
        "end": "2020-05-02",
    },
    ("PATCH", "plans/{plan_id}/items/{item_id}"): lambda w, k: {"order": 5},
    ("POST", "plans/{plan_id}/return"): lambda w, k: {"comment": "Мерзімдерін түзетіңіз."},
    ("GET", "plans/{plan_id}/diff"): lambda w, k: {"old": 1},
    ("POST", "disruptions"): lambda w, k: {
        "kind": "quarantine",
        **TITLES,
        "territories": [w.territory[k].pk],
        "start": "2021-01-01",
    },
    ("POST", "disruptions/{disruption_id}/postpone"): lambda w, k: {"reason": "Карантин."},
    ("POST", "disruptions/{disruption_id}/lift"): lambda w, k: {"lifted_on": "2020-04-20"},
    ("POST", "disruptions/{disruption_id}/events/{event_id}/reschedule"): lambda w, k: {
        "start": "2020-06-01",
        "end": "2020-06-01",
    },
    ("POST", "indicators"): lambda w, k: {
        "code": "new-indicator",
        "name_kk": "Жаңа",
        "name_ru": "Новый",
        "source": "reported",
    },
    ("PATCH", "indicators/{indicator_id}"): lambda w, k: {"order": 3},
    ("POST", "targets"): lambda w, k: {
        "indicator": w.indicator["i"].pk,
        "territory": w.territory[k].pk,
        "year": 2021,
        "value": "7",
    },
    ("PATCH", "targets/{target_id}"): lambda w, k: {"value": "50"},
    ("GET", "report-forms/{form_id}/rates"): lambda w, k: {"year": 2020},
    ("POST", "report-forms"): lambda w, k: {
        "code": "new-form",
        **NAMES,
        "period_kind": "quarter",
        "indicators": [w.indicator["r"].pk],
        "territories": [w.territory[k].pk],
    },
    ("PATCH", "report-forms/{form_id}"): lambda w, k: {"due_days": 12},
    ("POST", "indicator-values/recompute"): lambda w, k: {"year": 2020},
    ("GET", "trends"): lambda w, k: {"indicator": w.indicator[k].pk},
    ("PATCH", "methodologies/{methodology_id}"): lambda w, k: {"weights": {"events-held": 2}},
    ("POST", "reports"): lambda w, k: {
        "form": w.report_form["f"].pk,
        "territory": w.territory[k].pk,
        "year": 2020,
        "period_number": 2,
    },
    ("PUT", "reports/{report_id}/values"): lambda w, k: {
        "values": [{"indicator": w.indicator["r"].pk, "value": "12"}]
    },
    ("POST", "reports/{report_id}/return"): lambda w, k: {"comment": "Түзетіңіз."},
    ("GET", "rankings"): lambda w, k: {"methodology": w.methodology[k].pk, "year": 2019},
    ("POST", "methodologies"): lambda w, k: {
        "name_kk": "Жаңа әдістеме",
        "name_ru": "Новая методика",
        "year": 2021,
        "normalization": "percent_of_target",
        "weights": {"events-held": 1},
        "low_rule": "bottom_quartile",
    },
    ("POST", "documents"): lambda w, k: {**TITLES, "kind": "guideline"},
    ("PATCH", "documents/{document_id}"): lambda w, k: {"title_en": "Guideline"},
    ("POST", "documents/{document_id}/distributions/preview"): lambda w, k: {
        "organization_kinds": ["school"]
    },
    ("POST", "documents/{document_id}/versions"): lambda w, k: {"language": "ru", "file": pdf()},
    ("POST", "documents/{document_id}/distributions"): lambda w, k: {
        "organization_kinds": ["school"],
        "mode": "information",
    },
    ("POST", "acknowledgments/{recipient_id}"): lambda w, k: {"report": "Қолданамыз."},
    ("POST", "ideas"): lambda w, k: {
        "title": "Оқу клубы",
        "description": "Кітапханада кешкі оқу клубын ашу.",
        "territory": w.territory[k].pk,
    },
    ("POST", "ideas/{idea_id}/accept"): lambda w, k: {"project": w.project[k].pk},
    ("POST", "ideas/{idea_id}/reject"): lambda w, k: {"answer": "Қаржы жоқ."},
    ("POST", "ideas/{idea_id}/merge"): lambda w, k: {"into": w.idea["b"].pk},
    ("POST", "publications"): lambda w, k: {
        "outlet": w.outlet[k].pk,
        "title": "Клуб ашылды",
        "territories": [w.territory[k].pk],
    },
    ("POST", "publications/ingest"): lambda w, k: {
        "text": "Алаш ауданында кітапхана клубы ашылды."
    },
    ("POST", "publications/ingest/file"): lambda w, k: {
        "file": SimpleUploadedFile("article.txt", "Алаш ауданында клуб ашылды.".encode())
    },
    ("POST", "imports/excel/organizations"): lambda w, k: {"file": _not_a_workbook()},
    ("POST", "imports/excel/sites"): lambda w, k: {"file": _not_a_workbook()},
    ("POST", "sites/{site_id}/photos"): lambda w, k: {"photos": [photo()]},
    ("POST", "imports/excel/people"): lambda w, k: {"file": _not_a_workbook()},
    ("POST", "imports/excel/plans/{plan_id}"): lambda w, k: {"file": _not_a_workbook()},
    ("POST", "imports/excel/reports/{report_id}"): lambda w, k: {"file": _not_a_workbook()},
    ("PATCH", "publications/{publication_id}"): lambda w, k: {"reach": 250},
    ("POST", "publications/ingest/confirm"): lambda w, k: {
        **_ingested(w, k),
        "territories": [w.territory[k].pk],
    },
    ("POST", "imports/meetings"): lambda w, k: {
        **TITLES,
        "venue": "Әкімдік, 2-зал",
        "start": "2020-04-21T10:00:00+06:00",
        "end": "2020-04-21T12:00:00+06:00",
        "organizer": w.division[k].pk,
        "territory": w.territory[k].pk,
        "state": "held",
        "invitations_sent_at": "2020-04-18T09:00:00+06:00",
        "participants": [{"person": w.person[k].pk}],
    },
    ("POST", "imports/assignments"): lambda w, k: {
        "source_kind": "order",
        "order_reference": "№ 12",
        "text_kk": "Кітапхана клубын ашу",
        "text_ru": "Открыть клуб при библиотеке",
        "lead_organization": w.organization[k].pk,
        "deadline": "2020-04-01",
        "created_at": "2020-02-12T10:00:00+06:00",
        "status": "done",
        "done_at": "2020-03-25T10:00:00+06:00",
    },
    # After the order was given (when the world was built), and not in the future.
    ("POST", "imports/execution-reports"): lambda w, k: {
        "assignment": w.order[k].pk,
        "text": "Орындалды.",
        "created_at": w.order[k].created_at.isoformat(),
        "outcome": "pending",
    },
    # The world's reports are of 2020's first quarter: the third is free.
    ("POST", "imports/reports"): lambda w, k: {
        "form": w.report_form["f"].pk,
        "territory": w.territory[k].pk,
        "year": 2020,
        "period_number": 3,
        "values": [{"indicator": w.indicator["r"].pk, "value": "12"}],
        "submitted_at": "2020-10-05T10:00:00+06:00",
        "approved_at": "2020-10-08T10:00:00+06:00",
    },
    ("POST", "imports/distributions"): lambda w, k: {
        "document": w.document["doc"].pk,
        "organization_kinds": ["school"],
        "mode": "information",
        "sent_at": "2020-03-02T10:00:00+06:00",
        "recipients": [
            {"organization": w.organization[k].pk, "acknowledged_at": "2020-03-05T10:00:00+06:00"}
        ],
    },
}
# Operations that take a multipart form (with files) rather than JSON.
MULTIPART = {
    ("POST", "imports/excel/organizations"),
    ("POST", "imports/excel/sites"),
    ("POST", "sites/{site_id}/photos"),
    ("POST", "geo/boundaries"),
    ("POST", "imports/excel/people"),
    ("POST", "imports/excel/plans/{plan_id}"),
    ("POST", "imports/excel/reports/{report_id}"),
    ("POST", "publications/ingest/file"),
    ("POST", "ideas"),
    ("POST", "meetings/{meeting_id}/items/{item_id}/attachments"),
    ("POST", "assignments/{assignment_id}/reports/files"),
    ("POST", "documents/{document_id}/versions"),
    ("POST", "acknowledgments/{recipient_id}"),
}


# The history and comments of any audited object: its type, its id and its first version.
AUDITED_PATH: dict[str, Callable[[World, str], str]] = {
    "object_type": lambda w, k: _audited(w, k)._meta.label_lower,
    "object_id": lambda w, k: str(_audited(w, k).pk),
    "history_id": lambda w, k: str(_restore_args(w, k)[2]),
}


def api_request(world: World, method: str, path: str, key: str | None) -> tuple[str, Any]:
    """The URL of the row's operation and what it sends."""
    collection = path.split("/")[0]
    if key == "null":
        payload: dict[str, Any] = NULLS[path]
    elif collection in API_ENTITIES and path.endswith("/bulk"):
        # A bulk create sends a list of what the single create sends: here, one item.
        payload = [API_ENTITIES[collection][1](world, key)]  # type: ignore[assignment]
    elif collection in API_ENTITIES and path.count("/") <= 1:
        attribute, create, change = API_ENTITIES[collection]
        registry = create(world, key) if method == "POST" else change
        payload = registry if method in ("POST", "PATCH") else {}
    else:
        maker = API_PAYLOADS.get((method, path))
        payload = maker(world, str(key)) if maker else {}
    objects = API_PATH_OBJECTS.get(path, {})
    url = path
    for parameter in re.findall(r"{(\w+)}", path):
        if parameter in AUDITED_PATH:
            url = url.replace("{" + parameter + "}", AUDITED_PATH[parameter](world, str(key)))
            continue
        if parameter == "position_id":
            obj: Any = world.position
        else:
            attribute = objects.get(parameter, API_OBJECTS[parameter])
            obj = getattr(world, attribute)[PATH_KEY.get(str(key), str(key))]
        url = url.replace("{" + parameter + "}", str(obj.pk))
    return f"{API_PREFIX}{url}", payload


def client_for(world: World, role: str, *, api: bool) -> Client:
    return world.api_clients[role] if api else world.clients[role]


Row = tuple[str, str, str, str | None]  # kind (page or api), method, target, object


def _rows() -> list[Any]:
    """A case per row (the roles whose answer is given); the Bug cells are cases of their own."""
    rows = []
    for kind, table in (("page", PAGES), ("api", API)):
        for (method, target, key), expectations in table.items():
            assert len(expectations) == len(ROLES), (method, target, key)
            rows.append(pytest.param((kind, method, target, key), id=f"{method}-{target}-{key}"))
    return rows


def _send(client: Client, method: str, url: str, data: dict[str, Any], *, form: bool) -> Any:
    if method == "GET":
        return client.get(url, data)
    if form:
        return client.post(url, data)  # as a browser posts a form, files included
    return client.generic(method, url, json.dumps(data), content_type=JSON)


# Pages whose answer to an anonymous visitor is no redirect to the login page.
PUBLIC = {
    "healthz",
    "api:openapi-json",
    "api:openapi-view",
    "api:api-root",
    "accounts:login",
    "accounts:logout",
    "accounts:password_reset",
    "accounts:password_reset_done",
    "accounts:password_reset_confirm",
    "accounts:password_reset_complete",
    "calendar:calendar_feed",
    "events:event_ics_feed",
    "indicators:recompute",
    # Residents' ideas on the open pages (kense.ideas.public_urls)
    "public:idea_list",
    "public:idea_detail",
    "public:idea_photo",
    "public:idea_new",
    "public:idea_address",
    "public:idea_code",
    "public:idea_mine",
    "public:idea_support",
    "public:idea_withdraw",
    "public:idea_forget",
    # The program's open pages (kense.public)
    "public:home",
    "public:territory",
    "public:project",
    "public:event",
    "public:meeting",
    "public:event_photo",
    "public:guideline",
    "public:guideline_file",
    "public:news",
    "public:ranking",
    "public:privacy",
    "public:data",
    "public:data_download",
    "public:events_ics",
    "public:place_events_ics",
    "public:news_atom",
    "public:place_news_atom",
    "public:ideas_atom",
    "public:place_ideas_atom",
    "public:decisions_atom",
    "public:place_decisions_atom",
    "sitemap_index",
    "django.contrib.sitemaps.views.sitemap",
    "robots_txt",
}


@dataclass
class Answer:
    url: str
    status: int
    detail: Any = None


def answer(world: World, role: str, row: Row) -> Answer:
    """What the role gets for the row's request, in a savepoint that is rolled back: no row
    sees another's writes. An exception the view lets out is a 500."""
    kind, method, target, key = row
    api_row = kind == "api"
    client = client_for(world, role, api=api_row)
    if api_row:
        url, data = api_request(world, method, target, key)
        form = (method, target) in MULTIPART
    else:
        url, form = page_url(world, method, target, key), True
        data = page_data(world, target, key) if method != "GET" else {}
    # Logging out, or a password reset link, changes the client's session: keep it.
    cookies = copy.deepcopy(client.cookies)
    try:
        with transaction.atomic():
            try:
                response = _send(client, method, url, data, form=form)
            except Exception as error:  # a crash is an answer: 500
                return Answer(url, 500, repr(error))
            finally:
                transaction.set_rollback(True)
    finally:
        client.cookies = cookies
    if response.streaming:
        # A download: read to its end, which closes its file the way the test client closes
        # (response.close() itself would close the database connection, and the world).
        response.getvalue()
    found = Answer(url, response.status_code)
    login_expected = role == "anonymous" and not api_row and target not in PUBLIC
    if login_expected and not response.get("Location", "").startswith(reverse("accounts:login")):
        # Told apart from a 302 elsewhere (to a page, after a write).
        found.status, found.detail = -found.status, f"not sent to log in: {response}"
    if found.status not in (200, 201, 204):
        found.detail = found.detail or _explain(response)
    return found


@pytest.mark.django_db
@pytest.mark.parametrize("row", _rows())
def test_access(world: World, row: Row) -> None:
    """Every role gets the row's status (a Bug cell is test_not_given_yet's)."""
    kind, method, target, key = row
    table = PAGES if kind == "page" else API
    expected = dict(zip(ROLES, table[method, target, key], strict=True))
    surprises = {}
    for role, status in expected.items():
        if isinstance(status, Bug):
            continue
        got = answer(world, role, row)
        if got.status != status:
            surprises[role] = (f"{got.status} instead of {status}", got.url, got.detail)
    assert not surprises, surprises


def _explain(response: Any) -> Any:
    """What to print when a status surprises: the form errors or the API's detail."""
    context = getattr(response, "context", None)
    if context is not None and "form" in context and context["form"] is not None:
        form = context["form"]
        if hasattr(form, "errors"):
            return dict(form.errors)
    if response.get("Content-Type", "").startswith(JSON):
        return response.json()
    return response.get("Location")


# ---------------------------------------------------------------------------------------------
# Lists show what the scope holds, and nothing else
# ---------------------------------------------------------------------------------------------

# Is the object listed (1) or not (0)? The anonymous visitor sees no list. A list page is
# asked once per role, with what its rows need (a year, a form, a word to search).
# fmt: off
LISTED: dict[tuple[str, str], tuple[int | Bug, ...]] = {
    # list, object                                   adm po exe dep crd ins obs
    ("registry:territory_list", "a"):                (1, 1, 1, 1, 1, 1, 1),
    ("registry:territory_list", "b"):                (1, 1, 1, 0, 0, 0, 1),
    ("registry:territory_list", "x"):                (1, 0, 0, 0, 0, 0, 0),
    ("registry:organization_list", "a"):             (1, 1, 1, 1, 1, 1, 1),
    ("registry:organization_list", "division_a"):    (1, 1, 1, 1, 1, 0, 1),
    ("registry:organization_list", "akimat_a"):      (1, 1, 1, 0, 1, 0, 1),
    ("registry:organization_list", "b"):             (1, 1, 1, 0, 0, 0, 1),
    ("registry:organization_list", "x"):             (1, 0, 0, 0, 0, 0, 0),
    ("registry:person_list", "a"):                   (1, 1, 1, 1, 1, 1, 1),
    ("registry:person_list", "b"):                   (1, 1, 1, 0, 0, 0, 1),
    ("registry:person_list", "x"):                   (1, 0, 0, 0, 0, 0, 0),
    ("programs:project_list", "a"):                  (1, 1, 1, 1, 1, 1, 1),
    ("programs:project_list", "b"):                  (1, 1, 1, 0, 0, 0, 1),
    ("programs:project_list", "x"):                  (1, 0, 0, 0, 0, 0, 0),
    # Searching "мектебі" finds the schools.
    ("home:search", "a"):                            (1, 1, 1, 1, 1, 1, 1),
    ("home:search", "b"):                            (1, 1, 1, 0, 0, 0, 1),
    ("home:search", "x"):                            (1, 0, 0, 0, 0, 0, 0),
    ("territories", "a"):                            (1, 1, 1, 1, 1, 1, 1),
    ("territories", "b"):                            (1, 1, 1, 0, 0, 0, 1),
    ("territories", "x"):                            (1, 0, 0, 0, 0, 0, 0),
    ("organizations", "a"):                          (1, 1, 1, 1, 1, 1, 1),
    ("organizations", "akimat_a"):                   (1, 1, 1, 0, 1, 0, 1),
    ("organizations", "b"):                          (1, 1, 1, 0, 0, 0, 1),
    ("organizations", "x"):                          (1, 0, 0, 0, 0, 0, 0),
    ("people", "a"):                                 (1, 1, 1, 1, 1, 1, 1),
    ("people", "b"):                                 (1, 1, 1, 0, 0, 0, 1),
    ("people", "x"):                                 (1, 0, 0, 0, 0, 0, 0),
    ("staff-posts", "a"):                            (1, 1, 1, 1, 1, 1, 1),
    ("staff-posts", "b"):                            (1, 1, 1, 0, 0, 0, 1),
    ("staff-posts", "x"):                            (1, 0, 0, 0, 0, 0, 0),
    ("appointments", "a"):                           (1, 1, 1, 1, 1, 1, 1),
    ("appointments", "b"):                           (1, 1, 1, 0, 0, 0, 1),
    ("appointments", "x"):                           (1, 0, 0, 0, 0, 0, 0),
    ("projects", "a"):                               (1, 1, 1, 1, 1, 1, 1),
    ("projects", "b"):                               (1, 1, 1, 0, 0, 0, 1),
    ("projects", "x"):                               (1, 0, 0, 0, 0, 0, 0),
    ("home:choices:organizations", "a"):             (1, 1, 1, 1, 1, 1, 1),
    ("home:choices:organizations", "b"):             (1, 1, 1, 0, 0, 0, 1),
    ("home:choices:organizations", "x"):             (1, 0, 0, 0, 0, 0, 0),
    ("home:choices:meetings", "a"):                  (1, 1, 1, 1, 1, 1, 1),
    ("home:choices:meetings", "b"):                  (1, 1, 1, 0, 0, 0, 1),
    ("home:choices:meetings", "x"):                  (1, 0, 0, 0, 0, 0, 0),
    ("home:choices:projects", "a"):                  (1, 1, 1, 1, 1, 1, 1),
    ("home:choices:projects", "b"):                  (1, 1, 1, 0, 0, 0, 1),
    ("home:choices:projects", "x"):                  (1, 0, 0, 0, 0, 0, 0),
    ("home:choices:territories", "a"):               (1, 1, 1, 1, 1, 1, 1),
    ("home:choices:territories", "b"):               (1, 1, 1, 0, 0, 0, 1),
    ("home:choices:territories", "x"):               (1, 0, 0, 0, 0, 0, 0),
    # Meetings, and the assignments a meeting reviews (A's meeting: A's order, and B's
    # assignment through the project both meetings discuss)
    ("meetings:meeting_list", "a"):                  (1, 1, 1, 1, 1, 1, 1),
    ("meetings:meeting_list", "b"):                  (1, 1, 1, 0, 0, 0, 1),
    ("meetings:meeting_list", "x"):                  (1, 0, 0, 0, 0, 0, 0),
    ("meetings", "a"):                               (1, 1, 1, 1, 1, 1, 1),
    ("meetings", "b"):                               (1, 1, 1, 0, 0, 0, 1),
    ("meetings", "x"):                               (1, 0, 0, 0, 0, 0, 0),
    ("meetings:group_list", "g"):                    (1, 1, 1, 1, 1, 1, 1),
    ("meetings/{meeting_id}/review-candidates", "a"): (1, 1, 1, 1, 1, 1, 1),
    ("meetings/{meeting_id}/review-candidates", "b"): (1, 1, 1, 0, 0, 0, 1),
    # Assignments: the list of the scope; the inbox of the user's organization (the
    # territory's organizations, for a coordinator); the review queue of the controller
    # (every one, for the administrator); discipline by lead organization (A's school leads
    # A's assignments).
    ("assignments:assignment_list", "a"):            (1, 1, 1, 1, 1, 1, 1),
    ("assignments:assignment_list", "b"):            (1, 1, 1, 0, 0, 0, 1),
    ("assignments:assignment_list", "x"):            (1, 0, 0, 0, 0, 0, 0),
    ("assignments", "a"):                            (1, 1, 1, 1, 1, 1, 1),
    ("assignments", "b"):                            (1, 1, 1, 0, 0, 0, 1),
    ("assignments", "x"):                            (1, 0, 0, 0, 0, 0, 0),
    # The project office controls A's and B's assignments: its inbox holds them too.
    ("assignments:inbox", "a"):                      (0, 1, 0, 1, 1, 1, 0),
    ("assignments:inbox", "b"):                      (0, 1, 0, 0, 0, 0, 0),
    ("assignments:inbox", "x"):                      (0, 0, 0, 0, 0, 0, 0),
    ("assignments:review_queue", "a"):               (1, 1, 0, 0, 0, 0, 0),
    ("assignments:review_queue", "b"):               (1, 1, 0, 0, 0, 0, 0),
    ("assignments:review_queue", "x"):               (1, 0, 0, 0, 0, 0, 0),
    ("assignments:discipline", "a"):                 (1, 1, 1, 1, 1, 1, 1),
    ("assignments:discipline", "b"):                 (1, 1, 1, 0, 0, 0, 1),
    ("assignments:discipline", "x"):                 (1, 0, 0, 0, 0, 0, 0),
    # Events (April 2020 in the calendar), plans, states of emergency
    ("events:event_list", "a"):                      (1, 1, 1, 1, 1, 1, 1),
    ("events:event_list", "b"):                      (1, 1, 1, 0, 0, 0, 1),
    ("events:event_list", "x"):                      (1, 0, 0, 0, 0, 0, 0),
    ("events:event_calendar", "a"):                  (1, 1, 1, 1, 1, 1, 1),
    ("events:event_calendar", "b"):                  (1, 1, 1, 0, 0, 0, 1),
    ("events:event_calendar", "x"):                  (1, 0, 0, 0, 0, 0, 0),
    ("events", "a"):                                 (1, 1, 1, 1, 1, 1, 1),
    ("events", "b"):                                 (1, 1, 1, 0, 0, 0, 1),
    ("events", "x"):                                 (1, 0, 0, 0, 0, 0, 0),
    ("events:plan_list", "a"):                       (1, 1, 1, 1, 1, 1, 1),
    ("events:plan_list", "b"):                       (1, 1, 1, 0, 0, 0, 1),
    ("events:plan_list", "x"):                       (1, 0, 0, 0, 0, 0, 0),
    ("plans", "a"):                                  (1, 1, 1, 1, 1, 1, 1),
    ("plans", "b"):                                  (1, 1, 1, 0, 0, 0, 1),
    ("plans", "x"):                                  (1, 0, 0, 0, 0, 0, 0),
    ("events:emergency_list", "a"):                 (1, 1, 1, 1, 1, 1, 1),
    ("events:emergency_list", "b"):                 (1, 1, 1, 0, 0, 0, 1),
    ("events:emergency_list", "x"):                 (1, 0, 0, 0, 0, 0, 0),
    ("disruptions", "a"):                            (1, 1, 1, 1, 1, 1, 1),
    ("disruptions", "b"):                            (1, 1, 1, 0, 0, 0, 1),
    ("disruptions", "x"):                            (1, 0, 0, 0, 0, 0, 0),
    # Indicators: definitions for everyone; targets, values and reports of the scope (an
    # organization's people see their organization's territory); results, the ranking and the
    # reporting rates row by row for the cities and districts of the scope (each row links to
    # the territory's passport).
    ("indicators:indicator_list", "i"):              (1, 1, 1, 1, 1, 1, 1),
    ("indicators", "i"):                             (1, 1, 1, 1, 1, 1, 1),
    ("indicators:form_list", "f"):                   (1, 1, 1, 1, 1, 1, 1),
    ("report-forms", "f"):                           (1, 1, 1, 1, 1, 1, 1),
    ("indicators:methodology_list", "m"):            (1, 1, 1, 1, 1, 1, 1),
    ("methodologies", "m"):                          (1, 1, 1, 1, 1, 1, 1),
    ("targets", "a"):                                (1, 1, 1, 1, 1, 1, 1),
    ("targets", "b"):                                (1, 1, 1, 0, 0, 0, 1),
    ("targets", "x"):                                (1, 0, 0, 0, 0, 0, 0),
    ("indicator-values", "a"):                       (1, 1, 1, 1, 1, 1, 1),
    ("indicator-values", "b"):                       (1, 1, 1, 0, 0, 0, 1),
    ("indicator-values", "x"):                       (1, 0, 0, 0, 0, 0, 0),
    ("indicators:report_list", "a"):                 (1, 1, 1, 1, 1, 1, 1),
    ("indicators:report_list", "b"):                 (1, 1, 1, 0, 0, 0, 1),
    ("indicators:report_list", "x"):                 (1, 0, 0, 0, 0, 0, 0),
    ("reports", "a"):                                (1, 1, 1, 1, 1, 1, 1),
    ("reports", "b"):                                (1, 1, 1, 0, 0, 0, 1),
    ("reports", "x"):                                (1, 0, 0, 0, 0, 0, 0),
    # (The administrator's results and ranking are those of the first region: R.)
    ("indicators:results", "a"):                     (1, 1, 1, 1, 1, 1, 1),
    ("indicators:results", "b"):                     (1, 1, 1, 0, 0, 0, 1),
    ("indicators:results", "x"):                     (0, 0, 0, 0, 0, 0, 0),
    ("indicators:ranking", "a"):                     (1, 1, 1, 1, 1, 1, 1),
    ("indicators:ranking", "b"):                     (1, 1, 1, 0, 0, 0, 1),
    ("indicators:ranking", "x"):                     (0, 0, 0, 0, 0, 0, 0),
    ("indicators:rates", "a"):                       (1, 1, 1, 1, 1, 1, 1),
    ("indicators:rates", "b"):                       (1, 1, 1, 0, 0, 0, 1),
    ("indicators:rates", "x"):                       (1, 0, 0, 0, 0, 0, 0),
    # Documents: the library for everyone; the recipients the user acknowledges for (its
    # own organization; every one, for the administrator); the tracking of the scope.
    ("documents:library", "doc"):                    (1, 1, 1, 1, 1, 1, 1),
    ("documents", "doc"):                            (1, 1, 1, 1, 1, 1, 1),
    ("documents:inbox", "a"):                        (1, 0, 0, 0, 0, 1, 0),
    ("documents:inbox", "b"):                        (1, 0, 0, 0, 0, 0, 0),
    ("documents:inbox", "x"):                        (1, 0, 0, 0, 0, 0, 0),
    ("acknowledgments", "a"):                        (1, 0, 0, 0, 0, 1, 0),
    ("acknowledgments", "b"):                        (1, 0, 0, 0, 0, 0, 0),
    ("acknowledgments", "x"):                        (1, 0, 0, 0, 0, 0, 0),
    ("documents:tracking", "a"):                     (1, 1, 1, 1, 1, 1, 1),
    ("documents:tracking", "b"):                     (1, 1, 1, 0, 0, 0, 1),
    ("documents:tracking", "x"):                     (1, 0, 0, 0, 0, 0, 0),
    ("documents/{document_id}/tracking", "a"):       (1, 1, 1, 1, 1, 1, 1),
    ("documents/{document_id}/tracking", "b"):       (1, 1, 1, 0, 0, 0, 1),
    ("documents/{document_id}/tracking", "x"):       (1, 0, 0, 0, 0, 0, 0),
    # Ideas (A's is the institution's own), publications, one's own API tokens
    ("ideas:idea_list", "a"):                        (1, 1, 1, 0, 1, 1, 0),
    ("ideas:idea_list", "b"):                        (1, 1, 1, 0, 0, 0, 0),
    ("ideas:idea_list", "x"):                        (1, 0, 0, 0, 0, 0, 0),
    ("ideas", "a"):                                  (1, 1, 1, 0, 1, 1, 0),
    ("ideas", "b"):                                  (1, 1, 1, 0, 0, 0, 0),
    ("ideas", "x"):                                  (1, 0, 0, 0, 0, 0, 0),
    ("ideas:my_ideas", "a"):                         (0, 0, 0, 0, 0, 1, 0),
    ("ideas:my_ideas", "b"):                         (0, 0, 0, 0, 0, 0, 0),
    ("media:publication_list", "a"):                 (1, 1, 1, 1, 1, 1, 1),
    ("media:publication_list", "b"):                 (1, 1, 1, 0, 0, 0, 1),
    ("media:publication_list", "x"):                 (1, 0, 0, 0, 0, 0, 0),
    ("publications", "a"):                           (1, 1, 1, 1, 1, 1, 1),
    ("publications", "b"):                           (1, 1, 1, 0, 0, 0, 1),
    ("publications", "x"):                           (1, 0, 0, 0, 0, 0, 0),
    ("me/tokens", "institution"):                    (0, 0, 0, 0, 0, 1, 0),
    ("notifications/sends", "institution"):          (0, 0, 0, 0, 0, 1, 0),
}
# fmt: on


def _link(obj: Any) -> str:
    # A row links to its object; names alone could come from another column (a parent).
    return f'href="{obj.get_absolute_url()}"'


def _passport(territory: Territory) -> str:
    return f'href="{reverse("indicators:passport", args=[territory.pk])}"'


@dataclass(frozen=True)
class Listing:
    """Where a list is (a page's URL name and query, or an API path) and what it lists: the
    world attribute of the row's objects and, on a page, the mark of an object (by default, a
    link to it); in the API, the list of objects with their ids (`items` when paginated)."""

    attribute: str
    query: str = ""
    shown: Callable[[Any], str] = _link
    items: str = "items"
    args: Callable[[World], list[Any]] = lambda world: []


LISTINGS: dict[str, Listing] = {
    "registry:territory_list": Listing("territory"),
    "registry:organization_list": Listing("organization"),
    "registry:person_list": Listing("person"),
    "programs:project_list": Listing("project"),
    "home:search": Listing("organization", "?q=мектебі"),
    "home:choices:organizations": Listing("organization", shown=lambda o: f'value="{o.pk}"'),
    "home:choices:meetings": Listing("meeting", shown=lambda o: f'value="{o.pk}"'),
    "home:choices:projects": Listing("project", shown=lambda o: f'value="{o.pk}"'),
    "home:choices:territories": Listing("territory", shown=lambda o: f'value="{o.pk}"'),
    "territories": Listing("territory"),
    "organizations": Listing("organization"),
    "people": Listing("person"),
    "staff-posts": Listing("post"),
    "appointments": Listing("appointment"),
    "projects": Listing("project"),
    "meetings:meeting_list": Listing("meeting"),
    "meetings": Listing("meeting"),
    "meetings:group_list": Listing("group", shown=lambda g: g.name_kk),
    "meetings/{meeting_id}/review-candidates": Listing("candidate"),
    "assignments:assignment_list": Listing("assignment"),
    "assignments": Listing("assignment"),
    "assignments:inbox": Listing("assignment", "?show=all"),
    "assignments:review_queue": Listing(
        "assignment", shown=lambda a: f'href="{a.get_absolute_url()}#'
    ),
    "assignments:discipline": Listing(
        "organization", "?year=2021", shown=lambda o: f'href="{o.get_absolute_url()}"'
    ),
    "events:event_list": Listing("event"),
    "events:event_calendar": Listing("event", "?view=month&day=2020-04-10"),
    "events": Listing("event"),
    "events:plan_list": Listing("plan"),
    "plans": Listing("plan"),
    "events:emergency_list": Listing("emergency"),
    "disruptions": Listing("emergency"),
    "indicators:indicator_list": Listing("indicator"),
    "indicators": Listing("indicator"),
    "indicators:form_list": Listing("report_form"),
    "report-forms": Listing("report_form"),
    "indicators:methodology_list": Listing("methodology"),
    "methodologies": Listing("methodology"),
    "targets": Listing("target"),
    "indicator-values": Listing("value"),
    "indicators:report_list": Listing("report"),
    "reports": Listing("report"),
    "indicators:results": Listing("territory", "?year=2020", shown=_passport),
    "indicators:ranking": Listing("territory", "?year=2020", shown=_passport),
    "indicators:rates": Listing("report", "?year=2020"),
    "documents:library": Listing("document"),
    "documents": Listing("document"),
    "documents:inbox": Listing("recipient"),
    "acknowledgments": Listing("recipient"),
    "documents:tracking": Listing("recipient", args=lambda w: [w.document["doc"].pk]),
    "documents/{document_id}/tracking": Listing("recipient", items="recipients"),
    "ideas:idea_list": Listing("idea"),
    "ideas": Listing("idea"),
    "ideas:my_ideas": Listing("idea"),
    "media:publication_list": Listing("publication"),
    "publications": Listing("publication"),
    "me/tokens": Listing("token"),
    "notifications/sends": Listing("send"),
}


def list_url(world: World, target: str) -> str:
    listing = LISTINGS[target]
    if target.startswith("home:choices:"):
        return reverse("home:choices", args=[target.rsplit(":", 1)[1]])
    if ":" in target:
        return reverse(target, args=listing.args(world)) + listing.query
    path = target.replace("{meeting_id}", str(world.meeting["a"].pk))
    path = path.replace("{document_id}", str(world.document["doc"].pk))
    # A paged list is asked for all of it on one page; an answer of one object (the tracking)
    # takes no page_size (the API refuses a parameter an operation does not declare).
    return f"{API_PREFIX}{path}" + ("?page_size=100" if _paged(target) else "")


@functools.cache
def _paged(target: str) -> bool:
    operation = api.get_openapi_schema()["paths"][API_PREFIX + target]["get"]
    return any(parameter["name"] == "page_size" for parameter in operation.get("parameters", []))


def listed(world: World, role: str, target: str) -> Callable[[Any], bool]:
    """Whether the role's list shows an object (asked once per role and list)."""
    api_list = ":" not in target
    response = client_for(world, role, api=api_list).get(list_url(world, target))
    assert response.status_code == 200, (role, target, response.status_code)
    if api_list:
        found = response.json()
        found = found if isinstance(found, list) else found[LISTINGS[target].items]
        ids = {item["id"] for item in found}
        return lambda obj: obj.pk in ids
    content = response.content.decode()
    return lambda obj: LISTINGS[target].shown(obj) in content


def _listed_rows(target: str) -> dict[str, tuple[int | Bug, ...]]:
    return {key: row for (name, key), row in LISTED.items() if name == target}


@pytest.mark.django_db
@pytest.mark.parametrize("target", list(dict.fromkeys(target for target, _key in LISTED)))
def test_lists_show_only_the_scope(world: World, target: str) -> None:
    attribute = LISTINGS[target].attribute
    surprises = []
    for index, role in enumerate(ROLES[:-1]):  # the anonymous visitor sees no list
        shows = listed(world, role, target)
        for key, row in _listed_rows(target).items():
            if isinstance(row[index], Bug):
                continue
            if shows(getattr(world, attribute)[key]) is not bool(row[index]):
                surprises.append((role, key, "missing" if row[index] else "shown"))
    assert not surprises, surprises


# ---------------------------------------------------------------------------------------------
# Pages link only to what the role may open
# ---------------------------------------------------------------------------------------------

# Is the link on the page (1) or not (0)? A page shows a link only to what the role may open.
# NA: the role does not open the page at all (its row in PAGES says so).
NA = None
# fmt: off
LINKS: dict[tuple[str, str | None, str], tuple[int | Bug | None, ...]] = {
    # A link is drawn only to what the role may open: an import only for who may import, an
    # object outside the scope is named without one ({% link %}, permissions.may_open).
    # page, object, linked to                                   adm po exe dep crd ins obs
    ("registry:organization_list", None, "organization import"):
        (1, 1, 0, 0, 1, 0, 0),
    ("registry:person_list", None, "people import"):
        (1, 1, 0, 1, 1, 1, 0),
    ("indicators:report_list", None, "open a report"):
        (1, 1, 0, 0, 1, 0, 0),
    ("indicators:form_detail", "f", "open a report"):
        (1, 1, 0, 0, 1, 0, 0),
    ("indicators:form_detail", "f", "territory a"):             (1, 1, 1, 1, 1, 1, 1),
    # The territories that submit a form: those the role may see.
    ("indicators:form_detail", "f", "territory b"):             (1, 1, 1, 0, 0, 0, 1),
    ("indicators:form_detail", "f", "territory x"):             (1, 0, 0, 0, 0, 0, 0),
    # The region above a district, the organization above another
    ("registry:territory_detail", "a", "region"):
        (1, 1, 1, 0, 0, 0, 1),
    ("registry:organization_detail", "division_a", "akimat a"):
        (1, 1, 1, 0, 1, NA, 1),
    ("registry:organization_detail", "a", "division a"):
        (1, 1, 1, 1, 1, 0, 1),
    # The organizer of A's meeting and the lead of A's project: A's division
    ("meetings:meeting_detail", "a", "division a"):
        (1, 1, 1, 1, 1, 0, 1),
    ("programs:project_detail", "a", "division a"):
        (1, 1, 1, 1, 1, 0, 1),
    # A's publication and its outlet
    ("media:publication_detail", "a", "outlet a"):
        (1, 1, 1, 0, 1, 0, 1),
    # The invitation group's preview: the teachers of every district
    ("meetings:group_edit", "g", "person a"):                   (1, 1, NA, NA, NA, NA, NA),
    ("meetings:group_edit", "g", "person b"):                   (1, 1, NA, NA, NA, NA, NA),
    # Another region's teacher: not in the regional office's preview at all.
    ("meetings:group_edit", "g", "person x"):                   (1, 0, NA, NA, NA, NA, NA),
}
# fmt: on

LINKED: dict[str, Callable[[World], str]] = {
    "organization import": lambda w: reverse("registry:import", args=["organizations"]),
    "people import": lambda w: reverse("registry:import", args=["people"]),
    "open a report": lambda w: reverse("indicators:report_open"),
    "territory a": lambda w: w.territory["a"].get_absolute_url(),
    "territory b": lambda w: w.territory["b"].get_absolute_url(),
    "territory x": lambda w: w.territory["x"].get_absolute_url(),
    "region": lambda w: w.territory["a"].parent.get_absolute_url(),
    "akimat a": lambda w: w.organization["akimat_a"].get_absolute_url(),
    "division a": lambda w: w.division["a"].get_absolute_url(),
    "outlet a": lambda w: w.outlet["a"].get_absolute_url(),
    "person a": lambda w: w.person["a"].get_absolute_url(),
    "person b": lambda w: w.person["b"].get_absolute_url(),
    "person x": lambda w: w.person["x"].get_absolute_url(),
}


def links_on(world: World, role: str, page: str, key: str | None) -> Callable[[str], bool]:
    """Whether the role's page links to a URL (the page asked once)."""
    response = client_for(world, role, api=False).get(page_url(world, "GET", page, key))
    assert response.status_code == 200, (role, page, key, response.status_code)
    content = response.content.decode()
    return lambda url: any(f'href="{url}{end}' in content for end in '"?#')


def _scoped_models() -> list[type[Any]]:
    return [model for model in apps.get_models() if hasattr(model._default_manager, "restrict")]


@pytest.mark.django_db
@pytest.mark.parametrize("model", _scoped_models(), ids=lambda model: model._meta.label_lower)
def test_the_parts_of_a_scope_are_together_exactly_the_scope(world: World, model: Any) -> None:
    """restrict_parts (the search's way of reading a scope by each reason to see a row) must
    neither add a row to restrict's nor drop one, asked as IN lists or row by row (EXISTS, as
    the search asks SQLite)."""
    split = 0
    for role in ROLES[:-1]:
        user = User.objects.get(pk=world.users[role].pk)  # a fresh scope
        whole = set(model._default_manager.restrict(user).values_list("pk", flat=True))
        for correlate in (False, True):
            parts = model._default_manager.restrict_parts(user, correlate=correlate)
            found = [set(part.values_list("pk", flat=True)) for part in parts]
            assert set().union(*found) == whole, (role, correlate, len(parts))
        split += len(parts) > 1
    if model in (Meeting, Person):  # seen for more than one reason: the test is not vacuous
        assert split


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("page", "key"), list(dict.fromkeys((page, key) for page, key, _link in LINKS))
)
def test_pages_link_only_to_what_the_role_may_open(
    world: World, page: str, key: str | None
) -> None:
    rows = {link: row for (name, obj, link), row in LINKS.items() if (name, obj) == (page, key)}
    surprises = []
    for index, role in enumerate(ROLES[:-1]):
        if all(row[index] is NA for row in rows.values()):
            continue
        linked = links_on(world, role, page, key)
        for link, row in rows.items():
            expected = row[index]
            if expected is NA or isinstance(expected, Bug):
                continue
            if linked(LINKED[link](world)) is not bool(expected):
                surprises.append((role, link, "missing" if expected else "linked"))
    assert not surprises, surprises


# ---------------------------------------------------------------------------------------------
# The defects: each Bug cell of the tables, a strict xfail of its own
# ---------------------------------------------------------------------------------------------


def _bugs() -> list[Any]:
    tables: list[tuple[str, dict[Any, tuple[Any, ...]], tuple[str, ...]]] = [
        ("page", PAGES, ROLES),
        ("api", API, ROLES),
        ("list", LISTED, ROLES[:-1]),
        ("link", LINKS, ROLES[:-1]),
    ]
    bugs = []
    for kind, table, roles in tables:
        for item, row in table.items():
            for role, expected in zip(roles, row, strict=True):
                if isinstance(expected, Bug):
                    bugs.append(
                        pytest.param(
                            kind,
                            item,
                            role,
                            expected.expected,
                            marks=pytest.mark.xfail(
                                strict=True, raises=AssertionError, reason=expected.reason
                            ),
                            id=f"{kind}-{role}-" + "-".join(str(part) for part in item),
                        )
                    )
    return bugs


@pytest.mark.django_db
@pytest.mark.parametrize(("kind", "item", "role", "expected"), _bugs())
def test_not_given_yet(world: World, kind: str, item: Any, role: str, expected: int) -> None:
    """The documented answer of a Bug cell: it fails (strictly) until the defect is fixed."""
    if kind in ("page", "api"):
        got = answer(world, role, (kind, *item))
        assert got.status == expected, (got.url, got.detail)
    elif kind == "list":
        target, key = item
        obj = getattr(world, LISTINGS[target].attribute)[key]
        assert listed(world, role, target)(obj) is bool(expected)
    else:
        page, key, link = item
        assert links_on(world, role, page, key)(LINKED[link](world)) is bool(expected)


# ---------------------------------------------------------------------------------------------
# Refused writes save nothing
# ---------------------------------------------------------------------------------------------


def _in_kazakh(message: Any) -> str:
    with translation.override("kk"):
        return str(message)


@pytest.mark.django_db
def test_coordinator_cannot_create_an_organization_in_another_district(world: World) -> None:
    data = page_data(world, "registry:organization_add", "b")
    before = Organization.objects.count()

    response = world.clients["coordinator"].post(reverse("registry:organization_add"), data)

    # District B is not even offered: the form refuses it before the scope check would.
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["territory"]
    invalid_choice = forms.ModelChoiceField.default_error_messages["invalid_choice"]
    assert _in_kazakh(invalid_choice) in response.content.decode()
    assert Organization.objects.count() == before
    assert not Organization.objects.filter(name_kk="Жаңа ұйым").exists()


@pytest.mark.django_db
def test_a_write_outside_the_scope_is_refused_with_the_out_of_scope_message(world: World) -> None:
    """A department may add projects, but only ones it leads: every field is one it may
    choose, and only the saved result lies outside its scope."""
    data = page_data(world, "programs:project_add", "a")
    data.pop("lead_organization")
    before = Project.objects.count()

    response = world.clients["department"].post(reverse("programs:project_add"), data)

    assert response.status_code == 400
    assert _in_kazakh(OUT_OF_SCOPE) in response.content.decode()
    assert Project.objects.count() == before


@pytest.mark.django_db
def test_observer_posting_an_edit_is_forbidden_and_changes_nothing(world: World) -> None:
    school = world.organization["a"]
    data = page_data(world, "registry:organization_edit", "a") | {"name_kk": "Өзгертілген"}

    response = world.clients["observer"].post(
        reverse("registry:organization_edit", args=[school.pk]), data
    )

    assert response.status_code == 403
    assert Organization.objects.get(pk=school.pk).name_kk == school.name_kk


# ---------------------------------------------------------------------------------------------
# Leaks: nothing outside the scope appears in what a role may open
# ---------------------------------------------------------------------------------------------

# Whose objects each limited role must never see a word of: region R's roles, district X's
# (another region); district A's roles, B's and X's.
OUTSIDE: dict[str, tuple[str, ...]] = {
    "project_office": ("x",),
    "executive": ("x",),
    "observer": ("x",),
    "department": ("b", "x"),
    "coordinator": ("b", "x"),
    "institution": ("b", "x"),
}
# The district's objects whose names and titles are its secrets.
SECRET_KINDS = (
    "territory", "organization", "division", "person", "project", "meeting", "event",
    "postponed", "emergency", "lifted", "assignment", "order", "idea", "outlet", "publication",
    "guest",
)  # fmt: skip
TEXT_FIELDS = ("name_kk", "name_ru", "title_kk", "title_ru", "text_kk", "text_ru", "title")
# Pages that name some kinds of objects of the role's own region on purpose: an idea may be
# proposed for any place of the region, whoever proposes it (another region's, never).
NAMED_BY_DESIGN: dict[str, tuple[str, ...]] = {"ideas:idea_propose": ("territory",)}


# The public API, like the open pages, is the same for everyone: the places of the whole
# country and what the office published (tests/public checks that nothing else reaches it).
PUBLIC_API = {
    "public/places", "public/projects", "public/events", "public/decisions", "public/ideas",
    "public/results",
}  # fmt: skip


def secrets_of(world: World, key: str, *, named: tuple[str, ...] = ()) -> set[str]:
    found: set[str] = set()
    for kind in SECRET_KINDS:
        if kind in named and world.territory[key].parent == world.territory["a"].parent:
            continue
        obj = getattr(world, kind).get(key)
        if obj is None:
            continue
        values = [str(obj), getattr(obj, "formal_name", "")]
        values += [getattr(obj, field, "") for field in TEXT_FIELDS]
        found |= {value for value in values if isinstance(value, str) and len(value) >= 6}
    return found


def readable_text(response: Any) -> str:
    """What a person could read in the answer: a page, JSON, a calendar, a sheet, a document."""
    body = response.getvalue() if response.streaming else response.content
    kind = response.get("Content-Type", "")
    if body[:4] == b"PK\x03\x04":  # .xlsx, .docx: the text of their XML parts
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            parts = [archive.read(name).decode("utf-8", "replace") for name in archive.namelist()
                     if name.endswith(".xml")]  # fmt: skip
        return html.unescape(re.sub(r"<[^>]+>", " ", " ".join(parts)))
    if body[:5] == b"%PDF-":
        if shutil.which("pdftotext") is None:
            pytest.skip("pdftotext (poppler-utils) is not installed: PDFs cannot be read")
        return subprocess.run(
            ["pdftotext", "-", "-"], input=body, capture_output=True, check=False
        ).stdout.decode("utf-8", "replace")
    text = body.decode("utf-8", "replace")
    if "json" in kind:
        return json.dumps(json.loads(text), ensure_ascii=False)
    return html.unescape(text)


def _crawl_rows() -> list[Any]:
    rows = []
    for kind, table in (("page", PAGES), ("api", API)):
        for (method, target, key), expectations in table.items():
            if method != "GET" or target in PUBLIC or target in PUBLIC_API:
                continue
            for role, status in zip(ROLES, expectations, strict=True):
                if role in OUTSIDE and status == 200:
                    rows.append(pytest.param(
                        (kind, method, target, key), role, id=f"{target}-{key}-{role}"
                    ))  # fmt: skip
    return rows


@pytest.mark.django_db
@pytest.mark.parametrize(("row", "role"), _crawl_rows())
def test_nothing_outside_the_scope_appears(world: World, row: Row, role: str) -> None:
    """Every page, export and API answer a limited role may open names nothing of the
    districts outside its scope (lists also as their Excel export)."""
    kind, method, target, key = row
    client = client_for(world, role, api=kind == "api")
    url = (
        api_request(world, method, target, key)[0]
        if kind == "api"
        else page_url(world, method, target, key)
    )
    urls = [url]
    if kind == "page" and key is None:
        urls.append(url + ("&" if "?" in url else "?") + "export=xlsx")
    named = NAMED_BY_DESIGN.get(target, ())
    secrets = set().union(*(secrets_of(world, k, named=named) for k in OUTSIDE[role]))
    pattern = re.compile(
        "|".join(rf"(?<!\w){re.escape(secret)}(?!\w)" for secret in sorted(secrets, key=len)[::-1])
    )
    leaks = {}
    for address in urls:
        with transaction.atomic():
            response = client.get(address)
            transaction.set_rollback(True)
        if response.status_code != 200:
            continue
        text = readable_text(response)
        seen = sorted(set(pattern.findall(text)))
        if seen:
            leaks[address] = seen
    assert not leaks, leaks
