"""Rewrite an edition's values file with an import's values; every other row stays as it was.

CSV: a row the import does not change keeps its bytes (separator, quoting, decimal comma,
line ending, BOM of the file); a changed row keeps its other cells and gets the new value
and n; a new row goes where a sorted file has it, before the first row that comes after it
in the edition's order (municipalities.csv, then indicators.csv), so importing the values a
file already had gives the same bytes. XLSX: the same, on the first sheet's cells.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Generic, TypeVar

from rapportpaket.edition.kolada.plan import ImportPlan, Key, NewValue
from rapportpaket.edition.model import Edition
from rapportpaket.edition.sheets import normalise_kommunkod

R = TypeVar("R")  # a row as a file format reads it
T = TypeVar("T")  # a row as it writes it
Position = tuple[int, int]
_LINES = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")
_DECIMAL_COMMA = re.compile(r"^\s*-?\d+,\d+\s*$")


@dataclass(frozen=True)
class RowOrder:
    """The edition's order of rows: municipalities.csv, then indicators.csv."""

    municipalities: dict[str, int]
    indicators: dict[str, int]

    @classmethod
    def of(cls, edition: Edition) -> RowOrder:
        """Return the order of `edition`'s rows."""
        return cls(
            {m.kommunkod: k for k, m in enumerate(edition.municipalities)},
            {i.id: k for k, i in enumerate(edition.indicators)},
        )

    def position(self, key: Key | None) -> Position | None:
        """Return where a row belongs; None for a row of an unknown kind (left in place)."""
        if key is None or key[0] not in self.municipalities or key[1] not in self.indicators:
            return None
        return self.municipalities[key[0]], self.indicators[key[1]]


def _fate(plan: ImportPlan, key: Key | None, has_value: bool) -> str:
    """Return `keep`, `replace` (with plan.values[key]) or `drop` for an existing row."""
    if key is None or key[1] not in plan.indicator_ids or key in plan.unchanged:
        return "keep"
    if key in plan.values:
        return "replace"
    # An empty row already says "no data", as Kolada does: leaving it changes nothing.
    return "keep" if not has_value else "drop"


def _needs_n_column(plan: ImportPlan, columns: Sequence[str]) -> bool:
    return "n" not in columns and any(v.n is not None for v in plan.values.values())


@dataclass(frozen=True)
class _Sheet(Generic[R, T]):
    """How a file format reads a row (R) as cells and writes rows (T): CSV or XLSX."""

    cells: Callable[[R], Mapping[str, str]]  # a row's cells as text, by column name
    kept: Callable[[R], T]
    replaced: Callable[[R, NewValue], T]
    added: Callable[[Key, NewValue], T]


def _merge_sheet(
    rows: Sequence[R], sheet: _Sheet[R, T], plan: ImportPlan, order: RowOrder
) -> list[T]:
    """Return the data rows after the import: kept, replaced or dropped, and the new ones."""
    kept: list[tuple[Position | None, T]] = []
    placed: set[Key] = set()
    for row in rows:
        cells = sheet.cells(row)
        key = _key(cells)
        fate = _fate(plan, key, bool(cells.get("value", "").strip()))
        if key is not None:
            placed.add(key)
        if fate == "replace" and key is not None:
            kept.append((order.position(key), sheet.replaced(row, plan.values[key])))
        elif fate == "keep":
            kept.append((order.position(key), sheet.kept(row)))
    added = [
        (position, sheet.added(key, value))
        for key, value in plan.values.items()
        if key not in placed and (position := order.position(key)) is not None
    ]
    return merge_rows(kept, added)


def _key(cells: Mapping[str, str]) -> Key | None:
    code = normalise_kommunkod(cells.get("kommunkod", ""))
    return (code, cells.get("indicator", "").strip()) if code is not None else None


def merge_rows(
    kept: Sequence[tuple[Position | None, T]], added: Sequence[tuple[Position, T]]
) -> list[T]:
    """Return the kept rows with each added row before the first kept row that comes after it."""
    result: list[T] = []
    pending = sorted(added, key=lambda entry: entry[0])
    k = 0
    for position, row in kept:
        while position is not None and k < len(pending) and pending[k][0] < position:
            result.append(pending[k][1])
            k += 1
        result.append(row)
    result.extend(row for _, row in pending[k:])
    return result


def rewrite_values(path: Path, plan: ImportPlan, order: RowOrder) -> bytes:
    """Return the new content of the values file `path` (CSV or XLSX)."""
    if path.suffix.lower() == ".xlsx":
        return _rewrite_xlsx(path, plan, order)
    return _rewrite_csv(path, plan, order)


def number_text(value: float, decimal_comma: bool) -> str:
    """Return a value as a file writes it: `59`, `13.48` (`13,48`), never `1e-05`."""
    text = str(int(value)) if value.is_integer() else format(Decimal(repr(value)), "f")
    return text.replace(".", ",") if decimal_comma else text


# --------------------------------------------------------------------------- CSV


@dataclass(frozen=True)
class _CsvDialect:
    delimiter: str
    newline: str
    decimal_comma: bool

    def row(self, cells: Sequence[str]) -> str:
        buffer = io.StringIO()
        csv.writer(buffer, delimiter=self.delimiter, lineterminator=self.newline).writerow(cells)
        return buffer.getvalue()


