"""What the slides say: values beside the national figure, key figures, changes in words."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from rapportpaket.documents.deck.facts import Facts, change_phrase, summary_lines
from rapportpaket.documents.deck.fit import Line
from rapportpaket.edition.load import load_edition
from rapportpaket.scoring.results import EditionResults
from rapportpaket.scoring.score import score_edition
from rapportpaket.support.swedish import MINUS, NBSP

from editions import DEFAULT_TOML, write_edition


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> EditionResults:
    return score_edition(load_edition(write_edition(tmp_path_factory.mktemp("facts") / "ed")))


def facts(results: EditionResults, kommunkod: str) -> Facts:
    return Facts(results, results.result_for(kommunkod))


def test_compared_per_kind(tiny: EditionResults) -> None:
    f = facts(tiny, "0117")
    web, nojd, vante, fel = f.result.indicators
    assert f.compared(web) == f"Ja (50{NBSP}% av kommunerna har Ja)"
    assert f.compared(nojd) == f"70{NBSP}% (rikets median 80{NBSP}%)"
    assert f.compared(vante) == "25,0 (rikets median 10,0)"
    assert f.compared(fel) == f"uppgift saknas (rikets median 15{NBSP}%)"
    vallentuna = facts(tiny, "0115")
    assert vallentuna.compared(vallentuna.result.indicators[0]) == (
        f"Nej (50{NBSP}% av kommunerna har Ja)"
    )


def test_compared_without_national_figures(tmp_path: Path) -> None:
    values = "kommunkod,indicator,value\n0114,NOJD,90\n0115,VANTE,10\n0117,FEL,20\n"
    results = score_edition(load_edition(write_edition(tmp_path / "ed", values=values)))
    f = facts(results, "0114")
    web, nojd, _, _ = f.result.indicators
    assert f.yes_share("WEB") is None
    assert f.compared(web) == "uppgift saknas"  # nobody has data: no share to quote
    assert f.compared(nojd) == f"90{NBSP}% (rikets median 90{NBSP}%)"


def test_yes_share_is_a_percentage(tiny: EditionResults) -> None:
    f = facts(tiny, "0114")
    assert f.yes_share("WEB") == 50.0
    assert f.yes_share("NOJD") is None


def test_summary_lines(tiny: EditionResults) -> None:
    assert summary_lines(facts(tiny, "0117")) == [
        Line("Totalindex: 42,5", bold=True),
        Line("Plats 3 av 4", 1),
        Line("Resultatgrupp: Under medel", 1),
        Line("Delindex", bold=True),
        Line("Högst: Information (85,0)", 1),
        Line("Lägst: Utförande (0,0)", 1),
    ]


def test_summary_lines_when_every_delindex_is_equal(tiny: EditionResults) -> None:
    lines = summary_lines(facts(tiny, "0120"))  # Värmdö: 0 and 0
    assert lines[-3:-1] == [Line("Delindex", bold=True), Line("Alla delindex: 0,0", 1)]
    # Värmdö lacks whole sources: the published caution closes the key figures.
    assert lines[-1].bold and lines[-1].text.endswith("ska därför analyseras med försiktighet.")


def test_summary_lines_mention_the_change_only_with_a_previous_edition(
    tiny: EditionResults, tmp_path: Path
) -> None:
    previous = DEFAULT_TOML.format(extra="", w1=1, w2=1).replace("year = 2024", "year = 2023")
    values = "kommunkod,indicator,value\n0117,WEB,1\n0117,NOJD,70\n"
    write_edition(tmp_path / "2023", toml=previous, values=values)
    folder = write_edition(tmp_path / "2024", extra_toml='previous = "../2023"')
    f = facts(score_edition(load_edition(folder)), "0117")
    assert f.previous_year == 2023
    # 2023: Österåker 42.5 as now, but first of four (the others had nothing); now third.
    assert Line("Sedan 2023: ±0,0 poäng, 2 placeringar nedåt", 1) in summary_lines(f)
    assert not any(line.text.startswith("Sedan") for line in summary_lines(facts(tiny, "0117")))


@pytest.mark.parametrize(
    ("total_change", "rank_change", "expected"),
    [
        (5.6, 43, "+5,6 poäng, 43 placeringar uppåt"),
        (-1.25, -1, f"{MINUS}1,2 poäng, 1 placering nedåt"),
        (0.3, 1, "+0,3 poäng, 1 placering uppåt"),
        (-0.04, 0, "±0,0 poäng, samma placering"),
        (2.0, None, "+2,0 poäng, samma placering"),
    ],
)
def test_change_phrase(
    tiny: EditionResults, total_change: float, rank_change: int | None, expected: str
) -> None:
    result = dataclasses.replace(
        tiny.result_for("0114"), total_change=total_change, rank_change=rank_change
    )
    assert change_phrase(result) == expected
