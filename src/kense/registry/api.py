"""Registry endpoints: territories, organizations, people, positions, staff posts, appointments.

Endpoints only parse, call and render: reads go through `restrict(user, "view")` (404 outside
the scope), writes through `kense.registry.services` (422 for bad input, 403 outside the
user's write scope). The small helpers at the top are shared with the programs API.
"""

import datetime
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from kense.accounts.auth import current_user
from kense.accounts.models import User
from kense.core.api import (
    READ_ERRORS,
    WRITE_ERRORS,
    Code,
    Ref,
    Text,
    assign,
    split,
    write,
)
from kense.core.filters import FilterValues, filtered
from kense.core.pagination import Pagination
from kense.core.patch import Patch
from kense.core.permissions import (
    Action,
    get_changeable,
    get_visible,
    require_add,
    scope_of,
)
from kense.core.services import save_in_scope
from kense.registry import selectors, services
from kense.registry.filters import (
    AppointmentFilters,
    OrganizationFilters,
    PersonFilters,
    PositionFilters,
    StaffPostFilters,
    TerritoryFilters,
)
from kense.registry.models import (
    ActKind,
    Appointment,
    Employment,
    Organization,
    OrganizationKind,
    Person,
    Position,
    StaffPost,
    Territory,
    TerritoryKind,
    current_q,
)

M = TypeVar("M", bound=models.Model)

router = Router()

# ---------------------------------------------------------------------------------------------
# Territories
# ---------------------------------------------------------------------------------------------


class TerritoryOut(Schema):
    id: int
    name: Text
    name_kk: Text
    name_ru: Text
    name_en: Text
    kind: TerritoryKind
    kato: str | None
    parent: Ref | None
    depth: int
    valid_from: datetime.date | None
    valid_to: datetime.date | None


class TerritoryIn(Schema):
    name_kk: Text
    name_ru: Text
    name_en: Text = ""
    kind: TerritoryKind
    kato: Code = None
    parent: int | None = None
    valid_from: datetime.date | None = None
    valid_to: datetime.date | None = None
    moved_on: datetime.date | None = Field(
        None,
        description="When the territory came under its parent (by default valid_from); "
        "on update, the date of a move to another parent (by default today).",
    )
    act: str = Field("", description="The act that placed the territory under its parent.")


def _territories(user: User) -> QuerySet[Territory]:
    return Territory.objects.restrict(user, Action.VIEW).select_related("parent")


@router.get("/territories", response=list[TerritoryOut], tags=["territories"])
@paginate(Pagination)
@filtered(TerritoryFilters)
def list_territories(request: HttpRequest, filters: FilterValues) -> QuerySet[Territory]:
    return selectors.territory_list(current_user(request), filters)


@router.get(
    "/territories/{territory_id}",
    response={200: TerritoryOut, **READ_ERRORS},
    tags=["territories"],
)
def get_territory(request: HttpRequest, territory_id: int) -> Territory:
    user = current_user(request)
    return get_visible(_territories(user), user, pk=territory_id)


def _territory_references(user: User) -> dict[str, QuerySet[Any]]:
    return {"parent": Territory.objects.restrict(user, Action.VIEW)}


@router.post("/territories", response={201: TerritoryOut, **WRITE_ERRORS}, tags=["territories"])
def create_territory(request: HttpRequest, payload: TerritoryIn) -> Status[Territory]:
    user = current_user(request)
    require_add(user, Territory)
    data = payload.dict()
    options = split(data, "moved_on", "act")
    territory = Territory()
    assign(territory, data, _territory_references(user))
    return Status(201, write(services.territory_save, territory, user=user, **options))


@router.patch(
    "/territories/{territory_id}",
    response={200: TerritoryOut, **WRITE_ERRORS},
    tags=["territories"],
)
def update_territory(
    request: HttpRequest, territory_id: int, payload: Patch[TerritoryIn]
) -> Territory:
    user = current_user(request)
    territory = get_changeable(_territories(user), user, pk=territory_id)
    options = split(payload, "moved_on", "act")
    assign(territory, payload, _territory_references(user))
    return write(services.territory_save, territory, user=user, **options)


# ---------------------------------------------------------------------------------------------
# Organizations
# ---------------------------------------------------------------------------------------------


class OrganizationOut(Schema):
    id: int
    name: Text
    name_kk: Text
    name_ru: Text
    name_en: Text
    short_name_kk: Text
    short_name_ru: Text
    short_name_en: Text
    kind: OrganizationKind
    territory: Ref
    parent: Ref | None
    bin: str | None
    aliases: list[str]
    email: str
    phone: str
    address: str
    website: str
    depth: int


