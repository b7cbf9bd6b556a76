"""Reading articles: text from HTML without its scripts, title, date and views, bad input
refused, and the links and name variants the matcher suggests."""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from tests.bombs import docx_bomb

import kense
from factories import (
    OrganizationFactory,
    PersonFactory,
    ProgramFactory,
    ProjectFactory,
    TerritoryFactory,
    UserFactory,
)
from kense.core.permissions import Role
from kense.media import ingest
from kense.registry.models import OrganizationKind, TerritoryKind

# src/kense/__init__.py → the repository is parents[2]; the shared folder stands beside it.
SEED = Path(kense.__file__).resolve().parents[2].parent / "shared" / "seed"
SEED_ARTICLE = SEED / "000_87bea1415a213244.txt"


@pytest.fixture(autouse=True)
def _in_english() -> Any:
    """Messages in English, whatever language an earlier test left active."""
    with translation.override("en"):
        yield


# ---------------------------------------------------------------------------------------------
# HTML
# ---------------------------------------------------------------------------------------------

PAGE = """<!doctype html><html><head><title>Сайт · Жаңалықтар</title>
<style>body { color: red }</style><script>alert("stolen cookie")</script></head>
<body onload="alert('onload handler')"><nav>Басты бет</nav>
<h1>Кеңес <b>өтті</b></h1>
<p onclick="alert('click handler')">Бүгін <a href="javascript:alert(1)">облыста</a> кеңес өтті.</p>
<script type="text/javascript">document.write("injected text")</script>
<p>2020 ж. 21 сәуір</p><span>👁 437</span>
</body></html>"""


def test_html_loses_its_scripts_styles_and_handlers() -> None:
    text, title = ingest.html_to_text(PAGE)

    assert title == "Кеңес өтті"
    assert "Бүгін облыста кеңес өтті." in text
    for never in ("alert", "stolen cookie", "injected text", "color: red", "onclick", "javascript"):
        assert never not in text


def test_the_page_title_is_used_when_there_is_no_heading() -> None:
    assert ingest.html_to_text("<title> Жай  бет </title><p>Мәтін</p>") == ("Мәтін", "Жай бет")


def test_a_pasted_page_is_read_as_html() -> None:
    article = ingest.read_article(text=PAGE)

    assert article.title == "Кеңес өтті"
    assert article.date == datetime.date(2020, 4, 21)
    assert article.views == 437
    assert "alert" not in article.text


# ---------------------------------------------------------------------------------------------
# Title, date, views
# ---------------------------------------------------------------------------------------------


def test_the_title_is_the_first_line_of_plain_text() -> None:
    article = ingest.read_article(text="\n\n  Онлайн кеңес өтті  \nМәтіні.")
    assert article.title == "Онлайн кеңес өтті"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Жарияланды: 21.04.2020, 15:48", datetime.date(2020, 4, 21)),
        ("2020 ж. 21 сәуір", datetime.date(2020, 4, 21)),
        ("2020 жылғы 3 наурызда", datetime.date(2020, 3, 3)),
        ("Опубликовано 21 апреля 2020 года", datetime.date(2020, 4, 21)),
        ("1 мая 2021", datetime.date(2021, 5, 1)),
        ("2020-04-21T15:48", datetime.date(2020, 4, 21)),
        ("Posted 21 April 2020", datetime.date(2020, 4, 21)),
        ("Тек 2020 жыл, күні жоқ; 31.02.2020 жоқ күн", None),
    ],
)
def test_dates_in_the_usual_forms(text: str, expected: datetime.date | None) -> None:
    assert ingest.extract_date(text) == expected


def test_the_first_date_in_the_text_wins() -> None:
    assert ingest.extract_date("21 апреля 2020 … 01.01.2019") == datetime.date(2020, 4, 21)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("437 рет қаралды", 437),
        ("Просмотров: 437", 437),
        ("просмотры 1 204", 1204),
        ("views 437", 437),
        ("437 views", 437),
        ("👁 437", 437),
        ("Мәтін.\n\n15:48\n437\n\nЖШС", 437),
        ("Телефон: 8 (7102) 20-19-88", None),
    ],
)
def test_view_counts(text: str, expected: int | None) -> None:
    assert ingest.extract_views(text) == expected


# ---------------------------------------------------------------------------------------------
# Bad input
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "   \n\t ", "<html><script>alert(1)</script></html>"])
def test_an_empty_article_is_refused(text: str) -> None:
    with pytest.raises(ValidationError, match="empty"):
        ingest.read_article(text=text)


