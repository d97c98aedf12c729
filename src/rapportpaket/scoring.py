"""Score an edition exactly as `method.md` defines it, vectorised over the whole country.

pandas stays inside this module: the wide frames (municipalities × indicators) are turned
into frozen dataclasses before anything leaves.
"""

from __future__ import annotations

from dataclasses import dataclass
from statistics import NormalDist

import numpy as np
import pandas as pd

from rapportpaket import selection
from rapportpaket.model import (
    GROUP_ABOVE,
    GROUP_BELOW,
    GROUP_HIGH,
    GROUP_LOW,
    GROUP_MIDDLE,
    DelindexResult,
    Edition,
    EditionResults,
    IndicatorResult,
    IndicatorStats,
    MunicipalityResult,
    Status,
)

DECIMALS = 9  # equality is judged on values rounded to 9 decimals (method.md §3)
# The conventional two-sided z values; method.md fixes z = 1.96 for 0.95.
CONVENTIONAL_Z = {0.80: 1.282, 0.90: 1.645, 0.95: 1.96, 0.98: 2.326, 0.99: 2.576}


def z_value(confidence: float) -> float:
    """Return the two-sided z for `confidence` (1.96 for 0.95, as method.md states)."""
    for level, z in CONVENTIONAL_Z.items():
        if abs(level - confidence) < 1e-12:
            return z
    return NormalDist().inv_cdf(0.5 + confidence / 2)


@dataclass(frozen=True)
class _Frames:
    """The wide frames of one edition: rows are municipalities, columns indicators."""

    values: pd.DataFrame  # raw values, NaN where missing
    n: pd.DataFrame  # respondents, NaN where absent
    scores: pd.DataFrame  # s(m,i), NaN where missing (0 is applied where sums need it)
    c: pd.Series  # effective weight of each indicator in the total


def score_edition(edition: Edition) -> EditionResults:
    """Compute every municipality's results, with trends when a previous edition is set."""
    z = z_value(edition.groups.confidence)
    frames = _frames(edition)
    delindex = _delindex_frame(edition, frames.scores)
    total = _total(edition, delindex)
    statuses, percentiles, intervals, gains = _indicator_results(edition, frames, z)
    low, high = _total_interval(edition, frames, total, z)
    cut_points = tuple(float(q) for q in np.percentile(total.to_numpy(), [20, 40, 60, 80]))
    groups = _groups(low, high, cut_points)
    previous = score_edition(edition.previous) if edition.previous is not None else None
    municipalities = _build_municipalities(
        edition, frames, delindex, total, low, high, groups, statuses, percentiles, intervals,
        gains, previous,
    )  # fmt: skip
    stats = _indicator_stats(edition, frames)
    results = EditionResults(edition, municipalities, stats, cut_points, z)  # type: ignore[arg-type]
    return selection.with_recommendations(results)


# --------------------------------------------------------------------------- §1 scores


def _frames(edition: Edition) -> _Frames:
    codes = [m.kommunkod for m in edition.municipalities]
    ids = [i.id for i in edition.indicators]
    long = pd.DataFrame(
        [(v.kommunkod, v.indicator, v.value, v.n) for v in edition.values],
        columns=["kommunkod", "indicator", "value", "n"],
    )
    values = _widen(long, "value", codes, ids)
    n = _widen(long, "n", codes, ids)
    scores = pd.DataFrame({i.id: _score_column(values[i.id], i) for i in edition.indicators})
    return _Frames(values, n, scores, _effective_weights(edition))


def _widen(long: pd.DataFrame, column: str, codes: list[str], ids: list[str]) -> pd.DataFrame:
    wide = long.pivot(index="kommunkod", columns="indicator", values=column)
    return wide.reindex(index=codes, columns=ids).astype(float)


def _score_column(values: pd.Series, indicator: object) -> pd.Series:
    from rapportpaket.model import Indicator

    assert isinstance(indicator, Indicator)
    if indicator.kind == "binary":
        score = 100.0 * values
    elif indicator.kind == "percent":
        score = values.copy()
    else:
        assert indicator.min is not None and indicator.max is not None
        span = indicator.max - indicator.min
        score = (100.0 * (values - indicator.min) / span).clip(0.0, 100.0)
    return score if indicator.higher_is_better else 100.0 - score


def _effective_weights(edition: Edition) -> pd.Series:
    """Return c_i = (W_k/ΣW)·(w_i/Σ_{j∈k} w_j) for every indicator (method.md §2)."""
    total_weight = sum(d.weight for d in edition.delindex)
    in_delindex = {
        d.id: sum(i.weight for i in edition.indicators if i.delindex == d.id)
        for d in edition.delindex
    }
    return pd.Series(
        {
            i.id: edition.delindex_spec(i.delindex).weight
            / total_weight
            * i.weight
            / in_delindex[i.delindex]
            for i in edition.indicators
        }
    )


