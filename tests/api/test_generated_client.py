"""The OpenAPI document is a contract a generated client can trust (issue 18, item 1).

A client is generated from the document by openapi-python-client, as an integrator would, and
imported; the generator must read every operation and schema without a warning, and the
client must have one function per operation. The seed meeting's story (DOMAIN.md: Karaganda
region, «Рухани жаңғыру», 2020) is then played through that client only: the project office
builds the registry, the program, the meetings and their minutes, turns decisions into
assignments, postpones events for the state of emergency and sends the guideline; a district
coordinator and an institution, each with its own token, report and acknowledge. Every answer
is read by the generated models, so a schema that lies about an answer fails here. The story
is played in its own time, each step at its moment of 2020 (time-machine), so what the server
stamps with now is of 2020 too, and nothing the story made is dated later.

The client's httpx transport calls Django's WSGI application in-process, on the test's
database connection: no server, and pytest-django's transaction is seen.
"""

from __future__ import annotations

import datetime
import importlib
import io
import json
import re
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import docx
import httpx
import pytest
import time_machine
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from ninja.responses import NinjaJSONEncoder

from factories import UserFactory
from kense.accounts.models import ApiToken
from kense.api import api
from kense.core.permissions import Role

PACKAGE = "kense_client"
# What openapi-python-client prints when it leaves something out or cannot read it.
GENERATOR_COMPLAINTS = ("Warning(s) encountered", "Unable to parse", "Could not", "Cannot parse")
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


@dataclass
class Generated:
    """The client generated from today's document, imported."""

    package: ModuleType
    models: ModuleType
    # operationId -> the module of its functions (sync_detailed, sync, asyncio…)
    operations: dict[str, ModuleType]
    document: dict[str, Any]
    output: str

    def client(self, key: str | None) -> Any:
        """An AuthenticatedClient (a Client without a key) whose requests are answered by
        Django in-process."""
        transport = httpx.WSGITransport(app=get_wsgi_application())  # type: ignore[arg-type]
        options: dict[str, Any] = {
            "base_url": "http://testserver",
            "raise_on_unexpected_status": True,
            "httpx_args": {"transport": transport},
        }
        if key is None:
            return self.package.Client(**options)
        return self.package.AuthenticatedClient(token=key, **options)


def _operation_ids(document: dict[str, Any]) -> list[str]:
    return [
        operation["operationId"]
        for methods in document["paths"].values()
        for method, operation in methods.items()
        if method in METHODS
    ]


def _contents(document: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """(content type, content) of every response of every operation."""
    for methods in document["paths"].values():
        for method, operation in methods.items():
            if method in METHODS:
                for response in operation["responses"].values():
                    yield from response.get("content", {}).items()


@pytest.fixture(scope="session")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Generated]:
    """Generate the client from the document, as `openapi-python-client generate` does on the
    command line, and import it."""
    root = tmp_path_factory.mktemp("generated_client")
    document = api.get_openapi_schema()
    source = root / "openapi.json"
    source.write_text(json.dumps(document, cls=NinjaJSONEncoder), encoding="utf-8")
    # No post hooks: they would run ruff on the generated code, and complain when it is not
    # on PATH; the code is imported, not read.
    # The generator reads only the content types it knows; a file answered as binary content
    # (the minutes as DOCX or PDF) is read as bytes, as application/octet-stream is.
    binary = {
        content_type: "application/octet-stream"
        for content_type, content in _contents(document)
        if content.get("schema", {}).get("format") == "binary"
    }
    config = root / "config.json"
    config.write_text(
        json.dumps(
            {
                "post_hooks": [],
                "package_name_override": PACKAGE,
                "content_type_overrides": binary,
            }
        )
    )
    generator = Path(sys.executable).with_name("openapi-python-client")
    command = [str(generator), "generate", "--path", str(source), "--config", str(config)]
    command += ["--output-path", str(root / PACKAGE), "--meta", "none", "--fail-on-warning"]
    run = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    # --fail-on-warning turns a skipped operation or schema into a non-zero exit; the client
    # is written all the same, so the tests below say what was missed.
    output = f"exit status {run.returncode}\n{run.stdout}{run.stderr}"
    sys.path.insert(0, str(root))
    try:
        package = importlib.import_module(PACKAGE)
        models = importlib.import_module(f"{PACKAGE}.models")
        modules = {
            path.stem: importlib.import_module(f"{PACKAGE}.api.{path.parent.name}.{path.stem}")
            for path in sorted((root / PACKAGE / "api").glob("*/*.py"))
            if path.stem != "__init__"
        }
        yield Generated(package, models, modules, json.loads(source.read_text()), output)
    finally:
        sys.path.remove(str(root))
        for name in [name for name in sys.modules if name.split(".")[0] == PACKAGE]:
            del sys.modules[name]


def test_the_generator_reads_the_whole_document(generated: Generated) -> None:
    complaints = [text for text in GENERATOR_COMPLAINTS if text in generated.output]
    assert complaints == [], generated.output
    assert generated.output.startswith("exit status 0\n"), generated.output


def test_the_client_has_a_function_for_every_operation(generated: Generated) -> None:
    expected = _operation_ids(generated.document)
    assert len(expected) == len(set(expected)), "operationIds repeat"
    assert sorted(generated.operations) == sorted(expected)
    for name, module in generated.operations.items():
        assert callable(getattr(module, "sync_detailed", None)), name


def test_pages_are_documented_only_where_they_are_read(generated: Generated) -> None:
    paged = [
        operation["operationId"]
        for methods in generated.document["paths"].values()
        for method, operation in methods.items()
        if method in METHODS
        and method != "get"
        and {"page", "page_size"} & {p["name"] for p in operation.get("parameters", [])}
    ]
    assert paged == []


# ---------------------------------------------------------------------------------------------
# The generated client, answered by Django in-process
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def in_process() -> Iterator[None]:
    """Django closes the database connection after each request (close_old_connections on
    request_started/finished); inside a test's transaction that would lose the test's data,
    so, as django.test.Client does, the requests made here leave the connection open."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


class Caller:
    """One user's generated client: `call` runs an operation by its id and checks the answer's
    status; the answer is read by the generated models."""

    def __init__(self, generated: Generated, key: str | None) -> None:
        self.generated = generated
        self.client = generated.client(key)

    def speaking(self, language: str) -> Caller:
        """The same user's client, asking for answers in `language`."""
        caller = Caller.__new__(Caller)
        caller.generated = self.generated
        caller.client = self.client.with_headers({"Accept-Language": language})
        return caller

    def call(self, operation: str, expect: int = 200, **arguments: Any) -> Any:
        response = self.generated.operations[operation].sync_detailed(
            client=self.client, **arguments
        )
        assert response.status_code == expect, (operation, response.content.decode())
        if expect >= 400:
            # Every error says what went wrong, and a code a program can switch on.
            assert response.parsed.detail, operation
            assert isinstance(response.parsed.code, str), operation
        return response.parsed

    def everything(self, operation: str, **arguments: Any) -> list[Any]:
        """Every row of a paginated list (the pages are `items` and `count`)."""
        rows: list[Any] = []
        page = 1
        while True:
            answer = self.call(operation, page=page, page_size=100, **arguments)
            rows += answer.items
            if len(rows) >= answer.count:
                return rows
            page += 1


