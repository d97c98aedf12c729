"""The report's charts, written as small SVG documents by hand (no plotting library).

One visual language, the palette's: the municipality in vermillion with its name, the
national median as a black dashed line, the middle half of the country as a grey band,
values in the upper quartile blue and in the lower quartile orange. Text is never below
7.5 pt: the SVG's units are points at the size the chart is shown.

A chart that is the same for every municipality but for its mark (a distribution) is
drawn once per edition (`Distribution`) and each municipality's mark is added as a few
elements (`Distribution.highlighted`). Fewer, simpler elements also draw faster: the
renderer parses every SVG node in Python, and a plotting library's output has many.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape

from rapportpaket.documents.palette import (
    BETTER,
    INK,
    MEDIAN,
    MIDDLE,
    MUNICIPALITY,
    MUTED,
    NO_DATA,
    QUARTILE,
    RANGE,
    RULE,
    WORSE,
)
from rapportpaket.documents.scales import nice_axis, value_class
from rapportpaket.scoring.results import DECIMALS, Spread
from rapportpaket.support.swedish import sv_number

FONT = "Liberation Sans"
TEXT = 8.0  # points: the smallest text of any chart (the design rule is ≥ 7.5)
CHAR_WIDTH = 0.56  # average advance of Liberation Sans digits and letters, in em


def text_width(text: str, size: float = TEXT) -> float:
    """Return an estimate of the width of `text` in points (for placing labels)."""
    return len(text) * size * CHAR_WIDTH


def _text(x: float, y: float, text: str, *, anchor: str = "start", size: float = TEXT,
          fill: str = INK, bold: bool = False) -> str:  # fmt: skip
    weight = ' font-weight="bold"' if bold else ""
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-family="{FONT}" '
        f'font-size="{size:g}" fill="{fill}"{weight}>{escape(text)}</text>'
    )


def _svg(width: float, height: float, body: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}pt" height="{height:.0f}pt" '
        f'viewBox="0 0 {width:.1f} {height:.1f}">{body}</svg>'
    )


CLASS_COLOUR = {"better": BETTER, "middle": MIDDLE, "worse": WORSE, "none": NO_DATA}


# --------------------------------------------------------------------------- distribution


@dataclass(frozen=True)
class Distribution:
    """A delindex (or the total) across the country, drawn once; each municipality's mark
    is added to it. Bars are sorted from the highest value (left) to the lowest."""

    svg: str
    order: tuple[str, ...]  # kommunkoder, left to right
    values: Mapping[str, float]
    spread: Spread
    plot: tuple[float, float, float, float]  # left, top, right, bottom in SVG points
    axis: tuple[float, float, float]  # low, high, step

    def x_of(self, kommunkod: str) -> float:
        """Return the x of the centre of a municipality's bar."""
        left, _, right, _ = self.plot
        slot = (right - left) / len(self.order)
        return left + slot * (self.order.index(kommunkod) + 0.5)

    def y_of(self, value: float) -> float:
        """Return the y of a value, held inside the plot (values below the axis at its edge)."""
        _, top, _, bottom = self.plot
        low, high, _ = self.axis
        clamped = min(max(value, low), high)
        return bottom - (clamped - low) / (high - low) * (bottom - top)

    def highlighted(self, kommunkod: str, label: str) -> str:
        """Return the chart with the municipality's bar, marker and label."""
        x, y = self.x_of(kommunkod), self.y_of(self.values[kommunkod])
        left, _, right, bottom = self.plot
        slot = (right - left) / len(self.order)
        width = max(slot, 1.6)
        bar = (
            f'<rect x="{x - width / 2:.2f}" y="{y:.2f}" width="{width:.2f}" '
            f'height="{max(bottom - y, 0.5):.2f}" fill="{MUNICIPALITY}"/>'
        )
        marker = (
            f'<circle cx="{x:.2f}" cy="{y:.2f}" r="3.6" fill="{MUNICIPALITY}" '
            'stroke="white" stroke-width="1"/>'
        )
        text_x, text_y, anchor = self._label_place(kommunkod, label)
        leader = (
            f'<line x1="{x:.2f}" y1="{y - 4:.2f}" x2="{x:.2f}" y2="{text_y + 2:.2f}" '
            f'stroke="{MUNICIPALITY}" stroke-width="0.8"/>'
            if text_y + 2 < y - 4
            else ""
        )
        overlay = (
            bar
            + leader
            + marker
            + _text(text_x, text_y, label, anchor=anchor, size=9, fill=MUNICIPALITY, bold=True)
        )
        return self.svg.replace("</svg>", overlay + "</svg>")

    def _label_place(self, kommunkod: str, label: str) -> tuple[float, float, str]:
        """Place the label above the bars and off the median line, near the marker.

        The bars fall from left to right, so the space above a bar and to its right is
        free; near the right edge the label runs leftwards, raised above the taller bars.
        """
        left, top, right, _ = self.plot
        x, y = self.x_of(kommunkod), self.y_of(self.values[kommunkod])
        width, height = text_width(label, 9), 9.0
        median_y = self.y_of(self.spread.median)
        for rise in range(10, 400, 4):
            baseline = y - rise
            if baseline - height < top - 12:
                break
            for anchor in ("start", "end"):
                start = x - 3 if anchor == "start" else x + 3 - width
                if start < left - 20 or start + width > right + 20:
                    continue
                clear_of_bars = self._highest_bar_y(start, start + width) > baseline + 2
                clear_of_median = not (baseline - height - 1 <= median_y <= baseline + 2)
                if clear_of_bars and clear_of_median:
                    return (x - 3 if anchor == "start" else x + 3), baseline, anchor
        return x, top - 4, "middle"  # above the plot: always free

    def _highest_bar_y(self, start: float, end: float) -> float:
        """Return the smallest SVG y (the tallest bar) of the bars under [start, end]."""
        left, _, right, bottom = self.plot
        slot = (right - left) / len(self.order)
        first = max(0, int((start - left) / slot))
        last = min(len(self.order) - 1, int((end - left) / slot))
        if last < first:
            return bottom
        return min(self.y_of(self.values[k]) for k in self.order[first : last + 1])


