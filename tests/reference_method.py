"""A literal, loop-by-loop reading of method.md, to check the vectorised engine against.

Written without pandas or numpy on purpose: it shares no code with `scoring.py`, so a
bug would have to be made twice, the same way, to go unnoticed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from rapportpaket.edition.model import Edition, Indicator, Value


def r9(x: float) -> float:
    return round(x, 9)


def score_of(indicator: Indicator, v: float) -> float:
    if indicator.kind == "binary":
        s = 100 * v
    elif indicator.kind == "percent":
        s = v
    else:
        assert indicator.min is not None and indicator.max is not None
        s = min(100.0, max(0.0, 100 * (v - indicator.min) / (indicator.max - indicator.min)))
    return s if indicator.higher_is_better else 100 - s


def percentile(x: float, xs: list[float]) -> float:
    less = sum(1 for y in xs if r9(y) < r9(x))
    equal = sum(1 for y in xs if r9(y) == r9(x))
    return 100 * (less + 0.5 * equal) / len(xs)


def median(xs: list[float]) -> float:
    s = sorted(xs)
    mid = len(s) // 2
    return s[mid] if len(s) % 2 else (s[mid - 1] + s[mid]) / 2


def linear_quantile(xs: list[float], q: float) -> float:
    s = sorted(xs)
    h = (len(s) - 1) * q
    lo = math.floor(h)
    hi = min(lo + 1, len(s) - 1)
    return s[lo] + (h - lo) * (s[hi] - s[lo])


def competition_ranks(values: dict[str, float]) -> dict[str, int]:
    return {m: 1 + sum(1 for y in values.values() if r9(y) > r9(x)) for m, x in values.items()}


@dataclass
class Ref:
    total: float
    rank: int
    percentile: float
    low: float
    high: float
    group: str
    delindex: dict[int, float]
    delindex_rank: dict[int, int]
    status: dict[str, str]
    gain: dict[str, float]
    ind_percentile: dict[str, float | None]
    ind_share_below: dict[str, float | None]
    forbattra: list[str]
    bibehall: list[str]


def measured_values(edition: Edition) -> dict[tuple[str, str], Value]:
    """Return the values the edition's own file gives (not those standing in)."""
    return {
        (v.kommunkod, v.indicator): v
        for v in edition.values
        if v.value is not None and not v.from_previous
    }


def with_stand_ins(edition: Edition) -> dict[tuple[str, str], Value]:
    """§1b: for fallback sources, last year's measured value where this year has none."""
    raw = measured_values(edition)
    if edition.previous is None or not edition.fallback.sources:
        return raw
    before = measured_values(edition.previous)
    codes = {m.kommunkod for m in edition.municipalities}
    for i in edition.indicators:
        if i.source not in edition.fallback.sources:
            continue
        for m in codes:
            if (m, i.id) not in raw and (m, i.id) in before:
                raw[(m, i.id)] = before[(m, i.id)]
    return raw


def smallest_n(edition: Edition, raw: dict[tuple[str, str], Value]) -> dict[str, int]:
    """§7: the smallest n of each survey indicator (a percent indicator with some n)."""
    out: dict[str, int] = {}
    for i in edition.indicators:
        ns = [v.n for (m, ind), v in raw.items() if ind == i.id and v.n is not None]
        if i.kind == "percent" and ns:
            out[i.id] = min(ns)
    return out


