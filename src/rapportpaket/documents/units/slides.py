"""The deck's unit slides (method.md §12): the units at a glance, then one per delindex.

Added to a municipality's deck when its order includes the unit analysis. The facts and
their wording are the PDF's (`units.narrative`); the slides use the template's layouts,
a native table and native charts, so everything stays editable.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION
from pptx.enum.lang import MSO_LANGUAGE_ID
from pptx.enum.text import PP_ALIGN
from pptx.shapes.placeholder import TablePlaceholder
from pptx.slide import Slide
from pptx.util import Emu, Pt

from rapportpaket.documents.deck.charts import (
    COUNTRY,
    HIGHLIGHT,
    chart_data,
    insert_chart,
    set_alt_text,
    set_language,
    style_paired_bars,
)
from rapportpaket.documents.deck.fit import BOLD_FACTOR, text_width
from rapportpaket.documents.deck.template import CHART, CONTENT, EMU_PER_POINT
from rapportpaket.documents.phrases import genitive, provider_text
from rapportpaket.documents.units import narrative
from rapportpaket.scoring.results import EditionResults, UnitResult
from rapportpaket.support.swedish import sv_number

OVERVIEW_TITLE = "Hemtjänstenheterna i korthet"
ROWS_PER_SLIDE = 10  # units in one overview table; more continue on the next slide
TABLE_TEXT = Pt(12)
SMALL_TEXT = Pt(10)  # who runs a unit, under its name
CELL_MARGINS = 16.0  # points: python-pptx's default cell margins, 0.1 inch each side
KOMMUN_SERIES = "Kommunen, samma indikatorer"
UNIT_SERIES = "Enheten"


class Deck(Protocol):
    """A deck being filled: adds a slide on a named layout with its title and notes."""

    def slide(self, layout: str, title: str, note: str) -> Slide: ...


def add_unit_slides(deck: Deck, results: EditionResults, kommunkod: str) -> None:
    """Add the overview of the municipality's units and one slide per measured delindex."""
    units = narrative.unit_results(results)
    kommun = results.result_for(kommunkod).municipality.kommun
    mine = sorted(units.of(kommunkod), key=lambda u: (u.unit.provider != "kommunal", u.unit.name))
    _overview_slides(deck, results, kommun, mine)
    for spec in results.edition.delindex:
        ranked = [
            u
            for u in units.ranked(kommunkod, spec.id)
            if u.delindex_result(spec.id).value is not None
        ]
        if ranked:
            _delindex_slide(deck, results, kommun, ranked, spec.id)


# --------------------------------------------------------------------------- overview


def _overview_slides(
    deck: Deck, results: EditionResults, kommun: str, units: Sequence[UnitResult]
) -> None:
    note = " ".join(
        filter(None, [narrative.overview_sentence(results, kommun, units),
                      narrative.carriers_sentence(units), _reading_note()])
    )  # fmt: skip
    pages = [
        units[start : start + ROWS_PER_SLIDE] for start in range(0, len(units), ROWS_PER_SLIDE)
    ]
    for page, shown in enumerate(pages or [[]]):
        title = f"{OVERVIEW_TITLE} – {kommun}" + (" (forts.)" if page else "")
        slide = deck.slide(CONTENT, title, note if page == 0 else f"Fortsättning. {note}")
        _table(slide.placeholders[1], results, shown)


def _reading_note() -> str:
    return (
        "Tabellen visar varje enhets medelvärde per delindex, 0 till 100 poäng, med antalet "
        "indikatorer som mäts för enheten inom parentes, och hur många styrkor och "
        "förbättringsområden enheten har jämfört med alla enheter i riket."
    )


def _table(placeholder: Any, results: EditionResults, units: Sequence[UnitResult]) -> None:
    header = ["Enhet och utförare", *(d.name for d in results.edition.delindex), "Styrkor",
              "Förbättrings-\nområden"]  # fmt: skip
    body = [_row(u) for u in units]
    frame = TablePlaceholder(placeholder._element, placeholder._parent).insert_table(
        len(body) + 1, len(header)
    )  # type: ignore[no-untyped-call]
    table = frame.table
    for k, width in enumerate(_widths(frame.width, header, body)):
        table.columns[k].width = width
    for k, text in enumerate(header):
        _cell(table.cell(0, k), text.split("\n"), numeric=k > 0)
    for r, (unit, cells) in enumerate(zip(units, body, strict=True), start=1):
        provider = provider_text(unit.unit.provider, unit.unit.provider_name)
        _cell(table.cell(r, 0), [cells[0], provider], numeric=False)
        for k, text in enumerate(cells[1:], start=1):
            _cell(table.cell(r, k), [text], numeric=True)
    names = ", ".join(u.unit.name for u in units)
    frame._element.nvGraphicFramePr.cNvPr.set(
        "descr", f"Tabell över enheterna: {names}. Medelvärde per delindex med antalet "
        "indikatorer, styrkor och förbättringsområden.",
    )  # fmt: skip


