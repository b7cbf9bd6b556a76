"""The assignment pages: scoped inboxes and queues, the lifecycle through the forms, the
discipline table and chart, the Excel export with filters, and pinned query counts.

The world: region R with districts A and B, an akimat in each; the project office of R (it
controls every assignment here), the coordinators of A and of B. Pages are asked in English.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from core.test_filters import assert_page_filters_are_the_api_parameters
from factories import (
    AssignmentFactory,
    OrganizationFactory,
    PersonFactory,
    TerritoryFactory,
    UserFactory,
)
from kense.accounts.models import User
from kense.assignments import selectors, services
from kense.assignments.models import (
    Assignment,
    ExecutionReport,
    Extension,
    ExtensionStatus,
    ReportOutcome,
    SourceKind,
    Status,
)
from kense.core.models import Attachment
from kense.core.permissions import Role
from kense.registry.models import Organization, Territory, TerritoryKind

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
PDF = b"%PDF-1.4\n% a report\n" + b"0" * 200


def url(name: str, *args: Any, query: str = "") -> str:
    with translation.override("en"):
        return reverse(f"assignments:{name}", args=args) + (f"?{query}" if query else "")


@dataclass
class World:
    region: Territory
    district_a: Territory
    district_b: Territory
    akimat_a: Organization
    akimat_b: Organization
    office_org: Organization
    office: User
    coordinator_a: User
    coordinator_b: User

    def client(self, user: User) -> Client:
        client = Client()
        client.force_login(user, backend=MODEL_BACKEND)
        return client

    def assignment(self, **fields: Any) -> Assignment:
        fields.setdefault("lead_organization", self.akimat_a)
        fields.setdefault("controller", self.office)
        fields.setdefault("deadline", timezone.localdate() + datetime.timedelta(days=30))
        return AssignmentFactory(**fields)


@pytest.fixture
def world(db: Any) -> World:
    region = TerritoryFactory(kind=TerritoryKind.REGION)
    district_a = TerritoryFactory(parent=region, name_en="District A")
    district_b = TerritoryFactory(parent=region, name_en="District B")
    office_org = OrganizationFactory(territory=region)
    return World(
        region=region,
        district_a=district_a,
        district_b=district_b,
        akimat_a=OrganizationFactory(territory=district_a, name_en="Akimat A"),
        akimat_b=OrganizationFactory(territory=district_b, name_en="Akimat B"),
        office_org=office_org,
        office=UserFactory(role=Role.PROJECT_OFFICE, territory=region, organization=office_org),
        coordinator_a=UserFactory(role=Role.COORDINATOR, territory=district_a),
        coordinator_b=UserFactory(role=Role.COORDINATOR, territory=district_b),
    )


# Scope


def test_the_inbox_shows_a_districts_assignments_to_its_coordinator_only(world: World) -> None:
    ours = world.assignment(text_ru="Поручение района А", text_en="District A's task")
    theirs = world.assignment(lead_organization=world.akimat_b, text_en="District B's task")
    shared = world.assignment(lead_organization=world.office_org, text_en="Shared task")
    shared.co_executors.add(world.akimat_a)
    client = world.client(world.coordinator_a)

    page = client.get(url("inbox")).content.decode()

    assert "District A&#x27;s task" in page and "Shared task" in page
    assert "District B&#x27;s task" not in page
    assert "Co-executor" in page
    assert client.get(url("assignment_detail", ours.pk)).status_code == 200
    assert client.get(url("assignment_detail", theirs.pk)).status_code == 404
    assert client.post(url("report_submit", theirs.pk), {"report-text": "x"}).status_code == 404


def test_the_inbox_puts_open_assignments_first_and_marks_the_overdue(world: World) -> None:
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    world.assignment(text_en="Closed one", status=Status.DONE, deadline=yesterday)
    world.assignment(text_en="Late one", deadline=yesterday)
    client = world.client(world.coordinator_a)

    open_only = client.get(url("inbox")).content.decode()
    everything = client.get(url("inbox", query="show=all")).content.decode()

    assert "Late one" in open_only and "Closed one" not in open_only
    assert everything.index("Late one") < everything.index("Closed one")
    assert 'class="overdue"' in everything and "Overdue" in everything
    partial = client.get(url("inbox", query="show=all"), HTTP_HX_REQUEST="true")
    assert b"<html" not in partial.content and b"Closed one" in partial.content


def test_the_review_queue_lists_the_controllers_pending_reports(world: World) -> None:
    assignment = world.assignment()
    services.report_submit(assignment, user=world.coordinator_a, text="Held in 12 villages.")
    extended = world.assignment()
    services.extension_request(
        extended,
        user=world.coordinator_a,
        new_deadline=extended.deadline + datetime.timedelta(days=20),
        reason="The hall is closed.",
    )

    page = world.client(world.office).get(url("review_queue")).content.decode()
    elsewhere = world.client(world.coordinator_a).get(url("review_queue")).content.decode()

    assert "Held in 12 villages." in page and "The hall is closed." in page
    assert "Held in 12 villages." not in elsewhere


# The lifecycle through the pages


def report(client: Client, assignment: Assignment, text: str, *files: Any) -> Any:
    data: dict[str, Any] = {"report-text": text}
    if files:
        data["report-attachments"] = list(files)
    return client.post(url("report_submit", assignment.pk), data)


def review(client: Client, report: ExecutionReport, outcome: str, comment: str = "") -> Any:
    prefix = f"review-{report.pk}"
    return client.post(
        url("report_review", report.pk),
        {f"{prefix}-outcome": outcome, f"{prefix}-comment": comment},
    )


def test_the_whole_lifecycle_through_the_pages(world: World) -> None:
    assignment = world.assignment()
    responsible = world.client(world.coordinator_a)
    controller = world.client(world.office)

    # A file whose content is not what its name says is refused, and nothing is saved.
    fake = SimpleUploadedFile("minutes.pdf", b"just text", content_type="application/pdf")
    refused = report(responsible, assignment, "Done.", fake)
    assert refused.status_code == 400
    assert "not really a .pdf file" in refused.content.decode()
    assert not assignment.reports.exists()

    pdf = SimpleUploadedFile("list.pdf", PDF, content_type="application/pdf")
    assert report(responsible, assignment, "Held in 12 villages.", pdf).status_code == 302
    first = assignment.reports.get()
    assignment.refresh_from_db()
    assert assignment.status == Status.REPORTED
    attachment = Attachment.objects.get(
        content_type=ContentType.objects.get_for_model(ExecutionReport), object_id=first.pk
    )
    assert attachment.name == "list.pdf" and attachment.mime_type == "application/pdf"
    download = responsible.get(url("attachment_download", attachment.pk))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert (
        world.client(world.coordinator_b).get(url("attachment_download", attachment.pk)).status_code
        == 404
    )

    # The responsible cannot accept their own report; the controller sees the buttons.
    assert review(responsible, first, "accept").status_code == 403
    assert (
        "Accept: the assignment is done"
        in controller.get(url("assignment_detail", assignment.pk)).content.decode()
    )

    # Returning needs a comment.
    without = review(controller, first, "return")
    assert without.status_code == 400
    assert "Say why the report is returned." in without.content.decode()
    first.refresh_from_db()
    assert first.outcome == ReportOutcome.PENDING
    assert review(controller, first, "return", "Attach the list of villages.").status_code == 302
    assignment.refresh_from_db()
    assert assignment.status == Status.UNDER_CONTROL

    # Reported again, accepted: done.
    assert report(responsible, assignment, "The list is attached.").status_code == 302
    second = assignment.reports.latest("pk")
    assert review(controller, second, "accept").status_code == 302
    assignment.refresh_from_db()
    assert assignment.status == Status.DONE and assignment.done_at is not None

    # A report after acceptance: the service's refusal is shown on the page.
    late = report(responsible, assignment, "One more thing.")
    assert late.status_code == 400
    assert "no longer under control" in late.content.decode()
    assert assignment.reports.count() == 2
    page = responsible.get(url("assignment_detail", assignment.pk)).content.decode()
    assert "Attach the list of villages." in page and "Done" in page


def test_an_extension_is_requested_and_granted_through_the_pages(world: World) -> None:
    assignment = world.assignment()
    new_deadline = assignment.deadline + datetime.timedelta(days=45)
    responsible = world.client(world.coordinator_a)
    controller = world.client(world.office)

    no_reason = responsible.post(
        url("extension_request", assignment.pk),
        {"extension-new_deadline": new_deadline.isoformat(), "extension-reason": ""},
    )
    assert no_reason.status_code == 400 and not assignment.extensions.exists()
    asked = responsible.post(
        url("extension_request", assignment.pk),
        {"extension-new_deadline": new_deadline.isoformat(), "extension-reason": "Quarantine."},
    )
    assert asked.status_code == 302
    extension = assignment.extensions.get()
    prefix = f"decide-{extension.pk}"

    assert (
        responsible.post(
            url("extension_decide", extension.pk), {f"{prefix}-decision": "grant"}
        ).status_code
        == 403
    )
    refused = controller.post(
        url("extension_decide", extension.pk), {f"{prefix}-decision": "refuse"}
    )
    assert refused.status_code == 400
    assert "Say why the extension is refused." in refused.content.decode()
    granted = controller.post(
        url("extension_decide", extension.pk),
        {f"{prefix}-decision": "grant", "next": url("review_queue")},
    )
    assert granted.status_code == 302 and granted["Location"] == url("review_queue")
    assignment.refresh_from_db()
    extension.refresh_from_db()
    assert assignment.deadline == new_deadline
    assert extension.status == ExtensionStatus.GRANTED


def test_withdrawal_needs_a_reason_through_the_page(world: World) -> None:
    assignment = world.assignment()
    controller = world.client(world.office)

    without = controller.post(url("assignment_withdraw", assignment.pk), {"withdraw-reason": ""})
    assert without.status_code == 400
    assert "Give the reason for the withdrawal." in without.content.decode()
    done = controller.post(
        url("assignment_withdraw", assignment.pk), {"withdraw-reason": "Superseded by order 7."}
    )
    assert done.status_code == 302
    assignment.refresh_from_db()
    assert assignment.status == Status.WITHDRAWN


def order_form(world: World, **changes: Any) -> dict[str, Any]:
    data = {
        "number": "Б-12",
        "text_kk": "Жоспарды бекіту",
        "text_ru": "Утвердить план",
        "text_en": "",
        "order_reference": "№ 12 of 14 February 2020",
        "lead_organization": world.akimat_a.pk,
        "deadline_kind": "date",
        "deadline": (timezone.localdate() - datetime.timedelta(days=10)).isoformat(),
        "deadline_reason": "",
        "priority": "high",
        "controller": world.office.pk,
    }
    data.update(changes)
    return data


def test_a_new_assignment_from_an_order_with_a_past_deadline_needs_a_reason(
    world: World,
) -> None:
    client = world.client(world.office)
    assert client.get(url("assignment_add")).status_code == 200

    refused = client.post(url("assignment_add"), order_form(world))
    assert refused.status_code == 400
    assert "deadline_reason" in refused.context["form"].errors
    assert not Assignment.objects.exists()

    saved = client.post(
        url("assignment_add"), order_form(world, deadline_reason="Entered after the fact.")
    )
    assert saved.status_code == 302
    assignment = Assignment.objects.get()
    assert assignment.source_kind == SourceKind.ORDER
    assert assignment.territory == world.district_a and assignment.created_by == world.office


def test_a_recurring_assignment_by_hand_gets_its_next_due_date(world: World) -> None:
    client = world.client(world.office)
    until = datetime.date(timezone.localdate().year + 1, 12, 31)
    response = client.post(
        url("assignment_add"),
        order_form(
            world,
            deadline_kind="recurring",
            deadline="",
            recurrence="monthly",
            recurrence_day="5",
            recurrence_until=until.isoformat(),
        ),
    )
    assert response.status_code == 302
    assignment = Assignment.objects.get()
    assert assignment.deadline is not None and assignment.deadline.day == 5
    page = client.get(url("assignment_list")).content.decode()
    assert "monthly, by day 5 of the month" in page
    # The rule is not reported on: its monthly instances are.
    detail = client.get(url("assignment_detail", assignment.pk)).content.decode()
    assert "Send the report" not in detail and "Withdraw from control" in detail


def test_only_those_who_may_add_see_the_new_assignment_form(world: World) -> None:
    observer = UserFactory(role=Role.OBSERVER, territory=world.region)
    assert world.client(observer).get(url("assignment_add")).status_code == 403
    assignment = world.assignment()
    assert world.client(observer).get(url("assignment_edit", assignment.pk)).status_code == 403


# Discipline


def build_discipline(world: World, year: int) -> None:
    """District A: 2 done on time, 1 done late, 1 overdue; plus what is not counted."""

    def done_at(day: datetime.date) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))

    deadline = datetime.date(year, 5, 20)
    for _ in range(2):
        world.assignment(deadline=deadline, status=Status.DONE, done_at=done_at(deadline))
    world.assignment(
        deadline=deadline,
        status=Status.DONE,
        done_at=done_at(deadline + datetime.timedelta(days=3)),
    )
    world.assignment(deadline=deadline)  # open, past its deadline
    world.assignment(deadline=deadline, status=Status.WITHDRAWN)  # not counted
    world.assignment(deadline=datetime.date(year + 1, 1, 10))  # another year
    world.assignment(
        lead_organization=world.akimat_b,
        deadline=deadline,
        status=Status.DONE,
        done_at=done_at(deadline),
    )


def test_discipline_counts_per_organization_and_per_territory(world: World) -> None:
    year = timezone.localdate().year - 2
    build_discipline(world, year)

    rows = {row.obj: row for row in selectors.discipline(world.office, year)}
    a = rows[world.akimat_a]
    assert (a.due, a.on_time, a.late, a.overdue, a.on_time_share) == (4, 2, 1, 1, 50.0)
    assert rows[world.akimat_b].on_time_share == 100.0

    by_territory = {row.obj: row for row in selectors.discipline(world.office, year, "territory")}
    assert set(by_territory) == {world.district_a, world.district_b}
    assert (by_territory[world.district_a].due, by_territory[world.district_a].late) == (4, 1)

    # A coordinator sees its own district only.
    mine = selectors.discipline(world.coordinator_a, year, "territory")
    assert [row.obj for row in mine] == [world.district_a]

    total = selectors.discipline_total(world.office, year)
    assert (total.due, total.on_time, total.late, total.overdue) == (5, 3, 1, 1)


def test_the_discipline_page_draws_the_chart_and_exports_the_table(world: World) -> None:
    year = timezone.localdate().year - 2
    build_discipline(world, year)
    client = world.client(world.office)

    page = client.get(url("discipline", query=f"year={year}")).content.decode()
    assert "<svg" in page and 'fill="#1e7d32"' in page and 'fill="#d08a00"' in page
    assert "Akimat A" in page and "50.0" in page
    # Bars share one scale: A's four due fill the box, B's one fills a quarter.
    assert 'width="50.00"' in page and 'width="25.00"' in page
    territories = client.get(url("discipline", query=f"year={year}&by=territory"))
    assert "District A" in territories.content.decode()
    partial = client.get(url("discipline", query=f"year={year}"), HTTP_HX_REQUEST="true")
    assert b"<html" not in partial.content and b"<svg" in partial.content

    export = client.get(url("discipline", query=f"year={year}&export=xlsx"))
    sheet = load_workbook(io.BytesIO(export.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("Organization", "Due", "Done on time", "Done late", "Overdue now")
    assert ("Akimat A", 4, 2, 1, 1, 50.0) in rows
    assert rows[-1][1:5] == (5, 3, 1, 1)


# The list and its export


def test_the_excel_export_keeps_the_status_filter(world: World) -> None:
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    world.assignment(number="D-1", status=Status.DONE)
    world.assignment(number="D-2", status=Status.DONE)
    world.assignment(number="O-1")
    world.assignment(number="L-1", deadline=yesterday)
    client = world.client(world.office)

    def numbers(query: str) -> list[Any]:
        response = client.get(url("assignment_list", query=query))
        sheet = load_workbook(io.BytesIO(response.content)).active
        return sorted(row[0] for row in sheet.iter_rows(min_row=2, values_only=True))

    assert numbers("status=done&export=xlsx") == ["D-1", "D-2"]
    assert numbers("status=overdue&export=xlsx") == ["L-1"]
    assert numbers("export=xlsx") == ["D-1", "D-2", "L-1", "O-1"]
    page = client.get(url("assignment_list", query="status=overdue")).content.decode()
    assert "L-1" in page and "O-1" not in page and "Overdue" in page


def test_the_list_filters_by_territory_and_responsible(world: World) -> None:
    world.assignment(number="A-1")
    world.assignment(number="B-1", lead_organization=world.akimat_b)
    client = world.client(world.office)
    by_territory = client.get(url("assignment_list", query=f"territory={world.district_b.pk}"))
    assert "B-1" in by_territory.content.decode() and "A-1" not in by_territory.content.decode()
    by_lead = client.get(url("assignment_list", query=f"lead_organization={world.akimat_a.pk}"))
    assert "A-1" in by_lead.content.decode() and "B-1" not in by_lead.content.decode()


def test_the_list_offers_the_filters_the_api_takes(world: World) -> None:
    assert_page_filters_are_the_api_parameters(
        world.client(world.office), "assignments:assignment_list", "/api/v1/assignments"
    )


def test_the_apis_responsible_person_and_controller_filter_the_page_and_its_export(
    world: World,
) -> None:
    person = PersonFactory(territory=world.district_a)
    controller = UserFactory(role=Role.PROJECT_OFFICE, territory=world.region)
    world.assignment(number="P-1", lead_person=person)
    world.assignment(number="C-1", controller=controller)
    world.assignment(number="N-1")
    client = world.client(world.office)

    def numbers(query: str) -> list[Any]:
        response = client.get(url("assignment_list", query=f"{query}&export=xlsx"))
        sheet = load_workbook(io.BytesIO(response.content)).active
        return sorted(row[0] for row in sheet.iter_rows(min_row=2, values_only=True))

    by_person = client.get(url("assignment_list", query=f"lead_person={person.pk}"))
    assert [obj.number for obj, _cells in by_person.context["rows"]] == ["P-1"]
    by_controller = client.get(url("assignment_list", query=f"controller={controller.pk}"))
    assert [obj.number for obj, _cells in by_controller.context["rows"]] == ["C-1"]
    assert numbers(f"lead_person={person.pk}") == ["P-1"]
    assert numbers(f"controller={controller.pk}") == ["C-1"]
    # The page offers the controllers of the assignments the user sees, and nobody else.
    choices = by_controller.context["form"].fields["controller"].queryset
    assert set(choices) == {world.office, controller}


def test_the_inbox_shows_the_open_ones_until_asked_for_all(world: World) -> None:
    world.assignment(text_en="Closed one", status=Status.DONE)
    client = world.client(world.coordinator_a)

    filtered_otherwise = client.get(url("inbox", query="page=1")).content.decode()
    everything = client.get(url("inbox", query="show=all")).content.decode()

    assert "Closed one" not in filtered_otherwise and "Closed one" in everything
    assert '<option value="open" selected>' in filtered_otherwise
    assert '<option value="all" selected>' in everything


# Query counts of the assignment's page: the same for 3 rows as for 12 (the lists are pinned in
# tests/test_query_counts.py)


def grow_detail(world: World, n: int) -> str:
    if not hasattr(world, "detailed"):
        world.detailed = world.assignment(status=Status.REPORTED)  # type: ignore[attr-defined]
    assignment: Assignment = world.detailed  # type: ignore[attr-defined]
    content_type = ContentType.objects.get_for_model(ExecutionReport)
    for _ in range(n):
        report = ExecutionReport.objects.create(
            assignment=assignment, text="Done.", author=world.coordinator_a
        )
        Attachment.objects.create(
            content_type=content_type,
            object_id=report.pk,
            file="attachments/x.pdf",
            name="x.pdf",
            mime_type="application/pdf",
            size=10,
            uploaded_by=world.coordinator_a,
        )
        Extension.objects.create(
            assignment=assignment,
            requested_by=world.coordinator_a,
            new_deadline=assignment.deadline + datetime.timedelta(days=9),
            reason="Time.",
            status=ExtensionStatus.REFUSED,
            decided_by=world.office,
            answer="No.",
        )
        # .add() writes the assignment's history too: its versions grow with the rows.
        assignment.co_executors.add(OrganizationFactory(territory=world.district_a))
    return url("assignment_detail", assignment.pk)


# page → (rows grown, user looking, queries)
PAGES: dict[str, tuple[Callable[[World, int], str], str, int]] = {
    # 6 are the session, the user and the user's scope (territory, organization, the
    # organization's territory, the territories that moved out of the region).
    "detail": (grow_detail, "office", 17),
}


@pytest.mark.parametrize("name", list(PAGES))
def test_the_number_of_queries_does_not_grow_with_the_rows(
    name: str, world: World, django_assert_num_queries: Any
) -> None:
    grow, username, queries = PAGES[name]
    client = world.client(getattr(world, username))
    page_url = grow(world, 3)
    assert client.get(page_url).status_code == 200  # warm the caches (content types)
    cache.clear()  # counted cold: what is kept between requests is read afresh
    with django_assert_num_queries(queries):
        assert client.get(page_url).status_code == 200
    grow(world, 9)
    cache.clear()  # counted cold: what is kept between requests is read afresh
    with django_assert_num_queries(queries):
        assert client.get(page_url).status_code == 200
