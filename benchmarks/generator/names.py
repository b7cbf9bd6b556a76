"""Kazakh and Russian names for generated data: people, places, organizations and titles.

Every builder takes a ``random.Random`` so that a seed gives the same dataset, and returns
the Kazakh spelling with its Russian one («Нүкенов» / «Нукенов»); the Russian is derived by
:func:`to_russian`, the way Kazakh names are usually written in Russian texts.
"""

from __future__ import annotations

import random

# Kazakh letters that Russian spelling writes with their nearest Russian letter.
_KK_TO_RU = str.maketrans(
    {
        "ә": "а",
        "ғ": "г",
        "қ": "к",
        "ң": "н",
        "ө": "о",
        "ұ": "у",
        "ү": "у",
        "һ": "х",
        "і": "и",
        "Ә": "А",
        "Ғ": "Г",
        "Қ": "К",
        "Ң": "Н",
        "Ө": "О",
        "Ұ": "У",
        "Ү": "У",
        "Һ": "Х",
        "І": "И",
    }
)


def to_russian(text: str) -> str:
    """The Russian spelling of a Kazakh name (Ақтөбе → Актобе, Нүкенов → Нукенов)."""
    return text.translate(_KK_TO_RU)


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


MALE_NAMES = _words(
    "Асқар Ерлан Нұрлан Серік Бауыржан Дәурен Ержан Қайрат Марат Ғалым Арман Бақыт Бекзат "
    "Жандос Мұрат Нұрсұлтан Әділет Ербол Талғат Дархан Саят Рустем Олжас Ақан Жасұлан "
    "Ильяс Мейрам Тимур Айдос Бағдат Нұржан Ерсін Данияр Әлібек Қуаныш Ринат Самат Төлеген "
    "Абылай Ернар Медет Руслан Әлихан Бекболат Жанболат Ерғали Мақсат Тоқтар Нұрбол Шыңғыс"
)
FEMALE_NAMES = _words(
    "Айгүл Гүлнар Сәуле Жанар Айнұр Динара Мөлдір Аружан Ақбота Әсем Назерке Жансая "
    "Гүлмира Ләззат Салтанат Меруерт Айжан Толғанай Гүлжан Дана Әйгерім Балжан Аида "
    "Камила Қарлығаш Ботагөз Жұлдыз Анар Ұлжан Шынар Мадина Асель Райхан Перизат Зарина"
)
# Roots of family names: «Нүкен» gives Нүкенов, Нүкенова, Нүкенұлы, Нүкенқызы.
SURNAME_ROOTS = _words(
    "Нүкен Әбдір Сейіт Жұмабай Омар Тілеу Қасым Бекмұхамед Есен Ахмет Сарсен Байжан "
    "Мұхамеджан Оспан Сұлтан Тоқтар Жақсылық Әбілқайыр Дүйсен Шәкен Бейсен "
    "Исабек Көшербай Мақаш Смағұл Әміржан Тұрсын Нұрмағамбет Ыбырай Жетпісбай Қожахмет "
    "Серікбай Әлмағамбет Төлеш Байтұрсын Кенжебай Мырзахмет Рысқұл Жолдас Сатыбалды "
    "Шалабай Ибрай Досмұхамед Ермек Құлмахан Бөкей Ақылбек Нарымбет Орынбасар Темірхан"
)
# Fathers' names for patronymics: they end in a consonant, so -ович/-овна reads naturally.
FATHER_NAMES = tuple(name for name in MALE_NAMES if name[-1] not in "аеиоуыіәөұүэюя")

PLACE_PREFIXES = _words(
    "Ақ Қара Сары Көк Ала Жаңа Бай Қос Тал Ұзын Кең Жалпақ Қызыл Алтын Күміс Таза Биік Ескі"
)
PLACE_ROOTS = _words(
    "тау су бұлақ көл тоғай жар қайың терек өзен дала шоқы құм бел қамыс сай төбе "
    "арық жол қорған тас ауыл қала"
)


def place(rng: random.Random) -> tuple[str, str]:
    """A place name from syllables (Ақбұлақ, Қаратау, Жаңаауыл, Көкқала), kk and ru."""
    kk = rng.choice(PLACE_PREFIXES) + rng.choice(PLACE_ROOTS)
    return kk, to_russian(kk)


