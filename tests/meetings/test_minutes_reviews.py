"""The minutes print the meeting's decisions on earlier assignments (its reviews) in Kazakh and
Russian, the extension "until N days after the emergency is lifted" among them."""

from __future__ import annotations

import datetime
import io
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from docx import Document
from tests.printed import pdf_text

from factories import (
    AssignmentFactory,
    MeetingFactory,
    OrganizationFactory,
    TerritoryFactory,
    UserFactory,
)
from kense.assignments.models import ReviewChoice
from kense.assignments.services import review_record
from kense.core.permissions import Role
from kense.meetings.exports import (
    assignments_extract_docx,
    minutes_content,
    minutes_docx,
    minutes_pdf,
)
from kense.meetings.services import review_item_propose
from kense.registry.models import TerritoryKind

D = datetime.date


def docx_text(data: bytes) -> str:
    return "\n".join(paragraph.text for paragraph in Document(io.BytesIO(data)).paragraphs)


@pytest.fixture
def world(db: Any) -> dict[str, Any]:
    region = TerritoryFactory(kind=TerritoryKind.REGION)
    district = TerritoryFactory(parent=region)
    office = UserFactory(role=Role.PROJECT_OFFICE, territory=region)
    culture = OrganizationFactory(
        territory=district,
        name_kk="Мәдениет басқармасы",
        short_name_kk="МБ",
        name_ru="Управление культуры",
        short_name_ru="УК",
    )
    policy = OrganizationFactory(
        territory=district,
        name_kk="Ішкі саясат басқармасы",
        short_name_kk="ІСБ",
        name_ru="Управление внутренней политики",
        short_name_ru="УВП",
    )
    meeting = MeetingFactory(
        organizer=culture,
        state="draft",
        start=datetime.datetime(2020, 4, 21, 4, 0, tzinfo=datetime.UTC),
        end=datetime.datetime(2020, 4, 21, 6, 0, tzinfo=datetime.UTC),
    )

    def given(number: str, kk: str, ru: str) -> Any:
        return AssignmentFactory(
            number=number,
            text_kk=kk,
            text_ru=ru,
            lead_organization=culture,
            controller=office,
            deadline=D(2020, 4, 1),
        )

    return {
        "office": office,
        "culture": culture,
        "policy": policy,
        "meeting": meeting,
        "festival": given("3", "Фестиваль өткізілсін", "Провести фестиваль"),
        "contest": given("4", "Байқау өткізілсін", "Провести конкурс"),
        "report": given("5", "Есеп берілсін", "Представить отчёт"),
    }


def decide(world: dict[str, Any], assignment: str, choice: str, **fields: Any) -> None:
    review_record(
        meeting=world["meeting"],
        assignment=world[assignment],
        user=world["office"],
        choice=choice,
        **fields,
    )


@pytest.fixture
def reviewed(world: dict[str, Any]) -> dict[str, Any]:
    review_item_propose(world["meeting"], user=world["office"])
    decide(world, "festival", ReviewChoice.EXTEND_AFTER_LIFTING, days_after_lifting=21)
    decide(world, "contest", ReviewChoice.EXTEND, new_deadline=D(2020, 6, 1))
    decide(world, "report", ReviewChoice.REASSIGN, new_lead_organization=world["policy"])
    return world


def test_kazakh_minutes_print_the_extension_until_after_the_lifting(
    reviewed: dict[str, Any],
) -> None:
    text = docx_text(minutes_docx(reviewed["meeting"], "kk"))

    assert "I. Бұрын берілген тапсырмалардың орындалу барысы туралы" in text
    assert (
        "1. № 3 «Фестиваль өткізілсін»: орындау мерзімі ұзартылсын: "
        "төтенше жағдай алынғаннан кейін 21 күн ішінде." in text
    )
    assert (
        "2. № 4 «Байқау өткізілсін»: орындау мерзімі 2020 ж. 1 маусымға дейін ұзартылсын." in text
    )
    assert "3. № 5 «Есеп берілсін»: жауапты орындаушы ауыстырылсын: ІСБ." in text
    # Decisions were taken: the item is not merely "taken note of".
    assert "Ақпарат назарға алынсын." not in text


def test_russian_minutes_print_the_extension_until_after_the_lifting(
    reviewed: dict[str, Any],
) -> None:
    text = docx_text(minutes_docx(reviewed["meeting"], "ru"))

    assert "I. О ходе исполнения ранее данных поручений" in text
    assert (
        "1. № 3 «Провести фестиваль»: продлить срок исполнения: "
        "в течение 21 дня после снятия чрезвычайного положения." in text
    )
    assert "2. № 4 «Провести конкурс»: продлить срок исполнения до 1 июня 2020 г." in text
    assert "г.." not in text
    assert "3. № 5 «Представить отчёт»: сменить ответственного исполнителя: УВП." in text


def test_reviews_without_the_review_item_get_an_item_of_their_own(
    world: dict[str, Any],
) -> None:
    decide(world, "festival", ReviewChoice.EXTEND_AFTER_LIFTING, days_after_lifting=30, note="")
    decide(world, "contest", ReviewChoice.ACCEPT)
    decide(world, "report", ReviewChoice.KEEP, note="Карантин.")

    text = docx_text(minutes_docx(world["meeting"], "ru"))

    assert "1. О ходе исполнения ранее данных поручений" in text  # the agenda
    assert "в течение 30 дней после снятия чрезвычайного положения." in text
    assert "2. № 4 «Провести конкурс»: снять с контроля как исполненное." in text
    assert "3. № 5 «Представить отчёт»: оставить на контроле. Карантин." in text


def test_an_extract_leaves_the_reviews_out(reviewed: dict[str, Any]) -> None:
    text = docx_text(assignments_extract_docx(reviewed["meeting"], reviewed["culture"], "kk"))

    assert "төтенше жағдай алынғаннан кейін 21 күн ішінде" not in text


def test_the_pdf_prints_the_extension_until_after_the_lifting(
    reviewed: dict[str, Any], tmp_path: Path
) -> None:
    text = " ".join(pdf_text(minutes_pdf(reviewed["meeting"], "kk"), tmp_path).split())
    assert "төтенше жағдай алынғаннан кейін 21 күн ішінде" in text
    assert "Ақпарат назарға алынсын." not in text


def test_queries_do_not_grow_with_the_reviews(reviewed: dict[str, Any]) -> None:
    with CaptureQueriesContext(connection) as three:
        minutes_content(reviewed["meeting"], "kk")
    for number in range(6, 10):
        reviewed[str(number)] = AssignmentFactory(
            number=str(number), lead_organization=reviewed["culture"], controller=reviewed["office"]
        )
        decide(reviewed, str(number), ReviewChoice.EXTEND_AFTER_LIFTING, days_after_lifting=number)

    with CaptureQueriesContext(connection) as seven:
        content = minutes_content(reviewed["meeting"], "kk")

    assert len(content.items[0].reviews) == 7
    assert len(seven) == len(three)
