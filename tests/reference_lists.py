"""A literal, loop-by-loop reading of method.md §10, to check the release's CSV files against.

It shares no code with `scoring.lists` (nor with the engine): totals, delindex and ranks
come from `reference_method`, the literal reading of §1–§4, for this edition and the
previous one alike; the lists are built here with plain loops. Rows are plain strings
and floats, the way a reader of the CSV files sees them.
"""

from __future__ import annotations

from rapportpaket.edition.model import Edition

from reference_method import r9, reference, with_stand_ins

Row = dict[str, str | float | int | None]


def reference_lists(edition: Edition) -> dict[str, list[Row]]:
    """Return every list of §10, keyed by its CSV file name."""
    now = reference(edition)
    before = reference(edition.previous) if edition.previous is not None else None
    names = {m.kommunkod: m for m in edition.municipalities}
    out: dict[str, list[Row]] = {}

    def top(
        values: dict[str, float], ranks: dict[str, int], old: dict[str, float] | None
    ) -> list[Row]:
        rows: list[Row] = []
        for code in sorted(values, key=lambda c: (ranks[c], c)):
            if ranks[code] > 10:
                continue
            change = None
            if old is not None and code in old:
                change = values[code] - old[code]
            m = names[code]
            rows.append({"rank": ranks[code], "kommunkod": code, "kommun": m.kommun,
                         "lan": m.lan, "value": values[code], "change": change})  # fmt: skip
        return rows

    old_totals = None if before is None else {c: r.total for c, r in before.items()}
    out["top.csv"] = top({c: r.total for c, r in now.items()},
                         {c: r.rank for c, r in now.items()}, old_totals)  # fmt: skip
    for spec in edition.delindex:
        old = None
        previous = edition.previous
        if before is not None and previous and any(d.id == spec.id for d in previous.delindex):
            old = {c: r.delindex[spec.id] for c, r in before.items()}
        out[f"top-d{spec.id}.csv"] = top(
            {c: r.delindex[spec.id] for c, r in now.items()},
            {c: r.delindex_rank[spec.id] for c, r in now.items()},
            old,
        )

    climbers: list[Row] = []
    if before is not None:
        both = [c for c in now if c in before]
        both.sort(key=lambda c: (-r9(now[c].total - before[c].total), -r9(now[c].total), c))
        for code in both[:5]:
            m = names[code]
            climbers.append({
                "kommunkod": code, "kommun": m.kommun, "lan": m.lan,
                "total_change": now[code].total - before[code].total,
                "rank_change": before[code].rank - now[code].rank, "rank": now[code].rank,
            })  # fmt: skip
    out["climbers.csv"] = climbers

    having = with_stand_ins(edition)
    source_of = {i.id: i.source for i in edition.indicators}
    old_counts: dict[str, int] | None = None
    if edition.previous is not None:
        # Its coverage as it stood: every value it has, its own stand-ins included (§1b).
        old_source = {i.id: i.source for i in edition.previous.indicators}
        old_counts = {source: 0 for source in old_source.values()}
        for source in old_counts:
            codes = set()
            for value in edition.previous.values:
                if old_source.get(value.indicator) == source and value.value is not None:
                    codes.add(value.kommunkod)
            old_counts[source] = len(codes)
    coverage: list[Row] = []
    for source in sorted(set(source_of.values())):
        codes = {code for (code, indicator) in having if source_of[indicator] == source}
        change = None
        if old_counts is not None and source in old_counts:
            change = len(codes) - old_counts[source]
        coverage.append({"source": source, "municipalities": len(codes),
                         "share": len(codes) / len(names), "change": change})  # fmt: skip
    out["coverage.csv"] = coverage

    missing: list[Row] = []
    for code in sorted(names):
        lacking = []
        for source in sorted(set(source_of.values())):
            if not any((code, i) in having for i, s in source_of.items() if s == source):
                lacking.append(source)
        if lacking:
            missing.append({"kommunkod": code, "kommun": names[code].kommun,
                            "sources": ";".join(lacking)})  # fmt: skip
    out["missing-sources.csv"] = missing
    return out
