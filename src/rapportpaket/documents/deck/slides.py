"""Render a municipality's slide deck (`presentation.pptx`) from the template deck.

Slides are added on the template's named layouts and only their placeholders are filled,
so positions, colours and fonts stay in the template (`deck_package`). What the slides
say comes from `deck_content` and `deck_notes`, the charts from `deck_charts`; lists that
would overflow continue on a following slide (`deck_text`). `DeckRenderer` reads the
template once and renders any number of decks.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from io import BytesIO
from pathlib import Path
from typing import Any

from pptx import Presentation
from pptx.enum.lang import MSO_LANGUAGE_ID
from pptx.slide import Slide, SlideLayout

from rapportpaket.documents.deck import facts as content
from rapportpaket.documents.deck import notes as notes
from rapportpaket.documents.deck.charts import (
    Distribution,
    add_delindex_chart,
    add_distribution_chart,
    distribution_alt,
    prepare_distribution,
    prepare_total,
)
from rapportpaket.documents.deck.fit import CONTINUED, Line, TextBox, paginate, paginate_columns
from rapportpaket.documents.deck.template import (
    CHART,
    CLOSING,
    CONTENT,
    MEASURED,
    TITLE,
    TWO,
    SpeakerNotes,
    layouts_by_name,
    measure_placeholder,
    open_presentation,
    read_template,
    save_presentation,
)
from rapportpaket.documents.units.slides import add_unit_slides
from rapportpaket.errors import RenderError
from rapportpaket.scoring.results import EditionResults
from rapportpaket.support.clock import build_time
from rapportpaket.support.files import write_atomic
from rapportpaket.support.swedish import sv_number

Note = Callable[[int, Sequence[Line]], str]


class DeckRenderer:
    """Render decks from one template, read once (a batch renders hundreds per process)."""

    def __init__(self, template: Path | None = None) -> None:
        self._template = read_template(template)
        prs = Presentation(BytesIO(self._template))
        layouts = layouts_by_name(prs, template)
        self._boxes = {key: measure_placeholder(layouts[key[0]], key[1]) for key in MEASURED}
        self._notes = SpeakerNotes()
        self._edition: _Edition | None = None

    def render(
        self, results: EditionResults, kommunkod: str, target: Path, *, units: bool = False
    ) -> None:
        """Write the deck of one municipality to `target`, atomically."""
        write_atomic(target, self.build(results, kommunkod, units=units))

    def build(self, results: EditionResults, kommunkod: str, *, units: bool = False) -> bytes:
        """Return the deck of one municipality as bytes (the same for the same input); with
        `units`, the unit analysis's slides before the closing one."""
        edition = self._prepare(results)
        facts = content.Facts(results, results.result_for(kommunkod))
        prs = open_presentation(self._template)
        layouts = {layout.name: layout for layout in prs.slide_layouts}
        deck = _Deck(prs, layouts, self._boxes, edition, self._notes)
        _add_slides(deck, facts, units=units)
        stamp = build_time()
        _set_properties(prs, facts, stamp)
        return save_presentation(prs, stamp)

    def _prepare(self, results: EditionResults) -> _Edition:
        # What depends on the edition only is computed once per results object.
        if self._edition is None or self._edition.results is not results:
            self._edition = _Edition.of(results)
        return self._edition


@dataclass(frozen=True)
class _Edition:
    """The parts of every deck of one edition that do not depend on the municipality."""

    results: EditionResults
    distributions: dict[int, Distribution]
    total: Distribution

    @classmethod
    def of(cls, results: EditionResults) -> _Edition:
        distributions = {
            d.id: prepare_distribution(results, d.id) for d in results.edition.delindex
        }
        return cls(results, distributions, prepare_total(results))


@cache
def renderer_for(template: Path | None = None) -> DeckRenderer:
    """Return this process's renderer of `template` (None: the packaged one), read once."""
    return DeckRenderer(template)


def render_deck(
    results: EditionResults,
    kommunkod: str,
    target: Path,
    *,
    template: Path | None = None,
    units: bool = False,
) -> None:
    """Write `presentation.pptx` for one municipality (from `template`, else the packaged one);
    with `units`, including the slides of the unit analysis."""
    renderer_for(template).render(results, kommunkod, target, units=units)


# --------------------------------------------------------------------------- slides


class _Deck:
    """A presentation being filled, with its layouts and measured text boxes."""

    def __init__(
        self,
        prs: Any,
        layouts: dict[str, SlideLayout],
        boxes: dict[tuple[str, int], TextBox],
        edition: _Edition,
        notes: SpeakerNotes,
    ) -> None:
        self.prs, self.layouts, self.boxes = prs, layouts, boxes
        self.edition = edition
        self.notes = notes

    def slide(self, layout: str, title: str, note: str) -> Slide:
        """Add a slide with its title and speaker notes."""
        slide: Slide = self.prs.slides.add_slide(self.layouts[layout])
        heading, notes_frame = slide.shapes.title, self.notes.text_frame(slide)
        if heading is None or notes_frame is None:
            raise RenderError(f"the template layout {layout!r} needs a title and a notes area")
        heading.text_frame.text = title
        _swedish(heading.text_frame.paragraphs)
        notes_frame.text = note
        return slide


def _add_slides(deck: _Deck, facts: content.Facts, *, units: bool = False) -> None:
    _title_slide(deck, facts)
    _about_slides(deck, facts)
    _summary_slide(deck, facts)
    _total_slide(deck, facts)
    for part in facts.result.delindex:
        _delindex_slides(deck, facts, part.spec.id)
    _conclusion_slides(deck, facts)
    _list_slides(deck, content.EXAMPLES_TITLE, content.example_lines(facts), _examples_note(facts))
    if units:  # the unit analysis add-on (method.md §12)
        add_unit_slides(deck, facts.results, facts.result.kommunkod)
    slide = deck.slide(CLOSING, content.CLOSING_TITLE, notes.closing_note(facts))
    fill_text(slide.placeholders[1], [Line(text) for text in content.closing_lines(facts)])


