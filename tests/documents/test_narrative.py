"""Rule-based sentences, checked on the hand-computed four-municipality edition."""

from __future__ import annotations

from pathlib import Path

import pytest

from rapportpaket.documents import narrative
from rapportpaket.edition.load import load_edition
from rapportpaket.scoring.results import EditionResults
from rapportpaket.scoring.score import score_edition

from editions import write_edition


@pytest.fixture
def tiny(tmp_path: Path) -> EditionResults:
    return score_edition(load_edition(write_edition(tmp_path / "ed")))


def test_position_and_delindex_sentences(tiny: EditionResults) -> None:
    vaxby = tiny.result_for("0114")
    assert narrative.position_sentence(tiny, vaxby) == (
        "Upplands Väsby får totalindex 87,5 av 100 och hamnar på plats 1 av 4, "
        "i resultatgruppen högt resultat."
    )
    # D1 medians: (40 + 85)/2 = 62,5; D2: (0 + 60)/2 = 30. Väsby is above both.
    assert narrative.delindex_sentence(tiny, vaxby) == (
        "Upplands Väsby ligger över rikets median i alla två delindex."
    )
    osteraker = tiny.result_for("0117")
    assert narrative.delindex_sentence(tiny, osteraker) == (
        "Österåker ligger över rikets median i ett av två delindex (Information)."
    )


def test_no_previous_edition_is_said_plainly(tiny: EditionResults) -> None:
    assert narrative.change_sentence(tiny, tiny.result_for("0114")) == (
        "Det finns ingen tidigare utgåva att jämföra med."
    )


def test_change_sentence_with_previous(tmp_path: Path) -> None:
    write_edition(tmp_path / "2023", values="kommunkod,indicator,value\n0115,WEB,1\n")
    results = score_edition(
        load_edition(write_edition(tmp_path / "2024", extra_toml='previous = "../2023"'))
    )
    assert narrative.change_sentence(results, results.result_for("0114")) == (
        "Jämfört med 2024 har totalindex ökat med 87,5 poäng, "
        "och kommunen har klättrat 1 placering."
    )


def test_coverage_warns_that_missing_data_lowers_the_index(tiny: EditionResults) -> None:
    sentence = narrative.coverage_sentence(tiny.result_for("0120"))
    assert sentence.startswith("Uppgifter saknas för 3 av 4 indikatorer.")
    assert "ger 0 poäng och sänker indexet" in sentence
    assert narrative.coverage_sentence(tiny.result_for("0114")) == (
        "Kommunen har uppgifter för samtliga indikatorer."
    )
