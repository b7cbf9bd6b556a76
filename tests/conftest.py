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
