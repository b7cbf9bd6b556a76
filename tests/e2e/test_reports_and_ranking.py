"""A periodic report from opening to approval, and the ranking with a territory's passport, in
a browser.

Saran's coordinator opens the 2021 report of Saran city on the demo's annual form through the
report list, sees the 2020 values beside the fields, is refused values that break the form's
rules (when it has any), fills valid values and submits; the project office returns it with a
comment; the coordinator corrects a value and resubmits; the office approves it, and the
reporting rates of 2021 count Saran as submitted.

The akim opens the 2019 ranking: two peer groups (cities, districts), Abai and Shet districts
flagged as low results, an explanation row for Shet; Shet's passport shows its 2019 rank.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest

from e2e.conftest import login, screenshot
from kense.indicators.models import (
    Indicator,
    IndicatorValue,
    Methodology,
    Report,
    ReportForm,
    ReportStatus,
)
from kense.registry.models import Territory

pytestmark = pytest.mark.e2e

YEAR = 2021
FORM_CODE = "annual-rukhani"
FORM_KK = "«Рухани жаңғыру» бойынша жылдық есеп"
SARAN = "Саран қаласы"
ABAI = "Абай ауданы"
SHET = "Шет ауданы"
COMMENT = "Қатысушылар санын тіркеу журналы бойынша нақтылаңыз."

REPORT_PAGE = re.compile(r"/kk/indicators/reports/\d+/$")


# Helpers ---------------------------------------------------------------------------------------


def path_of(page: Any) -> str:
    return re.sub(r"^https?://[^/]+", "", page.url)


def submit(page: Any, button: Any, url: str | re.Pattern[str]) -> None:
    """Click a submit button and wait for the page it leads to."""
    with page.expect_navigation(url=url):
        button.click()


def success(page: Any) -> str:
    messages = page.locator("ul.messages li.success")
    assert messages.count() >= 1, f"{page.url}: {page.locator('body').inner_text()[:2000]}"
    return messages.first.inner_text()


def switch_user(page: Any, username: str) -> None:
    page.context.clear_cookies()
    login(page, username)


def badge(page: Any) -> str:
    classes = page.locator("dl.facts .badge").first.get_attribute("class") or ""
    return classes.replace("badge", "").strip()


def value_rows(page: Any) -> Any:
    return page.locator("form.card table tbody tr")


def breaking_value(rule: dict[str, Any], previous: Decimal) -> tuple[str, Decimal] | None:
    """An indicator code (or "" for any) and a value that breaks the rule, if simple to do."""
    kind = rule.get("rule")
    if kind == "min":
        return rule["indicator"], Decimal(str(rule["value"])) - 1
    if kind == "max":
        return rule["indicator"], Decimal(str(rule["value"])) + 1
    if kind == "change" and previous:
        return "", previous * (1 + Decimal(str(rule["percent"])) / 100) * 2
    return None


# The report ------------------------------------------------------------------------------------


def test_report_is_returned_corrected_approved_and_counted(demo: Any, page: Any) -> None:
    form = ReportForm.objects.get(code=FORM_CODE)
    saran = Territory.objects.get(name_kk=SARAN)
    previous = {
        value.indicator.code: value.value
        for value in IndicatorValue.objects.filter(
            territory=saran, year=YEAR - 1, indicator__forms=form
        ).select_related("indicator")
    }
    assert previous and all(value is not None for value in previous.values())

    # Saran's coordinator opens the 2021 report through the report list.
    login(page, "saran")
    page.goto("/kk/indicators/reports/")
    submit(page, page.locator("a.button[href$='/reports/open/']"), re.compile(r"/reports/open/"))
    page.select_option("#id_form", label=FORM_KK)
    page.select_option("#id_territory", label=SARAN)
    page.fill("#id_year", str(YEAR))
    page.fill("#id_period_number", "1")
    submit(page, page.locator("form.edit button[type=submit]"), REPORT_PAGE)
    report_path = path_of(page)
    report = Report.objects.get(form=form, territory=saran, year=YEAR, period_number=1)
    assert report_path.endswith(f"/reports/{report.pk}/")
    assert badge(page) == ReportStatus.DRAFT
    assert str(YEAR - 1) in page.locator("form.card thead").inner_text()

    # The 2020 values are shown beside the fields.
    rows = value_rows(page)
    assert rows.count() == len(previous)
    codes = []
    for index in range(rows.count()):
        row = rows.nth(index)
        # The coordinator sees no indicator codes: the field's name carries the indicator.
        field_name = row.locator("input[name^=value_]").get_attribute("name") or ""
        code = Indicator.objects.get(pk=field_name.removeprefix("value_")).code
        codes.append(code)
        shown = row.locator("td").nth(2).inner_text().strip()
        assert shown == str(previous[code].normalize()), (code, shown)
        assert row.locator("input[name^=value_]").count() == 1

    # A value breaking one of the form's rules is refused (the demo form may have none).
    broken = next(
        (
            found
            for rule in form.rules or []
            if (found := breaking_value(rule, previous[codes[0]])) is not None
        ),
        None,
    )
    if broken is not None:
        code = broken[0] or codes[0]
        row = rows.nth(codes.index(code))
        row.locator("input[name^=value_]").fill(str(broken[1]))
        submit(page, page.locator("form.card button[type=submit]"), report_path)
        assert row.locator("ul.errorlist").count() == 1
        assert Report.objects.get(pk=report.pk).status == ReportStatus.DRAFT

    # Valid values: 5 % up on 2020, typed into each field.
    entered = {code: (previous[code] * Decimal("1.05")).quantize(Decimal(1)) for code in codes}
    for index, code in enumerate(codes):
        field = rows.nth(index).locator("input[name^=value_]")
        field.click()
        field.fill(str(entered[code]))
    submit(page, page.locator("form.card button[type=submit]"), report_path)
    success(page)
    submit(page, page.locator(f"form[action='{report_path}submit/'] button"), report_path)
    success(page)
    assert badge(page) == ReportStatus.SUBMITTED
    assert page.locator("input[name^=value_]").count() == 0  # frozen once submitted

    # The project office returns it with a comment.
    switch_user(page, "office")
    page.goto(report_path)
    page.fill("#id_comment", COMMENT)
    submit(page, page.locator(f"form[action='{report_path}return/'] button"), report_path)
    success(page)
    assert badge(page) == ReportStatus.RETURNED

    # The coordinator reads the comment, corrects the first value and resubmits.
    switch_user(page, "saran")
    page.goto(report_path)
    assert badge(page) == ReportStatus.RETURNED
    assert COMMENT in page.locator("section[role=note]").inner_text()
    screenshot(page, "report-returned")
    corrected = entered[codes[0]] + 7
    field = value_rows(page).first.locator("input[name^=value_]")
    field.click()
    field.fill(str(corrected))
    submit(page, page.locator("form.card button[type=submit]"), report_path)
    success(page)
    submit(page, page.locator(f"form[action='{report_path}submit/'] button"), report_path)
    success(page)
    assert badge(page) == ReportStatus.SUBMITTED

    # The office approves it; the values show as approved.
    switch_user(page, "office")
    page.goto(report_path)
    submit(page, page.locator(f"form[action='{report_path}approve/'] button"), report_path)
    success(page)
    assert badge(page) == ReportStatus.APPROVED
    values_card = page.locator("form.card")
    assert values_card.locator("h2 .badge").count() == 0  # no «not approved»
    assert values_card.locator("input[name^=value_]").count() == 0
    first = value_rows(page).first.locator("td").nth(3).inner_text().strip()
    assert first == str(corrected)
    stored = IndicatorValue.objects.filter(report=report)
    assert {value.status for value in stored} == {"approved"}
    screenshot(page, "report-approved")

    # The reporting rates of 2021 count Saran's report as submitted.
    switch_user(page, "saran")
    page.goto("/kk/indicators/reports/rates/")
    page.select_option("select[name=form]", label=FORM_KK)
    page.fill("input[name=year]", str(YEAR))
    submit(page, page.locator("form.filters button[type=submit]"), re.compile(r"year=2021"))
    assert f"{FORM_KK}, {YEAR}" in page.locator("section.card h2").inner_text()
    row = page.locator("section.card tbody tr", has_text=SARAN)
    assert row.count() == 1
    cells = row.locator("td")
    assert cells.nth(1).locator(".badge").count() == 1  # on time or late, with a link
    assert cells.nth(1).locator(f"a[href='{report_path}']").count() == 1
    assert cells.nth(2).inner_text().strip() == "1"  # expected
    assert cells.nth(3).inner_text().strip() == "1"  # submitted


# The ranking -----------------------------------------------------------------------------------


def test_ranking_flags_low_districts_and_passport_shows_rank(demo: Any, page: Any) -> None:
    methodology = Methodology.objects.get(year=2019)
    shet = Territory.objects.get(name_kk=SHET)

    login(page, "akim")
    page.goto("/kk/indicators/ranking/")
    # Choose the 2019 methodology and year like a user: htmx swaps the results each time.
    with page.expect_response(lambda r: "methodology=" in r.url and r.status == 200):
        page.select_option("select[name=methodology]", str(methodology.pk))
    with page.expect_response(lambda r: "year=2019" in r.url and r.status == 200):
        page.select_option("select[name=year]", "2019")
    results = page.locator("#results")
    assert "2019" in results.locator("p.muted").first.inner_text()
    # Cities and districts, after the map of both (issue 15).
    assert results.locator("h2").all_inner_texts()[1:] == ["Облыстық маңызы бар қала", "Аудан"]
    assert results.locator("table.explanation").count() == 2

    low = results.locator("table.explanation tbody tr", has=page.locator(".flag-low"))
    low_names = [
        low.nth(i).locator("td").nth(1).locator("a").inner_text() for i in range(low.count())
    ]
    assert ABAI in low_names and SHET in low_names, low_names
    districts = results.locator("table.explanation").nth(1)
    assert districts.locator("tr", has_text=ABAI).locator(".flag-low").count() == 1

    shet_row = results.locator(f"tr#t{shet.pk}")
    assert shet_row.locator(".flag-low").count() == 1
    shet_cells = shet_row.locator("td")
    rank = shet_cells.nth(0).inner_text().strip()
    assert rank.isdigit()
    assert shet_cells.nth(2).inner_text().strip()  # a score
    assert shet_cells.nth(3).inner_text().strip()  # what pulled it down
    screenshot(page, "ranking-2019")

    # Shet's passport: its rank for 2019.
    submit(page, shet_row.locator("a").first, re.compile(rf"/passport/{shet.pk}/$"))
    assert SHET in page.locator("h1").inner_text()
    year_row = page.locator(
        "table.results-table tbody tr", has=page.locator("td.title", has_text="2019")
    )
    assert year_row.count() == 1
    rank_cell = year_row.locator("td").last
    assert re.match(rf"{rank} / \d+", rank_cell.inner_text().strip()), rank_cell.inner_text()
    assert rank_cell.locator(".flag-low").count() == 1
    assert page.javascript_errors == []
