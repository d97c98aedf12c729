"""Score the edition's units exactly as method.md §12 defines it, vectorised with numpy.

Every unit value is one row of a long table (unit, indicator, value, n). Percentiles,
medians and statuses are computed per indicator among all units of the country with data
for it; the per-delindex means per unit by summing rows into (unit, delindex) cells. The
rules are those of the engine (§1, §4, §5, §7), applied to units instead of municipalities.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import cast

import numpy as np

from rapportpaket.edition.model import Edition
from rapportpaket.scoring.results import (
    DECIMALS,
    MunicipalityResult,
    Status,
    UnitDelindex,
    UnitIndicatorResult,
    UnitIndicatorStats,
    UnitResult,
    UnitResults,
)

Array = np.ndarray


@dataclass(frozen=True)
class _Rows:
    """The unit values as parallel arrays, one entry per (unit, indicator) with data."""

    unit: Array  # index into edition.units
    indicator: Array  # index into edition.indicators
    value: Array
    n: Array  # respondents as given, NaN where absent


def score_units(
    edition: Edition, municipalities: Sequence[MunicipalityResult], z: float
) -> UnitResults | None:
    """Return every unit's results (§12), or None when the edition has no units."""
    if not edition.units:
        return None
    rows = _rows(edition)
    scores = _scores(edition, rows)
    percentiles, medians = _percentiles_and_medians(rows, scores, len(edition.indicators))
    n, assumed = _respondents(edition, rows)
    uncertain = ~np.isnan(n)
    low, high = _wilson(edition, rows, n, z)
    status, prioritised = _status(edition, rows, scores, percentiles, medians, uncertain, low, high)
    own = _municipality_scores(edition, rows, municipalities)
    table = _Computed(scores, percentiles, status, prioritised, low, high, uncertain, assumed, own)
    means = _means(edition, rows, scores, own)
    return UnitResults(
        units=_results(edition, rows, table, means),
        stats=_stats(edition, rows, medians),
        delindex_medians=_delindex_medians(edition, means),
        national_count=len(edition.units),
        national_kommuner=len({u.kommunkod for u in edition.units}),
    )


def _rows(edition: Edition) -> _Rows:
    unit_of = {u.enhet: k for k, u in enumerate(edition.units)}
    indicator_of = {i.id: j for j, i in enumerate(edition.indicators)}
    values = edition.unit_values
    nan = float("nan")
    return _Rows(
        unit=np.fromiter((unit_of[v.enhet] for v in values), dtype=np.int64, count=len(values)),
        indicator=np.fromiter(
            (indicator_of[v.indicator] for v in values), dtype=np.int64, count=len(values)
        ),
        value=np.fromiter((v.value for v in values), dtype=float, count=len(values)),
        n=np.fromiter(
            (nan if v.n is None else v.n for v in values), dtype=float, count=len(values)
        ),
    )


def _per_row(rows: _Rows, per_indicator: Sequence[object]) -> Array:
    """Return a property of each row's indicator, given per indicator in catalogue order."""
    result: Array = np.array(per_indicator)[rows.indicator]
    return result


# --------------------------------------------------------------------------- §1 scores


def _scores(edition: Edition, rows: _Rows) -> Array:
    """Return s(u,i) of every row: the same kind, direction and bounds as a municipality's."""
    indicators = edition.indicators
    binary = _per_row(rows, [i.kind == "binary" for i in indicators])
    percent = _per_row(rows, [i.kind == "percent" for i in indicators])
    # Bounds only matter for `number` indicators; the others get harmless ones.
    low = _per_row(rows, [0.0 if i.min is None else i.min for i in indicators])
    high = _per_row(rows, [1.0 if i.max is None else i.max for i in indicators])
    number = np.clip(100.0 * (rows.value - low) / (high - low), 0.0, 100.0)
    score = np.where(binary, 100.0 * rows.value, np.where(percent, rows.value, number))
    result: Array = np.where(
        _per_row(rows, [i.higher_is_better for i in indicators]), score, 100 - score
    )
    return result


# --------------------------------------------------------------------------- §4 percentiles


def _percentiles_and_medians(rows: _Rows, scores: Array, count: int) -> tuple[Array, Array]:
    """Return each row's percentile among the units with data for its indicator (§4), and
    per indicator the median score of those units (NaN where none has data)."""
    percentiles = np.empty(len(scores))
    medians = np.full(count, np.nan)
    for j, members in _groups(rows.indicator, count):
        own = scores[members]
        rounded = np.round(own, DECIMALS)
        ordered = np.sort(rounded)
        below = np.searchsorted(ordered, rounded, side="left")
        up_to = np.searchsorted(ordered, rounded, side="right")
        percentiles[members] = 100.0 * (below + 0.5 * (up_to - below)) / len(members)
        medians[j] = np.median(own)
    return percentiles, medians


