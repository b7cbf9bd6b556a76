"""Reading an article into Kense: its text, title, date and views, and the links it suggests.

An article arrives as pasted text, an uploaded file (.txt, .html, .docx, .pdf, checked by
content) or a saved HTML page. HTML is never rendered: its text is extracted with the standard
library's parser, scripts, styles and attributes (event handlers included) are dropped, and what
remains is plain text, escaped wherever it is shown. A PDF is read by the library's reader
(kense.documents.text: the pdftotext program, bounded); one without text is refused with a
message saying so.

The links are suggested by the lexicon-anchored matcher (`kense.text.matcher`) over what the
user may see; the user confirms them. Variants the matcher saw (Бейсенбекова for Бейсембекова)
are offered as aliases.
"""

from __future__ import annotations

import datetime
import importlib
import logging
import re
import time
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from html import escape
from html.parser import HTMLParser
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from kense.accounts.models import User
from kense.core.files import (
    check_archive,
    check_size,
    check_type,
    check_upload,
    is_xml,
    name_of,
    not_really,
)

logger = logging.getLogger(__name__)

# kense.text.matcher is written alongside; until it lands its types are not known here.
Match = Any
LexiconEntry = Any

UPLOAD_EXTENSIONS = ("txt", "html", "htm", "docx", "pdf")
KINDS = ("person", "organization", "territory", "program", "project")
KIND_LABELS = {
    "person": _("Person"),
    "organization": _("Organization"),
    "territory": _("Territory"),
    "program": _("Program"),
    "project": _("Special project"),
}
# Spellings shorter than this are too ambiguous to anchor a match (initials, codes).
MIN_SPELLING = 3
LONG_SURNAME = 7


def max_chars() -> int:
    return int(settings.KENSE_ARTICLE_MAX_CHARS)


# ---------------------------------------------------------------------------------------------
# HTML to text
# ---------------------------------------------------------------------------------------------

# Elements whose content is never text of the article.
SKIPPED = {
    "title",
    "script",
    "style",
    "noscript",
    "template",
    "iframe",
    "object",
    "embed",
    "svg",
    "head",
}
BLOCKS = {
    "p", "div", "br", "li", "ul", "ol", "tr", "table", "section", "article", "header",
    "footer", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "hr", "dd", "dt", "nav",
    "aside", "figure", "figcaption", "main",
}  # fmt: skip
HEADINGS = {"h1", "h2", "h3"}


