"""Work plans as people use them: a district drafts its plan, submits it, the project office
returns it with comments or approves it, an amendment opens version 2 with its differences
visible; the plan is compared with the events that followed it; and the plan makes an Excel
round trip, all or nothing."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook, load_workbook
from tests.bombs import xlsx_bomb

from factories import (
    EmergencyFactory,
    EventFactory,
    OrganizationFactory,
    PlanItemFactory,
    TerritoryFactory,
    UserFactory,
    WorkPlanFactory,
)
from kense.accounts.models import User
from kense.core.permissions import Role
from kense.events import imports
from kense.events.models import PlanItem, PlanStatus, PlanVersion, WorkPlan
from kense.events.selectors import plans as plan_selectors
from kense.events.services import plans as plan_services
from kense.registry.models import Organization, Territory, TerritoryKind

pytestmark = pytest.mark.django_db

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
D = datetime.date


@pytest.fixture(autouse=True)
def _in_kazakh_pages() -> Any:
    with translation.override("kk"):
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
def akimat_a(district_a: Territory) -> Organization:
    return OrganizationFactory(
        name_kk="Нұра аудандық әкімдігі", name_ru="Акимат Нуринского района", territory=district_a
    )


@pytest.fixture
def project_office(region: Territory) -> User:
    return UserFactory(role=Role.PROJECT_OFFICE, territory=region)


@pytest.fixture
def coordinator_a(district_a: Territory) -> User:
    return UserFactory(role=Role.COORDINATOR, territory=district_a)


@pytest.fixture
def coordinator_b(district_b: Territory) -> User:
    return UserFactory(role=Role.COORDINATOR, territory=district_b)


@pytest.fixture
def plan(district_a: Territory) -> WorkPlan:
    return WorkPlanFactory(territory=district_a, year=2020)


def item_data(responsible: Organization, **overrides: Any) -> dict[str, Any]:
    data = {
        "order": "",
        "title_kk": "Жастар форумы",
        "title_ru": "Молодёжный форум",
        "title_en": "",
        "is_event": "on",
        "responsible": responsible.pk,
        "start": "2020-04-10",
        "end": "2020-04-11",
        "project": "",
    }
    return {**data, **overrides}


# The life of a plan


def test_a_coordinator_drafts_submits_and_resubmits_after_a_return(
    district_a: Territory, akimat_a: Organization, coordinator_a: User, project_office: User
) -> None:
    client = logged_in(coordinator_a)
    response = client.post(
        reverse("events:plan_add"),
        {
            "title_kk": "Нұра ауданының 2020 жылғы жоспары",
            "title_ru": "План Нуринского района на 2020 год",
            "territory": district_a.pk,
            "year": 2020,
        },
    )
    plan = WorkPlan.objects.get()
    assert response.status_code == 302 and response["Location"] == plan.get_absolute_url()
    assert plan.status == PlanStatus.DRAFT and plan.version == 1

    client.post(reverse("events:plan_item_add", args=[plan.pk]), item_data(akimat_a))
    client.post(
        reverse("events:plan_item_add", args=[plan.pk]),
        item_data(akimat_a, title_kk="Ақындар айтысы", title_ru="Айтыс акынов", is_event=""),
    )
    assert [(i.order, i.is_event) for i in plan.items.all()] == [(1, True), (2, False)]

    client.post(reverse("events:plan_submit", args=[plan.pk]))
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED and plan.submitted_at is not None
    assert [len(v.items) for v in plan.versions.all()] == [2]

    # Submitted: the items are frozen for its authors.
    response = client.post(reverse("events:plan_item_add", args=[plan.pk]), item_data(akimat_a))
    assert response.status_code == 400 and plan.items.count() == 2

    office = logged_in(project_office)
    with translation.override("en"):
        response = office.post(reverse("events:plan_return", args=[plan.pk]), {"comment": " "})
    assert response.status_code == 400
    assert "comments are required" in response.content.decode()
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED

    office.post(reverse("events:plan_return", args=[plan.pk]), {"comment": "Add the dates."})
    plan.refresh_from_db()
    assert plan.status == PlanStatus.RETURNED and plan.comment == "Add the dates."
    page = client.get(plan.get_absolute_url()).content.decode()
    assert "Add the dates." in page

    item = plan.items.first()
    assert item is not None
    client.post(
        reverse("events:plan_item_edit", args=[plan.pk, item.pk]),
        item_data(akimat_a, order=1, start="2020-05-01", end="2020-05-02"),
    )
    client.post(reverse("events:plan_submit", args=[plan.pk]))
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED
    # A resubmission replaces the frozen copy of the same version: nothing was approved.
    (version,) = plan.versions.all()
    assert version.number == 1 and version.items[0]["start"] == "2020-05-01"


def test_only_the_project_office_approves(
    plan: WorkPlan, coordinator_a: User, project_office: User
) -> None:
    PlanItemFactory(plan=plan)
    plan_services.plan_submit(plan, user=coordinator_a)

    response = logged_in(coordinator_a).post(reverse("events:plan_approve", args=[plan.pk]))
    assert response.status_code == 403
    with pytest.raises(PermissionDenied):
        plan_services.plan_return(plan, user=coordinator_a, comment="No.")
    assert (
        logged_in(coordinator_a).get(reverse("events:plan_return", args=[plan.pk])).status_code
        == 403
    )

    response = logged_in(project_office).post(reverse("events:plan_approve", args=[plan.pk]))
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED
    assert plan.approved_by == project_office and plan.approved_at is not None


def test_an_empty_plan_cannot_be_submitted(plan: WorkPlan, coordinator_a: User) -> None:
    with pytest.raises(ValidationError):
        plan_services.plan_submit(plan, user=coordinator_a)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT


def test_an_amendment_opens_version_2_and_shows_the_differences(
    plan: WorkPlan, akimat_a: Organization, coordinator_a: User, project_office: User
) -> None:
    kept = PlanItemFactory(plan=plan, title_kk="Кітап көрмесі", order=1)
    moved = PlanItemFactory(plan=plan, title_kk="Спорт күні", order=2)
    dropped = PlanItemFactory(plan=plan, title_kk="Концерт", order=3)
    plan_services.plan_submit(plan, user=coordinator_a)
    plan_services.plan_approve(plan, user=project_office)

    with pytest.raises(ValidationError):
        plan_services.plan_item_save(PlanItem(plan=plan, title_kk="x"), user=coordinator_a)

    logged_in(coordinator_a).post(reverse("events:plan_amend", args=[plan.pk]))
    plan.refresh_from_db()
    assert (plan.status, plan.version) == (PlanStatus.DRAFT, 2)
    assert PlanVersion.objects.filter(plan=plan).count() == 1  # the approved one stays

    moved.end = D(2020, 6, 1)
    plan_services.plan_item_save(moved, user=coordinator_a)
    plan_services.plan_item_delete(dropped, user=coordinator_a)
    plan_services.plan_item_save(
        PlanItem(
            plan=plan,
            title_kk="Жаңа жоба",
            title_ru="Новый проект",
            responsible=akimat_a,
            start=D(2020, 7, 1),
            end=D(2020, 7, 1),
        ),
        user=coordinator_a,
    )
    plan_services.plan_submit(plan, user=coordinator_a)
    assert list(plan.versions.values_list("number", flat=True)) == [1, 2]

    old, new = plan.versions.all()
    diff = plan_selectors.plan_diff(old, new)
    assert [item["title_kk"] for item in diff.added] == ["Жаңа жоба"]
    assert [item["title_kk"] for item in diff.removed] == ["Концерт"]
    assert [(c.after["title_kk"], c.fields) for c in diff.changed] == [("Спорт күні", ["end"])]
    assert kept.title_kk not in {c.after["title_kk"] for c in diff.changed}

    page = logged_in(coordinator_a).get(
        reverse("events:plan_versions", args=[plan.pk]), {"old": 1, "new": 2}
    )
    text = page.content.decode()
    assert page.status_code == 200
    assert "Жаңа жоба" in text and "Концерт" in text and "Спорт күні" in text


def test_the_diff_matches_items_recreated_by_title() -> None:
    old = [{"id": 1, "order": 1, "title_kk": "Форум", "start": "2020-01-01"}]
    new = [{"id": 9, "order": 1, "title_kk": "ФОРУМ", "start": "2020-02-01"}]
    diff = plan_selectors.plan_diff(old, new)
    assert not diff.added and not diff.removed
    assert [c.fields for c in diff.changed] == [["title_kk", "start"]]


# Plan against fact


def test_plan_against_fact_counts_the_plans_events_and_those_beyond_it(
    region: Territory, district_a: Territory, district_b: Territory, plan: WorkPlan
) -> None:
    organizer = OrganizationFactory(territory=district_a)
    item = PlanItemFactory(plan=plan)
    quarantine = EmergencyFactory(territories=[region])

    def event(status: str, **kwargs: Any) -> Any:
        kwargs.setdefault("plan_item", item)
        reason = "" if status in ("planned", "held") else "Reason"
        return EventFactory(organizer=organizer, status=status, reason=reason, **kwargs)

    for _ in range(4):
        event("held")
    event("postponed", emergency=quarantine)
    event("postponed", emergency=quarantine)
    event("postponed")
    event("cancelled")
    event("planned")
    event("planned")
    beyond = event("held", plan_item=None, beyond_plan=True, start=D(2020, 9, 1), end=D(2020, 9, 1))
    # Beyond the plan, but in another year, or in another district: not this plan's.
    event("held", plan_item=None, beyond_plan=True, start=D(2021, 1, 5), end=D(2021, 1, 5))
    EventFactory(
        organizer=OrganizationFactory(territory=district_b), status="held", beyond_plan=True
    )
    event("held", plan_item=PlanItemFactory())  # an item of another plan

    with CaptureQueriesContext(connection) as queries:
        fact = plan_selectors.plan_against_fact(plan)
    assert len(queries) == 2
    assert (fact.total, fact.held, fact.postponed, fact.cancelled, fact.planned) == (10, 4, 3, 1, 2)
    assert (fact.postponed_justified, fact.postponed_unjustified) == (2, 1)
    assert fact.shares == {
        "held": 40.0,
        "postponed": 30.0,
        "postponed_justified": 20.0,
        "postponed_unjustified": 10.0,
        "cancelled": 10.0,
        "planned": 20.0,
    }
    assert fact.beyond == [beyond]


def test_plan_against_fact_of_a_quarter(district_a: Territory) -> None:
    plan = WorkPlanFactory(territory=district_a, year=2020, quarter=2)
    assert plan_selectors.plan_period(plan) == (D(2020, 4, 1), D(2020, 6, 30))
    assert plan_selectors.plan_against_fact(plan).shares["held"] == 0.0


# Scope


def test_another_districts_coordinator_does_not_find_the_plan(
    plan: WorkPlan, coordinator_b: User
) -> None:
    client = logged_in(coordinator_b)
    for name in ("plan_detail", "plan_edit", "plan_versions", "plan_template", "plan_upload"):
        assert client.get(reverse(f"events:{name}", args=[plan.pk])).status_code == 404, name
    assert client.post(reverse("events:plan_submit", args=[plan.pk])).status_code == 404
    assert plan.title not in client.get(reverse("events:plan_list")).content.decode()


def test_a_coordinator_cannot_put_a_plan_in_another_district(
    district_b: Territory, coordinator_a: User
) -> None:
    plan = WorkPlan(title_kk="x", title_ru="x", territory=district_b, year=2020)
    with pytest.raises(PermissionDenied):
        plan_services.plan_save(plan, user=coordinator_a)
    assert not WorkPlan.objects.exists()


# Excel


def template_of(client: Client, plan: WorkPlan) -> Workbook:
    response = client.get(reverse("events:plan_template", args=[plan.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxml")
    return load_workbook(io.BytesIO(response.content))


def upload(client: Client, plan: WorkPlan, workbook: Workbook) -> Any:
    buffer = io.BytesIO()
    workbook.save(buffer)
    file = SimpleUploadedFile("plan.xlsx", buffer.getvalue())
    return client.post(reverse("events:plan_upload", args=[plan.pk]), {"file": file})


def fill(workbook: Workbook, rows: list[list[Any]]) -> None:
    sheet = workbook.worksheets[0]
    sheet.delete_rows(imports.FIRST_DATA_ROW, sheet.max_row)
    for row in rows:
        sheet.append(row)


def test_the_template_carries_its_version_the_plan_and_its_items(
    plan: WorkPlan, coordinator_a: User
) -> None:
    PlanItemFactory(plan=plan, title_kk="Кітап көрмесі")
    workbook = template_of(logged_in(coordinator_a), plan)
    meta = workbook[imports.META_SHEET]
    assert meta.sheet_state == "hidden"
    assert (meta["A1"].value, meta["A2"].value) == ("kense-plan-template v1", plan.pk)
    sheet = workbook.worksheets[0]
    assert sheet.row_dimensions[2].hidden
    assert [c.value for c in sheet[2]][:3] == ["order", "title_kk", "title_ru"]
    assert sheet.cell(row=3, column=2).value == "Кітап көрмесі"


def test_a_filled_template_replaces_the_drafts_items(
    plan: WorkPlan, akimat_a: Organization, coordinator_a: User
) -> None:
    kept = PlanItemFactory(plan=plan, title_kk="Кітап көрмесі", order=1)
    PlanItemFactory(plan=plan, title_kk="Концерт", order=2)
    client = logged_in(coordinator_a)
    workbook = template_of(client, plan)
    fill(
        workbook,
        [
            [
                1,
                "Кітап көрмесі",
                "Книжная выставка",
                "",
                "иә",
                akimat_a.name_kk,
                D(2020, 5, 1),
                D(2020, 5, 3),
                "",
            ],
            [
                "",
                "Жастар форумы",
                "Молодёжный форум",
                "",
                "жоқ",
                akimat_a.bin or akimat_a.name_ru,
                "10.06.2020",
                "11.06.2020",
                "",
            ],
        ],
    )
    response = upload(client, plan, workbook)
    assert response.status_code == 302, response.content.decode()
    items = list(plan.items.order_by("order"))
    assert [(i.title_kk, i.is_event, i.start) for i in items] == [
        ("Кітап көрмесі", True, D(2020, 5, 1)),
        ("Жастар форумы", False, D(2020, 6, 10)),
    ]
    assert items[0].pk == kept.pk  # found again by its title: its events stay linked


def test_one_bad_row_saves_nothing_and_names_its_row_and_column(
    plan: WorkPlan, akimat_a: Organization, coordinator_a: User
) -> None:
    PlanItemFactory(plan=plan, title_kk="Концерт")
    client = logged_in(coordinator_a)
    workbook = template_of(client, plan)
    good = [
        "",
        "Жастар форумы",
        "Молодёжный форум",
        "",
        "",
        akimat_a.name_kk,
        "10.06.2020",
        "11.06.2020",
        "",
    ]
    bad = ["", "Айтыс", "Айтыс", "", "", "Жоқ ұйым", "31.02.2020", "01.06.2020", ""]
    backwards = ["", "Көрме", "Выставка", "", "", akimat_a.name_kk, "10.06.2020", "01.06.2020", ""]
    fill(workbook, [good, bad, backwards])
    with translation.override("en"):
        response = upload(client, plan, workbook)
    assert response.status_code == 400
    errors = [(e.row, e.column) for e in response.context["row_errors"]]
    assert errors == [(4, "Responsible"), (4, "From"), (5, "To")]
    assert "Жоқ ұйым" in response.content.decode()
    assert list(plan.items.values_list("title_kk", flat=True)) == ["Концерт"]

    # The corrected file replaces the draft's items.
    fixed = ["", "Айтыс", "Айтыс", "", "", akimat_a.name_kk, "01.06.2020", "01.06.2020", ""]
    fill(workbook, [good, fixed])
    response = upload(client, plan, workbook)
    assert response.status_code == 302
    assert sorted(plan.items.values_list("title_kk", flat=True)) == ["Айтыс", "Жастар форумы"]


def test_a_file_of_another_template_version_is_refused(
    plan: WorkPlan, akimat_a: Organization, coordinator_a: User
) -> None:
    client = logged_in(coordinator_a)
    workbook = template_of(client, plan)
    workbook[imports.META_SHEET]["A1"] = "kense-plan-template v0"
    fill(
        workbook, [["", "Форум", "Форум", "", "", akimat_a.name_kk, "10.06.2020", "11.06.2020", ""]]
    )
    with translation.override("en"):
        response = upload(client, plan, workbook)
    assert response.status_code == 400
    assert "version 0 of the work plan template" in response.content.decode()
    assert not plan.items.exists()

    del workbook[imports.META_SHEET]
    with translation.override("en"):
        response = upload(client, plan, workbook)
    assert "version mark is missing" in response.content.decode()


def test_the_template_of_another_plan_is_refused(
    plan: WorkPlan, district_a: Territory, coordinator_a: User
) -> None:
    client = logged_in(coordinator_a)
    other = WorkPlanFactory(territory=district_a)
    with translation.override("en"):
        response = upload(client, plan, template_of(client, other))
    assert "another work plan" in response.content.decode()


def test_an_approved_plan_is_not_replaced_by_a_file(
    plan: WorkPlan, coordinator_a: User, project_office: User
) -> None:
    PlanItemFactory(plan=plan)
    client = logged_in(coordinator_a)
    workbook = template_of(client, plan)
    plan_services.plan_submit(plan, user=coordinator_a)
    response = upload(client, plan, workbook)
    assert response.status_code == 400
    assert plan.items.count() == 1


# Query counts


def count_queries(client: Client, url: str) -> int:
    cache.clear()  # counted cold: what is kept between requests is read afresh
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_plan_page_runs_a_fixed_number_of_queries(
    district_a: Territory, project_office: User, coordinator_a: User
) -> None:
    # The list of plans is pinned in tests/test_query_counts.py.
    client = logged_in(project_office)
    plan = WorkPlanFactory(territory=district_a)
    for _ in range(3):
        PlanItemFactory(plan=plan)
        EventFactory(plan_item=plan.items.first(), status="held")
    plan_services.plan_submit(plan, user=coordinator_a)
    page_url = plan.get_absolute_url()
    client.get(page_url)  # warm the caches (content types)
    few = count_queries(client, page_url)
    for _ in range(9):
        PlanItemFactory(plan=WorkPlan.objects.get(pk=plan.pk))
        EventFactory(plan_item=plan.items.last(), beyond_plan=False)
    many = count_queries(client, page_url)
    assert few == many == PINNED_PAGE


PINNED_PAGE = 13


def test_a_plan_file_packed_like_a_zip_bomb_is_refused_and_the_draft_kept(
    plan: WorkPlan, akimat_a: Organization, coordinator_a: User
) -> None:
    PlanItemFactory(plan=plan, title_kk="Концерт")
    client = logged_in(coordinator_a)
    workbook = template_of(client, plan)
    fill(
        workbook, [["", "Форум", "Форум", "", "", akimat_a.name_kk, "10.06.2020", "11.06.2020", ""]]
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    bomb = SimpleUploadedFile("plan.xlsx", xlsx_bomb(buffer.getvalue()))

    with translation.override("en"):
        response = client.post(reverse("events:plan_upload", args=[plan.pk]), {"file": bomb})

    assert response.status_code == 400
    assert "The file plan.xlsx unpacks to " in response.content.decode()
    assert list(plan.items.values_list("title_kk", flat=True)) == ["Концерт"]


def test_the_upload_page_of_a_plan_that_is_no_longer_a_draft_says_why(
    plan: WorkPlan, coordinator_a: User
) -> None:
    # It answered 500: the error was added to the unbound form of a GET.
    WorkPlan.objects.filter(pk=plan.pk).update(status=PlanStatus.SUBMITTED)
    client = logged_in(coordinator_a)
    response = client.get(reverse("events:plan_upload", args=[plan.pk]), follow=True)
    assert response.redirect_chain == [(plan.get_absolute_url(), 302)]
    assert str(plan_services.NOT_EDITABLE) in response.content.decode()
    empty_post = client.post(reverse("events:plan_upload", args=[plan.pk]))
    assert empty_post.status_code == 400
