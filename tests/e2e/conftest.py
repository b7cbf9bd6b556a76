"""Browser tests: Playwright's sync API drives Debian's Chromium against pytest-django's live
server, which serves the static files (kense.css, htmx) through django.contrib.staticfiles.

No browser is ever downloaded: without /usr/bin/chromium the whole folder is skipped.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings
from tests.demo_snapshot import demo_loaded

from kense.registry.demo import PASSWORD

# Playwright's sync API runs an event loop in the test thread; Django would otherwise refuse
# the ORM calls the fixtures make from that thread.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = next(
    (
        candidate
        for candidate in ("/usr/bin/chromium", shutil.which("chromium"))
        if candidate and Path(candidate).exists()
    ),
    None,
)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
TIMEOUT_MS = 10_000


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(pytest.mark.e2e)
            if CHROMIUM is None:
                item.add_marker(
                    pytest.mark.skip(reason="Chromium not installed: apt-get install chromium")
                )


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    # Keep each phase's report on the test, so that the page fixture knows it failed.
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright")

    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Any, live_server: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A fresh browser context per test (no cookies carried over), whose relative URLs go to
    the live server; a full-page screenshot in test-artifacts/ when the test fails."""
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 1280, "height": 900}, locale="kk-KZ"
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    # What the browser complains of (script errors, CSP refusals), for the tests to check.
    # HTTP errors are left out: the tests check statuses themselves, and there is no favicon.
    errors: list[str] = []

    def on_console(message: Any) -> None:
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            errors.append(f"{message.text} ({message.location.get('url')})")

    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", on_console)
    page.javascript_errors = errors
    yield page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.name)
        page.screenshot(path=str(ARTIFACTS / f"FAILED-{name}.png"), full_page=True)
    context.close()


@pytest.fixture
def demo(transactional_db: Any, live_server: Any) -> Iterator[Any]:
    """The demo in the live server's database (loaded once, then put back for each test:
    tests/demo_snapshot.py); yields the live server.

    MD5 hashes keep the seven demo users cheap to create and to log in as (the live server
    runs in this process, so it sees the same settings).
    """
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        demo_loaded()
        yield live_server


def screenshot(page: Any, name: str) -> Path:
    """Save a full-page screenshot into test-artifacts/ (gitignored), for a person to look at."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def login(page: Any, username: str, *, language: str = "kk") -> None:
    """Log in through the login form, as a person would, with the demo password."""
    page.goto(f"/{language}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("form.edit button[type=submit]")
    page.wait_for_url(f"**/{language}/")
    assert page.locator("form[action$='/accounts/logout/']").count() == 1
