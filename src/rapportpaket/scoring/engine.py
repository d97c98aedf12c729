"""Score an edition exactly as `method.md` defines it, vectorised over the whole country.

pandas stays inside this module: the wide frames (municipalities × indicators) become
plain arrays in `Scored`, which `assemble` turns into the frozen results model.
"""

from __future__ import annotations

from dataclasses import dataclass
from statistics import NormalDist
from typing import TypeVar

import numpy as np
import pandas as pd

from rapportpaket.edition.model import Edition, Indicator
from rapportpaket.scoring.results import (
    GROUP_ABOVE,
    GROUP_BELOW,
    GROUP_HIGH,
    GROUP_LOW,
    GROUP_MIDDLE,
)

DECIMALS = 9  # equality is judged on values rounded to 9 decimals (method.md §3)
# The conventional two-sided z values; method.md fixes z = 1.96 for 0.95.
CONVENTIONAL_Z = {0.80: 1.282, 0.90: 1.645, 0.95: 1.96, 0.98: 2.326, 0.99: 2.576}

F = TypeVar("F", pd.Series, pd.DataFrame)
Array = np.ndarray  # float arrays shaped (municipalities,) or (municipalities, columns)


def z_value(confidence: float) -> float:
    """Return the two-sided z for `confidence` (1.96 for 0.95, as method.md states)."""
    for level, z in CONVENTIONAL_Z.items():
        if abs(level - confidence) < 1e-12:
            return z
    return NormalDist().inv_cdf(0.5 + confidence / 2)


@dataclass(frozen=True)
class Scored:
    """Every computed number of one edition, as arrays in edition and catalogue order."""

    values: Array  # raw values, NaN where missing (municipalities × indicators)
    n: Array  # respondents as given, NaN where absent
    n_assumed: Array  # bool: a survey value without n, given the indicator's smallest n (§7)
    from_previous: Array  # bool: last year's value standing in (§1b)
    scores: Array  # s(m,i), NaN where missing
    percentiles: Array  # indicator percentiles among municipalities with data, NaN if missing
    share_below: Array  # % of municipalities with data scoring strictly lower, NaN if missing
    status: Array  # "strength" / "improvement" / "neutral" (object array)
    gains: Array  # potential gain in index points, 0 where the percentile rule sees none
    interval_low: Array  # Wilson interval in score units, NaN where not a survey value
    interval_high: Array
    weights: Array  # c_i, effective weight of each indicator in the total
    median_scores: Array  # per indicator, NaN where nobody has data
    q1_scores: Array
    q3_scores: Array
    min_scores: Array
    max_scores: Array
    median_values: Array
    mean_values: Array
    # Per peer group (kommungrupp, län): the group names and, per indicator, the median
    # value and the mean value (for yes/no items, the share that has it), NaN without data.
    peer_groups: dict[str, tuple[str, ...]]
    peer_medians: dict[str, Array]  # kind of group → (groups × indicators)
    peer_means: dict[str, Array]
    with_data: Array
    delindex: Array  # D(m,k) (municipalities × delindex)
    delindex_rank: Array
    delindex_percentile: Array
    delindex_share_below: Array  # % of all municipalities strictly lower on the delindex
    total: Array
    total_rank: Array
    total_percentile: Array
    total_low: Array
    total_high: Array
    groups: list[str]
    cut_points: tuple[float, float, float, float]


