"""Periodic reports as people use them: a district opens its quarterly report, fills it in
against the form's rules with last quarter beside each field, submits it; the project office
returns it with comments or approves (and so locks) it; reporting rates count what came in on
time; and the report makes an Excel round trip, all or nothing."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from factories import ReportFactory, ReportFormFactory, TerritoryFactory, UserFactory
from kense.accounts.models import User
from kense.core.permissions import Role
from kense.indicators import imports
from kense.indicators.models import (
    Indicator,
    IndicatorValue,
    Report,
    ReportForm,
    ReportStatus,
    ValueStatus,
)
from kense.indicators.selectors import reports as report_selectors
from kense.indicators.services import reports as report_services
from kense.registry.models import Territory, TerritoryKind

pytestmark = pytest.mark.django_db

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
D = Decimal


@pytest.fixture(autouse=True)
def _in_english() -> Any:
    with translation.override("en"):
        yield


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user, backend=MODEL_BACKEND)
    return client


@pytest.fixture
def region() -> Territory:
    return TerritoryFactory(
        name_kk="Қарағанды облысы", name_ru="Карагандинская область", kind=TerritoryKind.REGION
    )


@pytest.fixture
def district_a(region: Territory) -> Territory:
    return TerritoryFactory(name_kk="Нұра ауданы", name_ru="Нуринский район", parent=region)


@pytest.fixture
def district_b(region: Territory) -> Territory:
    return TerritoryFactory(name_kk="Шет ауданы", name_ru="Шетский район", parent=region)


@pytest.fixture
def project_office(region: Territory) -> User:
    return UserFactory(role=Role.PROJECT_OFFICE, territory=region)


@pytest.fixture
def coordinator_a(district_a: Territory) -> User:
    return UserFactory(role=Role.COORDINATOR, territory=district_a)


@pytest.fixture
def coordinator_b(district_b: Territory) -> User:
    return UserFactory(role=Role.COORDINATOR, territory=district_b)


def indicator(code: str, order: int) -> Indicator:
    return Indicator.objects.create(
        code=code, name_kk=code, name_ru=code, name_en=code.title(), source="reported", order=order
    )


@pytest.fixture
def form(district_a: Territory, district_b: Territory) -> ReportForm:
    """Quarterly: pupils ≥ 0, girls ≤ pupils, share ≤ 100, comments past a 50 % change."""
    return ReportFormFactory(
        indicators=[indicator("pupils", 1), indicator("girls", 2), indicator("share", 3)],
        territories=[district_a, district_b],
        rules=[
            {"rule": "min", "indicator": "pupils", "value": 0},
            {"rule": "lte", "a": "girls", "b": "pupils"},
            {"rule": "max", "indicator": "share", "value": 100},
            {"rule": "change", "percent": 50},
        ],
    )


def ids(form: ReportForm) -> dict[str, int]:
    return dict(form.indicators.values_list("code", "pk"))


def stored(report: Report) -> dict[str, Any]:
    return {
        v.indicator.code: (v.value, v.comment)
        for v in IndicatorValue.objects.filter(report=report).select_related("indicator")
    }


@pytest.fixture
def report(form: ReportForm, district_a: Territory, coordinator_a: User) -> Report:
    return report_services.report_open(form, district_a, 2020, 2, user=coordinator_a)


def fill(report: Report, user: User, **values: Any) -> None:
    codes = ids(report.form)
    report_services.report_save_values(
        report,
        user=user,
        values={
            codes[code]: entry if isinstance(entry, tuple) else (D(entry), "")
            for code, entry in values.items()
        },
    )


# Forms


def test_the_project_office_saves_a_form_and_its_rules_must_name_its_indicators(
    project_office: User, coordinator_a: User, district_a: Territory
) -> None:
    pupils = indicator("pupils", 1)
    form = ReportForm(code="schools", name_kk="Мектеп", name_ru="Школы", period_kind="quarter")
    form.rules = [{"rule": "min", "indicator": "nobody", "value": 0}]
    with pytest.raises(ValidationError) as error:
        report_services.report_form_save(
            form, user=project_office, indicators=[pupils], territories=[district_a]
        )
    assert "rules" in error.value.message_dict
    form.rules = [{"rule": "min", "indicator": "pupils", "value": 0}]
    saved = report_services.report_form_save(
        form, user=project_office, indicators=[pupils], territories=[district_a]
    )
    assert list(saved.indicators.all()) == [pupils]
    other = ReportForm(code="other", name_kk="x", name_ru="x", period_kind="year")
    with pytest.raises(PermissionDenied):
        report_services.report_form_save(
            other, user=coordinator_a, indicators=[pupils], territories=[district_a]
        )


# Data entry


def test_opening_a_report_creates_a_draft_with_a_value_per_indicator(
    report: Report, form: ReportForm, district_a: Territory, coordinator_a: User
) -> None:
    assert report.status == ReportStatus.DRAFT
    values = IndicatorValue.objects.filter(report=report)
    assert sorted(v.indicator.code for v in values) == ["girls", "pupils", "share"]
    assert {(v.period_kind, v.period_number, v.status) for v in values} == {
        ("quarter", 2, ValueStatus.DRAFT)
    }
    # Opening it again finds the same report.
    assert report_services.report_open(form, district_a, 2020, 2, user=coordinator_a) == report
    with pytest.raises(ValidationError) as error:
        report_services.report_open(form, district_a, 2020, 5, user=coordinator_a)
    assert "period_number" in error.value.message_dict


def test_a_coordinator_cannot_open_another_districts_report(
    form: ReportForm, district_b: Territory, coordinator_a: User
) -> None:
    with pytest.raises(PermissionDenied):
        report_services.report_open(form, district_b, 2020, 1, user=coordinator_a)
    assert not Report.objects.exists()


def test_rules_are_checked_together_and_nothing_is_saved_on_any_error(
    report: Report, coordinator_a: User
) -> None:
    with pytest.raises(ValidationError) as error:
        fill(report, coordinator_a, pupils=-1, girls=5, share=150)
    assert set(error.value.message_dict) == {"pupils", "girls", "share"}
    assert "less than 0" in error.value.message_dict["pupils"][0]
    assert "cannot exceed" in error.value.message_dict["girls"][0]
    assert "cannot exceed 100" in error.value.message_dict["share"][0]
    assert {value for value, _ in stored(report).values()} == {None}

    fill(report, coordinator_a, pupils=10, girls=5, share=40)
    assert stored(report)["girls"] == (D(5), "")


def test_a_change_beyond_the_percent_needs_a_comment(
    report: Report, district_a: Territory, coordinator_a: User
) -> None:
    codes = ids(report.form)
    IndicatorValue.objects.create(
        indicator_id=codes["pupils"],
        territory=district_a,
        year=2020,
        period_kind="quarter",
        period_number=1,
        value=D(100),
        status=ValueStatus.APPROVED,
    )
    assert report_selectors.previous_values(report)[codes["pupils"]].value == D(100)
    with pytest.raises(ValidationError) as error:
        fill(report, coordinator_a, pupils=151)
    assert list(error.value.message_dict) == ["pupils"]
    assert "more than 50" in error.value.message_dict["pupils"][0]
    fill(report, coordinator_a, pupils=150)  # exactly 50 % is allowed
    fill(report, coordinator_a, pupils=(D(300), "A new school opened."))
    assert stored(report)["pupils"] == (D(300), "A new school opened.")


def test_submit_return_resubmit_approve_and_lock(
    report: Report, coordinator_a: User, project_office: User
) -> None:
    fill(report, coordinator_a, pupils=10, girls=5)
    with pytest.raises(ValidationError) as error:
        report_services.report_submit(report, user=coordinator_a)
    assert list(error.value.message_dict) == ["share"]  # missing without a comment
    fill(report, coordinator_a, share=(None, "Not counted."))
    report = report_services.report_submit(report, user=coordinator_a)
    assert report.status == ReportStatus.SUBMITTED and report.submitted_at
    assert set(IndicatorValue.objects.filter(report=report).values_list("status", flat=True)) == {
        ValueStatus.SUBMITTED
    }
    with pytest.raises(ValidationError):
        fill(report, coordinator_a, pupils=11)  # submitted: no longer editable

    with pytest.raises(PermissionDenied):
        report_services.report_approve(report, user=coordinator_a)
    with pytest.raises(ValidationError) as error:
        report_services.report_return(report, user=project_office, comment="  ")
    assert "comment" in error.value.message_dict
    report = report_services.report_return(report, user=project_office, comment="Check the girls.")
    assert report.status == ReportStatus.RETURNED and report.comment == "Check the girls."

    fill(report, coordinator_a, girls=4)
    report = report_services.report_submit(report, user=coordinator_a)
    report = report_services.report_approve(report, user=project_office)
    assert report.status == ReportStatus.APPROVED and report.approved_by == project_office
    assert set(IndicatorValue.objects.filter(report=report).values_list("status", flat=True)) == {
        ValueStatus.APPROVED
    }
    with pytest.raises(ValidationError):
        fill(report, project_office, pupils=12)
    assert stored(report)["pupils"] == (D(10), "")


# Reporting rates


def test_reporting_rates_count_expected_submitted_on_time_and_late(
    form: ReportForm, district_a: Territory, district_b: Territory, project_office: User
) -> None:
    def at(*args: int) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime(*args))

    # Quarter 1 is due on 10 April, quarter 2 on 10 July; on 1 August quarter 3 has not ended.
    ReportFactory(form=form, territory=district_a, period_number=1, status="submitted",
                  submitted_at=at(2020, 4, 5, 12))  # fmt: skip
    ReportFactory(form=form, territory=district_a, period_number=2, status="approved",
                  submitted_at=at(2020, 7, 20, 12))  # fmt: skip
    ReportFactory(form=form, territory=district_b, period_number=1, status="approved",
                  submitted_at=at(2020, 4, 11, 12))  # fmt: skip
    ReportFactory(form=form, territory=district_b, period_number=2, status="draft")
    ReportFactory(form=form, territory=district_a, year=2019, period_number=4, status="submitted",
                  submitted_at=at(2020, 1, 2, 12))  # fmt: skip

    with CaptureQueriesContext(connection) as queries:
        rates = report_selectors.reporting_rates(
            project_office, form, 2020, today=datetime.date(2020, 8, 1)
        )
    assert len(queries) <= 4  # the user's scope (once), the territories, the reports

    a, b = rates.rows
    assert (a.territory, b.territory) == (district_a, district_b)
    assert [cell.state for cell in a.cells] == ["on_time", "late", "not_due", "not_due"]
    assert [cell.state for cell in b.cells] == ["late", "overdue", "not_due", "not_due"]
    assert (a.counts.expected, a.counts.submitted, a.counts.on_time, a.counts.late) == (2, 2, 1, 1)
    totals = rates.totals
    assert (totals.expected, totals.submitted, totals.on_time, totals.late) == (4, 3, 1, 2)
    assert totals.missing == 1 and totals.percent == 75.0
    assert [(c.expected, c.submitted) for c in rates.by_period] == [(2, 2), (2, 1), (0, 0), (0, 0)]


def test_reporting_rates_show_only_the_users_territories(
    form: ReportForm, district_a: Territory, coordinator_a: User
) -> None:
    rates = report_selectors.reporting_rates(
        coordinator_a, form, 2020, today=datetime.date(2021, 1, 1)
    )
    assert [row.territory for row in rates.rows] == [district_a]
    assert rates.totals.expected == 4 and rates.totals.submitted == 0


# Pages


def test_the_entry_page_shows_the_previous_period_and_not_approved_values(
    report: Report, district_a: Territory, coordinator_a: User
) -> None:
    codes = ids(report.form)
    IndicatorValue.objects.create(
        indicator_id=codes["pupils"],
        territory=district_a,
        year=2020,
        period_kind="quarter",
        period_number=1,
        value=D("123.5"),
        status=ValueStatus.SUBMITTED,
    )
    client = logged_in(coordinator_a)
    page = client.get(reverse("indicators:report_detail", args=[report.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "123.5" in html and "not approved" in html

    url = reverse("indicators:report_detail", args=[report.pk])
    data = {f"value_{codes['pupils']}": "10", f"value_{codes['girls']}": "20"}
    response = client.post(url, data)
    assert response.status_code == 400
    assert "cannot exceed" in response.content.decode()
    assert {value for value, _ in stored(report).values()} == {None}
    data[f"value_{codes['girls']}"] = "5"
    data[f"comment_{codes['pupils']}"] = "Fewer pupils."
    assert client.post(url, data).status_code == 302
    assert stored(report)["girls"] == (D(5), "")


def test_two_people_entering_the_same_report_lose_nothing(
    report: Report, coordinator_a: User, project_office: User
) -> None:
    codes = ids(report.form)
    url = reverse("indicators:report_detail", args=[report.pk])
    first, second = logged_in(project_office), logged_in(coordinator_a)
    opened_first, opened_second = first.get(url), second.get(url)
    revision = opened_second.context["form"]["revision"].value()

    saved = first.post(url, {f"value_{codes['pupils']}": "10", "revision": revision})
    refused = second.post(url, {f"value_{codes['pupils']}": "12", "revision": revision})

    assert (opened_first.status_code, saved.status_code) == (200, 302)
    assert refused.status_code == 409
    assert "while you were editing" in refused.content.decode()
    assert 'value="12"' in refused.content.decode()  # the second person's value, kept
    assert refused.context["conflict"][0].new == D(10)
    assert stored(report)["pupils"][0] == D(10)
    fresh = refused.context["form"]["revision"].value()

    again = second.post(url, {f"value_{codes['pupils']}": "12", "revision": fresh})

    assert again.status_code == 302
    assert stored(report)["pupils"][0] == D(12)


def test_pages_approve_and_return_are_the_project_offices(
    report: Report, coordinator_a: User, project_office: User
) -> None:
    fill(report, coordinator_a, pupils=10, girls=5, share=50)
    coordinator = logged_in(coordinator_a)
    assert (
        coordinator.post(reverse("indicators:report_submit", args=[report.pk])).status_code == 302
    )
    assert (
        coordinator.post(reverse("indicators:report_approve", args=[report.pk])).status_code == 403
    )
    assert coordinator.get(reverse("indicators:report_return", args=[report.pk])).status_code == 403
    office = logged_in(project_office)
    url = reverse("indicators:report_return", args=[report.pk])
    assert office.post(url, {"comment": ""}).status_code == 400
    assert office.post(url, {"comment": "Why so few?"}).status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED


def test_another_districts_coordinator_gets_404(report: Report, coordinator_b: User) -> None:
    client = logged_in(coordinator_b)
    for name in ("report_detail", "report_template", "report_upload"):
        assert client.get(reverse(f"indicators:{name}", args=[report.pk])).status_code == 404
    assert client.post(reverse("indicators:report_submit", args=[report.pk])).status_code == 404


def test_every_page_answers(
    report: Report, form: ReportForm, project_office: User, coordinator_a: User
) -> None:
    office = logged_in(project_office)
    for url in (
        reverse("indicators:form_list"),
        reverse("indicators:form_add"),
        reverse("indicators:form_detail", args=[form.pk]),
        reverse("indicators:form_edit", args=[form.pk]),
        reverse("indicators:report_list"),
        reverse("indicators:report_open"),
        reverse("indicators:rates") + f"?form={form.pk}&year=2020",
    ):
        assert office.get(url).status_code == 200, url
    assert logged_in(coordinator_a).get(reverse("indicators:form_add")).status_code == 403


def test_a_report_is_opened_from_its_page(
    form: ReportForm, district_a: Territory, coordinator_a: User
) -> None:
    response = logged_in(coordinator_a).post(
        reverse("indicators:report_open"),
        {"form": form.pk, "territory": district_a.pk, "year": 2020, "period_number": 3},
    )
    assert response.status_code == 302
    assert Report.objects.get().period_number == 3


# Excel


def _upload(client: Client, report: Report, workbook: Any) -> Any:
    buffer = io.BytesIO()
    workbook.save(buffer)
    upload = SimpleUploadedFile("report.xlsx", buffer.getvalue())
    return client.post(reverse("indicators:report_upload", args=[report.pk]), {"file": upload})


def test_excel_round_trip_is_all_or_nothing(report: Report, coordinator_a: User) -> None:
    client = logged_in(coordinator_a)
    response = client.get(reverse("indicators:report_template", args=[report.pk]))
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.worksheets[0]
    rows = {sheet.cell(row=r, column=1).value: r for r in range(3, sheet.max_row + 1)}
    assert set(rows) == {"pupils", "girls", "share"}
    sheet.cell(row=rows["pupils"], column=5, value=10)
    sheet.cell(row=rows["girls"], column=5, value="many")
    sheet.cell(row=rows["share"], column=5, value=30)

    response = _upload(client, report, workbook)
    assert response.status_code == 400
    errors = response.context["row_errors"]
    assert [(e.row, e.column) for e in errors] == [(rows["girls"], "Value")]
    assert {value for value, _ in stored(report).values()} == {None}

    sheet.cell(row=rows["girls"], column=5, value=20)  # a rule broken: girls > pupils
    response = _upload(client, report, workbook)
    assert response.status_code == 400
    assert [(e.row, e.column) for e in response.context["row_errors"]] == [(rows["girls"], "Value")]
    assert {value for value, _ in stored(report).values()} == {None}

    sheet.cell(row=rows["girls"], column=5, value="4,5")
    assert _upload(client, report, workbook).status_code == 302
    assert stored(report)["girls"] == (D("4.5"), "")
    assert stored(report)["pupils"] == (D(10), "")


def test_a_file_of_another_report_is_refused(
    report: Report, form: ReportForm, district_a: Territory, coordinator_a: User
) -> None:
    other = report_services.report_open(form, district_a, 2020, 3, user=coordinator_a)
    content = imports.template_bytes(other, user=coordinator_a)
    client = logged_in(coordinator_a)
    response = _upload(client, report, load_workbook(io.BytesIO(content)))
    assert response.status_code == 400
    assert "another report" in response.content.decode()


# Query counts


def _count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_report_page_runs_a_fixed_number_of_queries(
    form: ReportForm, district_a: Territory, district_b: Territory, project_office: User
) -> None:
    # The list of reports and the rates are pinned in tests/test_query_counts.py.
    client = logged_in(project_office)
    first = report_services.report_open(form, district_a, 2020, 1, user=project_office)
    before = _count(client, reverse("indicators:report_detail", args=[first.pk]))
    for number in (2, 3):
        report_services.report_open(form, district_b, 2020, number, user=project_office)
    form.indicators.add(indicator("teachers", 4))
    last = report_services.report_open(form, district_a, 2020, 4, user=project_office)
    # Four values, not three.
    assert _count(client, reverse("indicators:report_detail", args=[last.pk])) == before


def test_the_upload_page_of_a_submitted_report_says_why(
    report: Report, coordinator_a: User
) -> None:
    # It answered 500: the error was added to the unbound form of a GET.
    Report.objects.filter(pk=report.pk).update(status=ReportStatus.SUBMITTED)
    client = logged_in(coordinator_a)
    response = client.get(reverse("indicators:report_upload", args=[report.pk]), follow=True)
    assert response.redirect_chain == [(report.get_absolute_url(), 302)]
    assert str(report_services.NOT_EDITABLE) in response.content.decode()
    empty_post = client.post(reverse("indicators:report_upload", args=[report.pk]))
    assert empty_post.status_code == 400