def _account(creator: Caller, username: str, role: Any, **fields: Any) -> Caller:
    """An account opened by `creator` through the users API, and the client of its owner, who
    signs in for a token of their own (POST /auth/token, no credentials but the password)."""
    m = creator.generated.models
    password = f"{username}-Ruhani-2020!"
    body = m.UserIn(username=username, role=role, password=password, **fields)
    user = creator.call("create_user", 201, body=body)
    assert (user.username, user.role, user.is_active) == (username, role, True)
    for name, value in fields.items():
        read = getattr(user, name)
        assert (read if isinstance(value, str) else read.id) == value, name
    anonymous = Caller(creator.generated, None)
    sign_in = m.AuthTokenIn(username=username, password=password, name="Kense story")
    token = anonymous.call("obtain_token", 201, body=sign_in)
    owner = Caller(creator.generated, token.key)
    assert owner.call("get_me").username == username
    return owner


def _user_key(**fields: Any) -> str:
    """A user and a token of theirs, written through the ORM: the story's only ORM writes."""
    user = UserFactory(**fields)
    _token, key = ApiToken.issue(user=user, name="generated client")
    return key


@pytest.mark.django_db
def test_the_client_reads_the_tests_database(generated: Generated, in_process: None) -> None:
    key = _user_key(username="office", role=Role.PROJECT_OFFICE)
    me = Caller(generated, key).call("get_me")
    assert (me.username, me.role) == ("office", generated.models.Role.PROJECT_OFFICE)
    anonymous = Caller(generated, "not a token")
    assert anonymous.call("get_me", expect=401).detail


@pytest.mark.django_db(transaction=True)
def test_the_client_reads_committed_data(generated: Generated, in_process: None) -> None:
    key = _user_key(username="committed", role=Role.OBSERVER)
    assert Caller(generated, key).call("get_me").username == "committed"


# ---------------------------------------------------------------------------------------------
# The seed meeting's story (DOMAIN.md), through the generated client only
# ---------------------------------------------------------------------------------------------

ALMATY = datetime.timezone(datetime.timedelta(hours=6))  # Asia/Almaty in 2020


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=ALMATY)


def on(moment: datetime.datetime) -> time_machine.travel:
    """The story's clock: a step is played at its own moment of 2020, the clock running on
    from there (time-machine moves the C-level clock, so timezone.now, the models'
    default=timezone.now and timezone.localdate all read 2020)."""
    return time_machine.travel(moment, tick=True)


# How long a step of the story takes at most, on the running clock.
STEP = datetime.timedelta(minutes=10)


def stamped(value: datetime.datetime | None, moment: datetime.datetime) -> None:
    """`value` was written by the server at `moment` of 2020: the step played then."""
    assert value is not None
    assert moment <= value < moment + STEP, (value, moment)


KARAGANDA_DISTRICTS = (
    ("Абай", "Абайский район"),
    ("Ақтоғай", "Актогайский район"),
    ("Бұқар жырау", "район Бухар-Жырау"),
    ("Жаңаарқа", "Жанааркинский район"),
    ("Қарқаралы", "Каркаралинский район"),
    ("Нұра", "Нуринский район"),
    ("Осакаров", "Осакаровский район"),
    ("Ұлытау", "Улытауский район"),
    ("Шет", "Шетский район"),
)
KARAGANDA_CITIES = (
    ("Қарағанды", "Караганда"),
    ("Балқаш", "Балхаш"),
    ("Жезқазған", "Жезказган"),
    ("Қаражал", "Каражал"),
    ("Приозерск", "Приозёрск"),
    ("Саран", "Сарань"),
    ("Сәтбаев", "Сатпаев"),
    ("Теміртау", "Темиртау"),
    ("Шахтинск", "Шахтинск"),
)
FEBRUARY_MEETING = datetime.date(2020, 2, 14)
EMERGENCY_DECLARED = datetime.date(2020, 3, 16)
APRIL_MEETING = datetime.date(2020, 4, 21)
EMERGENCY_LIFTED = datetime.date(2020, 5, 11)


@dataclass
class Region:
    """What the project office built, by id."""

    region: int = 0
    abai: int = 0
    shet: int = 0
    akimat: int = 0
    policy: int = 0
    office: int = 0
    abai_akimat: int = 0
    shet_akimat: int = 0
    school: int = 0
    research: int = 0
    media: int = 0
    deputy_akim: int = 0  # the position
    people: dict[str, int] = field(default_factory=dict)


def territory(caller: Caller, kk: str, ru: str, kind: Any, parent: int | None) -> int:
    m = caller.generated.models
    body = m.TerritoryIn(name_kk=kk, name_ru=ru, kind=kind, parent=parent)
    body.valid_from = datetime.date(1973, 1, 1) if parent else datetime.date(1936, 3, 10)
    answer = caller.call("create_territory", 201, body=body)
    assert (answer.name_kk, answer.kind, answer.valid_from) == (kk, kind, body.valid_from)
    return answer.id


