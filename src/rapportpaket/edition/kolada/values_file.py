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
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TypeVar

from rapportpaket.edition.kolada.plan import ImportPlan, Key, NewValue
from rapportpaket.edition.model import Edition
from rapportpaket.edition.sheets import normalise_kommunkod

T = TypeVar("T")
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


@dataclass(frozen=True)
class _Rules:
    """What becomes of an existing row, the same for CSV and XLSX."""

    plan: ImportPlan

    def fate(self, key: Key | None, has_value: bool) -> str:
        """Return `keep`, `replace` (with plan.values[key]) or `drop` for an existing row."""
        if key is None or key[1] not in self.plan.indicator_ids or key in self.plan.unchanged:
            return "keep"
        if key in self.plan.values:
            return "replace"
        # An empty row already says "no data", as Kolada does: leaving it changes nothing.
        return "keep" if not has_value else "drop"

    def needs_n_column(self, columns: Sequence[str]) -> bool:
        return "n" not in columns and any(v.n is not None for v in self.plan.values.values())


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
    records = list(_records(text, delimiter))
    header, header_raw = records[0]
    columns = [cell.strip().lower() for cell in header]
    rules = _Rules(plan)
    add_n = rules.needs_n_column(columns)
    dialect = _dialect(header_raw, delimiter, columns, records[1:])
    out_columns = [*columns, "n"] if add_n else columns
    kept: list[tuple[Position | None, str]] = [(None, _extended(header_raw, "n", dialect, add_n))]
    placed: set[Key] = set()
    for cells, row_raw in records[1:]:
        cell = dict(zip(columns, cells, strict=False))
        key = _key(cell)
        fate = rules.fate(key, bool(cell.get("value", "").strip()))
        if key is not None:
            placed.add(key)
        if fate == "drop":
            continue
        if fate == "replace" and key is not None:
            row_raw = dialect.row(_replaced(cells, out_columns, plan.values[key], dialect))
        else:
            row_raw = _extended(row_raw, "", dialect, add_n)
        kept.append((order.position(key), row_raw))
    added = [
        (position, dialect.row(_new_cells(key, value, out_columns, dialect)))
        for key, value in plan.values.items()
        if key not in placed and (position := order.position(key)) is not None
    ]
    rows = merge_rows(kept, added)
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


def _key(cells: dict[str, str]) -> Key | None:
    code = normalise_kommunkod(cells.get("kommunkod", ""))
    return (code, cells.get("indicator", "").strip()) if code is not None else None


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


def _extended(row_raw: str, cell: str, dialect: _CsvDialect, add: bool) -> str:
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
    sheet = workbook.worksheets[0]
    rows: list[list[object]] = [list(row) for row in sheet.iter_rows(values_only=True)]
    columns = [_cell_text(cell).strip().lower() for cell in rows[0]]
    rules = _Rules(plan)
    out_columns = [*columns, "n"] if rules.needs_n_column(columns) else columns
    kept: list[tuple[Position | None, list[object]]] = [
        (None, [*rows[0], *out_columns[len(columns) :]])
    ]
    placed: set[Key] = set()
    for row in rows[1:]:
        cell = {name: _cell_text(value) for name, value in zip(columns, row, strict=False)}
        key = _key(cell)
        fate = rules.fate(key, bool(cell.get("value", "").strip()))
        if key is not None:
            placed.add(key)
        if fate == "drop":
            continue
        padded: list[object] = [*row, *[None] * (len(out_columns) - len(row))]
        if fate == "replace" and key is not None:
            padded = _xlsx_replaced(padded, out_columns, plan.values[key])
        kept.append((order.position(key), padded))
    added = [
        (position, _xlsx_new(key, value, out_columns))
        for key, value in plan.values.items()
        if key not in placed and (position := order.position(key)) is not None
    ]
    sheet.delete_rows(1, sheet.max_row)
    for row in merge_rows(kept, added):
        sheet.append(row)
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
