"""Read the first sheet of an .xlsx workbook as the rows a user sees in Excel.

A cell formatted as percent shows 59 % where the file stores 0.59: the value read is 59,
what the user sees. A formula is read as the result Excel saved with it; a formula with no
saved result (a file written by a program, never opened in Excel) is a problem, never an
empty cell, which would silently mean "no data".
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class CellProblem:
    """A problem with one cell: its line and its column's position (0-based)."""

    line: int
    index: int
    message: str


# What the reader yields: (line, cells) of a row, (line, message) when the file cannot be
# read on, or a CellProblem.
Record = tuple[int | None, list[str] | str] | CellProblem

_LITERALS = re.compile(r'"[^"]*"|\\.')  # quoted text and escaped characters in a format
NO_RESULT = "a formula without a saved result: open the file in Excel and save it, or paste values"


def xlsx_records(path: Path, max_rows: int) -> Iterator[Record]:
    """Yield the non-blank rows of the first sheet (at most `max_rows` + 1), then problems."""
    if not zipfile.is_zipfile(path):
        yield None, "not an Excel workbook (.xlsx): save it from Excel as .xlsx, or as CSV"
        return
    try:
        rows, formulas = _first_pass(path, max_rows)
        if formulas:
            yield from _resolve_formulas(path, rows, formulas)
    except Exception as error:  # openpyxl raises many kinds for a damaged workbook
        yield None, f"cannot be read as an Excel workbook: {type(error).__name__}: {error}"
        return
    yield from ((line, cells) for line, cells in rows)


def _first_pass(path: Path, max_rows: int) -> tuple[list[tuple[int, list[str]]], set[Any]]:
    import openpyxl

    workbook = openpyxl.load_workbook(path, read_only=True, data_only=False)
    rows: list[tuple[int, list[str]]] = []
    formulas: set[tuple[int, int]] = set()
    try:
        for line, cells in enumerate(workbook.worksheets[0].iter_rows(), start=1):
            texts = []
            for index, cell in enumerate(cells):
                if getattr(cell, "data_type", None) == "f":
                    formulas.add((line, index))
                    texts.append("")
                else:
                    texts.append(cell_text(cell.value, getattr(cell, "number_format", "")))
            if line == 1 or any(t.strip() for t in texts) or any(f[0] == line for f in formulas):
                rows.append((line, texts))
            if len(rows) > max_rows + 1:
                break
    finally:
        workbook.close()
    return rows, formulas


def _resolve_formulas(
    path: Path, rows: list[tuple[int, list[str]]], formulas: set[tuple[int, int]]
) -> Iterator[CellProblem]:
    """Fill in each formula's saved result; yield a problem for each formula without one."""
    import openpyxl

    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    wanted = {line for line, _ in formulas}
    by_line = dict(rows)
    try:
        for line, cells in enumerate(workbook.worksheets[0].iter_rows(), start=1):
            if line not in wanted:
                continue
            for index, cell in enumerate(cells):
                if (line, index) not in formulas:
                    continue
                if cell.value is None:
                    yield CellProblem(line, index, NO_RESULT)
                else:
                    by_line[line][index] = cell_text(cell.value, cell.number_format)
            if line >= max(wanted):
                break
    finally:
        workbook.close()


def cell_text(value: object, number_format: str = "") -> str:
    """Return a cell as the text a user sees, numbers as in a CSV (`81.5`, percent as `59`)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float) and _is_percent(number_format):
        shown = Decimal(repr(value)) * 100
        return format(shown.normalize(), "f")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return str(value)


def _is_percent(number_format: str | None) -> bool:
    """Return True when a number format shows the value times 100 (a `%` outside quotes)."""
    return "%" in _LITERALS.sub("", number_format or "")
