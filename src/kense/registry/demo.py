"""The demo: Karaganda region as it stood in 2020, with the reorganization of 2022.

Facts come from /work/shared/DOMAIN.md: the 9 cities and 9 districts of the region, the 2022 move
of five of them to the new Ulytau region, the public officials named in the 2020 report and the
special projects of «Рухани жаңғыру». Everything else is illustrative and marked so below:

* the deputy akims of the cities and districts, the vice-rectors and the project office's staff
  (other than its head) are FICTIONAL people, built from common Kazakh names;
* institutions of the cities and districts (schools, colleges, houses of culture) have generic
  names, and their existence is not a claim about a real school;
* the start dates of appointments and projects, act numbers and budgets are illustrative: the
  sources give the posts people held in 2020 and the years projects ran, not the days.

Every write goes through the services, as the demo administrator, so the audit history shows
how the data came in. Loading is idempotent: each object is looked up by a stable key (a
territory by name_kk and kind, an organization by name_kk, a person by surname_kk and
given_name_kk, a position and a program by code, a project by name_kk, a user by username) and
is created only when missing; an object that exists is left exactly as it is.
"""

from __future__ import annotations

import datetime
import functools
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.apps import apps
from django.db import models, transaction
from django.db.models.signals import post_save
from django.utils import timezone, translation
from simple_history.signals import pre_create_historical_record

from kense.accounts.models import User
from kense.core.history import audit_as
from kense.core.models import Letter
from kense.core.permissions import Role
from kense.programs.models import Direction, Program, ProgramStatus, Project
from kense.programs.services import direction_save, program_save, project_save
from kense.registry.models import (
    ActKind,
    Appointment,
    Employment,
    Organization,
    OrganizationKind,
    Person,
    Position,
    StaffPost,
    Territory,
    TerritoryKind,
)
from kense.registry.services import (
    appointment_save,
    organization_save,
    person_save,
    staff_post_save,
    territory_save,
)

date = datetime.date

ALMATY = ZoneInfo("Asia/Almaty")

PASSWORD = "kense-demo-2020"
EMAIL_DOMAIN = "kense.demo"


@dataclass(frozen=True)
class Names:
    """One name in the three languages of Kense."""

    kk: str
    ru: str
    en: str

    def fields(self, field: str) -> dict[str, str]:
        return {f"{field}_kk": self.kk, f"{field}_ru": self.ru, f"{field}_en": self.en}


# ---------------------------------------------------------------------------------------------
# Territories
# ---------------------------------------------------------------------------------------------

COUNTRY = Names("Қазақстан Республикасы", "Республика Казахстан", "Republic of Kazakhstan")
REGION = Names("Қарағанды облысы", "Карагандинская область", "Karaganda Region")
ULYTAU_REGION = Names("Ұлытау облысы", "Улытауская область", "Ulytau Region")

INDEPENDENCE = date(1991, 12, 16)
REGION_FORMED = date(1932, 3, 10)
# On 3 May 1997 Zhezkazgan region was merged into Karaganda region, which then took the shape it
# had in 2020; the demo's record of the cities and districts starts there.
REGION_COMPOSED = date(1997, 5, 3)
ULYTAU_FORMED = date(2022, 6, 8)
ULYTAU_ACT = "ҚР Президентінің Жарлығы: Ұлытау облысының құрылуы"


@dataclass(frozen=True)
class Place:
    """A city of regional significance or a district of Karaganda region in 2020."""

    key: str
    kind: str
    name: Names
    ru_of: str  # the Russian genitive used in organization names: «акимат города Сарани»
    schools: int = 1
    college: bool = False
    to_ulytau: bool = False

    @property
    def kk_of(self) -> str:
        # «Саран қаласы» → «Саран қаласының», «Абай ауданы» → «Абай ауданының».
        return f"{self.name.kk}ның"


def _city(key: str, kk: str, ru: str, en: str, ru_of: str, **extra: Any) -> Place:
    names = Names(f"{kk} қаласы", f"город {ru}", f"{en} City")
    return Place(key, TerritoryKind.CITY, names, f"города {ru_of}", **extra)


def _district(key: str, kk: str, ru: str, en: str, ru_of: str, **extra: Any) -> Place:
    names = Names(f"{kk} ауданы", f"{ru} район", f"{en} District")
    return Place(key, TerritoryKind.DISTRICT, names, f"{ru_of} района", **extra)


CITIES = [
    _city("karaganda", "Қарағанды", "Караганда", "Karaganda", "Караганды", schools=2, college=True),
    _city("balkhash", "Балқаш", "Балхаш", "Balkhash", "Балхаш", schools=2, college=True),
    _city(
        "zhezkazgan",
        "Жезқазған",
        "Жезказган",
        "Zhezkazgan",
        "Жезказган",
        schools=2,
        college=True,
        to_ulytau=True,
    ),
    _city("karazhal", "Қаражал", "Каражал", "Karazhal", "Каражал", to_ulytau=True),
    _city("priozersk", "Приозерск", "Приозерск", "Priozersk", "Приозерск"),
    _city("saran", "Саран", "Сарань", "Saran", "Сарани", schools=2),
    _city("satbayev", "Сәтбаев", "Сатпаев", "Satbayev", "Сатпаев", college=True, to_ulytau=True),
    _city("temirtau", "Теміртау", "Темиртау", "Temirtau", "Темиртау", schools=2, college=True),
    _city("shakhtinsk", "Шахтинск", "Шахтинск", "Shakhtinsk", "Шахтинск", college=True),
]
DISTRICTS = [
    _district("abai", "Абай", "Абайский", "Abai", "Абайского"),
    _district("aktogay", "Ақтоғай", "Актогайский", "Aktogay", "Актогайского"),
    _district(
        "bukhar_zhyrau", "Бұқар жырау", "Бухар-Жырауский", "Bukhar-Zhyrau", "Бухар-Жырауского"
    ),
    _district(
        "zhanaarka", "Жаңаарқа", "Жанааркинский", "Zhanaarka", "Жанааркинского", to_ulytau=True
    ),
    _district("karkaraly", "Қарқаралы", "Каркаралинский", "Karkaraly", "Каркаралинского"),
    _district("nura", "Нұра", "Нуринский", "Nura", "Нуринского"),
    _district("osakarov", "Осакаров", "Осакаровский", "Osakarov", "Осакаровского"),
    _district("ulytau", "Ұлытау", "Улытауский", "Ulytau", "Улытауского", to_ulytau=True),
    _district("shet", "Шет", "Шетский", "Shet", "Шетского"),
]
PLACES = CITIES + DISTRICTS
PLACE_BY_KEY = {place.key: place for place in PLACES}

# (key, district key, names): a couple of rural districts, to show the tree goes deeper.
RURAL_DISTRICTS = [
    (
        "aksu_ayuly",
        "shet",
        Names(
            "Ақсу-Аюлы ауылдық округі", "Аксу-Аюлинский сельский округ", "Aksu-Ayuly Rural District"
        ),
    ),
    (
        "egindybulak",
        "karkaraly",
        Names(
            "Егіндібұлақ ауылдық округі",
            "Егиндыбулакский сельский округ",
            "Egindybulak Rural District",
        ),
    ),
]


# ---------------------------------------------------------------------------------------------
# Organizations
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Org:
    key: str
    kind: str
    name: Names
    territory: str  # "region", or a place key
    parent: str | None = None
    short_name: Names | None = None
    aliases: tuple[str, ...] = ()


K = OrganizationKind

