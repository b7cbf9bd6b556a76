"""The caller's own account: who am I, and my API tokens."""

import datetime

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Field, Router, Schema, Status

from kense.accounts import services
from kense.accounts.auth import current_user, session_auth
from kense.accounts.models import ApiToken, User
from kense.core.api import Message, Ref, ValidationErrors
from kense.core.permissions import Role

router = Router(tags=["me"])

NAME_REQUIRED = _("Give the token a name, such as the program that will use it.")
NAME_TOO_LONG = _("A token name is at most 100 characters long.")


class MeOut(Schema):
    id: int
    username: str
    name: str
    email: str
    role: Role
    territory: Ref | None
    organization: Ref | None
    language: str

    @staticmethod
    def resolve_name(obj: User) -> str:
        return str(obj)


class TokenOut(Schema):
    id: int
    name: str
    prefix: str = Field(description="The first characters of the key, to tell tokens apart.")
    created_at: datetime.datetime
    last_used_at: datetime.datetime | None


class NewTokenOut(TokenOut):
    key: str = Field(description="The token itself. It is shown this once and never again.")


class TokenIn(Schema):
    name: str


@router.get("/me", response={200: MeOut, 401: Message})
def get_me(request: HttpRequest) -> User:
    return current_user(request)


def _tokens(user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-pk")


@router.get("/me/tokens", response={200: list[TokenOut], 401: Message})
def list_tokens(request: HttpRequest) -> QuerySet[ApiToken]:
    return _tokens(current_user(request))


# Only the browser session may issue tokens: a leaked token must not be able to mint new ones
# that would outlive its own revocation.
@router.post(
    "/me/tokens",
    response={201: NewTokenOut, 401: Message, 403: Message, 422: ValidationErrors},
    auth=[session_auth],
)
def create_token(request: HttpRequest, payload: TokenIn) -> Status[NewTokenOut]:
    user = current_user(request)
    name = payload.name.strip()
    if not name:
        raise ValidationError({"name": NAME_REQUIRED})
    if len(name) > ApiToken.NAME_MAX_LENGTH:
        raise ValidationError({"name": NAME_TOO_LONG})
    token, key = services.api_token_issue(user=user, name=name)
    return Status(
        201,
        NewTokenOut(
            id=token.pk,
            name=token.name,
            prefix=token.prefix,
            created_at=token.created_at,
            last_used_at=token.last_used_at,
            key=key,
        ),
    )


@router.delete("/me/tokens/{token_id}", response={204: None, 401: Message, 404: Message})
def revoke_token(request: HttpRequest, token_id: int) -> Status[None]:
    token = _tokens(current_user(request)).filter(pk=token_id).first()
    if token is None:
        raise Http404
    services.api_token_revoke(token=token)
    return Status(204, None)