def test_an_enormous_article_is_refused_over_the_limit(settings: Any) -> None:
    settings.KENSE_ARTICLE_MAX_CHARS = 1000
    ingest.read_article(text="а" * 1000)
    with pytest.raises(ValidationError, match="1001 characters long; the limit is 1000"):
        ingest.read_article(text="а" * 1001)
    with pytest.raises(ValidationError, match="the limit is 1000"):
        ingest.read_article(html="<p>" + "а" * 50_000 + "</p>")


def docx_bytes(*paragraphs: str) -> bytes:
    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_text_html_and_docx_files_are_read() -> None:
    text = SimpleUploadedFile("a.txt", "Тақырып\nМәтін".encode())
    assert ingest.read_upload(text) == ("Тақырып\nМәтін", "")
    page = SimpleUploadedFile("a.html", PAGE.encode())
    assert ingest.read_upload(page)[1] == "Кеңес өтті"
    word = SimpleUploadedFile("a.docx", docx_bytes("Кеңес өтті", "Мәтіні."))
    assert ingest.read_upload(word) == ("Кеңес өтті\nМәтіні.", "")


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("article.txt", b"%PDF-1.4\n%binary"),
        ("article.txt", b"MZ\x90\x00\x03\x00\x00\x00"),
        ("article.html", "Жай мәтін, бет емес.".encode()),
        ("article.docx", "Жай мәтін".encode()),
        ("article.docx", b"PK\x03\x04not really a zip"),
    ],
)
def test_a_file_lying_about_its_type_is_refused(name: str, content: bytes) -> None:
    with pytest.raises(ValidationError, match="not really"):
        ingest.read_upload(SimpleUploadedFile(name, content))


def test_pdf_and_other_types_are_refused_with_a_reason() -> None:
    with pytest.raises(ValidationError, match="No text could be read from this PDF"):
        ingest.read_upload(SimpleUploadedFile("a.pdf", b"%PDF-1.4\n"))
    with pytest.raises(ValidationError, match="not accepted"):
        ingest.read_upload(SimpleUploadedFile("a.exe", b"MZ"))
    with pytest.raises(ValidationError, match="empty"):
        ingest.read_upload(SimpleUploadedFile("a.txt", b""))


def test_highlighting_escapes_the_text() -> None:
    match = type("M", (), {"kind": "person", "start": 9, "end": 16, "spelling": "Нүкенов"})()
    html = ingest.highlight("<b>x</b> Нүкенов & <script>", [match])
    assert html == (
        '&lt;b&gt;x&lt;/b&gt; <mark class="match-person" title="Нүкенов">Нүкенов</mark>'
        " &amp; &lt;script&gt;"
    )


# ---------------------------------------------------------------------------------------------
# Suggestions
# ---------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_suggestions_and_variants_within_the_users_scope() -> None:
    region = TerritoryFactory(name_kk="Қарағанды облысы", kind=TerritoryKind.REGION)
    district: Any = TerritoryFactory(name_kk="Жаңаарқа ауданы", parent=region)
    elsewhere = TerritoryFactory(name_kk="Алматы облысы", kind=TerritoryKind.REGION)
    scholar: Any = PersonFactory(
        surname_kk="Бейсембекова", given_name_kk="Нұрсахан", territory=district
    )
    stranger: Any = PersonFactory(
        surname_kk="Сейітқалиев", given_name_kk="Марат", territory=elsewhere
    )
    outlet: Any = OrganizationFactory(
        name_kk="«Saryarqa Aqparat» ЖШС",
        short_name_kk="Saryarqa Aqparat",
        kind=OrganizationKind.MEDIA,
        territory=region,
    )
    program: Any = ProgramFactory(name_kk="Рухани жаңғыру")
    project: Any = ProjectFactory(name_kk="Тұлғатану", program=program, territory=region)
    user = UserFactory(role=Role.COORDINATOR, territory=district)
    text = (
        "Кеңесте Нұрсахан Бейсенбекова мен Марат Сейітқалиев сөйледі. «Рухани жаңғыру» "
        "бағдарламасы туралы «Saryarq aqparat» медиахолдингі жазды. Жаңаарқа ауданында "
        "«Тұлғатану» жобасы жалғасады."
    )

    article = ingest.read_article(text=text, user=user)

    keys = article.suggestion_keys()
    assert f"person:{scholar.pk}" in keys
    assert f"person:{stranger.pk}" not in keys  # outside the coordinator's scope
    assert f"territory:{district.pk}" in keys
    assert f"program:{program.pk}" in keys
    assert f"project:{project.pk}" not in keys  # the region's project is not the district's
    assert {(v.kind, v.pk) for v in article.variants} >= {("person", scholar.pk)}
    seen = {v.seen for v in article.variants}
    assert any("Бейсенбекова" in spelling for spelling in seen)
    assert f"organization:{outlet.pk}" not in keys  # the regional outlet is not in the district

    office = UserFactory(role=Role.PROJECT_OFFICE, territory=region)
    article = ingest.read_article(text=text, user=office)
    assert f"organization:{outlet.pk}" in article.suggestion_keys()
    assert f"project:{project.pk}" in article.suggestion_keys()
    assert any(
        v.pk == outlet.pk and v.seen.casefold() == "saryarq aqparat" for v in article.variants
    )
    assert '<mark class="match-person"' in ingest.highlight(article.text, article.matches)


