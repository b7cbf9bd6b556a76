"""Sacred sites: the registry of the special project «Қазақстанның киелі географиясы».

Reads go through `restrict` and the list's selector (the page's filters, the same names);
writes through `kense.sites.services`, an update checking the If-Match revision like every
other write (`kense.core.api.write`). The Excel import is the page's, all or nothing.
"""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import FileResponse, HttpRequest, HttpResponse
from ninja import Field, File, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from kense.accounts.auth import current_user
from kense.accounts.models import User
from kense.core.api import (
    READ_ERRORS,
    WRITE_ERRORS,
    AttachmentOut,
    LocatedIn,
    LocatedOut,
    Ref,
    Text,
    assign,
    attachment_out,
    file_download,
    referenced_many,
    write,
)
from kense.core.attachments import attachment_of, attachment_response, attachments_of
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
    restrict,
)
from kense.events.models import Event
from kense.media.models import Publication
from kense.programs.models import Project
from kense.registry.models import Territory
from kense.sites import imports, selectors, services
from kense.sites.filters import SiteFilters
from kense.sites.models import LINKS, Protection, SacredList, Site, SiteKind

router = Router(tags=["sites"])


class SiteLink(Schema):
    """A linked event or publication: its id and its title in the request's language."""

    id: int
    name: str

    @staticmethod
    def resolve_name(obj: Any) -> str:
        return str(obj)


class SiteOut(LocatedOut):
    id: int
    name: Text
    name_kk: Text
    name_ru: Text
    name_en: Text
    kind: SiteKind
    sacred_list: SacredList = Field(description="The list of sacred sites it is entered in.")
    protection: Protection
    territory: Ref
    description_kk: Text
    description_ru: Text
    description_en: Text
    sources: list[str] = Field(description="The sources, one an item.")
    project: Ref | None
    events: list[SiteLink]
    publications: list[SiteLink]

    @staticmethod
    def resolve_sources(site: Site) -> list[str]:
        return site.source_lines


class SiteIn(LocatedIn):
    name_kk: Text
    name_ru: Text
    name_en: Text = ""
    kind: SiteKind
    sacred_list: SacredList = SacredList.REGIONAL
    protection: Protection = Protection.NONE
    territory: int
    description_kk: Text = ""
    description_ru: Text = ""
    description_en: Text = ""
    sources: list[str] = Field(default_factory=list, description="The sources, one an item.")
    project: int | None = Field(None, description="The special project the site belongs to.")
    events: list[int] = Field(default_factory=list, description="Ids of the linked events.")
    publications: list[int] = Field(
        default_factory=list, description="Ids of the publications about the site."
    )


def _sites(user: User) -> QuerySet[Site]:
    return restrict(selectors.site_detail_queryset(), user, Action.VIEW)


def _references(user: User) -> dict[str, QuerySet[Any]]:
    return {
        "territory": Territory.objects.restrict(user, Action.VIEW),
        "project": Project.objects.restrict(user, Action.VIEW),
    }


def _links(user: User, data: dict[str, Any]) -> dict[str, list[Any]]:
    """The given link fields as visible objects, taken out of `data`."""
    links: dict[str, list[Any]] = {}
    errors: dict[str, Any] = {}
    for name, model in (("events", Event), ("publications", Publication)):
        try:
            found = referenced_many(model.objects.restrict(user), data, name)
        except ValidationError as error:
            errors.update(error.message_dict)
            continue
        if found is not None:
            links[name] = found
    if errors:
        raise ValidationError(errors)
    return links


def _assign(user: User, site: Site, data: dict[str, Any]) -> dict[str, list[Any]]:
    links = _links(user, data)
    if "sources" in data:
        data["sources"] = "\n".join(line.strip() for line in data["sources"] if line.strip())
    assign(site, data, _references(user))
    return links


@router.get("/sites", response=list[SiteOut])
@paginate(Pagination)
@filtered(SiteFilters)
def list_sites(request: HttpRequest, filters: FilterValues) -> QuerySet[Site]:
    """The sites the caller sees, in Kazakh order, with the filters of the page."""
    return selectors.site_list(current_user(request), filters).prefetch_related(*LINKS)


