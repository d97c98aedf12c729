"""The results model: frozen dataclasses of one scored edition, read by every document.

One results model drives every output (PDF, deck, mails, the tool). National figures are
computed once, in scoring, and carried here; no consumer computes a median of its own.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Literal

from rapportpaket.edition.model import (
    DelindexSpec,
    Edition,
    Indicator,
    Municipality,
    Provider,
    Unit,
)

Status = Literal["strength", "improvement", "neutral"]

GROUP_HIGH = "Högt resultat"
GROUP_ABOVE = "Över medel"
GROUP_MIDDLE = "Medel"
GROUP_BELOW = "Under medel"
GROUP_LOW = "Lågt resultat"
GROUPS = (GROUP_HIGH, GROUP_ABOVE, GROUP_MIDDLE, GROUP_BELOW, GROUP_LOW)
DECIMALS = 9  # equality is judged on values rounded to 9 decimals (method.md §3)


@dataclass(frozen=True)
class IndicatorResult:
    """One municipality's result on one indicator (method.md §1, §4, §5, §6)."""

    indicator: Indicator
    value: float | None
    n: int | None
    score: float
    percentile: float | None
    status: Status
    gain: float
    # Wilson interval in score units, for survey percentages (§5).
    interval: tuple[float, float] | None = None
    # % of the municipalities with data that score strictly lower: "bättre än X %".
    share_below: float | None = None
    from_previous: bool = False  # last year's value standing in (§1b)
    n_assumed: bool = False  # the source withheld n: the indicator's smallest n is used (§7)
    # The value measured in the previous edition (same kommunkod and indicator id); None
    # without a previous edition, without a value there, or where one older still stood in.
    previous_value: float | None = None

    @property
    def missing(self) -> bool:
        """Return True where the municipality has no data (scored 0)."""
        return self.value is None


@dataclass(frozen=True)
class PeerFigure:
    """One indicator in a peer group (a kommungrupp or a län): its median value, and for a
    yes/no item the share of the group's municipalities with data that have it."""

    group: str
    median_value: float | None
    share_having: float | None


@dataclass(frozen=True)
class IndicatorStats:
    """National figures of one indicator across the municipalities with data."""

    indicator: Indicator
    effective_weight: float
    with_data: int
    median_score: float | None
    q3_score: float | None
    median_value: float | None
    # Mean raw value; for a binary indicator, the share of municipalities that have it.
    mean_value: float | None = None
    q1_score: float | None = None
    min_score: float | None = None
    max_score: float | None = None
    by_kommungrupp: tuple[PeerFigure, ...] = ()
    by_lan: tuple[PeerFigure, ...] = ()

    def peers(self, kind: str, group: str | None) -> PeerFigure | None:
        """Return the figure of one kommungrupp (`kind` "kommungrupp") or län ("lan")."""
        figures = self.by_kommungrupp if kind == "kommungrupp" else self.by_lan
        return next((f for f in figures if f.group == group), None)

    # The raw value that scores q3_score: where the national upper quartile lies, in the
    # indicator's own unit (a share, a percentage, days …).
    q3_value: float | None = None

    @property
    def share_having(self) -> float | None:
        """Return, for a yes/no indicator, the share (0–1) of municipalities with data that
        have it ("Ja"); None for other kinds or when nobody has data."""
        return self.mean_value if self.indicator.kind == "binary" else None


@dataclass(frozen=True)
class Spread:
    """How one measure is spread over all municipalities (numpy's linear quantiles)."""

    median: float
    lower_quartile: float
    upper_quartile: float
    minimum: float
    maximum: float


@dataclass(frozen=True)
class NationalFigures:
    """Figures of the whole country, computed once in scoring and read by every document."""

    total: Spread
    delindex: tuple[tuple[int, Spread], ...]  # (delindex id, its spread), edition order
    cut_points: tuple[float, float, float, float]  # q20, q40, q60, q80 of the totals (§7)
    group_counts: tuple[tuple[str, int], ...]  # every result group in GROUPS order

    def delindex_spread(self, delindex_id: int) -> Spread:
        """Return the spread of one delindex."""
        return next(spread for ident, spread in self.delindex if ident == delindex_id)

    def group_count(self, group: str) -> int:
        """Return how many municipalities are in a result group."""
        return next(count for name, count in self.group_counts if name == group)


