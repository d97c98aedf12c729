"""A stand-in renderer for production tests: fast, and steerable from a subprocess's env.

`RAPPORTPAKET_TEST_RENDERER=fakes:fake_renderer` puts it into a real CLI process.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Collection, Sequence
from pathlib import Path

from rapportpaket.documents.batch import Outcome
from rapportpaket.documents.package import planned_package
from rapportpaket.scoring.results import EditionResults
from rapportpaket.support.files import write_atomic


def fake_renderer(
    results: EditionResults,
    kommunkoder: Sequence[str],
    out: Path,
    *,
    jobs: int | None = None,
    templates: Path | None = None,
    progress: Callable[[Outcome], None] | None = None,
    units: Collection[str] = (),
) -> list[Outcome]:
    """Write tiny stand-in packages atomically; FAKE_RENDER_DELAY / FAKE_RENDER_FAIL steer it.

    The packages of `units` get a stand-in enheter.pdf too, as the real renderer would.
    """
    delay = float(os.environ.get("FAKE_RENDER_DELAY", "0"))
    failing = os.environ.get("FAKE_RENDER_FAIL", "")
    outcomes = []
    for kommunkod in kommunkoder:
        time.sleep(delay)
        package = planned_package(out, results, kommunkod, units=kommunkod in units)
        if kommunkod == failing:
            outcome = Outcome(kommunkod, None, "RenderError: boom", 0.0, os.getpid(), 0.0)
        else:
            write_atomic(package.pdf, b"%PDF-1.7 fake " + kommunkod.encode())
            write_atomic(package.deck, b"PK fake " + kommunkod.encode())
            write_atomic(package.tool, b"<!doctype html>fake " + kommunkod.encode())
            if package.units is not None:
                write_atomic(package.units, b"%PDF-1.7 fake units " + kommunkod.encode())
            outcome = Outcome(kommunkod, package, None, 0.0, os.getpid(), 0.0)
        if progress is not None:
            progress(outcome)
        outcomes.append(outcome)
    return outcomes
