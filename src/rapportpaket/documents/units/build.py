"""Build the unit analysis's template context from the results model (no rendering here)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import fields

from rapportpaket.documents.pdf.context import Chart
from rapportpaket.documents.pdf.figures import svg_uri
from rapportpaket.documents.phrases import genitive, provider_text
from rapportpaket.documents.units import narrative
from rapportpaket.documents.units.charts import (
    PANELS,
    MeanBar,
    Panel,
    Point,
    draw_means,
    draw_panels,
)
from rapportpaket.documents.units.context import (
    DelindexSection,
    Finding,
    Forest,
    Grid,
    GridCell,
    GridRow,
    KeyItem,
    MeansFacts,
    OverviewRow,
    ProviderLine,
    UnitsContext,
    UnitSection,
    UnitsSummary,
)
from rapportpaket.edition.model import Indicator
from rapportpaket.scoring.results import (
    EditionResults,
    IndicatorResult,
    MunicipalityResult,
    UnitIndicatorResult,
    UnitResult,
    UnitResults,
)
from rapportpaket.support.clock import build_time
from rapportpaket.support.swedish import sv_date, sv_list, sv_number, sv_percent, sv_value

GRID_COLUMNS = 8  # indicators per table of values: more would not fit the page's width
LOWER_IS_BETTER = "Lägre är bättre."


def build_units_context(results: EditionResults, kommunkod: str) -> UnitsContext:
    """Return the template context of one municipality's unit analysis."""
    edition = results.edition
    result = results.result_for(kommunkod)
    municipality = result.municipality
    summary = build_units_summary(results, kommunkod)
    return UnitsContext(
        **{field.name: getattr(summary, field.name) for field in fields(UnitsSummary)},
        title=f"Hemtjänstindex {edition.year} – enhetsanalys för {municipality.kommun}",
        year=edition.year,
        kommun=municipality.kommun,
        kommunkod=kommunkod,
        lan=municipality.lan,
        kommungrupp=municipality.kommungrupp or "",
        edition_name=edition.name,
        edition_date=sv_date(edition.publish_at),
        generated=build_time().strftime("%Y-%m-%dT%H:%M:%SZ"),
        sections=tuple(_section(results, result, facts) for facts in summary.means),
        national_units=narrative.national_count(results),
        confidence=sv_percent(edition.groups.confidence * 100),
        strength_percentile=sv_number(edition.selection.strength_percentile, 0),
        improvement_percentile=sv_number(edition.selection.improvement_percentile, 0),
    )


def build_units_summary(results: EditionResults, kommunkod: str) -> UnitsSummary:
    """Return the unit analysis of one municipality without its survey charts and tables:
    what the digital tool shows, worded as the PDF words it."""
    edition = results.edition
    result = results.result_for(kommunkod)
    kommun = result.municipality.kommun
    units = _overview_order(narrative.unit_results(results).of(kommunkod))
    measured = [d for d in edition.delindex if any(u.indicators_in(d.id) for u in units)]
    unmeasured = [d.name for d in edition.delindex if d not in measured]
    return UnitsSummary(
        unit_count=len(units),
        unit_words=narrative.count_words(units) if units else "inga hemtjänstenheter",
        overview_lead=_overview_lead(results, kommun, units),
        overview_note=_overview_note(),
        overview_caption=(
            f"{genitive(kommun)} enheter: medelvärde per delindex (antal indikatorer), "
            "styrkor och förbättringsområden"
        ),
        delindex_names=tuple(d.name for d in edition.delindex),
        overview=tuple(_overview_row(u) for u in units),
        means=tuple(_means_facts(results, kommunkod, d.id) for d in measured),
        unmeasured=_unmeasured(unmeasured) if units else "",
        providers_lead=narrative.provider_sentence(results, kommun, units),
        providers=_providers(results, kommunkod, units),
        each_lead=narrative.EACH_LEAD,
        no_strengths=narrative.NO_STRENGTHS,
        no_improvements=narrative.NO_IMPROVEMENTS,
        units=tuple(_unit_section(results, result, u, i) for i, u in enumerate(units, 1)),
    )


def _overview_lead(results: EditionResults, kommun: str, units: Sequence[UnitResult]) -> str:
    sentences = [
        narrative.overview_sentence(results, kommun, units),
        narrative.carriers_sentence(units),
    ]
    return " ".join(s for s in sentences if s)


def _overview_order(units: Sequence[UnitResult]) -> list[UnitResult]:
    """Municipal units first, then private ones, each by name: how a reader looks them up."""
    return sorted(units, key=lambda u: (u.unit.provider != "kommunal", u.unit.name, u.unit.enhet))


def _overview_note() -> str:
    return (
        "Värdet per delindex är enhetens vägda medelvärde (0–100 poäng, 100 är bäst) av de "
        "indikatorer i delindexet som mäts för enheten; antalet indikatorer står inom parentes. "
        "Styrkor och förbättringsområden bedöms mot alla enheter i riket."
    )


