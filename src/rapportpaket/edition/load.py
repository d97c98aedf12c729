"""Load and validate an edition folder: every problem in every file reported at once."""

from __future__ import annotations

import difflib
import math
import re
import unicodedata
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TypeVar, cast

from rapportpaket.edition.model import (
    Edition,
    FallbackSettings,
    Indicator,
    Kind,
    Municipality,
    Value,
)
from rapportpaket.edition.schema import MAX_WEIGHT, MIN_WEIGHT, EditionConfig, load_config
from rapportpaket.edition.sheets import (
    Row,
    Table,
    normalise_kommunkod,
    parse_bool,
    parse_number,
    read_table,
)
from rapportpaket.edition.units import LoadedUnits, load_units
from rapportpaket.errors import EditionError, Problem

KINDS = ("binary", "percent", "number")
T = TypeVar("T")
_Reporter = Callable[[str, str], None]  # bad(column, message): records one problem
_ID = re.compile(r"^[A-Za-z0-9_]+$")
_KPI = re.compile(r"^[A-Za-z0-9]+$")


def load_edition(folder: Path, *, with_previous: bool = True, with_units: bool = True) -> Edition:
    """Load `folder` as an edition; raise EditionError listing every problem.

    With `with_previous`, the previous edition is loaded too (for trends), itself with
    last year's values standing in where its own edition.toml says so (method.md §8).
    Without `with_units`, the unit files are neither read nor checked: for a job that makes
    no unit analysis (they are a third of what there is to read).
    """
    return _load(folder, depth=2 if with_previous else 0, with_units=with_units)


def _load(folder: Path, depth: int, *, with_units: bool) -> Edition:
    """Load an edition and, while `depth` > 0, the editions before it.

    depth 2: this edition, its previous for trends (depth 1), whose own previous (depth 0)
    only supplies the values that stand in for it. A value never stands in twice (§1b).
    """
    if not folder.is_dir():
        raise EditionError([Problem(str(folder), None, "folder", "not an edition folder")])
    config, problems = load_config(folder / "edition.toml")
    municipalities, known_codes, more = _load_municipalities(folder / "municipalities.csv")
    problems += more
    indicators, known_ids, more = _load_indicators(folder / "indicators.csv", config)
    problems += more
    problems += _check_fallback_sources(folder / "edition.toml", config, indicators)
    values_path, more = _values_file_of(folder)
    problems += more
    values, more = _load_values(values_path, municipalities, indicators, known_codes, known_ids)
    problems += more
    units = LoadedUnits()
    if with_units and known_ids is not None:  # unreadable indicators: already reported
        rejected = known_ids - {indicator.id for indicator in indicators}
        units = load_units(folder, municipalities, indicators, rejected)
    problems += units.problems
    previous = None
    if not problems and depth > 0 and config.previous is not None:
        previous = _load_previous(config.previous, folder, depth - 1)
    if problems:
        raise EditionError(problems, f"{folder}: {len(problems)} problem(s) found")
    if previous is not None and config.fallback.sources:
        values = with_fallback(values, municipalities, indicators, config.fallback, previous)
    if depth > 0 and not any(v.value is not None for v in values):
        # Every total would be 0 and every rank 1: refused, not computed. (An edition two
        # years back, depth 0, only lends values, so it may have none.)
        message = "no values at all: nothing to compute"
        raise EditionError([Problem(str(values_path), None, "value", message)])
    edition = _assemble(folder, config, municipalities, indicators, values, previous, units)
    # The previous edition's own previous only supplied values: trends need one year back.
    return edition if depth == 2 else replace(edition, previous=None)


def _load_previous(path: Path, folder: Path, depth: int) -> Edition:
    if not path.is_dir():
        problem = Problem(str(folder / "edition.toml"), None, "previous", f"{path} is not a folder")
        raise EditionError([problem])
    return _load(path, depth, with_units=False)  # no trend per unit: not needed