def draw_distribution(
    values: Mapping[str, float],
    has_data: Mapping[str, bool],
    spread: Spread,
    *,
    colours: Mapping[str, str] | None = None,
    width: float = 470,
    height: float = 190,
) -> Distribution:
    """Draw every municipality's value as sorted bars on an axis that shows the spread.

    Bars are coloured by where the value stands (quartiles), or by `colours` when given
    (the total index by result group).
    """
    order = tuple(sorted(values, key=lambda k: (-round(values[k], DECIMALS), k)))
    low, high, step = nice_axis([values[k] for k in order if has_data[k]] or [0.0], spread)
    plot = (34.0, 22.0, width - 78.0, height - 16.0)
    chart = Distribution("", order, dict(values), spread, plot, (low, high, step))
    colour_of = (
        dict(colours)
        if colours is not None
        else {k: CLASS_COLOUR[value_class(values[k], spread, has_data[k])] for k in order}
    )
    body = [_grid(chart), _bars(chart, colour_of), _levels(chart)]
    if any(values[k] < low for k in order):
        body.append(
            _text(plot[0], height - 3, f"Värden under {sv_number(low, 0)} visas vid axelns "
                  "nederkant.", size=7.5, fill=MUTED)
        )  # fmt: skip
    svg = _svg(width, height, "".join(body))
    return Distribution(svg, order, dict(values), spread, plot, (low, high, step))


def _grid(chart: Distribution) -> str:
    left, _, right, _ = chart.plot
    low, high, step = chart.axis
    parts = []
    ticks = round((high - low) / step)
    for i in range(ticks + 1):
        value = low + i * step
        y = chart.y_of(value)
        parts.append(
            f'<line x1="{left:.1f}" y1="{y:.1f}" x2="{right:.1f}" y2="{y:.1f}" '
            f'stroke="{RULE}" stroke-width="0.5"/>'
        )
        parts.append(_text(left - 4, y + 2.8, sv_number(value, 0), anchor="end", fill=MUTED))
    return "".join(parts)


