"""The template context of the PDF analysis: every value a template may use, documented.

Templates receive one `ReportContext` (as `report`) and nothing else, so a template that
uses an undeclared variable fails (StrictUndefined). All numbers arrive formatted in
Swedish; templates do not compute.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Chart:
    """An SVG chart and its alternative text."""

    uri: str  # data: URI of the SVG, for <img src>
    alt: str  # what the chart shows and the municipality's value, for screen readers
    caption: str  # visible caption under the chart


@dataclass(frozen=True)
class IndicatorRow:
    """One indicator as a row of a chapter's table."""

    name: str  # the indicator as readers see it
    tag: str  # unit, source and year, direction: "%, BU 2024, ↑"
    value: str  # the municipality's value ("72 %", "Ja", "uppgift saknas", "5,0 (2023)")
    detail: str  # survey items: "n 312, 66–78 %"; withheld n said so; else ""
    previous: str  # the value in the previous edition, or "–"
    national: str  # "65 / 70 / 74 %": medians of riket, kommungrupp, län (or shares that have)
    spine: str  # data: URI of the spine chart
    spine_alt: str  # the spine in words
    status: str  # "Styrka", "Förbättringsområde", "Saknas" or ""
    status_class: str  # CSS class: strength, improvement, neutral, missing


@dataclass(frozen=True)
class AreaRows:
    """The indicators of one area, in catalogue order."""

    area: str
    rows: tuple[IndicatorRow, ...]


@dataclass(frozen=True)
class DelindexLine:
    """One delindex on the summary page."""

    name: str
    value: str  # e.g. "82,7"
    rank: str  # e.g. "plats 24 av 290"
    change: str  # e.g. "+0,9" or "–" without a previous edition


@dataclass(frozen=True)
class Chapter:
    """One delindex chapter."""

    anchor: str  # id used by the table of contents
    name: str
    indicators: str  # the count with its noun: "1 indikator", "16 indikatorer"
    words: str  # value, rank and standing in words
    status_words: str  # how many strengths and improvement areas, and the biggest ones
    chart: Chart
    missing_note: str  # one line about wholly missing sources in this delindex, or ""
    areas: tuple[AreaRows, ...]  # every indicator of the delindex, by area


@dataclass(frozen=True)
class GroupLine:
    """A result group on the total index page."""

    name: str  # "Högt resultat"
    count: int  # municipalities in it
    rule: str  # "hela intervallet ≥ 79,1"
    colour: str  # the group's colour in the chart
    own: bool  # the municipality's group


@dataclass(frozen=True)
class Priority:
    """An improvement area with its potential gain."""

    name: str
    delindex: str
    value: str
    median: str
    gain: str  # index points with one decimal, "0,4"


@dataclass(frozen=True)
class Advice:
    """A Bibehåll or Förbättra item."""

    name: str  # a sentence (the catalogue's `statement`), else the indicator's name
    value: str
    median: str  # "rikets median 72 %", or for yes/no "26 % av kommunerna har det"
    detail: str  # why it was chosen (weight, gain) in one phrase
    examples: tuple[str, ...]  # good examples: "Umeå (samma kommungrupp): 87 %"


@dataclass(frozen=True)
class SummaryItem:
    """A Bibehåll or Förbättra line of the summary page."""

    text: str  # the indicator, or what to do about data missing from a source
    detail: str  # its value, or which items lack data


@dataclass(frozen=True)
class SourceLine:
    """A data source and this municipality's coverage of it."""

    source: str
    text: str  # e.g. "9 av 9 indikatorer" or "inga uppgifter"
    state: str  # CSS class: complete, partial, none


@dataclass(frozen=True)
class ReportContext:
    """Everything the PDF templates show about one municipality."""

    title: str  # document title (PDF metadata and <title>)
    year: int
    previous_year: str  # "2023", or "" without a previous edition
    kommun: str
    kommunkod: str
    lan: str
    kommungrupp: str  # or "" where the edition has none
    edition_name: str
    edition_date: str  # publication date, e.g. "3 december 2024"
    generated: str  # ISO timestamp (SOURCE_DATE_EPOCH) for metadata
    count: int  # municipalities compared
    total: str
    rank: str  # "plats 7 av 290"
    group: str
    interval: str  # "95 %-intervall 79,1–81,9", or that there is no survey uncertainty
    caution: str  # the published caution when whole sources are missing, or ""
    change: str  # total change and rank movement, in words
    narrative: str  # rule-based summary paragraph
    delindex: tuple[DelindexLine, ...]
    summary_chart: Chart
    bibehall: tuple[Advice, ...]
    forbattra: tuple[Advice, ...]
    bibehall_summary: tuple[SummaryItem, ...]
    forbattra_summary: tuple[SummaryItem, ...]  # missing items grouped into what to do
    total_chart: Chart  # the total index across the country, this municipality marked
    total_words: str  # where the total stands, in words
    groups: tuple[GroupLine, ...]  # the five result groups with their counts
    sources: tuple[SourceLine, ...]
    coverage: str  # caution about missing data, or that all data is present
    data_notes: tuple[str, ...]  # values from last year, withheld numbers of respondents
    about: str  # what the index is built from: this edition's indicators and sources
    indicator_count: int
    chapters: tuple[Chapter, ...]
    table_note: str  # how to read the chapters' tables
    priorities: tuple[Priority, ...]
    more_priorities: int  # improvement areas not listed in the priorities table
    cut_points: str  # the group cut points q20–q80, formatted
    confidence: str  # e.g. "95 %"
    strength_percentile: str
    improvement_percentile: str
    fallback_sources: str  # "Kolada och Senior Alert": last year's values stand in, or ""