def read_seed_article() -> tuple[ingest.Article, Callable[[Any, str], str]]:
    """The demo loaded, the seed article read by the project office, and a function naming
    the suggestion key of the object a lookup finds."""
    # The shared folder stands beside the repository wherever Kense is tested (CI too).
    assert SEED_ARTICLE.exists(), f"{SEED_ARTICLE} is missing"
    from tests.demo_snapshot import demo_in_transaction

    from kense.accounts.models import User

    demo_in_transaction()
    office = User.objects.get(username="office")
    article = ingest.read_article(text=SEED_ARTICLE.read_text(encoding="utf-8"), user=office)

    def key(queryset: Any, kind: str) -> str:
        return f"{kind}:{queryset.get().pk}"

    return article, key


@pytest.mark.django_db
def test_the_seed_article_links_everybody_and_everything_it_names() -> None:
    # One test: reading the seed article needs the whole demo, which costs seconds to load.
    from kense.programs.models import Program, Project
    from kense.registry.models import Organization, Person, Territory

    article, key = read_seed_article()
    keys = article.suggestion_keys()
    expected = {
        name: key(Person.objects.filter(surname_kk=name), "person")
        for name in (
            "Нүкенов",
            "Алтынбеков",
            "Құсайын",
            "Жұмағұлов",
            "Бейсембекова",
            "Ахметов",
            "Жұмекенов",
            "Әбішева",
        )
    }
    organizations = Organization.objects.all()
    for short_name in ("Internal Policy Department", "Economy Department", "Tulgatanu"):
        expected[short_name] = key(organizations.filter(short_name_en=short_name), "organization")
    expected["Saryarqa Aqparat"] = key(
        organizations.filter(short_name_en="Saryarqa Aqparat"), "organization"
    )
    expected["project office"] = key(
        organizations.filter(kind=OrganizationKind.PROJECT_OFFICE), "organization"
    )
    expected["Karaganda region"] = key(
        Territory.objects.filter(kind=TerritoryKind.REGION, name_en__startswith="Karaganda"),
        "territory",
    )
    for name in ("Рухани жаңғыру", "Ауыл – ел бесігі"):
        expected[name] = key(Program.objects.filter(name_kk=name), "program")
    expected["Culture Department"] = key(
        organizations.filter(short_name_en="Culture Department"), "organization"
    )
    for name in (
        "Қазақстанның киелі жерлерінің географиясы",
        "Дала фольклоры мен музыкасының мың жылы",
        "Ұлы даланың ұлы есімдері",
    ):
        expected[name] = key(Project.objects.filter(name_kk=name), "project")

    missing = sorted(name for name, wanted in expected.items() if wanted not in keys)
    assert missing == []
    scholar = Person.objects.get(surname_kk="Бейсембекова")
    seen = [v.seen for v in article.variants if (v.kind, v.pk) == ("person", scholar.pk)]
    assert any("Бейсенбекова" in spelling for spelling in seen)
    outlet = organizations.get(short_name_en="Saryarqa Aqparat")
    seen = [v.seen for v in article.variants if (v.kind, v.pk) == ("organization", outlet.pk)]
    # Flagged as a variant, unless the demo already knows the spelling as an alias.
    known = [alias.casefold() for alias in outlet.aliases]
    assert [s.casefold() for s in seen] == (
        [] if "saryarq aqparat" in known else ["saryarq aqparat"]
    )
    assert article.views == 437


# ---------------------------------------------------------------------------------------------
# Bounded work: decompression bombs, enormous pages, the matcher's deadline
# ---------------------------------------------------------------------------------------------


def test_a_docx_packed_like_a_zip_bomb_is_refused_before_it_is_parsed() -> None:
    # 100,000 paragraphs, 50 KB: python-docx once parsed them all before the length was checked.
    upload = SimpleUploadedFile("article.docx", docx_bomb())

    with pytest.raises(ValidationError) as refused:
        ingest.read_article(upload=upload)

    assert refused.value.messages[0].startswith("The file article.docx unpacks to ")
    assert "«zip bomb»" in refused.value.messages[0]


