"""The ideas of the demo: a dozen proposals from people across the region in 2020, each answered
a fortnight later (accepted into a project or an event, rejected with an answer, one merged
into another); two new ones of the last days, still unanswered; and residents' ideas of the last
weeks on the open pages, with their supports. Texts are our own, each in the language its
proposer wrote it in."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from kense.accounts.models import User
from kense.events.models import Event
from kense.ideas import public
from kense.ideas.models import CitizenAddress, Idea
from kense.ideas.services import (
    idea_accept,
    idea_merge,
    idea_propose,
    idea_reject,
    idea_review,
)
from kense.registry.demo import story_moment


@dataclass(frozen=True)
class IdeaSpec:
    key: str
    proposer: str  # username
    territory: str  # "region", or a place key
    title: str
    description: str
    proposed: datetime.date
    # "evaluating", "accept:<project key>", "accept_event", "reject", "merge:<idea key>"
    outcome: str = "evaluating"
    answer: str = ""


IDEAS = [
    IdeaSpec(
        "saran_museum_night",
        "saran",
        "saran",
        "Сарандағы «Мұражай түні» акциясы",
        "Қалалық тарихи-өлкетану мұражайында жастарға арналған кешкі экскурсиялар, "
        "шахтер әулеттері туралы көрме және жергілікті ақындардың кездесуі.",
        datetime.date(2020, 2, 3),
        "accept:saran_chronicle",
        "Идея «Саран шежіресі» жобасының аясында іске асырылады.",
    ),
    IdeaSpec(
        "village_oral_history",
        "observer",
        "karkaraly",
        "Ауыл ақсақалдарының естеліктерін жазып алу",
        "Қарқаралы ауданының ауылдарында үлкен буынның естеліктерін бейнеге түсіріп, "
        "аудандық кітапханада ашық мұрағат жасау.",
        datetime.date(2020, 2, 17),
        "accept:tugan_zher",
        "«Туған жер» жобасына қосылды; аудандық кітапханамен байланысамыз.",
    ),
    IdeaSpec(
        "school_chess_club",
        "school",
        "saran",
        "Мектеп жанынан шахмат үйірмесі",
        "Сенбі күндері оқушылар мен ата-аналарға арналған тегін шахмат үйірмесі; "
        "тақталарды демеушілер береді.",
        datetime.date(2020, 3, 2),
        "accept_event",
        "Бірінші турнир қалалық іс-шаралар жоспарына енгізілді.",
    ),
    IdeaSpec(
        "temirtau_murals",
        "observer",
        "temirtau",
        "Граффити о металлургах на стенах Темиртау",
        "Расписать торцы пятиэтажек в старом городе сюжетами из истории металлургического "
        "комбината, привлечь местных художников и студентов колледжа.",
        datetime.date(2020, 3, 10),
        "reject",
        "Фасады жилых домов не в ведении программы; предлагаем подать заявку в городской "
        "конкурс благоустройства.",
    ),
    IdeaSpec(
        "temirtau_murals_again",
        "school",
        "temirtau",
        "Темиртау қабырғаларындағы металлургтер бейнесі",
        "Қала көшелеріндегі үйлердің қабырғаларына металлургтер туралы суреттер салу.",
        datetime.date(2020, 3, 12),
        "merge:temirtau_murals",
        "Осындай ұсыныс бұрын түскен, екеуін бірге қараймыз.",
    ),
    IdeaSpec(
        "balkhash_lake_festival",
        "observer",
        "balkhash",
        "Фестиваль «Балхаш – жемчужина степи»",
        "Летний фестиваль на набережной: ярмарка ремёсел, концерт, конкурс рыбаков "
        "и экологический субботник на берегу озера.",
        datetime.date(2020, 4, 6),
        "reject",
        "Фестиваль включён в план акимата города Балхаш; программа поддержит его освещение.",
    ),
    IdeaSpec(
        "shet_dombra_lessons",
        "saran",
        "shet",
        "Домбыра сабақтары онлайн",
        "Шет ауданының ауыл мектептеріндегі балаларға карантин кезінде домбыра "
        "үйрететін онлайн сабақтар сериясы.",
        datetime.date(2020, 4, 20),
        "accept:shet_clubs",
        "Ауылдық клубтар жобасына енгізілді.",
    ),
    IdeaSpec(
        "region_toponym_map",
        "observer",
        "region",
        "Интерактивная карта топонимов области",
        "Карта сёл, урочищ и гор с историей их названий на казахском и русском языках, "
        "с возможностью для жителей добавлять свои предания.",
        datetime.date(2020, 5, 18),
        "accept:atameken",
        "Карта готовится в рамках направления «Атамекен» проекта «Туған жер».",
    ),
    IdeaSpec(
        "karaganda_reading_benches",
        "school",
        "karaganda",
        "Саябақтардағы «Оқу орындықтары»",
        "Қарағанды саябақтарындағы орындықтарға QR-код қойып, қазақ ақындарының "
        "өлеңдерін аудиокітап ретінде тыңдауға мүмкіндік беру.",
        datetime.date(2020, 6, 1),
        "accept:aqparat",
        "Ұсыныс «Ақпарат толқыны» бағыты аясында іске асырылады.",
    ),
    IdeaSpec(
        "nura_horse_games",
        "observer",
        "nura",
        "Ұлттық ат ойындары мерекесі",
        "Нұра ауданында көкпар, қыз қуу және аударыспақтан аудандық жарыс өткізу.",
        datetime.date(2020, 6, 15),
        "reject",
        "Жарыстар спорт басқармасының жоспарында бар; ұсынысыңызды соларға жібердік.",
    ),
    IdeaSpec(
        "abai_reading_marathon",
        "saran",
        "abai",
        "Абай оқулары марафоны",
        "Абайдың 175 жылдығына орай аудан мектептерінде бір апталық оқу марафоны.",
        datetime.date(2020, 7, 6),
        "accept:tarbie",
        "Марафон «Тәрбие және білім» бағыты аясында аудан мектептерінде өтеді.",
    ),
    IdeaSpec(
        "saran_volunteers",
        "observer",
        "saran",
        "Школа волонтёров при городском музее",
        "Обучить старшеклассников проводить экскурсии и помогать музею с оцифровкой фото.",
        datetime.date(2020, 8, 24),
        "accept:saran_chronicle",
        "Школа волонтёров войдёт в проект «Саран шежіресі».",
    ),
]


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return story_moment(day, hour)


def load_ideas(loader: Any) -> None:
    """Create the demo's ideas (once: nothing is added when ideas exist already), each
    proposed on its day of 2020 and evaluated a fortnight later."""
    if Idea.objects.exists():
        return
    office = User.objects.get(username="office")
    made: dict[str, Idea] = {}
    for spec in IDEAS:
        proposer = User.objects.get(username=spec.proposer)
        with loader.clock.at(_at(spec.proposed)):
            idea = idea_propose(
                user=proposer,
                title=spec.title,
                description=spec.description,
                territory=loader.territories[spec.territory],
            )
        made[spec.key] = idea
        kind, _sep, target = spec.outcome.partition(":")
        with loader.clock.at(_at(spec.proposed + datetime.timedelta(days=14))):
            if kind == "accept":
                project = loader.projects.get(target)
                if project is not None:
                    idea_accept(idea, user=office, project=project, answer=spec.answer)
            elif kind == "accept_event":
                event = (
                    Event.objects.filter(territory=idea.territory).order_by("start", "pk").first()
                )
                if event is not None:
                    idea_accept(idea, user=office, event=event, answer=spec.answer)
            elif kind == "reject":
                idea_reject(idea, user=office, answer=spec.answer)
            elif kind == "merge":
                idea_merge(idea, user=office, into=made[target], answer=spec.answer)


# (proposer, territory, title, description, days before the day of the load): new, unanswered.
CURRENT_IDEAS = [
    (
        "school",
        "saran",
        "«Менің атам – шахтер» мектеп мұражайы",
        "Оқушылар отбасыларындағы шахтер әулеттерінің фотосуреттері мен құжаттарын жинап, "
        "мектепте шағын мұражай ашу; «Туған жер» жобасының «Атамекен» бағытына ұсынамыз.",
        1,
    ),
    (
        "observer",
        "karkaraly",
        "Аудиогид по сакральным местам Каркаралинска",
        "Записать на казахском и русском языках короткие рассказы о святых местах района и "
        "разместить QR-коды на указателях, которые сейчас устанавливаются.",
        3,
    ),
]


def load_current_ideas(loader: Any, today: datetime.date) -> None:
    """New ideas of the last days, waiting for the office's answer, and the residents' ideas
    (once each)."""
    # The users' ones first: the residents' are of these years too, and would stop them.
    if not Idea.objects.filter(created_at__year__gt=2020).exists():
        for username, territory, title, description, ago in CURRENT_IDEAS:
            with loader.clock.at(_at(today - datetime.timedelta(days=ago), 16)):
                idea_propose(
                    user=User.objects.get(username=username),
                    title=title,
                    description=description,
                    territory=loader.territories[territory],
                )
    load_citizen_ideas(loader, today)


@dataclass(frozen=True)
class CitizenIdeaSpec:
    email: str  # of a reserved domain: the demo writes to nobody
    language: str
    territory: str  # a place key
    title: str
    description: str
    days_ago: int
    supporters: int  # how many of SUPPORTERS support it
    # "received", "evaluating", or "reject" (with the answer)
    outcome: str = "received"
    answer: str = ""
    latitude: float | None = None
    longitude: float | None = None


CITIZEN_IDEAS = [
    CitizenIdeaSpec(
        "aigerim@example.com",
        "kk",
        "saran",
        "Саябақтағы балалар алаңына көлеңке",
        "Орталық саябақтағы балалар алаңында жазда көлеңке жоқ. Шатыр орнатып, "
        "айналасына ағаш отырғызуды ұсынамын; мектеп оқушылары көмектесуге дайын.",
        20,
        7,
        "evaluating",
        latitude=49.7971,
        longitude=72.8498,
    ),
    CitizenIdeaSpec(
        "dmitry.k@example.com",
        "ru",
        "temirtau",
        "Вечера краеведения в библиотеке",
        "Раз в месяц приглашать в городскую библиотеку старожилов и историков, "
        "рассказывать о первых годах Темиртау и записывать встречи на видео.",
        12,
        4,
    ),
    CitizenIdeaSpec(
        "zhanar@example.com",
        "kk",
        "karkaraly",
        "Қарқаралы тауларына жаяу жүру соқпағы",
        "Қарқаралы ұлттық паркіне баратын туристерге арналған таңбаланған соқпақ пен "
        "жергілікті аңыздар жазылған тақтайшалар орнату.",
        9,
        9,
        latitude=49.4081,
        longitude=75.4744,
    ),
    CitizenIdeaSpec(
        "olga.s@example.com",
        "ru",
        "balkhash",
        "Бесплатная парковка у набережной",
        "Сделать бесплатной парковку у городской набережной Балхаша на летний сезон.",
        15,
        1,
        "reject",
        "Парковки не входят в программу; обращение передано в акимат города Балхаш.",
    ),
    CitizenIdeaSpec(
        "nurlan.t@example.com",
        "kk",
        "shet",
        "Ауыл клубында домбыра кеші",
        "Демалыс күндері ауыл клубында жастар мен ақсақалдарға арналған домбыра кешін "
        "өткізіп тұру; аспаптарды аудандық мәдениет үйі бере алады.",
        3,
        2,
    ),
]
SUPPORTERS = [f"resident{number}@example.com" for number in range(1, 10)]


def load_citizen_ideas(loader: Any, today: datetime.date) -> None:
    """Residents' ideas of the last weeks, each from a confirmed address and supported by a
    few others; one taken into review, one rejected with an answer (once)."""
    if CitizenAddress.objects.exists():
        return
    office = User.objects.get(username="office")
    supporters = []
    for number, email in enumerate(SUPPORTERS):
        with loader.clock.at(_at(today - datetime.timedelta(days=30), 9 + number % 8)):
            supporters.append(
                CitizenAddress.objects.create(
                    email=email, language="kk" if number % 2 else "ru", confirmed_at=timezone.now()
                )
            )
    for number, spec in enumerate(CITIZEN_IDEAS):
        proposed = today - datetime.timedelta(days=spec.days_ago)
        with loader.clock.at(_at(proposed, 11)):
            address = CitizenAddress.objects.create(
                email=spec.email, language=spec.language, confirmed_at=timezone.now()
            )
            idea = public.citizen_propose(
                address=address,
                title=spec.title,
                text=spec.description,
                territory=loader.territories[spec.territory],
                language=spec.language,
                client_ip=f"203.0.113.{number + 1}",
                latitude=spec.latitude,
                longitude=spec.longitude,
            )
        for supporter in supporters[: spec.supporters]:
            with loader.clock.at(_at(proposed + datetime.timedelta(days=1), 15)):
                public.idea_support(idea=idea, address=supporter, client_ip="198.51.100.1")
        with loader.clock.at(_at(proposed + datetime.timedelta(days=2), 10)):
            if spec.outcome == "evaluating":
                idea_review(idea, user=office)
            elif spec.outcome == "reject":
                idea_reject(idea, user=office, answer=spec.answer)
