"""Render many packages in parallel processes, reporting each failure without stopping.

The results are computed once, in the parent, and handed to each worker once (pickled in
the worker's initializer). Workers are forked from a forkserver that has already imported
WeasyPrint, python-pptx and matplotlib, so a recycled worker starts in milliseconds; each
worker keeps its renderers (fonts, stylesheets, template deck) for all its packages, and
renders its PDFs after the first in a child it forks, which never frees (see `_in_child`).
"""

from __future__ import annotations

import gc
import multiprocessing
import multiprocessing.forkserver
import multiprocessing.util
import os
import pickle
import resource
import select
import threading
import time
import traceback
from collections import defaultdict
from collections.abc import Callable, Collection, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass, replace
from functools import partial
from multiprocessing.connection import Connection
from pathlib import Path
from typing import NoReturn

from rapportpaket.documents.package import (
    PARTS,
    UNITS_PART,
    Package,
    parts_of,
    planned_package,
    render_package,
    render_part,
)
from rapportpaket.documents.templating import template_error
from rapportpaket.scoring.results import EditionResults
from rapportpaket.support.clock import SOURCE_DATE_EPOCH

# Workers are replaced after this many packages each, so that whatever a long run leaks
# (font caches, matplotlib state) cannot grow without bound. Replacement is done by
# starting a fresh pool per chunk: ProcessPoolExecutor's own max_tasks_per_child can
# deadlock on Python 3.11 when it replaces a worker. A worker grows by about 12 MB over
# 145 packages, so two workers render the whole country in one pool, warmed up once.
PACKAGES_PER_WORKER = 150
HEAVY_MODULES = [
    "rapportpaket.documents.pdf.render",
    "rapportpaket.documents.deck.slides",
    "rapportpaket.documents.pdf.charts",
    "rapportpaket.documents.units.render",
]


@dataclass(frozen=True)
class Outcome:
    """What happened to one municipality's package in a batch."""

    kommunkod: str
    package: Package | None
    error: str | None
    seconds: float
    worker: int
    peak_rss_mb: float
    part_seconds: tuple[tuple[str, float], ...] = ()  # per file, when made in workers

    @property
    def ok(self) -> bool:
        """Return True when both files were written."""
        return self.error is None


Progress = Callable[[Outcome], None]


def default_jobs() -> int:
    """Return one job per core this process may use."""
    return max(1, len(os.sched_getaffinity(0)))


def _forkserver() -> multiprocessing.context.ForkServerContext:
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(HEAVY_MODULES)
    return context


def start_workers_early(jobs: int | None) -> None:
    """Start the process that workers are forked from, if `render_many` will use workers.

    It imports the renderers (about a second) while this process loads and scores the
    edition, so that even a single package from a cold start pays for only one of the two.
    Nothing is lost if no worker is ever asked for: the server exits with this process.
    """
    if _uses_workers(jobs or default_jobs(), 1):
        _forkserver()
        # Not waiting for the server: it preloads in the background, and the first worker
        # forked from it waits for that to finish.
        multiprocessing.forkserver.ensure_running()


def _uses_workers(jobs: int, count: int) -> bool:
    return jobs > 1 and count >= 1


def render_many(
    results: EditionResults,
    kommunkoder: Sequence[str],
    out: Path,
    *,
    jobs: int | None = None,
    templates: Path | None = None,
    progress: Progress | None = None,
    units: Collection[str] = (),
) -> list[Outcome]:
    """Render the packages of `kommunkoder`; return one outcome each, in the given order.

    The packages of the kommunkoder in `units` include the unit analysis (`enheter.pdf`
    and the deck's unit slides).
    """
    jobs = jobs or default_jobs()
    with_units = frozenset(units)
    if not _uses_workers(jobs, len(kommunkoder)):
        return [
            _report(progress, _render_one(results, k, out, templates, k in with_units))
            for k in kommunkoder
        ]
    # Even one package goes to a worker: it is forked from a server that has already
    # imported the renderers (see start_workers_early), which this process has not.
    tasks = sum(len(parts_of(k in with_units)) for k in kommunkoder)  # each file is a task
    workers = min(jobs, tasks)
    return _render_in_pool(results, kommunkoder, out, workers, templates, progress, with_units)


def _report(progress: Progress | None, outcome: Outcome) -> Outcome:
    if progress is not None:
        progress(outcome)
    return outcome


