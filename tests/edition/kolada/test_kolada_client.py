"""The client against a loopback stand-in: paging, retries, timeouts, errors, rate, cache."""

from __future__ import annotations

import socket
import time
from pathlib import Path

import pytest

from rapportpaket.edition.kolada.cache import ResponseCache
from rapportpaket.edition.kolada.client import (
    FetchSettings,
    KoladaClient,
    KoladaUnavailable,
    KpiFailed,
    fetch_kpis,
)
from rapportpaket.edition.kolada.responses import totals_of

from kolada_api import StandIn, kolada_item, kolada_stand_in

FIXTURES = Path(__file__).parent / "fixtures"
FAST = FetchSettings(timeout=2.0, attempts=3, backoff=0.01, interval=0.0)
PATH = "/v2/data/kpi/N1/year/2024"


def five_values() -> list[dict[str, object]]:
    codes = ("0114", "0115", "0117", "0120", "0123")
    return [kolada_item("N1", code, 2024, 10.0 + k) for k, code in enumerate(codes)]


def client(base_url: str, tmp_path: Path, settings: FetchSettings = FAST) -> KoladaClient:
    return KoladaClient(base_url, ResponseCache(tmp_path / "cache"), settings=settings)


def test_every_page_is_followed(tmp_path: Path) -> None:
    with kolada_stand_in(StandIn(five_values(), page_size=2)) as api:
        data = client(api.base_url, tmp_path).fetch("N1", 2024)
    assert api.requests == [PATH, f"{PATH}?page=2&per_page=2", f"{PATH}?page=3&per_page=2"]
    assert totals_of(data.values, "N1", 2024) == {
        "0114": 10.0, "0115": 11.0, "0117": 12.0, "0120": 13.0, "0123": 14.0,
    }  # fmt: skip
    assert [r.url for r in data.responses] == [api.base_url + p[3:] for p in api.requests]


def test_a_first_503_is_retried(tmp_path: Path) -> None:
    with kolada_stand_in(StandIn(five_values(), statuses={"N1": [503]})) as api:
        data = client(api.base_url, tmp_path).fetch("N1", 2024)
    assert api.requests == [PATH, PATH]
    assert len(totals_of(data.values, "N1", 2024)) == 5


def test_a_lasting_5xx_gives_up_after_every_attempt(tmp_path: Path) -> None:
    failing = StandIn(five_values(), statuses={"N1": [500, 502, 503]})
    with kolada_stand_in(failing) as api, pytest.raises(KoladaUnavailable) as raised:
        client(api.base_url, tmp_path).fetch("N1", 2024)
    assert str(raised.value) == (
        f"{api.base_url}/data/kpi/N1/year/2024: Kolada answered 503 Service Unavailable "
        "(3 attempts)"
    )
    assert len(api.requests) == 3


def test_the_wait_doubles_between_attempts(tmp_path: Path) -> None:
    settings = FetchSettings(attempts=3, backoff=0.1, interval=0.0)
    with kolada_stand_in(StandIn(five_values(), statuses={"N1": [503, 503]})) as api:
        started = time.monotonic()
        client(api.base_url, tmp_path, settings).fetch("N1", 2024)
        elapsed = time.monotonic() - started
    assert 0.3 <= elapsed < 1.5  # 0.1 s, then 0.2 s


def test_too_many_requests_waits_as_told_but_not_too_long(tmp_path: Path) -> None:
    settings = FetchSettings(attempts=2, backoff=0.01, max_wait=0.3, interval=0.0)
    stand_in = StandIn(five_values(), statuses={"N1": [429]}, retry_after="5")
    with kolada_stand_in(stand_in) as api:
        started = time.monotonic()
        client(api.base_url, tmp_path, settings).fetch("N1", 2024)
        elapsed = time.monotonic() - started
    assert len(api.requests) == 2
    assert 0.3 <= elapsed < 2.0  # Retry-After: 5, held to max_wait


