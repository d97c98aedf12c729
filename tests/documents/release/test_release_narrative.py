"""The release's sentences: each rule on lists built by hand, and on a scored edition."""

from __future__ import annotations

from pathlib import Path

import pytest

from rapportpaket.documents.release import narrative
from rapportpaket.edition.load import load_edition
from rapportpaket.edition.model import Municipality
from rapportpaket.scoring.lists import (
    Climber,
    MissingSources,
    NationalLists,
    Placing,
    SourceReach,
    TopList,
    national_lists,
)
from rapportpaket.scoring.score import score_edition
from rapportpaket.support.swedish import MINUS, NBSP

from editions import write_release_edition


def place(code: str) -> Municipality:
    return Municipality(code, f"Ort {code}", "Län")


def lists_with(
    *,
    coverage: tuple[SourceReach, ...] = (),
    missing: tuple[MissingSources, ...] = (),
    climbers: tuple[Climber, ...] = (),
    survey: tuple[str, ...] = ("Enkät",),
    previous_year: int | None = 2023,
) -> NationalLists:
    empty = TopList(None, ())
    return NationalLists(empty, (), climbers, coverage, missing, survey, previous_year)


def reach(source: str, change: int | None) -> SourceReach:
    return SourceReach(source, 10, 1.0, change)


@pytest.mark.parametrize(
    ("coverage", "expected"),
    [
        ((reach("A", 3), reach("B", -2), reach("C", 0)),
         f"Jämfört med 2023 har fler kommuner uppgifter från A (+3) och färre från B ({MINUS}2)."),
        ((reach("A", 3), reach("B", 1)),
         "Jämfört med 2023 har fler kommuner uppgifter från A (+3) och B (+1)."),
        ((reach("A", -1),), f"Jämfört med 2023 har färre kommuner uppgifter från A ({MINUS}1)."),
        ((reach("A", 0), reach("B", 0)),
         "Lika många kommuner som 2023 har uppgifter från varje datakälla."),
        ((reach("A", 0), reach("B", None)),
         "Lika många kommuner som 2023 har uppgifter från varje datakälla. "
         "B är en ny datakälla i år."),
        ((reach("A", None), reach("B", None)), "A och B är nya datakällor i år."),
    ],
)  # fmt: skip
def test_coverage_changes(coverage: tuple[SourceReach, ...], expected: str) -> None:
    assert narrative.coverage_sentence(lists_with(coverage=coverage)) == expected


def test_no_coverage_change_without_a_previous_edition() -> None:
    lists = lists_with(coverage=(reach("A", None),), previous_year=None)
    assert narrative.coverage_sentence(lists) == ""


def test_who_lacks_survey_data_and_where_they_rank() -> None:
    one = (MissingSources(place("0114"), 201, ("Enkät",)),)
    assert narrative.survey_sentence(lists_with(missing=one)) == (
        "En kommun (Ort 0114) saknar uppgifter från Enkät och hamnar på plats 201; "
        "dess totalindex ska analyseras med försiktighet."
    )
    several = (
        MissingSources(place("0114"), 250, ("Enkät", "Register")),
        MissingSources(place("0115"), 12, ("Register",)),  # not a survey
        MissingSources(place("0117"), 190, ("Enkät",)),
    )
    assert narrative.survey_sentence(lists_with(missing=several)) == (
        "Två kommuner (Ort 0114 och Ort 0117) saknar uppgifter från Enkät och hamnar på "
        "plats 190–250; deras totalindex ska analyseras med försiktighet."
    )
    assert narrative.survey_sentence(lists_with()) == "Alla kommuner har uppgifter från Enkät."
    assert narrative.survey_sentence(lists_with(survey=())) == ""


def test_the_largest_climber_or_that_nobody_rose() -> None:
    up = Climber(place("0114"), 80.0, 12.34, 40, 7)
    assert narrative.climbers_sentence(lists_with(climbers=(up,))) == (
        "Ort 0114 har ökat mest sedan 2023: totalindex +12,3 poäng, från plats 47 till plats 7."
    )
    down = Climber(place("0115"), 60.0, -0.6, 0, 20)
    assert narrative.climbers_sentence(lists_with(climbers=(down,))) == (
        "Ingen kommun har höjt sitt totalindex märkbart sedan 2023; störst förändring har "
        f"Ort 0115 ({MINUS}0,6 poäng)."
    )
    none = lists_with(previous_year=None)
    assert narrative.climbers_sentence(none) == "Det finns ingen tidigare utgåva att jämföra med."


def test_ties_at_the_last_rank_are_explained() -> None:
    placings = tuple(Placing(r, place(f"01{r:02d}"), 90.0 - r, None) for r in range(1, 11))
    shared = (*placings, Placing(10, place("0199"), 80.0, None))
    assert narrative.ties_note(TopList(None, placings), 10) == ""
    assert narrative.ties_note(TopList(None, shared), 10) == (
        "Ort 0110 och Ort 0199 delar plats 10, så listan har 11 kommuner: alla som delar en "
        "placering inom topp tio tas med."
    )


def test_brief_on_a_scored_edition(tmp_path: Path) -> None:
    results = score_edition(load_edition(write_release_edition(tmp_path)))
    brief = narrative.brief(results, national_lists(results))
    assert brief[0] == (
        """Totalindex varierar från 37,5 (Kommun "A" & <B>) till 97,0 """
        "(Kommun 0110), en skillnad på 59,5 poäng. Rikets median är 87,2."  # (86,5 + 88)/2
    )
    assert brief[2].startswith("En kommun (Kommun 0123) saknar uppgifter från Enkät")
    assert brief[3] == (
        "Kommun 0121 har ökat mest sedan 2023: totalindex +32,5 poäng, plats 13 som förra året."
    )
    assert brief[4] == "Lika många kommuner som 2023 har uppgifter från varje datakälla. " + (
        "Register är en ny datakälla i år."
    )
    assert brief[5].startswith("Sedan 2023 har en indikator tillkommit och en tagits bort")
    assert narrative.missing_sentence(results, national_lists(results)) == (
        f"En kommun (7{NBSP}%) saknar alla uppgifter från minst en datakälla. En indikator utan "
        "uppgift ger 0 poäng, så kommunens totalindex ska analyseras med försiktighet."
    )
