"""docs/deploy.md's one-machine deployment, run as written (issue 17): its three systemd units
are checked by `systemd-analyze verify`, each unit's ExecStart is started with the settings
file the units read, and the web unit is reached through the nginx server of the document,
over TLS, as a browser would.

Only the paths are changed: the checkout is this one instead of /srv/kense/app, the settings
file, certificate and ports are temporary ones. The programs need a database other processes
reach: this runs on PostgreSQL (the test database, committed), and is skipped on SQLite, whose
test database lives in the memory of the test process.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import re
import shlex
import shutil
import signal
import ssl
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.db import connection
from tests.cluster.postgres import free_port

from kense.core.models import WorkerHeartbeat

PROJECT = Path(__file__).resolve().parents[1]
DEPLOY = PROJECT / "docs" / "deploy.md"
DOCUMENTED_ROOT = "/srv/kense/app"
UNITS = ("kense-web", "kense-worker", "kense-scheduler")
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)


def blocks(language: str) -> list[tuple[str, str]]:
    """Each ```language block of docs/deploy.md, with the line of text just before it."""
    text = DEPLOY.read_text()
    pattern = re.compile(rf"([^\n]*)\n\n```{language}\n(.*?)```", re.S)
    return [(match.group(1), match.group(2)) for match in pattern.finditer(text)]


def unit_texts() -> dict[str, str]:
    found = {}
    for before, body in blocks("ini"):
        named = re.search(r"/etc/systemd/system/([\w-]+)\.service", before)
        if named:
            found[named.group(1)] = body
    return found


def test_the_document_has_the_three_units_and_the_proxy() -> None:
    assert sorted(unit_texts()) == sorted(UNITS)
    assert len(blocks("nginx")) == 1
    for name, text in unit_texts().items():
        assert f"ExecStart={DOCUMENTED_ROOT}/.venv/bin/" in text, name
        assert "EnvironmentFile=/etc/kense/kense.env" in text, name


def settings_file(directory: Path, database_url: str) -> Path:
    """The document's settings (its first ```sh block of KEY=value lines), with this test's
    database, directories and a key of its own."""
    documented = next(body for _before, body in blocks("sh") if "KENSE_ENV=production" in body)
    values: dict[str, str] = {}
    for line in documented.splitlines():
        line = line.split("#", 1)[0].strip()
        if "=" in line:
            key, value = line.split("=", 1)
            values[key] = value
    assert {"KENSE_ENV", "SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS"} <= values.keys()
    values.update(
        SECRET_KEY="deploy-test-" + "k" * 50,
        DATABASE_URL=database_url,
        KENSE_MEDIA_ROOT=str(directory / "media"),
        KENSE_VAR_DIR=str(directory / "var"),
        KENSE_STATIC_ROOT=str(directory / "static"),
        EMAIL_HOST_USER="kense",
        EMAIL_HOST_PASSWORD="unused",
    )
    path = directory / "kense.env"
    path.write_text("".join(f"{key}={value}\n" for key, value in values.items()))
    return path


def installed(unit: str, env_file: Path, web_port: int) -> str:
    """The unit as this machine runs it: this checkout, this settings file, a free port, and
    the current user (the document's `kense` user does not exist here)."""
    text = unit.replace(DOCUMENTED_ROOT, str(PROJECT))
    text = text.replace("/etc/kense/kense.env", str(env_file))
    text = text.replace("127.0.0.1:8000", f"127.0.0.1:{web_port}")
    return re.sub(r"^User=.*\n", "", text, flags=re.M)


def exec_start(unit: str) -> list[str]:
    line = re.search(r"^ExecStart=((?:.*\\\n)*.*)$", unit, re.M)
    assert line, unit
    return shlex.split(line.group(1).replace("\\\n", " "))


def environment(env_file: Path) -> dict[str, str]:
    """What systemd gives a unit's program: a bare environment and the settings file, not
    this process's (the browser tests set DJANGO_ALLOW_ASYNC_UNSAFE, which `check --deploy`
    rightly refuses)."""
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8"}
    for line in env_file.read_text().splitlines():
        key, value = line.split("=", 1)
        env[key] = value
    return env


def database_url() -> str:
    """The test database's address, its password included when it has one."""
    settings = connection.settings_dict
    user = quote(settings["USER"] or "", safe="")
    if settings.get("PASSWORD"):
        user += ":" + quote(settings["PASSWORD"], safe="")
    return (
        f"postgres://{user}@{settings['HOST'] or '127.0.0.1'}:"
        f"{settings['PORT'] or 5432}/{settings['NAME']}"
    )


def https(port: int, path: str, host: str) -> http.client.HTTPResponse:
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE  # the test's own certificate
    client = http.client.HTTPSConnection("127.0.0.1", port, context=context, timeout=10)
    client.request("GET", path, headers={"Host": host})
    return client.getresponse()


def wait_for(check: Any, what: str, seconds: float = 60) -> Any:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.3)
    raise AssertionError(f"{what}: not within {seconds} s")