def _registry(admin: Caller, office: Caller, m: ModuleType, region: int) -> Region:
    """Districts, organizations, people, positions (the administrator's catalogue) and the
    2020 appointments."""
    r = Region(region=region)
    # The region's 9 districts and 9 cities of regional significance in 2020, in one call.
    district, city = m.TerritoryKind.DISTRICT, m.TerritoryKind.CITY
    rows = [
        m.TerritoryBulkIn(name_kk=f"{kk} ауданы", name_ru=ru, kind=district, parent=r.region)
        for kk, ru in KARAGANDA_DISTRICTS
    ] + [
        m.TerritoryBulkIn(name_kk=f"{kk} қаласы", name_ru=f"город {ru}", kind=city, parent=r.region)
        for kk, ru in KARAGANDA_CITIES
    ]
    for row in rows:
        row.valid_from = datetime.date(1997, 5, 3)
    created = office.call("create_territories", 201, body=rows)
    assert [(t.name_kk, t.kind, t.parent.id) for t in created] == [
        (row.name_kk, row.kind, r.region) for row in rows
    ]
    assert {t.valid_from for t in created} == {datetime.date(1997, 5, 3)}
    by_name = {t.name_kk: t.id for t in created}
    r.abai, r.shet = by_name["Абай ауданы"], by_name["Шет ауданы"]

    def organization(kk: str, ru: str, kind: Any, territory: int, **extra: Any) -> int:
        body = m.OrganizationIn(name_kk=kk, name_ru=ru, kind=kind, territory=territory, **extra)
        answer = office.call("create_organization", 201, body=body)
        assert (answer.name_kk, answer.kind, answer.territory.id) == (kk, kind, territory)
        return answer.id

    kind = m.OrganizationKind
    r.akimat = organization(
        "Қарағанды облысының әкімдігі", "Акимат Карагандинской области", kind.AKIMAT, r.region
    )
    r.policy = organization(
        "Ішкі саясат басқармасы",
        "Управление внутренней политики",
        kind.DEPARTMENT,
        r.region,
        parent=r.akimat,
    )
    r.office = organization(
        "«Рухани жаңғыру» жобалық кеңсесі",
        "Проектный офис «Рухани жаңғыру»",
        kind.PROJECT_OFFICE,
        r.region,
    )
    r.abai_akimat = organization(
        "Абай ауданының әкімдігі", "Акимат Абайского района", kind.AKIMAT, r.abai
    )
    r.shet_akimat = organization(
        "Шет ауданының әкімдігі", "Акимат Шетского района", kind.AKIMAT, r.shet
    )
    r.school = organization(
        "Абай ауданының №1 мектеп-гимназиясы",
        "Школа-гимназия №1 Абайского района",
        kind.SCHOOL,
        r.abai,
    )
    r.research = organization(
        "«Тұлғатану» ғылыми-зерттеу орталығы",
        "Научно-исследовательский центр «Тұлғатану»",
        kind.RESEARCH,
        r.region,
    )
    r.media = organization(
        "«Saryarqa Aqparat» ЖШС",
        "ТОО «Saryarqa Aqparat»",
        kind.MEDIA,
        r.region,
        aliases=["Saryarq aqparat"],
    )

    def person(key: str, surname: str, given: str, **extra: Any) -> None:
        body = m.PersonIn(
            surname_kk=surname,
            surname_ru=surname,
            given_name_kk=given,
            given_name_ru=given,
            **{"territory": r.region, **extra},
        )
        answer = office.call("create_person", 201, body=body)
        assert answer.surname_kk == surname
        r.people[key] = answer.id

    person("deputy_akim", "Нүкенов", "Абзал")
    person("adviser", "Алтынбеков", "Бекзат")
    person("policy_head", "Құсайын", "Ерлан")
    person("office_head", "Жұмағұлов", "Айтбай")
    person(
        "historian",
        "Бейсембекова",
        "Нұрсахан",
        aliases=["Бейсенбекова"],
        academic_degree_kk="тарих ғылымдарының кандидаты",
        academic_degree_ru="кандидат исторических наук",
    )
    person("media_head", "Ахметов", "Қамбар")
    # The district's deputy akim is not named in the report: a name of our own.
    person("abai_deputy", "Сейітов", "Дәурен", territory=r.abai)

    def position(code: str, kk: str, ru: str) -> int:
        answer = admin.call(
            "create_position", 201, body=m.PositionIn(code=code, name_kk=kk, name_ru=ru)
        )
        assert answer.code == code
        return answer.id

    deputy = position("deputy_akim", "Әкімнің орынбасары", "Заместитель акима")
    r.deputy_akim = deputy
    adviser = position("adviser", "Штаттан тыс кеңесші", "Внештатный советник")
    head = position("head", "Басшы", "Руководитель")

    def appoint(key: str, organization: int, post: int, start: datetime.date, **extra: Any) -> None:
        body = m.AppointmentIn(
            person=r.people[key], organization=organization, position=post, start=start, **extra
        )
        answer = office.call("create_appointment", 201, body=body)
        assert (answer.person.id, answer.start) == (r.people[key], start)
        for name, value in extra.items():
            assert getattr(answer, name) == value, name

    appoint("deputy_akim", r.akimat, deputy, datetime.date(2019, 9, 2))
    appoint("policy_head", r.policy, head, datetime.date(2019, 3, 1))
    appoint("abai_deputy", r.abai_akimat, deputy, datetime.date(2019, 6, 17))
    appoint("historian", r.research, head, datetime.date(2018, 1, 10))
    appoint("media_head", r.media, head, datetime.date(2017, 5, 2))
    # ¶5: the adviser approved, the head of the office appointed, each by an act of 2020.
    appoint(
        "adviser",
        r.akimat,
        adviser,
        datetime.date(2020, 1, 20),
        employment=m.Employment.NON_STAFF,
        act_kind=m.ActKind.APPROVED,
        act_number="12-к",
        act_date=datetime.date(2020, 1, 20),
    )
    appoint(
        "office_head",
        r.office,
        head,
        datetime.date(2020, 2, 3),
        act_kind=m.ActKind.APPOINTED,
        act_number="27-к",
        act_date=datetime.date(2020, 2, 3),
    )
    return r


@pytest.mark.django_db
def test_the_seed_meeting_through_the_generated_client(
    generated: Generated, in_process: None
) -> None:
    """The story in its own time: each step is played at its moment of 2020 (`on`), so what
    the server stamps with now (invitations sent, minutes approved, reports and their review,
    extensions, acknowledgments, tokens, history) is of 2020, as the import's dates are."""
    m = generated.models
    # Kense comes to the project office on 18 February 2020. The one account not made through
    # the API: the administrator's, to start from (with the token an administrator would take
    # from the profile page). The administrator registers the region and opens the project
    # office's account in it.
    with on(at(datetime.date(2020, 2, 18), 9)):
        admin = Caller(generated, _user_key(username="admin", role=Role.ADMINISTRATOR))
        region = territory(
            admin, "Қарағанды облысы", "Карагандинская область", m.TerritoryKind.REGION, None
        )
        office = _account(
            admin, "office", m.Role.PROJECT_OFFICE, territory=region, first_name="Жобалық кеңсе"
        )
    with on(at(datetime.date(2020, 2, 18), 10)):
        r = _registry(admin, office, m, region)
    with on(at(datetime.date(2020, 2, 19), 10)):
        program, projects = _program(office, m, r)
    assignments = _february_meeting(office, m, r, program, projects)  # 20 February, 2 March
    events = _emergency(office, m, r, program, projects)  # 5 and 16 March
    april = _april_meeting(office, m, r, program, projects, assignments)  # 21–22 April
    # The district's deputy akim coordinates the program there; the school acknowledges for
    # itself. The office opens their accounts; each signs in for a token of their own.
    with on(at(datetime.date(2020, 4, 23), 9)):
        coordinator = _account(
            office, "abai", m.Role.COORDINATOR, territory=r.abai, person=r.people["abai_deputy"]
        )
        school = _account(office, "school", m.Role.INSTITUTION, organization=r.school)
    _guideline(office, coordinator, school, m, r)  # 24 April, 5 May
    _execution(office, coordinator, school, m, assignments)  # 6–8 May
    with on(at(EMERGENCY_LIFTED, 10)):
        _lift(office, m, r, events, assignments)
    with on(at(datetime.date(2020, 5, 12), 10)):
        _article(office, m, r, program, projects, april)
    with on(at(datetime.date(2020, 5, 15), 9)):
        _all_of_2020(admin, office, coordinator, school)


def _program(office: Caller, m: ModuleType, r: Region) -> tuple[int, dict[str, int]]:
    """«Рухани жаңғыру» with «Туған жер» and the special projects reported on (¶13)."""
    body = m.ProgramIn(
        code="RZh",
        name_kk="«Рухани жаңғыру» бағдарламасы",
        name_ru="Программа «Рухани жаңғыру»",
        start=datetime.date(2017, 4, 12),
        status=m.ProgramStatus.ACTIVE,
        lead_organization=r.office,
    )
    program = office.call("create_program", 201, body=body)
    assert (program.start, program.status) == (datetime.date(2017, 4, 12), m.ProgramStatus.ACTIVE)
    direction = office.call(
        "create_direction",
        201,
        body=m.DirectionIn(
            program=program.id, name_kk="«Туған жер»", name_ru="«Туған жер»", order=1
        ),
    )
    projects: dict[str, int] = {}
    for key, kk, lead in (
        ("names", "«Ұлы дала есімдері. Қарағанды облысының көрнекті тұлғалары»", r.research),
        ("geography", "«Қазақстанның киелі географиясы»", r.policy),
        ("folklore", "«Дала фольклоры мен музыкасының 1000 жылы»", r.policy),
    ):
        body = m.ProjectIn(
            program=program.id,
            direction=direction.id,
            territory=r.region,
            name_kk=kk,
            name_ru=kk,
            start=datetime.date(2020, 1, 9),
            end=datetime.date(2020, 12, 25),
            lead_organization=lead,
            budget="12500000.00",
        )
        project = office.call("create_project", 201, body=body)
        assert (project.start, project.end) == (body.start, body.end)
        assert project.direction.id == direction.id
        projects[key] = project.id
    return program.id, projects


