"""Native charts and tables of the national deck (`riket.pptx`), editable in PowerPoint.

Built with the municipal deck's helpers (`deck.charts`): theme colours, Swedish labels
written as text, alt texts. A distribution is the municipal deck's combination chart (a
bar per municipality, the median as a line) with the top of the list highlighted.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pptx.enum.chart import (
    XL_CHART_TYPE,
    XL_LABEL_POSITION,
    XL_MARKER_STYLE,
    XL_TICK_LABEL_POSITION,
    XL_TICK_MARK,
)
from pptx.enum.dml import MSO_LINE_DASH_STYLE
from pptx.enum.lang import MSO_LANGUAGE_ID
from pptx.shapes.graphfrm import GraphicFrame
from pptx.util import Emu, Pt

from rapportpaket.documents.deck.charts import (
    COUNTRY,
    FONT_SIZE,
    HIGHLIGHT,
    MEDIAN,
    MEDIAN_NAME,
    chart_data,
    insert_chart,
    label_point,
    move_last_series_to_line,
    paint,
    set_alt_text,
    set_language,
    style_value_axis,
)
from rapportpaket.support.swedish import sv_number, sv_signed

TABLE_FONT = Pt(14)


@dataclass(frozen=True)
class Bars:
    """Every municipality on one measure, highest first, and the ones to highlight."""

    names: tuple[str, ...]
    values: tuple[float, ...]
    median: float
    highlighted: tuple[int, ...]  # positions of the top of the list
    label: str  # the label of the first highlighted bar, e.g. "1 Alvesta 88,2"


def add_distribution(placeholder: Any, bars: Bars, measure: str, alt: str) -> GraphicFrame:
    """Add one bar per municipality, sorted, the top highlighted, with the median as a line."""
    data = chart_data(
        bars.names, [(measure, bars.values), (MEDIAN_NAME, [bars.median] * len(bars.names))]
    )
    frame = insert_chart(placeholder, XL_CHART_TYPE.COLUMN_CLUSTERED, data)
    chart = frame.chart
    move_last_series_to_line(chart)
    chart.font.size = FONT_SIZE
    chart.has_legend = False
    columns, line = chart.plots[0], chart.plots[1]
    columns.gap_width = 40
    series = columns.series[0]
    series.format.fill.solid()
    paint(series.format.fill.fore_color, COUNTRY, 0.45)
    for position in bars.highlighted:
        point = series.points[position]
        point.format.fill.solid()
        paint(point.format.fill.fore_color, HIGHLIGHT)
        point.format.line.width = Pt(1.5)  # one bar in 290 is a hairline without it
        paint(point.format.line.color, HIGHLIGHT)
    if bars.highlighted:
        label = series.points[bars.highlighted[0]]
        label_point(label, bars.label, XL_LABEL_POSITION.OUTSIDE_END, bold=True)
    _style_median(line.series[0], bars)
    categories = chart.category_axis
    categories.tick_label_position = XL_TICK_LABEL_POSITION.NONE  # 290 names cannot be read
    categories.major_tick_mark = XL_TICK_MARK.NONE
    style_value_axis(chart)
    set_language(chart)
    set_alt_text(frame, alt)
    return frame


def _style_median(median: Any, bars: Bars) -> None:
    median.marker.style = XL_MARKER_STYLE.NONE
    median.smooth = False
    median.format.line.width = Pt(2)
    median.format.line.dash_style = MSO_LINE_DASH_STYLE.DASH
    paint(median.format.line.color, MEDIAN)
    count = len(bars.names)  # labelled near the right end, where the bars are lowest
    text = f"Median {sv_number(bars.median)}"
    label_point(median.points[count - 1 - count // 12], text, XL_LABEL_POSITION.ABOVE)


def add_change_bars(
    placeholder: Any, names: Sequence[str], changes: Sequence[float], alt: str
) -> GraphicFrame:
    """Add horizontal bars of changes in index points, the first on top, each labelled."""
    data = chart_data(names, [("Förändring i totalindex", changes)])
    frame = insert_chart(placeholder, XL_CHART_TYPE.BAR_CLUSTERED, data)
    chart = frame.chart
    chart.font.size = FONT_SIZE
    chart.has_legend = False
    chart.plots[0].gap_width = 60
    series = chart.plots[0].series[0]
    series.format.fill.solid()
    paint(series.format.fill.fore_color, HIGHLIGHT)
    for i, change in enumerate(changes):
        label_point(series.points[i], sv_signed(change), XL_LABEL_POSITION.OUTSIDE_END, bold=True)
    chart.category_axis.reverse_order = True  # the largest on top, as in the list
    chart.category_axis.major_tick_mark = XL_TICK_MARK.NONE
    axis = chart.value_axis
    axis.visible = False  # every bar carries its value
    axis.has_major_gridlines = False
    set_language(chart)
    set_alt_text(frame, alt)
    return frame


def add_count_columns(
    placeholder: Any, names: Sequence[str], counts: Sequence[int], alt: str
) -> GraphicFrame:
    """Add one column per category with its count above it (e.g. the result groups)."""
    data = chart_data(names, [("Kommuner", [float(c) for c in counts])])
    frame = insert_chart(placeholder, XL_CHART_TYPE.COLUMN_CLUSTERED, data)
    chart = frame.chart
    chart.font.size = FONT_SIZE
    chart.has_legend = False
    series = chart.plots[0].series[0]
    series.format.fill.solid()
    paint(series.format.fill.fore_color, COUNTRY)
    for i, count in enumerate(counts):
        label_point(series.points[i], str(count), XL_LABEL_POSITION.OUTSIDE_END, bold=True)
    chart.category_axis.major_tick_mark = XL_TICK_MARK.NONE
    chart.value_axis.visible = False
    chart.value_axis.has_major_gridlines = False
    set_language(chart)
    set_alt_text(frame, alt)
    return frame


@dataclass(frozen=True)
class TableColumn:
    """A column of a native table: header, share of the table's width, alignment."""

    header: str
    share: float
    numeric: bool = False  # right-aligned


