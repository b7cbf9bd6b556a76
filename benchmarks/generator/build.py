"""Write a synthetic dataset with ``bulk_create``: fast enough for a country in minutes.

Rows are built in Python with every derived field precomputed (tree ``path``/``depth``,
``search_text``, the kk and ru names), because ``bulk_create`` skips ``save()``. Nothing here
writes history rows: generated data is not audited. Everything generated hangs under one
territory root, :data:`MARKER_NAME`, which is how a second run knows to refuse.
"""

from __future__ import annotations

import datetime
import functools
import itertools
import random
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeVar

from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models import Max
from django.db.models.base import ModelState
from django.utils import timezone

from benchmarks.generator import names
from kense.text.kazakh import search_terms

#: The name of the generated country: the root every generated row hangs under.
MARKER_NAME = "Генерацияланған ел"
#: Usernames of generated accounts start with this.
USERNAME_PREFIX = "gen-"
YEARS = tuple(range(2016, 2026))
BATCH = 5000

M = TypeVar("M", bound=models.Model)


@dataclass(frozen=True)
class Scale:
    regions: int
    districts_per_region: int
    rural_per_district: int
    organizations: int
    users: int
    programs: int
    projects: int
    events: int
    meetings: int
    items_per_meeting: int
    assignments: int
    indicator_values: int
    publications: int
    documents: int
    recipients_per_document: int
    ideas: int


SCALES = {
    "national": Scale(
        regions=20,
        districts_per_region=11,
        rural_per_district=16,
        organizations=20_000,
        users=50_000,
        programs=6,
        projects=600,
        events=1_000_000,
        meetings=25_000,
        items_per_meeting=8,
        assignments=300_000,
        indicator_values=1_500_000,
        publications=100_000,
        documents=5_000,
        recipients_per_document=100,
        ideas=20_000,
    ),
    # One region's worth: about a twentieth of the country.
    "regional": Scale(
        regions=1,
        districts_per_region=11,
        rural_per_district=16,
        organizations=1_000,
        users=2_500,
        programs=6,
        projects=30,
        events=50_000,
        meetings=1_250,
        items_per_meeting=8,
        assignments=15_000,
        indicator_values=75_000,
        publications=5_000,
        documents=250,
        recipients_per_document=100,
        ideas=1_000,
    ),
    # About a thousandth, for tests.
    "small": Scale(
        regions=1,
        districts_per_region=2,
        rural_per_district=2,
        organizations=40,
        users=50,
        programs=2,
        projects=4,
        events=1_000,
        meetings=25,
        items_per_meeting=8,
        assignments=300,
        indicator_values=1_500,
        publications=100,
        documents=5,
        recipients_per_document=30,
        ideas=20,
    ),
}


@functools.lru_cache(maxsize=200_000)
def _terms(text: str) -> tuple[str, ...]:
    return tuple(search_terms(text))


def search_text(*spellings: str | None) -> str:
    """What ``Searchable.refresh_search_text`` stores for these spellings (cached words)."""
    terms: dict[str, None] = {}
    for spelling in spellings:
        terms.update(dict.fromkeys(_terms(spelling or "")))
    return " " + " ".join(terms) + " "


@functools.cache
def _template(model: type[models.Model]) -> dict[str, Any]:
    values = dict(model().__dict__)
    values.pop("_state")
    return values


def make(model: type[M], **values: Any) -> M:
    """An unsaved instance without ``Model.__init__``: its defaults are copied from one
    instance made once. modeltranslation's ``__init__`` would cost most of the load time.
    Callable defaults (a uuid, a timestamp) are the template's: pass them when they matter."""
    obj = model.__new__(model)
    obj.__dict__.update(_template(model))
    obj.__dict__.update(values)
    obj._state = ModelState()
    return obj


def generated_data_exists() -> bool:
    from kense.registry.models import Territory

    return Territory.objects.filter(parent__isnull=True, name_kk=MARKER_NAME).exists()


def _chunks(rows: Iterable[Any], size: int) -> Iterator[list[Any]]:
    iterator = iter(rows)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


