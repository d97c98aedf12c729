"""Native, editable charts for the deck: python-pptx chart objects with embedded data.

Colours are theme colours (accent 1 the country, accent 2 the municipality, accent 3 the
national median), so restyling the template's theme recolours every chart. Axes show
whole numbers, which read the same in every locale; value labels are written as Swedish
text (`61,4`), because a chart number format follows the viewer's locale, not the deck's.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from pptx.chart.chart import Chart
from pptx.chart.data import CategoryChartData
from pptx.dml.color import ColorFormat
from pptx.enum.chart import (
    XL_AXIS_CROSSES,
    XL_CHART_TYPE,
    XL_LABEL_POSITION,
    XL_LEGEND_POSITION,
    XL_MARKER_STYLE,
    XL_TICK_LABEL_POSITION,
    XL_TICK_MARK,
)
from pptx.enum.dml import MSO_LINE_DASH_STYLE, MSO_THEME_COLOR
from pptx.opc.oxml import serialize_part_xml
from pptx.oxml import parse_xml
from pptx.oxml.ns import qn
from pptx.oxml.xmlchemy import OxmlElement
from pptx.shapes.graphfrm import GraphicFrame
from pptx.shapes.placeholder import ChartPlaceholder
from pptx.util import Pt

from rapportpaket.documents.deck.facts import Facts
from rapportpaket.documents.palette import LIGHTER
from rapportpaket.documents.scales import CLASS_NAMES, CLASSES, nice_axis, value_class
from rapportpaket.scoring.results import DECIMALS, GROUPS, EditionResults, Spread
from rapportpaket.support.swedish import sv_number

# The palette's roles in the template's theme (scripts/make_deck_template.py).
COUNTRY = MSO_THEME_COLOR.ACCENT_1  # the upper quartile, strengths
HIGHLIGHT = MSO_THEME_COLOR.ACCENT_2  # the municipality
MEDIAN = MSO_THEME_COLOR.ACCENT_3  # rikets median
WORSE_THEME = MSO_THEME_COLOR.ACCENT_4  # the lower quartile, improvement areas
MIDDLE_THEME = MSO_THEME_COLOR.ACCENT_5  # the middle half
FONT_SIZE = Pt(12)
VALUE_FORMAT = "0.0"  # in the embedded data; shown with the viewer's decimal separator
AXIS_FORMAT = "0"
MEDIAN_NAME = "Rikets median"


@dataclass(frozen=True)
class Bar:
    """One category of a distribution chart: one municipality."""

    kommunkod: str
    name: str
    value: float


def chart_data(
    categories: Sequence[str], series: Sequence[tuple[str, Sequence[float | None]]]
) -> CategoryChartData:
    """Return chart data: the categories and named series the embedded workbook holds."""
    data = CategoryChartData(number_format=VALUE_FORMAT)  # type: ignore[no-untyped-call]
    data.categories = list(categories)
    for name, values in series:
        data.add_series(name, list(values))  # type: ignore[no-untyped-call]
    return data


def insert_chart(
    placeholder: Any, chart_type: XL_CHART_TYPE, data: CategoryChartData
) -> GraphicFrame:
    """Insert a chart into a content or chart placeholder, taking its place and size."""
    # Content placeholders accept charts in PowerPoint too; python-pptx offers
    # insert_chart on chart placeholders only, and the operation is the same for both.
    shape = ChartPlaceholder(placeholder._element, placeholder._parent)
    frame: GraphicFrame = shape.insert_chart(chart_type, data)  # type: ignore[no-untyped-call]
    return frame


def set_alt_text(frame: GraphicFrame, text: str) -> None:
    """Set the alt text (`descr`) that screen readers and PowerPoint's alt-text pane show."""
    frame._element.nvGraphicFramePr.cNvPr.set("descr", text)


def set_language(chart: Chart) -> None:
    """Mark the chart's text (labels, axes) as Swedish, like the rest of the deck."""
    space: Any = chart._chartSpace
    for tag in ("a:rPr", "a:endParaRPr"):
        for element in space.iter(qn(tag)):
            element.set("lang", "sv-SE")


def paint(color: ColorFormat, theme_color: MSO_THEME_COLOR, brightness: float = 0.0) -> None:
    """Give a fill or line a theme colour (lighter with a positive brightness)."""
    color.theme_color = theme_color
    if brightness:
        color.brightness = brightness


def label_point(point: Any, text: str, position: XL_LABEL_POSITION, *, bold: bool = False) -> None:
    """Label one point of a series with its own text (Swedish numbers, not the viewer's)."""
    label = point.data_label
    frame = label.text_frame
    frame.text = text
    font = frame.paragraphs[0].runs[0].font
    font.size, font.bold = FONT_SIZE, bold
    label.position = position


