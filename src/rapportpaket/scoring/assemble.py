"""Turn the engine's arrays into the frozen results model (one object per municipality)."""

from __future__ import annotations

import math
from typing import cast

from rapportpaket.edition.model import Edition, Indicator
from rapportpaket.scoring.engine import Scored
from rapportpaket.scoring.national import national_figures
from rapportpaket.scoring.results import (
    DelindexResult,
    EditionResults,
    IndicatorResult,
    IndicatorStats,
    MunicipalityResult,
    PeerFigure,
    Status,
)


def build_results(
    edition: Edition, scored: Scored, z: float, previous: EditionResults | None
) -> EditionResults:
    """Return the results model; Förbättra and Bibehåll are left for selection to fill."""
    rows = _indicator_rows(edition, scored, previous)
    municipalities = tuple(
        _municipality(edition, scored, m, rows[m], previous)
        for m in range(len(edition.municipalities))
    )
    national = national_figures(edition, scored)
    return EditionResults(edition, municipalities, _stats(edition, scored), national, z)


def _maybe(number: float) -> float | None:
    return None if math.isnan(number) else number


def _stats(edition: Edition, scored: Scored) -> tuple[IndicatorStats, ...]:
    return tuple(
        IndicatorStats(
            indicator=indicator,
            effective_weight=float(scored.weights[j]),
            with_data=int(scored.with_data[j]),
            median_score=_maybe(float(scored.median_scores[j])),
            q3_score=_maybe(float(scored.q3_scores[j])),
            median_value=_maybe(float(scored.median_values[j])),
            mean_value=_maybe(float(scored.mean_values[j])),
            q1_score=_maybe(float(scored.q1_scores[j])),
            min_score=_maybe(float(scored.min_scores[j])),
            max_score=_maybe(float(scored.max_scores[j])),
            by_kommungrupp=_peers(scored, "kommungrupp", indicator, j),
            by_lan=_peers(scored, "lan", indicator, j),
            q3_value=_value_at(indicator, _maybe(float(scored.q3_scores[j]))),
        )
        for j, indicator in enumerate(edition.indicators)
    )


def _peers(scored: Scored, kind: str, indicator: Indicator, j: int) -> tuple[PeerFigure, ...]:
    binary = indicator.kind == "binary"
    return tuple(
        PeerFigure(
            group,
            _maybe(float(scored.peer_medians[kind][g, j])),
            _maybe(float(scored.peer_means[kind][g, j])) if binary else None,
        )
        for g, group in enumerate(scored.peer_groups[kind])
        if group
    )


def _value_at(indicator: Indicator, score: float | None) -> float | None:
    """Return the raw value that scores `score` (method.md §1 read backwards)."""
    if score is None:
        return None
    goodness = score if indicator.higher_is_better else 100.0 - score
    if indicator.kind == "binary":
        return goodness / 100.0
    if indicator.kind == "percent":
        return goodness
    assert indicator.min is not None and indicator.max is not None  # checked on loading
    return indicator.min + goodness / 100.0 * (indicator.max - indicator.min)


def _previous_values(
    edition: Edition, previous: EditionResults | None
) -> list[dict[str, float | None]]:
    """Return, per municipality, last edition's measured value of each indicator id."""
    found: list[dict[str, float | None]] = []
    for municipality in edition.municipalities:
        before = _previous_result(previous, municipality.kommunkod)
        found.append(
            {}
            if before is None
            else {i.indicator.id: None if i.from_previous else i.value for i in before.indicators}
        )
    return found


def _indicator_rows(
    edition: Edition, scored: Scored, previous: EditionResults | None
) -> list[tuple[IndicatorResult, ...]]:
    # Plain lists are several times faster than indexing numpy arrays element by element.
    values, n, scores = scored.values.tolist(), scored.n.tolist(), scored.scores.tolist()
    pcts, gains, status = scored.percentiles.tolist(), scored.gains.tolist(), scored.status.tolist()
    lows, highs = scored.interval_low.tolist(), scored.interval_high.tolist()
    below, stand_in = scored.share_below.tolist(), scored.from_previous.tolist()
    assumed = scored.n_assumed.tolist()
    last_year = _previous_values(edition, previous)
    rows = []
    for m in range(len(edition.municipalities)):
        row = []
        for j, indicator in enumerate(edition.indicators):
            value = _maybe(values[m][j])
            low = _maybe(lows[m][j])
            row.append(
                IndicatorResult(
                    indicator=indicator,
                    value=value,
                    n=None if math.isnan(n[m][j]) else int(n[m][j]),
                    score=0.0 if value is None else scores[m][j],
                    percentile=_maybe(pcts[m][j]),
                    status=cast(Status, status[m][j]),
                    gain=gains[m][j],
                    interval=None if low is None else (low, highs[m][j]),
                    share_below=_maybe(below[m][j]),
                    from_previous=stand_in[m][j],
                    n_assumed=assumed[m][j],
                    previous_value=last_year[m].get(indicator.id),
                )
            )
        rows.append(tuple(row))
    return rows


def _municipality(
    edition: Edition,
    scored: Scored,
    m: int,
    indicators: tuple[IndicatorResult, ...],
    previous: EditionResults | None,
) -> MunicipalityResult:
    municipality = edition.municipalities[m]
    before = _previous_result(previous, municipality.kommunkod)
    total, rank = float(scored.total[m]), int(scored.total_rank[m])
    return MunicipalityResult(
        municipality=municipality,
        total=total,
        rank=rank,
        percentile=float(scored.total_percentile[m]),
        total_low=float(scored.total_low[m]),
        total_high=float(scored.total_high[m]),
        group=scored.groups[m],
        delindex=_delindex_results(edition, scored, m, before),
        indicators=indicators,
        forbattra=(),
        bibehall=(),
        total_change=None if before is None else total - before.total,
        rank_change=None if before is None else before.rank - rank,
    )


def _delindex_results(
    edition: Edition, scored: Scored, m: int, before: MunicipalityResult | None
) -> tuple[DelindexResult, ...]:
    parts = []
    for k, spec in enumerate(edition.delindex):
        value = float(scored.delindex[m, k])
        old = [d.value for d in before.delindex if d.spec.id == spec.id] if before else []
        parts.append(
            DelindexResult(
                spec=spec,
                value=value,
                rank=int(scored.delindex_rank[m, k]),
                percentile=float(scored.delindex_percentile[m, k]),
                change=value - old[0] if old else None,
                share_below=float(scored.delindex_share_below[m, k]),
            )
        )
    return tuple(parts)


def _previous_result(previous: EditionResults | None, kommunkod: str) -> MunicipalityResult | None:
    if previous is None:
        return None
    try:
        return previous.result_for(kommunkod)
    except KeyError:
        return None
