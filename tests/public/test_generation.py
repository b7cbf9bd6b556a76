"""Where the open pages' generation lives (kense.public.cache): in the file of one machine,
or, with a shared cache (KENSE_REDIS_URL), in that cache beside the pages (issue 17)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.cache import cache

from kense.public import cache as page_cache


def test_one_machine_keeps_the_generation_in_its_file(settings: Any, tmp_path: Path) -> None:
    settings.KENSE_REDIS_URL = ""
    settings.PUBLIC_GENERATION_FILE = tmp_path / "generation"
    first = page_cache.generation()
    assert settings.PUBLIC_GENERATION_FILE.read_text() == first

    page_cache._bump()
    assert page_cache.generation() == settings.PUBLIC_GENERATION_FILE.read_text() != first


def test_with_a_shared_cache_the_generation_is_kept_in_it(settings: Any, tmp_path: Path) -> None:
    settings.KENSE_REDIS_URL = "redis://127.0.0.1:6379/0"  # the test's cache stands in for it
    settings.PUBLIC_GENERATION_FILE = tmp_path / "generation"
    cache.delete(page_cache.GENERATION_KEY)
    first = page_cache.generation()
    assert first and page_cache.generation() == first == cache.get(page_cache.GENERATION_KEY)

    page_cache._bump()
    assert page_cache.generation() != first
    cache.delete(page_cache.GENERATION_KEY)  # evicted, or Redis restarted: a new one
    assert page_cache.generation() not in {"", first}
    assert not settings.PUBLIC_GENERATION_FILE.exists()
