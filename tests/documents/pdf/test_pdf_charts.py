"""Charts: drawn once per edition, one municipality overlaid, deterministic."""

from __future__ import annotations

import re

import pytest

from rapportpaket.documents.palette import MUNICIPALITY
from rapportpaket.documents.pdf.charts import (
    GREEN,
    RED,
    draw_delindex_summary,
    draw_distribution,
    quartile_colour,
)
from rapportpaket.scoring.national import spread_of


def values() -> dict[str, float]:
    return {f"{i:04d}": float(i) for i in range(1, 21)}


def test_highlight_adds_a_labelled_bar_at_the_right_height() -> None:
    drawn = draw_distribution(values(), dict.fromkeys(values(), True), spread_of(values().values()))
    svg = drawn.highlighted("0005", "Kommun 5,0")
    assert svg.count("<svg") == 1 and "Kommun 5,0" in svg
    # Sorted high to low: value 5 stands at position 15 of 20.
    assert drawn.bars["0005"].position == 15
    bar = re.search(
        rf'<rect x="[^"]+" y="([^"]+)" width="[^"]+" height="([^"]+)" fill="{MUNICIPALITY}"', svg
    )
    assert bar is not None
    top, height = float(bar.group(1)), float(bar.group(2))
    full = -drawn.y_of[1] * 100
    assert abs(height - full * 5 / 100) < 0.01 and top > 0


def test_same_data_same_svg() -> None:
    has, spread = dict.fromkeys(values(), True), spread_of(values().values())
    assert (
        draw_distribution(values(), has, spread).svg == draw_distribution(values(), has, spread).svg
    )


def test_quartile_colours() -> None:
    assert quartile_colour(90, (25, 75), True) == GREEN
    assert quartile_colour(10, (25, 75), True) == RED
    assert quartile_colour(10, (25, 75), False) != RED


def test_summary_overlays_the_municipality_on_the_medians_drawn_once() -> None:
    summary = draw_delindex_summary(["Information", "Utförande"], [40.0, 60.0])
    svg = summary.with_values([50.0, 100.0], "Åre & Öckerö")
    assert svg.count("<svg") == 1 and svg.startswith(summary.svg.removesuffix("</svg>\n"))
    assert "Åre &amp; Öckerö" in svg and "Rikets median" in svg
    assert ">50,0<" in svg and ">100,0<" in svg  # the values, in Swedish
    bars = re.findall(
        rf'<rect x="([^"]+)" y="([^"]+)" width="([^"]+)" height="([^"]+)" fill="{MUNICIPALITY}"',
        svg,
    )
    own = [tuple(float(v) for v in bar) for bar in bars[:2]]  # the third is the legend's
    x0, per_point = summary.x_of
    svg_precision = 0.01  # coordinates are written with two decimals
    assert [bar[0] for bar in own] == pytest.approx([x0, x0], abs=svg_precision)
    widths = [bar[2] for bar in own]
    assert widths == pytest.approx([50 * per_point, 100 * per_point], abs=svg_precision)
    # The first delindex stands at the top, each bar centred on its row.
    assert own[0][1] < own[1][1]
    centres = [bar[1] + bar[3] / 2 for bar in own]
    assert centres == pytest.approx(list(summary.row_y), abs=svg_precision)


def test_summary_background_is_the_same_for_the_same_medians() -> None:
    first = draw_delindex_summary(["A", "B"], [40.0, 60.0])
    assert first.svg == draw_delindex_summary(["A", "B"], [40.0, 60.0]).svg
