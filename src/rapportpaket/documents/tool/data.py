"""The tool's data: every municipality's results as compact JSON, read by its script.

Everything comes from the results model, so the tool shows the report's numbers: the
script formats and arranges them but computes no fact of its own except the simulator's
sum (method.md §11, the same sum as `EditionResults.projected_total`). Two parts:
- `edition_data`, the same for every package of an edition: built once per process;
- `package_data`, one municipality's own part: its good examples (§9), Förbättra and
  Bibehåll, and the sentences the PDF words about it (`documents.narrative`).

Numbers the script sums or ranks on (totals, scores, effective weights, upper quartiles)
travel as Python's shortest round-tripping repr, so the script's doubles are Python's;
numbers only shown (percentiles, intervals) are rounded here, half to even as
`support.swedish` rounds, so that no formatting rule has to be matched twice.
"""

from __future__ import annotations

import json
from typing import Any

from rapportpaket.documents import narrative, palette
from rapportpaket.documents.phrases import NATIONAL_MEDIAN, STATUS_WORDS, UPPER_QUARTILE
from rapportpaket.documents.units.build import build_units_summary
from rapportpaket.documents.units.context import Finding, UnitsSummary
from rapportpaket.scoring.results import (
    DECIMALS,
    GROUPS,
    EditionResults,
    IndicatorResult,
    IndicatorStats,
    MunicipalityResult,
    Spread,
)
from rapportpaket.scoring.selection import Leader, good_examples
from rapportpaket.support.swedish import sv_date, sv_percent

Json = dict[str, Any]

# One character per status, so that a whole column of 290 statuses is a short string.
STATUS_CODES = {"strength": "s", "improvement": "i", "neutral": "n", "missing": "m"}
# How the status filter is written in the URL fragment (`#status=forbattring`).
STATUS_IN_FRAGMENT = {
    "styrka": "strength",
    "forbattring": "improvement",
    "neutral": "neutral",
    "saknas": "missing",
}


def edition_data(results: EditionResults) -> Json:
    """Return what every package of the edition shares: all municipalities' results."""
    edition = results.edition
    previous = edition.previous
    return {
        "edition": {
            "name": edition.name,
            "year": edition.year,
            "previousYear": None if previous is None else previous.year,
            "published": sv_date(edition.publish_at),
            "count": results.count,
            "confidence": sv_percent(edition.groups.confidence * 100),
            "decimals": DECIMALS,
        },
        "words": {"status": STATUS_WORDS, "median": NATIONAL_MEDIAN, "q3": UPPER_QUARTILE},
        "statusCodes": STATUS_CODES,
        "statusInFragment": STATUS_IN_FRAGMENT,
        "palette": dict(palette.CSS),
        "groups": list(GROUPS),
        "total": _spread(results.national.total),
        "delindex": [
            {
                "id": spec.id,
                "name": spec.name,
                "spread": _spread(results.national.delindex_spread(spec.id)),
            }
            for spec in edition.delindex
        ],
        "indicators": [_indicator(stats) for stats in results.indicator_stats],
        "municipalities": [_municipality(r) for r in results.municipalities],
        "cells": [_column(results, j) for j in range(len(results.indicator_stats))],
    }


def package_data(
    results: EditionResults,
    kommunkod: str,
    leaders: dict[str, list[Leader]],
    *,
    units: bool = False,
) -> Json:
    """Return one municipality's own part of its tool; with `units` its unit analysis."""
    result = results.result_for(kommunkod)
    confidence = results.edition.groups.confidence
    return {
        "code": kommunkod,
        "units": units_data(build_units_summary(results, kommunkod)) if units else None,
        "forbattra": [r.result.indicator.id for r in result.forbattra],
        "bibehall": [r.indicator.id for r in result.bibehall],
        # Improvement areas the report gives no gain (a yes/no item most others also lack,
        # method.md §5) that reaching the upper quartile would still lift (§11).
        "unurged": [
            i.indicator.id for i in result.improvements if i.gain == 0 and results.lift(i) > 0
        ],
        "examples": {
            item.indicator.id: [
                [e.municipality.kommunkod, e.same_group]
                for e in good_examples(result, item, leaders)
            ]
            for item in result.indicators
        },
        "texts": {
            "summary": narrative.summary_paragraph(results, result),
            "interval": narrative.interval_text(result, confidence),
            "caution": narrative.caution_sentence(result),
            "coverage": narrative.coverage_sentence(result),
            "notes": list(narrative.data_notes(results, result)),
            "delindex": [
                narrative.delindex_in_words(results, result, d.spec.id) for d in result.delindex
            ],
        },
    }