def _meeting(office: Caller, m: ModuleType, r: Region, **fields: Any) -> Any:
    body = m.MeetingIn(organizer=r.office, territory=r.region, **fields)
    meeting = office.call("create_meeting", 201, body=body)
    assert (meeting.start, meeting.end) == (body.start, body.end)
    assert meeting.state == m.MeetingState.DRAFT
    return meeting


def _move(office: Caller, m: ModuleType, meeting: int, *states: Any) -> None:
    for state in states:
        answer = office.call(
            "transition_meeting", body=m.TransitionIn(to=state), meeting_id=meeting
        )
        assert answer.state == state


def _february_meeting(
    office: Caller, m: ModuleType, r: Region, program: int, projects: dict[str, int]
) -> dict[str, int]:
    """The February 2020 meeting with the akim's deputy, held before Kense: imported on the
    20th with its own dates (invited on 10 February, held on the 14th, minutes approved on the
    17th); its tasks, turned into assignments given then, imported on 2 March, one of them done
    and accepted in February (¶3)."""
    invited_at, approved_at = at(datetime.date(2020, 2, 10), 9), at(datetime.date(2020, 2, 17), 11)
    decisions = (
        (
            "Аудан әкімдері орынбасарларының тізімін жобалық кеңсеге жіберу",
            "Направить в проектный офис список заместителей акимов районов",
        ),
        (
            "Аудандардың 2020 жылғы іс-шаралар жоспарын жобалық кеңсеге ұсыну",
            "Представить в проектный офис планы мероприятий районов на 2020 год",
        ),
        (
            "Аудан тұлғаларының тізімін «Ұлы дала есімдері» жобасына жинау",
            "Собрать список выдающихся людей района для проекта «Ұлы дала есімдері»",
        ),
    )
    body = m.MeetingImportIn(
        title_kk="«Рухани жаңғыру» бағдарламасын іске асыру жөніндегі кеңес",
        title_ru="Совещание по реализации программы «Рухани жаңғыру»",
        start=at(FEBRUARY_MEETING, 10),
        end=at(FEBRUARY_MEETING, 12),
        venue="Қарағанды облысының әкімдігі, мәжіліс залы",
        organizer=r.office,
        territory=r.region,
        chair=r.people["deputy_akim"],
        programs=[program],
        projects=[projects["names"]],
        state=m.MeetingState.APPROVED,
        invitations_sent_at=invited_at,
        approved_at=approved_at,
        participants=[
            m.MeetingImportParticipantIn(
                person=r.people["deputy_akim"], role=m.ParticipantRole.CHAIR
            ),
            *(
                m.MeetingImportParticipantIn(person=r.people[key])
                for key in ("policy_head", "office_head", "abai_deputy")
            ),
        ],
        items=[
            m.MeetingImportItemIn(
                title_kk="Арнайы жобаларды іске асыру туралы",
                title_ru="О реализации специальных проектов",
                speakers=[r.people["office_head"]],
                projects=[projects["names"]],
                heard_kk="Жобалық кеңсе басшысы А. Жұмағұлов",
                heard_ru="Руководитель проектного офиса А. Жумагулов",
                decisions=[
                    m.MeetingImportDecisionIn(text_kk=kk, text_ru=ru) for kk, ru in decisions
                ],
            )
        ],
    )
    # Entered in Kense on 20 February.
    with on(at(datetime.date(2020, 2, 20), 10)):
        meeting = office.call("import_meeting", 201, body=body)
        assert (meeting.state, meeting.start, meeting.end) == (
            m.MeetingState.APPROVED,
            at(FEBRUARY_MEETING, 10),
            at(FEBRUARY_MEETING, 12),
        )
        assert (meeting.invitations_sent_at, meeting.approved_at) == (invited_at, approved_at)
        assert {p.attendance for p in meeting.participants} == {m.Attendance.PRESENT}
        deputy = [p for p in meeting.participants if p.person.id == r.people["abai_deputy"]]
        assert deputy[0].organization.id == r.abai_akimat  # the post held on the day
        [item] = meeting.items
        assert item.heard_kk == "Жобалық кеңсе басшысы А. Жұмағұлов"
        assert [d.number for d in item.decisions] == [1, 2, 3]
        # An approved meeting's minutes are locked, imported or not.
        locked = office.call(
            "save_minutes",
            422,
            meeting_id=meeting.id,
            item_id=item.id,
            body=m.MinutesIn(revision=meeting.minutes_revision, heard_kk="кейін"),
        )
        assert locked.detail

    # Its tasks entered on 2 March, with the list sent and accepted in the meantime.
    with on(at(datetime.date(2020, 3, 2), 10)):
        given = at(datetime.date(2020, 2, 17), 15)
        assignments: dict[str, int] = {}
        for key, decision, deadline in (
            ("list", item.decisions[0], datetime.date(2020, 3, 1)),
            ("plans", item.decisions[1], datetime.date(2020, 3, 20)),
            ("names", item.decisions[2], datetime.date(2020, 4, 15)),
        ):
            done = key == "list"
            body = m.AssignmentImportIn(
                decision=decision.id,
                lead_organization=r.abai_akimat,
                deadline=deadline,
                created_at=given,
                status=m.Status.DONE if done else m.Status.UNDER_CONTROL,
                **({"done_at": at(datetime.date(2020, 2, 28), 16)} if done else {}),
            )
            assignment = office.call("import_assignment", 201, body=body)
            assert (assignment.meeting.id, assignment.decision) == (meeting.id, decision.id)
            assert (assignment.text_kk, assignment.deadline) == (decision.text_kk, deadline)
            assert assignment.created_at == given
            assignments[key] = assignment.id
        # The list was sent on 27 February and accepted the next day.
        report = office.call(
            "import_execution_report",
            201,
            body=m.ExecutionReportImportIn(
                assignment=assignments["list"],
                text="Тізім жіберілді: 9 аудан, 9 қала.",
                created_at=at(datetime.date(2020, 2, 27), 12),
                outcome=m.ReportOutcome.ACCEPTED,
                reviewed_at=at(datetime.date(2020, 2, 28), 16),
            ),
        )
        assert (report.created_at, report.reviewed_at) == (
            at(datetime.date(2020, 2, 27), 12),
            at(datetime.date(2020, 2, 28), 16),
        )
        done = office.call("get_assignment", assignment_id=assignments["list"])
        assert (done.status, done.done_at) == (m.Status.DONE, at(datetime.date(2020, 2, 28), 16))
        assert [x.outcome for x in done.reports] == [m.ReportOutcome.ACCEPTED]
        # Imported records say so in their history, whoever reads it and in their language.
        for object_type, object_id in (
            ("meetings.meeting", meeting.id),
            ("assignments.assignment", assignments["list"]),
        ):
            history = office.speaking("en").call(
                "get_history", object_type=object_type, object_id=object_id
            )
            assert history, object_type
            assert {entry.reason for entry in history} == {"Imported"}, object_type
    return assignments


