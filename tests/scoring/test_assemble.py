"""The results model built from the engine's arrays: missing values, intervals, trends."""

from __future__ import annotations

from pathlib import Path

import pytest

from rapportpaket.edition.load import load_edition
from rapportpaket.scoring.assemble import build_results
from rapportpaket.scoring.engine import score_arrays, z_value
from rapportpaket.scoring.results import EditionResults
from rapportpaket.scoring.score import score_edition

from editions import write_edition

# The fixture edition's year before: no Värmdö; Upplands Väsby lacked WEB, Vallentuna had it.
PREVIOUS_MUNICIPALITIES = """\
kommunkod,kommun,lan,kommungrupp
0114,Upplands Väsby,Stockholms län,A
0115,Vallentuna,Stockholms län,A
0117,Österåker,Stockholms län,B
"""
PREVIOUS_VALUES = """\
kommunkod,indicator,value,n
0114,WEB,0,
0114,NOJD,90,
0114,VANTE,5,
0114,FEL,10,
0115,WEB,1,
0115,NOJD,80,
0115,VANTE,10,
0115,FEL,20,
0117,WEB,1,
0117,NOJD,70,
0117,VANTE,25,
"""
WITH_N = """\
kommunkod,indicator,value,n
0114,WEB,1,
0114,NOJD,90,100
0114,VANTE,5,
0114,FEL,10,
0115,WEB,0,
0115,NOJD,80,
0115,VANTE,10,
"""


def unselected(folder: Path) -> EditionResults:
    edition = load_edition(folder)
    z = z_value(edition.groups.confidence)
    return build_results(edition, score_arrays(edition, z), z, None)


def test_build_results_leaves_the_selections_empty(tmp_path: Path) -> None:
    results = unselected(write_edition(tmp_path / "ed"))
    assert results.z == 1.96
    assert [r.kommunkod for r in results.municipalities] == ["0114", "0115", "0117", "0120"]
    assert all(r.forbattra == () and r.bibehall == () for r in results.municipalities)
    assert any(r.improvements for r in results.municipalities)  # there was something to pick
    assert all(r.total_change is None and r.rank_change is None for r in results.municipalities)


def test_missing_values_score_zero_without_a_percentile(tmp_path: Path) -> None:
    results = unselected(write_edition(tmp_path / "ed"))
    fel = results.result_for("0117").indicators[3]
    assert fel.indicator.id == "FEL"
    assert (fel.value, fel.n, fel.score, fel.percentile, fel.interval) == (
        None,
        None,
        0.0,
        None,
        None,
    )
    assert fel.missing and fel.status == "improvement"
    vante = results.result_for("0117").indicators[2]
    assert (vante.value, vante.score, vante.missing) == (25.0, 0.0, False)


def test_survey_values_with_respondents_get_a_wilson_interval(tmp_path: Path) -> None:
    results = unselected(write_edition(tmp_path / "ed", values=WITH_N))
    nojd = results.result_for("0114").indicators[1]
    assert nojd.n == 100
    assert nojd.interval is not None
    low, high = nojd.interval
    # Wilson, p = 0.9, n = 100, z = 1.96: (0.8256, 0.9448).
    assert (low, high) == pytest.approx((82.56, 94.48), abs=0.01)
    # No n: the indicator's smallest n (100) stands in for the withheld count (§7).
    withheld = results.result_for("0115").indicators[1]
    assert withheld.n is None and withheld.n_assumed and withheld.interval is not None
    assert results.result_for("0114").indicators[0].interval is None  # not a percentage
    # The total's interval widens by z · c_NOJD · se = 1.96 · 0.25 · 3.
    one = results.result_for("0114")
    assert (one.total_low, one.total_high) == pytest.approx((one.total - 1.47, one.total + 1.47))


def test_indicator_stats_in_catalogue_order(tmp_path: Path) -> None:
    results = unselected(write_edition(tmp_path / "ed"))
    stats = results.indicator_stats
    assert [s.indicator.id for s in stats] == ["WEB", "NOJD", "VANTE", "FEL"]
    assert [s.with_data for s in stats] == [4, 3, 3, 2]
    assert [s.effective_weight for s in stats] == pytest.approx([1 / 4, 1 / 4, 1 / 3, 1 / 6])
    assert stats[1].median_value == 80.0 and stats[1].q3_score == 85.0
    assert stats[2].median_value == 10.0 and stats[2].median_score == 50.0  # lower is better


def test_nobody_with_data_gives_none_not_nan(tmp_path: Path) -> None:
    values = "kommunkod,indicator,value\n0114,WEB,1\n0114,NOJD,90\n0115,VANTE,10\n"
    results = unselected(write_edition(tmp_path / "ed", values=values))
    fel = results.stats_for("FEL")
    assert (fel.with_data, fel.median_value, fel.median_score, fel.mean_value) == (
        0,
        None,
        None,
        None,
    )


@pytest.fixture(scope="module")
def trended(tmp_path_factory: pytest.TempPathFactory) -> EditionResults:
    root = tmp_path_factory.mktemp("trend")
    write_edition(root / "2023", municipalities=PREVIOUS_MUNICIPALITIES, values=PREVIOUS_VALUES)
    return score_edition(
        load_edition(write_edition(root / "2024", extra_toml='previous = "../2023"'))
    )


def test_changes_against_the_previous_edition(trended: EditionResults) -> None:
    # 2023 totals: Vallentuna 75 (1), Upplands Väsby 62.5 (2), Österåker 42.5 (3).
    vasby, vallentuna = trended.result_for("0114"), trended.result_for("0115")
    assert (vasby.total_change, vasby.rank_change) == (25.0, 1)
    assert (vallentuna.total_change, vallentuna.rank_change) == (-25.0, -1)
    osteraker = trended.result_for("0117")
    assert (osteraker.total_change, osteraker.rank_change) == (0.0, 0)
    assert [d.change for d in vasby.delindex] == [50.0, 0.0]
    assert [d.change for d in vallentuna.delindex] == [-50.0, 0.0]


def test_a_municipality_new_this_year_has_no_change(trended: EditionResults) -> None:
    varmdo = trended.result_for("0120")
    assert (varmdo.total_change, varmdo.rank_change) == (None, None)
    assert [d.change for d in varmdo.delindex] == [None, None]


def test_last_year_s_measured_value_travels_with_each_result(trended: EditionResults) -> None:
    vasby = {i.indicator.id: i.previous_value for i in trended.result_for("0114").indicators}
    assert vasby == {"WEB": 0.0, "NOJD": 90.0, "VANTE": 5.0, "FEL": 10.0}
    osteraker = {i.indicator.id: i.previous_value for i in trended.result_for("0117").indicators}
    assert osteraker["FEL"] is None  # no value last year
    assert all(i.previous_value is None for i in trended.result_for("0120").indicators)


def test_no_previous_edition_no_previous_values(tmp_path: Path) -> None:
    results = unselected(write_edition(tmp_path / "ed"))
    assert all(i.previous_value is None for r in results.municipalities for i in r.indicators)


def test_the_upper_quartile_in_each_indicator_s_own_unit(tmp_path: Path) -> None:
    results = unselected(write_edition(tmp_path / "ed"))
    # Q3 scores 100, 85, 62.5, 87.5; VANTE (0–20 days) and FEL are lower-is-better.
    assert [s.q3_value for s in results.indicator_stats] == [1.0, 85.0, 7.5, 12.5]
