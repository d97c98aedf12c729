"""Build the PDF's template context from the results model (no rendering here)."""

from __future__ import annotations

import base64
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rapportpaket.documents import narrative
from rapportpaket.documents.pdf.charts import (
    DelindexSummary,
    Distribution,
    draw_delindex_summary,
    draw_distribution,
)
from rapportpaket.documents.pdf.context import (
    Advice,
    AreaGroup,
    Chapter,
    Chart,
    DelindexLine,
    IndicatorRow,
    Priority,
    ReportContext,
    SourceLine,
    SummaryItem,
)
from rapportpaket.documents.phrases import STATUS_WORDS, noun, source_advice
from rapportpaket.scoring.results import (
    EditionResults,
    IndicatorResult,
    MunicipalityResult,
    Recommendation,
)
from rapportpaket.scoring.selection import choose_forbattra
from rapportpaket.support.clock import build_time
from rapportpaket.support.swedish import (
    sv_date,
    sv_list,
    sv_number,
    sv_percent,
    sv_rank,
    sv_signed,
    sv_value,
)

PRIORITY_ROWS = 15
# A neutral result is left blank ("–") in the PDF's tables, where only what stands out is named.
STATUS_TEXT = {
    "strength": STATUS_WORDS["strength"],
    "improvement": STATUS_WORDS["improvement"],
    "neutral": "–",
}


@dataclass(frozen=True)
class EditionCharts:
    """What every report of one edition shares: the charts without the municipality."""

    results: EditionResults
    distributions: dict[int, Distribution]
    summary: DelindexSummary

    @classmethod
    def of(cls, results: EditionResults) -> EditionCharts:
        """Draw each delindex distribution and the summary's national medians once."""
        specs, national = results.edition.delindex, results.national
        summary = draw_delindex_summary(
            [spec.name for spec in specs],
            [national.delindex_spread(spec.id).median for spec in specs],
        )
        drawn = {}
        for spec in specs:
            values = {r.kommunkod: r.delindex_result(spec.id).value for r in results.municipalities}
            has = {
                r.kommunkod: any(not i.missing for i in r.indicators_in(spec.id))
                for r in results.municipalities
            }
            drawn[spec.id] = draw_distribution(values, has, national.delindex_spread(spec.id))
        return cls(results, drawn, summary)


def svg_uri(svg: str) -> str:
    """Return a data: URI for an SVG document."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def build_context(shared: EditionCharts, kommunkod: str) -> ReportContext:
    """Return the template context of one municipality's PDF."""
    results = shared.results
    result = results.result_for(kommunkod)
    edition = results.edition
    municipality = result.municipality
    priorities = _priorities(results, result)
    return ReportContext(
        title=f"Hemtjänstindex {edition.year} – analys för {municipality.kommun}",
        year=edition.year,
        kommun=municipality.kommun,
        kommunkod=kommunkod,
        lan=municipality.lan,
        kommungrupp=municipality.kommungrupp or "",
        edition_name=edition.name,
        edition_date=sv_date(edition.publish_at),
        generated=build_time().strftime("%Y-%m-%dT%H:%M:%SZ"),
        count=results.count,
        total=sv_number(result.total),
        rank=sv_rank(result.rank, results.count),
        group=result.group,
        interval=narrative.interval_text(result, edition.groups.confidence),
        caution=narrative.caution_sentence(result),
        change=narrative.change_sentence(results, result),
        narrative=narrative.summary_paragraph(results, result),
        delindex=tuple(_delindex_lines(results, result)),
        summary_chart=_summary_chart(shared, result),
        bibehall=tuple(_keep(results, r) for r in result.bibehall),
        forbattra=tuple(_improve(results, r) for r in result.forbattra),
        bibehall_summary=_summary_items(results, result.bibehall),
        forbattra_summary=_summary_items(results, [r.result for r in result.forbattra]),
        sources=tuple(_sources(result)),
        coverage=narrative.coverage_sentence(result),
        data_notes=narrative.data_notes(results, result),
        about=narrative.about_sentence(results),
        indicator_count=len(result.indicators),
        chapters=tuple(_chapter(shared, result, spec.id) for spec in edition.delindex),
        priorities=tuple(priorities[:PRIORITY_ROWS]),
        more_priorities=max(0, len(priorities) - PRIORITY_ROWS),
        cut_points=" / ".join(sv_number(q) for q in results.national.cut_points),
        confidence=sv_percent(edition.groups.confidence * 100),
        strength_percentile=sv_number(edition.selection.strength_percentile, 0),
        improvement_percentile=sv_number(edition.selection.improvement_percentile, 0),
        fallback_sources=sv_list(list(edition.fallback.sources)) if edition.previous else "",
    )