REGIONAL_ORGANIZATIONS = [
    Org(
        "akimat",
        K.AKIMAT,
        Names(
            "Қарағанды облысының әкімдігі",
            "Акимат Карагандинской области",
            "Akimat of Karaganda Region",
        ),
        "region",
        short_name=Names("Облыс әкімдігі", "Акимат области", "Regional Akimat"),
    ),
    Org(
        "internal_policy",
        K.DEPARTMENT,
        Names(
            "Қарағанды облысының ішкі саясат басқармасы",
            "Управление внутренней политики Карагандинской области",
            "Internal Policy Department of Karaganda Region",
        ),
        "region",
        parent="akimat",
        short_name=Names(
            "Ішкі саясат басқармасы", "Управление внутренней политики", "Internal Policy Department"
        ),
    ),
    Org(
        "culture",
        K.DEPARTMENT,
        Names(
            "Қарағанды облысының мәдениет, архивтер және құжаттама басқармасы",
            "Управление культуры, архивов и документации Карагандинской области",
            "Department of Culture, Archives and Documentation of Karaganda Region",
        ),
        "region",
        parent="akimat",
        short_name=Names("Мәдениет басқармасы", "Управление культуры", "Culture Department"),
        aliases=("Мәдениет, архив және құжаттама басқармасы",),
    ),
    Org(
        "economy",
        K.DEPARTMENT,
        Names(
            "Қарағанды облысының экономика және бюджеттік жоспарлау басқармасы",
            "Управление экономики и бюджетного планирования Карагандинской области",
            "Department of Economy and Budget Planning of Karaganda Region",
        ),
        "region",
        parent="akimat",
        short_name=Names("Экономика басқармасы", "Управление экономики", "Economy Department"),
    ),
    Org(
        "education",
        K.DEPARTMENT,
        Names(
            "Қарағанды облысының білім басқармасы",
            "Управление образования Карагандинской области",
            "Education Department of Karaganda Region",
        ),
        "region",
        parent="akimat",
        short_name=Names("Білім басқармасы", "Управление образования", "Education Department"),
    ),
    Org(
        "youth",
        K.DEPARTMENT,
        Names(
            "Қарағанды облысының жастар саясаты мәселелері жөніндегі басқармасы",
            "Управление по вопросам молодежной политики Карагандинской области",
            "Youth Policy Department of Karaganda Region",
        ),
        "region",
        parent="akimat",
        short_name=Names(
            "Жастар саясаты басқармасы", "Управление молодежной политики", "Youth Policy Department"
        ),
    ),
    Org(
        "saryarqa",
        K.MEDIA,
        Names("«Saryarqa Aqparat» ЖШС", "ТОО «Saryarqa Aqparat»", "Saryarqa Aqparat LLP"),
        "region",
        short_name=Names("Saryarqa Aqparat", "Saryarqa Aqparat", "Saryarqa Aqparat"),
        aliases=("Saryarq aqparat", "Сарыарқа Ақпарат"),
    ),
    Org(
        "project_office",
        K.PROJECT_OFFICE,
        Names(
            "«Рухани жаңғыру» бағдарламасының облыстық жобалық кеңсесі",
            "Региональный проектный офис программы «Рухани жаңғыру»",
            "Rukhani Zhangyru Regional Project Office",
        ),
        "region",
        # Where it stood before the move into the media holding (see OFFICE_MOVED_ON).
        parent="internal_policy",
        short_name=Names("Жобалық кеңсе", "Проектный офис", "Project Office"),
    ),
    Org(
        "tulgatanu",
        K.RESEARCH,
        Names(
            "«Тұлғатану» ғылыми-зерттеу орталығы",
            "Научно-исследовательский центр «Тулгатану»",
            "Tulgatanu Research Centre",
        ),
        "region",
        short_name=Names("Тұлғатану", "Тулгатану", "Tulgatanu"),
    ),
    Org(
        "buketov",
        K.UNIVERSITY,
        Names(
            "Е.А. Бөкетов атындағы Қарағанды университеті",
            "Карагандинский университет имени Е.А. Букетова",
            "Karaganda Buketov University",
        ),
        "karaganda",
        short_name=Names("Бөкетов университеті", "КарУ им. Букетова", "Buketov University"),
    ),
    Org(
        "kartu",
        K.UNIVERSITY,
        Names(
            "Әбілқас Сағынов атындағы Қарағанды техникалық университеті",
            "Карагандинский технический университет имени Абылкаса Сагинова",
            "Abylkas Saginov Karaganda Technical University",
        ),
        "karaganda",
        short_name=Names("ҚарТУ", "КарТУ", "KarTU"),
    ),
    Org(
        "kmu",
        K.UNIVERSITY,
        Names(
            "Қарағанды медицина университеті",
            "Медицинский университет Караганды",
            "Karaganda Medical University",
        ),
        "karaganda",
        short_name=Names("ҚМУ", "МУК", "KMU"),
    ),
    Org(
        "regional_library",
        K.CULTURE,
        Names(
            "Н.В. Гоголь атындағы Қарағанды облыстық әмбебап ғылыми кітапханасы",
            "Карагандинская областная универсальная научная библиотека имени Н.В. Гоголя",
            "Gogol Karaganda Regional Universal Scientific Library",
        ),
        "karaganda",
        parent="culture",
    ),
    Org(
        "regional_museum",
        K.CULTURE,
        Names(
            "Қарағанды облыстық тарихи-өлкетану музейі",
            "Карагандинский областной историко-краеведческий музей",
            "Karaganda Regional Museum of History and Local Lore",
        ),
        "karaganda",
        parent="culture",
    ),
    Org(
        "regional_archive",
        K.CULTURE,
        Names(
            "Қарағанды облысының мемлекеттік архиві",
            "Государственный архив Карагандинской области",
            "State Archive of Karaganda Region",
        ),
        "karaganda",
        parent="culture",
    ),
]

OFFICE_MOVED_ON = date(2020, 2, 3)
OFFICE_MOVE_ACT = "Облыс әкімдігінің шешімі: жобалық кеңсе медиахолдинг құрамына берілді"
UNIVERSITIES = ("buketov", "kartu", "kmu")


def place_organizations(place: Place) -> list[Org]:
    """Each city and district: its akimat, two divisions, schools, a college, a cultural body."""
    kk, ru, en, key = place.kk_of, place.ru_of, place.name.en, place.key
    orgs = [
        Org(
            f"{key}:akimat",
            K.AKIMAT,
            Names(f"{kk} әкімдігі", f"Акимат {ru}", f"Akimat of {en}"),
            key,
        ),
        Org(
            f"{key}:internal_policy",
            K.DIVISION,
            Names(
                f"{kk} ішкі саясат бөлімі",
                f"Отдел внутренней политики {ru}",
                f"Internal Policy Division of {en}",
            ),
            key,
            parent=f"{key}:akimat",
        ),
        Org(
            f"{key}:culture",
            K.DIVISION,
            Names(
                f"{kk} мәдениет және тілдерді дамыту бөлімі",
                f"Отдел культуры и развития языков {ru}",
                f"Culture and Language Development Division of {en}",
            ),
            key,
            parent=f"{key}:akimat",
        ),
    ]
    for number in range(1, place.schools + 1):
        orgs.append(
            Org(
                f"{key}:school{number}",
                K.SCHOOL,
                Names(
                    f"{kk} № {number} жалпы білім беретін мектебі",
                    f"Общеобразовательная школа № {number} {ru}",
                    f"Secondary School No. {number}, {en}",
                ),
                key,
                parent="education",
            )
        )
    if place.college:
        orgs.append(
            Org(
                f"{key}:college",
                K.COLLEGE,
                Names(
                    f"{kk} политехникалық колледжі",
                    f"Политехнический колледж {ru}",
                    f"Polytechnic College, {en}",
                ),
                key,
                parent="education",
            )
        )
    if place.kind == TerritoryKind.CITY:
        culture = Names(f"{kk} мәдениет үйі", f"Дом культуры {ru}", f"House of Culture, {en}")
    else:
        culture = Names(
            f"{kk} орталықтандырылған кітапхана жүйесі",
            f"Централизованная библиотечная система {ru}",
            f"Centralized Library System, {en}",
        )
    orgs.append(Org(f"{key}:culture_house", K.CULTURE, culture, key, parent=f"{key}:culture"))
    return orgs


ORGANIZATIONS = REGIONAL_ORGANIZATIONS + [
    org for place in PLACES for org in place_organizations(place)
]


# ---------------------------------------------------------------------------------------------
# Positions, people, staffing, appointments
# ---------------------------------------------------------------------------------------------

