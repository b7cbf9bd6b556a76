"""Load test: gunicorn on loopback, logged-in users, mixed traffic, bounded in time (issue 7).

    .venv/bin/python benchmarks/loadtest.py [--duration 60] [--connections 16] [--workers 3]
        [--gunicorn-threads 1] [--only /kk/assignments/inbox/]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kense_national \\
        .venv/bin/python benchmarks/loadtest.py --users gen-000008,gen-000007 --password ''

Without DATABASE_URL it loads the demo into a scratch SQLite database (a new KENSE_VAR_DIR).
It starts gunicorn on 127.0.0.1 at a free port, logs the users in through the login form (or,
when their password is not the demo's, opens a session for them directly in the session store),
then runs `wrk` (Debian package `wrk`) with a Lua script that spreads the connections over the
users' cookies and picks each request at random from a weighted mix of pages: the dashboard,
lists, a territory passport, search. It stops gunicorn and prints throughput, p50, p95, p99 and
errors (and writes them as JSON with --json). Only 127.0.0.1 is ever contacted. It prints, first
and last, how long a fixed loop of plain Python took (`machine_ms`, benchmarks/machine.py):
the machine is shared, and figures compare only beside it.

With --public cached|uncached it reads the open pages anonymously instead (issue 16): the
home page, places, published projects, events and meetings, a hundred-odd addresses. Cached,
as a visitor without cookies, each page comes from the page cache after its first reading;
uncached, each request carries a session cookie, which the page cache never serves.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))

from machine import machine_ms

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"

LUA = r"""
local cookies = {COOKIES}
local paths = {PATHS}
local passports = {PASSPORTS}
local counter = 0
local threads = {}

function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
  table.insert(threads, thread)
end

function init(args)
  bad = 0
  n = 0
  math.randomseed(id * 7919)
end

