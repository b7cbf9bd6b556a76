"""Who may call the API: tokens, the session, the caller's own account and tokens, the docs."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from factories import UserFactory
from kense.accounts.models import ApiToken, User
from kense.core.permissions import Role
from kense.registry.models import Territory

pytestmark = pytest.mark.django_db

JSON = "application/json"
AsUser = Callable[..., Client]

LIST_URLS = [
    "/api/v1/me",
    "/api/v1/me/tokens",
    "/api/v1/territories",
    "/api/v1/organizations",
    "/api/v1/people",
    "/api/v1/positions",
    "/api/v1/staff-posts",
    "/api/v1/appointments",
    "/api/v1/programs",
    "/api/v1/directions",
    "/api/v1/projects",
]


@pytest.mark.parametrize("url", LIST_URLS)
def test_anonymous_gets_401(client: Client, url: str) -> None:
    response = client.get(url)

    assert response.status_code == 401
    assert response.json()["detail"]
    assert response["WWW-Authenticate"] == "Bearer"


def test_anonymous_write_gets_401_not_a_csrf_error(client: Client) -> None:
    response = Client(enforce_csrf_checks=True).post(
        "/api/v1/territories",
        {"name_kk": "Аудан", "name_ru": "Атауы", "kind": "district"},
        content_type=JSON,
    )

    assert response.status_code == 401


@pytest.mark.parametrize("header", ["Bearer kense_not-a-real-key", "Bearer ", "Token abc", "x"])
def test_bad_token_gets_401(client: Client, observer: User, header: str) -> None:
    ApiToken.issue(user=observer, name="real")

    response = client.get("/api/v1/territories", HTTP_AUTHORIZATION=header)

    assert response.status_code == 401


def test_good_token_is_accepted_and_marked_used(
    client: Client, observer: User, region: Territory
) -> None:
    token, key = ApiToken.issue(user=observer, name="script")

    response = client.get("/api/v1/territories", HTTP_AUTHORIZATION=f"Bearer {key}")

    assert response.status_code == 200
    assert [item["id"] for item in response.json()["items"]] == [region.pk]
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_last_used_is_written_at_most_once_a_minute(
    client: Client, observer: User, django_assert_num_queries: Any
) -> None:
    token, key = ApiToken.issue(user=observer, name="script")
    recently = timezone.now() - datetime.timedelta(seconds=30)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=recently)

    # The token lookup and the page: no write.
    with django_assert_num_queries(2):
        client.get("/api/v1/me/tokens", HTTP_AUTHORIZATION=f"Bearer {key}")
    token.refresh_from_db()
    assert token.last_used_at == recently

    long_ago = timezone.now() - datetime.timedelta(minutes=5)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=long_ago)
    client.get("/api/v1/me/tokens", HTTP_AUTHORIZATION=f"Bearer {key}")
    token.refresh_from_db()
    assert token.last_used_at is not None and token.last_used_at > long_ago


def test_token_of_an_inactive_user_gets_401(client: Client, observer: User) -> None:
    _token, key = ApiToken.issue(user=observer, name="script")
    observer.is_active = False
    observer.save()

    response = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {key}")

    assert response.status_code == 401


def test_only_the_hash_of_the_key_is_stored(observer: User) -> None:
    token, key = ApiToken.issue(user=observer, name="script")

    assert key not in {token.key_hash, token.prefix, token.name}
    assert token.key_hash == ApiToken.hash_key(key)


def test_session_works(client: Client, observer: User, region: Territory) -> None:
    client.force_login(observer)

    response = client.get("/api/v1/territories")

    assert response.status_code == 200
    assert response.json()["count"] == 1


def test_session_writes_need_the_csrf_token(project_office: User, region: Territory) -> None:
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(project_office)
    payload = {"name_kk": "Аудан", "name_ru": "Район", "kind": "district", "parent": region.pk}

    without = browser.post("/api/v1/territories", payload, content_type=JSON)
    browser.get("/api/v1/docs")  # sets the CSRF cookie, as the docs page does in a browser
    csrf = browser.cookies["csrftoken"].value
    with_token = browser.post(
        "/api/v1/territories", payload, content_type=JSON, HTTP_X_CSRFTOKEN=csrf
    )

    assert without.status_code == 403
    assert with_token.status_code == 201, with_token.json()


def test_token_writes_need_no_csrf_token(
    as_user: AsUser, project_office: User, region: Territory
) -> None:
    client = as_user(project_office, enforce_csrf_checks=True)

    response = client.post(
        "/api/v1/territories",
        {"name_kk": "Аудан", "name_ru": "Район", "kind": "district", "parent": region.pk},
        content_type=JSON,
    )

    assert response.status_code == 201


# ---------------------------------------------------------------------------------------------
# The caller's own account and tokens
# ---------------------------------------------------------------------------------------------


def test_me(as_user: AsUser, coordinator_a: User, district_a: Territory) -> None:
    response = as_user(coordinator_a).get("/api/v1/me")

    assert response.status_code == 200
    body = response.json()
    assert body["username"] == coordinator_a.username
    assert body["role"] == Role.COORDINATOR
    assert body["territory"] == {"id": district_a.pk, "name": "Жаңаарқа ауданы"}
    assert body["organization"] is None


def test_tokens_are_listed_for_their_owner_only(as_user: AsUser, observer: User) -> None:
    ApiToken.issue(user=UserFactory(), name="someone else's")
    client = as_user(observer)  # issues the observer's token "tests"
    ApiToken.issue(user=observer, name="report script")

    response = client.get("/api/v1/me/tokens")

    assert response.status_code == 200
    assert [token["name"] for token in response.json()] == ["report script", "tests"]
    assert all("key" not in token and "key_hash" not in token for token in response.json())


def test_a_token_is_created_in_the_browser_and_its_key_shown_once(
    client: Client, observer: User
) -> None:
    client.force_login(observer)

    created = client.post("/api/v1/me/tokens", {"name": "Excel import"}, content_type=JSON)

    assert created.status_code == 201
    key = created.json()["key"]
    token = ApiToken.objects.get(pk=created.json()["id"])
    assert token.user == observer
    assert token.key_hash == ApiToken.hash_key(key)
    listed = client.get("/api/v1/me/tokens").json()
    assert "key" not in listed[0]
    me = Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert me.json()["id"] == observer.pk


def test_a_token_cannot_mint_tokens(as_user: AsUser, observer: User) -> None:
    response = as_user(observer).post("/api/v1/me/tokens", {"name": "more"}, content_type=JSON)

    assert response.status_code == 401
    assert not ApiToken.objects.filter(name="more").exists()


def test_a_token_needs_a_name(client: Client, observer: User) -> None:
    client.force_login(observer)

    response = client.post(
        "/api/v1/me/tokens", {"name": "  "}, content_type=JSON, HTTP_ACCEPT_LANGUAGE="ru"
    )

    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "name"
    assert response.json()["detail"][0]["message"]


def test_revoke_a_token(as_user: AsUser, client: Client, observer: User) -> None:
    token, key = ApiToken.issue(user=observer, name="old script")
    someone_elses, _key = ApiToken.issue(user=UserFactory(), name="theirs")
    api = as_user(observer)

    revoked = api.delete(f"/api/v1/me/tokens/{token.pk}")
    not_mine = api.delete(f"/api/v1/me/tokens/{someone_elses.pk}")

    assert revoked.status_code == 204
    assert not_mine.status_code == 404
    assert ApiToken.objects.filter(pk=someone_elses.pk).exists()
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401


# ---------------------------------------------------------------------------------------------
# The API's own documents
# ---------------------------------------------------------------------------------------------


def test_openapi_document_lists_the_paths(client: Client) -> None:
    response = client.get("/api/v1/openapi.json")

    assert response.status_code == 200
    document = response.json()
    assert document["info"]["title"] == "Kense API"
    paths = document["paths"]
    for resource in (
        "territories",
        "organizations",
        "people",
        "positions",
        "staff-posts",
        "appointments",
        "programs",
        "directions",
        "projects",
    ):
        assert f"/api/v1/{resource}" in paths
        item_path = next(path for path in paths if path.startswith(f"/api/v1/{resource}/{{"))
        assert set(paths[item_path]) == {"get", "patch"}
        assert set(paths[f"/api/v1/{resource}"]) == {"get", "post"}
    assert "/api/v1/me/tokens" in paths
    for path in ("/api/v1/auth/token", "/api/v1/users", "/api/v1/service-tokens"):
        assert path in paths
    # Logging in with a password needs no credentials beforehand.
    assert not paths["/api/v1/auth/token"]["post"].get("security")
    assert paths["/api/v1/me/tokens"]["get"].get("security")


def test_a_token_may_not_create_tokens_but_the_password_may(observer: User) -> None:
    _token, key = ApiToken.issue(user=observer, name="script")
    observer.set_password("Qarağandy-2020-strong")
    observer.save()  # a new password revokes the tokens: the old key is gone
    client = Client(HTTP_AUTHORIZATION=f"Bearer {key}")

    through_token = client.post("/api/v1/me/tokens", {"name": "more"}, content_type=JSON)
    with_password = Client().post(
        "/api/v1/auth/token",
        {"username": observer.username, "password": "Qarağandy-2020-strong", "name": "more"},
        content_type=JSON,
    )

    assert through_token.status_code == 401
    assert with_password.status_code == 201
    assert list(ApiToken.objects.filter(user=observer).values_list("name", flat=True)) == ["more"]


def test_an_expired_token_is_not_tried_as_a_session(client: Client, observer: User) -> None:
    _token, key = ApiToken.issue(
        user=observer, name="old", expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    client.force_login(observer)

    response = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {key}")

    assert response.status_code == 401
    assert response.json()["detail"]


def test_docs_use_bundled_scripts_only(client: Client) -> None:
    response = client.get("/api/v1/docs")

    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower()
    assert '<script src="http' not in html