POSITIONS = {
    "akim": Names("әкім", "аким", "Akim"),
    "deputy_akim": Names("әкімнің орынбасары", "заместитель акима", "Deputy Akim"),
    "adviser": Names("кеңесші", "советник", "Adviser"),
    "head": Names("басшы", "руководитель", "Head"),
    "deputy_head": Names("басшының орынбасары", "заместитель руководителя", "Deputy Head"),
    "director": Names("директор", "директор", "Director"),
    "rector": Names("ректор", "ректор", "Rector"),
    "vice_rector": Names("проректор", "проректор", "Vice-Rector"),
    "chief_specialist": Names("бас маман", "главный специалист", "Chief Specialist"),
    "leading_specialist": Names("жетекші маман", "ведущий специалист", "Leading Specialist"),
    "specialist": Names("маман", "специалист", "Specialist"),
    "project_manager": Names("жоба менеджері", "менеджер проекта", "Project Manager"),
    "expert": Names("сарапшы", "эксперт", "Expert"),
}


@dataclass(frozen=True)
class PersonSpec:
    key: str
    surname: Names
    given_name: Names
    territory: str = "region"
    aliases: tuple[str, ...] = ()
    academic_degree: Names | None = None
    fictional: bool = False


@dataclass(frozen=True)
class AppointmentSpec:
    person: str
    organization: str
    position: str
    start: datetime.date
    title: Names | None = None
    post: str | None = None
    employment: str = Employment.STAFF
    act_kind: str = ActKind.APPOINTED
    act_number: str = ""
    act_date: datetime.date | None = None


def _person(key: str, surname: str, given: str, **extra: Any) -> PersonSpec:
    """Names given as «kk/ru/en» for the surname and the given name."""
    return PersonSpec(key, Names(*surname.split("/")), Names(*given.split("/")), **extra)


# The public officials of the 2020 report (DOMAIN.md), with their kk and ru spellings.
OFFICIALS = [
    _person("nukenov", "Нүкенов/Нукенов/Nukenov", "Абзал/Абзал/Abzal"),
    _person("altynbekov", "Алтынбеков/Алтынбеков/Altynbekov", "Бекзат/Бекзат/Bekzat"),
    _person("kussain", "Құсайын/Кусаин/Kussain", "Ерлан/Ерлан/Yerlan"),
    _person("zhumagulov", "Жұмағұлов/Жумагулов/Zhumagulov", "Айтбай/Айтбай/Aitbay"),
    _person(
        "beisembekova",
        "Бейсембекова/Бейсембекова/Beisembekova",
        "Нұрсахан/Нурсахан/Nursakhan",
        aliases=("Бейсенбекова",),
        academic_degree=Names(
            "тарих ғылымдарының кандидаты",
            "кандидат исторических наук",
            "Candidate of Historical Sciences",
        ),
    ),
    _person("akhmetov", "Ахметов/Ахметов/Akhmetov", "Қамбар/Камбар/Kambar"),
    _person("zhumekenov", "Жұмекенов/Жумекенов/Zhumekenov", "Еркебұлан/Еркебулан/Yerkebulan"),
    _person("abisheva", "Әбішева/Абишева/Abisheva", "Гүлмира/Гульмира/Gulmira"),
]

# FICTIONAL: one deputy akim per city and district, with the date they took the post.
DEPUTY_AKIMS = {
    "karaganda": ("Сәрсенбаев/Сарсенбаев/Sarsenbayev", "Дәурен/Даурен/Dauren", date(2019, 3, 4)),
    "balkhash": ("Жақыпов/Жакупов/Zhakupov", "Асхат/Асхат/Askhat", date(2018, 9, 17)),
    "zhezkazgan": (
        "Төлеубаева/Тулеубаева/Tuleubayeva",
        "Меруерт/Меруерт/Meruert",
        date(2019, 6, 10),
    ),
    "karazhal": ("Қасымов/Касымов/Kassymov", "Ержан/Ержан/Yerzhan", date(2017, 11, 1)),
    "priozersk": (
        "Бекмұхамедова/Бекмухамедова/Bekmukhamedova",
        "Сәуле/Сауле/Saule",
        date(2019, 2, 11),
    ),
    "saran": ("Әбдірахманов/Абдрахманов/Abdrakhmanov", "Нұрлан/Нурлан/Nurlan", date(2019, 8, 5)),
    "satbayev": ("Оспанов/Оспанов/Ospanov", "Бауыржан/Бауыржан/Bauyrzhan", date(2018, 4, 2)),
    "temirtau": ("Исабекова/Исабекова/Issabekova", "Гүлнар/Гульнар/Gulnar", date(2019, 1, 21)),
    "shakhtinsk": ("Мұқанов/Муканов/Mukanov", "Талғат/Талгат/Talgat", date(2018, 12, 3)),
    "abai": (
        "Нұрмағамбетова/Нурмагамбетова/Nurmagambetova",
        "Айгүл/Айгуль/Aigul",
        date(2019, 4, 15),
    ),
    "aktogay": ("Есенжолов/Есенжолов/Yessenzholov", "Мұрат/Мурат/Murat", date(2017, 7, 24)),
    "bukhar_zhyrau": (
        "Сейітқазина/Сеитказина/Seitkazina",
        "Жанар/Жанар/Zhanar",
        date(2019, 10, 7),
    ),
    "zhanaarka": ("Дүйсенов/Дюсенов/Dyussenov", "Қайрат/Кайрат/Kairat", date(2018, 2, 19)),
    "karkaraly": ("Тоқтарова/Токтарова/Toktarova", "Әсел/Асель/Assel", date(2019, 5, 13)),
    "nura": ("Әмірханов/Амирханов/Amirkhanov", "Бақыт/Бакыт/Bakyt", date(2018, 6, 25)),
    "osakarov": ("Шәкенова/Шакенова/Shakenova", "Ардақ/Ардак/Ardak", date(2019, 9, 2)),
    "ulytau": ("Байжанов/Байжанов/Baizhanov", "Ғалым/Галым/Galym", date(2017, 5, 29)),
    "shet": (
        "Құлмағамбетов/Кулмагамбетов/Kulmagambetov",
        "Данияр/Данияр/Daniyar",
        date(2019, 11, 18),
    ),
}

# FICTIONAL: one vice-rector for upbringing work per university.
VICE_RECTORS = {
    "buketov": ("Ермекова/Ермекова/Yermekova", "Жұлдыз/Жулдыз/Zhuldyz", date(2018, 9, 1)),
    "kartu": ("Сыздықов/Сыздыков/Syzdykov", "Арман/Арман/Arman", date(2019, 8, 26)),
    "kmu": ("Қожахметова/Кожахметова/Kozhakhmetova", "Ләззат/Ляззат/Lyazzat", date(2017, 9, 4)),
}

# FICTIONAL: the project office's staff other than its head.
OFFICE_STAFF = [
    _person("nurpeisova", "Нұрпейісова/Нурпеисова/Nurpeisova", "Ғалия/Галия/Galiya"),
    _person("tleuberdiyev", "Тілеубердиев/Тлеубердиев/Tleuberdiyev", "Ербол/Ербол/Yerbol"),
    _person("kaliyeva", "Қалиева/Калиева/Kaliyeva", "Аружан/Аружан/Aruzhan"),
    _person("zhunussov", "Жүнісов/Жунусов/Zhunussov", "Самат/Самат/Samat"),
]


def _fictional_people() -> list[PersonSpec]:
    people = [
        _person(f"deputy:{key}", surname, given, territory=key, fictional=True)
        for key, (surname, given, _since) in DEPUTY_AKIMS.items()
    ]
    people += [
        _person(f"vice_rector:{key}", surname, given, territory="karaganda", fictional=True)
        for key, (surname, given, _since) in VICE_RECTORS.items()
    ]
    people += [PersonSpec(p.key, p.surname, p.given_name, fictional=True) for p in OFFICE_STAFF]
    return people


PEOPLE = OFFICIALS + _fictional_people()

