"""The «Тұлғатану» guideline acknowledged by a school, and an article ingested with its links,
in a browser.

School No. 1 of Saran opens its documents to acknowledge, opens the guideline, writes how it
applies it and acknowledges it; the project office's tracking page counts the school as
acknowledged.

The project office pastes a short Kazakh article into "Ingest an article": the review page
highlights the names it knows, suggests the links (Nükenov, Beisembekova, Saryarqa Aqparat,
Karaganda region) and offers «Бейсенбекова» as a name variant; the office confirms with the
variant recorded as an alias, and the publication page shows the links and the 437 views.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from e2e.conftest import login, screenshot
from kense.accounts.models import User
from kense.documents.models import Recipient
from kense.media.models import Publication

pytestmark = pytest.mark.e2e

GUIDELINE = "Тұлғатану: облыстың көрнекті тұлғаларын зерттеу"
REPORT = "Нұсқаулық бойынша мектепте «Ұлы дала есімдері» апталығы өткізілді."
ARTICLE_TITLE = "Облыста көрнекті тұлғаларды зерттеу жалғасуда"
ARTICLE = f"""{ARTICLE_TITLE}
Қаралды: 437
Қарағанды облысы әкімі Абзал Нүкенов өңірдің көрнекті тұлғаларын зерттеу жұмысын жоғары бағалады.
НҮКЕНОВТІҢ айтуынша, аудандардағы мектептер мен мұражайлар жаңа деректер жинап жатыр.
Тарих ғылымдарының кандидаты Нұрсахан Бейсенбекова жобаның ғылыми кеңесін басқарады.
Жоба туралы материалдарды Saryarqa Aqparat агенттігі тұрақты жариялап келеді.
Келесі жылы Қарағанды облысы бойынша жаңа есімдер тізімі жарияланады.
"""


def submit(page: Any, button: Any, url: str | re.Pattern[str]) -> None:
    """Click a submit button and wait for the page it leads to."""
    with page.expect_navigation(url=url):
        button.click()


def switch_user(page: Any, username: str) -> None:
    page.context.clear_cookies()
    login(page, username)


def test_school_acknowledges_the_guideline(demo: Any, page: Any) -> None:
    school = User.objects.get(username="school")
    recipient = Recipient.objects.get(
        organization=school.organization, distribution__document__title_kk__startswith=GUIDELINE
    )
    # The demo has this school acknowledge the guideline already (documents/demo.py); undo it,
    # so that the school acknowledges it here, through its inbox.
    Recipient.objects.filter(pk=recipient.pk).update(
        acknowledged_at=None, acknowledged_by=None, report=""
    )

    login(page, "school")
    page.get_by_role("link", name="Құжаттар", exact=True).first.click()
    page.get_by_role("link", name="Танысу қажет").click()
    page.wait_for_url("**/kk/documents/inbox/")
    row = page.locator("table tbody tr", has_text=GUIDELINE)
    assert row.count() == 1, page.locator("main, body").first.inner_text()[:2000]
    assert "Саран" in row.inner_text() or school.organization.name in row.inner_text()
    row.get_by_role("link", name=re.compile(GUIDELINE)).click()
    page.wait_for_url(f"**/kk/documents/inbox/{recipient.pk}/")

    form = page.locator("form.edit")
    report = form.locator("textarea[name=report]")
    if report.count():
        report.fill(REPORT)
    submit(page, form.get_by_role("button", name="Таныстым"), re.compile(r".*"))
    page.wait_for_load_state()
    assert page.locator("ul.messages li.success").count() >= 1, page.locator("body").inner_text()[
        :2000
    ]
    recipient.refresh_from_db()
    assert recipient.acknowledged_at is not None
    assert recipient.acknowledged_by == school

    switch_user(page, "office")
    page.goto(f"/kk/documents/{recipient.distribution.document_id}/")
    page.get_by_role("link", name="Танысу", exact=True).first.click()
    page.wait_for_url(f"**/kk/documents/{recipient.distribution.document_id}/tracking/")
    school_row = page.locator("table tbody tr", has_text=str(school.organization))
    assert school_row.count() == 1
    assert school_row.locator(".badge.completed").count() == 1
    assert "school" in school_row.inner_text() or str(school) in school_row.inner_text()
    screenshot(page, "guideline-tracking")
    assert page.javascript_errors == []


def test_office_ingests_an_article(demo: Any, page: Any) -> None:
    login(page, "office")
    page.get_by_role("link", name="БАҚ", exact=True).first.click()
    page.get_by_role("link", name="Мақаланы енгізу").click()
    page.wait_for_url("**/kk/media/ingest/")
    page.fill("#id_text", ARTICLE)
    submit(
        page,
        page.get_by_role("button", name="Мақаланы оқу"),
        re.compile(r".*/kk/media/ingest/$"),
    )

    marks = page.locator(".article-text mark")
    assert marks.count() >= 4, page.locator("body").inner_text()[:3000]
    marked = " ".join(marks.all_inner_texts())
    for word in ("Нүкенов", "НҮКЕНОВТІҢ", "Бейсенбекова", "Saryarqa Aqparat", "Қарағанды облысы"):
        assert word in marked, marked
    assert page.locator(".extracted-views").inner_text().strip() == "437"

    suggestions = page.locator("ul.suggestions li")
    labels = " | ".join(suggestions.all_inner_texts())
    for label in ("Нүкенов", "Бейсембекова", "Saryarqa Aqparat", "Қарағанды облысы"):
        item = suggestions.filter(has_text=label)
        assert item.count() >= 1, labels
        assert item.first.locator("input[name=links]").is_checked(), labels
    variant = page.locator("ul.variants li", has_text="Бейсенбекова")
    assert variant.count() == 1, page.locator("body").inner_text()[:3000]
    variant.locator("input[name=aliases]").check()
    screenshot(page, "ingest-review")

    submit(
        page,
        page.get_by_role("button", name="Жарияланымды сақтау"),
        re.compile(r".*/kk/media/\d+/$"),
    )
    assert page.locator("ul.messages li.success").count() >= 1
    facts = page.locator("dl.facts").first.inner_text()
    assert "437" in facts, facts
    links = page.locator("section.card", has_text="Байланыстар").first.inner_text()
    for label in ("Нүкенов", "Бейсембекова", "Saryarqa Aqparat", "Қарағанды облысы"):
        assert label in links, links

    publication = Publication.objects.get(pk=int(page.url.rstrip("/").rsplit("/", 1)[1]))
    assert publication.reach == 437
    (beisembekova,) = [p for p in publication.people.all() if "Бейсембекова" in str(p)]
    assert "Бейсенбекова" in beisembekova.aliases, beisembekova.aliases
    screenshot(page, "ingest-publication")
    assert page.javascript_errors == []
