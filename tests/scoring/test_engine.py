"""Scoring checked by hand on a tiny edition, and against a literal reference on random ones."""

from __future__ import annotations

import tempfile
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rapportpaket.edition.load import load_edition
from rapportpaket.scoring.engine import z_value
from rapportpaket.scoring.results import EditionResults
from rapportpaket.scoring.score import score_edition

from editions import write_edition
from reference_method import reference


def score(folder: Path) -> EditionResults:
    return score_edition(load_edition(folder))


@pytest.fixture
def tiny(tmp_path: Path) -> EditionResults:
    return score(write_edition(tmp_path / "ed"))


def test_totals_delindex_and_ranks_by_hand(tiny: EditionResults) -> None:
    # WEB 100/0/100/0, NOJD 90/80/70/–, VANTE (0–20, lower better) 5→75, 10→50, 25→0,
    # FEL (lower better) 10→90, 20→80; D2 weights VANTE 2, FEL 1.
    by = {r.kommunkod: r for r in tiny.municipalities}
    assert [by[k].delindex[0].value for k in ("0114", "0115", "0117", "0120")] == [95, 40, 85, 0]
    assert [by[k].delindex[1].value for k in ("0114", "0115", "0117", "0120")] == [80, 60, 0, 0]
    assert [by[k].total for k in ("0114", "0115", "0117", "0120")] == [87.5, 50, 42.5, 0]
    assert [by[k].rank for k in ("0114", "0115", "0117", "0120")] == [1, 2, 3, 4]
    # "1224": the two municipalities with D2 = 0 share rank 3.
    assert [by[k].delindex[1].rank for k in ("0114", "0115", "0117", "0120")] == [1, 2, 3, 3]
    assert [by[k].percentile for k in ("0114", "0115", "0117", "0120")] == [87.5, 62.5, 37.5, 12.5]


def test_groups_from_quintile_cut_points(tiny: EditionResults) -> None:
    # Totals 0, 42.5, 50, 87.5 → q20 25.5, q40 44, q60 48.5, q80 65 (numpy linear).
    assert tiny.national.cut_points == pytest.approx((25.5, 44.0, 48.5, 65.0))
    groups = [r.group for r in tiny.municipalities]
    assert groups == ["Högt resultat", "Över medel", "Under medel", "Lågt resultat"]


def test_statuses_percentiles_and_gains(tiny: EditionResults) -> None:
    vaxby, vallentuna, _, _ = tiny.municipalities
    nojd = {r.kommunkod: r.indicators[1] for r in tiny.municipalities}
    assert nojd["0114"].percentile == pytest.approx(250 / 3)
    assert [nojd[k].status for k in ("0114", "0115", "0117", "0120")] == [
        "strength", "neutral", "improvement", "improvement",
    ]  # fmt: skip
    assert nojd["0120"].missing and nojd["0120"].percentile is None and nojd["0120"].score == 0
    # gain = c_i · (Q3 − s): c_NOJD = ½·½, Q3 of 70/80/90 = 85.
    assert nojd["0117"].gain == pytest.approx(0.25 * 15)
    assert nojd["0120"].gain == pytest.approx(0.25 * 85)
    assert vallentuna.indicators[3].gain == pytest.approx((87.5 - 80) / 6)
    assert vaxby.improvements == ()


def test_forbattra_and_bibehall(tiny: EditionResults) -> None:
    by = {r.kommunkod: r for r in tiny.municipalities}
    assert [f.result.indicator.id for f in by["0117"].forbattra] == ["VANTE", "FEL", "NOJD"]
    assert [f.result.indicator.id for f in by["0120"].forbattra] == ["WEB", "NOJD", "VANTE"]
    # Bibehåll: largest c_i (VANTE 1/3), then WEB and NOJD (¼ each) by higher percentile.
    assert [b.indicator.id for b in by["0114"].bibehall] == ["VANTE", "NOJD", "WEB"]


