"""A labelled set of sentences for measuring :mod:`kense.text.matcher`.

The sentences are Kense's own (written for this file, in Kazakh and Russian), about the
officials, organizations, places and projects of a regional «Рухани жаңғыру» project office.
Each sentence lists the lexicon keys it mentions, once per mention; negatives list nothing
(district and region words, derived adjectives such as «облыстық», «қарағандылық», first
names alone, the poet Абай beside the Абай district).

:func:`score` runs a matcher over the set and counts true positives, false positives and
false negatives per language; precision and recall follow.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from kense.text.matcher import LexiconEntry, Matcher

__all__ = ["GOLD", "GOLD_LEXICON", "Score", "gold_entries", "gold_matcher", "score"]

# key: (kind, spellings, long_surname)
GOLD_LEXICON: dict[str, tuple[str, tuple[str, ...], bool]] = {
    "nukenov": ("person", ("Абзал Нүкенов", "Нүкенов"), False),
    "altynbekov": ("person", ("Бекзат Алтынбеков", "Алтынбеков"), True),
    "kusaiyn": ("person", ("Ерлан Құсайын", "Құсайын", "Кусаин"), False),
    "zhumagulov": ("person", ("Айтбай Жұмағұлов", "Жұмағұлов"), True),
    "beisembekova": ("person", ("Нұрсахан Бейсембекова", "Бейсембекова"), True),
    "akhmetov": ("person", ("Қамбар Ахметов", "Ахметов"), False),
    "zhumekenov": ("person", ("Еркебұлан Жұмекенов", "Жұмекенов"), True),
    "abisheva": ("person", ("Гүлмира Әбішева", "Гульмира Абишева", "Әбішева"), False),
    "internal_policy": (
        "organization",
        ("ішкі саясат басқармасы", "управление внутренней политики"),
        False,
    ),
    "project_office": (
        "organization",
        ("Рухани жаңғыру жобалық кеңсесі", "жобалық кеңсе", "проектный офис"),
        False,
    ),
    "culture": (
        "organization",
        (
            "мәдениет, архив және құжаттама басқармасы",
            "управление культуры, архивов и документации",
        ),
        False,
    ),
    "economy": ("organization", ("экономика басқармасы", "управление экономики"), False),
    "tulgatanu": ("organization", ("Тұлғатану", "Тұлғатану ғылыми-зерттеу орталығы"), False),
    "saryarqa": ("organization", ("Saryarqa Aqparat", "Сарыарқа Ақпарат"), True),
    "karaganda_region": ("territory", ("Қарағанды облысы", "Карагандинская область"), False),
    "karaganda_city": ("territory", ("Қарағанды", "Караганда"), False),
    "temirtau": ("territory", ("Теміртау",), False),
    "balkhash": ("territory", ("Балқаш", "Балхаш"), False),
    "zhezkazgan": ("territory", ("Жезқазған",), False),
    "abai_district": ("territory", ("Абай ауданы", "Абайский район"), False),
    "rukhani": ("program", ("Рухани жаңғыру",), False),
    "auyl": ("program", ("Ауыл – ел бесігі",), False),
    "tugan_zher": ("project", ("Туған жер",), False),
    "arkhiv": ("project", ("Архив-2025",), False),
    "uly_dala": ("project", ("Ұлы даланың ұлы есімдері",), False),
}

#: (language, sentence, expected keys — one per mention, in any order)
GOLD: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    # --- Kazakh ---------------------------------------------------------------------------
    ("kk", "Облыс әкімінің орынбасары Абзал Нүкенов жаңа жоспарды бекітті.", ("nukenov",)),
    ("kk", "Кеңесті Нүкеновтің өзі жүргізді.", ("nukenov",)),
    ("kk", "Жиналыста НҮКЕНОВТІҢ ұсынысы қолдау тапты.", ("nukenov",)),
    ("kk", "Хатқа А.Нүкенов қол қойып, аудандарға жіберді.", ("nukenov",)),
    ("kk", "Есепті Абзал Нүкеновке тапсырды.", ("nukenov",)),
    ("kk", "Нүкеновпен кездесу сәрсенбіге белгіленді.", ("nukenov",)),
    ("kk", "Журналистер Нүкеновтен сұхбат алды.", ("nukenov",)),
    ("kk", "Газетте Нүкеновтың деп қате жазылған.", ()),
    (
        "kk",
        "Бекзат Алтынбеков «Рухани жаңғыру» бағдарламасы туралы баяндады.",
        ("altynbekov", "rukhani"),
    ),
    ("kk", "Алтынбековтің пікірі жас ғалымдарға ұнады.", ("altynbekov",)),
    ("kk", "Кеңесші Б.Алтынбеков аудандарды аралады.", ("altynbekov",)),
    ("kk", "Алтынбековтен кейін сөз Ахметовке берілді.", ("altynbekov", "akhmetov")),
    (
        "kk",
        "Ерлан Құсайын ішкі саясат басқармасының жұмысын таныстырды.",
        ("kusaiyn", "internal_policy"),
    ),
    ("kk", "Құсайынның айтуынша, былтырғы нәтиже төмен болды.", ("kusaiyn",)),
    ("kk", "Сұрақтарды Ерлан Құсайынға жолдаңыздар.", ("kusaiyn",)),
    ("kk", "Ішкі саясат басқармасы Теміртауда семинар өткізеді.", ("internal_policy", "temirtau")),
    (
        "kk",
        "Облыстық ішкі саясат басқармасы басшысының орынбасары сөз сөйледі.",
        ("internal_policy",),
    ),
    ("kk", "Ішкі саясат басқармасымен келісім жасалды.", ("internal_policy",)),
    (
        "kk",
        "Ішкі саясат басқармасындағы кеңесте Нүкенов сөз алды.",
        ("internal_policy", "nukenov"),
    ),
    (
        "kk",
        "Айтбай Жұмағұлов жобалық кеңсенің басшысы болып тағайындалды.",
        ("zhumagulov", "project_office"),
    ),
    ("kk", "Жұмағұловтың баяндамасы ұзаққа созылды.", ("zhumagulov",)),
    ("kk", "Жұмағұловқа жаңа штат бөлінді.", ("zhumagulov",)),
    ("kk", "Жобалық кеңседе жаңа қызметкерлер жұмыс істейді.", ("project_office",)),
    ("kk", "Рухани жаңғыру жобалық кеңсесінің есебі дайын.", ("project_office",)),
    ("kk", "Жобалық кеңсемен бірлесе отырып жұмыс жандандырылады.", ("project_office",)),
    (
        "kk",
        "Рухани жаңғыру бағдарламасының облыстағы үйлестірушісі — Айтбай Жұмағұлов.",
        ("rukhani", "zhumagulov"),
    ),
    (
        "kk",
        "Алтынбеков, Құсайын және Жұмағұлов жұмыс тобына енді.",
        ("altynbekov", "kusaiyn", "zhumagulov"),
    ),
    ("kk", "Тарихшы Нұрсахан Бейсембекова жаңа кітабын таныстырды.", ("beisembekova",)),
    (
        "kk",
        "Бейсембекованың зерттеуі Тұлғатану орталығында жүргізілді.",
        ("beisembekova", "tulgatanu"),
    ),
    ("kk", "Бұл ұсынысты Бейсембековаға жіберіңіз.", ("beisembekova",)),
    ("kk", "Ғалым Бейсенбекова жаңа әдістемені ұсынды.", ("beisembekova",)),
    ("kk", "Бейсембекова мен Әбішева баяндама жасады.", ("beisembekova", "abisheva")),
    ("kk", "Ахметов пен Бейсембекова бірлескен жоба дайындады.", ("akhmetov", "beisembekova")),
    ("kk", "«Тұлғатану» ғылыми-зерттеу орталығы әдістемелік нұсқаулық шығарды.", ("tulgatanu",)),
    ("kk", "Нұсқаулықты Тұлғатану ғылыми-зерттеу орталығының мамандары әзірледі.", ("tulgatanu",)),
    ("kk", "Тұлғатанудың ғалымдары ауылдарға шықты.", ("tulgatanu",)),
    (
        "kk",
        "Қамбар Ахметов «Saryarqa Aqparat» медиахолдингінің жоспарын айтты.",
        ("akhmetov", "saryarqa"),
    ),
    ("kk", "Saryarqa Aqparat-тың тілшілері Балқашқа барды.", ("saryarqa", "balkhash")),
    ("kk", "Ахметовтің айтуынша, сайт оқырмандары көбейген.", ("akhmetov",)),
    ("kk", "Saryarqa Aqparat ЖШС директоры Қамбар Ахметов сұхбат берді.", ("saryarqa", "akhmetov")),
    ("kk", "Сарыарқа Ақпараттың сайтында жаңа айдар ашылды.", ("saryarqa",)),
    ("kk", "Жаңалықты Saryarq aqparat тілшісі жазды.", ("saryarqa",)),
    (
        "kk",
        "Еркебұлан Жұмекенов мәдениет, архив және құжаттама басқармасының жұмысы туралы айтты.",
        ("zhumekenov", "culture"),
    ),
    (
        "kk",
        "Жұмекеновтің есебінде «Туған жер» жобасы ерекше аталды.",
        ("zhumekenov", "tugan_zher"),
    ),
    ("kk", "Мәдениет, архив және құжаттама басқармасына хат жолданды.", ("culture",)),
    ("kk", "Еркебұлан Жұмекеновтің орынбасары да қатысты.", ("zhumekenov",)),
    (
        "kk",
        "Құсайынмен келісілген жоспар Жұмекеновке жіберілді.",
        ("kusaiyn", "zhumekenov"),
    ),
    (
        "kk",
        "Гүлмира Әбішева «Ауыл – ел бесігі» бағдарламасының барысын баяндады.",
        ("abisheva", "auyl"),
    ),
    ("kk", "Экономика басқармасы «Ауыл – ел бесігі» бойынша есеп берді.", ("economy", "auyl")),
    (
        "kk",
        "Экономика басқармасының мамандары Әбішевамен бірге ауылдарды аралады.",
        ("economy", "abisheva"),
    ),
    ("kk", "Экономика басқармасына ауыл жобалары бойынша өтінімдер түсті.", ("economy",)),
    ("kk", "Әбішеваға хат жолданды.", ("abisheva",)),
    ("kk", "Гүлмира Әбішеваның баяндамасы қысқа болды.", ("abisheva",)),
    ("kk", "Қарағанды облысында жүзден астам жоба жүзеге асты.", ("karaganda_region",)),
    ("kk", "Қарағанды облысының барлық аудандары жоспарды орындады.", ("karaganda_region",)),
    ("kk", "Қарағанды облыс ы бойынша көрсеткіштер жақсарды.", ("karaganda_region",)),
    ("kk", "Қарағанды облысымен шекаралас өңірлер тәжірибе алмасты.", ("karaganda_region",)),
    (
        "kk",
        "Қарағанды облысындағы Абай ауданы алдыңғы орында.",
        ("karaganda_region", "abai_district"),
    ),
    ("kk", "Қарағандыда жастар форумы өтті.", ("karaganda_city",)),
    ("kk", "Делегация Қарағандыдан Теміртауға аттанды.", ("karaganda_city", "temirtau")),
    ("kk", "Балқаштағы кітапхана жаңа жобаны бастады.", ("balkhash",)),
    ("kk", "Теміртаудағы мектептер нұсқаулықты алды.", ("temirtau",)),
    ("kk", "Жезқазған мен Балқаш қалаларының өкілдері келді.", ("zhezkazgan", "balkhash")),
    (
        "kk",
        "Жезқазғанда «Ұлы даланың ұлы есімдері» көрмесі өтті.",
        ("zhezkazgan", "uly_dala"),
    ),
    (
        "kk",
        "Абай ауданында «Туған жер» жобасы аясында мұражай ашылды.",
        ("abai_district", "tugan_zher"),
    ),
    ("kk", "Абай ауданының әкімдігі есеп берді.", ("abai_district",)),
    ("kk", "Абай Құнанбаевтың өлеңдері оқылды.", ()),
    ("kk", "Аудан әкімдері облыстық кеңеске қатысты.", ()),
    ("kk", "Облыстық басқармалар жұмысын күшейтуі тиіс.", ()),
    ("kk", "Ауылдық округтер мен аудандар өз жоспарларын ұсынды.", ()),
    ("kk", "Қаладағы кітапханалар жаңа кітаптар алды.", ()),
    ("kk", "Абзал мырза жиналысқа кешікті.", ()),
    ("kk", "Бекзат есімді студент сөз сөйледі.", ()),
    ("kk", "Қарағандылық жастар жобаға қатысты.", ()),
    ("kk", "Балқаштық балықшылар жарысқа шықты.", ()),
    ("kk", "Теміртаулық металлургтер концерт қойды.", ()),
    ("kk", "Ахмет атамыз ауылдың шежіресін айтты.", ()),
    (
        "kk",
        "Аудан-қалалар «Рухани жаңғыру» бағдарламасын белсенді жүзеге асыруы керек.",
        ("rukhani",),
    ),
    ("kk", "«РУХАНИ ЖАҢҒЫРУДЫ» іске асыру жоспары қаралды.", ("rukhani",)),
    ("kk", "Рухани жаңғырудың жаңа кезеңі басталды.", ("rukhani",)),
    ("kk", "«Рухани жаңғыруға» арналған көрме ашылды.", ("rukhani",)),
    ("kk", "«Архив-2025» жобасы бойынша құжаттар цифрландырылды.", ("arkhiv",)),
    ("kk", "«Ұлы даланың ұлы есімдері» жобасы аясында кітап шықты.", ("uly_dala",)),
    ("kk", "Туған жердің тарихын зерттеу жобасы «Туған жер» аясында өтті.", ("tugan_zher",) * 2),
    ("kk", "Нүкенов пен Алтынбеков бірлесіп жұмыс тобын құрды.", ("nukenov", "altynbekov")),
    (
        "kk",
        "Нүкенов, Құсайын, Жұмағұлов, Бейсембекова және Ахметов «Рухани жаңғыру» "
        "жобаларын талқылады.",
        ("nukenov", "kusaiyn", "zhumagulov", "beisembekova", "akhmetov", "rukhani"),
    ),
    (
        "kk",
        "Жұмекенов пен Әбішева «Туған жер» және «Ауыл – ел бесігі» бойынша есеп берді.",
        ("zhumekenov", "abisheva", "tugan_zher", "auyl"),
    ),
    (
        "kk",
        "Қарағандыдағы кеңесте Жұмағұловтың, Ахметовтің және Әбішеваның ұсыныстары қаралды.",
        ("karaganda_city", "zhumagulov", "akhmetov", "abisheva"),
    ),
    (
        "kk",
        "Теміртау, Балқаш және Жезқазған қалалары «Архив-2025» жобасына қосылды.",
        ("temirtau", "balkhash", "zhezkazgan", "arkhiv"),
    ),
    (
        "kk",
        "Нүкеновтің тапсырмасымен ішкі саясат басқармасы мен экономика басқармасы "
        "бірлескен жоспар жасады.",
        ("nukenov", "internal_policy", "economy"),
    ),
    ("kk", "Әбішева мен Ахметов Теміртауға барды.", ("abisheva", "akhmetov", "temirtau")),
    (
        "kk",
        "Қарағанды облысының әкімдігі Жұмекеновпен кездесті.",
        ("karaganda_region", "zhumekenov"),
    ),
    # --- Russian --------------------------------------------------------------------------
    ("ru", "Заместитель акима области Абзал Нукенов провёл совещание.", ("nukenov",)),
    ("ru", "Совещание под председательством Нукенова прошло онлайн.", ("nukenov",)),
    ("ru", "Доклад Нукенову представил Айтбай Жумагулов.", ("nukenov", "zhumagulov")),
    ("ru", "С Нукеновым согласовали план работы.", ("nukenov",)),
    ("ru", "Поручение А. Нукенова выполнено в срок.", ("nukenov",)),
    ("ru", "Внештатный советник Бекзат Алтынбеков выступил с докладом.", ("altynbekov",)),
    ("ru", "Вопрос адресовали Алтынбекову.", ("altynbekov",)),
    (
        "ru",
        "Ерлан Кусаин возглавляет управление внутренней политики.",
        ("kusaiyn", "internal_policy"),
    ),
    ("ru", "Управлению внутренней политики поручено подготовить анализ.", ("internal_policy",)),
    ("ru", "По данным управления внутренней политики, показатели выросли.", ("internal_policy",)),
    (
        "ru",
        "Руководитель проектного офиса Айтбай Жумагулов представил планы.",
        ("project_office", "zhumagulov"),
    ),
    (
        "ru",
        "Проектный офис перешёл в состав медиахолдинга «Saryarqa Aqparat».",
        ("project_office", "saryarqa"),
    ),
    (
        "ru",
        "Кандидат исторических наук Нурсахан Бейсембекова представила рекомендации.",
        ("beisembekova",),
    ),
    ("ru", "Рекомендации Бейсембековой одобрены.", ("beisembekova",)),
    ("ru", "Бейсенбековой вручили грамоту.", ("beisembekova",)),
    ("ru", "Центр «Тулгатану» подготовил пособие.", ("tulgatanu",)),
    (
        "ru",
        "Директор ТОО «Saryarqa Aqparat» Камбар Ахметов рассказал о сайте.",
        ("saryarqa", "akhmetov"),
    ),
    ("ru", "Интервью с Ахметовым опубликовано вчера.", ("akhmetov",)),
    ("ru", "Еркебулан Жумекенов отчитался о спецпроектах.", ("zhumekenov",)),
    ("ru", "Управление культуры, архивов и документации подготовило отчёт.", ("culture",)),
    ("ru", "Отчёт управления культуры, архивов и документации принят.", ("culture",)),
    (
        "ru",
        "Гульмира Абишева рассказала о программе «Ауыл – ел бесігі».",
        ("abisheva", "auyl"),
    ),
    ("ru", "По словам Абишевой, программа выполнена.", ("abisheva",)),
    (
        "ru",
        "Управление экономики курирует программу «Ауыл – ел бесігі».",
        ("economy", "auyl"),
    ),
    ("ru", "Письмо направлено в управление экономики.", ("economy",)),
    ("ru", "В Карагандинской области реализовано более двухсот проектов.", ("karaganda_region",)),
    ("ru", "Карагандинская область заняла третье место.", ("karaganda_region",)),
    ("ru", "Форум прошёл в Караганде.", ("karaganda_city",)),
    ("ru", "Делегация из Караганды посетила Темиртау.", ("karaganda_city", "temirtau")),
    ("ru", "В Балхаше открылась выставка.", ("balkhash",)),
    ("ru", "В Абайском районе прошла встреча.", ("abai_district",)),
    ("ru", "Жители Абайского района предложили новые идеи.", ("abai_district",)),
    ("ru", "Программа «Рухани жаңғыру» остаётся приоритетом.", ("rukhani",)),
    ("ru", "Спецпроект «Туған жер» объединил земляков.", ("tugan_zher",)),
    ("ru", "Проект «Архив-2025» продолжен.", ("arkhiv",)),
    ("ru", "В рамках проекта «Ұлы даланың ұлы есімдері» издана книга.", ("uly_dala",)),
    ("ru", "В Жезказгане прошёл семинар.", ("zhezkazgan",)),
    ("ru", "Районные акиматы представили отчёты.", ()),
    ("ru", "Областной акимат утвердил план.", ()),
    ("ru", "Стихи Абая читали школьники.", ()),
    ("ru", "Карагандинский металлург не связан с программой.", ()),
    ("ru", "Темиртауский завод выпустил сталь.", ()),
    ("ru", "Ахмет и Ерлан пришли на встречу.", ()),
    ("ru", "Нукенов и Кусаин обсудили итоги года.", ("nukenov", "kusaiyn")),
    ("ru", "Жумагулову поручено укомплектовать штат.", ("zhumagulov",)),
    (
        "ru",
        "Совещание с участием Алтынбекова и Бейсембековой прошло в Zoom.",
        ("altynbekov", "beisembekova"),
    ),
    (
        "ru",
        "Сотрудники проектного офиса встретились с Жумекеновым.",
        ("project_office", "zhumekenov"),
    ),
    ("ru", "Кусаину передали список.", ("kusaiyn",)),
    ("ru", "Отчёт подготовлен Абишевой и Жумекеновым.", ("abisheva", "zhumekenov")),
    (
        "ru",
        "В Карагандинской области и в Караганде работает проектный офис.",
        ("karaganda_region", "karaganda_city", "project_office"),
    ),
    (
        "ru",
        "Нукенов поручил Кусаину, Жумагулову и Ахметову подготовить план.",
        ("nukenov", "kusaiyn", "zhumagulov", "akhmetov"),
    ),
    (
        "ru",
        "Выступления Бейсембековой, Жумекенова и Абишевой прошли в Темиртау и Балхаше.",
        ("beisembekova", "zhumekenov", "abisheva", "temirtau", "balkhash"),
    ),
    (
        "ru",
        "Проекты «Туған жер», «Архив-2025» и «Рухани жаңғыру» обсудили в Жезказгане.",
        ("tugan_zher", "arkhiv", "rukhani", "zhezkazgan"),
    ),
    (
        "ru",
        "Управление экономики и управление внутренней политики отчитались перед Нукеновым.",
        ("economy", "internal_policy", "nukenov"),
    ),
    (
        "ru",
        "Алтынбеков и Ахметов посетили Абайский район Карагандинской области.",
        ("altynbekov", "akhmetov", "abai_district", "karaganda_region"),
    ),
)


def gold_entries() -> tuple[list[LexiconEntry], dict[int, str]]:
    """The gold lexicon as matcher entries, and the key of each entry's pk."""
    entries: list[LexiconEntry] = []
    keys: dict[int, str] = {}
    for pk, (key, (kind, spellings, long_surname)) in enumerate(GOLD_LEXICON.items(), start=1):
        entries.append(LexiconEntry(kind, pk, spellings, long_surname))
        keys[pk] = key
    return entries, keys