# --------------------------------------------------------------------------- §2–4


def _delindex_frame(edition: Edition, scores: pd.DataFrame) -> pd.DataFrame:
    filled = scores.fillna(0.0)  # missing counts as 0, its weight stays in the denominator
    columns = {}
    for spec in edition.delindex:
        members = [i for i in edition.indicators if i.delindex == spec.id]
        weights = np.array([i.weight for i in members])
        columns[spec.id] = filled[[i.id for i in members]].to_numpy() @ weights / weights.sum()
    return pd.DataFrame(columns, index=scores.index)


def _total(edition: Edition, delindex: pd.DataFrame) -> pd.Series:
    weights = np.array([d.weight for d in edition.delindex])
    ids = [d.id for d in edition.delindex]
    return pd.Series(delindex[ids].to_numpy() @ weights / weights.sum(), index=delindex.index)


def competition_rank(values: pd.Series) -> pd.Series:
    """Return "1224" ranks, 1 the best, ties judged on 9 decimals (method.md §3)."""
    return values.round(DECIMALS).rank(method="min", ascending=False).astype(int)


def mean_percentile(values: pd.Series | pd.DataFrame) -> pd.Series | pd.DataFrame:
    """Return the mean percentile rank of each value among the non-missing ones (§4)."""
    rounded = values.round(DECIMALS)
    # An average rank r counts #{y < x} + (#{y = x} + 1)/2, so r − 0.5 is the §4 numerator.
    return 100.0 * (rounded.rank(method="average") - 0.5) / rounded.notna().sum()


# --------------------------------------------------------------------------- §5–6


def _indicator_results(
    edition: Edition, frames: _Frames, z: float
) -> tuple[pd.DataFrame, pd.DataFrame, tuple[pd.DataFrame, pd.DataFrame], pd.DataFrame]:
    scores = frames.scores
    uncertain = _uncertain(edition, frames)
    low, high = _wilson(edition, frames, z)
    median = scores.median().round(DECIMALS)
    percentile = mean_percentile(scores)
    rounded = percentile.round(DECIMALS)
    has = scores.notna()
    sel = edition.selection
    clear_above = ~uncertain | low.round(DECIMALS).gt(median, axis=1)
    clear_below = ~uncertain | high.round(DECIMALS).lt(median, axis=1)
    strength = has & (rounded >= sel.strength_percentile) & clear_above
    improvement = ~has | ((rounded <= sel.improvement_percentile) & clear_below)
    status = pd.DataFrame("neutral", index=scores.index, columns=scores.columns)
    status = status.mask(strength, "strength").mask(improvement, "improvement")
    q3 = scores.quantile(0.75)
    shortfall = (q3 - scores.fillna(0.0)).clip(lower=0.0).fillna(0.0)
    gains = (shortfall * frames.c).where(improvement, 0.0)
    return status, percentile, (low.where(uncertain), high.where(uncertain)), gains


def _uncertain(edition: Edition, frames: _Frames) -> pd.DataFrame:
    """Return where a score is a survey percentage with respondents (method.md §7)."""
    percent = [i.id for i in edition.indicators if i.kind == "percent"]
    mask = frames.n.notna() & frames.values.notna()
    mask.loc[:, ~mask.columns.isin(percent)] = False
    return mask


