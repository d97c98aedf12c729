"""The results model's own arithmetic: the simulator's projected total (method.md §11)."""

from __future__ import annotations

import pytest

from rapportpaket.edition.load import load_edition
from rapportpaket.scoring.results import EditionResults
from rapportpaket.scoring.score import score_edition

from editions import write_edition


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> EditionResults:
    return score_edition(load_edition(write_edition(tmp_path_factory.mktemp("r") / "ed")))


# By hand: c = 1/4, 1/4, 1/3, 1/6 (WEB, NOJD, VANTE, FEL); Q3 scores 100, 85, 62.5, 87.5;
# Vallentuna (0115) scores 0, 80, 50, 80 and has T = 50; Österåker (0117) T = 42.5 and no FEL.


def test_lift_is_the_weighted_distance_to_the_upper_quartile(tiny: EditionResults) -> None:
    vallentuna = tiny.result_for("0115").indicators
    assert [tiny.lift(i) for i in vallentuna] == pytest.approx([25.0, 1.25, 12.5 / 3, 1.25])
    # Already above the upper quartile: nothing to gain.
    assert tiny.lift(tiny.result_for("0114").indicators[1]) == 0.0


def test_projected_total_adds_the_chosen_lifts(tiny: EditionResults) -> None:
    assert tiny.projected_total("0115", []) == 50.0
    assert tiny.projected_total("0115", ["NOJD", "FEL"]) == pytest.approx(52.5)
    assert tiny.projected_total("0115", ["FEL", "NOJD", "NOSUCH"]) == pytest.approx(52.5)
    everything = tiny.projected_total("0115", ["WEB", "NOJD", "VANTE", "FEL"])
    assert everything == pytest.approx(50 + 25 + 1.25 + 12.5 / 3 + 1.25)
    # A missing value scores 0, so the lift is the whole upper quartile.
    assert tiny.projected_total("0117", ["FEL"]) == pytest.approx(42.5 + 87.5 / 6)
    assert tiny.projected_rank(tiny.projected_total("0117", ["FEL"])) == 2


def test_projected_total_sums_in_catalogue_order(tiny: EditionResults) -> None:
    # Whatever order the ids come in, the same additions in the same order: the tool's
    # script sums in catalogue order too and must get the very same double.
    ids = ["FEL", "VANTE", "NOJD", "WEB"]
    total = tiny.result_for("0115").total
    for item in tiny.result_for("0115").indicators:
        total += tiny.lift(item)
    assert tiny.projected_total("0115", ids) == total
