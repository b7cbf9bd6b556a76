import pytest


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):  # type: ignore[no-untyped-def]
    # PBKDF2 at full strength costs ~0.3 s a user; tests only need passwords to work.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.AXES_ENABLED = False


@pytest.fixture(autouse=True)
def _empty_cache():  # type: ignore[no-untyped-def]
    # Cached values (the dashboard's counts) must not leak from one test into the next.
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _fresh_lexicon():  # type: ignore[no-untyped-def]
    # The process's matcher holds the registry it read: each test's database is new.
    from kense.media import lexicon

    lexicon.reset()
    yield
    lexicon.reset()


@pytest.fixture(autouse=True)
def _default_language():  # type: ignore[no-untyped-def]
    # A request to /en/… leaves English active in the thread (LocaleMiddleware activates the
    # address's language and nothing deactivates it); the next test would then reverse its
    # addresses under /en/ and read English messages. Each test starts in the default language.
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def reads_marked(monkeypatch):  # type: ignore[no-untyped-def]
    """As if a replica were configured: records, for each read the router is asked about, the
    model's name and whether the read was marked for the replica ("replica") or not
    ("default"), while every read still goes to the test database."""
    from kense.core import replica

    monkeypatch.setattr(replica, "configured", lambda: True)
    seen: list[tuple[str, str]] = []

    def db_for_read(self, model, **hints):  # type: ignore[no-untyped-def]
        seen.append((model._meta.label, "replica" if replica._on_replica.get() else "default"))
        return None

    monkeypatch.setattr(replica.ReplicaRouter, "db_for_read", db_for_read)
    return seen