class OrganizationIn(Schema):
    name_kk: Text
    name_ru: Text
    name_en: Text = ""
    short_name_kk: Text = ""
    short_name_ru: Text = ""
    short_name_en: Text = ""
    kind: OrganizationKind
    territory: int
    parent: int | None = None
    bin: Code = None
    aliases: list[str] = Field(default_factory=list)
    email: str = ""
    phone: str = ""
    address: str = ""
    website: str = ""
    moved_on: datetime.date | None = Field(
        None, description="On update, the date of a move to another parent (by default today)."
    )
    act: str = Field("", description="The act that placed the organization under its parent.")


def _organizations(user: User) -> QuerySet[Organization]:
    return Organization.objects.restrict(user, Action.VIEW).select_related("territory", "parent")


@router.get("/organizations", response=list[OrganizationOut], tags=["organizations"])
@paginate(Pagination)
@filtered(OrganizationFilters)
def list_organizations(request: HttpRequest, filters: FilterValues) -> QuerySet[Organization]:
    return selectors.organization_list(current_user(request), filters)


@router.get(
    "/organizations/{organization_id}",
    response={200: OrganizationOut, **READ_ERRORS},
    tags=["organizations"],
)
def get_organization(request: HttpRequest, organization_id: int) -> Organization:
    user = current_user(request)
    return get_visible(_organizations(user), user, pk=organization_id)


def _organization_references(user: User) -> dict[str, QuerySet[Any]]:
    return {
        "territory": Territory.objects.restrict(user, Action.VIEW),
        "parent": Organization.objects.restrict(user, Action.VIEW),
    }


@router.post(
    "/organizations", response={201: OrganizationOut, **WRITE_ERRORS}, tags=["organizations"]
)
def create_organization(request: HttpRequest, payload: OrganizationIn) -> Status[Organization]:
    user = current_user(request)
    require_add(user, Organization)
    data = payload.dict()
    options = split(data, "moved_on", "act")
    organization = Organization()
    assign(organization, data, _organization_references(user))
    return Status(201, write(services.organization_save, organization, user=user, **options))


@router.patch(
    "/organizations/{organization_id}",
    response={200: OrganizationOut, **WRITE_ERRORS},
    tags=["organizations"],
)
def update_organization(
    request: HttpRequest, organization_id: int, payload: Patch[OrganizationIn]
) -> Organization:
    user = current_user(request)
    organization = get_changeable(_organizations(user), user, pk=organization_id)
    options = split(payload, "moved_on", "act")
    assign(organization, payload, _organization_references(user))
    return write(services.organization_save, organization, user=user, **options)


# ---------------------------------------------------------------------------------------------
# People
# ---------------------------------------------------------------------------------------------


class PersonOut(Schema):
    id: int
    name: str
    surname_kk: Text
    surname_ru: Text
    surname_en: Text
    given_name_kk: Text
    given_name_ru: Text
    given_name_en: Text
    patronymic_kk: Text
    patronymic_ru: Text
    patronymic_en: Text
    academic_degree_kk: Text
    academic_degree_ru: Text
    academic_degree_en: Text
    aliases: list[str]
    territory: Ref | None
    email: str
    phone: str

    @staticmethod
    def resolve_name(obj: Person) -> str:
        return obj.full_name


class PersonIn(Schema):
    surname_kk: Text
    surname_ru: Text
    surname_en: Text = ""
    given_name_kk: Text
    given_name_ru: Text
    given_name_en: Text = ""
    patronymic_kk: Text = ""
    patronymic_ru: Text = ""
    patronymic_en: Text = ""
    academic_degree_kk: Text = ""
    academic_degree_ru: Text = ""
    academic_degree_en: Text = ""
    aliases: list[str] = Field(default_factory=list)
    territory: int | None = None
    email: str = ""
    phone: str = ""


def _people(user: User) -> QuerySet[Person]:
    return Person.objects.restrict(user, Action.VIEW).select_related("territory")


def _current() -> Q:
    return current_q(timezone.localdate())


@router.get("/people", response=list[PersonOut], tags=["people"])
@paginate(Pagination)
@filtered(PersonFilters)
def list_people(request: HttpRequest, filters: FilterValues) -> QuerySet[Person]:
    return selectors.person_list(current_user(request), filters)


