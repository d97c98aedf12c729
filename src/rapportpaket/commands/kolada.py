"""The `kolada` command: fill an edition's Kolada indicators from Kolada's API.

Load the edition → fetch every KPI its catalogue names (or read them from the cache) →
plan what changes per indicator → write the values file and the cache, unless it is a
dry run → say what changed. Nothing is written when any KPI failed.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC
from pathlib import Path

from rapportpaket.edition.kolada import DEFAULT_BASE_URL
from rapportpaket.edition.kolada.cache import CachedResponse, ResponseCache
from rapportpaket.edition.kolada.client import FetchSettings, KoladaClient, fetch_kpis
from rapportpaket.edition.kolada.plan import (
    ImportPlan,
    IndicatorChange,
    kolada_indicators,
    kpis_of,
    plan_import,
    select_totals,
)
from rapportpaket.edition.kolada.values_file import RowOrder, rewrite_values
from rapportpaket.edition.load import load_edition, values_file
from rapportpaket.errors import SourceError, UsageError
from rapportpaket.support.files import write_atomic

DEFAULT_CACHE = Path("output") / "kolada"


def import_kolada(
    edition_path: Path,
    *,
    year: int | None = None,
    base_url: str | None = None,
    cache: Path = DEFAULT_CACHE,
    offline: bool = False,
    dry_run: bool = False,
    settings: FetchSettings | None = None,
) -> str:
    """Replace the Kolada indicators' values with Kolada's; return what changed."""
    edition = load_edition(edition_path, with_previous=False)
    indicators = kolada_indicators(edition)
    if not indicators:
        raise UsageError(f"{edition_path / 'indicators.csv'}: no indicator names a kolada_kpi")
    year = year or edition.year
    source = base_url or DEFAULT_BASE_URL
    with KoladaClient(source, ResponseCache(cache), offline=offline, settings=settings) as client:
        fetched = fetch_kpis(client, kpis_of(indicators), year)
    totals, problems = select_totals(fetched.data, indicators, year)
    _stop_on(year, [*fetched.failures, *problems])
    plan, problems = plan_import(edition, totals, year)
    _stop_on(year, problems)
    responses = [r for data in fetched.data.values() for r in data.responses]
    head = _source_line(plan, len(fetched.data), client, responses)
    if dry_run:
        return _report(head, plan, "Dry run: nothing written.")
    path = values_file(edition_path)
    content = rewrite_values(path, plan, RowOrder.of(edition))
    rewritten = content != path.read_bytes()
    try:
        if not offline:  # first: values are never written without the answers they came from
            for response in responses:
                client.cache.write(response)
        if rewritten:
            write_atomic(path, content)
    except OSError as error:
        raise UsageError(f"cannot write {error.filename}: {error.strerror}") from None
    return _report(head, plan, _written_line(path, rewritten, client, len(responses)))


def _stop_on(year: int, problems: Sequence[str]) -> None:
    if problems:
        count = len(problems)
        head = f"Kolada {year}: {count} problem{'s' if count != 1 else ''}; nothing was written"
        raise SourceError("\n".join([head, *problems]))


def _source_line(
    plan: ImportPlan, kpis: int, client: KoladaClient, responses: Sequence[CachedResponse]
) -> str:
    """Say where the values came from: the address, or the cache and when it was filled."""
    if client.offline:
        times = sorted(f"{r.retrieved_at.astimezone(UTC):%Y-%m-%d %H:%M}" for r in responses)
        when = times[0] if times[0] == times[-1] else f"{times[0]}–{times[-1]}"
        where = f"the cache {client.cache.folder} (retrieved {when} UTC)"
    else:
        where = f"{client.base_url} ({client.requests} requests)"
    return f"Kolada {plan.year} from {where}: {kpis} KPIs for {len(plan.changes)} indicators"


def _report(head: str, plan: ImportPlan, last: str) -> str:
    width = max(len(change.indicator.id) for change in plan.changes)
    lines = [head, *(_change_line(change, width, plan.municipalities) for change in plan.changes)]
    if plan.not_in_edition:
        lines.append(
            "Kolada has values for municipalities the edition does not have (not added): "
            + ", ".join(plan.not_in_edition)
        )
    return "\n".join([*lines, last])


def _change_line(change: IndicatorChange, width: int, municipalities: int) -> str:
    indicator = change.indicator
    kpis = indicator.kolada_kpi or ""
    if indicator.kolada_n_kpi:
        kpis += f" (n {indicator.kolada_n_kpi})"
    return (
        f"  {indicator.id:<{width}}  {kpis}: {change.added} added, {change.changed} changed, "
        f"{change.removed} removed, {change.unchanged} unchanged; coverage "
        f"{change.coverage_before} → {change.coverage_after} of {municipalities}"
    )


def _written_line(path: Path, rewritten: bool, client: KoladaClient, responses: int) -> str:
    values = f"Wrote {path}." if rewritten else f"{path} already has these values: not rewritten."
    if client.offline:
        return values
    return f"{values} Cached {responses} responses in {client.cache.folder}."
