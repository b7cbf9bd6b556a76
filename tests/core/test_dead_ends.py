"""No dead ends: every role, starting at the home page and following every link of Kense's pages
(the menu among them) breadth first, meets no page that answers 403, 404 or 500.

The world is the demo (kense.registry.demo.load_demo, through tests/demo_snapshot.py), the
region a new user tries. A page is fetched once per role; logging out, downloads and exports
(?export=, files, feeds) are not followed, and neither are the administration site and the API.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterator
from html import unescape
from typing import Any
from urllib.parse import urldefrag, urlsplit

import pytest
from django.db import transaction
from django.test import Client
from django.test.utils import override_settings
from django.utils import translation
from tests.demo_snapshot import demo_in_transaction

from kense.accounts.models import User
from kense.core.menu import menu_for

# A page budget per role: every kind of page is reached well within it.
BUDGET = 400
HREF = re.compile(r'<a\b[^>]*?\shref="([^"]+)"', re.IGNORECASE)
# Not pages: leaving, files, exports, feeds, the administration site, the API.
SKIPPED = re.compile(
    r"(/logout|/download|/export|/attachments?/\d+|/files?/|\.(?:ics|pdf|docx|xlsx|csv|zip)$"
    r"|/feed|/calendar/|^/admin/|^/api/|/minutes/|/template)"
)
ROLES = ("office", "observer", "saran", "school", "deputy-abai", "akim", "culture")


def links(content: str, language: str = "kk") -> Iterator[str]:
    """The same-site pages a page links to, in its language (the language switcher's links
    lead to the same pages)."""
    for raw in HREF.findall(content):
        url, _fragment = urldefrag(unescape(raw))
        parts = urlsplit(url)
        if parts.scheme or parts.netloc or not parts.path.startswith(f"/{language}/"):
            continue
        if "export=" in parts.query or SKIPPED.search(parts.path):
            continue
        yield url


def crawl(client: Client, starts: list[str], budget: int = BUDGET) -> tuple[int, list[Any]]:
    """The pages reached (at most `budget`) and the dead ends met: (status, url, from)."""
    seen = set(starts)
    queue: deque[tuple[str, str]] = deque((start, "") for start in starts)
    dead: list[Any] = []
    fetched = 0
    while queue and fetched < budget:
        url, origin = queue.popleft()
        response = client.get(url)
        fetched += 1
        if response.status_code in (403, 404, 500):
            dead.append((response.status_code, url, origin))
            continue
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        for link in links(response.content.decode()):
            if link not in seen:
                seen.add(link)
                queue.append((link, url))
    return fetched, dead


@pytest.fixture(scope="module")
def demo(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    with (
        override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        demo_in_transaction()
        yield
        transaction.set_rollback(True)


@pytest.mark.django_db
@pytest.mark.parametrize("username", ROLES)
def test_no_link_leads_to_a_dead_end(demo: None, username: str) -> None:
    user = User.objects.filter(username=username).first()
    if user is None:  # a demo without this role's login
        user = User.objects.filter(role=_ROLE_OF.get(username, username)).first()
    assert user is not None, username
    client = Client(raise_request_exception=False)
    client.force_login(user)
    with translation.override("kk"):
        starts = ["/kk/"] + [item["url"] for group in menu_for(user) for item in group["items"]]
    fetched, dead = crawl(client, starts)
    assert fetched > 20, fetched
    assert dead == [], dead


_ROLE_OF = {"akim": "executive", "culture": "department"}
