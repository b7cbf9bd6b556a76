"""Ideas: anyone with an account proposes and follows their own; the project office of a
territory evaluates its ideas (accept into a project or an event, reject with an answer, merge
into another idea). Reads go through `restrict`, writes through `kense.ideas.services`.
"""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import FileResponse, HttpRequest
from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from kense.accounts.auth import current_user
from kense.accounts.models import User
from kense.core.api import (
    READ_ERRORS,
    WRITE_ERRORS,
    AttachmentOut,
    Ref,
    Text,
    attachment_out,
    file_download,
    referenced,
)
from kense.core.attachments import attachment_of, attachment_response, attachments_of
from kense.core.files import CONTENT_TYPES
from kense.core.filters import FilterValues, filtered
from kense.core.pagination import Pagination
from kense.core.permissions import Action, get_changeable, get_visible
from kense.events.models import Event
from kense.ideas import selectors, services
from kense.ideas.filters import IdeaFilters
from kense.ideas.models import Idea, IdeaStatus
from kense.programs.models import Direction, Program, Project
from kense.registry.models import Territory

router = Router(tags=["ideas"])


class TitleRef(Schema):
    """A related idea or event: its id and its title."""

    id: int
    title: Text


class IdeaOut(Schema):
    id: int
    title: str
    description: str
    status: IdeaStatus
    answer: str
    direction: Ref | None
    territory: Ref
    proposer: str
    created_at: datetime.datetime
    accepted_project: Ref | None
    accepted_event: TitleRef | None
    merged_into: TitleRef | None = Field(
        None, description="The idea this one joined; shown to the proposer too."
    )
    evaluated_at: datetime.datetime | None

    @staticmethod
    def resolve_proposer(idea: Idea) -> str:
        return idea.proposed_by


class IdeaIn(Schema):
    title: str
    description: str
    territory: int
    direction: int | None = None


class AcceptIn(Schema):
    project: int | None = Field(None, description="An existing special project.")
    event: int | None = Field(None, description="An existing event.")
    new_project_program: int | None = Field(
        None, description="Create a new special project of this program from the idea."
    )
    answer: str = ""


class RejectIn(Schema):
    answer: str = Field(description="Why not; the proposer reads it.")


class MergeIn(Schema):
    into: int = Field(description="The idea this one joins.")
    answer: str = ""


def _ideas(user: User) -> QuerySet[Idea]:
    return Idea.objects.restrict(user, Action.VIEW).select_related(*selectors.RELATED)


@router.get("/ideas", response=list[IdeaOut])
@paginate(Pagination)
@filtered(IdeaFilters)
def list_ideas(request: HttpRequest, filters: FilterValues) -> QuerySet[Idea]:
    return selectors.idea_list(current_user(request), filters)


@router.get("/ideas/{idea_id}", response={200: IdeaOut, **READ_ERRORS})
def get_idea(request: HttpRequest, idea_id: int) -> Idea:
    user = current_user(request)
    return get_visible(_ideas(user), user, pk=idea_id)


@router.get("/ideas/{idea_id}/files", response={200: list[AttachmentOut], **READ_ERRORS})
def list_idea_files(request: HttpRequest, idea_id: int) -> list[dict[str, Any]]:
    """The files proposed with the idea, to those who see the idea."""
    user = current_user(request)
    idea = get_visible(_ideas(user), user, pk=idea_id)
    return [
        attachment_out(attachment, "download_idea_file", idea_id=idea.pk, file_id=attachment.pk)
        for attachment in attachments_of([idea])[idea]
    ]


@router.get(
    "/ideas/{idea_id}/files/{file_id}",
    response=READ_ERRORS,
    openapi_extra=file_download(
        "The file, as uploaded with the idea.", *dict.fromkeys(CONTENT_TYPES.values())
    ),
)
def download_idea_file(request: HttpRequest, idea_id: int, file_id: int) -> FileResponse:
    """A file of an idea (the page's download link), to those who see the idea."""
    user = current_user(request)
    idea = get_visible(_ideas(user), user, pk=idea_id)
    return attachment_response(attachment_of(idea, file_id))


@router.post(
    "/ideas",
    response={201: IdeaOut, **WRITE_ERRORS},
    description="Multipart form: the fields and up to 5 `files`, each checked by its content.",
)
def propose_idea(
    request: HttpRequest,
    payload: Form[IdeaIn],
    files: File[list[UploadedFile] | None] = None,
) -> Status[Idea]:
    user = current_user(request)
    # Any territory and direction may be named: the idea is about a place, not the proposer.
    territory = referenced(Territory.objects.all(), payload.territory, "territory")
    direction = referenced(Direction.objects.all(), payload.direction, "direction")
    assert territory is not None
    idea = services.idea_propose(
        user=user,
        title=payload.title,
        description=payload.description,
        territory=territory,
        direction=direction,
        uploads=files or [],
    )
    return Status(201, get_visible(_ideas(user), user, pk=idea.pk))


@router.post("/ideas/{idea_id}/accept", response={200: IdeaOut, **WRITE_ERRORS})
def accept_idea(request: HttpRequest, idea_id: int, payload: AcceptIn) -> Idea:
    user = current_user(request)
    idea = get_visible(_ideas(user), user, pk=idea_id)
    project = referenced(Project.objects.restrict(user), payload.project, "project")
    event = referenced(Event.objects.restrict(user), payload.event, "event")
    program = referenced(Program.objects.all(), payload.new_project_program, "new_project_program")
    services.idea_accept(
        idea,
        user=user,
        project=project,
        event=event,
        new_project_of=program,
        answer=payload.answer,
    )
    return get_visible(_ideas(user), user, pk=idea.pk)


@router.post("/ideas/{idea_id}/reject", response={200: IdeaOut, **WRITE_ERRORS})
def reject_idea(request: HttpRequest, idea_id: int, payload: RejectIn) -> Idea:
    user = current_user(request)
    idea = get_visible(_ideas(user), user, pk=idea_id)
    return services.idea_reject(idea, user=user, answer=payload.answer)


@router.post("/ideas/{idea_id}/merge", response={200: IdeaOut, **WRITE_ERRORS})
def merge_idea(request: HttpRequest, idea_id: int, payload: MergeIn) -> Idea:
    user = current_user(request)
    idea = get_changeable(_ideas(user), user, pk=idea_id)  # 403 before the other idea is read
    into = referenced(_ideas(user), payload.into, "into")
    assert into is not None
    try:
        services.idea_merge(idea, user=user, into=into, answer=payload.answer)
    except ValidationError as error:
        _rename(error, "merged_into", "into")
        raise
    return get_visible(_ideas(user), user, pk=idea.pk)


def _rename(error: ValidationError, old: str, new: str) -> None:
    """Report the service's field under the name the endpoint's input uses."""
    error_dict = getattr(error, "error_dict", None)
    if error_dict and old in error_dict:
        error_dict[new] = error_dict.pop(old)
