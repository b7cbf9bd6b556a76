"""Publications in the media, and reading an article for the links it suggests.

Reads go through `restrict`, writes through `kense.media.services`, with the scopes of the
pages: a publication is seen where the territories it is about are seen.
"""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, File, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from kense.accounts.auth import current_user
from kense.accounts.models import User
from kense.core.api import INVALID_CHOICE, READ_ERRORS, WRITE_ERRORS, Text, referenced_many
from kense.core.filters import FilterValues, filtered
from kense.core.pagination import Pagination
from kense.core.patch import Patch
from kense.core.permissions import Action, get_changeable, get_visible, require_add
from kense.events.models import Event
from kense.media import ingest, selectors, services
from kense.media.filters import PublicationFilters, outlets
from kense.media.models import LINKS, Publication, PublicationKind, PublicationLanguage
from kense.meetings.models import Meeting
from kense.programs.models import Direction, Program, Project
from kense.registry.models import Organization, Person, Territory

router = Router(tags=["media"])

LINK_MODELS: dict[str, Any] = {
    "people": Person,
    "organizations": Organization,
    "territories": Territory,
    "programs": Program,
    "directions": Direction,
    "projects": Project,
    "events": Event,
    "meetings": Meeting,
}


class Link(Schema):
    """A linked object: its id and its name in the request's language."""

    id: int
    name: str

    @staticmethod
    def resolve_name(obj: Any) -> str:
        return str(obj)


class PublicationOut(Schema):
    id: int
    outlet: Link
    title: str
    url: Text
    date: datetime.date | None
    language: PublicationLanguage
    kind: PublicationKind
    reach: int | None
    text: Text
    people: list[Link]
    organizations: list[Link]
    territories: list[Link]
    programs: list[Link]
    directions: list[Link]
    projects: list[Link]
    events: list[Link]
    meetings: list[Link]


class PublicationIn(Schema):
    outlet: int = Field(description="Id of the media organization.")
    title: str
    url: str = ""
    date: datetime.date | None = None
    language: PublicationLanguage = PublicationLanguage.KAZAKH
    kind: PublicationKind = PublicationKind.ARTICLE
    reach: int | None = Field(default=None, ge=0)
    text: str = ""
    people: list[int] = Field(default_factory=list)
    organizations: list[int] = Field(default_factory=list)
    territories: list[int] = Field(default_factory=list)
    programs: list[int] = Field(default_factory=list)
    directions: list[int] = Field(default_factory=list)
    projects: list[int] = Field(default_factory=list)
    events: list[int] = Field(default_factory=list)
    meetings: list[int] = Field(default_factory=list)


class IngestIn(Schema):
    text: str = Field(default="", description="The article's text, pasted.")
    html: str = Field(default="", description="A saved HTML page; read as text, never run.")


class SuggestionOut(Schema):
    kind: str
    id: int
    name: str
    surfaces: list[str]


class VariantOut(Schema):
    kind: str
    id: int
    name: str
    seen: str = Field(description="The spelling in the text, to record as an alias.")
    known: str


class OptionOut(Schema):
    kind: str
    id: int
    name: str
    score: int = Field(description="How likely it is meant, from what the text says of it.")
    reasons: list[str] = Field(description="Why it scores so, in the reader's language.")
    where: str = Field(description="The territory it stands in (a village's district), if any.")


class ChoiceOut(Schema):
    surface: str = Field(description="The name as the text writes it.")
    options: list[OptionOut] = Field(
        description="The entries the name may stand for, likeliest first. Link the one meant: "
        "confirming with exactly one of them linked remembers it for the next texts of the "
        "territory."
    )


class IngestOut(Schema):
    title: str
    date: datetime.date | None
    views: int | None
    language: str
    text: str
    matcher_available: bool = Field(
        description="Always true: the matcher is part of Kense. Kept for clients written before."
    )
    matcher_timed_out: bool = Field(
        description="Finding the names took too long (KENSE_ARTICLE_MATCH_SECONDS): no links "
        "are suggested; link the publication by hand."
    )
    suggestions: list[SuggestionOut]
    choices: list[ChoiceOut] = Field(
        description="Names several entries share that the text does not settle: pick one."
    )
    variants: list[VariantOut]


class IngestAliasIn(Schema):
    kind: str = Field(description="The variant's `kind`.")
    id: int
    seen: str = Field(description="The variant's `seen` spelling, to record as an alias.")


class IngestConfirmIn(PublicationIn):
    text: str = Field(description="The article's text as POST /publications/ingest answered it.")
    aliases: list[IngestAliasIn] = Field(
        default_factory=list,
        description="Variants of that answer to record as aliases of their entry.",
    )


def _publications(user: User) -> QuerySet[Publication]:
    return selectors.publication_detail_queryset().filter(
        pk__in=Publication.objects.restrict(user, Action.VIEW).values("pk")
    )


def _links(user: User, data: dict[str, Any]) -> dict[str, list[Any]]:
    """The links named in the input as visible objects (only the fields given)."""
    links: dict[str, list[Any]] = {}
    errors: dict[str, Any] = {}
    for name in LINKS:
        try:
            found = referenced_many(LINK_MODELS[name].objects.restrict(user), data, name)
        except ValidationError as error:
            errors.update(error.message_dict)
            continue
        if found is not None:
            links[name] = found
    if errors:
        raise ValidationError(errors)
    return links


def _assign(user: User, publication: Publication, data: dict[str, Any]) -> None:
    if "outlet" in data:
        outlet = outlets(user).filter(pk=data.pop("outlet")).first()
        if outlet is None:
            raise ValidationError({"outlet": INVALID_CHOICE})
        publication.outlet = outlet
    for name, value in data.items():
        setattr(publication, name, "" if value is None and name in ("url", "text") else value)


