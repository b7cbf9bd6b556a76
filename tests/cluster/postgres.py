"""A PostgreSQL primary and its streaming replica of our own, in a temporary directory on free
ports of 127.0.0.1 (issue 17): the replica test (tests/core/test_replica_streaming.py) and the
cluster test (`python -m tests.cluster`) start one.

The machine's own PostgreSQL is not touched: `initdb` makes a new primary (trust on loopback,
replication allowed), `pg_basebackup -R` copies it into a standby that streams from it. As
root, every PostgreSQL program runs as the `postgres` OS user (`runuser`), since the server
refuses to run as root. `stop()` stops both (pg_ctl, by their data directories) and deletes
the directory.
"""

from __future__ import annotations

import os
import random
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import psycopg

HOST = "127.0.0.1"


def binaries() -> Path | None:
    """The directory of initdb, pg_ctl and pg_basebackup (KENSE_PG_BIN, or Debian's newest)."""
    if os.environ.get("KENSE_PG_BIN"):
        return Path(os.environ["KENSE_PG_BIN"])
    found = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"),
        key=lambda path: int(path.parts[-3]) if path.parts[-3].isdigit() else 0,
    )
    if found:
        return found[-1].parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def missing() -> str | None:
    """Why a pair cannot be started here, or None."""
    directory = binaries()
    if directory is None:
        return "PostgreSQL's server programs (initdb, pg_ctl, pg_basebackup) are not installed"
    for program in ("initdb", "pg_ctl", "pg_basebackup"):
        if not (directory / program).exists():
            return f"{directory / program} is missing"
    if os.geteuid() == 0 and not shutil.which("runuser"):
        return "running as root without runuser to start PostgreSQL as the postgres user"
    return None


# Ports are chosen below the kernel's ephemeral range (net.ipv4.ip_local_port_range, 32768 and
# up): a port the kernel hands out is also what it gives the next outgoing connection or the
# next server bound to port 0 (the browser tests' live server, running beside the cluster test
# in CI), which could take it between our choosing it and our server binding it.
PORTS = range(20000, 32000)
_taken: set[int] = set()


def free_port() -> int:
    """A port of 127.0.0.1 nobody listens on now, never the same twice in this process."""
    for _attempt in range(200):
        port = random.choice(PORTS)
        if port in _taken:
            continue
        with socket.socket() as sock:
            try:
                sock.bind((HOST, port))
            except OSError:
                continue
        _taken.add(port)
        return port
    raise RuntimeError(f"no free port of {HOST} in {PORTS}")


class StreamingPair:
    """`start()` gives a primary on `primary_port` and a hot standby on `replica_port`."""

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="kense-pg-"))
        self.bin = binaries() or Path("/nonexistent")
        self.primary = self.root / "primary"
        self.replica = self.root / "replica"
        self.primary_port = free_port()
        self.replica_port = free_port()
        self.started: list[Path] = []

    def _run(self, *command: str, timeout: float = 180) -> None:
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        done = subprocess.run(
            [*prefix, *command], capture_output=True, text=True, timeout=timeout, cwd=self.root
        )
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(command)} failed: {done.stdout}{done.stderr}")

    def _pg_ctl_start(self, data: Path, port: int) -> None:
        options = (
            f"-c port={port} -c listen_addresses={HOST} -c unix_socket_directories={self.root}"
        )
        self._run(
            str(self.bin / "pg_ctl"),
            "start",
            "--wait",
            "--timeout=120",
            f"--pgdata={data}",
            f"--log={self.root / (data.name + '.log')}",
            f"--options={options}",
        )
        self.started.append(data)

    def start(self) -> None:
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres", "postgres")
        self._run(
            str(self.bin / "initdb"),
            f"--pgdata={self.primary}",
            "--username=postgres",
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C.UTF-8",
            "--no-sync",
        )
        with (self.primary / "postgresql.conf").open("a") as conf:
            # A test database: durability traded for speed; replication as in production.
            conf.write(
                "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n"
                "wal_level = replica\nmax_wal_senders = 4\nhot_standby = on\n"
                "max_connections = 100\nshared_buffers = 64MB\n"
            )
        with (self.primary / "pg_hba.conf").open("a") as hba:
            hba.write(f"host replication all {HOST}/32 trust\nhost all all {HOST}/32 trust\n")
        self._pg_ctl_start(self.primary, self.primary_port)
        self._run(
            str(self.bin / "pg_basebackup"),
            f"--host={HOST}",
            f"--port={self.primary_port}",
            "--username=postgres",
            f"--pgdata={self.replica}",
            "--write-recovery-conf",
            "--wal-method=stream",
            "--checkpoint=fast",
            "--no-sync",
        )
        self._pg_ctl_start(self.replica, self.replica_port)
        self.wait_replayed()

    def url(self, port: int, database: str = "postgres") -> str:
        return f"postgres://postgres@{HOST}:{port}/{database}"

    def primary_url(self, database: str = "postgres") -> str:
        return self.url(self.primary_port, database)

    def replica_url(self, database: str = "postgres") -> str:
        return self.url(self.replica_port, database)

    def create_database(self, name: str) -> None:
        with psycopg.connect(self.primary_url(), autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        self.wait_replayed()

    def wait_replayed(self, timeout: float = 120) -> None:
        """Until the replica has replayed everything the primary had written when called."""
        with psycopg.connect(self.primary_url(), autocommit=True) as connection:
            row = connection.execute("SELECT pg_current_wal_lsn()::text").fetchone()
        target = str(row[0]) if row else "0/0"
        deadline = time.monotonic() + timeout
        while True:
            try:
                with psycopg.connect(self.replica_url(), autocommit=True) as connection:
                    caught_up = connection.execute(
                        "SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [target]
                    ).fetchone()
                if caught_up and caught_up[0]:
                    return
            except psycopg.OperationalError:
                pass  # the standby is still starting
            if time.monotonic() > deadline:
                raise RuntimeError(f"The replica did not replay up to {target} in {timeout} s.")
            time.sleep(0.2)

    def stop(self) -> None:
        for data in reversed(self.started):
            try:
                self._run(
                    str(self.bin / "pg_ctl"), "stop", f"--pgdata={data}", "--mode=fast", timeout=60
                )
            except (RuntimeError, subprocess.TimeoutExpired):
                self._run(str(self.bin / "pg_ctl"), "stop", f"--pgdata={data}", "--mode=immediate")
        self.started.clear()
        shutil.rmtree(self.root, ignore_errors=True)
