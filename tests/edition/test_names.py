"""Municipality names as people write them (issue 16): exact, with kommun/stad/Region,
without å/ä/ö (with a note), ambiguous (both named), near misses (a suggestion)."""

from __future__ import annotations

import pytest

from rapportpaket.edition.model import Municipality
from rapportpaket.edition.names import find_municipality
from rapportpaket.errors import UsageError

MUNICIPALITIES = (
    Municipality("0780", "Växjö", "Kronobergs län"),
    Municipality("2584", "Kiruna", "Norrbottens län"),
    Municipality("0180", "Stockholm", "Stockholms län"),
    Municipality("0980", "Gotland", "Gotlands län"),
    Municipality("1880", "Örebro", "Örebro län"),
    Municipality("1980", "Västerås", "Västmanlands län"),
    Municipality("0643", "Habo", "Jönköpings län"),
    Municipality("0305", "Håbo", "Uppsala län"),
    Municipality("0114", "Upplands Väsby", "Stockholms län"),
)


@pytest.mark.parametrize(
    ("query", "kommun"),
    [
        ("Växjö", "Växjö"), ("  växjö ", "Växjö"), ("VÄXJÖ", "Växjö"), ("0780", "Växjö"),
        ("780", "Växjö"), ("Växjö kommun", "Växjö"), ("Kiruna kommun", "Kiruna"),
        ("Stockholms stad", "Stockholm"), ("Region Gotland", "Gotland"),
        ("Gotlands kommun", "Gotland"), ("Västerås stad", "Västerås"), ("Habo", "Habo"),
        ("Håbo", "Håbo"), ("Upplands  Väsby kommun", "Upplands Väsby"),
    ],
)  # fmt: skip
def test_names_as_written_are_found_without_a_note(query: str, kommun: str) -> None:
    match = find_municipality(query, MUNICIPALITIES)
    assert (match.municipality.kommun, match.note) == (kommun, "")


@pytest.mark.parametrize(
    ("query", "kommun"),
    [("Vaxjo", "Växjö"), ("Orebro kommun", "Örebro"), ("Vasteras stad", "Västerås"),
     ("Upplands Vasby", "Upplands Väsby")],
)  # fmt: skip
def test_names_without_accents_are_found_with_a_note(query: str, kommun: str) -> None:
    match = find_municipality(query, MUNICIPALITIES)
    assert match.municipality.kommun == kommun
    assert match.note == f"{query!r} read as {kommun}"


def test_a_name_that_fits_two_is_an_error_naming_both() -> None:
    with pytest.raises(UsageError) as caught:
        find_municipality("Hàbo", MUNICIPALITIES)
    assert str(caught.value) == (
        "'Hàbo' could be Habo (0643) and Håbo (0305): give the name as written, or the kommunkod"
    )


@pytest.mark.parametrize(
    ("query", "meant"), [("Vaxsjö", "Växjö"), ("Kirunna", "Kiruna"), ("Stokholm stad", "Stockholm")]
)
def test_a_near_miss_gets_a_suggestion(query: str, meant: str) -> None:
    with pytest.raises(
        UsageError, match=rf"unknown municipality '{query}' \(did you mean {meant}\?\)"
    ):
        find_municipality(query, MUNICIPALITIES)


def test_nothing_close_gets_no_suggestion() -> None:
    with pytest.raises(UsageError) as caught:
        find_municipality("Xyzzy", MUNICIPALITIES)
    assert str(caught.value) == "unknown municipality 'Xyzzy'"