class _TextExtractor(HTMLParser):
    """Collects the visible text of a page; attributes (onclick, href…) are never kept."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0
        self.in_title = False
        self.title = ""
        self.heading: str | None = None
        self.heading_parts: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title":
            self.in_title = True
        if tag in SKIPPED:
            self.skipping += 1
            return
        if tag in BLOCKS:
            self.parts.append("\n")
        if tag in HEADINGS and self.heading is None and self.heading_parts is None:
            self.heading_parts = []

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in BLOCKS and not self.skipping:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self.in_title = False
        if tag in SKIPPED:
            self.skipping = max(0, self.skipping - 1)
            return
        if tag in BLOCKS:
            self.parts.append("\n")
        if tag in HEADINGS and self.heading_parts is not None:
            heading = " ".join("".join(self.heading_parts).split())
            self.heading = heading or None
            self.heading_parts = None

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title += data
        if self.skipping:
            return
        self.parts.append(data)
        if self.heading_parts is not None:
            self.heading_parts.append(data)


def html_to_text(html: str) -> tuple[str, str]:
    """The visible text of an HTML page and its title (first heading, else <title>)."""
    parser = _TextExtractor()
    parser.feed(html)
    parser.close()
    text = normalize("".join(parser.parts))
    title = parser.heading or " ".join(parser.title.split())
    return text, title


def normalize(text: str) -> str:
    """Lines trimmed, runs of blank lines folded to one, no control characters."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\xa0", " ")
    text = "".join(ch for ch in text if ch in "\n\t" or ch >= " ")
    lines = [" ".join(line.split()) for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def looks_like_html(text: str) -> bool:
    return bool(re.search(r"<(html|body|head|p|div|h[1-6]|article|script|title)\b", text, re.I))


# ---------------------------------------------------------------------------------------------
# Files
# ---------------------------------------------------------------------------------------------


def _decode(data: bytes, name: str) -> str:
    if b"\x00" in data[:4096]:
        raise not_really(name)
    for encoding in ("utf-8-sig", "cp1251"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise not_really(name)


# Signatures of binary formats a text file must not start with.
BINARY_SIGNATURES = (b"%PDF-", b"PK\x03\x04", b"\x89PNG", b"\xff\xd8\xff", b"MZ", b"\x7fELF")


def read_upload(upload: Any) -> tuple[str, str]:
    """The text and title (possibly empty) of an uploaded article, checked by content.

    Raises ValidationError when the file is empty, too large, of a type not accepted, not what
    its extension claims, or a PDF without text.
    """
    name, extension = name_of(upload)
    if extension == "pdf":
        check_upload(upload, allowed=("pdf",))
        return _pdf_text(upload), ""
    if extension == "docx":
        check_upload(upload, allowed=("docx",))
        return _docx_text(upload, name), ""
    check_type(upload, UPLOAD_EXTENSIONS)
    check_size(upload)
    upload.seek(0)
    data = upload.read()
    if data.startswith(BINARY_SIGNATURES):
        raise not_really(name)
    content = _decode(data, name)
    check_raw_length(content)
    if extension in ("html", "htm"):
        if not looks_like_html(content):
            raise not_really(name)
        return html_to_text(content)
    return normalize(content), ""


def _pdf_text(upload: Any) -> str:
    # The library's reader (pdftotext, bounded in time and output): a scan, or a server
    # without poppler, gives no text, which is said rather than read as an empty article.
    from kense.documents.text import extract_text

    text = normalize(extract_text(upload, "pdf"))
    if not text:
        raise ValidationError(
            _(
                "No text could be read from this PDF (a scanned page, or the server cannot "
                "read PDF files). Send the article as .txt, .html or .docx, or paste its text."
            )
        )
    return text


def _docx_text(upload: Any, name: str) -> str:
    import docx  # python-docx, a dependency of the documents library

    # python-docx parses every XML part whole, at about 25 times its size in memory: their
    # size is checked first (KENSE_ZIP_MAX_XML_BYTES), not the text's length afterwards.
    check_archive(upload, parsed_whole=is_xml)
    try:
        document = docx.Document(upload)
    except (zipfile.BadZipFile, KeyError, ValueError) as error:
        raise not_really(name) from error
    finally:
        upload.seek(0)
    return normalize("\n".join(paragraph.text for paragraph in document.paragraphs))


def check_raw_length(raw: str) -> None:
    """Refuse, before it is read, a pasted text or page far longer than any article: a page
    holds its text and up to ten times as much markup."""
    limit = max_chars()
    if len(raw) > limit * 10:
        check_length(raw[: limit + 1])


def check_length(text: str) -> None:
    """Refuse an empty article and one over the limit, with messages saying which."""
    if not text.strip():
        raise ValidationError(_("The article is empty: there is no text to read."))
    limit = max_chars()
    if len(text) > limit:
        raise ValidationError(
            _(
                "The article is %(length)s characters long; the limit is %(limit)s. "
                "Send only the article itself."
            ),
            params={"length": len(text), "limit": limit},
        )


# ---------------------------------------------------------------------------------------------
# Title, date, views
# ---------------------------------------------------------------------------------------------

KK_MONTHS = [
    "қаңтар", "ақпан", "наурыз", "сәуір", "мамыр", "маусым",
    "шілде", "тамыз", "қыркүйек", "қазан", "қараша", "желтоқсан",
]  # fmt: skip
RU_MONTHS = [
    "январ", "феврал", "март", "апрел", "ма", "июн",
    "июл", "август", "сентябр", "октябр", "ноябр", "декабр",
]  # fmt: skip
EN_MONTHS = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
]  # fmt: skip

NUMERIC_DATE = re.compile(r"(?<!\d)(\d{1,2})[./](\d{1,2})[./](\d{4})(?!\d)")
ISO_DATE = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
KK_DATE = re.compile(
    r"(?<!\d)(\d{4})\s*(?:ж\.?|жылғы|жылы)?\s*(\d{1,2})\s+(" + "|".join(KK_MONTHS) + r")",
    re.IGNORECASE,
)
RU_DATE = re.compile(
    r"(?<!\d)(\d{1,2})\s+(января|февраля|марта|апреля|мая|июня|июля|августа|сентября|"
    r"октября|ноября|декабря)\s+(\d{4})",
    re.IGNORECASE,
)
EN_DATE = re.compile(
    r"(?<!\d)(\d{1,2})\s+(january|february|march|april|may|june|july|august|september|october|"
    r"november|december)\s+(\d{4})",
    re.IGNORECASE,
)


def _date(year: str, month: int, day: str) -> datetime.date | None:
    try:
        return datetime.date(int(year), month, int(day))
    except ValueError:
        return None


def _month(name: str, months: list[str]) -> int:
    lowered = name.lower()
    if months is RU_MONTHS and lowered.startswith("мар"):
        return 3
    for number, stem in enumerate(months, start=1):
        if lowered.startswith(stem):
            return number
    return 0


def extract_date(text: str) -> datetime.date | None:
    """The first date written in the text, in any of the usual forms."""
    found: list[tuple[int, datetime.date]] = []
    for match in NUMERIC_DATE.finditer(text):
        day = _date(match[3], int(match[2]), match[1])
        if day:
            found.append((match.start(), day))
    for match in ISO_DATE.finditer(text):
        day = _date(match[1], int(match[2]), match[3])
        if day:
            found.append((match.start(), day))
    for match in KK_DATE.finditer(text):
        day = _date(match[1], _month(match[3], KK_MONTHS), match[2])
        if day:
            found.append((match.start(), day))
    for match in RU_DATE.finditer(text):
        day = _date(match[3], _month(match[2], RU_MONTHS), match[1])
        if day:
            found.append((match.start(), day))
    for match in EN_DATE.finditer(text):
        day = _date(match[3], _month(match[2], EN_MONTHS), match[1])
        if day:
            found.append((match.start(), day))
    return min(found)[1] if found else None


NUMBER = r"(\d{1,3}(?:[ \u00a0\u202f]\d{3})+|\d+)"
VIEW_WORDS = r"(?:просмотр\w*|прочтени\w*|прочитано|қаралым\w*|көрілім\w*|оқылым\w*|views?)"
VIEW_PATTERNS = [
    re.compile(NUMBER + r"\s*рет\s+(?:қаралды|оқылды)", re.IGNORECASE),
    re.compile(r"(?:" + VIEW_WORDS + r"|қаралды|оқылды)\s*[:\-]?\s*" + NUMBER, re.IGNORECASE),
    re.compile(NUMBER + r"\s*" + VIEW_WORDS, re.IGNORECASE),
    re.compile(r"👁(?:\ufe0f)?\s*" + NUMBER),
    # News sites print the time and, on the next line, the counter under an eye icon.
    re.compile(r"^\s*\d{1,2}:\d{2}\s*\n\s*" + NUMBER + r"\s*$", re.MULTILINE),
]


def extract_views(text: str) -> int | None:
    """The view count the page shows, if it shows one."""
    for pattern in VIEW_PATTERNS:
        match = pattern.search(text)
        if match:
            return int(re.sub(r"\D", "", match[1]))
    return None


#: A title longer than this is a paragraph, not a heading: its first sentence is taken.
TITLE_CHARS = 200
# A line of the page's furniture, not its heading: a date, a time, a view count, a number.
_FURNITURE_WORDS = re.compile(
    r"\b(?:жарияланды|жариялан\w*|опубликовано|дата|posted|published|жаңартылды|обновлено)\b",
    re.IGNORECASE,
)


def _is_furniture(line: str) -> bool:
    """A date line («21.04.2020, 15:48», «Жарияланды: 2020 ж. 21 сәуір»), a view count
    («Оқылды: 27»), a time or a bare number: what a pasted page puts above its heading."""
    if extract_views(line) is not None and len(line) < 40:
        return True
    rest = _FURNITURE_WORDS.sub(" ", line)
    for pattern in (NUMERIC_DATE, ISO_DATE, KK_DATE, RU_DATE, EN_DATE):
        rest = pattern.sub(" ", rest)
    rest = re.sub(r"\d{1,2}:\d{2}|\b(?:ж|жыл\w*|года?|г)\b\.?|[\d\W_]", " ", rest, flags=re.I)
    return len(rest.strip()) < 3


def _first_sentence(paragraph: str) -> str:
    """The first sentence of a paragraph, or its first words when that is long too."""
    sentence = re.match(r".+?[.!?…](?=\s|$)", paragraph)
    if sentence and len(sentence[0]) <= TITLE_CHARS:
        return sentence[0].rstrip(".")
    cut = paragraph[:TITLE_CHARS].rsplit(" ", 1)[0].rstrip(",;:—- ")
    return cut + "…"


def extract_title(text: str, html_title: str = "") -> str:
    """The page's heading or title; else the first line of the text that is not the page's
    furniture (a date, a time, a view count), or, when that line is a whole paragraph, its
    first sentence. At most 500 characters."""
    title = html_title.strip()
    if not title:
        lines = (line.strip() for line in text.splitlines())
        title = next((line for line in lines if line and not _is_furniture(line)), "")
        if len(title) > TITLE_CHARS:
            title = _first_sentence(title)
    return title[:500]


# ---------------------------------------------------------------------------------------------
# Suggestions
# ---------------------------------------------------------------------------------------------


@dataclass
class Suggestion:
    kind: str
    pk: int
    label: str
    surfaces: list[str] = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.pk}"

    @property
    def kind_label(self) -> Any:
        return KIND_LABELS.get(self.kind, self.kind)


