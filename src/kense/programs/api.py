"""Programs, their directions and special projects.

Programs and directions are region-wide (everyone reads, the project office writes); projects
are scoped by territory and lead organization. Reads go through `restrict`, writes through
`kense.programs.services`.
"""

import datetime
from decimal import Decimal
from functools import partial
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Body, Field, Router, Schema
from ninja import Status as HttpStatus
from ninja.pagination import paginate

from kense.accounts.auth import current_user
from kense.accounts.models import User
from kense.core.api import (
    READ_ERRORS,
    WRITE_ERRORS,
    LocatedIn,
    LocatedOut,
    Ref,
    Text,
    assign,
    referenced_many,
    write,
)
from kense.core.filters import FilterValues, filtered
from kense.core.pagination import Pagination
from kense.core.patch import Patch
from kense.core.permissions import Action, get_changeable, get_visible, require_add
from kense.programs import selectors, services
from kense.programs.filters import DirectionFilters, ProgramFilters, ProjectFilters
from kense.programs.models import Direction, Program, ProgramStatus, Project
from kense.registry.api import (
    BULK_DESCRIPTION,
    PARENT_REF_DESCRIPTION,
    REF_DESCRIPTION,
    create_in_bulk,
)
from kense.registry.models import Organization, Territory

router = Router()


class WorkOut(Schema):
    """What programs, directions and projects show alike."""

    id: int
    name: Text
    name_kk: Text
    name_ru: Text
    name_en: Text
    aliases: list[str]
    description_kk: Text
    description_ru: Text
    description_en: Text
    start: datetime.date | None
    end: datetime.date | None
    status: ProgramStatus
    lead_organization: Ref | None
    co_executors: list[Ref]


class WorkIn(Schema):
    name_kk: Text
    name_ru: Text
    name_en: Text = ""
    aliases: list[str] = Field(default_factory=list)
    description_kk: Text = ""
    description_ru: Text = ""
    description_en: Text = ""
    start: datetime.date | None = None
    end: datetime.date | None = None
    status: ProgramStatus = ProgramStatus.PLANNED
    lead_organization: int | None = None
    co_executors: list[int] = Field(
        default_factory=list, description="Ids of the co-executing organizations."
    )


def _co_executors(user: User, data: dict[str, Any]) -> list[Organization] | None:
    """The co-executors named in the input (None when not given: they stay as they are)."""
    return referenced_many(Organization.objects.restrict(user, Action.VIEW), data, "co_executors")


# ---------------------------------------------------------------------------------------------
# Programs
# ---------------------------------------------------------------------------------------------


class ProgramOut(WorkOut):
    code: str


class ProgramIn(WorkIn):
    code: str


def _programs(user: User) -> QuerySet[Program]:
    return (
        Program.objects.restrict(user, Action.VIEW)
        .select_related("lead_organization")
        .prefetch_related("co_executors")
    )


def _program_references(user: User) -> dict[str, QuerySet[Any]]:
    return {"lead_organization": Organization.objects.restrict(user, Action.VIEW)}


@router.get("/programs", response=list[ProgramOut], tags=["programs"])
@paginate(Pagination)
@filtered(ProgramFilters)
def list_programs(request: HttpRequest, filters: FilterValues) -> QuerySet[Program]:
    programs = selectors.program_list(current_user(request), filters)
    return programs.prefetch_related("co_executors")


# Before /programs/{program_id}, which would otherwise take "bulk" as an id.
@router.post(
    "/programs/bulk",
    response={201: list[ProgramOut], **WRITE_ERRORS},
    tags=["programs"],
    description=BULK_DESCRIPTION,
)
def create_programs(
    request: HttpRequest, payload: Body[list[ProgramIn]]
) -> HttpStatus[list[Program]]:
    user = current_user(request)
    require_add(user, Program)
    return HttpStatus(201, create_in_bulk(payload, partial(_program_create, user)))


