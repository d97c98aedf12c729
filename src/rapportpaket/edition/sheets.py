"""Read the tabular input files (CSV or XLSX) into rows that remember their line numbers.

Accepts what Swedish Excel writes: a UTF-8 BOM, `;` as separator, a decimal comma, cells
formatted as percent. Refuses, once per file and with its line, what would otherwise turn
into silently wrong numbers or thousands of follow-on problems: text that is not UTF-8, a
row with more cells than the header, a formula without a saved result, control characters.
Files are read as a stream with bounded lines and rows, so memory stays bounded.
"""

from __future__ import annotations

import csv
import logging
import math
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from rapportpaket.edition.workbook import CellProblem, Record, xlsx_records
from rapportpaket.errors import Problem
from rapportpaket.support.files import regular_file_problem

log = logging.getLogger(__name__)
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009]")
# ASCII digits only: Python's float() also takes "5_9" and full-width digits.
_NUMBER = re.compile(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?", re.ASCII)
# C0 and C1 controls (line breaks, tabs, NUL, …) and the Unicode line/paragraph separators.
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
MAX_LINE_BYTES = 1 << 20  # no input line of ours is near 1 MiB
MAX_ROWS = 500_000  # 290 municipalities × 64 indicators is 18 560; units stay far below


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


@dataclass
class _Reading:
    """What reading one file found: the header, its rows, and its problems."""

    name: str
    header: tuple[str, ...] = ()
    rows: list[Row] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    broken: bool = False  # the file could not be read to its end: no table at all

    def bad(self, line: int | None, column: str, message: str) -> None:
        self.problems.append(Problem(self.name, line, column, message))


def read_table(
    path: Path,
    required: Iterable[str],
    optional: Iterable[str] | None = None,
    aliases: Mapping[str, str] | None = None,
) -> tuple[Table | None, list[Problem]]:
    """Read `path` (CSV or XLSX); return the table and its problems.

    With `optional` given, a column that is neither required nor optional is reported as
    a warning (it is ignored, which may not be what the file's author meant). `aliases`
    maps other names of a column, as people write them, to its own name; a header cell is
    compared with them without case and spaces.
    The table is None when the file cannot be read as a whole or lacks a column.
    """
    required = tuple(required)
    reading = _Reading(str(path))
    problem = regular_file_problem(path)
    if problem is not None:
        return None, [Problem(str(path), None, "file", problem)]
    _collect(reading, _records(path), aliases or {})
    if reading.broken or not reading.header:
        return None, reading.problems
    table = Table(reading.name, reading.header, tuple(reading.rows))
    if optional is not None:
        _warn_unused(table, {*required, *optional}, aliases or {})
    missing = [c for c in required if c not in table.header]
    problems = reading.problems + [table.problem(1, c, _missing(c, aliases)) for c in missing]
    return (None if missing else table), problems


def _collect(reading: _Reading, records: Iterator[Record], aliases: Mapping[str, str]) -> None:
    for record in records:
        if isinstance(record, CellProblem):
            column = reading.header[record.index] if record.index < len(reading.header) else ""
            reading.bad(record.line, column or f"column {record.index + 1}", record.message)
            continue
        line, cells = record
        if isinstance(cells, str):  # the file stops being readable here
            reading.bad(line, "file", cells)
            reading.broken = True
            return
        if not reading.header:
            reading.header = _header(reading, cells, aliases)
            if not reading.header:
                return
            continue
        if not any(cell.strip() for cell in cells):
            continue  # blank lines (Excel leaves them at the end) carry nothing
        if len(reading.rows) >= MAX_ROWS:
            reading.bad(line, "file", f"more than {MAX_ROWS:,} rows: not an edition file?")
            reading.broken = True
            return
        _add_row(reading, line or 0, cells)


def _header(reading: _Reading, cells: list[str], aliases: Mapping[str, str]) -> tuple[str, ...]:
    header = tuple(_canonical(cell, aliases) for cell in cells)
    if not any(header):
        reading.bad(1, "file", "the first line (the header) is empty")
        reading.broken = True
        return ()
    seen: dict[str, str] = {}
    for raw, column in zip(cells, header, strict=True):
        if column and column in seen:
            both = f"{seen[column].strip()!r} and {raw.strip()!r}"
            reading.bad(1, column, f"two columns mean {column}: {both}; keep one")
        seen.setdefault(column, raw)
    return header


def _canonical(cell: str, aliases: Mapping[str, str]) -> str:
    folded = {fold_header(alias): column for alias, column in aliases.items()}
    return folded.get(fold_header(cell), cell.strip().lower())


def fold_header(text: str) -> str:
    """Return a header cell as aliases are compared: NFC, no case, no spaces."""
    return _SPACES.sub("", unicodedata.normalize("NFC", text)).casefold()


def _add_row(reading: _Reading, line: int, cells: list[str]) -> None:
    header = reading.header
    if len(cells) > len(header):
        reading.bad(line, "row", f"{len(cells)} cells, but the header has {len(header)} "
                    "columns: quote a decimal comma in a comma-separated file (\"59,5\"), "
                    "or save the file with ; as separator")  # fmt: skip
        return
    named = {column: cell for column, cell in zip(header, cells, strict=False) if column}
    if CONTROL.search("".join(named.values())):  # rare: find the cells only then
        for column, cell in named.items():
            control = CONTROL.search(cell)
            if control:
                message = f"contains a control character ({_describe(control[0])})"
                reading.bad(line, column, message)
    reading.rows.append(Row(line, named))


def _describe(character: str) -> str:
    names = {"\n": "a line break", "\r": "a line break", "\t": "a tab", "\x00": "NUL"}
    return names.get(character, f"U+{ord(character):04X}")


def _missing(column: str, aliases: Mapping[str, str] | None) -> str:
    others = [name for name, canonical in (aliases or {}).items() if canonical == column]
    return f"missing column (also accepted: {', '.join(others)})" if others else "missing column"


SHOWN_UNUSED = 5  # columns warned about one by one; a file of many gets one more line


def _warn_unused(table: Table, known: set[str], aliases: Mapping[str, str]) -> None:
    unused = [column for column in table.header if column and column not in known]
    for column in unused[:SHOWN_UNUSED]:
        log.warning("%s:1: %s: column is not used and is ignored%s", table.name, column,
                    _rename_hint(column, known, aliases))  # fmt: skip
    if len(unused) > SHOWN_UNUSED:
        more = len(unused) - SHOWN_UNUSED
        log.warning("%s:1: %d more columns are not used and are ignored", table.name, more)


def _rename_hint(column: str, known: set[str], aliases: Mapping[str, str]) -> str:
    """Return which column a file with other names (aliases) may have meant, or ''."""
    if not aliases:
        return ""
    names = {fold_header(name): name for name in [*aliases, *known]}
    close = _closest(column, list(names))
    if close is not None:
        meant = names[close]
        column_name = aliases.get(meant, meant)
        return f"; did you mean {meant}" + (f" ({column_name})?" if meant != column_name else "?")
    return f"; if it is one of {', '.join(sorted(known))}, rename it so"


def _closest(column: str, names: list[str]) -> str | None:
    from rapidfuzz import fuzz, process

    match = process.extractOne(fold_header(column), names, scorer=fuzz.ratio, score_cutoff=70)
    return None if match is None else str(match[0])


# --------------------------------------------------------------------------- CSV


def _records(path: Path) -> Iterator[Record]:
    return xlsx_records(path, MAX_ROWS) if path.suffix.lower() == ".xlsx" else _csv_records(path)


def _csv_records(path: Path) -> Iterator[Record]:
    """Yield the rows of a CSV file as a stream, each with the line it starts on."""
    with path.open("rb") as handle:
        lines = _Lines(handle)
        try:
            header_line = next(lines, "")
        except _Unreadable as problem:
            yield problem.line, problem.message
            return
        if not header_line.strip():
            empty = (
                "cannot be read: the file is empty" if not header_line else "the header is empty"
            )
            yield None, empty
            return
        delimiter = ";" if header_line.count(";") > header_line.count(",") else ","
        lines.delimiter = delimiter
        reader = csv.reader(_chain(header_line, lines), delimiter=delimiter)
        try:
            for cells in reader:
                yield lines.record_start, cells
                lines.record_start = 0
        except _Unreadable as problem:
            yield problem.line, problem.message
        except csv.Error as error:
            yield lines.number, f"cannot be read: {error}"


class _Unreadable(Exception):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line, self.message = line, message


class _Lines:
    """The physical lines of a CSV file, decoded a block at a time, blank ones left out.

    A line of nothing but separators and spaces outside a quoted cell carries no row: it
    is skipped before the CSV parser sees it, so that a file of a million blank rows costs
    little. `record_start` is the line the row being parsed starts on (0: none yet).
    """

    BLOCK = 1 << 20

    def __init__(self, handle: BinaryIO) -> None:
        self.handle = handle
        self.number = 0  # of the last line handed out or skipped
        self.record_start = 0
        self.delimiter = ""  # unknown until the header is read: nothing is skipped
        self._pending = b""
        self._lines: list[str] = []
        self._in_quotes = False

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        while True:
            if not self._lines and not self._read_block():
                raise StopIteration
            line = self._lines.pop()
            self.number += 1
            if (
                not self._in_quotes
                and self.delimiter
                and not line.strip(self.delimiter + " \t\r\n")
            ):
                continue
            if line.count('"') % 2:
                self._in_quotes = not self._in_quotes
            if not self.record_start:
                self.record_start = self.number
            return line

    def _read_block(self) -> bool:
        chunk = self.handle.read(self.BLOCK)
        data = self._pending + chunk
        cut = len(data) if not chunk else data.rfind(b"\n") + 1
        block, self._pending = data[:cut], data[cut:]
        if len(self._pending) > MAX_LINE_BYTES:
            message = f"line longer than {MAX_LINE_BYTES:,} bytes: not a CSV file?"
            raise _Unreadable(self.number + block.count(b"\n") + 1, message)
        if not block:
            return False
        try:
            text = block.decode("utf-8-sig" if self.number == 0 else "utf-8")
        except UnicodeDecodeError as error:
            line = self.number + block.count(b"\n", 0, error.start) + 1
            raise _Unreadable(line, _encoding_message(block, error.start)) from None
        lines = text.split("\n")
        if lines[-1] == "":
            lines.pop()
        self._lines = [line + "\n" for line in reversed(lines)]
        return True


def _encoding_message(block: bytes, at: int) -> str:
    start = block.rfind(b"\n", 0, at) + 1
    end = block.find(b"\n", at)
    try:
        block[start : end if end >= 0 else len(block)].decode("cp1252")
        guess = " (it looks like Windows-1252/ANSI)"
    except UnicodeDecodeError:
        guess = ""
    return f"not UTF-8 text{guess}: save the file as CSV UTF-8"


def _chain(first: str, rest: Iterator[str]) -> Iterator[str]:
    yield first
    yield from rest


# --------------------------------------------------------------------------- cells


def parse_number(text: str) -> float:
    """Parse `81,5`, `81.5`, `1 234,5` or `−3`; raise ValueError if it is not a finite number.

    Only ASCII digits, one decimal separator and an optional exponent: not `5_9`, not
    full-width digits, not `1,234.5` (which separator is meant is unclear).
    """
    if text.isascii() and text.isdigit():
        return float(text)  # the common case, a whole number, without the clean-up below
    cleaned = _SPACES.sub("", text).replace("\u2212", "-")
    if not _NUMBER.fullmatch(cleaned):
        raise ValueError(text)
    number = float(cleaned.replace(",", "."))
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
    if code.isascii() and code.isdigit() and len(code) in (3, 4):
        return code.zfill(4)
    return None
