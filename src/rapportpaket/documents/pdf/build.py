"""Build the PDF's template context from the results model (no rendering here)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rapportpaket.documents import narrative
from rapportpaket.documents.palette import GROUP_COLOURS
from rapportpaket.documents.pdf.context import (
    Advice,
    Chapter,
    DelindexLine,
    GroupLine,
    Priority,
    ReportContext,
    SourceLine,
    SummaryItem,
)
from rapportpaket.documents.pdf.figures import (
    EditionCharts,
    distribution_chart,
    summary_chart,
    total_chart,
)
from rapportpaket.documents.pdf.rows import area_rows
from rapportpaket.documents.phrases import noun, source_advice
from rapportpaket.scoring.results import (
    GROUPS,
    EditionResults,
    IndicatorResult,
    IndicatorStats,
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

PRIORITY_ROWS = 10


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
        previous_year=str(edition.previous.year) if edition.previous else "",
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
        summary_chart=summary_chart(results, result),
        bibehall=tuple(_keep(results, r) for r in result.bibehall),
        forbattra=tuple(_improve(results, r) for r in result.forbattra),
        bibehall_summary=_summary_items(results, result.bibehall),
        forbattra_summary=_summary_items(results, [r.result for r in result.forbattra]),
        total_chart=total_chart(shared, result),
        total_words=narrative.total_words(results, result),
        groups=_groups(results, result),
        sources=tuple(_sources(result)),
        coverage=narrative.coverage_sentence(result),
        data_notes=narrative.data_notes(results, result),
        about=narrative.about_sentence(results),
        indicator_count=len(result.indicators),
        chapters=tuple(_chapter(shared, result, spec.id) for spec in edition.delindex),
        table_note=narrative.table_note(results, result),
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


def _groups(results: EditionResults, result: MunicipalityResult) -> tuple[GroupLine, ...]:
    q20, q40, q60, q80 = (sv_number(q) for q in results.national.cut_points)
    rules = (
        f"hela intervallet minst {q80}",
        f"hela intervallet minst {q60}",
        "övriga",
        f"hela intervallet högst {q40}",
        f"hela intervallet högst {q20}",
    )
    counts = dict(results.national.group_counts)
    return tuple(
        GroupLine(group, counts[group], rule, colour, group == result.group)
        for group, rule, colour in zip(GROUPS, rules, GROUP_COLOURS, strict=True)
    )


def _chapter(shared: EditionCharts, result: MunicipalityResult, delindex_id: int) -> Chapter:
    results = shared.results
    items = result.indicators_in(delindex_id)
    spec = result.delindex_result(delindex_id).spec
    gone = set(narrative.missing_sources(result))
    return Chapter(
        anchor=f"delindex-{delindex_id}",
        name=spec.name,
        indicators=noun(len(items), "indikator", "indikatorer"),
        words=narrative.delindex_in_words(results, result, delindex_id),
        status_words=narrative.status_sentence(results, items),
        chart=distribution_chart(shared, result, delindex_id),
        missing_note=_missing_note([i for i in items if i.indicator.source in gone]),
        areas=area_rows(results, result, items),
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


def _previous_year(results: EditionResults) -> int | None:
    previous = results.edition.previous
    return None if previous is None else previous.year


def _national(stats: IndicatorStats) -> str:
    return narrative.national_text(stats)


def _priorities(results: EditionResults, result: MunicipalityResult) -> list[Priority]:
    """Return the improvement areas after Förbättra that have a gain, in Förbättra's order
    (method.md §6): the cards above the table already show the first ones."""
    weights = {s.indicator.id: s.effective_weight for s in results.indicator_stats}
    shown = {r.result.indicator.id for r in result.forbattra}
    ranked = [
        r
        for r in choose_forbattra(result, weights, len(result.improvements))
        if r.indicator.id not in shown
    ]
    return [
        Priority(
            name=narrative.display_name(r.indicator),
            delindex=results.edition.delindex_spec(r.indicator.delindex).name,
            value=narrative.value_text(r, _previous_year(results)),
            median=_national(results.stats_for(r.indicator.id)),
            gain=sv_number(r.gain),
        )
        for r in ranked
        if round(r.gain, 1) > 0
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
        name=narrative.statement(item.indicator),
        value=narrative.value_text(item, _previous_year(results)),
        median=narrative.national_phrase(stats),
        detail=f"väger {share} av totalindex; {narrative.strength_standing(results, item)}",
        examples=(),
    )


def _improve(results: EditionResults, recommendation: Recommendation) -> Advice:
    item = recommendation.result
    gain = f"kan höja totalindex med upp till {sv_number(recommendation.gain)} poäng"
    if item.missing:  # the advice is to take part or report, not to improve the item
        gain = f"uppgift saknas: {source_advice(item.indicator.source).lower()}; {gain}"
    return Advice(
        name=narrative.statement(item.indicator),
        value=narrative.value_text(item, _previous_year(results)),
        median=narrative.national_phrase(results.stats_for(item.indicator.id)),
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