def _emergency(
    office: Caller, m: ModuleType, r: Region, program: int, projects: dict[str, int]
) -> dict[str, int]:
    """The spring's events, the state of emergency of 16 March 2020 and the bulk postponement
    of what it forbids (¶3, ¶6–7)."""
    events: dict[str, int] = {}
    # The spring's events, planned on 5 March.
    with on(at(datetime.date(2020, 3, 5), 10)):
        for key, kk, territory, organizer, day, event_format in (
            ("conference", "«Ұлы дала есімдері» ғылыми конференциясы", r.region, r.research,
             datetime.date(2020, 4, 10), m.EventFormat.IN_PERSON),
            ("expedition", "Абай ауданының киелі жерлеріне экспедиция", r.abai, r.abai_akimat,
             datetime.date(2020, 4, 24), m.EventFormat.IN_PERSON),
            ("broadcast", "«Дала фольклоры» онлайн-концерті", r.region, r.policy,
             datetime.date(2020, 4, 28), m.EventFormat.ONLINE),
        ):  # fmt: skip
            body = m.EventIn(
                title_kk=kk,
                title_ru=kk,
                program=program,
                project=projects["names"] if key == "conference" else projects["folklore"],
                organizer=organizer,
                territory=territory,
                format_=event_format,
                start=day,
                end=day,
                audience=[m.Audience.PUBLIC],
                planned_reach=300,
            )
            event = office.call("create_event", 201, body=body)
            assert (event.start, event.status) == (day, m.EventStatus.PLANNED)
            events[key] = event.id
    with on(at(EMERGENCY_DECLARED, 10)):
        emergency = office.call(
            "declare_disruption",
            201,
            body=m.EmergencyIn(
                kind=m.Kind.EMERGENCY,
                title_kk="Төтенше жағдай",
                title_ru="Чрезвычайное положение",
                territories=[r.region],
                start=EMERGENCY_DECLARED,
                act_number="285",
                act_date=datetime.date(2020, 3, 15),
                restricts=m.Restricts.IN_PERSON,
            ),
        )
        assert (emergency.start, emergency.act_date) == (
            EMERGENCY_DECLARED,
            datetime.date(2020, 3, 15),
        )
        assert emergency.lifted_on is None
        events["emergency"] = emergency.id
        preview = office.call("affected_events", disruption_id=emergency.id)
        restricted = {row.event.id for row in preview if row.restricted}
        assert restricted == {events["conference"], events["expedition"]}
        postponed = office.call(
            "postpone_events",
            disruption_id=emergency.id,
            body=m.EventsPostponeIn(reason="Карантин: іс-шаралар шектеулер алынғаннан кейін өтеді"),
        )
        assert {row.id for row in postponed} == restricted
        assert {row.status for row in postponed} == {m.EventStatus.POSTPONED}
        conference = office.call("get_event", event_id=events["conference"])
        assert (conference.status, conference.after_lifting) == (m.EventStatus.POSTPONED, True)
        assert conference.start == datetime.date(2020, 4, 10)
        broadcast = office.call("get_event", event_id=events["broadcast"])
        assert broadcast.status == m.EventStatus.PLANNED  # online: the emergency does not stop it
    return events


