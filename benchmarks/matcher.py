"""Throughput and build of kense.text.matcher on one core.

    .venv/bin/python benchmarks/matcher.py            # the gold lexicon, ~500,000 tokens
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kense_bench \\
        .venv/bin/python benchmarks/matcher.py --user gen-office-00   # a national registry

Without --user it repeats the gold sentences to ~500,000 tokens over the gold lexicon. With
--user it reads the whole registry from the database as each process does once
(kense.media.lexicon: the national dataset of `manage.py generate --scale national` has
73,000 entries), prints the time to read it, the time and the memory (resident set growth)
to build the matcher, the time of one ingest for that user (refresh, matching, scope, names)
and of a refresh after one change, and matches the gold sentences, the news set's texts
and the stored publications' texts, copied to ~100,000 tokens, over it. Tokens per second
are the best of three runs, with and without the tolerance, "cold" (each copy read by a
matcher that has read nothing before: no word of it looked up already), "warm" (the
words of earlier copies remembered, as a process's matcher remembers earlier articles') and,
with --user, "seasoned": a matcher that has read other texts (the gold sentences and the
news set's development half) reads texts it has not seen (the held-out half and the stored
publications), each copy as new to it as the first. Cold is a process's first article;
seasoned is what a process that has served some articles does with the next, whose words it
has partly met (the language's common words, the type words, the region's places) and
partly not (new names, new inflections); warm repeats one text and flatters.
It measures; it asserts nothing. It prints, first and last, how long a fixed loop of plain
Python took (`machine_ms`): a shared machine is not always as fast, and figures are
comparable only beside it.
"""

from __future__ import annotations

import argparse
import gc
import os
import re
import sys
import time
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kense.settings")
django.setup()

from kense.text import news  # noqa: E402
from kense.text.gold import GOLD, gold_matcher  # noqa: E402
from kense.text.matcher import Matcher  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))

from machine import machine_ms  # noqa: E402

TOKENS = re.compile(r"[^\W_]+")


def resident_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6


def national(username: str) -> tuple[Matcher, str, int, tuple[str, str]]:
    from kense.accounts.models import User
    from kense.core.permissions import Action
    from kense.media import ingest, lexicon
    from kense.media.models import Publication
    from kense.registry.models import Person

    user = User.objects.get(username=username)
    started = time.perf_counter()
    entries = lexicon.all_entries()
    read = time.perf_counter() - started
    gc.collect()
    before = resident_mb()
    started = time.perf_counter()
    matcher = lexicon.build(entries)  # as the process builds its matcher
    built = time.perf_counter() - started
    print(
        f"{len(entries):,} entries (the whole registry): read in {read:.2f} s, matcher built "
        f"in {built:.2f} s (together {read + built:.2f} s), memory +{resident_mb() - before:.0f} MB"
    )
    texts = [sentence for _lang, sentence, _expected in GOLD]
    texts += [text.body for half in news.HALVES for text in news.load_texts(half)]
    texts += Publication.objects.exclude(text="").values_list("text", flat=True)[:200]
    # An ingest as the page does it, with the process's matcher built: the refresh from the
    # registry's history, the matching, the scope, the names. The best of five.
    lexicon.matcher()
    article = "\n".join(texts[:40])
    words = len(TOKENS.findall(article))
    best = float("inf")
    for _run in range(5):
        started = time.perf_counter()
        read_back = ingest.read_article(text=article, user=user)
        best = min(best, time.perf_counter() - started)
    print(
        f"ingest of a {words:,}-word text for {username}: {best * 1000:.0f} ms "
        f"({len(read_back.suggestions)} links suggested, {len(read_back.choices)} close calls)"
    )
    # A change in the registry reaches the matcher by the next ingest: one person renamed.
    person = Person.objects.restrict(user, Action.CHANGE).order_by("pk").first()
    if person is not None:
        from kense.registry.services import person_save

        person.aliases = [*person.aliases, "Бенчмарков"]
        person_save(person, user=user)
        started = time.perf_counter()
        lexicon.matcher()
        refreshed = time.perf_counter() - started
        person.aliases = person.aliases[:-1]
        person_save(person, user=user)
        lexicon.matcher()
        print(f"refresh after one change: {refreshed * 1000:.0f} ms")
    seen = [sentence for _lang, sentence, _expected in GOLD]
    seen += [text.body for text in news.load_texts("dev")]
    unseen = [text.body for text in news.load_texts("heldout")]
    unseen += Publication.objects.exclude(text="").values_list("text", flat=True)[200:400]
    return matcher, "\n".join(texts), 100_000, ("\n".join(seen), "\n".join(unseen))


def seasoned(matcher: Matcher, seen: str, unseen: str, target: int) -> None:
    """Tokens per second of a matcher that has read ``seen`` reading ``unseen`` (see the
    module's docstring), with and without the tolerance: the best of three."""
    per_copy = len(TOKENS.findall(unseen))
    copies = max(1, target // per_copy)
    for tolerance in (False, True):
        matcher.forget_words()
        matcher.find(seen, tolerance=tolerance)
        # What reading `seen` left in the matcher's memory of words, put back before each
        # copy (outside the timing), so that every copy is new to it.
        memory = (dict(matcher._roots_memo), dict(matcher._near_memo))
        best = float("inf")
        found = 0
        for _run in range(3):
            spent = 0.0
            found = 0
            for _copy in range(copies):
                matcher._roots_memo, matcher._near_memo = dict(memory[0]), dict(memory[1])
                started = time.perf_counter()
                found += len(matcher.find(unseen, tolerance=tolerance))
                spent += time.perf_counter() - started
            best = min(best, spent)
        tokens = per_copy * copies
        print(
            f"tolerance={tolerance!s:5} seasoned  {tokens:,} tokens, {found:,} matches, "
            f"{best:.3f} s: {tokens / best:,.0f} tokens/s"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--user", default="", help="read this user's lexicon from the database")
    options = parser.parse_args()
    print(f"machine: the reference loop took {machine_ms():.0f} ms")
    reading: tuple[str, str] | None = None
    if options.user:
        matcher, text, target, reading = national(options.user)
    else:
        matcher, _keys = gold_matcher()
        text = "\n".join(sentence for _lang, sentence, _expected in GOLD)
        target = 500_000
    per_copy = len(TOKENS.findall(text))
    copies = max(1, target // per_copy)
    tokens = per_copy * copies
    for tolerance in (False, True):
        for memo in ("cold", "warm"):
            best = float("inf")
            found = 0
            for _run in range(3):
                matcher.forget_words()  # what earlier runs looked up
                started = time.perf_counter()
                found = 0
                for _copy in range(copies):
                    if memo == "cold":
                        # Each copy read as a new text by a matcher that has read nothing
                        # (a repeated text would find its words already looked up).
                        matcher.forget_words()
                    found += len(matcher.find(text, tolerance=tolerance))
                best = min(best, time.perf_counter() - started)
            print(
                f"tolerance={tolerance!s:5} {memo}  {tokens:,} tokens, {found:,} matches, "
                f"{best:.3f} s: {tokens / best:,.0f} tokens/s"
            )
    if reading is not None:
        seasoned(matcher, *reading, target)


if __name__ == "__main__":
    main()
    print(f"machine: the reference loop took {machine_ms():.0f} ms")
