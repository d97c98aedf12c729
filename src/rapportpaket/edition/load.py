"""Load and validate an edition folder: every problem in every file reported at once."""

from __future__ import annotations

import difflib
import re
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
from rapportpaket.edition.schema import EditionConfig, load_config
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
    municipalities, more = _load_municipalities(folder / "municipalities.csv")
    problems += more
    indicators, rejected, more = _load_indicators(folder / "indicators.csv", config)
    problems += more
    problems += _check_fallback_sources(folder / "edition.toml", config, indicators)
    values, more = _load_values(_values_file(folder), municipalities, indicators, rejected)
    problems += more
    units = LoadedUnits()
    if with_units:
        units = load_units(folder, municipalities, indicators, rejected)
    problems += units.problems
    previous = None
    if not problems and depth > 0 and config.previous is not None:
        previous = _load_previous(config.previous, folder, depth - 1)
    if problems:
        raise EditionError(problems, f"{folder}: {len(problems)} problem(s) found")
    if previous is not None and config.fallback.sources:
        values = with_fallback(values, municipalities, indicators, config.fallback, previous)
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
        Problem(_values_file(previous.path).as_posix(), None, "value", reason)
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


def _load_municipalities(path: Path) -> tuple[tuple[Municipality, ...], list[Problem]]:
    table, problems = read_table(path, ("kommunkod", "kommun", "lan"), ("kommungrupp",))
    if table is None:
        return (), problems
    has_group = "kommungrupp" in table.header
    result: list[Municipality] = []
    first_seen: dict[str, int] = {}
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
        problems += found
        if code is not None and code not in first_seen:
            first_seen[code] = row.line
        if not found and code is not None:
            group = row.get("kommungrupp") if has_group else ""
            result.append(Municipality(code, row.get("kommun"), row.get("lan"), group or None))
    if not table.rows:
        problems.append(table.problem(None, "kommunkod", "no municipalities"))
    return tuple(result), problems


# --------------------------------------------------------------------------- indicators


def _load_indicators(
    path: Path, config: EditionConfig
) -> tuple[tuple[Indicator, ...], set[str], list[Problem]]:
    """Return the valid indicators, the ids of rejected rows, and the problems."""
    required = ("id", "delindex", "area", "name", "source", "kind", "higher_is_better", "weight")
    table, problems = read_table(path, required, ("min", "max", "statement"))
    if table is None:
        return (), set(), problems
    delindex_ids = {d.id for d in config.delindex}
    indicators: list[Indicator] = []
    rejected: set[str] = set()  # their values are not called unknown: the row is reported
    first_seen: dict[str, int] = {}
    for row in table.rows:
        indicator, found = _parse_indicator(table, row, delindex_ids, first_seen)
        problems += found
        if indicator is not None:
            indicators.append(indicator)
        else:
            rejected.add(row.get("id"))
    used = {i.delindex for i in indicators}
    for missing in sorted(delindex_ids - used):
        if not any(p.column == "delindex" for p in problems):
            problems.append(
                table.problem(None, "delindex", f"delindex {missing} has no indicators")
            )
    return tuple(indicators), rejected, problems


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
    if weight is None or weight <= 0:
        bad("weight", f"{row.get('weight')!r} must be a number > 0")
    low, high = _parse_bounds(row, kind, bad)
    if found or delindex is None or higher is None or weight is None:
        return None, found
    return Indicator(
        ident, delindex, row.get("area"), row.get("name"), row.get("source"),
        cast(Kind, kind), higher, weight, low, high, row.get("statement") or None,
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
    return low, high


def text_of(number: float) -> str:
    """Return a number as written in a file (`5`, not `5.0`)."""
    return f"{number:g}"


# --------------------------------------------------------------------------- values


def _values_file(folder: Path) -> Path:
    candidates = [folder / "values.csv", folder / "values.xlsx"]
    existing = [p for p in candidates if p.exists()]
    return existing[0] if existing else candidates[0]


def _load_values(
    path: Path,
    municipalities: tuple[Municipality, ...],
    indicators: tuple[Indicator, ...],
    rejected: set[str],
) -> tuple[tuple[Value, ...], list[Problem]]:
    table, problems = read_table(path, ("kommunkod", "indicator", "value"), ("n",))
    if table is None:
        return (), problems
    codes = {m.kommunkod for m in municipalities}
    by_id = {i.id: i for i in indicators}
    values: list[Value] = []
    first_seen: dict[tuple[str, str], int] = {}
    for row in table.rows:
        if row.get("indicator") in rejected:
            continue  # already reported in indicators.csv; its values cannot be judged
        value, found = _parse_value(table, row, codes, by_id, first_seen)
        problems += found
        if value is not None:
            values.append(value)
    return tuple(values), problems


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