@router.get("/people/{person_id}", response={200: PersonOut, **READ_ERRORS}, tags=["people"])
def get_person(request: HttpRequest, person_id: int) -> Person:
    user = current_user(request)
    return get_visible(_people(user), user, pk=person_id)


def _person_references(user: User) -> dict[str, QuerySet[Any]]:
    return {"territory": Territory.objects.restrict(user, Action.VIEW)}


@router.post("/people", response={201: PersonOut, **WRITE_ERRORS}, tags=["people"])
def create_person(request: HttpRequest, payload: PersonIn) -> Status[Person]:
    user = current_user(request)
    require_add(user, Person)
    person = Person()
    assign(person, payload.dict(), _person_references(user))
    return Status(201, write(services.person_save, person, user=user))


@router.patch("/people/{person_id}", response={200: PersonOut, **WRITE_ERRORS}, tags=["people"])
def update_person(request: HttpRequest, person_id: int, payload: Patch[PersonIn]) -> Person:
    user = current_user(request)
    person = get_changeable(_people(user), user, pk=person_id)
    assign(person, payload, _person_references(user))
    return write(services.person_save, person, user=user)


# ---------------------------------------------------------------------------------------------
# Positions: one region-wide list of kinds of post, seen by every user
# ---------------------------------------------------------------------------------------------


class PositionOut(Schema):
    id: int
    code: str
    name: Text
    name_kk: Text
    name_ru: Text
    name_en: Text


class PositionIn(Schema):
    code: str
    name_kk: Text
    name_ru: Text
    name_en: Text = ""


def _require_position_editor(user: User) -> None:
    # Position has no scoped QuerySet and no service of its own yet: until it does, the
    # shared list of positions is edited by administrators only.
    if not scope_of(user).is_admin:
        raise PermissionDenied


@router.get("/positions", response=list[PositionOut], tags=["positions"])
@paginate(Pagination)
@filtered(PositionFilters)
def list_positions(request: HttpRequest, filters: FilterValues) -> QuerySet[Position]:
    return selectors.position_list(filters)


@router.get(
    "/positions/{position_id}", response={200: PositionOut, **READ_ERRORS}, tags=["positions"]
)
def get_position(request: HttpRequest, position_id: int) -> Position:
    return _position(position_id)


def _position(pk: int) -> Position:
    position = Position.objects.filter(pk=pk).first()
    if position is None:
        raise Http404
    return position


@router.post("/positions", response={201: PositionOut, **WRITE_ERRORS}, tags=["positions"])
def create_position(request: HttpRequest, payload: PositionIn) -> Status[Position]:
    user = current_user(request)
    _require_position_editor(user)
    position = Position()
    assign(position, payload.dict(), {})
    return Status(201, write(save_in_scope, position, user=user))


@router.patch(
    "/positions/{position_id}",
    response={200: PositionOut, **WRITE_ERRORS},
    tags=["positions"],
)
def update_position(request: HttpRequest, position_id: int, payload: Patch[PositionIn]) -> Position:
    user = current_user(request)
    position = _position(position_id)
    _require_position_editor(user)
    assign(position, payload, {})
    return write(save_in_scope, position, user=user)


# ---------------------------------------------------------------------------------------------
# Staff posts
# ---------------------------------------------------------------------------------------------


class StaffPostOut(Schema):
    id: int
    name: str
    organization: Ref
    position: Ref
    title_kk: Text
    title_ru: Text
    title_en: Text
    employment: Employment
    order: int

    @staticmethod
    def resolve_name(obj: StaffPost) -> str:
        return str(obj)


class StaffPostIn(Schema):
    organization: int
    position: int
    title_kk: Text = ""
    title_ru: Text = ""
    title_en: Text = ""
    employment: Employment = Employment.STAFF
    order: int = 0


def _staff_posts(user: User) -> QuerySet[StaffPost]:
    return StaffPost.objects.restrict(user, Action.VIEW).select_related("organization", "position")


@router.get("/staff-posts", response=list[StaffPostOut], tags=["staff posts"])
@paginate(Pagination)
@filtered(StaffPostFilters)
def list_staff_posts(request: HttpRequest, filters: FilterValues) -> QuerySet[StaffPost]:
    return selectors.staff_post_list(current_user(request), filters)


@router.get(
    "/staff-posts/{post_id}", response={200: StaffPostOut, **READ_ERRORS}, tags=["staff posts"]
)
def get_staff_post(request: HttpRequest, post_id: int) -> StaffPost:
    user = current_user(request)
    return get_visible(_staff_posts(user), user, pk=post_id)