# The project office's staffing table: (key, position code, title «kk/ru/en», employment).
STAFF_POSTS = [
    (
        "head",
        "head",
        "Жобалық кеңсе басшысы/Руководитель проектного офиса/Head of the Project Office",
    ),
    ("deputy_head", "deputy_head", "Басшының орынбасары/Заместитель руководителя/Deputy Head"),
    (
        "chief_monitoring",
        "chief_specialist",
        "Бас маман (жобалар мониторингі)/Главный специалист (мониторинг проектов)/"
        "Chief Specialist (Project Monitoring)",
    ),
    (
        "chief_districts",
        "chief_specialist",
        "Бас маман (аудандар мен қалалармен жұмыс)/"
        "Главный специалист (работа с районами и городами)/Chief Specialist (Districts and Cities)",
    ),
    (
        "chief_information",
        "chief_specialist",
        "Бас маман (ақпараттық жұмыс)/Главный специалист (информационная работа)/"
        "Chief Specialist (Information Work)",
    ),
    (
        "specialist_events",
        "specialist",
        "Маман (іс-шаралар)/Специалист (мероприятия)/Specialist (Events)",
    ),
    (
        "specialist_records",
        "specialist",
        "Маман (құжат айналымы)/Специалист (документооборот)/Specialist (Records)",
    ),
    (
        "specialist_social",
        "specialist",
        "Маман (әлеуметтік желілер)/Специалист (социальные сети)/Specialist (Social Media)",
    ),
    (
        "project_manager",
        "project_manager",
        "Жоба менеджері (арнайы жобалар)/Менеджер проекта (спецпроекты)/"
        "Project Manager (Special Projects)",
    ),
    ("adviser", "adviser", "Штаттан тыс кеңесші/Внештатный советник/Non-staff Adviser"),
]
NON_STAFF_POSTS = {"adviser"}

HEAD_OF_DEPARTMENT = Names("Басқарма басшысы", "Руководитель управления", "Head of Department")

APPOINTMENTS = [
    AppointmentSpec(
        "nukenov",
        "akimat",
        "deputy_akim",
        date(2019, 11, 4),
        title=Names(
            "Қарағанды облысы әкімінің орынбасары",
            "Заместитель акима Карагандинской области",
            "Deputy Akim of Karaganda Region",
        ),
    ),
    AppointmentSpec(
        "altynbekov",
        "akimat",
        "adviser",
        date(2020, 2, 20),
        title=Names(
            "Облыс әкімінің «Рухани жаңғыру» бағдарламасы жөніндегі штаттан тыс кеңесшісі",
            "Внештатный советник акима области по программе «Рухани жаңғыру»",
            "Non-staff Adviser to the Akim on the Rukhani Zhangyru Program",
        ),
        employment=Employment.NON_STAFF,
        act_kind=ActKind.APPROVED,
        act_number="27",
        act_date=date(2020, 2, 20),
    ),
    AppointmentSpec(
        "kussain", "internal_policy", "head", date(2019, 7, 1), title=HEAD_OF_DEPARTMENT
    ),
    AppointmentSpec(
        "zhumagulov",
        "project_office",
        "head",
        date(2020, 2, 17),
        post="head",
        act_number="14-ж/қ",
        act_date=date(2020, 2, 14),
    ),
    AppointmentSpec(
        "beisembekova",
        "tulgatanu",
        "director",
        date(2018, 10, 1),
        title=Names("Орталық директоры", "Директор центра", "Director of the Centre"),
    ),
    AppointmentSpec("akhmetov", "saryarqa", "director", date(2019, 3, 1)),
    AppointmentSpec("zhumekenov", "culture", "head", date(2019, 5, 20), title=HEAD_OF_DEPARTMENT),
    AppointmentSpec(
        "abisheva",
        "economy",
        "deputy_head",
        date(2018, 8, 13),
        title=Names(
            "Басқарма басшысының орынбасары",
            "Заместитель руководителя управления",
            "Deputy Head of Department",
        ),
    ),
]
# FICTIONAL: the rest of the project office, filling some posts of its staffing table.
APPOINTMENTS += [
    AppointmentSpec(person, "project_office", position, start, post=post)
    for person, position, post, start in (
        ("nurpeisova", "deputy_head", "deputy_head", date(2020, 3, 2)),
        ("tleuberdiyev", "chief_specialist", "chief_monitoring", date(2020, 3, 2)),
        ("kaliyeva", "specialist", "specialist_events", date(2020, 3, 10)),
        ("zhunussov", "project_manager", "project_manager", date(2020, 4, 1)),
    )
]
APPOINTMENTS += [
    AppointmentSpec(
        f"deputy:{key}",
        f"{key}:akimat",
        "deputy_akim",
        since,
        title=Names(
            f"{PLACE_BY_KEY[key].name.kk} әкімінің орынбасары",
            f"Заместитель акима {PLACE_BY_KEY[key].ru_of}",
            f"Deputy Akim of {PLACE_BY_KEY[key].name.en}",
        ),
    )
    for key, (_surname, _given, since) in DEPUTY_AKIMS.items()
]
APPOINTMENTS += [
    AppointmentSpec(
        f"vice_rector:{key}",
        key,
        "vice_rector",
        since,
        title=Names(
            "Тәрбие жұмысы жөніндегі проректор",
            "Проректор по воспитательной работе",
            "Vice-Rector for Educational Work",
        ),
    )
    for key, (_surname, _given, since) in VICE_RECTORS.items()
]


# ---------------------------------------------------------------------------------------------
# Programs, directions, special projects
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProgramSpec:
    code: str
    name: Names
    description: Names
    start: datetime.date
    status: str
    lead: str
    co_executors: tuple[str, ...] = ()


@dataclass(frozen=True)
class DirectionSpec:
    key: str
    program: str
    order: int
    name: Names
    description: Names
    start: datetime.date
    lead: str
    co_executors: tuple[str, ...] = ()


@dataclass(frozen=True)
class ProjectSpec:
    key: str
    program: str
    name: Names
    description: Names
    start: datetime.date
    status: str
    lead: str
    co_executors: tuple[str, ...] = ()
    territory: str = "region"
    direction: str | None = None
    parent: str | None = None
    end: datetime.date | None = None
    budget: int | None = None
    aliases: tuple[str, ...] = ()


RUKHANI = "rukhani-zhangyru"
# How the 2020 report (and people generally) shorten the special projects' names.
PROJECT_ALIASES = {
    "sacred": ("Қазақстанның киелі географиясы", "Сакральная география Казахстана"),
    "folklore": (
        "Дала фольклоры мен музыкасының 1000 жылы",
        "1000 лет степного фольклора и музыки",
    ),
    "great_names": (
        "Ұлы дала есімдері",
        "Ұлы дала есімдері. Қарағанды облысының көрнекті тұлғалары",
    ),
}
AUYL = "auyl-el-besigi"

PROGRAMS = [
    ProgramSpec(
        RUKHANI,
        Names("Рухани жаңғыру", "Рухани жаңғыру", "Rukhani Zhangyru"),
        Names(
            "Қоғамдық сананы жаңғыртуға арналған бағдарлама: тарихи жадыны, ұлттық мәдениет пен "
            "тілді сақтау, бәсекеге қабілеттілік пен білімге құштарлықты дамыту. Облыста оны "
            "жобалық кеңсе үйлестіреді.",
            "Программа модернизации общественного сознания: сохранение исторической памяти, "
            "национальной культуры и языка, развитие конкурентоспособности и культа знаний. "
            "В области её координирует проектный офис.",
            "The program for the modernization of public consciousness: keeping historical "
            "memory, national culture and language, fostering competitiveness and a culture of "
            "knowledge. In the region the project office coordinates it.",
        ),
        date(2017, 4, 12),
        ProgramStatus.ACTIVE,
        "internal_policy",
        ("project_office",),
    ),
    ProgramSpec(
        AUYL,
        Names("Ауыл – ел бесігі", "Ауыл – ел бесігі", "Auyl – El Besigi"),
        Names(
            "Ауылдардың әлеуметтік және инженерлік инфрақұрылымын жаңартуға арналған арнайы "
            "жоба: мектептер, мәдениет үйлері, жолдар, көше жарығы.",
            "Спецпроект обновления социальной и инженерной инфраструктуры сёл: школы, дома "
            "культуры, дороги, уличное освещение.",
            "A special project renewing the social and engineering infrastructure of villages: "
            "schools, houses of culture, roads, street lighting.",
        ),
        date(2019, 1, 1),
        ProgramStatus.ACTIVE,
        "economy",
        ("karkaraly:akimat", "osakarov:akimat", "shet:akimat"),
    ),
]

