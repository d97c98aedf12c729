"""Swedish formatting: numbers, signs, percentages, values by kind, dates, lists, slugs."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from rapportpaket.support.swedish import (
    MINUS,
    NBSP,
    slugify,
    sv_date,
    sv_datetime,
    sv_list,
    sv_number,
    sv_percent,
    sv_rank,
    sv_signed,
    sv_value,
)


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (81.44, 1, "81,4"),
        (0.0, 1, "0,0"),
        (1234.5, 1, f"1{NBSP}234,5"),
        (1234567.891, 2, f"1{NBSP}234{NBSP}567,89"),
        (-3.25, 2, f"{MINUS}3,25"),
        (-1234.0, 0, f"{MINUS}1{NBSP}234"),
        (7, 0, "7"),
    ],
)
def test_sv_number(value: float, decimals: int, expected: str) -> None:
    assert sv_number(value, decimals) == expected


@pytest.mark.parametrize("value", [-0.0, -0.04, -0.0000001])
def test_sv_number_never_shows_negative_zero(value: float) -> None:
    assert sv_number(value) == "0,0"
    assert sv_number(value, 0) == "0"


def test_sv_number_keeps_the_sign_when_rounding_leaves_a_digit() -> None:
    assert sv_number(-0.06) == f"{MINUS}0,1"


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (1.2, 1, "+1,2"),
        (-0.4, 1, f"{MINUS}0,4"),
        (0.0, 1, "±0,0"),
        (0.04, 1, "±0,0"),
        (-0.04, 1, "±0,0"),
        (-1234.5, 1, f"{MINUS}1{NBSP}234,5"),
        (2.0, 0, "+2"),
    ],
)
def test_sv_signed(value: float, decimals: int, expected: str) -> None:
    assert sv_signed(value, decimals) == expected


def test_sv_percent() -> None:
    assert sv_percent(81.4) == f"81{NBSP}%"
    assert sv_percent(81.46, 1) == f"81,5{NBSP}%"
    assert sv_percent(-2) == f"{MINUS}2{NBSP}%"


@pytest.mark.parametrize(
    ("value", "kind", "decimals", "expected"),
    [
        (None, "percent", None, "uppgift saknas"),
        (None, "binary", None, "uppgift saknas"),
        (1.0, "binary", None, "Ja"),
        (0.5, "binary", None, "Ja"),
        (0.49, "binary", None, "Nej"),
        (0.0, "binary", None, "Nej"),
        (81.6, "percent", None, f"82{NBSP}%"),
        (81.64, "percent", 1, f"81,6{NBSP}%"),
        (5.0, "number", None, "5,0"),
        (5.0, "number", 2, "5,00"),
    ],
)
def test_sv_value_per_kind(
    value: float | None, kind: str, decimals: int | None, expected: str
) -> None:
    assert sv_value(value, kind, decimals) == expected


def test_sv_date_is_the_stockholm_date() -> None:
    assert sv_date(datetime(2024, 12, 3, 7, tzinfo=UTC)) == "3 december 2024"
    # 23:30 UTC on New Year's Eve is already 00:30 on 1 January in Stockholm.
    assert sv_date(datetime(2024, 12, 31, 23, 30, tzinfo=UTC)) == "1 januari 2025"


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (datetime(2024, 12, 3, 7, tzinfo=UTC), "tisdag 3 december 2024 kl. 08.00"),
        # Summer time starts 31 March 2024 at 01:00 UTC (02:00 → 03:00 local).
        (datetime(2024, 3, 31, 0, 30, tzinfo=UTC), "söndag 31 mars 2024 kl. 01.30"),
        (datetime(2024, 3, 31, 1, 30, tzinfo=UTC), "söndag 31 mars 2024 kl. 03.30"),
        # Summer time ends 27 October 2024 at 01:00 UTC (03:00 → 02:00 local).
        (datetime(2024, 10, 27, 0, 30, tzinfo=UTC), "söndag 27 oktober 2024 kl. 02.30"),
        (datetime(2024, 10, 27, 1, 30, tzinfo=UTC), "söndag 27 oktober 2024 kl. 02.30"),
        (datetime(2024, 7, 1, 22, 15, tzinfo=UTC), "tisdag 2 juli 2024 kl. 00.15"),
    ],
)
def test_sv_datetime_across_summer_time(moment: datetime, expected: str) -> None:
    assert sv_datetime(moment) == expected


def test_sv_rank() -> None:
    assert sv_rank(7, 290) == "plats 7 av 290"


@pytest.mark.parametrize(
    ("items", "expected"),
    [
        ([], ""),
        (["a"], "a"),
        (["a", "b"], "a och b"),
        (["a", "b", "c"], "a, b och c"),
    ],
)
def test_sv_list(items: list[str], expected: str) -> None:
    assert sv_list(items) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Upplands Väsby", "upplands-vasby"),
        ("Österåker", "osteraker"),
        ("Malung-Sälen", "malung-salen"),
        ("  Dals-Ed  ", "dals-ed"),
        ("Håbo (kommun)", "habo-kommun"),
        ("", "kommun"),
        ("–", "kommun"),
    ],
)
def test_slugify(name: str, expected: str) -> None:
    assert slugify(name) == expected