def _april_meeting(
    office: Caller,
    m: ModuleType,
    r: Region,
    program: int,
    projects: dict[str, int],
    assignments: dict[str, int],
) -> int:
    """The online meeting of 21 April 2020: the participants of ¶2, the review of February's
    assignments, the reports on the special projects, the guideline and the decisions."""
    # Called on the morning of the day: the meeting, its participants, the invitations.
    with on(at(APRIL_MEETING, 9)):
        meeting = _meeting(
            office,
            m,
            r,
            title_kk="«Рухани жаңғыру» бағдарламасы бойынша онлайн-кеңес",
            title_ru="Онлайн-совещание по программе «Рухани жаңғыру»",
            format_=m.MeetingFormat.ONLINE,
            video_url="https://zoom.us/j/5550002020",
            video_meeting_id="555 000 2020",
            start=at(APRIL_MEETING, 15),
            end=at(APRIL_MEETING, 17),
            chair=r.people["deputy_akim"],
            programs=[program],
            projects=list(projects.values()),
        )
        assert meeting.format_ == m.MeetingFormat.ONLINE
        assert meeting.video_url == "https://zoom.us/j/5550002020"
        chair = office.call(
            "invite_participants",
            201,
            meeting_id=meeting.id,
            body=m.InviteIn(people=[r.people["deputy_akim"]], role=m.ParticipantRole.CHAIR),
        )
        assert [p.role for p in chair] == [m.ParticipantRole.CHAIR]
        others = [
            r.people[key]
            for key in ("adviser", "policy_head", "office_head", "historian", "media_head")
        ]
        invited = office.call(
            "invite_participants", 201, meeting_id=meeting.id, body=m.InviteIn(people=others)
        )
        assert len(invited) == len(others)
        # ¶2: "the deputy akims of all cities and districts", invited as one group.
        group = office.call(
            "create_invitation_group",
            201,
            body=m.InvitationGroupIn(
                name_kk="Аудан және қала әкімдерінің орынбасарлары",
                name_ru="Заместители акимов районов и городов",
                position=r.deputy_akim,
                organization_kinds=[m.OrganizationKind.AKIMAT],
                territory=r.region,
                territory_kinds=[m.TerritoryKind.DISTRICT, m.TerritoryKind.CITY],
            ),
        )
        deputies = office.call(
            "invite_participants", 201, meeting_id=meeting.id, body=m.InviteIn(groups=[group.id])
        )
        assert [(p.person.id, p.group.id) for p in deputies] == [
            (r.people["abai_deputy"], group.id)
        ]
        invited += deputies
        by_person = {p.person.id: p for p in invited}
        assert by_person[r.people["adviser"]].organization.id == r.akimat
    sent = at(APRIL_MEETING, 9, 30)
    with on(sent):
        _move(office, m, meeting.id, m.MeetingState.SCHEDULED)
    # The meeting opens at 15:00, online: everybody is there.
    with on(at(APRIL_MEETING, 15)):
        _move(office, m, meeting.id, m.MeetingState.IN_PROGRESS)
        for participant in [*chair, *invited]:
            office.call(
                "record_attendance",
                meeting_id=meeting.id,
                participant_id=participant.id,
                body=m.AttendanceInPatch(attendance=m.Attendance.PRESENT, online=True),
            )

    reviewed = at(APRIL_MEETING, 15, 10)
    with on(reviewed):
        # ¶3: today they review how February's tasks are being done.
        review_item = office.call("propose_review_item", 201, meeting_id=meeting.id)
        assert review_item.kind == m.ItemKind.REVIEW
        candidates = office.everything("list_review_candidates", meeting_id=meeting.id)
        assert {c.id for c in candidates} == set(assignments.values())
        review = office.call(
            "record_review",
            201,
            meeting_id=meeting.id,
            body=m.ReviewIn(
                assignment=assignments["plans"],
                choice=m.ReviewChoice.EXTEND,
                new_deadline=datetime.date(2020, 6, 30),
                note="Төтенше жағдайға байланысты мерзімі ұзартылды",
            ),
        )
        assert (review.choice, review.new_deadline) == (
            m.ReviewChoice.EXTEND,
            datetime.date(2020, 6, 30),
        )
        extended = office.call("get_assignment", assignment_id=assignments["plans"])
        assert extended.deadline == datetime.date(2020, 6, 30)

    with on(at(APRIL_MEETING, 15, 40)):
        # ¶11–13: the guideline, the special projects' reports, the tasks restated.
        item = office.call(
            "create_agenda_item",
            201,
            meeting_id=meeting.id,
            body=m.AgendaItemIn(
                title_kk="«Тұлғатану» орталығының әдістемелік нұсқаулығы туралы",
                title_ru="О методических рекомендациях центра «Тұлғатану»",
                speakers=[r.people["historian"], r.people["policy_head"]],
                projects=[projects["names"], projects["geography"]],
            ),
        )
        assert {s.id for s in item.speakers} == {r.people["historian"], r.people["policy_head"]}
        current = office.call("get_meeting", meeting_id=meeting.id)
        minutes = office.call(
            "save_minutes",
            meeting_id=meeting.id,
            item_id=item.id,
            body=m.MinutesIn(
                revision=current.minutes_revision,
                heard_kk="Н. Бейсембекова, Е. Құсайын",
                heard_ru="Н. Бейсембекова, Е. Кусаин",
                discussion_kk="Аудандар нұсқаулықты басшылыққа алады.",
            ),
        )
        stale = office.call(
            "save_minutes",
            409,
            meeting_id=meeting.id,
            item_id=item.id,
            body=m.MinutesIn(revision=current.minutes_revision, heard_kk="ескі мәтін"),
        )
        assert stale.detail
        assert minutes.revision > current.minutes_revision
    decided = at(APRIL_MEETING, 16, 40)
    with on(decided):
        decision = office.call(
            "create_decision",
            201,
            meeting_id=meeting.id,
            item_id=item.id,
            body=m.DecisionIn(
                text_kk="Карантин алынғаннан кейін 30 күн ішінде іс-шараларды қайта бастау",
                text_ru="Возобновить мероприятия в течение 30 дней после снятия карантина",
            ),
        )
        resume = office.call(
            "create_assignment",
            201,
            body=m.AssignmentIn(
                lead_organization=r.abai_akimat,
                meeting=meeting.id,
                decision=decision.id,
                text_kk=decision.text_kk,
                text_ru=decision.text_ru,
                deadline_kind=m.DeadlineKind.AFTER_LIFTING,
                days_after_lifting=30,
                priority=m.Priority.HIGH,
            ),
        )
        assert (resume.deadline_kind, resume.deadline) == (m.DeadlineKind.AFTER_LIFTING, None)
        stamped(resume.created_at, decided)
        assignments["resume"] = resume.id
    with on(at(APRIL_MEETING, 17, 10)):
        # Schools are to teach the region's outstanding people: given when the meeting ended.
        lessons = office.call(
            "create_decision",
            201,
            meeting_id=meeting.id,
            item_id=item.id,
            body=m.DecisionIn(
                text_kk="Мектептерде өлкенің көрнекті тұлғалары туралы сабақтар өткізу",
                text_ru="Провести в школах уроки о выдающихся людях края",
            ),
        )
        given = at(APRIL_MEETING, 17)
        school_task = office.call(
            "import_assignment",
            201,
            body=m.AssignmentImportIn(
                decision=lessons.id,
                lead_organization=r.school,
                deadline=datetime.date(2020, 5, 29),
                created_at=given,
            ),
        )
        assert (school_task.created_at, school_task.deadline) == (given, datetime.date(2020, 5, 29))
        assert school_task.status == m.Status.UNDER_CONTROL
        assignments["lessons"] = school_task.id
        _move(office, m, meeting.id, m.MeetingState.HELD)
    # The minutes approved the next morning.
    approval = at(APRIL_MEETING + datetime.timedelta(days=1), 10)
    with on(approval):
        _move(office, m, meeting.id, m.MeetingState.APPROVED)
        approved = office.call("get_meeting", meeting_id=meeting.id)
        assert approved.state == m.MeetingState.APPROVED
        assert (approved.start, approved.end) == (at(APRIL_MEETING, 15), at(APRIL_MEETING, 17))
        assert [i.kind for i in approved.items] == [m.ItemKind.REVIEW, m.ItemKind.REGULAR]
        assert {p.attendance for p in approved.participants} == {m.Attendance.PRESENT}
        # Approved minutes are locked.
        locked = office.call(
            "save_minutes",
            422,
            meeting_id=meeting.id,
            item_id=item.id,
            body=m.MinutesIn(revision=approved.minutes_revision, heard_kk="кейін"),
        )
        assert locked.detail
        # The review, read back from the meeting.
        reviews = office.everything("list_reviews", meeting_id=meeting.id)
        assert [(x.assignment, x.choice) for x in reviews] == [
            (assignments["plans"], m.ReviewChoice.EXTEND)
        ]
        read = office.call("get_review", meeting_id=meeting.id, review_id=review.id)
        assert (read.new_deadline, read.note) == (datetime.date(2020, 6, 30), review.note)
        # What the server stamped with now is of the day: the invitations sent in the
        # morning, the review during the meeting, the approval the next morning.
        stamped(approved.invitations_sent_at, sent)
        for participant in approved.participants:
            stamped(participant.invited_at, sent)
        stamped(read.decided_at, reviewed)
        stamped(approved.approved_at, approval)
        # The minutes as officials edit them (DOCX), in Kazakh and in Russian.
        for language, heading, heard in (
            (m.DownloadMinutesLanguage.KK, "ХАТТАМА", "Н. Бейсембекова, Е. Құсайын"),
            (m.DownloadMinutesLanguage.RU, "ПРОТОКОЛ", "Н. Бейсембекова, Е. Кусаин"),
        ):
            minutes_file = office.call(
                "download_minutes",
                meeting_id=meeting.id,
                format_=m.DownloadMinutesFormat.DOCX,
                language=language,
            )
            with zipfile.ZipFile(minutes_file.payload) as archive:
                text = archive.read("word/document.xml").decode()
            assert heading in text
            assert heard in text
    return meeting.id