def _unmeasured(names: list[str]) -> str:
    if not names:
        return ""
    return f"Inga indikatorer i {sv_list(names)} mäts per enhet."


def _overview_row(unit: UnitResult) -> OverviewRow:
    return OverviewRow(
        name=unit.unit.name,
        provider=provider_text(unit.unit.provider, unit.unit.provider_name),
        delindex=tuple(
            "–" if d.value is None else f"{sv_number(d.value)} ({d.indicators})"
            for d in unit.delindex
        ),
        strengths=len(unit.strengths),
        improvements=len(unit.improvements),
    )


# --------------------------------------------------------------------------- delindex


def _section(
    results: EditionResults, result: MunicipalityResult, facts: MeansFacts
) -> DelindexSection:
    units = narrative.unit_results(results)
    delindex_id = facts.delindex_id
    ranked = units.ranked(result.kommunkod, delindex_id)
    with_data = [u for u in ranked if u.delindex_result(delindex_id).value is not None]
    indicators = _measured_indicators(results, with_data, delindex_id)
    uncertain = [i for i in indicators if _has_interval(with_data, i.id)]
    plain = [i for i in indicators if i not in uncertain]
    keys = {i.id: _key(units, result, i, k) for k, i in enumerate(uncertain + plain, 1)}
    return DelindexSection(
        anchor=f"delindex-{delindex_id}",
        name=facts.name,
        lead=facts.lead,
        chart=Chart(
            uri=svg_uri(draw_means(facts.bars, facts.national)),
            alt=facts.alt,
            caption=facts.caption,
        ),
        missing=facts.missing,
        forests=tuple(
            _forest(units, result, with_data, uncertain[start : start + PANELS], keys)
            for start in range(0, len(uncertain), PANELS)
        ),
        grids=tuple(
            _grid(units, with_data, plain[start : start + GRID_COLUMNS], keys)
            for start in range(0, len(plain), GRID_COLUMNS)
        ),
    )


def _measured_indicators(
    results: EditionResults, units: Sequence[UnitResult], delindex_id: int
) -> list[Indicator]:
    """Return the indicators of a delindex that some of these units has, catalogue order."""
    seen = {item.indicator.id for u in units for item in u.indicators_in(delindex_id)}
    return [i for i in results.edition.indicators if i.id in seen]


def _has_interval(units: Sequence[UnitResult], indicator_id: str) -> bool:
    """Return True when a survey item carries an interval for some of these units."""
    return any(
        item is not None and item.interval is not None
        for item in (_item(u, indicator_id) for u in units)
    )


def _item(unit: UnitResult, indicator_id: str) -> UnitIndicatorResult | None:
    return next((r for r in unit.indicators if r.indicator.id == indicator_id), None)


def _own(result: MunicipalityResult, indicator_id: str) -> IndicatorResult:
    return next(r for r in result.indicators if r.indicator.id == indicator_id)


def _means_facts(results: EditionResults, kommunkod: str, delindex_id: int) -> MeansFacts:
    """Return one delindex's unit means with the words the chart is described in."""
    units = narrative.unit_results(results)
    kommun = results.result_for(kommunkod).municipality.kommun
    ranked = units.ranked(kommunkod, delindex_id)
    name = results.edition.delindex_spec(delindex_id).name
    median = units.delindex_median(delindex_id)
    bars = tuple(
        MeanBar(u.unit.name, d.value, d.kommun_value)
        for u in ranked
        if (d := u.delindex_result(delindex_id)).value is not None
    )
    listed = "; ".join(
        f"{b.name} {sv_number(b.value)}"
        + ("" if b.kommun is None else f" (kommunen {sv_number(b.kommun)})")
        for b in bars
    )
    national = "" if median is None else f" Rikets median för enheter: {sv_number(median)}."
    return MeansFacts(
        delindex_id=delindex_id,
        name=name,
        lead=narrative.delindex_lead(results, kommun, ranked, delindex_id),
        missing=narrative.missing_sentence(
            [u for u in ranked if u.delindex_result(delindex_id).value is None], name
        ),
        bars=bars,
        national=median,
        alt=(
            f"Liggande stapeldiagram: medelvärdet i {name} för {genitive(kommun)} enheter, "
            f"högst först: {listed}.{national}"
        ),
        caption=(
            f"Enheternas medelvärde i {name}, 0–100 poäng. Strecket på stapeln: kommunens eget "
            "värde på samma indikatorer. Streckad linje: medianen för alla enheter i riket."
        ),
    )


def _key(
    units: UnitResults, result: MunicipalityResult, indicator: Indicator, number: int
) -> KeyItem:
    """Return an indicator's line in a key: the municipality's value, the units' median."""
    own = sv_value(_own(result, indicator.id).value, indicator.kind)
    detail = f"kommunen {own}; {narrative.national_unit_text(units.stats_for(indicator.id))}"
    if not indicator.higher_is_better:
        detail += "; lägre är bättre"
    return KeyItem(number, indicator.name, detail)


