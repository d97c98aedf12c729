"""The configuration schema of `edition.toml`, validated all at once.

Every key is declared in `SCHEMA` with its type, default and meaning; unknown keys are
problems too, so a misspelt key never silently falls back to a default.
"""

from __future__ import annotations

import difflib
import math
import re
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from rapportpaket.edition.model import (
    DelindexSpec,
    FallbackSettings,
    GroupSettings,
    MailSettings,
    SelectionSettings,
)
from rapportpaket.edition.sheets import CONTROL
from rapportpaket.errors import Problem
from rapportpaket.support.clock import parse_moment
from rapportpaket.support.files import regular_file_problem


@dataclass(frozen=True)
class Key:
    """One documented key of `edition.toml`, with its default: the only place it is declared."""

    name: str
    check: Callable[[Any], str | None]  # returns a problem, or None when the value is fine
    doc: str
    default: Any = None  # the value when the key is absent (None: no value)
    required: bool = False


def _is_text(value: Any) -> str | None:
    return None if isinstance(value, str) and value.strip() else "must be a non-empty text"


def _is_address(value: Any) -> str | None:
    """Accept exactly one address, with or without a display name."""
    from email.utils import getaddresses

    if _is_text(value) is not None:
        return _is_text(value)
    found = getaddresses([value], strict=True)
    example = 'e.g. "Hemtjänstindex <rapport@hemtjanstindex.se>"'
    if len(found) != 1 or not found[0][1]:
        return f"must be exactly one e-mail address, {example}"
    from rapportpaket.support.addresses import address_problem

    problem = address_problem(found[0][1])
    return None if problem is None else f"{found[0][1]!r}: {problem}"


def _is_year(value: Any) -> str | None:
    ok = isinstance(value, int) and not isinstance(value, bool) and 1900 <= value <= 2200
    return None if ok else "must be a year such as 2024"


def _is_number(
    low: float, high: float, *, low_open: bool = False, high_open: bool = False
) -> Callable[[Any], str | None]:
    def check(value: Any) -> str | None:
        if isinstance(value, bool) or not isinstance(value, int | float):
            return "must be a number"
        below = value <= low if low_open else value < low
        above = value >= high if high_open else value > high
        if not math.isfinite(value) or below or above:
            left, right = "(" if low_open else "[", ")" if high_open else "]"
            return f"must be in {left}{low:g}, {high:g}{right}"
        return None

    return check


def _is_texts(value: Any) -> str | None:
    ok = isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value)
    return None if ok else 'must be a list of texts, e.g. ["Kolada", "Senior Alert"]'


def _is_count(value: Any) -> str | None:
    ok = isinstance(value, int) and not isinstance(value, bool) and value >= 1
    return None if ok else "must be a whole number ≥ 1"


def _is_moment(value: Any) -> str | None:
    moment = parse_moment(value)
    if moment is None:
        return "must be ISO 8601 with an offset, e.g. 2024-12-03T08:00:00+01:00"
    if not MIN_YEAR <= moment.year <= MAX_YEAR:
        return f"year {moment.year} is not between {MIN_YEAR} and {MAX_YEAR}"
    return None


# Years a moment of an edition may have: far enough from 1 and 9999 for every date sum.
MIN_YEAR, MAX_YEAR = 1900, 2200
# Weights in this range keep every sum and ratio of method.md finite and exact enough.
MIN_WEIGHT, MAX_WEIGHT = 1e-6, 1e6


MAIL_SENDER = "Hemtjänstindex <rapport@hemtjanstindex.example>"

