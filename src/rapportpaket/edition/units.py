"""Load and validate the optional unit files: `units.csv` and `unit_values.csv` (or `.xlsx`).

Home-care units (hemtjänstenheter), municipal or private, and their survey results, for the
unit analysis add-on (method.md §12). Both files or neither; every problem is reported as
`FILE:LINE: column: problem`, like every other file of an edition.

The values file has some tens of thousands of rows (about 26 per unit), so its rows are
checked in one lean loop: the checks are the same as for `values.csv`, but a row that
passes them costs a few dictionary look-ups, not a closure and a list per row.
"""

from __future__ import annotations

import difflib
import gc
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from rapportpaket.edition.model import Indicator, Municipality, Provider, Unit, UnitValue
from rapportpaket.edition.sheets import Table, normalise_kommunkod, parse_number, read_table
from rapportpaket.errors import Problem

UNITS = "units"
UNIT_VALUES = "unit_values"
PROVIDERS: tuple[Provider, ...] = ("kommunal", "privat")
_ENHET = re.compile(r"^[A-Za-z0-9_-]+$")


@dataclass(frozen=True)
class LoadedUnits:
    """The units and their values with data, and every problem found in the two files."""

    units: tuple[Unit, ...] = ()
    values: tuple[UnitValue, ...] = ()
    problems: tuple[Problem, ...] = ()


def unit_files(folder: Path) -> tuple[Path | None, Path | None]:
    """Return the units file and the unit values file of an edition, None where absent."""
    return _existing(folder, UNITS), _existing(folder, UNIT_VALUES)


def _existing(folder: Path, stem: str) -> Path | None:
    for suffix in (".csv", ".xlsx"):
        path = folder / f"{stem}{suffix}"
        if path.exists():
            return path
    return None


def load_units(
    folder: Path,
    municipalities: Iterable[Municipality],
    indicators: Iterable[Indicator],
    rejected_indicators: set[str],
) -> LoadedUnits:
    """Load the unit files of `folder` (none is fine); return them with their problems.

    Values of an indicator whose own row in indicators.csv was rejected are not judged:
    that row is already reported.
    """
    units_path, values_path = unit_files(folder)
    if units_path is None and values_path is None:
        return LoadedUnits()
    if units_path is None or values_path is None:
        present = units_path or values_path
        absent = f"{UNIT_VALUES if units_path else UNITS}.csv"
        message = f"{absent} (or .xlsx) is missing: give both unit files or neither"
        return LoadedUnits(problems=(Problem(str(present), None, "file", message),))
    codes = {m.kommunkod for m in municipalities}
    with _collector_paused():
        units, rejected_units, problems = _load_unit_rows(units_path, codes)
        by_id = {i.id: i for i in indicators}
        values, more = _load_value_rows(
            values_path, {u.enhet for u in units}, rejected_units, by_id, rejected_indicators
        )
    return LoadedUnits(units, values, tuple(problems + more))


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while the files are read.

    Reading makes a hundred thousand small containers (rows, cells, values) that all live
    on, and none in a reference cycle; the automatic collections that their number sets
    off walked them (and the rest of the edition) again and again: 60 % of the time.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


# --------------------------------------------------------------------------- units.csv


def _load_unit_rows(
    path: Path, codes: set[str]
) -> tuple[tuple[Unit, ...], set[str], list[Problem]]:
    """Return the valid units, the ids of rejected rows, and the problems."""
    required = ("enhet", "kommunkod", "name", "provider")
    table, problems = read_table(path, required, ("provider_name",))
    if table is None:
        return (), set(), problems
    units: list[Unit] = []
    rejected: set[str] = set()  # their values are not called unknown: the row is reported
    first_seen: dict[str, int] = {}
    for row in table.rows:
        found: list[Problem] = []
        enhet = row.get("enhet")
        if not _ENHET.match(enhet):
            found.append(table.problem(row.line, "enhet", "must be letters, digits, _ and -"))
        elif enhet in first_seen:
            message = f"duplicate {enhet} (first at line {first_seen[enhet]})"
            found.append(table.problem(row.line, "enhet", message))
        else:
            first_seen[enhet] = row.line
        code = normalise_kommunkod(row.get("kommunkod"))
        if code is None or code not in codes:
            message = f"unknown kommunkod {row.get('kommunkod')!r}"
            found.append(table.problem(row.line, "kommunkod", message))
        if not row.get("name"):
            found.append(table.problem(row.line, "name", "empty"))
        provider = row.get("provider").lower()
        if provider not in PROVIDERS:
            message = f"{row.get('provider')!r} must be kommunal or privat"
            found.append(table.problem(row.line, "provider", message))
        problems += found
        if found or code is None:
            rejected.add(enhet)
            continue
        name, provider_name = row.get("name"), row.get("provider_name") or None
        units.append(Unit(enhet, code, name, _provider(provider), provider_name))
    # A duplicate id is rejected, but its first row stands: its values are judged.
    return tuple(units), rejected - {u.enhet for u in units}, problems


