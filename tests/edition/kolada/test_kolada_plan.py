"""What an import changes per indicator, and which Kolada values cannot stand."""

from __future__ import annotations

from pathlib import Path

from rapportpaket.edition.kolada.client import KpiData
from rapportpaket.edition.kolada.plan import (
    NewValue,
    is_municipality,
    kolada_indicators,
    kpis_of,
    plan_import,
    select_totals,
)
from rapportpaket.edition.kolada.responses import KpiValue
from rapportpaket.edition.load import load_edition
from rapportpaket.edition.model import Edition

from editions import KOLADA_INDICATORS, write_edition


def kolada_edition(tmp_path: Path, indicators: str = KOLADA_INDICATORS) -> Edition:
    return load_edition(write_edition(tmp_path / "e", indicators=indicators), with_previous=False)


def test_the_kolada_indicators_and_their_kpis(tmp_path: Path) -> None:
    indicators = kolada_indicators(kolada_edition(tmp_path))
    assert [i.id for i in indicators] == ["NOJD", "VANTE"]
    assert kpis_of(indicators) == ("U21468", "U23592", "U21401")


def test_changes_are_counted_per_indicator(tmp_path: Path) -> None:
    edition = kolada_edition(tmp_path)  # NOJD 0114 90, 0115 80, 0117 70; VANTE 5, 10, 25
    totals = {
        "U21468": {"0000": 85.0, "0114": 90.0, "0115": 81.0, "0120": 60.0, "2584": 86.0},
        "U23592": {"0000": 81875.0, "0115": 197.0, "0120": 236.0},
        "U21401": {"0114": 5.0, "0115": 10.0, "0117": 25.0, "0001": 14.0},
    }
    plan, problems = plan_import(edition, totals, 2022)
    assert problems == []
    counts = {
        c.indicator.id: (
            c.added,
            c.changed,
            c.removed,
            c.unchanged,
            c.coverage_before,
            c.coverage_after,
        )
        for c in plan.changes
    }
    assert counts == {"NOJD": (1, 1, 1, 1, 3, 3), "VANTE": (0, 0, 0, 3, 3, 3)}
    assert plan.values[("0115", "NOJD")] == NewValue(81.0, 197)
    assert plan.values[("0120", "NOJD")] == NewValue(60.0, 236)
    assert plan.values[("0114", "NOJD")] == NewValue(90.0, None)
    assert ("0117", "NOJD") not in plan.values
    assert plan.unchanged == {
        ("0114", "NOJD"),
        ("0114", "VANTE"),
        ("0115", "VANTE"),
        ("0117", "VANTE"),
    }
    assert plan.not_in_edition == ("2584",)  # not 0000 (the country) or 0001 (a region)
    assert plan.indicator_ids == {"NOJD", "VANTE"} and plan.municipalities == 4


def test_a_new_n_alone_is_a_change(tmp_path: Path) -> None:
    edition = kolada_edition(tmp_path)
    totals = {
        "U21468": {"0114": 90.0, "0115": 80.0, "0117": 70.0},
        "U23592": {"0114": 283.0},
        "U21401": {"0114": 5.0, "0115": 10.0, "0117": 25.0},
    }
    plan, _ = plan_import(edition, totals, 2022)
    nojd = plan.changes[0]
    assert (nojd.added, nojd.changed, nojd.removed, nojd.unchanged) == (0, 1, 0, 2)


def test_values_that_cannot_stand_are_all_reported(tmp_path: Path) -> None:
    indicators = KOLADA_INDICATORS.replace("binary,true,1,,,,", "binary,true,1,,,N1,")
    edition = kolada_edition(tmp_path, indicators)
    totals = {
        "N1": {"0114": 1.0, "0115": 2.0},
        "U21468": {"0114": 101.0, "0115": 80.0, "0117": 70.0},
        "U23592": {"0115": 12.5, "0117": 0.0},
        "U21401": {"0114": 40.0},  # a number indicator's bounds clip, they do not refuse
    }
    _, problems = plan_import(edition, totals, 2022)
    assert problems == [
        "N1 (WEB) 0115: 2 must be 0 or 1 for a binary indicator",
        "U21468 (NOJD) 0114: 101 is outside 0–100 for a percent indicator",
        "U23592 (n of NOJD) 0115: 12.5 is not a whole number of respondents ≥ 1",
        "U23592 (n of NOJD) 0117: 0 is not a whole number of respondents ≥ 1",
    ]


def test_a_kpi_without_values_for_the_year_is_a_problem(tmp_path: Path) -> None:
    indicators = kolada_indicators(kolada_edition(tmp_path))
    data = {
        "U21468": KpiData("U21468", 2024, (KpiValue("U21468", "0114", 2023, "T", 80.0),), ()),
        "U23592": KpiData("U23592", 2024, (KpiValue("U23592", "0114", 2024, "T", None),), ()),
        "U21401": KpiData(
            "U21401",
            2024,
            (
                KpiValue("U21401", "0114", 2024, "T", 5.0),
                KpiValue("U21401", "0114", 2024, "T", 6.0),
            ),
            (),
        ),
    }
    totals, problems = select_totals(data, indicators, 2024)
    assert totals["U21468"] == {} and totals["U23592"] == {}
    assert problems == [
        "U21468 (NOJD): Kolada has no values for 2024 (an unknown KPI, or one not yet published "
        "for that year)",
        "U23592 (NOJD): Kolada has no values for 2024 (an unknown KPI, or one not yet published "
        "for that year)",
        "U21401 (VANTE): two totals for 0114 in 2024: 5 and 6",
    ]


def test_what_counts_as_a_municipality() -> None:
    codes = ("0114", "2584", "0000", "0001", "0025", "G123", "114")
    assert [is_municipality(c) for c in codes] == [True, True, False, False, False, False, False]
