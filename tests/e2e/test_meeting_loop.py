"""A meeting from invitation to approved minutes, and the assignment it gives, in a browser.

The project office prepares a new online meeting of Karaganda region: invites people and the
deputy akims of every city and district in one step, proposes the review of earlier
assignments, builds the agenda with a speaker and a file, schedules it (the invitations go
out), runs it, writes the minutes, makes a decision an assignment of Saran city's akimat and
approves the minutes, which lock. Saran's deputy akim finds the assignment in the inbox and
reports; the office returns the report, then accepts the second one; Temirtau's deputy akim
never sees it.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from e2e.conftest import login, screenshot
from kense.assignments.models import Assignment, Status
from kense.meetings.models import Attendance, Meeting, MeetingState, Participant
from kense.registry.demo import REGION

pytestmark = pytest.mark.e2e

GROUP = "Қалалар мен аудандар әкімдерінің орынбасарлары"
# Five of the 2020 region's eighteen cities and districts went to Ulytau region in 2022.
CURRENT_DEPUTY_AKIMS = 13
INDIVIDUALS = ["Алтынбеков Бекзат", "Бейсембекова Нұрсахан", "Құсайын Ерлан"]
OFFICE = "«Рухани жаңғыру» бағдарламасының облыстық жобалық кеңсесі"
SARAN_AKIMAT = "Саран қаласының әкімдігі"
TITLE_KK = "Арнайы жобалардың барысы туралы онлайн-кеңес"
TITLE_RU = "Онлайн-совещание о ходе спецпроектов"
ITEM_KK = "«Ұлы даланың ұлы есімдері» жобасының барысы туралы"
ITEM_RU = "О ходе проекта «Великие имена Великой степи»"
DECISION_KK = "Саран қаласының әкімдігі жергілікті тұлғалар туралы материалдарды жинап, ұсынсын."
DECISION_RU = "Акимату города Сарани собрать и представить материалы о местных личностях."
IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# The smallest file a PDF reader opens: one empty page, with its cross-reference table.
PDF = (
    b"%PDF-1.4\n"
    b"1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n"
    b"0000000052 00000 n \n0000000101 00000 n \n"
    b"trailer<</Size 4/Root 1 0 R>>\nstartxref\n165\n%%EOF\n"
)


# Helpers ---------------------------------------------------------------------------------------


def path_of(page: Any) -> str:
    return re.sub(r"^https?://[^/]+", "", page.url)


def at(path: str) -> re.Pattern[str]:
    """The page at `path`, whichever anchor it is scrolled to."""
    return re.compile(re.escape(path) + r"(#[\w-]+)?$")


def submit(page: Any, form: str, url: str | re.Pattern[str]) -> None:
    """Click the form's submit button and wait for the page it leads to."""
    with page.expect_navigation(url=url):
        page.locator(form).locator("button[type=submit]").first.click()


def success(page: Any) -> str:
    """The green message of the page a form led to (else what the page says instead)."""
    messages = page.locator("ul.messages li.success")
    assert messages.count() >= 1, f"{page.url}: {page.locator('body').inner_text()[:2000]}"
    return messages.first.inner_text()


def transition(page: Any, meeting_path: str, to: str) -> None:
    """Press the state button that moves the meeting to `to`."""
    button = page.locator(f"#state form:has(input[name=to][value={to}]) button")
    with page.expect_navigation(url=at(meeting_path)):
        button.click()
    assert page.locator(f".toolbar .badge.{to}").count() == 1
    success(page)


def open_details(details: Any) -> None:
    """Unfold a <details> by its summary, as a person would (unless it is open already)."""
    if not details.evaluate("node => node.open"):
        details.locator("summary").click()


def switch_user(page: Any, username: str) -> None:
    page.context.clear_cookies()
    login(page, username)


# The office prepares, runs and closes the meeting ---------------------------------------------


