"""Throughput of kense.text.matcher on one core: the gold sentences repeated to ~500,000 tokens.

    .venv/bin/python benchmarks/matcher.py

Prints tokens per second (best of three runs, with and without the tolerance); asserts nothing.
"""

from __future__ import annotations

import os
import re
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kense.settings")
django.setup()

from kense.text.gold import GOLD, gold_matcher  # noqa: E402

TARGET_TOKENS = 500_000


def main() -> None:
    matcher, _keys = gold_matcher()
    text = "\n".join(sentence for _lang, sentence, _expected in GOLD)
    per_copy = len(re.findall(r"[^\W_]+", text))
    copies = max(1, TARGET_TOKENS // per_copy)
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
