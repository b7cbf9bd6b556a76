"""The registry as people use it, in a real browser: the coordinator of Saran works in Kazakh,
switches languages, browses the tree, opens a person, creates and edits a project and reads its
history, and is refused another district's organization; the project office looks at the tree
as it stood in 2020 and as it stands today, and finds a person from the header search box."""

from __future__ import annotations

import datetime
import re
import warnings
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation

from e2e.conftest import login, screenshot
from kense.registry.demo import REGION
from kense.registry.models import Organization, OrganizationKind

pytestmark = pytest.mark.e2e

REPORT_DAY = datetime.date(2020, 4, 21)
MOVED_TO_ULYTAU = [
    "Жезқазған қаласы",
    "Қаражал қаласы",
    "Сәтбаев қаласы",
    "Жаңаарқа ауданы",
    "Ұлытау ауданы",
]
KK_PO = Path(__file__).resolve().parents[2] / "src/kense/locale/kk/LC_MESSAGES/django.po"
# What the header of every page says, whichever page it is.
HEADER_STRINGS = ["Territories", "Organizations", "People", "Projects", "Log out"]


# Helpers ---------------------------------------------------------------------------------------


def in_language(language: str, message: str) -> str:
    """What the catalogs (Django's and Kense's, as compiled) make of `message` in `language`."""
    with translation.override(language):
        return translation.gettext(message)


def po_translations(path: Path) -> dict[str, str]:
    """The single-line, non-fuzzy entries of a .po file: msgid → msgstr (empty ones left out)."""
    entries: dict[str, str] = {}
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        if "#, fuzzy" in block:
            continue
        msgid = re.search(r'^msgid "(.+)"$', block, re.MULTILINE)
        msgstr = re.search(r'^msgstr "(.+)"$', block, re.MULTILINE)
        if msgid and msgstr:
            entries[msgid.group(1)] = msgstr.group(1)
    return entries


def path_of(page: Any) -> str:
    return re.sub(r"^https?://[^/]+", "", page.url)


def assert_language(page: Any, language: str) -> None:
    assert page.locator("html").get_attribute("lang") == language
    assert path_of(page).startswith(f"/{language}/")
    logout = page.locator("header form[action$='/accounts/logout/'] button")
    assert logout.inner_text().strip() == in_language(language, "Log out")


def switch_language(page: Any, language: str) -> None:
    """Click the header's language link: the same page comes back in the other language."""
    tail = re.sub(r"^/[a-z]{2}/", "/", path_of(page))
    page.click(f"header .languages a[hreflang={language}]")
    page.wait_for_url(f"**/{language}{tail}")
    assert path_of(page) == f"/{language}{tail}"
    assert_language(page, language)
    assert page.locator(f"header .languages a.current[hreflang={language}]").count() == 1


def screenshot_in_each_language(page: Any, name: str) -> None:
    """Screenshots of the page in kk, ru and en, through the language links; ends back in kk."""
    screenshot(page, f"{name}-kk")
    for language in ("ru", "en"):
        switch_language(page, language)
        screenshot(page, f"{name}-{language}")
    switch_language(page, "kk")


def assert_styled(page: Any) -> None:
    """kense.css and htmx came from the live server's static files and are in use."""
    background = page.evaluate("getComputedStyle(document.querySelector('header.top')).background")
    assert "rgb(11, 59, 74)" in background, "kense.css is not applied"
    page.wait_for_function("() => typeof window.htmx === 'object'")
    for asset in ("link[rel=stylesheet]", "script[src*='htmx']"):
        url = page.locator(f"head {asset}").first.evaluate("node => node.href || node.src")
        assert page.request.get(url).status == 200, url


def nav(page: Any, tail: str) -> None:
    """Follow a link of the header's navigation (found by where it goes, in any language)."""
    page.click(f"header nav a[href$='{tail}']")
    page.wait_for_url(re.compile(re.escape(tail) + "$"))


# The territory coordinator ---------------------------------------------------------------------