def _bars(chart: Distribution, colour_of: Mapping[str, str]) -> str:
    """Draw each run of bars of one colour as one filled outline (few nodes, fast).

    A bar is a sliver (290 in under 400 points), so the outline runs through the tops of
    the bars' centres, and a plateau of equal values is one edge: the renderer handles
    every point in Python, and a tenth of the points looks the same.
    """
    left, _, right, bottom = chart.plot
    slot = (right - left) / len(chart.order)
    runs: list[tuple[str, list[str]]] = []
    for k in chart.order:
        if not runs or runs[-1][0] != colour_of[k]:
            runs.append((colour_of[k], []))
        runs[-1][1].append(k)
    parts, index = [], 0
    for colour, members in runs:
        tops = [chart.y_of(chart.values[k]) for k in members]
        start, end = left + slot * index, left + slot * (index + len(members))
        points = [(start, bottom), (start, tops[0])]
        for offset, y in enumerate(tops):
            if 0 < offset < len(tops) - 1 and tops[offset - 1] == y == tops[offset + 1]:
                continue  # inside a plateau
            points.append((start + slot * (offset + 0.5), y))
        points += [(end, tops[-1]), (end, bottom)]
        index += len(members)
        coordinates = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        parts.append(f'<polygon points="{coordinates}" fill="{colour}"/>')
    return "".join(parts)


def _levels(chart: Distribution) -> str:
    """Draw the median across the plot; name it and the quartiles in the right margin."""
    left, _, right, _ = chart.plot
    spread = chart.spread
    median_y = chart.y_of(spread.median)
    parts = [
        f'<line x1="{left:.1f}" y1="{median_y:.1f}" x2="{right:.1f}" y2="{median_y:.1f}" '
        f'stroke="{MEDIAN}" stroke-width="1" stroke-dasharray="4 2"/>'
    ]
    labels = [
        (chart.y_of(spread.upper_quartile), f"övre kvartil {sv_number(spread.upper_quartile)}",
         QUARTILE),
        (median_y, f"median {sv_number(spread.median)}", MEDIAN),
        (chart.y_of(spread.lower_quartile), f"nedre kvartil {sv_number(spread.lower_quartile)}",
         QUARTILE),
    ]  # fmt: skip
    placed: list[float] = []
    for y, text, colour in labels:
        # Keep labels at least a line apart: the quartiles may lie close to the median.
        y_text = max(y + 2.8, placed[-1] + 9.5) if placed else y + 2.8
        placed.append(y_text)
        parts.append(
            f'<line x1="{right:.1f}" y1="{y:.1f}" x2="{right + 4:.1f}" y2="{y:.1f}" '
            f'stroke="{colour}" stroke-width="0.8"/>'
        )
        parts.append(_text(right + 6, y_text, text, size=7.5, fill=colour))
    return "".join(parts)


# --------------------------------------------------------------------------- spines


@dataclass(frozen=True)
class SpinePoint:
    """One row of a spine chart, all in 0–100 score units (right is always better)."""

    low: float  # the national range
    high: float
    lower_quartile: float
    upper_quartile: float
    median: float
    value: float | None  # the municipality; None without data
    status: str  # "strength", "improvement", "neutral", "missing"
    interval: tuple[float, float] | None = None  # survey uncertainty


STATUS_MARK = {  # colour and shape: a status reads without colour too
    "strength": (BETTER, "up"),
    "improvement": (WORSE, "down"),
    "neutral": ("white", "circle"),
    "missing": (NO_DATA, "none"),
}


def _marker(x: float, y: float, status: str) -> str:
    colour, shape = STATUS_MARK[status]
    if shape == "none":
        return ""
    if shape == "circle":
        return (
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.1" fill="{colour}" stroke="{INK}" '
            'stroke-width="0.8"/>'
        )
    tip, base = (-4.2, 2.8) if shape == "up" else (4.2, -2.8)
    return (
        f'<polygon points="{x:.1f},{y + tip:.1f} {x - 3.8:.1f},{y + base:.1f} '
        f'{x + 3.8:.1f},{y + base:.1f}" fill="{colour}" stroke="{INK}" stroke-width="0.6"/>'
    )