def _delindex_lines(results: EditionResults, result: MunicipalityResult) -> Iterable[DelindexLine]:
    for part in result.delindex:
        change = "–" if part.change is None else sv_signed(part.change)
        yield DelindexLine(
            part.spec.name, sv_number(part.value), sv_rank(part.rank, results.count), change
        )


def _summary_chart(shared: EditionCharts, result: MunicipalityResult) -> Chart:
    summary = shared.summary
    # In the order the summary was drawn in, the edition's.
    own = [result.delindex_result(spec.id).value for spec in shared.results.edition.delindex]
    kommun = result.municipality.kommun
    pairs = ", ".join(
        f"{n} {sv_number(v)} (median {sv_number(m)})"
        for n, v, m in zip(summary.names, own, summary.medians, strict=True)
    )
    return Chart(
        uri=svg_uri(summary.with_values(own, kommun)),
        alt=f"Stapeldiagram: {kommun}s värde i varje delindex bredvid rikets median. {pairs}.",
        caption=f"{kommun} (svart) och rikets median (ljusgrå) per delindex, 0–100 poäng.",
    )


def _row(results: EditionResults, item: IndicatorResult) -> IndicatorRow:
    indicator = item.indicator
    status = "missing" if item.missing else item.status
    return IndicatorRow(
        name=indicator.name,
        area=indicator.area,
        source=indicator.source,
        value=narrative.value_text(item, _previous_year(results)),
        median=narrative.national_text(results.stats_for(indicator.id)),
        percentile="–" if item.percentile is None else sv_number(item.percentile, 0),
        status=STATUS_TEXT[item.status],
        status_class=status,
    )


def _previous_year(results: EditionResults) -> int | None:
    previous = results.edition.previous
    return None if previous is None else previous.year


def _grouped(rows: Iterable[IndicatorRow]) -> tuple[AreaGroup, ...]:
    groups: dict[str, list[IndicatorRow]] = {}
    for row in rows:
        groups.setdefault(row.area, []).append(row)
    return tuple(AreaGroup(area, tuple(items)) for area, items in groups.items())


def _chapter(shared: EditionCharts, result: MunicipalityResult, delindex_id: int) -> Chapter:
    results = shared.results
    items = result.indicators_in(delindex_id)
    spec = result.delindex_result(delindex_id).spec
    gone = set(narrative.missing_sources(result))
    rows = [_row(results, i) for i in items]
    wholly_missing = [i for i in items if i.indicator.source in gone]
    return Chapter(
        anchor=f"delindex-{delindex_id}",
        name=spec.name,
        indicator_count=len(items),
        indicators=noun(len(items), "indikator", "indikatorer"),
        words=narrative.delindex_in_words(results, result, delindex_id),
        chart=_distribution_chart(shared, result, delindex_id),
        strengths=_grouped(r for i, r in zip(items, rows, strict=True) if i.status == "strength"),
        improvements=_grouped(
            r
            for i, r in zip(items, rows, strict=True)
            if i.status == "improvement" and i.indicator.source not in gone
        ),
        missing_note=_missing_note(wholly_missing),
        rows=tuple(rows),
    )


def _missing_note(items: list[IndicatorResult]) -> str:
    if not items:
        return ""
    sources = sorted({i.indicator.source for i in items})
    counted = noun(len(items), "indikator", "indikatorer")
    what = "förbättringsområden" if len(items) > 1 else "ett förbättringsområde"
    advice = sv_list([source_advice(s) for s in sources])
    return (
        f"Uppgifter saknas helt från {sv_list(sources)}: {counted} i detta delindex räknas "
        f"som 0 poäng och är därmed {what}. Åtgärd: {advice[:1].lower()}{advice[1:]}."
    )