def style_value_axis(chart: Chart, scale: tuple[float, float, float] = (0, 100, 20)) -> None:
    """Scale the value axis (0–100 in steps of 20 by default), light gridlines, whole numbers."""
    axis = chart.value_axis
    axis.minimum_scale, axis.maximum_scale, axis.major_unit = scale
    axis.has_major_gridlines = True
    paint(axis.major_gridlines.format.line.color, MSO_THEME_COLOR.BACKGROUND_2)
    axis.tick_labels.number_format = AXIS_FORMAT
    axis.tick_labels.number_format_is_linked = False
    axis.format.line.fill.background()
    axis.major_tick_mark = XL_TICK_MARK.NONE


# --------------------------------------------------------------------------- summary


def add_delindex_chart(placeholder: Any, facts: Facts) -> GraphicFrame:
    """Add the municipality's delindex beside the national medians (horizontal bars)."""
    parts = facts.result.delindex
    medians = [facts.median(d.spec.id) for d in parts]
    data = chart_data(
        [d.spec.name for d in parts],
        [(facts.kommun, [d.value for d in parts]), (MEDIAN_NAME, medians)],
    )
    frame = insert_chart(placeholder, XL_CHART_TYPE.BAR_CLUSTERED, data)
    chart = frame.chart
    _style_summary(chart)
    own, national = chart.plots[0].series
    for i, part in enumerate(parts):
        label_point(own.points[i], sv_number(part.value), XL_LABEL_POSITION.OUTSIDE_END, bold=True)
        label_point(national.points[i], sv_number(medians[i]), XL_LABEL_POSITION.OUTSIDE_END)
    set_language(chart)
    set_alt_text(frame, _summary_alt(facts, medians))
    return frame


def style_paired_bars(chart: Chart, gap_width: int, overlap: int) -> Any:
    """Style a chart of two bar series side by side, legend on top; return its plot."""
    chart.font.size = FONT_SIZE
    chart.has_legend = True
    chart.legend.include_in_layout = False
    chart.legend.position = XL_LEGEND_POSITION.TOP
    plot = chart.plots[0]
    plot.gap_width, plot.overlap = gap_width, overlap
    return plot


def _style_summary(chart: Chart) -> None:
    plot = style_paired_bars(chart, 60, -10)
    own, national = plot.series
    own.format.fill.solid()
    paint(own.format.fill.fore_color, HIGHLIGHT)
    national.format.fill.solid()
    paint(national.format.fill.fore_color, MEDIAN, 0.4)
    categories = chart.category_axis
    categories.reverse_order = True  # first delindex on top, as in the list beside it
    _value_axis_at_last_category(chart)
    categories.major_tick_mark = XL_TICK_MARK.NONE
    style_value_axis(chart)


def _value_axis_at_last_category(chart: Chart) -> None:
    # With the categories reversed, the value axis must cross at the last category to
    # stay at the bottom. python-pptx offers `crosses` on the value axis only, where it
    # sets the other axis; the crossing of the value axis itself is set here.
    value_axis = chart.value_axis._element
    value_axis._remove_crosses()
    value_axis._remove_crossesAt()
    value_axis._add_crosses(val=XL_AXIS_CROSSES.MAXIMUM)


def _summary_alt(facts: Facts, medians: Sequence[float]) -> str:
    parts = "; ".join(
        f"{d.spec.name} {sv_number(d.value)} (median {sv_number(m)})"
        for d, m in zip(facts.result.delindex, medians, strict=True)
    )
    return (
        f"Liggande stapeldiagram: delindex för {facts.kommun} jämfört med rikets median. {parts}."
    )


# --------------------------------------------------------------------------- distribution


@dataclass(frozen=True)
class PreparedData:
    """Chart data rendered once (chart XML and embedded workbook), for python-pptx to reuse.

    Every municipality's distribution chart holds the same data; only the highlighted
    point differs, and that is formatting applied after insertion. Rendering the data
    (above all the workbook) is most of a deck's time, so it is done once per edition.
    """

    chart_type: XL_CHART_TYPE
    xml: bytes
    xlsx_blob: bytes

    def xml_bytes(self, chart_type: XL_CHART_TYPE) -> bytes:
        """Return the chart XML (python-pptx's ChartData interface)."""
        assert chart_type == self.chart_type
        return self.xml


@dataclass(frozen=True)
class SeriesStyle:
    """A group of bars drawn in one colour (a theme colour, lightened or not)."""

    name: str
    colour: MSO_THEME_COLOR
    brightness: float = 0.0


