"""Render the national deck (`riket.pptx`) for the press seminar, on the template deck.

Slides use the template's named layouts and fill only their placeholders (as the
municipal deck does); what they say comes from `release.notes`, the native charts and
tables from `release.charts`. Long lists continue on a following slide.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from io import BytesIO
from typing import Any

from pptx import Presentation
from pptx.slide import Slide

from rapportpaket.documents.deck.fit import CONTINUED, Line, TextBox, paginate
from rapportpaket.documents.deck.slides import fill_text
from rapportpaket.documents.deck.template import (
    CHART,
    CLOSING,
    CONTENT,
    TITLE,
    TWO,
    layouts_by_name,
    measure_placeholder,
    normalise_package,
    read_template,
)
from rapportpaket.documents.release import narrative, notes
from rapportpaket.documents.release.charts import (
    Bars,
    TableColumn,
    add_change_bars,
    add_count_columns,
    add_distribution,
    add_table,
)
from rapportpaket.errors import RenderError
from rapportpaket.scoring.lists import NationalLists, Placing, TopList
from rapportpaket.scoring.results import GROUPS, EditionResults, Spread
from rapportpaket.support.clock import build_time
from rapportpaket.support.swedish import sv_list, sv_number, sv_percent

TABLE_ROWS = 11  # rows of a top list per slide; a longer list (ties) continues


@dataclass
class _Deck:
    """A presentation being filled, with its layouts and the measured content box."""

    prs: Any
    layouts: dict[str, Any]
    box: TextBox

    def slide(self, layout: str, title: str, note: str) -> Slide:
        """Add a slide with its title and speaker notes."""
        slide: Slide = self.prs.slides.add_slide(self.layouts[layout])
        heading, notes_frame = slide.shapes.title, slide.notes_slide.notes_text_frame
        if heading is None or notes_frame is None:
            raise RenderError(f"the template layout {layout!r} needs a title and a notes area")
        fill_text(heading, [Line(title)])
        notes_frame.text = note
        return slide


def build_deck(results: EditionResults, lists: NationalLists) -> bytes:
    """Return the national deck as bytes (the same for the same input)."""
    prs = Presentation(BytesIO(read_template(None)))
    layouts = layouts_by_name(prs, None)
    deck = _Deck(prs, layouts, measure_placeholder(layouts[CONTENT], 1))
    _add_slides(deck, results, lists)
    stamp = build_time()
    _set_properties(prs, results, stamp)
    buffer = BytesIO()
    prs.save(buffer)
    return normalise_package(buffer.getvalue(), stamp)


def _add_slides(deck: _Deck, results: EditionResults, lists: NationalLists) -> None:
    title, subtitle = notes.title_text(results)
    slide = deck.slide(TITLE, title, notes.title_note(results))
    fill_text(slide.placeholders[1], [Line(text) for text in subtitle])
    _text_slides(deck, notes.BRIEF_TITLE, notes.brief_lines(results, lists),
                 notes.brief_note(results))  # fmt: skip
    _top_slides(deck, results, lists.top)
    _distribution_slide(deck, results, lists.top, "Totalindex", results.national.total)
    _climbers_slide(deck, results, lists)
    for top in lists.top_by_delindex:
        assert top.delindex is not None
        spread = results.national.delindex_spread(top.delindex.id)
        _top_slides(deck, results, top)
        _distribution_slide(deck, results, top, top.delindex.name, spread)
    _groups_slide(deck, results)
    _coverage_slide(deck, results, lists)
    _text_slides(deck, notes.MISSING_TITLE, notes.missing_lines(results, lists),
                 notes.missing_note(results, lists))  # fmt: skip
    _text_slides(deck, notes.NOTES_TITLE, notes.notes_lines(results, lists), notes.NOTES_NOTE)
    slide = deck.slide(CLOSING, notes.CLOSING_TITLE, notes.closing_note(results))
    fill_text(slide.placeholders[1], notes.closing_lines(results))


def _text_slides(deck: _Deck, title: str, lines: Sequence[Line], note: str) -> None:
    for page, shown in enumerate(paginate(lines, deck.box)):
        text = note if page == 0 else f"Fortsättning av föregående bild. {note}"
        slide = deck.slide(CONTENT, title + (CONTINUED if page else ""), text)
        fill_text(slide.placeholders[1], shown)


def _top_slides(deck: _Deck, results: EditionResults, top: TopList) -> None:
    rows = [_top_row(p) for p in top.placings]
    pages = [rows[i : i + TABLE_ROWS] for i in range(0, len(rows), TABLE_ROWS)] or [[]]
    measure = "Totalindex" if top.delindex is None else "Värde"
    columns = (
        TableColumn("Plats", 0.1, numeric=True), TableColumn("Kommun", 0.3),
        TableColumn("Län", 0.3), TableColumn(measure, 0.15, numeric=True),
        TableColumn("Förändring", 0.15, numeric=True),
    )  # fmt: skip
    for page, shown in enumerate(pages):
        slide = deck.slide(CONTENT, notes.top_title(top, page), notes.top_note(results, top))
        alt = "Tabell: " + "; ".join(f"plats {r[0]} {r[1]} {r[3]}" for r in shown)
        add_table(slide, slide.placeholders[1], columns, shown, alt)


def _top_row(placing: Placing) -> tuple[str, ...]:
    where = placing.municipality
    return (
        str(placing.rank), where.kommun, where.lan, sv_number(placing.value),
        narrative.change_text(placing.change),
    )  # fmt: skip


def _distribution_slide(
    deck: _Deck, results: EditionResults, top: TopList, name: str, spread: Spread
) -> None:
    values = _values(results, top)
    order = sorted(values, key=lambda k: (-values[k][1], values[k][0], k))
    named = narrative.highest(top)
    codes = [p.municipality.kommunkod for p in named]
    first = named[0] if named else None
    bars = Bars(
        names=tuple(values[k][0] for k in order),
        values=tuple(values[k][1] for k in order),
        median=spread.median,
        highlighted=tuple(order.index(code) for code in codes),
        label="" if first is None else f"{first.municipality.kommun} {sv_number(first.value)}",
    )
    words = narrative.spread_words(name, spread)
    note = notes.distribution_note(words, top)
    slide = deck.slide(CHART, f"{name} – {results.count} kommuner", note)
    highest = sv_list([f"{p.rank} {p.municipality.kommun} {sv_number(p.value)}" for p in named])
    alt = (
        f"Stapeldiagram: {name} för {results.count} kommuner, en stapel per kommun, sorterade "
        f"från högst till lägst. Markerade: {highest}. Streckad linje: rikets median, "
        f"{sv_number(spread.median)}."
    )
    add_distribution(slide.placeholders[1], bars, name, alt)
    fill_text(slide.placeholders[2], [Line(f"Högst: {highest}. {words}")])


def _values(results: EditionResults, top: TopList) -> dict[str, tuple[str, float]]:
    spec = top.delindex
    return {
        r.kommunkod: (
            r.municipality.kommun,
            r.total if spec is None else r.delindex_result(spec.id).value,
        )
        for r in results.municipalities
    }


def _climbers_slide(deck: _Deck, results: EditionResults, lists: NationalLists) -> None:
    note = notes.climbers_note(results, lists)
    if not lists.climbers:
        slide = deck.slide(CONTENT, notes.CLIMBERS_TITLE, note)
        fill_text(slide.placeholders[1], [Line(narrative.climbers_sentence(lists))])
        return
    slide = deck.slide(TWO, notes.CLIMBERS_TITLE, note)
    fill_text(slide.placeholders[1], notes.climber_lines(lists))
    names = [c.municipality.kommun for c in lists.climbers]
    changes = [c.total_change for c in lists.climbers]
    alt = "Liggande stapeldiagram: förändring i totalindex sedan " + (
        f"{lists.previous_year}. "
        + "; ".join(f"{n} {narrative.change_text(c)}" for n, c in zip(names, changes, strict=True))
    )
    add_change_bars(slide.placeholders[2], names, changes, alt)


def _groups_slide(deck: _Deck, results: EditionResults) -> None:
    slide = deck.slide(TWO, notes.GROUPS_TITLE, notes.groups_note(results))
    fill_text(slide.placeholders[1], notes.groups_lines(results))
    counts = [results.national.group_count(g) for g in GROUPS]
    alt = "Stapeldiagram: antal kommuner per resultatgrupp. " + "; ".join(
        f"{g} {c}" for g, c in zip(GROUPS, counts, strict=True)
    )
    add_count_columns(slide.placeholders[2], GROUPS, counts, alt)


def _coverage_slide(deck: _Deck, results: EditionResults, lists: NationalLists) -> None:
    slide = deck.slide(CONTENT, notes.COVERAGE_TITLE, notes.coverage_note(results, lists))
    compared = lists.previous_year is not None
    since = f"Sedan {lists.previous_year}" if compared else "Förändring"
    rows = [
        (c.source, str(c.municipalities), sv_percent(100 * c.share, 1),
         narrative.count_change_text(c.change, compared=compared))
        for c in lists.coverage
    ]  # fmt: skip
    alt = "Tabell: kommuner med uppgifter per datakälla. " + "; ".join(
        f"{r[0]} {r[1]} ({r[2]})" for r in rows
    )
    columns = (
        TableColumn("Datakälla", 0.4), TableColumn("Kommuner", 0.2, numeric=True),
        TableColumn("Andel", 0.2, numeric=True), TableColumn(since, 0.2, numeric=True),
    )  # fmt: skip
    add_table(slide, slide.placeholders[1], columns, rows, alt)


def _set_properties(prs: Any, results: EditionResults, stamp: datetime) -> None:
    props = prs.core_properties
    props.title, _ = notes.title_text(results)
    props.subject = results.edition.name
    props.author = props.last_modified_by = "Hemtjänstindex"
    props.language, props.revision = "sv-SE", 1
    naive = stamp.astimezone(UTC).replace(tzinfo=None)  # python-pptx writes it as UTC
    props.created = props.modified = props.last_printed = naive