def create_meeting(page: Any) -> str:
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    page.goto("/kk/meetings/add/")
    page.fill("#id_title_kk", TITLE_KK)
    page.fill("#id_title_ru", TITLE_RU)
    page.select_option("#id_kind", "regular")
    page.select_option("#id_format", "online")
    page.fill("#id_video_url", "https://zoom.us/j/7781234567")
    page.fill("#id_video_meeting_id", "778 123 4567")
    page.fill("#id_video_passcode", "ruh")
    page.fill("#id_start", f"{tomorrow:%Y-%m-%d}T10:00")
    page.fill("#id_end", f"{tomorrow:%Y-%m-%d}T12:00")
    page.select_option("#id_chair", label="Нүкенов Абзал")
    page.select_option("#id_secretary", label="Жұмағұлов Айтбай")
    page.select_option("#id_organizer", label=OFFICE)
    page.select_option("#id_territory", label=REGION.kk)
    submit(page, "form.edit", re.compile(r"/kk/meetings/\d+/$"))
    success(page)
    assert page.locator("h1").inner_text() == TITLE_KK
    assert page.locator(".toolbar .badge.draft").count() == 1
    facts = page.locator("dl.facts").first.inner_text()
    for text in ("https://zoom.us/j/7781234567", "Нүкенов Абзал", OFFICE, REGION.kk):
        assert text in facts
    return path_of(page)


def invite(page: Any, meeting_path: str, meeting: Meeting) -> None:
    open_details(page.locator("#participants details"))
    page.select_option("#id_people", label=INDIVIDUALS)
    page.select_option("#id_groups", label=GROUP)
    submit(page, "#participants form.edit", at(meeting_path))
    success(page)
    rows = page.locator("#participants tbody tr")
    assert rows.count() == CURRENT_DEPUTY_AKIMS + len(INDIVIDUALS)
    in_group = page.locator("#participants tbody tr", has_text=GROUP)
    assert in_group.count() == CURRENT_DEPUTY_AKIMS
    names = page.locator("#participants tbody tr td:first-child").all_inner_texts()
    assert set(INDIVIDUALS) <= set(names)
    assert "Әбдірахманов Нұрлан" in names  # Saran's deputy akim
    assert not {"Төлеубаева Меруерт", "Дүйсенов Қайрат"} & set(names)  # now in Ulytau region
    assert meeting.participants.count() == CURRENT_DEPUTY_AKIMS + len(INDIVIDUALS)
    screenshot(page, "meeting-participants")

    # Inviting somebody already invited is refused, naming them; nobody is added.
    open_details(page.locator("#participants details"))
    page.select_option("#id_people", label=[INDIVIDUALS[0], "Ахметов Қамбар"])
    with page.expect_navigation(url=re.compile(r"/invite/$")):
        page.locator("#participants form.edit button[type=submit]").click()
    error = page.locator("ul.errorlist").inner_text()
    assert INDIVIDUALS[0] in error
    assert "Ахметов" not in error
    screenshot(page, "meeting-invited-twice")
    assert meeting.participants.count() == CURRENT_DEPUTY_AKIMS + len(INDIVIDUALS)
    page.goto(meeting_path)