def _groups(keys: Array, count: int) -> list[tuple[int, Array]]:
    """Return (key, row indices) for every key in 0..count-1 that has rows."""
    order = np.argsort(keys, kind="stable")
    bounds = np.searchsorted(keys[order], np.arange(count + 1))
    return [
        (key, order[bounds[key] : bounds[key + 1]])
        for key in range(count)
        if bounds[key + 1] > bounds[key]
    ]


# --------------------------------------------------------------------------- §5, §7


def _respondents(edition: Edition, rows: _Rows) -> tuple[Array, Array]:
    """Return the n each row is judged with, and where it was assumed (§7, among units).

    A survey indicator is a percent indicator with at least one unit value carrying n; its
    unit values without n take the smallest n among the units' values of it. Elsewhere NaN.
    """
    percent = _per_row(rows, [i.kind == "percent" for i in edition.indicators])
    given = rows.n.copy()
    given[~percent] = np.nan
    smallest = np.full(len(edition.indicators), np.nan)
    has_n = ~np.isnan(given)
    np.fmin.at(smallest, rows.indicator[has_n], given[has_n])
    n = np.where(np.isnan(given), smallest[rows.indicator], given)
    assumed = np.isnan(given) & ~np.isnan(n)
    return n, assumed


def _wilson(edition: Edition, rows: _Rows, n: Array, z: float) -> tuple[Array, Array]:
    """Return the Wilson interval in score units, mirrored when lower is better (§5)."""
    p = rows.value / 100.0
    with np.errstate(invalid="ignore", divide="ignore"):
        centre = (p + z * z / (2 * n)) / (1 + z * z / n)
        half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    low, high = 100.0 * (centre - half), 100.0 * (centre + half)
    higher = _per_row(rows, [i.higher_is_better for i in edition.indicators])
    return np.where(higher, low, 100.0 - high), np.where(higher, high, 100.0 - low)


def _status(
    edition: Edition,
    rows: _Rows,
    scores: Array,
    percentiles: Array,
    medians: Array,
    uncertain: Array,
    low: Array,
    high: Array,
) -> tuple[Array, Array]:
    """Classify every row as strength, improvement area or neutral (§5 among units).

    Also return where the percentile rule makes the improvement area (`prioritised`): a
    yes/no item at 0 is always an improvement area, but prioritised only through that rule.
    """
    selection = edition.selection
    median = np.round(medians[rows.indicator], DECIMALS)
    rounded = np.round(percentiles, DECIMALS)
    clear_above = ~uncertain | (np.round(low, DECIMALS) > median)
    clear_below = ~uncertain | (np.round(high, DECIMALS) < median)
    strength = (rounded >= selection.strength_percentile) & clear_above
    weak = (rounded <= selection.improvement_percentile) & clear_below
    binary = _per_row(rows, [i.kind == "binary" for i in edition.indicators])
    lacking = binary & (np.round(scores, DECIMALS) == 0.0)
    status = np.where(weak | lacking, "improvement", np.where(strength, "strength", "neutral"))
    return status, weak


def _municipality_scores(
    edition: Edition, rows: _Rows, municipalities: Sequence[MunicipalityResult]
) -> Array:
    """Return, per row, the unit's municipality's own score s(m,i); NaN where it has none."""
    by_code = {r.kommunkod: r for r in municipalities}
    table = np.full((len(edition.units), len(edition.indicators)), np.nan)
    for k, unit in enumerate(edition.units):
        result = by_code[unit.kommunkod]
        table[k] = [np.nan if item.missing else item.score for item in result.indicators]
    own: Array = table[rows.unit, rows.indicator]
    return own


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class _Computed:
    """Every per-row number, ready to become the results model."""

    scores: Array
    percentiles: Array
    status: Array
    prioritised: Array
    low: Array
    high: Array
    uncertain: Array
    assumed: Array
    own: Array  # the municipality's score on the row's indicator, NaN where it has none


@dataclass(frozen=True)
class _Means:
    """Per unit and delindex (units × delindex, edition order): D(u,k), n_k and the
    municipality's own weighted mean on the same indicators."""

    value: Array  # NaN where the unit has no indicator of the delindex
    count: Array
    own: Array  # NaN where the municipality has no value on any of them


