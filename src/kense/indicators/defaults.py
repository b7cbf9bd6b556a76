"""The standard set of indicators: one computed indicator per computation, and a few reported
ones the territories fill in (used by the demo, and a starting point for a new region)."""

from __future__ import annotations

from django.db import transaction

from kense.accounts.models import User
from kense.indicators.models import Computation, Indicator, Source
from kense.indicators.services.definitions import indicator_save

UNITS = {
    "count": ("бірлік", "ед.", "units"),
    "percent": ("%", "%", "%"),
    "people": ("адам", "чел.", "people"),
    "tenge": ("теңге", "тенге", "tenge"),
}

# code (the computation), kk, ru, en, unit, higher is better
COMPUTED: list[tuple[str, str, str, str, str, bool]] = [
    (
        Computation.EVENTS_HELD,
        "Өткізілген іс-шаралар саны",
        "Количество проведённых мероприятий",
        "Events held",
        "count",
        True,
    ),
    (
        Computation.EVENTS_HELD_SHARE,
        "Жоспарланған іс-шаралардың өткізілген үлесі",
        "Доля проведённых плановых мероприятий",
        "Share of planned events held",
        "percent",
        True,
    ),
    (
        Computation.PARTICIPANTS,
        "Іс-шаралар қатысушыларының саны",
        "Количество участников мероприятий",
        "Participants of events",
        "people",
        True,
    ),
    (
        Computation.EVENTS_BEYOND_PLAN,
        "Жоспардан тыс өткізілген іс-шаралар",
        "Мероприятия, проведённые сверх плана",
        "Events held beyond the plan",
        "count",
        True,
    ),
    (
        Computation.ASSIGNMENTS_ON_TIME,
        "Мерзімінде орындалған тапсырмалар үлесі",
        "Доля поручений, исполненных в срок",
        "Share of assignments done on time",
        "percent",
        True,
    ),
    (
        Computation.ASSIGNMENTS_OVERDUE,
        "Мерзімі өткен тапсырмалар",
        "Просроченные поручения",
        "Overdue assignments",
        "count",
        False,
    ),
    (
        Computation.PROJECTS_IMPLEMENTED,
        "Іске асырылған жобалар",
        "Реализованные проекты",
        "Projects implemented",
        "count",
        True,
    ),
    (
        Computation.PROJECTS_COST,
        "Жобалардың құны",
        "Стоимость проектов",
        "Cost of projects",
        "tenge",
        True,
    ),
    (
        Computation.SPONSOR_MONEY,
        "Демеушілер қаражаты",
        "Средства спонсоров",
        "Sponsors' money",
        "tenge",
        True,
    ),
    (
        Computation.PUBLICATIONS,
        "БАҚ-тағы жарияланымдар",
        "Публикации в СМИ",
        "Publications in the media",
        "count",
        True,
    ),
    (
        Computation.PUBLICATION_VIEWS,
        "Жарияланымдарды қарау саны",
        "Просмотры публикаций",
        "Views of publications",
        "count",
        True,
    ),
    (
        Computation.ACKNOWLEDGMENTS,
        "Әдістемелік ұсынымдармен танысқандар",
        "Ознакомившиеся с методическими рекомендациями",
        "Guidelines acknowledged",
        "people",
        True,
    ),
    (
        Computation.IDEAS,
        "Ұсынылған идеялар",
        "Предложенные идеи",
        "Ideas proposed",
        "count",
        True,
    ),
]

REPORTED: list[tuple[str, str, str, str, str, bool]] = [
    (
        "tugan_zher_reach",
        "«Туған жер» жобасымен қамтылған адамдар саны",
        "Количество людей, охваченных проектом «Туған жер»",
        "People reached by the «Туған жер» project",
        "people",
        True,
    ),
    (
        "textbooks_readers",
        "«100 жаңа оқулық» кітаптарының кітапханалардағы оқырмандары",
        "Читатели книг «100 новых учебников» в библиотеках",
        "Library readers of the «100 new textbooks»",
        "people",
        True,
    ),
    (
        "sacred_places_visitors",
        "Қасиетті жерлерге келушілер саны",
        "Количество посетителей сакральных мест",
        "Visitors to sacred places",
        "people",
        True,
    ),
]


@transaction.atomic
def ensure_standard_indicators(user: User) -> list[Indicator]:
    """The standard indicators, created as `user` (the project office or an administrator)
    when missing. Idempotent: an existing indicator with the same code is left as it is."""
    existing = {indicator.code: indicator for indicator in Indicator.objects.all()}
    result = []
    rows = [(row, Source.COMPUTED) for row in COMPUTED] + [
        (row, Source.REPORTED) for row in REPORTED
    ]
    for order, ((code, kk, ru, en, unit, higher), source) in enumerate(rows, start=1):
        indicator = existing.get(str(code))
        if indicator is None:
            unit_kk, unit_ru, unit_en = UNITS[unit]
            indicator = Indicator(
                code=str(code),
                name_kk=kk,
                name_ru=ru,
                name_en=en,
                unit_kk=unit_kk,
                unit_ru=unit_ru,
                unit_en=unit_en,
                higher_is_better=higher,
                source=source,
                computation=str(code) if source == Source.COMPUTED else "",
                order=order * 10,
            )
            indicator = indicator_save(indicator, user=user)
        result.append(indicator)
    return result
