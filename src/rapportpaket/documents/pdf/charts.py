"""SVG charts for the PDF, drawn with matplotlib's object API (no pyplot state).

A distribution chart is the same for every municipality but for the highlighted bar, so
its background is drawn once per edition and delindex (`Distribution`), and each
municipality's highlight is overlaid as a few SVG elements at coordinates computed from
the axes' transform. Colours follow Kolada's quartiles (green, yellow, red); the
highlighted municipality is black with a label, so the chart reads in greyscale too.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

from matplotlib import rcParams
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure

from rapportpaket.documents.palette import (
    BETTER,
    INK,
    MEDIAN,
    MIDDLE,
    MUNICIPALITY,
    MUTED,
    NO_DATA,
    WORSE,
)
from rapportpaket.scoring.results import Spread
from rapportpaket.support.swedish import sv_number

GREEN, YELLOW, RED, GREY = BETTER, MIDDLE, WORSE, NO_DATA
MEDIAN_BLUE, MEDIAN_GREY = MEDIAN, MIDDLE
FONT = "Liberation Sans"
SVG_DPI = 72  # one SVG unit per point
BAR_SHARE = 0.82  # the part of its slot a bar fills; the rest is the gap to the next

rcParams["svg.hashsalt"] = "rapportpaket"  # stable element ids: same input, same bytes
rcParams["svg.fonttype"] = "none"  # text stays text: smaller, searchable
rcParams["font.family"] = [FONT, "DejaVu Sans"]


@dataclass(frozen=True)
class Bar:
    """One municipality in a distribution: where its bar stands and how tall it is."""

    kommunkod: str
    value: float
    position: int


@dataclass(frozen=True)
class Distribution:
    """A drawn background and the geometry needed to overlay one municipality."""

    svg: str
    bars: dict[str, Bar]
    x_of: tuple[float, float]  # SVG x = a + b·position (bar centre)
    y_of: tuple[float, float]  # SVG y = a + b·value
    bar_width: float
    median: float
    quartiles: tuple[float, float]

    def highlighted(self, kommunkod: str, label: str) -> str:
        """Return the SVG with `kommunkod`'s bar in black and labelled."""
        bar = self.bars[kommunkod]
        x = self.x_of[0] + self.x_of[1] * bar.position
        top, base = self.y_of[0] + self.y_of[1] * bar.value, self.y_of[0]
        width = max(self.bar_width, 2.2)
        anchor = "start" if bar.position < len(self.bars) * 0.6 else "end"
        shift = 5 if anchor == "start" else -5
        label_y = max(top - 8, 12)
        overlay = (
            f'<rect x="{x - width / 2:.2f}" y="{top:.2f}" width="{width:.2f}" '
            f'height="{max(base - top, 0.8):.2f}" fill="{MUNICIPALITY}"/>'
            f'<line x1="{x:.2f}" y1="{label_y + 2:.2f}" x2="{x:.2f}" y2="{top:.2f}" '
            f'stroke="{MUNICIPALITY}" stroke-width="0.8"/>'
            f'<text x="{x + shift:.2f}" y="{label_y:.2f}" text-anchor="{anchor}" '
            f'font-family="{FONT}" font-size="9" font-weight="bold" fill="{MUNICIPALITY}">'
            f"{escape(label)}</text>"
        )
        return self.svg.replace("</svg>", overlay + "</svg>")


def quartile_colour(value: float, quartiles: tuple[float, float], has_data: bool) -> str:
    """Return the Kolada colour of a value: top quartile green, bottom red, grey if no data."""
    if not has_data:
        return GREY
    low, high = quartiles
    return GREEN if value >= high else RED if value <= low else YELLOW


