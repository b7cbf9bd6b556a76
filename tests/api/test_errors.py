"""Every answer of the API is JSON in its documented shape, errors included: `detail` for
people and a stable `code` for programs, whatever status and whoever answered it (the API's
handlers, ninja, Django's 404/500, a middleware). Query parameters an operation does not
declare are refused; date-times are said one way."""

from __future__ import annotations

import datetime
import json
import logging
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import RequestDataTooBig
from django.db import IntegrityError
from django.http import HttpResponse, JsonResponse
from django.test import Client, RequestFactory, override_settings
from django.utils import timezone
from ninja.errors import Throttled

from factories import AssignmentFactory, MeetingFactory, ProgramFactory
from kense.accounts.models import ApiToken, User
from kense.api import JsonErrors, api
from kense.registry.models import Organization

pytestmark = pytest.mark.django_db

AsUser = Callable[..., Client]
JSON = "application/json"
OFFSET = re.compile(r"T\d\d:\d\d:\d\d(\.\d+)?[+-]\d\d:\d\d$")


def error(response: Any, status: int, code: str) -> Any:
    """The body of an error answer, after checking its status, type and shape."""
    assert response.status_code == status, response.content
    assert response["Content-Type"].split(";")[0] == JSON
    body = response.json()
    assert body["code"] == code
    assert "detail" in body
    return body


def session(user: User, **defaults: Any) -> Client:
    client = Client(**defaults)
    client.force_login(user)
    return client


# ---------------------------------------------------------------------------------------------
# One shape and a code for every status
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/api/v1/nothing-here", "/api/v1/programs/1/nothing", "/api/v2/programs", "/api/"]
)
def test_an_unknown_api_address_answers_json_404(
    as_user: AsUser, observer: User, path: str
) -> None:
    response = as_user(observer).get(path, HTTP_ACCEPT_LANGUAGE="ru")

    assert error(response, 404, "not_found")["detail"] == "Не найдено."


