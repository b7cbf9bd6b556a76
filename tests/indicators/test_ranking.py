"""The ranking method on small cases computed by hand, and its properties (hypothesis)."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kense.indicators.ranking import Row, rank


@dataclass
class Method:
    weights: dict[str, Any]
    normalization: str = "percent_of_target"
    low_rule: str = "bottom_quartile"
    threshold: Any = None
    extra: dict[str, Any] = field(default_factory=dict)


HIGHER = {"a": True, "b": True}


def test_percent_of_target_weighted_mean() -> None:
    rows = [
        Row("x", "a", 50, 100),  # 50
        Row("x", "b", 300, 100),  # 300 % capped at 150
        Row("y", "a", 100, 100),  # 100
        Row("y", "b", 100, 100),  # 100
    ]
    result = rank(rows, HIGHER, Method({"a": 3, "b": 1}), {"x": "d", "y": "d"})
    # x: (3×50 + 1×150) / 4 = 75; y: 100.
    assert result.scores["x"].score == pytest.approx(75)
    assert result.scores["y"].score == pytest.approx(100)
    assert [s.territory for s in result.groups["d"]] == ["y", "x"]
    assert result.scores["x"].rank == 2


def test_ties_share_a_rank() -> None:
    peers = {t: "d" for t in "pqrs"}
    rows = [Row("p", "a", 90, 100), Row("q", "a", 80, 100), Row("r", "a", 80, 100)]
    rows.append(Row("s", "a", 70, 100))
    result = rank(rows, HIGHER, Method({"a": 1}), peers)
    assert [result.scores[t].rank for t in "pqrs"] == [1, 2, 2, 4]


def test_missing_value_is_left_out_not_zero() -> None:
    rows = [Row("x", "a", 80, 100), Row("x", "b", None, 100), Row("y", "a", 60, 100)]
    rows.append(Row("y", "b", 100, 100))
    result = rank(rows, HIGHER, Method({"a": 1, "b": 1}), {"x": "d", "y": "d"})
    # x's weight of b goes to a: 80; y: (60 + 100) / 2 = 80. Equal, not x = 40.
    assert result.scores["x"].score == pytest.approx(80)
    assert result.scores["x"].missing == ["b"]
    assert result.scores["x"].rank == result.scores["y"].rank == 1


def test_zero_target_skips_the_indicator_for_that_territory() -> None:
    rows = [Row("x", "a", 50, 0), Row("x", "b", 90, 100), Row("y", "a", 50, 100)]
    rows.append(Row("y", "b", 90, 100))
    result = rank(rows, HIGHER, Method({"a": 1, "b": 1}), {"x": "d", "y": "d"})
    assert result.scores["x"].skipped == ["a"]
    assert result.scores["x"].score == pytest.approx(90)
    assert result.scores["y"].score == pytest.approx(70)


def test_lower_is_better_inverts() -> None:
    indicators = {"overdue": False}
    rows = [Row("x", "overdue", 5, 10), Row("y", "overdue", 20, 10), Row("z", "overdue", 0, 10)]
    result = rank(rows, indicators, Method({"overdue": 1}), dict.fromkeys("xyz", "d"))
    # Half the allowed overdue is 200 % (capped at 150); twice the allowed is 50 %; none is 150.
    assert result.scores["x"].score == pytest.approx(150)
    assert result.scores["y"].score == pytest.approx(50)
    assert result.scores["z"].score == pytest.approx(150)
    assert result.scores["y"].rank == 3


def test_min_max_within_the_peer_group_only() -> None:
    rows = [Row("c1", "a", 10), Row("c2", "a", 30), Row("d1", "a", 1000), Row("d2", "a", 500)]
    rows += [Row("d3", "a", 750)]
    peers = {"c1": "city", "c2": "city", "d1": "district", "d2": "district", "d3": "district"}
    result = rank(rows, HIGHER, Method({"a": 1}, normalization="min_max"), peers)
    assert result.scores["c1"].score == 0 and result.scores["c2"].score == 100
    assert result.scores["d3"].score == pytest.approx(50)
    assert result.scores["d1"].rank == 1 and result.scores["c2"].rank == 1


def test_min_max_all_equal_is_100_for_everyone() -> None:
    rows = [Row("x", "a", 7), Row("y", "a", 7)]
    result = rank(rows, HIGHER, Method({"a": 1}, normalization="min_max"), {"x": 1, "y": 1})
    assert result.scores["x"].score == result.scores["y"].score == 100


def test_bottom_quartile_and_threshold() -> None:
    peers = {t: "d" for t in "abcdefgh"}
    rows = [Row(t, "a", 10 * (i + 1), 100) for i, t in enumerate("abcdefgh")]
    quartile = rank(rows, HIGHER, Method({"a": 1}), peers)
    assert sorted(s.territory for s in quartile.low_performers()) == ["a", "b"]
    threshold = rank(rows, HIGHER, Method({"a": 1}, low_rule="threshold", threshold=35), peers)
    assert sorted(s.territory for s in threshold.low_performers()) == ["a", "b", "c"]


def test_explanation_says_what_pulled_down_and_up() -> None:
    rows = [Row("x", "a", 40, 100), Row("x", "b", 120, 100)]
    rows += [Row("y", "a", 100, 100), Row("y", "b", 100, 100)]
    result = rank(rows, HIGHER, Method({"a": 1, "b": 1}), {"x": "d", "y": "d"})
    x = result.scores["x"]
    # Peer means: a 70, b 110. x: a (40 − 70) / 2 = −15, b (120 − 110) / 2 = +5.
    assert [c.indicator for c in x.pulled_down] == ["a"]
    assert x.pulled_down[0].difference == pytest.approx(-15)
    assert [c.indicator for c in x.pulled_up] == ["b"]
    assert x.pulled_up[0].difference == pytest.approx(5)
    peer_weighted_mean = (70 + 110) / 2
    assert sum(c.difference for c in x.contributions) == pytest.approx(x.score - peer_weighted_mean)


def test_a_territory_with_no_data_has_no_rank() -> None:
    result = rank([Row("x", "a", 50, 100)], HIGHER, Method({"a": 1}), {"x": "d", "y": "d"})
    assert result.scores["y"].score is None and result.scores["y"].rank is None
    assert [s.territory for s in result.groups["d"]] == ["x", "y"]


def test_zero_weight_and_unknown_indicators_do_not_count() -> None:
    rows = [Row("x", "a", 10, 100), Row("x", "b", 100, 100), Row("x", "zz", 1, 1)]
    result = rank(rows, HIGHER, Method({"a": 0, "b": 1, "zz": 5}), {"x": "d"})
    assert result.scores["x"].score == pytest.approx(100)


def test_duplicate_rows_are_refused() -> None:
    with pytest.raises(ValueError):
        rank([Row("x", "a", 1, 1), Row("x", "a", 2, 1)], HIGHER, Method({"a": 1}), {"x": "d"})


@pytest.mark.django_db
def test_a_territory_that_changed_region_keeps_its_history() -> None:
    """Zhezkazgan was a city of Karaganda region in 2020 and of Ulytau region from 2022: each
    year's peer group is the region's as on 31 December, so its 2020 rank stays the one it had
    among Karaganda's cities."""
    from factories import (
        IndicatorFactory,
        IndicatorValueFactory,
        MethodologyFactory,
        TargetFactory,
        TerritoryFactory,
        UserFactory,
    )
    from kense.core.permissions import Role
    from kense.indicators.selectors.results import passport, ranking
    from kense.registry.models import TerritoryKind, TerritoryParentPeriod

    karaganda = TerritoryFactory(name_kk="Қарағанды облысы", kind=TerritoryKind.REGION)
    ulytau = TerritoryFactory(name_kk="Ұлытау облысы", kind=TerritoryKind.REGION)
    zhezkazgan = TerritoryFactory(name_kk="Жезқазған", kind=TerritoryKind.CITY, parent=ulytau)
    balkhash = TerritoryFactory(name_kk="Балқаш", kind=TerritoryKind.CITY, parent=karaganda)
    TerritoryParentPeriod.objects.create(
        territory=zhezkazgan, parent=karaganda, end=datetime.date(2022, 6, 8)
    )
    TerritoryParentPeriod.objects.create(
        territory=zhezkazgan, parent=ulytau, start=datetime.date(2022, 6, 8)
    )
    indicator = IndicatorFactory(code="events")
    for territory, value in ((zhezkazgan, 90), (balkhash, 60)):
        IndicatorValueFactory(indicator=indicator, territory=territory, year=2020, value=value)
        TargetFactory(indicator=indicator, territory=territory, year=2020, value=100)
    methodology = MethodologyFactory(year=2020, weights={"events": 1})
    office = UserFactory(role=Role.PROJECT_OFFICE, territory=karaganda)

    ranked = ranking(office, methodology, 2020)
    assert ranked.result.scores[zhezkazgan.pk].rank == 1
    assert ranked.result.scores[balkhash.pk].rank == 2
    # Today Zhezkazgan is Ulytau's; its passport still shows 2020 among Karaganda's cities.
    ulytau_office = UserFactory(role=Role.PROJECT_OFFICE, territory=ulytau)
    year = next(y for y in passport(ulytau_office, zhezkazgan).years if y.year == 2020)
    assert (year.rank, year.peers) == (1, 2)
    # Ulytau's 2020 ranking does not claim it (Ulytau region had no cities then).
    assert zhezkazgan.pk not in ranking(ulytau_office, methodology, 2020).result.scores


