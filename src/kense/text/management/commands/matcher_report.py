"""Print the matcher's precision and recall, beside plain substring matching, and its speed.

manage.py matcher_report              # the news set's two halves, the gold sentences, speed
manage.py matcher_report --errors     # also list the development half's errors (and gold's)

The news set (kense.text.news): a development half, looked at while tuning, and a held-out
half, scored here only: its errors are never listed.
"""

from __future__ import annotations

import re
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from kense.text import news
from kense.text.gold import GOLD, gold_matcher, score
from kense.text.matcher import Matcher

_WORDS = re.compile(r"[^\W_]+")


def _line(name: str, bucket: Any) -> str:
    return (
        f"{name:>18}: precision {bucket.precision:.3f}  recall {bucket.recall:.3f}  "
        f"(tp {bucket.true_positives}, fp {bucket.false_positives}, fn {bucket.false_negatives})"
    )


class Command(BaseCommand):
    help = "Report the Kazakh/Russian matcher's precision, recall and throughput."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--errors", action="store_true", help="list the development half's errors"
        )
        parser.add_argument(
            "--tokens", type=int, default=200_000, help="tokens for the throughput run"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        lexicon = news.news_lexicon()
        matcher = Matcher(lexicon.entries)
        self.stdout.write(f"news lexicon: {len(lexicon.entries)} entries")
        for half in news.HALVES:
            texts = news.load_texts(half)
            mentions = sum(len(text.mentions) for text in texts)
            self.stdout.write(f"\n{half}: {len(texts)} texts, {mentions} mentions")
            found = news.score(texts, news.matcher_finder(matcher, lexicon))
            plain = news.score(texts, news.baseline(lexicon))
            self.stdout.write(_line("matcher", found.all))
            self.stdout.write(_line("substring baseline", plain.all))
            for language, bucket in sorted(found.languages.items()):
                self.stdout.write(_line(f"matcher, {language}", bucket))
                self.stdout.write(_line(f"baseline, {language}", plain.languages[language]))
            self.stdout.write("  recall by cause (matcher / baseline):")
            for cause in news.CAUSES:
                if cause in found.causes:
                    ours, theirs = found.causes[cause], plain.causes.get(cause, news.Bucket())
                    total = ours.true_positives + ours.false_negatives
                    self.stdout.write(
                        f"    {cause:>18}: {ours.recall:.3f} / {theirs.recall:.3f}  ({total})"
                    )
            if options["errors"] and half == "dev":
                for line in found.errors:
                    self.stdout.write(f"  {line}")

        gold_matcher_, keys = gold_matcher()
        scores = score(gold_matcher_, keys)
        mentions = sum(len(expected) for _lang, _text, expected in GOLD)
        self.stdout.write(f"\ngold sentences: {len(GOLD)} sentences, {mentions} mentions")
        for name, gold_bucket in scores.items():
            self.stdout.write(_line(name, gold_bucket))
        if options["errors"]:
            for line in scores["all"].errors:
                self.stdout.write(f"  {line}")

        text = "\n".join(sentence for _lang, sentence, _expected in GOLD)
        per_copy = len(_WORDS.findall(text))
        copies = max(1, options["tokens"] // per_copy)
        big = "\n".join([text] * copies)
        tokens = per_copy * copies
        started = time.perf_counter()
        gold_matcher_.find(big)
        elapsed = time.perf_counter() - started
        self.stdout.write(
            f"throughput: {tokens} tokens in {elapsed:.3f} s = {tokens / elapsed:,.0f} tokens/s"
        )