def prepare_agenda(page: Any, meeting_path: str, tmp_path: Any) -> None:
    # The review of earlier assignments lists the demo's open ones, each with its status.
    with page.expect_navigation(url=re.compile(re.escape(meeting_path) + r"#item-\d+$")):
        page.locator("#agenda form[action$='/review/'] button").click()
    success(page)
    review = page.locator("#review")
    assert review.count() == 1
    assert review.locator("tbody tr[id^=review-]").count() >= 1
    assert review.locator("tbody tr[id^=review-] .badge").count() >= 1
    screenshot(page, "meeting-review-item")

    # An item with a speaker.
    page.locator(f"#agenda a.button[href$='{meeting_path}items/add/']").click()
    page.wait_for_url(f"**{meeting_path}items/add/")
    page.fill("#id_title_kk", ITEM_KK)
    page.fill("#id_title_ru", ITEM_RU)
    page.fill("#id_duration_minutes", "20")
    page.select_option("#id_speakers", label="Жұмекенов Еркебұлан")
    submit(page, "form.edit", re.compile(re.escape(meeting_path) + r"#item-\d+$"))
    item = page.locator("#agenda article", has_text=ITEM_KK)
    assert item.locator("h3").inner_text() == f"2. {ITEM_KK}"
    assert "Жұмекенов Еркебұлан" in item.locator("dl.facts").inner_text()

    # A real (if tiny) PDF, attached to the item.
    pdf = tmp_path / "baiandama.pdf"
    pdf.write_bytes(PDF)
    open_details(item.locator("details:has(input[type=file])"))
    item.locator("input[type=file]").set_input_files(str(pdf))
    with page.expect_navigation(url=re.compile(re.escape(meeting_path) + r"#item-\d+$")):
        item.locator("form[enctype='multipart/form-data'] button[type=submit]").click()
    assert "baiandama.pdf" in success(page)
    link = item.locator("a[href*='/attachments/']", has_text="baiandama.pdf")
    assert link.count() == 1
    response = page.request.get(link.get_attribute("href"))
    assert response.ok
    assert response.body() == PDF
    screenshot(page, "meeting-agenda")


def run_meeting(page: Any, meeting_path: str, meeting: Meeting) -> None:
    mail.outbox.clear()
    transition(page, meeting_path, MeetingState.SCHEDULED)
    meeting.refresh_from_db()
    assert meeting.invitations_sent_at is not None
    # One letter per participant with an address (the demo's users), each with its .ics.
    letters = [m for m in mail.outbox if m.attachments]
    assert letters, "no invitation was sent"
    assert all(m.attachments[0][0] == "invitation.ics" for m in letters)
    assert any("saran@" in m.to[0] for m in letters)

    transition(page, meeting_path, MeetingState.IN_PROGRESS)

    # Attendance is marked in every row and saved by the one form below the table.
    participant = Participant.objects.get(meeting=meeting, person__surname_kk="Бейсембекова")
    mark = page.locator(f"#participant-{participant.pk} select[name=attendance-{participant.pk}]")
    mark.select_option(Attendance.EXCUSED)
    with page.expect_navigation(url=re.compile(re.escape(meeting_path) + r"#participants$")):
        page.locator("#attendance-form button[type=submit]:not([name])").click()
    success(page)
    mark = page.locator(f"#participant-{participant.pk} select[name=attendance-{participant.pk}]")
    assert mark.input_value() == Attendance.EXCUSED
    participant.refresh_from_db()
    assert participant.attendance == Attendance.EXCUSED
    screenshot(page, "meeting-in-progress")

    # The meeting is dated tomorrow: held today, it needs the box ticked and a reason.
    early = page.locator("#state form.held-early")
    early.locator("input[name=held_early]").check()
    early.locator("input[name=held_early_reason]").fill("Аким кестесі өзгерді")
    transition(page, meeting_path, MeetingState.HELD)
    meeting.refresh_from_db()
    assert meeting.held_early_reason == "Аким кестесі өзгерді"