def test_good_examples_prefer_same_kommungrupp_and_must_be_ahead(tiny: EditionResults) -> None:
    varmdo = tiny.result_for("0120")  # group B; NOJD: 0114 (A) 90, 0115 (A) 80, 0117 (B) 70
    nojd = next(f for f in varmdo.forbattra if f.result.indicator.id == "NOJD")
    assert [e.municipality.kommunkod for e in nojd.examples] == ["0117", "0114", "0115"]
    assert [e.same_group for e in nojd.examples] == [True, False, False]
    osteraker = tiny.result_for("0117")
    vante = next(f for f in osteraker.forbattra if f.result.indicator.id == "VANTE")
    assert [e.municipality.kommunkod for e in vante.examples] == ["0114", "0115"]


def test_wilson_interval_keeps_few_answers_neutral(tmp_path: Path) -> None:
    indicators = "id,delindex,area,name,source,kind,higher_is_better,weight,min,max\n" + "".join(
        f"{i},{k},A,{i},Brukarundersökningen,percent,true,1,,\n" for i, k in (("S", 1), ("T", 2))
    )
    rows = [("0114", 95), ("0115", 80), ("0117", 70), ("0120", 60)]

    def values(n_first: int) -> str:
        body = "".join(
            f"{code},S,{v},{n_first if code == '0114' else 1000}\n{code},T,50,\n"
            for code, v in rows
        )
        return "kommunkod,indicator,value,n\n" + body

    few = score(write_edition(tmp_path / "few", indicators=indicators, values=values(10)))
    many = score(write_edition(tmp_path / "many", indicators=indicators, values=values(1000)))
    assert few.result_for("0114").indicators[0].status == "neutral"  # low ≈ 65.5 < median 75
    assert many.result_for("0114").indicators[0].status == "strength"  # low ≈ 93.5
    low, high = few.result_for("0114").indicators[0].interval or (0, 0)
    assert low == pytest.approx(65.5, abs=0.1) and high == pytest.approx(99.4, abs=0.1)
    # The total's interval: SE = c·100·sqrt(p(1−p)/n) with c = ½.
    result = few.result_for("0114")
    se = 0.5 * 100 * (0.95 * 0.05 / 10) ** 0.5
    assert result.total_high - result.total == pytest.approx(1.96 * se)


def test_z_value_is_the_conventional_one() -> None:
    assert z_value(0.95) == 1.96
    assert z_value(0.99) == 2.576
    assert z_value(0.5) == pytest.approx(0.6744897501960817)


def test_trend_against_previous_edition(tmp_path: Path) -> None:
    old_values = "kommunkod,indicator,value,n\n0114,WEB,0,\n0115,WEB,1,\n0117,WEB,1,\n"
    write_edition(tmp_path / "2023", values=old_values)
    now = score(write_edition(tmp_path / "2024", extra_toml='previous = "../2023"'))
    vaxby = now.result_for("0114")
    assert vaxby.total_change == pytest.approx(87.5 - 0.0)
    # 2023 totals 0, 25, 25, 0 rank 3, 1, 1, 3 ("1224"): Upplands Väsby climbs from 3 to 1.
    assert vaxby.rank_change == 3 - 1
    assert vaxby.delindex[0].change == pytest.approx(95 - 0.0)


def test_municipality_without_any_data_and_indicator_with_one_value(tmp_path: Path) -> None:
    values = "kommunkod,indicator,value,n\n0114,WEB,1,\n0115,NOJD,50,\n"
    results = score(write_edition(tmp_path / "ed", values=values))
    empty = results.result_for("0120")
    assert empty.total == 0 and all(r.status == "improvement" for r in empty.indicators)
    assert len(empty.forbattra) == 3
    single = results.result_for("0115").indicators[1]
    assert single.percentile == 50.0 and single.status == "neutral"
    # Nobody has data on VANTE: it scores 0 for all, with no gain to compute.
    assert all(r.indicators[2].gain == 0 for r in results.municipalities)


# --------------------------------------------------------------------------- against reference

CODES = ["0114", "0115", "0117", "0120", "0123", "0125", "0126", "0127"]