def spine_svg(point: SpinePoint, *, width: float = 64, height: float = 11) -> str:
    """Return one indicator's spine: range, middle half, median, the municipality."""
    pad = 4.5
    span = width - 2 * pad

    def x(score: float) -> float:
        return pad + span * min(max(score, 0.0), 100.0) / 100

    mid = height / 2
    parts = [
        f'<rect x="{x(point.low):.1f}" y="{mid - 2:.1f}" '
        f'width="{max(x(point.high) - x(point.low), 0.8):.1f}" height="4" fill="{RANGE}"/>',
        f'<rect x="{x(point.lower_quartile):.1f}" y="{mid - 3:.1f}" '
        f'width="{max(x(point.upper_quartile) - x(point.lower_quartile), 0.8):.1f}" '
        f'height="6" fill="{MIDDLE}"/>',
        f'<line x1="{x(point.median):.1f}" y1="{mid - 4.5:.1f}" x2="{x(point.median):.1f}" '
        f'y2="{mid + 4.5:.1f}" stroke="{MEDIAN}" stroke-width="1.2"/>',
    ]
    if point.interval is not None and point.value is not None:
        low, high = point.interval
        parts.append(
            f'<line x1="{x(low):.1f}" y1="{mid:.1f}" x2="{x(high):.1f}" y2="{mid:.1f}" '
            f'stroke="{INK}" stroke-width="0.8"/>'
        )
    if point.value is not None:
        parts.append(_marker(x(point.value), mid, point.status))
    return _svg(width, height, "".join(parts))


# --------------------------------------------------------------------------- summary


def delindex_spines(
    rows: Sequence[tuple[str, Spread, float]], kommun: str, *, width: float = 470
) -> str:
    """Return the summary chart: per delindex, the country's range and middle half, the
    national median and the municipality, on one 0–100 scale, with a legend."""
    row_height, top, left, right = 26.0, 8.0, 150.0, width - 40.0
    height = top + row_height * len(rows) + 40

    def x(value: float) -> float:
        return left + (right - left) * value / 100

    parts = []
    for i, (name, spread, own) in enumerate(rows):
        y = top + row_height * i + row_height / 2
        parts += [
            _text(left - 8, y + 3, name, anchor="end", size=9),
            f'<rect x="{x(spread.minimum):.1f}" y="{y - 3:.1f}" '
            f'width="{x(spread.maximum) - x(spread.minimum):.1f}" height="6" fill="{RANGE}"/>',
            f'<rect x="{x(spread.lower_quartile):.1f}" y="{y - 5:.1f}" '
            f'width="{x(spread.upper_quartile) - x(spread.lower_quartile):.1f}" height="10" '
            f'fill="{MIDDLE}"/>',
            f'<line x1="{x(spread.median):.1f}" y1="{y - 7:.1f}" x2="{x(spread.median):.1f}" '
            f'y2="{y + 7:.1f}" stroke="{MEDIAN}" stroke-width="1.4"/>',
            f'<circle cx="{x(own):.1f}" cy="{y:.1f}" r="4.2" fill="{MUNICIPALITY}" '
            'stroke="white" stroke-width="1"/>',
            _text(x(own), y - 8, sv_number(own), anchor="middle", size=8, fill=MUNICIPALITY,
                  bold=True),
        ]  # fmt: skip
    axis_y = top + row_height * len(rows) + 4
    for value in (0, 25, 50, 75, 100):
        parts.append(_text(x(value), axis_y + 8, str(value), anchor="middle", fill=MUTED))
    parts.append(_legend(10, axis_y + 24, kommun))
    return _svg(width, height, "".join(parts))


def _legend(x: float, y: float, kommun: str) -> str:
    """Return the legend of the summary and spine charts, in the order they are drawn."""
    items = [
        (f'<rect x="{x:.1f}" y="{y - 5:.1f}" width="16" height="6" fill="{RANGE}"/>',
         "rikets spridning"),
        (f'<rect x="{x:.1f}" y="{y - 6:.1f}" width="16" height="8" fill="{MIDDLE}"/>',
         "mittersta hälften"),
        (f'<line x1="{x + 8:.1f}" y1="{y - 7:.1f}" x2="{x + 8:.1f}" y2="{y + 2:.1f}" '
         f'stroke="{MEDIAN}" stroke-width="1.4"/>', "rikets median"),
        (f'<circle cx="{x + 8:.1f}" cy="{y - 2:.1f}" r="4" fill="{MUNICIPALITY}"/>', kommun),
    ]  # fmt: skip
    parts, offset = [], 0.0
    for shape, label in items:
        parts.append(f'<g transform="translate({offset:.1f} 0)">{shape}</g>')
        parts.append(_text(x + offset + 20, y + 1, label, fill=INK))
        offset += 28 + text_width(label)
    return "".join(parts)
