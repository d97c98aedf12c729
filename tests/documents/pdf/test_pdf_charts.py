"""Charts: one visual language, labels off the bars, an axis that shows the spread."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rapportpaket.documents.palette import BETTER, MUNICIPALITY, WORSE
from rapportpaket.documents.pdf.charts import (
    SpinePoint,
    delindex_spines,
    draw_distribution,
    spine_svg,
    text_width,
)
from rapportpaket.documents.scales import nice_axis, value_class
from rapportpaket.scoring.national import spread_of


def values(count: int = 20, low: float = 1.0, step: float = 1.0) -> dict[str, float]:
    return {f"{i:04d}": low + step * i for i in range(count)}


def font_sizes(svg: str) -> list[float]:
    return [float(size) for size in re.findall(r'font-size="([0-9.]+)"', svg)]


def test_highlight_marks_the_bar_at_its_height() -> None:
    data = values()
    drawn = draw_distribution(data, dict.fromkeys(data, True), spread_of(data.values()))
    svg = drawn.highlighted("0005", "Kommun 6,0")
    assert svg.count("<svg") == 1 and "Kommun 6,0" in svg
    # Sorted high to low: the 6th smallest of 20 stands 15th from the left.
    assert drawn.order.index("0005") == 14
    bar = re.search(rf'<rect x="[^"]+" y="([^"]+)" width="[^"]+" height="([^"]+)" '
                    rf'fill="{MUNICIPALITY}"', svg)  # fmt: skip
    assert bar is not None
    top, height = float(bar.group(1)), float(bar.group(2))
    assert top == pytest.approx(drawn.y_of(6.0), abs=0.01)
    assert top + height == pytest.approx(drawn.plot[3], abs=0.01)
    assert f'<circle cx="{drawn.x_of("0005"):.2f}"' in svg


def test_the_axis_shows_the_spread_and_outliers_stay_at_its_edge() -> None:
    data = {**values(60, low=70, step=0.3), "9999": 12.0}  # one far below the rest
    spread = spread_of(data.values())
    low, high, step = nice_axis(list(data.values()), spread)
    assert 60 <= low <= 70 and high <= 100 and step in (1, 2, 5, 10)
    drawn = draw_distribution(data, dict.fromkeys(data, True), spread)
    assert drawn.y_of(12.0) == drawn.plot[3]  # held at the lower edge, still visible
    svg = drawn.highlighted("9999", "Utanför 12,0")
    assert "Utanför 12,0" in svg and f"Värden under {low:g}" in svg


def test_equal_values_get_equal_colours_at_a_quartile_edge() -> None:
    data = {f"{i:04d}": v for i, v in enumerate([10, 20, 30, 30, 30, 30, 40, 50])}
    spread = spread_of(data.values())
    classes = {value_class(v, spread) for v in data.values() if v == 30}
    assert len(classes) == 1
    assert value_class(50, spread) == "better" and value_class(10, spread) == "worse"
    assert value_class(50, spread, has_data=False) == "none"


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(0, 100, allow_nan=False), min_size=5, max_size=300), st.data())
def test_the_label_never_sits_on_bars_or_on_the_median(
    numbers: list[float], data: st.DataObject
) -> None:
    bars = {f"{i:04d}": v for i, v in enumerate(numbers)}
    drawn = draw_distribution(bars, dict.fromkeys(bars, True), spread_of(bars.values()))
    code = data.draw(st.sampled_from(sorted(bars)))
    label = "Upplands Väsby 100,0"
    x, baseline, anchor = drawn._label_place(code, label)
    width = text_width(label, 9)
    start = x if anchor == "start" else x - width if anchor == "end" else x - width / 2
    median_y = drawn.y_of(drawn.spread.median)
    assert drawn._highest_bar_y(start, start + width) > baseline
    assert not baseline - 9 - 1 <= median_y <= baseline + 2 or baseline < drawn.plot[1]


def test_no_text_below_7_5_points() -> None:
    data = values(290, low=20, step=0.25)
    spread = spread_of(data.values())
    drawn = draw_distribution(data, dict.fromkeys(data, True), spread)
    rows = [("Information", spread, 55.0), ("Utförande", spread, 80.0)]
    for svg in (drawn.highlighted("0100", "Kommun 45,0"), delindex_spines(rows, "Kommun")):
        assert font_sizes(svg) and min(font_sizes(svg)) >= 7.5


def test_same_data_same_svg() -> None:
    data = values()
    has, spread = dict.fromkeys(data, True), spread_of(data.values())
    first, again = (draw_distribution(data, has, spread) for _ in range(2))
    assert first.svg == again.svg


def test_given_colours_replace_the_quartiles() -> None:
    data = values(6)
    colours = dict.fromkeys(data, "#123456")
    drawn = draw_distribution(data, dict.fromkeys(data, True), spread_of(data.values()),
                              colours=colours)  # fmt: skip
    assert drawn.svg.count('fill="#123456"') == 1  # one outline for the run of one colour
    assert BETTER not in drawn.svg


def test_spine_marks_status_by_shape_and_colour() -> None:
    point = SpinePoint(10, 95, 40, 70, 55, 80, "strength", interval=(72, 86))
    strength = spine_svg(point)
    assert "<polygon" in strength and BETTER in strength
    assert strength.count("<line") == 2  # the median and the interval
    improvement = spine_svg(SpinePoint(10, 95, 40, 70, 55, 20, "improvement"))
    assert "<polygon" in improvement and WORSE in improvement
    assert "<circle" in spine_svg(SpinePoint(10, 95, 40, 70, 55, 50, "neutral"))
    missing = spine_svg(SpinePoint(10, 95, 40, 70, 55, None, "missing"))
    assert "<polygon" not in missing and "<circle" not in missing


def test_summary_spines_name_the_municipality_and_place_its_values() -> None:
    data = values(10, low=40, step=5)
    spread = spread_of(data.values())
    svg = delindex_spines([("Information", spread, 50.0), ("Utförande", spread, 100.0)], "Åre & Ö")
    assert "Åre &amp; Ö" in svg and "rikets median" in svg
    assert ">50,0<" in svg and ">100,0<" in svg
    dots = re.findall(rf'<circle cx="([^"]+)" cy="([^"]+)" r="4.2" fill="{MUNICIPALITY}"', svg)
    assert len(dots) == 2 and float(dots[0][0]) < float(dots[1][0])
    assert float(dots[0][1]) < float(dots[1][1])  # the first delindex on top
