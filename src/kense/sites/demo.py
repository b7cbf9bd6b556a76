"""Sacred sites of the demo: real sites of Karaganda and Ulytau regions, in the special project
«Қазақстанның киелі географиясы», linked to the expedition to sacred places and to the
publications about the register.

The facts are public ones: where each site is and what it is. A point is given only where it
is known well enough to put on a map (the mausoleum of Jochi Khan, the Begazy burial ground,
two mountain ranges); the mausoleums of Alasha Khan and Dombauyl are entered without one, as an
office enters a site before anybody has measured it. Descriptions are our own texts.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from kense.events.models import Event
from kense.media.models import Publication
from kense.registry.demo import Names, story_moment
from kense.sites.models import Protection, SacredList, Site, SiteKind
from kense.sites.services import site_save

ENTERED = datetime.date(2020, 6, 15)


@dataclass(frozen=True)
class SiteSpec:
    name: Names
    kind: str
    sacred_list: str
    protection: str
    territory: str  # a place key of kense.registry.demo
    point: tuple[float, float] | None
    description_kk: str
    description_ru: str
    sources: tuple[str, ...] = ()


SITES = [
    SiteSpec(
        Names("Жошы хан кесенесі", "Мавзолей Джучи-хана", "Mausoleum of Jochi Khan"),
        SiteKind.MAUSOLEUM,
        SacredList.NATIONAL,
        Protection.NATIONAL,
        "ulytau",
        (48.1553, 67.8175),
        "Қаракеңгір өзенінің сол жағасындағы XIII–XIV ғасырлардың күмбезді кесенесі; дәстүр бойынша Шыңғыс ханның үлкен ұлы Жошы осында жерленген.",
        "Купольный мавзолей XIII–XIV веков на левом берегу реки Каракенгир; по преданию, здесь похоронен старший сын Чингисхана Джучи.",
        ("Маргулан А. Х. Древняя культура Центрального Казахстана. Алма-Ата, 1966",),
    ),
    SiteSpec(
        Names("Алаша хан кесенесі", "Мавзолей Алаша-хана", "Mausoleum of Alasha Khan"),
        SiteKind.MAUSOLEUM,
        SacredList.NATIONAL,
        Protection.NATIONAL,
        "ulytau",
        None,
        "Қаракеңгір мен Сарыкеңгір өзендерінің қосылар тұсындағы күйдірілген кірпіштен салынған порталды-күмбезді кесене; аңыз бойынша қазақтың арғы атасы Алаша хан жерленген.",
        "Портально-купольный мавзолей из обожжённого кирпича у слияния Каракенгира и Сарыкенгира; по легенде, место погребения Алаша-хана.",
    ),
    SiteSpec(
        Names("Домбауыл кесенесі", "Мавзолей Домбаул", "Dombauyl Mausoleum"),
        SiteKind.MAUSOLEUM,
        SacredList.NATIONAL,
        Protection.NATIONAL,
        "ulytau",
        None,
        "Қаракеңгір өзенінің оң жағасындағы тастан қаланған күмбез; Орталық Қазақстандағы ең көне құрылыстардың бірі саналады.",
        "Каменное купольное сооружение на правом берегу Каракенгира; считается одной из древнейших построек Центрального Казахстана.",
    ),
    SiteSpec(
        Names("Беғазы қорымы", "Могильник Бегазы", "Begazy Burial Ground"),
        SiteKind.ARCHAEOLOGICAL,
        SacredList.REGIONAL,
        Protection.NATIONAL,
        "aktogay",
        (48.2658, 75.3421),
        "Қаратал өзенінің жағасындағы қола дәуірінің соңғы кезеңіне жататын тайпа көсемдерінің тас кесенелері; 1947 жылдан бері зерттеліп келеді.",
        "Каменные гробницы вождей эпохи поздней бронзы на берегу реки Каратал; исследуются с 1947 года.",
        ("Маргулан А. Х. Бегазы-дандыбаевская культура Центрального Казахстана. Алма-Ата, 1979",),
    ),
    SiteSpec(
        Names("Ұлытау тауы", "Горы Улытау", "Ulytau Mountains"),
        SiteKind.NATURAL,
        SacredList.NATIONAL,
        Protection.NONE,
        "ulytau",
        (48.70, 67.05),
        "Сарыарқаның батысындағы таулы өңір; қазақ тарихының көптеген оқиғаларымен байланысты киелі мекен.",
        "Горный массив на западе Сарыарки; священное место, связанное со многими событиями казахской истории.",
    ),
    SiteSpec(
        Names("Қарқаралы таулары", "Каркаралинские горы", "Karkaraly Mountains"),
        SiteKind.NATURAL,
        SacredList.REGIONAL,
        Protection.NONE,
        "karkaraly",
        (49.40, 75.45),
        "Қарқаралы қаласының маңындағы орманды таулар; табиғат пен тарихтың ескерткіштері қатар тұрған өңір.",
        "Лесистые горы у города Каркаралинска, где памятники природы соседствуют с памятниками истории.",
    ),
]


def load_sites(loader: Any) -> None:
    """Load the sites once (skip when there are any), as the project office entered them in
    the summer of 2020, in the special project «sacred» and linked to the expedition to sacred
    places and to the publications about the sites."""
    if Site.objects.exists():
        return
    project = loader.projects.get("sacred")
    expedition = list(Event.objects.filter(title_en="Expedition to sacred places"))
    about = list(
        Publication.objects.filter(Q(title__icontains="киелі") | Q(title__icontains="Қасиетті"))
    )
    for spec in SITES:
        site = Site(
            name_kk=spec.name.kk,
            name_ru=spec.name.ru,
            name_en=spec.name.en,
            kind=spec.kind,
            sacred_list=spec.sacred_list,
            protection=spec.protection,
            territory=loader.territories[spec.territory],
            description_kk=spec.description_kk,
            description_ru=spec.description_ru,
            sources="\n".join(spec.sources),
            project=project,
        )
        if spec.point is not None:
            site.latitude, site.longitude = spec.point
        with loader.clock.at(story_moment(ENTERED, 11)):
            site_save(site, user=loader.admin, links={"events": expedition, "publications": about})
        loader.count(Site)