def write_minutes(page: Any, meeting_path: str) -> None:
    item = page.locator("#agenda article", has_text=ITEM_KK)
    minutes = item.locator("form[action*='/minutes/']")
    minutes.locator("textarea[name=heard_kk]").fill(
        "Мәдениет басқармасының басшысы жоба бойынша облыстың тұлғалары туралы баяндады."
    )
    minutes.locator("textarea[name=heard_ru]").fill(
        "Руководитель управления культуры доложил о ходе проекта по личностям области."
    )
    with page.expect_navigation(url=re.compile(re.escape(meeting_path) + r"#item-\d+$")):
        minutes.locator("button[type=submit]").click()
    success(page)
    item = page.locator("#agenda article", has_text=ITEM_KK)
    assert "облыстың тұлғалары" in item.locator("textarea[name=heard_kk]").input_value()

    # A decision.
    open_details(item.locator("details:has(form[action*='/decisions/add/'])"))
    decision = item.locator("form[action*='/decisions/add/']")
    decision.locator("textarea[name=text_kk]").fill(DECISION_KK)
    decision.locator("textarea[name=text_ru]").fill(DECISION_RU)
    with page.expect_navigation(url=re.compile(re.escape(meeting_path) + r"#decision-\d+$")):
        decision.locator("button[type=submit]").click()
    success(page)
    item = page.locator("#agenda article", has_text=ITEM_KK)
    assert DECISION_KK in item.locator("ol.decisions").inner_text()


def make_assignment(page: Any, meeting_path: str) -> Assignment:
    item = page.locator("#agenda article", has_text=ITEM_KK)
    item.locator("ol.decisions a[href$='/assignment/']").click()
    page.wait_for_url(re.compile(r"/decisions/\d+/assignment/$"))
    # The decision's text is already in the form.
    assert page.locator("#id_text_kk").input_value() == DECISION_KK
    deadline = timezone.localdate() + datetime.timedelta(days=5)
    page.select_option("#id_lead_organization", label=SARAN_AKIMAT)
    page.check("#id_deadline_kind input[value=date]")
    page.fill("#id_deadline", deadline.isoformat())
    page.select_option("#id_controller", label="Айтбай Жұмағұлов")
    screenshot(page, "meeting-assignment-form")
    submit(page, "form.edit", re.compile(re.escape(meeting_path) + r"#decision-\d+$"))
    success(page)
    assignment = Assignment.objects.get(text_kk=DECISION_KK)
    assert assignment.lead_organization.name_kk == SARAN_AKIMAT  # type: ignore[attr-defined]
    assert assignment.deadline == deadline
    assert assignment.controller.username == "office"
    assert assignment.status == Status.UNDER_CONTROL
    under = page.locator(f"ol.decisions a[href$='/assignments/{assignment.pk}/']")
    assert under.count() == 1
    return assignment


def approve_and_download(page: Any, meeting_path: str) -> None:
    transition(page, meeting_path, MeetingState.APPROVED)
    # Locked: no form edits the meeting any more; only an amendment may be added.
    main = page.locator("main")
    for form in (
        "form[action*='/invite/']",
        "form[action*='/minutes/']",
        "form[action*='/decisions/add/']",
        "form[action*='/attachments/']",
        "form[action*='/participants/']",
        "form[action*='/state/']",
        "form[action*='/review/']",
    ):
        assert main.locator(form).count() == 0, form
    assert main.locator("a[href$='/edit/']").count() == 0
    assert main.locator("a[href$='/items/add/']").count() == 0
    assert main.locator("#amendments form[action$='/amendments/']").count() == 1
    item = page.locator("#agenda article", has_text=ITEM_KK)
    assert "облыстың тұлғалары" in item.locator("dl.facts").last.inner_text()
    screenshot(page, "meeting-approved")

    # The minutes' edit page, typed in, sends back to the meeting with the reason.
    item_id = item.get_attribute("id").removeprefix("item-")
    page.goto(f"{meeting_path}items/{item_id}/minutes/")
    page.wait_for_url(at(meeting_path))
    assert page.locator("ul.messages li.error").count() == 1
    assert page.locator("form[action*='/minutes/']").count() == 0

    with page.expect_download() as download_info:
        page.locator(f"#documents a[href$='{meeting_path}minutes/kk/docx/']").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".docx")
    with open(download.path(), "rb") as docx:
        assert docx.read(2) == b"PK"


# The deputy akim reports; the office returns, then accepts -------------------------------------


