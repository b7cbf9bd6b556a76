"""Throughput and build of kense.text.matcher on one core.

    .venv/bin/python benchmarks/matcher.py            # the gold lexicon, ~500,000 tokens
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kense_bench \\
        .venv/bin/python benchmarks/matcher.py --user gen-office-00   # a national registry

Without --user it repeats the gold sentences to ~500,000 tokens over the gold lexicon. With
--user it reads that user's whole lexicon from the database as an ingest does
(kense.media.ingest.build_lexicon: the national dataset of `manage.py generate --scale
national` gives the country's office 73,000 entries), prints the time to read it, the time
and the memory (resident set growth) to build the matcher, and matches the gold sentences
and the stored publications' texts, repeated to ~100,000 tokens, over it. Tokens per second
are the best of three runs, with and without the tolerance. It measures; it asserts nothing.
"""

from __future__ import annotations

import argparse
import gc
import os
import re
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kense.settings")
django.setup()

from kense.text.gold import GOLD, gold_matcher  # noqa: E402
from kense.text.matcher import Matcher  # noqa: E402

TOKENS = re.compile(r"[^\W_]+")


def resident_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6


def national(username: str) -> tuple[Matcher, str, int]:
    from kense.accounts.models import User
    from kense.media import ingest
    from kense.media.models import Publication

    user = User.objects.get(username=username)
    started = time.perf_counter()
    entries = ingest.build_lexicon(user)
    read = time.perf_counter() - started
    gc.collect()
    before = resident_mb()
    started = time.perf_counter()
    matcher = Matcher(entries)
    built = time.perf_counter() - started
    gc.collect()
    print(
        f"{len(entries):,} entries: read in {read:.2f} s, matcher built in {built:.2f} s "
        f"(together {read + built:.2f} s), memory +{resident_mb() - before:.0f} MB"
    )
    texts = [sentence for _lang, sentence, _expected in GOLD]
    texts += Publication.objects.exclude(text="").values_list("text", flat=True)[:200]
    return matcher, "\n".join(texts), 100_000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--user", default="", help="read this user's lexicon from the database")
    options = parser.parse_args()
    if options.user:
        matcher, text, target = national(options.user)
    else:
        matcher, _keys = gold_matcher()
        text = "\n".join(sentence for _lang, sentence, _expected in GOLD)
        target = 500_000
    per_copy = len(TOKENS.findall(text))
    copies = max(1, target // per_copy)
    big = "\n".join([text] * copies)
    tokens = per_copy * copies
    for tolerance in (False, True):
        best = float("inf")
        found = 0
        for _run in range(3):
            started = time.perf_counter()
            found = len(matcher.find(big, tolerance=tolerance))
            best = min(best, time.perf_counter() - started)
        print(
            f"tolerance={tolerance!s:5}  {tokens:,} tokens, {found:,} matches, "
            f"{best:.3f} s: {tokens / best:,.0f} tokens/s"
        )


if __name__ == "__main__":
    main()
