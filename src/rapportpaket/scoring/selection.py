"""Choose what each municipality should improve and maintain, and whom to learn from.

method.md §6 (Förbättra, Bibehåll) and §9 (good examples). Statuses, percentiles and
gains come from scoring; this stage only orders and picks.
"""

from __future__ import annotations

import dataclasses

from rapportpaket.scoring.results import (
    EditionResults,
    GoodExample,
    IndicatorResult,
    MunicipalityResult,
    Recommendation,
)

DECIMALS = 9
EXAMPLES = 3


def with_recommendations(results: EditionResults) -> EditionResults:
    """Return `results` with Förbättra and Bibehåll filled in for every municipality."""
    leaders = leaders_by_indicator(results)
    weights = {s.indicator.id: s.effective_weight for s in results.indicator_stats}
    count = results.edition.selection.recommendations
    chosen = tuple(
        dataclasses.replace(
            result,
            forbattra=tuple(
                Recommendation(item, item.gain, good_examples(result, item, leaders))
                for item in choose_forbattra(result, weights, count)
            ),
            bibehall=choose_bibehall(result, weights, count),
        )
        for result in results.municipalities
    )
    return dataclasses.replace(results, municipalities=chosen)


def choose_forbattra(
    result: MunicipalityResult, weights: dict[str, float], count: int
) -> tuple[IndicatorResult, ...]:
    """Return the improvement areas with the largest gain; ties by larger c_i, then id."""
    areas = sorted(
        result.improvements,
        key=lambda r: (
            -round(r.gain, DECIMALS),
            -round(weights[r.indicator.id], DECIMALS),
            r.indicator.id,
        ),
    )
    return tuple(areas[:count])


def choose_bibehall(
    result: MunicipalityResult, weights: dict[str, float], count: int
) -> tuple[IndicatorResult, ...]:
    """Return the strengths with the largest c_i; ties by higher percentile, then id."""
    strengths = sorted(
        result.strengths,
        key=lambda r: (
            -round(weights[r.indicator.id], DECIMALS),
            -round(r.percentile or 0.0, DECIMALS),
            r.indicator.id,
        ),
    )
    return tuple(strengths[:count])


Leader = tuple[float, MunicipalityResult, IndicatorResult]  # (rounded score, who, their result)


def leaders_by_indicator(results: EditionResults) -> dict[str, list[Leader]]:
    """Order, per indicator, the municipalities with data: score, then total, then kommunkod."""
    leaders: dict[str, list[Leader]] = {}
    for result in results.municipalities:
        for item in result.indicators:
            if not item.missing:
                entry = (round(item.score, DECIMALS), result, item)
                leaders.setdefault(item.indicator.id, []).append(entry)
    for entries in leaders.values():
        entries.sort(key=lambda e: (-e[0], -round(e[1].total, DECIMALS), e[1].kommunkod))
    return leaders


def good_examples(
    result: MunicipalityResult, item: IndicatorResult, leaders: dict[str, list[Leader]]
) -> tuple[GoodExample, ...]:
    """Return up to 3 municipalities that do better on `item`, same kommungrupp first.

    Only municipalities with data that score higher than this one qualify: an example
    to learn from must be ahead on the indicator itself.
    """
    own = float("-inf") if item.missing else round(item.score, DECIMALS)
    group = result.municipality.kommungrupp
    peers: list[Leader] = []
    others: list[Leader] = []
    for entry in leaders.get(item.indicator.id, []):
        score, other, _ = entry
        if score <= own or len(peers) == EXAMPLES:
            break  # sorted by score: nobody further down is ahead
        if other.kommunkod == result.kommunkod:
            continue
        same = group is not None and other.municipality.kommungrupp == group
        (peers if same else others).append(entry)
    return tuple(
        GoodExample(
            municipality=other.municipality,
            value=theirs.value if theirs.value is not None else 0.0,
            score=theirs.score,
            same_group=group is not None and other.municipality.kommungrupp == group,
        )
        for _, other, theirs in (peers + others)[:EXAMPLES]
    )