def _examples_note(facts: content.Facts) -> Note:
    def note(page: int, shown: Sequence[Line]) -> str:
        return notes.examples_note(facts) if page == 0 else "Fortsättning av de goda exemplen."

    return note


def _title_slide(deck: _Deck, facts: content.Facts) -> None:
    title, subtitle = content.title_text(facts)
    slide = deck.slide(TITLE, title, notes.title_note(facts))
    fill_text(slide.placeholders[1], [Line(text) for text in subtitle if text])


def _about_slides(deck: _Deck, facts: content.Facts) -> None:
    left, right = content.about_lines(facts)
    _column_slides(deck, content.ABOUT_TITLE, left, right, notes.about_note(facts))


def _summary_slide(deck: _Deck, facts: content.Facts) -> None:
    slide = deck.slide(TWO, content.SUMMARY_TITLE, notes.summary_note(facts))
    fill_text(slide.placeholders[1], content.summary_lines(facts))
    add_delindex_chart(slide.placeholders[2], facts)


def _total_slide(deck: _Deck, facts: content.Facts) -> None:
    result = facts.result
    slide = deck.slide(CHART, content.TOTAL_TITLE, notes.total_note(facts))
    distribution = deck.edition.total
    add_distribution_chart(
        slide.placeholders[1], distribution, result.kommunkod,
        f"{facts.kommun} {sv_number(result.total)}",
        distribution_alt(distribution, facts.kommun, result.total, result.rank),
    )  # fmt: skip
    fill_text(slide.placeholders[2], [Line(content.total_caption(facts))])


def _delindex_slides(deck: _Deck, facts: content.Facts, delindex_id: int) -> None:
    part = facts.result.delindex_result(delindex_id)
    name = part.spec.name
    title = f"{name} – {facts.results.count} kommuner"
    slide = deck.slide(CHART, title, notes.distribution_note(facts, delindex_id))
    distribution = deck.edition.distributions[delindex_id]
    add_distribution_chart(
        slide.placeholders[1], distribution, facts.result.kommunkod,
        f"{facts.kommun} {sv_number(part.value)}",
        distribution_alt(distribution, facts.kommun, part.value, part.rank),
    )  # fmt: skip
    fill_text(slide.placeholders[2], [Line(content.distribution_caption(facts, delindex_id))])
    _column_slides(
        deck,
        f"{content.FINDINGS_TITLE} – {name}",
        content.improvement_lines(facts, delindex_id),
        content.strength_lines(facts, delindex_id),
        notes.findings_note(facts, delindex_id),
    )


def _conclusion_slides(deck: _Deck, facts: content.Facts) -> None:
    keep, improve = content.conclusion_lines(facts)
    _column_slides(deck, content.CONCLUSIONS_TITLE, keep, improve, notes.conclusion_note(facts))


def _list_slides(deck: _Deck, title: str, lines: Sequence[Line], note: Note) -> None:
    for page, shown in enumerate(paginate(lines, deck.boxes[CONTENT, 1])):
        slide = deck.slide(CONTENT, title + (CONTINUED if page else ""), note(page, shown))
        fill_text(slide.placeholders[1], shown)


def _column_slides(
    deck: _Deck, title: str, left: Sequence[Line], right: Sequence[Line], note: str
) -> None:
    pages = paginate_columns(left, right, deck.boxes[TWO, 1], deck.boxes[TWO, 2])
    for page, columns in enumerate(pages):
        text = note if page == 0 else f"Fortsättning av föregående bild. {note}"
        slide = deck.slide(TWO, title + (CONTINUED if page else ""), text)
        for idx, lines in zip((1, 2), columns, strict=True):
            fill_text(slide.placeholders[idx], lines)


# --------------------------------------------------------------------------- text


def fill_text(placeholder: Any, lines: Sequence[Line]) -> None:
    """Put `lines` into a text placeholder; an empty one is removed, not left as a prompt."""
    if not lines:
        element = placeholder._element
        element.getparent().remove(element)
        return
    frame = placeholder.text_frame
    for i, line in enumerate(lines):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        paragraph.level = line.level
        run = paragraph.add_run()
        run.text = line.text
        if line.bold:
            run.font.bold = True
    _swedish(frame.paragraphs)


def _swedish(paragraphs: Sequence[Any]) -> None:
    # Proofing language of every run, so that spell checking does not flag the text.
    for paragraph in paragraphs:
        for run in paragraph.runs:
            run.font.language_id = MSO_LANGUAGE_ID.SWEDISH


# --------------------------------------------------------------------------- package


def _set_properties(prs: Any, facts: content.Facts, stamp: datetime) -> None:
    props = prs.core_properties
    title, _ = content.title_text(facts)
    props.title, props.subject = title, facts.results.edition.name
    props.author = props.last_modified_by = "Hemtjänstindex"
    props.language, props.revision = "sv-SE", 1
    # python-pptx's template says "generated using python-pptx": say what the deck is.
    props.comments = (
        f"Presentation av {facts.kommun}s resultat i {facts.results.edition.name}, "
        "med talarmanus till varje bild."
    )
    props.keywords = f"Hemtjänstindex; hemtjänst; {facts.kommun}; {facts.results.edition.year}"
    props.category = "Hemtjänstindex"
    naive = stamp.astimezone(UTC).replace(tzinfo=None)  # python-pptx writes it as UTC
    props.created = props.modified = props.last_printed = naive
