"""Accounts in the API: the caller's own account and personal tokens; logging in without a
browser (POST /auth/token); the accounts the administrator and the project office manage;
and the service tokens of integrations. The token design is in docs/decisions.md ("API
tokens")."""

import datetime
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from kense.accounts import selectors, services
from kense.accounts.auth import (
    LockedOut,
    current_user,
    password_login,
    request_token,
    session_auth,
)
from kense.accounts.models import ApiToken, User
from kense.core.api import (
    INVALID_CHOICE,
    LARGEST_ID,
    READ_ERRORS,
    SMALLEST_ID,
    WRITE_ERRORS,
    Message,
    Ref,
    ValidationErrors,
    assign,
    write,
)
from kense.core.api.audit import HistoryEntryOut, history_out
from kense.core.pagination import Pagination
from kense.core.patch import Patch
from kense.core.permissions import Role
from kense.registry.models import Organization, Person, Territory

router = Router(tags=["me"])

# Kept here too: the profile page and older callers import them from the API module.
NAME_REQUIRED = services.NAME_REQUIRED
NAME_TOO_LONG = services.NAME_TOO_LONG


def _person_ref(person: Person | None) -> dict[str, Any] | None:
    return None if person is None else {"id": person.pk, "name": str(person)}


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
    expires_at: datetime.datetime | None = Field(
        None, description="When the token stops working; null: when it is revoked."
    )


class NewTokenOut(TokenOut):
    key: str = Field(description="The token itself. It is shown this once and never again.")


class TokenIn(Schema):
    name: str
    expires_at: datetime.datetime | None = Field(
        None, description="Optional: when the token stops working by itself."
    )


class TokenChangeIn(Schema):
    name: str
    expires_at: datetime.datetime | None = None


class AuthTokenIn(Schema):
    username: str
    password: str
    name: str = Field(description="What the token is for, e.g. the app and device.")
    expires_at: datetime.datetime | None = Field(
        None, description="Optional: when the token stops working by itself."
    )


def _new_token(token: ApiToken, key: str) -> NewTokenOut:
    return NewTokenOut(
        id=token.pk,
        name=token.name,
        prefix=token.prefix,
        created_at=token.created_at,
        last_used_at=token.last_used_at,
        expires_at=token.expires_at,
        key=key,
    )


@router.get("/me", response={200: MeOut, 401: Message})
def get_me(request: HttpRequest) -> User:
    return current_user(request)


# ---------------------------------------------------------------------------------------------
# Personal tokens
# ---------------------------------------------------------------------------------------------


@router.get("/me/tokens", response={200: list[TokenOut], 401: Message})
def list_tokens(request: HttpRequest) -> QuerySet[ApiToken]:
    return selectors.personal_tokens(current_user(request))


# Only the browser session may issue tokens here: a token that could mint tokens would let
# whoever stole it keep one after it is revoked. A program without a browser logs in with
# the password (POST /auth/token), which counts failures and locks out as the login page does.
@router.post(
    "/me/tokens",
    response={201: NewTokenOut, 401: Message, 403: Message, 422: ValidationErrors},
    auth=[session_auth],
)
def create_token(request: HttpRequest, payload: TokenIn) -> Status[NewTokenOut]:
    user = current_user(request)
    token, key = services.api_token_issue(
        user=user, name=payload.name, expires_at=payload.expires_at
    )
    return Status(201, _new_token(token, key))


@router.post(
    "/auth/token",
    response={201: NewTokenOut, 401: Message, 422: ValidationErrors, 429: Message},
    auth=None,
    tags=["auth"],
)
def obtain_token(request: HttpRequest, response: HttpResponse, payload: AuthTokenIn) -> Status[Any]:
    """Log in with a user name and password and get a new personal token (a mobile app, a
    script). Failed attempts count as on the login page: after AXES_FAILURE_LIMIT failures
    for a user name from one address, that name is locked out from there for
    AXES_COOLOFF_TIME hours, answered 429 with `Retry-After`, even with the right password.
    Wrong credentials answer 401."""
    services.token_name_clean(payload.name)  # a bad name is no failed login
    try:
        user = password_login(request, username=payload.username, password=payload.password)
    except LockedOut as locked:
        if locked.retry_after is not None:
            response["Retry-After"] = str(int(locked.retry_after.total_seconds()))
        return Status(429, {"detail": str(locked)})
    token, key = services.api_token_issue(
        user=user, name=payload.name, expires_at=payload.expires_at
    )
    return Status(201, _new_token(token, key))


