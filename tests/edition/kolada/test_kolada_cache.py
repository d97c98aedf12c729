"""The cache of raw responses: what is stored, how it is found, and what is refused."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from rapportpaket.edition.kolada.cache import CachedResponse, CacheError, ResponseCache

URL = "https://api.kolada.se/v2/data/kpi/U21468/year/2022?page=2&per_page=3"
MOMENT = datetime(2024, 8, 30, 9, 15, tzinfo=UTC)


def test_a_response_is_stored_with_its_address_and_time(tmp_path: Path) -> None:
    cache = ResponseCache(tmp_path / "cache")
    body = '{"values": [], "count": 0, "title": "Brukarbedömning – helhetssyn"}'
    path = cache.write(CachedResponse(URL, MOMENT, body))
    assert path.parent == tmp_path / "cache"
    assert path.name.startswith("api-kolada-se-v2-data-kpi-U21468-year-2022-page-2-per-page-3-")
    assert json.loads(path.read_text(encoding="utf-8")) == {
        "url": URL,
        "retrieved_at": "2024-08-30T09:15:00+00:00",
        "body": body,
    }
    assert cache.read(URL) == CachedResponse(URL, MOMENT, body)


def test_addresses_that_differ_only_in_the_query_get_their_own_files(tmp_path: Path) -> None:
    cache = ResponseCache(tmp_path)
    assert cache.path_for(URL) != cache.path_for(URL.replace("page=2", "page=3"))
    assert cache.path_for(URL) != cache.path_for(URL.replace("page=2&", "page-2&"))


def test_an_address_not_cached_is_none(tmp_path: Path) -> None:
    assert ResponseCache(tmp_path / "none").read(URL) is None


def test_unreadable_and_foreign_files_are_refused(tmp_path: Path) -> None:
    cache = ResponseCache(tmp_path)
    cache.path_for(URL).write_text("{not json", encoding="utf-8")
    with pytest.raises(CacheError, match="cannot be read back"):
        cache.read(URL)
    other = "https://elsewhere.example/v2/data/kpi/U21468/year/2022?page=2&per_page=3"
    entry = {"url": other, "retrieved_at": MOMENT.isoformat(), "body": "{}"}
    cache.path_for(URL).write_text(json.dumps(entry), encoding="utf-8")
    with pytest.raises(CacheError) as raised:
        cache.read(URL)
    assert str(raised.value) == f"{cache.path_for(URL)}: holds {other}, not {URL}"
