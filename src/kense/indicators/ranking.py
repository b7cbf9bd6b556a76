"""The ranking of cities and districts, as a pure function of values, targets and a method.

No database here: :func:`rank` takes plain rows, so the method can be checked on hand-computed
cases and property tests, rerun on past years, and measured apart from the queries that feed it.

The method, in order:

1. Each indicator is normalised to 0–150 (per cent of the target, capped at 150) or 0–100
   (min–max within the peer group). For a lower-is-better indicator, per cent of the target is
   target / value (half the target's overdue assignments is 200 %, capped at 150) and min–max is
   reversed. A zero, negative or missing target skips the indicator for that territory under
   per cent of the target; min–max needs no target. All equal values give everyone 100.
2. A territory's score is the weighted mean of the normalised values it has: an indicator
   without a value (or skipped) is reported and its weight is shared among the others, it is
   never counted as zero.
3. Ranks are within the peer group (cities with cities, districts with districts), ties share
   a rank ("1, 2, 2, 4"). Scores are compared rounded to 6 decimals, so that the order of
   floating-point sums cannot separate equal scores.
4. Low performers: the bottom quartile of the peer group (the ⌊n/4⌋ lowest ranks; a tie on the
   boundary is judged by the rank it shares, so no one is flagged for a tie with someone who
   is not), or a score under the threshold.
5. The explanation: for each indicator, its contribution (effective weight × normalised value)
   against the same weight × the peer group's mean normalised value; the difference says how
   much that indicator pulled the territory up or down. The differences add up to the score
   minus the peer-weighted mean.

Everything is computed in a fixed order (codes and territory keys sorted), so the result does
not depend on the order of the input rows.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Protocol

CAP = 150.0
PLACES = 6

Number = int | float | Decimal


class IndicatorLike(Protocol):
    """What the ranking needs of an indicator (an `Indicator` is one)."""

    @property
    def code(self) -> str: ...

    @property
    def higher_is_better(self) -> bool: ...


class MethodologyLike(Protocol):
    normalization: str
    weights: Mapping[str, Any]
    low_rule: str
    threshold: Any


@dataclass(frozen=True)
class Row:
    """One territory's value and target of one indicator (None when missing)."""

    territory: Hashable
    indicator: str
    value: Number | None
    target: Number | None = None


@dataclass(frozen=True)
class Contribution:
    indicator: str
    weight: float  # the effective weight: the methodology's, shared over available indicators
    normalized: float
    contribution: float  # weight × normalized
    peer_contribution: float  # weight × the peer group's mean normalized value
    difference: float  # contribution − peer_contribution: > 0 pulls up, < 0 pulls down


@dataclass
class TerritoryScore:
    territory: Hashable
    peer_group: Hashable
    score: float | None
    rank: int | None = None
    low: bool = False
    contributions: list[Contribution] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # no value
    skipped: list[str] = field(default_factory=list)  # no usable target

    @property
    def pulled_down(self) -> list[Contribution]:
        return [c for c in self.contributions if c.difference < 0]

    @property
    def pulled_up(self) -> list[Contribution]:
        return sorted(
            (c for c in self.contributions if c.difference > 0),
            key=lambda c: (-c.difference, c.indicator),
        )


@dataclass
class RankingResult:
    scores: dict[Hashable, TerritoryScore]
    # Per peer group, the territories by rank (those without a score last).
    groups: dict[Hashable, list[TerritoryScore]]

    def low_performers(self) -> list[TerritoryScore]:
        return [score for group in self.groups.values() for score in group if score.low]


def _float(value: Number | None) -> float | None:
    return None if value is None else float(value)


def _key(value: Hashable) -> tuple[str, str]:
    # Territory keys and peer groups may be ints or strings; sort them all the same way.
    return (type(value).__name__, f"{value:>20}" if isinstance(value, int) else str(value))


def _percent(value: float, target: float | None, higher_is_better: bool) -> float | None:
    if target is None or target <= 0:
        return None
    if higher_is_better:
        share = 100.0 * value / target
    else:
        share = CAP if value <= 0 else 100.0 * target / value
    return max(0.0, min(CAP, share))


def _min_max(value: float, low: float, high: float, higher_is_better: bool) -> float:
    if high == low:
        return 100.0
    share = (value - low) / (high - low) if higher_is_better else (high - value) / (high - low)
    return 100.0 * share


def _positive_weights(methodology: MethodologyLike, known: Mapping[str, bool]) -> dict[str, float]:
    weights = {}
    for code, weight in methodology.weights.items():
        if code in known and weight is not None and float(weight) > 0:
            weights[code] = float(weight)
    return weights


