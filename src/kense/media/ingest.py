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
from django.utils.translation import get_language
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
from kense.media import lexicon
from kense.text.matcher import Match, MatchTimeout

logger = logging.getLogger(__name__)

UPLOAD_EXTENSIONS = ("txt", "html", "htm", "docx", "pdf")
KINDS = lexicon.KINDS
KIND_LABELS = {
    "person": _("Person"),
    "organization": _("Organization"),
    "territory": _("Territory"),
    "program": _("Program"),
    "direction": _("Direction"),
    "project": _("Special project"),
}
# Why a candidate ranks where it does (kense.text.matcher.Candidate.reasons).
REASON_LABELS = {
    "chosen": _("chosen before for this name in your territory"),
    "territory": _("in your territory"),
    "sentence": _("a place of it is named in the same sentence"),
    "text": _("a place of it is named in the text"),
    "type_word": _("the word next to the name says what it is"),
}


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
class Entity:
    """An entry of the registry as the review page names it: the key of its link, its kind."""

    kind: str
    pk: int
    label: str

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.pk}"

    @property
    def kind_label(self) -> Any:
        return KIND_LABELS.get(self.kind, self.kind)


@dataclass
class Suggestion(Entity):
    surfaces: list[str] = field(default_factory=list)


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
class Option(Entity):
    """One entity a shared name may stand for, as the review page offers it."""

    score: int
    reasons: list[Any]
    where: str = ""  # the territory it is in (a village's district), to tell namesakes apart


@dataclass
class Choice:
    """A name several entities share, too close to call by the text: the reader picks, and
    the office's pick is remembered for the next texts of its territory."""

    name: str  # folded: what the choice is kept under
    surface: str  # as the text first writes it
    options: list[Option]

    @property
    def keys(self) -> set[str]:
        return {option.key for option in self.options}


@dataclass
class Article:
    text: str
    title: str = ""
    date: datetime.date | None = None
    views: int | None = None
    matches: list[Match] = field(default_factory=list)
    suggestions: list[Suggestion] = field(default_factory=list)
    choices: list[Choice] = field(default_factory=list)
    variants: list[Variant] = field(default_factory=list)
    # Finding the names took longer than KENSE_ARTICLE_MATCH_SECONDS: no links are suggested.
    matcher_timed_out: bool = False

    def suggestion_keys(self) -> set[str]:
        return {suggestion.key for suggestion in self.suggestions}

    def link_keys(self) -> set[str]:
        """Every link the review may confirm: the suggestions and each choice's options."""
        return self.suggestion_keys() | {key for choice in self.choices for key in choice.keys}

    def variant_keys(self) -> set[str]:
        return {variant.key for variant in self.variants}


def _labels(keys: Iterable[tuple[str, int]]) -> dict[tuple[str, int], str]:
    """The names, in the current language, of what was found (a query per kind found)."""
    models = lexicon.models_by_kind()
    wanted: dict[str, set[int]] = {}
    for kind, pk in keys:
        wanted.setdefault(kind, set()).add(pk)
    labels: dict[tuple[str, int], str] = {}
    for kind, pks in wanted.items():
        for obj in models[kind]._default_manager.filter(pk__in=pks):
            labels[kind, obj.pk] = obj.full_name if kind == "person" else obj.name  # type: ignore[attr-defined]
    return labels


# Where each kind of entry stands: a territory under its parent, the rest in their territory.
_WHERE = {
    "territory": "parent__name",
    "organization": "territory__name",
    "person": "territory__name",
    "project": "territory__name",
}


def _wheres(keys: Iterable[tuple[str, int]]) -> dict[tuple[str, int], str]:
    """The territory each of these entries stands in, by name (a query per kind)."""
    models = lexicon.models_by_kind()
    wanted: dict[str, set[int]] = {}
    for kind, pk in keys:
        if kind in _WHERE:
            wanted.setdefault(kind, set()).add(pk)
    language = (get_language() or "kk")[:2]
    wheres: dict[tuple[str, int], str] = {}
    for kind, pks in wanted.items():
        # The name in the page's language, else in Kazakh (values_list takes a field once).
        fields = dict.fromkeys([f"{_WHERE[kind]}_{language}", f"{_WHERE[kind]}_kk"])
        rows = models[kind]._default_manager.filter(pk__in=pks).values_list("pk", *fields)
        wheres.update(((kind, pk), next((n for n in names if n), "")) for pk, *names in rows)
    return wheres


