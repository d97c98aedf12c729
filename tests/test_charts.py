"""Distribution charts: drawn once, one municipality highlighted, deterministic."""

from __future__ import annotations

import re

from rapportpaket.charts import GREEN, RED, draw_distribution, quartile_colour


def values() -> dict[str, float]:
    return {f"{i:04d}": float(i) for i in range(1, 21)}


def test_highlight_adds_a_labelled_bar_at_the_right_height() -> None:
    drawn = draw_distribution(values(), dict.fromkeys(values(), True))
    svg = drawn.highlighted("0005", "Kommun 5,0")
    assert svg.count("<svg") == 1 and "Kommun 5,0" in svg
    # Sorted high to low: value 5 stands at position 15 of 20.
    assert drawn.bars["0005"].position == 15
    bar = re.search(
        r'<rect x="[^"]+" y="([^"]+)" width="[^"]+" height="([^"]+)" fill="#1b1b1b"', svg
    )
    assert bar is not None
    top, height = float(bar.group(1)), float(bar.group(2))
    full = -drawn.y_of[1] * 100
    assert abs(height - full * 5 / 100) < 0.01 and top > 0


def test_same_data_same_svg() -> None:
    has = dict.fromkeys(values(), True)
    assert draw_distribution(values(), has).svg == draw_distribution(values(), has).svg


def test_quartile_colours() -> None:
    assert quartile_colour(90, (25, 75), True) == GREEN
    assert quartile_colour(10, (25, 75), True) == RED
    assert quartile_colour(10, (25, 75), False) != RED