def _means(edition: Edition, rows: _Rows, scores: Array, own: Array) -> _Means:
    """Sum each row into its (unit, delindex) cell: D(u,k) = Σ w·s / Σ w over the rows."""
    shape = (len(edition.units), len(edition.delindex))
    position = {spec.id: k for k, spec in enumerate(edition.delindex)}
    delindex = _per_row(rows, [position[i.delindex] for i in edition.indicators])
    weights = _per_row(rows, [i.weight for i in edition.indicators])
    cell = rows.unit * shape[1] + delindex
    has_own = ~np.isnan(own)

    def summed(where: Array, values: Array) -> Array:
        total: Array = np.bincount(
            cell[where], weights=values[where], minlength=shape[0] * shape[1]
        )
        return total.reshape(shape)

    everywhere = np.ones(len(cell), dtype=bool)
    count = summed(everywhere, np.ones(len(cell)))
    with np.errstate(invalid="ignore", divide="ignore"):
        value = summed(everywhere, weights * scores) / summed(everywhere, weights)
        own_value = summed(has_own, weights * np.nan_to_num(own)) / summed(has_own, weights)
    return _Means(value, count.astype(np.int64), own_value)


def _results(
    edition: Edition, rows: _Rows, table: _Computed, means: _Means
) -> tuple[UnitResult, ...]:
    """Return one result per unit, in file order, its indicators in catalogue order."""
    order = np.lexsort((rows.indicator, rows.unit))
    items = _indicator_results(edition, rows, table, order)
    ends = np.cumsum(np.bincount(rows.unit, minlength=len(edition.units))).tolist()
    starts = [0, *ends[:-1]]
    delindex = _unit_delindex(edition, means)
    return tuple(
        UnitResult(unit, tuple(items[start:end]), delindex[k])
        for k, (unit, start, end) in enumerate(zip(edition.units, starts, ends, strict=True))
    )


def _indicator_results(
    edition: Edition, rows: _Rows, table: _Computed, order: Array
) -> list[UnitIndicatorResult]:
    # Plain lists are several times faster than indexing numpy arrays element by element.
    indicators = edition.indicators
    columns = zip(
        *(
            array[order].tolist()
            for array in (
                rows.indicator, rows.value, rows.n, table.scores, table.percentiles,
                table.status, table.prioritised, table.low, table.high, table.uncertain,
                table.assumed, table.own,
            )
        ),
        strict=True,
    )  # fmt: skip
    results = []
    for row in columns:
        j, value, n, score, percentile, status, prioritised, low, high, uncertain, assumed, own = (
            row
        )
        results.append(
            UnitIndicatorResult(
                indicator=indicators[j],
                value=value,
                n=None if n != n else int(n),  # NaN is the only value unequal to itself
                score=score,
                percentile=percentile,
                status=cast(Status, status),
                prioritised=prioritised,
                interval=(low, high) if uncertain else None,
                n_assumed=assumed,
                vs_kommun=None if own != own else score - own,
            )
        )
    return results


def _unit_delindex(edition: Edition, means: _Means) -> list[tuple[UnitDelindex, ...]]:
    values, counts, own = means.value.tolist(), means.count.tolist(), means.own.tolist()
    return [
        tuple(
            UnitDelindex(
                spec,
                values[u][k] if counts[u][k] else None,
                counts[u][k],
                None if own[u][k] != own[u][k] else own[u][k],
            )
            for k, spec in enumerate(edition.delindex)
        )
        for u in range(len(edition.units))
    ]


def _stats(edition: Edition, rows: _Rows, medians: Array) -> tuple[UnitIndicatorStats, ...]:
    stats = []
    for j, members in _groups(rows.indicator, len(edition.indicators)):
        values = rows.value[members]
        extremes = bool(np.isin(values, (0.0, 100.0)).all() and np.isnan(rows.n[members]).all())
        stats.append(
            UnitIndicatorStats(
                indicator=edition.indicators[j],
                with_data=len(members),
                median_score=float(medians[j]),
                median_value=float(np.median(values)),
                mean_value=float(np.mean(values)),
                all_or_nothing=edition.indicators[j].kind == "percent" and extremes,
            )
        )
    return tuple(stats)


def _delindex_medians(edition: Edition, means: _Means) -> tuple[tuple[int, float | None], ...]:
    """Return, per delindex, the median of D(u,k) over the units with data in it."""
    result = []
    for k, spec in enumerate(edition.delindex):
        has = means.count[:, k] > 0
        median = float(np.median(means.value[has, k])) if has.any() else None
        result.append((spec.id, median))
    return tuple(result)