def add_table(
    slide: Any,
    placeholder: Any,
    columns: Sequence[TableColumn],
    rows: Sequence[Sequence[str]],
    alt: str,
) -> GraphicFrame:
    """Add a native table where `placeholder` is, then remove the placeholder."""
    left, top, width = Emu(placeholder.left), Emu(placeholder.top), Emu(placeholder.width)
    row_height = Emu(min(int(placeholder.height) // (len(rows) + 1), int(Pt(30))))
    frame: GraphicFrame = slide.shapes.add_table(
        len(rows) + 1, len(columns), left, top, width, Emu(row_height * (len(rows) + 1))
    )
    table = frame.table
    for c, column in enumerate(columns):
        table.columns[c].width = Emu(int(width * column.share))
    for r, cells in enumerate([[c.header for c in columns], *rows]):
        table.rows[r].height = row_height
        for c, text in enumerate(cells):
            _cell_text(table.cell(r, c), text, right=columns[c].numeric, bold=r == 0)
    placeholder._element.getparent().remove(placeholder._element)
    set_alt_text(frame, alt)
    return frame


def _cell_text(cell: Any, text: str, *, right: bool, bold: bool) -> None:
    from pptx.enum.text import PP_ALIGN

    frame = cell.text_frame
    frame.text = text
    paragraph = frame.paragraphs[0]
    paragraph.alignment = PP_ALIGN.RIGHT if right else PP_ALIGN.LEFT
    for run in paragraph.runs:
        run.font.size, run.font.bold = TABLE_FONT, bold
        run.font.language_id = MSO_LANGUAGE_ID.SWEDISH
    cell.margin_top = cell.margin_bottom = Pt(2)