DIRECTIONS = [
    DirectionSpec(
        "future",
        RUKHANI,
        1,
        Names(
            "Болашаққа бағдар: рухани жаңғыру",
            "Взгляд в будущее: модернизация общественного сознания",
            "Course towards the Future: Modernization of Public Consciousness",
        ),
        Names(
            "2017 жылғы бағдарламалық мақаладан туған арнайы жобалар.",
            "Спецпроекты, вытекающие из программной статьи 2017 года.",
            "The special projects that follow from the 2017 program article.",
        ),
        date(2017, 4, 12),
        "internal_policy",
        ("project_office",),
    ),
    DirectionSpec(
        "latin",
        RUKHANI,
        2,
        Names(
            "Қазақ тілін латын әліпбиіне көшіру",
            "Перевод казахского языка на латинский алфавит",
            "Transition of the Kazakh Language to the Latin Alphabet",
        ),
        Names(
            "Жаңа әліпбиді үйрету курстары, мекемелердегі түсіндіру жұмысы.",
            "Курсы обучения новому алфавиту, разъяснительная работа в организациях.",
            "Courses in the new alphabet and explanatory work in organizations.",
        ),
        date(2017, 10, 26),
        "internal_policy",
        ("education",),
    ),
    DirectionSpec(
        "steppe",
        RUKHANI,
        3,
        Names(
            "Ұлы даланың жеті қыры", "Семь граней Великой степи", "Seven Facets of the Great Steppe"
        ),
        Names(
            "2018 жылғы мақалаға негізделген тарихи-мәдени жобалар.",
            "Историко-культурные проекты по статье 2018 года.",
            "Historical and cultural projects based on the 2018 article.",
        ),
        date(2018, 11, 21),
        "internal_policy",
        ("culture", "tulgatanu"),
    ),
]

