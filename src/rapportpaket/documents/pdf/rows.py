"""The rows of a chapter's table: every indicator with its context and its spine."""

from __future__ import annotations

from collections.abc import Iterable

from rapportpaket.documents import narrative
from rapportpaket.documents.pdf.charts import SpinePoint, spine_svg
from rapportpaket.documents.pdf.context import AreaRows, IndicatorRow
from rapportpaket.documents.pdf.figures import svg_uri
from rapportpaket.documents.phrases import STATUS_WORDS, indicator_tag
from rapportpaket.scoring.results import (
    EditionResults,
    IndicatorResult,
    IndicatorStats,
    MunicipalityResult,
)
from rapportpaket.support.swedish import NBSP, sv_number, sv_percent, sv_value


def area_rows(
    results: EditionResults, result: MunicipalityResult, items: Iterable[IndicatorResult]
) -> tuple[AreaRows, ...]:
    """Return the rows of `items`, grouped by area in the order the areas first appear."""
    areas: dict[str, list[IndicatorRow]] = {}
    for item in items:
        areas.setdefault(item.indicator.area, []).append(indicator_row(results, result, item))
    return tuple(AreaRows(area, tuple(rows)) for area, rows in areas.items())


def indicator_row(
    results: EditionResults, result: MunicipalityResult, item: IndicatorResult
) -> IndicatorRow:
    """Return one indicator's row."""
    indicator = item.indicator
    stats = results.stats_for(indicator.id)
    status = "missing" if item.missing else item.status
    previous = results.edition.previous
    year = None if previous is None else previous.year
    municipality = result.municipality
    return IndicatorRow(
        name=narrative.display_name(indicator),
        tag=indicator_tag(
            indicator.kind, indicator.source, results.edition.year, indicator.higher_is_better
        ),
        value=narrative.value_text(item, year),
        detail=_survey_detail(item),
        previous=_previous(item, year),
        national=_comparison(stats, municipality.kommungrupp, municipality.lan),
        # A yes/no item has no spread to place a value in: its status says it all.
        spine=""
        if indicator.kind == "binary"
        else svg_uri(spine_svg(_spine_point(stats, item, status))),
        spine_alt=_spine_alt(stats, item, status),
        status="" if status == "neutral" else STATUS_WORDS[status],
        status_class=status,
    )


def _comparison(stats: IndicatorStats, kommungrupp: str | None, lan: str) -> str:
    """Return `65 / 70 / 74 %`: riket, kommungrupp, län; for yes/no `26 / 30 / 22 % har`."""
    peers = [stats.peers("kommungrupp", kommungrupp), stats.peers("lan", lan)]
    if stats.indicator.kind == "binary":
        shares = [stats.share_having, *(p.share_having if p else None for p in peers)]
        texts = ["–" if s is None else sv_number(s * 100, 0) for s in shares]
        return f"{' / '.join(texts)}{NBSP}% har"
    medians = [stats.median_value, *(p.median_value if p else None for p in peers)]
    if stats.indicator.kind == "percent":
        texts = ["–" if m is None else sv_number(m, 0) for m in medians]
        return f"{' / '.join(texts)}{NBSP}%"
    return " / ".join("–" if m is None else sv_number(m) for m in medians)


def _survey_detail(item: IndicatorResult) -> str:
    """Return n and the interval of a survey value, or that n is not published."""
    if item.interval is None or item.value is None:
        return ""
    low, high = item.interval
    if not item.indicator.higher_is_better:  # back from score units to the value's own
        low, high = 100 - high, 100 - low
    span = f"{sv_number(low, 0)}–{sv_percent(high, 0)}"
    if item.n_assumed:
        return f"n redovisas inte, {span}"
    return f"n {item.n}, {span}"


def _previous(item: IndicatorResult, year: int | None) -> str:
    if year is None or item.previous_value is None:
        return "–"
    return sv_value(item.previous_value, item.indicator.kind)


def _spine(stats: IndicatorStats, item: IndicatorResult, status: str) -> str:
    """Return the spine's data URI; none for a yes/no item, which has no spread to show."""
    if item.indicator.kind == "binary":
        return ""
    return svg_uri(spine_svg(_spine_point(stats, item, status)))


def _spine_point(stats: IndicatorStats, item: IndicatorResult, status: str) -> SpinePoint:
    return SpinePoint(
        low=stats.min_score or 0.0,
        high=stats.max_score or 0.0,
        lower_quartile=stats.q1_score or 0.0,
        upper_quartile=stats.q3_score or 0.0,
        median=stats.median_score or 0.0,
        value=None if item.missing else item.score,
        status=status,
        interval=item.interval,
    )


def _spine_alt(stats: IndicatorStats, item: IndicatorResult, status: str) -> str:
    """Say what the spine shows, in score units like the spine (100 is best)."""
    if stats.median_score is None:
        return "Ingen kommun har uppgift."
    where = (
        f"rikets median {sv_number(stats.median_score, 0)}, mittersta hälften "
        f"{sv_number(stats.q1_score or 0, 0)}–{sv_number(stats.q3_score or 0, 0)} poäng"
    )
    if item.missing:
        return f"Uppgift saknas; {where}."
    word = "Varken styrka eller förbättringsområde" if status == "neutral" else STATUS_WORDS[status]
    return f"{word}: {sv_number(item.score, 0)} poäng; {where}."
