"""Registry endpoints: territories, organizations, people, positions, staff posts, appointments.

Endpoints only parse, call and render: reads go through `restrict(user, "view")` (404 outside
the scope), writes through `kense.registry.services` (422 for bad input, 403 outside the
user's write scope). The small helpers at the top are shared with the programs API.
"""

import datetime
from collections.abc import Callable, Mapping, Sequence
from functools import partial
from typing import Any, TypeVar

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Body, Field, File, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from kense.accounts.auth import current_user
from kense.accounts.models import User
from kense.core.api import (
    READ_ERRORS,
    WRITE_ERRORS,
    Code,
    LocatedIn,
    LocatedOut,
    Ref,
    Text,
    assign,
    file_download,
    split,
    write,
)
from kense.core.excel import IMPORT_API_DESCRIPTION, XLSX, api_import, read_upload
from kense.core.filters import FilterValues, filtered
from kense.core.pagination import Pagination
from kense.core.patch import Patch
from kense.core.permissions import (
    Action,
    can_add,
    get_changeable,
    get_visible,
    require_add,
    scope_of,
)
from kense.core.services import save_in_scope
from kense.registry import imports, selectors, services
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
# Creating many at once: POST /<entity>/bulk
# ---------------------------------------------------------------------------------------------

BULK_LIMIT = 1000
BULK_TOO_MANY = _("Send at most %(limit)s items in one call.")
BULK_UNKNOWN_REF = _("No earlier item of this call was saved with this ref.")
BULK_TAKEN_REF = _("An earlier item of this call already has this ref.")
BULK_BOTH = _("Give either the id or the ref of an item of this call, not both.")

REF_DESCRIPTION = (
    "A name of your choosing for this item, unique within the call, by which a later item of "
    "the same call refers to it (parent_ref)."
)
PARENT_REF_DESCRIPTION = (
    "The ref of an earlier item of the same call to stand under, instead of a parent id."
)
BULK_DESCRIPTION = (
    "Create up to 1000 items in one call, each as the single create would (same fields, same "
    "checks, same permissions), all or none: if any item fails nothing is saved and the 422 "
    'names each error\'s field as "<index>.<field>" (index from 0, e.g. "3.name_kk"; '
    '"3" alone for an error of the item as a whole). Items are saved in the order sent.'
)


def _bulk_errors(index: int, error: ValidationError) -> dict[str, list[str]]:
    """An item's errors under "<index>.<field>" ("<index>" for the item as a whole)."""
    if not hasattr(error, "error_dict"):
        return {str(index): list(error.messages)}
    return {
        str(index) if field == NON_FIELD_ERRORS else f"{index}.{field}": list(messages)
        for field, messages in error.message_dict.items()
    }


def create_in_bulk(
    items: Sequence[Schema],
    create: Callable[[dict[str, Any]], M],
    *,
    refs: Mapping[str, str] | None = None,
) -> list[M]:
    """Create every item through `create` (the single create's own path: its references, its
    service, its checks), in one transaction, or none of them.

    Every item is tried, so that one answer names the errors of all; if any fails, the
    transaction is rolled back and a ValidationError names them by "<index>.<field>".
    `refs` maps an input field naming an earlier item's `ref` to the field it fills with that
    item's id ({"parent_ref": "parent"}). A PermissionDenied stops the call (403), as it
    stops a single create.
    """
    if len(items) > BULK_LIMIT:
        raise ValidationError(BULK_TOO_MANY % {"limit": BULK_LIMIT})
    created: list[M] = []
    saved_refs: dict[str, int] = {}
    errors: dict[str, list[str]] = {}
    with transaction.atomic():
        for index, item in enumerate(items):
            data = item.dict()
            ref = data.pop("ref", None)
            try:
                for ref_field, field in (refs or {}).items():
                    given = data.pop(ref_field, None)
                    if given is None:
                        continue
                    if data.get(field) is not None:
                        raise ValidationError({ref_field: BULK_BOTH})
                    if given not in saved_refs:
                        raise ValidationError({ref_field: BULK_UNKNOWN_REF})
                    data[field] = saved_refs[given]
                if ref is not None and ref in saved_refs:
                    raise ValidationError({"ref": BULK_TAKEN_REF})
                # A savepoint per item: a failed one leaves the others to be tried.
                with transaction.atomic():
                    obj = create(data)
            except ValidationError as error:
                errors.update(_bulk_errors(index, error))
                continue
            created.append(obj)
            if ref is not None:
                saved_refs[ref] = obj.pk
        if errors:
            raise ValidationError(errors)
    return created


