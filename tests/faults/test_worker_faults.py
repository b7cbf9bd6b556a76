"""The fault script (issue 12, item 9): a real worker process against a file SQLite database
(or a fresh PostgreSQL database when DATABASE_URL names PostgreSQL) is killed with SIGKILL
while it produces the day's letters and again in the middle of a send; on PostgreSQL its
connections are also cut under it. Restarted, it must deliver each of the LETTERS letters
exactly once: none lost, none twice, counted by addressee in the mailbox.

About 40-60 s on a small machine (most of it migrating and starting processes); marked
`faults`, it runs with the rest (`make test`) and can be left out with `-m "not faults"`.
The figures of a run are in docs/reliability.md.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from tests.faults.mailbox import delivered, sending
from tests.faults.scenario import LETTERS

pytestmark = pytest.mark.faults

PROJECT = Path(__file__).resolve().parents[2]
# Longer than the lease and the stuck-task bound of tests.faults.settings (2 s) and a worker's
# upkeep interval: time for a duplicate to show up if one were coming.
SETTLE_SECONDS = 6


@pytest.fixture
def database_url(tmp_path: Path) -> Iterator[str]:
    """A database of the test's own: a SQLite file, or on PostgreSQL a fresh database beside
    the one DATABASE_URL names, dropped afterwards."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        yield f"sqlite:///{tmp_path / 'faults.sqlite3'}"
        return
    import psycopg

    parts = urlsplit(url)
    name = f"{parts.path.lstrip('/') or 'kense'}_faults"
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    yield urlunsplit(parts._replace(path=f"/{name}"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def cut_connections(database_url: str) -> int:
    """What a PostgreSQL restart does to its clients: every connection to the database ends."""
    import psycopg

    parts = urlsplit(database_url)
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        rows = connection.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
            [parts.path.lstrip("/")],
        ).fetchall()
    return len(rows)


def wait_for(condition: Callable[[], bool], *, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"Timed out waiting for {what}.")
        time.sleep(0.005)


def test_a_killed_worker_loses_and_duplicates_no_letter(tmp_path: Path, database_url: str) -> None:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "tests.faults.settings",
        "KENSE_FAULTS_DIR": str(tmp_path),
        "PYTHONPATH": str(PROJECT),
    }

    def python(*args: str) -> str:
        done = subprocess.run(
            [sys.executable, *args], cwd=PROJECT, env=env, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    def start_worker() -> subprocess.Popen[bytes]:
        command = "manage.py kense_worker --no-startup-delay --no-reload --interval 0.1"
        bounds = "--upkeep-interval 0.5 --stuck-after 2"  # tests.faults.settings: a 2 s lease
        with (tmp_path / "worker.log").open("ab") as log:
            return subprocess.Popen(
                [sys.executable, *command.split(), *bounds.split()],
                cwd=PROJECT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    def produced() -> int:
        log = tmp_path / "produced.log"
        return len(log.read_text().splitlines()) if log.exists() else 0

    python("-m", "tests.faults.scenario", "setup")

    # 1. Killed while the day's letters are being written and queued.
    worker = start_worker()
    wait_for(lambda: produced() >= LETTERS * 2 // 5, timeout=60, what="the letters' producer")
    worker.send_signal(signal.SIGKILL)
    worker.wait()
    kills = [f"while producing, after {produced()} letters"]

    # 2. Killed in the middle of a send: the mail server has the letter, not yet accepted.
    worker = start_worker()
    started = sending(tmp_path)
    wait_for(lambda: sending(tmp_path) >= started + 15, timeout=60, what="15 sends")
    worker.send_signal(signal.SIGKILL)
    worker.wait()
    kills.append(f"mid-send, {sum(delivered(tmp_path).values())} letters delivered")

    # 3. On PostgreSQL, the database drops the worker's connections while it sends.
    worker = start_worker()
    if database_url.startswith("postgres"):
        started = sending(tmp_path)
        wait_for(lambda: sending(tmp_path) >= started + 5, timeout=60, what="5 more sends")
        assert cut_connections(database_url) >= 1

    wait_for(lambda: len(delivered(tmp_path)) >= LETTERS, timeout=90, what="every letter")
    time.sleep(SETTLE_SECONDS)
    assert worker.poll() is None, "the worker died: see worker.log"
    worker.terminate()
    worker.wait(timeout=30)

    counts = delivered(tmp_path)
    expected = {f"fault-{n:02}@example.kz" for n in range(LETTERS)}
    lost = sorted(expected - set(counts))
    duplicated = sorted(address for address, n in counts.items() if n > 1)
    state = json.loads(python("-m", "tests.faults.scenario", "report"))
    print(f"faults: {kills}; lost {len(lost)}, duplicated {len(duplicated)}; {state}")
    assert (lost, duplicated) == ([], [])
    assert set(counts) == expected
    assert (state["reminders"], state["letters"], state["unsent"]) == (LETTERS, LETTERS, 0)
    assert not any(" READY" in key or " RUNNING" in key for key in state["tasks"]), state