def rank(
    rows: Iterable[Row],
    indicators: Iterable[IndicatorLike] | Mapping[str, bool],
    methodology_like: MethodologyLike,
    peer_of: Mapping[Hashable, Hashable],
) -> RankingResult:
    """Rank the territories of `peer_of` (territory → peer group) by `methodology_like`.

    `indicators` are objects with `code` and `higher_is_better`, or a mapping code → higher is
    better. Rows of territories outside `peer_of`, of unknown indicators or of indicators
    without a positive weight are ignored. Two rows for the same territory and indicator are
    an error (the answer would depend on their order).
    """
    if isinstance(indicators, Mapping):
        better = {str(code): bool(flag) for code, flag in indicators.items()}
    else:
        better = {str(i.code): bool(i.higher_is_better) for i in indicators}
    weights = _positive_weights(methodology_like, better)
    codes = sorted(weights)

    values: dict[tuple[Hashable, str], tuple[float | None, float | None]] = {}
    for row in rows:
        if row.territory not in peer_of or row.indicator not in weights:
            continue
        key = (row.territory, row.indicator)
        if key in values:
            raise ValueError(f"Two rows for {row.territory!r} and {row.indicator!r}.")
        values[key] = (_float(row.value), _float(row.target))

    members: dict[Hashable, list[Hashable]] = {}
    for territory in sorted(peer_of, key=_key):
        members.setdefault(peer_of[territory], []).append(territory)

    # Normalised values per (territory, code); None when the territory has no value, absent
    # when skipped for want of a target.
    normalized: dict[tuple[Hashable, str], float] = {}
    missing: dict[Hashable, list[str]] = {t: [] for t in peer_of}
    skipped: dict[Hashable, list[str]] = {t: [] for t in peer_of}
    min_max = methodology_like.normalization == "min_max"
    for territories in members.values():
        for code in codes:
            present: dict[Hashable, float] = {}
            for t in territories:
                value = values.get((t, code), (None, None))[0]
                if value is not None:
                    present[t] = value
            for t in territories:
                if t not in present:
                    missing[t].append(code)
            if min_max:
                if not present:
                    continue
                low, high = min(present.values()), max(present.values())
                for t, value in present.items():
                    normalized[(t, code)] = _min_max(value, low, high, better[code])
            else:
                for t, value in present.items():
                    share = _percent(value, values[(t, code)][1], better[code])
                    if share is None:
                        skipped[t].append(code)
                    else:
                        normalized[(t, code)] = share

    scores: dict[Hashable, TerritoryScore] = {}
    groups: dict[Hashable, list[TerritoryScore]] = {}
    for group, territories in sorted(members.items(), key=lambda item: _key(item[0])):
        peer_mean = {}
        for code in codes:
            available = [normalized[(t, code)] for t in territories if (t, code) in normalized]
            if available:
                peer_mean[code] = sum(available) / len(available)
        group_scores = []
        for t in territories:
            own = [code for code in codes if (t, code) in normalized]
            total_weight = sum(weights[code] for code in own)
            contributions = []
            for code in own:
                weight = weights[code] / total_weight
                contribution = weight * normalized[(t, code)]
                peer = weight * peer_mean[code]
                contributions.append(
                    Contribution(
                        code, weight, normalized[(t, code)], contribution, peer, contribution - peer
                    )
                )
            contributions.sort(key=lambda c: (c.difference, c.indicator))
            score = sum(c.contribution for c in contributions) if contributions else None
            entry = TerritoryScore(
                t, group, score, contributions=contributions, missing=missing[t], skipped=skipped[t]
            )
            scores[t] = entry
            group_scores.append(entry)
        _rank_group(group_scores, methodology_like)
        group_scores.sort(
            key=lambda s: (s.rank is None, s.rank or 0, _key(s.territory)),
        )
        groups[group] = group_scores
    return RankingResult(scores=scores, groups=groups)


def _rank_group(group: list[TerritoryScore], methodology: MethodologyLike) -> None:
    scored = [s for s in group if s.score is not None]
    rounded = {id(s): round(s.score, PLACES) for s in group if s.score is not None}
    for s in scored:
        s.rank = 1 + sum(1 for other in scored if rounded[id(other)] > rounded[id(s)])
    if methodology.low_rule == "threshold":
        if methodology.threshold is None:
            return
        threshold = float(methodology.threshold)
        for s in scored:
            s.low = rounded[id(s)] < threshold
        return
    quarter = len(scored) // 4
    for s in scored:
        s.low = quarter > 0 and (s.rank or 0) > len(scored) - quarter
