"""Heavy reads on a streaming replica (issue 17): exports, the results and the ranking,
passports, the search and the open pages read from DATABASES["replica"] when there is one
(KENSE_REPLICA_URL), everything else from the primary.

Only what a view marks goes to the replica (`@read_from_replica`, or `with replica_reads(request)`
around a part of a view, `replica_stream` for a streamed response's rows, and Ninja's
`decorate_view(read_from_replica)` for an API operation whose rows are read as its answer is
written): a replica lags the primary by up to a second or so, which a ranking
or an export tolerates and an edit form does not. Nothing is read from it by default.

A user's own writes are read back from the primary: any request that may write (any method but
GET, HEAD, OPTIONS) gets a cookie with the time (`PinToPrimary`), and for
KENSE_REPLICA_PIN_SECONDS (5) after it the marks are ignored for that browser, so the ranking
recomputed by the office is the one it is shown next, not the replica's copy of a moment ago.
The cookie is not signed: forging it only sends one's own reads to the primary.

The session and the user are loaded from the primary before a marked view runs (a session
opened a moment ago may not have reached the replica), and a read inside a transaction of the
primary stays on the primary. Without a replica configured, the marks do nothing and no
cookie is set.
"""

from __future__ import annotations

import contextlib
import functools
import time
from collections.abc import Callable, Iterable, Iterator
from contextvars import ContextVar
from typing import Any, TypeVar

from django.conf import settings
from django.db import connections
from django.db.models import Model
from django.http import HttpRequest, HttpResponse

REPLICA = "replica"
PRIMARY = "default"
PIN_COOKIE = "kense_wrote"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

_on_replica: ContextVar[bool] = ContextVar("kense_replica_reads", default=False)

View = TypeVar("View", bound=Callable[..., HttpResponse])
T = TypeVar("T")


def configured() -> bool:
    return REPLICA in settings.DATABASES


def pinned(request: HttpRequest) -> bool:
    """Whether this browser wrote within the last KENSE_REPLICA_PIN_SECONDS."""
    try:
        wrote = float(request.COOKIES.get(PIN_COOKIE, ""))
    except ValueError:
        return False
    return time.time() - wrote < settings.KENSE_REPLICA_PIN_SECONDS


@contextlib.contextmanager
def replica_reads(request: HttpRequest) -> Iterator[None]:
    """Within the block, reads go to the replica, unless there is none, the request may write
    (not GET/HEAD/OPTIONS) or its browser wrote a moment ago."""
    if not configured() or request.method not in SAFE_METHODS or pinned(request):
        yield
        return
    user = getattr(request, "user", None)
    if user is not None:
        user.is_authenticated  # noqa: B018 - loads the session and the user from the primary
    token = _on_replica.set(True)
    try:
        yield
    finally:
        _on_replica.reset(token)


def read_from_replica(view: View) -> View:
    """Mark a view whose reads tolerate a second's lag: see `replica_reads`."""

    @functools.wraps(view)
    def marked(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        with replica_reads(request):
            return view(request, *args, **kwargs)

    return marked  # type: ignore[return-value]


def replica_stream(request: HttpRequest, chunks: Iterable[T]) -> Iterator[T]:
    """The chunks of a streamed response (a CSV of a million rows), read in `replica_reads`:
    a StreamingHttpResponse's rows are read after its view has returned, outside the view's
    mark. The mark holds from the first chunk to the last (or until the server closes the
    response)."""
    with replica_reads(request):
        yield from chunks


class ReplicaRouter:
    """Reads in a marked view to the replica, the rest (every write) to the primary."""

    def db_for_read(self, model: type[Model], **hints: Any) -> str | None:
        if _on_replica.get() and not connections[PRIMARY].in_atomic_block:
            return REPLICA
        return None

    def db_for_write(self, model: type[Model], **hints: Any) -> str | None:
        return PRIMARY

    def allow_relation(self, obj1: Model, obj2: Model, **hints: Any) -> bool:
        return True  # the same rows, a moment apart

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db != REPLICA  # the replica follows the primary's schema by itself


class PinToPrimary:
    """Marks a browser that may have just written (see the module's docstring)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if configured() and request.method not in SAFE_METHODS:
            response.set_cookie(
                PIN_COOKIE,
                f"{time.time():.3f}",
                max_age=settings.KENSE_REPLICA_PIN_SECONDS + 1,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response