def _check_fallback_sources(
    toml: Path, config: EditionConfig, indicators: tuple[Indicator, ...]
) -> list[Problem]:
    """Return a problem for each fallback source that no indicator has (a typo, most likely)."""
    known = list(dict.fromkeys(i.source for i in indicators))
    problems = []
    for source in config.fallback.sources:
        if indicators and source not in known:
            close = difflib.get_close_matches(source, known, n=1)
            hint = f"did you mean {close[0]!r}? " if close else ""
            message = (
                f"{source!r} is the source of no indicator ({hint}sources: {', '.join(known)})"
            )
            problems.append(Problem(str(toml), config.fallback_line, "fallback.sources", message))
    return problems


def with_fallback(
    values: tuple[Value, ...],
    municipalities: tuple[Municipality, ...],
    indicators: tuple[Indicator, ...],
    fallback: FallbackSettings,
    previous: Edition,
) -> tuple[Value, ...]:
    """Return `values` with last year's measured values standing in where one is missing.

    Only for indicators of the fallback `sources`, only the previous edition's own measured
    values (never one that stood in there), and only where this edition has no value for
    the same municipality and indicator (no row, or an empty value). method.md §1b.
    """
    eligible = {i.id: i for i in indicators if i.source in fallback.sources}
    measured = {(v.kommunkod, v.indicator) for v in values if v.value is not None}
    codes = {m.kommunkod for m in municipalities}
    stand_ins = {
        (v.kommunkod, v.indicator): replace(v, from_previous=True)
        for v in previous.values
        if v.indicator in eligible
        and v.value is not None
        and not v.from_previous
        and (v.kommunkod, v.indicator) not in measured
        and v.kommunkod in codes
    }
    problems = [
        Problem(values_file(previous.path).as_posix(), None, "value", reason)
        for v in stand_ins.values()
        if (reason := _misfit(v, eligible[v.indicator], previous.year)) is not None
    ]
    if problems:
        raise EditionError(
            problems, f"{len(problems)} value(s) from {previous.year} cannot stand in"
        )
    kept = tuple(v for v in values if (v.kommunkod, v.indicator) not in stand_ins)
    return kept + tuple(stand_ins.values())


def _misfit(value: Value, indicator: Indicator, year: int) -> str | None:
    """Return why a value from the previous edition does not fit this edition's indicator."""
    assert value.value is not None
    where = f"{value.kommunkod} {indicator.id} from {year}"
    if indicator.kind == "binary" and value.value not in (0, 1):
        return f"{where}: {value.value:g} must be 0 or 1 for a binary indicator"
    if indicator.kind == "percent" and not 0 <= value.value <= 100:
        return f"{where}: {value.value:g} is outside 0–100 for a percent indicator"
    if value.n is not None and indicator.kind != "percent":
        return f"{where}: respondents only apply to percent indicators"
    return None


def _assemble(
    folder: Path,
    config: EditionConfig,
    municipalities: tuple[Municipality, ...],
    indicators: tuple[Indicator, ...],
    values: tuple[Value, ...],
    previous: Edition | None,
    units: LoadedUnits,
) -> Edition:
    assert config.publish_at is not None  # guaranteed by validation
    return Edition(
        path=folder,
        name=config.name,
        year=config.year,
        publish_at=config.publish_at,
        embargo_hours=config.embargo_hours,
        delindex=config.delindex,
        municipalities=municipalities,
        indicators=indicators,
        values=values,
        selection=config.selection,
        groups=config.groups,
        mail=config.mail,
        fallback=config.fallback,
        previous=previous,
        units=units.units,
        unit_values=units.values,
    )


def summarize_edition(edition: Edition) -> str:
    """Return the one-line summary printed by `validate`."""
    with_data = sum(1 for v in edition.values if v.value is not None)
    stand_ins = sum(1 for v in edition.values if v.from_previous)
    previous = f"; previous: {edition.previous.name}" if edition.previous else ""
    units = f"; {len(edition.units)} units with {len(edition.unit_values)} values"
    standing = ""
    if stand_ins and edition.previous is not None:
        standing = f" ({stand_ins} of them from {edition.previous.year}, standing in)"
    return (
        f"{edition.path}: OK: {edition.name}: {len(edition.municipalities)} municipalities, "
        f"{len(edition.indicators)} indicators in {len(edition.delindex)} delindex, "
        f"{with_data} values{standing}{units if edition.units else ''}; "
        f"publish_at {edition.publish_at.isoformat()}{previous}"
    )


