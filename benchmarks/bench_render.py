"""Benchmark package rendering: one package from a cold CLI start, and the whole country.

Not a test: it measures and prints. Run it from the project root:

    .venv/bin/python benchmarks/bench_render.py [--edition reports/2024] [--jobs 2]
    .venv/bin/python benchmarks/bench_render.py --profile 10   # pyinstrument, 10 packages

It reports the cold single-package time (CLI start to files written), the whole-country
wall time, per-package times, and the peak memory of every worker process, first and
last package, so that growth over a run shows.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from rapportpaket.documents.package import PARTS

ROOT = Path(__file__).resolve().parents[1]
CLI = ROOT / ".venv" / "bin" / "rapportpaket"


def machine() -> str:
    """Return a one-line description of this machine."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    cores = len(os.sched_getaffinity(0))
    return f"{cpu}, {cores} cores, Python {platform.python_version()}"


def cold_single(edition: Path, kommun: str) -> float:
    """Return the seconds from CLI start to both files written, in a new process."""
    with tempfile.TemporaryDirectory() as out:
        started = time.perf_counter()
        subprocess.run(
            [str(CLI), "render", str(edition), "--kommun", kommun, "--out", out],
            check=True,
            capture_output=True,
        )
        return time.perf_counter() - started


def spread(seconds: list[float]) -> str:
    """Return the median, 95th percentile and maximum of some durations."""
    ordered = sorted(seconds)
    p95 = ordered[int(0.95 * (len(ordered) - 1))]
    return f"median {statistics.median(ordered):.2f} s, p95 {p95:.2f} s, max {ordered[-1]:.2f} s"


def whole_country(edition: Path, jobs: int) -> None:
    """Render every municipality and print wall time, per-package times and memory."""
    from rapportpaket.documents.batch import render_many, start_workers_early
    from rapportpaket.edition.load import load_edition
    from rapportpaket.scoring.score import score_edition

    started = time.perf_counter()
    start_workers_early(jobs)  # as `rapportpaket render --all` does
    results = score_edition(load_edition(edition))
    scored = time.perf_counter()
    codes = [m.kommunkod for m in results.edition.municipalities]
    with tempfile.TemporaryDirectory() as out:
        outcomes = render_many(results, codes, Path(out), jobs=jobs)
    wall = time.perf_counter() - started
    failed = [o for o in outcomes if not o.ok]
    times = [o.seconds for o in outcomes if o.ok]
    print(f"whole country: {len(outcomes)} packages ({len(failed)} failed), jobs={jobs}")
    print(f"  wall time            {wall:7.1f} s  (load + score {scored - started:.2f} s)")
    print(f"  per package (worker) {spread(times)}")
    for part in PARTS:
        seconds = [dict(o.part_seconds)[part] for o in outcomes if o.ok]
        print(f"    {part:4s}               {spread(seconds)}")
    by_worker: dict[int, list[float]] = defaultdict(list)
    for outcome in outcomes:
        by_worker[outcome.worker].append(outcome.peak_rss_mb)
    print(f"  workers used         {len(by_worker)}")
    peaks = [max(m) for m in by_worker.values()]
    print(f"  peak memory/worker   max {max(peaks):.0f} MB")
    for pid, memory in sorted(by_worker.items()):
        print(f"    worker {pid}: {len(memory)} packages, peak after first {memory[0]:.0f} MB, "
              f"after last {memory[-1]:.0f} MB")  # fmt: skip
    for outcome in failed:
        print(f"  FAILED {outcome.kommunkod}: {outcome.error}")


def profile(edition: Path, count: int) -> None:
    """Render `count` packages in this process under pyinstrument and print the profile.

    They go through the batch's own in-process path (`--jobs 1`), so the garbage collector
    is handled as in the workers.
    """
    from pyinstrument import Profiler

    from rapportpaket.documents.batch import render_many
    from rapportpaket.edition.load import load_edition
    from rapportpaket.scoring.score import score_edition

    results = score_edition(load_edition(edition))
    codes = [m.kommunkod for m in results.edition.municipalities][:count]
    with tempfile.TemporaryDirectory() as out:
        render_many(results, codes[:1], Path(out), jobs=1)  # warm-up: fonts, templates
        profiler = Profiler(interval=0.002)
        profiler.start()
        render_many(results, codes, Path(out), jobs=1)
        profiler.stop()
    print(profiler.output_text(unicode=True, color=False, show_all=False))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--edition", type=Path, default=ROOT / "reports" / "2024")
    parser.add_argument("--jobs", type=int, default=len(os.sched_getaffinity(0)))
    parser.add_argument("--kommun", default="Växjö")
    parser.add_argument("--profile", type=int, metavar="N", help="profile N packages instead")
    args = parser.parse_args()
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1733212800")
    print(f"machine: {machine()}")
    if args.profile:
        profile(args.edition, args.profile)
        return
    colds = [cold_single(args.edition, args.kommun) for _ in range(3)]
    print(f"one package, cold CLI start: best {min(colds):.2f} s of 3 ({args.kommun})")
    whole_country(args.edition, args.jobs)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