# ---------------------------------------------------------------------------------------------
# Territories
# ---------------------------------------------------------------------------------------------


class TerritoryOut(LocatedOut):
    id: int
    name: Text
    name_kk: Text
    name_ru: Text
    name_en: Text
    kind: TerritoryKind
    kato: str | None
    aliases: list[str]
    parent: Ref | None
    depth: int
    valid_from: datetime.date | None
    valid_to: datetime.date | None

    @staticmethod
    def resolve_parent(obj: Territory) -> dict[str, Any] | None:
        return _parent(obj)


def _parent(obj: Territory | Organization) -> dict[str, Any] | None:
    """The parent then when the object was read as of a date (`?on=`), otherwise now."""
    # Annotated by selectors.territories_on / organizations_on, unknown to the model's type.
    if hasattr(obj, "parent_on_id"):
        if obj.parent_on_id is None:
            return None
        return {"id": obj.parent_on_id, "name": obj.parent_on_name}  # type: ignore[union-attr]
    parent = obj.parent
    return None if parent is None else {"id": parent.pk, "name": str(parent)}


class TerritoryOnQuery(Schema):
    on: datetime.date | None = Field(
        None,
        description="The state on this date: only the territories valid then, each under the "
        "parent it stood under then (from the recorded moves). Names are today's: the registry "
        "keeps no dated names. Without it, the state today.",
    )


class OrganizationOnQuery(Schema):
    on: datetime.date | None = Field(
        None,
        description="The state on this date: each organization under the parent it stood "
        "under then (from the recorded moves). Organizations have no validity period (all are "
        "listed); names and territories are today's. Without it, the state today.",
    )


class ParentMoveOut(Schema):
    """A move of a territory or organization under another parent, oldest first."""

    date: datetime.date | None = Field(
        description="From when it stood under `parent`; null: since always (its first place)."
    )
    act: str = Field(description="The act that placed it there.")
    former_parent: Ref | None
    parent: Ref | None = Field(description="Null: moved out from under any parent.")
    recorded_by: str | None = Field(description="Who recorded the move, when known.")
    recorded_at: datetime.datetime | None

    @staticmethod
    def resolve_former_parent(move: selectors.Move) -> dict[str, Any] | None:
        parent = move.former_parent
        return None if parent is None else {"id": parent.pk, "name": parent.name}

    @staticmethod
    def resolve_parent(move: selectors.Move) -> dict[str, Any] | None:
        parent = move.parent
        return None if parent is None else {"id": parent.pk, "name": parent.name}

    @staticmethod
    def resolve_recorded_by(move: selectors.Move) -> str | None:
        return None if move.recorded_by is None else str(move.recorded_by)


class TerritoryIn(LocatedIn):
    name_kk: Text
    name_ru: Text
    name_en: Text = ""
    kind: TerritoryKind
    kato: Code = None
    aliases: list[str] = Field(default_factory=list)
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
def list_territories(
    request: HttpRequest,
    filters: FilterValues,
    query: Query[TerritoryOnQuery],
) -> QuerySet[Territory]:
    territories = selectors.territory_list(current_user(request), filters)
    return territories if query.on is None else selectors.territories_on(territories, query.on)


# Before /territories/{id}, which would otherwise take "bulk" as an id.
class TerritoryBulkIn(TerritoryIn):
    ref: str | None = Field(None, description=REF_DESCRIPTION)
    parent_ref: str | None = Field(None, description=PARENT_REF_DESCRIPTION)


@router.post(
    "/territories/bulk",
    response={201: list[TerritoryOut], **WRITE_ERRORS},
    tags=["territories"],
    description=BULK_DESCRIPTION,
)
def create_territories(
    request: HttpRequest, payload: Body[list[TerritoryBulkIn]]
) -> Status[list[Territory]]:
    user = current_user(request)
    require_add(user, Territory)
    create = partial(_territory_create, user)
    return Status(201, create_in_bulk(payload, create, refs={"parent_ref": "parent"}))


@router.get(
    "/territories/{territory_id}",
    response={200: TerritoryOut, **READ_ERRORS},
    tags=["territories"],
)
def get_territory(
    request: HttpRequest,
    territory_id: int,
    query: Query[TerritoryOnQuery],
) -> Territory:
    user = current_user(request)
    territories = _territories(user)
    if query.on is not None:
        territories = selectors.territories_on(territories, query.on)
    return get_visible(territories, user, pk=territory_id)


