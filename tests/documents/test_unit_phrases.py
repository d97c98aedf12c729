"""The wording rules added for the unit analysis (documents/phrases.py)."""

from __future__ import annotations

from rapportpaket.documents.phrases import (
    genitive,
    provider_text,
    providers_phrase,
    respondents_phrase,
    units_phrase,
)


def test_providers_are_counted_in_words_with_agreement() -> None:
    assert providers_phrase(4, 5) == "fyra kommunala och fem privata"
    assert providers_phrase(1, 1) == "en kommunal och en privat"
    assert providers_phrase(0, 2) == "två privata"
    assert providers_phrase(12, 0) == "12 kommunala"
    assert units_phrase(1) == "en hemtjänstenhet" and units_phrase(9) == "nio hemtjänstenheter"


def test_who_runs_a_unit() -> None:
    assert provider_text("kommunal", None) == "Kommunal"
    assert provider_text("privat", "Solgläntan Hemtjänst AB") == "Privat (Solgläntan Hemtjänst AB)"
    assert provider_text("privat", None) == "Privat"
    assert provider_text("kommunal", "Vård- och omsorgsförvaltningen") == "Kommunal"


def test_genitive_and_respondents() -> None:
    assert [genitive(n) for n in ("Växjö", "Borås", "Kramfors", "Nyköping")] == [
        "Växjös", "Borås", "Kramfors", "Nyköpings",
    ]  # fmt: skip
    assert respondents_phrase([59, 59]) == "59 svarande"
    assert respondents_phrase([59, 40, 52]) == "40–59 svarande"
