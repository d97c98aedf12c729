"""A stand-in for Kolada's v2 API on loopback, speaking its documented data format.

It serves `/v2/data/kpi/<ids>/year/<years>` (ids and years comma-separated) from a list
of items, in pages of `page_size` items linked by full `next_page` addresses, like
https://api.kolada.se/v2. It can be told to misbehave the ways a real service does: answer
given statuses first (a 503 before the data), send malformed JSON, be slow once, or send
every year it has instead of the years asked for. Recorded responses (fixtures in the
cache format) are served as they are, with their address moved onto the stand-in.
"""

from __future__ import annotations

import csv
import json
import re
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

KOLADA = "https://api.kolada.se/v2"  # the address recorded responses were made for
_DATA = re.compile(r"^/v2/data/kpi/([^/]+)/year/([^/]+)$")
Item = dict[str, Any]


def kolada_item(
    kpi: str, code: str, year: int, total: float | None, *, women: float | None = None,
    men: float | None = None,
) -> Item:  # fmt: skip
    """Return one item as Kolada sends it: the values of one KPI, municipality and year."""
    genders = (("K", women), ("M", men), ("T", total))
    return {
        "kpi": kpi,
        "municipality": code,
        "period": year,
        "values": [
            {"count": 1, "gender": gender, "status": "", "value": value}
            for gender, value in genders
        ],
    }


def items_from_values(
    values_csv: Path, kpis: Mapping[str, tuple[str, str | None]], year: int
) -> list[Item]:
    """Return Kolada items carrying an edition's values (and n) of the indicators in `kpis`.

    `kpis` maps an indicator id to its (kolada_kpi, kolada_n_kpi). The n of a municipality
    must be the same for every indicator that shares an n KPI, as it is for Kolada.
    """
    items: dict[tuple[str, str], Item] = {}
    with values_csv.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["indicator"] not in kpis or not row["value"]:
                continue
            kpi, n_kpi = kpis[row["indicator"]]
            items[(kpi, row["kommunkod"])] = kolada_item(
                kpi, row["kommunkod"], year, float(row["value"])
            )
            if n_kpi is not None and row["n"]:
                n_item = kolada_item(n_kpi, row["kommunkod"], year, float(row["n"]))
                assert items.setdefault((n_kpi, row["kommunkod"]), n_item) == n_item
    return list(items.values())


@dataclass
class StandIn:
    """The stand-in's data and misbehaviour; `requests` records every path asked for."""

    items: list[Item] = field(default_factory=list)
    page_size: int = 5000
    statuses: dict[str, list[int]] = field(default_factory=dict)  # KPI → answers before data
    garbled: set[str] = field(default_factory=set)  # KPIs answered with malformed JSON
    slow: dict[str, float] = field(default_factory=dict)  # KPI → seconds, once
    every_year: bool = False  # send all years of a KPI, not only those asked for
    retry_after: str | None = None  # the Retry-After header of the `statuses` answers
    recorded: dict[str, str] = field(default_factory=dict)  # path?query → body
    requests: list[str] = field(default_factory=list)
    base_url: str = ""

    def record_fixtures(self, folder: Path) -> None:
        """Serve the cache-format responses in `folder` at their paths."""
        for path in sorted(folder.glob("*.json")):
            entry = json.loads(path.read_text(encoding="utf-8"))
            address = urlsplit(entry["url"])
            where = address.path + (f"?{address.query}" if address.query else "")
            self.recorded[where] = entry["body"]

    def answer(self, target: str) -> tuple[int, str]:
        """Return the status and body for a request of `target` (path and query)."""
        self.requests.append(target)
        if target in self.recorded:
            return 200, self.recorded[target].replace(KOLADA, self.base_url)
        address = urlsplit(target)
        match = _DATA.match(address.path)
        if match is None:
            return 404, "<html><body><h1>404 Not Found</h1></body></html>"
        kpis, years = match.group(1).split(","), match.group(2).split(",")
        if self.statuses.get(kpis[0]):
            return self.statuses[kpis[0]].pop(0), "<html><body>Service Unavailable</body></html>"
        if kpis[0] in self.slow:
            time.sleep(self.slow.pop(kpis[0]))
        if kpis[0] in self.garbled:
            return 200, '{"count": 2, "values": [{"kpi": "' + kpis[0] + '", "munic'
        return 200, self._page(address.path, parse_qs(address.query), kpis, years)

    def _page(
        self, path: str, query: dict[str, list[str]], kpis: list[str], years: list[str]
    ) -> str:
        chosen = [
            item
            for item in self.items
            if item["kpi"] in kpis and (self.every_year or str(item["period"]) in years)
        ]
        page = int(query.get("page", ["1"])[0])
        size = int(query.get("per_page", [str(self.page_size)])[0])
        values = chosen[(page - 1) * size : page * size]
        more = page * size < len(chosen)
        document = {
            "count": len(values),
            "values": values,
            "next_page": f"{self.base_url}{path[3:]}?page={page + 1}&per_page={size}"
            if more
            else None,
        }
        if page > 1:
            document["previous_page"] = f"{self.base_url}{path[3:]}?page={page - 1}&per_page={size}"
        return json.dumps(document, ensure_ascii=False)


@contextmanager
def kolada_stand_in(stand_in: StandIn | None = None) -> Iterator[StandIn]:
    """Serve `stand_in` on loopback for the duration of the block; base_url is set."""
    api = stand_in or StandIn()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            status, body = api.answer(self.path)
            payload = body.encode("utf-8")
            self.send_response(status)
            if status != 200 and api.retry_after is not None:
                self.send_header("Retry-After", api.retry_after)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, format: str, *args: Any) -> None:
            pass  # the tests assert on api.requests instead

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    api.base_url = f"http://127.0.0.1:{server.server_address[1]}/v2"
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield api
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