@router.get(
    "/territories/{territory_id}/moves",
    response={200: list[ParentMoveOut], **READ_ERRORS},
    tags=["territories"],
)
def list_territory_moves(request: HttpRequest, territory_id: int) -> list[selectors.Move]:
    """Where the territory stood, oldest first: each move with its date, act, former and new
    parent and who recorded it."""
    user = current_user(request)
    return selectors.moves(get_visible(_territories(user), user, pk=territory_id))


def _territory_references(user: User) -> dict[str, QuerySet[Any]]:
    return {"parent": Territory.objects.restrict(user, Action.VIEW)}


def _territory_create(user: User, data: dict[str, Any]) -> Territory:
    options = split(data, "moved_on", "act")
    territory = Territory()
    assign(territory, data, _territory_references(user))
    return write(services.territory_save, territory, user=user, **options)


@router.post("/territories", response={201: TerritoryOut, **WRITE_ERRORS}, tags=["territories"])
def create_territory(request: HttpRequest, payload: TerritoryIn) -> Status[Territory]:
    user = current_user(request)
    require_add(user, Territory)
    return Status(201, _territory_create(user, payload.dict()))


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


class OrganizationOut(LocatedOut):
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

    @staticmethod
    def resolve_parent(obj: Organization) -> dict[str, Any] | None:
        return _parent(obj)


class OrganizationIn(LocatedIn):
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
def list_organizations(
    request: HttpRequest,
    filters: FilterValues,
    query: Query[OrganizationOnQuery],
) -> QuerySet[Organization]:
    organizations = selectors.organization_list(current_user(request), filters)
    return (
        organizations if query.on is None else selectors.organizations_on(organizations, query.on)
    )


# Before /organizations/{id}, which would otherwise take "bulk" as an id.
class OrganizationBulkIn(OrganizationIn):
    ref: str | None = Field(None, description=REF_DESCRIPTION)
    parent_ref: str | None = Field(None, description=PARENT_REF_DESCRIPTION)


@router.post(
    "/organizations/bulk",
    response={201: list[OrganizationOut], **WRITE_ERRORS},
    tags=["organizations"],
    description=BULK_DESCRIPTION,
)
def create_organizations(
    request: HttpRequest, payload: Body[list[OrganizationBulkIn]]
) -> Status[list[Organization]]:
    user = current_user(request)
    require_add(user, Organization)
    create = partial(_organization_create, user)
    return Status(201, create_in_bulk(payload, create, refs={"parent_ref": "parent"}))


@router.get(
    "/organizations/{organization_id}",
    response={200: OrganizationOut, **READ_ERRORS},
    tags=["organizations"],
)
def get_organization(
    request: HttpRequest,
    organization_id: int,
    query: Query[OrganizationOnQuery],
) -> Organization:
    user = current_user(request)
    organizations = _organizations(user)
    if query.on is not None:
        organizations = selectors.organizations_on(organizations, query.on)
    return get_visible(organizations, user, pk=organization_id)


@router.get(
    "/organizations/{organization_id}/moves",
    response={200: list[ParentMoveOut], **READ_ERRORS},
    tags=["organizations"],
)
def list_organization_moves(request: HttpRequest, organization_id: int) -> list[selectors.Move]:
    """Where the organization stood, oldest first: each move with its date, act, former and
    new parent and who recorded it."""
    user = current_user(request)
    return selectors.moves(get_visible(_organizations(user), user, pk=organization_id))


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
    return Status(201, _organization_create(user, payload.dict()))


def _organization_create(user: User, data: dict[str, Any]) -> Organization:
    options = split(data, "moved_on", "act")
    organization = Organization()
    assign(organization, data, _organization_references(user))
    return write(services.organization_save, organization, user=user, **options)


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


# Before /people/{id}, which would otherwise take "bulk" as an id.
@router.post(
    "/people/bulk",
    response={201: list[PersonOut], **WRITE_ERRORS},
    tags=["people"],
    description=BULK_DESCRIPTION,
)
def create_people(request: HttpRequest, payload: Body[list[PersonIn]]) -> Status[list[Person]]:
    user = current_user(request)
    require_add(user, Person)
    return Status(201, create_in_bulk(payload, partial(_person_create, user)))


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
    return Status(201, _person_create(user, payload.dict()))


def _person_create(user: User, data: dict[str, Any]) -> Person:
    person = Person()
    assign(person, data, _person_references(user))
    return write(services.person_save, person, user=user)


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


# Before /positions/{id}, which would otherwise take "bulk" as an id.
@router.post(
    "/positions/bulk",
    response={201: list[PositionOut], **WRITE_ERRORS},
    tags=["positions"],
    description=BULK_DESCRIPTION,
)
def create_positions(
    request: HttpRequest, payload: Body[list[PositionIn]]
) -> Status[list[Position]]:
    user = current_user(request)
    _require_position_editor(user)
    return Status(201, create_in_bulk(payload, partial(_position_create, user)))


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
    return Status(201, _position_create(user, payload.dict()))


