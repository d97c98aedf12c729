"""Read the tabular input files (CSV or XLSX) into rows that remember their line numbers.

Accepts what Swedish Excel writes: a UTF-8 BOM, `;` as separator and a decimal comma.
"""

from __future__ import annotations

import csv
import io
import logging
import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from rapportpaket.errors import Problem

log = logging.getLogger(__name__)
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009]")


@dataclass(frozen=True)
class Row:
    """One data row: its line in the file (1 = header) and its cells by column name."""

    line: int
    cells: dict[str, str]

    def get(self, column: str) -> str:
        """Return the stripped cell of `column`, '' where absent."""
        return self.cells.get(column, "").strip()


@dataclass(frozen=True)
class Table:
    """A whole file: display name, header and non-blank rows."""

    name: str
    header: tuple[str, ...]
    rows: tuple[Row, ...]

    def problem(self, line: int | None, column: str, message: str) -> Problem:
        """Return a problem located in this table."""
        return Problem(self.name, line, column, message)


def read_table(
    path: Path, required: Iterable[str], optional: Iterable[str] | None = None
) -> tuple[Table | None, list[Problem]]:
    """Read `path` (CSV or XLSX); return the table and any structural problems.

    With `optional` given, a column that is neither required nor optional is reported as
    a warning (it is ignored, which may not be what the file's author meant).
    """
    required = tuple(required)
    name = str(path)
    try:
        if path.suffix.lower() == ".xlsx":
            header, records = _read_xlsx(path)
        else:
            header, records = _read_csv(path)
    except (OSError, UnicodeDecodeError, csv.Error, ValueError, KeyError) as error:
        return None, [Problem(name, None, "file", _describe_read_error(error))]
    table = Table(name, header, tuple(_rows(header, records)))
    if optional is not None:
        _warn_unused(table, {*required, *optional})
    missing = [c for c in required if c not in header]
    problems = [table.problem(1, column, "missing column") for column in missing]
    return (None if missing else table), problems


def _warn_unused(table: Table, known: set[str]) -> None:
    for column in table.header:
        if column and column not in known:
            log.warning("%s:1: %s: column is not used and is ignored", table.name, column)


def _describe_read_error(error: Exception) -> str:
    if isinstance(error, UnicodeDecodeError):
        return "not UTF-8 text (save the file as CSV UTF-8)"
    if isinstance(error, FileNotFoundError):
        return "file not found"
    return f"cannot be read: {error}"


def _read_csv(path: Path) -> tuple[tuple[str, ...], list[tuple[int, list[str]]]]:
    text = path.read_bytes().decode("utf-8-sig")
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    records: list[tuple[int, list[str]]] = []
    header: list[str] | None = None
    for cells in reader:
        if header is None:
            header = cells
            continue
        records.append((reader.line_num, cells))
    if header is None:
        raise ValueError("the file is empty")
    return _normalise_header(header), records


def _read_xlsx(path: Path) -> tuple[tuple[str, ...], list[tuple[int, list[str]]]]:
    import openpyxl

    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        sheet = workbook.worksheets[0]
        rows = iter(sheet.iter_rows(values_only=True))
        header_cells = next(rows, None)
        if header_cells is None:
            raise ValueError("the workbook's first sheet is empty")
        header = _normalise_header([_cell_text(c) for c in header_cells])
        records = [
            (line, [_cell_text(c) for c in cells]) for line, cells in enumerate(rows, start=2)
        ]
    finally:
        workbook.close()
    return header, records


def _cell_text(cell: object) -> str:
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return "true" if cell else "false"
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, datetime | date):
        return cell.isoformat()
    return str(cell)


def _normalise_header(cells: list[str]) -> tuple[str, ...]:
    return tuple(cell.strip().lower() for cell in cells)


def _rows(header: tuple[str, ...], records: list[tuple[int, list[str]]]) -> Iterator[Row]:
    # Files of tens of thousands of rows pass through here (unit values): the common case,
    # a header without empty names, takes the quickest path.
    named_only = all(header)
    for line, cells in records:
        if not "".join(cells).strip():
            continue  # blank lines (Excel leaves them at the end) carry nothing
        if named_only:
            yield Row(line, dict(zip(header, cells, strict=False)))
        else:
            yield Row(
                line, {column: cell for column, cell in zip(header, cells, strict=False) if column}
            )


def parse_number(text: str) -> float:
    """Parse `81,5`, `81.5`, `1 234,5` or `−3`; raise ValueError if it is not a finite number."""
    if text.isascii() and text.isdigit():
        return float(text)  # the common case, a whole number, without the clean-up below
    cleaned = _SPACES.sub("", text).replace("\u2212", "-")
    if "," in cleaned and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    number = float(cleaned)
    if not math.isfinite(number):
        raise ValueError(text)
    return number


def parse_bool(text: str) -> bool:
    """Parse `true`/`false` (also `1`/`0`, `sant`/`falskt`); raise ValueError otherwise."""
    folded = text.strip().lower()
    if folded in ("true", "1", "sant", "ja", "yes"):
        return True
    if folded in ("false", "0", "falskt", "nej", "no"):
        return False
    raise ValueError(text)


def normalise_kommunkod(text: str) -> str | None:
    """Return a 4-digit kommunkod, restoring a leading zero Excel dropped; None if invalid."""
    code = text.strip()
    if code.endswith(".0"):
        code = code[:-2]
    if code.isdigit() and len(code) in (3, 4):
        return code.zfill(4)
    return None
