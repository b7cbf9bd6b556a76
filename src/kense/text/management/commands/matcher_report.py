"""Print the matcher's precision and recall on the gold set, and its throughput.

manage.py matcher_report              # per language and in total, then tokens per second
manage.py matcher_report --errors     # also list the sentences it gets wrong
"""

from __future__ import annotations

import re
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from kense.text.gold import GOLD, gold_matcher, score

_WORDS = re.compile(r"[^\W_]+")


class Command(BaseCommand):
    help = "Report the Kazakh/Russian matcher's precision, recall and throughput."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--errors", action="store_true", help="list wrong sentences")
        parser.add_argument(
            "--tokens", type=int, default=200_000, help="tokens for the throughput run"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        matcher, keys = gold_matcher()
        scores = score(matcher, keys)
        mentions = sum(len(expected) for _lang, _text, expected in GOLD)
        self.stdout.write(f"gold: {len(GOLD)} sentences, {mentions} mentions")
        for name, bucket in scores.items():
            self.stdout.write(
                f"{name:>4}: precision {bucket.precision:.3f}  recall {bucket.recall:.3f}  "
                f"(tp {bucket.true_positives}, fp {bucket.false_positives}, "
                f"fn {bucket.false_negatives})"
            )
        if options["errors"]:
            for line in scores["all"].errors:
                self.stdout.write(f"  {line}")

        text = "\n".join(sentence for _lang, sentence, _expected in GOLD)
        per_copy = len(_WORDS.findall(text))
        copies = max(1, options["tokens"] // per_copy)
        big = "\n".join([text] * copies)
        tokens = per_copy * copies
        started = time.perf_counter()
        matcher.find(big)
        elapsed = time.perf_counter() - started
        self.stdout.write(
            f"throughput: {tokens} tokens in {elapsed:.3f} s = {tokens / elapsed:,.0f} tokens/s"
        )
