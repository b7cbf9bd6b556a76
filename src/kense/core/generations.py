"""Generations: what was computed from a body of data, kept until that data changes.

A *generation* is a token that any save or delete of the models it watches moves on, now and
again when the transaction commits (a reading between the two, still seeing the old rows, is
not kept past the commit). A value kept under the current token is never read after a change:
the next reader finds a new token and computes afresh. So the user who wrote sees their write
at once, in every process.

Where the token lives: the embedded default cache is one per process, and gunicorn's workers
would each keep their own token, so a change made in one would stay unseen in the others. On
one machine the token is therefore a small file in KENSE_GENERATIONS_DIR, which every process
reads for the price of one small read; a change writes a new random token into it atomically,
so two changes at once never cancel out. With a shared cache (Redis, KENSE_REDIS_URL: several
machines) it is a cache entry instead, read by every node (docs/decisions.md, "Beyond one
machine"). A write made without signals (`QuerySet.update`) moves no generation: what is kept
is also kept for a bounded time.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

T = TypeVar("T")


class Generation:
    """The token of the data held by the models `labels` ("app_label.Model")."""

    def __init__(self, name: str, labels: tuple[str, ...]) -> None:
        self.name = name
        self.labels = labels
        self.key = f"generation:{name}"
        # How often this process has read the token, and how often it had when it last moved
        # it on: a change in a transaction that has moved it on already needs no new token
        # unless the token was read since (what was kept under it may predate the change).
        self._reads = 0
        self._reads_at_bump = -1
        self._at_commit = self.bump  # one object, to find its registration again

    def file(self) -> Path:
        return Path(settings.KENSE_GENERATIONS_DIR) / self.name

    def current(self) -> str:
        self._reads += 1
        if _in_cache():
            # Lost (evicted, Redis restarted): a new one, so everything is computed afresh.
            cache.add(self.key, secrets.token_hex(8), None)
            return str(cache.get(self.key, ""))
        try:
            return self.file().read_text()
        except FileNotFoundError:
            self.bump()
            return self.file().read_text()

    def bump(self) -> None:
        if _in_cache():
            cache.set(self.key, secrets.token_hex(8), None)
            return
        path = self.file()
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f"{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
        temporary.write_text(secrets.token_hex(8))
        os.replace(temporary, path)

    def kept(self, what: str, compute: Callable[[], T], seconds: int) -> T:
        """`compute()`, kept in the cache under this generation and `what` (all else the value
        depends on) until the generation moves on, and for `seconds` at most."""
        text = f"{self.name}|{self.current()}|{what}"
        key = "kept:" + hashlib.sha256(text.encode()).hexdigest()
        value: T | None = cache.get(key)
        if value is None:
            value = compute()
            cache.set(key, value, seconds)
        return value

    def changed(self, **kwargs: Any) -> None:
        """A signal's receiver: moved on now and when the transaction commits. Outside a
        transaction the change is committed already: once is enough. Inside one, the move at
        commit is registered once, and a further change moves it on now only if the token was
        read in this process since the last move (a demo load or a test makes thousands of
        changes in one transaction, each of which wrote the file twice)."""
        connection = transaction.get_connection()
        if not connection.in_atomic_block:
            self._bump_now()
            return
        if not self._bump_at_commit_registered(connection):
            transaction.on_commit(self._at_commit)
            registered = connection.run_on_commit
            connection.__dict__.setdefault("kense_generations_at_commit", {})[self.name] = (
                registered,
                len(registered) - 1,
            )
            self._bump_now()
        elif self._reads != self._reads_at_bump:
            self._bump_now()

    def _bump_now(self) -> None:
        self.bump()
        self._reads_at_bump = self._reads

    def _bump_at_commit_registered(self, connection: Any) -> bool:
        """Whether this transaction will still move it on at commit. Django replaces its list
        of callbacks when a savepoint or the transaction is rolled back, and empties it from
        the front as it runs them: the registration is found where it was put, or looked on
        as gone."""
        found = connection.__dict__.get("kense_generations_at_commit", {}).get(self.name)
        if found is None:
            return False
        registered, index = found
        callbacks = connection.run_on_commit
        return (
            registered is callbacks
            and index < len(callbacks)
            and callbacks[index][1] is self._at_commit
        )

    def connect(self) -> None:
        """Move on at every save or delete of the watched models, and every change of their
        many-to-many links (an app's ready())."""
        for label in self.labels:
            model = apps.get_model(label)
            uid = f"generation-{self.name}-{label}"
            post_save.connect(self.changed, sender=model, dispatch_uid=f"{uid}-save")
            post_delete.connect(self.changed, sender=model, dispatch_uid=f"{uid}-delete")
            for field in model._meta.many_to_many:
                m2m_changed.connect(
                    self.changed,
                    sender=field.remote_field.through,
                    dispatch_uid=f"{uid}-{field.name}",
                )


def _in_cache() -> bool:
    """With a shared cache (Redis: KENSE_REDIS_URL) the token is kept in it, where every node
    reads it; a directory shared between machines (NFS) may show a renamed file late. Without
    one, in the file."""
    return bool(settings.KENSE_REDIS_URL)
