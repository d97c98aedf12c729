"""Speaker notes: the rules that turn numbers into sentences a presenter can say."""

from __future__ import annotations

import re

import pytest

from rapportpaket.documents.deck import notes as notes
from rapportpaket.documents.deck.facts import Facts
from rapportpaket.edition.load import load_edition
from rapportpaket.scoring.results import EditionResults
from rapportpaket.scoring.score import score_edition

from editions import write_edition


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> EditionResults:
    return score_edition(load_edition(write_edition(tmp_path_factory.mktemp("tiny"))))


def facts(results: EditionResults, kommunkod: str) -> Facts:
    return Facts(results, results.result_for(kommunkod))


def all_notes(f: Facts) -> list[str]:
    parts = [d.spec.id for d in f.result.delindex]
    return [
        notes.title_note(f),
        notes.about_note(f),
        notes.summary_note(f),
        *(notes.distribution_note(f, k) for k in parts),
        *(notes.improvement_note(f, k, 0, []) for k in parts),
        *(notes.strength_note(f, k, 0, []) for k in parts),
        notes.conclusion_note(f),
        notes.examples_note(f),
        notes.closing_note(f),
    ]


def test_summary_note_for_the_first_and_the_last(tiny: EditionResults) -> None:
    first = notes.summary_note(facts(tiny, "0114"))
    assert first.startswith("Upplands Väsby får 87,5 i totalindex och hamnar på plats 1 av 4. ")
    assert "Alla andra kommuner har ett lägre totalindex." in first
    assert "Resultatgruppen är Högt resultat: resultatet hör tydligt till den bästa femtedelen" in (
        first
    )
    last = notes.summary_note(facts(tiny, "0120"))
    assert "plats 4 av 4. Ingen kommun har ett lägre totalindex." in last


def test_distribution_note_explains_the_chart(tiny: EditionResults) -> None:
    text = notes.distribution_note(facts(tiny, "0115"), 1)
    assert "Delindex Information bygger på 2 indikatorer." in text
    assert "Vallentuna är den markerade stapeln med 40,0, plats 3 av 4." in text
    assert "Den streckade linjen är rikets median, 62,5." in text
    assert "Vallentuna ligger 22,5 poäng under medianen" in text


def test_improvement_note_names_missing_sources_and_the_largest_gain(
    tiny: EditionResults,
) -> None:
    text = notes.improvement_note(facts(tiny, "0120"), 2, 0, [])
    assert "Inom Utförande har Värmdö 2 förbättringsområden" in text
    assert "2 av dem saknar uppgift, från Kolada; de räknas som 0 poäng" in text
    assert "Störst effekt har ”Väntetid (dagar)”" in text
    assert notes.improvement_note(facts(tiny, "0120"), 2, 1, []).startswith("Fortsättning")


def test_conclusion_note_adds_up_the_gains(tiny: EditionResults) -> None:
    f = facts(tiny, "0120")
    gains = sum(rec.gain for rec in f.result.forbattra)
    text = notes.conclusion_note(f)
    assert "Kommunen har i år inga tydliga styrkor" in text
    assert f"Tillsammans är det upp till {gains:.1f} poäng".replace(".", ",") in text
    assert re.search(r"hade räckt till ungefär plats [1-4]\.$", text)


def test_examples_note_names_whom_to_learn_from(tiny: EditionResults) -> None:
    text = notes.examples_note(facts(tiny, "0120"))
    assert "i första hand i samma kommungrupp (B)" in text
    assert "För ”Information på webben” kan Värmdö lära av Österåker och Upplands Väsby" in text


@pytest.mark.parametrize("kommunkod", ["0114", "0115", "0117", "0120"])
def test_notes_are_plain_swedish_without_colours(tiny: EditionResults, kommunkod: str) -> None:
    for text in all_notes(facts(tiny, kommunkod)):
        assert text.strip() and "  " not in text
        assert not re.search(r"\d\.\d", text), text  # decimal comma, never a point
        # Colours belong to the template; notes say "the highlighted bar".
        assert not re.search(r"orange|blå|grå|röd|grön", text, re.IGNORECASE), text