function request()
  n = n + 1
  local user = (id + n) % #cookies + 1
  local path = paths[math.random(#paths)]
  if path == "PASSPORT" then path = passports[user] end
  return wrk.format("GET", path, {["Cookie"] = cookies[user]})
end

function response(status, headers, body)
  if status ~= 200 then bad = bad + 1 end
end

function done(summary, latency, requests)
  local bad = 0
  for _, thread in ipairs(threads) do bad = bad + thread:get("bad") end
  local e = summary.errors
  io.write(string.format(
    "RESULT {\"requests\": %d, \"duration_s\": %.3f, \"p50_ms\": %.1f, \"p95_ms\": %.1f, " ..
    "\"p99_ms\": %.1f, \"max_ms\": %.1f, \"non_200\": %d, \"connect\": %d, \"read\": %d, " ..
    "\"write\": %d, \"status\": %d, \"timeout\": %d}\n",
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, latency:percentile(99) / 1000, latency.max / 1000, bad,
    e.connect, e.read, e.write, e.status, e.timeout))
end
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def lua_list(items: list[str]) -> str:
    return "{" + ", ".join(json.dumps(item, ensure_ascii=False) for item in items) + "}"


def form_login(port: int, username: str, password: str) -> str | None:
    """The session cookie from logging in through the login form, or None."""
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    connection.request("GET", "/kk/accounts/login/")
    response = connection.getresponse()
    page = response.read().decode()
    cookies = response.headers.get_all("Set-Cookie") or []
    csrf = next((c.split(";")[0] for c in cookies if c.startswith("csrftoken=")), "")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if not csrf or not token:
        return None
    body = urlencode(
        {"csrfmiddlewaretoken": token.group(1), "username": username, "password": password}
    )
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": csrf}
    connection.request("POST", "/kk/accounts/login/", body, headers)
    response = connection.getresponse()
    response.read()
    cookies = response.headers.get_all("Set-Cookie") or []
    session = next((c.split(";")[0] for c in cookies if c.startswith("sessionid=")), None)
    return f"{session}; {csrf}" if session and response.status == 302 else None


def direct_session(user: Any) -> str:
    """A session opened in the session store, as the login view would."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.save()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"


def public_paths() -> list[str]:
    """The open pages a visitor reads: the home page, a region, cities and districts, and
    published projects, events and meetings, in Kazakh (PLACES + 3 × SOME addresses)."""
    from kense.public import selectors

    some = 30
    places = selectors.Territory.objects.filter(
        kind__in=selectors.PLACE_KINDS, valid_to__isnull=True
    ).order_by("depth", "pk")[:some]
    paths = ["/kk/public/"] + [f"/kk/public/places/{place.pk}/" for place in places]
    for name, rows in (
        ("projects", selectors.published_projects()),
        ("events", selectors.published_events()),
        ("meetings", selectors.published_meetings()),
    ):
        paths += [
            f"/kk/public/{name}/{pk}/"
            for pk in rows.order_by("-pk").values_list("pk", flat=True)[:some]
        ]
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=60, help="seconds")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument(
        "--gunicorn-threads",
        type=int,
        default=0,
        help="threads per gunicorn worker (0: gunicorn's own default, or GUNICORN_CMD_ARGS)",
    )
    parser.add_argument("--users", default="office,akim,observer,culture")
    parser.add_argument(
        "--password", default="kense-demo-2020", help="empty: open sessions directly"
    )
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument(
        "--only", default=None, help="request this one path instead of the mix (to find a floor)"
    )
    parser.add_argument(
        "--public",
        choices=("cached", "uncached"),
        default=None,
        help="read the open pages anonymously, from the page cache or around it",
    )
    options = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install -y wrk")
    machine_before = machine_ms()
    print(f"machine: the reference loop took {machine_before:.0f} ms")

    if not os.environ.get("DATABASE_URL") and "KENSE_VAR_DIR" not in os.environ:
        os.environ["KENSE_VAR_DIR"] = tempfile.mkdtemp(prefix="kense-loadtest-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kense.settings")
    # The server and this script sign sessions with the same key.
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db.models import Count

    if not os.environ.get("DATABASE_URL"):
        call_command("migrate", verbosity=0)
        call_command("kense_demo", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    from kense.accounts.models import User
    from kense.indicators.models import IndicatorValue

    users = (
        [] if options.public else list(User.objects.filter(username__in=options.users.split(",")))
    )
    if not users and not options.public:
        sys.exit(f"none of the users {options.users} exists")

    def passport(user: Any) -> str:
        """The passport of the district or city with the most values the user may see."""
        territory = user.territory or (user.organization.territory if user.organization else None)
        values = IndicatorValue.objects.all()
        if territory is not None:
            values = values.filter(territory__path__startswith=territory.path)
        busiest = values.values("territory").annotate(n=Count("id")).order_by("-n").first()
        pk = busiest["territory"] if busiest else territory.pk if territory else 1
        return f"/kk/indicators/passport/{pk}/"

    passports = [passport(user) for user in users]
    # Weighted like a working day: the dashboard and lists most, then a passport and search.
    paths = (
        ["/kk/"] * 4
        + ["/kk/events/"] * 2
        + ["/kk/assignments/inbox/"] * 2
        + ["/kk/registry/organizations/", "/kk/meetings/", "/kk/assignments/"]
        + ["/kk/registry/territories/", "/kk/events/?status=held"]
        + ["PASSPORT"] * 2  # each user's own passport: see the Lua script
        + ["/kk/search/?q=%D0%BD%D2%AF%D0%BA%D0%B5%D0%BD%D0%BE%D0%B2"]
    )
    if options.public:
        paths = public_paths()
    if options.only:
        paths = [options.only]

    port = free_port()
    # Served as in production (persistent database connections, compressed static files,
    # DEBUG off), except that plain HTTP on loopback is not redirected to HTTPS.
    env = dict(
        os.environ,
        PYTHONPATH=str(ROOT / "src"),
        LOG_LEVEL="WARNING",
        KENSE_ENV="production",
        ALLOWED_HOSTS=HOST,
        SECURE_SSL_REDIRECT="0",
    )
    subprocess.run(
        [str(ROOT / ".venv/bin/python"), "manage.py", "collectstatic", "--noinput", "-v0"],
        env=env,
        cwd=ROOT,
        check=True,
    )
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "kense.wsgi:application",
            "--bind",
            f"{HOST}:{port}",
            "--workers",
            str(options.workers),
            "--log-level",
            "warning",
            *(["--threads", str(options.gunicorn_threads)] if options.gunicorn_threads else []),
        ],
        env=env,
        cwd=ROOT,
    )
    try:
        for _attempt in range(100):
            try:
                connection = http.client.HTTPConnection(HOST, port, timeout=5)
                connection.request("GET", "/healthz")
                if connection.getresponse().status == 200:
                    break
            except OSError:
                pass
            time.sleep(0.2)
        else:
            sys.exit("gunicorn did not answer /healthz")
        cookies = []
        logins = {}
        if options.public:
            # No cookie: a visitor the page cache serves; a session cookie: one it never does.
            cookies = ["" if options.public == "cached" else "sessionid=none"]
            passports = [paths[0]]
        for user in users:
            cookie = form_login(port, user.username, options.password) if options.password else None
            logins[user.username] = "login form" if cookie else "session store"
            cookies.append(cookie or direct_session(user))
        for cookie, own in zip(cookies, passports, strict=True):  # warm up, check the answers
            for path in sorted({*paths, own} - {"PASSPORT"}):
                connection = http.client.HTTPConnection(HOST, port, timeout=60)
                connection.request("GET", path, headers={"Cookie": cookie})
                response = connection.getresponse()
                response.read()
                if response.status != 200:
                    print(f"warning: {path} answered {response.status}")
        script = Path(tempfile.mkdtemp(prefix="kense-wrk-")) / "mix.lua"
        script.write_text(
            LUA.replace("{COOKIES}", lua_list(cookies))
            .replace("{PATHS}", lua_list(paths))
            .replace("{PASSPORTS}", lua_list(passports))
        )
        command = [
            "wrk",
            f"--threads={options.threads}",
            f"--connections={options.connections}",
            f"--duration={options.duration}s",
            "--timeout=30s",
            f"--script={script}",
            f"http://{HOST}:{port}",
        ]
        output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)

    line = next(line for line in output.splitlines() if line.startswith("RESULT "))
    result = json.loads(line.removeprefix("RESULT "))
    result["requests_per_s"] = round(result["requests"] / result["duration_s"], 1)
    errors = sum(result[k] for k in ("connect", "read", "write", "status", "timeout"))
    result["errors"] = errors
    machine_after = machine_ms()
    report = {
        "database": django.db.connection.vendor,
        "public": options.public,
        "workers": options.workers,
        "gunicorn_threads": options.gunicorn_threads,
        "machine_ms": [round(machine_before, 1), round(machine_after, 1)],
        "connections": options.connections,
        "duration_s": options.duration,
        "users": logins,
        "mix": paths,
        "passports": passports,
        **result,
    }
    print(f"users: {', '.join(f'{name} ({how})' for name, how in logins.items())}")
    print(f"machine: the reference loop took {machine_after:.0f} ms")
    print(
        f"{result['requests']} requests in {result['duration_s']:.1f} s: "
        f"{result['requests_per_s']} req/s; p50 {result['p50_ms']} ms, p95 {result['p95_ms']} "
        f"ms, p99 {result['p99_ms']} ms, max {result['max_ms']} ms; errors {errors}, "
        f"non-200 answers {result['non_200']}"
    )
    if options.json:
        options.json.write_text(json.dumps(report, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
