"""The replica test's own process (tests/core/test_replica.py): Kense's settings with
DATABASE_URL on a primary and KENSE_REPLICA_URL on its streaming replica, the whole middleware
chain, and two small views, one marked for the replica. Prints what each request read where,
as JSON.

    python -m tests.core.replica_scenario
"""

from __future__ import annotations

import json
import sys
import time
from typing import Any

from django.db import DatabaseError, connections
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.test.utils import CaptureQueriesContext
from django.urls import path

from kense.core.replica import PIN_COOKIE, read_from_replica


@read_from_replica
def read_name(request: HttpRequest, username: str) -> HttpResponse:
    from kense.accounts.models import User

    return JsonResponse({"first_name": User.objects.get(username=username).first_name})


def write_name(request: HttpRequest) -> HttpResponse:
    from kense.accounts.models import User

    User.objects.filter(pk=request.user.pk).update(first_name=request.POST["name"])
    return HttpResponse("saved")


urlpatterns = [path("read/<str:username>/", read_name), path("write/", write_name)]


VIEW_READ = 'WHERE "accounts_user"."username" ='


def where(client: Any, url: str) -> dict[str, Any]:
    """GET url: its answer, the database(s) the view's read went to, and whether the session
    or the user of the request was read from the replica."""
    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(connections["replica"]) as replica,
    ):
        answer = client.get(url)
    read_on = [
        alias
        for alias, queries in (("primary", primary), ("replica", replica))
        if any(VIEW_READ in query["sql"] for query in queries.captured_queries)
    ]
    on_replica = [query["sql"] for query in replica.captured_queries]
    return {
        "status": answer.status_code,
        "body": answer.json() if answer.status_code == 200 else None,
        "view_read_on": read_on,
        "other_reads_on_replica": [sql for sql in on_replica if VIEW_READ not in sql],
    }


def main() -> None:
    from django.core.management import call_command
    from django.test import Client, override_settings

    from kense.accounts.models import User

    call_command("migrate", "accounts", verbosity=0)
    call_command("migrate", "sessions", verbosity=0)
    call_command("migrate", "axes", verbosity=0)  # its middleware reads lockouts on a POST
    writer = User.objects.create_user("writer", first_name="Before", password=None)
    reader = User.objects.create_user("reader", password=None)
    deadline = time.monotonic() + 60
    while not User.objects.using("replica").filter(username="reader").exists():
        if time.monotonic() > deadline:
            sys.exit("the replica never received the users")
        time.sleep(0.1)

    facts: dict[str, Any] = {}
    with override_settings(ROOT_URLCONF=__name__):
        reading = Client()
        reading.force_login(reader)  # a session written a moment ago, on the primary
        facts["other_user_reads"] = where(reading, "/read/writer/")

        writing = Client()
        writing.force_login(writer)
        saved = writing.post("/write/", {"name": "After"})
        facts["write"] = {"status": saved.status_code, "pinned": PIN_COOKIE in saved.cookies}
        facts["writer_reads_at_once"] = where(writing, "/read/writer/")
        time.sleep(float(sys.argv[1]) if len(sys.argv) > 1 else 0)
        facts["writer_reads_later"] = where(writing, "/read/writer/")

    try:
        User.objects.using("replica").filter(pk=writer.pk).update(first_name="Forged")
    except DatabaseError as error:
        facts["replica_write"] = str(error).splitlines()[0]
    else:
        facts["replica_write"] = "accepted"
    json.dump(facts, sys.stdout)


if __name__ == "__main__":
    import django

    django.setup()
    main()