TOP = (
    Key("name", _is_text, "Edition name, shown on covers and in mails.", required=True),
    Key("year", _is_year, "Year of the edition.", required=True),
    Key("publish_at", _is_moment, "Public release of the rankings (with offset).", required=True),
    Key("embargo_hours", _is_number(0, 24 * 30), "Summaries go out this long before.", 24.0),
    Key("previous", _is_text, "Folder of the previous edition, for trends (optional)."),
)
DELINDEX = (
    Key("id", _is_count, "Delindex number, referred to by indicators.csv.", required=True),
    Key("name", _is_text, "Delindex name as readers see it.", required=True),
    Key("weight", _is_number(MIN_WEIGHT, MAX_WEIGHT), "Weight W_k in the total (1e-6 to 1e6).",
        required=True),
)  # fmt: skip
SECTIONS: dict[str, tuple[Key, ...]] = {
    "selection": (
        Key("strength_percentile", _is_number(0, 100), "Strength at or above this.", 75.0),
        Key("improvement_percentile", _is_number(0, 100), "Improvement at or below.", 25.0),
        Key("recommendations", _is_count, "Förbättra and Bibehåll items.", 3),
    ),
    "groups": (
        Key("confidence", _is_number(0, 1, low_open=True, high_open=True), "Interval level.", 0.95),
    ),
    "mail": (
        Key("sender", _is_address, "From: of every mail: one address.", MAIL_SENDER),
        Key("reply_to", _is_address, "Reply-To: of every mail: one address (optional)."),
    ),
    "fallback": (
        Key(
            "sources",
            _is_texts,
            "Sources (exact `source` names of indicators.csv) whose missing values are taken "
            "from the previous edition's values (method.md §1b); needs `previous`.",
            (),
        ),
    ),
}


def _defaults(keys: tuple[Key, ...]) -> dict[str, Any]:
    return {key.name: key.default for key in keys}


def _settings(section: str, given: dict[str, Any]) -> dict[str, Any]:
    """Return a section's values: what the file gives, each absent key at its default."""
    return {**_defaults(SECTIONS[section]), **given}


def _build_selection(values: dict[str, Any]) -> SelectionSettings:
    return SelectionSettings(
        float(values["strength_percentile"]),
        float(values["improvement_percentile"]),
        int(values["recommendations"]),
    )


def _build_groups(values: dict[str, Any]) -> GroupSettings:
    return GroupSettings(float(values["confidence"]))


def _build_fallback(values: dict[str, Any]) -> FallbackSettings:
    return FallbackSettings(tuple(dict.fromkeys(s.strip() for s in values["sources"])))


def _build_mail(values: dict[str, Any]) -> MailSettings:
    reply_to = values["reply_to"]
    return MailSettings(values["sender"].strip(), None if reply_to is None else reply_to.strip())


@dataclass
class EditionConfig:
    """The validated contents of `edition.toml`; every default comes from the keys above."""

    name: str = ""
    year: int = 0
    publish_at: datetime | None = None
    embargo_hours: float = float(_defaults(TOP)["embargo_hours"])
    previous: Path | None = None
    delindex: tuple[DelindexSpec, ...] = ()
    selection: SelectionSettings = field(
        default_factory=lambda: _build_selection(_settings("selection", {}))
    )
    groups: GroupSettings = field(default_factory=lambda: _build_groups(_settings("groups", {})))
    mail: MailSettings = field(default_factory=lambda: _build_mail(_settings("mail", {})))
    fallback: FallbackSettings = field(
        default_factory=lambda: _build_fallback(_settings("fallback", {}))
    )
    # Where `fallback.sources` is written, for problems found once indicators.csv is read.
    fallback_line: int | None = None