def logs(machine: dict[str, Any]) -> str:
    return "\n".join(
        f"--- {path.name}\n{path.read_text()[-3000:]}" for path in machine["dir"].glob("*.log")
    )


@pytest.fixture(scope="module")
def installation(
    tmp_path_factory: pytest.TempPathFactory, django_db_setup: Any, django_db_blocker: Any
) -> dict[str, Any]:
    """The units and settings file as installed here, after the document's installing steps
    that the units rely on (the test database is migrated already)."""
    with django_db_blocker.unblock():
        if connection.vendor != "postgresql":
            pytest.skip(
                "the units' programs need a database other processes reach: the SQLite test "
                "database is in this process's memory (this runs on PostgreSQL)"
            )
        url = database_url()
    directory = tmp_path_factory.mktemp("deploy")
    env_file = settings_file(directory, url)
    port = free_port()
    units = {name: installed(text, env_file, port) for name, text in unit_texts().items()}
    for name, text in units.items():
        (directory / f"{name}.service").write_text(text)
    env = environment(env_file)
    for step in (["collectstatic", "--no-input", "-v", "0"], ["check", "--deploy"]):
        done = subprocess.run(
            [str(PROJECT / ".venv/bin/python"), "manage.py", *step],
            cwd=PROJECT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stdout + done.stderr
    return {"dir": directory, "units": units, "env": env, "port": port}


@pytest.fixture
def machine(installation: dict[str, Any], transactional_db: Any) -> Iterator[dict[str, Any]]:
    """The installation, with the programs a test starts killed after it (their process
    groups: gunicorn's workers outlive a killed master)."""
    started: list[subprocess.Popen[bytes]] = []
    try:
        yield {**installation, "started": started}
    finally:
        for process in started:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=30)


def start(machine: dict[str, Any], unit: str) -> subprocess.Popen[bytes]:
    log = (machine["dir"] / f"{unit}.log").open("wb")
    process = subprocess.Popen(
        exec_start(machine["units"][unit]),
        cwd=PROJECT,
        env=machine["env"],
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    machine["started"].append(process)
    return process


def stopped(machine: dict[str, Any], unit: str, process: subprocess.Popen[bytes]) -> int:
    """Stop as systemd would (KillSignal, SIGTERM by default) and wait TimeoutStopSec."""
    text = machine["units"][unit]
    timeout = re.search(r"^TimeoutStopSec=(\d+)", text, re.M)
    process.send_signal(signal.SIGTERM)
    try:
        return process.wait(timeout=int(timeout.group(1)) if timeout else 90)
    finally:
        print((machine["dir"] / f"{unit}.log").read_text()[-2000:])


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="systemd-analyze not installed")
def test_systemd_finds_nothing_wrong_in_the_units(installation: dict[str, Any]) -> None:
    files = [str(installation["dir"] / f"{name}.service") for name in UNITS]
    checked = subprocess.run(
        ["systemd-analyze", "verify", *files], capture_output=True, text=True, timeout=60
    )
    # Units named in After= (postgresql.service) may be absent from a machine without them.
    complaints = [
        line
        for line in checked.stderr.splitlines()
        if line.strip() and "postgresql.service" not in line
    ]
    assert not complaints, checked.stderr