def person(rng: random.Random) -> dict[str, str]:
    """A person's surname, given name and patronymic in Kazakh and Russian."""
    female = rng.random() < 0.5
    given = rng.choice(FEMALE_NAMES if female else MALE_NAMES)
    root = rng.choice(SURNAME_ROOTS)
    father = rng.choice(FATHER_NAMES)
    if rng.random() < 0.75:
        # The Russian-style family name, as most passports still have it.
        # After -й the ending is -ев (Жұмабай → Жұмабаев), as Russian spelling has it.
        stem, ending = (root[:-1], "ев") if root.endswith("й") else (root, "ов")
        surname_kk = stem + ending + ("а" if female else "")
        surname_ru = to_russian(surname_kk)
    else:
        # The Kazakh form: son or daughter of the ancestor.
        surname_kk = root + ("қызы" if female else "ұлы")
        surname_ru = to_russian(root) + (" кызы" if female else " улы")
    return {
        "surname_kk": surname_kk,
        "surname_ru": surname_ru,
        "given_name_kk": given,
        "given_name_ru": to_russian(given),
        "patronymic_kk": father + ("қызы" if female else "ұлы"),
        "patronymic_ru": to_russian(father) + ("овна" if female else "ович"),
    }


# Territory names: (kk suffix, kk genitive suffix, ru prefix, ru genitive prefix).
TERRITORY_FORMS = {
    "country": ("", "", "", ""),
    "region": ("облысы", "облысының", "область", "области"),
    "city": ("қаласы", "қаласының", "город", "города"),
    "district": ("ауданы", "ауданының", "район", "района"),
    "rural_district": ("ауылдық округі", "ауылдық округінің", "сельский округ", "сельского округа"),
}


def territory_names(base_kk: str, kind: str) -> dict[str, str]:
    """«Ақтау облысы» / «область Актау», with the genitives organizations are named with."""
    kk_suffix, kk_genitive, ru_prefix, ru_genitive = TERRITORY_FORMS[kind]
    base_ru = to_russian(base_kk)
    return {
        "kk": f"{base_kk} {kk_suffix}".strip(),
        "ru": f"{ru_prefix} {base_ru}".strip(),
        "kk_gen": f"{base_kk} {kk_genitive}".strip(),
        "ru_gen": f"{ru_genitive} {base_ru}".strip(),
    }


# Fields of public administration: (kk, ru genitive).
TOPICS = (
    ("білім", "образования"),
    ("мәдениет", "культуры"),
    ("денсаулық сақтау", "здравоохранения"),
    ("жастар саясаты", "молодежной политики"),
    ("дене шынықтыру және спорт", "физической культуры и спорта"),
    ("ішкі саясат", "внутренней политики"),
    ("туризм", "туризма"),
    ("ауыл шаруашылығы", "сельского хозяйства"),
    ("цифрландыру", "цифровизации"),
    ("тілдерді дамыту", "развития языков"),
)


def department(rng: random.Random, region: dict[str, str], index: int) -> tuple[str, str]:
    kk, ru = TOPICS[index % len(TOPICS)]
    return f"{region['kk_gen']} {kk} басқармасы", f"Управление {ru} {region['ru_gen']}"


def division(rng: random.Random, district: dict[str, str], index: int) -> tuple[str, str]:
    kk, ru = TOPICS[index % len(TOPICS)]
    return f"{district['kk_gen']} {kk} бөлімі", f"Отдел {ru} {district['ru_gen']}"


def akimat(territory: dict[str, str]) -> tuple[str, str]:
    return f"{territory['kk_gen']} әкімдігі", f"Акимат {territory['ru_gen']}"


def project_office(territory: dict[str, str]) -> tuple[str, str]:
    return (
        f"{territory['kk_gen']} жобалық кеңсесі",
        f"Проектный офис {territory['ru_gen']}",
    )


def _honoree(rng: random.Random) -> tuple[str, str]:
    given = rng.choice(MALE_NAMES)
    surname = rng.choice(SURNAME_ROOTS) + "ов"
    return f"{given} {surname}", f"{to_russian(given)}а {to_russian(surname)}а"