def units_data(summary: UnitsSummary) -> Json:
    """Return the unit analysis for the tool's unit view: the PDF's facts and words.

    The means are numbers (the script draws the chart); everything else arrives worded.
    """

    def findings(items: tuple[Finding, ...]) -> list[list[str]]:
        return [[f.name, f.detail] for f in items]

    return {
        "count": summary.unit_count,
        "words": summary.unit_words,
        "lead": summary.overview_lead,
        "note": summary.overview_note,
        "caption": summary.overview_caption,
        "unmeasured": summary.unmeasured,
        "delindexNames": list(summary.delindex_names),
        "overview": [
            {
                "name": row.name,
                "provider": row.provider,
                "delindex": list(row.delindex),
                "strengths": row.strengths,
                "improvements": row.improvements,
            }
            for row in summary.overview
        ],
        "means": [
            {
                "name": facts.name,
                "lead": facts.lead,
                "missing": facts.missing,
                "bars": [[bar.name, bar.value, bar.kommun] for bar in facts.bars],
                "national": facts.national,
                "alt": facts.alt,
                "caption": facts.caption,
            }
            for facts in summary.means
        ],
        "providersLead": summary.providers_lead,
        "providers": [
            {"name": p.name, "kommunal": p.kommunal, "privat": p.privat, "national": p.national}
            for p in summary.providers
        ],
        "eachLead": summary.each_lead,
        "noStrengths": summary.no_strengths,
        "noImprovements": summary.no_improvements,
        "units": [
            {
                "name": unit.name,
                "about": unit.about,
                "strengths": findings(unit.strengths),
                "improvements": findings(unit.improvements),
                "below": findings(unit.below),
            }
            for unit in summary.units
        ],
    }


def script_json(data: Json) -> str:
    """Return `data` as JSON that can stand inside a <script> element as it is.

    `<` is escaped so that no string in the data (a name, an indicator) can close the
    element or open a comment; JSON.parse reads `\\u003c` back as `<`.
    """
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return text.replace("<", "\\u003c")


def _spread(spread: Spread) -> Json:
    return {
        "median": spread.median,
        "q1": spread.lower_quartile,
        "q3": spread.upper_quartile,
        "min": spread.minimum,
        "max": spread.maximum,
    }


def _indicator(stats: IndicatorStats) -> Json:
    indicator = stats.indicator
    return {
        "id": indicator.id,
        "name": indicator.name,
        "area": indicator.area,
        "source": indicator.source,
        "kind": indicator.kind,
        "delindex": indicator.delindex,
        "c": stats.effective_weight,
        "q3": stats.q3_score,
        "q3Value": _compact(stats.q3_value),
        "median": _compact(stats.median_value),
        "share": stats.share_having,  # of a yes/no indicator: the share that has it
        "national": narrative.national_text(stats),
        "withData": stats.with_data,
    }


def _municipality(result: MunicipalityResult) -> Json:
    municipality = result.municipality
    return {
        "code": municipality.kommunkod,
        "name": municipality.kommun,
        "lan": municipality.lan,
        "kommungrupp": municipality.kommungrupp,
        "total": result.total,
        "rank": result.rank,
        "group": result.group,
        "change": result.total_change,
        "rankChange": result.rank_change,
        "d": [d.value for d in result.delindex],
        "dRank": [d.rank for d in result.delindex],
        "dChange": [d.change for d in result.delindex],
    }


def _column(results: EditionResults, j: int) -> Json:
    """Return indicator `j` of every municipality, one array (or string) per field."""
    items = [r.indicators[j] for r in results.municipalities]
    column: Json = {
        "v": [_compact(i.value) for i in items],
        "s": [_compact(i.score) for i in items],
        "p": [None if i.percentile is None else round(i.percentile) for i in items],
        "st": "".join(STATUS_CODES["missing" if i.missing else i.status] for i in items),
    }
    optional: Json = {
        "n": [i.n for i in items],
        "lo": [_interval_bound(i, low=True) for i in items],
        "hi": [_interval_bound(i, low=False) for i in items],
        "prev": [_compact(i.previous_value) for i in items],
    }
    column.update({key: v for key, v in optional.items() if any(x is not None for x in v)})
    flags = {"fp": [i.from_previous for i in items], "na": [i.n_assumed for i in items]}
    column.update({key: _flags(v) for key, v in flags.items() if any(v)})
    return column


def _interval_bound(item: IndicatorResult, *, low: bool) -> int | None:
    """Return a bound of the survey interval in the value's own unit (percent), rounded.

    The interval is kept in score units, mirrored where lower is better (method.md §5);
    readers compare it with the value, so it is turned back into the value's unit.
    """
    if item.interval is None:
        return None
    score_low, score_high = item.interval
    if item.indicator.higher_is_better:
        return round(score_low if low else score_high)
    return round(100.0 - (score_high if low else score_low))


def _compact(number: float | None) -> float | int | None:
    """Return a whole number as an int (`1`, not `1.0`): shorter JSON, the same value."""
    if number is None or not number.is_integer():
        return number
    return int(number)


def _flags(values: list[bool]) -> str:
    return "".join("1" if v else "0" for v in values)
