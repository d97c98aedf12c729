"""The release's machine-readable lists (`lists/*.csv`): unrounded, `.` decimals, exact names.

These files are for programs, so every value is written exactly as computed and every
name exactly as the edition spells it; the csv module quotes a field only where RFC 4180
needs it (a comma, a quote, a line break). A name that begins with `=`, `+`, `-` or `@`
is not altered here: the spreadsheet (`workbook.py`) is the file meant for Excel, and it
marks such text so that Excel never reads it as a formula.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from rapportpaket.scoring.lists import Climber, MissingSources, NationalLists, Placing, TopList

TOP_COLUMNS = ("rank", "kommunkod", "kommun", "lan", "value", "change")
CLIMBER_COLUMNS = ("kommunkod", "kommun", "lan", "total_change", "rank_change", "rank")
COVERAGE_COLUMNS = ("source", "municipalities", "share", "change")
MISSING_COLUMNS = ("kommunkod", "kommun", "sources")
Cell = str | int | float | None


def list_texts(lists: NationalLists) -> tuple[str, ...]:
    """Return the CSV texts in the order of `files.list_names`."""
    return (
        top_csv(lists.top),
        *(top_csv(top) for top in lists.top_by_delindex),
        _csv(CLIMBER_COLUMNS, (_climber_row(c) for c in lists.climbers)),
        _csv(COVERAGE_COLUMNS, ((c.source, c.municipalities, c.share, c.change)
                                for c in lists.coverage)),
        _csv(MISSING_COLUMNS, (_missing_row(m) for m in lists.missing)),
    )  # fmt: skip


def top_csv(top: TopList) -> str:
    """Return one top list: rank, kommunkod, kommun, län, value and change."""
    return _csv(TOP_COLUMNS, (_placing_row(p) for p in top.placings))


def _placing_row(placing: Placing) -> tuple[Cell, ...]:
    where = placing.municipality
    return (placing.rank, where.kommunkod, where.kommun, where.lan, placing.value, placing.change)


def _climber_row(climber: Climber) -> tuple[Cell, ...]:
    where = climber.municipality
    return (where.kommunkod, where.kommun, where.lan, climber.total_change,
            climber.rank_change, climber.rank)  # fmt: skip


def _missing_row(missing: MissingSources) -> tuple[Cell, ...]:
    where = missing.municipality
    return (where.kommunkod, where.kommun, ";".join(missing.sources))


def _cell(value: Cell) -> str:
    # repr keeps every digit of a float (the shortest text that reads back the same).
    if value is None:
        return ""
    return value if isinstance(value, str) else repr(value)


def _csv(columns: Sequence[str], rows: Iterable[Sequence[Cell]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows([_cell(value) for value in row] for row in rows)
    return buffer.getvalue()
