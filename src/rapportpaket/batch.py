"""Render many packages in parallel processes, reporting each failure without stopping.

The results are computed once, in the parent, and handed to each worker once (pickled in
the worker's initializer). Workers are forked from a forkserver that has already imported
WeasyPrint, python-pptx and matplotlib, so a recycled worker starts in milliseconds; each
worker keeps its renderers (fonts, stylesheets, template deck) for all its packages.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import resource
import time
import traceback
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from rapportpaket.model import EditionResults
from rapportpaket.package import Package, render_package

# Workers are replaced after this many packages each, so that whatever a long run leaks
# (font caches, matplotlib state) cannot grow without bound. Replacement is done by
# starting a fresh pool per chunk: ProcessPoolExecutor's own max_tasks_per_child can
# deadlock on Python 3.11 when it replaces a worker.
PACKAGES_PER_WORKER = 60
HEAVY_MODULES = ["rapportpaket.pdf", "rapportpaket.deck", "rapportpaket.charts"]


@dataclass(frozen=True)
class Outcome:
    """What happened to one municipality's package in a batch."""

    kommunkod: str
    package: Package | None
    error: str | None
    seconds: float
    worker: int
    peak_rss_mb: float

    @property
    def ok(self) -> bool:
        """Return True when both files were written."""
        return self.error is None


Progress = Callable[[Outcome], None]


def default_jobs() -> int:
    """Return one job per core this process may use."""
    return max(1, len(os.sched_getaffinity(0)))


def render_many(
    results: EditionResults,
    kommunkoder: Sequence[str],
    out: Path,
    *,
    jobs: int | None = None,
    templates: Path | None = None,
    progress: Progress | None = None,
) -> list[Outcome]:
    """Render the packages of `kommunkoder`; return one outcome each, in the given order."""
    jobs = jobs or default_jobs()
    if jobs == 1 or len(kommunkoder) <= 1:
        return [_report(progress, _render_one(results, k, out, templates)) for k in kommunkoder]
    return _render_in_pool(results, kommunkoder, out, jobs, templates, progress)


def _report(progress: Progress | None, outcome: Outcome) -> Outcome:
    if progress is not None:
        progress(outcome)
    return outcome


def _render_one(
    results: EditionResults, kommunkod: str, out: Path, templates: Path | None
) -> Outcome:
    started = time.perf_counter()
    try:
        package: Package | None = render_package(results, kommunkod, out, templates=templates)
        error = None
    except Exception as failure:  # one municipality's failure must not stop the batch
        package, error = None, _describe(failure)
    return Outcome(
        kommunkod, package, error, time.perf_counter() - started, os.getpid(), _peak_rss_mb()
    )


def _describe(failure: Exception) -> str:
    last = traceback.extract_tb(failure.__traceback__)[-1:]
    where = f" (at {last[0].filename.rsplit('/', 1)[-1]}:{last[0].lineno})" if last else ""
    return f"{type(failure).__name__}: {failure}{where}"


def _peak_rss_mb() -> float:
    # ru_maxrss is in kilobytes on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --------------------------------------------------------------------------- the pool

_worker_results: EditionResults | None = None


def _start_worker(payload: bytes) -> None:
    global _worker_results
    _worker_results = pickle.loads(payload)


def _render_in_worker(kommunkod: str, out: Path, templates: Path | None) -> Outcome:
    assert _worker_results is not None, "worker started without results"
    return _render_one(_worker_results, kommunkod, out, templates)


def _render_in_pool(
    results: EditionResults,
    kommunkoder: Sequence[str],
    out: Path,
    jobs: int,
    templates: Path | None,
    progress: Progress | None,
) -> list[Outcome]:
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(HEAVY_MODULES)
    payload = pickle.dumps(results, protocol=pickle.HIGHEST_PROTOCOL)
    outcomes: dict[str, Outcome] = {}
    chunk = jobs * PACKAGES_PER_WORKER
    for start in range(0, len(kommunkoder), chunk):
        with ProcessPoolExecutor(
            max_workers=jobs, mp_context=context, initializer=_start_worker, initargs=(payload,)
        ) as pool:
            futures: dict[Future[Outcome], str] = {
                pool.submit(_render_in_worker, k, out, templates): k
                for k in kommunkoder[start : start + chunk]
            }
            for future in as_completed(futures):
                outcome = _outcome_of(future, futures[future])
                outcomes[outcome.kommunkod] = _report(progress, outcome)
    return [outcomes[k] for k in kommunkoder]


def _outcome_of(future: Future[Outcome], kommunkod: str) -> Outcome:
    try:
        return future.result()
    except Exception as failure:  # the worker itself died (e.g. killed for memory)
        return Outcome(kommunkod, None, _describe(failure), 0.0, 0, 0.0)
