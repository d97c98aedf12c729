"""The template context of the unit analysis (`enheter.pdf`): every value a template may use.

Templates receive one `UnitsContext` (as `units`) and nothing else; undeclared variables
fail (StrictUndefined). Numbers arrive formatted in Swedish and sentences worded; the
templates only place them.
"""

from __future__ import annotations

from dataclasses import dataclass

from rapportpaket.documents.pdf.context import Chart
from rapportpaket.documents.units.charts import MeanBar


@dataclass(frozen=True)
class OverviewRow:
    """One unit in the overview table."""

    name: str
    provider: str  # "Kommunal" or "Privat (Solgläntan Hemtjänst AB)"
    delindex: tuple[str, ...]  # per delindex "78,8 (13)": the mean and its indicators, or "–"
    strengths: int
    improvements: int


@dataclass(frozen=True)
class KeyItem:
    """A numbered indicator under a chart or a table: what it is and how the country lies."""

    number: int
    name: str
    detail: str  # "kommunen 94 %, enheternas median 95 %", "lägre är bättre" where so


@dataclass(frozen=True)
class Forest:
    """Up to three survey items side by side: each unit's value with its interval."""

    chart: Chart
    key: tuple[KeyItem, ...]


@dataclass(frozen=True)
class GridCell:
    """One unit's value on one indicator in a table of values."""

    text: str  # "100 %", or "–" where the unit has no data
    status: str  # CSS class: strength, improvement, neutral, missing


@dataclass(frozen=True)
class GridRow:
    """One unit in a table of values."""

    name: str
    cells: tuple[GridCell, ...]


@dataclass(frozen=True)
class Grid:
    """Indicators without intervals (e.g. routines, yes or no per unit) as one table."""

    columns: tuple[KeyItem, ...]  # numbered in the header, named in the key below
    rows: tuple[GridRow, ...]


@dataclass(frozen=True)
class MeansFacts:
    """One delindex's unit means, what the PDF draws as an image and the tool in the page."""

    delindex_id: int
    name: str
    lead: str  # what is measured per unit and who lies above the national unit median
    missing: str  # units without any data in the delindex, or ""
    bars: tuple[MeanBar, ...]  # the units with data, highest first
    national: float | None  # the median of all units in the country
    alt: str  # the chart in words
    caption: str


@dataclass(frozen=True)
class DelindexSection:
    """One delindex: the units side by side, then indicator by indicator."""

    anchor: str  # id for the table of contents
    name: str
    lead: str  # what is measured per unit and who lies above the national unit median
    chart: Chart  # the units' means with the municipality and the national unit median
    missing: str  # units without any data in the delindex, or ""
    forests: tuple[Forest, ...]  # survey items with intervals, three to a chart
    grids: tuple[Grid, ...]  # the other items, as tables of values


@dataclass(frozen=True)
class ProviderLine:
    """One delindex: the mean of the municipal units, of the private ones, the country's."""

    name: str
    kommunal: str  # "79,4 (4 enheter)" or "–"
    privat: str
    national: str  # median of all units in the country


@dataclass(frozen=True)
class Finding:
    """A strength, an improvement area or an item below the municipality, for one unit."""

    name: str
    detail: str  # the unit's value and what it is compared with, in one parenthesis


@dataclass(frozen=True)
class UnitSection:
    """One unit: who runs it and what stands out (its means are in the overview)."""

    anchor: str
    name: str
    about: str  # "Kommunal · 26 indikatorer · Brukarundersökningen: 59 svarande"
    strengths: tuple[Finding, ...]
    improvements: tuple[Finding, ...]  # those the percentile rule makes first
    below: tuple[Finding, ...]  # clearly below the municipality, not improvement areas


@dataclass(frozen=True)
class UnitsSummary:
    """The unit analysis without its survey charts and tables of values: the digital tool's
    unit view, and the parts of `UnitsContext` both share (the same facts, the same words)."""

    unit_count: int
    unit_words: str  # "nio hemtjänstenheter: fyra kommunala och fem privata", or that none
    overview_lead: str
    overview_note: str  # how to read the overview table
    overview_caption: str  # "Växjös enheter: medelvärde per delindex …"
    delindex_names: tuple[str, ...]
    overview: tuple[OverviewRow, ...]
    means: tuple[MeansFacts, ...]  # delindex that some unit of the municipality has
    unmeasured: str  # the delindex no unit of the municipality has data in, or ""
    providers_lead: str
    providers: tuple[ProviderLine, ...]  # empty when the municipality has one kind only
    each_lead: str  # how the units one by one are judged
    no_strengths: str  # said of a unit without strengths
    no_improvements: str  # said of a unit without improvement areas
    units: tuple[UnitSection, ...]


@dataclass(frozen=True)
class UnitsContext(UnitsSummary):
    """Everything the unit analysis shows about one municipality's units: the summary the
    tool shows too, and what only the PDF has (its survey charts and tables of values)."""

    title: str  # document title (PDF metadata and <title>)
    year: int
    kommun: str
    kommunkod: str
    lan: str
    kommungrupp: str  # or ""
    edition_name: str
    edition_date: str
    generated: str  # ISO timestamp (SOURCE_DATE_EPOCH) for metadata
    sections: tuple[DelindexSection, ...]  # `means` with their charts, indicator by indicator
    national_units: str  # "1 480 enheter i 290 kommuner"
    confidence: str  # "95 %"
    strength_percentile: str
    improvement_percentile: str