def draw_distribution(
    values: dict[str, float], has_data: dict[str, bool], spread: Spread, *, width_pt: float = 480
) -> Distribution:
    """Draw the sorted bars of every municipality, the national median and quartiles marked."""
    order = sorted(values, key=lambda k: (-values[k], k))
    quartiles = (spread.lower_quartile, spread.upper_quartile)
    median = spread.median
    figure = Figure(figsize=(width_pt / 72, 2.6), dpi=SVG_DPI)
    axes = figure.add_axes((0.07, 0.1, 0.91, 0.84))
    heights = [values[k] for k in order]
    colours = [quartile_colour(values[k], quartiles, has_data[k]) for k in order]
    _draw_bars(axes, heights, colours)
    _mark_levels(axes, median, quartiles)
    _style_axes(axes, len(order))
    svg = _to_svg(figure)
    x0, x1 = (axes.transData.transform((p, 0))[0] for p in (0, 1))
    base, top = (axes.transData.transform((0, v))[1] for v in (0, 100))
    height = figure.get_figheight() * SVG_DPI
    bars = {k: Bar(k, values[k], i) for i, k in enumerate(order)}
    return Distribution(
        svg=svg,
        bars=bars,
        x_of=(x0, x1 - x0),
        y_of=(height - base, -(top - base) / 100),
        bar_width=(x1 - x0) * BAR_SHARE,
        median=median,
        quartiles=quartiles,
    )


def _draw_bars(axes: object, heights: list[float], colours: list[str]) -> None:
    """Draw one compound path per colour, each bar a single stroked vertical segment.

    The PDF renderer parses every path point in Python when it draws a chart, and the
    four distributions were the largest part of writing a report: one path per colour
    instead of one element per bar, and two points per bar (a segment as wide as the bar)
    instead of five (a closed rectangle), made drawing them several times cheaper.
    """
    from matplotlib.axes import Axes
    from matplotlib.patches import PathPatch
    from matplotlib.path import Path as MplPath

    assert isinstance(axes, Axes)
    points_per_unit = axes.get_window_extent().width / (len(heights) + 1) * 72 / SVG_DPI
    for colour in dict.fromkeys(colours):
        vertices: list[tuple[float, float]] = []
        codes: list[Any] = []  # matplotlib's path codes are numpy integers
        for x, (height, bar_colour) in enumerate(zip(heights, colours, strict=True)):
            if bar_colour == colour:
                vertices += [(x, 0), (x, height)]
                codes += [MplPath.MOVETO, MplPath.LINETO]
        bars = PathPatch(
            MplPath(vertices, codes),
            fill=False,
            edgecolor=colour,
            linewidth=BAR_SHARE * points_per_unit,
            capstyle="butt",
            clip_on=False,
        )
        axes.add_patch(bars)


def _mark_levels(axes: object, median: float, quartiles: tuple[float, float]) -> None:
    from matplotlib.axes import Axes

    assert isinstance(axes, Axes)
    axes.axhline(median, color=MEDIAN_BLUE, linewidth=1.1, linestyle=(0, (5, 2)), clip_on=False)
    for level in quartiles:
        axes.axhline(level, color=MUTED, linewidth=0.7, linestyle=(0, (1, 2)), clip_on=False)
    # Level values are given in the caption beside the chart: labels here would collide
    # whenever the quartiles lie close to the median.


def _style_axes(axes: object, count: int) -> None:
    from matplotlib.axes import Axes

    assert isinstance(axes, Axes)
    axes.set_xlim(-1, count)
    axes.set_ylim(0, 100)
    axes.set_xticks([])
    axes.set_yticks([0, 25, 50, 75, 100])
    axes.tick_params(axis="y", labelsize=7, colors=MUTED, length=0)
    axes.grid(axis="y", color="#e6e6e6", linewidth=0.5, clip_on=False)
    axes.set_axisbelow(True)
    for side in ("top", "right", "bottom"):
        axes.spines[side].set_visible(False)
    axes.spines["left"].set_color("#cccccc")


def _to_svg(figure: Figure) -> str:
    buffer = io.StringIO()
    canvas: Any = FigureCanvasSVG(figure)  # matplotlib's SVG canvas is untyped
    canvas.print_svg(buffer, metadata={"Date": None, "Creator": None})
    return buffer.getvalue()


