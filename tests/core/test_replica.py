"""The read replica's router (issue 17): marked heavy reads go to the replica, everything else
and a browser's reads just after its own write to the primary (kense.core.replica)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory
from tests.cluster import postgres
from tests.cluster.postgres import StreamingPair

from kense.accounts.models import User
from kense.core import replica

PROJECT = Path(__file__).resolve().parents[2]
router = replica.ReplicaRouter()


def read_in(request: HttpRequest) -> str | None:
    """Where a read of a user would go inside the request's marked view."""
    with replica.replica_reads(request):
        return router.db_for_read(User)


@pytest.fixture
def with_a_replica(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(replica, "configured", lambda: True)


def test_without_a_replica_every_read_and_write_goes_to_the_primary(rf: RequestFactory) -> None:
    assert read_in(rf.get("/kk/search/")) is None
    assert router.db_for_write(User) == "default"
    assert not replica.PinToPrimary(lambda request: HttpResponse())(rf.post("/kk/")).cookies


@pytest.mark.usefixtures("with_a_replica")
def test_only_a_marked_read_goes_to_the_replica(rf: RequestFactory) -> None:
    assert read_in(rf.get("/kk/search/")) == "replica"
    assert router.db_for_read(User) is None  # outside the mark
    assert router.db_for_write(User) == "default"
    assert read_in(rf.post("/kk/search/")) is None  # a request that may write


@pytest.mark.usefixtures("with_a_replica")
def test_a_browser_that_just_wrote_reads_from_the_primary(
    rf: RequestFactory, settings: Any
) -> None:
    response = replica.PinToPrimary(lambda request: HttpResponse())(rf.post("/kk/events/1/"))
    cookie = response.cookies[replica.PIN_COOKIE]
    assert cookie["httponly"] and cookie["max-age"] == settings.KENSE_REPLICA_PIN_SECONDS + 1

    just_after = rf.get("/kk/search/", HTTP_COOKIE=f"{replica.PIN_COOKIE}={cookie.value}")
    assert read_in(just_after) is None
    long_after = time.time() - settings.KENSE_REPLICA_PIN_SECONDS - 1
    later = rf.get("/kk/search/", HTTP_COOKIE=f"{replica.PIN_COOKIE}={long_after}")
    assert read_in(later) == "replica"
    assert read_in(rf.get("/kk/", HTTP_COOKIE=f"{replica.PIN_COOKIE}=nonsense")) == "replica"
    get = replica.PinToPrimary(lambda request: HttpResponse())(rf.get("/kk/"))
    assert not get.cookies


@pytest.mark.usefixtures("with_a_replica")
@pytest.mark.django_db(transaction=True)
def test_a_read_inside_a_transaction_of_the_primary_stays_there(rf: RequestFactory) -> None:
    with transaction.atomic():
        assert read_in(rf.get("/kk/search/")) is None


@pytest.mark.usefixtures("with_a_replica")
def test_a_streamed_response_reads_its_rows_on_the_replica(rf: RequestFactory) -> None:
    seen: list[str | None] = []

    def rows() -> Iterator[str]:
        for number in range(2):
            seen.append(router.db_for_read(User))
            yield str(number)

    chunks = replica.replica_stream(rf.get("/kk/public/data/events.csv"), rows())
    assert router.db_for_read(User) is None  # made, not yet read
    assert list(chunks) == ["0", "1"]
    assert seen == ["replica", "replica"]
    assert router.db_for_read(User) is None  # read to the end: the mark is gone
    # A request that wrote a moment ago streams from the primary.
    pinned = rf.get("/kk/public/data/events.csv", HTTP_COOKIE=f"{replica.PIN_COOKIE}={time.time()}")
    seen.clear()
    assert list(replica.replica_stream(pinned, rows())) == ["0", "1"]
    assert seen == [None, None]


def test_the_replica_is_never_migrated() -> None:
    assert router.allow_migrate("replica", "accounts") is False
    assert router.allow_migrate("default", "accounts") is True


# --- against a real streaming replica ---------------------------------------------------------


@pytest.fixture(scope="session")
def streaming_pair() -> Iterator[StreamingPair]:
    """A primary of our own and its streaming replica (pg_basebackup), on free ports."""
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        pytest.skip("the streaming replica test runs on PostgreSQL (DATABASE_URL=postgres://…)")
    reason = postgres.missing()
    if reason:
        pytest.skip(f"no streaming replica here: {reason}")
    pair = StreamingPair()
    try:
        pair.start()
        pair.create_database("kense")
        yield pair
    finally:
        pair.stop()


def test_reads_follow_the_marks_and_the_writes_on_a_real_replica(
    streaming_pair: StreamingPair,
) -> None:
    pin_seconds = 2
    env = {
        **os.environ,
        "DATABASE_URL": streaming_pair.primary_url("kense"),
        "KENSE_REPLICA_URL": streaming_pair.replica_url("kense"),
        "KENSE_REPLICA_PIN_SECONDS": str(pin_seconds),
        "DJANGO_SETTINGS_MODULE": "kense.settings",
        "PYTHONPATH": str(PROJECT),
    }
    done = subprocess.run(
        [sys.executable, "-m", "tests.core.replica_scenario", str(pin_seconds + 0.5)],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    facts = json.loads(done.stdout)

    # Another user's marked read: from the replica; the session and the user from the primary.
    assert facts["other_user_reads"] == {
        "status": 200,
        "body": {"first_name": "Before"},
        "view_read_on": ["replica"],
        "other_reads_on_replica": [],
    }
    # A write, then the same user's marked read: from the primary, which has the write.
    assert facts["write"] == {"status": 200, "pinned": True}
    assert facts["writer_reads_at_once"] == {
        "status": 200,
        "body": {"first_name": "After"},
        "view_read_on": ["primary"],
        "other_reads_on_replica": [],
    }
    # Once the pin has passed, the writer's marked reads go to the replica again.
    assert facts["writer_reads_later"]["view_read_on"] == ["replica"]
    # The replica takes no write.
    assert "read-only transaction" in facts["replica_write"], facts["replica_write"]