def _own_token(request: HttpRequest, token_id: int) -> ApiToken:
    tokens = selectors.personal_tokens(current_user(request))
    token = tokens.filter(pk=token_id).first() if SMALLEST_ID <= token_id <= LARGEST_ID else None
    if token is None:
        raise Http404
    return token


@router.patch("/me/tokens/{token_id}", response={200: TokenOut, **WRITE_ERRORS})
def update_token(request: HttpRequest, token_id: int, payload: Patch[TokenChangeIn]) -> ApiToken:
    """Rename a personal token, or set (null: remove) its expiry."""
    token = _own_token(request, token_id)
    return services.api_token_change(token, **payload)


@router.post("/me/tokens/{token_id}/rotate", response={200: NewTokenOut, **WRITE_ERRORS})
def rotate_token(request: HttpRequest, token_id: int) -> NewTokenOut:
    """A new key for the token, answered once; the old key stops working at once. Through a
    token, only that same token may be rotated: another one's new key would outlive the
    revocation of the token that asked (from the browser, any of one's own)."""
    token = _own_token(request, token_id)
    asking = request_token(request)
    if asking is not None and asking.pk != token.pk:
        raise Http404
    key = services.api_token_rotate(token)
    return _new_token(token, key)


@router.delete("/me/tokens/{token_id}", response={204: None, 401: Message, 404: Message})
def revoke_token(request: HttpRequest, token_id: int) -> Status[None]:
    services.api_token_revoke(token=_own_token(request, token_id))
    return Status(204, None)


# ---------------------------------------------------------------------------------------------
# Users: managed by the administrator (everyone) and the project office (its subtree)
# ---------------------------------------------------------------------------------------------


class UserOut(Schema):
    id: int
    username: str
    name: str
    email: str
    first_name: str
    last_name: str
    role: Role
    territory: Ref | None
    organization: Ref | None
    person: Ref | None
    language: str
    is_active: bool
    has_password: bool = Field(
        description="false until the user has chosen a password (from the invitation letter)."
    )
    date_joined: datetime.datetime
    last_login: datetime.datetime | None

    @staticmethod
    def resolve_name(obj: User) -> str:
        return str(obj)

    @staticmethod
    def resolve_person(obj: User) -> dict[str, Any] | None:
        return _person_ref(obj.person)

    @staticmethod
    def resolve_has_password(obj: User) -> bool:
        return obj.has_usable_password()


class UserIn(Schema):
    username: str
    email: str = ""
    first_name: str = ""
    last_name: str = ""
    role: Role
    territory: int | None = Field(
        None, description="Where a coordinator or a regional role applies (a territory id)."
    )
    organization: int | None = Field(
        None, description="The organization of a department or institution account."
    )
    person: int | None = Field(None, description="The person (registry) behind the account.")
    language: Literal["kk", "ru", "en"] = "kk"
    is_active: bool = Field(
        True, description="false deactivates the account and revokes its tokens."
    )
    password: str | None = Field(
        None,
        description="A password to set. Left out when creating, the account gets none and "
        "an invitation letter to choose one (the e-mail address is then required).",
    )


def _user_references(user: User) -> dict[str, QuerySet[Any]]:
    return {
        "territory": Territory.objects.restrict(user),
        "organization": Organization.objects.restrict(user),
        "person": Person.objects.restrict(user),
    }


def _site(request: HttpRequest) -> services.Site:
    return services.Site(domain=request.get_host(), protocol=request.scheme or "https")


def _user_write(request: HttpRequest, target: User, data: dict[str, Any]) -> User:
    actor = current_user(request)
    password = data.pop("password", None)
    assign(target, data, _user_references(actor))
    return write(services.user_save, target, actor=actor, password=password, site=_site(request))


@router.get("/users", response=list[UserOut], tags=["users"])
@paginate(Pagination)
def list_users(
    request: HttpRequest, role: Role | None = None, active: bool | None = None, q: str = ""
) -> QuerySet[User]:
    """The accounts the caller manages (administrator: all; project office: those placed in
    its territory's subtree); 403 for any other role."""
    users = selectors.users_for(current_user(request))
    if role is not None:
        users = users.filter(role=role)
    if active is not None:
        users = users.filter(is_active=active)
    if q.strip():
        words = q.strip()
        users = users.filter(
            Q(username__icontains=words)
            | Q(email__icontains=words)
            | Q(first_name__icontains=words)
            | Q(last_name__icontains=words)
        )
    return users


@router.get(
    "/users/{user_id}", response={200: UserOut, 403: Message, **READ_ERRORS}, tags=["users"]
)
def get_user(request: HttpRequest, user_id: int) -> User:
    return selectors.user_for(current_user(request), user_id)