# The classes of documents/scales.py, coloured as the palette's roles are in the theme.
CLASS_STYLES = {
    "better": SeriesStyle(CLASS_NAMES["better"], COUNTRY),
    "middle": SeriesStyle(CLASS_NAMES["middle"], MIDDLE_THEME),
    "worse": SeriesStyle(CLASS_NAMES["worse"], WORSE_THEME),
    "none": SeriesStyle(CLASS_NAMES["none"], MSO_THEME_COLOR.BACKGROUND_2),
}
GROUP_STYLES = tuple(
    SeriesStyle(group, colour, brightness)
    for group, (colour, brightness) in zip(
        GROUPS,
        ((COUNTRY, 0.0), (COUNTRY, LIGHTER), (MIDDLE_THEME, 0.0), (WORSE_THEME, LIGHTER),
         (WORSE_THEME, 0.0)),
        strict=True,
    )
)  # fmt: skip


@dataclass(frozen=True)
class Distribution:
    """A measure across the country: bars sorted highest first, one series per colour
    (each bar has its value in exactly one), the median, the axis, the data."""

    title: str
    bars: tuple[Bar, ...]
    series_of: tuple[int, ...]  # per bar, the index of its series
    styles: tuple[SeriesStyle, ...]
    median: float
    axis: tuple[float, float, float]
    data: PreparedData

    def position(self, kommunkod: str) -> int:
        """Return the index of a municipality's bar."""
        return next(i for i, b in enumerate(self.bars) if b.kommunkod == kommunkod)


def prepare_distribution(results: EditionResults, delindex_id: int) -> Distribution:
    """Return a delindex's distribution, coloured by quartile, ready to insert in any deck."""
    spread = results.national.delindex_spread(delindex_id)
    values = {r.kommunkod: r.delindex_result(delindex_id).value for r in results.municipalities}
    has = {
        r.kommunkod: any(not i.missing for i in r.indicators_in(delindex_id))
        for r in results.municipalities
    }
    used = [c for c in CLASSES if any(value_class(values[k], spread, has[k]) == c for k in values)]
    return _prepare(
        results, results.edition.delindex_spec(delindex_id).name, values, spread,
        lambda k: used.index(value_class(values[k], spread, has[k])),
        tuple(CLASS_STYLES[c] for c in used), [values[k] for k in values if has[k]],
    )  # fmt: skip


def prepare_total(results: EditionResults) -> Distribution:
    """Return the total index's distribution, coloured by result group."""
    values = {r.kommunkod: r.total for r in results.municipalities}
    group = {r.kommunkod: GROUPS.index(r.group) for r in results.municipalities}
    return _prepare(
        results, "Totalindex", values, results.national.total, group.__getitem__, GROUP_STYLES,
        list(values.values()),
    )  # fmt: skip


def _prepare(
    results: EditionResults,
    title: str,
    values: dict[str, float],
    spread: Spread,
    series_of: Callable[[str], int],
    styles: tuple[SeriesStyle, ...],
    scale: list[float],
) -> Distribution:
    names = {r.kommunkod: r.municipality.kommun for r in results.municipalities}
    bars = tuple(
        sorted(
            (Bar(k, names[k], v) for k, v in values.items()),
            key=lambda b: (-round(b.value, DECIMALS), b.name, b.kommunkod),
        )
    )
    index = tuple(series_of(b.kommunkod) for b in bars)
    axis = nice_axis(scale, spread)
    low = axis[0]
    series = [
        (style.name, [max(b.value, low) if index[i] == s else None for i, b in enumerate(bars)])
        for s, style in enumerate(styles)
    ]
    data = chart_data([b.name for b in bars], [*series, (MEDIAN_NAME, [spread.median] * len(bars))])
    kind = XL_CHART_TYPE.COLUMN_CLUSTERED
    prepared = PreparedData(kind, data.xml_bytes(kind), data.xlsx_blob)  # type: ignore[no-untyped-call]
    distribution = Distribution(title, bars, index, styles, spread.median, axis, prepared)
    return replace(distribution, data=replace(prepared, xml=_styled(distribution)))


def _styled(distribution: Distribution) -> bytes:
    """Return the chart XML with everything but the highlighted bar done: the median as
    a line, colours, legend, axes. Every municipality's chart shares it."""
    space = parse_xml(distribution.data.xml)
    chart = Chart(space, None)  # type: ignore[no-untyped-call]  # formats the XML only
    move_last_series_to_line(chart)
    _style_distribution(chart, distribution)
    return serialize_part_xml(space)