def reference(edition: Edition, z: float = 1.96) -> dict[str, Ref]:
    codes = [m.kommunkod for m in edition.municipalities]
    raw = with_stand_ins(edition)
    assumed_n = smallest_n(edition, raw)
    s: dict[tuple[str, str], float] = {}
    for m in codes:
        for i in edition.indicators:
            v = raw.get((m, i.id))
            s[(m, i.id)] = score_of(i, v.value) if v and v.value is not None else 0.0
    sum_w = {
        d.id: sum(i.weight for i in edition.indicators if i.delindex == d.id)
        for d in edition.delindex
    }
    big_w = sum(d.weight for d in edition.delindex)
    c = {i.id: (edition.delindex_spec(i.delindex).weight / big_w) * (i.weight / sum_w[i.delindex])
         for i in edition.indicators}  # fmt: skip
    D = {
        m: {
            d.id: sum(i.weight * s[(m, i.id)] for i in edition.indicators if i.delindex == d.id)
            / sum_w[d.id]
            for d in edition.delindex
        }
        for m in codes
    }
    T = {m: sum(d.weight * D[m][d.id] for d in edition.delindex) / big_w for m in codes}

    status: dict[tuple[str, str], str] = {}
    gain: dict[tuple[str, str], float] = {}
    pct: dict[tuple[str, str], float | None] = {}
    below: dict[tuple[str, str], float | None] = {}
    se: dict[str, float] = dict.fromkeys(codes, 0.0)
    sel = edition.selection
    for i in edition.indicators:
        have = [m for m in codes if (m, i.id) in raw]
        xs = [s[(m, i.id)] for m in have]
        M = median(xs) if xs else None
        Q3 = linear_quantile(xs, 0.75) if xs else None
        for m in codes:
            weak = False
            if (m, i.id) not in raw:
                pct[(m, i.id)] = below[(m, i.id)] = None
                status[(m, i.id)] = "improvement"
            else:
                P = percentile(s[(m, i.id)], xs)
                pct[(m, i.id)] = P
                below[(m, i.id)] = 100 * sum(1 for y in xs if r9(y) < r9(s[(m, i.id)])) / len(xs)
                v = raw[(m, i.id)]
                interval = None
                n_of = v.n if v.n is not None else assumed_n.get(i.id)
                if i.kind == "percent" and n_of is not None:
                    p, n = v.value / 100, n_of  # type: ignore[operator]
                    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
                    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
                    lo, hi = 100 * (centre - half), 100 * (centre + half)
                    interval = (lo, hi) if i.higher_is_better else (100 - hi, 100 - lo)
                    se[m] += c[i.id] * 100 * math.sqrt(p * (1 - p) / n)
                strong = r9(P) >= sel.strength_percentile and (
                    interval is None or r9(interval[0]) > r9(M)  # type: ignore[arg-type]
                )
                weak = r9(P) <= sel.improvement_percentile and (
                    interval is None or r9(interval[1]) < r9(M)  # type: ignore[arg-type]
                )
                lacks = i.kind == "binary" and r9(s[(m, i.id)]) == 0
                status[(m, i.id)] = (
                    "strength" if strong else "improvement" if weak or lacks else "neutral"
                )
            # §5/§6: a gain only where the percentile rule (or missing data) makes it one.
            by_rule = (m, i.id) not in raw or weak
            gain[(m, i.id)] = (
                c[i.id] * max(0.0, Q3 - s[(m, i.id)]) if by_rule and Q3 is not None else 0.0
            )

    totals = list(T.values())
    q20, q40, q60, q80 = (r9(linear_quantile(totals, q)) for q in (0.2, 0.4, 0.6, 0.8))
    ranks = competition_ranks(T)
    d_ranks = {d.id: competition_ranks({m: D[m][d.id] for m in codes}) for d in edition.delindex}
    out = {}
    for m in codes:
        low, high = T[m] - z * se[m], T[m] + z * se[m]
        if r9(low) >= q80:
            group = "Högt resultat"
        elif r9(high) <= q20:
            group = "Lågt resultat"
        elif r9(low) >= q60:
            group = "Över medel"
        elif r9(high) <= q40:
            group = "Under medel"
        else:
            group = "Medel"
        ids = [i.id for i in edition.indicators]
        improvements = [i for i in ids if status[(m, i)] == "improvement"]
        strengths = [i for i in ids if status[(m, i)] == "strength"]
        forbattra = sorted(improvements, key=lambda i: (-r9(gain[(m, i)]), -r9(c[i]), i))
        bibehall = sorted(strengths, key=lambda i: (-r9(c[i]), -r9(pct[(m, i)] or 0), i))
        out[m] = Ref(
            total=T[m], rank=ranks[m], percentile=percentile(T[m], totals), low=low, high=high,
            group=group, delindex=D[m], delindex_rank={k: d_ranks[k][m] for k in d_ranks},
            status={i: status[(m, i)] for i in ids}, gain={i: gain[(m, i)] for i in ids},
            ind_percentile={i: pct[(m, i)] for i in ids},
            ind_share_below={i: below[(m, i)] for i in ids},
            forbattra=forbattra[: sel.recommendations], bibehall=bibehall[: sel.recommendations],
        )  # fmt: skip
    return out


def projection(edition: Edition, kommunkod: str, chosen: list[str]) -> tuple[float, float, int]:
    """§11 read literally: (T, T', projected rank) with each chosen indicator raised to its
    national upper quartile, every other municipality unchanged."""
    refs = reference(edition)
    raw = with_stand_ins(edition)
    codes = [m.kommunkod for m in edition.municipalities]
    sum_w = {
        d.id: sum(i.weight for i in edition.indicators if i.delindex == d.id)
        for d in edition.delindex
    }
    big_w = sum(d.weight for d in edition.delindex)
    projected = refs[kommunkod].total
    for i in edition.indicators:
        if i.id not in chosen:
            continue
        have = [score_of(i, raw[(m, i.id)].value) for m in codes if (m, i.id) in raw]  # type: ignore[arg-type]
        if not have:
            continue
        own = raw.get((kommunkod, i.id))
        s = score_of(i, own.value) if own is not None and own.value is not None else 0.0
        c = (edition.delindex_spec(i.delindex).weight / big_w) * (i.weight / sum_w[i.delindex])
        projected += c * max(0.0, linear_quantile(have, 0.75) - s)
    others = [refs[m].total for m in codes if m != kommunkod]
    return refs[kommunkod].total, projected, 1 + sum(1 for t in others if r9(t) > r9(projected))