def score_arrays(edition: Edition, z: float) -> Scored:
    """Return every number method.md defines for `edition`, as arrays."""
    values, given_n, from_previous = _wide_values(edition)
    n = _with_assumed_n(values, given_n)
    scores = pd.DataFrame({i.id: _score_column(values[i.id], i) for i in edition.indicators})
    weights = _effective_weights(edition)
    uncertain = _uncertain(edition, values, n)
    low, high = _wilson(edition, values, n, z)
    percentiles = mean_percentile(scores)
    status, by_percentile = _status(edition, scores, percentiles, uncertain, low, high)
    q3 = scores.quantile(0.75)
    shortfall = (q3 - scores.fillna(0.0)).clip(lower=0.0).fillna(0.0)
    # A gain only where the percentile rule (or missing data) makes the improvement area:
    # a yes/no item most others also lack is listed, not urged first (§5, §6).
    gains = (shortfall * weights).where(by_percentile, 0.0)
    delindex = _delindex(edition, scores)
    total = pd.Series(_weighted_mean(delindex, [d.weight for d in edition.delindex]))
    total_low, total_high = _total_interval(values, n, uncertain, weights, total, z)
    cut_points = _cut_points(total)
    peer_groups, peer_medians, peer_means = _peer_figures(edition, values)
    return Scored(
        values=values.to_numpy(float),
        n=given_n.to_numpy(float),
        n_assumed=(n.notna() & given_n.isna()).to_numpy(bool),
        from_previous=from_previous.to_numpy(bool),
        scores=scores.to_numpy(float),
        percentiles=percentiles.to_numpy(float),
        share_below=share_below(scores).to_numpy(float),
        status=status.to_numpy(object),
        gains=gains.to_numpy(float),
        interval_low=low.where(uncertain).to_numpy(float),
        interval_high=high.where(uncertain).to_numpy(float),
        weights=weights.to_numpy(float),
        median_scores=scores.median().to_numpy(float),
        q1_scores=scores.quantile(0.25).to_numpy(float),
        q3_scores=q3.to_numpy(float),
        min_scores=scores.min().to_numpy(float),
        max_scores=scores.max().to_numpy(float),
        median_values=values.median().to_numpy(float),
        mean_values=values.mean().to_numpy(float),
        peer_groups=peer_groups,
        peer_medians=peer_medians,
        peer_means=peer_means,
        with_data=scores.notna().sum().to_numpy(float),
        delindex=delindex.to_numpy(float),
        delindex_rank=delindex.apply(competition_rank).to_numpy(float),
        delindex_percentile=mean_percentile(delindex).to_numpy(float),
        delindex_share_below=share_below(delindex).to_numpy(float),
        total=total.to_numpy(float),
        total_rank=competition_rank(total).to_numpy(float),
        total_percentile=mean_percentile(total).to_numpy(float),
        total_low=total_low.to_numpy(float),
        total_high=total_high.to_numpy(float),
        groups=_groups(total_low, total_high, cut_points),
        cut_points=cut_points,
    )


# --------------------------------------------------------------------------- §1 scores


def _wide_values(edition: Edition) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Return values, respondents and the stand-in flags, municipalities × indicators."""
    codes = [m.kommunkod for m in edition.municipalities]
    ids = [i.id for i in edition.indicators]
    long = pd.DataFrame(
        [(v.kommunkod, v.indicator, v.value, v.n, float(v.from_previous)) for v in edition.values],
        columns=["kommunkod", "indicator", "value", "n", "from_previous"],
    )

    def widen(column: str) -> pd.DataFrame:
        wide = long.pivot(index="kommunkod", columns="indicator", values=column)
        return wide.reindex(index=codes, columns=ids).astype(float).reset_index(drop=True)

    return widen("value"), widen("n"), widen("from_previous").fillna(0.0).astype(bool)


PEER_KINDS = ("kommungrupp", "lan")


def _peer_figures(
    edition: Edition, values: pd.DataFrame
) -> tuple[dict[str, tuple[str, ...]], dict[str, Array], dict[str, Array]]:
    """Return each indicator's median and mean value per kommungrupp and per län."""
    groups: dict[str, tuple[str, ...]] = {}
    medians: dict[str, Array] = {}
    means: dict[str, Array] = {}
    for kind in PEER_KINDS:
        keys = [getattr(m, kind) or "" for m in edition.municipalities]
        grouped = values.groupby(pd.Series(keys, index=values.index), sort=True)
        median, mean = grouped.median(), grouped.mean()
        groups[kind] = tuple(str(name) for name in median.index)
        medians[kind], means[kind] = median.to_numpy(float), mean.to_numpy(float)
    return groups, medians, means


def _with_assumed_n(values: pd.DataFrame, n: pd.DataFrame) -> pd.DataFrame:
    """Return respondents, a withheld count taking its indicator's smallest n (§7).

    A survey indicator is a percent indicator with at least one value carrying n (only
    percent values carry n); its values without n are not certain, so they get the
    widest interval the data allow.
    """
    return n.fillna(n.min()).where(values.notna())


def _score_column(values: pd.Series, indicator: Indicator) -> pd.Series:
    if indicator.kind == "binary":
        score = 100.0 * values
    elif indicator.kind == "percent":
        score = values.astype(float)
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
            i.id: edition.delindex_spec(i.delindex).weight / total_weight
            * i.weight / in_delindex[i.delindex]
            for i in edition.indicators
        }
    )  # fmt: skip


# --------------------------------------------------------------------------- §2–4


def _weighted_mean(frame: pd.DataFrame, weights: list[float]) -> Array:
    array = np.asarray(weights, dtype=float)
    result: Array = frame.to_numpy(float) @ array / array.sum()
    return result


def _delindex(edition: Edition, scores: pd.DataFrame) -> pd.DataFrame:
    filled = scores.fillna(0.0)  # missing counts as 0, its weight stays in the denominator
    columns = {}
    for spec in edition.delindex:
        members = [i for i in edition.indicators if i.delindex == spec.id]
        columns[spec.id] = _weighted_mean(
            filled[[i.id for i in members]], [i.weight for i in members]
        )
    return pd.DataFrame(columns)