def _forest(
    units: UnitResults,
    result: MunicipalityResult,
    ranked: Sequence[UnitResult],
    indicators: Sequence[Indicator],
    keys: dict[str, KeyItem],
) -> Forest:
    panels = []
    described = []
    for indicator in indicators:
        stats = units.stats_for(indicator.id)
        points = tuple(
            None if item is None else _point(item, u.unit.name, narrative.unit_value(item, stats))
            for u in ranked
            for item in [_item(u, indicator.id)]
        )
        median = None if stats is None else stats.median_value
        key = keys[indicator.id]
        panels.append(Panel(key.number, points, _own(result, indicator.id).value, median))
        listed = "; ".join(f"{p.name} {p.label}" for p in points if p is not None)
        described.append(f"{key.number}. {indicator.name} ({key.detail}): {listed}.")
    return Forest(
        chart=Chart(
            uri=svg_uri(draw_panels([u.unit.name for u in ranked], panels)),
            alt="Punktdiagram per enhet med osäkerhetsintervall. " + " ".join(described),
            caption="",
        ),
        key=tuple(keys[i.id] for i in indicators),
    )


def _point(item: UnitIndicatorResult, name: str, value: str) -> Point:
    """Place a unit's value and interval on the value's own scale (0–100 %)."""
    low = high = None
    if item.interval is not None:
        low, high = item.interval
        if not item.indicator.higher_is_better:  # the interval is in score units: mirror back
            low, high = 100.0 - high, 100.0 - low
    count = "n ej redovisat" if item.n_assumed else f"n = {item.n}" if item.n else ""
    return Point(name, item.value, low, high, item.status, f"{value} ({count})" if count else value)


def _grid(
    units: UnitResults,
    ranked: Sequence[UnitResult],
    indicators: Sequence[Indicator],
    keys: dict[str, KeyItem],
) -> Grid:
    rows = tuple(
        GridRow(u.unit.name, tuple(_cell(units, _item(u, i.id)) for i in indicators))
        for u in ranked
    )
    return Grid(tuple(keys[i.id] for i in indicators), rows)


def _cell(units: UnitResults, item: UnitIndicatorResult | None) -> GridCell:
    if item is None:
        return GridCell("–", "missing")
    return GridCell(narrative.unit_value(item, units.stats_for(item.indicator.id)), item.status)


# --------------------------------------------------------------------------- providers


def _providers(
    results: EditionResults, kommunkod: str, units: Sequence[UnitResult]
) -> tuple[ProviderLine, ...]:
    if len({u.unit.provider for u in units}) < 2:
        return ()
    everyone = narrative.unit_results(results)
    lines = []
    for spec in results.edition.delindex:
        means = {m.provider: m for m in everyone.provider_means(kommunkod, spec.id)}
        median = everyone.delindex_median(spec.id)
        lines.append(
            ProviderLine(
                name=spec.name,
                kommunal=_mean_text(means["kommunal"].value, means["kommunal"].units),
                privat=_mean_text(means["privat"].value, means["privat"].units),
                national="–" if median is None else sv_number(median),
            )
        )
    return tuple(lines)


def _mean_text(value: float | None, units: int) -> str:
    if value is None:
        return "–"
    return f"{sv_number(value)} ({units} {'enhet' if units == 1 else 'enheter'})"


# --------------------------------------------------------------------------- units


def _unit_section(
    results: EditionResults, result: MunicipalityResult, unit: UnitResult, position: int
) -> UnitSection:
    units = narrative.unit_results(results)

    def finding(item: UnitIndicatorResult, below: bool) -> Finding:
        stats = units.stats_for(item.indicator.id)
        own = _own(result, item.indicator.id) if below else None
        return Finding(item.indicator.name, narrative.finding_detail(item, stats, own))

    return UnitSection(
        anchor=f"enhet-{position}",
        name=unit.unit.name,
        about=narrative.unit_about(
            unit, provider_text(unit.unit.provider, unit.unit.provider_name)
        ),
        strengths=tuple(finding(i, False) for i in unit.strengths),
        improvements=tuple(
            finding(i, i.clearly_below_kommun) for i in _improvements_first_prioritised(unit)
        ),
        # Improvement areas below the municipality say so themselves; these are the others.
        below=tuple(
            finding(i, True)
            for i in unit.indicators
            if i.clearly_below_kommun and i.status != "improvement"
        ),
    )


def _improvements_first_prioritised(unit: UnitResult) -> list[UnitIndicatorResult]:
    """Return the improvement areas, those the percentile rule makes first (§5)."""
    return sorted(unit.improvements, key=lambda i: not i.prioritised)
