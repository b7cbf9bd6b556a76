"""A trend chart draws a year without a value as a gap: the line stops before it and starts
again after it, never dropping to 0 nor joining across the missing year."""

from __future__ import annotations

from types import SimpleNamespace

from kense.indicators.views.results import _lines


def test_a_missing_year_breaks_the_line_instead_of_drawing_zero() -> None:
    saran = SimpleNamespace(name="Саран")
    lines, top = _lines([(saran, [10.0, 20.0, None, 40.0, 30.0])], 640, 320, 40)

    (line,) = lines
    assert top == 40.0
    # Two runs: 2017–2018 and 2020–2021; nothing at the missing 2019.
    assert len(line["segments"]) == 2
    first, second = (segment.split() for segment in line["segments"])
    assert len(first) == 2 and len(second) == 2
    assert [value for _x, _y, value in line["dots"]] == [10.0, 20.0, 40.0, 30.0]
    bottom = 320 - 40
    assert all(float(point.split(",")[1]) < bottom for point in first + second)


def test_a_series_without_gaps_is_one_line_and_an_empty_one_none() -> None:
    lines, _top = _lines(
        [
            (SimpleNamespace(name="Абай"), [1.0, 2.0, 3.0]),
            (SimpleNamespace(name="Шет"), [None, None, None]),
        ],
        180,
        70,
        6,
    )
    assert len(lines[0]["segments"]) == 1
    assert lines[1]["segments"] == [] and lines[1]["dots"] == []
