"""Kolada's v2 data format: pages of values per KPI, municipality, year and gender.

A page is `{"values": [item, ...], "count": n, "next_page": url}` (at most 5,000 items;
`next_page` absent, null or empty on the last one). An item is
`{"kpi": "U21464", "municipality": "0114", "period": 2024, "values": [{"gender": "T",
"value": 59.0, "count": 1, "status": ""}, ...]}`: gender `T` is the total, `K` women and
`M` men, and `value` is null where Kolada has no value.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

TOTAL = "T"  # the gender of the value for everyone


class MalformedResponse(ValueError):
    """A response that is not JSON in Kolada's data format; the message says where."""


@dataclass(frozen=True)
class KpiValue:
    """One value of one KPI for one municipality (Kolada's id), year and gender."""

    kpi: str
    municipality: str
    period: int
    gender: str
    value: float | None


@dataclass(frozen=True)
class Page:
    """One page of a data response and the address of the next one, if any."""

    values: tuple[KpiValue, ...]
    next_page: str | None


def parse_page(text: str) -> Page:
    """Return the values and next page of a response body; raise MalformedResponse."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise MalformedResponse(f"not valid JSON ({error})") from None
    if not isinstance(document, dict) or not isinstance(document.get("values"), list):
        raise MalformedResponse('not Kolada\'s data format: no "values" list')
    values = [v for k, item in enumerate(document["values"]) for v in _parse_item(item, k)]
    return Page(tuple(values), _next_page(document.get("next_page")))


def _next_page(link: object) -> str | None:
    if link is None or link == "":
        return None
    if not isinstance(link, str):
        raise MalformedResponse(f"next_page: {link!r} is not an address")
    return link


def _parse_item(item: object, index: int) -> Iterable[KpiValue]:
    where = f"values[{index}]"
    if not isinstance(item, dict):
        raise MalformedResponse(f"{where}: not an object")
    kpi = _text(item, "kpi", where)
    municipality = _municipality(item.get("municipality"), where)
    period = _period(item.get("period"), where)
    entries = item.get("values")
    if not isinstance(entries, list):
        raise MalformedResponse(f'{where}: no "values" list')
    for k, entry in enumerate(entries):
        gender, value = _parse_entry(entry, f"{where}.values[{k}]")
        yield KpiValue(kpi, municipality, period, gender, value)


def _parse_entry(entry: object, where: str) -> tuple[str, float | None]:
    if not isinstance(entry, dict):
        raise MalformedResponse(f"{where}: not an object")
    gender = _text(entry, "gender", where)
    value = entry.get("value")
    if value is None:
        return gender, None
    # bool is an int in Python, but `true` is no number in Kolada's data.
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise MalformedResponse(f"{where}.value: {value!r} is not a number")
    return gender, float(value)


def _text(item: Mapping[str, object], key: str, where: str) -> str:
    text = item.get(key)
    if not isinstance(text, str) or not text:
        raise MalformedResponse(f"{where}.{key}: {text!r} is not a text")
    return text


def _municipality(code: object, where: str) -> str:
    # Kolada's ids are 4-digit text ("0114"); a number would have lost its leading zero.
    if isinstance(code, int) and not isinstance(code, bool):
        code = str(code).zfill(4)
    if not isinstance(code, str) or not code:
        raise MalformedResponse(f"{where}.municipality: {code!r} is not a municipality id")
    return code


def _period(period: object, where: str) -> int:
    if isinstance(period, str) and period.isdigit():
        return int(period)
    if isinstance(period, int) and not isinstance(period, bool):
        return period
    raise MalformedResponse(f"{where}.period: {period!r} is not a year")


def totals_of(values: Iterable[KpiValue], kpi: str, year: int) -> dict[str, float]:
    """Return `kpi`'s total (gender T) per municipality id for `year`; nulls are no value.

    Values of other KPIs, years and genders are left out: a stand-in or a later version
    of the API may send more than was asked for. Two different totals for the same
    municipality are a MalformedResponse (which one would be Kolada's?).
    """
    totals: dict[str, float] = {}
    for item in values:
        if item.kpi != kpi or item.period != year or item.gender != TOTAL:
            continue
        if item.value is None:
            continue
        earlier = totals.setdefault(item.municipality, item.value)
        if earlier != item.value:
            raise MalformedResponse(
                f"two totals for {item.municipality} in {year}: {earlier:g} and {item.value:g}"
            )
    return totals
