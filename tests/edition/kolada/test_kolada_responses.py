"""Kolada's data format: pages, genders, nulls, and what is not Kolada's format."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rapportpaket.edition.kolada.cache import ResponseCache
from rapportpaket.edition.kolada.responses import (
    KpiValue,
    MalformedResponse,
    parse_page,
    totals_of,
)

FIXTURES = Path(__file__).parent / "fixtures"
KOLADA = "https://api.kolada.se/v2"


def recorded_body(url: str) -> str:
    response = ResponseCache(FIXTURES).read(url)
    assert response is not None
    return response.body


def test_a_recorded_page_and_its_next_page() -> None:
    page = parse_page(recorded_body(f"{KOLADA}/data/kpi/U21468/year/2022"))
    assert page.next_page == "https://api.kolada.se/v2/data/kpi/U21468/year/2022?page=2&per_page=3"
    assert len(page.values) == 9  # three municipalities, three genders each
    assert KpiValue("U21468", "0114", 2022, "T", 77.0) in page.values
    assert KpiValue("U21468", "0114", 2022, "K", 74.0) in page.values


def test_the_last_page_has_no_next_page() -> None:
    page = parse_page(recorded_body(f"{KOLADA}/data/kpi/U21468/year/2022?page=3&per_page=3"))
    assert page.next_page is None
    assert {v.municipality for v in page.values} == {"2584"}


def test_totals_are_gender_t_of_the_year_without_nulls() -> None:
    values = [
        KpiValue("U21468", "0114", 2022, "K", 74.0),
        KpiValue("U21468", "0114", 2022, "T", 77.0),
        KpiValue("U21468", "0114", 2022, "M", 81.0),
        KpiValue("U21468", "0114", 2021, "T", 60.0),  # another year
        KpiValue("U21468", "1381", 2022, "T", None),  # no value
        KpiValue("U23592", "0115", 2022, "T", 197.0),  # another KPI
        KpiValue("U21468", "0114", 2022, "T", 77.0),  # the same again (a repeated page)
    ]
    assert totals_of(values, "U21468", 2022) == {"0114": 77.0}
    assert totals_of(values, "U21468", 2021) == {"0114": 60.0}


def test_two_different_totals_are_malformed() -> None:
    values = [
        KpiValue("U21468", "0114", 2022, "T", 77.0),
        KpiValue("U21468", "0114", 2022, "T", 78.0),
    ]
    with pytest.raises(MalformedResponse, match="two totals for 0114 in 2022: 77 and 78"):
        totals_of(values, "U21468", 2022)


def test_lenient_about_what_a_stand_in_may_send() -> None:
    body = {
        "values": [
            {"kpi": "N1", "municipality": 114, "period": "2024", "values": [
                {"gender": "T", "value": 5}
            ]},
        ],
        "next_page": "",
    }  # fmt: skip
    page = parse_page(json.dumps(body))
    assert page == parse_page(json.dumps({**body, "next_page": None}))
    assert page.values == (KpiValue("N1", "0114", 2024, "T", 5.0),)
    assert page.next_page is None


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('{"values": [', "not valid JSON (Expecting value: line 1 column 13 (char 12))"),
        ("[]", 'not Kolada\'s data format: no "values" list'),
        ('{"count": 0}', 'not Kolada\'s data format: no "values" list'),
        ('{"values": [1]}', "values[0]: not an object"),
        (
            '{"values": [{"kpi": "N1", "municipality": "0114", "period": "2o24", "values": []}]}',
            "values[0].period: '2o24' is not a year",
        ),
        (
            '{"values": [{"kpi": "N1", "municipality": "0114", "period": 2024}]}',
            'values[0]: no "values" list',
        ),
        (
            '{"values": [{"kpi": "N1", "municipality": "0114", "period": 2024,'
            ' "values": [{"gender": "T", "value": "81,5"}]}]}',
            "values[0].values[0].value: '81,5' is not a number",
        ),
        (
            '{"values": [{"kpi": "N1", "municipality": "0114", "period": 2024,'
            ' "values": [{"gender": "T", "value": true}]}]}',
            "values[0].values[0].value: True is not a number",
        ),
        (
            '{"values": [{"municipality": "0114", "period": 2024, "values": []}]}',
            "values[0].kpi: None is not a text",
        ),
        ('{"values": [], "next_page": 2}', "next_page: 2 is not an address"),
    ],
)
def test_malformed_responses_say_where(body: str, message: str) -> None:
    with pytest.raises(MalformedResponse) as raised:
        parse_page(body)
    assert str(raised.value) == message