def institution(rng: random.Random, kind: str, number: int) -> tuple[str, str]:
    """An institution's name from a template of its kind (school, college, media…)."""
    place_kk, place_ru = place(rng)
    if kind == "school":
        hon_kk, hon_ru = _honoree(rng)
        return (
            f"{hon_kk} атындағы №{number} жалпы білім беретін мектеп",
            f"Общеобразовательная школа №{number} имени {hon_ru}",
        )
    if kind == "college":
        return f"{place_kk} көпсалалы колледжі", f"Многопрофильный колледж «{place_ru}»"
    if kind == "university":
        hon_kk, hon_ru = _honoree(rng)
        return f"{hon_kk} атындағы университет", f"Университет имени {hon_ru}"
    if kind == "culture":
        if rng.random() < 0.5:
            return f"{place_kk} мәдениет үйі", f"Дом культуры «{place_ru}»"
        return f"{place_kk} орталық кітапханасы", f"Центральная библиотека «{place_ru}»"
    if kind == "research":
        topic_kk, topic_ru = rng.choice(TOPICS)
        return (
            f"{place_kk} {topic_kk} ғылыми-зерттеу орталығы",
            f"Научно-исследовательский центр {topic_ru} «{place_ru}»",
        )
    if kind == "media":
        word = rng.choice(("таңы", "жаршысы", "үні", "шұғыласы"))
        if rng.random() < 0.3:
            return f"«{place_kk} ТВ» телеарнасы", f"Телеканал «{place_ru} ТВ»"
        return f"«{place_kk} {word}» газеті", f"Газета «{place_ru} {to_russian(word)}»"
    if kind == "ngo":
        word = rng.choice(("жастары", "еріктілері", "болашағы", "мұрасы"))
        return (
            f"«{place_kk} {word}» қоғамдық бірлестігі",
            f"Общественное объединение «{place_ru} {to_russian(word)}»",
        )
    return f"«{place_kk}» ЖШС", f"ТОО «{place_ru}»"


# Subjects of events, meetings, assignments and publications: (kk, ru).
SUBJECTS = (
    ("жастар форумы", "молодежный форум"),
    ("кітап оқу марафоны", "марафон чтения книг"),
    ("ұлттық ойындар фестивалі", "фестиваль национальных игр"),
    ("ауыл мектептерін цифрландыру", "цифровизация сельских школ"),
    ("ана тілі апталығы", "неделя родного языка"),
    ("еріктілер акциясы", "акция волонтеров"),
    ("тарихи мұраны зерттеу экспедициясы", "экспедиция по изучению исторического наследия"),
    ("спорт мерекесі", "спортивный праздник"),
    ("өлкетану конференциясы", "краеведческая конференция"),
    ("ақындар айтысы", "айтыс акынов"),
    ("кәсіпкерлік семинары", "семинар по предпринимательству"),
    ("экологиялық сенбілік", "экологический субботник"),
    ("отбасы күні", "день семьи"),
    ("домбыра кеші", "вечер домбры"),
    ("IT-мектеп", "IT-школа"),
)


def subject(rng: random.Random) -> tuple[str, str]:
    return rng.choice(SUBJECTS)


def event_title(rng: random.Random, place_kk: str, place_ru: str) -> tuple[str, str]:
    kk, ru = subject(rng)
    return f"{place_kk}: {kk}", f"{place_ru}: {ru}"


def meeting_title(rng: random.Random, territory: dict[str, str], year: int) -> tuple[str, str]:
    kk, ru = rng.choice(
        (
            ("бағдарламаны іске асыру жөніндегі кеңес", "совещание по реализации программы"),
            ("жобалық кеңсенің отырысы", "заседание проектного офиса"),
            ("жұмыс тобының отырысы", "заседание рабочей группы"),
            ("жыл қорытындысы жөніндегі кеңес", "итоговое совещание за год"),
        )
    )
    return f"{territory['kk_gen']} {kk} ({year})", f"{ru.capitalize()} {territory['ru_gen']}"


def agenda_title(rng: random.Random) -> tuple[str, str]:
    kk, ru = subject(rng)
    return (
        f"«{kk.capitalize()}» іс-шарасының барысы туралы",
        f"О ходе мероприятия «{ru.capitalize()}»",
    )


def assignment_text(rng: random.Random) -> tuple[str, str]:
    kk, ru = subject(rng)
    return (
        f"«{kk.capitalize()}» іс-шарасын ұйымдастыруды қамтамасыз етсін және нәтижесі туралы "
        "жобалық кеңсеге ақпарат берсін.",
        f"Обеспечить организацию мероприятия «{ru}» и проинформировать проектный офис "
        "о результатах.",
    )


def report_text(rng: random.Random) -> str:
    kk, _ru = subject(rng)
    return f"«{kk.capitalize()}» іс-шарасы өткізілді, қатысушылар саны {rng.randint(20, 900)}."


def publication_title(rng: random.Random, language: str, place_kk: str, place_ru: str) -> str:
    kk, ru = subject(rng)
    if language == "ru":
        return f"В {place_ru} прошел {ru}" if rng.random() < 0.5 else f"{place_ru}: {ru}"
    return f"{place_kk}: {kk} өтті"


def document_title(rng: random.Random, number: int) -> tuple[str, str]:
    kk, ru = subject(rng)
    return (
        f"«{kk.capitalize()}» өткізу жөніндегі әдістемелік ұсынымдар №{number}",
        f"Методические рекомендации по проведению «{ru}» №{number}",
    )
