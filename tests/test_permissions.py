"""Who may reach what: every role × every page and API endpoint × objects inside and outside
its scope, with the status each must get.

The world, built once for the module: region R with districts A and B, and another region X
with one district. Each district has an akimat, a culture division under it and a school under
the division, a person appointed at the school on a staff post, and a special project led by
the division (A's project is co-executed by A's school). One program with one direction.

Users: the administrator; the project office, the executive and the observer of region R; the
department (A's culture division); the coordinator of district A; the institution (A's school);
and an anonymous visitor.

The objects a table row names: `a`, `b`, `x` are the object of that kind in district A, B or X
(for organizations: the school; for territories: the district); `division_a` and `akimat_a` are
A's culture division and akimat; `p` and `d` are the program and its direction.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django import forms
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.test import Client
from django.test.utils import override_settings
from django.urls import reverse
from factories import (
    AppointmentFactory,
    DirectionFactory,
    OrganizationFactory,
    PersonFactory,
    PositionFactory,
    ProgramFactory,
    ProjectFactory,
    StaffPostFactory,
    TerritoryFactory,
    UserFactory,
)

from kense.accounts.models import ApiToken, User
from kense.core.permissions import Role
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


@dataclass
class World:
    users: dict[str, User] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)
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


def _district(world: World, key: str, district: Territory, letter: str) -> None:
    """An akimat, its culture division, a school under the division, a person on a post."""
    akimat = OrganizationFactory(
        name_kk=f"{letter} әкімдігі", kind=OrganizationKind.AKIMAT, territory=district
    )
    division = OrganizationFactory(
        name_kk=f"{letter} мәдениет бөлімі",
        kind=OrganizationKind.DIVISION,
        territory=district,
        parent=akimat,
    )
    school = OrganizationFactory(
        name_kk=f"{letter} мектебі", kind=OrganizationKind.SCHOOL, territory=district, parent=division
    )
    post = StaffPostFactory(organization=school, position=world.position)
    person = PersonFactory(surname_kk=f"{letter}ов", surname_ru=f"{letter}ов")
    appointment = AppointmentFactory(
        person=person, organization=school, position=world.position, post=post
    )
    project = ProjectFactory(
        name_kk=f"{letter} жобасы",
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


def build_world() -> World:
    world = World()
    world.position = PositionFactory(code="teacher", name_kk="Мұғалім", name_ru="Учитель")
    program = ProgramFactory(code="culture", name_kk="Мәдениет", name_ru="Культура")
    world.program["p"] = program
    world.direction["d"] = DirectionFactory(program=program, name_kk="Театр", name_ru="Театр")
    region = TerritoryFactory(name_kk="Облыс", name_ru="Область", kind=TerritoryKind.REGION)
    region_x = TerritoryFactory(name_kk="Басқа облыс", name_ru="Другая", kind=TerritoryKind.REGION)
    for key, parent, letter in (("a", region, "Алаш"), ("b", region, "Бетпак"), ("x", region_x, "Ықсан")):
        district = TerritoryFactory(name_kk=f"{letter} ауданы", name_ru=f"{letter} район", parent=parent)
        _district(world, key, district, letter)
    world.users = {
        "administrator": UserFactory(role=Role.ADMINISTRATOR),
        "project_office": UserFactory(role=Role.PROJECT_OFFICE, territory=region),
        "executive": UserFactory(role=Role.EXECUTIVE, territory=region),
        "department": UserFactory(role=Role.DEPARTMENT, organization=world.division["a"]),
        "coordinator": UserFactory(role=Role.COORDINATOR, territory=world.territory["a"]),
        "institution": UserFactory(role=Role.INSTITUTION, organization=world.organization["a"]),
        "observer": UserFactory(role=Role.OBSERVER, territory=region),
    }
    world.tokens = {
        role: ApiToken.issue(user=user, name="permissions")[1] for role, user in world.users.items()
    }
    return world


@pytest.fixture(scope="module")
def world(django_db_setup: Any, django_db_blocker: Any) -> Any:
    """Built once; every test runs in a savepoint inside this transaction and rolls back."""
    with django_db_blocker.unblock():
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