def _rewrite_csv(path: Path, plan: ImportPlan, order: RowOrder) -> bytes:
    raw = path.read_bytes()
    text = raw.decode("utf-8-sig")
    # As edition.sheets reads it: `;` when the header has more of them than commas.
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    (header, header_raw), *records = _records(text, delimiter)
    columns = [cell.strip().lower() for cell in header]
    add_n = _needs_n_column(plan, columns)
    dialect = _dialect(header_raw, delimiter, columns, records)
    out = [*columns, "n"] if add_n else columns
    sheet: _Sheet[tuple[list[str], str], str] = _Sheet(
        cells=lambda record: dict(zip(columns, record[0], strict=False)),
        kept=lambda record: _extended(record[1], dialect, add_n),
        replaced=lambda record, new: dialect.row(_replaced(record[0], out, new, dialect)),
        added=lambda key, new: dialect.row(_new_cells(key, new, out, dialect)),
    )
    rows = [_extended(header_raw, dialect, add_n, "n"), *_merge_sheet(records, sheet, plan, order)]
    body = "".join(_terminated(row, dialect.newline) for row in rows[:-1]) + rows[-1]
    bom = codecs.BOM_UTF8 if raw.startswith(codecs.BOM_UTF8) else b""
    return bom + body.encode("utf-8")


def _records(text: str, delimiter: str) -> Iterator[tuple[list[str], str]]:
    """Yield each record's cells with its exact text (a quoted cell may span lines)."""
    consumed: list[str] = []

    def lines() -> Iterator[str]:
        for line in _LINES.findall(text):
            consumed.append(line)
            yield line

    for cells in csv.reader(lines(), delimiter=delimiter):
        yield cells, "".join(consumed)
        consumed.clear()


def _dialect(
    header_raw: str, delimiter: str, columns: list[str], records: list[tuple[list[str], str]]
) -> _CsvDialect:
    ending = header_raw[len(header_raw.rstrip("\r\n")) :] or "\n"
    position = columns.index("value") if "value" in columns else None
    comma = delimiter == ";" or any(
        position is not None and position < len(cells) and _DECIMAL_COMMA.match(cells[position])
        for cells, _ in records
    )
    return _CsvDialect(delimiter, ending, comma)


def _replaced(
    cells: list[str], columns: list[str], new: NewValue, dialect: _CsvDialect
) -> list[str]:
    """Return a row's cells with the new value and n; its other cells as they were."""
    result = [*cells, *[""] * (len(columns) - len(cells))]
    result[columns.index("value")] = number_text(new.value, dialect.decimal_comma)
    if "n" in columns:
        result[columns.index("n")] = "" if new.n is None else str(new.n)
    return result


def _new_cells(key: Key, new: NewValue, columns: list[str], dialect: _CsvDialect) -> list[str]:
    cells = [""] * len(columns)
    cells[columns.index("kommunkod")], cells[columns.index("indicator")] = key
    return _replaced(cells, columns, new, dialect)


def _extended(row_raw: str, dialect: _CsvDialect, add: bool, cell: str = "") -> str:
    """Return a row with one more cell at its end (the n column a file lacked)."""
    if not add or not row_raw.strip():
        return row_raw
    body = row_raw.rstrip("\r\n")
    return body + dialect.delimiter + cell + (row_raw[len(body) :] or "")


def _terminated(row: str, newline: str) -> str:
    return row if row.endswith(("\n", "\r")) else row + newline


# --------------------------------------------------------------------------- XLSX


def _rewrite_xlsx(path: Path, plan: ImportPlan, order: RowOrder) -> bytes:
    import openpyxl

    workbook = openpyxl.load_workbook(path)
    worksheet = workbook.worksheets[0]
    table: list[list[object]] = [list(row) for row in worksheet.iter_rows(values_only=True)]
    header, *records = table
    columns = [_cell_text(cell).strip().lower() for cell in header]
    out = [*columns, "n"] if _needs_n_column(plan, columns) else columns

    def padded(row: list[object]) -> list[object]:
        return [*row, *[None] * (len(out) - len(row))]

    sheet: _Sheet[list[object], list[object]] = _Sheet(
        cells=lambda row: {name: _cell_text(v) for name, v in zip(columns, row, strict=False)},
        kept=padded,
        replaced=lambda row, new: _xlsx_replaced(padded(row), out, new),
        added=lambda key, new: _xlsx_new(key, new, out),
    )
    rows = [[*header, *out[len(columns) :]], *_merge_sheet(records, sheet, plan, order)]
    worksheet.delete_rows(1, worksheet.max_row)
    for row in rows:
        worksheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _cell_text(cell: object) -> str:
    return "" if cell is None else str(cell)


def _xlsx_number(value: float) -> int | float:
    return int(value) if value.is_integer() else value


def _xlsx_replaced(row: list[object], columns: list[str], new: NewValue) -> list[object]:
    result = list(row)
    result[columns.index("value")] = _xlsx_number(new.value)
    if "n" in columns:
        result[columns.index("n")] = new.n
    return result


def _xlsx_new(key: Key, new: NewValue, columns: list[str]) -> list[object]:
    row: list[object] = [None] * len(columns)
    # kommunkod as text: a number would lose its leading zero (0114).
    row[columns.index("kommunkod")], row[columns.index("indicator")] = key
    return _xlsx_replaced(row, columns, new)