@dataclass(frozen=True)
class DelindexSummary:
    """The summary chart without the municipality: the national medians, drawn once.

    Each municipality's own bars, their values and the legend naming it are overlaid as a
    few SVG elements at coordinates computed from the axes' transform, as for
    `Distribution`: drawing the chart with matplotlib for every report cost more than
    laying out the rest of the summary page.
    """

    names: tuple[str, ...]  # the delindex, top to bottom
    medians: tuple[float, ...]  # the national median of each, as drawn
    svg: str
    row_y: tuple[float, ...]  # SVG y of the centre of each delindex's own bar
    x_of: tuple[float, float]  # SVG x = a + b·value
    bar_height: float
    legend: tuple[float, float]  # SVG x, y where the legend starts

    def with_values(self, own: Sequence[float], kommun: str) -> str:
        """Return the SVG with the municipality's bars, their values and the legend."""
        x0, scale = self.x_of
        parts = []
        for y, value in zip(self.row_y, own, strict=True):
            parts.append(
                f'<rect x="{x0:.2f}" y="{y - self.bar_height / 2:.2f}" '
                f'width="{max(value, 0) * scale:.2f}" height="{self.bar_height:.2f}" '
                f'fill="{MUNICIPALITY}"/>'
                f'<text x="{x0 + (value + 1) * scale:.2f}" y="{y + LABEL_DROP:.2f}" '
                f'font-family="{FONT}" font-size="8" fill="{INK}">{sv_number(value)}</text>'
            )
        parts.append(self._legend(kommun))
        return self.svg.replace("</svg>", "".join(parts) + "</svg>")

    def _legend(self, kommun: str) -> str:
        x, y = self.legend
        entries = ((kommun, MUNICIPALITY), ("Rikets median", MEDIAN_GREY))
        return "".join(
            f'<rect x="{x + i * LEGEND_STEP:.2f}" y="{y - 5:.2f}" width="14" height="5" '
            f'fill="{colour}"/>'
            f'<text x="{x + i * LEGEND_STEP + 19:.2f}" y="{y:.2f}" font-family="{FONT}" '
            f'font-size="7" fill="{INK}">{escape(label)}</text>'
            for i, (label, colour) in enumerate(entries)
        )


LEGEND_STEP = 120  # points from one legend entry to the next: room for the longest name
SUMMARY_BAR = 0.36  # height of a bar, in rows
LABEL_DROP = 2.8  # baseline below the bar's centre that centres 8-point digits on it


def draw_delindex_summary(names: Sequence[str], medians: Sequence[float]) -> DelindexSummary:
    """Draw the national median of each delindex as horizontal bars, room left beside each.

    Dark (the municipality, overlaid later) against light tells the two series apart in
    greyscale print too; a hatch would also do, but the PDF renderer draws one slowly.
    """
    figure = Figure(figsize=(6.6, 2.3), dpi=SVG_DPI)
    axes = figure.add_axes((0.27, 0.2, 0.7, 0.76))
    rows = list(range(len(names)))[::-1]
    axes.barh([r - 0.19 for r in rows], medians, height=SUMMARY_BAR, color=MEDIAN_GREY,
              linewidth=0)  # fmt: skip
    for row, value in zip(rows, medians, strict=True):
        axes.text(value + 1, row - 0.19, sv_number(value), va="center", fontsize=7, color=MUTED)
    axes.set_yticks(rows, names, fontsize=8)
    axes.set_ylim(-0.6, len(names) - 0.4)
    axes.set_xlim(0, 108)
    axes.set_xticks([0, 25, 50, 75, 100])
    axes.tick_params(axis="x", labelsize=7, colors=MUTED, length=0)
    axes.tick_params(axis="y", length=0)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    svg = _to_svg(figure)
    height = figure.get_figheight() * SVG_DPI

    def at(x: float, y: float) -> tuple[float, float]:
        shown = axes.transData.transform((x, y))
        return float(shown[0]), height - float(shown[1])

    (x0, y0), (x1, y1) = at(0, 0), at(1, -SUMMARY_BAR)
    return DelindexSummary(
        names=tuple(names),
        medians=tuple(medians),
        svg=svg,
        row_y=tuple(at(0, r + 0.19)[1] for r in rows),
        x_of=(x0, x1 - x0),
        bar_height=y1 - y0,
        legend=(at(54, 0)[0] - LEGEND_STEP * 0.75, at(0, -0.6)[1] + 30),
    )
