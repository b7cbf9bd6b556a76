"""The events of the demo: 2019 and 2020 across the region's 18 cities and districts.

2019 runs as planned (most events held, a few cancelled, some beyond the plan). In 2020 each
city and district has an approved work plan; the state of emergency declared on 16 March
2020 stops the spring's in-person events, which the project office postpones in bulk (online
ones go on); the emergency is lifted on 11 May 2020 and the rescheduling assistant moves the
postponed events into the summer, where most are held. So plan against fact and the effect of
the emergency show in every list and report.

Event names are generic (our own wording); numbers come from a seeded generator, so every
load gives the same demo.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal
from typing import Any

from kense.accounts.models import User
from kense.events.models import (
    Audience,
    Emergency,
    Event,
    EventFormat,
    EventStatus,
    PlanItem,
    WorkPlan,
)
from kense.events.selectors.emergencies import affected_events, propose_new_dates
from kense.events.services.emergencies import (
    emergency_declare,
    emergency_lift,
    postpone_in_bulk,
    reschedule,
)
from kense.events.services.events import event_cancel, event_hold, event_save
from kense.events.services.plans import plan_approve, plan_item_save, plan_save, plan_submit
from kense.registry.demo import story_moment
from kense.registry.models import Territory

EMERGENCY_DECLARED = datetime.date(2020, 3, 16)
EMERGENCY_LIFTED = datetime.date(2020, 5, 11)

# (kk, ru, en, format, audience, project key)
KINDS = [
    (
        "«Туған жер» өлкетану конференциясы",
        "Краеведческая конференция «Туған жер»",
        "Local history conference “Tugan Zher”",
        EventFormat.IN_PERSON,
        [Audience.TEACHERS, Audience.STUDENTS],
        "tugan_zher",
    ),
    (
        "«Ұлы даланың ұлы есімдері» кітап көрмесі",
        "Книжная выставка «Ұлы даланың ұлы есімдері»",
        "Book exhibition “Great Names of the Great Steppe”",
        EventFormat.IN_PERSON,
        [Audience.PUBLIC],
        "great_names",
    ),
    (
        "Дала фольклоры кеші",
        "Вечер степного фольклора",
        "An evening of steppe folklore",
        EventFormat.IN_PERSON,
        [Audience.PUBLIC, Audience.ELDERLY],
        "folklore",
    ),
    (
        "«Рухани жаңғыру» жастар форумы",
        "Молодёжный форум «Рухани жаңғыру»",
        "Rukhani Zhangyru youth forum",
        EventFormat.HYBRID,
        [Audience.YOUTH, Audience.STUDENTS],
        "tarbie",
    ),
    (
        "Қасиетті жерлерге экспедиция",
        "Экспедиция по сакральным местам",
        "Expedition to sacred places",
        EventFormat.IN_PERSON,
        [Audience.SCHOOLCHILDREN, Audience.TEACHERS],
        "sacred",
    ),
    (
        "Туған өлке тарихы: онлайн-дәріс",
        "История родного края: онлайн-лекция",
        "History of the native land: an online lecture",
        EventFormat.ONLINE,
        [Audience.YOUTH, Audience.PUBLIC],
        "aqparat",
    ),
    (
        "Әлеуметтік желідегі «Менің ауылым» челленджі",
        "Челлендж «Моё село» в социальных сетях",
        "“My Village” challenge on social media",
        EventFormat.MEDIA_CAMPAIGN,
        [Audience.YOUTH],
        "aqparat",
    ),
]


class EventsDemo:
    def __init__(self, loader: Any) -> None:
        self.loader = loader
        self.clock = loader.clock
        self.office = User.objects.get(username="office")
        self.random = random.Random(2020)
        self.program = loader.programs["rukhani-zhangyru"]
        region = Territory.objects.get(pk=loader.territories["region"].pk)
        outside = set(
            Territory.objects.exclude(path__startswith=region.path).values_list("pk", flat=True)
        )
        # The five units that went to Ulytau region in 2022 are no longer the Karaganda
        # office's to write; their 2020 history is entered by the administrator.
        self.moved = {
            key for key, territory in loader.territories.items() if territory.pk in outside
        }

    def actor(self, event_or_place: Any) -> User:
        key = getattr(event_or_place, "key", None)
        if key is None:
            key = next(
                k for k, t in self.loader.territories.items() if t.pk == event_or_place.territory_id
            )
        return self.loader.admin if key in self.moved else self.office

    def load(self) -> None:
        if Event.objects.exists():
            return  # loaded before
        from kense.registry.demo import PLACES

        for place in PLACES:
            self.year_2019(place)
        spring = [event for place in PLACES for event in self.year_2020(place)]
        self.emergency(spring)

    def event(self, place: Any, kind: int, start: datetime.date, **extra: Any) -> Event:
        kk, ru, en, format_, audience, project = KINDS[kind]
        territory = self.loader.territories[place.key]
        venue = f"{territory.name_kk}, мәдениет үйі" if format_ != EventFormat.ONLINE else ""
        event = Event(
            title_kk=kk,
            title_ru=ru,
            title_en=en,
            program=self.program,
            project=self.loader.projects.get(project),
            organizer=self.loader.organizations[f"{place.key}:culture"],
            territory=territory,
            format=format_,
            venue=venue,
            link="https://youtube.com/@kense-demo" if format_ != EventFormat.IN_PERSON else "",
            start=start,
            end=start + datetime.timedelta(days=self.random.choice((0, 0, 1))),
            audience=[str(a) for a in audience],
            planned_reach=self.random.choice((50, 80, 120, 200, 300)),
            budget=Decimal(self.random.choice((0, 150000, 250000, 400000, 1200000))),
            sponsor_money=Decimal(self.random.choice((0, 0, 50000, 100000))),
            **extra,
        )
        event_save(
            event,
            user=self.actor(place),
            co_organizers=[self.loader.organizations[f"{place.key}:internal_policy"]],
        )
        self.loader.count(Event)
        return event

    def hold(self, event: Event) -> None:
        people = int((event.planned_reach or 100) * self.random.uniform(0.6, 1.3))
        online = (
            self.random.choice((0, 150, 437, 900))
            if event.format != EventFormat.IN_PERSON
            else None
        )
        with self.clock.at(story_moment(event.end or event.start, 18)):
            event_hold(
                event,
                user=self.actor(event),
                outcome="Іс-шара жоспар бойынша өтті. / Мероприятие проведено по плану.",
                participants=people if event.format != EventFormat.MEDIA_CAMPAIGN else None,
                online_views=online,
            )

    def year_2019(self, place: Any) -> None:
        for index in range(5):
            start = datetime.date(2019, 2 + index * 2, self.random.randint(3, 25))
            with self.clock.at(story_moment(start - datetime.timedelta(days=30))):
                event = self.event(
                    place, (index + len(place.key)) % len(KINDS), start, beyond_plan=index == 4
                )
            if self.random.random() < 0.12:
                with self.clock.at(story_moment(start - datetime.timedelta(days=2), 16)):
                    event_cancel(
                        event,
                        user=self.actor(place),
                        reason="Ұйымдастырушының шешімімен / По решению организатора",
                    )
            else:
                self.hold(event)

    def year_2020(self, place: Any) -> list[Event]:
        """The city's or district's plan, entered in January and approved, with its events."""
        with self.clock.at(story_moment(datetime.date(2020, 1, 15))):
            _plan, spring, february = self.plan_2020(place)
        for event in february:
            self.hold(event)
        return spring

    def plan_2020(self, place: Any) -> tuple[WorkPlan, list[Event], list[Event]]:
        territory = self.loader.territories[place.key]
        plan = WorkPlan(
            title_kk=f"{territory.name_kk}: 2020 жылғы жұмыс жоспары",
            title_ru=f"{territory.name_ru}: план работы на 2020 год",
            territory=territory,
            organization=self.loader.organizations[f"{place.key}:culture"],
            year=2020,
        )
        actor = self.actor(place)
        plan_save(plan, user=actor)
        spring: list[Event] = []
        february: list[Event] = []
        for index, (month, kind) in enumerate(
            ((2, 0), (3, 2), (4, 4), (4, 5), (5, 1), (9, 3), (11, 6))
        ):
            start = datetime.date(2020, month, self.random.randint(5, 24))
            item = PlanItem(
                plan=plan,
                order=index + 1,
                title_kk=KINDS[kind][0],
                title_ru=KINDS[kind][1],
                responsible=plan.organization,
                start=start,
                end=start,
                project=self.loader.projects.get(KINDS[kind][5]),
            )
            plan_item_save(item, user=actor)
            event = self.event(place, kind, start, plan_item=item)
            if month == 2:
                february.append(event)
            elif month <= 5:
                spring.append(event)
        with self.clock.at(story_moment(datetime.date(2020, 1, 20))):
            plan_submit(plan, user=actor)
        with self.clock.at(story_moment(datetime.date(2020, 1, 24))):
            plan_approve(plan, user=actor)
        return plan, spring, february

    def emergency(self, spring: list[Event]) -> None:
        region = self.loader.territories["region"]
        emergency = Emergency(
            kind=Emergency.Kind.EMERGENCY,
            title_kk="Төтенше жағдай (COVID-19)",
            title_ru="Чрезвычайное положение (COVID-19)",
            title_en="State of emergency (COVID-19)",
            start=EMERGENCY_DECLARED,
            act_number="285",
            act_date=datetime.date(2020, 3, 15),
            restricts=Emergency.Restricts.IN_PERSON,
        )
        with self.clock.at(story_moment(EMERGENCY_DECLARED, 9)):
            emergency_declare(emergency, user=self.office, territories=[region])
        self.loader.count(Emergency)
        reason = "Төтенше жағдай: көпшілік іс-шаралар тоқтатылды / ЧП: массовые мероприятия приостановлены"
        stopped = list(affected_events(emergency))
        by_actor: dict[int, list[int]] = {}
        for event in stopped:
            by_actor.setdefault(self.actor(event).pk, []).append(event.pk)
        for actor_pk, event_ids in by_actor.items():
            actor = self.office if actor_pk == self.office.pk else self.loader.admin
            with self.clock.at(story_moment(EMERGENCY_DECLARED + datetime.timedelta(days=1))):
                postpone_in_bulk(emergency, user=actor, reason=reason, event_ids=event_ids)
        with self.clock.at(story_moment(EMERGENCY_LIFTED, 9)):
            emergency_lift(emergency, user=self.office, lifted_on=EMERGENCY_LIFTED)
        for proposal in propose_new_dates(emergency):
            with self.clock.at(story_moment(EMERGENCY_LIFTED + datetime.timedelta(days=1))):
                event = reschedule(
                    proposal.event,
                    user=self.actor(proposal.event),
                    start=proposal.start,
                    end=proposal.end,
                )
            if proposal.start <= datetime.date(2020, 8, 31) and self.random.random() < 0.8:
                self.hold(event)
        for event in Event.objects.filter(
            start__year=2020, status=EventStatus.PLANNED, start__lt=datetime.date(2020, 12, 1)
        ).order_by("pk"):
            if event.start.month >= 9 and self.random.random() < 0.7:
                self.hold(event)


def load_events(loader: Any) -> None:
    """Load the events of 2019 and 2020 once (skip when there are events already)."""
    EventsDemo(loader).load()


# ---------------------------------------------------------------------------------------------
# The current year, around the day the demo is loaded
# ---------------------------------------------------------------------------------------------

# (place, KINDS index, days from the day of the load): the first three are held.
CURRENT_EVENTS = [
    ("saran", 0, -6),
    ("karaganda", 2, -3),
    ("temirtau", 5, -1),
    ("saran", 3, 2),
    ("abai", 4, 5),
    ("shet", 1, 9),
    ("nura", 6, 15),
    ("karkaraly", 4, 20),
]

PLAN_ITEMS = [
    (0, 3, 12),
    (1, 5, 20),
    (2, 9, 14),
    (4, 10, 5),
]


class CurrentEvents(EventsDemo):
    def __init__(self, loader: Any, today: datetime.date) -> None:
        super().__init__(loader)
        self.today = today
        self.random = random.Random(today.toordinal())

    def load(self) -> None:
        if Event.objects.filter(start__year__gt=2020).exists():
            return  # loaded before
        from kense.registry.demo import PLACE_BY_KEY

        entered = story_moment(self.today - datetime.timedelta(days=20))
        for key, kind, offset in CURRENT_EVENTS:
            start = self.today + datetime.timedelta(days=offset)
            with self.clock.at(entered):
                event = self.event(PLACE_BY_KEY[key], kind, start)
                if event.end != event.start:
                    event.end = event.start
                    event_save(event, user=self.actor(PLACE_BY_KEY[key]))
            if offset < 0:
                self.hold(event)
        self.school_meeting(PLACE_BY_KEY["saran"])
        self.plan_awaiting_approval(PLACE_BY_KEY["saran"])

    def school_meeting(self, place: Any) -> None:
        """Saran's school No. 1 meets the laureates of «100 жаңа есім» the day before its
        assignment on it is due."""
        start = self.today + datetime.timedelta(days=1)
        with self.clock.at(story_moment(self.today - datetime.timedelta(days=7), 14)):
            event = Event(
                title_kk="Жерлес «100 жаңа есім» лауреаттарымен кездесу",
                title_ru="Встреча с земляками — лауреатами проекта «100 новых лиц»",
                title_en="Meeting the “100 New Faces” laureates from our town",
                program=self.program,
                project=self.loader.projects.get("new_names"),
                organizer=self.loader.organizations[f"{place.key}:school1"],
                territory=self.loader.territories[place.key],
                format=EventFormat.IN_PERSON,
                venue="Саран қ., № 1 мектеп, акт залы",
                start=start,
                end=start,
                audience=[str(Audience.SCHOOLCHILDREN), str(Audience.TEACHERS)],
                planned_reach=150,
                budget=Decimal(0),
                sponsor_money=Decimal(0),
            )
            event_save(event, user=self.office)
        self.loader.count(Event)

    def plan_awaiting_approval(self, place: Any) -> None:
        """Saran's plan for the coming year (or this one, early in the year), submitted two
        days ago and awaiting the project office's approval."""
        year = self.today.year + 1 if self.today.month >= 10 else self.today.year
        territory = self.loader.territories[place.key]
        actor = self.actor(place)
        with self.clock.at(story_moment(self.today - datetime.timedelta(days=5), 11)):
            plan = WorkPlan(
                title_kk=f"{territory.name_kk}: {year} жылғы жұмыс жоспары",
                title_ru=f"{territory.name_ru}: план работы на {year} год",
                territory=territory,
                organization=self.loader.organizations[f"{place.key}:culture"],
                year=year,
            )
            plan_save(plan, user=actor)
            for order, (kind, month, day) in enumerate(PLAN_ITEMS, start=1):
                start = datetime.date(year, month, day)
                plan_item_save(
                    PlanItem(
                        plan=plan,
                        order=order,
                        title_kk=KINDS[kind][0],
                        title_ru=KINDS[kind][1],
                        responsible=plan.organization,
                        start=start,
                        end=start,
                        project=self.loader.projects.get(KINDS[kind][5]),
                    ),
                    user=actor,
                )
        with self.clock.at(story_moment(self.today - datetime.timedelta(days=2), 16)):
            plan_submit(plan, user=actor)


def load_current_events(loader: Any, today: datetime.date) -> None:
    """Load the events of the current month and a plan awaiting approval (once)."""
    CurrentEvents(loader, today).load()
