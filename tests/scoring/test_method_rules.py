"""One test per rule of method.md §1b, §5 (yes/no items), §7 (withheld n) and §8, by hand.

The fixture edition (tests/editions.py): WEB yes/no (Kommunernas webbplatser), NOJD survey
percent (Brukarundersökningen), VANTE number 0–20 lower better and FEL percent lower
better (both Kolada); two delindex of weight 1, so c_WEB = c_NOJD = 0.25.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from rapportpaket.edition.load import load_edition
from rapportpaket.errors import EditionError
from rapportpaket.scoring.results import EditionResults, IndicatorResult
from rapportpaket.scoring.score import score_edition

from editions import INDICATORS, PROJECT, write_edition
from reference_method import reference

HEADER = "kommunkod,indicator,value,n\n"


def scored(folder: Path) -> EditionResults:
    return score_edition(load_edition(folder))


def item(results: EditionResults, kommunkod: str, indicator: str) -> IndicatorResult:
    return next(r for r in results.result_for(kommunkod).indicators if r.indicator.id == indicator)


# --------------------------------------------------------------------------- §5 yes/no


def test_lacking_what_most_others_lack_is_an_improvement_area_without_gain(tmp_path: Path) -> None:
    values = HEADER + "0114,WEB,1,\n0115,WEB,0,\n0117,WEB,0,\n0120,WEB,0,\n"
    results = scored(write_edition(tmp_path / "e", values=values))
    lacking = item(results, "0115", "WEB")
    # P(0) = 100·(0 + 0.5·3)/4 = 37.5 > 25: the percentile rule alone would say neutral.
    assert lacking.percentile == 37.5
    assert lacking.status == "improvement" and lacking.gain == 0.0
    # Having what only a quarter has: P = 87.5 ≥ 75, a strength.
    assert item(results, "0114", "WEB").status == "strength"


def test_lacking_what_most_others_have_is_an_improvement_area_with_gain(tmp_path: Path) -> None:
    values = HEADER + "0114,WEB,1,\n0115,WEB,1,\n0117,WEB,1,\n0120,WEB,0,\n"
    results = scored(write_edition(tmp_path / "e", values=values))
    lacking = item(results, "0120", "WEB")
    # P(0) = 12.5 ≤ 25; Q3 of (0, 100, 100, 100) is 100; c_WEB = 0.25 → gain 25.
    assert lacking.percentile == 12.5
    assert lacking.status == "improvement" and lacking.gain == pytest.approx(25.0)
    # Having what everyone has is neither (P = 62.5).
    assert item(results, "0114", "WEB").status == "neutral"


def test_a_lower_is_better_yes_no_item_at_score_0_is_an_improvement_area(tmp_path: Path) -> None:
    indicators = INDICATORS.replace(
        "WEB,1,Webb,Information på webben,Kommunernas webbplatser,binary,true",
        "WEB,1,Webb,Klagomål obesvarade,Kommunernas webbplatser,binary,false",
    )
    values = HEADER + "0114,WEB,1,\n0115,WEB,0,\n0117,WEB,0,\n0120,WEB,0,\n"
    results = scored(write_edition(tmp_path / "e", indicators=indicators, values=values))
    bad = item(results, "0114", "WEB")  # the only one with the bad thing: score 0
    assert (bad.score, bad.percentile, bad.status) == (0.0, 12.5, "improvement")
    assert bad.gain == pytest.approx(25.0)  # Q3 of (0, 100, 100, 100) = 100, c = 0.25
    assert item(results, "0115", "WEB").status == "neutral"  # P = 62.5


# --------------------------------------------------------------------------- §1b fallback

FALLBACK = 'previous = "../2023"\n[fallback]\nsources = ["Kolada"]\n'


def two_years(tmp_path: Path, now: str, before: str, extra: str = FALLBACK) -> Path:
    write_edition(tmp_path / "2023", values=HEADER + before)
    return write_edition(tmp_path / "2024", values=HEADER + now, extra_toml=extra)


def test_last_years_value_stands_in_for_a_fallback_source(tmp_path: Path) -> None:
    now = "0114,VANTE,10,\n0115,VANTE,,\n0114,NOJD,90,100\n"
    before = "0115,VANTE,5,\n0117,VANTE,20,\n0115,NOJD,50,40\n0114,VANTE,0,\n"
    results = scored(two_years(tmp_path, now, before))
    stand_in = item(results, "0115", "VANTE")  # empty value this year: last year's 5
    assert stand_in.value == 5 and stand_in.from_previous and not stand_in.missing
    assert stand_in.score == 75.0 and stand_in.percentile is not None
    assert item(results, "0117", "VANTE").value == 20  # no row this year
    assert item(results, "0114", "VANTE").value == 10  # this year's value wins
    assert not item(results, "0114", "VANTE").from_previous
    # Brukarundersökningen is not a fallback source: last year's 50 does not stand in.
    assert item(results, "0115", "NOJD").missing
    # Stand-ins count in the national figures and in coverage.
    stats = results.stats_for("VANTE")
    assert stats.with_data == 3 and stats.median_value == 10
    kolada = next(c for c in results.result_for("0117").coverage if c.source == "Kolada")
    assert kolada.with_data == 1


def test_a_stand_in_is_never_chained_over_two_years(tmp_path: Path) -> None:
    write_edition(tmp_path / "2022", values=HEADER + "0120,VANTE,4,\n")
    extra_2023 = 'previous = "../2022"\n[fallback]\nsources = ["Kolada"]\n'
    write_edition(tmp_path / "2023", values=HEADER + "0114,VANTE,1,\n", extra_toml=extra_2023)
    folder = write_edition(tmp_path / "2024", values=HEADER, extra_toml=FALLBACK)
    edition = load_edition(folder)
    results = score_edition(edition)
    assert item(results, "0114", "VANTE").value == 1
    assert item(results, "0120", "VANTE").missing  # 2022's value stood in for 2023 only
    # The previous edition is scored with its own fallback (§8): 2022's value counts there.
    assert edition.previous is not None
    stood_in = [v for v in edition.previous.values if v.from_previous]
    assert [(v.kommunkod, v.indicator, v.value) for v in stood_in] == [("0120", "VANTE", 4)]


def test_fallback_scores_with_this_editions_catalogue(tmp_path: Path) -> None:
    # Last year VANTE ran 0–40; this year's bounds (0–20) score last year's 10 as 50.
    write_edition(
        tmp_path / "2023",
        indicators=INDICATORS.replace("number,false,2,0,20", "number,false,2,0,40"),
        values=HEADER + "0115,VANTE,10,\n",
    )
    folder = write_edition(tmp_path / "2024", values=HEADER, extra_toml=FALLBACK)
    assert item(scored(folder), "0115", "VANTE").score == 50.0


def test_a_fallback_source_no_indicator_has_is_an_error(tmp_path: Path) -> None:
    write_edition(tmp_path / "2023")
    extra = 'previous = "../2023"\n[fallback]\nsources = ["Kolda", "Senior Alert"]\n'
    folder = write_edition(tmp_path / "2024", extra_toml=extra)
    with pytest.raises(EditionError) as caught:
        load_edition(folder)
    toml = f"{folder}/edition.toml"
    assert [str(p) for p in caught.value.problems] == [
        f"{toml}:7: fallback.sources: 'Kolda' is the source of no indicator (did you mean "
        "'Kolada'? sources: Kommunernas webbplatser, Brukarundersökningen, Kolada)",
        f"{toml}:7: fallback.sources: 'Senior Alert' is the source of no indicator (sources: "
        "Kommunernas webbplatser, Brukarundersökningen, Kolada)",
    ]


def test_fallback_without_a_previous_edition_is_an_error(tmp_path: Path) -> None:
    folder = write_edition(tmp_path / "e", extra_toml='[fallback]\nsources = ["Kolada"]\n')
    with pytest.raises(EditionError) as caught:
        load_edition(folder)
    assert [str(p) for p in caught.value.problems] == [
        f"{folder}/edition.toml:6: fallback.sources: needs `previous`: last year's values "
        "stand in from the previous edition"
    ]


# --------------------------------------------------------------------------- §7 withheld n


def test_a_survey_value_without_n_takes_the_smallest_n(tmp_path: Path) -> None:
    values = HEADER + "0114,NOJD,90,300\n0115,NOJD,50,8\n0117,NOJD,20,\n0120,NOJD,95,400\n"
    results = scored(write_edition(tmp_path / "e", values=values))
    withheld = item(results, "0117", "NOJD")
    assert withheld.n is None and withheld.n_assumed
    reference = scored(
        write_edition(tmp_path / "r", values=values.replace("0117,NOJD,20,", "0117,NOJD,20,8"))
    )
    same = item(reference, "0117", "NOJD")
    assert withheld.interval == same.interval and withheld.interval is not None
    assert withheld.interval[1] - withheld.interval[0] > 30  # wide: 8 answers
    total, with_n = results.result_for("0117"), reference.result_for("0117")
    assert (total.total_low, total.total_high) == (with_n.total_low, with_n.total_high)
    assert total.total_low < total.total  # no longer certain only because n was withheld


def test_a_percent_indicator_without_any_n_is_not_a_survey(tmp_path: Path) -> None:
    values = HEADER + "0114,FEL,10,\n0115,FEL,20,\n"
    results = scored(write_edition(tmp_path / "e", values=values))
    assert item(results, "0114", "FEL").interval is None
    assert not item(results, "0114", "FEL").n_assumed


# --------------------------------------------------------------------------- §8 catalogue


def test_catalogue_change_names_added_and_removed_indicators(tmp_path: Path) -> None:
    before = INDICATORS.replace("FEL,2,Väntan,Andel fel (%)", "GAMMAL,2,Väntan,Gammal (%)")
    write_edition(tmp_path / "2023", indicators=before, values=HEADER + "0114,WEB,1,\n")
    folder = write_edition(tmp_path / "2024", extra_toml='previous = "../2023"')
    change = load_edition(folder).catalogue_change
    assert change is not None
    assert (change.added, change.removed) == (("FEL",), ("GAMMAL",))
    write_edition(tmp_path / "same")
    unchanged = write_edition(tmp_path / "next", extra_toml='previous = "../same"')
    assert load_edition(unchanged).catalogue_change is None


# --------------------------------------------------------------------------- real data


@pytest.mark.parametrize("year", ["2023", "2024"])
def test_bundled_editions_match_the_literal_reading_of_the_method(year: str) -> None:
    """Real Kolada values: withheld n (2023: Skinnskatteberg, Åsele), fallback (2024)."""
    edition = load_edition(PROJECT / "reports" / year)
    results = score_edition(edition)
    expected = reference(edition)
    if year == "2023":
        asele = results.result_for("2463")
        assert any(i.n_assumed for i in asele.indicators)
    else:
        assert any(i.from_previous for r in results.municipalities for i in r.indicators)
    for result in results.municipalities:
        ref = expected[result.kommunkod]
        assert result.total == pytest.approx(ref.total, abs=1e-9)
        assert (result.rank, result.group) == (ref.rank, ref.group)
        assert (result.total_low, result.total_high) == pytest.approx((ref.low, ref.high))
        assert {r.indicator.id: r.status for r in result.indicators} == ref.status
        for item in result.indicators:
            assert item.gain == pytest.approx(ref.gain[item.indicator.id], abs=1e-9)
        assert [f.result.indicator.id for f in result.forbattra] == ref.forbattra
        assert [b.indicator.id for b in result.bibehall] == ref.bibehall
