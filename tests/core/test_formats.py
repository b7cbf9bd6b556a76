"""Dates, numbers and file sizes read the same on every page in kk and ru: Django's own filters
(date, filesizeformat, a float printed as is) agree with Kense's (human_date, human_number), and
calendars abbreviate the weekdays as Kazakh calendars do."""

from __future__ import annotations

import datetime

import pytest
from django.template import Context, Template
from django.utils import translation

NBSP = "\xa0"
DAY = datetime.date(2020, 4, 21)  # a Tuesday


def render(source: str, language: str, **context: object) -> str:
    with translation.override(language):
        return Template("{% load kense_format %}" + source).render(Context(context))


@pytest.mark.parametrize(
    ("language", "expected"),
    [("kk", "2020 ж. 21 сәуір"), ("ru", "21 апреля 2020 г.")],
)
def test_a_date_reads_the_same_through_django_and_kense(language: str, expected: str) -> None:
    assert render("{{ day|date }}", language, day=DAY) == expected
    assert render("{{ day|human_date }}", language, day=DAY) == expected
    assert render("{{ day }}", language, day=DAY) == expected


@pytest.mark.parametrize(
    ("language", "expected"),
    [("kk", "2020 ж. 21 сәуір 09:05"), ("ru", "21 апреля 2020 г. 09:05")],
)
def test_a_time_of_day_reads_the_same(language: str, expected: str) -> None:
    moment = datetime.datetime(2020, 4, 21, 9, 5)
    assert render("{{ moment|date:'DATETIME_FORMAT' }}", language, moment=moment) == expected
    assert render("{{ moment|human_datetime }}", language, moment=moment) == expected


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_numbers_and_sizes_have_a_decimal_comma_and_grouped_thousands(language: str) -> None:
    assert render("{{ size|filesizeformat }}", language, size=36_999) in (
        f"36,1{NBSP}КБ",
        "36,1 КБ",
    )
    assert render("{{ share }}", language, share=71.43) == "71,43"
    assert render("{{ share|human_number:1 }}", language, share=71.43) == "71,4"
    assert render("{{ money|human_number }}", language, money=1_234_567.5) == (
        f"1{NBSP}234{NBSP}567,5"
    )
    assert render("{{ share|floatformat:1 }}", language, share=71.43) == "71,4"


@pytest.mark.parametrize(
    ("language", "week"),
    [
        ("kk", ["Дс", "Сс", "Ср", "Бс", "Жм", "Сн", "Жс"]),
        ("ru", ["Пн", "Вт", "Ср", "Чт", "Пт", "Сб", "Вс"]),
    ],
)
def test_weekdays_are_abbreviated_as_calendars_print_them(language: str, week: list[str]) -> None:
    monday = DAY - datetime.timedelta(days=1)
    days = [monday + datetime.timedelta(days=i) for i in range(7)]
    assert [render("{{ day|date:'D' }}", language, day=day) for day in days] == week


@pytest.mark.parametrize(("language", "yes", "no"), [("kk", "Иә", "Жоқ"), ("ru", "Да", "Нет")])
def test_a_yes_or_no_value_is_a_word(language: str, yes: str, no: str) -> None:
    assert render("{{ value|human }}", language, value=True) == yes
    assert render("{{ value|human }}", language, value=False) == no
