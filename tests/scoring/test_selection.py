"""Förbättra, Bibehåll and good examples: ordering, ties on 9 decimals, who may be an example."""

from __future__ import annotations

import pytest

from rapportpaket.edition.load import load_edition
from rapportpaket.edition.model import Indicator, Municipality
from rapportpaket.scoring.results import EditionResults, IndicatorResult, MunicipalityResult, Status
from rapportpaket.scoring.score import score_edition
from rapportpaket.scoring.selection import choose_bibehall, choose_forbattra

from editions import write_edition


def item(
    ident: str, status: Status, *, gain: float = 0.0, percentile: float = 50.0
) -> IndicatorResult:
    indicator = Indicator(ident, 1, "Area", ident, "Källa", "percent", True, 1.0)
    return IndicatorResult(indicator, 50.0, None, 50.0, percentile, status, gain)


def municipality(*items: IndicatorResult) -> MunicipalityResult:
    return MunicipalityResult(
        municipality=Municipality("0114", "Upplands Väsby", "Stockholms län", "A"),
        total=50.0, rank=1, percentile=50.0, total_low=50.0, total_high=50.0, group="Medel",
        delindex=(), indicators=items, forbattra=(), bibehall=(),
    )  # fmt: skip


def ids(items: tuple[IndicatorResult, ...]) -> list[str]:
    return [i.indicator.id for i in items]


def test_forbattra_largest_gain_first_then_weight_then_id() -> None:
    result = municipality(
        item("Z", "improvement", gain=2.0),
        item("X", "improvement", gain=5.0),
        item("S", "strength", gain=9.0),  # not an improvement area: never chosen
        item("W", "improvement", gain=2.0 + 1e-12),  # equal to Z on 9 decimals
        item("Y", "improvement", gain=2.0),
        item("N", "neutral", gain=8.0),
    )
    weights = {"X": 0.1, "Y": 0.3, "Z": 0.1, "W": 0.1, "S": 0.5, "N": 0.5}
    assert ids(choose_forbattra(result, weights, 10)) == ["X", "Y", "W", "Z"]
    assert ids(choose_forbattra(result, weights, 2)) == ["X", "Y"]


def test_forbattra_with_no_improvement_areas() -> None:
    result = municipality(item("A", "strength"), item("B", "neutral"))
    assert choose_forbattra(result, {"A": 1.0, "B": 1.0}, 3) == ()


def test_bibehall_largest_weight_first_then_percentile_then_id() -> None:
    result = municipality(
        item("S1", "strength", percentile=80.0),
        item("S4", "strength", percentile=95.0),
        item("S3", "strength", percentile=95.0),
        item("S2", "strength", percentile=76.0),
        item("I", "improvement", gain=10.0),
    )
    weights = {"S1": 0.3, "S2": 0.5, "S3": 0.3, "S4": 0.3, "I": 0.9}
    assert ids(choose_bibehall(result, weights, 10)) == ["S2", "S3", "S4", "S1"]
    assert ids(choose_bibehall(result, weights, 2)) == ["S2", "S3"]


# Eight municipalities in two kommungrupper; on A1 the tie 0105/0106 is broken by the
# total, which B1 makes higher for 0106.
MUNICIPALITIES = "kommunkod,kommun,lan,kommungrupp\n" + "".join(
    f"010{i},Kommun {i},Län,{'G1' if i <= 4 else 'G2'}\n" for i in range(1, 9)
)
INDICATORS = """\
id,delindex,area,name,source,kind,higher_is_better,weight,min,max
A1,1,Area,A1 (%),Källa,percent,true,1,,
B1,2,Area,B1 (%),Källa,percent,true,1,,
"""
A1 = {1: 10, 2: 50, 3: 10, 4: 30, 5: 90, 6: 90, 7: 5, 8: 70}
B1 = {1: 50, 2: 50, 3: 50, 4: 50, 5: 50, 6: 80, 7: 50, 8: 50}
VALUES = "kommunkod,indicator,value\n" + "".join(
    f"010{i},A1,{A1[i]}\n010{i},B1,{B1[i]}\n" for i in range(1, 9)
)


@pytest.fixture(scope="module")
def groups(tmp_path_factory: pytest.TempPathFactory) -> EditionResults:
    folder = tmp_path_factory.mktemp("sel") / "ed"
    write_edition(folder, municipalities=MUNICIPALITIES, indicators=INDICATORS, values=VALUES)
    return score_edition(load_edition(folder))


def examples(results: EditionResults, kommunkod: str) -> list[tuple[str, bool]]:
    result = results.result_for(kommunkod)
    (a1,) = [f for f in result.forbattra if f.result.indicator.id == "A1"]
    return [(e.municipality.kommunkod, e.same_group) for e in a1.examples]


def test_good_examples_same_kommungrupp_first_and_only_those_ahead(
    groups: EditionResults,
) -> None:
    # 0101 (G1, 10): ahead in G1 are 0102 (50) and 0104 (30); 0103 only ties at 10.
    assert examples(groups, "0101") == [("0102", True), ("0104", True), ("0106", False)]
    a1 = next(f for f in groups.result_for("0101").forbattra if f.result.indicator.id == "A1")
    assert [(e.value, e.score) for e in a1.examples] == [(50.0, 50.0), (30.0, 30.0), (90.0, 90.0)]


def test_good_examples_ties_on_the_indicator_go_to_the_higher_total(
    groups: EditionResults,
) -> None:
    # 0107 (G2, 5): three peers ahead fill the list; 0106 and 0105 both have 90.
    assert groups.result_for("0106").total > groups.result_for("0105").total
    assert examples(groups, "0107") == [("0106", True), ("0105", True), ("0108", True)]


def test_the_leader_has_no_improvement_area_to_learn(groups: EditionResults) -> None:
    assert [f.result.indicator.id for f in groups.result_for("0106").forbattra] == []