# ---------------------------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------------------------

CODES = ["a", "b", "c"]
value = st.one_of(st.none(), st.integers(min_value=0, max_value=1000))
target = st.one_of(st.none(), st.integers(min_value=0, max_value=500))


@st.composite
def cases(draw: Any) -> tuple[list[Row], dict[str, bool], Method, dict[str, str]]:
    territories = [f"t{i}" for i in range(draw(st.integers(min_value=1, max_value=8)))]
    peers = {t: draw(st.sampled_from(["city", "district"])) for t in territories}
    better = {code: draw(st.booleans()) for code in CODES}
    weights = {code: draw(st.integers(min_value=0, max_value=5)) for code in CODES}
    method = Method(
        weights,
        normalization=draw(st.sampled_from(["percent_of_target", "min_max"])),
        low_rule=draw(st.sampled_from(["bottom_quartile", "threshold"])),
        threshold=draw(st.integers(min_value=0, max_value=150)),
    )
    rows = [Row(t, code, draw(value), draw(target)) for t in territories for code in CODES]
    return rows, better, method, peers


def _summary(result: Any) -> dict[str, Any]:
    return {
        t: (s.score, s.rank, s.low, [(c.indicator, c.difference) for c in s.contributions])
        for t, s in result.scores.items()
    }