@contextmanager
def _collected_once() -> Iterator[None]:
    """Pause the cyclic garbage collector while rendering, then collect once.

    Laying out a report creates some hundred thousand objects in reference cycles (boxes
    and their parents, pages, fonts). The collector's automatic passes kept walking them
    while they were still in use, a tenth of the rendering time; one pass afterwards frees
    the same memory. While the collector is paused no object leaves the youngest
    generation, so collecting that one finds all of the document's garbage, without
    walking everything older (the results, the libraries) as a full collection would.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.collect(0)
        if was_enabled:
            gc.enable()


def _render_one(
    results: EditionResults, kommunkod: str, out: Path, templates: Path | None, units: bool
) -> Outcome:
    started = time.perf_counter()
    try:
        with _collected_once():
            package: Package | None = render_package(
                results, kommunkod, out, templates=templates, units=units
            )
        error = None
    except Exception as failure:  # one municipality's failure must not stop the batch
        package, error = None, _describe(failure)
    return Outcome(
        kommunkod, package, error, time.perf_counter() - started, os.getpid(), _peak_rss_mb()
    )


def _describe(failure: Exception) -> str:
    in_template = template_error(failure)
    if in_template is not None:
        return f"{type(failure).__name__}: {in_template}"
    last = traceback.extract_tb(failure.__traceback__)[-1:]
    where = f" (at {last[0].filename.rsplit('/', 1)[-1]}:{last[0].lineno})" if last else ""
    return f"{type(failure).__name__}: {failure}{where}"


def _peak_rss_mb() -> float:
    """Return the peak memory of this process or of any child it rendered in, in MB."""
    # ru_maxrss is in kilobytes on Linux; for children, of the largest that has ended.
    ended = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return max(_own_peak_rss_mb(), ended, _children_peak_mb)


def _own_peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --------------------------------------------------------------------------- the pool

_worker_results: EditionResults | None = None


def _start_worker(payload: bytes, source_date_epoch: str | None, parent: int) -> None:
    global _worker_results
    _end_with(parent)
    # The forkserver keeps the environment it was started with; the documents' timestamp
    # must be this run's, as the parent sees it (clock.build_time reads it).
    os.environ.pop(SOURCE_DATE_EPOCH, None)
    if source_date_epoch is not None:
        os.environ[SOURCE_DATE_EPOCH] = source_date_epoch
    _worker_results = pickle.loads(payload)
    gc.freeze()  # the results live as long as the worker: never walk them again
    # A worker that ends in order ends its rendering child and waits for it.
    multiprocessing.util.Finalize(None, _retire_child, exitpriority=10)


def _end_with(parent: int) -> None:
    """End this worker as soon as the process that asked for it ends, however it ends.

    A worker's parent is the forkserver, not the process that renders: killed with -9,
    that process would leave the workers waiting for work forever, and they in turn keep
    the forkserver alive (it ends when every holder of its "alive" pipe has).
    """
    threading.Thread(target=_wait_for_end, args=(parent,), name="end-with", daemon=True).start()


def _wait_for_end(parent: int) -> None:
    try:  # a descriptor of the parent process becomes readable once it has exited
        handle = os.pidfd_open(parent)
    except ProcessLookupError:
        os._exit(1)
    except (AttributeError, OSError):  # not Linux ≥ 5.3: look once a second
        while _alive(parent):
            time.sleep(1)
    else:
        select.select([handle], [], [])
    os._exit(1)  # no cleanup: what it was rendering is a temporary file, removed later


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@dataclass(frozen=True)
class _PartOutcome:
    """What happened to one file of a package in a worker."""

    kommunkod: str
    part: str
    error: str | None
    seconds: float
    worker: int
    peak_rss_mb: float


# Parts rendered in a child process once the worker has made one of them itself.
FORKED_PARTS = frozenset({"pdf", UNITS_PART})
_warmed: set[str] = set()  # the FORKED_PARTS this worker has rendered itself


def _render_part_in_worker(
    kommunkod: str, part: str, out: Path, templates: Path | None, units: bool
) -> _PartOutcome:
    assert _worker_results is not None, "worker started without results"
    started = time.perf_counter()
    job = partial(_render_with_worker_results, kommunkod, part, out, templates, units)
    if part in FORKED_PARTS and part in _warmed:
        error = _in_child(job)
    else:
        error = _in_this_process(job)
        if error is None and part in FORKED_PARTS:
            _warmed.add(part)
            _retire_child()  # the next child is forked with this part's renderer warm
    seconds = time.perf_counter() - started
    if error is None:
        # What survives a task is the worker's own state (renderers, fonts, charts), set up
        # by its first task and kept for all others: like the results, it need not be
        # walked again. (After a failure, the traceback's garbage must stay collectable.)
        gc.freeze()
    return _PartOutcome(kommunkod, part, error, seconds, os.getpid(), _peak_rss_mb())


def _render_with_worker_results(
    kommunkod: str, part: str, out: Path, templates: Path | None, units: bool
) -> None:
    """Render one file from the results this worker (or the child it forked) holds."""
    assert _worker_results is not None, "worker started without results"
    render_part(_worker_results, kommunkod, part, out, templates=templates, units=units)


def _in_this_process(render: Callable[[], None]) -> str | None:
    """Run `render`; return None, or the description of its failure."""
    try:
        with _collected_once():
            render()
    except Exception as failure:  # one municipality's failure must not stop the batch
        return _describe(failure)
    return None


# A child renders PDFs until its peak memory reaches this, then leaves and the next PDF
# forks a new one. It never frees a report's garbage (about 13 MB each): from a worker of
# about 112 MB it reaches 200 MB after some seven reports. Worker and child together stay
# below the 400 MB a worker may use, even counting the memory they share twice.
CHILD_RETIRES_AT_MB = 200.0


@dataclass(frozen=True)
class _Child:
    """A child process forked from this worker, rendering the jobs it is sent."""

    pid: int
    jobs: Connection  # to the child: picklable callables
    replies: Connection  # from the child: (error or None, its peak memory, retiring)

    def finish(self) -> int:
        """Wait for the child to end; return its exit code (negative: its signal)."""
        self.jobs.close()  # a child waiting for work ends when it sees no more can come
        self.replies.close()
        _, wait_status = os.waitpid(self.pid, 0)
        return os.waitstatus_to_exitcode(wait_status)


_child: _Child | None = None
_children_peak_mb = 0.0  # the largest peak memory a child of this worker reported


def _in_child(job: Callable[[], None]) -> str | None:
    """Run `job` (picklable) in a child process; return None or its failure.

    A PDF leaves some hundred thousand objects in reference cycles behind (boxes, styles,
    the document's trees): collecting and freeing them took a tenth of its time. A child
    forked from the worker has the warm renderer (fonts, stylesheets, the edition's charts)
    and renders with the collector off, never freeing; it renders PDFs until it has grown
    to CHILD_RETIRES_AT_MB, so that forking it, and its first writes to the memory it
    shares with the worker, are paid once per some seven reports. It writes each file
    itself, atomically, as the worker would have.
    """
    global _child, _children_peak_mb
    child = _child if _child is not None else _fork_child()
    _child = child
    try:
        child.jobs.send(job)
        reply: tuple[str | None, float, bool] = child.replies.recv()
    except (EOFError, OSError):  # the child ended while rendering
        _child = None
        code = child.finish()
        return f"the rendering process ended with {_exit_words(code)}"
    error, peak_mb, retiring = reply
    _children_peak_mb = max(_children_peak_mb, peak_mb)
    if retiring:
        _retire_child()
    return error


def _retire_child() -> None:
    global _child
    if _child is not None:
        child, _child = _child, None
        child.finish()


def _fork_child() -> _Child:
    jobs_in, jobs_out = multiprocessing.Pipe(duplex=False)
    replies_in, replies_out = multiprocessing.Pipe(duplex=False)
    pid = os.fork()
    if pid == 0:  # the child: serve jobs, and leave without cleaning up
        jobs_out.close()
        replies_in.close()
        _serve_jobs(jobs_in, replies_out)
    jobs_in.close()
    replies_out.close()
    return _Child(pid, jobs_out, replies_in)


def _serve_jobs(jobs: Connection, replies: Connection) -> NoReturn:
    """Run the jobs the worker sends until it sends no more or this process has grown
    to CHILD_RETIRES_AT_MB; then exit at once (exit code 0), freeing nothing."""
    status = 1  # also if interrupted: only an orderly end counts
    try:
        gc.disable()
        while True:
            try:
                job = jobs.recv()
            except EOFError:  # the worker has finished, or ended
                break
            error = _in_child_process(job)
            peak_mb = _own_peak_rss_mb()
            retiring = peak_mb >= CHILD_RETIRES_AT_MB
            replies.send((error, peak_mb, retiring))
            if retiring:
                break
        status = 0
    finally:
        os._exit(status)


def _in_child_process(job: Callable[[], None]) -> str | None:
    try:
        job()
    except Exception as failure:  # described to the worker, which goes on
        return _describe(failure)
    return None


def _exit_words(code: int) -> str:
    return f"signal {-code}" if code < 0 else f"exit code {code}"


def _render_in_pool(
    results: EditionResults,
    kommunkoder: Sequence[str],
    out: Path,
    jobs: int,
    templates: Path | None,
    progress: Progress | None,
    units: frozenset[str],
) -> list[Outcome]:
    """Render in worker processes, the PDF and the deck of a package as separate tasks.

    Separate tasks keep both cores busy to the end, and let a single package's PDF and
    deck be written at the same time. A package is reported once all its files are done.
    """
    context = _forkserver()
    lean = _without_raw_values(results, keep_units=units)
    payload = pickle.dumps(lean, protocol=pickle.HIGHEST_PROTOCOL)
    tasks = [(k, part) for k in kommunkoder for part in parts_of(k in units)]
    finished: dict[str, list[_PartOutcome]] = defaultdict(list)
    outcomes: dict[str, Outcome] = {}
    for chunk in _chunks(tasks, jobs * PACKAGES_PER_WORKER * len(PARTS)):
        with ProcessPoolExecutor(
            max_workers=jobs,
            mp_context=context,
            initializer=_start_worker,
            initargs=(payload, os.environ.get(SOURCE_DATE_EPOCH), os.getpid()),
        ) as pool:
            futures: dict[Future[_PartOutcome], tuple[str, str]] = {
                pool.submit(_render_part_in_worker, k, part, out, templates, k in units): (k, part)
                for k, part in chunk
            }
            for future in as_completed(futures):
                kommunkod, part = futures[future]
                finished[kommunkod].append(_part_outcome_of(future, kommunkod, part))
                if len(finished[kommunkod]) == len(parts_of(kommunkod in units)):
                    parts = finished.pop(kommunkod)
                    package = planned_package(out, results, kommunkod, units=kommunkod in units)
                    outcomes[kommunkod] = _report(progress, _combine(package, parts))
    return [outcomes[k] for k in kommunkoder]


def _part_outcome_of(future: Future[_PartOutcome], kommunkod: str, part: str) -> _PartOutcome:
    try:
        return future.result()
    except Exception as failure:  # the worker itself died (e.g. killed for memory)
        return _PartOutcome(kommunkod, part, _describe(failure), 0.0, 0, 0.0)


def _combine(package: Package, parts: list[_PartOutcome]) -> Outcome:
    """Return the outcome of a package from the outcomes of its files."""
    order = parts_of(True)
    parts = sorted(parts, key=lambda p: order.index(p.part))
    errors = [f"{p.part}: {p.error}" for p in parts if p.error is not None]
    return Outcome(
        kommunkod=package.kommunkod,
        package=None if errors else package,
        error="; ".join(errors) if errors else None,
        seconds=sum(p.seconds for p in parts),
        worker=parts[0].worker,  # where the PDF, by far the larger part, was made
        peak_rss_mb=max(p.peak_rss_mb for p in parts),
        part_seconds=tuple((p.part, p.seconds) for p in parts),
    )


def _chunks(tasks: Sequence[tuple[str, str]], size: int) -> list[Sequence[tuple[str, str]]]:
    """Split (kommunkod, part) tasks into chunks of about `size`, never inside a package:
    a package is reported when all its parts are done, so they share a pool."""
    chunks, start = [], 0
    while start < len(tasks):
        end = min(start + size, len(tasks))
        while end < len(tasks) and tasks[end][0] == tasks[end - 1][0]:
            end += 1
        chunks.append(tasks[start:end])
        start = end
    return chunks


def _without_raw_values(
    results: EditionResults, *, keep_units: Collection[str] = ()
) -> EditionResults:
    """Return the results without the editions' raw values, for the workers.

    Documents are rendered from the results, never from raw values, and the raw values of
    this and the previous edition were half of what every worker had to unpickle. Of the
    units' results only those of `keep_units` go along, the municipalities whose packages
    include the unit analysis: all of the country's would double what a worker unpickles.
    (test_batch checks that workers and this process write the same bytes.)
    """
    edition = results.edition
    previous = edition.previous
    if previous is not None:
        previous = replace(previous, values=(), previous=None, units=(), unit_values=())
    lean = replace(edition, values=(), previous=previous, units=(), unit_values=())
    units = results.units.only(keep_units) if results.units and keep_units else None
    return replace(results, edition=lean, units=units)