def test_an_unknown_page_still_answers_the_page(client: Client) -> None:
    response = client.get("/kk/nothing-here/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_an_object_out_of_sight_answers_404_with_its_code(as_user: AsUser, observer: User) -> None:
    response = as_user(observer).get("/api/v1/programs/987654", HTTP_ACCEPT_LANGUAGE="en")

    assert error(response, 404, "not_found") == {"detail": "Not found.", "code": "not_found"}


def test_a_failure_answers_json_500_and_is_logged(
    as_user: AsUser, observer: User, monkeypatch: pytest.MonkeyPatch, caplog: Any
) -> None:
    def failing(user: User) -> Any:
        raise RuntimeError("a defect")

    monkeypatch.setattr("kense.programs.api._programs", failing)
    client = as_user(observer, raise_request_exception=False)

    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = client.get(f"/api/v1/programs/{ProgramFactory().pk}", HTTP_ACCEPT_LANGUAGE="en")

    assert set(error(response, 500, "server_error")) == {"detail", "code"}
    assert any(
        record.exc_info and "a defect" in str(record.exc_info[1]) for record in caplog.records
    )


def test_a_method_a_path_does_not_take_answers_json_405(as_user: AsUser, observer: User) -> None:
    # ninja answered "Method not allowed" as text.
    response = as_user(observer).delete("/api/v1/programs", HTTP_ACCEPT_LANGUAGE="en")

    body = error(response, 405, "method_not_allowed")
    assert body["detail"] == "This address does not take this method."
    assert set(response["Allow"].split(", ")) == {"GET", "POST"}


def test_no_credentials_answer_401(client: Client) -> None:
    response = client.get("/api/v1/programs", HTTP_ACCEPT_LANGUAGE="en")

    assert error(response, 401, "not_authenticated")["detail"].startswith("Authentication")
    assert response["WWW-Authenticate"] == "Bearer"


def test_a_forbidden_write_answers_403(as_user: AsUser, observer: User) -> None:
    # Programs are the region's: an observer sees them all and changes none.
    program = ProgramFactory()

    response = as_user(observer).patch(
        f"/api/v1/programs/{program.pk}", {}, content_type=JSON, HTTP_ACCEPT_LANGUAGE="en"
    )

    body = error(response, 403, "permission_denied")
    assert body["detail"] == "You do not have permission to perform this action."


def test_a_session_write_without_its_csrf_token_answers_403_csrf_failed(observer: User) -> None:
    client = session(observer, enforce_csrf_checks=True)

    response = client.post("/api/v1/me/tokens", {"name": "script"}, content_type=JSON)

    error(response, 403, "csrf_failed")
    assert not ApiToken.objects.exists()


def test_invalid_input_answers_422_with_the_fields(observer: User) -> None:
    response = session(observer).post(
        "/api/v1/me/tokens", {}, content_type=JSON, HTTP_ACCEPT_LANGUAGE="en"
    )

    body = error(response, 422, "invalid")
    assert body["detail"] == [{"field": "name", "message": "This field is required."}]


def test_a_service_refusal_answers_422_invalid(observer: User) -> None:
    response = session(observer).post(
        "/api/v1/me/tokens", {"name": "  "}, content_type=JSON, HTTP_ACCEPT_LANGUAGE="en"
    )

    assert [item["field"] for item in error(response, 422, "invalid")["detail"]] == ["name"]


def test_a_body_that_is_not_json_answers_400_unreadable_body(observer: User) -> None:
    response = session(observer).post("/api/v1/me/tokens", "{not json", content_type=JSON)

    assert response.status_code in {400, 422}
    body = response.json()
    if response.status_code == 400:
        assert body["code"] == "unreadable_body"
    else:
        assert body["code"] == "invalid"


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
def test_a_body_beyond_the_upload_limit_answers_json_413(observer: User) -> None:
    # Django answered it as a 400 "Bad Request" (RequestDataTooBig is a SuspiciousOperation).
    response = session(observer).post(
        "/api/v1/me/tokens", {"name": "x" * 2000}, content_type=JSON, HTTP_ACCEPT_LANGUAGE="en"
    )

    assert error(response, 413, "request_too_large")["detail"] == "The request is too large."
    assert not ApiToken.objects.exists()


def test_a_unique_value_taken_meanwhile_answers_409_not_500(
    observer: User, monkeypatch: pytest.MonkeyPatch, caplog: Any
) -> None:
    def racing(**kwargs: Any) -> Any:
        raise IntegrityError("UNIQUE constraint failed: accounts_apitoken.key_hash")

    monkeypatch.setattr("kense.accounts.services.api_token_issue", racing)
    client = session(observer, raise_request_exception=False)

    with caplog.at_level(logging.WARNING, logger="kense.api"):
        response = client.post("/api/v1/me/tokens", {"name": "script"}, content_type=JSON)

    error(response, 409, "conflict")
    assert any("UNIQUE constraint" in record.getMessage() for record in caplog.records)


def test_a_stale_if_match_answers_412_stale_revision(
    as_user: AsUser, project_office: User, organization_a: Organization
) -> None:
    client = as_user(project_office)
    url = f"/api/v1/organizations/{organization_a.pk}"
    tag = client.get(url)["ETag"]
    assert client.patch(url, {"name_kk": "Бірінші"}, content_type=JSON).status_code == 200

    response = client.patch(url, {"name_kk": "Екінші"}, content_type=JSON, HTTP_IF_MATCH=tag)

    body = error(response, 412, "stale_revision")
    assert body["revision"] is not None


def test_if_match_to_an_operation_that_compares_nothing_answers_412_with_its_code(
    as_user: AsUser, project_office: User, organization_a: Organization
) -> None:
    client = as_user(project_office)
    tag = client.get(f"/api/v1/organizations/{organization_a.pk}")["ETag"]

    response = client.post(
        "/api/v1/organizations",
        {
            "name_kk": "Колледж",
            "name_ru": "Колледж",
            "kind": "college",
            "territory": organization_a.territory_id,
        },
        content_type=JSON,
        HTTP_IF_MATCH=tag,
    )

    assert error(response, 412, "revision_not_compared")["changes"] == []


def test_a_throttled_operation_answers_429_with_retry_after(
    as_user: AsUser, observer: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Nothing throttles the API today (axes guards the login page, the reset limits the
    # password reset page); whatever does later is answered in the same shape.
    def throttled(user: User) -> Any:
        raise Throttled(wait=30)

    monkeypatch.setattr("kense.programs.api._programs", throttled)

    response = as_user(observer).get(
        f"/api/v1/programs/{ProgramFactory().pk}", HTTP_ACCEPT_LANGUAGE="en"
    )

    assert error(response, 429, "throttled")["detail"].startswith("Too many requests")
    assert response["Retry-After"] == "30"


@pytest.mark.parametrize(
    ("answer", "status", "code"),
    [
        # django-axes' lockout, as it answers a request that asks for JSON.
        (JsonResponse({"failure_limit": 10, "username": "x"}, status=429), 429, "throttled"),
        (HttpResponse("Account locked", status=403), 403, "permission_denied"),
        (HttpResponse("Too large", status=413), 413, "request_too_large"),
        (HttpResponse("<h1>Bad Request</h1>", status=400), 400, "bad_request"),
    ],
)
def test_an_error_answered_outside_the_api_is_reshaped_under_api(
    answer: HttpResponse, status: int, code: str
) -> None:
    answer["Retry-After"] = "3600"
    middleware = JsonErrors(lambda request: answer)

    response = middleware(RequestFactory().get("/api/v1/me"))
    page = middleware(RequestFactory().get("/kk/accounts/login/"))

    assert response.status_code == status
    assert json.loads(response.content)["code"] == code
    assert set(json.loads(response.content)) == {"detail", "code"}
    assert response["Retry-After"] == "3600"
    assert page is answer


def test_a_body_too_large_for_a_view_outside_ninja_is_a_json_413_under_api() -> None:
    middleware = JsonErrors(lambda request: HttpResponse())

    answer = middleware.process_exception(
        RequestFactory().post("/api/v1/docs"), RequestDataTooBig("too big")
    )
    page = middleware.process_exception(
        RequestFactory().post("/kk/imports/"), RequestDataTooBig("too big")
    )

    assert answer is not None
    assert answer.status_code == 413
    assert json.loads(answer.content)["code"] == "request_too_large"
    assert page is None  # the pages' own 400


def test_the_openapi_document_gives_every_error_schema_its_code() -> None:
    document = api.get_openapi_schema()
    schemas = document["components"]["schemas"]

    for name in ("Message", "ValidationErrors", "StaleRevisionError"):
        assert "code" in schemas[name]["required"], name
        assert schemas[name]["properties"]["code"]["type"] == "string"
    patch = document["paths"]["/api/v1/programs/{program_id}"]["patch"]["responses"]
    assert {"401", "403", "404", "409", "412", "413", "422"} <= {str(key) for key in patch}
    listing = document["paths"]["/api/v1/programs"]["get"]["responses"]
    assert "422" in {str(key) for key in listing}
    assert not {"409", "412", "413"} & {str(key) for key in listing}


# ---------------------------------------------------------------------------------------------
# Unknown query parameters
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/programs?colour=red",
        "/api/v1/territories?kind=region&colour=red",
        "/api/v1/me?colour=red",
        "/api/v1/me/tokens?colour=red",
        "/api/v1/assignments?colour=red&page=1",
    ],
)
def test_a_query_parameter_an_operation_does_not_declare_is_refused(
    as_user: AsUser, observer: User, path: str
) -> None:
    response = as_user(observer).get(path, HTTP_ACCEPT_LANGUAGE="en")

    body = error(response, 422, "unknown_parameter")
    assert body["detail"] == [{"field": "colour", "message": "Unknown parameter."}]


def test_an_operation_with_path_parameters_refuses_unknown_ones_too(
    as_user: AsUser, observer: User
) -> None:
    program = ProgramFactory()
    client = as_user(observer)

    response = client.get(f"/api/v1/programs/{program.pk}?expand=projects&lang=ru")

    assert [item["field"] for item in error(response, 422, "unknown_parameter")["detail"]] == [
        "expand",
        "lang",
    ]


def test_a_write_refuses_unknown_query_parameters_and_changes_nothing(observer: User) -> None:
    response = session(observer).post(
        "/api/v1/me/tokens?dry_run=1", {"name": "script"}, content_type=JSON
    )

    error(response, 422, "unknown_parameter")
    assert not ApiToken.objects.exists()


def test_declared_parameters_and_the_cache_buster_are_taken(
    as_user: AsUser, observer: User
) -> None:
    client = as_user(observer)

    assert client.get("/api/v1/territories?q=&page=1&page_size=5&kind=region").status_code == 200
    assert client.get("/api/v1/programs?_=1733480000000").status_code == 200
    assert client.get("/api/v1/me?_=1").status_code == 200


def test_an_anonymous_request_is_told_401_before_its_parameters(client: Client) -> None:
    response = client.get("/api/v1/programs?colour=red")

    error(response, 401, "not_authenticated")


def test_every_operation_of_every_router_refuses_unknown_parameters() -> None:
    # The check is the API's, not each endpoint's: operations added by any router get it.
    for router in api._get_bound_routers():
        for path, path_view in router.path_operations.items():
            for operation in path_view.operations:
                assert getattr(operation.view_func, "kense_strict", False), path


# ---------------------------------------------------------------------------------------------
# Date-times: one form out, one reading in
# ---------------------------------------------------------------------------------------------


def test_output_date_times_carry_the_region_offset(as_user: AsUser, observer: User) -> None:
    client = as_user(observer)

    created_at = client.get("/api/v1/me/tokens").json()[0]["created_at"]

    assert OFFSET.search(created_at), created_at
    parsed = datetime.datetime.fromisoformat(created_at)
    assert parsed.utcoffset() == timezone.localtime(parsed).utcoffset()
    assert not created_at.endswith("Z")
    assert abs(parsed - timezone.now()) < datetime.timedelta(minutes=5)


def test_a_date_time_given_with_another_offset_is_answered_in_the_region_time(
    as_user: AsUser, project_office: User, organization_a: Organization
) -> None:
    meeting = MeetingFactory(organizer=organization_a, state="draft")
    client = as_user(project_office)
    # 2027: Asia/Almaty is UTC+5 since March 2024.
    start, end = "2027-04-21T10:00:00+00:00", "2027-04-21T12:00:00+00:00"

    response = client.patch(
        f"/api/v1/meetings/{meeting.pk}", {"start": start, "end": end}, content_type=JSON
    )

    assert response.status_code == 200, response.json()
    assert response.json()["start"] == "2027-04-21T15:00:00+05:00"
    assert client.get(f"/api/v1/meetings/{meeting.pk}").json()["start"] == (
        "2027-04-21T15:00:00+05:00"
    )


def test_a_date_time_without_offset_is_read_in_the_region_time_zone(
    as_user: AsUser, project_office: User, organization_a: Organization
) -> None:
    meeting = MeetingFactory(organizer=organization_a, state="draft")

    response = as_user(project_office).patch(
        f"/api/v1/meetings/{meeting.pk}",
        {"start": "2027-04-21T10:00:00", "end": "2027-04-21T12:00:00"},
        content_type=JSON,
    )

    assert response.status_code == 200, response.json()
    meeting.refresh_from_db()
    assert meeting.start == datetime.datetime(2027, 4, 21, 5, 0, tzinfo=datetime.UTC)
    assert response.json()["end"] == "2027-04-21T12:00:00+05:00"


# ---------------------------------------------------------------------------------------------
# A review's "extend" without a date says so (it said the date must be later)
# ---------------------------------------------------------------------------------------------


def test_a_review_extending_without_a_date_is_told_to_give_the_deadline(
    as_user: AsUser, project_office: User, organization_a: Organization
) -> None:
    deadline = timezone.localdate() + datetime.timedelta(days=30)
    assignment = AssignmentFactory(
        lead_organization=organization_a, controller=project_office, deadline=deadline
    )
    start = timezone.now() + datetime.timedelta(days=7)
    meeting = MeetingFactory(
        organizer=organization_a,
        state="draft",
        start=start,
        end=start + datetime.timedelta(hours=2),
    )
    client = as_user(project_office)
    url = f"/api/v1/meetings/{meeting.pk}/reviews"

    missing = client.post(
        url,
        {"assignment": assignment.pk, "choice": "extend"},
        content_type=JSON,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    earlier = client.post(
        url,
        {"assignment": assignment.pk, "choice": "extend", "new_deadline": deadline.isoformat()},
        content_type=JSON,
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert error(missing, 422, "invalid")["detail"] == [
        {"field": "new_deadline", "message": "Give the new deadline."}
    ]
    assert error(earlier, 422, "invalid")["detail"] == [
        {"field": "new_deadline", "message": "The new deadline must be later than the current one."}
    ]
    assignment.refresh_from_db()
    assert assignment.deadline == deadline


# ---------------------------------------------------------------------------------------------
# Lists: page and page_size everywhere, and the total in the same header
# ---------------------------------------------------------------------------------------------


def test_a_paginated_list_says_its_total_in_the_header_too(as_user: AsUser, observer: User) -> None:
    ProgramFactory.create_batch(3)

    response = as_user(observer).get("/api/v1/programs?page_size=2")

    assert response.status_code == 200
    assert len(response.json()["items"]) == 2
    assert response["X-Total-Count"] == str(response.json()["count"]) == "3"


def test_a_plain_list_answers_the_whole_array_as_in_v1_or_the_page_asked_for(
    as_user: AsUser, observer: User
) -> None:
    for name in ("first", "second", "third"):
        ApiToken.issue(user=observer, name=name)
    client = as_user(observer)  # a fourth token

    whole = client.get("/api/v1/me/tokens")
    second_page = client.get("/api/v1/me/tokens?page=2&page_size=3")
    past_the_end = client.get("/api/v1/me/tokens?page=3&page_size=3")

    assert len(whole.json()) == 4
    assert whole["X-Total-Count"] == "4"
    assert [token["id"] for token in second_page.json()] == [whole.json()[3]["id"]]
    assert second_page["X-Total-Count"] == "4"
    assert past_the_end.json() == []


@pytest.mark.parametrize(
    ("query", "field"), [("page=0", "page"), ("page_size=0", "page_size"), ("page=x", "page")]
)
def test_a_plain_list_refuses_a_page_out_of_bounds(
    as_user: AsUser, observer: User, query: str, field: str
) -> None:
    response = as_user(observer).get(f"/api/v1/me/tokens?{query}")

    assert [item["field"] for item in error(response, 422, "invalid")["detail"]] == [field]


def test_the_openapi_document_gives_every_list_page_parameters_and_its_total() -> None:
    document = api.get_openapi_schema()

    for path, methods in document["paths"].items():
        ok = methods.get("get", {}).get("responses", {}).get(200)
        schema = (ok or {}).get("content", {}).get("application/json", {}).get("schema", {})
        if schema.get("type") != "array" and "Paged" not in schema.get("$ref", ""):
            continue
        names = {p["name"] for p in methods["get"].get("parameters", []) if p["in"] == "query"}
        assert {"page", "page_size"} <= names, path
        assert "X-Total-Count" in ok["headers"], path


# ---------------------------------------------------------------------------------------------
# Events take and answer the start as a date-time too, as meetings do
# ---------------------------------------------------------------------------------------------


def _event(organizer: Organization, **when: Any) -> dict[str, Any]:
    return {
        "title_kk": "Жастар форумы",
        "title_ru": "Молодёжный форум",
        "program": ProgramFactory().pk,
        "organizer": organizer.pk,
        "territory": organizer.territory_id,
        "end": "2027-05-13",
        **when,
    }


def test_an_event_answers_its_start_as_a_date_time_too(
    as_user: AsUser, project_office: User, organization_a: Organization
) -> None:
    created = as_user(project_office).post(
        "/api/v1/events", _event(organization_a, start="2027-05-12"), content_type=JSON
    )

    assert created.status_code == 201, created.json()
    assert created.json()["start"] == "2027-05-12"
    assert created.json()["starts_at"] == "2027-05-12T00:00:00+05:00"


@pytest.mark.parametrize(
    "starts_at",
    ["2027-05-12T09:30:00+05:00", "2027-05-12T09:30:00", "2027-05-11T20:00:00+00:00"],
)
def test_an_event_takes_its_start_as_a_date_time_in_the_region_time(
    as_user: AsUser, project_office: User, organization_a: Organization, starts_at: str
) -> None:
    client = as_user(project_office)

    created = client.post(
        "/api/v1/events", _event(organization_a, starts_at=starts_at), content_type=JSON
    )
    moved = client.patch(
        f"/api/v1/events/{created.json()['id']}",
        {"starts_at": "2027-05-10T23:30:00+05:00"},
        content_type=JSON,
    )

    assert created.status_code == 201, created.json()
    assert created.json()["start"] == "2027-05-12"
    assert moved.status_code == 200, moved.json()
    assert moved.json()["start"] == "2027-05-10"


def test_an_event_without_a_start_is_refused(
    as_user: AsUser, project_office: User, organization_a: Organization
) -> None:
    response = as_user(project_office).post(
        "/api/v1/events", _event(organization_a), content_type=JSON
    )

    assert "start" in {item["field"] for item in error(response, 422, "invalid")["detail"]}


def test_a_date_time_before_standard_time_is_still_valid_iso_8601(
    as_user: AsUser, project_office: User, organization_a: Organization
) -> None:
    # Asia/Almaty's offset was local mean time (+05:07:48) before 1924; RFC 3339 has no
    # seconds in an offset (the fuzzer found "0397-01-09T05:10:13.700+05:07:48").
    meeting = MeetingFactory(organizer=organization_a, state="draft")

    response = as_user(project_office).patch(
        f"/api/v1/meetings/{meeting.pk}",
        {"start": "0397-01-09T00:02:25Z", "end": "1072-10-05T13:25:35Z"},
        content_type=JSON,
    )

    assert response.status_code == 200, response.json()
    assert response.json()["start"] == "0397-01-09T00:02:25Z"
    assert response.json()["end"] == "1072-10-05T13:25:35Z"
