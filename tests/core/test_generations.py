"""Generations (kense.core.generations): where the token lives — in the file of one machine,
or, with a shared cache (KENSE_REDIS_URL), in that cache (issue 17) — and what moves it on."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.db import transaction

from factories import TerritoryFactory
from kense.core.generations import Generation
from kense.public.cache import SHOWN


def test_one_machine_keeps_the_generation_in_its_file(settings: Any, tmp_path: Path) -> None:
    settings.KENSE_REDIS_URL = ""
    settings.KENSE_GENERATIONS_DIR = tmp_path
    generation = Generation("testing", ())
    first = generation.current()
    assert (tmp_path / "testing").read_text() == first

    generation.bump()
    assert generation.current() == (tmp_path / "testing").read_text() != first


def test_with_a_shared_cache_the_generation_is_kept_in_it(settings: Any, tmp_path: Path) -> None:
    settings.KENSE_REDIS_URL = "redis://127.0.0.1:6379/0"  # the test's cache stands in for it
    settings.KENSE_GENERATIONS_DIR = tmp_path
    generation = Generation("testing", ())
    first = generation.current()
    assert first and generation.current() == first == cache.get(generation.key)

    generation.bump()
    assert generation.current() != first
    cache.delete(generation.key)  # evicted, or Redis restarted: a new one
    assert generation.current() not in {"", first}
    assert not (tmp_path / "testing").exists()


def test_generations_are_apart(settings: Any, tmp_path: Path) -> None:
    settings.KENSE_GENERATIONS_DIR = tmp_path
    one, other = Generation("one", ()), Generation("other", ())
    before = other.current()
    one.bump()
    assert other.current() == before


@pytest.mark.django_db
def test_a_save_or_delete_of_a_watched_model_moves_it_on(settings: Any, tmp_path: Path) -> None:
    settings.KENSE_GENERATIONS_DIR = tmp_path
    first = SHOWN.current()
    territory = TerritoryFactory()
    second = SHOWN.current()
    assert second != first
    territory.delete()
    assert SHOWN.current() not in {first, second}


def test_a_value_is_kept_until_the_generation_moves_on(settings: Any, tmp_path: Path) -> None:
    settings.KENSE_GENERATIONS_DIR = tmp_path
    generation = Generation("testing", ())
    computed: list[int] = []

    def compute() -> int:
        computed.append(1)
        return len(computed)

    assert generation.kept("a", compute, 60) == 1
    assert generation.kept("a", compute, 60) == 1  # kept
    assert generation.kept("b", compute, 60) == 2  # something else it depends on
    generation.bump()
    assert generation.kept("a", compute, 60) == 3  # read afresh after a change


@pytest.fixture
def generation(settings: Any, tmp_path: Path) -> Generation:
    """A generation of its own, in a directory of its own, its file written."""
    settings.KENSE_GENERATIONS_DIR = tmp_path
    generation = Generation("testing", ())
    generation.bump()
    return generation


@pytest.mark.django_db(transaction=True)
def test_in_one_transaction_the_token_moves_once_now_and_once_at_commit_unless_read_between(
    generation: Generation,
) -> None:
    written: list[str] = []
    bump = generation.bump

    def counted_bump() -> None:
        bump()
        written.append(generation.file().read_text())

    generation.bump = counted_bump  # type: ignore[method-assign]
    generation._at_commit = counted_bump

    with transaction.atomic():
        before = generation.current()
        for _change in range(50):
            generation.changed()
        assert len(written) == 1  # moved on at the first change only
        moved = generation.current()
        assert moved != before
        generation.changed()  # read since: moved on again
        assert len(written) == 2
        with transaction.atomic():
            generation.changed()  # not read since
        assert len(written) == 2
    # At commit, once more (a reader between the first move and the commit saw the old rows).
    assert len(written) == 3
    assert generation.current() not in {before, moved}

    # Outside a transaction a change is committed already: moved on once.
    generation.changed()
    assert len(written) == 4


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_savepoint_takes_the_move_at_commit_with_it_and_the_next_change_asks_again(
    generation: Generation,
) -> None:
    at_commit: list[int] = []
    bump = generation.bump

    def counted_at_commit() -> None:
        at_commit.append(1)
        bump()

    generation._at_commit = counted_at_commit
    with transaction.atomic():
        try:
            with transaction.atomic():
                generation.changed()
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass
        generation.changed()
    assert at_commit == [1]