@router.get("/programs/{program_id}", response={200: ProgramOut, **READ_ERRORS}, tags=["programs"])
def get_program(request: HttpRequest, program_id: int) -> Program:
    user = current_user(request)
    return get_visible(_programs(user), user, pk=program_id)


@router.post("/programs", response={201: ProgramOut, **WRITE_ERRORS}, tags=["programs"])
def create_program(request: HttpRequest, payload: ProgramIn) -> HttpStatus[Program]:
    user = current_user(request)
    require_add(user, Program)
    return HttpStatus(201, _program_create(user, payload.dict()))


def _program_create(user: User, data: dict[str, Any]) -> Program:
    co_executors = _co_executors(user, data)
    program = Program()
    assign(program, data, _program_references(user))
    return write(services.program_save, program, user=user, co_executors=co_executors)


@router.patch(
    "/programs/{program_id}", response={200: ProgramOut, **WRITE_ERRORS}, tags=["programs"]
)
def update_program(request: HttpRequest, program_id: int, payload: Patch[ProgramIn]) -> Program:
    user = current_user(request)
    program = get_changeable(_programs(user), user, pk=program_id)
    co_executors = _co_executors(user, payload)
    assign(program, payload, _program_references(user))
    return write(services.program_save, program, user=user, co_executors=co_executors)


# ---------------------------------------------------------------------------------------------
# Directions
# ---------------------------------------------------------------------------------------------


class DirectionOut(WorkOut):
    program: Ref
    order: int


class DirectionIn(WorkIn):
    program: int
    order: int = 0


def _directions(user: User) -> QuerySet[Direction]:
    return (
        Direction.objects.restrict(user, Action.VIEW)
        .select_related("program", "lead_organization")
        .prefetch_related("co_executors")
    )


def _direction_references(user: User) -> dict[str, QuerySet[Any]]:
    return {
        "program": Program.objects.restrict(user, Action.VIEW),
        "lead_organization": Organization.objects.restrict(user, Action.VIEW),
    }


@router.get("/directions", response=list[DirectionOut], tags=["directions"])
@paginate(Pagination)
@filtered(DirectionFilters)
def list_directions(request: HttpRequest, filters: FilterValues) -> QuerySet[Direction]:
    directions = selectors.direction_list(current_user(request), filters)
    return directions.prefetch_related("co_executors")


# Before /directions/{direction_id}, which would otherwise take "bulk" as an id.
@router.post(
    "/directions/bulk",
    response={201: list[DirectionOut], **WRITE_ERRORS},
    tags=["directions"],
    description=BULK_DESCRIPTION,
)
def create_directions(
    request: HttpRequest, payload: Body[list[DirectionIn]]
) -> HttpStatus[list[Direction]]:
    user = current_user(request)
    require_add(user, Direction)
    return HttpStatus(201, create_in_bulk(payload, partial(_direction_create, user)))


@router.get(
    "/directions/{direction_id}",
    response={200: DirectionOut, **READ_ERRORS},
    tags=["directions"],
)
def get_direction(request: HttpRequest, direction_id: int) -> Direction:
    user = current_user(request)
    return get_visible(_directions(user), user, pk=direction_id)


@router.post("/directions", response={201: DirectionOut, **WRITE_ERRORS}, tags=["directions"])
def create_direction(request: HttpRequest, payload: DirectionIn) -> HttpStatus[Direction]:
    user = current_user(request)
    require_add(user, Direction)
    return HttpStatus(201, _direction_create(user, payload.dict()))


def _direction_create(user: User, data: dict[str, Any]) -> Direction:
    co_executors = _co_executors(user, data)
    direction = Direction()
    assign(direction, data, _direction_references(user))
    return write(services.direction_save, direction, user=user, co_executors=co_executors)


