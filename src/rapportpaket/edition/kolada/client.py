"""Fetch KPI values from Kolada's API: timeouts, retries with backoff, a polite rate, paging.

Online, every response is kept (see `cache`) and stored by the caller once the whole
import succeeded; offline, the cache answers instead of the network.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from types import TracebackType
from urllib.parse import urljoin

import httpx

from rapportpaket import __version__
from rapportpaket.edition.kolada.cache import CachedResponse, CacheError, ResponseCache
from rapportpaket.edition.kolada.responses import KpiValue, MalformedResponse, parse_page
from rapportpaket.support import clock

log = logging.getLogger(__name__)
USER_AGENT = f"rapportpaket/{__version__} (Hemtjanstindex report packages)"  # headers are ASCII


@dataclass(frozen=True)
class FetchSettings:
    """How patiently and politely the client talks to Kolada (seconds)."""

    timeout: float = 30.0  # to connect, and between two parts of a response
    attempts: int = 5  # tries per address on 5xx, 429, timeouts and lost connections
    backoff: float = 1.0  # wait before the first retry; doubles with every retry
    max_wait: float = 60.0  # longest wait between tries, also for a Retry-After header
    interval: float = 0.1  # at least this long between two requests: a polite rate


class KpiFailed(Exception):
    """Kolada refused or garbled one KPI (4xx, malformed, not cached); the others may go on."""


class KoladaUnavailable(Exception):
    """Kolada could not be reached after every retry; asking for more KPIs is pointless."""


@dataclass(frozen=True)
class KpiData:
    """Everything Kolada sent for one KPI and year, and the responses it came in."""

    kpi: str
    year: int
    values: tuple[KpiValue, ...]
    responses: tuple[CachedResponse, ...]


@dataclass
class _Pacer:
    """Keep at least `interval` seconds between the starts of two requests."""

    interval: float
    last: float | None = field(default=None)

    def wait(self) -> None:
        if self.last is not None:
            time.sleep(max(0.0, self.last + self.interval - time.monotonic()))
        self.last = time.monotonic()


class KoladaClient:
    """Read Kolada's data endpoints under `base_url`, online or from `cache` only."""

    def __init__(
        self,
        base_url: str,
        cache: ResponseCache,
        *,
        offline: bool = False,
        settings: FetchSettings | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.cache = cache
        self.offline = offline
        self.settings = settings or FetchSettings()
        self.requests = 0  # requests sent, retries included
        self._pacer = _Pacer(self.settings.interval)
        self._http: httpx.Client | None = None

    def __enter__(self) -> KoladaClient:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._http is not None:
            self._http.close()

    def data_url(self, kpi: str, year: int) -> str:
        """Return the address of every municipality's values of `kpi` in `year`."""
        return f"{self.base_url}/data/kpi/{kpi}/year/{year}"

    def fetch(self, kpi: str, year: int) -> KpiData:
        """Return every page of `kpi`'s values for `year`, following `next_page`."""
        url: str | None = self.data_url(kpi, year)
        values: list[KpiValue] = []
        responses: list[CachedResponse] = []
        while url is not None:
            if any(r.url == url for r in responses):
                raise KpiFailed(f"{url}: next_page leads back to a page already read")
            response = self._get(url)
            try:
                page = parse_page(response.body)
            except MalformedResponse as error:
                raise KpiFailed(f"{url}: {error}") from None
            values += page.values
            responses.append(response)
            # next_page is a full address; a relative one is read against this page's.
            url = urljoin(url, page.next_page) if page.next_page is not None else None
        return KpiData(kpi, year, tuple(values), tuple(responses))

    def _get(self, url: str) -> CachedResponse:
        if not self.offline:
            return self._download(url)
        try:
            cached = self.cache.read(url)
        except CacheError as error:
            raise KpiFailed(str(error)) from None
        if cached is None:
            hint = "fetch it once without --offline, with the same --base-url"
            raise KpiFailed(f"{url}: not in the cache {self.cache.folder} ({hint})")
        return cached

    def _download(self, url: str) -> CachedResponse:
        problem = ""
        for attempt in range(self.settings.attempts):
            self._pacer.wait()
            self.requests += 1
            log.info("GET %s (attempt %d)", url, attempt + 1)
            try:
                response = self._client().get(url)
            except httpx.TransportError as error:
                problem = _describe_transport_error(error)
                wait = self._backoff(attempt, None)
            else:
                if response.is_success:
                    return CachedResponse(url, clock.now(), response.text)
                problem = f"Kolada answered {response.status_code} {response.reason_phrase}"
                if not _is_transient(response.status_code):
                    raise KpiFailed(f"{url}: {problem}")
                wait = self._backoff(attempt, response.headers.get("Retry-After"))
            if attempt + 1 < self.settings.attempts:
                log.info("%s: %s; trying again in %.1f s", url, problem, wait)
                time.sleep(wait)
        raise KoladaUnavailable(f"{url}: {problem} ({self.settings.attempts} attempts)")

    def _backoff(self, attempt: int, retry_after: str | None) -> float:
        """Return the wait before the next try: the server's Retry-After, else doubling."""
        wait = self.settings.backoff * 2.0**attempt
        if retry_after is not None and retry_after.strip().isdigit():
            wait = float(retry_after.strip())
        return min(wait, self.settings.max_wait)

    def _client(self) -> httpx.Client:
        if self._http is None:
            self._http = httpx.Client(
                timeout=self.settings.timeout,
                follow_redirects=True,
                headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
            )
        return self._http


def _is_transient(status: int) -> bool:
    """A server error or 'too many requests' may pass; other 4xx answers will not."""
    return status >= 500 or status == 429


def _describe_transport_error(error: httpx.TransportError) -> str:
    if isinstance(error, httpx.TimeoutException):
        return f"no answer in time ({type(error).__name__})"
    return f"cannot connect ({error})" if isinstance(error, httpx.ConnectError) else str(error)


@dataclass(frozen=True)
class Fetched:
    """What every KPI gave, and why the others failed."""

    data: dict[str, KpiData]
    failures: tuple[str, ...]


def fetch_kpis(client: KoladaClient, kpis: Iterable[str], year: int) -> Fetched:
    """Fetch every KPI; collect failures, but stop once Kolada cannot be reached at all."""
    data: dict[str, KpiData] = {}
    failures: list[str] = []
    for kpi in kpis:
        try:
            data[kpi] = client.fetch(kpi, year)
        except KpiFailed as error:
            failures.append(f"{kpi}: {error}")
        except KoladaUnavailable as error:
            failures.append(f"{kpi}: {error}; the remaining KPIs were not asked for")
            break
    return Fetched(data, tuple(failures))
