"""Native, editable charts for the deck: python-pptx chart objects with embedded data.

Colours are theme colours (accent 1 the country, accent 2 the municipality, accent 3 the
national median), so restyling the template's theme recolours every chart. Axes show
whole numbers, which read the same in every locale; value labels are written as Swedish
text (`61,4`), because a chart number format follows the viewer's locale, not the deck's.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass
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
from pptx.oxml.ns import qn
from pptx.oxml.xmlchemy import OxmlElement
from pptx.shapes.graphfrm import GraphicFrame
from pptx.shapes.placeholder import ChartPlaceholder
from pptx.util import Pt

from rapportpaket.documents.deck.facts import Facts
from rapportpaket.scoring.results import EditionResults
from rapportpaket.support.swedish import sv_number

COUNTRY = MSO_THEME_COLOR.ACCENT_1
HIGHLIGHT = MSO_THEME_COLOR.ACCENT_2
MEDIAN = MSO_THEME_COLOR.ACCENT_3
FONT_SIZE = Pt(12)
VALUE_FORMAT = "0.0"  # in the embedded data; shown with the viewer's decimal separator
AXIS_FORMAT = "0"
MEDIAN_NAME = "Median för riket"


@dataclass(frozen=True)
class Bar:
    """One category of a distribution chart: one municipality."""

    kommunkod: str
    name: str
    value: float


def chart_data(
    categories: Sequence[str], series: Sequence[tuple[str, Sequence[float]]]
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


def style_value_axis(chart: Chart) -> None:
    """Scale the value axis 0–100 in steps of 20, with light gridlines and whole numbers."""
    axis = chart.value_axis
    axis.minimum_scale, axis.maximum_scale, axis.major_unit = 0, 100, 20
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


def _style_summary(chart: Chart) -> None:
    chart.font.size = FONT_SIZE
    chart.has_legend = True
    chart.legend.include_in_layout = False
    chart.legend.position = XL_LEGEND_POSITION.TOP
    plot = chart.plots[0]
    plot.gap_width, plot.overlap = 60, -10
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
        f"Liggande stapeldiagram: delindex för {facts.kommun} jämfört med medianen för riket. "
        f"{parts}."
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
class Distribution:
    """One delindex across the country: bars sorted highest first, the median, the data."""

    delindex_id: int
    bars: tuple[Bar, ...]
    median: float
    data: PreparedData

    def position(self, kommunkod: str) -> int:
        """Return the index of a municipality's bar."""
        return next(i for i, b in enumerate(self.bars) if b.kommunkod == kommunkod)


def prepare_distribution(results: EditionResults, delindex_id: int) -> Distribution:
    """Return the distribution chart's data for one delindex, ready to insert in any deck."""
    values = results.delindex_values(delindex_id)
    median = results.national.delindex_spread(delindex_id).median
    bars = sorted(
        (Bar(r.kommunkod, r.municipality.kommun, v)
         for r, v in zip(results.municipalities, values, strict=True)),
        key=lambda b: (-b.value, b.name, b.kommunkod),
    )  # fmt: skip
    name = results.edition.delindex_spec(delindex_id).name
    data = chart_data(
        [b.name for b in bars],
        [(name, [b.value for b in bars]), (MEDIAN_NAME, [median] * len(bars))],
    )
    kind = XL_CHART_TYPE.COLUMN_CLUSTERED
    xml = data.xml_bytes(kind)  # type: ignore[no-untyped-call]
    prepared = PreparedData(kind, xml, data.xlsx_blob)
    return Distribution(delindex_id, tuple(bars), median, prepared)


def add_distribution_chart(
    placeholder: Any, facts: Facts, distribution: Distribution
) -> GraphicFrame:
    """Add one bar per municipality, sorted, this one highlighted, with the median line."""
    data: Any = distribution.data  # duck-types python-pptx's ChartData
    frame = insert_chart(placeholder, distribution.data.chart_type, data)
    chart = frame.chart
    move_last_series_to_line(chart)
    _style_distribution(chart, facts, distribution)
    set_language(chart)
    set_alt_text(frame, _distribution_alt(facts, distribution))
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


def _style_distribution(chart: Chart, facts: Facts, distribution: Distribution) -> None:
    chart.font.size = FONT_SIZE
    chart.has_legend = False
    bars, line = chart.plots[0], chart.plots[1]
    bars.gap_width = 40
    series = bars.series[0]
    series.format.fill.solid()
    paint(series.format.fill.fore_color, COUNTRY, 0.45)
    _highlight(series.points[distribution.position(facts.result.kommunkod)], facts, distribution)
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
    style_value_axis(chart)


def _highlight(point: Any, facts: Facts, distribution: Distribution) -> None:
    point.format.fill.solid()
    paint(point.format.fill.fore_color, HIGHLIGHT)
    # One bar in 290 is a hairline; an outline in the same colour makes it visible.
    point.format.line.width = Pt(1.5)
    paint(point.format.line.color, HIGHLIGHT)
    value = facts.result.delindex_result(distribution.delindex_id).value
    label_point(
        point, f"{facts.kommun} {sv_number(value)}", XL_LABEL_POSITION.OUTSIDE_END, bold=True
    )


def _distribution_alt(facts: Facts, distribution: Distribution) -> str:
    part = facts.result.delindex_result(distribution.delindex_id)
    count = len(distribution.bars)
    return (
        f"Stapeldiagram: {part.spec.name} för {count} kommuner, en stapel per kommun, "
        f"sorterade från högst till lägst. {facts.kommun} är markerad: {sv_number(part.value)}, "
        f"plats {part.rank} av {count}. Streckad linje: medianen för riket, "
        f"{sv_number(distribution.median)}."
    )