def _provider(text: str) -> Provider:
    return next(p for p in PROVIDERS if p == text)


# --------------------------------------------------------------------------- unit_values.csv


def _load_value_rows(
    path: Path,
    known_units: set[str],
    rejected_units: set[str],
    by_id: dict[str, Indicator],
    rejected_indicators: set[str],
) -> tuple[tuple[UnitValue, ...], list[Problem]]:
    table, problems = read_table(path, ("enhet", "indicator", "value"), ("n",))
    if table is None:
        return (), problems
    values: list[UnitValue] = []
    first_seen: dict[tuple[str, str], int] = {}
    for row in table.rows:
        cells = row.cells
        enhet = cells.get("enhet", "").strip()
        ident = cells.get("indicator", "").strip()
        if enhet in rejected_units or ident in rejected_indicators:
            continue  # already reported in the other file: this row cannot be judged
        indicator = by_id.get(ident)
        if enhet not in known_units or indicator is None:
            problems += _unknown(table, row.line, enhet, ident, known_units, by_id)
            continue
        key = (enhet, ident)
        if key in first_seen:
            message = f"duplicate row for {enhet} {ident} (first at line {first_seen[key]})"
            problems.append(table.problem(row.line, "indicator", message))
            continue
        first_seen[key] = row.line
        value = _value_of(table, row.line, enhet, cells, indicator, problems)
        if value is not None:
            values.append(value)
    return tuple(values), problems


def _unknown(
    table: Table,
    line: int,
    enhet: str,
    ident: str,
    known_units: set[str],
    by_id: dict[str, Indicator],
) -> list[Problem]:
    found = []
    if enhet not in known_units:
        message = f"unknown enhet {enhet!r}{_hint(enhet, known_units)}"
        found.append(table.problem(line, "enhet", message))
    if ident not in by_id:
        message = f"unknown indicator {ident!r}{_hint(ident, by_id)}"
        found.append(table.problem(line, "indicator", message))
    return found


def _hint(text: str, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(text, list(known), n=1)
    return f" (did you mean {close[0]}?)" if close else ""


def _value_of(
    table: Table,
    line: int,
    enhet: str,
    cells: dict[str, str],
    indicator: Indicator,
    problems: list[Problem],
) -> UnitValue | None:
    """Return the row's value, or None when it has none or a problem (recorded)."""
    before = len(problems)
    text = cells.get("value", "").strip()
    number = _number(text)
    if text and number is None:
        problems.append(table.problem(line, "value", f"{text!r} is not a number"))
    elif number is not None and indicator.kind == "binary" and number not in (0, 1):
        message = f"{text} must be 0 or 1 for a binary indicator"
        problems.append(table.problem(line, "value", message))
    elif number is not None and indicator.kind == "percent" and not 0 <= number <= 100:
        message = f"{text} is outside 0–100 for a percent indicator"
        problems.append(table.problem(line, "value", message))
    n = _respondents(table, line, cells.get("n", "").strip(), indicator, problems)
    if number is None or len(problems) > before:
        return None
    return UnitValue(enhet, indicator.id, number, n)


def _respondents(
    table: Table, line: int, text: str, indicator: Indicator, problems: list[Problem]
) -> int | None:
    if not text:
        return None
    number = _number(text)
    if number is None or not number.is_integer() or number < 1:
        message = f"{text!r} must be a whole number of respondents ≥ 1"
        problems.append(table.problem(line, "n", message))
        return None
    if indicator.kind != "percent":
        message = f"respondents only apply to percent indicators, not {indicator.kind}"
        problems.append(table.problem(line, "n", message))
    return int(number)


def _number(text: str) -> float | None:
    if not text:
        return None
    try:
        return parse_number(text)
    except ValueError:
        return None
