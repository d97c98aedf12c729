"""Rule-based sentences, checked on the hand-computed four-municipality edition."""

from __future__ import annotations

from pathlib import Path

import pytest

from rapportpaket.documents import narrative
from rapportpaket.edition.load import load_edition
from rapportpaket.scoring.results import EditionResults
from rapportpaket.scoring.score import score_edition

from editions import INDICATORS, write_edition


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
        "Upplands Väsby ligger över rikets median i båda delindexen."
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


# --------------------------------------------------------------------------- honest wording


def test_strongest_and_weakest_by_value_not_by_rank(tiny: EditionResults) -> None:
    # Vallentuna: D1 40 (rank 3), D2 60 (rank 2): the stronger is D2 by value.
    assert narrative.extremes_sentence(tiny, tiny.result_for("0115")) == (
        "Starkast är Utförande (60,0) och svagast Information (40,0)."
    )


def test_no_strongest_when_every_delindex_is_below_the_median(tiny: EditionResults) -> None:
    varmdo = tiny.result_for("0120")  # 0 and 0, below both medians
    assert narrative.extremes_sentence(tiny, varmdo) == ""
    assert "Starkast" not in narrative.summary_paragraph(tiny, varmdo)
    assert narrative.delindex_sentence(tiny, varmdo) == (
        "Värmdö ligger under rikets median i båda delindexen."
    )


def test_a_total_without_a_whole_source_carries_the_caution(tiny: EditionResults) -> None:
    assert narrative.caution_sentence(tiny.result_for("0120")) == (
        "Totalindex är beräknat utan uppgifter från Brukarundersökningen och Kolada och ska "
        "därför analyseras med försiktighet."
    )
    assert narrative.caution_sentence(tiny.result_for("0114")) == ""


def test_no_zero_width_interval(tiny: EditionResults) -> None:
    # The tiny edition has no n: every total is certain, and is said to be.
    assert narrative.interval_text(tiny.result_for("0114"), 0.95) == (
        "utan statistisk osäkerhet (inga enkätsvar)"
    )


def test_interval_with_survey_uncertainty(tmp_path: Path) -> None:
    values = "kommunkod,indicator,value,n\n0114,NOJD,90,40\n0115,NOJD,60,50\n"
    results = score_edition(load_edition(write_edition(tmp_path / "e", values=values)))
    assert narrative.interval_text(results.result_for("0114"), 0.95).startswith(
        "95\u00a0%-intervall "
    )


def test_catalogue_changes_are_said_with_the_trend(tmp_path: Path) -> None:
    before = INDICATORS.replace("FEL,2,Väntan,Andel fel (%)", "GAMMAL,2,Väntan,Gammal (%)")
    before = before.replace("WEB,1,", "WEBB,1,")
    write_edition(
        tmp_path / "2023", indicators=before, values="kommunkod,indicator,value\n0114,NOJD,50\n"
    )
    results = score_edition(
        load_edition(write_edition(tmp_path / "2024", extra_toml='previous = "../2023"'))
    )
    sentence = narrative.change_sentence(results, results.result_for("0114"))
    assert sentence.endswith(
        "Sedan 2024 har två indikatorer tillkommit och två tagits bort, så förändringen är "
        "inte fullt ut jämförbar."
    )


def test_values_from_last_year_are_marked_with_their_year(tmp_path: Path) -> None:
    write_edition(tmp_path / "2023", values="kommunkod,indicator,value,n\n0115,VANTE,5,\n")
    extra = 'previous = "../2023"\n[fallback]\nsources = ["Kolada"]\n'
    folder = write_edition(
        tmp_path / "2024", values="kommunkod,indicator,value,n\n", extra_toml=extra
    )
    results = score_edition(load_edition(folder))
    vallentuna = results.result_for("0115")
    item = next(i for i in vallentuna.indicators if i.indicator.id == "VANTE")
    assert narrative.value_text(item, 2023) == "5,0 (2023)"
    (note,) = narrative.data_notes(results, vallentuna)
    assert note == (
        "Uppgift för 2024 saknas för 1 värde från Kolada: där används värdet från 2024, "
        "markerat (2024)."
    )


def test_missing_items_become_advice_to_take_part(tiny: EditionResults) -> None:
    varmdo = tiny.result_for("0120")
    lines = narrative.recommendation_lines(tiny, [r.result for r in varmdo.forbattra])
    assert ("Delta i Socialstyrelsens brukarundersökning", "uppgift saknas: Nöjda brukare") in (
        lines
    )
    assert all("(uppgift saknas)" not in text for text, _ in lines)


def test_text_about_the_index_names_this_editions_sources(tiny: EditionResults) -> None:
    about = narrative.about_sentence(tiny)
    assert "4 indikatorer från Kommunernas webbplatser, Brukarundersökningen och Kolada" in about
    assert "två delindex" in about