def _row(unit: UnitResult) -> list[str]:
    means = (
        "–" if d.value is None else f"{sv_number(d.value)} ({d.indicators})" for d in unit.delindex
    )
    return [unit.unit.name, *means, str(len(unit.strengths)), str(len(unit.improvements))]


def _widths(total: int, header: Sequence[str], body: Sequence[Sequence[str]]) -> list[Emu]:
    """Give each number column the width of its widest text (a delindex name in the header
    is usually it), and the unit names the rest."""
    needed = [
        max(text_width(line, TABLE_TEXT.pt * BOLD_FACTOR) for line in column.split("\n"))
        for column in header[1:]
    ]
    for row in body:
        needed = [
            max(n, text_width(text, TABLE_TEXT.pt)) for n, text in zip(needed, row[1:], strict=True)
        ]
    numbers = [Emu(int((width + CELL_MARGINS) * EMU_PER_POINT)) for width in needed]
    return [Emu(total - sum(numbers)), *numbers]


def _cell(cell: Any, lines: Sequence[str], *, numeric: bool) -> None:
    frame = cell.text_frame
    frame.text = lines[0]
    for extra in lines[1:]:
        frame.add_paragraph().text = extra
    for number, paragraph in enumerate(frame.paragraphs):
        if numeric:
            paragraph.alignment = PP_ALIGN.RIGHT
        for run in paragraph.runs:
            run.font.size = TABLE_TEXT if number == 0 or numeric else SMALL_TEXT
            run.font.language_id = MSO_LANGUAGE_ID.SWEDISH


# --------------------------------------------------------------------------- delindex


def _delindex_slide(
    deck: Deck,
    results: EditionResults,
    kommun: str,
    ranked: Sequence[UnitResult],
    delindex_id: int,
) -> None:
    name = results.edition.delindex_spec(delindex_id).name
    lead = narrative.delindex_lead(results, kommun, ranked, delindex_id)
    note = (
        f"{lead} Diagrammet visar varje enhets medelvärde i {name} bredvid kommunens eget värde "
        "på samma indikatorer. Enheter med få svarande kan skilja sig mycket av en slump; i "
        "enhetsanalysen visas osäkerheten fråga för fråga."
    )
    slide = deck.slide(CHART, f"{name} – {genitive(kommun)} enheter", note)
    _means_chart(slide.placeholders[1], kommun, ranked, delindex_id, name)
    median = narrative.unit_results(results).delindex_median(delindex_id)
    caption = (
        f"0–100 poäng. Rikets median för enheternas medelvärde: {sv_number(median)}."
        if median is not None
        else "0–100 poäng."
    )
    _caption(slide.placeholders[2], caption)


def _caption(placeholder: Any, text: str) -> None:
    frame = placeholder.text_frame
    frame.text = text
    for run in frame.paragraphs[0].runs:
        run.font.language_id = MSO_LANGUAGE_ID.SWEDISH


def _means_chart(
    placeholder: Any, kommun: str, ranked: Sequence[UnitResult], delindex_id: int, name: str
) -> None:
    # A bar chart draws its first category at the bottom: the highest unit goes last.
    shown = list(reversed(ranked))
    parts = [u.delindex_result(delindex_id) for u in shown]
    own = [p.kommun_value if p.kommun_value is not None else 0.0 for p in parts]
    data = chart_data(
        [u.unit.name for u in shown],
        [(UNIT_SERIES, [p.value or 0.0 for p in parts]), (KOMMUN_SERIES, own)],
    )
    frame = insert_chart(placeholder, XL_CHART_TYPE.BAR_CLUSTERED, data)
    chart = frame.chart
    plot = style_paired_bars(chart, 50, -5)
    for series, colour in zip(plot.series, (COUNTRY, HIGHLIGHT), strict=True):
        series.format.fill.solid()
        series.format.fill.fore_color.theme_color = colour
    axis = chart.value_axis
    axis.minimum_scale, axis.maximum_scale, axis.major_unit = 0, 100, 20
    axis.has_major_gridlines = True
    unit_series = plot.series[0]
    for i, part in enumerate(parts):
        label = unit_series.points[i].data_label
        label.text_frame.text = sv_number(part.value or 0.0)
        label.position = XL_LABEL_POSITION.OUTSIDE_END
    set_language(chart)
    listed = "; ".join(
        f"{u.unit.name} {sv_number(p.value or 0.0)}"
        + ("" if p.kommun_value is None else f" (kommunen {sv_number(p.kommun_value)})")
        for u, p in zip(reversed(shown), reversed(parts), strict=True)
    )
    set_alt_text(
        frame,
        f"Liggande stapeldiagram: medelvärdet i {name} för {genitive(kommun)} enheter, högst "
        f"först, bredvid kommunens värde på samma indikatorer. {listed}.",
    )
