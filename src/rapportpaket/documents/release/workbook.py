"""The release's spreadsheet (`hemtjanstindex-<year>.xlsx`) for the website and journalists.

Sheets: Rankinglista (every municipality), Topp 10, one per delindex, Klättrare and
Täckning. Headers are Swedish; numbers are stored as numbers (unrounded) and shown with
one decimal, so that Excel sorts and computes on them and shows a decimal comma in a
Swedish locale. The header row is frozen and filtered.

Text that begins with `=`, `+`, `-` or `@` is stored as text marked "quote prefix" (what
Excel does when one types a leading apostrophe): Excel shows the name exactly and never
reads it as a formula. The CSV lists keep such names as they are (they are for programs).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from rapportpaket.documents import palette
from rapportpaket.documents.deck.template import normalise_package
from rapportpaket.scoring.lists import NationalLists, TopList
from rapportpaket.scoring.results import EditionResults, MunicipalityResult
from rapportpaket.support.clock import build_time

Cell = str | int | float | None
ONE_DECIMAL = "0.0"
SIGNED_DECIMAL = "+0.0;-0.0;0.0"
WHOLE = "0"
SIGNED_WHOLE = "+0;-0;0"
SHARE = "0.0%"
TEXT = "@"
FORMULA_STARTS = ("=", "+", "-", "@")
MAX_WIDTH = 48  # characters: a long list of missing sources wraps instead


@dataclass(frozen=True)
class Column:
    """A column of a sheet: its Swedish header and how its numbers are shown."""

    header: str
    number_format: str = "General"


def build_workbook(results: EditionResults, lists: NationalLists) -> bytes:
    """Return the spreadsheet as bytes (the same for the same input and SOURCE_DATE_EPOCH)."""
    workbook = Workbook()
    default = workbook.active
    if default is not None:
        workbook.remove(default)
    _ranking_sheet(workbook, results)
    _top_sheet(workbook, "Topp 10", lists.top, "Totalindex")
    for top in lists.top_by_delindex:
        assert top.delindex is not None
        _top_sheet(workbook, f"Delindex {top.delindex.id}", top, top.delindex.name)
    _climbers_sheet(workbook, lists)
    _coverage_sheet(workbook, lists)
    stamp = build_time()
    _set_properties(workbook, results, stamp.replace(tzinfo=None))
    buffer = BytesIO()
    workbook.save(buffer)
    return normalise_package(buffer.getvalue(), stamp)


def _ranking_sheet(workbook: Workbook, results: EditionResults) -> None:
    specs = results.edition.delindex
    columns = [
        Column("Placering", WHOLE), Column("Kommunkod", TEXT), Column("Kommun"), Column("Län"),
        Column("Totalindex", ONE_DECIMAL), Column("Resultatgrupp"),
        *(c for spec in specs for c in (Column(spec.name, ONE_DECIMAL),
                                        Column(f"Placering {spec.name}", WHOLE))),
        Column("Förändring totalindex", SIGNED_DECIMAL),
        Column("Förändring placering", SIGNED_WHOLE), Column("Saknar data från"),
    ]  # fmt: skip
    ordered = sorted(results.municipalities, key=lambda r: (r.rank, r.kommunkod))
    rows = [_ranking_row(r) for r in ordered]
    _sheet(workbook, "Rankinglista", columns, rows, frozen_columns=3)


def _ranking_row(result: MunicipalityResult) -> list[Cell]:
    where = result.municipality
    parts: list[Cell] = [x for d in result.delindex for x in (d.value, d.rank)]
    missing = ", ".join(sorted(c.source for c in result.coverage if c.none))
    return [
        result.rank, where.kommunkod, where.kommun, where.lan, result.total, result.group,
        *parts, result.total_change, result.rank_change, missing or None,
    ]  # fmt: skip


def _top_sheet(workbook: Workbook, title: str, top: TopList, measure: str) -> None:
    columns = [
        Column("Placering", WHOLE), Column("Kommunkod", TEXT), Column("Kommun"), Column("Län"),
        Column(measure, ONE_DECIMAL), Column("Förändring", SIGNED_DECIMAL),
    ]  # fmt: skip
    rows: list[list[Cell]] = [
        [p.rank, p.municipality.kommunkod, p.municipality.kommun, p.municipality.lan,
         p.value, p.change]
        for p in top.placings
    ]  # fmt: skip
    _sheet(workbook, title, columns, rows)


def _climbers_sheet(workbook: Workbook, lists: NationalLists) -> None:
    columns = [
        Column("Kommunkod", TEXT), Column("Kommun"), Column("Län"),
        Column("Förändring totalindex", SIGNED_DECIMAL),
        Column("Förändring placering", SIGNED_WHOLE), Column("Placering", WHOLE),
    ]  # fmt: skip
    rows: list[list[Cell]] = [
        [c.municipality.kommunkod, c.municipality.kommun, c.municipality.lan,
         c.total_change, c.rank_change, c.rank]
        for c in lists.climbers
    ]  # fmt: skip
    _sheet(workbook, "Klättrare", columns, rows)


def _coverage_sheet(workbook: Workbook, lists: NationalLists) -> None:
    since = "" if lists.previous_year is None else f" sedan {lists.previous_year}"
    columns = [
        Column("Datakälla"), Column("Kommuner med uppgifter", WHOLE),
        Column("Andel av kommunerna", SHARE), Column(f"Förändring{since}", SIGNED_WHOLE),
    ]  # fmt: skip
    compared = lists.previous_year is not None
    rows: list[list[Cell]] = [
        [c.source, c.municipalities, c.share, "ny" if compared and c.change is None else c.change]
        for c in lists.coverage
    ]
    _sheet(workbook, "Täckning", columns, rows)


def _sheet(
    workbook: Workbook,
    title: str,
    columns: Sequence[Column],
    rows: Sequence[Sequence[Cell]],
    *,
    frozen_columns: int = 0,
) -> None:
    sheet = workbook.create_sheet(title)
    _header(sheet, columns)
    for r, row in enumerate(rows, start=2):
        for c, (column, value) in enumerate(zip(columns, row, strict=True), start=1):
            _put(sheet, r, c, value, column)
    last = get_column_letter(len(columns))
    sheet.freeze_panes = f"{get_column_letter(frozen_columns + 1)}2"
    sheet.auto_filter.ref = f"A1:{last}{len(rows) + 1}"
    _set_widths(sheet, columns, rows)


def _header(sheet: Worksheet, columns: Sequence[Column]) -> None:
    fill = PatternFill("solid", fgColor=palette.BRAND.lstrip("#"))
    for c, column in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=c, value=column.header)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = fill
        cell.alignment = Alignment(vertical="top", wrap_text=True)


def _put(sheet: Worksheet, row: int, column: int, value: Cell, spec: Column) -> None:
    cell = sheet.cell(row=row, column=column, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # never a formula, whatever the text begins with
        cell.quotePrefix = value.startswith(FORMULA_STARTS)
    if spec.number_format != "General":
        cell.number_format = spec.number_format


def _set_widths(
    sheet: Worksheet, columns: Sequence[Column], rows: Sequence[Sequence[Cell]]
) -> None:
    for c, column in enumerate(columns, start=1):
        texts = [_shown(row[c - 1]) for row in rows]
        longest = max([len(w) for w in column.header.split()] + [len(t) for t in texts])
        sheet.column_dimensions[get_column_letter(c)].width = min(longest + 3, MAX_WIDTH)


def _shown(value: Cell) -> str:
    # About the width Excel shows: numbers with one decimal, text as it is.
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:+.1f}"
    return str(value)


def _set_properties(workbook: Workbook, results: EditionResults, stamp: datetime) -> None:
    props = workbook.properties
    props.title = f"Hemtjänstindex {results.edition.year} – rankinglistor"
    props.subject = results.edition.name
    props.creator = props.lastModifiedBy = "Hemtjänstindex"
    props.language = "sv-SE"
    props.created = props.modified = stamp
