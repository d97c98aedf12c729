"""A literal, loop-by-loop reading of method.md §12 (units), to check `scoring.units` against.

Like `reference_method`, written without numpy or pandas and sharing no code with the
program: every number is computed from the edition's rows, one unit and one indicator at
a time, in the order the method states it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from rapportpaket.edition.model import Edition, Indicator

from reference_method import median, percentile, r9, score_of


@dataclass
class RefUnitIndicator:
    value: float
    score: float
    percentile: float
    status: str
    prioritised: bool
    interval: tuple[float, float] | None
    n_assumed: bool
    vs_kommun: float | None


@dataclass
class RefUnit:
    indicators: dict[str, RefUnitIndicator]  # by indicator id, only those with data
    delindex: dict[int, tuple[float | None, int, float | None]]  # D(u,k), n_k, kommun's mean


def wilson(value: float, n: float, z: float, higher_is_better: bool) -> tuple[float, float]:
    p = value / 100
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    low, high = 100 * (centre - half), 100 * (centre + half)
    return (low, high) if higher_is_better else (100 - high, 100 - low)


def municipality_scores(edition: Edition) -> dict[tuple[str, str], float]:
    """Return s(m,i) for every municipality and indicator it has a value for (§1, §1b)."""
    by_id = {i.id: i for i in edition.indicators}
    return {
        (v.kommunkod, v.indicator): score_of(by_id[v.indicator], v.value)
        for v in edition.values
        if v.value is not None
    }


def reference_units(edition: Edition, z: float) -> dict[str, RefUnit]:
    """Return every unit's results by enhet, computed one unit and indicator at a time."""
    kommun_of = {u.enhet: u.kommunkod for u in edition.units}
    own = municipality_scores(edition)
    refs: dict[str, RefUnit] = {u.enhet: RefUnit({}, {}) for u in edition.units}
    for indicator in edition.indicators:
        rows = [v for v in edition.unit_values if v.indicator == indicator.id]
        if not rows:
            continue
        scores = [score_of(indicator, v.value) for v in rows]
        mid = median(scores)
        given = [v.n for v in rows if v.n is not None]
        survey = indicator.kind == "percent" and bool(given)
        for v, s in zip(rows, scores, strict=True):
            n = v.n if v.n is not None else (min(given) if survey else None)
            interval = wilson(v.value, n, z, indicator.higher_is_better) if survey and n else None
            p = percentile(s, scores)
            status, prioritised = classify(edition, indicator, s, p, mid, interval)
            kommun = own.get((kommun_of[v.enhet], indicator.id))
            refs[v.enhet].indicators[indicator.id] = RefUnitIndicator(
                value=v.value,
                score=s,
                percentile=p,
                status=status,
                prioritised=prioritised,
                interval=interval,
                n_assumed=survey and v.n is None,
                vs_kommun=None if kommun is None else s - kommun,
            )
    for unit in edition.units:
        for spec in edition.delindex:
            refs[unit.enhet].delindex[spec.id] = unit_mean(
                edition, refs[unit.enhet], unit.kommunkod, spec.id, own
            )
    return refs


def classify(
    edition: Edition,
    indicator: Indicator,
    s: float,
    p: float,
    mid: float,
    interval: tuple[float, float] | None,
) -> tuple[str, bool]:
    """Return the status of one unit value by §5 among units, and whether it is prioritised."""
    clear_above = interval is None or r9(interval[0]) > r9(mid)
    clear_below = interval is None or r9(interval[1]) < r9(mid)
    strength = r9(p) >= edition.selection.strength_percentile and clear_above
    weak = r9(p) <= edition.selection.improvement_percentile and clear_below
    lacking = indicator.kind == "binary" and r9(s) == 0
    if weak or lacking:
        return "improvement", weak
    return ("strength" if strength else "neutral"), False


def unit_mean(
    edition: Edition,
    ref: RefUnit,
    kommunkod: str,
    delindex_id: int,
    own: dict[tuple[str, str], float],
) -> tuple[float | None, int, float | None]:
    """Return D(u,k) and n_k over the indicators of k the unit has data for, and the
    municipality's weighted mean over those of them it has a value for."""
    total = weight = own_total = own_weight = 0.0
    count = 0
    for indicator in edition.indicators:
        if indicator.delindex != delindex_id or indicator.id not in ref.indicators:
            continue
        total += indicator.weight * ref.indicators[indicator.id].score
        weight += indicator.weight
        count += 1
        if (kommunkod, indicator.id) in own:
            own_total += indicator.weight * own[kommunkod, indicator.id]
            own_weight += indicator.weight
    return (
        total / weight if count else None,
        count,
        own_total / own_weight if own_weight else None,
    )