@router.patch(
    "/directions/{direction_id}",
    response={200: DirectionOut, **WRITE_ERRORS},
    tags=["directions"],
)
def update_direction(
    request: HttpRequest, direction_id: int, payload: Patch[DirectionIn]
) -> Direction:
    user = current_user(request)
    direction = get_changeable(_directions(user), user, pk=direction_id)
    co_executors = _co_executors(user, payload)
    assign(direction, payload, _direction_references(user))
    return write(services.direction_save, direction, user=user, co_executors=co_executors)


# ---------------------------------------------------------------------------------------------
# Special projects
# ---------------------------------------------------------------------------------------------


class ProjectOut(WorkOut, LocatedOut):
    program: Ref
    direction: Ref | None
    parent: Ref | None
    territory: Ref
    budget: Decimal | None


class ProjectIn(WorkIn, LocatedIn):
    program: int
    direction: int | None = None
    parent: int | None = Field(None, description="The project this one is a part of.")
    territory: int
    budget: Decimal | None = Field(None, description="Budget in tenge.")


class ProjectBulkIn(ProjectIn):
    ref: str | None = Field(None, description=REF_DESCRIPTION)
    parent_ref: str | None = Field(None, description=PARENT_REF_DESCRIPTION)


def _projects(user: User) -> QuerySet[Project]:
    return (
        Project.objects.restrict(user, Action.VIEW)
        .select_related("program", "direction", "parent", "territory", "lead_organization")
        .prefetch_related("co_executors")
    )


def _project_references(user: User) -> dict[str, QuerySet[Any]]:
    return {
        "program": Program.objects.restrict(user, Action.VIEW),
        "direction": Direction.objects.restrict(user, Action.VIEW),
        "parent": Project.objects.restrict(user, Action.VIEW),
        "territory": Territory.objects.restrict(user, Action.VIEW),
        "lead_organization": Organization.objects.restrict(user, Action.VIEW),
    }


@router.get("/projects", response=list[ProjectOut], tags=["projects"])
@paginate(Pagination)
@filtered(ProjectFilters)
def list_projects(request: HttpRequest, filters: FilterValues) -> QuerySet[Project]:
    projects = selectors.project_list(current_user(request), filters)
    return projects.prefetch_related("co_executors")


# Before /projects/{project_id}, which would otherwise take "bulk" as an id.
@router.post(
    "/projects/bulk",
    response={201: list[ProjectOut], **WRITE_ERRORS},
    tags=["projects"],
    description=BULK_DESCRIPTION,
)
def create_projects(
    request: HttpRequest, payload: Body[list[ProjectBulkIn]]
) -> HttpStatus[list[Project]]:
    user = current_user(request)
    require_add(user, Project)
    create = partial(_project_create, user)
    return HttpStatus(201, create_in_bulk(payload, create, refs={"parent_ref": "parent"}))


@router.get("/projects/{project_id}", response={200: ProjectOut, **READ_ERRORS}, tags=["projects"])
def get_project(request: HttpRequest, project_id: int) -> Project:
    user = current_user(request)
    return get_visible(_projects(user), user, pk=project_id)


@router.post("/projects", response={201: ProjectOut, **WRITE_ERRORS}, tags=["projects"])
def create_project(request: HttpRequest, payload: ProjectIn) -> HttpStatus[Project]:
    user = current_user(request)
    require_add(user, Project)
    return HttpStatus(201, _project_create(user, payload.dict()))


def _project_create(user: User, data: dict[str, Any]) -> Project:
    co_executors = _co_executors(user, data)
    project = Project()
    assign(project, data, _project_references(user))
    return write(services.project_save, project, user=user, co_executors=co_executors)


@router.patch(
    "/projects/{project_id}", response={200: ProjectOut, **WRITE_ERRORS}, tags=["projects"]
)
def update_project(request: HttpRequest, project_id: int, payload: Patch[ProjectIn]) -> Project:
    user = current_user(request)
    project = get_changeable(_projects(user), user, pk=project_id)
    co_executors = _co_executors(user, payload)
    assign(project, payload, _project_references(user))
    return write(services.project_save, project, user=user, co_executors=co_executors)