@dataclass(frozen=True)
class DelindexResult:
    """One municipality's result on one delindex."""

    spec: DelindexSpec
    value: float
    rank: int
    percentile: float
    change: float | None = None
    share_below: float = 0.0  # % of all municipalities strictly lower on this delindex


@dataclass(frozen=True)
class GoodExample:
    """A municipality to learn from on one indicator (method.md §9)."""

    municipality: Municipality
    value: float
    score: float
    same_group: bool


@dataclass(frozen=True)
class Recommendation:
    """A Förbättra item: an improvement area, its potential gain and whom to learn from."""

    result: IndicatorResult
    gain: float
    examples: tuple[GoodExample, ...]


@dataclass(frozen=True)
class SourceCoverage:
    """Whether a municipality has data from one source."""

    source: str
    indicators: int
    with_data: int

    @property
    def complete(self) -> bool:
        """Return True when every indicator of the source has data."""
        return self.with_data == self.indicators

    @property
    def none(self) -> bool:
        """Return True when the source contributes no data at all."""
        return self.with_data == 0


@dataclass(frozen=True)
class MunicipalityResult:
    """Everything computed for one municipality."""

    municipality: Municipality
    total: float
    rank: int
    percentile: float
    total_low: float
    total_high: float
    group: str
    delindex: tuple[DelindexResult, ...]
    indicators: tuple[IndicatorResult, ...]
    forbattra: tuple[Recommendation, ...]
    bibehall: tuple[IndicatorResult, ...]
    total_change: float | None = None
    rank_change: int | None = None

    @property
    def kommunkod(self) -> str:
        """Return the municipality's code."""
        return self.municipality.kommunkod

    @property
    def strengths(self) -> tuple[IndicatorResult, ...]:
        """Return the strengths in catalogue order."""
        return tuple(r for r in self.indicators if r.status == "strength")

    @property
    def improvements(self) -> tuple[IndicatorResult, ...]:
        """Return the improvement areas in catalogue order."""
        return tuple(r for r in self.indicators if r.status == "improvement")

    def indicators_in(self, delindex_id: int) -> tuple[IndicatorResult, ...]:
        """Return this municipality's indicator results of one delindex."""
        return tuple(r for r in self.indicators if r.indicator.delindex == delindex_id)

    def delindex_result(self, delindex_id: int) -> DelindexResult:
        """Return the result on one delindex."""
        return next(d for d in self.delindex if d.spec.id == delindex_id)

    @property
    def coverage(self) -> tuple[SourceCoverage, ...]:
        """Return, per data source in catalogue order, how many indicators have data."""
        counts: dict[str, list[int]] = {}
        for r in self.indicators:
            entry = counts.setdefault(r.indicator.source, [0, 0])
            entry[0] += 1
            entry[1] += 0 if r.missing else 1
        return tuple(SourceCoverage(s, total, have) for s, (total, have) in counts.items())