# --------------------------------------------------------------------------- municipalities


def _load_municipalities(
    path: Path,
) -> tuple[tuple[Municipality, ...], set[str] | None, list[Problem]]:
    """Return the valid municipalities, every kommunkod the file names, and the problems.

    The codes are None when the file cannot be read: values.csv is then not checked
    against it, or every one of its rows would be a follow-on problem.
    """
    table, problems = read_table(path, ("kommunkod", "kommun", "lan"), ("kommungrupp",))
    if table is None:
        return (), None, problems
    has_group = "kommungrupp" in table.header
    result: list[Municipality] = []
    first_seen: dict[str, int] = {}
    names: dict[str, int] = {}
    for row in table.rows:
        code = normalise_kommunkod(row.get("kommunkod"))
        found = []
        if code is None:
            found.append(table.problem(row.line, "kommunkod", "must be 4 digits, e.g. 0114"))
        elif code in first_seen:
            found.append(
                table.problem(
                    row.line, "kommunkod", f"duplicate (first at line {first_seen[code]})"
                )
            )
        for column in ("kommun", "lan"):
            if not row.get(column):
                found.append(table.problem(row.line, column, "empty"))
        found += _name_problems(table, row, names)
        problems += found
        if code is not None and code not in first_seen:
            first_seen[code] = row.line
        if not found and code is not None:
            group = row.get("kommungrupp") if has_group else ""
            result.append(Municipality(code, row.get("kommun"), row.get("lan"), group or None))
    if not table.rows:
        problems.append(table.problem(None, "kommunkod", "no municipalities"))
    return tuple(result), set(first_seen), problems


# A cell starting with one of these is a formula to Excel, in any CSV a user opens there.
FORMULA_START = ("=", "+", "-", "@")


def _name_problems(table: Table, row: Row, names: dict[str, int]) -> list[Problem]:
    """Return problems of a municipality's name: used twice, or read as a formula by Excel."""
    name = row.get("kommun")
    if not name:
        return []
    found = []
    if name.startswith(FORMULA_START):
        message = f"must not start with {name[0]} (Excel would read it as a formula)"
        found.append(table.problem(row.line, "kommun", message))
    folded = unicodedata.normalize("NFC", name).casefold()
    if folded in names:
        message = f"{name!r} is also the name at line {names[folded]}: which one is meant?"
        found.append(table.problem(row.line, "kommun", message))
    names.setdefault(folded, row.line)
    return found


# --------------------------------------------------------------------------- indicators


def _load_indicators(
    path: Path, config: EditionConfig
) -> tuple[tuple[Indicator, ...], set[str] | None, list[Problem]]:
    """Return the valid indicators, every id the file names, and the problems.

    The ids are None when the file cannot be read (no follow-on problems in values.csv).
    """
    required = ("id", "delindex", "area", "name", "source", "kind", "higher_is_better", "weight")
    optional = ("min", "max", "statement", "kolada_kpi", "kolada_n_kpi")
    table, problems = read_table(path, required, optional)
    if table is None:
        return (), None, problems
    delindex_ids = {d.id for d in config.delindex}
    indicators: list[Indicator] = []
    first_seen: dict[str, int] = {}
    for row in table.rows:
        indicator, found = _parse_indicator(table, row, delindex_ids, first_seen)
        problems += found
        if indicator is not None:
            indicators.append(indicator)
    used = {i.delindex for i in indicators}
    for missing in sorted(delindex_ids - used):
        if not any(p.column == "delindex" for p in problems):
            problems.append(
                table.problem(None, "delindex", f"delindex {missing} has no indicators")
            )
    named = {row.get("id") for row in table.rows}  # a rejected row's values are not "unknown"
    return tuple(indicators), named, problems