class _Lines:
    """Find the line of a key in TOML text, since tomllib does not report positions."""

    def __init__(self, text: str) -> None:
        self.index: dict[tuple[str, int, str], int] = {}
        self.tables: dict[tuple[str, int], int] = {}
        table, count = "", 0
        seen: dict[str, int] = {}
        for number, raw in enumerate(text.splitlines(), start=1):
            line = raw.strip()
            header = re.match(r"^\[\[?\s*([A-Za-z0-9_.]+)\s*\]\]?", line)
            if header:
                table = header.group(1)
                count = seen.get(table, -1) + 1
                seen[table] = count
                self.tables[(table, count)] = number
                continue
            key = re.match(r"^([A-Za-z0-9_]+)\s*=", line)
            if key:
                self.index.setdefault((table, count, key.group(1)), number)

    def of(self, table: str, key: str | None, occurrence: int = 0) -> int | None:
        if key is not None and (table, occurrence, key) in self.index:
            return self.index[(table, occurrence, key)]
        if key is not None:  # a sub-table such as [selection.extra] is a key of its parent
            sub = f"{table}.{key}" if table else key
            if (sub, 0) in self.tables:
                return self.tables[(sub, 0)]
        return self.tables.get((table, occurrence))


def load_config(path: Path) -> tuple[EditionConfig, list[Problem]]:
    """Parse and validate `edition.toml`; return the config and every problem found."""
    name = str(path)
    problem = regular_file_problem(path)
    if problem is None and path.stat().st_size > MAX_TOML_BYTES:
        problem = f"larger than {MAX_TOML_BYTES:,} bytes: not an edition.toml?"
    if problem is not None:
        return EditionConfig(), [Problem(name, None, "file", problem)]
    try:
        text = path.read_text(encoding="utf-8-sig")
        data = tomllib.loads(text)
    except UnicodeDecodeError:
        return EditionConfig(), [Problem(name, None, "file", "not UTF-8 text: save it as UTF-8")]
    except tomllib.TOMLDecodeError as error:
        line = re.search(r"line (\d+)", str(error))
        return EditionConfig(), [
            Problem(name, int(line.group(1)) if line else None, "toml", f"not valid TOML: {error}")
        ]
    lines = _Lines(text)
    unusable = list(_unusable_values(data, lines, name))
    if unusable:  # a NaN or a line break would pass some checks below and break later
        return EditionConfig(), unusable
    return _validate(data, lines, name, path.parent)


MAX_TOML_BYTES = 1 << 20


def _unusable_values(
    table: dict[str, Any], lines: _Lines, name: str, path: str = "", occurrence: int = 0
) -> Iterator[Problem]:
    """Yield a problem for each NaN or infinity and each text with a control character."""
    for key, value in table.items():
        sub = f"{path}.{key}" if path else key
        line = lines.of(path, key, occurrence)
        items = value if isinstance(value, list) else [value]
        for index, item in enumerate(items):
            if isinstance(item, dict):  # a sub-table, an inline table, one of [[tables]]
                yield from _unusable_values(item, lines, name, sub, index)
            else:
                yield from _unusable_scalar(item, line, name, key)


def _unusable_scalar(value: Any, line: int | None, name: str, key: str) -> Iterator[Problem]:
    if isinstance(value, float) and not math.isfinite(value):
        yield Problem(name, line, key, f"{value} is not a number to compute with")
    elif isinstance(value, str) and CONTROL.search(value):
        yield Problem(name, line, key, "contains a control character (a line break, a tab, …)")


def _check_keys(
    data: dict[str, Any], keys: tuple[Key, ...], at: Callable[[str | None], int | None], name: str
) -> list[Problem]:
    problems = []
    for key in keys:
        if key.name not in data:
            if key.required:
                problems.append(Problem(name, at(None), key.name, "missing"))
            continue
        message = key.check(data[key.name])
        if message:
            problems.append(Problem(name, at(key.name), key.name, message))
    return problems