def report(page: Any, assignment: Assignment, text: str) -> None:
    assignment_path = f"/kk/assignments/{assignment.pk}/"
    page.goto(assignment_path)
    form = page.locator(f"form[action$='/assignments/{assignment.pk}/report/']")
    form.locator("textarea[name=report-text]").fill(text)
    with page.expect_navigation(url=f"**{assignment_path}"):
        form.locator("button[type=submit]").click()
    success(page)
    assert page.locator("#reports .report", has_text=text).count() == 1
    assert page.locator(f"form[action$='/assignments/{assignment.pk}/report/']").count() == 0


def review(page: Any, assignment: Assignment, *, accept: bool, comment: str = "") -> None:
    page.goto("/kk/assignments/review/")
    row = page.locator("#reports tbody tr", has_text=DECISION_KK[:60])
    assert row.count() == 1
    if comment:
        row.locator("textarea").fill(comment)
    with page.expect_navigation(url="**/kk/assignments/review/"):
        row.locator(f"button[value={'accept' if accept else 'return'}]").click()
    success(page)
    assert page.locator("#reports tbody tr", has_text=DECISION_KK[:60]).count() == 0


def test_office_runs_the_meeting_and_saran_reports_on_its_assignment(
    demo: Any, page: Any, tmp_path: Any, settings: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TASKS = IMMEDIATE_TASKS  # the invitations are sent at once, into mail.outbox

    # 1. The project office, from invitation to approved minutes.
    login(page, "office")
    meeting_path = create_meeting(page)
    meeting = Meeting.objects.get(title_kk=TITLE_KK)
    assert meeting_path == f"/kk/meetings/{meeting.pk}/"
    invite(page, meeting_path, meeting)
    prepare_agenda(page, meeting_path, tmp_path)
    run_meeting(page, meeting_path, meeting)
    write_minutes(page, meeting_path)
    assignment = make_assignment(page, meeting_path)
    approve_and_download(page, meeting_path)
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.APPROVED

    # 2. Saran's deputy akim finds it in the inbox and reports.
    switch_user(page, "saran")
    page.goto("/kk/assignments/inbox/")
    row = page.locator("#results tbody tr", has_text=DECISION_KK[:60])
    assert row.count() == 1
    screenshot(page, "assignment-inbox-saran")
    row.locator("a").first.click()
    page.wait_for_url(f"**/kk/assignments/{assignment.pk}/")
    report(page, assignment, "Қала тұлғалары туралы 12 материал жиналып, кеңсеге жіберілді.")
    assignment.refresh_from_db()
    assert assignment.status == Status.REPORTED

    # 3. The office returns it with a comment; Saran reports again; the office accepts.
    switch_user(page, "office")
    page.goto("/kk/assignments/review/")
    screenshot(page, "assignment-review-queue")
    review(page, assignment, accept=False, comment="Материалдардың тізімін қоса тіркеңіз.")
    assignment.refresh_from_db()
    assert assignment.status == Status.UNDER_CONTROL

    switch_user(page, "saran")
    page.goto(f"/kk/assignments/{assignment.pk}/")
    assert "Материалдардың тізімін қоса тіркеңіз." in page.locator("#reports").inner_text()
    report(page, assignment, "Тізім қоса беріліп, 12 материал кеңсеге қайта жіберілді.")

    switch_user(page, "office")
    review(page, assignment, accept=True)
    page.goto(f"/kk/assignments/{assignment.pk}/")
    assignment.refresh_from_db()
    assert assignment.status == Status.DONE
    assert page.locator("dl.facts .light.light-done").count() >= 1
    outcomes = page.locator("#reports .report .badge").all_inner_texts()
    assert len(outcomes) == 2
    screenshot(page, "assignment-done")

    # 4. Another city's deputy akim does not see it.
    switch_user(page, "deputy-temirtau")
    response = page.goto(f"/kk/assignments/{assignment.pk}/")
    assert response is not None
    assert response.status == 404
    assert DECISION_KK not in page.locator("body").inner_text()

    assert page.javascript_errors == []