@router.get("/publications", response=list[PublicationOut])
@paginate(Pagination)
@filtered(PublicationFilters)
def list_publications(request: HttpRequest, filters: FilterValues) -> QuerySet[Publication]:
    return selectors.publication_list(current_user(request), filters).prefetch_related(*LINKS)


# Before /publications/{publication_id}, which would otherwise take "ingest" as an id.
@router.post("/publications/ingest", response={200: IngestOut, **WRITE_ERRORS})
def ingest_article(request: HttpRequest, payload: IngestIn) -> dict[str, Any]:
    """Read an article (text or a saved page) and return what Kense found: title, date, views
    and the links it suggests among what the caller may see. Nothing is saved."""
    user = current_user(request)
    require_add(user, Publication)
    if payload.text and payload.html:
        raise ValidationError(_one_source())
    article = ingest.read_article(text=payload.text, html=payload.html, user=user)
    return _ingested(article)


# Before /publications/{publication_id}, as above.
@router.post("/publications/ingest/file", response={200: IngestOut, **WRITE_ERRORS})
def ingest_article_file(request: HttpRequest, file: File[UploadedFile]) -> dict[str, Any]:
    """Read an article from a file (multipart, field `file`): .txt, .html, .docx or .pdf,
    checked by its content and size as the page's upload is, then read as POST
    /publications/ingest reads a text. A PDF's text is read as the library reads it
    (pdftotext); a scan without text is refused. Nothing is saved."""
    user = current_user(request)
    require_add(user, Publication)
    try:
        article = ingest.read_article(upload=file, user=user)
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            raise
        raise ValidationError({"file": error.messages}) from error
    return _ingested(article)


def _ingested(article: ingest.Article) -> dict[str, Any]:
    return {
        "title": article.title,
        "date": article.date,
        "views": article.views,
        "language": ingest.guess_language(article.text),
        "text": article.text,
        "matcher_available": True,
        "matcher_timed_out": article.matcher_timed_out,
        "suggestions": [
            {"kind": s.kind, "id": s.pk, "name": s.label, "surfaces": s.surfaces}
            for s in article.suggestions
        ],
        "choices": [
            {
                "surface": choice.surface,
                "options": [
                    {
                        "kind": o.kind,
                        "id": o.pk,
                        "name": o.label,
                        "score": o.score,
                        "reasons": [str(reason) for reason in o.reasons],
                        "where": o.where,
                    }
                    for o in choice.options
                ],
            }
            for choice in article.choices
        ],
        "variants": [
            {"kind": v.kind, "id": v.pk, "name": v.label, "seen": v.seen, "known": v.known}
            for v in article.variants
        ],
    }


# The kind of entry each link field holds.
LINK_KINDS = {
    "people": "person",
    "organizations": "organization",
    "territories": "territory",
    "programs": "program",
    "directions": "direction",
    "projects": "project",
}


@router.post("/publications/ingest/confirm", response={201: PublicationOut, **WRITE_ERRORS})
def confirm_ingested_article(request: HttpRequest, payload: IngestConfirmIn) -> Status[Publication]:
    """Save an article read by POST /publications/ingest as a publication, with the links and
    aliases the caller confirmed (the review page's "Save"): all of it or nothing. The text is
    read again; an alias must be one of the variants found in it."""
    user = current_user(request)
    require_add(user, Publication)
    article = ingest.reviewed_article(payload.text, user)
    found = {(variant.kind, variant.pk, variant.seen) for variant in article.variants}
    aliases = [(alias.kind, alias.id, alias.seen) for alias in payload.aliases]
    if not set(aliases) <= found:
        raise ValidationError({"aliases": INVALID_CHOICE})
    data = payload.dict(exclude={"aliases"})
    links = _links(user, data)
    publication = Publication()
    _assign(user, publication, data)
    publication.text = article.text
    keys = [
        f"{LINK_KINDS[name]}:{obj.pk}"
        for name, objects in links.items()
        if name in LINK_KINDS
        for obj in objects
    ]
    saved = services.publication_ingest_confirm(
        publication,
        user=user,
        links=links,
        aliases=aliases,
        choices=ingest.chosen(article, keys),
        territory=ingest.choice_territory(user, links.get("territories", [])),
    )
    return Status(201, get_visible(_publications(user), user, pk=saved.pk))


@router.get("/publications/{publication_id}", response={200: PublicationOut, **READ_ERRORS})
def get_publication(request: HttpRequest, publication_id: int) -> Publication:
    user = current_user(request)
    return get_visible(_publications(user), user, pk=publication_id)


@router.post("/publications", response={201: PublicationOut, **WRITE_ERRORS})
def create_publication(request: HttpRequest, payload: PublicationIn) -> Status[Publication]:
    user = current_user(request)
    require_add(user, Publication)
    data = payload.dict()
    links = _links(user, data)
    publication = Publication()
    _assign(user, publication, data)
    saved = services.publication_save(publication, user=user, links=links)
    return Status(201, get_visible(_publications(user), user, pk=saved.pk))


@router.patch("/publications/{publication_id}", response={200: PublicationOut, **WRITE_ERRORS})
def update_publication(
    request: HttpRequest, publication_id: int, payload: Patch[PublicationIn]
) -> Publication:
    user = current_user(request)
    publication = get_changeable(_publications(user), user, pk=publication_id)
    data = dict(payload)
    links = _links(user, data)
    _assign(user, publication, data)
    services.publication_save(publication, user=user, links=links)
    return get_visible(_publications(user), user, pk=publication_id)


def _one_source() -> Any:
    from django.utils.translation import gettext

    return gettext("Give the article one way only: pasted text, a file or a saved page.")