def _staff_post_references(user: User) -> dict[str, QuerySet[Any]]:
    return {
        "organization": Organization.objects.restrict(user, Action.VIEW),
        "position": Position.objects.all(),
    }


@router.post("/staff-posts", response={201: StaffPostOut, **WRITE_ERRORS}, tags=["staff posts"])
def create_staff_post(request: HttpRequest, payload: StaffPostIn) -> Status[StaffPost]:
    user = current_user(request)
    require_add(user, StaffPost)
    post = StaffPost()
    assign(post, payload.dict(), _staff_post_references(user))
    return Status(201, write(services.staff_post_save, post, user=user))


@router.patch(
    "/staff-posts/{post_id}",
    response={200: StaffPostOut, **WRITE_ERRORS},
    tags=["staff posts"],
)
def update_staff_post(request: HttpRequest, post_id: int, payload: Patch[StaffPostIn]) -> StaffPost:
    user = current_user(request)
    post = get_changeable(_staff_posts(user), user, pk=post_id)
    assign(post, payload, _staff_post_references(user))
    return write(services.staff_post_save, post, user=user)


# ---------------------------------------------------------------------------------------------
# Appointments
# ---------------------------------------------------------------------------------------------


class AppointmentOut(Schema):
    id: int
    person: Ref
    organization: Ref
    position: Ref
    post: Ref | None
    title_kk: Text
    title_ru: Text
    title_en: Text
    employment: Employment
    start: datetime.date
    end: datetime.date | None
    act_kind: ActKind
    act_number: str
    act_date: datetime.date | None
    current: bool

    @staticmethod
    def resolve_person(obj: Appointment) -> dict[str, Any]:
        return {"id": obj.person_id, "name": obj.person.full_name}

    @staticmethod
    def resolve_post(obj: Appointment) -> dict[str, Any] | None:
        if obj.post is None:
            return None
        return {"id": obj.post.pk, "name": str(obj.post)}

    @staticmethod
    def resolve_current(obj: Appointment) -> bool:
        return obj.is_current_on(timezone.localdate())


class AppointmentIn(Schema):
    person: int
    organization: int
    position: int
    post: int | None = None
    title_kk: Text = ""
    title_ru: Text = ""
    title_en: Text = ""
    employment: Employment = Employment.STAFF
    start: datetime.date
    end: datetime.date | None = None
    act_kind: ActKind = ActKind.APPOINTED
    act_number: str = ""
    act_date: datetime.date | None = None


def _appointments(user: User) -> QuerySet[Appointment]:
    return Appointment.objects.restrict(user, Action.VIEW).select_related(
        "person", "organization", "position", "post__position"
    )


@router.get("/appointments", response=list[AppointmentOut], tags=["appointments"])
@paginate(Pagination)
@filtered(AppointmentFilters)
def list_appointments(request: HttpRequest, filters: FilterValues) -> QuerySet[Appointment]:
    return selectors.appointment_list(current_user(request), filters)


@router.get(
    "/appointments/{appointment_id}",
    response={200: AppointmentOut, **READ_ERRORS},
    tags=["appointments"],
)
def get_appointment(request: HttpRequest, appointment_id: int) -> Appointment:
    user = current_user(request)
    return get_visible(_appointments(user), user, pk=appointment_id)


def _appointment_references(user: User) -> dict[str, QuerySet[Any]]:
    return {
        "person": Person.objects.restrict(user, Action.VIEW),
        "organization": Organization.objects.restrict(user, Action.VIEW),
        "position": Position.objects.all(),
        "post": StaffPost.objects.restrict(user, Action.VIEW).select_related("position"),
    }


@router.post("/appointments", response={201: AppointmentOut, **WRITE_ERRORS}, tags=["appointments"])
def create_appointment(request: HttpRequest, payload: AppointmentIn) -> Status[Appointment]:
    user = current_user(request)
    require_add(user, Appointment)
    appointment = Appointment()
    assign(appointment, payload.dict(), _appointment_references(user))
    return Status(201, write(services.appointment_save, appointment, user=user))


@router.patch(
    "/appointments/{appointment_id}",
    response={200: AppointmentOut, **WRITE_ERRORS},
    tags=["appointments"],
)
def update_appointment(
    request: HttpRequest, appointment_id: int, payload: Patch[AppointmentIn]
) -> Appointment:
    user = current_user(request)
    appointment = get_changeable(_appointments(user), user, pk=appointment_id)
    assign(appointment, payload, _appointment_references(user))
    return write(services.appointment_save, appointment, user=user)
