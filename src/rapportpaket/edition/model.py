"""The edition as loaded: frozen dataclasses for its settings, municipalities, indicators, values.

Nothing here imports pandas; the results computed from an edition are in `scoring.results`.
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
Provider = Literal["kommunal", "privat"]


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
    statement: str | None = None  # how a recommendation names it, as a sentence
    kolada_kpi: str | None = None  # the Kolada KPI whose value is the indicator's value
    kolada_n_kpi: str | None = None  # the Kolada KPI whose value is its n (respondents)


@dataclass(frozen=True)
class Value:
    """One row of `values.csv`; `value` is None where the file says there is no data.

    `from_previous` marks last year's value standing in for a missing one (method.md §1b).
    """

    kommunkod: str
    indicator: str
    value: float | None
    n: int | None = None
    from_previous: bool = False


@dataclass(frozen=True)
class Unit:
    """One row of `units.csv`: a home-care unit, run by the municipality or a private firm."""

    enhet: str  # stable id: letters, digits, `_` and `-`
    kommunkod: str
    name: str  # as the municipality calls it, e.g. "Hemtjänst Norr"
    provider: Provider
    provider_name: str | None = None  # e.g. the company running a private unit


@dataclass(frozen=True)
class UnitValue:
    """One row of `unit_values.csv` with data (a row without a value is not kept, §12)."""

    enhet: str
    indicator: str
    value: float
    n: int | None = None


@dataclass(frozen=True)
class DelindexSpec:
    """One `[[delindex]]` table of `edition.toml`."""

    id: int
    name: str
    weight: float


# The settings have no defaults here: each default is declared once, with its meaning,
# in `edition.schema`, which builds these objects.


@dataclass(frozen=True)
class SelectionSettings:
    """`[selection]`: thresholds for strengths and improvement areas (method.md §5–6)."""

    strength_percentile: float
    improvement_percentile: float
    recommendations: int


@dataclass(frozen=True)
class GroupSettings:
    """`[groups]`: confidence level of intervals and Wilson bounds (method.md §5, §7)."""

    confidence: float


@dataclass(frozen=True)
class FallbackSettings:
    """`[fallback]`: the sources whose missing values last year's stand in for (§1b)."""

    sources: tuple[str, ...]


@dataclass(frozen=True)
class CatalogueChange:
    """Indicator ids only in this edition (added) and only in the previous one (removed)."""

    added: tuple[str, ...]
    removed: tuple[str, ...]


@dataclass(frozen=True)
class MailSettings:
    """`[mail]`: sender identity of summary and package mails."""

    sender: str
    reply_to: str | None


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
    selection: SelectionSettings
    groups: GroupSettings
    mail: MailSettings
    fallback: FallbackSettings
    previous: Edition | None = None
    # The optional unit files (method.md §12): units in file order, their values.
    units: tuple[Unit, ...] = ()
    unit_values: tuple[UnitValue, ...] = ()

    @property
    def embargo_at(self) -> datetime:
        """Return the moment summaries become due (publish_at − embargo_hours)."""
        return self.publish_at - timedelta(hours=self.embargo_hours)

    @cached_property
    def sources(self) -> tuple[str, ...]:
        """Return the data sources in catalogue order, each once."""
        return tuple(dict.fromkeys(ind.source for ind in self.indicators))

    @cached_property
    def catalogue_change(self) -> CatalogueChange | None:
        """Return how the catalogue differs from the previous edition's (§8), if it does."""
        if self.previous is None:
            return None
        now = [i.id for i in self.indicators]
        before = [i.id for i in self.previous.indicators]
        now_ids, before_ids = frozenset(now), frozenset(before)
        added = tuple(i for i in now if i not in before_ids)
        removed = tuple(i for i in before if i not in now_ids)
        return CatalogueChange(added, removed) if added or removed else None

    def units_of(self, kommunkod: str) -> tuple[Unit, ...]:
        """Return the units of one municipality, in file order."""
        return tuple(u for u in self.units if u.kommunkod == kommunkod)

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
