"""A labelled set of news texts for measuring :mod:`kense.text.matcher` as a reader reads.

The texts (``news/dev/*.txt`` and ``news/heldout/*.txt``) are Kense's own, written in the
style of regional news about «Рухани жаңғыру» project offices, in Kazakh (Cyrillic and Latin)
and Russian; ``news/lexicon.toml`` is the registry they are read against, written as an office
would load it, with deliberate ambiguities and distractors. The entries are made from it by
the same code that makes them from the database (:func:`kense.media.lexicon.make_entry`).

A text file is a header (``language: kk|ru|kk-latn``, optionally ``territory: <key>``, the
territory the publication is about), a ``---`` line, and the body, where each mention is
marked ``[[surface|key]]`` or ``[[surface|key|cause,cause]]``. Everything not marked is not a
mention: a match there is a false positive.

The development half is the one looked at while tuning the matcher; the held-out half is
scored only by ``manage.py matcher_report``, which lists the errors of the development half
alone. A match counts when its entry is the mention's and their spans overlap.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from kense.text.entries import make_entry
from kense.text.gold import Score as Bucket
from kense.text.kazakh import fold
from kense.text.matcher import Context, LexiconEntry, Matcher

__all__ = ["HALVES", "NewsText", "Score", "baseline", "load_texts", "news_lexicon", "score"]

NEWS = Path(__file__).with_name("news")
HALVES = ("dev", "heldout")
KINDS = ("person", "organization", "territory", "program", "direction", "project")
CAUSES = (
    "plain",
    "case",
    "plural",
    "coordination",
    "bare_territory",
    "ambiguity",
    "short_name",
    "patronymic",
    "initial",
    "misspelling",
    "latin_in_cyrillic",
    "soft_hyphen",
    "direction",
    "latin_kazakh",
    "alias",
)
_MENTION = re.compile(r"\[\[([^\[\]|]+)\|([a-z0-9_]+)(?:\|([a-z_,]+))?\]\]")


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    key: str
    causes: tuple[str, ...]


@dataclass
class NewsText:
    name: str
    half: str
    language: str
    territory: str | None
    body: str
    mentions: list[Mention]


def parse(name: str, half: str, raw: str) -> NewsText:
    """A text file read: its header and its body with the marks taken out."""
    header, separator, marked = raw.partition("\n---\n")
    if not separator:
        raise ValueError(f"{name}: no '---' line after the header")
    fields = dict(
        (key.strip(), value.strip())
        for key, _colon, value in (line.partition(":") for line in header.splitlines() if line)
    )
    body: list[str] = []
    mentions: list[Mention] = []
    position = length = 0
    for found in _MENTION.finditer(marked):
        body.append(marked[position : found.start()])
        length += found.start() - position
        surface, key, causes = found[1], found[2], found[3] or "plain"
        mentions.append(Mention(length, length + len(surface), key, tuple(causes.split(","))))
        body.append(surface)
        length += len(surface)
        position = found.end()
    body.append(marked[position:])
    text = "".join(body)
    if "[[" in text or "]]" in text:
        raise ValueError(f"{name}: a mark is not closed or not of the form [[surface|key]]")
    return NewsText(name, half, fields["language"], fields.get("territory"), text, mentions)


def load_texts(half: str) -> list[NewsText]:
    return [
        parse(path.name, half, path.read_text(encoding="utf-8"))
        for path in sorted((NEWS / half).glob("*.txt"))
    ]


@dataclass
class NewsLexicon:
    entries: list[LexiconEntry]
    key_of: dict[tuple[str, int], str]
    pk_of: dict[str, int]
    places: dict[int, tuple[int, ...]]


@cache
def news_lexicon() -> NewsLexicon:
    """The entries of ``news/lexicon.toml``, made as the registry's are."""
    data = tomllib.loads((NEWS / "lexicon.toml").read_text(encoding="utf-8"))
    pk_of: dict[str, int] = {}
    for kind in KINDS:
        for key in data.get(kind, {}):
            pk_of[key] = len(pk_of) + 1
    territories = data.get("territory", {})

    def path(key: str) -> str:
        parts = []
        while key:
            parts.append(str(pk_of[key]))
            key = territories[key].get("parent", "")
        return "/" + "/".join(reversed(parts)) + "/"

    places = {
        pk_of[key]: tuple(int(p) for p in reversed(path(key).strip("/").split("/")))
        for key in territories
    }
    entries: list[LexiconEntry] = []
    key_of: dict[tuple[str, int], str] = {}
    for kind in KINDS:
        for key, values in data.get(kind, {}).items():
            row: dict[str, Any] = {
                "aliases": values.get("aliases", []),
                "kind": values.get("kind", ""),
            }
            for name, by_language in values.items():
                if isinstance(by_language, dict):
                    for code, value in by_language.items():
                        row[f"{name}_{code}"] = value
            for name in ("territory", "program", "direction", "parent"):
                if isinstance(values.get(name), str):
                    row[f"{name}_id"] = pk_of[values[name]]
            if kind == "territory":
                row["path"] = path(key)
            pk = pk_of[key]
            entries.append(make_entry(kind, pk, row, places))
            key_of[kind, pk] = key
    return NewsLexicon(entries, key_of, pk_of, places)