@dataclass
class Variant:
    """A spelling seen in the text that differs from the known one (a candidate alias)."""

    kind: str
    pk: int
    label: str
    seen: str
    known: str

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.pk}:{self.seen}"


@dataclass
class Article:
    text: str
    title: str = ""
    date: datetime.date | None = None
    views: int | None = None
    matches: list[Match] = field(default_factory=list)
    suggestions: list[Suggestion] = field(default_factory=list)
    variants: list[Variant] = field(default_factory=list)
    matcher_available: bool = True
    # Finding the names took longer than KENSE_ARTICLE_MATCH_SECONDS: no links are suggested.
    matcher_timed_out: bool = False

    def suggestion_keys(self) -> set[str]:
        return {suggestion.key for suggestion in self.suggestions}

    def variant_keys(self) -> set[str]:
        return {variant.key for variant in self.variants}


def matcher_module() -> Any:
    """The matcher, or None while it is not part of Kense yet."""
    try:
        return importlib.import_module("kense.text.matcher")
    except ImportError:
        return None


_QUOTES = re.compile(r"[«»\"“”„]")


def _spellings(values: Iterable[str | None]) -> tuple[str, ...]:
    """Each name as written and without its quotes («Рухани жаңғыру» and Рухани жаңғыру), at
    least MIN_SPELLING letters, each once."""
    seen: dict[str, None] = {}
    for value in values:
        if not value:
            continue
        spelling = value.strip()
        if len(spelling) >= MIN_SPELLING:
            seen.setdefault(spelling, None)
        if _QUOTES.search(value):
            unquoted = " ".join(_QUOTES.sub(" ", value).split())
            if len(unquoted) >= MIN_SPELLING:
                seen.setdefault(unquoted, None)
    return tuple(seen)