@dataclass(frozen=True)
class EditionResults:
    """The scored edition: every municipality's results plus national figures."""

    edition: Edition
    municipalities: tuple[MunicipalityResult, ...]
    indicator_stats: tuple[IndicatorStats, ...]
    national: NationalFigures
    z: float
    units: UnitResults | None = None  # the edition's units (method.md §12), if it has any

    @cached_property
    def _by_code(self) -> dict[str, MunicipalityResult]:
        return {r.kommunkod: r for r in self.municipalities}

    @cached_property
    def _stats_by_id(self) -> dict[str, IndicatorStats]:
        return {s.indicator.id: s for s in self.indicator_stats}

    @property
    def count(self) -> int:
        """Return the number of municipalities compared."""
        return len(self.municipalities)

    def result_for(self, kommunkod: str) -> MunicipalityResult:
        """Return one municipality's results by kommunkod."""
        return self._by_code[kommunkod]

    def stats_for(self, indicator_id: str) -> IndicatorStats:
        """Return the national figures of one indicator."""
        return self._stats_by_id[indicator_id]

    def totals(self) -> tuple[float, ...]:
        """Return every municipality's total, in edition order."""
        return tuple(r.total for r in self.municipalities)

    def delindex_values(self, delindex_id: int) -> tuple[float, ...]:
        """Return every municipality's value on one delindex, in edition order."""
        return tuple(r.delindex_result(delindex_id).value for r in self.municipalities)

    def count_below(self, total: float) -> int:
        """Return how many municipalities have a total strictly below `total` (§3 equality)."""
        own = round(total, DECIMALS)
        return sum(1 for t in self.totals() if round(t, DECIMALS) < own)

    def projected_total(self, kommunkod: str, chosen: Iterable[str]) -> float:
        """Return T' of §11: the total with each `chosen` indicator raised to its national
        upper quartile (unchanged where already above), others unchanged.

        Summed in catalogue order, so that any other implementation summing in that order
        (the digital tool's) gets the same floating-point number.
        """
        wanted = frozenset(chosen)
        result = self.result_for(kommunkod)
        projected = result.total
        for item in result.indicators:
            if item.indicator.id in wanted:
                projected += self.lift(item)
        return projected

    def lift(self, item: IndicatorResult) -> float:
        """Return c_i · max(0, Q3_i − s(m,i)): what reaching the upper quartile adds (§11)."""
        stats = self.stats_for(item.indicator.id)
        if stats.q3_score is None:
            return 0.0
        return stats.effective_weight * max(0.0, stats.q3_score - item.score)

    def projected_rank(self, projected_total: float) -> int:
        """Return the rank a total of `projected_total` would have, others unchanged (§11)."""
        own = round(projected_total, DECIMALS)
        return 1 + sum(1 for t in self.totals() if round(t, DECIMALS) > own)


# --------------------------------------------------------------------------- units (§12)


@dataclass(frozen=True)
class UnitIndicatorResult:
    """One unit's result on one indicator it has data for (method.md §12)."""

    indicator: Indicator
    value: float
    n: int | None
    score: float
    percentile: float  # among all units of the country with data for the indicator
    status: Status  # by §5 among those units
    # An improvement area the percentile rule makes: a yes/no item lacked (always an
    # improvement area) that most units also lack is listed, not urged first (§5).
    prioritised: bool
    interval: tuple[float, float] | None = None  # Wilson interval in score units (§5)
    n_assumed: bool = False  # the source withheld n: the units' smallest n is used (§7)
    vs_kommun: float | None = None  # s(u,i) − s(m,i); None where the municipality has none

    @property
    def kommun_score(self) -> float | None:
        """Return the municipality's own score on the indicator, where it has a value."""
        return None if self.vs_kommun is None else self.score - self.vs_kommun

    @property
    def clearly_below_kommun(self) -> bool:
        """Return True when the unit lies below its municipality's value, and for a survey
        item with its whole interval below it: a few answers never make a unit "below"."""
        own = self.kommun_score
        if own is None or round(self.score, DECIMALS) >= round(own, DECIMALS):
            return False
        return self.interval is None or round(self.interval[1], DECIMALS) < round(own, DECIMALS)


@dataclass(frozen=True)
class UnitDelindex:
    """A unit's mean on one delindex, over the indicators of it the unit has data for."""

    spec: DelindexSpec
    value: float | None  # D(u,k); None when the unit has no indicator of the delindex
    indicators: int  # n_k, the number of those indicators
    # The municipality's own weighted mean on those same indicators (where it has values):
    # what the unit is compared with. A delindex mean over other indicators would not do.
    kommun_value: float | None = None


@dataclass(frozen=True)
class UnitResult:
    """Everything computed for one unit; it is not ranked: units differ in what they measure."""

    unit: Unit
    indicators: tuple[UnitIndicatorResult, ...]  # catalogue order, only those with data
    delindex: tuple[UnitDelindex, ...]  # edition order

    @property
    def strengths(self) -> tuple[UnitIndicatorResult, ...]:
        """Return the strengths in catalogue order."""
        return tuple(r for r in self.indicators if r.status == "strength")

    @property
    def improvements(self) -> tuple[UnitIndicatorResult, ...]:
        """Return the improvement areas in catalogue order."""
        return tuple(r for r in self.indicators if r.status == "improvement")

    def indicators_in(self, delindex_id: int) -> tuple[UnitIndicatorResult, ...]:
        """Return the unit's results on the indicators of one delindex."""
        return tuple(r for r in self.indicators if r.indicator.delindex == delindex_id)

    def delindex_result(self, delindex_id: int) -> UnitDelindex:
        """Return the unit's mean on one delindex."""
        return next(d for d in self.delindex if d.spec.id == delindex_id)