def _execution(
    office: Caller, coordinator: Caller, school: Caller, m: ModuleType, assignments: dict[str, int]
) -> None:
    """The district and the school report, each with its own token; the office accepts and
    returns."""
    # May 2020: the school reports first, with its own token.
    school_reported = at(datetime.date(2020, 5, 6), 11)
    with on(school_reported):
        # The school reports with the lesson's plan attached (a multipart form).
        lesson_plan = generated_file(
            _docx("Сабақ жоспары: Қарағанды облысының көрнекті тұлғалары"),
            "sabaq.docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        )
        report = school.call(
            "submit_report_with_files",
            201,
            assignment_id=assignments["lessons"],
            body=m.SubmitReportWithFilesMultiPartBodyParams(
                text="Барлық сыныптарда сабақ өтті.", files=[lesson_plan]
            ),
        )
        assert report.outcome == m.ReportOutcome.PENDING
        stamped(report.created_at, school_reported)
        # The school sees its own assignment, not the district akimat's.
        seen = {a.id for a in school.everything("list_assignments")}
        assert assignments["lessons"] in seen
        assert assignments["names"] not in seen
    school_accepted = at(datetime.date(2020, 5, 6), 15)
    with on(school_accepted):
        office.call(
            "review_report",
            assignment_id=assignments["lessons"],
            report_id=report.id,
            body=m.ReportReviewIn(accept=True),
        )
        assert office.call("get_assignment", assignment_id=assignments["lessons"]).status == (
            m.Status.DONE
        )
        lessons = office.call("get_assignment", assignment_id=assignments["lessons"])
        stamped(lessons.done_at, school_accepted)
        [lesson_report] = lessons.reports
        stamped(lesson_report.created_at, school_reported)
        stamped(lesson_report.reviewed_at, school_accepted)
    # The district reports the next day.
    district_reported = at(datetime.date(2020, 5, 7), 10)
    with on(district_reported):
        mine = coordinator.everything("list_assignments")
        assert {a.id for a in mine} >= {assignments["names"], assignments["plans"]}
        names = coordinator.call(
            "submit_report",
            201,
            assignment_id=assignments["names"],
            body=m.ReportIn(text="Ауданның 24 көрнекті тұлғасының тізімі жинақталды."),
        )
        assert names.outcome == m.ReportOutcome.PENDING
        stamped(names.created_at, district_reported)
        plans = coordinator.call(
            "submit_report",
            201,
            assignment_id=assignments["plans"],
            body=m.ReportIn(text="Жоспар жобасы дайын."),
        )
    reviewed = at(datetime.date(2020, 5, 7), 15)
    with on(reviewed):
        reported = office.call("get_assignment", assignment_id=assignments["names"])
        assert reported.status == m.Status.REPORTED
        # Only the controller reviews: the coordinator may not accept their own report.
        refused = coordinator.call(
            "review_report",
            403,
            assignment_id=assignments["names"],
            report_id=names.id,
            body=m.ReportReviewIn(accept=True),
        )
        assert refused.detail
        accepted = office.call(
            "review_report",
            assignment_id=assignments["names"],
            report_id=names.id,
            body=m.ReportReviewIn(accept=True),
        )
        assert accepted.outcome == m.ReportOutcome.ACCEPTED
        done = office.call("get_assignment", assignment_id=assignments["names"])
        assert done.status == m.Status.DONE
        returned = office.call(
            "review_report",
            assignment_id=assignments["plans"],
            report_id=plans.id,
            body=m.ReportReviewIn(accept=False, comment="Іс-шаралардың мерзімдерін көрсетіңіз."),
        )
        assert (returned.outcome, returned.review_comment) == (
            m.ReportOutcome.RETURNED,
            "Іс-шаралардың мерзімдерін көрсетіңіз.",
        )
        stamped(accepted.reviewed_at, reviewed)
        stamped(done.done_at, reviewed)
        stamped(returned.created_at, district_reported)
        stamped(returned.reviewed_at, reviewed)
    asked = at(datetime.date(2020, 5, 8), 10)
    with on(asked):
        back = coordinator.call("get_assignment", assignment_id=assignments["plans"])
        assert (back.status, back.deadline) == (m.Status.UNDER_CONTROL, datetime.date(2020, 6, 30))
        assert [report.outcome for report in back.reports] == [m.ReportOutcome.RETURNED]
        # Quarantine is no excuse (¶8–9), but a justified postponement is granted.
        extension = coordinator.call(
            "request_extension",
            201,
            assignment_id=assignments["plans"],
            body=m.ExtensionIn(
                new_deadline=datetime.date(2020, 7, 31),
                reason="Іс-шаралар карантин алынғаннан кейін жоспарланады.",
            ),
        )
        assert (extension.old_deadline, extension.new_deadline, extension.status) == (
            datetime.date(2020, 6, 30),
            datetime.date(2020, 7, 31),
            m.ExtensionStatus.REQUESTED,
        )
        stamped(extension.requested_at, asked)
    granting = at(datetime.date(2020, 5, 8), 12)
    with on(granting):
        granted = office.call(
            "decide_extension",
            assignment_id=assignments["plans"],
            extension_id=extension.id,
            body=m.ExtensionDecisionIn(grant=True),
        )
        assert granted.status == m.ExtensionStatus.GRANTED
        stamped(granted.decided_at, granting)
    with on(at(datetime.date(2020, 5, 8), 14)):
        later = coordinator.call("get_assignment", assignment_id=assignments["plans"])
        assert later.deadline == datetime.date(2020, 7, 31)
        # The April meeting's extension, then the one asked for.
        assert [x.new_deadline for x in later.extensions] == [
            datetime.date(2020, 6, 30),
            datetime.date(2020, 7, 31),
        ]
        # The first decided at the meeting of 21 April, the second asked and granted in May.
        assert [
            (x.requested_at.astimezone(ALMATY).date(), x.decided_at.astimezone(ALMATY).date())
            for x in later.extensions
        ] == [(APRIL_MEETING, APRIL_MEETING), (asked.date(), granting.date())]
        stamped(later.extensions[1].decided_at, granting)


def _lift(
    office: Caller, m: ModuleType, r: Region, events: dict[str, int], assignments: dict[str, int]
) -> None:
    """The emergency lifted on 11 May 2020: "30 days after the lifting" becomes a date, and a
    postponed event gets its new dates."""
    lifted = office.call(
        "lift_disruption",
        disruption_id=events["emergency"],
        body=m.LiftIn(lifted_on=EMERGENCY_LIFTED),
    )
    assert lifted.disruption.lifted_on == EMERGENCY_LIFTED
    assert lifted.assignments == [assignments["resume"]]
    resume = office.call("get_assignment", assignment_id=assignments["resume"])
    assert resume.deadline == EMERGENCY_LIFTED + datetime.timedelta(days=30)
    moved = office.call(
        "reschedule_event",
        disruption_id=events["emergency"],
        event_id=events["conference"],
        body=m.RescheduleIn(start=datetime.date(2020, 6, 12), end=datetime.date(2020, 6, 12)),
    )
    assert (moved.start, moved.status) == (datetime.date(2020, 6, 12), m.EventStatus.PLANNED)


def generated_file(content: bytes, name: str, mime_type: str) -> Any:
    """An upload as the generated client takes it (its types.File)."""
    types = importlib.import_module(f"{PACKAGE}.types")
    return types.File(payload=io.BytesIO(content), file_name=name, mime_type=mime_type)


def _docx(text: str) -> bytes:
    document = docx.Document()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _guideline(
    office: Caller, coordinator: Caller, school: Caller, m: ModuleType, r: Region
) -> None:
    """¶11–12: «Тұлғатану»'s methodological guideline, sent to every akimat and school of the
    region; the district's akimat (its deputy akim) and the school acknowledge it."""
    # «Тұлғатану»'s guideline, registered on the day it went out.
    registered = at(datetime.date(2020, 4, 24), 9)
    with on(registered):
        document = office.call(
            "create_document",
            201,
            body=m.DocumentIn(
                kind=m.DocumentKind.GUIDELINE,
                title_kk="Өлкенің көрнекті тұлғаларын зерттеу бойынша әдістемелік нұсқаулық",
                title_ru="Методические рекомендации по изучению выдающихся личностей края",
                author_organization=r.research,
            ),
        )
        assert document.kind == m.DocumentKind.GUIDELINE
        version = office.call(
            "add_version",
            201,
            document_id=document.id,
            body=m.AddVersionMultiPartBodyParams(
                language=m.AddVersionMultiPartBodyParamsLanguage.KK,
                file=generated_file(
                    _docx("Әдістемелік нұсқаулық"),
                    "nuskaulyq.docx",
                    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                ),
            ),
        )
        assert (version.number, version.file_name) == (1, "nuskaulyq.docx")
        stamped(document.created_at, registered)
        stamped(version.uploaded_at, registered)
        # The audience: every akimat of a district or city, and the schools, of the region.
        preview = office.call(
            "preview_distribution",
            document_id=document.id,
            body=m.DistributionPreviewIn(
                organization_kinds=["akimat", "school"], territory=r.region
            ),
        )
        audience = [ref.id for ref in preview.organizations]
        assert sorted(audience) == sorted([r.abai_akimat, r.shet_akimat, r.school])
        assert preview.count == 3  # the region's own akimat is not a district's
    with on(at(datetime.date(2020, 5, 5), 15)):
        # Sent on 24 April 2020 by letter, outside Kense: entered on 5 May with the Shet akimat's
        # acknowledgment of that afternoon; the Abai district and the school acknowledge in Kense
        # later that day, each with its own token.
        sent_at, shet_at = at(datetime.date(2020, 4, 24), 10), at(datetime.date(2020, 5, 5), 14)
        body = m.DistributionImportIn(
            document=document.id,
            organization_kinds=["akimat", "school"],
            territory=r.region,
            mode=m.DistributionMode.MANDATORY,
            deadline=datetime.date(2020, 5, 15),
            report_requested=True,
            message="Басшылыққа алу үшін",
            sent_at=sent_at,
            recipients=[
                m.DistributionImportRecipientIn(organization=r.abai_akimat),
                m.DistributionImportRecipientIn(
                    organization=r.shet_akimat,
                    acknowledged_at=shet_at,
                    report="Аудан мекемелеріне жеткізілді.",
                ),
                m.DistributionImportRecipientIn(organization=r.school),
            ],
        )
        distribution = office.call("import_distribution", 201, body=body)
        assert (distribution.recipient_count, distribution.acknowledged_count) == (3, 1)
        assert (distribution.sent_at, distribution.deadline) == (
            sent_at,
            datetime.date(2020, 5, 15),
        )
    acknowledged = at(datetime.date(2020, 5, 5), 16), at(datetime.date(2020, 5, 5), 16, 30)
    for caller, organization, report, moment in (
        (coordinator, r.abai_akimat, "Аудан мектептеріне таратылды.", acknowledged[0]),
        (
            school,
            r.school,
            "Тарих пәні мұғалімдерінің әдістемелік бірлестігінде талқыланды.",
            acknowledged[1],
        ),
    ):
        with on(moment):
            inbox = caller.everything("list_acknowledgments")
            [recipient] = [row for row in inbox if row.organization.id == organization]
            assert recipient.acknowledged_at is None
            empty = caller.call(
                "acknowledge_document",
                422,
                recipient_id=recipient.id,
                body=m.AcknowledgeDocumentMultiPartBodyParams(report=""),
            )
            assert empty.detail
            done = caller.call(
                "acknowledge_document",
                recipient_id=recipient.id,
                body=m.AcknowledgeDocumentMultiPartBodyParams(report=report),
            )
            assert done.acknowledged_at is not None
            assert done.report == report
            stamped(done.acknowledged_at, moment)
    with on(at(datetime.date(2020, 5, 5), 17)):
        tracking = office.call("get_tracking", document_id=document.id)
        assert (tracking.total.acknowledged, tracking.total.total) == (3, 3)
        shet = [row for row in tracking.recipients if row.organization.id == r.shet_akimat]
        assert shet[0].acknowledged_at == shet_at
        # Every acknowledgment of 5 May, the one entered and the two given in Kense.
        assert {row.acknowledged_at.astimezone(ALMATY).date() for row in tracking.recipients} == {
            datetime.date(2020, 5, 5)
        }


def _article(
    office: Caller,
    m: ModuleType,
    r: Region,
    program: int,
    projects: dict[str, int],
    meeting: int,
) -> None:
    """The footer: the news site's article on the meeting, with its 437 views."""
    body = m.PublicationIn(
        outlet=r.media,
        title="«Рухани жаңғыру»: жобалар жаңа форматта жалғасады",
        url="https://example.kz/news/2020/04/21/ruhani-zhangyru",
        date=APRIL_MEETING,
        language=m.PublicationLanguage.KK,
        kind=m.PublicationKind.ARTICLE,
        reach=437,
        people=[r.people["deputy_akim"], r.people["office_head"], r.people["historian"]],
        territories=[r.region],
        programs=[program],
        projects=[projects["names"]],
        meetings=[meeting],
    )
    article = office.call("create_publication", 201, body=body)
    assert (article.date, article.reach) == (APRIL_MEETING, 437)
    assert article.outlet.id == r.media
    assert [ref.id for ref in article.meetings] == [meeting]
    read = office.call("get_publication", publication_id=article.id)
    assert (read.date, read.title) == (APRIL_MEETING, body.title)


DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
DATE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}.*")


