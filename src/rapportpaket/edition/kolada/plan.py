"""Decide what an import changes: the new values of every Kolada indicator, and a count.

Only indicators with a `kolada_kpi` change. A municipality's value is Kolada's total
(gender T) for the year; its n, where the indicator names a `kolada_n_kpi`, that KPI's
total. No value from Kolada means no value in the edition. What Kolada has for a
municipality the edition does not have is reported, not added.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from rapportpaket.edition.kolada.client import KpiData
from rapportpaket.edition.kolada.responses import MalformedResponse, totals_of
from rapportpaket.edition.model import Edition, Indicator

Key = tuple[str, str]  # (kommunkod, indicator id): one row of values.csv


@dataclass(frozen=True)
class NewValue:
    """A value from Kolada and its n (respondents), as it will stand in the values file."""

    value: float
    n: int | None


@dataclass(frozen=True)
class IndicatorChange:
    """What an import does to one indicator's rows; coverage counts municipalities with data."""

    indicator: Indicator
    added: int
    changed: int
    removed: int
    unchanged: int
    coverage_before: int
    coverage_after: int


@dataclass(frozen=True)
class ImportPlan:
    """The new values of the Kolada indicators, and what that changes."""

    year: int
    changes: tuple[IndicatorChange, ...]
    values: Mapping[Key, NewValue]  # every Kolada indicator's value, by row
    unchanged: frozenset[Key]  # rows whose value and n are already Kolada's
    not_in_edition: tuple[str, ...]  # municipalities Kolada has and the edition does not
    municipalities: int  # how many the edition has

    @property
    def indicator_ids(self) -> frozenset[str]:
        """Return the ids of the indicators whose rows the import replaces."""
        return frozenset(change.indicator.id for change in self.changes)


def kolada_indicators(edition: Edition) -> tuple[Indicator, ...]:
    """Return the indicators that name a Kolada KPI, in catalogue order."""
    return tuple(i for i in edition.indicators if i.kolada_kpi is not None)


def kpis_of(indicators: tuple[Indicator, ...]) -> tuple[str, ...]:
    """Return every KPI the indicators name (values and n), each once, in catalogue order."""
    named = (kpi for i in indicators for kpi in (i.kolada_kpi, i.kolada_n_kpi) if kpi)
    return tuple(dict.fromkeys(named))


def is_municipality(code: str) -> bool:
    """Tell a municipality's id from the country's (0000) and the regions' (0001–0025)."""
    return len(code) == 4 and code.isdigit() and not code.startswith("00")


def select_totals(
    data: Mapping[str, KpiData], indicators: tuple[Indicator, ...], year: int
) -> tuple[dict[str, dict[str, float]], list[str]]:
    """Return each KPI's totals per municipality, and a problem for each KPI without any."""
    totals: dict[str, dict[str, float]] = {}
    problems = []
    for kpi, fetched in data.items():
        users = ", ".join(i.id for i in indicators if kpi in (i.kolada_kpi, i.kolada_n_kpi))
        try:
            totals[kpi] = totals_of(fetched.values, kpi, year)
        except MalformedResponse as error:
            problems.append(f"{kpi} ({users}): {error}")
            continue
        if not totals[kpi]:
            problems.append(
                f"{kpi} ({users}): Kolada has no values for {year} "
                "(an unknown KPI, or one not yet published for that year)"
            )
    return totals, problems


def plan_import(
    edition: Edition, totals: Mapping[str, Mapping[str, float]], year: int
) -> tuple[ImportPlan, list[str]]:
    """Return the plan, and every Kolada value that cannot stand in the edition."""
    before = {(v.kommunkod, v.indicator): v for v in edition.values if v.value is not None}
    codes = [m.kommunkod for m in edition.municipalities]
    values: dict[Key, NewValue] = {}
    unchanged: set[Key] = set()
    problems: list[str] = []
    changes = []
    for indicator in kolada_indicators(edition):
        new = _indicator_values(indicator, codes, totals, problems)
        old = {c: before[(c, indicator.id)] for c in codes if (c, indicator.id) in before}
        same = {
            c for c, v in new.items() if c in old and (old[c].value, old[c].n) == (v.value, v.n)
        }
        values.update(((code, indicator.id), value) for code, value in new.items())
        unchanged.update((code, indicator.id) for code in same)
        changes.append(_count(indicator, set(old), set(new), same))
    known = set(codes)
    outside = {code for kpi in totals.values() for code in kpi if is_municipality(code)} - known
    plan = ImportPlan(
        year, tuple(changes), values, frozenset(unchanged), tuple(sorted(outside)), len(codes)
    )
    return plan, problems


def _indicator_values(
    indicator: Indicator,
    codes: list[str],
    totals: Mapping[str, Mapping[str, float]],
    problems: list[str],
) -> dict[str, NewValue]:
    assert indicator.kolada_kpi is not None
    kpi, n_kpi = indicator.kolada_kpi, indicator.kolada_n_kpi
    new: dict[str, NewValue] = {}
    for code in codes:
        value = totals[kpi].get(code)
        if value is None:
            continue
        respondents = totals[n_kpi].get(code) if n_kpi is not None else None
        misfit = _misfit(value, indicator)
        if misfit is not None:
            problems.append(f"{kpi} ({indicator.id}) {code}: {misfit}")
        if respondents is not None and not (respondents.is_integer() and respondents >= 1):
            problems.append(
                f"{n_kpi} (n of {indicator.id}) {code}: {respondents:g} is not a whole "
                "number of respondents ≥ 1"
            )
        n = int(respondents) if respondents is not None else None
        new[code] = NewValue(value, n)
    return new


def _misfit(value: float, indicator: Indicator) -> str | None:
    """Return why a value cannot be the indicator's (as loading the edition would say)."""
    if indicator.kind == "binary" and value not in (0, 1):
        return f"{value:g} must be 0 or 1 for a binary indicator"
    if indicator.kind == "percent" and not 0 <= value <= 100:
        return f"{value:g} is outside 0–100 for a percent indicator"
    return None


def _count(indicator: Indicator, old: set[str], new: set[str], same: set[str]) -> IndicatorChange:
    return IndicatorChange(
        indicator=indicator,
        added=len(new - old),
        changed=len((new & old) - same),
        removed=len(old - new),
        unchanged=len(same),
        coverage_before=len(old),
        coverage_after=len(new),
    )
