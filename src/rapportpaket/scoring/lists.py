"""The national lists of the public release (method.md §10), computed once from the results.

Pure functions over `EditionResults`, no pandas: the CSV files, the spreadsheet, the
national report and its deck all read `NationalLists`, so none of them ranks or counts
anything of its own.

Coverage of this edition is read from the results (a value standing in from last year,
§1b, is data there), exactly as each municipality's report reads it. The previous
edition has no results object (scoring keeps only the trends it needs), so its coverage
is counted from its loaded values by the same definition: a municipality has data from
a source when at least one indicator of that source has a value (its own stand-ins
included, which the loader put among its values).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rapportpaket.edition.model import DelindexSpec, Edition, Municipality
from rapportpaket.scoring.results import DECIMALS, EditionResults, MunicipalityResult

TOP_RANK = 10  # the top lists hold every municipality ranked 10 or better (ties included)
CLIMBERS = 5  # the climbers list holds exactly this many, when there are so many to compare


@dataclass(frozen=True)
class Placing:
    """One row of a top list: a municipality, its rank, its value and the change."""

    rank: int
    municipality: Municipality
    value: float  # T, or D_k on a delindex list
    change: float | None  # ΔT or ΔD_k; None without a previous edition or a value there


@dataclass(frozen=True)
class TopList:
    """The municipalities ranked 10 or better on the total (`delindex` None) or a delindex."""

    delindex: DelindexSpec | None
    placings: tuple[Placing, ...]  # by rank, then kommunkod


@dataclass(frozen=True)
class Climber:
    """A municipality whose total rose the most since the previous edition."""

    municipality: Municipality
    total: float
    total_change: float
    rank_change: int  # positive: climbed
    rank: int  # rank now


@dataclass(frozen=True)
class SourceReach:
    """How many municipalities have data from one source, and the change since last year."""

    source: str
    municipalities: int
    share: float  # of all municipalities, 0–1
    change: int | None  # None where the previous edition has no such source (or none at all)


@dataclass(frozen=True)
class MissingSources:
    """A municipality without any data from one or more sources: its total needs caution."""

    municipality: Municipality
    rank: int
    sources: tuple[str, ...]  # sorted by name


@dataclass(frozen=True)
class NationalLists:
    """Every list of the public release."""

    top: TopList
    top_by_delindex: tuple[TopList, ...]  # edition order
    climbers: tuple[Climber, ...]  # empty without a previous edition
    coverage: tuple[SourceReach, ...]  # sources sorted by name
    missing: tuple[MissingSources, ...]  # by kommunkod
    survey_sources: tuple[str, ...]  # sources of survey indicators (§7), catalogue order
    previous_year: int | None


def national_lists(results: EditionResults) -> NationalLists:
    """Return the lists method.md §10 defines for a scored edition."""
    previous = results.edition.previous
    return NationalLists(
        top=top_list(results),
        top_by_delindex=tuple(top_list(results, spec.id) for spec in results.edition.delindex),
        climbers=climbers(results),
        coverage=source_reach(results),
        missing=missing_sources(results),
        survey_sources=survey_sources(results),
        previous_year=None if previous is None else previous.year,
    )


def top_list(results: EditionResults, delindex_id: int | None = None) -> TopList:
    """Return the municipalities ranked 10 or better: all who share rank 10 are included."""
    measure = _total if delindex_id is None else _delindex(delindex_id)
    placings = sorted(
        (measure(r) for r in results.municipalities),
        key=lambda p: (p.rank, p.municipality.kommunkod),
    )
    spec = None if delindex_id is None else results.edition.delindex_spec(delindex_id)
    return TopList(spec, tuple(p for p in placings if p.rank <= TOP_RANK))


def _total(result: MunicipalityResult) -> Placing:
    return Placing(result.rank, result.municipality, result.total, result.total_change)


def _delindex(delindex_id: int) -> Callable[[MunicipalityResult], Placing]:
    def placing(result: MunicipalityResult) -> Placing:
        part = result.delindex_result(delindex_id)
        return Placing(part.rank, result.municipality, part.value, part.change)

    return placing


def climbers(results: EditionResults) -> tuple[Climber, ...]:
    """Return the 5 largest ΔT (at 9 decimals; ties by higher T, then kommunkod)."""
    compared = [
        Climber(r.municipality, r.total, r.total_change, r.rank_change, r.rank)
        for r in results.municipalities
        if r.total_change is not None and r.rank_change is not None
    ]
    compared.sort(
        key=lambda c: (
            -round(c.total_change, DECIMALS),
            -round(c.total, DECIMALS),
            c.municipality.kommunkod,
        )
    )
    return tuple(compared[:CLIMBERS])


def source_reach(results: EditionResults) -> tuple[SourceReach, ...]:
    """Return, per source of the catalogue, how many municipalities have data from it."""
    edition = results.edition
    now = {source: 0 for source in edition.sources}
    for result in results.municipalities:
        for coverage in result.coverage:
            now[coverage.source] += 0 if coverage.none else 1
    before = None if edition.previous is None else reach_of_values(edition.previous)
    return tuple(
        SourceReach(
            source=source,
            municipalities=count,
            share=count / results.count if results.count else 0.0,
            change=None if before is None or source not in before else count - before[source],
        )
        for source, count in sorted(now.items())
    )


def reach_of_values(edition: Edition) -> dict[str, int]:
    """Return, per source of `edition`'s catalogue, how many municipalities have a value."""
    source_of = {indicator.id: indicator.source for indicator in edition.indicators}
    codes = {m.kommunkod for m in edition.municipalities}
    having: dict[str, set[str]] = {source: set() for source in edition.sources}
    for value in edition.values:
        if value.value is not None and value.kommunkod in codes and value.indicator in source_of:
            having[source_of[value.indicator]].add(value.kommunkod)
    return {source: len(kommunkoder) for source, kommunkoder in having.items()}


def missing_sources(results: EditionResults) -> tuple[MissingSources, ...]:
    """Return every municipality that lacks all data from a source, by kommunkod."""
    lacking = []
    for result in sorted(results.municipalities, key=lambda r: r.kommunkod):
        sources = tuple(sorted(c.source for c in result.coverage if c.none))
        if sources:
            lacking.append(MissingSources(result.municipality, result.rank, sources))
    return tuple(lacking)


def survey_sources(results: EditionResults) -> tuple[str, ...]:
    """Return the sources of survey indicators: percent values with respondents (§7)."""
    surveyed = {
        item.indicator.source
        for result in results.municipalities
        for item in result.indicators
        if item.interval is not None
    }
    return tuple(source for source in results.edition.sources if source in surveyed)