def test_a_docx_whose_xml_is_larger_than_any_article_is_refused_before_it_is_parsed(
    settings: Any,
) -> None:
    # Packed loosely enough to pass the ratio, its XML still unpacks past what is parsed whole.
    settings.KENSE_ZIP_MAX_RATIO = 10_000
    settings.KENSE_ZIP_MAX_XML_BYTES = 1_000_000
    upload = SimpleUploadedFile("article.docx", docx_bomb())

    with translation.override("ru"):
        with pytest.raises(ValidationError) as refused:
            ingest.read_article(upload=upload)
        message = refused.value.messages[0]

    assert message.startswith("Текст и оформление файла article.docx распаковываются в ")
    assert message.endswith("; предел — 976,6\xa0КБ.")


def test_an_uploaded_page_far_longer_than_an_article_is_refused_before_it_is_parsed(
    settings: Any,
) -> None:
    settings.KENSE_ARTICLE_MAX_CHARS = 1000
    page = SimpleUploadedFile("a.html", ("<p>" + "а" * 50_000 + "</p>").encode())

    with pytest.raises(ValidationError, match="1001 characters long; the limit is 1000"):
        ingest.read_article(upload=page)


@pytest.mark.django_db
def test_matching_past_its_time_leaves_the_links_to_the_user(settings: Any) -> None:
    region = TerritoryFactory(name_kk="Қарағанды облысы", kind=TerritoryKind.REGION)
    PersonFactory(surname_kk="Бейсембекова", given_name_kk="Нұрсахан", territory=region)
    office = UserFactory(role=Role.PROJECT_OFFICE, territory=region)
    text = "Кеңесте Нұрсахан Бейсембекова Қарағанды облысы туралы сөйледі."
    assert ingest.read_article(text=text, user=office).suggestions

    settings.KENSE_ARTICLE_MATCH_SECONDS = 0
    article = ingest.read_article(text=text, user=office)

    assert article.matcher_timed_out
    assert (article.suggestions, article.variants, article.matches) == ([], [], [])
    assert article.text == text  # the article itself is read all the same


# ---------------------------------------------------------------------------------------------
# Language, title and views of pasted text
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Қарағанды облысында «Рухани жаңғыру» бағдарламасы бойынша кеңес өтті.", "kk"),
        (
            "В Карагандинской области прошло совещание по программе «Рухани жаңғыру». "
            "Участники обсудили ход реализации специальных проектов в городах и районах, "
            "итоги первого квартала и планы на лето.",
            "ru",
        ),
        ("Qarağandy oblysynda «Ruhani jañğyru» bağdarlamasy boiynşa keñes ötti.", "kk"),
        ("Qaragandy oblysynda Ruhani jangyru bagdarlamasy boiynsha kezdesu boldy.", "kk"),
        ("Qaraǵandy oblysynda «Rýhanı jańǵyrý» baǵdarlamasy boıynsha keńes ótti.", "kk"),
        ("A meeting on the Rukhani Zhangyru programme was held in Karaganda.", "en"),
        ("", "en"),
    ],
)
def test_the_language_is_told_by_the_share_of_letters_only_kazakh_uses(
    text: str, expected: str
) -> None:
    assert ingest.guess_language(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("21.04.2020, 15:48\nЖастар кездесуі өтті\n\nМәтін.", "Жастар кездесуі өтті"),
        ("Жарияланды: 2020 ж. 21 сәуір\n👁 27\nСаранда форум өтті\nМәтін.", "Саранда форум өтті"),
        (
            "Опубликовано 21 апреля 2020 года\nПросмотров: 27\nВ Сарани прошёл форум",
            "В Сарани прошёл форум",
        ),
        (
            "Саран қаласында «100 жаңа есім» жобасы бойынша кездесу өтті. "
            + "Кездесуге қаланың мектептері мен колледждерінің оқушылары, мұғалімдер, "
            + "ардагерлер және жобаның лауреаттары қатысты, олар өз тәжірибелерімен бөлісіп, "
            + "жастарға кеңес берді.",
            "Саран қаласында «100 жаңа есім» жобасы бойынша кездесу өтті",
        ),
    ],
)
def test_the_title_is_the_first_line_that_is_not_a_date_or_a_counter(
    text: str, expected: str
) -> None:
    assert ingest.extract_title(text) == expected


def test_a_paragraph_without_a_short_sentence_gives_its_first_words() -> None:
    words = " ".join(["ұзын"] * 80)
    title = ingest.extract_title(words)
    assert title.endswith("…") and len(title) <= ingest.TITLE_CHARS + 1
    assert title.startswith("ұзын ұзын") and "  " not in title


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Оқылды: 27", 27), ("27 рет оқылды", 27), ("Прочитано 1 204", 1204), ("Оқылым: 5", 5)],
)
def test_read_counts_are_views_too(text: str, expected: int) -> None:
    assert ingest.extract_views(text) == expected