def gold_matcher() -> tuple[Matcher, dict[int, str]]:
    """A matcher over the gold lexicon, and the key of each pk."""
    entries, keys = gold_entries()
    return Matcher(entries), keys


@dataclass
class Score:
    """True and false positives and false negatives of a set of texts (of one language, one
    cause, or all), and the errors behind them."""

    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        expected = self.true_positives + self.false_negatives
        return self.true_positives / expected if expected else 1.0


def score(matcher: Matcher, keys: dict[int, str], *, tolerance: bool = True) -> dict[str, Score]:
    """Precision/recall counts per language ("kk", "ru") and in total ("all")."""
    scores = {"kk": Score(), "ru": Score(), "all": Score()}
    for language, sentence, expected in GOLD:
        got = Counter(keys[m.pk] for m in matcher.find(sentence, tolerance=tolerance))
        want = Counter(expected)
        tp = sum((got & want).values())
        fp = sum((got - want).values())
        fn = sum((want - got).values())
        for name in (language, "all"):
            bucket = scores[name]
            bucket.true_positives += tp
            bucket.false_positives += fp
            bucket.false_negatives += fn
            if fp or fn:
                bucket.errors.append(
                    f"{sentence}  missing={sorted((want - got).elements())} "
                    f"extra={sorted((got - want).elements())}"
                )
    return scores