PROJECTS = [
    ProjectSpec(
        "tugan_zher",
        RUKHANI,
        Names("Туған жер", "Туған жер", "Tugan Zher (Native Land)"),
        Names(
            "Туған өлкеге деген сүйіспеншілікті арттыруға арналған жоба: елді мекендердің тарихы, "
            "жерлестердің туған ауылына көмегі, өлкетану және ақпараттық жұмыс.",
            "Проект о любви к малой родине: история населённых пунктов, помощь земляков родным "
            "сёлам, краеведение и информационная работа.",
            "A project about love for one's native land: the history of towns and villages, help "
            "from natives to their home villages, local history and outreach.",
        ),
        date(2018, 1, 1),
        ProgramStatus.ACTIVE,
        "internal_policy",
        ("project_office", "culture", "education"),
        direction="future",
        budget=120_000_000,
    ),
    ProjectSpec(
        "tarbie",
        RUKHANI,
        Names(
            "Тәрбие және білім",
            "Тәрбие және білім",
            "Tarbie zhane Bilim (Upbringing and Education)",
        ),
        Names(
            "Мектептер мен колледждердегі өлкетану сабақтары, экскурсиялар және оқушылардың "
            "зерттеу жұмыстары.",
            "Краеведческие уроки, экскурсии и исследовательские работы учащихся в школах и "
            "колледжах.",
            "Local history lessons, excursions and pupils' research in schools and colleges.",
        ),
        date(2018, 1, 1),
        ProgramStatus.ACTIVE,
        "education",
        ("youth", "buketov", "saran:school1"),
        direction="future",
        parent="tugan_zher",
    ),
    ProjectSpec(
        "atameken",
        RUKHANI,
        Names("Атамекен", "Атамекен", "Atameken (Homeland)"),
        Names(
            "Аудандар мен қалалардың шежіресін жинау, абаттандыру және жерлестердің қолдауымен "
            "жүзеге асатын жобалар.",
            "Летописи районов и городов, благоустройство и проекты при поддержке земляков.",
            "Chronicles of districts and towns, improvements and projects supported by people "
            "from the area.",
        ),
        date(2018, 1, 1),
        ProgramStatus.ACTIVE,
        "internal_policy",
        ("project_office",),
        direction="future",
        parent="tugan_zher",
        budget=45_000_000,
    ),
    ProjectSpec(
        "rukhani_qazyna",
        RUKHANI,
        Names("Рухани қазына", "Рухани қазына", "Rukhani Qazyna (Spiritual Heritage)"),
        Names(
            "Өңірдің тарихи-мәдени мұрасын анықтау, қалпына келтіру және насихаттау.",
            "Выявление, восстановление и популяризация историко-культурного наследия края.",
            "Finding, restoring and promoting the area's historical and cultural heritage.",
        ),
        date(2018, 1, 1),
        ProgramStatus.ACTIVE,
        "culture",
        ("regional_museum", "regional_library"),
        direction="future",
        parent="tugan_zher",
    ),
    ProjectSpec(
        "aqparat",
        RUKHANI,
        Names("Ақпарат толқыны", "Ақпарат толқыны", "Aqparat Tolqyny (Information Wave)"),
        Names(
            "Туған жер тақырыбындағы газет беттері, телесюжеттер және әлеуметтік желідегі "
            "жазбалар.",
            "Газетные полосы, телесюжеты и публикации в социальных сетях о малой родине.",
            "Newspaper pages, TV stories and social media posts about the native land.",
        ),
        date(2018, 1, 1),
        ProgramStatus.ACTIVE,
        "internal_policy",
        ("saryarqa",),
        direction="future",
        parent="tugan_zher",
        budget=12_000_000,
    ),
    ProjectSpec(
        "sacred",
        RUKHANI,
        Names(
            "Қазақстанның киелі жерлерінің географиясы",
            "Сакральная география Казахстана",
            "Sacred Geography of Kazakhstan",
        ),
        Names(
            "Облыстың киелі және тарихи орындарының тізімін жасау, оларды картаға түсіру және "
            "зиярат туризмін дамыту.",
            "Перечень сакральных и исторических мест области, их нанесение на карту и развитие "
            "паломнического туризма.",
            "Listing and mapping the region's sacred and historical sites, and developing "
            "pilgrimage tourism.",
        ),
        date(2017, 9, 1),
        ProgramStatus.ACTIVE,
        "culture",
        ("tulgatanu", "buketov", "regional_museum"),
        direction="future",
        budget=35_000_000,
    ),
    ProjectSpec(
        "global_culture",
        RUKHANI,
        Names(
            "Жаһандық әлемдегі заманауи қазақстандық мәдениет",
            "Современная казахстанская культура в глобальном мире",
            "Modern Kazakhstani Culture in the Global World",
        ),
        Names(
            "Облыс суретшілері мен музыканттарының шығармаларын шетелде таныстыру. 2020 жылы "
            "шетелдегі іс-шаралар карантинге байланысты тоқтатылды.",
            "Знакомство зарубежной публики с работами художников и музыкантов области. В 2020 "
            "году зарубежные мероприятия приостановлены из-за карантина.",
            "Presenting the region's artists and musicians abroad. Events abroad were suspended "
            "in 2020 because of the quarantine.",
        ),
        date(2018, 1, 1),
        ProgramStatus.SUSPENDED,
        "culture",
        ("regional_library",),
        direction="future",
    ),
    ProjectSpec(
        "new_names",
        RUKHANI,
        Names(
            "Қазақстандағы 100 жаңа есім",
            "100 новых лиц Казахстана",
            "100 New Faces of Kazakhstan",
        ),
        Names(
            "Облыстан шыққан, еңбегімен танылған замандастарды ұсыну және олардың жолын кеңінен "
            "таныту.",
            "Выдвижение земляков-современников, добившихся успеха своим трудом, и рассказ об их "
            "пути.",
            "Nominating contemporaries from the region who succeeded through their own work, and "
            "telling their stories.",
        ),
        date(2017, 9, 1),
        ProgramStatus.ACTIVE,
        "youth",
        ("saryarqa",),
        direction="future",
    ),
    ProjectSpec(
        "textbooks",
        RUKHANI,
        Names(
            "Қазақ тіліндегі 100 жаңа оқулық",
            "100 новых учебников на казахском языке",
            "100 New Textbooks in Kazakh",
        ),
        Names(
            "Қазақ тіліне аударылған гуманитарлық оқулықтарды облыстың жоғары оқу орындарына "
            "тарату және оқу процесіне енгізу.",
            "Передача переведённых на казахский язык гуманитарных учебников вузам области и их "
            "внедрение в учебный процесс.",
            "Bringing the humanities textbooks translated into Kazakh to the region's "
            "universities and into their teaching.",
        ),
        date(2017, 9, 1),
        ProgramStatus.COMPLETED,
        "education",
        UNIVERSITIES,
        direction="future",
        end=date(2019, 12, 31),
    ),
    ProjectSpec(
        "great_names",
        RUKHANI,
        Names(
            "Ұлы даланың ұлы есімдері",
            "Великие имена Великой степи",
            "Great Names of the Great Steppe",
        ),
        Names(
            "Қарағанды өңірінің көрнекті тұлғаларының өмірі мен еңбегін зерттеу, олар туралы "
            "кітаптар мен көрмелер әзірлеу.",
            "Исследование жизни и трудов выдающихся личностей Карагандинского края, книги и "
            "выставки о них.",
            "Research on the lives and work of notable people of the Karaganda area, with books "
            "and exhibitions about them.",
        ),
        date(2019, 1, 1),
        ProgramStatus.ACTIVE,
        "internal_policy",
        ("tulgatanu", "buketov"),
        direction="steppe",
        budget=18_500_000,
    ),
    ProjectSpec(
        "folklore",
        RUKHANI,
        Names(
            "Дала фольклоры мен музыкасының мың жылы",
            "Тысяча лет степного фольклора и музыки",
            "A Thousand Years of Steppe Folklore and Music",
        ),
        Names(
            "Өңірдің ауыз әдебиеті мен халық әндерін жинау, жазып алу және сахнаға шығару.",
            "Сбор, запись и сценическое воплощение устного народного творчества и песен края.",
            "Collecting, recording and staging the area's oral literature and folk songs.",
        ),
        date(2019, 1, 1),
        ProgramStatus.ACTIVE,
        "culture",
        ("regional_library", "karaganda:culture_house"),
        direction="steppe",
        budget=9_800_000,
    ),
    ProjectSpec(
        "archive",
        RUKHANI,
        Names("Архив-2025", "Архив-2025", "Archive-2025"),
        Names(
            "Облыс мұрағаттарындағы құжаттарды цифрландыру және тарихи деректерді зерттеушілерге "
            "қолжетімді ету.",
            "Оцифровка документов архивов области и открытие исторических источников для "
            "исследователей.",
            "Digitizing the region's archive records and opening historical sources to "
            "researchers.",
        ),
        date(2019, 1, 1),
        ProgramStatus.ACTIVE,
        "culture",
        ("regional_archive", "tulgatanu"),
        direction="steppe",
    ),
    # District-level projects, parts of the regional ones.
    ProjectSpec(
        "saran_chronicle",
        RUKHANI,
        Names("Саран қаласының шежіресі", "Летопись города Сарани", "Chronicle of Saran City"),
        Names(
            "Саран қаласының тарихы бойынша естеліктер мен фотосуреттер жинап, кітап әзірлеу.",
            "Сбор воспоминаний и фотографий по истории Сарани и подготовка книги.",
            "Gathering memories and photographs of Saran's history for a book.",
        ),
        date(2020, 1, 15),
        ProgramStatus.ACTIVE,
        "saran:internal_policy",
        ("saran:school1", "saran:culture_house"),
        territory="saran",
        direction="future",
        parent="atameken",
        budget=2_400_000,
    ),
    ProjectSpec(
        "karkaraly_sacred",
        RUKHANI,
        Names(
            "Қарқаралы өңірінің киелі орындары",
            "Священные места Каркаралинского края",
            "Sacred Places of the Karkaraly Area",
        ),
        Names(
            "Қарқаралы өңіріндегі киелі орындарға арналған туристік бағдар мен ақпараттық "
            "тақталар.",
            "Туристический маршрут и информационные стенды о сакральных местах "
            "Каркаралинского края.",
            "A tourist route and information boards for the sacred places of the Karkaraly area.",
        ),
        date(2020, 9, 1),
        ProgramStatus.PLANNED,
        "karkaraly:culture",
        ("karkaraly:culture_house",),
        territory="karkaraly",
        direction="future",
        parent="sacred",
        budget=3_500_000,
    ),
    ProjectSpec(
        "shet_clubs",
        RUKHANI,
        Names(
            "Шет ауданының ауыл мектептеріндегі өлкетану үйірмелері",
            "Краеведческие кружки в сельских школах Шетского района",
            "Local History Clubs in the Village Schools of Shet District",
        ),
        Names(
            "Ауыл мектептерінде өлкетану үйірмелерін ашу және оқушылардың жобаларын қолдау.",
            "Открытие краеведческих кружков в сельских школах и поддержка проектов учащихся.",
            "Opening local history clubs in village schools and supporting pupils' projects.",
        ),
        date(2019, 9, 2),
        ProgramStatus.ACTIVE,
        "shet:internal_policy",
        ("shet:school1",),
        territory="shet",
        direction="future",
        parent="tarbie",
    ),
    # «Ауыл – ел бесігі»
    ProjectSpec(
        "egindybulak_culture",
        AUYL,
        Names(
            "Егіндібұлақ ауылындағы мәдениет үйін жөндеу",
            "Ремонт дома культуры в селе Егиндыбулак",
            "Repair of the House of Culture in Egindybulak",
        ),
        Names(
            "Ауылдық мәдениет үйінің шатыры мен жылу жүйесін жөндеу.",
            "Ремонт кровли и системы отопления сельского дома культуры.",
            "Repairing the roof and the heating of the village house of culture.",
        ),
        date(2020, 5, 1),
        ProgramStatus.ACTIVE,
        "karkaraly:akimat",
        ("karkaraly:culture",),
        territory="karkaraly",
        budget=85_000_000,
    ),
    ProjectSpec(
        "osakarov_lighting",
        AUYL,
        Names(
            "Осакаров ауданының ауылдарында көше жарығын орнату",
            "Уличное освещение в сёлах Осакаровского района",
            "Street Lighting in the Villages of Osakarov District",
        ),
        Names(
            "Бірнеше ауылдың көшелеріне үнемді шамдар орнату.",
            "Установка энергосберегающих фонарей на улицах нескольких сёл.",
            "Energy-saving street lights in several villages.",
        ),
        date(2019, 5, 6),
        ProgramStatus.COMPLETED,
        "osakarov:akimat",
        territory="osakarov",
        end=date(2019, 11, 29),
        budget=46_000_000,
    ),
    ProjectSpec(
        "aksu_ayuly_gym",
        AUYL,
        Names(
            "Ақсу-Аюлы ауылындағы мектептің спорт залы",
            "Спортивный зал школы в селе Аксу-Аюлы",
            "A Sports Hall for the School in Aksu-Ayuly",
        ),
        Names(
            "Ауыл мектебіне жаңа спорт залын салу.",
            "Строительство нового спортивного зала для сельской школы.",
            "Building a new sports hall for the village school.",
        ),
        date(2020, 3, 2),
        ProgramStatus.ACTIVE,
        "shet:akimat",
        ("shet:school1",),
        territory="shet",
        budget=120_000_000,
    ),
]


# ---------------------------------------------------------------------------------------------
# Users
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Login:
    username: str
    role: str
    sees: str
    territory: str | None = None  # "region" or a place key
    organization: str | None = None
    person: str | None = None


LOGINS = [
    Login("admin", Role.ADMINISTRATOR, "everything, and the Django admin"),
    Login(
        "office",
        Role.PROJECT_OFFICE,
        "the whole region; edits programs, projects, the registry",
        territory="region",
        person="zhumagulov",
    ),
    Login(
        "akim",
        Role.EXECUTIVE,
        "the whole region; reads and comments",
        territory="region",
        person="nukenov",
    ),
    Login(
        "culture",
        Role.DEPARTMENT,
        "the culture department, its institutions and its projects",
        organization="culture",
        person="zhumekenov",
    ),
    Login(
        "saran",
        Role.COORDINATOR,
        "Saran city: its organizations, people and projects",
        territory="saran",
        person="deputy:saran",
    ),
    Login(
        "school",
        Role.INSTITUTION,
        "School No. 1 of Saran and the projects it takes part in",
        organization="saran:school1",
    ),
    Login("observer", Role.OBSERVER, "the whole region, read only", territory="region"),
]

# Every city's and district's deputy akim coordinates the program there and reports on the
# assignments given to it: one coordinator login each (deputy-<place>), all FICTIONAL people.
DEPUTY_LOGINS = [
    Login(
        f"deputy-{key}",
        Role.COORDINATOR,
        "the assignments and registry of one city or district",
        territory=key,
        person=f"deputy:{key}",
    )
    for key in DEPUTY_AKIMS
    if key != "saran"  # Saran's deputy akim has the "saran" login above
]