@router.get("/sites/{site_id}", response={200: SiteOut, **READ_ERRORS})
def get_site(request: HttpRequest, site_id: int) -> Site:
    user = current_user(request)
    return get_visible(_sites(user), user, pk=site_id)


@router.post("/sites", response={201: SiteOut, **WRITE_ERRORS})
def create_site(request: HttpRequest, payload: SiteIn) -> Status[Site]:
    user = current_user(request)
    require_add(user, Site)
    site = Site()
    links = _assign(user, site, payload.dict())
    saved = write(services.site_save, site, user=user, links=links)
    return Status(201, get_visible(_sites(user), user, pk=saved.pk))


@router.patch("/sites/{site_id}", response={200: SiteOut, **WRITE_ERRORS})
def update_site(request: HttpRequest, site_id: int, payload: Patch[SiteIn]) -> Site:
    """Change the fields sent; send the ETag of the last read as If-Match so that a change
    made since by someone else is not overwritten (412)."""
    user = current_user(request)
    site = get_changeable(_sites(user), user, pk=site_id)
    links = _assign(user, site, dict(payload))
    write(services.site_save, site, user=user, links=links)
    return get_visible(_sites(user), user, pk=site_id)


@router.get("/sites/{site_id}/photos", response={200: list[AttachmentOut], **READ_ERRORS})
def list_site_photos(request: HttpRequest, site_id: int) -> list[dict[str, Any]]:
    """The site's photos, oldest first, to those who see the site."""
    user = current_user(request)
    site = get_visible(_sites(user), user, pk=site_id)
    return [
        attachment_out(photo, "download_site_photo", site_id=site.pk, photo_id=photo.pk)
        for photo in attachments_of([site])[site]
    ]


@router.post(
    "/sites/{site_id}/photos",
    response={201: list[AttachmentOut], **WRITE_ERRORS},
    description="Multipart form: up to 10 `photos` (JPEG or PNG), each checked by its content.",
)
def add_site_photos(
    request: HttpRequest, site_id: int, photos: File[list[UploadedFile]]
) -> Status[list[dict[str, Any]]]:
    user = current_user(request)
    site = get_visible(_sites(user), user, pk=site_id)
    added = services.site_photos_add(site, user=user, photos=photos)
    return Status(
        201,
        [
            attachment_out(photo, "download_site_photo", site_id=site.pk, photo_id=photo.pk)
            for photo in added
        ],
    )


@router.get(
    "/sites/{site_id}/photos/{photo_id}",
    response=READ_ERRORS,
    openapi_extra=file_download("The photo, as uploaded.", "image/jpeg", "image/png"),
)
def download_site_photo(request: HttpRequest, site_id: int, photo_id: int) -> FileResponse:
    user = current_user(request)
    site = get_visible(_sites(user), user, pk=site_id)
    return attachment_response(attachment_of(site, photo_id))


# The Excel import (the page sites:site_import)


class SiteImportOut(Schema):
    count: int = Field(description="How many rows were saved (all of the file's).")


def _require_import(user: User) -> None:
    if not can_add(user, Site):
        raise PermissionDenied


@router.post(
    "/imports/excel/sites",
    response={201: SiteImportOut, **WRITE_ERRORS},
    tags=["imports"],
    description=IMPORT_API_DESCRIPTION,
)
def import_sites_excel(request: HttpRequest, file: File[UploadedFile]) -> Status[dict[str, int]]:
    """Create sacred sites from the Excel template (the page "Import sacred sites")."""
    user = current_user(request)
    _require_import(user)
    count = api_import(
        lambda: read_upload(file, imports.SITE_IMPORT),
        lambda rows: imports.import_sites(rows, user=user),
    )
    return Status(201, {"count": count})


@router.get(
    "/imports/excel/sites/template",
    response=WRITE_ERRORS,
    tags=["imports"],
    openapi_extra=file_download(
        "The template for importing sacred sites, with drop-down lists of what the caller may "
        "choose.",
        XLSX,
    ),
)
def sites_excel_template(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    _require_import(user)
    return imports.template_response(user)
