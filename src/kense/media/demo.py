"""Publications of the demo: coverage of the program across the region in 2020 (our own
headlines; the outlet is «Saryarqa Aqparat»), linked to the meetings, events, projects, places
and people they are about, with their reach; and two of the last days (one not yet linked)."""

from __future__ import annotations

import datetime
from typing import Any

from kense.accounts.models import User
from kense.events.models import Event, EventStatus
from kense.media.models import Publication, PublicationKind
from kense.media.services import publication_save
from kense.meetings.models import Meeting
from kense.registry.demo import story_moment

HEADLINES = [
    ("kk", "«Рухани жаңғыру»: облыста жаңа форматта жұмыс басталды", PublicationKind.ARTICLE, 437),
    ("ru", "Проектный офис подвёл итоги первого квартала", PublicationKind.ARTICLE, 612),
    ("kk", "Аудандарда «Туған жер» іс-шаралары жалғасады", PublicationKind.TV, 2300),
    ("ru", "Степной фольклор: вечер в районном доме культуры", PublicationKind.ARTICLE, 280),
    ("kk", "Қасиетті жерлерге экспедиция: мектеп оқушылары сапарда", PublicationKind.SOCIAL, 5400),
    ("ru", "Книжная выставка о личностях Великой степи", PublicationKind.RADIO, 900),
    ("kk", "Карантиннен кейін іс-шаралар қайта басталды", PublicationKind.ARTICLE, 1200),
    (
        "ru",
        "Молодёжный форум «Рухани жаңғыру» прошёл в гибридном формате",
        PublicationKind.SOCIAL,
        3100,
    ),
]


def load_publications(loader: Any) -> None:
    """Load the publications once (skip when there are any)."""
    if Publication.objects.exists():
        return
    office = User.objects.get(username="office")
    outlet = loader.organizations["saryarqa"]
    region = loader.territories["region"]
    spring = Meeting.objects.filter(start__date=datetime.date(2020, 4, 21)).first()
    held = list(
        Event.objects.filter(
            status=EventStatus.HELD, start__year=2020, territory__path__startswith=region.path
        ).order_by("start", "pk")[: len(HEADLINES)]
    )
    for index, (language, title, kind, reach) in enumerate(HEADLINES):
        event = held[index] if index < len(held) else None
        publication = Publication(
            outlet=outlet,
            title=title,
            url=f"https://saryarqa.example/news/2020/{index + 1}",
            date=event.start if event else datetime.date(2020, 4, 22),
            language=language,
            kind=kind,
            reach=reach,
        )
        links: dict[str, list[Any]] = {
            "territories": [event.territory if event else region],
            "programs": [loader.programs["rukhani-zhangyru"]],
        }
        if event is not None:
            links["events"] = [event]
            if event.project_id:
                links["projects"] = [event.project]
        if index == 0 and spring is not None:
            links["meetings"] = [spring]
            links["people"] = [loader.people["nukenov"], loader.people["zhumagulov"]]
        with loader.clock.at(story_moment(publication.date or datetime.date(2020, 4, 22), 12)):
            publication_save(publication, user=office, links=links)
        loader.count(Publication)


# (language, headline, kind, reach, days before the day of the load, linked to the meeting)
CURRENT_HEADLINES = [
    (
        "kk",
        "Облыста «Қазақстанның киелі географиясы» тізілімі жаңартылады",
        PublicationKind.ARTICLE,
        850,
        9,
        True,
    ),
    (
        "ru",
        "Школьники Сарани встретились с земляками из проекта «100 новых лиц»",
        PublicationKind.SOCIAL,
        2100,
        2,
        False,
    ),
]


def load_current_publications(loader: Any, today: datetime.date) -> None:
    """The last days' coverage: an article about the meeting held ten days ago, linked, and a
    post of two days ago that nobody has linked yet (once)."""
    if Publication.objects.filter(date__year__gt=2020).exists():
        return
    office = User.objects.get(username="office")
    recent = Meeting.objects.filter(start__year__gt=2020, state="approved").first()
    for index, (language, title, kind, reach, ago, linked) in enumerate(CURRENT_HEADLINES):
        day = today - datetime.timedelta(days=ago)
        publication = Publication(
            outlet=loader.organizations["saryarqa"],
            title=title,
            url=f"https://saryarqa.example/news/{day:%Y}/{day:%m%d}-{index + 1}",
            date=day,
            language=language,
            kind=kind,
            reach=reach,
        )
        links: dict[str, list[Any]] = {}
        if linked:
            links = {
                "territories": [loader.territories["region"]],
                "programs": [loader.programs["rukhani-zhangyru"]],
                "people": [loader.people["zhumagulov"]],
                "meetings": [recent] if recent is not None else [],
            }
        with loader.clock.at(story_moment(day, 13)):
            publication_save(publication, user=office, links=links)
        loader.count(Publication)