def test_coordinator_works_in_kazakh_and_is_kept_to_the_city(demo: Any, page: Any) -> None:
    login(page, "saran")

    # The page is in Kazakh: <html lang>, the /kk/ prefix, and Kazakh words in the header.
    assert_language(page, "kk")
    assert in_language("kk", "Log out") != "Log out", "the header has no Kazakh word"
    header = page.locator("header.top").inner_text()
    for message in HEADER_STRINGS:
        assert in_language("kk", message) in header
    search_box = page.locator("header form.search input[name=q]")
    assert search_box.get_attribute("placeholder") == in_language("kk", "Search")
    if KK_PO.exists():
        # The page shows Kense's own catalog; while it is not compiled, say so and go on.
        kk_mo = KK_PO.with_suffix(".mo")
        if kk_mo.exists() and kk_mo.stat().st_mtime >= KK_PO.stat().st_mtime:
            catalog = po_translations(KK_PO)
            for message in HEADER_STRINGS:
                if message in catalog:
                    assert catalog[message] in header, f"{message!r} → {catalog[message]!r}"
        else:
            warnings.warn(
                f"{KK_PO} is newer than its .mo: run manage.py compilemessages", stacklevel=1
            )
    assert_styled(page)

    # The tree starts at the coordinator's city; it opens the city's page, which lists its people.
    nav(page, "/registry/territories/")
    assert_language(page, "kk")
    page.locator("main h2").get_by_role("link", name="Саран қаласы").click()
    page.wait_for_url(re.compile(r"/kk/registry/territories/\d+/$"))
    assert page.locator("h1").inner_text() == "Саран қаласы"
    page.locator("main section").get_by_role("link", name="Әбдірахманов Нұрлан").click()
    page.wait_for_url(re.compile(r"/kk/registry/people/\d+/$"))
    assert page.locator("h1").inner_text() == "Әбдірахманов Нұрлан"
    assert page.get_by_role("link", name="Саран қаласының әкімдігі").count() >= 1
    screenshot_in_each_language(page, "person")

    # A new project of the city, through the form.
    nav(page, "/programs/projects/")
    page.click("main .toolbar a.button[href$='/programs/projects/add/']")
    page.wait_for_url("**/kk/programs/projects/add/")
    page.select_option("#id_program", label="Рухани жаңғыру")
    page.select_option("#id_territory", label="Саран қаласы")
    page.fill("#id_name_kk", "Саран жастарының кітап клубы")
    page.fill("#id_name_ru", "Книжный клуб молодёжи Сарани")
    page.fill("#id_start", "2020-09-01")
    page.select_option("#id_status", "planned")
    page.select_option("#id_lead_organization", label="Саран қаласының мәдениет үйі")
    page.click("form.edit button[type=submit]")
    page.wait_for_url(re.compile(r"/kk/programs/projects/\d+/$"))
    project_path = path_of(page)
    assert page.locator("h1").inner_text() == "Саран жастарының кітап клубы"
    assert page.locator("ul.messages li.success").count() == 1
    facts = page.locator("main .card").first
    assert "Книжный клуб молодёжи Сарани" in facts.inner_text()
    planned = page.locator("dl.facts .badge.planned").inner_text()

    # Edited: the project starts and its Russian name is corrected.
    page.click(f"main .toolbar a[href$='{project_path}edit/']")
    page.wait_for_url(f"**{project_path}edit/")
    assert page.locator("#id_name_kk").input_value() == "Саран жастарының кітап клубы"
    page.select_option("#id_status", "active")
    page.fill("#id_name_ru", "Книжный клуб молодёжи города Сарани")
    page.click("form.edit button[type=submit]")
    page.wait_for_url(f"**{project_path}")
    active = page.locator("dl.facts .badge.active").inner_text()
    assert "Книжный клуб молодёжи города Сарани" in facts.inner_text()

    # The history shows who changed what, newest first.
    rows = page.locator("#history tbody tr")
    assert rows.count() == 2
    change = rows.first.locator(".history-change")
    assert "Нұрлан Әбдірахманов" in rows.first.inner_text()
    assert planned in change.locator("del").all_inner_texts()
    assert active in change.locator("ins").all_inner_texts()
    assert "Книжный клуб молодёжи Сарани" in change.locator("del").all_inner_texts()
    assert "Книжный клуб молодёжи города Сарани" in change.locator("ins").all_inner_texts()
    screenshot_in_each_language(page, "project")

    # Another city's akimat does not exist for the coordinator: the URL typed in gives the 404 page.
    temirtau_akimat = Organization.objects.get(
        name_kk="Теміртау қаласының әкімдігі", kind=OrganizationKind.AKIMAT
    )
    response = page.goto(f"/kk/registry/organizations/{temirtau_akimat.pk}/")
    assert response is not None
    assert response.status == 404
    assert "Теміртау" not in page.locator("body").inner_text()
    screenshot(page, "not-found-kk")

    assert page.javascript_errors == []


# The project office ----------------------------------------------------------------------------


def test_office_sees_the_tree_then_and_now_and_finds_a_person(demo: Any, page: Any) -> None:
    login(page, "office")
    nav(page, "/registry/territories/")
    assert_styled(page)
    region = page.locator("main .card h2", has_text=REGION.kk)
    assert region.count() == 1
    top_level = page.locator("main .card > ul.tree > li > a")

    # As the tree stood on the day of the 2020 report: the 9 cities and 9 districts.
    page.fill("#id_on", REPORT_DAY.isoformat())
    page.click("form.filters button[type=submit]")
    page.wait_for_url(f"**/kk/registry/territories/?on={REPORT_DAY.isoformat()}")
    assert top_level.count() == 18
    assert set(MOVED_TO_ULYTAU) <= set(top_level.all_inner_texts())

    # Today: the five that went to Ulytau region in 2022 are no longer under Karaganda.
    page.click("form.filters a[href$='/registry/territories/']")
    page.wait_for_url("**/kk/registry/territories/")
    assert top_level.count() == 13
    assert not set(MOVED_TO_ULYTAU) & set(top_level.all_inner_texts())

    # "+" loads a district's units with HTMX, without leaving the page.
    shet = page.locator(
        "main .card > ul.tree > li", has=page.get_by_role("link", name="Шет ауданы", exact=True)
    )
    with page.expect_response(re.compile(r"/registry/territories/\d+/children/")) as answer:
        shet.locator("button.tree-toggle").click()
    assert answer.value.ok
    assert answer.value.request.headers.get("hx-request") == "true"
    assert shet.locator(".subtree a").all_inner_texts() == ["Ақсу-Аюлы ауылдық округі"]
    assert path_of(page) == "/kk/registry/territories/"
    screenshot_in_each_language(page, "territory-tree")

    # The header search finds a name typed in capitals, with its Kazakh letters.
    search = page.locator("header form.search input[name=q]")
    search.fill("НҮКЕНОВ")
    search.press("Enter")
    page.wait_for_url(re.compile(r"/kk/search/\?q="))
    found = page.locator("main .search-group a", has_text="Нүкенов")
    assert found.count() >= 1
    assert "Абзал" in found.first.inner_text()
    found.first.click()
    page.wait_for_url(re.compile(r"/kk/registry/people/\d+/$"))
    assert "Нүкенов" in page.locator("h1").inner_text()

    assert page.javascript_errors == []