def _distribution_chart(
    shared: EditionCharts, result: MunicipalityResult, delindex_id: int
) -> Chart:
    distribution = shared.distributions[delindex_id]
    part = result.delindex_result(delindex_id)
    kommun = result.municipality.kommun
    count = shared.results.count
    svg = distribution.highlighted(result.kommunkod, f"{kommun} {sv_number(part.value)}")
    low, high = distribution.quartiles
    levels = (
        f"median {sv_number(distribution.median)}, nedre kvartil {sv_number(low)}, "
        f"övre kvartil {sv_number(high)}"
    )
    return Chart(
        uri=svg_uri(svg),
        alt=(
            f"Stapeldiagram över {part.spec.name} i alla {count} kommuner, sorterade från högst "
            f"till lägst; {levels}. {kommun} har {sv_number(part.value)} poäng, "
            f"plats {part.rank} av {count}."
        ),
        caption=(
            f"Varje stapel är en kommun ({count}), sorterade efter värde. Grön: övre kvartilen, "
            f"gul: mittenhälften, röd: nedre kvartilen, grå: inga uppgifter alls. Streckad linje: "
            f"{levels} (prickade)."
        ),
    )


def _priorities(results: EditionResults, result: MunicipalityResult) -> list[Priority]:
    # The same order as Förbättra (method.md §6), for every improvement area.
    weights = {s.indicator.id: s.effective_weight for s in results.indicator_stats}
    ranked = choose_forbattra(result, weights, len(result.improvements))
    return [
        Priority(
            name=r.indicator.name,
            delindex=results.edition.delindex_spec(r.indicator.delindex).name,
            value=narrative.value_text(r, _previous_year(results)),
            median=narrative.national_text(results.stats_for(r.indicator.id)),
            gain=sv_number(r.gain, 2 if r.gain < 0.1 else 1),
        )
        for r in ranked
    ]


def _summary_items(
    results: EditionResults, items: Sequence[IndicatorResult]
) -> tuple[SummaryItem, ...]:
    lines = narrative.recommendation_lines(results, items)
    return tuple(SummaryItem(text, detail) for text, detail in lines)


def _keep(results: EditionResults, item: IndicatorResult) -> Advice:
    stats = results.stats_for(item.indicator.id)
    share = sv_percent(stats.effective_weight * 100, 1)
    return Advice(
        name=item.indicator.name,
        value=narrative.value_text(item, _previous_year(results)),
        median=narrative.national_text(stats),
        detail=f"väger {share} av totalindex; {narrative.strength_standing(results, item)}",
        examples=(),
    )


def _improve(results: EditionResults, recommendation: Recommendation) -> Advice:
    item = recommendation.result
    gain = f"kan höja totalindex med upp till {sv_number(recommendation.gain)} poäng"
    if item.missing:  # the advice is to take part or report, not to improve the item
        gain = f"uppgift saknas: {source_advice(item.indicator.source).lower()}; {gain}"
    return Advice(
        name=item.indicator.name,
        value=narrative.value_text(item, _previous_year(results)),
        median=narrative.national_text(results.stats_for(item.indicator.id)),
        detail=gain,
        examples=tuple(
            f"{e.municipality.kommun}{' (samma kommungrupp)' if e.same_group else ''}: "
            f"{sv_value(e.value, item.indicator.kind)}"
            for e in recommendation.examples
        ),
    )


def _sources(result: MunicipalityResult) -> Iterable[SourceLine]:
    for coverage in result.coverage:
        of = noun(coverage.indicators, "indikator", "indikatorer")
        if coverage.none:
            text, state = f"inga uppgifter (0 av {of})", "none"
        elif coverage.complete and coverage.indicators == 1:
            text, state = "uppgift för den enda indikatorn", "complete"
        elif coverage.complete:
            text, state = f"uppgifter för alla {of}", "complete"
        else:
            text, state = f"uppgifter för {coverage.with_data} av {of}", "partial"
        yield SourceLine(coverage.source, text, state)
