"""Accounts through the API: users managed by the administrator and the project office, their
history; personal tokens (logging in without a browser, renaming, rotating, expiry); service
tokens with permissions and an expiry; and who a token's writes are recorded as."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from factories import IdeaFactory, PersonFactory, TerritoryFactory, UserFactory
from kense.accounts import services
from kense.accounts.auth import token_auth
from kense.accounts.models import ApiToken, TokenKind, User
from kense.core.models import Letter
from kense.core.permissions import Role
from kense.registry.models import Organization, Person, Territory, TerritoryKind

pytestmark = pytest.mark.django_db

JSON = "application/json"
AsUser = Callable[..., Client]
PASSWORD = "Qarağandy-2020-strong"


@pytest.fixture
def region_x(db: Any) -> Territory:
    return TerritoryFactory(name_kk="Басқа облыс", kind=TerritoryKind.REGION)


@pytest.fixture
def coordinator_x(region_x: Territory) -> User:
    return UserFactory(role=Role.COORDINATOR, territory=region_x)


def _service_token(
    owner: User, permissions: list[str], *, expires_in: datetime.timedelta | None = None
) -> str:
    expires = timezone.now() + (expires_in or datetime.timedelta(days=30))
    _token, key = ApiToken.issue(
        user=owner,
        name="integration",
        kind=TokenKind.SERVICE,
        permissions=permissions,
        expires_at=expires,
    )
    return key


def _bearer(key: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}")


def _fields(response: Any) -> set[str | None]:
    return {error["field"] for error in response.json()["detail"]}


# ---------------------------------------------------------------------------------------------
# Users: who manages whom
# ---------------------------------------------------------------------------------------------


def test_the_office_lists_the_accounts_of_its_subtree_only(
    as_user: AsUser,
    project_office: User,
    administrator: User,
    coordinator_a: User,
    coordinator_x: User,
    organization_a: Organization,
) -> None:
    institution = UserFactory(role=Role.INSTITUTION, organization=organization_a)

    office = as_user(project_office).get("/api/v1/users")
    admin = as_user(administrator).get("/api/v1/users", {"page_size": 100})

    assert office.status_code == 200
    assert {item["id"] for item in office.json()["items"]} == {
        project_office.pk,
        coordinator_a.pk,
        institution.pk,
    }
    assert {coordinator_x.pk, administrator.pk} <= {item["id"] for item in admin.json()["items"]}


def test_the_user_list_filters_by_role_and_words(
    as_user: AsUser, project_office: User, coordinator_a: User, observer: User
) -> None:
    client = as_user(project_office)

    by_role = client.get("/api/v1/users", {"role": "coordinator"}).json()["items"]
    by_word = client.get("/api/v1/users", {"q": coordinator_a.username}).json()["items"]

    assert [item["id"] for item in by_role] == [coordinator_a.pk]
    assert [item["id"] for item in by_word] == [coordinator_a.pk]


@pytest.mark.parametrize("role", ["executive", "observer", "coordinator_a"])
def test_other_roles_may_not_read_the_user_list_nor_write(
    request: pytest.FixtureRequest, as_user: AsUser, role: str, district_a: Territory
) -> None:
    user: User = request.getfixturevalue(role)
    client = as_user(user)

    listed = client.get("/api/v1/users")
    read = client.get(f"/api/v1/users/{user.pk}")
    created = client.post(
        "/api/v1/users",
        {
            "username": "new",
            "role": "coordinator",
            "territory": district_a.pk,
            "password": PASSWORD,
        },
        content_type=JSON,
    )
    raised = client.patch(f"/api/v1/users/{user.pk}", {"role": "administrator"}, content_type=JSON)
    me = client.get("/api/v1/me")

    assert [listed.status_code, read.status_code, created.status_code] == [403, 403, 403]
    assert raised.status_code == 403
    assert listed.json()["detail"]
    assert me.status_code == 200
    user.refresh_from_db()
    assert user.role != Role.ADMINISTRATOR
    assert not User.objects.filter(username="new").exists()


def test_the_office_creates_a_coordinator_with_a_password(
    as_user: AsUser, project_office: User, district_a: Territory
) -> None:
    person = PersonFactory(territory=district_a)

    response = as_user(project_office).post(
        "/api/v1/users",
        {
            "username": "aliya",
            "email": "aliya@example.kz",
            "role": "coordinator",
            "territory": district_a.pk,
            "person": person.pk,
            "password": PASSWORD,
        },
        content_type=JSON,
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["territory"]["id"] == district_a.pk
    assert body["person"]["id"] == person.pk
    assert body["has_password"] is True
    assert "password" not in body
    user = User.objects.get(username="aliya")
    assert user.check_password(PASSWORD)
    assert not Letter.objects.exists()
    # The new account logs in without a browser.
    login = Client().post(
        "/api/v1/auth/token",
        {"username": "aliya", "password": PASSWORD, "name": "phone"},
        content_type=JSON,
    )
    assert login.status_code == 201


def test_without_a_password_the_account_is_invited_by_a_reset_letter(
    as_user: AsUser, project_office: User, district_a: Territory, client: Client
) -> None:
    response = as_user(project_office).post(
        "/api/v1/users",
        {
            "username": "berik",
            "email": "berik@example.kz",
            "role": "coordinator",
            "territory": district_a.pk,
            "language": "ru",
        },
        content_type=JSON,
    )

    assert response.status_code == 201, response.json()
    assert response.json()["has_password"] is False
    user = User.objects.get(username="berik")
    assert not user.has_usable_password()
    letter = Letter.objects.get()
    assert letter.recipients == ["berik@example.kz"]
    link = re.search(r"https?://[^/]+(/\S+)", letter.body)
    assert link is not None and "/ru/accounts/password/reset/" in link.group(1)
    # The link lets the user choose a password.
    form_page = client.get(link.group(1), follow=True)
    assert form_page.status_code == 200
    chosen = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": PASSWORD, "new_password2": PASSWORD}
    )
    assert chosen.status_code == 302
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_an_invitation_needs_an_email_address(
    as_user: AsUser, project_office: User, district_a: Territory
) -> None:
    response = as_user(project_office).post(
        "/api/v1/users",
        {"username": "noemail", "role": "coordinator", "territory": district_a.pk},
        content_type=JSON,
    )

    assert response.status_code == 422
    assert "email" in _fields(response)
    assert not User.objects.filter(username="noemail").exists()


def test_password_validators_apply(
    as_user: AsUser, project_office: User, district_a: Territory
) -> None:
    response = as_user(project_office).post(
        "/api/v1/users",
        {
            "username": "weak",
            "role": "coordinator",
            "territory": district_a.pk,
            "password": "12345",
        },
        content_type=JSON,
    )

    assert response.status_code == 422
    messages = [e["message"] for e in response.json()["detail"] if e["field"] == "password"]
    assert len(messages) >= 2  # too short, too common, entirely numeric
    assert not User.objects.filter(username="weak").exists()


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"role": "coordinator"}, "territory"),
        ({"role": "institution"}, "organization"),
        ({"role": "department", "organization": "A", "territory": "A"}, "territory"),
        # Without a territory a regional role would see the whole database.
        ({"role": "observer"}, "territory"),
        ({"role": "administrator"}, "role"),
        ({"role": "coordinator", "territory": "X"}, "territory"),
        ({"role": "institution", "organization": "B"}, "organization"),
        ({"role": "coordinator", "territory": "A", "person": "X"}, "person"),
        ({"role": "coordinator", "territory": "A", "email": "not an address"}, "email"),
        ({"role": "coordinator", "territory": "A", "username": "taken"}, "username"),
    ],
)
def test_the_office_is_refused_what_the_role_lacks_or_what_is_beyond_its_reach(
    as_user: AsUser,
    project_office: User,
    district_a: Territory,
    region_x: Territory,
    organization_a: Organization,
    payload: dict[str, Any],
    field: str,
) -> None:
    UserFactory(username="taken")
    organization_x = Organization.objects.create(
        name_kk="Басқа ұйым", name_ru="Другая", territory=region_x, kind="other"
    )
    person_x = PersonFactory(territory=region_x)
    ids = {
        "territory": {"A": district_a.pk, "X": region_x.pk},
        "organization": {"A": organization_a.pk, "B": organization_x.pk},
        "person": {"X": person_x.pk},
    }
    data: dict[str, Any] = {"username": "someone", "password": PASSWORD}
    for name, value in payload.items():
        data[name] = ids[name][value] if name in ids else value

    response = as_user(project_office).post("/api/v1/users", data, content_type=JSON)

    assert response.status_code == 422, response.json()
    assert field in _fields(response)
    assert not User.objects.filter(username="someone").exists()


def test_the_administrator_may_give_any_role_anywhere(as_user: AsUser, administrator: User) -> None:
    response = as_user(administrator).post(
        "/api/v1/users",
        {"username": "second-admin", "role": "administrator", "password": PASSWORD},
        content_type=JSON,
    )

    assert response.status_code == 201
    assert User.objects.get(username="second-admin").role == Role.ADMINISTRATOR


def test_the_office_cannot_raise_anyone_to_administrator_nor_reach_one(
    as_user: AsUser, project_office: User, coordinator_a: User, administrator: User
) -> None:
    client = as_user(project_office)

    raised = client.patch(
        f"/api/v1/users/{coordinator_a.pk}", {"role": "administrator"}, content_type=JSON
    )
    itself = client.patch(
        f"/api/v1/users/{project_office.pk}", {"role": "administrator"}, content_type=JSON
    )
    admin = client.patch(
        f"/api/v1/users/{administrator.pk}", {"first_name": "Changed"}, content_type=JSON
    )

    assert raised.status_code == 422 and "role" in _fields(raised)
    assert itself.status_code == 422
    assert admin.status_code == 404
    coordinator_a.refresh_from_db()
    project_office.refresh_from_db()
    assert coordinator_a.role == Role.COORDINATOR
    assert project_office.role == Role.PROJECT_OFFICE


def test_the_office_cannot_move_an_account_out_of_its_subtree(
    as_user: AsUser, project_office: User, coordinator_a: User, region_x: Territory
) -> None:
    response = as_user(project_office).patch(
        f"/api/v1/users/{coordinator_a.pk}", {"territory": region_x.pk}, content_type=JSON
    )

    assert response.status_code == 422
    assert "territory" in _fields(response)


def test_the_office_cannot_reach_an_account_of_another_region(
    as_user: AsUser, project_office: User, coordinator_x: User
) -> None:
    client = as_user(project_office)

    assert client.get(f"/api/v1/users/{coordinator_x.pk}").status_code == 404
    assert client.get(f"/api/v1/users/{coordinator_x.pk}/history").status_code == 404
    patched = client.patch(
        f"/api/v1/users/{coordinator_x.pk}", {"is_active": False}, content_type=JSON
    )
    assert patched.status_code == 404
    coordinator_x.refresh_from_db()
    assert coordinator_x.is_active


def test_deactivation_revokes_the_tokens_and_keeps_the_account(
    as_user: AsUser, project_office: User, coordinator_a: User
) -> None:
    _token, key = ApiToken.issue(user=coordinator_a, name="phone")
    service = _service_token(coordinator_a, ["reports:read"])

    response = as_user(project_office).patch(
        f"/api/v1/users/{coordinator_a.pk}", {"is_active": False}, content_type=JSON
    )

    assert response.status_code == 200
    assert response.json()["is_active"] is False
    assert User.objects.filter(pk=coordinator_a.pk).exists()
    assert not ApiToken.objects.filter(user=coordinator_a).exists()
    assert _bearer(key).get("/api/v1/me").status_code == 401
    assert _bearer(service).get("/api/v1/me").status_code == 401


def test_nobody_deactivates_their_own_account(as_user: AsUser, project_office: User) -> None:
    response = as_user(project_office).patch(
        f"/api/v1/users/{project_office.pk}", {"is_active": False}, content_type=JSON
    )

    assert response.status_code == 422
    assert "is_active" in _fields(response)


def test_users_cannot_be_deleted(as_user: AsUser, administrator: User, observer: User) -> None:
    response = as_user(administrator).delete(f"/api/v1/users/{observer.pk}")

    assert response.status_code == 405
    assert User.objects.filter(pk=observer.pk).exists()


def test_a_new_password_set_by_the_office_revokes_the_tokens(
    as_user: AsUser, project_office: User, coordinator_a: User
) -> None:
    _token, key = ApiToken.issue(user=coordinator_a, name="phone")

    response = as_user(project_office).patch(
        f"/api/v1/users/{coordinator_a.pk}", {"password": PASSWORD}, content_type=JSON
    )

    assert response.status_code == 200
    coordinator_a.refresh_from_db()
    assert coordinator_a.check_password(PASSWORD)
    assert _bearer(key).get("/api/v1/me").status_code == 401


# ---------------------------------------------------------------------------------------------
# A user's history
# ---------------------------------------------------------------------------------------------


def test_every_change_of_role_scope_and_activity_is_kept_with_who_made_it(
    as_user: AsUser,
    project_office: User,
    administrator: User,
    district_a: Territory,
    district_b: Territory,
) -> None:
    office = as_user(project_office)
    created = office.post(
        "/api/v1/users",
        {
            "username": "dana",
            "role": "coordinator",
            "territory": district_a.pk,
            "password": PASSWORD,
        },
        content_type=JSON,
    ).json()
    url = f"/api/v1/users/{created['id']}"
    office.patch(url, {"territory": district_b.pk}, content_type=JSON)
    as_user(administrator).patch(url, {"role": "observer"}, content_type=JSON)
    office.patch(url, {"is_active": False}, content_type=JSON)
    office.patch(url, {"password": "Another-2021-strong"}, content_type=JSON)

    response = office.get(f"{url}/history")

    assert response.status_code == 200
    entries = response.json()
    assert [entry["user"] for entry in entries] == [
        str(project_office),
        str(project_office),
        str(administrator),
        str(project_office),
        str(project_office),
    ]
    changed = [{change["field"]: change for change in entry["changes"]} for entry in entries]
    assert changed[0] == {}  # the new password: recorded as a change, its hash kept nowhere
    assert set(changed[1]) == {"is_active"}
    assert set(changed[2]) == {"role"}
    assert changed[2]["role"]["old"] != changed[2]["role"]["new"]
    assert changed[3]["territory"]["old"] == "Жаңаарқа ауданы"
    assert changed[3]["territory"]["new"] == "Ұлытау ауданы"
    every_field = {field for entry in changed for field in entry}
    assert not every_field & {"password", "feed_key", "last_login"}


def test_logging_in_and_a_new_calendar_address_add_no_version(
    client: Client, observer: User
) -> None:
    from kense.accounts.services import calendar_address_renew

    versions = observer.history.count()  # type: ignore[attr-defined]

    client.force_login(observer, backend="django.contrib.auth.backends.ModelBackend")
    calendar_address_renew(user=observer)

    assert observer.history.count() == versions  # type: ignore[attr-defined]


# ---------------------------------------------------------------------------------------------
# Logging in without a browser: POST /auth/token
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def aliya(db: Any) -> User:
    return UserFactory(username="aliya", password=PASSWORD)


def _login(password: str, *, address: str = "192.0.2.10", username: str = "aliya") -> Any:
    return Client(REMOTE_ADDR=address).post(
        "/api/v1/auth/token",
        {"username": username, "password": password, "name": "Mobile app"},
        content_type=JSON,
    )


def test_a_password_gives_a_personal_token(aliya: User) -> None:
    response = _login(PASSWORD)

    assert response.status_code == 201
    body = response.json()
    token = ApiToken.objects.get(pk=body["id"])
    assert token.user == aliya and token.kind == TokenKind.PERSONAL
    assert token.name == "Mobile app"
    assert _bearer(body["key"]).get("/api/v1/me").json()["id"] == aliya.pk


@pytest.mark.parametrize("password", ["wrong", ""])
def test_bad_credentials_get_401(aliya: User, password: str) -> None:
    response = _login(password)

    assert response.status_code == 401
    assert response.json()["detail"]
    assert not ApiToken.objects.exists()


def test_an_inactive_account_gets_no_token(aliya: User) -> None:
    aliya.is_active = False
    aliya.save()

    assert _login(PASSWORD).status_code == 401


def test_failed_logins_lock_out_as_on_the_login_page(aliya: User, settings: Any) -> None:
    settings.AXES_ENABLED = True
    answers = [_login("wrong").status_code for _ in range(settings.AXES_FAILURE_LIMIT)]

    locked = _login(PASSWORD)
    elsewhere = _login(PASSWORD, address="192.0.2.20")

    assert answers[:-1] == [401] * (settings.AXES_FAILURE_LIMIT - 1)
    assert answers[-1] == 429
    assert locked.status_code == 429
    # The API's own answer, not the login page's lockout page that AxesMiddleware makes.
    assert "тым көп сәтсіз" in locked.json()["detail"]  # said in Kazakh, the default
    assert int(locked["Retry-After"]) == 3600
    assert elsewhere.status_code == 201
    assert ApiToken.objects.count() == 1


def test_a_success_clears_the_failures(aliya: User, settings: Any) -> None:
    settings.AXES_ENABLED = True
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _login("wrong")

    assert _login(PASSWORD).status_code == 201
    assert _login("wrong").status_code == 401  # counted from zero again, not locked out


def test_the_login_page_and_the_api_count_together(aliya: User, settings: Any) -> None:
    settings.AXES_ENABLED = True
    page = Client(REMOTE_ADDR="192.0.2.10")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        page.post("/kk/accounts/login/", {"username": "aliya", "password": "wrong"})

    assert _login(PASSWORD).status_code == 429


def test_a_token_needs_a_name_and_a_bad_name_is_no_failed_login(aliya: User, settings: Any) -> None:
    settings.AXES_ENABLED = True
    response = Client().post(
        "/api/v1/auth/token",
        {"username": "aliya", "password": "wrong", "name": " "},
        content_type=JSON,
    )

    assert response.status_code == 422
    from axes.models import AccessAttempt

    assert not AccessAttempt.objects.exists()


# ---------------------------------------------------------------------------------------------
# Personal tokens: rename, rotate, expire
# ---------------------------------------------------------------------------------------------


def test_a_token_is_renamed(as_user: AsUser, observer: User) -> None:
    token, _key = ApiToken.issue(user=observer, name="old name")

    response = as_user(observer).patch(
        f"/api/v1/me/tokens/{token.pk}", {"name": "Excel import"}, content_type=JSON
    )
    empty = as_user(observer).patch(
        f"/api/v1/me/tokens/{token.pk}", {"name": ""}, content_type=JSON
    )

    assert response.status_code == 200
    assert response.json()["name"] == "Excel import"
    assert "key" not in response.json()
    token.refresh_from_db()
    assert token.name == "Excel import"
    assert empty.status_code == 422


def test_someone_elses_token_is_not_found(as_user: AsUser, observer: User) -> None:
    theirs, _key = ApiToken.issue(user=UserFactory(), name="theirs")

    renamed = as_user(observer).patch(
        f"/api/v1/me/tokens/{theirs.pk}", {"name": "mine"}, content_type=JSON
    )
    rotated = as_user(observer).post(f"/api/v1/me/tokens/{theirs.pk}/rotate")

    assert renamed.status_code == 404 and rotated.status_code == 404
    theirs.refresh_from_db()
    assert theirs.name == "theirs"


def test_rotation_answers_a_new_key_once_and_the_old_one_stops_at_once(
    observer: User,
) -> None:
    token, old_key = ApiToken.issue(user=observer, name="script")
    client = _bearer(old_key)

    response = client.post(f"/api/v1/me/tokens/{token.pk}/rotate")

    assert response.status_code == 200
    new_key = response.json()["key"]
    assert new_key != old_key
    assert response.json()["id"] == token.pk
    assert client.get("/api/v1/me").status_code == 401
    assert _bearer(new_key).get("/api/v1/me").status_code == 200
    listed = _bearer(new_key).get("/api/v1/me/tokens").json()
    assert all("key" not in item for item in listed)


def test_a_token_rotates_only_itself_the_browser_any(client: Client, observer: User) -> None:
    _token, key = ApiToken.issue(user=observer, name="script")
    other, other_key = ApiToken.issue(user=observer, name="other")

    through_token = _bearer(key).post(f"/api/v1/me/tokens/{other.pk}/rotate")
    client.force_login(observer)
    in_the_browser = client.post(f"/api/v1/me/tokens/{other.pk}/rotate")

    assert through_token.status_code == 404
    assert in_the_browser.status_code == 200
    assert _bearer(other_key).get("/api/v1/me").status_code == 401


def test_an_expired_personal_token_gets_401(client: Client, observer: User) -> None:
    _token, key = ApiToken.issue(
        user=observer, name="old", expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )

    response = _bearer(key).get("/api/v1/me")

    assert response.status_code == 401
    assert "мерзімі өтті" in response.json()["detail"]


def test_a_personal_token_may_be_given_an_expiry(client: Client, observer: User) -> None:
    client.force_login(observer)
    soon = timezone.now() + datetime.timedelta(days=7)

    created = client.post(
        "/api/v1/me/tokens",
        {"name": "week", "expires_at": soon.isoformat()},
        content_type=JSON,
    )
    past = client.post(
        "/api/v1/me/tokens",
        {"name": "past", "expires_at": "2020-01-01T00:00:00+05:00"},
        content_type=JSON,
    )

    assert created.status_code == 201
    assert ApiToken.objects.get(pk=created.json()["id"]).expires_at == soon
    assert past.status_code == 422 and "expires_at" in _fields(past)


def test_the_profile_page_lists_personal_tokens_only(client: Client, observer: User) -> None:
    ApiToken.issue(user=observer, name="my script")
    _service_token(observer, ["reports:read"])
    client.force_login(observer)

    page = client.get("/kk/accounts/profile/")

    assert page.status_code == 200
    assert "my script" in page.content.decode()
    assert "integration" not in page.content.decode()


# ---------------------------------------------------------------------------------------------
# Service tokens
# ---------------------------------------------------------------------------------------------


def test_the_office_issues_a_service_token_for_an_account_it_manages(
    as_user: AsUser, project_office: User, coordinator_a: User
) -> None:
    expires = timezone.now() + datetime.timedelta(days=90)

    response = as_user(project_office).post(
        "/api/v1/service-tokens",
        {
            "name": "District statistics",
            "user": coordinator_a.pk,
            "permissions": ["reports:write", "territories:read"],
            "expires_at": expires.isoformat(),
        },
        content_type=JSON,
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["user"]["id"] == coordinator_a.pk
    assert body["created_by"]["id"] == project_office.pk
    assert body["permissions"] == ["reports:write", "territories:read"]
    token = ApiToken.objects.get(pk=body["id"])
    assert token.kind == TokenKind.SERVICE and token.key_hash == ApiToken.hash_key(body["key"])
    listed = as_user(project_office).get("/api/v1/service-tokens").json()["items"]
    assert [item["id"] for item in listed] == [token.pk]
    assert all("key" not in item for item in listed)
    # Not among the coordinator's personal tokens.
    assert as_user(coordinator_a).get("/api/v1/me/tokens").json()[0]["name"] == "tests"


def test_a_service_token_without_a_user_acts_as_its_issuer(
    as_user: AsUser, project_office: User
) -> None:
    response = as_user(project_office).post(
        "/api/v1/service-tokens",
        {
            "name": "Reports bot",
            "permissions": ["reports:read"],
            "expires_at": (timezone.now() + datetime.timedelta(days=1)).isoformat(),
        },
        content_type=JSON,
    )

    assert response.status_code == 201
    assert response.json()["user"]["id"] == project_office.pk


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"expires_at": None}, "expires_at"),
        ({"expires_at": "2020-01-01T00:00:00+05:00"}, "expires_at"),
        ({"expires_in_days": 400}, "expires_at"),
        ({"permissions": []}, "permissions"),
        ({"permissions": ["reports:delete"]}, "permissions"),
        ({"permissions": ["nothing:read"]}, "permissions"),
        ({"permissions": ["users:write"]}, "permissions"),
        ({"permissions": ["me:read"]}, "permissions"),
        ({"user": "x"}, "user"),
        ({"name": ""}, "name"),
    ],
)
def test_a_service_token_needs_an_expiry_within_a_year_known_permissions_and_a_reachable_user(
    as_user: AsUser,
    project_office: User,
    coordinator_x: User,
    change: dict[str, Any],
    field: str,
) -> None:
    data: dict[str, Any] = {
        "name": "bot",
        "permissions": ["reports:read"],
        "expires_at": (timezone.now() + datetime.timedelta(days=30)).isoformat(),
    }
    for name, value in change.items():
        if name == "expires_in_days":
            data["expires_at"] = (timezone.now() + datetime.timedelta(days=value)).isoformat()
        elif name == "user":
            data["user"] = coordinator_x.pk
        else:
            data[name] = value

    response = as_user(project_office).post("/api/v1/service-tokens", data, content_type=JSON)

    assert response.status_code == 422, response.json()
    assert field in _fields(response)
    assert not ApiToken.objects.filter(kind=TokenKind.SERVICE).exists()


@pytest.mark.parametrize("role", ["executive", "observer", "coordinator_a"])
def test_only_the_administrator_and_the_office_manage_service_tokens(
    request: pytest.FixtureRequest, as_user: AsUser, role: str, project_office: User
) -> None:
    user: User = request.getfixturevalue(role)
    issued, _key = ApiToken.issue(
        user=user,
        name="bot",
        kind=TokenKind.SERVICE,
        permissions=["reports:read"],
        expires_at=timezone.now() + datetime.timedelta(days=3),
    )
    client = as_user(user)

    listed = client.get("/api/v1/service-tokens")
    created = client.post(
        "/api/v1/service-tokens",
        {"name": "x", "permissions": ["reports:read"], "expires_at": "2030-01-01T00:00:00Z"},
        content_type=JSON,
    )
    revoked = client.delete(f"/api/v1/service-tokens/{issued.pk}")

    assert [listed.status_code, created.status_code, revoked.status_code] == [403, 403, 403]
    assert ApiToken.objects.filter(pk=issued.pk).exists()


def test_the_office_revokes_the_service_tokens_it_reaches_only(
    as_user: AsUser, project_office: User, coordinator_a: User, coordinator_x: User
) -> None:
    mine = _service_token(coordinator_a, ["reports:read"])
    theirs = _service_token(coordinator_x, ["reports:read"])
    mine_id = ApiToken.objects.get(key_hash=ApiToken.hash_key(mine)).pk
    theirs_id = ApiToken.objects.get(key_hash=ApiToken.hash_key(theirs)).pk
    client = as_user(project_office)

    assert client.delete(f"/api/v1/service-tokens/{theirs_id}").status_code == 404
    assert client.delete(f"/api/v1/service-tokens/{mine_id}").status_code == 204
    assert _bearer(mine).get("/api/v1/me").status_code == 401
    assert _bearer(theirs).get("/api/v1/me").status_code == 200


def test_a_service_token_reaches_only_its_permitted_areas(
    coordinator_a: User, district_a: Territory
) -> None:
    client = _bearer(_service_token(coordinator_a, ["territories:read", "people:write"]))

    territories = client.get("/api/v1/territories")
    territory_write = client.patch(
        f"/api/v1/territories/{district_a.pk}", {"name_en": "Zhanaarka"}, content_type=JSON
    )
    people = client.post(
        "/api/v1/people",
        {
            "surname_kk": "Сейітов",
            "surname_ru": "Сеитов",
            "given_name_kk": "Ерлан",
            "given_name_ru": "Ерлан",
            "territory": district_a.pk,
        },
        content_type=JSON,
    )
    people_read = client.get("/api/v1/people")  # write includes read
    programs = client.get("/api/v1/programs")
    me = client.get("/api/v1/me")

    assert territories.status_code == 200
    assert territory_write.status_code == 403
    assert "territories:write" in territory_write.json()["detail"]
    assert people.status_code == 201
    assert people_read.status_code == 200
    assert programs.status_code == 403
    assert "programs:read" in programs.json()["detail"]
    assert me.status_code == 200
    district_a.refresh_from_db()
    assert district_a.name_en != "Zhanaarka"


def test_a_service_token_never_manages_accounts_or_tokens(administrator: User) -> None:
    key = _service_token(administrator, ["reports:write"])
    client = _bearer(key)
    token = ApiToken.objects.get(key_hash=ApiToken.hash_key(key))

    answers = [
        client.get("/api/v1/users").status_code,
        client.get("/api/v1/me/tokens").status_code,
        client.post(f"/api/v1/me/tokens/{token.pk}/rotate").status_code,
        client.get("/api/v1/service-tokens").status_code,
        client.post(
            "/api/v1/service-tokens",
            {"name": "x", "permissions": ["reports:read"], "expires_at": "2030-01-01T00:00:00Z"},
            content_type=JSON,
        ).status_code,
    ]

    assert answers == [403, 403, 403, 403, 403]
    assert ApiToken.objects.count() == 1


def test_a_service_token_acts_within_its_users_rights(coordinator_a: User) -> None:
    # Permissions narrow what the account may do; they never widen it.
    client = _bearer(_service_token(coordinator_a, ["users:read", "positions:write"]))

    assert client.get("/api/v1/users").status_code == 403


def test_an_expired_service_token_gets_401(coordinator_a: User) -> None:
    key = _service_token(coordinator_a, ["territories:read"])
    ApiToken.objects.filter(key_hash=ApiToken.hash_key(key)).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )

    response = _bearer(key).get("/api/v1/territories")

    assert response.status_code == 401
    assert "мерзімі өтті" in response.json()["detail"]


# ---------------------------------------------------------------------------------------------
# A token's writes are its user's in the history
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["personal", "service"])
def test_a_write_through_a_token_is_recorded_as_the_tokens_user(
    coordinator_a: User, district_a: Territory, kind: str
) -> None:
    person: Person = PersonFactory(territory=district_a)
    if kind == "personal":
        _token, key = ApiToken.issue(user=coordinator_a, name="script")
    else:
        key = _service_token(coordinator_a, ["people:write"])

    response = _bearer(key).patch(
        f"/api/v1/people/{person.pk}", {"email": "new@example.kz"}, content_type=JSON
    )

    assert response.status_code == 200, response.json()
    latest = person.history.order_by("-history_id").first()  # type: ignore[attr-defined]
    assert latest.email == "new@example.kz"
    assert latest.history_user == coordinator_a


def test_an_account_changed_meanwhile_is_not_overwritten(
    as_user: AsUser, project_office: User, administrator: User, coordinator_a: User
) -> None:
    office = as_user(project_office)
    read = office.get(f"/api/v1/users/{coordinator_a.pk}")
    as_user(administrator).patch(
        f"/api/v1/users/{coordinator_a.pk}", {"first_name": "Әкімші"}, content_type=JSON
    )

    stale = office.patch(
        f"/api/v1/users/{coordinator_a.pk}",
        {"first_name": "Кеңсе"},
        content_type=JSON,
        HTTP_IF_MATCH=read["ETag"],
    )

    assert stale.status_code == 412
    assert stale.json()["detail"]
    coordinator_a.refresh_from_db()
    assert coordinator_a.first_name == "Әкімші"


def test_token_auth_puts_the_tokens_user_where_history_reads_it(
    coordinator_a: User, district_a: Territory, rf: Any
) -> None:
    # A save that names no user is recorded as the request's user (simple-history's
    # middleware keeps the request); a token's request has the token's user there.
    person: Person = PersonFactory(territory=district_a)
    key = _service_token(coordinator_a, ["people:write"])
    request = rf.patch(f"/api/v1/people/{person.pk}")
    request.user = AnonymousUser()
    HistoricalRecords.context.request = request
    try:
        assert token_auth.authenticate(request, key) == coordinator_a
        person.email = "seen@example.kz"
        person.save()
    finally:
        del HistoricalRecords.context.request

    latest = person.history.order_by("-history_id").first()
    assert latest.history_user == coordinator_a


@pytest.mark.parametrize("kind", ["personal", "service"])
def test_an_idea_rejected_through_a_token_is_recorded_as_the_tokens_user(
    project_office: User, observer: User, district_a: Territory, kind: str
) -> None:
    idea = IdeaFactory(territory=district_a, proposer=observer)
    if kind == "personal":
        _token, key = ApiToken.issue(user=project_office, name="script")
    else:
        key = _service_token(project_office, ["ideas:write"])

    response = _bearer(key).post(
        f"/api/v1/ideas/{idea.pk}/reject", {"answer": "Бюджет жоқ."}, content_type=JSON
    )

    assert response.status_code == 200, response.json()
    latest = idea.history.order_by("-history_id").first()
    assert latest.status == "rejected"
    assert latest.history_user == project_office


def test_an_account_has_at_most_20_live_personal_tokens(aliya: User) -> None:
    # A program that logs in at every start instead of keeping its token is stopped at 20,
    # rather than piling up tokens without end; an expired one does not count.
    for _ in range(services.PERSONAL_TOKENS_MAX - 1):
        services.api_token_issue(user=aliya, name="Mobile app")
    expired, _key = services.api_token_issue(user=aliya, name="Old")
    ApiToken.objects.filter(pk=expired.pk).update(
        expires_at=timezone.now() - datetime.timedelta(days=1)
    )

    twentieth = _login(PASSWORD)
    refused = _login(PASSWORD)
    page = Client()
    page.force_login(aliya)
    on_the_page = page.post(reverse("accounts:profile"), {"name": "Браузер"}, follow=True)

    assert twentieth.status_code == 201
    assert refused.status_code == 422
    assert "20" in refused.json()["detail"][0]["message"]
    assert ApiToken.objects.filter(user=aliya).count() == services.PERSONAL_TOKENS_MAX + 1
    assert on_the_page.status_code == 200
    assert "20" in " ".join(str(m) for m in on_the_page.context["messages"])
