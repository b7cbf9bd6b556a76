"""Accessibility of the key pages, checked by axe-core in the browser.

axe-core comes from npm (package.json, installed by make setup into node_modules); its script is
injected into each page as Saran's coordinator opens it (a limited role: one city), and every
violation of impact "serious" or "critical" fails the test, printed with the elements at fault.
The login page is checked before logging in. Both the laptop and the phone widths are checked,
in Kazakh (the default) and in Russian.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from e2e.conftest import login
from kense.accounts.models import User
from kense.assignments.models import Assignment
from kense.documents.models import Document
from kense.meetings.models import Meeting

pytestmark = pytest.mark.e2e

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
GRAVE = ("serious", "critical")
SIZES = {"laptop": (1366, 768), "phone": (390, 844)}


def grave_violations(page: Any) -> list[dict[str, Any]]:
    """axe's violations of impact serious or critical on the page as it is now."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # Evaluated, not added as a <script>: Kense's CSP refuses inline scripts, rightly.
        page.evaluate(AXE.read_text(encoding="utf-8") + "\n;true")
    result = page.evaluate(
        "async () => { const r = await axe.run(document, "
        "{resultTypes: ['violations']}); return r.violations; }"
    )
    return [violation for violation in result if violation.get("impact") in GRAVE]


def describe(url: str, violations: list[dict[str, Any]]) -> str:
    lines = [f"{url}:"]
    for violation in violations:
        lines.append(f"  [{violation['impact']}] {violation['id']}: {violation['help']}")
        for node in violation["nodes"][:5]:
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            lines.append(f"    {json.dumps(node['target'], ensure_ascii=False)} {summary[:300]}")
    return "\n".join(lines)


def key_pages(language: str) -> list[str]:
    """The pages a coordinator opens on a working day, with one object of each kind they see."""
    user = User.objects.get(username="saran")
    assignment = Assignment.objects.restrict(user).order_by("pk").first()
    meeting = Meeting.objects.restrict(user).order_by("pk").first()
    document = Document.objects.restrict(user).order_by("pk").first()
    assert assignment and meeting and document, "the demo gives Saran one of each"
    with translation.override(language):
        return [
            reverse("home:dashboard"),
            reverse("assignments:inbox"),
            assignment.get_absolute_url(),
            meeting.get_absolute_url(),
            reverse("events:event_list"),
            reverse("events:event_calendar"),
            reverse("indicators:ranking"),
            reverse("geo:map") + "?events=on&sites=on",
            reverse("events:event_calendar") + "?view=map",
            reverse("indicators:report_list"),
            reverse("documents:document_detail", args=[document.pk]),
            reverse("accounts:profile"),
        ]


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_key_pages_have_no_serious_or_critical_violations(
    page: Any, demo: Any, language: str
) -> None:
    assert AXE.exists(), "axe-core is installed by make setup (npm install)"
    found: list[str] = []
    for size, (width, height) in SIZES.items():
        page.set_viewport_size({"width": width, "height": height})
        page.context.clear_cookies()
        page.goto(f"/{language}/accounts/login/")
        if violations := grave_violations(page):
            found.append(f"({size}) " + describe(page.url, violations))
        login(page, "saran", language=language)
        for url in key_pages(language):
            response = page.goto(url)
            assert response is not None and response.status == 200, url
            page.wait_for_load_state("load")
            if violations := grave_violations(page):
                found.append(f"({size}) " + describe(url, violations))
    assert not found, "axe-core: serious or critical violations\n" + "\n".join(found)