def _position_create(user: User, data: dict[str, Any]) -> Position:
    position = Position()
    assign(position, data, {})
    return write(save_in_scope, position, user=user)


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


# Before /staff-posts/{id}, which would otherwise take "bulk" as an id.
@router.post(
    "/staff-posts/bulk",
    response={201: list[StaffPostOut], **WRITE_ERRORS},
    tags=["staff posts"],
    description=BULK_DESCRIPTION,
)
def create_staff_posts(
    request: HttpRequest, payload: Body[list[StaffPostIn]]
) -> Status[list[StaffPost]]:
    user = current_user(request)
    require_add(user, StaffPost)
    return Status(201, create_in_bulk(payload, partial(_staff_post_create, user)))


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
    return Status(201, _staff_post_create(user, payload.dict()))


def _staff_post_create(user: User, data: dict[str, Any]) -> StaffPost:
    post = StaffPost()
    assign(post, data, _staff_post_references(user))
    return write(services.staff_post_save, post, user=user)


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


# Before /appointments/{id}, which would otherwise take "bulk" as an id.
@router.post(
    "/appointments/bulk",
    response={201: list[AppointmentOut], **WRITE_ERRORS},
    tags=["appointments"],
    description=BULK_DESCRIPTION,
)
def create_appointments(
    request: HttpRequest, payload: Body[list[AppointmentIn]]
) -> Status[list[Appointment]]:
    user = current_user(request)
    require_add(user, Appointment)
    return Status(201, create_in_bulk(payload, partial(_appointment_create, user)))


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
    return Status(201, _appointment_create(user, payload.dict()))


def _appointment_create(user: User, data: dict[str, Any]) -> Appointment:
    appointment = Appointment()
    assign(appointment, data, _appointment_references(user))
    return write(services.appointment_save, appointment, user=user)


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


# ---------------------------------------------------------------------------------------------
# Excel imports of organizations and people (the pages' registry:import)
# ---------------------------------------------------------------------------------------------


class RegistryImportOut(Schema):
    count: int = Field(description="How many rows were saved (all of the file's).")


def _import_kind(user: User, slug: str) -> imports.ImportKind:
    kind = imports.KINDS[slug]
    if not can_add(user, kind.model):
        raise PermissionDenied
    return kind


def _registry_import(request: HttpRequest, slug: str, file: UploadedFile) -> Status[dict[str, int]]:
    user = current_user(request)
    kind = _import_kind(user, slug)
    count = api_import(
        lambda: read_upload(file, kind),
        lambda rows: imports.import_rows(kind, rows, user=user),
    )
    return Status(201, {"count": count})


def _registry_template(request: HttpRequest, slug: str) -> HttpResponse:
    user = current_user(request)
    return imports.template_response(_import_kind(user, slug), user)


@router.post(
    "/imports/excel/organizations",
    response={201: RegistryImportOut, **WRITE_ERRORS},
    tags=["imports"],
    description=IMPORT_API_DESCRIPTION,
)
def import_organizations_excel(
    request: HttpRequest, file: File[UploadedFile]
) -> Status[dict[str, int]]:
    """Create organizations from the Excel template (the page "Import organizations")."""
    return _registry_import(request, "organizations", file)


@router.get(
    "/imports/excel/organizations/template",
    response=WRITE_ERRORS,
    tags=["imports"],
    openapi_extra=file_download(
        "The template for importing organizations, with drop-down lists of what the caller "
        "may choose.",
        XLSX,
    ),
)
def organizations_excel_template(request: HttpRequest) -> HttpResponse:
    return _registry_template(request, "organizations")


@router.post(
    "/imports/excel/people",
    response={201: RegistryImportOut, **WRITE_ERRORS},
    tags=["imports"],
    description=IMPORT_API_DESCRIPTION,
)
def import_people_excel(request: HttpRequest, file: File[UploadedFile]) -> Status[dict[str, int]]:
    """Create people, each with a first appointment when given, from the Excel template (the
    page "Import people")."""
    return _registry_import(request, "people", file)


@router.get(
    "/imports/excel/people/template",
    response=WRITE_ERRORS,
    tags=["imports"],
    openapi_extra=file_download(
        "The template for importing people, with drop-down lists of what the caller may choose.",
        XLSX,
    ),
)
def people_excel_template(request: HttpRequest) -> HttpResponse:
    return _registry_template(request, "people")