def build_lexicon(user: User, *, deadline: float | None = None) -> list[LexiconEntry]:
    """What the user may see, as matcher entries (names in kk/ru/en and aliases). Five
    queries whatever the size of the registry, read as values (a country's 70,000 names
    would cost seconds as model objects). Past `deadline` (a time.monotonic() value) raises
    the matcher's MatchTimeout."""
    from kense.programs.models import Program, Project
    from kense.registry.models import Organization, OrganizationKind, Person, Territory

    module = matcher_module()
    LexiconEntry = module.LexiconEntry

    def on_time(count: int) -> None:
        if deadline is not None and count % 500 == 0 and time.monotonic() >= deadline:
            raise module.MatchTimeout

    entries: list[Any] = []
    languages = ("kk", "ru", "en")
    people = Person.objects.restrict(user).values_list(
        "pk",
        *(f"surname_{code}" for code in languages),
        *(f"given_name_{code}" for code in languages),
        "aliases",
    )
    for pk, *names, aliases in people.iterator(chunk_size=5000):
        on_time(len(entries))
        surnames, given = names[:3], names[3:]
        full = [
            f"{given_name or ''} {surname}".strip()
            for surname, given_name in zip(surnames, given, strict=True)
            if surname
        ]
        entries.append(
            LexiconEntry(
                "person",
                pk,
                _spellings([*surnames, *full, *aliases]),
                long_surname=len(surnames[0] or surnames[1] or "") >= LONG_SURNAME,
            )
        )
    organizations = Organization.objects.restrict(user).values_list(
        "pk",
        *(f"{name}_{code}" for name in ("name", "short_name") for code in languages),
        "aliases",
        "kind",
    )
    for pk, *names, aliases, kind in organizations.iterator(chunk_size=5000):
        on_time(len(entries))
        # Outlets' names are the ones articles misspell (Saryarq aqparat): a one-letter
        # tolerance for them, as for long surnames.
        entries.append(
            LexiconEntry(
                "organization",
                pk,
                _spellings([*names, *aliases]),
                long_surname=kind == OrganizationKind.MEDIA,
            )
        )
    named: list[tuple[str, Any, tuple[str, ...]]] = [
        ("territory", Territory.objects.restrict(user), ()),
        ("program", Program.objects.restrict(user), ()),
        ("project", Project.objects.restrict(user), ("aliases",)),  # projects have other names
    ]
    for kind, queryset, more in named:
        rows = queryset.values_list("pk", *(f"name_{code}" for code in languages), *more)
        for pk, *names in rows.iterator(chunk_size=5000):
            on_time(len(entries))
            spellings = [*names[:3], *(names[3] if more else [])]
            entries.append(LexiconEntry(kind, pk, _spellings(spellings)))
    return [entry for entry in entries if entry.spellings]