@st.composite
def editions(draw: st.DrawFn) -> dict[str, str]:
    municipalities = CODES[: draw(st.integers(2, len(CODES)))]
    kinds = draw(st.lists(st.sampled_from(["binary", "percent", "number"]), min_size=2, max_size=6))
    rows, values = [], []
    for j, kind in enumerate(kinds):
        delindex = 1 if j == 0 else 2 if j == 1 else draw(st.sampled_from([1, 2]))
        weight = draw(st.sampled_from([0.5, 1, 2, 3]))
        higher = draw(st.booleans())
        bounds = ",0,20" if kind == "number" else ",,"
        rows.append(f"I{j},{delindex},A,I{j},Källa{j % 3},{kind},{higher},{weight}{bounds}")
        for code in municipalities:
            # Missing values, but never all of them (an edition without values is refused).
            if draw(st.integers(0, 4)) == 0 and (j, code) != (0, municipalities[0]):
                continue
            value = draw(st.sampled_from(pool_of(kind)))
            n = draw(st.sampled_from(["", "", "8", "300"])) if kind == "percent" else ""
            values.append(f"{code},I{j},{value},{n}")
    group = ["A", "B"]
    # Sometimes a previous edition whose values stand in for one or two sources (§1b).
    previous = [
        f"{code},I{j},{draw(st.sampled_from(pool_of(kind)))},"
        + (draw(st.sampled_from(["", "20"])) if kind == "percent" else "")
        for j, kind in enumerate(kinds)
        for code in municipalities
        if draw(st.booleans()) or (j, code) == (0, municipalities[0])
    ]
    fallback = draw(st.sampled_from(["", '"Källa0"', '"Källa1", "Källa2"']))
    return {
        "municipalities": "kommunkod,kommun,lan,kommungrupp\n"
        + "".join(f"{c},Kommun {c},Län,{group[i % 2]}\n" for i, c in enumerate(municipalities)),
        "indicators": "id,delindex,area,name,source,kind,higher_is_better,weight,min,max\n"
        + "\n".join(rows) + "\n",
        "values": "kommunkod,indicator,value,n\n" + "\n".join(values) + "\n",
        "weights": draw(st.sampled_from(["1,1", "1,2", "3,1"])),
        "previous": "kommunkod,indicator,value,n\n" + "\n".join(previous) + "\n",
        "fallback": fallback if len(kinds) > 2 or fallback != '"Källa1", "Källa2"' else "",
    }  # fmt: skip


POOLS: dict[str, list[float]] = {
    "binary": [0, 1],
    "percent": [0, 40, 70, 70.5, 100],
    "number": [-3, 0, 5, 5, 25],
}


def pool_of(kind: str) -> list[float]:
    return POOLS[kind]