@router.post("/users", response={201: UserOut, **WRITE_ERRORS}, tags=["users"])
def create_user(request: HttpRequest, payload: UserIn) -> Status[User]:
    """A new account. Without a password it gets an invitation letter (a password reset link
    to its e-mail address) and no password until the user chooses one."""
    selectors.require_user_manager(current_user(request))
    return Status(201, _user_write(request, User(), payload.dict()))


@router.patch("/users/{user_id}", response={200: UserOut, **WRITE_ERRORS}, tags=["users"])
def update_user(request: HttpRequest, user_id: int, payload: Patch[UserIn]) -> User:
    """Change an account: its role, scope, person, activity (`is_active: false` deactivates
    it and revokes its tokens; accounts are never deleted), password."""
    actor = current_user(request)
    target = selectors.user_for(actor, user_id)
    return _user_write(request, target, dict(payload))


@router.get(
    "/users/{user_id}/history",
    response={200: list[HistoryEntryOut], 403: Message, **READ_ERRORS},
    tags=["users"],
)
def get_user_history(request: HttpRequest, user_id: int) -> list[dict[str, Any]]:
    """The account's versions, newest first, each with what changed and who changed it (the
    password and the calendar key are not kept in the history)."""
    return history_out(selectors.user_for(current_user(request), user_id))


# ---------------------------------------------------------------------------------------------
# Service tokens of integrations
# ---------------------------------------------------------------------------------------------


class ServiceTokenOut(Schema):
    id: int
    name: str
    prefix: str
    user: Ref = Field(description="The account the token acts as.")
    permissions: list[str] = Field(description="`<area>:read` / `<area>:write`, area = tag.")
    expires_at: datetime.datetime
    created_by: Ref | None
    created_at: datetime.datetime
    last_used_at: datetime.datetime | None

    @staticmethod
    def resolve_user(obj: ApiToken) -> dict[str, Any]:
        return {"id": obj.user_id, "name": str(obj.user)}

    @staticmethod
    def resolve_created_by(obj: ApiToken) -> dict[str, Any] | None:
        creator = obj.created_by
        return None if creator is None else {"id": creator.pk, "name": str(creator)}


class NewServiceTokenOut(ServiceTokenOut):
    key: str = Field(description="The token itself. It is shown this once and never again.")


class ServiceTokenIn(Schema):
    name: str
    user: int | None = Field(
        None,
        description="The account the token acts as: one the caller manages (best an account "
        "of its own for the integration); the caller's own when left out.",
    )
    permissions: list[str] = Field(
        description="What the token may do: `<area>:read` or `<area>:write` (write includes "
        "read), where the area is an operation's tag (`reports:write`, `people:read`)."
    )
    expires_at: datetime.datetime | None = Field(
        description="When the token stops working: required, within a year."
    )


@router.get("/service-tokens", response=list[ServiceTokenOut], tags=["service tokens"])
@paginate(Pagination)
def list_service_tokens(request: HttpRequest) -> QuerySet[ApiToken]:
    """The service tokens of the accounts the caller manages, and those it issued."""
    return selectors.service_tokens_for(current_user(request))


@router.post(
    "/service-tokens", response={201: NewServiceTokenOut, **WRITE_ERRORS}, tags=["service tokens"]
)
def create_service_token(request: HttpRequest, payload: ServiceTokenIn) -> Status[ApiToken]:
    actor = current_user(request)
    selectors.require_user_manager(actor)
    owner = None
    if payload.user is not None:
        owner = selectors.users_for(actor).filter(pk=payload.user).first()
        if owner is None and payload.user != actor.pk:
            raise ValidationError({"user": INVALID_CHOICE})
    token, key = services.service_token_issue(
        actor=actor,
        user=owner,
        name=payload.name,
        permissions=payload.permissions,
        expires_at=payload.expires_at,
    )
    token.key = key  # type: ignore[attr-defined]  # answered this once, never stored
    return Status(201, token)


@router.delete(
    "/service-tokens/{token_id}",
    response={204: None, 401: Message, 403: Message, 404: Message},
    tags=["service tokens"],
)
def revoke_service_token(request: HttpRequest, token_id: int) -> Status[None]:
    tokens = selectors.service_tokens_for(current_user(request))
    token = tokens.filter(pk=token_id).first() if SMALLEST_ID <= token_id <= LARGEST_ID else None
    if token is None:
        raise Http404
    services.api_token_revoke(token=token)
    return Status(204, None)
