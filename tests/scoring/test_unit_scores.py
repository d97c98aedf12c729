"""Units scored by method.md §12: by hand on the fixture, against a literal reading on random
editions, and the rules one at a time (Wilson, yes/no at 0, no penalty for what is not
measured, comparison with the municipality)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rapportpaket.edition.load import load_edition
from rapportpaket.scoring.results import EditionResults, UnitResult, UnitResults
from rapportpaket.scoring.score import score_edition

from editions import UNIT_VALUES, UNITS, write_edition
from reference_units import reference_units


def scored(folder: Path) -> EditionResults:
    return score_edition(load_edition(folder))


def units_of(results: EditionResults) -> UnitResults:
    assert results.units is not None
    return results.units


def unit(results: EditionResults, enhet: str) -> UnitResult:
    return next(u for u in units_of(results).units if u.unit.enhet == enhet)


@pytest.fixture
def tiny(tmp_path: Path) -> EditionResults:
    return scored(write_edition(tmp_path / "ed", units=UNITS, unit_values=UNIT_VALUES))


def test_edition_without_units_has_no_unit_results(tmp_path: Path) -> None:
    assert scored(write_edition(tmp_path / "ed")).units is None


def test_percentiles_and_statuses_among_all_units_by_hand(tiny: EditionResults) -> None:
    # NOJD scores 95, 60, 80, 70, 85 (median 80): percentiles 90, 10, 50, 30, 70.
    nojd = {u: unit(tiny, u).indicators_in(1)[-1] for u in ("VB-1", "VB-2", "VT-1", "OS-1", "OS-2")}
    assert [r.percentile for r in nojd.values()] == [90, 10, 50, 30, 70]
    assert nojd["VB-1"].status == "strength"  # 400 answers: low ≈ 92,4 > 80
    # Five answers at 60 %: the interval 23,1–88,2 reaches above the median, so the unit is
    # not called a problem on the strength of them (§5's Wilson rule).
    assert nojd["VB-2"].status == "neutral"
    low, high = nojd["VB-2"].interval or (0.0, 0.0)
    assert (low, high) == pytest.approx((23.07, 88.24), abs=0.01)
    # FEL (lower is better, no n): scores 90 and 70 → percentiles 75 and 25.
    fel = unit(tiny, "OS-2").indicators_in(2)[0]
    assert (fel.score, fel.percentile, fel.status, fel.prioritised) == (70, 25, "improvement", True)
    assert unit(tiny, "VB-1").indicators_in(2)[0].status == "strength"


def test_a_yes_no_item_lacked_is_an_improvement_area_prioritised_only_by_percentile(
    tiny: EditionResults,
) -> None:
    # WEB: one unit of four has it (P 87,5), three lack it (P 37,5 > 25).
    has, lacks = unit(tiny, "VB-1").indicators[0], unit(tiny, "VT-1").indicators[0]
    assert (has.percentile, has.status) == (87.5, "strength")
    assert (lacks.percentile, lacks.status, lacks.prioritised) == (37.5, "improvement", False)


def test_units_are_not_penalised_for_what_is_not_measured(tiny: EditionResults) -> None:
    vb2 = unit(tiny, "VB-2")
    assert [r.indicator.id for r in vb2.indicators] == ["WEB", "NOJD"]  # no FEL row, no 0
    d1, d2 = vb2.delindex
    assert (d1.value, d1.indicators) == (30.0, 2)  # (0 + 60) / 2
    assert (d2.value, d2.indicators, d2.kommun_value) == (None, 0, None)
    assert units_of(tiny).stats_for("VANTE") is None  # no unit has it


def test_delindex_means_and_the_municipality_on_the_same_indicators(tiny: EditionResults) -> None:
    d1, d2 = unit(tiny, "VB-1").delindex
    # Upplands Väsby: WEB 100, NOJD 90, FEL 90 (10 %, lower is better).
    assert (d1.value, d1.indicators, d1.kommun_value) == (97.5, 2, 95.0)
    assert (d2.value, d2.indicators, d2.kommun_value) == (90.0, 1, 90.0)
    # Österåker has no FEL value: the unit's D2 has nothing to be compared with.
    assert unit(tiny, "OS-2").delindex[1].kommun_value is None
    assert units_of(tiny).delindex_medians == ((1, 40.0), (2, 80.0))


def test_vs_kommun_and_clearly_below(tiny: EditionResults) -> None:
    web, nojd = unit(tiny, "VB-2").indicators
    assert (web.vs_kommun, nojd.vs_kommun) == (-100.0, -30.0)
    # Even with five answers the whole interval (up to 88,2) lies below Upplands Väsby's 90.
    assert nojd.clearly_below_kommun and web.clearly_below_kommun
    vt1 = unit(tiny, "VT-1").indicators
    assert [r.vs_kommun for r in vt1] == [0.0, 0.0]
    assert not any(r.clearly_below_kommun for r in vt1)
    assert unit(tiny, "OS-2").indicators[1].vs_kommun is None  # Österåker lacks FEL


def test_few_answers_below_the_municipality_are_not_clearly_below(tmp_path: Path) -> None:
    values = UNIT_VALUES.replace("VT-1,NOJD,80,300", "VT-1,NOJD,70,8")
    results = scored(write_edition(tmp_path / "ed", units=UNITS, unit_values=values))
    nojd = unit(results, "VT-1").indicators[1]
    assert nojd.vs_kommun == -10.0  # Vallentuna 80
    assert not nojd.clearly_below_kommun  # 8 answers at 70 %: the interval reaches 92


def test_a_withheld_n_takes_the_smallest_n_of_the_units(tmp_path: Path) -> None:
    values = UNIT_VALUES.replace("OS-1,NOJD,70,300", "OS-1,NOJD,70,")
    results = scored(write_edition(tmp_path / "ed", units=UNITS, unit_values=values))
    os1 = unit(results, "OS-1").indicators[1]
    assert os1.n is None and os1.n_assumed
    assert os1.interval == unit(results, "OS-1").indicators[1].interval
    expected = scored(
        write_edition(
            tmp_path / "n2",
            units=UNITS,
            unit_values=values.replace("OS-1,NOJD,70,", "OS-1,NOJD,70,2"),
        )
    )
    assert os1.interval == pytest.approx(unit(expected, "OS-1").indicators[1].interval)


def test_ranked_within_the_municipality_and_provider_means(tiny: EditionResults) -> None:
    units = units_of(tiny)
    assert [u.unit.enhet for u in units.ranked("0114", 2)] == ["VB-1", "VB-2"]  # VB-2 has none
    assert [u.unit.enhet for u in units.ranked("0117", 1)] == ["OS-2", "OS-1"]  # 85 > 35
    kommunal, privat = units.provider_means("0117", 1)
    assert (kommunal.provider, kommunal.units, kommunal.value) == ("kommunal", 1, 35.0)
    assert (privat.provider, privat.units, privat.value) == ("privat", 1, 85.0)
    assert [m.provider for m in units.provider_means("0115", 1)] == ["kommunal"]
    assert units.of("0120") == ()


# --------------------------------------------------------------------------- against reference

CODES = ["0114", "0115", "0117", "0120"]
POOLS: dict[str, list[float]] = {
    "binary": [0, 1],
    "percent": [0, 40, 70, 70.5, 100],
    "number": [-3, 0, 5, 5, 25],
}


@st.composite
def editions_with_units(draw: st.DrawFn) -> dict[str, str]:
    """Draw a small edition with units: ties, yes/no items, withheld n, unmeasured items."""
    kinds = draw(st.lists(st.sampled_from(["binary", "percent", "number"]), min_size=2, max_size=6))
    rows, values = [], []
    for j, kind in enumerate(kinds):
        delindex = 1 if j == 0 else 2 if j == 1 else draw(st.sampled_from([1, 2]))
        weight = draw(st.sampled_from([0.5, 1, 2]))
        bounds = ",0,20" if kind == "number" else ",,"
        rows.append(f"I{j},{delindex},A,I{j},Källa,{kind},{draw(st.booleans())},{weight}{bounds}")
        values += [
            f"{code},I{j},{draw(st.sampled_from(POOLS[kind]))},"
            for code in CODES
            if draw(st.booleans()) or (j, code) == (0, CODES[0])  # an edition has some value
        ]
    count = draw(st.integers(1, 12))
    providers = st.sampled_from(["kommunal", "privat"])
    units = [
        f"U{u},{draw(st.sampled_from(CODES))},Enhet {u},{draw(providers)}," for u in range(count)
    ]
    unit_values = []
    for u in range(count):
        for j, kind in enumerate(kinds):
            if draw(st.integers(0, 2)) == 0:
                continue  # not measured for this unit
            n = draw(st.sampled_from(["", "3", "40", "400"])) if kind == "percent" else ""
            unit_values.append(f"U{u},I{j},{draw(st.sampled_from(POOLS[kind]))},{n}")
    return {
        "indicators": "id,delindex,area,name,source,kind,higher_is_better,weight,min,max\n"
        + "\n".join(rows) + "\n",
        "values": "kommunkod,indicator,value,n\n" + "\n".join(values) + "\n",
        "units": "enhet,kommunkod,name,provider,provider_name\n" + "\n".join(units) + "\n",
        "unit_values": "enhet,indicator,value,n\n" + "\n".join(unit_values) + "\n",
    }  # fmt: skip


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(editions_with_units())
def test_units_match_a_literal_reading_of_section_12(spec: dict[str, str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = write_edition(
            Path(tmp) / "ed", indicators=spec["indicators"], values=spec["values"],
            units=spec["units"], unit_values=spec["unit_values"],
        )  # fmt: skip
        edition = load_edition(folder)
    results = score_edition(edition)
    expected = reference_units(edition, results.z)
    for result in units_of(results).units:
        ref = expected[result.unit.enhet]
        assert [r.indicator.id for r in result.indicators] == list(ref.indicators)
        for item in result.indicators:
            want = ref.indicators[item.indicator.id]
            assert (item.status, item.prioritised, item.n_assumed) == (
                want.status, want.prioritised, want.n_assumed,
            )  # fmt: skip
            assert item.value == want.value
            assert item.score == pytest.approx(want.score, abs=1e-6)
            assert item.percentile == pytest.approx(want.percentile, abs=1e-6)
            assert (item.vs_kommun is None) == (want.vs_kommun is None)
            assert item.vs_kommun == pytest.approx(want.vs_kommun, abs=1e-6)
            assert item.interval == pytest.approx(want.interval, abs=1e-6)
        for part in result.delindex:
            value, count, kommun = ref.delindex[part.spec.id]
            assert part.indicators == count
            assert (part.value is None, part.kommun_value is None) == (
                value is None,
                kommun is None,
            )
            assert part.value == pytest.approx(value, abs=1e-6)
            assert part.kommun_value == pytest.approx(kommun, abs=1e-6)
