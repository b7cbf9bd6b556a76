"""The API fuzzed from its own OpenAPI document (schemathesis): every operation, through the WSGI
application (no server), with generated requests as every role and with each parameter's
boundary values as one role of each kind of scope. No answer may be a 5xx, and an answer of a
documented status must have the body its schema describes.

Bounded so that it runs in CI: a fixed number of generated examples per operation, derandomized
(the same requests on every run), on the permission table's world (tests/test_permissions.py),
in which path ids are steered towards real objects half of the time, so that operations are
reached beyond their 404. Figures in docs/reliability.md, "API fuzzing".
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.utils import translation
from hypothesis import HealthCheck, settings
from ninja.responses import NinjaJSONEncoder
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import response_schema_conformance

from kense.api import api
from test_permissions import ROLES, World, built_world  # every role, anonymous included

EXAMPLES = 8  # generated requests per operation and role, beside the explicit boundary cases

# Where a path's id is steered to: the world's objects of that kind.
PATH_OBJECTS: dict[str, tuple[str, ...]] = {
    "meeting_id": ("meeting",),
    "plan_id": ("plan", "submitted_plan", "approved_plan"),
    "assignment_id": ("assignment", "order", "candidate"),
    "report_id": ("report", "execution_report"),
    "disruption_id": ("emergency", "lifted"),
    "item_id": ("item", "plan_item"),
    "event_id": ("event", "postponed"),
    "document_id": ("document",),
    "idea_id": ("idea",),
    "form_id": ("report_form",),
    "token_id": ("token",),
    "territory_id": ("territory",),
    "organization_id": ("organization", "division", "outlet"),
    "person_id": ("person", "guest"),
    "post_id": ("post",),
    "appointment_id": ("appointment",),
    "program_id": ("program",),
    "direction_id": ("direction",),
    "project_id": ("project",),
    "participant_id": ("participant",),
    "decision_id": ("decision",),
    "extension_id": ("extension",),
    "indicator_id": ("indicator",),
    "target_id": ("target",),
    "methodology_id": ("methodology",),
    "recipient_id": ("recipient", "acknowledged"),
    "publication_id": ("publication",),
    "version_id": ("version",),
    "file_id": ("idea_file", "recipient_file"),
}

document = json.loads(json.dumps(api.get_openapi_schema(), cls=NinjaJSONEncoder))
# Roles that meet each kind of scope: everything (the administrator), a territory (the
# coordinator) and an organization (the institution). The boundary values are sent as these;
# the generated examples as every role.
BOUNDARY_ROLES = ("administrator", "coordinator", "institution")


def _schema(*, boundaries: bool) -> Any:
    """The API as schemathesis reads it: with `boundaries`, only the coverage phase (each
    parameter's boundary values: the largest page, an id beyond 64 bits, the first and last
    year; its invalid variants and unexpected methods are thousands of requests the generated
    examples sample instead); without, only the generated examples, valid and invalid alike."""
    config = SchemathesisConfig.from_dict(
        {
            "seed": 12,
            "phases": {
                "examples": {"enabled": False},
                "coverage": {
                    "enabled": boundaries,
                    "generation": {"mode": "positive"},
                    "unexpected-methods": [],
                },
                "fuzzing": {"enabled": not boundaries},
                "stateful": {"enabled": False},
            },
        }
    )
    loaded = schemathesis.openapi.from_dict(document, config=config)
    loaded.app = WSGIHandler()
    return loaded


boundary_schema = _schema(boundaries=True)
schema = _schema(boundaries=False)

_ids: dict[str, list[int]] = {}


def map_path_parameters(context: Any, path_parameters: dict[str, Any] | None) -> Any:
    """An even generated id names a real object of the path's kind (the one it indexes); an odd
    one, or one beyond 32 bits, stays as generated: a missing or impossible id."""
    if not path_parameters:
        return path_parameters
    steered = dict(path_parameters)
    for name, value in path_parameters.items():
        pool = _ids.get(name)
        if pool and isinstance(value, int) and value % 2 == 0 and abs(value) < 2**31:
            steered[name] = pool[(value // 2) % len(pool)]
    return steered


for _loaded in (boundary_schema, schema):
    _loaded.hook(map_path_parameters)


def _pools(world: World) -> dict[str, list[int]]:
    pools: dict[str, list[int]] = {}
    for name, attributes in PATH_OBJECTS.items():
        ids = {obj.pk for attribute in attributes for obj in getattr(world, attribute).values()}
        pools[name] = sorted(ids)
    pools["position_id"] = [world.position.pk]
    return pools


@pytest.fixture(scope="module")
def world(django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: Any) -> Iterator[World]:
    """The permission table's world, built once; each test runs in a savepoint of its own."""
    with built_world(django_db_blocker, tmp_path_factory) as built:
        _ids.update(_pools(built))
        try:
            yield built
        finally:
            _ids.clear()


@pytest.fixture(autouse=True, scope="module")
def _connection_kept() -> Iterator[None]:
    """Requests run inside the test's transaction: Django must not close the connection at
    their start and end, as it does for a real request (on PostgreSQL that closed it). Django's
    test client does the same."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(autouse=True, scope="module")
def _quiet_refusals() -> Iterator[None]:
    """Thousands of 4xx are the point here; Django's warning for each is not (errors, 5xx
    among them, are still logged)."""
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.ERROR)
    yield
    logger.setLevel(level)


# Requests sent, by role and phase, and the operations they reached: reported at the end.
SENT: Counter[tuple[str, str]] = Counter()
OPERATIONS: set[str] = set()


@pytest.fixture(autouse=True, scope="module")
def _figures(request: pytest.FixtureRequest) -> Iterator[None]:
    yield
    if not SENT:
        return
    figures = ", ".join(f"{role} {phase} {n}" for (role, phase), n in sorted(SENT.items()))
    line = f"API fuzzing: {len(OPERATIONS)} operations, requests by role and phase: {figures}"
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    if capture is not None and reporter is not None:
        with capture.global_and_fixture_disabled():
            reporter.write_line("\n" + line)


@pytest.fixture(params=ROLES)
def role(request: pytest.FixtureRequest, world: World, db: Any) -> str:
    return str(request.param)


@pytest.fixture(params=BOUNDARY_ROLES)
def boundary_role(request: pytest.FixtureRequest, world: World, db: Any) -> str:
    return str(request.param)


HYPOTHESIS = settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)


@boundary_schema.parametrize()
@HYPOTHESIS
def test_api_boundaries(case: Any, boundary_role: str, world: World) -> None:
    _send(case, boundary_role, world)


@schema.parametrize()
@HYPOTHESIS
def test_api(case: Any, role: str, world: World) -> None:
    _send(case, role, world)


def _send(case: Any, role: str, world: World) -> None:
    """The case sent as the role, answered without a 5xx and as its schema says."""
    SENT[role, case.meta.phase.name.value if case.meta else "?"] += 1
    OPERATIONS.add(case.operation.label)
    with translation.override("en"):
        token = world.tokens.get(role)
        case.call_and_validate(
            headers={"Authorization": f"Bearer {token}"} if token else {},
            checks=[not_a_server_error, response_schema_conformance],
        )
