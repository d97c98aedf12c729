"""SVG charts of the unit analysis, written directly as SVG.

A municipality has at most some ten units, so each chart is a few dozen shapes, written
here in microseconds (a matplotlib figure per chart would cost tens of milliseconds, and a
package has about a dozen). What costs is drawing them into the PDF: WeasyPrint handles
every SVG element on its own, and lays out every text with Pango. So shapes of one style
are merged into one path (`_Canvas`), and the charts carry little text: unit names once,
values only where a bar needs them. Colours come from the palette, the font is the
report's; markers differ in shape as well as colour, so the charts read in greyscale.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from html import escape

from rapportpaket.documents.palette import (
    BETTER,
    INK,
    MEDIAN,
    MIDDLE,
    MUNICIPALITY,
    MUTED,
    RULE,
    WORSE,
)
from rapportpaket.documents.pdf.charts import FONT
from rapportpaket.support.swedish import sv_number

WIDTH = 480.0  # points: the text width of the page
LABEL_END = 168.0  # unit names end here (right-aligned)
LABEL_CHARS = 38  # longer names are shortened with "…" (7.5 pt Liberation Sans)


@dataclass(frozen=True)
class MeanBar:
    """One unit in the chart of delindex means."""

    name: str
    value: float
    kommun: float | None  # the municipality's own mean on the same indicators


@dataclass(frozen=True)
class Point:
    """One unit's value on one survey item, with its interval, on the value's own scale."""

    name: str
    value: float
    low: float | None
    high: float | None
    status: str  # strength, improvement or neutral
    label: str  # for the alternative text: "72 % (n = 40)"


def shortened(name: str) -> str:
    """Return a unit name that fits the label column."""
    return name if len(name) <= LABEL_CHARS else name[: LABEL_CHARS - 1].rstrip() + "…"


@dataclass
class _Canvas:
    """SVG being drawn: path data collected per style, texts in order."""

    paths: dict[tuple[str, str, float, str], list[str]] = field(
        default_factory=lambda: defaultdict(list)
    )
    texts: list[str] = field(default_factory=list)

    def line(self, x1: float, y1: float, x2: float, y2: float, colour: str, width: float,
             dash: str = "") -> None:  # fmt: skip
        self.paths["none", colour, width, dash].append(f"M{x1:.1f} {y1:.1f}L{x2:.1f} {y2:.1f}")

    def box(self, x: float, y: float, width: float, height: float, fill: str) -> None:
        self.paths[fill, "none", 0.0, ""].append(
            f"M{x:.1f} {y:.1f}h{width:.1f}v{height:.1f}h{-width:.1f}z"
        )

    def dot(self, x: float, y: float, radius: float, fill: str, stroke: str = "none") -> None:
        width = 1.0 if stroke != "none" else 0.0
        self.paths[fill, stroke, width, ""].append(
            f"M{x - radius:.1f} {y:.1f}a{radius} {radius} 0 1 0 {2 * radius} 0"
            f"a{radius} {radius} 0 1 0 {-2 * radius} 0z"
        )

    def text(self, x: float, y: float, text: str, *, size: float = 7.5, anchor: str = "start",
             bold: bool = False) -> None:  # fmt: skip
        weight = ' font-weight="bold"' if bold else ""
        self.texts.append(
            f'<text x="{x:.1f}" y="{y:.1f}" font-family="{FONT}" font-size="{size}" '
            f'text-anchor="{anchor}" fill="{INK}"{weight}>{escape(text)}</text>'
        )

    def svg(self, height: float) -> str:
        shapes = []
        for (fill, stroke, width, dash), data in self.paths.items():
            stroking = f' stroke="{stroke}" stroke-width="{width}"' if stroke != "none" else ""
            dashes = f' stroke-dasharray="{dash}"' if dash else ""
            shapes.append(f'<path d="{"".join(data)}" fill="{fill}"{stroking}{dashes}/>')
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH:.0f}pt" '
            f'height="{height:.1f}pt" viewBox="0 0 {WIDTH:.0f} {height:.1f}">'
            f"{''.join(shapes)}{''.join(self.texts)}</svg>"
        )


@dataclass(frozen=True)
class _Scale:
    """Maps 0–100 to x between two points."""

    left: float
    right: float

    def x(self, value: float) -> float:
        return self.left + (self.right - self.left) * min(max(value, 0.0), 100.0) / 100.0


# --------------------------------------------------------------------------- delindex means

BAR_ROW = 16.0
BAR_TOP = 4.0


def draw_means(bars: Sequence[MeanBar], national: float | None) -> str:
    """Draw each unit's delindex mean as a bar, the municipality's mean on the same
    indicators as a tick on it, and the national unit median as a dashed line."""
    canvas = _Canvas()
    scale = _Scale(LABEL_END + 8, WIDTH - 40)
    bottom = BAR_TOP + BAR_ROW * len(bars)
    for level in (0, 25, 50, 75, 100):
        x = scale.x(level)
        canvas.line(x, BAR_TOP, x, bottom, RULE, 0.5)
        canvas.text(x, bottom + 9, str(level), size=6.5, anchor="middle")
    for row, bar in enumerate(bars):
        middle = BAR_TOP + BAR_ROW * (row + 0.5)
        end = scale.x(bar.value)
        canvas.text(LABEL_END, middle + 2.7, shortened(bar.name), anchor="end")
        canvas.box(scale.left, middle - 5, end - scale.left, 10, MIDDLE)
        # Values in a column of their own: beside the bar they would cross the lines.
        canvas.text(WIDTH - 2, middle + 2.7, sv_number(bar.value), size=7, anchor="end")
        if bar.kommun is not None:
            x = scale.x(bar.kommun)
            canvas.line(x, middle - 7, x, middle + 7, MUNICIPALITY, 2.2)
    if national is not None:
        x = scale.x(national)
        canvas.line(x, BAR_TOP, x, bottom, MEDIAN, 1.1, "4 2")
    return canvas.svg(bottom + 12)


# --------------------------------------------------------------------------- survey items

PANELS = 3  # survey items side by side in one chart, sharing the unit names
PANEL_GAP = 12.0
POINT_ROW = 11.0
POINT_TOP = 12.0
MIN_SPAN = 30  # the narrowest part of the scale a panel shows, in percentage points


@dataclass(frozen=True)
class Panel:
    """One survey item: its number in the key, each unit's point (None: no data), and the
    municipality's own value and the national unit median, on the value's scale (0–100)."""

    number: int
    points: tuple[Point | None, ...]  # in the order of the chart's unit names
    kommun: float | None
    national: float | None


def draw_panels(names: Sequence[str], panels: Sequence[Panel]) -> str:
    """Draw up to three survey items side by side (forest plots): each unit's value with its
    interval, the municipality's value as a solid line, the national unit median dashed.

    The unit names are written once, at the left. Each panel shows the part of the
    scale its values lie in (`panel_range`), labelled at both ends, with grid lines every
    ten points.
    """
    canvas = _Canvas()
    width = (WIDTH - LABEL_END - 8 - PANEL_GAP * (PANELS - 1)) / PANELS
    bottom = POINT_TOP + POINT_ROW * len(names)
    for row, name in enumerate(names):
        middle = POINT_TOP + POINT_ROW * (row + 0.5)
        canvas.text(LABEL_END, middle + 2.6, shortened(name), size=7, anchor="end")
    for k, panel in enumerate(panels):
        left = LABEL_END + 8 + k * (width + PANEL_GAP)
        _panel(canvas, panel, _Scale(left, left + width), bottom)
    return canvas.svg(bottom + 11)


def _panel(canvas: _Canvas, panel: Panel, scale: _Scale, bottom: float) -> None:
    low, high = panel_range(panel)
    zoom = _Scale(
        scale.left - (scale.right - scale.left) * low / (high - low),
        scale.right + (scale.right - scale.left) * (100 - high) / (high - low),
    )
    canvas.text(scale.left, POINT_TOP - 4, f"{panel.number}.", bold=True)
    canvas.text(scale.left, bottom + 8, f"{low} %", size=6)
    canvas.text(scale.right, bottom + 8, f"{high} %", size=6, anchor="end")
    for level in range(low, high + 1, 10):
        x = zoom.x(level)
        canvas.line(x, POINT_TOP, x, bottom, RULE, 0.5)
    if panel.kommun is not None:
        x = zoom.x(panel.kommun)
        canvas.line(x, POINT_TOP, x, bottom, MUNICIPALITY, 1.4)
    if panel.national is not None:
        x = zoom.x(panel.national)
        canvas.line(x, POINT_TOP, x, bottom, MEDIAN, 1.0, "3 2")
    for row, point in enumerate(panel.points):
        if point is None:
            continue
        middle = POINT_TOP + POINT_ROW * (row + 0.5)
        if point.low is not None and point.high is not None:
            canvas.line(zoom.x(point.low), middle, zoom.x(point.high), middle, MUTED, 1.0)
        _marker(canvas, zoom.x(point.value), middle, point.status)


def panel_range(panel: Panel) -> tuple[int, int]:
    """Return the part of 0–100 % a panel shows: every value, interval and line, widened to
    whole tens and to at least 30 points, so that values far apart do not crowd."""
    shown = [v for v in (panel.kommun, panel.national) if v is not None]
    for point in panel.points:
        if point is not None:
            shown += [v for v in (point.value, point.low, point.high) if v is not None]
    low = max(0, min(int(min(shown, default=0) // 10) * 10, 70))
    high = min(100, max(-int(-max(shown, default=100) // 10) * 10, low + MIN_SPAN))
    return (high - MIN_SPAN, high) if high - low < MIN_SPAN else (low, high)


def _marker(canvas: _Canvas, x: float, y: float, status: str) -> None:
    """A strength is a filled circle, an improvement area a filled square, else a ring."""
    if status == "improvement":
        canvas.box(x - 2.8, y - 2.8, 5.6, 5.6, WORSE)
    elif status == "strength":
        canvas.dot(x, y, 3.0, BETTER)
    else:
        canvas.dot(x, y, 2.6, "white", INK)