def test_the_units_run_and_nginx_serves_the_web_unit_over_tls(machine: dict[str, Any]) -> None:
    web = start(machine, "kense-web")
    worker = start(machine, "kense-worker")
    scheduler = start(machine, "kense-scheduler")

    # The worker beats its heart into the database (kense.core.worker).
    wait_for(WorkerHeartbeat.objects.exists, "the worker's heartbeat")

    def healthy() -> bool:
        try:
            client = http.client.HTTPConnection("127.0.0.1", machine["port"], timeout=5)
            # As nginx forwards it (the settings trust 127.0.0.1's X-Forwarded-Proto).
            client.request(
                "GET",
                "/healthz",
                headers={"Host": "kense.example.kz", "X-Forwarded-Proto": "https"},
            )
            return client.getresponse().status == 200
        except OSError:
            return False

    wait_for(healthy, f"gunicorn's /healthz\n{logs(machine)}")

    if NGINX is None:
        pytest.skip("nginx not installed (apt-get install nginx-light): its part is not run")
    ports = {"https": free_port(), "http": free_port()}
    directory = machine["dir"]
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
         "/CN=kense.example.kz", "-keyout", str(directory / "privkey.pem"),
         "-out", str(directory / "fullchain.pem")],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    (server,) = (body for _before, body in blocks("nginx"))
    server = (
        server.replace("listen 443 ", f"listen 127.0.0.1:{ports['https']} ")
        .replace("listen 80;", f"listen 127.0.0.1:{ports['http']};")
        .replace("/etc/ssl/kense/", f"{directory}/")
        .replace("127.0.0.1:8000", f"127.0.0.1:{machine['port']}")
    )
    (directory / "nginx.conf").write_text(
        f"pid {directory}/nginx.pid;\nerror_log {directory}/nginx-error.log;\n"
        "events {}\n"
        f"http {{\naccess_log off;\nclient_body_temp_path {directory}/body;\n"
        f"proxy_temp_path {directory}/proxy;\n{server}\n}}\n"
    )
    nginx = subprocess.Popen(
        [NGINX, "-p", str(directory), "-c", str(directory / "nginx.conf"), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    machine["started"].append(nginx)

    def through_nginx() -> http.client.HTTPResponse | None:
        try:
            return https(ports["https"], "/healthz", "kense.example.kz")
        except OSError:
            return None

    answer = wait_for(through_nginx, "nginx over TLS")
    assert answer.status == 200 and b'"ok"' in answer.read()
    # A page: Django knows it came over HTTPS from the proxy (no redirect to https://).
    login = https(ports["https"], "/kk/accounts/login/", "kense.example.kz")
    assert login.status == 200, login.read()[:500]
    assert "Secure" in (login.getheader("Set-Cookie") or "")
    # Plain HTTP is sent to HTTPS.
    plain = http.client.HTTPConnection("127.0.0.1", ports["http"], timeout=10)
    plain.request("GET", "/kk/", headers={"Host": "kense.example.kz"})
    redirect = plain.getresponse()
    assert redirect.status == 301
    assert redirect.getheader("Location") == "https://kense.example.kz/kk/"

    # Each stops as systemd stops it, within its TimeoutStopSec, without an error.
    assert stopped(machine, "kense-scheduler", scheduler) in (0, -signal.SIGTERM)
    assert stopped(machine, "kense-worker", worker) in (0, -signal.SIGTERM)
    assert stopped(machine, "kense-web", web) == 0
    nginx.terminate()
    nginx.wait(timeout=30)