def _aware(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, tzinfo=datetime.UTC)


class Generator:
    def __init__(self, scale: Scale, *, seed: int, write: Callable[[str], None]) -> None:
        self.scale = scale
        self.rng = random.Random(seed)
        self.write = write
        self.started = time.monotonic()
        # Filled as the levels are written; later levels pick from them.
        self.territories: dict[int, dict[str, Any]] = {}
        self.organizations: list[dict[str, Any]] = []
        self.user_ids: list[int] = []
        self.person_ids: list[int] = []

    # -- plumbing ---------------------------------------------------------------------------

    @contextmanager
    def step(self, label: str) -> Iterator[None]:
        began = time.monotonic()
        # One transaction per model group: a failure leaves no half-written group behind.
        with transaction.atomic():
            yield
        elapsed = time.monotonic() - began
        total = time.monotonic() - self.started
        self.write(f"{label:<28} {elapsed:8.1f} s   (total {total:7.1f} s)")

    def insert(self, model: type[models.Model], rows: Iterable[Any]) -> int:
        """bulk_create in batches; returns how many rows were written."""
        count = 0
        for chunk in _chunks(rows, BATCH):
            model._default_manager.bulk_create(chunk, batch_size=BATCH)
            count += len(chunk)
        return count

    def day(self, year: int | None = None) -> datetime.date:
        year = year or self.rng.choice(YEARS)
        return datetime.date(year, 1, 1) + datetime.timedelta(days=self.rng.randrange(365))

    # -- the levels ---------------------------------------------------------------------------

    def run(self) -> None:
        from kense.indicators.signals import connect_signals, disconnect_signals

        disconnect_signals()
        try:
            self.registry()
            self.people_and_users()
            self.programs()
            self.events()
            self.meetings_and_assignments()
            self.indicators()
            self.media()
            self.documents()
            self.ideas()
        finally:
            connect_signals()
        # Fresh planner statistics: without them (autovacuum off, or not yet run) PostgreSQL
        # plans the big lists as if the tables were empty, several times slower.
        with self.step("planner statistics"), connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        self.write(f"done in {time.monotonic() - self.started:.1f} s")

    def registry(self) -> None:
        from kense.registry.models import Organization, Territory

        scale, rng = self.scale, self.rng
        with self.step("territories"):
            next_id = (Territory.objects.aggregate(top=Max("id"))["top"] or 0) + 1
            rows: list[Territory] = []

            def add(kind: str, parent: dict[str, Any] | None, base: str) -> dict[str, Any]:
                nonlocal next_id
                pk, next_id = next_id, next_id + 1
                forms = (
                    {"kk": MARKER_NAME, "ru": MARKER_NAME, "kk_gen": "", "ru_gen": ""}
                    if kind == "country"
                    else names.territory_names(base, kind)
                )
                path = f"{parent['path'] if parent else '/'}{pk}/"
                node = {"id": pk, "kind": kind, "path": path, "forms": forms, "parent": parent}
                self.territories[pk] = node
                rows.append(
                    make(
                        Territory,
                        id=pk,
                        parent_id=parent["id"] if parent else None,
                        path=path,
                        depth=path.count("/") - 2,
                        kind=kind,
                        name=forms["kk"],
                        name_kk=forms["kk"],
                        name_ru=forms["ru"],
                        valid_from=datetime.date(2016, 1, 1),
                        search_text=search_text(forms["kk"], forms["ru"]),
                    )
                )
                return node

            self.root = add("country", None, "")
            for _r in range(scale.regions):
                region = add("region", self.root, names.place(rng)[0])
                for index in range(scale.districts_per_region):
                    kind = "city" if index % 5 == 0 else "district"
                    district = add(kind, region, names.place(rng)[0])
                    for _d in range(scale.rural_per_district if kind == "district" else 0):
                        add("rural_district", district, names.place(rng)[0])
            self.insert(Territory, rows)

        with self.step("organizations"):
            next_id = (Organization.objects.aggregate(top=Max("id"))["top"] or 0) + 1
            orgs: list[Organization] = []

            def org(
                kind: str, territory: dict[str, Any], parent: dict[str, Any] | None, name: Any
            ) -> dict[str, Any]:
                nonlocal next_id
                pk, next_id = next_id, next_id + 1
                kk, ru = name
                path = f"{parent['path'] if parent else '/'}{pk}/"
                node = {"id": pk, "kind": kind, "path": path, "territory": territory}
                self.organizations.append(node)
                orgs.append(
                    make(
                        Organization,
                        id=pk,
                        parent_id=parent["id"] if parent else None,
                        path=path,
                        depth=path.count("/") - 2,
                        kind=kind,
                        name=kk,
                        name_kk=kk,
                        name_ru=ru,
                        territory_id=territory["id"],
                        search_text=search_text(kk, ru),
                    )
                )
                return node

            divisions: list[dict[str, Any]] = []
            departments: list[dict[str, Any]] = []
            self.akimats: dict[int, dict[str, Any]] = {}
            self.offices: list[dict[str, Any]] = []
            for node in self.territories.values():
                if node["kind"] != "region":
                    continue
                akimat = org("akimat", node, None, names.akimat(node["forms"]))
                self.akimats[node["id"]] = akimat
                self.offices.append(
                    org("project_office", node, akimat, names.project_office(node["forms"]))
                )
                for index in range(10 if scale.regions > 1 or scale.organizations > 100 else 3):
                    departments.append(
                        org("department", node, akimat, names.department(rng, node["forms"], index))
                    )
            for node in self.territories.values():
                if node["kind"] in ("city", "district"):
                    parent = self.akimats[node["parent"]["id"]]
                    akimat = org("akimat", node, parent, names.akimat(node["forms"]))
                    self.akimats[node["id"]] = akimat
                    for index in range(4 if scale.organizations > 100 else 1):
                        divisions.append(
                            org("division", node, akimat, names.division(rng, node["forms"], index))
                        )
            for node in self.territories.values():
                if node["kind"] == "rural_district":
                    parent = self.akimats[node["parent"]["id"]]
                    self.akimats[node["id"]] = org(
                        "akimat", node, parent, names.akimat(node["forms"])
                    )
            kinds = ["school"] * 50 + ["culture"] * 15 + ["ngo"] * 10 + ["college"] * 8
            kinds += ["media"] * 7 + ["other"] * 6 + ["university"] * 2 + ["research"] * 2
            number = itertools.count(1)
            while len(orgs) < scale.organizations:
                kind = rng.choice(kinds)
                if kind in ("school", "culture", "college") and divisions:
                    parent = rng.choice(divisions)
                    territory = parent["territory"]
                else:
                    parent = rng.choice(departments)
                    territory = parent["territory"]
                org(kind, territory, parent, names.institution(rng, kind, next(number) % 90 + 1))
            self.insert(Organization, orgs)
            # Explicit ids skipped the sequences: move them past what was written.
            with connection.cursor() as cursor:
                for sql in connection.ops.sequence_reset_sql(no_style(), [Territory, Organization]):
                    cursor.execute(sql)
        self.write(
            f"  {len(self.territories)} territories, {len(self.organizations)} organizations"
        )

    def people_and_users(self) -> None:
        from kense.accounts.models import User
        from kense.core.permissions import Role
        from kense.registry.models import Appointment, Person, Position

        rng, scale = self.rng, self.scale
        with self.step("people"):
            people = []
            for _n in range(scale.users):
                parts = names.person(rng)
                people.append(
                    make(
                        Person,
                        surname=parts["surname_kk"],
                        given_name=parts["given_name_kk"],
                        patronymic=parts["patronymic_kk"],
                        email="",
                        search_text=search_text(
                            parts["surname_kk"],
                            parts["surname_ru"],
                            None,
                            parts["given_name_kk"],
                            parts["given_name_ru"],
                            None,
                            parts["patronymic_kk"],
                            parts["patronymic_ru"],
                        ),
                        **parts,
                    )
                )
            for chunk in _chunks(people, BATCH):
                Person.objects.bulk_create(chunk)
            self.person_ids = [person.pk for person in people]
            self.people = people

        with self.step("users"):
            # One hash for every generated account: hashing per user would take hours.
            password = make_password("kense-generated")
            start = (User.objects.aggregate(top=Max("id"))["top"] or 0) + 1
            users = []
            for index, person in enumerate(self.people):
                home = rng.choice(self.organizations)
                role = rng.choice(
                    [Role.INSTITUTION] * 6
                    + [Role.DEPARTMENT] * 2
                    + [Role.COORDINATOR, Role.OBSERVER, Role.EXECUTIVE]
                )
                users.append(
                    make(
                        User,
                        username=f"{USERNAME_PREFIX}{start + index:06d}",
                        password=password,
                        first_name=person.given_name,
                        last_name=person.surname,
                        email=f"user{start + index}@example.kz",
                        role=role,
                        person_id=person.pk,
                        organization_id=home["id"]
                        if role in (Role.INSTITUTION, Role.DEPARTMENT)
                        else None,
                        territory_id=home["territory"]["id"],
                        language=rng.choice(("kk", "kk", "ru")),
                        date_joined=_aware(self.day()),
                    )
                )
            # Each region's project office and akim, and the country's project office (wide
            # scope): named, so benchmarks and load tests can log in as them.
            leaders: list[tuple[str, Role, dict[str, Any], dict[str, Any] | None]] = [
                ("gen-office-00", Role.PROJECT_OFFICE, self.root, None)
            ]
            for number, office in enumerate(self.offices, start=1):
                region = office["territory"]
                leaders.append((f"gen-office-{number:02d}", Role.PROJECT_OFFICE, region, office))
                leaders.append((f"gen-akim-{number:02d}", Role.EXECUTIVE, region, None))
            for username, role, territory, organization in leaders:
                users.append(
                    make(
                        User,
                        username=username,
                        password=password,
                        email=f"{username}@example.kz",
                        role=role,
                        organization_id=organization["id"] if organization else None,
                        territory_id=territory["id"],
                        language="kk",
                        date_joined=_aware(datetime.date(YEARS[0], 1, 1)),
                    )
                )
            for chunk in _chunks(users, BATCH):
                User.objects.bulk_create(chunk)
            self.user_ids = [user.pk for user in users]
            self.office_user_id = users[-2].pk
            self.office_users = [
                user.pk for user in users if user.role in (Role.COORDINATOR, Role.EXECUTIVE)
            ] or self.user_ids

        with self.step("appointments"):
            positions = {}
            for code, kk, ru in (
                ("gen-head", "Басшы", "Руководитель"),
                ("gen-deputy", "Басшының орынбасары", "Заместитель руководителя"),
                ("gen-specialist", "Бас маман", "Главный специалист"),
            ):
                position = Position.objects.filter(code=code).first()
                if position is None:
                    position = Position(code=code, name=kk, name_kk=kk, name_ru=ru)
                    Position.objects.bulk_create([position])
                positions[code] = position.pk
            rows = []
            for index, person in enumerate(self.people):
                home = self.organizations[index % len(self.organizations)]
                code = "gen-head" if index < len(self.organizations) else "gen-specialist"
                rows.append(
                    make(
                        Appointment,
                        person_id=person.pk,
                        organization_id=home["id"],
                        position_id=positions[code],
                        start=self.day(rng.choice(YEARS[:5])),
                    )
                )
            self.insert(Appointment, rows)
            del self.people

    def programs(self) -> None:
        from kense.programs.models import Direction, Program, Project

        rng, scale = self.rng, self.scale
        territories = [
            node
            for node in self.territories.values()
            if node["kind"] in ("region", "city", "district")
        ]
        with self.step("programs and projects"):
            programs = []
            base = Program.objects.filter(code__startswith="gen-").count()
            for index in range(scale.programs):
                kk, ru = names.SUBJECTS[index % len(names.SUBJECTS)]
                kk, ru = f"«{kk.capitalize()}» бағдарламасы", f"Программа «{ru}»"
                programs.append(
                    make(
                        Program,
                        code=f"gen-{base + index + 1}",
                        name=kk,
                        name_kk=kk,
                        name_ru=ru,
                        start=datetime.date(2016, 1, 1),
                        end=datetime.date(2025, 12, 31),
                        status="active",
                        lead_organization_id=self.offices[0]["id"],
                        search_text=search_text(kk, ru),
                    )
                )
            Program.objects.bulk_create(programs)
            self.program_ids = [program.pk for program in programs]
            directions = []
            for program in programs:
                for order, (kk, ru) in enumerate(names.TOPICS[:3]):
                    directions.append(
                        make(
                            Direction,
                            program_id=program.pk,
                            order=order,
                            name=kk.capitalize(),
                            name_kk=kk.capitalize(),
                            name_ru=ru.capitalize(),
                            status="active",
                            search_text=search_text(kk, ru),
                        )
                    )
            Direction.objects.bulk_create(directions)
            self.direction_ids = [direction.pk for direction in directions]
            projects = []
            for _n in range(scale.projects):
                territory = rng.choice(territories)
                place_kk = territory["forms"]["kk"]
                kk, ru = names.subject(rng)
                kk, ru = f"{place_kk}: «{kk}» жобасы", f"Проект «{ru}» ({territory['forms']['ru']})"
                start = self.day()
                projects.append(
                    make(
                        Project,
                        program_id=rng.choice(self.program_ids),
                        territory_id=territory["id"],
                        name=kk,
                        name_kk=kk,
                        name_ru=ru,
                        start=start,
                        end=start + datetime.timedelta(days=rng.randrange(90, 1000)),
                        status=rng.choice(("active", "completed", "completed", "planned")),
                        budget=Decimal(rng.randrange(1, 500) * 100_000),
                        search_text=search_text(kk, ru),
                    )
                )
            self.insert(Project, projects)
            self.project_ids = [project.pk for project in projects]

    def events(self) -> None:
        from kense.events.models import Event

        rng, scale = self.rng, self.scale
        today = timezone.localdate()
        audiences = ["youth", "students", "schoolchildren", "teachers", "public", "elderly"]

        def rows() -> Iterator[Event]:
            for _n in range(scale.events):
                organizer = rng.choice(self.organizations)
                place_kk, place_ru = names.place(rng)
                kk, ru = names.event_title(rng, place_kk, place_ru)
                start = self.day()
                roll = rng.random()
                if start > today:
                    status, reason = "planned", ""
                elif roll < 0.85:
                    status, reason = "held", ""
                elif roll < 0.95:
                    status, reason = "postponed", "Ауа райына байланысты"
                else:
                    status, reason = "cancelled", "Ұйымдастырушының шешімімен"
                held = status == "held"
                yield make(
                    Event,
                    title=kk,
                    title_kk=kk,
                    title_ru=ru,
                    program_id=rng.choice(self.program_ids),
                    project_id=rng.choice(self.project_ids) if rng.random() < 0.3 else None,
                    organizer_id=organizer["id"],
                    territory_id=organizer["territory"]["id"],
                    format=rng.choice(("in_person", "in_person", "online", "hybrid")),
                    venue=place_kk,
                    start=start,
                    end=start + datetime.timedelta(days=rng.choice((0, 0, 0, 1, 2))),
                    audience=[rng.choice(audiences)],
                    planned_reach=rng.randrange(20, 2000),
                    participants=rng.randrange(10, 1500) if held else None,
                    online_views=rng.randrange(0, 5000) if held else None,
                    status=status,
                    reason=reason,
                    beyond_plan=rng.random() < 0.1,
                    search_text=search_text(kk, ru),
                )

        with self.step(f"events ({scale.events})"):
            self.insert(Event, rows())

    def meetings_and_assignments(self) -> None:
        from kense.assignments.models import Assignment, ExecutionReport
        from kense.meetings.models import AgendaItem, Meeting

        rng, scale = self.rng, self.scale
        today = timezone.localdate()
        seats = [
            node
            for node in self.territories.values()
            if node["kind"] in ("region", "city", "district")
        ]
        with self.step(f"meetings ({scale.meetings})"):
            meetings = []
            for _n in range(scale.meetings):
                territory = rng.choice(seats)
                day = self.day()
                kk, ru = names.meeting_title(rng, territory["forms"], day.year)
                meetings.append(
                    make(
                        Meeting,
                        title=kk,
                        title_kk=kk,
                        title_ru=ru,
                        venue=f"{territory['forms']['kk']}, әкімдік, мәжіліс залы",
                        start=_aware(day),
                        end=_aware(day, 12),
                        chair_id=rng.choice(self.person_ids),
                        secretary_id=rng.choice(self.person_ids),
                        organizer_id=self.akimats[territory["id"]]["id"],
                        territory_id=territory["id"],
                        state="approved" if day < today else "scheduled",
                        uid=uuid.uuid4(),
                        search_text=search_text(kk, ru),
                    )
                )
            for chunk in _chunks(meetings, BATCH):
                Meeting.objects.bulk_create(chunk)

        with self.step(f"agenda items ({scale.meetings * scale.items_per_meeting})"):

            def items() -> Iterator[AgendaItem]:
                for meeting in meetings:
                    for order in range(1, scale.items_per_meeting + 1):
                        kk, ru = names.agenda_title(rng)
                        yield make(
                            AgendaItem,
                            meeting_id=meeting.pk,
                            order=order,
                            title=kk,
                            title_kk=kk,
                            title_ru=ru,
                            closed=meeting.state == "approved",
                            search_text=search_text(kk, ru),
                        )

            self.insert(AgendaItem, items())

        with self.step(f"assignments ({scale.assignments})"):
            assignments = []
            for index in range(scale.assignments):
                meeting = meetings[index % len(meetings)]
                lead = rng.choice(self.organizations)
                kk, ru = names.assignment_text(rng)
                issued = meeting.start.date()
                deadline = issued + datetime.timedelta(days=rng.randrange(14, 180))
                roll = rng.random()
                if deadline >= today:
                    status = "under_control" if roll < 0.7 else "reported"
                elif roll < 0.8:
                    status = "done"
                elif roll < 0.9:
                    status = "under_control"
                else:
                    status = "withdrawn"
                done_late = rng.random() < 0.2
                done_at = (
                    _aware(
                        deadline + datetime.timedelta(days=rng.randrange(1, 30 if done_late else 2))
                    )
                    if status == "done"
                    else None
                )
                number = f"{issued.year}-{index + 1}"
                assignments.append(
                    make(
                        Assignment,
                        number=number,
                        text=kk,
                        text_kk=kk,
                        text_ru=ru,
                        meeting_id=meeting.pk,
                        lead_organization_id=lead["id"],
                        lead_person_id=rng.choice(self.person_ids),
                        territory_id=meeting.territory_id,
                        deadline=deadline,
                        priority=rng.choice(("normal", "normal", "normal", "high", "urgent")),
                        controller_id=rng.choice(self.office_users),
                        status=status,
                        done_at=done_at,
                        withdrawn_reason="Өзектілігін жоғалтты" if status == "withdrawn" else "",
                        created_by_id=rng.choice(self.office_users),
                        created_at=meeting.start,
                        search_text=search_text(number, kk, ru),
                    )
                )
            for chunk in _chunks(assignments, BATCH):
                Assignment.objects.bulk_create(chunk)

        with self.step("execution reports"):

            def reports() -> Iterator[ExecutionReport]:
                for assignment in assignments:
                    if assignment.status not in ("done", "reported"):
                        continue
                    done = assignment.status == "done"
                    yield make(
                        ExecutionReport,
                        assignment_id=assignment.pk,
                        text=names.report_text(rng),
                        author_id=rng.choice(self.user_ids),
                        created_at=assignment.done_at or _aware(today),
                        outcome="accepted" if done else "pending",
                        reviewed_by_id=assignment.controller_id if done else None,
                        reviewed_at=assignment.done_at,
                    )

            count = self.insert(ExecutionReport, reports())
        self.write(f"  {count} execution reports")

    def indicators(self) -> None:
        from kense.indicators.models import (
            Indicator,
            IndicatorValue,
            LowRule,
            Methodology,
            Normalization,
            Target,
        )

        rng, scale = self.rng, self.scale
        with self.step(f"indicator values ({scale.indicator_values})"):
            base = Indicator.objects.filter(code__startswith="gen-").count()
            indicators = []
            for index, (kk, ru) in enumerate(names.TOPICS):
                kk, ru = f"{kk.capitalize()} көрсеткіші", f"Показатель: {ru}"
                indicators.append(
                    make(
                        Indicator,
                        code=f"gen-{base + index + 1}",
                        name=kk,
                        name_kk=kk,
                        name_ru=ru,
                        unit="бірл.",
                        unit_kk="бірл.",
                        unit_ru="ед.",
                        source="reported",
                        order=index,
                    )
                )
            Indicator.objects.bulk_create(indicators)
            ranked = [
                node["id"]
                for node in self.territories.values()
                if node["kind"] in ("region", "city", "district")
            ]
            every = [node["id"] for node in self.territories.values() if node["kind"] != "country"]

            def combinations() -> Iterator[tuple[int, int, int, str, int]]:
                # Yearly values of cities and districts first (what rankings read), then
                # monthly values of every territory until the target count.
                for indicator in indicators:
                    for territory in ranked:
                        for year in YEARS:
                            yield indicator.pk, territory, year, "year", 1
                for indicator in indicators:
                    for territory in every:
                        for year in YEARS:
                            for month in range(1, 13):
                                yield indicator.pk, territory, year, "month", month

            def rows() -> Iterator[IndicatorValue]:
                for indicator, territory, year, kind, number in itertools.islice(
                    combinations(), scale.indicator_values
                ):
                    yield make(
                        IndicatorValue,
                        indicator_id=indicator,
                        territory_id=territory,
                        year=year,
                        period_kind=kind,
                        period_number=number,
                        value=Decimal(rng.randrange(0, 100_000)) / 100,
                        status="approved",
                        updated_at=_aware(datetime.date(year, 12, 31)),
                    )

            count = self.insert(IndicatorValue, rows())
        self.write(f"  {count} indicator values")

        with self.step("targets and methodologies"):
            # A target for each yearly value of a city or district (what the ranking reads),
            # and one ranking methodology a year weighing every generated indicator.
            targets = (
                make(
                    Target,
                    indicator_id=indicator.pk,
                    territory_id=territory,
                    year=year,
                    value=Decimal(rng.randrange(10_000, 100_000)) / 100,
                )
                for indicator in indicators
                for territory in ranked
                for year in YEARS
            )
            count = self.insert(Target, targets)
            weights = {indicator.code: rng.choice((1, 1, 2, 3)) for indicator in indicators}
            self.insert(
                Methodology,
                (
                    make(
                        Methodology,
                        name=f"Жалпы рейтинг, {year}",
                        name_kk=f"Жалпы рейтинг, {year}",
                        name_ru=f"Общий рейтинг, {year}",
                        year=year,
                        normalization=Normalization.PERCENT_OF_TARGET,
                        weights=weights,
                        low_rule=LowRule.BOTTOM_QUARTILE,
                        created_at=_aware(datetime.date(year, 1, 15)),
                        created_by_id=self.office_user_id,
                    )
                    for year in YEARS
                ),
            )
        self.write(f"  {count} targets, {len(YEARS)} methodologies")

    def media(self) -> None:
        from kense.media.models import Publication

        rng, scale = self.rng, self.scale
        outlets = [node for node in self.organizations if node["kind"] == "media"] or (
            self.organizations
        )
        through: Any = Publication.territories.through
        with self.step(f"publications ({scale.publications})"):
            publications = []
            for _n in range(scale.publications):
                outlet = rng.choice(outlets)
                language = rng.choice(("kk", "kk", "ru"))
                place_kk, place_ru = names.place(rng)
                day = self.day()
                title = names.publication_title(rng, language, place_kk, place_ru)
                publications.append(
                    make(
                        Publication,
                        outlet_id=outlet["id"],
                        title=title,
                        search_text=search_text(title),
                        url=f"https://news.example.kz/{day:%Y/%m}/{rng.randrange(10**8)}",
                        date=day,
                        language=language,
                        kind=rng.choice(("article", "article", "tv", "radio", "social")),
                        reach=rng.randrange(100, 50_000),
                        created_by_id=rng.choice(self.office_users),
                    )
                )
            for chunk in _chunks(publications, BATCH):
                Publication.objects.bulk_create(chunk)
            territory_of = {node["id"]: node["territory"]["id"] for node in self.organizations}
            self.insert(
                through,
                (
                    make(through, publication_id=p.pk, territory_id=territory_of[p.outlet_id])
                    for p in publications
                ),
            )

    def documents(self) -> None:
        from kense.documents.models import Distribution, Document, Recipient

        rng, scale = self.rng, self.scale
        today = timezone.localdate()
        audience = [
            node
            for node in self.organizations
            if node["kind"] in ("akimat", "department", "division", "school", "college", "culture")
        ]
        with self.step(f"documents ({scale.documents})"):
            documents = []
            for index in range(scale.documents):
                kk, ru = names.document_title(rng, index + 1)
                documents.append(
                    make(
                        Document,
                        title=kk,
                        title_kk=kk,
                        title_ru=ru,
                        kind=rng.choice(("guideline", "guideline", "order", "plan")),
                        author_organization_id=rng.choice(self.offices)["id"],
                        created_by_id=rng.choice(self.office_users),
                        created_at=_aware(self.day()),
                        search_text=search_text(kk, ru),
                    )
                )
            for chunk in _chunks(documents, BATCH):
                Document.objects.bulk_create(chunk)
            distributions = [
                make(
                    Distribution,
                    document_id=document.pk,
                    organization_kinds=["akimat", "school"],
                    deadline=document.created_at.date() + datetime.timedelta(days=30),
                    sent_by_id=document.created_by_id,
                    sent_at=document.created_at,
                )
                for document in documents
            ]
            for chunk in _chunks(distributions, BATCH):
                Distribution.objects.bulk_create(chunk)
            size = min(scale.recipients_per_document, len(audience))

            def recipients() -> Iterator[Recipient]:
                for distribution in distributions:
                    late = distribution.deadline is None or distribution.deadline >= today
                    for organization in rng.sample(audience, size):
                        acknowledged = not late and rng.random() < 0.85
                        yield make(
                            Recipient,
                            distribution_id=distribution.pk,
                            organization_id=organization["id"],
                            acknowledged_by_id=rng.choice(self.user_ids) if acknowledged else None,
                            acknowledged_at=distribution.sent_at
                            + datetime.timedelta(days=rng.randrange(1, 30))
                            if acknowledged
                            else None,
                        )

            count = self.insert(Recipient, recipients())
        self.write(f"  {count} recipients")

    def ideas(self) -> None:
        from kense.ideas.models import Idea

        rng, scale = self.rng, self.scale
        with self.step(f"ideas ({scale.ideas})"):

            def rows() -> Iterator[Idea]:
                for _n in range(scale.ideas):
                    organization = rng.choice(self.organizations)
                    kk, _ru = names.subject(rng)
                    title = f"{organization['territory']['forms']['kk']}: {kk} ұйымдастыру"
                    yield make(
                        Idea,
                        title=title,
                        description="Жергілікті жастардың бастамасы.",
                        direction_id=rng.choice(self.direction_ids),
                        territory_id=organization["territory"]["id"],
                        proposer_id=rng.choice(self.user_ids),
                        created_at=_aware(self.day()),
                        search_text=search_text(title),
                    )

            self.insert(Idea, rows())