def add_distribution_chart(
    placeholder: Any, distribution: Distribution, kommunkod: str, label: str, alt: str
) -> GraphicFrame:
    """Add one bar per municipality, sorted, this one highlighted, with the median line."""
    data: Any = distribution.data  # duck-types python-pptx's ChartData
    frame = insert_chart(placeholder, distribution.data.chart_type, data)
    chart = frame.chart  # already a styled combination chart (see _styled)
    position = distribution.position(kommunkod)
    series = chart.plots[0].series[distribution.series_of[position]]
    _highlight(series.points[position], label)
    set_language(chart)
    set_alt_text(frame, alt)
    return frame


def move_last_series_to_line(chart: Chart) -> None:
    """Turn the last bar series into a line on the same axes (a combination chart)."""
    # python-pptx makes single-type charts only. The median series is written as a
    # second bar series (so the embedded workbook holds it) and then moved into a line
    # chart sharing the same axes: a combination chart every viewer can edit.
    plot_area: Any = chart._chartSpace.plotArea
    bar_chart = plot_area.find(qn("c:barChart"))
    series = bar_chart.findall(qn("c:ser"))[-1]
    bar_chart.remove(series)
    for name in ("c:invertIfNegative", "c:shape"):  # bar-only children
        for element in series.findall(qn(name)):
            series.remove(element)
    # A line series' marker comes right after its name (and its shape properties, if any).
    anchor = series.find(qn("c:spPr"))
    anchor = series.find(qn("c:tx")) if anchor is None else anchor
    anchor.addnext(_element("c:marker", _element("c:symbol", val="none")))
    series.append(_element("c:smooth", val="0"))
    axes = [copy.deepcopy(axis) for axis in bar_chart.findall(qn("c:axId"))]
    line = _element(
        "c:lineChart",
        _element("c:grouping", val="standard"),
        _element("c:varyColors", val="0"),
        series,
        _element("c:marker", val="1"),
        *axes,
    )
    bar_chart.addnext(line)


def _element(tag: str, *children: Any, **attributes: str) -> Any:
    element: Any = OxmlElement(tag)
    for key, value in attributes.items():
        element.set(key, value)
    for child in children:
        element.append(child)
    return element


def _style_distribution(chart: Chart, distribution: Distribution) -> None:
    chart.font.size = FONT_SIZE
    chart.has_legend = True
    chart.legend.include_in_layout = False
    chart.legend.position = XL_LEGEND_POSITION.BOTTOM
    bars, line = chart.plots[0], chart.plots[1]
    bars.gap_width, bars.overlap = 15, 100  # one bar per category, whichever series has it
    for series, style in zip(bars.series, distribution.styles, strict=True):
        series.format.fill.solid()
        paint(series.format.fill.fore_color, style.colour, style.brightness)
    median = line.series[0]
    median.marker.style = XL_MARKER_STYLE.NONE
    median.smooth = False
    median.format.line.width = Pt(2)
    median.format.line.dash_style = MSO_LINE_DASH_STYLE.DASH
    paint(median.format.line.color, MEDIAN)
    # Label the line near its right end, where the bars are lowest and leave room.
    count = len(distribution.bars)
    text = f"Median {sv_number(distribution.median)}"
    label_point(median.points[count - 1 - count // 12], text, XL_LABEL_POSITION.ABOVE)
    categories = chart.category_axis
    categories.tick_label_position = XL_TICK_LABEL_POSITION.NONE  # 290 names cannot be read
    categories.major_tick_mark = XL_TICK_MARK.NONE
    style_value_axis(chart, distribution.axis)


def _highlight(point: Any, label: str) -> None:
    point.format.fill.solid()
    paint(point.format.fill.fore_color, HIGHLIGHT)
    # One bar in 290 is a hairline; an outline in the same colour makes it visible.
    point.format.line.width = Pt(1.5)
    paint(point.format.line.color, HIGHLIGHT)
    label_point(point, label, XL_LABEL_POSITION.OUTSIDE_END, bold=True)


def distribution_alt(distribution: Distribution, kommun: str, value: float, rank: int) -> str:
    """Return the alt text of a distribution chart."""
    count = len(distribution.bars)
    colours = ", ".join(style.name.lower() for style in distribution.styles)
    low = sv_number(distribution.axis[0], 0)
    return (
        f"Stapeldiagram: {distribution.title} för {count} kommuner, en stapel per kommun, "
        f"sorterade från högst till lägst och färgade efter {colours}; axeln börjar på {low}. "
        f"{kommun} är markerad: {sv_number(value)}, plats {rank} av {count}. Streckad linje: "
        f"rikets median, {sv_number(distribution.median)}."
    )