def _validate(
    data: dict[str, Any], lines: _Lines, name: str, folder: Path
) -> tuple[EditionConfig, list[Problem]]:
    known = {k.name for k in TOP} | {"delindex", *SECTIONS}
    problems = [
        Problem(name, lines.of("", key), key, _unknown(key, known))
        for key in data
        if key not in known
    ]
    problems += _check_keys(data, TOP, lambda key: lines.of("", key) or 1, name)
    config = EditionConfig()
    if not problems:
        config.name = data["name"].strip()
        config.year = data["year"]
        config.publish_at = parse_moment(data["publish_at"])
        config.embargo_hours = float(data.get("embargo_hours", config.embargo_hours))
        config.previous = (folder / data["previous"]) if "previous" in data else None
    config.delindex, more = _validate_delindex(data.get("delindex"), lines, name)
    problems += more
    for section, keys in SECTIONS.items():
        values, more = _validate_section(data.get(section, {}), section, keys, lines, name)
        problems += more
        if not more:
            _apply_section(config, section, values)
    if not problems:
        problems += _check_percentiles(config, lines, name)
        problems += _check_fallback(config, lines, name)
    config.fallback_line = lines.of("fallback", "sources")
    return config, problems


def _validate_delindex(
    tables: Any, lines: _Lines, name: str
) -> tuple[tuple[DelindexSpec, ...], list[Problem]]:
    if not isinstance(tables, list) or not tables:
        return (), [Problem(name, 1, "delindex", "at least one [[delindex]] table is needed")]
    if not all(isinstance(table, dict) for table in tables):
        line = lines.of("", "delindex")
        example = "[[delindex]] tables, each with id, name and weight"
        return (), [Problem(name, line, "delindex", f"must be {example}")]
    specs, problems, seen = [], [], set()
    for index, table in enumerate(tables):

        def at(key: str | None, i: int = index) -> int | None:
            return lines.of("delindex", key, i)

        found = _check_keys(table, DELINDEX, at, name)
        found += [
            Problem(name, at(key), key, _unknown(key, {k.name for k in DELINDEX}))
            for key in table
            if key not in {k.name for k in DELINDEX}
        ]
        ident = table.get("id")
        if _is_count(ident) is None and ident in seen:
            found.append(Problem(name, at("id"), "id", f"delindex {ident} is defined twice"))
        elif _is_count(ident) is None:
            seen.add(ident)
        problems += found
        if not found:
            specs.append(DelindexSpec(table["id"], table["name"].strip(), float(table["weight"])))
    return tuple(sorted(specs, key=lambda d: d.id)), problems


def _validate_section(
    data: Any, section: str, keys: tuple[Key, ...], lines: _Lines, name: str
) -> tuple[dict[str, Any], list[Problem]]:
    if not isinstance(data, dict):
        return {}, [Problem(name, lines.of("", section), section, "must be a table")]
    problems = _check_keys(data, keys, lambda key: lines.of(section, key), name)
    problems += [
        Problem(name, lines.of(section, key), key, _unknown(key, {k.name for k in keys}))
        for key in data
        if key not in {k.name for k in keys}
    ]
    return data, problems


def _unknown(key: str, known: set[str]) -> str:
    """Return "unknown key", with the known key it most likely means."""
    close = difflib.get_close_matches(key, sorted(known), n=1, cutoff=0.6)
    return f"unknown key (did you mean {close[0]}?)" if close else "unknown key"


def _apply_section(config: EditionConfig, section: str, given: dict[str, Any]) -> None:
    values = _settings(section, given)
    if section == "selection":
        config.selection = _build_selection(values)
    elif section == "groups":
        config.groups = _build_groups(values)
    elif section == "mail":
        config.mail = _build_mail(values)
    elif section == "fallback":
        config.fallback = _build_fallback(values)


def _check_percentiles(config: EditionConfig, lines: _Lines, name: str) -> list[Problem]:
    selection = config.selection
    if selection.improvement_percentile < selection.strength_percentile:
        return []
    line = lines.of("selection", "improvement_percentile")
    return [Problem(name, line, "improvement_percentile", "must be below strength_percentile")]


def _check_fallback(config: EditionConfig, lines: _Lines, name: str) -> list[Problem]:
    if not config.fallback.sources or config.previous is not None:
        return []
    line = lines.of("fallback", "sources")
    message = "needs `previous`: last year's values stand in from the previous edition"
    return [Problem(name, line, "fallback.sources", message)]