def _parse_indicator(
    table: Table, row: Row, delindex_ids: set[int], first_seen: dict[str, int]
) -> tuple[Indicator | None, list[Problem]]:
    found: list[Problem] = []

    def bad(column: str, message: str) -> None:
        found.append(table.problem(row.line, column, message))

    ident = row.get("id")
    if not _ID.match(ident):
        bad("id", "must be letters, digits and _")
    elif ident in first_seen:
        bad("id", f"duplicate {ident} (first at line {first_seen[ident]})")
    else:
        first_seen[ident] = row.line
    delindex = _parse_delindex(row.get("delindex"), delindex_ids)
    if delindex is None and delindex_ids:
        known = ", ".join(str(d) for d in sorted(delindex_ids)) or "none defined"
        bad("delindex", f"{row.get('delindex')!r} is not a delindex of edition.toml ({known})")
    for column in ("area", "name", "source"):
        if not row.get(column):
            bad(column, "empty")
    kind = row.get("kind").lower()
    if kind not in KINDS:
        bad("kind", f"{row.get('kind')!r} must be one of binary, percent, number")
    higher = _try(parse_bool, row.get("higher_is_better"))
    if higher is None:
        bad("higher_is_better", f"{row.get('higher_is_better')!r} must be true or false")
    weight = _try(parse_number, row.get("weight"))
    if weight is None or not MIN_WEIGHT <= weight <= MAX_WEIGHT:
        limits = f"between {MIN_WEIGHT:g} and {MAX_WEIGHT:g}"
        bad("weight", f"{row.get('weight')!r} must be a number {limits}")
    low, high = _parse_bounds(row, kind, bad)
    kpi, n_kpi = _parse_kolada(row, kind, bad)
    if found or delindex is None or higher is None or weight is None:
        return None, found
    return Indicator(
        ident, delindex, row.get("area"), row.get("name"), row.get("source"),
        cast(Kind, kind), higher, weight, low, high, row.get("statement") or None,
        kolada_kpi=kpi, kolada_n_kpi=n_kpi,
    ), found  # fmt: skip


def _parse_delindex(text: str, known: set[int]) -> int | None:
    number = _try(parse_number, text)
    if number is None or not number.is_integer() or int(number) not in known:
        return None
    return int(number)


def _parse_bounds(row: Row, kind: str, bad: _Reporter) -> tuple[float | None, float | None]:
    texts = {column: row.get(column) for column in ("min", "max")}
    if kind != "number":
        for column, text in texts.items():
            if text:
                bad(column, "only number indicators have min and max")
        return None, None
    bounds: dict[str, float | None] = {}
    for column, text in texts.items():
        bounds[column] = _try(parse_number, text)
        if bounds[column] is None:
            bad(column, f"{text!r} must be a number (required for number indicators)")
    low, high = bounds["min"], bounds["max"]
    if low is not None and high is not None and low >= high:
        bad("min", f"min {text_of(low)} must be below max {text_of(high)}")
    elif low is not None and high is not None and not math.isfinite(high - low):
        bad("max", f"min {text_of(low)} and max {text_of(high)} are too far apart to compute with")
    return low, high


def _parse_kolada(row: Row, kind: str, bad: _Reporter) -> tuple[str | None, str | None]:
    """Return the Kolada KPIs of the value and of its n (`rapportpaket kolada` fills them)."""
    kpi, n_kpi = row.get("kolada_kpi") or None, row.get("kolada_n_kpi") or None
    for column, text in (("kolada_kpi", kpi), ("kolada_n_kpi", n_kpi)):
        if text is not None and not _KPI.match(text):
            bad(column, f"{text!r} is not a Kolada KPI id (letters and digits, e.g. U21464)")
    if n_kpi is not None and kpi is None:
        bad("kolada_n_kpi", "needs kolada_kpi: the KPI of the value its n belongs to")
    if n_kpi is not None and kind != "percent":
        bad("kolada_n_kpi", f"respondents only apply to percent indicators, not {kind}")
    return kpi, n_kpi


def text_of(number: float) -> str:
    """Return a number as written in a file (`5`, not `5.0`)."""
    return f"{number:g}"


# --------------------------------------------------------------------------- values


def values_file(folder: Path) -> Path:
    """Return the edition's values file: values.csv, else values.xlsx."""
    candidates = [folder / "values.csv", folder / "values.xlsx"]
    existing = [p for p in candidates if p.exists()]
    return existing[0] if existing else candidates[0]