def _labels(matches: Iterable[Match]) -> dict[tuple[str, int], str]:
    """The names, in the current language, of what was found (a query per kind found)."""
    from kense.programs.models import Program, Project
    from kense.registry.models import Organization, Person, Territory

    models: dict[str, type[Any]] = {
        "person": Person,
        "organization": Organization,
        "territory": Territory,
        "program": Program,
        "project": Project,
    }
    wanted: dict[str, set[int]] = {}
    for match in matches:
        wanted.setdefault(match.kind, set()).add(match.pk)
    labels: dict[tuple[str, int], str] = {}
    for kind, keys in wanted.items():
        for obj in models[kind]._default_manager.filter(pk__in=keys):
            labels[kind, obj.pk] = obj.full_name if kind == "person" else obj.name
    return labels


def suggest(article: Article, user: User) -> Article:
    """Fill in the matches, the suggested links and the variants seen, as the user may see.

    The work is bounded: past KENSE_ARTICLE_MATCH_SECONDS the article comes back without
    suggestions and `matcher_timed_out` set (the user links it by hand), rather than the
    request running on until the server kills it."""
    module = matcher_module()
    if module is None:
        article.matcher_available = False
        return article
    # Why a deadline: the lexicon is rebuilt per request from the user's whole scope, and with
    # tens of thousands of organizations building it and matching took minutes.
    deadline = time.monotonic() + settings.KENSE_ARTICLE_MATCH_SECONDS
    try:
        entries = build_lexicon(user, deadline=deadline)
        matches = module.Matcher(entries, deadline=deadline).find(
            article.text, tolerance=True, deadline=deadline
        )
    except module.MatchTimeout:
        logger.warning(
            "Matching an article for %s took over %s s; no links suggested.",
            user,
            settings.KENSE_ARTICLE_MATCH_SECONDS,
        )
        article.matcher_timed_out = True
        return article
    article.matches = sorted(matches, key=lambda match: (match.start, -match.end))
    labels = _labels(article.matches)
    suggestions: dict[tuple[str, int], Suggestion] = {}
    variants: dict[tuple[str, int, str], Variant] = {}
    for match in article.matches:
        key = (match.kind, match.pk)
        label = labels.get(key, match.spelling)
        suggestion = suggestions.setdefault(key, Suggestion(match.kind, match.pk, label))
        if match.surface not in suggestion.surfaces:
            suggestion.surfaces.append(match.surface)
        if match.variant and match.kind in ("person", "organization"):
            seen = match.variant
            variants.setdefault(
                (match.kind, match.pk, seen),
                Variant(match.kind, match.pk, label, seen, match.spelling),
            )
    order = {kind: index for index, kind in enumerate(KINDS)}
    article.suggestions = sorted(
        suggestions.values(), key=lambda s: (order.get(s.kind, 9), s.label)
    )
    article.variants = list(variants.values())
    return article