@dataclass(frozen=True)
class UnitIndicatorStats:
    """National figures of one indicator across the units with data for it."""

    indicator: Indicator
    with_data: int
    median_score: float
    median_value: float
    mean_value: float  # for a yes/no indicator, the share (0–1) of units that have it
    # Every unit's value is 0 or 100 %: a unit has the thing or not (a routine asked in the
    # unit survey, whose municipal value is the share of units with it); read as yes/no.
    all_or_nothing: bool = False

    @property
    def share_having(self) -> float | None:
        """Return, for a yes/no indicator, the share (0–1) of units that have it."""
        if self.indicator.kind == "binary":
            return self.mean_value
        return self.mean_value / 100 if self.all_or_nothing else None


@dataclass(frozen=True)
class ProviderMean:
    """The mean of one delindex over a municipality's units of one kind of provider."""

    provider: Provider
    units: int  # units of this provider with data in the delindex
    value: float | None  # their unweighted mean of D(u,k); None without any


@dataclass(frozen=True)
class UnitResults:
    """Every unit of the edition scored (§12), with the national unit figures."""

    units: tuple[UnitResult, ...]  # in the order of units.csv
    stats: tuple[UnitIndicatorStats, ...]  # indicators some unit has data for, catalogue order
    delindex_medians: tuple[tuple[int, float | None], ...]  # median D(u,k) over units with data
    # The units and the municipalities with units in the country: what every unit is compared
    # with. Carried apart from `units`, which a worker may get only some of (`only`).
    national_count: int = 0
    national_kommuner: int = 0

    def only(self, kommunkoder: Collection[str]) -> UnitResults:
        """Return these results with the units of `kommunkoder` only; national figures kept."""
        wanted = frozenset(kommunkoder)
        return replace(self, units=tuple(u for u in self.units if u.unit.kommunkod in wanted))

    @cached_property
    def _by_code(self) -> dict[str, tuple[UnitResult, ...]]:
        grouped: dict[str, list[UnitResult]] = {}
        for result in self.units:
            grouped.setdefault(result.unit.kommunkod, []).append(result)
        return {code: tuple(units) for code, units in grouped.items()}

    @cached_property
    def _stats_by_id(self) -> dict[str, UnitIndicatorStats]:
        return {s.indicator.id: s for s in self.stats}

    def of(self, kommunkod: str) -> tuple[UnitResult, ...]:
        """Return one municipality's units in file order (none: an empty tuple)."""
        return self._by_code.get(kommunkod, ())

    def stats_for(self, indicator_id: str) -> UnitIndicatorStats | None:
        """Return the national unit figures of one indicator; None where no unit has data."""
        return self._stats_by_id.get(indicator_id)

    def delindex_median(self, delindex_id: int) -> float | None:
        """Return the national median of the units' means on one delindex."""
        return next(m for ident, m in self.delindex_medians if ident == delindex_id)

    def ranked(self, kommunkod: str, delindex_id: int) -> tuple[UnitResult, ...]:
        """Return one municipality's units by their mean on a delindex, highest first (§12);
        units without data in it last; ties by name, then id."""

        def key(result: UnitResult) -> tuple[bool, float, str, str]:
            value = result.delindex_result(delindex_id).value
            rounded = 0.0 if value is None else -round(value, DECIMALS)
            return (value is None, rounded, result.unit.name, result.unit.enhet)

        return tuple(sorted(self.of(kommunkod), key=key))

    def provider_means(self, kommunkod: str, delindex_id: int) -> tuple[ProviderMean, ...]:
        """Return the mean of a delindex over the municipality's municipal units, then its
        private ones (kinds it has no unit of are left out)."""
        means = []
        providers: tuple[Provider, ...] = ("kommunal", "privat")
        for provider in providers:
            own = [u for u in self.of(kommunkod) if u.unit.provider == provider]
            values = [
                d.value for u in own if (d := u.delindex_result(delindex_id)).value is not None
            ]
            if own:
                mean = sum(values) / len(values) if values else None
                means.append(ProviderMean(provider, len(values), mean))
        return tuple(means)