def _values_file_of(folder: Path) -> tuple[Path, list[Problem]]:
    """Return the values file; both values.csv and values.xlsx is a problem (which one?)."""
    both = [folder / "values.csv", folder / "values.xlsx"]
    if all(p.exists() for p in both):
        message = "values.csv and values.xlsx are both here: which one is meant? Remove one"
        return both[0], [Problem(str(both[1]), None, "file", message)]
    return values_file(folder), []


def _load_values(
    path: Path,
    municipalities: tuple[Municipality, ...],
    indicators: tuple[Indicator, ...],
    known_codes: set[str] | None,
    known_ids: set[str] | None,
) -> tuple[tuple[Value, ...], list[Problem]]:
    """Return the values and their problems; rows naming a rejected (or unreadable)
    municipality or indicator are skipped: their problem is reported where they are defined.
    """
    table, problems = read_table(path, ("kommunkod", "indicator", "value"), ("n",))
    if table is None:
        return (), problems
    codes = {m.kommunkod for m in municipalities}
    by_id = {i.id: i for i in indicators}
    if known_codes is None or known_ids is None:  # a file they depend on is unreadable
        return (), problems
    rejected_codes, rejected_ids = known_codes - codes, known_ids - set(by_id)
    values: list[Value] = []
    first_seen: dict[tuple[str, str], int] = {}
    for row in table.rows:
        if _judged_elsewhere(row, rejected_codes, rejected_ids):
            continue
        value, found = _parse_value(table, row, codes, by_id, first_seen)
        problems += found
        if value is not None:
            values.append(value)
    return tuple(values), problems


def _judged_elsewhere(row: Row, rejected_codes: set[str], rejected_ids: set[str]) -> bool:
    """Return True when a row's municipality or indicator is already reported as a problem."""
    if row.get("indicator") in rejected_ids:
        return True
    return bool(rejected_codes) and normalise_kommunkod(row.get("kommunkod")) in rejected_codes


def _parse_value(
    table: Table,
    row: Row,
    codes: set[str],
    by_id: dict[str, Indicator],
    first_seen: dict[tuple[str, str], int],
) -> tuple[Value | None, list[Problem]]:
    found: list[Problem] = []

    def bad(column: str, message: str) -> None:
        found.append(table.problem(row.line, column, message))

    code = normalise_kommunkod(row.get("kommunkod"))
    if code is None or code not in codes:
        bad("kommunkod", f"unknown kommunkod {row.get('kommunkod')!r}")
    indicator = by_id.get(row.get("indicator"))
    if indicator is None:
        close = difflib.get_close_matches(row.get("indicator"), list(by_id), n=1)
        hint = f" (did you mean {close[0]}?)" if close else ""
        bad("indicator", f"unknown indicator {row.get('indicator')!r}{hint}")
    if code is not None and indicator is not None:
        key = (code, indicator.id)
        if key in first_seen:
            bad(
                "indicator",
                f"duplicate row for {code} {indicator.id} (first at line {first_seen[key]})",
            )
        else:
            first_seen[key] = row.line
    number = _parse_measure(row.get("value"), indicator, bad)
    n = _parse_n(row.get("n"), indicator, bad)
    if found or code is None or indicator is None:
        return None, found
    return Value(code, indicator.id, number, n if number is not None else None), found


def _parse_measure(text: str, indicator: Indicator | None, bad: _Reporter) -> float | None:
    if not text:
        return None
    number = _try(parse_number, text)
    if number is None:
        bad("value", f"{text!r} is not a number")
        return None
    if indicator is None:
        return number
    if indicator.kind == "binary" and number not in (0, 1):
        bad("value", f"{text} must be 0 or 1 for a binary indicator")
    elif indicator.kind == "percent" and not 0 <= number <= 100:
        bad("value", f"{text} is outside 0–100 for a percent indicator")
    return number


def _parse_n(text: str, indicator: Indicator | None, bad: _Reporter) -> int | None:
    if not text:
        return None
    number = _try(parse_number, text)
    if number is None or not number.is_integer() or number < 1:
        bad("n", f"{text!r} must be a whole number of respondents ≥ 1")
        return None
    if indicator is not None and indicator.kind != "percent":
        bad("n", f"respondents only apply to percent indicators, not {indicator.kind}")
    return int(number)


def _try(parse: Callable[[str], T], text: str) -> T | None:
    try:
        return parse(text)
    except ValueError:
        return None
