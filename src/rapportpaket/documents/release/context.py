"""The template context of the national report (`riket.pdf`): every value it may use.

The templates under `templates/release/` receive one `ReleaseContext` (as `release`) and
nothing else, so an undeclared variable fails (StrictUndefined). Numbers arrive formatted
in Swedish; templates do not compute. Charts are the municipal report's `Chart`.
"""

from __future__ import annotations

from dataclasses import dataclass

from rapportpaket.documents.pdf.context import Chart


@dataclass(frozen=True)
class KeyFigure:
    """A large number on the summary page and what it is."""

    value: str  # e.g. "65,9"
    label: str  # e.g. "Rikets median, totalindex"


@dataclass(frozen=True)
class PlacingRow:
    """One row of a top list."""

    rank: str
    kommun: str
    lan: str
    value: str  # one decimal, e.g. "88,2"
    change: str  # e.g. "+1,2", or "–" without a previous value


@dataclass(frozen=True)
class Ranking:
    """The total or one delindex: its distribution across all municipalities and top list."""

    anchor: str  # id used by the table of contents
    name: str  # "Totalindex" or the delindex's name
    words: str  # median, quartiles and range in words
    chart: Chart  # every municipality's bar, the top ones named
    rows: tuple[PlacingRow, ...]
    ties: str  # who shares rank 10 when the list is longer than ten, or ""
    trend: str  # what "Förändring" compares with, and any catalogue change (§8); or ""


@dataclass(frozen=True)
class ClimberRow:
    """One of the municipalities whose total rose the most."""

    kommun: str
    lan: str
    change: str  # ΔT, e.g. "+15,6"
    rank_change: str  # e.g. "+97"
    rank: str  # rank now


@dataclass(frozen=True)
class GroupRow:
    """A result group and how many municipalities are in it."""

    group: str
    count: str


@dataclass(frozen=True)
class CoverageRow:
    """A data source and how many municipalities have data from it."""

    source: str
    municipalities: str  # e.g. "286"
    share: str  # e.g. "98,6 %"
    change: str  # e.g. "+3", "ny" or "–"


@dataclass(frozen=True)
class MissingRow:
    """A municipality lacking all data from one or more sources."""

    kommun: str
    rank: str
    sources: str  # e.g. "E-hälsoenkäten och Kommunenkäten"


@dataclass(frozen=True)
class ReleaseContext:
    """Everything the national report shows."""

    title: str  # document title (PDF metadata and <title>)
    year: int
    edition_name: str
    edition_date: str  # publication date, e.g. "3 december 2024"
    generated: str  # ISO timestamp (SOURCE_DATE_EPOCH) for metadata
    count: int  # municipalities compared
    keyfigures: tuple[KeyFigure, ...]
    brief: tuple[str, ...]  # "Resultaten i korthet", one sentence each
    total: Ranking
    delindex: tuple[Ranking, ...]
    climbers: tuple[ClimberRow, ...]
    climbers_words: str  # the largest climber in words, or that there is nothing to compare
    climbers_note: str  # how climbers are chosen, and any catalogue change (§8)
    previous_year: str  # "2023", or "" without a previous edition
    groups: tuple[GroupRow, ...]
    groups_words: str  # how the groups are formed, with the cut points
    coverage: tuple[CoverageRow, ...]
    coverage_words: str  # how coverage changed, or ""
    missing: tuple[MissingRow, ...]
    missing_words: str  # how many lack a whole source: caution
    notes: tuple[str, ...]  # "Om resultaten": catalogue change, values from last year