def read_article(
    *, text: str = "", html: str = "", upload: Any = None, user: User | None = None
) -> Article:
    """Read an article from exactly one source and suggest its links for `user`.

    Raises ValidationError for an unreadable, lying, empty or enormous article.
    """
    html_title = ""
    raw = html or text
    check_raw_length(raw)
    if upload is not None:
        body, html_title = read_upload(upload)
    elif html or looks_like_html(text):
        body, html_title = html_to_text(raw)
    else:
        body = normalize(text)
    check_length(body)
    article = Article(
        text=body,
        title=extract_title(body, html_title),
        date=extract_date(body),
        views=extract_views(body),
    )
    if user is not None:
        suggest(article, user)
    return article


def highlight(text: str, matches: Iterable[Match]) -> SafeString:
    """The text escaped, with the matched words in <mark>; lines kept. Never raw HTML."""
    pieces: list[str] = []
    position = 0
    for match in sorted(matches, key=lambda match: (match.start, -match.end)):
        if match.start < position or match.end > len(text):
            continue  # overlapping or stale: the first, longest match wins
        pieces.append(escape(text[position : match.start]))
        pieces.append(
            f'<mark class="match-{escape(match.kind)}" title="{escape(match.spelling)}">'
            f"{escape(text[match.start : match.end])}</mark>"
        )
        position = match.end
    pieces.append(escape(text[position:]))
    return mark_safe("".join(pieces).replace("\n", "<br>\n"))  # every piece escaped


def reviewed_article(text: str, user: User) -> Article:
    """The article as the review page sent it back: already plain text, read again as such
    (so the links confirmed are checked against the suggestions the user may see)."""
    check_raw_length(text)
    body = normalize(text)
    check_length(body)
    return suggest(Article(text=body), user)


# Letters only Kazakh uses: in Cyrillic, and in the Latin alphabets of 2018 (acute) and 2021.
KAZAKH_CYRILLIC = frozenset("әғқңөұүһі")
KAZAKH_LATIN = frozenset("äğñöūüşıáǵńóúý")
# Frequent Kazakh words in Latin letters (2021 and 2018 spellings), for a text typed without
# the special letters.
KAZAKH_LATIN_WORDS = frozenset(
    [
        "jäne",
        "jáne",
        "men",
        "üşin",
        "úshin",
        "boiynşa",
        "boıynsha",
        "bağdarlama",
        "bagdarlama",
        "oblysy",
        "oblysynyñ",
        "audany",
        "qalasy",
        "qalalyq",
        "jyly",
        "jylğy",
        "ruhani",
        "jañğyru",
        "jangyru",
        "bilim",
        "mädeniet",
        "ortalyğy",
        "kezdesu",
    ]
)
#: Share of a Cyrillic text's letters that must be Kazakh-only for it to be Kazakh: a Kazakh
#: text has about one in ten (ә, ғ, қ, ң, ө, ұ, ү, і); a Russian one quoting «Рухани жаңғыру»
#: a few in a thousand.
KAZAKH_SHARE = 0.02


def guess_language(text: str) -> str:
    """kk, ru or en, by the letters: a Cyrillic text is Kazakh when at least KAZAKH_SHARE of its
    letters are letters only Kazakh uses, Russian otherwise (one «жаңғыру» does not make it
    Kazakh); a Latin one is Kazakh when it has Kazakh Latin letters or frequent Kazakh words,
    English otherwise."""
    lowered = text.lower()
    cyrillic = latin = kazakh_cyrillic = kazakh_latin = 0
    for letter in lowered:
        if "а" <= letter <= "я" or letter == "ё":
            cyrillic += 1
        elif letter in KAZAKH_CYRILLIC:
            cyrillic += 1
            kazakh_cyrillic += 1
        elif "a" <= letter <= "z":
            latin += 1
        elif letter in KAZAKH_LATIN:
            latin += 1
            kazakh_latin += 1
    if cyrillic >= latin and cyrillic:
        return "kk" if kazakh_cyrillic >= KAZAKH_SHARE * cyrillic else "ru"
    if latin:
        words = set(re.findall(r"[^\W\d_]+", lowered))
        if kazakh_latin >= KAZAKH_SHARE * latin or len(words & KAZAKH_LATIN_WORDS) >= 2:
            return "kk"
    return "en"
