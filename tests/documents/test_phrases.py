"""The Swedish phrasing rules shared by the PDF, the deck, the mails and the tool."""

from __future__ import annotations

import pytest

from rapportpaket.documents import phrases
from rapportpaket.edition.model import SelectionSettings

DEFAULTS = SelectionSettings(75.0, 25.0, 3)


@pytest.mark.parametrize(
    ("percentile", "phrase"),
    [
        (75.0, "bland den bästa fjärdedelen av kommunerna"),
        (74.9, "i den övre halvan av kommunerna"),
        (50.0, "i den övre halvan av kommunerna"),
        (25.1, "i den nedre halvan av kommunerna"),
        (25.0, "bland den lägsta fjärdedelen av kommunerna"),
    ],
)
def test_position_in_words(percentile: float, phrase: str) -> None:
    assert phrases.position_phrase(percentile, DEFAULTS) == phrase


def test_change_in_words() -> None:
    assert phrases.change_sentence("totalindex", 5.63, 2023) == (
        "Jämfört med 2023 har totalindex ökat med 5,6 poäng."
    )
    assert phrases.change_sentence("delindex Utförande", -2.0, 2023) == (
        "Jämfört med 2023 har delindex Utförande minskat med 2,0 poäng."
    )
    # One threshold everywhere: what shows as ±0,0 is unchanged, "+0,3" is said as shown
    # (the notes once called +0,3 unchanged while the PDF said "ökat med 0,3").
    assert phrases.change_sentence("totalindex", 0.3, 2023) == (
        "Jämfört med 2023 har totalindex ökat med 0,3 poäng."
    )
    assert phrases.change_sentence("totalindex", 0.04, 2023) == (
        "Jämfört med 2023 är totalindex i stort sett oförändrat (±0,0)."
    )


def test_counted_nouns_agree() -> None:
    assert phrases.counted(1, "styrka", "styrkor") == "en styrka"
    assert phrases.counted(1, "förbättringsområde", "förbättringsområden", neuter=True) == (
        "ett förbättringsområde"
    )
    assert phrases.counted(4, "styrka", "styrkor") == "4 styrkor"


def test_standing_says_better_than_only_with_the_share_strictly_below() -> None:
    # A yes/no "Ja" with mid-rank percentile 87 but only 74 % strictly below is "bättre än
    # 74 %", never 87 (the published wording); the share is rounded down, never up.
    assert phrases.standing_phrase(74.0, 0.0) == "bättre än 74\u00a0% av kommunerna"
    assert phrases.standing_phrase(87.9, 5.0) == "bättre än 87\u00a0% av kommunerna"
    assert phrases.standing_phrase(12.5, 80.2) == "81\u00a0% av kommunerna har ett högre värde"


def test_missing_sources_get_advice_to_take_part() -> None:
    assert phrases.source_advice("Brukarundersökningen") == (
        "Delta i Socialstyrelsens brukarundersökning"
    )
    assert phrases.source_advice("Okänd källa") == "Lämna uppgiften till Okänd källa"


def test_number_words_are_one_table() -> None:
    assert [phrases.number_word(n) for n in (0, 1, 2, 10, 11)] == ["noll", "en", "två", "tio", "11"]
    assert phrases.number_word(1, neuter=True) == "ett"


def test_nouns_agree_with_their_count() -> None:
    assert phrases.noun(1, "indikator", "indikatorer") == "1 indikator"
    assert phrases.noun(3, "indikator", "indikatorer") == "3 indikatorer"


def test_rank_movement() -> None:
    assert phrases.rank_movement(0) == "placeringen är densamma"
    assert phrases.rank_movement(1) == "kommunen har klättrat 1 placering"
    assert phrases.rank_movement(-12) == "kommunen har tappat 12 placeringar"


@pytest.mark.parametrize(
    ("strength", "improvement", "top", "bottom"),
    [
        (75, 25, "den bästa fjärdedelen", "den lägsta fjärdedelen"),
        (80, 20, "den bästa femtedelen", "den lägsta femtedelen"),
        (90, 10, "den bästa tiondelen", "den lägsta tiondelen"),
        (70, 30, "de bästa 30 procenten", "de lägsta 30 procenten"),
    ],
)
def test_thresholds_are_worded_from_the_edition(
    strength: float, improvement: float, top: str, bottom: str
) -> None:
    selection = SelectionSettings(strength, improvement, 3)
    assert phrases.strength_share(selection) == top
    assert phrases.improvement_share(selection) == bottom
    assert phrases.position_phrase(strength, selection) == f"bland {top} av kommunerna"
    assert phrases.position_phrase(improvement, selection) == f"bland {bottom} av kommunerna"
