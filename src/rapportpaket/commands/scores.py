"""Machine-readable exports of the scores (CSV, unrounded, `.` decimals)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from rapportpaket.errors import UsageError
from rapportpaket.scoring.results import EditionResults, MunicipalityResult, UnitResult
from rapportpaket.support.files import writable_target, write_atomic

STDOUT = Path("-")  # `--out -`: standard output

SCORE_COLUMNS = (
    "kommunkod", "kommun", "total", "rank", "total_low", "total_high", "group", "percentile",
    "d1", "d1_rank", "d2", "d2_rank", "d3", "d3_rank", "d4", "d4_rank", "forbattra", "bibehall",
)  # fmt: skip
TREND_COLUMNS = ("total_change", "rank_change")
INDICATOR_COLUMNS = (
    "kommunkod", "indicator", "value", "score", "percentile", "status", "missing", "gain",
    "from_previous",
)  # fmt: skip
UNIT_COLUMNS = (
    "enhet", "kommunkod", "indicator", "value", "score", "percentile", "status", "vs_kommun",
)  # fmt: skip
UNIT_INDEX_COLUMNS = (
    "enhet", "kommunkod", "name", "provider",
    "d1", "d1_n", "d2", "d2_n", "d3", "d3_n", "d4", "d4_n",
)  # fmt: skip


def export_scores(
    edition_path: Path,
    *,
    out: Path | None = None,
    indicators_out: Path | None = None,
    units_out: Path | None = None,
    unit_index_out: Path | None = None,
) -> str | None:
    """Score the edition; write the CSV files; return the text meant for standard output.

    `out` None or `-` is standard output, and so is `indicators_out` `-`.
    """
    from rapportpaket.edition.load import load_edition
    from rapportpaket.scoring.score import score_edition

    out = None if out == STDOUT else out
    if out is None and indicators_out == STDOUT:
        raise UsageError("only one of the two files can go to standard output (-)")
    for target in (out, indicators_out, units_out, unit_index_out):
        if target is not None and target != STDOUT:
            writable_target(target)  # refused before anything is computed or written
    results = score_edition(load_edition(edition_path))
    scores_text = scores_csv(results)
    to_stdout = [] if out is not None else [scores_text]
    if indicators_out == STDOUT:
        to_stdout.append(indicators_csv(results))
    elif indicators_out is not None:
        write_atomic(indicators_out, indicators_csv(results))
    if units_out is not None:
        write_atomic(units_out, units_csv(results))
    if unit_index_out is not None:
        write_atomic(unit_index_out, unit_index_csv(results))
    if out is not None:
        write_atomic(out, scores_text)
    return "".join(to_stdout) or None


def _number(value: float | int | None) -> str:
    return "" if value is None else repr(value)


def _flag(value: bool) -> str:
    return "true" if value else "false"


def _delindex_columns(result: MunicipalityResult) -> list[str]:
    # The scores file has d1..d4 by name; an edition with other ids fills the ones it has.
    cells = []
    for delindex_id in (1, 2, 3, 4):
        match = [d for d in result.delindex if d.spec.id == delindex_id]
        cells += [_number(match[0].value), str(match[0].rank)] if match else ["", ""]
    return cells


def scores_csv(results: EditionResults) -> str:
    """Return the scores file: one row per municipality, in edition order."""
    trend = results.edition.previous is not None
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(SCORE_COLUMNS + (TREND_COLUMNS if trend else ()))
    for r in results.municipalities:
        row = [
            r.kommunkod, r.municipality.kommun, _number(r.total), str(r.rank),
            _number(r.total_low), _number(r.total_high), r.group, _number(r.percentile),
            *_delindex_columns(r),
            ";".join(item.result.indicator.id for item in r.forbattra),
            ";".join(item.indicator.id for item in r.bibehall),
        ]  # fmt: skip
        if trend:
            row += [_number(r.total_change), _number(r.rank_change)]
        writer.writerow(row)
    return buffer.getvalue()


def indicators_csv(results: EditionResults) -> str:
    """Return the per-indicator file: every municipality × indicator, catalogue order."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(INDICATOR_COLUMNS)
    for r in results.municipalities:
        for item in r.indicators:
            writer.writerow(
                [
                    r.kommunkod,
                    item.indicator.id,
                    _number(item.value),
                    _number(item.score),
                    _number(item.percentile),
                    item.status,
                    _flag(item.missing),
                    _number(item.gain),
                    _flag(item.from_previous),
                ]
            )
    return buffer.getvalue()


def _units(results: EditionResults) -> tuple[UnitResult, ...]:
    return () if results.units is None else results.units.units


def units_csv(results: EditionResults) -> str:
    """Return the per-unit file: every unit × indicator it has data for (§12), file order."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(UNIT_COLUMNS)
    for r in _units(results):
        unit = r.unit
        for item in r.indicators:
            numbers = (item.value, item.score, item.percentile)
            writer.writerow(
                [unit.enhet, unit.kommunkod, item.indicator.id, *map(_number, numbers),
                 item.status, _number(item.vs_kommun)]
            )  # fmt: skip
    return buffer.getvalue()


def unit_index_csv(results: EditionResults) -> str:
    """Return the unit index file: per unit, its mean and number of indicators per delindex."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(UNIT_INDEX_COLUMNS)
    for r in _units(results):
        cells = []
        for delindex_id in (1, 2, 3, 4):  # as in the scores file: d1..d4 by id
            match = [d for d in r.delindex if d.spec.id == delindex_id]
            cells += [_number(match[0].value), str(match[0].indicators)] if match else ["", "0"]
        writer.writerow([r.unit.enhet, r.unit.kommunkod, r.unit.name, r.unit.provider, *cells])
    return buffer.getvalue()