# ---------------------------------------------------------------------------------------------
# Loading
# ---------------------------------------------------------------------------------------------


class StoryClock:
    """Dates what the demo writes at the moment of the story it tells.

    The services stamp "now": a history row's date, `created_at`, `done_at`, `decided_at`, a
    letter's or an acknowledgment's time. Inside `at(moment)` every such stamp the load makes
    is moved to the moment: the history rows simple-history writes get it as `history_date`
    (and the stamped fields they copy), and a saved object's date-time fields that hold a value
    stamped during the load (between the load's start and the save) are set to it. Dates the
    demo gives on purpose (a meeting's start, a deadline) are never in that window, so they
    stay as given. Outside `at` nothing is changed.
    """

    def __init__(self) -> None:
        self.started = timezone.now()
        self.moment: datetime.datetime | None = None

    @contextmanager
    def at(self, moment: datetime.datetime) -> Iterator[None]:
        previous, self.moment = self.moment, moment
        try:
            yield
        finally:
            self.moment = previous

    @contextmanager
    def running(self) -> Iterator[None]:
        """Listen to the saves while the demo loads (and only then)."""
        pre_create_historical_record.connect(self.on_history, dispatch_uid="kense-demo-clock")
        post_save.connect(self.on_save, dispatch_uid="kense-demo-clock")
        try:
            yield
        finally:
            pre_create_historical_record.disconnect(dispatch_uid="kense-demo-clock")
            post_save.disconnect(dispatch_uid="kense-demo-clock")

    def stamped(self, obj: models.Model) -> dict[str, datetime.datetime]:
        """The date-time fields of `obj` stamped "now" during the load, with the moment."""
        if self.moment is None:
            return {}
        now = timezone.now()
        return {
            field.attname: self.moment
            for field in obj._meta.concrete_fields
            if isinstance(field, models.DateTimeField)
            and isinstance(value := getattr(obj, field.attname), datetime.datetime)
            and self.started <= value <= now
        }

    def restamp(self, rows: models.QuerySet[Any], *fields: str) -> None:
        """Date at the moment the `fields` of `rows` that a bulk update stamped during the
        load (a bulk update sends no signal)."""
        if self.moment is None:
            return
        for name in fields:
            rows.filter(**{f"{name}__gte": self.started}).update(**{name: self.moment})

    def on_history(self, sender: Any, history_instance: Any, **kwargs: Any) -> None:
        if self.moment is None:
            return
        for name, value in self.stamped(history_instance).items():
            setattr(history_instance, name, value)
        history_instance.history_date = self.moment

    def on_save(
        self, sender: Any, instance: models.Model, raw: bool = False, **kwargs: Any
    ) -> None:
        changed = {} if raw else self.stamped(instance)
        if changed:
            for name, value in changed.items():
                setattr(instance, name, value)
            sender._base_manager.filter(pk=instance.pk).update(**changed)


def story_moment(day: datetime.date, hour: int = 10, minute: int = 0) -> datetime.datetime:
    """A moment of the story, in the region's time."""
    return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=ALMATY)


# The project office entered the region's registry into Kense at the start of 2020; the story's
# other moments are given where they happen.
REGISTRY_ENTERED = story_moment(date(2020, 1, 9), 10)
# After the last moment of the story (the 2022 reorganization).
STORY_ENDS = story_moment(date(2023, 1, 1), 0)


class DemoError(Exception):
    """The database holds something that stops the demo from loading (said in the message)."""


@dataclass
class DemoResult:
    created: Counter[str]

    @property
    def already_loaded(self) -> bool:
        return not self.created