# ---------------------------------------------------------------------------------------------
# Scoring
# ---------------------------------------------------------------------------------------------


@dataclass
class Score:
    """Counts of one half: in all, per language, and (recall) per cause."""

    all: Bucket = field(default_factory=Bucket)
    languages: dict[str, Bucket] = field(default_factory=dict)
    causes: dict[str, Bucket] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


Found = list[tuple[int, int, str]]  # (start, end, key)


def score(texts: Iterable[NewsText], find: Callable[[NewsText], Found]) -> Score:
    """Score what ``find`` finds in each text against its marks."""
    result = Score()
    for text in texts:
        found = find(text)
        language = result.languages.setdefault(text.language, Bucket())
        missed = list(text.mentions)
        for start, end, key in found:
            hit = next(
                (m for m in missed if m.key == key and m.start < end and start < m.end), None
            )
            for bucket in (result.all, language):
                if hit is None:
                    bucket.false_positives += 1
                else:
                    bucket.true_positives += 1
            if hit is None:
                result.errors.append(f"{text.name}: extra {key} «{text.body[start:end]}»")
                continue
            missed.remove(hit)
            for cause in hit.causes:
                result.causes.setdefault(cause, Bucket()).true_positives += 1
        for mention in missed:
            result.all.false_negatives += 1
            language.false_negatives += 1
            for cause in mention.causes:
                result.causes.setdefault(cause, Bucket()).false_negatives += 1
            surface = text.body[mention.start : mention.end]
            result.errors.append(
                f"{text.name}: missed {mention.key} «{surface}» ({','.join(mention.causes)})"
            )
    return result


def matcher_finder(matcher: Matcher, lexicon: NewsLexicon) -> Callable[[NewsText], Found]:
    """What the matcher finds in a text, as an ingest reads it (with the tolerance, the
    publication's territory as context)."""

    def find(text: NewsText) -> Found:
        places = frozenset({lexicon.pk_of[text.territory]}) if text.territory else frozenset()
        matches = matcher.find(text.body, tolerance=True, context=Context(places=places))
        return [(m.start, m.end, lexicon.key_of[m.kind, m.pk]) for m in matches]

    return find


def baseline(lexicon: NewsLexicon) -> Callable[[NewsText], Found]:
    """Plain substring matching: each spelling, folded, wherever the folded text holds it,
    the longest first, never overlapping; the first entry of a spelling answers."""
    spellings: dict[str, str] = {}
    for entry in lexicon.entries:
        for spelling in (*entry.spellings, *entry.weak):
            spellings.setdefault(fold(spelling), lexicon.key_of[entry.kind, entry.pk])
    ordered = sorted(spellings, key=len, reverse=True)

    def find(text: NewsText) -> Found:
        folded = fold(text.body)
        if len(folded) != len(text.body):
            folded = text.body.casefold()
        taken = bytearray(len(folded))
        found: Found = []
        for spelling in ordered:
            start = folded.find(spelling)
            while start >= 0:
                end = start + len(spelling)
                if not any(taken[start:end]):
                    taken[start:end] = b"\x01" * (end - start)
                    found.append((start, end, spellings[spelling]))
                start = folded.find(spelling, end)
        return found

    return find