def _wilson(edition: Edition, frames: _Frames, z: float) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return the Wilson score interval in score units, mirrored when lower is better (§5)."""
    p = frames.values / 100.0
    n = frames.n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    low, high = 100.0 * (centre - half), 100.0 * (centre + half)
    lower_better = [i.id for i in edition.indicators if not i.higher_is_better]
    mirrored_low, mirrored_high = 100.0 - high[lower_better], 100.0 - low[lower_better]
    low[lower_better], high[lower_better] = mirrored_low, mirrored_high
    return low, high


# --------------------------------------------------------------------------- §7


def _total_interval(
    edition: Edition, frames: _Frames, total: pd.Series, z: float
) -> tuple[pd.Series, pd.Series]:
    """Return T ± z·SE with SE = Σ c_i·se(m,i), survey answers taken as fully correlated."""
    p = frames.values / 100.0
    se = (100.0 * np.sqrt(p * (1 - p) / frames.n)).where(_uncertain(edition, frames), 0.0)
    total_se = se.to_numpy() @ frames.c.reindex(se.columns).to_numpy()
    spread = pd.Series(z * total_se, index=total.index)
    return total - spread, total + spread


def _groups(low: pd.Series, high: pd.Series, cut_points: tuple[float, ...]) -> list[str]:
    q20, q40, q60, q80 = (round(q, DECIMALS) for q in cut_points)
    groups = []
    for lo, hi in zip(low.round(DECIMALS).tolist(), high.round(DECIMALS).tolist(), strict=True):
        if lo >= q80:
            groups.append(GROUP_HIGH)
        elif hi <= q20:
            groups.append(GROUP_LOW)
        elif lo >= q60:
            groups.append(GROUP_ABOVE)
        elif hi <= q40:
            groups.append(GROUP_BELOW)
        else:
            groups.append(GROUP_MIDDLE)
    return groups


# --------------------------------------------------------------------------- §8 and assembly


def _indicator_stats(edition: Edition, frames: _Frames) -> tuple[IndicatorStats, ...]:
    scores, values = frames.scores, frames.values
    median_scores, q3 = scores.median(), scores.quantile(0.75)
    median_values, counts = values.median(), scores.notna().sum()
    return tuple(
        IndicatorStats(
            indicator=i,
            effective_weight=float(frames.c[i.id]),
            with_data=int(counts[i.id]),
            median_score=_maybe(median_scores[i.id]),
            q3_score=_maybe(q3[i.id]),
            median_value=_maybe(median_values[i.id]),
        )
        for i in edition.indicators
    )


def _maybe(number: object) -> float | None:
    value = float(number)  # type: ignore[arg-type]
    return None if np.isnan(value) else value


def _build_municipalities(
    edition: Edition,
    frames: _Frames,
    delindex: pd.DataFrame,
    total: pd.Series,
    low: pd.Series,
    high: pd.Series,
    groups: list[str],
    statuses: pd.DataFrame,
    percentiles: pd.DataFrame,
    intervals: tuple[pd.DataFrame, pd.DataFrame],
    gains: pd.DataFrame,
    previous: EditionResults | None,
) -> tuple[MunicipalityResult, ...]:
    ranks, total_pct = competition_rank(total), mean_percentile(total)
    delindex_ranks = {k: competition_rank(delindex[k]) for k in delindex.columns}
    delindex_pct = {k: mean_percentile(delindex[k]) for k in delindex.columns}
    rows = _indicator_rows(edition, frames, statuses, percentiles, intervals, gains)
    out = []
    for position, municipality in enumerate(edition.municipalities):
        before = _previous_result(previous, municipality.kommunkod)
        parts = tuple(
            DelindexResult(
                spec=spec,
                value=float(delindex[spec.id].iat[position]),
                rank=int(delindex_ranks[spec.id].iat[position]),
                percentile=float(delindex_pct[spec.id].iat[position]),
                change=_delindex_change(before, spec.id, float(delindex[spec.id].iat[position])),
            )
            for spec in edition.delindex
        )
        value, rank = float(total.iat[position]), int(ranks.iat[position])
        out.append(
            MunicipalityResult(
                municipality=municipality,
                total=value,
                rank=rank,
                percentile=float(total_pct.iat[position]),
                total_low=float(low.iat[position]),
                total_high=float(high.iat[position]),
                group=groups[position],
                delindex=parts,
                indicators=rows[position],
                forbattra=(),
                bibehall=(),
                total_change=None if before is None else value - before.total,
                rank_change=None if before is None else before.rank - rank,
            )
        )
    return tuple(out)


def _indicator_rows(
    edition: Edition,
    frames: _Frames,
    statuses: pd.DataFrame,
    percentiles: pd.DataFrame,
    intervals: tuple[pd.DataFrame, pd.DataFrame],
    gains: pd.DataFrame,
) -> list[tuple[IndicatorResult, ...]]:
    """Turn the wide frames into IndicatorResult rows (plain lists: 290 × 75 objects)."""
    values, n = _records(frames.values), _records(frames.n)
    scores, pcts = _records(frames.scores), _records(percentiles)
    lows, highs, gain = _records(intervals[0]), _records(intervals[1]), _records(gains)
    status_rows: list[list[Status]] = statuses.to_numpy().tolist()
    rows = []
    for m in range(len(edition.municipalities)):
        rows.append(
            tuple(
                IndicatorResult(
                    indicator=indicator,
                    value=values[m][j],
                    n=None if n[m][j] is None else int(n[m][j]),  # type: ignore[arg-type]
                    score=scores[m][j] or 0.0,
                    percentile=pcts[m][j],
                    status=status_rows[m][j],
                    gain=gain[m][j] or 0.0,
                    interval=None if lows[m][j] is None else (lows[m][j], highs[m][j]),  # type: ignore[arg-type]
                )
                for j, indicator in enumerate(edition.indicators)
            )
        )
    return rows


def _records(frame: pd.DataFrame) -> list[list[float | None]]:
    array = frame.to_numpy(dtype=float)
    return [[None if np.isnan(x) else float(x) for x in row] for row in array]


def _previous_result(previous: EditionResults | None, kommunkod: str) -> MunicipalityResult | None:
    if previous is None:
        return None
    try:
        return previous.result_for(kommunkod)
    except KeyError:
        return None


def _delindex_change(
    before: MunicipalityResult | None, delindex_id: int, value: float
) -> float | None:
    if before is None:
        return None
    match = [d for d in before.delindex if d.spec.id == delindex_id]
    return value - match[0].value if match else None
