"""National figures: numpy's linear quantiles of the totals and delindex, group counts."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

from rapportpaket.edition.load import load_edition
from rapportpaket.scoring.national import spread_of
from rapportpaket.scoring.results import GROUPS, EditionResults, Spread
from rapportpaket.scoring.score import score_edition

from editions import BUNDLED, write_edition


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> EditionResults:
    return score_edition(load_edition(write_edition(tmp_path_factory.mktemp("nat") / "ed")))


@pytest.fixture(scope="module")
def bundled() -> EditionResults:
    return score_edition(load_edition(BUNDLED))


def numpy_spread(values: tuple[float, ...]) -> Spread:
    q1, median, q3 = np.percentile(np.array(values), [25, 50, 75])
    return Spread(float(median), float(q1), float(q3), min(values), max(values))


def test_spread_of_by_hand() -> None:
    assert spread_of([4.0, 1.0, 3.0, 2.0]) == Spread(2.5, 1.75, 3.25, 1.0, 4.0)
    assert spread_of(np.array([7.0])) == Spread(7.0, 7.0, 7.0, 7.0, 7.0)


def test_tiny_national_figures_by_hand(tiny: EditionResults) -> None:
    # Totals 87.5, 50, 42.5, 0; D1 95, 40, 85, 0; D2 80, 60, 0, 0.
    assert tiny.national.total == Spread(46.25, 31.875, 59.375, 0.0, 87.5)
    assert tiny.national.delindex_spread(1) == Spread(62.5, 30.0, 87.5, 0.0, 95.0)
    assert tiny.national.delindex_spread(2) == Spread(30.0, 0.0, 65.0, 0.0, 80.0)
    assert [ident for ident, _ in tiny.national.delindex] == [1, 2]


@pytest.mark.parametrize("which", ["tiny", "bundled"])
def test_national_figures_are_numpy_percentiles(which: str, request: pytest.FixtureRequest) -> None:
    results: EditionResults = request.getfixturevalue(which)
    assert results.national.total == numpy_spread(results.totals())
    for spec in results.edition.delindex:
        expected = numpy_spread(results.delindex_values(spec.id))
        assert results.national.delindex_spread(spec.id) == expected
    cut_points = np.percentile(np.array(results.totals()), [20, 40, 60, 80])
    assert results.national.cut_points == pytest.approx(tuple(cut_points))


@pytest.mark.parametrize("which", ["tiny", "bundled"])
def test_group_counts_cover_every_municipality(which: str, request: pytest.FixtureRequest) -> None:
    results: EditionResults = request.getfixturevalue(which)
    counts = results.national.group_counts
    assert [group for group, _ in counts] == list(GROUPS)
    assert sum(count for _, count in counts) == results.count
    assert dict(counts) == {g: Counter(r.group for r in results.municipalities)[g] for g in GROUPS}


def test_tiny_group_counts(tiny: EditionResults) -> None:
    assert tiny.national.group_count("Medel") == 0
    assert tiny.national.group_count("Högt resultat") == 1


def test_count_below_and_projected_rank(tiny: EditionResults) -> None:
    # Totals 87.5, 50, 42.5, 0.
    assert tiny.count_below(50.0) == 2
    assert tiny.count_below(50.0 + 1e-12) == 2  # equal on 9 decimals
    assert tiny.count_below(50.001) == 3
    assert tiny.count_below(0.0) == 0
    assert tiny.projected_rank(100.0) == 1
    assert tiny.projected_rank(87.5) == 1  # a tie shares the rank
    assert tiny.projected_rank(87.5 - 1e-12) == 1
    assert tiny.projected_rank(60.0) == 2
    assert tiny.projected_rank(50.0) == 2
    assert tiny.projected_rank(49.0) == 3
    assert tiny.projected_rank(-1.0) == 5


def test_projected_rank_of_an_own_total_is_the_rank(bundled: EditionResults) -> None:
    for result in bundled.municipalities:
        assert bundled.projected_rank(result.total) == result.rank
        ties = sum(1 for t in bundled.totals() if round(t, 9) == round(result.total, 9))
        # Those ahead (rank − 1), those equal and those below are everybody.
        assert (result.rank - 1) + ties + bundled.count_below(result.total) == bundled.count


def test_share_having_only_for_yes_no_indicators(tiny: EditionResults) -> None:
    assert tiny.stats_for("WEB").share_having == 0.5  # 0114 and 0117 of four
    nojd = tiny.stats_for("NOJD")
    assert nojd.mean_value == 80.0 and nojd.share_having is None
    assert tiny.stats_for("VANTE").share_having is None