def competition_rank(values: pd.Series) -> pd.Series:
    """Return "1224" ranks, 1 the best, ties judged on 9 decimals (method.md §3)."""
    return values.round(DECIMALS).rank(method="min", ascending=False)


def share_below(values: F) -> F:
    """Return, per value, the % of the non-missing values strictly below it (§3 equality)."""
    rounded = values.round(DECIMALS)
    return 100.0 * (rounded.rank(method="min") - 1.0) / rounded.notna().sum()


def mean_percentile(values: F) -> F:
    """Return the mean percentile rank of each value among the non-missing ones (§4)."""
    rounded = values.round(DECIMALS)
    # An average rank r counts #{y < x} + (#{y = x} + 1)/2, so r − 0.5 is the §4 numerator.
    return 100.0 * (rounded.rank(method="average") - 0.5) / rounded.notna().sum()


# --------------------------------------------------------------------------- §5–6


def _uncertain(edition: Edition, values: pd.DataFrame, n: pd.DataFrame) -> pd.DataFrame:
    """Return where a score is a survey percentage with respondents (method.md §5, §7)."""
    percent = [i.id for i in edition.indicators if i.kind == "percent"]
    mask = n.notna() & values.notna()
    mask.loc[:, ~mask.columns.isin(percent)] = False
    return mask


def _wilson(
    edition: Edition, values: pd.DataFrame, n: pd.DataFrame, z: float
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return the Wilson score interval in score units, mirrored when lower is better (§5)."""
    p = values / 100.0
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    low, high = 100.0 * (centre - half), 100.0 * (centre + half)
    lower_better = [i.id for i in edition.indicators if not i.higher_is_better]
    mirrored_low, mirrored_high = 100.0 - high[lower_better], 100.0 - low[lower_better]
    low[lower_better], high[lower_better] = mirrored_low, mirrored_high
    return low, high


def _status(
    edition: Edition,
    scores: pd.DataFrame,
    percentiles: pd.DataFrame,
    uncertain: pd.DataFrame,
    low: pd.DataFrame,
    high: pd.DataFrame,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Classify every value as strength, improvement area or neutral (method.md §5).

    Also return where the percentile rule (or missing data) alone makes the improvement
    area: only there is there a gain. A yes/no item at score 0 is always an improvement.
    """
    median = scores.median().round(DECIMALS)
    rounded = percentiles.round(DECIMALS)
    has = scores.notna()
    clear_above = ~uncertain | low.round(DECIMALS).gt(median, axis=1)
    clear_below = ~uncertain | high.round(DECIMALS).lt(median, axis=1)
    strength = has & (rounded >= edition.selection.strength_percentile) & clear_above
    weak = (rounded <= edition.selection.improvement_percentile) & clear_below
    binary = [i.id for i in edition.indicators if i.kind == "binary"]
    lacking = has & scores.round(DECIMALS).eq(0.0)
    lacking.loc[:, ~lacking.columns.isin(binary)] = False
    by_percentile = ~has | weak
    status = pd.DataFrame("neutral", index=scores.index, columns=scores.columns)
    status = status.mask(strength, "strength").mask(by_percentile | lacking, "improvement")
    return status, by_percentile


# --------------------------------------------------------------------------- §7


def _total_interval(
    values: pd.DataFrame,
    n: pd.DataFrame,
    uncertain: pd.DataFrame,
    weights: pd.Series,
    total: pd.Series,
    z: float,
) -> tuple[pd.Series, pd.Series]:
    """Return T ± z·SE with SE = Σ c_i·se(m,i), survey answers taken as fully correlated."""
    p = values / 100.0
    se = (100.0 * (p * (1 - p) / n) ** 0.5).where(uncertain, 0.0).fillna(0.0)
    spread = pd.Series(z * (se.to_numpy(float) @ weights.to_numpy(float)))
    return total - spread, total + spread


def _cut_points(total: pd.Series) -> tuple[float, float, float, float]:
    q20, q40, q60, q80 = np.percentile(total.to_numpy(float), [20, 40, 60, 80])
    return float(q20), float(q40), float(q60), float(q80)


def _groups(low: pd.Series, high: pd.Series, cut_points: tuple[float, ...]) -> list[str]:
    """Place each municipality in a result group, checked in method.md §7's order."""
    q20, q40, q60, q80 = (round(q, DECIMALS) for q in cut_points)
    lows = low.round(DECIMALS).tolist()
    highs = high.round(DECIMALS).tolist()
    groups = []
    for lo, hi in zip(lows, highs, strict=True):
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
