"""Frozen dataclasses that cross stage boundaries: the edition and its results.

One results model drives every output (PDF, deck, mails). Nothing here imports pandas.
"""

from __future__ import annotations

import difflib
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cached_property
from pathlib import Path
from typing import Literal

from rapportpaket.errors import UsageError

Kind = Literal["binary", "percent", "number"]
Status = Literal["strength", "improvement", "neutral"]

GROUP_HIGH = "Högt resultat"
GROUP_ABOVE = "Över medel"
GROUP_MIDDLE = "Medel"
GROUP_BELOW = "Under medel"
GROUP_LOW = "Lågt resultat"
GROUPS = (GROUP_HIGH, GROUP_ABOVE, GROUP_MIDDLE, GROUP_BELOW, GROUP_LOW)


# --------------------------------------------------------------------------- edition


@dataclass(frozen=True)
class Municipality:
    """One row of `municipalities.csv`."""

    kommunkod: str
    kommun: str
    lan: str
    kommungrupp: str | None = None


@dataclass(frozen=True)
class Indicator:
    """One row of `indicators.csv`."""

    id: str
    delindex: int
    area: str
    name: str
    source: str
    kind: Kind
    higher_is_better: bool
    weight: float
    min: float | None = None
    max: float | None = None


@dataclass(frozen=True)
class Value:
    """One row of `values.csv`; `value` is None where the file says there is no data."""

    kommunkod: str
    indicator: str
    value: float | None
    n: int | None = None


@dataclass(frozen=True)
class DelindexSpec:
    """One `[[delindex]]` table of `edition.toml`."""

    id: int
    name: str
    weight: float


@dataclass(frozen=True)
class SelectionSettings:
    """`[selection]`: thresholds for strengths and improvement areas (method.md §5–6)."""

    strength_percentile: float = 75.0
    improvement_percentile: float = 25.0
    recommendations: int = 3


@dataclass(frozen=True)
class GroupSettings:
    """`[groups]`: confidence level of intervals and Wilson bounds (method.md §5, §7)."""

    confidence: float = 0.95


@dataclass(frozen=True)
class MailSettings:
    """`[mail]`: sender identity of summary and package mails."""

    sender: str = "Hemtjänstindex <rapport@hemtjanstindex.example>"
    reply_to: str | None = None


@dataclass(frozen=True)
class Edition:
    """A loaded, validated edition of the index."""

    path: Path
    name: str
    year: int
    publish_at: datetime
    embargo_hours: float
    delindex: tuple[DelindexSpec, ...]
    municipalities: tuple[Municipality, ...]
    indicators: tuple[Indicator, ...]
    values: tuple[Value, ...]
    selection: SelectionSettings = SelectionSettings()
    groups: GroupSettings = GroupSettings()
    mail: MailSettings = MailSettings()
    previous: Edition | None = None

    @property
    def embargo_at(self) -> datetime:
        """Return the moment summaries become due (publish_at − embargo_hours)."""
        return self.publish_at - timedelta(hours=self.embargo_hours)

    @cached_property
    def sources(self) -> tuple[str, ...]:
        """Return the data sources in catalogue order, each once."""
        return tuple(dict.fromkeys(ind.source for ind in self.indicators))

    def delindex_spec(self, delindex_id: int) -> DelindexSpec:
        """Return the delindex with this id."""
        return next(d for d in self.delindex if d.id == delindex_id)

    def find_municipality(self, query: str) -> Municipality:
        """Return the municipality named or coded `query`, or fail with a suggestion."""
        wanted = _fold(query)
        for municipality in self.municipalities:
            if wanted in (_fold(municipality.kommun), municipality.kommunkod):
                return municipality
        raise UsageError(f"unknown municipality {query!r}{suggest(query, self)}")


def _fold(text: str) -> str:
    return unicodedata.normalize("NFC", text).strip().casefold()


def suggest(query: str, edition: Edition) -> str:
    """Return ' (did you mean X?)' for the closest municipality name, or ''."""
    names = {_fold(m.kommun): m.kommun for m in edition.municipalities}
    close = difflib.get_close_matches(_fold(query), list(names), n=1, cutoff=0.6)
    return f" (did you mean {names[close[0]]}?)" if close else ""


# --------------------------------------------------------------------------- results


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
    # Wilson interval in score units, for survey percentages that carry n.
    interval: tuple[float, float] | None = None

    @property
    def missing(self) -> bool:
        """Return True where the municipality has no data (scored 0)."""
        return self.value is None


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


@dataclass(frozen=True)
class DelindexResult:
    """One municipality's result on one delindex."""

    spec: DelindexSpec
    value: float
    rank: int
    percentile: float
    change: float | None = None


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
    cut_points: tuple[float, float, float, float]
    z: float

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