def test_a_slow_answer_times_out_and_is_asked_again(tmp_path: Path) -> None:
    settings = FetchSettings(timeout=0.2, attempts=2, backoff=0.01, interval=0.0)
    with kolada_stand_in(StandIn(five_values(), slow={"N1": 1.0})) as api:
        data = client(api.base_url, tmp_path, settings).fetch("N1", 2024)
    assert len(api.requests) == 2 and len(data.responses) == 1


def test_a_404_is_not_retried(tmp_path: Path) -> None:
    with kolada_stand_in(StandIn(five_values())) as api:
        url = f"{api.base_url}/data/kpi/N1/year/2024"
        kolada = KoladaClient(api.base_url + "/oops", ResponseCache(tmp_path), settings=FAST)
        with pytest.raises(KpiFailed) as raised:
            kolada.fetch("N1", 2024)
    assert str(raised.value) == f"{url.replace('/v2/', '/v2/oops/')}: Kolada answered 404 Not Found"
    assert api.requests == ["/v2/oops/data/kpi/N1/year/2024"]


def test_malformed_json_fails_the_kpi(tmp_path: Path) -> None:
    expected = r"/data/kpi/N1/year/2024: not valid JSON \("
    garbled = StandIn(five_values(), garbled={"N1"})
    with kolada_stand_in(garbled) as api, pytest.raises(KpiFailed, match=expected):
        client(api.base_url, tmp_path).fetch("N1", 2024)
    assert len(api.requests) == 1


def test_a_next_page_that_leads_back_is_refused(tmp_path: Path) -> None:
    looping = (
        '{"values": [], "count": 0, "next_page": "https://api.kolada.se/v2/data/kpi/N1/year/2024"}'
    )
    expected = "next_page leads back to a page already read"
    stand_in = StandIn(recorded={PATH: looping})
    with kolada_stand_in(stand_in) as api, pytest.raises(KpiFailed, match=expected):
        client(api.base_url, tmp_path).fetch("N1", 2024)
    assert len(api.requests) == 1


def test_no_server_at_all_is_unavailable(tmp_path: Path) -> None:
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    with pytest.raises(KoladaUnavailable, match=r"cannot connect \(.*\) \(3 attempts\)"):
        client(f"http://127.0.0.1:{port}/v2", tmp_path).fetch("N1", 2024)


def test_requests_keep_a_polite_distance(tmp_path: Path) -> None:
    settings = FetchSettings(attempts=1, interval=0.1)
    with kolada_stand_in(StandIn(five_values(), page_size=1)) as api:
        started = time.monotonic()
        client(api.base_url, tmp_path, settings).fetch("N1", 2024)
        elapsed = time.monotonic() - started
    assert len(api.requests) == 5
    assert elapsed >= 0.4  # four gaps of at least 0.1 s


def test_offline_reads_the_recorded_responses_only(tmp_path: Path) -> None:
    kolada = KoladaClient(
        "https://api.kolada.se/v2", ResponseCache(FIXTURES), offline=True, settings=FAST
    )
    data = kolada.fetch("U21468", 2022)
    assert len(data.responses) == 3
    assert totals_of(data.values, "U21468", 2022)["0120"] == 83.0
    assert kolada.requests == 0
    with pytest.raises(KpiFailed) as raised:
        kolada.fetch("U21468", 2024)
    assert str(raised.value) == (
        f"https://api.kolada.se/v2/data/kpi/U21468/year/2024: not in the cache {FIXTURES} "
        "(fetch it once without --offline, with the same --base-url)"
    )


def test_failures_are_collected_until_kolada_is_unreachable(tmp_path: Path) -> None:
    items = [kolada_item(kpi, "0114", 2024, 50.0) for kpi in ("N1", "N3")]
    stand_in = StandIn(items, garbled={"N2"}, statuses={"N3": [503, 503, 503]})
    with kolada_stand_in(stand_in) as api:
        fetched = fetch_kpis(client(api.base_url, tmp_path), ["N1", "N2", "N3", "N4"], 2024)
    assert list(fetched.data) == ["N1"]
    assert [failure.split(":")[0] for failure in fetched.failures] == ["N2", "N3"]
    assert fetched.failures[1].endswith("(3 attempts); the remaining KPIs were not asked for")
    assert not any("/N4/" in request for request in api.requests)