class _Loader:
    def __init__(self, clock: StoryClock) -> None:
        self.created: Counter[str] = Counter()
        self.territories: dict[str, Territory] = {}
        self.organizations: dict[str, Organization] = {}
        self.positions: dict[str, Position] = {}
        self.people: dict[str, Person] = {}
        self.posts: dict[str, StaffPost] = {}
        self.programs: dict[str, Program] = {}
        self.directions: dict[str, Direction] = {}
        self.projects: dict[str, Project] = {}
        self.clock = clock
        self.admin = self.load_admin()

    def count(self, model: type[models.Model]) -> None:
        with translation.override("en"):
            self.created[str(model._meta.verbose_name_plural)] += 1

    # Users ------------------------------------------------------------------------------------

    def load_admin(self) -> User:
        admin = User.objects.filter(username="admin").first()
        if admin is None:
            admin = User.objects.create_superuser(
                username="admin",
                email=f"admin@{EMAIL_DOMAIN}",
                password=PASSWORD,
                role=Role.ADMINISTRATOR,
            )
            self.count(User)
        elif admin.role != Role.ADMINISTRATOR or not admin.is_active:
            raise DemoError(
                'A user "admin" exists but is not an active administrator; '
                "the demo is loaded as that user."
            )
        return admin

    def load_users(self) -> None:
        for login in LOGINS + DEPUTY_LOGINS:
            if login.username == "admin" or User.objects.filter(username=login.username).exists():
                continue
            User.objects.create_user(
                username=login.username,
                email=f"{login.username}@{EMAIL_DOMAIN}",
                password=PASSWORD,
                role=login.role,
                territory=self.territories[login.territory] if login.territory else None,
                organization=(
                    self.organizations[login.organization] if login.organization else None
                ),
                person=self.people[login.person] if login.person else None,
            )
            self.count(User)

    # Territories ------------------------------------------------------------------------------

    def territory(
        self,
        key: str,
        names: Names,
        kind: str,
        parent: Territory | None,
        *,
        valid_from: datetime.date | None = None,
        member_since: datetime.date | None = None,
    ) -> Territory:
        found = Territory.objects.filter(name_kk=names.kk, kind=kind).first()
        if found is None:
            found = Territory(
                **names.fields("name"), kind=kind, parent=parent, valid_from=valid_from
            )
            territory_save(found, user=self.admin, moved_on=member_since or valid_from)
            self.count(Territory)
        self.territories[key] = found
        return found

    def load_territories(self) -> None:
        country = self.territory(
            "country", COUNTRY, TerritoryKind.COUNTRY, None, valid_from=INDEPENDENCE
        )
        region = self.territory(
            "region",
            REGION,
            TerritoryKind.REGION,
            country,
            valid_from=REGION_FORMED,
            member_since=INDEPENDENCE,
        )
        for place in PLACES:
            self.territory(place.key, place.name, place.kind, region, valid_from=REGION_COMPOSED)
        for key, district, names in RURAL_DISTRICTS:
            self.territory(key, names, TerritoryKind.RURAL_DISTRICT, self.territories[district])
        with self.clock.at(story_moment(ULYTAU_FORMED, 11)):
            ulytau = self.territory(
                "ulytau_region",
                ULYTAU_REGION,
                TerritoryKind.REGION,
                country,
                valid_from=ULYTAU_FORMED,
            )
            for place in PLACES:
                territory = self.territories[place.key]
                if place.to_ulytau and territory.parent_id != ulytau.pk:
                    territory.parent = ulytau
                    territory_save(
                        territory, user=self.admin, moved_on=ULYTAU_FORMED, act=ULYTAU_ACT
                    )
                    self.created["moves to Ulytau region"] += 1

    # Organizations ----------------------------------------------------------------------------

    def load_organizations(self) -> None:
        for spec in ORGANIZATIONS:
            found = Organization.objects.filter(name_kk=spec.name.kk).first()
            if found is None:
                found = Organization(
                    **spec.name.fields("name"),
                    **(spec.short_name.fields("short_name") if spec.short_name else {}),
                    kind=spec.kind,
                    territory=self.territories[spec.territory],
                    parent=self.organizations[spec.parent] if spec.parent else None,
                    aliases=list(spec.aliases),
                )
                organization_save(found, user=self.admin)
                self.count(Organization)
            self.organizations[spec.key] = found
        office = self.organizations["project_office"]
        holding = self.organizations["saryarqa"]
        if office.parent_id != holding.pk:
            office.parent = holding
            with self.clock.at(story_moment(OFFICE_MOVED_ON, 15)):
                organization_save(
                    office, user=self.admin, moved_on=OFFICE_MOVED_ON, act=OFFICE_MOVE_ACT
                )
            self.created["project office moves"] += 1

    # People and posts -------------------------------------------------------------------------

    def load_positions(self) -> None:
        for code, names in POSITIONS.items():
            found = Position.objects.filter(code=code).first()
            if found is None:
                found = Position(code=code, **names.fields("name"))
                audit_as(found, self.admin)
                found.full_clean()
                found.save()
                self.count(Position)
            self.positions[code] = found

    def load_people(self) -> None:
        for spec in PEOPLE:
            found = Person.objects.filter(
                surname_kk=spec.surname.kk, given_name_kk=spec.given_name.kk
            ).first()
            if found is None:
                found = Person(
                    **spec.surname.fields("surname"),
                    **spec.given_name.fields("given_name"),
                    **(
                        spec.academic_degree.fields("academic_degree")
                        if spec.academic_degree
                        else {}
                    ),
                    aliases=list(spec.aliases),
                    territory=self.territories[spec.territory],
                )
                person_save(found, user=self.admin)
                self.count(Person)
            self.people[spec.key] = found

    def load_staff_posts(self) -> None:
        office = self.organizations["project_office"]
        for order, (key, position, titles) in enumerate(STAFF_POSTS, start=1):
            title = Names(*titles.split("/"))
            employment = Employment.NON_STAFF if key in NON_STAFF_POSTS else Employment.STAFF
            found = StaffPost.objects.filter(organization=office, title_kk=title.kk).first()
            if found is None:
                found = StaffPost(
                    organization=office,
                    position=self.positions[position],
                    **title.fields("title"),
                    employment=employment,
                    order=order,
                )
                staff_post_save(found, user=self.admin)
                self.count(StaffPost)
            self.posts[key] = found

    def load_appointments(self) -> None:
        for spec in APPOINTMENTS:
            person = self.people[spec.person]
            organization = self.organizations[spec.organization]
            position = self.positions[spec.position]
            exists = Appointment.objects.filter(
                person=person, organization=organization, position=position
            ).exists()
            if exists:
                continue
            appointment = Appointment(
                person=person,
                organization=organization,
                position=position,
                **(spec.title.fields("title") if spec.title else {}),
                post=self.posts[spec.post] if spec.post else None,
                employment=spec.employment,
                start=spec.start,
                act_kind=spec.act_kind,
                act_number=spec.act_number,
                act_date=spec.act_date,
            )
            appointment_save(appointment, user=self.admin)
            self.count(Appointment)

    # Programs ---------------------------------------------------------------------------------

    def orgs(self, keys: tuple[str, ...]) -> list[Organization]:
        return [self.organizations[key] for key in keys]

    def load_programs(self) -> None:
        for spec in PROGRAMS:
            program = Program.objects.filter(code=spec.code).first()
            if program is None:
                program = Program(
                    code=spec.code,
                    **spec.name.fields("name"),
                    **spec.description.fields("description"),
                    start=spec.start,
                    status=spec.status,
                    lead_organization=self.organizations[spec.lead],
                )
                program_save(program, user=self.admin, co_executors=self.orgs(spec.co_executors))
                self.count(Program)
            self.programs[spec.code] = program
        for direction_spec in DIRECTIONS:
            program = self.programs[direction_spec.program]
            direction = program.directions.filter(name_kk=direction_spec.name.kk).first()
            if direction is None:
                direction = Direction(
                    program=program,
                    order=direction_spec.order,
                    **direction_spec.name.fields("name"),
                    **direction_spec.description.fields("description"),
                    start=direction_spec.start,
                    status=ProgramStatus.ACTIVE,
                    lead_organization=self.organizations[direction_spec.lead],
                )
                direction_save(
                    direction,
                    user=self.admin,
                    co_executors=self.orgs(direction_spec.co_executors),
                )
                self.count(Direction)
            self.directions[direction_spec.key] = direction
        for project_spec in PROJECTS:
            self.projects[project_spec.key] = self.project(project_spec)

    def project(self, spec: ProjectSpec) -> Project:
        found = Project.objects.filter(name_kk=spec.name.kk).first()
        if found is not None:
            return found
        project = Project(
            program=self.programs[spec.program],
            direction=self.directions[spec.direction] if spec.direction else None,
            parent=self.projects[spec.parent] if spec.parent else None,
            **spec.name.fields("name"),
            **spec.description.fields("description"),
            start=spec.start,
            end=spec.end,
            status=spec.status,
            lead_organization=self.organizations[spec.lead],
            territory=self.territories[spec.territory],
            budget=Decimal(spec.budget) if spec.budget is not None else None,
            aliases=list(PROJECT_ALIASES.get(spec.key, ())),
        )
        project_save(project, user=self.admin, co_executors=self.orgs(spec.co_executors))
        self.count(Project)
        return project


def _keep_quiet(letters_before: int) -> None:
    """A demo writes to nobody: the letters the services put in the outbox while it loaded are
    taken out, with their deliveries and their lines in the notifications' delivery log,
    before anything is committed. The notifications stay in the app, and those of the story
    were read in their day."""
    letters = Letter.objects.filter(pk__gt=letters_before)
    try:
        send = apps.get_model("notifications", "Send")
        notification = apps.get_model("notifications", "Notification")
    except LookupError:
        pass
    else:
        send.objects.filter(letter__in=letters).delete()
        notification.objects.filter(created_at__lt=STORY_ENDS, read_at=None).update(
            read_at=models.F("created_at") + datetime.timedelta(hours=2)
        )
    letters.delete()
    _drop_letter_deliveries()


def _drop_letter_deliveries() -> None:
    """Forget the deliveries of letters queued to run when the load's transaction commits
    (kense.core.mail enqueues each letter's delivery on commit)."""
    from kense.core.mail import deliver_letter

    connection = transaction.get_connection()
    connection.run_on_commit = [
        entry
        for entry in connection.run_on_commit
        if not (isinstance(entry[1], functools.partial) and entry[1].func == deliver_letter.enqueue)
    ]


def load_demo() -> DemoResult:
    """Load the demo (or complete a partly loaded one); create nothing that exists already.

    Two timelines: the 2020 story, dated in its days (history included), and the current
    year around the day of the load (kense.<app>.demo `load_current`), so that every home
    page, calendar and feed has something to show. No letter leaves: those the services
    queue while the demo loads are taken out of the outbox before it commits.

    Returns what was created, by kind; an empty count means the demo was already loaded.
    Raises DemoError when the database holds an "admin" user that is not an administrator.
    """
    from kense.documents.demo import load_current_documents, load_documents
    from kense.events.demo import load_current_events, load_events
    from kense.geo.demo import load_places
    from kense.ideas.demo import load_current_ideas, load_ideas
    from kense.indicators.demo import load_current_indicators, load_indicators
    from kense.media.demo import load_current_publications, load_publications
    from kense.meetings.demo import load_current_meetings, load_meetings
    from kense.public.demo import load_publishing
    from kense.sites.demo import load_sites

    clock = StoryClock()
    # Names are set per language; the untranslated columns follow the default language, kk.
    with translation.override("kk"), transaction.atomic(), clock.running():
        letters_before = Letter.objects.aggregate(last=models.Max("pk"))["last"] or 0
        with clock.at(REGISTRY_ENTERED):
            loader = _Loader(clock)
            loader.load_territories()
            loader.load_organizations()
            loader.load_positions()
            loader.load_people()
            loader.load_staff_posts()
            loader.load_appointments()
            loader.load_programs()
            loader.load_users()
            load_places(loader)
        # The 2020 story stands on the registry above; each part dates its own moments.
        load_meetings(loader)
        load_events(loader)
        load_indicators(loader)
        load_ideas(loader)
        load_documents(loader)
        load_publications(loader)
        load_sites(loader)
        # The current year, relative to the day of the load.
        today = timezone.localdate()
        load_current_meetings(loader, today)
        load_current_events(loader, today)
        load_current_indicators(loader, today)
        load_current_ideas(loader, today)
        load_current_documents(loader, today)
        load_current_publications(loader, today)
        load_publishing(loader)
        _keep_quiet(letters_before)
    return DemoResult(created=loader.created)