def _dated(answer: Any, where: str) -> Iterator[tuple[str, str]]:
    """(where, text) of every date and date-time in an answer of the generated client, the
    history's old and new values included."""
    if hasattr(answer, "to_dict"):
        answer = answer.to_dict()
    if isinstance(answer, dict):
        for key, value in answer.items():
            yield from _dated(value, f"{where}.{key}")
    elif isinstance(answer, list):
        for index, value in enumerate(answer):
            yield from _dated(value, f"{where}[{index}]")
    elif isinstance(answer, str) and (DATE.fullmatch(answer) or DATE_TIME.fullmatch(answer)):
        yield where, answer


def _all_of_2020(admin: Caller, office: Caller, coordinator: Caller, school: Caller) -> None:
    """Everything the story made, read back through the client with its history: every
    moment the server wrote is of 2020, and no date is later than 2020."""
    answers: list[tuple[str, Any]] = []

    def read(caller: Caller, operation: str, **arguments: Any) -> Any:
        answer = caller.call(operation, **arguments)
        answers.append((f"{operation}{sorted(arguments.items())}", answer))
        return answer

    def every(caller: Caller, operation: str, **arguments: Any) -> list[Any]:
        """All rows of a list, on one page (a page of `items`, or an array)."""
        answer = read(caller, operation, page_size=100, **arguments)
        if isinstance(answer, list):
            assert len(answer) < 100, operation
            return answer
        assert len(answer.items) == answer.count, operation
        return list(answer.items)

    def history(object_type: str, object_id: int) -> None:
        assert every(office, "get_history", object_type=object_type, object_id=object_id)

    meetings = every(office, "list_meetings")
    assert len(meetings) == 2
    for meeting in meetings:
        read(office, "get_meeting", meeting_id=meeting.id)
        every(office, "list_participants", meeting_id=meeting.id)
        every(office, "list_reviews", meeting_id=meeting.id)
        history("meetings.meeting", meeting.id)
    assignments = every(office, "list_assignments")
    assert len(assignments) == 5
    for assignment in assignments:
        read(office, "get_assignment", assignment_id=assignment.id)
        every(office, "list_extensions", assignment_id=assignment.id)
        history("assignments.assignment", assignment.id)
    for event in every(office, "list_events"):
        history("events.event", event.id)
    for disruption in every(office, "list_disruptions"):
        read(office, "get_disruption", disruption_id=disruption.id)
    for document in every(office, "list_documents"):
        every(office, "list_versions", document_id=document.id)
        every(office, "list_distributions", document_id=document.id)
        read(office, "get_tracking", document_id=document.id)
        history("documents.document", document.id)
    for publication in every(office, "list_publications"):
        history("media.publication", publication.id)
    every(office, "list_programs")
    every(office, "list_projects")
    every(office, "list_appointments")
    for user in every(admin, "list_users"):
        read(admin, "get_user", user_id=user.id)
        assert every(admin, "get_user_history", user_id=user.id)
    for caller in (admin, office, coordinator, school):
        every(caller, "list_tokens")
    for caller in (coordinator, school):
        every(caller, "list_acknowledgments")

    found = [pair for where, answer in answers for pair in _dated(answer, where)]
    moments = [(where, text) for where, text in found if DATE_TIME.fullmatch(text)]
    assert len(moments) > 100
    assert [(where, text) for where, text in moments if not text.startswith("2020-")] == []
    assert [(where, text) for where, text in found if text[:10] > "2020-12-31"] == []