def write_spec(folder: Path, spec: dict[str, str]) -> Path:
    """Write the edition of a spec, with its previous edition and fallback when it has one."""
    w1, w2 = (float(w) for w in spec["weights"].split(","))
    extra = ""
    if spec.get("fallback"):
        write_edition(
            folder / "prev", municipalities=spec["municipalities"],
            indicators=spec["indicators"], values=spec["previous"], weights=(w1, w2),
        )  # fmt: skip
        extra = f'previous = "../prev"\n[fallback]\nsources = [{spec["fallback"]}]\n'
    return write_edition(
        folder / "ed", municipalities=spec["municipalities"], indicators=spec["indicators"],
        values=spec["values"], weights=(w1, w2), extra_toml=extra,
    )  # fmt: skip


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(editions())
def test_engine_matches_literal_reading_of_method(spec: dict[str, str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        edition = load_edition(write_spec(Path(tmp), spec))
        results = score_edition(edition)
    expected = reference(edition)
    for result in results.municipalities:
        ref = expected[result.kommunkod]
        assert result.total == pytest.approx(ref.total, abs=1e-9)
        assert (result.rank, result.group) == (ref.rank, ref.group)
        assert result.percentile == pytest.approx(ref.percentile)
        assert (result.total_low, result.total_high) == pytest.approx((ref.low, ref.high))
        assert [d.rank for d in result.delindex] == [ref.delindex_rank[k] for k in (1, 2)]
        assert {r.indicator.id: r.status for r in result.indicators} == ref.status
        for item in result.indicators:
            assert item.gain == pytest.approx(ref.gain[item.indicator.id], abs=1e-9)
            assert item.percentile == pytest.approx(ref.ind_percentile[item.indicator.id])
            assert item.share_below == pytest.approx(ref.ind_share_below[item.indicator.id])
        assert [f.result.indicator.id for f in result.forbattra] == ref.forbattra
        assert [b.indicator.id for b in result.bibehall] == ref.bibehall


# --------------------------------------------------------------------------- invariants


@settings(max_examples=60, deadline=None)
@given(editions())
def test_percentiles_are_within_0_and_100(spec: dict[str, str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        results = score(
            write_edition(Path(tmp) / "e", municipalities=spec["municipalities"],
                          indicators=spec["indicators"], values=spec["values"])
        )  # fmt: skip
    for result in results.municipalities:
        assert 0 <= result.percentile <= 100
        for item in result.indicators:
            assert item.percentile is None or 0 < item.percentile <= 100
            assert 0 <= item.score <= 100


@settings(max_examples=60, deadline=None)
@given(editions(), st.data())
def test_raising_one_value_never_lowers_the_total(
    spec: dict[str, str], data: st.DataObject
) -> None:
    lines = spec["values"].strip().split("\n")
    if len(lines) < 2:
        return
    index = data.draw(st.integers(1, len(lines) - 1))
    code, ident, _, n = lines[index].split(",")
    kind = next(
        r.split(",")[5] for r in spec["indicators"].split("\n")[1:] if r.startswith(f"{ident},")
    )
    higher = next(
        r.split(",")[6] for r in spec["indicators"].split("\n")[1:] if r.startswith(f"{ident},")
    )
    better = {"binary": 1, "percent": 100, "number": 20}[kind] if higher == "True" else 0
    improved = lines.copy()
    improved[index] = f"{code},{ident},{better},{n}"
    with tempfile.TemporaryDirectory() as tmp:
        municipalities, indicators = spec["municipalities"], spec["indicators"]
        before_folder = write_edition(
            Path(tmp) / "a",
            municipalities=municipalities,
            indicators=indicators,
            values=spec["values"],
        )
        after_folder = write_edition(
            Path(tmp) / "b",
            municipalities=municipalities,
            indicators=indicators,
            values="\n".join(improved) + "\n",
        )
        before, after = score(before_folder), score(after_folder)
    assert after.result_for(code).total >= before.result_for(code).total - 1e-9


def test_a_municipality_with_all_best_values_ranks_first(tmp_path: Path) -> None:
    best = "kommunkod,indicator,value,n\n0120,WEB,1,\n0120,NOJD,100,\n0120,VANTE,0,\n0120,FEL,0,\n"
    values = best + "".join(
        f"{c},WEB,1,\n{c},NOJD,{v},\n{c},VANTE,{w},\n{c},FEL,{f},\n"
        for c, v, w, f in (("0114", 99, 1, 3), ("0115", 50, 10, 50), ("0117", 100, 0, 1))
    )
    results = score(write_edition(tmp_path / "ed", values=values))
    assert results.result_for("0120").rank == 1


def test_edition_without_any_values_scores_everyone_zero(tmp_path: Path) -> None:
    # load_edition refuses such an edition (issue 17); the engine still scores it evenly.
    edition = replace(load_edition(write_edition(tmp_path / "ed")), values=())
    results = score_edition(edition)
    assert {r.total for r in results.municipalities} == {0.0}
    assert {r.rank for r in results.municipalities} == {1}  # one four-way tie
    # All gains are 0, so Förbättra falls back to the larger effective weight, then id.
    assert [f.result.indicator.id for f in results.municipalities[0].forbattra] == [
        "VANTE", "NOJD", "WEB",
    ]  # fmt: skip