@settings(max_examples=200, deadline=None)
@given(cases(), st.randoms(use_true_random=False))
def test_the_result_does_not_depend_on_the_order_of_rows(case: Any, rnd: random.Random) -> None:
    rows, better, method, peers = case
    shuffled = list(rows)
    rnd.shuffle(shuffled)
    peers_shuffled = dict(sorted(peers.items(), key=lambda _item: rnd.random()))
    assert _summary(rank(rows, better, method, peers)) == _summary(
        rank(shuffled, better, method, peers_shuffled)
    )


@settings(max_examples=300, deadline=None)
@given(cases(), st.data())
def test_a_better_value_never_lowers_the_rank(case: Any, data: Any) -> None:
    rows, better, method, peers = case
    index = data.draw(st.integers(min_value=0, max_value=len(rows) - 1))
    row = rows[index]
    if row.value is None or not method.weights[row.indicator]:
        return
    step = data.draw(st.integers(min_value=1, max_value=500))
    improved = row.value + step if better[row.indicator] else max(0, row.value - step)
    changed = [
        *rows[:index],
        Row(row.territory, row.indicator, improved, row.target),
        *rows[index + 1 :],
    ]
    before = rank(rows, better, method, peers).scores[row.territory]
    after = rank(changed, better, method, peers).scores[row.territory]
    if before.rank is not None:
        assert after.rank is not None and after.rank <= before.rank