def suggest(article: Article, user: User) -> Article:
    """Fill in the matches, the suggested links, the close calls and the variants seen, as the
    user may see them, with the process's matcher (kense.media.lexicon).

    The work is bounded: past KENSE_ARTICLE_MATCH_SECONDS the article comes back without
    suggestions and `matcher_timed_out` set (the user links it by hand), rather than the
    request running on until the server kills it."""
    matcher = lexicon.matcher()
    deadline = time.monotonic() + settings.KENSE_ARTICLE_MATCH_SECONDS
    try:
        matches = matcher.find(
            article.text,
            tolerance=True,
            deadline=deadline,
            visible=lexicon.visible_to(user),
            context=lexicon.context_for(user),
        )
    except MatchTimeout:
        logger.warning(
            "Matching an article for %s took over %s s; no links suggested.",
            user,
            settings.KENSE_ARTICLE_MATCH_SECONDS,
        )
        article.matcher_timed_out = True
        return article
    article.matches = sorted(matches, key=lambda match: (match.start, -match.end))
    labels = _labels(
        {(m.kind, m.pk) for m in matches}
        | {(c.kind, c.pk) for m in matches if m.close for c in m.candidates}
    )
    wheres = _wheres({(c.kind, c.pk) for m in matches if m.close for c in m.candidates})
    suggestions: dict[tuple[str, int], Suggestion] = {}
    choices: dict[tuple[str, frozenset[tuple[str, int]]], Choice] = {}
    variants: dict[tuple[str, int, str], Variant] = {}
    for match in article.matches:
        key = (match.kind, match.pk)
        label = labels.get(key, match.spelling)
        if match.close:
            options = frozenset((c.kind, c.pk) for c in match.candidates)
            choices.setdefault(
                (match.name, options),
                Choice(
                    match.name,
                    match.surface,
                    [
                        Option(
                            c.kind,
                            c.pk,
                            labels.get((c.kind, c.pk), match.spelling),
                            c.score,
                            [REASON_LABELS[reason] for reason in c.reasons],
                            wheres.get((c.kind, c.pk), ""),
                        )
                        for c in match.candidates
                    ],
                ),
            )
        else:
            suggestion = suggestions.setdefault(key, Suggestion(match.kind, match.pk, label))
            if match.surface not in suggestion.surfaces:
                suggestion.surfaces.append(match.surface)
        if match.variant:
            seen = match.variant
            variants.setdefault(
                (match.kind, match.pk, seen),
                Variant(match.kind, match.pk, label, seen, match.spelling),
            )
    order = {kind: index for index, kind in enumerate(KINDS)}
    article.suggestions = sorted(
        suggestions.values(), key=lambda s: (order.get(s.kind, 9), s.label)
    )
    # A choice whose entity is also named plainly elsewhere in the text is no longer open.
    plain = set(suggestions)
    article.choices = [
        choice
        for choice in choices.values()
        if not any((option.kind, option.pk) in plain for option in choice.options)
    ]
    article.variants = list(variants.values())
    return article


def choice_territory(user: User, territories: Iterable[Any]) -> Any:
    """The territory a text's choices are remembered for: where the user works (their
    territory, else their organization's), whose next texts they rank; for a user of the
    whole country, the deepest territory the publication is linked to."""
    if user.territory_id:
        return user.territory
    organization = getattr(user, "organization", None)
    if organization is not None and organization.territory_id:
        return organization.territory
    linked = sorted(territories, key=lambda territory: -len(territory.path))
    return linked[0] if linked else None


def chosen(article: Article, links: Iterable[str]) -> list[tuple[str, str, int]]:
    """The close calls the reader decided: (name, kind, pk) where exactly one option is among
    the confirmed ``links`` ("kind:pk")."""
    confirmed = set(links)
    decided = []
    for choice in article.choices:
        picked = [option for option in choice.options if option.key in confirmed]
        if len(picked) == 1:
            decided.append((choice.name, picked[0].kind, picked[0].pk))
    return decided


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
